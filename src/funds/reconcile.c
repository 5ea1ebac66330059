/* reconcile.c — 对账: for every court the 专户's ledger balance equals the sum of its case,
 * unidentified, fee, escrow, hold and payee accounts; every account's four totals equal what its
 * transfers add up to; and the balance the bank last reported for a 专户 equals the ledger's balance
 * of that account on the same date. `zhixing funds reconcile` and the server's daily job run it; any
 * difference is named and makes the CLI exit non-zero. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/worker.h"
#include "app.h"
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "funds/funds.h"
#include "funds/reconcile.h"

json_t *zx_funds_reconcile(db_conn *c, bool *ok)
{
    *ok = true;
    json_t *courts = json_array(), *accounts = json_array(), *banks = json_array(), *problems = json_array();
    /* 1. the identity per court */
    db_stmt *s = db_prepare(c, "SELECT a.court_id, COALESCE(ct.name, ''), a.kind, SUM(a.debits_posted), SUM(a.credits_posted)"
                               " FROM fund_account a LEFT JOIN court ct ON ct.id = a.court_id"
                               " GROUP BY a.court_id, ct.name, a.kind ORDER BY a.court_id, a.kind");
    if (!s) goto fail;
    int64_t cur = 0, bank = 0, parts = 0;
    char cname[128] = "";
    json_t *pj = NULL;
    int rc;
    for (;;) {
        rc = db_step(s);
        int64_t court = rc == DB_ROW ? db_col_int64(s, 0) : -1;
        if (court != cur && pj) {
            json_array_append_new(courts, json_pack("{s:I,s:s,s:I,s:I,s:I,s:o}", "court_id", (json_int_t)cur, "court_name",
                                                    cname, "bank_fen", (json_int_t)bank, "accounts_fen", (json_int_t)parts,
                                                    "difference_fen", (json_int_t)(bank - parts), "parts", pj));
            if (bank != parts) {
                *ok = false;
                char a[ZX_MONEY_BUF], b[ZX_MONEY_BUF], d[ZX_MONEY_BUF];
                char msg[512];
                snprintf(msg, sizeof msg, "%s：专户余额 %s 元，各分户合计 %s 元，差额 %s 元", cname,
                         zx_money_format(bank, a), zx_money_format(parts, b), zx_money_format(bank - parts, d));
                json_array_append_new(problems, json_string(msg));
            }
            pj = NULL;
        }
        if (rc != DB_ROW) break;
        if (!pj) {
            cur = court;
            bank = parts = 0;
            pj = json_object();
            snprintf(cname, sizeof cname, "%s", db_col_text(s, 1));
        }
        int kind = (int)db_col_int64(s, 2);
        int64_t d = db_col_int64(s, 3), cr = db_col_int64(s, 4);
        static const char *kn[] = { "", "bank", "case", "unidentified", "fee", "escrow", "hold", "payee" };
        if (kind == ZX_ACC_BANK) bank += d - cr;
        else parts += cr - d;
        if (kind >= 1 && kind <= 7) json_object_set_new(pj, kn[kind], json_integer(kind == ZX_ACC_BANK ? d - cr : cr - d));
    }
    db_finalize(s);
    if (rc < 0) goto fail;
    /* 2. totals derived from the transfers */
    s = db_prepare(c,
        "SELECT a.id, a.name, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,"
        " COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.debit_account_id = a.id AND (t.flags & 10) = 0), 0),"
        " COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.credit_account_id = a.id AND (t.flags & 10) = 0), 0),"
        " COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.debit_account_id = a.id AND (t.flags & 2) <> 0"
        "   AND NOT EXISTS (SELECT 1 FROM fund_transfer x WHERE x.pending_id = t.id)), 0),"
        " COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.credit_account_id = a.id AND (t.flags & 2) <> 0"
        "   AND NOT EXISTS (SELECT 1 FROM fund_transfer x WHERE x.pending_id = t.id)), 0)"
        " FROM fund_account a ORDER BY a.id");
    if (!s) goto fail;
    int64_t nacc = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        nacc++;
        int64_t aid = db_col_int64(s, 0);
        int64_t dp = db_col_int64(s, 2), cp = db_col_int64(s, 3), dpe = db_col_int64(s, 4), cpe = db_col_int64(s, 5);
        int64_t sd = db_col_int64(s, 6), sc = db_col_int64(s, 7), spd = db_col_int64(s, 8), spc = db_col_int64(s, 9);
        if (dp != sd || cp != sc || dpe != spd || cpe != spc) {
            *ok = false;
            char msg[512];
            snprintf(msg, sizeof msg, "账户 %s（%lld）余额与转账记录不符：借方 %lld/%lld，贷方 %lld/%lld，待确认借方 %lld/%lld，待确认贷方 %lld/%lld（分）",
                     db_col_text(s, 1), (long long)aid, (long long)dp, (long long)sd, (long long)cp, (long long)sc,
                     (long long)dpe, (long long)spd, (long long)cpe, (long long)spc);
            json_array_append_new(problems, json_string(msg));
            json_array_append_new(accounts, json_pack("{s:I,s:s}", "account_id", (json_int_t)aid, "name", db_col_text(s, 1)));
        }
    }
    db_finalize(s);
    if (rc < 0) goto fail;
    /* 3. the bank's reported balance (latest per 专户) */
    s = db_prepare(c,
        "SELECT b.bank_account_id, a.name, COALESCE(a.account_no, ''), b.as_of, b.balance_fen,"
        " COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.debit_account_id = b.bank_account_id"
        "   AND (t.flags & 10) = 0 AND t.booked_on <= b.as_of), 0)"
        " - COALESCE((SELECT SUM(t.amount) FROM fund_transfer t WHERE t.credit_account_id = b.bank_account_id"
        "   AND (t.flags & 10) = 0 AND t.booked_on <= b.as_of), 0)"
        " FROM fund_bank_balance b JOIN fund_account a ON a.id = b.bank_account_id"
        " WHERE b.as_of = (SELECT MAX(x.as_of) FROM fund_bank_balance x WHERE x.bank_account_id = b.bank_account_id)");
    if (!s) goto fail;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t rep = db_col_int64(s, 4), led = db_col_int64(s, 5);
        json_array_append_new(banks, json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I}", "bank_account_id",
                                               (json_int_t)db_col_int64(s, 0), "name", db_col_text(s, 1), "account_no",
                                               db_col_text(s, 2), "as_of", db_col_text(s, 3), "reported_fen",
                                               (json_int_t)rep, "ledger_fen", (json_int_t)led, "difference_fen",
                                               (json_int_t)(rep - led)));
        if (rep != led) {
            *ok = false;
            char a[ZX_MONEY_BUF], b[ZX_MONEY_BUF], msg[512];
            snprintf(msg, sizeof msg, "%s %s：银行对账单 %s 余额 %s 元，账簿余额 %s 元", db_col_text(s, 1), db_col_text(s, 2),
                     db_col_text(s, 3), zx_money_format(rep, a), zx_money_format(led, b));
            json_array_append_new(problems, json_string(msg));
        }
    }
    db_finalize(s);
    if (rc < 0) goto fail;
    return json_pack("{s:b,s:I,s:o,s:o,s:o,s:o}", "ok", *ok, "accounts_checked", (json_int_t)nacc, "courts", courts,
                     "bank_statements", banks, "mismatched_accounts", accounts, "problems", problems);
fail:
    json_decref(courts);
    json_decref(accounts);
    json_decref(banks);
    json_decref(problems);
    *ok = false;
    return NULL;
}

int zx_funds_reconcile_record(db_t *db, json_t **report_out, bool *ok)
{
    db_conn *c = db_acquire(db);
    json_t *rep = zx_funds_reconcile(c, ok);
    int ret = -1;
    if (rep && db_begin(c) == 0) {
        char *txt = json_dumps(rep, JSON_COMPACT);
        db_stmt *s = db_prepare(c, "INSERT INTO fund_reconcile (id, at_ms, ok, report) VALUES (?, ?, ?, ?)");
        if (s && txt) {
            db_bind_int64(s, 1, zx_id_new());
            db_bind_int64(s, 2, zx_now_ms());
            db_bind_int64(s, 3, *ok);
            db_bind_text(s, 4, txt, -1);
            if (db_step(s) == DB_DONE) ret = 0;
        }
        if (s) db_finalize(s);
        free(txt);
        if (ret == 0 && db_commit(c) < 0) ret = -1;
        if (ret != 0) db_rollback(c);
    }
    db_release(db, c);
    if (report_out) *report_out = rep;
    else json_decref(rep);
    return rep ? ret : -1;
}

/* ---- CLI ---- */
static int cmd_reconcile(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    bool ok = false;
    json_t *rep = NULL;
    int rc = zx_funds_reconcile_record(app->db, &rep, &ok);
    if (rc < 0 || !rep) {
        fprintf(stderr, "zhixing funds reconcile: store error\n");
        json_decref(rep);
        zx_cli_close(app);
        return 2;
    }
    json_t *courts = json_object_get(rep, "courts"), *v;
    size_t i;
    json_array_foreach(courts, i, v) {
        char a[ZX_MONEY_BUF];
        printf("%s 专户 %s 元 %s\n", json_string_value(json_object_get(v, "court_name")),
               zx_money_format(json_integer_value(json_object_get(v, "bank_fen")), a),
               json_integer_value(json_object_get(v, "difference_fen")) == 0 ? "平衡" : "不平衡");
    }
    json_array_foreach(json_object_get(rep, "problems"), i, v) fprintf(stderr, "差异：%s\n", json_string_value(v));
    printf("%s（核对账户 %lld 个）\n", ok ? "对账一致" : "对账不一致",
           (long long)json_integer_value(json_object_get(rep, "accounts_checked")));
    json_decref(rep);
    zx_cli_close(app);
    return ok ? 0 : 1;
}
static const struct zx_command reconcile_cmd = { "funds reconcile", cmd_reconcile, "--db URL",
                                                 "执行款对账：专户余额=各分户合计、账户余额=转账合计、银行对账单余额=账簿余额；不一致时列明差异并以非零状态退出" };
ZX_COMMAND(reconcile_cmd)

/* ---- the daily job (server only): first run a minute after start, then daily ---- */
static long job_pass(void *arg)
{
    zx_app *app = arg;
    bool ok = false;
    if (zx_funds_reconcile_record(app->db, NULL, &ok) < 0) LOG_WARN("funds: daily reconciliation could not run");
    else if (!ok) LOG_ERROR("funds: daily reconciliation found differences (see fund_reconcile / 对账 page)");
    return 24L * 3600 * 1000 - 60000;
}
static zx_worker job = ZX_WORKER(job_pass);

static int job_start(zx_app *app)
{
    if (!app->started_ms) return 0;
    job.first_wait_ms = 60000;
    return zx_worker_start(&job, app);
}
ZX_ON_START("funds reconcile job", job_start)

static int job_end(zx_app *app)
{
    (void)app;
    zx_worker_stop(&job);
    return 0;
}
ZX_ON_STOP("funds reconcile job", job_end)
