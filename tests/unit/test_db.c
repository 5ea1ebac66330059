/* test_db.c — storage layer tests. Every test runs on SQLite (temp file) and, when ZX_TEST_PG_URL is
 * set (e.g. from scripts/pg-temp.sh), on PostgreSQL in a throwaway schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/db_internal.h"
#include "store/migrations.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static db_t *g_db;          /* the store under test (pool of 4) */
static const char *g_store; /* "sqlite" / "postgresql" */
static char g_url[1024];
static char g_tmpdir[256];
static char g_pg_schema[64];
static const char *g_pg_base;

static void ex(db_conn *c, const char *sql)
{
    int rc = db_exec(c, sql);
    if (rc != 0) fail_msg("[%s] exec failed (%d): %s\n  SQL: %s", g_store, rc, db_errmsg(c), sql);
}

static int64_t one(db_conn *c, const char *sql)
{
    int64_t v = -1;
    int rc = db_exec_int64(c, sql, &v);
    if (rc != 0) fail_msg("[%s] query failed (%d): %s\n  SQL: %s", g_store, rc, db_errmsg(c), sql);
    return v;
}

static db_stmt *prep(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) fail_msg("[%s] prepare failed: %s\n  SQL: %s", g_store, db_errmsg(c), sql);
    return s;
}

/* ---------- group setup ---------- */

static int setup_sqlite(void **state)
{
    snprintf(g_tmpdir, sizeof g_tmpdir, "/tmp/zx_test_db_XXXXXX");
    if (!mkdtemp(g_tmpdir)) return -1;
    snprintf(g_url, sizeof g_url, "sqlite:%s/t.db", g_tmpdir);
    char err[256];
    g_db = db_open(g_url, 4, err, sizeof err);
    if (!g_db) { fprintf(stderr, "db_open %s: %s\n", g_url, err); return -1; }
    g_store = "sqlite";
    return 0;
}

static int teardown_sqlite(void **state)
{
    db_close(g_db);
    g_db = NULL;
    char p[512];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/t.db%s", g_tmpdir, suffix[i]);
        unlink(p);
    }
    rmdir(g_tmpdir);
    return 0;
}

static int setup_pg(void **state)
{
    char err[512];
    db_t *admin = db_open(g_pg_base, 1, err, sizeof err);
    if (!admin) { fprintf(stderr, "db_open %s: %s\n", g_pg_base, err); return -1; }
    snprintf(g_pg_schema, sizeof g_pg_schema, "zxt_%ld", (long)getpid());
    db_conn *c = db_acquire(admin);
    char sql[256];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", g_pg_schema, g_pg_schema);
    int rc = db_exec(c, sql);
    if (rc != 0) fprintf(stderr, "create schema: %s\n", db_errmsg(c));
    db_release(admin, c);
    db_close(admin);
    if (rc != 0) return -1;
    snprintf(g_url, sizeof g_url, "%s%coptions=-csearch_path%%3D%s", g_pg_base, strchr(g_pg_base, '?') ? '&' : '?',
             g_pg_schema);
    g_db = db_open(g_url, 4, err, sizeof err);
    if (!g_db) { fprintf(stderr, "db_open %s: %s\n", g_url, err); return -1; }
    g_store = "postgresql";
    return 0;
}

static int teardown_pg(void **state)
{
    db_close(g_db);
    g_db = NULL;
    char err[512];
    db_t *admin = db_open(g_pg_base, 1, err, sizeof err);
    if (!admin) return -1;
    db_conn *c = db_acquire(admin);
    char sql[128];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_pg_schema);
    db_exec(c, sql);
    db_release(admin, c);
    db_close(admin);
    return 0;
}

/* ---------- tests ---------- */

static void test_open_dispatch(void **state)
{
    char err[256];
    assert_null(db_open("mysql://x", 1, err, sizeof err));
    assert_true(strlen(err) > 0);
    assert_null(db_open("sqlite:", 1, err, sizeof err));
    assert_int_equal(db_kind(g_db), strcmp(g_store, "sqlite") == 0 ? DB_SQLITE : DB_POSTGRES);
    if (db_kind(g_db) == DB_SQLITE) {
        /* a bare path ending in .db is SQLite */
        char path[512];
        snprintf(path, sizeof path, "%s/bare.db", g_tmpdir);
        db_t *d = db_open(path, 1, err, sizeof err);
        assert_non_null(d);
        assert_int_equal(db_kind(d), DB_SQLITE);
        db_conn *c = db_acquire(d);
        db_stmt *s = prep(c, "PRAGMA journal_mode");
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "wal");
        db_finalize(s);
        assert_int_equal(one(c, "PRAGMA synchronous"), 2); /* FULL */
        assert_int_equal(one(c, "PRAGMA foreign_keys"), 1);
        assert_int_equal(one(c, "PRAGMA busy_timeout"), 5000);
        db_release(d, c);
        db_close(d);
        char p2[600];
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) { snprintf(p2, sizeof p2, "%s%s", path, suffix[i]); unlink(p2); }
    } else {
        db_conn *c = db_acquire(g_db);
        db_stmt *s = prep(c, "SELECT current_setting('statement_timeout'), current_setting('client_encoding')");
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "30s");
        assert_string_equal(db_col_text(s, 1), "UTF8");
        db_finalize(s);
        db_release(g_db, c);
        assert_null(db_open("postgresql:///nonexistent_db_zx?host=/nonexistent", 1, err, sizeof err));
        assert_true(strlen(err) > 0);
    }
}

static void test_binds_roundtrip(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_bind (id BIGINT PRIMARY KEY, i BIGINT, s TEXT, b BYTEA, n TEXT)");
    const char *txt = "执行案件 'single' \"double\" ? ''; -- 中文";
    const unsigned char blob[] = {0, 'a', 0, 0xff, 0, 0x5c, 0x78, 0};
    db_stmt *s = prep(c, "INSERT INTO t_bind (id, i, s, b, n) VALUES (?, ?, ?, ?, ?)");
    assert_int_equal(db_bind_int64(s, 1, 1), 0);
    assert_int_equal(db_bind_int64(s, 2, INT64_MIN), 0);
    assert_int_equal(db_bind_text(s, 3, txt, -1), 0);
    assert_int_equal(db_bind_blob(s, 4, blob, sizeof blob), 0);
    assert_int_equal(db_bind_null(s, 5), 0);
    assert_int_equal(db_step(s), DB_DONE);
    assert_int_equal(db_changes(s), 1);
    db_finalize(s);
    s = prep(c, "INSERT INTO t_bind (id, i, s, b, n) VALUES (?, ?, ?, ?, ?)");
    db_bind_int64(s, 1, 2);
    db_bind_int64(s, 2, INT64_MAX);
    db_bind_text(s, 3, "部分长度xyz", 12); /* 4 CJK chars = 12 bytes: "部分长度" */
    db_bind_blob(s, 4, "", 0);            /* empty blob is not NULL */
    db_bind_text(s, 5, NULL, -1);         /* NULL text → NULL */
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);

    s = prep(c, "SELECT id, i, s, b, n FROM t_bind ORDER BY id");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_count(s), 5);
    assert_int_equal(db_col_int64(s, 0), 1);
    assert_true(db_col_int64(s, 1) == INT64_MIN);
    assert_string_equal(db_col_text(s, 2), txt);
    size_t len = 99;
    const unsigned char *b = db_col_blob(s, 3, &len);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(b, blob, sizeof blob);
    b = db_col_blob(s, 3, &len); /* second call on the same row: same bytes */
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(b, blob, sizeof blob);
    assert_true(db_col_is_null(s, 4));
    assert_null(db_col_text(s, 4));
    assert_int_equal(db_col_int64(s, 4), 0);
    assert_false(db_col_is_null(s, 2));
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_int64(s, 1) == INT64_MAX);
    assert_string_equal(db_col_text(s, 2), "部分长度");
    assert_false(db_col_is_null(s, 3));
    assert_non_null(db_col_blob(s, 3, &len));
    assert_int_equal(len, 0);
    assert_true(db_col_is_null(s, 4));
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    /* binds in WHERE: text with quotes, int64 extremes */
    s = prep(c, "SELECT id FROM t_bind WHERE s = ? AND i = ?");
    db_bind_text(s, 1, txt, -1);
    db_bind_int64(s, 2, INT64_MIN);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int64(s, 0), 1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    db_release(g_db, c);
}

static void test_row_iteration(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_rows (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
    assert_int_equal(db_begin(c), 0);
    for (int i = 1; i <= 250; i++) {
        db_stmt *s = prep(c, "INSERT INTO t_rows (id, v) VALUES (?, ?)");
        db_bind_int64(s, 1, i);
        db_bind_int64(s, 2, (int64_t)i * 1000000007LL);
        assert_int_equal(db_step(s), DB_DONE);
        db_finalize(s);
    }
    assert_int_equal(db_commit(c), 0);
    db_stmt *s = prep(c, "SELECT id, v FROM t_rows WHERE id > ? ORDER BY id");
    db_bind_int64(s, 1, 50);
    int n = 0;
    int64_t expect = 51;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        assert_int_equal(db_col_int64(s, 0), expect);
        assert_true(db_col_int64(s, 1) == expect * 1000000007LL);
        expect++;
        n++;
    }
    assert_int_equal(rc, DB_DONE);
    assert_int_equal(n, 200);
    assert_int_equal(db_step(s), DB_DONE); /* stays done */
    db_finalize(s);
    /* empty result */
    s = prep(c, "SELECT id FROM t_rows WHERE id < 0");
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    int64_t v = 7;
    assert_int_equal(db_exec_int64(c, "SELECT id FROM t_rows WHERE id < 0", &v), DB_DONE);
    assert_int_equal(v, 0);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_rows"), 250);
    assert_int_equal(one(c, "SELECT SUM(v) FROM t_rows WHERE id <= 2"), 3 * 1000000007LL);
    /* db_changes for an UPDATE touching many rows */
    s = prep(c, "UPDATE t_rows SET v = v + 1 WHERE id <= ?");
    db_bind_int64(s, 1, 10);
    assert_int_equal(db_step(s), DB_DONE);
    assert_int_equal(db_changes(s), 10);
    db_finalize(s);
    s = prep(c, "SELECT COUNT(*) FROM t_rows");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_changes(s), 0); /* not a write */
    db_finalize(s);
    /* db_exec_ids: int64 parameters only, beyond 32 bits */
    assert_int_equal(db_exec_ids(c, "UPDATE t_rows SET v = ? WHERE id BETWEEN ? AND ?", 3, (int64_t)7000000000123LL, (int64_t)20,
                                 (int64_t)22), DB_OK);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_rows WHERE v = 7000000000123"), 3);
    assert_true(db_exec_ids(c, "UPDATE no_such_table SET v = ?", 1, (int64_t)1) < 0);
    db_release(g_db, c);
}

static void test_transactions(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_tx (id BIGINT PRIMARY KEY, note TEXT)");
    assert_int_equal(db_begin(c), 0);
    assert_int_equal(db_begin(c), DB_ERROR); /* no nesting */
    ex(c, "INSERT INTO t_tx (id, note) VALUES (1, 'a')");
    db_stmt *s = prep(c, "INSERT INTO t_tx (id, note) VALUES (?, ?)");
    db_bind_int64(s, 1, 2);
    db_bind_text(s, 2, "回滚", -1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_tx"), 2); /* own writes visible */
    assert_int_equal(db_rollback(c), 0);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_tx"), 0);

    assert_int_equal(db_begin(c), 0);
    ex(c, "INSERT INTO t_tx (id, note) VALUES (3, 'kept')");
    /* another connection does not see uncommitted rows (and is not blocked reading) */
    db_conn *c2 = db_acquire(g_db);
    assert_int_equal(one(c2, "SELECT COUNT(*) FROM t_tx"), 0);
    assert_int_equal(db_commit(c), 0);
    assert_int_equal(one(c2, "SELECT COUNT(*) FROM t_tx"), 1);
    /* releasing a connection inside a transaction rolls it back */
    assert_int_equal(db_begin(c2), 0);
    ex(c2, "INSERT INTO t_tx (id, note) VALUES (4, 'lost')");
    db_release(g_db, c2);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_tx"), 1);
    /* and the writer is free again */
    assert_int_equal(db_begin(c), 0);
    assert_int_equal(db_commit(c), 0);
    assert_int_equal(db_commit(c), DB_ERROR);   /* no transaction */
    assert_int_equal(db_rollback(c), DB_ERROR); /* no transaction */
    db_release(g_db, c);
    /* reopen the store: committed data persists */
    db_close(g_db);
    char err[256];
    g_db = db_open(g_url, 4, err, sizeof err);
    assert_non_null(g_db);
    c = db_acquire(g_db);
    s = prep(c, "SELECT note FROM t_tx WHERE id = ?");
    db_bind_int64(s, 1, 3);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "kept");
    db_finalize(s);
    db_release(g_db, c);
}

static void test_constraints(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_parent (id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE)");
    ex(c, "CREATE TABLE t_child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES t_parent(id), "
          "n INTEGER NOT NULL CHECK (n >= 0))");
    ex(c, "INSERT INTO t_parent (id, code) VALUES (1, 'A')");
    db_stmt *s = prep(c, "INSERT INTO t_parent (id, code) VALUES (?, ?)");
    db_bind_int64(s, 1, 1);
    db_bind_text(s, 2, "B", -1);
    assert_int_equal(db_step(s), DB_ECONSTRAINT); /* primary key */
    assert_true(strlen(db_errmsg(c)) > 0);
    db_finalize(s);
    s = prep(c, "INSERT INTO t_parent (id, code) VALUES (?, ?)");
    db_bind_int64(s, 1, 2);
    db_bind_text(s, 2, "A", -1);
    assert_int_equal(db_step(s), DB_ECONSTRAINT); /* unique */
    db_finalize(s);
    /* inside a transaction: foreign key, then roll back */
    assert_int_equal(db_begin(c), 0);
    s = prep(c, "INSERT INTO t_child (id, parent_id, n) VALUES (?, ?, ?)");
    db_bind_int64(s, 1, 1);
    db_bind_int64(s, 2, 999);
    db_bind_int64(s, 3, 0);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finalize(s);
    assert_int_equal(db_rollback(c), 0);
    /* CHECK and NOT NULL count as constraint violations too */
    s = prep(c, "INSERT INTO t_child (id, parent_id, n) VALUES (?, ?, ?)");
    db_bind_int64(s, 1, 1);
    db_bind_int64(s, 2, 1);
    db_bind_int64(s, 3, -1);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finalize(s);
    s = prep(c, "INSERT INTO t_parent (id, code) VALUES (?, ?)");
    db_bind_int64(s, 1, 5);
    db_bind_null(s, 2);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finalize(s);
    /* a failed statement in a transaction: commit must not report success */
    assert_int_equal(db_begin(c), 0);
    ex(c, "INSERT INTO t_parent (id, code) VALUES (10, 'X')");
    s = prep(c, "INSERT INTO t_parent (id, code) VALUES (?, ?)");
    db_bind_int64(s, 1, 1);
    db_bind_text(s, 2, "dup", -1);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finalize(s);
    assert_int_equal(db_rollback(c), 0);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_parent"), 1);
    /* committing after a failed statement: PostgreSQL has aborted the transaction, so the commit must
     * not report success; SQLite keeps the earlier rows (statement-level rollback) and commits them. */
    assert_int_equal(db_begin(c), 0);
    ex(c, "INSERT INTO t_parent (id, code) VALUES (11, 'Y')");
    s = prep(c, "INSERT INTO t_parent (id, code) VALUES (?, ?)");
    db_bind_int64(s, 1, 1);
    db_bind_text(s, 2, "dup", -1);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finalize(s);
    if (db_kind(g_db) == DB_POSTGRES) {
        assert_int_equal(db_commit(c), DB_ERROR);
        assert_int_equal(one(c, "SELECT COUNT(*) FROM t_parent"), 1);
    } else {
        assert_int_equal(db_commit(c), 0);
        assert_int_equal(one(c, "SELECT COUNT(*) FROM t_parent"), 2);
    }
    /* syntax errors: prepare fails with a message, the connection stays usable */
    assert_null(db_prepare(c, "SELEKT nonsense"));
    assert_true(strlen(db_errmsg(c)) > 0);
    assert_true(db_exec(c, "CREATE TABLE") < 0);
    assert_int_equal(one(c, "SELECT 40 + 2"), 42);
    db_release(g_db, c);
}

static void test_placeholders(void **state)
{
    /* translation itself */
    int n = -1;
    char *t = db_translate_placeholders("SELECT '?', ?, 'it''s ?', \"a?\" FROM x -- why?\n"
                                        "WHERE a = ? /* ? /* nested ? */ ? */ AND b = E'\\'?' AND c = $$?$$ AND d = ?",
                                        &n);
    assert_string_equal(t, "SELECT '?', $1, 'it''s ?', \"a?\" FROM x -- why?\n"
                           "WHERE a = $2 /* ? /* nested ? */ ? */ AND b = E'\\'?' AND c = $$?$$ AND d = $3");
    assert_int_equal(n, 3);
    free(t);
    t = db_translate_placeholders("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)", &n);
    assert_string_equal(t, "INSERT INTO t VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)");
    assert_int_equal(n, 11);
    free(t);

    /* and on the store */
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_ph (id BIGINT PRIMARY KEY, a TEXT, b TEXT)");
    db_stmt *s = prep(c, "INSERT INTO t_ph (id, a, b) VALUES (?, 'lit?''?', ?) -- trailing ? comment");
    db_bind_int64(s, 1, 1);
    db_bind_text(s, 2, "值?", -1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    s = prep(c, "SELECT a, b, '?' AS q FROM t_ph WHERE b = ? /* ? */ AND id = ?");
    db_bind_text(s, 1, "值?", -1);
    db_bind_int64(s, 2, 1);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "lit?'?");
    assert_string_equal(db_col_text(s, 1), "值?");
    assert_string_equal(db_col_text(s, 2), "?");
    db_finalize(s);
    db_release(g_db, c);
}

static void test_statement_cache(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_cache (id BIGINT PRIMARY KEY, v TEXT)");
    ex(c, "INSERT INTO t_cache (id, v) VALUES (1, 'one'), (2, 'two')");
    const char *sql = "SELECT v FROM t_cache WHERE id = ?";
    db_stmt *s1 = prep(c, sql);
    db_bind_int64(s1, 1, 1);
    assert_int_equal(db_step(s1), DB_ROW);
    assert_string_equal(db_col_text(s1, 0), "one");
    /* the same text while s1 is still in use: a different statement, s1 keeps its row */
    db_stmt *s2 = prep(c, sql);
    assert_ptr_not_equal(s1, s2);
    db_bind_int64(s2, 1, 2);
    assert_int_equal(db_step(s2), DB_ROW);
    assert_string_equal(db_col_text(s2, 0), "two");
    assert_string_equal(db_col_text(s1, 0), "one");
    db_finalize(s2);
    db_finalize(s1);
    /* after finalize, the same text returns the cached statement, reset with bindings cleared */
    db_stmt *s3 = prep(c, sql);
    assert_true(s3 == s1 || s3 == s2);
    assert_int_equal(db_step(s3), DB_DONE); /* id = NULL matches nothing */
    db_finalize(s3);
    for (int i = 0; i < 100; i++) {
        db_stmt *s = prep(c, sql);
        assert_true(s == s1 || s == s2);
        db_bind_int64(s, 1, 1 + i % 2);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), i % 2 ? "two" : "one");
        db_finalize(s); /* mid-result: reset, no row left open */
    }
    /* a statement abandoned mid-iteration does not block writers (SQLite read txn ended) */
    db_stmt *r = prep(c, "SELECT id FROM t_cache ORDER BY id");
    assert_int_equal(db_step(r), DB_ROW);
    db_finalize(r);
    db_conn *w = db_acquire(g_db);
    assert_int_equal(db_begin(w), 0);
    ex(w, "UPDATE t_cache SET v = 'uno' WHERE id = 1");
    assert_int_equal(db_commit(w), 0);
    db_release(g_db, w);
    /* the cache survives a schema change elsewhere */
    ex(c, "CREATE TABLE t_cache2 (id BIGINT PRIMARY KEY)");
    db_stmt *s = prep(c, sql);
    db_bind_int64(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "uno");
    db_finalize(s);
    db_release(g_db, c);
}

static void test_returning_and_upsert(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_up (k TEXT PRIMARY KEY, v BIGINT NOT NULL, hits INTEGER NOT NULL DEFAULT 0)");
    const char *ups = "INSERT INTO t_up (k, v) VALUES (?, ?) "
                      "ON CONFLICT (k) DO UPDATE SET v = excluded.v, hits = t_up.hits + 1 RETURNING v, hits";
    for (int i = 0; i < 3; i++) {
        db_stmt *s = prep(c, ups);
        db_bind_text(s, 1, "键", -1);
        db_bind_int64(s, 2, 100 + i);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int64(s, 0), 100 + i);
        assert_int_equal(db_col_int64(s, 1), i);
        assert_int_equal(db_changes(s), 1);
        assert_int_equal(db_step(s), DB_DONE);
        db_finalize(s);
    }
    db_stmt *s = prep(c, "INSERT INTO t_up (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING");
    db_bind_text(s, 1, "键", -1);
    db_bind_int64(s, 2, 1);
    assert_int_equal(db_step(s), DB_DONE);
    assert_int_equal(db_changes(s), 0);
    db_finalize(s);
    s = prep(c, "INSERT INTO t_up (k, v) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING k");
    db_bind_text(s, 1, "键", -1);
    db_bind_int64(s, 2, 1);
    assert_int_equal(db_step(s), DB_DONE); /* nothing inserted, nothing returned */
    db_finalize(s);
    /* RETURNING from UPDATE / DELETE, several rows */
    ex(c, "INSERT INTO t_up (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)");
    s = prep(c, "UPDATE t_up SET v = v * 10 WHERE k IN (?, ?) RETURNING k, v");
    db_bind_text(s, 1, "a", -1);
    db_bind_text(s, 2, "c", -1);
    int64_t sum = 0;
    int rows = 0;
    while (db_step(s) == DB_ROW) { sum += db_col_int64(s, 1); rows++; }
    assert_int_equal(rows, 2);
    assert_int_equal(sum, 40);
    assert_int_equal(db_changes(s), 2);
    db_finalize(s);
    s = prep(c, "DELETE FROM t_up WHERE k = ? RETURNING v");
    db_bind_text(s, 1, "b", -1);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int64(s, 0), 2);
    db_finalize(s);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_up"), 3);
    db_release(g_db, c);
}

static int last_version(void)
{
    int v = 0;
    for (const struct migration *m = zx_migrations; m->version; m++) v = m->version;
    return v;
}

static void test_migrations(void **state)
{
    char err[512] = "";
    int rc = db_migrate(g_db, err, sizeof err);
    if (rc != 0) fail_msg("[%s] db_migrate: %s", g_store, err);
    int v = db_schema_version(g_db);
    assert_int_equal(v, last_version());
    assert_true(v >= 1);
    rc = db_migrate(g_db, err, sizeof err); /* idempotent */
    if (rc != 0) fail_msg("[%s] second db_migrate: %s", g_store, err);
    assert_int_equal(db_schema_version(g_db), v);
    db_conn *c = db_acquire(g_db);
    int nmig = 0;
    for (const struct migration *m = zx_migrations; m->version; m++) nmig++;
    assert_int_equal(one(c, "SELECT COUNT(*) FROM schema_migrations"), nmig);
    /* 001 platform schema works: seed row, FK, unique */
    assert_int_equal(one(c, "SELECT seq FROM audit_head WHERE id = 1"), 0);
    ex(c, "INSERT INTO court (id, code, name, level) VALUES (1, '辽', '辽宁省高级人民法院', 2)");
    assert_int_equal(db_exec(c, "INSERT INTO court (id, code, name, level) VALUES (2, '辽', 'dup', 3)"), DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "INSERT INTO court (id, code, name, level) VALUES (3, '辽9', 'bad level', 9)"),
                     DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "INSERT INTO team (id, court_id, name) VALUES (1, 42, 'x')"), DB_ECONSTRAINT);
    db_release(g_db, c);
}

struct worker_arg {
    int id;
    int failures;
};

#define THREADS 8
#define TXNS 200

static void *worker(void *p)
{
    struct worker_arg *a = p;
    for (int i = 0; i < TXNS; i++) {
        db_conn *c = db_acquire(g_db);
        int rc = db_begin(c);
        if (rc == 0) {
            db_stmt *s = db_prepare(c, "UPDATE t_counter SET n = n + 1 WHERE id = 1");
            rc = s ? db_step(s) : DB_ERROR;
            db_finalize(s);
            if (rc == DB_DONE) {
                s = db_prepare(c, "INSERT INTO t_counter_log (id, worker) VALUES (?, ?)");
                db_bind_int64(s, 1, (int64_t)a->id * 100000 + i);
                db_bind_int64(s, 2, a->id);
                rc = s ? db_step(s) : DB_ERROR;
                db_finalize(s);
            }
            if (rc == DB_DONE) rc = db_commit(c);
            else db_rollback(c);
        }
        if (rc != 0) {
            fprintf(stderr, "[%s] worker %d txn %d: rc %d %s\n", g_store, a->id, i, rc, db_errmsg(c));
            a->failures++;
        }
        /* interleave an autocommit read */
        if (i % 10 == 0) {
            int64_t v;
            if (db_exec_int64(c, "SELECT n FROM t_counter WHERE id = 1", &v) != 0) a->failures++;
        }
        db_release(g_db, c);
    }
    return NULL;
}

static void test_pool_concurrency(void **state)
{
    db_conn *c = db_acquire(g_db);
    ex(c, "CREATE TABLE t_counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
    ex(c, "CREATE TABLE t_counter_log (id BIGINT PRIMARY KEY, worker INTEGER NOT NULL)");
    ex(c, "INSERT INTO t_counter (id, n) VALUES (1, 0)");
    db_release(g_db, c);
    int64_t waits0;
    db_pool_stats(g_db, NULL, NULL, &waits0);
    pthread_t th[THREADS];
    struct worker_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (struct worker_arg){.id = i};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < THREADS; i++) assert_int_equal(args[i].failures, 0);
    c = db_acquire(g_db);
    assert_int_equal(one(c, "SELECT n FROM t_counter WHERE id = 1"), THREADS * TXNS);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM t_counter_log"), THREADS * TXNS);
    db_release(g_db, c);
    int size, in_use;
    int64_t waits;
    db_pool_stats(g_db, &size, &in_use, &waits);
    assert_int_equal(size, 4);
    assert_int_equal(in_use, 0);
    assert_true(waits > waits0); /* 8 threads on 4 connections had to wait */
    printf("[%s] pool: %d threads x %d txns, %lld waits\n", g_store, THREADS, TXNS, (long long)(waits - waits0));
}

/* Two pools migrating at once (two "server processes" starting together) apply each migration once. */
static char g_fresh_url[1024];

static void *migrator(void *p)
{
    char err[256];
    db_t *d = db_open(g_fresh_url, 2, err, sizeof err);
    if (!d) {
        fprintf(stderr, "[%s] concurrent migrate: open: %s\n", g_store, err);
        return (void *)1;
    }
    int rc = db_migrate(d, err, sizeof err);
    if (rc != 0) fprintf(stderr, "[%s] concurrent migrate: %s\n", g_store, err);
    db_close(d);
    return (void *)(intptr_t)(rc != 0);
}

/* Run f on a fresh, empty store: a new file (SQLite) or a new schema (PostgreSQL). */
static void test_concurrent_migrate(void **state)
{
    char fresh_schema[80] = "";
    if (db_kind(g_db) == DB_SQLITE) {
        snprintf(g_fresh_url, sizeof g_fresh_url, "sqlite:%s/fresh.db", g_tmpdir);
    } else {
        snprintf(fresh_schema, sizeof fresh_schema, "%s_m", g_pg_schema);
        db_conn *c = db_acquire(g_db);
        char sql[300];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", fresh_schema, fresh_schema);
        ex(c, sql);
        db_release(g_db, c);
        snprintf(g_fresh_url, sizeof g_fresh_url, "%s%coptions=-csearch_path%%3D%s", g_pg_base,
                 strchr(g_pg_base, '?') ? '&' : '?', fresh_schema);
    }
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, migrator, NULL);
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad += (int)(intptr_t)r;
    }
    assert_int_equal(bad, 0);
    char err[256];
    db_t *d = db_open(g_fresh_url, 1, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(db_schema_version(d), last_version());
    db_conn *c = db_acquire(d);
    int nmig = 0;
    for (const struct migration *m = zx_migrations; m->version; m++) nmig++;
    assert_int_equal(one(c, "SELECT COUNT(*) FROM schema_migrations"), nmig);
    assert_int_equal(one(c, "SELECT COUNT(*) FROM audit_head"), 1); /* seed row inserted once */
    db_release(d, c);
    db_close(d);
    if (db_kind(g_db) == DB_SQLITE) {
        const char *suffix[] = {"", "-wal", "-shm"};
        char p[600];
        for (int i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s/fresh.db%s", g_tmpdir, suffix[i]);
            unlink(p);
        }
    } else {
        c = db_acquire(g_db);
        char sql[160];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", fresh_schema);
        ex(c, sql);
        db_release(g_db, c);
    }
}

/* A connection killed under us: DB_ECONN, and the pool resets it on release. */
static void test_connection_loss(void **state)
{
    if (db_kind(g_db) != DB_POSTGRES) {
        /* SQLite has no server; check pool stats bookkeeping instead */
        db_conn *a = db_acquire(g_db), *b = db_acquire(g_db);
        int size, in_use;
        db_pool_stats(g_db, &size, &in_use, NULL);
        assert_int_equal(in_use, 2);
        db_release(g_db, a);
        db_release(g_db, b);
        db_pool_stats(g_db, &size, &in_use, NULL);
        assert_int_equal(in_use, 0);
        return;
    }
    db_conn *victim = db_acquire(g_db);
    int64_t pid = one(victim, "SELECT pg_backend_pid()");
    db_stmt *s = prep(victim, "SELECT ? + 1");
    db_finalize(s);
    db_conn *killer = db_acquire(g_db);
    db_stmt *k = prep(killer, "SELECT pg_terminate_backend(CAST(? AS INTEGER))");
    db_bind_int64(k, 1, pid);
    assert_int_equal(db_step(k), DB_ROW);
    db_finalize(k);
    db_release(g_db, killer);
    usleep(100 * 1000);
    s = db_prepare(victim, "SELECT CAST(? AS BIGINT) + 1"); /* new text: needs a round trip */
    int rc = s ? db_step(s) : DB_ECONN;
    if (s) db_finalize(s);
    assert_int_equal(rc, DB_ECONN);
    db_release(g_db, victim); /* resets the connection */
    /* every pooled connection works again */
    db_conn *cs[4];
    for (int i = 0; i < 4; i++) cs[i] = db_acquire(g_db);
    for (int i = 0; i < 4; i++) {
        s = prep(cs[i], "SELECT CAST(? AS BIGINT) + 1");
        db_bind_int64(s, 1, 41);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int64(s, 0), 42);
        db_finalize(s);
    }
    for (int i = 0; i < 4; i++) db_release(g_db, cs[i]);
}

/* SQLite WAL checkpoints: without the background checkpointer the committing connection folds the WAL
 * back (SQLite's auto-checkpoint, through our WAL hook); with it, the background thread does — either
 * way the WAL file stays bounded while 40 MB are written in 400 commits. No-op on PostgreSQL. */
static off_t wal_size(void)
{
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s/t.db-wal", g_tmpdir);
    return stat(p, &st) == 0 ? st.st_size : 0;
}
static void write_blobs(int n)
{
    db_conn *c = db_acquire(g_db);
    static char blob[100 * 1024];
    for (int i = 0; i < n; i++) {
        blob[0] = (char)i;
        assert_int_equal(db_begin(c), 0);
        db_stmt *s = prep(c, "INSERT INTO wal_t (b) VALUES (?)");
        db_bind_blob(s, 1, blob, sizeof blob);
        assert_int_equal(db_step(s), DB_DONE);
        db_finalize(s);
        assert_int_equal(db_commit(c), 0);
        if (i % 20 == 19) usleep(5000);
    }
    db_release(g_db, c);
}
static void test_wal_checkpoints(void **state)
{
    if (db_kind(g_db) != DB_SQLITE) {
        assert_int_equal(db_checkpointer_start(g_db), 0); /* no-op */
        db_checkpointer_stop(g_db);
        return;
    }
    db_conn *c = db_acquire(g_db);
    assert_int_equal(db_exec(c, "CREATE TABLE wal_t (b BLOB)"), 0);
    db_release(g_db, c);
    write_blobs(400);
    assert_true(wal_size() < (off_t)16 << 20); /* the committing connections checkpointed */
    assert_int_equal(db_checkpointer_start(g_db), 0);
    int64_t before = db_checkpointer_runs();
    write_blobs(400);
    for (int i = 0; i < 40 && db_checkpointer_runs() == before; i++) usleep(50000);
    assert_true(db_checkpointer_runs() > before); /* the background thread did */
    assert_true(wal_size() < (off_t)16 << 20);
    db_checkpointer_stop(g_db);
    c = db_acquire(g_db);
    assert_int_equal(db_exec(c, "DROP TABLE wal_t"), 0);
    db_release(g_db, c);
}

#define TESTS                                                                                                          \
    cmocka_unit_test(test_open_dispatch), cmocka_unit_test(test_binds_roundtrip),                                   \
        cmocka_unit_test(test_row_iteration), cmocka_unit_test(test_transactions),                                   \
        cmocka_unit_test(test_constraints), cmocka_unit_test(test_placeholders),                                     \
        cmocka_unit_test(test_statement_cache), cmocka_unit_test(test_returning_and_upsert),                         \
        cmocka_unit_test(test_migrations), cmocka_unit_test(test_pool_concurrency),                                  \
        cmocka_unit_test(test_concurrent_migrate), cmocka_unit_test(test_connection_loss),                           \
        cmocka_unit_test(test_wal_checkpoints)

int main(void)
{
    const struct CMUnitTest tests[] = {TESTS};
    int failed = cmocka_run_group_tests_name("db_sqlite", tests, setup_sqlite, teardown_sqlite);
    g_pg_base = getenv("ZX_TEST_PG_URL");
    if (g_pg_base && *g_pg_base) {
        failed += cmocka_run_group_tests_name("db_postgresql", tests, setup_pg, teardown_pg);
        printf("test_db: stores tested: SQLite, PostgreSQL (%s)\n", g_pg_base);
    } else {
        printf("test_db: stores tested: SQLite; PostgreSQL skipped (set ZX_TEST_PG_URL, e.g. from "
               "scripts/pg-temp.sh start DIR)\n");
    }
    return failed ? 1 : 0;
}
