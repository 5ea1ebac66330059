/* portal_open.c — two public lists of the one public platform (#/open; issue 15 item 7, docs/api/portal.md):
 *
 *   GET /api/v1/portal/measures?q=&court=&measure=&page=&size=   coercive measures (罚款, 拘留)
 *   GET /api/v1/portal/case-flow?q=&court=&page=&size=           case-flow information (流程信息)
 *
 * What is published and how (法发〔2014〕18号 关于人民法院执行流程公开的若干意见): execution information
 * is public as the rule, secret as the exception (art 1); the 案号, the court, the filing date, the stage,
 * the state and the closure of a case are flow information (art 3 lists them for the parties; the public
 * sees the same facts without the parties — who is a debtor is public only through the 被执行人/失信/限消
 * lists, which have their own rules); coercive measures decided against a person obstructing enforcement
 * are 执行公告信息 (art 2) — published with the court, the 案号, the measure, its amount or days and the
 * decision day. A person's name is shown as surname + "某" and an ID number only masked through
 * core/pii (zx_pii_col_masked); a unit's name is public in full. Nothing else of a case is shown here.
 * 限制出境 (民诉法 art 266; case action exit_restriction) is listed the same way, with the day it was lifted
 * (exit_restriction_lifted) once it is; for a unit, the responsible person restricted (执行程序解释 art
 * 24) is shown as surname + "某" too.
 * Public routes: the per-address rate limit (zx_pp_rate_ok); pages of ≤ 50. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "api/portal_party.h"
#include "case/case.h"
#include "core/money.h"
#include "core/pii.h"
#include "portal/portal.h"
#include "rules/closure.h"

#define MAX_COURTS 8192

static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* A person's name on a public list: the surname (first character; 复姓 are not guessed) + 某. */
static char *mask_person(zx_req *r, const char *name)
{
    if (!name || !*name) return zx_strdup(r, "");
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80) n++;
    return zx_sprintf(r, "%.*s某", (int)n, name);
}

static const char *closure_label(const char *code)
{
    for (int i = 0; code && zx_closure_modes[i].code; i++)
        if (!strcmp(zx_closure_modes[i].code, code)) return zx_closure_modes[i].label;
    return NULL;
}

/* court=CODE (with the courts below), page, size, q: 2–64 characters. Replies and returns false on bad input. */
typedef struct open_q {
    const char *q;
    int64_t page, size;
    int ncourts;
    int64_t *courts;
} open_q;

static bool read_q(zx_req *r, open_q *o)
{
    memset(o, 0, sizeof *o);
    o->q = zx_query(r, "q");
    if (o->q && !*o->q) o->q = NULL;
    if (o->q && (u8len(o->q) < 2 || u8len(o->q) > 64)) {
        zx_reply_error(r, 400, "BAD_QUERY", "请输入 2–64 个字的案号、法院或名称");
        return false;
    }
    if (!zx_query_int(r, "page", 1, 1000, 1, &o->page) || !zx_query_int(r, "size", 1, 50, 20, &o->size)) return false;
    const char *code = zx_query(r, "court");
    if (code && *code) {
        const zx_court *ct = zx_court_by_code(code);
        if (!ct) {
            zx_reply_error(r, 404, "COURT_NOT_FOUND", "法院不存在：%s", code);
            return false;
        }
        o->courts = zx_alloc(r, sizeof(int64_t) * MAX_COURTS);
        o->ncourts = zx_court_subtree(ct->id, o->courts, MAX_COURTS);
        if (o->ncourts > MAX_COURTS) o->ncourts = MAX_COURTS;
    }
    return true;
}

static void add_courts(char *sql, size_t cap, const char *col, const open_q *o)
{
    if (!o->ncourts) return;
    size_t n = strlen(sql);
    n += (size_t)snprintf(sql + n, cap - n, " AND %s IN (", col);
    for (int i = 0; i < o->ncourts && n + 24 < cap; i++)
        n += (size_t)snprintf(sql + n, cap - n, "%s%lld", i ? "," : "", (long long)o->courts[i]);
    snprintf(sql + n, cap - n, ")");
}

/* ---- GET /api/v1/portal/measures ---- */
static void open_measures(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    open_q o;
    if (!read_q(r, &o)) return;
    const char *m = zx_query(r, "measure");
    if (m && *m && strcmp(m, "fine") && strcmp(m, "detention") && strcmp(m, "exit_restriction"))
        return zx_reply_error(r, 400, "BAD_REQUEST", "measure 只能是 fine（罚款）、detention（拘留）或 exit_restriction（限制出境）");
    size_t cap = 1024 + (size_t)o.ncourts * 24;
    char *sql = zx_alloc(r, cap);
    snprintf(sql, cap, "SELECT e.case_no, ct.name, ev.on_date, ev.data, e.id, ev.kind, ev.seq FROM case_event ev"
                       " JOIN enf_case e ON e.id = ev.case_id JOIN court ct ON ct.id = e.court_id"
                       " WHERE ev.kind IN ('coercive_measure', 'exit_restriction')");
    add_courts(sql, cap, "e.court_id", &o);
    size_t n = strlen(sql);
    snprintf(sql + n, cap - n, " ORDER BY ev.on_date DESC, ev.id DESC LIMIT 5000");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return zx_pp_dberr(r);
    json_t *items = json_array();
    int64_t total = 0, skip = (o.page - 1) * o.size;
    while (db_step(s) == DB_ROW) {
        json_t *d = db_col_text(s, 3) ? json_loads(db_col_text(s, 3), 0, NULL) : NULL;
        bool exit = !strcmp(db_col_text(s, 5), "exit_restriction");
        const char *measure = exit ? "exit_restriction" : json_string_value(json_object_get(d, "measure"));
        const char *tk = json_string_value(json_object_get(d, "target_kind"));
        const char *name = json_string_value(json_object_get(d, "target_name"));
        const char *no = db_col_text(s, 0), *court = db_col_text(s, 1);
        bool unit = tk && !strcmp(tk, "unit");
        bool keep = measure && (!m || !*m || !strcmp(m, measure));
        /* search: 案号, court, or the name as published (a person's full name is not searchable) */
        const char *shown = unit ? (name ? name : "") : mask_person(r, name);
        if (keep && o.q) keep = (no && strstr(no, o.q)) || (court && strstr(court, o.q)) || strstr(shown, o.q);
        if (keep && total++ >= skip && (int64_t)json_array_size(items) < o.size) {
            json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "case_no", no ? no : "", "court", court ? court : "",
                                   "measure", measure, "measure_label", exit ? "限制出境" : !strcmp(measure, "fine") ? "罚款" : "拘留",
                                   "target_kind", unit ? "unit" : "person", "target", shown, "decided_on",
                                   db_col_text(s, 2) ? db_col_text(s, 2) : "");
            json_t *amt = json_object_get(d, "amount_fen"), *days = json_object_get(d, "days");
            if (!strcmp(measure, "fine") && json_is_integer(amt)) json_object_set(it, "amount_fen", amt);
            if (!strcmp(measure, "detention") && json_is_integer(days)) json_object_set(it, "days", days);
            if (exit) {
                const char *rp = json_string_value(json_object_get(d, "restricted_person"));
                if (unit && rp) json_object_set_new(it, "restricted_person", json_string(mask_person(r, rp)));
                db_stmt *l = name ? db_prepare(c, "SELECT on_date, data FROM case_event WHERE case_id = ? AND seq > ?"
                                                  " AND kind IN ('exit_restriction', 'exit_restriction_lifted') ORDER BY seq")
                                  : NULL;
                if (l) {
                    db_bind_int64(l, 1, db_col_int64(s, 4));
                    db_bind_int64(l, 2, db_col_int64(s, 6));
                    bool done = false;
                    while (!done && db_step(l) == DB_ROW) {
                        json_t *ld = db_col_text(l, 1) ? json_loads(db_col_text(l, 1), 0, NULL) : NULL;
                        const char *t = json_string_value(json_object_get(ld, "target_name"));
                        if (t && !strcmp(t, name)) {
                            done = true; /* the next event of this target: a lifting (or, never, a second order) */
                            if (db_col_text(l, 0)) json_object_set_new(it, "lifted_on", json_string(db_col_text(l, 0)));
                        }
                        json_decref(ld);
                    }
                    db_finalize(l);
                }
            }
            /* the target is a debtor of the case: its ID number, masked (core/pii) */
            db_stmt *p = name ? db_prepare(c, "SELECT id_number_enc, credit_code FROM case_party WHERE case_id = ? AND name = ?"
                                              " AND role = 'debtor' LIMIT 1")
                              : NULL;
            if (p) {
                db_bind_int64(p, 1, db_col_int64(s, 4));
                db_bind_text(p, 2, name, -1);
                if (db_step(p) == DB_ROW) {
                    char *mk = db_col_is_null(p, 0) ? NULL : zx_pii_col_masked(p, 0, ZX_PII_ID_NUMBER);
                    const char *cc = db_col_text(p, 1);
                    if (mk || (unit && cc)) json_object_set_new(it, "id_number", json_string(mk ? mk : cc));
                    free(mk);
                }
                db_finalize(p);
            }
            json_array_append_new(items, it);
        }
        json_decref(d);
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:I,s:I,s:I,s:o,s:s}", "total", (json_int_t)total, "page", (json_int_t)o.page, "size",
                                    (json_int_t)o.size, "items", items, "basis",
                                    "依《关于人民法院执行流程公开的若干意见》（法发〔2014〕18号）公开；自然人仅显示姓氏，证件号码脱敏。"));
}

/* ---- GET /api/v1/portal/case-flow ---- */
static void open_case_flow(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    open_q o;
    if (!read_q(r, &o)) return;
    if (!o.q && !o.ncourts) return zx_reply_error(r, 400, "BAD_QUERY", "请输入案号或选择法院");
    size_t cap = 1024 + (size_t)o.ncourts * 24;
    char *sql = zx_alloc(r, cap), *csql = zx_alloc(r, cap);
    const char *where = o.q ? " WHERE e.case_no LIKE ?" : " WHERE 1 = 1";
    snprintf(sql, cap, "SELECT e.id, e.case_no, ct.name, e.type_code, e.filed_on, e.stage, e.status, e.closed_on, e.closure_mode"
                       " FROM enf_case e JOIN court ct ON ct.id = e.court_id%s", where);
    snprintf(csql, cap, "SELECT COUNT(*) FROM (SELECT 1 FROM enf_case e%s", where);
    add_courts(sql, cap, "e.court_id", &o);
    add_courts(csql, cap, "e.court_id", &o);
    size_t n = strlen(sql);
    snprintf(sql + n, cap - n, " ORDER BY e.filed_on DESC, e.id DESC LIMIT %lld OFFSET %lld", (long long)o.size,
             (long long)((o.page - 1) * o.size));
    n = strlen(csql);
    snprintf(csql + n, cap - n, " LIMIT 10001) t");
    char *like = o.q ? zx_sprintf(r, "%%%s%%", o.q) : NULL;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, csql);
    if (!s) return zx_pp_dberr(r);
    if (like) db_bind_text(s, 1, like, -1);
    int64_t total = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    s = db_prepare(c, sql);
    if (!s) return zx_pp_dberr(r);
    if (like) db_bind_text(s, 1, like, -1);
    json_t *items = json_array();
    int64_t ids[50];
    int nid = 0;
    while (db_step(s) == DB_ROW && nid < 50) {
        const char *st = db_col_text(s, 6), *cm = db_col_text(s, 8);
        json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "case_no", db_col_text(s, 1), "court", db_col_text(s, 2),
                               "type_code", db_col_text(s, 3), "filed_on", db_col_text(s, 4) ? db_col_text(s, 4) : "",
                               "stage_label", zx_case_stage_label(db_col_text(s, 5)), "status", st,
                               "status_label", !strcmp(st, "closed") ? "已结案" : !strcmp(st, "suspended") ? "中止/暂缓" : "在办");
        if (db_col_text(s, 7)) json_object_set_new(it, "closed_on", json_string(db_col_text(s, 7)));
        if (closure_label(cm)) json_object_set_new(it, "closure_label", json_string(closure_label(cm)));
        ids[nid++] = db_col_int64(s, 0);
        json_array_append_new(items, it);
    }
    db_finalize(s);
    /* one exact 案号: its public nodes (the labels a party sees, without their data) */
    if (o.q && nid == 1 && total == 1) {
        json_t *nodes = json_array();
        s = db_prepare(c, "SELECT kind, on_date, data FROM case_event WHERE case_id = ? ORDER BY seq");
        if (s) {
            db_bind_int64(s, 1, ids[0]);
            while (db_step(s) == DB_ROW) {
                json_t *d = db_col_text(s, 2) ? json_loads(db_col_text(s, 2), 0, NULL) : NULL;
                /* not where the court looks for property (the public includes the debtor: portal.h) */
                const char *label = zx_portal_node_applicant_only(db_col_text(s, 0)) ? NULL : zx_portal_node_label(db_col_text(s, 0), d);
                /* the flow, not the content: who paid what and which asset stay with the parties */
                if (label) json_array_append_new(nodes, json_pack("{s:s,s:s}", "on_date", db_col_text(s, 1), "label", label));
                json_decref(d);
            }
            db_finalize(s);
        }
        json_object_set_new(json_array_get(items, 0), "nodes", nodes);
    }
    zx_reply_json(r, 200, json_pack("{s:I,s:b,s:I,s:I,s:o}", "total", (json_int_t)(total > 10000 ? 10000 : total), "total_capped",
                                    total > 10000, "page", (json_int_t)o.page, "size", (json_int_t)o.size, "items", items));
}

static const struct zx_route portal_open_routes[] = {
    { "GET", "/api/v1/portal/measures", open_measures, ZX_R_PUBLIC, 0, NULL,
      "公开平台：强制措施（罚款、拘留）——法院、案号、措施、对象（自然人仅显示姓氏，证件号脱敏），可检索、分页" },
    { "GET", "/api/v1/portal/case-flow", open_case_flow, ZX_R_PUBLIC, 0, NULL,
      "公开平台：执行案件流程信息（案号、法院、立案日期、阶段、状态、结案方式；单一案号显示公开节点），可检索、分页" },
};
ZX_ROUTES(portal_open_routes)
