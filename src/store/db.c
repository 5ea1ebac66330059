/* db.c — URL dispatch, connection pool, statement cache, placeholder translation, transactions.
 * The drivers (db_sqlite.c, db_postgres.c) only talk to their library; everything shared is here. */
#include "store/db_internal.h"
#include "core/log.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_STMT_CACHE_MAX 512 /* per connection; beyond this idle statements are dropped */

void db_set_err(db_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

const char *db_errmsg(db_conn *c) { return c ? c->err : "no connection"; }

/* ---------- placeholder translation ('?' → $n), PostgreSQL only ---------- */

static bool ident_char(char ch) { return isalnum((unsigned char)ch) || ch == '_' || (unsigned char)ch >= 0x80; }

char *db_translate_placeholders(const char *sql, int *nparams)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 6 + 1); /* '?' → "$NNNNN" at most */
    if (!out) zx_die("out of memory");
    size_t i = 0, o = 0;
    int n = 0;
    while (i < len) {
        char ch = sql[i];
        if (ch == '\'') {
            /* string literal; '' is an escaped quote; E'…' also allows backslash escapes */
            bool esc = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident_char(sql[i - 2]));
            out[o++] = sql[i++];
            while (i < len) {
                if (esc && sql[i] == '\\' && i + 1 < len) { out[o++] = sql[i++]; out[o++] = sql[i++]; continue; }
                if (sql[i] == '\'') {
                    out[o++] = sql[i++];
                    if (i < len && sql[i] == '\'') { out[o++] = sql[i++]; continue; }
                    break;
                }
                out[o++] = sql[i++];
            }
        } else if (ch == '"') {
            out[o++] = sql[i++];
            while (i < len && sql[i] != '"') out[o++] = sql[i++];
            if (i < len) out[o++] = sql[i++];
        } else if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n') out[o++] = sql[i++];
        } else if (ch == '/' && i + 1 < len && sql[i + 1] == '*') {
            int depth = 0; /* PostgreSQL block comments nest */
            do {
                if (sql[i] == '/' && i + 1 < len && sql[i + 1] == '*') { depth++; out[o++] = sql[i++]; out[o++] = sql[i++]; }
                else if (sql[i] == '*' && i + 1 < len && sql[i + 1] == '/') { depth--; out[o++] = sql[i++]; out[o++] = sql[i++]; }
                else out[o++] = sql[i++];
            } while (i < len && depth > 0);
        } else if (ch == '$' && (i == 0 || !ident_char(sql[i - 1]))) {
            /* dollar quoting: $tag$ … $tag$ */
            size_t j = i + 1;
            while (j < len && (isalnum((unsigned char)sql[j]) || sql[j] == '_')) j++;
            if (j < len && sql[j] == '$' && !(j > i + 1 && isdigit((unsigned char)sql[i + 1]))) {
                size_t taglen = j - i + 1;
                const char *p = sql + j + 1, *close = NULL;
                while ((p = strchr(p, '$')) != NULL) {
                    if (strncmp(p, sql + i, taglen) == 0) { close = p; break; }
                    p++;
                }
                size_t stop = close ? (size_t)(close - sql) + taglen : len;
                while (i < stop) out[o++] = sql[i++];
            } else {
                out[o++] = sql[i++];
            }
        } else if (ch == '?') {
            o += (size_t)sprintf(out + o, "$%d", ++n);
            i++;
        } else {
            out[o++] = sql[i++];
        }
    }
    out[o] = 0;
    if (nparams) *nparams = n;
    return out;
}

/* ---------- SQLite writer lock ---------- */

#define DB_WRITER_WAIT_S 30

int db_writer_lock(db_conn *c)
{
    if (c->db->kind != DB_SQLITE || c->holds_writer) return 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DB_WRITER_WAIT_S;
    /* Timed: a thread that already holds the writer through another connection would otherwise
     * wait forever. */
    if (pthread_mutex_timedlock(&c->db->writer, &until) != 0) {
        db_set_err(c, "SQLite writer lock not obtained within %d s", DB_WRITER_WAIT_S);
        return DB_EBUSY;
    }
    c->holds_writer = true;
    return 0;
}

void db_writer_unlock(db_conn *c)
{
    if (c->db->kind != DB_SQLITE) return;
    if (c->holds_writer) {
        c->holds_writer = false;
        pthread_mutex_unlock(&c->db->writer);
    }
}

/* ---------- statement cache ---------- */

static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int cache_count(db_conn *c)
{
    int n = 0;
    for (int b = 0; b < DB_STMT_BUCKETS; b++)
        for (db_stmt *s = c->cache[b]; s; s = s->next) n++;
    return n;
}

static void stmt_free(db_stmt *s)
{
    s->conn->db->drv->destroy(s);
    free(s->sql);
    free(s);
}

/* Drop cached statements; with idle_only, those handed out stay. */
static void cache_clear(db_conn *c, bool idle_only)
{
    c->dropping = !idle_only;
    for (int b = 0; b < DB_STMT_BUCKETS; b++) {
        db_stmt **pp = &c->cache[b];
        while (*pp) {
            db_stmt *s = *pp;
            if (idle_only && s->in_use) { pp = &s->next; continue; }
            *pp = s->next;
            stmt_free(s);
        }
    }
    c->dropping = false;
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    unsigned h = hash_sql(sql);
    db_stmt **bucket = &c->cache[h % DB_STMT_BUCKETS];
    for (db_stmt *s = *bucket; s; s = s->next) {
        if (s->hash == h && !s->in_use && strcmp(s->sql, sql) == 0) {
            c->db->drv->reset(s);
            s->in_use = true;
            return s;
        }
    }
    if (cache_count(c) >= DB_STMT_CACHE_MAX) cache_clear(c, true);
    db_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->sql = strdup(sql))) zx_die("out of memory");
    s->conn = c;
    s->hash = h;
    int rc;
    if (c->db->kind == DB_POSTGRES) {
        int n = 0;
        char *t = db_translate_placeholders(sql, &n);
        rc = c->db->drv->prepare(s, t, n);
        free(t);
    } else {
        rc = c->db->drv->prepare(s, sql, -1);
    }
    if (rc != 0) {
        free(s->sql);
        free(s);
        return NULL;
    }
    s->in_use = true;
    bucket = &c->cache[h % DB_STMT_BUCKETS];
    s->next = *bucket;
    *bucket = s;
    return s;
}

void db_reset(db_stmt *s)
{
    if (s) s->conn->db->drv->reset(s);
}

void db_finalize(db_stmt *s)
{
    if (!s) return;
    s->conn->db->drv->reset(s);
    s->in_use = false;
}

int db_bind_int64(db_stmt *s, int idx, int64_t v) { return s->conn->db->drv->bind_int64(s, idx, v); }
int db_bind_text(db_stmt *s, int idx, const char *v, int len)
{
    if (!v) return s->conn->db->drv->bind_null(s, idx);
    return s->conn->db->drv->bind_text(s, idx, v, len < 0 ? (int)strlen(v) : len);
}
int db_bind_blob(db_stmt *s, int idx, const void *v, size_t len)
{
    if (!v && len == 0) v = "";
    if (!v) return s->conn->db->drv->bind_null(s, idx);
    return s->conn->db->drv->bind_blob(s, idx, v, len);
}
int db_bind_null(db_stmt *s, int idx) { return s->conn->db->drv->bind_null(s, idx); }
int db_step(db_stmt *s) { return s->conn->db->drv->step(s); }
int db_col_count(db_stmt *s) { return s->conn->db->drv->col_count(s); }
int db_col_is_null(db_stmt *s, int col) { return s->conn->db->drv->col_is_null(s, col); }
int64_t db_col_int64(db_stmt *s, int col) { return s->conn->db->drv->col_int64(s, col); }
const char *db_col_text(db_stmt *s, int col) { return s->conn->db->drv->col_text(s, col); }
const void *db_col_blob(db_stmt *s, int col, size_t *len)
{
    size_t dummy;
    return s->conn->db->drv->col_blob(s, col, len ? len : &dummy);
}
int64_t db_changes(db_stmt *s) { return s->conn->db->drv->changes(s); }

int db_exec_int64(db_conn *c, const char *sql, int64_t *out)
{
    if (out) *out = 0;
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        if (out) *out = db_col_int64(s, 0);
        rc = DB_OK;
    }
    db_finalize(s);
    return rc; /* DB_OK, DB_DONE (no row) or < 0 */
}

int db_exec_ids(db_conn *c, const char *sql, int n, ...)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    va_list ap;
    va_start(ap, n);
    for (int i = 1; i <= n; i++) db_bind_int64(s, i, va_arg(ap, int64_t));
    va_end(ap);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* ---------- transactions ---------- */

int db_exec(db_conn *c, const char *sql)
{
    bool lock = c->db->kind == DB_SQLITE && !c->in_tx && !c->holds_writer; /* autocommit: one writer */
    if (lock && db_writer_lock(c) != 0) return DB_EBUSY;
    int rc = c->db->drv->exec(c, sql);
    if (lock) db_writer_unlock(c);
    return rc;
}

int db_begin(db_conn *c)
{
    if (c->in_tx) {
        db_set_err(c, "db_begin: already in a transaction");
        return DB_ERROR;
    }
    int rc;
    if (c->db->kind == DB_SQLITE) {
        if ((rc = db_writer_lock(c)) != 0) return rc;
        rc = c->db->drv->exec(c, "BEGIN IMMEDIATE");
        if (rc != 0) db_writer_unlock(c);
    } else {
        rc = c->db->drv->exec(c, "BEGIN");
    }
    if (rc == 0) c->in_tx = true;
    return rc;
}

int db_commit(db_conn *c)
{
    if (!c->in_tx) {
        db_set_err(c, "db_commit: no transaction");
        return DB_ERROR;
    }
    int rc = c->db->drv->exec(c, "COMMIT");
    if (rc != 0) {
        /* SQLite keeps the transaction open when COMMIT fails; end it so the writer lock is freed. */
        char keep[DB_ERRLEN];
        memcpy(keep, c->err, sizeof keep);
        c->db->drv->exec(c, "ROLLBACK");
        memcpy(c->err, keep, sizeof keep);
    }
    c->in_tx = false;
    db_writer_unlock(c);
    return rc;
}

int db_rollback(db_conn *c)
{
    if (!c->in_tx) {
        db_set_err(c, "db_rollback: no transaction");
        return DB_ERROR;
    }
    int rc = c->db->drv->exec(c, "ROLLBACK");
    c->in_tx = false;
    db_writer_unlock(c);
    return rc;
}

/* ---------- pool ---------- */

static db_conn *conn_open(db_t *db, char *err, size_t errlen)
{
    db_conn *c = calloc(1, sizeof *c);
    if (!c) zx_die("out of memory");
    c->db = db;
    if (db->drv->connect(c) != 0) {
        if (err) snprintf(err, errlen, "%s", c->err);
        free(c);
        return NULL;
    }
    return c;
}

static void conn_close(db_conn *c)
{
    cache_clear(c, false);
    c->db->drv->disconnect(c);
    free(c);
}

db_t *db_open(const char *url, int pool_size, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (!url) {
        if (err) snprintf(err, errlen, "no database URL");
        return NULL;
    }
    enum db_kind kind;
    const char *target;
    size_t ulen = strlen(url);
    if (strncmp(url, "sqlite://", 9) == 0) { kind = DB_SQLITE; target = url + 9; }
    else if (strncmp(url, "sqlite:", 7) == 0) { kind = DB_SQLITE; target = url + 7; }
    else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) { kind = DB_POSTGRES; target = url; }
    else if (ulen > 3 && strcmp(url + ulen - 3, ".db") == 0) { kind = DB_SQLITE; target = url; }
    else {
        if (err) snprintf(err, errlen, "unsupported database URL (use sqlite:PATH or postgresql://…): %s", url);
        return NULL;
    }
    if (!*target) {
        if (err) snprintf(err, errlen, "empty database path in URL");
        return NULL;
    }
    if (pool_size < 1) pool_size = 1;
    db_t *db = calloc(1, sizeof *db);
    if (!db) zx_die("out of memory");
    db->kind = kind;
    db->drv = kind == DB_SQLITE ? &zx_db_sqlite_driver : &zx_db_postgres_driver;
    db->target = strdup(target);
    db->size = pool_size;
    db->free_list = calloc((size_t)pool_size, sizeof *db->free_list);
    db->all = calloc((size_t)pool_size, sizeof *db->all);
    if (!db->target || !db->free_list || !db->all) zx_die("out of memory");
    pthread_mutex_init(&db->mu, NULL);
    pthread_cond_init(&db->cv, NULL);
    pthread_mutex_init(&db->writer, NULL);
    /* Connect once now so an unreachable store is reported here, not in db_acquire. */
    db_conn *c = conn_open(db, err, errlen);
    if (!c) {
        pthread_mutex_destroy(&db->mu);
        pthread_cond_destroy(&db->cv);
        pthread_mutex_destroy(&db->writer);
        free(db->free_list);
        free(db->all);
        free(db->target);
        free(db);
        return NULL;
    }
    db->opened = 1;
    db->all[db->nall++] = c;
    db->free_list[db->nfree++] = c;
    return db;
}

void db_close(db_t *db)
{
    if (!db) return;
    for (int i = 0; i < db->nall; i++) conn_close(db->all[i]);
    pthread_mutex_destroy(&db->mu);
    pthread_cond_destroy(&db->cv);
    pthread_mutex_destroy(&db->writer);
    free(db->free_list);
    free(db->all);
    free(db->target);
    free(db);
}

enum db_kind db_kind(const db_t *db) { return db->kind; }
enum db_kind db_conn_kind(const db_conn *c) { return c->db->kind; }
int db_in_tx(const db_conn *c) { return c->in_tx; }

void db_pool_stats(db_t *db, int *size, int *in_use, int64_t *waits)
{
    pthread_mutex_lock(&db->mu);
    if (size) *size = db->size;
    if (in_use) *in_use = db->in_use;
    if (waits) *waits = db->waits;
    pthread_mutex_unlock(&db->mu);
}

static void remove_from_all(db_t *db, db_conn *c)
{
    for (int i = 0; i < db->nall; i++)
        if (db->all[i] == c) { db->all[i] = db->all[--db->nall]; break; }
}

/* Make sure a connection works before it is handed out; reconnect if it was lost. */
static bool conn_ensure(db_conn *c)
{
    if (!c->broken && c->db->drv->alive(c)) return true;
    cache_clear(c, false);
    c->in_tx = false;
    db_writer_unlock(c);
    if (c->db->drv->reconnect(c) != 0) return false;
    c->broken = false;
    return true;
}

db_conn *db_acquire(db_t *db)
{
    pthread_mutex_lock(&db->mu);
    for (;;) {
        if (db->nfree > 0) {
            db_conn *c = db->free_list[--db->nfree];
            db->in_use++;
            pthread_mutex_unlock(&db->mu);
            if (conn_ensure(c)) return c;
            LOG_WARN("db: reconnect failed: %s", c->err);
            pthread_mutex_lock(&db->mu);
            db->in_use--;
            db->opened--;
            remove_from_all(db, c);
            pthread_mutex_unlock(&db->mu);
            conn_close(c);
            pthread_mutex_lock(&db->mu);
            continue;
        }
        if (db->opened < db->size) {
            db->opened++;
            db->in_use++;
            pthread_mutex_unlock(&db->mu);
            char err[DB_ERRLEN] = "";
            db_conn *c = NULL;
            for (int attempt = 0; attempt < 5 && !c; attempt++) {
                if (attempt) nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
                c = conn_open(db, err, sizeof err);
            }
            if (!c) zx_die("db: cannot open a connection: %s", err);
            pthread_mutex_lock(&db->mu);
            db->all[db->nall++] = c;
            pthread_mutex_unlock(&db->mu);
            return c;
        }
        db->waits++;
        pthread_cond_wait(&db->cv, &db->mu);
    }
}

db_conn *db_try_acquire(db_t *db)
{
    pthread_mutex_lock(&db->mu);
    bool can = db->nfree > 0 || db->opened < db->size;
    pthread_mutex_unlock(&db->mu);
    /* A connection freed or taken between the check and db_acquire at worst makes this wait for the
     * next release, never forever: the caller holds at most one other connection. */
    return can ? db_acquire(db) : NULL;
}

void db_release(db_t *db, db_conn *c)
{
    if (!c) return;
    /* Statements the caller forgot to finalize go back to the cache. */
    for (int b = 0; b < DB_STMT_BUCKETS; b++)
        for (db_stmt *s = c->cache[b]; s; s = s->next)
            if (s->in_use) db_finalize(s);
    if (c->in_tx) db_rollback(c);
    db_writer_unlock(c);
    if (c->broken || !db->drv->alive(c)) {
        /* Connection lost (PostgreSQL): reset it now; prepared statements died with it. */
        cache_clear(c, false);
        if (db->drv->reconnect(c) == 0) c->broken = false;
        else c->broken = true; /* retried on next acquire */
    }
    pthread_mutex_lock(&db->mu);
    db->free_list[db->nfree++] = c;
    db->in_use--;
    pthread_cond_signal(&db->cv);
    pthread_mutex_unlock(&db->mu);
}
