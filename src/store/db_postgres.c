/* db_postgres.c — PostgreSQL driver over libpq: named prepared statements per connection,
 * text parameters (blobs binary), text results (BYTEA decoded on db_col_blob). */
#include "store/db_internal.h"
#include "core/log.h"
#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTEAOID 17
#define BOOLOID 16

struct pg_stmt {
    char name[32];
    int nparams;
    char **vals;
    int *lens;
    int *fmts;
    PGresult *res;
    int row, nrows;
    bool executed;
    int64_t changes;
    unsigned char **blobs; /* decoded BYTEA per column of the current row */
    size_t *bloblens;
    int nblobs;
};

#define PC(c) ((PGconn *)(c)->drv)
#define PS(s) ((struct pg_stmt *)(s)->drv)

static void set_pg_err(db_conn *c, const char *prefix, const char *msg)
{
    db_set_err(c, "%s%s", prefix, msg && *msg ? msg : "unknown error");
    size_t n = strlen(c->err);
    while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' ')) c->err[--n] = 0;
}

/* Map a failed result (or NULL: a client-side failure) to a DB_E* code. */
static int pg_fail(db_conn *c, const PGresult *r)
{
    set_pg_err(c, "postgres: ", r ? PQresultErrorMessage(r) : PQerrorMessage(PC(c)));
    if (PQstatus(PC(c)) != CONNECTION_OK) {
        c->broken = true;
        return DB_ECONN;
    }
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!st) return r ? DB_ERROR : DB_ECONN;
    if (strncmp(st, "23", 2) == 0) return DB_ECONSTRAINT;
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0) return DB_EBUSY;
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "57P0", 4) == 0) {
        c->broken = true;
        return DB_ECONN;
    }
    return DB_ERROR;
}

static void notice_sink(void *arg, const char *msg) { LOG_DEBUG("postgres notice: %s", msg); }

static int setup(db_conn *c)
{
    PGconn *pc = PC(c);
    PQsetNoticeProcessor(pc, notice_sink, NULL);
    if (PQsetClientEncoding(pc, "UTF8") != 0) return pg_fail(c, NULL);
    PGresult *r = PQexec(pc, "SET statement_timeout = 30000");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(c, r);
    PQclear(r);
    return rc;
}

static int pg_connect(db_conn *c)
{
    PGconn *pc = PQconnectdb(c->db->target);
    if (!pc) {
        db_set_err(c, "postgres: out of memory");
        return DB_ECONN;
    }
    if (PQstatus(pc) != CONNECTION_OK) {
        set_pg_err(c, "postgres: cannot connect: ", PQerrorMessage(pc));
        PQfinish(pc);
        return DB_ECONN;
    }
    c->drv = pc;
    int rc = setup(c);
    if (rc != 0) {
        PQfinish(pc);
        c->drv = NULL;
        return DB_ECONN;
    }
    return 0;
}

static void pg_disconnect(db_conn *c)
{
    if (c->drv) PQfinish(PC(c));
    c->drv = NULL;
}

static bool pg_alive(db_conn *c) { return c->drv && PQstatus(PC(c)) == CONNECTION_OK; }

static int pg_reconnect(db_conn *c)
{
    if (!c->drv) return pg_connect(c);
    PQreset(PC(c));
    if (PQstatus(PC(c)) != CONNECTION_OK) {
        set_pg_err(c, "postgres: reconnect failed: ", PQerrorMessage(PC(c)));
        return DB_ECONN;
    }
    return setup(c) == 0 ? 0 : DB_ECONN;
}

static int pg_exec(db_conn *c, const char *sql)
{
    PGresult *r = PQexec(PC(c), sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        rc = pg_fail(c, r);
    } else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction that already failed: the server rolled it back. */
        db_set_err(c, "postgres: transaction had failed and was rolled back");
        rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

static int pg_prepare(db_stmt *s, const char *sql, int nparams)
{
    db_conn *c = s->conn;
    struct pg_stmt *ps = calloc(1, sizeof *ps);
    if (!ps) zx_die("out of memory");
    snprintf(ps->name, sizeof ps->name, "zx%" PRId64, ++c->stmt_counter);
    ps->nparams = nparams;
    if (nparams > 0) {
        ps->vals = calloc((size_t)nparams, sizeof *ps->vals);
        ps->lens = calloc((size_t)nparams, sizeof *ps->lens);
        ps->fmts = calloc((size_t)nparams, sizeof *ps->fmts);
        if (!ps->vals || !ps->lens || !ps->fmts) zx_die("out of memory");
    }
    PGresult *r = PQprepare(PC(c), ps->name, sql, nparams, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_fail(c, r);
        PQclear(r);
        free(ps->vals);
        free(ps->lens);
        free(ps->fmts);
        free(ps);
        return DB_ERROR;
    }
    PQclear(r);
    ps->row = -1;
    s->drv = ps;
    return 0;
}

static void free_blobs(struct pg_stmt *ps)
{
    for (int i = 0; i < ps->nblobs; i++) {
        if (ps->blobs[i]) PQfreemem(ps->blobs[i]);
        ps->blobs[i] = NULL;
    }
}

static void pg_reset(db_stmt *s)
{
    struct pg_stmt *ps = PS(s);
    free_blobs(ps);
    if (ps->res) PQclear(ps->res);
    ps->res = NULL;
    ps->row = -1;
    ps->nrows = 0;
    ps->executed = false;
    ps->changes = 0;
    for (int i = 0; i < ps->nparams; i++) {
        free(ps->vals[i]);
        ps->vals[i] = NULL;
        ps->lens[i] = 0;
        ps->fmts[i] = 0;
    }
}

static void pg_destroy(db_stmt *s)
{
    if (!s->drv) return;
    struct pg_stmt *ps = PS(s);
    pg_reset(s);
    db_conn *c = s->conn;
    /* Evicted from a live connection: drop it server-side too (not possible inside a failed
     * transaction; the name is then leaked until the session ends, which is harmless). */
    if (!c->dropping && pg_alive(c) && PQtransactionStatus(PC(c)) != PQTRANS_INERROR) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", ps->name);
        PQclear(PQexec(PC(c), sql));
    }
    free(ps->blobs);
    free(ps->bloblens);
    free(ps->vals);
    free(ps->lens);
    free(ps->fmts);
    free(ps);
    s->drv = NULL;
}

static int check_idx(db_stmt *s, int idx)
{
    if (idx < 1 || idx > PS(s)->nparams) {
        db_set_err(s->conn, "postgres bind: index %d out of range (statement has %d parameters)", idx, PS(s)->nparams);
        return DB_ERROR;
    }
    free(PS(s)->vals[idx - 1]);
    PS(s)->vals[idx - 1] = NULL;
    return 0;
}

static int pg_bind_int64(db_stmt *s, int idx, int64_t v)
{
    if (check_idx(s, idx)) return DB_ERROR;
    char *b = malloc(24);
    if (!b) zx_die("out of memory");
    snprintf(b, 24, "%" PRId64, v);
    PS(s)->vals[idx - 1] = b;
    PS(s)->fmts[idx - 1] = 0;
    return 0;
}

static int pg_bind_text(db_stmt *s, int idx, const char *v, int len)
{
    if (check_idx(s, idx)) return DB_ERROR;
    char *b = malloc((size_t)len + 1);
    if (!b) zx_die("out of memory");
    memcpy(b, v, (size_t)len);
    b[len] = 0;
    PS(s)->vals[idx - 1] = b;
    PS(s)->fmts[idx - 1] = 0;
    return 0;
}

static int pg_bind_blob(db_stmt *s, int idx, const void *v, size_t len)
{
    if (check_idx(s, idx)) return DB_ERROR;
    if (len > INT32_MAX) {
        db_set_err(s->conn, "postgres bind: blob too large");
        return DB_ERROR;
    }
    char *b = malloc(len ? len : 1);
    if (!b) zx_die("out of memory");
    memcpy(b, v, len);
    PS(s)->vals[idx - 1] = b;
    PS(s)->lens[idx - 1] = (int)len;
    PS(s)->fmts[idx - 1] = 1; /* binary */
    return 0;
}

static int pg_bind_null(db_stmt *s, int idx)
{
    if (check_idx(s, idx)) return DB_ERROR;
    PS(s)->fmts[idx - 1] = 0;
    return 0;
}

static bool is_dml(const char *tag)
{
    return strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 || strncmp(tag, "DELETE", 6) == 0 ||
           strncmp(tag, "MERGE", 5) == 0;
}

static int pg_step(db_stmt *s)
{
    struct pg_stmt *ps = PS(s);
    db_conn *c = s->conn;
    if (!ps->executed) {
        ps->executed = true;
        ps->res = PQexecPrepared(PC(c), ps->name, ps->nparams, (const char *const *)ps->vals, ps->lens, ps->fmts, 0);
        ExecStatusType st = PQresultStatus(ps->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            int rc = pg_fail(c, ps->res);
            PQclear(ps->res);
            ps->res = NULL;
            return rc;
        }
        const char *tag = PQcmdStatus(ps->res);
        ps->changes = is_dml(tag) ? strtoll(PQcmdTuples(ps->res), NULL, 10) : 0;
        ps->nrows = st == PGRES_TUPLES_OK ? PQntuples(ps->res) : 0;
        int nf = PQnfields(ps->res);
        if (nf > ps->nblobs) {
            free_blobs(ps);
            free(ps->blobs);
            free(ps->bloblens);
            ps->blobs = calloc((size_t)nf, sizeof *ps->blobs);
            ps->bloblens = calloc((size_t)nf, sizeof *ps->bloblens);
            if (!ps->blobs || !ps->bloblens) zx_die("out of memory");
            ps->nblobs = nf;
        }
        ps->row = -1;
    }
    free_blobs(ps);
    if (ps->row + 1 < ps->nrows) {
        ps->row++;
        return DB_ROW;
    }
    ps->row = ps->nrows;
    return DB_DONE;
}

static bool on_row(db_stmt *s, int col)
{
    struct pg_stmt *ps = PS(s);
    return ps->res && ps->row >= 0 && ps->row < ps->nrows && col >= 0 && col < PQnfields(ps->res);
}

static int pg_col_count(db_stmt *s) { return PS(s)->res ? PQnfields(PS(s)->res) : 0; }

static int pg_col_is_null(db_stmt *s, int col)
{
    return !on_row(s, col) || PQgetisnull(PS(s)->res, PS(s)->row, col);
}

static int64_t pg_col_int64(db_stmt *s, int col)
{
    if (pg_col_is_null(s, col)) return 0;
    const char *v = PQgetvalue(PS(s)->res, PS(s)->row, col);
    if (PQftype(PS(s)->res, col) == BOOLOID) return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt *s, int col)
{
    if (pg_col_is_null(s, col)) return NULL;
    return PQgetvalue(PS(s)->res, PS(s)->row, col);
}

static const void *pg_col_blob(db_stmt *s, int col, size_t *len)
{
    struct pg_stmt *ps = PS(s);
    *len = 0;
    if (pg_col_is_null(s, col)) return NULL;
    const char *v = PQgetvalue(ps->res, ps->row, col);
    if (PQftype(ps->res, col) != BYTEAOID) {
        *len = (size_t)PQgetlength(ps->res, ps->row, col);
        return v;
    }
    if (!ps->blobs[col]) {
        ps->blobs[col] = PQunescapeBytea((const unsigned char *)v, &ps->bloblens[col]);
        if (!ps->blobs[col]) zx_die("out of memory");
    }
    *len = ps->bloblens[col];
    return ps->blobs[col];
}

static int64_t pg_changes(db_stmt *s) { return PS(s)->changes; }

const struct db_driver zx_db_postgres_driver = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .alive = pg_alive,
    .reconnect = pg_reconnect,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .destroy = pg_destroy,
    .reset = pg_reset,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_count = pg_col_count,
    .col_is_null = pg_col_is_null,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
};
