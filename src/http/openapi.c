/* openapi.c — the OpenAPI 3.0.3 document, generated from the registered route table so it can
 * never list an endpoint that does not exist or miss one that does.
 *
 * Per route: method, summary, path parameters (":id" → "{id}"; "id"/"*_id" are int64), a JSON
 * request body for POST/PUT/PATCH (CSV/raw for ZX_R_RAW_BODY), security (staff: bearerAuth or
 * cookieAuth + X-CSRF-Token; partners: partnerKey with the required scope in x-zx-scope), the roles
 * allowed (x-zx-roles) and the standard error response. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "account/authz.h"
#include "http/http_internal.h"

static json_t *error_ref(const char *desc)
{
    (void)desc;
    return json_pack("{s:s}", "$ref", "#/components/responses/Error");
}

/* "/api/v1/cases/:id" → "/api/v1/cases/{id}"; fills params with the names. */
static void oa_path(const char *pattern, char *out, size_t cap, json_t *params)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 4 < cap;) {
        if (*p == ':' && (p == pattern || p[-1] == '/')) {
            const char *e = strchr(p, '/');
            size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
            o += (size_t)snprintf(out + o, cap - o, "{%s}", name);
            size_t nl = strlen(name);
            bool is_id = !strcmp(name, "id") || (nl > 3 && !strcmp(name + nl - 3, "_id"));
            json_array_append_new(
                params, json_pack("{s:s,s:s,s:b,s:o}", "name", name, "in", "path", "required", 1, "schema",
                                  is_id ? json_pack("{s:s,s:s}", "type", "integer", "format", "int64")
                                        : json_pack("{s:s}", "type", "string")));
            p += n + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

static void op_id(const struct zx_route *rt, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *m = rt->method; *m && o + 1 < cap; m++) out[o++] = (char)tolower((unsigned char)*m);
    bool up = true;
    for (const char *p = rt->pattern; *p && o + 1 < cap; p++) {
        if (isalnum((unsigned char)*p)) {
            out[o++] = up ? (char)toupper((unsigned char)*p) : *p;
            up = false;
        } else {
            up = true;
            if (*p == ':' && o + 3 < cap) { memcpy(out + o, "By", 2); o += 2; }
        }
    }
    out[o] = 0;
}

static json_t *operation(const struct zx_route *rt, json_t *params)
{
    char id[256];
    op_id(rt, id, sizeof id);
    json_t *op = json_pack("{s:s,s:s}", "summary", rt->summary ? rt->summary : rt->pattern, "operationId", id);
    const char *tag = "system";
    if (!strncmp(rt->pattern, "/api/v1/", 8)) {
        static _Thread_local char t[64];
        const char *s = rt->pattern + 8, *e = strchr(s, '/');
        snprintf(t, sizeof t, "%.*s", (int)(e ? e - s : (long)strlen(s)), s);
        tag = t;
    }
    json_object_set_new(op, "tags", json_pack("[s]", tag));
    if (json_array_size(params)) json_object_set(op, "parameters", params);

    bool body = !strcmp(rt->method, "POST") || !strcmp(rt->method, "PUT") || !strcmp(rt->method, "PATCH");
    if (body) {
        json_t *content = (rt->flags & ZX_R_RAW_BODY)
                              ? json_pack("{s:{s:{s:s}}, s:{s:{s:s,s:s}}}", "text/csv", "schema", "type", "string",
                                          "application/octet-stream", "schema", "type", "string", "format", "binary")
                              : json_pack("{s:{s:{s:s}}}", "application/json", "schema", "type", "object");
        json_object_set_new(op, "requestBody", json_pack("{s:b,s:o}", "required", 0, "content", content));
    }

    json_t *responses = json_pack("{s:{s:s}}", "200", "description", "成功");
    json_object_set_new(responses, "default", error_ref("错误"));
    json_object_set_new(op, "responses", responses);

    if (rt->flags & (ZX_R_USER | ZX_R_PARTNER)) {
        json_t *sec = json_array();
        if (rt->flags & ZX_R_USER) {
            json_array_append_new(sec, json_pack("{s:[]}", "bearerAuth"));
            json_array_append_new(sec, json_pack("{s:[]}", "cookieAuth"));
        }
        if (rt->flags & ZX_R_PARTNER) {
            json_array_append_new(sec, json_pack("{s:[]}", "partnerKey"));
            if (rt->scope) json_object_set_new(op, "x-zx-scope", json_string(rt->scope));
        }
        json_object_set_new(op, "security", sec);
        if ((rt->flags & ZX_R_USER) && rt->roles) {
            json_t *roles = json_array();
            for (unsigned bit = 1; bit && bit <= rt->roles; bit <<= 1)
                if (rt->roles & bit) {
                    const char *code = zx_role_code(bit);
                    if (code) json_array_append_new(roles, json_string(code));
                }
            json_object_set_new(op, "x-zx-roles", roles);
        }
    } else {
        json_object_set_new(op, "security", json_array()); /* public */
    }
    if (rt->flags & ZX_R_BIG_BODY) json_object_set_new(op, "x-zx-upload", json_true());
    return op;
}

static json_t *components(void)
{
    return json_pack(
        "{s:{s:{s:s,s:[s],s:{s:{s:s,s:[s,s],s:{s:{s:s,s:s},s:{s:s,s:s}}}}}},"
        " s:{s:{s:s,s:{s:{s:{s:s}}}}},"
        " s:{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s}}}",
        "schemas", "Error", "type", "object", "required", "error", "properties", "error", "type", "object",
        "required", "code", "message", "properties", "code", "type", "string", "description",
        "UPPER_SNAKE 错误码，如 BAD_JSON、UNAUTHENTICATED、FORBIDDEN、NOT_FOUND", "message", "type", "string",
        "description", "中文说明",
        "responses", "Error", "description", "错误 {\"error\":{\"code\",\"message\"}}", "content",
        "application/json", "schema", "$ref", "#/components/schemas/Error",
        "securitySchemes", "bearerAuth", "type", "http", "scheme", "bearer", "description",
        "登录返回的会话令牌 (64 位十六进制)", "cookieAuth", "type", "apiKey", "in", "cookie", "name", "zx_session",
        "description", "浏览器会话 Cookie；POST/PUT/PATCH/DELETE 需附带 X-CSRF-Token 头", "partnerKey", "type",
        "http", "scheme", "bearer", "description", "合作单位 API 密钥 zxk_…，所需权限范围见 x-zx-scope");
}

json_t *zx_openapi_document(void)
{
    json_t *paths = json_object();
    int n = zx_router_count();
    for (int i = 0; i < n; i++) {
        const struct zx_route *rt = zx_router_at(i);
        char path[512];
        json_t *params = json_array();
        oa_path(rt->pattern, path, sizeof path, params);
        json_t *item = json_object_get(paths, path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, path, item);
        }
        char m[16];
        size_t k = 0;
        for (; rt->method[k] && k + 1 < sizeof m; k++) m[k] = (char)tolower((unsigned char)rt->method[k]);
        m[k] = 0;
        json_object_set_new(item, m, operation(rt, params));
        json_decref(params);
    }
    return json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:o}", "openapi", "3.0.3", "info", "title",
                     "zhixing 执行案件办理平台 API", "version", "1.0.0", "description",
                     "错误统一为 {\"error\":{\"code\":\"UPPER_SNAKE\",\"message\":\"中文说明\"}}；每个响应带 x-request-id。",
                     "servers", "url", "/", "paths", paths, "components", components());
}
