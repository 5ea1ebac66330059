/* indicators.c — 执行质效指标 (issue 4 §8). One aggregate SQL per request; see docs/INDICATORS.md
 * for every definition and the SQL text. */
#include "case/indicators.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/log.h"
#include "core/ids.h"

/* Implementation-class cases only (首次执行 执, 恢复执行 执恢, 财产保全执行 执保); review-class cases
 * (执异/执复/执监/执协/执他) have no enforcement outcome and are not counted. */
#define IND_TYPES "('执','执恢','执保')"

/* The main aggregate: three branches joined by UNION ALL, each an index range scan of
 * enf_case_ind_court, each yielding one row of the 12 sums (per court with group_by):
 *   (a) closed in the range      closed_on >= from AND closed_on <= to  — all the closure measures;
 *   (b) closed after the range   closed_on > to   (and filed_on <= to)  — only carried_over / new;
 *   (c) still open               closed_on IS NULL (and filed_on <= to) — only carried_over / new.
 * Together they are exactly the received cases; the C side adds the rows up. Only (a) evaluates the
 * closure expressions, and cases closed before `from` are never read. */
static size_t branch_where(char *sql, size_t cap, const zx_ind_query *q, const char *closed_cond)
{
    size_t n = (size_t)snprintf(sql, cap, " FROM enf_case WHERE type_code IN " IND_TYPES " AND filed_on <= ?%s"
                                " AND court_id IN (", q->handler_id > 0 ? " AND handler_id = ?" : "");
    for (int i = 0; i < q->ncourts && n + 4 < cap; i++) {
        if (i) sql[n++] = ',';
        sql[n++] = '?';
    }
    n += (size_t)snprintf(sql + n, cap - n, ") AND %s", closed_cond);
    return n;
}

static char *build_sql(const zx_ind_query *q, bool by_court)
{
    size_t cap = 6144 + (size_t)q->ncourts * 6;
    char *sql = malloc(cap);
    if (!sql) return NULL;
    const char *pre = by_court ? "court_id, " : "";
    const char *grp = by_court ? " GROUP BY court_id" : "";
    size_t n = (size_t)snprintf(sql, cap,
        "SELECT %s"
        "SUM(CASE WHEN filed_on < ? THEN 1 ELSE 0 END),"                                   /* carried_over */
        "COUNT(*),"                                                          /* rows: new = rows − carried */
        "1,"                                                              /* this branch: rows are closed */
        "SUM(CASE WHEN closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),"
        "SUM(CASE WHEN closure_mode = 'interim_closure' THEN 1 ELSE 0 END),"
        "SUM(CASE WHEN closed_on <= limit_date THEN 1 ELSE 0 END),"
        "SUM(has_assets),"                                                    /* 0 or 1 (bool; import checks) */
        "SUM(CASE WHEN has_assets = 1 AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),"
        "SUM(CASE WHEN has_assets = 1 AND closed_on <= limit_date"
        "          AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),"
        "SUM(CASE WHEN closure_mode = 'interim_closure' AND gate_passed = 1 THEN 1 ELSE 0 END),"
        "SUM(claim_fen), SUM(recovered_fen)", pre);
    n += branch_where(sql + n, cap - n, q, "closed_on >= ? AND closed_on <= ?");
    for (int part = 0; part < 2; part++) {
        n += (size_t)snprintf(sql + n, cap - n, "%s UNION ALL SELECT %s"
                              "SUM(CASE WHEN filed_on < ? THEN 1 ELSE 0 END),"
                              "COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0",
                              grp, pre);
        n += branch_where(sql + n, cap - n, q, part == 0 ? "closed_on > ?" : "closed_on IS NULL");
    }
    snprintf(sql + n, cap - n, "%s", grp);
    return sql;
}

#define IND_NSUMS 12

static int bind_query(db_stmt *s, const zx_ind_query *q, int i)
{
    char from[11], to[11];
    zx_date_format(q->from, from);
    zx_date_format(q->to, to);
    for (int part = 0; part < 3; part++) {
        db_bind_text(s, i++, from, -1); /* carried_over */
        db_bind_text(s, i++, to, -1);   /* filed_on <= to */
        if (q->handler_id > 0) db_bind_int64(s, i++, q->handler_id);
        for (int k = 0; k < q->ncourts; k++) db_bind_int64(s, i++, q->courts[k]);
        if (part == 0) {
            db_bind_text(s, i++, from, -1);
            db_bind_text(s, i++, to, -1);
        } else if (part == 1) {
            db_bind_text(s, i++, to, -1);
        }
    }
    return i;
}

static void read_counts(db_stmt *s, int col, zx_ind_counts *k)
{
    int64_t v[IND_NSUMS];
    for (int i = 0; i < IND_NSUMS; i++) v[i] = db_col_int64(s, col + i);
    /* v[1] = rows of the branch, v[2] = 1 for the branch of cases closed in the range (a) */
    k->carried_over = v[0];
    k->new_ = v[1] - v[0];
    k->closed = v[2] ? v[1] : 0;
    k->closed_actual = v[3];
    k->closed_interim = v[4];
    k->closed_on_time = v[5];
    k->asset_closed = v[6];
    k->asset_actual = v[7];
    k->asset_actual_on_time = v[8];
    k->interim_compliant = v[9];
    k->claim_fen = v[10];
    k->recovered_fen = v[11];
}

static int compute_one(db_conn *c, const zx_ind_query *q, zx_ind_counts *out)
{
    memset(out, 0, sizeof *out);
    if (q->ncourts <= 0) return 0;
    char *sql = build_sql(q, false);
    if (!sql) return DB_ERROR;
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    bind_query(s, q, 1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zx_ind_counts k;
        read_counts(s, 0, &k);
        zx_ind_add(out, &k);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

static int by_court_one(db_conn *c, const zx_ind_query *q,
                        void (*cb)(int64_t court_id, const zx_ind_counts *k, void *arg), void *arg)
{
    if (q->ncourts <= 0) return 0;
    char *sql = build_sql(q, true);
    if (!sql) return DB_ERROR;
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    bind_query(s, q, 1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) { /* up to three rows per court: cb adds them up */
        zx_ind_counts k;
        read_counts(s, 1, &k);
        cb(db_col_int64(s, 0), &k, arg);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Trend: one grouped query returns buckets (month filed or "before from", month closed or "open /
 * after to", closure mode, has_assets, on time, gate passed) with their count and sums; each month's
 * window is then evaluated from the buckets in C. */
static int month_index(const char *ym, int y0, int m0)
{
    if (!ym || strlen(ym) < 7) return -1;
    int y = atoi(ym), m = atoi(ym + 5);
    return (y - y0) * 12 + (m - m0);
}

static int trend_one(db_conn *c, const zx_ind_query *q, zx_ind_counts *out, char (*months)[8], int cap)
{
    if (q->ncourts <= 0 || q->to < q->from) return 0;
    int y0, m0, d0, y1, m1, d1;
    zx_date_to_ymd(q->from, &y0, &m0, &d0);
    zx_date_to_ymd(q->to, &y1, &m1, &d1);
    int nm = (y1 - y0) * 12 + (m1 - m0) + 1;
    if (nm > cap) nm = cap;
    memset(out, 0, sizeof(*out) * (size_t)nm);
    for (int i = 0; i < nm; i++) {
        int y = y0 + (m0 - 1 + i) / 12, m = (m0 - 1 + i) % 12 + 1;
        snprintf(months[i], 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
    }
    /* the same three branches as the main aggregate: closed in the range (bucketed by month closed,
     * mode, assets, on time, gate), closed after it and open (bucketed by month filed only) */
    size_t cap_sql = 6144 + (size_t)q->ncourts * 6;
    char *sql = malloc(cap_sql);
    if (!sql) return DB_ERROR;
    static const char *fm_sql = "CASE WHEN filed_on < ? THEN '' ELSE substr(filed_on,1,7) END";
    size_t n = (size_t)snprintf(sql, cap_sql,
        "SELECT %s, substr(closed_on,1,7), closure_mode, has_assets,"
        " CASE WHEN closed_on <= limit_date THEN 1 ELSE 0 END, COALESCE(gate_passed, 0),"
        " COUNT(*), SUM(claim_fen), SUM(recovered_fen)", fm_sql);
    n += branch_where(sql + n, cap_sql - n, q, "closed_on >= ? AND closed_on <= ?");
    n += (size_t)snprintf(sql + n, cap_sql - n, " GROUP BY 1, 2, 3, 4, 5, 6");
    for (int part = 0; part < 2; part++) {
        n += (size_t)snprintf(sql + n, cap_sql - n, " UNION ALL SELECT %s, '', '', 0, 0, 0, COUNT(*), 0, 0", fm_sql);
        n += branch_where(sql + n, cap_sql - n, q, part == 0 ? "closed_on > ?" : "closed_on IS NULL");
        n += (size_t)snprintf(sql + n, cap_sql - n, " GROUP BY 1");
    }
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    char from[11], to[11];
    zx_date_format(q->from, from);
    zx_date_format(q->to, to);
    int bi = 1;
    for (int part = 0; part < 3; part++) {
        db_bind_text(s, bi++, from, -1);
        db_bind_text(s, bi++, to, -1);
        if (q->handler_id > 0) db_bind_int64(s, bi++, q->handler_id);
        for (int k = 0; k < q->ncourts; k++) db_bind_int64(s, bi++, q->courts[k]);
        if (part == 0) {
            db_bind_text(s, bi++, from, -1);
            db_bind_text(s, bi++, to, -1);
        } else if (part == 1) {
            db_bind_text(s, bi++, to, -1);
        }
    }
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *fm = db_col_text(s, 0), *cm = db_col_text(s, 1), *mode = db_col_text(s, 2);
        int f = (fm && *fm) ? month_index(fm, y0, m0) : -1;
        int ci = (cm && *cm) ? month_index(cm, y0, m0) : 1 << 30;
        int assets = db_col_int64(s, 3) == 1, on_time = db_col_int64(s, 4) == 1;
        int gate = db_col_int64(s, 5) == 1;
        int64_t cnt = db_col_int64(s, 6), claim = db_col_int64(s, 7), rec = db_col_int64(s, 8);
        int actual = mode && (!strcmp(mode, "completed") || !strcmp(mode, "termination"));
        int interim = mode && !strcmp(mode, "interim_closure");
        for (int i = 0; i < nm; i++) {
            if (f > i || ci < i) continue; /* not received in month i's window */
            zx_ind_counts *k = &out[i];
            if (f < i) k->carried_over += cnt;
            else k->new_ += cnt;
            if (ci != i) continue;
            k->closed += cnt;
            k->claim_fen += claim;
            k->recovered_fen += rec;
            if (actual) k->closed_actual += cnt;
            if (interim) k->closed_interim += cnt;
            if (on_time) k->closed_on_time += cnt;
            if (assets) {
                k->asset_closed += cnt;
                if (actual) k->asset_actual += cnt;
                if (actual && on_time) k->asset_actual_on_time += cnt;
            }
            if (interim && gate) k->interim_compliant += cnt;
        }
    }
    db_finalize(s);
    return rc < 0 ? rc : nm;
}

/* ---------------------------------------------------------------- two halves in parallel
 * A province's aggregate reads every received case: on SQLite that is CPU-bound row evaluation
 * (~0.6 µs a case with the twelve sums), so a scope of several courts is split into two halves —
 * courts alternately, which balances subtrees listed parent-first — and the second half runs on
 * another pooled connection in a second thread. The SQL is the same; the C side adds the parts.
 * Any failure to get a thread or a connection falls back to one pass. */
#define SPLIT_MIN_COURTS 4

enum { J_TOTAL, J_BY_COURT, J_TREND };
typedef struct by_court_row {
    int64_t court_id;
    zx_ind_counts k;
} by_court_row;
typedef struct ind_job {
    int what;
    db_conn *c;
    zx_ind_query q;
    zx_ind_counts total;
    zx_ind_counts *trend; /* cap entries */
    char (*months)[8];
    int cap;
    by_court_row *rows;   /* by court: up to 3 rows per court */
    int nrows, caprows;
    int rc;
} ind_job;

static void collect_row(int64_t court_id, const zx_ind_counts *k, void *arg)
{
    ind_job *j = arg;
    if (j->nrows < j->caprows) j->rows[j->nrows++] = (by_court_row){ court_id, *k };
}

static void *job_run(void *arg)
{
    ind_job *j = arg;
    if (j->what == J_TOTAL) j->rc = compute_one(j->c, &j->q, &j->total);
    else if (j->what == J_BY_COURT) j->rc = by_court_one(j->c, &j->q, collect_row, j);
    else j->rc = trend_one(j->c, &j->q, j->trend, j->months, j->cap);
    return NULL;
}

/* Runs job a on c and job b (the other half) on a pooled connection in a thread. Returns false
 * (nothing run) when the scope is too small or no connection / thread is to be had. */
static bool run_split(db_conn *c, const zx_ind_query *q, ind_job *a, ind_job *b)
{
    if (q->ncourts < SPLIT_MIN_COURTS || !zx_g || !zx_g->db) return false;
    int64_t *ca = malloc(sizeof(int64_t) * (size_t)q->ncourts);
    if (!ca) return false;
    int64_t *cb = ca + (q->ncourts + 1) / 2;
    int na = 0, nb = 0;
    for (int i = 0; i < q->ncourts; i++) {
        if (i % 2 == 0) ca[na++] = q->courts[i];
        else cb[nb++] = q->courts[i];
    }
    db_conn *c2 = db_try_acquire(zx_g->db);
    if (!c2) {
        free(ca);
        return false;
    }
    a->c = c, a->q = *q, a->q.courts = ca, a->q.ncourts = na;
    b->c = c2, b->q = *q, b->q.courts = cb, b->q.ncourts = nb;
    pthread_t th;
    int64_t t0 = zx_now_ms();
    bool threaded = pthread_create(&th, NULL, job_run, b) == 0;
    job_run(a);
    int64_t t1 = zx_now_ms();
    if (threaded) pthread_join(th, NULL);
    else job_run(b);
    LOG_DEBUG("indicators split: %d+%d courts, a %lld ms, both %lld ms", na, nb, (long long)(t1 - t0), (long long)(zx_now_ms() - t0));
    db_release(zx_g->db, c2);
    free(ca);
    return true;
}

int zx_ind_compute(db_conn *c, const zx_ind_query *q, zx_ind_counts *out)
{
    ind_job a = { .what = J_TOTAL }, b = { .what = J_TOTAL };
    if (!run_split(c, q, &a, &b)) return compute_one(c, q, out);
    if (a.rc < 0 || b.rc < 0) return a.rc < 0 ? a.rc : b.rc;
    *out = a.total;
    zx_ind_add(out, &b.total);
    return 0;
}

int zx_ind_compute_by_court(db_conn *c, const zx_ind_query *q,
                            void (*cb)(int64_t court_id, const zx_ind_counts *k, void *arg), void *arg)
{
    int cap = 3 * (q->ncourts + 1);
    by_court_row *ra = malloc(sizeof *ra * (size_t)cap * 2);
    if (!ra) return by_court_one(c, q, cb, arg);
    ind_job a = { .what = J_BY_COURT, .rows = ra, .caprows = cap },
            b = { .what = J_BY_COURT, .rows = ra + cap, .caprows = cap };
    if (!run_split(c, q, &a, &b)) {
        free(ra);
        return by_court_one(c, q, cb, arg);
    }
    int rc = a.rc < 0 ? a.rc : b.rc < 0 ? b.rc : 0;
    if (rc == 0) {
        for (int i = 0; i < a.nrows; i++) cb(a.rows[i].court_id, &a.rows[i].k, arg);
        for (int i = 0; i < b.nrows; i++) cb(b.rows[i].court_id, &b.rows[i].k, arg);
    }
    free(ra);
    return rc;
}

int zx_ind_trend(db_conn *c, const zx_ind_query *q, zx_ind_counts *out, char (*months)[8], int cap)
{
    zx_ind_counts *tb = malloc(sizeof *tb * (size_t)(cap > 0 ? cap : 1));
    char(*mb)[8] = malloc(8 * (size_t)(cap > 0 ? cap : 1));
    if (!tb || !mb) {
        free(tb), free(mb);
        return trend_one(c, q, out, months, cap);
    }
    ind_job a = { .what = J_TREND, .trend = out, .months = months, .cap = cap },
            b = { .what = J_TREND, .trend = tb, .months = mb, .cap = cap };
    int rc;
    if (!run_split(c, q, &a, &b)) rc = trend_one(c, q, out, months, cap);
    else if (a.rc < 0 || b.rc < 0) rc = a.rc < 0 ? a.rc : b.rc;
    else {
        rc = a.rc;
        for (int i = 0; i < rc && i < b.rc; i++) zx_ind_add(&out[i], &tb[i]);
    }
    free(tb), free(mb);
    return rc;
}

void zx_ind_add(zx_ind_counts *a, const zx_ind_counts *k)
{
    a->carried_over += k->carried_over;
    a->new_ += k->new_;
    a->closed += k->closed;
    a->closed_actual += k->closed_actual;
    a->closed_interim += k->closed_interim;
    a->closed_on_time += k->closed_on_time;
    a->asset_closed += k->asset_closed;
    a->asset_actual += k->asset_actual;
    a->asset_actual_on_time += k->asset_actual_on_time;
    a->interim_compliant += k->interim_compliant;
    a->claim_fen += k->claim_fen;
    a->recovered_fen += k->recovered_fen;
}

double zx_ind_rate(int64_t num, int64_t den)
{
    if (den <= 0 || num <= 0) return 0.0;
    if (num >= den) return 1.0; /* recovered may exceed the claim (interest): capped at 1 */
    /* exact rounding half-up to 4 decimals in integers: r = floor((num*10000*2 + den) / (2*den)) */
    __int128 t = (__int128)num * 20000 + den;
    int64_t r = (int64_t)(t / ((__int128)den * 2));
    return (double)r / 10000.0;
}

json_t *zx_ind_json(const zx_ind_counts *k)
{
    int64_t received = k->carried_over + k->new_;
    json_t *o = json_object();
    json_object_set_new(o, "carried_over", json_integer(k->carried_over));
    json_object_set_new(o, "new", json_integer(k->new_));
    json_object_set_new(o, "received", json_integer(received));
    json_object_set_new(o, "closed", json_integer(k->closed));
    json_object_set_new(o, "pending", json_integer(received - k->closed));
    /* 超期结案: closed after the time limit (issue 9 item 15) = closed − closed within the limit */
    json_object_set_new(o, "closed_late", json_integer(k->closed - k->closed_on_time));
    json_object_set_new(o, "closure_rate", json_real(zx_ind_rate(k->closed, received)));
    json_object_set_new(o, "actual_enforcement_rate", json_real(zx_ind_rate(k->closed_actual, k->closed)));
    json_object_set_new(o, "interim_closure_rate", json_real(zx_ind_rate(k->closed_interim, k->closed)));
    json_object_set_new(o, "on_time_rate", json_real(zx_ind_rate(k->closed_on_time, k->closed)));
    json_object_set_new(o, "asset_case_enforcement_rate",
                        json_real(zx_ind_rate(k->asset_actual, k->asset_closed)));
    json_object_set_new(o, "asset_case_on_time_rate",
                        json_real(zx_ind_rate(k->asset_actual_on_time, k->asset_actual)));
    json_object_set_new(o, "recovery_rate", json_real(zx_ind_rate(k->recovered_fen, k->claim_fen)));
    json_object_set_new(o, "interim_closure_compliance_rate",
                        json_real(zx_ind_rate(k->interim_compliant, k->closed_interim)));
    return o;
}
