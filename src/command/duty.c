/* duty.c — 24-hour duty (备勤): the roster of shifts per court, who is on call now, and the urgent-matter
 * log (a debtor seen at an airport, a vehicle located) routed to the officer on call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/command.h"

#define MAX_SHIFT_MS (7LL * 24 * 3600 * 1000) /* a shift is at most a week */

static int store_fail(zx_cmd_err *e) { return zx_cmd_fail(e, 500, "DB_ERROR", "保存失败"); }

static bool get_ms(json_t *b, const char *key, int64_t *out, zx_cmd_err *e)
{
    json_t *v = json_object_get(b, key);
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        zx_cmd_fail(e, 400, v ? "BAD_REQUEST" : "REQUIRED", "%s 必须是毫秒时间戳", key);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

int zx_duty_add(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    const zx_court *ct = json_object_get(b, "court") ? zx_cmd_court(b, "court", e) : zx_court_by_id(r->who.court_id);
    if (!ct) return e->status ? e->status : zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在");
    if (!(r->who.roles & (ROLE_COMMAND | ROLE_CHIEF)) ||
        !(zx_cmd_is_own(&r->who, ct->id) || zx_cmd_is_superior_of(&r->who, ct->id)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只有本院或上级法院的指挥中心可以排班");
    int64_t user = 0, starts, ends;
    json_t *uv = json_object_get(b, "user_id");
    if (json_is_string(uv)) user = strtoll(json_string_value(uv), NULL, 10);
    else if (json_is_integer(uv)) user = json_integer_value(uv);
    if (user <= 0) return zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：user_id（值班人员）");
    if (!get_ms(b, "starts_ms", &starts, e) || !get_ms(b, "ends_ms", &ends, e)) return e->status;
    if (ends <= starts) return zx_cmd_fail(e, 400, "DATE_ORDER", "结束时间必须晚于开始时间");
    if (ends - starts > MAX_SHIFT_MS) return zx_cmd_fail(e, 400, "DATE_ORDER", "一个班次不能超过 7 天");
    const char *note = zx_cmd_text(b, "role_note", false, 100, e);
    if (e->status) return e->status;
    db_stmt *s = db_prepare(c, "SELECT 1 FROM app_user WHERE id = ? AND court_id = ? AND disabled = 0");
    if (!s) return store_fail(e);
    db_bind_int64(s, 1, user);
    db_bind_int64(s, 2, ct->id);
    bool ok = db_step(s) == DB_ROW;
    db_finalize(s);
    if (!ok) return zx_cmd_fail(e, 400, "INVALID_USER", "值班人员必须是该法院的在职人员");
    int64_t id = zx_id_new();
    if (db_begin(c)) return store_fail(e);
    s = db_prepare(c, "INSERT INTO duty_shift (id, court_id, user_id, starts_ms, ends_ms, role_note, created_by, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, ct->id);
        db_bind_int64(s, 3, user);
        db_bind_int64(s, 4, starts);
        db_bind_int64(s, 5, ends);
        db_bind_text(s, 6, note ? note : "值班", -1);
        db_bind_int64(s, 7, r->who.user_id);
        db_bind_int64(s, 8, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) rc = zx_audit_req(r, c, "command.duty.add", "duty_shift", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}

int64_t zx_duty_on_call(db_conn *c, int64_t court_id, int64_t ms, char *name, size_t cap)
{
    db_stmt *s = db_prepare(c, "SELECT d.user_id, u.display_name FROM duty_shift d JOIN app_user u ON u.id = d.user_id"
                               " WHERE d.court_id = ? AND d.starts_ms <= ? AND d.ends_ms > ? ORDER BY d.id DESC");
    /* overlapping shifts: the one registered last is on call (a swap entered today overrides the roster
     * drawn up earlier; ids are time-ordered) — by start time the answer depended on the hour of day */
    if (!s) return 0;
    db_bind_int64(s, 1, court_id);
    db_bind_int64(s, 2, ms);
    db_bind_int64(s, 3, ms);
    int64_t u = 0;
    if (db_step(s) == DB_ROW) {
        u = db_col_int64(s, 0);
        if (name) snprintf(name, cap, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    }
    db_finalize(s);
    return u;
}

int zx_urgent_add(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    const zx_court *ct = json_object_get(b, "court") ? zx_cmd_court(b, "court", e) : zx_court_by_id(r->who.court_id);
    if (!ct) return e->status ? e->status : zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在");
    if (!(zx_cmd_is_own(&r->who, ct->id) || zx_cmd_is_superior_of(&r->who, ct->id)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只能登记本院或下级法院的紧急事项");
    const char *kind = zx_cmd_text(b, "kind", true, 32, e);
    if (!kind) return e->status;
    if (!zx_cmd_urgent_kind_known(kind)) return zx_cmd_fail(e, 400, "INVALID_ENUM", "紧急事项类型无效");
    const char *summary = zx_cmd_text(b, "summary", true, 2000, e);
    if (!summary) return e->status;
    const char *location = zx_cmd_text(b, "location", false, 300, e);
    if (e->status) return e->status;
    const char *ref = zx_cmd_text(b, "case_no", false, 64, e);
    if (e->status) return e->status;
    int64_t case_id = 0, case_court = 0;
    if (ref) {
        case_id = zx_cmd_case_lookup(c, ref, &case_court);
        if (!case_id || !zx_can_see_court(&r->who, case_court))
            return zx_cmd_fail(e, 404, "CASE_NOT_FOUND", "案件不存在：%.80s", ref);
    }
    int64_t now = zx_now_ms(), id = zx_id_new();
    char oncall[96] = "";
    int64_t to = zx_duty_on_call(c, ct->id, now, oncall, sizeof oncall);
    if (db_begin(c)) return store_fail(e);
    db_stmt *s = db_prepare(c, "INSERT INTO urgent_matter (id, court_id, case_id, kind, summary, location, reported_ms,"
                               " reported_by, assigned_to, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, ct->id);
        if (case_id) db_bind_int64(s, 3, case_id);
        else db_bind_null(s, 3);
        db_bind_text(s, 4, kind, -1);
        db_bind_text(s, 5, summary, -1);
        db_bind_text(s, 6, location, -1);
        db_bind_int64(s, 7, now);
        db_bind_int64(s, 8, r->who.user_id);
        if (to) db_bind_int64(s, 9, to);
        else db_bind_null(s, 9);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && case_id)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "urgent_matter",
                               json_pack("{s:s, s:s, s:s?}", "kind", zx_cmd_urgent_kind_label(kind), "summary", summary,
                                         "on_call", oncall[0] ? oncall : NULL), false);
    if (!rc) rc = zx_audit_req(r, c, "command.urgent.add", "urgent_matter", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}

int zx_urgent_handle(zx_req *r, db_conn *c, int64_t id, json_t *b, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT court_id, status FROM urgent_matter WHERE id = ?");
    if (!s) return store_fail(e);
    db_bind_int64(s, 1, id);
    int64_t court = 0;
    char status[16] = "";
    if (db_step(s) == DB_ROW) {
        court = db_col_int64(s, 0);
        snprintf(status, sizeof status, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (!court || !zx_can_see_court(&r->who, court)) return zx_cmd_fail(e, 404, "NOT_FOUND", "紧急事项不存在");
    if (!(zx_cmd_is_own(&r->who, court) || zx_cmd_is_superior_of(&r->who, court)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "无权处置该紧急事项");
    if (!strcmp(status, "handled")) return zx_cmd_fail(e, 409, "ALREADY_CLOSED", "紧急事项已处置");
    const char *outcome = zx_cmd_text(b, "outcome", true, 2000, e);
    if (!outcome) return e->status;
    if (db_begin(c)) return store_fail(e);
    s = db_prepare(c, "UPDATE urgent_matter SET status = 'handled', outcome = ?, handled_ms = ? WHERE id = ? AND status = 'open'");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_text(s, 1, outcome, -1);
        db_bind_int64(s, 2, zx_now_ms());
        db_bind_int64(s, 3, id);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : 1;
        db_finalize(s);
    }
    if (!rc) rc = zx_audit_req(r, c, "command.urgent.handle", "urgent_matter", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return rc == 1 ? zx_cmd_fail(e, 409, "ALREADY_CLOSED", "紧急事项已处置") : store_fail(e);
    }
    return 0;
}
