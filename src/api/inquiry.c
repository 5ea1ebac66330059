/* inquiry.c — HTTP API of network asset inquiry and control (网络执行查控): query runs, the asset list
 * and clue graph, freeze / renew / release / deduct, the court-wide control register with expiry
 * warnings, the institutions registry and the command-center figures. docs/api/inquiry.md.
 * Case access through zx_authz_case; every change is one transaction with its audit record; the
 * dispatcher (src/inquiry/dispatcher.c) sends what the change queued. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/case_access.h"
#include "account/authz.h"
#include "audit/audit.h"
#include "case/case.h"
#include "command/command.h"
#include "core/date.h"
#include "core/ids.h"
#include "http/http.h"
#include "inquiry/inquiry.h"
#include "rules/seizure.h"

static void dberr(zx_req *r) { zx_reply_error(r, 503, "STORE_UNAVAILABLE", "数据暂不可用，请稍后重试"); }

static json_t *jid(int64_t id)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}

static const char *kind_label(const char *k)
{
    const struct zx_inq_kind *d = zx_inq_kind(k);
    return d ? d->label : "";
}

/* ---- POST /cases/:id/inquiries -------------------------------------------------------------- */

static void inquiry_start(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *kinds = json_object_get(b, "kinds");
    if (kinds && !json_is_array(kinds)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "kinds 应为数组");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(kinds, i, v)
    {
        if (!json_is_string(v) || !zx_inq_kind(json_string_value(v))) {
            zx_reply_error(r, 422, "UNKNOWN_KIND", "未知的查询类别");
            return;
        }
    }
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, NULL)) return;
    if (db_begin(c)) {
        dberr(r);
        return;
    }
    int64_t iid = 0;
    int rc = zx_inq_start(c, id, "manual", kinds, r->who.user_id, &iid);
    if (rc == 1) {
        db_rollback(c);
        zx_reply_error(r, 422, "NOTHING_TO_QUERY", "案件没有被执行人，或没有可查询的机构");
        return;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "{\"case_id\":\"%lld\"}", (long long)id);
    if (rc != 0 || zx_audit_req(r, c, "inquiry.start", "inquiry", iid, "ok", detail) || db_commit(c)) {
        db_rollback(c);
        dberr(r);
        return;
    }
    zx_inq_wake();
    zx_reply_json(r, 202, json_pack("{s:o}", "inquiry_id", jid(iid)));
}

/* ---- GET /cases/:id/inquiries ----------------------------------------------------------------- */

static void inquiry_list(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    json_t *list = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, trigger_kind, kinds, status, total, answered, failed, found, created_ms,"
                               " finished_ms FROM inquiry WHERE case_id = ? ORDER BY created_ms DESC, id DESC LIMIT 50");
    if (!s) {
        json_decref(list);
        dberr(r);
        return;
    }
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW) {
        json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:[]}", "id", jid(db_col_int64(s, 0)), "trigger",
                              db_col_text(s, 1), "kinds", db_col_text(s, 2), "status", db_col_text(s, 3), "total",
                              (json_int_t)db_col_int64(s, 4), "answered", (json_int_t)db_col_int64(s, 5), "failed",
                              (json_int_t)db_col_int64(s, 6), "found", (json_int_t)db_col_int64(s, 7), "created_ms",
                              (json_int_t)db_col_int64(s, 8), "requests");
        json_object_set_new(o, "finished_ms", db_col_is_null(s, 9) ? json_null() : json_integer(db_col_int64(s, 9)));
        json_array_append_new(list, o);
    }
    db_finalize(s);
    /* per-institution status of the latest runs and of control operations */
    json_t *ops = json_array();
    s = db_prepare(c, "SELECT r.id, r.inquiry_id, r.op, r.state, r.result, r.attempts, r.sent_ms, r.answered_ms, r.error,"
                      " n.name, n.kind, r.created_ms, r.asset_id, r.amount_fen, r.acked_ms, n.answer_expect_ms,"
                      " n.answer_window_ms FROM inquiry_request r"
                      " JOIN inquiry_institution n ON n.id = r.institution_id WHERE r.case_id = ?"
                      " ORDER BY r.created_ms DESC, n.kind, n.code LIMIT 500");
    if (s) {
        db_bind_int64(s, 1, id);
        while (db_step(s) == DB_ROW) {
            json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id", jid(db_col_int64(s, 0)), "op", db_col_text(s, 2),
                                  "state", db_col_text(s, 3), "institution", db_col_text(s, 9), "kind", db_col_text(s, 10),
                                  "kind_label", kind_label(db_col_text(s, 10)), "attempts", (json_int_t)db_col_int64(s, 5),
                                  "created_ms", (json_int_t)db_col_int64(s, 11));
            json_object_set_new(o, "result", db_col_text(s, 4) ? json_string(db_col_text(s, 4)) : json_null());
            json_object_set_new(o, "error", db_col_text(s, 8) ? json_string(db_col_text(s, 8)) : json_null());
            json_object_set_new(o, "sent_ms", db_col_is_null(s, 6) ? json_null() : json_integer(db_col_int64(s, 6)));
            json_object_set_new(o, "answered_ms", db_col_is_null(s, 7) ? json_null() : json_integer(db_col_int64(s, 7)));
            json_object_set_new(o, "asset_id", db_col_is_null(s, 12) ? json_null() : jid(db_col_int64(s, 12)));
            json_object_set_new(o, "amount_fen", db_col_is_null(s, 13) ? json_null() : json_integer(db_col_int64(s, 13)));
            /* acknowledged by the institution: 等待答复, with when it usually answers and the last moment
             * before the request fails NO_ANSWER (the institution's answer window) */
            int64_t acked = db_col_int64(s, 14), expect, window;
            bool waiting = acked > 0 && (!strcmp(db_col_text(s, 3), "acked") || !strcmp(db_col_text(s, 3), "sent"));
            zx_inq_window_of(db_col_text(s, 10), db_col_int64(s, 15), db_col_int64(s, 16), &expect, &window);
            json_object_set_new(o, "acked_ms", acked > 0 ? json_integer(acked) : json_null());
            json_object_set_new(o, "waiting", json_boolean(waiting));
            json_object_set_new(o, "expected_ms", waiting ? json_integer(acked + expect) : json_null());
            json_object_set_new(o, "deadline_ms", waiting ? json_integer(acked + window) : json_null());
            int64_t iq = db_col_int64(s, 1);
            bool placed = false;
            size_t i;
            json_t *q;
            json_array_foreach(list, i, q)
            {
                char b[24];
                snprintf(b, sizeof b, "%lld", (long long)iq);
                if (iq && !strcmp(json_string_value(json_object_get(q, "id")), b)) {
                    json_array_append(json_object_get(q, "requests"), o);
                    placed = true;
                }
            }
            if (!placed && !iq) json_array_append(ops, o);
            json_decref(o);
        }
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o,s:o}", "inquiries", list, "operations", ops));
}

/* ---- GET /cases/:id/assets -------------------------------------------------------------------- */

/* Warning level of a control ending on until: 0 = none, i+1 = within warn[i] days (the last, shortest,
 * is the most urgent); days_left may be negative (past its end, about to lapse). */
static int warn_level(json_t *warn, const char *until, int *days_left)
{
    zx_date u;
    *days_left = 0;
    if (!until || zx_date_parse(until, &u)) return 0;
    int days = (int)(u - zx_today()), level = 0;
    *days_left = days;
    size_t i;
    json_t *v;
    json_array_foreach(warn, i, v) if (json_is_integer(v) && days <= json_integer_value(v)) level = (int)i + 1;
    return level;
}

static json_t *control_of(db_conn *c, int64_t asset_id, json_t *warn)
{
    db_stmt *s = db_prepare(c, "SELECT id, kind, amount_fen, confirmed_fen, deducted_fen, until_on, status, queue_pos"
                               " FROM asset_control WHERE asset_id = ? AND status IN ('requested','active','queued')"
                               " ORDER BY created_ms DESC LIMIT 1");
    if (!s) return json_null();
    db_bind_int64(s, 1, asset_id);
    json_t *o = json_null();
    if (db_step(s) == DB_ROW) {
        const char *st = db_col_text(s, 6);
        int64_t amount = !strcmp(st, "requested") ? db_col_int64(s, 2) : db_col_int64(s, 3);
        o = json_pack("{s:o,s:s,s:I,s:s,s:I,s:I,s:I}", "id", jid(db_col_int64(s, 0)), "kind", db_col_text(s, 1), "amount_fen",
                      (json_int_t)amount, "status", st, "deducted_fen", (json_int_t)db_col_int64(s, 4), "requested_fen",
                      (json_int_t)db_col_int64(s, 2), "queue_pos", (json_int_t)db_col_int64(s, 7));
        json_object_set_new(o, "until", db_col_text(s, 5) ? json_string(db_col_text(s, 5)) : json_null());
        int days = 0, level = warn_level(warn, db_col_text(s, 5), &days); /* expiry warning (民诉解释 art 485) */
        json_object_set_new(o, "days_left", db_col_text(s, 5) ? json_integer(days) : json_null());
        json_object_set_new(o, "warn_level", json_integer(strcmp(st, "requested") ? level : 0));
    }
    db_finalize(s);
    return o;
}

static void assets_list(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    json_t *list = json_array();
    db_stmt *s = db_prepare(c, "SELECT a.id, a.kind, n.name, a.identifier, a.value_fen, a.status, a.party_id, a.owner_name,"
                               " a.description, a.encumbrances, a.divisible, a.related_code, a.found_ms, p.name"
                               " FROM asset a JOIN inquiry_institution n ON n.id = a.institution_id"
                               " LEFT JOIN case_party p ON p.id = a.party_id WHERE a.case_id = ?"
                               " ORDER BY a.value_fen DESC, a.id");
    if (!s) {
        json_decref(list);
        dberr(r);
        return;
    }
    db_bind_int64(s, 1, id);
    int64_t ids[2000];
    int n = 0;
    while (db_step(s) == DB_ROW) {
        json_t *enc = json_loads(db_col_text(s, 9) ? db_col_text(s, 9) : "[]", 0, NULL);
        json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:s,s:s,s:s,s:o,s:b,s:I}", "id", jid(db_col_int64(s, 0)),
                              "kind", db_col_text(s, 1), "kind_label", kind_label(db_col_text(s, 1)), "institution",
                              db_col_text(s, 2), "identifier", db_col_text(s, 3), "value_fen", (json_int_t)db_col_int64(s, 4),
                              "status", db_col_text(s, 5), "party_id", jid(db_col_int64(s, 6)), "owner",
                              db_col_text(s, 13) ? db_col_text(s, 13) : (db_col_text(s, 7) ? db_col_text(s, 7) : ""),
                              "description", db_col_text(s, 8) ? db_col_text(s, 8) : "", "ops",
                              "", "encumbrances", enc ? enc : json_array(), "divisible", db_col_int64(s, 10) != 0,
                              "found_ms", (json_int_t)db_col_int64(s, 12));
        const struct zx_inq_kind *kd = zx_inq_kind(db_col_text(s, 1));
        json_object_set_new(o, "ops", json_string(kd ? kd->ops : "query"));
        json_object_set_new(o, "related_code", db_col_text(s, 11) ? json_string(db_col_text(s, 11)) : json_null());
        json_array_append_new(list, o);
        if (n < 2000) ids[n++] = db_col_int64(s, 0);
    }
    db_finalize(s);
    json_t *warn = zx_control_warn_days(c, k.court_id);
    for (int i = 0; i < n; i++) json_object_set_new(json_array_get(list, (size_t)i), "control", control_of(c, ids[i], warn));
    json_decref(warn);
    for (int i = n; i < (int)json_array_size(list); i++) json_object_set_new(json_array_get(list, (size_t)i), "control", json_null());
    /* every view of the asset list is audited (personal and financial data) */
    zx_audit_req_tx(r, "asset.view", "case", id, "ok", NULL);
    zx_reply_json(r, 200, json_pack("{s:o}", "assets", list));
}

/* ---- GET /cases/:id/asset-graph: the clue graph --------------------------------------------- */

static void asset_graph(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    json_t *nodes = json_array(), *edges = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, name, kind FROM case_party WHERE case_id = ? AND role = 'debtor' ORDER BY ord");
    if (!s) {
        json_decref(nodes);
        json_decref(edges);
        dberr(r);
        return;
    }
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW) {
        char nid[32];
        snprintf(nid, sizeof nid, "p%lld", (long long)db_col_int64(s, 0));
        json_array_append_new(nodes, json_pack("{s:s,s:s,s:s,s:s}", "id", nid, "type", "debtor", "label", db_col_text(s, 1),
                                               "party_kind", db_col_text(s, 2)));
    }
    db_finalize(s);
    s = db_prepare(c, "SELECT a.id, a.party_id, a.kind, a.identifier, a.description, a.value_fen, a.related_code, a.status"
                      " FROM asset a WHERE a.case_id = ? ORDER BY a.id LIMIT 1000");
    if (s) {
        db_bind_int64(s, 1, id);
        json_t *companies = json_object();
        while (db_step(s) == DB_ROW) {
            char nid[32], pid[32];
            snprintf(nid, sizeof nid, "a%lld", (long long)db_col_int64(s, 0));
            snprintf(pid, sizeof pid, "p%lld", (long long)db_col_int64(s, 1));
            json_array_append_new(nodes, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id", nid, "type", "asset", "kind",
                                                   db_col_text(s, 2), "label", db_col_text(s, 3), "description",
                                                   db_col_text(s, 4) ? db_col_text(s, 4) : "", "value_fen",
                                                   (json_int_t)db_col_int64(s, 5), "status", db_col_text(s, 7)));
            json_array_append_new(edges, json_pack("{s:s,s:s,s:s}", "from", pid, "to", nid, "relation", "owns"));
            const char *rel = db_col_text(s, 6);
            if (rel && *rel) {
                char cn[64];
                snprintf(cn, sizeof cn, "c%s", rel);
                /* the company's name is known from a case where it is a party; else the holding's own words
                   ("持有沈阳远航有限公司 34% 股权") name it */
                if (!json_object_get(companies, cn))
                    json_object_set_new(companies, cn, json_pack("{s:s,s:s}", "code", rel, "description",
                                                                 db_col_text(s, 4) ? db_col_text(s, 4) : ""));
                json_array_append_new(edges, json_pack("{s:s,s:s,s:s}", "from", nid, "to", cn, "relation", "equity_in"));
            }
        }
        db_finalize(s);
        /* a company the debtor holds equity in that is itself a debtor in other cases */
        const char *cn;
        json_t *co;
        json_object_foreach(companies, cn, co)
        {
            json_t *cases = json_array();
            const char *desc = json_string_value(json_object_get(co, "description"));
            json_t *code = json_object_get(co, "code");
            db_stmt *q = db_prepare(c, "SELECT p.case_id, k.case_no, p.name, k.court_id FROM case_party p"
                                       " JOIN enf_case k ON k.id = p.case_id"
                                       " WHERE p.credit_code = ? AND p.role = 'debtor' AND p.case_id <> ? LIMIT 20");
            const char *name = NULL;
            char namebuf[256] = "";
            if (q) {
                db_bind_text(q, 1, json_string_value(code), -1);
                db_bind_int64(q, 2, id);
                while (db_step(q) == DB_ROW) {
                    json_t *one = json_pack("{s:o,s:s}", "case_id", jid(db_col_int64(q, 0)), "case_no", db_col_text(q, 1));
                    /* the other case is listed only to those who may see its court */
                    if (zx_can_see_court(&r->who, db_col_int64(q, 3))) json_array_append_new(cases, one);
                    else json_decref(one);
                    snprintf(namebuf, sizeof namebuf, "%s", db_col_text(q, 2));
                    name = namebuf;
                }
                db_finalize(q);
            }
            json_array_append_new(nodes, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "id", cn, "type", "company", "label",
                                                   name ? name : (desc && *desc ? desc : json_string_value(code)),
                                                   "credit_code", json_string_value(code), "holding", desc ? desc : "",
                                                   "debtor_in_cases", cases));
        }
        json_decref(companies);
    }
    zx_audit_req_tx(r, "asset.view", "case", id, "ok", "{\"view\":\"graph\"}");
    zx_reply_json(r, 200, json_pack("{s:o,s:o}", "nodes", nodes, "edges", edges));
}

/* ---- controls ---------------------------------------------------------------------------------- */

struct asset_row {
    int64_t id, case_id, court_id, party_id, institution_id, value_fen;
    bool divisible, debtor;
    char kind[24], status[16], ops[64];
};

static int load_asset(db_conn *c, int64_t id, struct asset_row *a)
{
    /* with the operations its institution supports (registry row: some only answer queries) and
     * whether its owner is still a debtor of the case */
    db_stmt *s = db_prepare(c, "SELECT a.case_id, a.court_id, a.party_id, a.institution_id, a.value_fen, a.divisible, a.kind,"
                               " a.status, n.ops, (SELECT COUNT(*) FROM case_party p WHERE p.id = a.party_id"
                               " AND p.case_id = a.case_id AND p.role = 'debtor')"
                               " FROM asset a JOIN inquiry_institution n ON n.id = a.institution_id WHERE a.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        a->id = id;
        a->case_id = db_col_int64(s, 0);
        a->court_id = db_col_int64(s, 1);
        a->party_id = db_col_int64(s, 2);
        a->institution_id = db_col_int64(s, 3);
        a->value_fen = db_col_int64(s, 4);
        a->divisible = db_col_int64(s, 5) != 0;
        snprintf(a->kind, sizeof a->kind, "%s", db_col_text(s, 6));
        snprintf(a->status, sizeof a->status, "%s", db_col_text(s, 7));
        snprintf(a->ops, sizeof a->ops, "%s", db_col_text(s, 8) ? db_col_text(s, 8) : "");
        a->debtor = db_col_int64(s, 9) > 0;
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Load the asset, its case, and check write access. */
static bool asset_checked(zx_req *r, db_conn *c, struct asset_row *a, zx_case *k)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return false;
    int rc = load_asset(c, id, a);
    if (rc == 1) {
        zx_reply_error(r, 404, "NOT_FOUND", "财产不存在或无权查看");
        return false;
    }
    if (rc < 0) {
        dberr(r);
        return false;
    }
    if (!zx_api_case_open(r, c, a->case_id, k, ZX_CASE_WRITE, NULL)) return false;
    if (!a->debtor) { /* only the property of a debtor of this case is controlled for its claim */
        zx_reply_error(r, 422, "NOT_DEBTORS_ASSET", "该财产不属于本案被执行人，不能采取控制措施");
        return false;
    }
    return true;
}

/* Does the asset's institution support op? Its kind must (src/inquiry/registry.c) and so must its own
 * registry row (inquiry_institution.ops: an institution may only answer queries). */
static bool asset_supports(const struct asset_row *a, const char *op)
{
    return zx_inq_kind_supports(a->kind, op) && zx_inq_ops_has(a->ops, op);
}

/* Begin the write transaction of a control on a case: the case is loaded again inside it, which on
 * PostgreSQL takes the audit head and then the case row until commit (src/case/case_store.c), so two
 * freezes or deductions of one case cannot both pass their checks on the same figures (查封规定
 * art 19 counts across all of the case's controls). false after replying. */
static bool begin_case_write(zx_req *r, db_conn *c, int64_t case_id, zx_case *k)
{
    if (db_begin(c)) {
        dberr(r);
        return false;
    }
    int rc = zx_case_load(c, case_id, k);
    if (rc != 0) {
        db_rollback(c);
        if (rc == 1) zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或无权查看");
        else dberr(r);
        return false;
    }
    return true;
}

/* The last request on this asset not yet settled (operations on one asset go in order). */
static int64_t last_open_request(db_conn *c, int64_t asset_id)
{
    int64_t id = 0;
    db_stmt *s = db_prepare(c, "SELECT id FROM inquiry_request WHERE asset_id = ? AND state IN ('pending','sent','acked')"
                               " ORDER BY created_ms DESC, id DESC LIMIT 1");
    if (!s) return 0;
    db_bind_int64(s, 1, asset_id);
    if (db_step(s) == DB_ROW) id = db_col_int64(s, 0);
    db_finalize(s);
    return id;
}

static int64_t queue_request(db_conn *c, const struct asset_row *a, const char *op, int64_t control_id, int64_t amount,
                             const char *until, int64_t officer, const char *doc_no)
{
    int64_t rid = zx_id_new(), now = zx_now_ms(), after = last_open_request(c, a->id);
    db_stmt *s = db_prepare(c, "INSERT INTO inquiry_request (id, case_id, court_id, institution_id, op, party_id, asset_id,"
                               " control_id, amount_fen, until_on, after_id, officer_id, doc_no, state, next_ms, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    db_bind_int64(s, 2, a->case_id);
    db_bind_int64(s, 3, a->court_id);
    db_bind_int64(s, 4, a->institution_id);
    db_bind_text(s, 5, op, -1);
    db_bind_int64(s, 6, a->party_id);
    db_bind_int64(s, 7, a->id);
    db_bind_int64(s, 8, control_id);
    if (amount > 0) db_bind_int64(s, 9, amount);
    else db_bind_null(s, 9);
    db_bind_text(s, 10, until, -1);
    if (after) db_bind_int64(s, 11, after);
    else db_bind_null(s, 11);
    db_bind_int64(s, 12, officer);
    db_bind_text(s, 13, doc_no, -1);
    db_bind_int64(s, 14, now);
    db_bind_int64(s, 15, now);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? rid : -1;
}

/* Value under control for this case across all of the debtor's assets (查封规定 art 19 counts what the
 * claim has tied up): freezes by their confirmed (or asked) amount less deductions, seizures by the
 * asset's value. */
static int64_t controlled_for_case(db_conn *c, int64_t case_id)
{
    int64_t sum = 0;
    db_stmt *s = db_prepare(c, "SELECT t.kind, t.status, t.amount_fen, t.confirmed_fen, t.deducted_fen, a.value_fen"
                               " FROM asset_control t JOIN asset a ON a.id = t.asset_id WHERE t.case_id = ?"
                               " AND t.status IN ('requested','active','queued')");
    if (!s) return 0;
    db_bind_int64(s, 1, case_id);
    while (db_step(s) == DB_ROW) {
        if (!strcmp(db_col_text(s, 0), "seizure")) sum += db_col_int64(s, 5);
        else sum += (!strcmp(db_col_text(s, 1), "requested") ? db_col_int64(s, 2) : db_col_int64(s, 3)) - db_col_int64(s, 4);
    }
    db_finalize(s);
    return sum;
}

static void asset_freeze(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    struct asset_row a;
    zx_case k;
    if (!asset_checked(r, c, &a, &k)) return;
    json_t *am = json_object_get(b, "amount_fen");
    const struct zx_inq_kind *kd = zx_inq_kind(a.kind);
    if (!kd || !asset_supports(&a, "freeze")) {
        zx_reply_error(r, 422, "UNSUPPORTED_OPERATION", "该机构不支持冻结（查封）该类财产");
        return;
    }
    bool seizure = !strcmp(kd->control, "seizure");
    if (!seizure && (!json_is_integer(am) || json_integer_value(am) <= 0)) {
        zx_reply_error(r, 422, "INVALID_AMOUNT", "冻结金额应为正整数（分）");
        return;
    }
    int64_t asking = seizure ? a.value_fen : json_integer_value(am);
    if (!seizure && asking > a.value_fen) asking = a.value_fen > 0 ? a.value_fen : asking;
    const char *doc_no = json_string_value(json_object_get(b, "doc_no"));
    if (!begin_case_write(r, c, a.case_id, &k)) return;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM asset_control WHERE asset_id = ? AND case_id = ?"
                               " AND status IN ('requested','active','queued')");
    int64_t live = 0;
    if (s) {
        db_bind_int64(s, 1, a.id);
        db_bind_int64(s, 2, a.case_id);
        if (db_step(s) == DB_ROW) live = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (live) {
        db_rollback(c);
        zx_reply_error(r, 409, "ALREADY_CONTROLLED", "该财产已由本案冻结（查封）");
        return;
    }
    /* 查封规定 art 19: no more than the outstanding claim plus costs */
    int64_t limit = k.claim_fen - k.recovered_fen + k.fee_fen;
    if (limit < 0) limit = 0;
    int64_t controlled = controlled_for_case(c, a.case_id), other = 0, excess = 0;
    s = db_prepare(c, "SELECT COALESCE(SUM(value_fen), 0) FROM asset WHERE case_id = ? AND id <> ? AND status = 'found'");
    if (s) {
        db_bind_int64(s, 1, a.case_id);
        db_bind_int64(s, 2, a.id);
        if (db_step(s) == DB_ROW) other = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (!zx_over_seizure_ok(limit, controlled, asking, !a.divisible, other, &excess)) {
        db_rollback(c);
        zx_reply_error_ex(r, 422, "OVER_SEIZURE", "超标的冻结（查封）：已控制财产与本次合计超过未履行债权及执行费用（查封规定第十九条）",
                          json_pack("{s:I,s:I,s:I,s:I,s:s}", "limit_fen", (json_int_t)limit, "controlled_fen",
                                    (json_int_t)controlled, "asking_fen", (json_int_t)asking, "excess_fen",
                                    (json_int_t)excess, "article", "查封规定第十九条"));
        return;
    }
    zx_date until = zx_control_until(zx_control_class_of(a.kind), zx_today()); /* 民诉解释 art 485 */
    char until_s[11];
    zx_date_format(until, until_s);
    int64_t cid = zx_id_new(), now = zx_now_ms();
    s = db_prepare(c, "INSERT INTO asset_control (id, asset_id, case_id, court_id, party_id, kind, amount_fen, until_on,"
                      " status, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?)");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, cid);
        db_bind_int64(s, 2, a.id);
        db_bind_int64(s, 3, a.case_id);
        db_bind_int64(s, 4, a.court_id);
        db_bind_int64(s, 5, a.party_id);
        db_bind_text(s, 6, kd->control, -1);
        db_bind_int64(s, 7, asking);
        db_bind_text(s, 8, until_s, -1);
        db_bind_int64(s, 9, now);
        db_bind_int64(s, 10, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    int64_t rid = rc == 0 ? queue_request(c, &a, "freeze", cid, asking, until_s, r->who.user_id, doc_no) : -1;
    if (rid > 0) {
        s = db_prepare(c, "UPDATE asset_control SET request_id = ? WHERE id = ?");
        if (s) {
            db_bind_int64(s, 1, rid);
            db_bind_int64(s, 2, cid);
            db_step(s);
            db_finalize(s);
        }
    }
    char detail[200];
    snprintf(detail, sizeof detail, "{\"asset_id\":\"%lld\",\"amount_fen\":%lld,\"until\":\"%s\"}", (long long)a.id,
             (long long)asking, until_s);
    if (rid <= 0 || zx_audit_req(r, c, "asset.freeze", "asset_control", cid, "ok", detail) || db_commit(c)) {
        db_rollback(c);
        dberr(r);
        return;
    }
    zx_inq_wake();
    zx_reply_json(r, 202, json_pack("{s:o,s:o,s:s,s:I}", "control_id", jid(cid), "request_id", jid(rid), "until", until_s,
                                    "amount_fen", (json_int_t)asking));
}

/* The live control of this case on the asset. */
static int live_control(db_conn *c, int64_t asset_id, int64_t case_id, int64_t *cid, char *status, int64_t *held,
                        int64_t *deducted, char *until)
{
    db_stmt *s = db_prepare(c, "SELECT id, status, amount_fen, confirmed_fen, deducted_fen, until_on FROM asset_control"
                               " WHERE asset_id = ? AND case_id = ? AND status IN ('requested','active','queued')"
                               " ORDER BY created_ms DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, asset_id);
    db_bind_int64(s, 2, case_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *cid = db_col_int64(s, 0);
        snprintf(status, 16, "%s", db_col_text(s, 1));
        *held = !strcmp(status, "requested") ? db_col_int64(s, 2) : db_col_int64(s, 3);
        *deducted = db_col_int64(s, 4);
        snprintf(until, 11, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : 1;
}

static void asset_deduct(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    struct asset_row a;
    zx_case k;
    if (!asset_checked(r, c, &a, &k)) return;
    json_t *am = json_object_get(b, "amount_fen");
    if (!asset_supports(&a, "deduct")) {
        zx_reply_error(r, 422, "UNSUPPORTED_OPERATION", "该机构不支持扣划该类财产");
        return;
    }
    if (!json_is_integer(am) || json_integer_value(am) <= 0) {
        zx_reply_error(r, 422, "INVALID_AMOUNT", "扣划金额应为正整数（分）");
        return;
    }
    int64_t amount = json_integer_value(am);
    if (!begin_case_write(r, c, a.case_id, &k)) return;
    int64_t cid = 0, held = 0, deducted = 0, pending = 0;
    char st[16] = "", until[11] = "";
    if (live_control(c, a.id, a.case_id, &cid, st, &held, &deducted, until) != 0 || !strcmp(st, "queued")) {
        db_rollback(c);
        zx_reply_error(r, 422, "NOT_FROZEN", "该财产未被本案冻结，不能扣划");
        return;
    }
    db_stmt *s = db_prepare(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM inquiry_request WHERE control_id = ? AND op = 'deduct'"
                               " AND state IN ('pending','sent','acked')");
    if (s) {
        db_bind_int64(s, 1, cid);
        if (db_step(s) == DB_ROW) pending = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (amount > held - deducted - pending) {
        db_rollback(c);
        zx_reply_error_ex(r, 422, "EXCEEDS_FROZEN", "扣划金额超过冻结余额",
                          json_pack("{s:I,s:I}", "frozen_fen", (json_int_t)(held - deducted - pending), "asking_fen",
                                    (json_int_t)amount));
        return;
    }
    int64_t rid = queue_request(c, &a, "deduct", cid, amount, NULL, r->who.user_id,
                                json_string_value(json_object_get(b, "doc_no")));
    char detail[160];
    snprintf(detail, sizeof detail, "{\"asset_id\":\"%lld\",\"amount_fen\":%lld}", (long long)a.id, (long long)amount);
    if (rid <= 0 || zx_audit_req(r, c, "asset.deduct", "asset_control", cid, "ok", detail) || db_commit(c)) {
        db_rollback(c);
        dberr(r);
        return;
    }
    zx_inq_wake();
    zx_reply_json(r, 202, json_pack("{s:o,s:o}", "request_id", jid(rid), "control_id", jid(cid)));
}

static void asset_release(zx_req *r)
{
    db_conn *c = zx_db(r);
    struct asset_row a;
    zx_case k;
    if (!asset_checked(r, c, &a, &k)) return;
    if (!asset_supports(&a, "release")) {
        zx_reply_error(r, 422, "UNSUPPORTED_OPERATION", "该机构不支持解除该类财产的控制措施");
        return;
    }
    if (!begin_case_write(r, c, a.case_id, &k)) return;
    int64_t cid = 0, held, deducted;
    char st[16], until[11];
    if (live_control(c, a.id, a.case_id, &cid, st, &held, &deducted, until) != 0) {
        db_rollback(c);
        zx_reply_error(r, 422, "NOT_CONTROLLED", "该财产未被本案冻结（查封）");
        return;
    }
    int64_t rid = queue_request(c, &a, "release", cid, 0, NULL, r->who.user_id, NULL);
    if (rid <= 0 || zx_audit_req(r, c, "asset.release", "asset_control", cid, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        dberr(r);
        return;
    }
    zx_inq_wake();
    zx_reply_json(r, 202, json_pack("{s:o,s:o}", "request_id", jid(rid), "control_id", jid(cid)));
}

/* POST /controls/:id/renew {"until"?} — 续行冻结/查封 before expiry (民诉解释 art 485). */
static void control_renew(zx_req *r)
{
    int64_t cid;
    if (!zx_param_id(r, "id", &cid)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    int64_t asset_id = 0;
    char st[16] = "", old[11] = "";
    db_stmt *s = db_prepare(c, "SELECT asset_id, status, until_on FROM asset_control WHERE id = ?");
    if (!s) {
        dberr(r);
        return;
    }
    db_bind_int64(s, 1, cid);
    if (db_step(s) == DB_ROW) {
        asset_id = db_col_int64(s, 0);
        snprintf(st, sizeof st, "%s", db_col_text(s, 1));
        snprintf(old, sizeof old, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    }
    db_finalize(s);
    struct asset_row a;
    zx_case k;
    if (!asset_id || load_asset(c, asset_id, &a) != 0) {
        zx_reply_error(r, 404, "NOT_FOUND", "冻结（查封）记录不存在");
        return;
    }
    if (!zx_api_case_open(r, c, a.case_id, &k, ZX_CASE_WRITE, NULL)) return;
    if (!asset_supports(&a, "renew")) {
        zx_reply_error(r, 422, "UNSUPPORTED_OPERATION", "该机构不支持续行冻结（查封）");
        return;
    }
    if (strcmp(st, "active") && strcmp(st, "queued")) {
        zx_reply_error(r, 422, "NOT_CONTROLLED", "该冻结（查封）未生效或已解除、已失效");
        return;
    }
    enum zx_control_class cls = zx_control_class_of(a.kind);
    zx_date today = zx_today(), old_d, until;
    const char *want = json_string_value(json_object_get(b, "until"));
    if (zx_date_parse(old, &old_d)) old_d = today;
    if (want) {
        if (zx_date_parse(want, &until)) {
            zx_reply_error(r, 400, "BAD_DATE", "日期格式应为 YYYY-MM-DD");
            return;
        }
    } else
        until = zx_control_until(cls, old_d + 1);
    if (!zx_control_renewal_ok(cls, today, old_d, until)) {
        zx_reply_error(r, 422, "RENEWAL_NOT_ALLOWED", "续行须在期限届满前申请，且每次不超过法定最长期限（民诉解释第四百八十五条）");
        return;
    }
    char until_s[11];
    zx_date_format(until, until_s);
    if (!begin_case_write(r, c, a.case_id, &k)) return;
    int64_t rid = queue_request(c, &a, "renew", cid, 0, until_s, r->who.user_id, NULL);
    if (rid <= 0 || zx_audit_req(r, c, "asset.renew", "asset_control", cid, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        dberr(r);
        return;
    }
    zx_inq_wake();
    zx_reply_json(r, 202, json_pack("{s:o,s:s}", "request_id", jid(rid), "until", until_s));
}

/* GET /controls?within=30&status=live — the court-wide control register with expiry warnings and
 * release proposals for completed cases. */
static void controls_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    const char *w = zx_query(r, "within");
    long within = w ? strtol(w, NULL, 10) : 3650;
    if (within < 0 || within > 36500) within = 3650;
    json_t *warn = zx_control_warn_days(c, r->who.court_id); /* the caller's court's, shown above the list */
    /* each row is warned by its own court's days (a chief also sees the courts below) */
    struct { int64_t court; json_t *warn; } wc[64];
    int nwc = 0;
    db_stmt *s;
    zx_date today = zx_today();
    char limit[11];
    zx_date_format(today + (zx_date)within, limit);
    json_t *list = json_array();
    /* the caller's courts in the WHERE clause, so the 1,000 rows are all theirs however large the store
       (own court; chiefs and command staff also every court below) */
    int64_t courts[512];
    int nc = 0;
    int ns = zx_court_subtree(r->who.court_id, courts, 512);
    for (int i = 0; i < ns && i < 512; i++)
        if (zx_can_see_court(&r->who, courts[i])) courts[nc++] = courts[i];
    char sql[1024 + 512 * 21];
    size_t l = (size_t)snprintf(sql, sizeof sql, "%s",
                                "SELECT t.id, t.kind, t.amount_fen, t.confirmed_fen, t.deducted_fen, t.until_on, t.status,"
                                " t.queue_pos, t.renewals, a.id, a.kind, a.identifier, a.description, n.name, k.id, k.case_no,"
                                " k.status, k.closure_mode, k.court_id, k.handler_id, p.name FROM asset_control t"
                                " JOIN asset a ON a.id = t.asset_id JOIN inquiry_institution n ON n.id = a.institution_id"
                                " JOIN enf_case k ON k.id = t.case_id LEFT JOIN case_party p ON p.id = t.party_id"
                                " WHERE t.status IN ('active','queued') AND t.until_on <= ? AND k.court_id IN (");
    for (int i = 0; i < nc; i++) l += (size_t)snprintf(sql + l, sizeof sql - l, "%s%lld", i ? "," : "", (long long)courts[i]);
    snprintf(sql + l, sizeof sql - l, "%s) ORDER BY t.until_on, t.id LIMIT 1000", nc ? "" : "0");
    s = db_prepare(c, sql);
    if (!s) {
        json_decref(warn);
        json_decref(list);
        dberr(r);
        return;
    }
    db_bind_text(s, 1, limit, -1);
    while (db_step(s) == DB_ROW) {
        int64_t court = db_col_int64(s, 18);
        if (!zx_can_see_court(&r->who, court)) continue;
        zx_date until;
        if (zx_date_parse(db_col_text(s, 5), &until)) continue;
        json_t *cw = warn;
        if (court != r->who.court_id) {
            int x = 0;
            while (x < nwc && wc[x].court != court) x++;
            if (x < nwc) cw = wc[x].warn;
            else if (nwc < 64) {
                wc[nwc].court = court;
                cw = wc[nwc++].warn = zx_control_warn_days(c, court);
            } /* beyond 64 courts in one list: the caller's court's days */
        }
        int days, level = warn_level(cw, db_col_text(s, 5), &days);
        bool completed = !strcmp(db_col_text(s, 16), "closed") && db_col_text(s, 17) &&
                         !strcmp(db_col_text(s, 17), "completed");
        json_t *o = json_pack("{s:o,s:s,s:I,s:I,s:s,s:s,s:I,s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:i,s:i,s:b,s:s}", "id",
                              jid(db_col_int64(s, 0)), "kind", db_col_text(s, 1), "amount_fen",
                              (json_int_t)(!strcmp(db_col_text(s, 6), "requested") ? db_col_int64(s, 2) : db_col_int64(s, 3)),
                              "deducted_fen", (json_int_t)db_col_int64(s, 4), "until", db_col_text(s, 5), "status",
                              db_col_text(s, 6), "queue_pos", (json_int_t)db_col_int64(s, 7), "renewals",
                              (json_int_t)db_col_int64(s, 8), "asset_id", jid(db_col_int64(s, 9)), "asset_kind",
                              db_col_text(s, 10), "asset_kind_label", kind_label(db_col_text(s, 10)), "identifier",
                              db_col_text(s, 11), "description", db_col_text(s, 12) ? db_col_text(s, 12) : "", "institution",
                              db_col_text(s, 13), "case_id", jid(db_col_int64(s, 14)), "case_no", db_col_text(s, 15),
                              "days_left", days, "warn_level", level, "release_proposed", completed, "debtor",
                              db_col_text(s, 20) ? db_col_text(s, 20) : "");
        json_array_append_new(list, o);
    }
    db_finalize(s);
    for (int x = 0; x < nwc; x++) json_decref(wc[x].warn);
    zx_reply_json(r, 200, json_pack("{s:o,s:o}", "controls", list, "warn_days", warn));
}

/* ---- registry and command center ---------------------------------------------------------- */

static void institutions_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id, code, name, kind, ops, endpoint, key_fp, max_inflight, rate_per_s, timeout_ms,"
                               " batch_max, enabled FROM inquiry_institution ORDER BY kind, code");
    if (!s) {
        dberr(r);
        return;
    }
    json_t *a = json_array();
    char ep[600];
    while (db_step(s) == DB_ROW && (zx_inq_endpoint(db_col_text(s, 5), ep, sizeof ep), 1))
        json_array_append_new(
            a, json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:i,s:i,s:b}", "id", jid(db_col_int64(s, 0)), "code",
                         db_col_text(s, 1), "name", db_col_text(s, 2), "kind", db_col_text(s, 3), "kind_label",
                         kind_label(db_col_text(s, 3)), "ops", db_col_text(s, 4), "endpoint", ep,
                         "key_fingerprint", db_col_text(s, 6) ? json_string(db_col_text(s, 6)) : json_null(), "max_inflight",
                         (int)db_col_int64(s, 7), "rate_per_s", (int)db_col_int64(s, 8), "timeout_ms",
                         (int)db_col_int64(s, 9), "batch_max", (int)db_col_int64(s, 10), "enabled", db_col_int64(s, 11) != 0));
    db_finalize(s);
    json_t *kinds = json_array();
    for (int i = 0; i < zx_inq_nkinds; i++)
        json_array_append_new(kinds, json_pack("{s:s,s:s,s:s,s:b}", "kind", zx_inq_kinds[i].kind, "label", zx_inq_kinds[i].label,
                                               "ops", zx_inq_kinds[i].ops, "gate", zx_inq_kinds[i].gate));
    zx_reply_json(r, 200, json_pack("{s:o,s:o}", "institutions", a, "kinds", kinds));
}

static bool stats_keep(int64_t court_id, void *arg)
{
    return zx_can_see_court((const zx_principal *)arg, court_id);
}

/* GET /inquiry/stats — requests in flight and answer times per institution, failure rates, and
 * today's totals (queried, found, frozen, deducted) by court. */
static void inquiry_stats(zx_req *r)
{
    db_conn *c = zx_db(r);
    json_t *inst = zx_inq_dispatcher_stats();
    /* failure rates over the store (survive restarts) */
    db_stmt *s = db_prepare(c, "SELECT n.code, COUNT(*), SUM(CASE WHEN r.state = 'failed' THEN 1 ELSE 0 END),"
                               " SUM(CASE WHEN r.state IN ('pending','sent','acked') THEN 1 ELSE 0 END),"
                               " CAST(AVG(CASE WHEN r.answered_ms IS NOT NULL AND r.sent_ms IS NOT NULL THEN r.answered_ms - r.sent_ms END) AS BIGINT)"
                               " FROM inquiry_request r JOIN inquiry_institution n ON n.id = r.institution_id GROUP BY n.code");
    if (s) {
        while (db_step(s) == DB_ROW) {
            size_t i;
            json_t *o;
            json_array_foreach(inst, i, o) if (!strcmp(json_string_value(json_object_get(o, "code")), db_col_text(s, 0)))
            {
                int64_t total = db_col_int64(s, 1), failed = db_col_int64(s, 2);
                json_object_set_new(o, "total_requests", json_integer(total));
                json_object_set_new(o, "failed_requests", json_integer(failed));
                json_object_set_new(o, "queued", json_integer(db_col_int64(s, 3)));
                json_object_set_new(o, "failure_rate_pct", json_integer(total ? failed * 100 / total : 0));
                /* answer time over every answered request in the store (avg_answer_ms: since this start) */
                json_object_set_new(o, "avg_answer_ms_all", json_integer(db_col_int64(s, 4)));
            }
        }
        db_finalize(s);
    }
    zx_date today = zx_today();
    char td[11];
    zx_date_format(today, td);
    json_t *arr = zx_inq_today_by_court(c, today, stats_keep, &r->who);
    if (!arr) arr = json_array();
    zx_reply_json(r, 200, json_pack("{s:s,s:o,s:o}", "date", td, "institutions", inst, "courts", arr));
}

static const struct zx_route inquiry_routes[] = {
    { "POST", "/api/v1/cases/:id/inquiries", inquiry_start, ZX_R_USER, ROLE_CASE_WORK, NULL, "发起网络执行查控（全部或指定类别）" },
    { "GET", "/api/v1/cases/:id/inquiries", inquiry_list, ZX_R_USER, ROLE_BUSINESS, NULL, "查控记录与各机构状态" },
    { "GET", "/api/v1/cases/:id/assets", assets_list, ZX_R_USER, ROLE_BUSINESS, NULL, "财产清单（查控结果，查看留痕）" },
    { "GET", "/api/v1/cases/:id/asset-graph", asset_graph, ZX_R_USER, ROLE_BUSINESS, NULL, "财产线索图" },
    { "POST", "/api/v1/assets/:id/freeze", asset_freeze, ZX_R_USER, ROLE_CASE_WORK, NULL, "冻结（查封）财产（禁止超标的）" },
    { "POST", "/api/v1/assets/:id/deduct", asset_deduct, ZX_R_USER, ROLE_CASE_WORK, NULL, "扣划已冻结款项（到账入案款账户）" },
    { "POST", "/api/v1/assets/:id/release", asset_release, ZX_R_USER, ROLE_CASE_WORK, NULL, "解除冻结（查封）" },
    { "POST", "/api/v1/controls/:id/renew", control_renew, ZX_R_USER, ROLE_CASE_WORK, NULL, "续行冻结（查封）" },
    { "GET", "/api/v1/controls", controls_list, ZX_R_USER, ROLE_BUSINESS, NULL, "控制措施登记簿（到期预警）" },
    { "GET", "/api/v1/inquiry/institutions", institutions_list, ZX_R_USER, 0, NULL, "查控协作机构" },
    { "GET", "/api/v1/inquiry/stats", inquiry_stats, ZX_R_USER, ROLE_JUDGE | ROLE_CHIEF | ROLE_COMMAND | ROLE_SYSADMIN, NULL, "查控运行情况（指挥中心）" },
};
ZX_ROUTES(inquiry_routes)
