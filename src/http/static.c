/* static.c — the UI's files: cfg.web_root for "/…" and cfg.node_modules for "/node_modules/…".
 *
 * Safety: the raw path is checked segment by segment after percent-decoding (zx_path_safe), so
 * "..", "%2e%2e", encoded slashes and dot-files never reach the file system; only regular files are
 * served. Paths without an extension that do not exist get index.html (client-side routes).
 *
 * HTML is read into the request pool and sent with a Content-Security-Policy that allows 'self'
 * scripts plus the SHA-256 hash of each inline <script> (the import map), so no 'unsafe-inline'
 * scripts are needed. Everything else goes through h2o_file_send (file cache, ETag, streaming). */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "app.h"
#include "core/log.h"
#include "http/http_internal.h"

static const struct { const char *ext; const char *type; } k_mime[] = {
    { "html", "text/html; charset=utf-8" },
    { "js", "text/javascript; charset=utf-8" },
    { "mjs", "text/javascript; charset=utf-8" },
    { "css", "text/css; charset=utf-8" },
    { "json", "application/json; charset=utf-8" },
    { "map", "application/json; charset=utf-8" },
    { "svg", "image/svg+xml" },
    { "png", "image/png" },
    { "jpg", "image/jpeg" },
    { "jpeg", "image/jpeg" },
    { "gif", "image/gif" },
    { "ico", "image/x-icon" },
    { "webp", "image/webp" },
    { "woff", "font/woff" },
    { "woff2", "font/woff2" },
    { "ttf", "font/ttf" },
    { "txt", "text/plain; charset=utf-8" },
    { "pdf", "application/pdf" },
    { "wasm", "application/wasm" },
};

const char *zx_mime_type(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');
    if (dot) {
        for (size_t i = 0; i < sizeof k_mime / sizeof k_mime[0]; i++)
            if (!strcasecmp(dot + 1, k_mime[i].ext)) return k_mime[i].type;
    }
    return "application/octet-stream";
}

void zx_add_common_headers(h2o_req_t *req, const char *request_id, bool api)
{
    h2o_mem_pool_t *pool = &req->pool;
    h2o_headers_t *h = &req->res.headers;
    h2o_add_header_by_str(pool, h, H2O_STRLIT("x-request-id"), 0, NULL, request_id, strlen(request_id));
    h2o_add_header_by_str(pool, h, H2O_STRLIT("x-content-type-options"), 0, NULL, H2O_STRLIT("nosniff"));
    h2o_add_header_by_str(pool, h, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
    h2o_add_header_by_str(pool, h, H2O_STRLIT("referrer-policy"), 0, NULL, H2O_STRLIT("no-referrer"));
    if (api) h2o_add_header(pool, h, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    if (zx_hsts_on) /* ASVS 14.4.5; docs/SECURITY.md: only when the browser reaches us over TLS */
        h2o_add_header_by_str(pool, h, H2O_STRLIT("strict-transport-security"), 0, NULL,
                              H2O_STRLIT("max-age=31536000; includeSubDomains"));
}

/* Append " 'sha256-…'" for every inline <script>…</script> (no src attribute) in html. */
static size_t inline_script_hashes(const char *html, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = html, *end = html + n;
    while (p < end) {
        const char *tag = memmem(p, (size_t)(end - p), "<script", 7);
        if (!tag) break;
        const char *gt = memchr(tag, '>', (size_t)(end - tag));
        if (!gt) break;
        const char *body = gt + 1;
        const char *close = memmem(body, (size_t)(end - body), "</script>", 9);
        if (!close) break;
        bool has_src = memmem(tag, (size_t)(gt - tag), " src=", 5) != NULL;
        if (!has_src && close > body) {
            unsigned char md[32];
            unsigned int mdlen = 0;
            char b64[48];
            if (EVP_Digest(body, (size_t)(close - body), md, &mdlen, EVP_sha256(), NULL) == 1) {
                EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
                int w = snprintf(out + o, cap - o, " 'sha256-%s'", b64);
                if (w < 0 || (size_t)w >= cap - o) break;
                o += (size_t)w;
            }
        }
        p = close + 9;
    }
    out[o] = 0;
    return o;
}

/* Send an HTML file from memory with its CSP. false if it cannot be read. */
static bool send_html(h2o_req_t *req, const char *fspath, size_t *bytes)
{
    int fd = open(fspath, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 4 * 1024 * 1024) {
        close(fd);
        return false;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *buf = h2o_mem_alloc_pool(&req->pool, n + 1);
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd);
    if (got != n) return false;
    char hashes[1024];
    inline_script_hashes(buf, n, hashes, sizeof hashes);
    char *csp = h2o_mem_alloc_pool(&req->pool, 1400);
    int cl = snprintf(csp, 1400,
                      "default-src 'self'; script-src 'self'%s; style-src 'self' 'unsafe-inline'; "
                      "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                      "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
                      hashes);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0, NULL, csp,
                          (size_t)cl);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-cache"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/html; charset=utf-8"));
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = n;
    static h2o_generator_t gen = { NULL, NULL };
    h2o_start_response(req, &gen);
    h2o_iovec_t body = h2o_iovec_init(buf, n);
    bool head = req->method.len == 4 && !memcmp(req->method.base, "HEAD", 4);
    h2o_send(req, head ? NULL : &body, head ? 0 : 1, H2O_SEND_STATE_FINAL);
    *bytes = head ? 0 : n;
    return true;
}

static bool is_regular(const char *p, off_t *size)
{
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    *size = st.st_size;
    return true;
}

bool zx_static_serve(zx_app *app, h2o_req_t *req, const char *raw_path, size_t plen, int *status,
                     size_t *bytes)
{
    *bytes = 0;
    if (!zx_path_safe(raw_path, plen)) return false;
    char rel[1024];
    if (plen >= sizeof rel) return false;
    long dl = zx_pct_decode(rel, raw_path, plen, false);
    if (dl < 0) return false;

    const char *root = app->cfg.web_root;
    const char *sub = rel;
    static const char nm[] = "/node_modules/";
    if (!strncmp(rel, nm, sizeof nm - 1)) {
        root = app->cfg.node_modules;
        sub = rel + sizeof nm - 2; /* keep the leading '/' */
    }
    if (!root[0]) return false;
    char fspath[1400];
    const char *index = sub[strlen(sub) - 1] == '/' ? "index.html" : "";
    if ((size_t)snprintf(fspath, sizeof fspath, "%s%s%s", root, sub, index) >= sizeof fspath) return false;

    off_t size = 0;
    if (!is_regular(fspath, &size)) {
        /* Client-side route ("/cases/123"): no extension → the application shell. */
        const char *last = strrchr(sub, '/');
        if (root != app->cfg.web_root || strchr(last ? last : sub, '.')) return false;
        snprintf(fspath, sizeof fspath, "%s/index.html", app->cfg.web_root);
        if (!is_regular(fspath, &size)) return false;
    }
    const char *type = zx_mime_type(fspath);
    if (!strncmp(type, "text/html", 9)) {
        if (!send_html(req, fspath, bytes)) return false;
        *status = 200;
        return true;
    }
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-cache"));
    if (h2o_file_send(req, 200, "OK", fspath, h2o_iovec_init(type, strlen(type)), 0) != 0) return false;
    *status = 200;
    *bytes = (size_t)size;
    return true;
}
