/* creditor.c — the applicant-creditor as buyer, and 执行回转 of a sale already paid and ruled on.
 *
 * Priority claims (liens) on a lot: 担保物权 and other 优先受偿权 known to the court, paid first out of
 * the price (拍卖变卖规定 art 28).
 *
 * Set-off (以债权抵付价款): an applicant of the lot's case who won (its deposit was matched to the case
 * party, bidder.c) may pay the price by its outstanding claim, after the priority claims and the costs
 * (src/rules/auction.c zx_auction_creditor_setoff: 网拍规定 art 17 read with 拍卖变卖规定 arts 16, 28
 * and 民诉解释 art 508). Only the difference arrives as money; the set-off itself is two linked ledger
 * transfers — the applicant's payee account → the case account (the price paid by the claim) and the
 * case account → the payee account (the claim paid by the price) — so the bank side never moves, the
 * case's recovered amount grows by the set-off, and the 成交裁定 states both parts.
 *
 * 执行回转 (民诉法 art 244; 执行工作规定 arts 65–66): a sale paid and ruled on whose auction was revoked
 * (网拍规定 art 31, an upheld objection) or whose basis was revoked is turned back by a 执行回转裁定. It
 * is decided by the panel and signed by the chief (approval kind "auction_restitution"); on signature,
 * in one transaction: the set-off is reversed (the claim revives), the money the buyer paid goes back
 * to it through the ledger as far as it is still in the case account, the rest — already paid out —
 * is recorded as owed by the applicant who received it (art 65: 责令原申请执行人返还), the round is
 * cancelled, the lot goes back (re-auction after a revoked auction; released when the basis fell),
 * the ruling PDF is stored, with the case event and audit record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "auction/auction.h"
#include "audit/audit.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "case/case.h"
#include "core/money.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "funds/payouts.h"
#include "rules/auction.h"
#include "rules/fees.h"

int zx_au_lot_action(zx_req *r, db_conn *c, int64_t lot_id, const char *action, json_t *body, int64_t *obj, zx_au_err *e);

static int64_t one_int(db_conn *c, const char *sql, int64_t a, int64_t dflt)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    int64_t v = db_step(s) == DB_ROW && !db_col_is_null(s, 0) ? db_col_int64(s, 0) : dflt;
    db_finalize(s);
    return v;
}

static const char *lien_kinds[] = { "mortgage", "pledge", "construction", "tax", "other", NULL };

/* POST /lots/:id/liens {holder, kind, amount_fen, basis} */
int zx_au_lien_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *holder = json_string_value(json_object_get(b, "holder")), *kind = json_string_value(json_object_get(b, "kind"));
    const char *basis = json_string_value(json_object_get(b, "basis"));
    json_t *ja = json_object_get(b, "amount_fen");
    bool kind_ok = false;
    for (int i = 0; kind && lien_kinds[i]; i++) kind_ok |= !strcmp(kind, lien_kinds[i]);
    if (!holder || !*holder || strlen(holder) > 150 || !kind_ok || !json_is_integer(ja) || json_integer_value(ja) <= 0 ||
        (basis && strlen(basis) > 300)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写优先受偿权人、权利类型和债权金额（分）");
        return 1;
    }
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_lien (id, lot_id, holder, kind, amount_fen, basis, created_by, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, lot_id);
    db_bind_text(s, 3, holder, -1);
    db_bind_text(s, 4, kind, -1);
    db_bind_int64(s, 5, json_integer_value(ja));
    db_bind_text(s, 6, basis ? basis : "", -1);
    db_bind_int64(s, 7, r ? r->who.user_id : 0);
    db_bind_int64(s, 8, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = id;
    json_t *d = json_pack("{s:s,s:s,s:I}", "holder", holder, "kind", kind, "amount_fen", (json_int_t)json_integer_value(ja));
    int64_t ev = zx_au_case_event(c, case_id, r ? r->who.user_id : 0, NULL, "lien_registered",
                                  "登记拍卖财产上的优先受偿权（拍卖变卖规定第二十八条）", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* The costs to be paid out of the price before a set-off: the disposal costs the debtor bears and
 * nobody has covered yet, and the 申请执行费 the sale adds (诉讼费用交纳办法 art 14(1), capped by the fee
 * assessed at filing; 民诉解释 art 508: 执行费用 first). */
static int64_t costs_before_setoff(db_conn *c, int64_t lot_id, int64_t case_id, int64_t price_fen)
{
    int64_t disposal = one_int(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM auction_cost WHERE lot_id = ? AND borne_by = 'debtor'"
                                  " AND status = 'due'", lot_id, 0);
    if (disposal < 0) return -1;
    db_stmt *s = db_prepare(c, "SELECT recovered_fen, fee_fen FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t rec = 0, assessed = 0;
    if (db_step(s) == DB_ROW) {
        rec = db_col_int64(s, 0);
        assessed = db_col_int64(s, 1);
    }
    db_finalize(s);
    int64_t acct = zx_funds_case_account(c, case_id, NULL);
    if (acct < 0) return -1;
    int64_t due_now = zx_funds_fee_due(c, case_id, acct);
    if (due_now < 0) return -1;
    int64_t before = rec > 0 ? zx_fee_enforcement(rec) : 0, after = zx_fee_enforcement(rec + price_fen);
    if (assessed > 0 && before > assessed) before = assessed;
    if (assessed > 0 && after > assessed) after = assessed;
    int64_t settled = before - due_now;
    int64_t fee = after - (settled > 0 ? settled : 0);
    return disposal + (fee > 0 ? fee : 0);
}

/* The applicant party the winning deposit was matched to (0 = the winner is not an applicant of the
 * case), with its name. */
static int64_t winner_party(db_conn *c, int64_t round_id, int64_t bidder, char name[160])
{
    db_stmt *s = db_prepare(c, "SELECT d.party_id, p.name FROM auction_deposit d JOIN case_party p ON p.id = d.party_id"
                               " WHERE d.round_id = ? AND d.bidder_id = ? AND p.role = 'applicant'");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    db_bind_int64(s, 2, bidder);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        snprintf(name, 160, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    return id;
}

int zx_au_setoff_plan(db_conn *c, int64_t lot_id, int64_t case_id, int64_t round_id, int64_t bidder, int64_t price_fen,
                      int64_t deposit_paid_fen, zx_creditor_setoff *out, int64_t *party_out, zx_au_err *e)
{
    char name[160] = "";
    int64_t party = winner_party(c, round_id, bidder, name);
    if (party < 0) return -1;
    if (!party) {
        zx_au_fail(e, 409, "SETOFF_NOT_ALLOWED", "买受人不是本案申请执行人，不能以债权抵付价款");
        return 1;
    }
    int64_t priority = one_int(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM auction_lien WHERE lot_id = ?", lot_id, 0);
    int64_t costs = costs_before_setoff(c, lot_id, case_id, price_fen);
    int64_t claim_left = one_int(c, "SELECT claim_fen - recovered_fen FROM enf_case WHERE id = ?", case_id, 0);
    if (priority < 0 || costs < 0) return -1;
    zx_auction_creditor_setoff(price_fen, deposit_paid_fen, priority, costs, claim_left, out);
    *party_out = party;
    db_stmt *s = db_prepare(c, "INSERT INTO auction_setoff (round_id, party_id, price_fen, priority_fen, costs_fen, claim_left_fen,"
                               " setoff_fen, cash_fen, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    db_bind_int64(s, 2, party);
    db_bind_int64(s, 3, price_fen);
    db_bind_int64(s, 4, priority);
    db_bind_int64(s, 5, costs);
    db_bind_int64(s, 6, claim_left);
    db_bind_int64(s, 7, out->setoff);
    db_bind_int64(s, 8, out->cash);
    db_bind_int64(s, 9, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static int64_t payee_account(db_conn *c, int64_t case_id, int64_t court_id, const char *name)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM fund_account WHERE case_id = ? AND kind = 7 AND name = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, name, -1);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (id > 0) return id;
    zx_fund_account a = { .kind = ZX_ACC_PAYEE, .court_id = court_id, .case_id = case_id };
    snprintf(a.name, sizeof a.name, "%s", name);
    return zx_ledger_account_create(c, &a) == 0 ? a.id : -1;
}

/* Two linked transfers between the party's payee account and the case account, in the order given
 * (first: payee → case when `into_case_first`). Returns 0 or -1; ids in t1/t2. */
static int linked_pair(db_conn *c, int64_t case_id, int64_t payee, int64_t case_acc, int64_t amount, bool into_case_first,
                       int code1, int code2, const char *ref1, const char *ref2, int64_t *t1, int64_t *t2)
{
    zx_fund_transfer t[2] = {
        { .id = zx_id_new(), .debit_account_id = into_case_first ? payee : case_acc,
          .credit_account_id = into_case_first ? case_acc : payee, .amount = amount, .flags = ZX_TR_LINKED, .code = code1,
          .case_id = case_id, .ref = ref1 },
        { .id = zx_id_new(), .debit_account_id = into_case_first ? case_acc : payee,
          .credit_account_id = into_case_first ? payee : case_acc, .amount = amount, .code = code2, .case_id = case_id,
          .ref = ref2 },
    };
    enum zx_tr_result res[2];
    int rc = zx_ledger_create_transfers(c, t, 2, res);
    if (rc) {
        LOG_WARN("auction: set-off transfers refused by the ledger: %s / %s", zx_tr_result_code(res[0]), zx_tr_result_code(res[1]));
        return -1;
    }
    *t1 = t[0].id;
    *t2 = t[1].id;
    return 0;
}

int zx_au_setoff_post(db_conn *c, int64_t user_id, int64_t court_id, int64_t case_id, int64_t round_id, int64_t party_id,
                      int64_t setoff_fen)
{
    if (setoff_fen <= 0) return 0;
    char name[160] = "";
    db_stmt *s = db_prepare(c, "SELECT name FROM case_party WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, party_id);
    if (db_step(s) == DB_ROW) snprintf(name, sizeof name, "%s", db_col_text(s, 0));
    db_finalize(s);
    int64_t payee = payee_account(c, case_id, court_id, name), acct = zx_funds_case_account(c, case_id, NULL), t1 = 0, t2 = 0;
    if (payee < 0 || acct < 0) return -1;
    if (linked_pair(c, case_id, payee, acct, setoff_fen, true, ZX_TC_PROCEEDS, ZX_TC_PAYOUT, "以债权抵付拍卖价款", "拍卖价款抵偿申请执行人债权",
                    &t1, &t2))
        return -1;
    s = db_prepare(c, "UPDATE auction_setoff SET in_transfer_id = ?, out_transfer_id = ? WHERE round_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, t1);
    db_bind_int64(s, 2, t2);
    db_bind_int64(s, 3, round_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    /* the claim is paid by the set-off: recovered grows (and the case event says how) */
    json_t *d = json_pack("{s:I,s:s,s:s}", "amount_fen", (json_int_t)setoff_fen, "source", "creditor_setoff", "payer", name);
    rc = zx_funds_credit_case(c, case_id, user_id, "funds_arrival", setoff_fen, NULL, d);
    json_decref(d);
    return rc < 0 ? -1 : 0;
}

/* ---- 执行回转 ---- */

static int64_t restitution_summary(db_conn *c, int64_t round_id, int64_t *cash, int64_t *setoff)
{
    *cash = one_int(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM auction_payment WHERE round_id = ?"
                       " AND kind IN ('balance', 'deposit_applied')", round_id, 0);
    if (*cash == 0 && one_int(c, "SELECT COUNT(*) FROM auction_payment WHERE round_id = ? AND kind = 'in_kind'", round_id, 0) > 0) {
        /* 以物抵债: the excess over the claim the creditor paid in (lot.c act_in_kind, one arrival) */
        char like[48];
        snprintf(like, sizeof like, "AUCTION-%lld-%%", (long long)round_id);
        db_stmt *s = db_prepare(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_arrival WHERE source = 'auction' AND bank_ref LIKE ?");
        if (!s) return -1;
        db_bind_text(s, 1, like, -1);
        *cash = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
        db_finalize(s);
    }
    *setoff = one_int(c, "SELECT COALESCE(SUM(setoff_fen), 0) FROM auction_setoff WHERE round_id = ? AND reversed = 0", round_id, 0);
    return *cash < 0 || *setoff < 0 ? -1 : 0;
}

/* POST /lots/:id/restitution {ground, revoking_doc, objection_id?, note?} → 202 (waits for the chief) */
int zx_au_restitution_request(zx_req *r, db_conn *c, int64_t lot_id, int64_t round_id, const char *ground, const char *revoking_doc,
                              int64_t objection_id, const char *note, const char *refund_bank, const char *refund_account,
                              int64_t *obj, zx_au_err *e)
{
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    int64_t cash = 0, setoff = 0;
    if (restitution_summary(c, round_id, &cash, &setoff)) return -1;
    int64_t id = zx_id_new();
    char summary[400], a1[ZX_MONEY_BUF];
    zx_money_format(cash + setoff, a1);
    snprintf(summary, sizeof summary, "执行回转：撤销已成交并裁定的拍卖，买受人已付价款 %s 元（民事诉讼法第二百四十四条）", a1);
    int64_t aid = zx_approval_submit(c, r, "auction_restitution", case_id, id, summary, zx_today() + 15);
    if (aid == ZX_APPROVAL_EDUP) {
        zx_au_fail(e, 409, "APPROVAL_PENDING", "该标的已有待审批的执行回转");
        return 1;
    }
    if (aid < 0) return -1;
    int64_t in_kind = one_int(c, "SELECT COUNT(*) FROM auction_lot WHERE id = ? AND status = 'in_kind'", lot_id, 0);
    db_stmt *s = db_prepare(c, "INSERT INTO auction_restitution (id, lot_id, round_id, ground, revoking_doc, objection_id, status,"
                               " approval_id, cash_fen, setoff_fen, note, created_by, created_ms, in_kind)"
                               " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, lot_id);
    db_bind_int64(s, 3, round_id);
    db_bind_text(s, 4, ground, -1);
    db_bind_text(s, 5, revoking_doc, -1);
    if (objection_id) db_bind_int64(s, 6, objection_id);
    else db_bind_null(s, 6);
    db_bind_int64(s, 7, aid);
    db_bind_int64(s, 8, cash);
    db_bind_int64(s, 9, setoff);
    db_bind_text(s, 10, note ? note : "", -1);
    db_bind_int64(s, 11, r ? r->who.user_id : 0);
    db_bind_int64(s, 12, zx_now_ms());
    db_bind_int64(s, 13, in_kind > 0 ? 1 : 0);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (refund_account && *refund_account && zx_au_refund_account_store(c, id, refund_bank, refund_account)) return -1;
    *obj = id;
    json_t *d = json_pack("{s:s,s:s,s:I,s:I,s:I}", "ground", ground, "revoking_doc", revoking_doc, "approval_id", (json_int_t)aid,
                          "cash_fen", (json_int_t)cash, "setoff_fen", (json_int_t)setoff);
    int64_t ev = zx_au_case_event(c, case_id, r ? r->who.user_id : 0, NULL, "restitution_submitted",
                                  "执行回转提请合议庭评议、院庭长审批（民事诉讼法第二百四十四条）", d);
    json_decref(d);
    if (ev < 0) return -1;
    e->status = 202;
    e->code = "PENDING_APPROVAL";
    snprintf(e->message, sizeof e->message, "已提交审批（执行回转裁定）");
    return 0;
}

int zx_au_restitution_file(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *ground = json_string_value(json_object_get(b, "ground")), *doc = json_string_value(json_object_get(b, "revoking_doc"));
    const char *note = json_string_value(json_object_get(b, "note"));
    if (!ground || (strcmp(ground, "auction_revoked") && strcmp(ground, "basis_revoked")) || !doc || !*doc || strlen(doc) > 120 ||
        (note && strlen(note) > 500)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写执行回转的事由和撤销拍卖或执行依据的法律文书");
        return 1;
    }
    const char *rbank = NULL;
    char racct[48];
    bool rgiven = false;
    if (zx_au_refund_account_parse(b, &rbank, racct, &rgiven, e)) return 1;
    db_stmt *s = db_prepare(c, "SELECT id, status FROM auction_round WHERE lot_id = ? ORDER BY round_no DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int64_t round_id = 0;
    char st[16] = "";
    if (db_step(s) == DB_ROW) {
        round_id = db_col_int64(s, 0);
        snprintf(st, sizeof st, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    /* a thing taken 以物抵债 (拍卖变卖规定 art 16) is turned back too (执行工作规定 art 66 para 1) */
    bool in_kind = round_id && !strcmp(st, "unsold") &&
                   one_int(c, "SELECT COUNT(*) FROM auction_lot WHERE id = ? AND status = 'in_kind'", lot_id, 0) > 0;
    if (!round_id || (strcmp(st, "paid") && !in_kind)) {
        zx_au_fail(e, 409, "INVALID_STATE", "只有价款已付清并作出成交裁定的拍卖或已以物抵债的标的物才适用执行回转");
        return 1;
    }
    if (in_kind && one_int(c, "SELECT COUNT(*) FROM auction_restitution WHERE round_id = ? AND status = 'ruled' AND in_kind = 1", round_id, 0) > 0) {
        zx_au_fail(e, 409, "INVALID_STATE", "该以物抵债已作出执行回转裁定");
        return 1;
    }
    if (one_int(c, "SELECT COUNT(*) FROM auction_restitution WHERE round_id = ? AND status = 'pending'", round_id, 0) > 0) {
        zx_au_fail(e, 409, "APPROVAL_PENDING", "该标的已有待审批的执行回转");
        return 1;
    }
    int64_t cash = 0, setoff = 0;
    if (restitution_summary(c, round_id, &cash, &setoff)) return -1;
    if (cash > 0 && !rgiven) { /* the price paid in money goes back as a payout (refund.c): to which account */
        zx_au_fail(e, 400, "VALIDATION_FAILED", "已付价款须退还%s：请填写其退款开户行和银行账号", in_kind ? "抵债承受人" : "买受人");
        return 1;
    }
    return zx_au_restitution_request(r, c, lot_id, round_id, ground, doc, 0, note, rbank, rgiven ? racct : NULL, obj, e);
}

/* On the chief's signature: the 执行回转裁定 and everything it orders, in the approving transaction. */
static int restitution_rule(zx_req *r, db_conn *c, int64_t rid, zx_au_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT x.lot_id, x.round_id, x.ground, x.status, l.court_id, l.case_id, rd.status, b.name,"
                               " e.applicant_name, x.in_kind, l.status, l.title, e.case_no, COALESCE(rd.leader_bidder_id, 0)"
                               " FROM auction_restitution x"
                               " JOIN auction_lot l ON l.id = x.lot_id"
                               " JOIN auction_round rd ON rd.id = x.round_id JOIN enf_case e ON e.id = l.case_id"
                               " LEFT JOIN auction_bidder b ON b.id = rd.leader_bidder_id WHERE x.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    int64_t lot_id = 0, round_id = 0, court_id = 0, case_id = 0, leader = 0;
    char ground[24] = "", st[16] = "", rst[16] = "", buyer[256] = "", applicant[256] = "", lst[16] = "", title[200] = "",
         case_no[64] = "";
    bool in_kind = false;
    if (db_step(s) == DB_ROW) {
        lot_id = db_col_int64(s, 0);
        round_id = db_col_int64(s, 1);
        snprintf(ground, sizeof ground, "%s", db_col_text(s, 2));
        snprintf(st, sizeof st, "%s", db_col_text(s, 3));
        court_id = db_col_int64(s, 4);
        case_id = db_col_int64(s, 5);
        snprintf(rst, sizeof rst, "%s", db_col_text(s, 6));
        snprintf(buyer, sizeof buyer, "%s", db_col_text(s, 7) ? db_col_text(s, 7) : "买受人");
        snprintf(applicant, sizeof applicant, "%s", db_col_text(s, 8) ? db_col_text(s, 8) : "申请执行人");
        in_kind = db_col_int64(s, 9) != 0;
        snprintf(lst, sizeof lst, "%s", db_col_text(s, 10));
        snprintf(title, sizeof title, "%s", db_col_text(s, 11) ? db_col_text(s, 11) : "标的物");
        snprintf(case_no, sizeof case_no, "%s", db_col_text(s, 12) ? db_col_text(s, 12) : "");
        leader = db_col_int64(s, 13);
    }
    db_finalize(s);
    if (in_kind) snprintf(buyer, sizeof buyer, "%s", applicant); /* 以物抵债: the creditor took the thing */
    /* 执行工作规定 art 66: did the execution give the applicant the thing itself (以物抵债, or the
     * applicant-creditor bought it)? Then it comes back as a thing; otherwise the applicant had money */
    char wname[160] = "";
    int64_t wparty = !in_kind && leader ? winner_party(c, round_id, leader, wname) : 0;
    if (wparty < 0) return -1;
    bool thing = zx_auction_restitution_is_thing(in_kind, wparty > 0);
    if (!lot_id || strcmp(st, "pending") || (in_kind ? strcmp(lst, "in_kind") : strcmp(rst, "paid"))) {
        zx_au_fail(e, 409, "INVALID_STATE", "该执行回转已处理或拍卖状态已变化");
        return 1;
    }
    int64_t cash = 0, setoff = 0;
    if (restitution_summary(c, round_id, &cash, &setoff)) return -1;
    zx_fund_account ca;
    int64_t acct = zx_funds_case_account(c, case_id, &ca);
    if (acct < 0) return -1;
    /* (1) the set-off is reversed: the applicant's claim revives (payee → case, case → payee) */
    if (setoff > 0) {
        int64_t party = one_int(c, "SELECT party_id FROM auction_setoff WHERE round_id = ?", round_id, 0);
        char pname[160] = "";
        s = db_prepare(c, "SELECT name FROM case_party WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, party);
        if (db_step(s) == DB_ROW) snprintf(pname, sizeof pname, "%s", db_col_text(s, 0));
        db_finalize(s);
        int64_t payee = payee_account(c, case_id, court_id, pname), t1, t2;
        if (payee < 0 || linked_pair(c, case_id, payee, acct, setoff, true, ZX_TC_ADJUST, ZX_TC_ADJUST, "执行回转：申请执行人退回抵偿款",
                                     "执行回转：退还以债权抵付的价款", &t1, &t2))
            return -1;
        s = db_prepare(c, "UPDATE auction_setoff SET reversed = 1 WHERE round_id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, round_id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        if (zx_ledger_account_get(c, acct, &ca)) return -1;
    }
    /* (2) the money: back to the buyer from the case account as far as it is there (民诉法 art 244), as
     * a payout of the funds module proposed below (refund.c: approval tier, bank confirmation) */
    zx_restitution_split sp;
    zx_auction_restitution_split(cash, zx_ledger_available(&ca), &sp);
    /* what the case no longer has recovered: the sale's whole price */
    json_t *d = json_pack("{s:I,s:s}", "amount_fen", (json_int_t)-(cash + setoff), "source", "restitution");
    int rc = cash + setoff > 0 ? zx_funds_credit_case(c, case_id, r ? r->who.user_id : 0, "funds_corrected", -(cash + setoff), NULL, d) : 0;
    json_decref(d);
    if (rc < 0) return -1;
    /* (3) the round is cancelled; the lot goes back. A thing taken 以物抵债 stays with the creditor until it
     * is returned, compensated or the 执行回转 case ends (执行工作规定 art 66; restitution_outcome) */
    bool basis = !strcmp(ground, "basis_revoked");
    if (!in_kind) {
        s = db_prepare(c, "UPDATE auction_round SET status = 'cancelled', closed_ms = ? WHERE id = ? AND status = 'paid'");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_now_ms());
        db_bind_int64(s, 2, round_id);
        rc = db_step(s);
        int64_t n = db_changes(s);
        db_finalize(s);
        if (rc != DB_DONE || n != 1) return -1;
    }
    /* a thing the applicant holds (以物抵债 or bought by it) stays with it until it is returned,
     * compensated or that case ends (执行工作规定 art 66; restitution_outcome) */
    if (!thing) {
        s = db_prepare(c, "UPDATE auction_lot SET status = ?, updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_text(s, 1, basis ? "released" : "auction", -1);
        db_bind_int64(s, 2, zx_now_ms());
        db_bind_int64(s, 3, lot_id);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    s = db_prepare(c, "UPDATE auction_restitution SET status = 'ruled', returned_fen = ?, owed_fen = ?, obligor = ?, ruled_ms = ?,"
                      " thing = ?, refund_payee = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, sp.returned);
    db_bind_int64(s, 2, sp.owed);
    if (sp.owed > 0 || thing) db_bind_text(s, 3, applicant, -1);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, thing ? 1 : 0);
    db_bind_text(s, 6, buyer, -1);
    db_bind_int64(s, 7, rid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    /* the buyer's price: what this case account holds goes back at once (网拍规定 art 31, 民法典 art 157) */
    int64_t refund_now = 0;
    rc = zx_au_refund_propose(c, rid, r ? r->who.user_id : 0, "ruling", &refund_now, e);
    if (rc) return rc;
    /* (4) 执行工作规定 art 65 para 2: 执行回转应重新立案 — money already paid out to the applicant, or the
     * thing it took 以物抵债, is enforced in a new case against it (roles turned back) */
    int64_t new_case = 0;
    if (zx_auction_restitution_needs_case(sp.owed, thing)) {
        if (!r) return -1;
        char act[320] = "", docno[128];
        if (in_kind)
            snprintf(act, sizeof act, "返还以物抵债取得的%s（执行工作规定第六十六条第一款）", title);
        else if (thing)
            snprintf(act, sizeof act, "返还经拍卖买受取得的%s（执行工作规定第六十六条第一款）", title);
        snprintf(docno, sizeof docno, "%s执行回转裁定", case_no);
        zx_case_err ce = { 0 };
        int frc = zx_case_file_restitution(r, c, case_id, sp.owed, act, docno, in_kind ? "in_kind" : ground, &new_case, &ce);
        json_decref(ce.extra);
        if (frc > 0) {
            zx_au_fail(e, ce.status, ce.code, "%s", ce.message);
            return 1;
        }
        if (frc < 0) return -1;
        s = db_prepare(c, "UPDATE auction_restitution SET case_id = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, new_case);
        db_bind_int64(s, 2, rid);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    d = json_pack("{s:s,s:I,s:I,s:I,s:I,s:s?,s:o,s:b,s:I}", "ground", ground, "cash_fen", (json_int_t)cash, "setoff_fen",
                  (json_int_t)setoff, "returned_fen", (json_int_t)sp.returned, "owed_fen", (json_int_t)sp.owed, "obligor",
                  sp.owed > 0 || thing ? applicant : NULL, "restitution_case_id", zx_json_id(new_case), "thing", thing,
                  "refund_proposed_fen", (json_int_t)refund_now);
    int64_t ev = zx_au_case_event(c, case_id, r ? r->who.user_id : 0, NULL, "restitution",
                                  in_kind ? "作出执行回转裁定：申请执行人返还以物抵债取得的标的物（民事诉讼法第二百四十四条，执行工作规定第六十五条）"
                                  : thing ? "作出执行回转裁定：申请执行人返还其买受的标的物，退还已付价款（民事诉讼法第二百四十四条，执行工作规定第六十六条）"
                                          : "作出执行回转裁定：买受人返还标的物，退还已付价款（民事诉讼法第二百四十四条）", d);
    json_decref(d);
    if (ev < 0) return -1;
    int64_t doc = 0;
    if (zx_au_doc_generate(c, round_id, "restitution_ruling", ev, &doc)) return -1;
    s = db_prepare(c, "UPDATE auction_restitution SET ruling_doc_id = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, doc);
    db_bind_int64(s, 2, rid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    return r && zx_audit_req(r, c, "auction.restitution_ruled", "auction_restitution", rid, "ok", NULL) ? -1 : 0;
}

/* POST /lots/:id/restitution/outcome {outcome, value_fen?, both_agree?, note?} — the end of a thing the
 * applicant took 以物抵债 and must give back under the 执行回转裁定 (执行工作规定 art 66): returned
 * (para 1: the lot is back with the court — released when the basis fell, else re-auctioned);
 * compensated at the value both parties agreed (para 1: the 执行回转 case's claim becomes that value,
 * paid in through the funds ledger like any claim); terminated when they did not agree (para 2: the
 * 执行回转 case is closed as 终结执行; the applicant may sue separately). Both cases get the event. */
int zx_au_restitution_outcome(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *outcome = json_string_value(json_object_get(b, "outcome")), *note = json_string_value(json_object_get(b, "note"));
    json_t *vj = json_object_get(b, "value_fen");
    int64_t value = json_is_integer(vj) ? json_integer_value(vj) : 0;
    bool agree = json_is_true(json_object_get(b, "both_agree"));
    if ((vj && !json_is_null(vj) && !json_is_integer(vj)) || (note && strlen(note) > 500)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写有效的折价金额（分）和说明");
        return 1;
    }
    const char *code = NULL, *why = zx_auction_restitution_outcome_check(outcome, agree, value, &code);
    if (why) {
        zx_au_fail(e, !strcmp(code, "VALIDATION_FAILED") ? 400 : 409, code, "%s", why);
        return 1;
    }
    /* every specific thing the execution gave the applicant (执行工作规定 art 66: 特定物) — never money */
    db_stmt *s = db_prepare(c, "SELECT x.id, x.case_id, x.ground, l.case_id, x.owed_fen FROM auction_restitution x"
                               " JOIN auction_lot l ON l.id = x.lot_id WHERE x.lot_id = ? AND x.status = 'ruled' AND x.thing = 1"
                               " AND x.outcome IS NULL AND x.case_id IS NOT NULL ORDER BY x.created_ms DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int64_t rid = 0, rcase = 0, ocase = 0, owed = 0;
    char ground[24] = "";
    if (db_step(s) == DB_ROW) {
        rid = db_col_int64(s, 0);
        rcase = db_col_int64(s, 1);
        snprintf(ground, sizeof ground, "%s", db_col_text(s, 2));
        ocase = db_col_int64(s, 3);
        owed = db_col_int64(s, 4);
    }
    db_finalize(s);
    if (!rid) {
        zx_au_fail(e, 409, "INVALID_STATE", "该标的物没有待返还的特定物：申请执行人取得的是价款而非原物的，不适用退还原物或折价赔偿（执行工作规定第六十六条）");
        return 1;
    }
    zx_case k;
    if (zx_case_load(c, rcase, &k)) return -1; /* the 执行回转 case's row first (its lock on PostgreSQL) */
    if (strcmp(k.status, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "执行回转案件已结案或中止");
        return 1;
    }
    int64_t uid = r->who.user_id, fee = k.fee_fen;
    const char *label = NULL;
    if (!strcmp(outcome, "returned")) { /* art 66 para 1 */
        s = db_prepare(c, "UPDATE auction_lot SET status = ?, updated_ms = ? WHERE id = ? AND status IN ('in_kind', 'sold')");
        if (!s) return -1;
        db_bind_text(s, 1, !strcmp(ground, "basis_revoked") ? "released" : "auction", -1);
        db_bind_int64(s, 2, zx_now_ms());
        db_bind_int64(s, 3, lot_id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        label = "申请执行人已退还原物（执行工作规定第六十六条第一款）";
    } else if (!strcmp(outcome, "compensated")) { /* art 66 para 1: 经双方当事人同意，折价赔偿 */
        k.claim_fen = owed + value; /* the money part of the ruling, if any, stays */
        if (zx_case_save(c, &k)) return -1;
        /* the 执行回转 case's 申请执行费 follows its new claim (诉讼费用交纳办法 art 14(1)), settled by the
         * ledger when the money is paid out (funds: zx_funds_fee_due) */
        if (zx_funds_fee_reassess(c, rcase, uid, "折价赔偿（执行工作规定第六十六条第一款）", &fee)) return -1;
        label = "不能退还原物，经双方当事人同意折价赔偿（执行工作规定第六十六条第一款）";
    } else { /* art 66 para 2 */
        label = owed > 0 ? "双方对折价赔偿不能协商一致，终结返还原物部分的执行回转程序，申请执行人可以另行起诉；已发放价款的返还继续执行（执行工作规定第六十六条第二款）"
                         : "双方对折价赔偿不能协商一致，终结执行回转程序，申请执行人可以另行起诉（执行工作规定第六十六条第二款）";
    }
    json_t *d = json_pack("{s:s,s:I,s:s,s:I}", "outcome", outcome, "value_fen", (json_int_t)value, "note", note ? note : "", "fee_fen",
                          (json_int_t)fee);
    int64_t ev1 = zx_au_case_event(c, rcase, uid, NULL, "restitution_outcome", label, d);
    int64_t ev2 = ev1 < 0 ? -1 : zx_au_case_event(c, ocase, uid, NULL, "restitution_outcome", label, d);
    json_decref(d);
    if (ev1 < 0 || ev2 < 0) return -1;
    /* the 执行回转 case ends as 终结执行 (立案结案意见 art 17, its 其他 item) — unless the ruling also ordered
     * money paid out back (art 65): art 66 para 2 ends the thing's part only, the money part goes on */
    if (!strcmp(outcome, "terminated") && owed == 0) {
        zx_case_events ev;
        if (zx_case_load(c, rcase, &k) || zx_case_events_load(c, rcase, &ev)) return -1;
        json_t *body = json_pack("{s:s,s:s,s:s}", "mode", "termination", "reason", "other", "note",
                                 "双方当事人对折价赔偿不能协商一致，终结执行回转程序；申请执行人可以另行起诉（执行工作规定第六十六条第二款）");
        json_t *docs = json_array();
        zx_case_err ce = { 0 };
        int rc = zx_case_close(r, c, &k, &ev, body, docs, &ce);
        json_decref(body);
        json_decref(docs);
        json_decref(ce.extra);
        zx_case_events_free(&ev);
        if (rc > 0) {
            zx_au_fail(e, ce.status, ce.code, "%s", ce.message);
            return 1;
        }
        if (rc < 0) return -1;
    }
    s = db_prepare(c, "UPDATE auction_restitution SET outcome = ?, compensation_fen = ?, outcome_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, outcome, -1);
    db_bind_int64(s, 2, !strcmp(outcome, "compensated") ? value : 0);
    db_bind_int64(s, 3, zx_now_ms());
    db_bind_int64(s, 4, rid);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = rid;
    return 0;
}

static int restitution_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    zx_au_err e = { 0 };
    int rc = restitution_rule(r, c, a->object_id, &e);
    if (rc > 0) zx_approval_err_set(err, e.status, e.code, "%s", e.message);
    else if (rc < 0) zx_approval_err_set(err, 500, "INTERNAL", "执行回转处理失败");
    return rc ? -1 : 0;
}

static int restitution_returned(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    db_stmt *s = db_prepare(c, "DELETE FROM auction_restitution WHERE id = ? AND status = 'pending'");
    if (!s) return -1;
    db_bind_int64(s, 1, a->object_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static void restitution_after(zx_req *r, const zx_approval *a, bool approved)
{
    (void)r;
    (void)a;
    (void)approved;
    /* the lot's live state (if any) is rebuilt from the store at the next read */
}

static const struct zx_approval_kind restitution_kind = {
    .kind = "auction_restitution", .label = "执行回转裁定（合议庭评议，民事诉讼法第二百四十四条）", .approver_roles = ROLE_CHIEF,
    .on_approved = restitution_approved, .on_returned = restitution_returned, .after_commit = restitution_after,
};
ZX_APPROVAL_KIND(restitution_kind)

json_t *zx_au_creditor_json(db_conn *c, int64_t lot_id)
{
    json_t *o = json_object(), *liens = json_array(), *rest = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, holder, kind, amount_fen, basis FROM auction_lien WHERE lot_id = ? ORDER BY created_ms");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        while (db_step(s) == DB_ROW) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)db_col_int64(s, 0));
            json_array_append_new(liens, json_pack("{s:s,s:s,s:s,s:I,s:s}", "id", id, "holder", db_col_text(s, 1), "kind",
                                                   db_col_text(s, 2), "amount_fen", (json_int_t)db_col_int64(s, 3), "basis",
                                                   db_col_text(s, 4)));
        }
        db_finalize(s);
    }
    json_object_set_new(o, "liens", liens);
    json_t *so = json_null();
    s = db_prepare(c, "SELECT r.round_no, x.price_fen, x.priority_fen, x.costs_fen, x.claim_left_fen, x.setoff_fen, x.cash_fen, x.reversed,"
                      " p.name FROM auction_setoff x JOIN auction_round r ON r.id = x.round_id LEFT JOIN case_party p ON p.id = x.party_id"
                      " WHERE r.lot_id = ? ORDER BY r.round_no DESC LIMIT 1");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        if (db_step(s) == DB_ROW)
            so = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:s?}", "round_no", (json_int_t)db_col_int64(s, 0), "price_fen",
                           (json_int_t)db_col_int64(s, 1), "priority_fen", (json_int_t)db_col_int64(s, 2), "costs_fen",
                           (json_int_t)db_col_int64(s, 3), "claim_left_fen", (json_int_t)db_col_int64(s, 4), "setoff_fen",
                           (json_int_t)db_col_int64(s, 5), "cash_fen", (json_int_t)db_col_int64(s, 6), "reversed",
                           db_col_int64(s, 7) != 0, "creditor", db_col_text(s, 8));
        db_finalize(s);
    }
    json_object_set_new(o, "setoff", so);
    s = db_prepare(c, "SELECT x.id, r.round_no, x.ground, x.revoking_doc, x.status, x.cash_fen, x.setoff_fen, x.returned_fen, x.owed_fen,"
                      " x.obligor, x.ruling_doc_id, x.approval_id, x.case_id, e.case_no, x.in_kind, x.outcome, x.compensation_fen, e.status"
                      " FROM auction_restitution x JOIN auction_round r ON r.id = x.round_id LEFT JOIN enf_case e ON e.id = x.case_id"
                      " WHERE x.lot_id = ? ORDER BY x.created_ms");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        while (db_step(s) == DB_ROW) {
            char id[24], doc[24] = "", ap[24] = "";
            snprintf(id, sizeof id, "%lld", (long long)db_col_int64(s, 0));
            if (!db_col_is_null(s, 10)) snprintf(doc, sizeof doc, "%lld", (long long)db_col_int64(s, 10));
            if (!db_col_is_null(s, 11)) snprintf(ap, sizeof ap, "%lld", (long long)db_col_int64(s, 11));
            json_array_append_new(rest, json_pack("{s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s?,s:s?,s:s?}", "id", id, "round_no",
                                                  (json_int_t)db_col_int64(s, 1), "ground", db_col_text(s, 2), "revoking_doc",
                                                  db_col_text(s, 3), "status", db_col_text(s, 4), "cash_fen",
                                                  (json_int_t)db_col_int64(s, 5), "setoff_fen", (json_int_t)db_col_int64(s, 6),
                                                  "returned_fen", (json_int_t)db_col_int64(s, 7), "owed_fen",
                                                  (json_int_t)db_col_int64(s, 8), "obligor", db_col_text(s, 9), "ruling_doc_id",
                                                  doc[0] ? doc : NULL, "approval_id", ap[0] ? ap : NULL));
            json_t *o = json_array_get(rest, json_array_size(rest) - 1);
            /* the 执行回转 case (执行工作规定 art 65 para 2) and the thing's end (art 66) */
            json_object_set_new(o, "case_id", zx_json_id(db_col_is_null(s, 12) ? 0 : db_col_int64(s, 12)));
            json_object_set_new(o, "case_no", db_col_is_null(s, 13) ? json_null() : json_string(db_col_text(s, 13)));
            json_object_set_new(o, "case_status", db_col_is_null(s, 17) ? json_null() : json_string(db_col_text(s, 17)));
            json_object_set_new(o, "in_kind", json_boolean(db_col_int64(s, 14) != 0));
            json_object_set_new(o, "outcome", db_col_is_null(s, 15) ? json_null() : json_string(db_col_text(s, 15)));
            json_object_set_new(o, "compensation_fen", json_integer(db_col_int64(s, 16)));
            zx_au_refund_json(c, db_col_int64(s, 0), o); /* the buyer's price back (refund.c), thing (art 66) */
        }
        db_finalize(s);
    }
    json_object_set_new(o, "restitutions", rest);
    /* the last round was won by an applicant of the case (its deposit matched the party): the panel
     * offers the set-off */
    bool cw = false;
    s = db_prepare(c, "SELECT 1 FROM auction_round r JOIN auction_deposit d ON d.round_id = r.id AND d.bidder_id = r.leader_bidder_id"
                      " WHERE r.lot_id = ? AND r.status = 'sold' AND d.party_id IS NOT NULL");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        cw = db_step(s) == DB_ROW;
        db_finalize(s);
    }
    json_object_set_new(o, "creditor_winner", json_boolean(cw));
    return o;
}
