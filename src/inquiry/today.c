/* today.c — today's 查控 totals by court (queried, found, frozen, deducted): one read shared by
 * GET /api/v1/inquiry/stats and the command center's dashboard (issue 14 §7). */
#include <stdio.h>

#include "account/authz.h"
#include "core/date.h"
#include "inquiry/inquiry.h"

json_t *zx_inq_today_by_court(db_conn *c, zx_date today, bool (*keep)(int64_t court_id, void *arg), void *arg)
{
    int64_t day0 = ((int64_t)today * 86400 - 8 * 3600) * 1000; /* Asia/Shanghai midnight */
    json_t *courts = json_object();
    static const struct {
        const char *name, *sql;
    } q[] = {
        { "queried", "SELECT court_id, COUNT(*) FROM inquiry_request WHERE op = 'query' AND state = 'done' AND answered_ms >= ? GROUP BY court_id" },
        { "found", "SELECT court_id, COUNT(*) FROM asset WHERE found_ms >= ? GROUP BY court_id" },
        { "frozen_fen", "SELECT court_id, SUM(confirmed_fen) FROM asset_control WHERE status IN ('active','queued') AND updated_ms >= ? GROUP BY court_id" },
        { "deducted_fen", "SELECT court_id, SUM(amount_fen) FROM inquiry_request WHERE op = 'deduct' AND state = 'done' AND result = 'ok' AND answered_ms >= ? GROUP BY court_id" },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        db_stmt *s = db_prepare(c, q[i].sql);
        if (!s) {
            json_decref(courts);
            return NULL;
        }
        db_bind_int64(s, 1, day0);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t court = db_col_int64(s, 0);
            if (keep && !keep(court, arg)) continue;
            const zx_court *ct = zx_court_by_id(court);
            if (!ct) continue;
            json_t *o = json_object_get(courts, ct->code);
            if (!o) {
                o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "court_code", ct->code, "court_name", ct->name, "queried",
                              (json_int_t)0, "found", (json_int_t)0, "frozen_fen", (json_int_t)0, "deducted_fen", (json_int_t)0);
                json_object_set_new(courts, ct->code, o);
            }
            json_object_set_new(o, q[i].name, json_integer(db_col_int64(s, 1)));
        }
        db_finalize(s);
        if (rc < 0) {
            json_decref(courts);
            return NULL;
        }
    }
    json_t *arr = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(courts, key, v) json_array_append(arr, v);
    json_decref(courts);
    return arr;
}
