/* pii.c — personal data at rest: SM4-CTR + HMAC-SM3 sealing, HMAC-SM3 blind index, masking, the
 * key file and the store's key fingerprints. See pii.h for the formats. */
#include "core/pii.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_VALUE 4096
#define HDR_LEN 8      /* "ZP" format kind version(4) */
#define IV_LEN 16
#define TAG_LEN 16
#define MAX_VERSIONS 64

/* A precomputed HMAC-SM3 key: the digest states after absorbing key^ipad and key^opad, copied per
 * call (2 compressions per short message instead of 4, and no key schedule). */
typedef struct hmac_key {
    EVP_MD_CTX *inner, *outer;
} hmac_key;

typedef struct pii_version {
    uint32_t version;
    uint8_t master[32];
    uint8_t enc[16];
    hmac_key mac;
} pii_version;

typedef struct pii_ring {
    uint8_t index_master[32];
    hmac_key index[6];   /* per kind: HMAC-SM3(index master, "zx-pii-idx" ‖ kind) */
    uint8_t index_next_master[32]; /* `index_next` line: a blind-index key rotation in progress */
    int has_next;
    int next_write; /* `index_phase write`: new blind indexes are written under the next key */
    hmac_key index_next[6];
    uint8_t stable_master[32]; /* `stable` line, or the index key in a key file without one (pii.h) */
    hmac_key stable[6];
    pii_version v[MAX_VERSIONS];
    int n;
    uint32_t current;
} pii_ring;

static _Atomic(pii_ring *) g_ring;
static char g_path[512];               /* the key file loaded last (re-read on an unknown version) */
static pthread_mutex_t g_reload_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t g_reload_ms;
static _Atomic int64_t g_stat_ms;        /* last check of the key file's mtime (sealing and index paths) */
static int64_t g_reload_every = 5000;    /* ms between those checks (ZX_PII_RELOAD_MS; zx_pii_reload_ms) */
static _Atomic int64_t g_mtime;          /* its mtime (ns) when loaded */
static EVP_MD *g_md;
static EVP_CIPHER *g_sm4;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static _Thread_local EVP_MD_CTX *tl_md;
static _Thread_local EVP_CIPHER_CTX *tl_cipher;
static _Thread_local uint8_t tl_key[16]; /* the SM4 key tl_cipher is set up with (sm4_ctr) */
static _Thread_local bool tl_keyed;
static pthread_key_t g_tl_key;

/* Per-thread contexts are freed when their thread ends. */
static void tl_free(void *p)
{
    (void)p;
    EVP_MD_CTX_free(tl_md);
    EVP_CIPHER_CTX_free(tl_cipher);
    tl_md = NULL;
    tl_cipher = NULL;
    zx_wipe(tl_key, sizeof tl_key);
    tl_keyed = false;
}
static void once_init(void)
{
    g_md = EVP_MD_fetch(NULL, "SM3", NULL);
    g_sm4 = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    if (!g_md || !g_sm4) zx_die("pii: SM3/SM4-CTR not available in this OpenSSL");
    pthread_key_create(&g_tl_key, tl_free);
    const char *e = getenv("ZX_PII_RELOAD_MS");
    if (e && atoll(e) >= 50 && atoll(e) <= 60000) g_reload_every = atoll(e);
}

int64_t zx_pii_reload_ms(void)
{
    pthread_once(&g_once, once_init);
    return g_reload_every;
}

static EVP_MD_CTX *md_ctx(void)
{
    if (!tl_md) {
        if (!(tl_md = EVP_MD_CTX_new())) zx_die("pii: out of memory");
        pthread_setspecific(g_tl_key, (void *)1);
    }
    return tl_md;
}

static void hmac_key_set(hmac_key *h, const uint8_t *key, size_t klen)
{
    uint8_t k[64] = {0}, pad[64];
    if (klen > 64) zx_die("pii: HMAC key too long");
    memcpy(k, key, klen);
    h->inner = EVP_MD_CTX_new();
    h->outer = EVP_MD_CTX_new();
    if (!h->inner || !h->outer) zx_die("pii: out of memory");
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    if (EVP_DigestInit_ex2(h->inner, g_md, NULL) != 1 || EVP_DigestUpdate(h->inner, pad, 64) != 1) zx_die("pii: SM3");
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    if (EVP_DigestInit_ex2(h->outer, g_md, NULL) != 1 || EVP_DigestUpdate(h->outer, pad, 64) != 1) zx_die("pii: SM3");
    zx_wipe(k, sizeof k);
    zx_wipe(pad, sizeof pad);
}

/* HMAC-SM3 over the concatenation of two parts (b may be NULL). */
static void hmac2(const hmac_key *h, const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32])
{
    EVP_MD_CTX *c = md_ctx();
    uint8_t inner[32];
    unsigned int ol = 0;
    if (EVP_MD_CTX_copy_ex(c, h->inner) != 1 || EVP_DigestUpdate(c, a, alen) != 1 ||
        (b && blen && EVP_DigestUpdate(c, b, blen) != 1) || EVP_DigestFinal_ex(c, inner, &ol) != 1)
        zx_die("pii: HMAC-SM3 failed");
    if (EVP_MD_CTX_copy_ex(c, h->outer) != 1 || EVP_DigestUpdate(c, inner, 32) != 1 ||
        EVP_DigestFinal_ex(c, out, &ol) != 1)
        zx_die("pii: HMAC-SM3 failed");
}

static pii_ring *ring(void)
{
    pii_ring *r = atomic_load_explicit(&g_ring, memory_order_acquire);
    if (!r) zx_die("pii: keys are not loaded (zx_pii_init not called)");
    return r;
}

bool zx_pii_ready(void) { return atomic_load(&g_ring) != NULL; }
uint32_t zx_pii_current_version(void) { return ring()->current; }

/* ---- key file ------------------------------------------------------------------------------- */

static void derive_version(pii_version *v)
{
    uint8_t t[32];
    zx_hmac_sm3(v->master, 32, "zx-pii-enc", 10, t);
    memcpy(v->enc, t, 16);
    zx_hmac_sm3(v->master, 32, "zx-pii-mac", 10, t);
    hmac_key_set(&v->mac, t, 32);
    zx_wipe(t, sizeof t);
}

static void derive_index_keys(const uint8_t master[32], hmac_key out[6])
{
    for (int k = 1; k <= 5; k++) {
        uint8_t msg[11], t[32];
        memcpy(msg, "zx-pii-idx", 10);
        msg[10] = (uint8_t)k;
        zx_hmac_sm3(master, 32, msg, sizeof msg, t);
        hmac_key_set(&out[k], t, 32);
        zx_wipe(t, sizeof t);
    }
}
static void derive_index(pii_ring *r)
{
    derive_index_keys(r->index_master, r->index);
    if (r->has_next) derive_index_keys(r->index_next_master, r->index_next);
    derive_index_keys(r->stable_master, r->stable);
}

/* Write a new key file atomically (temp file 0600 → link; an existing file wins). */
static int create_key_file(const char *path, char *err, size_t errlen)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s", path);
    char *sl = strrchr(tmp, '/');
    if (sl && sl != tmp) { /* the directory may not exist yet (var/ on a fresh checkout) */
        *sl = 0;
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create directory %s: %s", tmp, strerror(errno));
            return -1;
        }
    }
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0600);
    uint8_t idx[32], k1[32], st[32];
    char hi[65], hk[65], hs[65], buf[600];
    zx_random(idx, sizeof idx);
    zx_random(k1, sizeof k1);
    zx_random(st, sizeof st);
    zx_hex(idx, 32, hi);
    zx_hex(k1, 32, hk);
    zx_hex(st, 32, hs);
    int n = snprintf(buf, sizeof buf,
                     "# zhixing personal-data keys (pii.h) — keep outside the store, mode 0600, and a copy offline.\n"
                     "# Losing this file makes every sealed ID number, phone, address and bank account unreadable.\n"
                     "index %s\nstable %s\nkey 1 %s\ncurrent 1\n", hi, hs, hk);
    zx_wipe(idx, sizeof idx);
    zx_wipe(k1, sizeof k1);
    zx_wipe(st, sizeof st);
    zx_wipe(hi, sizeof hi);
    zx_wipe(hk, sizeof hk);
    zx_wipe(hs, sizeof hs);
    int ok = write(fd, buf, (size_t)n) == n && fsync(fd) == 0;
    zx_wipe(buf, sizeof buf);
    close(fd);
    if (!ok) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write key file %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = link(tmp, path);
    int e = errno;
    unlink(tmp);
    if (rc != 0 && e != EEXIST) {
        snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(e));
        return -1;
    }
    if (rc == 0) {
        LOG_INFO("pii: created key file %s (mode 0600)", path);
        char dir[600];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0; else snprintf(dir, sizeof dir, ".");
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) { fsync(dfd); close(dfd); }
    }
    return 0;
}

static int parse_key_file(const char *path, pii_ring *r, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        LOG_WARN("pii: key file %s is readable by others (mode %o); chmod 600 it", path, st.st_mode & 0777);
    char line[512];
    int lineno = 0, have_index = 0, have_stable = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (isspace((unsigned char)*s)) s++;
        if (!*s || *s == '#') continue;
        char word[16], hex[80];
        unsigned ver = 0;
        if (!strncmp(s, "index_phase ", 12)) {
            if (strncmp(s + 12, "write", 5) != 0) goto bad;
            r->next_write = 1;
        } else if (sscanf(s, "index_next %79s", hex) == 1) {
            if (zx_unhex(hex, r->index_next_master, 32) != 32) goto bad;
            r->has_next = 1;
        } else if (sscanf(s, "stable %79s", hex) == 1) {
            if (zx_unhex(hex, r->stable_master, 32) != 32) goto bad;
            have_stable = 1;
        } else if (sscanf(s, "index %79s", hex) == 1) {
            if (zx_unhex(hex, r->index_master, 32) != 32) goto bad;
            have_index = 1;
        } else if (sscanf(s, "key %u %79s", &ver, hex) == 2) {
            if (ver == 0 || r->n == MAX_VERSIONS) goto bad;
            for (int i = 0; i < r->n; i++)
                if (r->v[i].version == ver) goto bad;
            pii_version *v = &r->v[r->n];
            if (zx_unhex(hex, v->master, 32) != 32) goto bad;
            v->version = ver;
            r->n++;
        } else if (sscanf(s, "current %u", &ver) == 1) {
            r->current = ver;
        } else if (sscanf(s, "%15s", word) == 1) {
            goto bad;
        }
        zx_wipe(hex, sizeof hex);
        continue;
    bad:
        zx_wipe(hex, sizeof hex);
        snprintf(err, errlen, "key file %s:%d: malformed line", path, lineno);
        rc = -1;
        break;
    }
    zx_wipe(line, sizeof line);
    fclose(f);
    if (rc) return rc;
    if (!have_index || r->n == 0) {
        snprintf(err, errlen, "key file %s: needs an 'index' line and at least one 'key' line", path);
        return -1;
    }
    if (r->next_write && !r->has_next) r->next_write = 0; /* a phase line without a next key: ignored */
    /* A key file written before the stable key existed: everything now derived from it was derived
     * from the index key, so that is its value (the first rewrite of the file writes it down). */
    if (!have_stable) memcpy(r->stable_master, r->index_master, 32);
    if (!r->current) r->current = r->v[r->n - 1].version;
    for (int i = 0; i < r->n; i++)
        if (r->v[i].version == r->current) return 0;
    snprintf(err, errlen, "key file %s: current version %u has no key", path, r->current);
    return -1;
}

int zx_pii_init(const char *key_file, bool create, char *err, size_t errlen)
{
    pthread_once(&g_once, once_init);
    if (!key_file || !*key_file) {
        snprintf(err, errlen, "no key file configured (pii_key_file)");
        return -1;
    }
    if (access(key_file, F_OK) != 0) {
        if (!create) {
            snprintf(err, errlen, "key file %s does not exist", key_file);
            return -1;
        }
        if (create_key_file(key_file, err, errlen)) return -1;
    }
    pii_ring *r = calloc(1, sizeof *r);
    if (!r) zx_die("pii: out of memory");
    if (parse_key_file(key_file, r, err, errlen)) {
        zx_wipe(r, sizeof *r);
        free(r);
        return -1;
    }
    derive_index(r);
    for (int i = 0; i < r->n; i++) derive_version(&r->v[i]);
    pthread_mutex_lock(&g_reload_mu);
    if (key_file != g_path) snprintf(g_path, sizeof g_path, "%s", key_file);
    struct stat st;
    if (stat(key_file, &st) == 0) atomic_store(&g_mtime, (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
    pthread_mutex_unlock(&g_reload_mu);
    /* An earlier ring stays allocated: threads may still hold a pointer to it (rings change only
     * when an operator rotates keys — a handful per year). */
    atomic_store_explicit(&g_ring, r, memory_order_release);
    return 0;
}

/* Rewrite the key file atomically (temp file 0600 + fsync + rename) — the one writer of an existing
 * key file: every line but those starting with one of drop[] (NULL-terminated), with `index <hex>`
 * replaced by replace_index when given, then extra.
 * A file without a `stable` line gets one holding its index key as it was (pii.h): the value the
 * stable key has had so far, before this rewrite can replace the index key. */
static int rewrite_key_file(const char *key_file, const char *const drop[], const char *replace_index, const char *extra,
                            char *err, size_t errlen)
{
    FILE *in = fopen(key_file, "r");
    if (!in) {
        snprintf(err, errlen, "cannot read %s: %s", key_file, strerror(errno));
        return -1;
    }
    char tmpname[600];
    snprintf(tmpname, sizeof tmpname, "%s.XXXXXX", key_file);
    int fd = mkstemp(tmpname);
    if (fd < 0) {
        fclose(in);
        snprintf(err, errlen, "cannot write next to %s: %s", key_file, strerror(errno));
        return -1;
    }
    FILE *out = fdopen(fd, "w");
    char line[512], index_hex[80] = "";
    bool stable = false;
    while (fgets(line, sizeof line, in)) {
        stable |= !strncmp(line, "stable ", 7);
        if (!strncmp(line, "index ", 6)) sscanf(line + 6, "%79s", index_hex);
        bool skip = false;
        for (int i = 0; drop[i] && !skip; i++) skip = !strncmp(line, drop[i], strlen(drop[i]));
        if (skip) continue;
        if (replace_index && !strncmp(line, "index ", 6)) fprintf(out, "index %s\n", replace_index);
        else fputs(line, out);
    }
    fclose(in);
    if (!stable && index_hex[0]) fprintf(out, "stable %s\n", index_hex);
    if (extra) fputs(extra, out);
    zx_wipe(line, sizeof line);
    zx_wipe(index_hex, sizeof index_hex);
    int ok = fflush(out) == 0 && fsync(fileno(out)) == 0;
    fclose(out);
    if (!ok || rename(tmpname, key_file) != 0) {
        unlink(tmpname);
        snprintf(err, errlen, "cannot replace %s: %s", key_file, strerror(errno));
        return -1;
    }
    return 0;
}
static const char *const KEEP_ALL[] = { NULL };
static const char *const DROP_NEXT[] = { "index_next ", "index_phase ", NULL };
static const char *const DROP_PHASE[] = { "index_phase ", NULL };

int zx_pii_add_version(const char *key_file, uint32_t *new_version, char *err, size_t errlen)
{
    pii_ring tmp;
    memset(&tmp, 0, sizeof tmp);
    pthread_once(&g_once, once_init);
    if (parse_key_file(key_file, &tmp, err, errlen)) return -1;
    uint32_t nv = 0;
    for (int i = 0; i < tmp.n; i++)
        if (tmp.v[i].version > nv) nv = tmp.v[i].version;
    nv++;
    zx_wipe(&tmp, sizeof tmp);
    uint8_t k[32];
    char hk[65], extra[120];
    zx_random(k, sizeof k);
    zx_hex(k, 32, hk);
    snprintf(extra, sizeof extra, "key %u %s\ncurrent %u\n", nv, hk, nv);
    static const char *const drop[] = { "current ", NULL };
    int rc = rewrite_key_file(key_file, drop, NULL, extra, err, errlen);
    zx_wipe(k, sizeof k);
    zx_wipe(hk, sizeof hk);
    zx_wipe(extra, sizeof extra);
    if (!rc) *new_version = nv;
    return rc;
}

int zx_pii_remove_version(const char *key_file, uint32_t version, char *err, size_t errlen)
{
    pii_ring tmp;
    memset(&tmp, 0, sizeof tmp);
    pthread_once(&g_once, once_init);
    if (parse_key_file(key_file, &tmp, err, errlen)) return -1;
    bool found = false;
    for (int i = 0; i < tmp.n; i++) found |= tmp.v[i].version == version;
    zx_wipe(&tmp, sizeof tmp);
    if (!found) {
        snprintf(err, errlen, "key version %u is not in %s", version, key_file);
        return -1;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "key %u ", version);
    const char *const drop[] = { prefix, NULL };
    return rewrite_key_file(key_file, drop, NULL, NULL, err, errlen);
}

void zx_pii_default_key_file(const char *cfg_key_file, const char *db_url, char out[512])
{
    zx_config_store_path(cfg_key_file, db_url, ".keys", "var/zhixing.keys", out);
}

/* ---- normalising and masking ---------------------------------------------------------------- */

int zx_pii_normalise(zx_pii_kind k, const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (!in) in = "";
    if (cap == 0) return -1;
#define PUT(ch) do { if (n + 1 >= cap) return -1; out[n++] = (char)(ch); } while (0)
    switch (k) {
    case ZX_PII_ID_NUMBER:
        for (const char *p = in; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (isspace(c)) continue;
            PUT(c < 128 ? toupper(c) : c);
        }
        break;
    case ZX_PII_PHONE: {
        const char *p = in;
        while (isspace((unsigned char)*p)) p++;
        if (!strncmp(p, "+86", 3)) p += 3;
        else if (!strncmp(p, "0086", 4)) p += 4;
        for (; *p; p++)
            if (isdigit((unsigned char)*p)) PUT(*p);
        break;
    }
    case ZX_PII_BANK_ACCOUNT:
        for (const char *p = in; *p; p++)
            if (isdigit((unsigned char)*p)) PUT(*p);
        break;
    case ZX_PII_SECRET:
        for (const char *p = in; *p; p++) PUT(*p);
        break;
    case ZX_PII_ADDRESS:
    default: {
        int space = 0;
        for (const char *p = in; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (isspace(c)) { space = n > 0; continue; }
            if (space) { PUT(' '); space = 0; }
            PUT(c);
        }
        break;
    }
    }
#undef PUT
    out[n] = 0;
    return (int)n;
}

static size_t utf8_chars(const char *s, size_t nchars)
{
    size_t i = 0;
    while (s[i] && nchars) {
        i++;
        while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        nchars--;
    }
    return i; /* bytes of the first nchars characters */
}

char *zx_pii_mask(zx_pii_kind k, const char *plain)
{
    if (!plain) return NULL;
    size_t n = strlen(plain);
    char *out = malloc(n + 16);
    if (!out) zx_die("pii: out of memory");
    switch (k) {
    case ZX_PII_ID_NUMBER:
        if (n == 18) snprintf(out, n + 16, "%.10s****%s", plain, plain + 14);
        else if (n > 10) {
            memcpy(out, plain, 6);
            memset(out + 6, '*', n - 10);
            memcpy(out + n - 4, plain + n - 4, 5);
        } else {
            memset(out, '*', n);
            out[n] = 0;
        }
        break;
    case ZX_PII_PHONE:
        if (n == 11) snprintf(out, n + 16, "%.3s****%s", plain, plain + 7);
        else if (n > 4) {
            memset(out, '*', n - 4);
            memcpy(out + n - 4, plain + n - 4, 5);
        } else {
            memset(out, '*', n);
            out[n] = 0;
        }
        break;
    case ZX_PII_BANK_ACCOUNT:
        snprintf(out, n + 16, "****%s", n > 4 ? plain + n - 4 : "");
        break;
    case ZX_PII_SECRET:
        snprintf(out, n + 16, "****");
        break;
    case ZX_PII_ADDRESS:
    default: {
        size_t b = utf8_chars(plain, 6);
        memcpy(out, plain, b);
        if (plain[b]) memcpy(out + b, "****", 5);
        else out[b] = 0;
        break;
    }
    }
    return out;
}

/* ---- sealing -------------------------------------------------------------------------------- */

static const pii_version *find_version(const pii_ring *r, uint32_t ver)
{
    for (int i = 0; i < r->n; i++)
        if (r->v[i].version == ver) return &r->v[i];
    return NULL;
}

static void sm4_ctr(const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t n, uint8_t *out)
{
    if (!tl_cipher) {
        if (!(tl_cipher = EVP_CIPHER_CTX_new())) zx_die("pii: out of memory");
        pthread_setspecific(g_tl_key, (void *)1);
    }
    /* The key schedule stays in the thread's context while the key does not change (one key per
     * version: nearly always the same): only the IV is set per value (≈ 0.34 µs instead of 0.58). */
    bool same = tl_keyed && zx_ct_equal(tl_key, key, 16);
    if (!same) {
        memcpy(tl_key, key, 16);
        tl_keyed = true;
    }
    int ol = 0, fl = 0;
    if (EVP_EncryptInit_ex2(tl_cipher, same ? NULL : g_sm4, same ? NULL : key, iv, NULL) != 1 ||
        EVP_EncryptUpdate(tl_cipher, out, &ol, in, (int)n) != 1 || EVP_EncryptFinal_ex(tl_cipher, out + ol, &fl) != 1 ||
        (size_t)(ol + fl) != n)
        zx_die("pii: SM4-CTR failed");
}

/* A rotation (`zhixing pii rotate`, possibly on another machine sharing the file) replaces the key
 * file: sealing and blind indexing check its mtime every zx_pii_reload_ms() (5 s) and reload, so new
 * values use the new version and look-ups learn of a blind-index rotation. */
static void maybe_reload(void)
{
    int64_t now = zx_now_ms(), last = atomic_load(&g_stat_ms);
    if (now - last < g_reload_every || !atomic_compare_exchange_strong(&g_stat_ms, &last, now)) return;
    char path[512], err[256];
    pthread_mutex_lock(&g_reload_mu);
    snprintf(path, sizeof path, "%s", g_path);
    pthread_mutex_unlock(&g_reload_mu);
    struct stat st;
    if (!path[0] || stat(path, &st) != 0) return;
    if ((int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec == atomic_load(&g_mtime)) return;
    if (zx_pii_init(path, false, err, sizeof err) == 0) LOG_INFO("pii: key file changed, reloaded (current version %u)", ring()->current);
    else LOG_WARN("pii: key file changed but cannot be loaded: %s", err);
}

/* A fresh CTR IV per value: 8 random bytes drawn once per thread ‖ a 64-bit per-thread counter.
 * Unique under one key as long as two threads never draw the same prefix (2^-64 per pair) — and
 * 12× cheaper than asking the DRBG for 16 bytes per value (bench/35-pii.sh). */
static _Thread_local uint8_t tl_iv_prefix[8];
static _Thread_local uint64_t tl_iv_ctr;
static void iv_next(uint8_t iv[IV_LEN])
{
    if (tl_iv_ctr == 0) {
        zx_random(tl_iv_prefix, sizeof tl_iv_prefix);
        zx_random(&tl_iv_ctr, sizeof tl_iv_ctr);
        tl_iv_ctr &= 0x7fffffffffffffffULL; /* room to count; never 0 again */
        tl_iv_ctr |= 1;
    }
    uint64_t c = tl_iv_ctr++;
    memcpy(iv, tl_iv_prefix, 8);
    for (int i = 0; i < 8; i++) iv[8 + i] = (uint8_t)(c >> (56 - 8 * i));
}

int zx_pii_seal(zx_pii_kind k, const char *plain, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (!plain) return 0;
    char norm[MAX_VALUE + 1];
    int n = zx_pii_normalise(k, plain, norm, sizeof norm);
    if (n < 0) return -1;
    if (n == 0) return 0;
    maybe_reload();
    const pii_ring *r = ring();
    const pii_version *v = find_version(r, r->current);
    size_t len = HDR_LEN + IV_LEN + (size_t)n + TAG_LEN;
    uint8_t *b = malloc(len);
    if (!b) zx_die("pii: out of memory");
    b[0] = 'Z';
    b[1] = 'P';
    b[2] = 1;
    b[3] = (uint8_t)k;
    b[4] = (uint8_t)(v->version >> 24);
    b[5] = (uint8_t)(v->version >> 16);
    b[6] = (uint8_t)(v->version >> 8);
    b[7] = (uint8_t)v->version;
    iv_next(b + HDR_LEN);
    sm4_ctr(v->enc, b + HDR_LEN, (const uint8_t *)norm, (size_t)n, b + HDR_LEN + IV_LEN);
    zx_wipe(norm, (size_t)n);
    uint8_t tag[32];
    hmac2(&v->mac, b, HDR_LEN + IV_LEN + (size_t)n, NULL, 0, tag);
    memcpy(b + HDR_LEN + IV_LEN + n, tag, TAG_LEN);
    *out = b;
    *outlen = len;
    return 0;
}

uint32_t zx_pii_blob_version(const unsigned char *b, size_t len)
{
    if (!b || len < HDR_LEN + IV_LEN + TAG_LEN + 1 || b[0] != 'Z' || b[1] != 'P' || b[2] != 1) return 0;
    return (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
}

char *zx_pii_open(zx_pii_kind k, const unsigned char *b, size_t len)
{
    uint32_t ver = zx_pii_blob_version(b, len);
    if (!ver || b[3] != (uint8_t)k) return NULL;
    const pii_ring *r = ring();
    const pii_version *v = find_version(r, ver);
    if (!v) {
        /* Another process (zhixing pii rotate, another node) may have added the version: re-read the
         * key file, at most once a second. */
        char path[512], err[256];
        int64_t now = zx_now_ms();
        int reload = 0;
        pthread_mutex_lock(&g_reload_mu);
        if (now - g_reload_ms >= 1000 && g_path[0]) {
            g_reload_ms = now;
            snprintf(path, sizeof path, "%s", g_path);
            reload = 1;
        }
        pthread_mutex_unlock(&g_reload_mu);
        if (reload && zx_pii_init(path, false, err, sizeof err) == 0) {
            r = ring();
            v = find_version(r, ver);
            if (v) LOG_INFO("pii: key file re-read for key version %u", ver);
        }
    }
    if (!v) {
        static _Atomic int warned;
        if (!atomic_exchange(&warned, 1)) LOG_WARN("pii: a value is sealed with key version %u, not in the key file", ver);
        return NULL;
    }
    size_t n = len - HDR_LEN - IV_LEN - TAG_LEN;
    uint8_t tag[32];
    hmac2(&v->mac, b, len - TAG_LEN, NULL, 0, tag);
    if (!zx_ct_equal(tag, b + len - TAG_LEN, TAG_LEN)) return NULL;
    char *p = malloc(n + 1);
    if (!p) zx_die("pii: out of memory");
    sm4_ctr(v->enc, b + HDR_LEN, b + HDR_LEN + IV_LEN, n, (uint8_t *)p);
    p[n] = 0;
    return p;
}

void zx_pii_free(char *plain)
{
    if (!plain) return;
    zx_wipe(plain, strlen(plain));
    free(plain);
}

/* The key new blind indexes are written under: the current index key, or the next one once a
 * rotation reached its write phase (`index_phase write`). */
static const hmac_key *write_index(const pii_ring *r, int k)
{
    return r->has_next && r->next_write ? &r->index_next[k] : &r->index[k];
}

bool zx_pii_index_raw(zx_pii_kind k, const char *value, uint8_t out[32])
{
    char norm[MAX_VALUE + 1];
    int n = zx_pii_normalise(k, value, norm, sizeof norm);
    if (n <= 0 || k < 1 || k > 5) return false;
    maybe_reload();
    const pii_ring *r = ring();
    hmac2(write_index(r, k), norm, (size_t)n, NULL, 0, out);
    zx_wipe(norm, (size_t)n);
    return true;
}

void zx_pii_index_pair(zx_pii_kind k, const char *value, char a[ZX_PII_INDEX_HEX], char b[ZX_PII_INDEX_HEX])
{
    char norm[MAX_VALUE + 1];
    int n = value ? zx_pii_normalise(k, value, norm, sizeof norm) : -1;
    a[0] = b[0] = 0;
    if (n <= 0 || k < 1 || k > 5) return;
    maybe_reload();
    const pii_ring *r = ring();
    uint8_t d[32];
    hmac2(&r->index[k], norm, (size_t)n, NULL, 0, d);
    zx_hex(d, 32, a);
    if (r->has_next) {
        hmac2(&r->index_next[k], norm, (size_t)n, NULL, 0, d);
        zx_hex(d, 32, b);
    } else
        memcpy(b, a, ZX_PII_INDEX_HEX);
    zx_wipe(norm, (size_t)n);
    zx_wipe(d, sizeof d);
}

bool zx_pii_stable_index_raw(zx_pii_kind k, const char *value, uint8_t out[32])
{
    char norm[MAX_VALUE + 1];
    int n = zx_pii_normalise(k, value, norm, sizeof norm);
    if (n <= 0 || k < 1 || k > 5) return false;
    maybe_reload();
    hmac2(&ring()->stable[k], norm, (size_t)n, NULL, 0, out);
    zx_wipe(norm, (size_t)n);
    return true;
}

int zx_pii_bind_lookup(db_stmt *s, int idx, zx_pii_kind k, const char *value)
{
    char a[ZX_PII_INDEX_HEX], b[ZX_PII_INDEX_HEX];
    zx_pii_index_pair(k, value, a, b);
    if (!a[0]) {
        int rc = db_bind_null(s, idx);
        return rc ? rc : db_bind_null(s, idx + 1);
    }
    int rc = db_bind_text(s, idx, a, 64);
    return rc ? rc : db_bind_text(s, idx + 1, b, 64);
}

static uint8_t g_snap_key[16];
static _Atomic int g_snap_ready;
static pthread_mutex_t g_snap_mu = PTHREAD_MUTEX_INITIALIZER;

const uint8_t *zx_pii_snapshot_key(void)
{
    if (atomic_load_explicit(&g_snap_ready, memory_order_acquire)) return g_snap_key;
    pthread_mutex_lock(&g_snap_mu);
    if (!atomic_load(&g_snap_ready)) {
        uint8_t t[32];
        zx_hmac_sm3(ring()->stable_master, 32, "zx-credit-snapshot", 18, t);
        memcpy(g_snap_key, t, sizeof g_snap_key);
        zx_wipe(t, sizeof t);
        atomic_store_explicit(&g_snap_ready, 1, memory_order_release);
    }
    pthread_mutex_unlock(&g_snap_mu);
    return g_snap_key;
}

void zx_pii_index(zx_pii_kind k, const char *value, char out_hex[ZX_PII_INDEX_HEX])
{
    uint8_t d[32];
    if (!zx_pii_index_raw(k, value, d)) {
        out_hex[0] = 0;
        return;
    }
    zx_hex(d, 32, out_hex);
}

/* ---- store helpers -------------------------------------------------------------------------- */

int zx_pii_bind(db_stmt *s, int idx, zx_pii_kind k, const char *plain)
{
    unsigned char *b;
    size_t n;
    if (zx_pii_seal(k, plain, &b, &n)) return DB_ERROR;
    if (!b) return db_bind_null(s, idx);
    int rc = db_bind_blob(s, idx, b, n);
    free(b);
    return rc;
}

int zx_pii_bind_index(db_stmt *s, int idx, zx_pii_kind k, const char *value)
{
    char h[ZX_PII_INDEX_HEX];
    zx_pii_index(k, value, h);
    if (!h[0]) return db_bind_null(s, idx);
    return db_bind_text(s, idx, h, 64);
}

char *zx_pii_col(db_stmt *s, int col, zx_pii_kind k)
{
    if (db_col_is_null(s, col)) return NULL;
    size_t n = 0;
    const void *b = db_col_blob(s, col, &n);
    return b ? zx_pii_open(k, b, n) : NULL;
}

char *zx_pii_col_masked(db_stmt *s, int col, zx_pii_kind k)
{
    char *p = zx_pii_col(s, col, k);
    if (!p) return NULL;
    char *m = zx_pii_mask(k, p);
    zx_pii_free(p);
    return m;
}

/* Fingerprint of a key: first 16 bytes of HMAC-SM3(key, "zx-pii-fingerprint"), hex. Reveals nothing
 * about the key; lets the store refuse a different key file. */
static void fingerprint(const uint8_t key[32], char out[33])
{
    uint8_t d[32];
    zx_hmac_sm3(key, 32, "zx-pii-fingerprint", 18, d);
    zx_hex(d, 16, out);
}

static int check_one(db_conn *c, int64_t version, const char *fp, char *err, size_t errlen)
{
    db_stmt *s = db_prepare(c, "INSERT INTO pii_key (version, fingerprint, created_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (version) DO NOTHING");
    if (!s) goto dberr;
    db_bind_int64(s, 1, version);
    db_bind_text(s, 2, fp, -1);
    db_bind_int64(s, 3, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) goto dberr;
    s = db_prepare(c, "SELECT fingerprint FROM pii_key WHERE version = ?");
    if (!s) goto dberr;
    db_bind_int64(s, 1, version);
    int ok = db_step(s) == DB_ROW && db_col_text(s, 0) && !strcmp(db_col_text(s, 0), fp);
    db_finalize(s);
    if (!ok) {
        if (version == 0) snprintf(err, errlen, "the key file's index key is not the one this store was written with");
        else snprintf(err, errlen, "the key file's key %lld is not the one this store was written with", (long long)version);
        return -1;
    }
    return 0;
dberr:
    snprintf(err, errlen, "pii_key: %s", db_errmsg(c));
    return -1;
}

int zx_pii_check_store(db_conn *c, char *err, size_t errlen)
{
    const pii_ring *r = ring();
    char fp[33];
    if (db_begin(c)) {
        snprintf(err, errlen, "pii_key: %s", db_errmsg(c));
        return -1;
    }
    fingerprint(r->index_master, fp);
    /* A blind-index rotation whose store transaction committed (the store records the next key's
     * fingerprint) but whose key file was not finalised: promote the next key now. */
    bool promote = false;
    if (r->has_next) {
        char nfp[33];
        fingerprint(r->index_next_master, nfp);
        db_stmt *q = db_prepare(c, "SELECT fingerprint FROM pii_key WHERE version = 0");
        promote = q && db_step(q) == DB_ROW && db_col_text(q, 0) && !strcmp(db_col_text(q, 0), nfp);
        if (q) db_finalize(q);
        if (promote) memcpy(fp, nfp, sizeof fp);
    }
    int rc = check_one(c, 0, fp, err, errlen);
    for (int i = 0; i < r->n && !rc; i++) {
        fingerprint(r->v[i].master, fp);
        rc = check_one(c, r->v[i].version, fp, err, errlen);
    }
    if (rc) {
        db_rollback(c);
        return -1;
    }
    if (db_commit(c)) {
        snprintf(err, errlen, "pii_key: %s", db_errmsg(c));
        return -1;
    }
    if (promote) {
        char path[512];
        pthread_mutex_lock(&g_reload_mu);
        snprintf(path, sizeof path, "%s", g_path);
        pthread_mutex_unlock(&g_reload_mu);
        if (zx_pii_index_promote(path, err, errlen)) return -1;
        LOG_WARN("pii: finished an interrupted blind-index key rotation (key file %s updated)", path);
    }
    return 0;
}

/* ---- sealed columns and re-sealing ---------------------------------------------------------- */

#define MAX_COLUMNS 64
static struct { const char *table, *key, *col; zx_pii_kind kind; } g_cols[MAX_COLUMNS];
static int g_ncols;

void zx_pii_column_add_key(const char *table, const char *key_col, const char *enc_col, zx_pii_kind kind)
{
    for (int i = 0; i < g_ncols; i++)
        if (!strcmp(g_cols[i].table, table) && !strcmp(g_cols[i].col, enc_col)) return; /* registered twice */
    if (g_ncols == MAX_COLUMNS) zx_die("pii: too many sealed columns");
    g_cols[g_ncols].table = table;
    g_cols[g_ncols].key = key_col;
    g_cols[g_ncols].col = enc_col;
    g_cols[g_ncols].kind = kind;
    g_ncols++;
}

void zx_pii_column_add(const char *table, const char *enc_col, zx_pii_kind kind)
{
    zx_pii_column_add_key(table, "id", enc_col, kind);
}

/* One batch of up to 200 rows of one column after id > *after: re-seal stale values inside one
 * write transaction (UPDATE … WHERE the blob is unchanged, so a concurrent edit wins). Returns rows
 * seen (0 = column done), *done += values re-sealed; < 0 on a store error. */
static int reseal_batch(db_conn *c, int i, int64_t *after, int64_t *done, bool count_only)
{
    char sel[256], upd[256];
    const char *k = g_cols[i].key;
    snprintf(sel, sizeof sel, "SELECT %s, %s FROM %s WHERE %s > ? AND %s IS NOT NULL ORDER BY %s LIMIT 200", k, g_cols[i].col,
             g_cols[i].table, k, g_cols[i].col, k);
    snprintf(upd, sizeof upd, "UPDATE %s SET %s = ? WHERE %s = ? AND %s = ?", g_cols[i].table, g_cols[i].col, k, g_cols[i].col);
    uint32_t cur = ring()->current;
    if (!count_only && db_begin(c)) return DB_ERROR;
    db_stmt *s = db_prepare(c, sel);
    if (!s) goto fail;
    db_bind_int64(s, 1, *after);
    struct { int64_t id; unsigned char *old; size_t oldn; } rows[200];
    int n = 0;
    while (db_step(s) == DB_ROW) {
        size_t len = 0;
        const unsigned char *b = db_col_blob(s, 1, &len);
        *after = db_col_int64(s, 0);
        uint32_t v = zx_pii_blob_version(b, len);
        if (v && v != cur) {
            rows[n].id = *after;
            rows[n].old = malloc(len);
            if (!rows[n].old) zx_die("pii: out of memory");
            memcpy(rows[n].old, b, len);
            rows[n].oldn = len;
            n++;
        }
        if (n == 200) break;
    }
    int seen = *after ? 1 : 0;
    db_finalize(s);
    if (count_only) {
        *done += n;
        for (int k = 0; k < n; k++) free(rows[k].old);
        return seen && n >= 0 ? (int)(seen) : 0;
    }
    int rc = 0;
    for (int k = 0; k < n; k++) {
        char *p = zx_pii_open(g_cols[i].kind, rows[k].old, rows[k].oldn);
        if (p) {
            db_stmt *u = db_prepare(c, upd);
            if (!u) rc = DB_ERROR;
            else {
                zx_pii_bind(u, 1, g_cols[i].kind, p);
                db_bind_int64(u, 2, rows[k].id);
                db_bind_blob(u, 3, rows[k].old, rows[k].oldn);
                if (db_step(u) != DB_DONE) rc = DB_ERROR;
                else *done += db_changes(u);
                db_finalize(u);
            }
        }
        zx_pii_free(p);
        free(rows[k].old);
    }
    if (rc || db_commit(c)) goto fail;
    return seen;
fail:
    db_rollback(c);
    return DB_ERROR;
}

static int64_t reseal_scan(db_t *db, bool count_only, void (*progress)(const char *, const char *, int64_t))
{
    int64_t done = 0;
    db_conn *c = db_acquire(db);
    for (int i = 0; i < g_ncols; i++) {
        int64_t after = INT64_MIN, before = done;
        for (;;) {
            int64_t prev = after;
            int rc = reseal_batch(c, i, &after, &done, count_only);
            if (rc < 0) {
                LOG_ERROR("pii: re-sealing %s.%s: %s", g_cols[i].table, g_cols[i].col, db_errmsg(c));
                db_release(db, c);
                return rc;
            }
            if (after == prev) break; /* no more rows */
        }
        if (progress && !count_only) progress(g_cols[i].table, g_cols[i].col, done - before);
    }
    db_release(db, c);
    return done;
}

int64_t zx_pii_reseal_all(db_t *db, void (*progress)(const char *table, const char *col, int64_t done))
{
    return reseal_scan(db, false, progress);
}

int64_t zx_pii_stale_count(db_t *db)
{
    return reseal_scan(db, true, NULL);
}

/* ---- blind-index key rotation ----------------------------------------------------------------- */

/* Checks the key file first (at most every zx_pii_reload_ms()): a caller that chooses a plan by it
 * (the roster report) must not act on a state older than the rotation's settle interval. */
bool zx_pii_index_rotating(void)
{
    maybe_reload();
    return ring()->has_next != 0;
}
bool zx_pii_index_writing_next(void) { return ring()->has_next && ring()->next_write; }

int zx_pii_index_write_next(const char *key_file, char *err, size_t errlen)
{
    const pii_ring *r = ring();
    if (!r->has_next) {
        snprintf(err, errlen, "no blind-index rotation in progress (no index_next line)");
        return -1;
    }
    if (r->next_write) return 0;
    int rc = rewrite_key_file(key_file, DROP_PHASE, NULL, "index_phase write\n", err, errlen);
    return rc ? rc : zx_pii_init(key_file, false, err, errlen);
}

int zx_pii_index_next_add(const char *key_file, char *err, size_t errlen)
{
    if (ring()->has_next) return 0; /* an interrupted rotation: keep its key */
    uint8_t k[32];
    char line[80];
    zx_random(k, sizeof k);
    memcpy(line, "index_next ", 11);
    zx_hex(k, 32, line + 11);
    strcpy(line + 75, "\n");
    zx_wipe(k, sizeof k);
    int rc = rewrite_key_file(key_file, KEEP_ALL, NULL, line, err, errlen);
    zx_wipe(line, sizeof line);
    return rc ? rc : zx_pii_init(key_file, false, err, errlen);
}

int zx_pii_index_promote(const char *key_file, char *err, size_t errlen)
{
    const pii_ring *r = ring();
    if (!r->has_next) return 0;
    char hex[65];
    zx_hex(r->index_next_master, 32, hex);
    int rc = rewrite_key_file(key_file, DROP_NEXT, hex, NULL, err, errlen);
    zx_wipe(hex, sizeof hex);
    return rc ? rc : zx_pii_init(key_file, false, err, errlen);
}

int zx_pii_index_drop_next(const char *key_file, char *err, size_t errlen)
{
    if (!ring()->has_next) return 0;
    int rc = rewrite_key_file(key_file, DROP_NEXT, NULL, NULL, err, errlen);
    return rc ? rc : zx_pii_init(key_file, false, err, errlen);
}

void zx_pii_index_fingerprints(char cur[33], char next[33])
{
    const pii_ring *r = ring();
    fingerprint(r->index_master, cur);
    if (r->has_next) fingerprint(r->index_next_master, next);
    else next[0] = 0;
}

/* Blind index with the next index key (the rotation in progress). */
static bool index_next_hex(zx_pii_kind k, const char *value, char out[ZX_PII_INDEX_HEX])
{
    char norm[MAX_VALUE + 1];
    int n = zx_pii_normalise(k, value, norm, sizeof norm);
    if (n <= 0 || k < 1 || k > 5) return false;
    const pii_ring *r = ring();
    uint8_t d[32];
    hmac2(&r->index_next[k], norm, (size_t)n, NULL, 0, d);
    zx_wipe(norm, (size_t)n);
    zx_hex(d, 32, out);
    return true;
}

#define MAX_INDEXES 32
static struct { const char *table, *key, *idx, *src, *where; bool sealed; zx_pii_kind kind; } g_idx[MAX_INDEXES];
static int g_nidx;

void zx_pii_index_column_add(const char *table, const char *key_col, const char *idx_col, const char *src_col,
                             bool sealed, zx_pii_kind kind, const char *where)
{
    for (int i = 0; i < g_nidx; i++)
        if (!strcmp(g_idx[i].table, table) && !strcmp(g_idx[i].idx, idx_col) && !strcmp(g_idx[i].src ? g_idx[i].src : "", src_col ? src_col : "") &&
            !strcmp(g_idx[i].where ? g_idx[i].where : "", where ? where : ""))
            return;
    if (g_nidx == MAX_INDEXES) zx_die("pii: too many blind-index columns");
    g_idx[g_nidx].table = table;
    g_idx[g_nidx].key = key_col;
    g_idx[g_nidx].idx = idx_col;
    g_idx[g_nidx].src = src_col;
    g_idx[g_nidx].sealed = sealed;
    g_idx[g_nidx].kind = kind;
    g_idx[g_nidx].where = where;
    g_nidx++;
}

int64_t zx_pii_reindex_blockers(db_conn *c, char *names, size_t cap)
{
    int64_t total = 0;
    size_t o = 0;
    if (cap) names[0] = 0;
    for (int i = 0; i < g_nidx; i++) {
        if (g_idx[i].src) continue;
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s%s%s", g_idx[i].table, g_idx[i].where ? " WHERE " : "",
                 g_idx[i].where ? g_idx[i].where : "");
        int64_t n = 0;
        if (db_exec_int64(c, sql, &n)) return DB_ERROR;
        if (n && o < cap) o += (size_t)snprintf(names + o, cap - o, "%s%s.%s (%lld)", o ? ", " : "", g_idx[i].table, g_idx[i].idx, (long long)n);
        total += n;
    }
    return total;
}

/* One batch of up to 200 rows of index column i after key *after: recompute each row's blind index
 * under the next key and, unless counting, move the rows still under another key in ONE write
 * transaction, compare-and-set (UPDATE … WHERE the index is unchanged: a concurrent writer already
 * writes under the next key and wins). Returns rows seen (0 = column done); *moved += rows moved (or,
 * counting, rows not yet under the next key); < 0 on a store error or a sealed value that does not
 * open (refused: it would leave a row no look-up finds). */
static int reindex_batch(db_conn *c, int i, int64_t *after, int64_t *moved, bool count_only)
{
    enum { B = 200 };
    char sel[512], upd[256], updn[256];
    const char *t = g_idx[i].table, *k = g_idx[i].key, *ix = g_idx[i].idx, *src = g_idx[i].src;
    snprintf(sel, sizeof sel, "SELECT %s, %s, %s FROM %s WHERE %s > ? AND %s IS NOT NULL%s%s ORDER BY %s LIMIT %d", k, ix, src, t,
             k, src, g_idx[i].where ? " AND " : "", g_idx[i].where ? g_idx[i].where : "", k, B);
    snprintf(upd, sizeof upd, "UPDATE %s SET %s = ? WHERE %s = ? AND %s = ?", t, ix, k, ix);
    snprintf(updn, sizeof updn, "UPDATE %s SET %s = ? WHERE %s = ? AND %s IS NULL", t, ix, k, ix);
    if (!count_only && db_begin(c)) return DB_ERROR;
    db_stmt *s = db_prepare(c, sel);
    if (!s) goto fail;
    db_bind_int64(s, 1, *after);
    struct row { int64_t id; char old[ZX_PII_INDEX_HEX]; char hex[ZX_PII_INDEX_HEX]; bool had; } *rows = calloc(B, sizeof *rows);
    if (!rows) zx_die("pii: out of memory");
    int n = 0, seen = 0, rc, bad = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        seen++;
        *after = db_col_int64(s, 0);
        char *p = g_idx[i].sealed ? zx_pii_col(s, 2, g_idx[i].kind) : NULL;
        const char *v = g_idx[i].sealed ? p : db_col_text(s, 2);
        struct row *w = &rows[n];
        if (!v || !index_next_hex(g_idx[i].kind, v, w->hex)) {
            zx_pii_free(p);
            if (g_idx[i].sealed && !p) {
                LOG_ERROR("pii: %s.%s of row %lld does not open; blind-index rotation stopped", t, src, (long long)*after);
                bad = 1;
                break;
            }
            continue; /* an empty value has no index */
        }
        zx_pii_free(p);
        const char *cur = db_col_text(s, 1);
        if (cur && !strcmp(cur, w->hex)) continue; /* already under the next key */
        w->id = *after;
        w->had = cur != NULL;
        snprintf(w->old, sizeof w->old, "%s", cur ? cur : "");
        n++;
    }
    db_finalize(s);
    if (rc < 0 || bad) {
        free(rows);
        goto fail;
    }
    if (count_only) {
        *moved += n;
        free(rows);
        return seen;
    }
    int err = 0;
    for (int r = 0; r < n && !err; r++) {
        db_stmt *u = db_prepare(c, rows[r].had ? upd : updn);
        if (!u) { err = 1; break; }
        db_bind_text(u, 1, rows[r].hex, 64);
        db_bind_int64(u, 2, rows[r].id);
        if (rows[r].had) db_bind_text(u, 3, rows[r].old, -1);
        if (db_step(u) != DB_DONE) err = 1;
        else *moved += db_changes(u);
        db_finalize(u);
    }
    zx_wipe(rows, B * sizeof *rows);
    free(rows);
    if (err || db_commit(c)) goto fail;
    return seen;
fail:
    if (!count_only) db_rollback(c);
    return DB_ERROR;
}

static int64_t reindex_scan(db_t *db, bool count_only, void (*progress)(const char *, const char *, int64_t))
{
    if (!ring()->has_next) return DB_ERROR;
    int64_t total = 0;
    db_conn *c = db_acquire(db);
    for (int i = 0; i < g_nidx; i++) {
        if (!g_idx[i].src) continue;
        int64_t after = INT64_MIN, before = total;
        for (;;) {
            int rc = reindex_batch(c, i, &after, &total, count_only);
            if (rc < 0) {
                LOG_ERROR("pii: re-indexing %s.%s: %s", g_idx[i].table, g_idx[i].idx, db_errmsg(c));
                db_release(db, c);
                return DB_ERROR;
            }
            if (rc < 200) break;
        }
        if (progress && !count_only) progress(g_idx[i].table, g_idx[i].idx, total - before);
    }
    db_release(db, c);
    return total;
}

int64_t zx_pii_reindex_online(db_t *db, void (*progress)(const char *table, const char *col, int64_t done))
{
    return reindex_scan(db, false, progress);
}

int64_t zx_pii_reindex_left(db_t *db)
{
    return reindex_scan(db, true, NULL);
}
