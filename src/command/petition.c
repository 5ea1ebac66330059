/* petition.c — 执行信访: intake from a visit, letter, phone, the portal or a superior's referral;
 * registered within 5 working days and closed with a reply within 30 working days (2021 意见 item 30;
 * rules/command.h, working days from core/date.h's calendar). Repeat petitions (same petitioner and
 * case within a year) and referrals are flagged. A linked case gets petition_received / _closed events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/command.h"

static int store_fail(zx_cmd_err *e) { return zx_cmd_fail(e, 500, "DB_ERROR", "保存失败"); }

static bool is_repeat(db_conn *c, const char *name, int64_t case_id, int64_t court_id, zx_date received)
{
    char since[11];
    zx_date_format(received - 365, since);
    db_stmt *s = db_prepare(c, case_id ? "SELECT 1 FROM petition WHERE petitioner_name = ? AND case_id = ? AND received_on >= ?"
                                       : "SELECT 1 FROM petition WHERE petitioner_name = ? AND court_id = ? AND received_on >= ?");
    if (!s) return false;
    db_bind_text(s, 1, name, -1);
    db_bind_int64(s, 2, case_id ? case_id : court_id);
    db_bind_text(s, 3, since, -1);
    bool r = db_step(s) == DB_ROW;
    db_finalize(s);
    return r;
}

int zx_pet_intake(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    const zx_court *ct = json_object_get(b, "court") ? zx_cmd_court(b, "court", e) : zx_court_by_id(r->who.court_id);
    if (!ct) return e->status ? e->status : zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在");
    const char *channel = zx_cmd_text(b, "channel", true, 16, e);
    if (!channel) return e->status;
    if (!zx_cmd_petition_channel_known(channel))
        return zx_cmd_fail(e, 400, "INVALID_ENUM", "信访渠道无效（visit/letter/phone/portal/referral）");
    bool referral = !strcmp(channel, "referral");
    if (referral) {
        if (!zx_cmd_is_superior_of(&r->who, ct->id))
            return zx_cmd_fail(e, 403, "NOT_SUBORDINATE", "只能向本院的下级法院交办信访");
    } else if (!zx_cmd_is_own(&r->who, ct->id)) {
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只能登记本院收到的信访");
    }
    const char *name = zx_cmd_text(b, "petitioner_name", true, 200, e);
    if (!name) {
        if (!strcmp(e->code, "REQUIRED")) zx_cmd_fail(e, 400, "PETITIONER_REQUIRED", "缺少信访人姓名（petitioner_name）");
        return e->status;
    }
    const char *content = zx_cmd_text(b, "content", true, 8000, e);
    if (!content) return e->status;
    zx_date today = zx_today(), received, registered = ZX_DATE_NONE;
    if (!zx_cmd_date(b, "received_on", false, today, &received, e)) return e->status;
    if (received > today) return zx_cmd_fail(e, 400, "DATE_ORDER", "收到日期不能晚于今天");
    if (!zx_cmd_date(b, "registered_on", false, ZX_DATE_NONE, &registered, e)) return e->status;
    if (registered != ZX_DATE_NONE && (registered < received || registered > today))
        return zx_cmd_fail(e, 400, "DATE_ORDER", "录入日期必须在收到日期与今天之间");
    const char *ref = zx_cmd_text(b, "case_no", false, 64, e);
    if (e->status) return e->status;
    int64_t case_id = 0, case_court = 0;
    if (ref) {
        case_id = zx_cmd_case_lookup(c, ref, &case_court);
        if (!case_id || !zx_can_see_court(&r->who, case_court))
            return zx_cmd_fail(e, 404, "CASE_NOT_FOUND", "案件不存在：%.80s", ref);
        if (case_court != ct->id) return zx_cmd_fail(e, 400, "CASE_COURT_MISMATCH", "关联案件不属于该法院");
    }
    bool rep = is_repeat(c, name, case_id, ct->id, received);
    char rec_s[11], reg_due[11], due[11], reg_s[11] = "", no[96];
    zx_date_format(received, rec_s);
    zx_date_format(zx_cmd_petition_register_due(received), reg_due);
    zx_date_format(zx_cmd_petition_due(received), due);
    if (registered != ZX_DATE_NONE) zx_date_format(registered, reg_s);
    int y, m, d;
    zx_date_to_ymd(received, &y, &m, &d);
    int64_t id = zx_id_new(), now = zx_now_ms();
    if (db_begin(c)) return store_fail(e);
    int rc = zx_cmd_number(c, ct->id, "执访", y, no, sizeof no);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO petition (id, petition_no, court_id, channel, petitioner_name, content,"
                                           " case_id, case_no, received_on, register_due_on, registered_on, due_on, is_repeat,"
                                           " referred_by_id, status, created_by, created_ms, updated_ms)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT case_no FROM enf_case WHERE id = ?), ?, ?, ?, ?,"
                                           " ?, ?, ?, ?, ?, ?)");
    if (!rc && !s) rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, ct->id);
        db_bind_text(s, 4, channel, -1);
        db_bind_text(s, 5, name, -1);
        db_bind_text(s, 6, content, -1);
        if (case_id) db_bind_int64(s, 7, case_id);
        else db_bind_null(s, 7);
        db_bind_int64(s, 8, case_id);
        db_bind_text(s, 9, rec_s, -1);
        db_bind_text(s, 10, reg_due, -1);
        db_bind_text(s, 11, reg_s[0] ? reg_s : NULL, -1);
        db_bind_text(s, 12, due, -1);
        db_bind_int64(s, 13, rep);
        if (referral) db_bind_int64(s, 14, r->who.court_id);
        else db_bind_null(s, 14);
        db_bind_text(s, 15, reg_s[0] ? "registered" : "received", -1);
        db_bind_int64(s, 16, r->who.user_id);
        db_bind_int64(s, 17, now);
        db_bind_int64(s, 18, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && case_id)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "petition_received",
                               json_pack("{s:s, s:s, s:s, s:b}", "petition_no", no, "channel",
                                         zx_cmd_petition_channel_label(channel), "due_on", due, "repeat", rep), false);
    if (!rc) rc = zx_audit_req(r, c, "command.petition.intake", "petition", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}

int zx_pet_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT court_id, status, received_on, COALESCE(case_id, 0), petition_no FROM petition WHERE id = ?");
    if (!s) return store_fail(e);
    db_bind_int64(s, 1, id);
    int64_t court = 0, case_id = 0;
    char status[16] = "", rec_s[11] = "", no[96] = "";
    if (db_step(s) == DB_ROW) {
        court = db_col_int64(s, 0);
        snprintf(status, sizeof status, "%s", db_col_text(s, 1));
        snprintf(rec_s, sizeof rec_s, "%s", db_col_text(s, 2));
        case_id = db_col_int64(s, 3);
        snprintf(no, sizeof no, "%s", db_col_text(s, 4));
    }
    db_finalize(s);
    if (!court || !zx_can_see_court(&r->who, court)) return zx_cmd_fail(e, 404, "NOT_FOUND", "信访件不存在");
    if (!zx_cmd_is_own(&r->who, court) && !zx_cmd_is_superior_of(&r->who, court))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "无权办理该信访件");
    if (!strcmp(status, "closed")) return zx_cmd_fail(e, 409, "ALREADY_CLOSED", "信访件已办结，不能再答复或修改");
    zx_date today = zx_today(), received, on;
    zx_date_parse(rec_s, &received);
    if (!zx_cmd_date(b, !strcmp(act, "register") ? "registered_on" : "closed_on", false, today, &on, e)) return e->status;
    if (on < received || on > today) return zx_cmd_fail(e, 400, "DATE_ORDER", "日期必须在收到日期与今天之间");
    char on_s[11];
    zx_date_format(on, on_s);
    const char *reply = NULL;
    bool resolved = false;
    if (!strcmp(act, "register")) {
        if (strcmp(status, "received")) return zx_cmd_fail(e, 409, "INVALID_STATE", "信访件已录入");
    } else if (!strcmp(act, "close")) {
        reply = zx_cmd_text(b, "reply", true, 8000, e);
        if (!reply) return e->status;
        json_t *rv = json_object_get(b, "resolved");
        if (rv && !json_is_boolean(rv)) return zx_cmd_fail(e, 400, "BAD_REQUEST", "resolved 必须是 true 或 false");
        resolved = json_is_true(rv);
    } else {
        return zx_cmd_fail(e, 404, "NOT_FOUND", "未知操作");
    }
    if (db_begin(c)) return store_fail(e);
    s = db_prepare(c, reply ? "UPDATE petition SET status = 'closed', reply = ?, closed_on = ?, resolved = ?,"
                              " registered_on = COALESCE(registered_on, ?), updated_ms = ? WHERE id = ? AND status <> 'closed'"
                            : "UPDATE petition SET status = 'registered', registered_on = ?, updated_ms = ?"
                              " WHERE id = ? AND status = 'received'");
    int rc = s ? 0 : -1;
    if (s) {
        int i = 1;
        if (reply) {
            db_bind_text(s, i++, reply, -1);
            db_bind_text(s, i++, on_s, -1);
            db_bind_int64(s, i++, resolved);
        }
        db_bind_text(s, i++, on_s, -1);
        db_bind_int64(s, i++, zx_now_ms());
        db_bind_int64(s, i++, id);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : 1;
        db_finalize(s);
    }
    if (!rc && case_id && reply)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "petition_closed",
                               json_pack("{s:s, s:b}", "petition_no", no, "resolved", resolved), false);
    char action[64];
    snprintf(action, sizeof action, "command.petition.%s", act);
    if (!rc) rc = zx_audit_req(r, c, action, "petition", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return rc == 1 ? zx_cmd_fail(e, 409, "ALREADY_CLOSED", "信访件状态已变化") : store_fail(e);
    }
    return 0;
}
