/* api/credit_staff.c — staff routes for 失信 / 限消 decisions, deletions, corrections, permits, work
 * lists and 特殊主体; contract in docs/api/credit-staff.md. Logic in src/credit/decisions.c and
 * src/credit/special.c; rules in src/rules/{dishonest,restriction}.c. Each write is one transaction
 * (entries + credit_change + case_event + audit), followed by zx_credit_sync() before the reply so a
 * listing is visible to partners when the call returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pii.h"
#include "account/authz.h"
#include "app.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "core/config.h"
#include "core/log.h"
#include "credit/credit_approvals.h"
#include "credit/decisions.h"
#include "credit/entry.h"
#include "credit/snapshot.h"
#include "credit/special.h"
#include "http/http.h"
#include "rules/dishonest.h"
#include "rules/restriction.h"

static zx_cd_actor actor(zx_req *r)
{
    return (zx_cd_actor){ .r = r, .user_id = r->who.user_id, .username = r->who.username };
}

static bool may_unmask(zx_req *r, int64_t court_id)
{
    return r->who.court_id == court_id && (r->who.roles & ROLE_CASE_WORK);
}

/* Permission on the case of an object; replies and returns false if denied / not found. */
static bool authz_object(zx_req *r, const char *kind, int64_t id, enum zx_case_access need, int64_t *court_out)
{
    db_conn *c = zx_db(r);
    int64_t case_id = 0, court_id = 0;
    if (zx_cd_object_case(c, kind, id, &case_id, &court_id)) {
        zx_reply_error(r, 404, "NOT_FOUND", "对象不存在");
        return false;
    }
    zx_cd_case k;
    if (zx_cd_case_load(c, case_id, &k)) {
        zx_reply_error(r, 404, "NOT_FOUND", "案件不存在");
        return false;
    }
    if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, need)) return false;
    if (court_out) *court_out = k.court_id;
    return true;
}

static bool begin(zx_req *r, db_conn *c)
{
    if (db_begin(c)) {
        zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
        return false;
    }
    return true;
}

/* rc < 0: rollback + error reply; else commit, sync, reply body. */
static void finish(zx_req *r, db_conn *c, int64_t rc, zx_cd_err *err, int status, json_t *(*render)(db_conn *, int64_t, bool),
                   int64_t id, bool unmask)
{
    if (rc < 0) {
        db_rollback(c);
        zx_cd_reply_err(r, err);
        return;
    }
    if (db_commit(c)) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "提交失败");
        return;
    }
    zx_credit_sync(c); /* visible to partners before we reply */
    json_t *j = render(c, id, unmask);
    if (!j) zx_reply_error(r, 404, "NOT_FOUND", "对象不存在");
    else zx_reply_json(r, status, j);
}

static json_t *r_decision(db_conn *c, int64_t id, bool u) { return zx_cd_decision_json(c, id, u); }
static json_t *r_entry(db_conn *c, int64_t id, bool u) { return zx_cd_entry_json(c, id, u); }
static json_t *r_deletion(db_conn *c, int64_t id, bool u) { return zx_cd_deletion_json(c, id); }
static json_t *r_correction(db_conn *c, int64_t id, bool u) { return zx_cd_correction_json(c, id); }
static json_t *r_permit(db_conn *c, int64_t id, bool u) { return zx_cd_permit_json(c, id); }

/* ---- meta ----------------------------------------------------------------------------------------- */

static void credit_meta(zx_req *r)
{
    json_t *grounds = json_array(), *trig = json_array(), *cats = json_array(), *lift = json_array(), *permits = json_array();
    for (int i = 0; i < 6; i++) {
        const zx_dis_ground *g = &zx_dis_grounds[i];
        json_t *o = json_pack("{s:i,s:s,s:s,s:s}", "ground", g->ground, "code", g->code, "label", g->label, "article", g->article);
        if (g->term_years) json_object_set_new(o, "term_years", json_integer(g->term_years));
        else json_object_set_new(o, "term", json_string("none"));
        json_array_append_new(grounds, o);
    }
    for (size_t i = 0; i < sizeof zx_dis_triggers / sizeof zx_dis_triggers[0]; i++)
        json_array_append_new(trig, json_pack("{s:s,s:s,s:s}", "code", zx_dis_triggers[i].code, "label", zx_dis_triggers[i].label,
                                              "article", zx_dis_triggers[i].article));
    for (int i = 0; i < ZX_CAT_COUNT; i++)
        json_array_append_new(cats, json_pack("{s:s,s:i,s:s,s:s}", "code", zx_credit_categories[i].code, "item",
                                              zx_credit_categories[i].item, "label", zx_credit_categories[i].label, "article",
                                              zx_credit_categories[i].article));
    for (int i = 0; i < 3; i++)
        json_array_append_new(lift, json_pack("{s:s,s:s,s:s,s:b}", "code", zx_restr_lift_reasons[i].code, "label",
                                              zx_restr_lift_reasons[i].label, "article", zx_restr_lift_reasons[i].article,
                                              "mandatory", zx_restr_lift_reasons[i].mandatory));
    for (int i = 0; i < ZX_RESTR_PERMIT_KINDS; i++) {
        char buf[256];
        zx_credit_cat_format(zx_restr_permit_kinds[i].allowed, buf, sizeof buf);
        const zx_restr_permit_kind *pk = &zx_restr_permit_kinds[i];
        json_array_append_new(permits, json_pack("{s:s,s:s,s:i,s:i,s:s,s:b,s:b,s:s}", "code", pk->code, "label", pk->label,
                                                 "max_days", pk->max_months ? 31 * pk->max_months : pk->max_days,
                                                 "max_months", pk->max_months, "categories", buf, "bound_person_only",
                                                 pk->bound_person_only, "chief_approval", pk->chief_approval, "article",
                                                 pk->bound_person_only ? "限消规定 art 3 para 2" : "法发〔2019〕35号 para 17(3)"));
    }
    zx_repair_rules rr;
    zx_cd_repair_rules(zx_db(r), r->who.court_id, &rr); /* the caller's court's effective rules */
    json_t *j = json_pack(
        "{s:o,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}],s:[{s:s,s:s},{s:s,s:s}],s:o,s:o,s:o,s:o,"
        "s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}],"
        "s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:{s:b,s:i,s:i,s:b},"
        "s:{s:i,s:s,s:i,s:s,s:i,s:s,s:i,s:s}}",
        "grounds", grounds, "exclusions", "code", "security_adequate", "label", "提供了充分有效担保", "article", "失信规定 art 3(1)",
        "code", "seized_sufficient", "label", "已查封、扣押、冻结的财产足以清偿", "article", "失信规定 art 3(2)", "code",
        "later_in_order", "label", "履行顺序在后，依法不应强制执行", "article", "失信规定 art 3(3)", "extension_reasons", "code",
        "serious_violence", "label", "以暴力、威胁方法妨碍、抗拒执行情节严重", "code", "multiple_acts", "label", "具有多项失信行为",
        "deletion_triggers", trig, "categories", cats, "lift_reasons", lift, "permit_kinds", permits, "correction_kinds", "code",
        "wrong_listing", "label", "不应纳入失信被执行人名单", "article", "失信规定 art 11(1)", "code", "inaccurate", "label",
        "记载和公布的失信信息不准确", "article", "失信规定 art 11(2)", "code", "should_delete", "label", "失信情形已消除",
        "article", "失信规定 art 11(3)", "special_categories", "code", "party_government_organ", "label", "党政机关", "code",
        "state_firm", "label", "国有企业", "code", "official", "label", "公职人员", "code", "deputy", "label", "人大代表、政协委员",
        "repair", "enabled", rr.enabled, "early_deletion_after_months", rr.after_months, "min_performed_percent", rr.min_percent,
        "require_full_performance", rr.require_full, "limits", "grace_months_max", ZX_DIS_GRACE_MAX, "grace_article",
        "法发〔2019〕35号", "deletion_working_days", ZX_DIS_FIX_WD, "deletion_article", "失信规定 art 9–10",
        "review_days", ZX_DIS_REVIEW_DAYS, "review_article", "失信规定 art 12", "relisting_bar_months",
        ZX_DIS_RELIST_BAR_MONTHS, "relisting_article", "失信规定 art 10 para 4");
    zx_reply_json(r, 200, j);
}

/* ---- a case's credit state ------------------------------------------------------------------------ */

static json_t *ids_json(db_conn *c, const char *sql, int64_t case_id, json_t *(*render)(db_conn *, int64_t, bool), bool u)
{
    json_t *arr = json_array();
    int64_t ids[256];
    int n = 0;
    db_stmt *s = db_prepare(c, sql);
    db_bind_int64(s, 1, case_id);
    while (db_step(s) == DB_ROW && n < 256) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *j = render(c, ids[i], u);
        if (j) json_array_append_new(arr, j);
    }
    return arr;
}

static void credit_case(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_cd_case k;
    if (zx_cd_case_load(c, id, &k)) {
        zx_reply_error(r, 404, "NOT_FOUND", "案件不存在");
        return;
    }
    if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_READ)) return;
    bool u = may_unmask(r, k.court_id);
    json_t *debtors = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, kind, name, id_number_enc, credit_code FROM case_party WHERE case_id = ?"
                               " AND role = 'debtor' ORDER BY ord");
    db_bind_int64(s, 1, id);
    struct { int64_t id; char kind[8], name[128], idn[40]; } d[32];
    int nd = 0;
    while (db_step(s) == DB_ROW && nd < 32) {
        d[nd].id = db_col_int64(s, 0);
        snprintf(d[nd].kind, sizeof d[nd].kind, "%s", db_col_text(s, 1));
        snprintf(d[nd].name, sizeof d[nd].name, "%s", db_col_text(s, 2));
        char *pv = zx_pii_col(s, 3, ZX_PII_ID_NUMBER); /* sealed (core/pii.h) */
        snprintf(d[nd].idn, sizeof d[nd].idn, "%s", pv ? pv : db_col_text(s, 4) ? db_col_text(s, 4) : "");
        zx_pii_free(pv);
        nd++;
    }
    db_finalize(s);
    for (int i = 0; i < nd; i++) {
        char pid[24], m[24];
        snprintf(pid, sizeof pid, "%lld", (long long)d[i].id);
        if (u) snprintf(m, sizeof m, "%s", d[i].idn);
        else zx_credit_id_mask(d[i].idn, m);
        /* the ground-independent gate (ground 2 has no art 3 exclusions; conduct assumed given) */
        json_t *body = json_pack("{s:s,s:s,s:i,s:s}", "case_id", zx_sprintf(r, "%lld", (long long)id), "party_id", pid, "ground", 2,
                                 "conduct", "-");
        json_t *gate = NULL;
        zx_cd_err err = { 0 };
        zx_cd_actor a = { .r = NULL, .user_id = r->who.user_id, .username = r->who.username };
        zx_cd_propose(&a, c, body, true, &gate, &err);
        json_decref(body);
        if (err.extra) json_decref(err.extra);
        json_t *ups = json_array();
        db_stmt *q = db_prepare(c, "SELECT id, role_of_unit, name FROM case_party WHERE case_id = ? AND of_party_id = ?"
                                   " AND role = 'unit_person' ORDER BY ord");
        db_bind_int64(q, 1, id);
        db_bind_int64(q, 2, d[i].id);
        while (db_step(q) == DB_ROW)
            json_array_append_new(ups, json_pack("{s:s,s:s?,s:s}", "party_id", zx_sprintf(r, "%lld", (long long)db_col_int64(q, 0)),
                                                 "role_of_unit", db_col_text(q, 1), "name", db_col_text(q, 2)));
        db_finalize(q);
        json_array_append_new(debtors, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "party_id", pid, "kind", d[i].kind, "name", d[i].name,
                                                 "id_number", m, "dishonest_gate", gate ? gate : json_null(), "unit_persons", ups));
    }
    json_t *j = json_pack("{s:s,s:s,s:o}", "case_id", zx_sprintf(r, "%lld", (long long)id), "case_no", k.case_no, "debtors", debtors);
    json_object_set_new(j, "decisions", ids_json(c, "SELECT id FROM credit_decision WHERE case_id = ? ORDER BY id", id, r_decision, u));
    json_object_set_new(j, "entries", ids_json(c, "SELECT id FROM credit_entry WHERE case_id = ? ORDER BY id", id, r_entry, u));
    json_object_set_new(j, "deletions", ids_json(c, "SELECT id FROM credit_deletion WHERE case_id = ? ORDER BY id", id, r_deletion, u));
    json_object_set_new(j, "corrections", ids_json(c, "SELECT x.id FROM credit_correction x JOIN credit_entry e ON e.id = x.entry_id"
                                                      " WHERE e.case_id = ? ORDER BY x.id", id, r_correction, u));
    zx_reply_json(r, 200, j);
}

/* ---- decisions ------------------------------------------------------------------------------------ */

static void gate_dry(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    json_t *gate = NULL;
    if (zx_cd_propose(&a, zx_db(r), b, true, &gate, &err) < 0) zx_cd_reply_err(r, &err);
    else zx_reply_json(r, 200, gate);
}

static void decision_create(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    int64_t id = zx_cd_propose(&a, c, b, false, NULL, &err);
    if (id > 0 && zx_credit_approval_submit(r, c, id) != 0) { /* to the 院长's approval inbox */
        zx_cd_err_set(&err, 500, "DB_ERROR", "提交审批失败");
        id = -1;
    }
    finish(r, c, id, &err, 201, r_decision, id, true);
}

static void decision_get(zx_req *r)
{
    int64_t id, court;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "decision", id, ZX_CASE_READ, &court)) return;
    json_t *j = zx_cd_decision_json(zx_db(r), id, may_unmask(r, court));
    if (j) zx_reply_json(r, 200, j);
    else zx_reply_error(r, 404, "NOT_FOUND", "决定不存在");
}

static void decision_step(zx_req *r, const char *step)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "decision", id, ZX_CASE_WRITE, NULL)) return;
    json_t *b = r->body_len ? zx_body_json(r) : NULL;
    if (r->body_len && !b) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    int rc = zx_cd_step(&a, c, id, step, b, &err);
    if (rc >= 0 && zx_credit_approval_step(r, c, id, step, json_string_value(json_object_get(b, "reason"))) != 0) {
        zx_cd_err_set(&err, 500, "DB_ERROR", "更新审批事项失败"); /* the inbox item follows the decision */
        rc = -1;
    }
    finish(r, c, rc, &err, 200, r_decision, id, true);
}
static void decision_approve(zx_req *r) { decision_step(r, "approve"); }
static void decision_reject(zx_req *r) { decision_step(r, "reject"); }
static void decision_withdraw(zx_req *r) { decision_step(r, "withdraw"); }
static void decision_serve(zx_req *r) { decision_step(r, "serve"); }

/* ---- entries -------------------------------------------------------------------------------------- */

static bool court_param(zx_req *r, int64_t *court)
{
    const char *code = zx_query(r, "court");
    *court = r->who.court_id;
    if (code && *code) {
        const zx_court *ct = zx_court_by_code(code);
        if (!ct) {
            zx_reply_error(r, 400, "BAD_REQUEST", "未知法院代字");
            return false;
        }
        *court = ct->id;
    }
    if (!zx_can_see_court(&r->who, *court)) {
        zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院数据");
        return false;
    }
    return true;
}

static void entries_list(zx_req *r)
{
    db_conn *c = zx_db(r);
    const char *case_s = zx_query(r, "case_id"), *list = zx_query(r, "list"), *status = zx_query(r, "status"), *q = zx_query(r, "q");
    int64_t court;
    if (case_s && *case_s) {
        zx_cd_case k;
        if (zx_cd_case_load(c, strtoll(case_s, NULL, 10), &k)) {
            zx_reply_error(r, 404, "NOT_FOUND", "案件不存在");
            return;
        }
        if (!zx_authz_case(r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_READ)) return;
        court = k.court_id;
    } else if (!court_param(r, &court)) return;
    const zx_court *ct = zx_court_by_id(court);
    int64_t limit, offset;
    if (!zx_query_int(r, "limit", 1, 500, 50, &limit) || !zx_query_int(r, "offset", 0, 100000000, 0, &offset)) return;
    char *nn = q && *q ? zx_credit_name_norm(q) : NULL;
    static const char *where = " FROM credit_entry WHERE court_code = ? AND (CAST(? AS TEXT) IS NULL OR case_id = CAST(? AS BIGINT))"
                               " AND (CAST(? AS TEXT) IS NULL OR list = ?) AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                               " AND (CAST(? AS TEXT) IS NULL OR name_norm = ? OR " ZX_PII_IN("id_number") ")";
    char sql[1024];
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        snprintf(sql, sizeof sql, pass ? "SELECT COUNT(*)%s" : "SELECT id%s ORDER BY id DESC LIMIT ? OFFSET ?", where);
        db_stmt *s = db_prepare(c, sql);
        const char *cs = case_s && *case_s ? case_s : NULL;
        db_bind_text(s, 1, ct ? ct->code : "", -1);
        db_bind_text(s, 2, cs, -1);
        if (cs) db_bind_int64(s, 3, strtoll(cs, NULL, 10));
        else db_bind_null(s, 3);
        db_bind_text(s, 4, list && *list ? list : NULL, -1);
        db_bind_text(s, 5, list && *list ? list : NULL, -1);
        db_bind_text(s, 6, status && *status ? status : NULL, -1);
        db_bind_text(s, 7, status && *status ? status : NULL, -1);
        db_bind_text(s, 8, nn, -1);
        db_bind_text(s, 9, nn, -1);
        { /* id_number holds the blind index of the normalised number (migration 042) */
            char norm[19];
            bool idq = q && *q && zx_credit_id_normalise(q, strlen(q), zx_today(), norm) != ZX_IDK_INVALID;
            zx_pii_bind_lookup(s, 10, ZX_PII_ID_NUMBER, idq ? norm : q && *q ? q : NULL);
        }
        if (!pass) {
            db_bind_int64(s, 12, limit);
            db_bind_int64(s, 13, offset);
            int64_t ids[500];
            int n = 0;
            while (db_step(s) == DB_ROW && n < 500) ids[n++] = db_col_int64(s, 0);
            db_finalize(s);
            for (int i = 0; i < n; i++) {
                json_t *j = zx_cd_entry_json(c, ids[i], may_unmask(r, court));
                if (j) json_array_append_new(items, j);
            }
        } else {
            if (db_step(s) == DB_ROW) total = db_col_int64(s, 0);
            db_finalize(s);
        }
    }
    free(nn);
    zx_reply_json(r, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
}

static void entry_get(zx_req *r)
{
    int64_t id, court;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "entry", id, ZX_CASE_READ, &court)) return;
    json_t *j = zx_cd_entry_json(zx_db(r), id, may_unmask(r, court));
    if (j) zx_reply_json(r, 200, j);
    else zx_reply_error(r, 404, "NOT_FOUND", "名单信息不存在");
}

typedef int (*entry_op)(const zx_cd_actor *, db_conn *, int64_t, json_t *, zx_cd_err *);
typedef int64_t (*entry_op64)(const zx_cd_actor *, db_conn *, int64_t, json_t *, zx_cd_err *);

static void entry_write(zx_req *r, entry_op op, entry_op64 op64, json_t *(*render)(db_conn *, int64_t, bool))
{
    int64_t id;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "entry", id, ZX_CASE_WRITE, NULL)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    if (op) finish(r, c, op(&a, c, id, b, &err), &err, 200, r_entry, id, true);
    else {
        int64_t nid = op64(&a, c, id, b, &err);
        finish(r, c, nid, &err, 201, render, nid, true);
    }
}
static void entry_extend(zx_req *r) { entry_write(r, zx_cd_extend, NULL, NULL); }
static void entry_revoke(zx_req *r) { entry_write(r, zx_cd_revoke, NULL, NULL); }
static void entry_correct(zx_req *r) { entry_write(r, zx_cd_correct, NULL, NULL); }
static void entry_lift(zx_req *r) { entry_write(r, zx_cd_lift, NULL, NULL); }
static void entry_deletion(zx_req *r) { entry_write(r, NULL, zx_cd_deletion, r_deletion); }
static void entry_permit(zx_req *r) { entry_write(r, NULL, zx_cd_permit_add, r_permit); }
static void entry_correction(zx_req *r) { entry_write(r, NULL, zx_cd_correction_add, r_correction); }

static void deletion_execute(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "deletion", id, ZX_CASE_WRITE, NULL)) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    finish(r, c, zx_cd_deletion_execute(&a, c, id, &err), &err, 200, r_deletion, id, true);
}

static void permit_revoke(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "permit", id, ZX_CASE_WRITE, NULL)) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    finish(r, c, zx_cd_permit_revoke(&a, c, id, &err), &err, 200, r_permit, id, true);
}

static void correction_step(zx_req *r, const char *step)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id) || !authz_object(r, "correction", id, ZX_CASE_WRITE, NULL)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    db_conn *c = zx_db(r);
    if (!begin(r, c)) return;
    zx_cd_actor a = actor(r);
    zx_cd_err err = { 0 };
    finish(r, c, zx_cd_correction_step(&a, c, id, step, b, &err), &err, 200, r_correction, id, true);
}
static void correction_decide(zx_req *r) { correction_step(r, "decide"); }
static void correction_reconsider(zx_req *r) { correction_step(r, "reconsider"); }
static void correction_reconsider_decide(zx_req *r) { correction_step(r, "reconsider-decide"); }

/* ---- work lists ----------------------------------------------------------------------------------- */

static json_t *list_ids(db_conn *c, const char *sql, int64_t court, const char *t1, const char *t2,
                        json_t *(*render)(db_conn *, int64_t, bool), bool u)
{
    json_t *arr = json_array();
    int64_t ids[200];
    int n = 0;
    db_stmt *s = db_prepare(c, sql);
    if (!s) return arr;
    db_bind_int64(s, 1, court);
    if (t1) db_bind_text(s, 2, t1, -1);
    if (t2) db_bind_text(s, 3, t2, -1);
    while (db_step(s) == DB_ROW && n < 200) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *j = render(c, ids[i], u);
        if (j) json_array_append_new(arr, j);
    }
    return arr;
}

static const char *day_str(zx_req *r, zx_date d)
{
    char *b = zx_alloc(r, 11);
    zx_date_format(d, b);
    return b;
}

#define SQL_GRACE "SELECT id FROM credit_entry WHERE court_id = ? AND status = 'grace' AND publish_on > ? AND publish_on <= ? ORDER BY publish_on"
#define SQL_DEL_DUE "SELECT id FROM credit_deletion WHERE court_id = ? AND status = 'due' AND due_on >= ? ORDER BY due_on"
#define SQL_DEL_OVER "SELECT id FROM credit_deletion WHERE court_id = ? AND status = 'due' AND due_on < ? ORDER BY due_on"
#define SQL_DEL_ALL "SELECT id FROM credit_deletion WHERE court_id = ? ORDER BY due_on DESC"
#define SQL_CORR "SELECT id FROM credit_correction WHERE court_id = ? AND (status IN ('pending','reconsidering')" \
                 " OR (status IN ('upheld','reconsider_upheld') AND fixed_on IS NULL)) ORDER BY received_on"
#define SQL_DEC "SELECT id FROM credit_decision WHERE court_id = ? AND status = ? ORDER BY id"
#define SQL_DEC2 "SELECT id FROM credit_decision WHERE court_id = ? AND status IN (?, ?) ORDER BY id"
#define SQL_TERM "SELECT id FROM credit_entry WHERE court_id = ? AND list = 'dishonest' AND status IN ('grace','active')" \
                 " AND term_end IS NOT NULL AND term_end >= ? AND term_end <= ? ORDER BY term_end"

static void worklist(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    db_conn *c = zx_db(r);
    bool u = may_unmask(r, court);
    zx_date today = zx_today();
    const char *t = day_str(r, today), *t14 = day_str(r, today + 14), *t30 = day_str(r, today + 30);
    json_t *j = json_object();
    json_object_set_new(j, "pending_approval", list_ids(c, SQL_DEC2, court, "proposed", "served", r_decision, u));
    json_object_set_new(j, "pending_service", list_ids(c, SQL_DEC, court, "approved", NULL, r_decision, u));
    json_object_set_new(j, "grace_ending", list_ids(c, SQL_GRACE, court, t, t14, r_entry, u));
    json_object_set_new(j, "deletions_due", list_ids(c, SQL_DEL_DUE, court, t, NULL, r_deletion, u));
    json_object_set_new(j, "deletions_overdue", list_ids(c, SQL_DEL_OVER, court, t, NULL, r_deletion, u));
    json_object_set_new(j, "corrections_due", list_ids(c, SQL_CORR, court, NULL, NULL, r_correction, u));
    json_object_set_new(j, "term_expiring", list_ids(c, SQL_TERM, court, t, t30, r_entry, u));
    zx_reply_json(r, 200, j);
}

static void wl_grace(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    int64_t days;
    if (!zx_query_int(r, "days", 0, 400, 14, &days)) return;
    zx_date today = zx_today();
    zx_reply_json(r, 200, json_pack("{s:o}", "items", list_ids(zx_db(r), SQL_GRACE, court, day_str(r, today) /* publish_on > today */,
                                                               day_str(r, today + days), r_entry, may_unmask(r, court))));
}

static void wl_deletions(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    const char *state = zx_query(r, "state");
    const char *t = day_str(r, zx_today());
    bool all = state && !strcmp(state, "all");
    const char *sql = all ? SQL_DEL_ALL : state && !strcmp(state, "overdue") ? SQL_DEL_OVER : SQL_DEL_DUE;
    zx_reply_json(r, 200, json_pack("{s:o}", "items", list_ids(zx_db(r), sql, court, all ? NULL : t, NULL, r_deletion, false)));
}

static void wl_corrections(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    zx_reply_json(r, 200, json_pack("{s:o}", "items", list_ids(zx_db(r), SQL_CORR, court, NULL, NULL, r_correction, false)));
}

static void wl_decisions(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    const char *st = zx_query(r, "status");
    if (!st || (strcmp(st, "proposed") && strcmp(st, "approved") && strcmp(st, "served") && strcmp(st, "effective") &&
                strcmp(st, "rejected") && strcmp(st, "withdrawn")))
        st = "proposed";
    zx_reply_json(r, 200, json_pack("{s:o}", "items", list_ids(zx_db(r), SQL_DEC, court, st, NULL, r_decision, may_unmask(r, court))));
}

/* ---- credit repair settings ----------------------------------------------------------------------- */

/* Local rules of one court (?court=CODE, default the caller's): its own, else inherited from the
 * nearest ancestor, else the default; "inherited_from" names the court whose rules apply. Only that
 * court's chief changes them (account/court_setting.h, issue 10 item 2). */
static void repair_reply(zx_req *r, int64_t court)
{
    zx_repair_rules rr;
    zx_cd_repair_rules(zx_db(r), court, &rr);
    int64_t from = 0;
    free(zx_court_setting_get(zx_db(r), court, "credit.repair", &from));
    const zx_court *ct = court ? zx_court_by_id(court) : NULL, *fr = from ? zx_court_by_id(from) : NULL;
    zx_reply_json(r, 200, json_pack("{s:b,s:i,s:i,s:b,s:s,s:s?,s:s?}", "enabled", rr.enabled, "early_deletion_after_months", rr.after_months,
                                    "min_performed_percent", rr.min_percent, "require_full_performance", rr.require_full, "note",
                                    "信用修复为本院地方规则（失信规定 art 2 para 2；法发〔2019〕35号）", "court", ct ? ct->code : NULL,
                                    "inherited_from", fr ? fr->code : NULL));
}

static void repair_get(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0) return;
    repair_reply(r, court);
}

static void repair_put(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0 || !zx_court_setting_may_change(r, court)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *m = json_object_get(b, "early_deletion_after_months"), *p = json_object_get(b, "min_performed_percent");
    if (!json_is_boolean(json_object_get(b, "enabled")) || !json_is_integer(m) || json_integer_value(m) < 0 ||
        json_integer_value(m) > 60 || !json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 100) {
        zx_reply_error(r, 400, "VALIDATION_FAILED", "enabled（布尔）、early_deletion_after_months（0–60）、min_performed_percent（0–100）必填");
        return;
    }
    json_t *v = json_pack("{s:b,s:I,s:I,s:b,s:s}", "enabled", json_is_true(json_object_get(b, "enabled")), "early_deletion_after_months",
                          json_integer_value(m), "min_performed_percent", json_integer_value(p), "require_full_performance",
                          json_is_true(json_object_get(b, "require_full_performance")), "note",
                          json_string_value(json_object_get(b, "note")) ? json_string_value(json_object_get(b, "note")) : "本院信用修复规则（地方规则）");
    char *txt = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    db_conn *c = zx_db(r);
    if (!begin(r, c)) {
        free(txt);
        return;
    }
    int rc = zx_court_setting_put(c, court, "credit.repair", txt, r->who.username) ? DB_ERROR : DB_DONE;
    if (rc != DB_DONE || zx_audit_req(r, c, "credit.repair_settings", "setting", court, "ok", txt) || db_commit(c)) {
        db_rollback(c);
        free(txt);
        zx_reply_error(r, 500, "INTERNAL", "保存失败");
        return;
    }
    free(txt);
    repair_reply(r, court);
}

/* ---- 特殊主体 -------------------------------------------------------------------------------------- */

static void special_import(zx_req *r)
{
    json_t *items = NULL, *owned = NULL;
    const char *ct = zx_header(r, "content-type");
    if (ct && strstr(ct, "text/csv")) {
        owned = items = zx_special_csv_parse(r->body, r->body_len);
        if (!items) {
            zx_reply_error(r, 400, "BAD_CSV", "CSV 须有表头 name,id_number,category,employer,note");
            return;
        }
    } else {
        json_t *b = json_loadb(r->body ? r->body : "", r->body_len, 0, NULL);
        if (!b || !json_is_array(json_object_get(b, "items"))) {
            json_decref(b);
            zx_reply_error(r, 400, "BAD_JSON", "请求体须为 {\"items\":[…]} 或 text/csv");
            return;
        }
        items = json_incref(json_object_get(b, "items"));
        json_decref(b);
        owned = items;
    }
    db_conn *c = zx_db(r);
    if (!begin(r, c)) {
        json_decref(owned);
        return;
    }
    json_t *errors = json_array();
    int imp = 0, upd = 0;
    int rc = zx_special_import(c, items, r->who.user_id, r->who.court_id, &imp, &upd, errors); /* the caller's court's roster */
    char detail[96];
    snprintf(detail, sizeof detail, "{\"imported\":%d,\"updated\":%d,\"errors\":%zu}", imp, upd, json_array_size(errors));
    json_decref(owned);
    if (rc || zx_audit_req(r, c, "credit.special.import", "special_subject", 0, "ok", detail) || db_commit(c)) {
        db_rollback(c);
        json_decref(errors);
        zx_reply_error(r, 500, "INTERNAL", "导入失败");
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:i,s:i,s:o}", "imported", imp, "updated", upd, "errors", errors));
}

static void special_list(zx_req *r)
{
    int64_t limit, offset;
    if (!zx_query_int(r, "limit", 1, 1000, 100, &limit) || !zx_query_int(r, "offset", 0, 100000000, 0, &offset)) return;
    const char *cat = zx_query(r, "category");
    /* the rosters of the courts the caller can see: their own and those below (issue 10 item 3) */
    int64_t ids[512];
    int n = zx_court_subtree(r->who.court_id, ids, 512), k = 0;
    for (int i = 0; i < n; i++)
        if (zx_can_see_court(&r->who, ids[i])) ids[k++] = ids[i];
    json_t *j = zx_special_list(zx_db(r), zx_query(r, "q"), cat && *cat ? cat : NULL, (int)limit, (int)offset, ids, k);
    zx_audit_req_tx(r, "credit.special.read", "special_subject", 0, "ok", "{\"what\":\"roster\"}");
    zx_reply_json(r, 200, j);
}

static void special_matches(zx_req *r)
{
    int64_t court;
    if (!court_param(r, &court)) return;
    int64_t ids[512];
    int n = zx_court_subtree(court, ids, 512);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (zx_can_see_court(&r->who, ids[i])) ids[k++] = ids[i];
    json_t *items = zx_special_matches(zx_db(r), ids, k ? k : 1);
    char detail[64];
    snprintf(detail, sizeof detail, "{\"what\":\"matches\",\"count\":%zu}", json_array_size(items));
    if (zx_audit_req_tx(r, "credit.special.read", "special_subject", 0, "ok", detail)) {
        json_decref(items);
        zx_reply_error(r, 500, "INTERNAL", "审计记录失败");
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static void special_delete(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    /* only a roster entry of a court the caller can see (issue 10 item 3); others do not exist for them */
    db_stmt *q = db_prepare(c, "SELECT court_id FROM special_subject WHERE id = ?");
    db_bind_int64(q, 1, id);
    int64_t owner = db_step(q) == DB_ROW ? db_col_int64(q, 0) : 0;
    db_finalize(q);
    if (!owner || !zx_can_see_court(&r->who, owner)) {
        zx_reply_error(r, 404, "NOT_FOUND", "名册中无此记录");
        return;
    }
    if (!begin(r, c)) return;
    db_stmt *s = db_prepare(c, "DELETE FROM special_subject WHERE id = ?");
    db_bind_int64(s, 1, id);
    db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (n != 1) {
        db_rollback(c);
        zx_reply_error(r, 404, "NOT_FOUND", "名册中无此记录");
        return;
    }
    if (zx_audit_req(r, c, "credit.special.delete", "special_subject", id, "ok", NULL) || db_commit(c)) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "删除失败");
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:b}", "deleted", 1));
}

#define W (ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CLERK | ROLE_CHIEF)
static const struct zx_route credit_staff_routes[] = {
    { "GET", "/api/v1/credit/meta", credit_meta, ZX_R_USER, ROLE_BUSINESS, NULL, "失信/限消：枚举与规则参数" },
    { "GET", "/api/v1/credit/cases/:id", credit_case, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "案件的失信/限消状态" },
    { "POST", "/api/v1/credit/gate", gate_dry, ZX_R_USER, W, NULL, "失信/限消条件预检（不保存）" },
    { "POST", "/api/v1/credit/decisions", decision_create, ZX_R_USER, W, NULL, "提出纳入失信/限制消费决定" },
    { "GET", "/api/v1/credit/decisions/:id", decision_get, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "决定详情" },
    { "POST", "/api/v1/credit/decisions/:id/approve", decision_approve, ZX_R_USER, ROLE_CHIEF, NULL, "院长签发" },
    { "POST", "/api/v1/credit/decisions/:id/reject", decision_reject, ZX_R_USER, ROLE_CHIEF, NULL, "院长不予签发" },
    { "POST", "/api/v1/credit/decisions/:id/withdraw", decision_withdraw, ZX_R_USER, W, NULL, "撤回决定（生效前）" },
    { "POST", "/api/v1/credit/decisions/:id/serve", decision_serve, ZX_R_USER, W, NULL, "记录送达" },
    { "GET", "/api/v1/credit/entries", entries_list, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "名单信息列表" },
    { "GET", "/api/v1/credit/entries/:id", entry_get, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "名单信息详情" },
    { "POST", "/api/v1/credit/entries/:id/extend", entry_extend, ZX_R_USER, ROLE_CHIEF, NULL, "延长失信期限" },
    { "POST", "/api/v1/credit/entries/:id/deletion", entry_deletion, ZX_R_USER, W, NULL, "登记删除事由（可立即删除）" },
    { "POST", "/api/v1/credit/entries/:id/revoke", entry_revoke, ZX_R_USER, W, NULL, "撤销失信/限消信息" },
    { "POST", "/api/v1/credit/entries/:id/correct", entry_correct, ZX_R_USER, W, NULL, "更正名单信息" },
    { "POST", "/api/v1/credit/entries/:id/lift", entry_lift, ZX_R_USER, W, NULL, "解除限制消费" },
    { "POST", "/api/v1/credit/entries/:id/permits", entry_permit, ZX_R_USER, W, NULL, "临时准许（就医、丧葬、公务、考试、个人消费）" },
    { "POST", "/api/v1/credit/entries/:id/correction-applications", entry_correction, ZX_R_USER, W, NULL, "登记纠正申请" },
    { "POST", "/api/v1/credit/deletions/:id/execute", deletion_execute, ZX_R_USER, W, NULL, "执行删除" },
    { "DELETE", "/api/v1/credit/permits/:id", permit_revoke, ZX_R_USER, W, NULL, "撤销临时准许" },
    { "POST", "/api/v1/credit/correction-applications/:id/decide", correction_decide, ZX_R_USER, W, NULL, "纠正申请审查决定" },
    { "POST", "/api/v1/credit/correction-applications/:id/reconsider", correction_reconsider, ZX_R_USER, W, NULL, "登记复议申请" },
    { "POST", "/api/v1/credit/correction-applications/:id/reconsider-decide", correction_reconsider_decide, ZX_R_USER, W | ROLE_COMMAND, NULL, "复议决定" },
    { "GET", "/api/v1/credit/worklist", worklist, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "失信/限消待办与期限" },
    { "GET", "/api/v1/credit/worklist/grace-ending", wl_grace, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "宽限期即将届满" },
    { "GET", "/api/v1/credit/worklist/deletions", wl_deletions, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "待删除/逾期删除" },
    { "GET", "/api/v1/credit/worklist/corrections", wl_corrections, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "纠正申请期限" },
    { "GET", "/api/v1/credit/worklist/decisions", wl_decisions, ZX_R_USER | ZX_R_PII_READ, ROLE_BUSINESS, NULL, "待签发/待送达决定" },
    { "GET", "/api/v1/credit/settings/repair", repair_get, ZX_R_USER, ROLE_BUSINESS, NULL, "信用修复规则（本地）" },
    { "PUT", "/api/v1/credit/settings/repair", repair_put, ZX_R_USER, ROLE_CHIEF | ROLE_SYSADMIN, NULL, "修改本院信用修复规则（本院院长；系统管理员仅全局默认）" },
    { "POST", "/api/v1/credit/special-subjects/import", special_import, ZX_R_USER | ZX_R_RAW_BODY | ZX_R_BIG_BODY, ROLE_CHIEF | ROLE_COMMAND, NULL, "导入特殊主体名册" },
    { "GET", "/api/v1/credit/special-subjects", special_list, ZX_R_USER, ROLE_CHIEF | ROLE_COMMAND, NULL, "特殊主体名册" },
    { "GET", "/api/v1/credit/special-subjects/matches", special_matches, ZX_R_USER, ROLE_CHIEF | ROLE_COMMAND | ROLE_JUDGE, NULL, "特殊主体比对结果" },
    { "DELETE", "/api/v1/credit/special-subjects/:id", special_delete, ZX_R_USER, ROLE_CHIEF | ROLE_COMMAND, NULL, "删除名册记录" },
};
ZX_ROUTES(credit_staff_routes)
