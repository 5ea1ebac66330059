/* worker.h — a background thread that runs one pass of a job, waits, and runs it again until the server
 * stops (the auction connector, the notification sender, …). The wait ends early on zx_worker_wake or at
 * stop; zx_worker_stop returns once the current pass has finished. */
#ifndef ZX_WORKER_H
#define ZX_WORKER_H
#include <pthread.h>
#include <stdbool.h>

typedef struct zx_worker {
    /* one pass; returns how long to wait before the next one (ms; 0: at once) */
    long (*pass)(void *arg);
    long first_wait_ms; /* before the first pass (0: at once) */
    void *arg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started, stop, woken;
} zx_worker;

/* Initialise with ZX_WORKER(pass_fn) and start once. 0 or -1. */
#define ZX_WORKER(fn) { .pass = (fn), .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER }
int zx_worker_start(zx_worker *w, void *arg);
void zx_worker_wake(zx_worker *w);
void zx_worker_stop(zx_worker *w);

#endif
