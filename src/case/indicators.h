/* indicators.h — 执行质效指标 (issue 4 §8), computed by one aggregate SQL per request over enf_case.
 * Definitions, scope and SQL: docs/INDICATORS.md. Counts are integers; rates are in [0,1], rounded to
 * 4 decimals, and 0 when their denominator is 0. */
#ifndef ZX_INDICATORS_H
#define ZX_INDICATORS_H
#include <jansson.h>
#include <stdint.h>
#include "core/date.h"
#include "store/db.h"

/* The raw sums every indicator is derived from (one row of the aggregate query). */
typedef struct zx_ind_counts {
    int64_t carried_over;         /* filed before from, not closed before from */
    int64_t new_;                 /* filed in [from, to] */
    int64_t closed;               /* received, closed in [from, to] */
    int64_t closed_actual;        /* … as completed or termination (实际执结) */
    int64_t closed_interim;       /* … as interim_closure (终本) */
    int64_t closed_on_time;       /* … with closed_on ≤ limit_date */
    int64_t asset_closed;         /* closed with has_assets = 1 */
    int64_t asset_actual;         /* asset cases closed as completed or termination */
    int64_t asset_actual_on_time; /* … within their time limit */
    int64_t interim_compliant;    /* interim closures with gate_passed = 1 */
    int64_t claim_fen;            /* Σ claim over closed cases */
    int64_t recovered_fen;        /* Σ recovered over closed cases */
} zx_ind_counts;

/* Which cases: courts (ids; n ≥ 1), optional handler (0 = all), range [from, to] inclusive. */
typedef struct zx_ind_query {
    const int64_t *courts;
    int ncourts;
    int64_t handler_id;
    zx_date from, to;
} zx_ind_query;

/* One aggregate over all selected courts. 0 or < 0 (DB error). */
int zx_ind_compute(db_conn *c, const zx_ind_query *q, zx_ind_counts *out);
/* Same aggregate grouped by court: calls cb(court_id, counts, arg) once per court with any case. */
int zx_ind_compute_by_court(db_conn *c, const zx_ind_query *q,
                            void (*cb)(int64_t court_id, const zx_ind_counts *k, void *arg), void *arg);
/* Monthly series: for each calendar month overlapping [from, to], the indicators of the window
 * [max(from, month start), min(to, month end)]. out[i] gets month i (0 = month of from); returns the
 * number of months (≤ cap) or < 0. months[i] receives "YYYY-MM". */
int zx_ind_trend(db_conn *c, const zx_ind_query *q, zx_ind_counts *out, char (*months)[8], int cap);

void zx_ind_add(zx_ind_counts *acc, const zx_ind_counts *k);
/* ratio rounded to 4 decimals; 0 when den == 0. */
double zx_ind_rate(int64_t num, int64_t den);
/* The contract object: carried_over, new, received, closed, pending and the eight rates. */
json_t *zx_ind_json(const zx_ind_counts *k);
#endif
