/* pii_prp.h — the credit snapshot's key of an ID number: a keyed PERMUTATION (AES-128, FIPS 197 /
 * ISO/IEC 18033-3) of the normalised ID packed into one 128-bit block (issue 10 item 11: the credit
 * check must not be slower than before the ID numbers were sealed).
 *
 * Why a block cipher and not a hash (written argument, docs/SECURITY.md §9):
 *   - Keyed: the key is zx_pii_snapshot_key() (derived from the blind-index key, in memory only); the
 *     output of an AES permutation under a secret key is indistinguishable from random (PRP ⇒ PRF up
 *     to the 2^64 birthday bound, far above the ~10^12 IDs a snapshot will ever see).
 *   - Collision-free, not just collision-resistant: an 18-character normalised ID (bytes < 0x80) is
 *     packed BIJECTIVELY into the block (16 bytes as they are, the 14 bits of characters 17 and 18 in
 *     the 16 free top bits), and AES is a bijection on blocks — two different IDs never have the same
 *     128-bit key. The snapshot compares both 64-bit halves on every hit, so a wrong "listed" answer is
 *     impossible, not merely improbable (SipHash-2-4-128 gave 2^-128 per pair).
 *   - Fast: with AES-NI one block is 10 AES rounds, ~2–5 ns per ID pipelined across a batch
 *     (SipHash-2-4-128 of 18 bytes: 14 ARX rounds, ~19 ns); the packing is 2 loads + a few shifts.
 *     On a CPU without AES-NI the same permutation runs through OpenSSL's EVP AES-128-ECB (same
 *     output, slower) — the unit test checks both against each other and against the FIPS 197 vector.
 * Not a 国密 primitive and never used for data at rest or in transit: the store's look-ups stay
 * HMAC-SM3 blind indexes and the sealing stays SM4 (core/pii.h). Nothing computed here is stored,
 * except through the partner query log's own keyed digest (credit/querylog.h). */
#ifndef ZX_PII_PRP_H
#define ZX_PII_PRP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The snapshot key of v[0..n): out[0], out[1] = the two 64-bit halves of AES-128 under
 * zx_pii_snapshot_key() of the packed block. n = 18 with every byte < 0x80 (a normalised ID) is the
 * exact, bijective path; any other input is first compressed (SipHash-2-4-128) into a block with the
 * top bit set, which no 18-character ID produces — so the two domains never meet. Dies if the
 * personal-data keys are not loaded. Thread-safe. */
void zx_pii_snapshot_prp(const char *v, size_t n, uint64_t out[2]);
/* The same for four 18-character values at once (v[i][0..18)): with AES-NI the four blocks go through
 * the rounds interleaved, so the bulk check pays the rounds' throughput, not their latency, per ID.
 * out[i] equals zx_pii_snapshot_prp(v[i], 18, out[i]). */
void zx_pii_snapshot_prp4(const char *const v[4], uint64_t out[4][2]);

/* AES-128 of one block (tests): hw = true uses AES-NI (false if the CPU lacks it: returns false),
 * hw = false OpenSSL's EVP AES-128-ECB. */
bool zx_prp_aes128(const uint8_t key[16], const uint8_t in[16], uint8_t out[16], bool hw);
/* True when AES-NI is used for the snapshot key. */
bool zx_prp_hw(void);
#endif
