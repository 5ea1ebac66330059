/* test_funds_ledger.c — the case-funds ledger (src/funds/ledger.c, accounts.c, arrivals.c):
 * caller-chosen ids (a retry never posts twice), balance limits, two-phase pending → post/void,
 * linked chains all-or-nothing, overflow, virtual account numbers with a check digit, and the arrival
 * path with its matching order (account number → 案号 in the remark → payer = debtor → 待认领).
 * Runs on SQLite, and on PostgreSQL too when ZX_TEST_PG_URL is set (a database of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "funds/distribution.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "store/db.h"

typedef struct fixture {
    db_t *db;
    char pg_admin_url[512];
    char pg_dbname[64];
} fixture;

static fixture g_sqlite, g_pg;
static char g_dir[256];

static void must_exec(db_conn *c, const char *sql)
{
    if (db_exec(c, sql) < 0) fail_msg("exec failed: %s — %s", sql, db_errmsg(c));
}

static int build(fixture *f, const char *url)
{
    char err[256];
    f->db = db_open(url, 2, err, sizeof err);
    if (!f->db) {
        fprintf(stderr, "db_open %s: %s\n", url, err);
        return -1;
    }
    if (db_migrate(f->db, err, sizeof err) < 0) {
        fprintf(stderr, "migrate: %s\n", err);
        return -1;
    }
    db_conn *c = db_acquire(f->db);
    db_begin(c);
    must_exec(c, "INSERT INTO court (id, code, name, level, parent_id) VALUES (903, '辽0102', '测试基层法院', 4, NULL)");
    must_exec(c, "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, status, filed_on, claim_fen,"
                 " recovered_fen, created_ms, updated_ms) VALUES (1, '（2024）辽0102执1号', 2024, 903, '执', 1, 'open',"
                 " '2024-03-01', 1000000, 0, 0, 0)");
    must_exec(c, "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, status, filed_on, claim_fen,"
                 " recovered_fen, created_ms, updated_ms) VALUES (2, '（2024）辽0102执2号', 2024, 903, '执', 2, 'open',"
                 " '2024-03-02', 500000, 0, 0, 0)");
    must_exec(c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, court_id, filed_on) VALUES"
                 " (11, 2, 1, 'debtor', 'unit', '某某建材有限公司', 903, '2024-03-02')");
    /* phones are sealed at rest (core/pii.h, migration 020) */
    db_stmt *ps = db_prepare(c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, phone_enc, court_id, filed_on) VALUES"
                                " (12, 1, 1, 'applicant', 'person', '赵六', ?, 903, '2024-03-01')");
    if (!ps || zx_pii_bind(ps, 1, ZX_PII_PHONE, "13800138000") || db_step(ps) != DB_DONE) fail_msg("insert applicant");
    db_finalize(ps);
    int rc = db_commit(c);
    db_release(f->db, c);
    return rc < 0 ? -1 : 0;
}

static void pg_url_with_db(const char *url, const char *name, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *slash = strchr(p, '/');
    if (!slash) {
        snprintf(out, cap, "%s/%s", url, name);
        return;
    }
    const char *q = strchr(slash, '?');
    snprintf(out, cap, "%.*s/%s%s", (int)(slash - url), url, name, q ? q : "");
}

static int setup(void **state)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/zx_test_funds_XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    char url[300], kerr[256];
    snprintf(url, sizeof url, "%s/pii.keys", g_dir);
    if (zx_pii_init(url, true, kerr, sizeof kerr)) return -1;
    snprintf(url, sizeof url, "sqlite:%s/t.db", g_dir);
    if (build(&g_sqlite, url)) return -1;
    const char *pg = getenv("ZX_TEST_PG_URL");
    if (pg && *pg) {
        char err[256];
        db_t *admin = db_open(pg, 1, err, sizeof err);
        if (!admin) return -1;
        snprintf(g_pg.pg_dbname, sizeof g_pg.pg_dbname, "zx_test_funds_%d", (int)getpid());
        snprintf(g_pg.pg_admin_url, sizeof g_pg.pg_admin_url, "%s", pg);
        char sql[128];
        db_conn *c = db_acquire(admin);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", g_pg.pg_dbname);
        db_exec(c, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", g_pg.pg_dbname);
        int rc = db_exec(c, sql);
        db_release(admin, c);
        db_close(admin);
        if (rc < 0) return -1;
        char u[600];
        pg_url_with_db(pg, g_pg.pg_dbname, u, sizeof u);
        if (build(&g_pg, u)) return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    if (g_sqlite.db) db_close(g_sqlite.db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) return -1;
    if (g_pg.db) {
        db_close(g_pg.db);
        char err[256];
        db_t *admin = db_open(g_pg.pg_admin_url, 1, err, sizeof err);
        if (admin) {
            db_conn *c = db_acquire(admin);
            char sql[128];
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", g_pg.pg_dbname);
            db_exec(c, sql);
            db_release(admin, c);
            db_close(admin);
        }
    }
    return 0;
}

static int64_t count_sql(db_conn *c, const char *sql)
{
    int64_t v = -1;
    assert_int_equal(db_exec_int64(c, sql, &v), 0);
    return v;
}

static zx_fund_account acc(db_conn *c, int64_t id)
{
    zx_fund_account a;
    assert_int_equal(zx_ledger_account_get(c, id, &a), 0);
    return a;
}

static int tr(db_conn *c, int64_t id, int64_t debit, int64_t credit, int64_t amount, unsigned flags, int64_t pending)
{
    zx_fund_transfer t = { .id = id, .debit_account_id = debit, .credit_account_id = credit, .amount = amount,
                           .flags = flags, .pending_id = pending, .code = ZX_TC_ARRIVAL };
    return zx_ledger_transfer(c, &t);
}

/* The totals on every account equal what its transfers add up to (reconciliation identity). */
static void assert_totals_derived(db_conn *c)
{
    int64_t bad = count_sql(c,
        "SELECT COUNT(*) FROM fund_account a WHERE a.debits_posted <> COALESCE((SELECT SUM(t.amount) FROM fund_transfer t"
        " WHERE t.debit_account_id = a.id AND (t.flags & 10) = 0), 0)"
        " OR a.credits_posted <> COALESCE((SELECT SUM(t.amount) FROM fund_transfer t"
        " WHERE t.credit_account_id = a.id AND (t.flags & 10) = 0), 0)");
    assert_int_equal(bad, 0);
}

static void run_ledger(fixture *f)
{
    db_conn *c = db_acquire(f->db);
    assert_int_equal(db_begin(c), 0);
    int64_t bank = zx_funds_court_account(c, 903, ZX_ACC_BANK);
    int64_t unid = zx_funds_court_account(c, 903, ZX_ACC_UNIDENTIFIED);
    zx_fund_account ca;
    int64_t case1 = zx_funds_case_account(c, 1, &ca);
    assert_true(bank > 0 && unid > 0 && case1 > 0);
    assert_int_equal(zx_funds_court_account(c, 903, ZX_ACC_BANK), bank); /* singleton */
    assert_int_equal(zx_funds_case_account(c, 1, NULL), case1);          /* opened once */
    assert_true(zx_funds_account_no_valid(ca.account_no));
    assert_int_equal(zx_funds_court_account(c, 999999, ZX_ACC_FEE), ZX_FUNDS_ENOTFOUND);

    /* A plain transfer, then the same id again: EXISTS, nothing posted twice. */
    assert_int_equal(tr(c, 1001, bank, case1, 50000, 0, 0), ZX_TR_OK);
    assert_int_equal(tr(c, 1001, bank, case1, 50000, 0, 0), ZX_TR_EXISTS);
    assert_int_equal(tr(c, 1001, bank, case1, 50001, 0, 0), ZX_TR_EXISTS_DIFFERENT);
    assert_int_equal(zx_ledger_balance(&(zx_fund_account){ 0 }), 0);
    zx_fund_account a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), 50000);
    a = acc(c, bank);
    assert_int_equal(zx_ledger_balance(&a), 50000);

    /* Bad input. */
    assert_int_equal(tr(c, 1002, bank, case1, 0, 0, 0), ZX_TR_AMOUNT_INVALID);
    assert_int_equal(tr(c, 1002, bank, case1, -5, 0, 0), ZX_TR_AMOUNT_INVALID);
    assert_int_equal(tr(c, 1002, bank, 424242, 5, 0, 0), ZX_TR_CREDIT_ACCOUNT_NOT_FOUND);
    assert_int_equal(tr(c, 1002, 424242, case1, 5, 0, 0), ZX_TR_DEBIT_ACCOUNT_NOT_FOUND);
    assert_int_equal(tr(c, 1002, case1, case1, 5, 0, 0), ZX_TR_ACCOUNTS_SAME);
    assert_int_equal(tr(c, 0, bank, case1, 5, 0, 0), ZX_TR_ID_INVALID);
    assert_int_equal(tr(c, 1002, bank, case1, 5, ZX_TR_PENDING | ZX_TR_POST_PENDING, 0), ZX_TR_FLAGS_INVALID);
    /* Overdraw a case account: refused, nothing written. */
    assert_int_equal(tr(c, 1003, case1, unid, 50001, 0, 0), ZX_TR_EXCEEDS_CREDITS);
    /* The bank (asset) cannot pay out more than came in. */
    assert_int_equal(tr(c, 1004, unid, bank, 1, 0, 0), ZX_TR_EXCEEDS_CREDITS); /* unid has nothing */
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_transfer WHERE id IN (1002, 1003, 1004)"), 0);
    /* Overflow: a second huge credit would wrap int64. */
    zx_fund_account x1 = { .kind = ZX_ACC_HOLD, .court_id = 903, .name = "溢出测试1" }, x2 = x1;
    assert_int_equal(zx_ledger_account_create(c, &x1), 0);
    assert_int_equal(zx_ledger_account_create(c, &x2), 0);
    assert_int_equal(tr(c, 1005, x1.id, x2.id, INT64_MAX - 10, 0, 0), ZX_TR_OK);
    assert_int_equal(tr(c, 1006, x1.id, x2.id, 100, 0, 0), ZX_TR_OVERFLOW);

    /* Two-phase: pending reserves, a second pending above what is left is refused, post partial. */
    assert_int_equal(tr(c, 2001, case1, unid, 30000, ZX_TR_PENDING, 0), ZX_TR_OK);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), 50000);
    assert_int_equal(zx_ledger_available(&a), 20000);
    assert_int_equal(tr(c, 2002, case1, unid, 20001, ZX_TR_PENDING, 0), ZX_TR_EXCEEDS_CREDITS);
    assert_int_equal(tr(c, 2003, 0, 0, 30001, ZX_TR_POST_PENDING, 2001), ZX_TR_PENDING_AMOUNT);
    assert_int_equal(tr(c, 2003, 0, 0, 25000, ZX_TR_POST_PENDING, 2001), ZX_TR_OK);
    assert_int_equal(tr(c, 2004, 0, 0, 0, ZX_TR_POST_PENDING, 2001), ZX_TR_PENDING_ALREADY_POSTED);
    assert_int_equal(tr(c, 2004, 0, 0, 0, ZX_TR_VOID_PENDING, 2001), ZX_TR_PENDING_ALREADY_POSTED);
    assert_int_equal(tr(c, 2003, 0, 0, 25000, ZX_TR_POST_PENDING, 2001), ZX_TR_EXISTS); /* retry */
    assert_int_equal(tr(c, 2005, 0, 0, 0, ZX_TR_POST_PENDING, 1001), ZX_TR_PENDING_NOT_PENDING);
    assert_int_equal(tr(c, 2005, 0, 0, 0, ZX_TR_POST_PENDING, 777), ZX_TR_PENDING_NOT_FOUND);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), 25000); /* 5000 released */
    assert_int_equal(a.debits_pending, 0);
    /* Void. */
    assert_int_equal(tr(c, 2101, case1, unid, 10000, ZX_TR_PENDING, 0), ZX_TR_OK);
    assert_int_equal(tr(c, 2102, 0, 0, 0, ZX_TR_VOID_PENDING, 2101), ZX_TR_OK);
    assert_int_equal(tr(c, 2103, 0, 0, 0, ZX_TR_POST_PENDING, 2101), ZX_TR_PENDING_ALREADY_VOIDED);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_available(&a), 25000);

    /* Linked chain: the second fails → the first is not posted either. */
    zx_fund_transfer ch[2] = {
        { .id = 3001, .debit_account_id = bank, .credit_account_id = case1, .amount = 700, .flags = ZX_TR_LINKED, .code = 1 },
        { .id = 3002, .debit_account_id = case1, .credit_account_id = unid, .amount = 999999, .code = 1 },
    };
    enum zx_tr_result res[2];
    assert_int_equal(zx_ledger_create_transfers(c, ch, 2, res), 1);
    assert_int_equal(res[0], ZX_TR_LINKED_EVENT_FAILED);
    assert_int_equal(res[1], ZX_TR_EXCEEDS_CREDITS);
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_transfer WHERE id IN (3001, 3002)"), 0);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), 25000);
    /* The same chain that fits commits as a whole; retried → EXISTS for both. */
    ch[1].amount = 25700;
    assert_int_equal(zx_ledger_create_transfers(c, ch, 2, res), 0);
    assert_int_equal(res[0], ZX_TR_OK);
    assert_int_equal(res[1], ZX_TR_OK);
    assert_int_equal(zx_ledger_create_transfers(c, ch, 2, res), 0);
    assert_int_equal(res[0], ZX_TR_EXISTS);
    assert_int_equal(res[1], ZX_TR_EXISTS);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), 0);
    /* A batch ending inside a chain. */
    ch[0].id = 3003;
    zx_fund_transfer open1 = ch[0];
    assert_int_equal(zx_ledger_create_transfers(c, &open1, 1, res), 1);
    assert_int_equal(res[0], ZX_TR_LINKED_CHAIN_OPEN);
    /* Closed account refuses new transfers. */
    assert_int_equal(zx_ledger_account_close(c, case1, true), 0);
    assert_int_equal(tr(c, 3004, bank, case1, 1, 0, 0), ZX_TR_ACCOUNT_CLOSED);
    assert_int_equal(zx_ledger_account_close(c, case1, false), 0);

    /* The bulk path (≥ 8 plain transfers: multi-row INSERTs of 256, 128 … 1 rows): 300 arrivals post as a
     * whole; the same batch again answers EXISTS for each and posts nothing (the savepoint falls back to
     * the row path); a batch repeating an id inside itself posts it once; a refusal in the middle leaves
     * the others posted. */
    enum { NB = 300 };
    zx_fund_transfer bt[NB];
    enum zx_tr_result br[NB];
    for (int i = 0; i < NB; i++)
        bt[i] = (zx_fund_transfer){ .id = 5000 + i, .debit_account_id = bank, .credit_account_id = case1, .amount = 10 + i,
                                    .code = ZX_TC_ARRIVAL };
    int64_t sum = 0;
    for (int i = 0; i < NB; i++) sum += 10 + i;
    a = acc(c, case1);
    int64_t bal0 = zx_ledger_balance(&a);
    assert_int_equal(zx_ledger_create_transfers(c, bt, NB, br), 0);
    for (int i = 0; i < NB; i++) assert_int_equal(br[i], ZX_TR_OK);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), bal0 + sum);
    assert_int_equal(zx_ledger_create_transfers(c, bt, NB, br), 0);
    for (int i = 0; i < NB; i++) assert_int_equal(br[i], ZX_TR_EXISTS);
    a = acc(c, case1);
    assert_int_equal(zx_ledger_balance(&a), bal0 + sum);
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_transfer WHERE id >= 5000 AND id < 5300"), NB);
    for (int i = 0; i < 10; i++) bt[i] = (zx_fund_transfer){ .id = 6000 + i % 9, .debit_account_id = bank,
                                                             .credit_account_id = case1, .amount = 7, .code = ZX_TC_ARRIVAL };
    assert_int_equal(zx_ledger_create_transfers(c, bt, 10, br), 0);
    assert_int_equal(br[0], ZX_TR_OK);
    assert_int_equal(br[9], ZX_TR_EXISTS); /* 6000 again */
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_transfer WHERE id >= 6000 AND id < 6010"), 9);
    for (int i = 0; i < 12; i++) bt[i] = (zx_fund_transfer){ .id = 6100 + i, .debit_account_id = i == 5 ? unid : bank,
                                                             .credit_account_id = i == 5 ? bank : case1,
                                                             .amount = i == 5 ? INT64_MAX / 2 : 3, .code = ZX_TC_ARRIVAL };
    assert_int_equal(zx_ledger_create_transfers(c, bt, 12, br), 1);
    assert_int_equal(br[5], ZX_TR_EXCEEDS_CREDITS);
    assert_int_equal(br[4], ZX_TR_OK);
    assert_int_equal(br[11], ZX_TR_OK);
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_transfer WHERE id >= 6100 AND id < 6112"), 11);
    assert_totals_derived(c);
    assert_int_equal(db_commit(c), 0);
    db_release(f->db, c);
}

static void run_arrivals(fixture *f)
{
    db_conn *c = db_acquire(f->db);
    assert_int_equal(db_begin(c), 0);
    zx_fund_account ca;
    assert_true(zx_funds_case_account(c, 1, &ca) > 0);
    char err[256];
    zx_funds_arrival_out o;
    int64_t rec0 = count_sql(c, "SELECT recovered_fen FROM enf_case WHERE id = 1");
    /* 1. by virtual account number */
    zx_funds_arrival_in in = { .source = "bank_notice", .bank_ref = "B-001", .court_id = 903, .account_no = ca.account_no,
                               .amount_fen = 120000, .payer_name = "张三", .booked_on = "2024-05-06" };
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), 0);
    assert_int_equal(o.case_id, 1);
    assert_string_equal(o.matched_by, "account_no");
    assert_string_equal(o.case_no, "（2024）辽0102执1号");
    assert_int_equal(count_sql(c, "SELECT recovered_fen FROM enf_case WHERE id = 1"), rec0 + 120000);
    /* 案款到账 notice queued for the applicant, phone sealed (not stored in clear) */
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'funds_arrival' AND case_id = 1"
                                  " AND status = 'queued'"), 1);
    db_stmt *q = db_prepare(c, "SELECT recipient FROM notify_outbox WHERE case_id = 1");
    assert_int_equal(db_step(q), DB_ROW);
    size_t bl = 0;
    const unsigned char *blob = db_col_blob(q, 0, &bl);
    assert_true(bl > 11 && !memmem(blob, bl, "13800138000", 11));
    char *phone = zx_pii_col(q, 0, ZX_PII_PHONE);
    assert_string_equal(phone, "13800138000");
    zx_pii_free(phone);
    db_finalize(q);
    /* The same bank_ref again: the first answer, nothing posted twice. */
    int64_t first = o.arrival_id;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), 1);
    assert_true(o.existed);
    assert_int_equal(o.arrival_id, first);
    assert_int_equal(count_sql(c, "SELECT recovered_fen FROM enf_case WHERE id = 1"), rec0 + 120000);
    /* Same ref, other amount → conflict. */
    in.amount_fen = 1;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_ECONFLICT);
    /* A mistyped number (check digit) does not match; the remark's 案号 (half-width) does. */
    char typo[40];
    snprintf(typo, sizeof typo, "%s", ca.account_no);
    typo[10] = typo[10] == '9' ? '0' : (char)(typo[10] + 1);
    assert_false(zx_funds_account_no_valid(typo));
    in = (zx_funds_arrival_in){ .source = "statement", .bank_ref = "B-002", .court_id = 903, .account_no = typo,
                                .amount_fen = 3000, .payer_name = "李四", .remark = "(2024)辽0102执2号 还款" };
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), 0);
    assert_int_equal(o.case_id, 2);
    assert_string_equal(o.matched_by, "case_no");
    /* payer = debtor of exactly one open case */
    in = (zx_funds_arrival_in){ .source = "statement", .bank_ref = "B-003", .court_id = 903, .amount_fen = 4000,
                                .payer_name = "某某建材有限公司", .remark = "货款" };
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), 0);
    assert_int_equal(o.case_id, 2);
    assert_string_equal(o.matched_by, "payer");
    /* nothing matches → 待认领 with a claim deadline */
    in = (zx_funds_arrival_in){ .source = "statement", .bank_ref = "B-004", .court_id = 903, .amount_fen = 5000,
                                .payer_name = "王五", .booked_on = "2024-05-10" /* Friday */ };
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), 0);
    assert_int_equal(o.case_id, 0);
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_arrival WHERE bank_ref = 'B-004' AND status = 'unidentified'"
                                  " AND claim_due_on = '2024-05-14'"), 1); /* 3 working days: Sat 11 (调休上班), Mon 13, Tue 14 */
    /* bad input */
    in.bank_ref = "B-005";
    in.amount_fen = 0;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_EINVAL);
    in.amount_fen = -1;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_EINVAL);
    in.amount_fen = 1;
    in.booked_on = "2024-02-30";
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_EINVAL);
    in.booked_on = NULL;
    in.court_id = 0;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_EINVAL);
    in.court_id = 903;
    in.case_id = 99;
    assert_int_equal(zx_funds_arrival(c, &in, &o, err, sizeof err), ZX_FUNDS_ENOTFOUND);
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM fund_arrival WHERE bank_ref = 'B-005'"), 0);
    /* events written for matched arrivals */
    assert_int_equal(count_sql(c, "SELECT COUNT(*) FROM case_event WHERE kind = 'funds_arrival'"), 3);
    assert_totals_derived(c);
    assert_int_equal(db_commit(c), 0);
    db_release(f->db, c);
}

static void test_account_no(void **state)
{
    char no[20];
    zx_funds_account_no(1, no);
    assert_int_equal(strlen(no), 18);
    assert_true(zx_funds_account_no_valid(no));
    assert_true(zx_funds_account_no_valid("9500 0000 0000 0000 18") == zx_funds_account_no_valid("950000000000000018"));
    /* every single-digit change is caught */
    for (int i = 2; i < 18; i++)
        for (char d = '0'; d <= '9'; d++) {
            if (d == no[i]) continue;
            char m[20];
            memcpy(m, no, sizeof m);
            m[i] = d;
            assert_false(zx_funds_account_no_valid(m));
        }
    assert_false(zx_funds_account_no_valid("95123"));
    assert_false(zx_funds_account_no_valid("12000000000000001X"));
    assert_false(zx_funds_account_no_valid(NULL));
}

static void test_case_no_in_text(void **state)
{
    char out[ZX_CASE_NO_MAX];
    assert_true(zx_funds_case_no_in_text("还款 (2024)辽0102执12号 张三", out));
    assert_string_equal(out, "（2024）辽0102执12号");
    assert_true(zx_funds_case_no_in_text("（2023）辽01执恢3号", out));
    assert_false(zx_funds_case_no_in_text("货款（第二期）", out));
    assert_false(zx_funds_case_no_in_text(NULL, out));
}

static void test_notify_render(void **state)
{
    char out[512];
    json_t *p = json_pack("{s:s,s:s,s:s,s:s}", "name", "赵六", "case_no", "（2024）辽0102执1号", "amount", "1,200.00",
                          "date", "2024-05-06");
    assert_true(zx_notify_render("funds_arrival", p, out, sizeof out) > 0);
    assert_non_null(strstr(out, "赵六"));
    assert_non_null(strstr(out, "1,200.00元"));
    assert_null(strstr(out, "{"));
    assert_int_equal(zx_notify_render("no_such_template", p, out, sizeof out), -1);
    json_decref(p);
}

/* 民诉解释 art 508: costs, then priority claims, then ordinary claims pro rata — largest remainder so
 * the parts sum to the amount to the fen; art 514: enterprise debtor → ordinary claims by seizure order. */
static void test_distribution_split(void **state)
{
    zx_dist_claim c[5] = {
        { .creditor = "执行费用", .klass = "cost", .claim_fen = 1000 },
        { .creditor = "抵押权人", .klass = "priority", .claim_fen = 5000 },
        { .creditor = "甲", .klass = "ordinary", .claim_fen = 100, .seized_on = "2024-03-01" },
        { .creditor = "乙", .klass = "ordinary", .claim_fen = 100, .seized_on = "2024-01-01" },
        { .creditor = "丙", .klass = "ordinary", .claim_fen = 100, .seized_on = "2024-02-01" },
    };
    assert_int_equal(zx_distribution_split(6100, c, 5, false), 0);
    assert_int_equal(c[0].share_fen, 1000);
    assert_int_equal(c[1].share_fen, 5000);
    /* 100 fen over three equal claims: 34 + 33 + 33 (the first of the tied remainders gets the fen) */
    assert_int_equal(c[2].share_fen + c[3].share_fen + c[4].share_fen, 100);
    assert_int_equal(c[2].share_fen, 34);
    assert_int_equal(c[3].share_fen, 33);
    /* not enough for costs + priority */
    assert_int_equal(zx_distribution_split(3000, c, 5, false), 0);
    assert_int_equal(c[0].share_fen, 1000);
    assert_int_equal(c[1].share_fen, 2000);
    assert_int_equal(c[2].share_fen + c[3].share_fen + c[4].share_fen, 0);
    /* enterprise: by seizure order 乙 (01-01), 丙 (02-01), 甲 (03-01) */
    assert_int_equal(zx_distribution_split(6150, c, 5, true), 0);
    assert_int_equal(c[3].share_fen, 100);
    assert_int_equal(c[4].share_fen, 50);
    assert_int_equal(c[2].share_fen, 0);
    /* more than enough: everyone in full */
    assert_int_equal(zx_distribution_split(1000000, c, 5, false), 0);
    assert_int_equal(c[2].share_fen, 100);
    /* odd amounts, big claims: the parts always sum exactly */
    zx_dist_claim d[3] = { { .klass = "ordinary", .claim_fen = 333333333333 }, { .klass = "ordinary", .claim_fen = 7 },
                           { .klass = "ordinary", .claim_fen = 999999999999 } };
    for (int64_t amt = 1; amt < 200000; amt = amt * 3 + 1) {
        assert_int_equal(zx_distribution_split(amt, d, 3, false), 0);
        assert_int_equal(d[0].share_fen + d[1].share_fen + d[2].share_fen, amt);
    }
    zx_dist_claim bad = { .klass = "other", .claim_fen = 1 };
    assert_int_equal(zx_distribution_split(10, &bad, 1, false), -1);
}

static void test_sqlite(void **state)
{
    run_ledger(&g_sqlite);
    run_arrivals(&g_sqlite);
}

static void test_postgres(void **state)
{
    if (!g_pg.db) skip();
    run_ledger(&g_pg);
    run_arrivals(&g_pg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_no),
        cmocka_unit_test(test_case_no_in_text),
        cmocka_unit_test(test_notify_render),
        cmocka_unit_test(test_distribution_split),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_postgres),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
