/* payouts.c — 发放 and 提存 of case money, with the 申请执行费 settlement and approval tiers.
 *
 * A proposal reserves the money at once as a linked chain of PENDING transfers, so two proposals
 * racing on one case account cannot both succeed (the ledger refuses the second with
 * INSUFFICIENT_BALANCE):
 *     case → fee     申请执行费 still due (诉讼费用交纳办法 art 14, borne by the debtor, art 38)
 *     case → payee   the payout
 *     payee → bank   the money leaving the 专户
 * The bank's confirmation posts all three (linked); a failure or a return by the approver voids them.
 * 提存 (escrow) is case → escrow, pending until approved.
 * Approval: amounts ≥ the court's tier (default ¥100,000) and every 提存 need the 执行局长 (ROLE_CHIEF);
 * below the tier the proposal is approved as made. The approval step is one function
 * (payout_decide) so it can move into the shared approval inbox (src/approval) unchanged. */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "funds/alerts.h"
#include "funds/distribution.h"
#include "funds/funds.h"
#include "funds/payouts.h"
#include "case/case.h"
#include "rules/fees.h"

void zx_funds_err_set(zx_funds_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static int dberr(zx_funds_err *e)
{
    zx_funds_err_set(e, 500, "DB_ERROR", "保存失败，请稍后重试");
    return -1;
}

static int ledger_refused(zx_funds_err *e, int r)
{
    int st = r == ZX_TR_EXCEEDS_CREDITS || r == ZX_TR_EXCEEDS_DEBITS ? 422 : r == ZX_TR_OVERFLOW ? 400 : 409;
    zx_funds_err_set(e, st, zx_tr_result_code((enum zx_tr_result)r), "%s", zx_tr_result_message((enum zx_tr_result)r));
    return 1;
}

static int64_t sum_sql(db_conn *c, const char *sql, int64_t a, int64_t b)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    if (b) db_bind_int64(s, 2, b);
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return v;
}

/* 申请执行费 still to settle from the case account: the fee on what was actually executed
 * (诉讼费用交纳办法 art 14(1), on recovered_fen, capped by the fee assessed at filing), minus what
 * was settled or is reserved already. */
int64_t zx_funds_fee_due(db_conn *c, int64_t case_id, int64_t case_acc)
{
    db_stmt *s = db_prepare(c, "SELECT recovered_fen, fee_fen FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t rec = 0, assessed = 0;
    if (db_step(s) == DB_ROW) {
        rec = db_col_int64(s, 0);
        assessed = db_col_int64(s, 1);
    }
    db_finalize(s);
    int64_t fee = zx_fee_enforcement(rec < 0 ? 0 : rec);
    if (assessed > 0 && fee > assessed) fee = assessed;
    if (rec == 0) fee = 0;
    /* settled (posted) + reserved (pending, not yet voided/posted) */
    int64_t done = sum_sql(c,
        "SELECT COALESCE(SUM(t.amount), 0) FROM fund_transfer t WHERE t.debit_account_id = ? AND t.code = 3"
        " AND ((t.flags & 10) = 0 OR ((t.flags & 2) <> 0 AND NOT EXISTS (SELECT 1 FROM fund_transfer x"
        " WHERE x.pending_id = t.id)))", case_acc, 0);
    if (done < 0) return -1;
    return fee > done ? fee - done : 0;
}

int zx_funds_fee_reassess(db_conn *c, int64_t case_id, int64_t user_id, const char *why, int64_t *fee_out)
{
    db_stmt *s = db_prepare(c, "SELECT claim_fen, fee_fen, stage FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t claim = -1, before = 0;
    char stage[24] = "";
    if (db_step(s) == DB_ROW) {
        claim = db_col_int64(s, 0);
        before = db_col_int64(s, 1);
        snprintf(stage, sizeof stage, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    }
    db_finalize(s);
    if (claim < 0) return -1;
    /* 诉讼费用交纳办法 art 14(1): on the amount; a case without one keeps the ¥50–500 it was assessed */
    int64_t fee = claim > 0 ? zx_fee_enforcement(claim) : before;
    if (fee < 0) return -1;
    if (fee_out) *fee_out = fee;
    if (fee == before) return 0;
    s = db_prepare(c, "UPDATE enf_case SET fee_fen = ?, updated_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, fee);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, case_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    int64_t acct = zx_funds_case_account(c, case_id, NULL);
    int64_t due = acct < 0 ? -1 : zx_funds_fee_due(c, case_id, acct); /* what the ledger will settle now */
    if (due < 0) return -1;
    json_t *d = json_pack("{s:I,s:I,s:I,s:I,s:s,s:s}", "from_fen", (json_int_t)before, "fee_fen", (json_int_t)fee, "claim_fen",
                          (json_int_t)claim, "due_fen", (json_int_t)due, "basis", "诉讼费用交纳办法第十四条第（一）项", "reason",
                          why ? why : "");
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, "funds_fee_assessed", stage, zx_today(), d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
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

/* A payout of a 参与分配 plan's line: the plan is this case's, final (the objection procedure of 民诉解释
 * arts 509–510 has ended), the line exists, and the amount fits in the line's share less what its earlier
 * payouts hold (paid or in flight) — so a plan's payouts never exceed its amount either (Σ shares ≤ amount,
 * art 508). Called under the case lock, so two proposals of one line run one after the other. 0 or 1. */
static int plan_line_check(db_conn *c, int64_t case_id, const zx_payout_in *in, zx_dist_line *l, zx_funds_err *e)
{
    if (in->distribution_ord <= 0) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "请写明按分配方案第几项发放（distribution_ord）");
        return 1;
    }
    int rc = zx_distribution_line(c, in->distribution_id, in->distribution_ord, l);
    if (rc < 0) return dberr(e);
    if (rc == 1 || l->case_id != case_id) {
        zx_funds_err_set(e, 404, "DISTRIBUTION_NOT_FOUND", "本案没有该参与分配方案");
        return 1;
    }
    if (strcmp(l->status, "final")) {
        zx_funds_err_set(e, 409, "DISTRIBUTION_NOT_FINAL",
                         "分配方案尚处于“%s”阶段，须待民诉解释第509条、第510条规定的异议程序终结、方案确定后方可按方案发放",
                         zx_distribution_status_label(l->status));
        return 1;
    }
    if (rc == 2) {
        zx_funds_err_set(e, 404, "DISTRIBUTION_LINE_NOT_FOUND", "分配方案没有第%d项", in->distribution_ord);
        return 1;
    }
    int64_t taken = l->paid_fen + l->held_fen, left = l->share_fen - taken > 0 ? l->share_fen - taken : 0;
    if (in->amount_fen > left) {
        char a[ZX_MONEY_BUF], b[ZX_MONEY_BUF], d[ZX_MONEY_BUF];
        /* the creditor's name only when it fits whole (a cut would split a character) */
        zx_funds_err_set(e, 422, "OVER_SHARE", "超出分配方案第%d项%s%s%s的分配额：分配额 %s 元，已发放或在途 %s 元，尚可发放 %s 元",
                         in->distribution_ord, strlen(l->creditor) <= 60 ? "（" : "", strlen(l->creditor) <= 60 ? l->creditor : "",
                         strlen(l->creditor) <= 60 ? "）" : "", zx_money_format(l->share_fen, a), zx_money_format(taken, b),
                         zx_money_format(left, d));
        e->extra = json_pack("{s:I,s:I,s:I,s:I,s:I}", "share_fen", (json_int_t)l->share_fen, "paid_fen", (json_int_t)l->paid_fen,
                             "held_fen", (json_int_t)l->held_fen, "taken_fen", (json_int_t)taken, "remaining_fen", (json_int_t)left);
        return 1;
    }
    return 0;
}

static bool escrow_reason_ok(const char *r)
{
    /* 提存 grounds (rules.md §6; 提存公证规则 / 民法典 art 570): the applicant refuses without reason, is
     * missing, died without a known heir or lost capacity without a guardian, or cannot be reached. */
    static const char *k[] = { "refused", "missing", "no_heir", "no_guardian", "unreachable", "disputed", NULL };
    for (int i = 0; r && k[i]; i++)
        if (!strcmp(r, k[i])) return true;
    return false;
}

int zx_funds_payout_propose(db_conn *c, int64_t case_id, int64_t user_id, const zx_payout_in *in, int64_t *id_out,
                            zx_funds_err *e)
{
    bool escrow = in->kind && !strcmp(in->kind, "escrow");
    int rc;
    if (in->kind && !escrow && strcmp(in->kind, "payout")) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "发放类型无效（payout 或 escrow）");
        return 1;
    }
    if (in->amount_fen <= 0) {
        zx_funds_err_set(e, 400, "INVALID_AMOUNT", "发放金额必须大于零");
        return 1;
    }
    /* PostgreSQL lock order: the audit head and the case row before the ledger's account rows */
    if (zx_case_lock(c, case_id) != 0) return dberr(e);
    zx_dist_line line;
    bool plan = in->distribution_id > 0;
    const char *payee_name = in->payee_name, *role = in->payee_role;
    char role_buf[96];
    if (!plan && in->distribution_ord) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "按方案发放须同时写明分配方案（distribution_id）和项号");
        return 1;
    }
    if (plan) {
        rc = plan_line_check(c, case_id, in, &line, e);
        if (rc) return rc;
        if (!payee_name || !*payee_name) payee_name = line.creditor;
        snprintf(role_buf, sizeof role_buf, "参与分配债权人（方案第%d项）", in->distribution_ord);
        role = role_buf;
    }
    if (!escrow && (!payee_name || !*payee_name || strlen(payee_name) > 100)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "请填写收款人名称");
        return 1;
    }
    if (!escrow && (!in->payee_account || !*in->payee_account || strlen(in->payee_account) > 40)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "请填写收款账号");
        return 1;
    }
    if (escrow && !escrow_reason_ok(in->reason)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "提存须写明法定事由（拒绝受领、下落不明、死亡无继承人、丧失行为能力无监护人、无法联系、争议款项）");
        return 1;
    }
    int64_t court_id = 0;
    char case_no[64], status[16];
    rc = zx_funds_case_brief(c, case_id, &court_id, case_no, status);
    if (rc < 0) return dberr(e);
    if (rc == 1) {
        zx_funds_err_set(e, 404, "NOT_FOUND", "案件不存在");
        return 1;
    }
    /* An active deferral (暂缓发放) blocks payouts, not 提存. */
    if (!escrow && sum_sql(c, "SELECT COUNT(*) FROM fund_deferral WHERE case_id = ? AND status = 'active'", case_id, 0) > 0) {
        zx_funds_err_set(e, 409, "PAYOUT_DEFERRED", "本案执行款已批准暂缓发放，事由消除后方可发放");
        return 1;
    }
    zx_fund_account ca;
    int64_t case_acc = zx_funds_case_account(c, case_id, &ca);
    if (case_acc < 0) return dberr(e);
    /* no 申请执行费 out of a plan's line: the plan's own cost lines carry the execution costs (民诉解释 art 508) */
    int64_t fee = escrow || in->no_fee || plan ? 0 : zx_funds_fee_due(c, case_id, case_acc);
    if (fee < 0) return dberr(e);
    int64_t avail = zx_ledger_available(&ca);
    if (fee > avail) fee = avail;
    if (in->amount_fen > avail - fee) {
        char a[ZX_MONEY_BUF], f[ZX_MONEY_BUF];
        zx_money_format(avail - fee > 0 ? avail - fee : 0, a);
        zx_money_format(fee, f);
        zx_funds_err_set(e, 422, "INSUFFICIENT_BALANCE", "发放金额超过案款账户可发放余额（可发放 %s 元，另须结算执行费 %s 元）", a, f);
        return 1;
    }
    zx_funds_settings st;
    zx_funds_settings_get(c, court_id, &st);
    bool needs_chief = escrow || in->amount_fen >= st.chief_tier_fen;
    int64_t bank = zx_funds_court_account(c, court_id, ZX_ACC_BANK);
    int64_t target = escrow ? zx_funds_court_account(c, court_id, ZX_ACC_ESCROW)
                            : payee_account(c, case_id, court_id, payee_name);
    int64_t feeacc = fee > 0 ? zx_funds_court_account(c, court_id, ZX_ACC_FEE) : 0;
    if (bank < 0 || target < 0 || feeacc < 0) return dberr(e);
    int64_t id = zx_id_new(), fee_tid = fee > 0 ? zx_id_new() : 0, tid = zx_id_new(), out_tid = escrow ? 0 : zx_id_new();
    char ref[32];
    snprintf(ref, sizeof ref, "payout:%lld", (long long)id);
    zx_fund_transfer t[3];
    int n = 0;
    if (fee > 0)
        t[n++] = (zx_fund_transfer){ .id = fee_tid, .debit_account_id = case_acc, .credit_account_id = feeacc,
                                     .amount = fee, .flags = ZX_TR_PENDING | ZX_TR_LINKED, .code = ZX_TC_FEE,
                                     .case_id = case_id, .ref = ref };
    t[n++] = (zx_fund_transfer){ .id = tid, .debit_account_id = case_acc, .credit_account_id = target,
                                 .amount = in->amount_fen, .flags = ZX_TR_PENDING | (escrow ? 0 : ZX_TR_LINKED),
                                 .code = escrow ? ZX_TC_ESCROW : ZX_TC_PAYOUT, .case_id = case_id, .ref = ref };
    if (!escrow)
        t[n++] = (zx_fund_transfer){ .id = out_tid, .debit_account_id = target, .credit_account_id = bank,
                                     .amount = in->amount_fen, .flags = ZX_TR_PENDING, .code = ZX_TC_BANK_OUT,
                                     .case_id = case_id, .ref = ref };
    enum zx_tr_result res[3];
    rc = zx_ledger_create_transfers(c, t, n, res);
    if (rc < 0) return dberr(e);
    if (rc == 1)
        for (int i = 0; i < n; i++)
            if (res[i] != ZX_TR_OK && res[i] != ZX_TR_LINKED_EVENT_FAILED) return ledger_refused(e, res[i]);
    /* The clock: the oldest arrival still unpaid on this account. */
    char oldest[11] = "";
    zx_funds_oldest_unpaid(c, case_acc, oldest);
    int64_t now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO fund_payout (id, case_id, court_id, kind, payee_account_id, payee_name, payee_bank,"
                               " payee_account, amount_fen, fee_fen, reason, status, needs_chief, oldest_arrival_on,"
                               " proposed_by, fee_transfer_id, transfer_id, out_transfer_id, created_ms, updated_ms,"
                               " distribution_id, distribution_ord, payee_role)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return dberr(e);
    int i = 1;
    db_bind_int64(s, i++, id);
    db_bind_int64(s, i++, case_id);
    db_bind_int64(s, i++, court_id);
    db_bind_text(s, i++, escrow ? "escrow" : "payout", -1);
    db_bind_int64(s, i++, target);
    db_bind_text(s, i++, escrow ? "提存" : payee_name, -1);
    db_bind_text(s, i++, in->payee_bank, -1);
    zx_funds_bind_account(s, i++, escrow ? NULL : in->payee_account);
    db_bind_int64(s, i++, in->amount_fen);
    db_bind_int64(s, i++, fee);
    db_bind_text(s, i++, in->reason, -1);
    db_bind_text(s, i++, needs_chief ? "pending_approval" : "approved", -1);
    db_bind_int64(s, i++, needs_chief);
    db_bind_text(s, i++, *oldest ? oldest : NULL, -1);
    db_bind_int64(s, i++, user_id);
    if (fee_tid) db_bind_int64(s, i++, fee_tid);
    else db_bind_null(s, i++);
    db_bind_int64(s, i++, tid);
    if (out_tid) db_bind_int64(s, i++, out_tid);
    else db_bind_null(s, i++);
    db_bind_int64(s, i++, now);
    db_bind_int64(s, i++, now);
    if (plan) {
        db_bind_int64(s, i++, in->distribution_id);
        db_bind_int64(s, i++, in->distribution_ord);
    } else {
        db_bind_null(s, i++);
        db_bind_null(s, i++);
    }
    db_bind_text(s, i++, role, -1);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return dberr(e);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *data = json_pack("{s:s,s:s,s:I,s:I,s:b}", "payout_id", ids, "kind", escrow ? "escrow" : "payout",
                             "amount_fen", (json_int_t)in->amount_fen, "fee_fen", (json_int_t)fee, "needs_chief", needs_chief);
    if (plan) { /* the event names the plan and its line */
        char dids[24];
        snprintf(dids, sizeof dids, "%lld", (long long)in->distribution_id);
        json_object_set_new(data, "distribution_id", json_string(dids));
        json_object_set_new(data, "distribution_ord", json_integer(in->distribution_ord));
        json_object_set_new(data, "creditor", json_string(line.creditor));
        json_object_set_new(data, "share_fen", json_integer(line.share_fen));
        json_object_set_new(data, "basis", json_string("民诉解释第508条至第510条"));
    }
    if (role) json_object_set_new(data, "payee_role", json_string(role));
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, escrow ? "funds_escrow" : "funds_payout_proposed", "funds",
                                    zx_today(), data, NULL);
    json_decref(data);
    if (eid < 0) return dberr(e);
    if (needs_chief) {
        char a[ZX_MONEY_BUF], sum[320];
        zx_money_format(in->amount_fen, a);
        if (escrow) snprintf(sum, sizeof sum, "%s 提存执行款 %s 元", case_no, a);
        else snprintf(sum, sizeof sum, "%s 发放执行款 %s 元给%s %.100s", case_no, a, role ? role : "", payee_name);
        if (zx_funds_approval_submit(c, user_id, court_id, escrow ? "funds_escrow" : "funds_payout", case_id, id, sum))
            return dberr(e);
    }
    *id_out = id;
    return 0;
}

/* Take the proposal's row lock for the rest of the transaction (PostgreSQL; SQLite has one writer),
 * so two decisions on one proposal (a bank's retried confirmation, say) run one after the other and
 * the second sees the first's outcome. */
static void lock_payout(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET updated_ms = updated_ms WHERE id = ?");
    if (!s) return;
    db_bind_int64(s, 1, id);
    db_step(s);
    db_finalize(s);
}

/* Load the row's state. 0, 1 not found, < 0 error. */
int zx_funds_payout_load(db_conn *c, int64_t id, zx_payout *p)
{
    db_stmt *s = db_prepare(c, "SELECT id, case_id, court_id, kind, status, amount_fen, fee_fen, needs_chief,"
                               " COALESCE(fee_transfer_id, 0), transfer_id, COALESCE(out_transfer_id, 0), COALESCE(bank_ref, ''),"
                               " payee_name, CASE WHEN payee_role IS NULL THEN 0 ELSE 1 END FROM fund_payout WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        memset(p, 0, sizeof *p);
        p->id = db_col_int64(s, 0);
        p->case_id = db_col_int64(s, 1);
        p->court_id = db_col_int64(s, 2);
        snprintf(p->kind, sizeof p->kind, "%s", db_col_text(s, 3));
        snprintf(p->status, sizeof p->status, "%s", db_col_text(s, 4));
        p->amount_fen = db_col_int64(s, 5);
        p->fee_fen = db_col_int64(s, 6);
        p->needs_chief = db_col_int64(s, 7) != 0;
        p->fee_tid = db_col_int64(s, 8);
        p->tid = db_col_int64(s, 9);
        p->out_tid = db_col_int64(s, 10);
        snprintf(p->bank_ref, sizeof p->bank_ref, "%s", db_col_text(s, 11));
        snprintf(p->payee_name, sizeof p->payee_name, "%s", db_col_text(s, 12) ? db_col_text(s, 12) : "");
        p->named_payee = db_col_int64(s, 13) != 0;
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int set_status(db_conn *c, int64_t id, const char *from, const char *to, int64_t approver, const char *opinion,
                      const char *bank_ref, const char *fail)
{
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET status = ?, approved_by = COALESCE(?, approved_by),"
                               " opinion = COALESCE(?, opinion), bank_ref = COALESCE(?, bank_ref),"
                               " fail_reason = COALESCE(?, fail_reason), updated_ms = ? WHERE id = ? AND status = ?");
    if (!s) return -1;
    db_bind_text(s, 1, to, -1);
    if (approver > 0) db_bind_int64(s, 2, approver);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, opinion, -1);
    db_bind_text(s, 4, bank_ref, -1);
    db_bind_text(s, 5, fail, -1);
    db_bind_int64(s, 6, zx_now_ms());
    db_bind_int64(s, 7, id);
    db_bind_text(s, 8, from, -1);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    return rc == DB_DONE && n == 1 ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Post (post=true) or void the proposal's pending chain. */
static int settle(db_conn *c, const zx_payout *p, bool post, zx_funds_err *e)
{
    zx_fund_transfer t[3];
    int n = 0;
    unsigned f = post ? ZX_TR_POST_PENDING : ZX_TR_VOID_PENDING;
    int64_t pend[3] = { p->fee_tid, p->tid, p->out_tid };
    int codes[3] = { ZX_TC_FEE, !strcmp(p->kind, "escrow") ? ZX_TC_ESCROW : ZX_TC_PAYOUT, ZX_TC_BANK_OUT };
    for (int i = 0; i < 3; i++)
        if (pend[i] > 0)
            t[n++] = (zx_fund_transfer){ .id = zx_id_new(), .pending_id = pend[i], .flags = f | ZX_TR_LINKED,
                                         .code = codes[i], .case_id = p->case_id };
    t[n - 1].flags &= ~ZX_TR_LINKED;
    enum zx_tr_result res[3];
    int rc = zx_ledger_create_transfers(c, t, n, res);
    if (rc < 0) return dberr(e);
    if (rc == 1)
        for (int i = 0; i < n; i++)
            if (res[i] != ZX_TR_OK && res[i] != ZX_TR_LINKED_EVENT_FAILED) return ledger_refused(e, res[i]);
    return 0;
}

static int event(db_conn *c, const zx_payout *p, int64_t user_id, const char *kind, const char *extra_k, const char *extra_v)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)p->id);
    json_t *d = json_pack("{s:s,s:I}", "payout_id", ids, "amount_fen", (json_int_t)p->amount_fen);
    if (extra_k && extra_v) json_object_set_new(d, extra_k, json_string(extra_v));
    int64_t eid = zx_case_event_add(c, NULL, p->case_id, user_id, kind, "funds", zx_today(), d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

int zx_funds_payout_decide(db_conn *c, int64_t id, int64_t user_id, unsigned roles, bool approve, const char *opinion,
                           zx_funds_err *e)
{
    /* PostgreSQL lock order: the audit head and the case row first (zx_case_lock), then the payout row and the
     * ledger's account rows — as every case writer takes them; ledger rows first and the audit head last
     * deadlocked with a case write posting to the same 专户 (40P01) */
    zx_payout p;
    int rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 0 && zx_case_lock(c, p.case_id) != 0) return dberr(e);
    lock_payout(c, id);
    rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 1) {
        zx_funds_err_set(e, 404, "NOT_FOUND", "发放申请不存在");
        return 1;
    }
    if (strcmp(p.status, "pending_approval")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "该发放申请不在待审批状态");
        return 1;
    }
    if (!(roles & ROLE_CHIEF)) {
        zx_funds_err_set(e, 403, "FORBIDDEN", "须由执行局长（院领导）审批");
        return 1;
    }
    if (!approve) {
        if (settle(c, &p, false, e)) return e->status >= 500 ? -1 : 1;
        if (set_status(c, id, "pending_approval", "returned", user_id, opinion, NULL, NULL)) return dberr(e);
        return event(c, &p, user_id, "funds_payout_approved", "result", "returned") ? dberr(e) : 0;
    }
    if (!strcmp(p.kind, "escrow")) { /* 提存 needs no bank step: post on approval */
        if (settle(c, &p, true, e)) return e->status >= 500 ? -1 : 1;
        if (set_status(c, id, "pending_approval", "paid", user_id, opinion, NULL, NULL)) return dberr(e);
        if (zx_funds_alerts_case(c, p.case_id) < 0) return dberr(e);
    } else if (set_status(c, id, "pending_approval", "approved", user_id, opinion, NULL, NULL)) return dberr(e);
    return event(c, &p, user_id, "funds_payout_approved", "result", "approved") ? dberr(e) : 0;
}

int zx_funds_payout_result(db_conn *c, int64_t id, int64_t user_id, bool ok, const char *bank_ref, const char *reason,
                           zx_funds_err *e)
{
    /* PostgreSQL lock order: the audit head and the case row first (zx_case_lock), then the payout row and the
     * ledger's account rows — as every case writer takes them; ledger rows first and the audit head last
     * deadlocked with a case write posting to the same 专户 (40P01) */
    zx_payout p;
    int rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 0 && zx_case_lock(c, p.case_id) != 0) return dberr(e);
    lock_payout(c, id);
    rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 1) {
        zx_funds_err_set(e, 404, "NOT_FOUND", "发放申请不存在");
        return 1;
    }
    if (!strcmp(p.kind, "escrow")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "提存无需银行确认");
        return 1;
    }
    if (ok && !strcmp(p.status, "paid") && bank_ref && !strcmp(p.bank_ref, bank_ref)) return 2; /* retry: same answer */
    if (!strcmp(p.status, "paid")) {
        zx_funds_err_set(e, 409, "ALREADY_PAID", "该笔执行款已发放，不能重复发放");
        return 1;
    }
    if (strcmp(p.status, "approved") && strcmp(p.status, "sent")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "该发放申请尚未批准或已处理");
        return 1;
    }
    if (ok && (!bank_ref || !*bank_ref || strlen(bank_ref) > 64)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "请填写银行付款流水号");
        return 1;
    }
    if (settle(c, &p, ok, e)) return e->status >= 500 ? -1 : 1;
    if (set_status(c, id, p.status, ok ? "paid" : "failed", 0, NULL, ok ? bank_ref : NULL, ok ? NULL : (reason ? reason : "银行退回")))
        return dberr(e);
    if (event(c, &p, user_id, ok ? "funds_paid" : "funds_payout_failed", ok ? "bank_ref" : "reason",
              ok ? bank_ref : (reason ? reason : "银行退回")))
        return dberr(e);
    char today[11];
    zx_date_format(zx_today(), today);
    /* 发放 notice (seed 001 §35) to the applicants — only to the payee when the payout names a role (another
     * 参与分配 creditor, a buyer's refund): "paid to your account" would be false for the others */
    if (zx_funds_notify_named(c, p.case_id, ok ? "funds_payout" : "funds_payout_failed", p.id, p.amount_fen, today,
                              p.named_payee ? p.payee_name : NULL) < 0)
        return dberr(e);
    if (ok && zx_funds_alerts_case(c, p.case_id) < 0) return dberr(e); /* the payout warning's to-do row closes now */
    return 0;
}

int zx_funds_payout_cancel(db_conn *c, int64_t id, int64_t user_id, zx_funds_err *e)
{
    /* PostgreSQL lock order: the audit head and the case row first (zx_case_lock), then the payout row and the
     * ledger's account rows — as every case writer takes them; ledger rows first and the audit head last
     * deadlocked with a case write posting to the same 专户 (40P01) */
    zx_payout p;
    int rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 0 && zx_case_lock(c, p.case_id) != 0) return dberr(e);
    lock_payout(c, id);
    rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(e);
    if (rc == 1) {
        zx_funds_err_set(e, 404, "NOT_FOUND", "发放申请不存在");
        return 1;
    }
    if (strcmp(p.status, "pending_approval") && strcmp(p.status, "approved")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "该发放申请已处理，不能撤回");
        return 1;
    }
    if (settle(c, &p, false, e)) return e->status >= 500 ? -1 : 1;
    if (set_status(c, id, p.status, "cancelled", 0, NULL, NULL, NULL)) return dberr(e);
    return event(c, &p, user_id, "funds_payout_failed", "reason", "撤回") ? dberr(e) : 0;
}

/* FIFO: the money still on the account is the most recent arrivals; the oldest of those sets the
 * clock. out = '' when the balance is zero; *tid = that arrival's transfer, *held = the balance. */
int zx_funds_oldest_unpaid_tr(db_conn *c, int64_t case_acc, char out[11], int64_t *tid, int64_t *held)
{
    out[0] = 0;
    if (tid) *tid = 0;
    zx_fund_account a;
    if (zx_ledger_account_get(c, case_acc, &a) != 0) return -1;
    int64_t left = zx_ledger_balance(&a);
    if (held) *held = left > 0 ? left : 0;
    if (left <= 0) return 0;
    db_stmt *s = db_prepare(c, "SELECT amount, booked_on, id FROM fund_transfer WHERE credit_account_id = ? AND (flags & 10) = 0"
                               " ORDER BY booked_on DESC, id DESC");
    if (!s) return -1;
    db_bind_int64(s, 1, case_acc);
    while (left > 0 && db_step(s) == DB_ROW) {
        left -= db_col_int64(s, 0);
        snprintf(out, 11, "%s", db_col_text(s, 1));
        if (tid) *tid = db_col_int64(s, 2);
    }
    db_finalize(s);
    return 0;
}

int zx_funds_oldest_unpaid(db_conn *c, int64_t case_acc, char out[11])
{
    return zx_funds_oldest_unpaid_tr(c, case_acc, out, NULL, NULL);
}
