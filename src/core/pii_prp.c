/* pii_prp.c — AES-128 keyed permutation of a packed ID number for the credit snapshot (pii_prp.h).
 * AES-NI through the compiler's intrinsics when the CPU has it, OpenSSL EVP AES-128-ECB otherwise. */
#include "core/pii_prp.h"
#include "core/pii.h"
#include "core/pii_hash.h"
#include "core/crypto.h"
#include "core/log.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#if defined(__x86_64__)
#include <wmmintrin.h>
#include <emmintrin.h>
#define HAVE_X86 1
#endif

static _Atomic int g_mode; /* 0: not set up; 1: AES-NI; 2: OpenSSL */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static uint8_t g_key[16];
#ifdef HAVE_X86
static __m128i g_rk[11];

#define EXPAND(i, rcon)                                                                                  \
    do {                                                                                                 \
        __m128i k = rk[(i) - 1], g = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(k, rcon), 0xff);        \
        k = _mm_xor_si128(k, _mm_slli_si128(k, 4));                                                      \
        k = _mm_xor_si128(k, _mm_slli_si128(k, 4));                                                      \
        k = _mm_xor_si128(k, _mm_slli_si128(k, 4));                                                      \
        rk[i] = _mm_xor_si128(k, g);                                                                     \
    } while (0)
__attribute__((target("aes"))) static void expand_hw(const uint8_t key[16], __m128i rk[11])
{
    rk[0] = _mm_loadu_si128((const __m128i *)key);
    EXPAND(1, 0x01);
    EXPAND(2, 0x02);
    EXPAND(3, 0x04);
    EXPAND(4, 0x08);
    EXPAND(5, 0x10);
    EXPAND(6, 0x20);
    EXPAND(7, 0x40);
    EXPAND(8, 0x80);
    EXPAND(9, 0x1b);
    EXPAND(10, 0x36);
}
#undef EXPAND

__attribute__((target("aes"))) static inline __m128i enc_hw(__m128i b, const __m128i rk[11])
{
    b = _mm_xor_si128(b, rk[0]);
    for (int i = 1; i < 10; i++) b = _mm_aesenc_si128(b, rk[i]);
    return _mm_aesenclast_si128(b, rk[10]);
}
#endif

/* OpenSSL path: one ECB context per thread, keyed once (the snapshot key never changes in a process). */
static _Thread_local EVP_CIPHER_CTX *tl_ctx;
static pthread_key_t g_tl;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void tl_free(void *p)
{
    (void)p;
    EVP_CIPHER_CTX_free(tl_ctx);
    tl_ctx = NULL;
}
static void once_init(void) { pthread_key_create(&g_tl, tl_free); }

static void enc_soft(const uint8_t key[16], const uint8_t in[16], uint8_t out[16], EVP_CIPHER_CTX *c)
{
    int ol = 0;
    if (!c) {
        /* a one-off (tests): its own context */
        EVP_CIPHER_CTX *t = EVP_CIPHER_CTX_new();
        if (!t || EVP_EncryptInit_ex2(t, EVP_aes_128_ecb(), key, NULL, NULL) != 1 || EVP_CIPHER_CTX_set_padding(t, 0) != 1 ||
            EVP_EncryptUpdate(t, out, &ol, in, 16) != 1 || ol != 16)
            zx_die("pii: AES-128 failed");
        EVP_CIPHER_CTX_free(t);
        return;
    }
    if (EVP_EncryptUpdate(c, out, &ol, in, 16) != 1 || ol != 16) zx_die("pii: AES-128 failed");
}

static EVP_CIPHER_CTX *soft_ctx(void)
{
    if (!tl_ctx) {
        pthread_once(&g_once, once_init);
        tl_ctx = EVP_CIPHER_CTX_new();
        if (!tl_ctx || EVP_EncryptInit_ex2(tl_ctx, EVP_aes_128_ecb(), g_key, NULL, NULL) != 1 ||
            EVP_CIPHER_CTX_set_padding(tl_ctx, 0) != 1)
            zx_die("pii: AES-128 not available in this OpenSSL");
        pthread_setspecific(g_tl, (void *)1);
    }
    return tl_ctx;
}

bool zx_prp_aes128(const uint8_t key[16], const uint8_t in[16], uint8_t out[16], bool hw)
{
    if (!hw) {
        enc_soft(key, in, out, NULL);
        return true;
    }
#ifdef HAVE_X86
    if (!__builtin_cpu_supports("aes")) return false;
    __m128i rk[11];
    expand_hw(key, rk);
    _mm_storeu_si128((__m128i *)out, enc_hw(_mm_loadu_si128((const __m128i *)in), rk));
    return true;
#else
    return false;
#endif
}

static int setup(void)
{
    pthread_mutex_lock(&g_mu);
    int m = atomic_load(&g_mode);
    if (!m) {
        memcpy(g_key, zx_pii_snapshot_key(), 16);
        m = 2;
#ifdef HAVE_X86
        if (__builtin_cpu_supports("aes")) {
            expand_hw(g_key, g_rk);
            m = 1;
        }
#endif
        atomic_store_explicit(&g_mode, m, memory_order_release);
    }
    pthread_mutex_unlock(&g_mu);
    return m;
}

bool zx_prp_hw(void)
{
    int m = atomic_load_explicit(&g_mode, memory_order_acquire);
    return (m ? m : setup()) == 1;
}

/* Byte j of the result has its top bit = bit j of b (the other bits 0): spreads 8 bits over the free
 * top bits of 8 ASCII bytes. */
static inline uint64_t spread8(uint64_t b)
{
    return (((b * 0x0101010101010101ULL) & 0x8040201008040201ULL) + 0x7f7f7f7f7f7f7f7fULL) & 0x8080808080808080ULL;
}

/* An 18-character ASCII value packed into one block, bijectively: bytes 1–16 keep their 7 bits; the
 * bits of bytes 17 and 18 fill the top bits. False for anything else. */
static inline bool pack18(const char *v, size_t n, uint64_t *lo, uint64_t *hi)
{
    const uint8_t *p = (const uint8_t *)v;
    if (n != 18) return false;
    memcpy(lo, p, 8); /* little-endian hosts (x86-64, aarch64 Linux) */
    memcpy(hi, p + 8, 8);
    if ((*lo | *hi | p[16] | p[17]) & 0x8080808080808080ULL) return false;
    uint64_t x = (uint64_t)p[16] | (uint64_t)p[17] << 7;
    *lo |= spread8(x & 0xff);
    *hi |= spread8(x >> 8); /* 6 bits: the top bit of the block stays 0 */
    return true;
}

#ifdef HAVE_X86
__attribute__((target("aes")))
#endif
void zx_pii_snapshot_prp4(const char *const v[4], uint64_t out[4][2])
{
    int m = atomic_load_explicit(&g_mode, memory_order_acquire);
    if (__builtin_expect(!m, 0)) m = setup();
#ifdef HAVE_X86
    uint64_t lo[4], hi[4];
    if (__builtin_expect(m == 1, 1) && pack18(v[0], 18, &lo[0], &hi[0]) && pack18(v[1], 18, &lo[1], &hi[1]) &&
        pack18(v[2], 18, &lo[2], &hi[2]) && pack18(v[3], 18, &lo[3], &hi[3])) {
        __m128i b0 = _mm_xor_si128(_mm_set_epi64x((long long)hi[0], (long long)lo[0]), g_rk[0]);
        __m128i b1 = _mm_xor_si128(_mm_set_epi64x((long long)hi[1], (long long)lo[1]), g_rk[0]);
        __m128i b2 = _mm_xor_si128(_mm_set_epi64x((long long)hi[2], (long long)lo[2]), g_rk[0]);
        __m128i b3 = _mm_xor_si128(_mm_set_epi64x((long long)hi[3], (long long)lo[3]), g_rk[0]);
        for (int i = 1; i < 10; i++) {
            b0 = _mm_aesenc_si128(b0, g_rk[i]);
            b1 = _mm_aesenc_si128(b1, g_rk[i]);
            b2 = _mm_aesenc_si128(b2, g_rk[i]);
            b3 = _mm_aesenc_si128(b3, g_rk[i]);
        }
        _mm_storeu_si128((__m128i *)out[0], _mm_aesenclast_si128(b0, g_rk[10]));
        _mm_storeu_si128((__m128i *)out[1], _mm_aesenclast_si128(b1, g_rk[10]));
        _mm_storeu_si128((__m128i *)out[2], _mm_aesenclast_si128(b2, g_rk[10]));
        _mm_storeu_si128((__m128i *)out[3], _mm_aesenclast_si128(b3, g_rk[10]));
        return;
    }
#endif
    for (int i = 0; i < 4; i++) zx_pii_snapshot_prp(v[i], 18, out[i]);
}

#ifdef HAVE_X86
__attribute__((target("aes")))
#endif
void zx_pii_snapshot_prp(const char *v, size_t n, uint64_t out[2])
{
    int m = atomic_load_explicit(&g_mode, memory_order_acquire);
    if (__builtin_expect(!m, 0)) m = setup();
    uint64_t lo = 0, hi = 0;
    if (__builtin_expect(!pack18(v, n, &lo, &hi), 0)) {
        uint64_t h[2];
        zx_siphash24(zx_pii_snapshot_key(), v, n, 1, h);
        lo = h[0];
        hi = h[1] | 1ULL << 63; /* the other domain: never the block of an 18-character ID */
    }
#ifdef HAVE_X86
    if (__builtin_expect(m == 1, 1)) {
        _mm_storeu_si128((__m128i *)out, enc_hw(_mm_set_epi64x((long long)hi, (long long)lo), g_rk));
        return;
    }
#endif
    uint8_t in[16], o[16];
    memcpy(in, &lo, 8);
    memcpy(in + 8, &hi, 8);
    enc_soft(g_key, in, o, soft_ctx());
    memcpy(&out[0], o, 8);
    memcpy(&out[1], o + 8, 8);
    zx_wipe(in, sizeof in);
}
