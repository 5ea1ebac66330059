/* funds.c — case funds API (docs/api/funds.md):
 *   GET  /api/v1/cases/:id/account            the case's virtual account with every transfer (contract)
 *   POST /api/v1/funds/arrivals               bank arrival notice — partner scope funds:notify (contract)
 *   POST /api/v1/funds/payout-results         bank payout result — partner scope funds:notify
 *   GET  /api/v1/funds/arrivals               arrivals (?status=unidentified for the 待认领 work list)
 *   POST /api/v1/funds/arrivals/:id/claim     认领 to a case
 *   GET/POST /api/v1/funds/bank-accounts      执行款专户
 *   GET/PUT /api/v1/funds/settings            local payout limit, approval tier, claim days
 *   GET/POST /api/v1/cases/:id/payouts        payout / 提存 proposals of a case
 *   GET  /api/v1/funds/payouts                proposals (?status=)
 *   POST /api/v1/funds/payouts/:id/approve    执行局长: approve / return
 *   POST /api/v1/funds/payouts/:id/result     finance: the bank's confirmation or failure
 *   POST /api/v1/funds/payouts/:id/cancel
 *   GET  /api/v1/funds/payouts-file           approved payouts as the bank's payment file (CSV); marks them sent
 *   POST /api/v1/cases/:id/deferrals, GET /api/v1/funds/deferrals, POST …/:id/approve, POST …/:id/end
 *   GET  /api/v1/funds/overdue                overdue buckets per court / judge / case (?mine=1)
 *   GET  /api/v1/funds/reconcile              run reconciliation now (finance view)
 * Handlers parse and check; src/funds does the work inside one transaction with the audit record. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/case_access.h"
#include "account/authz.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "case/case.h"
#include "command/command.h"
#include "app.h"
#include "approval/approval.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/pii.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "funds/payouts.h"
#include "funds/reconcile.h"
#include "http/http.h"

#define FIN_ROLES (ROLE_FINANCE | ROLE_CHIEF)
#define VIEW_ROLES (ROLE_FINANCE | ROLE_CHIEF | ROLE_COMMAND | ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CLERK)

static void dberr(zx_req *r)
{
    zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
}

static void reply_ferr(zx_req *r, zx_funds_err *e)
{
    zx_reply_error_ex(r, e->status ? e->status : 500, e->code ? e->code : "DB_ERROR", e->message, e->extra);
    e->extra = NULL;
}

static json_t *jid(int64_t id)
{
    if (id <= 0) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}

static const char *jstr(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Courts the caller sees (own; chief/command: subtree). */
static int scope_courts(zx_req *r, int64_t *out, int cap)
{
    if (r->who.roles & (ROLE_CHIEF | ROLE_COMMAND)) return zx_court_subtree(r->who.court_id, out, cap);
    out[0] = r->who.court_id;
    return 1;
}

static bool court_in_scope(zx_req *r, int64_t court)
{
    return zx_can_see_court(&r->who, court);
}

static const char *code_name(int code)
{
    static const char *n[] = { "", "arrival", "claim", "fee", "payout", "bank_out", "escrow", "deposit", "proceeds",
                               "refund", "deduction", "adjust", "court_transfer" };
    return code >= 1 && code <= 12 ? n[code] : "other";
}

static const char *code_label(int code)
{
    static const char *n[] = { "", "案款到账", "认领入案", "执行费结算", "发放", "专户付出", "提存", "保证金", "拍卖款转入",
                               "退款", "网络扣划", "更正", "案件移送划转" };
    return code >= 1 && code <= 12 ? n[code] : "其他";
}

/* ---- GET /api/v1/cases/:id/account ---- */
static void case_account(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, "funds.read")) return;
    zx_fund_account a;
    if (db_begin(c)) return dberr(r);
    int64_t acc = zx_funds_case_account(c, id, &a); /* older cases: opened on first look */
    if (acc < 0 || db_commit(c)) return dberr(r);
    json_t *tr = json_array();
    db_stmt *s = db_prepare(c,
        "SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.flags, t.code, t.ref, t.booked_on, t.created_ms,"
        " da.name, ca.name, (SELECT x.flags FROM fund_transfer x WHERE x.pending_id = t.id), "
        " (SELECT x.amount FROM fund_transfer x WHERE x.pending_id = t.id)"
        " FROM fund_transfer t JOIN fund_account da ON da.id = t.debit_account_id"
        " JOIN fund_account ca ON ca.id = t.credit_account_id"
        " WHERE (t.debit_account_id = ? OR t.credit_account_id = ?) AND (t.flags & 12) = 0 ORDER BY t.id");
    if (!s) {
        json_decref(tr);
        return dberr(r);
    }
    db_bind_int64(s, 1, acc);
    db_bind_int64(s, 2, acc);
    int64_t paid_out = 0;
    while (db_step(s) == DB_ROW) {
        bool in = db_col_int64(s, 2) == acc;
        unsigned fl = (unsigned)db_col_int64(s, 4);
        int code = (int)db_col_int64(s, 5);
        const char *status = "posted";
        int64_t amount = db_col_int64(s, 3);
        if (fl & ZX_TR_PENDING) {
            if (db_col_is_null(s, 11)) status = "pending";
            else if ((unsigned)db_col_int64(s, 11) & ZX_TR_VOID_PENDING) status = "voided";
            else {
                status = "posted";
                amount = db_col_int64(s, 12);
            }
        }
        if (!in && !strcmp(status, "posted") && (code == ZX_TC_PAYOUT || code == ZX_TC_REFUND)) paid_out += amount;
        json_array_append_new(tr, json_pack("{s:o,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "id", jid(db_col_int64(s, 0)),
                                            "direction", in ? "in" : "out", "amount_fen", (json_int_t)amount, "kind",
                                            code_name(code), "label", code_label(code), "status", status, "counterparty",
                                            in ? db_col_text(s, 9) : db_col_text(s, 10), "booked_on", db_col_text(s, 7),
                                            "at_ms", (json_int_t)db_col_int64(s, 8)));
        if (db_col_text(s, 6)) json_object_set_new(json_array_get(tr, json_array_size(tr) - 1), "ref", json_string(db_col_text(s, 6)));
    }
    db_finalize(s);
    if (zx_ledger_account_get(c, acc, &a) != 0) {
        json_decref(tr);
        return dberr(r);
    }
    int64_t fee_due = zx_funds_fee_due(c, id, acc);
    char oldest[11] = "";
    zx_funds_oldest_unpaid(c, acc, oldest);
    json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:o,s:I,s:I,s:o}", "account_no", a.account_no, "balance_fen",
                          (json_int_t)zx_ledger_balance(&a), "received_fen", (json_int_t)a.credits_posted, "paid_out_fen",
                          (json_int_t)paid_out, "available_fen", (json_int_t)zx_ledger_available(&a), "pending_out_fen",
                          (json_int_t)a.debits_pending, "fee_due_fen", (json_int_t)(fee_due > 0 ? fee_due : 0), "case_no",
                          k.case_no, "oldest_unpaid_on", *oldest ? json_string(oldest) : json_null(), "recovered_fen",
                          (json_int_t)k.recovered_fen, "outstanding_fen", (json_int_t)(k.claim_fen - k.recovered_fen),
                          "transfers", tr);
    zx_reply_json(r, 200, o);
}

/* ---- POST /api/v1/funds/arrivals (partner) ---- */
static void arrival_notify(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *amt = json_object_get(b, "amount_fen");
    const char *ref = jstr(b, "bank_ref"), *no = jstr(b, "account_no");
    if (!json_is_integer(amt)) return zx_reply_error(r, 400, "INVALID_AMOUNT", "amount_fen 必须是整数（分）");
    if (json_integer_value(amt) <= 0) return zx_reply_error(r, 400, "INVALID_AMOUNT", "到账金额必须大于零");
    if (!ref || !*ref) return zx_reply_error(r, 400, "VALIDATION_FAILED", "bank_ref 不能为空");
    if (!no || !*no) return zx_reply_error(r, 400, "VALIDATION_FAILED", "account_no 不能为空");
    const char *booked = jstr(b, "booked_on");
    zx_date d;
    if (booked && zx_date_parse(booked, &d)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "booked_on 应为 YYYY-MM-DD");
    if (json_object_get(b, "booked_on") && !booked) return zx_reply_error(r, 400, "VALIDATION_FAILED", "booked_on 应为字符串");
    db_conn *c = zx_db(r);
    if (db_begin(c)) return dberr(r);
    /* Which account: a case's virtual number, else a registered 专户 number. */
    int64_t court = 0, bank = 0, acc = 0;
    int64_t case_id = zx_funds_case_by_account_no(c, no, 0, &acc);
    if (case_id > 0) {
        if (zx_funds_case_brief(c, case_id, &court, NULL, NULL) != 0) return dberr(r);
    } else {
        char digits[48];
        size_t n = 0;
        for (const char *p = no; *p && n + 1 < sizeof digits; p++)
            if (*p != ' ' && *p != '-') digits[n++] = *p;
        digits[n] = 0;
        db_stmt *s = db_prepare(c, "SELECT id, court_id FROM fund_account WHERE kind = 1 AND account_no = ?");
        if (!s) return dberr(r);
        db_bind_text(s, 1, digits, -1);
        if (db_step(s) == DB_ROW) {
            bank = db_col_int64(s, 0);
            court = db_col_int64(s, 1);
        }
        db_finalize(s);
        if (!court) return zx_reply_error(r, 422, "UNKNOWN_ACCOUNT", "收款账号不是本系统登记的专户或案件虚拟账号");
    }
    zx_funds_arrival_in in = { .source = "bank_notice", .bank_ref = ref, .court_id = court, .bank_account_id = bank,
                               .account_no = no, .amount_fen = (int64_t)json_integer_value(amt),
                               .payer_name = jstr(b, "payer_name"), .payer_account = jstr(b, "payer_account"),
                               .remark = jstr(b, "remark"), .booked_on = booked };
    zx_funds_arrival_out o;
    char err[256];
    int rc = zx_funds_arrival(c, &in, &o, err, sizeof err);
    if (rc == ZX_FUNDS_EINVAL) return zx_reply_error(r, 400, "VALIDATION_FAILED", "%s", err);
    if (rc == ZX_FUNDS_ECONFLICT) return zx_reply_error(r, 409, "BANK_REF_CONFLICT", "%s", err);
    if (rc == ZX_FUNDS_ENOTFOUND) return zx_reply_error(r, 422, "UNKNOWN_ACCOUNT", "%s", err);
    if (rc == ZX_FUNDS_ELEDGER) return zx_reply_error(r, 422, "LEDGER_REFUSED", "%s", err);
    if (rc < 0) return dberr(r);
    json_t *out = json_pack("{s:o,s:o}", "arrival_id", jid(o.arrival_id), "case_no",
                            o.case_id > 0 ? json_string(o.case_no) : json_null());
    if (rc == 1) {
        db_rollback(c);
        return zx_reply_json(r, 200, out);
    }
    json_t *dj = json_pack("{s:s,s:I,s:s}", "bank_ref", ref, "amount_fen", (json_int_t)in.amount_fen, "matched_by", o.matched_by);
    char *dt = json_dumps(dj, JSON_COMPACT);
    json_decref(dj);
    int arc = zx_audit_req(r, c, "funds.arrival", "fund_arrival", o.arrival_id, "ok", dt);
    free(dt);
    if (arc || db_commit(c)) {
        json_decref(out);
        return dberr(r);
    }
    zx_reply_json(r, 201, out);
}

/* ---- GET /api/v1/funds/arrivals ---- */
static void arrivals_list(zx_req *r)
{
    const char *st = zx_query(r, "status");
    if (st && strcmp(st, "unidentified") && strcmp(st, "matched") && strcmp(st, "claimed") && strcmp(st, "held") && strcmp(st, "all"))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "status 无效");
    int64_t courts[256];
    int nc = scope_courts(r, courts, 256);
    db_conn *c = zx_db(r);
    json_t *items = json_array();
    char today[11];
    zx_date_format(zx_today(), today);
    for (int i = 0; i < nc; i++) {
        db_stmt *s = db_prepare(c, "SELECT a.id, a.bank_ref, a.source, a.amount_fen, a.payer_name, a.payer_account, a.remark,"
                                   " a.booked_on, a.status, a.claim_due_on, a.matched_by, e.case_no, a.account_no, a.case_id"
                                   " FROM fund_arrival a LEFT JOIN enf_case e ON e.id = a.case_id"
                                   " WHERE a.court_id = ? AND (? = 'all' OR a.status = ?) ORDER BY a.booked_on DESC, a.id DESC"
                                   " LIMIT 500");
        if (!s) {
            json_decref(items);
            return dberr(r);
        }
        const char *f = st ? st : "all";
        db_bind_int64(s, 1, courts[i]);
        db_bind_text(s, 2, f, -1);
        db_bind_text(s, 3, f, -1);
        while (db_step(s) == DB_ROW) {
            char *acct = zx_pii_col_masked(s, 5, ZX_PII_BANK_ACCOUNT);
            const char *due = db_col_text(s, 9);
            json_t *o = json_pack("{s:o,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b}", "id", jid(db_col_int64(s, 0)),
                                  "bank_ref", db_col_text(s, 1), "source", db_col_text(s, 2), "amount_fen",
                                  (json_int_t)db_col_int64(s, 3), "payer_name", db_col_text(s, 4) ? db_col_text(s, 4) : "",
                                  "remark", db_col_text(s, 6) ? db_col_text(s, 6) : "", "booked_on", db_col_text(s, 7),
                                  "status", db_col_text(s, 8), "claim_due_on", due ? json_string(due) : json_null(),
                                  "matched_by", db_col_text(s, 10) ? json_string(db_col_text(s, 10)) : json_null(),
                                  "case_no", db_col_text(s, 11) ? json_string(db_col_text(s, 11)) : json_null(),
                                  "payer_account", acct ? json_string(acct) : json_null(), "case_id",
                                  jid(db_col_int64(s, 13)), "claim_overdue",
                                  due && !strcmp(db_col_text(s, 8), "unidentified") && strcmp(due, today) < 0);
            free(acct);
            json_array_append_new(items, o);
        }
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- POST /api/v1/funds/arrivals/:id/claim {case_id | case_no} ---- */
static void arrival_claim(zx_req *r)
{
    int64_t id, case_id = 0;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    json_t *cv = json_object_get(b, "case_id");
    const char *cn = jstr(b, "case_no");
    if (json_is_string(cv)) case_id = strtoll(json_string_value(cv), NULL, 10);
    else if (json_is_integer(cv)) case_id = (int64_t)json_integer_value(cv);
    else if (cn) {
        char canon[ZX_CASE_NO_MAX];
        db_stmt *s = db_prepare(c, "SELECT id FROM enf_case WHERE case_no = ?");
        if (!s) return dberr(r);
        db_bind_text(s, 1, zx_funds_case_no_in_text(cn, canon) ? canon : cn, -1);
        if (db_step(s) == DB_ROW) case_id = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (case_id <= 0) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请指定认领到的案件（case_id 或 case_no）");
    zx_case k;
    if (!(r->who.roles & ROLE_FINANCE)) {
        if (!zx_api_case_open(r, c, case_id, &k, ZX_CASE_WRITE, "funds.write")) return;
    } else if (zx_case_load(c, case_id, &k) != 0 || !court_in_scope(r, k.court_id))
        return zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或无权查看");
    if (db_begin(c)) return dberr(r);
    char err[256];
    int rc = zx_funds_claim(c, id, case_id, r->who.user_id, err, sizeof err);
    if (rc == ZX_FUNDS_ENOTFOUND) return zx_reply_error(r, 404, "NOT_FOUND", "%s", err);
    if (rc == ZX_FUNDS_ECONFLICT) return zx_reply_error(r, 409, "ALREADY_CLAIMED", "%s", err);
    if (rc == ZX_FUNDS_ELEDGER) return zx_reply_error(r, 422, "LEDGER_REFUSED", "%s", err);
    if (rc < 0) return dberr(r);
    char *detail = zx_sprintf(r, "{\"case_id\":\"%lld\"}", (long long)case_id);
    if (zx_audit_req(r, c, "funds.claim", "fund_arrival", id, "ok", detail) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:o,s:s,s:s}", "arrival_id", jid(id), "case_no", k.case_no, "status", "claimed"));
}

/* ---- bank accounts ---- */
static void banks_list(zx_req *r)
{
    int64_t courts[256];
    int nc = scope_courts(r, courts, 256);
    db_conn *c = zx_db(r);
    json_t *items = json_array();
    for (int i = 0; i < nc; i++) {
        db_stmt *s = db_prepare(c, "SELECT id, COALESCE(account_no, ''), name, debits_posted - credits_posted FROM fund_account"
                                   " WHERE court_id = ? AND kind = 1 ORDER BY id");
        if (!s) return dberr(r);
        db_bind_int64(s, 1, courts[i]);
        while (db_step(s) == DB_ROW)
            json_array_append_new(items, json_pack("{s:o,s:s,s:s,s:I}", "id", jid(db_col_int64(s, 0)), "account_no",
                                                   db_col_text(s, 1), "name", db_col_text(s, 2), "balance_fen",
                                                   (json_int_t)db_col_int64(s, 3)));
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static void banks_add(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *no = jstr(b, "account_no"), *name = jstr(b, "name");
    char digits[40];
    size_t n = 0;
    bool ok = no && *no;
    for (const char *p = no ? no : ""; *p; p++) {
        if (*p == ' ' || *p == '-') continue;
        if (*p < '0' || *p > '9' || n + 1 >= sizeof digits) ok = false;
        else digits[n++] = *p;
    }
    digits[n] = 0;
    if (!ok || n < 8) return zx_reply_error(r, 400, "VALIDATION_FAILED", "专户账号应为8位以上数字");
    if (!name || !*name || strlen(name) > 120) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写专户名称（开户行）");
    db_conn *c = zx_db(r);
    if (db_begin(c)) return dberr(r);
    /* The court's default 专户 (opened lazily) gets the number first; later ones are new accounts. */
    int64_t id = zx_funds_court_account(c, r->who.court_id, ZX_ACC_BANK);
    if (id < 0) return dberr(r);
    zx_fund_account a;
    if (zx_ledger_account_get(c, id, &a)) return dberr(r);
    int rc;
    if (!a.account_no[0]) {
        db_stmt *s = db_prepare(c, "UPDATE fund_account SET account_no = ?, name = ? WHERE id = ?");
        if (!s) return dberr(r);
        db_bind_text(s, 1, digits, -1);
        db_bind_text(s, 2, name, -1);
        db_bind_int64(s, 3, id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else {
        zx_fund_account nb = { .kind = ZX_ACC_BANK, .flags = ZX_ACCF_CREDITS_MUST_NOT_EXCEED_DEBITS, .court_id = r->who.court_id };
        snprintf(nb.account_no, sizeof nb.account_no, "%s", digits);
        snprintf(nb.name, sizeof nb.name, "%s", name);
        rc = zx_ledger_account_create(c, &nb);
        id = nb.id;
    }
    if (rc == DB_ECONSTRAINT) return zx_reply_error(r, 409, "ACCOUNT_EXISTS", "该账号已登记");
    if (rc) return dberr(r);
    if (zx_audit_req(r, c, "funds.bank_account", "fund_account", id, "ok", NULL) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 201, json_pack("{s:o,s:s,s:s}", "id", jid(id), "account_no", digits, "name", name));
}

/* ---- settings ---- */
static json_t *settings_json(db_conn *c, int64_t court)
{
    zx_funds_settings st;
    zx_funds_settings_get(c, court, &st);
    const zx_court *from = st.warning_from_court ? zx_court_by_id(st.warning_from_court) : NULL;
    return json_pack("{s:i,s:b,s:I,s:i,s:i,s:i,s:i,s:s,s:s}", "local_limit_days", st.local_limit_days, "local_limit_working",
                     st.local_limit_working, "chief_tier_fen", (json_int_t)st.chief_tier_fen, "claim_working_days",
                     st.claim_working_days, "legal_limit_days", ZX_PAYOUT_LIMIT_DAYS, "deferral_resume_days",
                     ZX_DEFERRAL_RESUME_DAYS, "warning_days", st.warning_days, "warning_days_from",
                     from ? from->name : "默认", "payout_channel", st.payout_channel);
}

static void settings_get(zx_req *r)
{
    zx_reply_json(r, 200, settings_json(zx_db(r), r->who.court_id));
}

static void settings_put(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    zx_funds_settings st;
    zx_funds_settings_get(c, r->who.court_id, &st);
    json_t *v;
    if ((v = json_object_get(b, "local_limit_days"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > ZX_PAYOUT_LIMIT_DAYS)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "本地发放期限应为1至30日（不得宽于法发〔2017〕6号的30日）");
        st.local_limit_days = (int)json_integer_value(v);
    }
    if ((v = json_object_get(b, "local_limit_working"))) {
        if (!json_is_boolean(v)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "local_limit_working 应为布尔值");
        st.local_limit_working = json_is_true(v);
    }
    if ((v = json_object_get(b, "chief_tier_fen"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "审批金额档次应为非负整数（分）");
        st.chief_tier_fen = (int64_t)json_integer_value(v);
    }
    if ((v = json_object_get(b, "claim_working_days"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 30)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "认领期限应为1至30个工作日");
        st.claim_working_days = (int)json_integer_value(v);
    }
    if ((v = json_object_get(b, "payout_channel"))) {
        if (!json_is_string(v) || (strcmp(json_string_value(v), "file") && strcmp(json_string_value(v), "api")))
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "付款指令方式应为 file（付款文件）或 api（直连银行）");
        snprintf(st.payout_channel, sizeof st.payout_channel, "%s", json_string_value(v));
    }
    char warn[8] = "";
    if ((v = json_object_get(b, "warning_days"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > ZX_FUNDS_WARNING_DAYS_MAX)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "临期提醒应为0至15日");
        snprintf(warn, sizeof warn, "%d", (int)json_integer_value(v));
    }
    if (db_begin(c)) return dberr(r);
    if (*warn && zx_court_setting_put(c, r->who.court_id, "funds.warning_days", warn, r->who.username)) return dberr(r);
    db_stmt *s = db_prepare(c, "INSERT INTO fund_setting (court_id, local_limit_days, local_limit_working, chief_tier_fen,"
                               " claim_working_days, payout_channel) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (court_id) DO UPDATE SET"
                               " local_limit_days = excluded.local_limit_days, local_limit_working = excluded.local_limit_working,"
                               " chief_tier_fen = excluded.chief_tier_fen, claim_working_days = excluded.claim_working_days,"
                               " payout_channel = excluded.payout_channel");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, r->who.court_id);
    db_bind_int64(s, 2, st.local_limit_days);
    db_bind_int64(s, 3, st.local_limit_working);
    db_bind_int64(s, 4, st.chief_tier_fen);
    db_bind_int64(s, 5, st.claim_working_days);
    db_bind_text(s, 6, st.payout_channel, -1);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || zx_audit_req(r, c, "funds.settings", "court", r->who.court_id, "ok", NULL) || db_commit(c))
        return dberr(r);
    zx_reply_json(r, 200, settings_json(c, r->who.court_id));
}

/* ---- payouts ---- */
static json_t *payout_row(db_stmt *s)
{
    char *acct = zx_pii_col_masked(s, 6, ZX_PII_BANK_ACCOUNT);
    json_t *o = json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:b,s:o,s:o,s:o,s:I}", "id", jid(db_col_int64(s, 0)),
                          "case_id", jid(db_col_int64(s, 1)), "case_no", db_col_text(s, 2), "kind", db_col_text(s, 3),
                          "payee_name", db_col_text(s, 4), "payee_bank", db_col_text(s, 5) ? db_col_text(s, 5) : "",
                          "amount_fen", (json_int_t)db_col_int64(s, 7), "fee_fen", (json_int_t)db_col_int64(s, 8),
                          "status", db_col_text(s, 9), "needs_chief", db_col_int64(s, 10) != 0, "reason",
                          db_col_text(s, 11) ? json_string(db_col_text(s, 11)) : json_null(), "oldest_arrival_on",
                          db_col_text(s, 12) ? json_string(db_col_text(s, 12)) : json_null(), "bank_ref",
                          db_col_text(s, 13) ? json_string(db_col_text(s, 13)) : json_null(), "created_ms",
                          (json_int_t)db_col_int64(s, 14));
    json_object_set_new(o, "payee_account", acct ? json_string(acct) : json_null());
    if (db_col_text(s, 15)) json_object_set_new(o, "opinion", json_string(db_col_text(s, 15)));
    if (db_col_text(s, 16)) json_object_set_new(o, "fail_reason", json_string(db_col_text(s, 16)));
    /* how the instruction went to the bank: file (CSV) | api (pushed, bank_push.c) and the push state */
    json_object_set_new(o, "bank_channel", db_col_text(s, 17) ? json_string(db_col_text(s, 17)) : json_null());
    if (db_col_text(s, 18)) json_object_set_new(o, "push_state", json_string(db_col_text(s, 18)));
    if (db_col_text(s, 19)) json_object_set_new(o, "push_error", json_string(db_col_text(s, 19)));
    json_object_set_new(o, "push_attempts", json_integer(db_col_int64(s, 20)));
    /* a payout of a 参与分配 plan's line names the plan and the line; the role shown in the approval inbox */
    json_object_set_new(o, "distribution_id", jid(db_col_int64(s, 21)));
    json_object_set_new(o, "distribution_ord", db_col_int64(s, 22) > 0 ? json_integer(db_col_int64(s, 22)) : json_null());
    json_object_set_new(o, "payee_role", db_col_text(s, 23) ? json_string(db_col_text(s, 23)) : json_null());
    free(acct);
    return o;
}

#define PAYOUT_COLS "p.id, p.case_id, e.case_no, p.kind, p.payee_name, p.payee_bank, p.payee_account, p.amount_fen," \
                    " p.fee_fen, p.status, p.needs_chief, p.reason, p.oldest_arrival_on, p.bank_ref, p.created_ms," \
                    " p.opinion, p.fail_reason, p.bank_channel, p.push_state, p.push_error, p.push_attempts," \
                    " COALESCE(p.distribution_id, 0), COALESCE(p.distribution_ord, 0), p.payee_role"

static void case_payouts(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, "funds.read")) return;
    db_stmt *s = db_prepare(c, "SELECT " PAYOUT_COLS " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE p.case_id = ? ORDER BY p.created_ms DESC");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(items, payout_row(s));
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static void payouts_list(zx_req *r)
{
    const char *st = zx_query(r, "status");
    int64_t courts[256];
    int nc = scope_courts(r, courts, 256);
    db_conn *c = zx_db(r);
    json_t *items = json_array();
    for (int i = 0; i < nc; i++) {
        db_stmt *s = db_prepare(c, "SELECT " PAYOUT_COLS " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id"
                                   " WHERE p.court_id = ? AND (? = '' OR p.status = ?) ORDER BY p.created_ms DESC LIMIT 500");
        if (!s) {
            json_decref(items);
            return dberr(r);
        }
        db_bind_int64(s, 1, courts[i]);
        db_bind_text(s, 2, st ? st : "", -1);
        db_bind_text(s, 3, st ? st : "", -1);
        while (db_step(s) == DB_ROW) json_array_append_new(items, payout_row(s));
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static void payout_propose(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *amt = json_object_get(b, "amount_fen");
    if (!json_is_integer(amt)) return zx_reply_error(r, 400, "INVALID_AMOUNT", "amount_fen 必须是整数（分）");
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, "funds.write")) return;
    /* a line of a final 参与分配 plan (民诉解释 arts 508–510): distribution_id (the plan's id, a string or a
     * number) and distribution_ord (the line, 1…) */
    json_t *dv = json_object_get(b, "distribution_id"), *ov = json_object_get(b, "distribution_ord");
    int64_t did = 0, ord = 0;
    if (dv && !json_is_null(dv)) {
        const char *ds = json_string_value(dv);
        char *end = NULL;
        did = ds ? strtoll(ds, &end, 10) : json_is_integer(dv) ? (int64_t)json_integer_value(dv) : 0;
        if (did <= 0 || (ds && *end)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "分配方案编号（distribution_id）无效");
    }
    if (ov && !json_is_null(ov)) {
        if (!json_is_integer(ov) || json_integer_value(ov) < 1 || json_integer_value(ov) > 200)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "分配方案项号（distribution_ord）应为1至200的整数");
        ord = (int64_t)json_integer_value(ov);
    }
    zx_payout_in in = { .kind = jstr(b, "kind"), .payee_name = jstr(b, "payee_name"), .payee_bank = jstr(b, "payee_bank"),
                        .payee_account = jstr(b, "payee_account"), .amount_fen = (int64_t)json_integer_value(amt),
                        .reason = jstr(b, "reason"), .distribution_id = did, .distribution_ord = (int)ord };
    if (in.payee_bank && strlen(in.payee_bank) > 120) return zx_reply_error(r, 400, "VALIDATION_FAILED", "开户行名称过长");
    if (db_begin(c)) return dberr(r);
    /* Row lock on the case (PostgreSQL; SQLite has one writer) — the ledger locks the accounts too. */
    int64_t pid = 0;
    zx_funds_err e = { 0 };
    int rc = zx_funds_payout_propose(c, id, r->who.user_id, &in, &pid, &e);
    if (rc) return reply_ferr(r, &e);
    char *detail = did ? zx_sprintf(r, "{\"case_id\":\"%lld\",\"amount_fen\":%lld,\"distribution_id\":\"%lld\",\"distribution_ord\":%d}",
                                    (long long)id, (long long)in.amount_fen, (long long)did, in.distribution_ord)
                       : zx_sprintf(r, "{\"case_id\":\"%lld\",\"amount_fen\":%lld}", (long long)id, (long long)in.amount_fen);
    if (zx_audit_req(r, c, "funds.payout.propose", "fund_payout", pid, "ok", detail) || db_commit(c)) return dberr(r);
    db_stmt *s = db_prepare(c, "SELECT " PAYOUT_COLS " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id WHERE p.id = ?");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, pid);
    json_t *o = db_step(s) == DB_ROW ? payout_row(s) : json_object();
    db_finalize(s);
    zx_reply_json(r, 201, o);
}

/* Load a payout's court and check it is in the caller's scope (replies 404). */
static bool payout_scope(zx_req *r, db_conn *c, int64_t id, zx_payout *p)
{
    int rc = zx_funds_payout_load(c, id, p);
    if (rc < 0) {
        dberr(r);
        return false;
    }
    if (rc == 1 || !court_in_scope(r, p->court_id)) {
        zx_reply_error(r, 404, "NOT_FOUND", "发放申请不存在");
        return false;
    }
    return true;
}

static void payout_reply(zx_req *r, db_conn *c, int64_t id, int status)
{
    db_stmt *s = db_prepare(c, "SELECT " PAYOUT_COLS " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id WHERE p.id = ?");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    json_t *o = db_step(s) == DB_ROW ? payout_row(s) : json_object();
    db_finalize(s);
    zx_reply_json(r, status, o);
}

static void payout_approve(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *ap = json_object_get(b, "approve");
    if (!json_is_boolean(ap)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "approve 应为 true（批准）或 false（退回）");
    const char *op = jstr(b, "opinion");
    if (!json_is_true(ap) && (!op || !*op)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "退回须填写意见");
    if (op && strlen(op) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "意见过长");
    db_conn *c = zx_db(r);
    zx_payout p;
    if (!payout_scope(r, c, id, &p)) return;
    if (db_begin(c)) return dberr(r);
    zx_funds_err e = { 0 };
    if (zx_funds_payout_decide(c, id, r->who.user_id, r->who.roles, json_is_true(ap), op, &e)) return reply_ferr(r, &e);
    if (zx_approval_settle(c, r, !strcmp(p.kind, "escrow") ? "funds_escrow" : "funds_payout", p.case_id, id, json_is_true(ap),
                           op ? op : "") < 0)
        return dberr(r);
    if (zx_audit_req(r, c, json_is_true(ap) ? "funds.payout.approve" : "funds.payout.return", "fund_payout", id, "ok", NULL) ||
        db_commit(c))
        return dberr(r);
    payout_reply(r, c, id, 200);
}

static void result_common(zx_req *r, int64_t id, json_t *b)
{
    json_t *okv = json_object_get(b, "ok");
    if (!json_is_boolean(okv)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "ok 应为 true（已付款）或 false（失败退回）");
    const char *ref = jstr(b, "bank_ref"), *reason = jstr(b, "reason");
    if (reason && strlen(reason) > 500) return zx_reply_error(r, 400, "VALIDATION_FAILED", "原因过长");
    db_conn *c = zx_db(r);
    zx_payout p;
    if (r->who.kind == ZX_PARTNER) {
        int rc = zx_funds_payout_load(c, id, &p);
        if (rc < 0) return dberr(r);
        if (rc == 1) return zx_reply_error(r, 404, "NOT_FOUND", "发放申请不存在");
    } else if (!payout_scope(r, c, id, &p)) return;
    /* A transaction PostgreSQL ends as a deadlock victim (another writer of the same case, e.g. the
     * per-minute payout-alert pass) is retried, as PostgreSQL's manual asks: nothing of a failed attempt
     * was committed, and the payout row lock makes a repeated confirmation answer as a repeat. */
    zx_funds_err e = { 0 };
    int rc = -1;
    for (int attempt = 0; attempt < 3; attempt++) {
        memset(&e, 0, sizeof e);
        if (db_begin(c)) return dberr(r);
        rc = zx_funds_payout_result(c, id, r->who.user_id, json_is_true(okv), ref, reason, &e);
        if (rc == 1) return reply_ferr(r, &e);
        if (rc == 2) {
            db_rollback(c);
            return payout_reply(r, c, id, 200);
        }
        if (rc == 0 && !zx_audit_req(r, c, json_is_true(okv) ? "funds.payout.paid" : "funds.payout.failed", "fund_payout", id,
                                     "ok", NULL) && !db_commit(c))
            return payout_reply(r, c, id, 200);
        db_rollback(c); /* (a failed COMMIT already ended it) */
        usleep(20000 * (useconds_t)(attempt + 1));
    }
    if (rc < 0) return reply_ferr(r, &e);
    dberr(r);
}

static void payout_result(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    result_common(r, id, b);
}

static void payout_result_partner(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *pv = json_object_get(b, "payout_id");
    int64_t id = json_is_string(pv) ? strtoll(json_string_value(pv), NULL, 10) : json_is_integer(pv) ? (int64_t)json_integer_value(pv) : 0;
    if (id <= 0) return zx_reply_error(r, 400, "VALIDATION_FAILED", "payout_id 无效");
    /* the bank signs its answer (SM2 over the exact body, X-ZX-Signature) with the key the court pinned for
     * the payout's court at enrolment (docs/api/funds-bank.md): an unsigned or forged result changes nothing */
    db_conn *c = zx_db(r);
    zx_payout p;
    int rc = zx_funds_payout_load(c, id, &p);
    if (rc < 0) return dberr(r);
    if (rc == 1) return zx_reply_error(r, 404, "NOT_FOUND", "发放申请不存在");
    const char *sig = zx_header(r, "x-zx-signature");
    int v = sig && *sig ? zx_funds_bank_verify(c, p.court_id, r->body, r->body_len, sig) : 0;
    if (v == -2) return dberr(r);
    if (v != 1) {
        const char *code = !sig || !*sig ? "UNSIGNED" : v == -1 ? "BANK_KEY_UNKNOWN" : "BAD_SIGNATURE";
        const char *msg = !sig || !*sig ? "付款结果未经银行签名" : v == -1 ? "本院尚未登记该银行的签名公钥" : "付款结果签名验证失败";
        char detail[80];
        snprintf(detail, sizeof detail, "{\"refused\":\"%s\"}", code);
        zx_audit_req_tx(r, "funds.payout.result", "fund_payout", id, "denied", detail);
        return zx_reply_error(r, 401, code, "%s", msg);
    }
    result_common(r, id, b);
}

/* POST /api/v1/funds/payouts/:id/resend — finance: send a payout instruction waiting at the bank again now. */
static void payout_resend(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_payout p;
    if (!payout_scope(r, c, id, &p)) return;
    if (db_begin(c)) return dberr(r);
    int rc = zx_funds_payout_resend(c, id);
    if (rc < 0) return dberr(r);
    if (rc == 1) {
        db_rollback(c);
        return zx_reply_error(r, 409, "INVALID_STATE", "该发放不在以接口发送银行的途中，无需重发");
    }
    if (zx_audit_req(r, c, "funds.payout.resend", "fund_payout", id, "ok", NULL) || db_commit(c)) return dberr(r);
    payout_reply(r, c, id, 200);
}

static void payout_cancel(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_payout p;
    if (!payout_scope(r, c, id, &p)) return;
    zx_case k;
    if (!(r->who.roles & ROLE_FINANCE) && !zx_api_case_open(r, c, p.case_id, &k, ZX_CASE_WRITE, "funds.write")) return;
    if (db_begin(c)) return dberr(r);
    zx_funds_err e = { 0 };
    if (zx_funds_payout_cancel(c, id, r->who.user_id, &e)) return reply_ferr(r, &e);
    if (zx_approval_withdraw(c, r, !strcmp(p.kind, "escrow") ? "funds_escrow" : "funds_payout", p.case_id, id) < 0)
        return dberr(r);
    if (zx_audit_req(r, c, "funds.payout.cancel", "fund_payout", id, "ok", NULL) || db_commit(c)) return dberr(r);
    payout_reply(r, c, id, 200);
}

/* GET /api/v1/funds/payouts-file — the bank payment file of approved payouts (CSV: payout_id,payee_name,
 * payee_bank,payee_account,amount,case_no); the listed payouts become `sent`. The bank answers per
 * line through POST /api/v1/funds/payout-results (or finance records it). */
static void payouts_file(zx_req *r)
{
    db_conn *c = zx_db(r);
    if (db_begin(c)) return dberr(r);
    db_stmt *s = db_prepare(c, "SELECT p.id, p.payee_name, COALESCE(p.payee_bank, ''), p.payee_account, p.amount_fen, e.case_no"
                               " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id WHERE p.court_id = ? AND"
                               " p.kind = 'payout' AND p.status = 'approved' AND (p.bank_channel IS NULL OR p.bank_channel = 'file')"
                               " ORDER BY p.id");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, r->who.court_id);
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    if (!out) return dberr(r);
    len = (size_t)snprintf(out, cap, "payout_id,payee_name,payee_bank,payee_account,amount,case_no\r\n");
    int n = 0;
    while (db_step(s) == DB_ROW) {
        char *acct = zx_pii_col(s, 3, ZX_PII_BANK_ACCOUNT);
        char amt[ZX_MONEY_BUF];
        zx_money_format_plain(db_col_int64(s, 4), amt);
        char line[1024];
        int m = snprintf(line, sizeof line, "%lld,\"%s\",\"%s\",%s,%s,%s\r\n", (long long)db_col_int64(s, 0),
                         db_col_text(s, 1), db_col_text(s, 2), acct ? acct : "", amt, db_col_text(s, 5));
        zx_pii_free(acct);
        if (m < 0) continue;
        if (len + (size_t)m + 1 > cap) {
            cap = (len + (size_t)m + 1) * 2;
            char *np = realloc(out, cap);
            if (!np) break;
            out = np;
        }
        memcpy(out + len, line, (size_t)m);
        len += (size_t)m;
        n++;
    }
    db_finalize(s);
    /* the same rows as listed (one transaction): a payout already claimed by the bank push (bank_channel
     * 'api', src/funds/bank_push.c) is never in the file, so no payout can go out twice */
    s = db_prepare(c, "UPDATE fund_payout SET status = 'sent', bank_channel = 'file', updated_ms = ? WHERE court_id = ?"
                      " AND kind = 'payout' AND status = 'approved' AND (bank_channel IS NULL OR bank_channel = 'file')");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, zx_now_ms());
        db_bind_int64(s, 2, r->who.court_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    char *detail = zx_sprintf(r, "{\"lines\":%d}", n);
    if (rc || zx_audit_req(r, c, "funds.payout.file", "court", r->who.court_id, "ok", detail) || db_commit(c)) {
        free(out);
        return dberr(r);
    }
    zx_reply_raw(r, 200, "text/csv; charset=utf-8", out, len, "attachment; filename=\"payouts.csv\"");
    free(out);
}

/* ---- deferrals ---- */
static void deferral_request(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, "funds.write")) return;
    if (db_begin(c)) return dberr(r);
    int64_t did = 0;
    zx_funds_err e = { 0 };
    int rc = zx_funds_deferral_request(c, id, r->who.user_id, jstr(b, "reason"), jstr(b, "detail"), &did, &e);
    if (rc) return reply_ferr(r, &e);
    if (zx_audit_req(r, c, "funds.deferral.request", "fund_deferral", did, "ok", NULL) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 201, json_pack("{s:o,s:s}", "id", jid(did), "status", "pending_approval"));
}

static void deferrals_list(zx_req *r)
{
    int64_t courts[256];
    int nc = scope_courts(r, courts, 256);
    db_conn *c = zx_db(r);
    json_t *items = json_array();
    for (int i = 0; i < nc; i++) {
        db_stmt *s = db_prepare(c, "SELECT d.id, d.case_id, e.case_no, d.reason, COALESCE(d.detail, ''), d.status,"
                                   " d.started_on, d.ended_on, d.resume_due_on FROM fund_deferral d JOIN enf_case e ON"
                                   " e.id = d.case_id WHERE d.court_id = ? ORDER BY d.created_ms DESC LIMIT 500");
        if (!s) return dberr(r);
        db_bind_int64(s, 1, courts[i]);
        while (db_step(s) == DB_ROW) {
            const char *rl = zx_funds_deferral_reason_label(db_col_text(s, 3));
            json_array_append_new(items, json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", jid(db_col_int64(s, 0)),
                                                   "case_id", jid(db_col_int64(s, 1)), "case_no", db_col_text(s, 2),
                                                   "reason", db_col_text(s, 3), "reason_label", rl ? rl : "", "detail",
                                                   db_col_text(s, 4), "status", db_col_text(s, 5), "started_on",
                                                   db_col_text(s, 6) ? json_string(db_col_text(s, 6)) : json_null(),
                                                   "ended_on", db_col_text(s, 7) ? json_string(db_col_text(s, 7)) : json_null(),
                                                   "resume_due_on",
                                                   db_col_text(s, 8) ? json_string(db_col_text(s, 8)) : json_null()));
        }
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static bool deferral_scope(zx_req *r, db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT court_id FROM fund_deferral WHERE id = ?");
    if (!s) {
        dberr(r);
        return false;
    }
    db_bind_int64(s, 1, id);
    int64_t court = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (!court || !court_in_scope(r, court)) {
        zx_reply_error(r, 404, "NOT_FOUND", "暂缓发放申请不存在");
        return false;
    }
    return true;
}

static int64_t deferral_case(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT case_id FROM fund_deferral WHERE id = ?");
    if (!s) return 0;
    db_bind_int64(s, 1, id);
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return v;
}

static void deferral_approve(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *ap = json_object_get(b, "approve");
    if (!json_is_boolean(ap)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "approve 应为布尔值");
    db_conn *c = zx_db(r);
    if (!deferral_scope(r, c, id)) return;
    if (db_begin(c)) return dberr(r);
    zx_funds_err e = { 0 };
    if (zx_funds_deferral_decide(c, id, r->who.user_id, r->who.roles, json_is_true(ap), jstr(b, "opinion"), &e))
        return reply_ferr(r, &e);
    if (zx_approval_settle(c, r, "funds_deferral", deferral_case(c, id), id, json_is_true(ap),
                           jstr(b, "opinion") ? jstr(b, "opinion") : "") < 0)
        return dberr(r);
    if (zx_audit_req(r, c, "funds.deferral.decide", "fund_deferral", id, "ok", NULL) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:o,s:s}", "id", jid(id), "status", json_is_true(ap) ? "active" : "returned"));
}

static void deferral_end(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    if (!deferral_scope(r, c, id)) return;
    if (db_begin(c)) return dberr(r);
    /* the case first (its row lock on PostgreSQL); only those who may write the case record the cause's end */
    zx_case k;
    if (!zx_api_case_open(r, c, deferral_case(c, id), &k, ZX_CASE_WRITE, "funds.write")) {
        if (db_in_tx(c)) db_rollback(c);
        return;
    }
    zx_funds_err e = { 0 };
    if (zx_funds_deferral_end(c, id, r->who.user_id, jstr(b, "ended_on"), &e)) return reply_ferr(r, &e);
    if (zx_audit_req(r, c, "funds.deferral.end", "fund_deferral", id, "ok", NULL) || db_commit(c)) return dberr(r);
    db_stmt *s = db_prepare(c, "SELECT resume_due_on FROM fund_deferral WHERE id = ?");
    char due[11] = "";
    if (s) {
        db_bind_int64(s, 1, id);
        if (db_step(s) == DB_ROW && db_col_text(s, 0)) snprintf(due, sizeof due, "%s", db_col_text(s, 0));
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:o,s:s,s:s}", "id", jid(id), "status", "ended", "resume_due_on", due));
}

/* ---- overdue & reconciliation ---- */
static void overdue(zx_req *r)
{
    int64_t courts[256];
    int nc = scope_courts(r, courts, 256);
    const char *mine = zx_query(r, "mine");
    int64_t handler = mine && !strcmp(mine, "1") ? r->who.user_id : 0;
    json_t *o = zx_funds_overdue(zx_db(r), courts, nc, handler, zx_today());
    if (!o) return dberr(r);
    zx_reply_json(r, 200, o);
}

static void reconcile_now(zx_req *r)
{
    bool ok = false;
    json_t *rep = NULL;
    if (zx_funds_reconcile_record(r->app->db, &rep, &ok) < 0 || !rep) {
        json_decref(rep);
        return dberr(r);
    }
    zx_reply_json(r, 200, rep);
}

static const struct zx_route routes[] = {
    { "GET", "/api/v1/cases/:id/account", case_account, ZX_R_USER, 0, NULL, "案件虚拟账户（一案一账号）及全部转账" },
    { "POST", "/api/v1/funds/arrivals", arrival_notify, ZX_R_PARTNER, 0, "funds:notify", "银行到账通知（合作银行）" },
    { "POST", "/api/v1/funds/payout-results", payout_result_partner, ZX_R_PARTNER, 0, "funds:notify", "银行付款结果（合作银行）" },
    { "GET", "/api/v1/funds/arrivals", arrivals_list, ZX_R_USER, VIEW_ROLES, NULL, "到账记录（含待认领）" },
    { "POST", "/api/v1/funds/arrivals/:id/claim", arrival_claim, ZX_R_USER, VIEW_ROLES, NULL, "待认领款认领入案" },
    { "GET", "/api/v1/funds/bank-accounts", banks_list, ZX_R_USER, VIEW_ROLES, NULL, "执行款专户" },
    { "POST", "/api/v1/funds/bank-accounts", banks_add, ZX_R_USER, ROLE_FINANCE, NULL, "登记执行款专户" },
    { "GET", "/api/v1/funds/settings", settings_get, ZX_R_USER, VIEW_ROLES, NULL, "案款发放设置" },
    { "PUT", "/api/v1/funds/settings", settings_put, ZX_R_USER, ROLE_CHIEF, NULL, "修改案款发放设置" },
    { "GET", "/api/v1/cases/:id/payouts", case_payouts, ZX_R_USER, 0, NULL, "案件发放/提存申请" },
    { "POST", "/api/v1/cases/:id/payouts", payout_propose, ZX_R_USER, ROLE_CASE_WORK, NULL, "拟发放执行款或提存" },
    { "GET", "/api/v1/funds/payouts", payouts_list, ZX_R_USER, VIEW_ROLES, NULL, "发放申请列表" },
    { "POST", "/api/v1/funds/payouts/:id/approve", payout_approve, ZX_R_USER, ROLE_CHIEF, NULL, "审批发放/提存" },
    { "POST", "/api/v1/funds/payouts/:id/result", payout_result, ZX_R_USER, ROLE_FINANCE, NULL, "登记银行付款结果" },
    { "POST", "/api/v1/funds/payouts/:id/resend", payout_resend, ZX_R_USER, ROLE_FINANCE, NULL, "立即重发付款指令（接口发送）" },
    { "POST", "/api/v1/funds/payouts/:id/cancel", payout_cancel, ZX_R_USER, VIEW_ROLES, NULL, "撤回发放申请" },
    { "GET", "/api/v1/funds/payouts-file", payouts_file, ZX_R_USER, ROLE_FINANCE, NULL, "导出银行付款文件" },
    { "POST", "/api/v1/cases/:id/deferrals", deferral_request, ZX_R_USER, ROLE_CASE_WORK, NULL, "申请暂缓发放" },
    { "GET", "/api/v1/funds/deferrals", deferrals_list, ZX_R_USER, VIEW_ROLES, NULL, "暂缓发放列表" },
    { "POST", "/api/v1/funds/deferrals/:id/approve", deferral_approve, ZX_R_USER, ROLE_CHIEF, NULL, "审批暂缓发放" },
    { "POST", "/api/v1/funds/deferrals/:id/end", deferral_end, ZX_R_USER, ROLE_CASE_WORK, NULL, "暂缓事由消除" },
    { "GET", "/api/v1/funds/overdue", overdue, ZX_R_USER, VIEW_ROLES, NULL, "超期未发放案款（分档）" },
    { "GET", "/api/v1/funds/reconcile", reconcile_now, ZX_R_USER, FIN_ROLES | ROLE_COMMAND, NULL, "执行款对账" },
};
ZX_ROUTES(routes)
