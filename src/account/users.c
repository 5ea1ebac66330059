/* users.c — creating staff accounts (CLI `user add`, the sysadmin API, init). */
#include "account/account.h"
#include "account/authz.h"
#include "core/ids.h"
#include <string.h>

int64_t zx_user_create(db_conn *c, const char *username, const char *display_name,
                       const char *court_code, unsigned roles, const char *password, bool demo,
                       bool must_change, unsigned iter)
{
    if (roles && !zx_roles_valid(roles)) return -4;
    if (zx_password_weakness(username, password)) return -5;
    db_stmt *s = db_prepare(c, "SELECT id FROM court WHERE code = ?");
    if (!s) return -1;
    db_bind_text(s, 1, court_code, -1);
    int64_t court_id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (!court_id) return -3;

    char hash[65], salt[33];
    zx_password_hash(password, iter, hash, salt);
    int64_t id = zx_id_new(), now = zx_now_ms();
    s = db_prepare(c, "INSERT INTO app_user (id, username, display_name, court_id, roles, pw_hash, pw_salt,"
                      " pw_iter, pw_changed_ms, must_change_pw, is_demo, created_ms)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, username, -1);
    db_bind_text(s, 3, display_name && *display_name ? display_name : username, -1);
    db_bind_int64(s, 4, court_id);
    db_bind_int64(s, 5, roles);
    db_bind_text(s, 6, hash, -1);
    db_bind_text(s, 7, salt, -1);
    db_bind_int64(s, 8, iter);
    db_bind_int64(s, 9, now);
    db_bind_int64(s, 10, must_change);
    db_bind_int64(s, 11, demo);
    db_bind_int64(s, 12, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc == DB_ECONSTRAINT) return -2;
    return rc == DB_DONE ? id : -1;
}
