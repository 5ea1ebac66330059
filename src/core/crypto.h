/* crypto.h — the only place that talks to OpenSSL's digest/KDF/random APIs (国密 SM3, SM4). */
#ifndef ZX_CRYPTO_H
#define ZX_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

#define ZX_SM3_LEN 32

/* Fill buf with cryptographically secure random bytes; dies if the RNG fails. */
void zx_random(void *buf, size_t len);
/* SM3 digest of data. */
void zx_sm3(const void *data, size_t len, uint8_t out[ZX_SM3_LEN]);
/* HMAC-SM3. */
void zx_hmac_sm3(const void *key, size_t klen, const void *data, size_t len, uint8_t out[ZX_SM3_LEN]);
/* PBKDF2-HMAC-SM3 → out (outlen bytes). */
void zx_pbkdf2_sm3(const char *pw, size_t pwlen, const uint8_t *salt, size_t saltlen, unsigned iter,
                   uint8_t *out, size_t outlen);
/* Lower-case hex of bin into hex (2*len+1 bytes). */
void zx_hex(const uint8_t *bin, size_t len, char *hex);
/* Parse hex into bin; returns bytes written or -1. */
int zx_unhex(const char *hex, uint8_t *bin, size_t cap);
/* Random token as base64url-free hex: 32 random bytes → 64 hex chars + NUL. */
void zx_token_new(char out[65]);
/* SM3 of a token, hex (65 bytes) — what we store instead of the token. */
void zx_token_hash(const char *token, char out[65]);
/* Constant-time comparison. */
int zx_ct_equal(const void *a, const void *b, size_t len);
/* Wipe memory in a way the compiler cannot drop. */
void zx_wipe(void *p, size_t len);
#endif
