/* stream.c — long-lived responses for Server-Sent Events (http.h zx_reply_stream) and the per-loop
 * tick hooks that feed them.
 *
 * A stream is an h2o generator that never finishes on its own: the first bytes are sent when the
 * handler returns, then the owning module writes on the same loop thread whenever it has news.
 * h2o allows one h2o_send in flight per request; proceed() marks the stream writable again. The
 * module decides what to send when it is writable (for live prices: only the newest state), so a
 * slow client never makes the server queue unbounded data. stop() is h2o telling us the client went
 * away (or the connection is being disposed): on_close runs and the stream is freed. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "http/http_internal.h"

struct zx_stream {
    h2o_generator_t gen; /* first: h2o hands it back to proceed/stop */
    h2o_req_t *req;
    zx_stream_fn on_close;
    void *ud;
    char *buf;
    size_t cap;
    h2o_iovec_t vec;
    bool in_flight, end_pending, done;
};

#define MAX_TICKS 8
static zx_tick_fn g_ticks[MAX_TICKS];
static int g_nticks;
static int g_nloops;
static _Thread_local int t_loop = -1;
static _Thread_local bool t_soon;

void zx_http_tick_soon(void) { t_soon = true; }
bool zx_http_tick_take_soon(void)
{
    bool v = t_soon;
    t_soon = false;
    return v;
}

void zx_http_tick_add(zx_tick_fn fn)
{
    if (g_nticks >= MAX_TICKS) zx_die("zx_http_tick_add: too many tick hooks");
    g_ticks[g_nticks++] = fn;
}

void zx_http_ticks(int loop_index, bool stopping)
{
    for (int i = 0; i < g_nticks; i++) g_ticks[i](loop_index, stopping);
}

void zx_http_loop_set(int loop_index, int nloops)
{
    t_loop = loop_index;
    g_nloops = nloops;
}

int zx_http_loop_index(void) { return t_loop; }
int zx_http_loop_count(void) { return g_nloops; }

void zx_reply_stream(zx_req *r, const char *content_type, const char *first, size_t len, zx_stream_fn on_open,
                     zx_stream_fn on_close, void *ud)
{
    struct zx_req_priv *p = r->priv;
    if (p->replied) return;
    p->replied = true;
    p->status = 200;
    p->stream = true;
    p->stream_type = zx_strdup(r, content_type);
    char *f = zx_alloc(r, len + 1);
    if (len) memcpy(f, first, len);
    p->stream_first = h2o_iovec_init(f, len);
    p->stream_open = on_open;
    p->stream_close = on_close;
    p->stream_ud = ud;
}

static void stream_free(struct zx_stream *s)
{
    if (s->on_close) s->on_close(s, s->ud);
    free(s->buf);
    free(s);
}

static void send_final(struct zx_stream *s)
{
    s->done = true;
    h2o_send(s->req, NULL, 0, H2O_SEND_STATE_FINAL);
    stream_free(s); /* after FINAL h2o no longer calls proceed/stop */
}

static void on_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    struct zx_stream *s = (struct zx_stream *)g;
    s->in_flight = false;
    if (s->end_pending) send_final(s);
}

static void on_stop(h2o_generator_t *g, h2o_req_t *req)
{
    struct zx_stream *s = (struct zx_stream *)g;
    if (s->done) return;
    s->done = true;
    stream_free(s);
}

static bool copy_in(struct zx_stream *s, const char *data, size_t len)
{
    if (len > s->cap) {
        size_t nc = s->cap ? s->cap : 256;
        while (nc < len) nc *= 2;
        char *nb = realloc(s->buf, nc);
        if (!nb) return false;
        s->buf = nb;
        s->cap = nc;
    }
    memcpy(s->buf, data, len);
    s->vec = h2o_iovec_init(s->buf, len);
    return true;
}

int zx_stream_start(h2o_req_t *req, zx_req *r, size_t *bytes)
{
    struct zx_req_priv *p = r->priv;
    struct zx_stream *s = calloc(1, sizeof *s);
    if (!s) zx_die("stream: out of memory");
    s->gen.proceed = on_proceed;
    s->gen.stop = on_stop;
    s->req = req;
    s->on_close = p->stream_close;
    s->ud = p->stream_ud;
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, p->stream_type, strlen(p->stream_type));
    zx_add_common_headers(req, r->request_id, true);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-accel-buffering"), 0, NULL, H2O_STRLIT("no"));
    h2o_start_response(req, &s->gen);
    copy_in(s, p->stream_first.base, p->stream_first.len);
    s->in_flight = true;
    h2o_send(req, &s->vec, 1, H2O_SEND_STATE_IN_PROGRESS);
    *bytes = p->stream_first.len;
    if (p->stream_open) p->stream_open(s, s->ud);
    return 200;
}

bool zx_stream_busy(const zx_stream *s) { return s->in_flight || s->end_pending || s->done; }

bool zx_stream_send(zx_stream *s, const char *data, size_t len)
{
    if (zx_stream_busy(s) || !len) return false;
    if (!copy_in(s, data, len)) return false;
    s->in_flight = true;
    h2o_send(s->req, &s->vec, 1, H2O_SEND_STATE_IN_PROGRESS);
    return true;
}

void zx_stream_end(zx_stream *s)
{
    if (s->done || s->end_pending) return;
    if (s->in_flight) s->end_pending = true;
    else send_final(s);
}
