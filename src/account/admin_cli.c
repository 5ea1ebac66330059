/* admin_cli.c — the only path for operations on administrator accounts (三员 separation, issue 10
 * item 1, docs/SECURITY.md): `zhixing user reset-password | unlock | disable | enable | roles`.
 *
 * The HTTP API refuses them for sysadmin/secadmin/auditor accounts (api/users.c, 403
 * ADMIN_ACCOUNT_CLI_ONLY), so no administrator can take over another through the UI. The CLI needs
 * a shell on the server and the store's credentials — a separate, physically controlled duty — and
 * every command writes an audit record naming the operating-system user who ran it (actor
 * "cli:<login>"), in the same transaction as the change. The commands work on any account (the
 * host operator may also repair a business account), and every session of the account ends. */
#include "account/account.h"
#include "account/authz.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/crypto.h"
#include "core/ids.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t user_id_of(db_conn *c, const char *username, unsigned *roles)
{
    db_stmt *s = db_prepare(c, "SELECT id, roles FROM app_user WHERE username = ?");
    if (!s) return -1;
    db_bind_text(s, 1, username, -1);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        *roles = (unsigned)db_col_int64(s, 1);
    }
    db_finalize(s);
    return id;
}

static int exec_id(db_conn *c, const char *sql, int64_t v, int64_t id)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, v);
    db_bind_int64(s, 2, id);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}

enum op { OP_RESET, OP_UNLOCK, OP_DISABLE, OP_ENABLE, OP_ROLES };

static int run(enum op op, int argc, char **argv)
{
    const char *username = zx_opt(argc, argv, "--username");
    const char *role = zx_opt(argc, argv, "--role");
    if (!username || (op == OP_ROLES && !role)) {
        fprintf(stderr, "zhixing user: --username%s is required\n", op == OP_ROLES ? " and --role" : "");
        return 2;
    }
    unsigned newroles = 0;
    if (op == OP_ROLES) {
        newroles = zx_roles_parse(role);
        if (!newroles || !zx_roles_valid(newroles)) {
            fprintf(stderr, "zhixing user roles: invalid role '%s' (三员 are exclusive and not combined with business roles)\n", role);
            return 2;
        }
    }
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    char actor[96], pw[17] = "", detail[512];
    zx_cli_actor(actor, sizeof actor);
    unsigned roles = 0;
    int rc = db_begin(c);
    int64_t id = rc ? -1 : user_id_of(c, username, &roles);
    const char *action = "";
    detail[0] = 0;
    if (id > 0) {
        switch (op) {
        case OP_RESET: {
            action = "user.reset_password";
            zx_password_generate(pw);
            char hash[65], salt[33];
            unsigned iter = (unsigned)app->cfg.pbkdf2_iterations;
            zx_password_hash(pw, iter, hash, salt);
            db_stmt *s = db_prepare(c, "UPDATE app_user SET pw_hash = ?, pw_salt = ?, pw_iter = ?, must_change_pw = 1,"
                                       " failed_count = 0, locked_until_ms = 0 WHERE id = ?");
            rc = s ? 0 : -1;
            if (s) {
                db_bind_text(s, 1, hash, -1);
                db_bind_text(s, 2, salt, -1);
                db_bind_int64(s, 3, iter);
                db_bind_int64(s, 4, id);
                rc = db_step(s) == DB_DONE ? 0 : -1;
                db_finalize(s);
            }
            break;
        }
        case OP_UNLOCK:
            action = "user.unlock";
            rc = exec_id(c, "UPDATE app_user SET locked_until_ms = ?, failed_count = 0 WHERE id = ?", 0, id);
            break;
        case OP_DISABLE:
        case OP_ENABLE:
            action = op == OP_DISABLE ? "user.disable" : "user.enable";
            rc = exec_id(c, "UPDATE app_user SET disabled = ? WHERE id = ?", op == OP_DISABLE, id);
            break;
        case OP_ROLES:
            action = "user.roles";
            rc = exec_id(c, "UPDATE app_user SET roles = ? WHERE id = ?", newroles, id);
            break;
        }
        if (!rc && op != OP_UNLOCK && op != OP_ENABLE)
            rc = exec_id(c, "UPDATE session SET revoked = ? WHERE user_id = ?", 1, id);
        if (!rc) {
            json_t *d = json_pack("{s:s,s:s,s:o}", "username", username, "via", "cli", "previous_roles", zx_roles_json(roles, false));
            if (op == OP_ROLES) json_object_set_new(d, "roles", zx_roles_json(newroles, false));
            char *dj = json_dumps(d, JSON_COMPACT);
            snprintf(detail, sizeof detail, "%s", dj ? dj : "{}");
            free(dj);
            json_decref(d);
            char oid[24];
            snprintf(oid, sizeof oid, "%lld", (long long)id);
            zx_audit_rec rec = {.username = actor, .action = action, .object_type = "user", .object_id = oid,
                                .result = "ok", .detail = detail};
            rc = zx_audit_write(c, &rec);
        }
    }
    if (id > 0 && !rc) rc = db_commit(c);
    else db_rollback(c);
    zx_cli_done(app, c, 0);
    if (id == 0) {
        fprintf(stderr, "zhixing user: no account '%s'\n", username);
        return 1;
    }
    if (id < 0 || rc) {
        fprintf(stderr, "zhixing user: failed (store error)\n");
        zx_wipe(pw, sizeof pw);
        return 1;
    }
    if (op == OP_RESET)
        printf("password of %s reset; one-time password (shown once, must be changed at first login): %s\n", username, pw);
    else
        printf("%s: %s done (audited as %s)\n", username, action, actor);
    zx_wipe(pw, sizeof pw);
    return 0;
}

static int cmd_reset(int argc, char **argv) { return run(OP_RESET, argc, argv); }
static int cmd_unlock(int argc, char **argv) { return run(OP_UNLOCK, argc, argv); }
static int cmd_disable(int argc, char **argv) { return run(OP_DISABLE, argc, argv); }
static int cmd_enable(int argc, char **argv) { return run(OP_ENABLE, argc, argv); }
static int cmd_roles(int argc, char **argv) { return run(OP_ROLES, argc, argv); }

#define ADMIN_NOTE "\nThe only way to do this to an administrator (三员) account: the API refuses it. Audited as cli:<os user>."
static const struct zx_command reset_cmd = {"user reset-password", cmd_reset, "--db URL --username U",
    "Give the account a new one-time password (printed once); it must be changed at the next login;\n"
    "its sessions end." ADMIN_NOTE};
static const struct zx_command unlock_cmd = {"user unlock", cmd_unlock, "--db URL --username U",
    "Clear the account's login lock and failure count." ADMIN_NOTE};
static const struct zx_command disable_cmd = {"user disable", cmd_disable, "--db URL --username U",
    "Disable the account; its sessions end." ADMIN_NOTE};
static const struct zx_command enable_cmd = {"user enable", cmd_enable, "--db URL --username U",
    "Enable a disabled account." ADMIN_NOTE};
static const struct zx_command roles_cmd = {"user roles", cmd_roles, "--db URL --username U --role ROLE[,ROLE]",
    "Set the account's roles (one of sysadmin secadmin auditor, or business roles); its sessions end." ADMIN_NOTE};
ZX_COMMAND(reset_cmd)
ZX_COMMAND(unlock_cmd)
ZX_COMMAND(disable_cmd)
ZX_COMMAND(enable_cmd)
ZX_COMMAND(roles_cmd)
