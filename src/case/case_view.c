/* case_view.c — the case as JSON for the API (see case.h zx_case_json): the row, parties, events,
 * clocks, the actions and closures allowed now. It composes the store with the services (clocks,
 * actions, closure), so that case_store.c stays below them and calls none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pii.h"
#include "account/authz.h"
#include "case/case.h"
#include "core/ids.h"
#include "rules/id_number.h"

static json_t *user_ref(db_conn *c, int64_t id)
{
    if (id <= 0) return json_null();
    db_stmt *s = db_prepare(c, "SELECT display_name FROM app_user WHERE id = ?");
    if (!s) return json_null();
    db_bind_int64(s, 1, id);
    json_t *o = json_null();
    if (db_step(s) == DB_ROW) o = json_pack("{s:o,s:s}", "id", zx_json_id(id), "name", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    db_finalize(s);
    return o;
}

json_t *zx_case_event_json(db_conn *c, const zx_case_event *e)
{
    return json_pack("{s:i,s:I,s:o,s:o,s:s,s:s,s:s?,s:O}", "seq", e->seq, "at_ms", (json_int_t)e->at_ms,
                     "on_date", zx_json_date(e->on_date), "user", user_ref(c, e->user_id), "kind", e->kind,
                     "label", zx_case_event_label(e->kind), "stage", e->stage[0] ? e->stage : NULL, "data", e->data);
}

/* ------------------------------------------------------------------ case JSON */
static json_t *parties_json(db_conn *c, int64_t case_id, bool unmask)
{
    json_t *arr = json_array();
    /* ID number, phone and address are sealed (core/pii.h, migration 020): opened here, masked
     * unless the caller may see them in full (the caller audits that read). */
    db_stmt *s = db_prepare(c, "SELECT id, role, kind, name, id_number_enc, credit_code, sex, birth_date, of_party_id,"
                               " role_of_unit, phone_enc, address_enc FROM case_party WHERE case_id = ? ORDER BY ord");
    if (!s) return arr;
    db_bind_int64(s, 1, case_id);
    json_t *all = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *p = json_object();
        json_object_set_new(p, "id", zx_json_id(db_col_int64(s, 0)));
        json_object_set_new(p, "role", json_string(db_col_text(s, 1)));
        json_object_set_new(p, "kind", json_string(db_col_text(s, 2)));
        json_object_set_new(p, "name", json_string(db_col_text(s, 3)));
        char *idn = zx_pii_col(s, 4, ZX_PII_ID_NUMBER);
        if (idn) {
            char *m = unmask ? NULL : zx_pii_mask(ZX_PII_ID_NUMBER, idn);
            json_object_set_new(p, "id_number", json_string(m ? m : idn));
            json_object_set_new(p, "id_number_masked", json_boolean(!unmask));
            free(m);
            zx_pii_free(idn);
        } else json_object_set_new(p, "id_number", json_null());
        const char *cc = db_col_text(s, 5);
        json_object_set_new(p, "credit_code", cc ? json_string(cc) : json_null());
        const char *sex = db_col_text(s, 6);
        json_object_set_new(p, "sex", sex ? json_string(sex) : json_null());
        const char *bd = db_col_text(s, 7);
        json_object_set_new(p, "birth_date", bd ? json_string(bd) : json_null());
        json_object_set_new(p, "of_party_id", zx_json_id(db_col_int64(s, 8)));
        const char *ru = db_col_text(s, 9);
        json_object_set_new(p, "role_of_unit", ru ? json_string(ru) : json_null());
        char *ph = zx_pii_col(s, 10, ZX_PII_PHONE);
        if (ph) {
            char *m = unmask ? NULL : zx_pii_mask(ZX_PII_PHONE, ph);
            json_object_set_new(p, "phone", json_string(m ? m : ph));
            free(m);
            zx_pii_free(ph);
        } else json_object_set_new(p, "phone", json_null());
        char *ad = zx_pii_col(s, 11, ZX_PII_ADDRESS);
        json_object_set_new(p, "address", ad ? json_string(ad) : json_null());
        zx_pii_free(ad);
        json_array_append_new(all, p);
    }
    db_finalize(s);
    /* Nest unit persons under their unit; everything else in order. */
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p) {
        if (!strcmp(json_string_value(json_object_get(p, "role")), "unit_person")) continue;
        if (!strcmp(json_string_value(json_object_get(p, "kind")), "unit")) {
            json_t *ups = json_array();
            const char *uid = json_string_value(json_object_get(p, "id"));
            size_t j;
            json_t *q;
            json_array_foreach(all, j, q) {
                const char *of = json_string_value(json_object_get(q, "of_party_id"));
                if (of && uid && !strcmp(of, uid) && !strcmp(json_string_value(json_object_get(q, "role")), "unit_person"))
                    json_array_append(ups, q);
            }
            json_object_set_new(p, "unit_persons", ups);
        }
        json_array_append(arr, p);
    }
    json_decref(all);
    return arr;
}

static json_t *team_ref(db_conn *c, int64_t id)
{
    if (id <= 0) return json_null();
    db_stmt *s = db_prepare(c, "SELECT name FROM team WHERE id = ?");
    if (!s) return json_null();
    db_bind_int64(s, 1, id);
    json_t *o = json_null();
    if (db_step(s) == DB_ROW) o = json_pack("{s:o,s:s}", "id", zx_json_id(id), "name", db_col_text(s, 0));
    db_finalize(s);
    return o;
}

static json_t *case_no_of(db_conn *c, int64_t id)
{
    if (id <= 0) return json_null();
    db_stmt *s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
    if (!s) return json_null();
    db_bind_int64(s, 1, id);
    json_t *o = json_null();
    if (db_step(s) == DB_ROW) o = json_string(db_col_text(s, 0));
    db_finalize(s);
    return o;
}

json_t *zx_case_json(db_conn *c, int64_t id, bool unmask, const zx_principal *who)
{
    zx_case k;
    if (zx_case_load(c, id, &k) != 0) return NULL;
    zx_case_events ev;
    if (zx_case_events_load(c, id, &ev) != 0) return NULL;
    const zx_court *court = zx_court_by_id(k.court_id);
    json_t *o = json_object();
    json_object_set_new(o, "id", zx_json_id(k.id));
    json_object_set_new(o, "case_no", json_string(k.case_no));
    json_object_set_new(o, "year", json_integer(k.year));
    json_object_set_new(o, "court", json_pack("{s:o,s:s,s:s}", "id", zx_json_id(k.court_id), "code",
                                              court ? court->code : "", "name", court ? court->name : ""));
    json_object_set_new(o, "type_code", json_string(k.type_code));
    json_object_set_new(o, "seq", json_integer(k.seq));
    json_object_set_new(o, "stage", json_string(k.stage));
    const char *sl = zx_case_stage_label(k.stage);
    json_object_set_new(o, "stage_label", json_string(sl ? sl : k.stage));
    json_object_set_new(o, "status", json_string(k.status));
    json_object_set_new(o, "track", json_string(k.track));
    json_object_set_new(o, "handler", user_ref(c, k.handler_id));
    json_object_set_new(o, "team", team_ref(c, k.team_id));
    json_object_set_new(o, "applied_on", zx_json_date(k.applied_on));
    json_object_set_new(o, "filed_on", zx_json_date(k.filed_on));
    json_object_set_new(o, "closed_on", zx_json_date(k.closed_on));
    json_object_set_new(o, "closure_mode", k.closure_mode[0] ? json_string(k.closure_mode) : json_null());
    json_object_set_new(o, "closure_reason", k.closure_reason[0] ? json_string(k.closure_reason) : json_null());
    json_object_set_new(o, "claim_fen", json_integer(k.claim_fen));
    json_object_set_new(o, "recovered_fen", json_integer(k.recovered_fen));
    json_object_set_new(o, "outstanding_fen", json_integer(k.claim_fen - k.recovered_fen));
    json_object_set_new(o, "fee_fen", json_integer(k.fee_fen));
    json_object_set_new(o, "has_assets", json_boolean(k.has_assets));
    json_object_set_new(o, "non_litigation", json_boolean(k.non_litigation));
    json_object_set_new(o, "imported", json_boolean(k.imported));
    json_object_set_new(o, "deducted_days", json_integer(k.deducted_days));
    json_object_set_new(o, "extension_days", json_integer(k.extension_days));
    json_object_set_new(o, "extension_months", json_integer(k.extension_months));
    json_object_set_new(o, "limit_date", zx_json_date(k.limit_date));
    json_object_set_new(o, "gate_passed", k.gate_passed < 0 ? json_null() : json_boolean(k.gate_passed));
    json_object_set_new(o, "parent_case_id", zx_json_id(k.parent_case_id));
    json_object_set_new(o, "parent_case_no", case_no_of(c, k.parent_case_id));
    json_t *kids = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, case_no FROM enf_case WHERE parent_case_id = ? ORDER BY id");
    if (s) {
        db_bind_int64(s, 1, k.id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(kids, json_pack("{s:o,s:s}", "id", zx_json_id(db_col_int64(s, 0)), "case_no", db_col_text(s, 1)));
        db_finalize(s);
    }
    json_object_set_new(o, "children", kids);
    json_object_set_new(o, "filed_late", json_boolean(k.filed_late));
    json_object_set_new(o, "basis", json_pack("{s:s?,s:s?,s:s?,s:o,s:s?,s:b}", "kind", k.basis_kind[0] ? k.basis_kind : NULL,
                                              "issuer", k.basis_issuer[0] ? k.basis_issuer : NULL,
                                              "doc_no", k.basis_doc_no[0] ? k.basis_doc_no : NULL,
                                              "effective_on", zx_json_date(k.basis_effective_on),
                                              "act", k.basis_act[0] ? k.basis_act : NULL, "non_litigation",
                                              k.basis_non_litigation));
    json_object_set_new(o, "parties", parties_json(c, k.id, unmask));
    json_object_set_new(o, "clocks", zx_case_clocks_json(c, &k, &ev));
    json_object_set_new(o, "allowed_actions", zx_case_allowed_actions(&k, &ev));
    json_object_set_new(o, "allowed_closures", zx_case_allowed_closures(c, &k, &ev));
    json_object_set_new(o, "allowed_resume_reasons", zx_case_allowed_resume_reasons(&k, &ev));
    json_object_set_new(o, "event_count", json_integer(ev.n));
    zx_case_events_free(&ev);
    (void)who;
    return o;
}
