/* portal_mail.c — what a signed-in party (or its lawyer) sends the court from the portal (issue 15 item 3,
 * 5, 6; docs/api/portal.md):
 *
 *   POST /api/v1/portal/party/messages      {"body"}                        → the handler's to-do, reply clock
 *   POST /api/v1/portal/party/clues         {"description","urgent",attachments} property clue (applicant):
 *                                            the case event property_clue starts the 7-day (urgent 3-day)
 *                                            verification clock (财产调查规定 art 2)
 *   POST /api/v1/portal/party/applications  {"kind","reason",attachments}   恢复执行 / 终本 objection /
 *                                            执行行为异议 → the filing clerks' list with its clock
 *   POST /api/v1/portal/party/rewards       {"amount_fen"|"percent_bp","commitment":true,"publish_days"}
 *                                            悬赏 application (applicant; 财产调查规定 art 21)
 *   POST /api/v1/portal/lawyer/orders       {"institution","scope","reason"} 律师调查令 application (lawyer)
 *   PUT  /api/v1/portal/party/notifications {"opt_out":bool}                stop/restart node SMS (退订)
 *   GET  /api/v1/portal/party/attachments/:id                               an attachment of the own case
 *
 * Attachments: [{"name","content_type","data"(base64)}], at most ZX_ATTACH_MAX, each ≤ ZX_ATTACH_MAX_BYTES,
 * PDF/JPEG/PNG checked by their first bytes. Everything is validated before the one write transaction:
 * row(s) + case event (+ clock) + audit record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "api/portal_party.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/pii.h"
#include "portal/portal.h"
#include "rules/clocks.h"
#include "rules/closure.h"
#include "rules/portal.h"

typedef struct attach {
    char name[128];
    const char *type;
    unsigned char *data;
    size_t len;
} attach;

static void attach_free(attach *a, int n)
{
    for (int i = 0; i < n; i++) free(a[i].data);
}

static const char *sniff(const unsigned char *d, size_t n)
{
    if (n >= 5 && !memcmp(d, "%PDF-", 5)) return "application/pdf";
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
    return NULL;
}

/* Parse body.attachments into a[]; replies 4xx and returns -1 on bad input. */
static int attachments_parse(zx_req *r, json_t *body, attach *a, int *n)
{
    *n = 0;
    json_t *arr = json_object_get(body, "attachments");
    if (!arr || json_is_null(arr)) return 0;
    if (!json_is_array(arr)) return zx_reply_error(r, 400, "BAD_REQUEST", "附件格式不正确"), -1;
    if (json_array_size(arr) > ZX_ATTACH_MAX)
        return zx_reply_error(r, 400, "TOO_MANY_ATTACHMENTS", "附件最多 %d 个", ZX_ATTACH_MAX), -1;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        const char *name = zx_pp_jstr(o, "name"), *type = zx_pp_jstr(o, "content_type"), *b64 = zx_pp_jstr(o, "data");
        if (!name || !*name || strlen(name) > 100 || !type || !b64 || !*b64) {
            attach_free(a, *n);
            return zx_reply_error(r, 400, "BAD_REQUEST", "附件须有文件名、类型和内容"), -1;
        }
        size_t bl = strlen(b64);
        if (bl / 4 * 3 > ZX_ATTACH_MAX_BYTES + 3) {
            attach_free(a, *n);
            return zx_reply_error(r, 413, "ATTACHMENT_TOO_LARGE", "单个附件不得超过 %d KB", ZX_ATTACH_MAX_BYTES / 1024), -1;
        }
        unsigned char *buf = malloc(bl / 4 * 3 + 4);
        int dl = bl % 4 == 0 ? EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)bl) : -1;
        if (dl < 0) {
            free(buf);
            attach_free(a, *n);
            return zx_reply_error(r, 400, "BAD_ATTACHMENT", "附件内容不是有效的 base64 编码"), -1;
        }
        if (bl >= 1 && b64[bl - 1] == '=') dl--;
        if (bl >= 2 && b64[bl - 2] == '=') dl--;
        const char *real = sniff(buf, (size_t)dl);
        if (!real || strcmp(real, type)) {
            free(buf);
            attach_free(a, *n);
            return zx_reply_error(r, 415, "UNSUPPORTED_ATTACHMENT", "附件只能是 PDF、JPEG 或 PNG 文件，且类型须与内容一致"), -1;
        }
        if ((size_t)dl > ZX_ATTACH_MAX_BYTES) {
            free(buf);
            attach_free(a, *n);
            return zx_reply_error(r, 413, "ATTACHMENT_TOO_LARGE", "单个附件不得超过 %d KB", ZX_ATTACH_MAX_BYTES / 1024), -1;
        }
        snprintf(a[*n].name, sizeof a[*n].name, "%s", name);
        a[*n].type = real;
        a[*n].data = buf;
        a[*n].len = (size_t)dl;
        (*n)++;
    }
    return 0;
}

static int attachments_store(db_conn *c, const char *owner_kind, int64_t owner_id, int64_t case_id, attach *a, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t h[ZX_SM3_LEN];
        char hx[ZX_SM3_LEN * 2 + 1];
        zx_sm3(a[i].data, a[i].len, h);
        for (int k = 0; k < ZX_SM3_LEN; k++) snprintf(hx + 2 * k, 3, "%02x", h[k]);
        db_stmt *s = db_prepare(c, "INSERT INTO portal_attachment (id, owner_kind, owner_id, case_id, name, content_type, size, sm3,"
                                   " content, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_id_new());
        db_bind_text(s, 2, owner_kind, -1);
        db_bind_int64(s, 3, owner_id);
        db_bind_int64(s, 4, case_id);
        db_bind_text(s, 5, a[i].name, -1);
        db_bind_text(s, 6, a[i].type, -1);
        db_bind_int64(s, 7, (int64_t)a[i].len);
        db_bind_text(s, 8, hx, -1);
        db_bind_blob(s, 9, a[i].data, a[i].len);
        db_bind_int64(s, 10, zx_now_ms());
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

/* Begin, lock the case row and load it with its events. Replies on failure. */
static bool case_begin(zx_req *r, db_conn *c, int64_t case_id, zx_case *k, zx_case_events *ev)
{
    if (db_begin(c)) return zx_pp_dberr(r), false;
    /* the audit head, then the case row (PostgreSQL; SQLite's BEGIN IMMEDIATE is the one writer): the lock
     * order of every case writer (case_store.c) */
    if (zx_case_lock(c, case_id) || zx_case_load(c, case_id, k) || zx_case_events_load(c, case_id, ev)) return zx_pp_dberr(r), false;
    return true;
}

static int audit_sess(zx_req *r, db_conn *c, const zx_pp_sess *ss, const char *action, const char *detail)
{
    if (!ss->lawyer_id) return zx_pp_audit(r, c, ss->party_id, action, ss->case_id, "ok", detail);
    char who[40], oid[24];
    snprintf(who, sizeof who, "lawyer:%lld", (long long)ss->lawyer_id);
    snprintf(oid, sizeof oid, "%lld", (long long)ss->case_id);
    return zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = who, .action = action, .object_type = "case",
                                              .object_id = oid, .result = "ok", .client_ip = r->client_ip,
                                              .request_id = r->request_id, .detail = detail });
}

static int party_role(db_conn *c, int64_t party_id, char role[16])
{
    db_stmt *s = db_prepare(c, "SELECT role FROM case_party WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, party_id);
    int rc = db_step(s) == DB_ROW ? 0 : 1;
    if (!rc) snprintf(role, 16, "%s", db_col_text(s, 0));
    db_finalize(s);
    return rc;
}

static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* A text field of 1..max characters, or replies 400 → NULL. */
static const char *text_field(zx_req *r, json_t *b, const char *k, size_t max, const char *what)
{
    const char *v = zx_pp_jstr(b, k);
    if (!v || !*v || u8len(v) > max) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写%s（不超过 %zu 字）", what, max);
        return NULL;
    }
    return v;
}

static void reply_created(zx_req *r, int64_t id, const char *due_on)
{
    json_t *o = json_pack("{s:s}", "id", zx_sprintf(r, "%lld", (long long)id));
    if (due_on) json_object_set_new(o, "due_on", json_string(due_on));
    zx_reply_json(r, 201, o);
}

/* ---- POST /api/v1/portal/party/messages ---- */
static void party_message(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *body = text_field(r, b, "body", 1000, "留言内容");
    if (!body) return;
    db_conn *c = zx_db(r);
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, ss.case_id, &k, &ev)) return zx_case_events_free(&ev);
    if (!strcmp(k.status, "closed")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "CASE_CLOSED", "本案已结案，不能再向承办法官留言；如有新的财产线索，请申请恢复执行");
    }
    zx_portal_settings st;
    if (zx_portal_settings_get(c, k.court_id, &st)) {
        zx_case_events_free(&ev);
        return zx_pp_dberr(r);
    }
    char due[11];
    zx_date_format(zx_deadline_message_reply(zx_today(), st.reply_days), due);
    int64_t id = zx_id_new();
    json_t *d = json_pack("{s:s,s:s,s:s}", "message_id", zx_sprintf(r, "%lld", (long long)id), "due_on", due, "from",
                          ss.lawyer_id ? "lawyer" : "party");
    int seq = 0;
    int64_t eid = zx_case_event_add(c, &ev, k.id, 0, "party_message", k.stage, zx_today(), d, &seq);
    json_decref(d);
    int rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO portal_message (id, case_id, court_id, party_id, lawyer_id, body, event_seq,"
                                           " reply_due, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, k.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_int64(s, 4, ss.party_id);
        if (ss.lawyer_id) db_bind_int64(s, 5, ss.lawyer_id);
        else db_bind_null(s, 5);
        db_bind_text(s, 6, body, -1);
        db_bind_int64(s, 7, seq);
        db_bind_text(s, 8, due, -1);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else
        rc = -1;
    if (rc || audit_sess(r, c, &ss, "portal.message", NULL) || db_commit(c)) return zx_pp_dberr(r);
    reply_created(r, id, due);
}

/* ---- POST /api/v1/portal/party/clues ---- */
static void party_clue(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    char role[16] = "";
    if (party_role(c, ss.party_id, role)) return zx_pp_dberr(r);
    if (strcmp(role, "applicant"))
        return zx_reply_error(r, 403, "APPLICANT_ONLY", "财产线索由申请执行人（或其代理律师）提交");
    const char *desc = text_field(r, b, "description", 2000, "财产线索（财产种类、所在地、权属等）");
    if (!desc) return;
    json_t *urg = json_object_get(b, "urgent");
    if (urg && !json_is_boolean(urg)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "urgent 须为 true 或 false");
    bool urgent = json_is_true(urg);
    attach a[ZX_ATTACH_MAX];
    int na = 0;
    if (attachments_parse(r, b, a, &na)) return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, ss.case_id, &k, &ev)) {
        attach_free(a, na);
        return zx_case_events_free(&ev);
    }
    if (!strcmp(k.status, "closed")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        attach_free(a, na);
        return zx_reply_error(r, 409, "CASE_CLOSED", "本案已结案；终结本次执行程序后发现财产的，请提交恢复执行申请并附财产线索");
    }
    /* the clue is the case's own node: its clock is the rule's (财产调查规定 art 2, rules/clocks.c) */
    json_t *ab = json_pack("{s:s,s:b,s:s}", "clue", desc, "urgent", urgent, "note",
                           ss.lawyer_id ? "通过执行公开平台由代理律师提交" : "通过执行公开平台提交");
    zx_case_err err = { 0 };
    int64_t eid = 0;
    json_t *docs = json_array();
    int rc = zx_case_action(r, c, &k, &ev, "property_clue", ab, &eid, docs, &err);
    json_decref(ab);
    json_decref(docs);
    int seq = 0;
    for (int i = 0; i < ev.n; i++)
        if (ev.v[i].id == eid) seq = ev.v[i].seq;
    zx_case_events_free(&ev);
    if (rc) {
        db_rollback(c);
        attach_free(a, na);
        if (rc > 0) return zx_case_reply_err(r, &err);
        json_decref(err.extra);
        return zx_pp_dberr(r);
    }
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO portal_clue (id, case_id, court_id, party_id, lawyer_id, event_seq, urgent, description,"
                               " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, k.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_int64(s, 4, ss.party_id);
        if (ss.lawyer_id) db_bind_int64(s, 5, ss.lawyer_id);
        else db_bind_null(s, 5);
        db_bind_int64(s, 6, seq);
        db_bind_int64(s, 7, urgent);
        db_bind_text(s, 8, desc, -1);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) rc = attachments_store(c, "clue", id, k.id, a, na);
    attach_free(a, na);
    char due[11];
    zx_date_format(zx_deadline_clue(zx_today(), urgent), due);
    if (rc || audit_sess(r, c, &ss, "portal.clue", zx_sprintf(r, "{\"event_seq\":%d,\"attachments\":%d}", seq, na)) ||
        db_commit(c))
        return zx_pp_dberr(r);
    reply_created(r, id, due);
}

/* ---- POST /api/v1/portal/party/applications ---- */
static const struct { const char *kind, *label; bool closed, applicant_only; } app_kinds[] = {
    { "resume", "申请恢复执行", true, true },                    /* 终本规定 art 9; 立案结案意见 art 6 */
    { "interim_objection", "对终结本次执行程序提出异议", true, true }, /* 终本规定 art 7: 执行行为异议 */
    { "act_objection", "执行行为异议", false, false },             /* 民诉法 art 236; 异议复议规定 art 6 */
};

static void party_application(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *kind = zx_pp_jstr(b, "kind");
    int ki = -1;
    for (int i = 0; kind && i < 3; i++)
        if (!strcmp(app_kinds[i].kind, kind)) ki = i;
    if (ki < 0) return zx_reply_error(r, 400, "VALIDATION_FAILED", "申请类型只能是恢复执行、终本异议或执行行为异议");
    const char *reason = text_field(r, b, "reason", 2000, "申请事项和理由");
    if (!reason) return;
    db_conn *c = zx_db(r);
    char role[16] = "";
    if (party_role(c, ss.party_id, role)) return zx_pp_dberr(r);
    if (app_kinds[ki].applicant_only && strcmp(role, "applicant"))
        return zx_reply_error(r, 403, "APPLICANT_ONLY", "%s由申请执行人提出", app_kinds[ki].label);
    attach a[ZX_ATTACH_MAX];
    int na = 0;
    if (attachments_parse(r, b, a, &na)) return;
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, ss.case_id, &k, &ev)) {
        attach_free(a, na);
        return zx_case_events_free(&ev);
    }
    const char *why = NULL;
    bool closed = !strcmp(k.status, "closed");
    if (app_kinds[ki].closed && !closed) why = "本案尚未结案，不能提出该申请";
    else if (!app_kinds[ki].closed && closed) why = "本案执行程序已终结，执行行为异议应在执行程序终结前提出（异议复议规定第6条）";
    else if (ki == 1 && strcmp(k.closure_mode, "interim_closure")) why = "本案不是以终结本次执行程序方式结案";
    else if (ki == 0) {
        json_t *rs = zx_case_allowed_resume_reasons(&k, &ev);
        if (!json_array_size(rs)) why = "本案的结案方式不允许恢复执行";
        json_decref(rs);
    }
    if (!why) { /* one open application of a kind at a time */
        db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM portal_application WHERE case_id = ? AND party_id = ? AND kind = ?"
                                   " AND status = 'pending'");
        if (s) {
            db_bind_int64(s, 1, k.id);
            db_bind_int64(s, 2, ss.party_id);
            db_bind_text(s, 3, kind, -1);
            if (db_step(s) == DB_ROW && db_col_int64(s, 0) > 0) why = "您的同类申请尚在处理中";
            db_finalize(s);
        }
    }
    if (why) {
        db_rollback(c);
        zx_case_events_free(&ev);
        attach_free(a, na);
        return zx_reply_error(r, 409, "APPLICATION_NOT_ALLOWED", "%s", why);
    }
    char due[11];
    zx_date_format(zx_deadline_application(kind, zx_today()), due);
    int64_t id = zx_id_new();
    json_t *d = json_pack("{s:s,s:s,s:s}", "application_id", zx_sprintf(r, "%lld", (long long)id), "kind", kind, "due_on", due);
    int64_t eid = zx_case_event_add(c, &ev, k.id, 0, "party_application", k.stage, zx_today(), d, NULL);
    json_decref(d);
    zx_case_events_free(&ev);
    int rc = eid < 0 ? -1 : 0;
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO portal_application (id, case_id, court_id, party_id, lawyer_id, kind, reason,"
                                           " status, due_on, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, k.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_int64(s, 4, ss.party_id);
        if (ss.lawyer_id) db_bind_int64(s, 5, ss.lawyer_id);
        else db_bind_null(s, 5);
        db_bind_text(s, 6, kind, -1);
        db_bind_text(s, 7, reason, -1);
        db_bind_text(s, 8, due, -1);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else
        rc = -1;
    if (!rc) rc = attachments_store(c, "application", id, k.id, a, na);
    attach_free(a, na);
    if (rc || audit_sess(r, c, &ss, "portal.application", zx_sprintf(r, "{\"kind\":\"%s\"}", kind)) || db_commit(c))
        return zx_pp_dberr(r);
    reply_created(r, id, due);
}

/* ---- POST /api/v1/portal/party/rewards — 悬赏 application (财产调查规定 art 21) ---- */
static void party_reward(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    char role[16] = "";
    if (party_role(c, ss.party_id, role)) return zx_pp_dberr(r);
    if (strcmp(role, "applicant")) return zx_reply_error(r, 403, "APPLICANT_ONLY", "悬赏由申请执行人申请");
    json_t *am = json_object_get(b, "amount_fen"), *pc = json_object_get(b, "percent_bp");
    int64_t amount = json_is_integer(am) ? json_integer_value(am) : 0, bp = json_is_integer(pc) ? json_integer_value(pc) : 0;
    if ((amount > 0) == (bp > 0) || amount < 0 || bp < 0 || bp > 10000 || amount > 100000000000LL)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写悬赏金数额或按执行到位金额计算的比例（二者选一，财产调查规定第21条）");
    if (!json_is_true(json_object_get(b, "commitment")))
        return zx_reply_error(r, 400, "COMMITMENT_REQUIRED", "须承诺：线索使债权全部或部分实现时自愿支付悬赏金（财产调查规定第21条）");
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, ss.case_id, &k, &ev)) return zx_case_events_free(&ev);
    const char *why = !strcmp(k.status, "closed") ? "本案已结案" : NULL;
    if (!why) {
        db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM reward_notice WHERE case_id = ? AND status IN ('applied', 'approved')");
        if (s) {
            db_bind_int64(s, 1, k.id);
            if (db_step(s) == DB_ROW && db_col_int64(s, 0) > 0) why = "本案已有待决定或正在公告的悬赏";
            db_finalize(s);
        }
    }
    if (why) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "REWARD_NOT_ALLOWED", "%s", why);
    }
    char due[11];
    zx_date_format(zx_deadline_reward_decision(zx_today()), due);
    int64_t id = zx_id_new();
    json_t *d = json_pack("{s:s,s:s,s:I,s:I}", "reward_id", zx_sprintf(r, "%lld", (long long)id), "due_on", due, "amount_fen",
                          (json_int_t)amount, "percent_bp", (json_int_t)bp);
    int64_t eid = zx_case_event_add(c, &ev, k.id, 0, "reward_applied", k.stage, zx_today(), d, NULL);
    json_decref(d);
    int rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO reward_notice (id, case_id, court_id, party_id, amount_fen, percent_bp, commitment,"
                                           " status, due_on, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'applied', ?, ?)");
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, k.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_int64(s, 4, ss.party_id);
        db_bind_int64(s, 5, amount);
        db_bind_int64(s, 6, bp);
        db_bind_text(s, 7, "有关人员提供人民法院尚未掌握的财产线索，使本人债权得以全部或部分实现时，自愿支付悬赏金", -1);
        db_bind_text(s, 8, due, -1);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else
        rc = -1;
    if (rc || audit_sess(r, c, &ss, "portal.reward_apply", NULL) || db_commit(c)) return zx_pp_dberr(r);
    reply_created(r, id, due);
}

/* ---- POST /api/v1/portal/lawyer/orders — 律师调查令 application (lawyer session) ---- */
static void lawyer_order(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    if (!ss.lawyer_id) return zx_reply_error(r, 403, "LAWYER_ONLY", "律师调查令由代理律师以执业证号登录后申请");
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *inst = text_field(r, b, "institution", 60, "被调查单位");
    if (!inst) return;
    const char *scope = text_field(r, b, "scope", 200, "调查事项（须与本案执行有关）");
    if (!scope) return;
    const char *reason = text_field(r, b, "reason", 500, "申请理由");
    if (!reason) return;
    db_conn *c = zx_db(r);
    zx_case k;
    zx_case_events ev = { 0 };
    if (!case_begin(r, c, ss.case_id, &k, &ev)) return zx_case_events_free(&ev);
    if (!strcmp(k.status, "closed")) {
        db_rollback(c);
        zx_case_events_free(&ev);
        return zx_reply_error(r, 409, "CASE_CLOSED", "本案已结案，不能申请律师调查令");
    }
    int64_t id = zx_id_new();
    char due[11];
    zx_date_format(zx_cal_add_working_days(zx_today(), ZX_REPLY_DAYS_DEFAULT), due);
    json_t *d = json_pack("{s:s,s:s}", "order_id", zx_sprintf(r, "%lld", (long long)id), "institution", inst);
    int64_t eid = zx_case_event_add(c, &ev, k.id, 0, "investigation_order_applied", k.stage, zx_today(), d, NULL);
    json_decref(d);
    zx_case_events_free(&ev);
    db_stmt *s = eid < 0 ? NULL : db_prepare(c, "INSERT INTO investigation_order (id, case_id, court_id, lawyer_id, institution, scope,"
                                                " reason, status, due_on, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, k.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_int64(s, 4, ss.lawyer_id);
        db_bind_text(s, 5, inst, -1);
        db_bind_text(s, 6, scope, -1);
        db_bind_text(s, 7, reason, -1);
        db_bind_text(s, 8, due, -1);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (rc || audit_sess(r, c, &ss, "portal.order_apply", NULL) || db_commit(c)) return zx_pp_dberr(r);
    reply_created(r, id, due);
}

/* ---- PUT /api/v1/portal/party/notifications {"opt_out":bool} ---- */
static void party_optout(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *v = json_object_get(b, "opt_out");
    if (!json_is_boolean(v)) return zx_reply_error(r, 400, "VALIDATION_FAILED", "opt_out 须为 true 或 false");
    if (ss.lawyer_id) return zx_reply_error(r, 403, "PARTY_ONLY", "短信通知的退订由当事人本人办理");
    db_conn *c = zx_db(r);
    if (db_begin(c) || zx_portal_optout_set(c, ss.case_id, ss.party_id, json_is_true(v)) ||
        audit_sess(r, c, &ss, json_is_true(v) ? "portal.sms_optout" : "portal.sms_optin", NULL) || db_commit(c))
        return zx_pp_dberr(r);
    zx_reply_json(r, 200, json_pack("{s:b}", "opted_out", json_is_true(v)));
}

/* ---- GET /api/v1/portal/party/attachments/:id ---- */
static void party_attachment(zx_req *r)
{
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    /* only the session's case, and there what this party may see: a clue's files the applicant's side only, an
     * application's files the party who filed it */
    db_stmt *s = db_prepare(c, "SELECT a.content, a.content_type FROM portal_attachment a JOIN case_party me ON me.id = ?"
                               " WHERE a.id = ? AND a.case_id = ? AND ((a.owner_kind = 'clue' AND me.role = 'applicant')"
                               " OR (a.owner_kind = 'application' AND EXISTS (SELECT 1 FROM portal_application x"
                               " WHERE x.id = a.owner_id AND x.party_id = me.id)))");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, ss.party_id);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, ss.case_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "附件不存在");
    }
    size_t len = 0;
    const void *p = db_col_blob(s, 0, &len);
    void *copy = zx_alloc(r, len ? len : 1);
    memcpy(copy, p, len);
    const char *type = zx_strdup(r, db_col_text(s, 1));
    db_finalize(s);
    zx_reply_raw(r, 200, type, copy, len, "attachment; filename=\"attachment\"");
}

/* ---- the portal's parts of "my case" ---- */
static json_t *attachments_json(zx_req *r, db_conn *c, const char *kind, int64_t owner)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, name, size, content_type FROM portal_attachment WHERE owner_kind = ? AND owner_id = ? ORDER BY id");
    if (!s) return arr;
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, owner);
    while (db_step(s) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:s}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                                             "name", db_col_text(s, 1), "size", (json_int_t)db_col_int64(s, 2),
                                             "content_type", db_col_text(s, 3)));
    db_finalize(s);
    return arr;
}

static json_t *ms_or_null(db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_integer(db_col_int64(s, col));
}

int zx_pp_case_extras(zx_req *r, db_conn *c, const zx_pp_sess *ss, const char *role, json_t *out)
{
    bool applicant = !strcmp(role, "applicant");
    /* messages */
    json_t *msgs = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, body, created_ms, reply_due, reply, replied_ms FROM portal_message WHERE case_id = ?"
                               " AND party_id = ? ORDER BY created_ms");
    if (!s) return json_decref(msgs), -1;
    db_bind_int64(s, 1, ss->case_id);
    db_bind_int64(s, 2, ss->party_id);
    while (db_step(s) == DB_ROW) {
        json_t *o = json_pack("{s:s,s:s,s:I,s:s}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)), "body",
                              db_col_text(s, 1), "created_ms", (json_int_t)db_col_int64(s, 2), "reply_due", db_col_text(s, 3));
        json_object_set_new(o, "reply", db_col_text(s, 4) ? json_string(db_col_text(s, 4)) : json_null());
        json_object_set_new(o, "replied_ms", ms_or_null(s, 5));
        json_array_append_new(msgs, o);
    }
    db_finalize(s);
    json_object_set_new(out, "messages", msgs);
    /* clues: the applicant's (and its lawyer's) only — the debtor is never told where the court is pointed to look
     * (it could move the property); the verification comes from the case's own clue_verified event */
    json_t *clues = json_array();
    s = !applicant ? NULL : db_prepare(c, "SELECT p.id, p.description, p.urgent, p.created_ms, p.event_seq, d.due_on, d.done FROM portal_clue p"
                      " LEFT JOIN case_deadline d ON d.case_id = p.case_id AND d.kind = 'clue_verify' AND d.ref = p.event_seq"
                      " WHERE p.case_id = ? ORDER BY p.created_ms");
    if (!s && applicant) return json_decref(clues), -1;
    if (s) db_bind_int64(s, 1, ss->case_id);
    while (s && db_step(s) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        json_t *o = json_pack("{s:s,s:s,s:b,s:I,s:i}", "id", zx_sprintf(r, "%lld", (long long)id), "description", db_col_text(s, 1),
                              "urgent", db_col_int64(s, 2) != 0, "created_ms", (json_int_t)db_col_int64(s, 3), "event_seq",
                              (int)db_col_int64(s, 4));
        json_object_set_new(o, "due_on", db_col_text(s, 5) ? json_string(db_col_text(s, 5)) : json_null());
        json_array_append_new(clues, o);
    }
    if (s) db_finalize(s);
    size_t i;
    json_t *o;
    json_array_foreach(clues, i, o) { /* the answer: the clue_verified event that names this clue */
        json_object_set_new(o, "status", json_string("pending"));
        json_object_set_new(o, "attachments", attachments_json(r, c, "clue", strtoll(json_string_value(json_object_get(o, "id")), NULL, 10)));
        s = db_prepare(c, "SELECT on_date, data FROM case_event WHERE case_id = ? AND kind = 'clue_verified' ORDER BY seq");
        if (!s) continue;
        db_bind_int64(s, 1, ss->case_id);
        while (db_step(s) == DB_ROW) {
            json_t *d = json_loads(db_col_text(s, 1) ? db_col_text(s, 1) : "{}", 0, NULL);
            if (json_integer_value(json_object_get(d, "clue_seq")) == json_integer_value(json_object_get(o, "event_seq"))) {
                const char *res = json_string_value(json_object_get(d, "result"));
                json_object_set_new(o, "status", json_string(res && !strcmp(res, "found") ? "found" : "none"));
                json_object_set_new(o, "answered_on", json_string(db_col_text(s, 0)));
                json_t *note = json_object_get(d, "note");
                json_object_set(o, "answer", json_is_string(note) ? note : json_null());
            }
            json_decref(d);
        }
        db_finalize(s);
    }
    json_object_set_new(out, "clues", clues);
    /* applications */
    json_t *apps = json_array();
    s = db_prepare(c, "SELECT a.id, a.kind, a.reason, a.status, a.due_on, a.opinion, a.created_ms, n.case_no FROM portal_application a"
                      " LEFT JOIN enf_case n ON n.id = a.result_case_id WHERE a.case_id = ? AND a.party_id = ? ORDER BY a.created_ms");
    if (!s) return -1;
    db_bind_int64(s, 1, ss->case_id);
    db_bind_int64(s, 2, ss->party_id);
    while (db_step(s) == DB_ROW) {
        o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)), "kind",
                      db_col_text(s, 1), "reason", db_col_text(s, 2), "status", db_col_text(s, 3), "due_on", db_col_text(s, 4),
                      "created_ms", (json_int_t)db_col_int64(s, 6));
        json_object_set_new(o, "opinion", db_col_text(s, 5) ? json_string(db_col_text(s, 5)) : json_null());
        json_object_set_new(o, "new_case_no", db_col_text(s, 7) ? json_string(db_col_text(s, 7)) : json_null());
        json_array_append_new(apps, o);
    }
    db_finalize(s);
    json_object_set_new(out, "applications", apps);
    /* 悬赏 (the applicant's) */
    if (applicant) {
        json_t *rw = json_array();
        s = db_prepare(c, "SELECT n.id, n.status, n.amount_fen, n.percent_bp, n.due_on, n.published_on, n.ends_on, n.opinion,"
                          " (SELECT COUNT(*) FROM reward_tip t WHERE t.reward_id = n.id),"
                          " (SELECT COALESCE(SUM(t.reward_fen), 0) FROM reward_tip t WHERE t.reward_id = n.id AND t.payout_id IS NOT NULL)"
                          " FROM reward_notice n WHERE n.case_id = ? ORDER BY n.created_ms");
        if (!s) return -1;
        db_bind_int64(s, 1, ss->case_id);
        while (db_step(s) == DB_ROW) {
            o = json_pack("{s:s,s:s,s:I,s:i,s:s,s:I,s:I}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)), "status",
                          db_col_text(s, 1), "amount_fen", (json_int_t)db_col_int64(s, 2), "percent_bp", (int)db_col_int64(s, 3),
                          "due_on", db_col_text(s, 4), "tips", (json_int_t)db_col_int64(s, 8), "reward_paid_fen",
                          (json_int_t)db_col_int64(s, 9));
            json_object_set_new(o, "published_on", db_col_text(s, 5) ? json_string(db_col_text(s, 5)) : json_null());
            json_object_set_new(o, "ends_on", db_col_text(s, 6) ? json_string(db_col_text(s, 6)) : json_null());
            json_object_set_new(o, "opinion", db_col_text(s, 7) ? json_string(db_col_text(s, 7)) : json_null());
            json_array_append_new(rw, o);
        }
        db_finalize(s);
        json_object_set_new(out, "rewards", rw);
    }
    /* the lawyer acting, and their investigation orders */
    if (ss->lawyer_id) {
        s = db_prepare(c, "SELECT name, firm FROM portal_lawyer WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, ss->lawyer_id);
        if (db_step(s) == DB_ROW)
            json_object_set_new(out, "lawyer", json_pack("{s:s,s:s}", "name", db_col_text(s, 0), "firm", db_col_text(s, 1)));
        db_finalize(s);
        json_t *ords = json_array();
        s = db_prepare(c, "SELECT id, institution, scope, status, due_on, verify_code, valid_until, document_id, opinion, created_ms"
                          " FROM investigation_order WHERE case_id = ? AND lawyer_id = ? ORDER BY created_ms");
        if (!s) return -1;
        db_bind_int64(s, 1, ss->case_id);
        db_bind_int64(s, 2, ss->lawyer_id);
        while (db_step(s) == DB_ROW) {
            o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)), "institution",
                          db_col_text(s, 1), "scope", db_col_text(s, 2), "status", db_col_text(s, 3), "due_on", db_col_text(s, 4),
                          "created_ms", (json_int_t)db_col_int64(s, 9));
            json_object_set_new(o, "verify_code", db_col_text(s, 5) ? json_string(db_col_text(s, 5)) : json_null());
            json_object_set_new(o, "valid_until", db_col_text(s, 6) ? json_string(db_col_text(s, 6)) : json_null());
            json_object_set_new(o, "document_id", db_col_is_null(s, 7) ? json_null()
                                                                       : json_string(zx_sprintf(r, "%lld", (long long)db_col_int64(s, 7))));
            json_object_set_new(o, "opinion", db_col_text(s, 8) ? json_string(db_col_text(s, 8)) : json_null());
            json_array_append_new(ords, o);
        }
        db_finalize(s);
        json_object_set_new(out, "orders", ords);
    }
    int oo = zx_portal_optout_get(c, ss->case_id, ss->party_id);
    if (oo < 0) return -1;
    json_object_set_new(out, "sms_opted_out", json_boolean(oo == 1));
    /* what this party may send now */
    const char *status = json_string_value(json_object_get(out, "status"));
    bool closed = status && !strcmp(status, "closed");
    json_t *can = json_pack("{s:b,s:b,s:b,s:b}", "message", !closed, "clue", !closed && applicant, "reward", !closed && applicant,
                            "order", !closed && ss->lawyer_id > 0);
    json_t *kinds = json_array();
    for (int k = 0; k < 3; k++)
        if (app_kinds[k].closed == closed && (!app_kinds[k].applicant_only || applicant)) json_array_append_new(kinds, json_string(app_kinds[k].kind));
    json_object_set_new(can, "applications", kinds);
    json_object_set_new(out, "can", can);
    return 0;
}

static const struct zx_route portal_mail_routes[] = {
    { "POST", "/api/v1/portal/party/messages", party_message, ZX_R_PUBLIC, 0, NULL, "当事人：给承办法官留言（进入法官待办，有答复期限）" },
    { "POST", "/api/v1/portal/party/clues", party_clue, ZX_R_PUBLIC, 0, NULL,
      "申请执行人：提交财产线索及附件（7日、紧急3日内核查，财产调查规定第2条）" },
    { "POST", "/api/v1/portal/party/applications", party_application, ZX_R_PUBLIC, 0, NULL,
      "当事人：网上提交恢复执行申请、终本异议、执行行为异议" },
    { "POST", "/api/v1/portal/party/rewards", party_reward, ZX_R_PUBLIC, 0, NULL, "申请执行人：申请悬赏（财产调查规定第21条）" },
    { "POST", "/api/v1/portal/lawyer/orders", lawyer_order, ZX_R_PUBLIC, 0, NULL, "代理律师：申请律师调查令" },
    { "PUT", "/api/v1/portal/party/notifications", party_optout, ZX_R_PUBLIC, 0, NULL, "当事人：退订或恢复案件节点短信" },
    { "GET", "/api/v1/portal/party/attachments/:id", party_attachment, ZX_R_PUBLIC, 0, NULL, "当事人：下载本案已提交的附件" },
};
ZX_ROUTES(portal_mail_routes)
