/* system.c — operational endpoints: liveness, Prometheus metrics, the OpenAPI document.
 * /healthz is benchmarked against a raw epoll responder, so it touches neither the DB nor jansson. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "app.h"
#include "core/crypto.h"
#include "http/http.h"
#include "http/http_internal.h"

static void healthz(zx_req *r)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    zx_reply_raw(r, 200, "application/json; charset=utf-8", ok, sizeof ok - 1, NULL);
}

/* /metrics (issue 10 item 14): with cfg.metrics_token set, only "Authorization: Bearer <token>"
 * (compared in constant time); without it, only clients on the loopback interface (a local
 * Prometheus agent or the benchmark) — never the network. docs/SECURITY.md. */
static bool metrics_allowed(zx_req *r)
{
    const char *tok = r->app->cfg.metrics_token;
    if (tok[0]) {
        const char *a = zx_header(r, "authorization");
        size_t n = strlen(tok);
        if (a && !strncasecmp(a, "Bearer ", 7) && strlen(a + 7) == n && zx_ct_equal(a + 7, tok, n)) return true;
        zx_add_header(r, "www-authenticate", "Bearer realm=\"metrics\"");
        zx_reply_error(r, 401, "UNAUTHENTICATED", "指标接口需要令牌");
        return false;
    }
    const char *ip = r->client_ip;
    if (!strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11)) return true;
    zx_reply_error(r, 403, "FORBIDDEN", "指标接口仅对本机开放（或配置 metrics_token）");
    return false;
}

static void metrics(zx_req *r)
{
    if (!metrics_allowed(r)) return;
    size_t n = 0;
    char *text = zx_metrics_render(r->app, &n);
    zx_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, n, NULL);
    free(text);
}

static void openapi(zx_req *r)
{
    zx_reply_json(r, 200, zx_openapi_document());
}

static const struct zx_route system_routes[] = {
    { "GET", "/healthz", healthz, ZX_R_PUBLIC, 0, NULL, "存活检查" },
    { "GET", "/metrics", metrics, ZX_R_PUBLIC, 0, NULL, "Prometheus 指标（Bearer metrics_token；未配置时仅本机）" },
    { "GET", "/api/v1/openapi.json", openapi, ZX_R_PUBLIC, 0, NULL, "OpenAPI 接口文档" },
};
ZX_ROUTES(system_routes)
