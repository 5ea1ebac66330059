/* test_pii.c — src/core/pii.h: key file creation (mode 0600), seal/open round trip per kind,
 * tampering and kind confusion rejected, blind index stable and keyed, normalising, masking
 * (ARCHITECTURE decision 7), key versions and the store's key fingerprints (SQLite and, when
 * ZX_TEST_PG_URL is set, PostgreSQL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/crypto.h"
#include "core/pii.h"
#include "core/pii_hash.h"
#include "core/pii_prp.h"
#include "store/db.h"

static char g_dir[] = "/tmp/zx-test-pii-XXXXXX";
static char g_keys[600];

static int setup(void **st)
{
    (void)st;
    if (!mkdtemp(g_dir)) return -1;
    snprintf(g_keys, sizeof g_keys, "%s/zhixing.keys", g_dir);
    char err[256];
    return zx_pii_init(g_keys, true, err, sizeof err);
}

static int teardown(void **st)
{
    (void)st;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_key_file_created_0600(void **st)
{
    (void)st;
    struct stat sb;
    assert_int_equal(stat(g_keys, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_true(zx_pii_ready());
    assert_int_equal(zx_pii_current_version(), 1);
    /* a missing file without create is an error, not a silent new key */
    char err[256], other[700];
    snprintf(other, sizeof other, "%s/none.keys", g_dir);
    assert_int_equal(zx_pii_init(other, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "does not exist"));
    assert_true(zx_pii_ready()); /* the loaded ring is kept */
}

static void test_seal_open_roundtrip(void **st)
{
    (void)st;
    static const struct { zx_pii_kind k; const char *in, *norm; } cases[] = {
        {ZX_PII_ID_NUMBER, "11010519491231002x", "11010519491231002X"},
        {ZX_PII_ID_NUMBER, " 91110000 100000000X ", "91110000100000000X"},
        {ZX_PII_PHONE, "+86 138-0013-8000", "13800138000"},
        {ZX_PII_PHONE, "024-2345 6789", "02423456789"},
        {ZX_PII_ADDRESS, "  辽宁省沈阳市  和平区   南京北街1号 ", "辽宁省沈阳市 和平区 南京北街1号"},
        {ZX_PII_BANK_ACCOUNT, "6222 0210 0101 2345 678", "6222021001012345678"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char *b = NULL;
        size_t n = 0;
        assert_int_equal(zx_pii_seal(cases[i].k, cases[i].in, &b, &n), 0);
        assert_non_null(b);
        assert_int_equal(n, strlen(cases[i].norm) + ZX_PII_OVERHEAD);
        /* the plain text does not appear in the blob */
        assert_null(memmem(b, n, cases[i].norm, strlen(cases[i].norm)));
        char *p = zx_pii_open(cases[i].k, b, n);
        assert_non_null(p);
        assert_string_equal(p, cases[i].norm);
        zx_pii_free(p);
        assert_int_equal(zx_pii_blob_version(b, n), 1);
        /* two seals of one value differ (random IV) */
        unsigned char *b2 = NULL;
        size_t n2 = 0;
        assert_int_equal(zx_pii_seal(cases[i].k, cases[i].in, &b2, &n2), 0);
        assert_int_equal(n2, n);
        assert_memory_not_equal(b, b2, n);
        free(b2);
        free(b);
    }
}

static void test_empty_and_null(void **st)
{
    (void)st;
    unsigned char *b = (unsigned char *)1;
    size_t n = 9;
    assert_int_equal(zx_pii_seal(ZX_PII_PHONE, NULL, &b, &n), 0);
    assert_null(b);
    assert_int_equal(n, 0);
    assert_int_equal(zx_pii_seal(ZX_PII_PHONE, " - ", &b, &n), 0); /* nothing left after normalising */
    assert_null(b);
    assert_null(zx_pii_open(ZX_PII_PHONE, NULL, 0));
    char h[ZX_PII_INDEX_HEX] = "x";
    zx_pii_index(ZX_PII_ID_NUMBER, "", h);
    assert_string_equal(h, "");
    assert_null(zx_pii_mask(ZX_PII_ID_NUMBER, NULL));
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(zx_pii_seal(ZX_PII_ADDRESS, big, &b, &n), -1);
}

static void test_tamper_and_kind_confusion(void **st)
{
    (void)st;
    unsigned char *b = NULL;
    size_t n = 0;
    assert_int_equal(zx_pii_seal(ZX_PII_ID_NUMBER, "110105194912310021", &b, &n), 0);
    /* opened as another kind: refused */
    assert_null(zx_pii_open(ZX_PII_PHONE, b, n));
    /* every single flipped bit (header, IV, ciphertext, tag) is detected */
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (unsigned char)(1 << bit);
            char *p = zx_pii_open(ZX_PII_ID_NUMBER, b, n);
            assert_null(p);
            b[i] ^= (unsigned char)(1 << bit);
        }
    /* truncated */
    assert_null(zx_pii_open(ZX_PII_ID_NUMBER, b, n - 1));
    assert_null(zx_pii_open(ZX_PII_ID_NUMBER, b, 10));
    char *p = zx_pii_open(ZX_PII_ID_NUMBER, b, n);
    assert_string_equal(p, "110105194912310021");
    zx_pii_free(p);
    free(b);
}

static void test_blind_index(void **st)
{
    (void)st;
    char a[ZX_PII_INDEX_HEX], b[ZX_PII_INDEX_HEX], c[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_ID_NUMBER, "11010519491231002x", a);
    zx_pii_index(ZX_PII_ID_NUMBER, " 11010519491231002X", b); /* same after normalising */
    assert_int_equal(strlen(a), 64);
    assert_string_equal(a, b);
    zx_pii_index(ZX_PII_ID_NUMBER, "110105194912310021", c);
    assert_string_not_equal(a, c);
    /* keyed per kind: the same digits as a phone give another index */
    zx_pii_index(ZX_PII_PHONE, "13800138000", b);
    zx_pii_index(ZX_PII_BANK_ACCOUNT, "13800138000", c);
    assert_string_not_equal(b, c);
    /* raw and hex agree */
    uint8_t raw[32];
    assert_true(zx_pii_index_raw(ZX_PII_ID_NUMBER, "11010519491231002X", raw));
    char hx[65];
    for (int i = 0; i < 32; i++) sprintf(hx + 2 * i, "%02x", raw[i]);
    assert_string_equal(hx, a);
    /* keyed: not the plain SM3 of the value (an attacker without the key cannot build a dictionary) */
    assert_null(strstr(a, "11010519491231002X"));
}

/* The credit snapshot's keyed hash (core/pii_hash.h, written here from the SipHash paper): pinned to
 * the paper's test vector and to libsodium's packaged SipHash-2-4-128 on random inputs of every
 * length 0–64; its key is HMAC-SM3(stable key, "zx-credit-snapshot")[0..16). */
static void test_snapshot_hash(void **st)
{
    (void)st;
    /* SipHash-2-4 reference vector (Aumasson & Bernstein, 2012, appendix A): key 00..0f, message
     * 00..0e → a129ca6149be45e5 */
    uint8_t k16[16], m[64], h[16];
    for (int i = 0; i < 16; i++) k16[i] = (uint8_t)i;
    for (int i = 0; i < 15; i++) m[i] = (uint8_t)i;
    uint64_t o[2];
    zx_siphash24(k16, m, 15, 0, o);
    assert_true(o[0] == 0xa129ca6149be45e5ULL);
    crypto_shorthash_siphash24(h, m, 15, k16);
    assert_memory_equal(h, o, 8);
    /* 64- and 128-bit outputs against libsodium for every length 0–64, random keys and messages */
    for (int round = 0; round < 20; round++)
        for (size_t n = 0; n <= sizeof m; n++) {
            randombytes_buf(k16, sizeof k16);
            randombytes_buf(m, sizeof m);
            zx_siphash24(k16, m, n, 1, o);
            crypto_shorthash_siphashx24(h, m, n, k16);
            assert_memory_equal(h, o, 16);
            zx_siphash24(k16, m, n, 0, o);
            crypto_shorthash_siphash24(h, m, n, k16);
            assert_memory_equal(h, o, 8);
        }
    /* the key: derived from the stable key in the key file (a new file has one of its own, not the
     * index key), fixed for the process */
    FILE *f = fopen(g_keys, "r");
    assert_non_null(f);
    char line[256], ihex[65] = "", idx[65] = "";
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "stable ", 7) == 0) sscanf(line + 7, "%64s", ihex);
        if (strncmp(line, "index ", 6) == 0) sscanf(line + 6, "%64s", idx);
    }
    fclose(f);
    assert_int_equal(strlen(ihex), 64);
    assert_string_not_equal(ihex, idx);
    uint8_t master[32], dk[32];
    assert_int_equal(zx_unhex(ihex, master, sizeof master), 32);
    zx_hmac_sm3(master, 32, "zx-credit-snapshot", 18, dk);
    const uint8_t *sk = zx_pii_snapshot_key();
    assert_memory_equal(sk, dk, 16);
    assert_ptr_equal(zx_pii_snapshot_key(), sk);
    /* not the blind index's key material: the ID's SipHash differs from its blind index's first bytes */
    uint8_t bi[32];
    assert_true(zx_pii_index_raw(ZX_PII_ID_NUMBER, "11010519491231002X", bi));
    zx_siphash24(sk, "11010519491231002X", 18, 1, o);
    assert_memory_not_equal(bi, o, 16);
}

/* The credit snapshot's key (core/pii_prp.h): AES-128 pinned to the FIPS 197 appendix C.1 vector on
 * both implementations (AES-NI and OpenSSL), the two agreeing on random keys and blocks; the packing
 * of an 18-character ID is bijective, so IDs that differ in any one character — the last two
 * included, which live in the block's top bits — never share a key; other inputs fall in a separate
 * domain. */
static void test_snapshot_prp(void **st)
{
    (void)st;
    uint8_t key[16], in[16], a[16], b[16];
    static const uint8_t want[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                      0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    for (int i = 0; i < 16; i++) {
        key[i] = (uint8_t)i;
        in[i] = (uint8_t)(i * 0x11);
    }
    assert_true(zx_prp_aes128(key, in, a, false));
    assert_memory_equal(a, want, 16);
    bool hw = zx_prp_aes128(key, in, b, true);
    if (hw) assert_memory_equal(b, want, 16);
    else print_message("AES-NI not available: only the OpenSSL path checked\n");
    for (int r = 0; hw && r < 1000; r++) {
        randombytes_buf(key, sizeof key);
        randombytes_buf(in, sizeof in);
        assert_true(zx_prp_aes128(key, in, a, false));
        assert_true(zx_prp_aes128(key, in, b, true));
        assert_memory_equal(a, b, 16);
    }
    /* the snapshot key of an ID = AES-128(snapshot key, packed ID), checked against OpenSSL */
    const char *id = "11010519491231002X";
    uint64_t o[2], p[2];
    zx_pii_snapshot_prp(id, 18, o);
    uint64_t lo, hi;
    memcpy(&lo, id, 8);
    memcpy(&hi, id + 8, 8);
    unsigned x = (unsigned char)id[16] | (unsigned)(unsigned char)id[17] << 7;
    for (int j = 0; j < 8; j++) lo |= (uint64_t)((x >> j) & 1) << (8 * j + 7);
    for (int j = 0; j < 8; j++) hi |= (uint64_t)((x >> (8 + j)) & 1) << (8 * j + 7);
    memcpy(in, &lo, 8);
    memcpy(in + 8, &hi, 8);
    assert_true(zx_prp_aes128(zx_pii_snapshot_key(), in, a, false));
    assert_memory_equal(a, o, 16);
    /* every one-character change of every position gives another key (bijective packing) */
    char v[19];
    for (int pos = 0; pos < 18; pos++)
        for (const char *c = "0123456789ABXYZ"; *c; c++) {
            memcpy(v, id, 19);
            if (v[pos] == *c) continue;
            v[pos] = *c;
            zx_pii_snapshot_prp(v, 18, p);
            assert_false(p[0] == o[0] && p[1] == o[1]);
        }
    /* the top bit of the block of an 18-character ID is always 0; anything else sets it */
    zx_pii_snapshot_prp("11010519491231002", 17, p);
    assert_false(p[0] == o[0] && p[1] == o[1]);
    zx_pii_snapshot_prp("11010519491231002X", 18, p);
    assert_true(p[0] == o[0] && p[1] == o[1]);
    /* four at once (the bulk check's interleaved rounds) = one at a time, including a non-ASCII value */
    char ids[4][19] = { "11010519491231002X", "91110000100000000A", "110105194912310021", "44030019800101123X" };
    for (int r = 0; r < 200; r++) {
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 18; j++) ids[i][j] = "0123456789ABX"[randombytes_uniform(13)];
        if (r == 199) ids[2][5] = (char)0xE4;
        const char *v4[4] = { ids[0], ids[1], ids[2], ids[3] };
        uint64_t o4[4][2], o1[2];
        zx_pii_snapshot_prp4(v4, o4);
        for (int i = 0; i < 4; i++) {
            zx_pii_snapshot_prp(ids[i], 18, o1);
            assert_true(o4[i][0] == o1[0] && o4[i][1] == o1[1]);
        }
    }
}

static void test_mask(void **st)
{
    (void)st;
    static const struct { zx_pii_kind k; const char *in, *out; } cases[] = {
        {ZX_PII_ID_NUMBER, "11010519491231002X", "1101051949****002X"},
        {ZX_PII_ID_NUMBER, "110105491231002", "110105*****1002"},
        {ZX_PII_ID_NUMBER, "12345", "*****"},
        {ZX_PII_PHONE, "13800138000", "138****8000"},
        {ZX_PII_PHONE, "02423456789012", "**********9012"},
        {ZX_PII_PHONE, "110", "***"},
        {ZX_PII_ADDRESS, "辽宁省沈阳市和平区南京北街1号", "辽宁省沈阳市****"},
        {ZX_PII_ADDRESS, "沈阳市和平区", "沈阳市和平区"},
        {ZX_PII_BANK_ACCOUNT, "6222021001012345678", "****5678"},
        {ZX_PII_BANK_ACCOUNT, "12", "****"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *m = zx_pii_mask(cases[i].k, cases[i].in);
        assert_string_equal(m, cases[i].out);
        free(m);
    }
}

static void test_default_key_file(void **st)
{
    (void)st;
    char out[512];
    zx_pii_default_key_file("/etc/zhixing/pii.keys", "sqlite:var/x.db", out);
    assert_string_equal(out, "/etc/zhixing/pii.keys");
    zx_pii_default_key_file("", "sqlite:/tmp/a/zx.db", out);
    assert_string_equal(out, "/tmp/a/zx.db.keys");
    zx_pii_default_key_file(NULL, "postgresql:///zx?host=/tmp", out);
    assert_string_equal(out, "var/zhixing.keys");
}

/* A second key version: new seals use it, old blobs still open, the index does not change. */
static void test_versions(void **st)
{
    (void)st;
    unsigned char *old = NULL;
    size_t on = 0;
    assert_int_equal(zx_pii_seal(ZX_PII_BANK_ACCOUNT, "6222021001012345678", &old, &on), 0);
    char idx1[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_BANK_ACCOUNT, "6222021001012345678", idx1);
    char path[700];
    snprintf(path, sizeof path, "%s/two.keys", g_dir);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "sed 's/^current 1$//' %s > %s && echo 'key 2 %s' >> %s && echo 'current 2' >> %s && chmod 600 %s",
             g_keys, path, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", path, path, path);
    assert_int_equal(system(cmd), 0);
    char err[256];
    assert_int_equal(zx_pii_init(path, false, err, sizeof err), 0);
    assert_int_equal(zx_pii_current_version(), 2);
    unsigned char *nw = NULL;
    size_t nn = 0;
    assert_int_equal(zx_pii_seal(ZX_PII_BANK_ACCOUNT, "6222021001012345678", &nw, &nn), 0);
    assert_int_equal(zx_pii_blob_version(nw, nn), 2);
    assert_int_equal(zx_pii_blob_version(old, on), 1);
    char *a = zx_pii_open(ZX_PII_BANK_ACCOUNT, old, on), *b = zx_pii_open(ZX_PII_BANK_ACCOUNT, nw, nn);
    assert_string_equal(a, "6222021001012345678");
    assert_string_equal(b, "6222021001012345678");
    zx_pii_free(a);
    zx_pii_free(b);
    char idx2[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_BANK_ACCOUNT, "6222021001012345678", idx2);
    assert_string_equal(idx1, idx2);
    /* a key file without version 1 cannot open version-1 blobs */
    snprintf(cmd, sizeof cmd, "grep -v '^key 1 ' %s > %s.only2 && chmod 600 %s.only2", path, path, path);
    assert_int_equal(system(cmd), 0);
    char only2[720];
    snprintf(only2, sizeof only2, "%s.only2", path);
    assert_int_equal(zx_pii_init(only2, false, err, sizeof err), 0);
    assert_null(zx_pii_open(ZX_PII_BANK_ACCOUNT, old, on));
    /* malformed key files are refused with a message */
    snprintf(cmd, sizeof cmd, "printf 'index zz\\nkey 1 00\\n' > %s.bad", path);
    assert_int_equal(system(cmd), 0);
    char bad[720];
    snprintf(bad, sizeof bad, "%s.bad", path);
    assert_int_equal(zx_pii_init(bad, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "malformed"));
    free(old);
    free(nw);
    assert_int_equal(zx_pii_init(g_keys, false, err, sizeof err), 0); /* back to the first ring */
}

static void *seal_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        char v[32];
        snprintf(v, sizeof v, "1380013%04d", i);
        unsigned char *b;
        size_t n;
        if (zx_pii_seal(ZX_PII_PHONE, v, &b, &n)) return (void *)1;
        char *p = zx_pii_open(ZX_PII_PHONE, b, n);
        int ok = p && !strcmp(p, v);
        zx_pii_free(p);
        free(b);
        if (!ok) return (void *)1;
    }
    return NULL;
}

static void test_threads(void **st)
{
    (void)st;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, seal_worker, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

static void store_check(const char *url)
{
    char err[512];
    db_t *db = db_open(url, 2, err, sizeof err);
    assert_non_null(db);
    int db_migrate(db_t *db, char *err, size_t errlen);
    assert_int_equal(db_migrate(db, err, sizeof err), 0);
    db_conn *c = db_acquire(db);
    db_exec(c, "DELETE FROM pii_key");
    assert_int_equal(zx_pii_check_store(c, err, sizeof err), 0);
    assert_int_equal(zx_pii_check_store(c, err, sizeof err), 0); /* idempotent */
    /* a different key file is refused */
    char other[700];
    snprintf(other, sizeof other, "%s/other.keys", g_dir);
    unlink(other);
    assert_int_equal(zx_pii_init(other, true, err, sizeof err), 0);
    assert_int_equal(zx_pii_check_store(c, err, sizeof err), -1);
    assert_non_null(strstr(err, "not the one"));
    assert_int_equal(zx_pii_init(g_keys, false, err, sizeof err), 0);
    /* sealed values round-trip through the store as blobs; look-up by blind index */
    db_exec(c, "CREATE TABLE IF NOT EXISTS pii_t (id BIGINT PRIMARY KEY, v_enc BYTEA, v_idx TEXT)");
    db_exec(c, "DELETE FROM pii_t");
    db_stmt *s = db_prepare(c, "INSERT INTO pii_t (id, v_enc, v_idx) VALUES (?, ?, ?)");
    db_bind_int64(s, 1, 1);
    assert_int_equal(zx_pii_bind(s, 2, ZX_PII_ID_NUMBER, "11010519491231002x"), 0);
    assert_int_equal(zx_pii_bind_index(s, 3, ZX_PII_ID_NUMBER, "11010519491231002x"), 0);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    s = db_prepare(c, "SELECT v_enc FROM pii_t WHERE v_idx = ?");
    zx_pii_bind_index(s, 1, ZX_PII_ID_NUMBER, "11010519491231002X");
    assert_int_equal(db_step(s), DB_ROW);
    char *p = zx_pii_col(s, 0, ZX_PII_ID_NUMBER);
    assert_string_equal(p, "11010519491231002X");
    zx_pii_free(p);
    char *m = zx_pii_col_masked(s, 0, ZX_PII_ID_NUMBER);
    assert_string_equal(m, "1101051949****002X");
    free(m);
    db_finalize(s);
    db_exec(c, "DROP TABLE pii_t");
    db_release(db, c);
    db_close(db);
}

/* HMAC-SM3 of msg under the per-kind key derived from master, as pii.c derives index keys. */
static void kind_mac(const uint8_t master[32], int kind, const char *msg, uint8_t out[32])
{
    uint8_t lbl[11], k[32];
    memcpy(lbl, "zx-pii-idx", 10);
    lbl[10] = (uint8_t)kind;
    zx_hmac_sm3(master, 32, lbl, sizeof lbl, k);
    zx_hmac_sm3(k, 32, msg, strlen(msg), out);
}

/* The stable key (pii.h): what is printed on notices (portal query codes) outlives an online
 * blind-index rotation. A key file written before the stable key existed has none: its value is the
 * index key (every code issued so far stays the same), and the rotation's first rewrite writes that
 * value down as `stable` before the index key changes. */
static void test_stable_key_outlives_index_rotation(void **st)
{
    (void)st;
    char path[700], err[256];
    snprintf(path, sizeof path, "%s/old.keys", g_dir);
    uint8_t idx[32], k1[32];
    char hi[65], hk[65];
    for (int i = 0; i < 32; i++) idx[i] = (uint8_t)(7 * i + 1), k1[i] = (uint8_t)(3 * i + 5);
    zx_hex(idx, 32, hi);
    zx_hex(k1, 32, hk);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "# a key file of session 4 (no stable line)\nindex %s\nkey 1 %s\ncurrent 1\n", hi, hk);
    fclose(f);
    assert_int_equal(zx_pii_init(path, false, err, sizeof err), 0);
    const char *msg = "portal-query-code:4242";
    uint8_t want[32], a[32], b[32];
    kind_mac(idx, ZX_PII_SECRET, msg, want); /* the code's MAC as it was derived until now */
    assert_true(zx_pii_stable_index_raw(ZX_PII_SECRET, msg, a));
    assert_memory_equal(a, want, 32);
    assert_true(zx_pii_index_raw(ZX_PII_SECRET, msg, b)); /* the index key's own (what codes used to be) */
    assert_memory_equal(b, want, 32);
    /* a full online rotation of the index key: next key announced, written, promoted */
    assert_int_equal(zx_pii_index_next_add(path, err, sizeof err), 0);
    assert_int_equal(zx_pii_index_write_next(path, err, sizeof err), 0);
    assert_true(zx_pii_stable_index_raw(ZX_PII_SECRET, msg, a));
    assert_memory_equal(a, want, 32);
    assert_int_equal(zx_pii_index_promote(path, err, sizeof err), 0);
    assert_false(zx_pii_index_rotating());
    assert_true(zx_pii_index_raw(ZX_PII_SECRET, msg, b));
    assert_memory_not_equal(b, want, 32); /* the index key changed … */
    assert_true(zx_pii_stable_index_raw(ZX_PII_SECRET, msg, a));
    assert_memory_equal(a, want, 32); /* … the stable key did not */
    f = fopen(path, "r");
    assert_non_null(f);
    char line[256], st_hex[65] = "", new_idx[65] = "";
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "stable ", 7)) sscanf(line + 7, "%64s", st_hex);
        if (!strncmp(line, "index ", 6)) sscanf(line + 6, "%64s", new_idx);
    }
    fclose(f);
    assert_string_equal(st_hex, hi); /* written down from the old index key */
    assert_string_not_equal(new_idx, hi);
    /* read again from the file: the same */
    assert_int_equal(zx_pii_init(path, false, err, sizeof err), 0);
    assert_true(zx_pii_stable_index_raw(ZX_PII_SECRET, msg, a));
    assert_memory_equal(a, want, 32);
    /* a second rotation keeps it too (the stable line is kept as it is) */
    assert_int_equal(zx_pii_index_next_add(path, err, sizeof err), 0);
    assert_int_equal(zx_pii_index_promote(path, err, sizeof err), 0);
    assert_true(zx_pii_stable_index_raw(ZX_PII_SECRET, msg, a));
    assert_memory_equal(a, want, 32);
    zx_wipe(idx, sizeof idx);
    zx_wipe(k1, sizeof k1);
    assert_int_equal(zx_pii_init(g_keys, false, err, sizeof err), 0); /* the other tests' key file */
}

static void test_store_sqlite(void **st)
{
    (void)st;
    char url[700];
    snprintf(url, sizeof url, "sqlite:%s/t.db", g_dir);
    store_check(url);
    /* the ID number is not in the database file */
    char cmd[800];
    snprintf(cmd, sizeof cmd, "grep -c 11010519491231002X %s/t.db* >/dev/null", g_dir);
    assert_int_not_equal(system(cmd), 0);
}

static void test_store_postgres(void **st)
{
    (void)st;
    const char *url = getenv("ZX_TEST_PG_URL");
    if (!url || !*url) skip();
    store_check(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file_created_0600),
        cmocka_unit_test(test_seal_open_roundtrip),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_tamper_and_kind_confusion),
        cmocka_unit_test(test_blind_index),
        cmocka_unit_test(test_snapshot_hash),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_snapshot_prp),
        cmocka_unit_test(test_default_key_file),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_stable_key_outlives_index_rotation),
        cmocka_unit_test(test_store_sqlite),
        cmocka_unit_test(test_store_postgres),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
