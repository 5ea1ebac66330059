/* demo.c — the demo courts' money (`zhixing init --demo`, ZX_DEMO order 100), posted through the real
 * ledger path (zx_funds_arrival, payouts, deferrals), so the case accounts, the 待认领 list, the
 * approvals, the overdue buckets and reconciliation all show realistic, lawful data. Deterministic:
 * the open cases of each basic court in id order, a fixed pattern per case:
 *   0 paid in 2 days ago, not yet paid out (within the limit)
 *   1 paid in 13 days ago, not paid out (past the 7-working-day local limit: bucket > 10)
 *   2 paid in 40 days ago, not paid out (past the 30-day limit of 法发〔2017〕6号: bucket > 30)
 *   3 paid in 20 days ago and paid out to the applicant (fee settled, bank confirmed)
 *   4 a large sum 12 days ago with a payout awaiting the 执行局长 (≥ ¥100,000)
 *   5 paid in 16 days ago, payout deferred (参与分配 pending) with the chief's approval
 * plus, on one more case per court, a 参与分配 plan (民诉解释 arts 506–510): money in 28 days ago, the plan
 * deferred (暂缓发放: 参与分配) with the 执行局长's approval, the plan served 22 days ago, no objection within its
 * 15 days (art 509) so final and the deferral ended, its cost line paid out (bank
 * confirmed), the other creditor's line sent to the bank, the applicant's line still to pay (按方案发放);
 * plus three unidentified receipts per court (one past its claim deadline), and each court's
 * 专户 registered with an account number and yesterday's closing balance matching the ledger.
 * The demo judges and 执行局长 get work mobiles (sealed through core/pii, as PUT /api/v1/notify/contact
 * stores them), so the server's first payout-clock pass warns the judges and escalates to the chiefs by
 * SMS: the simulator's outbox (GET /sms/v1/messages) shows them. */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "funds/alerts.h"
#include "funds/distribution.h"
#include "funds/funds.h"
#include "funds/payouts.h"

typedef struct cand {
    int64_t id, court, handler, claim, recovered;
    char applicant[128];
} cand;

static int64_t chief_of(db_conn *c, int64_t court)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & 64) <> 0 ORDER BY id LIMIT 1");
    if (!s) return 0;
    db_bind_int64(s, 1, court);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static void date_ago(int days, char out[11])
{
    zx_date_format(zx_today() - days, out);
}

/* The debtor pays `amount` into the case's account `days` ago (a bank notice through the one arrival
 * path). 0, 1 (refused) or < 0; *acc gets the case account. */
static int pay_in(db_conn *c, const cand *k, int64_t amount, int days, const char *tag, const char *remark,
                  zx_fund_account *acc)
{
    char booked[11], ref[48], err[256];
    date_ago(days, booked);
    snprintf(ref, sizeof ref, "%s%lld", tag, (long long)k->id);
    if (zx_funds_case_account(c, k->id, acc) < 0) return -1;
    zx_funds_arrival_in in = { .source = "bank_notice", .bank_ref = ref, .court_id = k->court, .account_no = acc->account_no,
                               .amount_fen = amount, .payer_name = "被执行人", .remark = remark, .booked_on = booked };
    zx_funds_arrival_out o;
    return zx_funds_arrival(c, &in, &o, err, sizeof err);
}

static int one_case(db_conn *c, const cand *k, int pattern, int n)
{
    static const int ago[6] = { 2, 13, 40, 20, 12, 16 };
    int64_t room = k->claim - k->recovered;
    int64_t amount = pattern == 4 ? 18000000 : 300000 + (int64_t)(n % 7) * 125000; /* ¥180,000 / ¥3,000–¥10,500 */
    if (amount > room) amount = room;
    if (amount <= 0) return 0;
    char booked[11];
    date_ago(ago[pattern], booked);
    zx_fund_account acc;
    int rc = pay_in(c, k, amount, ago[pattern], "DEMO-", "履行款", &acc);
    if (rc < 0) return rc;
    if (rc == 1) return 0;
    zx_funds_err e;
    if (pattern == 3 || pattern == 4) {
        int64_t fee = zx_funds_fee_due(c, k->id, acc.id);
        int64_t pay = amount - (fee > 0 ? fee : 0);
        if (pay <= 0) return 0;
        zx_payout_in p = { .payee_name = k->applicant, .payee_bank = "中国工商银行沈阳分行", .payee_account = "6222020400098765432",
                           .amount_fen = pay };
        int64_t pid;
        if (zx_funds_payout_propose(c, k->id, k->handler, &p, &pid, &e)) return 0;
        if (pattern == 3) {
            char bref[48];
            snprintf(bref, sizeof bref, "%.4s%.2s%.2s%012lld", booked, booked + 5, booked + 8, (long long)(k->id % 1000000000000LL));
            if (zx_funds_payout_result(c, pid, 0, true, bref, NULL, &e) < 0) return -1;
        }
    } else if (pattern == 5) {
        int64_t did, chief = chief_of(c, k->court);
        if (zx_funds_deferral_request(c, k->id, k->handler, "distribution", "其他债权人申请参与分配，分配方案尚未确定", &did, &e))
            return 0;
        if (chief && zx_funds_deferral_decide(c, did, chief, ROLE_CHIEF, true, "同意暂缓发放", &e) < 0) return -1;
        if (chief && zx_approval_settle(c, NULL, "funds_deferral", k->id, did, true, "同意暂缓发放") < 0) return -1;
    }
    return 0;
}

/* A final 参与分配 plan being paid out (the head comment). 0, or < 0 on a store error; a refusal (the case
 * cannot carry it) leaves nothing of it and returns 0. Inside the caller's transaction. */
static int plan_case(db_conn *c, const cand *k)
{
    int64_t amount = 12000000; /* ¥120,000 */
    if (k->claim - k->recovered < amount) return 0;
    char err[256];
    zx_fund_account acc;
    int rc = pay_in(c, k, amount, 28, "DEMO-D-", "执行款", &acc);
    if (rc) return rc < 0 ? -1 : 0;
    /* admitted claims: the appraisal fee (执行费用, first — art 508), the applicant, another creditor who
       joined with an enforceable title (art 506) */
    zx_dist_claim cl[3];
    memset(cl, 0, sizeof cl);
    snprintf(cl[0].creditor, sizeof cl[0].creditor, "辽宁某资产评估有限公司"); /* its appraisal fee */
    snprintf(cl[0].klass, sizeof cl[0].klass, "cost");
    cl[0].claim_fen = 360000;
    snprintf(cl[1].creditor, sizeof cl[1].creditor, "%s", k->applicant);
    snprintf(cl[1].klass, sizeof cl[1].klass, "ordinary");
    cl[1].claim_fen = k->claim - k->recovered;
    snprintf(cl[2].creditor, sizeof cl[2].creditor, "沈阳某建材有限公司");
    snprintf(cl[2].klass, sizeof cl[2].klass, "ordinary");
    cl[2].claim_fen = 15000000;
    /* the money waits for the plan: 暂缓发放 for 参与分配 with the 执行局长's approval (法发〔2017〕6号) */
    zx_funds_err e;
    memset(&e, 0, sizeof e);
    int64_t did = 0, chief = chief_of(c, k->court);
    if (zx_funds_deferral_request(c, k->id, k->handler, "distribution", "其他债权人申请参与分配，分配方案尚未确定", &did, &e))
        return 0;
    if (chief && zx_funds_deferral_decide(c, did, chief, ROLE_CHIEF, true, "同意暂缓发放", &e) < 0) return -1;
    if (chief && zx_approval_settle(c, NULL, "funds_deferral", k->id, did, true, "同意暂缓发放") < 0) return -1;
    int64_t id = 0;
    rc = zx_distribution_create(c, k->id, k->handler, amount, false, cl, 3, &id, err, sizeof err);
    if (rc) return rc < 0 ? -1 : 0;
    /* made three days before it was served (the demo writes the whole history today) */
    db_stmt *s = db_prepare(c, "UPDATE fund_distribution SET created_ms = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_now_ms() - 25LL * 86400000);
    db_bind_int64(s, 2, id);
    rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc) return -1;
    char served[11];
    date_ago(22, served);
    if ((rc = zx_distribution_serve(c, id, k->handler, served, err, sizeof err)) != 0) return rc < 0 ? -1 : 0;
    if ((rc = zx_distribution_outcome(c, id, k->handler, "no_objection", NULL, err, sizeof err)) != 0) return rc < 0 ? -1 : 0;
    /* the plan became final the day after its window: the deferral's reason ended then (10 days to pay) */
    char ended[11] = "";
    json_t *pj = zx_distribution_json(c, id, NULL);
    zx_date due;
    if (!pj || zx_date_parse(json_string_value(json_object_get(pj, "objection_due_on")), &due)) {
        json_decref(pj);
        return -1;
    }
    json_decref(pj);
    zx_date_format(due + 1, ended);
    if (chief && zx_funds_deferral_end(c, did, k->handler, ended, &e) < 0) return -1;
    zx_dist_line l;
    int64_t pid;
    /* line 1: the appraisal fee, paid and confirmed by the bank */
    if (zx_distribution_line(c, id, 1, &l) != 0) return -1;
    zx_payout_in p1 = { .payee_bank = "中国建设银行沈阳分行", .payee_account = "6217000130001234567", .amount_fen = l.share_fen,
                        .distribution_id = id, .distribution_ord = 1 };
    rc = zx_funds_payout_propose(c, k->id, k->handler, &p1, &pid, &e);
    if (rc) return rc < 0 ? -1 : 0;
    char bref[48];
    snprintf(bref, sizeof bref, "D%.4s%.2s%.2s%011lld", served, served + 5, served + 8, (long long)(k->id % 100000000000LL));
    if (zx_funds_payout_result(c, pid, 0, true, bref, NULL, &e) < 0) return -1;
    /* line 3: the other creditor's share, proposed (awaiting the 执行局长 or the bank by the court's tier) */
    if (zx_distribution_line(c, id, 3, &l) != 0) return -1;
    zx_payout_in p3 = { .payee_bank = "盛京银行沈阳分行", .payee_account = "6229090012345678901", .amount_fen = l.share_fen,
                        .distribution_id = id, .distribution_ord = 3 };
    rc = zx_funds_payout_propose(c, k->id, k->handler, &p3, &pid, &e);
    return rc < 0 ? -1 : 0;
}

/* Work mobiles of the demo judges and chiefs: 1390 + seven digits in user order (fictitious numbers of the
 * simulated gateway). One transaction. 0 or -1. */
static int demo_mobiles(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE username LIKE 'demo\\_%' ESCAPE '\\' AND (roles & ?) <> 0"
                               " AND NOT EXISTS (SELECT 1 FROM staff_contact k WHERE k.user_id = app_user.id) ORDER BY id");
    if (!s) return -1;
    db_bind_int64(s, 1, ROLE_JUDGE | ROLE_CHIEF);
    int64_t ids[512];
    int n = 0;
    while (n < 512 && db_step(s) == DB_ROW) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    if (db_begin(c)) return -1;
    for (int i = 0; i < n; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "1390%07d", 100 + i);
        if (zx_staff_phone_set(c, ids[i], phone)) {
            db_rollback(c);
            return -1;
        }
    }
    return db_commit(c) ? -1 : 0;
}

static int demo_funds(zx_app *app, unsigned seed)
{
    (void)seed;
    db_conn *c = db_acquire(app->db);
    int ret = demo_mobiles(c);
    db_stmt *s = db_prepare(c, "SELECT id, code FROM court WHERE level = 4 ORDER BY id");
    int64_t courts[64];
    char codes[64][24];
    int nc = 0;
    while (s && db_step(s) == DB_ROW && nc < 64) {
        courts[nc] = db_col_int64(s, 0);
        snprintf(codes[nc], sizeof codes[nc], "%s", db_col_text(s, 1));
        nc++;
    }
    if (s) db_finalize(s);
    int total = 0;
    for (int ci = 0; ci < nc && ret == 0; ci++) {
        cand k[25];
        int n = 0;
        s = db_prepare(c, "SELECT e.id, e.court_id, e.handler_id, e.claim_fen, e.recovered_fen,"
                          " (SELECT p.name FROM case_party p WHERE p.case_id = e.id AND p.role = 'applicant' ORDER BY p.ord LIMIT 1)"
                          " FROM enf_case e WHERE e.court_id = ? AND e.status = 'open' AND e.handler_id IS NOT NULL"
                          " AND e.claim_fen > e.recovered_fen + 400000 ORDER BY e.id LIMIT 25");
        if (!s) {
            ret = -1;
            break;
        }
        db_bind_int64(s, 1, courts[ci]);
        while (db_step(s) == DB_ROW && n < 25) {
            k[n].id = db_col_int64(s, 0);
            k[n].court = db_col_int64(s, 1);
            k[n].handler = db_col_int64(s, 2);
            k[n].claim = db_col_int64(s, 3);
            k[n].recovered = db_col_int64(s, 4);
            snprintf(k[n].applicant, sizeof k[n].applicant, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "申请执行人");
            n++;
        }
        db_finalize(s);
        if (n == 0) continue;
        if (db_begin(c)) {
            ret = -1;
            break;
        }
        /* the 专户 with its number */
        int64_t bank = zx_funds_court_account(c, courts[ci], ZX_ACC_BANK);
        char no[24];
        snprintf(no, sizeof no, "62220204%011lld", (long long)(700000 + ci * 13));
        s = bank > 0 ? db_prepare(c, "UPDATE fund_account SET account_no = ?, name = ? WHERE id = ? AND account_no IS NULL") : NULL;
        if (!s) ret = -1;
        else {
            char nm[160];
            const zx_court *ct = zx_court_by_id(courts[ci]);
            snprintf(nm, sizeof nm, "%.96s执行款专户（中国工商银行）", ct ? ct->name : codes[ci]);
            db_bind_text(s, 1, no, -1);
            db_bind_text(s, 2, nm, -1);
            db_bind_int64(s, 3, bank);
            if (db_step(s) != DB_DONE) ret = -1;
            db_finalize(s);
        }
        /* the 25th case (if any) carries the 参与分配 plan; the first 24 the patterns */
        for (int i = 0; i < n && i < 24 && ret == 0; i++) ret = one_case(c, &k[i], i % 6, i);
        if (n == 25 && ret == 0) ret = plan_case(c, &k[24]);
        /* 待认领 */
        static const char *payers[3] = { "沈阳某物流有限公司", "刘某", "某某贸易商行" };
        for (int u = 0; u < 3 && ret == 0; u++) {
            char booked[11], ref[48], err[256];
            date_ago(u == 0 ? 9 : u, booked);
            snprintf(ref, sizeof ref, "DEMO-U-%lld-%d", (long long)courts[ci], u);
            zx_funds_arrival_in in = { .source = "statement", .bank_ref = ref, .court_id = courts[ci], .bank_account_id = bank,
                                       .amount_fen = 150000 + u * 88800, .payer_name = payers[u], .remark = u == 1 ? "还款" : "货款",
                                       .booked_on = booked };
            zx_funds_arrival_out o;
            if (zx_funds_arrival(c, &in, &o, err, sizeof err) < 0) ret = -1;
        }
        /* the bank's closing balance of yesterday = the ledger's on that date (reconciliation starts balanced) */
        if (ret == 0) {
            s = db_prepare(c, "INSERT INTO fund_bank_balance (bank_account_id, as_of, balance_fen, source, recorded_ms) VALUES (?, ?,"
                              " COALESCE((SELECT SUM(amount) FROM fund_transfer WHERE debit_account_id = ? AND (flags & 10) = 0"
                              " AND booked_on <= ?), 0) - COALESCE((SELECT SUM(amount) FROM fund_transfer WHERE credit_account_id = ?"
                              " AND (flags & 10) = 0 AND booked_on <= ?), 0), 'demo', 0)");
            char y[11];
            date_ago(1, y);
            if (!s) ret = -1;
            else {
                db_bind_int64(s, 1, bank);
                db_bind_text(s, 2, y, -1);
                db_bind_int64(s, 3, bank);
                db_bind_text(s, 4, y, -1);
                db_bind_int64(s, 5, bank);
                db_bind_text(s, 6, y, -1);
                if (db_step(s) != DB_DONE) ret = -1;
                db_finalize(s);
            }
        }
        if (ret == 0 && db_commit(c)) ret = -1;
        if (ret) db_rollback(c);
        total += n;
    }
    db_release(app->db, c);
    if (ret) LOG_ERROR("funds demo: failed");
    else LOG_INFO("funds demo: money on %d cases in %d courts", total, nc);
    return ret;
}
ZX_DEMO("funds", 100, demo_funds)
