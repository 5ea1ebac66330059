/* price_platform.c — SIMULATED 网络询价平台 (参考价规定 arts 7–13): the court sends one inquiry per listed
 * platform; each platform answers with a price report "about 3 days" later in simulated time.
 *
 *   POST /price/v1/inquiries        {"platform","title","asset_kind","location","description","court_ref"}
 *                                   → 201 {"inquiry_id","platform","status":"pending"}
 *   GET  /price/v1/inquiries/:id    → {"inquiry_id","status":"pending"|"reported","price_fen","reported_on"}
 *
 * The price is deterministic: a base derived from the title (sim_hash64 + --seed) by asset kind, and a
 * per-platform deviation of −6 … +6 %. A report becomes available after price.latency_ms of real time
 * (default 1500) and is dated 1–3 simulated days after the inquiry. Options: price.silent=<platform>
 * never answers (a platform that misses the period, art 11); price.latency_ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define MAX_INQ 4096
static struct inquiry {
    char id[24], platform[96], asked_on[11], kind[24];
    int64_t asked_ms;
    uint64_t h;
} g_inq[MAX_INQ];
static int g_n;

static int64_t base_price(const char *kind, uint64_t h)
{
    /* 元: real estate 60–300 万, vehicles 3–40 万, equity 50–500 万, other 5–100 万 */
    int64_t lo = 50000, hi = 1000000;
    if (!strcmp(kind, "real_estate")) lo = 600000, hi = 3000000;
    else if (!strcmp(kind, "vehicle")) lo = 30000, hi = 400000;
    else if (!strcmp(kind, "equity")) lo = 500000, hi = 5000000;
    return (lo + (int64_t)(h % (uint64_t)(hi - lo))) * 100;
}

static void create(sim_req *r)
{
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *platform = json_string_value(json_object_get(b, "platform"));
    const char *title = json_string_value(json_object_get(b, "title"));
    const char *kind = json_string_value(json_object_get(b, "asset_kind"));
    if (!platform || !title) return sim_reply_error(r, 400, "VALIDATION_FAILED", "platform 与 title 必填");
    if (g_n >= MAX_INQ) return sim_reply_error(r, 503, "FULL", "询价数量已满（模拟器）");
    struct inquiry *q = &g_inq[g_n++];
    snprintf(q->id, sizeof q->id, "PQ%06d", g_n);
    snprintf(q->platform, sizeof q->platform, "%s", platform);
    snprintf(q->kind, sizeof q->kind, "%s", kind ? kind : "other");
    sim_today(q->asked_on);
    q->asked_ms = sim_now_ms();
    q->h = sim_hash64(title, 0x5052494345ULL);
    sim_reply_json(r, 201, json_pack("{s:s,s:s,s:s}", "inquiry_id", q->id, "platform", q->platform, "status", "pending"));
}

static void get(sim_req *r)
{
    const char *id = sim_param(r, "id");
    struct inquiry *q = NULL;
    for (int i = 0; i < g_n; i++)
        if (!strcmp(g_inq[i].id, id)) q = &g_inq[i];
    if (!q) return sim_reply_error(r, 404, "NOT_FOUND", "询价不存在");
    const char *silent = sim_option("price.silent");
    long latency = sim_option_long("price.latency_ms", 1500);
    if ((silent && !strcmp(silent, q->platform)) || sim_now_ms() - q->asked_ms < latency)
        return sim_reply_json(r, 200, json_pack("{s:s,s:s,s:s}", "inquiry_id", q->id, "platform", q->platform, "status", "pending"));
    uint64_t ph = sim_hash64(q->platform, q->h);
    int64_t base = base_price(q->kind, q->h);
    int dev = (int)(ph % 13) - 6; /* −6 … +6 % */
    int64_t price = base + base * dev / 100;
    price -= price % 10000; /* whole hundreds of yuan */
    char on[11];
    sim_date_add_days(q->asked_on, 1 + (int)(ph >> 8) % 3, on); /* "about 3 days" (art 11) */
    sim_reply_json(r, 200, json_pack("{s:s,s:s,s:s,s:I,s:s}", "inquiry_id", q->id, "platform", q->platform, "status", "reported",
                                     "price_fen", (json_int_t)price, "reported_on", on));
}

static const struct sim_route price_routes[] = {
    { "POST", "/price/v1/inquiries", create, "网络询价平台（模拟）：接收询价" },
    { "GET", "/price/v1/inquiries/:id", get, "网络询价平台（模拟）：询价结果" },
};
SIM_ROUTES("price_platform", price_routes)
