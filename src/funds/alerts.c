/* alerts.c — the payout clock pushed to people, not only listed (执行款发放期限预警与督办).
 *
 * The overdue list (overdue.c) shows each case's money with its level. This pass turns the levels
 * into work, once per arrival transfer and deadline (table fund_payout_alert, key (transfer_id,
 * due_on, stage) — a rerun, a second server or a restart never alerts twice):
 *   warning  (≤ funds.warning_days before the due date, or later): the case event funds_payout_warning
 *            carrying the due date, which the case clocks turn into a to-do row `funds_payout` of the
 *            handling judge (case_deadline → GET /api/v1/todo and the home page's 待办), and an SMS to
 *            the judge's work mobile through the notification outbox (template funds_payout_warning);
 *   overdue  (the due date passed): the case event funds_payout_overdue and an SMS to each 执行局长
 *            (ROLE_CHIEF) of the case's court (template funds_payout_overdue) — the escalation; the
 *            judge's to-do row turns overdue by its date.
 * When the money that set the clock is paid out, put in 提存 or deferred (暂缓发放), or a new deadline
 * replaces the old one (a deferral ended), the open warning is cleared by the event
 * funds_payout_cleared, which closes the to-do row.
 * Every change for a case is one transaction: alert rows, case events, clocks, outbox rows and one
 * audit record (funds.payout_alert). The server runs a pass at start (before serving) and then every
 * minute; POST /api/v1/funds/alerts/run and `zhixing funds alerts` run one now. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/worker.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "core/pii.h"
#include "funds/alerts.h"
#include "funds/funds.h"
#include "funds/payouts.h"
#include "notify/notify.h"

ZX_PII_COLUMN_KEY(staff_contact, user_id, phone_enc, ZX_PII_PHONE)

int zx_staff_phone(db_conn *c, int64_t user_id, char out[32])
{
    out[0] = 0;
    db_stmt *s = db_prepare(c, "SELECT phone_enc FROM staff_contact WHERE user_id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        char *p = zx_pii_col(s, 0, ZX_PII_PHONE);
        snprintf(out, 32, "%s", p ? p : "");
        zx_pii_free(p);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int zx_staff_phone_set(db_conn *c, int64_t user_id, const char *phone)
{
    db_stmt *s = db_prepare(c, phone && *phone
                                   ? "INSERT INTO staff_contact (user_id, phone_enc, updated_ms) VALUES (?, ?, ?)"
                                     " ON CONFLICT (user_id) DO UPDATE SET phone_enc = excluded.phone_enc, updated_ms = excluded.updated_ms"
                                   : "DELETE FROM staff_contact WHERE user_id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, user_id);
    if (phone && *phone) {
        zx_pii_bind(s, 2, ZX_PII_PHONE, phone);
        db_bind_int64(s, 3, zx_now_ms());
    }
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* One case's alert state as found in the store. */
typedef struct open_alert {
    int64_t tid;
    char due[11];
    int seq;
} open_alert;

typedef struct case_row {
    int64_t case_id, acc, court, handler;
    char case_no[64], handler_name[96];
} case_row;

static int exists_alert(db_conn *c, int64_t tid, const char *due, const char *stage)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM fund_payout_alert WHERE transfer_id = ? AND due_on = ? AND stage = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, tid);
    db_bind_text(s, 2, due, -1);
    db_bind_text(s, 3, stage, -1);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

/* Insert the alert row; 1 inserted, 0 somebody else already did (nothing more to do), < 0 error. */
static int insert_alert(db_conn *c, int64_t tid, const char *due, const char *stage, const case_row *k, int seq,
                        int notified)
{
    db_stmt *s = db_prepare(c, "INSERT INTO fund_payout_alert (transfer_id, due_on, stage, case_id, court_id, event_seq,"
                               " notified, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, tid);
    db_bind_text(s, 2, due, -1);
    db_bind_text(s, 3, stage, -1);
    db_bind_int64(s, 4, k->case_id);
    db_bind_int64(s, 5, k->court);
    db_bind_int64(s, 6, seq);
    db_bind_int64(s, 7, notified);
    db_bind_int64(s, 8, zx_now_ms());
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_finalize(s);
    return rc == DB_DONE ? (n == 1) : DB_ERROR;
}

static int sms(db_conn *c, const char *phone, const char *tpl, const case_row *k, const char *name, const zx_funds_clock *ck,
               const char *due, const char *key)
{
    if (!phone || !*phone) return 0;
    char amt[ZX_MONEY_BUF];
    zx_money_format(ck->held_fen, amt);
    json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", name, "case_no", k->case_no, "amount", amt, "date", ck->oldest,
                          "due_on", due, "handler", *k->handler_name ? k->handler_name : "未分配");
    int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone, .template_name = tpl,
                                                        .params = p, .case_id = k->case_id, .dedup_key = key });
    json_decref(p);
    return id < 0 && id != ZX_NOTIFY_EINVAL ? (int)id : id > 0;
}

/* The court's 执行局长 (chiefs) with a work mobile: SMS each. Returns how many were queued or < 0. */
static int notify_chiefs(db_conn *c, const case_row *k, const zx_funds_clock *ck, const char *due)
{
    db_stmt *s = db_prepare(c, "SELECT u.id, u.display_name FROM app_user u WHERE u.court_id = ? AND (u.roles & ?) <> 0"
                               " AND u.disabled = 0 ORDER BY u.id");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, k->court);
    db_bind_int64(s, 2, ROLE_CHIEF);
    struct { int64_t id; char name[96]; } u[16];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < 16) {
        u[n].id = db_col_int64(s, 0);
        snprintf(u[n].name, sizeof u[n].name, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        n++;
    }
    db_finalize(s);
    if (rc < 0) return rc;
    int sent = 0;
    for (int i = 0; i < n; i++) {
        char phone[32], key[128];
        if (zx_staff_phone(c, u[i].id, phone) < 0) return DB_ERROR;
        snprintf(key, sizeof key, "funds_payout_overdue:%lld:%s:%lld", (long long)ck->oldest_tid, due, (long long)u[i].id);
        int r = sms(c, phone, "funds_payout_overdue", k, u[i].name, ck, due, key);
        if (r < 0) return r;
        sent += r;
    }
    return sent;
}

static int event(db_conn *c, const case_row *k, const char *kind, json_t *d, int *seq)
{
    int64_t eid = zx_case_event_add(c, NULL, k->case_id, 0, kind, "funds", zx_today(), d, seq);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

/* Bring one case's alerts up to date. Inside the caller's transaction. Counts into *st. 0 or < 0. */
static int case_pass(db_conn *c, const case_row *k, zx_date today, zx_funds_alert_stats *st, json_t *log, bool dry)
{
    zx_funds_clock ck;
    int rc = zx_funds_case_clock(c, k->court, k->case_id, k->acc, today, &ck);
    if (rc < 0) return rc;
    bool due_now = rc == 0 && (!strcmp(ck.level, "warning") || !strncmp(ck.level, "overdue", 7));
    char due[11] = "";
    if (due_now) zx_date_format(ck.due, due);
    /* 1. open warnings that no longer describe the clock: clear them (closes the to-do row) */
    db_stmt *s = db_prepare(c, "SELECT transfer_id, due_on, event_seq FROM fund_payout_alert WHERE case_id = ?"
                               " AND stage = 'warning' AND cleared_on IS NULL");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, k->case_id);
    open_alert oa[8];
    int no = 0;
    while ((rc = db_step(s)) == DB_ROW && no < 8) {
        oa[no].tid = db_col_int64(s, 0);
        snprintf(oa[no].due, sizeof oa[no].due, "%s", db_col_text(s, 1));
        oa[no].seq = (int)db_col_int64(s, 2);
        no++;
    }
    db_finalize(s);
    if (rc < 0) return rc;
    bool changed = false;
    char td[11];
    zx_date_format(today, td);
    for (int i = 0; i < no; i++) {
        if (due_now && oa[i].tid == ck.oldest_tid && !strcmp(oa[i].due, due)) continue;
        if (dry) return 3;
        const char *why = rc == 1 || ck.held_fen == 0 ? "paid" : !strcmp(ck.level, "deferred") ? "deferred"
                        : due_now ? "replaced" : "paid";
        if (event(c, k, "funds_payout_cleared", json_pack("{s:i,s:s,s:s}", "ref_seq", oa[i].seq, "due_on", oa[i].due, "reason", why),
                  NULL))
            return DB_ERROR;
        s = db_prepare(c, "UPDATE fund_payout_alert SET cleared_on = ? WHERE transfer_id = ? AND due_on = ? AND stage = 'warning'");
        if (!s) return DB_ERROR;
        db_bind_text(s, 1, td, -1);
        db_bind_int64(s, 2, oa[i].tid);
        db_bind_text(s, 3, oa[i].due, -1);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return DB_ERROR;
        st->cleared++;
        changed = true;
        json_array_append_new(log, json_pack("{s:s,s:s,s:s}", "case_no", k->case_no, "stage", "cleared", "due_on", oa[i].due));
    }
    if (due_now) {
        char tids[24];
        snprintf(tids, sizeof tids, "%lld", (long long)ck.oldest_tid);
        /* 2. the warning: to-do row (through the event) + SMS to the judge */
        rc = exists_alert(c, ck.oldest_tid, due, "warning");
        if (rc < 0) return rc;
        if (rc == 0) {
            if (dry) return 3;
            int seq = 0;
            if (event(c, k, "funds_payout_warning",
                      json_pack("{s:s,s:s,s:s,s:I,s:s}", "due_on", due, "oldest_arrival_on", ck.oldest, "transfer_id", tids,
                                "amount_fen", (json_int_t)ck.held_fen, "level", ck.level), &seq))
                return DB_ERROR;
            int notified = 0;
            if (k->handler > 0) {
                char phone[32], key[128];
                if (zx_staff_phone(c, k->handler, phone) < 0) return DB_ERROR;
                snprintf(key, sizeof key, "funds_payout_warning:%lld:%s:%lld", (long long)ck.oldest_tid, due, (long long)k->handler);
                notified = sms(c, phone, "funds_payout_warning", k, k->handler_name, &ck, due, key);
                if (notified < 0) return notified;
            }
            rc = insert_alert(c, ck.oldest_tid, due, "warning", k, seq, notified);
            if (rc < 0) return rc;
            if (rc == 0) return 1; /* another pass did it meanwhile: roll this case back */
            st->warned++;
            st->sms += notified;
            changed = true;
            json_array_append_new(log, json_pack("{s:s,s:s,s:s,s:i}", "case_no", k->case_no, "stage", "warning", "due_on", due,
                                                 "sms", notified));
        }
        /* 3. overdue: escalate to the 执行局长 */
        if (!strncmp(ck.level, "overdue", 7)) {
            rc = exists_alert(c, ck.oldest_tid, due, "overdue");
            if (rc < 0) return rc;
            if (rc == 0) {
                if (dry) return 3;
                int seq = 0;
                if (event(c, k, "funds_payout_overdue",
                          json_pack("{s:s,s:s,s:s,s:I,s:s}", "due_on", due, "oldest_arrival_on", ck.oldest, "transfer_id", tids,
                                    "amount_fen", (json_int_t)ck.held_fen, "level", ck.level), &seq))
                    return DB_ERROR;
                int notified = notify_chiefs(c, k, &ck, due);
                if (notified < 0) return notified;
                rc = insert_alert(c, ck.oldest_tid, due, "overdue", k, seq, notified);
                if (rc < 0) return rc;
                if (rc == 0) return 1;
                st->escalated++;
                st->sms += notified;
                changed = true;
                json_array_append_new(log, json_pack("{s:s,s:s,s:s,s:i}", "case_no", k->case_no, "stage", "overdue", "due_on",
                                                     due, "sms", notified));
            }
        }
    }
    if (!changed) return 2;
    if (zx_case_refresh(c, k->case_id) < 0) return DB_ERROR;
    return 0;
}

int zx_funds_alerts_case(db_conn *c, int64_t case_id)
{
    db_stmt *s = db_prepare(c, "SELECT a.id, e.court_id, COALESCE(e.handler_id, 0), e.case_no, COALESCE(u.display_name, '')"
                               " FROM fund_account a JOIN enf_case e ON e.id = a.case_id LEFT JOIN app_user u ON u.id = e.handler_id"
                               " WHERE a.kind = 2 AND a.case_id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    case_row k = { .case_id = case_id };
    int rc = db_step(s);
    if (rc == DB_ROW) {
        k.acc = db_col_int64(s, 0);
        k.court = db_col_int64(s, 1);
        k.handler = db_col_int64(s, 2);
        snprintf(k.case_no, sizeof k.case_no, "%s", db_col_text(s, 3));
        snprintf(k.handler_name, sizeof k.handler_name, "%s", db_col_text(s, 4));
    }
    db_finalize(s);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : DB_ERROR;
    zx_funds_alert_stats st;
    memset(&st, 0, sizeof st);
    json_t *log = json_array();
    rc = case_pass(c, &k, zx_today(), &st, log, false);
    json_decref(log);
    return rc < 0 ? rc : 0;
}

int zx_funds_alerts_pass(db_t *db, zx_date today, int64_t only_court, zx_funds_alert_stats *st, json_t **report)
{
    memset(st, 0, sizeof *st);
    db_conn *c = db_acquire(db);
    if (!c) return DB_ERROR;
    /* The cases to look at: money held on the case account, or an open warning (paid meanwhile). */
#define ALERT_CASES "SELECT a.case_id, a.id, e.court_id, COALESCE(e.handler_id, 0), e.case_no, COALESCE(u.display_name, '')" \
                    " FROM fund_account a JOIN enf_case e ON e.id = a.case_id LEFT JOIN app_user u ON u.id = e.handler_id" \
                    " WHERE a.kind = 2 AND (a.credits_posted > a.debits_posted OR EXISTS (SELECT 1 FROM fund_payout_alert x" \
                    " WHERE x.case_id = a.case_id AND x.cleared_on IS NULL))"
    db_stmt *s = db_prepare(c, only_court ? ALERT_CASES " AND e.court_id = ? ORDER BY a.case_id" : ALERT_CASES " ORDER BY a.case_id");
    if (!s) {
        db_release(db, c);
        return DB_ERROR;
    }
    if (only_court) db_bind_int64(s, 1, only_court);
    case_row *rows = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            case_row *nr = realloc(rows, (size_t)cap * sizeof *rows);
            if (!nr) zx_die("out of memory (funds alerts)");
            rows = nr;
        }
        case_row *k = &rows[n++];
        k->case_id = db_col_int64(s, 0);
        k->acc = db_col_int64(s, 1);
        k->court = db_col_int64(s, 2);
        k->handler = db_col_int64(s, 3);
        snprintf(k->case_no, sizeof k->case_no, "%s", db_col_text(s, 4));
        snprintf(k->handler_name, sizeof k->handler_name, "%s", db_col_text(s, 5));
    }
    db_finalize(s);
    int ret = rc == DB_DONE ? 0 : DB_ERROR;
    json_t *all = json_array();
    for (int i = 0; i < n && ret == 0; i++) {
        st->cases++;
        /* read-only first: most cases need nothing, and a pass must not queue behind writers for them */
        rc = case_pass(c, &rows[i], today, st, NULL, true);
        if (rc < 0) {
            ret = rc;
            break;
        }
        if (rc != 3) continue;
        if (db_begin(c)) {
            ret = DB_ERROR;
            break;
        }
        json_t *log = json_array();
        rc = case_pass(c, &rows[i], today, st, log, false);
        if (rc == 0) {
            char *detail = json_dumps(log, JSON_COMPACT);
            char oid[24];
            snprintf(oid, sizeof oid, "%lld", (long long)rows[i].case_id);
            zx_audit_rec rec = { .user_id = 0, .username = "system", .action = "funds.payout_alert", .object_type = "case",
                                 .object_id = oid, .result = "ok", .detail = detail };
            rc = zx_audit_write(c, &rec) || db_commit(c) ? DB_ERROR : 0;
            free(detail);
            if (rc == 0) {
                size_t j;
                json_t *v;
                json_array_foreach(log, j, v) json_array_append(all, v);
            } else db_rollback(c);
        } else db_rollback(c);
        json_decref(log);
        if (rc < 0) ret = rc;
    }
    free(rows);
    db_release(db, c);
    if (report) *report = all;
    else json_decref(all);
    if (ret == 0 && (st->warned || st->escalated || st->cleared))
        LOG_INFO("funds: payout alerts — %d warned, %d escalated, %d cleared, %d SMS", st->warned, st->escalated, st->cleared,
                 st->sms);
    return ret;
}

/* ---- CLI: zhixing funds alerts --db URL ---- */
static int cmd_alerts(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    zx_funds_alert_stats st;
    json_t *rep = NULL;
    int rc = zx_funds_alerts_pass(app->db, zx_today(), 0, &st, &rep);
    if (rc == 0)
        printf("发放期限预警：查看 %d 案，新预警 %d，超期报执行局长 %d，解除 %d，短信 %d\n", st.cases, st.warned, st.escalated,
               st.cleared, st.sms);
    else fprintf(stderr, "发放期限预警未能完成（存储错误）\n");
    json_decref(rep);
    zx_cli_close(app);
    return rc == 0 ? 0 : 1;
}
static const struct zx_command alerts_cmd = { "funds alerts", cmd_alerts, "--db URL",
                                              "执行款发放期限预警：临期提醒承办法官（待办＋短信），超期报执行局长；每笔到账每个期限只提醒一次" };
ZX_COMMAND(alerts_cmd)

/* ---- the server's job: a pass at start, then every minute ---- */
static long job_pass(void *arg)
{
    zx_app *app = arg;
    zx_funds_alert_stats st;
    if (zx_funds_alerts_pass(app->db, zx_today(), 0, &st, NULL) < 0) LOG_WARN("funds: payout alert pass failed");
    return 60000;
}
static zx_worker job = ZX_WORKER(job_pass);

static int job_start(zx_app *app)
{
    if (!app->started_ms) return 0;
    if (getenv("ZX_FUNDS_ALERTS") && !strcmp(getenv("ZX_FUNDS_ALERTS"), "off")) return 0;
    /* the first pass before serving: what is due today is on the to-do lists from the first request */
    zx_funds_alert_stats st;
    if (zx_funds_alerts_pass(app->db, zx_today(), 0, &st, NULL) < 0) LOG_WARN("funds: payout alert pass failed");
    job.first_wait_ms = 60000;
    return zx_worker_start(&job, app);
}
ZX_ON_START("funds payout alerts", job_start)

static int job_end(zx_app *app)
{
    (void)app;
    zx_worker_stop(&job);
    return 0;
}
ZX_ON_STOP("funds payout alerts", job_end)
