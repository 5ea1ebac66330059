/* funds_import.c — bank statements uploaded from the finance page (docs/api/funds.md "Statement upload"):
 *   POST /api/v1/funds/imports[?bank=专户账号&file_name=…]   body: the CSV (text/csv) → 202 {import_id, status}
 *   GET  /api/v1/funds/imports/:id                          progress (phase, lines_done, percent) and result
 *   GET  /api/v1/funds/imports                              the court's recent imports
 * The import itself is src/funds/import.c (the same code as `zhixing funds import`): every line checked
 * first, then all lines posted in one transaction, errors naming the line, nothing imported on error.
 * It runs on a worker thread so a large file does not hold an event-loop thread; the page polls the
 * progress. One import at a time per server (409 IMPORT_RUNNING). The fund_import row is written
 * `running` before the work starts, completed `done` inside the import's transaction, or `failed` with
 * the error in its own transaction; a row still `running` with no worker (the server stopped midway —
 * the transaction was rolled back) reads as failed. Audit: `funds.import` (ok inside the import's
 * transaction; failed with the error). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/ids.h"
#include "funds/funds.h"
#include "funds/import.h"
#include "http/http.h"

typedef struct job {
    int64_t id, court_id;
    char *data;
    size_t len;
    char file_name[128], bank_no[40];
    char username[64], court_code[24], client_ip[64], request_id[32];
    int64_t user_id;
    db_t *db;
    int phase;           /* ZX_STMT_* (atomic) */
    long done, total;    /* atomic */
    int state;           /* 0 running 1 done 2 failed (atomic) */
    char err[512];
    zx_stmt_result res;
    int64_t finished_ms;
    pthread_t th;
    bool joined;
    struct job *next;
} job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static job *jobs;
static volatile int cancel_all;

static json_t *jid(int64_t id)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}

static void on_progress(int phase, long done, long total, void *arg)
{
    job *j = arg;
    __atomic_store_n(&j->phase, phase, __ATOMIC_RELAXED);
    __atomic_store_n(&j->total, total, __ATOMIC_RELAXED);
    __atomic_store_n(&j->done, done, __ATOMIC_RELAXED);
}

static void record_failure(job *j)
{
    db_conn *c = db_acquire(j->db);
    if (db_begin(c) == 0) {
        db_stmt *s = db_prepare(c, "UPDATE fund_import SET status = 'failed', error = ?, error_line = ?, finished_ms = ?"
                                   " WHERE id = ?");
        int rc = -1;
        if (s) {
            db_bind_text(s, 1, j->err, -1);
            if (j->res.error_line > 0) db_bind_int64(s, 2, j->res.error_line);
            else db_bind_null(s, 2);
            db_bind_int64(s, 3, zx_now_ms());
            db_bind_int64(s, 4, j->id);
            rc = db_step(s) == DB_DONE ? 0 : -1;
            db_finalize(s);
        }
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)j->id);
        json_t *d = json_pack("{s:s,s:I}", "error", j->err, "line", (json_int_t)j->res.error_line);
        char *dt = json_dumps(d, JSON_COMPACT);
        json_decref(d);
        zx_audit_rec ar = { .user_id = j->user_id, .username = j->username, .court_code = j->court_code,
                            .action = "funds.import", .object_type = "fund_import", .object_id = oid, .result = "failed",
                            .client_ip = j->client_ip, .request_id = j->request_id, .detail = dt };
        if (rc == 0 && zx_audit_write(c, &ar) == 0) db_commit(c);
        else db_rollback(c);
        free(dt);
    }
    db_release(j->db, c);
}

static void *worker(void *arg)
{
    job *j = arg;
    zx_audit_rec ar = { .user_id = j->user_id, .username = j->username, .court_code = j->court_code,
                        .client_ip = j->client_ip, .request_id = j->request_id };
    zx_stmt_opts o = { .file_name = j->file_name, .bank_no = *j->bank_no ? j->bank_no : NULL, .court_id = j->court_id,
                       .import_id = j->id, .audit = &ar, .cancel = &cancel_all, .progress = on_progress,
                       .progress_arg = j };
    zx_stmt_result res;
    int rc = zx_funds_import_data(j->db, j->data, j->len, &o, &res, j->err, sizeof j->err);
    j->res = res;
    if (rc) record_failure(j);
    free(j->data);
    j->data = NULL;
    j->finished_ms = zx_now_ms();
    __atomic_store_n(&j->state, rc ? 2 : 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Forget finished jobs after 10 minutes (their row keeps the result). Caller holds mu. */
static void prune(void)
{
    int64_t now = zx_now_ms();
    for (job **pp = &jobs; *pp;) {
        job *j = *pp;
        if (__atomic_load_n(&j->state, __ATOMIC_ACQUIRE) != 0 && now - j->finished_ms > 600000) {
            if (!j->joined) pthread_join(j->th, NULL);
            *pp = j->next;
            free(j);
        } else pp = &j->next;
    }
}

static void import_post(zx_req *r)
{
    const char *ct = zx_header(r, "content-type");
    if (ct && strncmp(ct, "text/csv", 8) && strncmp(ct, "text/plain", 10) && strncmp(ct, "application/octet-stream", 24))
        return zx_reply_error(r, 415, "UNSUPPORTED_MEDIA_TYPE", "请上传 CSV 文件（text/csv）");
    if (r->body_len == 0) return zx_reply_error(r, 400, "EMPTY_FILE", "上传的文件为空");
    const char *bank = zx_query(r, "bank"), *fname = zx_query(r, "file_name");
    if (bank && strlen(bank) >= 40) return zx_reply_error(r, 400, "VALIDATION_FAILED", "专户账号过长");
    db_conn *c = zx_db(r);
    /* The 专户 must be the caller's court's; with several numbered ones the page names it. */
    db_stmt *s = db_prepare(c, "SELECT account_no FROM fund_account WHERE kind = 1 AND court_id = ? AND account_no IS NOT NULL");
    if (!s) return zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
    db_bind_int64(s, 1, r->who.court_id);
    int n = 0;
    bool found = false;
    while (db_step(s) == DB_ROW) {
        n++;
        if (bank && !strcmp(bank, db_col_text(s, 0))) found = true;
    }
    db_finalize(s);
    if (n == 0) return zx_reply_error(r, 422, "NO_BANK_ACCOUNT", "本院尚未登记执行款专户账号，请先登记专户");
    if (bank && *bank && !found) return zx_reply_error(r, 422, "UNKNOWN_ACCOUNT", "该账号不是本院登记的执行款专户");
    if ((!bank || !*bank) && n > 1) return zx_reply_error(r, 400, "BANK_REQUIRED", "本院有多个执行款专户，请选择对账单所属专户");
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->data = malloc(r->body_len))) {
        free(j);
        return zx_reply_error(r, 503, "BUSY", "服务器内存不足，请稍后重试");
    }
    memcpy(j->data, r->body, r->body_len);
    j->len = r->body_len;
    j->id = zx_id_new();
    j->court_id = r->who.court_id;
    j->user_id = r->who.user_id;
    j->db = r->app->db;
    snprintf(j->file_name, sizeof j->file_name, "%s", fname && *fname ? fname : "对账单.csv");
    snprintf(j->bank_no, sizeof j->bank_no, "%s", bank ? bank : "");
    snprintf(j->username, sizeof j->username, "%s", r->who.username);
    snprintf(j->court_code, sizeof j->court_code, "%s", r->who.court_code);
    snprintf(j->client_ip, sizeof j->client_ip, "%s", r->client_ip ? r->client_ip : "");
    snprintf(j->request_id, sizeof j->request_id, "%s", r->request_id);
    pthread_mutex_lock(&mu);
    prune();
    for (job *o = jobs; o; o = o->next)
        if (__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == 0) {
            pthread_mutex_unlock(&mu);
            free(j->data);
            free(j);
            return zx_reply_error(r, 409, "IMPORT_RUNNING", "另一份对账单正在导入，请等待其完成后再上传");
        }
    /* the row first (so the import is known even if the server stops midway) */
    int rc = db_begin(c);
    if (!rc && (s = db_prepare(c, "INSERT INTO fund_import (id, court_id, file_name, lines_total, lines_done, status,"
                                  " created_ms, user_id) VALUES (?, ?, ?, 0, 0, 'running', ?, ?)"))) {
        db_bind_int64(s, 1, j->id);
        db_bind_int64(s, 2, j->court_id);
        db_bind_text(s, 3, j->file_name, -1);
        db_bind_int64(s, 4, zx_now_ms());
        db_bind_int64(s, 5, j->user_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else rc = -1;
    if (rc || db_commit(c) || pthread_create(&j->th, NULL, worker, j)) {
        pthread_mutex_unlock(&mu);
        db_rollback(c);
        free(j->data);
        free(j);
        return zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
    }
    j->next = jobs;
    jobs = j;
    pthread_mutex_unlock(&mu);
    zx_reply_json(r, 202, json_pack("{s:o,s:s,s:I}", "import_id", jid(j->id), "status", "running", "bytes",
                                    (json_int_t)j->len));
}

static json_t *error_of(const char *msg, int64_t line)
{
    json_t *e = json_pack("{s:s,s:s}", "code", "IMPORT_FAILED", "message", msg && *msg ? msg : "导入失败，未导入任何记录");
    json_object_set_new(e, "line", line > 0 ? json_integer(line) : json_null());
    return e;
}

static void import_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    pthread_mutex_lock(&mu);
    for (job *j = jobs; j; j = j->next) {
        if (j->id != id) continue;
        if (!zx_can_see_court(&r->who, j->court_id)) break;
        int st = __atomic_load_n(&j->state, __ATOMIC_ACQUIRE);
        if (st == 0) {
            int ph = __atomic_load_n(&j->phase, __ATOMIC_RELAXED);
            long done = __atomic_load_n(&j->done, __ATOMIC_RELAXED), total = __atomic_load_n(&j->total, __ATOMIC_RELAXED);
            /* checking counts bytes, posting lines; the bar runs 0–10% checking, 10–100% posting */
            int pct = ph == ZX_STMT_POSTING ? 10 + (int)(done * 90 / (total > 0 ? total : 1))
                                            : (int)(done * 10 / (total > 0 ? total : 1));
            json_t *o = json_pack("{s:o,s:s,s:s,s:I,s:I,s:i,s:s}", "import_id", jid(id), "status", "running", "phase",
                                  ph == ZX_STMT_POSTING ? "posting" : "checking", "lines_done",
                                  (json_int_t)(ph == ZX_STMT_POSTING ? done : 0), "lines_total",
                                  (json_int_t)(ph == ZX_STMT_POSTING ? total : 0), "percent", pct > 99 ? 99 : pct,
                                  "file_name", j->file_name);
            pthread_mutex_unlock(&mu);
            return zx_reply_json(r, 200, o);
        }
        break; /* finished: the row has the result */
    }
    pthread_mutex_unlock(&mu);
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT court_id, status, COALESCE(file_name, ''), lines_total, lines_done, error, error_line,"
                               " summary, created_ms, finished_ms FROM fund_import WHERE id = ?");
    if (!s) return zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW || !zx_can_see_court(&r->who, db_col_int64(s, 0))) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "导入记录不存在");
    }
    const char *st = db_col_text(s, 1);
    json_t *o = json_pack("{s:o,s:s,s:I,s:I,s:I}", "import_id", jid(id), "file_name", db_col_text(s, 2), "lines_total",
                          (json_int_t)db_col_int64(s, 3), "lines_done", (json_int_t)db_col_int64(s, 4), "created_ms",
                          (json_int_t)db_col_int64(s, 8));
    if (!strcmp(st, "done")) {
        json_object_set_new(o, "status", json_string("done"));
        json_object_set_new(o, "percent", json_integer(100));
        json_t *sum = db_col_text(s, 7) ? json_loads(db_col_text(s, 7), 0, NULL) : NULL;
        json_object_set_new(o, "summary", sum ? sum : json_object());
    } else {
        json_object_set_new(o, "status", json_string("failed"));
        json_object_set_new(o, "error", !strcmp(st, "failed") ? error_of(db_col_text(s, 5), db_col_int64(s, 6))
                                                              : error_of("服务重启，导入未完成，未导入任何记录", 0));
    }
    db_finalize(s);
    zx_reply_json(r, 200, o);
}

static void imports_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id, status, COALESCE(file_name, ''), lines_total, lines_done, error, summary, created_ms"
                               " FROM fund_import WHERE court_id = ? ORDER BY created_ms DESC LIMIT 20");
    if (!s) return zx_reply_error(r, 500, "DB_ERROR", "服务暂时不可用，请稍后重试");
    db_bind_int64(s, 1, r->who.court_id);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *sum = db_col_text(s, 6) ? json_loads(db_col_text(s, 6), 0, NULL) : NULL;
        json_t *o = json_pack("{s:o,s:s,s:s,s:I,s:I,s:I,s:o}", "import_id", jid(db_col_int64(s, 0)), "status",
                              db_col_text(s, 1), "file_name", db_col_text(s, 2), "lines_total",
                              (json_int_t)db_col_int64(s, 3), "lines_done", (json_int_t)db_col_int64(s, 4), "created_ms",
                              (json_int_t)db_col_int64(s, 7), "summary", sum ? sum : json_null());
        if (db_col_text(s, 5)) json_object_set_new(o, "error", json_string(db_col_text(s, 5)));
        json_array_append_new(items, o);
    }
    db_finalize(s);
    /* rows still `running` without a worker: the server stopped midway (nothing was imported) */
    pthread_mutex_lock(&mu);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        if (strcmp(json_string_value(json_object_get(it, "status")), "running")) continue;
        int64_t id = strtoll(json_string_value(json_object_get(it, "import_id")), NULL, 10);
        bool live = false;
        for (job *j = jobs; j; j = j->next)
            if (j->id == id && __atomic_load_n(&j->state, __ATOMIC_ACQUIRE) == 0) live = true;
        if (!live) {
            json_object_set_new(it, "status", json_string("failed"));
            json_object_set_new(it, "error", json_string("服务重启，导入未完成，未导入任何记录"));
        }
    }
    pthread_mutex_unlock(&mu);
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Server stop: running imports roll back (nothing imported), workers are joined before the store closes. */
static int imports_stop(zx_app *app)
{
    (void)app;
    cancel_all = 1;
    pthread_mutex_lock(&mu);
    for (job *j = jobs; j; j = j->next)
        if (!j->joined) {
            pthread_join(j->th, NULL);
            j->joined = true;
        }
    pthread_mutex_unlock(&mu);
    return 0;
}
ZX_ON_STOP("funds imports", imports_stop)

static const struct zx_route routes[] = {
    { "POST", "/api/v1/funds/imports", import_post, ZX_R_USER | ZX_R_RAW_BODY | ZX_R_BIG_BODY, ROLE_FINANCE, NULL,
      "上传银行对账单（CSV，逐行校验后全部入账或全部不入账）" },
    { "GET", "/api/v1/funds/imports", imports_list, ZX_R_USER, ROLE_FINANCE | ROLE_CHIEF, NULL, "对账单导入记录" },
    { "GET", "/api/v1/funds/imports/:id", import_get, ZX_R_USER, ROLE_FINANCE | ROLE_CHIEF, NULL, "对账单导入进度与结果" },
};
ZX_ROUTES(routes)
