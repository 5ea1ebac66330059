/* decisions_view.c — lookups for permission checks and the JSON renderers of decisions, entries,
 * deletions, corrections and permits. See decisions.h. */
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "account/court_setting.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/ids.h"
#include "core/log.h"
#include "credit/decisions_internal.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"
#include "rules/restriction.h"

/* ---- lookups and renderers ------------------------------------------------------------------------ */

int zx_cd_object_case(db_conn *c, const char *kind, int64_t id, int64_t *case_id, int64_t *court_id)
{
    const char *sql = !strcmp(kind, "decision") ? "SELECT case_id, court_id FROM credit_decision WHERE id = ?"
                    : !strcmp(kind, "entry")    ? "SELECT e.case_id, k.court_id FROM credit_entry e JOIN enf_case k ON k.id = e.case_id WHERE e.id = ?"
                    : !strcmp(kind, "deletion") ? "SELECT case_id, court_id FROM credit_deletion WHERE id = ?"
                    : !strcmp(kind, "correction") ? "SELECT e.case_id, x.court_id FROM credit_correction x JOIN credit_entry e ON e.id = x.entry_id WHERE x.id = ?"
                    : "SELECT e.case_id, k.court_id FROM credit_permit p JOIN credit_entry e ON e.id = p.entry_id JOIN enf_case k ON k.id = e.case_id WHERE p.id = ?";
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *case_id = db_col_int64(s, 0);
        *court_id = db_col_int64(s, 1);
    }
    db_finalize(s);
    return rc == DB_ROW && *case_id ? 0 : 1;
}

json_t *cd_masked(const char *id, bool unmask)
{
    if (!id || !*id) return json_null();
    if (unmask) return json_string(id);
    char m[19];
    zx_credit_id_mask(id, m);
    return json_string(m);
}

json_t *cd_user_ref(db_conn *c, int64_t uid)
{
    if (!uid) return json_null();
    db_stmt *s = db_prepare(c, "SELECT display_name FROM app_user WHERE id = ?");
    json_t *j = NULL;
    if (s) {
        db_bind_int64(s, 1, uid);
        if (db_step(s) == DB_ROW) j = json_pack("{s:o,s:s?}", "id", jid(uid), "name", db_col_text(s, 0));
        db_finalize(s);
    }
    return j ? j : json_pack("{s:o,s:n}", "id", jid(uid), "name");
}

json_t *zx_cd_decision_json(db_conn *c, int64_t id, bool unmask)
{
    cd_dec d;
    if (cd_dec_load(c, id, &d)) return NULL;
    zx_cd_case k;
    zx_cd_case_load(c, d.case_id, &k);
    const zx_dis_ground *g = zx_dis_ground_get(d.ground);
    json_t *j = json_pack("{s:o,s:s,s:o,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:o,s:b,s:s,s:s,s:o}", "id", jid(d.id),
                          "list", d.list, "case_id", jid(d.case_id), "case_no", k.case_no, "court", k.court_code, "party_id",
                          jid(d.party_id), "person_kind", d.person_kind, "name", d.name, "id_number", cd_masked(d.id_number, unmask),
                          "ground", d.ground ? json_integer(d.ground) : json_null(), "ground_label",
                          g ? json_string(g->label) : json_null(), "categories", jstr_or_null(d.categories), "conduct",
                          jstr_or_null(d.conduct), "grace_months", d.grace_months, "extension_years", d.extension_years,
                          "extension_reason", jstr_or_null(d.extension_reason), "on_application", d.on_application != 0,
                          "status", d.status, "decided_on", d.decided_on, "proposed_by", cd_user_ref(c, d.proposed_by));
    json_object_set_new(j, "approved_on", jstr_or_null(d.approved_on));
    json_object_set_new(j, "approved_by", d.approved_by ? cd_user_ref(c, d.approved_by) : json_null());
    json_object_set_new(j, "served_on", jstr_or_null(d.served_on));
    json_object_set_new(j, "service_method", jstr_or_null(d.service_method));
    json_object_set_new(j, "entry_id", jid(d.entry_id));
    json_object_set_new(j, "auto_from_id", jid(d.auto_from_id));
    struct zx_credit_entry e;
    if (d.entry_id && zx_credit_entry_load(c, d.entry_id, &e) == 0) {
        json_object_set_new(j, "publish_on", json_string(e.publish_on));
        json_object_set_new(j, "term_end", jstr_or_null(e.term_end));
        json_object_set_new(j, "entry_status", json_string(e.status));
    } else {
        json_object_set_new(j, "publish_on", json_null());
        json_object_set_new(j, "term_end", json_null());
    }
    db_stmt *s = db_prepare(c, "SELECT status_note, created_ms FROM credit_decision WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) {
        json_object_set_new(j, "status_note", jstr_or_null(db_col_text(s, 0)));
        json_object_set_new(j, "created_ms", json_integer(db_col_int64(s, 1)));
    }
    db_finalize(s);
    return j;
}

const char *zx_cd_level(zx_date due, zx_date today, int lead)
{
    if (due == ZX_DATE_NONE) return "ok";
    if (due < today) return "overdue";
    if (due - today <= lead) return "warning";
    return "ok";
}

json_t *zx_cd_deletion_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT d.id, d.entry_id, d.case_id, d.trigger_code, d.trigger_on, d.due_on, d.status, d.done_on,"
                               " d.note, e.case_no, e.name FROM credit_deletion d JOIN credit_entry e ON e.id = d.entry_id WHERE d.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        const zx_dis_trigger *t = zx_dis_trigger_get(db_col_text(s, 3));
        zx_date due = pdate(db_col_text(s, 5)), today = zx_today();
        bool done = strcmp(db_col_text(s, 6), "due") != 0;
        j = json_pack("{s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I}", "id", jid(db_col_int64(s, 0)), "entry_id",
                      jid(db_col_int64(s, 1)), "case_id", jid(db_col_int64(s, 2)), "case_no", db_col_text(s, 9), "name",
                      db_col_text(s, 10), "trigger", db_col_text(s, 3), "trigger_label", t ? t->label : "", "article",
                      t ? t->article : "", "trigger_on", db_col_text(s, 4), "due_on", db_col_text(s, 5), "status",
                      json_string(db_col_text(s, 6)), "done_on", jstr_or_null(db_col_text(s, 7)), "level",
                      done ? "ok" : zx_cd_level(due, today, 1), "days_left", (json_int_t)(due - today));
        json_object_set_new(j, "note", jstr_or_null(db_col_text(s, 8)));
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_correction_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT x.id, x.entry_id, e.case_no, e.name, x.applicant_name, x.kind, x.reason, x.received_on,"
                               " x.review_due, x.status, x.decided_on, x.note, x.fix_due, x.fixed_on, x.reconsider_by,"
                               " x.reconsider_filed_on, x.reconsider_due, x.reconsider_decided_on, x.reconsider_note"
                               " FROM credit_correction x JOIN credit_entry e ON e.id = x.entry_id WHERE x.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        j = json_pack("{s:o,s:o}", "id", jid(db_col_int64(s, 0)), "entry_id", jid(db_col_int64(s, 1)));
        static const char *names[] = { "case_no", "name", "applicant_name", "kind", "reason", "received_on", "review_due",
                                       "status", "decided_on", "note", "fix_due", "fixed_on", "reconsider_by",
                                       "reconsider_filed_on", "reconsider_due", "reconsider_decided_on", "reconsider_note" };
        for (int i = 0; i < 17; i++) json_object_set_new(j, names[i], jstr_or_null(db_col_text(s, 2 + i)));
        const char *st = db_col_text(s, 9);
        zx_date due = ZX_DATE_NONE;
        if (!strcmp(st, "pending")) due = pdate(db_col_text(s, 8));
        else if (!strcmp(st, "reconsidering")) due = pdate(db_col_text(s, 16));
        else if ((!strcmp(st, "upheld") || !strcmp(st, "reconsider_upheld")) && db_col_is_null(s, 13)) due = pdate(db_col_text(s, 12));
        json_object_set_new(j, "level", json_string(zx_cd_level(due, zx_today(), 3)));
        json_object_set_new(j, "open_due", due == ZX_DATE_NONE ? json_null() : json_string(db_col_text(s, !strcmp(st, "pending") ? 8 : !strcmp(st, "reconsidering") ? 16 : 12)));
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_permit_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT id, entry_id, kind, categories, from_on, to_on, reason, status, created_by, pending, approved_by"
                               " FROM credit_permit WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        json_t *cats = json_array();
        char buf[256];
        cpy(buf, sizeof buf, db_col_text(s, 3));
        for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) json_array_append_new(cats, json_string(t));
        const char *st = db_col_text(s, 7);
        bool pending = db_col_int64(s, 9) != 0; /* waiting for the 院长 (法发〔2019〕35号 para 17(3)) */
        bool expired = !strcmp(st, "active") && pdate(db_col_text(s, 5)) < zx_today();
        int64_t uid = db_col_int64(s, 8), approver = db_col_int64(s, 10);
        if (pending && !strcmp(st, "active")) st = "pending";
        j = json_pack("{s:o,s:o,s:s,s:o,s:s,s:s,s:s,s:s}", "id", jid(db_col_int64(s, 0)), "entry_id", jid(db_col_int64(s, 1)),
                      "kind", db_col_text(s, 2), "categories", cats, "from", db_col_text(s, 4), "to", db_col_text(s, 5), "reason",
                      db_col_text(s, 6), "status", expired ? "expired" : st);
        db_finalize(s);
        json_object_set_new(j, "created_by", cd_user_ref(c, uid));
        json_object_set_new(j, "approved_by", approver ? cd_user_ref(c, approver) : json_null());
        return j;
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_entry_json(db_conn *c, int64_t id, bool unmask)
{
    struct zx_credit_entry e;
    if (zx_credit_entry_load(c, id, &e)) return NULL;
    json_t *j = zx_credit_entry_json(&e);
    json_object_set_new(j, "id", jid(e.id));
    json_object_set_new(j, "case_id", jid(e.case_id));
    json_object_set_new(j, "bound_by_entry_id", jid(e.bound_by_entry_id));
    json_object_set_new(j, "id_number", cd_masked(e.id_number, unmask));
    db_stmt *s = db_prepare(c, "SELECT decision_id, extension_years, party_id FROM credit_entry WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) {
        json_object_set_new(j, "decision_id", jid(db_col_int64(s, 0)));
        json_object_set_new(j, "extension_years", json_integer(db_col_int64(s, 1)));
        json_object_set_new(j, "party_id", jid(db_col_int64(s, 2)));
    }
    db_finalize(s);
    zx_date today = zx_today(), pub = pdate(e.publish_on);
    json_object_set_new(j, "effective", json_boolean(zx_dis_effective(e.status, pub, pdate(e.term_end), today)));
    json_object_set_new(j, "days_to_publish", json_integer(pub > today ? pub - today : 0));
    json_t *permits = json_array();
    int64_t pids[32];
    int n = 0;
    s = db_prepare(c, "SELECT id FROM credit_permit WHERE entry_id = ? ORDER BY from_on");
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW && n < 32) pids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *p = zx_cd_permit_json(c, pids[i]);
        if (p) json_array_append_new(permits, p);
    }
    json_object_set_new(j, "permits", permits);
    int64_t did = cd_count2(c, "SELECT COALESCE(MAX(id), 0) FROM credit_deletion WHERE entry_id = ?", id, NULL, NULL);
    json_t *del = did > 0 ? zx_cd_deletion_json(c, did) : NULL;
    json_object_set_new(j, "deletion", del ? del : json_null());
    return j;
}

void zx_cd_repair_rules(db_conn *c, int64_t court_id, zx_repair_rules *out)
{
    *out = (zx_repair_rules){ .enabled = false, .after_months = 6, .min_percent = 50, .require_full = false };
    /* The court's own local rules, else its nearest ancestor's, else the default (issue 10 item 2). */
    int64_t from = 0;
    char *txt = zx_court_setting_get(c, court_id, "credit.repair", &from);
    if (txt) {
        json_t *j = json_loads(txt, 0, NULL);
        if (j) {
            out->enabled = json_is_true(json_object_get(j, "enabled"));
            if (json_is_integer(json_object_get(j, "early_deletion_after_months")))
                out->after_months = (int)json_integer_value(json_object_get(j, "early_deletion_after_months"));
            if (json_is_integer(json_object_get(j, "min_performed_percent")))
                out->min_percent = (int)json_integer_value(json_object_get(j, "min_performed_percent"));
            out->require_full = json_is_true(json_object_get(j, "require_full_performance"));
            json_decref(j);
        }
        free(txt);
    }
}
