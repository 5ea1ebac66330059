/* db_sqlite.c — SQLite driver: WAL, synchronous=FULL, foreign keys, busy timeout, one writer
 * (the writer mutex lives in db.c; autocommit writes take it too, for the length of the statement). */
#include "store/db_internal.h"
#include "core/log.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

struct sq_stmt {
    sqlite3_stmt *st;
    bool readonly;
    bool holds_writer; /* took the writer lock for an autocommit write */
    bool done;         /* DB_DONE or error seen: further steps stay done (no implicit re-run) */
    int64_t changes;
};

#define H(c) ((sqlite3 *)(c)->drv)
#define SS(s) ((struct sq_stmt *)(s)->drv)

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_EBUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB: return DB_ECONN;
    default: return DB_ERROR;
    }
}

static int fail(db_conn *c, int rc)
{
    db_set_err(c, "sqlite: %s (%d)", H(c) ? sqlite3_errmsg(H(c)) : sqlite3_errstr(rc),
               H(c) ? sqlite3_extended_errcode(H(c)) : rc);
    return map_rc(rc);
}

/* Before SQLite initialises: no allocation statistics. Debian's build has no lookaside
 * (SQLITE_OMIT_LOOKASIDE), so every row step allocates, and with statistics on each allocation
 * takes one process-wide mutex: two threads aggregating 1M cases took 470 ms each instead of 290
 * (docs/BENCHMARKS.md, case flow). */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static void sq_global_init(void)
{
    int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (rc != SQLITE_OK) LOG_WARN("sqlite: cannot turn allocation statistics off (%s)", sqlite3_errstr(rc));
}

/* ---- WAL checkpoints ------------------------------------------------------------------------------
 * SQLite's own auto-checkpoint runs in the connection whose commit pushed the WAL past 1,000 pages,
 * right after that commit: the committing thread copies the pages into the database file and fsyncs
 * before its caller sees the commit return — and db.c's writer mutex is still held, so every other
 * writer waits too (a bid's acknowledgement, a filing). The server moves that work to one background
 * thread with its own connection (db_checkpointer_start): every connection's WAL hook only wakes it.
 * Elsewhere (CLI, tests without a server) the hook does what SQLite's auto-checkpoint does. */
#define CKPT_PAGES 1000 /* SQLite's default auto-checkpoint threshold */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t tid;
    _Atomic bool on, kicked;
    _Atomic int64_t runs; /* background checkpoints that copied frames */
    bool stop, started;
    char *target;
} CK = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
    (void)arg;
    if (pages < CKPT_PAGES) return SQLITE_OK;
    if (atomic_load_explicit(&CK.on, memory_order_acquire)) {
        if (!atomic_exchange(&CK.kicked, true)) {
            pthread_mutex_lock(&CK.mu);
            pthread_cond_signal(&CK.cv);
            pthread_mutex_unlock(&CK.mu);
        }
        return SQLITE_OK;
    }
    sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL); /* = wal_autocheckpoint */
    return SQLITE_OK;
}

static void *ck_main(void *arg)
{
    sqlite3 *h = arg;
    pthread_mutex_lock(&CK.mu);
    while (!CK.stop) {
        if (!atomic_load(&CK.kicked)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1; /* also once a second: a WAL below the threshold is folded in while idle */
            pthread_cond_timedwait(&CK.cv, &CK.mu, &ts);
        }
        if (CK.stop) break;
        atomic_store(&CK.kicked, false);
        pthread_mutex_unlock(&CK.mu);
        int nlog = 0, ncopied = 0;
        int rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, &nlog, &ncopied);
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) LOG_WARN("sqlite: background checkpoint: %s", sqlite3_errmsg(h));
        if (rc == SQLITE_OK && ncopied > 0) atomic_fetch_add(&CK.runs, 1);
        pthread_mutex_lock(&CK.mu);
    }
    pthread_mutex_unlock(&CK.mu);
    sqlite3_close(h);
    return NULL;
}

int db_checkpointer_start(db_t *db)
{
    if (db->kind != DB_SQLITE || CK.started) return 0;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(db->target, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(h, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        LOG_WARN("sqlite: no background checkpointer (%s): commits checkpoint themselves", h ? sqlite3_errmsg(h) : "open");
        sqlite3_close(h);
        return 0;
    }
    sqlite3_busy_timeout(h, 1000);
    CK.stop = false;
    atomic_store(&CK.kicked, false);
    if (pthread_create(&CK.tid, NULL, ck_main, h) != 0) {
        sqlite3_close(h);
        return 0;
    }
    CK.started = true;
    atomic_store_explicit(&CK.on, true, memory_order_release);
    return 0;
}

int64_t db_checkpointer_runs(void) { return atomic_load(&CK.runs); }

void db_checkpointer_stop(db_t *db)
{
    (void)db;
    if (!CK.started) return;
    atomic_store_explicit(&CK.on, false, memory_order_release); /* commits checkpoint themselves again */
    pthread_mutex_lock(&CK.mu);
    CK.stop = true;
    pthread_cond_signal(&CK.cv);
    pthread_mutex_unlock(&CK.mu);
    pthread_join(CK.tid, NULL);
    CK.started = false;
}

static int sq_connect(db_conn *c)
{
    pthread_once(&sq_once, sq_global_init);
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(c->db->target, &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_set_err(c, "sqlite: cannot open %s: %s", c->db->target, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return DB_ECONN;
    }
    c->drv = h;
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 5000);
    /* journal_mode answers with the mode actually in force: insist on WAL. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    /* Switching a new file to WAL while other connections open it can answer SQLITE_BUSY without
     * calling the busy handler: retry for up to the busy timeout (5 s). */
    for (int tries = 0; rc == SQLITE_OK; tries++) {
        rc = sqlite3_step(st);
        if ((rc & 0xff) != SQLITE_BUSY || tries >= 500) break;
        sqlite3_reset(st);
        sqlite3_sleep(10);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
        db_set_err(c, "sqlite: cannot enable WAL on %s: %s", c->db->target, sqlite3_errmsg(h));
        sqlite3_finalize(st);
        sqlite3_close(h);
        c->drv = NULL;
        return DB_ECONN;
    }
    sqlite3_finalize(st);
    char *msg = NULL;
    /* mmap: pages are read from the shared OS page cache without a pread per page (the inquiry outbox
     * reads many rows per transaction — docs/BENCHMARKS.md, issue 12).
     * temp_store=MEMORY: statement journals (a statement inside a transaction that may fail half-way —
     * inserts firing the case_search FTS5 triggers, foreign-key checks) stay in memory instead of
     * spilling past 64 KiB to a /var/tmp file: `init --demo` wrote ~750,000 pages (4 KiB + a 4-byte
     * page number each) to such files against ~1,200 to the WAL (strace, rules9c). The VDBE sorter
     * (index builds, large ORDER BY) still spills to temp files on disk, so memory stays bounded. */
    rc = sqlite3_exec(h, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456;"
                         " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;", NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_err(c, "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close(h);
        c->drv = NULL;
        return DB_ECONN;
    }
    sqlite3_wal_hook(h, wal_hook, NULL); /* checkpoints: see above */
    return 0;
}

static void sq_disconnect(db_conn *c)
{
    if (c->drv) sqlite3_close_v2(H(c));
    c->drv = NULL;
}

static bool sq_alive(db_conn *c) { return c->drv != NULL; }

static int sq_reconnect(db_conn *c)
{
    sq_disconnect(c);
    return sq_connect(c);
}

static int sq_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(H(c), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_err(c, "sqlite: %s", msg ? msg : sqlite3_errmsg(H(c)));
        sqlite3_free(msg);
        return map_rc(sqlite3_extended_errcode(H(c)));
    }
    return 0;
}

static int sq_prepare(db_stmt *s, const char *sql, int nparams)
{
    db_conn *c = s->conn;
    struct sq_stmt *ss = calloc(1, sizeof *ss);
    if (!ss) zx_die("out of memory");
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(H(c), sql, -1, SQLITE_PREPARE_PERSISTENT, &ss->st, &tail);
    if (rc != SQLITE_OK || !ss->st) {
        if (rc == SQLITE_OK) db_set_err(c, "sqlite: empty statement");
        else fail(c, rc);
        sqlite3_finalize(ss->st);
        free(ss);
        return DB_ERROR;
    }
    while (tail && *tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';')) tail++;
    if (tail && *tail) {
        db_set_err(c, "sqlite: db_prepare takes one statement; trailing text: %.40s", tail);
        sqlite3_finalize(ss->st);
        free(ss);
        return DB_ERROR;
    }
    ss->readonly = sqlite3_stmt_readonly(ss->st) != 0;
    s->drv = ss;
    return 0;
}

static void drop_writer(db_stmt *s)
{
    struct sq_stmt *ss = SS(s);
    if (ss->holds_writer) {
        ss->holds_writer = false;
        if (!s->conn->in_tx) db_writer_unlock(s->conn);
    }
}

static void sq_destroy(db_stmt *s)
{
    if (!s->drv) return;
    drop_writer(s);
    sqlite3_finalize(SS(s)->st);
    free(s->drv);
    s->drv = NULL;
}

static void sq_reset(db_stmt *s)
{
    struct sq_stmt *ss = SS(s);
    sqlite3_reset(ss->st);
    sqlite3_clear_bindings(ss->st);
    ss->changes = 0;
    ss->done = false;
    drop_writer(s);
}

static int bind_rc(db_stmt *s, int rc)
{
    if (rc == SQLITE_OK) return 0;
    db_set_err(s->conn, "sqlite bind: %s", sqlite3_errstr(rc));
    return DB_ERROR;
}

static int sq_bind_int64(db_stmt *s, int idx, int64_t v) { return bind_rc(s, sqlite3_bind_int64(SS(s)->st, idx, v)); }
static int sq_bind_text(db_stmt *s, int idx, const char *v, int len)
{
    return bind_rc(s, sqlite3_bind_text(SS(s)->st, idx, v, len, SQLITE_TRANSIENT));
}
static int sq_bind_blob(db_stmt *s, int idx, const void *v, size_t len)
{
    return bind_rc(s, sqlite3_bind_blob64(SS(s)->st, idx, v, len, SQLITE_TRANSIENT));
}
static int sq_bind_null(db_stmt *s, int idx) { return bind_rc(s, sqlite3_bind_null(SS(s)->st, idx)); }

static int sq_step(db_stmt *s)
{
    struct sq_stmt *ss = SS(s);
    db_conn *c = s->conn;
    if (ss->done) return DB_DONE;
    if (!ss->readonly && !c->in_tx && !c->holds_writer) {
        int lrc = db_writer_lock(c);
        if (lrc != 0) return lrc;
        ss->holds_writer = true;
    }
    int rc = sqlite3_step(ss->st);
    if (rc == SQLITE_ROW) {
        /* RETURNING: sqlite3_changes() is only updated when the statement completes; until then
         * count the returned rows (one per changed row). */
        if (!ss->readonly) ss->changes++;
        return DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        if (!ss->readonly) ss->changes = sqlite3_changes64(H(c));
        ss->done = true;
        drop_writer(s);
        return DB_DONE;
    }
    int out = fail(c, rc);
    sqlite3_reset(ss->st);
    ss->done = true;
    drop_writer(s);
    return out;
}

static int sq_col_count(db_stmt *s) { return sqlite3_column_count(SS(s)->st); }
static int sq_col_is_null(db_stmt *s, int col) { return sqlite3_column_type(SS(s)->st, col) == SQLITE_NULL; }
static int64_t sq_col_int64(db_stmt *s, int col) { return sqlite3_column_int64(SS(s)->st, col); }
static const char *sq_col_text(db_stmt *s, int col) { return (const char *)sqlite3_column_text(SS(s)->st, col); }
static const void *sq_col_blob(db_stmt *s, int col, size_t *len)
{
    sqlite3_stmt *st = SS(s)->st;
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        *len = 0;
        return NULL;
    }
    const void *p = sqlite3_column_blob(st, col);
    *len = (size_t)sqlite3_column_bytes(st, col);
    return p ? p : "";
}
static int64_t sq_changes(db_stmt *s) { return SS(s)->changes; }

const struct db_driver zx_db_sqlite_driver = {
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .alive = sq_alive,
    .reconnect = sq_reconnect,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .destroy = sq_destroy,
    .reset = sq_reset,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_is_null = sq_col_is_null,
    .col_int64 = sq_col_int64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .changes = sq_changes,
};
