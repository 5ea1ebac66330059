/* api/auth.c — login, logout, who am I, password change (issue 3 §5 and Contract). */
#include "account/account.h"
#include "account/authz.h"
#include "account/totp.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zx_session_forget(const char *hash);

/* The user object of /auth/login and /me. */
static json_t *user_json(int64_t id, const char *username, const char *display, unsigned roles, bool demo,
                         int64_t court_id, bool must_change)
{
    const zx_court *ct = zx_court_by_id(court_id);
    return json_pack("{s:o,s:s,s:s,s:{s:s,s:s,s:i},s:o,s:o,s:b,s:b}", "id", json_sprintf("%lld", (long long)id), "username", username,
                     "display_name", display, "court", "code", ct ? ct->code : "", "name", ct ? ct->name : "",
                     "level", ct ? ct->level : 0, "roles", zx_roles_json(roles, false), "role_labels",
                     zx_roles_json(roles, true), "demo", demo, "must_change_password", must_change);
}

static const char *login_detail(zx_req *r, const char *username, const char *why)
{
    json_t *d = json_pack("{s:s,s:s}", "username", username, "reason", why);
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    char *out = zx_strdup(r, s);
    free(s);
    return out;
}

static void set_session_cookie(zx_req *r, const char *token, int max_age)
{
    /* Secure whenever the browser talks TLS: here (tls_cert) or at a front proxy (tls_offloaded). */
    const char *secure = r->app->cfg.tls_cert[0] || r->app->cfg.tls_offloaded ? "; Secure" : "";
    zx_add_header(r, "set-cookie",
                  zx_sprintf(r, "zx_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age, secure));
}

/* ---- per-address throttle of failed logins (ASVS 2.2.1; security.md §1.1 "per-IP throttle") ----
 * Fixed one-minute windows per client address in a small in-memory table (per node). Failed logins
 * (bad password, unknown user, locked account) count; above cfg.login_fail_per_min the address gets
 * 429 at once — no password hash is computed and no audit record written, except one
 * "auth.throttle" record when an address first crosses the limit in a window, so a flood of guesses
 * cannot flood the audit trail either. Colliding addresses share a slot (errs on the strict side). */
#define THROTTLE_SLOTS 4096
struct throttle_slot {
    char ip[48];
    int64_t window;  /* minute number */
    int fails;
    bool reported;
};
static pthread_mutex_t g_thr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct throttle_slot g_thr[THROTTLE_SLOTS];

static struct throttle_slot *thr_slot(const char *ip, int64_t window)
{
    uint32_t h = 2166136261u;
    for (const char *p = ip; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    struct throttle_slot *t = &g_thr[h % THROTTLE_SLOTS];
    if (t->window != window || strcmp(t->ip, ip)) {
        if (t->window != window) { /* an old window: the slot is free */
            snprintf(t->ip, sizeof t->ip, "%s", ip);
            t->window = window;
            t->fails = 0;
            t->reported = false;
        }
    }
    return t;
}

/* 0 = go ahead; 1 = throttled (and *first set when this is the first refusal of the window). */
static int throttle_check(zx_req *r, bool *first)
{
    int64_t window = zx_now_ms() / 60000;
    int limit = r->app->cfg.login_fail_per_min;
    pthread_mutex_lock(&g_thr_lock);
    struct throttle_slot *t = thr_slot(r->client_ip, window);
    int over = t->fails >= limit;
    *first = over && !t->reported;
    if (over) t->reported = true;
    pthread_mutex_unlock(&g_thr_lock);
    return over;
}

static void throttle_fail(zx_req *r)
{
    int64_t window = zx_now_ms() / 60000;
    pthread_mutex_lock(&g_thr_lock);
    thr_slot(r->client_ip, window)->fails++;
    pthread_mutex_unlock(&g_thr_lock);
}

/* A real PBKDF2 hash of a random password, made once: unknown and disabled users are checked
 * against it, so every login costs one key derivation whether or not the user exists. */
static pthread_once_t g_dummy_once = PTHREAD_ONCE_INIT;
static char g_dummy_hash[65], g_dummy_salt[33];
static unsigned g_dummy_iter;
static void dummy_init(void)
{
    char pw[17];
    zx_password_generate(pw);
    zx_password_hash(pw, g_dummy_iter, g_dummy_hash, g_dummy_salt);
    zx_wipe(pw, sizeof pw);
}

/* Take one attempt from the account's failure budget before checking a password, atomically (one
 * UPDATE … RETURNING in a write transaction: concurrent guesses are serialised by the row). The
 * attempt that reaches cfg.lock_failures also sets the lock, so at most lock_failures passwords are
 * ever checked per lock period however many guesses arrive at once; a success clears both.
 * Returns 1 if the account is locked now (nothing to check), 0 if the attempt may proceed, < 0 on a
 * store error. *locked_until gets the lock's end when locked. */
int zx_login_reserve(db_conn *c, int64_t uid, int lock_failures, int lock_minutes, int64_t now,
                     int64_t *locked_until)
{
    if (db_begin(c)) return -1;
    db_stmt *s = db_prepare(c,
        "UPDATE app_user SET failed_count = CASE WHEN failed_count >= ? THEN 1 ELSE failed_count + 1 END,"
        " locked_until_ms = CASE WHEN (CASE WHEN failed_count >= ? THEN 1 ELSE failed_count + 1 END) >= ?"
        " THEN CAST(? AS BIGINT) ELSE 0 END WHERE id = ? AND locked_until_ms <= ? RETURNING failed_count");
    if (!s) {
        db_rollback(c);
        return -1;
    }
    db_bind_int64(s, 1, lock_failures);
    db_bind_int64(s, 2, lock_failures);
    db_bind_int64(s, 3, lock_failures);
    db_bind_int64(s, 4, now + (int64_t)lock_minutes * 60000);
    db_bind_int64(s, 5, uid);
    db_bind_int64(s, 6, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc == DB_ROW) {
        return db_commit(c) ? -1 : 0;
    }
    if (rc != DB_DONE) LOG_ERROR("login: failure count update failed: %s", db_errmsg(c));
    db_rollback(c);
    if (rc != DB_DONE) return -1;
    s = db_prepare(c, "SELECT locked_until_ms FROM app_user WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, uid);
    *locked_until = db_step(s) == DB_ROW ? db_col_int64(s, 0) : now;
    db_finalize(s);
    return 1;
}

/* After a reserved attempt failed: if it was the one that set the lock, say so (for the audit). */
static bool now_locked(db_conn *c, int64_t uid, int64_t now)
{
    db_stmt *s = db_prepare(c, "SELECT locked_until_ms FROM app_user WHERE id = ?");
    if (!s) return false;
    db_bind_int64(s, 1, uid);
    bool l = db_step(s) == DB_ROW && db_col_int64(s, 0) > now;
    db_finalize(s);
    return l;
}

static void login(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *username = json_string_value(json_object_get(b, "username"));
    const char *password = json_string_value(json_object_get(b, "password"));
    if (!username || !password || !*username || strlen(username) > 64 || strlen(password) > 256) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "请输入用户名和密码");
        return;
    }
    bool first_refusal = false;
    if (throttle_check(r, &first_refusal)) {
        if (first_refusal)
            zx_audit_req_tx(r, "auth.throttle", "address", 0, "denied", login_detail(r, username, "too many failed logins from this address"));
        zx_add_header(r, "retry-after", "60");
        zx_reply_error(r, 429, "TOO_MANY_ATTEMPTS", "登录失败次数过多，请稍后再试");
        return;
    }
    const struct zx_config *cfg = &r->app->cfg;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id, display_name, court_id, roles, pw_hash, pw_salt, pw_iter,"
                               " disabled, is_demo, must_change_pw, pw_changed_ms FROM app_user WHERE username = ?");
    if (!s) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_bind_text(s, 1, username, -1);
    bool found = db_step(s) == DB_ROW;
    int64_t uid = 0, court_id = 0, pw_changed = 0;
    unsigned roles = 0, iter = (unsigned)cfg->pbkdf2_iterations;
    bool disabled = false, demo = false, must_change = false;
    char hash[65] = "", salt[65] = "", display[96] = "";
    if (found) {
        uid = db_col_int64(s, 0);
        snprintf(display, sizeof display, "%s", db_col_text(s, 1));
        court_id = db_col_int64(s, 2);
        roles = (unsigned)db_col_int64(s, 3);
        snprintf(hash, sizeof hash, "%s", db_col_text(s, 4));
        snprintf(salt, sizeof salt, "%s", db_col_text(s, 5));
        iter = (unsigned)db_col_int64(s, 6);
        disabled = db_col_int64(s, 7) != 0;
        demo = db_col_int64(s, 8) != 0;
        must_change = db_col_int64(s, 9) != 0;
        pw_changed = db_col_int64(s, 10);
    }
    db_finalize(s);
    int64_t now = zx_now_ms();

    if (found && !disabled) {
        int64_t until = 0;
        int res = zx_login_reserve(c, uid, cfg->lock_failures, cfg->lock_minutes, now, &until);
        if (res < 0) {
            zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
            return;
        }
        if (res == 1) {
            throttle_fail(r);
            zx_audit_req_tx(r, "auth.login", "user", uid, "denied", login_detail(r, username, "locked"));
            zx_reply_error(r, 423, "ACCOUNT_LOCKED", "连续登录失败次数过多，账户已锁定，请 %d 分钟后重试或联系安全管理员解锁",
                           (int)((until - now + 59999) / 60000));
            return;
        }
    }
    /* Unknown and disabled users cost the same PBKDF2 work and get the same answer (security.md §1.1). */
    bool ok;
    if (found && !disabled) ok = zx_password_verify(password, hash, salt, iter);
    else {
        g_dummy_iter = (unsigned)cfg->pbkdf2_iterations;
        pthread_once(&g_dummy_once, dummy_init);
        zx_password_verify(password, g_dummy_hash, g_dummy_salt, g_dummy_iter);
        ok = false;
    }
    if (!ok) {
        throttle_fail(r);
        if (found && !disabled) {
            bool lock = now_locked(c, uid, now);
            zx_audit_req_tx(r, lock ? "auth.lock" : "auth.login", "user", uid, "failed",
                            login_detail(r, username, lock ? "locked after repeated failures" : "bad password"));
        } else {
            zx_audit_req_tx(r, "auth.login", "user", found ? uid : 0, "failed",
                            login_detail(r, username, found ? "disabled" : "unknown user"));
        }
        zx_reply_error(r, 401, "BAD_CREDENTIALS", "用户名或密码错误");
        return;
    }
    /* Second factor (account/totp.h) for administrators and chiefs. */
    enum zx_totp_login mfa = zx_totp_login_check(r, c, uid, roles, b);
    if (mfa == ZX_TOTP_ERROR) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    if (mfa == ZX_TOTP_MISSING) {
        /* the reserved failure stays counted until the login completes with a code */
        zx_reply_error(r, 401, "TOTP_REQUIRED", "请输入动态口令（或一个恢复码）");
        return;
    }
    if (mfa == ZX_TOTP_BAD) {
        throttle_fail(r);
        bool lock = now_locked(c, uid, now);
        zx_audit_req_tx(r, lock ? "auth.lock" : "auth.login", "user", uid, "failed",
                        login_detail(r, username, lock ? "locked after repeated failures" : "bad second factor"));
        zx_reply_error(r, 401, "TOTP_INVALID", "动态口令错误或已使用");
        return;
    }
    int64_t max_age = (int64_t)cfg->password_max_age_days * 86400000;
    bool expired = max_age > 0 && now - pw_changed > max_age;

    char token[65], thash[65], csrf[65];
    zx_token_new(token);
    zx_token_hash(token, thash);
    zx_token_new(csrf);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    s = db_prepare(c, "INSERT INTO session (token_hash, user_id, csrf_token, created_ms, last_seen_ms, client_ip)"
                      " VALUES (?, ?, ?, ?, ?, ?)");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_text(s, 1, thash, -1);
        db_bind_int64(s, 2, uid);
        db_bind_text(s, 3, csrf, -1);
        db_bind_int64(s, 4, now);
        db_bind_int64(s, 5, now);
        db_bind_text(s, 6, r->client_ip, -1);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc && mfa == ZX_TOTP_ENROL) rc = zx_totp_session_pending(c, thash); /* enrol before anything else */
    if (!rc) {
        s = db_prepare(c, "UPDATE app_user SET failed_count = 0, locked_until_ms = 0 WHERE id = ?");
        rc = s ? 0 : -1;
        if (s) {
            db_bind_int64(s, 1, uid);
            rc = db_step(s) == DB_DONE ? 0 : -1;
            db_finalize(s);
        }
    }
    r->who.kind = ZX_USER;
    r->who.user_id = uid;
    snprintf(r->who.username, sizeof r->who.username, "%s", username);
    const zx_court *ct = zx_court_by_id(court_id);
    snprintf(r->who.court_code, sizeof r->who.court_code, "%s", ct ? ct->code : "");
    if (!rc) rc = zx_audit_req(r, c, "auth.login", "user", uid, "ok", expired ? "{\"password_expired\":true}" : NULL);
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (rc) {
        zx_reply_error(r, 503, "UNAVAILABLE", "登录失败，请稍后重试");
        return;
    }
    set_session_cookie(r, token, r->app->cfg.session_max_hours * 3600);
    json_t *u = user_json(uid, username, display, roles, demo, court_id, must_change || expired);
    json_object_set_new(u, "password_expired", json_boolean(expired));
    json_object_set_new(u, "totp_enrolment_required", json_boolean(mfa == ZX_TOTP_ENROL));
    json_t *out = json_pack("{s:s,s:s,s:o,s:i}", "token", token, "csrf_token", csrf, "user", u, "idle_timeout_min",
                            r->app->cfg.idle_timeout_min);
    zx_wipe(token, sizeof token);
    zx_reply_json(r, 200, out);
}

static void logout(zx_req *r)
{
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_stmt *s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE token_hash = ?");
    db_bind_text(s, 1, r->who.session_hash, -1);
    db_step(s);
    db_finalize(s);
    zx_audit_req(r, c, "auth.logout", "user", r->who.user_id, "ok", NULL);
    if (db_commit(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "退出失败，请稍后重试");
        return;
    }
    zx_session_forget(r->who.session_hash);
    zx_add_header(r, "set-cookie", "zx_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* Answered from the session cache (no store access): the benchmarked authenticated path. */
static void me(zx_req *r)
{
    json_t *u = user_json(r->who.user_id, r->who.username, r->who.display_name, r->who.roles, r->who.demo,
                          r->who.court_id, r->who.must_change_pw);
    json_object_set_new(u, "csrf_token", json_string(r->who.csrf));
    json_object_set_new(u, "totp_enrolment_required", json_boolean(r->who.mfa_pending));
    json_object_set_new(u, "idle_timeout_min", json_integer(r->app->cfg.idle_timeout_min));
    zx_reply_json(r, 200, u);
}

/* Is pw one of the account's current or last `keep` passwords? (PBKDF2 per entry: a password
 * change costs up to keep + 1 derivations.) */
static bool reused(db_conn *c, int64_t uid, const char *pw, int keep)
{
    if (keep <= 0) return false;
    db_stmt *s = db_prepare(c, "SELECT pw_hash, pw_salt, pw_iter FROM password_history WHERE user_id = ?"
                               " ORDER BY changed_ms DESC LIMIT ?");
    if (!s) return false;
    db_bind_int64(s, 1, uid);
    db_bind_int64(s, 2, keep);
    bool hit = false;
    while (!hit && db_step(s) == DB_ROW)
        hit = zx_password_verify(pw, db_col_text(s, 0), db_col_text(s, 1), (unsigned)db_col_int64(s, 2));
    db_finalize(s);
    return hit;
}

/* Set a new password inside the caller's transaction: the old hash goes into password_history
 * (trimmed to cfg.password_history entries), must_change cleared, failures reset. */
int zx_password_store(db_conn *c, int64_t uid, const char *neu, unsigned iter, int keep, int64_t now)
{
    db_stmt *s = db_prepare(c, "INSERT INTO password_history (user_id, changed_ms, pw_hash, pw_salt, pw_iter)"
                               " SELECT id, ?, pw_hash, pw_salt, pw_iter FROM app_user WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, uid);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (!rc && (s = db_prepare(c, "DELETE FROM password_history WHERE user_id = ? AND changed_ms NOT IN"
                                  " (SELECT changed_ms FROM password_history WHERE user_id = ?"
                                  " ORDER BY changed_ms DESC LIMIT ?)"))) {
        db_bind_int64(s, 1, uid);
        db_bind_int64(s, 2, uid);
        db_bind_int64(s, 3, keep);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    char hash[65], salt[33];
    zx_password_hash(neu, iter, hash, salt);
    if (!rc && (s = db_prepare(c, "UPDATE app_user SET pw_hash = ?, pw_salt = ?, pw_iter = ?, pw_changed_ms = ?,"
                                  " must_change_pw = 0, failed_count = 0, locked_until_ms = 0 WHERE id = ?"))) {
        db_bind_text(s, 1, hash, -1);
        db_bind_text(s, 2, salt, -1);
        db_bind_int64(s, 3, iter);
        db_bind_int64(s, 4, now);
        db_bind_int64(s, 5, uid);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else rc = -1;
    return rc;
}

static void change_password(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *old = json_string_value(json_object_get(b, "old_password"));
    const char *neu = json_string_value(json_object_get(b, "new_password"));
    if (!old || !neu || strlen(old) > 256) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写原密码和新密码");
        return;
    }
    const char *weak = zx_password_weakness(r->who.username, neu);
    if (weak) {
        zx_reply_error(r, 400, "WEAK_PASSWORD", "%s", weak);
        return;
    }
    if (!strcmp(old, neu)) {
        zx_reply_error(r, 400, "WEAK_PASSWORD", "新密码不能与原密码相同");
        return;
    }
    const struct zx_config *cfg = &r->app->cfg;
    db_conn *c = zx_db(r);
    int64_t now = zx_now_ms(), until = 0;
    /* old_password is a password guess like a login: it takes from the same failure budget. */
    int res = zx_login_reserve(c, r->who.user_id, cfg->lock_failures, cfg->lock_minutes, now, &until);
    if (res < 0) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    if (res == 1) {
        zx_audit_req_tx(r, "auth.password", "user", r->who.user_id, "denied", "{\"reason\":\"locked\"}");
        zx_reply_error(r, 423, "ACCOUNT_LOCKED", "连续密码错误次数过多，账户已锁定，请 %d 分钟后重试或联系安全管理员解锁",
                       (int)((until - now + 59999) / 60000));
        return;
    }
    db_stmt *s = db_prepare(c, "SELECT pw_hash, pw_salt, pw_iter FROM app_user WHERE id = ?");
    bool ok = false;
    if (s) {
        db_bind_int64(s, 1, r->who.user_id);
        if (db_step(s) == DB_ROW)
            ok = zx_password_verify(old, db_col_text(s, 0), db_col_text(s, 1), (unsigned)db_col_int64(s, 2));
        db_finalize(s);
    }
    if (!ok) {
        bool lock = now_locked(c, r->who.user_id, now);
        if (db_begin(c) == 0) {
            int rc = zx_audit_req(r, c, lock ? "auth.lock" : "auth.password", "user", r->who.user_id, "failed",
                                  lock ? "{\"reason\":\"locked after repeated wrong old passwords\"}" : "{\"reason\":\"bad old password\"}");
            if (lock && !rc) { /* a session guessing the password ends with the lock */
                db_stmt *u = db_prepare(c, "UPDATE session SET revoked = 1 WHERE user_id = ?");
                if (u) {
                    db_bind_int64(u, 1, r->who.user_id);
                    rc = db_step(u) == DB_DONE ? 0 : -1;
                    db_finalize(u);
                }
            }
            if (!rc) db_commit(c);
            else db_rollback(c);
        }
        if (lock) zx_session_forget(r->who.session_hash);
        zx_reply_error(r, 401, "BAD_CREDENTIALS", "原密码错误");
        return;
    }
    if (reused(c, r->who.user_id, neu, cfg->password_history)) {
        zx_reply_error(r, 400, "PASSWORD_REUSED", "新密码不能与最近 %d 次使用过的密码相同", cfg->password_history);
        return;
    }
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    int rc = zx_password_store(c, r->who.user_id, neu, (unsigned)cfg->pbkdf2_iterations, cfg->password_history, now);
    /* Other sessions of this user end (ASVS 3.3.3); this one stays. */
    if (!rc) {
        s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE user_id = ? AND token_hash <> ?");
        rc = s ? 0 : -1;
        if (s) {
            db_bind_int64(s, 1, r->who.user_id);
            db_bind_text(s, 2, r->who.session_hash, -1);
            rc = db_step(s) == DB_DONE ? 0 : -1;
            db_finalize(s);
        }
    }
    if (!rc) rc = zx_audit_req(r, c, "auth.password", "user", r->who.user_id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (rc) zx_reply_error(r, 503, "UNAVAILABLE", "修改密码失败，请稍后重试");
    else {
        zx_session_forget(r->who.session_hash);
        zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    }
}

static void courts_list(zx_req *r)
{
    json_t *arr = json_array();
    int64_t ids[4096];
    const zx_court *mine = zx_court_by_id(r->who.court_id);
    int n = 0;
    if (r->who.roles & (ROLE_COMMAND | ROLE_CHIEF | ROLE_ADMINS)) n = zx_court_subtree(r->who.roles & ROLE_ADMINS ? 0 : r->who.court_id, ids, 4096);
    if (r->who.roles & ROLE_ADMINS) {
        /* administrators manage accounts for every court */
        const zx_court *root = zx_court_by_code("最高法");
        n = root ? zx_court_subtree(root->id, ids, 4096) : 0;
    }
    if (!n && mine) ids[n++] = mine->id;
    for (int i = 0; i < n; i++) {
        const zx_court *ct = zx_court_by_id(ids[i]);
        if (!ct) continue;
        const zx_court *p = ct->parent_id ? zx_court_by_id(ct->parent_id) : NULL;
        json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:i,s:s?}", "id", json_sprintf("%lld", (long long)ct->id), "code", ct->code,
                                             "name", ct->name, "level", ct->level, "parent_code", p ? p->code : NULL));
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "courts", arr));
}

static const struct zx_route routes[] = {
    {"POST", "/api/v1/auth/login", login, ZX_R_PUBLIC, 0, NULL, "登录（用户名+密码）→ token 与会话 Cookie"},
    {"POST", "/api/v1/auth/logout", logout, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL, "退出登录，注销会话"},
    {"POST", "/api/v1/auth/password", change_password, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL,
     "修改本人密码（原密码错误计入锁定次数；拒绝常见密码与最近 5 次用过的密码）"},
    {"GET", "/api/v1/me", me, ZX_R_USER | ZX_R_PENDING_OK, 0, NULL, "当前用户、所属法院、角色与 CSRF token"},
    {"GET", "/api/v1/courts", courts_list, ZX_R_USER, 0, NULL, "可见法院列表（本院；指挥中心/院领导含下级法院）"},
};
ZX_ROUTES(routes)

static int passwords_start(zx_app *app)
{
    zx_password_blocklist_load(app->cfg.password_blocklist);
    return 0; /* a missing list is logged; pattern checks still apply */
}
ZX_ON_START("05-passwords", passwords_start)
