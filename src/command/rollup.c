/* rollup.c — read the roll-ups of migration 046 (see rollup.h).
 *
 * The day axis up to `to` is cut at from and y3 (1 January of year(to) − 2, the "+1"'s window) into
 * three segments; one grouped statement returns per court and segment the sums, reading whole months
 * from the 'm' rows and the months cut by a boundary (and the month of `to`) from the 'd' rows:
 *   carried_over = filed − closed before from      new / closure measures = sums inside [from, to]
 *   petitions to handle = received ≤ to − closed before from
 *   y3_received = filed in [y3, to]                 y3_closed = closed ≤ to of cases filed since y3 (fy)
 * which are exactly the definitions of case/indicators.c and command/tpo.c (docs/INDICATORS.md). */
#include "command/rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- raw fallback: the case rows */
static int raw_compute(db_conn *c, const zx_ind_query *q, zx_ind_counts *k, zx_tpo_counts *t)
{
    if (zx_ind_compute(c, q, k) < 0) return DB_ERROR;
    return zx_tpo_compute(c, q, t) < 0 ? DB_ERROR : 0;
}

typedef struct acc {
    int64_t court_id;
    zx_ind_counts k;
    zx_tpo_counts t;
    int64_t pet_recv_le_to, pet_closed_before;
} acc;

static int cmp_acc(const void *a, const void *b)
{
    int64_t x = ((const acc *)a)->court_id, y = ((const acc *)b)->court_id;
    return x < y ? -1 : x > y;
}

static void month_of(zx_date d, char out[8])
{
    char s[11];
    zx_date_format(d, s);
    memcpy(out, s, 7);
    out[7] = 0;
}

static zx_date month_start(zx_date d)
{
    int y, m, dd;
    zx_date_to_ymd(d, &y, &m, &dd);
    return zx_date_from_ymd(y, m, 1);
}

static zx_date next_month(zx_date d)
{
    int y, m, dd;
    zx_date_to_ymd(d, &y, &m, &dd);
    return m == 12 ? zx_date_from_ymd(y + 1, 1, 1) : zx_date_from_ymd(y, m + 1, 1);
}

/* Fills a[] (sorted by court) from the roll-up. Returns 0 or < 0. */
static int rollup_read(db_conn *c, const zx_ind_query *q, acc *a, int na)
{
    zx_date to1 = q->to + 1;
    int y, m, d;
    zx_date_to_ymd(q->to, &y, &m, &d);
    zx_date y3 = zx_date_from_ymd(y - 2, 1, 1);
    zx_date blo = q->from < y3 ? q->from : y3, bhi = q->from < y3 ? y3 : q->from;
    bool from_le_y3 = q->from <= y3;
    if (bhi > to1) bhi = to1;
    if (blo > to1) blo = to1;
    /* day ranges: the months cut by blo / bhi (before the month of to1), and the month of to1 up to to1 */
    char mto1[8], s_blo[11], s_bhi[11], s_to1[11], r[3][2][11], sm[2][8];
    month_of(to1, mto1);
    zx_date_format(blo, s_blo);
    zx_date_format(bhi, s_bhi);
    zx_date_format(to1, s_to1);
    int nr = 0;
    memset(r, 0, sizeof r);
    memset(sm, 0, sizeof sm);
    zx_date cut[2] = { blo, bhi };
    zx_date ms_to1 = month_start(to1);
    for (int i = 0; i < 2; i++) {
        zx_date ms = month_start(cut[i]);
        if (cut[i] == ms || ms >= ms_to1) continue; /* a month start, or inside the month of to1 */
        if (i == 1 && nr == 1 && month_start(blo) == ms) continue; /* same month as blo */
        zx_date_format(ms, r[nr][0]);
        zx_date_format(next_month(ms), r[nr][1]);
        month_of(ms, sm[nr]);
        nr++;
    }
    zx_date_format(ms_to1, r[2][0]);
    snprintf(r[2][1], sizeof r[2][1], "%s", s_to1);

    /* four index range scans of the primary key (court_id, grain, period, fy), one per piece: the whole
     * months, and up to three runs of days; each repeats the court list */
    size_t cap = 4096 + (size_t)na * 8;
    char *sql = malloc(cap);
    if (!sql) return DB_ERROR;
    size_t n = (size_t)snprintf(sql, cap,
        "SELECT court_id, CASE WHEN p < ? THEN 0 WHEN p < ? THEN 1 ELSE 2 END, SUM(filed), SUM(closed),"
        " SUM(closed_actual), SUM(closed_interim), SUM(closed_on_time), SUM(asset_closed), SUM(asset_actual),"
        " SUM(asset_actual_on_time), SUM(interim_compliant), SUM(claim_fen), SUM(recovered_fen),"
        " SUM(CASE WHEN fy >= ? THEN closed ELSE 0 END), SUM(pet_received), SUM(pet_closed), SUM(pet_on_time),"
        " SUM(pet_resolved) FROM (");
    for (int piece = 0; piece < 4; piece++) {
        n += (size_t)snprintf(sql + n, cap - n, "%sSELECT court_id, %s AS p, fy, filed, closed, closed_actual, closed_interim,"
                              " closed_on_time, asset_closed, asset_actual, asset_actual_on_time, interim_compliant,"
                              " claim_fen, recovered_fen, pet_received, pet_closed, pet_on_time, pet_resolved"
                              " FROM cmd_rollup WHERE court_id IN (", piece ? " UNION ALL " : "",
                              piece ? "period" : "period || '-01'");
        for (int i = 0; i < na && n + 4 < cap; i++) n += (size_t)snprintf(sql + n, cap - n, i ? ",?" : "?");
        n += (size_t)snprintf(sql + n, cap - n, "%s",
                              piece ? ") AND grain = 'd' AND period >= ? AND period < ?"
                                    : ") AND grain = 'm' AND period < ? AND period <> ? AND period <> ?");
    }
    snprintf(sql + n, cap - n, ") x GROUP BY 1, 2");
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    int bi = 1;
    db_bind_text(s, bi++, s_blo, -1);
    db_bind_text(s, bi++, s_bhi, -1);
    db_bind_int64(s, bi++, y - 2);
    for (int piece = 0; piece < 4; piece++) {
        for (int i = 0; i < na; i++) db_bind_int64(s, bi++, a[i].court_id);
        if (piece == 0) {
            db_bind_text(s, bi++, mto1, -1);
            db_bind_text(s, bi++, sm[0], -1);
            db_bind_text(s, bi++, sm[1], -1);
        } else {
            db_bind_text(s, bi++, r[piece - 1][0], -1);
            db_bind_text(s, bi++, r[piece - 1][1], -1);
        }
    }
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        acc key = { .court_id = db_col_int64(s, 0) };
        acc *o = bsearch(&key, a, (size_t)na, sizeof *a, cmp_acc);
        if (!o) continue;
        int seg = (int)db_col_int64(s, 1);
        int64_t v[16];
        for (int i = 0; i < 16; i++) v[i] = db_col_int64(s, 2 + i);
        bool in_range = seg == 2 || (seg == 1 && from_le_y3), ge_y3 = seg == 2 || (seg == 1 && !from_le_y3);
        if (!in_range) {
            o->k.carried_over += v[0] - v[1];
            o->pet_closed_before += v[13];
        } else {
            o->k.new_ += v[0];
            o->k.closed += v[1];
            o->k.closed_actual += v[2];
            o->k.closed_interim += v[3];
            o->k.closed_on_time += v[4];
            o->k.asset_closed += v[5];
            o->k.asset_actual += v[6];
            o->k.asset_actual_on_time += v[7];
            o->k.interim_compliant += v[8];
            o->k.claim_fen += v[9];
            o->k.recovered_fen += v[10];
            o->t.pet_new += v[12];
            o->t.pet_closed += v[13];
            o->t.pet_on_time += v[14];
            o->t.pet_resolved += v[15];
        }
        if (ge_y3) o->t.y3_received += v[0];
        o->t.y3_closed += v[11];
        o->pet_recv_le_to += v[12];
    }
    db_finalize(s);
    if (rc < 0) return rc;
    for (int i = 0; i < na; i++) a[i].t.pet_handle = a[i].pet_recv_le_to - a[i].pet_closed_before;
    return 0;
}

static acc *rollup_scope(db_conn *c, const zx_ind_query *q, int *na, int *rc)
{
    acc *a = calloc((size_t)(q->ncourts > 0 ? q->ncourts : 1), sizeof *a);
    if (!a) {
        *rc = DB_ERROR;
        return NULL;
    }
    int n = 0;
    for (int i = 0; i < q->ncourts; i++) a[n++].court_id = q->courts[i];
    qsort(a, (size_t)n, sizeof *a, cmp_acc);
    int m = 0; /* drop duplicates */
    for (int i = 0; i < n; i++)
        if (!m || a[m - 1].court_id != a[i].court_id) a[m++] = a[i];
    *na = m;
    *rc = m ? rollup_read(c, q, a, m) : 0;
    return a;
}

int zx_rollup_compute(db_conn *c, const zx_ind_query *q, bool raw, zx_ind_counts *k, zx_tpo_counts *t)
{
    if (raw || q->handler_id > 0) return raw_compute(c, q, k, t);
    memset(k, 0, sizeof *k);
    memset(t, 0, sizeof *t);
    int na = 0, rc = 0;
    acc *a = rollup_scope(c, q, &na, &rc);
    for (int i = 0; a && rc == 0 && i < na; i++) {
        zx_ind_add(k, &a[i].k);
        zx_tpo_add(t, &a[i].t);
    }
    free(a);
    return rc < 0 ? rc : 0;
}

int zx_rollup_by_court(db_conn *c, const zx_ind_query *q, bool raw,
                       void (*ind_cb)(int64_t court_id, const zx_ind_counts *k, void *arg),
                       void (*tpo_cb)(int64_t court_id, const zx_tpo_counts *t, void *arg), void *arg)
{
    if (raw || q->handler_id > 0) {
        if (zx_ind_compute_by_court(c, q, ind_cb, arg) < 0) return DB_ERROR;
        return zx_tpo_by_court(c, q, tpo_cb, arg) < 0 ? DB_ERROR : 0;
    }
    int na = 0, rc = 0;
    acc *a = rollup_scope(c, q, &na, &rc);
    for (int i = 0; a && rc == 0 && i < na; i++) {
        ind_cb(a[i].court_id, &a[i].k, arg);
        tpo_cb(a[i].court_id, &a[i].t, arg);
    }
    free(a);
    return rc < 0 ? rc : 0;
}

int64_t zx_rollup_open_by_limit(db_conn *c, const int64_t *courts, int n, const char *lo, const char *hi, bool hi_open,
                                bool raw)
{
    if (n <= 0) return 0;
    size_t cap = 512 + (size_t)n * 2;
    char *sql = malloc(cap);
    if (!sql) return -1;
    size_t k = (size_t)snprintf(sql, cap, raw ? "SELECT COUNT(*) FROM enf_case WHERE type_code IN ('执','执恢','执保')"
                                                " AND closed_on IS NULL AND court_id IN ("
                                              : "SELECT COALESCE(SUM(n), 0) FROM cmd_open_limit WHERE court_id IN (");
    for (int i = 0; i < n && k + 4 < cap; i++) k += (size_t)snprintf(sql + k, cap - k, i ? ",?" : "?");
    snprintf(sql + k, cap - k, ") AND limit_date %s ? AND limit_date %s ?", lo ? ">=" : ">", hi_open ? "<" : "<=");
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return -1;
    int bi = 1;
    for (int i = 0; i < n; i++) db_bind_int64(s, bi++, courts[i]);
    db_bind_text(s, bi++, lo ? lo : "", -1);
    db_bind_text(s, bi++, hi, -1);
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return v;
}
