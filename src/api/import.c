/* api/import.c — POST /api/v1/import/cases: history import from CSV (src/case/import.h).
 * Body: the CSV itself (text/csv, UTF-8, ≤ upload_limit). Synchronous: the reply comes when the
 * whole file is validated and (if clean) committed, so the UI shows one spinner and then either the
 * counts or the error list — no job state to lose if the server restarts.
 *   201 {"imported":N,"open":N,"closed":N,"courts":N,"validate_ms":…,"write_ms":…}
 *   400 {"error":{"code":"IMPORT_INVALID","message":"…","total":N,
 *                 "errors":[{"line":3,"column":"filed_on","code":"INVALID_DATE","message":"…"}]}}
 * Roles: chief, command, filing clerk, sysadmin; every row's court must be visible to the caller
 * (zx_can_see_court). One audit record `case.import`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/import.h"
#include "http/http.h"

static bool api_court_allowed(int64_t court_id, void *arg)
{
    zx_req *r = arg;
    return zx_can_see_court(&r->who, court_id);
}

static int api_audit(db_conn *c, void *arg, const char *detail)
{
    zx_req *r = arg;
    return zx_audit_req(r, c, "case.import", "import_file", 0, "ok", detail);
}

static void import_cases(zx_req *r)
{
    const char *ct = zx_header(r, "content-type");
    if (ct && strncmp(ct, "text/csv", 8) && strncmp(ct, "text/plain", 10) &&
        strncmp(ct, "application/octet-stream", 24)) {
        zx_reply_error(r, 415, "UNSUPPORTED_MEDIA_TYPE", "请上传 CSV 文件（text/csv）");
        return;
    }
    if (r->body_len == 0) {
        zx_reply_error(r, 400, "EMPTY_FILE", "上传的文件为空");
        return;
    }
    const char *me = zx_query(r, "max_errors");
    int max_errors = me ? atoi(me) : 200;
    if (max_errors <= 0 || max_errors > 10000) max_errors = 200;
    zx_import_opts o = { .max_errors = max_errors, .progress = false, .court_allowed = api_court_allowed,
                         .audit = api_audit, .arg = r, .db = r->app ? r->app->db : NULL };
    zx_import_result res;
    int rc = zx_import_cases(zx_db(r), r->body, r->body_len, &o, &res);
    if (rc == 0) {
        json_t *body = json_pack("{s:I, s:I, s:I, s:I, s:I, s:i, s:i}", "imported", (json_int_t)res.inserted,
                                 "rows", (json_int_t)res.rows, "open", (json_int_t)res.opened, "closed",
                                 (json_int_t)res.closed, "courts", (json_int_t)res.courts, "validate_ms",
                                 (int)res.validate_ms, "write_ms", (int)res.write_ms);
        zx_reply_json(r, 201, body);
    } else if (rc == 1) {
        json_t *errs = json_array();
        for (int i = 0; i < res.nkept; i++) {
            const zx_import_err *e = &res.errs[i];
            json_array_append_new(errs, json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)e->line, "column",
                                                  e->column, "code", e->code, "message", e->message));
        }
        json_t *extra = json_pack("{s:I, s:I, s:o}", "total", (json_int_t)res.nerrors, "rows",
                                  (json_int_t)res.rows, "errors", errs);
        char msg[160];
        snprintf(msg, sizeof msg, "文件校验未通过：共 %lld 处错误，未导入任何记录", (long long)res.nerrors);
        zx_reply_error_ex(r, 400, "IMPORT_INVALID", msg, extra);
    } else {
        zx_reply_error(r, 500, "DB_ERROR", "导入失败（数据库错误），未导入任何记录");
    }
    zx_import_result_free(&res);
}

static const struct zx_route import_routes[] = {
    { "POST", "/api/v1/import/cases", import_cases, ZX_R_USER | ZX_R_RAW_BODY | ZX_R_BIG_BODY,
      ROLE_CHIEF | ROLE_COMMAND | ROLE_FILING_CLERK | ROLE_SYSADMIN, NULL, "导入历史执行案件（CSV，全部成功或全部不导入）" },
};
ZX_ROUTES(import_routes)
