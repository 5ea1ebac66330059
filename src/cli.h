/* cli.h — subcommands of bin/zhixing register themselves (constructor), like routes:
 *   static int cmd_import_cases(int argc, char **argv) {...}
 *   static const struct zx_command import_cmd = { "import cases", cmd_import_cases,
 *       "--db URL FILE.csv", "导入历史案件 (all-or-nothing)" };
 *   ZX_COMMAND(import_cmd)
 * argv[0] is the first argument after the command words. Return the process exit code. */
#ifndef ZX_CLI_H
#define ZX_CLI_H
#include <stdbool.h>
#include "app.h"

typedef int (*zx_cmd_fn)(int argc, char **argv);
struct zx_command {
    const char *name;   /* one or two words: "init", "user add" */
    zx_cmd_fn fn;
    const char *usage;  /* options synopsis */
    const char *help;   /* one paragraph */
};
void zx_command_add(const struct zx_command *cmd);
#define ZX_COMMAND(var)                                                                  \
    static void __attribute__((constructor)) zx_cmd_init_##var(void) { zx_command_add(&var); }

/* Option helpers: "--name value" or "--name=value". */
const char *zx_opt(int argc, char **argv, const char *name);
bool zx_flag(int argc, char **argv, const char *name);
/* Positional arguments (not options or option values), i-th (0-based) or NULL. */
const char *zx_positional(int argc, char **argv, int i);
/* A command's (and the server's) store and key files come from ONE place (this file):
 * configuration = defaults < --config FILE (or ZX_CONFIG) < ZX_* environment < --db / --listen /
 * --threads (zx_cli_config); then the store is opened, migrations applied and the start hooks run —
 * the first of them loads the personal-data key file named by `pii_key_file` or kept next to the
 * store (core/pii_start.c), and files kept next to the store all follow zx_config_store_path. No
 * command reads --db or a key-file option itself. */
int zx_cli_config(int argc, char **argv, struct zx_config *cfg);
/* Open the store named by --db (or ZX_DB / config), apply migrations and run start hooks.
 * Prints an error and returns NULL on failure. */
zx_app *zx_cli_open(int argc, char **argv);
/* zx_cli_open plus one connection of the pool in *c (*c NULL when it returns NULL). */
zx_app *zx_cli_open_conn(int argc, char **argv, db_conn **c);
/* A command's end: give c back (NULL: none), close app (stop hooks, store) and return rc. */
int zx_cli_done(zx_app *app, db_conn *c, int rc);
void zx_cli_close(zx_app *app);
/* The same opening into app for `serve`: the pool sized from --threads (2 per thread + 2 unless
 * pool_size is set) and app->started_ms set before the start hooks (they start the server's
 * threads). 0, or the exit code: 2 for a bad configuration, 1 for a store or start-up failure. */
int zx_cli_open_server(zx_app *app, int argc, char **argv);
/* "cli:<os user>" (SUDO_USER first, then the login name): the audit actor of a change made here. */
void zx_cli_actor(char *out, size_t cap);

/* Demo data generators, run by `zhixing init --demo` in registration order after the platform's
 * courts and users exist. seed makes output deterministic. */
typedef int (*zx_demo_fn)(zx_app *app, unsigned seed);
void zx_demo_hook_add(const char *name, int order, zx_demo_fn fn);
#define ZX_DEMO(name, order, fn)                                                         \
    static void __attribute__((constructor)) zx_demo_init_##fn(void) { zx_demo_hook_add(name, order, fn); }
#endif
