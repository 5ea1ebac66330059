/* portal_staff.c — the court's side of the party portal (issue 15 items 3–6; docs/api/portal.md):
 *
 *   GET  /api/v1/portal-inbox?kind=messages|clues|applications|rewards|orders[&open=0]   what parties sent
 *   POST /api/v1/portal-inbox/messages/:id/reply        {"reply"}              answer a message (stops its clock)
 *   POST /api/v1/portal-inbox/clues/:id/verify          {"result":"found|none","note"} the clue_verified node
 *   POST /api/v1/portal-inbox/applications/:id/decide   {"accept","opinion","reason"} (恢复执行: files the 执恢 case; an objection: the 执异 case)
 *   POST /api/v1/portal-inbox/rewards/:id/decide        {"approve","opinion","publish_days"} → published notice
 *   GET  /api/v1/portal-inbox/rewards/:id/tips          tips with the tipster's identity (财产调查规定 art 23)
 *   POST /api/v1/portal-inbox/tips/:id/assess           {"useful","recovered_fen","payee_bank","payee_account"}
 *                                                        → the reward's payout through the funds ledger (art 24)
 *   POST /api/v1/portal-inbox/orders/:id/decide         {"issue","opinion"} → 律师调查令 PDF + verification code
 *   GET  /api/v1/portal-inbox/attachments/:id           an attachment (case read access)
 *   GET|POST /api/v1/cases/:id/lawyers, POST /api/v1/cases/:id/lawyers/:lawyer_id/revoke  confirmed lawyers
 *   GET|PUT /api/v1/portal-settings                     the court's node SMS and reply clock (PUT: chief)
 *
 * Every decision = one transaction: rows + case event (+ clock) + audit record + the SMS to the party
 * (template portal_reply, through the notify outbox). Access: the case's write permission (handler, team,
 * chief); applications also the court's filing clerks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/case_access.h"
#include "account/authz.h"
#include "api/portal_party.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/pii.h"
#include "funds/payouts.h"
#include "notify/notify.h"
#include "portal/portal.h"
#include "rules/portal.h"

ZX_PII_COLUMN(portal_lawyer, phone_enc, ZX_PII_PHONE)
ZX_PII_COLUMN(reward_tip, phone_enc, ZX_PII_PHONE)
ZX_PII_COLUMN(reward_tip, id_number_enc, ZX_PII_ID_NUMBER)

static void dberr(zx_req *r)
{
    db_rollback(zx_db(r));
    zx_reply_error(r, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
}

static const char *jstr(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static char *idstr(zx_req *r, int64_t id) { return zx_sprintf(r, "%lld", (long long)id); }

/* Begin, lock and load the case, check write access (or, for filing clerks, read + own court). */
static bool case_begin(zx_req *r, db_conn *c, int64_t case_id, zx_case *k, zx_case_events *ev, bool clerk_ok)
{
    if (zx_case_load(c, case_id, k)) return zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或无权查看"), false;
    bool clerk = clerk_ok && (r->who.roles & ROLE_FILING_CLERK) && r->who.court_id == k->court_id;
    if (!clerk && !zx_authz_case(r, k->court_id, k->handler_id, k->team_id, k->stage, ZX_CASE_WRITE)) return false;
    if (db_begin(c)) return dberr(r), false;
    /* the audit head, then the case row (PostgreSQL; SQLite's BEGIN IMMEDIATE is the one writer): the lock
     * order of every case writer (case_store.c) */
    if (zx_case_lock(c, case_id) || zx_case_load(c, case_id, k) || zx_case_events_load(c, case_id, ev)) return dberr(r), false;
    return true;
}

/* SMS to one party: "the court answered on the portal". */
static int tell_party(db_conn *c, int64_t case_id, int64_t party_id, const char *text, const char *key)
{
    db_stmt *s = db_prepare(c, "SELECT p.name, p.phone_enc, e.case_no FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE p.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, party_id);
    char name[128] = "", case_no[64] = "", *phone = NULL;
    if (db_step(s) == DB_ROW) {
        snprintf(name, sizeof name, "%s", db_col_text(s, 0));
        phone = zx_pii_col(s, 1, ZX_PII_PHONE);
        snprintf(case_no, sizeof case_no, "%s", db_col_text(s, 2));
    }
    db_finalize(s);
    if (!phone || !*phone) return zx_pii_free(phone), 0;
    json_t *p = json_pack("{s:s,s:s,s:s}", "name", name, "case_no", case_no, "text", text);
    int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone, .template_name = "portal_reply",
                                                       .params = p, .case_id = case_id, .dedup_key = key });
    json_decref(p);
    zx_pii_free(phone);
    return id < 0 && id != ZX_NOTIFY_EINVAL ? -1 : 0;
}

static int event_seq_of(const zx_case_events *ev, const char *kind, const char *key, int64_t id)
{
    char want[24];
    snprintf(want, sizeof want, "%lld", (long long)id);
    for (int i = ev->n - 1; i >= 0; i--)
        if (!strcmp(ev->v[i].kind, kind)) {
            const char *v = json_string_value(json_object_get(ev->v[i].data, key));
            if (v && !strcmp(v, want)) return ev->v[i].seq;
        }
    return 0;
}

static int add_event(db_conn *c, zx_case *k, zx_case_events *ev, int64_t user_id, const char *kind, json_t *data, int64_t *eid)
{
    int64_t id = zx_case_event_add(c, ev, k->id, user_id, kind, k->stage, zx_today(), data, NULL);
    json_decref(data);
    if (eid) *eid = id;
    return id < 0 || zx_case_sync_clocks(c, k, ev) || zx_case_save(c, k) ? -1 : 0;
}

static int exec_sql(db_conn *c, const char *sql, const char *fmt, ...);

/* ---- GET /api/v1/portal-inbox ---- */
static void inbox(zx_req *r)
{
    const char *kind = zx_query(r, "kind");
    if (!kind || !*kind) kind = "messages";
    const char *open_q = zx_query(r, "open");
    bool open = !open_q || strcmp(open_q, "0");
    static const struct { const char *kind, *sql_open, *sql_all; } q[] = {
        { "messages",
          "SELECT m.id, m.case_id, e.case_no, p.name, p.role, m.body, m.reply_due, m.reply, m.created_ms, 0, '' FROM portal_message m"
          " JOIN enf_case e ON e.id = m.case_id JOIN case_party p ON p.id = m.party_id WHERE m.court_id = ? AND m.replied_ms IS NULL"
          " ORDER BY m.reply_due, m.created_ms LIMIT 200",
          "SELECT m.id, m.case_id, e.case_no, p.name, p.role, m.body, m.reply_due, m.reply, m.created_ms, 0, '' FROM portal_message m"
          " JOIN enf_case e ON e.id = m.case_id JOIN case_party p ON p.id = m.party_id WHERE m.court_id = ?"
          " ORDER BY m.created_ms DESC LIMIT 200" },
        { "clues",
          "SELECT c.id, c.case_id, e.case_no, p.name, p.role, c.description, d.due_on, NULL, c.created_ms, c.event_seq,"
          " CASE WHEN c.urgent = 1 THEN 'urgent' ELSE '' END FROM portal_clue c JOIN enf_case e ON e.id = c.case_id"
          " JOIN case_party p ON p.id = c.party_id JOIN case_deadline d ON d.case_id = c.case_id AND d.kind = 'clue_verify'"
          " AND d.ref = c.event_seq WHERE c.court_id = ? AND d.done = 0 ORDER BY d.due_on LIMIT 200",
          "SELECT c.id, c.case_id, e.case_no, p.name, p.role, c.description, d.due_on, NULL, c.created_ms, c.event_seq,"
          " CASE WHEN d.done = 1 THEN 'done' ELSE '' END FROM portal_clue c JOIN enf_case e ON e.id = c.case_id"
          " JOIN case_party p ON p.id = c.party_id LEFT JOIN case_deadline d ON d.case_id = c.case_id AND d.kind = 'clue_verify'"
          " AND d.ref = c.event_seq WHERE c.court_id = ? ORDER BY c.created_ms DESC LIMIT 200" },
        { "applications",
          "SELECT a.id, a.case_id, e.case_no, p.name, p.role, a.reason, a.due_on, a.opinion, a.created_ms, 0, a.kind"
          " FROM portal_application a JOIN enf_case e ON e.id = a.case_id JOIN case_party p ON p.id = a.party_id"
          " WHERE a.court_id = ? AND a.status = 'pending' ORDER BY a.due_on LIMIT 200",
          "SELECT a.id, a.case_id, e.case_no, p.name, p.role, a.reason, a.due_on, a.opinion, a.created_ms, 0, a.kind || ':' || a.status"
          " FROM portal_application a JOIN enf_case e ON e.id = a.case_id JOIN case_party p ON p.id = a.party_id"
          " WHERE a.court_id = ? ORDER BY a.created_ms DESC LIMIT 200" },
        { "rewards",
          "SELECT n.id, n.case_id, e.case_no, p.name, p.role, n.commitment, n.due_on, n.opinion, n.created_ms, n.amount_fen,"
          " n.status || ':' || CAST(n.percent_bp AS TEXT) FROM reward_notice n JOIN enf_case e ON e.id = n.case_id"
          " JOIN case_party p ON p.id = n.party_id WHERE n.court_id = ? AND n.status IN ('applied', 'approved')"
          " ORDER BY n.due_on LIMIT 200",
          "SELECT n.id, n.case_id, e.case_no, p.name, p.role, n.commitment, n.due_on, n.opinion, n.created_ms, n.amount_fen,"
          " n.status || ':' || CAST(n.percent_bp AS TEXT) FROM reward_notice n JOIN enf_case e ON e.id = n.case_id"
          " JOIN case_party p ON p.id = n.party_id WHERE n.court_id = ? ORDER BY n.created_ms DESC LIMIT 200" },
        { "orders",
          "SELECT o.id, o.case_id, e.case_no, l.name, 'lawyer', o.institution || '：' || o.scope, o.due_on, o.opinion, o.created_ms, 0,"
          " o.status FROM investigation_order o JOIN enf_case e ON e.id = o.case_id JOIN portal_lawyer l ON l.id = o.lawyer_id"
          " WHERE o.court_id = ? AND o.status = 'pending' ORDER BY o.due_on LIMIT 200",
          "SELECT o.id, o.case_id, e.case_no, l.name, 'lawyer', o.institution || '：' || o.scope, o.due_on, o.opinion, o.created_ms, 0,"
          " o.status FROM investigation_order o JOIN enf_case e ON e.id = o.case_id JOIN portal_lawyer l ON l.id = o.lawyer_id"
          " WHERE o.court_id = ? ORDER BY o.created_ms DESC LIMIT 200" },
    };
    int qi = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(q[i].kind, kind)) qi = i;
    if (qi < 0) return zx_reply_error(r, 400, "BAD_KIND", "kind 只能是 messages、clues、applications、rewards、orders");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, open ? q[qi].sql_open : q[qi].sql_all);
    if (!s) return dberr(r);
    db_bind_int64(s, 1, r->who.court_id);
    json_t *items = json_array();
    zx_date today = zx_today();
    while (db_step(s) == DB_ROW) {
        const char *due = db_col_text(s, 6);
        zx_date dd;
        const char *level = "ok";
        if (due && !zx_date_parse(due, &dd)) level = today > dd ? "overdue" : (dd - today <= 1 ? "warning" : "ok");
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id", idstr(r, db_col_int64(s, 0)), "case_id",
                              idstr(r, db_col_int64(s, 1)), "case_no", db_col_text(s, 2), "from_name", db_col_text(s, 3),
                              "from_role", db_col_text(s, 4), "text", db_col_text(s, 5), "created_ms",
                              (json_int_t)db_col_int64(s, 8), "level", level);
        json_object_set_new(o, "due_on", due ? json_string(due) : json_null());
        json_object_set_new(o, "answer", db_col_text(s, 7) ? json_string(db_col_text(s, 7)) : json_null());
        if (qi == 1) {
            json_object_set_new(o, "clue_seq", json_integer(db_col_int64(s, 9)));
            json_object_set_new(o, "urgent", json_boolean(!strcmp(db_col_text(s, 10), "urgent")));
        }
        if (qi == 2 || qi == 4) json_object_set_new(o, "status", json_string(db_col_text(s, 10)));
        if (qi == 3) {
            json_object_set_new(o, "amount_fen", json_integer(db_col_int64(s, 9)));
            json_object_set_new(o, "status", json_string(db_col_text(s, 10)));
        }
        json_array_append_new(items, o);
    }
    db_finalize(s);
    /* attachments of clues and applications */
    if (qi == 1 || qi == 2) {
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o) {
            json_t *at = json_array();
            s = db_prepare(c, "SELECT id, name, size FROM portal_attachment WHERE owner_kind = ? AND owner_id = ? ORDER BY id");
            if (s) {
                db_bind_text(s, 1, qi == 1 ? "clue" : "application", -1);
                db_bind_int64(s, 2, strtoll(json_string_value(json_object_get(o, "id")), NULL, 10));
                while (db_step(s) == DB_ROW)
                    json_array_append_new(at, json_pack("{s:s,s:s,s:I}", "id", idstr(r, db_col_int64(s, 0)), "name", db_col_text(s, 1),
                                                        "size", (json_int_t)db_col_int64(s, 2)));
                db_finalize(s);
            }
            json_object_set_new(o, "attachments", at);
        }
    }
    zx_reply_json(r, 200, json_pack("{s:s,s:o,s:I}", "kind", kind, "items", items, "total", (json_int_t)json_array_size(items)));
}

/* Load one row's case id (and party id) by id from table. 0 found, 1 not found (replied), -1 (replied). */
static int row_case(zx_req *r, db_conn *c, const char *sql, int64_t id, int64_t *case_id, int64_t *party_id, char *extra,
                    size_t extra_cap)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return dberr(r), -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *case_id = db_col_int64(s, 0);
        if (party_id) *party_id = db_col_int64(s, 1);
        if (extra) snprintf(extra, extra_cap, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    }
    db_finalize(s);
    if (rc != DB_ROW) return zx_reply_error(r, 404, "NOT_FOUND", "记录不存在或无权查看"), 1;
    return 0;
}

/* ---- POST /api/v1/portal-inbox/messages/:id/reply ---- */
static void message_reply(zx_req *r)
{
    int64_t id, case_id, party_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *reply = jstr(b, "reply");
    if (!reply || !*reply || u8len(reply) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写答复内容（不超过1000字）");
    db_conn *c = zx_db(r);
    char replied[24];
    if (row_case(r, c, "SELECT case_id, party_id, CAST(COALESCE(replied_ms, 0) AS TEXT) FROM portal_message WHERE id = ?", id,
                 &case_id, &party_id, replied, sizeof replied))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, false)) return zx_case_events_free(&ev);
    int seq = event_seq_of(&ev, "party_message", "message_id", id);
    if (strcmp(replied, "0")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "ALREADY_REPLIED", "该留言已答复");
    }
    int rc = add_event(c, &k, &ev, r->who.user_id, "party_message_replied",
                       json_pack("{s:i,s:s}", "ref_seq", seq, "message_id", idstr(r, id)), NULL);
    zx_case_events_free(&ev);
    if (!rc) rc = exec_sql(c, "UPDATE portal_message SET reply = ?, replied_by = ?, replied_ms = ? WHERE id = ?", "tIII", reply,
                           r->who.user_id, zx_now_ms(), id);
    if (rc || tell_party(c, case_id, party_id, "承办法官已答复您的留言。", zx_sprintf(r, "reply:message:%lld", (long long)id)) ||
        zx_audit_req(r, c, "portal.reply", "case", case_id, "ok", NULL) || db_commit(c))
        return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- POST /api/v1/portal-inbox/clues/:id/verify ---- */
static void clue_verify(zx_req *r)
{
    int64_t id, case_id, party_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *result = jstr(b, "result"), *note = jstr(b, "note");
    if (!result || (strcmp(result, "found") && strcmp(result, "none")))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "核查结果只能是发现财产（found）或未发现（none）");
    if (!note || !*note || u8len(note) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写核查情况（不超过1000字）");
    db_conn *c = zx_db(r);
    char seqs[24];
    if (row_case(r, c, "SELECT case_id, party_id, CAST(event_seq AS TEXT) FROM portal_clue WHERE id = ?", id, &case_id, &party_id,
                 seqs, sizeof seqs))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, false)) return zx_case_events_free(&ev);
    json_t *ab = json_pack("{s:I,s:s,s:s}", "clue_seq", (json_int_t)atoll(seqs), "result", result, "note", note);
    zx_case_err err = { 0 };
    int64_t eid = 0;
    json_t *docs = json_array();
    int rc = zx_case_action(r, c, &k, &ev, "clue_verified", ab, &eid, docs, &err);
    json_decref(ab);
    json_decref(docs);
    zx_case_events_free(&ev);
    if (rc > 0) {
        db_rollback(c);
        return zx_case_reply_err(r, &err);
    }
    json_decref(err.extra);
    if (rc || tell_party(c, case_id, party_id, !strcmp(result, "found") ? "您提供的财产线索经核查属实，法院将依法采取执行措施。"
                                                                        : "您提供的财产线索已核查完毕。",
                         zx_sprintf(r, "reply:clue:%lld", (long long)id)) ||
        db_commit(c))
        return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "result", result));
}

/* ---- POST /api/v1/portal-inbox/applications/:id/decide ---- */
static void application_decide(zx_req *r)
{
    int64_t id, case_id, party_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *acc = json_object_get(b, "accept");
    const char *opinion = jstr(b, "opinion");
    if (!json_is_boolean(acc)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请选择受理或不予受理");
    if (!opinion || !*opinion || u8len(opinion) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写处理意见（不超过1000字）");
    bool accept = json_is_true(acc);
    db_conn *c = zx_db(r);
    char kind_status[64];
    if (row_case(r, c, "SELECT case_id, party_id, kind || ':' || status FROM portal_application WHERE id = ?", id, &case_id, &party_id,
                 kind_status, sizeof kind_status))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, true)) return zx_case_events_free(&ev);
    if (!strstr(kind_status, ":pending")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "ALREADY_DECIDED", "该申请已处理");
    }
    bool resume = !strncmp(kind_status, "resume:", 7);
    int64_t new_id = 0;
    if (accept && resume) { /* 恢复执行: file the 执恢 case now (立案结案意见 art 6) */
        const char *reason = jstr(b, "reason");
        json_t *rb = json_pack("{s:s}", "reason", reason ? reason : "");
        zx_case_err err = { 0 };
        int rc = zx_case_resume(r, c, case_id, rb, &new_id, &err);
        json_decref(rb);
        if (rc) {
            db_rollback(c);
            zx_case_events_free(&ev);
            if (rc > 0) return zx_case_reply_err(r, &err);
            json_decref(err.extra);
            return dberr(r);
        }
        zx_case_events_free(&ev);
        if (zx_case_load(c, case_id, &k) || zx_case_events_load(c, case_id, &ev)) return dberr(r);
    } else if (accept) { /* 执行异议 (终本异议 or 执行行为异议): file the 执异 case now, its 15-day clock
                          * running (民诉法 art 236; 异议复议规定 art 2) */
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)(strchr(kind_status, ':') - kind_status), kind_status);
        char *reason = NULL;
        db_stmt *q = db_prepare(c, "SELECT reason FROM portal_application WHERE id = ?");
        if (q) {
            db_bind_int64(q, 1, id);
            if (db_step(q) == DB_ROW) reason = zx_strdup(r, db_col_text(q, 0));
            db_finalize(q);
        }
        zx_case_err err = { 0 };
        int rc = zx_case_file_objection(r, c, case_id, kind, reason, &new_id, &err);
        if (rc) {
            db_rollback(c);
            zx_case_events_free(&ev);
            if (rc > 0) return zx_case_reply_err(r, &err);
            json_decref(err.extra);
            return dberr(r);
        }
        zx_case_events_free(&ev);
        if (zx_case_load(c, case_id, &k) || zx_case_events_load(c, case_id, &ev)) return dberr(r);
    }
    int rc = add_event(c, &k, &ev, r->who.user_id, "party_application_decided",
                       json_pack("{s:s,s:b}", "application_id", idstr(r, id), "accepted", accept), NULL);
    zx_case_events_free(&ev);
    if (!rc) rc = exec_sql(c, "UPDATE portal_application SET status = ?, opinion = ?, decided_by = ?, decided_ms = ?, result_case_id = ?"
                              " WHERE id = ?", "ttIINI", accept ? "accepted" : "rejected", opinion, r->who.user_id, zx_now_ms(),
                           new_id, id);
    if (rc || tell_party(c, case_id, party_id, accept ? "您的网上申请已受理。" : "您的网上申请经审查不予受理，理由见平台。",
                         zx_sprintf(r, "reply:application:%lld", (long long)id)) ||
        zx_audit_req(r, c, "portal.application_decide", "case", case_id, "ok",
                     zx_sprintf(r, "{\"application_id\":\"%lld\",\"accepted\":%s}", (long long)id, accept ? "true" : "false")) ||
        db_commit(c))
        return dberr(r);
    json_t *out = json_pack("{s:s}", "status", accept ? "accepted" : "rejected");
    if (new_id) json_object_set_new(out, "new_case_id", json_string(idstr(r, new_id)));
    zx_reply_json(r, 200, out);
}

/* ---- POST /api/v1/portal-inbox/rewards/:id/decide (财产调查规定 arts 21–22) ---- */
static void reward_decide(zx_req *r)
{
    int64_t id, case_id, party_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *ap = json_object_get(b, "approve");
    const char *opinion = jstr(b, "opinion");
    if (!json_is_boolean(ap)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请选择准许或不予准许");
    if (!opinion || !*opinion || u8len(opinion) > 1000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写决定理由（不超过1000字）");
    json_t *pd = json_object_get(b, "publish_days");
    int64_t days = json_is_integer(pd) ? json_integer_value(pd) : 90;
    if (days < 7 || days > 365) return zx_reply_error(r, 400, "VALIDATION_FAILED", "公告期限须为 7–365 日");
    bool approve = json_is_true(ap);
    db_conn *c = zx_db(r);
    char status[16];
    if (row_case(r, c, "SELECT case_id, party_id, status FROM reward_notice WHERE id = ?", id, &case_id, &party_id, status, sizeof status))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, false)) return zx_case_events_free(&ev);
    if (strcmp(status, "applied")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "ALREADY_DECIDED", "该悬赏申请已作出决定");
    }
    int seq = event_seq_of(&ev, "reward_applied", "reward_id", id);
    char today[11], ends[11];
    zx_date_format(zx_today(), today);
    zx_date_format(zx_today() + (int)days, ends);
    int rc = add_event(c, &k, &ev, r->who.user_id, "reward_decided",
                       json_pack("{s:i,s:s,s:b}", "ref_seq", seq, "reward_id", idstr(r, id), "approved", approve), NULL);
    if (!rc && approve)
        rc = add_event(c, &k, &ev, r->who.user_id, "reward_published",
                       json_pack("{s:s,s:s,s:s}", "reward_id", idstr(r, id), "published_on", today, "ends_on", ends), NULL);
    zx_case_events_free(&ev);
    if (!rc) rc = exec_sql(c, "UPDATE reward_notice SET status = ?, opinion = ?, decided_by = ?, decided_ms = ?, published_on = ?,"
                              " ends_on = ? WHERE id = ?", "ttIIttI", approve ? "approved" : "rejected", opinion, r->who.user_id,
                           zx_now_ms(), approve ? today : NULL, approve ? ends : NULL, id);
    if (rc || tell_party(c, case_id, party_id, approve ? "您的悬赏申请已获准许，悬赏公告已在执行公开平台发布。" : "您的悬赏申请未获准许。",
                         zx_sprintf(r, "reply:reward:%lld", (long long)id)) ||
        zx_audit_req(r, c, "portal.reward_decide", "case", case_id, "ok", approve ? "{\"approved\":true}" : "{\"approved\":false}") ||
        db_commit(c))
        return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:s,s:s?}", "status", approve ? "approved" : "rejected", "ends_on", approve ? ends : NULL));
}

/* ---- GET /api/v1/portal-inbox/rewards/:id/tips — identities kept confidential (art 23): handler only ---- */
static void reward_tips(zx_req *r)
{
    int64_t id, case_id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    if (row_case(r, c, "SELECT case_id, 0, '' FROM reward_notice WHERE id = ?", id, &case_id, NULL, NULL, 0)) return;
    zx_case k;
    if (zx_case_load(c, case_id, &k)) return zx_reply_error(r, 404, "NOT_FOUND", "案件不存在");
    if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_WRITE)) return;
    db_stmt *s = db_prepare(c, "SELECT t.id, t.seq, t.name, t.id_number_enc, t.phone_enc, t.clue, t.status, t.recovered_fen, t.reward_fen,"
                               " t.created_ms, p.status FROM reward_tip t LEFT JOIN fund_payout p ON p.id = t.payout_id"
                               " WHERE t.reward_id = ? ORDER BY t.seq");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        char *idn = zx_pii_col_masked(s, 3, ZX_PII_ID_NUMBER), *ph = zx_pii_col(s, 4, ZX_PII_PHONE);
        json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "id", idstr(r, db_col_int64(s, 0)), "seq",
                              (int)db_col_int64(s, 1), "name", db_col_text(s, 2), "id_number", idn ? idn : "", "phone", ph ? ph : "",
                              "clue", db_col_text(s, 5), "status", db_col_text(s, 6), "recovered_fen", (json_int_t)db_col_int64(s, 7),
                              "reward_fen", (json_int_t)db_col_int64(s, 8), "created_ms", (json_int_t)db_col_int64(s, 9));
        json_object_set_new(o, "payout_status", db_col_text(s, 10) ? json_string(db_col_text(s, 10)) : json_null());
        free(idn);
        zx_pii_free(ph);
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    if (db_begin(c) || zx_audit_req(r, c, "portal.reward_tips", "case", case_id, "ok", NULL) || db_commit(c)) {
        json_decref(arr);
        return dberr(r);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "tips", arr));
}

/* ---- POST /api/v1/portal-inbox/tips/:id/assess (财产调查规定 art 24) ---- */
static void tip_assess(zx_req *r)
{
    int64_t id, case_id, reward_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *u = json_object_get(b, "useful"), *rv = json_object_get(b, "recovered_fen");
    if (!json_is_boolean(u)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请认定线索是否使债权得以实现");
    bool useful = json_is_true(u);
    int64_t recovered = json_is_integer(rv) ? json_integer_value(rv) : 0;
    const char *bank = jstr(b, "payee_bank"), *acct = jstr(b, "payee_account");
    if (useful && (recovered <= 0 || !bank || !*bank || !acct || !*acct))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写依该线索执行到位的金额和举报人的收款银行、账号");
    db_conn *c = zx_db(r);
    char st[64];
    if (row_case(r, c, "SELECT t.case_id, t.reward_id, t.status || ':' || t.name FROM reward_tip t WHERE t.id = ?", id, &case_id,
                 &reward_id, st, sizeof st))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, false)) return zx_case_events_free(&ev);
    if (strncmp(st, "registered:", 11)) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "ALREADY_ASSESSED", "该线索已认定");
    }
    const char *tip_name = st + 11;
    int64_t amount = 0, bp = 0, seq = 0;
    db_stmt *s = db_prepare(c, "SELECT n.amount_fen, n.percent_bp, t.seq FROM reward_notice n JOIN reward_tip t ON t.reward_id = n.id"
                               " WHERE t.id = ?");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) amount = db_col_int64(s, 0), bp = db_col_int64(s, 1), seq = db_col_int64(s, 2);
    db_finalize(s);
    int64_t reward = useful ? zx_reward_earned(amount, (int)bp, recovered) : 0;
    int64_t payout_id = 0;
    if (reward > 0) { /* paid from the case account through the ledger, like any payout (approval tiers apply) */
        zx_payout_in in = { .kind = "payout", .payee_name = tip_name, .payee_bank = bank, .payee_account = acct,
                            .amount_fen = reward };
        zx_funds_err fe = { 0 };
        int rc = zx_funds_payout_propose(c, case_id, r->who.user_id, &in, &payout_id, &fe);
        if (rc) {
            db_rollback(c);
            zx_case_events_free(&ev);
            if (rc > 0) return zx_reply_error(r, fe.status, fe.code, "%s", fe.message);
            return dberr(r);
        }
        zx_case_events_free(&ev);
        if (zx_case_load(c, case_id, &k) || zx_case_events_load(c, case_id, &ev)) return dberr(r);
    }
    char amt[ZX_MONEY_BUF];
    zx_money_format(reward, amt);
    int rc = add_event(c, &k, &ev, r->who.user_id, reward > 0 ? "reward_paid" : "reward_tip_assessed",
                       json_pack("{s:s,s:I,s:b,s:I}", "reward_id", idstr(r, reward_id), "tip_seq", (json_int_t)seq, "useful", useful,
                                 "amount_fen", (json_int_t)reward),
                       NULL);
    zx_case_events_free(&ev);
    if (!rc) rc = exec_sql(c, "UPDATE reward_tip SET status = ?, recovered_fen = ?, reward_fen = ?, payout_id = ? WHERE id = ?", "tIINI",
                           reward > 0 ? "rewarded" : (useful ? "useful" : "useless"), recovered, reward, payout_id, id);
    if (rc || zx_audit_req(r, c, "portal.tip_assess", "case", case_id, "ok",
                           zx_sprintf(r, "{\"tip_id\":\"%lld\",\"reward_fen\":%lld}", (long long)id, (long long)reward)) ||
        db_commit(c))
        return dberr(r);
    json_t *out = json_pack("{s:I,s:s}", "reward_fen", (json_int_t)reward, "reward", amt);
    if (payout_id) json_object_set_new(out, "payout_id", json_string(idstr(r, payout_id)));
    zx_reply_json(r, 200, out);
}

/* ---- POST /api/v1/portal-inbox/orders/:id/decide — 律师调查令 ---- */
static void order_decide(zx_req *r)
{
    int64_t id, case_id, lawyer_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *is = json_object_get(b, "issue");
    const char *opinion = jstr(b, "opinion");
    if (!json_is_boolean(is)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请选择签发或不予签发");
    if (!opinion || !*opinion || u8len(opinion) > 500) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写审查意见（不超过500字）");
    bool issue = json_is_true(is);
    db_conn *c = zx_db(r);
    char status[16];
    if (row_case(r, c, "SELECT case_id, lawyer_id, status FROM investigation_order WHERE id = ?", id, &case_id, &lawyer_id, status,
                 sizeof status))
        return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, case_id, &k, &ev, false)) return zx_case_events_free(&ev);
    if (strcmp(status, "pending")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "ALREADY_DECIDED", "该调查令申请已审查");
    }
    json_t *d = json_pack("{s:s,s:b}", "order_id", idstr(r, id), "issued", issue);
    char code[17] = "", until[11] = "";
    if (issue) {
        static const char al[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        uint8_t rnd[16];
        zx_random(rnd, sizeof rnd);
        for (int i = 0; i < 16; i++) code[i] = al[rnd[i] % (sizeof al - 1)];
        zx_date_format(zx_today() + ZX_ORDER_VALID_DAYS, until);
        db_stmt *s = db_prepare(c, "SELECT o.institution, o.scope, l.name, l.firm, l.licence_no, p.name FROM investigation_order o"
                                   " JOIN portal_lawyer l ON l.id = o.lawyer_id JOIN case_party p ON p.id = l.party_id WHERE o.id = ?");
        if (!s) return zx_case_events_free(&ev), dberr(r);
        db_bind_int64(s, 1, id);
        json_t *o = db_step(s) == DB_ROW ? json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "institution", db_col_text(s, 0), "scope",
                                            db_col_text(s, 1), "lawyer_name", db_col_text(s, 2), "firm", db_col_text(s, 3),
                                            "licence_no", db_col_text(s, 4), "party_name", db_col_text(s, 5), "verify_code", code,
                                            "valid_until", until) : NULL;
        if (o) json_object_update(d, o);
        json_decref(o);
        db_finalize(s);
    }
    int64_t eid = 0, doc_id = 0;
    json_t *dcopy = json_deep_copy(d);
    json_decref(d);
    int rc = add_event(c, &k, &ev, r->who.user_id, "investigation_order_decided", dcopy, &eid);
    zx_case_events_free(&ev);
    if (!rc && issue) rc = zx_doc_generate(c, case_id, "investigation_order", eid, &doc_id);
    if (!rc) rc = exec_sql(c, "UPDATE investigation_order SET status = ?, opinion = ?, decided_by = ?, decided_ms = ?, verify_code = ?,"
                              " valid_until = ?, document_id = ? WHERE id = ?", "ttIIttNI", issue ? "issued" : "rejected", opinion,
                           r->who.user_id, zx_now_ms(), issue ? code : NULL, issue ? until : NULL, doc_id, id);
    if (rc || zx_audit_req(r, c, "portal.order_decide", "case", case_id, "ok", issue ? "{\"issued\":true}" : "{\"issued\":false}") ||
        db_commit(c))
        return dberr(r);
    json_t *out = json_pack("{s:s}", "status", issue ? "issued" : "rejected");
    if (issue) {
        json_object_set_new(out, "verify_code", json_string(code));
        json_object_set_new(out, "valid_until", json_string(until));
        json_object_set_new(out, "document_id", json_string(idstr(r, doc_id)));
    }
    zx_reply_json(r, 200, out);
}

/* ---- GET /api/v1/portal-inbox/attachments/:id ---- */
static void staff_attachment(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT a.content, a.content_type, e.court_id, e.handler_id, e.team_id, e.stage, a.case_id"
                               " FROM portal_attachment a JOIN enf_case e ON e.id = a.case_id WHERE a.id = ?");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "附件不存在");
    }
    size_t len = 0;
    const void *p = db_col_blob(s, 0, &len);
    void *copy = zx_alloc(r, len ? len : 1);
    memcpy(copy, p, len);
    const char *type = zx_strdup(r, db_col_text(s, 1)), *stage = zx_strdup(r, db_col_text(s, 5));
    int64_t court = db_col_int64(s, 2), handler = db_col_int64(s, 3), team = db_col_int64(s, 4);
    db_finalize(s);
    if (!zx_authz_case(r, court, handler, team, stage, ZX_CASE_READ)) return;
    zx_reply_raw(r, 200, type, copy, len, "attachment; filename=\"attachment\"");
}

/* ---- lawyers of a case ---- */
static void lawyers_list(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    db_stmt *s = db_prepare(c, "SELECT l.id, l.party_id, p.name, l.name, l.licence_no, l.firm, l.phone_enc, l.status FROM portal_lawyer l"
                               " JOIN case_party p ON p.id = l.party_id WHERE l.case_id = ? ORDER BY l.created_ms");
    if (!s) return dberr(r);
    db_bind_int64(s, 1, id);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        char *ph = zx_pii_col_masked(s, 6, ZX_PII_PHONE);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", idstr(r, db_col_int64(s, 0)), "party_id",
                                             idstr(r, db_col_int64(s, 1)), "party_name", db_col_text(s, 2), "name", db_col_text(s, 3),
                                             "licence_no", db_col_text(s, 4), "firm", db_col_text(s, 5), "phone", ph ? ph : "",
                                             "status", db_col_text(s, 7)));
        free(ph);
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "lawyers", arr));
}

static void lawyer_confirm(zx_req *r)
{
    int64_t id, party_id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *name = jstr(b, "name"), *lic = jstr(b, "licence_no"), *firm = jstr(b, "firm"), *phone = jstr(b, "phone");
    if (!zx_json_get_id(json_object_get(b, "party_id"), &party_id)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请选择被代理的当事人");
    if (!name || !*name || u8len(name) > 40 || !firm || !*firm || u8len(firm) > 60)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写律师姓名和律师事务所");
    if (!zx_lawyer_licence_valid(lic)) return zx_reply_error(r, 400, "INVALID_LICENCE", "律师执业证号须为17位数字");
    if (!phone || strlen(phone) != 11 || phone[0] != '1' || strspn(phone, "0123456789") != 11)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写律师的11位手机号码（用于登录验证码）");
    db_conn *c = zx_db(r);
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, id, &k, &ev, false)) return zx_case_events_free(&ev);
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM case_party WHERE id = ? AND case_id = ? AND role IN ('applicant', 'debtor')");
    int64_t ok = 0;
    if (s) {
        db_bind_int64(s, 1, party_id);
        db_bind_int64(s, 2, id);
        if (db_step(s) == DB_ROW) ok = db_col_int64(s, 0);
        db_finalize(s);
    }
    if (!ok) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "被代理人须为本案申请执行人或被执行人");
    }
    int64_t lid = zx_id_new();
    s = db_prepare(c, "INSERT INTO portal_lawyer (id, case_id, party_id, name, licence_no, firm, phone_enc, status, confirmed_by, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?) ON CONFLICT (case_id, licence_no) DO UPDATE SET"
                      " party_id = excluded.party_id, name = excluded.name, firm = excluded.firm, phone_enc = excluded.phone_enc,"
                      " status = 'confirmed', confirmed_by = excluded.confirmed_by RETURNING id");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, lid);
        db_bind_int64(s, 2, id);
        db_bind_int64(s, 3, party_id);
        db_bind_text(s, 4, name, -1);
        db_bind_text(s, 5, lic, -1);
        db_bind_text(s, 6, firm, -1);
        zx_pii_bind(s, 7, ZX_PII_PHONE, phone);
        db_bind_int64(s, 8, r->who.user_id);
        db_bind_int64(s, 9, zx_now_ms());
        if (db_step(s) == DB_ROW) lid = db_col_int64(s, 0), rc = 0;
        db_finalize(s);
    }
    if (!rc) rc = add_event(c, &k, &ev, r->who.user_id, "lawyer_confirmed",
                            json_pack("{s:s,s:s,s:s,s:s}", "lawyer_id", idstr(r, lid), "name", name, "licence_no", lic, "firm", firm), NULL);
    zx_case_events_free(&ev);
    if (rc || zx_audit_req(r, c, "portal.lawyer_confirm", "case", id, "ok", NULL) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 201, json_pack("{s:s}", "id", idstr(r, lid)));
}

static void lawyer_revoke(zx_req *r)
{
    int64_t id, lid;
    if (!zx_param_id(r, "id", &id) || !zx_param_id(r, "lawyer_id", &lid)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, id, &k, &ev, false)) return zx_case_events_free(&ev);
    int rc = exec_sql(c, "UPDATE portal_lawyer SET status = 'revoked' WHERE id = ? AND case_id = ? AND status = 'confirmed'", "II", lid, id);
    if (!rc) rc = exec_sql(c, "DELETE FROM portal_session WHERE lawyer_id = ?", "I", lid);
    if (!rc) rc = add_event(c, &k, &ev, r->who.user_id, "lawyer_revoked", json_pack("{s:s}", "lawyer_id", idstr(r, lid)), NULL);
    zx_case_events_free(&ev);
    if (rc || zx_audit_req(r, c, "portal.lawyer_revoke", "case", id, "ok", NULL) || db_commit(c)) return dberr(r);
    zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- GET|PUT /api/v1/portal-settings ---- */
static void settings_get(zx_req *r)
{
    zx_portal_settings st;
    if (zx_portal_settings_get(zx_db(r), r->who.court_id, &st)) return dberr(r);
    zx_reply_json(r, 200, zx_portal_settings_json(&st));
}

static void settings_put(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    const char *why = NULL;
    if (db_begin(c)) return dberr(r);
    int rc = zx_portal_settings_put(c, r->who.court_id, r->who.user_id, b, &why);
    if (rc > 0) {
        db_rollback(c);
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "%s", why);
    }
    if (rc || zx_audit_req(r, c, "portal.settings", "court", r->who.court_id, "ok", NULL) || db_commit(c)) return dberr(r);
    settings_get(r);
}

/* One UPDATE/DELETE with typed binds: t text (NULL ok), I int64, N int64 or NULL when 0. */
static int exec_sql(db_conn *c, const char *sql, const char *fmt, ...)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    va_list ap;
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't') db_bind_text(s, i + 1, va_arg(ap, const char *), -1);
        else if (fmt[i] == 'I') db_bind_int64(s, i + 1, va_arg(ap, int64_t));
        else {
            int64_t v = va_arg(ap, int64_t);
            if (v) db_bind_int64(s, i + 1, v);
            else db_bind_null(s, i + 1);
        }
    }
    va_end(ap);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}

#define CASE_STAFF (ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CLERK | ROLE_CHIEF)
static const struct zx_route portal_staff_routes[] = {
    { "GET", "/api/v1/portal-inbox", inbox, ZX_R_USER, CASE_STAFF | ROLE_FILING_CLERK, NULL,
      "当事人来件：留言、财产线索、网上申请、悬赏、律师调查令（本院，按期限排序）" },
    { "POST", "/api/v1/portal-inbox/messages/:id/reply", message_reply, ZX_R_USER, CASE_STAFF, NULL, "答复当事人留言" },
    { "POST", "/api/v1/portal-inbox/clues/:id/verify", clue_verify, ZX_R_USER, CASE_STAFF, NULL, "核查当事人提交的财产线索并答复" },
    { "POST", "/api/v1/portal-inbox/applications/:id/decide", application_decide, ZX_R_USER, CASE_STAFF | ROLE_FILING_CLERK, NULL,
      "处理当事人网上申请（受理恢复执行即立执恢案件，受理执行异议即立执异案件）" },
    { "POST", "/api/v1/portal-inbox/rewards/:id/decide", reward_decide, ZX_R_USER, CASE_STAFF, NULL, "决定是否准许悬赏并发布悬赏公告" },
    { "GET", "/api/v1/portal-inbox/rewards/:id/tips", reward_tips, ZX_R_USER | ZX_R_PII_READ, CASE_STAFF, NULL,
      "悬赏线索登记（含举报人身份，保密）" },
    { "POST", "/api/v1/portal-inbox/tips/:id/assess", tip_assess, ZX_R_USER, CASE_STAFF, NULL,
      "认定悬赏线索；应发悬赏金经案款账户发放（财产调查规定第24条）" },
    { "POST", "/api/v1/portal-inbox/orders/:id/decide", order_decide, ZX_R_USER, CASE_STAFF, NULL, "审查律师调查令申请（签发生成PDF及核验码）" },
    { "GET", "/api/v1/portal-inbox/attachments/:id", staff_attachment, ZX_R_USER, CASE_STAFF | ROLE_FILING_CLERK, NULL, "下载当事人提交的附件" },
    { "GET", "/api/v1/cases/:id/lawyers", lawyers_list, ZX_R_USER, ROLE_BUSINESS, NULL, "案件代理律师（已确认）" },
    { "POST", "/api/v1/cases/:id/lawyers", lawyer_confirm, ZX_R_USER, CASE_STAFF, NULL, "确认律师代理（律师可凭执业证号登录执行公开平台）" },
    { "POST", "/api/v1/cases/:id/lawyers/:lawyer_id/revoke", lawyer_revoke, ZX_R_USER, CASE_STAFF, NULL, "撤销律师代理" },
    { "GET", "/api/v1/portal-settings", settings_get, ZX_R_USER, ROLE_BUSINESS, NULL, "本院执行公开设置：节点短信、留言答复期限" },
    { "PUT", "/api/v1/portal-settings", settings_put, ZX_R_USER, ROLE_CHIEF, NULL, "修改本院节点短信与留言答复期限（院长）" },
};
ZX_ROUTES(portal_staff_routes)
