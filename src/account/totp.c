/* totp.c — see totp.h. TOTP arithmetic by liboath (RFC 4226/6238), QR codes by libqrencode; the
 * secret is sealed with core/pii (ZX_PII_SECRET) and the recovery codes are kept as SM3 digests. */
#include "account/totp.h"
#include "account/authz.h"
#include "app.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void oath_once(void)
{
    if (oath_init() != OATH_OK) zx_die("liboath: oath_init failed");
}

bool zx_totp_required_for(const zx_req *r, unsigned roles)
{
    return r->app->cfg.totp_required && (roles & (ROLE_ADMINS | ROLE_CHIEF));
}

/* Decode a base32 secret into raw (malloc'd by liboath). 0 or -1. */
static int secret_raw(const char *b32, char **raw, size_t *len)
{
    pthread_once(&g_once, oath_once);
    return oath_base32_decode(b32, strlen(b32), raw, len) == OATH_OK ? 0 : -1;
}

int zx_totp_code(const char *secret_b32, time_t t, char out[7])
{
    char *raw;
    size_t n;
    if (secret_raw(secret_b32, &raw, &n)) return -1;
    int rc = oath_totp_generate(raw, n, t, 30, 0, 6, out) == OATH_OK ? 0 : -1;
    zx_wipe(raw, n);
    free(raw);
    return rc;
}

/* The accepted 30-s step for code at now (±1 step for clock drift), or -1. */
static int64_t code_step(const char *secret_b32, const char *code, time_t now)
{
    if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) return -1;
    char *raw;
    size_t n;
    if (secret_raw(secret_b32, &raw, &n)) return -1;
    int pos = 0;
    int rc = oath_totp_validate2(raw, n, now, 30, 0, 1, &pos, code);
    zx_wipe(raw, n);
    free(raw);
    return rc >= 0 ? (int64_t)(now / 30) + pos : -1;
}

void zx_totp_recovery_hash(int64_t uid, const char *code, char out[65])
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%lld:", (long long)uid);
    for (const char *p = code; *p && n < (int)sizeof buf - 1; p++)
        if (*p != '-' && *p != ' ') buf[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    uint8_t d[ZX_SM3_LEN];
    zx_sm3(buf, (size_t)n, d);
    zx_hex(d, sizeof d, out);
}

/* Run one UPDATE in its own write transaction; returns rows changed or < 0. */
static int64_t update_tx(db_conn *c, const char *sql, int64_t a, int64_t b, int64_t x, const char *t)
{
    if (db_begin(c)) return DB_ERROR;
    db_stmt *s = db_prepare(c, sql);
    int64_t n = DB_ERROR;
    if (s) {
        db_bind_int64(s, 1, a);
        db_bind_int64(s, 2, b);
        if (t) db_bind_text(s, 3, t, -1);
        else db_bind_int64(s, 3, x);
        n = db_step(s) == DB_DONE ? db_changes(s) : DB_ERROR;
        db_finalize(s);
    }
    if (n < 0 || db_commit(c)) {
        db_rollback(c);
        return DB_ERROR;
    }
    return n;
}

enum zx_totp_login zx_totp_login_check(zx_req *r, db_conn *c, int64_t uid, unsigned roles, json_t *body)
{
    bool req = zx_totp_required_for(r, roles);
    db_stmt *s = db_prepare(c, "SELECT secret_enc, confirmed_ms, last_step FROM user_totp WHERE user_id = ?");
    if (!s) return ZX_TOTP_ERROR;
    db_bind_int64(s, 1, uid);
    char *secret = NULL;
    int64_t last = 0;
    bool enrolled = false;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 1)) {
        enrolled = true;
        secret = zx_pii_col(s, 0, ZX_PII_SECRET);
        last = db_col_int64(s, 2);
    }
    db_finalize(s);
    if (!enrolled) return req ? ZX_TOTP_ENROL : ZX_TOTP_NOT_REQUIRED;
    if (!secret) return ZX_TOTP_ERROR; /* sealed with a key no longer in the key file */
    const char *code = json_string_value(json_object_get(body, "totp"));
    const char *rcode = json_string_value(json_object_get(body, "recovery_code"));
    enum zx_totp_login res;
    if (code && *code) {
        int64_t step = code_step(secret, code, time(NULL));
        if (step <= last) res = ZX_TOTP_BAD; /* wrong, or already used (RFC 6238 §5.2: no replay) */
        else {
            int64_t n = update_tx(c, "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?", step, uid, step, NULL);
            res = n < 0 ? ZX_TOTP_ERROR : n == 1 ? ZX_TOTP_PASSED : ZX_TOTP_BAD;
        }
    } else if (rcode && *rcode && strlen(rcode) < 40) {
        char h[65];
        zx_totp_recovery_hash(uid, rcode, h);
        int64_t n = update_tx(c, "UPDATE user_recovery_code SET used_ms = ? WHERE user_id = ? AND code_hash = ? AND used_ms IS NULL",
                              zx_now_ms(), uid, 0, h);
        res = n < 0 ? ZX_TOTP_ERROR : n == 1 ? ZX_TOTP_PASSED : ZX_TOTP_BAD;
    } else res = ZX_TOTP_MISSING;
    zx_pii_free(secret);
    return res;
}

int zx_totp_session_pending(db_conn *c, const char *token_hash)
{
    db_stmt *s = db_prepare(c, "UPDATE session SET mfa_pending = 1 WHERE token_hash = ?");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, token_hash, -1);
    int rc = db_step(s) == DB_DONE ? 0 : DB_ERROR;
    db_finalize(s);
    return rc;
}

/* SVG of the QR code: one <path> of 1×1 squares, 4-module quiet zone, scaled by the viewBox. */
char *zx_qr_svg(const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int w = q->width, dim = w + 8;
    size_t cap = (size_t)w * (size_t)w * 20 + 512, n = 0;
    char *out = malloc(cap);
    if (!out) zx_die("qr: out of memory");
    n += (size_t)snprintf(out + n, cap - n,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                          "shape-rendering=\"crispEdges\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                          dim, dim, dim * 5, dim * 5);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1) n += (size_t)snprintf(out + n, cap - n, "M%d %dh1v1h-1z", x + 4, y + 4);
    snprintf(out + n, cap - n, "\"/></svg>");
    QRcode_free(q);
    return out;
}
