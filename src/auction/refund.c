/* refund.c — the price of a sale set aside goes back to its buyer through the funds ledger.
 *
 * When a paid and ruled sale is turned back (creditor.c, the 执行回转裁定), the buyer gets back what it
 * paid in money (网拍规定 art 31: the sale revoked; 民法典 art 157: what was obtained under an act set
 * aside is returned) the way every fen leaves the court here: as a payout of the funds module
 * (zx_funds_payout_propose — a linked chain of pending transfers case → payee → 专户, the approval tier
 * of the court, the bank's confirmation posting it), the buyer as the payee, no 申请执行费 out of it
 * (src/rules/auction.h ZX_REFUND_SETTLES_FEE). Nobody types a payout:
 *   - the ruling itself proposes what the original case account still holds (started_by "ruling");
 *   - what had been paid out already is recovered from the applicant in the 执行回转 case (执行工作规定
 *     art 65); every arrival there proposes the next part for an outside buyer (a case-event
 *     subscriber on funds_arrival / funds_claimed, started_by "arrival");
 *   - staff register or correct the refund account and start what is still due — after a refusal by
 *     the bank, say (POST /lots/:id/restitution/refund, started_by "staff").
 * Each proposal is an auction_refund row, a case event (disposal step restitution_refund, a node on
 * the parties' timeline) and, in the request's transaction, its audit record. The refund account is
 * sealed through core/pii (auction_restitution.refund_account_enc). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auction/auction.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "core/pii.h"
#include "funds/funds.h"
#include "funds/ledger.h"
#include "funds/payouts.h"
#include "rules/auction.h"

ZX_PII_COLUMN(auction_restitution, refund_account_enc, ZX_PII_BANK_ACCOUNT)

/* The refund account of a request body: refund_bank + refund_account (both or neither). The account is
 * replaced in the body by its masked form, so the request's audit record never holds it in clear.
 * 0 (given tells whether it was there) or 1 (e: 400). */
int zx_au_refund_account_parse(json_t *b, const char **bank, char account[48], bool *given, zx_au_err *e)
{
    const char *bk = json_string_value(json_object_get(b, "refund_bank"));
    const char *ac = json_string_value(json_object_get(b, "refund_account"));
    *given = false;
    *bank = NULL;
    account[0] = 0;
    if (!bk && !ac && !json_object_get(b, "refund_bank") && !json_object_get(b, "refund_account")) return 0;
    size_t n = 0;
    bool ok = bk && *bk && strlen(bk) <= 100 && ac;
    for (const char *p = ac; ok && *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n >= 32) ok = false;
            else account[n++] = *p;
        } else if (*p != ' ' && *p != '-') ok = false;
    }
    account[n] = 0;
    if (!ok || n < 8) {
        account[0] = 0;
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写买受人退款的开户行和银行账号（8 至 32 位数字）");
        return 1;
    }
    *bank = bk;
    *given = true;
    char *m = zx_pii_mask(ZX_PII_BANK_ACCOUNT, account);
    json_object_set_new(b, "refund_account", json_string(m ? m : "****"));
    free(m);
    return 0;
}

/* Seal and store the refund account of a restitution. 0 or -1. */
int zx_au_refund_account_store(db_conn *c, int64_t rid, const char *bank, const char *account)
{
    db_stmt *s = db_prepare(c, "UPDATE auction_restitution SET refund_bank = ?, refund_account_enc = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, bank, -1);
    zx_funds_bind_account(s, 2, account);
    db_bind_int64(s, 3, rid);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

typedef struct rest_row {
    int64_t id, lot_id, orig_case, rest_case, returned, owed;
    bool thing, in_kind, has_account;
    char status[16], payee[256], bank[128], account[48];
} rest_row;

static int rest_load(db_conn *c, int64_t rid, rest_row *x)
{
    memset(x, 0, sizeof *x);
    db_stmt *s = db_prepare(c, "SELECT x.id, x.lot_id, l.case_id, COALESCE(x.case_id, 0), x.returned_fen, x.owed_fen, x.thing, x.in_kind,"
                               " x.status, COALESCE(x.refund_payee, ''), COALESCE(x.refund_bank, ''), x.refund_account_enc"
                               " FROM auction_restitution x JOIN auction_lot l ON l.id = x.lot_id WHERE x.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        x->id = db_col_int64(s, 0);
        x->lot_id = db_col_int64(s, 1);
        x->orig_case = db_col_int64(s, 2);
        x->rest_case = db_col_int64(s, 3);
        x->returned = db_col_int64(s, 4);
        x->owed = db_col_int64(s, 5);
        x->thing = db_col_int64(s, 6) != 0;
        x->in_kind = db_col_int64(s, 7) != 0;
        snprintf(x->status, sizeof x->status, "%s", db_col_text(s, 8));
        snprintf(x->payee, sizeof x->payee, "%s", db_col_text(s, 9));
        snprintf(x->bank, sizeof x->bank, "%s", db_col_text(s, 10));
        char *a = zx_pii_col(s, 11, ZX_PII_BANK_ACCOUNT);
        if (a && *a) {
            snprintf(x->account, sizeof x->account, "%s", a);
            x->has_account = true;
        }
        zx_pii_free(a);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* What active refund payouts (not failed, returned or cancelled) of a restitution already carry from
 * one case account. */
static int64_t refunded(db_conn *c, int64_t rid, int64_t case_id)
{
    db_stmt *s = db_prepare(c, "SELECT COALESCE(SUM(f.amount_fen), 0) FROM auction_refund f JOIN fund_payout p ON p.id = f.payout_id"
                               " WHERE f.restitution_id = ? AND f.case_id = ? AND p.status IN ('pending_approval', 'approved', 'sent', 'paid')");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    db_bind_int64(s, 2, case_id);
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return v;
}

static int refund_event(db_conn *c, const rest_row *x, int64_t case_id, int64_t user_id, int64_t payout_id, int64_t amount,
                        bool needs_chief, const char *started_by)
{
    char stage[24] = "", a[ZX_MONEY_BUF], label[200], pid[24], rid[24];
    db_stmt *s = db_prepare(c, "SELECT stage FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    if (db_step(s) == DB_ROW) snprintf(stage, sizeof stage, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    db_finalize(s);
    zx_money_format(amount, a);
    snprintf(label, sizeof label, "执行回转：退还%s已付价款 %s 元（网拍规定第三十一条，民法典第一百五十七条）",
             x->in_kind ? "抵债承受人" : "买受人", a);
    snprintf(pid, sizeof pid, "%lld", (long long)payout_id);
    snprintf(rid, sizeof rid, "%lld", (long long)x->id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:b,s:s}", "step", "restitution_refund", "label", label, "restitution_id", rid,
                          "payout_id", pid, "amount_fen", (json_int_t)amount, "payee", x->payee, "needs_chief", needs_chief,
                          "started_by", started_by);
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, "disposal", stage, zx_today(), d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

/* Propose from one case account what is due from it (at most what it holds now). 0, 1 (e) or -1. */
static int propose_from(db_conn *c, const rest_row *x, int64_t case_id, int64_t due, int64_t user_id, const char *started_by,
                        int64_t *total, zx_au_err *e)
{
    if (due <= 0 || case_id <= 0) return 0;
    zx_fund_account ca;
    if (zx_funds_case_account(c, case_id, &ca) < 0) return -1;
    int64_t avail = zx_ledger_available(&ca), amount = due < avail ? due : avail;
    if (amount <= 0) return 0;
    if (!x->has_account) {
        zx_au_fail(e, 409, "REFUND_ACCOUNT_REQUIRED", "价款须退还%s：请先在处置面板登记其退款开户行和账号", x->in_kind ? "抵债承受人" : "买受人");
        return 1;
    }
    zx_payout_in in = { .kind = "payout", .payee_name = x->payee, .payee_bank = x->bank, .payee_account = x->account,
                        .amount_fen = amount, .no_fee = !ZX_REFUND_SETTLES_FEE,
                        .payee_role = x->in_kind ? "抵债承受人（执行回转退款）" : "买受人（执行回转退款）" };
    int64_t pid = 0;
    zx_funds_err fe = { 0 };
    int rc = zx_funds_payout_propose(c, case_id, user_id, &in, &pid, &fe);
    if (rc < 0) return -1;
    if (rc > 0) {
        zx_au_fail(e, fe.status, fe.code, "%s", fe.message);
        return 1;
    }
    zx_payout p;
    if (zx_funds_payout_load(c, pid, &p)) return -1;
    db_stmt *s = db_prepare(c, "INSERT INTO auction_refund (id, restitution_id, case_id, payout_id, amount_fen, started_by, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, x->id);
    db_bind_int64(s, 3, case_id);
    db_bind_int64(s, 4, pid);
    db_bind_int64(s, 5, amount);
    db_bind_text(s, 6, started_by, -1);
    db_bind_int64(s, 7, zx_now_ms());
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (refund_event(c, x, case_id, user_id, pid, amount, p.needs_chief, started_by)) return -1;
    *total += amount;
    return 0;
}

/* Propose every refund still due on a ruled restitution, from the original case account and (for an
 * outside buyer) the 执行回转 case account. *total = what was proposed now. 0, 1 (e) or -1. */
int zx_au_refund_propose(db_conn *c, int64_t rid, int64_t user_id, const char *started_by, int64_t *total, zx_au_err *e)
{
    *total = 0;
    rest_row x;
    int rc = rest_load(c, rid, &x);
    if (rc) return rc < 0 ? -1 : 0;
    if (strcmp(x.status, "ruled")) return 0;
    int64_t r1 = refunded(c, rid, x.orig_case), r2 = x.rest_case ? refunded(c, rid, x.rest_case) : 0;
    if (r1 < 0 || r2 < 0) return -1;
    zx_refund_due due;
    zx_auction_refund_due(x.returned, x.owed, x.thing, r1, r2, &due);
    rc = propose_from(c, &x, x.orig_case, due.from_case, user_id, started_by, total, e);
    if (rc) return rc;
    return propose_from(c, &x, x.rest_case, due.from_restitution, user_id, started_by, total, e);
}

/* {refunds:[…], refund_due:{from_case, from_restitution}, refund_payee, refund_bank, refund_account
 * (masked)} of a restitution, for the staff view. */
void zx_au_refund_json(db_conn *c, int64_t rid, json_t *o)
{
    rest_row x;
    if (rest_load(c, rid, &x)) return;
    json_t *a = json_array();
    db_stmt *s = db_prepare(c, "SELECT f.payout_id, f.case_id, f.amount_fen, f.started_by, p.status, p.needs_chief, e.case_no"
                               " FROM auction_refund f JOIN fund_payout p ON p.id = f.payout_id JOIN enf_case e ON e.id = f.case_id"
                               " WHERE f.restitution_id = ? ORDER BY f.created_ms");
    if (s) {
        db_bind_int64(s, 1, rid);
        while (db_step(s) == DB_ROW) {
            char pid[24], cid[24];
            snprintf(pid, sizeof pid, "%lld", (long long)db_col_int64(s, 0));
            snprintf(cid, sizeof cid, "%lld", (long long)db_col_int64(s, 1));
            json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:s,s:s,s:b,s:s}", "payout_id", pid, "case_id", cid, "amount_fen",
                                               (json_int_t)db_col_int64(s, 2), "started_by", db_col_text(s, 3), "status",
                                               db_col_text(s, 4), "needs_chief", db_col_int64(s, 5) != 0, "case_no",
                                               db_col_text(s, 6)));
        }
        db_finalize(s);
    }
    json_object_set_new(o, "refunds", a);
    int64_t r1 = refunded(c, rid, x.orig_case), r2 = x.rest_case ? refunded(c, rid, x.rest_case) : 0;
    zx_refund_due due = { 0, 0 };
    if (!strcmp(x.status, "ruled") && r1 >= 0 && r2 >= 0) zx_auction_refund_due(x.returned, x.owed, x.thing, r1, r2, &due);
    json_object_set_new(o, "refund_due", json_pack("{s:I,s:I}", "from_case", (json_int_t)due.from_case, "from_restitution",
                                                   (json_int_t)due.from_restitution));
    json_object_set_new(o, "thing", json_boolean(x.thing));
    json_object_set_new(o, "refund_payee", x.payee[0] ? json_string(x.payee) : json_null());
    json_object_set_new(o, "refund_bank", x.bank[0] ? json_string(x.bank) : json_null());
    char *m = x.has_account ? zx_pii_mask(ZX_PII_BANK_ACCOUNT, x.account) : NULL;
    json_object_set_new(o, "refund_account", m ? json_string(m) : json_null());
    free(m);
}

/* POST /lots/:id/restitution/refund {refund_bank?, refund_account?} — register (or correct) the
 * account the buyer is paid back to, and propose what is still due and held (started_by "staff"). */
int zx_au_restitution_refund(zx_req *r, db_conn *c, int64_t lot_id, json_t *b, int64_t *obj, zx_au_err *e)
{
    const char *bank = NULL;
    char account[48];
    bool given = false;
    if (zx_au_refund_account_parse(b, &bank, account, &given, e)) return 1;
    db_stmt *s = db_prepare(c, "SELECT id, status FROM auction_restitution WHERE lot_id = ? AND status IN ('pending', 'ruled')"
                               " ORDER BY created_ms DESC LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, lot_id);
    int64_t rid = 0;
    char st[16] = "";
    if (db_step(s) == DB_ROW) {
        rid = db_col_int64(s, 0);
        snprintf(st, sizeof st, "%s", db_col_text(s, 1));
    }
    db_finalize(s);
    if (!rid) {
        zx_au_fail(e, 409, "INVALID_STATE", "该标的没有执行回转，无需退还价款");
        return 1;
    }
    if (!strcmp(st, "pending") && !given) {
        zx_au_fail(e, 400, "VALIDATION_FAILED", "请填写买受人退款的开户行和银行账号");
        return 1;
    }
    rest_row x;
    if (rest_load(c, rid, &x)) return -1;
    /* the lock order of case writes on PostgreSQL: the audit head and the lot's case row before the
     * ledger's account rows (ARCHITECTURE.md, Store) */
    if (zx_case_lock(c, x.orig_case)) return -1;
    if (given && zx_au_refund_account_store(c, rid, bank, account)) return -1;
    *obj = rid;
    int64_t total = 0;
    if (!strcmp(st, "ruled")) {
        int rc = zx_au_refund_propose(c, rid, r ? r->who.user_id : 0, "staff", &total, e);
        if (rc) return rc;
        if (total == 0 && !given) {
            zx_au_fail(e, 409, "NOTHING_TO_REFUND", "没有可退还的价款：已全部发起退款，或案款账户暂无可用余额");
            return 1;
        }
    }
    if (given) { /* the account itself is a step of the file (without the number) */
        char rids[24];
        snprintf(rids, sizeof rids, "%lld", (long long)rid);
        json_t *d = json_pack("{s:s,s:s}", "restitution_id", rids, "refund_bank", bank);
        int64_t ev = zx_au_case_event(c, x.orig_case, r ? r->who.user_id : 0, NULL, "restitution_refund_account",
                                      "登记执行回转退款账户", d);
        json_decref(d);
        if (ev < 0) return -1;
    }
    return 0;
}

/* Case-event subscriber: money reaching a 执行回转 case whose original sale's buyer is still owed its
 * price (an outside buyer; 执行工作规定 art 65) starts the next refund payout in the same transaction.
 * A refusal of the funds module (a deferral, …) leaves the money where it is: staff start it later. */
static int refund_on_arrival(db_conn *c, int64_t case_id, int seq, const char *kind)
{
    (void)seq;
    if (strcmp(kind, "funds_arrival") && strcmp(kind, "funds_claimed")) return 0;
    db_stmt *s = db_prepare(c, "SELECT id FROM auction_restitution WHERE case_id = ? AND status = 'ruled' AND thing = 0 AND owed_fen > 0"
                               " AND refund_account_enc IS NOT NULL");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t ids[4];
    int n = 0;
    while (n < 4 && db_step(s) == DB_ROW) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        int64_t total = 0;
        zx_au_err e = { 0 };
        int rc = zx_au_refund_propose(c, ids[i], 0, "arrival", &total, &e);
        if (rc < 0) return -1;
        if (rc > 0) {
            LOG_WARN("auction: refund of restitution %lld not proposed on arrival: %s", (long long)ids[i], e.code);
            continue;
        }
        if (total <= 0) continue;
        char oid[24], detail[96];
        snprintf(oid, sizeof oid, "%lld", (long long)ids[i]);
        snprintf(detail, sizeof detail, "{\"case_id\":\"%lld\",\"amount_fen\":%lld}", (long long)case_id, (long long)total);
        zx_audit_rec a = { .user_id = 0, .username = "system", .action = "auction.restitution_refund", .object_type = "auction_restitution",
                           .object_id = oid, .result = "ok", .detail = detail };
        if (zx_audit_write(c, &a)) return -1;
    }
    return 0;
}
ZX_CASE_EVENT_SUBSCRIBER(refund_on_arrival)
