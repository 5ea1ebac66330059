/* metrics.c — request statistics and registered counters/gauges, rendered as Prometheus text.
 *
 * Request path: every event-loop thread owns one block of counters (per route slot: a count per
 * status code, latency histogram buckets, latency sum) and is the only writer of it, so increments
 * are plain relaxed load+store — no lock, no contended cache line. The scrape sums the blocks.
 * Requests from other threads (tests, CLI) go to one extra shared block with atomic adds.
 * Registered counters (metrics.h) are single atomics: module code calls them far less often. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/http_internal.h"
#include "http/metrics.h"

/* Status codes counted individually; anything else lands in the last slot with its class. */
static const int k_status[] = { 200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409,
                                410, 412, 413, 415, 422, 423, 429, 500, 502, 503 };
#define NSTATUS (int)(sizeof k_status / sizeof k_status[0])
#define NSTATUS_SLOTS (NSTATUS + 5) /* + "1xx".."5xx" catch-alls for other codes */
/* Latency histogram upper bounds in microseconds. */
static const uint64_t k_bucket_us[] = { 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
                                        100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000 };
#define NBUCKETS (int)(sizeof k_bucket_us / sizeof k_bucket_us[0])
/* Methods for the pseudo routes (static files, unmatched paths). */
static const char *const k_methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };
#define NMETHODS 7

struct slot {
    _Atomic uint64_t status[NSTATUS_SLOTS];
    _Atomic uint64_t bucket[NBUCKETS + 1]; /* last = above the largest bound (+Inf only) */
    _Atomic uint64_t sum_us;
};

static struct slot *g_blocks;   /* (nthreads + 1) × nslots; the last block is shared */
static int g_nthreads, g_nroutes, g_nslots;
static uint8_t g_status_index[600];
static _Thread_local int t_thread = -1;

void zx_metrics_init(int nthreads, int nroutes)
{
    if (g_blocks) return;
    g_nthreads = nthreads;
    g_nroutes = nroutes;
    g_nslots = nroutes + 2 * NMETHODS;
    g_blocks = calloc((size_t)(nthreads + 1) * (size_t)g_nslots, sizeof(struct slot));
    if (!g_blocks) zx_die("out of memory (metrics)");
    for (int s = 0; s < 600; s++) g_status_index[s] = (uint8_t)(NSTATUS + (s >= 100 ? s / 100 - 1 : 0));
    for (int i = 0; i < NSTATUS; i++) g_status_index[k_status[i]] = (uint8_t)i;
}

void zx_metrics_thread(int thread_index) { t_thread = thread_index; }

static int method_index(const char *m, size_t n)
{
    for (int i = 0; i < NMETHODS - 1; i++)
        if (strlen(k_methods[i]) == n && !memcmp(k_methods[i], m, n)) return i;
    return NMETHODS - 1;
}

static inline void bump(_Atomic uint64_t *c, uint64_t v, bool owned)
{
    if (owned)
        atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v, memory_order_relaxed);
    else
        atomic_fetch_add_explicit(c, v, memory_order_relaxed);
}

void zx_metrics_observe(int route_index, const char *method, size_t mlen, int status,
                        uint64_t duration_us)
{
    if (!g_blocks) return;
    int slot;
    if (route_index >= 0) slot = route_index < g_nroutes ? route_index : -1;
    else slot = g_nroutes + (route_index == ZX_PSEUDO_STATIC ? 0 : NMETHODS) + method_index(method, mlen);
    if (slot < 0) return;
    bool owned = t_thread >= 0 && t_thread < g_nthreads;
    int block = owned ? t_thread : g_nthreads;
    struct slot *s = &g_blocks[(size_t)block * (size_t)g_nslots + (size_t)slot];
    int si = status >= 100 && status < 600 ? g_status_index[status] : NSTATUS + 4;
    bump(&s->status[si], 1, owned);
    int b = 0;
    while (b < NBUCKETS && duration_us > k_bucket_us[b]) b++;
    bump(&s->bucket[b], 1, owned);
    bump(&s->sum_us, duration_us, owned);
}

/* ---- registered counters and gauges --------------------------------------------------------- */

struct zx_counter {
    char *name;
    char *help;
    _Atomic int64_t v;
    struct zx_counter *next;
};
struct gauge {
    char *name;
    char *help;
    zx_gauge_fn fn;
    struct gauge *next;
};
static pthread_mutex_t g_reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zx_counter *g_counters;
static struct gauge *g_gauges;

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) zx_die("out of memory (metrics)");
    return d;
}

zx_counter *zx_counter_get(const char *name, const char *help)
{
    pthread_mutex_lock(&g_reg_lock);
    struct zx_counter *c;
    for (c = g_counters; c; c = c->next)
        if (!strcmp(c->name, name)) break;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) zx_die("out of memory (metrics)");
        c->name = xstrdup(name);
        c->help = xstrdup(help);
        c->next = g_counters;
        g_counters = c;
    }
    pthread_mutex_unlock(&g_reg_lock);
    return c;
}

void zx_counter_add(zx_counter *c, int64_t v)
{
    if (c) atomic_fetch_add_explicit(&c->v, v, memory_order_relaxed);
}

void zx_gauge_register(const char *name, const char *help, zx_gauge_fn fn)
{
    pthread_mutex_lock(&g_reg_lock);
    struct gauge *g;
    for (g = g_gauges; g; g = g->next)
        if (!strcmp(g->name, name)) break;
    if (g) {
        g->fn = fn;
    } else {
        g = calloc(1, sizeof *g);
        if (!g) zx_die("out of memory (metrics)");
        g->name = xstrdup(name);
        g->help = xstrdup(help);
        g->fn = fn;
        g->next = g_gauges;
        g_gauges = g;
    }
    pthread_mutex_unlock(&g_reg_lock);
}

/* ---- rendering ------------------------------------------------------------------------------- */

/* Base metric name (before '{'). */
static size_t base_len(const char *name)
{
    const char *b = strchr(name, '{');
    return b ? (size_t)(b - name) : strlen(name);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

/* HELP/TYPE once per base name for a sorted list of named items (name is the first member). */
static void render_family(FILE *f, void **items, int n, const char *type, bool gauge)
{
    qsort(items, (size_t)n, sizeof *items, cmp_names);
    const char *prev = NULL;
    size_t prevlen = 0;
    for (int i = 0; i < n; i++) {
        const char *name, *help;
        int64_t v;
        if (gauge) {
            struct gauge *g = items[i];
            name = g->name, help = g->help, v = g->fn ? g->fn() : 0;
        } else {
            struct zx_counter *c = items[i];
            name = c->name, help = c->help, v = atomic_load_explicit(&c->v, memory_order_relaxed);
        }
        size_t bl = base_len(name);
        if (!prev || bl != prevlen || memcmp(prev, name, bl) != 0) {
            fprintf(f, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)bl, name, help, (int)bl, name, type);
            prev = name, prevlen = bl;
        }
        fprintf(f, "%s %lld\n", name, (long long)v);
    }
}

static void render_registered(FILE *f)
{
    pthread_mutex_lock(&g_reg_lock);
    int nc = 0, ng = 0;
    for (struct zx_counter *c = g_counters; c; c = c->next) nc++;
    for (struct gauge *g = g_gauges; g; g = g->next) ng++;
    void **items = malloc(sizeof(void *) * (size_t)(nc + ng + 1));
    if (!items) zx_die("out of memory (metrics)");
    int k = 0;
    for (struct zx_counter *c = g_counters; c; c = c->next) items[k++] = c;
    render_family(f, items, nc, "counter", false);
    k = 0;
    for (struct gauge *g = g_gauges; g; g = g->next) items[k++] = g;
    render_family(f, items, ng, "gauge", true);
    free(items);
    pthread_mutex_unlock(&g_reg_lock);
}

static void slot_label(int slot, const char **route, const char **method)
{
    if (slot < g_nroutes) {
        const struct zx_route *rt = zx_router_at(slot);
        *route = rt->pattern;
        *method = rt->method;
    } else {
        int k = slot - g_nroutes;
        *route = k < NMETHODS ? "(static)" : "(unmatched)";
        *method = k_methods[k % NMETHODS];
    }
}

static const char *status_label(int si, char buf[8])
{
    if (si < NSTATUS) snprintf(buf, 8, "%d", k_status[si]);
    else snprintf(buf, 8, "%dxx", si - NSTATUS + 1);
    return buf;
}

static void render_requests(FILE *f)
{
    if (!g_blocks) return;
    fputs("# HELP zx_http_requests_total HTTP requests by route, method and status.\n"
          "# TYPE zx_http_requests_total counter\n", f);
    for (int slot = 0; slot < g_nslots; slot++) {
        const char *route, *method;
        slot_label(slot, &route, &method);
        for (int si = 0; si < NSTATUS_SLOTS; si++) {
            uint64_t n = 0;
            for (int b = 0; b <= g_nthreads; b++)
                n += atomic_load_explicit(&g_blocks[(size_t)b * (size_t)g_nslots + (size_t)slot].status[si],
                                          memory_order_relaxed);
            char sb[8];
            if (n)
                fprintf(f, "zx_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} %llu\n", route,
                        method, status_label(si, sb), (unsigned long long)n);
        }
    }
    fputs("# HELP zx_http_request_duration_seconds Request handling time by route.\n"
          "# TYPE zx_http_request_duration_seconds histogram\n", f);
    for (int slot = 0; slot < g_nslots; slot++) {
        uint64_t buckets[NBUCKETS + 1] = { 0 }, sum = 0, total = 0;
        for (int b = 0; b <= g_nthreads; b++) {
            struct slot *s = &g_blocks[(size_t)b * (size_t)g_nslots + (size_t)slot];
            for (int k = 0; k <= NBUCKETS; k++) buckets[k] += atomic_load_explicit(&s->bucket[k], memory_order_relaxed);
            sum += atomic_load_explicit(&s->sum_us, memory_order_relaxed);
        }
        for (int k = 0; k <= NBUCKETS; k++) total += buckets[k];
        if (!total) continue;
        const char *route, *method;
        slot_label(slot, &route, &method);
        uint64_t cum = 0;
        for (int k = 0; k < NBUCKETS; k++) {
            cum += buckets[k];
            fprintf(f, "zx_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"%g\"} %llu\n",
                    route, method, (double)k_bucket_us[k] / 1e6, (unsigned long long)cum);
        }
        fprintf(f, "zx_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} %llu\n",
                route, method, (unsigned long long)total);
        fprintf(f, "zx_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n", route, method,
                (double)sum / 1e6);
        fprintf(f, "zx_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n", route,
                method, (unsigned long long)total);
    }
}

char *zx_metrics_render(zx_app *app, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) zx_die("out of memory (metrics)");
    render_requests(f);
    if (app && app->db) {
        int size = 0, in_use = 0;
        int64_t waits = 0;
        db_pool_stats(app->db, &size, &in_use, &waits);
        fprintf(f, "# HELP zx_db_pool_size Database connections in the pool.\n# TYPE zx_db_pool_size gauge\n"
                   "zx_db_pool_size %d\n"
                   "# HELP zx_db_pool_in_use Database connections currently borrowed.\n"
                   "# TYPE zx_db_pool_in_use gauge\nzx_db_pool_in_use %d\n"
                   "# HELP zx_db_pool_waits_total Times a request waited for a free connection.\n"
                   "# TYPE zx_db_pool_waits_total counter\nzx_db_pool_waits_total %lld\n",
                size, in_use, (long long)waits);
    }
    if (app) {
        int64_t up = zx_now_ms() - app->started_ms;
        fprintf(f, "# HELP zx_uptime_seconds Seconds since the server started.\n# TYPE zx_uptime_seconds gauge\n"
                   "zx_uptime_seconds %lld\n",
                (long long)(up > 0 ? up / 1000 : 0));
    }
    render_registered(f);
    fclose(f);
    *len = n;
    return buf;
}
