/* supervision.c — 督办 (法发〔2006〕11号): a superior court opens a supervision order on a lower court's
 * case and sends the 督办函 with a deadline; the lower court names a handler and reports; the superior
 * escalates (催报, 调卷, 指定, 提级, 交叉执行, 通报) or closes it. Also 约谈 records. See command.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "audit/audit.h"
#include "case/case.h"
#include "command/command.h"
#include "core/ids.h"
#include "credit/snapshot.h"
#include "rules/command.h"

typedef struct sup_row {
    int64_t id, case_id, from_court, to_court, handler_id;
    char no[96], status[16], due_on[11];
} sup_row;

static int load(db_conn *c, int64_t id, sup_row *o)
{
    db_stmt *s = db_prepare(c, "SELECT id, case_id, from_court_id, to_court_id, COALESCE(handler_id, 0), order_no,"
                               " status, due_on FROM supervision_order WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->id = db_col_int64(s, 0);
        o->case_id = db_col_int64(s, 1);
        o->from_court = db_col_int64(s, 2);
        o->to_court = db_col_int64(s, 3);
        o->handler_id = db_col_int64(s, 4);
        snprintf(o->no, sizeof o->no, "%s", db_col_text(s, 5));
        snprintf(o->status, sizeof o->status, "%s", db_col_text(s, 6));
        snprintf(o->due_on, sizeof o->due_on, "%s", db_col_text(s, 7));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : 1;
}

static int add_step(db_conn *c, int64_t order_id, const char *kind, const zx_principal *who, const char *note)
{
    db_stmt *s = db_prepare(c, "INSERT INTO supervision_step (id, order_id, kind, on_date, user_id, court_id, note,"
                               " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    char today[11];
    zx_date_format(zx_today(), today);
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, order_id);
    db_bind_text(s, 3, kind, -1);
    db_bind_text(s, 4, today, -1);
    if (who && who->user_id) db_bind_int64(s, 5, who->user_id);
    else db_bind_null(s, 5);
    if (who && who->court_id) db_bind_int64(s, 6, who->court_id);
    else db_bind_null(s, 6);
    db_bind_text(s, 7, note, -1);
    db_bind_int64(s, 8, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static int store_fail(zx_cmd_err *e) { return zx_cmd_fail(e, 500, "DB_ERROR", "保存失败"); }

int zx_sup_open(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    if (!(r->who.roles & (ROLE_COMMAND | ROLE_CHIEF)))
        return zx_cmd_fail(e, 403, "FORBIDDEN", "只有指挥中心或院长/局长可以发出督办");
    const char *ref = json_string_value(json_object_get(b, "case_no"));
    if (!ref) ref = json_string_value(json_object_get(b, "case_id"));
    if (!ref || !*ref) return zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：case_no（被督办案件）");
    int64_t case_court = 0, case_id = zx_cmd_case_lookup(c, ref, &case_court);
    if (!case_id || !zx_can_see_court(&r->who, case_court))
        return zx_cmd_fail(e, 404, "CASE_NOT_FOUND", "案件不存在：%.80s", ref);
    if (!zx_cmd_is_superior_of(&r->who, case_court))
        return zx_cmd_fail(e, 403, "NOT_SUBORDINATE", "督办对象必须是本院的下级法院（督办规定第一条）");
    const char *source = zx_cmd_text(b, "source", true, 32, e);
    if (!source) return e->status;
    if (!zx_cmd_sup_source_known(source))
        return zx_cmd_fail(e, 400, "INVALID_ENUM", "督办来源无效（complaint/petition/public_opinion/review）");
    const char *request = zx_cmd_text(b, "request", true, 4000, e);
    if (!request) return e->status;
    zx_date today = zx_today(), complaint = ZX_DATE_NONE, due;
    bool need_complaint = !strcmp(source, "complaint") || !strcmp(source, "petition");
    if (!zx_cmd_date(b, "complaint_on", need_complaint, ZX_DATE_NONE, &complaint, e)) return e->status;
    if (complaint != ZX_DATE_NONE && complaint > today)
        return zx_cmd_fail(e, 400, "DATE_ORDER", "反映日期不能晚于今天");
    if (!zx_cmd_date(b, "due_on", false, today + zx_cmd_sup_default_report_days(), &due, e)) return e->status;
    if (due <= today) return zx_cmd_fail(e, 400, "DATE_ORDER", "报告期限必须晚于发函日期");
    if (due > today + zx_cmd_sup_max_report_days())
        return zx_cmd_fail(e, 400, "DATE_ORDER", "报告期限不能超过发函后 %d 日", zx_cmd_sup_max_report_days());
    int64_t petition_id = 0;
    json_t *pv = json_object_get(b, "petition_id");
    if (pv && !json_is_null(pv)) {
        const char *ps = json_string_value(pv);
        petition_id = ps ? strtoll(ps, NULL, 10) : json_integer_value(pv);
        if (petition_id <= 0) return zx_cmd_fail(e, 400, "BAD_REQUEST", "petition_id 无效");
    }
    bool late = complaint != ZX_DATE_NONE && today > zx_cmd_sup_letter_due(complaint);

    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    char no[96], today_s[11], due_s[11], comp_s[11] = "";
    if (db_begin(c)) return store_fail(e);
    if (zx_cmd_number(c, r->who.court_id, "执督", y, no, sizeof no)) {
        db_rollback(c);
        return store_fail(e);
    }
    zx_date_format(today, today_s);
    zx_date_format(due, due_s);
    if (complaint != ZX_DATE_NONE) zx_date_format(complaint, comp_s);
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO supervision_order (id, order_no, case_id, from_court_id, to_court_id, source,"
                               " petition_id, complaint_on, issued_on, due_on, request, status, created_by, created_ms,"
                               " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?, ?)");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, case_id);
        db_bind_int64(s, 4, r->who.court_id);
        db_bind_int64(s, 5, case_court);
        db_bind_text(s, 6, source, -1);
        if (petition_id) db_bind_int64(s, 7, petition_id);
        else db_bind_null(s, 7);
        db_bind_text(s, 8, comp_s[0] ? comp_s : NULL, -1);
        db_bind_text(s, 9, today_s, -1);
        db_bind_text(s, 10, due_s, -1);
        db_bind_text(s, 11, request, -1);
        db_bind_int64(s, 12, r->who.user_id);
        db_bind_int64(s, 13, now);
        db_bind_int64(s, 14, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) rc = add_step(c, id, "issued", &r->who, request);
    if (!rc)
        rc = zx_cmd_case_event(c, case_id, r->who.user_id, "supervision_opened",
                               json_pack("{s:s, s:s, s:s, s:s}", "order_no", no, "from_court", r->who.court_code,
                                         "due_on", due_s, "source", source), false);
    char detail[256];
    snprintf(detail, sizeof detail, "{\"order_no\":\"%s\",\"case_id\":\"%lld\",\"due_on\":\"%s\"}", no,
             (long long)case_id, due_s);
    if (!rc) rc = zx_audit_req(r, c, "command.supervision.open", "supervision_order", id, "ok", detail);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    (void)late;
    return 0;
}

/* ---- the case moves to another court (提级执行 approved; 指定执行 / 交叉执行 ordered), the lawful way
 * (立案结案意见 art 17; the case module's zx_case_transfer): the new court files a new case linked to the
 * old one (no handler yet: its judges take it up; its own clock from its filing), and the old court's case
 * closes by 终结执行 (提级 / 指定, no ruling) — so each court's indicators count what happened there: the
 * old court filed and closed a case, the new court filed one. What the enforcement holds (assets,
 * controls, open requests, the money on the case account) goes to the new case (move.c). A 'case_moved'
 * step on the order records the court left and the new case (the old court's 已移出 list,
 * zx_cmd_moved_out). Case events on both cases, an audit record for each court, all in the caller's
 * transaction. Returns 0, ZX_CMD_MOVE_FUNDS_IN_FLIGHT, ZX_CMD_MOVE_REFUSED (*ce filled), or < 0. */
static int move_case(zx_req *r, db_conn *c, const sup_row *o, int64_t to_court, const char *why, zx_case_err *ce)
{
    int64_t from_court = 0;
    db_stmt *s = db_prepare(c, "SELECT court_id FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, o->case_id);
    if (db_step(s) == DB_ROW) from_court = db_col_int64(s, 0);
    db_finalize(s);
    if (!from_court) return -1;
    if (from_court == to_court) return 0; /* already there */
    int64_t new_id = 0;
    const char *reason = !strcmp(why, "提级执行") ? "elevated" : "designated";
    int rc = zx_case_transfer(r, c, o->case_id, to_court, reason, why, &new_id, ce);
    if (rc > 0) return ZX_CMD_MOVE_REFUSED;
    if (rc < 0) return -1;
    /* its controls and its money follow it (move.c); money in flight refuses the move */
    zx_cmd_moved mv;
    memset(&mv, 0, sizeof mv);
    rc = zx_cmd_move_holdings(c, o->case_id, new_id, from_court, to_court, &mv);
    if (rc) return rc;
    char new_no[64] = "";
    s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, new_id);
    if (db_step(s) == DB_ROW) snprintf(new_no, sizeof new_no, "%s", db_col_text(s, 0));
    db_finalize(s);
    char note[400];
    snprintf(note, sizeof note, "%s：%s终结执行，%s立案执行（%s）", why, zx_cmd_court_name(from_court),
             zx_cmd_court_name(to_court), new_no);
    s = db_prepare(c, "INSERT INTO supervision_step (id, order_id, kind, on_date, user_id, court_id, note, created_ms,"
                      " new_case_id) VALUES (?, ?, 'case_moved', ?, ?, ?, ?, ?, ?)");
    rc = s ? 0 : -1;
    if (s) {
        char today[11];
        zx_date_format(zx_today(), today);
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, o->id);
        db_bind_text(s, 3, today, -1);
        if (r->who.user_id) db_bind_int64(s, 4, r->who.user_id);
        else db_bind_null(s, 4);
        db_bind_int64(s, 5, from_court); /* the court the case left */
        db_bind_text(s, 6, note, -1);
        db_bind_int64(s, 7, zx_now_ms());
        db_bind_int64(s, 8, new_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    json_t *moved = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:I, s:I}", "from_court",
                              zx_cmd_court_code(from_court), "to_court", zx_cmd_court_code(to_court), "reason", why,
                              "order_no", o->no, "note", note, "new_case_id", zx_cmd_jid(new_id), "new_case_no", new_no,
                              "controls_moved", (json_int_t)mv.controls, "assets_moved", (json_int_t)mv.assets,
                              "requests_moved", (json_int_t)mv.requests, "held_fen", (json_int_t)mv.held_fen);
    if (!rc) rc = zx_cmd_case_event(c, o->case_id, r->who.user_id, "court_moved", json_deep_copy(moved), false);
    if (!rc) rc = zx_cmd_case_event(c, new_id, r->who.user_id, "court_moved", json_deep_copy(moved), false);
    json_decref(moved);
    char detail[600];
    snprintf(detail, sizeof detail,
             "{\"order_no\":\"%s\",\"from_court\":\"%s\",\"to_court\":\"%s\",\"reason\":\"%s\",\"new_case_id\":\"%lld\","
             "\"new_case_no\":\"%s\",\"controls_moved\":%lld,\"held_fen\":%lld,\"transfer_id\":\"%lld\"}",
             o->no, zx_cmd_court_code(from_court), zx_cmd_court_code(to_court), why, (long long)new_id, new_no,
             (long long)mv.controls, (long long)mv.held_fen, (long long)mv.transfer_id);
    if (!rc) rc = zx_audit_req(r, c, "command.case.moved_out", "case", o->case_id, "ok", detail);
    if (!rc) rc = zx_audit_req(r, c, "command.case.moved_in", "case", new_id, "ok", detail);
    return rc;
}

bool zx_cmd_former_court_reads(db_conn *c, int64_t case_id, const zx_principal *who)
{
    db_stmt *s = db_prepare(c, "SELECT st.court_id FROM supervision_step st JOIN supervision_order o ON o.id = st.order_id"
                               " WHERE o.case_id = ? AND st.kind = 'case_moved'");
    if (!s) return false;
    db_bind_int64(s, 1, case_id);
    bool ok = false;
    while (!ok && db_step(s) == DB_ROW) ok = zx_can_see_court(who, db_col_int64(s, 0));
    db_finalize(s);
    return ok;
}

static bool user_in_court(db_conn *c, int64_t user_id, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM app_user WHERE id = ? AND court_id = ? AND disabled = 0");
    if (!s) return false;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, court_id);
    bool ok = db_step(s) == DB_ROW;
    db_finalize(s);
    return ok;
}

int zx_sup_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e)
{
    sup_row o;
    memset(&o, 0, sizeof o);
    int lr = load(c, id, &o);
    if (lr < 0) return store_fail(e);
    if (lr || !zx_can_see_court(&r->who, o.to_court))
        return zx_cmd_fail(e, 404, "NOT_FOUND", "督办事项不存在");
    if (!strcmp(o.status, "closed")) return zx_cmd_fail(e, 409, "ALREADY_CLOSED", "督办事项已办结，不能再操作");
    bool own = zx_cmd_is_own(&r->who, o.to_court), sup = zx_cmd_is_superior_of(&r->who, o.to_court);
    zx_date today = zx_today(), due;
    zx_date_parse(o.due_on, &due);
    const char *new_status = o.status, *step = act, *note = NULL, *ev = NULL;
    int64_t handler = o.handler_id, move_to = 0;
    const char *escal = NULL;
    char notebuf[600];
    if (!strcmp(act, "assign")) {
        if (!own || !(r->who.roles & (ROLE_COMMAND | ROLE_CHIEF)))
            return zx_cmd_fail(e, 403, "FORBIDDEN", "只有被督办法院的指挥中心或院长/局长可以指定承办人");
        int64_t h = 0;
        json_t *hv = json_object_get(b, "handler_id");
        if (json_is_string(hv)) h = strtoll(json_string_value(hv), NULL, 10);
        else if (json_is_integer(hv)) h = json_integer_value(hv);
        if (h <= 0) return zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：handler_id（承办人）");
        if (!user_in_court(c, h, o.to_court)) return zx_cmd_fail(e, 400, "INVALID_HANDLER", "承办人必须是本院在职人员");
        handler = h;
        if (!strcmp(o.status, "issued")) new_status = "handling";
        snprintf(notebuf, sizeof notebuf, "指定承办人 %lld", (long long)h);
        note = notebuf;
        step = "handler";
    } else if (!strcmp(act, "report")) {
        if (!own || !((r->who.roles & (ROLE_COMMAND | ROLE_CHIEF)) || r->who.user_id == o.handler_id))
            return zx_cmd_fail(e, 403, "FORBIDDEN", "只有被督办法院指定的承办人或指挥中心可以报告");
        note = zx_cmd_text(b, "report", true, 8000, e);
        if (!note) return e->status;
        new_status = "reported";
        ev = "supervision_reported";
    } else if (!strcmp(act, "escalate")) {
        if (!sup) return zx_cmd_fail(e, 403, "FORBIDDEN", "只有上级法院可以采取督办措施");
        const char *kind = zx_cmd_text(b, "kind", true, 32, e);
        if (!kind) return e->status;
        bool overdue_only = false;
        if (!zx_cmd_sup_escalation_known(kind, &overdue_only))
            return zx_cmd_fail(e, 400, "INVALID_ENUM", "督办措施无效（chase/call_file/reassign/elevate/cross/notify）");
        if (overdue_only && (today <= due || !strcmp(o.status, "reported")))
            return zx_cmd_fail(e, 409, "NOT_OVERDUE", "下级法院尚未逾期未报，不能采取该措施（督办规定：逾期未报的）");
        const char *why = zx_cmd_text(b, "note", false, 2000, e);
        if (e->status) return e->status;
        const char *target = NULL;
        if (!strcmp(kind, "reassign") || !strcmp(kind, "cross")) {
            const zx_court *t = zx_cmd_court(b, "target_court", e);
            if (!t) return e->status;
            if (t->id == o.to_court) return zx_cmd_fail(e, 400, "SAME_COURT", "指定的法院不能是原执行法院");
            if (!zx_cmd_is_superior_of(&r->who, t->id))
                return zx_cmd_fail(e, 403, "NOT_SUBORDINATE", "指定的法院必须是本院的下级法院");
            target = t->code;
            move_to = t->id;
        }
        snprintf(notebuf, sizeof notebuf, "%s%s%s%s%s%s", zx_cmd_sup_escalation_label(kind), target ? " → " : "",
                 target ? target : "", !strcmp(kind, "elevate") ? "（已报院长审批）" : "", why ? "：" : "", why ? why : "");
        note = notebuf;
        step = kind;
        escal = kind;
        ev = "supervision_escalated";
    } else if (!strcmp(act, "close")) {
        if (!sup) return zx_cmd_fail(e, 403, "FORBIDDEN", "只有上级法院可以办结督办事项");
        note = zx_cmd_text(b, "result", true, 4000, e);
        if (!note) return e->status;
        new_status = "closed";
        step = "closed";
        ev = "supervision_closed";
    } else {
        return zx_cmd_fail(e, 404, "NOT_FOUND", "未知操作");
    }
    char today_s[11];
    zx_date_format(today, today_s);
    if (db_begin(c)) return store_fail(e);
    db_stmt *s = db_prepare(c, "UPDATE supervision_order SET status = ?, handler_id = ?,"
                               " report = CASE WHEN ? = 'report' THEN ? ELSE report END,"
                               " reported_on = CASE WHEN ? = 'report' THEN ? ELSE reported_on END,"
                               " escalation = COALESCE(?, escalation),"
                               " result = CASE WHEN ? = 'close' THEN ? ELSE result END,"
                               " closed_on = CASE WHEN ? = 'close' THEN ? ELSE closed_on END,"
                               " updated_ms = ? WHERE id = ? AND status <> 'closed'");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_text(s, 1, new_status, -1);
        if (handler) db_bind_int64(s, 2, handler);
        else db_bind_null(s, 2);
        db_bind_text(s, 3, act, -1);
        db_bind_text(s, 4, note, -1);
        db_bind_text(s, 5, act, -1);
        db_bind_text(s, 6, today_s, -1);
        db_bind_text(s, 7, escal, -1);
        db_bind_text(s, 8, act, -1);
        db_bind_text(s, 9, note, -1);
        db_bind_text(s, 10, act, -1);
        db_bind_text(s, 11, today_s, -1);
        db_bind_int64(s, 12, zx_now_ms());
        db_bind_int64(s, 13, id);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : 1;
        db_finalize(s);
    }
    if (!rc) rc = add_step(c, id, step, &r->who, note);
    if (!rc && escal && !strcmp(escal, "elevate")) {
        /* 提级执行 needs the superior court's 院长 (民诉法 art 237; 2021 意见 item 28): the one approval inbox */
        char summary[256];
        snprintf(summary, sizeof summary, "提级执行：督办函 %s", o.no);
        int64_t aid = zx_approval_submit(c, r, "supervision_elevate", o.case_id, id, summary, today + 3);
        if (aid == ZX_APPROVAL_EDUP) rc = 2;
        else if (aid < 0) rc = -1;
    }
    if (!rc && ev)
        rc = zx_cmd_case_event(c, o.case_id, r->who.user_id, ev,
                               json_pack("{s:s, s:s, s:s?}", "order_no", o.no, "step", step, "note", note), false);
    /* 指定执行 / 交叉执行: the case moves to the named court now (提级执行 when the chief approves) */
    zx_case_err ce;
    memset(&ce, 0, sizeof ce);
    if (!rc && move_to) rc = move_case(r, c, &o, move_to, zx_cmd_sup_escalation_label(escal), &ce);
    char action[64];
    snprintf(action, sizeof action, "command.supervision.%s", act);
    if (!rc) rc = zx_audit_req(r, c, action, "supervision_order", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        if (rc == ZX_CMD_MOVE_REFUSED) {
            json_decref(ce.extra);
            return zx_cmd_fail(e, ce.status, ce.code, "%s", ce.message);
        }
        return rc == 1   ? zx_cmd_fail(e, 409, "ALREADY_CLOSED", "督办事项已办结")
               : rc == 2 ? zx_cmd_fail(e, 409, "ALREADY_PENDING", "提级执行已在审批中")
               : rc == ZX_CMD_MOVE_FUNDS_IN_FLIGHT
                   ? zx_cmd_fail(e, 409, "FUNDS_IN_FLIGHT", "本案有案款发放尚在审批或银行处理中，办结后方可移送其他法院")
                   : store_fail(e);
    }
    if (move_to) zx_credit_sync(c); /* its 失信 / 限消 entries moved with it: visible to partners now */
    return 0;
}

/* ---- 提级执行 decided in the approval inbox (src/approval/approval.h): the approving chief's court
 * takes the case up: the order records the decision, the case gets its event and moves (move_case). */
static int elevate_decided(zx_req *r, db_conn *c, const zx_approval *a, bool approved, zx_case_err *ce)
{
    sup_row o;
    memset(&o, 0, sizeof o);
    if (load(c, a->object_id, &o)) return -1;
    const char *note = approved ? "院长批准提级执行" : "院长退回提级执行申请";
    if (add_step(c, o.id, approved ? "elevated" : "elevate_returned", &r->who, a->opinion && *a->opinion ? a->opinion : note))
        return -1;
    db_stmt *s = db_prepare(c, "UPDATE supervision_order SET escalation = ?, updated_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, approved ? "elevate" : "elevate_returned", -1);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, o.id);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (!rc && approved)
        rc = zx_cmd_case_event(c, o.case_id, r->who.user_id, "supervision_elevated",
                               json_pack("{s:s, s:s}", "order_no", o.no, "to_court", zx_cmd_court_code(r->who.court_id)),
                               false);
    /* the approving chief's court takes the case up */
    if (!rc && approved) rc = move_case(r, c, &o, r->who.court_id, "提级执行", ce);
    return rc;
}

static int elevate_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    zx_case_err ce;
    memset(&ce, 0, sizeof ce);
    int rc = elevate_decided(r, c, a, true, &ce);
    if (rc == ZX_CMD_MOVE_REFUSED) {
        json_decref(ce.extra);
        zx_approval_err_set(err, ce.status, ce.code, "%s", ce.message);
        return -1;
    }
    if (rc == ZX_CMD_MOVE_FUNDS_IN_FLIGHT) {
        zx_approval_err_set(err, 409, "FUNDS_IN_FLIGHT", "本案有案款发放尚在审批或银行处理中，办结后方可提级执行");
        return -1;
    }
    return rc;
}

static int elevate_returned(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    (void)err;
    zx_case_err ce;
    memset(&ce, 0, sizeof ce);
    return elevate_decided(r, c, a, false, &ce);
}

/* a moved case's 失信 / 限消 entries now name the new court and 案号 (src/credit/transfer.c): partners see
 * it before the reply */
static void elevate_after(zx_req *r, const zx_approval *a, bool approved)
{
    if (approved && r) zx_credit_sync(zx_db(r));
}

static const struct zx_approval_kind elevate_kind = {
    .kind = "supervision_elevate", .label = "提级执行（督办）", .approver_roles = ROLE_CHIEF, .superior = true,
    .on_approved = elevate_approved, .on_returned = elevate_returned, .after_commit = elevate_after,
};
ZX_APPROVAL_KIND(elevate_kind)

json_t *zx_sup_get(zx_req *r, db_conn *c, int64_t id, zx_cmd_err *e)
{
    db_stmt *s = db_prepare(c, "SELECT o.order_no, o.case_id, e.case_no, o.from_court_id, o.to_court_id, o.source,"
                               " o.complaint_on, o.issued_on, o.due_on, o.request, o.status, COALESCE(o.handler_id, 0),"
                               " u.display_name, o.report, o.reported_on, o.escalation, o.result, o.closed_on"
                               " FROM supervision_order o JOIN enf_case e ON e.id = o.case_id"
                               " LEFT JOIN app_user u ON u.id = o.handler_id WHERE o.id = ?");
    if (!s) {
        store_fail(e);
        return NULL;
    }
    db_bind_int64(s, 1, id);
    json_t *o = NULL;
    if (db_step(s) == DB_ROW && zx_can_see_court(&r->who, db_col_int64(s, 4))) {
        zx_date due;
        zx_date_parse(db_col_text(s, 8), &due);
        const char *st = db_col_text(s, 10);
        bool open = strcmp(st, "closed") && strcmp(st, "reported");
        int left = due - zx_today();
        o = json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:s?, s:s?, s:s?,"
                      " s:s?, s:s?, s:s?, s:i, s:b, s:b}",
                      "id", zx_cmd_jid(id), "order_no", db_col_text(s, 0), "case_id", zx_cmd_jid(db_col_int64(s, 1)),
                      "case_no", db_col_text(s, 2), "from_court", zx_cmd_court_code(db_col_int64(s, 3)),
                      "from_court_name", zx_cmd_court_name(db_col_int64(s, 3)), "to_court",
                      zx_cmd_court_code(db_col_int64(s, 4)), "to_court_name", zx_cmd_court_name(db_col_int64(s, 4)),
                      "complaint_on", zx_cmd_jdate(db_col_text(s, 6)), "issued_on", db_col_text(s, 7), "due_on",
                      db_col_text(s, 8), "request", db_col_text(s, 9), "status", st, "handler_id",
                      zx_cmd_jid(db_col_int64(s, 11)), "handler_name", db_col_text(s, 12), "report", db_col_text(s, 13),
                      "reported_on", db_col_text(s, 14), "escalation", db_col_text(s, 15), "result",
                      db_col_text(s, 16), "closed_on", db_col_text(s, 17), "days_left", left, "overdue",
                      open && left < 0, "due_soon", open && left >= 0 && left <= zx_cmd_sup_remind_lead_days());
        const char *comp = db_col_text(s, 6);
        zx_date cd;
        if (comp && zx_date_parse(comp, &cd) == 0) {
            zx_date issued;
            zx_date_parse(db_col_text(s, 7), &issued);
            json_object_set_new(o, "letter_late", json_boolean(issued > zx_cmd_sup_letter_due(cd)));
        }
    }
    db_finalize(s);
    if (!o) {
        zx_cmd_fail(e, 404, "NOT_FOUND", "督办事项不存在");
        return NULL;
    }
    json_t *steps = json_array();
    s = db_prepare(c, "SELECT t.kind, t.on_date, t.note, u.display_name, t.court_id FROM supervision_step t"
                      " LEFT JOIN app_user u ON u.id = t.user_id WHERE t.order_id = ? ORDER BY t.created_ms, t.id");
    if (s) {
        db_bind_int64(s, 1, id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(steps, json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "kind", db_col_text(s, 0), "on_date",
                                                   db_col_text(s, 1), "note", db_col_text(s, 2), "by",
                                                   db_col_text(s, 3), "court", zx_cmd_court_code(db_col_int64(s, 4))));
        db_finalize(s);
    }
    json_object_set_new(o, "steps", steps);
    return o;
}

int zx_sup_remind(zx_req *r, db_conn *c, const int64_t *courts, int n)
{
    zx_date today = zx_today();
    char lim[11], today_s[11];
    zx_date_format(today + zx_cmd_sup_remind_lead_days(), lim);
    zx_date_format(today, today_s);
    int64_t ids[512];
    int m = 0;
    for (int i = 0; i < n && m < 512; i++) {
        db_stmt *s = db_prepare(c, "SELECT id FROM supervision_order o WHERE to_court_id = ? AND status IN ('issued','handling')"
                                   " AND due_on <= ? AND NOT EXISTS (SELECT 1 FROM supervision_step t WHERE"
                                   " t.order_id = o.id AND t.kind = 'reminder' AND t.on_date = ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, courts[i]);
        db_bind_text(s, 2, lim, -1);
        db_bind_text(s, 3, today_s, -1);
        while (db_step(s) == DB_ROW && m < 512) ids[m++] = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (!m) return 0;
    if (db_begin(c)) return -1;
    int rc = 0;
    for (int i = 0; i < m && !rc; i++)
        rc = add_step(c, ids[i], "reminder", r ? &r->who : NULL, "督办期限临近或已逾期，请及时报告（督办规定：在规定的期限内书面报告）");
    char detail[64];
    snprintf(detail, sizeof detail, "{\"reminded\":%d}", m);
    if (!rc && r) rc = zx_audit_req(r, c, "command.supervision.remind", "supervision_order", 0, "ok", detail);
    if (!rc && !r) {
        zx_audit_rec rec = { .username = "system", .action = "command.supervision.remind", .object_type = "supervision_order",
                             .result = "ok", .detail = detail };
        rc = zx_audit_write(c, &rec);
    }
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return -1;
    }
    return m;
}

int zx_interview_add(zx_req *r, db_conn *c, json_t *b, int64_t *id_out, zx_cmd_err *e)
{
    const zx_court *ct = zx_cmd_court(b, "court", e);
    if (!ct) return e->status;
    if (!zx_cmd_is_superior_of(&r->who, ct->id))
        return zx_cmd_fail(e, 403, "NOT_SUBORDINATE", "只能约谈本院下级法院的执行局长");
    const char *person = zx_cmd_text(b, "person", true, 100, e);
    if (!person) return e->status;
    const char *title = zx_cmd_text(b, "title", false, 100, e);
    if (e->status) return e->status;
    const char *reason = zx_cmd_text(b, "reason", true, 4000, e);
    if (!reason) return e->status;
    const char *outcome = zx_cmd_text(b, "outcome", true, 4000, e);
    if (!outcome) return e->status;
    zx_date held;
    if (!zx_cmd_date(b, "held_on", false, zx_today(), &held, e)) return e->status;
    if (held > zx_today()) return zx_cmd_fail(e, 400, "DATE_ORDER", "约谈日期不能晚于今天");
    char held_s[11];
    zx_date_format(held, held_s);
    int64_t id = zx_id_new();
    if (db_begin(c)) return store_fail(e);
    db_stmt *s = db_prepare(c, "INSERT INTO court_interview (id, court_id, by_court_id, person, title, held_on, reason,"
                               " outcome, created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, ct->id);
        db_bind_int64(s, 3, r->who.court_id);
        db_bind_text(s, 4, person, -1);
        db_bind_text(s, 5, title ? title : "执行局长", -1);
        db_bind_text(s, 6, held_s, -1);
        db_bind_text(s, 7, reason, -1);
        db_bind_text(s, 8, outcome, -1);
        db_bind_int64(s, 9, r->who.user_id);
        db_bind_int64(s, 10, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) rc = zx_audit_req(r, c, "command.interview.add", "court_interview", id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    if (rc) {
        db_rollback(c);
        return store_fail(e);
    }
    *id_out = id;
    return 0;
}
