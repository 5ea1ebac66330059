/* rollup.h — the command center's roll-ups (migration 046): per court per day and per month sums of
 * cases filed / closed (with the closure measures) and petitions received / closed, plus open cases by
 * deadline, all kept by triggers in the same transaction as every change. They answer the 质效指标 and
 * the "3+1" of any court set over any [from, to] from courts × months rows instead of reading every
 * case — the province / national dashboard and the "3+1" of every court (issue 14 benchmark).
 * The figures are exactly those of case/indicators.h + command/tpo.h (tests compare both: `raw=1`).
 * A handler (judge) query is a small scope and goes to the case rows (raw). */
#ifndef ZX_COMMAND_ROLLUP_H
#define ZX_COMMAND_ROLLUP_H
#include <stdbool.h>
#include <stdint.h>
#include "case/indicators.h"
#include "command/tpo.h"

/* Totals over q's courts. raw (or q->handler_id) = compute from the case rows. 0 or < 0. */
int zx_rollup_compute(db_conn *c, const zx_ind_query *q, bool raw, zx_ind_counts *k, zx_tpo_counts *t);
/* Per court of q: ind_cb and tpo_cb once or more per court (callers add the parts up). 0 or < 0. */
int zx_rollup_by_court(db_conn *c, const zx_ind_query *q, bool raw,
                       void (*ind_cb)(int64_t court_id, const zx_ind_counts *k, void *arg),
                       void (*tpo_cb)(int64_t court_id, const zx_tpo_counts *t, void *arg), void *arg);
/* Open implementation cases of these courts whose deadline is in [lo, hi] (dates 'YYYY-MM-DD'; lo NULL =
 * any deadline before hi, cases without one excluded). raw = count the case rows. < 0 on error. */
int64_t zx_rollup_open_by_limit(db_conn *c, const int64_t *courts, int n, const char *lo, const char *hi, bool hi_open,
                                bool raw);
#endif
