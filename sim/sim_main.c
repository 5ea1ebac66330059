/* sim_main.c — bin/zhixing-sim, the simulator of outside parties: options, the one h2o event loop,
 * routing to the parties' SIM_ROUTES tables, replies now or later, timers, the simulated clock and
 * the core routes under /sim/.
 *
 *   bin/zhixing-sim --listen HOST:PORT [--seed N] [--opt party.name=value …]
 *
 * One event-loop thread runs every handler and timer (parties keep state without locks); outbound
 * calls go through sim_post.c's sender thread. SIGTERM/SIGINT stop it. */
#include <errno.h>
#include <malloc.h>
#include <h2o.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/log.h"
#include "sim.h"
#include "sim_internal.h"

/* ---- registries ----------------------------------------------------------------------------- */

struct route_ent {
    const char *party;
    const struct sim_route *r;
};
static struct route_ent *g_routes;
static size_t g_nroutes, g_caproutes;

void sim_routes_add(const char *party, const struct sim_route *routes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (g_nroutes == g_caproutes) {
            g_caproutes = g_caproutes ? g_caproutes * 2 : 64;
            g_routes = realloc(g_routes, g_caproutes * sizeof *g_routes);
            if (!g_routes) abort();
        }
        g_routes[g_nroutes++] = (struct route_ent){ party, &routes[i] };
    }
}

struct hook_ent {
    const char *party;
    sim_start_fn fn;
};
static struct hook_ent g_hooks[64];
static int g_nhooks;

void sim_start_hook_add(const char *party, sim_start_fn fn)
{
    if (g_nhooks < 64) g_hooks[g_nhooks++] = (struct hook_ent){ party, fn };
}

/* ---- options, clock, determinism ---------------------------------------------------------------- */

static json_t *g_opts;     /* "party.name" → string */
static uint64_t g_seed = 1;
static int64_t g_clock_offset_ms;
static char g_base_url[160];

uint64_t sim_seed(void) { return g_seed; }
const char *sim_base_url(void) { return g_base_url; }

const char *sim_option(const char *name)
{
    json_t *v = g_opts ? json_object_get(g_opts, name) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

long sim_option_long(const char *name, long dflt)
{
    const char *v = sim_option(name);
    if (!v || !*v) return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    return *end ? dflt : n;
}

static void set_option(const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return;
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
    json_object_set_new(g_opts, key, json_string(eq + 1));
}

int64_t sim_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + g_clock_offset_ms;
}

static void fmt_date(char out[11], const struct tm *tm)
{
    unsigned y = (unsigned)(tm->tm_year + 1900) % 10000u, m = (unsigned)tm->tm_mon + 1, d = (unsigned)tm->tm_mday;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10), out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10), out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
    out[7] = '-', out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = 0;
}

void sim_today(char out[11])
{
    time_t t = (time_t)(sim_now_ms() / 1000 + 8 * 3600); /* Asia/Shanghai, no DST */
    struct tm tm;
    gmtime_r(&t, &tm);
    fmt_date(out, &tm);
}

static int parse_date(const char *s, struct tm *tm)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = 12;
    return 0;
}

int sim_date_add_days(const char *date, int days, char out[11])
{
    struct tm tm;
    if (parse_date(date, &tm) != 0) return -1;
    time_t t = timegm(&tm) + (time_t)days * 86400;
    gmtime_r(&t, &tm);
    fmt_date(out, &tm);
    return 0;
}

uint64_t sim_hash64(const char *s, uint64_t salt)
{
    /* FNV-1a over the bytes, then a splitmix64 finaliser with the salt and the seed. */
    uint64_t h = 1469598103934665603ULL;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= salt * 0x9E3779B97F4A7C15ULL ^ g_seed * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return h;
}

/* ---- timers: a binary heap on due time, fired by the loop ------------------------------------- */

struct timer {
    int64_t due_us;
    uint64_t seq;
    void (*fn)(void *);
    void *arg;
};
static struct timer *g_heap;
static size_t g_nheap, g_capheap;
static uint64_t g_tseq;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool t_less(const struct timer *a, const struct timer *b)
{
    return a->due_us < b->due_us || (a->due_us == b->due_us && a->seq < b->seq);
}

void sim_after(unsigned delay_ms, void (*fn)(void *arg), void *arg)
{
    if (g_nheap == g_capheap) {
        g_capheap = g_capheap ? g_capheap * 2 : 1024;
        g_heap = realloc(g_heap, g_capheap * sizeof *g_heap);
        if (!g_heap) zx_die("out of memory (timers)");
    }
    size_t i = g_nheap++;
    struct timer t = { mono_us() + (int64_t)delay_ms * 1000, g_tseq++, fn, arg };
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!t_less(&t, &g_heap[p])) break;
        g_heap[i] = g_heap[p];
        i = p;
    }
    g_heap[i] = t;
}

static void heap_pop(void)
{
    struct timer last = g_heap[--g_nheap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= g_nheap) break;
        if (c + 1 < g_nheap && t_less(&g_heap[c + 1], &g_heap[c])) c++;
        if (!t_less(&g_heap[c], &last)) break;
        g_heap[i] = g_heap[c];
        i = c;
    }
    if (g_nheap) g_heap[i] = last;
}

/* Runs due timers; returns ms until the next one (capped at cap). */
static int32_t run_timers(int32_t cap)
{
    int64_t now = mono_us();
    while (g_nheap && g_heap[0].due_us <= now) {
        struct timer t = g_heap[0];
        heap_pop();
        t.fn(t.arg);
    }
    if (!g_nheap) return cap;
    int64_t wait = (g_heap[0].due_us - now + 999) / 1000;
    return wait < cap ? (int32_t)wait : cap;
}

/* ---- requests and replies ------------------------------------------------------------------ */

struct sim_priv {
    h2o_req_t *req;    /* NULL once h2o disposed of the request */
    bool replied;
    bool alive_ref;    /* the pool's dispose hook still points at us */
    json_t *body_json;
    h2o_headers_t extra;
    /* a reply waiting for its timer */
    int status;
    char *ctype;
    char *data;
    size_t len;
    bool hang;
};

static void on_req_disposed(void *p)
{
    struct sim_priv **slot = p;
    if (*slot) {
        (*slot)->req = NULL;
        (*slot)->alive_ref = false;
        if ((*slot)->replied) free(*slot); /* nothing pending refers to it */
    }
}

static void send_now(h2o_req_t *req, int status, const char *ctype, const char *data, size_t len,
                     const h2o_headers_t *extra)
{
    req->res.status = status;
    req->res.reason = status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ctype, strlen(ctype));
    for (size_t i = 0; extra && i < extra->size; i++) {
        h2o_header_t *h = &extra->entries[i];
        h2o_add_header_by_str(&req->pool, &req->res.headers, h->name->base, h->name->len, 1, NULL, h->value.base,
                              h->value.len);
    }
    char *copy = h2o_mem_alloc_pool(&req->pool, len + 1);
    memcpy(copy, data, len);
    h2o_iovec_t body = h2o_iovec_init(copy, len);
    static h2o_generator_t gen = { NULL, NULL };
    h2o_start_response(req, &gen);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

static void deferred_fire(void *arg)
{
    struct sim_priv *p = arg;
    if (p->req) {
        if (p->hang) {
            /* a silent institution: close the connection without an answer */
            h2o_socket_t *s = p->req->conn->callbacks->get_socket(p->req->conn);
            if (s) shutdown(h2o_socket_get_fd(s), SHUT_RDWR);
            send_now(p->req, 504, "text/plain", "", 0, NULL);
        } else
            send_now(p->req, p->status, p->ctype, p->data, p->len, &p->extra);
    }
    free(p->ctype);
    free(p->data);
    p->ctype = p->data = NULL;
    if (!p->alive_ref) free(p);
    else p->replied = true; /* freed by the dispose hook */
}

void *sim_alloc(sim_req *r, size_t n)
{
    struct sim_priv *p = r->priv;
    return p->req ? h2o_mem_alloc_pool(&p->req->pool, n) : NULL;
}

char *sim_strdup(sim_req *r, const char *s)
{
    size_t n = strlen(s);
    char *d = sim_alloc(r, n + 1);
    memcpy(d, s, n + 1);
    return d;
}

const char *sim_param(sim_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (!strcmp(r->param_name[i], name)) return r->param_val[i];
    return NULL;
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void pct_decode(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '%' && hexv(s[1]) >= 0 && hexv(s[2]) >= 0) {
            *o++ = (char)(hexv(s[1]) * 16 + hexv(s[2]));
            s += 2;
        } else if (*s == '+')
            *o++ = ' ';
        else
            *o++ = *s;
    }
    *o = 0;
}

const char *sim_query(sim_req *r, const char *name)
{
    size_t nl = strlen(name);
    const char *q = r->query;
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t seg = amp ? (size_t)(amp - q) : strlen(q);
        if (seg >= nl && !strncmp(q, name, nl) && (seg == nl || q[nl] == '=')) {
            size_t vl = seg == nl ? 0 : seg - nl - 1;
            char *v = sim_alloc(r, vl + 1);
            memcpy(v, q + nl + (seg == nl ? 0 : 1), vl);
            v[vl] = 0;
            pct_decode(v);
            return v;
        }
        q = amp ? amp + 1 : NULL;
    }
    return NULL;
}

const char *sim_header(sim_req *r, const char *name)
{
    struct sim_priv *p = r->priv;
    if (!p->req) return NULL;
    h2o_req_t *req = p->req;
    for (size_t i = 0; i < req->headers.size; i++) {
        h2o_header_t *h = &req->headers.entries[i];
        if (h->name->len == strlen(name) && !strncasecmp(h->name->base, name, h->name->len)) {
            char *v = h2o_mem_alloc_pool(&req->pool, h->value.len + 1);
            memcpy(v, h->value.base, h->value.len);
            v[h->value.len] = 0;
            return v;
        }
    }
    return NULL;
}

static void dispose_json(void *p) { json_decref(*(json_t **)p); }

json_t *sim_body_json(sim_req *r)
{
    struct sim_priv *p = r->priv;
    if (p->body_json) return p->body_json;
    json_error_t err;
    json_t *j = r->body_len ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        sim_reply_error(r, 400, "BAD_JSON", "请求体不是 JSON 对象");
        return NULL;
    }
    json_t **slot = h2o_mem_alloc_shared(&p->req->pool, sizeof *slot, dispose_json);
    *slot = j;
    p->body_json = j;
    return j;
}

void sim_add_header(sim_req *r, const char *name, const char *value)
{
    struct sim_priv *p = r->priv;
    if (!p->req) return;
    h2o_mem_pool_t *pool = &p->req->pool;
    h2o_iovec_t n = h2o_strdup(pool, name, SIZE_MAX), v = h2o_strdup(pool, value, SIZE_MAX);
    h2o_add_header_by_str(pool, &p->extra, n.base, n.len, 0, NULL, v.base, v.len);
}

void sim_reply_raw_after(sim_req *r, unsigned delay_ms, int status, const char *content_type, const void *data,
                         size_t len)
{
    struct sim_priv *p = r->priv;
    if (p->replied || p->ctype || p->hang) return; /* exactly one reply */
    if (delay_ms == 0) {
        p->replied = true;
        if (p->req) send_now(p->req, status, content_type, data, len, &p->extra);
        return;
    }
    p->status = status;
    p->ctype = strdup(content_type);
    p->data = malloc(len + 1);
    if (!p->ctype || !p->data) zx_die("out of memory (reply)");
    memcpy(p->data, data, len);
    p->len = len;
    sim_after(delay_ms, deferred_fire, p);
}

void sim_reply_raw(sim_req *r, int status, const char *content_type, const void *data, size_t len)
{
    sim_reply_raw_after(r, 0, status, content_type, data, len);
}

void sim_reply_json_after(sim_req *r, unsigned delay_ms, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!s) zx_die("out of memory (json)");
    sim_reply_raw_after(r, delay_ms, status, "application/json; charset=utf-8", s, strlen(s));
    free(s);
}

void sim_reply_json(sim_req *r, int status, json_t *body) { sim_reply_json_after(r, 0, status, body); }

void sim_reply_error(sim_req *r, int status, const char *code, const char *message)
{
    sim_reply_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
}

void sim_reply_hang(sim_req *r, unsigned delay_ms)
{
    struct sim_priv *p = r->priv;
    if (p->replied || p->ctype || p->hang) return;
    p->hang = true;
    sim_after(delay_ms ? delay_ms : 1, deferred_fire, p);
}

/* ---- routing -------------------------------------------------------------------------------- */

/* Match "/a/:x/b" against path; fills params (pointing into pool copies). */
static bool match(const char *pat, const char *path, sim_req *r, h2o_mem_pool_t *pool)
{
    r->nparams = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/') return false;
        pat++, path++;
        const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat), sl = se ? (size_t)(se - path) : strlen(path);
        if (pat[0] == ':') {
            if (sl == 0 || r->nparams == 8) return false;
            char *n = h2o_mem_alloc_pool(pool, pl), *v = h2o_mem_alloc_pool(pool, sl + 1);
            memcpy(n, pat + 1, pl - 1);
            n[pl - 1] = 0;
            memcpy(v, path, sl);
            v[sl] = 0;
            pct_decode(v);
            r->param_name[r->nparams] = n;
            r->param_val[r->nparams++] = v;
        } else if (pl != sl || memcmp(pat, path, pl) != 0)
            return false;
        pat += pl, path += sl;
    }
    return *pat == 0 && *path == 0;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    char *path = h2o_mem_alloc_pool(&req->pool, plen + 1);
    memcpy(path, req->path.base, plen);
    path[plen] = 0;
    char *method = h2o_mem_alloc_pool(&req->pool, req->method.len + 1);
    memcpy(method, req->method.base, req->method.len);
    method[req->method.len] = 0;

    sim_req *r = h2o_mem_alloc_pool(&req->pool, sizeof *r);
    memset(r, 0, sizeof *r);
    struct sim_priv *p = calloc(1, sizeof *p);
    if (!p) zx_die("out of memory (request)");
    p->req = req;
    p->alive_ref = true;
    struct sim_priv **slot = h2o_mem_alloc_shared(&req->pool, sizeof *slot, on_req_disposed);
    *slot = p;
    r->priv = p;
    r->method = method;
    r->path = path;
    r->query = req->query_at != SIZE_MAX ? h2o_strdup(&req->pool, req->path.base + req->query_at + 1,
                                                      req->path.len - req->query_at - 1).base
                                         : "";
    char *body = h2o_mem_alloc_pool(&req->pool, req->entity.len + 1);
    if (req->entity.len) memcpy(body, req->entity.base, req->entity.len);
    body[req->entity.len] = 0;
    r->body = body;
    r->body_len = req->entity.len;

    bool path_known = false;
    for (size_t i = 0; i < g_nroutes; i++) {
        if (!match(g_routes[i].r->pattern, path, r, &req->pool)) continue;
        path_known = true;
        if (strcmp(g_routes[i].r->method, method) != 0) continue;
        r->party = g_routes[i].party;
        g_routes[i].r->fn(r);
        if (!p->replied && !p->ctype && !p->hang)
            sim_reply_error(r, 500, "NO_REPLY", "模拟方未作答");
        return 0;
    }
    r->nparams = 0;
    if (path_known) sim_reply_error(r, 405, "METHOD_NOT_ALLOWED", "不支持该方法");
    else sim_reply_error(r, 404, "NOT_FOUND", "模拟器没有这个地址");
    return 0;
}

/* ---- core routes ---------------------------------------------------------------------------- */

static void core_health(sim_req *r)
{
    char today[11];
    sim_today(today);
    sim_reply_json(r, 200, json_pack("{s:s,s:s,s:I}", "status", "ok", "today", today, "seed", (json_int_t)g_seed));
}

static void core_routes(sim_req *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < g_nroutes; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "party", g_routes[i].party, "method",
                                           g_routes[i].r->method, "path", g_routes[i].r->pattern, "summary",
                                           g_routes[i].r->summary ? g_routes[i].r->summary : ""));
    sim_reply_json(r, 200, json_pack("{s:o}", "routes", a));
}

/* PUT /sim/v1/clock {"today":"YYYY-MM-DD"} moves the simulated date (to that day, same time of day);
 * {"offset_ms":0} resets it. */
static void core_clock(sim_req *r)
{
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *today = json_string_value(json_object_get(b, "today"));
    json_t *off = json_object_get(b, "offset_ms");
    if (today) {
        struct tm tm;
        if (parse_date(today, &tm) != 0) {
            sim_reply_error(r, 400, "BAD_DATE", "日期格式应为 YYYY-MM-DD");
            return;
        }
        char now[11];
        g_clock_offset_ms = 0;
        sim_today(now);
        struct tm tn;
        parse_date(now, &tn);
        g_clock_offset_ms = (int64_t)(timegm(&tm) - timegm(&tn)) * 1000;
    } else if (json_is_integer(off))
        g_clock_offset_ms = json_integer_value(off);
    else {
        sim_reply_error(r, 400, "BAD_REQUEST", "需要 today 或 offset_ms");
        return;
    }
    core_health(r);
}

/* PUT /sim/v1/options {"party.name":"value", …} — run-time options (latency, error rates, outages). */
static void core_options(sim_req *r)
{
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v)
    {
        if (json_is_string(v)) json_object_set(g_opts, k, v);
        else if (json_is_integer(v)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            json_object_set_new(g_opts, k, json_string(buf));
        } else if (json_is_null(v))
            json_object_del(g_opts, k);
    }
    sim_reply_json(r, 200, json_pack("{s:O}", "options", g_opts));
}

static void core_options_get(sim_req *r) { sim_reply_json(r, 200, json_pack("{s:O}", "options", g_opts)); }

static const struct sim_route core_routes_tbl[] = {
    { "GET", "/sim/healthz", core_health, "模拟器健康检查" },
    { "GET", "/sim/v1/routes", core_routes, "模拟器的全部地址" },
    { "PUT", "/sim/v1/clock", core_clock, "调整模拟日期" },
    { "GET", "/sim/v1/options", core_options_get, "模拟参数" },
    { "PUT", "/sim/v1/options", core_options, "设置模拟参数（时延、差错率、中断）" },
};
SIM_ROUTES("sim", core_routes_tbl)

/* ---- main ----------------------------------------------------------------------------------- */

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) { g_stop = 1; }

static h2o_globalconf_t g_conf;
static h2o_context_t g_ctx;
static h2o_accept_ctx_t g_accept;

static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err) return;
    for (int i = 0; i < 64; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (!sock) break;
        h2o_accept(&g_accept, sock);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: zhixing-sim --listen HOST:PORT [--seed N] [--opt party.name=value …]\n"
                    "  A simulator of the outside parties (institutions, SMS gateway, banks, platforms).\n");
}

int main(int argc, char **argv)
{
    /* batches of hundreds of requests come and go as 100–300 KB bodies and JSON trees: keep freed heap
     * for the next one instead of returning it to the kernel and faulting it in again (a third of the
     * simulator's CPU in the inquiry benchmark went to page faults and heap growth) */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    const char *listen_at = getenv("ZX_SIM_LISTEN");
    g_opts = json_object();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--listen") && v) listen_at = argv[++i];
        else if (!strncmp(a, "--listen=", 9)) listen_at = a + 9;
        else if (!strcmp(a, "--seed") && v) g_seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--opt") && v) set_option(argv[++i]);
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else {
            usage();
            return 2;
        }
    }
    if (!listen_at) listen_at = "127.0.0.1:8090";
    const char *colon = strrchr(listen_at, ':');
    if (!colon || !colon[1]) {
        fprintf(stderr, "zhixing-sim: bad --listen '%s' (want HOST:PORT)\n", listen_at);
        return 2;
    }
    char host[128];
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen_at), listen_at);
    if (host[0] == '[') { /* [::1] */
        memmove(host, host + 1, strlen(host));
        char *rb = strchr(host, ']');
        if (rb) *rb = 0;
    }
    snprintf(g_base_url, sizeof g_base_url, "http://%s%s%s:%s", strchr(host, ':') ? "[" : "",
             host[0] && strcmp(host, "0.0.0.0") ? host : "127.0.0.1", strchr(host, ':') ? "]" : "", colon + 1);

    for (int i = 0; i < g_nhooks; i++)
        if (g_hooks[i].fn() != 0) {
            LOG_ERROR("zhixing-sim: party %s failed to start", g_hooks[i].party);
            return 1;
        }

    struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai;
    if (getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai) != 0) {
        fprintf(stderr, "zhixing-sim: cannot resolve '%s'\n", listen_at);
        return 1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
        listen(fd, SOMAXCONN) != 0) {
        fprintf(stderr, "zhixing-sim: cannot listen on %s: %s\n", listen_at, strerror(errno));
        freeaddrinfo(ai);
        return 1;
    }
    freeaddrinfo(ai);

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    h2o_config_init(&g_conf);
    g_conf.server_name = h2o_iovec_init(H2O_STRLIT("zhixing-sim"));
    g_conf.max_request_entity_size = 64u << 20;
    h2o_hostconf_t *hc = h2o_config_register_host(&g_conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pc = h2o_config_register_path(hc, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(pc, sizeof *handler);
    handler->on_req = on_req;
    h2o_context_init(&g_ctx, h2o_evloop_create(), &g_conf);
    g_accept.ctx = &g_ctx;
    g_accept.hosts = g_conf.hosts;
    h2o_socket_t *listener = h2o_evloop_socket_create(g_ctx.loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    h2o_socket_read_start(listener, on_accept);
    sim_post_start(g_ctx.loop);

    LOG_INFO("zhixing-sim (simulator) listening on %s, seed %llu, %zu routes", g_base_url,
             (unsigned long long)g_seed, g_nroutes);
    int32_t wait = 50;
    while (!g_stop) {
        h2o_evloop_run(g_ctx.loop, wait);
        wait = run_timers(50);
    }
    LOG_INFO("zhixing-sim: stopping");
    sim_post_stop();
    h2o_socket_read_stop(listener);
    h2o_socket_close(listener);
    json_decref(g_opts);
    return 0;
}
