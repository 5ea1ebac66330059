/* test_router.c — the HTTP layer without sockets: route matching (params, literal precedence,
 * 404 vs 405 + Allow), percent-decoding, query strings, traversal rejection for static paths, the
 * JSON depth pre-scan, body parsing errors, stored replies, metrics text and the OpenAPI document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "http/http_internal.h"
#include "http/metrics.h"

static void h_noop(zx_req *r) { (void)r; }
static void h_other(zx_req *r) { (void)r; }

static const struct zx_route test_routes[] = {
    { "GET", "/t/cases/:id", h_noop, ZX_R_USER, 0, NULL, "test case" },
    { "DELETE", "/t/cases/:id", h_noop, ZX_R_USER, 0, NULL, "test delete" },
    { "GET", "/t/cases/export", h_other, ZX_R_USER, 0, NULL, "test export" },
    { "GET", "/t/cases/:id/events/:event_id", h_noop, ZX_R_PARTNER, 0, "credit:check", "test events" },
    { "POST", "/t/upload", h_noop, ZX_R_PUBLIC | ZX_R_RAW_BODY | ZX_R_BIG_BODY, 0, NULL, "test upload" },
    { "GET", "/t", h_other, ZX_R_PUBLIC, 0, NULL, "test root" },
};
ZX_ROUTES(test_routes)

struct fx {
    h2o_mem_pool_t pool;
    h2o_headers_t req_headers, res_headers;
    zx_app app;
    zx_req r;
    struct zx_req_priv p;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    h2o_mem_init_pool(&f->pool);
    f->app.cfg.json_depth = 4;
    f->app.cfg.body_limit = 1024;
    zx_req_setup(&f->r, &f->p, &f->app, &f->pool, &f->req_headers, &f->res_headers);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    zx_req_cleanup(&f->r);
    h2o_mem_clear_pool(&f->pool);
    free(f);
    return 0;
}

static enum zx_match match(struct fx *f, const char *method, const char *path, char *allow, size_t cap)
{
    int idx = -1;
    zx_req_setup(&f->r, &f->p, &f->app, &f->pool, &f->req_headers, &f->res_headers);
    return zx_router_match(&f->r, method, strlen(method), path, strlen(path), &idx, allow, cap);
}

static void test_params_and_precedence(void **state)
{
    struct fx *f = *state;
    char allow[64];
    assert_int_equal(match(f, "GET", "/t/cases/42", allow, sizeof allow), ZX_MATCH_OK);
    assert_ptr_equal(f->r.route->fn, h_noop);
    assert_string_equal(zx_param(&f->r, "id"), "42");
    int64_t id = 0;
    assert_true(zx_param_id(&f->r, "id", &id));
    assert_int_equal(id, 42);
    assert_null(zx_param(&f->r, "nope"));

    /* A literal segment beats a parameter, whatever the registration order. */
    assert_int_equal(match(f, "GET", "/t/cases/export", allow, sizeof allow), ZX_MATCH_OK);
    assert_ptr_equal(f->r.route->fn, h_other);
    assert_int_equal(f->r.nparams, 0);
    /* …but another method on the same path still reaches the parameter route. */
    assert_int_equal(match(f, "DELETE", "/t/cases/export", allow, sizeof allow), ZX_MATCH_OK);
    assert_string_equal(f->r.route->method, "DELETE");
    assert_string_equal(zx_param(&f->r, "id"), "export");

    assert_int_equal(match(f, "GET", "/t/cases/7/events/9/", allow, sizeof allow), ZX_MATCH_OK);
    assert_string_equal(zx_param(&f->r, "id"), "7");
    assert_string_equal(zx_param(&f->r, "event_id"), "9");
    assert_string_equal(f->r.route->scope, "credit:check");

    /* Path parameters are percent-decoded; an encoded '/' stays inside the segment. */
    assert_int_equal(match(f, "GET", "/t/cases/%E5%BC%A0%20a%2Fb", allow, sizeof allow), ZX_MATCH_OK);
    assert_string_equal(zx_param(&f->r, "id"), "张 a/b");
    assert_int_equal(match(f, "GET", "/t/cases/%zz", allow, sizeof allow), ZX_MATCH_BAD_PATH);

    assert_int_equal(match(f, "GET", "/t", allow, sizeof allow), ZX_MATCH_OK);
    assert_ptr_equal(f->r.route->fn, h_other);
}

static void test_not_found_vs_method(void **state)
{
    struct fx *f = *state;
    char allow[64];
    assert_int_equal(match(f, "GET", "/t/nothing", allow, sizeof allow), ZX_MATCH_NOT_FOUND);
    assert_int_equal(match(f, "GET", "/t/cases", allow, sizeof allow), ZX_MATCH_NOT_FOUND);
    assert_int_equal(match(f, "GET", "/t//cases/1", allow, sizeof allow), ZX_MATCH_NOT_FOUND);
    assert_int_equal(match(f, "GET", "/t/cases/1/events/2/x", allow, sizeof allow), ZX_MATCH_NOT_FOUND);
    assert_int_equal(match(f, "get", "/t/cases/1", allow, sizeof allow), ZX_MATCH_BAD_METHOD);

    assert_int_equal(match(f, "POST", "/t/cases/1", allow, sizeof allow), ZX_MATCH_BAD_METHOD);
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "DELETE"));
    assert_null(strstr(allow, "POST"));
    assert_int_equal(match(f, "PUT", "/t/cases/export", allow, sizeof allow), ZX_MATCH_BAD_METHOD);
    assert_non_null(strstr(allow, "GET"));
    assert_int_equal(match(f, "GET", "/t/upload", allow, sizeof allow), ZX_MATCH_BAD_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(match(f, "GET", "relative", allow, sizeof allow), ZX_MATCH_BAD_PATH);
}

static void test_param_id_rejects(void **state)
{
    struct fx *f = *state;
    const char *bad[] = { "/t/cases/0", "/t/cases/-1", "/t/cases/12a", "/t/cases/99999999999999999999" };
    char allow[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(match(f, "GET", bad[i], allow, sizeof allow), ZX_MATCH_OK);
        int64_t id = -5;
        assert_false(zx_param_id(&f->r, "id", &id));
        assert_int_equal(id, -5);
        assert_true(zx_replied(&f->r));
        assert_int_equal(f->p.status, 400);
        assert_non_null(memmem(f->p.res_body.base, f->p.res_body.len, "\"BAD_REQUEST\"", 13));
    }
}

static void test_percent_decode(void **state)
{
    char out[64];
    assert_int_equal(zx_pct_decode(out, "a%20b+c", 7, false), 5);
    assert_string_equal(out, "a b+c");
    assert_int_equal(zx_pct_decode(out, "a%20b+c", 7, true), 5);
    assert_string_equal(out, "a b c");
    assert_int_equal(zx_pct_decode(out, "%e5%bc%a0", 9, false), 3);
    assert_string_equal(out, "张");
    assert_int_equal(zx_pct_decode(out, "%zz", 3, false), -1);
    assert_int_equal(zx_pct_decode(out, "ab%2", 4, false), -1);
    assert_int_equal(zx_pct_decode(out, "ab%", 3, false), -1);
    assert_int_equal(zx_pct_decode(out, "a%00b", 5, false), -1);
    assert_int_equal(zx_pct_decode(out, "", 0, false), 0);
    assert_string_equal(out, "");
}

static void test_query(void **state)
{
    struct fx *f = *state;
    f->r.query = "a=1&name=%E5%BC%A0+san&empty=&flag&q%20k=v%26w&bad=%zz";
    assert_string_equal(zx_query(&f->r, "a"), "1");
    assert_string_equal(zx_query(&f->r, "name"), "张 san");
    assert_string_equal(zx_query(&f->r, "empty"), "");
    assert_string_equal(zx_query(&f->r, "flag"), "");
    assert_string_equal(zx_query(&f->r, "q k"), "v&w");
    assert_null(zx_query(&f->r, "bad"));
    assert_null(zx_query(&f->r, "missing"));
    assert_null(zx_query(&f->r, "nam"));
    f->r.query = "";
    assert_null(zx_query(&f->r, "a"));
}

static void test_headers(void **state)
{
    struct fx *f = *state;
    h2o_add_header_by_str(&f->pool, &f->req_headers, H2O_STRLIT("x-csrf-token"), 0, NULL, H2O_STRLIT("abc"));
    assert_string_equal(zx_header(&f->r, "X-CSRF-Token"), "abc");
    assert_null(zx_header(&f->r, "authorization"));
}

static void test_traversal(void **state)
{
    const char *bad[] = { "/../etc/passwd", "/app/../../Makefile", "/app/%2e%2e/x", "/app/%2E%2e/x",
                          "/app/.%2e/x", "/a%2fb", "/a%2F..%2Fb", "/a\\..\\b", "/a%5c..%5cb", "/.git/config",
                          "/app/.env", "/a/./b", "/a%00b", "/a/..", "relative", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (zx_path_safe(bad[i], strlen(bad[i]))) fail_msg("path accepted: %s", bad[i]);
    }
    const char *good[] = { "/", "/index.html", "/app/main.js", "/node_modules/vue/dist/vue.esm-browser.prod.js",
                           "/img/a%20b.svg", "/app/pages/" , "/a..b/c...d" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!zx_path_safe(good[i], strlen(good[i]))) fail_msg("path rejected: %s", good[i]);
    }
}

static void test_json_depth(void **state)
{
    assert_true(zx_json_depth_ok("{}", 2, 1));
    assert_false(zx_json_depth_ok("{\"a\":[]}", 8, 1));
    assert_true(zx_json_depth_ok("{\"a\":[]}", 8, 2));
    /* Brackets inside strings, also after escaped quotes, do not count. */
    const char *s = "{\"a\":\"[[[[{{{{\\\"[[[[\"}";
    assert_true(zx_json_depth_ok(s, strlen(s), 1));
    char deep[200];
    size_t n = 0;
    for (int i = 0; i < 33; i++) deep[n++] = '[';
    for (int i = 0; i < 33; i++) deep[n++] = ']';
    assert_false(zx_json_depth_ok(deep, n, 32));
    assert_true(zx_json_depth_ok(deep, n, 33));
    /* Siblings do not add up. */
    const char *wide = "[[1],[2],[3],[4],[5]]";
    assert_true(zx_json_depth_ok(wide, strlen(wide), 2));
}

static void expect_bad_json(struct fx *f, const char *body)
{
    zx_req_setup(&f->r, &f->p, &f->app, &f->pool, &f->req_headers, &f->res_headers);
    f->r.body = body;
    f->r.body_len = body ? strlen(body) : 0;
    assert_null(zx_body_json(&f->r));
    assert_true(zx_replied(&f->r));
    assert_int_equal(f->p.status, 400);
    json_t *j = json_loadb(f->p.res_body.base, f->p.res_body.len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "BAD_JSON");
    assert_non_null(json_string_value(json_object_get(json_object_get(j, "error"), "message")));
    json_decref(j);
}

static void test_body_json(void **state)
{
    struct fx *f = *state;
    expect_bad_json(f, NULL);
    expect_bad_json(f, "");
    expect_bad_json(f, "{bad");
    expect_bad_json(f, "[1,2]");
    expect_bad_json(f, "\"str\"");
    expect_bad_json(f, "{\"a\":1,\"a\":2}");
    expect_bad_json(f, "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}"); /* depth 5 > 4 */

    zx_req_setup(&f->r, &f->p, &f->app, &f->pool, &f->req_headers, &f->res_headers);
    f->r.body = "{\"a\":{\"b\":{\"c\":{}}},\"n\":3}";
    f->r.body_len = strlen(f->r.body);
    json_t *j = zx_body_json(&f->r);
    assert_non_null(j);
    assert_false(zx_replied(&f->r));
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 3);
    assert_ptr_equal(zx_body_json(&f->r), j); /* parsed once, owned by the request */
    zx_req_cleanup(&f->r);
}

static void test_replies(void **state)
{
    struct fx *f = *state;
    zx_reply_error_ex(&f->r, 409, "GATE_NOT_MET", "条件不满足", json_pack("{s:[s]}", "unmet", "x"));
    assert_int_equal(f->p.status, 409);
    assert_string_equal(f->p.res_type, "application/json; charset=utf-8");
    json_t *j = json_loadb(f->p.res_body.base, f->p.res_body.len, 0, NULL);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "GATE_NOT_MET");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "条件不满足");
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "unmet"), 0)), "x");
    json_decref(j);
    /* A second reply is ignored (and does not leak). */
    zx_reply_json(&f->r, 200, json_pack("{s:i}", "a", 1));
    assert_int_equal(f->p.status, 409);

    zx_req_setup(&f->r, &f->p, &f->app, &f->pool, &f->req_headers, &f->res_headers);
    zx_reply_raw(&f->r, 200, "text/csv; charset=utf-8", "a,b\n", 4, "attachment; filename=\"x.csv\"");
    assert_int_equal(f->p.res_body.len, 4);
    assert_memory_equal(f->p.res_body.base, "a,b\n", 4);
    assert_string_equal(f->p.disposition, "attachment; filename=\"x.csv\"");

    assert_string_equal(zx_sprintf(&f->r, "%s-%d", "x", 5), "x-5");
    char big[600];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(strlen(zx_sprintf(&f->r, "%s!", big)), sizeof big);
}

static void test_mime(void **state)
{
    assert_string_equal(zx_mime_type("/a/b.js"), "text/javascript; charset=utf-8");
    assert_string_equal(zx_mime_type("x.mjs"), "text/javascript; charset=utf-8");
    assert_string_equal(zx_mime_type("x.CSS"), "text/css; charset=utf-8");
    assert_string_equal(zx_mime_type("index.html"), "text/html; charset=utf-8");
    assert_string_equal(zx_mime_type("f.woff2"), "font/woff2");
    assert_string_equal(zx_mime_type("i.svg"), "image/svg+xml");
    assert_string_equal(zx_mime_type("x.js.map"), "application/json; charset=utf-8");
    assert_string_equal(zx_mime_type("dir.d/noext"), "application/octet-stream");
}

static int route_index_of(const char *method, const char *pattern)
{
    for (int i = 0; i < zx_router_count(); i++) {
        const struct zx_route *rt = zx_router_at(i);
        if (!strcmp(rt->method, method) && !strcmp(rt->pattern, pattern)) return i;
    }
    return -1;
}

static void test_metrics(void **state)
{
    zx_metrics_init(1, zx_router_count());
    int ri = route_index_of("GET", "/t/cases/:id");
    assert_true(ri >= 0);
    zx_metrics_thread(0);
    zx_metrics_observe(ri, "GET", 3, 200, 300);
    zx_metrics_observe(ri, "GET", 3, 200, 3000000);
    zx_metrics_observe(ri, "GET", 3, 418, 10);
    zx_metrics_thread(-1); /* a non-loop thread: shared block */
    zx_metrics_observe(ZX_PSEUDO_STATIC, "GET", 3, 404, 10);
    zx_counter_add(zx_counter_get("zx_test_total{kind=\"a\"}", "test counter"), 5);
    zx_counter_add(zx_counter_get("zx_test_total{kind=\"a\"}", "test counter"), 2);
    size_t n = 0;
    char *t = zx_metrics_render(NULL, &n);
    assert_int_equal(strlen(t), n);
    assert_non_null(strstr(t, "zx_http_requests_total{route=\"/t/cases/:id\",method=\"GET\",status=\"200\"} 2\n"));
    assert_non_null(strstr(t, "zx_http_requests_total{route=\"/t/cases/:id\",method=\"GET\",status=\"4xx\"} 1\n"));
    assert_non_null(strstr(t, "zx_http_requests_total{route=\"(static)\",method=\"GET\",status=\"404\"} 1\n"));
    assert_non_null(strstr(t, "zx_http_request_duration_seconds_bucket{route=\"/t/cases/:id\",method=\"GET\",le=\"0.0005\"} 2\n"));
    assert_non_null(strstr(t, "zx_http_request_duration_seconds_bucket{route=\"/t/cases/:id\",method=\"GET\",le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(t, "zx_http_request_duration_seconds_count{route=\"/t/cases/:id\",method=\"GET\"} 3\n"));
    assert_non_null(strstr(t, "# TYPE zx_test_total counter\nzx_test_total{kind=\"a\"} 7\n"));
    free(t);
}

static void test_openapi(void **state)
{
    json_t *d = zx_openapi_document();
    assert_non_null(d);
    assert_string_equal(json_string_value(json_object_get(d, "openapi")), "3.0.3");
    json_t *paths = json_object_get(d, "paths");
    json_t *item = json_object_get(paths, "/t/cases/{id}");
    assert_non_null(json_object_get(item, "get"));
    assert_non_null(json_object_get(item, "delete"));
    json_t *p0 = json_array_get(json_object_get(json_object_get(item, "get"), "parameters"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "id");
    assert_string_equal(json_string_value(json_object_get(p0, "in")), "path");
    json_t *ev = json_object_get(json_object_get(paths, "/t/cases/{id}/events/{event_id}"), "get");
    assert_string_equal(json_string_value(json_object_get(ev, "x-zx-scope")), "credit:check");
    assert_non_null(json_object_get(json_array_get(json_object_get(ev, "security"), 0), "partnerKey"));
    json_t *up = json_object_get(json_object_get(paths, "/t/upload"), "post");
    assert_non_null(json_object_get(json_object_get(json_object_get(up, "requestBody"), "content"), "text/csv"));
    assert_non_null(json_object_get(json_object_get(json_object_get(d, "components"), "schemas"), "Error"));
    /* Every registered route appears exactly once. */
    size_t ops = 0;
    const char *k;
    json_t *v;
    json_object_foreach(paths, k, v) ops += json_object_size(v);
    assert_int_equal(ops, (size_t)zx_router_count());
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_params_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found_vs_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_id_rejects, setup, teardown),
        cmocka_unit_test(test_percent_decode),
        cmocka_unit_test_setup_teardown(test_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headers, setup, teardown),
        cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_json_depth),
        cmocka_unit_test_setup_teardown(test_body_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replies, setup, teardown),
        cmocka_unit_test(test_mime),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_openapi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
