/* commission.c — 事项委托 (one task on a case done by a court elsewhere) and 委托执行 (a whole case):
 * the commissioning court sends it with documents; the receiving court accepts or returns it with a
 * reason from the list, does it and answers with the result and evidence. Clocks from rules/command.h;
 * every step is a case event on the commissioning court's case and an audit record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "case/indicators.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/command.h"

static int store_fail(zx_cmd_err *e) { return zx_cmd_fail(e, 500, "DB_ERROR", "保存失败"); }

/* JSON array of non-empty strings (≤ 20 × 300 bytes) → compact text; NULL + err when invalid. */
static char *string_list(json_t *b, const char *key, bool required, zx_cmd_err *e)
{
    json_t *v = json_object_get(b, key);
    if (!v || json_is_null(v)) {
        if (required) zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：%s", key);
        return required ? NULL : strdup("[]");
    }
    if (!json_is_array(v) || json_array_size(v) > 20) {
        zx_cmd_fail(e, 400, "BAD_REQUEST", "%s 必须是不超过 20 项的列表", key);
        return NULL;
    }
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        const char *s = json_string_value(x);
        if (!s || !*s || strlen(s) > 300) {
            zx_cmd_fail(e, 400, "BAD_REQUEST", "%s 的每一项必须是 1–300 字节的文本", key);
            return NULL;
        }
    }
    if (required && json_array_size(v) == 0) {
        zx_cmd_fail(e, 400, "REQUIRED", "%s 不能为空", key);
        return NULL;
    }
    return json_dumps(v, JSON_COMPACT);
}

int zx_com_send(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    if (!(r->who.roles & (ROLE_CASE_WORK | ROLE_COMMAND)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "无权发起委托");
    const char *ref = json_string_value(json_object_get(b, "case_no"));
    if (!ref) ref = json_string_value(json_object_get(b, "case_id"));
    if (!ref || !*ref) return zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：case_no（委托案件）");
    int64_t case_court = 0, case_id = zx_cmd_case_lookup(c, ref, &case_court);
    if (!case_id || !zx_can_see_court(&r->who, case_court))
        return zx_cmd_fail(e, 404, "CASE_NOT_FOUND", "案件不存在：%.80s", ref);
    if (case_court != r->who.court_id)
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只能委托本院的案件");
    const zx_court *to = zx_cmd_court(b, "to_court", e);
    if (!to) return e->status;
    if (to->id == case_court) return zx_cmd_fail(e, 400, "SAME_COURT", "不能委托本院办理");
    if (to->level == 1) return zx_cmd_fail(e, 400, "INVALID_COURT", "不能委托最高人民法院办理事项");
    const char *task = zx_cmd_text(b, "task", true, 32, e);
    if (!task) return e->status;
    if (!zx_cmd_task_known(task)) return zx_cmd_fail(e, 400, "INVALID_ENUM", "委托事项类型无效");
    bool whole = !strcmp(task, "whole_case");
    const char *request = zx_cmd_text(b, "request", true, 4000, e);
    if (!request) return e->status;
    char *docs = string_list(b, "documents", true, e);
    if (!docs) return e->status;
    zx_date today = zx_today();
    zx_date acc_due = zx_cmd_task_accept_due(today), due = zx_cmd_task_due(today, whole);
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    char no[96], t_s[11], a_s[11], d_s[11];
    zx_date_format(today, t_s);
    zx_date_format(acc_due, a_s);
    zx_date_format(due, d_s);
    int64_t id = zx_id_new(), now = zx_now_ms();
    if (db_begin(c)) {
        free(docs);
        return store_fail(e);
    }
    int rc = zx_cmd_number(c, case_court, "执委", y, no, sizeof no);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO commission (id, commission_no, kind, task, case_id, from_court_id,"
                                           " to_court_id, request, documents, status, sent_on, accept_due_on, due_on,"
                                           " created_by, created_ms, updated_ms)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?)");
    if (!rc && !s) rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_text(s, 3, whole ? "case" : "task", -1);
        db_bind_text(s, 4, task, -1);
        db_bind_int64(s, 5, case_id);
        db_bind_int64(s, 6, case_court);
        db_bind_int64(s, 7, to->id);
        db_bind_text(s, 8, request, -1);
        db_bind_text(s, 9, docs, -1);
        db_bind_text(s, 10, t_s, -1);
        db_bind_text(s, 11, a_s, -1);
        db_bind_text(s, 12, d_s, -1);
        db_bind_int64(s, 13, r->who.user_id);
        db_bind_int64(s, 14, now);
        db_bind_int64(s, 15, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    free(docs);
    if (!rc)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "commission_sent",
                               json_pack("{s:s, s:s, s:s, s:s, s:s}", "commission_no", no, "task", task, "task_label",
                                         zx_cmd_task_label(task), "to_court", to->code, "due_on", d_s),
                               false);
    char detail[256];
    snprintf(detail, sizeof detail, "{\"commission_no\":\"%s\",\"to_court\":\"%s\",\"task\":\"%s\"}", no, to->code, task);
    if (!rc) rc = zx_audit_req(r, c, "command.commission.send", "commission", id, "ok", detail);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}

int zx_com_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT case_id, from_court_id, to_court_id, status, commission_no FROM commission WHERE id = ?");
    if (!s) return store_fail(e);
    db_bind_int64(s, 1, id);
    int64_t case_id = 0, from = 0, to = 0;
    char status[16] = "", no[96] = "";
    if (db_step(s) == DB_ROW) {
        case_id = db_col_int64(s, 0);
        from = db_col_int64(s, 1);
        to = db_col_int64(s, 2);
        snprintf(status, sizeof status, "%s", db_col_text(s, 3));
        snprintf(no, sizeof no, "%s", db_col_text(s, 4));
    }
    db_finalize(s);
    if (!case_id || !(zx_can_see_court(&r->who, to) || zx_can_see_court(&r->who, from)))
        return zx_cmd_fail(e, 404, "NOT_FOUND", "委托事项不存在");
    if (r->who.court_id != to || !(r->who.roles & (ROLE_CASE_WORK | ROLE_COMMAND)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只有受托法院可以办理委托事项");
    if (!strcmp(status, "returned") || !strcmp(status, "done"))
        return zx_cmd_fail(e, 409, "ALREADY_CLOSED", "委托事项已办结或已退回，不能再操作");
    const char *reason = NULL, *note = NULL, *result = NULL, *new_status, *ev;
    char *evidence = NULL;
    if (!strcmp(act, "accept")) {
        if (strcmp(status, "sent")) return zx_cmd_fail(e, 409, "INVALID_STATE", "委托事项已接收");
        new_status = "accepted";
        ev = "commission_accepted";
    } else if (!strcmp(act, "return")) {
        if (strcmp(status, "sent")) return zx_cmd_fail(e, 409, "INVALID_STATE", "已接收的委托事项不能退回");
        reason = zx_cmd_text(b, "reason", true, 32, e);
        if (!reason) return e->status;
        if (!zx_cmd_return_reason_known(reason)) return zx_cmd_fail(e, 400, "INVALID_ENUM", "退回理由无效");
        note = zx_cmd_text(b, "note", !strcmp(reason, "other"), 2000, e);
        if (e->status) return e->status;
        new_status = "returned";
        ev = "commission_returned";
    } else if (!strcmp(act, "complete")) {
        if (strcmp(status, "accepted")) return zx_cmd_fail(e, 409, "INVALID_STATE", "请先接收委托事项");
        result = zx_cmd_text(b, "result", true, 4000, e);
        if (!result) return e->status;
        evidence = string_list(b, "evidence", false, e);
        if (!evidence) return e->status;
        new_status = "done";
        ev = "commission_done";
    } else {
        return zx_cmd_fail(e, 404, "NOT_FOUND", "未知操作");
    }
    char today[11];
    zx_date_format(zx_today(), today);
    if (db_begin(c)) {
        free(evidence);
        return store_fail(e);
    }
    s = db_prepare(c, "UPDATE commission SET status = ?,"
                      " accepted_on = CASE WHEN ? = 'accepted' THEN ? ELSE accepted_on END,"
                      " handler_id = CASE WHEN ? = 'accepted' THEN ? ELSE handler_id END,"
                      " return_reason = ?, return_note = ?, returned_on = CASE WHEN ? = 'returned' THEN ? ELSE NULL END,"
                      " result = ?, evidence = ?, done_on = CASE WHEN ? = 'done' THEN ? ELSE NULL END, updated_ms = ?"
                      " WHERE id = ? AND status = ?");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_text(s, 1, new_status, -1);
        db_bind_text(s, 2, new_status, -1);
        db_bind_text(s, 3, today, -1);
        db_bind_text(s, 4, new_status, -1);
        db_bind_int64(s, 5, r->who.user_id);
        db_bind_text(s, 6, reason, -1);
        db_bind_text(s, 7, note, -1);
        db_bind_text(s, 8, new_status, -1);
        db_bind_text(s, 9, today, -1);
        db_bind_text(s, 10, result, -1);
        db_bind_text(s, 11, evidence, -1);
        db_bind_text(s, 12, new_status, -1);
        db_bind_text(s, 13, today, -1);
        db_bind_int64(s, 14, zx_now_ms());
        db_bind_int64(s, 15, id);
        db_bind_text(s, 16, status, -1);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : 1;
        db_finalize(s);
    }
    free(evidence);
    if (!rc)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, ev,
                               json_pack("{s:s, s:s, s:s?, s:s?}", "commission_no", no, "by_court", r->who.court_code,
                                         "reason", reason ? zx_cmd_return_reason_label(reason) : NULL, "result", result),
                               false);
    char action[64];
    snprintf(action, sizeof action, "command.commission.%s", act);
    if (!rc) rc = zx_audit_req(r, c, action, "commission", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return rc == 1 ? zx_cmd_fail(e, 409, "INVALID_STATE", "委托事项状态已变化，请刷新") : store_fail(e);
    }
    return 0;
}

json_t *zx_com_get(zx_req *r, db_conn *c, int64_t id, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT m.commission_no, m.kind, m.task, m.case_id, e.case_no, m.from_court_id, m.to_court_id,"
                               " m.request, m.documents, m.status, m.sent_on, m.accept_due_on, m.due_on, m.accepted_on,"
                               " m.return_reason, m.return_note, m.returned_on, m.result, m.evidence, m.done_on"
                               " FROM commission m JOIN enf_case e ON e.id = m.case_id WHERE m.id = ?");
    if (!s) {
        store_fail(e);
        return NULL;
    }
    db_bind_int64(s, 1, id);
    json_t *o = NULL;
    if (db_step(s) == DB_ROW &&
        (zx_can_see_court(&r->who, db_col_int64(s, 5)) || zx_can_see_court(&r->who, db_col_int64(s, 6)))) {
        json_t *docs = json_loads(db_col_text(s, 8), 0, NULL), *evid = NULL;
        if (db_col_text(s, 18)) evid = json_loads(db_col_text(s, 18), 0, NULL);
        const char *st = db_col_text(s, 9), *rr = db_col_text(s, 14);
        zx_date due;
        zx_date_parse(db_col_text(s, 12), &due);
        bool open = !strcmp(st, "sent") || !strcmp(st, "accepted");
        int left = due - zx_today();
        o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s?, s:s?,"
                      " s:s?, s:s?, s:s?, s:o, s:s?, s:i, s:b}",
                      "id", zx_cmd_jid(id), "commission_no", db_col_text(s, 0), "kind", db_col_text(s, 1), "task",
                      db_col_text(s, 2), "task_label", zx_cmd_task_label(db_col_text(s, 2)), "case_id",
                      zx_cmd_jid(db_col_int64(s, 3)), "case_no", db_col_text(s, 4), "from_court",
                      zx_cmd_court_code(db_col_int64(s, 5)), "to_court", zx_cmd_court_code(db_col_int64(s, 6)),
                      "to_court_name", zx_cmd_court_name(db_col_int64(s, 6)), "request", db_col_text(s, 7),
                      "documents", docs ? docs : json_array(), "status", st, "sent_on", db_col_text(s, 10),
                      "accept_due_on", db_col_text(s, 11), "due_on", db_col_text(s, 12), "accepted_on",
                      db_col_text(s, 13), "return_reason", rr, "return_reason_label",
                      rr ? zx_cmd_return_reason_label(rr) : NULL, "return_note", db_col_text(s, 15), "result",
                      db_col_text(s, 17), "evidence", evid ? evid : json_array(), "done_on", db_col_text(s, 19),
                      "days_left", left, "overdue", open && left < 0);
        json_object_set_new(o, "returned_on", zx_cmd_jdate(db_col_text(s, 16)));
        /* warning window before the deadline (rules/command.h) */
        json_object_set_new(o, "due_soon", json_boolean(open && left >= 0 && left <= zx_cmd_task_warn_days()));
    }
    db_finalize(s);
    if (!o) zx_cmd_fail(e, 404, "NOT_FOUND", "委托事项不存在");
    return o;
}

json_t *zx_com_stats(db_conn *c, const int64_t *courts, int n, zx_date from, zx_date to)
{
    char f[11], t[11], today[11];
    zx_date_format(from, f);
    zx_date_format(to, t);
    zx_date_format(zx_today(), today);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        /* average days from sending to the answer over done tasks: julian-day free — computed in C */
        db_stmt *s = db_prepare(c, "SELECT status, sent_on, COALESCE(done_on, returned_on), due_on FROM commission"
                                   " WHERE to_court_id = ? AND sent_on >= ? AND sent_on <= ?");
        if (!s) break;
        db_bind_int64(s, 1, courts[i]);
        db_bind_text(s, 2, f, -1);
        db_bind_text(s, 3, t, -1);
        int64_t received = 0, done = 0, returned = 0, open = 0, overdue = 0, days = 0;
        while (db_step(s) == DB_ROW) {
            received++;
            const char *st = db_col_text(s, 0);
            zx_date sent, end, due;
            zx_date_parse(db_col_text(s, 1), &sent);
            zx_date_parse(db_col_text(s, 3), &due);
            if (!strcmp(st, "done") && db_col_text(s, 2) && zx_date_parse(db_col_text(s, 2), &end) == 0) {
                done++;
                days += end - sent;
            } else if (!strcmp(st, "returned")) {
                returned++;
            } else {
                open++;
                if (due < zx_today()) overdue++;
            }
        }
        db_finalize(s);
        if (!received) continue;
        double avg = done ? (double)((days * 10 + done / 2) / done) / 10.0 : 0.0;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:f}", "court",
                                             zx_cmd_court_code(courts[i]), "court_name", zx_cmd_court_name(courts[i]),
                                             "received", (json_int_t)received, "done", (json_int_t)done, "returned",
                                             (json_int_t)returned, "open", (json_int_t)open, "overdue",
                                             (json_int_t)overdue, "avg_days", avg, "return_rate",
                                             zx_ind_rate(returned, received)));
    }
    return arr;
}

json_t *zx_com_route(zx_req *r, const char *code, zx_cmd_err *e)
{
    const zx_court *ct = code ? zx_court_by_code(code) : NULL;
    if (!ct) {
        zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在：%.60s", code ? code : "");
        return NULL;
    }
    json_t *path = json_array();
    for (const zx_court *p = ct; p; p = p->parent_id ? zx_court_by_id(p->parent_id) : NULL)
        json_array_insert_new(path, 0, json_pack("{s:s, s:s, s:i}", "code", p->code, "name", p->name, "level", p->level));
    /* lowest common superior of the caller's court and the target */
    const zx_court *common = NULL;
    for (const zx_court *p = zx_court_by_id(r->who.court_id); p; p = p->parent_id ? zx_court_by_id(p->parent_id) : NULL)
        if (zx_court_within(ct->id, p->id)) {
            common = p;
            break;
        }
    return json_pack("{s:s, s:s, s:i, s:o, s:s?}", "code", ct->code, "name", ct->name, "level", ct->level, "path", path,
                     "common_superior", common ? common->code : NULL);
}
