/* common.c — helpers shared by the command-center services (see command.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "case/case.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/case_no.h"

int zx_cmd_fail(zx_cmd_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return status;
}

int zx_cmd_number(db_conn *c, int64_t court_id, const char *kind, int year, char *out, size_t cap)
{
    int64_t seq = zx_case_seq_next(c, court_id, kind, year);
    const zx_court *ct = zx_court_by_id(court_id);
    if (seq <= 0 || !ct) return -1;
    snprintf(out, cap, "（%d）%s%s%lld号", year, ct->code, kind, (long long)seq);
    return 0;
}

int64_t zx_cmd_case_lookup(db_conn *c, const char *ref, int64_t *court_id_out)
{
    if (!ref || !*ref) return 0;
    char norm[128];
    zx_case_no cn;
    const char *key = ref;
    bool by_id = true;
    for (const char *p = ref; *p; p++)
        if (!isdigit((unsigned char)*p)) by_id = false;
    if (!by_id && zx_case_no_parse(ref, &cn) == 0 && zx_case_no_format(&cn, norm, sizeof norm) == 0) key = norm;
    db_stmt *s = db_prepare(c, by_id ? "SELECT id, court_id FROM enf_case WHERE id = ?"
                                     : "SELECT id, court_id FROM enf_case WHERE case_no = ?");
    if (!s) return 0;
    if (by_id) db_bind_int64(s, 1, strtoll(ref, NULL, 10));
    else db_bind_text(s, 1, key, -1);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        if (court_id_out) *court_id_out = db_col_int64(s, 1);
    }
    db_finalize(s);
    return id;
}

bool zx_cmd_is_superior_of(const zx_principal *who, int64_t court_id)
{
    if (!(who->roles & (ROLE_COMMAND | ROLE_CHIEF))) return false;
    return court_id != who->court_id && zx_court_within(court_id, who->court_id);
}

bool zx_cmd_is_own(const zx_principal *who, int64_t court_id) { return who->court_id == court_id; }

int zx_cmd_case_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, json_t *data, bool refresh)
{
    int64_t ev = zx_case_event_add(c, NULL, case_id, user_id, kind, NULL, zx_today(), data, NULL);
    json_decref(data);
    if (ev <= 0) return -1;
    if (refresh && zx_case_refresh(c, case_id) < 0) return -1;
    return 0;
}

const char *zx_cmd_text(json_t *b, const char *key, bool required, size_t max, zx_cmd_err *e)
{
    json_t *v = json_object_get(b, key);
    if (!v || json_is_null(v)) {
        if (required) zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：%s", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    if (!s) {
        zx_cmd_fail(e, 400, "BAD_REQUEST", "%s 必须是文本", key);
        return NULL;
    }
    while (*s == ' ') s++;
    if (!*s) {
        if (required) zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：%s", key);
        return NULL;
    }
    if (strlen(s) > max) {
        zx_cmd_fail(e, 400, "TOO_LONG", "%s 过长（最多 %zu 字节）", key, max);
        return NULL;
    }
    return s;
}

bool zx_cmd_date(json_t *b, const char *key, bool required, zx_date dflt, zx_date *out, zx_cmd_err *e)
{
    json_t *v = json_object_get(b, key);
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
        if (required) {
            zx_cmd_fail(e, 400, "REQUIRED", "缺少必填日期：%s", key);
            return false;
        }
        *out = dflt;
        return true;
    }
    if (!json_is_string(v) || zx_date_parse(json_string_value(v), out) != 0) {
        zx_cmd_fail(e, 400, "BAD_DATE", "%s 不是有效日期（YYYY-MM-DD）", key);
        return false;
    }
    return true;
}

const zx_court *zx_cmd_court(json_t *b, const char *key, zx_cmd_err *e)
{
    const char *code = json_string_value(json_object_get(b, key));
    if (!code || !*code) {
        zx_cmd_fail(e, 400, "REQUIRED", "缺少必填项：%s（法院代字）", key);
        return NULL;
    }
    const zx_court *ct = zx_court_by_code(code);
    if (!ct) {
        zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在：%.60s", code);
        return NULL;
    }
    return ct;
}

int zx_cmd_scope(zx_req *r, const char *code, int64_t *out, int cap, const zx_court **root, zx_cmd_err *e)
{
    const zx_court *ct = code && *code ? zx_court_by_code(code) : zx_court_by_id(r->who.court_id);
    if (!ct) {
        zx_cmd_fail(e, 404, "COURT_NOT_FOUND", "法院不存在：%.60s", code ? code : "");
        return 0;
    }
    if (!zx_can_see_court(&r->who, ct->id)) {
        zx_cmd_fail(e, 403, "FORBIDDEN", "无权查看该法院的数据");
        return 0;
    }
    int n = zx_court_subtree(ct->id, out, cap);
    if (n > cap) n = cap;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (zx_can_see_court(&r->who, out[i])) out[m++] = out[i];
    if (root) *root = ct;
    return m;
}

json_t *zx_cmd_jdate(const char *s) { return s && *s ? json_string(s) : json_null(); }
json_t *zx_cmd_jid(int64_t id) { return zx_json_id(id); }

const char *zx_cmd_court_code(int64_t id)
{
    const zx_court *ct = zx_court_by_id(id);
    return ct ? ct->code : "";
}

const char *zx_cmd_court_name(int64_t id)
{
    const zx_court *ct = zx_court_by_id(id);
    return ct ? ct->name : "";
}
