/* auction_platform.c — SIMULATED outside online-auction platform (淘宝/京东/人民法院诉讼资产网/公拍网/
 * 中拍平台 stand-in) speaking the connector protocol of docs/api/auction.md:
 *
 *   POST /auction/v1/lots       {"court_round_id","platform","title","start_fen","deposit_fen","increment_fen",
 *                                "starts_at","ends_at"} → 201 {"lot_id","status":"announced"}
 *   GET  /auction/v1/lots/:id   → {"lot_id","status":"announced"|"bidding"|"sold"|"unsold","price_fen","bids",
 *                                "buyer_name","ends_at"}
 *
 * Bidding is simulated from the times (sim_now_ms): before the start "announced", until the end
 * "bidding" with a price rising step by step, after it the outcome — sold at start + k × increment
 * (k from sim_hash64 of the court's round id) or unsold. Option auction.outcome=sold|unsold forces it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

#define MAX_LOTS 1024
static struct lot {
    char id[24], round[32], platform[64], title[200];
    int64_t start, inc, starts, ends;
    uint64_t h;
} g_lots[MAX_LOTS];
static int g_n;

static int parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se;
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6) return -1;
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se };
    *ms = (int64_t)timegm(&tm) * 1000;
    const char *z = strpbrk(s + 19, "Z+-");
    if (z && *z != 'Z') {
        int oh = 0, om = 0;
        sscanf(z + 1, "%d:%d", &oh, &om);
        *ms -= (*z == '+' ? 1 : -1) * (int64_t)(oh * 60 + om) * 60000;
    }
    return 0;
}

static void create(sim_req *r)
{
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *round = json_string_value(json_object_get(b, "court_round_id"));
    const char *title = json_string_value(json_object_get(b, "title"));
    json_t *st = json_object_get(b, "start_fen"), *inc = json_object_get(b, "increment_fen");
    int64_t s = 0, e = 0;
    if (!round || !title || !json_is_integer(st) || !json_is_integer(inc) ||
        parse_iso(json_string_value(json_object_get(b, "starts_at")), &s) ||
        parse_iso(json_string_value(json_object_get(b, "ends_at")), &e))
        return sim_reply_error(r, 400, "VALIDATION_FAILED", "标的信息不完整");
    for (int i = 0; i < g_n; i++) /* idempotent by the court's round id */
        if (!strcmp(g_lots[i].round, round))
            return sim_reply_json(r, 200, json_pack("{s:s,s:s}", "lot_id", g_lots[i].id, "status", "announced"));
    if (g_n >= MAX_LOTS) return sim_reply_error(r, 503, "FULL", "标的数量已满（模拟器）");
    struct lot *l = &g_lots[g_n++];
    snprintf(l->id, sizeof l->id, "EXT%06d", g_n);
    snprintf(l->round, sizeof l->round, "%s", round);
    snprintf(l->title, sizeof l->title, "%s", title);
    const char *pf = json_string_value(json_object_get(b, "platform"));
    snprintf(l->platform, sizeof l->platform, "%s", pf ? pf : "");
    l->start = json_integer_value(st);
    l->inc = json_integer_value(inc);
    l->starts = s;
    l->ends = e;
    l->h = sim_hash64(round, 0x4155435449ULL);
    sim_reply_json(r, 201, json_pack("{s:s,s:s}", "lot_id", l->id, "status", "announced"));
}

static void get(sim_req *r)
{
    const char *id = sim_param(r, "id");
    struct lot *l = NULL;
    for (int i = 0; i < g_n; i++)
        if (!strcmp(g_lots[i].id, id)) l = &g_lots[i];
    if (!l) return sim_reply_error(r, 404, "NOT_FOUND", "标的不存在");
    int64_t now = sim_now_ms();
    const char *forced = sim_option("auction.outcome");
    bool sells = forced ? !strcmp(forced, "sold") : (l->h % 4) != 0; /* three in four sell */
    int k = 1 + (int)((l->h >> 8) % 20);
    const char *status;
    int64_t price = 0;
    int bids = 0;
    if (now < l->starts) status = "announced";
    else if (now < l->ends) {
        status = "bidding";
        double f = (double)(now - l->starts) / (double)(l->ends - l->starts);
        bids = sells ? (int)(f * k) : 0;
        price = bids ? l->start + (int64_t)(bids - 1) * l->inc : 0;
    } else if (sells) {
        status = "sold";
        bids = k;
        price = l->start + (int64_t)(k - 1) * l->inc;
    } else
        status = "unsold";
    json_t *o = json_pack("{s:s,s:s,s:I,s:i}", "lot_id", l->id, "status", status, "price_fen", (json_int_t)price, "bids", bids);
    if (!strcmp(status, "sold")) json_object_set_new(o, "buyer_name", json_string("外部平台竞买人"));
    sim_reply_json(r, 200, o);
}

static const struct sim_route auction_routes[] = {
    { "POST", "/auction/v1/lots", create, "网络拍卖平台（模拟）：接收法院推送的标的" },
    { "GET", "/auction/v1/lots/:id", get, "网络拍卖平台（模拟）：标的状态与结果" },
};
SIM_ROUTES("auction_platform", auction_routes)
