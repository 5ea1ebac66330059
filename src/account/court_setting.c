/* court_setting.c — see court_setting.h. */
#include "account/court_setting.h"
#include "account/authz.h"
#include "core/ids.h"
#include <stdlib.h>
#include <string.h>

static char *own_value(db_conn *c, int64_t court_id, const char *key)
{
    db_stmt *s = db_prepare(c, "SELECT value FROM court_setting WHERE court_id = ? AND key = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, court_id);
    db_bind_text(s, 2, key, -1);
    char *v = db_step(s) == DB_ROW ? strdup(db_col_text(s, 0)) : NULL;
    db_finalize(s);
    return v;
}

char *zx_court_setting_get(db_conn *c, int64_t court_id, const char *key, int64_t *from_court)
{
    *from_court = 0;
    for (int depth = 0; court_id && depth < 16; depth++) { /* court → parent → … → root */
        char *v = own_value(c, court_id, key);
        if (v) {
            *from_court = court_id;
            return v;
        }
        const zx_court *ct = zx_court_by_id(court_id);
        court_id = ct ? ct->parent_id : 0;
    }
    db_stmt *s = db_prepare(c, "SELECT value FROM setting WHERE key = ?");
    if (!s) return NULL;
    db_bind_text(s, 1, key, -1);
    char *v = db_step(s) == DB_ROW ? strdup(db_col_text(s, 0)) : NULL;
    db_finalize(s);
    return v;
}

int zx_court_setting_put(db_conn *c, int64_t court_id, const char *key, const char *value, const char *by)
{
    db_stmt *s = court_id
        ? db_prepare(c, "INSERT INTO court_setting (court_id, key, value, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (court_id, key) DO UPDATE SET value = excluded.value,"
                        " updated_ms = excluded.updated_ms, updated_by = excluded.updated_by")
        : db_prepare(c, "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!s) return -1;
    if (court_id) {
        db_bind_int64(s, 1, court_id);
        db_bind_text(s, 2, key, -1);
        db_bind_text(s, 3, value, -1);
        db_bind_int64(s, 4, zx_now_ms());
        db_bind_text(s, 5, by, -1);
    } else {
        db_bind_text(s, 1, key, -1);
        db_bind_text(s, 2, value, -1);
    }
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}

int64_t zx_court_setting_target(zx_req *r)
{
    const char *code = zx_query(r, "court");
    if (!code || !*code) {
        /* the system administrator manages the global default; everyone else their own court */
        return (r->who.roles & ROLE_SYSADMIN) ? 0 : r->who.court_id;
    }
    const zx_court *ct = zx_court_by_code(code);
    if (!ct || !(zx_can_see_court(&r->who, ct->id) || (r->who.roles & ROLE_SYSADMIN))) {
        zx_reply_error(r, 404, "UNKNOWN_COURT", "未知法院或无权查看该法院");
        return -1;
    }
    return ct->id;
}

bool zx_court_setting_may_change(zx_req *r, int64_t court_id)
{
    if (court_id == 0 ? (r->who.roles & ROLE_SYSADMIN) != 0
                      : (r->who.roles & ROLE_CHIEF) && r->who.court_id == court_id)
        return true;
    zx_reply_error(r, 403, "COURT_AUTHORITY_REQUIRED",
                   court_id ? "只有本院院长可以修改本院的地方规则" : "全局默认规则只能由系统管理员修改");
    return false;
}
