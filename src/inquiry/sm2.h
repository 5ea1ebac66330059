/* sm2.h — SM2 signatures (GB/T 32918, OpenSSL EVP with SM3 and the default signer ID
 * "1234567812345678", GM/T 0009) for the inquiry protocol: the court signs every request as its
 * electronic seal, an institution signs every answer; both sides verify. Shared by bin/zhixing
 * (src/inquiry/) and bin/zhixing-sim (the simulated institutions), so it depends on OpenSSL only.
 * Keys travel as PEM (SubjectPublicKeyInfo / PKCS#8); signatures as lower-case hex of the DER. */
#ifndef ZX_INQUIRY_SM2_H
#define ZX_INQUIRY_SM2_H
#include <stddef.h>
#include <stdint.h>

typedef struct zx_sm2_key zx_sm2_key; /* an EVP_PKEY of type SM2 */

/* A fresh random key pair. NULL on failure. */
zx_sm2_key *zx_sm2_generate(void);
/* A key pair derived from a 32-byte secret (the simulator derives each institution's key from its
 * code and seed, so its keys survive a restart). NULL on failure. */
zx_sm2_key *zx_sm2_derive(const uint8_t secret[32]);
/* PEM of the private (PKCS#8) or public (SPKI) part; malloc'd, caller frees. */
char *zx_sm2_private_pem(const zx_sm2_key *k);
char *zx_sm2_public_pem(const zx_sm2_key *k);
/* Load from PEM (private → full pair; public → verify-only). NULL if not an SM2 key. */
zx_sm2_key *zx_sm2_from_private_pem(const char *pem);
zx_sm2_key *zx_sm2_from_public_pem(const char *pem);
void zx_sm2_free(zx_sm2_key *k);
/* Sign data: hex DER signature into out (cap ≥ 2*80+1 = 161). 0 or -1. */
#define ZX_SM2_SIG_HEX_MAX 161
int zx_sm2_sign(const zx_sm2_key *k, const void *data, size_t len, char *out, size_t cap);
/* 1 if sig_hex is a valid signature of data under k, 0 if not (or malformed). */
int zx_sm2_verify(const zx_sm2_key *k, const void *data, size_t len, const char *sig_hex);
/* SM3 fingerprint of the public key's DER, hex (65 bytes) — what the UI shows and logs. */
int zx_sm2_fingerprint(const zx_sm2_key *k, char out[65]);
#endif
