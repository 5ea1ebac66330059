/* costs.c — the disposal's costs and the forfeited deposits, all money through the ledger.
 *
 * Costs (评估费、询价费、拍卖辅助费、公告费、保管费、运输费): paid directly to the provider by whoever
 * advances them — the court does not collect them (诉讼费用交纳办法 art 12). Who bears a cost is the
 * rule's (rules/auction.c zx_auction_cost_bearer): the debtor (参考价规定 art 33: 评估/询价 fees
 * advanced by the applicant, borne by the debtor; 网拍规定 art 7: 拍卖辅助工作费用由被执行人承担),
 * except a no-surplus auction the applicant insisted on that failed (拍卖变卖规定 art 6). A cost the
 * applicant advanced and the debtor bears comes out of the disposal's money first (执行费用 before the
 * claims, 民诉解释 art 508): POST …/costs/:cid/repay proposes the payout to the advancer through the
 * funds ledger (src/funds/payouts.h: pending transfer case → payee, the tier's approval).
 *
 * Forfeited deposits (悔拍, 网拍规定 art 24: 依次用于支付拍卖产生的费用损失、弥补重新拍卖价款低于原拍卖价款
 * 的差价、冲抵本案被执行人的债务): the pending transfer is posted (money into 保证金/HOLD); the auction's
 * costs still due are covered at once (HOLD → case account, the costs marked covered); the rest stays
 * reserved in HOLD until the lot's next outcome: a re-sale below the original price takes the
 * difference, the remainder goes to this debt (HOLD → case account). Each step is a case event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auction/auction.h"
#include "case/case.h"
#include "core/ids.h"
#include "core/money.h"
#include "funds/payouts.h"
#include "rules/auction.h"

static json_t *jtext(db_stmt *s, int col) { return db_col_is_null(s, col) ? json_null() : json_string(db_col_text(s, col)); }
static json_t *jid(db_stmt *s, int col)
{
    if (db_col_is_null(s, col)) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)db_col_int64(s, col));
    return json_string(b);
}

/* The costs of the auction (not of the valuation) still due, oldest first: ids and amounts. */
static int auction_costs_due(db_conn *c, int64_t lot_id, int64_t *ids, int64_t *amounts, int cap)
{
    db_stmt *s = db_prepare(c, "SELECT id, amount_fen FROM auction_cost WHERE lot_id = ? AND status = 'due' AND borne_by = 'debtor'"
                               " AND kind NOT IN ('appraisal', 'online_inquiry') ORDER BY created_ms, id");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int n = 0;
    while (db_step(s) == DB_ROW && n < cap) {
        ids[n] = db_col_int64(s, 0);
        amounts[n++] = db_col_int64(s, 1);
    }
    db_finalize(s);
    return n;
}

int zx_au_forfeit_begin(db_conn *c, int64_t user_id, int64_t lot_id, int64_t court_id, int64_t case_id, int64_t round_id,
                        int64_t deposit_id, int64_t amount_fen, int64_t price_fen, int64_t *covered_transfer)
{
    *covered_transfer = 0;
    int64_t pending = 0;
    db_stmt *s = db_prepare(c, "SELECT transfer_id FROM auction_deposit WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, deposit_id);
    if (db_step(s) == DB_ROW) pending = db_col_int64(s, 0);
    db_finalize(s);
    if (pending && zx_au_deposit_post(c, pending)) return -1; /* the money is the court's now: 保证金 (HOLD) */
    /* (1) the auction's costs and losses: whole costs, oldest first, as far as the deposit reaches */
    int64_t ids[64], amts[64], covered = 0;
    int n = auction_costs_due(c, lot_id, ids, amts, 64);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        if (covered + amts[i] > amount_fen) break;
        db_stmt *u = db_prepare(c, "UPDATE auction_cost SET status = 'covered', covered_by = 'forfeited_deposit' WHERE id = ?");
        if (!u) return -1;
        db_bind_int64(u, 1, ids[i]);
        int rc = db_step(u);
        db_finalize(u);
        if (rc != DB_DONE) return -1;
        covered += amts[i];
    }
    if (covered && zx_au_hold_to_case(c, court_id, case_id, covered, "悔拍保证金：拍卖费用损失", "deposit_forfeited_costs",
                                      covered_transfer))
        return -1;
    s = db_prepare(c, "INSERT INTO auction_forfeit (id, lot_id, round_id, amount_fen, price_fen, costs_fen, status, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, 'reserved', ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, lot_id);
    db_bind_int64(s, 3, round_id);
    db_bind_int64(s, 4, amount_fen);
    db_bind_int64(s, 5, price_fen);
    db_bind_int64(s, 6, covered);
    db_bind_int64(s, 7, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    json_t *d = json_pack("{s:I,s:I,s:I}", "forfeited_fen", (json_int_t)amount_fen, "costs_fen", (json_int_t)covered, "reserved_fen",
                          (json_int_t)(amount_fen - covered));
    int64_t ev = zx_au_case_event(c, case_id, user_id, NULL, "deposit_forfeited",
                                  "悔拍保证金不予退还：先支付拍卖费用损失，余额待重新拍卖后弥补差价、冲抵债务（网拍规定第二十四条）", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

int zx_au_forfeit_settle(db_conn *c, int64_t user_id, int64_t lot_id, int64_t court_id, int64_t case_id, int64_t resale_fen,
                         const char *how)
{
    db_stmt *s = db_prepare(c, "SELECT id, amount_fen, price_fen, costs_fen FROM auction_forfeit WHERE lot_id = ? AND status = 'reserved'"
                               " ORDER BY created_ms");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int64_t id[16], amt[16], price[16], costs[16];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 16) {
        id[n] = db_col_int64(s, 0);
        amt[n] = db_col_int64(s, 1);
        price[n] = db_col_int64(s, 2);
        costs[n++] = db_col_int64(s, 3);
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        zx_forfeit_split f;
        zx_auction_forfeit_split(amt[i], costs[i], price[i], resale_fen, &f); /* 网拍规定 art 24 */
        int64_t t1 = 0, t2 = 0;
        if (zx_au_hold_to_case(c, court_id, case_id, f.difference, "悔拍保证金：弥补重新拍卖差价", "deposit_forfeited_difference", &t1) ||
            zx_au_hold_to_case(c, court_id, case_id, f.debt, "悔拍保证金：冲抵被执行人债务", "deposit_forfeited_debt", &t2))
            return -1;
        db_stmt *u = db_prepare(c, "UPDATE auction_forfeit SET difference_fen = ?, debt_fen = ?, status = 'settled', settled_by = ?,"
                                   " settled_ms = ? WHERE id = ? AND status = 'reserved'");
        if (!u) return -1;
        db_bind_int64(u, 1, f.difference);
        db_bind_int64(u, 2, f.debt);
        db_bind_text(u, 3, how, -1);
        db_bind_int64(u, 4, zx_now_ms());
        db_bind_int64(u, 5, id[i]);
        int rc = db_step(u);
        db_finalize(u);
        if (rc != DB_DONE) return -1;
        json_t *d = json_pack("{s:I,s:I,s:I,s:I,s:s}", "forfeited_fen", (json_int_t)amt[i], "difference_fen", (json_int_t)f.difference,
                              "debt_fen", (json_int_t)f.debt, "resale_fen", (json_int_t)resale_fen, "settled_by", how);
        int64_t ev = zx_au_case_event(c, case_id, user_id, NULL, "forfeit_settled", "悔拍保证金余额：弥补差价、冲抵本案债务（网拍规定第二十四条）", d);
        json_decref(d);
        if (ev < 0) return -1;
    }
    return 0;
}

/* ---- costs API (called by src/api/auction.c inside its transaction) ---- */
static const char *jstr(json_t *b, const char *k) { return json_string_value(json_object_get(b, k)); }

/* POST /lots/:id/costs {kind, provider, amount_fen, advanced_by, round_id?, applicant_insisted?, note?} */
int zx_au_cost_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    static const char *kinds[] = { "appraisal", "online_inquiry", "auxiliary", "announcement", "storage", "transport", "other", NULL };
    static const char *adv[] = { "applicant", "debtor", "buyer", "none", NULL };
    const char *kind = jstr(b, "kind"), *provider = jstr(b, "provider"), *by = jstr(b, "advanced_by"), *note = jstr(b, "note");
    bool ok = false, ok2 = false;
    for (int i = 0; kind && kinds[i]; i++) ok |= !strcmp(kind, kinds[i]);
    for (int i = 0; by && adv[i]; i++) ok2 |= !strcmp(by, adv[i]);
    json_t *am = json_object_get(b, "amount_fen");
    if (!ok || !ok2 || !provider || !*provider || strlen(provider) > 120 || !json_is_integer(am) || json_integer_value(am) <= 0) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写费用类别、收费单位、金额（分）和垫付人");
        return 1;
    }
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    const char *basis = NULL;
    const char *bearer = zx_auction_cost_bearer(kind, json_is_true(json_object_get(b, "applicant_insisted")), &basis);
    int64_t round_id = 0;
    zx_json_get_id(json_object_get(b, "round_id"), &round_id);
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_cost (id, lot_id, round_id, kind, provider, amount_fen, advanced_by, borne_by, basis,"
                               " status, note, created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, lot_id);
    if (round_id) db_bind_int64(s, 3, round_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, kind, -1);
    db_bind_text(s, 5, provider, -1);
    db_bind_int64(s, 6, json_integer_value(am));
    db_bind_text(s, 7, by, -1);
    db_bind_text(s, 8, bearer, -1);
    db_bind_text(s, 9, basis, -1);
    /* a cost borne by whoever advanced it (or advanced by nobody yet) owes nothing to anyone */
    db_bind_text(s, 10, !strcmp(by, bearer) ? "settled" : "due", -1);
    db_bind_text(s, 11, note ? note : "", -1);
    db_bind_int64(s, 12, r ? r->who.user_id : 0);
    db_bind_int64(s, 13, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    char amount[ZX_MONEY_BUF], label[200];
    zx_money_format(json_integer_value(am), amount);
    snprintf(label, sizeof label, "登记处置费用 %s 元（%s负担，%s）", amount, !strcmp(bearer, "debtor") ? "被执行人" : "申请执行人", basis);
    json_t *d = json_pack("{s:s,s:s,s:I,s:s,s:s,s:s}", "kind", kind, "provider", provider, "amount_fen", (json_int_t)json_integer_value(am),
                          "advanced_by", by, "borne_by", bearer, "basis", basis);
    int64_t ev = zx_au_case_event(c, case_id, r ? r->who.user_id : 0, NULL, "cost_recorded", label, d);
    json_decref(d);
    *obj = id;
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/costs/:cost_id/repay {payee_name, payee_bank, payee_account} — the applicant advanced
 * a cost the debtor bears: repaid out of the case account first (a payout through the funds ledger). */
int zx_au_cost_repay(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t cid = 0;
    zx_json_get_id(json_object_get(b, "cost_id"), &cid);
    db_stmt *s = db_prepare(c, "SELECT amount_fen, advanced_by, borne_by, status FROM auction_cost WHERE id = ? AND lot_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, cid);
    db_bind_int64(s, 2, lot_id);
    int64_t amount = 0;
    char adv[16] = "", bearer[16] = "", st[16] = "";
    int rc = db_step(s);
    if (rc == DB_ROW) {
        amount = db_col_int64(s, 0);
        snprintf(adv, sizeof adv, "%s", db_col_text(s, 1));
        snprintf(bearer, sizeof bearer, "%s", db_col_text(s, 2));
        snprintf(st, sizeof st, "%s", db_col_text(s, 3));
    }
    db_finalize(s);
    if (rc != DB_ROW) {
        zx_au_fail(e, 404, "NOT_FOUND", "费用不存在");
        return 1;
    }
    if (strcmp(adv, "applicant") || strcmp(bearer, "debtor") || (strcmp(st, "due") && strcmp(st, "covered"))) {
        zx_au_fail(e, 409, "INVALID_STATE", "只有申请执行人垫付、由被执行人负担且尚未返还的费用可以从案款中返还");
        return 1;
    }
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    zx_payout_in in = { .kind = "payout", .payee_name = jstr(b, "payee_name"), .payee_bank = jstr(b, "payee_bank"),
                        .payee_account = jstr(b, "payee_account"), .amount_fen = amount };
    if (!in.payee_name || !in.payee_bank || !in.payee_account) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写垫付人（收款人）姓名、开户行和账号");
        return 1;
    }
    zx_funds_err fe = { 0 };
    int64_t pid = 0;
    rc = zx_funds_payout_propose(c, case_id, r->who.user_id, &in, &pid, &fe);
    if (rc > 0) {
        zx_au_fail(e, fe.status, fe.code, "%s", fe.message);
        return 1;
    }
    if (rc < 0) return -1;
    s = db_prepare(c, "UPDATE auction_cost SET status = 'repaid', payout_id = ?, covered_by = COALESCE(covered_by, 'proceeds') WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, pid);
    db_bind_int64(s, 2, cid);
    rc = db_step(s);
    db_finalize(s);
    *obj = pid;
    return rc == DB_DONE ? 0 : -1;
}

json_t *zx_au_costs_json(db_conn *c, int64_t lot_id)
{
    json_t *a = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, kind, provider, amount_fen, advanced_by, borne_by, basis, status, covered_by, payout_id, note"
                               " FROM auction_cost WHERE lot_id = ? ORDER BY created_ms, id");
    if (!s) return a;
    db_bind_int64(s, 1, lot_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(s, 0), "kind", jtext(s, 1), "provider",
                                           jtext(s, 2), "amount_fen", (json_int_t)db_col_int64(s, 3), "advanced_by", jtext(s, 4),
                                           "borne_by", jtext(s, 5), "basis", jtext(s, 6), "status", jtext(s, 7), "covered_by",
                                           jtext(s, 8), "payout_id", jid(s, 9), "note", jtext(s, 10)));
    db_finalize(s);
    return a;
}

json_t *zx_au_forfeits_json(db_conn *c, int64_t lot_id)
{
    json_t *a = json_array();
    db_stmt *s = db_prepare(c, "SELECT f.id, r.round_no, f.amount_fen, f.price_fen, f.costs_fen, f.difference_fen, f.debt_fen, f.status,"
                               " f.settled_by FROM auction_forfeit f JOIN auction_round r ON r.id = f.round_id WHERE f.lot_id = ?"
                               " ORDER BY f.created_ms");
    if (!s) return a;
    db_bind_int64(s, 1, lot_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(a, json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "id", jid(s, 0), "round_no",
                                           (json_int_t)db_col_int64(s, 1), "amount_fen", (json_int_t)db_col_int64(s, 2), "price_fen",
                                           (json_int_t)db_col_int64(s, 3), "costs_fen", (json_int_t)db_col_int64(s, 4),
                                           "difference_fen", (json_int_t)db_col_int64(s, 5), "debt_fen", (json_int_t)db_col_int64(s, 6),
                                           "reserved_fen",
                                           (json_int_t)(strcmp(db_col_text(s, 7), "reserved") ? 0
                                                                                               : db_col_int64(s, 2) - db_col_int64(s, 4)),
                                           "status", jtext(s, 7), "settled_by", jtext(s, 8)));
    db_finalize(s);
    return a;
}
