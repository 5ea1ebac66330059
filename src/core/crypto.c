/* crypto.c — OpenSSL 3 EVP wrappers for SM3, HMAC-SM3, PBKDF2-HMAC-SM3 and randomness. */
#include "core/crypto.h"
#include "core/log.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <string.h>

void zx_random(void *buf, size_t len)
{
    if (RAND_bytes(buf, (int)len) != 1) zx_die("RAND_bytes failed");
}

/* SM3 of a short input (a session token or API key on every request) is dominated by EVP's fixed
 * costs when EVP_Digest looks the algorithm up and allocates a context each call (11% of the CPU of
 * a partner check). The algorithm is fetched once per process and each thread keeps one context. */
static EVP_MD *g_sm3_md;
static pthread_once_t g_sm3_once = PTHREAD_ONCE_INIT;
static pthread_key_t g_sm3_key;
static _Thread_local EVP_MD_CTX *tl_sm3_ctx;

static void sm3_ctx_free(void *ctx) { EVP_MD_CTX_free(ctx); }
static void sm3_init_once(void)
{
    g_sm3_md = EVP_MD_fetch(NULL, "SM3", NULL);
    if (!g_sm3_md) zx_die("SM3 is not available in this OpenSSL");
    pthread_key_create(&g_sm3_key, sm3_ctx_free);
}

void zx_sm3(const void *data, size_t len, uint8_t out[ZX_SM3_LEN])
{
    pthread_once(&g_sm3_once, sm3_init_once);
    if (!tl_sm3_ctx) {
        tl_sm3_ctx = EVP_MD_CTX_new();
        if (!tl_sm3_ctx) zx_die("SM3: out of memory");
        pthread_setspecific(g_sm3_key, tl_sm3_ctx); /* freed when the thread ends */
    }
    unsigned int olen = 0;
    if (EVP_DigestInit_ex2(tl_sm3_ctx, g_sm3_md, NULL) != 1 || EVP_DigestUpdate(tl_sm3_ctx, data, len) != 1 ||
        EVP_DigestFinal_ex(tl_sm3_ctx, out, &olen) != 1 || olen != ZX_SM3_LEN)
        zx_die("SM3 digest failed");
}

void zx_hmac_sm3(const void *key, size_t klen, const void *data, size_t len, uint8_t out[ZX_SM3_LEN])
{
    unsigned int olen = 0;
    if (!HMAC(EVP_sm3(), key, (int)klen, data, len, out, &olen)) zx_die("HMAC-SM3 failed");
}

void zx_pbkdf2_sm3(const char *pw, size_t pwlen, const uint8_t *salt, size_t saltlen, unsigned iter,
                   uint8_t *out, size_t outlen)
{
    if (PKCS5_PBKDF2_HMAC(pw, (int)pwlen, salt, (int)saltlen, (int)iter, EVP_sm3(), (int)outlen, out) != 1)
        zx_die("PBKDF2-HMAC-SM3 failed");
}

void zx_hex(const uint8_t *bin, size_t len, char *hex)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = d[bin[i] >> 4];
        hex[2 * i + 1] = d[bin[i] & 15];
    }
    hex[2 * len] = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int zx_unhex(const char *hex, uint8_t *bin, size_t cap)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int h = hexval(hex[2 * i]), l = hexval(hex[2 * i + 1]);
        if (h < 0 || l < 0) return -1;
        bin[i] = (uint8_t)(h << 4 | l);
    }
    return (int)(n / 2);
}

void zx_token_new(char out[65])
{
    uint8_t raw[32];
    zx_random(raw, sizeof raw);
    zx_hex(raw, sizeof raw, out);
    zx_wipe(raw, sizeof raw);
}

/* A partner system sends the same API key on every request: each thread remembers the hashes of
 * the last few tokens it saw. A hit is found by comparing the whole zero-padded token in constant
 * time against every slot (no early exit on a matching prefix of a valid key). */
#define TOKEN_MEMO 4
#define TOKEN_MEMO_MAX 128
static _Thread_local struct {
    char tok[TOKEN_MEMO_MAX];
    char hex[65];
    int used;
} tl_memo[TOKEN_MEMO];
static _Thread_local unsigned tl_memo_next;

void zx_token_hash(const char *token, char out[65])
{
    size_t n = strlen(token);
    char padded[TOKEN_MEMO_MAX];
    if (n < TOKEN_MEMO_MAX) {
        memset(padded, 0, sizeof padded);
        memcpy(padded, token, n);
        int hit = -1;
        for (int i = 0; i < TOKEN_MEMO; i++)
            if (tl_memo[i].used && CRYPTO_memcmp(tl_memo[i].tok, padded, sizeof padded) == 0) hit = i;
        if (hit >= 0) {
            memcpy(out, tl_memo[hit].hex, 65);
            return;
        }
    }
    uint8_t d[ZX_SM3_LEN];
    zx_sm3(token, n, d);
    zx_hex(d, sizeof d, out);
    if (n < TOKEN_MEMO_MAX) {
        unsigned k = tl_memo_next++ % TOKEN_MEMO;
        memcpy(tl_memo[k].tok, padded, sizeof padded);
        memcpy(tl_memo[k].hex, out, 65);
        tl_memo[k].used = 1;
        OPENSSL_cleanse(padded, sizeof padded);
    }
}

int zx_ct_equal(const void *a, const void *b, size_t len) { return CRYPTO_memcmp(a, b, len) == 0; }

void zx_wipe(void *p, size_t len) { OPENSSL_cleanse(p, len); }
