/* deferrals.c — 暂缓发放 (法发〔2017〕6号): only with the 执行局长's approval and a listed reason; when
 * the reason ends the money must be paid within 10 days (ZX_DEFERRAL_RESUME_DAYS). */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "core/date.h"
#include "core/ids.h"
#include "funds/funds.h"
#include "funds/payouts.h"

static const struct {
    const char *code, *label;
} reasons[] = {
    /* 法发〔2017〕6号 (rules.md §6): the listed grounds for 暂缓发放 */
    { "distribution", "需要进行案款分配" },
    { "frozen_elsewhere", "申请执行人因另案诉讼、执行或涉嫌犯罪等原因导致执行款被保全或冻结" },
    { "not_collecting", "申请执行人经通知未领取" },
    { "suspended", "案件被依法中止或者暂缓执行" },
    { "other", "有其他正当理由需要暂缓发放" },
};

const char *zx_funds_deferral_reason_label(const char *reason)
{
    for (size_t i = 0; reason && i < sizeof reasons / sizeof reasons[0]; i++)
        if (!strcmp(reasons[i].code, reason)) return reasons[i].label;
    return NULL;
}

int zx_funds_deferral_request(db_conn *c, int64_t case_id, int64_t user_id, const char *reason, const char *detail,
                              int64_t *id_out, zx_funds_err *e)
{
    if (!zx_funds_deferral_reason_label(reason)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "暂缓发放须选择规定的事由");
        return 1;
    }
    if (!strcmp(reason, "other") && (!detail || !*detail)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "“其他正当理由”须写明具体理由");
        return 1;
    }
    if (detail && strlen(detail) > 1000) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "理由过长");
        return 1;
    }
    int64_t court_id = 0;
    int rc = zx_funds_case_brief(c, case_id, &court_id, NULL, NULL);
    if (rc != 0) {
        zx_funds_err_set(e, rc == 1 ? 404 : 500, rc == 1 ? "NOT_FOUND" : "DB_ERROR", rc == 1 ? "案件不存在" : "保存失败");
        return rc == 1 ? 1 : -1;
    }
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM fund_deferral WHERE case_id = ? AND status IN ('pending_approval', 'active')");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t open = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (open > 0) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "本案已有待审批或生效的暂缓发放");
        return 1;
    }
    int64_t id = zx_id_new();
    s = db_prepare(c, "INSERT INTO fund_deferral (id, case_id, court_id, reason, detail, status, requested_by, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, 'pending_approval', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, court_id);
    db_bind_text(s, 4, reason, -1);
    db_bind_text(s, 5, detail, -1);
    db_bind_int64(s, 6, user_id);
    db_bind_int64(s, 7, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    char case_no[64] = "", sum[320];
    zx_funds_case_brief(c, case_id, NULL, case_no, NULL);
    snprintf(sum, sizeof sum, "%s 暂缓发放执行款：%s", case_no, zx_funds_deferral_reason_label(reason));
    if (zx_funds_approval_submit(c, user_id, court_id, "funds_deferral", case_id, id, sum)) return -1;
    *id_out = id;
    return 0;
}

static int load(db_conn *c, int64_t id, int64_t *case_id, char status[24], char reason[32])
{
    db_stmt *s = db_prepare(c, "SELECT case_id, status, reason FROM fund_deferral WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *case_id = db_col_int64(s, 0);
        snprintf(status, 24, "%s", db_col_text(s, 1));
        snprintf(reason, 32, "%s", db_col_text(s, 2));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int ev(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, int64_t id, const char *k, const char *v)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:s}", "deferral_id", ids, k, v);
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, kind, "funds", zx_today(), d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

int zx_funds_deferral_decide(db_conn *c, int64_t id, int64_t user_id, unsigned roles, bool approve, const char *opinion,
                             zx_funds_err *e)
{
    int64_t case_id;
    char status[24], reason[32];
    int rc = load(c, id, &case_id, status, reason);
    if (rc != 0) {
        zx_funds_err_set(e, rc == 1 ? 404 : 500, rc == 1 ? "NOT_FOUND" : "DB_ERROR", rc == 1 ? "暂缓发放申请不存在" : "保存失败");
        return rc == 1 ? 1 : -1;
    }
    if (!(roles & ROLE_CHIEF)) {
        zx_funds_err_set(e, 403, "FORBIDDEN", "暂缓发放须经执行局长（院领导）批准");
        return 1;
    }
    if (strcmp(status, "pending_approval")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "该申请不在待审批状态");
        return 1;
    }
    char today[11];
    zx_date_format(zx_today(), today);
    db_stmt *s = db_prepare(c, "UPDATE fund_deferral SET status = ?, approved_by = ?, started_on = ?, detail ="
                               " COALESCE(detail, ?) WHERE id = ? AND status = 'pending_approval'");
    if (!s) return -1;
    db_bind_text(s, 1, approve ? "active" : "returned", -1);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, approve ? today : NULL, -1);
    db_bind_text(s, 4, opinion, -1);
    db_bind_int64(s, 5, id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    return approve ? ev(c, case_id, user_id, "funds_deferred", id, "reason", reason) : 0;
}

int zx_funds_deferral_end(db_conn *c, int64_t id, int64_t user_id, const char *ended_on, zx_funds_err *e)
{
    int64_t case_id;
    char status[24], reason[32];
    int rc = load(c, id, &case_id, status, reason);
    if (rc != 0) {
        zx_funds_err_set(e, rc == 1 ? 404 : 500, rc == 1 ? "NOT_FOUND" : "DB_ERROR", rc == 1 ? "暂缓发放申请不存在" : "保存失败");
        return rc == 1 ? 1 : -1;
    }
    if (strcmp(status, "active")) {
        zx_funds_err_set(e, 409, "INVALID_STATE", "该暂缓发放未生效或已结束");
        return 1;
    }
    zx_date d = zx_today();
    if (ended_on && zx_date_parse(ended_on, &d)) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "事由消除日期应为 YYYY-MM-DD");
        return 1;
    }
    if (d > zx_today()) {
        zx_funds_err_set(e, 400, "VALIDATION_FAILED", "事由消除日期不能晚于今天");
        return 1;
    }
    char en[11], due[11];
    zx_date_format(d, en);
    zx_date_format(d + ZX_DEFERRAL_RESUME_DAYS, due); /* 法发〔2017〕6号: pay within 10 days of the cause ending */
    db_stmt *s = db_prepare(c, "UPDATE fund_deferral SET status = 'ended', ended_on = ?, resume_due_on = ? WHERE id = ?"
                               " AND status = 'active'");
    if (!s) return -1;
    db_bind_text(s, 1, en, -1);
    db_bind_text(s, 2, due, -1);
    db_bind_int64(s, 3, id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    return ev(c, case_id, user_id, "funds_deferral_ended", id, "resume_due_on", due);
}
