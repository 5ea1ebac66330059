/* accounts.c — the chart of accounts of a court: case virtual accounts (一案一账号) with their
 * check-digit numbers, the court's singleton accounts (待认领, 执行费, 提存, 保证金) and its 专户. */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "core/ids.h"
#include "funds/funds.h"
#include "funds/ledger.h"

/* Luhn check digit over a string of digits (ISO/IEC 7812-1 Annex B): catches every single-digit
 * error and most adjacent transpositions — what a clerk mistyping a number does. */
static int luhn_digit(const char *body, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = body[n - 1 - i] - '0';
        if (i % 2 == 0) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10;
}

void zx_funds_account_no(int64_t serial, char out[20])
{
    char body[24];
    snprintf(body, sizeof body, "95%015lld", (long long)((serial < 0 ? -serial : serial) % 1000000000000000LL));
    body[17] = 0;
    snprintf(out, 20, "%.17s%d", body, luhn_digit(body, 17));
}

bool zx_funds_account_no_valid(const char *s)
{
    if (!s) return false;
    char d[20];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '-') continue;
        if (*s < '0' || *s > '9' || n >= 18) return false;
        d[n++] = *s;
    }
    if (n != 18 || d[0] != '9' || d[1] != '5') return false;
    return luhn_digit(d, 17) == d[17] - '0';
}

/* Normalise a typed number (drop spaces/dashes) into out[20]; false if not 18 digits. */
static bool no_norm(const char *s, char out[20])
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '-') continue;
        if (n >= 18) return false;
        out[n++] = *s;
    }
    out[n] = 0;
    return n == 18;
}

int64_t zx_funds_case_account(db_conn *c, int64_t case_id, zx_fund_account *out)
{
    zx_fund_account a;
    db_stmt *s = db_prepare(c, "SELECT id FROM fund_account WHERE case_id = ? AND kind = 2");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc < 0) return rc;
    if (id > 0) {
        if (out && zx_ledger_account_get(c, id, out) != 0) return DB_ERROR;
        return id;
    }
    s = db_prepare(c, "SELECT court_id, case_no FROM enf_case WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    rc = db_step(s);
    memset(&a, 0, sizeof a);
    if (rc == DB_ROW) {
        a.court_id = db_col_int64(s, 0);
        snprintf(a.name, sizeof a.name, "%s 案款账户", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    }
    db_finalize(s);
    if (rc != DB_ROW) return rc == DB_DONE ? ZX_FUNDS_ENOTFOUND : rc;
    /* Serial: UPDATE … RETURNING serialises concurrent filings (row lock / single writer). */
    s = db_prepare(c, "UPDATE fund_counter SET value = value + 1 WHERE name = 'case_account' RETURNING value");
    if (!s) return DB_ERROR;
    rc = db_step(s);
    int64_t serial = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    if (rc == DB_ROW) rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || serial <= 0) return DB_ERROR;
    a.kind = ZX_ACC_CASE;
    a.flags = ZX_ACCF_DEBITS_MUST_NOT_EXCEED_CREDITS;
    a.case_id = case_id;
    zx_funds_account_no(serial, a.account_no);
    rc = zx_ledger_account_create(c, &a);
    if (rc < 0) return rc;
    if (out) *out = a;
    return a.id;
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case ZX_ACC_BANK: return "执行款专户";
    case ZX_ACC_UNIDENTIFIED: return "待认领款";
    case ZX_ACC_FEE: return "申请执行费";
    case ZX_ACC_ESCROW: return "提存款";
    case ZX_ACC_HOLD: return "保证金及暂存款";
    default: return NULL;
    }
}

int64_t zx_funds_court_account(db_conn *c, int64_t court_id, int kind)
{
    const char *nm = kind_name(kind);
    if (!nm) return ZX_FUNDS_EINVAL;
    db_stmt *s = db_prepare(c, "SELECT id FROM fund_account WHERE court_id = ? AND kind = ? ORDER BY id LIMIT 1");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, court_id);
    db_bind_int64(s, 2, kind);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc < 0) return rc;
    if (id > 0) return id;
    const zx_court *ct = zx_court_by_id(court_id);
    if (!ct) {
        /* The in-memory court list may not be loaded (CLI paths): check the table. */
        s = db_prepare(c, "SELECT 1 FROM court WHERE id = ?");
        if (!s) return DB_ERROR;
        db_bind_int64(s, 1, court_id);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_ROW) return ZX_FUNDS_ENOTFOUND;
    }
    zx_fund_account a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.court_id = court_id;
    /* The bank account is an asset: it may never pay out more than came in. The others are
     * liabilities of the court towards someone: never below zero. */
    a.flags = kind == ZX_ACC_BANK ? ZX_ACCF_CREDITS_MUST_NOT_EXCEED_DEBITS : ZX_ACCF_DEBITS_MUST_NOT_EXCEED_CREDITS;
    snprintf(a.name, sizeof a.name, "%s%s", ct ? ct->name : "", nm);
    rc = zx_ledger_account_create(c, &a);
    return rc < 0 ? rc : a.id;
}

/* Exposed for arrivals.c: the case account by a typed number (normalised), 0 if none. */
int64_t zx_funds_case_by_account_no(db_conn *c, const char *typed, int64_t court_id, int64_t *account_id)
{
    char no[20];
    if (!no_norm(typed, no) || !zx_funds_account_no_valid(no)) return 0;
    zx_fund_account a;
    if (zx_ledger_account_by_no(c, no, &a) != 0 || a.kind != ZX_ACC_CASE) return 0;
    if (court_id > 0 && a.court_id != court_id) return 0;
    if (account_id) *account_id = a.id;
    return a.case_id;
}

void zx_funds_bulk_session(db_t *db, db_conn *c)
{
    if (db_kind(db) == DB_SQLITE) db_exec(c, "PRAGMA cache_size = -262144");
}
