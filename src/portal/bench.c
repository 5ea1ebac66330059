/* bench.c — `zhixing portal outbox-fill`: enqueue N messages in the notify outbox (for bench/80-portal.sh:
 * 100,000 SMS delivered to the simulated gateway across a restart, none lost or sent twice). The rows go
 * through zx_notify_enqueue like every message (phones sealed through core/pii), in transactions of
 * --batch rows, each with a dedup key so a repeated fill adds nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "cli.h"
#include "notify/notify.h"

static int cmd_outbox_fill(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    const char *o;
    long n = (o = zx_opt(argc, argv, "--count")) ? atol(o) : 100000;
    long batch = (o = zx_opt(argc, argv, "--batch")) ? atol(o) : 5000;
    const char *tag = (o = zx_opt(argc, argv, "--tag")) ? o : "bench";
    if (n < 1 || batch < 1) {
        zx_cli_close(app);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db_conn *c = db_acquire(app->db);
    long done = 0;
    int rc = 0;
    while (done < n && !rc) {
        if (db_begin(c)) {
            rc = -1;
            break;
        }
        for (long i = done; i < n && i < done + batch && !rc; i++) {
            char phone[32], key[64], no[24];
            snprintf(phone, sizeof phone, "139%08ld", i % 100000000L);
            snprintf(key, sizeof key, "%s:%ld", tag, i);
            snprintf(no, sizeof no, "%ld", i);
            json_t *p = json_pack("{s:s,s:s,s:s,s:s}", "name", "当事人", "case_no", no, "text", "本案已确定承办法官。", "node", "assigned");
            if (zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone, .template_name = "portal_node",
                                                       .params = p, .dedup_key = key }) < 0)
                rc = -1;
            json_decref(p);
        }
        if (rc || db_commit(c)) {
            db_rollback(c);
            rc = -1;
            break;
        }
        done = done + batch < n ? done + batch : n;
    }
    db_release(app->db, c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("outbox fill: %ld messages in %.2f s = %.0f messages/s\n", done, dt, (double)done / dt);
    zx_cli_close(app);
    return rc ? 1 : 0;
}
static const struct zx_command outbox_fill_cmd = {
    "portal outbox-fill", cmd_outbox_fill, "--db URL [--count N] [--batch B] [--tag T]",
    "执行公开基准测试：向通知发件箱写入 N 条短信（每条有去重键）" };
ZX_COMMAND(outbox_fill_cmd)
