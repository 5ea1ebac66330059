/* decisions_review.c — correction applications (失信规定 arts 11–12) and the periodic sweep (term
 * expiry → deletion due, permit windows). See decisions.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "credit/decisions_internal.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"
#include "rules/restriction.h"

/* ---- correction applications (失信规定 art 11–12) ------------------------------------------------- */

int64_t zx_cd_correction_add(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *who = jstr(body, "applicant_name"), *kind = jstr(body, "kind"), *reason = jstr(body, "reason");
    bool bad = false;
    zx_date rec = jdate(body, "received_on", zx_today(), &bad);
    bool kind_ok = kind && (!strcmp(kind, "wrong_listing") || !strcmp(kind, "inaccurate") || !strcmp(kind, "should_delete"));
    if (!who || !kind_ok || !reason || bad || rec > zx_today()) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写申请人、申请类型（wrong_listing/inaccurate/should_delete）、理由和收到日期");
        return -1;
    }
    int64_t id = zx_id_new();
    char r1[11], due[11];
    fmt(rec, r1);
    fmt(zx_dis_review_due(rec), due); /* art 12: 15 days */
    db_stmt *s = db_prepare(c, "INSERT INTO credit_correction (id, entry_id, court_id, applicant_name, kind, reason, received_on,"
                               " review_due, status, created_by, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,'pending',?,?,?)");
    int64_t now = zx_now_ms();
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e.id);
    db_bind_int64(s, 3, k.court_id);
    db_bind_text(s, 4, who, -1);
    db_bind_text(s, 5, kind, -1);
    db_bind_text(s, 6, reason, -1);
    db_bind_text(s, 7, r1, -1);
    db_bind_text(s, 8, due, -1);
    db_bind_int64(s, 9, actor_uid(a));
    db_bind_int64(s, 10, now);
    db_bind_int64(s, 11, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return cd_fail_db(err, c, "保存纠正申请");
    if (cd_entry_event(a, c, &k, &e, "credit_correction_received", "credit.correction_add",
                    json_pack("{s:o,s:s,s:s,s:s}", "correction_id", jid(id), "kind", kind, "applicant", who, "review_due", due)))
        return cd_fail_db(err, c, "记录事件");
    return id;
}

int zx_cd_correction_step(const zx_cd_actor *a, db_conn *c, int64_t id, const char *step, json_t *body, zx_cd_err *err)
{
    db_stmt *s = db_prepare(c, "SELECT entry_id, status, decided_on FROM credit_correction WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        zx_cd_err_set(err, 404, "NOT_FOUND", "纠正申请不存在");
        return -1;
    }
    int64_t entry_id = db_col_int64(s, 0);
    char st[24], decided[11];
    cpy(st, sizeof st, db_col_text(s, 1));
    cpy(decided, sizeof decided, db_col_text(s, 2));
    db_finalize(s);
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    bool bad = false;
    zx_date today = zx_today();
    const char *outcome = jstr(body, "outcome"), *note = jstr(body, "note");
    bool oc_ok = outcome && (!strcmp(outcome, "upheld") || !strcmp(outcome, "rejected"));
    char d1[11], d2[11];
    const char *sql;
    const char *newst;
    if (strcmp(step, "decide") == 0 || strcmp(step, "reconsider-decide") == 0) {
        bool first = strcmp(step, "decide") == 0;
        if (strcmp(st, first ? "pending" : "reconsidering") != 0) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "申请当前状态（%s）不能作出此决定", st);
            return -1;
        }
        zx_date on = jdate(body, "decided_on", today, &bad);
        if (!oc_ok || bad || on > today) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "outcome 须为 upheld 或 rejected，日期有效");
            return -1;
        }
        fmt(on, d1);
        bool up = strcmp(outcome, "upheld") == 0;
        /* art 12: upheld → fix within 3 working days; rejected → 复议 within 10 days */
        fmt(up ? zx_dis_fix_due(on) : (first ? zx_dis_reconsider_by(on) : ZX_DATE_NONE), d2);
        if (first) {
            newst = up ? "upheld" : "rejected";
            sql = up ? "UPDATE credit_correction SET status = ?, decided_on = ?, fix_due = ?, note = ?, updated_ms = ? WHERE id = ?"
                     : "UPDATE credit_correction SET status = ?, decided_on = ?, reconsider_by = ?, note = ?, updated_ms = ? WHERE id = ?";
        } else {
            newst = up ? "reconsider_upheld" : "reconsider_rejected";
            sql = "UPDATE credit_correction SET status = ?, reconsider_decided_on = ?, fix_due = ?, reconsider_note = ?,"
                  " updated_ms = ? WHERE id = ?";
        }
    } else if (strcmp(step, "reconsider") == 0) {
        if (strcmp(st, "rejected") != 0) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "只有被驳回的申请可以申请复议");
            return -1;
        }
        zx_date on = jdate(body, "filed_on", today, &bad);
        if (bad || on > today) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "复议申请日期无效");
            return -1;
        }
        fmt(on, d1);
        fmt(zx_dis_reconsider_due(on), d2); /* art 12: decided within 15 days */
        newst = "reconsidering";
        note = jstr(body, "reason");
        sql = "UPDATE credit_correction SET status = ?, reconsider_filed_on = ?, reconsider_due = ?,"
              " reconsider_note = ?, updated_ms = ? WHERE id = ?";
    } else {
        zx_cd_err_set(err, 400, "BAD_REQUEST", "未知操作");
        return -1;
    }
    s = db_prepare(c, sql);
    db_bind_text(s, 1, newst, -1);
    db_bind_text(s, 2, d1, -1);
    db_bind_text(s, 3, d2[0] ? d2 : NULL, -1);
    db_bind_text(s, 4, note, -1);
    db_bind_int64(s, 5, zx_now_ms());
    db_bind_int64(s, 6, id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return cd_fail_db(err, c, "更新纠正申请");
    if (cd_entry_event(a, c, &k, &e, "credit_correction_step", "credit.correction_step",
                    json_pack("{s:o,s:s,s:s}", "correction_id", jid(id), "step", step, "status", newst)))
        return cd_fail_db(err, c, "记录事件");
    return 0;
}

/* ---- sweep ---------------------------------------------------------------------------------------- */

int zx_cd_sweep(db_conn *c, zx_date today)
{
    char day[11];
    fmt(today, day);
    zx_cd_actor sys = { .r = NULL, .user_id = 0, .username = "system" };
    int done = 0;
    /* 失信规定 art 10 para 2: fixed term over → delete within 3 working days (task created here). */
    int64_t ids[128];
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT e.id FROM credit_entry e WHERE e.list = 'dishonest' AND e.status IN ('grace','active')"
                               " AND e.term_end IS NOT NULL AND e.term_end <> '' AND e.term_end < ? AND e.case_id IS NOT NULL"
                               " AND NOT EXISTS (SELECT 1 FROM credit_deletion d WHERE d.entry_id = e.id AND d.status IN ('due','done'))"
                               " ORDER BY e.id LIMIT 128");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, day, -1);
    while (db_step(s) == DB_ROW && n < 128) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(c)) return done ? done : DB_ERROR;
        struct zx_credit_entry e;
        zx_cd_case k;
        int ok = zx_credit_entry_load(c, ids[i], &e) == 0 && cd_entry_open(&e) && zx_cd_case_load(c, e.case_id, &k) == 0;
        if (ok) {
            zx_date end = pdate(e.term_end);
            int64_t did = cd_deletion_insert(c, &e, k.court_id, "term_expired", end, "期限届满（系统自动登记）", 0);
            char due[11];
            fmt(zx_dis_deletion_due(end), due);
            if (did < 0 || cd_entry_event(&sys, c, &k, &e, "credit_deletion_due", "credit.deletion_trigger",
                                       json_pack("{s:o,s:s,s:s}", "deletion_id", jid(did), "trigger", "term_expired", "due_on", due))) {
                db_rollback(c);
                return done ? done : DB_ERROR;
            }
        }
        if (db_commit(c)) return done ? done : DB_ERROR;
        done += ok;
    }
    /* Permission windows that ended: roll to the next one (法发〔2019〕35号 para 17). The debtor is
     * named by the entry's sealed number, opened, and looked up like a typed one (both forms of its
     * blind index): the stored index of one row compared with another row's would miss entries that
     * an online index-key rotation has moved or not yet moved (core/pii.h ZX_PII_IN). */
    struct { int64_t case_id; char id[20]; } w[128];
    n = 0;
    s = db_prepare(c, "SELECT case_id, id_number_enc FROM credit_entry WHERE status IN ('grace','active')"
                      " AND permit_to IS NOT NULL AND permit_to <> '' AND permit_to < ? AND case_id IS NOT NULL LIMIT 128");
    db_bind_text(s, 1, day, -1);
    while (db_step(s) == DB_ROW && n < 128) {
        char *idn = zx_pii_col(s, 1, ZX_PII_ID_NUMBER);
        int64_t case_id = db_col_int64(s, 0);
        bool dup = !idn;
        for (int k = 0; k < n && !dup; k++) dup = w[k].case_id == case_id && !strcmp(w[k].id, idn);
        if (!dup) {
            w[n].case_id = case_id;
            cpy(w[n].id, sizeof w[n].id, idn);
            n++;
        }
        zx_pii_free(idn);
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(c)) return done ? done : DB_ERROR;
        int rc = cd_refresh_window(&sys, c, w[i].case_id, w[i].id, today);
        if (rc < 0) db_rollback(c);
        if (rc < 0 || db_commit(c)) {
            zx_wipe(w, sizeof w);
            return done ? done : DB_ERROR;
        }
        done++;
    }
    zx_wipe(w, sizeof w);
    if (done) zx_credit_sync(c);
    return done;
}

/* The sweep thread runs in the server only, and the stop hook joins it before the store closes (a
 * detached thread still sweeping at shutdown used the closed store). */
static pthread_t sweep_th;
static bool sweep_started, sweep_stop;
static pthread_mutex_t sweep_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sweep_cv = PTHREAD_COND_INITIALIZER;

/* Wait up to secs or until the stop hook; true when stopping. */
static bool sweep_wait(int secs)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += secs;
    pthread_mutex_lock(&sweep_mu);
    while (!sweep_stop && pthread_cond_timedwait(&sweep_cv, &sweep_mu, &ts) == 0) {
    }
    bool stop = sweep_stop;
    pthread_mutex_unlock(&sweep_mu);
    return stop;
}

static void *sweep_thread(void *arg)
{
    zx_app *app = arg;
    if (sweep_wait(5)) return NULL; /* let the server finish starting */
    for (;;) {
        db_conn *c = db_acquire(app->db);
        int n = zx_cd_sweep(c, zx_today());
        db_release(app->db, c);
        if (n < 0) LOG_WARN("credit decisions: sweep failed (%d)", n);
        else if (n > 0) LOG_INFO("credit decisions: sweep made %d changes (term expiry / permission windows)", n);
        if (sweep_wait(60)) break;
    }
    return NULL;
}

/* Start hook: term-expiry deletion tasks and permission-window rollover, at start and every minute.
 * (The grace-end publication itself is the credit engine's sweep, zx_credit_publish_due.) */
static int decisions_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only: CLI commands exit without stop hooks */
    if (pthread_create(&sweep_th, NULL, sweep_thread, app) != 0) return -1;
    sweep_started = true;
    return 0;
}
ZX_ON_START("credit decisions sweep", decisions_start)

static int decisions_stop(zx_app *app)
{
    (void)app;
    if (!sweep_started) return 0;
    pthread_mutex_lock(&sweep_mu);
    sweep_stop = true;
    pthread_cond_broadcast(&sweep_cv);
    pthread_mutex_unlock(&sweep_mu);
    pthread_join(sweep_th, NULL);
    sweep_started = false;
    return 0;
}
ZX_ON_STOP("credit decisions sweep", decisions_stop)
