/* demo.c — demo disposal data (ZX_DEMO order 120): on open cases of 辽0102 with a handler —
 *   1. a flat: 网络询价 to three platforms (mean per 参考价规定 art 13), first auction OPEN for
 *      bidding now (two demo bidders with held deposits and a few bids), a priority purchaser;
 *   2. a car: 议价, first auction 流拍 yesterday → waiting for the second auction (≤ 30 d, −20 %);
 *   3. equity: 网络询价 sent, waiting for the platforms;
 *   4. a machine tool: agreed price, sold and paid → 成交裁定 PDF, proceeds in the case account.
 * The live steps go through the same service functions as the API (zx_au_lot_action); only the
 * passage of time (a round that ended yesterday) and the demo bids are written directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auction/auction.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "rules/auction.h"
#include "rules/id_number.h"

int zx_au_lot_create(zx_req *r, db_conn *c, int64_t case_id, int64_t court_id, json_t *b, int64_t *id_out, zx_au_err *e);
int zx_au_lot_action(zx_req *r, db_conn *c, int64_t lot_id, const char *action, json_t *body, int64_t *obj, zx_au_err *e);
int zx_au_deposit_hold(db_conn *c, int64_t round_id, int64_t deposit_id, int64_t amount_fen);
int zx_au_cost_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);
int zx_au_lien_add(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e);

#define DAY_MS 86400000LL

static int act(db_conn *c, zx_req *r, int64_t lot, const char *what, json_t *body, int64_t *obj)
{
    zx_au_err e = { 0 };
    int64_t o = 0;
    if (db_begin(c)) return -1;
    int rc = zx_au_lot_action(r, c, lot, what, body, &o, &e);
    json_decref(body);
    if (rc || db_commit(c)) {
        db_rollback(c);
        LOG_WARN("auction demo: %s on lot %lld failed: %s", what, (long long)lot, rc > 0 ? e.message : "store error");
        return -1;
    }
    if (obj) *obj = o;
    return 0;
}

static int64_t mk_lot(db_conn *c, zx_req *r, int64_t case_id, int64_t court_id, json_t *body)
{
    zx_au_err e = { 0 };
    int64_t id = 0;
    if (db_begin(c)) return -1;
    int rc = zx_au_lot_create(r, c, case_id, court_id, body, &id, &e);
    json_decref(body);
    if (rc || zx_audit_req(r, c, "auction.lot_create", "auction_lot", id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        LOG_WARN("auction demo: lot failed: %s", rc > 0 ? e.message : "store error");
        return -1;
    }
    return id;
}

/* The demo's history: the price was fixed `days_ago` (before the announcement). */
static void backdate_reference(db_conn *c, int64_t lot, int days_ago)
{
    char d[11];
    zx_date_format(zx_today() - days_ago, d);
    db_stmt *s = db_prepare(c, "UPDATE auction_lot SET reference_on = ? WHERE id = ?");
    if (!s) return;
    db_bind_text(s, 1, d, -1);
    db_bind_int64(s, 2, lot);
    db_step(s);
    db_finalize(s);
}

static void iso(int64_t ms, char out[32]) { zx_au_iso(ms, out); }
static void day(zx_date d, char out[11]) { zx_date_format(d, out); }

static int64_t bidder(db_conn *c, const char *name, zx_date birth, int seq, const char *alias)
{
    char idn[19], tok[80], hash[65];
    zx_idno_make("210102", birth, seq, idn);
    snprintf(tok, sizeof tok, "zxb_demo_%s_%d", alias, seq); /* demo tokens are never shown; no one can use them */
    zx_token_hash(tok, hash);
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_bidder (id, name, id_enc, id_idx, token_hash, alias, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, name, -1);
    zx_pii_bind(s, 3, ZX_PII_ID_NUMBER, idn);
    zx_pii_bind_index(s, 4, ZX_PII_ID_NUMBER, idn);
    db_bind_text(s, 5, hash, -1);
    db_bind_text(s, 6, alias, -1);
    db_bind_int64(s, 7, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? id : -1;
}

static int deposit(db_conn *c, int64_t round_id, int64_t bidder_id, int64_t amount)
{
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_deposit (id, round_id, bidder_id, amount_fen, status, transfer_id, held_ms)"
                               " VALUES (?, ?, ?, ?, 'held', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, round_id);
    db_bind_int64(s, 3, bidder_id);
    db_bind_int64(s, 4, amount);
    db_bind_int64(s, 5, id);
    db_bind_int64(s, 6, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE && zx_au_deposit_hold(c, round_id, id, amount) == 0 ? 0 : -1;
}

static int bid(db_conn *c, int64_t round_id, int64_t seq, int64_t bidder_id, int64_t amount, int64_t at, int64_t ends)
{
    db_stmt *s = db_prepare(c, "INSERT INTO auction_bid (id, round_id, seq, bidder_id, amount_fen, priority_rank, received_ms, ends_ms)"
                               " VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, round_id);
    db_bind_int64(s, 3, seq);
    db_bind_int64(s, 4, bidder_id);
    db_bind_int64(s, 5, amount);
    db_bind_int64(s, 6, at);
    db_bind_int64(s, 7, ends);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    s = db_prepare(c, "UPDATE auction_round SET bid_seq = ?, current_fen = ?, leader_bidder_id = ?, status = 'bidding' WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, seq);
    db_bind_int64(s, 2, amount);
    db_bind_int64(s, 3, bidder_id);
    db_bind_int64(s, 4, round_id);
    rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static int demo_auction(zx_app *app, unsigned seed)
{
    db_conn *c = db_acquire(app->db);
    int64_t cases[4], courts[4], handlers[4];
    char hname[4][64];
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT k.id, k.court_id, k.handler_id, u.username FROM enf_case k JOIN court ct ON ct.id = k.court_id"
                               " JOIN app_user u ON u.id = k.handler_id WHERE ct.code = '辽0102' AND k.status <> 'closed'"
                               " AND k.type_code = '执' AND k.claim_fen > 100000000 AND k.filed_on <= ?"
                               " ORDER BY k.filed_on DESC, k.id LIMIT 4");
    /* cases filed before their lots were seized (the oldest lot's seizure is 70 days ago) */
    char since[11];
    zx_date_format(zx_today() - 100, since);
    if (s) db_bind_text(s, 1, since, -1);
    while (s && db_step(s) == DB_ROW && n < 4) {
        cases[n] = db_col_int64(s, 0);
        courts[n] = db_col_int64(s, 1);
        handlers[n] = db_col_int64(s, 2);
        snprintf(hname[n], sizeof hname[n], "%s", db_col_text(s, 3));
        n++;
    }
    if (s) db_finalize(s);
    if (n < 4) {
        db_release(app->db, c);
        LOG_INFO("auction demo: not enough open cases with a handler (%d)", n);
        return 0;
    }
    zx_date today = zx_today();
    int64_t now = zx_now_ms();
    char d1[11], t1[32], t2[32];
    int made = 0;

    /* 1. the flat: open for bidding now */
    zx_req r = { 0 };
    r.who.kind = ZX_USER;
    r.who.user_id = handlers[0];
    snprintf(r.who.username, sizeof r.who.username, "%s", hname[0]);
    r.client_ip = "127.0.0.1";
    snprintf(r.request_id, sizeof r.request_id, "demo-auction");
    day(today - 60, d1);
    int64_t flat = mk_lot(c, &r, cases[0], courts[0],
                          json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s,s]}", "title", "沈阳市和平区南京南街某小区3号楼2单元801室住宅",
                                    "asset_kind", "real_estate", "description", "建筑面积 98.6 平方米，三室一厅，1998 年建成，砖混结构，不动产权证号辽（2016）沈阳市不动产权第0123456号。",
                                    "location", "沈阳市和平区南京南街", "defects", "卫生间有渗水痕迹；物业费欠缴约 3,200 元",
                                    "taxes", "买卖双方依法各自负担各自应缴税费", "viewing", "每周三上午 9:00–11:00 由执行法官带领现场看样", "seized_on", d1,
                                    "photos", "/img/auction/flat-1.svg", "/img/auction/flat-2.svg"));
    if (flat > 0) {
        r.who.user_id = handlers[0];
        int64_t step = 0;
        act(c, &r, flat, "price_step", json_pack("{s:s,s:s}", "method", "online_inquiry", "skip_reason", "party_absent"), &step);
        char sid[24];
        snprintf(sid, sizeof sid, "%lld", (long long)step);
        static const char *plats[] = { "中国拍卖行业协会网络询价平台", "京东网络询价平台", "淘宝网络询价平台" };
        static const int64_t prices[] = { 96500000, 98000000, 99800000 };
        for (int i = 0; i < 3; i++)
            act(c, &r, flat, "price_result", json_pack("{s:s,s:s,s:I}", "step_id", sid, "source", plats[i], "price_fen", (json_int_t)prices[i]), NULL);
        act(c, &r, flat, "price_fix", json_pack("{s:s}", "step_id", sid), NULL);
        backdate_reference(c, flat, 45);
        act(c, &r, flat, "priority", json_pack("{s:s,s:s,s:i,s:s}", "name", "王秀兰", "id_number", "210102196203150029", "rank", 1,
                                              "basis", "按份共有人"), NULL);
        /* the 网络询价 fee, advanced by the applicant, borne by the debtor (参考价规定 art 33) */
        if (db_begin(c) == 0) {
            zx_au_err ce = { 0 };
            int64_t cid = 0;
            json_t *cb = json_pack("{s:s,s:s,s:I,s:s}", "kind", "online_inquiry", "provider", "京东网络询价平台", "amount_fen",
                                   (json_int_t)60000, "advanced_by", "applicant");
            if (zx_au_cost_add(&r, c, flat, cb, &cid, &ce) || db_commit(c)) db_rollback(c);
            json_decref(cb);
        }
        /* the bank's registered mortgage on the flat: paid first out of the price (拍卖变卖规定 art 28) */
        if (db_begin(c) == 0) {
            zx_au_err le = { 0 };
            int64_t lid = 0;
            json_t *lb = json_pack("{s:s,s:s,s:I,s:s}", "holder", "中国建设银行股份有限公司沈阳和平支行", "kind", "mortgage", "amount_fen",
                                   (json_int_t)21500000, "basis", "不动产登记证明（抵押权）");
            if (zx_au_lien_add(&r, c, flat, lb, &lid, &le) || db_commit(c)) db_rollback(c);
            json_decref(lb);
        }
        day(today - 31, d1);
        iso(now - 3600000, t1);
        iso(now + 2 * DAY_MS, t2);
        int64_t round = 0;
        /* 起拍价 70 % of 98,100,000 fen = 68,670,000; deposit 10 %; increment ¥5,000 */
        if (act(c, &r, flat, "round", json_pack("{s:I,s:I,s:I,s:s,s:s,s:s}", "start_fen", (json_int_t)68670000, "deposit_fen",
                                                 (json_int_t)6867000, "increment_fen", (json_int_t)500000, "announced_on", d1,
                                                 "starts_at", t1, "ends_at", t2), &round) == 0) {
            if (db_begin(c) == 0) {
                int64_t ends = now + 2 * DAY_MS;
                int64_t b1 = bidder(c, "李建国", zx_date_from_ymd(1975, 4, 12), 31, "竞买号1031");
                int64_t b2 = bidder(c, "赵丽", zx_date_from_ymd(1983, 9, 2), 48, "竞买号2048");
                int ok = b1 > 0 && b2 > 0 && !deposit(c, round, b1, 6867000) && !deposit(c, round, b2, 6867000) &&
                         !bid(c, round, 1, b1, 68670000, now - 3000000, ends) && !bid(c, round, 2, b2, 69170000, now - 2000000, ends) &&
                         !bid(c, round, 3, b1, 69670000, now - 900000, ends);
                if (ok && db_commit(c) == 0) made++;
                else db_rollback(c);
            }
        }
    }

    /* 2. the car: 议价, first auction 流拍 yesterday */
    r.who.user_id = handlers[1];
    snprintf(r.who.username, sizeof r.who.username, "%s", hname[1]);
    day(today - 50, d1);
    int64_t car = mk_lot(c, &r, cases[1], courts[1],
                         json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", "大众牌帕萨特小型轿车（辽A·5K2**）", "asset_kind", "vehicle",
                                   "description", "2017 年 6 月初次登记，行驶里程约 12.6 万公里，车况一般，已扣押于法院停车场。", "defects",
                                   "左前翼子板有刮痕；有 2 条未处理交通违法记录", "taxes", "过户费用由买受人负担", "seized_on", d1,
                                   "viewing", "工作日在本院停车场看车"));
    if (car > 0) {
        act(c, &r, car, "price_step", json_pack("{s:s,s:I}", "method", "agreed", "price_fen", (json_int_t)6800000), NULL);
        backdate_reference(c, car, 30);
        day(today - 20, d1);
        iso(now + DAY_MS, t1);
        iso(now + 2 * DAY_MS + 3600000, t2);
        int64_t round = 0;
        if (act(c, &r, car, "round", json_pack("{s:I,s:I,s:I,s:s,s:s,s:s}", "start_fen", (json_int_t)4760000, "deposit_fen", (json_int_t)476000,
                                                "increment_fen", (json_int_t)50000, "announced_on", d1, "starts_at", t1, "ends_at", t2),
                &round) == 0) {
            /* the round ran from 3 days ago to yesterday without a bid: 流拍 */
            db_stmt *u = db_prepare(c, "UPDATE auction_round SET status = 'unsold', starts_ms = ?, ends_ms = ?, closed_ms = ? WHERE id = ?");
            if (u) {
                db_bind_int64(u, 1, now - 3 * DAY_MS);
                db_bind_int64(u, 2, now - DAY_MS);
                db_bind_int64(u, 3, now - DAY_MS);
                db_bind_int64(u, 4, round);
                if (db_step(u) == DB_DONE) made++;
                db_finalize(u);
            }
            json_t *d = json_pack("{s:i,s:i}", "round_no", 1, "bids", 0);
            if (db_begin(c) == 0) {
                if (zx_au_case_event(c, cases[1], 0, NULL, "unsold", "流拍", d) >= 0) db_commit(c);
                else db_rollback(c);
            }
            json_decref(d);
            /* the second auction at −20 % waits for the panel's decision in the chief's inbox (网拍规定 art 27) */
            char d2[11], s2[32], e2[32];
            day(today, d2);
            iso(now + 8 * DAY_MS, s2);
            iso(now + 9 * DAY_MS, e2);
            act(c, &r, car, "round", json_pack("{s:I,s:I,s:I,s:s,s:s,s:s}", "start_fen", (json_int_t)3808000, "deposit_fen",
                                               (json_int_t)380800, "increment_fen", (json_int_t)50000, "announced_on", d2,
                                               "starts_at", s2, "ends_at", e2), NULL);
        }
    }

    /* 3. equity: 网络询价 waiting for the platforms */
    r.who.user_id = handlers[2];
    snprintf(r.who.username, sizeof r.who.username, "%s", hname[2]);
    day(today - 12, d1);
    int64_t eq = mk_lot(c, &r, cases[2], courts[2],
                        json_pack("{s:s,s:s,s:s,s:s}", "title", "沈阳某商贸有限公司 30% 股权", "asset_kind", "equity", "description",
                                  "被执行人持有的沈阳某商贸有限公司 30% 股权（认缴出资 300 万元，已实缴）。", "seized_on", d1));
    if (eq > 0 && act(c, &r, eq, "price_step", json_pack("{s:s,s:s}", "method", "online_inquiry", "skip_reason", "joint_request"), NULL) == 0)
        made++;

    /* 4. a machine tool: agreed price, sold, paid → 成交裁定 */
    r.who.user_id = handlers[3];
    snprintf(r.who.username, sizeof r.who.username, "%s", hname[3]);
    day(today - 70, d1);
    int64_t tool = mk_lot(c, &r, cases[3], courts[3],
                          json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", "数控车床 CK6150（2 台）", "asset_kind", "movable", "description",
                                    "2019 年购置，能正常运转，现存放于被执行人厂房。", "seized_on", d1, "taxes", "增值税由被执行人依法负担，从价款中扣缴"));
    if (tool > 0 && act(c, &r, tool, "price_step", json_pack("{s:s,s:I}", "method", "agreed", "price_fen", (json_int_t)18000000), NULL) == 0) {
        backdate_reference(c, tool, 50);
        day(today - 40, d1);
        iso(now + 3600000, t1);
        iso(now + 2 * DAY_MS, t2);
        int64_t round = 0;
        if (act(c, &r, tool, "round", json_pack("{s:I,s:I,s:I,s:s,s:s,s:s}", "start_fen", (json_int_t)12600000, "deposit_fen",
                                                 (json_int_t)1260000, "increment_fen", (json_int_t)100000, "announced_on", d1,
                                                 "starts_at", t1, "ends_at", t2), &round) == 0 &&
            db_begin(c) == 0) {
            int64_t b = bidder(c, "孙志强", zx_date_from_ymd(1969, 11, 23), 57, "竞买号3057");
            int ok = b > 0 && !deposit(c, round, b, 1260000) && !bid(c, round, 1, b, 12800000, now - 2 * DAY_MS, now - DAY_MS);
            db_stmt *u = ok ? db_prepare(c, "UPDATE auction_round SET status = 'sold', starts_ms = ?, ends_ms = ?, closed_ms = ? WHERE id = ?") : NULL;
            if (u) {
                db_bind_int64(u, 1, now - 3 * DAY_MS);
                db_bind_int64(u, 2, now - DAY_MS);
                db_bind_int64(u, 3, now - DAY_MS);
                db_bind_int64(u, 4, round);
                ok = db_step(u) == DB_DONE;
                db_finalize(u);
            }
            if (ok && db_commit(c) == 0) {
                if (act(c, &r, tool, "payment", json_object(), NULL) == 0) made++;
            } else
                db_rollback(c);
        }
    }
    db_release(app->db, c);
    printf("demo auction: %d lots (one open for bidding)\n", made);
    (void)seed;
    return 0;
}
ZX_DEMO("auction", 120, demo_auction)
