/* lot.c — a lot from its creation to its outcome (staff side).
 *
 * Reference price (参考价规定, rules.md §5.3), in statutory order: 议价 (art 4) → 定向询价 (art 5) →
 * 网络询价 (arts 7–13: every listed platform at once, 3 d, +3 d if all miss, mean of the usable
 * results) → 委托评估 (arts 14–20: 3 institutions by agreement or lottery, 30 d, ≤ 2 × 15 d). A later
 * method needs its statutory reason (`skip_reason`) unless the earlier one failed. Objections within
 * 5 d of receipt (arts 22–23), none against 议价/定向询价 (art 24). Valid 1 year (art 27).
 *
 * Rounds (网拍规定): 起拍价 ≥ 70 % of the reference price (art 10), deposit 5–20 % (art 17), announced
 * ≥ 15/30 d before (art 12; re-auction 7/15 d, art 26), parties notified 3 d before the announcement
 * (art 16), bidding ≥ 24 h (art 20). Second round within 30 d of 流拍 at ≤ 20 % less (art 26); after
 * the second 流拍 a 变卖 round (60-day window at the second 起拍价). Outcomes: payment of the balance →
 * 成交裁定 + proceeds to the case account; 悔拍 → deposit forfeited, bidder barred (art 24); 以物抵债
 * at the round's reserve (拍卖变卖规定 art 16); release.
 *
 * Every change: row changes + case event + audit record in the caller's transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auction/auction.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "rules/auction.h"

int zx_au_setoff_plan(db_conn *c, int64_t lot_id, int64_t case_id, int64_t round_id, int64_t bidder, int64_t price_fen,
                      int64_t deposit_paid_fen, zx_creditor_setoff *out, int64_t *party_out, zx_au_err *e);
int zx_au_setoff_post(db_conn *c, int64_t user_id, int64_t court_id, int64_t case_id, int64_t round_id, int64_t party_id,
                      int64_t setoff_fen);

#define DAY_MS 86400000LL

typedef struct au_lot {
    int64_t id, case_id, court_id, asset_id;
    char title[256], asset_kind[16], status[16], platform[32];
    int64_t reference_fen;
    char reference_method[24], reference_on[11], seized_on[11];
} au_lot;

typedef struct au_round {
    int64_t id, lot_id;
    int round_no;
    char kind[16], status[16], platform[32];
    int64_t start_fen, deposit_fen, increment_fen, starts_ms, ends_ms, window_ends_ms, current_fen, leader, closed_ms;
    int64_t bid_seq;
} au_round;

static void cpy(char *d, size_t cap, const char *s) { snprintf(d, cap, "%s", s ? s : ""); }

static int lot_load(db_conn *c, int64_t id, au_lot *l)
{
    memset(l, 0, sizeof *l);
    db_stmt *s = db_prepare(c, "SELECT id, case_id, court_id, asset_id, title, asset_kind, status, platform,"
                               " reference_fen, reference_method, reference_on, seized_on FROM auction_lot WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        l->id = db_col_int64(s, 0);
        l->case_id = db_col_int64(s, 1);
        l->court_id = db_col_int64(s, 2);
        l->asset_id = db_col_int64(s, 3);
        cpy(l->title, sizeof l->title, db_col_text(s, 4));
        cpy(l->asset_kind, sizeof l->asset_kind, db_col_text(s, 5));
        cpy(l->status, sizeof l->status, db_col_text(s, 6));
        cpy(l->platform, sizeof l->platform, db_col_text(s, 7));
        l->reference_fen = db_col_int64(s, 8);
        cpy(l->reference_method, sizeof l->reference_method, db_col_text(s, 9));
        cpy(l->reference_on, sizeof l->reference_on, db_col_text(s, 10));
        cpy(l->seized_on, sizeof l->seized_on, db_col_text(s, 11));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int zx_au_lot_case(db_conn *c, int64_t lot_id, int64_t *case_id, int64_t *court_id)
{
    au_lot l;
    int rc = lot_load(c, lot_id, &l);
    if (rc) return rc;
    *case_id = l.case_id;
    *court_id = l.court_id;
    return 0;
}

#define ROUND_COLS "id, lot_id, round_no, kind, status, platform, start_fen, deposit_fen, increment_fen, starts_ms," \
                   " ends_ms, window_ends_ms, current_fen, leader_bidder_id, closed_ms, bid_seq"
static void round_row(db_stmt *s, au_round *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int64(s, 0);
    r->lot_id = db_col_int64(s, 1);
    r->round_no = (int)db_col_int64(s, 2);
    cpy(r->kind, sizeof r->kind, db_col_text(s, 3));
    cpy(r->status, sizeof r->status, db_col_text(s, 4));
    cpy(r->platform, sizeof r->platform, db_col_text(s, 5));
    r->start_fen = db_col_int64(s, 6);
    r->deposit_fen = db_col_int64(s, 7);
    r->increment_fen = db_col_int64(s, 8);
    r->starts_ms = db_col_int64(s, 9);
    r->ends_ms = db_col_int64(s, 10);
    r->window_ends_ms = db_col_int64(s, 11);
    r->current_fen = db_col_int64(s, 12);
    r->leader = db_col_int64(s, 13);
    r->closed_ms = db_col_int64(s, 14);
    r->bid_seq = db_col_int64(s, 15);
}

/* The lot's latest round; 0 found, 1 none, < 0 error. */
static int last_round(db_conn *c, int64_t lot_id, au_round *r)
{
    db_stmt *s = db_prepare(c, "SELECT " ROUND_COLS " FROM auction_round WHERE lot_id = ? ORDER BY round_no DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int rc = db_step(s);
    if (rc == DB_ROW) round_row(s, r);
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static int count_rounds(db_conn *c, int64_t lot_id, const char *status)
{
    int64_t n = 0;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM auction_round WHERE lot_id = ? AND status = ? AND kind = 'auction'");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    db_bind_text(s, 2, status, -1);
    if (db_step(s) == DB_ROW) n = db_col_int64(s, 0);
    db_finalize(s);
    return (int)n;
}

static int set_lot_status(db_conn *c, int64_t lot_id, const char *status)
{
    db_stmt *s = db_prepare(c, "UPDATE auction_lot SET status = ?, updated_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, status, -1);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, lot_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* SMS to the case's applicants and debtors with a phone (网拍规定 art 16: parties are notified of
 * the auction; the notice text names the lot, the time and the price). Inside the transaction. */
int zx_au_notify_parties(db_conn *c, int64_t case_id, const char *key, const char *text)
{
    char case_no[64] = "";
    db_stmt *s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    if (db_step(s) == DB_ROW) cpy(case_no, sizeof case_no, db_col_text(s, 0));
    db_finalize(s);
    s = db_prepare(c, "SELECT id, name, phone_enc FROM case_party WHERE case_id = ? AND role IN ('applicant', 'debtor')"
                      " AND phone_enc IS NOT NULL ORDER BY ord");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    struct { int64_t id; char name[128], phone[32]; } p[8];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 8) {
        p[n].id = db_col_int64(s, 0);
        cpy(p[n].name, sizeof p[n].name, db_col_text(s, 1));
        char *ph = zx_pii_col(s, 2, ZX_PII_PHONE);
        cpy(p[n].phone, sizeof p[n].phone, ph);
        zx_pii_free(ph);
        if (p[n].phone[0]) n++;
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        char dk[128];
        snprintf(dk, sizeof dk, "auction:%s:%lld", key, (long long)p[i].id);
        json_t *params = json_pack("{s:s,s:s,s:s}", "name", p[i].name, "case_no", case_no, "text", text);
        int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = p[i].phone, .template_name = "case_notice",
                                                            .params = params, .case_id = case_id, .dedup_key = dk });
        json_decref(params);
        if (id < 0 && id != ZX_NOTIFY_EINVAL) return -1;
    }
    return n;
}

static const char *jstr(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Money field: a JSON integer of fen > 0. */
static bool jfen(json_t *b, const char *k, int64_t *out)
{
    json_t *v = json_object_get(b, k);
    if (!json_is_integer(v) || json_integer_value(v) <= 0) return false;
    *out = json_integer_value(v);
    return true;
}

static bool jdate(json_t *b, const char *k, zx_date *out)
{
    const char *s = jstr(b, k);
    return s && zx_date_parse(s, out) == 0;
}

static const char *asset_kinds[] = { "real_estate", "movable", "vehicle", "equity", "other_right", NULL };
static bool real_estate_like(const char *k)
{
    /* 网拍规定 art 12: real estate and other property rights get the longer period */
    return !strcmp(k, "real_estate") || !strcmp(k, "equity") || !strcmp(k, "other_right");
}

/* ------------------------------------------------------------------ create */
int zx_au_lot_create(zx_req *r, db_conn *c, int64_t case_id, int64_t court_id, json_t *b, int64_t *id_out, zx_au_err *e)
{
    const char *title = jstr(b, "title"), *kind = jstr(b, "asset_kind");
    if (!title || !*title || strlen(title) > 200) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写标的物名称（不超过 200 字节）");
        return 1;
    }
    bool ok = false;
    for (int i = 0; kind && asset_kinds[i]; i++) ok |= !strcmp(kind, asset_kinds[i]);
    if (!ok) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "财产类别须为不动产、动产、车辆、股权或其他财产权");
        return 1;
    }
    zx_date seized = ZX_DATE_NONE;
    if (json_object_get(b, "seized_on") && !jdate(b, "seized_on", &seized)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "查封日期格式应为 YYYY-MM-DD");
        return 1;
    }
    json_t *photos = json_object_get(b, "photos");
    if (photos && !json_is_array(photos)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "照片须为地址列表");
        return 1;
    }
    int64_t asset_id = 0;
    json_t *aid = json_object_get(b, "asset_id");
    if (aid && !zx_json_get_id(aid, &asset_id)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "财产编号无效");
        return 1;
    }
    if (asset_id) {
        /* the inquiry module's asset list: it must be this case's and under control */
        db_stmt *q = db_prepare(c, "SELECT case_id, status FROM asset WHERE id = ?");
        if (!q) return -1;
        db_bind_int64(q, 1, asset_id);
        int arc = db_step(q);
        int64_t acase = arc == DB_ROW ? db_col_int64(q, 0) : 0;
        char ast[16] = "";
        if (arc == DB_ROW) cpy(ast, sizeof ast, db_col_text(q, 1));
        db_finalize(q);
        if (acase != case_id) {
            zx_au_fail(e, 422, "ASSET_NOT_IN_CASE", "该财产不属于本案的财产清单");
            return 1;
        }
        if (strcmp(ast, "seized") && strcmp(ast, "queued") && strcmp(ast, "frozen")) {
            zx_au_fail(e, 409, "ASSET_NOT_SEIZED", "财产尚未查封、扣押或冻结，不能处置");
            return 1;
        }
    }
    char *ph = photos ? json_dumps(photos, JSON_COMPACT) : NULL;
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_lot (id, case_id, court_id, asset_id, title, asset_kind, description,"
                               " location, defects, taxes, viewing, photos, seized_on, status, created_by, created_ms, updated_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pricing', ?, ?, ?)");
    if (!s) {
        free(ph);
        return -1;
    }
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, court_id);
    if (asset_id) db_bind_int64(s, 4, asset_id);
    else db_bind_null(s, 4);
    db_bind_text(s, 5, title, -1);
    db_bind_text(s, 6, kind, -1);
    const char *tf[] = { "description", "location", "defects", "taxes", "viewing" };
    for (int i = 0; i < 5; i++) {
        const char *v = jstr(b, tf[i]);
        db_bind_text(s, 7 + i, v ? v : "", -1);
    }
    db_bind_text(s, 12, ph ? ph : "[]", -1);
    char sd[11];
    if (seized != ZX_DATE_NONE) {
        zx_date_format(seized, sd);
        db_bind_text(s, 13, sd, -1);
    } else
        db_bind_null(s, 13);
    db_bind_int64(s, 14, r->who.user_id);
    db_bind_int64(s, 15, now);
    db_bind_int64(s, 16, now);
    int rc = db_step(s);
    db_finalize(s);
    free(ph);
    if (rc != DB_DONE) return -1;
    json_t *d = json_pack("{s:s,s:s}", "lot_id", "", "title", title);
    char idtxt[24];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
    json_object_set_new(d, "lot_id", json_string(idtxt));
    int64_t ev = zx_au_case_event(c, case_id, r->who.user_id, NULL, "lot_created", "财产处置立项", d);
    json_decref(d);
    if (ev < 0) return -1;
    *id_out = id;
    return 0;
}

/* ------------------------------------------------------------------ reference price */
typedef struct au_step {
    int64_t id;
    char method[24], status[16], started_on[11], due_on[11], received_on[11];
    int extensions;
    int64_t result_fen;
} au_step;

static int step_load(db_conn *c, int64_t lot_id, int64_t step_id, au_step *st)
{
    memset(st, 0, sizeof *st);
    db_stmt *s = db_prepare(c, "SELECT id, method, status, started_on, due_on, received_on, extensions, result_fen"
                               " FROM auction_price_step WHERE id = ? AND lot_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, step_id);
    db_bind_int64(s, 2, lot_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        st->id = db_col_int64(s, 0);
        cpy(st->method, sizeof st->method, db_col_text(s, 1));
        cpy(st->status, sizeof st->status, db_col_text(s, 2));
        cpy(st->started_on, sizeof st->started_on, db_col_text(s, 3));
        cpy(st->due_on, sizeof st->due_on, db_col_text(s, 4));
        cpy(st->received_on, sizeof st->received_on, db_col_text(s, 5));
        st->extensions = (int)db_col_int64(s, 6);
        st->result_fen = db_col_int64(s, 7);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Has the lot a step of this method with this status? */
static bool has_step(db_conn *c, int64_t lot_id, const char *method, const char *status)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM auction_price_step WHERE lot_id = ? AND method = ? AND status = ?");
    if (!s) return false;
    db_bind_int64(s, 1, lot_id);
    db_bind_text(s, 2, method, -1);
    db_bind_text(s, 3, status, -1);
    bool y = db_step(s) == DB_ROW;
    db_finalize(s);
    return y;
}

static bool any_open_step(db_conn *c, int64_t lot_id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM auction_price_step WHERE lot_id = ? AND status = 'open'");
    if (!s) return false;
    db_bind_int64(s, 1, lot_id);
    bool y = db_step(s) == DB_ROW;
    db_finalize(s);
    return y;
}

/* The statutory order (参考价规定 arts 4, 5, 7, 14): may `method` be used now? NULL or a reason. */
static const char *order_violation(db_conn *c, int64_t lot_id, int method, const char *skip)
{
    skip = skip ? skip : "";
    switch (method) {
    case ZX_RP_AGREED: return NULL;
    case ZX_RP_DIRECTED: /* art 5: after 议价 failed, or parties jointly ask, or the asset has an official price */
        if (has_step(c, lot_id, "agreed", "failed") || !strcmp(skip, "joint_request") || !strcmp(skip, "official_price"))
            return NULL;
        return "定向询价须在当事人议价不成后进行，或由双方共同申请、财产有计税基准价/政府定价（参考价规定第五条）";
    case ZX_RP_ONLINE: /* art 7: 议价 not possible (a party refuses or is absent) or both parties choose it */
        if (has_step(c, lot_id, "agreed", "failed") || has_step(c, lot_id, "directed_inquiry", "failed") ||
            !strcmp(skip, "party_refused") || !strcmp(skip, "party_absent") || !strcmp(skip, "joint_request"))
            return NULL;
        return "网络询价须在议价不能或不成后进行，或由双方共同选择（参考价规定第七条）";
    case ZX_RP_APPRAISAL: /* art 14: required by law, requested by both parties, or 网络询价 failed */
        if (has_step(c, lot_id, "online_inquiry", "failed") || !strcmp(skip, "required_by_law") ||
            !strcmp(skip, "joint_request"))
            return NULL;
        return "委托评估须为法律规定必须评估、双方共同要求，或网络询价不能或不成（参考价规定第十四条）";
    }
    return "未知的确定参考价方式";
}

static int insert_result(db_conn *c, int64_t step_id, const char *source, int rank, const char *status, int64_t price,
                         int64_t due_ms, int64_t *id_out)
{
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_price_result (id, step_id, source, rank_no, status, price_fen, due_ms,"
                               " delivered_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, step_id);
    db_bind_text(s, 3, source, -1);
    db_bind_int64(s, 4, rank);
    db_bind_text(s, 5, status, -1);
    if (price > 0) db_bind_int64(s, 6, price);
    else db_bind_null(s, 6);
    db_bind_int64(s, 7, due_ms);
    if (price > 0) db_bind_int64(s, 8, now);
    else db_bind_null(s, 8);
    db_bind_int64(s, 9, now);
    int rc = db_step(s);
    db_finalize(s);
    if (id_out) *id_out = id;
    return rc == DB_DONE ? 0 : -1;
}

/* Fix the reference price of the lot. */
static int fix_reference(zx_req *r, db_conn *c, au_lot *l, au_step *st, int64_t price)
{
    char today[11];
    zx_date_format(zx_today(), today);
    db_stmt *s = db_prepare(c, "UPDATE auction_price_step SET status = 'fixed', result_fen = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, price);
    db_bind_int64(s, 2, st->id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    s = db_prepare(c, "UPDATE auction_lot SET status = 'priced', reference_fen = ?, reference_method = ?, reference_on = ?,"
                      " updated_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, price);
    db_bind_text(s, 2, st->method, -1);
    db_bind_text(s, 3, today, -1);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, l->id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    json_t *d = json_pack("{s:I,s:s}", "reference_fen", (json_int_t)price, "method", st->method);
    bool paused = !strcmp(st->method, "online_inquiry") || !strcmp(st->method, "appraisal");
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, paused ? "valuation_end" : NULL, "reference_fixed",
                                  "确定参考价", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/price-steps {method, price_fen?, skip_reason?, platforms?, institutions?, chosen_by?} */
static int act_price_step(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    if (strcmp(l->status, "pricing") && strcmp(l->status, "priced")) {
        zx_au_fail(e, 409, "INVALID_STATE", "标的物已进入拍卖或已处置，不能再确定参考价");
        return 1;
    }
    int m = zx_refprice_method_parse(jstr(b, "method"));
    if (m < 0) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "方式须为议价、定向询价、网络询价或委托评估");
        return 1;
    }
    if (any_open_step(c, l->id)) {
        zx_au_fail(e, 409, "STEP_OPEN", "尚有进行中的参考价程序");
        return 1;
    }
    const char *why = order_violation(c, l->id, m, jstr(b, "skip_reason"));
    if (why) {
        zx_au_fail(e, 422, "ORDER_VIOLATION", "%s", why);
        return 1;
    }
    zx_date today = zx_today();
    int64_t now = zx_now_ms();
    int64_t price = 0;
    bool failed = json_is_true(json_object_get(b, "failed"));
    if ((m == ZX_RP_AGREED || m == ZX_RP_DIRECTED) && !failed && !jfen(b, "price_fen", &price)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写议定/询定的价格（分，正整数），或标明未能确定");
        return 1;
    }
    zx_date due = ZX_DATE_NONE;
    if (m == ZX_RP_ONLINE) due = today + ZX_AUCTION_RULES.online_report_days;      /* 参考价规定 art 11 */
    if (m == ZX_RP_APPRAISAL) due = today + ZX_AUCTION_RULES.appraisal_report_days; /* 参考价规定 art 19 */
    json_t *insts = json_object_get(b, "institutions");
    if (m == ZX_RP_APPRAISAL && (!json_is_array(insts) || json_array_size(insts) != (size_t)ZX_AUCTION_RULES.appraisal_institutions)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "委托评估须确定 %d 家评估机构及其顺序（参考价规定第十六条）",
                   ZX_AUCTION_RULES.appraisal_institutions);
        return 1;
    }
    const char *chosen = jstr(b, "chosen_by");
    if (m == ZX_RP_APPRAISAL && (!chosen || (strcmp(chosen, "agreement") && strcmp(chosen, "lottery")))) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "评估机构须由双方协商或摇号确定（参考价规定第十六条）");
        return 1;
    }
    int64_t id = zx_id_new();
    char sd[11], dd[11];
    zx_date_format(today, sd);
    if (due != ZX_DATE_NONE) zx_date_format(due, dd);
    const char *note = jstr(b, "note");
    db_stmt *s = db_prepare(c, "INSERT INTO auction_price_step (id, lot_id, method, status, started_on, due_on, note, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, l->id);
    db_bind_text(s, 3, zx_refprice_method_name(m), -1);
    db_bind_text(s, 4, failed ? "failed" : "open", -1);
    db_bind_text(s, 5, sd, -1);
    if (due != ZX_DATE_NONE) db_bind_text(s, 6, dd, -1);
    else db_bind_null(s, 6);
    db_bind_text(s, 7, note ? note : (chosen ? (!strcmp(chosen, "lottery") ? "摇号确定" : "协商确定") : ""), -1);
    db_bind_int64(s, 8, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = id;
    static const char *labels[] = { "当事人议价", "定向询价", "网络询价", "委托评估" };
    json_t *d = json_pack("{s:s,s:b}", "method", zx_refprice_method_name(m), "failed", failed);
    bool pause = m == ZX_RP_ONLINE || m == ZX_RP_APPRAISAL; /* 鉴定评估 is a deducted period */
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, pause ? "valuation_start" : NULL, "price_step", labels[m], d);
    json_decref(d);
    if (ev < 0) return -1;
    if (failed) return 0;
    if (m == ZX_RP_AGREED || m == ZX_RP_DIRECTED) {
        au_step st = { .id = id };
        cpy(st.method, sizeof st.method, zx_refprice_method_name(m));
        if (insert_result(c, id, m == ZX_RP_AGREED ? "当事人" : (jstr(b, "authority") ? jstr(b, "authority") : "有关机构"), 0,
                          "delivered", price, now, NULL))
            return -1;
        return fix_reference(r, c, l, &st, price);
    }
    if (m == ZX_RP_APPRAISAL) {
        for (size_t i = 0; i < json_array_size(insts); i++) {
            const char *nm = json_string_value(json_array_get(insts, i));
            if (!nm || !*nm) {
                zx_au_fail(e, 400, "VALIDATION_FAILED", "评估机构名称不能为空");
                return 1;
            }
            /* only the first in order is commissioned; the others stand by (art 19: next on failure) */
            if (insert_result(c, id, nm, (int)i + 1, i == 0 ? "waiting" : "failed", 0,
                              i == 0 ? (int64_t)(due + 1) * DAY_MS - 8 * 3600000LL : 0, NULL))
                return -1;
        }
        return 0;
    }
    /* 网络询价: every listed platform at once (art 10); the connector sends them and polls answers. */
    json_t *plats = json_object_get(b, "platforms");
    static const char *listed[] = { "中国拍卖行业协会网络询价平台", "京东网络询价平台", "淘宝网络询价平台" };
    size_t np = json_is_array(plats) && json_array_size(plats) ? json_array_size(plats) : 3;
    int64_t due_ms = (int64_t)(due + 1) * DAY_MS - 8 * 3600000LL; /* end of the due day, Shanghai */
    for (size_t i = 0; i < np; i++) {
        const char *nm = json_is_array(plats) && json_array_size(plats) ? json_string_value(json_array_get(plats, i)) : listed[i];
        if (!nm || !*nm) {
            zx_au_fail(e, 400, "VALIDATION_FAILED", "询价平台名称不能为空");
            return 1;
        }
        if (insert_result(c, id, nm, (int)i + 1, "waiting", 0, due_ms, NULL)) return -1;
    }
    return 0;
}

/* POST /lots/:id/price-steps/:sid/results {result_id?, source?, price_fen, late?} — a platform's or the
 * institution's answer (the connector records platform answers the same way). */
static int act_price_result(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0, rid = 0, price = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    au_step st;
    int rc = step_load(c, l->id, sid, &st);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "参考价程序不存在");
        return rc > 0 ? 1 : -1;
    }
    if (strcmp(st.status, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "该程序已结束");
        return 1;
    }
    if (!jfen(b, "price_fen", &price)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "价格须为正整数（分）");
        return 1;
    }
    if (!zx_json_get_id(json_object_get(b, "result_id"), &rid)) {
        const char *src = jstr(b, "source");
        db_stmt *s = db_prepare(c, "SELECT id FROM auction_price_result WHERE step_id = ? AND source = ? AND status = 'waiting'");
        if (!s) return -1;
        db_bind_int64(s, 1, sid);
        db_bind_text(s, 2, src ? src : "", -1);
        if (db_step(s) == DB_ROW) rid = db_col_int64(s, 0);
        db_finalize(s);
    }
    int64_t due = 0, now = zx_now_ms();
    char status[16] = "";
    db_stmt *s = db_prepare(c, "SELECT due_ms, status FROM auction_price_result WHERE id = ? AND step_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    db_bind_int64(s, 2, sid);
    rc = db_step(s);
    if (rc == DB_ROW) {
        due = db_col_int64(s, 0);
        cpy(status, sizeof status, db_col_text(s, 1));
    }
    db_finalize(s);
    if (rc != DB_ROW || strcmp(status, "waiting")) {
        zx_au_fail(e, 404, "NOT_FOUND", "没有等待该来源答复的询价/评估");
        return 1;
    }
    bool late = now > due || json_is_true(json_object_get(b, "late"));
    s = db_prepare(c, "UPDATE auction_price_result SET status = ?, price_fen = ?, delivered_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, late ? "late" : "delivered", -1);
    db_bind_int64(s, 2, price);
    db_bind_int64(s, 3, now);
    db_bind_int64(s, 4, rid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = rid;
    return 0;
}

/* POST /lots/:id/price-steps/:sid/extend — 网络询价: all missed → each +3 d (art 11); 委托评估: +15 d,
 * asked ≥ 5 d before expiry, at most twice (art 19). */
static int act_price_extend(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    au_step st;
    int rc = step_load(c, l->id, sid, &st);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "参考价程序不存在");
        return rc > 0 ? 1 : -1;
    }
    zx_date due, today = zx_today();
    if (strcmp(st.status, "open") || zx_date_parse(st.due_on, &due)) {
        zx_au_fail(e, 409, "INVALID_STATE", "该程序不能延期");
        return 1;
    }
    int days;
    if (!strcmp(st.method, "online_inquiry")) {
        if (st.extensions >= 1) {
            zx_au_fail(e, 409, "EXTENSION_EXHAUSTED", "网络询价只能延长一次（参考价规定第十一条）");
            return 1;
        }
        db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM auction_price_result WHERE step_id = ? AND status = 'delivered'");
        int64_t n = 0;
        if (!s) return -1;
        db_bind_int64(s, 1, sid);
        if (db_step(s) == DB_ROW) n = db_col_int64(s, 0);
        db_finalize(s);
        if (n > 0) {
            zx_au_fail(e, 409, "EXTENSION_REFUSED", "已有平台按期出具报告，其他平台的延期申请不予准许（参考价规定第十一条）");
            return 1;
        }
        days = ZX_AUCTION_RULES.online_extension_days;
    } else if (!strcmp(st.method, "appraisal")) {
        if (st.extensions >= ZX_AUCTION_RULES.appraisal_max_extensions) {
            zx_au_fail(e, 409, "EXTENSION_EXHAUSTED", "评估延期最多 %d 次（参考价规定第十九条）", ZX_AUCTION_RULES.appraisal_max_extensions);
            return 1;
        }
        if (due - today < ZX_AUCTION_RULES.appraisal_extension_notice_days) {
            zx_au_fail(e, 409, "EXTENSION_TOO_LATE", "延期申请须在期限届满 %d 日前提出（参考价规定第十九条）",
                       ZX_AUCTION_RULES.appraisal_extension_notice_days);
            return 1;
        }
        days = ZX_AUCTION_RULES.appraisal_extension_days;
    } else {
        zx_au_fail(e, 409, "INVALID_STATE", "议价、定向询价没有延期");
        return 1;
    }
    char dd[11];
    zx_date_format(due + days, dd);
    int64_t due_ms = (int64_t)(due + days + 1) * DAY_MS - 8 * 3600000LL;
    db_stmt *s = db_prepare(c, "UPDATE auction_price_step SET due_on = ?, extensions = extensions + 1 WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, dd, -1);
    db_bind_int64(s, 2, sid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    s = db_prepare(c, "UPDATE auction_price_result SET due_ms = ? WHERE step_id = ? AND status = 'waiting'");
    if (!s) return -1;
    db_bind_int64(s, 1, due_ms);
    db_bind_int64(s, 2, sid);
    rc = db_step(s);
    db_finalize(s);
    *obj = sid;
    return rc == DB_DONE ? 0 : -1;
}

/* POST /lots/:id/price-steps/:sid/institution-failed — 委托评估: the institution could not report in
 * time; its materials go back within 3 d and the next institution in the agreed/drawn order is
 * commissioned with a fresh 30-day period (参考价规定 art 19). None left → the step fails. */
static int act_institution_failed(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    au_step st;
    int rc = step_load(c, l->id, sid, &st);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "参考价程序不存在");
        return rc > 0 ? 1 : -1;
    }
    if (strcmp(st.method, "appraisal") || strcmp(st.status, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "只有进行中的委托评估可以更换评估机构");
        return 1;
    }
    int cur = 0;
    db_stmt *s = db_prepare(c, "SELECT rank_no FROM auction_price_result WHERE step_id = ? AND status = 'waiting'");
    if (!s) return -1;
    db_bind_int64(s, 1, sid);
    if (db_step(s) == DB_ROW) cur = (int)db_col_int64(s, 0);
    db_finalize(s);
    if (!cur) {
        zx_au_fail(e, 409, "INVALID_STATE", "没有正在评估的机构");
        return 1;
    }
    s = db_prepare(c, "UPDATE auction_price_result SET status = 'failed' WHERE step_id = ? AND rank_no = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, sid);
    db_bind_int64(s, 2, cur);
    db_step(s);
    db_finalize(s);
    zx_date due = zx_today() + ZX_AUCTION_RULES.appraisal_report_days; /* 参考价规定 art 19 */
    s = db_prepare(c, "UPDATE auction_price_result SET status = 'waiting', due_ms = ? WHERE step_id = ? AND rank_no = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, (int64_t)(due + 1) * DAY_MS - 8 * 3600000LL);
    db_bind_int64(s, 2, sid);
    db_bind_int64(s, 3, cur + 1);
    db_step(s);
    int64_t moved = db_changes(s);
    db_finalize(s);
    char dd[11];
    zx_date_format(due, dd);
    s = db_prepare(c, moved ? "UPDATE auction_price_step SET due_on = ?, extensions = 0 WHERE id = ?"
                            : "UPDATE auction_price_step SET status = 'failed', due_on = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, dd, -1);
    db_bind_int64(s, 2, sid);
    rc = db_step(s);
    db_finalize(s);
    *obj = sid;
    return rc == DB_DONE ? 0 : -1;
}

/* POST /lots/:id/price-steps/:sid/objections {ground, result_id?, received_on} — 参考价规定 arts 22–24. */
static int act_objection(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0, rid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    zx_json_get_id(json_object_get(b, "result_id"), &rid);
    au_step st;
    int rc = step_load(c, l->id, sid, &st);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "参考价程序不存在");
        return rc > 0 ? 1 : -1;
    }
    if (!strcmp(st.method, "agreed") || !strcmp(st.method, "directed_inquiry")) {
        zx_au_fail(e, 422, "OBJECTION_NOT_ACCEPTED", "对议价、定向询价结果提出的异议不予受理（参考价规定第二十四条）");
        return 1;
    }
    const char *ground = jstr(b, "ground");
    static const char *grounds[] = { "basic_info", "scope", "qualification", "procedure", "technical", NULL };
    bool ok = false;
    for (int i = 0; ground && grounds[i]; i++) ok |= !strcmp(ground, grounds[i]);
    if (!ok) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "异议事由须为基本信息错误、范围错误、资质问题、程序违法或技术问题");
        return 1;
    }
    zx_date received, today = zx_today();
    if (!jdate(b, "received_on", &received)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写收到报告的日期");
        return 1;
    }
    if (today - received > ZX_AUCTION_RULES.objection_days) { /* 参考价规定 arts 22–24 */
        zx_au_fail(e, 409, "OBJECTION_LATE", "异议须在收到报告之日起 %d 日内提出，逾期不予受理（参考价规定第二十四条）",
                   ZX_AUCTION_RULES.objection_days);
        return 1;
    }
    /* art 22: legal grounds → 执行行为异议; art 23: technical → the institution, then industry review */
    const char *route = !strcmp(ground, "technical") ? "institution_review" : "execution_objection";
    int64_t id = zx_id_new();
    char fd[11];
    zx_date_format(today, fd);
    db_stmt *s = db_prepare(c, "INSERT INTO auction_price_objection (id, step_id, result_id, ground, route, filed_on, status,"
                               " note, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, sid);
    if (rid) db_bind_int64(s, 3, rid);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, ground, -1);
    db_bind_text(s, 5, route, -1);
    db_bind_text(s, 6, fd, -1);
    const char *note = jstr(b, "note");
    db_bind_text(s, 7, note ? note : "", -1);
    db_bind_int64(s, 8, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    /* the route's time limits: technical → the institution within 3 d, its explanation 5 d after
     * (参考价规定 art 23); legal grounds → 执行行为异议, ruled within 15 d (民诉法 art 236) */
    char fwd[11], dec[11];
    zx_date_format(today + ZX_AUCTION_RULES.objection_forward_days, fwd);
    zx_date_format(today + ZX_AUCTION_RULES.objection_ruling_days, dec);
    bool tech = !strcmp(route, "institution_review");
    s = db_prepare(c, "UPDATE auction_price_objection SET forward_by = ?, decide_by = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, tech ? fwd : NULL, -1);
    db_bind_text(s, 2, tech ? NULL : dec, -1);
    db_bind_int64(s, 3, id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (rid) {
        s = db_prepare(c, "UPDATE auction_price_result SET objected = 1 WHERE id = ? AND step_id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, rid);
        db_bind_int64(s, 2, sid);
        db_step(s);
        db_finalize(s);
    }
    *obj = id;
    json_t *d = json_pack("{s:s,s:s}", "ground", ground, "route", route);
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, NULL, "price_objection", "参考价异议", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/price-steps/:sid/objections/:oid/decision {upheld} */
static int act_objection_decide(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0, oid = 0, rid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    zx_json_get_id(json_object_get(b, "objection_id"), &oid);
    json_t *up = json_object_get(b, "upheld");
    if (!json_is_boolean(up)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写异议是否成立");
        return 1;
    }
    db_stmt *s = db_prepare(c, "SELECT result_id FROM auction_price_objection o JOIN auction_price_step p ON p.id = o.step_id"
                               " WHERE o.id = ? AND o.step_id = ? AND p.lot_id = ? AND o.status = 'open'");
    if (!s) return -1;
    db_bind_int64(s, 1, oid);
    db_bind_int64(s, 2, sid);
    db_bind_int64(s, 3, l->id);
    int rc = db_step(s);
    if (rc == DB_ROW) rid = db_col_int64(s, 0);
    db_finalize(s);
    if (rc != DB_ROW) {
        zx_au_fail(e, 404, "NOT_FOUND", "没有待处理的该异议");
        return 1;
    }
    char today[11];
    zx_date_format(zx_today(), today);
    s = db_prepare(c, "UPDATE auction_price_objection SET status = ?, decided_on = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, json_is_true(up) ? "upheld" : "rejected", -1);
    db_bind_text(s, 2, today, -1);
    db_bind_int64(s, 3, oid);
    db_step(s);
    db_finalize(s);
    if (rid && json_is_true(up)) {
        s = db_prepare(c, "UPDATE auction_price_result SET objection_upheld = 1 WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, rid);
        db_step(s);
        db_finalize(s);
    }
    *obj = oid;
    return 0;
}

/* POST /lots/:id/price-steps/:sid/fix — close the step: 网络询价 = mean per art 13; 委托评估 = the report. */
static int act_price_fix(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    au_step st;
    int rc = step_load(c, l->id, sid, &st);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "参考价程序不存在");
        return rc > 0 ? 1 : -1;
    }
    if (strcmp(st.status, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "该程序已结束");
        return 1;
    }
    db_stmt *s = db_prepare(c, "SELECT 1 FROM auction_price_objection WHERE step_id = ? AND status = 'open'");
    if (!s) return -1;
    db_bind_int64(s, 1, sid);
    bool open_obj = db_step(s) == DB_ROW;
    db_finalize(s);
    if (open_obj) {
        zx_au_fail(e, 409, "OBJECTION_PENDING", "尚有未处理的异议");
        return 1;
    }
    zx_price_result res[16];
    size_t n = 0;
    s = db_prepare(c, "SELECT price_fen, status, objected, objection_upheld FROM auction_price_result WHERE step_id = ?"
                      " AND status IN ('delivered', 'late') ORDER BY rank_no");
    if (!s) return -1;
    db_bind_int64(s, 1, sid);
    while (db_step(s) == DB_ROW && n < 16) {
        res[n].price_fen = db_col_int64(s, 0);
        res[n].on_time = !strcmp(db_col_text(s, 1), "delivered");
        res[n].objected = db_col_int64(s, 2) != 0;
        res[n].objection_upheld = db_col_int64(s, 3) != 0;
        n++;
    }
    db_finalize(s);
    int used = 0;
    int64_t price = zx_refprice_online_mean(res, n, &used); /* 参考价规定 art 13 (appraisal: the one report) */
    if (price <= 0) {
        /* art 11/14: nothing usable → the step failed; 委托评估 (or the next institution) follows */
        s = db_prepare(c, "UPDATE auction_price_step SET status = 'failed' WHERE id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, sid);
        db_step(s);
        db_finalize(s);
        *obj = sid;
        json_t *d = json_pack("{s:s}", "method", st.method);
        int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, "valuation_end", "price_failed", "参考价程序未能确定价格", d);
        json_decref(d);
        return ev < 0 ? -1 : 0;
    }
    *obj = sid;
    return fix_reference(r, c, l, &st, price);
}

/* ------------------------------------------------------------------ priority holders & bars */
static int act_priority(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *name = jstr(b, "name"), *idn = jstr(b, "id_number"), *basis = jstr(b, "basis");
    json_t *rk = json_object_get(b, "rank");
    if (!name || !*name || !idn || !*idn || !json_is_integer(rk) || json_integer_value(rk) < 1 || json_integer_value(rk) > 9) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写优先购买权人姓名、证件号码和顺位（1–9）");
        return 1;
    }
    char idx[65];
    zx_au_id_index(idn, idx);
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_priority (id, lot_id, name, id_idx, rank_no, basis, created_ms, id_enc)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, l->id);
    db_bind_text(s, 3, name, -1);
    db_bind_text(s, 4, idx, -1);
    db_bind_int64(s, 5, json_integer_value(rk));
    db_bind_text(s, 6, basis ? basis : "", -1);
    db_bind_int64(s, 7, zx_now_ms());
    zx_pii_bind(s, 8, ZX_PII_ID_NUMBER, idn); /* sealed twin of the index (migration 042: index-key rotation) */
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = id;
    json_t *d = json_pack("{s:s,s:I}", "name", name, "rank", (json_int_t)json_integer_value(rk));
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, NULL, "priority_confirmed", "确认优先购买权人", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* 网拍规定 art 34: court staff and their close relatives may not bid (recorded by ID number). */
static int act_bar(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *idn = jstr(b, "id_number");
    if (!idn || !*idn) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写证件号码");
        return 1;
    }
    char idx[65];
    zx_au_id_index(idn, idx);
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_bar (id, court_id, lot_id, id_idx, reason, created_ms, id_enc)"
                               " VALUES (?, ?, NULL, ?, 'staff', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, l->court_id);
    db_bind_text(s, 3, idx, -1);
    db_bind_int64(s, 4, zx_now_ms());
    zx_pii_bind(s, 5, ZX_PII_ID_NUMBER, idn); /* sealed twin of the index (migration 042) */
    int rc = db_step(s);
    db_finalize(s);
    *obj = id;
    return rc == DB_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ rounds */
int zx_au_price_cut_submit(zx_req *r, db_conn *c, int64_t case_id, int64_t lot_id, const char *title, int round_no, bool fixed,
                           int64_t start_fen, int64_t prev_start_fen, zx_date decide_by, json_t *body, zx_au_err *e);

/* POST /lots/:id/rounds {start_fen, deposit_fen, increment_fen, announced_on, starts_at, ends_at, kind?, platform?}
 * A price cut or a 变卖 waits for the panel's decision in the approval inbox (approvals.c, 网拍规定
 * art 27) unless `approved` (the inbox's callback). */
static int round_create(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e, bool approved)
{
    const char *kind = jstr(b, "kind");
    bool fixed = kind && !strcmp(kind, "fixed_sale");
    if (kind && !fixed && strcmp(kind, "auction")) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "轮次类型须为拍卖或变卖");
        return 1;
    }
    if (strcmp(l->status, "priced") && strcmp(l->status, "auction")) {
        zx_au_fail(e, 409, "INVALID_STATE", l->reference_fen ? "标的物已处置" : "尚未确定参考价");
        return 1;
    }
    au_round prev;
    int have_prev = last_round(c, l->id, &prev);
    if (have_prev < 0) return -1;
    if (have_prev == 0 && (!strcmp(prev.status, "announced") || !strcmp(prev.status, "bidding") || !strcmp(prev.status, "sold"))) {
        zx_au_fail(e, 409, "ROUND_OPEN", "上一轮拍卖尚未结束");
        return 1;
    }
    int unsold = count_rounds(c, l->id, "unsold");
    int round_no = have_prev == 0 ? prev.round_no + 1 : 1;
    int64_t start = 0, deposit = 0, inc = 0;
    if (!jfen(b, "start_fen", &start) || !jfen(b, "deposit_fen", &deposit) || !jfen(b, "increment_fen", &inc)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "起拍价、保证金、加价幅度须为正整数（分）");
        return 1;
    }
    zx_date announced;
    if (!jdate(b, "announced_on", &announced)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写公告日期（YYYY-MM-DD）");
        return 1;
    }
    int64_t starts = 0, ends = 0, now = zx_now_ms();
    if (zx_au_parse_iso(jstr(b, "starts_at"), &starts) || (!fixed && zx_au_parse_iso(jstr(b, "ends_at"), &ends))) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "开拍/结束时间格式应为 ISO-8601（如 2026-01-01T10:00:00+08:00）");
        return 1;
    }
    /* 参考价规定 art 27: the reference price must still be valid when the first auction is announced */
    zx_date ref_on;
    if (round_no == 1 && !zx_date_parse(l->reference_on, &ref_on) &&
        !zx_refprice_valid((int64_t)ref_on * DAY_MS, (int64_t)announced * DAY_MS)) {
        zx_au_fail(e, 422, "REFERENCE_EXPIRED", "参考价已超过一年有效期，须重新确定（参考价规定第二十七条）");
        return 1;
    }
    if (round_no > 1 && !zx_date_parse(l->reference_on, &ref_on) &&
        !zx_refprice_usable_later((int64_t)ref_on * DAY_MS, (int64_t)announced * DAY_MS)) {
        zx_au_fail(e, 422, "REFERENCE_EXPIRED", "参考价有效期届满已超过六个月，须重新确定参考价（参考价规定第二十七条）");
        return 1;
    }
    if (fixed) {
        /* 网络变卖: only after the second 流拍, at the second 起拍价, 60-day window */
        if (unsold < 2 || have_prev != 0 || strcmp(prev.status, "unsold")) {
            zx_au_fail(e, 409, "INVALID_STATE", "二拍流拍后方可变卖（网拍规定第二十六条）");
            return 1;
        }
        if (start != prev.start_fen) {
            zx_au_fail(e, 422, "FIXED_PRICE_MISMATCH", "变卖价须为第二次拍卖的起拍价 %lld 分", (long long)prev.start_fen);
            return 1;
        }
        ends = starts + (int64_t)ZX_AUCTION_RULES.fixed_sale_days * DAY_MS;
    } else {
        if (unsold >= 2) {
            zx_au_fail(e, 409, "INVALID_STATE", "已两次流拍，应变卖、以物抵债或解除（网拍规定第二十六条）");
            return 1;
        }
        if (have_prev == 0 && !strcmp(prev.status, "unsold")) {
            /* 网拍规定 art 26: re-auction within 30 d of 流拍, cut ≤ 20 % */
            int64_t min = zx_auction_min_restart(prev.start_fen);
            if (start < min) {
                zx_au_fail(e, 422, "CUT_TOO_DEEP", "再次拍卖的起拍价降价不得超过前次起拍价的 %d%%（最低 %lld 分，网拍规定第二十六条）",
                           ZX_AUCTION_RULES.reauction_max_cut_pct, (long long)min);
                return 1;
            }
            if (announced > zx_date_from_ms(prev.closed_ms ? prev.closed_ms : prev.ends_ms) + ZX_AUCTION_RULES.reauction_within_days) {
                zx_au_fail(e, 422, "REAUCTION_LATE", "流拍后应在 %d 日内再次拍卖（网拍规定第二十六条）", ZX_AUCTION_RULES.reauction_within_days);
                return 1;
            }
        } else {
            int64_t min = zx_auction_min_start(l->reference_fen);
            if (start < min) { /* 网拍规定 art 10; 参考价规定 art 30 */
                zx_au_fail(e, 422, "START_PRICE_TOO_LOW", "起拍价不得低于参考价的 %d%%（最低 %lld 分，网拍规定第十条）",
                           ZX_AUCTION_RULES.start_price_min_pct, (long long)min);
                return 1;
            }
        }
        if (ends - starts < ZX_AUCTION_RULES.bidding_min_ms) { /* 网拍规定 art 20 */
            zx_au_fail(e, 422, "BIDDING_TOO_SHORT", "竞价时间不得少于二十四小时（网拍规定第二十条）");
            return 1;
        }
    }
    int64_t dmin, dmax;
    zx_auction_deposit_range(start, &dmin, &dmax);
    if (deposit < dmin || deposit > dmax) { /* 网拍规定 art 17 */
        zx_au_fail(e, 422, "DEPOSIT_OUT_OF_RANGE", "保证金须为起拍价的 %d%%–%d%%（%lld–%lld 分，网拍规定第十七条）",
                   ZX_AUCTION_RULES.deposit_min_pct, ZX_AUCTION_RULES.deposit_max_pct, (long long)dmin, (long long)dmax);
        return 1;
    }
    if (inc > start) {
        zx_au_fail(e, 422, "VALIDATION_FAILED", "加价幅度不应超过起拍价");
        return 1;
    }
    int lead = zx_auction_announce_days(real_estate_like(l->asset_kind), round_no);
    if (zx_date_from_ms(starts) - announced < lead) { /* 网拍规定 arts 12, 26 */
        zx_au_fail(e, 422, "ANNOUNCEMENT_TOO_SHORT", "公告须在拍卖开始 %d 日前发布（网拍规定第%s条）", lead,
                   round_no == 1 ? "十二" : "二十六");
        return 1;
    }
    if (ends <= now) {
        zx_au_fail(e, 422, "VALIDATION_FAILED", "结束时间已过");
        return 1;
    }
    /* 网拍规定 art 27: 起拍价的降价幅度 (and the 变卖 price) — 合议庭评议, signed in the approval inbox */
    if (!approved && (fixed || (have_prev == 0 && start < prev.start_fen)))
        return zx_au_price_cut_submit(r, c, l->case_id, l->id, l->title, round_no, fixed, start, have_prev == 0 ? prev.start_fen : 0,
                                      announced, b, e);
    const char *platform = jstr(b, "platform");
    if (!platform || !*platform) platform = "court";
    char ad[11], nb[11];
    zx_date_format(announced, ad);
    zx_date_format(announced - ZX_AUCTION_RULES.notice_days_before, nb); /* 网拍规定 art 16 */
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO auction_round (id, lot_id, round_no, kind, status, start_fen, deposit_fen, increment_fen,"
                               " announced_on, notice_by, starts_ms, ends_ms, window_ends_ms, platform, created_by, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, l->id);
    db_bind_int64(s, 3, round_no);
    db_bind_text(s, 4, fixed ? "fixed_sale" : "auction", -1);
    db_bind_text(s, 5, starts <= now ? "bidding" : "announced", -1);
    db_bind_int64(s, 6, start);
    db_bind_int64(s, 7, deposit);
    db_bind_int64(s, 8, inc);
    db_bind_text(s, 9, ad, -1);
    db_bind_text(s, 10, nb, -1);
    db_bind_int64(s, 11, starts);
    db_bind_int64(s, 12, ends);
    if (fixed) db_bind_int64(s, 13, ends);
    else db_bind_null(s, 13);
    db_bind_text(s, 14, platform, -1);
    db_bind_int64(s, 15, r->who.user_id);
    db_bind_int64(s, 16, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (set_lot_status(c, l->id, fixed ? "fixed_sale" : "auction")) return -1;
    *obj = id;
    json_t *d = json_pack("{s:I,s:I,s:I,s:I,s:s}", "round_no", (json_int_t)round_no, "start_fen", (json_int_t)start,
                          "deposit_fen", (json_int_t)deposit, "increment_fen", (json_int_t)inc, "kind", fixed ? "fixed_sale" : "auction");
    /* the auction period is deducted from the time limit (审限规定 art 9): auction_start on the first round */
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, round_no == 1 ? "auction_start" : NULL,
                                  fixed ? "fixed_sale_announced" : "auction_announced",
                                  fixed ? "发布变卖公告" : (round_no == 1 ? "发布第一次拍卖公告" : "发布再次拍卖公告"), d);
    json_decref(d);
    if (ev < 0) return -1;
    int64_t doc = 0;
    if (zx_au_doc_generate(c, id, "auction_announcement", ev, &doc)) return -1;
    char price[ZX_MONEY_BUF], when[32], text[600], key[48];
    zx_money_format(start, price);
    zx_au_iso(starts + 8 * 3600000LL, when); /* the Shanghai date */
    snprintf(text, sizeof text, "本院将于%.10s在网络司法拍卖平台%s“%s”，%s%s元，详见拍卖公告。", when, fixed ? "变卖" : "拍卖",
             l->title, fixed ? "变卖价" : "起拍价", price);
    snprintf(key, sizeof key, "round:%lld", (long long)id);
    if (zx_au_notify_parties(c, l->case_id, key, text) < 0) return -1;
    return 0;
}

static int act_round(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    return round_create(r, c, l, b, obj, e, false);
}
static int act_round_approved(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    return round_create(r, c, l, b, obj, e, true);
}

/* ------------------------------------------------------------------ outcomes */
static int last_round_in(db_conn *c, au_lot *l, au_round *rd, const char *status, zx_au_err *e, const char *msg)
{
    int rc = last_round(c, l->id, rd);
    if (rc < 0) return -1;
    if (rc || strcmp(rd->status, status)) {
        zx_au_fail(e, 409, "INVALID_STATE", "%s", msg);
        return 1;
    }
    return 0;
}

static int set_round_status(db_conn *c, int64_t id, const char *from, const char *to)
{
    db_stmt *s = db_prepare(c, "UPDATE auction_round SET status = ?, paid_ms = CASE WHEN ? = 'paid' THEN ? ELSE paid_ms END"
                               " WHERE id = ? AND status = ?");
    if (!s) return -1;
    db_bind_text(s, 1, to, -1);
    db_bind_text(s, 2, to, -1);
    db_bind_int64(s, 3, zx_now_ms());
    db_bind_int64(s, 4, id);
    db_bind_text(s, 5, from, -1);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    return rc == DB_DONE && n == 1 ? 0 : -1;
}

static int add_payment(db_conn *c, int64_t round_id, const char *kind, int64_t amount, int64_t transfer)
{
    db_stmt *s = db_prepare(c, "INSERT INTO auction_payment (id, round_id, kind, amount_fen, transfer_id, created_ms) VALUES (?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, round_id);
    db_bind_text(s, 3, kind, -1);
    db_bind_int64(s, 4, amount);
    if (transfer) db_bind_int64(s, 5, transfer);
    else db_bind_null(s, 5);
    db_bind_int64(s, 6, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* The winner's held deposit of a round (0 if none). */
static int64_t winner_deposit(db_conn *c, int64_t round_id, int64_t bidder, int64_t *dep_id)
{
    int64_t amt = 0;
    db_stmt *s = db_prepare(c, "SELECT id, amount_fen FROM auction_deposit WHERE round_id = ? AND bidder_id = ? AND status = 'held'");
    if (!s) return 0;
    db_bind_int64(s, 1, round_id);
    db_bind_int64(s, 2, bidder);
    if (db_step(s) == DB_ROW) {
        *dep_id = db_col_int64(s, 0);
        amt = db_col_int64(s, 1);
    }
    db_finalize(s);
    return amt;
}

static int deposit_set(db_conn *c, int64_t dep_id, const char *status)
{
    db_stmt *s = db_prepare(c, "UPDATE auction_deposit SET status = ?, released_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, status, -1);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, dep_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* POST /lots/:id/payment — the buyer paid the balance: deposit applied + balance into the case
 * account, 成交裁定 (网拍 art 22; 拍卖变卖 art 20), lot sold, the auction period ends. */
static int act_payment(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    au_round rd;
    int rc = last_round_in(c, l, &rd, "sold", e, "没有待付款的成交轮次");
    if (rc) return rc;
    int64_t dep_id = 0, dep = winner_deposit(c, rd.id, rd.leader, &dep_id);
    int64_t balance = rd.current_fen - dep, t1 = 0, t2 = 0, party = 0;
    /* an applicant-creditor buyer may pay by its claim (creditor.c): only the difference arrives as money */
    zx_creditor_setoff so = { 0, rd.current_fen, balance };
    if (json_is_true(json_object_get(b, "setoff"))) {
        rc = zx_au_setoff_plan(c, l->id, l->case_id, rd.id, rd.leader, rd.current_fen, dep, &so, &party, e);
        if (rc) return rc;
        balance = so.balance;
    }
    if (dep_id && (deposit_set(c, dep_id, "applied") || zx_au_money_to_case(c, l->case_id, rd.id, "deposit_applied", dep, &t1) ||
                   add_payment(c, rd.id, "deposit_applied", dep, t1)))
        return -1;
    if (balance > 0 && (zx_au_money_to_case(c, l->case_id, rd.id, "balance", balance, &t2) ||
                        add_payment(c, rd.id, "balance", balance, t2)))
        return -1;
    if (so.setoff > 0 && zx_au_setoff_post(c, r->who.user_id, l->court_id, l->case_id, rd.id, party, so.setoff)) return -1;
    if (set_round_status(c, rd.id, "sold", "paid") || set_lot_status(c, l->id, "sold")) return -1;
    /* an earlier buyer's forfeited deposit: the re-sale difference, then this debt (网拍规定 art 24) */
    if (zx_au_forfeit_settle(c, r->who.user_id, l->id, l->court_id, l->case_id, rd.current_fen, "sale")) return -1;
    json_t *d = json_pack("{s:I,s:I,s:I,s:I}", "price_fen", (json_int_t)rd.current_fen, "deposit_applied_fen", (json_int_t)dep,
                          "balance_fen", (json_int_t)balance, "setoff_fen", (json_int_t)so.setoff);
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, "auction_end", "sale_paid", "拍卖成交、价款到账并作出成交裁定", d);
    json_decref(d);
    if (ev < 0) return -1;
    int64_t doc = 0;
    if (zx_au_doc_generate(c, rd.id, "sale_ruling", ev, &doc)) return -1;
    *obj = rd.id;
    return 0;
}

/* POST /lots/:id/default — 悔拍 (网拍 art 24): deposit forfeited (applied in the statutory order — here
 * into the case account), the buyer barred from this lot, the lot goes to a re-auction. */
static int act_default(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    au_round rd;
    int rc = last_round_in(c, l, &rd, "sold", e, "没有待付款的成交轮次");
    if (rc) return rc;
    int64_t dep_id = 0, dep = winner_deposit(c, rd.id, rd.leader, &dep_id), t = 0;
    /* 网拍规定 art 24: costs and losses now, the rest reserved for the re-sale difference and this debt (costs.c) */
    if (dep_id && (deposit_set(c, dep_id, "forfeited") ||
                   zx_au_forfeit_begin(c, r->who.user_id, l->id, l->court_id, l->case_id, rd.id, dep_id, dep, rd.current_fen, &t) ||
                   add_payment(c, rd.id, "deposit_forfeited", dep, t)))
        return -1;
    /* The bar's blind index is computed now from the buyer's sealed number (the written form), not
     * copied from the bidder row: during an online index-key rotation that row may still hold the old
     * key's index after the re-indexer's last pass over auction_bar (core/pii.h). */
    db_stmt *s = db_prepare(c, "SELECT id_enc FROM auction_bidder WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, rd.leader);
    char *idn = db_step(s) == DB_ROW ? zx_pii_col(s, 0, ZX_PII_ID_NUMBER) : NULL;
    db_finalize(s);
    s = db_prepare(c, idn ? "INSERT INTO auction_bar (id, court_id, lot_id, id_idx, reason, round_id, created_ms, id_enc)"
                            " VALUES (?, ?, ?, ?, 'default', ?, ?, ?)"
                          : "INSERT INTO auction_bar (id, court_id, lot_id, id_idx, reason, round_id, created_ms, id_enc)"
                            " SELECT ?, ?, ?, id_idx, 'default', ?, ?, id_enc FROM auction_bidder WHERE id = ?");
    if (!s) {
        zx_pii_free(idn);
        return -1;
    }
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, l->court_id);
    db_bind_int64(s, 3, l->id);
    if (idn) {
        zx_pii_bind_index(s, 4, ZX_PII_ID_NUMBER, idn);
        db_bind_int64(s, 5, rd.id);
        db_bind_int64(s, 6, zx_now_ms());
        zx_pii_bind(s, 7, ZX_PII_ID_NUMBER, idn);
    } else {
        db_bind_int64(s, 4, rd.id);
        db_bind_int64(s, 5, zx_now_ms());
        db_bind_int64(s, 6, rd.leader);
    }
    zx_pii_free(idn);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (set_round_status(c, rd.id, "sold", "defaulted")) return -1;
    json_t *d = json_pack("{s:I}", "deposit_forfeited_fen", (json_int_t)dep);
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, NULL, "default", "买受人悔拍，保证金不予退还", d);
    json_decref(d);
    *obj = rd.id;
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/in-kind {creditor, claim_fen} — 以物抵债 at the reserve of the last unsold round
 * (拍卖变卖规定 art 16); the excess over the claim is paid in by the creditor. */
static int act_in_kind(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    au_round rd;
    int rc = last_round(c, l->id, &rd);
    if (rc < 0) return -1;
    if (rc || strcmp(rd.status, "unsold")) {
        zx_au_fail(e, 409, "INVALID_STATE", "流拍后方可以物抵债（拍卖变卖规定第十六条）");
        return 1;
    }
    const char *creditor = jstr(b, "creditor");
    int64_t claim = 0;
    if (!creditor || !*creditor || !jfen(b, "claim_fen", &claim)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写接受抵债的申请执行人和其债权金额（分）");
        return 1;
    }
    int64_t excess = rd.start_fen > claim ? rd.start_fen - claim : 0, t = 0;
    if (add_payment(c, rd.id, "in_kind", rd.start_fen, 0)) return -1;
    if (excess > 0 && zx_au_money_to_case(c, l->case_id, rd.id, "balance", excess, &t)) return -1;
    if (set_lot_status(c, l->id, "in_kind")) return -1;
    if (zx_au_forfeit_settle(c, r->who.user_id, l->id, l->court_id, l->case_id, rd.start_fen, "in_kind")) return -1; /* 网拍规定 art 24 */
    json_t *d = json_pack("{s:s,s:I,s:I}", "creditor", creditor, "price_fen", (json_int_t)rd.start_fen, "excess_fen", (json_int_t)excess);
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, "auction_end", "in_kind", "以物抵债", d);
    json_decref(d);
    *obj = rd.id;
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/release — nothing worked (拍卖变卖规定 arts 24–25): release the lot. */
static int act_release(zx_req *r, db_conn *c, au_lot *l, json_t *b, int64_t *obj, zx_au_err *e)
{
    au_round rd;
    int rc = last_round(c, l->id, &rd);
    if (rc < 0) return -1;
    if (!strcmp(l->status, "sold") || !strcmp(l->status, "in_kind") || !strcmp(l->status, "released") ||
        (rc == 0 && (!strcmp(rd.status, "announced") || !strcmp(rd.status, "bidding") || !strcmp(rd.status, "sold")))) {
        zx_au_fail(e, 409, "INVALID_STATE", "该标的物正在拍卖或已处置，不能解除");
        return 1;
    }
    if (set_lot_status(c, l->id, "released")) return -1;
    if (zx_au_forfeit_settle(c, r->who.user_id, l->id, l->court_id, l->case_id, 0, "release")) return -1; /* 网拍规定 art 24 */
    const char *reason = jstr(b, "reason");
    json_t *d = json_pack("{s:s}", "reason", reason ? reason : "");
    int64_t ev = zx_au_case_event(c, l->case_id, r->who.user_id, rc == 0 ? "auction_end" : NULL, "released", "解除处置（退还被执行人）", d);
    json_decref(d);
    *obj = l->id;
    return ev < 0 ? -1 : 0;
}


typedef int (*lot_fn)(zx_req *, db_conn *, au_lot *, json_t *, int64_t *, zx_au_err *);
static const struct {
    const char *name;
    lot_fn fn;
    const char *audit;
} actions[] = {
    { "price_step", act_price_step, "auction.price_step" },
    { "price_result", act_price_result, "auction.price_result" },
    { "price_extend", act_price_extend, "auction.price_extend" },
    { "objection", act_objection, "auction.price_objection" },
    { "institution_failed", act_institution_failed, "auction.appraisal_next_institution" },
    { "objection_decide", act_objection_decide, "auction.price_objection_decide" },
    { "price_fix", act_price_fix, "auction.price_fix" },
    { "priority", act_priority, "auction.priority" },
    { "bar", act_bar, "auction.bar" },
    { "round", act_round, "auction.round" },
    { "round_approved", act_round_approved, "auction.round" }, /* only from the approval inbox (approvals.c) */
    { "payment", act_payment, "auction.payment" },
    { "default", act_default, "auction.default" },
    { "in_kind", act_in_kind, "auction.in_kind" },
    { "release", act_release, "auction.release" },
};

int zx_au_lot_action(zx_req *r, db_conn *c, int64_t lot_id, const char *action, json_t *body, int64_t *obj, zx_au_err *e)
{
    lot_fn fn = NULL;
    const char *audit = NULL;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (!strcmp(actions[i].name, action)) fn = actions[i].fn, audit = actions[i].audit;
    if (!fn) {
        zx_au_fail(e, 404, "NOT_FOUND", "未知操作");
        return 1;
    }
    au_lot l;
    int rc = lot_load(c, lot_id, &l);
    if (rc) {
        if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "标的物不存在");
        return rc > 0 ? 1 : -1;
    }
    rc = fn(r, c, &l, body, obj, e);
    if (rc) return rc;
    char *detail = json_dumps(body, JSON_COMPACT);
    rc = zx_audit_req(r, c, audit, "auction_lot", lot_id, "ok", detail);
    free(detail);
    return rc ? -1 : 0;
}
