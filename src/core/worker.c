/* worker.c — see worker.h. */
#include "core/worker.h"

#include <time.h>

/* Wait up to ms for a wake or the stop; true when stopping. */
static bool wait_for(zx_worker *w, long ms)
{
    pthread_mutex_lock(&w->mu);
    if (!w->stop && !w->woken && ms > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += ms / 1000;
        ts.tv_nsec += (ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        while (!w->stop && !w->woken && pthread_cond_timedwait(&w->cv, &w->mu, &ts) == 0) {}
    }
    w->woken = false;
    bool stop = w->stop;
    pthread_mutex_unlock(&w->mu);
    return stop;
}

static void *worker_main(void *p)
{
    zx_worker *w = p;
    if (w->first_wait_ms > 0 && wait_for(w, w->first_wait_ms)) return NULL;
    while (!wait_for(w, w->pass(w->arg))) {}
    return NULL;
}

int zx_worker_start(zx_worker *w, void *arg)
{
    if (w->started) return 0;
    w->arg = arg;
    w->stop = false;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) return -1;
    w->started = true;
    return 0;
}

void zx_worker_wake(zx_worker *w)
{
    pthread_mutex_lock(&w->mu);
    w->woken = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void zx_worker_stop(zx_worker *w)
{
    if (!w->started) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    w->started = false;
}
