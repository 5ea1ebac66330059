/* transfer.c — the disposal of a case that moves to another court (提级执行 / 指定执行 / 交叉执行): the case
 * module's zx_case_transfer calls this hook (case.h ZX_CASE_MOVE_HOOK) inside the transfer's transaction,
 * before the old court's case closes by 终结执行.
 *
 * What a court expects:
 *  - An auction under way does not change court half-way. The 拍卖公告 was published in the old court's
 *    name, the bidders registered and paid their deposits into its 保证金 account on that announcement,
 *    the bidding runs on it, and the 成交裁定 is the ruling of the court that ran the sale (网拍规定 arts
 *    12–13, 17, 22). So the move is refused (409 AUCTION_IN_PROGRESS, naming the lot and what to finish
 *    first) while a round is announced or bidding, while a sale waits for its balance and ruling, while
 *    a price cut or 变卖 price waits for the panel's signature (art 27), and while a 悔拍 deposit is still
 *    reserved in the old court's 保证金 for the re-sale's difference (art 24: settled against the lot's
 *    next outcome by the court holding the money). The court finishes or withdraws the round first.
 *  - Every lot not yet disposed of — its reference price under way or fixed, or between rounds after a
 *    流拍 — moves to the new court's case with all that hangs on it (price steps and platform inquiries,
 *    objections, priority purchasers, liens, costs, past rounds, 悔拍 bars): the receiving court carries
 *    the disposal on where it stands (the asset itself moves with the case's controls, command/move.c).
 *  - Lots already disposed of (paid and ruled, 以物抵债, released, withdrawn) are the old case's history
 *    and stay with it (a 执行回转 of such a sale is the old court's, 执行工作规定 art 65).
 * Events "disposal" (steps lots_moved_out / lots_moved_in) on both cases, an audit record per lot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auction/auction.h"
#include "case/case.h"
#include "core/date.h"

#define LOT_OPEN "('pricing', 'priced', 'auction', 'fixed_sale')" /* not yet disposed of: these move */

/* The first thing on the case's lots that keeps the case where it is: 1 with err, or 0. */
static int auction_move_check(db_conn *c, const zx_case_move *m, zx_case_err *err)
{
    static const struct { const char *sql, *why; } stops[] = {
        { "SELECT l.title, r.status FROM auction_lot l JOIN auction_round r ON r.lot_id = l.id WHERE l.case_id = ?"
          " AND r.status IN ('bidding', 'announced', 'sold') ORDER BY r.status, l.id LIMIT 1", NULL },
        { "SELECT l.title, '' FROM approval a JOIN auction_lot l ON l.id = a.object_id WHERE a.case_id = ?"
          " AND a.kind = 'auction_price_cut' AND a.status = 'pending' LIMIT 1",
          "的降价或变卖价正待合议庭评议、院庭长审批（网拍规定第二十七条），审批后方可移送执行" },
        { "SELECT l.title, '' FROM auction_forfeit f JOIN auction_lot l ON l.id = f.lot_id WHERE l.case_id = ?"
          " AND f.status = 'reserved' LIMIT 1",
          "的悔拍保证金尚存于本院保证金账户，须待该财产再次拍卖、以物抵债或解除处置时依网拍规定第二十四条结算后方可移送执行" },
    };
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        db_stmt *s = db_prepare(c, stops[i].sql);
        if (!s) return -1;
        db_bind_int64(s, 1, m->case_id);
        char title[200] = "", st[16] = "";
        int rc = db_step(s);
        if (rc == DB_ROW) {
            snprintf(title, sizeof title, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
            snprintf(st, sizeof st, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        }
        db_finalize(s);
        if (rc < 0) return -1;
        if (rc != DB_ROW) continue;
        const char *why = stops[i].why;
        if (!why)
            why = !strcmp(st, "bidding") ? "正在竞价，须待本轮拍卖结束（成交或流拍）后方可移送执行"
                  : !strcmp(st, "announced")
                      ? "的拍卖公告已发布，竞买人依该公告报名、交纳保证金（网拍规定第十二、十三条），须待本轮拍卖结束或依法撤回后方可移送执行"
                      : "已拍卖成交，尚待买受人交付余款并作出成交裁定（网拍规定第二十二条），办结后方可移送执行";
        zx_case_err_set(err, 409, "AUCTION_IN_PROGRESS", "财产《%.120s》%s", title, why);
        return 1;
    }
    return 0;
}

static int auction_move(zx_req *r, db_conn *c, const zx_case_move *m, zx_case_err *err)
{
    if (!m->new_case_id) return auction_move_check(c, m, err);
    json_t *lots = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, title, status FROM auction_lot WHERE case_id = ? AND status IN " LOT_OPEN " ORDER BY id");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, m->case_id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(lots, json_pack("{s:o,s:s,s:s}", "lot_id", zx_json_id(db_col_int64(s, 0)), "title",
                                                  db_col_text(s, 1), "status", db_col_text(s, 2)));
        db_finalize(s);
    }
    size_t n = json_array_size(lots);
    /* a 悔拍 buyer stays barred from the lot, now at the receiving court (网拍规定 art 24); then the lots */
    if (!rc && n)
        rc = db_exec_ids(c, "UPDATE auction_bar SET court_id = ? WHERE lot_id IN (SELECT id FROM auction_lot WHERE case_id = ?"
                      " AND status IN " LOT_OPEN ") AND court_id <> ?", 3, m->to_court, m->case_id, m->to_court);
    if (!rc && n)
        rc = db_exec_ids(c, "UPDATE auction_lot SET court_id = ?, case_id = ? WHERE case_id = ? AND status IN " LOT_OPEN, 3,
                        m->to_court, m->new_case_id, m->case_id);
    char detail[200];
    snprintf(detail, sizeof detail, "{\"case_id\":\"%lld\",\"new_case_id\":\"%lld\",\"new_case_no\":\"%s\"}",
             (long long)m->case_id, (long long)m->new_case_id, m->new_case_no ? m->new_case_no : "");
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t id = strtoll(json_string_value(json_object_get(json_array_get(lots, i), "lot_id")), NULL, 10);
        rc = zx_audit_req(r, c, "auction.lot_moved", "auction_lot", id, "ok", detail);
        zx_au_engine_invalidate(id); /* the live state caches the lot's case and court */
    }
    if (!rc && n) {
        json_t *out = json_pack("{s:O,s:o,s:s,s:I}", "lots", lots, "new_case_id", zx_json_id(m->new_case_id), "new_case_no",
                                m->new_case_no ? m->new_case_no : "", "lots_moved", (json_int_t)n);
        json_t *in = json_pack("{s:O,s:o,s:s,s:I}", "lots", lots, "parent_case_id", zx_json_id(m->case_id), "parent_case_no",
                               m->case_no ? m->case_no : "", "lots_moved", (json_int_t)n);
        if (zx_au_case_event(c, m->case_id, r->who.user_id, NULL, "lots_moved_out", "未处置完毕的财产随案移送新案继续处置", out) < 0 ||
            zx_au_case_event(c, m->new_case_id, r->who.user_id, NULL, "lots_moved_in", "原案未处置完毕的财产移入本案继续处置", in) < 0)
            rc = -1;
        json_decref(out);
        json_decref(in);
    }
    json_decref(lots);
    if (rc) zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return rc;
}
ZX_CASE_MOVE_HOOK(auction_move)
