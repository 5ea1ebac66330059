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
 *    (ours carry x-request-id) into {"error":{"code":…,"message":…}}. Only a request line that is
 *    not HTTP at all is still answered by h2o's fixed "400 Bad Request" text: it is written to the
 *    socket before any request object exists. */
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
