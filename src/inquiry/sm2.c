/* sm2.c — SM2 sign/verify and key handling over OpenSSL 3 EVP (see sm2.h). */
#include "inquiry/sm2.h"
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

static const char SM2_ID[] = "1234567812345678"; /* GM/T 0009 default signer ID */

zx_sm2_key *zx_sm2_generate(void)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    EVP_PKEY *pk = NULL;
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1) EVP_PKEY_keygen(ctx, &pk);
    EVP_PKEY_CTX_free(ctx);
    return (zx_sm2_key *)pk;
}

zx_sm2_key *zx_sm2_derive(const uint8_t secret[32])
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_sm2);
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *d = BN_bin2bn(secret, 32, NULL), *ord = BN_new();
    EC_POINT *pub = g ? EC_POINT_new(g) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pk = NULL;
    unsigned char pubbuf[80];
    size_t publen = 0;
    if (!g || !bctx || !d || !ord || !pub || !bld) goto out;
    /* d in [1, n-2] */
    if (!EC_GROUP_get_order(g, ord, bctx) || !BN_sub_word(ord, 2) || !BN_mod(d, d, ord, bctx) || !BN_add_word(d, 1))
        goto out;
    if (!EC_POINT_mul(g, pub, d, NULL, NULL, bctx)) goto out;
    publen = EC_POINT_point2oct(g, pub, POINT_CONVERSION_UNCOMPRESSED, pubbuf, sizeof pubbuf, bctx);
    if (!publen) goto out;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pubbuf, publen))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1) goto out;
    if (EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params) != 1) pk = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(pub);
    BN_clear_free(d);
    BN_free(ord);
    BN_CTX_free(bctx);
    EC_GROUP_free(g);
    return (zx_sm2_key *)pk;
}

static char *bio_string(BIO *b)
{
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        memcpy(s, data, (size_t)n);
        s[n] = 0;
    }
    return s;
}

char *zx_sm2_private_pem(const zx_sm2_key *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *s = NULL;
    if (b && PEM_write_bio_PrivateKey(b, (EVP_PKEY *)k, NULL, NULL, 0, NULL, NULL) == 1) s = bio_string(b);
    BIO_free(b);
    return s;
}

char *zx_sm2_public_pem(const zx_sm2_key *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *s = NULL;
    if (b && PEM_write_bio_PUBKEY(b, (EVP_PKEY *)k) == 1) s = bio_string(b);
    BIO_free(b);
    return s;
}

static zx_sm2_key *check_sm2(EVP_PKEY *pk)
{
    if (pk && !EVP_PKEY_is_a(pk, "SM2")) {
        EVP_PKEY_free(pk);
        return NULL;
    }
    return (zx_sm2_key *)pk;
}

zx_sm2_key *zx_sm2_from_private_pem(const char *pem)
{
    BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
    EVP_PKEY *pk = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    return check_sm2(pk);
}

zx_sm2_key *zx_sm2_from_public_pem(const char *pem)
{
    BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
    EVP_PKEY *pk = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    return check_sm2(pk);
}

void zx_sm2_free(zx_sm2_key *k) { EVP_PKEY_free((EVP_PKEY *)k); }

static EVP_MD_CTX *md_init(const zx_sm2_key *k, int sign)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, (EVP_PKEY *)k, NULL);
    if (!md || !pctx || EVP_PKEY_CTX_set1_id(pctx, SM2_ID, sizeof SM2_ID - 1) != 1) {
        EVP_MD_CTX_free(md);
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    EVP_MD_CTX_set_pkey_ctx(md, pctx); /* md does not own pctx: freed below by the caller path */
    int ok = sign ? EVP_DigestSignInit_ex(md, NULL, "SM3", NULL, NULL, (EVP_PKEY *)k, NULL)
                  : EVP_DigestVerifyInit_ex(md, NULL, "SM3", NULL, NULL, (EVP_PKEY *)k, NULL);
    if (ok != 1) {
        EVP_MD_CTX_free(md);
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return md;
}

static void md_free(EVP_MD_CTX *md)
{
    EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(md);
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
}

int zx_sm2_sign(const zx_sm2_key *k, const void *data, size_t len, char *out, size_t cap)
{
    if (!k || cap < ZX_SM2_SIG_HEX_MAX) return -1;
    EVP_MD_CTX *md = md_init(k, 1);
    if (!md) return -1;
    unsigned char sig[80];
    size_t siglen = sizeof sig;
    int ok = EVP_DigestSign(md, sig, &siglen, data, len) == 1;
    md_free(md);
    if (!ok) return -1;
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < siglen; i++) {
        out[2 * i] = hx[sig[i] >> 4];
        out[2 * i + 1] = hx[sig[i] & 15];
    }
    out[2 * siglen] = 0;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int zx_sm2_verify(const zx_sm2_key *k, const void *data, size_t len, const char *sig_hex)
{
    if (!k || !sig_hex) return 0;
    size_t hl = strlen(sig_hex);
    if (hl < 16 || hl % 2 || hl > 2 * 80) return 0;
    unsigned char sig[80];
    for (size_t i = 0; i < hl / 2; i++) {
        int a = hexval(sig_hex[2 * i]), b = hexval(sig_hex[2 * i + 1]);
        if (a < 0 || b < 0) return 0;
        sig[i] = (unsigned char)(a * 16 + b);
    }
    EVP_MD_CTX *md = md_init(k, 0);
    if (!md) return 0;
    int ok = EVP_DigestVerify(md, sig, hl / 2, data, len) == 1;
    md_free(md);
    return ok;
}

int zx_sm2_fingerprint(const zx_sm2_key *k, char out[65])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY((EVP_PKEY *)k, &der);
    if (n <= 0) return -1;
    unsigned char dg[32];
    unsigned int dl = 0;
    int ok = EVP_Digest(der, (size_t)n, dg, &dl, EVP_get_digestbyname("SM3"), NULL) == 1;
    OPENSSL_free(der);
    if (!ok) return -1;
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[dg[i] >> 4];
        out[2 * i + 1] = hx[dg[i] & 15];
    }
    out[64] = 0;
    return 0;
}
