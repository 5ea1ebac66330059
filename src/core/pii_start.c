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
#include "audit/audit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

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
ZX_PII_COLUMN(auction_bar, id_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(auction_priority, id_enc, ZX_PII_ID_NUMBER)

/* Every blind-index column and where its value comes from, for `zhixing pii rotate --index`. */
ZX_PII_INDEX(case_party, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(special_subject, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, "kind = 'person'", a)
ZX_PII_INDEX(credit_entry, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(credit_decision, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(credit_deletion, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(interception_report, id, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(credit_change, seq, id_number, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(credit_change, seq, prev_id_number, "prev_id_number_enc", true, ZX_PII_ID_NUMBER, NULL, b)
ZX_PII_INDEX(auction_bidder, id, id_idx, "id_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(asset, id, identifier_key, "identifier_enc", true, ZX_PII_BANK_ACCOUNT, "identifier_enc IS NOT NULL", a)
ZX_PII_INDEX(asset, id, identifier_key, "identifier", false, ZX_PII_ADDRESS, "identifier_enc IS NULL", b)
ZX_PII_INDEX(auction_bar, id, id_idx, "id_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(auction_priority, id, id_idx, "id_enc", true, ZX_PII_ID_NUMBER, NULL, a)
/* 悬赏 tips and pending tips (migrations 047, 053), and a party's opt-out of node SMS, indexed by the
 * phone of the party (case_party.phone_enc) it was recorded for. */
ZX_PII_INDEX(reward_tip, id, id_number_idx, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(reward_tip_pending, id, id_number_idx, "id_number_enc", true, ZX_PII_ID_NUMBER, NULL, a)
ZX_PII_INDEX(reward_tip_pending, id, phone_idx, "phone_enc", true, ZX_PII_PHONE, NULL, b)
ZX_PII_INDEX(portal_optout, party_id, phone_idx, "(SELECT p.phone_enc FROM case_party p WHERE p.id = portal_optout.party_id)", true,
             ZX_PII_PHONE, NULL, a)
ZX_PII_COLUMN(reward_tip_pending, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(reward_tip_pending, phone_enc, ZX_PII_PHONE)
/* Rows written before migration 042 keep only the index (no sealed twin): a rotation refuses while
 * any is left (src NULL = cannot be recomputed). */
ZX_PII_INDEX(auction_bar, id, id_idx, NULL, false, ZX_PII_ID_NUMBER, "id_enc IS NULL", b)
ZX_PII_INDEX(auction_priority, id, id_idx, NULL, false, ZX_PII_ID_NUMBER, "id_enc IS NULL", b)

/* Plain columns written before migrations 020 (case parties, roster) and 042 (credit tables) and
 * where their values go. A row still holds a plain ID number when id_number is not 64 characters (a
 * blind index is 64 hex). */
static const struct legacy {
    const char *table;
    const char *key;        /* BIGINT primary key */
    const char *where;      /* rows still in clear */
    const char *plain[3];   /* plain columns (NULL-terminated) */
    const char *enc[3];     /* sealed columns (NULL: the value is not kept, only its blind index) */
    const char *index[3];   /* column receiving the blind index (or NULL: the plain column is cleared) */
    zx_pii_kind kind[3];
} LEGACY[] = {
    {"case_party", "id",
     "(id_number IS NOT NULL AND LENGTH(id_number) <> 64) OR phone IS NOT NULL OR address IS NOT NULL",
     {"id_number", "phone", "address"}, {"id_number_enc", "phone_enc", "address_enc"}, {"id_number", NULL, NULL},
     {ZX_PII_ID_NUMBER, ZX_PII_PHONE, ZX_PII_ADDRESS}},
    {"special_subject", "id", "kind = 'person' AND id_number IS NOT NULL AND LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
    /* migration 042: 失信/限消 entries, decisions, deletions, the change feed, interception reports */
    {"credit_entry", "id", "LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
    {"credit_decision", "id", "LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
    {"credit_deletion", "id", "LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
    {"interception_report", "id", "LENGTH(id_number) <> 64",
     {"id_number", NULL, NULL}, {"id_number_enc", NULL, NULL}, {"id_number", NULL, NULL}, {ZX_PII_ID_NUMBER, 0, 0}},
    {"credit_change", "seq", "LENGTH(id_number) <> 64 OR (prev_id_number IS NOT NULL AND LENGTH(prev_id_number) <> 64)",
     {"id_number", "prev_id_number", NULL}, {"id_number_enc", "prev_id_number_enc", NULL},
     {"id_number", "prev_id_number", NULL}, {ZX_PII_ID_NUMBER, ZX_PII_ID_NUMBER, 0}},
};

/* Seal one batch of rows of table t. Returns rows sealed (0 = none left) or < 0. */
static int seal_batch(db_conn *c, const struct legacy *t)
{
    char sql[512];
    int nc = 0;
    while (nc < 3 && t->plain[nc]) nc++;
    int o = snprintf(sql, sizeof sql, "SELECT %s", t->key);
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
    for (int i = 0; i < nc; i++) {
        if (t->enc[i]) o += snprintf(sql + o, sizeof sql - (size_t)o, "%s%s = ?, ", i ? ", " : "", t->enc[i]);
        else if (i) o += snprintf(sql + o, sizeof sql - (size_t)o, ", ");
        o += snprintf(sql + o, sizeof sql - (size_t)o, "%s = ?", t->index[i] ? t->index[i] : t->plain[i]);
    }
    snprintf(sql + o, sizeof sql - (size_t)o, " WHERE %s = ?", t->key);
    int rc = 0;
    for (int k = 0; k < n && !rc; k++) {
        db_stmt *u = db_prepare(c, sql);
        if (!u) { rc = DB_ERROR; break; }
        int b = 1;
        for (int i = 0; i < nc; i++) {
            if (t->enc[i]) zx_pii_bind(u, b++, t->kind[i], rows[k].v[i]);
            if (t->index[i]) zx_pii_bind_index(u, b++, t->kind[i], rows[k].v[i]);
            else db_bind_null(u, b++);
        }
        db_bind_int64(u, b, rows[k].id);
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

/* credit_change.data (the entry as JSON after the change) carried the ID number before migration
 * 042: drop the member (the feed reads id_number_enc). One batch; rows done or < 0. */
static int strip_change_data(db_conn *c)
{
    if (db_begin(c)) return DB_ERROR;
    db_stmt *s = db_prepare(c, "SELECT seq, data FROM credit_change WHERE data LIKE '%\"id_number\":%' LIMIT 500");
    if (!s) goto fail;
    struct { int64_t seq; char *data; } rows[500];
    int n = 0, rc = 0;
    while (n < 500 && db_step(s) == DB_ROW) {
        json_t *j = json_loads(db_col_text(s, 1) ? db_col_text(s, 1) : "", 0, NULL);
        rows[n].seq = db_col_int64(s, 0);
        if (j) json_object_del(j, "id_number");
        rows[n].data = j ? json_dumps(j, JSON_COMPACT) : strdup("{}");
        json_decref(j);
        n++;
    }
    db_finalize(s);
    for (int k = 0; k < n; k++) {
        db_stmt *u = rc ? NULL : db_prepare(c, "UPDATE credit_change SET data = ? WHERE seq = ?");
        if (u) {
            db_bind_text(u, 1, rows[k].data, -1);
            db_bind_int64(u, 2, rows[k].seq);
            if (db_step(u) != DB_DONE) rc = DB_ERROR;
            db_finalize(u);
        } else {
            rc = DB_ERROR;
        }
        free(rows[k].data);
    }
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
    int n;
    while ((n = strip_change_data(c)) > 0) total += n;
    if (n < 0) {
        LOG_ERROR("pii: sealing credit_change.data: %s", db_errmsg(c));
        db_release(db, c);
        return n;
    }
    /* SQLite keeps the replaced plain values in free pages and the WAL until they are reused:
     * rewrite the file once so the numbers are really gone (等保 剩余信息保护). */
    if (total && db_kind(db) == DB_SQLITE && (db_exec(c, "VACUUM") || db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)")))
        LOG_WARN("pii: VACUUM after sealing failed: %s", db_errmsg(c));
    /* PostgreSQL: the old row versions stay in the table files until rewritten. VACUUM FULL copies a
     * dead version that a snapshot older than the seal may still see, so first wait (up to 120 s) for
     * the transactions running at the seal's last commit — a serving node's open reads, a writer idle in
     * its transaction (an xid but no snapshot), a long write in another database of the cluster — to
     * end; otherwise the clear values would be copied into the new files. */
    if (total && db_kind(db) == DB_POSTGRES) {
        /* The horizon: an xid taken after the seal's commit. Until every transaction that was running
         * then has ended, a snapshot may still see the clear rows — and every snapshot's xmin counts
         * the transactions running anywhere in the cluster (another database's long write too), so the
         * wait looks at writers in every database and at snapshots in this one. */
        char horizon[24] = "";
        db_stmt *h = db_prepare(c, "SELECT CAST(txid_current() % 4294967296 AS TEXT)");
        if (h && db_step(h) == DB_ROW) snprintf(horizon, sizeof horizon, "%s", db_col_text(h, 0));
        if (h) db_finalize(h);
        for (int i = 0; horizon[0] && i < 1200; i++) {
            db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND"
                                       " ((backend_xid IS NOT NULL AND age(backend_xid) >= age(CAST(? AS xid))) OR"
                                       " (datname = current_database() AND backend_xmin IS NOT NULL"
                                       " AND age(backend_xmin) >= age(CAST(? AS xid))))");
            int64_t older = 0;
            if (s) {
                db_bind_text(s, 1, horizon, -1);
                db_bind_text(s, 2, horizon, -1);
                if (db_step(s) == DB_ROW) older = db_col_int64(s, 0);
                db_finalize(s);
            }
            if (!s || older == 0) break;
            if (i == 1199) LOG_WARN("pii: %lld older transactions still open; VACUUM FULL may keep dead clear rows until the next vacuum", (long long)older);
            else usleep(100 * 1000);
        }
    }
    for (size_t t = 0; total && db_kind(db) == DB_POSTGRES && t < sizeof LEGACY / sizeof LEGACY[0]; t++) {
        char q[80];
        snprintf(q, sizeof q, "VACUUM FULL %s", LEGACY[t].table);
        if (db_exec(c, q)) LOG_WARN("pii: %s after sealing failed: %s", q, db_errmsg(c));
    }
    db_release(db, c);
    if (total) LOG_INFO("pii: sealed %lld rows written in clear before migrations 020/042", (long long)total);
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
    "加密旧库中仍为明文的身份证号、电话、地址（迁移 020 之前写入的数据）以及失信/限消名单、决定、变更流中的身份证号"
    "（迁移 042 之前写入的数据）；服务启动时也会自动执行。"};
ZX_COMMAND(pii_seal_cmd)

/* Wait until every process sharing the key file has re-read it (each checks its mtime every
 * zx_pii_reload_ms()): two intervals and a margin. */
static void settle(void)
{
    int64_t ms = 2 * zx_pii_reload_ms() + 500;
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {}
}

/* `pii rotate --index`: a new blind-index key, ONLINE (servers keep serving; pii.h "Online rotation"):
 * announce the next key (look-ups use both), switch writes to it, move every blind-index column in
 * small transactions, then commit the store's new fingerprint with the audit record and drop the
 * old key from the key file. The key file carries the state (`index_next`, `index_phase write`), so
 * an interrupted run is continued by running the command again. */
static int rotate_index(zx_app *app, const char *path)
{
    char err[512], names[400], fp[33], nfp[33], actor[96], detail[320];
    db_conn *c = db_acquire(app->db);
    int64_t blocked = zx_pii_reindex_blockers(c, names, sizeof names);
    db_release(app->db, c);
    if (blocked != 0) {
        if (blocked < 0) fprintf(stderr, "zhixing: cannot count the index-only rows\n");
        else fprintf(stderr, "zhixing: these columns keep only a blind index (no sealed value to recompute it from): %s;"
                             " the index key cannot be rotated while they hold rows\n", names);
        return 1;
    }
    int64_t t0 = zx_now_ms();
    bool resumed = zx_pii_index_rotating();
    if (zx_pii_index_next_add(path, err, sizeof err)) {
        fprintf(stderr, "zhixing: %s\n", err);
        return 1;
    }
    zx_pii_index_fingerprints(fp, nfp);
    if (!zx_pii_index_writing_next()) {
        printf("phase 1: next index key %s announced%s; look-ups use both keys (waiting %lld ms for every server)\n", nfp,
               resumed ? " (resumed)" : "", (long long)(2 * zx_pii_reload_ms() + 500));
        fflush(stdout);
        settle();
        if (zx_pii_index_write_next(path, err, sizeof err)) {
            fprintf(stderr, "zhixing: %s\n", err);
            return 1;
        }
        printf("phase 2: new blind indexes are written under the next key (waiting %lld ms)\n",
               (long long)(2 * zx_pii_reload_ms() + 500));
        fflush(stdout);
        settle();
    }
    /* phase 3: move the rows, in batches, until none is left under the old key (a server that was
     * late to reload may have written one meanwhile: another pass takes it) */
    int64_t moved = 0, left = -1;
    for (int pass = 0; pass < 5; pass++) {
        int64_t m = zx_pii_reindex_online(app->db, pass ? NULL : progress);
        if (m < 0) {
            fprintf(stderr, "zhixing: re-indexing failed (run the command again to continue; look-ups keep working)\n");
            return 1;
        }
        moved += m;
        left = zx_pii_reindex_left(app->db);
        if (left <= 0) break;
        settle();
    }
    if (left != 0) {
        fprintf(stderr, "zhixing: %lld values still under the old index key after 5 passes; run the command again\n",
                (long long)left);
        return 1;
    }
    /* phase 4: the store's fingerprint and the audit record in one transaction, then the key file */
    c = db_acquire(app->db);
    int rc = db_begin(c);
    if (rc == 0) {
        db_stmt *s = db_prepare(c, "UPDATE pii_key SET fingerprint = ? WHERE version = 0");
        if (s) db_bind_text(s, 1, nfp, -1);
        rc = s && db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : -1;
        if (s) db_finalize(s);
        zx_cli_actor(actor, sizeof actor);
        snprintf(detail, sizeof detail,
                 "{\"values\":%lld,\"old_fingerprint\":\"%s\",\"new_fingerprint\":\"%s\",\"online\":true,\"ms\":%lld}",
                 (long long)moved, fp, nfp, (long long)(zx_now_ms() - t0));
        zx_audit_rec rec = { .username = actor, .action = "pii.index_rotate", .object_type = "pii_key", .object_id = "0",
                             .result = "ok", .detail = detail };
        if (rc == 0) rc = zx_audit_write(c, &rec);
    }
    if (rc != 0 || db_commit(c) != 0) {
        fprintf(stderr, "zhixing: could not record the new index key in the store: %s (run the command again)\n", db_errmsg(c));
        db_rollback(c);
        db_release(app->db, c);
        return 1;
    }
    db_release(app->db, c);
    if (zx_pii_index_promote(path, err, sizeof err)) {
        fprintf(stderr, "zhixing: the store uses the new index key but %s could not be finalised (%s);"
                        " the next start finishes it\n", path, err);
        return 1;
    }
    printf("blind-index key rotated online: %lld values re-indexed in batches while serving, 0 left under the old key"
           " (fingerprint %s → %s); the old key is removed from %s\n",
           (long long)moved, fp, nfp, path);
    return 0;
}

static int cmd_pii_rotate(int argc, char **argv)
{
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    char path[512], err[512];
    key_path(app, path);
    if (zx_flag(argc, argv, "--index")) {
        int irc = rotate_index(app, path);
        zx_cli_close(app);
        return irc;
    }
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
        printf("new key version %u is current in %s; running servers pick it up within %lld ms\n", nv, path,
               (long long)zx_pii_reload_ms());
    }
    /* Re-seal in small transactions while servers keep running; a second pass after the servers'
     * reload interval catches values they sealed with the old key in between. */
    int64_t n = zx_pii_reseal_all(app->db, progress);
    if (n >= 0 && !zx_flag(argc, argv, "--no-wait")) {
        settle(); /* every server re-read the key file (zx_pii_reload_ms) */
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
    "pii rotate", cmd_pii_rotate, "[--db URL] [--resume] [--no-wait] | --retire N | --index",
    "轮换个人信息加密密钥：在密钥文件中新增一个版本并设为当前版本，然后在后台分批重新加密全部加密字段"
    "（服务不停；中断后用 --resume 继续）。--retire N：全部重新加密后从密钥文件删除旧版本 N。"
    "盲索引密钥不随之轮换（查询不受影响）。--index：在线轮换盲索引密钥——先通知各服务同时用新旧两个密钥查询，"
    "再改用新密钥写入，随后分批（小事务）用新密钥重算全部盲索引列，完成后写审计记录并从密钥文件删除旧密钥"
    "（服务不停；中断后再次执行即可继续）。"};
ZX_COMMAND(pii_rotate_cmd)
