/* protocol.c — HTTP framing checks and protocol-level errors in the JSON error shape (issue 10
 * item 8).
 *
 * 1. Request smuggling: h2o 2.2 takes Transfer-Encoding over Content-Length, and the first of
 *    several Content-Length headers, and keeps neither in req->headers. A front proxy may frame the
 *    same bytes differently, so a request with both, or with two different Content-Lengths, is
 *    refused (400, connection closed). The raw header block of an HTTP/1 request is still at the
 *    start of the connection's input buffer while the request is handled (h2o consumes it after the
 *    response), so it is scanned there. HTTP/2 frames bodies itself and forbids Transfer-Encoding.
 * 2. Errors h2o answers itself before a route runs (broken Content-Length, broken chunked encoding,
 *    body over the limit, unknown Transfer-Encoding, unknown Expect) come as text/plain. An output
 *    filter on the host's paths turns every error response that did not come from our pipeline
 *    (ours carry x-request-id) into {"error":{"code":…,"message":…}}.
 * 3. Bytes that are not HTTP at all (`printf 'HELLO\r\n\r\n' | nc host port`): h2o 2.2's HTTP/1
 *    reader (lib/core/http1.c, handle_incoming_request → phr_parse_request returns -1) writes a
 *    fixed "400 Bad Request" text/plain response straight to the socket and closes — no request
 *    object, no filter, no callback, and the functions involved are static in libh2o-evloop. The
 *    one place that response passes through us is h2o_socket_write, which libh2o calls through its
 *    PLT: zhixing defines h2o_socket_write itself (the executable's definition is the one the
 *    dynamic linker binds, for the library's own calls too), forwards every write unchanged to the
 *    library's implementation (dlsym RTLD_NEXT) and swaps only that exact fixed response for the
 *    same status in the JSON error shape (Connection: close kept). Cost: one length compare per
 *    socket write. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "http/http_internal.h"

/* ---- framing ----------------------------------------------------------------------------------- */

static void trim(const char **p, size_t *n)
{
    while (*n && (**p == ' ' || **p == '\t')) (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t')) (*n)--;
}

int zx_http1_framing_conflict(h2o_req_t *req)
{
    if (req->version >= 0x200 || !req->conn || !req->conn->callbacks->get_socket) return 0;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (!sock || !sock->input || !sock->input->size) return 0;
    const char *buf = sock->input->bytes, *end = buf + sock->input->size;
    const char *line = memchr(buf, '\n', (size_t)(end - buf)); /* skip the request line */
    if (!line) return 0;
    line++;
    int ncl = 0, nte = 0;
    const char *cl = NULL;
    size_t cllen = 0;
    while (line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol) break;
        size_t len = (size_t)(eol - line);
        if (len && line[len - 1] == '\r') len--;
        if (len == 0) break; /* end of the header block */
        const char *colon = memchr(line, ':', len);
        if (colon) {
            const char *name = line, *val = colon + 1;
            size_t nlen = (size_t)(colon - line), vlen = len - nlen - 1;
            trim(&name, &nlen);
            trim(&val, &vlen);
            if (nlen == 14 && !strncasecmp(name, "content-length", 14)) {
                if (ncl && (vlen != cllen || memcmp(val, cl, vlen))) return 1;
                cl = val;
                cllen = vlen;
                ncl++;
            } else if (nlen == 17 && !strncasecmp(name, "transfer-encoding", 17)) {
                nte++;
            }
        }
        line = eol + 1;
    }
    return (ncl && nte) || nte > 1;
}

/* ---- h2o's own error responses as JSON ----------------------------------------------------------- */

struct json_err_ostream {
    h2o_ostream_t super;
    h2o_iovec_t body;
    int sent;
};

static void json_err_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt, h2o_send_state_t state)
{
    struct json_err_ostream *o = (struct json_err_ostream *)self;
    (void)bufs;
    (void)bufcnt;
    if (!o->sent) {
        o->sent = 1;
        h2o_ostream_send_next(self, req, &o->body, 1, h2o_send_state_is_in_progress(state) ? H2O_SEND_STATE_FINAL : state);
        return;
    }
    h2o_ostream_send_next(self, req, NULL, 0, state);
}

static const char *code_for(int status, const char **msg)
{
    switch (status) {
    case 413: *msg = "请求体超过大小上限"; return "BODY_TOO_LARGE";
    case 417: *msg = "不支持的 Expect 请求头"; return "EXPECTATION_FAILED";
    case 404: *msg = "接口不存在"; return "NOT_FOUND";
    case 405: *msg = "不支持的请求方法"; return "METHOD_NOT_ALLOWED";
    default:
        if (status >= 500) { *msg = "服务器内部错误"; return "INTERNAL"; }
        *msg = "请求格式错误（Content-Length 或分块编码无效）";
        return "BAD_REQUEST";
    }
}

static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (req->res.status >= 400 && h2o_find_header_by_str(&req->res.headers, H2O_STRLIT("x-request-id"), -1) < 0) {
        const char *msg, *code = code_for(req->res.status, &msg);
        h2o_iovec_t body = h2o_concat(&req->pool, h2o_iovec_init(H2O_STRLIT("{\"error\":{\"code\":\"")),
                                      h2o_iovec_init(code, strlen(code)), h2o_iovec_init(H2O_STRLIT("\",\"message\":\"")),
                                      h2o_iovec_init(msg, strlen(msg)), h2o_iovec_init(H2O_STRLIT("\"}}")));
        /* replace the text/plain content type */
        ssize_t at;
        while ((at = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1)) >= 0)
            h2o_delete_header(&req->res.headers, at);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                       H2O_STRLIT("application/json; charset=utf-8"));
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
        req->res.content_length = body.len;
        struct json_err_ostream *o = (struct json_err_ostream *)h2o_add_ostream(req, sizeof *o, slot);
        o->super.do_send = json_err_send;
        o->body = body;
        o->sent = 0;
        slot = &o->super.next;
    }
    h2o_setup_next_ostream(req, slot);
}

void zx_protocol_filter_register(h2o_pathconf_t *pathconf)
{
    h2o_filter_t *f = h2o_create_filter(pathconf, sizeof *f);
    f->on_setup_ostream = on_setup_ostream;
}

/* ---- 3. h2o's fixed answer to bytes that are not HTTP -------------------------------------------- */

static const char H2O_FIXED_400[] = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                    "Connection: close\r\nContent-Length: 11\r\n\r\nBad Request";
typedef void (*socket_write_fn)(h2o_socket_t *, h2o_iovec_t *, size_t, h2o_socket_cb);
static socket_write_fn real_socket_write;
static char json_400[512];
static h2o_iovec_t json_400_iov;
static pthread_once_t json_400_once = PTHREAD_ONCE_INIT;

static void json_400_init(void)
{
    real_socket_write = (socket_write_fn)dlsym(RTLD_NEXT, "h2o_socket_write");
    if (!real_socket_write) { /* cannot happen with libh2o linked; fail loudly rather than drop writes */
        fprintf(stderr, "zhixing: h2o_socket_write not found in libh2o: %s\n", dlerror());
        abort();
    }
    static const char body[] = "{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"请求格式错误：不是有效的 HTTP 请求\"}}";
    int n = snprintf(json_400, sizeof json_400,
                     "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n"
                     "Content-Length: %zu\r\n\r\n%s", sizeof body - 1, body);
    json_400_iov = h2o_iovec_init(json_400, (size_t)n);
}

void h2o_socket_write(h2o_socket_t *sock, h2o_iovec_t *bufs, size_t bufcnt, h2o_socket_cb cb)
{
    pthread_once(&json_400_once, json_400_init);
    if (bufcnt == 1 && bufs[0].len == sizeof H2O_FIXED_400 - 1 && !memcmp(bufs[0].base, H2O_FIXED_400, bufs[0].len)) {
        real_socket_write(sock, &json_400_iov, 1, cb);
        return;
    }
    real_socket_write(sock, bufs, bufcnt, cb);
}
