/* funds_corrections.c — 更正 API (docs/api/funds.md "Corrections"; service: src/funds/corrections.c):
 *   POST /api/v1/funds/transfers/:id/corrections   finance: propose {action, to_case_id|to_case_no, amount_fen, reason}
 *   GET  /api/v1/funds/corrections[?status=]        the court's corrections
 *   POST /api/v1/funds/corrections/:id/approve      执行局长: {approve, opinion} (also from the approval inbox)
 *   POST /api/v1/funds/corrections/:id/cancel       finance: withdraw before the decision
 * Each is one transaction with the ledger transfers, the case events and the audit record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "audit/audit.h"
#include "funds/corrections.h"
#include "funds/funds.h"
#include "http/http.h"

static json_t *jid(int64_t id)
{
    if (id <= 0) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}

static void dberr(zx_req *r)
{
    zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
}

static json_t *corr_json(const zx_correction *k)
{
    return json_pack("{s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:I,s:s,s:s,s:s}", "id", jid(k->id), "transfer_id",
                     jid(k->transfer_id), "arrival_id", jid(k->arrival_id), "action", k->action, "action_label",
                     !strcmp(k->action, "reverse") ? "冲回专户" : k->to_case_id ? "改记到其他案件" : "退回待认领",
                     "from_case_id", jid(k->from_case_id), "from_case_no",
                     *k->from_case_no ? json_string(k->from_case_no) : json_null(), "to_case_id", jid(k->to_case_id),
                     "to_case_no", *k->to_case_no ? json_string(k->to_case_no) : json_null(), "amount_fen",
                     (json_int_t)k->amount_fen, "reason", k->reason, "status", k->status, "booked_on", k->booked_on);
}

static void reply_corr(zx_req *r, db_conn *c, int64_t id, int status)
{
    zx_correction k;
    if (zx_funds_correction_load(c, id, &k) != 0) return dberr(r);
    zx_reply_json(r, status, corr_json(&k));
}

static void reply_ferr(zx_req *r, const zx_funds_err *e)
{
    zx_reply_error(r, e->status ? e->status : 500, e->code ? e->code : "DB_ERROR", "%s", e->message);
}

static void propose(zx_req *r)
{
    int64_t tid;
    if (!zx_param_id(r, "id", &tid)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    json_t *v = json_object_get(b, "to_case_id"), *amt = json_object_get(b, "amount_fen");
    const char *cn = json_string_value(json_object_get(b, "to_case_no"));
    zx_correction_in in = { .transfer_id = tid, .action = json_string_value(json_object_get(b, "action")),
                            .reason = json_string_value(json_object_get(b, "reason")) };
    if (amt && !json_is_null(amt)) {
        if (!json_is_integer(amt) || json_integer_value(amt) <= 0)
            return zx_reply_error(r, 400, "INVALID_AMOUNT", "更正金额必须是大于零的整数（分）");
        in.amount_fen = (int64_t)json_integer_value(amt);
    }
    if (json_is_string(v)) in.to_case_id = strtoll(json_string_value(v), NULL, 10);
    else if (json_is_integer(v)) in.to_case_id = (int64_t)json_integer_value(v);
    else if (cn && *cn) {
        char canon[ZX_CASE_NO_MAX];
        db_stmt *s = db_prepare(c, "SELECT id FROM enf_case WHERE case_no = ? AND court_id = ?");
        if (!s) return dberr(r);
        db_bind_text(s, 1, zx_funds_case_no_in_text(cn, canon) ? canon : cn, -1);
        db_bind_int64(s, 2, r->who.court_id);
        if (db_step(s) == DB_ROW) in.to_case_id = db_col_int64(s, 0);
        db_finalize(s);
        if (in.to_case_id <= 0) return zx_reply_error(r, 404, "NOT_FOUND", "本院没有该案号的案件");
    }
    if (db_begin(c)) return dberr(r);
    int64_t id = 0;
    zx_funds_err e = { 0 };
    int rc = zx_funds_correction_propose(c, &in, r->who.user_id, r->who.court_id, &id, &e);
    if (rc) return reply_ferr(r, &e);
    char *detail = zx_sprintf(r, "{\"transfer_id\":\"%lld\",\"action\":\"%s\"}", (long long)tid, in.action);
    if (zx_audit_req(r, c, "funds.correction.propose", "fund_correction", id, "ok", detail) || db_commit(c))
        return dberr(r);
    reply_corr(r, c, id, 201);
}

static void list(zx_req *r)
{
    const char *st = zx_query(r, "status");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id FROM fund_correction WHERE court_id = ? AND (? = '' OR status = ?)"
                               " ORDER BY created_ms DESC LIMIT 200");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, r->who.court_id);
    db_bind_text(s, 2, st ? st : "", -1);
    db_bind_text(s, 3, st ? st : "", -1);
    int64_t ids[200];
    int n = 0;
    while (n < 200 && db_step(s) == DB_ROW) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        zx_correction k;
        if (zx_funds_correction_load(c, ids[i], &k) == 0) json_array_append_new(items, corr_json(&k));
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The correction, in the caller's court (replies 404). */
static bool scoped(zx_req *r, db_conn *c, int64_t id, zx_correction *k)
{
    int rc = zx_funds_correction_load(c, id, k);
    if (rc < 0) {
        dberr(r);
        return false;
    }
    if (rc == 1 || !zx_can_see_court(&r->who, k->court_id)) {
        zx_reply_error(r, 404, "NOT_FOUND", "更正申请不存在");
        return false;
    }
    return true;
}

static void approve(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *ap = json_object_get(b, "approve");
    if (!json_is_boolean(ap)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "approve 应为 true（批准）或 false（退回）");
    const char *op = json_string_value(json_object_get(b, "opinion"));
    if (op && strlen(op) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "意见过长");
    db_conn *c = zx_db(r);
    zx_correction k;
    if (!scoped(r, c, id, &k)) return;
    if (k.court_id != r->who.court_id) return zx_reply_error(r, 403, "FORBIDDEN", "只能审批本院的更正申请");
    if (db_begin(c)) return dberr(r);
    zx_funds_err e = { 0 };
    if (zx_funds_correction_decide(c, id, r->who.user_id, json_is_true(ap), op, &e)) return reply_ferr(r, &e);
    if (zx_approval_settle(c, r, "funds_correction", k.from_case_id ? k.from_case_id : k.to_case_id, id, json_is_true(ap),
                           op ? op : "") < 0)
        return dberr(r);
    if (zx_audit_req(r, c, json_is_true(ap) ? "funds.correction.approve" : "funds.correction.return", "fund_correction", id,
                     "ok", NULL) ||
        db_commit(c))
        return dberr(r);
    reply_corr(r, c, id, 200);
}

static void cancel(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_correction k;
    if (!scoped(r, c, id, &k)) return;
    if (db_begin(c)) return dberr(r);
    zx_funds_err e = { 0 };
    if (zx_funds_correction_cancel(c, id, r->who.user_id, &e)) return reply_ferr(r, &e);
    if (zx_approval_withdraw(c, r, "funds_correction", k.from_case_id ? k.from_case_id : k.to_case_id, id) < 0)
        return dberr(r);
    if (zx_audit_req(r, c, "funds.correction.cancel", "fund_correction", id, "ok", NULL) || db_commit(c)) return dberr(r);
    reply_corr(r, c, id, 200);
}

static const struct zx_route routes[] = {
    { "POST", "/api/v1/funds/transfers/:id/corrections", propose, ZX_R_USER, ROLE_FINANCE, NULL,
      "申请更正一笔转账（冲回专户、改记到其他案件或退回待认领）" },
    { "GET", "/api/v1/funds/corrections", list, ZX_R_USER, ROLE_FINANCE | ROLE_CHIEF | ROLE_COMMAND, NULL, "案款更正申请" },
    { "POST", "/api/v1/funds/corrections/:id/approve", approve, ZX_R_USER, ROLE_CHIEF, NULL, "审批案款更正" },
    { "POST", "/api/v1/funds/corrections/:id/cancel", cancel, ZX_R_USER, ROLE_FINANCE, NULL, "撤回案款更正申请" },
};
ZX_ROUTES(routes)
