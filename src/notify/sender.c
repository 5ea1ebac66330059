/* sender.c — delivers due outbox rows. SMS goes to an HTTP gateway (libcurl, 5 s timeout):
 *   POST {gateway}  {"id":"<outbox id>","to":"<phone>","template":"…","params":{…},"text":"…"}
 *   → 2xx {"message_id":"…"}  (the id makes a resend after a crash idempotent at the gateway)
 * Failures are retried with back-off 30 s × 2^attempts, at most ZX_NOTIFY_MAX_ATTEMPTS, then failed.
 * The server runs one pass per second in a background thread; `zhixing notify send` runs one pass. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "notify/notify.h"

#define ZX_NOTIFY_MAX_ATTEMPTS 8

const char *zx_notify_gateway_url(void)
{
    static char url[512];
    const char *g = getenv("ZX_SMS_GATEWAY_URL");
    if (g && *g) return g;
    const char *sim = getenv("ZX_SIM_URL");
    snprintf(url, sizeof url, "%s/sms/v1/messages", sim && *sim ? sim : "http://127.0.0.1:8090");
    return url;
}

typedef struct buf {
    char *p;
    size_t n;
} buf;

static size_t on_body(char *d, size_t sz, size_t nm, void *u)
{
    buf *b = u;
    size_t n = sz * nm;
    if (b->n + n > 65536) return 0;
    char *np = realloc(b->p, b->n + n + 1);
    if (!np) return 0;
    memcpy(np + b->n, d, n);
    b->p = np;
    b->n += n;
    b->p[b->n] = 0;
    return n;
}

/* POST one message. 0 = accepted (gateway id in gid), -1 = failed (reason in why). */
static int post_sms(const char *url, int64_t id, const char *to, const char *tpl, const char *params_txt,
                    char *gid, size_t gidlen, char *why, size_t whylen)
{
    json_t *params = json_loads(params_txt ? params_txt : "{}", 0, NULL);
    char text[1024];
    zx_notify_render(tpl, params, text, sizeof text);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *body = json_pack("{s:s,s:s,s:s,s:O,s:s}", "id", ids, "to", to, "template", tpl, "params",
                             params ? params : json_object(), "text", text);
    json_decref(params);
    char *txt = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    CURL *h = curl_easy_init();
    if (!h || !txt) {
        free(txt);
        if (h) curl_easy_cleanup(h);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    buf b = { 0 };
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, txt);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    free(txt);
    int ret = -1;
    if (rc != CURLE_OK) snprintf(why, whylen, "gateway unreachable: %s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299) snprintf(why, whylen, "gateway answered %ld", status);
    else {
        json_t *a = b.p ? json_loads(b.p, 0, NULL) : NULL;
        const char *mid = json_string_value(json_object_get(a, "message_id"));
        snprintf(gid, gidlen, "%s", mid ? mid : "");
        json_decref(a);
        ret = 0;
    }
    free(b.p);
    return ret;
}

typedef struct due {
    int64_t id;
    int attempts;
    char to[64], tpl[48];
    char *params;
} due;

int zx_notify_send_due(db_t *db, int max, int *sent, int *failed)
{
    if (sent) *sent = 0;
    if (failed) *failed = 0;
    if (max <= 0) return 0;
    due *d = calloc((size_t)max, sizeof *d);
    if (!d) return DB_ERROR;
    db_conn *c = db_acquire(db);
    int n = 0, rc;
    db_stmt *s = db_prepare(c, "SELECT id, attempts, recipient, template, params FROM notify_outbox"
                               " WHERE status = 'queued' AND next_at_ms <= ? ORDER BY next_at_ms, id LIMIT ?");
    if (!s) {
        db_release(db, c);
        free(d);
        return DB_ERROR;
    }
    db_bind_int64(s, 1, zx_now_ms());
    db_bind_int64(s, 2, max);
    while ((rc = db_step(s)) == DB_ROW && n < max) {
        d[n].id = db_col_int64(s, 0);
        d[n].attempts = (int)db_col_int64(s, 1);
        char *to = zx_pii_col(s, 2, ZX_PII_PHONE);
        snprintf(d[n].to, sizeof d[n].to, "%s", to ? to : "");
        zx_pii_free(to);
        snprintf(d[n].tpl, sizeof d[n].tpl, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        d[n].params = strdup(db_col_text(s, 4) ? db_col_text(s, 4) : "{}");
        n++;
    }
    db_finalize(s);
    db_release(db, c);
    const char *url = zx_notify_gateway_url();
    int ret = rc < 0 ? rc : 0;
    for (int i = 0; i < n; i++) {
        char gid[128] = "", why[256] = "";
        int ok = post_sms(url, d[i].id, d[i].to, d[i].tpl, d[i].params, gid, sizeof gid, why, sizeof why) == 0;
        c = db_acquire(db);
        if (db_begin(c) == 0) {
            int att = d[i].attempts + 1;
            s = db_prepare(c, ok ? "UPDATE notify_outbox SET status = 'sent', attempts = ?, sent_ms = ?, gateway_id = ?,"
                                   " last_error = NULL WHERE id = ? AND status = 'queued'"
                                 : "UPDATE notify_outbox SET status = ?, attempts = ?, next_at_ms = ?, last_error = ?"
                                   " WHERE id = ? AND status = 'queued'");
            if (s) {
                int64_t now = zx_now_ms();
                if (ok) {
                    db_bind_int64(s, 1, att);
                    db_bind_int64(s, 2, now);
                    db_bind_text(s, 3, gid, -1);
                    db_bind_int64(s, 4, d[i].id);
                } else {
                    db_bind_text(s, 1, att >= ZX_NOTIFY_MAX_ATTEMPTS ? "failed" : "queued", -1);
                    db_bind_int64(s, 2, att);
                    db_bind_int64(s, 3, now + 30000LL * (1LL << (att < 12 ? att - 1 : 11)));
                    db_bind_text(s, 4, why, -1);
                    db_bind_int64(s, 5, d[i].id);
                }
                if (db_step(s) == DB_DONE) {
                    db_finalize(s);
                    db_commit(c);
                } else {
                    db_finalize(s);
                    db_rollback(c);
                }
            } else db_rollback(c);
        }
        db_release(db, c);
        if (ok && sent) (*sent)++;
        if (!ok && failed) (*failed)++;
        free(d[i].params);
    }
    free(d);
    return ret;
}

/* ---- the background sender (server only) ---- */
static pthread_t bg;
static bool bg_started;
static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static bool bg_stop;

static void *sender_main(void *arg)
{
    zx_app *app = arg;
    for (;;) {
        int sent = 0, failed = 0;
        if (zx_notify_send_due(app->db, 50, &sent, &failed) < 0) LOG_WARN("notify: sender pass failed; will retry");
        pthread_mutex_lock(&bg_mu);
        if (!bg_stop && sent < 50) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&bg_cv, &bg_mu, &ts);
        }
        bool stop = bg_stop;
        pthread_mutex_unlock(&bg_mu);
        if (stop) break;
    }
    return NULL;
}

static int notify_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (pthread_create(&bg, NULL, sender_main, app) != 0) return -1;
    bg_started = true;
    return 0;
}
ZX_ON_START("notify sender", notify_start)

static int notify_stop(zx_app *app)
{
    (void)app;
    if (!bg_started) return 0;
    pthread_mutex_lock(&bg_mu);
    bg_stop = true;
    pthread_cond_broadcast(&bg_cv);
    pthread_mutex_unlock(&bg_mu);
    pthread_join(bg, NULL);
    bg_started = false;
    return 0;
}
ZX_ON_STOP("notify sender", notify_stop)

static int cmd_notify_send(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int sent = 0, failed = 0;
    int rc = zx_notify_send_due(app->db, 1000, &sent, &failed);
    printf("sent %d, failed %d (gateway %s)\n", sent, failed, zx_notify_gateway_url());
    zx_cli_close(app);
    return rc < 0 ? 1 : failed > 0 ? 3 : 0;
}
static const struct zx_command notify_send_cmd = { "notify send", cmd_notify_send, "--db URL",
                                                   "发送通知发件箱中到期的短信（一次）" };
ZX_COMMAND(notify_send_cmd)
