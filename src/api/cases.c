/* api/cases.c — the cases API (docs/api/cases.md): filing, bulk filing, assignment, actions, closure,
 * resumption, search, case page, timeline, documents, to-do and overdue lists, triage settings.
 * Handlers parse and check access (zx_authz_case); the case service (src/case/) does the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/case_access.h"
#include "core/pii.h"
#include "account/authz.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "case/case.h"
#include "command/command.h"
#include "case/case_approvals.h"
#include "case/case_offer.h"
#include "api/case_export.h"
#include "api/case_seq_query.h"
#include "case/documents.h"
#include "rules/case_no.h"
#include "rules/closure.h"
#include "rules/clocks.h"
#include "rules/id_number.h"
#include "rules/triage.h"

#define MAX_COURTS 4096

static void reply_dberr(zx_req *r, db_conn *c)
{
    zx_reply_error(r, 500, "DB_ERROR", "数据库错误：%s", db_errmsg(c));
}

/* Begin a write transaction and take the case's lock — the audit head, then the case row (PostgreSQL; SQLite
 * has one writer): the order of every case writer (case_store.c) — then re-read it. */
static bool begin_locked(zx_req *r, db_conn *c, zx_case *k)
{
    if (db_begin(c)) {
        reply_dberr(r, c);
        return false;
    }
    if (zx_case_lock(c, k->id) != 0 || zx_case_load(c, k->id, k) != 0) {
        reply_dberr(r, c);
        db_rollback(c);
        return false;
    }
    return true;
}

static bool caller_unmasks(zx_req *r, const zx_case *k)
{
    /* Full ID numbers for the people who handle the case: handler and team members. */
    if (k->handler_id && k->handler_id == r->who.user_id) return true;
    if (k->team_id && zx_team_has_member(zx_db(r), k->team_id, r->who.user_id)) return true;
    return false;
}

static void reply_case(zx_req *r, int status, int64_t id, json_t *extra)
{
    db_conn *c = zx_db(r);
    zx_case k;
    bool unmask = zx_case_load(c, id, &k) == 0 && caller_unmasks(r, &k);
    json_t *o = zx_case_json(c, id, unmask, &r->who);
    if (!o) {
        json_decref(extra);
        reply_dberr(r, c);
        return;
    }
    zx_case_offer(c, &k, o, &r->who); /* what this caller may do now (case_offer.h) */
    if (extra) {
        json_object_set_new(extra, "case", o);
        zx_reply_json(r, status, extra);
        return;
    }
    zx_reply_json(r, status, o);
}

/* ------------------------------------------------------------------ filing */
static void case_file(zx_req *r)
{
    json_t *body = zx_body_json(r);
    if (!body) return;
    db_conn *c = zx_db(r);
    int64_t id = 0;
    json_t *warnings = NULL, *fields = NULL;
    zx_case_err err = { 0 };
    int rc = -1;
    /* A filing PostgreSQL ends as a deadlock victim (a concurrent writer of the court's roll-up rows or
     * sequence) is filed again, as PostgreSQL's manual asks; nothing of the failed attempt was committed. */
    for (int attempt = 0; attempt < 3; attempt++) {
        if (db_begin(c)) return reply_dberr(r, c);
        rc = zx_case_file(r, c, body, &id, &warnings, &fields, &err);
        if (rc >= 0) break;
        const char *m = db_errmsg(c);
        bool victim = !err.code && m && (strstr(m, "deadlock detected") || strstr(m, "could not serialize"));
        if (!victim || attempt == 2) break;
        db_rollback(c);
        json_decref(warnings);
        json_decref(fields);
        warnings = fields = NULL;
        usleep((useconds_t)(20000 * (attempt + 1)));
    }
    if (rc == 1) {
        db_rollback(c);
        zx_reply_error_ex(r, 400, "VALIDATION_FAILED", "立案信息有误", json_pack("{s:o}", "fields", fields));
        return;
    }
    if (rc < 0 || db_commit(c)) {
        db_rollback(c);
        json_decref(warnings);
        if (!err.code) zx_case_err_set(&err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
        zx_case_reply_err(r, &err);
        return;
    }
    json_t *o = zx_case_json(c, id, true, &r->who);
    if (!o) {
        json_decref(warnings);
        return reply_dberr(r, c);
    }
    json_object_set_new(o, "warnings", warnings);
    zx_reply_json(r, 201, o);
}

static void case_file_bulk(zx_req *r)
{
    json_t *body = zx_body_json(r);
    if (!body) return;
    json_t *arr = json_object_get(body, "cases");
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 500) {
        zx_reply_error_ex(r, 400, "VALIDATION_FAILED", "cases 应为 1–500 个立案信息的数组",
                          json_pack("{s:[{s:s,s:s,s:s}]}", "fields", "field", "cases", "code", "REQUIRED", "message",
                                    "必填"));
        return;
    }
    db_conn *c = zx_db(r);
    if (db_begin(c)) return reply_dberr(r, c);
    json_t *errors = json_array(), *ids = json_array(), *warns = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        int64_t id = 0;
        json_t *w = NULL, *fields = NULL;
        zx_case_err err = { 0 };
        int rc;
        if (!json_is_object(item)) {
            fields = json_array();
            zx_case_field_err(fields, "", "INVALID", "应为对象");
            rc = 1;
        } else rc = zx_case_file(r, c, item, &id, &w, &fields, &err);
        if (rc == 1) {
            json_array_append_new(errors, json_pack("{s:i,s:o}", "index", (int)i, "fields", fields));
            continue;
        }
        if (rc < 0) {
            db_rollback(c);
            json_decref(errors), json_decref(ids), json_decref(warns), json_decref(w);
            zx_case_reply_err(r, &err);
            return;
        }
        json_array_append_new(ids, json_integer(id));
        json_array_append_new(warns, w);
    }
    if (json_array_size(errors)) {
        db_rollback(c); /* all-or-nothing */
        json_decref(ids), json_decref(warns);
        zx_reply_error_ex(r, 400, "VALIDATION_FAILED", "批量立案有误，未立任何案件",
                          json_pack("{s:o}", "items", errors));
        return;
    }
    json_decref(errors);
    if (db_commit(c)) {
        json_decref(ids), json_decref(warns);
        return reply_dberr(r, c);
    }
    json_t *items = json_array();
    json_array_foreach(ids, i, item) {
        json_t *o = zx_case_json(c, json_integer_value(item), true, &r->who);
        if (o) {
            json_object_set(o, "warnings", json_array_get(warns, i));
            json_array_append_new(items, o);
        }
    }
    json_decref(ids), json_decref(warns);
    zx_reply_json(r, 201, json_pack("{s:o}", "items", items));
}

/* ------------------------------------------------------------------ writes on one case */
static void case_assign(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *body = zx_body_json(r);
    if (!body) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, NULL)) return;
    if (!begin_locked(r, c, &k)) return;
    zx_case_err err = { 0 };
    if (zx_case_assign(r, c, &k, body, &err) || db_commit(c)) {
        db_rollback(c);
        if (!err.code) zx_case_err_set(&err, 500, "DB_ERROR", "保存失败");
        zx_case_reply_err(r, &err);
        return;
    }
    reply_case(r, 200, id, NULL);
}

static void case_action(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    const char *kind = zx_param(r, "kind");
    if (!zx_case_action_known(kind)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "未知的操作类型");
        return;
    }
    json_t *body = zx_body_json(r);
    if (!body) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, NULL)) return;
    if (!begin_locked(r, c, &k)) return;
    zx_case_events ev;
    if (zx_case_events_load(c, id, &ev)) {
        db_rollback(c);
        return reply_dberr(r, c);
    }
    zx_case_err err = { 0 };
    int64_t eid = 0;
    json_t *docs = json_array();
    int rc = zx_case_action(r, c, &k, &ev, kind, body, &eid, docs, &err);
    /* actions that need the 院长's signature: to the approval inbox (src/case/case_approvals.c) */
    int64_t aid = rc == 1 ? zx_case_approval_route(r, c, &k, kind, body, &err) : 0;
    if (aid > 0 && db_commit(c) == 0) {
        zx_case_events_free(&ev);
        json_decref(docs);
        reply_case(r, 202, id, json_pack("{s:{s:o,s:s}}", "approval", "id", zx_json_id(aid), "status", "pending"));
        return;
    }
    if (rc == 0 && zx_case_approval_after(r, c, &k, kind, body, eid, &err) != 0) rc = 1;
    json_t *evj = NULL;
    for (int i = 0; rc == 0 && i < ev.n; i++)
        if (ev.v[i].id == eid) evj = zx_case_event_json(c, &ev.v[i]);
    zx_case_events_free(&ev);
    if (rc || db_commit(c)) {
        db_rollback(c);
        json_decref(docs);
        json_decref(evj);
        if (!err.code) zx_case_err_set(&err, 500, "DB_ERROR", "保存失败");
        zx_case_reply_err(r, &err);
        return;
    }
    reply_case(r, 200, id, json_pack("{s:o,s:o}", "event", evj ? evj : json_null(), "documents", docs));
}

static void case_close(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *body = zx_body_json(r);
    if (!body) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, NULL)) return;
    if (!begin_locked(r, c, &k)) return;
    zx_case_events ev;
    if (zx_case_events_load(c, id, &ev)) {
        db_rollback(c);
        return reply_dberr(r, c);
    }
    zx_case_err err = { 0 };
    json_t *docs = json_array();
    int rc = zx_case_close(r, c, &k, &ev, body, docs, &err);
    zx_case_events_free(&ev);
    if (rc || db_commit(c)) {
        db_rollback(c);
        json_decref(docs);
        if (!err.code) zx_case_err_set(&err, 500, "DB_ERROR", "保存失败");
        zx_case_reply_err(r, &err);
        return;
    }
    reply_case(r, 200, id, json_pack("{s:o}", "documents", docs));
}

static void case_resume(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *body = zx_body_json(r);
    if (!body) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_WRITE, NULL)) return;
    if (!begin_locked(r, c, &k)) return;
    zx_case_err err = { 0 };
    int64_t nid = 0;
    if (zx_case_resume(r, c, id, body, &nid, &err) || db_commit(c)) {
        db_rollback(c);
        if (!err.code) zx_case_err_set(&err, 500, "DB_ERROR", "保存失败");
        zx_case_reply_err(r, &err);
        return;
    }
    json_t *o = zx_case_json(c, nid, true, &r->who);
    if (!o) return reply_dberr(r, c);
    zx_reply_json(r, 201, o);
}

/* ------------------------------------------------------------------ reads on one case */
static void case_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    bool unmask = caller_unmasks(r, &k);
    const char *um = zx_query(r, "unmask");
    if (um && !strcmp(um, "0")) unmask = false;
    json_t *o = zx_case_json(c, id, unmask, &r->who);
    if (!o) return reply_dberr(r, c);
    zx_case_offer(c, &k, o, &r->who); /* what this caller may do now (case_offer.h) */
    if (unmask) {
        /* Full ID numbers shown: sensitive read, audited (security.md; ARCHITECTURE decision 7). */
        if (zx_audit_req_tx(r, "pii.read", "case", id, "ok", "{\"fields\":[\"id_number\",\"phone\"]}")) {
            json_decref(o);
            return reply_dberr(r, c);
        }
    }
    zx_reply_json(r, 200, o);
}

static void case_events(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    zx_case_events ev;
    if (zx_case_events_load(c, id, &ev)) return reply_dberr(r, c);
    json_t *arr = json_array();
    for (int i = 0; i < ev.n; i++) json_array_append_new(arr, zx_case_event_json(c, &ev.v[i]));
    zx_case_events_free(&ev);
    zx_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static void case_documents(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    db_stmt *s = db_prepare(c, "SELECT d.id, d.kind, d.title, d.size, d.created_ms, ev.seq FROM case_document d"
                               " LEFT JOIN case_event ev ON ev.id = d.event_id WHERE d.case_id = ?"
                               " ORDER BY d.created_ms, d.id");
    if (!s) return reply_dberr(r, c);
    db_bind_int64(s, 1, id);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:I,s:I,s:o}", "id", zx_json_id(db_col_int64(s, 0)), "kind",
                                             db_col_text(s, 1), "title", db_col_text(s, 2), "size",
                                             (json_int_t)db_col_int64(s, 3), "created_ms",
                                             (json_int_t)db_col_int64(s, 4), "event_seq",
                                             db_col_is_null(s, 5) ? json_null() : json_integer(db_col_int64(s, 5))));
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static void case_document_get(zx_req *r)
{
    int64_t id, doc;
    if (!zx_param_id(r, "id", &id) || !zx_param_id(r, "doc_id", &doc)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    if (zx_doc_materialise(c, id, doc) < 0) return reply_dberr(r, c); /* a lazily made document: render it now */
    db_stmt *s = db_prepare(c, "SELECT content, mime, kind, title FROM case_document WHERE id = ? AND case_id = ?");
    if (!s) return reply_dberr(r, c);
    db_bind_int64(s, 1, doc);
    db_bind_int64(s, 2, id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        zx_reply_error(r, 404, "NOT_FOUND", "文书不存在");
        return;
    }
    size_t len = 0;
    const void *blob = db_col_blob(s, 0, &len);
    /* named by 案号 and title, e.g. "（2025）辽0102执12号罚款决定书.pdf" (RFC 6266 / 5987: filename* in
     * UTF-8, an ASCII filename for old clients) */
    const char *title = db_col_text(s, 3) ? db_col_text(s, 3) : "文书";
    char name[512], enc[1600];
    snprintf(name, sizeof name, "%s%s.pdf", k.case_no, title);
    size_t e = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && e + 4 < sizeof enc; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            enc[e++] = (char)*p;
        else e += (size_t)snprintf(enc + e, sizeof enc - e, "%%%02X", *p);
    }
    enc[e] = 0;
    char *disp = zx_sprintf(r, "attachment; filename=\"%s-%lld.pdf\"; filename*=UTF-8''%s", db_col_text(s, 2),
                            (long long)doc, enc);
    char *mime = zx_strdup(r, db_col_text(s, 1) ? db_col_text(s, 1) : "application/pdf");
    zx_reply_raw(r, 200, mime, blob, len, disp);
    db_finalize(s);
}

/* ------------------------------------------------------------------ search */
typedef struct qb {
    char sql[65536]; /* a national scope inlines ~3,500 court ids */
    size_t n;
    const char *txt[64];
    int64_t num[64];
    bool is_num[64];
    int nb;
} qb;

static void qb_add(qb *q, const char *s)
{
    size_t l = strlen(s);
    if (q->n + l < sizeof q->sql) {
        memcpy(q->sql + q->n, s, l + 1);
        q->n += l;
    }
}
static void qb_text(qb *q, const char *v)
{
    if (q->nb < 64) q->txt[q->nb] = v, q->is_num[q->nb++] = false;
}
static void qb_int(qb *q, int64_t v)
{
    if (q->nb < 64) q->num[q->nb] = v, q->is_num[q->nb++] = true;
}
static void qb_bind(const qb *q, db_stmt *s)
{
    for (int i = 0; i < q->nb; i++) {
        if (q->is_num[i]) db_bind_int64(s, i + 1, q->num[i]);
        else db_bind_text(s, i + 1, q->txt[i], -1);
    }
}

/* Upper bound for a prefix range: the prefix with its last code point incremented. */
static char *prefix_upper(zx_req *r, const char *p)
{
    size_t n = strlen(p);
    size_t i = n;
    while (i > 0 && ((unsigned char)p[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0) return NULL;
    i--;
    const unsigned char *u = (const unsigned char *)p + i;
    uint32_t cp;
    if (u[0] < 0x80) cp = u[0];
    else if ((u[0] & 0xE0) == 0xC0) cp = (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu);
    else if ((u[0] & 0xF0) == 0xE0) cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
    else cp = (u[0] & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 | (u[3] & 0x3Fu);
    cp++;
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000;
    char *out = zx_alloc(r, i + 5);
    memcpy(out, p, i);
    char *o = out + i;
    if (cp < 0x80) *o++ = (char)cp;
    else if (cp < 0x800) *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    else
        *o++ = (char)(0xF0 | cp >> 18), *o++ = (char)(0x80 | ((cp >> 12) & 0x3F)),
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    *o = 0;
    return out;
}

/* Court scope from ?court=&subordinates=; replies and returns -1 on error; fills ids. */
static int court_scope(zx_req *r, int64_t *ids, int cap)
{
    const char *code = zx_query(r, "court");
    const zx_court *ct = code && *code ? zx_court_by_code(code) : zx_court_by_id(r->who.court_id);
    if (!ct) {
        zx_reply_error(r, 400, "BAD_REQUEST", "法院不存在");
        return -1;
    }
    if (!zx_can_see_court(&r->who, ct->id)) {
        zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院的数据");
        return -1;
    }
    const char *sub = zx_query(r, "subordinates");
    if (sub && !strcmp(sub, "1")) {
        int n = zx_court_subtree(ct->id, ids, cap);
        int m = 0;
        for (int i = 0; i < n && i < cap; i++)
            if (zx_can_see_court(&r->who, ids[i])) ids[m++] = ids[i];
        return m;
    }
    ids[0] = ct->id;
    return 1;
}

static void qb_courts(qb *q, const char *col, const int64_t *ids, int n)
{
    if (n == 1) {
        qb_add(q, col);
        qb_add(q, " = ?");
        qb_int(q, ids[0]);
        return;
    }
    /* Many courts: inline the ids (integers from our own table, not user text). */
    qb_add(q, col);
    qb_add(q, " IN (");
    for (int i = 0; i < n; i++) {
        char b[24];
        snprintf(b, sizeof b, "%s%lld", i ? "," : "", (long long)ids[i]);
        qb_add(q, b);
    }
    qb_add(q, ")");
}

static bool parse_int(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    char *e;
    long long v = strtoll(s, &e, 10);
    if (*e || v < 0) return false;
    *out = v;
    return true;
}

/* At most this many candidate numbers for a 案号-number query (inlined into the SQL, ≤ 19 digits each,
 * beside up to ~3,500 inlined court ids: within qb.sql); more → the trigram search. */
#define ZX_SEQ_SEARCH_MAX 1000

/* '%text%' for a substring search of at least 3 characters (a trigram index needs 3), NULL otherwise.
 * LIKE's wildcards typed by the user are dropped (FTS5 cannot use its index with an ESCAPE clause);
 * full-width brackets stay as typed (案号 are stored with full-width brackets). */
static const char *substring_pattern(zx_req *r, const char *q)
{
    size_t n = strlen(q), chars = 0;
    char *p = zx_alloc(r, n + 3), *o = p;
    *o++ = '%';
    for (const char *c = q; *c; c++) {
        if (*c == '%' || *c == '_' || *c == ' ') continue;
        if (((unsigned char)*c & 0xC0) != 0x80) chars++;
        *o++ = *c;
    }
    *o++ = '%';
    *o = 0;
    return chars >= 3 ? p : NULL;
}

/* Cases a text search (q=, the trigram path) reports exactly; beyond, total = this and total_capped
 * (docs/api/cases.md). The walk that finds them costs one index step and one case row per match, so
 * this bounds the work of a broad fragment (建设银行 in ~3,000 of 1M cases) near a prefix search's. */
#define ZX_TEXT_SEARCH_CAP 300

/* newest filed first, then newest id — the order of every case list */
struct text_hit {
    int64_t id;
    char filed[12]; /* 'YYYY-MM-DD' */
};
static int hit_cmp(const void *a, const void *b)
{
    const struct text_hit *x = a, *y = b;
    int c = strcmp(y->filed, x->filed);
    return c ? c : (x->id < y->id) - (x->id > y->id);
}

static void case_search(zx_req *r)
{
    db_conn *c = zx_db(r);
    int64_t *courts = zx_alloc(r, MAX_COURTS * sizeof(int64_t));
    int nc = court_scope(r, courts, MAX_COURTS);
    if (nc < 0) return;
    if (nc == 0) {
        zx_reply_json(r, 200, json_pack("{s:i,s:b,s:i,s:i,s:[]}", "total", 0, "total_capped", 0, "page", 1, "size", 20, "items"));
        return;
    }
    int64_t page = 1, size = 20;
    const char *fmt = zx_query(r, "format");
    bool xlsx = fmt && !strcmp(fmt, "xlsx"); /* Excel export of the whole result (case_export.c) */
    if (fmt && *fmt && !xlsx) {
        zx_reply_error(r, 400, "BAD_REQUEST", "format 只能为 xlsx");
        return;
    }
    if (zx_query(r, "page") && (!parse_int(zx_query(r, "page"), &page) || page < 1 || page > 10000)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "page 无效");
        return;
    }
    if (zx_query(r, "size") && (!parse_int(zx_query(r, "size"), &size) || size < 1 || size > 100)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "size 应为 1–100");
        return;
    }
    int64_t mpage = 1, msize = 20; /* the 已移出 register's own pager */
    if (zx_query(r, "moved_page") && (!parse_int(zx_query(r, "moved_page"), &mpage) || mpage < 1 || mpage > 10000)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "moved_page 无效");
        return;
    }
    if (zx_query(r, "moved_size") && (!parse_int(zx_query(r, "moved_size"), &msize) || msize < 1 || msize > 100)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "moved_size 应为 1–100");
        return;
    }
    if (xlsx) page = 1, size = ZX_CASE_EXPORT_MAX;
    qb q = { .n = 0 };
    bool narrowed = false; /* a filter other than party name, court scope and filing dates */
    const char *case_no = zx_query(r, "case_no"), *party = zx_query(r, "party"), *idn = zx_query(r, "id_number");
    const char *qs = zx_query(r, "q");
    char cn_norm[ZX_CASE_NO_MAX];
    const char *like = NULL; /* search as a clerk types: any part of a 案号 or a party name (migration 018) */
    bool text_walk = false;  /* the trigram path: matches walked in index order up to the cap */
    if (qs && *qs) {
        zx_case_no cn;
        zx_idno_info info;
        if (zx_case_no_parse(qs, &cn) == 0 && zx_case_no_format(&cn, cn_norm, sizeof cn_norm) > 0) case_no = cn_norm;
        else if (zx_idno_check(qs, zx_today(), &info) == ZX_IDNO_OK) idn = qs;
        else if (!(like = substring_pattern(r, qs))) party = qs; /* 1–2 characters: name prefix */
    }
    /* A part of a 案号's number ("352", "执352", "辽0102执恢352号"): from the index on enf_case.seq
     * (migrations 040, 048) — digit trigrams are in nearly every 案号, so the trigram index reads most of
     * its postings for them. The numbers that can match are listed (≤ the highest seq stored). */
    int nseq = -1;
    int64_t *seqs = NULL;
    zx_seq_query sq;
    if (like) {
        size_t ll = strlen(like);
        char *plain = zx_alloc(r, ll);
        memcpy(plain, like + 1, ll - 2);
        plain[ll - 2] = 0;
        if (zx_seq_query_parse(plain, &sq)) {
            db_stmt *s = db_prepare(c, "SELECT MAX(seq) FROM enf_case");
            if (!s) return reply_dberr(r, c);
            int64_t max_seq = db_step(s) == DB_ROW && !db_col_is_null(s, 0) ? db_col_int64(s, 0) : 0;
            db_finalize(s);
            seqs = zx_alloc(r, ZX_SEQ_SEARCH_MAX * sizeof *seqs);
            nseq = zx_seq_query_numbers(&sq, max_seq, seqs, ZX_SEQ_SEARCH_MAX);
        }
    }
    if (nseq >= 0) {
        if (sq.court_suffix[0]) { /* the court's code ends with the typed piece */
            int m = 0;
            size_t sl = strlen(sq.court_suffix);
            for (int i = 0; i < nc; i++) {
                const zx_court *ct = zx_court_by_id(courts[i]);
                size_t cl = ct ? strlen(ct->code) : 0;
                if (ct && cl >= sl && !strcmp(ct->code + cl - sl, sq.court_suffix)) courts[m++] = courts[i];
            }
            if (m) nc = m;
            else nseq = 0;
        }
        /* One table, no join: enf_case_seq_scope(seq, court_id, type_code, filed_on, id) (migration 048)
         * answers number, scope, type and order from the index. A self-join (candidates, then enf_case
         * again for the scope) was planned by PostgreSQL as a hash join over every case of the scope. */
        qb_add(&q, " FROM enf_case e WHERE ");
        if (nseq == 0) qb_add(&q, "1 = 0 AND ");
        else {
            qb_add(&q, "e.seq IN (");
            for (int i = 0; i < nseq; i++) {
                char b[24];
                snprintf(b, sizeof b, "%s%lld", i ? "," : "", (long long)seqs[i]);
                qb_add(&q, b);
            }
            qb_add(&q, ") AND ");
        }
        if (sq.ntypes) {
            qb_add(&q, "e.type_code IN (");
            for (int i = 0; i < sq.ntypes; i++) qb_add(&q, i ? ",?" : "?"), qb_text(&q, sq.types[i]);
            qb_add(&q, ") AND ");
        }
        narrowed = true;
    } else if (like) {
        /* The engines' trigram indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm GIN) answer LIKE '%…%'
         * with the same SQL; the matching cases are then checked against the court scope. */
        /* CROSS JOIN: SQLite keeps the matches as the outer loop (never a walk over the scope's cases
         * probing the match list); PostgreSQL plans it as an ordinary join from its statistics. */
        /* The matches are walked in the index's own order (newest search row first: FTS5 delivers
         * rowid order, pg_trgm's bitmap sorts only the narrow case_search rows) and the walk stops at
         * the cap (text_walk below) — never counting or sorting every case a broad fragment matches. */
        qb_add(&q, " FROM case_search m CROSS JOIN enf_case e WHERE m.doc LIKE ? AND e.id = m.case_id AND ");
        qb_text(&q, like);
        narrowed = true;
        text_walk = true;
    } else qb_add(&q, " FROM enf_case e WHERE ");
    qb_courts(&q, "e.court_id", courts, nc);
    if (case_no && *case_no) {
        zx_case_no cn;
        if (case_no != cn_norm && zx_case_no_parse(case_no, &cn) == 0 && zx_case_no_format(&cn, cn_norm, sizeof cn_norm) > 0)
            case_no = cn_norm;
        qb_add(&q, " AND e.case_no = ?"); narrowed = true;
        qb_text(&q, case_no);
    }
    const char *up = NULL;
    if (party && *party) {
        /* The party's own rows carry the case's court and filing date (migration 006): the covering
         * index case_party_scope_name(court_id, name, filed_on, case_id) answers the name prefix
         * within the scope without visiting each matching case. */
        up = prefix_upper(r, party);
        if (!up) up = party;
        qb_add(&q, " AND e.id IN (SELECT p.case_id FROM case_party p WHERE ");
        qb_courts(&q, "p.court_id", courts, nc);
        qb_add(&q, " AND p.name >= ? AND p.name < ?)");
        qb_text(&q, party);
        qb_text(&q, up);
    }
    char idnorm[19];
    if (idn && *idn) {
        zx_idno_info info;
        if (zx_idno_check(idn, zx_today(), &info) == ZX_IDNO_OK) snprintf(idnorm, sizeof idnorm, "%s", info.id);
        else snprintf(idnorm, sizeof idnorm, "%.18s", idn);
        /* exact match through the blind index (core/pii.h): case_party.id_number holds it */
        char *bi = zx_alloc(r, ZX_PII_INDEX_HEX), *bi2 = zx_alloc(r, ZX_PII_INDEX_HEX);
        zx_pii_index_pair(ZX_PII_ID_NUMBER, idnorm, bi, bi2); /* both forms during a key rotation */
        qb_add(&q, " AND e.id IN (SELECT p.case_id FROM case_party p WHERE " ZX_PII_IN("p.id_number") ")"); narrowed = true;
        qb_text(&q, bi);
        qb_text(&q, bi2);
    }
    static const char *const statuses[] = { "open", "suspended", "closed", NULL };
    const char *st = zx_query(r, "status");
    if (st && *st) {
        bool ok = false;
        for (int i = 0; statuses[i]; i++) ok |= !strcmp(st, statuses[i]);
        if (!ok) {
            zx_reply_error(r, 400, "BAD_REQUEST", "status 无效");
            return;
        }
        qb_add(&q, " AND e.status = ?"); narrowed = true;
        qb_text(&q, st);
    }
    const char *stage = zx_query(r, "stage");
    if (stage && *stage) {
        qb_add(&q, " AND e.stage = ?"); narrowed = true;
        qb_text(&q, stage);
    }
    const char *track = zx_query(r, "track");
    if (track && *track) {
        qb_add(&q, " AND e.track = ?"); narrowed = true;
        qb_text(&q, track);
    }
    const char *type = zx_query(r, "type_code");
    if (type && *type) {
        qb_add(&q, " AND e.type_code = ?"); narrowed = true;
        qb_text(&q, type);
    }
    const char *h = zx_query(r, "handler");
    if (h && *h) {
        int64_t hid;
        if (!strcmp(h, "me")) hid = r->who.user_id;
        else if (!parse_int(h, &hid)) {
            zx_reply_error(r, 400, "BAD_REQUEST", "handler 无效");
            return;
        }
        qb_add(&q, " AND e.handler_id = ?"); narrowed = true;
        qb_int(&q, hid);
    }
    zx_date d;
    const char *ff = zx_query(r, "filed_from"), *ft = zx_query(r, "filed_to");
    if ((ff && *ff && zx_date_parse(ff, &d)) || (ft && *ft && zx_date_parse(ft, &d))) {
        zx_reply_error(r, 400, "BAD_REQUEST", "日期无效（YYYY-MM-DD）");
        return;
    }
    if (ff && *ff) qb_add(&q, " AND e.filed_on >= ?"), qb_text(&q, ff);
    if (ft && *ft) qb_add(&q, " AND e.filed_on <= ?"), qb_text(&q, ft);

    char *sql = NULL, *page_sql = NULL;
    const qb *use = &q;
    static const qb pq_none; /* no parameters */
    qb pq = { .n = 0 };
    int64_t total = -1;
    bool capped = false;
    if (text_walk) {
        /* Search as a clerk types (issue 9 item 13): a fragment like 建设银行 may match thousands of
         * cases. Walk the matches in index order (newest search row first) and stop after the cap
         * + 1 distinct cases: total is exact up to the cap, else total = the cap and total_capped
         * (the UI says 超过 N 条). Those cases are then ordered like every list (newest filed first)
         * here, and the page is cut from them — the work is bounded by the cap, not by the matches. */
        int64_t cap = xlsx ? ZX_CASE_EXPORT_MAX : ZX_TEXT_SEARCH_CAP, want = cap + 1;
        int64_t skip = (page - 1) * size;
        /* PostgreSQL: the search rows carry their case's court and filing date (migration 061), so a
         * walk filtered only by scope and filing dates reads no enf_case row per match — pg_trgm has
         * already visited the search row for its recheck. Any other filter needs the case row. */
        bool pg_scope_only = db_conn_kind(c) != DB_SQLITE && !(case_no && *case_no) && !(party && *party) &&
                             !(idn && *idn) && !(st && *st) && !(stage && *stage) && !(track && *track) &&
                             !(type && *type) && !(h && *h);
        qb *wq = pg_scope_only ? zx_alloc(r, sizeof *wq) : NULL;
        if (wq) {
            wq->n = 0, wq->nb = 0, wq->sql[0] = 0;
            qb_add(wq, " FROM case_search m WHERE m.doc LIKE ? AND ");
            qb_text(wq, like);
            qb_courts(wq, "m.court_id", courts, nc);
            if (ff && *ff) qb_add(wq, " AND m.filed_on >= ?"), qb_text(wq, ff);
            if (ft && *ft) qb_add(wq, " AND m.filed_on <= ?"), qb_text(wq, ft);
        }
        size_t hcap = 1;
        while (hcap < (size_t)want * 2) hcap <<= 1;
        struct text_hit *hits = zx_alloc(r, (size_t)want * sizeof *hits);
        int64_t *seen = zx_alloc(r, hcap * sizeof *seen);
        int64_t n = 0, lim = want + want / 4 + 16;
        for (;;) {
            memset(seen, 0, hcap * sizeof *seen);
            n = 0;
            /* SQLite: FTS5 yields rowid order itself, newest search row first. PostgreSQL: a GIN bitmap
             * yields the table's order and, under an ORDER BY, must visit, join and sort every match
             * before the first row (3,210 heap rows for 4 characters of a unit name at 1M: 251 ms p50);
             * without it the Limit stops the nested loop at the cap. The capped set therefore follows
             * each engine's index order; an exact result (≤ the cap) is the same on both. */
            char *wsql = zx_sprintf(r, "SELECT e.id, e.filed_on %s%s LIMIT %lld", q.sql,
                                    db_conn_kind(c) == DB_SQLITE ? " ORDER BY m.rowid DESC" : "", (long long)lim);
            const qb *wb = &q;
            if (wq) {
                wsql = zx_sprintf(r, "SELECT m.case_id, m.filed_on %s LIMIT %lld", wq->sql, (long long)lim);
                wb = wq;
            }
            db_stmt *s = db_prepare(c, wsql);
            if (!s) return reply_dberr(r, c);
            qb_bind(wb, s);
            int64_t rows = 0;
            int rc;
            while (n < want && (rc = db_step(s)) == DB_ROW) {
                rows++;
                int64_t id = db_col_int64(s, 0);
                size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (hcap - 1);
                while (seen[h] && seen[h] != id) h = (h + 1) & (hcap - 1);
                if (seen[h]) continue; /* a second party (or the 案号) of a case already taken */
                seen[h] = id;
                hits[n].id = id;
                snprintf(hits[n].filed, sizeof hits[n].filed, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
                n++;
            }
            if (n < want && rc < 0) {
                db_finalize(s);
                return reply_dberr(r, c);
            }
            db_finalize(s);
            if (n >= want || rows < lim) break;
            lim *= 4; /* duplicates ate the rows: walk further */
        }
        capped = n > cap;
        total = capped ? cap : n;
        qsort(hits, (size_t)total, sizeof *hits, hit_cmp);
        char *idlist = zx_alloc(r, (size_t)size * 24 + 8);
        size_t il = 0;
        idlist[0] = 0;
        for (int64_t i = skip; i < total && i < skip + size; i++)
            il += (size_t)snprintf(idlist + il, 24, "%s%lld", il ? "," : "", (long long)hits[i].id);
        page_sql = zx_sprintf(r, "SELECT e.id AS id FROM enf_case e WHERE e.id IN (%s)", idlist[0] ? idlist : "0");
        use = &pq_none;
    } else if (party && *party && !narrowed) {
        /* Party name (with court scope and filing dates) only: count and order from the covering
         * index alone; enf_case is read for the one page shown. DISTINCT: two parties of one case
         * may share the prefix. */
        qb_add(&pq, " FROM case_party p WHERE ");
        qb_courts(&pq, "p.court_id", courts, nc);
        qb_add(&pq, " AND p.name >= ? AND p.name < ?");
        qb_text(&pq, party);
        qb_text(&pq, up);
        if (ff && *ff) qb_add(&pq, " AND p.filed_on >= ?"), qb_text(&pq, ff);
        if (ft && *ft) qb_add(&pq, " AND p.filed_on <= ?"), qb_text(&pq, ft);
        sql = zx_sprintf(r, "SELECT COUNT(*) FROM (SELECT DISTINCT p.case_id %s LIMIT 10001) t", pq.sql);
        db_stmt *s = db_prepare(c, sql);
        if (!s) return reply_dberr(r, c);
        qb_bind(&pq, s);
        total = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_finalize(s);
        /* The page: rows in (filed_on, case_id) order, so the parties of one case are adjacent and
         * are folded here — SQL DISTINCT would defeat the sorter's LIMIT (4× slower for 张). A
         * case has few parties: fetch twice the rows needed, more only if folding ate them. */
        int64_t skip = (page - 1) * size, want = skip + size, lim = want * 2 + 8;
        char *idlist = zx_alloc(r, (size_t)size * 24 + 8);
        for (;;) {
            char *psql = zx_sprintf(r, "SELECT p.case_id %s ORDER BY p.filed_on DESC, p.case_id DESC LIMIT %lld",
                                    pq.sql, (long long)lim);
            s = db_prepare(c, psql);
            if (!s) return reply_dberr(r, c);
            qb_bind(&pq, s);
            int64_t rows = 0, distinct = 0, last = INT64_MIN;
            size_t il = 0;
            int rc;
            idlist[0] = 0;
            while ((rc = db_step(s)) == DB_ROW) {
                rows++;
                int64_t id = db_col_int64(s, 0);
                if (id == last) continue;
                last = id;
                if (distinct++ < skip || distinct > want) continue;
                il += (size_t)snprintf(idlist + il, 24, "%s%lld", il ? "," : "", (long long)id);
            }
            db_finalize(s);
            if (rc < 0) return reply_dberr(r, c);
            if (distinct >= want || rows < lim) break;
            lim *= 4;
        }
        page_sql = zx_sprintf(r, "SELECT e.id AS id FROM enf_case e WHERE e.id IN (%s)", idlist[0] ? idlist : "0");
        use = &pq_none;
    } else {
        sql = zx_sprintf(r, "SELECT COUNT(*) FROM (SELECT 1 %s LIMIT 10001) t", q.sql);
        page_sql = zx_sprintf(r, "SELECT e.id AS id %s ORDER BY e.filed_on DESC, e.id DESC LIMIT %lld OFFSET %lld",
                              q.sql, (long long)size, (long long)((page - 1) * size));
    }
    db_stmt *s;
    if (total < 0) {
        s = db_prepare(c, sql);
        if (!s) return reply_dberr(r, c);
        qb_bind(use, s);
        total = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_finalize(s);
    }
    sql = zx_sprintf(r, "SELECT e.id, e.case_no, e.court_id, e.type_code, e.stage, e.status, e.track, e.handler_id,"
                        " u.display_name, e.applicant_name, e.debtor_name, e.filed_on, e.closed_on, e.closure_mode,"
                        " e.claim_fen, e.recovered_fen, e.limit_date"
                        " FROM (%s) k JOIN enf_case e ON e.id = k.id"
                        " LEFT JOIN app_user u ON u.id = e.handler_id ORDER BY e.filed_on DESC, e.id DESC",
                     page_sql);
    s = db_prepare(c, sql);
    if (!s) return reply_dberr(r, c);
    qb_bind(use, s);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        const zx_court *ct = zx_court_by_id(db_col_int64(s, 2));
        json_t *hd = db_col_is_null(s, 7) ? json_null()
                                          : json_pack("{s:o,s:s}", "id", zx_json_id(db_col_int64(s, 7)), "name",
                                                      db_col_text(s, 8) ? db_col_text(s, 8) : "");
#define T(i) (db_col_text(s, i) ? json_string(db_col_text(s, i)) : json_null())
        json_array_append_new(items, json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:o}",
            "id", zx_json_id(db_col_int64(s, 0)), "case_no", T(1), "court_code", ct ? ct->code : "",
            "type_code", T(3), "stage", T(4), "status", T(5), "track", T(6), "handler", hd,
            "applicant_name", T(9), "debtor_name", T(10), "filed_on", T(11), "closed_on", T(12),
            "closure_mode", T(13), "claim_fen", (json_int_t)db_col_int64(s, 14), "recovered_fen",
            (json_int_t)db_col_int64(s, 15), "limit_date", T(16)));
#undef T
    }
    db_finalize(s);
    if (idn && *idn) { /* searching by ID number is a sensitive read */
        char *detail = zx_sprintf(r, "{\"results\":%zu}", json_array_size(items));
        if (zx_audit_req_tx(r, "pii.search", "case", 0, "ok", detail)) {
            json_decref(items);
            return reply_dberr(r, c);
        }
    }
    /* cases moved away from the scope (提级 / 指定 / 交叉执行, src/command/move.c): a register of their own,
     * 已移出 (the old court's case, closed, and the case the new court filed), paged by moved_page /
     * moved_size, for the filters they can answer (案号, text, status); all of them in the Excel export */
    bool other_filter = (stage && *stage) || (track && *track) || (type && *type) || (h && *h) || (idn && *idn) ||
                        (ff && *ff) || (ft && *ft) || (party && *party && !qs);
    int64_t mt = 0;
    json_t *moved = other_filter ? json_array()
                                 : zx_cmd_moved_out(c, courts, nc, case_no, qs && *qs && case_no != cn_norm ? qs : NULL, st,
                                                    mpage, xlsx ? 0 : msize, &mt);
    if (xlsx) return zx_cases_xlsx_reply(r, items, total, moved);
    zx_reply_json(r, 200, json_pack("{s:I,s:b,s:I,s:I,s:o,s:o,s:I,s:I,s:I}", "total", (json_int_t)(total > 10000 ? 10000 : total),
                                    "total_capped", capped || total > 10000, "page", (json_int_t)page, "size", (json_int_t)size,
                                    "items", items, "moved_out", moved, "moved_out_total", (json_int_t)mt,
                                    "moved_page", (json_int_t)mpage, "moved_size", (json_int_t)msize));
}

/* ------------------------------------------------------------------ to-do and overdue */
/* ctl_lead: the caller's court's first control-expiry warning (zx_control_warn_lead), the lead of its
 * control_renewal rows — the same as in level_sql(), so counters and rows agree. */
static json_t *deadline_item(db_conn *c, db_stmt *s, zx_date today, int ctl_lead)
{
    const char *kind = db_col_text(s, 1);
    zx_date due;
    if (zx_date_parse(db_col_text(s, 3), &due) != 0) return NULL;
    int ki = zx_deadline_kind_from(kind);
    enum zx_level l = zx_deadline_level(due, today, !strcmp(kind, "control_renewal") ? ctl_lead : zx_case_warn_lead(kind));
    json_t *h = json_null();
    if (!db_col_is_null(s, 6)) {
        h = json_pack("{s:o,s:s}", "id", zx_json_id(db_col_int64(s, 6)), "name",
                      db_col_text(s, 7) ? db_col_text(s, 7) : "");
    }
    (void)c;
    const zx_court *ct = zx_court_by_id(db_col_int64(s, 8));
    json_t *court = ct ? json_pack("{s:s,s:s}", "code", ct->code, "name", ct->name) : json_null();
    return json_pack("{s:o,s:o,s:s,s:s,s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:o}", "case_id", zx_json_id(db_col_int64(s, 0)),
                     "court", court,
                     "case_no", db_col_text(s, 4), "kind", kind, "ref", (json_int_t)db_col_int64(s, 2), "label",
                     ki >= 0 ? zx_deadline_rules[ki].label : kind, "article", ki >= 0 ? zx_deadline_rules[ki].article : "",
                     "due_on", db_col_text(s, 3), "days_left", (int)(due - today), "level", zx_level_code(l), "stage",
                     db_col_text(s, 5), "handler", h);
}

#define DL_SELECT                                                                                    \
    "SELECT d.case_id, d.kind, d.ref, d.due_on, e.case_no, e.stage, d.handler_id, u.display_name, d.court_id" \
    " FROM case_deadline d JOIN enf_case e ON e.id = d.case_id LEFT JOIN app_user u ON u.id = d.handler_id"

/* Level predicates in SQL, the same rule as zx_deadline_level() with zx_case_warn_lead(): overdue
 * before today; warning from today to today + lead (time_limit: its own, longer lead); ok after. So
 * the counters, the per-handler table and the paged list are one count of the same rows. */
static const char *level_sql(zx_req *r, const char *level, zx_date today, int ctl_lead)
{
    char td[11], wd[11], wt[11], wf[11], wc[11];
    zx_date_format(today, td);
    zx_date_format(today + zx_case_warn_lead("assign"), wd);
    zx_date_format(today + zx_case_warn_lead("time_limit"), wt);
    zx_date_format(today + zx_case_warn_lead("funds_payout"), wf);
    zx_date_format(today + ctl_lead, wc); /* 续行冻结（查封）: from the court's first warning day (default 30) */
    if (!strcmp(level, "overdue")) return zx_sprintf(r, "d.due_on < '%s'", td);
    if (!strcmp(level, "warning"))
        return zx_sprintf(r, "(d.due_on >= '%s' AND (d.due_on <= '%s' OR (d.kind = 'time_limit' AND d.due_on <= '%s')"
                             " OR (d.kind = 'funds_payout' AND d.due_on <= '%s')"
                             " OR (d.kind = 'control_renewal' AND d.due_on <= '%s')))", td, wd, wt, wf, wc);
    return zx_sprintf(r, "(d.due_on > '%s' AND (d.kind <> 'time_limit' OR d.due_on > '%s')"
                         " AND (d.kind <> 'funds_payout' OR d.due_on > '%s')"
                         " AND (d.kind <> 'control_renewal' OR d.due_on > '%s'))", wd, wt, wf, wc);
}

/* GET /api/v1/todo — open deadlines of the caller (default), of a handler (handler=ID), or of a court
 * (court=CODE, &subordinates=1 for the courts below: chiefs and command staff). level=overdue|warning|ok
 * filters the list; counts are over the whole scope; by_handler (court scope) uses the same predicates;
 * page / page_size (1–500) page the list — total is the number of rows the list has over all pages. */
static void todo(zx_req *r)
{
    db_conn *c = zx_db(r);
    qb q = { .n = 0 };
    qb_add(&q, " WHERE d.done = 0 AND ");
    const char *h = zx_query(r, "handler"), *court = zx_query(r, "court");
    int64_t hid = r->who.user_id;
    bool by_handler = false;
    if (h && *h && strcmp(h, "me") != 0) {
        if (!parse_int(h, &hid)) {
            zx_reply_error(r, 400, "BAD_REQUEST", "handler 无效");
            return;
        }
        db_stmt *s = db_prepare(c, "SELECT court_id FROM app_user WHERE id = ?");
        if (!s) return reply_dberr(r, c);
        db_bind_int64(s, 1, hid);
        int64_t hc = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_finalize(s);
        if (hid != r->who.user_id && (!hc || !zx_can_see_court(&r->who, hc) ||
                                      !(r->who.roles & (ROLE_CHIEF | ROLE_COMMAND | ROLE_JUDGE)))) {
            zx_reply_error(r, 403, "FORBIDDEN", "无权查看该承办人的待办");
            return;
        }
    }
    if (court && *court) {
        if (!(r->who.roles & (ROLE_CHIEF | ROLE_COMMAND))) {
            zx_reply_error(r, 403, "FORBIDDEN", "仅院领导或指挥中心可查看全院待办");
            return;
        }
        int64_t *ids = zx_alloc(r, MAX_COURTS * sizeof(int64_t));
        int n = court_scope(r, ids, MAX_COURTS);
        if (n < 0) return;
        if (n == 0) ids[n++] = 0;
        qb_courts(&q, "d.court_id", ids, n);
        by_handler = true;
        if (h && *h) { /* one handler within the court scope (a row of the per-handler table) */
            if (!strcmp(h, "none")) qb_add(&q, " AND d.handler_id IS NULL");
            else {
                qb_add(&q, " AND d.handler_id = ?");
                qb_int(&q, hid);
            }
        }
    } else {
        qb_add(&q, "d.handler_id = ?");
        qb_int(&q, hid);
    }
    const char *level = zx_query(r, "level");
    if (level && *level && strcmp(level, "all") && strcmp(level, "overdue") && strcmp(level, "warning") &&
        strcmp(level, "ok")) {
        zx_reply_error(r, 400, "BAD_REQUEST", "level 应为 overdue、warning、ok 或 all");
        return;
    }
    int64_t page = 1, size = 200;
    if (zx_query(r, "limit") && (!parse_int(zx_query(r, "limit"), &size) || size < 1 || size > 1000)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "limit 应为 1–1000");
        return;
    }
    if (zx_query(r, "page_size") && (!parse_int(zx_query(r, "page_size"), &size) || size < 1 || size > 500)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "page_size 应为 1–500");
        return;
    }
    if (zx_query(r, "page") && (!parse_int(zx_query(r, "page"), &page) || page < 1 || page > 1000000)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "page 无效");
        return;
    }
    zx_date today = zx_today();
    int ctl_lead = zx_control_warn_lead(c, r->who.court_id);
    const char *lo = level_sql(r, "overdue", today, ctl_lead), *lw = level_sql(r, "warning", today, ctl_lead),
               *lk = level_sql(r, "ok", today, ctl_lead);
    /* Counters (and, for a court scope, the same per handler) over every open deadline in scope. */
    char *sql = zx_sprintf(r, "SELECT d.handler_id, SUM(CASE WHEN %s THEN 1 ELSE 0 END), SUM(CASE WHEN %s THEN 1 ELSE 0 END),"
                              " SUM(CASE WHEN %s THEN 1 ELSE 0 END) FROM case_deadline d%s GROUP BY d.handler_id",
                           lo, lw, lk, q.sql);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return reply_dberr(r, c);
    qb_bind(&q, s);
    int64_t counts[3] = { 0, 0, 0 };
    json_t *handlers = json_array();
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t o = db_col_int64(s, 1), w = db_col_int64(s, 2), k = db_col_int64(s, 3);
        counts[0] += o, counts[1] += w, counts[2] += k;
        if (by_handler)
            json_array_append_new(handlers, json_pack("{s:o,s:I,s:I,s:I,s:I}", "handler_id",
                                                      db_col_is_null(s, 0) ? json_null() : zx_json_id(db_col_int64(s, 0)),
                                                      "overdue", (json_int_t)o, "warning", (json_int_t)w, "ok", (json_int_t)k,
                                                      "total", (json_int_t)(o + w + k)));
    }
    db_finalize(s);
    if (rc != DB_DONE) {
        json_decref(handlers);
        return reply_dberr(r, c);
    }
    /* names of the handlers in the table */
    size_t i;
    json_t *hv;
    json_array_foreach(handlers, i, hv) {
        json_t *idj = json_object_get(hv, "handler_id");
        json_t *name = json_null();
        int64_t uid;
        if (zx_json_get_id(idj, &uid)) {
            db_stmt *u = db_prepare(c, "SELECT display_name, court_id FROM app_user WHERE id = ?");
            if (u) {
                db_bind_int64(u, 1, uid);
                if (db_step(u) == DB_ROW) {
                    const zx_court *ct = zx_court_by_id(db_col_int64(u, 1));
                    name = json_pack("{s:o,s:s,s:s}", "id", zx_json_id(uid), "name", db_col_text(u, 0) ? db_col_text(u, 0) : "",
                                     "court_name", ct ? ct->name : "");
                }
                db_finalize(u);
            }
        }
        json_object_set_new(hv, "handler", name);
        json_object_del(hv, "handler_id");
    }
    int64_t total = counts[0] + counts[1] + counts[2];
    const char *lsql = "";
    if (level && !strcmp(level, "overdue")) lsql = zx_sprintf(r, " AND %s", lo), total = counts[0];
    else if (level && !strcmp(level, "warning")) lsql = zx_sprintf(r, " AND %s", lw), total = counts[1];
    else if (level && !strcmp(level, "ok")) lsql = zx_sprintf(r, " AND %s", lk), total = counts[2];
    sql = zx_sprintf(r, DL_SELECT "%s%s ORDER BY d.due_on, d.case_id, d.kind LIMIT %lld OFFSET %lld", q.sql, lsql,
                     (long long)size, (long long)((page - 1) * size));
    s = db_prepare(c, sql);
    if (!s) {
        json_decref(handlers);
        return reply_dberr(r, c);
    }
    qb_bind(&q, s);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *it = deadline_item(c, s, today, ctl_lead);
        if (it) json_array_append_new(items, it);
    }
    db_finalize(s);
    json_t *out = json_pack("{s:{s:I,s:I,s:I},s:I,s:I,s:I,s:o}", "counts", "overdue", (json_int_t)counts[0], "warning",
                            (json_int_t)counts[1], "ok", (json_int_t)counts[2], "total", (json_int_t)total, "page",
                            (json_int_t)page, "page_size", (json_int_t)size, "items", items);
    if (by_handler) json_object_set_new(out, "by_handler", handlers);
    else json_decref(handlers);
    zx_reply_json(r, 200, out);
}

static void overdue(zx_req *r)
{
    db_conn *c = zx_db(r);
    int64_t *ids = zx_alloc(r, MAX_COURTS * sizeof(int64_t));
    int n = court_scope(r, ids, MAX_COURTS);
    if (n < 0) return;
    if (n == 0) ids[n++] = 0;
    qb q = { .n = 0 };
    qb_add(&q, " WHERE d.done = 0 AND ");
    qb_courts(&q, "d.court_id", ids, n);
    const char *h = zx_query(r, "handler");
    if (h && *h) {
        int64_t hid;
        if (!strcmp(h, "me")) hid = r->who.user_id;
        else if (!parse_int(h, &hid)) {
            zx_reply_error(r, 400, "BAD_REQUEST", "handler 无效");
            return;
        }
        qb_add(&q, " AND d.handler_id = ?");
        qb_int(&q, hid);
    }
    zx_date today = zx_today();
    char td[11], wd[11], wt[11], wc[11];
    zx_date_format(today, td);
    zx_date_format(today + zx_case_warn_lead("assign"), wd);
    zx_date_format(today + zx_case_warn_lead("time_limit"), wt);
    int ctl_lead = zx_control_warn_lead(c, r->who.court_id);
    zx_date_format(today + ctl_lead, wc);
    /* Items: overdue only. */
    char *sql = zx_sprintf(r, DL_SELECT "%s AND d.due_on < '%s' ORDER BY d.due_on, d.case_id LIMIT 500", q.sql, td);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return reply_dberr(r, c);
    qb_bind(&q, s);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *it = deadline_item(c, s, today, ctl_lead);
        if (it) json_array_append_new(items, it);
    }
    db_finalize(s);
    const char *agg = "SELECT %s, SUM(CASE WHEN d.due_on < '%s' THEN 1 ELSE 0 END),"
                      " SUM(CASE WHEN d.due_on >= '%s' AND (d.due_on <= '%s' OR (d.kind = 'time_limit' AND d.due_on <= '%s')"
                      " OR (d.kind = 'control_renewal' AND d.due_on <= '%s'))"
                      " THEN 1 ELSE 0 END) FROM case_deadline d%s GROUP BY %s";
    json_t *by_h = json_array(), *by_c = json_array();
    for (int pass = 0; pass < 2; pass++) {
        const char *col = pass == 0 ? "d.handler_id" : "d.court_id";
        sql = zx_sprintf(r, agg, col, td, td, wd, wt, wc, q.sql, col);
        s = db_prepare(c, sql);
        if (!s) return reply_dberr(r, c);
        qb_bind(&q, s);
        int64_t *keys = zx_alloc(r, 4096 * sizeof(int64_t));
        int64_t (*vals)[2] = zx_alloc(r, 4096 * sizeof *vals);
        int m = 0;
        while (db_step(s) == DB_ROW && m < 4096) {
            keys[m] = db_col_int64(s, 0);
            vals[m][0] = db_col_int64(s, 1);
            vals[m][1] = db_col_int64(s, 2);
            m++;
        }
        db_finalize(s);
        for (int i = 0; i < m; i++) {
            if (vals[i][0] == 0 && vals[i][1] == 0) continue;
            if (pass == 0) {
                json_t *hj = json_null();
                if (keys[i] > 0) {
                    db_stmt *u = db_prepare(c, "SELECT display_name FROM app_user WHERE id = ?");
                    if (u) {
                        db_bind_int64(u, 1, keys[i]);
                        if (db_step(u) == DB_ROW) hj = json_pack("{s:o,s:s}", "id", zx_json_id(keys[i]), "name", db_col_text(u, 0));
                        db_finalize(u);
                    }
                }
                json_array_append_new(by_h, json_pack("{s:o,s:I,s:I}", "handler", hj, "overdue", (json_int_t)vals[i][0],
                                                      "warning", (json_int_t)vals[i][1]));
            } else {
                const zx_court *ct = zx_court_by_id(keys[i]);
                json_array_append_new(by_c, json_pack("{s:s,s:I,s:I}", "court_code", ct ? ct->code : "", "overdue",
                                                      (json_int_t)vals[i][0], "warning", (json_int_t)vals[i][1]));
            }
        }
    }
    zx_reply_json(r, 200, json_pack("{s:o,s:o,s:o}", "items", items, "by_handler", by_h, "by_court", by_c));
}

/* ------------------------------------------------------------------ meta and settings */
static json_t *code_labels(const struct zx_code_label *t)
{
    json_t *a = json_array();
    for (; t->code; t++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "code", t->code, "label", t->label, "article", t->article));
    return a;
}

static void case_meta(zx_req *r)
{
    json_t *stages = json_array();
    for (int i = 0; i < 11; i++)
        json_array_append_new(stages, json_pack("{s:s,s:s}", "code", zx_case_stages[i], "label",
                                                zx_case_stage_label(zx_case_stages[i])));
    json_t *types = json_array();
    for (size_t i = 0; i < zx_case_types_count; i++)
        json_array_append_new(types, json_pack("{s:s,s:s,s:s,s:s}", "code", zx_case_types[i].code, "name",
                                               zx_case_types[i].name, "label", zx_case_types[i].name_zh, "class",
                                               zx_case_types[i].cls == ZX_CASE_IMPLEMENTATION ? "implementation" : "review"));
    json_t *o = json_pack(
        "{s:o,s:o,s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:[{s:s,s:s},{s:s,s:s}],s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
        "stages", stages, "type_codes", types, "statuses", "code", "open", "label", "办理中", "code", "suspended",
        "label", "中止/暂缓", "code", "closed", "label", "已结案", "tracks", "code", "fast", "label", "简案", "code",
        "complex", "label", "繁案", "closure_modes", code_labels(zx_closure_modes), "termination_reasons",
        code_labels(zx_termination_reasons), "withdrawal_reasons", code_labels(zx_withdrawal_reasons),
        "rejection_reasons", code_labels(zx_rejection_reasons), "resume_reasons", code_labels(zx_resume_reasons),
        "basis_kinds",
        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "code", "judgment",
                  "label", "判决书", "code", "ruling", "label", "裁定书", "code", "mediation", "label", "调解书", "code",
                  "arbitral_award", "label", "仲裁裁决", "code", "notarised_deed", "label", "公证债权文书", "code",
                  "administrative", "label", "行政决定（非诉执行）", "code", "other", "label", "其他"),
        "actions", zx_case_actions_meta(), "deadline_kinds", json_array());
    json_t *dk = json_object_get(o, "deadline_kinds");
    for (int i = 0; i < ZX_DL__COUNT; i++)
        json_array_append_new(dk, json_pack("{s:s,s:s,s:s}", "code", zx_deadline_rules[i].kind, "label",
                                            zx_deadline_rules[i].label, "article", zx_deadline_rules[i].article));
    zx_reply_json(r, 200, o);
}

/* 繁简分流 rules of one court (?court=CODE, default the caller's): own, inherited, or the default;
 * changed only by that court's chief (account/court_setting.h, issue 10 item 2). */
static void triage_reply(zx_req *r, int64_t court)
{
    zx_triage_rules t;
    zx_case_triage_rules(zx_db(r), court, &t);
    int64_t from = 0;
    free(zx_court_setting_get(zx_db(r), court, "case.triage", &from));
    char *s = zx_triage_dump(&t);
    json_t *o = json_loads(s, 0, NULL);
    free(s);
    const zx_court *ct = court ? zx_court_by_id(court) : NULL, *fr = from ? zx_court_by_id(from) : NULL;
    if (json_is_object(o)) {
        json_object_set_new(o, "court", ct ? json_string(ct->code) : json_null());
        json_object_set_new(o, "inherited_from", fr ? json_string(fr->code) : json_null());
    }
    zx_reply_json(r, 200, o);
}

static void triage_get(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0) return;
    triage_reply(r, court);
}

static void triage_put(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0 || !zx_court_setting_may_change(r, court)) return;
    json_t *body = zx_body_json(r);
    if (!body) return;
    json_object_del(body, "court"); /* echoed by GET */
    json_object_del(body, "inherited_from");
    char *txt = json_dumps(body, JSON_COMPACT);
    zx_triage_rules t;
    char err[160];
    if (zx_triage_parse(txt, &t, err, sizeof err)) {
        free(txt);
        zx_reply_error_ex(r, 400, "VALIDATION_FAILED", err,
                          json_pack("{s:[{s:s,s:s,s:s}]}", "fields", "field", "rules", "code", "INVALID", "message", err));
        return;
    }
    free(txt);
    char *norm = zx_triage_dump(&t);
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        free(norm);
        return reply_dberr(r, c);
    }
    int rc = zx_court_setting_put(c, court, "case.triage", norm, r->who.username);
    if (rc || zx_audit_req(r, c, "case.triage.set", "setting", court, "ok", norm) || db_commit(c)) {
        db_rollback(c);
        free(norm);
        return reply_dberr(r, c);
    }
    free(norm);
    triage_reply(r, court);
}

static const struct zx_route case_routes[] = {
    { "POST", "/api/v1/cases", case_file, ZX_R_USER, ROLE_FILING_CLERK | ROLE_JUDGE | ROLE_CHIEF, NULL, "立案" },
    { "POST", "/api/v1/cases/bulk", case_file_bulk, ZX_R_USER | ZX_R_BIG_BODY, ROLE_FILING_CLERK | ROLE_JUDGE | ROLE_CHIEF, NULL, "批量立案（全部成功或全部不立）" },
    { "GET", "/api/v1/cases", case_search, ZX_R_USER, ROLE_BUSINESS, NULL, "案件查询" },
    { "GET", "/api/v1/cases/:id", case_get, ZX_R_USER, ROLE_BUSINESS, NULL, "案件详情" },
    { "PUT", "/api/v1/cases/:id/assignment", case_assign, ZX_R_USER, ROLE_FILING_CLERK | ROLE_JUDGE | ROLE_CHIEF, NULL, "分案（承办人、团队）" },
    { "POST", "/api/v1/cases/:id/actions/:kind", case_action, ZX_R_USER, ROLE_CASE_WORK | ROLE_FINANCE, NULL, "办案节点操作" },
    { "POST", "/api/v1/cases/:id/close", case_close, ZX_R_USER, ROLE_CASE_WORK, NULL, "结案（含终本条件审查）" },
    { "POST", "/api/v1/cases/:id/resume", case_resume, ZX_R_USER, ROLE_FILING_CLERK | ROLE_JUDGE | ROLE_CHIEF, NULL, "恢复执行（立执恢案件）" },
    { "GET", "/api/v1/cases/:id/events", case_events, ZX_R_USER, ROLE_BUSINESS, NULL, "案件节点（全程留痕）" },
    { "GET", "/api/v1/cases/:id/documents", case_documents, ZX_R_USER, ROLE_BUSINESS, NULL, "电子卷宗文书列表" },
    { "GET", "/api/v1/cases/:id/documents/:doc_id", case_document_get, ZX_R_USER, ROLE_BUSINESS, NULL, "下载文书（PDF）" },
    { "GET", "/api/v1/todo", todo, ZX_R_USER, ROLE_BUSINESS, NULL, "我的待办（按期限排序）" },
    { "GET", "/api/v1/deadlines/overdue", overdue, ZX_R_USER, ROLE_JUDGE | ROLE_CHIEF | ROLE_COMMAND, NULL, "超期/预警清单" },
    { "GET", "/api/v1/case-meta", case_meta, ZX_R_USER, 0, NULL, "案件枚举与操作表单定义" },
    { "GET", "/api/v1/settings/triage", triage_get, ZX_R_USER, 0, NULL, "繁简分流规则" },
    { "PUT", "/api/v1/settings/triage", triage_put, ZX_R_USER, ROLE_CHIEF | ROLE_SYSADMIN, NULL, "修改本院繁简分流规则（本院院长；系统管理员仅全局默认）" },
};
ZX_ROUTES(case_routes)
