/* transfer.c — 失信 / 限消 of a case that moves to another court (提级执行 / 指定执行 / 交叉执行): the case
 * module's zx_case_transfer calls this hook (case.h ZX_CASE_MOVE_HOOK) inside the transfer's transaction,
 * before the old court's case closes by 终结执行 (立案结案意见 art 17).
 *
 * That closure is not the end of the enforcement: the same claim goes on being enforced by the receiving
 * court under a new 案号. So the deletion ground of 失信规定 art 10(7) (人民法院依法裁定终结执行) does not
 * arise — no ruling, and nothing is terminated — and a 限制消费令 stays in force (限消规定 art 9 lifts it
 * only on performance, security or the end of the enforcement). What is in force follows the case:
 *  - every 失信 / 限消 entry in force (宽限期 or published) is now the new case's: its 案号, the court
 *    enforcing it and the filing date (the fields 失信规定 art 6 publishes) become the new case's, through
 *    the credit engine's own write path (credit_change "corrected": partners' change feed and the public
 *    list show the new court and 案号; the check answers with them after the next sync);
 *  - the effective decisions behind them, their parties, a deletion or lifting already due, and open
 *    correction applications (失信规定 arts 11–12) go to the receiving court, which now answers for them
 *    (extends, lifts, deletes, corrects);
 *  - entries no longer in force (deleted, lifted, revoked) are the old case's history and stay.
 * A decision not yet effective (awaiting the 院长's signature or its service) or a temporary permission
 * awaiting approval refuses the move (409 CREDIT_DECISION_PENDING): the court that proposed it signs and
 * serves it, or withdraws it, first — the receiving court's 院长 cannot sign another court's decision.
 * Events credit_moved_out / credit_moved_in on both cases, an audit record per entry. */
#include "credit/decisions_internal.h"

#include "account/authz.h"
#include "case/case.h"

static int64_t one_id(db_conn *c, const char *sql, int64_t a)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, a);
    int rc = db_step(s);
    int64_t v = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return rc < 0 ? DB_ERROR : v;
}

static int credit_move_check(db_conn *c, const zx_case_move *m, zx_case_err *err)
{
    db_stmt *s = db_prepare(c, "SELECT name, list FROM credit_decision WHERE case_id = ? AND status IN ('proposed', 'approved', 'served')"
                               " ORDER BY id LIMIT 1");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, m->case_id);
    int rc = db_step(s);
    if (rc == DB_ROW)
        zx_case_err_set(err, 409, "CREDIT_DECISION_PENDING",
                        "对被执行人%.100s的%s决定尚未生效（待院长签发或送达），须由本院签发送达或撤回后方可移送执行",
                        db_col_text(s, 0), !strcmp(db_col_text(s, 1), "dishonest") ? "纳入失信被执行人名单" : "限制消费");
    db_finalize(s);
    if (rc == DB_ROW) return 1;
    if (rc < 0) return DB_ERROR;
    int64_t permits = one_id(c, "SELECT COUNT(*) FROM approval WHERE case_id = ? AND kind = 'temporary_permit' AND status = 'pending'",
                             m->case_id);
    if (permits < 0) return DB_ERROR;
    if (permits > 0) {
        zx_case_err_set(err, 409, "CREDIT_DECISION_PENDING", "本案有临时解除限制消费的申请待院长审批，审批后方可移送执行");
        return 1;
    }
    return 0;
}

static int credit_move(zx_req *r, db_conn *c, const zx_case_move *m, zx_case_err *err)
{
    if (!m->new_case_id) return credit_move_check(c, m, err);
    zx_cd_actor a = { .r = r };
    zx_cd_case nk;
    int n = 0, rc = zx_cd_case_load(c, m->new_case_id, &nk) == 0 ? 0 : DB_ERROR;
    const zx_court *to = zx_court_by_id(m->to_court);
    json_t *moved = json_array();
    /* the entries in force, one at a time through the engine's write path (each moved one leaves the old case) */
    for (;;) {
        int64_t id = rc ? 0 : one_id(c, "SELECT MIN(id) FROM credit_entry WHERE case_id = ? AND status IN ('grace', 'active')", m->case_id);
        if (id < 0) rc = DB_ERROR;
        if (id <= 0) break;
        struct zx_credit_entry e;
        if (zx_credit_entry_load(c, id, &e)) {
            rc = DB_ERROR;
            break;
        }
        n++;
        json_t *was = json_pack("{s:s,s:s,s:s}", "case_no", e.case_no, "court", e.court_code, "filed_on", e.filed_on);
        char obligation[sizeof e.obligation], performance[sizeof e.performance];
        cpy(obligation, sizeof obligation, e.obligation);
        cpy(performance, sizeof performance, e.performance);
        cd_entry_from_case(&e, &nk); /* 案号, court, filing date of the new case (失信规定 art 6) … */
        cpy(e.obligation, sizeof e.obligation, obligation); /* … the obligation and performance as published */
        cpy(e.performance, sizeof e.performance, performance);
        json_t *d = json_pack("{s:o,s:s,s:s,s:s,s:o}", "entry_id", jid(e.id), "list", e.list, "name", e.name, "status", e.status,
                              "was", was);
        if (zx_credit_entry_save(c, &e, "corrected") < 0) rc = DB_ERROR;
        json_t *det = json_pack("{s:o,s:o,s:s,s:s}", "case_id", jid(m->case_id), "new_case_id", jid(m->new_case_id), "new_case_no",
                                nk.case_no, "moved_to", to ? to->code : "");
        if (!rc) rc = cd_audit(&a, c, "credit.moved", "credit_entry", e.id, nk.court_code, det);
        json_decref(det);
        json_array_append_new(moved, d);
    }
    /* the court that answers for them now; the decisions and the entries name the new case's parties
     * (the same persons: copied in order at the new filing) */
    if (!rc && n) {
        rc = db_exec_ids(c, "UPDATE credit_entry SET court_id = ? WHERE case_id = ? AND status IN ('grace', 'active')"
                      " AND (court_id IS NULL OR court_id <> ?)", 3, m->to_court, m->new_case_id, m->to_court);
        if (!rc)
            rc = db_exec_ids(c, "UPDATE credit_decision SET court_id = ?, case_id = ? WHERE case_id = ? AND status = 'effective'"
                          " AND id IN (SELECT decision_id FROM credit_entry WHERE case_id = ? AND decision_id IS NOT NULL)",
                       4, m->to_court, m->new_case_id, m->case_id, m->new_case_id);
        if (!rc)
            rc = db_exec_ids(c, "UPDATE credit_deletion SET court_id = ?, case_id = ? WHERE case_id = ? AND status = 'due'", 3,
                       m->to_court, m->new_case_id, m->case_id);
        if (!rc)
            rc = db_exec_ids(c, "UPDATE credit_correction SET court_id = ? WHERE entry_id IN (SELECT id FROM credit_entry WHERE case_id = ?)"
                          " AND (status IN ('pending', 'reconsidering') OR (status IN ('upheld', 'reconsider_upheld') AND fixed_on IS NULL))"
                          " AND court_id <> ?",
                       3, m->to_court, m->new_case_id, m->to_court);
        /* party ids: the i-th party of the old case is the i-th of the new one */
        db_stmt *s = rc ? NULL : db_prepare(c, "SELECT o.id, n.id FROM case_party o JOIN case_party n ON n.case_id = ? AND n.ord ="
                                      " (SELECT COUNT(*) FROM case_party x WHERE x.case_id = o.case_id AND x.ord <= o.ord)"
                                      " WHERE o.case_id = ?");
        if (!rc && !s) rc = DB_ERROR;
        int64_t pairs[256][2];
        int np = 0;
        if (s) {
            db_bind_int64(s, 1, m->new_case_id);
            db_bind_int64(s, 2, m->case_id);
            while (db_step(s) == DB_ROW && np < 256) {
                pairs[np][0] = db_col_int64(s, 0);
                pairs[np++][1] = db_col_int64(s, 1);
            }
            db_finalize(s);
        }
        for (int i = 0; !rc && i < np; i++) {
            rc = db_exec_ids(c, "UPDATE credit_entry SET party_id = ? WHERE case_id = ? AND party_id = ?", 3, pairs[i][1],
                          m->new_case_id, pairs[i][0]);
            if (!rc)
                rc = db_exec_ids(c, "UPDATE credit_decision SET party_id = ? WHERE case_id = ? AND party_id = ?", 3, pairs[i][1],
                              m->new_case_id, pairs[i][0]);
        }
    }
    if (!rc && n) {
        zx_cd_case ok;
        const zx_court *from = zx_court_by_id(m->from_court);
        rc = zx_cd_case_load(c, m->case_id, &ok) == 0 ? 0 : DB_ERROR;
        json_t *out = json_pack("{s:O,s:i,s:o,s:s,s:s,s:s}", "entries", moved, "entries_moved", n, "new_case_id",
                                jid(m->new_case_id), "new_case_no", nk.case_no, "moved_to", to ? to->code : "", "label",
                                "移送执行不是终结执行的删除事由（失信规定第十条第七项），失信、限消信息随案由新案执行法院管理");
        json_t *in = json_pack("{s:O,s:i,s:o,s:s,s:s}", "entries", moved, "entries_moved", n, "parent_case_id", jid(m->case_id),
                               "parent_case_no", m->case_no ? m->case_no : "", "transferred_from", from ? from->code : "");
        if (!rc) rc = zx_cd_case_event(c, &ok, r->who.user_id, "credit_moved_out", zx_today(), out);
        if (!rc) rc = zx_cd_case_event(c, &nk, r->who.user_id, "credit_moved_in", zx_today(), in);
        json_decref(out);
        json_decref(in);
    }
    json_decref(moved);
    if (rc) zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return rc ? -1 : 0;
}
ZX_CASE_MOVE_HOOK(credit_move)
