/* api/audit.c — the audit administrator's search, export and chain verification (security.md §1.3).
 * There is deliberately no route that edits or deletes audit records. */
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Build WHERE from the query: from/to (dates, Shanghai), user, action prefix, object, result. */
static db_stmt *audit_query(zx_req *r, bool paged, int64_t *limit, int64_t *offset, bool *bad)
{
    *bad = false;
    const char *from = zx_query(r, "from"), *to = zx_query(r, "to"), *user = zx_query(r, "user"),
               *action = zx_query(r, "action"), *result = zx_query(r, "result"), *obj = zx_query(r, "object_id");
    zx_date df = 0, dt = 0;
    if ((from && zx_date_parse(from, &df)) || (to && zx_date_parse(to, &dt))) {
        *bad = true;
        zx_reply_error(r, 400, "INVALID_DATE", "日期格式应为 YYYY-MM-DD");
        return NULL;
    }
    /* Shanghai midnight = UTC 16:00 of the previous day. */
    int64_t from_ms = from ? (int64_t)df * 86400000 - 8 * 3600000 : 0;
    int64_t to_ms = to ? ((int64_t)dt + 1) * 86400000 - 8 * 3600000 : INT64_MAX;
    int64_t page, size;
    if (!zx_query_int(r, "page", 1, 1000000, 1, &page) || !zx_query_int(r, "size", 1, 500, 50, &size)) return NULL;
    *limit = paged ? size : 1000000;
    *offset = paged ? (page - 1) * size : 0;
    db_stmt *s = db_prepare(zx_db(r),
        "SELECT seq, at_ms, user_id, username, court_code, action, object_type, object_id, result, client_ip,"
        " request_id, detail, hash FROM audit_log WHERE at_ms >= ? AND at_ms < ?"
        " AND (? = '' OR username = ?) AND (? = '' OR action LIKE ?) AND (? = '' OR result = ?)"
        " AND (? = '' OR object_id = ?) ORDER BY seq DESC LIMIT ? OFFSET ?");
    if (!s) return NULL;
    const char *u = user ? user : "", *a = action ? action : "", *res = result ? result : "", *o = obj ? obj : "";
    char *alike = zx_sprintf(r, "%s%%", a);
    db_bind_int64(s, 1, from_ms);
    db_bind_int64(s, 2, to_ms);
    db_bind_text(s, 3, u, -1);
    db_bind_text(s, 4, u, -1);
    db_bind_text(s, 5, a, -1);
    db_bind_text(s, 6, alike, -1);
    db_bind_text(s, 7, res, -1);
    db_bind_text(s, 8, res, -1);
    db_bind_text(s, 9, o, -1);
    db_bind_text(s, 10, o, -1);
    db_bind_int64(s, 11, *limit);
    db_bind_int64(s, 12, *offset);
    return s;
}

static void audit_search(zx_req *r)
{
    int64_t limit, offset;
    bool bad;
    db_stmt *s = audit_query(r, true, &limit, &offset, &bad);
    if (bad) return;
    if (!s) {
        zx_reply_error(r, 500, "INTERNAL", "查询失败");
        return;
    }
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *d = db_col_text(s, 11) ? json_loads(db_col_text(s, 11), 0, NULL) : NULL;
        json_array_append_new(arr, json_pack("{s:I,s:I,s:o,s:s,s:s?,s:s,s:s?,s:s?,s:s,s:s?,s:s?,s:o?,s:s}",
            "seq", (json_int_t)db_col_int64(s, 0), "at_ms", (json_int_t)db_col_int64(s, 1), "user_id",
            json_sprintf("%lld", (long long)db_col_int64(s, 2)), "username", db_col_text(s, 3), "court_code", db_col_text(s, 4),
            "action", db_col_text(s, 5), "object_type", db_col_text(s, 6), "object_id", db_col_text(s, 7),
            "result", db_col_text(s, 8), "client_ip", db_col_text(s, 9), "request_id", db_col_text(s, 10),
            "detail", d, "hash", db_col_text(s, 12)));
    }
    db_finalize(s);
    int64_t total = 0;
    db_exec_int64(zx_db(r), "SELECT seq FROM audit_head WHERE id = 1", &total);
    zx_audit_req_tx(r, "audit.search", "audit_log", 0, "ok", NULL);
    zx_reply_json(r, 200, json_pack("{s:o,s:I,s:I}", "records", arr, "total_records", (json_int_t)total,
                                    "offset", (json_int_t)offset));
}

static void csv_field(char **buf, size_t *len, size_t *cap, const char *v, bool last)
{
    size_t need = *len + (v ? strlen(v) * 2 : 0) + 4;
    if (need > *cap) {
        *cap = need * 2 + 4096;
        *buf = realloc(*buf, *cap);
    }
    char *b = *buf;
    b[(*len)++] = '"';
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '"') b[(*len)++] = '"';
        b[(*len)++] = *p;
    }
    b[(*len)++] = '"';
    b[(*len)++] = last ? '\n' : ',';
}

static void audit_export(zx_req *r)
{
    int64_t limit, offset;
    bool bad;
    db_stmt *s = audit_query(r, false, &limit, &offset, &bad);
    if (bad) return;
    if (!s) {
        zx_reply_error(r, 500, "INTERNAL", "导出失败");
        return;
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    const char *hdr = "\xEF\xBB\xBFseq,at_ms,user_id,username,court_code,action,object_type,object_id,result,client_ip,request_id,detail,hash\n";
    memcpy(buf, hdr, strlen(hdr));
    len = strlen(hdr);
    while (db_step(s) == DB_ROW) {
        for (int i = 0; i < 13; i++) {
            char num[24];
            const char *v = db_col_text(s, i);
            if (i <= 2) {
                snprintf(num, sizeof num, "%lld", (long long)db_col_int64(s, i));
                v = num;
            }
            csv_field(&buf, &len, &cap, v, i == 12);
        }
    }
    db_finalize(s);
    zx_audit_req_tx(r, "audit.export", "audit_log", 0, "ok", NULL);
    zx_reply_raw(r, 200, "text/csv; charset=utf-8", buf, len, "attachment; filename=\"audit.csv\"");
    free(buf);
}

static void audit_verify(zx_req *r)
{
    int64_t n, bad;
    char why[256];
    int rc = zx_audit_verify(zx_db(r), &n, &bad, why, sizeof why);
    if (rc < 0) {
        zx_reply_error(r, 500, "INTERNAL", "校验失败：%s", why);
        return;
    }
    zx_audit_req_tx(r, "audit.verify", "audit_log", 0, rc ? "failed" : "ok", NULL);
    zx_reply_json(r, 200, json_pack("{s:b,s:I,s:I,s:s}", "intact", rc == 0, "verified", (json_int_t)n, "first_bad_seq",
                                    (json_int_t)bad, "reason", why));
}

static const struct zx_route routes[] = {
    {"GET", "/api/v1/audit", audit_search, ZX_R_USER, ROLE_AUDITOR, NULL, "审计记录检索（审计管理员）"},
    {"GET", "/api/v1/audit/export", audit_export, ZX_R_USER, ROLE_AUDITOR, NULL, "审计记录导出 CSV（审计管理员）"},
    {"GET", "/api/v1/audit/verify", audit_verify, ZX_R_USER, ROLE_AUDITOR, NULL, "校验审计哈希链（审计管理员）"},
};
ZX_ROUTES(routes)
