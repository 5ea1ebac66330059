/* restriction_order.c — the case action "restriction_order" (发出限制消费令) carried out by the credit
 * module, so that the case page and the credit page are one path (issue 9 item 6): for each debtor of
 * the case, a 限消 decision over all nine items of 限消规定 art 3, signed by the acting 院长 (art 5) and
 * served on the action's date → effective entries (a unit binds its four persons, 限消规定 art 3 para 2).
 * A debtor already restricted in the case is skipped. Runs inside the case action's transaction. */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "credit/decisions.h"

static int restriction_order(zx_req *r, db_conn *c, int64_t case_id, zx_date on, json_t *out, zx_case_err *err)
{
    int64_t ids[32];
    char names[32][128];
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT id, name FROM case_party WHERE case_id = ? AND role = 'debtor' ORDER BY ord");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    while (db_step(s) == DB_ROW && n < 32) {
        ids[n] = db_col_int64(s, 0);
        snprintf(names[n], sizeof names[n], "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        n++;
    }
    db_finalize(s);
    if (n == 0) {
        zx_case_err_set(err, 409, "INVALID_STATE", "本案没有被执行人");
        return 1;
    }
    zx_cd_actor a = { .r = r, .user_id = r ? r->who.user_id : 0, .username = r ? r->who.username : "system" };
    char day[11];
    zx_date_format(on, day);
    int made = 0;
    for (int i = 0; i < n; i++) {
        zx_cd_err e = { 0 };
        json_t *body = json_pack("{s:I,s:I,s:s,s:s,s:b}", "case_id", (json_int_t)case_id, "party_id", (json_int_t)ids[i], "list",
                                 "restricted", "decided_on", day, "on_application", false);
        int64_t did = zx_cd_propose(&a, c, body, false, NULL, &e);
        json_decref(body);
        if (did < 0) {
            /* already restricted in this case: nothing to add for this debtor */
            json_t *rs = e.extra ? json_object_get(e.extra, "reasons") : NULL;
            bool only_already = json_array_size(rs) == 1 &&
                                !strcmp(json_string_value(json_object_get(json_array_get(rs, 0), "code")) ? json_string_value(json_object_get(json_array_get(rs, 0), "code")) : "", "ALREADY_RESTRICTED");
            if (only_already) {
                json_decref(e.extra);
                continue;
            }
            const char *why = json_string_value(json_object_get(json_array_get(rs, 0), "message"));
            zx_case_err_set(err, e.status >= 400 && e.status < 500 ? 422 : 500,
                            e.status >= 400 && e.status < 500 ? "RESTRICTION_NOT_ALLOWED" : "DB_ERROR", "%s：%s", names[i],
                            why ? why : e.message);
            if (rs) err->extra = json_pack("{s:O}", "reasons", rs);
            json_decref(e.extra);
            return e.status >= 400 && e.status < 500 ? 1 : -1;
        }
        json_t *sb = json_pack("{s:s}", "signed_on", day), *vb = json_pack("{s:s,s:s}", "served_on", day, "method", "direct");
        int rc = zx_cd_step(&a, c, did, "approve", sb, &e);
        if (!rc) rc = zx_cd_step(&a, c, did, "serve", vb, &e);
        json_decref(sb);
        json_decref(vb);
        if (rc) {
            zx_case_err_set(err, e.status >= 400 && e.status < 500 ? 409 : 500, e.status >= 400 && e.status < 500 ? "INVALID_STATE" : "DB_ERROR",
                            "%s", e.message[0] ? e.message : "限制消费令写入失败");
            json_decref(e.extra);
            return e.status >= 400 && e.status < 500 ? 1 : -1;
        }
        json_array_append_new(out, json_pack("{s:s,s:I}", "name", names[i], "decision_id", (json_int_t)did));
        made++;
    }
    if (made == 0) {
        zx_case_err_set(err, 409, "ALREADY_RESTRICTED", "本案被执行人均已被限制消费");
        return 1;
    }
    return 0;
}

__attribute__((constructor)) static void restriction_order_register(void) { zx_case_set_restriction_fn(restriction_order); }
