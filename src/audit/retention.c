/* retention.c — archive, then prune, audit records older than audit_retention_days (≥ 183 days,
 * 网络安全法 art 21). The only path that removes audit records, and it removes them only after
 * they sit in a signed, re-read and checked archive file outside the store. See anchor.h. */
#include "audit/anchor.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int zx_anchor_sign_hex(const char *msg, size_t len, char *out, size_t cap); /* anchor.c */

static const char *COLS = "seq, at_ms, user_id, username, court_code, action, object_type, object_id, result,"
                          " client_ip, request_id, detail, prev_hash, hash, hash_v";

/* One record as a JSON line (every column, so the chain can be recomputed from the archive). */
static char *record_line(db_stmt *s)
{
    json_t *j = json_object();
    static const char *names[] = {"seq", "at_ms", "user_id", "username", "court_code", "action", "object_type", "object_id",
                                  "result", "client_ip", "request_id", "detail", "prev_hash", "hash", "hash_v"};
    for (int i = 0; i < 15; i++) {
        if (db_col_is_null(s, i)) json_object_set_new(j, names[i], json_null());
        else if (i <= 2 || i == 14) json_object_set_new(j, names[i], json_integer(db_col_int64(s, i)));
        else json_object_set_new(j, names[i], json_string(db_col_text(s, i)));
    }
    char *line = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return line;
}

/* SM3 of a file's first len bytes (hex). 0 or -1. */
static int file_sm3(const char *path, long len, char out[65])
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_DigestInit_ex2(m, EVP_sm3(), NULL);
    char buf[65536];
    long left = len;
    while (left > 0) {
        size_t want = left < (long)sizeof buf ? (size_t)left : sizeof buf;
        size_t got = fread(buf, 1, want, f);
        if (got == 0) break;
        EVP_DigestUpdate(m, buf, got);
        left -= (long)got;
    }
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(m, d, &dl);
    EVP_MD_CTX_free(m);
    fclose(f);
    if (left != 0) return -1;
    zx_hex(d, 32, out);
    return 0;
}

int64_t zx_audit_archive(db_t *db, const struct zx_config *cfg, int64_t now_ms, char *err, size_t errlen)
{
    char key[512], cpdir[512], dir[512];
    zx_anchor_paths(cfg, key, cpdir, dir);
    int64_t cutoff = now_ms - (int64_t)cfg->audit_retention_days * 86400000; /* 网络安全法 art 21: ≥ 6 months */
    db_conn *c = db_acquire(db);
    int64_t from = 0, to = 0;
    if (db_exec_int64(c, "SELECT COALESCE(MAX(to_seq), 0) + 1 FROM audit_archive", &from) < 0) goto dberr;
    db_stmt *s = db_prepare(c, "SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE at_ms < ?");
    if (!s) goto dberr;
    db_bind_int64(s, 1, cutoff);
    if (db_step(s) == DB_ROW) to = db_col_int64(s, 0);
    db_finalize(s);
    if (to < from) {
        db_release(db, c);
        return 0;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        db_release(db, c);
        return -1;
    }
    char name[128], path[1100], tmp[1100];
    snprintf(name, sizeof name, "audit-%012lld-%012lld.jsonl", (long long)from, (long long)to);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot write in %s: %s", dir, strerror(errno));
        db_release(db, c);
        return -1;
    }
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT %s FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq", COLS);
    s = db_prepare(c, sql);
    if (!s) {
        fclose(f);
        unlink(tmp);
        goto dberr;
    }
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    int64_t n = 0, expect = from;
    char last_hash[65] = "";
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (db_col_int64(s, 0) != expect) break; /* a gap: verify will name it; do not archive past it */
        char *line = record_line(s);
        fputs(line, f);
        fputc('\n', f);
        free(line);
        snprintf(last_hash, sizeof last_hash, "%s", db_col_text(s, 13) ? db_col_text(s, 13) : "");
        n++;
        expect++;
    }
    db_finalize(s);
    to = expect - 1;
    long body_len = ftell(f);
    if (rc < 0 || n == 0 || fflush(f) != 0) {
        fclose(f);
        unlink(tmp);
        snprintf(err, errlen, n == 0 ? "nothing readable to archive" : "cannot read audit_log: %s", db_errmsg(c));
        db_release(db, c);
        return n == 0 ? 0 : -1;
    }
    char sha[65], msg[512], sig[300];
    if (file_sm3(tmp, body_len, sha)) {
        fclose(f);
        unlink(tmp);
        snprintf(err, errlen, "cannot re-read %s", tmp);
        db_release(db, c);
        return -1;
    }
    int ml = snprintf(msg, sizeof msg, "zhixing-audit-archive\nv1\n%lld\n%lld\n%s\n%s\n", (long long)from, (long long)to, last_hash, sha);
    if (zx_anchor_sign_hex(msg, (size_t)ml, sig, sizeof sig)) {
        fclose(f);
        unlink(tmp);
        snprintf(err, errlen, "SM2 signing failed (no key loaded?)");
        db_release(db, c);
        return -1;
    }
    fprintf(f, "{\"archive\":{\"v\":1,\"from_seq\":%lld,\"to_seq\":%lld,\"records\":%lld,\"last_hash\":\"%s\",\"body_sm3\":\"%s\","
               "\"at_ms\":%lld,\"sig\":\"%s\"}}\n",
            (long long)from, (long long)to, (long long)n, last_hash, sha, (long long)now_ms, sig);
    int ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    fclose(f);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        db_release(db, c);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    /* Re-read the file as written before anything is deleted. */
    char again[65];
    if (file_sm3(path, body_len, again) || strcmp(again, sha)) {
        snprintf(err, errlen, "archive %s does not read back identically; nothing pruned", path);
        db_release(db, c);
        return -1;
    }
    if (db_begin(c)) goto dberr;
    s = db_prepare(c, "INSERT INTO audit_archive (id, from_seq, to_seq, last_hash, file, sha, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, from);
        db_bind_int64(s, 3, to);
        db_bind_text(s, 4, last_hash, -1);
        db_bind_text(s, 5, name, -1);
        db_bind_text(s, 6, sha, -1);
        db_bind_int64(s, 7, now_ms);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && (s = db_prepare(c, "DELETE FROM audit_log WHERE seq >= ? AND seq <= ?"))) {
        db_bind_int64(s, 1, from);
        db_bind_int64(s, 2, to);
        rc = db_step(s) == DB_DONE && db_changes(s) == n ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) {
        char detail[700];
        snprintf(detail, sizeof detail, "{\"from_seq\":%lld,\"to_seq\":%lld,\"records\":%lld,\"file\":\"%s\",\"body_sm3\":\"%s\","
                 "\"retention_days\":%d}", (long long)from, (long long)to, (long long)n, name, sha, cfg->audit_retention_days);
        zx_audit_rec rec = {.username = "system", .action = "audit.archive", .object_type = "audit_log", .object_id = "",
                            .result = "ok", .detail = detail};
        rc = zx_audit_write(c, &rec);
    }
    if (rc || db_commit(c)) {
        db_rollback(c);
        goto dberr;
    }
    db_release(db, c);
    LOG_INFO("audit: archived records %lld–%lld (%lld) to %s and pruned them", (long long)from, (long long)to, (long long)n, path);
    return n;
dberr:
    snprintf(err, errlen, "store error: %s", db_errmsg(c));
    db_release(db, c);
    return -1;
}
