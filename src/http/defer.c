/* defer.c — deferred replies (http.h zx_reply_defer): a handler hands its request to another thread
 * and the answer is sent later, on the request's own event loop.
 *
 * Why: a group-committing writer (auction/sequencer.c: one transaction for many bids) must not hold
 * an event loop while it waits for the commit — with 2 loops only 2 bids could wait at a time. The
 * handler stores a zx_deferred and returns; the worker thread fills in status + body and posts the
 * handle to the loop's h2o multithread queue (h2o_context_t.queue, one receiver per loop); the loop
 * sends it like a stored reply (same headers, metrics, access-log line).
 *
 * Lifetimes, all on the loop thread except the fill-in: the request's pool holds a small shared
 * token whose dispose callback clears d->req, so a request that h2o disposed meanwhile (HTTP/2 stream
 * reset, connection closed) drops the late answer instead of touching freed memory. A loop that has
 * stopped (zx_defer_loop_fini) no longer receives: answers for it are dropped under g_mu. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/log.h"
#include "http/http_internal.h"
#include "http/metrics.h"

#define MAX_LOOPS 256

struct defer_token {
    zx_deferred *d;
};

struct zx_deferred {
    h2o_multithread_message_t msg; /* first: the queue hands it back */
    atomic_int refs;               /* 2: the pool token's and the answer's */
    h2o_req_t *req;                /* NULL once h2o disposed the request */
    struct defer_token *tok;
    int loop, route_index;
    uint64_t t0_us;
    zx_principal who;
    char request_id[32];
    const char *client_ip, *method;
    /* the answer (filled by the worker thread) */
    int status;
    char *body;
    size_t len;
};

static struct loop_rx {
    h2o_multithread_receiver_t rx;
    h2o_multithread_queue_t *queue;
    bool alive;
    atomic_int pending;
} g_rx[MAX_LOOPS];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void unref(zx_deferred *d)
{
    if (atomic_fetch_sub(&d->refs, 1) == 1) {
        free(d->body);
        free(d);
    }
}

/* The request's pool is being cleared (on the loop thread). */
static void token_dispose(void *p)
{
    struct defer_token *t = p;
    zx_deferred *d = t->d;
    if (!d) return;
    t->d = NULL;
    d->req = NULL;
    d->tok = NULL;
    unref(d);
}

/* The answer is done with (sent or dropped). */
static void answer_done(zx_deferred *d)
{
    atomic_fetch_sub(&g_rx[d->loop].pending, 1);
    unref(d);
}

/* On the loop thread: send one answer. */
static void deliver(zx_deferred *d)
{
    h2o_req_t *req = d->req;
    if (d->tok) { /* detach from the pool first: sending may end the request */
        d->tok->d = NULL;
        d->tok = NULL;
        unref(d);
    }
    if (!req) return answer_done(d);
    zx_req r;
    struct zx_req_priv p;
    zx_req_setup(&r, &p, zx_g, &req->pool, &req->headers, &req->res.headers);
    r.h2o = req;
    memcpy(r.request_id, d->request_id, sizeof r.request_id);
    r.client_ip = d->client_ip;
    r.method = d->method;
    r.who = d->who;
    zx_reply_raw(&r, d->status, "application/json; charset=utf-8", d->body ? d->body : "{}", d->body ? d->len : 2, NULL);
    size_t bytes = 0;
    int status = zx_http_send_stored(req, &r, &bytes);
    uint64_t dur = mono_us() - d->t0_us;
    zx_metrics_observe(d->route_index, req->method.base, req->method.len, status, dur);
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    zx_http_access_log(&r, req, req->path.base, plen, status, bytes, dur);
    answer_done(d);
}

static void on_messages(h2o_multithread_receiver_t *rx, h2o_linklist_t *messages)
{
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&m->link);
        deliver((zx_deferred *)m);
    }
}

void zx_defer_loop_init(int loop, h2o_context_t *ctx)
{
    if (loop < 0 || loop >= MAX_LOOPS) return;
    pthread_mutex_lock(&g_mu);
    g_rx[loop].queue = ctx->queue;
    h2o_multithread_register_receiver(ctx->queue, &g_rx[loop].rx, on_messages);
    g_rx[loop].alive = true;
    pthread_mutex_unlock(&g_mu);
}

void zx_defer_loop_fini(int loop)
{
    if (loop < 0 || loop >= MAX_LOOPS) return;
    pthread_mutex_lock(&g_mu);
    if (g_rx[loop].alive) {
        g_rx[loop].alive = false;
        h2o_multithread_unregister_receiver(g_rx[loop].queue, &g_rx[loop].rx);
    }
    pthread_mutex_unlock(&g_mu);
}

int zx_defer_pending(int loop)
{
    return loop >= 0 && loop < MAX_LOOPS ? atomic_load(&g_rx[loop].pending) : 0;
}

zx_deferred *zx_reply_defer(zx_req *r)
{
    struct zx_req_priv *p = r->priv;
    h2o_req_t *req = r->h2o;
    int loop = zx_http_loop_index();
    if (p->replied || !req || loop < 0 || loop >= MAX_LOOPS) return NULL;
    zx_deferred *d = calloc(1, sizeof *d);
    if (!d) zx_die("defer: out of memory");
    atomic_init(&d->refs, 2);
    d->req = req;
    d->loop = loop;
    d->who = r->who;
    memcpy(d->request_id, r->request_id, sizeof d->request_id);
    d->client_ip = r->client_ip;
    d->method = r->method;
    d->t0_us = mono_us();
    d->route_index = -2;
    struct defer_token *t = h2o_mem_alloc_shared(&req->pool, sizeof *t, token_dispose);
    t->d = d;
    d->tok = t;
    p->replied = true;
    p->deferred = d;
    atomic_fetch_add(&g_rx[loop].pending, 1);
    return d;
}

void zx_defer_started(zx_deferred *d, uint64_t t0_us, int route_index)
{
    d->t0_us = t0_us;
    d->route_index = route_index;
}

void zx_deferred_reply(zx_deferred *d, int status, json_t *body)
{
    if (!d) {
        json_decref(body);
        return;
    }
    d->status = status;
    d->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
    d->len = d->body ? strlen(d->body) : 0;
    json_decref(body);
    pthread_mutex_lock(&g_mu);
    if (g_rx[d->loop].alive) {
        h2o_multithread_send_message(&g_rx[d->loop].rx, &d->msg);
        d = NULL;
    }
    pthread_mutex_unlock(&g_mu);
    if (d) answer_done(d); /* the loop is gone: nobody to answer */
}

void zx_deferred_error(zx_deferred *d, int status, const char *code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    zx_deferred_reply(d, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}
