/* app.c — the server singleton and the start-hook registry (see app.h). */
#include "app.h"
#include "core/log.h"
#include <string.h>

zx_app *zx_g;

#define MAX_HOOKS 32
static struct { const char *name; zx_start_hook fn; } g_hooks[MAX_HOOKS];
static int g_nhooks;

void zx_start_hook_add(const char *name, zx_start_hook fn)
{
    if (g_nhooks == MAX_HOOKS) zx_die("too many start hooks");
    g_hooks[g_nhooks].name = name;
    g_hooks[g_nhooks].fn = fn;
    g_nhooks++;
}

/* Hooks run in name order so dependencies are explicit: "10-courts" before "50-credit". */
int zx_start_hooks_run(zx_app *app)
{
    for (int i = 1; i < g_nhooks; i++)
        for (int j = i; j > 0 && strcmp(g_hooks[j - 1].name, g_hooks[j].name) > 0; j--) {
            __typeof__(g_hooks[0]) t = g_hooks[j];
            g_hooks[j] = g_hooks[j - 1];
            g_hooks[j - 1] = t;
        }
    for (int i = 0; i < g_nhooks; i++) {
        int rc = g_hooks[i].fn(app);
        if (rc) {
            LOG_ERROR("start hook %s failed (%d)", g_hooks[i].name, rc);
            return rc;
        }
    }
    return 0;
}

static struct { const char *name; zx_start_hook fn; } g_stops[MAX_HOOKS];
static int g_nstops;

void zx_stop_hook_add(const char *name, zx_start_hook fn)
{
    if (g_nstops == MAX_HOOKS) zx_die("too many stop hooks");
    g_stops[g_nstops].name = name;
    g_stops[g_nstops].fn = fn;
    g_nstops++;
}

void zx_stop_hooks_run(zx_app *app)
{
    for (int i = 1; i < g_nstops; i++)
        for (int j = i; j > 0 && strcmp(g_stops[j - 1].name, g_stops[j].name) < 0; j--) {
            __typeof__(g_stops[0]) t = g_stops[j];
            g_stops[j] = g_stops[j - 1];
            g_stops[j - 1] = t;
        }
    for (int i = 0; i < g_nstops; i++) g_stops[i].fn(app);
    g_nstops = 0; /* once */
}

/* The server's SQLite checkpoints run in the background (store/db.h), first of all hooks and stopped
 * after every thread that writes. */
static int checkpointer_start(zx_app *app) { return app->started_ms ? db_checkpointer_start(app->db) : 0; }
ZX_ON_START("00-store-checkpointer", checkpointer_start)
static int checkpointer_stop(zx_app *app)
{
    db_checkpointer_stop(app->db);
    return 0;
}
ZX_ON_STOP("00-store-checkpointer", checkpointer_stop)
