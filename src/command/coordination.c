/* coordination.c — 执行协调 (执协): two courts dispute one asset or case; their lowest common superior
 * decides within one month, else the matter goes up one level (rules/command.h). While it waits the
 * asset stays frozen and the applying court's case clock is paused: the case gets the existing
 * deducted-period events jurisdiction_dispute_start/_end {type: coordination} (审限规定 art 9;
 * case/case_clocks.c), so the time limit is recomputed by the case service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/command.h"

static int store_fail(zx_cmd_err *e) { return zx_cmd_fail(e, 500, "DB_ERROR", "保存失败"); }

static const zx_court *common_superior(int64_t a, int64_t b)
{
    const zx_court *p = zx_court_by_id(a);
    if (p && p->parent_id) p = zx_court_by_id(p->parent_id); /* strictly above a */
    for (; p; p = p->parent_id ? zx_court_by_id(p->parent_id) : NULL)
        if (zx_court_within(b, p->id) && p->id != b) return p;
    return NULL;
}

int zx_coord_file(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    if (!(r->who.roles & (ROLE_CASE_WORK | ROLE_COMMAND))) return zx_cmd_fail(e, 403, "FORBIDDEN", "无权申请协调");
    const char *ref = json_string_value(json_object_get(b, "case_no"));
    if (!ref || !*ref) return zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：case_no（本院案件）");
    int64_t case_court = 0, case_id = zx_cmd_case_lookup(c, ref, &case_court);
    if (!case_id || !zx_can_see_court(&r->who, case_court))
        return zx_cmd_fail(e, 404, "CASE_NOT_FOUND", "案件不存在：%.80s", ref);
    if (case_court != r->who.court_id) return zx_cmd_fail(e, 403, "FORBIDDEN", "只能为本院案件申请协调");
    const zx_court *other = zx_cmd_court(b, "other_court", e);
    if (!other) return e->status;
    if (other->id == case_court) return zx_cmd_fail(e, 400, "SAME_COURT", "争议双方不能是同一法院");
    const char *asset = zx_cmd_text(b, "asset", true, 1000, e);
    if (!asset) return e->status;
    const char *dispute = zx_cmd_text(b, "dispute", true, 4000, e);
    if (!dispute) return e->status;
    const char *other_no = zx_cmd_text(b, "other_case_no", false, 64, e);
    if (e->status) return e->status;
    const zx_court *sup = common_superior(case_court, other->id);
    if (!sup) return zx_cmd_fail(e, 400, "NO_COMMON_SUPERIOR", "找不到双方共同的上级法院");
    zx_date today = zx_today();
    char t_s[11], due_s[11], no[96];
    zx_date_format(today, t_s);
    zx_date_format(zx_cmd_coord_level_due(today), due_s);
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    int64_t id = zx_id_new(), now = zx_now_ms();
    if (db_begin(c)) return store_fail(e);
    int rc = zx_cmd_number(c, sup->id, "执协调", y, no, sizeof no);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO coordination (id, coordination_no, case_id, other_case_no, court_a_id,"
                                           " court_b_id, superior_id, common_id, asset, dispute, status, filed_on, level_since,"
                                           " level_due_on, created_by, created_ms, updated_ms)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)");
    if (!rc && !s) rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, case_id);
        db_bind_text(s, 4, other_no, -1);
        db_bind_int64(s, 5, case_court);
        db_bind_int64(s, 6, other->id);
        db_bind_int64(s, 7, sup->id);
        db_bind_int64(s, 8, sup->id);
        db_bind_text(s, 9, asset, -1);
        db_bind_text(s, 10, dispute, -1);
        db_bind_text(s, 11, t_s, -1);
        db_bind_text(s, 12, t_s, -1);
        db_bind_text(s, 13, due_s, -1);
        db_bind_int64(s, 14, r->who.user_id);
        db_bind_int64(s, 15, now);
        db_bind_int64(s, 16, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "jurisdiction_dispute_start",
                               json_pack("{s:s, s:s, s:s, s:s}", "type", "coordination", "coordination_no", no,
                                         "other_court", other->code, "superior", sup->code), true);
    if (!rc) rc = zx_audit_req(r, c, "command.coordination.file", "coordination", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}

int zx_coord_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT case_id, superior_id, status, level_due_on, coordination_no, court_a_id, court_b_id"
                               " FROM coordination WHERE id = ?");
    if (!s) return store_fail(e);
    db_bind_int64(s, 1, id);
    int64_t case_id = 0, sup = 0, ca = 0, cb = 0;
    char status[16] = "", due_s[11] = "", no[96] = "";
    if (db_step(s) == DB_ROW) {
        case_id = db_col_int64(s, 0);
        sup = db_col_int64(s, 1);
        snprintf(status, sizeof status, "%s", db_col_text(s, 2));
        snprintf(due_s, sizeof due_s, "%s", db_col_text(s, 3));
        snprintf(no, sizeof no, "%s", db_col_text(s, 4));
        ca = db_col_int64(s, 5);
        cb = db_col_int64(s, 6);
    }
    db_finalize(s);
    if (!case_id || !(zx_can_see_court(&r->who, sup) || zx_can_see_court(&r->who, ca) || zx_can_see_court(&r->who, cb)))
        return zx_cmd_fail(e, 404, "NOT_FOUND", "协调案件不存在");
    if (!(r->who.roles & (ROLE_COMMAND | ROLE_CHIEF)) || !zx_court_within(sup, r->who.court_id))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只有负责协调的上级法院可以处理");
    if (!strcmp(status, "decided")) return zx_cmd_fail(e, 409, "ALREADY_CLOSED", "协调案件已作出决定");
    zx_date today = zx_today(), due;
    zx_date_parse(due_s, &due);
    char t_s[11];
    zx_date_format(today, t_s);
    const char *decision = NULL;
    int64_t new_sup = sup;
    if (!strcmp(act, "escalate")) {
        if (today <= due) return zx_cmd_fail(e, 409, "NOT_OVERDUE", "本级协调期限（一个月）未届满，不能报请上一级");
        const zx_court *p = zx_court_by_id(sup);
        if (!p || !p->parent_id) return zx_cmd_fail(e, 409, "INVALID_STATE", "已是最高一级，不能再报请");
        new_sup = p->parent_id;
    } else if (!strcmp(act, "decide")) {
        decision = zx_cmd_text(b, "decision", true, 4000, e);
        if (!decision) return e->status;
    } else {
        return zx_cmd_fail(e, 404, "NOT_FOUND", "未知操作");
    }
    char ndue[11];
    zx_date_format(zx_cmd_coord_level_due(today), ndue);
    if (db_begin(c)) return store_fail(e);
    s = db_prepare(c, decision ? "UPDATE coordination SET status = 'decided', decision = ?, decided_on = ?, updated_ms = ?"
                                 " WHERE id = ? AND status = 'open'"
                               : "UPDATE coordination SET superior_id = ?, level_since = ?, level_due_on = ?, updated_ms = ?"
                                 " WHERE id = ? AND status = 'open'");
    int rc = s ? 0 : -1;
    if (s) {
        int i = 1;
        if (decision) db_bind_text(s, i++, decision, -1);
        else db_bind_int64(s, i++, new_sup);
        db_bind_text(s, i++, t_s, -1);
        if (!decision) db_bind_text(s, i++, ndue, -1);
        db_bind_int64(s, i++, zx_now_ms());
        db_bind_int64(s, i++, id);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : 1;
        db_finalize(s);
    }
    if (!rc && decision) /* the decision binds both courts; the paused period ends */
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "jurisdiction_dispute_end",
                               json_pack("{s:s, s:s, s:s}", "type", "coordination", "coordination_no", no, "decision",
                                         decision), true);
    if (!rc && !decision)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "coordination_escalated",
                               json_pack("{s:s, s:s}", "coordination_no", no, "superior", zx_cmd_court_code(new_sup)),
                               false);
    char action[64];
    snprintf(action, sizeof action, "command.coordination.%s", act);
    if (!rc) rc = zx_audit_req(r, c, action, "coordination", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return rc == 1 ? zx_cmd_fail(e, 409, "ALREADY_CLOSED", "协调案件已作出决定") : store_fail(e);
    }
    return 0;
}
