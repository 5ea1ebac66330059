/* main.c — bin/zhixing: dispatches to subcommands registered with ZX_COMMAND (src/cli.h).
 * Built-in here: init, serve, user add, partner add, audit verify. */
#include "account/account.h"
#include "account/auth.h"
#include "account/authz.h"
#include "app.h"
#include "audit/anchor.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/http.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int zx_command_count(void);
const struct zx_command *zx_command_at(int i);
int zx_demo_hooks_run(zx_app *app, unsigned seed);

static void usage_all(FILE *f)
{
    fprintf(f, "zhixing — 人民法院执行案件管理系统\n\n"
               "usage: zhixing COMMAND [options]   (zhixing COMMAND --help for details)\n\n"
               "Configuration: defaults < --config FILE.ini < ZX_* environment < command-line flags.\n\n"
               "commands:\n");
    for (int i = 0; i < zx_command_count(); i++) {
        const struct zx_command *c = zx_command_at(i);
        fprintf(f, "  %-16s %s\n", c->name, c->usage);
    }
}

static void usage_one(const struct zx_command *c)
{
    printf("usage: zhixing %s %s\n\n%s\n", c->name, c->usage, c->help);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage_all(stdout);
        return argc < 2 ? 2 : 0;
    }
    const struct zx_command *best = NULL;
    int used = 0;
    for (int i = 0; i < zx_command_count(); i++) {
        const struct zx_command *c = zx_command_at(i);
        char two[128];
        if (argc >= 3) {
            snprintf(two, sizeof two, "%s %s", argv[1], argv[2]);
            if (!strcmp(c->name, two)) { best = c; used = 2; break; }
        }
        if (!strcmp(c->name, argv[1]) && used < 1) { best = c; used = 1; }
    }
    if (!best) {
        fprintf(stderr, "zhixing: unknown command '%s'\n\n", argv[1]);
        usage_all(stderr);
        return 2;
    }
    int sub_argc = argc - 1 - used;
    char **sub_argv = argv + 1 + used;
    if (zx_flag(sub_argc, sub_argv, "--help") || zx_flag(sub_argc, sub_argv, "-h")) {
        usage_one(best);
        return 0;
    }
    return best->fn(sub_argc, sub_argv);
}

/* ------------------------------------------------------------------ serve */
static int cmd_serve(int argc, char **argv)
{
    static zx_app app;
    int orc = zx_cli_open_server(&app, argc, argv);
    if (orc) return orc;
    LOG_INFO("zhixing serving on %s (%d threads, store %s)", app.cfg.listen, app.cfg.threads,
             db_kind(app.db) == DB_SQLITE ? "sqlite" : "postgresql");
    int rc = zx_http_serve(&app);
    zx_stop_hooks_run(&app);
    db_close(app.db);
    LOG_INFO("zhixing stopped");
    return rc;
}
static const struct zx_command serve_cmd = {
    "serve", cmd_serve, "[--db URL] [--listen HOST:PORT] [--threads N] [--config FILE]",
    "Serve the UI and the API. Applies pending migrations first. Stops gracefully on SIGTERM/SIGINT."};
ZX_COMMAND(serve_cmd)

/* ------------------------------------------------------------------ init */
static const struct { const char *code, *name, *parent; int level; } demo_courts[] = {
    {"辽", "辽宁省高级人民法院", "最高法", 2},
    {"辽01", "沈阳市中级人民法院", "辽", 3},
    {"辽0102", "沈阳市和平区人民法院", "辽01", 4},
    {"辽0103", "沈阳市沈河区人民法院", "辽01", 4},
    {"辽11", "盘锦市中级人民法院", "辽", 3},
    {"辽1103", "盘锦市兴隆台区人民法院", "辽11", 4},
    {"辽1104", "盘锦市大洼区人民法院", "辽11", 4},
};

static int64_t court_id_of(db_conn *c, const char *code)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM court WHERE code = ?");
    db_bind_text(s, 1, code, -1);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static int court_add(db_conn *c, const char *code, const char *name, int level, const char *parent)
{
    if (court_id_of(c, code)) return 0;
    int64_t pid = parent ? court_id_of(c, parent) : 0;
    db_stmt *s = db_prepare(c, "INSERT INTO court (id, code, name, level, parent_id) VALUES (?, ?, ?, ?, ?)");
    db_bind_int64(s, 1, zx_id_new());
    db_bind_text(s, 2, code, -1);
    db_bind_text(s, 3, name, -1);
    db_bind_int64(s, 4, level);
    if (pid) db_bind_int64(s, 5, pid);
    else db_bind_null(s, 5);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static int user_count(db_conn *c)
{
    int64_t n = 0;
    db_exec_int64(c, "SELECT COUNT(*) FROM app_user", &n);
    return (int)n;
}

/* Demo staff per court: role, username part, display name. */
static const struct { const char *role, *slug, *surname; int basic_only; } demo_staff[] = {
    {"judge", "judge", "王", 0},        {"judge", "judge2", "李", 1},
    {"assistant", "assistant", "张", 1}, {"assistant", "assistant2", "刘", 1},
    {"clerk", "clerk", "陈", 1},        {"filing_clerk", "filing_clerk", "杨", 1},
    {"finance", "finance", "赵", 1},    {"chief", "chief", "黄", 0},
    {"command", "command", "周", 0},
};
static const char *given[] = {"建国", "晓梅", "志强", "丽娜", "海涛", "秀英", "立新", "春燕", "国华",
                              "文静", "永刚", "淑芬", "明", "敏", "磊", "静"};

static int cmd_init(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    bool demo = zx_flag(argc, argv, "--demo");
    const char *seed_s = zx_opt(argc, argv, "--seed");
    unsigned seed = seed_s ? (unsigned)strtoul(seed_s, NULL, 10) : 20261123u;
    const char *admin_court = zx_opt(argc, argv, "--court");
    unsigned iter = (unsigned)app->cfg.pbkdf2_iterations;

    db_conn *c = db_acquire(app->db);
    if (user_count(c) > 0) {
        printf("zhixing: store %s is already initialised (schema version %d); nothing to do.\n", app->cfg.db,
               db_schema_version(app->db));
        db_release(app->db, c);
        zx_cli_close(app);
        return 0;
    }
    int rc = db_begin(c);
    rc = rc ? rc : court_add(c, "最高法", "最高人民法院", 1, NULL);
    for (size_t i = 0; demo && !rc && i < sizeof demo_courts / sizeof demo_courts[0]; i++)
        rc = court_add(c, demo_courts[i].code, demo_courts[i].name, demo_courts[i].level, demo_courts[i].parent);
    if (!admin_court) admin_court = demo ? "辽" : "最高法";

    /* 三员: no default passwords — generated and printed once, or taken from the environment. */
    static const char *admins[][3] = {{"sysadmin", "sysadmin", "ZX_SYSADMIN_PASSWORD"},
                                      {"secadmin", "secadmin", "ZX_SECADMIN_PASSWORD"},
                                      {"auditor", "auditor", "ZX_AUDITOR_PASSWORD"}};
    static const char *admin_names[] = {"系统管理员", "安全管理员", "审计管理员"};
    char pw[3][129];
    for (int i = 0; i < 3 && !rc; i++) {
        const char *env = getenv(admins[i][2]);
        if (env && *env) snprintf(pw[i], sizeof pw[i], "%s", env);
        else zx_password_generate(pw[i]);
        int64_t id = zx_user_create(c, admins[i][0], admin_names[i], admin_court, zx_role_from_code(admins[i][1]),
                                    pw[i], false, !(env && *env), iter);
        if (id < 0) {
            fprintf(stderr, "zhixing: cannot create %s (%lld)%s\n", admins[i][0], (long long)id,
                    id == -5 ? ": password from environment violates the password policy" : "");
            rc = -1;
        }
    }
    char demo_pw[129] = "";
    int ndemo = 0;
    if (demo && !rc) {
        const char *env = getenv("ZX_DEMO_PASSWORD");
        if (env && *env) snprintf(demo_pw, sizeof demo_pw, "%s", env);
        else zx_password_generate(demo_pw);
        /* One hash for all demo accounts: they share the demo password by design (marked is_demo). */
        int gi = 0;
        for (size_t ci = 0; !rc && ci < sizeof demo_courts / sizeof demo_courts[0]; ci++) {
            char slug[64];
            zx_court_slug(demo_courts[ci].code, slug, sizeof slug);
            for (size_t si = 0; !rc && si < sizeof demo_staff / sizeof demo_staff[0]; si++) {
                if (demo_staff[si].basic_only && demo_courts[ci].level != 4) continue;
                if (!strcmp(demo_staff[si].role, "command") && demo_courts[ci].level == 4 &&
                    strcmp(demo_courts[ci].code, "辽0102"))
                    continue;
                char uname[96], dname[96];
                snprintf(uname, sizeof uname, "demo_%s_%s", demo_staff[si].slug, slug);
                snprintf(dname, sizeof dname, "%s%s", demo_staff[si].surname, given[gi++ % 16]);
                int64_t id = zx_user_create(c, uname, dname, demo_courts[ci].code,
                                            zx_role_from_code(demo_staff[si].role), demo_pw, true, false, iter);
                if (id < 0) rc = -1;
                else ndemo++;
            }
        }
    }
    if (!rc) {
        zx_audit_rec rec = {.username = "system", .action = "system.init", .object_type = "store",
                            .result = "ok", .detail = demo ? "{\"demo\":true}" : "{\"demo\":false}"};
        rc = zx_audit_write(c, &rec);
    }
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (!rc) rc = zx_courts_reload(c);
    db_release(app->db, c);
    if (rc) {
        fprintf(stderr, "zhixing: init failed\n");
        zx_cli_close(app);
        return 1;
    }
    if (demo && zx_demo_hooks_run(app, seed)) {
        zx_cli_close(app);
        return 1;
    }
    printf("zhixing: initialised %s (schema version %d)\n", app->cfg.db, db_schema_version(app->db));
    printf("\nAdministrators (三员) — passwords shown once; change them after first login:\n");
    for (int i = 0; i < 3; i++)
        printf("  %-10s %s%s\n", admins[i][0], getenv(admins[i][2]) && *getenv(admins[i][2]) ? "(from " : pw[i],
               getenv(admins[i][2]) && *getenv(admins[i][2]) ? admins[i][2] : "");
    if (demo) {
        printf("\nDemo court staff (%d accounts, DEMO ONLY), all with password: %s\n", ndemo,
               getenv("ZX_DEMO_PASSWORD") && *getenv("ZX_DEMO_PASSWORD") ? "(from ZX_DEMO_PASSWORD)" : demo_pw);
        printf("  e.g. demo_judge_liao0102 (执行法官, 沈阳市和平区人民法院), demo_filing_clerk_liao0102,\n"
               "       demo_chief_liao0102, demo_command_liao01 (沈阳中院指挥中心), demo_chief_liao\n");
    }
    for (int i = 0; i < 3; i++) zx_wipe(pw[i], sizeof pw[i]);
    zx_cli_close(app);
    return 0;
}
static const struct zx_command init_cmd = {
    "init", cmd_init, "--db URL [--demo] [--seed N] [--court CODE]",
    "Create the store and apply migrations; create the three administrators (系统/安全/审计管理员)\n"
    "with generated passwords printed once (or from ZX_SYSADMIN_PASSWORD, ZX_SECADMIN_PASSWORD,\n"
    "ZX_AUDITOR_PASSWORD). --demo adds the Liaoning demo courts (辽, 辽01, 辽0102, 辽0103, 辽11,\n"
    "辽1103, 辽1104), demo staff for every role (password ZX_DEMO_PASSWORD or generated) and a\n"
    "realistic year of demo data, deterministic by --seed. Safe to re-run: an initialised store is left alone."};
ZX_COMMAND(init_cmd)

/* ------------------------------------------------------------------ user add */
static int read_password_stdin(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin)) return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

static int cmd_user_add(int argc, char **argv)
{
    const char *username = zx_opt(argc, argv, "--username"), *court = zx_opt(argc, argv, "--court"),
               *role = zx_opt(argc, argv, "--role"), *dname = zx_opt(argc, argv, "--display-name");
    if (!username || !court || !role || !zx_flag(argc, argv, "--password-stdin")) {
        fprintf(stderr, "zhixing user add: --username, --court, --role and --password-stdin are required\n");
        return 2;
    }
    unsigned roles = zx_roles_parse(role);
    if (!roles || !zx_roles_valid(roles)) {
        fprintf(stderr, "zhixing user add: invalid role '%s' (filing_clerk judge assistant clerk finance command chief"
                        " sysadmin secadmin auditor; 三员 are exclusive)\n", role);
        return 2;
    }
    char pw[256];
    if (read_password_stdin(pw, sizeof pw)) {
        fprintf(stderr, "zhixing user add: no password on stdin\n");
        return 2;
    }
    const char *weak = zx_password_weakness(username, pw);
    if (weak) {
        fprintf(stderr, "zhixing user add: %s\n", weak);
        zx_wipe(pw, sizeof pw);
        return 2;
    }
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    int rc = db_begin(c);
    /* A real account: the password given here is an initial one, changed at first login (issue 10). */
    int64_t id = rc ? -1 : zx_user_create(c, username, dname, court, roles, pw, false, true,
                                          (unsigned)app->cfg.pbkdf2_iterations);
    zx_wipe(pw, sizeof pw);
    if (id > 0) {
        char oid[24], detail[256];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"court\":\"%s\",\"roles\":\"%s\"}", username, court, role);
        zx_audit_rec rec = {.username = "cli", .court_code = court, .action = "user.create", .object_type = "user",
                            .object_id = oid, .result = "ok", .detail = detail};
        rc = zx_audit_write(c, &rec);
    }
    if (id > 0 && !rc) rc = db_commit(c);
    else db_rollback(c);
    zx_cli_done(app, c, 0);
    if (id == -2) fprintf(stderr, "zhixing user add: username '%s' already exists\n", username);
    else if (id == -3) fprintf(stderr, "zhixing user add: unknown court code '%s'\n", court);
    else if (id < 0 || rc) fprintf(stderr, "zhixing user add: failed\n");
    else printf("created user %s (id %lld) at %s; the password must be changed at first login\n", username, (long long)id, court);
    return id > 0 && !rc ? 0 : 1;
}
static const struct zx_command user_add_cmd = {
    "user add", cmd_user_add,
    "--db URL --username U --court CODE --role ROLE[,ROLE] --password-stdin [--display-name NAME]",
    "Create a staff account. Roles: filing_clerk judge assistant clerk finance command chief, or exactly one\n"
    "of sysadmin secadmin auditor (三员 are mutually exclusive). The password is read from stdin and must\n"
    "have ≥ 8 characters from ≥ 3 of 4 classes."};
ZX_COMMAND(user_add_cmd)

/* ------------------------------------------------------------------ partner add */
static int cmd_partner_add(int argc, char **argv)
{
    const char *name = zx_opt(argc, argv, "--name"), *scopes = zx_opt(argc, argv, "--scopes"),
               *kind = zx_opt(argc, argv, "--kind");
    if (!name || !scopes) {
        fprintf(stderr, "zhixing partner add: --name and --scopes are required\n");
        return 2;
    }
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    char key[80];
    int64_t id = zx_partner_create(app->db, name, kind, scopes, "cli", key);
    zx_cli_close(app);
    if (id == -2) {
        fprintf(stderr, "zhixing partner add: bad name or scopes (known: credit:check credit:feed credit:report credit:bulk funds:notify)\n");
        return 2;
    }
    if (id < 0) {
        fprintf(stderr, "zhixing partner add: failed\n");
        return 1;
    }
    printf("%s\n", key);
    fprintf(stderr, "partner %s (id %lld) created; the API key above is shown only once.\n", name, (long long)id);
    zx_wipe(key, sizeof key);
    return 0;
}
static const struct zx_command partner_add_cmd = {
    "partner add", cmd_partner_add, "--db URL --name NAME --scopes SCOPE[,SCOPE] [--kind airline|rail|bank|…]",
    "Register a partner organisation (联合惩戒单位, a bank, an institution, an auction platform) and print a\n"
    "new API key once (stdout). Scopes: credit:check, credit:feed, credit:report, credit:bulk (credit\n"
    "partners); funds:notify (a bank's arrival notices, POST /api/v1/funds/arrivals); inquiry:answer\n"
    "(an institution's asynchronous answers); auction:results (an auction platform's results).\n"
    "The key is stored only as an SM3 hash."};
ZX_COMMAND(partner_add_cmd)

/* ------------------------------------------------------------------ audit verify */
static int cmd_audit_verify(int argc, char **argv)
{
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    int64_t n, bad;
    char why[256];
    int rc = zx_audit_verify(c, &n, &bad, why, sizeof why);
    /* --checkpoints DIR: the signed heads written outside the store (audit/anchor.h) must match —
     * this catches a chain rewritten together with its head. */
    const char *cpdir = zx_opt(argc, argv, "--checkpoints");
    if (rc == 0 && cpdir) {
        char key[512], defcp[512], arch[512];
        zx_anchor_paths(&app->cfg, key, defcp, arch);
        int64_t ncp = 0;
        char cwhy[512];
        int crc = zx_anchor_verify(c, cpdir, arch, zx_opt(argc, argv, "--pubkey"), &ncp, cwhy, sizeof cwhy);
        if (crc != 0) {
            zx_cli_done(app, c, 0);
            if (crc > 0) {
                printf("audit chain does NOT match its signed checkpoints: %s\n", cwhy);
                return 3;
            }
            fprintf(stderr, "zhixing audit verify: %s\n", cwhy);
            return 1;
        }
        printf("%lld signed checkpoints match\n", (long long)ncp);
    }
    zx_cli_done(app, c, 0);
    if (rc == 0) {
        printf("audit chain intact: %lld records verified\n", (long long)n);
        return 0;
    }
    if (rc > 0) {
        printf("audit chain BROKEN at record %lld: %s (%lld records verified before it)\n", (long long)bad, why,
               (long long)n);
        return 3;
    }
    fprintf(stderr, "zhixing audit verify: %s\n", why);
    return 1;
}
static const struct zx_command audit_verify_cmd = {
    "audit verify", cmd_audit_verify, "--db URL [--checkpoints DIR [--pubkey FILE]]",
    "Walk the SM3 hash chain of the audit trail. Exit 0 if intact; exit 3 naming the first broken record if\n"
    "any record was altered, removed or reordered. With --checkpoints DIR also check every signed checkpoint\n"
    "(SM2) in DIR against the store, so a chain rewritten together with its head is found (exit 3)."};
ZX_COMMAND(audit_verify_cmd)
