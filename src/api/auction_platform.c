/* auction_platform.c — results PUSHED by an outside auction platform (docs/api/auction.md "Platform
 * connector"), next to the connector's pull (src/auction/connector.c):
 *
 *   POST /api/v1/auction-platform/results      partner key with scope auction:results
 *     headers  Authorization: Bearer zxk_…      the platform's API key (`zhixing partner add --name 京东网络司法拍卖平台
 *                                                --kind auction_platform --scopes auction:results`)
 *              X-Zx-Timestamp: <ms since 1970>  within ±5 minutes of the server's clock (no replay of old calls)
 *              X-Zx-Signature: <hex HMAC-SM3(api key, timestamp + "." + body)>
 *     body     {"event_id","court_round_id","lot_id","status":"sold"|"unsold","price_fen","bids","buyer_name"?}
 *   → 200 {"event_id","round_id","applied":true|false,"duplicate":bool,"round_status"}
 *
 * Partner-scoped: a platform reports only rounds run on it (round.platform = the partner's name) —
 * 403 PLATFORM_MISMATCH otherwise. Idempotent: (partner, event_id) is stored with the body's SM3 in the
 * same transaction as the result, so a repeated delivery answers 200 duplicate and changes nothing;
 * the same event id with a different body is 409 EVENT_CONFLICT. A result contradicting the round's
 * outcome already recorded (by the pull) is 409 RESULT_CONFLICT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auction/auction.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "http/http.h"

#define SKEW_MS (5 * 60 * 1000)

static bool signature_ok(zx_req *r)
{
    const char *auth = zx_header(r, "authorization"), *ts = zx_header(r, "x-zx-timestamp"), *sig = zx_header(r, "x-zx-signature");
    if (!auth || strncasecmp(auth, "Bearer ", 7) || !ts || !sig || strlen(sig) != 2 * ZX_SM3_LEN) return false;
    char *end = NULL;
    long long t = strtoll(ts, &end, 10);
    if (!end || *end || llabs(t - (long long)zx_now_ms()) > SKEW_MS) return false;
    const char *key = auth + 7;
    size_t tl = strlen(ts);
    char *msg = zx_alloc(r, tl + 1 + r->body_len + 1);
    memcpy(msg, ts, tl);
    msg[tl] = '.';
    memcpy(msg + tl + 1, r->body, r->body_len);
    uint8_t mac[ZX_SM3_LEN];
    zx_hmac_sm3(key, strlen(key), msg, tl + 1 + r->body_len, mac);
    char hex[2 * ZX_SM3_LEN + 1];
    zx_hex(mac, ZX_SM3_LEN, hex);
    char low[2 * ZX_SM3_LEN + 1];
    for (int i = 0; i < 2 * ZX_SM3_LEN; i++) low[i] = (char)(sig[i] >= 'A' && sig[i] <= 'F' ? sig[i] + 32 : sig[i]);
    low[2 * ZX_SM3_LEN] = 0;
    return zx_ct_equal(hex, low, 2 * ZX_SM3_LEN) == 1;
}

static void results_post(zx_req *r)
{
    if (!signature_ok(r))
        return zx_reply_error(r, 401, "BAD_SIGNATURE", "回调签名无效或时间戳超出允许范围");
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *event = json_string_value(json_object_get(b, "event_id")), *st = json_string_value(json_object_get(b, "status"));
    const char *ext = json_string_value(json_object_get(b, "lot_id")), *buyer = json_string_value(json_object_get(b, "buyer_name"));
    json_t *jp = json_object_get(b, "price_fen"), *jb = json_object_get(b, "bids");
    int64_t round_id = 0;
    bool sold = st && !strcmp(st, "sold");
    if (!event || !*event || strlen(event) > 64 || !zx_json_get_id(json_object_get(b, "court_round_id"), &round_id) ||
        !st || (!sold && strcmp(st, "unsold")) || (jp && !json_is_integer(jp)) || (jb && !json_is_integer(jb)) ||
        (sold && (!jp || json_integer_value(jp) <= 0)))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "回调内容不完整：event_id、court_round_id、status（sold/unsold）、成交价 price_fen");
    int64_t price = jp ? json_integer_value(jp) : 0, bids = jb ? json_integer_value(jb) : 0;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT r.lot_id, r.platform, r.external_ref, r.status, r.start_fen, r.current_fen FROM auction_round r WHERE r.id = ?");
    if (!s) return zx_reply_error(r, 503, "BUSY", "系统繁忙");
    db_bind_int64(s, 1, round_id);
    int64_t lot = 0, start = 0, current = 0;
    char platform[64] = "", ref[40] = "", status[16] = "";
    if (db_step(s) == DB_ROW) {
        lot = db_col_int64(s, 0);
        snprintf(platform, sizeof platform, "%s", db_col_text(s, 1));
        snprintf(ref, sizeof ref, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
        snprintf(status, sizeof status, "%s", db_col_text(s, 3));
        start = db_col_int64(s, 4);
        current = db_col_int64(s, 5);
    }
    db_finalize(s);
    if (!lot) return zx_reply_error(r, 404, "NOT_FOUND", "拍卖轮次不存在");
    if (strcmp(platform, r->who.partner_name))
        return zx_reply_error(r, 403, "PLATFORM_MISMATCH", "该轮拍卖不在本平台进行");
    if (ref[0] && ext && strcmp(ref, ext)) return zx_reply_error(r, 409, "LOT_MISMATCH", "平台标的编号与推送时不一致");
    if (sold && price < start) return zx_reply_error(r, 422, "PRICE_BELOW_START", "成交价低于起拍价");
    char *body = zx_alloc(r, r->body_len + 1);
    memcpy(body, r->body, r->body_len);
    body[r->body_len] = 0;
    uint8_t h[ZX_SM3_LEN];
    zx_sm3(body, r->body_len, h);
    char hex[2 * ZX_SM3_LEN + 1];
    zx_hex(h, ZX_SM3_LEN, hex);
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    s = db_prepare(c, "INSERT INTO auction_platform_event (id, partner_id, event_id, round_id, outcome, body_sm3, received_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)");
    int rc = DB_ERROR;
    if (s) {
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, r->who.partner_id);
        db_bind_text(s, 3, event, -1);
        db_bind_int64(s, 4, round_id);
        db_bind_text(s, 5, st, -1);
        db_bind_text(s, 6, hex, -1);
        db_bind_int64(s, 7, zx_now_ms());
        rc = db_step(s);
        db_finalize(s);
    }
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", (long long)round_id);
    if (rc == DB_ECONSTRAINT) { /* delivered before: the same answer, nothing changes */
        db_rollback(c);
        s = db_prepare(c, "SELECT body_sm3 FROM auction_platform_event WHERE partner_id = ? AND event_id = ?");
        if (!s) return zx_reply_error(r, 503, "BUSY", "系统繁忙");
        db_bind_int64(s, 1, r->who.partner_id);
        db_bind_text(s, 2, event, -1);
        bool same = db_step(s) == DB_ROW && !strcmp(db_col_text(s, 0), hex);
        db_finalize(s);
        if (!same) return zx_reply_error(r, 409, "EVENT_CONFLICT", "同一事件编号的回调内容不一致");
        return zx_reply_json(r, 200, json_pack("{s:s,s:s,s:b,s:b,s:s}", "event_id", event, "round_id", rid, "applied", 0, "duplicate", 1,
                                               "round_status", status));
    }
    if (rc != DB_DONE) {
        db_rollback(c);
        return zx_reply_error(r, 500, "INTERNAL", "保存失败");
    }
    int ap = zx_au_platform_apply(c, round_id, sold, price, bids, buyer, "push");
    if (ap == 1) { /* closed already (the pull came first): the same outcome is fine, another is not */
        bool agree = sold ? !strcmp(status, "sold") && current == price : !strcmp(status, "unsold");
        if (!agree && strcmp(status, "paid")) {
            db_rollback(c);
            return zx_reply_error(r, 409, "RESULT_CONFLICT", "推送结果与已记录的拍卖结果不一致");
        }
    }
    char *detail = json_dumps(b, JSON_COMPACT);
    int arc = ap < 0 ? -1 : zx_audit_req(r, c, "auction.platform_result", "auction_round", round_id, ap == 0 ? "ok" : "duplicate", detail);
    free(detail);
    if (arc || db_commit(c)) {
        db_rollback(c);
        return zx_reply_error(r, 500, "INTERNAL", "保存失败");
    }
    if (ap == 0) zx_au_engine_invalidate(lot);
    zx_reply_json(r, 200, json_pack("{s:s,s:s,s:b,s:b,s:s}", "event_id", event, "round_id", rid, "applied", ap == 0, "duplicate", 0,
                                    "round_status", ap == 0 ? (sold ? "sold" : "unsold") : status));
}

static const struct zx_route platform_routes[] = {
    { "POST", "/api/v1/auction-platform/results", results_post, ZX_R_PARTNER, 0, "auction:results",
      "外部拍卖平台推送拍卖结果（签名回调，幂等）" },
};
ZX_ROUTES(platform_routes)
