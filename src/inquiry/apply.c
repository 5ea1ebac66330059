/* apply.c — a verified answer batch becomes state: request rows done, assets found (normalised),
 * controls confirmed / queued / renewed / released, deductions posted into the case account through
 * the ledger as an arrival, the case events, one audit record — all in the caller's transaction.
 * Failures go back to the outbox with backoff (or end as 'failed' with the reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "funds/ledger.h"
#include "inquiry/inquiry.h"
#include "notify/notify.h"

struct row {
    int64_t id, case_id, court_id, inquiry_id, party_id, asset_id, control_id, amount_fen, institution_id, attempts, acked_ms;
    char op[16], state[16];
};

static int load_row(db_conn *c, int64_t id, struct row *r)
{
    db_stmt *s = db_prepare(c, "SELECT op, case_id, court_id, inquiry_id, party_id, asset_id, control_id, amount_fen, state,"
                               " attempts, institution_id, acked_ms FROM inquiry_request WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        memset(r, 0, sizeof *r);
        r->id = id;
        snprintf(r->op, sizeof r->op, "%s", db_col_text(s, 0));
        r->case_id = db_col_int64(s, 1);
        r->court_id = db_col_int64(s, 2);
        r->inquiry_id = db_col_int64(s, 3);
        r->party_id = db_col_int64(s, 4);
        r->asset_id = db_col_int64(s, 5);
        r->control_id = db_col_int64(s, 6);
        r->amount_fen = db_col_int64(s, 7);
        snprintf(r->state, sizeof r->state, "%s", db_col_text(s, 8));
        r->attempts = db_col_int64(s, 9);
        r->institution_id = db_col_int64(s, 10);
        r->acked_ms = db_col_int64(s, 11);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : 1;
}

static int exec1(db_conn *c, const char *sql, int64_t a, int64_t b)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    if (b != INT64_MIN) db_bind_int64(s, 2, b);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- lock order ------------------------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Take the row locks of every query run the given requests belong to, in ascending id order, before
 * anything else is written. Answers of one run arrive from many institutions at once (the dispatcher's
 * batches and the registries' callbacks, each in its own transaction); each transaction used to update
 * the runs' counters in answer order and write the audit head in between, and PostgreSQL ended the
 * crossing ones as deadlock victims (40P01). Same order everywhere = no cycle. On SQLite the writer
 * lock already serialises; the no-op updates cost little. */
static int lock_inquiries(db_conn *c, json_t *answers, const int64_t *ids, const int64_t *inq_ids, int n)
{
    size_t na = answers ? json_array_size(answers) : 0, cap = na + (size_t)n;
    if (!cap) return 0;
    int64_t *rq = malloc(cap * sizeof *rq), *iq = malloc(cap * sizeof *iq);
    if (!rq || !iq) {
        free(rq);
        free(iq);
        return -1;
    }
    size_t nr = 0, ni = 0;
    int rc = 0;
    if (inq_ids) /* the dispatcher knows its rows' runs (claimed with them; a request's run never changes) */
        for (int j = 0; j < n; j++) {
            if (inq_ids[j]) iq[ni++] = inq_ids[j];
        }
    else {
        for (size_t i = 0; i < na; i++) {
            const char *rid = json_string_value(json_object_get(json_array_get(answers, i), "request_id"));
            int64_t id = rid ? strtoll(rid, NULL, 10) : 0;
            if (id > 0) rq[nr++] = id;
        }
        for (int j = 0; j < n; j++) rq[nr++] = ids[j];
        for (size_t i = 0; rc == 0 && i < nr; i++) {
            db_stmt *s = db_prepare(c, "SELECT inquiry_id FROM inquiry_request WHERE id = ?");
            if (!s) {
                rc = -1;
                break;
            }
            db_bind_int64(s, 1, rq[i]);
            if (db_step(s) == DB_ROW && db_col_int64(s, 0)) iq[ni++] = db_col_int64(s, 0);
            db_finalize(s);
        }
    }
    qsort(iq, ni, sizeof *iq, cmp_i64);
    for (size_t i = 0; rc == 0 && i < ni; i++) {
        if (i && iq[i] == iq[i - 1]) continue;
        rc = exec1(c, "UPDATE inquiry SET answered = answered WHERE id = ?", iq[i], INT64_MIN);
    }
    free(rq);
    free(iq);
    return rc;
}

int zx_inq_lock_runs(db_conn *c, const int64_t *inquiry_ids, int n)
{
    return n > 0 ? lock_inquiries(c, NULL, NULL, inquiry_ids, n) : 0;
}

/* The signed answer as received, stored once (inquiry_answer, migration 051). Returns its id, 0 when
 * there is no body (the demo's history), < 0 on a store error. */
static int64_t store_answer(db_conn *c, int64_t institution_id, const char *via, const char *body, size_t len,
                            const char *sig)
{
    if (!body) return 0;
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO inquiry_answer (id, institution_id, via, received_ms, body, sig)"
                               " VALUES (?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, institution_id);
    db_bind_text(s, 3, via, -1);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_text(s, 5, body, (int)len);
    db_bind_text(s, 6, sig && *sig ? sig : NULL, -1);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? id : -1;
}

/* ---- finishing a query run: case event, has_assets, clocks, the applicant told (re-inquiry) ---- */

static int finish_inquiry(db_conn *c, int64_t inquiry_id)
{
    db_stmt *s = db_prepare(c, "SELECT case_id, trigger_kind, total, answered, failed, found, status FROM inquiry WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, inquiry_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return 0;
    }
    int64_t case_id = db_col_int64(s, 0), total = db_col_int64(s, 2), answered = db_col_int64(s, 3),
            failed = db_col_int64(s, 4), found = db_col_int64(s, 5);
    char trigger[16];
    snprintf(trigger, sizeof trigger, "%s", db_col_text(s, 1));
    bool running = !strcmp(db_col_text(s, 6), "running");
    db_finalize(s);
    if (!running || answered + failed < total) return 0;
    if (exec1(c, "UPDATE inquiry SET status = 'done', finished_ms = ? WHERE id = ?", zx_now_ms(), inquiry_id)) return -1;

    /* the kinds answered (for the 终本 gate: 终本规定 art 3 names deposits, vehicles, real estate,
     * securities …): complete when every gate kind with a registered institution was answered */
    json_t *done_kinds = json_array();
    bool complete = true;
    for (int i = 0; i < zx_inq_nkinds; i++) {
        s = db_prepare(c, "SELECT COUNT(*), SUM(CASE WHEN r.state = 'done' THEN 1 ELSE 0 END) FROM inquiry_request r"
                          " JOIN inquiry_institution n ON n.id = r.institution_id WHERE r.inquiry_id = ? AND n.kind = ?");
        if (!s) break;
        db_bind_int64(s, 1, inquiry_id);
        db_bind_text(s, 2, zx_inq_kinds[i].kind, -1);
        int64_t asked = 0, ok = 0;
        if (db_step(s) == DB_ROW) asked = db_col_int64(s, 0), ok = db_col_int64(s, 1);
        db_finalize(s);
        if (ok > 0) json_array_append_new(done_kinds, json_string(zx_inq_kinds[i].kind));
        else if (zx_inq_kinds[i].gate) {
            if (asked > 0) complete = false;
            else { /* not asked: only a gap if such an institution is registered */
                s = db_prepare(c, "SELECT COUNT(*) FROM inquiry_institution WHERE kind = ? AND enabled = 1");
                if (s) {
                    db_bind_text(s, 1, zx_inq_kinds[i].kind, -1);
                    if (db_step(s) == DB_ROW && db_col_int64(s, 0) > 0) complete = false;
                    db_finalize(s);
                }
            }
        }
    }
    char items[200], iid[24];
    snprintf(items, sizeof items, "向 %lld 家机构查询，%lld 家已答复，%lld 家失败；发现财产 %lld 项", (long long)total,
             (long long)answered, (long long)failed, (long long)found);
    snprintf(iid, sizeof iid, "%lld", (long long)inquiry_id);
    json_t *data = json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:s}", "result", found > 0 ? "found" : "none", "items", items,
                             "inquiry_id", iid, "trigger", trigger, "kinds", done_kinds, "complete", complete, "source",
                             "system");
    zx_case k;
    int rc = zx_case_load(c, case_id, &k);
    if (rc != 0) {
        json_decref(data);
        return rc < 0 ? -1 : 0;
    }
    zx_case_events ev;
    if (zx_case_events_load(c, case_id, &ev)) {
        json_decref(data);
        return -1;
    }
    bool open = strcmp(k.status, "closed") != 0;
    if (found > 0 && open) k.has_assets = true;
    if (open && !strcmp(k.stage, "filing")) snprintf(k.stage, sizeof k.stage, "property_inquiry");
    int64_t eid = zx_case_event_add(c, &ev, case_id, 0, "network_inquiry", k.stage, zx_today(), data, NULL);
    json_decref(data);
    rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    if (rc) return -1;

    if (!strcmp(trigger, "reinquiry")) { /* 终本规定 art 9: the applicant is told the result */
        s = db_prepare(c, "SELECT phone_enc, name FROM case_party WHERE case_id = ? AND role = 'applicant'"
                          " AND phone_enc IS NOT NULL ORDER BY ord LIMIT 1");
        if (s) {
            db_bind_int64(s, 1, case_id);
            char *sealed = NULL;
            if (db_step(s) == DB_ROW && (sealed = zx_pii_col(s, 0, ZX_PII_PHONE)) && *sealed) {
                char *phone = strdup(sealed), *name = strdup(db_col_text(s, 1)), key[64], text[200];
                zx_pii_free(sealed);
                db_finalize(s);
                snprintf(key, sizeof key, "inquiry_result:%lld", (long long)inquiry_id);
                if (found > 0)
                    snprintf(text, sizeof text, "本院已依法定期通过网络执行查控系统查询被执行人财产，发现财产%lld项，将依法处理。",
                             (long long)found);
                else
                    snprintf(text, sizeof text, "本院已依法定期通过网络执行查控系统查询被执行人财产，暂未发现可供执行的财产。");
                json_t *p = json_pack("{s:s,s:s,s:s}", "name", name ? name : "", "case_no", k.case_no, "text", text);
                free(name);
                int64_t nid = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone,
                                                                     .template_name = "case_notice", .params = p,
                                                                     .case_id = case_id, .dedup_key = key });
                if (nid == ZX_NOTIFY_EINVAL) LOG_WARN("inquiry: notification template case_notice refused");
                json_decref(p);
                free(phone);
                if (nid < 0 && nid != ZX_NOTIFY_EINVAL) return -1;
            } else {
                zx_pii_free(sealed);
                db_finalize(s);
            }
        }
    }
    return 0;
}

/* ---- assets --------------------------------------------------------------------------------- */

static bool sealed_kind(const char *kind, const char *ident)
{
    if (strcmp(kind, "deposit") && strcmp(kind, "online_payment") && strcmp(kind, "provident_fund")) return false;
    for (const char *p = ident; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return *ident != 0;
}

static int upsert_asset(db_conn *c, const struct row *r, int64_t institution_id, const char *kind, int64_t party_id,
                        json_t *a)
{
    const char *ident = json_string_value(json_object_get(a, "identifier"));
    json_t *v = json_object_get(a, "value_fen");
    if (!ident || !*ident || strlen(ident) > 200 || (v && !json_is_integer(v))) return 1; /* malformed: skipped */
    int64_t value = json_integer_value(v);
    if (value < 0) value = 0;
    bool seal = sealed_kind(kind, ident);
    char key[ZX_PII_INDEX_HEX], ka[ZX_PII_INDEX_HEX], kb[ZX_PII_INDEX_HEX];
    zx_pii_index(seal ? ZX_PII_BANK_ACCOUNT : ZX_PII_ADDRESS, ident, key);
    zx_pii_index_pair(seal ? ZX_PII_BANK_ACCOUNT : ZX_PII_ADDRESS, ident, ka, kb);
    if (strcmp(ka, kb) != 0) {
        /* an index-key rotation is under way (core/pii.h): the same asset may still be stored under
         * the other form — bring it to the written form so the upsert below finds it (no duplicate) */
        db_stmt *m = db_prepare(c, "UPDATE asset SET identifier_key = ? WHERE case_id = ? AND institution_id = ? AND identifier_key = ?");
        if (!m) return -1;
        db_bind_text(m, 1, key, -1);
        db_bind_int64(m, 2, r->case_id);
        db_bind_int64(m, 3, institution_id);
        db_bind_text(m, 4, strcmp(key, ka) ? ka : kb, -1);
        int mrc = db_step(m);
        db_finalize(m);
        if (mrc != DB_DONE) return -1;
    }
    char *shown = seal ? zx_pii_mask(ZX_PII_BANK_ACCOUNT, ident) : strdup(ident);
    json_t *enc = json_object_get(a, "encumbrances");
    char *enc_txt = json_is_array(enc) ? json_dumps(enc, JSON_COMPACT) : strdup("[]");
    const char *desc = json_string_value(json_object_get(a, "description"));
    const char *owner = json_string_value(json_object_get(a, "owner"));
    const char *rel = json_string_value(json_object_get(a, "related_code"));
    int64_t now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO asset (id, case_id, court_id, party_id, institution_id, kind, identifier,"
                               " identifier_enc, identifier_key, description, owner_name, value_fen, encumbrances, divisible,"
                               " related_code, status, found_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                               " 'found', ?, ?) ON CONFLICT (case_id, institution_id, identifier_key) DO UPDATE SET"
                               " value_fen = excluded.value_fen, encumbrances = excluded.encumbrances,"
                               " description = excluded.description, updated_ms = excluded.updated_ms");
    int rc = -1;
    if (s && shown && enc_txt) {
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, r->case_id);
        db_bind_int64(s, 3, r->court_id);
        db_bind_int64(s, 4, party_id);
        db_bind_int64(s, 5, institution_id);
        db_bind_text(s, 6, kind, -1);
        db_bind_text(s, 7, shown, -1);
        if (seal) zx_pii_bind(s, 8, ZX_PII_BANK_ACCOUNT, ident);
        else db_bind_null(s, 8);
        db_bind_text(s, 9, key, -1);
        db_bind_text(s, 10, desc, -1);
        db_bind_text(s, 11, owner, -1);
        db_bind_int64(s, 12, value);
        db_bind_text(s, 13, enc_txt, -1);
        db_bind_int64(s, 14, json_is_false(json_object_get(a, "divisible")) ? 0 : 1);
        db_bind_text(s, 15, rel, -1);
        db_bind_int64(s, 16, now);
        db_bind_int64(s, 17, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
    }
    if (s) db_finalize(s);
    free(shown);
    free(enc_txt);
    return rc;
}

static int apply_query(db_conn *c, const struct row *r, int64_t institution_id, const char *kind, json_t *a,
                       int64_t *found)
{
    size_t i, j;
    json_t *sub, *as;
    *found = 0;
    json_array_foreach(json_object_get(a, "subjects"), i, sub)
    {
        const char *ref = json_string_value(json_object_get(sub, "ref"));
        int64_t pid = ref ? strtoll(ref, NULL, 10) : 0;
        if (!json_array_size(json_object_get(sub, "assets"))) continue; /* nothing found for this subject */
        /* only a debtor of this case (an answer cannot attach assets to anyone else) */
        db_stmt *s = db_prepare(c, "SELECT 1 FROM case_party WHERE id = ? AND case_id = ? AND role = 'debtor'");
        if (!s) return -1;
        db_bind_int64(s, 1, pid);
        db_bind_int64(s, 2, r->case_id);
        bool ok = db_step(s) == DB_ROW;
        db_finalize(s);
        if (!ok) continue;
        json_array_foreach(json_object_get(sub, "assets"), j, as)
        {
            int rc = upsert_asset(c, r, institution_id, kind, pid, as);
            if (rc < 0) return -1;
            if (rc == 0) (*found)++;
        }
    }
    return 0;
}

/* ---- controls -------------------------------------------------------------------------------- */

static int control_event(db_conn *c, const struct row *r, const char *measure, int64_t amount, const char *until)
{
    char target[300] = "", aid[24];
    db_stmt *s = db_prepare(c, "SELECT identifier, description FROM asset WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, r->asset_id);
    if (db_step(s) == DB_ROW)
        snprintf(target, sizeof target, "%s %s", db_col_text(s, 0), db_col_text(s, 1) ? db_col_text(s, 1) : "");
    db_finalize(s);
    snprintf(aid, sizeof aid, "%lld", (long long)r->asset_id);
    json_t *d = json_pack("{s:s,s:s,s:I,s:s,s:s}", "measure", measure, "target", target, "amount_fen", (json_int_t)amount,
                          "asset_id", aid, "source", "system");
    if (until) json_object_set_new(d, "until", json_string(until));
    zx_case k;
    if (zx_case_load(c, r->case_id, &k) != 0) {
        json_decref(d);
        return -1;
    }
    bool open = strcmp(k.status, "closed") != 0;
    bool takes = !strcmp(measure, "freeze") || !strcmp(measure, "seize"); /* not renew / release / deduct / lapse */
    if (open && takes && (!strcmp(k.stage, "filing") || !strcmp(k.stage, "property_inquiry")))
        snprintf(k.stage, sizeof k.stage, "property_control");
    /* with the case's clocks: each control is a 续行 deadline on the handler's to-do (case_clocks.c) */
    zx_case_events ev;
    if (zx_case_events_load(c, r->case_id, &ev)) {
        json_decref(d);
        return -1;
    }
    int64_t eid = zx_case_event_add(c, &ev, r->case_id, 0, "control_measure", k.stage, zx_today(), d, NULL);
    json_decref(d);
    if (open) k.has_assets = true;
    int rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    return rc;
}

static int apply_control(db_conn *c, const struct row *r, const char *kind, json_t *a, bool done)
{
    json_t *ctl = json_object_get(a, "control");
    const char *cst = json_string_value(json_object_get(ctl, "status"));
    const char *until = json_string_value(json_object_get(ctl, "until"));
    int64_t now = zx_now_ms();
    const struct zx_inq_kind *k = zx_inq_kind(kind);
    bool seizure = k && !strcmp(k->control, "seizure");
    if (!done) {
        if (!strcmp(r->op, "freeze")) {
            if (exec1(c, "UPDATE asset_control SET status = 'failed', updated_ms = ? WHERE id = ?", now, r->control_id)) return -1;
        }
        return 0;
    }
    if (!strcmp(r->op, "freeze")) {
        int64_t frozen = json_integer_value(json_object_get(ctl, "frozen_fen"));
        int64_t pos = json_integer_value(json_object_get(ctl, "queue_pos"));
        const char *st = cst && !strcmp(cst, "queued") ? "queued" : "active";
        char today[11];
        zx_date_format(zx_today(), today);
        db_stmt *s = db_prepare(c, "UPDATE asset_control SET confirmed_fen = ?, status = ?, queue_pos = ?, start_on = ?,"
                                   " updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, frozen);
        db_bind_text(s, 2, st, -1);
        db_bind_int64(s, 3, pos);
        db_bind_text(s, 4, today, -1);
        db_bind_int64(s, 5, now);
        db_bind_int64(s, 6, r->control_id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        s = db_prepare(c, "UPDATE asset SET status = ?, updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_text(s, 1, !strcmp(st, "queued") ? "queued" : seizure ? "seized" : "frozen", -1);
        db_bind_int64(s, 2, now);
        db_bind_int64(s, 3, r->asset_id);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        return control_event(c, r, seizure ? "seize" : "freeze", frozen, until);
    }
    if (!strcmp(r->op, "renew")) {
        db_stmt *s = db_prepare(c, "UPDATE asset_control SET until_on = ?, renewals = renewals + 1, updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_text(s, 1, until, -1);
        db_bind_int64(s, 2, now);
        db_bind_int64(s, 3, r->control_id);
        int rc = db_step(s);
        db_finalize(s);
        return rc == DB_DONE ? control_event(c, r, "renew", 0, until) : -1;
    }
    if (!strcmp(r->op, "release")) {
        if (exec1(c, "UPDATE asset_control SET status = 'released', updated_ms = ? WHERE id = ?", now, r->control_id))
            return -1;
        db_stmt *s = db_prepare(c, "UPDATE asset SET status = 'released', updated_ms = ? WHERE id = ? AND NOT EXISTS"
                                   " (SELECT 1 FROM asset_control WHERE asset_id = ? AND status IN ('active','queued','requested'))");
        if (!s) return -1;
        db_bind_int64(s, 1, now);
        db_bind_int64(s, 2, r->asset_id);
        db_bind_int64(s, 3, r->asset_id);
        int rc = db_step(s);
        db_finalize(s);
        return rc == DB_DONE ? control_event(c, r, "release", 0, NULL) : -1;
    }
    if (!strcmp(r->op, "deduct")) {
        int64_t amount = json_integer_value(json_object_get(a, "deducted_fen"));
        if (amount <= 0 || amount > r->amount_fen) return 1; /* not what was asked: recorded as rejected */
        db_stmt *s = db_prepare(c, "UPDATE asset_control SET deducted_fen = deducted_fen + ?, updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, amount);
        db_bind_int64(s, 2, now);
        db_bind_int64(s, 3, r->control_id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        s = db_prepare(c, "UPDATE asset SET value_fen = CASE WHEN value_fen > ? THEN value_fen - ? ELSE 0 END,"
                          " status = 'deducted', updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, amount);
        db_bind_int64(s, 2, amount);
        db_bind_int64(s, 3, now);
        db_bind_int64(s, 4, r->asset_id);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        /* the money arrives in the case account: the ledger's one arrival path, keyed by request id */
        char ref[48], remark[200], owner[200] = "";
        snprintf(ref, sizeof ref, "inquiry-deduct-%lld", (long long)r->id);
        s = db_prepare(c, "SELECT a.owner_name, n.name FROM asset a JOIN inquiry_institution n ON n.id = a.institution_id"
                          " WHERE a.id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, r->asset_id);
        snprintf(remark, sizeof remark, "网络执行查控扣划");
        if (db_step(s) == DB_ROW) {
            snprintf(owner, sizeof owner, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
            snprintf(remark, sizeof remark, "网络执行查控扣划（%s）", db_col_text(s, 1));
        }
        db_finalize(s);
        zx_funds_arrival_in in = { .source = "deduction", .bank_ref = ref, .court_id = r->court_id,
                                   .case_id = r->case_id, .amount_fen = amount, .payer_name = owner[0] ? owner : NULL,
                                   .remark = remark, .user_id = 0 };
        zx_funds_arrival_out out;
        char err[200] = "";
        rc = zx_funds_arrival(c, &in, &out, err, sizeof err);
        if (rc < 0) {
            LOG_ERROR("inquiry: deduction %lld not posted to the ledger: %s", (long long)r->id, err);
            return -1;
        }
        return control_event(c, r, "deduct", amount, NULL);
    }
    return 0;
}

/* A control past its legal end date without renewal lapses (民诉解释 art 485: renewal must come
 * before expiry): the register says so, the asset is free again for this case (unless another of the
 * case's controls still holds it), the case records it (control_measure "lapse") and the audit trail
 * too — one transaction, the caller's. 0 done, 1 nothing to do (renewed or settled meanwhile), < 0. */
int zx_inq_lapse_control(db_conn *c, int64_t control_id, zx_date today)
{
    char td[11];
    zx_date_format(today, td);
    db_stmt *s = db_prepare(c, "SELECT asset_id, case_id, court_id, until_on FROM asset_control WHERE id = ?"
                               " AND status IN ('active','queued') AND until_on < ?");
    if (!s) return -1;
    db_bind_int64(s, 1, control_id);
    db_bind_text(s, 2, td, -1);
    struct row r = { 0 };
    char until[11] = "";
    int rc = db_step(s);
    if (rc == DB_ROW) {
        r.asset_id = db_col_int64(s, 0);
        r.case_id = db_col_int64(s, 1);
        r.court_id = db_col_int64(s, 2);
        snprintf(until, sizeof until, "%s", db_col_text(s, 3));
    }
    db_finalize(s);
    if (rc != DB_ROW) return rc == DB_DONE ? 1 : -1;
    zx_case k; /* lock order: the audit head, then the case row (PostgreSQL), before any write */
    if (zx_case_load(c, r.case_id, &k) < 0) return -1;
    int64_t now = zx_now_ms();
    s = db_prepare(c, "UPDATE asset_control SET status = 'lapsed', updated_ms = ? WHERE id = ? AND status IN ('active','queued')");
    if (!s) return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, control_id);
    rc = db_step(s);
    int64_t changed = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (!changed) return 1;
    s = db_prepare(c, "UPDATE asset SET status = 'found', updated_ms = ? WHERE id = ? AND status IN ('frozen','seized','queued')"
                      " AND NOT EXISTS (SELECT 1 FROM asset_control WHERE asset_id = ? AND case_id = ?"
                      " AND status IN ('active','queued','requested'))");
    if (!s) return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, r.asset_id);
    db_bind_int64(s, 3, r.asset_id);
    db_bind_int64(s, 4, r.case_id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || control_event(c, &r, "lapse", 0, until)) return -1;
    char oid[24], detail[120];
    snprintf(oid, sizeof oid, "%lld", (long long)control_id);
    snprintf(detail, sizeof detail, "{\"case_id\":\"%lld\",\"until\":\"%s\"}", (long long)r.case_id, until);
    zx_audit_rec rec = { .user_id = 0, .username = "system", .action = "asset.lapse", .object_type = "asset_control",
                         .object_id = oid, .result = "ok", .detail = detail };
    return zx_audit_write(c, &rec) ? -1 : 0;
}

/* ---- batches ------------------------------------------------------------------------------- */

/* An acknowledgement ({"status":"accepted"}): the institution answers later (callback; polling as the
 * fallback — the same request id sent again on a backoff schedule, zx_inq_poll_delay). The request
 * waits within its institution's answer window (registry data, zx_inq_answer_window): NO_ANSWER only
 * once the window since the first acknowledgement has passed — a registry that answers in days is
 * given days, however many polls that takes. */
static int ack_row(db_conn *c, const struct row *r, json_t *a, int64_t now, int bump, int64_t sent_ms)
{
    int64_t expect, window, acked = r->acked_ms ? r->acked_ms : now, attempts = r->attempts + bump;
    if (zx_inq_answer_window(c, r->institution_id, &expect, &window)) return -1;
    if (now - acked >= window) return zx_inq_fail_batch(c, &r->id, 1, "NO_ANSWER", "机构已受理但未在答复期限内答复", 0, 0);
    int64_t wait = zx_inq_poll_delay(expect, window, (int)(attempts > 1 ? attempts - 1 : 0), now - acked);
    int64_t asked = json_integer_value(json_object_get(a, "poll_after_ms"));
    if (asked > wait) wait = asked;
    if (now + wait > acked + window) wait = acked + window - now; /* the last poll at the deadline */
    db_stmt *s = db_prepare(c, "UPDATE inquiry_request SET state = 'acked', acked_ms = ?, next_ms = ?, attempts = ?,"
                               " sent_ms = COALESCE(?, sent_ms) WHERE id = ? AND state IN ('pending', 'sent', 'acked')");
    if (!s) return -1;
    db_bind_int64(s, 1, acked);
    db_bind_int64(s, 2, now + wait);
    db_bind_int64(s, 3, attempts);
    if (sent_ms) db_bind_int64(s, 4, sent_ms);
    else db_bind_null(s, 4);
    db_bind_int64(s, 5, r->id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

struct counts {
    int done, rejected, unknown, dup, acked;
};

/* Apply answers. ids/n: the requests of the batch these answers reply to (a synchronous exchange); ids
 * NULL: a callback — any request of this institution still waiting (sent / acked) may be answered. */
static int apply_answers(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers, int64_t answer_id,
                         const int64_t *ids, int n, int64_t sent_ms, struct counts *k, bool *mentioned)
{
    int64_t now = zx_now_ms();
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a)
    {
        const char *rid = json_string_value(json_object_get(a, "request_id"));
        int64_t id = rid ? strtoll(rid, NULL, 10) : 0;
        bool mine = ids == NULL;
        if (ids && i < (size_t)n && ids[i] == id) { /* answers come in request order: no search */
            mine = true;
            if (mentioned) mentioned[i] = true;
        }
        for (int j = 0; ids && j < n && !mine; j++)
            if (ids[j] == id) {
                mine = true;
                if (mentioned) mentioned[j] = true;
            }
        struct row r;
        if (!mine || load_row(c, id, &r) != 0 || r.institution_id != institution_id) {
            k->unknown++; /* an answer for a request not in this batch / not asked of this institution: ignored */
            continue;
        }
        /* still waiting: a batch's own rows (pending, or acked being polled — the dispatcher writes
         * nothing when it sends; 'sent' = claimed the old way); a callback's rows sent or acked */
        bool waiting = !strcmp(r.state, "sent") || !strcmp(r.state, "acked") || (ids && !strcmp(r.state, "pending"));
        int bump = ids && strcmp(r.state, "sent") != 0; /* this send counted now */
        if (!waiting) {
            k->dup++; /* already settled (a repeated answer, a replayed callback): nothing applied again */
            continue;
        }
        const char *st = json_string_value(json_object_get(a, "status"));
        if (st && !strcmp(st, "accepted")) { /* acknowledged: the answer comes later */
            if (!ids) { /* a callback must carry answers, not acknowledgements */
                k->unknown++;
                continue;
            }
            if (ack_row(c, &r, a, now, bump, sent_ms)) return -1;
            k->acked++;
            continue;
        }
        bool done = st && !strcmp(st, "done");
        const char *result = "rejected";
        int64_t found = 0;
        if (done && !strcmp(r.op, "query")) {
            if (apply_query(c, &r, institution_id, inst_kind, a, &found)) return -1;
            result = found ? "found" : "none";
        } else if (!strcmp(r.op, "query")) {
            result = "rejected";
        } else {
            /* A control request has no run whose lock serialises its answers: a registry's callback and a
             * poll's answer can race (two transactions that both read 'acked'). Claim the row first with a
             * conditional write — on PostgreSQL the second waits for the first's commit, re-reads the row
             * as settled and changes nothing — so a freeze, release or deduction is applied once. */
            db_stmt *cs = db_prepare(c, ids ? "UPDATE inquiry_request SET state = 'done' WHERE id = ? AND state IN ('sent', 'acked', 'pending')"
                                            : "UPDATE inquiry_request SET state = 'done' WHERE id = ? AND state IN ('sent', 'acked')");
            if (!cs) return -1;
            db_bind_int64(cs, 1, id);
            int crc = db_step(cs);
            int64_t claimed = crc == DB_DONE ? db_changes(cs) : -1;
            db_finalize(cs);
            if (claimed < 0) return -1;
            if (claimed == 0) {
                k->dup++;
                continue;
            }
            int rc = apply_control(c, &r, inst_kind, a, done);
            if (rc < 0) return -1;
            if (rc == 1) done = false, apply_control(c, &r, inst_kind, a, false);
            result = done ? "ok" : "rejected";
        }
        done ? k->done++ : k->rejected++;
        const char *ecode = json_string_value(json_object_get(json_object_get(a, "error"), "code"));
        const char *emsg = json_string_value(json_object_get(json_object_get(a, "error"), "message"));
        char errtxt[300] = "";
        if (!done) snprintf(errtxt, sizeof errtxt, "%s：%s", ecode ? ecode : "REJECTED", emsg ? emsg : "机构拒绝");
        db_stmt *s = db_prepare(c, "UPDATE inquiry_request SET state = 'done', answered_ms = ?, result = ?, answer_id = ?,"
                                   " error = ?, attempts = attempts + ?, sent_ms = COALESCE(?, sent_ms) WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, now);
        db_bind_text(s, 2, result, -1);
        if (answer_id) db_bind_int64(s, 3, answer_id);
        else db_bind_null(s, 3);
        if (errtxt[0]) db_bind_text(s, 4, errtxt, -1);
        else db_bind_null(s, 4);
        db_bind_int64(s, 5, bump);
        if (sent_ms && bump) db_bind_int64(s, 6, sent_ms);
        else db_bind_null(s, 6);
        db_bind_int64(s, 7, id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        if (r.inquiry_id) {
            s = db_prepare(c, done ? "UPDATE inquiry SET answered = answered + 1, found = found + ? WHERE id = ?"
                                   : "UPDATE inquiry SET failed = failed + 1, found = found + ? WHERE id = ?");
            if (!s) return -1;
            db_bind_int64(s, 1, found);
            db_bind_int64(s, 2, r.inquiry_id);
            rc = db_step(s);
            db_finalize(s);
            if (rc != DB_DONE || finish_inquiry(c, r.inquiry_id)) return -1;
        }
    }
    return 0;
}

static int audit_answers(db_conn *c, int64_t institution_id, const char *action, int n, const struct counts *k)
{
    char detail[200], oid[24];
    snprintf(detail, sizeof detail, "{\"requests\":%d,\"done\":%d,\"rejected\":%d,\"acked\":%d,\"repeated\":%d,\"ignored\":%d}", n,
             k->done, k->rejected, k->acked, k->dup, k->unknown);
    snprintf(oid, sizeof oid, "%lld", (long long)institution_id);
    zx_audit_rec rec = { .user_id = 0, .username = "system", .action = action, .object_type = "institution",
                         .object_id = oid, .result = "ok", .detail = detail };
    return zx_audit_write(c, &rec);
}

int zx_inq_apply_rows(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers, const char *answer_text,
                      size_t answer_len, const char *answer_sig, const int64_t *ids, const int64_t *inquiry_ids, int n,
                      int64_t sent_ms)
{
    struct counts k = { 0 };
    bool *mentioned = calloc((size_t)(n ? n : 1), sizeof *mentioned);
    if (!mentioned) return -1;
    int64_t answer_id = 0;
    if (lock_inquiries(c, NULL, ids, inquiry_ids, n) ||
        (answer_id = store_answer(c, institution_id, answer_sig ? "batch" : "demo", answer_text, answer_len, answer_sig)) < 0 ||
        apply_answers(c, institution_id, inst_kind, answers, answer_id, ids, n, sent_ms, &k, mentioned)) {
        free(mentioned);
        return -1;
    }
    /* rows of the batch the answer did not mention: back to the outbox */
    int64_t *missing = malloc((size_t)(n ? n : 1) * sizeof *missing);
    int nm = 0;
    for (int j = 0; j < n; j++) {
        struct row r;
        if (!mentioned[j] && load_row(c, ids[j], &r) == 0 &&
            (!strcmp(r.state, "sent") || !strcmp(r.state, "pending") || !strcmp(r.state, "acked")))
            missing[nm++] = ids[j];
    }
    free(mentioned);
    int rc = nm ? zx_inq_fail_batch(c, missing, nm, "MISSING_ANSWER", "答复中缺少该请求", 8, 1000) : 0;
    free(missing);
    if (rc) return -1;
    return audit_answers(c, institution_id, "inquiry.answer", n, &k);
}

int zx_inq_apply_batch(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers,
                       const char *answer_text, const char *answer_sig, const int64_t *ids, int n)
{
    return zx_inq_apply_rows(c, institution_id, inst_kind, answers, answer_text, answer_text ? strlen(answer_text) : 0,
                             answer_sig, ids, NULL, n, 0);
}

int zx_inq_apply_callback(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers, const char *body,
                          size_t body_len, const char *answer_sig, int *applied, int *dup, int *unknown)
{
    struct counts k = { 0 };
    int64_t answer_id = 0;
    if (lock_inquiries(c, answers, NULL, NULL, 0) ||
        (answer_id = store_answer(c, institution_id, "callback", body, body_len, answer_sig)) < 0 ||
        apply_answers(c, institution_id, inst_kind, answers, answer_id, NULL, 0, 0, &k, NULL))
        return -1;
    *applied = k.done + k.rejected;
    *dup = k.dup;
    *unknown = k.unknown;
    return audit_answers(c, institution_id, "inquiry.callback", (int)json_array_size(answers), &k);
}

/* sent_now: these requests were just sent (their attempt is counted here: the dispatcher writes
 * nothing when it sends — a row claimed the old way, state 'sent', was counted when claimed). */
static int fail_rows(db_conn *c, const int64_t *ids, int n, const char *code, const char *message, int max_attempts,
                     int64_t backoff_ms, bool sent_now);

int zx_inq_fail_batch(db_conn *c, const int64_t *ids, int n, const char *code, const char *message, int max_attempts,
                      int64_t backoff_ms)
{
    return fail_rows(c, ids, n, code, message, max_attempts, backoff_ms, true);
}

static int fail_rows(db_conn *c, const int64_t *ids, int n, const char *code, const char *message, int max_attempts,
                     int64_t backoff_ms, bool sent_now)
{
    int64_t now = zx_now_ms();
    if (lock_inquiries(c, NULL, ids, NULL, n)) return -1;
    for (int i = 0; i < n; i++) {
        db_stmt *s = db_prepare(c, "SELECT attempts, state, inquiry_id, control_id, op, acked_ms, institution_id"
                                   " FROM inquiry_request WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, ids[i]);
        if (db_step(s) != DB_ROW) {
            db_finalize(s);
            continue;
        }
        int64_t attempts = db_col_int64(s, 0), inquiry_id = db_col_int64(s, 2), control_id = db_col_int64(s, 3);
        bool live = !strcmp(db_col_text(s, 1), "sent") || !strcmp(db_col_text(s, 1), "pending") ||
                    !strcmp(db_col_text(s, 1), "acked");
        bool freeze = !strcmp(db_col_text(s, 4), "freeze");
        int64_t acked = db_col_int64(s, 5), inst = db_col_int64(s, 6);
        if (sent_now && strcmp(db_col_text(s, 1), "sent") != 0) attempts++;
        db_finalize(s);
        if (!live) continue;
        char err[300];
        snprintf(err, sizeof err, "%s：%s", code, message);
        bool final = max_attempts <= 0 || (!acked && attempts >= max_attempts);
        if (!final && acked) { /* acknowledged: a failed poll keeps the request waiting within its window */
            int64_t expect, window;
            if (zx_inq_answer_window(c, inst, &expect, &window)) return -1;
            if (now - acked >= window) {
                code = "NO_ANSWER";
                snprintf(err, sizeof err, "NO_ANSWER：机构已受理但未在答复期限内答复");
                final = true;
            } else {
                int64_t wait = zx_inq_poll_delay(expect, window, (int)(attempts > 1 ? attempts - 1 : 0), now - acked);
                if (now + wait > acked + window) wait = acked + window - now;
                s = db_prepare(c, "UPDATE inquiry_request SET state = 'acked', next_ms = ?, error = ?, attempts = ? WHERE id = ?");
                if (!s) return -1;
                db_bind_int64(s, 1, now + wait);
                db_bind_text(s, 2, err, -1);
                db_bind_int64(s, 3, attempts);
                db_bind_int64(s, 4, ids[i]);
                int rc = db_step(s);
                db_finalize(s);
                if (rc != DB_DONE) return -1;
                continue;
            }
        }
        if (final) {
            s = db_prepare(c, "UPDATE inquiry_request SET state = 'failed', result = ?, error = ?, answered_ms = ?, attempts = ?"
                              " WHERE id = ?");
            if (!s) return -1;
            db_bind_text(s, 1, code, -1);
            db_bind_text(s, 2, err, -1);
            db_bind_int64(s, 3, now);
            db_bind_int64(s, 4, attempts);
            db_bind_int64(s, 5, ids[i]);
            int rc = db_step(s);
            db_finalize(s);
            if (rc != DB_DONE) return -1;
            if (inquiry_id && (exec1(c, "UPDATE inquiry SET failed = failed + 1 WHERE id = ?", inquiry_id, INT64_MIN) ||
                               finish_inquiry(c, inquiry_id)))
                return -1;
            if (control_id && freeze &&
                exec1(c, "UPDATE asset_control SET status = 'failed', updated_ms = ? WHERE id = ?", now, control_id))
                return -1;
            /* operations waiting for this one (a deduction after its freeze) will never be sent */
            int64_t next[32];
            int nn = 0;
            s = db_prepare(c, "SELECT id FROM inquiry_request WHERE after_id = ? AND state = 'pending'");
            if (!s) return -1;
            db_bind_int64(s, 1, ids[i]);
            while (nn < 32 && db_step(s) == DB_ROW) next[nn++] = db_col_int64(s, 0);
            db_finalize(s);
            if (nn && fail_rows(c, next, nn, "PREDECESSOR_FAILED", "前一项操作失败，本项不再发送", 0, 0, false)) return -1;
        } else {
            int64_t wait = backoff_ms;
            for (int64_t k = 1; k < attempts && wait < 300000; k++) wait *= 2;
            if (wait > 300000) wait = 300000;
            wait += (int64_t)((uint64_t)ids[i] % 250); /* jitter */
            s = db_prepare(c, "UPDATE inquiry_request SET state = 'pending', next_ms = ?, error = ?, attempts = ? WHERE id = ?");
            if (!s) return -1;
            db_bind_int64(s, 1, now + wait);
            db_bind_text(s, 2, err, -1);
            db_bind_int64(s, 3, attempts);
            db_bind_int64(s, 4, ids[i]);
            int rc = db_step(s);
            db_finalize(s);
            if (rc != DB_DONE) return -1;
        }
    }
    return 0;
}
