/* sim.h — what a simulated party of bin/zhixing-sim sees.
 *
 * bin/zhixing-sim is a SIMULATOR: one program, separate from bin/zhixing, that plays the outside
 * parties the court talks to (institutions answering asset inquiries, the SMS gateway, banks, price
 * and auction platforms). It is never linked into bin/zhixing. Tests, the demo (`make run`) and the
 * benchmarks start it; nothing else in the product pretends to be an outside party.
 *
 * One file per simulated party in sim/. A party registers its HTTP routes at load time, like the
 * server's ZX_ROUTES, so no central list needs editing:
 *
 *   static void sms_send(sim_req *r) { json_t *b = sim_body_json(r); if (!b) return; ...
 *                                      sim_reply_json(r, 200, json_pack("{s:s}", "id", "…")); }
 *   static const struct sim_route sms_routes[] = {
 *       { "POST", "/sms/v1/messages", sms_send, "短信网关（模拟）：发送短信" },
 *   };
 *   SIM_ROUTES("sms_gateway", sms_routes)
 *
 * Prefix every path with the party's own segment (/sms/…, /bank/…, /inst/…, /price/…, /auction/…);
 * /sim/… belongs to the simulator core (health, routes, clock, party options).
 *
 * Threading: every handler, timer and completion callback runs on the ONE event-loop thread, so a
 * party's in-memory state needs no locks. Handlers must not block (no sleep, no blocking I/O): use
 * sim_reply_*_after() for latency and sim_post() for outbound calls.
 *
 * Determinism: parties derive what they hold from sim_hash64(key, salt) of the subject (ID number,
 * credit code, account …) and the --seed option, never from rand(). The simulated date is
 * sim_today(), which tests may move with PUT /sim/v1/clock (freezes lapse, terms run out).
 *
 * Each handler must reply exactly once (sim_reply_* or sim_reply_*_after); memory from sim_alloc()
 * lives until the reply is sent. */
#ifndef ZX_SIM_H
#define ZX_SIM_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_req sim_req;
typedef void (*sim_handler)(sim_req *r);

struct sim_route {
    const char *method;  /* "GET", "POST", "PUT", "DELETE" */
    const char *pattern; /* "/inst/:code/v1/requests/:id" — ":name" segments are path parameters */
    sim_handler fn;
    const char *summary; /* one line, listed by GET /sim/v1/routes */
};

void sim_routes_add(const char *party, const struct sim_route *routes, size_t n);
#define SIM_ROUTES(party, tbl)                                                          \
    static void __attribute__((constructor)) sim_routes_init_##tbl(void)              \
    {                                                                                   \
        sim_routes_add(party, tbl, sizeof(tbl) / sizeof(tbl[0]));                       \
    }

/* Start hooks: run once after the options are parsed, before the listener opens (load seed data,
 * read options). Return 0, or non-zero to abort start-up. */
typedef int (*sim_start_fn)(void);
void sim_start_hook_add(const char *party, sim_start_fn fn);
#define SIM_ON_START(party, fn)                                                         \
    static void __attribute__((constructor)) sim_on_start_##fn(void) { sim_start_hook_add(party, fn); }

struct sim_req {
    const char *method;
    const char *path;        /* decoded path without the query */
    const char *query;       /* raw query string without '?', "" if none */
    const char *body;        /* request body (NUL-terminated copy) */
    size_t body_len;
    const char *party;       /* the party whose route matched */
    int nparams;
    const char *param_name[8];
    const char *param_val[8];
    void *priv;              /* simulator core only */
};

/* Request accessors. Returned strings live as long as the request. */
const char *sim_param(sim_req *r, const char *name);
const char *sim_query(sim_req *r, const char *name);        /* percent-decoded, NULL if absent */
const char *sim_header(sim_req *r, const char *name);       /* case-insensitive, NULL if absent */
/* The body as a JSON object; on bad JSON replies 400 BAD_JSON and returns NULL. Owned by the request. */
json_t *sim_body_json(sim_req *r);
void *sim_alloc(sim_req *r, size_t n);
char *sim_strdup(sim_req *r, const char *s);

/* Replies (exactly one per request). JSON replies steal the reference to body. */
void sim_add_header(sim_req *r, const char *name, const char *value); /* before the reply; copied */
void sim_reply_json(sim_req *r, int status, json_t *body);
void sim_reply_raw(sim_req *r, int status, const char *content_type, const void *data, size_t len);
void sim_reply_error(sim_req *r, int status, const char *code, const char *message);
/* The same, sent after delay_ms (simulated latency); the handler returns at once. If the client is
 * gone by then the reply is dropped. */
void sim_reply_json_after(sim_req *r, unsigned delay_ms, int status, json_t *body);
void sim_reply_raw_after(sim_req *r, unsigned delay_ms, int status, const char *content_type,
                         const void *data, size_t len);
/* Drop the connection without an answer (a simulated timeout/outage), after delay_ms. */
void sim_reply_hang(sim_req *r, unsigned delay_ms);

/* Timers on the loop thread: fn(arg) runs once after delay_ms. */
void sim_after(unsigned delay_ms, void (*fn)(void *arg), void *arg);

/* Outbound HTTP (callbacks to the court, delivery reports …): POST body to url from the sender thread
 * (libcurl multi). headers: NULL-terminated "Name: value" strings (copied). done (may be NULL) runs on
 * the loop thread with the HTTP status (0 = no connection/timeout) and the response body. */
typedef void (*sim_post_done)(void *arg, long status, const char *resp, size_t resp_len);
void sim_post(const char *url, const char *content_type, const char *body, size_t len,
              const char *const *headers, unsigned timeout_ms, sim_post_done done, void *arg);

/* Time: the real clock plus the offset set by PUT /sim/v1/clock. */
int64_t sim_now_ms(void);                 /* instants, ms UTC */
void sim_today(char out[11]);             /* 'YYYY-MM-DD' in Asia/Shanghai */
int sim_date_add_days(const char *date, int days, char out[11]); /* 0 ok, -1 bad date */

/* Determinism. sim_seed() is --seed (default 1). sim_hash64 mixes s with salt and the seed. */
uint64_t sim_seed(void);
uint64_t sim_hash64(const char *s, uint64_t salt);
/* A per-party option: --opt party.name=value on the command line, or PUT /sim/v1/options
 * {"party.name":"value"} at run time. NULL if unset. */
const char *sim_option(const char *name);
long sim_option_long(const char *name, long dflt);
/* The base URL this simulator listens at ("http://127.0.0.1:8090"). */
const char *sim_base_url(void);
#endif
