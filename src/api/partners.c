/* api/partners.c — partner organisations and their API keys, managed by the security administrator. */
#include "account/account.h"
#include "account/auth.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include <string.h>

static void partners_list(zx_req *r)
{
    db_stmt *s = db_prepare(zx_db(r), "SELECT p.id, p.name, p.kind, p.created_ms, p.disabled, k.key_prefix, k.scopes,"
                                      " k.revoked FROM partner p LEFT JOIN api_key k ON k.partner_id = p.id"
                                      " ORDER BY p.id");
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:I,s:b,s:s?,s:s?,s:b}", "id", json_sprintf("%lld", (long long)db_col_int64(s, 0)),
                                             "name", db_col_text(s, 1), "kind", db_col_text(s, 2), "created_ms",
                                             (json_int_t)db_col_int64(s, 3), "disabled", db_col_int64(s, 4) != 0,
                                             "key_prefix", db_col_text(s, 5), "scopes", db_col_text(s, 6), "revoked",
                                             db_col_int64(s, 7) != 0));
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "partners", arr));
}

static void partners_create(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *name = json_string_value(json_object_get(b, "name"));
    const char *kind = json_string_value(json_object_get(b, "kind"));
    json_t *sc = json_object_get(b, "scopes");
    char scopes[256] = "";
    size_t i;
    json_t *v;
    if (json_is_array(sc)) json_array_foreach(sc, i, v) {
        if (!json_is_string(v) || strlen(scopes) + strlen(json_string_value(v)) + 2 > sizeof scopes) break;
        if (*scopes) strcat(scopes, " ");
        strcat(scopes, json_string_value(v));
    }
    else if (json_is_string(sc)) snprintf(scopes, sizeof scopes, "%s", json_string_value(sc));
    if (!name || !*name || !*scopes) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写单位名称和授权范围（scopes）");
        return;
    }
    char key[80];
    /* A transaction PostgreSQL ends as a deadlock victim (40P01: a concurrent writer holding the audit
     * head) is retried, as PostgreSQL's manual asks; nothing of a failed attempt was committed. */
    int64_t id = -1;
    for (int attempt = 0; attempt < 3 && id == -1; attempt++)
        id = zx_partner_create(r->app->db, name, kind, scopes, r->who.username, key);
    if (id == -2) zx_reply_error(r, 400, "UNKNOWN_SCOPE", "未知授权范围：可选 credit:check credit:feed credit:report credit:bulk funds:notify auction:results");
    else if (id < 0) zx_reply_error(r, 500, "INTERNAL", "创建失败");
    else zx_reply_json(r, 201, json_pack("{s:o,s:s,s:s}", "id", json_sprintf("%lld", (long long)id), "api_key", key, "note", "API 密钥仅显示一次，请妥善交付"));
    zx_wipe(key, sizeof key);
}

static void partners_revoke(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_stmt *s = db_prepare(c, "UPDATE partner SET disabled = 1 WHERE id = ?");
    db_bind_int64(s, 1, id);
    db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    s = db_prepare(c, "UPDATE api_key SET revoked = 1 WHERE partner_id = ?");
    db_bind_int64(s, 1, id);
    db_step(s);
    db_finalize(s);
    if (n != 1) {
        db_rollback(c);
        zx_reply_error(r, 404, "NOT_FOUND", "合作单位不存在");
        return;
    }
    if (zx_audit_req(r, c, "partner.revoke", "partner", id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "操作失败");
        return;
    }
    zx_partner_cache_reload(c);
    zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static const struct zx_route routes[] = {
    {"GET", "/api/v1/partners", partners_list, ZX_R_USER, ROLE_SECADMIN, NULL, "联合惩戒单位及其 API 密钥（安全管理员）"},
    {"POST", "/api/v1/partners", partners_create, ZX_R_USER, ROLE_SECADMIN, NULL, "登记联合惩戒单位并签发 API 密钥（仅显示一次）"},
    {"POST", "/api/v1/partners/:id/revoke", partners_revoke, ZX_R_USER, ROLE_SECADMIN, NULL, "停用单位并吊销其密钥"},
};
ZX_ROUTES(routes)
