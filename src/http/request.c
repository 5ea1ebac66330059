/* request.c — everything a handler calls on a zx_req (http.h): pool memory, path/query/header
 * access, JSON body parsing with limits, the pooled DB connection and the reply functions.
 *
 * Replies are *stored* (status, content type, body in the request pool); server.c sends them after
 * the handler returns, so the DB connection is already back in the pool when bytes hit the wire and
 * a handler that forgets to reply is detected (500). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "core/log.h"
#include "http/http_internal.h"

#define JSON_TYPE "application/json; charset=utf-8"

static inline struct zx_req_priv *P(zx_req *r) { return (struct zx_req_priv *)r->priv; }

void zx_req_setup(zx_req *r, struct zx_req_priv *p, zx_app *app, h2o_mem_pool_t *pool,
                  const h2o_headers_t *req_headers, h2o_headers_t *res_headers)
{
    memset(p, 0, sizeof *p);
    memset(r, 0, sizeof *r);
    p->pool = pool;
    p->req_headers = req_headers;
    p->res_headers = res_headers;
    r->app = app;
    r->priv = p;
    r->query = "";
    r->path = "";
    r->method = "";
    r->client_ip = "";
}

void zx_req_cleanup(zx_req *r)
{
    struct zx_req_priv *p = P(r);
    if (p->db) {
        /* db.h: a connection released inside a transaction is rolled back. */
        db_release(r->app->db, p->db);
        p->db = NULL;
    }
    if (p->json) {
        json_decref(p->json);
        p->json = NULL;
    }
}

void *zx_alloc(zx_req *r, size_t n)
{
    return h2o_mem_alloc_pool(P(r)->pool, n ? n : 1);
}

char *zx_strdup(zx_req *r, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *d = zx_alloc(r, n + 1);
    memcpy(d, s, n + 1);
    return d;
}

char *zx_sprintf(zx_req *r, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return zx_strdup(r, "");
    char *d = zx_alloc(r, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(d, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(d, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return d;
}

/* ---- decoding helpers ---------------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long zx_pct_decode(char *dst, const char *src, size_t n, bool plus_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= n) return -1;
            int h = hexval((unsigned char)src[i + 1]), l = hexval((unsigned char)src[i + 2]);
            if (h < 0 || l < 0) return -1;
            c = (char)(h * 16 + l);
            if (c == 0) return -1;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == 0) {
            return -1;
        }
        dst[o++] = c;
    }
    dst[o] = 0;
    return (long)o;
}

bool zx_path_safe(const char *raw, size_t n)
{
    if (n == 0 || raw[0] != '/') return false;
    char seg[256];
    size_t i = 1;
    while (i <= n) {
        size_t j = i;
        while (j < n && raw[j] != '/') j++;
        size_t len = j - i;
        if (len >= sizeof seg) return false;
        long d = zx_pct_decode(seg, raw + i, len, false);
        if (d < 0) return false;
        if ((d == 1 && seg[0] == '.') || (d == 2 && seg[0] == '.' && seg[1] == '.')) return false;
        if (memchr(seg, '/', (size_t)d) || memchr(seg, '\\', (size_t)d)) return false;
        if (d > 0 && seg[0] == '.') return false; /* hidden files (.git, .env) are never served */
        i = j + 1;
    }
    return true;
}

/* ---- request data -------------------------------------------------------------------------- */

const char *zx_param(zx_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (!strcmp(r->param_name[i], name)) return r->param_val[i];
    return NULL;
}

bool zx_param_id(zx_req *r, const char *name, int64_t *out)
{
    const char *v = zx_param(r, name);
    int64_t x = 0;
    bool ok = v && *v && strlen(v) <= 19;
    for (const char *p = v; ok && *p; p++) {
        if (*p < '0' || *p > '9') { ok = false; break; }
        int d = *p - '0';
        if (x > (INT64_MAX - d) / 10) { ok = false; break; }
        x = x * 10 + d;
    }
    if (!ok || x <= 0) {
        zx_reply_error(r, 400, "BAD_REQUEST", "路径参数 %s 不是有效的编号", name);
        return false;
    }
    *out = x;
    return true;
}

/* Strict UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (!len || c > 0xf4 || i + len > n) return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80) return false;
        if (c == 0xe0 && s[i + 1] < 0xa0) return false;  /* overlong */
        if (c == 0xed && s[i + 1] >= 0xa0) return false; /* surrogates */
        if (c == 0xf0 && s[i + 1] < 0x90) return false;  /* overlong */
        if (c == 0xf4 && s[i + 1] >= 0x90) return false; /* > U+10FFFF */
        i += len;
    }
    return true;
}

bool zx_query_valid(const char *q)
{
    char buf[512];
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t plen = amp ? (size_t)(amp - q) : strlen(q);
        char *d = plen < sizeof buf ? buf : malloc(plen + 1);
        if (!d) return false;
        long n = zx_pct_decode(d, q, plen, true);
        bool ok = n >= 0 && utf8_valid((const unsigned char *)d, (size_t)n);
        if (d != buf) free(d);
        if (!ok) return false;
        q = amp ? amp + 1 : NULL;
    }
    return true;
}

bool zx_query_int(zx_req *r, const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *out)
{
    const char *v = zx_query(r, name);
    if (!v || !*v) {
        *out = def;
        return true;
    }
    const char *p = v;
    bool neg = *p == '-';
    if (neg || *p == '+') p++;
    int64_t x = 0;
    bool ok = *p != 0;
    for (; ok && *p; p++) {
        if (*p < '0' || *p > '9') { ok = false; break; }
        int d = *p - '0';
        if (x > (INT64_MAX - d) / 10) { ok = false; break; } /* overflow */
        x = x * 10 + d;
    }
    if (neg) x = -x;
    if (!ok || x < lo || x > hi) {
        zx_reply_error(r, 400, "BAD_QUERY", "查询参数 %s 须为 %lld 到 %lld 之间的整数", name, (long long)lo, (long long)hi);
        return false;
    }
    *out = x;
    return true;
}

const char *zx_query(zx_req *r, const char *name)
{
    const char *q = r->query;
    size_t nlen = strlen(name);
    char key[128];
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t plen = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', plen);
        size_t klen = eq ? (size_t)(eq - q) : plen;
        if (klen < sizeof key && zx_pct_decode(key, q, klen, true) == (long)nlen && !memcmp(key, name, nlen)) {
            size_t vlen = eq ? plen - klen - 1 : 0;
            char *v = zx_alloc(r, vlen + 1);
            if (zx_pct_decode(v, eq ? eq + 1 : q, vlen, true) < 0) return NULL;
            return v;
        }
        q = amp ? amp + 1 : NULL;
    }
    return NULL;
}

const char *zx_header(zx_req *r, const char *name)
{
    const h2o_headers_t *h = P(r)->req_headers;
    char lower[128];
    size_t n = strlen(name);
    if (!h || n >= sizeof lower) return NULL;
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)name[i]);
    ssize_t at = h2o_find_header_by_str(h, lower, n, -1);
    if (at < 0) return NULL;
    const h2o_iovec_t *v = &h->entries[at].value;
    char *s = zx_alloc(r, v->len + 1);
    memcpy(s, v->base, v->len);
    s[v->len] = 0;
    return s;
}

bool zx_json_depth_ok(const char *s, size_t n, int max_depth)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        switch (c) {
        case '"': in_str = true; break;
        case '[': case '{':
            if (++depth > max_depth) return false;
            break;
        case ']': case '}':
            if (depth > 0) depth--;
            break;
        default: break;
        }
    }
    return true;
}

json_t *zx_body_json(zx_req *r)
{
    struct zx_req_priv *p = P(r);
    if (p->json) return p->json;
    int max_depth = r->app ? r->app->cfg.json_depth : 32;
    if (max_depth <= 0) max_depth = 32;
    if (!r->body || r->body_len == 0) {
        zx_reply_error(r, 400, "BAD_JSON", "请求体为空，需要 JSON 对象");
        return NULL;
    }
    if (!zx_json_depth_ok(r->body, r->body_len, max_depth)) {
        zx_reply_error(r, 400, "BAD_JSON", "JSON 嵌套层级超过 %d", max_depth);
        return NULL;
    }
    json_error_t err;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        zx_reply_error(r, 400, "BAD_JSON", "JSON 格式错误：第 %d 行第 %d 列", err.line, err.column);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        zx_reply_error(r, 400, "BAD_JSON", "请求体必须是 JSON 对象");
        return NULL;
    }
    p->json = j;
    return j;
}

db_conn *zx_db(zx_req *r)
{
    struct zx_req_priv *p = P(r);
    if (!p->db) p->db = db_acquire(r->app->db);
    return p->db;
}

/* ---- replies ------------------------------------------------------------------------------- */

bool zx_replied(zx_req *r) { return P(r)->replied; }

static bool claim_reply(zx_req *r)
{
    if (P(r)->replied) {
        LOG_ERROR("request %s: second reply ignored (route %s)", r->request_id,
                  r->route ? r->route->pattern : "-");
        return false;
    }
    P(r)->replied = true;
    return true;
}

void zx_reply_raw(zx_req *r, int status, const char *content_type, const void *data, size_t len,
                  const char *disposition)
{
    if (!claim_reply(r)) return;
    struct zx_req_priv *p = P(r);
    p->status = status;
    p->res_type = content_type ? zx_strdup(r, content_type) : "application/octet-stream";
    p->disposition = disposition ? zx_strdup(r, disposition) : NULL;
    char *b = zx_alloc(r, len);
    if (len) memcpy(b, data, len);
    p->res_body = h2o_iovec_init(b, len);
}

struct owned {
    void *data;
    size_t cap;
    void (*release)(void *data, size_t cap);
};
static void owned_dispose(void *p)
{
    struct owned *o = p;
    o->release(o->data, o->cap);
}

void zx_reply_owned(zx_req *r, int status, const char *content_type, void *data, size_t len, size_t cap,
                    void (*release)(void *data, size_t cap))
{
    if (!claim_reply(r)) {
        release(data, cap);
        return;
    }
    struct zx_req_priv *p = P(r);
    /* Linked to the request pool: released when h2o frees the request, after the bytes are sent. */
    struct owned *o = h2o_mem_alloc_shared(p->pool, sizeof *o, owned_dispose);
    *o = (struct owned){ data, cap, release };
    p->status = status;
    p->res_type = content_type ? zx_strdup(r, content_type) : "application/octet-stream";
    p->disposition = NULL;
    p->res_body = h2o_iovec_init(data, len);
}

/* Serialise into the request pool (one malloc'd string from jansson, copied once). */
static void store_json(zx_req *r, int status, json_t *body)
{
    struct zx_req_priv *p = P(r);
    char *s = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(body);
    if (!s) {
        LOG_ERROR("request %s: JSON serialisation failed", r->request_id);
        static const char fail[] = "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"服务器内部错误\"}}";
        p->status = 500;
        p->res_type = JSON_TYPE;
        p->res_body = h2o_iovec_init(fail, sizeof fail - 1);
        return;
    }
    size_t n = strlen(s);
    char *b = zx_alloc(r, n);
    memcpy(b, s, n);
    free(s);
    p->status = status;
    p->res_type = JSON_TYPE;
    p->res_body = h2o_iovec_init(b, n);
}

void zx_reply_json(zx_req *r, int status, json_t *body)
{
    if (!claim_reply(r)) {
        json_decref(body);
        return;
    }
    store_json(r, status, body);
}

void zx_reply_error_ex(zx_req *r, int status, const char *code, const char *message, json_t *extra)
{
    if (status >= 500) {
        /* A server-side failure never tells the client more than its stable code: handlers may have
         * put a store's or library's text into the message. The text goes to the log. */
        LOG_ERROR("request %s: %d %s: %s", r->request_id, status, code, message ? message : "");
        message = status == 503 ? "服务暂不可用，请稍后重试" : "服务器内部错误";
        json_decref(extra);
        extra = NULL;
    }
    json_t *err = json_pack("{s:s,s:s}", "code", code, "message", message ? message : "");
    if (!err) { /* message was not valid UTF-8 */
        err = json_pack("{s:s,s:s}", "code", code, "message", "");
    }
    if (extra) {
        if (json_is_object(extra)) json_object_update(err, extra);
        json_decref(extra);
    }
    zx_reply_json(r, status, json_pack("{s:o}", "error", err));
}

void zx_reply_error(zx_req *r, int status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    zx_reply_error_ex(r, status, code, msg, NULL);
}
