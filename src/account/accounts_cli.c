/* accounts_cli.c — `zhixing accounts --db URL [--url URL]`: the short table `make run` prints last,
 * after the build and init output (issue 9 item 17): the server's URL and every account of the
 * store by role and court, read from the store (so it is true for this store, on either engine).
 *
 * One row per business role: the accounts of the court with the most accounts, then the other
 * courts that have the same role — their account names follow one rule (the court's code with 辽 as
 * "liao": demo_judge_liao0102 → demo_judge_liao0103), printed under the table. The administrators
 * (三员, not demo accounts) close it. Disabled accounts are left out. */
#include "account/authz.h"
#include "cli.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 4096
#define MAX_COURTS 256

typedef struct acct {
    char court[32], court_name[96], user[96];
    unsigned roles;
    int demo;
} acct;

/* display width: a CJK character (3 bytes in UTF-8) takes 2 columns, ASCII 1 */
static void pad(const char *s, int w)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) cols++;
        else if ((*p & 0xC0) != 0x80) cols += (*p >= 0xE0) ? 2 : 1;
    }
    fputs(s, stdout);
    for (; cols < w; cols++) putchar(' ');
}

static const char *label(unsigned roles)
{
    const char *l = (roles & (roles - 1)) == 0 ? zx_role_label(roles) : NULL;
    return l ? l : "多角色";
}

static int cmd_accounts(int argc, char **argv)
{
    const char *url = zx_opt(argc, argv, "--url");
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    db_stmt *s = c ? db_prepare(c, "SELECT c.code, c.name, u.username, u.roles, u.is_demo FROM app_user u"
                                   " JOIN court c ON c.id = u.court_id WHERE u.disabled = 0"
                                   " ORDER BY c.code, u.roles, u.username")
                   : NULL;
    if (!s) {
        fprintf(stderr, "zhixing: cannot read the accounts\n");
        return zx_cli_done(app, c, 1);
    }
    acct *a = calloc(MAX_ROWS, sizeof *a);
    int n = 0;
    while (a && n < MAX_ROWS && db_step(s) == DB_ROW) {
        snprintf(a[n].court, sizeof a[n].court, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
        snprintf(a[n].court_name, sizeof a[n].court_name, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        snprintf(a[n].user, sizeof a[n].user, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
        a[n].roles = (unsigned)db_col_int64(s, 3);
        a[n].demo = (int)db_col_int64(s, 4);
        n++;
    }
    db_finalize(s);
    if (!a) return zx_cli_done(app, c, 1);
    if (url && *url) {
        size_t ul = strlen(url);
        printf("== zhixing: %s%s    公开查询：%s%s#/public\n", url, url[ul - 1] == '/' ? "" : "/", url,
               url[ul - 1] == '/' ? "" : "/");
    }
    /* the court with the most demo accounts names the examples */
    int best = -1, best_n = 0;
    for (int i = 0; i < n; i++) {
        if (!a[i].demo || (i > 0 && !strcmp(a[i].court, a[i - 1].court))) continue;
        int k = 0;
        for (int j = i; j < n && !strcmp(a[j].court, a[i].court); j++) k += a[j].demo;
        if (k > best_n) best = i, best_n = k;
    }
    if (best >= 0) {
        char head[256];
        snprintf(head, sizeof head, "账户（%s %s）", a[best].court, a[best].court_name);
        fputs("   ", stdout), pad("角色", 18), pad(head, 52), puts("同样的账户也在");
        /* business roles in their bit order, then accounts holding several roles */
        unsigned order[12];
        int no = 0;
        for (unsigned r = ROLE_FILING_CLERK; r <= ROLE_CHIEF; r <<= 1) order[no++] = r;
        order[no++] = 0; /* 多角色 */
        for (int o = 0; o < no; o++) {
            char mine[1024] = "", others[1024] = "", last[32] = "";
            size_t ml = 0, ol = 0;
            bool any = false;
            for (int i = 0; i < n; i++) {
                bool multi = (a[i].roles & (a[i].roles - 1)) != 0;
                if (!a[i].demo || (order[o] ? a[i].roles != order[o] : !multi)) continue;
                any = true;
                if (!strcmp(a[i].court, a[best].court)) {
                    if (ml + strlen(a[i].user) + 2 < sizeof mine)
                        ml += (size_t)snprintf(mine + ml, sizeof mine - ml, "%s%s", ml ? " " : "", a[i].user);
                } else if (strcmp(a[i].court, last)) {
                    snprintf(last, sizeof last, "%s", a[i].court);
                    if (ol + strlen(a[i].court) + 2 < sizeof others)
                        ol += (size_t)snprintf(others + ol, sizeof others - ol, "%s%s", ol ? " " : "", a[i].court);
                }
            }
            if (!any) continue;
            fputs("   ", stdout), pad(order[o] ? label(order[o]) : "多角色", 18), pad(ml ? mine : "—", 52), puts(others);
        }
        /* the courts by name (the table names them by code) */
        fputs("   法院：", stdout);
        for (int i = 0, k = 0; i < n; i++) {
            if (i > 0 && !strcmp(a[i].court, a[i - 1].court)) continue; /* first row of each court */
            int demo = 0;
            for (int j = i; j < n && !strcmp(a[j].court, a[i].court); j++) demo += a[j].demo;
            if (demo) printf("%s%s %s", k++ ? "；" : "", a[i].court, a[i].court_name);
        }
        putchar('\n');
        puts("   其他法院的账户名：把后缀换成该法院代字的拼音，如 辽0103 → demo_judge_liao0103、辽01 → demo_chief_liao01");
    }
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (a[i].demo) continue;
        if (first) fputs("   三员（非演示账户，密码由 init 生成）：", stdout), first = false;
        printf("  %s（%s）", a[i].user, label(a[i].roles));
    }
    if (!first) putchar('\n');
    free(a);
    return zx_cli_done(app, c, 0);
}

static const struct zx_command accounts_cmd = {
    "accounts", cmd_accounts, "--db URL [--url URL]",
    "Print the server's URL (with --url) and every account of the store by role and court, in Chinese:\n"
    "the short table `make run` ends with (scripts/run.sh). Reads the store only."};
ZX_COMMAND(accounts_cmd)
