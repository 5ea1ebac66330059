/* restriction_order.c — the case action "restriction_order" (发出限制消费令) IS the credit module's 限消
 * decision (issue 9 item 6: the case action and the credit page are one path; both screens open the
 * same dialog, web/app/credit-decision.js): for each debtor of the case a 限消 decision over all nine
 * items of 限消规定 art 3, proposed as POST /api/v1/credit/decisions proposes it (the gate, then the
 * 院长's approval inbox, kind consumption_restriction), signed by the 院长 (art 5) and served → effective
 * entries (a unit binds its four persons, art 3 para 2); the signature makes the 限制消费令 document.
 *   sign = false (the judge): proposals only, each waiting in the inbox; a debtor with a proposal already
 *     waiting or already restricted is skipped.
 *   sign = true (the case's 院长): a waiting proposal is signed and served (its inbox item settled), else
 *     a new one is proposed, signed and served on `on`.
 * Runs inside the case action's transaction. */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "credit/credit_approvals.h"
#include "credit/decisions.h"

/* A 限消 decision of this debtor in this case still on its way (not effective, not ended): id, status. */
static int64_t waiting_decision(db_conn *c, int64_t case_id, int64_t party_id, char status[16])
{
    db_stmt *s = db_prepare(c, "SELECT id, status FROM credit_decision WHERE case_id = ? AND party_id = ? AND list = 'restricted'"
                               " AND status IN ('proposed', 'approved', 'served') ORDER BY id LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, party_id);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        snprintf(status, 16, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    }
    db_finalize(s);
    return id;
}

static int step_err(zx_case_err *err, zx_cd_err *e, const char *fallback)
{
    bool user = e->status >= 400 && e->status < 500;
    zx_case_err_set(err, user ? 409 : 500, user ? "INVALID_STATE" : "DB_ERROR", "%s", e->message[0] ? e->message : fallback);
    json_decref(e->extra);
    return user ? 1 : -1;
}

static int restriction_order(zx_req *r, db_conn *c, int64_t case_id, zx_date on, bool sign, json_t *out, zx_case_err *err)
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
    int made = 0, waiting = 0;
    for (int i = 0; i < n; i++) {
        zx_cd_err e = { 0 };
        char st[16] = "";
        int64_t did = waiting_decision(c, case_id, ids[i], st);
        if (did < 0) return -1;
        if (did > 0 && !sign) { /* already waiting for the 院长 */
            waiting++;
            continue;
        }
        if (did == 0) {
            json_t *body = json_pack("{s:I,s:I,s:s,s:s,s:b}", "case_id", (json_int_t)case_id, "party_id", (json_int_t)ids[i],
                                     "list", "restricted", "decided_on", day, "on_application", false);
            did = zx_cd_propose(&a, c, body, false, NULL, &e);
            json_decref(body);
            if (did < 0) {
                /* already restricted in this case: nothing to add for this debtor */
                json_t *rs = e.extra ? json_object_get(e.extra, "reasons") : NULL;
                const char *code0 = json_string_value(json_object_get(json_array_get(rs, 0), "code"));
                if (json_array_size(rs) == 1 && code0 && !strcmp(code0, "ALREADY_RESTRICTED")) {
                    json_decref(e.extra);
                    continue;
                }
                const char *why = json_string_value(json_object_get(json_array_get(rs, 0), "message"));
                bool user = e.status >= 400 && e.status < 500;
                zx_case_err_set(err, user ? 422 : 500, user ? "RESTRICTION_NOT_ALLOWED" : "DB_ERROR", "%s：%s", names[i],
                                why ? why : e.message);
                if (rs) err->extra = json_pack("{s:O}", "reasons", rs);
                json_decref(e.extra);
                return user ? 1 : -1;
            }
            snprintf(st, sizeof st, "proposed");
            if (!sign) { /* the judge: to the 院长's approval inbox, as the credit page submits it */
                if (r && zx_credit_approval_submit(r, c, did) != 0) return -1;
                json_array_append_new(out, json_pack("{s:s,s:I,s:s}", "name", names[i], "decision_id", (json_int_t)did,
                                                     "status", "proposed"));
                made++;
                continue;
            }
        }
        /* the 院长 signs (settling the inbox item if one waits) and the order is served */
        int rc = 0;
        if (!strcmp(st, "proposed") || !strcmp(st, "served")) {
            json_t *sb = json_pack("{s:s}", "signed_on", day);
            rc = zx_cd_step(&a, c, did, "approve", sb, &e);
            json_decref(sb);
            if (!rc && r && zx_credit_approval_step(r, c, did, "approve", NULL) != 0) rc = -1;
        }
        if (!rc && strcmp(st, "served")) {
            json_t *vb = json_pack("{s:s,s:s}", "served_on", day, "method", "direct");
            rc = zx_cd_step(&a, c, did, "serve", vb, &e);
            json_decref(vb);
        }
        if (rc) return step_err(err, &e, "限制消费令写入失败");
        json_array_append_new(out, json_pack("{s:s,s:I,s:s}", "name", names[i], "decision_id", (json_int_t)did, "status",
                                             "effective"));
        made++;
    }
    if (made == 0) {
        if (waiting) zx_case_err_set(err, 409, "APPROVAL_PENDING", "限制消费令已提交院长签发，正在等待审批");
        else zx_case_err_set(err, 409, "ALREADY_RESTRICTED", "本案被执行人均已被限制消费");
        return 1;
    }
    return 0;
}

__attribute__((constructor)) static void restriction_order_register(void) { zx_case_set_restriction_fn(restriction_order); }
