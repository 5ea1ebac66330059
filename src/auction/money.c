/* money.c — the disposal's money, all through the ledger (src/funds/ledger.h):
 *
 *   deposit paid        pending transfer 执行款专户 → 保证金 (ZX_TC_DEPOSIT, id = the deposit's id)
 *   loser / no sale     void of that pending transfer (网拍规定 art 23: within 24 h — done at close)
 *   winner pays         post it, then 保证金 → case account (ZX_TC_PROCEEDS) for the deposit, and the
 *                       balance arrives through zx_funds_arrival (source "auction") into the case
 *   悔拍               post it, then 保证金 → case account: the forfeited deposit is applied to this
 *                       debt (网拍规定 art 24, after auction costs — none on the court's own platform)
 * Every call runs inside the caller's write transaction. */
#include <stdio.h>
#include <string.h>

#include "auction/auction.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "funds/funds.h"
#include "funds/ledger.h"

static int court_of_round(db_conn *c, int64_t round_id, int64_t *court_id, int64_t *case_id)
{
    db_stmt *s = db_prepare(c, "SELECT l.court_id, l.case_id FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id WHERE r.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *court_id = db_col_int64(s, 0);
        *case_id = db_col_int64(s, 1);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : -1;
}

int zx_au_deposit_hold(db_conn *c, int64_t round_id, int64_t deposit_id, int64_t amount_fen)
{
    int64_t court = 0, cs = 0;
    if (court_of_round(c, round_id, &court, &cs)) return -1;
    int64_t bank = zx_funds_court_account(c, court, ZX_ACC_BANK), hold = zx_funds_court_account(c, court, ZX_ACC_HOLD);
    if (bank < 0 || hold < 0) return -1;
    zx_fund_transfer t = { .id = deposit_id, .debit_account_id = bank, .credit_account_id = hold, .amount = amount_fen,
                           .flags = ZX_TR_PENDING, .code = ZX_TC_DEPOSIT, .case_id = cs, .ref = "竞买保证金" };
    int rc = zx_ledger_transfer(c, &t);
    if (rc != ZX_TR_OK && rc != ZX_TR_EXISTS) {
        LOG_WARN("auction: deposit hold refused by the ledger: %s", rc < 0 ? "store error" : zx_tr_result_code(rc));
        return -1;
    }
    return 0;
}

/* Void (release) or post a held deposit's pending transfer. */
static int settle(db_conn *c, int64_t pending_id, bool post)
{
    zx_fund_transfer t = { .id = zx_id_new(), .pending_id = pending_id, .flags = post ? ZX_TR_POST_PENDING : ZX_TR_VOID_PENDING,
                           .code = ZX_TC_DEPOSIT, .ref = post ? "保证金转入" : "保证金退还" };
    int rc = zx_ledger_transfer(c, &t);
    if (rc != ZX_TR_OK && rc != ZX_TR_EXISTS) {
        LOG_WARN("auction: deposit %s refused by the ledger: %s", post ? "post" : "void", rc < 0 ? "store error" : zx_tr_result_code(rc));
        return -1;
    }
    return 0;
}

int zx_au_deposit_release_transfer(db_conn *c, int64_t pending_id) { return settle(c, pending_id, false); }
int zx_au_deposit_post(db_conn *c, int64_t pending_id) { return settle(c, pending_id, true); }

int zx_au_hold_to_case(db_conn *c, int64_t court_id, int64_t case_id, int64_t amount_fen, const char *ref, const char *source,
                       int64_t *transfer_id)
{
    *transfer_id = 0;
    if (amount_fen <= 0) return 0;
    int64_t hold = zx_funds_court_account(c, court_id, ZX_ACC_HOLD), acct = zx_funds_case_account(c, case_id, NULL);
    if (hold < 0 || acct < 0) return -1;
    zx_fund_transfer t = { .id = zx_id_new(), .debit_account_id = hold, .credit_account_id = acct, .amount = amount_fen,
                           .code = ZX_TC_PROCEEDS, .case_id = case_id, .ref = ref };
    int rc = zx_ledger_transfer(c, &t);
    if (rc != ZX_TR_OK) {
        LOG_WARN("auction: hold → case refused by the ledger: %s", rc < 0 ? "store error" : zx_tr_result_code(rc));
        return -1;
    }
    *transfer_id = t.id;
    json_t *d = json_pack("{s:I,s:s}", "amount_fen", (json_int_t)amount_fen, "source", source);
    rc = zx_funds_credit_case(c, case_id, 0, "funds_arrival", amount_fen, NULL, d);
    json_decref(d);
    return rc < 0 ? -1 : 0;
}

int zx_au_money_to_case(db_conn *c, int64_t case_id, int64_t round_id, const char *kind, int64_t amount_fen,
                        int64_t *transfer_id)
{
    int64_t court = 0, cs = 0;
    if (court_of_round(c, round_id, &court, &cs)) return -1;
    *transfer_id = 0;
    if (amount_fen <= 0) return 0;
    if (!strcmp(kind, "balance")) {
        char ref[48];
        snprintf(ref, sizeof ref, "AUCTION-%lld-%lld", (long long)round_id, (long long)amount_fen);
        zx_funds_arrival_in in = { .source = "auction", .bank_ref = ref, .court_id = court, .case_id = case_id,
                                   .amount_fen = amount_fen, .payer_name = "拍卖买受人", .remark = "拍卖成交价款" };
        zx_funds_arrival_out out;
        char err[200];
        int rc = zx_funds_arrival(c, &in, &out, err, sizeof err);
        if (rc < 0) {
            LOG_WARN("auction: proceeds arrival refused: %s", err);
            return -1;
        }
        *transfer_id = out.transfer_id;
        return 0;
    }
    /* deposit_applied / deposit_forfeited: the held deposit (its pending transfer) is posted and moved
     * from 保证金 into the case account */
    int64_t pending = 0;
    db_stmt *s = db_prepare(c, "SELECT d.transfer_id FROM auction_deposit d JOIN auction_round r ON r.id = d.round_id"
                               " WHERE d.round_id = ? AND d.bidder_id = r.leader_bidder_id");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    if (db_step(s) == DB_ROW) pending = db_col_int64(s, 0);
    db_finalize(s);
    if (pending && settle(c, pending, true)) return -1;
    int64_t hold = zx_funds_court_account(c, court, ZX_ACC_HOLD), acct = zx_funds_case_account(c, case_id, NULL);
    if (hold < 0 || acct < 0) return -1;
    zx_fund_transfer t = { .id = zx_id_new(), .debit_account_id = hold, .credit_account_id = acct, .amount = amount_fen,
                           .code = ZX_TC_PROCEEDS, .case_id = case_id,
                           .ref = !strcmp(kind, "deposit_forfeited") ? "悔拍保证金" : "保证金抵作价款" };
    int rc = zx_ledger_transfer(c, &t);
    if (rc != ZX_TR_OK) {
        LOG_WARN("auction: proceeds transfer refused by the ledger: %s", rc < 0 ? "store error" : zx_tr_result_code(rc));
        return -1;
    }
    *transfer_id = t.id;
    json_t *d = json_pack("{s:I,s:s}", "amount_fen", (json_int_t)amount_fen, "source", kind);
    rc = zx_funds_credit_case(c, case_id, 0, "funds_arrival", amount_fen, NULL, d);
    json_decref(d);
    return rc < 0 ? -1 : 0;
}
