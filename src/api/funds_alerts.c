/* funds_alerts.c — the payout clock pushed to people (src/funds/alerts.c) and staff work mobiles:
 *   POST /api/v1/funds/alerts/run       run the warning / escalation pass for the caller's court now
 *   GET  /api/v1/funds/alerts           the court's alerts (?open=1: warnings not yet cleared)
 *   GET/PUT /api/v1/notify/contact      the caller's own work mobile for work notices (sealed, core/pii)
 * docs/api/funds.md "Payout clock: warnings and escalation". */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/date.h"
#include "core/pii.h"
#include "funds/alerts.h"
#include "http/http.h"

#define FIN_ROLES (ROLE_FINANCE | ROLE_CHIEF)
#define VIEW_ROLES (ROLE_FINANCE | ROLE_CHIEF | ROLE_COMMAND | ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CLERK)

static void alerts_run(zx_req *r)
{
    zx_funds_alert_stats st;
    json_t *rep = NULL;
    if (zx_funds_alerts_pass(zx_g->db, zx_today(), r->who.court_id, &st, &rep) < 0)
        return zx_reply_error(r, 503, "DB_BUSY", "预警检查未能完成，请稍后重试");
    zx_reply_json(r, 200, json_pack("{s:i,s:i,s:i,s:i,s:i,s:o}", "cases", st.cases, "warned", st.warned, "escalated",
                                    st.escalated, "cleared", st.cleared, "sms", st.sms, "items", rep));
}

/* GET /api/v1/funds/alerts[?open=1][&stage=warning|overdue] — open=1: alerts still open (the money not yet
 * paid, escrowed or deferred); stage=overdue with open=1 is the 执行局长's list of escalations still open. */
static void alerts_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    const char *open = zx_query(r, "open"), *stage = zx_query(r, "stage");
    bool only_open = open && !strcmp(open, "1");
    if (stage && strcmp(stage, "warning") && strcmp(stage, "overdue"))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "阶段应为临期提醒或超期报告");
    if (only_open && !stage) stage = "warning";
    /* an escalation is open while the warning of the same money and due date is (both close together) */
    db_stmt *s = db_prepare(c,
        "SELECT a.transfer_id, a.due_on, a.stage, a.case_id, e.case_no, a.notified, COALESCE(a.cleared_on, w.cleared_on),"
        " a.created_ms, COALESCE(u.display_name, ''), COALESCE(f.credits_posted - f.debits_posted, 0)"
        " FROM fund_payout_alert a JOIN enf_case e ON e.id = a.case_id LEFT JOIN app_user u ON u.id = e.handler_id"
        " LEFT JOIN fund_account f ON f.case_id = a.case_id AND f.kind = 2"
        " LEFT JOIN fund_payout_alert w ON w.transfer_id = a.transfer_id AND w.due_on = a.due_on AND w.stage = 'warning'"
        " AND a.stage = 'overdue'"
        " WHERE a.court_id = ? AND (? = '' OR a.stage = ?) AND (? = 0 OR COALESCE(a.cleared_on, w.cleared_on) IS NULL)"
        " ORDER BY CASE WHEN ? = 1 THEN a.due_on ELSE '' END, a.created_ms DESC LIMIT 500");
    if (!s) return zx_reply_error(r, 500, "DB_ERROR", "查询失败");
    db_bind_int64(s, 1, r->who.court_id);
    db_bind_text(s, 2, stage ? stage : "", -1);
    db_bind_text(s, 3, stage ? stage : "", -1);
    db_bind_int64(s, 4, only_open);
    db_bind_int64(s, 5, only_open);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        char tid[24], cid[24];
        snprintf(tid, sizeof tid, "%lld", (long long)db_col_int64(s, 0));
        snprintf(cid, sizeof cid, "%lld", (long long)db_col_int64(s, 3));
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:I,s:s,s:I}", "transfer_id", tid, "due_on",
                                               db_col_text(s, 1), "stage", db_col_text(s, 2), "case_id", cid, "case_no",
                                               db_col_text(s, 4), "notified", (int)db_col_int64(s, 5), "cleared_on",
                                               db_col_text(s, 6) ? json_string(db_col_text(s, 6)) : json_null(),
                                               "created_ms", (json_int_t)db_col_int64(s, 7), "handler_name", db_col_text(s, 8),
                                               "held_fen", (json_int_t)db_col_int64(s, 9)));
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static void contact_get(zx_req *r)
{
    char phone[32];
    int rc = zx_staff_phone(zx_db(r), r->who.user_id, phone);
    if (rc < 0) return zx_reply_error(r, 500, "DB_ERROR", "查询失败");
    char *m = rc == 0 ? zx_pii_mask(ZX_PII_PHONE, phone) : NULL;
    zx_reply_json(r, 200, json_pack("{s:o}", "phone", m ? json_string(m) : json_null()));
    zx_pii_free(m);
}

static void contact_put(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *v = json_object_get(b, "phone");
    const char *p = json_is_string(v) ? json_string_value(v) : NULL;
    if (!json_is_null(v) && !p) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写手机号码");
    if (p && *p) { /* a mainland mobile number: 11 digits starting with 1 */
        size_t n = strlen(p);
        bool ok = n == 11 && p[0] == '1';
        for (size_t i = 0; ok && i < n; i++) ok = p[i] >= '0' && p[i] <= '9';
        if (!ok) return zx_reply_error(r, 400, "VALIDATION_FAILED", "手机号码应为11位数字");
    }
    db_conn *c = zx_db(r);
    if (db_begin(c) || zx_staff_phone_set(c, r->who.user_id, p) ||
        zx_audit_req(r, c, "user.contact", "user", r->who.user_id, "ok", NULL) || db_commit(c))
        return zx_reply_error(r, 500, "DB_ERROR", "保存失败，请稍后重试");
    contact_get(r);
}

static const struct zx_route routes[] = {
    { "POST", "/api/v1/funds/alerts/run", alerts_run, ZX_R_USER, FIN_ROLES, NULL, "执行款发放期限预警：立即检查（临期提醒承办人，超期报执行局长）" },
    { "GET", "/api/v1/funds/alerts", alerts_list, ZX_R_USER, VIEW_ROLES, NULL, "执行款发放期限预警记录" },
    { "GET", "/api/v1/notify/contact", contact_get, ZX_R_USER, 0, NULL, "本人工作手机（接收工作提醒短信）" },
    { "PUT", "/api/v1/notify/contact", contact_put, ZX_R_USER, 0, NULL, "设置本人工作手机" },
};
ZX_ROUTES(routes)
