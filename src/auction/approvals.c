/* approvals.c — disposal decisions that need more than the handling judge, through the one approval
 * inbox (src/approval/approval.h).
 *
 * 网拍规定 art 27: 起拍价及其降价幅度 … 应当由人民法院组成合议庭评议确定 — the start price of a re-auction
 * below the previous one (降价, art 26) and the 变卖 price after the second 流拍 are the panel's
 * decision, signed off by the 院/庭长. A judge's POST /lots/:id/rounds that cuts the price (or opens
 * a 变卖) is checked against every statutory number first (art 26: ≤ 20 %, within 30 d; 网络变卖: at
 * the second 起拍价) and then waits in the inbox as kind "auction_price_cut" with the round's body;
 * on approval the round is created with the same checks (the dates are judged again on the day of
 * the signature), in the approving transaction; on return nothing is published. */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "auction/auction.h"
#include "core/money.h"

int zx_au_lot_action(zx_req *r, db_conn *c, int64_t lot_id, const char *action, json_t *body, int64_t *obj, zx_au_err *e);

static int cut_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    if (!a->data) {
        zx_approval_err_set(err, 409, "INVALID_STATE", "审批事项缺少拍卖轮次内容");
        return -1;
    }
    json_t *body = json_deep_copy(a->data);
    zx_au_err e = { 0 };
    int64_t round = 0;
    int rc = zx_au_lot_action(r, c, a->object_id, "round_approved", body, &round, &e);
    json_decref(body);
    if (rc > 0) zx_approval_err_set(err, e.status, e.code, "%s", e.message);
    return rc ? -1 : 0;
}

static void cut_after(zx_req *r, const zx_approval *a, bool approved)
{
    if (approved) zx_au_engine_invalidate(a->object_id);
}

static const struct zx_approval_kind price_cut_kind = {
    .kind = "auction_price_cut", .label = "拍卖降价/变卖价（合议庭评议，网拍规定第二十七条）", .approver_roles = ROLE_CHIEF,
    .on_approved = cut_approved, .after_commit = cut_after,
};
ZX_APPROVAL_KIND(price_cut_kind)

int zx_au_price_cut_submit(zx_req *r, db_conn *c, int64_t case_id, int64_t lot_id, const char *title, int round_no, bool fixed,
                           int64_t start_fen, int64_t prev_start_fen, zx_date decide_by, json_t *body, zx_au_err *e)
{
    char price[ZX_MONEY_BUF], summary[480];
    zx_money_format(start_fen, price);
    if (fixed)
        snprintf(summary, sizeof summary, "《%.200s》二拍流拍后变卖，变卖价 %s 元", title, price);
    else
        snprintf(summary, sizeof summary, "《%.200s》第%d次拍卖起拍价 %s 元，较前次降价 %.1f%%", title, round_no, price,
                 prev_start_fen > 0 ? (double)(prev_start_fen - start_fen) * 100.0 / (double)prev_start_fen : 0.0);
    int64_t id = zx_approval_submit(c, r, "auction_price_cut", case_id, lot_id, summary, decide_by);
    if (id == ZX_APPROVAL_EDUP) {
        zx_au_fail(e, 409, "APPROVAL_PENDING", "该标的已有待审批的降价/变卖事项");
        return 1;
    }
    if (id < 0 || zx_approval_set_data(c, id, body)) return -1;
    json_t *d = json_pack("{s:I,s:I,s:I,s:b,s:s}", "approval_id", (json_int_t)id, "round_no", (json_int_t)round_no, "start_fen",
                          (json_int_t)start_fen, "fixed_sale", fixed, "summary", summary);
    int64_t ev = zx_au_case_event(c, case_id, r ? r->who.user_id : 0, NULL, "price_cut_submitted",
                                  fixed ? "变卖价提请合议庭评议、院庭长审批" : "降价再次拍卖提请合议庭评议、院庭长审批", d);
    json_decref(d);
    if (ev < 0) return -1;
    e->status = 202;
    e->code = "PENDING_APPROVAL";
    snprintf(e->message, sizeof e->message, "已提交审批（网拍规定第二十七条：降价幅度由合议庭评议确定）");
    return 0;
}

/* The pending price-cut item of a lot, for the panel: {id, summary, submitted_at} or null. */
json_t *zx_au_pending_cut_json(db_conn *c, int64_t lot_id)
{
    db_stmt *s = db_prepare(c, "SELECT id, summary, submitted_on, due_on FROM approval WHERE kind = 'auction_price_cut' AND object_id = ?"
                               " AND status = 'pending' ORDER BY submitted_ms DESC LIMIT 1");
    if (!s) return json_null();
    db_bind_int64(s, 1, lot_id);
    json_t *o = json_null();
    if (db_step(s) == DB_ROW) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)db_col_int64(s, 0));
        o = json_pack("{s:s,s:s,s:s,s:s?}", "id", id, "summary", db_col_text(s, 1), "submitted_on", db_col_text(s, 2), "due_on",
                      db_col_text(s, 3));
    }
    db_finalize(s);
    return o;
}
