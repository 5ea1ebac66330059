/* auction_public.c — the public auction portal (no staff login; docs/api/auction.md):
 *
 *   GET  /api/v1/public/auctions                 lots open to the public
 *   GET  /api/v1/public/auctions/:id             one lot (announcement data, live state, recent bids)
 *   GET  /api/v1/public/auctions/:id/stream      text/event-stream of price and end-time updates
 *   GET  /api/v1/public/auctions/:id/bids        accepted bids (alias, amount, time)
 *   POST /api/v1/public/bidders                  real-name registration → bidder token (zxb_…)
 *   GET  /api/v1/public/bidders/me               the bidder's deposits and refunds
 *   POST /api/v1/public/auctions/:id/deposit     pay the deposit (held as a pending ledger transfer)
 *   POST /api/v1/public/auctions/:id/bids        bid {"amount_fen":N} → 201 {"seq","amount_fen","ends_at"}
 * Bidders authenticate with "Authorization: Bearer zxb_…"; the reads count against the caller's
 * address like the other portal queries. */
#include <stdio.h>

#include "auction/auction.h"
#include "credit/public.h"
#include "http/http.h"

void zx_au_bid(zx_req *r);
void zx_au_stream(zx_req *r);
void zx_au_bidder_register(zx_req *r);
void zx_au_bidder_me(zx_req *r);
void zx_au_deposit_pay(zx_req *r);
json_t *zx_au_public_bids(db_conn *c, int64_t lot_id, int limit);

static void list(zx_req *r)
{
    zx_reply_json(r, 200, json_pack("{s:o}", "auctions", zx_au_public_list(zx_db(r))));
}

static void get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    json_t *o = zx_au_lot_json(c, id, false);
    if (!o || !json_array_size(json_object_get(o, "rounds"))) {
        json_decref(o);
        return zx_reply_error(r, 404, "NOT_FOUND", "拍卖标的不存在");
    }
    json_object_set_new(o, "recent_bids", zx_au_public_bids(c, id, 20));
    zx_reply_json(r, 200, o);
}

static void bids(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    zx_reply_json(r, 200, json_pack("{s:o}", "bids", zx_au_public_bids(zx_db(r), id, 500)));
}

static const struct zx_route public_auction_routes[] = {
    { "GET", "/api/v1/public/auctions", list, ZX_R_PUBLIC, 0, NULL, "网络司法拍卖：公开的拍卖标的" },
    { "GET", "/api/v1/public/auctions/:id", get, ZX_R_PUBLIC, 0, NULL, "拍卖标的详情（公告、实时价格、出价记录）" },
    { "GET", "/api/v1/public/auctions/:id/stream", zx_au_stream, ZX_R_PUBLIC, 0, NULL, "实时价格与结束时间（text/event-stream）" },
    { "GET", "/api/v1/public/auctions/:id/bids", bids, ZX_R_PUBLIC, 0, NULL, "出价记录" },
    { "POST", "/api/v1/public/bidders", zx_au_bidder_register, ZX_R_PUBLIC, 0, NULL, "竞买人实名登记" },
    { "GET", "/api/v1/public/bidders/me", zx_au_bidder_me, ZX_R_PUBLIC, 0, NULL, "竞买人的保证金与退款" },
    { "POST", "/api/v1/public/auctions/:id/deposit", zx_au_deposit_pay, ZX_R_PUBLIC, 0, NULL, "交纳保证金" },
    { "POST", "/api/v1/public/auctions/:id/bids", zx_au_bid, ZX_R_PUBLIC, 0, NULL, "出价" },
};
ZX_ROUTES(public_auction_routes)
