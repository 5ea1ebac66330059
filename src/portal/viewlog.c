/* viewlog.c — the audit records of party views (portal.view), written in batches (see portal.h).
 *
 * "Every view audited" on the hottest portal route must not cost a write transaction (an fsync and the
 * single SQLite writer) per page view: the view handler queues the record in memory and one background
 * thread writes everything queued in ONE transaction every VIEWLOG_MS (or at once when VIEWLOG_MAX are
 * waiting), each record through zx_audit_write into the hash chain like any other. The records of the
 * last ≤ VIEWLOG_MS are lost if the process is killed; a clean stop writes them (stop hook). Outside the
 * server (CLI) the record is written at once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit/audit.h"
#include "core/log.h"
#include "portal/portal.h"

#define VIEWLOG_MS 200
#define VIEWLOG_MAX 512

typedef struct vrec {
    char who[40], oid[24], ip[64], rid[40];
} vrec;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static vrec *q;
static size_t qn, qcap;
static bool running, stopping;
static pthread_t th;
static zx_app *g_app;

static int write_batch(db_t *db, vrec *v, size_t n)
{
    db_conn *c = db_acquire(db);
    int rc = db_begin(c);
    for (size_t i = 0; i < n && !rc; i++)
        rc = zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = v[i].who, .action = "portal.view", .object_type = "case",
                                                .object_id = v[i].oid, .result = "ok", .client_ip = v[i].ip,
                                                .request_id = v[i].rid });
    if (!rc) rc = db_commit(c);
    if (rc) db_rollback(c);
    db_release(db, c);
    return rc;
}

static void *flusher(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        if (!qn && !stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += VIEWLOG_MS * 1000000L;
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&cv, &mu, &ts);
        }
        if (!qn && stopping) break;
        if (!qn) continue;
        vrec *v = q;
        size_t n = qn;
        q = NULL, qn = qcap = 0;
        pthread_mutex_unlock(&mu);
        if (write_batch(g_app->db, v, n)) LOG_WARN("portal: %zu view audit records could not be written", n);
        free(v);
        struct timespec nap = { 0, VIEWLOG_MS * 1000000L };
        if (!stopping) nanosleep(&nap, NULL); /* let views gather: one transaction per VIEWLOG_MS */
        pthread_mutex_lock(&mu);
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
    q[qn++] = r;
    if (qn >= VIEWLOG_MAX) pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int viewlog_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only */
    g_app = app;
    stopping = false;
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
    pthread_join(th, NULL); /* writes what is queued, then ends */
    return 0;
}
ZX_ON_STOP("portal view log", viewlog_stop)
