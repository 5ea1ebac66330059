/* cli.c — subcommand registry, option helpers and opening the store for CLI commands. */
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CMDS 64
static const struct zx_command *g_cmds[MAX_CMDS];
static int g_ncmds;

void zx_command_add(const struct zx_command *cmd)
{
    if (g_ncmds == MAX_CMDS) zx_die("too many commands");
    g_cmds[g_ncmds++] = cmd;
}

int zx_command_count(void) { return g_ncmds; }
const struct zx_command *zx_command_at(int i) { return g_cmds[i]; }

const char *zx_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], name) && i + 1 < argc) return argv[i + 1];
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=') return argv[i] + n + 1;
    }
    return NULL;
}

bool zx_flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], name)) return true;
    return false;
}

/* Options that take a value; everything else starting with "--" is a flag. */
static bool takes_value(const char *opt)
{
    static const char *v[] = {"--db", "--config", "--listen", "--threads", "--username", "--court",
                              "--role", "--name", "--scopes", "--count", "--ids-out", "--seed",
                              "--display-name", "--kind", "--out", "--from", "--to", NULL};
    for (int i = 0; v[i]; i++)
        if (!strcmp(opt, v[i])) return true;
    return false;
}

const char *zx_positional(int argc, char **argv, int idx)
{
    int k = 0;
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "--", 2)) {
            if (!strchr(argv[i], '=') && takes_value(argv[i])) i++;
            continue;
        }
        if (k++ == idx) return argv[i];
    }
    return NULL;
}

/* Configuration for CLI and server: defaults < --config file < ZX_* env < flags. */
int zx_cli_config(int argc, char **argv, struct zx_config *cfg)
{
    char err[256];
    zx_config_defaults(cfg);
    const char *file = zx_opt(argc, argv, "--config");
    if (!file) file = getenv("ZX_CONFIG");
    if (file && zx_config_load_file(cfg, file, err, sizeof err)) {
        fprintf(stderr, "zhixing: %s\n", err);
        return -1;
    }
    zx_config_load_env(cfg);
    static const char *flags[][2] = {{"--db", "db"}, {"--listen", "listen"}, {"--threads", "threads"}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *v = zx_opt(argc, argv, flags[i][0]);
        if (v && zx_config_set(cfg, flags[i][1], v)) {
            fprintf(stderr, "zhixing: bad value for %s\n", flags[i][0]);
            return -1;
        }
    }
    zx_log_set_level((enum zx_log_level)cfg->log_level);
    zx_id_set_node((unsigned)cfg->node_id);
    return 0;
}

/* Configuration, store, migrations, start hooks (the key file first) — for a command (pool of 4
 * unless pool_size is set) or for the server (serving: pool from the threads, started_ms set). */
static int app_open(zx_app *app, int argc, char **argv, bool serving)
{
    char err[512];
    if (zx_cli_config(argc, argv, &app->cfg)) return 2;
    int pool = app->cfg.pool_size > 0 ? app->cfg.pool_size : 4;
    if (serving) {
        int threads = app->cfg.threads > 0 ? app->cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
        if (threads < 1) threads = 1;
        app->cfg.threads = threads;
        pool = app->cfg.pool_size > 0 ? app->cfg.pool_size : threads * 2 + 2;
    }
    app->db = db_open(app->cfg.db, pool, err, sizeof err);
    if (!app->db) {
        fprintf(stderr, "zhixing: cannot open store %s: %s\n", app->cfg.db, err);
        return 1;
    }
    if (db_migrate(app->db, err, sizeof err)) {
        fprintf(stderr, "zhixing: migration failed: %s\n", err);
        db_close(app->db);
        app->db = NULL;
        return 1;
    }
    if (serving) app->started_ms = zx_now_ms();
    zx_g = app;
    if (zx_start_hooks_run(app)) {
        fprintf(stderr, "zhixing: start-up failed\n");
        db_close(app->db);
        app->db = NULL;
        return 1;
    }
    return 0;
}

zx_app *zx_cli_open(int argc, char **argv)
{
    static zx_app app;
    return app_open(&app, argc, argv, false) ? NULL : &app;
}

int zx_cli_open_server(zx_app *app, int argc, char **argv)
{
    return app_open(app, argc, argv, true);
}

zx_app *zx_cli_open_conn(int argc, char **argv, db_conn **c)
{
    zx_app *app = zx_cli_open(argc, argv);
    *c = app ? db_acquire(app->db) : NULL;
    return app;
}

void zx_cli_close(zx_app *app)
{
    if (app && app->db) zx_stop_hooks_run(app);
    if (app && app->db) db_close(app->db);
    if (app) app->db = NULL;
}

int zx_cli_done(zx_app *app, db_conn *c, int rc)
{
    if (app && c) db_release(app->db, c);
    zx_cli_close(app);
    return rc;
}

void zx_cli_actor(char *out, size_t cap)
{
    const char *who = getenv("SUDO_USER");
    if (!who || !*who) who = getlogin();
    if (!who || !*who) {
        struct passwd *pw = getpwuid(geteuid());
        who = pw ? pw->pw_name : "unknown";
    }
    snprintf(out, cap, "cli:%s", who);
}

#define MAX_DEMO 16
static struct { const char *name; int order; zx_demo_fn fn; } g_demo[MAX_DEMO];
static int g_ndemo;

void zx_demo_hook_add(const char *name, int order, zx_demo_fn fn)
{
    if (g_ndemo == MAX_DEMO) zx_die("too many demo hooks");
    g_demo[g_ndemo].name = name;
    g_demo[g_ndemo].order = order;
    g_demo[g_ndemo].fn = fn;
    g_ndemo++;
}

int zx_demo_hooks_run(zx_app *app, unsigned seed)
{
    for (int i = 1; i < g_ndemo; i++)
        for (int j = i; j > 0 && g_demo[j - 1].order > g_demo[j].order; j--) {
            __typeof__(g_demo[0]) t = g_demo[j];
            g_demo[j] = g_demo[j - 1];
            g_demo[j - 1] = t;
        }
    for (int i = 0; i < g_ndemo; i++) {
        fprintf(stderr, "demo: %s …\n", g_demo[i].name);
        int rc = g_demo[i].fn(app, seed);
        if (rc) {
            fprintf(stderr, "zhixing: demo generator %s failed (%d)\n", g_demo[i].name, rc);
            return rc;
        }
    }
    return 0;
}
