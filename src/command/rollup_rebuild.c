/* rollup_rebuild.c — the command center's roll-ups (migration 046) computed again from the case and
 * petition rows in ONE set-based pass, and `zhixing command rollup-rebuild` (see rollup.h).
 *
 * The triggers of migration 046 keep cmd_rollup / cmd_open_limit row by row in every writer's transaction;
 * this pass states the same sums over the whole tables — the roll-ups' one other definition, kept here
 * beside their readers (rollup.c) and checked against the triggers by --check (tests/api/command.test.mjs,
 * bench/70-command.sh). Only implementation-class cases (执 / 执恢 / 执保) count, as in the triggers and
 * case/indicators.c:
 *   per court × day (grain 'd') and × month ('m') × filing year (fy; petitions: year received):
 *     filed                cases filed that day
 *     closed …             cases closed that day: completed/termination (closed_actual), 终本 (closed_interim),
 *                          by their deadline (closed_on_time), with assets (asset_closed, asset_actual,
 *                          asset_actual_on_time), 终本 passing the gate (interim_compliant), Σ claim / recovered
 *     pet_received, pet_closed, pet_on_time (closed by due_on), pet_resolved
 *   cmd_open_limit: open cases per court by their current deadline ('' = none yet).
 * Use: after a bulk load that ran with the triggers off (bench/command/bulk.sh), or to check / repair a
 * store's roll-ups (an operator after a restore or an import done around the server). One dialect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "cli.h"
#include "command/rollup.h"

/* The set-based pass: both tables emptied and filled again. */
static const char rebuild_sql[] =
    "DELETE FROM cmd_rollup;"
    "DELETE FROM cmd_open_limit;"
    "INSERT INTO cmd_rollup (court_id, grain, period, fy, filed, closed, closed_actual, closed_interim, closed_on_time,"
    " asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen,"
    " pet_received, pet_closed, pet_on_time, pet_resolved)"
    " SELECT court_id, 'd', day, fy, SUM(f), SUM(c), SUM(ca), SUM(ci), SUM(ct), SUM(ac), SUM(aa), SUM(aat), SUM(ic), SUM(cf),"
    " SUM(rf), SUM(pr), SUM(pc), SUM(pt), SUM(pz) FROM ("
    "  SELECT court_id, filed_on AS day, CAST(substr(filed_on, 1, 4) AS INTEGER) AS fy, 1 AS f, 0 AS c, 0 AS ca, 0 AS ci,"
    "   0 AS ct, 0 AS ac, 0 AS aa, 0 AS aat, 0 AS ic, 0 AS cf, 0 AS rf, 0 AS pr, 0 AS pc, 0 AS pt, 0 AS pz"
    "  FROM enf_case WHERE type_code IN ('执','执恢','执保')"
    "  UNION ALL"
    "  SELECT court_id, closed_on, CAST(substr(filed_on, 1, 4) AS INTEGER), 0, 1,"
    "   CASE WHEN closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,"
    "   CASE WHEN closure_mode = 'interim_closure' THEN 1 ELSE 0 END,"
    "   CASE WHEN closed_on <= limit_date THEN 1 ELSE 0 END,"
    "   CASE WHEN has_assets = 1 THEN 1 ELSE 0 END,"
    "   CASE WHEN has_assets = 1 AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,"
    "   CASE WHEN has_assets = 1 AND closed_on <= limit_date AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,"
    "   CASE WHEN closure_mode = 'interim_closure' AND gate_passed = 1 THEN 1 ELSE 0 END,"
    "   claim_fen, recovered_fen, 0, 0, 0, 0"
    "  FROM enf_case WHERE type_code IN ('执','执恢','执保') AND closed_on IS NOT NULL"
    "  UNION ALL"
    "  SELECT court_id, received_on, CAST(substr(received_on, 1, 4) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0"
    "  FROM petition"
    "  UNION ALL"
    "  SELECT court_id, closed_on, CAST(substr(received_on, 1, 4) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,"
    "   CASE WHEN closed_on <= due_on THEN 1 ELSE 0 END, resolved"
    "  FROM petition WHERE closed_on IS NOT NULL"
    " ) u GROUP BY court_id, day, fy;"
    "INSERT INTO cmd_rollup (court_id, grain, period, fy, filed, closed, closed_actual, closed_interim, closed_on_time,"
    " asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen,"
    " pet_received, pet_closed, pet_on_time, pet_resolved)"
    " SELECT court_id, 'm', substr(period, 1, 7), fy, SUM(filed), SUM(closed), SUM(closed_actual), SUM(closed_interim),"
    " SUM(closed_on_time), SUM(asset_closed), SUM(asset_actual), SUM(asset_actual_on_time), SUM(interim_compliant),"
    " SUM(claim_fen), SUM(recovered_fen), SUM(pet_received), SUM(pet_closed), SUM(pet_on_time), SUM(pet_resolved)"
    " FROM cmd_rollup WHERE grain = 'd' GROUP BY court_id, substr(period, 1, 7), fy;"
    "INSERT INTO cmd_open_limit (court_id, limit_date, n)"
    " SELECT court_id, COALESCE(limit_date, ''), COUNT(*) FROM enf_case"
    " WHERE type_code IN ('执','执恢','执保') AND closed_on IS NULL GROUP BY court_id, COALESCE(limit_date, '');";

/* What the triggers kept, before the pass (rows left at zero by deletes and moves do not count). */
static const char keep_sql[] =
    "CREATE TEMP TABLE rb_trig_rollup AS SELECT * FROM cmd_rollup WHERE filed <> 0 OR closed <> 0 OR closed_actual <> 0"
    " OR closed_interim <> 0 OR closed_on_time <> 0 OR asset_closed <> 0 OR asset_actual <> 0 OR asset_actual_on_time <> 0"
    " OR interim_compliant <> 0 OR claim_fen <> 0 OR recovered_fen <> 0 OR pet_received <> 0 OR pet_closed <> 0"
    " OR pet_on_time <> 0 OR pet_resolved <> 0;"
    "CREATE TEMP TABLE rb_trig_open AS SELECT * FROM cmd_open_limit WHERE n <> 0;";

/* The rows that differ, both ways. */
static const char diff_sql[] =
    "SELECT 'roll-up only as the triggers keep it', court_id, grain || ' ' || period, fy FROM"
    " (SELECT * FROM rb_trig_rollup EXCEPT SELECT * FROM cmd_rollup) a"
    " UNION ALL SELECT 'roll-up only as rebuilt', court_id, grain || ' ' || period, fy FROM"
    " (SELECT * FROM cmd_rollup EXCEPT SELECT * FROM rb_trig_rollup) b"
    " UNION ALL SELECT 'open-limit only as the triggers keep it', court_id, limit_date, n FROM"
    " (SELECT * FROM rb_trig_open EXCEPT SELECT * FROM cmd_open_limit) c"
    " UNION ALL SELECT 'open-limit only as rebuilt', court_id, limit_date, n FROM"
    " (SELECT * FROM cmd_open_limit EXCEPT SELECT * FROM rb_trig_open) d";

static int64_t count_of(db_conn *c, const char *sql)
{
    int64_t n = -1;
    return db_exec_int64(c, sql, &n) == 0 ? n : -1;
}

int zx_rollup_rebuild(db_conn *c, const char *work_mem, zx_rollup_rebuilt *out, void (*diff_cb)(const char *line, void *arg),
                      void *arg)
{
    memset(out, 0, sizeof *out);
    if (db_begin(c)) return DB_ERROR;
    int rc = 0;
    if (work_mem && *work_mem && db_conn_kind(c) == DB_POSTGRES) { /* the grouping of a big store, in memory */
        char set[64];
        snprintf(set, sizeof set, "SET LOCAL work_mem = '%s'", work_mem);
        rc = db_exec(c, set);
    }
    /* PostgreSQL: writers whose triggers would touch the roll-ups wait until this commits (their +1 then
     * lands on the rebuilt rows); one committed before the lock is in the pass. SQLite: one writer already. */
    if (!rc && db_conn_kind(c) == DB_POSTGRES) rc = db_exec(c, "LOCK TABLE cmd_rollup, cmd_open_limit IN EXCLUSIVE MODE");
    bool check = diff_cb != NULL;
    if (!rc && check) rc = db_exec(c, keep_sql);
    if (!rc) rc = db_exec(c, rebuild_sql);
    if (!rc) {
        out->rollup_rows = count_of(c, "SELECT COUNT(*) FROM cmd_rollup");
        out->open_rows = count_of(c, "SELECT COUNT(*) FROM cmd_open_limit");
        if (out->rollup_rows < 0 || out->open_rows < 0) rc = DB_ERROR;
    }
    if (!rc && check) {
        db_stmt *s = db_prepare(c, diff_sql);
        if (!s) rc = DB_ERROR;
        while (s && db_step(s) == DB_ROW) {
            if (out->differing++ < 20) {
                char line[300];
                snprintf(line, sizeof line, "%s: court %lld, %s, %lld", db_col_text(s, 0), (long long)db_col_int64(s, 1),
                         db_col_text(s, 2) ? db_col_text(s, 2) : "", (long long)db_col_int64(s, 3));
                diff_cb(line, arg);
            }
        }
        if (s) db_finalize(s);
        out->kept_rows = count_of(c, "SELECT COUNT(*) FROM rb_trig_rollup");
        out->kept_open = count_of(c, "SELECT COUNT(*) FROM rb_trig_open");
    }
    if (!rc && !check) {
        zx_audit_rec rec = { .username = "cli", .action = "command.rollup_rebuild", .object_type = "cmd_rollup",
                             .object_id = "all", .result = "ok" };
        char detail[120];
        snprintf(detail, sizeof detail, "{\"rollup_rows\":%lld,\"open_limit_rows\":%lld}", (long long)out->rollup_rows,
                 (long long)out->open_rows);
        rec.detail = detail;
        rc = zx_audit_write(c, &rec);
    }
    if (rc || check) { /* a check leaves the store as it was */
        db_rollback(c);
        return rc ? DB_ERROR : 0;
    }
    return db_commit(c) ? DB_ERROR : 0;
}

/* ---- zhixing command rollup-rebuild ---- */
static void print_line(const char *line, void *arg)
{
    (void)arg;
    printf("%s\n", line);
}

static int cmd_rollup_rebuild(int argc, char **argv)
{
    bool check = zx_flag(argc, argv, "--check");
    const char *wm = zx_opt(argc, argv, "--work-mem");
    if (wm) { /* PostgreSQL memory units only: the value goes into a SET */
        size_t i = 0;
        while (wm[i] >= '0' && wm[i] <= '9') i++;
        if (!i || i > 6 || (wm[i] && strcmp(wm + i, "kB") && strcmp(wm + i, "MB") && strcmp(wm + i, "GB"))) {
            fprintf(stderr, "zhixing command rollup-rebuild: --work-mem takes a size such as 256MB or 1GB\n");
            return 2;
        }
    }
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    db_conn *c = db_acquire(app->db);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    zx_rollup_rebuilt rb;
    int rc = zx_rollup_rebuild(c, wm, &rb, check ? print_line : NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc) fprintf(stderr, "zhixing command rollup-rebuild: store error: %s\n", db_errmsg(c));
    else if (check)
        printf("rows: %lld roll-up, %lld open-limit; differing: %lld\n", (long long)rb.kept_rows, (long long)rb.kept_open,
               (long long)rb.differing);
    else
        printf("roll-ups rebuilt: %lld rows (court × day / month × filing year), %lld open-limit rows, %.1f s\n",
               (long long)rb.rollup_rows, (long long)rb.open_rows, secs);
    db_release(app->db, c);
    zx_cli_close(app);
    return rc ? 2 : rb.differing ? 1 : 0;
}
static const struct zx_command rollup_rebuild_cmd = {
    "command rollup-rebuild", cmd_rollup_rebuild, "--db URL [--check] [--work-mem 1GB]",
    "指挥中心汇总表（迁移046的触发器所维护的按日/按月统计）由案件与信访记录一次性重算；--check 仅比对触发器所维护的结果与重算结果"
    "（事务回滚，不改数据），有差异时列出并以状态1退出；--work-mem 为 PostgreSQL 分组所用内存"
};
ZX_COMMAND(rollup_rebuild_cmd)
