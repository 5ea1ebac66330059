/* migrate.c — apply the embedded migrations (src/store/migrations/NNN_name.sql) in order, each in its
 * own write transaction, recorded in schema_migrations. Concurrent starters serialise: SQLite through
 * the single-writer lock (BEGIN IMMEDIATE), PostgreSQL through a transaction-level advisory lock. */
#include "store/db_internal.h"
#include "store/migrations.h"
#include "core/ids.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Advisory lock key for migrations ("zxmigrat" as ASCII, fits in a signed 64-bit). */
#define MIGRATE_LOCK_SQL "SELECT pg_advisory_xact_lock(8825496307813015924)"
#define VERSION_SQL "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"

static int begin_locked(db_conn *c)
{
    int rc = db_begin(c);
    if (rc != 0) return rc;
    if (db_kind(c->db) == DB_POSTGRES && (rc = db_exec(c, MIGRATE_LOCK_SQL)) != 0) {
        db_rollback(c);
        return rc;
    }
    return 0;
}

/* The dialect switch of migrations (the only place SQL differs by store): lines after a line
 * "-- @sqlite" run only on SQLite, after "-- @postgres" only on PostgreSQL, after "-- @both" on both
 * (the default). Used for what has no common dialect: SQLite FTS5 virtual tables, PostgreSQL
 * extensions (pg_trgm), trigger bodies. Returns a malloc'd copy holding this store's lines. */
static char *dialect_sql(const char *sql, enum db_kind kind)
{
    size_t n = strlen(sql);
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    int keep = 1;
    for (const char *p = sql; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p + 1) : strlen(p);
        if (!strncmp(p, "-- @sqlite", 10)) keep = kind == DB_SQLITE;
        else if (!strncmp(p, "-- @postgres", 12)) keep = kind == DB_POSTGRES;
        else if (!strncmp(p, "-- @both", 8)) keep = 1;
        else if (keep) {
            memcpy(out + o, p, len);
            o += len;
        }
        p += len;
    }
    out[o] = 0;
    return out;
}

static int fail(db_conn *c, int rc, const char *what, char *err, size_t errlen)
{
    if (err && errlen) snprintf(err, errlen, "%s: %s", what, db_errmsg(c));
    if (c->in_tx) db_rollback(c);
    return rc < 0 ? rc : DB_ERROR;
}

int db_migrate(db_t *db, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    db_conn *c = db_acquire(db);
    int rc = begin_locked(c);
    if (rc != 0) {
        rc = fail(c, rc, "migrate: begin", err, errlen);
        db_release(db, c);
        return rc;
    }
    rc = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version BIGINT PRIMARY KEY, name TEXT, applied_ms BIGINT)");
    if (rc == 0) rc = db_commit(c);
    if (rc != 0) {
        rc = fail(c, rc, "migrate: schema_migrations", err, errlen);
        db_release(db, c);
        return rc;
    }
    int prev = 0;
    for (const struct migration *m = zx_migrations; m->version; m++) {
        if (m->version <= prev) {
            if (err && errlen) snprintf(err, errlen, "migrate: %s out of order or duplicate version", m->name);
            db_release(db, c);
            return DB_ERROR;
        }
        prev = m->version;
        if ((rc = begin_locked(c)) != 0) break;
        /* Each version on its own (not "≤ the highest applied"): the team's migrations land on main in
         * any order, so a store may hold 046 before 045 arrives — 045 must still be applied. */
        int64_t applied = 0;
        char q[96];
        snprintf(q, sizeof q, "SELECT COUNT(*) FROM schema_migrations WHERE version = %d", m->version);
        if ((rc = db_exec_int64(c, q, &applied)) < 0) break;
        if (applied) {
            db_rollback(c); /* nothing written */
            continue;
        }
        char *sql = dialect_sql(m->sql, db_kind(c->db));
        if (!sql) { rc = DB_ERROR; break; }
        rc = db_exec(c, sql);
        free(sql);
        if (rc != 0) break;
        db_stmt *s = db_prepare(c, "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)");
        if (!s) { rc = DB_ERROR; break; }
        db_bind_int64(s, 1, m->version);
        db_bind_text(s, 2, m->name, -1);
        db_bind_int64(s, 3, zx_now_ms());
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) break;
        if ((rc = db_commit(c)) != 0) break;
        LOG_INFO("db: applied migration %s", m->name);
        rc = 0;
    }
    if (rc != 0) {
        /* name the failed migration: the first one above the stored version */
        int64_t v = 0;
        if (c->in_tx) db_rollback(c);
        char msg[DB_ERRLEN];
        snprintf(msg, sizeof msg, "%s", db_errmsg(c));
        db_exec_int64(c, VERSION_SQL, &v);
        const char *name = "?";
        for (const struct migration *m = zx_migrations; m->version; m++)
            if (m->version > v) { name = m->name; break; }
        if (err && errlen) snprintf(err, errlen, "migration %s failed: %s", name, msg);
        db_release(db, c);
        return rc < 0 ? rc : DB_ERROR;
    }
    db_release(db, c);
    return 0;
}

int db_schema_version(db_t *db)
{
    db_conn *c = db_acquire(db);
    int64_t v = 0;
    if (db_exec_int64(c, VERSION_SQL, &v) < 0) v = 0; /* no schema_migrations yet */
    db_release(db, c);
    return (int)v;
}
