/* metrics.h — counters exported at GET /metrics (Prometheus text). Lock-free for the hot path:
 * a counter is registered once and then incremented atomically. */
#ifndef ZX_METRICS_H
#define ZX_METRICS_H
#include <stdint.h>

typedef struct zx_counter zx_counter;
/* name: Prometheus metric name with optional labels, e.g. "zx_credit_checks_total{decision=\"block\"}".
 * Same name → same counter. */
zx_counter *zx_counter_get(const char *name, const char *help);
void zx_counter_add(zx_counter *c, int64_t v);
/* Gauges computed at scrape time. */
typedef int64_t (*zx_gauge_fn)(void);
void zx_gauge_register(const char *name, const char *help, zx_gauge_fn fn);
#endif
