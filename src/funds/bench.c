/* bench.c — `zhixing funds bench`: the ledger's posting rate (bench/40-funds.sh, docs/BENCHMARKS.md).
 *
 *   zhixing funds bench --db URL [--transfers N] [--batch B] [--accounts A]
 *       posts N transfers bank → case accounts (A case accounts, one court) through
 *       zx_ledger_create_transfers, B per write transaction (caller-chosen ids, balance limits, the
 *       same code path as every arrival). Prints "ledger transfers/s".
 *   zhixing funds bench --naive --db postgresql://… [--transfers N] [--accounts A] [--clients C]
 *       the comparison: a straightforward PostgreSQL ledger in its own tables (bench_naive_*), one
 *       transaction per transfer: BEGIN; SELECT … FOR UPDATE on both balances (id order); check;
 *       UPDATE both; INSERT the transfer; COMMIT — C client threads. Prints "naive transfers/s".
 * Both leave their rows behind in the given store; use a throwaway store. */
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/ids.h"
#include "funds/funds.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) used by this process so far: on a shared machine the wall-clock rate
 * depends on how much of a core the scheduler gave us; transfers per CPU-second is what a dedicated
 * core would do (the writer is one thread). */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static int bench_ledger(zx_app *app, long n, int batch, int naccts)
{
    db_conn *c = db_acquire(app->db);
    int64_t court = 0;
    if (db_exec_int64(c, "SELECT id FROM court ORDER BY level DESC, id LIMIT 1", &court) || court <= 0) {
        fprintf(stderr, "funds bench: the store has no court (run zhixing init first)\n");
        db_release(app->db, c);
        return 2;
    }
    zx_funds_bulk_session(app->db, c);
    int64_t *acc = calloc((size_t)naccts, sizeof *acc);
    if (!acc || db_begin(c)) return 2;
    zx_fund_account bank = { .kind = ZX_ACC_BANK, .flags = ZX_ACCF_CREDITS_MUST_NOT_EXCEED_DEBITS, .court_id = court };
    snprintf(bank.name, sizeof bank.name, "基准测试专户");
    if (zx_ledger_account_create(c, &bank)) return 2;
    for (int i = 0; i < naccts; i++) {
        zx_fund_account a = { .kind = ZX_ACC_HOLD, .flags = ZX_ACCF_DEBITS_MUST_NOT_EXCEED_CREDITS, .court_id = court };
        snprintf(a.name, sizeof a.name, "基准测试账户%d", i);
        if (zx_ledger_account_create(c, &a)) return 2;
        acc[i] = a.id;
    }
    if (db_commit(c)) return 2;
    zx_fund_transfer *t = calloc((size_t)batch, sizeof *t);
    enum zx_tr_result *res = calloc((size_t)batch, sizeof *res);
    int64_t base = zx_id_new();
    double t0 = now_s(), c0 = cpu_s();
    long done = 0;
    while (done < n) {
        int k = (int)(n - done < batch ? n - done : batch);
        for (int i = 0; i < k; i++)
            t[i] = (zx_fund_transfer){ .id = base + done + i + 1, .debit_account_id = bank.id,
                                       .credit_account_id = acc[(done + i) % naccts], .amount = 100 + (done + i) % 997,
                                       .code = ZX_TC_ARRIVAL, .ref = NULL };
        /* as the design has it: the batch, then one audit record naming it, in one transaction */
        char oid[24], detail[96];
        snprintf(oid, sizeof oid, "%lld", (long long)(base + done + 1));
        snprintf(detail, sizeof detail, "{\"transfers\":%d,\"first\":\"%lld\"}", k, (long long)(base + done + 1));
        zx_audit_rec rec = { .username = "system", .action = "funds.bench.batch", .object_type = "fund_transfer",
                             .object_id = oid, .result = "ok", .detail = detail };
        if (db_begin(c) || zx_ledger_create_transfers(c, t, k, res) != 0 || zx_audit_write(c, &rec) || db_commit(c)) {
            fprintf(stderr, "funds bench: posting failed: %s\n", db_errmsg(c));
            db_rollback(c);
            return 1;
        }
        done += k;
    }
    double dt = now_s() - t0, dc = cpu_s() - c0;
    printf("ledger transfers: %ld in %.3f s = %.0f transfers/s (batch %d, %d accounts, %s; %.3f CPU-s = %.0f transfers per CPU-second)\n",
           n, dt, (double)n / dt, batch, naccts, db_kind(app->db) == DB_SQLITE ? "sqlite" : "postgresql", dc,
           dc > 0 ? (double)n / dc : 0.0);
    free(t);
    free(res);
    free(acc);
    db_release(app->db, c);
    return 0;
}

typedef struct naive_job {
    db_t *db;
    long from, to;
    int naccts;
    long failed;
} naive_job;

static void *naive_worker(void *arg)
{
    naive_job *j = arg;
    db_conn *c = db_acquire(j->db);
    for (long i = j->from; i < j->to; i++) {
        int64_t a = 1, b = 2 + i % j->naccts, amount = 100 + i % 997; /* account 1 = the bank */
        if (db_begin(c)) goto fail;
        db_stmt *s = db_prepare(c, "SELECT id, balance FROM bench_naive_account WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
        if (!s) goto fail;
        db_bind_int64(s, 1, a);
        db_bind_int64(s, 2, b);
        int64_t bank_bal = 0;
        while (db_step(s) == DB_ROW)
            if (db_col_int64(s, 0) == a) bank_bal = db_col_int64(s, 1);
        db_finalize(s);
        (void)bank_bal; /* the bank side may go negative in this model (credits arrive from outside) */
        s = db_prepare(c, "UPDATE bench_naive_account SET balance = balance + ? WHERE id = ?");
        if (!s) goto fail;
        db_bind_int64(s, 1, amount);
        db_bind_int64(s, 2, a);
        int rc = db_step(s);
        db_finalize(s);
        s = db_prepare(c, "UPDATE bench_naive_account SET balance = balance + ? WHERE id = ?");
        if (!s || rc != DB_DONE) goto fail;
        db_bind_int64(s, 1, amount);
        db_bind_int64(s, 2, b);
        rc = db_step(s);
        db_finalize(s);
        s = db_prepare(c, "INSERT INTO bench_naive_transfer (id, debit_id, credit_id, amount) VALUES (?, ?, ?, ?)");
        if (!s || rc != DB_DONE) goto fail;
        db_bind_int64(s, 1, i + 1);
        db_bind_int64(s, 2, a);
        db_bind_int64(s, 3, b);
        db_bind_int64(s, 4, amount);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE || db_commit(c)) goto fail;
        continue;
    fail:
        db_rollback(c);
        j->failed++;
    }
    db_release(j->db, c);
    return NULL;
}

static int bench_naive(zx_app *app, long n, int naccts, int clients)
{
    if (db_kind(app->db) != DB_POSTGRES) {
        fprintf(stderr, "funds bench --naive: needs a PostgreSQL store\n");
        return 2;
    }
    db_conn *c = db_acquire(app->db);
    char sql[256];
    if (db_exec(c, "DROP TABLE IF EXISTS bench_naive_transfer; DROP TABLE IF EXISTS bench_naive_account;"
                   "CREATE TABLE bench_naive_account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);"
                   "CREATE TABLE bench_naive_transfer (id BIGINT PRIMARY KEY, debit_id BIGINT NOT NULL REFERENCES bench_naive_account(id),"
                   " credit_id BIGINT NOT NULL REFERENCES bench_naive_account(id), amount BIGINT NOT NULL CHECK (amount > 0))")) {
        fprintf(stderr, "funds bench --naive: %s\n", db_errmsg(c));
        return 2;
    }
    snprintf(sql, sizeof sql, "INSERT INTO bench_naive_account SELECT g, 0 FROM generate_series(1, %d) g", naccts + 1);
    if (db_exec(c, sql)) return 2;
    db_release(app->db, c);
    if (clients < 1) clients = 1;
    naive_job *jobs = calloc((size_t)clients, sizeof *jobs);
    pthread_t *th = calloc((size_t)clients, sizeof *th);
    double t0 = now_s();
    for (int i = 0; i < clients; i++) {
        jobs[i] = (naive_job){ .db = app->db, .from = n * i / clients, .to = n * (i + 1) / clients, .naccts = naccts };
        pthread_create(&th[i], NULL, naive_worker, &jobs[i]);
    }
    long failed = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(th[i], NULL);
        failed += jobs[i].failed;
    }
    double dt = now_s() - t0;
    printf("naive transfers: %ld in %.3f s = %.0f transfers/s (%d clients, %d accounts, postgresql, %ld failed)\n", n, dt,
           (double)(n - failed) / dt, clients, naccts, failed);
    free(jobs);
    free(th);
    return failed ? 1 : 0;
}

static int cmd_bench(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    const char *o;
    long n = (o = zx_opt(argc, argv, "--transfers")) ? atol(o) : 200000;
    int batch = (o = zx_opt(argc, argv, "--batch")) ? atoi(o) : 8190;
    int accts = (o = zx_opt(argc, argv, "--accounts")) ? atoi(o) : 1000;
    int clients = (o = zx_opt(argc, argv, "--clients")) ? atoi(o) : 4;
    if (n < 1 || batch < 1 || accts < 1) {
        zx_cli_close(app);
        return 2;
    }
    int rc = zx_flag(argc, argv, "--naive") ? bench_naive(app, n, accts, clients) : bench_ledger(app, n, batch, accts);
    zx_cli_close(app);
    return rc;
}
static const struct zx_command bench_cmd = {
    "funds bench", cmd_bench, "--db URL [--transfers N] [--batch B] [--accounts A] [--naive [--clients C]]",
    "案款账簿基准测试：批量记账速率，或 --naive 在 PostgreSQL 上的逐笔加锁记账（对照）" };
ZX_COMMAND(bench_cmd)
