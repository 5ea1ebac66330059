/* system.c — operational endpoints: liveness, Prometheus metrics, the OpenAPI document.
 * /healthz is benchmarked against a raw epoll responder, so it touches neither the DB nor jansson. */
#include <stdlib.h>
#include "app.h"
#include "http/http.h"
#include "http/http_internal.h"

static void healthz(zx_req *r)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    zx_reply_raw(r, 200, "application/json; charset=utf-8", ok, sizeof ok - 1, NULL);
}

static void metrics(zx_req *r)
{
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
    { "GET", "/metrics", metrics, ZX_R_PUBLIC, 0, NULL, "Prometheus 指标" },
    { "GET", "/api/v1/openapi.json", openapi, ZX_R_PUBLIC, 0, NULL, "OpenAPI 接口文档" },
};
ZX_ROUTES(system_routes)
