/* arrivals.c — money arriving at the court (到账): the one path for bank notices, statement lines,
 * online deductions and auction money. Matching: virtual account number → 案号 in the remark →
 * payer is the debtor of exactly one open case of the court → otherwise 待认领 with a claim deadline
 * of 3 working days (seed 000: unidentified receipts claimed within 3 days; 康保: 3 working days). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "notify/notify.h"
#include "rules/case_no.h"

static int fail(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

static bool source_known(const char *s)
{
    static const char *k[] = { "bank_notice", "statement", "deduction", "auction", "deposit", "manual", NULL };
    for (int i = 0; s && k[i]; i++)
        if (!strcmp(s, k[i])) return true;
    return false;
}

/* Find a 案号 inside free text (payers write "（2024）辽0102执123号 货款" or with half-width
 * brackets). Returns the canonical form in out, or false. */
bool zx_funds_case_no_in_text(const char *text, char out[ZX_CASE_NO_MAX])
{
    if (!text) return false;
    for (const char *p = text; *p; p++) {
        bool open = !strncmp(p, "（", 3) || *p == '(';
        if (!open) continue;
        const char *end = strstr(p, "号");
        if (!end || end - p > 60) continue;
        char cand[ZX_CASE_NO_MAX + 8];
        size_t n = (size_t)(end - p) + 3;
        if (n >= sizeof cand) continue;
        memcpy(cand, p, n);
        cand[n] = 0;
        zx_case_no cn;
        if (zx_case_no_parse(cand, &cn) == 0 && zx_case_no_format(&cn, out, ZX_CASE_NO_MAX) > 0) return true;
    }
    return false;
}

static int64_t case_by_no(db_conn *c, const char *case_no, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM enf_case WHERE case_no = ? AND court_id = ?");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, case_no, -1);
    db_bind_int64(s, 2, court_id);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return rc < 0 ? rc : id;
}

/* The one open case of the court whose debtor has this name; 0 if none or several. */
static int64_t case_by_debtor(db_conn *c, const char *payer, int64_t court_id)
{
    if (!payer || !*payer) return 0;
    db_stmt *s = db_prepare(c, "SELECT DISTINCT p.case_id FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE p.court_id = ? AND p.name = ? AND p.role = 'debtor' AND e.status <> 'closed'"
                               " LIMIT 2");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, court_id);
    db_bind_text(s, 2, payer, -1);
    int64_t id = 0;
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        id = db_col_int64(s, 0);
        n++;
    }
    db_finalize(s);
    if (rc < 0) return rc;
    return n == 1 ? id : 0;
}

int zx_funds_case_brief(db_conn *c, int64_t case_id, int64_t *court_id, char case_no[64], char status[16])
{
    db_stmt *s = db_prepare(c, "SELECT court_id, case_no, status FROM enf_case WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        if (court_id) *court_id = db_col_int64(s, 0);
        if (case_no) snprintf(case_no, 64, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        if (status) snprintf(status, 16, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int zx_funds_credit_case(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, int64_t amount_fen,
                         const char *on, json_t *data)
{
    db_stmt *s = db_prepare(c, "UPDATE enf_case SET recovered_fen = recovered_fen + ?, updated_ms = ? WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, amount_fen);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, case_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return DB_ERROR;
    zx_date d = zx_today();
    if (on) zx_date_parse(on, &d);
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, kind, "funds", d, data, NULL);
    return eid < 0 ? DB_ERROR : 0;
}

static int arrival_existing(db_conn *c, int64_t court_id, const char *bank_ref, int64_t amount,
                            zx_funds_arrival_out *out)
{
    db_stmt *s = db_prepare(c, "SELECT a.id, a.transfer_id, a.case_id, a.matched_by, a.amount_fen, e.case_no"
                               " FROM fund_arrival a LEFT JOIN enf_case e ON e.id = a.case_id"
                               " WHERE a.court_id = ? AND a.bank_ref = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, court_id);
    db_bind_text(s, 2, bank_ref, -1);
    int rc = db_step(s);
    int ret = 0;
    if (rc == DB_ROW) {
        out->arrival_id = db_col_int64(s, 0);
        out->transfer_id = db_col_int64(s, 1);
        out->case_id = db_col_int64(s, 2);
        snprintf(out->matched_by, sizeof out->matched_by, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        snprintf(out->case_no, sizeof out->case_no, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
        out->existed = true;
        ret = db_col_int64(s, 4) == amount ? 1 : ZX_FUNDS_ECONFLICT;
    } else if (rc != DB_DONE) ret = rc;
    db_finalize(s);
    return ret;
}

int zx_funds_arrival(db_conn *c, const zx_funds_arrival_in *in, zx_funds_arrival_out *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!in->bank_ref || !*in->bank_ref || strlen(in->bank_ref) > 64)
        return fail(err, errlen, ZX_FUNDS_EINVAL, "银行流水号不能为空且不超过64个字符");
    if (in->amount_fen <= 0) return fail(err, errlen, ZX_FUNDS_EINVAL, "到账金额必须大于零");
    if (!source_known(in->source)) return fail(err, errlen, ZX_FUNDS_EINVAL, "到账来源无效");
    char booked[11];
    zx_date bd = zx_today();
    if (in->booked_on && zx_date_parse(in->booked_on, &bd) != 0)
        return fail(err, errlen, ZX_FUNDS_EINVAL, "记账日期应为 YYYY-MM-DD 格式的有效日期");
    zx_date_format(bd, booked);
    if (in->payer_name && strlen(in->payer_name) > 200) return fail(err, errlen, ZX_FUNDS_EINVAL, "付款人名称过长");
    if (in->remark && strlen(in->remark) > 500) return fail(err, errlen, ZX_FUNDS_EINVAL, "附言过长");
    if (in->account_no && strlen(in->account_no) > 40) return fail(err, errlen, ZX_FUNDS_EINVAL, "账号过长");

    int64_t court_id = in->court_id, case_id = in->case_id, case_acc = 0;
    char case_no[64] = "", status[16] = "";
    const char *matched_by = "";
    if (case_id > 0) {
        int64_t cc = 0;
        int rc = zx_funds_case_brief(c, case_id, &cc, case_no, status);
        if (rc < 0) return rc;
        if (rc == 1) return fail(err, errlen, ZX_FUNDS_ENOTFOUND, "案件不存在");
        if (court_id > 0 && cc != court_id) return fail(err, errlen, ZX_FUNDS_EINVAL, "案件不属于该法院");
        court_id = cc;
        matched_by = "given";
    }
    if (court_id <= 0) return fail(err, errlen, ZX_FUNDS_EINVAL, "未指明收款法院");

    int rc = arrival_existing(c, court_id, in->bank_ref, in->amount_fen, out);
    if (rc == 1) return 1;
    if (rc == ZX_FUNDS_ECONFLICT)
        return fail(err, errlen, ZX_FUNDS_ECONFLICT, "银行流水号%s已登记，但金额不同", in->bank_ref);
    if (rc < 0) return rc;
    memset(out, 0, sizeof *out);

    int64_t bank = in->bank_account_id;
    if (bank > 0) {
        zx_fund_account b;
        rc = zx_ledger_account_get(c, bank, &b);
        if (rc < 0) return rc;
        if (rc == 1 || b.kind != ZX_ACC_BANK || b.court_id != court_id)
            return fail(err, errlen, ZX_FUNDS_ENOTFOUND, "收款专户不存在");
    } else if ((bank = zx_funds_court_account(c, court_id, ZX_ACC_BANK)) < 0) return (int)bank;

    int64_t credit = in->to_account_id;
    if (credit > 0) {
        zx_fund_account t;
        rc = zx_ledger_account_get(c, credit, &t);
        if (rc < 0) return rc;
        if (rc == 1 || t.court_id != court_id || t.kind == ZX_ACC_BANK)
            return fail(err, errlen, ZX_FUNDS_ENOTFOUND, "入账账户不存在");
        if (t.kind == ZX_ACC_CASE && case_id <= 0) case_id = t.case_id;
        matched_by = "given";
    }
    if (case_id <= 0 && credit <= 0) { /* matching */
        if (in->account_no && *in->account_no) {
            int64_t k = zx_funds_case_by_account_no(c, in->account_no, court_id, &case_acc);
            if (k < 0) return (int)k;
            if (k > 0) {
                case_id = k;
                matched_by = "account_no";
            }
        }
        char cn[ZX_CASE_NO_MAX];
        if (case_id <= 0 && zx_funds_case_no_in_text(in->remark, cn)) {
            int64_t k = case_by_no(c, cn, court_id);
            if (k < 0) return (int)k;
            if (k > 0) {
                case_id = k;
                matched_by = "case_no";
            }
        }
        if (case_id <= 0) {
            int64_t k = case_by_debtor(c, in->payer_name, court_id);
            if (k < 0) return (int)k;
            if (k > 0) {
                case_id = k;
                matched_by = "payer";
            }
        }
        if (case_id > 0 && zx_funds_case_brief(c, case_id, NULL, case_no, status) < 0) return DB_ERROR;
    }
    if (credit <= 0) {
        if (case_id > 0) credit = case_acc > 0 ? case_acc : zx_funds_case_account(c, case_id, NULL);
        else credit = zx_funds_court_account(c, court_id, ZX_ACC_UNIDENTIFIED);
        if (credit < 0) return (int)credit;
    }
    zx_fund_account ca;
    if (zx_ledger_account_get(c, credit, &ca) != 0) return DB_ERROR;
    if (ca.flags & ZX_ACCF_CLOSED) { /* a closed case's account: the money waits for a decision */
        credit = zx_funds_court_account(c, court_id, ZX_ACC_UNIDENTIFIED);
        if (credit < 0) return (int)credit;
        case_id = 0;
        case_no[0] = 0;
        matched_by = "";
    }

    int64_t arrival_id = zx_id_new();
    zx_fund_transfer t = {
        .id = arrival_id, .debit_account_id = bank, .credit_account_id = credit, .amount = in->amount_fen,
        .code = !strcmp(in->source, "deduction") ? ZX_TC_DEDUCTION
              : !strcmp(in->source, "deposit")   ? ZX_TC_DEPOSIT
                                                 : ZX_TC_ARRIVAL,
        .case_id = case_id, .ref = in->bank_ref, .booked_on = booked,
    };
    /* PostgreSQL lock order: the audit head (and the matched case's row) before the ledger's account rows, as
     * every case writer takes them — the 专户's row first and the audit head at the case event deadlocked with
     * a case write posting to the same 专户 (40P01: an arrival beside the inquiry applier). No-op on SQLite. */
    if (zx_case_lock(c, case_id > 0 ? case_id : 0) != 0) return DB_ERROR;
    rc = zx_ledger_transfer(c, &t);
    if (rc < 0) return rc;
    if (rc != ZX_TR_OK) return fail(err, errlen, ZX_FUNDS_ELEDGER, "%s", zx_tr_result_message((enum zx_tr_result)rc));

    bool held = in->to_account_id > 0 && ca.kind != ZX_ACC_CASE;
    const char *st = held ? "held" : case_id > 0 ? "matched" : "unidentified";
    char due[11] = "";
    if (!strcmp(st, "unidentified")) zx_date_format(zx_cal_add_working_days(bd, zx_funds_claim_days(c, court_id)), due);
    db_stmt *s = db_prepare(c, "INSERT INTO fund_arrival (id, court_id, bank_ref, source, bank_account_id, account_no,"
                               " amount_fen, payer_name, payer_account, remark, booked_on, case_id, matched_by, status,"
                               " claim_due_on, transfer_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return DB_ERROR;
    int i = 1;
    db_bind_int64(s, i++, arrival_id);
    db_bind_int64(s, i++, court_id);
    db_bind_text(s, i++, in->bank_ref, -1);
    db_bind_text(s, i++, in->source, -1);
    db_bind_int64(s, i++, bank);
    db_bind_text(s, i++, in->account_no && *in->account_no ? in->account_no : NULL, -1);
    db_bind_int64(s, i++, in->amount_fen);
    db_bind_text(s, i++, in->payer_name, -1);
    zx_funds_bind_account(s, i++, in->payer_account);
    db_bind_text(s, i++, in->remark, -1);
    db_bind_text(s, i++, booked, -1);
    if (case_id > 0) db_bind_int64(s, i++, case_id);
    else db_bind_null(s, i++);
    db_bind_text(s, i++, *matched_by ? matched_by : NULL, -1);
    db_bind_text(s, i++, st, -1);
    db_bind_text(s, i++, *due ? due : NULL, -1);
    db_bind_int64(s, i++, arrival_id);
    db_bind_int64(s, i++, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;

    if (case_id > 0 && !held) {
        json_t *data = json_pack("{s:I,s:s,s:s,s:s,s:s}", "amount_fen", (json_int_t)in->amount_fen, "arrival_id",
                                 "", "source", in->source, "matched_by", matched_by, "bank_ref", in->bank_ref);
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)arrival_id);
        json_object_set_new(data, "arrival_id", json_string(idbuf));
        rc = zx_funds_credit_case(c, case_id, in->user_id, "funds_arrival", in->amount_fen, booked, data);
        json_decref(data);
        if (rc < 0) return rc;
        if (zx_funds_notify_case(c, case_id, "funds_arrival", arrival_id, in->amount_fen, booked) < 0) return DB_ERROR;
    }
    out->arrival_id = arrival_id;
    out->transfer_id = arrival_id;
    out->case_id = case_id;
    snprintf(out->case_no, sizeof out->case_no, "%s", case_no);
    snprintf(out->matched_by, sizeof out->matched_by, "%s", matched_by);
    return 0;
}

int zx_funds_claim(db_conn *c, int64_t arrival_id, int64_t case_id, int64_t user_id, char *err, size_t errlen)
{
    db_stmt *s = db_prepare(c, "SELECT court_id, status, amount_fen, booked_on FROM fund_arrival WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, arrival_id);
    int rc = db_step(s);
    int64_t court = 0, amount = 0;
    char status[24] = "", booked[11] = "";
    if (rc == DB_ROW) {
        court = db_col_int64(s, 0);
        snprintf(status, sizeof status, "%s", db_col_text(s, 1));
        amount = db_col_int64(s, 2);
        snprintf(booked, sizeof booked, "%s", db_col_text(s, 3));
    }
    db_finalize(s);
    if (rc == DB_DONE) return fail(err, errlen, ZX_FUNDS_ENOTFOUND, "到账记录不存在");
    if (rc != DB_ROW) return DB_ERROR;
    if (strcmp(status, "unidentified")) return fail(err, errlen, ZX_FUNDS_ECONFLICT, "该笔款项已认领或已匹配案件");
    int64_t cc = 0;
    char case_no[64], cst[16];
    rc = zx_funds_case_brief(c, case_id, &cc, case_no, cst);
    if (rc < 0) return rc;
    if (rc == 1 || cc != court) return fail(err, errlen, ZX_FUNDS_ENOTFOUND, "案件不存在或不属于收款法院");
    int64_t unid = zx_funds_court_account(c, court, ZX_ACC_UNIDENTIFIED), acc = zx_funds_case_account(c, case_id, NULL);
    if (unid < 0 || acc < 0) return DB_ERROR;
    int64_t tid = zx_id_new();
    char ref[32];
    snprintf(ref, sizeof ref, "claim:%lld", (long long)arrival_id);
    zx_fund_transfer t = { .id = tid, .debit_account_id = unid, .credit_account_id = acc, .amount = amount,
                           .code = ZX_TC_CLAIM, .case_id = case_id, .ref = ref };
    rc = zx_ledger_transfer(c, &t);
    if (rc < 0) return rc;
    if (rc != ZX_TR_OK) return fail(err, errlen, ZX_FUNDS_ELEDGER, "%s", zx_tr_result_message((enum zx_tr_result)rc));
    s = db_prepare(c, "UPDATE fund_arrival SET status = 'claimed', case_id = ?, matched_by = 'claim', claim_transfer_id = ?,"
                      " claimed_by = ?, claimed_ms = ? WHERE id = ? AND status = 'unidentified'");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, tid);
    db_bind_int64(s, 3, user_id);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, arrival_id);
    rc = db_step(s);
    int64_t ch = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE || ch != 1) return DB_ERROR;
    char ids[24], today[11];
    snprintf(ids, sizeof ids, "%lld", (long long)arrival_id);
    zx_date_format(zx_today(), today);
    json_t *data = json_pack("{s:I,s:s,s:s}", "amount_fen", (json_int_t)amount, "arrival_id", ids, "booked_on", booked);
    rc = zx_funds_credit_case(c, case_id, user_id, "funds_claimed", amount, today, data);
    json_decref(data);
    if (rc < 0) return rc;
    return zx_funds_notify_case(c, case_id, "funds_arrival", arrival_id, amount, booked) < 0 ? DB_ERROR : 0;
}
