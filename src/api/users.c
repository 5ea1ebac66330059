/* api/users.c — staff accounts under 三员 separation (security.md §1.2, docs/SECURITY.md):
 *   sysadmin: create accounts (without roles), disable/enable;
 *   secadmin: assign business roles, unlock accounts, reset passwords;
 *   business users: list colleagues of courts they can see (for assignment), minimal fields.
 * No administrator account (sysadmin, secadmin, auditor) can be created, given or stripped of an
 * administrator role, reset, unlocked, disabled or enabled through this API — by anyone, itself
 * included: otherwise one administrator could take over another's account (reset its password and
 * log in as it) or hand a business account the auditor role. Those operations are only the audited
 * server command line (`zhixing user …`, src/account/admin_cli.c), which needs the host and the
 * store's credentials. 403 ADMIN_ACCOUNT_CLI_ONLY. */
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

static void users_list(zx_req *r)
{
    const char *court = zx_query(r, "court");
    const char *role = zx_query(r, "role");
    bool admin = (r->who.roles & (ROLE_SYSADMIN | ROLE_SECADMIN)) != 0;
    const zx_court *ct = court ? zx_court_by_code(court) : zx_court_by_id(r->who.court_id);
    if (!ct) {
        zx_reply_error(r, 400, "UNKNOWN_COURT", "未知法院代字");
        return;
    }
    if (!admin && !zx_can_see_court(&r->who, ct->id)) {
        zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院人员");
        return;
    }
    unsigned rmask = role ? zx_role_from_code(role) : 0;
    db_stmt *s = db_prepare(zx_db(r), "SELECT id, username, display_name, roles, failed_count, locked_until_ms,"
                                      " disabled, is_demo FROM app_user WHERE court_id = ? ORDER BY username");
    db_bind_int64(s, 1, ct->id);
    json_t *arr = json_array();
    int64_t now = zx_now_ms();
    while (db_step(s) == DB_ROW) {
        unsigned roles = (unsigned)db_col_int64(s, 3);
        if (rmask && !(roles & rmask)) continue;
        json_t *u = json_pack("{s:o,s:s,s:s,s:o,s:o}", "id", json_sprintf("%lld", (long long)db_col_int64(s, 0)), "username",
                              db_col_text(s, 1), "display_name", db_col_text(s, 2), "roles", zx_roles_json(roles, false),
                              "role_labels", zx_roles_json(roles, true));
        if (admin) {
            json_object_set_new(u, "locked", json_boolean(db_col_int64(s, 5) > now));
            json_object_set_new(u, "failed_count", json_integer(db_col_int64(s, 4)));
            json_object_set_new(u, "disabled", json_boolean(db_col_int64(s, 6) != 0));
            json_object_set_new(u, "demo", json_boolean(db_col_int64(s, 7) != 0));
        }
        json_array_append_new(arr, u);
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:s,s:o}", "court", ct->code, "users", arr));
}

/* The roles of account id: 0 and false if there is none. */
static bool target_roles(db_conn *c, int64_t id, unsigned *roles)
{
    db_stmt *s = db_prepare(c, "SELECT roles FROM app_user WHERE id = ?");
    if (!s) return false;
    db_bind_int64(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    *roles = found ? (unsigned)db_col_int64(s, 0) : 0;
    db_finalize(s);
    return found;
}

/* Refuse (and audit the refusal) if the target account is an administrator's. */
static bool admin_target_refused(zx_req *r, int64_t id, const char *action)
{
    unsigned roles;
    if (!target_roles(zx_db(r), id, &roles) || !(roles & ROLE_ADMINS)) return false;
    zx_audit_req_tx(r, action, "user", id, "denied", "{\"reason\":\"administrator accounts are managed through the server CLI only\"}");
    zx_reply_error(r, 403, "ADMIN_ACCOUNT_CLI_ONLY", "管理员账户只能在服务器上通过命令行（zhixing user …）管理，不能通过系统界面或接口操作");
    return true;
}

static char *json_detail(json_t *d)
{
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    return s;
}

static void users_create(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *username = json_string_value(json_object_get(b, "username"));
    const char *display = json_string_value(json_object_get(b, "display_name"));
    const char *court = json_string_value(json_object_get(b, "court"));
    if (!username || !court || strlen(username) < 3 || strlen(username) > 64 ||
        strspn(username, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(username)) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "用户名须为 3–64 位小写字母、数字、下划线，且须指定法院");
        return;
    }
    char pw[17];
    zx_password_generate(pw);
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    /* sysadmin creates the account without roles; the security administrator grants them. */
    int64_t id = zx_user_create(c, username, display, court, 0, pw, false, true, (unsigned)r->app->cfg.pbkdf2_iterations);
    int rc = id > 0 ? 0 : -1;
    if (!rc) {
        char *d = json_detail(json_pack("{s:s,s:s}", "username", username, "court", court));
        rc = zx_audit_req(r, c, "user.create", "user", id, "ok", d);
        free(d);
    }
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (id == -2) zx_reply_error(r, 409, "USERNAME_TAKEN", "用户名已存在");
    else if (id == -3) zx_reply_error(r, 400, "UNKNOWN_COURT", "未知法院代字");
    else if (rc) zx_reply_error(r, 503, "UNAVAILABLE", "创建用户失败，请稍后重试");
    else
        zx_reply_json(r, 201, json_pack("{s:o,s:s,s:s,s:s}", "id", json_sprintf("%lld", (long long)id), "username", username,
                                        "initial_password", pw, "note", "初始密码仅显示一次，首次登录须修改；角色由安全管理员分配"));
    zx_wipe(pw, sizeof pw);
}

/* Run one UPDATE on app_user by id with an audit record; 404 if no such user. */
static void user_update(zx_req *r, const char *sql, int64_t v, const char *action, const char *detail)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    if (admin_target_refused(r, id, action)) return;
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_stmt *s = db_prepare(c, sql);
    db_bind_int64(s, 1, v);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE || n != 1) {
        db_rollback(c);
        zx_reply_error(r, 404, "NOT_FOUND", "用户不存在");
        return;
    }
    if (zx_audit_req(r, c, action, "user", id, "ok", detail) || db_commit(c)) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "操作失败");
        return;
    }
    if (!strcmp(action, "user.disable") || !strcmp(action, "user.roles")) {
        /* end the user's sessions so the change takes effect at once */
        s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE user_id = ?");
        db_bind_int64(s, 1, id);
        db_step(s);
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:b,s:o}", "ok", 1, "id", json_sprintf("%lld", (long long)id)));
}

static void users_roles(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *arr = json_object_get(b, "roles");
    if (!json_is_array(arr)) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "roles 须为角色代码数组");
        return;
    }
    unsigned mask = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        unsigned bit = json_is_string(v) ? zx_role_from_code(json_string_value(v)) : 0;
        if (!bit) {
            zx_reply_error(r, 400, "UNKNOWN_ROLE", "未知角色");
            return;
        }
        mask |= bit;
    }
    if (!zx_roles_valid(mask)) {
        zx_reply_error(r, 400, "INVALID_ROLES", "角色组合无效：系统、安全、审计管理员三者互斥，且不得兼任业务角色");
        return;
    }
    if (mask & ROLE_ADMINS) {
        int64_t id;
        if (!zx_param_id(r, "id", &id)) return;
        zx_audit_req_tx(r, "user.roles", "user", id, "denied", "{\"reason\":\"administrator roles are granted through the server CLI only\"}");
        zx_reply_error(r, 403, "ADMIN_ACCOUNT_CLI_ONLY", "管理员角色只能在服务器上通过命令行（zhixing user roles）授予");
        return;
    }
    char *d = json_detail(json_pack("{s:O}", "roles", arr));
    user_update(r, "UPDATE app_user SET roles = ? WHERE id = ?", mask, "user.roles", d);
    free(d);
}

static void users_unlock(zx_req *r)
{
    user_update(r, "UPDATE app_user SET locked_until_ms = ?, failed_count = 0 WHERE id = ?", 0, "user.unlock", NULL);
}

static void users_disable(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *dis = json_object_get(b, "disabled");
    if (!json_is_boolean(dis)) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "disabled 须为 true/false");
        return;
    }
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    if (id == r->who.user_id) {
        zx_reply_error(r, 409, "INVALID_STATE", "不能停用本人账户");
        return;
    }
    user_update(r, "UPDATE app_user SET disabled = ? WHERE id = ?", json_is_true(dis), json_is_true(dis) ? "user.disable" : "user.enable", NULL);
}

static void users_reset_password(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    if (admin_target_refused(r, id, "user.reset_password")) return;
    char pw[17], hash[65], salt[33];
    zx_password_generate(pw);
    unsigned iter = (unsigned)r->app->cfg.pbkdf2_iterations;
    zx_password_hash(pw, iter, hash, salt);
    db_conn *c = zx_db(r);
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return;
    }
    db_stmt *s = db_prepare(c, "UPDATE app_user SET pw_hash = ?, pw_salt = ?, pw_iter = ?, must_change_pw = 1,"
                               " failed_count = 0, locked_until_ms = 0 WHERE id = ?");
    db_bind_text(s, 1, hash, -1);
    db_bind_text(s, 2, salt, -1);
    db_bind_int64(s, 3, iter);
    db_bind_int64(s, 4, id);
    db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (n != 1) {
        db_rollback(c);
        zx_reply_error(r, 404, "NOT_FOUND", "用户不存在");
        zx_wipe(pw, sizeof pw);
        return;
    }
    s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE user_id = ?");
    db_bind_int64(s, 1, id);
    db_step(s);
    db_finalize(s);
    if (zx_audit_req(r, c, "user.reset_password", "user", id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "操作失败");
    } else {
        zx_reply_json(r, 200, json_pack("{s:o,s:s}", "id", json_sprintf("%lld", (long long)id), "initial_password", pw));
    }
    zx_wipe(pw, sizeof pw);
}

static const struct zx_route routes[] = {
    {"GET", "/api/v1/users", users_list, ZX_R_USER, 0, NULL, "人员列表（?court=&role=）"},
    {"POST", "/api/v1/users", users_create, ZX_R_USER, ROLE_SYSADMIN, NULL, "创建账户（系统管理员；不含角色）"},
    {"PUT", "/api/v1/users/:id/roles", users_roles, ZX_R_USER, ROLE_SECADMIN, NULL, "分配业务角色（安全管理员；管理员账户与管理员角色只能用服务器命令行）"},
    {"POST", "/api/v1/users/:id/unlock", users_unlock, ZX_R_USER, ROLE_SECADMIN, NULL, "解锁业务账户（安全管理员）"},
    {"POST", "/api/v1/users/:id/reset-password", users_reset_password, ZX_R_USER, ROLE_SECADMIN, NULL, "重置业务账户密码（安全管理员；首次登录须修改）"},
    {"PUT", "/api/v1/users/:id/disabled", users_disable, ZX_R_USER, ROLE_SYSADMIN, NULL, "停用/启用业务账户（系统管理员）"},
};
ZX_ROUTES(routes)
