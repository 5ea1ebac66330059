/* viewlog.c — the audit records of party views (portal.view), durable before the page answers
 * (see portal.h).
 *
 * "Every view audited" on the hottest portal route, and nothing lost on a hard kill: the view handler
 * hands its record — and the page it built — to one writer thread and defers its reply
 * (src/http/defer.c; the event loop is free meanwhile). The writer takes everything queued, writes it in
 * ONE transaction (each record through zx_audit_write into the hash chain like any other), commits, and
 * only then answers those pages on their own loops; the views that arrived during that commit form the
 * next batch — one fsync per batch, not per view, batches as large as the load, and no timer: an idle
 * server commits a lone view at once. A kill -9 at any moment loses no view that was answered. A batch
 * that fails to commit answers its pages 503 (no page without its audit record). Off the event loops
 * (CLI, tests of the service) the record is written at once on the caller's connection. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "http/http.h"
#include "audit/audit.h"
#include "core/log.h"
#include "portal/portal.h"

/* one view: either a deferred page (d, body: answered by the writer after the commit) or a waiting
 * caller (state: the writer sets 1 committed / -1 failed and broadcasts) */
typedef struct vrec {
    char who[40], oid[24], ip[64], rid[40];
    int *state;
    zx_deferred *d;
    json_t *body;
} vrec;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static vrec *q;
static size_t qn, qcap;
static bool running, stopping;
static pthread_t th;
static zx_app *g_app;

/* The writer's own connection, taken once when it starts: the handlers it serves hold theirs while they
 * wait, so it must never wait for the pool (a full pool of waiting handlers would never be released). */
static db_conn *wconn;

static int write_batch(db_conn *c, vrec *v, size_t n)
{
    int rc = db_begin(c);
    for (size_t i = 0; i < n && !rc; i++)
        rc = zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = v[i].who, .action = "portal.view", .object_type = "case",
                                                .object_id = v[i].oid, .result = "ok", .client_ip = v[i].ip,
                                                .request_id = v[i].rid });
    if (!rc) rc = db_commit(c);
    if (rc) db_rollback(c);
    return rc;
}

static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;

static void *flusher(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (!qn && !stopping) pthread_cond_wait(&cv, &mu);
        if (!qn && stopping) break;
        vrec *v = q; /* everything queued so far: one transaction */
        size_t n = qn;
        q = NULL, qn = qcap = 0;
        pthread_mutex_unlock(&mu);
        int rc = write_batch(wconn, v, n);
        if (rc) LOG_WARN("portal: %zu view audit records could not be written", n);
        for (size_t i = 0; i < n; i++) { /* the pages answer only now, after their records committed */
            if (!v[i].d) continue;
            if (rc) {
                json_decref(v[i].body);
                zx_deferred_error(v[i].d, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
            } else zx_deferred_reply(v[i].d, 200, v[i].body);
        }
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < n; i++)
            if (v[i].state) *v[i].state = rc ? -1 : 1;
        pthread_cond_broadcast(&done_cv);
        free(v);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int zx_portal_view_audit(db_conn *c, int64_t party_id, int64_t case_id, const char *client_ip, const char *request_id)
{
    vrec r;
    snprintf(r.who, sizeof r.who, "party:%lld", (long long)party_id);
    snprintf(r.oid, sizeof r.oid, "%lld", (long long)case_id);
    snprintf(r.ip, sizeof r.ip, "%s", client_ip ? client_ip : "");
    snprintf(r.rid, sizeof r.rid, "%s", request_id ? request_id : "");
    pthread_mutex_lock(&mu);
    if (!running) {
        pthread_mutex_unlock(&mu);
        if (db_begin(c)) return -1;
        if (zx_audit_write(c, &(zx_audit_rec){ .username = r.who, .action = "portal.view", .object_type = "case", .object_id = r.oid,
                                               .result = "ok", .client_ip = r.ip, .request_id = r.rid }) ||
            db_commit(c)) {
            db_rollback(c);
            return -1;
        }
        return 0;
    }
    if (qn == qcap) {
        size_t nc = qcap ? qcap * 2 : 256;
        vrec *nq = realloc(q, nc * sizeof *nq);
        if (!nq) {
            pthread_mutex_unlock(&mu);
            return -1;
        }
        q = nq, qcap = nc;
    }
    int state = 0;
    r.state = &state;
    r.d = NULL;
    r.body = NULL;
    q[qn++] = r;
    pthread_cond_signal(&cv);
    while (state == 0) pthread_cond_wait(&done_cv, &mu); /* committed (or failed) with its batch */
    pthread_mutex_unlock(&mu);
    return state > 0 ? 0 : -1;
}

int zx_portal_view_reply(zx_req *req, int64_t party_id, int64_t case_id, json_t *body)
{
    pthread_mutex_lock(&mu);
    bool on = running;
    pthread_mutex_unlock(&mu);
    if (!on) return 1;
    zx_deferred *d = zx_reply_defer(req);
    if (!d) return 1; /* off the loops: the caller writes and answers itself */
    vrec r;
    snprintf(r.who, sizeof r.who, "party:%lld", (long long)party_id);
    snprintf(r.oid, sizeof r.oid, "%lld", (long long)case_id);
    snprintf(r.ip, sizeof r.ip, "%s", req->client_ip ? req->client_ip : "");
    snprintf(r.rid, sizeof r.rid, "%s", req->request_id);
    r.state = NULL;
    r.d = d;
    r.body = body;
    pthread_mutex_lock(&mu);
    if (!running || qn == qcap) {
        size_t nc = qcap ? qcap * 2 : 256;
        vrec *nq = running ? realloc(q, nc * sizeof *nq) : NULL;
        if (!nq) { /* stopping or out of memory: the deferred page still gets its answer */
            pthread_mutex_unlock(&mu);
            json_decref(body);
            zx_deferred_error(d, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
            return 0;
        }
        q = nq, qcap = nc;
    }
    q[qn++] = r;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int viewlog_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only */
    g_app = app;
    stopping = false;
    wconn = db_acquire(app->db);
    if (pthread_create(&th, NULL, flusher, NULL) != 0) return -1;
    pthread_mutex_lock(&mu);
    running = true;
    pthread_mutex_unlock(&mu);
    return 0;
}
ZX_ON_START("portal view log", viewlog_start)

static int viewlog_stop(zx_app *app)
{
    (void)app;
    pthread_mutex_lock(&mu);
    if (!running) {
        pthread_mutex_unlock(&mu);
        return 0;
    }
    running = false; /* later views are written at once */
    stopping = true;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL); /* writes what is queued (its handlers are waiting), then ends */
    db_release(g_app->db, wconn);
    wconn = NULL;
    return 0;
}
ZX_ON_STOP("portal view log", viewlog_stop)
