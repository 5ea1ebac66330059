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
/* Open the store named by --db (or ZX_DB / config), apply migrations and run start hooks.
 * Prints an error and returns NULL on failure. */
zx_app *zx_cli_open(int argc, char **argv);
void zx_cli_close(zx_app *app);

/* Demo data generators, run by `zhixing init --demo` in registration order after the platform's
 * courts and users exist. seed makes output deterministic. */
typedef int (*zx_demo_fn)(zx_app *app, unsigned seed);
void zx_demo_hook_add(const char *name, int order, zx_demo_fn fn);
#define ZX_DEMO(name, order, fn)                                                         \
    static void __attribute__((constructor)) zx_demo_init_##fn(void) { zx_demo_hook_add(name, order, fn); }
#endif
