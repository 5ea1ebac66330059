/* sms_gateway.c — SIMULATED SMS gateway (短信网关，模拟). The court's notification outbox (src/notify)
 * posts one JSON message per SMS:
 *   POST /sms/v1/messages {"id":"<outbox id>","to":"138…","template":"…","params":{…},"text":"…"}
 *   → 200 {"message_id":"SIM-SMS-…","status":"accepted"}; the same "id" again (however long after) → the
 *     same message_id (a resend after a crash is not a second SMS).
 *   GET /sms/v1/messages[?to=PHONE] → {"items":[{message_id,id,to,template,text,at_ms}]} (newest last,
 *     the last 2,000 kept) — what a phone would have received, for tests and the demo — with "total" (SMS
 *     sent, distinct ids) and "resent" (posts of a known id, answered without a second SMS).
 * Options: sms.fail=1 → every send answers 503 (outage), sms.latency_ms=N (default 20). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define KEEP 2000

typedef struct msg {
    char id[32], mid[48], to[32], tpl[48];
    char *text;
    int64_t at_ms;
} msg;

static msg ring[KEEP];
static long nmsg;    /* total accepted (distinct ids) */
static long nresent; /* posts of an id already accepted (a resend after a crash): answered, not sent again */

/* Every accepted id → its message id (open addressing, grows at half full), so a resend is recognised
 * however long ago the first post was (the ring above keeps only the last KEEP for listing). */
typedef struct seen {
    char id[32], mid[48];
} seen;
static seen *tab;
static size_t tab_cap, tab_n;

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static seen *seen_slot(seen *t, size_t cap, const char *id)
{
    for (size_t i = hash_id(id) & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!t[i].id[0] || !strcmp(t[i].id, id)) return &t[i];
}

static const char *find(const char *id)
{
    if (!tab) return NULL;
    seen *e = seen_slot(tab, tab_cap, id);
    return e->id[0] ? e->mid : NULL;
}

static void remember(const char *id, const char *mid)
{
    if (2 * (tab_n + 1) > tab_cap) {
        size_t nc = tab_cap ? tab_cap * 2 : 4096;
        seen *nt = calloc(nc, sizeof *nt);
        if (!nt) return;
        for (size_t i = 0; i < tab_cap; i++)
            if (tab[i].id[0]) *seen_slot(nt, nc, tab[i].id) = tab[i];
        free(tab);
        tab = nt;
        tab_cap = nc;
    }
    seen *e = seen_slot(tab, tab_cap, id);
    if (!e->id[0]) tab_n++;
    snprintf(e->id, sizeof e->id, "%s", id);
    snprintf(e->mid, sizeof e->mid, "%s", mid);
}

static void sms_send(sim_req *r)
{
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *id = json_string_value(json_object_get(b, "id")), *to = json_string_value(json_object_get(b, "to"));
    const char *text = json_string_value(json_object_get(b, "text")), *tpl = json_string_value(json_object_get(b, "template"));
    if (!id || !*id || strlen(id) >= 32 || !to || !*to || strlen(to) >= 32 || !text) {
        sim_reply_error(r, 400, "BAD_MESSAGE", "id, to and text are required");
        return;
    }
    const char *fail = sim_option("sms.fail");
    unsigned lat = (unsigned)sim_option_long("sms.latency_ms", 20);
    if (fail && !strcmp(fail, "1")) {
        sim_reply_json_after(r, lat, 503, json_pack("{s:{s:s,s:s}}", "error", "code", "GATEWAY_BUSY", "message", "simulated outage"));
        return;
    }
    const char *old = find(id);
    if (old) {
        nresent++;
        sim_reply_json_after(r, lat, 200, json_pack("{s:s,s:s}", "message_id", old, "status", "accepted"));
        return;
    }
    msg *m = &ring[nmsg % KEEP];
    free(m->text);
    memset(m, 0, sizeof *m);
    snprintf(m->id, sizeof m->id, "%s", id);
    snprintf(m->to, sizeof m->to, "%s", to);
    snprintf(m->tpl, sizeof m->tpl, "%s", tpl ? tpl : "");
    snprintf(m->mid, sizeof m->mid, "SIM-SMS-%ld", nmsg + 1);
    m->text = strdup(text);
    m->at_ms = sim_now_ms();
    remember(m->id, m->mid);
    nmsg++;
    sim_reply_json_after(r, lat, 200, json_pack("{s:s,s:s}", "message_id", m->mid, "status", "accepted"));
}

static void sms_list(sim_req *r)
{
    const char *to = sim_query(r, "to");
    json_t *items = json_array();
    long from = nmsg > KEEP ? nmsg - KEEP : 0;
    for (long i = from; i < nmsg; i++) {
        const msg *m = &ring[i % KEEP];
        if (to && strcmp(to, m->to)) continue;
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "message_id", m->mid, "id", m->id, "to", m->to,
                                               "template", m->tpl, "text", m->text ? m->text : "", "at_ms",
                                               (json_int_t)m->at_ms));
    }
    sim_reply_json(r, 200, json_pack("{s:o,s:I,s:I}", "items", items, "total", (json_int_t)nmsg, "resent", (json_int_t)nresent));
}

static const struct sim_route sms_routes[] = {
    { "POST", "/sms/v1/messages", sms_send, "短信网关（模拟）：发送短信" },
    { "GET", "/sms/v1/messages", sms_list, "短信网关（模拟）：已发送短信" },
};
SIM_ROUTES("sms_gateway", sms_routes)
