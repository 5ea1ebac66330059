/* totp.c — enrolment of the second factor (account/totp.h):
 *   GET  /api/v1/auth/totp          → {required, enrolled, confirmed_at_ms, recovery_codes_left}
 *   POST /api/v1/auth/totp/enrol    → {secret, otpauth_uri, qr_svg}   (a new, unconfirmed secret)
 *   POST /api/v1/auth/totp/confirm  {code} → {recovery_codes:[10]}    (shown once; the session's
 *                                      mfa_pending is lifted)
 * and the CLI `zhixing totp reset --username U` for a lost device (audited; no API path removes
 * another user's factor). */
#include "account/authz.h"
#include "account/totp.h"
#include "app.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/pii.h"
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zx_session_forget(const char *hash);

static void totp_status(zx_req *r)
{
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT confirmed_ms, (SELECT COUNT(*) FROM user_recovery_code k WHERE k.user_id = t.user_id"
                               " AND k.used_ms IS NULL) FROM user_totp t WHERE t.user_id = ?");
    if (!s) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_bind_int64(s, 1, r->who.user_id);
    bool enrolled = false;
    int64_t at = 0, left = 0;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) {
        enrolled = true;
        at = db_col_int64(s, 0);
        left = db_col_int64(s, 1);
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:b,s:b,s:o,s:I}", "required", zx_totp_required_for(r, r->who.roles), "enrolled", enrolled,
                                    "confirmed_at_ms", enrolled ? json_integer(at) : json_null(), "recovery_codes_left",
                                    (json_int_t)left));
}

static bool confirmed(db_conn *c, int64_t uid)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM user_totp WHERE user_id = ? AND confirmed_ms IS NOT NULL");
    if (!s) return false;
    db_bind_int64(s, 1, uid);
    bool yes = db_step(s) == DB_ROW;
    db_finalize(s);
    return yes;
}

static void totp_enrol(zx_req *r)
{
    db_conn *c = zx_db(r);
    if (confirmed(c, r->who.user_id)) {
        zx_reply_error(r, 409, "TOTP_ALREADY_ENROLLED", "已绑定动态口令；更换设备请联系安全管理员在服务器上重置");
        return;
    }
    uint8_t raw[20]; /* RFC 4226 §4 R6: 160-bit shared secret */
    zx_random(raw, sizeof raw);
    char *b32 = NULL;
    size_t b32n = 0;
    if (oath_init() != OATH_OK || oath_base32_encode((const char *)raw, sizeof raw, &b32, &b32n) != OATH_OK) {
        zx_wipe(raw, sizeof raw);
        zx_reply_error(r, 503, "UNAVAILABLE", "暂时无法生成动态口令密钥");
        return;
    }
    zx_wipe(raw, sizeof raw);
    if (db_begin(c)) goto dberr;
    db_stmt *s = db_prepare(c, "INSERT INTO user_totp (user_id, secret_enc, confirmed_ms, last_step, created_ms) VALUES (?, ?, NULL, 0, ?)"
                               " ON CONFLICT (user_id) DO UPDATE SET secret_enc = excluded.secret_enc, confirmed_ms = NULL,"
                               " last_step = 0, created_ms = excluded.created_ms");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, r->who.user_id);
        zx_pii_bind(s, 2, ZX_PII_SECRET, b32);
        db_bind_int64(s, 3, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (rc || zx_audit_req(r, c, "auth.totp.enrol_start", "user", r->who.user_id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        goto dberr;
    }
    const char *issuer = r->app->cfg.totp_issuer[0] ? r->app->cfg.totp_issuer : "zhixing";
    char *uri = zx_sprintf(r, "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=30", issuer,
                           r->who.username, b32, issuer);
    char *svg = zx_qr_svg(uri);
    json_t *out = json_pack("{s:s,s:s,s:s?}", "secret", b32, "otpauth_uri", uri, "qr_svg", svg);
    zx_wipe(b32, b32n);
    free(b32);
    free(svg);
    zx_reply_json(r, 200, out);
    return;
dberr:
    if (b32) {
        zx_wipe(b32, b32n);
        free(b32);
    }
    zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
}

/* Ten codes of 10 characters (xxxxx-xxxxx) from an alphabet without look-alikes. */
static void recovery_code_new(char out[12])
{
    static const char A[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32 symbols → 50 bits per code */
    uint8_t b[10];
    zx_random(b, sizeof b);
    for (int i = 0, j = 0; i < 10; i++) {
        if (i == 5) out[j++] = '-';
        out[j++] = A[b[i] & 31];
    }
    out[11] = 0;
}

static void totp_confirm(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *code = json_string_value(json_object_get(b, "code"));
    if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "请输入动态口令的 6 位数字");
        return;
    }
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT secret_enc FROM user_totp WHERE user_id = ? AND confirmed_ms IS NULL");
    if (!s) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_bind_int64(s, 1, r->who.user_id);
    char *secret = db_step(s) == DB_ROW ? zx_pii_col(s, 0, ZX_PII_SECRET) : NULL;
    db_finalize(s);
    if (!secret) {
        zx_reply_error(r, 409, "TOTP_NOT_STARTED", "请先开始绑定（生成二维码）");
        return;
    }
    /* accept the current code or its neighbours (clock drift), as at login */
    time_t now = time(NULL);
    int64_t step = -1;
    for (int d = -1; d <= 1 && step < 0; d++) {
        char want[7];
        if (zx_totp_code(secret, now + d * 30, want) == 0 && zx_ct_equal(want, code, 6)) step = (int64_t)(now / 30) + d;
    }
    zx_pii_free(secret);
    if (step < 0) {
        zx_audit_req_tx(r, "auth.totp.enrol", "user", r->who.user_id, "failed", "{\"why\":\"wrong code\"}");
        zx_reply_error(r, 400, "TOTP_INVALID", "动态口令不正确，请核对手机时间后重试");
        return;
    }
    char codes[10][12];
    if (db_begin(c)) goto dberr;
    int rc = 0;
    s = db_prepare(c, "UPDATE user_totp SET confirmed_ms = ?, last_step = ? WHERE user_id = ? AND confirmed_ms IS NULL");
    if (!s) rc = -1;
    else {
        db_bind_int64(s, 1, zx_now_ms());
        db_bind_int64(s, 2, step);
        db_bind_int64(s, 3, r->who.user_id);
        rc = db_step(s) == DB_DONE && db_changes(s) == 1 ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && (s = db_prepare(c, "DELETE FROM user_recovery_code WHERE user_id = ?"))) {
        db_bind_int64(s, 1, r->who.user_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    for (int i = 0; i < 10 && !rc; i++) {
        recovery_code_new(codes[i]);
        char h[65];
        zx_totp_recovery_hash(r->who.user_id, codes[i], h);
        s = db_prepare(c, "INSERT INTO user_recovery_code (user_id, code_hash, used_ms) VALUES (?, ?, NULL)");
        if (!s) { rc = -1; break; }
        db_bind_int64(s, 1, r->who.user_id);
        db_bind_text(s, 2, h, -1);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && (s = db_prepare(c, "UPDATE session SET mfa_pending = 0 WHERE token_hash = ?"))) {
        db_bind_text(s, 1, r->who.session_hash, -1);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (rc || zx_audit_req(r, c, "auth.totp.enrol", "user", r->who.user_id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        goto dberr;
    }
    zx_session_forget(r->who.session_hash); /* the cached session still says mfa_pending */
    json_t *arr = json_array();
    for (int i = 0; i < 10; i++) json_array_append_new(arr, json_string(codes[i]));
    zx_wipe(codes, sizeof codes);
    zx_reply_json(r, 200, json_pack("{s:b,s:o}", "enrolled", 1, "recovery_codes", arr));
    return;
dberr:
    zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
}

static const struct zx_route routes[] = {
    {"GET", "/api/v1/auth/totp", totp_status, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL,
     "本人动态口令（双因素）状态：是否必须、是否已绑定、剩余恢复码"},
    {"POST", "/api/v1/auth/totp/enrol", totp_enrol, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL,
     "开始绑定动态口令：生成密钥，返回 otpauth 链接与二维码（SVG）"},
    {"POST", "/api/v1/auth/totp/confirm", totp_confirm, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL,
     "用一个动态口令确认绑定，返回 10 个一次性恢复码（只显示这一次）"},
};
ZX_ROUTES(routes)

/* ------------------------------------------------------------------ CLI */
static int cmd_totp_reset(int argc, char **argv)
{
    const char *username = zx_opt(argc, argv, "--username");
    if (!username || !*username) {
        fprintf(stderr, "zhixing totp reset: --username is required\n");
        return 2;
    }
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    int64_t id = 0;
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE username = ?");
    if (s) {
        db_bind_text(s, 1, username, -1);
        if (db_step(s) == DB_ROW) id = db_col_int64(s, 0);
        db_finalize(s);
    }
    int rc = id ? db_begin(c) : -1;
    const char *sqls[] = {"DELETE FROM user_recovery_code WHERE user_id = ?", "DELETE FROM user_totp WHERE user_id = ?",
                          "UPDATE session SET revoked = 1 WHERE user_id = ?"};
    for (int i = 0; i < 3 && !rc; i++) {
        s = db_prepare(c, sqls[i]);
        if (!s) { rc = -1; break; }
        db_bind_int64(s, 1, id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) {
        char oid[24], detail[160];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        snprintf(detail, sizeof detail, "{\"via\":\"cli\",\"what\":\"second factor removed; enrol again at next login\"}");
        const char *actor = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER") ? getenv("USER") : "cli";
        zx_audit_rec rec = {.username = actor, .action = "auth.totp.reset", .object_type = "user", .object_id = oid,
                            .result = "ok", .detail = detail};
        rc = zx_audit_write(c, &rec);
    }
    if (id && !rc) rc = db_commit(c);
    else if (id) db_rollback(c);
    zx_cli_done(app, c, 0);
    if (!id) {
        fprintf(stderr, "zhixing totp reset: no account '%s'\n", username);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "zhixing totp reset: store error\n");
        return 1;
    }
    printf("second factor of %s removed; the account enrols again at its next login\n", username);
    return 0;
}
static const struct zx_command totp_reset_cmd = {
    "totp reset", cmd_totp_reset, "--username U [--db URL]",
    "清除账户的动态口令与恢复码（手机丢失时；操作写入审计），该账户下次登录时重新绑定；同时注销其全部会话。"};
ZX_COMMAND(totp_reset_cmd)
