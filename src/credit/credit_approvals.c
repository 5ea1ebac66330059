/* credit_approvals.c — 失信 / 限消 decisions through the approval inbox (see credit_approvals.h). */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "credit/credit_approvals.h"
#include "credit/decisions.h"
#include "credit/snapshot.h"

static const char *kind_of(const char *list) { return !strcmp(list, "dishonest") ? "dishonest_listing" : "consumption_restriction"; }

static int step(zx_req *r, db_conn *c, const zx_approval *a, const char *what, zx_approval_err *aerr)
{
    zx_cd_actor act = { .r = r, .user_id = r->who.user_id, .username = r->who.username };
    zx_cd_err err = { 0 };
    json_t *body = NULL;
    if (!strcmp(what, "reject")) body = json_pack("{s:s}", "reason", a->opinion && *a->opinion ? a->opinion : "退回");
    int rc = zx_cd_step(&act, c, a->object_id, what, body, &err);
    json_decref(body);
    if (rc < 0) {
        if (err.status >= 400 && err.status < 500)
            zx_approval_err_set(aerr, 409, "CANNOT_APPLY", "无法执行：%s", err.message[0] ? err.message : "决定当前状态不允许");
        json_decref(err.extra);
        return -1;
    }
    return 0;
}
static int approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *e) { return step(r, c, a, "approve", e); }
static int returned(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *e) { return step(r, c, a, "reject", e); }
/* a listing that became effective is visible to partners before the reply (entry.h) */
static void synced(zx_req *r, const zx_approval *a, bool ok) { zx_credit_sync(zx_db(r)); }

static const struct zx_approval_kind dishonest_kind = {
    .kind = "dishonest_listing", .label = "纳入失信被执行人名单决定", .approver_roles = ROLE_CHIEF,
    .on_approved = approved, .on_returned = returned, .after_commit = synced,
};
ZX_APPROVAL_KIND(dishonest_kind)

static const struct zx_approval_kind restriction_kind = {
    .kind = "consumption_restriction", .label = "限制消费令", .approver_roles = ROLE_CHIEF,
    .on_approved = approved, .on_returned = returned, .after_commit = synced,
};
ZX_APPROVAL_KIND(restriction_kind)

static int submit(zx_req *r, int64_t user_id, db_conn *c, int64_t decision_id)
{
    db_stmt *s = db_prepare(c, "SELECT d.list, d.case_id, d.name, d.ground, k.court_id FROM credit_decision d"
                               " JOIN enf_case k ON k.id = d.case_id WHERE d.id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, decision_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return DB_ERROR;
    }
    char list[16], name[256], summary[480];
    snprintf(list, sizeof list, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    int64_t case_id = db_col_int64(s, 1);
    snprintf(name, sizeof name, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    int ground = (int)db_col_int64(s, 3);
    int64_t court_id = db_col_int64(s, 4);
    db_finalize(s);
    if (!strcmp(list, "dishonest"))
        snprintf(summary, sizeof summary, "将%s纳入失信被执行人名单（失信规定第1条第%d项）", name, ground);
    else snprintf(summary, sizeof summary, "对%s发布限制消费令（限消规定第1条、第3条）", name);
    int64_t id = r ? zx_approval_submit(c, r, kind_of(list), case_id, decision_id, summary, ZX_DATE_NONE)
                   : zx_approval_submit_as(c, user_id, court_id, kind_of(list), case_id, decision_id, summary, ZX_DATE_NONE);
    return id > 0 ? 0 : (int)id;
}
int zx_credit_approval_submit(zx_req *r, db_conn *c, int64_t decision_id) { return submit(r, 0, c, decision_id); }
int zx_credit_approval_submit_as(db_conn *c, int64_t user_id, int64_t decision_id) { return submit(NULL, user_id, c, decision_id); }

int zx_credit_approval_step(zx_req *r, db_conn *c, int64_t decision_id, const char *what, const char *reason)
{
    db_stmt *s = db_prepare(c, "SELECT list, case_id FROM credit_decision WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, decision_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return DB_ERROR;
    }
    char list[16];
    snprintf(list, sizeof list, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    int64_t case_id = db_col_int64(s, 1);
    db_finalize(s);
    int rc = 0;
    if (!strcmp(what, "approve")) rc = zx_approval_settle(c, r, kind_of(list), case_id, decision_id, true, reason);
    else if (!strcmp(what, "reject")) rc = zx_approval_settle(c, r, kind_of(list), case_id, decision_id, false, reason);
    else if (!strcmp(what, "withdraw")) rc = zx_approval_withdraw(c, r, kind_of(list), case_id, decision_id);
    return rc < 0 ? rc : 0;
}
