/* bidder.c — real-name bidders (网拍规定 art 17: deposits are real-name), their tokens and deposits.
 *
 * Registration checks the ID number (GB 11643 check character, an adult: 民法典 art 18) and stores
 * it only through core/pii.h: sealed (SM4) plus a blind index (HMAC-SM3) used to find priority
 * purchasers (art 21) and barred persons (arts 24, 34) — the clear number is never stored. A bidder
 * gets a bearer token "zxb_<64 hex>" (shown once; the store keeps its SM3). Tokens are cached in
 * memory so the bid path does not read the store to authenticate. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/auth.h"
#include "auction/auction.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "rules/auction.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"

int zx_au_deposit_hold(db_conn *c, int64_t round_id, int64_t deposit_id, int64_t amount_fen);
int zx_au_deposit_release_transfer(db_conn *c, int64_t pending_id);

void zx_au_id_index(const char *id_number, char out[65])
{
    zx_pii_index(ZX_PII_ID_NUMBER, id_number, out);
}

/* ---- token cache: SM3(token) hex → bidder id, alias ---- */
#define CACHE_SLOTS 4096
static struct tok_slot {
    char hash[65];
    int64_t bidder;
    char alias[16];
} g_cache[CACHE_SLOTS];
static pthread_mutex_t g_cache_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned slot_of(const char *hash)
{
    unsigned h = 0;
    for (int i = 0; i < 8; i++) h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return h % CACHE_SLOTS;
}

int64_t zx_au_bidder_of(zx_req *r, char *alias)
{
    const char *auth = zx_header(r, "authorization");
    if (!auth || strncmp(auth, "Bearer zxb_", 11)) return 0;
    char hash[65];
    zx_token_hash(auth + 7, hash);
    unsigned sl = slot_of(hash);
    int64_t id = 0;
    pthread_mutex_lock(&g_cache_mu);
    if (!strcmp(g_cache[sl].hash, hash)) {
        id = g_cache[sl].bidder;
        if (alias) memcpy(alias, g_cache[sl].alias, 16);
    }
    pthread_mutex_unlock(&g_cache_mu);
    if (id) return id;
    db_stmt *s = db_prepare(zx_db(r), "SELECT id, alias FROM auction_bidder WHERE token_hash = ?");
    if (!s) return 0;
    db_bind_text(s, 1, hash, -1);
    char al[16] = "";
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        snprintf(al, sizeof al, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (!id) return 0;
    pthread_mutex_lock(&g_cache_mu);
    memcpy(g_cache[sl].hash, hash, 65);
    g_cache[sl].bidder = id;
    memcpy(g_cache[sl].alias, al, 16);
    pthread_mutex_unlock(&g_cache_mu);
    if (alias) memcpy(alias, al, 16);
    return id;
}

/* Is this request made by a logged-in court staff member? (网拍规定 art 34) */
bool zx_au_staff_caller(zx_req *r)
{
    const char *auth = zx_header(r, "authorization"), *cookie = zx_header(r, "cookie");
    bool maybe = (auth && strncmp(auth, "Bearer zxb_", 11)) || (cookie && strstr(cookie, "zx_session="));
    if (!maybe) return false;
    zx_principal saved = r->who;
    enum zx_auth_result a = zx_auth_user(r);
    bool staff = (a == ZX_AUTH_OK || a == ZX_AUTH_CSRF) && r->who.kind == ZX_USER;
    r->who = saved;
    return staff;
}

/* POST /api/v1/public/bidders {name, id_number, phone} → 201 {bidder_id, alias, token} */
void zx_au_bidder_register(zx_req *r)
{
    if (zx_au_staff_caller(r))
        return zx_reply_error(r, 403, "STAFF_BARRED", "法院工作人员不得参与竞买（网拍规定第三十四条）");
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *jn = json_object_get(b, "name"), *ji = json_object_get(b, "id_number"), *jp = json_object_get(b, "phone");
    const char *name = json_string_value(jn), *idn = json_string_value(ji), *phone = json_string_value(jp);
    const char *kind = json_string_value(json_object_get(b, "kind"));
    bool unit = kind && !strcmp(kind, "unit");
    if (kind && !unit && strcmp(kind, "person"))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "竞买人类型应为自然人或单位");
    if (!name || !*name || strlen(name) > (unit ? 150 : 60))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", unit ? "请填写单位名称" : "请填写真实姓名");
    /* a unit bids through its agent: the unit by its 统一社会信用代码 (GB 32100), the agent real-name
     * like every bidder (网拍规定 art 17) */
    char ucc[19] = "";
    const char *agent = json_string_value(json_object_get(b, "agent_name"));
    if (unit) {
        const char *cc = json_string_value(json_object_get(b, "credit_code"));
        enum zx_uscc_status us = cc ? zx_uscc_check(cc, ucc) : ZX_USCC_BAD_FORMAT;
        if (us != ZX_USCC_OK)
            return zx_reply_error(r, 400, "INVALID_CREDIT_CODE", "统一社会信用代码无效：%s", zx_uscc_status_message(us));
        if (!agent || !*agent || strlen(agent) > 60)
            return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写单位委托代理人姓名");
    }
    zx_idno_info info;
    enum zx_idno_status st = idn ? zx_idno_check(idn, zx_today(), &info) : ZX_IDNO_BAD_FORMAT;
    if (st != ZX_IDNO_OK)
        return zx_reply_error(r, 400, "INVALID_ID_NUMBER", "身份证号码无效：%s", zx_idno_status_message(st));
    if (zx_idno_age(info.birth, zx_today()) < 18) /* 民法典 art 18: full civil capacity */
        return zx_reply_error(r, 422, "NOT_ADULT", "竞买人须为完全民事行为能力人");
    if (phone && (strlen(phone) < 7 || strlen(phone) > 20))
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "手机号码格式不正确");
    char token[80], hash[65], tok[65], alias[16];
    zx_token_new(tok);
    snprintf(token, sizeof token, "zxb_%s", tok);
    zx_token_hash(token, hash);
    int64_t id = zx_id_new();
    uint8_t rnd[2];
    zx_random(rnd, sizeof rnd);
    snprintf(alias, sizeof alias, "竞买号%04u", (unsigned)((rnd[0] << 8 | rnd[1]) % 10000));
    db_conn *c = zx_db(r);
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    db_stmt *s = db_prepare(c, "INSERT INTO auction_bidder (id, name, id_enc, id_idx, phone_enc, token_hash, alias, created_ms,"
                               " kind, credit_code, agent_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, name, -1);
        zx_pii_bind(s, 3, ZX_PII_ID_NUMBER, info.id);
        zx_pii_bind_index(s, 4, ZX_PII_ID_NUMBER, info.id);
        if (phone && *phone) zx_pii_bind(s, 5, ZX_PII_PHONE, phone);
        else db_bind_null(s, 5);
        db_bind_text(s, 6, hash, -1);
        db_bind_text(s, 7, alias, -1);
        db_bind_int64(s, 8, zx_now_ms());
        db_bind_text(s, 9, unit ? "unit" : "person", -1);
        db_bind_text(s, 10, unit ? ucc : NULL, -1);
        db_bind_text(s, 11, unit ? agent : NULL, -1);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    zx_audit_rec a = { .username = alias, .action = "auction.bidder_register", .object_type = "auction_bidder",
                       .result = "ok", .client_ip = r->client_ip, .request_id = r->request_id };
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    a.object_id = oid;
    if (rc || zx_audit_write(c, &a) || db_commit(c)) {
        db_rollback(c);
        return zx_reply_error(r, 500, "INTERNAL", "登记失败");
    }
    char *masked = zx_pii_mask(ZX_PII_ID_NUMBER, info.id);
    json_t *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "bidder_id", oid, "alias", alias, "token", token, "name", name,
                            "id_number", masked ? masked : "", "kind", unit ? "unit" : "person");
    if (unit) {
        json_object_set_new(out, "credit_code", json_string(ucc));
        json_object_set_new(out, "agent_name", json_string(agent));
    }
    zx_reply_json(r, 201, out);
    free(masked);
}

/* Is the ID number barred for this lot/court? (blind index: both forms during a key rotation) */
static const char *barred(db_conn *c, const char *idn, int64_t lot_id, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT reason FROM auction_bar WHERE " ZX_PII_IN("id_idx")
                               " AND (lot_id = ? OR (lot_id IS NULL AND court_id = ?))");
    if (!s) return NULL;
    zx_pii_bind_lookup(s, 1, ZX_PII_ID_NUMBER, idn);
    db_bind_int64(s, 3, lot_id);
    db_bind_int64(s, 4, court_id);
    const char *why = NULL;
    if (db_step(s) == DB_ROW) why = !strcmp(db_col_text(s, 0), "default") ? "default" : "staff";
    db_finalize(s);
    return why;
}

/* POST /api/v1/public/auctions/:id/deposit → 201 {deposit} — the deposit held as a pending ledger
 * transfer (the payment itself comes from the bidder's bank through the court's 专户). */
void zx_au_deposit_pay(zx_req *r)
{
    int64_t lot_id;
    if (!zx_param_id(r, "id", &lot_id)) return;
    if (zx_au_staff_caller(r))
        return zx_reply_error(r, 403, "STAFF_BARRED", "法院工作人员不得参与竞买（网拍规定第三十四条）");
    int64_t bidder = zx_au_bidder_of(r, NULL);
    if (!bidder) return zx_reply_error(r, 401, "BIDDER_UNAUTHENTICATED", "请先进行竞买人实名登记");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT r.id, r.deposit_fen, r.status, r.ends_ms, l.court_id, l.status, l.platform"
                               " FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id WHERE r.lot_id = ?"
                               " ORDER BY r.round_no DESC LIMIT 1");
    if (!s) return zx_reply_error(r, 503, "BUSY", "系统繁忙");
    db_bind_int64(s, 1, lot_id);
    int64_t round_id = 0, dep = 0, ends = 0, court = 0;
    char rst[16] = "", plat[32] = "";
    if (db_step(s) == DB_ROW) {
        round_id = db_col_int64(s, 0);
        dep = db_col_int64(s, 1);
        snprintf(rst, sizeof rst, "%s", db_col_text(s, 2));
        ends = db_col_int64(s, 3);
        court = db_col_int64(s, 4);
        snprintf(plat, sizeof plat, "%s", db_col_text(s, 6));
    }
    db_finalize(s);
    if (!round_id) return zx_reply_error(r, 404, "NOT_FOUND", "拍卖标的不存在");
    if (strcmp(plat, "court")) return zx_reply_error(r, 409, "EXTERNAL_PLATFORM", "该标的在其他网络拍卖平台进行，请到该平台交纳保证金");
    if ((strcmp(rst, "announced") && strcmp(rst, "bidding")) || zx_now_ms() >= ends)
        return zx_reply_error(r, 409, "AUCTION_CLOSED", "拍卖已结束");
    /* the bidder's registered ID number, opened from its sealed column: looked up below by its blind
     * index in both forms (core/pii.h ZX_PII_IN), so an index-key rotation in progress misses nothing */
    char idn[40] = "";
    s = db_prepare(c, "SELECT id_enc FROM auction_bidder WHERE id = ?");
    if (!s) return zx_reply_error(r, 503, "BUSY", "系统繁忙");
    db_bind_int64(s, 1, bidder);
    if (db_step(s) == DB_ROW) {
        char *p = zx_pii_col(s, 0, ZX_PII_ID_NUMBER);
        if (p) snprintf(idn, sizeof idn, "%s", p);
        zx_pii_free(p);
    }
    db_finalize(s);
    const char *why = barred(c, idn, lot_id, court);
    if (why && !strcmp(why, "default"))
        return zx_reply_error(r, 403, "BIDDER_BARRED", "您曾对该标的悔拍，不得参加再次拍卖（网拍规定第二十四条）");
    if (why) return zx_reply_error(r, 403, "STAFF_BARRED", "法院、平台工作人员及其近亲属不得参与竞买（网拍规定第三十四条）");
    int rank = 0;
    s = db_prepare(c, "SELECT MIN(rank_no) FROM auction_priority WHERE lot_id = ? AND " ZX_PII_IN("id_idx"));
    if (s) {
        db_bind_int64(s, 1, lot_id);
        zx_pii_bind_lookup(s, 2, ZX_PII_ID_NUMBER, idn);
        if (db_step(s) == DB_ROW) rank = (int)db_col_int64(s, 0);
        db_finalize(s);
    }
    /* 网拍规定 art 17: an applicant of the lot's case bids without a deposit; a claim smaller than the
     * deposit pays the difference (the outstanding claim: claim − recovered). The applicant is found
     * by the case party's own identity: a person party by its ID number (blind index), a unit party
     * by its 统一社会信用代码 — the bidder's registered identity against the party's, never a number
     * typed for the occasion. */
    int64_t pay = dep, exempt = 0, party = 0;
    s = db_prepare(c, "SELECT k.claim_fen - k.recovered_fen, p.id FROM auction_lot l JOIN enf_case k ON k.id = l.case_id"
                      " JOIN case_party p ON p.case_id = k.id JOIN auction_bidder b ON b.id = ?"
                      " WHERE l.id = ? AND p.role = 'applicant' AND ((p.kind = 'person' AND b.kind = 'person' AND " ZX_PII_IN("p.id_number") ")"
                      " OR (p.kind = 'unit' AND b.kind = 'unit' AND p.credit_code = b.credit_code)) ORDER BY p.ord LIMIT 1");
    if (s) {
        db_bind_int64(s, 1, bidder);
        db_bind_int64(s, 2, lot_id);
        zx_pii_bind_lookup(s, 3, ZX_PII_ID_NUMBER, idn);
        if (db_step(s) == DB_ROW) {
            pay = zx_auction_creditor_deposit(dep, db_col_int64(s, 0));
            exempt = dep - pay;
            party = db_col_int64(s, 1);
        }
        db_finalize(s);
    }
    zx_wipe(idn, sizeof idn);
    if (db_begin(c)) return zx_reply_error(r, 503, "BUSY", "系统繁忙，请稍后重试");
    int64_t id = zx_id_new(), now = zx_now_ms();
    s = db_prepare(c, "INSERT INTO auction_deposit (id, round_id, bidder_id, amount_fen, status, priority_rank, transfer_id, held_ms,"
                      " exempt_fen, party_id) VALUES (?, ?, ?, ?, 'held', ?, ?, ?, ?, ?)");
    int rc = DB_ERROR;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, round_id);
        db_bind_int64(s, 3, bidder);
        db_bind_int64(s, 4, pay);
        db_bind_int64(s, 5, rank);
        if (pay > 0) db_bind_int64(s, 6, id); /* the ledger's pending transfer has the deposit's id */
        else db_bind_null(s, 6);
        db_bind_int64(s, 7, now);
        db_bind_int64(s, 8, exempt);
        if (party) db_bind_int64(s, 9, party);
        else db_bind_null(s, 9);
        rc = db_step(s);
        db_finalize(s);
    }
    if (rc == DB_ECONSTRAINT) {
        db_rollback(c);
        return zx_reply_error(r, 409, "DEPOSIT_EXISTS", "您已交纳本场拍卖的保证金");
    }
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    zx_audit_rec a = { .username = "bidder", .action = "auction.deposit", .object_type = "auction_deposit", .object_id = oid,
                       .result = "ok", .client_ip = r->client_ip, .request_id = r->request_id };
    if (rc != DB_DONE || (pay > 0 && zx_au_deposit_hold(c, round_id, id, pay)) || zx_audit_write(c, &a) || db_commit(c)) {
        db_rollback(c);
        return zx_reply_error(r, 500, "INTERNAL", "保证金交纳失败");
    }
    zx_au_engine_invalidate(lot_id);
    zx_reply_json(r, 201, json_pack("{s:s,s:s,s:I,s:I,s:I,s:s,s:i,s:s}", "deposit_id", oid, "lot_id", zx_param(r, "id"), "amount_fen",
                                    (json_int_t)pay, "exempt_fen", (json_int_t)exempt, "required_fen", (json_int_t)dep, "status",
                                    "held", "priority_rank", rank, "basis", party ? "applicant_creditor" : "paid"));
}

int zx_au_deposits_release(db_conn *c, int64_t round_id, int64_t keep_bidder, int64_t now_ms)
{
    db_stmt *s = db_prepare(c, "SELECT id, transfer_id FROM auction_deposit WHERE round_id = ? AND status = 'held' AND bidder_id <> ?");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    db_bind_int64(s, 2, keep_bidder);
    int64_t ids[512], tr[512];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 512) {
        ids[n] = db_col_int64(s, 0);
        tr[n++] = db_col_int64(s, 1);
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        if (tr[i] && zx_au_deposit_release_transfer(c, tr[i])) return -1; /* 网拍规定 art 23: void the pending transfer */
        s = db_prepare(c, "UPDATE auction_deposit SET status = 'released', released_ms = ?, release_due_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, now_ms);
        db_bind_int64(s, 2, now_ms + ZX_AUCTION_RULES.refund_ms);
        db_bind_int64(s, 3, ids[i]);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    return n;
}

/* GET /api/v1/public/bidders/me → the bidder's deposits and refunds */
void zx_au_bidder_me(zx_req *r)
{
    char alias[16] = "";
    int64_t bidder = zx_au_bidder_of(r, alias);
    if (!bidder) return zx_reply_error(r, 401, "BIDDER_UNAUTHENTICATED", "请先进行竞买人实名登记");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT d.id, l.id, l.title, r.round_no, d.amount_fen, d.status, d.held_ms, d.released_ms,"
                               " d.priority_rank, r.status, r.leader_bidder_id, d.exempt_fen FROM auction_deposit d JOIN auction_round r ON r.id = d.round_id"
                               " JOIN auction_lot l ON l.id = r.lot_id WHERE d.bidder_id = ? ORDER BY d.held_ms DESC");
    if (!s) return zx_reply_error(r, 503, "BUSY", "系统繁忙");
    db_bind_int64(s, 1, bidder);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        char held[32], rel[32], did[24], lid[24];
        zx_au_iso(db_col_int64(s, 6), held);
        snprintf(did, sizeof did, "%lld", (long long)db_col_int64(s, 0));
        snprintf(lid, sizeof lid, "%lld", (long long)db_col_int64(s, 1));
        json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:I,s:s,s:b}", "deposit_id", did, "lot_id", lid, "title",
                              db_col_text(s, 2), "round_no", (json_int_t)db_col_int64(s, 3), "amount_fen",
                              (json_int_t)db_col_int64(s, 4), "status", db_col_text(s, 5), "held_at", held, "priority_rank",
                              (json_int_t)db_col_int64(s, 8), "round_status", db_col_text(s, 9), "winner",
                              db_col_int64(s, 10) == bidder && strcmp(db_col_text(s, 9), "bidding"));
        json_object_set_new(o, "exempt_fen", json_integer(db_col_int64(s, 11))); /* 网拍规定 art 17 */
        if (!db_col_is_null(s, 7)) {
            zx_au_iso(db_col_int64(s, 7), rel);
            json_object_set_new(o, "released_at", json_string(rel));
        } else
            json_object_set_new(o, "released_at", json_null());
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    char bid[24];
    snprintf(bid, sizeof bid, "%lld", (long long)bidder);
    zx_reply_json(r, 200, json_pack("{s:s,s:s,s:o}", "bidder_id", bid, "alias", alias, "deposits", arr));
}
