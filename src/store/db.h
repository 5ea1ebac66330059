/* db.h — the one small storage interface over SQLite and PostgreSQL.
 *
 * SQL is written once, in the common dialect (see docs/ARCHITECTURE.md "SQL dialect"):
 *   - placeholders are '?' (translated to $1.. for PostgreSQL in one place, outside string literals);
 *   - types: BIGINT, INTEGER (0/1 for booleans), TEXT, BYTEA (blobs); no SERIAL — ids come from zx_id_new();
 *   - INSERT … ON CONFLICT … DO UPDATE/NOTHING and … RETURNING are allowed (SQLite ≥ 3.35, PG ≥ 9.5).
 *   - the one dialect switch is in migrations: "-- @sqlite" / "-- @postgres" / "-- @both" lines pick
 *     the statements each store runs (migrate.c), for DDL with no common form — e.g. migration 018's
 *     text index, an FTS5 trigram table on SQLite and a pg_trgm GIN index on PostgreSQL, both read by
 *     the same query ("WHERE doc LIKE ?", see src/api/cases.c search).
 *
 * Concurrency: a db_t is a pool. A thread takes a connection with db_acquire() and gives it back with
 * db_release(). db_begin() opens a *write* transaction: on SQLite it takes the process-wide writer
 * mutex and runs BEGIN IMMEDIATE (one writer, WAL readers in parallel); on PostgreSQL it is BEGIN.
 * Readers without db_begin() run in autocommit mode.
 *
 * Errors: functions return 0 (or DB_ROW/DB_DONE) on success and a negative DB_E* code on failure;
 * db_errmsg() has the driver's text. Unique/foreign-key violations are DB_ECONSTRAINT.
 */
#ifndef ZX_DB_H
#define ZX_DB_H
#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum db_kind { DB_SQLITE = 1, DB_POSTGRES = 2 };

#define DB_OK 0
#define DB_ROW 1
#define DB_DONE 2
#define DB_ERROR (-1)
#define DB_ECONSTRAINT (-2)
#define DB_EBUSY (-3)
#define DB_ECONN (-4)

/* Open a store by URL: "sqlite:PATH" (or a path ending in .db) or "postgresql://…"/"postgres://…"
 * (any libpq URI, e.g. postgresql:///zx?host=/tmp/pg). pool_size ≥ 1 connections, opened lazily.
 * On failure returns NULL and writes a message into err. */
db_t *db_open(const char *url, int pool_size, char *err, size_t errlen);
void db_close(db_t *db);
/* SQLite: WAL checkpoints move from the committing connections (SQLite's auto-checkpoint, which
 * copies and fsyncs right after the commit that crossed 1,000 WAL pages, the writer still waiting)
 * to one background thread (the server). No-op on PostgreSQL; stop before db_close. */
int db_checkpointer_start(db_t *db);
void db_checkpointer_stop(db_t *db);
int64_t db_checkpointer_runs(void); /* background checkpoints that copied pages (tests, metrics) */
enum db_kind db_kind(const db_t *db);
enum db_kind db_conn_kind(const db_conn *c); /* the store a connection belongs to */
int db_in_tx(const db_conn *c);              /* inside db_begin() … db_commit()/db_rollback() */
/* Pool statistics for /metrics. */
void db_pool_stats(db_t *db, int *size, int *in_use, int64_t *waits);

/* Borrow / return a connection. db_acquire blocks while all are in use. Never returns NULL
 * (dies if the store is unreachable at first connect — checked by db_open). */
db_conn *db_acquire(db_t *db);
/* A connection if one is free (or may still be opened) now, else NULL: for optional parallel work
 * by a thread that already holds a connection. */
db_conn *db_try_acquire(db_t *db);
void db_release(db_t *db, db_conn *c);

/* Transactions. db_begin = write transaction (see above). A connection released inside a
 * transaction is rolled back. */
int db_begin(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);

/* Run one or more statements without parameters (DDL, migrations). */
int db_exec(db_conn *c, const char *sql);

/* Prepared statements. Statements are cached per connection by SQL text: db_prepare on the same
 * text returns the cached statement reset and with bindings cleared. db_finalize() gives it back to
 * the cache (it does not destroy it). Indexes: binds are 1-based, columns 0-based. */
db_stmt *db_prepare(db_conn *c, const char *sql);
int db_bind_int64(db_stmt *s, int idx, int64_t v);
int db_bind_text(db_stmt *s, int idx, const char *v, int len); /* len < 0: strlen; v NULL → NULL */
int db_bind_blob(db_stmt *s, int idx, const void *v, size_t len);
int db_bind_null(db_stmt *s, int idx);
/* Execute / advance. Returns DB_ROW when a row is available, DB_DONE when finished, < 0 on error. */
int db_step(db_stmt *s);
int db_col_count(db_stmt *s);
int db_col_is_null(db_stmt *s, int col);
int64_t db_col_int64(db_stmt *s, int col);         /* NULL → 0 */
const char *db_col_text(db_stmt *s, int col);      /* NULL → NULL; valid until next step/finalize */
const void *db_col_blob(db_stmt *s, int col, size_t *len);
/* Rows changed by the last executed INSERT/UPDATE/DELETE of this statement. */
int64_t db_changes(db_stmt *s);
void db_finalize(db_stmt *s);
/* Make a statement ready to run again (new binds) without giving it back to the cache: a hot loop keeps
 * one statement instead of looking it up by its text per row. db_finalize when done. */
void db_reset(db_stmt *s);

const char *db_errmsg(db_conn *c);

/* Convenience: run a statement with no result rows / fetch one int64 (first column of first row).
 * Both take a printf-free SQL and binds done by the caller through db_prepare — these helpers are for
 * parameterless SQL only. */
int db_exec_int64(db_conn *c, const char *sql, int64_t *out);
/* Run one statement without result rows whose n parameters are all int64 (pass int64_t values: the
 * variadic arguments are read as int64_t). DB_OK or < 0. */
int db_exec_ids(db_conn *c, const char *sql, int n, ...);

/* Migrations (store/migrate.c): apply every embedded migration whose version is above the stored
 * schema version, each in its own transaction; idempotent. Returns 0 or < 0 with err filled. */
int db_migrate(db_t *db, char *err, size_t errlen);
int db_schema_version(db_t *db);
#endif
