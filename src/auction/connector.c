/* connector.c — the court's side of the outside platforms (docs/api/auction.md "Platform connector"):
 *
 *   网络询价 (参考价规定 art 10): every waiting result of an open online inquiry is sent to its price
 *     platform   POST {price_url}/price/v1/inquiries → inquiry_id (kept as external_ref), then polled
 *                GET  {price_url}/price/v1/inquiries/:id until "reported": the price is recorded as
 *                delivered (on time if it came before the step's due time, else late — art 11/13).
 *   outside auction platforms (淘宝, 京东, 人民法院诉讼资产网, 公拍网, 中拍平台): a round whose platform is
 *     not "court" is pushed  POST {auction_url}/auction/v1/lots → lot_id (external_ref), then polled
 *                GET  {auction_url}/auction/v1/lots/:id; "sold"/"unsold" closes the round here exactly
 *                as our own sweep does (case event, audit), so payment, 悔拍 and re-auction work the same.
 *                The platform may also PUSH the result (src/api/auction_platform.c: a partner-scoped,
 *                HMAC-SM3-signed, idempotent callback); both paths end in zx_au_platform_apply, and
 *                whichever comes first closes the round — the other finds it closed.
 * Base URLs: ZX_PRICE_PLATFORM_URL / ZX_AUCTION_PLATFORM_URL, else ZX_SIM_URL (the simulator,
 * bin/zhixing-sim sim/price_platform.c and sim/auction_platform.c), default http://127.0.0.1:8090.
 * One background thread (server only), one pass per second, libcurl with a 3 s timeout; a platform
 * that does not answer is simply asked again on the next pass. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/httpc.h"
#include "core/worker.h"
#include "app.h"
#include "auction/auction.h"
#include "audit/audit.h"
#include "core/ids.h"
#include "core/log.h"

static const char *base_url(const char *var)
{
    const char *v = getenv(var);
    if (v && *v) return v;
    v = getenv("ZX_SIM_URL");
    return v && *v && strcmp(v, "off") ? v : "http://127.0.0.1:8090";
}

/* GET (body NULL) or POST JSON; returns the parsed 2xx answer or NULL. */
static json_t *http_json(const char *url, json_t *body)
{
    char *txt = body ? json_dumps(body, JSON_COMPACT) : NULL;
    zx_http_body b = { 0 };
    long status = zx_http_exchange(txt ? "POST" : "GET", url, txt, NULL, 3000L, &b);
    json_t *out = status >= 200 && status < 300 && b.p ? json_loads(b.p, 0, NULL) : NULL;
    free(txt);
    free(b.p);
    return out;
}

static int audit_system(db_conn *c, const char *action, const char *type, int64_t id, const char *detail)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    zx_audit_rec a = { .username = "system", .action = action, .object_type = type, .object_id = oid, .result = "ok", .detail = detail };
    return zx_audit_write(c, &a);
}

/* ---- price platforms ---- */
static void price_pass(db_t *db)
{
    db_conn *c = db_acquire(db);
    db_stmt *s = db_prepare(c, "SELECT r.id, r.source, r.external_ref, r.due_ms, l.title, l.asset_kind, l.location, l.description"
                               " FROM auction_price_result r JOIN auction_price_step p ON p.id = r.step_id JOIN auction_lot l ON l.id = p.lot_id"
                               " WHERE p.method = 'online_inquiry' AND p.status = 'open' AND r.status = 'waiting' ORDER BY r.id LIMIT 50");
    struct job {
        int64_t id, due;
        char source[96], ref[32], title[200], kind[24], location[200];
    } jobs[50];
    int n = 0;
    while (s && db_step(s) == DB_ROW && n < 50) {
        struct job *j = &jobs[n++];
        j->id = db_col_int64(s, 0);
        snprintf(j->source, sizeof j->source, "%s", db_col_text(s, 1));
        snprintf(j->ref, sizeof j->ref, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
        j->due = db_col_int64(s, 3);
        snprintf(j->title, sizeof j->title, "%s", db_col_text(s, 4));
        snprintf(j->kind, sizeof j->kind, "%s", db_col_text(s, 5));
        snprintf(j->location, sizeof j->location, "%s", db_col_text(s, 6) ? db_col_text(s, 6) : "");
    }
    if (s) db_finalize(s);
    db_release(db, c);
    const char *base = base_url("ZX_PRICE_PLATFORM_URL");
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        char url[512];
        if (!j->ref[0]) {
            snprintf(url, sizeof url, "%s/price/v1/inquiries", base);
            char cref[24];
            snprintf(cref, sizeof cref, "%lld", (long long)j->id);
            json_t *req = json_pack("{s:s,s:s,s:s,s:s,s:s}", "platform", j->source, "title", j->title, "asset_kind", j->kind,
                                    "location", j->location, "court_ref", cref);
            json_t *ans = http_json(url, req);
            json_decref(req);
            const char *ref = json_string_value(json_object_get(ans, "inquiry_id"));
            if (ref) {
                c = db_acquire(db);
                db_stmt *u = db_prepare(c, "UPDATE auction_price_result SET external_ref = ? WHERE id = ? AND external_ref IS NULL");
                if (u) {
                    db_bind_text(u, 1, ref, -1);
                    db_bind_int64(u, 2, j->id);
                    db_step(u);
                    db_finalize(u);
                }
                db_release(db, c);
            }
            json_decref(ans);
            continue;
        }
        snprintf(url, sizeof url, "%s/price/v1/inquiries/%s", base, j->ref);
        json_t *ans = http_json(url, NULL);
        const char *st = json_string_value(json_object_get(ans, "status"));
        json_t *pf = json_object_get(ans, "price_fen");
        if (st && !strcmp(st, "reported") && json_is_integer(pf) && json_integer_value(pf) > 0) {
            int64_t now = zx_now_ms();
            c = db_acquire(db);
            if (db_begin(c) == 0) {
                db_stmt *u = db_prepare(c, "UPDATE auction_price_result SET status = ?, price_fen = ?, delivered_ms = ? WHERE id = ? AND status = 'waiting'");
                int ok = 0;
                if (u) {
                    db_bind_text(u, 1, now > j->due ? "late" : "delivered", -1); /* 参考价规定 art 11 */
                    db_bind_int64(u, 2, json_integer_value(pf));
                    db_bind_int64(u, 3, now);
                    db_bind_int64(u, 4, j->id);
                    ok = db_step(u) == DB_DONE && db_changes(u) == 1;
                    db_finalize(u);
                }
                char *detail = json_dumps(ans, JSON_COMPACT);
                if (ok && audit_system(c, "auction.price_result", "auction_price_result", j->id, detail) == 0 && db_commit(c) == 0) {
                } else
                    db_rollback(c);
                free(detail);
            }
            db_release(db, c);
        }
        json_decref(ans);
    }
}

/* ---- outside auction platforms ---- */
static void auction_pass(db_t *db)
{
    db_conn *c = db_acquire(db);
    db_stmt *s = db_prepare(c, "SELECT r.id, r.lot_id, r.platform, r.external_ref, r.start_fen, r.deposit_fen, r.increment_fen, r.starts_ms,"
                               " r.ends_ms, l.title, l.case_id, r.round_no FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id"
                               " WHERE r.platform <> 'court' AND r.status IN ('announced', 'bidding') ORDER BY r.id LIMIT 50");
    struct job {
        int64_t id, lot, start, deposit, inc, starts, ends, case_id;
        int round_no;
        char platform[32], ref[32], title[200];
    } jobs[50];
    int n = 0;
    while (s && db_step(s) == DB_ROW && n < 50) {
        struct job *j = &jobs[n++];
        j->id = db_col_int64(s, 0);
        j->lot = db_col_int64(s, 1);
        snprintf(j->platform, sizeof j->platform, "%s", db_col_text(s, 2));
        snprintf(j->ref, sizeof j->ref, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        j->start = db_col_int64(s, 4);
        j->deposit = db_col_int64(s, 5);
        j->inc = db_col_int64(s, 6);
        j->starts = db_col_int64(s, 7);
        j->ends = db_col_int64(s, 8);
        snprintf(j->title, sizeof j->title, "%s", db_col_text(s, 9));
        j->case_id = db_col_int64(s, 10);
        j->round_no = (int)db_col_int64(s, 11);
    }
    if (s) db_finalize(s);
    db_release(db, c);
    const char *base = base_url("ZX_AUCTION_PLATFORM_URL");
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        char url[512], rid[24], t1[32], t2[32];
        snprintf(rid, sizeof rid, "%lld", (long long)j->id);
        if (!j->ref[0]) {
            snprintf(url, sizeof url, "%s/auction/v1/lots", base);
            zx_au_iso(j->starts, t1);
            zx_au_iso(j->ends, t2);
            json_t *req = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s}", "court_round_id", rid, "platform", j->platform, "title", j->title,
                                    "start_fen", (json_int_t)j->start, "deposit_fen", (json_int_t)j->deposit, "increment_fen",
                                    (json_int_t)j->inc, "starts_at", t1, "ends_at", t2);
            json_t *ans = http_json(url, req);
            json_decref(req);
            const char *ref = json_string_value(json_object_get(ans, "lot_id"));
            if (ref) {
                c = db_acquire(db);
                db_stmt *u = db_prepare(c, "UPDATE auction_round SET external_ref = ? WHERE id = ? AND external_ref IS NULL");
                if (u) {
                    db_bind_text(u, 1, ref, -1);
                    db_bind_int64(u, 2, j->id);
                    db_step(u);
                    db_finalize(u);
                }
                db_release(db, c);
            }
            json_decref(ans);
            continue;
        }
        snprintf(url, sizeof url, "%s/auction/v1/lots/%s", base, j->ref);
        json_t *ans = http_json(url, NULL);
        const char *st = json_string_value(json_object_get(ans, "status"));
        if (st && (!strcmp(st, "sold") || !strcmp(st, "unsold"))) {
            c = db_acquire(db);
            if (db_begin(c) == 0) {
                int rc = zx_au_platform_apply(c, j->id, !strcmp(st, "sold"), json_integer_value(json_object_get(ans, "price_fen")),
                                              json_integer_value(json_object_get(ans, "bids")),
                                              json_string_value(json_object_get(ans, "buyer_name")), "pull");
                if (rc == 0 && db_commit(c) == 0) zx_au_engine_invalidate(j->lot);
                else db_rollback(c);
            }
            db_release(db, c);
        }
        json_decref(ans);
    }
}

int zx_au_platform_apply(db_conn *c, int64_t round_id, bool sold, int64_t price, int64_t bids, const char *buyer, const char *via)
{
    db_stmt *s = db_prepare(c, "SELECT r.lot_id, l.case_id, r.round_no, r.platform, r.external_ref, r.status FROM auction_round r"
                               " JOIN auction_lot l ON l.id = r.lot_id WHERE r.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    int64_t case_id = 0;
    int round_no = 0;
    char platform[64] = "", ref[40] = "", status[16] = "";
    int rc = db_step(s);
    if (rc == DB_ROW) {
        case_id = db_col_int64(s, 1);
        round_no = (int)db_col_int64(s, 2);
        snprintf(platform, sizeof platform, "%s", db_col_text(s, 3));
        snprintf(ref, sizeof ref, "%s", db_col_text(s, 4) ? db_col_text(s, 4) : "");
        snprintf(status, sizeof status, "%s", db_col_text(s, 5));
    }
    db_finalize(s);
    if (rc != DB_ROW) return 1;
    if (strcmp(status, "announced") && strcmp(status, "bidding")) return 1; /* already closed (by the other path) */
    s = db_prepare(c, "UPDATE auction_round SET status = ?, current_fen = ?, bid_seq = ?, closed_ms = ? WHERE id = ?"
                      " AND status IN ('announced', 'bidding')");
    if (!s) return -1;
    db_bind_text(s, 1, sold ? "sold" : "unsold", -1);
    db_bind_int64(s, 2, sold ? price : 0);
    db_bind_int64(s, 3, bids);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, round_id);
    rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (n != 1) return 1;
    json_t *d = json_pack("{s:i,s:s,s:I,s:s,s:s}", "round_no", round_no, "platform", platform, "price_fen", (json_int_t)price,
                          "external_ref", ref, "via", via);
    if (buyer) json_object_set_new(d, "buyer", json_string(buyer));
    char *detail = json_dumps(d, JSON_COMPACT);
    int64_t ev = zx_au_case_event(c, case_id, 0, NULL, sold ? "sold" : "unsold", sold ? "外部平台拍卖成交" : "外部平台流拍", d);
    rc = ev >= 0 && audit_system(c, sold ? "auction.sold" : "auction.unsold", "auction_round", round_id, detail) == 0 ? 0 : -1;
    free(detail);
    json_decref(d);
    return rc;
}

/* ---- the background thread (server only) ---- */
static long connector_pass(void *arg)
{
    zx_app *app = arg;
    price_pass(app->db);
    auction_pass(app->db);
    return 1000;
}
static zx_worker bg = ZX_WORKER(connector_pass);

static int connector_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return zx_worker_start(&bg, app);
}
ZX_ON_START("61-auction-connector", connector_start)

static int connector_stop(zx_app *app)
{
    (void)app;
    zx_worker_stop(&bg);
    return 0;
}
ZX_ON_STOP("61-auction-connector", connector_stop)
