/* http_internal.h — what the files of src/http share with each other (and with their unit tests).
 * Nothing outside src/http needs it (extra response headers: zx_add_header in http.h/headers.c).
 *
 * Request life cycle (server.c on_req):
 *   request id + client ip → zx_router_match (404/405) → body limit (413) → content type (415)
 *   → authentication (401/403) → handler → release DB / parsed JSON → send the stored reply
 *   → metrics + access log.
 * Handlers never write to h2o directly: zx_reply_* store status, content type and body in the
 * request's private part, and server.c sends it once the handler has returned. */
#ifndef ZX_HTTP_INTERNAL_H
#define ZX_HTTP_INTERNAL_H
/* Debian's libh2o-evloop is built with its own epoll loop; h2o.h must be told (no pkg-config flag). */
#ifndef H2O_USE_EPOLL
#define H2O_USE_EPOLL 1
#endif
#include <h2o.h>
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"

#define ZX_MAX_SEGS 16  /* path segments a route (and a routed request) may have */

/* Private part of a request (zx_req.priv). */
struct zx_req_priv {
    h2o_mem_pool_t *pool;        /* request pool: zx_alloc and reply bodies */
    const h2o_headers_t *req_headers;
    h2o_headers_t *res_headers;  /* response headers; may be NULL in tests */
    const char *content_type;    /* request Content-Type or NULL */
    db_conn *db;                 /* zx_db() */
    json_t *json;                /* zx_body_json() result, released after the handler */
    /* the stored reply */
    bool replied;
    int status;
    const char *res_type;        /* response content type */
    const char *disposition;
    h2o_iovec_t res_body;
    /* a stream reply (zx_reply_stream) instead of the stored one */
    bool stream;
    const char *stream_type;
    h2o_iovec_t stream_first;
    zx_stream_fn stream_open, stream_close;
    void *stream_ud;
    /* a deferred reply (zx_reply_defer): sent later by defer.c */
    zx_deferred *deferred;
};

/* Set up r for a request: zero it and attach priv, pool and headers (used by server.c and tests). */
void zx_req_setup(zx_req *r, struct zx_req_priv *p, zx_app *app, h2o_mem_pool_t *pool,
                  const h2o_headers_t *req_headers, h2o_headers_t *res_headers);
/* After the handler: roll back/release the DB connection, drop the parsed body. */
void zx_req_cleanup(zx_req *r);

/* JSON nesting pre-scan: true if no array/object nesting in s[0..n) exceeds max_depth. Strings
 * (with escapes) are skipped, so brackets inside them do not count. */
bool zx_json_depth_ok(const char *s, size_t n, int max_depth);
/* Percent-decode src[0..n) into dst (capacity ≥ n+1), NUL-terminated. plus_space: '+' → ' '
 * (query strings). Returns the decoded length, or -1 for a malformed escape or a decoded NUL. */
long zx_pct_decode(char *dst, const char *src, size_t n, bool plus_space);
/* Is the (raw, undecoded) URL path safe to map onto a directory? Rejects "." and ".." segments
 * (also when percent-encoded), backslashes, NUL, and encoded '/'. */
bool zx_path_safe(const char *raw, size_t n);

/* Router (router.c). The table is compiled once on first use; zx_routes_add after that is an
 * error (constructors run before main, so it never happens in practice). */
enum zx_match { ZX_MATCH_OK = 0, ZX_MATCH_NOT_FOUND = 1, ZX_MATCH_BAD_METHOD = 2, ZX_MATCH_BAD_PATH = 3 };
/* Match method + raw path (no query). On OK fills r->route, r->nparams/param_* (decoded, from the
 * request pool) and *route_index; on BAD_METHOD writes the Allow list ("GET, POST") into allow. */
enum zx_match zx_router_match(zx_req *r, const char *method, size_t mlen, const char *path,
                              size_t plen, int *route_index, char *allow, size_t allowlen);
/* Registered routes after compilation (stable order: registration order). */
int zx_router_count(void);
const struct zx_route *zx_router_at(int i);

/* Static files (static.c): serve GET or HEAD for a non-API path. Returns false when the request was
 * not answered (caller replies 404/405 JSON). status and bytes describe what was sent. */
bool zx_static_serve(zx_app *app, h2o_req_t *req, const char *raw_path, size_t plen, int *status,
                     size_t *bytes);
/* Content type for a file name by extension ("application/octet-stream" if unknown). */
const char *zx_mime_type(const char *name);
/* protocol.c: 1 if an HTTP/1 request carries both Content-Length and Transfer-Encoding, two
 * different Content-Lengths or two Transfer-Encodings (request smuggling); the raw header block is
 * read from the connection's input buffer. */
int zx_http1_framing_conflict(h2o_req_t *req);
/* protocol.c: output filter turning h2o's own text/plain error responses into the JSON error shape. */
void zx_protocol_filter_register(h2o_pathconf_t *pathconf);
/* request.c: is the raw query string well-formed (escapes valid, no NUL, every decoded name and value
 * valid UTF-8)? */
bool zx_query_valid(const char *q);

/* Deferred replies (defer.c): the loop's receiver (after h2o_context_init / before dispose), answers
 * still owed on a loop, and the handler's start time + route for the metrics. */
void zx_defer_loop_init(int loop, h2o_context_t *ctx);
void zx_defer_loop_fini(int loop);
int zx_defer_pending(int loop);
void zx_defer_started(zx_deferred *d, uint64_t t0_us, int route_index);
/* server.c: send the reply stored in r (status returned), and write its access-log line (if on). */
int zx_http_send_stored(h2o_req_t *req, zx_req *r, size_t *bytes);
void zx_http_access_log(zx_req *r, h2o_req_t *req, const char *raw_path, size_t plen, int status, size_t bytes,
                        uint64_t dur_us);

/* HSTS on every response (set by zx_http_serve: cfg.hsts and TLS here or at a front proxy). */
extern bool zx_hsts_on;

/* Common response headers (request id, nosniff, frame, referrer); api → Cache-Control no-store. */
void zx_add_common_headers(h2o_req_t *req, const char *request_id, bool api);

/* Streams (stream.c): start the stream stored in r (after the handler); returns the status sent. */
int zx_stream_start(h2o_req_t *req, zx_req *r, size_t *bytes);
/* Run the tick hooks on this loop thread; remember the loop index / count. */
void zx_http_ticks(int loop_index, bool stopping);
void zx_http_loop_set(int loop_index, int nloops);

/* Metrics (metrics.c). Slots: one per route, then pseudo routes for static and unmatched requests. */
void zx_metrics_init(int nthreads, int nroutes);
void zx_metrics_thread(int thread_index);  /* call once on each event-loop thread */
enum { ZX_PSEUDO_STATIC = -1, ZX_PSEUDO_UNMATCHED = -2 };
/* route_index ≥ 0, or ZX_PSEUDO_*; method used for pseudo routes only. */
void zx_metrics_observe(int route_index, const char *method, size_t mlen, int status,
                        uint64_t duration_us);
/* Prometheus text exposition, malloc'd, *len set. */
char *zx_metrics_render(zx_app *app, size_t *len);
#endif
