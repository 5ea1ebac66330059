/* test_indicators.c — 质效指标 arithmetic (src/case/indicators.c) on a small fixture store, with the
 * from/to boundaries: filed on `from` is new, filed on `to` is new, closed on `from` counts as closed
 * (and carried over), closed the day after `to` is pending, closed before `from` is not received.
 * Runs on SQLite, and on PostgreSQL too when ZX_TEST_PG_URL is set (a database of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/indicators.h"
#include "core/date.h"
#include "store/db.h"

typedef struct fixture {
    db_t *db;
    int64_t high, mid, basic, handler;
    char pg_admin_url[512];
    char pg_dbname[64];
} fixture;

static fixture g_sqlite, g_pg;
static char g_dir[256];

static void must_exec(db_conn *c, const char *sql)
{
    int rc = db_exec(c, sql);
    if (rc < 0) fail_msg("exec failed: %s — %s", sql, db_errmsg(c));
}

/* id, court, type, filed, closed|NULL, mode|NULL, claim, recovered, has_assets, limit, gate (-1 NULL), handler */
static void add_case(db_conn *c, int64_t id, int64_t court, const char *type, const char *filed, const char *closed,
                     const char *mode, int64_t claim, int64_t rec, int assets, const char *limit, int gate,
                     int64_t handler)
{
    db_stmt *s = db_prepare(c, "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, status, handler_id,"
                               " filed_on, closed_on, closure_mode, claim_fen, recovered_fen, has_assets, limit_date,"
                               " gate_passed, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0)");
    assert_non_null(s);
    char no[64];
    snprintf(no, sizeof no, "（%.4s）T%s%lld号", filed, type, (long long)id);
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, no, -1);
    db_bind_int64(s, 3, atoi(filed));
    db_bind_int64(s, 4, court);
    db_bind_text(s, 5, type, -1);
    db_bind_int64(s, 6, id);
    db_bind_text(s, 7, closed ? "closed" : "open", -1);
    if (handler) db_bind_int64(s, 8, handler);
    else db_bind_null(s, 8);
    db_bind_text(s, 9, filed, -1);
    db_bind_text(s, 10, closed, -1);
    db_bind_text(s, 11, mode, -1);
    db_bind_int64(s, 12, claim);
    db_bind_int64(s, 13, rec);
    db_bind_int64(s, 14, assets);
    db_bind_text(s, 15, limit, -1);
    if (gate >= 0) db_bind_int64(s, 16, gate);
    else db_bind_null(s, 16);
    int rc = db_step(s);
    if (rc != DB_DONE) fail_msg("insert case %lld: %s", (long long)id, db_errmsg(c));
    db_finalize(s);
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
    f->high = 901;
    f->mid = 902;
    f->basic = 903;
    f->handler = 990;
    db_conn *c = db_acquire(f->db);
    db_begin(c);
    must_exec(c, "INSERT INTO court (id, code, name, level, parent_id) VALUES (901, 'T', '测试高院', 2, NULL)");
    must_exec(c, "INSERT INTO court (id, code, name, level, parent_id) VALUES (902, 'T01', '测试中院', 3, 901)");
    must_exec(c, "INSERT INTO court (id, code, name, level, parent_id) VALUES (903, 'T0102', '测试基层法院', 4, 902)");
    must_exec(c, "INSERT INTO app_user (id, username, display_name, court_id, roles, pw_hash, pw_salt, pw_iter,"
                 " pw_changed_ms, created_ms) VALUES (990, 'ind_judge', '测试法官', 903, 2, 'x', 'x', 1, 0, 0)");
    int64_t B = f->basic, H = f->handler;
    /* range under test: 2024-01-01 … 2024-12-31 */
    add_case(c, 1, B, "执", "2023-06-01", NULL, NULL, 50000, 0, 0, "2023-12-01", -1, H);                        /* A carried, open */
    add_case(c, 2, B, "执", "2023-05-01", "2023-12-31", "completed", 70000, 70000, 0, "2023-11-01", -1, 0);     /* B closed before */
    add_case(c, 3, B, "执", "2023-09-01", "2024-01-01", "completed", 100000, 100000, 0, "2024-03-01", -1, H);   /* C carried+closed on from */
    add_case(c, 4, B, "执", "2024-01-01", "2024-12-31", "interim_closure", 300000, 0, 0, "2024-07-01", 1, H);   /* D new on from, closed on to, late */
    add_case(c, 5, B, "执恢", "2024-12-31", NULL, NULL, 80000, 0, 0, "2025-06-30", -1, 0);                      /* E new on to */
    add_case(c, 6, B, "执", "2025-01-01", NULL, NULL, 90000, 0, 0, "2025-07-01", -1, H);                        /* F after to */
    add_case(c, 7, B, "执保", "2024-03-01", "2025-01-01", "completed", 60000, 60000, 1, "2024-09-02", -1, 0);   /* G closed after to */
    add_case(c, 8, B, "执", "2024-02-01", "2024-05-01", "termination", 200000, 50000, 1, "2024-08-01", -1, 0);  /* H asset, on time */
    add_case(c, 9, B, "执", "2024-02-01", "2024-10-01", "completed", 400000, 400000, 1, "2024-09-01", -1, H);   /* I asset, late */
    add_case(c, 10, B, "执", "2024-04-01", "2024-06-01", "interim_closure", 100000, 10000, 0, "2024-10-01", -1, 0); /* J gate not passed */
    add_case(c, 11, B, "执异", "2024-02-01", "2024-03-01", "rejection", 0, 0, 0, "2024-05-01", -1, 0);          /* K review class */
    add_case(c, 12, f->mid, "执", "2024-03-01", "2024-04-01", "withdrawal", 30000, 0, 0, "2024-09-02", -1, 0);  /* L 中院 */
    if (db_commit(c) < 0) {
        fprintf(stderr, "commit: %s\n", db_errmsg(c));
        db_release(f->db, c);
        return -1;
    }
    db_release(f->db, c);
    return 0;
}

/* "postgresql://…/NAME?…" → same URL with database `name`. */
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
    snprintf(g_dir, sizeof g_dir, "/tmp/zx_test_ind_XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    char url[300];
    snprintf(url, sizeof url, "sqlite:%s/t.db", g_dir);
    if (build(&g_sqlite, url)) return -1;
    const char *pg = getenv("ZX_TEST_PG_URL");
    if (pg && *pg) {
        char err[256];
        db_t *admin = db_open(pg, 1, err, sizeof err);
        if (!admin) {
            fprintf(stderr, "pg: %s\n", err);
            return -1;
        }
        snprintf(g_pg.pg_dbname, sizeof g_pg.pg_dbname, "zx_test_ind_%d", (int)getpid());
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

static zx_ind_query range(const int64_t *courts, int n, int64_t handler)
{
    zx_ind_query q = { .courts = courts, .ncourts = n, .handler_id = handler };
    zx_date_parse("2024-01-01", &q.from);
    zx_date_parse("2024-12-31", &q.to);
    return q;
}

static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_non_null(v);
    return json_number_value(v);
}

static void check_basic_court(fixture *f)
{
    int64_t courts[1] = { f->basic };
    zx_ind_query q = range(courts, 1, 0);
    zx_ind_counts k;
    db_conn *c = db_acquire(f->db);
    assert_int_equal(zx_ind_compute(c, &q, &k), 0);
    assert_int_equal(k.carried_over, 2); /* A, C */
    assert_int_equal(k.new_, 6);         /* D, E, G, H, I, J */
    assert_int_equal(k.closed, 5);       /* C, D, H, I, J */
    assert_int_equal(k.closed_actual, 3);
    assert_int_equal(k.closed_interim, 2);
    assert_int_equal(k.closed_on_time, 3); /* C, H, J */
    assert_int_equal(k.asset_closed, 2);
    assert_int_equal(k.asset_actual, 2);
    assert_int_equal(k.asset_actual_on_time, 1);
    assert_int_equal(k.interim_compliant, 1);
    assert_int_equal(k.claim_fen, 1100000);
    assert_int_equal(k.recovered_fen, 560000);
    json_t *o = zx_ind_json(&k);
    assert_int_equal(json_integer_value(json_object_get(o, "received")), 8);
    assert_int_equal(json_integer_value(json_object_get(o, "pending")), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "new")), 6);
    assert_true(fabs(num(o, "closure_rate") - 0.625) < 1e-9);
    assert_true(fabs(num(o, "actual_enforcement_rate") - 0.6) < 1e-9);
    assert_true(fabs(num(o, "interim_closure_rate") - 0.4) < 1e-9);
    assert_true(fabs(num(o, "on_time_rate") - 0.6) < 1e-9);
    assert_true(fabs(num(o, "asset_case_enforcement_rate") - 1.0) < 1e-9);
    assert_true(fabs(num(o, "asset_case_on_time_rate") - 0.5) < 1e-9);
    assert_true(fabs(num(o, "recovery_rate") - 0.5091) < 1e-9);
    assert_true(fabs(num(o, "interim_closure_compliance_rate") - 0.5) < 1e-9);
    /* 超期结案 (issue 9 item 15): closed − closed within the limit = 5 − 3 */
    assert_int_equal(json_integer_value(json_object_get(o, "closed_late")), 2);
    assert_int_equal(json_object_size(o), 14);
    json_decref(o);

    /* per handler: A (carried, open), C (carried, closed), D (new, closed late), I (new, closed late) */
    q = range(courts, 1, f->handler);
    assert_int_equal(zx_ind_compute(c, &q, &k), 0);
    assert_int_equal(k.carried_over, 2);
    assert_int_equal(k.new_, 2);
    assert_int_equal(k.closed, 3);
    assert_int_equal(k.closed_on_time, 1);

    /* one day: 2024-01-01 — C closed on it, D filed on it */
    zx_date_parse("2024-01-01", &q.to);
    q.handler_id = 0;
    assert_int_equal(zx_ind_compute(c, &q, &k), 0);
    assert_int_equal(k.carried_over, 2);
    assert_int_equal(k.new_, 1);
    assert_int_equal(k.closed, 1);
    db_release(f->db, c);
}

struct acc {
    zx_ind_counts sum;
    int n;
    int64_t seen[8];
};
static void cb(int64_t court_id, const zx_ind_counts *kk, void *arg)
{
    struct acc *a = arg;
    zx_ind_add(&a->sum, kk);
    for (int i = 0; i < a->n; i++)
        if (a->seen[i] == court_id) return;
    if (a->n < 8) a->seen[a->n++] = court_id;
}

static void check_subtree(fixture *f)
{
    int64_t courts[3] = { f->high, f->mid, f->basic };
    zx_ind_query q = range(courts, 3, 0);
    zx_ind_counts k;
    db_conn *c = db_acquire(f->db);
    assert_int_equal(zx_ind_compute(c, &q, &k), 0);
    json_t *o = zx_ind_json(&k);
    assert_int_equal(json_integer_value(json_object_get(o, "received")), 9);
    assert_int_equal(json_integer_value(json_object_get(o, "closed")), 6);
    assert_true(fabs(num(o, "closure_rate") - 0.6667) < 1e-9);
    assert_true(fabs(num(o, "actual_enforcement_rate") - 0.5) < 1e-9);
    assert_true(fabs(num(o, "interim_closure_rate") - 0.3333) < 1e-9);
    assert_true(fabs(num(o, "on_time_rate") - 0.6667) < 1e-9);
    assert_true(fabs(num(o, "recovery_rate") - 0.4956) < 1e-9);
    json_decref(o);

    /* grouped by court (one row per court and branch) adds up to the same */
    struct acc a = { { 0 }, 0, { 0 } };
    assert_int_equal(zx_ind_compute_by_court(c, &q, cb, &a), 0);
    assert_int_equal(a.n, 2);
    assert_int_equal(a.sum.closed, 6);
    assert_int_equal(a.sum.carried_over + a.sum.new_, 9);

    /* trend: months of 2024 add up; January holds C's closure and D's filing */
    zx_ind_counts m[12];
    char months[12][8];
    assert_int_equal(zx_ind_trend(c, &q, m, months, 12), 12);
    assert_string_equal(months[0], "2024-01");
    assert_string_equal(months[11], "2024-12");
    int64_t new_sum = 0, closed_sum = 0;
    for (int i = 0; i < 12; i++) {
        new_sum += m[i].new_;
        closed_sum += m[i].closed;
        assert_int_equal(m[i].carried_over + m[i].new_ - m[i].closed,
                         i + 1 < 12 ? m[i + 1].carried_over : m[i].carried_over + m[i].new_ - m[i].closed);
    }
    assert_int_equal(new_sum, 7);
    assert_int_equal(closed_sum, 6);
    assert_int_equal(m[0].carried_over, 2);
    assert_int_equal(m[0].new_, 1);
    assert_int_equal(m[0].closed, 1);
    assert_int_equal(m[11].closed, 1); /* D on 2024-12-31 */
    db_release(f->db, c);
}

static void test_sqlite(void **state)
{
    check_basic_court(&g_sqlite);
    check_subtree(&g_sqlite);
}

static void test_postgres(void **state)
{
    if (!g_pg.db) skip();
    check_basic_court(&g_pg);
    check_subtree(&g_pg);
}

static void test_rate_rounding(void **state)
{
    assert_true(zx_ind_rate(0, 0) == 0.0);
    assert_true(zx_ind_rate(5, 0) == 0.0);
    assert_true(zx_ind_rate(0, 7) == 0.0);
    assert_true(zx_ind_rate(7, 7) == 1.0);
    assert_true(zx_ind_rate(9, 7) == 1.0); /* recovered above the claim is capped */
    assert_true(fabs(zx_ind_rate(1, 3) - 0.3333) < 1e-12);
    assert_true(fabs(zx_ind_rate(2, 3) - 0.6667) < 1e-12);
    assert_true(fabs(zx_ind_rate(1, 8) - 0.125) < 1e-12);
    assert_true(fabs(zx_ind_rate(1, 20000) - 0.0001) < 1e-12); /* 0.00005 rounds half up */
    assert_true(fabs(zx_ind_rate(1, 20001) - 0.0) < 1e-12);
    assert_true(fabs(zx_ind_rate(INT64_MAX / 3, INT64_MAX / 2) - 0.6667) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_rounding),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_postgres),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
