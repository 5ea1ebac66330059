/* corrections.c — 更正: a wrong match or a wrong posting is corrected only by NEW transfers, never by
 * editing one (ledger.h: transfers are immutable, balances derived).
 *
 *   move     the money was credited to the wrong place (matched to the wrong case, claimed into the
 *            wrong case, or left in 待认领 while it belongs to a case): a transfer from the account it
 *            was credited to → the right case's account, or → 待认领 (to be claimed again);
 *   reverse  the posting itself was wrong (the bank never credited the 专户 with it — a duplicated
 *            notice under another reference, a typing error): a transfer from the credited account
 *            back to the 专户 (the mirror image of the original).
 *
 * Every correction references the transfer it corrects, carries a reason, and needs the 执行局长
 * (code ZX_TC_ADJUST "reverse transfer with approval", ledger.h): finance proposes, the amount is
 * reserved at once by a PENDING transfer (so it cannot be paid out meanwhile and two corrections
 * cannot take the same money twice), the chief's approval posts it, a return or a withdrawal voids it.
 * The transfers keep the original's value date (booked_on), so the 30-day payout clock of the money
 * moved to the right case runs from its real arrival. Each step writes the case events of the cases
 * involved (funds_correction_proposed / funds_corrected / funds_correction_returned) and the caller's
 * audit record; recovered_fen follows (−amount on the case it leaves, +amount on the case it reaches).
 * The arrival row (fund_arrival) is re-pointed so the 待认领 work list and the arrival list show where
 * the money now is; its history is the transfers and fund_correction. */
#include <stdio.h>
#include <string.h>

#include "approval/approval.h"
#include "account/authz.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "funds/corrections.h"
#include "funds/funds.h"

static int dberr(zx_funds_err *e)
{
    zx_funds_err_set(e, 500, "DB_ERROR", "保存失败，请稍后重试");
    return -1;
}

static int refuse(zx_funds_err *e, int status, const char *code, const char *msg)
{
    zx_funds_err_set(e, status, code, "%s", msg);
    return 1;
}

typedef struct orig {
    int64_t id, debit, credit, amount, case_id;
    unsigned flags;
    int code;
    char booked_on[11];
} orig;

static int load_transfer(db_conn *c, int64_t id, orig *o)
{
    db_stmt *s = db_prepare(c, "SELECT id, debit_account_id, credit_account_id, amount, COALESCE(case_id, 0), flags, code,"
                               " booked_on FROM fund_transfer WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->id = db_col_int64(s, 0);
        o->debit = db_col_int64(s, 1);
        o->credit = db_col_int64(s, 2);
        o->amount = db_col_int64(s, 3);
        o->case_id = db_col_int64(s, 4);
        o->flags = (unsigned)db_col_int64(s, 5);
        o->code = (int)db_col_int64(s, 6);
        snprintf(o->booked_on, sizeof o->booked_on, "%s", db_col_text(s, 7));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int case_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, const zx_correction *k,
                      const char *on)
{
    if (case_id <= 0) return 0;
    char ids[24], tids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)k->id);
    snprintf(tids, sizeof tids, "%lld", (long long)k->transfer_id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:I,s:s}", "correction_id", ids, "transfer_id", tids, "action", k->action,
                          "amount_fen", (json_int_t)k->amount_fen, "reason", k->reason);
    if (k->from_case_id > 0 && k->from_case_id != case_id) json_object_set_new(d, "from_case_no", json_string(k->from_case_no));
    if (k->to_case_id > 0 && k->to_case_id != case_id) json_object_set_new(d, "to_case_no", json_string(k->to_case_no));
    zx_date dt = zx_today();
    if (on) zx_date_parse(on, &dt);
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, kind, "funds", dt, d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

int zx_funds_correction_load(db_conn *c, int64_t id, zx_correction *k)
{
    memset(k, 0, sizeof *k);
    db_stmt *s = db_prepare(c, "SELECT f.id, f.court_id, f.transfer_id, COALESCE(f.arrival_id, 0), f.action, f.from_account_id,"
                               " f.to_account_id, COALESCE(f.from_case_id, 0), COALESCE(f.to_case_id, 0), f.amount_fen, f.reason,"
                               " f.status, f.pending_transfer_id, COALESCE(a.case_no, ''), COALESCE(b.case_no, ''),"
                               " t.booked_on, f.proposed_by FROM fund_correction f"
                               " JOIN fund_transfer t ON t.id = f.transfer_id"
                               " LEFT JOIN enf_case a ON a.id = f.from_case_id LEFT JOIN enf_case b ON b.id = f.to_case_id"
                               " WHERE f.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        k->id = db_col_int64(s, 0);
        k->court_id = db_col_int64(s, 1);
        k->transfer_id = db_col_int64(s, 2);
        k->arrival_id = db_col_int64(s, 3);
        snprintf(k->action, sizeof k->action, "%s", db_col_text(s, 4));
        k->from_account_id = db_col_int64(s, 5);
        k->to_account_id = db_col_int64(s, 6);
        k->from_case_id = db_col_int64(s, 7);
        k->to_case_id = db_col_int64(s, 8);
        k->amount_fen = db_col_int64(s, 9);
        snprintf(k->reason, sizeof k->reason, "%s", db_col_text(s, 10));
        snprintf(k->status, sizeof k->status, "%s", db_col_text(s, 11));
        k->pending_transfer_id = db_col_int64(s, 12);
        snprintf(k->from_case_no, sizeof k->from_case_no, "%s", db_col_text(s, 13));
        snprintf(k->to_case_no, sizeof k->to_case_no, "%s", db_col_text(s, 14));
        snprintf(k->booked_on, sizeof k->booked_on, "%s", db_col_text(s, 15));
        k->proposed_by = db_col_int64(s, 16);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int zx_funds_correction_propose(db_conn *c, const zx_correction_in *in, int64_t user_id, int64_t user_court,
                                int64_t *id_out, zx_funds_err *e)
{
    bool move = in->action && !strcmp(in->action, "move"), rev = in->action && !strcmp(in->action, "reverse");
    if (!move && !rev) return refuse(e, 400, "VALIDATION_FAILED", "更正方式应为 move（改记到正确的案件或待认领）或 reverse（冲回专户）");
    if (!in->reason || !*in->reason) return refuse(e, 400, "VALIDATION_FAILED", "请填写更正理由");
    if (strlen(in->reason) > 500) return refuse(e, 400, "VALIDATION_FAILED", "更正理由过长");
    if (in->amount_fen < 0) return refuse(e, 400, "INVALID_AMOUNT", "更正金额必须大于零");
    /* PostgreSQL lock order: the audit head before the ledger's account rows (two cases may be touched: the head
     * serialises case writers, so their rows are then free to take in any order) */
    if (zx_case_lock(c, 0) != 0) return dberr(e);
    orig o;
    int rc = load_transfer(c, in->transfer_id, &o);
    if (rc < 0) return dberr(e);
    if (rc == 1) return refuse(e, 404, "NOT_FOUND", "转账记录不存在");
    zx_fund_account from, to;
    if (zx_ledger_account_get(c, o.credit, &from) != 0) return dberr(e);
    if (from.court_id != user_court) return refuse(e, 404, "NOT_FOUND", "转账记录不存在");
    /* Only money that came in (到账, 网络扣划, 认领) and is still the court's can be corrected; a payout
     * that reached the bank is answered by the bank's return, not here. */
    if (o.flags & (ZX_TR_PENDING | ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING) ||
        (o.code != ZX_TC_ARRIVAL && o.code != ZX_TC_DEDUCTION && o.code != ZX_TC_CLAIM) ||
        (from.kind != ZX_ACC_CASE && from.kind != ZX_ACC_UNIDENTIFIED))
        return refuse(e, 422, "NOT_CORRECTABLE", "只能更正已入账的到账、网络扣划或认领转账");
    if (rev && o.code == ZX_TC_CLAIM)
        return refuse(e, 422, "NOT_CORRECTABLE", "认领错误请用“改记”退回待认领或改记到正确案件");
    /* How much of it is still uncorrected (pending or done corrections count). */
    int64_t used = 0;
    db_stmt *s = db_prepare(c, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_correction WHERE transfer_id = ?"
                               " AND status IN ('pending_approval', 'done')");
    if (!s) return dberr(e);
    db_bind_int64(s, 1, o.id);
    if (db_step(s) == DB_ROW) used = db_col_int64(s, 0);
    db_finalize(s);
    int64_t left = o.amount - used, amount = in->amount_fen ? in->amount_fen : left;
    if (left <= 0) return refuse(e, 409, "ALREADY_CORRECTED", "该笔转账已全部更正（或更正待审批）");
    if (amount > left) {
        char l[ZX_MONEY_BUF];
        zx_funds_err_set(e, 422, "AMOUNT_EXCEEDS_ORIGINAL", "更正金额超过该笔转账尚未更正的金额（%s 元）", zx_money_format(left, l));
        return 1;
    }
    int64_t to_case = 0, to_acc = 0;
    if (move) {
        if (in->to_case_id > 0) {
            int64_t cc = 0;
            char st[16];
            rc = zx_funds_case_brief(c, in->to_case_id, &cc, NULL, st);
            if (rc < 0) return dberr(e);
            if (rc == 1 || cc != from.court_id) return refuse(e, 404, "NOT_FOUND", "改记到的案件不存在或不属于本院");
            if (in->to_case_id == from.case_id) return refuse(e, 422, "SAME_ACCOUNT", "改记到的案件与原入账案件相同");
            to_case = in->to_case_id;
            to_acc = zx_funds_case_account(c, to_case, &to);
            if (to_acc < 0) return dberr(e);
            if (to.flags & ZX_ACCF_CLOSED) return refuse(e, 422, "ACCOUNT_CLOSED", "改记到的案件账户已关闭");
        } else {
            if (from.kind == ZX_ACC_UNIDENTIFIED) return refuse(e, 422, "SAME_ACCOUNT", "该笔款项已在待认领账户");
            to_acc = zx_funds_court_account(c, from.court_id, ZX_ACC_UNIDENTIFIED);
            if (to_acc < 0) return dberr(e);
        }
    } else
        to_acc = o.debit; /* the 专户 it came from */
    zx_correction k = { .id = zx_id_new(), .court_id = from.court_id, .transfer_id = o.id, .from_account_id = o.credit,
                        .to_account_id = to_acc, .from_case_id = from.kind == ZX_ACC_CASE ? from.case_id : 0,
                        .to_case_id = to_case, .amount_fen = amount, .pending_transfer_id = zx_id_new(),
                        .proposed_by = user_id };
    snprintf(k.action, sizeof k.action, "%s", in->action);
    snprintf(k.reason, sizeof k.reason, "%s", in->reason);
    snprintf(k.status, sizeof k.status, "pending_approval");
    snprintf(k.booked_on, sizeof k.booked_on, "%s", o.booked_on);
    if (k.from_case_id) zx_funds_case_brief(c, k.from_case_id, NULL, k.from_case_no, NULL);
    if (k.to_case_id) zx_funds_case_brief(c, k.to_case_id, NULL, k.to_case_no, NULL);
    /* the arrival this money came in with (arrival ids are the arrival's transfer id; a claim names it) */
    s = db_prepare(c, "SELECT id FROM fund_arrival WHERE transfer_id = ? OR claim_transfer_id = ?");
    if (!s) return dberr(e);
    db_bind_int64(s, 1, o.id);
    db_bind_int64(s, 2, o.id);
    if (db_step(s) == DB_ROW) k.arrival_id = db_col_int64(s, 0);
    db_finalize(s);
    char ref[40];
    snprintf(ref, sizeof ref, "correction:%lld", (long long)o.id);
    zx_fund_transfer t = { .id = k.pending_transfer_id, .debit_account_id = k.from_account_id,
                           .credit_account_id = k.to_account_id, .amount = amount, .flags = ZX_TR_PENDING,
                           .code = ZX_TC_ADJUST, .case_id = k.from_case_id ? k.from_case_id : k.to_case_id, .ref = ref,
                           .booked_on = o.booked_on };
    rc = zx_ledger_transfer(c, &t);
    if (rc < 0) return dberr(e);
    if (rc != ZX_TR_OK) {
        zx_funds_err_set(e, rc == ZX_TR_EXCEEDS_CREDITS || rc == ZX_TR_EXCEEDS_DEBITS ? 422 : 409,
                         zx_tr_result_code((enum zx_tr_result)rc), "%s%s", zx_tr_result_message((enum zx_tr_result)rc),
                         rc == ZX_TR_EXCEEDS_CREDITS ? "（该笔款项已部分发放或被占用，请先处理相关发放）" : "");
        return 1;
    }
    s = db_prepare(c, "INSERT INTO fund_correction (id, court_id, transfer_id, arrival_id, action, from_account_id, to_account_id,"
                      " from_case_id, to_case_id, amount_fen, reason, status, pending_transfer_id, proposed_by, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_approval', ?, ?, ?)");
    if (!s) return dberr(e);
    int b = 1;
    db_bind_int64(s, b++, k.id);
    db_bind_int64(s, b++, k.court_id);
    db_bind_int64(s, b++, k.transfer_id);
    if (k.arrival_id) db_bind_int64(s, b++, k.arrival_id);
    else db_bind_null(s, b++);
    db_bind_text(s, b++, k.action, -1);
    db_bind_int64(s, b++, k.from_account_id);
    db_bind_int64(s, b++, k.to_account_id);
    if (k.from_case_id) db_bind_int64(s, b++, k.from_case_id);
    else db_bind_null(s, b++);
    if (k.to_case_id) db_bind_int64(s, b++, k.to_case_id);
    else db_bind_null(s, b++);
    db_bind_int64(s, b++, amount);
    db_bind_text(s, b++, k.reason, -1);
    db_bind_int64(s, b++, k.pending_transfer_id);
    db_bind_int64(s, b++, user_id);
    db_bind_int64(s, b++, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return dberr(e);
    if (case_event(c, k.from_case_id, user_id, "funds_correction_proposed", &k, NULL) ||
        case_event(c, k.to_case_id, user_id, "funds_correction_proposed", &k, NULL))
        return dberr(e);
    char amt[ZX_MONEY_BUF], summary[800], why[160];
    zx_money_format(amount, amt);
    size_t wn = strlen(k.reason) < sizeof why - 1 ? strlen(k.reason) : sizeof why - 1;
    while (wn > 0 && wn < strlen(k.reason) && ((unsigned char)k.reason[wn] & 0xC0) == 0x80) wn--; /* UTF-8 boundary */
    memcpy(why, k.reason, wn);
    why[wn] = 0;
    if (rev) snprintf(summary, sizeof summary, "冲回错误入账 %s 元（%s）：%s", amt, *k.from_case_no ? k.from_case_no : "待认领", why);
    else snprintf(summary, sizeof summary, "案款更正 %s 元：%s → %s：%s", amt, *k.from_case_no ? k.from_case_no : "待认领",
                  *k.to_case_no ? k.to_case_no : "待认领", why);
    if (zx_approval_submit_as(c, user_id, k.court_id, "funds_correction", k.from_case_id ? k.from_case_id : k.to_case_id,
                              k.id, summary, zx_cal_add_working_days(zx_today(), 3)) <= 0)
        return dberr(e);
    *id_out = k.id;
    return 0;
}

static int set_status(db_conn *c, int64_t id, const char *from, const char *to, int64_t user_id, const char *opinion)
{
    db_stmt *s = db_prepare(c, "UPDATE fund_correction SET status = ?, decided_by = ?, opinion = ?, decided_ms = ?"
                               " WHERE id = ? AND status = ?");
    if (!s) return -1;
    db_bind_text(s, 1, to, -1);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, opinion && *opinion ? opinion : NULL, -1);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, id);
    db_bind_text(s, 6, from, -1);
    int rc = db_step(s);
    int64_t ch = rc == DB_DONE ? db_changes(s) : 0;
    db_finalize(s);
    return ch == 1 ? 0 : -1;
}

/* Settle the reservation: post (approved) or void (returned / withdrawn). */
static int settle(db_conn *c, const zx_correction *k, bool post, zx_funds_err *e)
{
    zx_fund_transfer t = { .id = zx_id_new(), .pending_id = k->pending_transfer_id,
                           .flags = post ? ZX_TR_POST_PENDING : ZX_TR_VOID_PENDING, .code = ZX_TC_ADJUST,
                           .case_id = k->from_case_id ? k->from_case_id : k->to_case_id, .booked_on = k->booked_on };
    char ref[40];
    snprintf(ref, sizeof ref, "correction:%lld", (long long)k->transfer_id);
    t.ref = ref;
    int rc = zx_ledger_transfer(c, &t);
    if (rc < 0) return dberr(e);
    if (rc != ZX_TR_OK) {
        zx_funds_err_set(e, 409, zx_tr_result_code((enum zx_tr_result)rc), "%s", zx_tr_result_message((enum zx_tr_result)rc));
        return 1;
    }
    return 0;
}

int zx_funds_correction_decide(db_conn *c, int64_t id, int64_t user_id, bool approve, const char *opinion, zx_funds_err *e)
{
    if (zx_case_lock(c, 0) != 0) return dberr(e); /* audit head before ledger rows (PostgreSQL) */
    zx_correction k;
    int rc = zx_funds_correction_load(c, id, &k);
    if (rc < 0) return dberr(e);
    if (rc == 1) return refuse(e, 404, "NOT_FOUND", "更正申请不存在");
    if (strcmp(k.status, "pending_approval")) return refuse(e, 409, "INVALID_STATE", "该更正申请已处理");
    if (!approve && (!opinion || !*opinion)) return refuse(e, 400, "VALIDATION_FAILED", "退回须填写意见");
    if (set_status(c, id, "pending_approval", approve ? "done" : "returned", user_id, opinion)) return dberr(e);
    if ((rc = settle(c, &k, approve, e))) return rc;
    if (!approve) {
        if (case_event(c, k.from_case_id, user_id, "funds_correction_returned", &k, NULL) ||
            case_event(c, k.to_case_id, user_id, "funds_correction_returned", &k, NULL))
            return dberr(e);
        return 0;
    }
    /* the cases' recovered amounts follow the ledger */
    json_t *d = json_pack("{s:s,s:s,s:I,s:s}", "action", k.action, "reason", k.reason, "amount_fen",
                          (json_int_t)k.amount_fen, "direction", "out");
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)k.id);
    json_object_set_new(d, "correction_id", json_string(ids));
    if (k.to_case_id) json_object_set_new(d, "to_case_no", json_string(k.to_case_no));
    if (k.from_case_id && zx_funds_credit_case(c, k.from_case_id, user_id, "funds_corrected", -k.amount_fen, NULL, d) < 0) {
        json_decref(d);
        return dberr(e);
    }
    json_object_set_new(d, "direction", json_string("in"));
    json_object_del(d, "to_case_no");
    if (k.from_case_id) json_object_set_new(d, "from_case_no", json_string(k.from_case_no));
    if (k.to_case_id && zx_funds_credit_case(c, k.to_case_id, user_id, "funds_corrected", k.amount_fen, NULL, d) < 0) {
        json_decref(d);
        return dberr(e);
    }
    json_decref(d);
    /* re-point the arrival when all of it moved (the work lists show where the money is now) */
    if (k.arrival_id) {
        char due[11] = "";
        const char *status = !strcmp(k.action, "reverse") ? "reversed" : k.to_case_id ? "matched" : "unidentified";
        if (!k.to_case_id && strcmp(k.action, "reverse"))
            zx_date_format(zx_cal_add_working_days(zx_today(), zx_funds_claim_days(c, k.court_id)), due);
        db_stmt *s = db_prepare(c, "UPDATE fund_arrival SET status = ?, case_id = ?, matched_by = ?, claim_due_on = ?,"
                                   " claim_transfer_id = CASE WHEN ? = 'unidentified' THEN NULL ELSE claim_transfer_id END"
                                   " WHERE id = ? AND amount_fen = ?");
        if (!s) return dberr(e);
        db_bind_text(s, 1, status, -1);
        if (k.to_case_id) db_bind_int64(s, 2, k.to_case_id);
        else if (!strcmp(k.action, "reverse") && k.from_case_id) db_bind_int64(s, 2, k.from_case_id);
        else db_bind_null(s, 2);
        db_bind_text(s, 3, k.to_case_id ? "correction" : NULL, -1);
        db_bind_text(s, 4, *due ? due : NULL, -1);
        db_bind_text(s, 5, status, -1);
        db_bind_int64(s, 6, k.arrival_id);
        db_bind_int64(s, 7, k.amount_fen);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return dberr(e);
    }
    return 0;
}

int zx_funds_correction_cancel(db_conn *c, int64_t id, int64_t user_id, zx_funds_err *e)
{
    if (zx_case_lock(c, 0) != 0) return dberr(e); /* audit head before ledger rows (PostgreSQL) */
    zx_correction k;
    int rc = zx_funds_correction_load(c, id, &k);
    if (rc < 0) return dberr(e);
    if (rc == 1) return refuse(e, 404, "NOT_FOUND", "更正申请不存在");
    if (strcmp(k.status, "pending_approval")) return refuse(e, 409, "INVALID_STATE", "该更正申请已处理，不能撤回");
    if (set_status(c, id, "pending_approval", "cancelled", user_id, NULL)) return dberr(e);
    if ((rc = settle(c, &k, false, e))) return rc;
    if (case_event(c, k.from_case_id, user_id, "funds_correction_returned", &k, NULL) ||
        case_event(c, k.to_case_id, user_id, "funds_correction_returned", &k, NULL))
        return dberr(e);
    return 0;
}

/* The approval inbox (src/approval): the chief decides there or on the funds page. */
static int decide_cb(db_conn *c, const zx_approval *a, bool approve, zx_approval_err *err)
{
    zx_funds_err e = { 0 };
    int rc = zx_funds_correction_decide(c, a->object_id, a->decided_by, approve, a->opinion, &e);
    if (rc > 0) zx_approval_err_set(err, e.status, e.code, "%s", e.message);
    return rc ? -1 : 0;
}
static int corr_ok(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return decide_cb(c, a, true, err); }
static int corr_no(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return decide_cb(c, a, false, err); }
static const struct zx_approval_kind correction_kind = {
    .kind = "funds_correction", .label = "案款更正（冲回或改记）", .approver_roles = ROLE_CHIEF,
    .on_approved = corr_ok, .on_returned = corr_no,
};
ZX_APPROVAL_KIND(correction_kind)
