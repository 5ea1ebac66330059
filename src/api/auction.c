/* auction.c — staff API of the disposal (docs/api/auction.md): lots of a case, the reference-price
 * procedure, rounds, outcomes. Each write = one transaction (rows + case event + audit), then the
 * live bidding state of the lot is refreshed. Case permissions: zx_authz_case (read/write). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "auction/auction.h"
#include "audit/audit.h"
#include "case/case.h"
#include "http/http.h"

int zx_au_lot_create(zx_req *r, db_conn *c, int64_t case_id, int64_t court_id, json_t *b, int64_t *id_out, zx_au_err *e);
int zx_au_lot_action(zx_req *r, db_conn *c, int64_t lot_id, const char *action, json_t *body, int64_t *obj, zx_au_err *e);
json_t *zx_au_case_lots(db_conn *c, int64_t case_id);

#define AU_WRITE (ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CHIEF)

/* Load the case and check access; replies and returns false on refusal. */
static bool case_access(zx_req *r, db_conn *c, int64_t case_id, enum zx_case_access need)
{
    zx_case k;
    int rc = zx_case_load(c, case_id, &k);
    if (rc) {
        zx_reply_error(r, rc > 0 ? 404 : 503, rc > 0 ? "NOT_FOUND" : "BUSY", rc > 0 ? "案件不存在" : "系统繁忙");
        return false;
    }
    return zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, need);
}

static bool lot_access(zx_req *r, db_conn *c, int64_t lot_id, enum zx_case_access need)
{
    int64_t case_id = 0, court_id = 0;
    int rc = zx_au_lot_case(c, lot_id, &case_id, &court_id);
    if (rc) {
        zx_reply_error(r, rc > 0 ? 404 : 503, rc > 0 ? "NOT_FOUND" : "BUSY", rc > 0 ? "标的物不存在" : "系统繁忙");
        return false;
    }
    return case_access(r, c, case_id, need);
}

static void reply_lot(zx_req *r, db_conn *c, int64_t lot_id, int status)
{
    json_t *o = zx_au_lot_json(c, lot_id, true);
    if (!o) return zx_reply_error(r, 404, "NOT_FOUND", "标的物不存在");
    zx_reply_json(r, status, o);
}

static void lots_of_case(zx_req *r)
{
    int64_t case_id;
    if (!zx_param_id(r, "id", &case_id)) return;
    db_conn *c = zx_db(r);
    if (!case_access(r, c, case_id, ZX_CASE_READ)) return;
    zx_reply_json(r, 200, json_pack("{s:o}", "lots", zx_au_case_lots(c, case_id)));
}

static void lot_create(zx_req *r)
{
    int64_t case_id;
    if (!zx_param_id(r, "id", &case_id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    zx_case k;
    int rc = zx_case_load(c, case_id, &k);
    if (rc) return zx_reply_error(r, rc > 0 ? 404 : 503, rc > 0 ? "NOT_FOUND" : "BUSY", rc > 0 ? "案件不存在" : "系统繁忙");
    if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_WRITE)) return;
    if (!strcmp(k.status, "closed")) return zx_reply_error(r, 409, "CASE_CLOSED", "案件已结案");
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    zx_au_err e = { 0 };
    int64_t id = 0;
    rc = zx_au_lot_create(r, c, case_id, k.court_id, b, &id, &e);
    if (rc == 0) {
        char *detail = json_dumps(b, JSON_COMPACT);
        rc = zx_audit_req(r, c, "auction.lot_create", "auction_lot", id, "ok", detail) ? -1 : 0;
        free(detail);
    }
    if (rc == 0 && db_commit(c) == 0) return reply_lot(r, c, id, 201);
    db_rollback(c);
    if (rc > 0) return zx_au_reply_err(r, &e);
    zx_reply_error(r, 500, "INTERNAL", "保存失败");
}

static void lot_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    if (!lot_access(r, c, id, ZX_CASE_READ)) return;
    reply_lot(r, c, id, 200);
}

/* One action on a lot; path ids (step, objection) are passed to the service in the body. */
static void lot_do(zx_req *r, const char *action)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *extra[] = { "step_id", "objection_id" };
    for (int i = 0; i < 2; i++) {
        const char *v = zx_param(r, extra[i]);
        if (v) {
            int64_t x;
            if (!zx_param_id(r, extra[i], &x)) return;
            json_object_set_new(b, extra[i], json_string(v));
        }
    }
    db_conn *c = zx_db(r);
    if (!lot_access(r, c, id, ZX_CASE_WRITE)) return;
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    zx_au_err e = { 0 };
    int64_t obj = 0;
    int rc = zx_au_lot_action(r, c, id, action, b, &obj, &e);
    if (rc == 0 && db_commit(c) == 0) {
        zx_au_engine_invalidate(id);
        return reply_lot(r, c, id, e.status == 202 ? 202 : 200); /* 202: waits in the approval inbox */
    }
    db_rollback(c);
    if (rc > 0) return zx_au_reply_err(r, &e);
    zx_reply_error(r, 500, "INTERNAL", "保存失败");
}

/* An action of costs.c / objections.c: the same transaction shape (rows + case event + audit). */
typedef int (*lot_fn2)(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_cost_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_cost_repay(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_pobj_forward(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_pobj_explained(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_pobj_industry(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_objection_file(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_objection_decide(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_result_correction(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_result_corrected(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_lien_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_restitution_file(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_restitution_outcome(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_restitution_refund(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);

static void lot_do2(zx_req *r, lot_fn2 fn, const char *audit)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *extra[] = { "step_id", "objection_id", "cost_id", "result_id" };
    for (int i = 0; i < 4; i++) {
        const char *v = zx_param(r, extra[i]);
        if (v) {
            int64_t x;
            if (!zx_param_id(r, extra[i], &x)) return;
            json_object_set_new(b, extra[i], json_string(v));
        }
    }
    db_conn *c = zx_db(r);
    if (!lot_access(r, c, id, ZX_CASE_WRITE)) return;
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    zx_au_err e = { 0 };
    int64_t obj = 0;
    int rc = fn(r, c, id, b, &obj, &e);
    if (rc == 0) {
        char *detail = json_dumps(b, JSON_COMPACT);
        rc = zx_audit_req(r, c, audit, "auction_lot", id, "ok", detail) ? -1 : 0;
        free(detail);
    }
    if (rc == 0 && db_commit(c) == 0) {
        zx_au_engine_invalidate(id);
        return reply_lot(r, c, id, e.status == 202 ? 202 : 200); /* 202: waits in the approval inbox */
    }
    db_rollback(c);
    if (rc > 0) return zx_au_reply_err(r, &e);
    zx_reply_error(r, 500, "INTERNAL", "保存失败");
}

static void cost_add(zx_req *r) { lot_do2(r, zx_au_cost_add, "auction.cost"); }
static void cost_repay(zx_req *r) { lot_do2(r, zx_au_cost_repay, "auction.cost_repay"); }
static void pobj_forward(zx_req *r) { lot_do2(r, zx_au_pobj_forward, "auction.price_objection_forward"); }
static void pobj_explained(zx_req *r) { lot_do2(r, zx_au_pobj_explained, "auction.price_objection_explained"); }
static void pobj_industry(zx_req *r) { lot_do2(r, zx_au_pobj_industry, "auction.price_objection_industry_review"); }
static void objection_file(zx_req *r) { lot_do2(r, zx_au_objection_file, "auction.objection"); }
static void objection_decide2(zx_req *r) { lot_do2(r, zx_au_objection_decide, "auction.objection_decide"); }
static void result_correction(zx_req *r) { lot_do2(r, zx_au_result_correction, "auction.price_result_correction"); }
static void result_corrected(zx_req *r) { lot_do2(r, zx_au_result_corrected, "auction.price_result_corrected"); }
static void lien_add(zx_req *r) { lot_do2(r, zx_au_lien_add, "auction.lien"); }
static void restitution(zx_req *r) { lot_do2(r, zx_au_restitution_file, "auction.restitution_request"); }
static void restitution_outcome(zx_req *r) { lot_do2(r, zx_au_restitution_outcome, "auction.restitution_outcome"); }
static void restitution_refund(zx_req *r) { lot_do2(r, zx_au_restitution_refund, "auction.restitution_refund"); }

static void price_step(zx_req *r) { lot_do(r, "price_step"); }
static void price_result(zx_req *r) { lot_do(r, "price_result"); }
static void price_extend(zx_req *r) { lot_do(r, "price_extend"); }
static void price_objection(zx_req *r) { lot_do(r, "objection"); }
static void institution_failed(zx_req *r) { lot_do(r, "institution_failed"); }
static void objection_decide(zx_req *r) { lot_do(r, "objection_decide"); }
static void price_fix(zx_req *r) { lot_do(r, "price_fix"); }
static void priority_add(zx_req *r) { lot_do(r, "priority"); }
static void bar_add(zx_req *r) { lot_do(r, "bar"); }
static void round_create(zx_req *r) { lot_do(r, "round"); }
static void payment(zx_req *r) { lot_do(r, "payment"); }
static void default_(zx_req *r) { lot_do(r, "default"); }
static void in_kind(zx_req *r) { lot_do(r, "in_kind"); }
static void release_(zx_req *r) { lot_do(r, "release"); }

/* GET /api/v1/auction-rules — the numbers the forms check against (rules/auction.c). */
#include "rules/auction.h"
static void rules_get(zx_req *r)
{
    const zx_auction_rules *R = &ZX_AUCTION_RULES;
    zx_reply_json(r, 200, json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:I,s:I,s:i,s:i,s:i}",
                                    "start_price_min_pct", R->start_price_min_pct, "deposit_min_pct", R->deposit_min_pct,
                                    "deposit_max_pct", R->deposit_max_pct, "announce_days_movable", R->announce_days_movable,
                                    "announce_days_real_estate", R->announce_days_real_estate, "reannounce_days_movable",
                                    R->reannounce_days_movable, "reannounce_days_real_estate", R->reannounce_days_real_estate,
                                    "reauction_within_days", R->reauction_within_days, "reauction_max_cut_pct",
                                    R->reauction_max_cut_pct, "objection_days", R->objection_days, "online_report_days",
                                    R->online_report_days, "bidding_min_ms", (json_int_t)R->bidding_min_ms, "soft_close_ms",
                                    (json_int_t)R->soft_close_ms, "fixed_sale_days", R->fixed_sale_days, "appraisal_report_days",
                                    R->appraisal_report_days, "appraisal_institutions", R->appraisal_institutions));
}

static const struct zx_route auction_routes[] = {
    { "GET", "/api/v1/cases/:id/lots", lots_of_case, ZX_R_USER, ROLE_BUSINESS, NULL, "案件的处置标的（参考价、拍卖轮次、结果）" },
    { "POST", "/api/v1/cases/:id/lots", lot_create, ZX_R_USER, AU_WRITE, NULL, "处置立项：登记待处置财产" },
    { "GET", "/api/v1/lots/:id", lot_get, ZX_R_USER, ROLE_BUSINESS, NULL, "处置标的详情（处置面板）" },
    { "POST", "/api/v1/lots/:id/price-steps", price_step, ZX_R_USER, AU_WRITE, NULL, "确定参考价：议价/定向询价/网络询价/委托评估" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/results", price_result, ZX_R_USER, AU_WRITE, NULL, "登记询价/评估结果" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/extension", price_extend, ZX_R_USER, AU_WRITE, NULL, "询价/评估延期" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/institution-failed", institution_failed, ZX_R_USER, AU_WRITE, NULL, "评估机构未能出具报告：委托下一家（参考价规定第十九条）" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/objections", price_objection, ZX_R_USER, AU_WRITE, NULL, "登记参考价异议" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/objections/:objection_id/decision", objection_decide, ZX_R_USER, AU_WRITE, NULL, "异议处理结果" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/objections/:objection_id/forward", pobj_forward, ZX_R_USER, AU_WRITE, NULL, "技术性异议交评估机构说明（参考价规定第二十三条，3 日内）" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/objections/:objection_id/explanation", pobj_explained, ZX_R_USER, AU_WRITE, NULL, "评估机构作出书面说明（5 日内）" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/objections/:objection_id/industry-review", pobj_industry, ZX_R_USER, AU_WRITE, NULL, "提交行业协会专业技术评审" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/results/:result_id/correction", result_correction, ZX_R_USER, AU_WRITE, NULL, "责令报告补正（三日内，参考价规定第十二条、第二十条）" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/results/:result_id/corrected", result_corrected, ZX_R_USER, AU_WRITE, NULL, "登记补正后的报告价格" },
    { "POST", "/api/v1/lots/:id/objections", objection_file, ZX_R_USER, AU_WRITE, NULL, "对网络司法拍卖提出异议（网拍规定第三十一条；执行行为异议）" },
    { "POST", "/api/v1/lots/:id/objections/:objection_id/decision", objection_decide2, ZX_R_USER, AU_WRITE, NULL, "拍卖异议裁定（15 日内；成立则撤销拍卖）" },
    { "POST", "/api/v1/lots/:id/costs", cost_add, ZX_R_USER, AU_WRITE, NULL, "登记处置费用（评估费、拍卖辅助费等）及负担人" },
    { "POST", "/api/v1/lots/:id/costs/:cost_id/repay", cost_repay, ZX_R_USER, AU_WRITE, NULL, "从案款中返还申请执行人垫付的处置费用" },
    { "POST", "/api/v1/lots/:id/price-steps/:step_id/fix", price_fix, ZX_R_USER, AU_WRITE, NULL, "确定参考价（网络询价取平均值）" },
    { "POST", "/api/v1/lots/:id/priority-holders", priority_add, ZX_R_USER, AU_WRITE, NULL, "确认优先购买权人及顺位" },
    { "POST", "/api/v1/lots/:id/bars", bar_add, ZX_R_USER, AU_WRITE, NULL, "登记不得竞买人员（工作人员及近亲属）" },
    { "POST", "/api/v1/lots/:id/rounds", round_create, ZX_R_USER, AU_WRITE, NULL, "发布拍卖/变卖公告（新一轮）" },
    { "POST", "/api/v1/lots/:id/payment", payment, ZX_R_USER, AU_WRITE | ROLE_FINANCE, NULL, "买受人付清余款：成交裁定、价款入案款账户" },
    { "POST", "/api/v1/lots/:id/default", default_, ZX_R_USER, AU_WRITE, NULL, "悔拍：保证金不予退还，禁止再次竞买" },
    { "POST", "/api/v1/lots/:id/in-kind", in_kind, ZX_R_USER, AU_WRITE, NULL, "以物抵债" },
    { "POST", "/api/v1/lots/:id/liens", lien_add, ZX_R_USER, AU_WRITE, NULL, "登记拍卖财产上的担保物权及其他优先受偿权（拍卖变卖规定第二十八条）" },
    { "POST", "/api/v1/lots/:id/restitution", restitution, ZX_R_USER, AU_WRITE, NULL, "执行回转：已成交并裁定的拍卖被撤销后提请执行回转裁定（民事诉讼法第二百四十四条）" },
    { "POST", "/api/v1/lots/:id/restitution/outcome", restitution_outcome, ZX_R_USER, AU_WRITE, NULL, "执行回转：申请执行人取得的特定物（以物抵债或其买受的标的物）退还原物、经双方同意折价赔偿或终结执行回转程序（执行工作规定第六十六条）" },
    { "POST", "/api/v1/lots/:id/restitution/refund", restitution_refund, ZX_R_USER, AU_WRITE, NULL, "执行回转：登记买受人退款账户，并就尚未退还且案款账户可支付的价款发起发放（网拍规定第三十一条，民法典第一百五十七条）" },
    { "POST", "/api/v1/lots/:id/release", release_, ZX_R_USER, AU_WRITE, NULL, "解除处置（退还被执行人）" },
    { "GET", "/api/v1/auction-rules", rules_get, ZX_R_USER, 0, NULL, "拍卖与参考价的法定数值" },
};
ZX_ROUTES(auction_routes)
