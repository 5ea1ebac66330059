/* anchor.c — signed checkpoints of the audit chain head outside the store, their verification,
 * retention with signed archives, and alerts. See anchor.h. */
#include "audit/anchor.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/metrics.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SM2_ID "1234567812345678" /* GB/T 35276 default user ID */

static EVP_PKEY *g_key;
static pthread_mutex_t g_key_mu = PTHREAD_MUTEX_INITIALIZER;

void zx_anchor_paths(const struct zx_config *cfg, char key[512], char checkpoints[512], char archive[512])
{
    zx_config_store_path(cfg->audit_key_file, cfg->db, ".audit.pem", "var/zhixing.audit.pem", key);
    zx_config_store_path(cfg->audit_checkpoint_dir, cfg->db, ".checkpoints", "var/audit-checkpoints", checkpoints);
    zx_config_store_path(cfg->audit_archive_dir, cfg->db, ".archive", "var/audit-archive", archive);
}

/* Write data to dir/name atomically: temp file, fsync, rename, fsync the directory. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len, char *err, size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    char tmp[1100], path[1100];
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write in %s: %s", dir, strerror(errno));
        return -1;
    }
    fchmod(fd, 0644);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    int ok = off == len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int zx_anchor_key_load(const char *path, bool create, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    EVP_PKEY *k = NULL;
    if (f) {
        k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
        fclose(f);
        if (!k) {
            snprintf(err, errlen, "%s is not a PEM private key", path);
            return -1;
        }
    } else if (create) {
        EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
        if (!kc || EVP_PKEY_keygen_init(kc) <= 0 || EVP_PKEY_generate(kc, &k) <= 0) {
            EVP_PKEY_CTX_free(kc);
            snprintf(err, errlen, "SM2 key generation failed");
            return -1;
        }
        EVP_PKEY_CTX_free(kc);
        char dir[512];
        snprintf(dir, sizeof dir, "%s", path);
        char *sl = strrchr(dir, '/');
        if (sl) *sl = 0;
        if (sl && sl != dir) mkdir(dir, 0700);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        FILE *w = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!w || PEM_write_PrivateKey(w, k, NULL, NULL, 0, NULL, NULL) != 1 || fflush(w) != 0 || fsync(fileno(w)) != 0) {
            if (w) fclose(w);
            else if (fd >= 0) close(fd);
            EVP_PKEY_free(k);
            if (errno == EEXIST) return zx_anchor_key_load(path, false, err, errlen); /* created concurrently */
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            return -1;
        }
        fclose(w);
        LOG_INFO("audit: created the SM2 checkpoint key %s (mode 0600)", path);
    } else {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    pthread_mutex_lock(&g_key_mu);
    EVP_PKEY *old = g_key;
    g_key = k;
    pthread_mutex_unlock(&g_key_mu);
    EVP_PKEY_free(old);
    return 0;
}

/* SM2-with-SM3 signature of msg (hex DER into out, ≥ 2*80+1). 0 or -1. */
static int sm2_sign(const char *msg, size_t len, char *out, size_t cap)
{
    pthread_mutex_lock(&g_key_mu);
    EVP_PKEY *k = g_key;
    if (k) EVP_PKEY_up_ref(k);
    pthread_mutex_unlock(&g_key_mu);
    if (!k) return -1;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    unsigned char sig[128];
    size_t sl = sizeof sig;
    int rc = -1;
    if (m && EVP_DigestSignInit_ex(m, &pc, "SM3", NULL, NULL, k, NULL) == 1 &&
        EVP_PKEY_CTX_set1_id(pc, SM2_ID, strlen(SM2_ID)) == 1 &&
        EVP_DigestSign(m, sig, &sl, (const unsigned char *)msg, len) == 1 && sl * 2 + 1 <= cap) {
        zx_hex(sig, sl, out);
        rc = 0;
    }
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
    return rc;
}

static int sm2_verify(EVP_PKEY *k, const char *msg, size_t len, const char *sig_hex)
{
    unsigned char sig[128];
    int sl = zx_unhex(sig_hex, sig, sizeof sig);
    if (sl <= 0) return 0;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = m && EVP_DigestVerifyInit_ex(m, &pc, "SM3", NULL, NULL, k, NULL) == 1 &&
             EVP_PKEY_CTX_set1_id(pc, SM2_ID, strlen(SM2_ID)) == 1 &&
             EVP_DigestVerify(m, sig, (size_t)sl, (const unsigned char *)msg, len) == 1;
    EVP_MD_CTX_free(m);
    return ok;
}

static int checkpoint_msg(char *buf, size_t cap, int64_t seq, const char *head, int64_t at)
{
    return snprintf(buf, cap, "zhixing-audit-checkpoint\nv1\n%lld\n%s\n%lld\n", (long long)seq, head, (long long)at);
}

static void write_pubkey(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/audit-sm2.pub.pem", dir);
    if (access(path, F_OK) == 0) return;
    pthread_mutex_lock(&g_key_mu);
    FILE *f = g_key ? fopen(path, "w") : NULL;
    if (f) {
        PEM_write_PUBKEY(f, g_key);
        fclose(f);
    }
    pthread_mutex_unlock(&g_key_mu);
}

int zx_anchor_checkpoint(db_conn *c, const char *dir, bool force, int64_t *seq_out, char *err, size_t errlen)
{
    *seq_out = 0;
    db_stmt *s = db_prepare(c, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!s || db_step(s) != DB_ROW) {
        if (s) db_finalize(s);
        snprintf(err, errlen, "cannot read audit_head: %s", db_errmsg(c));
        return -1;
    }
    int64_t seq = db_col_int64(s, 0);
    char head[65];
    snprintf(head, sizeof head, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    db_finalize(s);
    int64_t last = 0;
    db_exec_int64(c, "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoint", &last);
    if (!force && seq <= last) return 0;
    int64_t at = zx_now_ms();
    char msg[256], sig[300];
    int n = checkpoint_msg(msg, sizeof msg, seq, head, at);
    if (sm2_sign(msg, (size_t)n, sig, sizeof sig)) {
        snprintf(err, errlen, "SM2 signing failed (no key loaded?)");
        return -1;
    }
    char name[64], body[600];
    /* never overwrite an earlier checkpoint: the name carries the time too */
    snprintf(name, sizeof name, "checkpoint-%012lld-%lld.json", (long long)seq, (long long)at);
    int bl = snprintf(body, sizeof body, "{\"v\":1,\"seq\":%lld,\"head\":\"%s\",\"at_ms\":%lld,\"sig\":\"%s\"}\n", (long long)seq,
                      head, (long long)at, sig);
    if (write_atomic(dir, name, body, (size_t)bl, err, errlen)) return -1;
    write_pubkey(dir);
    if (db_begin(c) == 0) {
        s = db_prepare(c, "INSERT INTO audit_checkpoint (seq, head_hash, at_ms, file) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT (seq) DO UPDATE SET head_hash = excluded.head_hash, at_ms = excluded.at_ms");
        int ok = s != NULL;
        if (s) {
            db_bind_int64(s, 1, seq);
            db_bind_text(s, 2, head, -1);
            db_bind_int64(s, 3, at);
            db_bind_text(s, 4, name, -1);
            ok = db_step(s) == DB_DONE;
            db_finalize(s);
        }
        if (!ok || db_commit(c)) db_rollback(c);
    }
    *seq_out = seq;
    return 0;
}

/* ---- verification ----------------------------------------------------------------------------- */

typedef struct cp { int64_t seq, at; char head[65], sig[300], file[300]; } cp;

static int cp_cmp(const void *a, const void *b)
{
    int64_t x = ((const cp *)a)->seq, y = ((const cp *)b)->seq;
    return x < y ? -1 : x > y;
}

static EVP_PKEY *load_pub(const char *dir, const char *pubkey_file)
{
    char path[1100];
    if (pubkey_file) snprintf(path, sizeof path, "%s", pubkey_file);
    else {
        pthread_mutex_lock(&g_key_mu);
        EVP_PKEY *k = g_key;
        if (k) EVP_PKEY_up_ref(k);
        pthread_mutex_unlock(&g_key_mu);
        if (k) return k;
        snprintf(path, sizeof path, "%s/audit-sm2.pub.pem", dir);
    }
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    if (!k) {
        rewind(f);
        k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    }
    fclose(f);
    return k;
}

/* Hash of record seq from the archive files (for checkpoints older than the pruning). "" if absent. */
static void archived_hash(db_conn *c, const char *archive_dir, int64_t seq, char out[65])
{
    out[0] = 0;
    db_stmt *s = db_prepare(c, "SELECT file FROM audit_archive WHERE from_seq <= ? AND to_seq >= ?");
    if (!s) return;
    db_bind_int64(s, 1, seq);
    db_bind_int64(s, 2, seq);
    char file[600] = "";
    if (db_step(s) == DB_ROW) snprintf(file, sizeof file, "%s/%s", archive_dir, db_col_text(s, 0));
    db_finalize(s);
    FILE *f = file[0] ? fopen(file, "r") : NULL;
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        if (j && json_integer_value(json_object_get(j, "seq")) == seq && json_string_value(json_object_get(j, "hash"))) {
            snprintf(out, 65, "%s", json_string_value(json_object_get(j, "hash")));
            json_decref(j);
            break;
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
}

int zx_anchor_verify(db_conn *c, const char *dir, const char *archive_dir, const char *pubkey_file, int64_t *n_checked,
                     char *why, size_t whylen)
{
    *n_checked = 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "cannot open checkpoint directory %s: %s", dir, strerror(errno));
        return -1;
    }
    cp *cps = NULL;
    size_t n = 0, capn = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "checkpoint-", 11) || !strstr(e->d_name, ".json")) continue;
        char path[1100];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_t *j = json_load_file(path, 0, NULL);
        if (n == capn && !(cps = realloc(cps, (capn = capn ? capn * 2 : 64) * sizeof *cps))) zx_die("audit: out of memory");
        cp *x = &cps[n++];
        memset(x, 0, sizeof *x);
        snprintf(x->file, sizeof x->file, "%s", e->d_name);
        if (j) {
            x->seq = json_integer_value(json_object_get(j, "seq"));
            x->at = json_integer_value(json_object_get(j, "at_ms"));
            const char *h = json_string_value(json_object_get(j, "head")), *sg = json_string_value(json_object_get(j, "sig"));
            snprintf(x->head, sizeof x->head, "%s", h ? h : "");
            snprintf(x->sig, sizeof x->sig, "%s", sg ? sg : "");
            json_decref(j);
        }
    }
    closedir(d);
    qsort(cps, n, sizeof *cps, cp_cmp);
    EVP_PKEY *pub = load_pub(dir, pubkey_file);
    int rc = 0;
    if (!pub) {
        snprintf(why, whylen, "no public key to check the checkpoints (give --pubkey FILE)");
        rc = -1;
    }
    int64_t head_seq = 0;
    if (!rc) db_exec_int64(c, "SELECT seq FROM audit_head WHERE id = 1", &head_seq);
    for (size_t i = 0; i < n && !rc; i++) {
        cp *x = &cps[i];
        char msg[256];
        int ml = checkpoint_msg(msg, sizeof msg, x->seq, x->head, x->at);
        if (!x->seq || !sm2_verify(pub, msg, (size_t)ml, x->sig)) {
            snprintf(why, whylen, "checkpoint %s: signature invalid (forged or damaged checkpoint)", x->file);
            rc = 1;
            break;
        }
        if (x->seq > head_seq) {
            snprintf(why, whylen, "checkpoint at record %lld but the store's chain ends at %lld (records removed)",
                     (long long)x->seq, (long long)head_seq);
            rc = 1;
            break;
        }
        char have[65] = "";
        db_stmt *s = db_prepare(c, "SELECT hash FROM audit_log WHERE seq = ?");
        if (s) {
            db_bind_int64(s, 1, x->seq);
            if (db_step(s) == DB_ROW && db_col_text(s, 0)) snprintf(have, sizeof have, "%s", db_col_text(s, 0));
            db_finalize(s);
        }
        if (!have[0]) archived_hash(c, archive_dir, x->seq, have);
        if (!have[0]) {
            snprintf(why, whylen, "record %lld of checkpoint %s is neither in the store nor in an archive", (long long)x->seq,
                     x->file);
            rc = 1;
        } else if (strcmp(have, x->head)) {
            snprintf(why, whylen, "record %lld differs from the signed checkpoint %s (the chain was rewritten)",
                     (long long)x->seq, x->file);
            rc = 1;
        } else (*n_checked)++;
    }
    EVP_PKEY_free(pub);
    free(cps);
    if (!rc) why[0] = 0;
    return rc;
}

int zx_anchor_sign_hex(const char *msg, size_t len, char *out, size_t cap)
{
    return sm2_sign(msg, len, out, cap);
}
