/* anchor_run.c — the server's checkpoint + alert thread and the CLI (`zhixing audit checkpoint`,
 * `zhixing audit archive`). See anchor.h.
 *
 * The thread wakes every 10 s: it alerts on a burst of denied/failed audit records in the last
 * minute; every audit_checkpoint_sec it writes a checkpoint and checks the recent checkpoints
 * against the store; once a day it verifies the whole chain and every checkpoint. A failure is
 * logged at error level and counted (zx_audit_verify_failures_total) — the monitoring alerts on it. */
#include "app.h"
#include "audit/anchor.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/metrics.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_t g_thread;
static bool g_started;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static bool g_stop;
static zx_counter *c_verify_fail, *c_burst, *c_checkpoints;

static void alert_verify(const char *why)
{
    zx_counter_add(c_verify_fail, 1);
    LOG_ERROR("SECURITY ALERT: audit trail verification failed: %s", why);
}

static void tick(zx_app *app, int64_t now, int64_t *last_cp, int64_t *last_full, int64_t *last_burst)
{
    const struct zx_config *cfg = &app->cfg;
    char key[512], cpdir[512], archdir[512], err[512];
    zx_anchor_paths(cfg, key, cpdir, archdir);
    db_conn *c = db_acquire(app->db);
    /* bursts of denied access (and failed logins) in the last minute */
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM audit_log WHERE at_ms > ? AND result IN ('denied', 'failed')");
    if (s) {
        db_bind_int64(s, 1, now - 60000);
        int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_finalize(s);
        if (n >= cfg->audit_alert_denied_per_min && now - *last_burst >= 60000) {
            *last_burst = now;
            zx_counter_add(c_burst, 1);
            LOG_WARN("SECURITY ALERT: %lld denied or failed requests in the last minute (threshold %d)", (long long)n,
                     cfg->audit_alert_denied_per_min);
        }
    }
    if (now - *last_cp >= (int64_t)cfg->audit_checkpoint_sec * 1000) {
        *last_cp = now;
        int64_t seq = 0;
        if (zx_anchor_checkpoint(c, cpdir, false, &seq, err, sizeof err)) LOG_ERROR("audit checkpoint: %s", err);
        else if (seq) zx_counter_add(c_checkpoints, 1);
        bool full = now - *last_full >= 86400000;
        int64_t n = 0, bad = 0;
        char why[512];
        int rc = zx_anchor_verify(c, cpdir, archdir, NULL, &n, why, sizeof why);
        if (rc > 0) alert_verify(why);
        if (full) {
            *last_full = now;
            if (zx_audit_verify(c, &n, &bad, why, sizeof why) > 0) alert_verify(why);
        }
    }
    db_release(app->db, c);
}

static void *anchor_thread(void *arg)
{
    zx_app *app = arg;
    int64_t last_cp = 0, last_full = zx_now_ms(), last_burst = 0;
    for (;;) {
        pthread_mutex_lock(&g_mu);
        if (!g_stop) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int step = app->cfg.audit_checkpoint_sec < 10 ? app->cfg.audit_checkpoint_sec : 10;
            ts.tv_sec += step;
            pthread_cond_timedwait(&g_cv, &g_mu, &ts);
        }
        bool stop = g_stop;
        pthread_mutex_unlock(&g_mu);
        if (stop) break;
        tick(app, zx_now_ms(), &last_cp, &last_full, &last_burst);
    }
    /* a last checkpoint on a clean shutdown */
    char key[512], cpdir[512], archdir[512], err[512];
    zx_anchor_paths(&app->cfg, key, cpdir, archdir);
    db_conn *c = db_acquire(app->db);
    int64_t seq;
    if (zx_anchor_checkpoint(c, cpdir, false, &seq, err, sizeof err)) LOG_WARN("audit checkpoint at stop: %s", err);
    db_release(app->db, c);
    return NULL;
}

static int anchor_start(zx_app *app)
{
    char key[512], cpdir[512], archdir[512], err[512];
    zx_anchor_paths(&app->cfg, key, cpdir, archdir);
    if (zx_anchor_key_load(key, true, err, sizeof err)) {
        fprintf(stderr, "zhixing: audit checkpoint key: %s\n", err);
        LOG_ERROR("audit checkpoint key: %s", err);
        return -1;
    }
    c_verify_fail = zx_counter_get("zx_audit_verify_failures_total", "audit chain or checkpoint verifications that failed");
    c_burst = zx_counter_get("zx_security_alerts_total{kind=\"denied_burst\"}", "security alerts raised");
    c_checkpoints = zx_counter_get("zx_audit_checkpoints_total", "signed audit checkpoints written outside the store");
    if (!app->started_ms) return 0; /* CLI: key only */
    g_stop = false;
    if (pthread_create(&g_thread, NULL, anchor_thread, app) != 0) return -1;
    g_started = true;
    LOG_INFO("audit: checkpoints every %d s to %s", app->cfg.audit_checkpoint_sec, cpdir);
    return 0;
}
ZX_ON_START("audit anchor", anchor_start)

static int anchor_stop(zx_app *app)
{
    (void)app;
    if (!g_started) return 0;
    pthread_mutex_lock(&g_mu);
    g_stop = true;
    pthread_cond_signal(&g_cv);
    pthread_mutex_unlock(&g_mu);
    pthread_join(g_thread, NULL);
    g_started = false;
    return 0;
}
ZX_ON_STOP("audit anchor", anchor_stop)

/* ------------------------------------------------------------------ CLI */
static int cmd_checkpoint(int argc, char **argv)
{
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    char key[512], cpdir[512], archdir[512], err[512];
    zx_anchor_paths(&app->cfg, key, cpdir, archdir);
    const char *dir = zx_opt(argc, argv, "--dir");
    int64_t seq = 0;
    int rc = zx_anchor_checkpoint(c, dir ? dir : cpdir, true, &seq, err, sizeof err);
    zx_cli_done(app, c, 0);
    if (rc) {
        fprintf(stderr, "zhixing audit checkpoint: %s\n", err);
        return 1;
    }
    printf("checkpoint of record %lld written to %s\n", (long long)seq, dir ? dir : cpdir);
    return 0;
}
static const struct zx_command checkpoint_cmd = {
    "audit checkpoint", cmd_checkpoint, "[--db URL] [--dir DIR]",
    "立即写一个审计链检查点：链头（序号与哈希）以服务器 SM2 密钥签名，写入库外目录（默认 audit_checkpoint_dir）。"};
ZX_COMMAND(checkpoint_cmd)

static int cmd_archive(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    char err[512];
    int64_t n = zx_audit_archive(app->db, &app->cfg, zx_now_ms(), err, sizeof err);
    zx_cli_close(app);
    if (n < 0) {
        fprintf(stderr, "zhixing audit archive: %s\n", err);
        return 1;
    }
    printf("%lld audit records older than %d days archived (signed) and pruned\n", (long long)n, app->cfg.audit_retention_days);
    return 0;
}
static const struct zx_command archive_cmd = {
    "audit archive", cmd_archive, "[--db URL]",
    "审计记录保存期满（audit_retention_days，不少于 183 天，网络安全法第二十一条）后：先导出为库外签名归档文件并回读校验，"
    "再从库中删除；同一事务写审计记录。验证时从归档的最后哈希接续审计链。"};
ZX_COMMAND(archive_cmd)
