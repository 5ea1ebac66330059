/* reminders.c — the server's background pass over open 督办 orders: every REMIND_PERIOD_S, each order of
 * any court that is due within the lead days (rules/command.h) or overdue and not yet reminded today
 * gets a `reminder` step (shown in the lower court's inbox), with one system audit record per pass.
 * Escalation after the deadline stays a decision of the superior court (督办规定), not automatic. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "command/command.h"
#include "core/log.h"

#define REMIND_PERIOD_S 600

static pthread_t th;
static bool started, stop;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void pass(zx_app *app)
{
    db_conn *c = db_acquire(app->db);
    int64_t courts[4096];
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT DISTINCT to_court_id FROM supervision_order WHERE status IN ('issued','handling')");
    while (s && db_step(s) == DB_ROW && n < 4096) courts[n++] = db_col_int64(s, 0);
    if (s) db_finalize(s);
    int m = n ? zx_sup_remind(NULL, c, courts, n) : 0;
    if (m < 0) LOG_WARN("command: supervision reminder pass failed; will retry");
    else if (m > 0) LOG_INFO("command: %d supervision orders reminded", m);
    db_release(app->db, c);
}

static void *main_loop(void *arg)
{
    zx_app *app = arg;
    int wait_s = 5; /* first pass shortly after start */
    for (;;) {
        pthread_mutex_lock(&mu);
        if (!stop) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += wait_s;
            pthread_cond_timedwait(&cv, &mu, &ts);
        }
        bool done = stop;
        pthread_mutex_unlock(&mu);
        if (done) break;
        pass(app);
        wait_s = REMIND_PERIOD_S;
    }
    return NULL;
}

static int reminders_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only */
    if (pthread_create(&th, NULL, main_loop, app) != 0) return -1;
    started = true;
    return 0;
}
ZX_ON_START("command reminders", reminders_start)

static int reminders_stop(zx_app *app)
{
    (void)app;
    if (!started) return 0;
    pthread_mutex_lock(&mu);
    stop = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL);
    started = false;
    return 0;
}
ZX_ON_STOP("command reminders", reminders_stop)
