/* pii_start.c — the personal-data keys at start-up, the sealing of values written in clear before
 * migration 020, and the CLI: `zhixing pii status | seal | rotate [--retire N]`.
 *
 * Start-up (every CLI command and the server, before any other start hook): the key file named by
 * `pii_key_file` (or the default next to the store) is created (mode 0600) only for a store that has
 * never recorded a key; a store that has keys refuses to start without its key file or with another
 * one. Then rows still holding a plain value (a store written before migration 020) are sealed in
 * batches of 500, each its own write transaction — an interrupted start simply continues next time. */
#include "app.h"
#include "cli.h"
#include "core/log.h"
#include "core/ids.h"
#include "core/pii.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ZX_PII_COLUMN(case_party, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(case_party, phone_enc, ZX_PII_PHONE)
ZX_PII_COLUMN(case_party, address_enc, ZX_PII_ADDRESS)
ZX_PII_COLUMN(special_subject, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN_KEY(user_totp, user_id, secret_enc, ZX_PII_SECRET)
/* Sealed columns of other modules (their migrations are in the same binary), so that a rotation
 * re-seals them too; a module may also register its own next to its code (duplicates are ignored). */
ZX_PII_COLUMN(auction_bidder, id_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(auction_bidder, phone_enc, ZX_PII_PHONE)
ZX_PII_COLUMN(asset, identifier_enc, ZX_PII_BANK_ACCOUNT)

/* Plain columns written before migration 020 and where their values go. A row still holds a plain
 * ID number when id_number is not 64 characters (a blind index is 64 hex). */
static const struct legacy {
    const char *table;
    const char *where;      /* rows still in clear */
    const char *plain[3];   /* plain columns (NULL-terminated) */
    const char *enc[3];     /* sealed columns */
    const char *index[3];   /* column receiving the blind index (or NULL: the plain column is cleared) */
    zx_pii_kind kind[3];
} LEGACY[] = {
    {"case_party",
     "(id_number IS NOT NULL AND LENGTH(id_number) <> 64) OR phone IS NOT NULL OR address IS NOT NULL",
     {"id_number", "phone", "address"}, {"id_number_enc", "phone_enc", "address_enc"}, {"id_number", NULL, NULL},
     {ZX_PII_ID_NUMBER, ZX_PII_PHONE, ZX_PII_ADDRESS}},
    {"special_subject", "kind = 'person' AND id_number IS NOT NULL AND LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
};

/* Seal one batch of rows of table t. Returns rows sealed (0 = none left) or < 0. */
static int seal_batch(db_conn *c, const struct legacy *t)
{
    char sql[512];
    int nc = 0;
    while (nc < 3 && t->plain[nc]) nc++;
    int o = snprintf(sql, sizeof sql, "SELECT id");
    for (int i = 0; i < nc; i++) o += snprintf(sql + o, sizeof sql - (size_t)o, ", %s", t->plain[i]);
    snprintf(sql + o, sizeof sql - (size_t)o, " FROM %s WHERE %s LIMIT 500", t->table, t->where);
    if (db_begin(c)) return DB_ERROR;
    db_stmt *s = db_prepare(c, sql);
    if (!s) goto fail;
    struct row { int64_t id; char *v[3]; } *rows = calloc(500, sizeof *rows);
    if (!rows) zx_die("pii: out of memory");
    int n = 0;
    while (n < 500 && db_step(s) == DB_ROW) {
        rows[n].id = db_col_int64(s, 0);
        for (int i = 0; i < nc; i++) rows[n].v[i] = db_col_text(s, 1 + i) ? strdup(db_col_text(s, 1 + i)) : NULL;
        n++;
    }
    db_finalize(s);
    o = snprintf(sql, sizeof sql, "UPDATE %s SET ", t->table);
    for (int i = 0; i < nc; i++)
        o += snprintf(sql + o, sizeof sql - (size_t)o, "%s%s = ?, %s = ?", i ? ", " : "", t->enc[i],
                      t->index[i] ? t->index[i] : t->plain[i]);
    snprintf(sql + o, sizeof sql - (size_t)o, " WHERE id = ?");
    int rc = 0;
    for (int k = 0; k < n && !rc; k++) {
        db_stmt *u = db_prepare(c, sql);
        if (!u) { rc = DB_ERROR; break; }
        for (int i = 0; i < nc; i++) {
            zx_pii_bind(u, 1 + 2 * i, t->kind[i], rows[k].v[i]);
            if (t->index[i]) zx_pii_bind_index(u, 2 + 2 * i, t->kind[i], rows[k].v[i]);
            else db_bind_null(u, 2 + 2 * i);
        }
        db_bind_int64(u, 1 + 2 * nc, rows[k].id);
        if (db_step(u) != DB_DONE) rc = DB_ERROR;
        db_finalize(u);
    }
    for (int k = 0; k < n; k++)
        for (int i = 0; i < nc; i++) zx_pii_free(rows[k].v[i]);
    free(rows);
    if (rc || db_commit(c)) goto fail;
    return n;
fail:
    db_rollback(c);
    return DB_ERROR;
}

/* Seal every value still in clear. Returns the number of rows sealed or < 0. */
static int64_t seal_legacy(db_t *db)
{
    int64_t total = 0;
    db_conn *c = db_acquire(db);
    for (size_t t = 0; t < sizeof LEGACY / sizeof LEGACY[0]; t++) {
        int n;
        while ((n = seal_batch(c, &LEGACY[t])) > 0) total += n;
        if (n < 0) {
            LOG_ERROR("pii: sealing %s: %s", LEGACY[t].table, db_errmsg(c));
            db_release(db, c);
            return n;
        }
    }
    /* SQLite keeps the replaced plain values in free pages and the WAL until they are reused:
     * rewrite the file once so the numbers are really gone (等保 剩余信息保护). */
    if (total && db_kind(db) == DB_SQLITE && (db_exec(c, "VACUUM") || db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)")))
        LOG_WARN("pii: VACUUM after sealing failed: %s", db_errmsg(c));
    db_release(db, c);
    if (total) LOG_INFO("pii: sealed %lld rows written in clear before migration 020", (long long)total);
    return total;
}

static void key_path(const zx_app *app, char out[512])
{
    zx_pii_default_key_file(app->cfg.pii_key_file, app->cfg.db, out);
}

static int pii_start(zx_app *app)
{
    char path[512], err[512];
    key_path(app, path);
    db_conn *c = db_acquire(app->db);
    int64_t known = 0;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM pii_key");
    int ok = s && db_step(s) == DB_ROW;
    if (ok) known = db_col_int64(s, 0);
    if (s) db_finalize(s);
    int rc = -1;
    if (!ok) snprintf(err, sizeof err, "pii_key: %s", db_errmsg(c));
    else if (zx_pii_init(path, known == 0, err, sizeof err) == 0 && zx_pii_check_store(c, err, sizeof err) == 0) rc = 0;
    db_release(app->db, c);
    if (rc) {
        LOG_ERROR("personal-data keys: %s", err);
        fprintf(stderr, "zhixing: personal-data keys: %s\n", err);
        return -1;
    }
    LOG_INFO("pii: keys loaded from %s (current version %u)", path, zx_pii_current_version());
    return seal_legacy(app->db) < 0 ? -1 : 0;
}
ZX_ON_START("00-pii", pii_start)

/* ------------------------------------------------------------------ CLI */

static void progress(const char *table, const char *col, int64_t n)
{
    printf("  %s.%s: %lld re-sealed\n", table, col, (long long)n);
}

static int cmd_pii_status(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    char path[512];
    key_path(app, path);
    int64_t stale = zx_pii_stale_count(app->db);
    printf("key file: %s\ncurrent key version: %u\nvalues sealed with an older version: %lld\n", path,
           zx_pii_current_version(), (long long)stale);
    zx_cli_close(app);
    return stale < 0 ? 1 : 0;
}
static const struct zx_command pii_status_cmd = {
    "pii status", cmd_pii_status, "[--db URL]",
    "个人信息加密状态：密钥文件、当前密钥版本、仍以旧版本加密的字段数。"};
ZX_COMMAND(pii_status_cmd)

static int cmd_pii_seal(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv); /* the start hook seals what is left in clear */
    if (!app) return 1;
    printf("personal data sealed (key version %u)\n", zx_pii_current_version());
    zx_cli_close(app);
    return 0;
}
static const struct zx_command pii_seal_cmd = {
    "pii seal", cmd_pii_seal, "[--db URL]",
    "加密旧库中仍为明文的身份证号、电话、地址（迁移 020 之前写入的数据；服务启动时也会自动执行）。"};
ZX_COMMAND(pii_seal_cmd)

static int cmd_pii_rotate(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    char path[512], err[512];
    key_path(app, path);
    const char *retire = zx_opt(argc, argv, "--retire");
    int rc = 0;
    if (retire) {
        long v = strtol(retire, NULL, 10);
        int64_t stale = zx_pii_stale_count(app->db);
        if (v <= 0 || (uint32_t)v == zx_pii_current_version()) {
            fprintf(stderr, "zhixing: --retire needs an old key version (not the current one)\n");
            rc = 2;
        } else if (stale != 0) {
            fprintf(stderr, "zhixing: %lld values are still sealed with an older key; run `zhixing pii rotate --resume` first\n",
                    (long long)stale);
            rc = 1;
        } else if (zx_pii_remove_version(path, (uint32_t)v, err, sizeof err)) {
            fprintf(stderr, "zhixing: %s\n", err);
            rc = 1;
        } else {
            db_conn *c = db_acquire(app->db);
            db_stmt *s = db_prepare(c, "UPDATE pii_key SET retired_at = ? WHERE version = ?");
            db_bind_int64(s, 1, zx_now_ms());
            db_bind_int64(s, 2, v);
            db_step(s);
            db_finalize(s);
            db_release(app->db, c);
            printf("key version %ld removed from %s\n", v, path);
        }
        zx_cli_close(app);
        return rc;
    }
    if (!zx_flag(argc, argv, "--resume")) {
        uint32_t nv = 0;
        if (zx_pii_add_version(path, &nv, err, sizeof err) || zx_pii_init(path, false, err, sizeof err)) {
            fprintf(stderr, "zhixing: %s\n", err);
            zx_cli_close(app);
            return 1;
        }
        db_conn *c = db_acquire(app->db);
        int crc = zx_pii_check_store(c, err, sizeof err);
        db_release(app->db, c);
        if (crc) {
            fprintf(stderr, "zhixing: %s\n", err);
            zx_cli_close(app);
            return 1;
        }
        printf("new key version %u is current in %s; running servers pick it up within 5 s\n", nv, path);
    }
    /* Re-seal in small transactions while servers keep running; a second pass after the servers'
     * reload interval catches values they sealed with the old key in between. */
    int64_t n = zx_pii_reseal_all(app->db, progress);
    if (n >= 0 && !zx_flag(argc, argv, "--no-wait")) {
        sleep(6);
        int64_t m = zx_pii_reseal_all(app->db, NULL);
        n = m < 0 ? m : n + m;
    }
    int64_t stale = n < 0 ? -1 : zx_pii_stale_count(app->db);
    if (n < 0 || stale < 0) rc = 1;
    else printf("re-sealed %lld values with key version %u; %lld left on older versions\n", (long long)n,
                zx_pii_current_version(), (long long)stale);
    zx_cli_close(app);
    return rc;
}
static const struct zx_command pii_rotate_cmd = {
    "pii rotate", cmd_pii_rotate, "[--db URL] [--resume] [--no-wait] | --retire N",
    "轮换个人信息加密密钥：在密钥文件中新增一个版本并设为当前版本，然后在后台分批重新加密全部加密字段"
    "（服务不停；中断后用 --resume 继续）。--retire N：全部重新加密后从密钥文件删除旧版本 N。"
    "盲索引密钥不随之轮换（查询不受影响）。"};
ZX_COMMAND(pii_rotate_cmd)
