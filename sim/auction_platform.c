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
 * (k from sim_hash64 of the court's round id) or unsold. Option auction.outcome=sold|unsold forces it.
 *
 * Results are also PUSHED to the court (the connector's signed callback, src/api/auction_platform.c)
 * once options auction.callback_url (the court's …/api/v1/auction-platform/results) and
 * auction.callback_key (the platform's API key, scope auction:results) are set: a tick every 500 ms
 * sends each ended lot's result until the court answers 200 —
 *   headers Authorization: Bearer KEY, X-Zx-Timestamp: ms, X-Zx-Signature: hex HMAC-SM3(KEY, ts "." body)
 *   body    {"event_id":"<lot>-result","court_round_id","lot_id","platform","status","price_fen","bids","buyer_name"}
 * POST /auction/v1/lots/:id/push delivers it again now (same event id: the court must answer it as a
 * duplicate); GET shows push_status (the court's last HTTP status). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/crypto.h"
#include "sim.h"

#define MAX_LOTS 1024
static struct lot {
    char id[24], round[32], platform[64], title[200];
    int64_t start, inc, starts, ends;
    uint64_t h;
    bool pushing, pushed;
    long push_status;
} g_lots[MAX_LOTS];
static int g_n;
static bool g_ticking;
static void tick(void *arg);

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
    if (!g_ticking) {
        g_ticking = true;
        sim_after(500, tick, NULL);
    }
    sim_reply_json(r, 201, json_pack("{s:s,s:s}", "lot_id", l->id, "status", "announced"));
}

/* The lot's state at `now` (simulated clock). */
static const char *outcome(const struct lot *l, int64_t now, int64_t *price, int *bids)
{
    const char *forced = sim_option("auction.outcome");
    bool sells = forced ? !strcmp(forced, "sold") : (l->h % 4) != 0; /* three in four sell */
    int k = 1 + (int)((l->h >> 8) % 20);
    *price = 0;
    *bids = 0;
    if (now < l->starts) return "announced";
    if (now < l->ends) {
        double f = (double)(now - l->starts) / (double)(l->ends - l->starts);
        *bids = sells ? (int)(f * k) : 0;
        *price = *bids ? l->start + (int64_t)(*bids - 1) * l->inc : 0;
        return "bidding";
    }
    if (!sells) return "unsold";
    *bids = k;
    *price = l->start + (int64_t)(k - 1) * l->inc;
    return "sold";
}

static struct lot *find(const char *id)
{
    for (int i = 0; id && i < g_n; i++)
        if (!strcmp(g_lots[i].id, id)) return &g_lots[i];
    return NULL;
}

static void get(sim_req *r)
{
    struct lot *l = find(sim_param(r, "id"));
    if (!l) return sim_reply_error(r, 404, "NOT_FOUND", "标的不存在");
    int64_t price;
    int bids;
    const char *status = outcome(l, sim_now_ms(), &price, &bids);
    json_t *o = json_pack("{s:s,s:s,s:I,s:i,s:i}", "lot_id", l->id, "status", status, "price_fen", (json_int_t)price, "bids", bids,
                          "push_status", (int)l->push_status);
    if (!strcmp(status, "sold")) json_object_set_new(o, "buyer_name", json_string("外部平台竞买人"));
    sim_reply_json(r, 200, o);
}

/* ---- pushing results to the court ---- */
static void pushed(void *arg, long status, const char *resp, size_t len)
{
    struct lot *l = arg;
    l->pushing = false;
    l->push_status = status;
    if (status == 200) l->pushed = true;
}

/* Send the lot's result (0 sent, -1 not ended / no callback configured). */
static int push(struct lot *l)
{
    const char *url = sim_option("auction.callback_url"), *key = sim_option("auction.callback_key");
    int64_t price;
    int bids;
    const char *status = outcome(l, sim_now_ms(), &price, &bids);
    if (!url || !*url || !key || !*key || (strcmp(status, "sold") && strcmp(status, "unsold")) || l->pushing) return -1;
    char ev[48];
    snprintf(ev, sizeof ev, "%s-result", l->id);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:i}", "event_id", ev, "court_round_id", l->round, "lot_id", l->id, "platform",
                          l->platform, "status", status, "price_fen", (json_int_t)price, "bids", bids);
    if (!strcmp(status, "sold")) json_object_set_new(b, "buyer_name", json_string("外部平台竞买人"));
    char *body = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(b);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now); /* the real clock: the court checks the timestamp against its own */
    char ts[24], h_auth[200], h_ts[48], h_sig[120], sig[2 * ZX_SM3_LEN + 1];
    snprintf(ts, sizeof ts, "%lld", (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    size_t tl = strlen(ts), bl = strlen(body);
    char *msg = malloc(tl + 1 + bl);
    if (!msg) {
        free(body);
        return -1;
    }
    memcpy(msg, ts, tl);
    msg[tl] = '.';
    memcpy(msg + tl + 1, body, bl);
    uint8_t mac[ZX_SM3_LEN];
    zx_hmac_sm3(key, strlen(key), msg, tl + 1 + bl, mac);
    free(msg);
    zx_hex(mac, ZX_SM3_LEN, sig);
    snprintf(h_auth, sizeof h_auth, "Authorization: Bearer %s", key);
    snprintf(h_ts, sizeof h_ts, "X-Zx-Timestamp: %s", ts);
    snprintf(h_sig, sizeof h_sig, "X-Zx-Signature: %s", sig);
    const char *headers[] = { h_auth, h_ts, h_sig, NULL };
    l->pushing = true;
    sim_post(url, "application/json", body, bl, headers, 3000, pushed, l);
    free(body);
    return 0;
}

static void tick(void *arg)
{
    for (int i = 0; i < g_n; i++)
        if (!g_lots[i].pushed) push(&g_lots[i]);
    sim_after(500, tick, NULL);
}

/* POST /auction/v1/lots/:id/push — deliver the result again now (the same event id). */
static void push_now(sim_req *r)
{
    struct lot *l = find(sim_param(r, "id"));
    if (!l) return sim_reply_error(r, 404, "NOT_FOUND", "标的不存在");
    l->pushing = false;
    if (push(l)) return sim_reply_error(r, 409, "NOT_READY", "拍卖尚未结束或未配置法院回调地址");
    sim_reply_json(r, 202, json_pack("{s:s,s:b}", "lot_id", l->id, "queued", 1));
}

static const struct sim_route auction_routes[] = {
    { "POST", "/auction/v1/lots", create, "网络拍卖平台（模拟）：接收法院推送的标的" },
    { "GET", "/auction/v1/lots/:id", get, "网络拍卖平台（模拟）：标的状态与结果" },
    { "POST", "/auction/v1/lots/:id/push", push_now, "网络拍卖平台（模拟）：立即向法院推送拍卖结果（签名回调）" },
};
SIM_ROUTES("auction_platform", auction_routes)
