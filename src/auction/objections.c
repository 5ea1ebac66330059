/* objections.c — the routes of objections in the disposal, with their time limits.
 *
 * Against the reference price (filed in lot.c, 参考价规定 arts 22–24, within 5 d of receipt):
 *   legal grounds (basic info, scope, qualification, procedure) → 执行行为异议: ruled within 15 d of
 *     filing (民诉法 art 236), 复议 within 10 d of service (decide_by / review_by);
 *   technical grounds → forwarded to the institution within 3 d (forward), its explanation within
 *     5 d (explanation), then — if the objector still disagrees — the industry association's review
 *     (industry-review) (参考价规定 art 23). A route's step taken late is refused with its article.
 * Against the auction itself (网拍规定 art 31: misdescription, system fault, collusion, an unqualified
 *   buyer, an unlawful restriction …): examined as 执行行为异议 (民诉法 art 236: 15 d, 复议 10 d); raised
 *   before the execution ends (异议复议规定 art 6). Upheld → the round is revoked: announced/bidding/
 *   sold rounds are cancelled and every held deposit is released (a round already paid and ruled on
 *   cannot be revoked here — that is 执行监督/执行回转). Each step is a case event. */
#include <stdio.h>
#include <string.h>

#include "auction/auction.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "rules/auction.h"

static const char *jstr(json_t *b, const char *k) { return json_string_value(json_object_get(b, k)); }

static int lot_case(db_conn *c, int64_t lot_id, int64_t *case_id, int64_t *court_id, zx_au_err *e)
{
    int rc = zx_au_lot_case(c, lot_id, case_id, court_id);
    if (rc > 0) zx_au_fail(e, 404, "NOT_FOUND", "标的物不存在");
    return rc;
}

/* ---- price objections: forward / explanation / industry review (参考价规定 art 23) ---- */
typedef struct pobj {
    int64_t id;
    char route[32], stage[24], status[16], forward_by[11], explain_by[11];
} pobj;

static int pobj_load(db_conn *c, int64_t lot_id, json_t *b, pobj *o, zx_au_err *e)
{
    int64_t sid = 0, oid = 0;
    zx_json_get_id(json_object_get(b, "step_id"), &sid);
    zx_json_get_id(json_object_get(b, "objection_id"), &oid);
    db_stmt *s = db_prepare(c, "SELECT o.id, o.route, o.stage, o.status, o.forward_by, o.explain_by FROM auction_price_objection o"
                               " JOIN auction_price_step p ON p.id = o.step_id WHERE o.id = ? AND o.step_id = ? AND p.lot_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, oid);
    db_bind_int64(s, 2, sid);
    db_bind_int64(s, 3, lot_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->id = db_col_int64(s, 0);
        snprintf(o->route, sizeof o->route, "%s", db_col_text(s, 1));
        snprintf(o->stage, sizeof o->stage, "%s", db_col_text(s, 2));
        snprintf(o->status, sizeof o->status, "%s", db_col_text(s, 3));
        snprintf(o->forward_by, sizeof o->forward_by, "%s", db_col_text(s, 4) ? db_col_text(s, 4) : "");
        snprintf(o->explain_by, sizeof o->explain_by, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
    }
    db_finalize(s);
    if (rc != DB_ROW) {
        zx_au_fail(e, 404, "NOT_FOUND", "异议不存在");
        return 1;
    }
    if (strcmp(o->route, "institution_review") || strcmp(o->status, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "只有尚未处理的技术性异议走评估机构说明、行业协会评审程序（参考价规定第二十三条）");
        return 1;
    }
    return 0;
}

static int pobj_set(db_conn *c, int64_t id, const char *stage, const char *col, const char *date, const char *col2, const char *date2)
{
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE auction_price_objection SET stage = ?, %s = ?%s%s%s WHERE id = ?", col, col2 ? ", " : "",
             col2 ? col2 : "", col2 ? " = ?" : "");
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    int k = 1;
    db_bind_text(s, k++, stage, -1);
    db_bind_text(s, k++, date, -1);
    if (col2) db_bind_text(s, k++, date2, -1);
    db_bind_int64(s, k, id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static int pobj_event(db_conn *c, int64_t lot_id, int64_t user_id, const char *step, const char *label, int64_t oid)
{
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)oid);
    json_t *d = json_pack("{s:s}", "objection_id", id);
    int64_t ev = zx_au_case_event(c, case_id, user_id, NULL, step, label, d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* POST …/objections/:oid/forward — sent to the institution (参考价规定 art 23: within 3 d). */
int zx_au_pobj_forward(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    pobj o;
    int rc = pobj_load(c, lot_id, b, &o, e);
    if (rc) return rc;
    if (strcmp(o.stage, "filed")) {
        zx_au_fail(e, 409, "INVALID_STATE", "该异议已转交评估机构");
        return 1;
    }
    zx_date today = zx_today(), by;
    if (!zx_date_parse(o.forward_by, &by) && today > by) {
        zx_au_fail(e, 409, "DEADLINE_PASSED", "技术性异议应在收到之日起 %d 日内（%s 前）交评估机构（参考价规定第二十三条）",
                   ZX_AUCTION_RULES.objection_forward_days, o.forward_by);
        return 1;
    }
    char t[11], ex[11];
    zx_date_format(today, t);
    zx_date_format(today + ZX_AUCTION_RULES.objection_explain_days, ex); /* 参考价规定 art 23: explanation within 5 d */
    if (pobj_set(c, o.id, "forwarded", "forwarded_on", t, "explain_by", ex)) return -1;
    *obj = o.id;
    return pobj_event(c, lot_id, r->who.user_id, "price_objection_forwarded", "技术性异议已交评估机构作出说明", o.id);
}

/* POST …/objections/:oid/explanation — the institution's written explanation came (within 5 d). */
int zx_au_pobj_explained(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    pobj o;
    int rc = pobj_load(c, lot_id, b, &o, e);
    if (rc) return rc;
    if (strcmp(o.stage, "forwarded")) {
        zx_au_fail(e, 409, "INVALID_STATE", "请先将异议转交评估机构");
        return 1;
    }
    char t[11];
    zx_date_format(zx_today(), t);
    if (pobj_set(c, o.id, "explained", "explained_on", t, NULL, NULL)) return -1;
    *obj = o.id;
    zx_date by;
    bool late = !zx_date_parse(o.explain_by, &by) && zx_today() > by;
    return pobj_event(c, lot_id, r->who.user_id, "price_objection_explained",
                      late ? "评估机构逾期作出书面说明（参考价规定第二十三条）" : "评估机构作出书面说明", o.id);
}

/* POST …/objections/:oid/industry-review — the objector still disagrees: the industry association's
 * professional review (参考价规定 art 23). */
int zx_au_pobj_industry(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    pobj o;
    int rc = pobj_load(c, lot_id, b, &o, e);
    if (rc) return rc;
    if (strcmp(o.stage, "explained")) {
        zx_au_fail(e, 409, "INVALID_STATE", "评估机构作出说明后，仍有异议的方可提交行业协会评审");
        return 1;
    }
    db_stmt *s = db_prepare(c, "UPDATE auction_price_objection SET stage = 'industry_review' WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, o.id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = o.id;
    return pobj_event(c, lot_id, r->who.user_id, "price_objection_industry_review", "提交评估行业协会专业技术评审", o.id);
}

/* ---- objections to the auction (网拍规定 art 31; 民诉法 art 236) ---- */
/* POST /lots/:id/objections {objector, role, ground, note?} */
int zx_au_objection_file(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    static const char *roles[] = { "applicant", "debtor", "interested", "bidder", NULL };
    static const char *grounds[] = { "misdescription", "system_fault", "collusion", "unqualified_buyer", "unlawful_restriction", "other", NULL };
    const char *who = jstr(b, "objector"), *role = jstr(b, "role"), *ground = jstr(b, "ground"), *note = jstr(b, "note");
    bool ok1 = false, ok2 = false;
    for (int i = 0; role && roles[i]; i++) ok1 |= !strcmp(role, roles[i]);
    for (int i = 0; ground && grounds[i]; i++) ok2 |= !strcmp(ground, grounds[i]);
    if (!who || !*who || strlen(who) > 120 || !ok1 || !ok2) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写异议人、身份（当事人/利害关系人/竞买人）和异议事由（网拍规定第三十一条）");
        return 1;
    }
    int64_t case_id = 0, court_id = 0;
    int rc = lot_case(c, lot_id, &case_id, &court_id, e);
    if (rc) return rc;
    db_stmt *s = db_prepare(c, "SELECT r.id, r.status, k.status FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id"
                               " JOIN enf_case k ON k.id = l.case_id WHERE r.lot_id = ? ORDER BY r.round_no DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int64_t round_id = 0;
    char rst[16] = "", kst[16] = "";
    if (db_step(s) == DB_ROW) {
        round_id = db_col_int64(s, 0);
        snprintf(rst, sizeof rst, "%s", db_col_text(s, 1));
        snprintf(kst, sizeof kst, "%s", db_col_text(s, 2));
    }
    db_finalize(s);
    if (!round_id) {
        zx_au_fail(e, 409, "INVALID_STATE", "该标的物尚未拍卖");
        return 1;
    }
    if (!strcmp(kst, "closed")) { /* 异议复议规定 art 6: before the execution ends */
        zx_au_fail(e, 409, "OBJECTION_LATE", "执行程序已经终结，不再受理执行行为异议（异议复议规定第六条）");
        return 1;
    }
    zx_date today = zx_today();
    char fd[11], dd[11];
    zx_date_format(today, fd);
    zx_date_format(today + ZX_AUCTION_RULES.objection_ruling_days, dd); /* 民诉法 art 236: 15 d */
    int64_t id = zx_id_new();
    s = db_prepare(c, "INSERT INTO auction_objection (id, lot_id, round_id, objector, role, ground, filed_on, decide_by, status, note,"
                      " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, lot_id);
    db_bind_int64(s, 3, round_id);
    db_bind_text(s, 4, who, -1);
    db_bind_text(s, 5, role, -1);
    db_bind_text(s, 6, ground, -1);
    db_bind_text(s, 7, fd, -1);
    db_bind_text(s, 8, dd, -1);
    db_bind_text(s, 9, note ? note : "", -1);
    db_bind_int64(s, 10, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = id;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "objector", who, "ground", ground, "decide_by", dd, "round_status", rst);
    int64_t ev = zx_au_case_event(c, case_id, r->who.user_id, NULL, "auction_objection", "对网络司法拍卖提出异议（执行行为异议）", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

/* POST /lots/:id/objections/:objection_id/decision {upheld, served_on?} */
int zx_au_objection_decide(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t oid = 0;
    zx_json_get_id(json_object_get(b, "objection_id"), &oid);
    json_t *up = json_object_get(b, "upheld");
    if (!json_is_boolean(up)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写异议是否成立");
        return 1;
    }
    db_stmt *s = db_prepare(c, "SELECT o.round_id, r.status, r.lot_id FROM auction_objection o JOIN auction_round r ON r.id = o.round_id"
                               " WHERE o.id = ? AND o.lot_id = ? AND o.status = 'open'");
    if (!s) return -1;
    db_bind_int64(s, 1, oid);
    db_bind_int64(s, 2, lot_id);
    int64_t round_id = 0;
    char rst[16] = "";
    if (db_step(s) == DB_ROW) {
        round_id = db_col_int64(s, 0);
        snprintf(rst, sizeof rst, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (!round_id) {
        zx_au_fail(e, 404, "NOT_FOUND", "没有待处理的该异议");
        return 1;
    }
    int64_t case_id = 0, court_id = 0;
    if (zx_au_lot_case(c, lot_id, &case_id, &court_id)) return -1;
    zx_date served = zx_today();
    const char *sv = jstr(b, "served_on");
    if (sv && zx_date_parse(sv, &served)) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "送达日期格式应为 YYYY-MM-DD");
        return 1;
    }
    bool upheld = json_is_true(up);
    if (upheld && !strcmp(rst, "paid")) {
        /* 网拍规定 art 31 after the price was paid and the sale ruled on: the round can only be turned
         * back by a 执行回转裁定 (民诉法 art 244; 执行工作规定 art 65) — it waits for the chief (creditor.c) */
        int64_t rid = 0;
        char docno[120], racct[48];
        snprintf(docno, sizeof docno, "执行异议裁定（%s）", sv ? sv : "本院");
        /* where the buyer is paid back (refund.c); it may also be registered before the chief signs */
        const char *rbank = NULL;
        bool rgiven = false;
        if (zx_au_refund_account_parse(b, &rbank, racct, &rgiven, e)) return 1;
        int rc = zx_au_restitution_request(r, c, lot_id, round_id, "auction_revoked", docno, oid, NULL, rbank, rgiven ? racct : NULL,
                                           &rid, e);
        if (rc) return rc;
    } else if (upheld) { /* 网拍规定 art 31: the auction is revoked */
        if (strcmp(rst, "announced") && strcmp(rst, "bidding") && strcmp(rst, "sold") && strcmp(rst, "unsold")) {
            zx_au_fail(e, 409, "REVOKE_NOT_POSSIBLE", "该次拍卖已因悔拍或撤销而结束，无可撤销的拍卖");
            return 1;
        }
        s = db_prepare(c, "UPDATE auction_round SET status = 'cancelled', closed_ms = ? WHERE id = ? AND status = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_now_ms());
        db_bind_int64(s, 2, round_id);
        db_bind_text(s, 3, rst, -1);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
        if (zx_au_deposits_release(c, round_id, 0, zx_now_ms()) < 0) return -1; /* every deposit back (网拍规定 art 23) */
        s = db_prepare(c, "UPDATE auction_lot SET status = 'auction', updated_ms = ? WHERE id = ? AND status IN ('auction', 'fixed_sale')");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_now_ms());
        db_bind_int64(s, 2, lot_id);
        db_step(s);
        db_finalize(s);
    }
    char today[11], rb[11];
    zx_date_format(zx_today(), today);
    zx_date_format(served + ZX_AUCTION_RULES.objection_review_days, rb); /* 民诉法 art 236: 复议 within 10 d of service */
    s = db_prepare(c, "UPDATE auction_objection SET status = ?, decided_on = ?, review_by = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, upheld ? "upheld" : "rejected", -1);
    db_bind_text(s, 2, today, -1);
    db_bind_text(s, 3, rb, -1);
    db_bind_int64(s, 4, oid);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = oid;
    json_t *d = json_pack("{s:b,s:s}", "upheld", upheld, "review_by", rb);
    int64_t ev = zx_au_case_event(c, case_id, r->who.user_id, NULL, upheld ? "auction_revoked" : "auction_objection_rejected",
                                  upheld ? "异议成立，撤销网络司法拍卖（网拍规定第三十一条）" : "异议不成立，裁定驳回", d);
    json_decref(d);
    return ev < 0 ? -1 : 0;
}

json_t *zx_au_objections_json(db_conn *c, int64_t lot_id)
{
    json_t *a = json_array();
    db_stmt *s = db_prepare(c, "SELECT o.id, r.round_no, o.objector, o.role, o.ground, o.filed_on, o.decide_by, o.status, o.decided_on,"
                               " o.review_by, o.note FROM auction_objection o JOIN auction_round r ON r.id = o.round_id WHERE o.lot_id = ?"
                               " ORDER BY o.created_ms");
    if (!s) return a;
    db_bind_int64(s, 1, lot_id);
    while (db_step(s) == DB_ROW) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)db_col_int64(s, 0));
        json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s}", "id", id, "round_no",
                                           (json_int_t)db_col_int64(s, 1), "objector", db_col_text(s, 2), "role", db_col_text(s, 3),
                                           "ground", db_col_text(s, 4), "filed_on", db_col_text(s, 5), "decide_by", db_col_text(s, 6),
                                           "status", db_col_text(s, 7), "decided_on", db_col_text(s, 8), "review_by",
                                           db_col_text(s, 9), "note", db_col_text(s, 10)));
    }
    db_finalize(s);
    return a;
}

/* ---- corrections of a report (参考价规定 art 12: 网络询价 report defects corrected within 3 d; art 20:
 * the appraisal institution corrects within 3 d). Kept with the step's objections as route
 * "correction" (ground "defect"): open while the correction is due (the step cannot be fixed), closed
 * when the corrected price is recorded. ---- */
static int result_of_step(db_conn *c, int64_t lot_id, json_t *b, int64_t *sid, int64_t *rid, char status[16], zx_au_err *e)
{
    zx_json_get_id(json_object_get(b, "step_id"), sid);
    zx_json_get_id(json_object_get(b, "result_id"), rid);
    db_stmt *s = db_prepare(c, "SELECT x.status, p.status FROM auction_price_result x JOIN auction_price_step p ON p.id = x.step_id"
                               " WHERE x.id = ? AND x.step_id = ? AND p.lot_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, *rid);
    db_bind_int64(s, 2, *sid);
    db_bind_int64(s, 3, lot_id);
    char pst[16] = "";
    int rc = db_step(s);
    if (rc == DB_ROW) {
        snprintf(status, 16, "%s", db_col_text(s, 0));
        snprintf(pst, sizeof pst, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (rc != DB_ROW) {
        zx_au_fail(e, 404, "NOT_FOUND", "询价/评估结果不存在");
        return 1;
    }
    if (strcmp(pst, "open")) {
        zx_au_fail(e, 409, "INVALID_STATE", "该程序已结束");
        return 1;
    }
    return 0;
}

/* POST …/results/:result_id/correction {note} — the report has a defect: corrected within 3 d. */
int zx_au_result_correction(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0, rid = 0;
    char st[16] = "";
    int rc = result_of_step(c, lot_id, b, &sid, &rid, st, e);
    if (rc) return rc;
    if (strcmp(st, "delivered") && strcmp(st, "late")) {
        zx_au_fail(e, 409, "INVALID_STATE", "报告尚未出具，无需补正");
        return 1;
    }
    db_stmt *s = db_prepare(c, "SELECT 1 FROM auction_price_objection WHERE result_id = ? AND route = 'correction' AND status = 'open'");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    bool pending = db_step(s) == DB_ROW;
    db_finalize(s);
    if (pending) {
        zx_au_fail(e, 409, "CORRECTION_PENDING", "该报告已在补正中");
        return 1;
    }
    const char *note = jstr(b, "note");
    zx_date today = zx_today();
    char fd[11], due[11];
    zx_date_format(today, fd);
    zx_date_format(today + ZX_AUCTION_RULES.online_correction_days, due); /* 参考价规定 arts 12, 20: 3 d */
    int64_t id = zx_id_new();
    s = db_prepare(c, "INSERT INTO auction_price_objection (id, step_id, result_id, ground, route, filed_on, status, note, created_ms,"
                      " stage, decide_by) VALUES (?, ?, ?, 'defect', 'correction', ?, 'open', ?, ?, 'filed', ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, sid);
    db_bind_int64(s, 3, rid);
    db_bind_text(s, 4, fd, -1);
    db_bind_text(s, 5, note ? note : "", -1);
    db_bind_int64(s, 6, zx_now_ms());
    db_bind_text(s, 7, due, -1);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = id;
    return pobj_event(c, lot_id, r->who.user_id, "price_report_correction", "责令询价/评估报告补正（三日内，参考价规定第十二条、第二十条）", id);
}

/* POST …/results/:result_id/corrected {price_fen} — the corrected report arrived. */
int zx_au_result_corrected(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    int64_t sid = 0, rid = 0;
    char st[16] = "";
    int rc = result_of_step(c, lot_id, b, &sid, &rid, st, e);
    if (rc) return rc;
    json_t *p = json_object_get(b, "price_fen");
    if (!json_is_integer(p) || json_integer_value(p) <= 0) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写补正后的价格（分）");
        return 1;
    }
    db_stmt *s = db_prepare(c, "SELECT id, decide_by FROM auction_price_objection WHERE result_id = ? AND route = 'correction' AND status = 'open'");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    int64_t oid = 0;
    char due[11] = "";
    if (db_step(s) == DB_ROW) {
        oid = db_col_int64(s, 0);
        snprintf(due, sizeof due, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (!oid) {
        zx_au_fail(e, 409, "INVALID_STATE", "该报告没有待补正事项");
        return 1;
    }
    s = db_prepare(c, "UPDATE auction_price_result SET price_fen = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, json_integer_value(p));
    db_bind_int64(s, 2, rid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    char today[11];
    zx_date_format(zx_today(), today);
    s = db_prepare(c, "UPDATE auction_price_objection SET status = 'upheld', stage = 'corrected', decided_on = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, today, -1);
    db_bind_int64(s, 2, oid);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    *obj = oid;
    bool late = strcmp(today, due) > 0;
    return pobj_event(c, lot_id, r->who.user_id, "price_report_corrected", late ? "报告逾期补正" : "报告已按期补正", oid);
}
