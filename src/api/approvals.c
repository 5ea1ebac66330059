/* api/approvals.c — the approval inbox (docs/api/approvals.md): list with age and deadline, one item,
 * approve / return with an opinion, the registered kinds. The decision itself is zx_approval_decide
 * (src/approval/approval.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "approval/approval_internal.h"
#include "case/case.h"

#define MAX_COURTS 4096
#define WARN_DAYS 3 /* an item due within this many days is shown as 临期 */

static void reply_dberr(zx_req *r)
{
    zx_reply_error(r, 500, "DB_ERROR", "数据库错误，请稍后重试");
}

static json_t *user_ref(int64_t id, const char *name)
{
    if (!id) return json_null();
    return json_pack("{s:o,s:s}", "id", zx_json_id(id), "name", name ? name : "");
}

static json_t *court_ref(int64_t id)
{
    const zx_court *ct = zx_court_by_id(id);
    if (!ct) return json_null();
    return json_pack("{s:o,s:s,s:s}", "id", zx_json_id(ct->id), "code", ct->code, "name", ct->name);
}

/* SELECT list for items with their case number and people's names (columns 0–13 = approval row). */
#define ITEM_SELECT                                                                                           \
    "SELECT a.id, a.kind, a.court_id, a.case_id, a.object_id, a.summary, a.status, a.submitted_by,"           \
    " a.submitted_ms, a.submitted_on, a.due_on, a.decided_by, a.decided_ms, a.opinion, a.data,"                      \
    " e.case_no, u.display_name, d.display_name"                                                             \
    " FROM approval a LEFT JOIN enf_case e ON e.id = a.case_id LEFT JOIN app_user u ON u.id = a.submitted_by" \
    " LEFT JOIN app_user d ON d.id = a.decided_by"

static json_t *item_json(zx_req *r, db_stmt *s, zx_date today)
{
    zx_approval a;
    zx_approval_from_row(s, &a);
    json_t *o = json_object();
    json_object_set_new(o, "id", zx_json_id(a.id));
    json_object_set_new(o, "kind", json_string(a.kind));
    json_object_set_new(o, "kind_label", json_string(zx_approval_kind_label(a.kind)));
    json_object_set_new(o, "status", json_string(a.status));
    json_object_set_new(o, "court", court_ref(a.court_id));
    json_object_set_new(o, "case_id", zx_json_id(a.case_id));
    json_object_set_new(o, "case_no", db_col_text(s, 15) ? json_string(db_col_text(s, 15)) : json_null());
    json_object_set_new(o, "object_id", zx_json_id(a.object_id));
    json_object_set_new(o, "summary", json_string(a.summary));
    json_object_set_new(o, "submitted_by", user_ref(a.submitted_by, db_col_text(s, 16)));
    json_object_set_new(o, "submitted_ms", json_integer(a.submitted_ms));
    json_object_set_new(o, "submitted_on", zx_json_date(a.submitted_on));
    json_object_set_new(o, "age_days", json_integer(a.submitted_on != ZX_DATE_NONE ? today - a.submitted_on : 0));
    json_object_set_new(o, "due_on", zx_json_date(a.due_on));
    if (a.due_on != ZX_DATE_NONE && !strcmp(a.status, "pending")) {
        int left = a.due_on - today;
        json_object_set_new(o, "days_left", json_integer(left));
        json_object_set_new(o, "level", json_string(left < 0 ? "overdue" : left <= WARN_DAYS ? "warning" : "ok"));
    } else {
        json_object_set_new(o, "days_left", json_null());
        json_object_set_new(o, "level", json_string(strcmp(a.status, "pending") ? "done" : "ok"));
    }
    json_object_set_new(o, "decided_by", user_ref(a.decided_by, db_col_text(s, 17)));
    json_object_set_new(o, "decided_ms", db_col_is_null(s, 12) ? json_null() : json_integer(db_col_int64(s, 12)));
    json_object_set_new(o, "opinion", db_col_text(s, 13) ? json_string(db_col_text(s, 13)) : json_null());
    json_object_set_new(o, "can_decide",
                        json_boolean(!strcmp(a.status, "pending") && zx_approval_may_decide(&r->who, &a)));
    return o;
}

static bool parse_pos(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s) return false;
    char *e;
    long long v = strtoll(s, &e, 10);
    if (*e || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Courts the caller sees: own court, and for chiefs and command staff every court below. */
static int visible_courts(zx_req *r, int64_t *ids, int cap)
{
    if (r->who.roles & (ROLE_CHIEF | ROLE_COMMAND)) {
        int n = zx_court_subtree(r->who.court_id, ids, cap);
        return n > cap ? cap : n;
    }
    ids[0] = r->who.court_id;
    return 1;
}

static void add_courts(char *sql, size_t cap, const int64_t *ids, int n)
{
    size_t l = strlen(sql);
    l += snprintf(sql + l, cap - l, " a.court_id IN (");
    for (int i = 0; i < n && l < cap - 32; i++) l += snprintf(sql + l, cap - l, "%s%lld", i ? "," : "", (long long)ids[i]);
    snprintf(sql + l, cap - l, ")");
}

/* GET /api/v1/approvals?scope=decide|submitted|courts&status=pending|approved|returned|withdrawn|decided|all
 *   &case_id=&kind=&page=&page_size= */
static void approvals_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    const char *scope = zx_query(r, "scope");
    if (!scope || !*scope) scope = (r->who.roles & ROLE_CHIEF) ? "decide" : "submitted";
    bool decide = !strcmp(scope, "decide"), submitted = !strcmp(scope, "submitted"), courts = !strcmp(scope, "courts");
    if (!decide && !submitted && !courts) {
        zx_reply_error(r, 400, "BAD_REQUEST", "scope 应为 decide、submitted 或 courts");
        return;
    }
    const char *status = zx_query(r, "status");
    if (!status || !*status) status = "pending";
    static const char *const statuses[] = { "pending", "approved", "returned", "withdrawn", "decided", "all", NULL };
    bool ok = false;
    for (int i = 0; statuses[i]; i++) ok = ok || !strcmp(status, statuses[i]);
    if (!ok) {
        zx_reply_error(r, 400, "BAD_REQUEST", "status 无效");
        return;
    }
    if (decide) status = "pending";
    int64_t page = 1, size = 20, case_id = 0;
    if (zx_query(r, "page") && !parse_pos(zx_query(r, "page"), 1, 100000, &page)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "page 无效");
        return;
    }
    if (zx_query(r, "page_size") && !parse_pos(zx_query(r, "page_size"), 1, 200, &size)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "page_size 应为 1–200");
        return;
    }
    if (zx_query(r, "case_id") && !parse_pos(zx_query(r, "case_id"), 1, INT64_MAX, &case_id)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "case_id 无效");
        return;
    }
    const char *kind = zx_query(r, "kind");
    if (kind && *kind && !zx_approval_kind_find(kind)) {
        zx_reply_error(r, 400, "BAD_REQUEST", "kind 无效");
        return;
    }

    int64_t *ids = zx_alloc(r, MAX_COURTS * sizeof(int64_t));
    int nc = visible_courts(r, ids, MAX_COURTS);
    size_t cap = 256 + (size_t)nc * 22 + 1024;
    char *where = zx_alloc(r, cap);
    snprintf(where, cap, " WHERE");
    add_courts(where, cap, ids, nc);
    size_t l = strlen(where);
    if (!strcmp(status, "decided")) l += snprintf(where + l, cap - l, " AND a.status IN ('approved','returned')");
    else if (strcmp(status, "all")) l += snprintf(where + l, cap - l, " AND a.status = ?");
    if (submitted) l += snprintf(where + l, cap - l, " AND a.submitted_by = ?");
    if (case_id) l += snprintf(where + l, cap - l, " AND a.case_id = ?");
    if (kind && *kind) l += snprintf(where + l, cap - l, " AND a.kind = ?");
    bool bind_status = strcmp(status, "decided") && strcmp(status, "all");

    zx_date today = zx_today();
    json_t *items = json_array();
    int64_t total = 0;
    const char *order = !strcmp(status, "pending") ? " ORDER BY a.submitted_ms, a.id" : " ORDER BY a.submitted_ms DESC, a.id DESC";
    char *sql = zx_sprintf(r, ITEM_SELECT "%s%s%s", where, order, decide ? "" : " LIMIT ? OFFSET ?");
    db_stmt *s = db_prepare(c, sql);
    if (!s) {
        json_decref(items);
        reply_dberr(r);
        return;
    }
    int b = 1;
    if (bind_status) db_bind_text(s, b++, status, -1);
    if (submitted) db_bind_int64(s, b++, r->who.user_id);
    if (case_id) db_bind_int64(s, b++, case_id);
    if (kind && *kind) db_bind_text(s, b++, kind, -1);
    if (!decide) {
        db_bind_int64(s, b++, size);
        db_bind_int64(s, b++, (page - 1) * size);
    }
    int rc;
    int64_t skip = (page - 1) * size;
    while ((rc = db_step(s)) == DB_ROW) {
        if (decide) { /* only what this caller may sign; paged here (the pending set is small) */
            zx_approval a;
            zx_approval_from_row(s, &a);
            if (!zx_approval_may_decide(&r->who, &a)) continue;
            total++;
            if (total <= skip || total > skip + size) continue;
        }
        json_array_append_new(items, item_json(r, s, today));
    }
    db_finalize(s);
    if (rc != DB_DONE) {
        json_decref(items);
        reply_dberr(r);
        return;
    }
    if (!decide) {
        char *csql = zx_sprintf(r, "SELECT COUNT(*) FROM approval a%s", where);
        s = db_prepare(c, csql);
        if (!s) {
            json_decref(items);
            reply_dberr(r);
            return;
        }
        b = 1;
        if (bind_status) db_bind_text(s, b++, status, -1);
        if (submitted) db_bind_int64(s, b++, r->who.user_id);
        if (case_id) db_bind_int64(s, b++, case_id);
        if (kind && *kind) db_bind_text(s, b++, kind, -1);
        rc = db_step(s);
        total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
        db_finalize(s);
        if (rc != DB_ROW) {
            json_decref(items);
            reply_dberr(r);
            return;
        }
    }
    int64_t waiting = zx_approval_count_for(c, &r->who);
    zx_reply_json(r, 200, json_pack("{s:I,s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                                    "page_size", (json_int_t)size, "waiting", (json_int_t)(waiting < 0 ? 0 : waiting),
                                    "items", items));
}

/* Load one item the caller may see (replies 404 otherwise). */
static json_t *load_item(zx_req *r, int64_t id)
{
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, ITEM_SELECT " WHERE a.id = ?");
    if (!s) {
        reply_dberr(r);
        return NULL;
    }
    db_bind_int64(s, 1, id);
    json_t *o = NULL;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        zx_approval a;
        zx_approval_from_row(s, &a);
        bool mine = a.submitted_by == r->who.user_id;
        if (mine || zx_can_see_court(&r->who, a.court_id)) o = item_json(r, s, zx_today());
    }
    db_finalize(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        reply_dberr(r);
        return NULL;
    }
    if (!o) zx_reply_error(r, 404, "NOT_FOUND", "审批事项不存在");
    return o;
}

static void approval_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *o = load_item(r, id);
    if (o) zx_reply_json(r, 200, o);
}

static void decide(zx_req *r, bool approve)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *body = zx_body_json(r);
    if (!body) return;
    json_t *op = json_object_get(body, "opinion");
    if (op && !json_is_string(op) && !json_is_null(op)) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "审批意见应为文字");
        return;
    }
    const char *opinion = json_is_string(op) ? json_string_value(op) : "";
    /* trim leading/trailing blanks for the emptiness check */
    const char *p = opinion;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (!approve && !*p) {
        zx_reply_error(r, 400, "OPINION_REQUIRED", "退回须填写审批意见");
        return;
    }
    if (strlen(opinion) > 2000) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "审批意见不超过 2000 字节");
        return;
    }
    zx_approval_err err;
    int rc = zx_approval_decide(r, zx_db(r), id, approve, opinion, NULL, &err);
    if (rc != 0) {
        zx_reply_error(r, err.status ? err.status : 500, err.code ? err.code : "DB_ERROR", "%s",
                       err.message[0] ? err.message : "数据库错误，审批未生效");
        return;
    }
    json_t *o = load_item(r, id);
    if (o) zx_reply_json(r, 200, o);
}

static void approval_approve(zx_req *r) { decide(r, true); }
static void approval_return(zx_req *r) { decide(r, false); }

static void approval_kinds(zx_req *r) { zx_reply_json(r, 200, zx_approval_kinds_json()); }

static void approval_count(zx_req *r)
{
    int64_t n = zx_approval_count_for(zx_db(r), &r->who);
    if (n < 0) {
        reply_dberr(r);
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:I}", "waiting", (json_int_t)n));
}

static const struct zx_route approval_routes[] = {
    { "GET", "/api/v1/approvals", approvals_list, ZX_R_USER, ROLE_BUSINESS, NULL, "审批事项（待我审批/我提交的/辖区全部）" },
    { "GET", "/api/v1/approvals/count", approval_count, ZX_R_USER, ROLE_BUSINESS, NULL, "待我审批的事项数" },
    { "GET", "/api/v1/approvals/:id", approval_get, ZX_R_USER, ROLE_BUSINESS, NULL, "审批事项详情" },
    { "POST", "/api/v1/approvals/:id/approve", approval_approve, ZX_R_USER, ROLE_BUSINESS, NULL, "批准（可附意见）" },
    { "POST", "/api/v1/approvals/:id/return", approval_return, ZX_R_USER, ROLE_BUSINESS, NULL, "退回（须附意见）" },
    { "GET", "/api/v1/approval-kinds", approval_kinds, ZX_R_USER, 0, NULL, "审批事项种类" },
};
ZX_ROUTES(approval_routes)
