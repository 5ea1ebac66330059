/* funds_distribution.c — 参与分配 plans (docs/api/funds.md):
 *   POST /api/v1/cases/:id/distributions   {amount_fen, enterprise, claims:[{creditor,class,claim_fen,seized_on}]}
 *   GET  /api/v1/funds/distributions/:id   the plan with each share
 *   POST /api/v1/funds/distributions/:id/serve    {served_on} → objection_due_on (+15 days, 民诉解释 art 509)
 *   POST /api/v1/funds/distributions/:id/outcome  {outcome, on} — the objection procedure (arts 509–510)
 *   GET  /api/v1/cases/:id/distributions  the case's plans
 *   GET  /api/v1/funds/distributions/:id/pdf      the plan as a PDF */
#include <stdio.h>
#include <string.h>

#include "api/case_access.h"
#include "account/authz.h"
#include "audit/audit.h"
#include "case/case.h"
#include "funds/distribution.h"
#include "funds/payouts.h"
#include "http/http.h"

static void dberr(zx_req *r)
{
    zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
}

static void dist_create(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *amt = json_object_get(b, "amount_fen"), *claims = json_object_get(b, "claims");
    if (!json_is_integer(amt)) return zx_reply_error(r, 400, "INVALID_AMOUNT", "amount_fen 必须是整数（分）");
    if (!json_is_array(claims) || json_array_size(claims) < 1 || json_array_size(claims) > 200)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "claims 应为1至200项债权");
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, "funds.write")) return;
    int n = (int)json_array_size(claims);
    zx_dist_claim *cl = zx_alloc(r, (size_t)n * sizeof *cl);
    memset(cl, 0, (size_t)n * sizeof *cl);
    for (int i = 0; i < n; i++) {
        json_t *o = json_array_get(claims, (size_t)i), *cf = json_object_get(o, "claim_fen");
        const char *cr = json_string_value(json_object_get(o, "creditor")), *kl = json_string_value(json_object_get(o, "class"));
        const char *so = json_string_value(json_object_get(o, "seized_on"));
        if (!json_is_object(o) || !cr || !kl || !json_is_integer(cf) || strlen(cr) >= sizeof cl[i].creditor ||
            strlen(kl) >= sizeof cl[i].klass || (so && strlen(so) >= sizeof cl[i].seized_on))
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "第%d项债权格式不正确", i + 1);
        snprintf(cl[i].creditor, sizeof cl[i].creditor, "%s", cr);
        snprintf(cl[i].klass, sizeof cl[i].klass, "%s", kl);
        snprintf(cl[i].seized_on, sizeof cl[i].seized_on, "%s", so ? so : "");
        cl[i].claim_fen = (int64_t)json_integer_value(cf);
    }
    if (db_begin(c)) return dberr(r);
    int64_t did = 0;
    char err[256] = "";
    int rc = zx_distribution_create(c, id, r->who.user_id, (int64_t)json_integer_value(amt),
                                    json_is_true(json_object_get(b, "enterprise")), cl, n, &did, err, sizeof err);
    if (rc == 1) return zx_reply_error(r, 400, "VALIDATION_FAILED", "%s", err);
    if (rc == 2) return zx_reply_error(r, 422, "INSUFFICIENT_BALANCE", "%s", err);
    if (rc < 0 || zx_audit_req(r, c, "funds.distribution.create", "fund_distribution", did, "ok", NULL) || db_commit(c))
        return dberr(r);
    json_t *o = zx_distribution_json(c, did, NULL);
    if (!o) return dberr(r);
    zx_reply_json(r, 201, o);
}

static json_t *load_scoped(zx_req *r, int64_t *id)
{
    if (!zx_param_id(r, "id", id)) return NULL;
    int64_t court = 0;
    json_t *o = zx_distribution_json(zx_db(r), *id, &court);
    if (!o || !zx_can_see_court(&r->who, court)) {
        json_decref(o);
        zx_reply_error(r, 404, "NOT_FOUND", "分配方案不存在");
        return NULL;
    }
    return o;
}

static void dist_get(zx_req *r)
{
    int64_t id;
    json_t *o = load_scoped(r, &id);
    if (o) zx_reply_json(r, 200, o);
}

static void dist_step(zx_req *r, bool serve)
{
    int64_t id;
    json_t *o = load_scoped(r, &id);
    if (!o) return;
    json_decref(o);
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    if (db_begin(c)) return dberr(r);
    /* the case first (its row lock on PostgreSQL), and the caller must be one who may write it */
    int64_t case_id = zx_distribution_case(c, id);
    zx_case k;
    int rc = case_id > 0 ? zx_case_load(c, case_id, &k) : -1;
    if (rc) {
        db_rollback(c);
        return rc == 1 ? zx_reply_error(r, 404, "NOT_FOUND", "分配方案不存在") : dberr(r);
    }
    if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_WRITE)) {
        db_rollback(c);
        return;
    }
    char err[256] = "";
    const char *v = json_string_value(json_object_get(b, serve ? "served_on" : "outcome"));
    /* 民诉解释 art 510: while the objector's suit runs, money distributed leaves the disputed amount in 提存 —
     * the suit is registered with that amount and its 提存 is proposed at once (the 执行局长 approves it) */
    int64_t disputed = 0;
    if (!serve && v && !strcmp(v, "suit_filed")) {
        json_t *dv = json_object_get(b, "disputed_fen");
        if (!json_is_integer(dv) || json_integer_value(dv) <= 0)
            return zx_reply_error(r, 400, "INVALID_AMOUNT", "请填写争议债权数额（分，大于零），该数额的款项予以提存（民诉解释第510条）");
        disputed = (int64_t)json_integer_value(dv);
    }
    rc = serve ? zx_distribution_serve(c, id, r->who.user_id, v, err, sizeof err)
               : zx_distribution_outcome(c, id, r->who.user_id, v, json_string_value(json_object_get(b, "on")), err, sizeof err);
    if (rc == 1) return zx_reply_error(r, 400, "VALIDATION_FAILED", "%s", err);
    if (rc == 2) return zx_reply_error(r, 409, "INVALID_STATE", "%s", err);
    int64_t escrow_id = 0;
    if (rc == 0 && disputed > 0) {
        zx_payout_in in = { .kind = "escrow", .amount_fen = disputed, .reason = "disputed" };
        zx_funds_err e = { 0 };
        int prc = zx_funds_payout_propose(c, case_id, r->who.user_id, &in, &escrow_id, &e);
        if (prc) return zx_reply_error(r, e.status ? e.status : 500, e.code ? e.code : "DB_ERROR", "%s", e.message);
    }
    if (rc < 0 || zx_audit_req(r, c, serve ? "funds.distribution.serve" : "funds.distribution.outcome", "fund_distribution",
                               id, "ok", NULL) || db_commit(c))
        return dberr(r);
    o = zx_distribution_json(c, id, NULL);
    if (!o) return dberr(r);
    if (escrow_id > 0) { /* the 提存 proposed for the disputed amount (GET /cases/:id/payouts) */
        char pid[24];
        snprintf(pid, sizeof pid, "%lld", (long long)escrow_id);
        json_object_set_new(o, "escrow_payout_id", json_string(pid));
    }
    zx_reply_json(r, 200, o);
}

static void dist_list(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, "funds.read")) return;
    zx_reply_json(r, 200, json_pack("{s:o}", "items", zx_distribution_list(c, id)));
}

static void dist_serve(zx_req *r) { dist_step(r, true); }
static void dist_outcome(zx_req *r) { dist_step(r, false); }

static void dist_pdf(zx_req *r)
{
    int64_t id, court = 0;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *o = zx_distribution_json(zx_db(r), id, &court);
    if (!o || !zx_can_see_court(&r->who, court)) {
        json_decref(o);
        return zx_reply_error(r, 404, "NOT_FOUND", "分配方案不存在");
    }
    const zx_court *ct = zx_court_by_id(court);
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = zx_distribution_pdf(o, ct ? ct->name : "", &pdf, &len);
    json_decref(o);
    if (rc) return dberr(r);
    zx_reply_raw(r, 200, "application/pdf", pdf, len, "inline; filename=\"distribution.pdf\"");
    free(pdf);
}

static const struct zx_route routes[] = {
    { "GET", "/api/v1/cases/:id/distributions", dist_list, ZX_R_USER, 0, NULL, "案件的参与分配方案" },
    { "POST", "/api/v1/cases/:id/distributions", dist_create, ZX_R_USER, ROLE_CASE_WORK, NULL, "制作参与分配方案" },
    { "GET", "/api/v1/funds/distributions/:id", dist_get, ZX_R_USER, 0, NULL, "分配方案详情" },
    { "POST", "/api/v1/funds/distributions/:id/serve", dist_serve, ZX_R_USER, ROLE_CASE_WORK, NULL, "分配方案送达" },
    { "POST", "/api/v1/funds/distributions/:id/outcome", dist_outcome, ZX_R_USER, ROLE_CASE_WORK, NULL, "分配方案异议结果" },
    { "GET", "/api/v1/funds/distributions/:id/pdf", dist_pdf, ZX_R_USER, 0, NULL, "分配方案（PDF）" },
};
ZX_ROUTES(routes)
