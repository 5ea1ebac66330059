/* move.c — what follows a case that moves to another court (提级执行 / 指定执行 / 交叉执行,
 * supervision.c move_case): its controls and its money, in the caller's transaction.
 *
 *  - 查控: the assets found for the case, its freezes/seizures (asset_control, with their legal end dates
 *    and renewal clocks) and the protocol requests not yet answered move to the new court — the receiving
 *    court sees them in its control register, renews, releases and deducts; a request still to be sent
 *    goes out under the new court's seal. Past query runs and answered requests stay with the court that
 *    made them (its 查控 statistics; the case's own history lists them by case for both courts).
 *  - 案款 (一案一账号): the case's virtual account and its payee accounts move with the account number
 *    unchanged. The money they hold leaves the old court's 执行款专户 for the new court's in one ledger
 *    transfer (ZX_TC_COURT_TRANSFER: debit the new court's bank account, credit the old one's), so that
 *    each court's reconciliation identity (ledger.h: Σ BANK = Σ CASE + …) still holds for both courts.
 *    Money in flight (a pending transfer, or a payout between proposal and the bank's confirmation)
 *    cannot be split between two courts' books: the move is refused with FUNDS_IN_FLIGHT until it
 *    settles. Open deferrals move with the case.
 * The court the case left keeps read access to both (zx_cmd_former_court_reads, used by the inquiry and
 * funds routes as by the case's own).  Returns 0, ZX_CMD_MOVE_FUNDS_IN_FLIGHT, or < 0 (store error);
 * *out gets the counts moved (for the case event and the audit records). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/command.h"
#include "core/date.h"
#include "core/ids.h"
#include "funds/ledger.h"

static int exec2(db_conn *c, const char *sql, int64_t a, int64_t b, int64_t *changed)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
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

int zx_cmd_move_holdings(db_conn *c, int64_t case_id, int64_t from_court, int64_t to_court, zx_cmd_moved *out)
{
    memset(out, 0, sizeof *out);
    /* money in flight? (pending totals on the case's accounts, or a payout not yet paid or ended) */
    int64_t pend = count1(c, "SELECT COUNT(*) FROM fund_account WHERE case_id = ? AND kind IN (2, 7)"
                             " AND (debits_pending <> 0 OR credits_pending <> 0)", case_id);
    int64_t open_pay = count1(c, "SELECT COUNT(*) FROM fund_payout WHERE case_id = ?"
                                 " AND status IN ('pending_approval', 'approved', 'sent')", case_id);
    if (pend < 0 || open_pay < 0) return -1;
    if (pend > 0 || open_pay > 0) return ZX_CMD_MOVE_FUNDS_IN_FLIGHT;

    /* 查控 */
    if (exec2(c, "UPDATE asset SET court_id = ? WHERE case_id = ?", to_court, case_id, &out->assets)) return -1;
    if (exec2(c, "UPDATE asset_control SET court_id = ? WHERE case_id = ?", to_court, case_id, &out->controls)) return -1;
    if (exec2(c, "UPDATE inquiry_request SET court_id = ? WHERE case_id = ? AND state NOT IN ('done', 'failed')", to_court,
              case_id, &out->requests))
        return -1;

    /* 案款: the balance held for the case goes from the old 专户 to the new one, then the accounts move */
    int64_t held = count1(c, "SELECT COALESCE(SUM(credits_posted - debits_posted), 0) FROM fund_account"
                             " WHERE case_id = ? AND kind IN (2, 7)", case_id);
    if (held < 0) return -1;
    if (held > 0) {
        int64_t old_bank = zx_funds_court_account(c, from_court, ZX_ACC_BANK);
        int64_t new_bank = zx_funds_court_account(c, to_court, ZX_ACC_BANK);
        if (old_bank < 0 || new_bank < 0) return -1;
        char ref[48];
        snprintf(ref, sizeof ref, "move:%lld", (long long)case_id);
        zx_fund_transfer t = { .id = zx_id_new(), .debit_account_id = new_bank, .credit_account_id = old_bank,
                               .amount = held, .code = ZX_TC_COURT_TRANSFER, .case_id = case_id, .ref = ref };
        int tr = zx_ledger_transfer(c, &t);
        if (tr < 0) return -1;
        if (tr != ZX_TR_OK) return ZX_CMD_MOVE_FUNDS_IN_FLIGHT; /* the old 专户 cannot give it: nothing moved */
        out->transfer_id = t.id;
    }
    out->held_fen = held;
    if (exec2(c, "UPDATE fund_account SET court_id = ? WHERE case_id = ? AND kind IN (2, 7)", to_court, case_id,
              &out->accounts))
        return -1;
    if (exec2(c, "UPDATE fund_payout SET court_id = ? WHERE case_id = ?", to_court, case_id, NULL)) return -1;
    if (exec2(c, "UPDATE fund_deferral SET court_id = ? WHERE case_id = ?", to_court, case_id, NULL)) return -1;
    return 0;
}

/* Cases moved away from the courts in scope (and now outside it): for the old court's case list, marked
 * 已移出 with the court and the day, read-only there (zx_cmd_former_court_reads). Filters as the list's:
 * an exact 案号, a substring of 案号 / party names, a status. Newest move first, at most 200. */
json_t *zx_cmd_moved_out(db_conn *c, const int64_t *courts, int n, const char *case_no, const char *text,
                         const char *status)
{
    json_t *out = json_array();
    if (n <= 0) return out;
    size_t cap = 1024 + (size_t)n * 24, len = 0;
    char *sql = malloc(cap);
    if (!sql) return out;
    len += (size_t)snprintf(sql + len, cap - len,
                            "SELECT e.id, e.case_no, e.court_id, e.type_code, e.status, e.applicant_name, e.debtor_name,"
                            " e.filed_on, e.closed_on, st.court_id, st.on_date, st.created_ms"
                            " FROM supervision_step st JOIN supervision_order o ON o.id = st.order_id"
                            " JOIN enf_case e ON e.id = o.case_id WHERE st.kind = 'case_moved' AND st.court_id IN (");
    for (int i = 0; i < n && len + 24 < cap; i++) len += (size_t)snprintf(sql + len, cap - len, "%s%lld", i ? "," : "", (long long)courts[i]);
    len += (size_t)snprintf(sql + len, cap - len, ") AND e.court_id NOT IN (");
    for (int i = 0; i < n && len + 24 < cap; i++) len += (size_t)snprintf(sql + len, cap - len, "%s%lld", i ? "," : "", (long long)courts[i]);
    len += (size_t)snprintf(sql + len, cap - len, ")%s%s ORDER BY st.created_ms DESC, e.id DESC LIMIT 200",
                            case_no && *case_no ? " AND e.case_no = ?" : "", status && *status ? " AND e.status = ?" : "");
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return out;
    int b = 1;
    if (case_no && *case_no) db_bind_text(s, b++, case_no, -1);
    if (status && *status) db_bind_text(s, b++, status, -1);
    int64_t last = 0;
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        if (id == last) continue; /* moved twice out of the scope: the newest move */
        last = id;
        const char *no = db_col_text(s, 1), *app = db_col_text(s, 5), *deb = db_col_text(s, 6);
        if (text && *text && !(no && strstr(no, text)) && !(app && strstr(app, text)) && !(deb && strstr(deb, text)))
            continue;
        const char *fd = db_col_text(s, 7), *cd = db_col_text(s, 8);
        json_array_append_new(out, json_pack("{s:o,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:b,s:s,s:s,s:s,s:s?,s:I}",
            "id", zx_cmd_jid(id), "case_no", no, "court_code", zx_cmd_court_code(db_col_int64(s, 2)),
            "type_code", db_col_text(s, 3), "status", db_col_text(s, 4), "applicant_name", app, "debtor_name", deb,
            "filed_on", fd ? json_string(fd) : json_null(), "closed_on", cd ? json_string(cd) : json_null(),
            "read_only", 1, "moved_from", zx_cmd_court_code(db_col_int64(s, 9)),
            "moved_to", zx_cmd_court_code(db_col_int64(s, 2)), "moved_to_name", zx_cmd_court_name(db_col_int64(s, 2)),
            "moved_on", db_col_text(s, 10), "moved_ms", (json_int_t)db_col_int64(s, 11)));
    }
    db_finalize(s);
    return out;
}
