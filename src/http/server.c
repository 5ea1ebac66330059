/* server.c — the h2o event loops and the per-request pipeline.
 *
 * Threads: cfg.threads event loops (0 = cores). Each has its own h2o_evloop, h2o_context and its own
 * listening socket bound with SO_REUSEPORT; the loop that accepts a connection passes it to the
 * loop with the fewest open connections (a hand-off pipe per loop), so a few long-lived partner
 * connections cannot all land on one core. No thread waits for another. They share one h2o_globalconf_t with one handler at "/" (on_req) that routes
 * everything itself.
 *
 * Pipeline (on_req): request id, client ip → router (404/405) → body limit (413) → media type (415)
 * → authentication and roles/scope (401/403) → handler → DB release → send the stored reply →
 * metrics and access log. Non-API GET/HEAD paths that no route claims go to static.c.
 *
 * Shutdown: SIGTERM/SIGINT are blocked in every thread and taken by zx_http_serve with sigwait.
 * It sets g_stop; each loop closes its listener, asks h2o to stop keep-alive, keeps running while
 * a response is still being written (at most ZX_DRAIN_MS) and exits; then zx_http_serve returns 0
 * and main closes the store. Handlers run synchronously on the loop, so none is cut off mid-way;
 * a handler that deferred its reply to another thread (defer.c) is waited for in the drain. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "account/auth.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/http_internal.h"
#include "http/metrics.h"

#define ZX_DRAIN_MS 10000

struct worker {
    int index;
    int fd;
    pthread_t tid;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    int handoff[2];        /* pipe: accepted fds (4 bytes each) handed to this worker */
    h2o_socket_t *inbox;   /* read end on this worker's loop */
    atomic_int conns;      /* open connections on this loop */
    atomic_bool ready;     /* inbox is being read: may be handed connections */
};
static struct worker *g_workers;
static int g_nworkers;

static h2o_globalconf_t g_conf;
bool zx_hsts_on;
static SSL_CTX *g_ssl;
static zx_app *g_app;
static atomic_bool g_stop;
static _Thread_local uint64_t t_rng;

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- per-request helpers ------------------------------------------------------------------- */

/* 16 hex chars from a per-thread xorshift64* generator seeded from the system RNG. Request ids
 * only need to be unique-ish for correlating logs, not secret. */
static void new_request_id(char out[32])
{
    if (!t_rng) {
        zx_random(&t_rng, sizeof t_rng);
        t_rng |= 1;
    }
    t_rng ^= t_rng >> 12;
    t_rng ^= t_rng << 25;
    t_rng ^= t_rng >> 27;
    uint64_t v = t_rng * 0x2545F4914F6CDD1DULL;
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4) out[i] = hex[v & 15];
    out[16] = 0;
}

/* Honour an incoming X-Request-Id if it is short and made of safe characters (it is echoed in a
 * header and in logs). Our buffer holds 31 characters. */
static void take_request_id(h2o_req_t *req, char out[32])
{
    ssize_t at = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-request-id"), -1);
    if (at >= 0) {
        h2o_iovec_t v = req->headers.entries[at].value;
        bool ok = v.len > 0 && v.len < 32;
        for (size_t i = 0; ok && i < v.len; i++) {
            char c = v.base[i];
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
                 c == '_' || c == '.';
        }
        if (ok) {
            memcpy(out, v.base, v.len);
            out[v.len] = 0;
            return;
        }
    }
    new_request_id(out);
}

static const char *peer_ip(h2o_req_t *req)
{
    struct sockaddr_storage ss;
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    char *buf = h2o_mem_alloc_pool(&req->pool, INET6_ADDRSTRLEN);
    buf[0] = 0;
    if (sl == 0) return buf;
    if (ss.ss_family == AF_INET) { /* every request: by hand, inet_ntop formats with sprintf */
        const uint8_t *a = (const uint8_t *)&((struct sockaddr_in *)&ss)->sin_addr;
        char *o = buf;
        for (int i = 0; i < 4; i++) {
            unsigned v = a[i];
            if (v >= 100) *o++ = (char)('0' + v / 100);
            if (v >= 10) *o++ = (char)('0' + v / 10 % 10);
            *o++ = (char)('0' + v % 10);
            *o++ = i < 3 ? '.' : 0;
        }
    }
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, INET6_ADDRSTRLEN);
    return buf;
}

static const char *reason_phrase(int s)
{
    switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return s < 300 ? "OK" : s < 400 ? "Redirect" : s < 500 ? "Client Error" : "Server Error";
    }
}

static bool mem_eq(h2o_iovec_t v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && memcmp(v.base, s, n) == 0;
}

static bool is_api_path(const char *p, size_t n)
{
    return (n >= 4 && !memcmp(p, "/api", 4) && (n == 4 || p[4] == '/')) ||
           (n == 8 && !memcmp(p, "/healthz", 8)) || (n == 8 && !memcmp(p, "/metrics", 8));
}

/* Content-Type is application/json (parameters such as charset allowed). */
static bool is_json_type(const char *ct)
{
    if (!ct) return false;
    while (*ct == ' ') ct++;
    if (strncasecmp(ct, "application/json", 16) != 0) return false;
    char c = ct[16];
    return c == 0 || c == ';' || c == ' ';
}

static void json_str(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    for (; s && *s && o + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
        else if (c < 0x20) o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        else out[o++] = (char)c;
    }
    out[o] = 0;
}

static void access_log(zx_req *r, h2o_req_t *req, const char *raw_path, size_t plen, int status,
                       size_t bytes, uint64_t dur_us)
{
    char path[512], path_esc[1100], who[200], line[2048];
    size_t pl = plen < sizeof path ? plen : sizeof path - 1;
    memcpy(path, raw_path, pl);
    path[pl] = 0;
    json_str(path_esc, sizeof path_esc, path);
    who[0] = 0;
    if (r->who.kind == ZX_USER) {
        char e[140];
        json_str(e, sizeof e, r->who.username);
        snprintf(who, sizeof who, ",\"user\":\"%s\"", e);
    } else if (r->who.kind == ZX_PARTNER) {
        char e[180];
        json_str(e, sizeof e, r->who.partner_name);
        snprintf(who, sizeof who, ",\"partner\":\"%s\"", e);
    }
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int mlen = req->method.len < 16 ? (int)req->method.len : 16;
    char method[40];
    snprintf(method, sizeof method, "%.*s", mlen, req->method.base);
    char method_esc[100];
    json_str(method_esc, sizeof method_esc, method);
    snprintf(line, sizeof line,
             "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"type\":\"access\",\"request_id\":\"%s\","
             "\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"bytes\":%zu,\"duration_us\":%llu%s,"
             "\"client_ip\":\"%s\"}",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             ts.tv_nsec / 1000000, r->request_id, method_esc, path_esc, status, bytes,
             (unsigned long long)dur_us, who, r->client_ip);
    zx_log_line(line);
}

/* Send the reply stored in r (or 500 if there is none). Returns the status. */
static int send_stored(h2o_req_t *req, zx_req *r, const char *allow, size_t *bytes)
{
    struct zx_req_priv *p = r->priv;
    if (!p->replied) {
        LOG_ERROR("request %s: handler for %s %s returned without replying", r->request_id, r->method,
                  r->route ? r->route->pattern : r->path);
        zx_reply_error(r, 500, "INTERNAL", "服务器内部错误");
    }
    req->res.status = p->status;
    req->res.reason = reason_phrase(p->status);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, p->res_type, strlen(p->res_type));
    if (p->disposition)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL, p->disposition,
                       strlen(p->disposition));
    if (allow && allow[0])
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, allow, strlen(allow));
    zx_add_common_headers(req, r->request_id, true);
    req->res.content_length = p->res_body.len;
    static h2o_generator_t gen = { NULL, NULL };
    h2o_start_response(req, &gen);
    if (mem_eq(req->method, "HEAD")) {
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
        *bytes = 0;
    } else {
        h2o_send(req, &p->res_body, 1, H2O_SEND_STATE_FINAL);
        *bytes = p->res_body.len;
    }
    return p->status;
}

int zx_http_send_stored(h2o_req_t *req, zx_req *r, size_t *bytes) { return send_stored(req, r, NULL, bytes); }

void zx_http_access_log(zx_req *r, h2o_req_t *req, const char *raw_path, size_t plen, int status, size_t bytes,
                        uint64_t dur_us)
{
    if (g_app->cfg.access_log) access_log(r, req, raw_path, plen, status, bytes, dur_us);
}

/* Authentication and authorisation for the matched route; replies and returns false on refusal. */
static bool authenticate(zx_req *r)
{
    const struct zx_route *rt = r->route;
    bool user = rt->flags & ZX_R_USER, partner = rt->flags & ZX_R_PARTNER;
    if (user && partner) {
        /* Either kind may call: a partner key looks like "Bearer zxk_…". */
        const char *auth = zx_header(r, "authorization");
        bool key = auth && !strncasecmp(auth, "Bearer zxk_", 11);
        user = !key;
        partner = key;
    }
    if (user) {
        enum zx_auth_result a = zx_auth_user(r);
        if (a == ZX_AUTH_CSRF) {
            zx_reply_error(r, 403, "CSRF_FAILED", "CSRF 校验失败，请刷新页面后重试");
            return false;
        }
        if (a != ZX_AUTH_OK) {
            zx_reply_error(r, 401, "UNAUTHENTICATED", "未登录或登录已过期");
            return false;
        }
        if (r->who.must_change_pw && !(rt->flags & ZX_R_PENDING_OK)) {
            /* First login, a reset or an expired password: nothing else until it is changed. */
            zx_reply_error(r, 403, "PASSWORD_CHANGE_REQUIRED", "请先修改密码（首次登录、密码被重置或已过期）");
            return false;
        }
        if (r->who.mfa_pending && !(rt->flags & ZX_R_PENDING_OK)) {
            /* Administrators and chiefs enrol a second factor before anything else (account/totp.h). */
            zx_reply_error(r, 403, "TOTP_ENROLMENT_REQUIRED", "请先绑定动态口令（双因素认证）");
            return false;
        }
        if (rt->roles && !(r->who.roles & rt->roles)) {
            zx_reply_error(r, 403, "FORBIDDEN", "无权执行此操作");
            return false;
        }
    } else if (partner) {
        if (zx_auth_partner(r) != ZX_AUTH_OK) {
            zx_reply_error(r, 401, "UNAUTHENTICATED", "API 密钥无效");
            return false;
        }
        if (rt->scope && rt->scope[0] && !zx_partner_has_scope(&r->who, rt->scope)) {
            zx_reply_error(r, 403, "FORBIDDEN", "API 密钥缺少权限范围 %s", rt->scope);
            return false;
        }
    }
    return true;
}

/* Limits, media type, authentication, handler. Always leaves a reply (or a missing one) in r. */
static void run_route(zx_req *r, h2o_req_t *req)
{
    const struct zx_route *rt = r->route;
    const struct zx_config *cfg = &g_app->cfg;
    size_t limit = (rt->flags & ZX_R_BIG_BODY) ? cfg->upload_limit : cfg->body_limit;
    ssize_t at = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_LENGTH, -1);
    if (at >= 0) {
        h2o_iovec_t v = req->headers.entries[at].value;
        size_t cl = h2o_strtosize(v.base, v.len);
        if (cl != SIZE_MAX && cl > limit) {
            zx_reply_error(r, 413, "BODY_TOO_LARGE", "请求体超过 %zu 字节上限", limit);
            return;
        }
    }
    if (req->entity.base) {
        r->body = req->entity.base;
        r->body_len = req->entity.len;
    }
    if (r->body_len > limit) {
        zx_reply_error(r, 413, "BODY_TOO_LARGE", "请求体超过 %zu 字节上限", limit);
        return;
    }
    struct zx_req_priv *p = r->priv;
    p->content_type = zx_header(r, "content-type");
    bool has_body_method = !strcmp(r->method, "POST") || !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH");
    if (has_body_method && !(rt->flags & ZX_R_RAW_BODY) && r->body_len > 0 && !is_json_type(p->content_type)) {
        /* A body that is not JSON at all is a malformed request (400 BAD_JSON) whatever its label;
         * well-formed JSON sent with another media type is 415. */
        json_t *probe = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL);
        if (!probe) {
            zx_reply_error(r, 400, "BAD_JSON", "请求体不是合法的 JSON");
            return;
        }
        json_decref(probe);
        zx_reply_error(r, 415, "UNSUPPORTED_MEDIA_TYPE", "请求体必须是 application/json");
        return;
    }
    if (!authenticate(r)) return;
    rt->fn(r);
    if ((rt->flags & ZX_R_PII_READ) && p->replied && p->status >= 200 && p->status < 300) {
        /* One audit record per request naming what was returned; no unaudited read (fail closed). */
        const char *type = strstr(rt->pattern, "/credit/") ? "credit" : "personal_data";
        if (zx_audit_read_reply(r, type, p->res_body.base, p->res_body.len) != 0) {
            p->replied = false;
            zx_reply_error(r, 503, "AUDIT_UNAVAILABLE", "审计记录失败，未返回数据");
        }
    }
}

static const char *method_str(h2o_req_t *req)
{
    static const char *const known[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (mem_eq(req->method, known[i])) return known[i];
    return h2o_strdup(&req->pool, req->method.base, req->method.len).base;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    uint64_t t0 = mono_us();
    zx_req r;
    struct zx_req_priv p;
    zx_req_setup(&r, &p, g_app, &req->pool, &req->headers, &req->res.headers);
    r.h2o = req;
    take_request_id(req, r.request_id);
    r.client_ip = peer_ip(req);
    r.method = method_str(req);

    const char *raw = req->path.base;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (req->query_at != SIZE_MAX)
        r.query = h2o_strdup(&req->pool, raw + req->query_at + 1, req->path.len - req->query_at - 1).base;
    char *dpath = h2o_mem_alloc_pool(&req->pool, plen + 1);
    bool path_ok = zx_pct_decode(dpath, raw, plen, false) >= 0;
    r.path = path_ok ? dpath : "";

    int route_index = ZX_PSEUDO_UNMATCHED, status = 0;
    size_t bytes = 0;
    char allow[64] = "";
    /* HEAD runs the GET route; send_stored then omits the body. */
    h2o_iovec_t rm = mem_eq(req->method, "HEAD") ? h2o_iovec_init(H2O_STRLIT("GET")) : req->method;
    enum zx_match m = path_ok ? zx_router_match(&r, rm.base, rm.len, raw, plen, &route_index, allow, sizeof allow)
                              : ZX_MATCH_BAD_PATH;
    bool api = is_api_path(raw, plen);
    bool get = mem_eq(req->method, "GET") || mem_eq(req->method, "HEAD");

    if (zx_http1_framing_conflict(req)) {
        /* Ambiguous body framing: refuse, and close the connection so nothing after it is read as a
         * request of its own. */
        req->http1_is_persistent = 0;
        zx_reply_error(&r, 400, "BAD_REQUEST", "请求头同时含有 Content-Length 与 Transfer-Encoding，或含有多个不同的 Content-Length");
        status = send_stored(req, &r, NULL, &bytes);
    } else if (api && !zx_query_valid(r.query)) {
        /* Every query parameter reaches handlers (and the store) as valid UTF-8 or not at all. */
        zx_reply_error(&r, 400, "BAD_QUERY", "查询参数格式错误（须为有效的 UTF-8 编码）");
        status = send_stored(req, &r, NULL, &bytes);
    } else if (m == ZX_MATCH_OK) {
        run_route(&r, req);
        zx_req_cleanup(&r);
        if (p.deferred) { /* answered later from another thread (defer.c): metrics and log then */
            zx_defer_started(p.deferred, t0, route_index);
            return 0;
        }
        if (p.stream && p.replied) status = zx_stream_start(req, &r, &bytes);
        else status = send_stored(req, &r, NULL, &bytes);
    } else if (m == ZX_MATCH_NOT_FOUND && !api && get) {
        route_index = ZX_PSEUDO_STATIC;
        zx_add_common_headers(req, r.request_id, false);
        if (!zx_static_serve(g_app, req, raw, plen, &status, &bytes)) {
            req->res.headers = (h2o_headers_t){ NULL, 0, 0 }; /* send_stored adds them again */
            zx_reply_error(&r, 404, "NOT_FOUND", "文件不存在");
            status = send_stored(req, &r, NULL, &bytes);
        }
    } else {
        if (m == ZX_MATCH_BAD_PATH)
            zx_reply_error(&r, 400, "BAD_REQUEST", "请求路径无效");
        else if (m == ZX_MATCH_BAD_METHOD)
            zx_reply_error(&r, 405, "METHOD_NOT_ALLOWED", "不支持的请求方法 %s", r.method);
        else if (!api) {
            snprintf(allow, sizeof allow, "GET, HEAD");
            zx_reply_error(&r, 405, "METHOD_NOT_ALLOWED", "不支持的请求方法 %s", r.method);
        } else
            zx_reply_error(&r, 404, "NOT_FOUND", "接口不存在");
        status = send_stored(req, &r, allow, &bytes);
    }

    uint64_t dur = mono_us() - t0;
    zx_metrics_observe(route_index, req->method.base, req->method.len, status, dur);
    if (g_app->cfg.access_log) access_log(&r, req, raw, plen, status, bytes, dur);
    return 0;
}

/* ---- event loops --------------------------------------------------------------------------- */

/* Connections are spread by open-connection count, not by the kernel's SO_REUSEPORT hash alone: a
 * partner's bulk client keeps a few long connections, and two of them hashed to one loop left the
 * other core idle (bulk checks 2.6M instead of 5M IDs/s). The worker that accepts gives the
 * connection to the worker with the fewest open connections (itself on a tie) through that
 * worker's hand-off pipe. */
static void on_conn_close(void *data)
{
    struct worker *w = data;
    atomic_fetch_sub_explicit(&w->conns, 1, memory_order_relaxed);
}

static void adopt(struct worker *w, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    h2o_socket_t *sock = h2o_evloop_socket_create(w->ctx.loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
    atomic_fetch_add_explicit(&w->conns, 1, memory_order_relaxed);
    sock->on_close.cb = on_conn_close;
    sock->on_close.data = w;
    h2o_accept(&w->accept_ctx, sock);
}

static int64_t open_connections(void)
{
    int64_t n = 0;
    for (int i = 0; i < g_nworkers; i++) n += atomic_load_explicit(&g_workers[i].conns, memory_order_relaxed);
    return n;
}

static struct worker *least_loaded(struct worker *self)
{
    struct worker *best = self;
    int bc = atomic_load_explicit(&self->conns, memory_order_relaxed);
    for (int i = 0; i < g_nworkers; i++) {
        struct worker *o = &g_workers[i];
        if (o == self || !atomic_load_explicit(&o->ready, memory_order_acquire)) continue;
        int c = atomic_load_explicit(&o->conns, memory_order_relaxed);
        if (c < bc) best = o, bc = c;
    }
    return best;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct worker *w = listener->data;
    if (err) return;
    for (int i = 0; i < 16; i++) {
        int fd = accept4(h2o_socket_get_fd(listener), NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        struct worker *t = least_loaded(w);
        if (t != w) {
            atomic_fetch_add_explicit(&t->conns, 1, memory_order_relaxed); /* counted now: the next accept sees it */
            if (write(t->handoff[1], &fd, sizeof fd) == (ssize_t)sizeof fd) continue;
            atomic_fetch_sub_explicit(&t->conns, 1, memory_order_relaxed);
        }
        adopt(w, fd);
    }
}

static void on_handoff(h2o_socket_t *sock, const char *err)
{
    struct worker *w = sock->data;
    if (err) return;
    while (sock->input->size >= sizeof(int)) {
        int fd;
        memcpy(&fd, sock->input->bytes, sizeof fd);
        h2o_buffer_consume(&sock->input, sizeof fd);
        atomic_fetch_sub_explicit(&w->conns, 1, memory_order_relaxed); /* adopt counts it again */
        if (atomic_load_explicit(&g_stop, memory_order_relaxed)) close(fd);
        else adopt(w, fd);
    }
}

static int count_writing(h2o_req_t *req, void *data)
{
    if (req->conn && req->conn->callbacks->get_socket) {
        h2o_socket_t *s = req->conn->callbacks->get_socket(req->conn);
        if (s && h2o_socket_is_writing(s)) ++*(int *)data;
    }
    return 0;
}

/* Responses still being written on this loop's connections. */
static int busy(h2o_context_t *ctx)
{
    int n = 0;
    if (g_conf.http1.callbacks.foreach_request) g_conf.http1.callbacks.foreach_request(ctx, count_writing, &n);
    if (g_conf.http2.callbacks.foreach_request) g_conf.http2.callbacks.foreach_request(ctx, count_writing, &n);
    return n;
}

static int shut_input(h2o_req_t *req, void *data)
{
    if (req->conn && req->conn->callbacks->get_socket) {
        h2o_socket_t *s = req->conn->callbacks->get_socket(req->conn);
        if (s) shutdown(h2o_socket_get_fd(s), SHUT_RD);
    }
    return 0;
}

static void close_idle(h2o_context_t *ctx)
{
    /* HTTP/1: one request object per connection. HTTP/2 connections got GOAWAY from
     * h2o_context_request_shutdown and are closed by h2o after graceful_shutdown_timeout. */
    if (g_conf.http1.callbacks.foreach_request) g_conf.http1.callbacks.foreach_request(ctx, shut_input, NULL);
}

static bool conns_empty(h2o_context_t *ctx)
{
    return h2o_linklist_is_empty(&ctx->http1._conns) && h2o_linklist_is_empty(&ctx->http2._conns);
}

/* h2o_context_dispose asserts that no timer is pending; if one is, we leave the context alone. */
static bool timeouts_idle(h2o_context_t *ctx)
{
    h2o_timeout_t *t[] = { &ctx->zero_timeout, &ctx->one_sec_timeout, &ctx->hundred_ms_timeout,
                           &ctx->handshake_timeout, &ctx->http1.req_timeout, &ctx->http2.idle_timeout,
                           &ctx->http2.graceful_shutdown_timeout, &ctx->proxy.io_timeout };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!h2o_linklist_is_empty(&t[i]->_entries)) return false;
    return true;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    zx_metrics_thread(w->index);
    zx_http_loop_set(w->index, g_nworkers);
    h2o_context_init(&w->ctx, h2o_evloop_create(), &g_conf);
    zx_defer_loop_init(w->index, &w->ctx);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = g_conf.hosts;
    w->accept_ctx.ssl_ctx = g_ssl;
    w->listener = h2o_evloop_socket_create(w->ctx.loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    int in = dup(w->handoff[0]); /* h2o closes its copy; the server closes the pipe after the loops */
    if (in < 0) zx_die("dup: %s", strerror(errno));
    w->inbox = h2o_evloop_socket_create(w->ctx.loop, in, 0);
    w->inbox->data = w;
    h2o_socket_read_start(w->inbox, on_handoff);
    atomic_store_explicit(&w->ready, true, memory_order_release);

    while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
        h2o_evloop_run(w->ctx.loop, zx_http_tick_take_soon() ? 0 : 100);
        zx_http_ticks(w->index, false);
        zx_log_flush_stale();
    }
    zx_log_thread_end();

    /* Drain: no new connections, no more keep-alive, finish responses being written. */
    atomic_store_explicit(&w->ready, false, memory_order_release);
    h2o_socket_read_stop(w->listener);
    h2o_socket_close(w->listener);
    h2o_socket_read_stop(w->inbox);
    while (w->inbox->input->size >= sizeof(int)) { /* read but not adopted: close */
        int fd;
        memcpy(&fd, w->inbox->input->bytes, sizeof fd);
        h2o_buffer_consume(&w->inbox->input, sizeof fd);
        close(fd);
    }
    h2o_socket_close(w->inbox);
    h2o_context_request_shutdown(&w->ctx);
    zx_http_ticks(w->index, true); /* streams end themselves */
    uint64_t deadline = mono_us() + (uint64_t)ZX_DRAIN_MS * 1000u;
    do {
        h2o_evloop_run(w->ctx.loop, 10);
    } while ((busy(&w->ctx) || zx_defer_pending(w->index)) && mono_us() < deadline);
    zx_defer_loop_fini(w->index); /* answers still owed after the deadline are dropped */
    /* What is left is idle keep-alive (or stalled) connections: end their input so h2o closes them
     * itself, then dispose of the context once none refers to it any more. */
    close_idle(&w->ctx);
    deadline = mono_us() + 4000000u;
    while (!conns_empty(&w->ctx) && mono_us() < deadline) h2o_evloop_run(w->ctx.loop, 10);
    if (h2o_timeout_is_linked(&w->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&w->ctx.http2._graceful_shutdown_timeout);
    if (conns_empty(&w->ctx) && timeouts_idle(&w->ctx)) {
        h2o_evloop_t *loop = w->ctx.loop;
        h2o_context_dispose(&w->ctx);
        h2o_evloop_destroy(loop);
    }
    return NULL;
}

/* Parse "HOST:PORT" ("[::1]:8080", ":8080" = all addresses). */
static int parse_listen(const char *s, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *colon;
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':') return -1;
        snprintf(host, hcap, "%.*s", (int)(rb - s - 1), s + 1);
        colon = rb + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon) return -1;
        snprintf(host, hcap, "%.*s", (int)(colon - s), s);
    }
    snprintf(port, pcap, "%s", colon + 1);
    return port[0] ? 0 : -1;
}

static int open_listener(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) return -1;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int setup_tls(const struct zx_config *cfg)
{
    if (!cfg->tls_cert[0] && !cfg->tls_key[0]) return 0;
    if (!cfg->tls_cert[0] || !cfg->tls_key[0]) {
        LOG_ERROR("TLS needs both tls_cert and tls_key");
        return -1;
    }
    g_ssl = SSL_CTX_new(TLS_server_method());
    if (!g_ssl) return -1;
    SSL_CTX_set_min_proto_version(g_ssl, TLS1_2_VERSION);
    SSL_CTX_set_options(g_ssl, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(g_ssl, cfg->tls_cert) != 1) {
        LOG_ERROR("cannot load TLS certificate %s: %s", cfg->tls_cert, ERR_reason_error_string(ERR_get_error()));
        return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(g_ssl, cfg->tls_key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(g_ssl) != 1) {
        LOG_ERROR("cannot load TLS key %s: %s", cfg->tls_key, ERR_reason_error_string(ERR_get_error()));
        return -1;
    }
    h2o_ssl_register_alpn_protocols(g_ssl, h2o_http2_alpn_protocols);
    return 0;
}

int zx_http_serve(zx_app *app)
{
    const struct zx_config *cfg = &app->cfg;
    g_app = app;
    signal(SIGPIPE, SIG_IGN);

    int nthreads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1) nthreads = 1;
    if (nthreads > 256) nthreads = 256;

    char host[128], port[16];
    if (parse_listen(cfg->listen, host, sizeof host, port, sizeof port) != 0) {
        LOG_ERROR("bad listen address '%s' (want HOST:PORT)", cfg->listen);
        return 1;
    }
    struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai;
    int gai = getaddrinfo(host[0] && strcmp(host, "*") ? host : NULL, port, &hints, &ai);
    if (gai != 0) {
        LOG_ERROR("cannot resolve listen address '%s': %s", cfg->listen, gai_strerror(gai));
        return 1;
    }
    struct worker *workers = calloc((size_t)nthreads, sizeof *workers);
    if (!workers) zx_die("out of memory (workers)");
    g_workers = workers;
    g_nworkers = nthreads;
    for (int i = 0; i < nthreads; i++) {
        workers[i].index = i;
        if (pipe2(workers[i].handoff, O_NONBLOCK | O_CLOEXEC) != 0) zx_die("pipe2: %s", strerror(errno));
        workers[i].fd = open_listener(ai);
        if (workers[i].fd < 0) {
            LOG_ERROR("cannot listen on %s: %s", cfg->listen, strerror(errno));
            for (int k = 0; k < i; k++) close(workers[k].fd);
            freeaddrinfo(ai);
            free(workers);
            return 1;
        }
    }
    freeaddrinfo(ai);
    if (setup_tls(cfg) != 0) {
        for (int k = 0; k < nthreads; k++) close(workers[k].fd);
        free(workers);
        return 1;
    }

    zx_hsts_on = cfg->hsts && (g_ssl || cfg->tls_offloaded);
    h2o_config_init(&g_conf);
    g_conf.server_name = h2o_iovec_init(H2O_STRLIT("zhixing"));
    size_t maxbody = cfg->body_limit > cfg->upload_limit ? cfg->body_limit : cfg->upload_limit;
    g_conf.max_request_entity_size = maxbody + 1;
    g_conf.http2.graceful_shutdown_timeout = 2000; /* ms after the second GOAWAY, then close */
    h2o_hostconf_t *host_conf = h2o_config_register_host(&g_conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path_conf = h2o_config_register_path(host_conf, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path_conf, sizeof *handler);
    handler->on_req = on_req;
    /* h2o's own error answers (bad Content-Length, broken chunks …) in the JSON error shape. */
    zx_protocol_filter_register(path_conf);
    zx_protocol_filter_register(&host_conf->fallback_path);

    zx_metrics_init(nthreads, zx_router_count());
    static bool gauge_done;
    if (!gauge_done) {
        zx_gauge_register("zx_http_connections_open", "Open client connections over all event loops.", open_connections);
        gauge_done = true;
    }

    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    atomic_store(&g_stop, false);
    for (int i = 0; i < nthreads; i++)
        if (pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) != 0) zx_die("pthread_create failed");
    LOG_INFO("listening on %s://%s (%d threads, %d routes)", g_ssl ? "https" : "http", cfg->listen, nthreads,
             zx_router_count());

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0) {}
    LOG_INFO("signal %d: stopping, draining in-flight requests", sig);
    atomic_store(&g_stop, true);
    for (int i = 0; i < nthreads; i++) pthread_join(workers[i].tid, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for (int i = 0; i < nthreads; i++) { /* connections handed over after their loop stopped */
        int fd;
        while (read(workers[i].handoff[0], &fd, sizeof fd) == (ssize_t)sizeof fd) close(fd);
        close(workers[i].handoff[0]);
        close(workers[i].handoff[1]);
    }
    g_workers = NULL;
    g_nworkers = 0;
    free(workers);
    if (g_ssl) {
        SSL_CTX_free(g_ssl);
        g_ssl = NULL;
    }
    LOG_INFO("server stopped");
    return 0;
}
