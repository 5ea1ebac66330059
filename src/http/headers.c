/* headers.c — extra response headers set by handlers before they reply (Set-Cookie …). */
#include "http/http.h"
#include <h2o.h>
#include <string.h>

void zx_add_header(zx_req *r, const char *name, const char *value)
{
    h2o_req_t *req = r->h2o;
    if (!req) return;
    size_t nl = strlen(name), vl = strlen(value);
    char *n = h2o_mem_alloc_pool(&req->pool, nl + 1);
    char *v = h2o_mem_alloc_pool(&req->pool, vl + 1);
    memcpy(n, name, nl + 1);
    memcpy(v, value, vl + 1);
    for (size_t i = 0; i < nl; i++)
        if (n[i] >= 'A' && n[i] <= 'Z') n[i] = (char)(n[i] - 'A' + 'a');
    h2o_add_header_by_str(&req->pool, &req->res.headers, n, nl, 1, NULL, v, vl);
}
