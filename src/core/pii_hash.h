/* pii_hash.h — SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012), written
 * here from the paper's specification, inline, for the one place where the per-call cost decides a
 * target: keying the credit snapshot by the queried ID number (issue 10 item 11: the credit check
 * must not be slower than before the ID numbers were sealed).
 *
 * Why not a packaged library (measured, CPU time, one 18-byte ID, this machine; docs/BENCHMARKS.md):
 *   libsodium crypto_shorthash_siphashx24 (128-bit)    ~25 ns per call (+ a wrapper: ~35 ns)
 *   OpenSSL 3.0 EVP_MAC "SIPHASH" (init/update/final)   ~66–71 ns per call
 *   this inline function, 128-bit, n = 18 constant      ~19 ns (the compiler unrolls it for the size)
 * The engine answers a cache-resident ID in ~90 ns, the pre-sealing key cost ~10 ns (the 17 digits as a
 * number): every ns of the key is ~1 % of the engine. The unit test
 * pins this code to the paper's test vector (64-bit) and to libsodium's siphashx24 (128-bit) on random
 * inputs of every length 0–64, so it cannot silently differ from the reference.
 *
 * A PRF under a 128-bit key — not a 国密 primitive and never used for data at rest or in transit:
 * the store's look-ups stay HMAC-SM3 (core/pii.h). */
#ifndef ZX_PII_HASH_H
#define ZX_PII_HASH_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ZX_SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define ZX_SIP_ROUND                                                                                   \
    do {                                                                                               \
        v0 += v1; v1 = ZX_SIP_ROTL(v1, 13); v1 ^= v0; v0 = ZX_SIP_ROTL(v0, 32);                        \
        v2 += v3; v3 = ZX_SIP_ROTL(v3, 16); v3 ^= v2;                                                  \
        v0 += v3; v3 = ZX_SIP_ROTL(v3, 21); v3 ^= v0;                                                  \
        v2 += v1; v1 = ZX_SIP_ROTL(v1, 17); v1 ^= v2; v2 = ZX_SIP_ROTL(v2, 32);                        \
    } while (0)

static inline uint64_t zx_sip_le64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8); /* x86-64 and aarch64 Linux: little-endian, as the specification reads words */
    return x;
}

/* SipHash-2-4 of m[0..n) under key k (16 bytes, read as two little-endian words). out128 = 1: the
 * 128-bit variant (out[0], out[1]); 0: the original 64-bit output in out[0]. */
static inline void zx_siphash24(const uint8_t k[16], const void *m, size_t n, int out128, uint64_t out[2])
{
    const uint8_t *p = m;
    uint64_t k0 = zx_sip_le64(k), k1 = zx_sip_le64(k + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    if (out128) v1 ^= 0xee;
    size_t full = n & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t w = zx_sip_le64(p + i);
        v3 ^= w;
        ZX_SIP_ROUND;
        ZX_SIP_ROUND;
        v0 ^= w;
    }
    uint64_t b = (uint64_t)n << 56;
    for (size_t i = 0; i < (n & 7); i++) b |= (uint64_t)p[full + i] << (8 * i);
    v3 ^= b;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    v0 ^= b;
    v2 ^= out128 ? 0xee : 0xff;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    out[0] = v0 ^ v1 ^ v2 ^ v3;
    if (!out128) return;
    v1 ^= 0xdd;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    ZX_SIP_ROUND;
    out[1] = v0 ^ v1 ^ v2 ^ v3;
}
#endif
