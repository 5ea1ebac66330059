/* api/auth.c — login, logout, who am I, password change (issue 3 §5 and Contract). */
#include "account/account.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
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
    const char *secure = r->app->cfg.tls_cert[0] ? "; Secure" : "";
    zx_add_header(r, "set-cookie",
                  zx_sprintf(r, "zx_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age, secure));
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
    const struct zx_config *cfg = &r->app->cfg;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id, display_name, court_id, roles, pw_hash, pw_salt, pw_iter, failed_count,"
                               " locked_until_ms, disabled, is_demo, must_change_pw FROM app_user WHERE username = ?");
    if (!s) {
        zx_reply_error(r, 500, "INTERNAL", "服务器内部错误");
        return;
    }
    db_bind_text(s, 1, username, -1);
    bool found = db_step(s) == DB_ROW;
    int64_t uid = 0, court_id = 0, locked_until = 0;
    unsigned roles = 0, iter = (unsigned)cfg->pbkdf2_iterations;
    int failed = 0;
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
        failed = (int)db_col_int64(s, 7);
        locked_until = db_col_int64(s, 8);
        disabled = db_col_int64(s, 9) != 0;
        demo = db_col_int64(s, 10) != 0;
        must_change = db_col_int64(s, 11) != 0;
    }
    db_finalize(s);
    int64_t now = zx_now_ms();

    if (found && locked_until > now) {
        zx_audit_req_tx(r, "auth.login", "user", uid, "denied", login_detail(r, username, "locked"));
        zx_reply_error(r, 423, "ACCOUNT_LOCKED", "连续登录失败次数过多，账户已锁定，请 %d 分钟后重试或联系安全管理员解锁",
                       (int)((locked_until - now + 59999) / 60000));
        return;
    }
    /* Unknown users cost the same PBKDF2 work and get the same answer (security.md §1.1). */
    bool ok = found ? zx_password_verify(password, hash, salt, iter)
                    : (zx_password_verify(password, "00", "00000000000000000000000000000000", iter), false);
    if (!ok || disabled) {
        if (found) {
            if (db_begin(c) == 0) {
                int nf = failed + 1;
                bool lock = nf >= cfg->lock_failures;
                s = db_prepare(c, "UPDATE app_user SET failed_count = ?, locked_until_ms = ? WHERE id = ?");
                db_bind_int64(s, 1, lock ? 0 : nf);
                db_bind_int64(s, 2, lock ? now + (int64_t)cfg->lock_minutes * 60000 : 0);
                db_bind_int64(s, 3, uid);
                db_step(s);
                db_finalize(s);
                zx_audit_req(r, c, lock ? "auth.lock" : "auth.login", "user", uid, "failed",
                             login_detail(r, username, lock ? "locked after repeated failures" : "bad password"));
                db_commit(c);
            }
        } else {
            zx_audit_req_tx(r, "auth.login", "user", 0, "failed", login_detail(r, username, "unknown user"));
        }
        zx_reply_error(r, 401, "BAD_CREDENTIALS", "用户名或密码错误");
        return;
    }

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
    db_bind_text(s, 1, thash, -1);
    db_bind_int64(s, 2, uid);
    db_bind_text(s, 3, csrf, -1);
    db_bind_int64(s, 4, now);
    db_bind_int64(s, 5, now);
    db_bind_text(s, 6, r->client_ip, -1);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (!rc) {
        s = db_prepare(c, "UPDATE app_user SET failed_count = 0, locked_until_ms = 0 WHERE id = ?");
        db_bind_int64(s, 1, uid);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    r->who.kind = ZX_USER;
    r->who.user_id = uid;
    snprintf(r->who.username, sizeof r->who.username, "%s", username);
    const zx_court *ct = zx_court_by_id(court_id);
    snprintf(r->who.court_code, sizeof r->who.court_code, "%s", ct ? ct->code : "");
    if (!rc) rc = zx_audit_req(r, c, "auth.login", "user", uid, "ok", NULL);
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (rc) {
        zx_reply_error(r, 500, "INTERNAL", "登录失败，请稍后重试");
        return;
    }
    set_session_cookie(r, token, r->app->cfg.session_max_hours * 3600);
    json_t *out = json_pack("{s:s,s:s,s:o,s:i}", "token", token, "csrf_token", csrf, "user",
                            user_json(uid, username, display, roles, demo, court_id, must_change), "idle_timeout_min",
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
        zx_reply_error(r, 500, "INTERNAL", "退出失败");
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
    json_object_set_new(u, "idle_timeout_min", json_integer(r->app->cfg.idle_timeout_min));
    zx_reply_json(r, 200, u);
}

static void change_password(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *old = json_string_value(json_object_get(b, "old_password"));
    const char *neu = json_string_value(json_object_get(b, "new_password"));
    if (!old || !neu) {
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
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT pw_hash, pw_salt, pw_iter FROM app_user WHERE id = ?");
    db_bind_int64(s, 1, r->who.user_id);
    bool ok = false;
    if (db_step(s) == DB_ROW)
        ok = zx_password_verify(old, db_col_text(s, 0), db_col_text(s, 1), (unsigned)db_col_int64(s, 2));
    db_finalize(s);
    if (!ok) {
        zx_audit_req_tx(r, "auth.password", "user", r->who.user_id, "failed", NULL);
        zx_reply_error(r, 401, "BAD_CREDENTIALS", "原密码错误");
        return;
    }
    char hash[65], salt[33];
    unsigned iter = (unsigned)r->app->cfg.pbkdf2_iterations;
    zx_password_hash(neu, iter, hash, salt);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    s = db_prepare(c, "UPDATE app_user SET pw_hash = ?, pw_salt = ?, pw_iter = ?, pw_changed_ms = ?, must_change_pw = 0"
                      " WHERE id = ?");
    db_bind_text(s, 1, hash, -1);
    db_bind_text(s, 2, salt, -1);
    db_bind_int64(s, 3, iter);
    db_bind_int64(s, 4, zx_now_ms());
    db_bind_int64(s, 5, r->who.user_id);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    /* Other sessions of this user end (ASVS 3.3.3); this one stays. */
    if (!rc) {
        s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE user_id = ? AND token_hash <> ?");
        db_bind_int64(s, 1, r->who.user_id);
        db_bind_text(s, 2, r->who.session_hash, -1);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) rc = zx_audit_req(r, c, "auth.password", "user", r->who.user_id, "ok", NULL);
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (rc) zx_reply_error(r, 500, "INTERNAL", "修改密码失败");
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
    {"POST", "/api/v1/auth/logout", logout, ZX_R_USER, 0, NULL, "退出登录，注销会话"},
    {"POST", "/api/v1/auth/password", change_password, ZX_R_USER, 0, NULL, "修改本人密码"},
    {"GET", "/api/v1/me", me, ZX_R_USER, 0, NULL, "当前用户、所属法院、角色与 CSRF token"},
    {"GET", "/api/v1/courts", courts_list, ZX_R_USER, 0, NULL, "可见法院列表（本院；指挥中心/院领导含下级法院）"},
};
ZX_ROUTES(routes)
