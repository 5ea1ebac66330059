/* app.h — the server singleton: configuration, the store, start time. */
#ifndef ZX_APP_H
#define ZX_APP_H
#include <stdint.h>
#include "core/config.h"
#include "store/db.h"

struct zx_app {
    struct zx_config cfg;
    db_t *db;
    int64_t started_ms;
};
typedef struct zx_app zx_app;

extern zx_app *zx_g; /* set by main() before serving; the only global */

/* Startup hooks: modules that keep in-memory state (courts, credit snapshot, calendar) register a
 * loader that runs after migrations, before the server accepts connections. */
typedef int (*zx_start_hook)(zx_app *app);
void zx_start_hook_add(const char *name, zx_start_hook fn);
int zx_start_hooks_run(zx_app *app);
/* Stop hooks run before the store closes (server shutdown, CLI exit), in reverse name order:
 * background threads that use the store stop here. */
void zx_stop_hook_add(const char *name, zx_start_hook fn);
void zx_stop_hooks_run(zx_app *app);
#define ZX_ON_STOP(name, fn)                                                            \
    static void __attribute__((constructor)) zx_on_stop_##fn(void) { zx_stop_hook_add(name, fn); }
#define ZX_ON_START(name, fn)                                                           \
    static void __attribute__((constructor)) zx_on_start_##fn(void) { zx_start_hook_add(name, fn); }
#endif
