/* bench.c — `zhixing inquiry bench`: load N debtors × K kinds of queries into the outbox against 50
 * simulated institutions (bin/zhixing-sim, latency set there) and drain it either with the real
 * dispatcher (libcurl multi, batched fan-out) or with a plain worker pool (T threads, one blocking
 * request at a time), same store. Prints one JSON line: inquiries, seconds, rate, peak RSS, and where
 * the time went. Used by bench/50-inquiry.sh. Rows carry no inquiry run (no per-case completion
 * event): the figure is the dispatcher and the store, every request and answer persisted. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "app.h"
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "inquiry/inquiry.h"

char *zx_inq_fetch_key(const char *endpoint, long timeout_ms); /* registry.c */

static const char *const BENCH_KINDS[] = { "deposit", "wealth", "securities", "equity", "real_estate",
                                           "vehicle", "online_payment", "insurance", "provident_fund", "telecom" };
#define NKINDS 10
#define PER_KIND 5

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(zx_app *app, const char *sim, long debtors, int kinds, int batch, int inflight, int64_t *inst_ids)
{
    db_conn *c = db_acquire(app->db);
    int64_t court = 0, now = zx_now_ms();
    db_stmt *s = db_prepare(c, "SELECT id FROM court ORDER BY level DESC, id LIMIT 1");
    if (s && db_step(s) == DB_ROW) court = db_col_int64(s, 0);
    if (s) db_finalize(s);
    if (!court) {
        fprintf(stderr, "no court: run zhixing init first\n");
        db_release(app->db, c);
        return -1;
    }
    if (db_begin(c)) return -1;
    db_exec(c, "DELETE FROM inquiry_request");
    db_exec(c, "DELETE FROM asset");
    db_exec(c, "DELETE FROM inquiry_institution WHERE code LIKE '%-bench%'");
    for (int k = 0; k < NKINDS; k++)
        for (int j = 0; j < PER_KIND; j++) {
            char code[64], name[96], ep[512];
            snprintf(code, sizeof code, "%s-bench%d", BENCH_KINDS[k], j + 1);
            snprintf(name, sizeof name, "压测机构（模拟）%s-%d", BENCH_KINDS[k], j + 1);
            snprintf(ep, sizeof ep, "%s/inst/%s", sim, code);
            char *pem = zx_inq_fetch_key(ep, 3000);
            if (!pem) {
                fprintf(stderr, "the simulator does not answer at %s\n", ep);
                db_rollback(c);
                db_release(app->db, c);
                return -1;
            }
            const struct zx_inq_kind *kd = zx_inq_kind(BENCH_KINDS[k]);
            int64_t id = zx_id_new();
            s = db_prepare(c, "INSERT INTO inquiry_institution (id, code, name, kind, ops, endpoint, public_key, key_fp,"
                              " max_inflight, rate_per_s, timeout_ms, batch_max, enabled, created_ms)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, 1000000, 30000, ?, 1, ?)");
            db_bind_int64(s, 1, id);
            db_bind_text(s, 2, code, -1);
            db_bind_text(s, 3, name, -1);
            db_bind_text(s, 4, kd->kind, -1);
            db_bind_text(s, 5, kd->ops, -1);
            db_bind_text(s, 6, ep, -1);
            db_bind_text(s, 7, pem, -1);
            db_bind_int64(s, 8, inflight);
            db_bind_int64(s, 9, batch);
            db_bind_int64(s, 10, now);
            int rc = db_step(s);
            db_finalize(s);
            free(pem);
            if (rc != DB_DONE) {
                fprintf(stderr, "institution insert failed: %s\n", db_errmsg(c));
                db_rollback(c);
                db_release(app->db, c);
                return -1;
            }
            inst_ids[k * PER_KIND + j] = id;
        }
    /* switch the registry to the bench institutions only */
    s = db_prepare(c, "UPDATE inquiry_institution SET enabled = 0 WHERE code NOT LIKE '%-bench%'");
    db_step(s);
    db_finalize(s);
    if (db_commit(c)) return -1;
    /* cases with one debtor each, and their requests, in chunks */
    for (long base = 0; base < debtors; base += 20000) {
        if (db_begin(c)) return -1;
        for (long i = base; i < debtors && i < base + 20000; i++) {
            int64_t cid = zx_id_new(), pid = zx_id_new();
            char no[64], idn[64], nm[64];
            snprintf(no, sizeof no, "BENCH-%ld-%lld", i, (long long)(now % 100000));
            snprintf(idn, sizeof idn, "2101%02ld19%02ld%02ld%02ld%03ld%ld", i % 100, 60 + i % 40, 1 + i % 12, 1 + i % 28,
                     i % 1000, i % 10);
            snprintf(nm, sizeof nm, "压测被执行人%ld", i);
            s = db_prepare(c, "INSERT INTO enf_case (id, case_no, year, court_id, type_code, stage, status, filed_on,"
                              " claim_fen, imported, created_ms, updated_ms) VALUES (?, ?, 2026, ?, '执', 'property_inquiry',"
                              " 'open', '2000-01-01', 100000000, 1, ?, ?)");
            db_bind_int64(s, 1, cid);
            db_bind_text(s, 2, no, -1);
            db_bind_int64(s, 3, court);
            db_bind_int64(s, 4, now);
            db_bind_int64(s, 5, now);
            if (db_step(s) != DB_DONE) {
                fprintf(stderr, "case insert failed: %s\n", db_errmsg(c));
                db_finalize(s);
                db_rollback(c);
                return -1;
            }
            db_finalize(s);
            s = db_prepare(c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, id_number, id_number_enc)"
                              " VALUES (?, ?, 1, 'debtor', 'person', ?, ?, ?)");
            db_bind_int64(s, 1, pid);
            db_bind_int64(s, 2, cid);
            db_bind_text(s, 3, nm, -1);
            zx_pii_bind_index(s, 4, ZX_PII_ID_NUMBER, idn); /* as filing stores it (core/pii.h) */
            zx_pii_bind(s, 5, ZX_PII_ID_NUMBER, idn);
            db_step(s);
            db_finalize(s);
            for (int k = 0; k < kinds && k < NKINDS; k++) {
                s = db_prepare(c, "INSERT INTO inquiry_request (id, case_id, court_id, institution_id, op, officer_id, state,"
                                  " next_ms, created_ms) VALUES (?, ?, ?, ?, 'query', 0, 'pending', ?, ?)");
                db_bind_int64(s, 1, zx_id_new());
                db_bind_int64(s, 2, cid);
                db_bind_int64(s, 3, court);
                db_bind_int64(s, 4, inst_ids[k * PER_KIND + (int)(i % PER_KIND)]);
                db_bind_int64(s, 5, now);
                db_bind_int64(s, 6, now);
                db_step(s);
                db_finalize(s);
            }
        }
        if (db_commit(c)) return -1;
    }
    db_release(app->db, c);
    return 0;
}

static int64_t count_left(db_t *db, int64_t *done, int64_t *failed)
{
    db_conn *c = db_acquire(db);
    int64_t left = 0;
    db_stmt *s = db_prepare(c, "SELECT state, COUNT(*) FROM inquiry_request GROUP BY state");
    *done = *failed = 0;
    while (s && db_step(s) == DB_ROW) {
        const char *st = db_col_text(s, 0);
        if (!strcmp(st, "done")) *done = db_col_int64(s, 1);
        else if (!strcmp(st, "failed")) *failed = db_col_int64(s, 1);
        else left += db_col_int64(s, 1);
    }
    if (s) db_finalize(s);
    db_release(db, c);
    return left;
}

/* Rows not settled yet: index ranges per bench institution (inquiry_request_due), cheap while the run
 * goes on. */
static int64_t g_inst_ids[NKINDS * PER_KIND];
static int64_t outstanding(db_t *db)
{
    db_conn *c = db_acquire(db);
    int64_t n = 0;
    for (int i = 0; i < NKINDS * PER_KIND; i++) {
        db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM inquiry_request WHERE institution_id = ? AND state IN ('pending','sent','acked')");
        if (!s) break;
        db_bind_int64(s, 1, g_inst_ids[i]);
        if (db_step(s) == DB_ROW) n += db_col_int64(s, 0);
        db_finalize(s);
    }
    db_release(db, c);
    return n;
}

static volatile int g_pool_stop;
static void *pool_worker(void *arg)
{
    db_t *db = arg;
    while (!g_pool_stop) {
        int r = zx_inq_pool_step(db);
        if (r <= 0) break;
    }
    return NULL;
}

static int cmd_bench(int argc, char **argv)
{
    const char *sim = zx_opt(argc, argv, "--sim"), *mode = zx_opt(argc, argv, "--mode");
    long debtors = zx_opt(argc, argv, "--debtors") ? atol(zx_opt(argc, argv, "--debtors")) : 10000;
    int kinds = zx_opt(argc, argv, "--kinds") ? atoi(zx_opt(argc, argv, "--kinds")) : 10;
    int threads = zx_opt(argc, argv, "--threads") ? atoi(zx_opt(argc, argv, "--threads")) : 64;
    int batch = zx_opt(argc, argv, "--batch") ? atoi(zx_opt(argc, argv, "--batch")) : 500;
    int inflight = zx_opt(argc, argv, "--inflight") ? atoi(zx_opt(argc, argv, "--inflight")) : 4;
    double cap = zx_opt(argc, argv, "--seconds") ? atof(zx_opt(argc, argv, "--seconds")) : 600;
    if (!sim || !mode || (strcmp(mode, "multi") && strcmp(mode, "pool"))) {
        fprintf(stderr, "usage: zhixing inquiry bench --db URL --sim URL --mode multi|pool [--debtors N] [--kinds K]"
                        " [--threads T] [--batch B] [--inflight F] [--seconds S]\n");
        return 2;
    }
    setenv("ZX_INQ_AUTO", "off", 1);
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    int64_t inst_ids[NKINDS * PER_KIND];
    double t0 = mono();
    if (setup(app, sim, debtors, kinds, batch, inflight, inst_ids)) {
        zx_cli_close(app);
        return 1;
    }
    memcpy(g_inst_ids, inst_ids, sizeof g_inst_ids);
    double t1 = mono();
    struct rusage ru0;
    getrusage(RUSAGE_SELF, &ru0);
    double cpu_setup = (double)ru0.ru_utime.tv_sec + ru0.ru_utime.tv_usec / 1e6 + (double)ru0.ru_stime.tv_sec + ru0.ru_stime.tv_usec / 1e6;
    int64_t total = (int64_t)debtors * (kinds < NKINDS ? kinds : NKINDS), done = 0, failed = 0, s10 = 0, s90 = 0;
    double t10 = 0, t90 = 0;
    if (!strcmp(mode, "multi")) {
        setenv("ZX_INQ_TICK_MS", "5", 0);
        if (zx_inq_dispatcher_start(app->db)) {
            zx_cli_close(app);
            return 1;
        }
        /* progress from the dispatcher's counter; the store is counted only once it says all are in.
         * The steady rate is taken between 10 % and 90 % settled (start-up — keys, enrolment at 50
         * institutions — and the tail excluded). */
        while (mono() - t1 < cap) {
            usleep(50000);
            int64_t st = zx_inq_dispatcher_settled();
            if (!t10 && st >= total / 10) t10 = mono(), s10 = st;
            if (!t90 && st >= total * 9 / 10) t90 = mono(), s90 = st;
            if (st >= total && outstanding(app->db) == 0) break;
        }
        zx_inq_dispatcher_stop();
    } else {
        if (zx_inq_pool_init(app->db)) {
            zx_cli_close(app);
            return 1;
        }
        pthread_t *th = calloc((size_t)threads, sizeof *th);
        for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, pool_worker, app->db);
        while (outstanding(app->db) > 0 && mono() - t1 < cap) usleep(200000);
        g_pool_stop = 1;
        for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
        free(th);
    }
    double t2 = mono();
    count_left(app->db, &done, &failed);
    int64_t assets = 0;
    db_conn *c = db_acquire(app->db);
    db_exec_int64(c, "SELECT COUNT(*) FROM asset", &assets);
    db_release(app->db, c);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    /* CPU of the whole process during setup and run (user + system), for the idle-machine estimate */
    double cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    json_t *out = json_pack("{s:s,s:f,s:f,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:I,s:i,s:o}", "mode", mode, "cpu_s", cpu_s - cpu_setup,
                            "cpu_setup_s", cpu_setup, "inquiries", (json_int_t)total,
                            "done", (json_int_t)done, "failed", (json_int_t)failed, "assets", (json_int_t)assets,
                            "setup_s", t1 - t0, "run_s", t2 - t1, "rate_per_s", (t2 - t1) > 0 ? done / (t2 - t1) : 0.0,
                            "peak_rss_mb", (json_int_t)(ru.ru_maxrss / 1024), "threads", !strcmp(mode, "pool") ? threads : 1,
                            "profile", zx_inq_dispatcher_profile());
    json_object_set_new(out, "t10_s", json_real(t10 ? t10 - t1 : 0.0));
    json_object_set_new(out, "t90_s", json_real(t90 ? t90 - t1 : 0.0));
    json_object_set_new(out, "steady_rate_per_s", json_real(t90 > t10 ? (double)(s90 - s10) / (t90 - t10) : 0.0));
    char *txt = json_dumps(out, JSON_COMPACT);
    printf("%s\n", txt);
    free(txt);
    json_decref(out);
    zx_cli_close(app);
    return 0;
}

static const struct zx_command bench_cmd = { "inquiry bench", cmd_bench,
                                             "--db URL --sim URL --mode multi|pool [--debtors N] [--kinds K] [--threads T]",
                                             "查控调度压测：向模拟机构批量查询（多路复用调度器或阻塞线程池）" };
ZX_COMMAND(bench_cmd)
