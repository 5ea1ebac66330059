/* move.c — what follows a case that moves to another court (提级执行 / 指定执行 / 交叉执行,
 * supervision.c move_case), in the caller's transaction. The move itself is the case module's
 * (zx_case_transfer, src/case/case.h): the old court's case closes by 终结执行 (立案结案意见 art 17) and
 * the new court files a new case linked to it. What the enforcement holds goes to the new case:
 *
 *  - 查控: the assets found for the case, its freezes/seizures (asset_control, with their legal end dates
 *    and renewal clocks) and the protocol requests not yet answered move to the new court's case — the
 *    receiving court sees them in its control register, renews, releases and deducts; a request still to
 *    be sent goes out under the new court's seal. Past query runs and answered requests stay with the old
 *    case and court (its 查控 statistics, the old case's history).
 *  - 案款 (一案一账号): the new case has its own account (opened at its filing). The balance of the old
 *    case's account goes to it, and the same amount leaves the old court's 执行款专户 for the new court's
 *    (ZX_TC_COURT_TRANSFER, two ledger transfers), so that each court's reconciliation identity
 *    (ledger.h: Σ BANK = Σ CASE + …) still holds for both courts. Money in flight (a pending transfer,
 *    money on a payee account, or a payout between proposal and the bank's confirmation) cannot be split
 *    between two courts' books: the move is refused with FUNDS_IN_FLIGHT until it settles. Open
 *    deferrals move with the money; past payouts stay with the old case.
 * Returns 0, ZX_CMD_MOVE_FUNDS_IN_FLIGHT, or < 0 (store error); *out gets the counts moved (for the case
 * events and the audit records). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/command.h"
#include "core/date.h"
#include "core/ids.h"
#include "funds/ledger.h"

static int exec3(db_conn *c, const char *sql, int64_t a, int64_t b, int64_t d, int64_t *changed)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    db_bind_int64(s, 3, d);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    if (!rc && changed) *changed = db_changes(s);
    db_finalize(s);
    return rc;
}

static int64_t count1(db_conn *c, const char *sql, int64_t a)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return n;
}

int zx_cmd_move_holdings(db_conn *c, int64_t case_id, int64_t new_case_id, int64_t from_court, int64_t to_court,
                         zx_cmd_moved *out)
{
    memset(out, 0, sizeof *out);
    /* money in flight? (pending totals on the case's accounts, money on a payee account, or a payout not
     * yet paid or ended) */
    int64_t pend = count1(c, "SELECT COUNT(*) FROM fund_account WHERE case_id = ? AND kind IN (2, 7)"
                             " AND (debits_pending <> 0 OR credits_pending <> 0 OR (kind = 7 AND credits_posted <> debits_posted))",
                          case_id);
    int64_t open_pay = count1(c, "SELECT COUNT(*) FROM fund_payout WHERE case_id = ?"
                                 " AND status IN ('pending_approval', 'approved', 'sent')", case_id);
    if (pend < 0 || open_pay < 0) return -1;
    if (pend > 0 || open_pay > 0) return ZX_CMD_MOVE_FUNDS_IN_FLIGHT;

    /* 查控: to the new court's case */
    if (exec3(c, "UPDATE asset SET court_id = ?, case_id = ? WHERE case_id = ?", to_court, new_case_id, case_id,
              &out->assets))
        return -1;
    if (exec3(c, "UPDATE asset_control SET court_id = ?, case_id = ? WHERE case_id = ?", to_court, new_case_id, case_id,
              &out->controls))
        return -1;
    if (exec3(c, "UPDATE inquiry_request SET court_id = ?, case_id = ? WHERE case_id = ? AND state NOT IN ('done', 'failed')",
              to_court, new_case_id, case_id, &out->requests))
        return -1;

    /* 案款: the balance of the old case's account goes to the new case's account (opened at its filing),
     * and the same amount from the old court's 专户 to the new court's — two transfers, so that each
     * court's identity Σ BANK = Σ CASE + … holds: old court −held on both sides, new court +held. */
    int64_t held = count1(c, "SELECT COALESCE(SUM(credits_posted - debits_posted), 0) FROM fund_account"
                             " WHERE case_id = ? AND kind = 2", case_id);
    if (held < 0) return -1;
    if (held > 0) {
        int64_t old_bank = zx_funds_court_account(c, from_court, ZX_ACC_BANK);
        int64_t new_bank = zx_funds_court_account(c, to_court, ZX_ACC_BANK);
        int64_t old_acc = zx_funds_case_account(c, case_id, NULL), new_acc = zx_funds_case_account(c, new_case_id, NULL);
        if (old_bank < 0 || new_bank < 0 || old_acc < 0 || new_acc < 0) return -1;
        char ref[64];
        snprintf(ref, sizeof ref, "move:%lld>%lld", (long long)case_id, (long long)new_case_id);
        zx_fund_transfer t = { .id = zx_id_new(), .debit_account_id = new_bank, .credit_account_id = old_bank,
                               .amount = held, .code = ZX_TC_COURT_TRANSFER, .case_id = case_id, .ref = ref };
        int tr = zx_ledger_transfer(c, &t);
        if (tr < 0) return -1;
        if (tr != ZX_TR_OK) return ZX_CMD_MOVE_FUNDS_IN_FLIGHT; /* the old 专户 cannot give it: nothing moved */
        zx_fund_transfer t2 = { .id = zx_id_new(), .debit_account_id = old_acc, .credit_account_id = new_acc,
                                .amount = held, .code = ZX_TC_COURT_TRANSFER, .case_id = new_case_id, .ref = ref };
        tr = zx_ledger_transfer(c, &t2);
        if (tr < 0) return -1;
        if (tr != ZX_TR_OK) return ZX_CMD_MOVE_FUNDS_IN_FLIGHT;
        out->transfer_id = t.id;
        out->accounts = 1;
    }
    out->held_fen = held;
    /* open deferrals (暂缓发放) follow the money; past payouts stay with the old case (its history) */
    if (exec3(c, "UPDATE fund_deferral SET court_id = ?, case_id = ? WHERE case_id = ?", to_court, new_case_id, case_id,
              NULL))
        return -1;
    return 0;
}

/* Cases moved away from the courts in scope (command.h): every 'case_moved' step that left one of the
 * courts, the case now being elsewhere — since migration 057 the case the new court filed (new_case_id;
 * the old court's own case is closed, 终结执行), before it the same case that changed court. Filters as
 * the list's: an exact 案号 (of either case), a substring of 案号 / party names, a status (of the old
 * court's case). Newest move first; page / size over the whole register (size 0 = all, for Excel). */
json_t *zx_cmd_moved_out(db_conn *c, const int64_t *courts, int n, const char *case_no, const char *text,
                         const char *status, int64_t page, int64_t size, int64_t *total)
{
    json_t *out = json_array();
    *total = 0;
    if (n <= 0) return out;
    size_t cap = 1400 + (size_t)n * 48, len = 0;
    char *sql = malloc(cap), *in = malloc((size_t)n * 24 + 8);
    if (!sql || !in) {
        free(sql);
        free(in);
        return out;
    }
    size_t il = 0;
    for (int i = 0; i < n; i++) il += (size_t)snprintf(in + il, 24, "%s%lld", i ? "," : "", (long long)courts[i]);
    len += (size_t)snprintf(sql + len, cap - len,
                            "SELECT e.id, e.case_no, e.court_id, e.type_code, e.status, e.applicant_name, e.debtor_name,"
                            " e.filed_on, e.closed_on, st.court_id, st.on_date, st.created_ms, nc.id, nc.case_no,"
                            " COALESCE(nc.court_id, e.court_id), e.closure_mode"
                            " FROM supervision_step st JOIN supervision_order o ON o.id = st.order_id"
                            " JOIN enf_case e ON e.id = o.case_id LEFT JOIN enf_case nc ON nc.id = st.new_case_id"
                            " WHERE st.kind = 'case_moved' AND st.court_id IN (%s)"
                            " AND COALESCE(nc.court_id, e.court_id) NOT IN (%s)%s%s"
                            " ORDER BY st.created_ms DESC, e.id DESC",
                            in, in, case_no && *case_no ? " AND (e.case_no = ? OR nc.case_no = ?)" : "",
                            status && *status ? " AND e.status = ?" : "");
    free(in);
    db_stmt *s = len < cap ? db_prepare(c, sql) : NULL;
    free(sql);
    if (!s) return out;
    int b = 1;
    if (case_no && *case_no) {
        db_bind_text(s, b++, case_no, -1);
        db_bind_text(s, b++, case_no, -1);
    }
    if (status && *status) db_bind_text(s, b++, status, -1);
    if (page < 1) page = 1;
    int64_t skip = size > 0 ? (page - 1) * size : 0, seen = 0, last = 0;
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        if (id == last) continue; /* moved twice out of the scope: the newest move */
        last = id;
        const char *no = db_col_text(s, 1), *app = db_col_text(s, 5), *deb = db_col_text(s, 6), *nno = db_col_text(s, 13);
        if (text && *text && !(no && strstr(no, text)) && !(nno && strstr(nno, text)) && !(app && strstr(app, text)) &&
            !(deb && strstr(deb, text)))
            continue;
        seen++;
        if (seen <= skip || (size > 0 && seen > skip + size) || (size <= 0 && seen > 10000)) continue;
        int64_t to = db_col_int64(s, 14);
        const char *fd = db_col_text(s, 7), *cd = db_col_text(s, 8), *cm = db_col_text(s, 15);
        json_array_append_new(out, json_pack("{s:o,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:o,s:b,s:s,s:s,s:s,s:s?,s:I,s:o,s:o}",
            "id", zx_cmd_jid(id), "case_no", no, "court_code", zx_cmd_court_code(db_col_int64(s, 2)),
            "type_code", db_col_text(s, 3), "status", db_col_text(s, 4), "applicant_name", app, "debtor_name", deb,
            "filed_on", fd ? json_string(fd) : json_null(), "closed_on", cd ? json_string(cd) : json_null(),
            "closure_mode", cm ? json_string(cm) : json_null(), "read_only", 1,
            "moved_from", zx_cmd_court_code(db_col_int64(s, 9)), "moved_to", zx_cmd_court_code(to),
            "moved_to_name", zx_cmd_court_name(to), "moved_on", db_col_text(s, 10), "moved_ms",
            (json_int_t)db_col_int64(s, 11), "new_case_id", db_col_is_null(s, 12) ? json_null() : zx_cmd_jid(db_col_int64(s, 12)),
            "new_case_no", nno ? json_string(nno) : json_null()));
    }
    db_finalize(s);
    *total = seen;
    return out;
}
