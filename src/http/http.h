/* http.h — what an API handler sees: the request, its caller, and the reply functions.
 *
 * Handlers are plain functions `void fn(zx_req *r)` that run on an h2o event-loop thread. They must
 * call exactly one zx_reply_* function (or zx_body_json()/zx_require_*() helpers that reply with an
 * error and return NULL/false). Memory from zx_alloc()/zx_strdup() lives until the response is sent.
 * A DB connection taken with zx_db() is released (and any open transaction rolled back) after the
 * handler returns.
 *
 * Routes register themselves at load time (constructor) with ZX_ROUTES(...), one table per src/api
 * file, so no central list needs editing:
 *
 *   static const struct zx_route routes[] = {
 *       { "GET", "/api/v1/cases/:id", case_get, ZX_R_USER, 0, NULL, "案件详情" },
 *   };
 *   ZX_ROUTES(routes)
 */
#ifndef ZX_HTTP_H
#define ZX_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

typedef struct zx_app zx_app;
typedef struct zx_req zx_req;
typedef void (*zx_handler)(zx_req *r);

/* Route flags: who may call. */
#define ZX_R_PUBLIC   0x01u /* no authentication */
#define ZX_R_USER     0x02u /* a logged-in staff user (cookie + CSRF for unsafe methods, or Bearer) */
#define ZX_R_PARTNER  0x04u /* a partner API key (Bearer) holding route.scope */
#define ZX_R_RAW_BODY 0x10u /* body is not JSON (CSV upload …): skip JSON checks */
#define ZX_R_BIG_BODY 0x20u /* body limit = cfg.upload_limit instead of cfg.body_limit */
#define ZX_R_PII_READ 0x80u /* the reply carries full personal data (ID numbers …): after a 2xx answer
                             * one audit record "pii.read" names what was returned (audit/audit_read.c) */
#define ZX_R_PENDING_OK 0x40u /* callable while the user must still change the password (or finish a
                               * second factor): /auth/password, /me, /auth/logout; every other
                               * ZX_R_USER route answers 403 PASSWORD_CHANGE_REQUIRED then */

struct zx_route {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/cases/:id/events" — ":name" segments are path parameters */
    zx_handler fn;
    unsigned flags;      /* ZX_R_* */
    unsigned roles;      /* for ZX_R_USER: allowed role mask (account/authz.h ROLE_*); 0 = any user */
    const char *scope;   /* for ZX_R_PARTNER: required scope, e.g. "credit:check" */
    const char *summary; /* one line for the OpenAPI document */
};

void zx_routes_add(const struct zx_route *routes, size_t n);
#define ZX_ROUTES(tbl)                                                                  \
    static void __attribute__((constructor)) zx_routes_init_##tbl(void)               \
    {                                                                                   \
        zx_routes_add(tbl, sizeof(tbl) / sizeof(tbl[0]));                               \
    }

/* The authenticated caller. kind 0 = anonymous. */
enum zx_principal_kind { ZX_ANON = 0, ZX_USER = 1, ZX_PARTNER = 2 };
typedef struct zx_principal {
    enum zx_principal_kind kind;
    /* user */
    int64_t user_id;
    char username[64];
    char display_name[96];
    int64_t court_id;
    char court_code[24];
    unsigned roles;          /* ROLE_* mask */
    bool demo;               /* demo account */
    char session_hash[65];   /* SM3 of the session token */
    char csrf[65];           /* the session's CSRF token (for GET /me) */
    bool must_change_pw;     /* forced password change pending */
    bool mfa_pending;        /* second factor to enrol before anything else (account/totp.h) */
    /* partner */
    int64_t partner_id;
    char partner_name[96];
    char scopes[256];        /* space-separated */
} zx_principal;

struct zx_req {
    zx_app *app;
    void *h2o;               /* h2o_req_t*, for the http layer only */
    const char *method;
    const char *path;        /* decoded path without query */
    const char *query;       /* raw query string without '?', "" if none */
    const char *body;        /* request body (not NUL-terminated) */
    size_t body_len;
    const char *client_ip;
    char request_id[32];
    zx_principal who;
    /* router state */
    const struct zx_route *route;
    int nparams;
    const char *param_name[8];
    const char *param_val[8];
    /* private to the http layer */
    void *priv;
};

/* Path parameter by name (NULL if absent). */
const char *zx_param(zx_req *r, const char *name);
/* Path parameter as int64 id; replies 400 BAD_REQUEST and returns false if not a positive integer. */
bool zx_param_id(zx_req *r, const char *name, int64_t *out);
/* Query parameter by name, percent-decoded (NULL if absent). */
const char *zx_query(zx_req *r, const char *name);
/* Integer query parameter in [lo, hi] (paging: limit, offset, page …); absent or empty → def.
 * Anything else — not a number, overflow, out of range — replies 400 BAD_QUERY and returns false. */
bool zx_query_int(zx_req *r, const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *out);
/* Request header (case-insensitive name), NUL-terminated copy or NULL. */
const char *zx_header(zx_req *r, const char *name);
/* Parse the body as a JSON object. Empty/invalid → replies 400 BAD_JSON, not an object → 400
 * BAD_JSON, too deep → 400 BAD_JSON, and returns NULL. The result is owned by the request. */
json_t *zx_body_json(zx_req *r);

void *zx_alloc(zx_req *r, size_t n);
char *zx_strdup(zx_req *r, const char *s);
char *zx_sprintf(zx_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A pooled DB connection for this request (acquired on first call). */
db_conn *zx_db(zx_req *r);

/* Replies. zx_reply_json steals the reference to body. */
void zx_reply_json(zx_req *r, int status, json_t *body);
void zx_reply_error(zx_req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Error with extra members merged into "error" (e.g. "unmet":[…] for GATE_NOT_MET); steals extra. */
void zx_reply_error_ex(zx_req *r, int status, const char *code, const char *message, json_t *extra);
/* Raw bytes (PDF, CSV, text). data is copied. disposition may be NULL or e.g.
 * "attachment; filename=\"x.pdf\"". */
void zx_reply_raw(zx_req *r, int status, const char *content_type, const void *data, size_t len,
                  const char *disposition);
/* Like zx_reply_raw without the copy: the reply takes data (cap bytes allocated) and calls
 * release(data, cap) on the event-loop thread once the response is sent (or at once if a reply was
 * already stored). For multi-megabyte bulk answers. */
void zx_reply_owned(zx_req *r, int status, const char *content_type, void *data, size_t len, size_t cap,
                    void (*release)(void *data, size_t cap));
bool zx_replied(zx_req *r);
/* Add a response header before replying (e.g. Set-Cookie). Name and value are copied. */
void zx_add_header(zx_req *r, const char *name, const char *value);

/* Standard error helpers (all reply and return false so handlers can `if (!…) return;`). */
bool zx_require_roles(zx_req *r, unsigned roles); /* 403 FORBIDDEN unless who.roles & roles */

/* ---- long-lived responses (Server-Sent Events), src/http/stream.c ----
 * A handler may answer with a stream instead of a stored reply: zx_reply_stream() sends 200 with
 * content_type and `first` as the first bytes and keeps the response open. on_open(s, ud) runs on the
 * loop thread once the stream exists; from then on the module writes with zx_stream_send() on that
 * same thread (typically from its tick hook). One write is in flight at a time: zx_stream_send
 * copies the bytes and returns false while the previous write is still being sent (try again on the
 * next tick — a viewer of live state only needs the latest). on_close(s, ud) runs on that thread when
 * the client goes away, after zx_stream_end, or when the server stops; s is invalid after it. */
typedef struct zx_stream zx_stream;
typedef void (*zx_stream_fn)(zx_stream *s, void *ud);
void zx_reply_stream(zx_req *r, const char *content_type, const char *first, size_t len, zx_stream_fn on_open,
                     zx_stream_fn on_close, void *ud);
bool zx_stream_send(zx_stream *s, const char *data, size_t len);
bool zx_stream_busy(const zx_stream *s);
void zx_stream_end(zx_stream *s);
/* Tick hooks: fn(loop_index, stopping) runs on every event-loop thread after each turn of its loop
 * (at most ~100 ms apart) and during the shutdown drain with stopping = true. Register at start-up
 * (ZX_ON_START or a constructor); at most 8. */
typedef void (*zx_tick_fn)(int loop_index, bool stopping);
void zx_http_tick_add(zx_tick_fn fn);
/* From a tick hook: work is left for the next tick — the loop polls its sockets without waiting
 * (instead of up to 100 ms) and ticks again, so a hook can spread a long job (writing to thousands
 * of streams) over many short ticks with requests served in between. */
void zx_http_tick_soon(void);
bool zx_http_tick_take_soon(void); /* the loop: was it asked (and reset)? */
/* Index of the calling event-loop thread (0 … zx_http_loop_count()-1), or -1 off the loops. */
int zx_http_loop_index(void);
int zx_http_loop_count(void);

/* ---- deferred replies (src/http/defer.c) ----
 * A handler that hands its request to another thread (a group-committing writer such as
 * auction/sequencer.c) calls zx_reply_defer(r) INSTEAD of a zx_reply_* function and returns; the
 * response stays open and the loop is free. Exactly once, from any thread, that thread calls
 * zx_deferred_reply(d, status, body) (steals body) or zx_deferred_error(); the reply is sent on the
 * request's own loop with the usual headers, metrics and access-log line. An answer for a client
 * that went away is dropped. The server's drain waits (≤ 10 s) for answers still owed.
 * zx_reply_defer returns NULL (and replies nothing) off the event loops or after a reply. */
typedef struct zx_deferred zx_deferred;
zx_deferred *zx_reply_defer(zx_req *r);
void zx_deferred_reply(zx_deferred *d, int status, json_t *body);
void zx_deferred_error(zx_deferred *d, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Server lifecycle (src/http/server.c). Blocks until SIGTERM/SIGINT, then drains and returns 0. */
int zx_http_serve(zx_app *app);
/* The OpenAPI 3 document built from the registered routes (src/http/openapi.c); caller frees. */
json_t *zx_openapi_document(void);
#endif
