/* db_internal.h — shared between db.c (pool, cache, dispatch) and the two drivers. Not for callers. */
#ifndef ZX_DB_INTERNAL_H
#define ZX_DB_INTERNAL_H
#include "store/db.h"
#include <pthread.h>
#include <stdbool.h>

#define DB_ERRLEN 512

struct db_driver;

/* One cached statement. The common part is used by db.c; drv points at the driver's own state. */
struct db_stmt {
    db_conn *conn;
    char *sql;             /* cache key: the SQL text exactly as given to db_prepare */
    unsigned hash;
    bool in_use;           /* handed out by db_prepare, not yet finalized */
    struct db_stmt *next;  /* bucket chain */
    void *drv;
};

#define DB_STMT_BUCKETS 128

struct db_conn {
    db_t *db;
    void *drv;                       /* sqlite3 * / PGconn * wrapper */
    bool in_tx;
    bool holds_writer;               /* SQLite: this connection holds db->writer */
    bool broken;                     /* PostgreSQL: connection lost, reset on release */
    bool dropping;                   /* whole cache being dropped with the session: no DEALLOCATE */
    struct db_stmt *cache[DB_STMT_BUCKETS];
    int64_t stmt_counter;            /* PostgreSQL: names for prepared statements */
    char err[DB_ERRLEN];
};

struct db {
    enum db_kind kind;
    const struct db_driver *drv;
    char *target;                    /* path (SQLite) or libpq conninfo/URI (PostgreSQL) */
    pthread_mutex_t mu;              /* pool */
    pthread_cond_t cv;
    int size;                        /* max connections */
    int opened;                      /* connections opened (or being opened) */
    int in_use;
    int64_t waits;
    db_conn **free_list;             /* stack of idle connections */
    int nfree;
    db_conn **all;                   /* every opened connection (for close) */
    int nall;
    pthread_mutex_t writer;          /* SQLite: single writer */
};

struct db_driver {
    /* Open the connection c->drv for c->db->target. 0 or < 0 with c->err filled. */
    int (*connect)(db_conn *c);
    void (*disconnect)(db_conn *c);
    /* true if the connection is usable (PostgreSQL: PQstatus OK). */
    bool (*alive)(db_conn *c);
    /* Reconnect in place after a loss (all prepared statements are gone). */
    int (*reconnect)(db_conn *c);
    int (*exec)(db_conn *c, const char *sql);
    /* Prepare s->sql (already translated for PostgreSQL: sql argument) into s->drv. */
    int (*prepare)(db_stmt *s, const char *sql, int nparams);
    void (*destroy)(db_stmt *s);
    void (*reset)(db_stmt *s);   /* reset + clear bindings + drop results */
    int (*bind_int64)(db_stmt *s, int idx, int64_t v);
    int (*bind_text)(db_stmt *s, int idx, const char *v, int len);
    int (*bind_blob)(db_stmt *s, int idx, const void *v, size_t len);
    int (*bind_null)(db_stmt *s, int idx);
    int (*step)(db_stmt *s);
    int (*col_count)(db_stmt *s);
    int (*col_is_null)(db_stmt *s, int col);
    int64_t (*col_int64)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col);
    const void *(*col_blob)(db_stmt *s, int col, size_t *len);
    int64_t (*changes)(db_stmt *s);
};

extern const struct db_driver zx_db_sqlite_driver;
extern const struct db_driver zx_db_postgres_driver;

/* Set c->err (printf-style). */
void db_set_err(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Translate '?' placeholders to $1..$n outside string literals, quoted identifiers and comments.
 * Returns a malloc'd string; *nparams receives n. */
char *db_translate_placeholders(const char *sql, int *nparams);
/* SQLite single-writer lock, per db_t. */
int db_writer_lock(db_conn *c); /* 0 or DB_EBUSY after a long wait */
void db_writer_unlock(db_conn *c);
#endif
