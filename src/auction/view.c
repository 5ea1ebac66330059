/* view.c — lots as JSON: the judge's disposal panel (every step with its deadline, rounds, outcome)
 * and the public auction list / lot page (no personal data: bidders appear by alias). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auction/auction.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "rules/auction.h"

json_t *zx_au_live_json(db_conn *c, int64_t lot_id);
json_t *zx_au_pending_cut_json(db_conn *c, int64_t lot_id);

static json_t *jid(int64_t v) { return zx_json_id(v); }
static json_t *jtxt(db_stmt *s, int col) { return db_col_is_null(s, col) ? json_null() : json_string(db_col_text(s, col)); }
static json_t *jint(db_stmt *s, int col) { return db_col_is_null(s, col) ? json_null() : json_integer(db_col_int64(s, col)); }
static json_t *jiso(db_stmt *s, int col)
{
    if (db_col_is_null(s, col) || db_col_int64(s, col) == 0) return json_null();
    char b[32];
    zx_au_iso(db_col_int64(s, col), b);
    return json_string(b);
}
static json_t *jdate_add(const char *iso, int days)
{
    zx_date d;
    if (!iso || zx_date_parse(iso, &d)) return json_null();
    return zx_json_date(d + days);
}
static json_t *jdate_add_months(const char *iso, int months)
{
    zx_date d;
    if (!iso || zx_date_parse(iso, &d)) return json_null();
    return zx_json_date(zx_date_add_months(d, months));
}

static json_t *steps_json(db_conn *c, int64_t lot_id)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, method, status, started_on, due_on, extensions, result_fen, note FROM auction_price_step"
                               " WHERE lot_id = ? ORDER BY created_ms, id");
    if (!s) return arr;
    db_bind_int64(s, 1, lot_id);
    while (db_step(s) == DB_ROW) {
        int64_t sid = db_col_int64(s, 0);
        json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(sid), "method", jtxt(s, 1), "status", jtxt(s, 2),
                              "started_on", jtxt(s, 3), "due_on", jtxt(s, 4), "extensions", jint(s, 5), "result_fen",
                              jint(s, 6), "note", jtxt(s, 7));
        json_object_set_new(o, "results", json_array());
        json_object_set_new(o, "objections", json_array());
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        int64_t sid = 0;
        zx_json_get_id(json_object_get(o, "id"), &sid);
        s = db_prepare(c, "SELECT id, source, rank_no, status, price_fen, due_ms, delivered_ms, objected, objection_upheld"
                          " FROM auction_price_result WHERE step_id = ? ORDER BY rank_no, id");
        if (!s) continue;
        db_bind_int64(s, 1, sid);
        while (db_step(s) == DB_ROW)
            json_array_append_new(json_object_get(o, "results"),
                                  json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b}", "id", jid(db_col_int64(s, 0)), "source",
                                            jtxt(s, 1), "rank", jint(s, 2), "status", jtxt(s, 3), "price_fen", jint(s, 4),
                                            "due_at", jiso(s, 5), "delivered_at", jiso(s, 6), "objected",
                                            db_col_int64(s, 7) != 0, "objection_upheld", db_col_int64(s, 8) != 0));
        db_finalize(s);
        s = db_prepare(c, "SELECT id, result_id, ground, route, filed_on, status, decided_on, stage, forward_by, explain_by, decide_by,"
                          " forwarded_on, explained_on FROM auction_price_objection WHERE step_id = ? ORDER BY created_ms");
        if (!s) continue;
        db_bind_int64(s, 1, sid);
        while (db_step(s) == DB_ROW)
            json_array_append_new(json_object_get(o, "objections"),
                                  json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(db_col_int64(s, 0)),
                                            "result_id", jid(db_col_int64(s, 1)), "ground", jtxt(s, 2), "route", jtxt(s, 3),
                                            "filed_on", jtxt(s, 4), "status", jtxt(s, 5), "decided_on", jtxt(s, 6), "stage",
                                            jtxt(s, 7), "forward_by", jtxt(s, 8), "explain_by", jtxt(s, 9), "decide_by",
                                            jtxt(s, 10), "forwarded_on", jtxt(s, 11), "explained_on", jtxt(s, 12)));
        db_finalize(s);
    }
    return arr;
}

static json_t *rounds_json(db_conn *c, int64_t lot_id, bool staff)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT r.id, r.round_no, r.kind, r.status, r.start_fen, r.deposit_fen, r.increment_fen, r.announced_on,"
                               " r.notice_by, r.starts_ms, r.ends_ms, r.window_ends_ms, r.bid_seq, r.current_fen, b.alias,"
                               " r.balance_due_on, r.paid_ms, r.closed_ms, r.platform, r.external_ref,"
                               " (SELECT COUNT(*) FROM auction_deposit d WHERE d.round_id = r.id), r.announcement_doc_id, r.ruling_doc_id"
                               " FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id"
                               " LEFT JOIN auction_bidder b ON b.id = r.leader_bidder_id WHERE r.lot_id = ? ORDER BY r.round_no");
    if (!s) return arr;
    db_bind_int64(s, 1, lot_id);
    while (db_step(s) == DB_ROW) {
        json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(db_col_int64(s, 0)),
                              "round_no", jint(s, 1), "kind", jtxt(s, 2), "status", jtxt(s, 3), "start_fen", jint(s, 4),
                              "deposit_fen", jint(s, 5), "increment_fen", jint(s, 6), "announced_on", jtxt(s, 7),
                              "notice_by", jtxt(s, 8), "starts_at", jiso(s, 9), "ends_at", jiso(s, 10), "window_ends_at",
                              jiso(s, 11), "bids", jint(s, 12), "current_fen", jint(s, 13), "leader", jtxt(s, 14));
        json_object_set_new(o, "platform", jtxt(s, 18));
        if (staff) {
            json_object_set_new(o, "balance_due_on", jtxt(s, 15));
            json_object_set_new(o, "paid_at", jiso(s, 16));
            json_object_set_new(o, "closed_at", jiso(s, 17));
            json_object_set_new(o, "external_ref", jtxt(s, 19));
            json_object_set_new(o, "deposits", jint(s, 20));
            json_object_set_new(o, "announcement_doc_id", jid(db_col_int64(s, 21)));
            json_object_set_new(o, "sale_ruling_doc_id", jid(db_col_int64(s, 22)));
            /* 网拍规定 art 26: next round within 30 d of 流拍 */
            if (!strcmp(db_col_text(s, 3), "unsold") && !db_col_is_null(s, 17))
                json_object_set_new(o, "reauction_by", zx_json_date(zx_date_from_ms(db_col_int64(s, 17)) +
                                                                     ZX_AUCTION_RULES.reauction_within_days));
        }
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    return arr;
}

static json_t *lot_base(db_stmt *s, bool staff)
{
    json_t *photos = json_loads(db_col_text(s, 11) ? db_col_text(s, 11) : "[]", 0, NULL);
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(db_col_int64(s, 0)), "case_id",
                          jid(db_col_int64(s, 1)), "title", jtxt(s, 4), "asset_kind", jtxt(s, 5), "description", jtxt(s, 6),
                          "location", jtxt(s, 7), "defects", jtxt(s, 8), "taxes", jtxt(s, 9), "viewing", jtxt(s, 10), "photos",
                          photos ? photos : json_array(), "status", jtxt(s, 13), "reference_fen", jint(s, 14), "reference_method",
                          jtxt(s, 15), "platform", jtxt(s, 17));
    json_object_set_new(o, "court", jtxt(s, 18));
    json_object_set_new(o, "case_no", jtxt(s, 19));
    if (staff) {
        json_object_set_new(o, "asset_id", jid(db_col_int64(s, 3)));
        json_object_set_new(o, "seized_on", jtxt(s, 12));
        json_object_set_new(o, "reference_on", jtxt(s, 16));
    } else
        json_object_del(o, "case_id");
    return o;
}

#define LOT_SQL "SELECT l.id, l.case_id, l.court_id, l.asset_id, l.title, l.asset_kind, l.description, l.location, l.defects," \
                " l.taxes, l.viewing, l.photos, l.seized_on, l.status, l.reference_fen, l.reference_method, l.reference_on," \
                " l.platform, ct.name, e.case_no FROM auction_lot l JOIN court ct ON ct.id = l.court_id" \
                " JOIN enf_case e ON e.id = l.case_id"

json_t *zx_au_lot_json(db_conn *c, int64_t lot_id, bool staff)
{
    db_stmt *s = db_prepare(c, LOT_SQL " WHERE l.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, lot_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return NULL;
    }
    json_t *o = lot_base(s, staff);
    char seized[11] = "", ref_on[11] = "";
    snprintf(seized, sizeof seized, "%s", db_col_text(s, 12) ? db_col_text(s, 12) : "");
    snprintf(ref_on, sizeof ref_on, "%s", db_col_text(s, 16) ? db_col_text(s, 16) : "");
    db_finalize(s);
    json_object_set_new(o, "rounds", rounds_json(c, lot_id, staff));
    json_t *live = zx_au_live_json(c, lot_id);
    json_object_set_new(o, "live", live ? live : json_null());
    json_t *pri = json_array();
    s = db_prepare(c, "SELECT name, rank_no, basis FROM auction_priority WHERE lot_id = ? ORDER BY rank_no, created_ms");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(pri, json_pack("{s:o,s:o,s:o}", "name", jtxt(s, 0), "rank", jint(s, 1), "basis", jtxt(s, 2)));
        db_finalize(s);
    }
    json_object_set_new(o, "priority_holders", pri); /* 网拍规定 art 13(7): shown in the announcement */
    if (!staff) return o;
    json_object_set_new(o, "price_steps", steps_json(c, lot_id));
    json_object_set_new(o, "pending_approval", zx_au_pending_cut_json(c, lot_id)); /* 网拍规定 art 27 */
    json_object_set_new(o, "costs", zx_au_costs_json(c, lot_id));          /* 参考价规定 art 33; 网拍规定 art 7 */
    json_object_set_new(o, "forfeits", zx_au_forfeits_json(c, lot_id));    /* 网拍规定 art 24 */
    json_object_set_new(o, "objections", zx_au_objections_json(c, lot_id)); /* 网拍规定 art 31; 民诉法 art 236 */
    json_t *cr = zx_au_creditor_json(c, lot_id); /* liens (拍卖变卖规定 art 28), set-off, 执行回转 (民诉法 art 244) */
    json_object_update(o, cr);
    json_decref(cr);
    /* deadlines of the procedure (参考价规定 arts 1, 27, 30) */
    json_t *dl = json_object();
    json_object_set_new(dl, "pricing_start_by", jdate_add(seized[0] ? seized : NULL, ZX_AUCTION_RULES.refprice_start_days));
    json_object_set_new(dl, "sale_start_by", jdate_add(ref_on[0] ? ref_on : NULL, ZX_AUCTION_RULES.sale_start_days));
    json_object_set_new(dl, "reference_valid_until", jdate_add_months(ref_on[0] ? ref_on : NULL, ZX_AUCTION_RULES.validity_months));
    json_object_set_new(o, "deadlines", dl);
    json_t *pay = json_array();
    s = db_prepare(c, "SELECT p.kind, p.amount_fen, p.transfer_id, p.created_ms FROM auction_payment p JOIN auction_round r ON r.id = p.round_id"
                      " WHERE r.lot_id = ? ORDER BY p.created_ms");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(pay, json_pack("{s:o,s:o,s:o,s:o}", "kind", jtxt(s, 0), "amount_fen", jint(s, 1), "transfer_id",
                                                 jid(db_col_int64(s, 2)), "at", jiso(s, 3)));
        db_finalize(s);
    }
    json_object_set_new(o, "payments", pay);
    return o;
}

json_t *zx_au_case_lots(db_conn *c, int64_t case_id)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT id FROM auction_lot WHERE case_id = ? ORDER BY created_ms");
    if (!s) return arr;
    db_bind_int64(s, 1, case_id);
    int64_t ids[64];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 64) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *o = zx_au_lot_json(c, ids[i], true);
        if (o) json_array_append_new(arr, o);
    }
    return arr;
}

/* Lots open to the public: announced or bidding on the court's platform, and those closed in the
 * last 30 days (results stay public, 网拍规定 art 22). */
json_t *zx_au_public_list(db_conn *c)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT l.id, l.title, l.asset_kind, l.location, ct.name, r.round_no, r.kind, r.status, r.start_fen,"
                               " r.current_fen, r.deposit_fen, r.starts_ms, r.ends_ms, r.bid_seq, l.reference_fen, l.photos, r.platform"
                               " FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id JOIN court ct ON ct.id = l.court_id"
                               " WHERE r.round_no = (SELECT MAX(round_no) FROM auction_round x WHERE x.lot_id = l.id)"
                               " AND (r.status IN ('announced', 'bidding') OR r.ends_ms > ?)"
                               " ORDER BY CASE WHEN r.status IN ('announced', 'bidding') THEN 0 ELSE 1 END, r.ends_ms LIMIT 200");
    if (!s) return arr;
    db_bind_int64(s, 1, zx_now_ms() - 30LL * 86400000);
    while (db_step(s) == DB_ROW) {
        json_t *photos = json_loads(db_col_text(s, 15) ? db_col_text(s, 15) : "[]", 0, NULL);
        json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jid(db_col_int64(s, 0)),
                              "title", jtxt(s, 1), "asset_kind", jtxt(s, 2), "location", jtxt(s, 3), "court", jtxt(s, 4),
                              "round_no", jint(s, 5), "kind", jtxt(s, 6), "status", jtxt(s, 7), "start_fen", jint(s, 8),
                              "current_fen", jint(s, 9), "deposit_fen", jint(s, 10), "starts_at", jiso(s, 11), "ends_at",
                              jiso(s, 12), "bids", jint(s, 13), "reference_fen", jint(s, 14), "photo",
                              json_is_array(photos) && json_array_size(photos) ? json_incref(json_array_get(photos, 0)) : json_null(),
                              "platform", jtxt(s, 16));
        json_decref(photos);
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    return arr;
}

/* Accepted bids of the lot's current round (public: alias, amount, time), newest first. */
json_t *zx_au_public_bids(db_conn *c, int64_t lot_id, int limit)
{
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT b.seq, b.amount_fen, b.received_ms, d.alias, b.priority_rank FROM auction_bid b"
                               " JOIN auction_round r ON r.id = b.round_id JOIN auction_bidder d ON d.id = b.bidder_id"
                               " WHERE r.lot_id = ? AND r.round_no = (SELECT MAX(round_no) FROM auction_round WHERE lot_id = ?)"
                               " ORDER BY b.seq DESC LIMIT ?");
    if (!s) return arr;
    db_bind_int64(s, 1, lot_id);
    db_bind_int64(s, 2, lot_id);
    db_bind_int64(s, 3, limit);
    while (db_step(s) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o,s:b}", "seq", jint(s, 0), "amount_fen", jint(s, 1), "at", jiso(s, 2),
                                             "bidder", jtxt(s, 3), "priority", db_col_int64(s, 4) > 0));
    db_finalize(s);
    return arr;
}
