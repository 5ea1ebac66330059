/* decisions_entry.c — operations on 失信 / 限消 entries: extension (失信规定 art 2), lifting (限消规定
 * art 9), deletion with its 3-working-day deadline (art 10), 撤销 / 更正 (art 9), temporary permits
 * (法发〔2019〕35号 para 17). See decisions.h. */
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/ids.h"
#include "core/log.h"
#include "approval/approval.h"
#include "credit/decisions_internal.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"
#include "rules/restriction.h"

/* ---- entry operations ----------------------------------------------------------------------------- */

bool cd_entry_open(const struct zx_credit_entry *e)
{
    return strcmp(e->status, "grace") == 0 || strcmp(e->status, "active") == 0;
}

int cd_load_entry_case(db_conn *c, int64_t id, struct zx_credit_entry *e, zx_cd_case *k, zx_cd_err *err)
{
    int rc = zx_credit_entry_load(c, id, e);
    if (rc) {
        if (rc < 0) return cd_fail_db(err, c, "读取名单");
        zx_cd_err_set(err, 404, "NOT_FOUND", "名单信息不存在");
        return -1;
    }
    if (!e->case_id || zx_cd_case_load(c, e->case_id, k)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "该名单信息没有关联案件（历史导入），不能在此处理");
        return -1;
    }
    return 0;
}

int cd_mark_corrections_fixed(db_conn *c, int64_t entry_id)
{
    char day[11];
    zx_date_format(zx_today(), day);
    db_stmt *s = db_prepare(c, "UPDATE credit_correction SET fixed_on = ?, updated_ms = ? WHERE entry_id = ?"
                               " AND status IN ('upheld','reconsider_upheld') AND fixed_on IS NULL");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, day, -1);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, entry_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

int cd_entry_event(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, const struct zx_credit_entry *e,
                       const char *kind, const char *action, json_t *extra)
{
    json_t *ev = extra ? extra : json_object();
    json_object_set_new(ev, "entry_id", jid(e->id));
    json_object_set_new(ev, "list", json_string(e->list));
    json_object_set_new(ev, "name", json_string(e->name));
    json_object_set_new(ev, "status", json_string(e->status));
    int rc = zx_cd_case_event(c, k, actor_uid(a), kind, zx_today(), ev);
    if (!rc) rc = cd_audit(a, c, action, "credit_entry", e->id, k->court_code, ev);
    json_decref(ev);
    return rc;
}

int zx_cd_extend(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (a->r && !((a->r->who.roles & ROLE_CHIEF) && a->r->who.court_id == k.court_id)) {
        zx_cd_err_set(err, 403, "FORBIDDEN", "延长期限须由本院院长决定");
        return -1;
    }
    if (strcmp(e.list, "dishonest") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "限制消费令没有期限，不能延长");
        return -1;
    }
    int64_t cur = cd_count2(c, "SELECT extension_years FROM credit_entry WHERE id = ?", entry_id, NULL, NULL);
    bool bad = false;
    int years = (int)jint(body, "years", 0, &bad);
    const char *reason = jstr(body, "reason");
    bool reason_ok = reason && (strcmp(reason, "serious_violence") == 0 || strcmp(reason, "multiple_acts") == 0);
    zx_reason rs[MAXR];
    int n = zx_dis_extend_check(e.ground, (int)(cur < 0 ? 0 : cur), years, reason_ok, cd_entry_open(&e), rs, MAXR);
    if (n) {
        zx_cd_err_reasons(err, "EXTENSION_NOT_ALLOWED", "不能延长纳入期限", rs, n);
        return -1;
    }
    int total = (int)cur + years;
    char te[11];
    fmt(zx_dis_term_end(e.ground, pdate(e.publish_on), total), te);
    char old[11];
    cpy(old, sizeof old, e.term_end);
    cpy(e.term_end, sizeof e.term_end, te);
    if (zx_credit_entry_save(c, &e, "corrected") < 0) return cd_fail_db(err, c, "保存名单");
    db_stmt *s = db_prepare(c, "UPDATE credit_entry SET extension_years = ? WHERE id = ?");
    db_bind_int64(s, 1, total);
    db_bind_int64(s, 2, e.id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return cd_fail_db(err, c, "保存名单");
    if (cd_entry_event(a, c, &k, &e, "credit_extended", "credit.extend",
                    json_pack("{s:i,s:s,s:s,s:s}", "years", years, "reason", reason, "old_term_end", old, "term_end", te)))
        return cd_fail_db(err, c, "记录事件");
    return 0;
}

/* Lift one 限消 entry and the entries bound to it. */
int cd_lift_tree(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, int64_t root, const char *reason, zx_date on)
{
    int64_t ids[64];
    int n = 0;
    ids[n++] = root;
    db_stmt *s = db_prepare(c, "SELECT id FROM credit_entry WHERE bound_by_entry_id = ? AND status IN ('grace','active')");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, root);
    while (db_step(s) == DB_ROW && n < 64) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        struct zx_credit_entry e;
        if (zx_credit_entry_load(c, ids[i], &e) || !cd_entry_open(&e)) continue;
        cpy(e.status, sizeof e.status, "lifted");
        fmt(on, e.status_on);
        cpy(e.status_reason, sizeof e.status_reason, reason);
        if (zx_credit_entry_save(c, &e, "lifted") < 0) return DB_ERROR;
        if (i == 0 && cd_entry_event(a, c, k, &e, "restriction_lifted", "credit.lift",
                                  json_pack("{s:s,s:i}", "reason", reason, "entries", n)))
            return DB_ERROR;
    }
    return 0;
}

bool cd_dishonest_open(db_conn *c, int64_t case_id, const char *id_number)
{
    return cd_count_id(c, "SELECT COUNT(*) FROM credit_entry WHERE case_id = ? AND " ZX_PII_IN("id_number") " AND list = ?"
                       " AND status IN ('grace','active')",
                       case_id, id_number, "dishonest") > 0;
}

int zx_cd_lift(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (strcmp(e.list, "restricted") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "失信信息应删除、撤销而不是解除；请使用删除");
        return -1;
    }
    const char *reason = jstr(body, "reason");
    bool bad = false;
    zx_date on = jdate(body, "on", zx_today(), &bad);
    /* The debtor of this order: the unit (root) or the bound person's unit. */
    char debtor_id[20];
    cpy(debtor_id, sizeof debtor_id, e.id_number);
    if (e.bound_by_entry_id) {
        struct zx_credit_entry u;
        if (zx_credit_entry_load(c, e.bound_by_entry_id, &u) == 0) cpy(debtor_id, sizeof debtor_id, u.id_number);
    }
    zx_reason rs[MAXR];
    int n = zx_restr_lift_check(reason, cd_dishonest_open(c, k.id, debtor_id), cd_entry_open(&e), rs, MAXR);
    if (n) {
        zx_cd_err_reasons(err, "LIFT_NOT_ALLOWED", "不能解除限制消费", rs, n);
        return -1;
    }
    if (cd_lift_tree(a, c, &k, e.id, reason, on)) return cd_fail_db(err, c, "解除限消");
    if (cd_mark_corrections_fixed(c, e.id)) return cd_fail_db(err, c, "更新纠正申请");
    return 0;
}

int64_t cd_deletion_insert(db_conn *c, const struct zx_credit_entry *e, int64_t court_id, const char *trigger,
                               zx_date trigger_on, const char *note, int64_t uid)
{
    int64_t id = zx_id_new();
    char t[11], due[11];
    fmt(trigger_on, t);
    fmt(zx_dis_deletion_due(trigger_on), due); /* 失信规定 art 10: 3 working days */
    db_stmt *s = db_prepare(c, "INSERT INTO credit_deletion (id, entry_id, case_id, court_id, id_number, trigger_code,"
                               " trigger_on, due_on, status, note, created_by, created_ms, id_number_enc)"
                               " VALUES (?,?,?,?,?,?,?,?,'due',?,?,?,?)");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e->id);
    if (e->case_id) db_bind_int64(s, 3, e->case_id);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, court_id);
    zx_pii_bind_index(s, 5, ZX_PII_ID_NUMBER, e->id_number); /* blind index + sealed (migration 042) */
    zx_pii_bind(s, 12, ZX_PII_ID_NUMBER, e->id_number);
    db_bind_text(s, 6, trigger, -1);
    db_bind_text(s, 7, t, -1);
    db_bind_text(s, 8, due, -1);
    db_bind_text(s, 9, note, -1);
    db_bind_int64(s, 10, uid);
    db_bind_int64(s, 11, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? id : DB_ERROR;
}

int64_t zx_cd_deletion(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (strcmp(e.list, "dishonest") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "限制消费令请使用解除（限消规定 art 9）");
        return -1;
    }
    if (!cd_entry_open(&e)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "失信信息已删除或撤销");
        return -1;
    }
    const char *trigger = jstr(body, "trigger");
    const zx_dis_trigger *t = zx_dis_trigger_get(trigger);
    bool bad = false;
    zx_date on = jdate(body, "trigger_on", zx_today(), &bad);
    if (!t || bad || on > zx_today()) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "删除事由或事由发生日期无效");
        return -1;
    }
    /* 失信规定 art 10(7) needs the case terminated by ruling: not an open case, nor one the court closed by
     * 终结执行 because it moved to another court (提级 / 指定执行: the enforcement goes on there and the
     * entry went with it, src/credit/transfer.c) */
    if (strcmp(trigger, "termination") == 0 &&
        cd_count2(c, "SELECT COUNT(*) FROM enf_case WHERE id = ? AND status = 'closed' AND closure_mode = 'termination'"
                     " AND COALESCE(closure_reason, '') NOT IN ('elevated', 'designated')", k.id, NULL, NULL) <= 0) {
        zx_cd_err_set(err, 409, "TRIGGER_NOT_MET", "本案并未裁定终结执行（移送其他法院执行的案件仍在执行），不能以终结执行为由删除");
        return -1;
    }
    if (cd_count2(c, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = ? AND status = 'due'", entry_id, NULL, NULL) > 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "已有待执行的删除事由");
        return -1;
    }
    if (strcmp(trigger, "credit_repair") == 0) {
        zx_repair_rules rr;
        zx_cd_repair_rules(c, k.court_id, &rr);
        zx_reason rs[MAXR];
        int n = zx_dis_repair_check(&rr, pdate(e.publish_on), zx_today(), k.recovered_fen, k.claim_fen, rs, MAXR);
        if (n) {
            zx_cd_err_reasons(err, "REPAIR_NOT_ALLOWED", "不符合本院信用修复规则", rs, n);
            return -1;
        }
    }
    int64_t id = cd_deletion_insert(c, &e, k.court_id, trigger, on, jstr(body, "note"), actor_uid(a));
    if (id < 0) return cd_fail_db(err, c, "保存删除事由");
    char due[11];
    fmt(zx_dis_deletion_due(on), due);
    if (cd_entry_event(a, c, &k, &e, "credit_deletion_due", "credit.deletion_trigger",
                    json_pack("{s:o,s:s,s:s,s:s}", "deletion_id", jid(id), "trigger", trigger, "article", t->article, "due_on", due)))
        return cd_fail_db(err, c, "记录事件");
    if (jbool(body, "execute") && zx_cd_deletion_execute(a, c, id, err)) return -1;
    return id;
}

int zx_cd_deletion_execute(const zx_cd_actor *a, db_conn *c, int64_t deletion_id, zx_cd_err *err)
{
    db_stmt *s = db_prepare(c, "SELECT entry_id, trigger_code, status FROM credit_deletion WHERE id = ?");
    if (!s) return cd_fail_db(err, c, "读取删除事由");
    db_bind_int64(s, 1, deletion_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        zx_cd_err_set(err, 404, "NOT_FOUND", "删除事由不存在");
        return -1;
    }
    int64_t entry_id = db_col_int64(s, 0);
    char trigger[40], st[12];
    cpy(trigger, sizeof trigger, db_col_text(s, 1));
    cpy(st, sizeof st, db_col_text(s, 2));
    db_finalize(s);
    if (strcmp(st, "due") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "删除已执行");
        return -1;
    }
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    zx_date today = zx_today();
    char day[11];
    fmt(today, day);
    if (cd_entry_open(&e)) {
        cpy(e.status, sizeof e.status, "deleted");
        cpy(e.status_on, sizeof e.status_on, day);
        cpy(e.status_reason, sizeof e.status_reason, trigger);
        if (zx_credit_entry_save(c, &e, "deleted") < 0) return cd_fail_db(err, c, "删除名单");
    }
    s = db_prepare(c, "UPDATE credit_deletion SET status = 'done', done_on = ?, done_by = ? WHERE id = ?");
    db_bind_text(s, 1, day, -1);
    db_bind_int64(s, 2, actor_uid(a));
    db_bind_int64(s, 3, deletion_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || cd_mark_corrections_fixed(c, e.id)) return cd_fail_db(err, c, "更新删除事由");
    if (cd_entry_event(a, c, &k, &e, "credit_deleted", "credit.delete", json_pack("{s:o,s:s}", "deletion_id", jid(deletion_id), "trigger", trigger)))
        return cd_fail_db(err, c, "记录事件");
    /* Performance / end of the case also ends the 限消 order (限消规定 art 9: must lift on full performance). */
    static const char *ends[] = { "full_performance", "settlement_performed", "termination", "non_enforcement" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(trigger, ends[i]) != 0) continue;
        int64_t roots[16];
        int n = 0;
        s = db_prepare(c, "SELECT id FROM credit_entry WHERE case_id = ? AND " ZX_PII_IN("id_number") " AND list = 'restricted'"
                          " AND bound_by_entry_id IS NULL AND status IN ('grace','active')");
        db_bind_int64(s, 1, k.id);
        zx_pii_bind_lookup(s, 2, ZX_PII_ID_NUMBER, e.id_number);
        while (db_step(s) == DB_ROW && n < 16) roots[n++] = db_col_int64(s, 0);
        db_finalize(s);
        for (int j = 0; j < n; j++)
            if (cd_lift_tree(a, c, &k, roots[j], i < 2 ? "full_performance" : trigger, today)) return cd_fail_db(err, c, "解除限消");
    }
    return 0;
}

int zx_cd_revoke(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *reason = jstr(body, "reason");
    bool bad = false;
    zx_date found = jdate(body, "found_on", zx_today(), &bad);
    if (!reason || bad || found > zx_today()) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写撤销理由和发现日期");
        return -1;
    }
    if (!cd_entry_open(&e)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "名单信息已删除、解除或撤销");
        return -1;
    }
    int64_t decision_id = cd_count2(c, "SELECT COALESCE(decision_id, 0) FROM credit_entry WHERE id = ?", e.id, NULL, NULL);
    /* the entry, its bound persons and (for 失信) the 限消 order created with it */
    int64_t ids[64];
    int n = 0;
    ids[n++] = e.id;
    db_stmt *s = db_prepare(c, "SELECT id FROM credit_entry WHERE status IN ('grace','active') AND (bound_by_entry_id = ?"
                               " OR decision_id IN (SELECT id FROM credit_decision WHERE auto_from_id = ? AND auto_from_id <> 0))");
    db_bind_int64(s, 1, e.id);
    db_bind_int64(s, 2, decision_id);
    while (db_step(s) == DB_ROW && n < 64) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    char day[11], fd[11], due[11];
    fmt(zx_today(), day);
    fmt(found, fd);
    fmt(zx_dis_fix_due(found), due); /* 失信规定 art 9: 3 working days */
    for (int i = 0; i < n; i++) {
        struct zx_credit_entry x;
        if (zx_credit_entry_load(c, ids[i], &x) || !cd_entry_open(&x)) continue;
        cpy(x.status, sizeof x.status, "revoked");
        cpy(x.status_on, sizeof x.status_on, day);
        cpy(x.status_reason, sizeof x.status_reason, reason);
        if (zx_credit_entry_save(c, &x, "revoked") < 0) return cd_fail_db(err, c, "撤销名单");
        s = db_prepare(c, "INSERT INTO credit_fix (id, entry_id, court_id, kind, found_on, due_on, done_on, reason, user_id,"
                          " created_ms) VALUES (?,?,?,'revoke',?,?,?,?,?,?)");
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, x.id);
        db_bind_int64(s, 3, k.court_id);
        db_bind_text(s, 4, fd, -1);
        db_bind_text(s, 5, due, -1);
        db_bind_text(s, 6, day, -1);
        db_bind_text(s, 7, reason, -1);
        db_bind_int64(s, 8, actor_uid(a));
        db_bind_int64(s, 9, zx_now_ms());
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE || cd_mark_corrections_fixed(c, x.id)) return cd_fail_db(err, c, "记录撤销");
    }
    if (cd_entry_event(a, c, &k, &e, "credit_revoked", "credit.revoke",
                    json_pack("{s:s,s:s,s:s,s:i}", "reason", reason, "found_on", fd, "due_on", due, "entries", n)))
        return cd_fail_db(err, c, "记录事件");
    return 0;
}

int zx_cd_correct(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *reason = jstr(body, "reason");
    bool bad = false;
    zx_date found = jdate(body, "found_on", zx_today(), &bad);
    json_t *ch = json_object_get(body, "changes");
    if (!reason || bad || !json_is_object(ch) || !json_object_size(ch)) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写更正内容（changes）、理由和发现日期");
        return -1;
    }
    if (!cd_entry_open(&e)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "名单信息已删除、解除或撤销");
        return -1;
    }
    struct { const char *k; char *p; size_t n; } f[] = {
        { "name", e.name, sizeof e.name }, { "id_number", e.id_number, sizeof e.id_number },
        { "conduct", e.conduct, sizeof e.conduct }, { "obligation", e.obligation, sizeof e.obligation },
        { "performance", e.performance, sizeof e.performance }, { "legal_rep", e.legal_rep, sizeof e.legal_rep },
        { "basis_doc_no", e.basis_doc_no, sizeof e.basis_doc_no }, { "basis_issuer", e.basis_issuer, sizeof e.basis_issuer },
    };
    json_t *diff = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(ch, key, v) {
        size_t i;
        for (i = 0; i < sizeof f / sizeof f[0]; i++)
            if (strcmp(f[i].k, key) == 0) break;
        if (i == sizeof f / sizeof f[0] || !json_is_string(v) || strlen(json_string_value(v)) >= f[i].n) {
            json_decref(diff);
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "不能更正的字段或取值无效：%s", key);
            return -1;
        }
        json_object_set_new(diff, key, json_pack("[s,s]", f[i].p, json_string_value(v)));
        cpy(f[i].p, f[i].n, json_string_value(v));
        if (strcmp(key, "id_number") == 0) e.sex[0] = e.birth_date[0] = 0;
    }
    int64_t seq = zx_credit_entry_save(c, &e, "corrected");
    if (seq == ZX_CREDIT_EBADID) {
        json_decref(diff);
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "更正后的证件号码无效");
        return -1;
    }
    if (seq < 0) {
        json_decref(diff);
        return cd_fail_db(err, c, "更正名单");
    }
    char day[11], fd[11], due[11];
    fmt(zx_today(), day);
    fmt(found, fd);
    fmt(zx_dis_fix_due(found), due); /* 失信规定 art 9: 3 working days */
    char *d = json_dumps(diff, JSON_COMPACT);
    db_stmt *s = db_prepare(c, "INSERT INTO credit_fix (id, entry_id, court_id, kind, found_on, due_on, done_on, reason, changes,"
                               " user_id, created_ms) VALUES (?,?,?,'correct',?,?,?,?,?,?,?)");
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, e.id);
    db_bind_int64(s, 3, k.court_id);
    db_bind_text(s, 4, fd, -1);
    db_bind_text(s, 5, due, -1);
    db_bind_text(s, 6, day, -1);
    db_bind_text(s, 7, reason, -1);
    db_bind_text(s, 8, d, -1);
    db_bind_int64(s, 9, actor_uid(a));
    db_bind_int64(s, 10, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    free(d);
    if (rc != DB_DONE || cd_mark_corrections_fixed(c, e.id)) {
        json_decref(diff);
        return cd_fail_db(err, c, "记录更正");
    }
    if (cd_entry_event(a, c, &k, &e, "credit_corrected", "credit.correct",
                    json_pack("{s:s,s:o,s:s}", "reason", reason, "changes", diff, "due_on", due)))
        return cd_fail_db(err, c, "记录事件");
    return 0;
}

/* Rewrite the permission window (the current or next active one) on every open entry of this debtor
 * in this case, so the snapshot honours it (permit_categories/from/to). */
int cd_refresh_window(const zx_cd_actor *a, db_conn *c, int64_t case_id, const char *id_number, zx_date today)
{
    char day[11];
    fmt(today, day);
    char cats[256] = "", from[11] = "", to[11] = "";
    db_stmt *s = db_prepare(c, "SELECT p.categories, p.from_on, p.to_on FROM credit_permit p JOIN credit_entry e ON e.id = p.entry_id"
                               " WHERE e.case_id = ? AND " ZX_PII_IN("e.id_number") " AND p.status = 'active' AND p.pending = 0"
                               " AND p.to_on >= ? ORDER BY p.from_on, p.id LIMIT 1");
    if (!s) return DB_ERROR;
    /* id_number: the plain number (opened by the sweep) */
    db_bind_int64(s, 1, case_id);
    cd_bind_idx(s, 2, id_number);
    db_bind_text(s, 4, day, -1);
    if (db_step(s) == DB_ROW) {
        cpy(cats, sizeof cats, db_col_text(s, 0));
        cpy(from, sizeof from, db_col_text(s, 1));
        cpy(to, sizeof to, db_col_text(s, 2));
    }
    db_finalize(s);
    int64_t ids[32];
    int n = 0;
    s = db_prepare(c, "SELECT id FROM credit_entry WHERE case_id = ? AND " ZX_PII_IN("id_number") " AND status IN ('grace','active')");
    db_bind_int64(s, 1, case_id);
    cd_bind_idx(s, 2, id_number);
    while (db_step(s) == DB_ROW && n < 32) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        struct zx_credit_entry e;
        if (zx_credit_entry_load(c, ids[i], &e)) continue;
        if (!strcmp(e.permit_categories, cats) && !strcmp(e.permit_from, from) && !strcmp(e.permit_to, to)) continue;
        cpy(e.permit_categories, sizeof e.permit_categories, cats);
        cpy(e.permit_from, sizeof e.permit_from, from);
        cpy(e.permit_to, sizeof e.permit_to, to);
        if (zx_credit_entry_save(c, &e, "corrected") < 0) return DB_ERROR;
    }
    (void)a;
    return n;
}

int64_t zx_cd_permit_add(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *kind = jstr(body, "kind");
    char cats[256];
    int mask = jcats(body, "categories", cats, sizeof cats);
    if (!json_object_get(body, "categories")) mask = 0;
    if (mask == ZX_CAT_ALL) zx_credit_cat_format(ZX_CAT_ALL, cats, sizeof cats);
    bool bad = false;
    zx_date today = zx_today();
    zx_date from = jdate(body, "from", ZX_DATE_NONE, &bad), to = jdate(body, "to", ZX_DATE_NONE, &bad);
    const char *reason = jstr(body, "reason");
    zx_reason rs[MAXR];
    int n = zx_restr_permit_check(kind, mask, from, to, e.bound_role[0] != 0, cd_entry_open(&e), today, rs, MAXR);
    if (!reason && n < MAXR) rs[n++] = (zx_reason){ "REASON_REQUIRED", "法发〔2019〕35号 para 17", "请填写申请事由" };
    if (n) {
        zx_cd_err_reasons(err, "PERMIT_NOT_ALLOWED", "不能准许", rs, n);
        return -1;
    }
    /* 法发〔2019〕35号 para 17(3): the flight / high-speed-rail permit needs the 院长's approval — a
     * judge's request waits in the approval inbox; the court's 院长 grants it at once. */
    const zx_restr_permit_kind *pk = zx_restr_permit_kind_get(kind);
    bool chief = !a->r || ((a->r->who.roles & ROLE_CHIEF) && a->r->who.court_id == k.court_id);
    bool pending = pk->chief_approval && !chief;
    int64_t id = zx_id_new();
    char f[11], t[11];
    fmt(from, f);
    fmt(to, t);
    db_stmt *s = db_prepare(c, "INSERT INTO credit_permit (id, entry_id, kind, categories, from_on, to_on, reason, status,"
                               " created_by, created_ms, pending, approved_by) VALUES (?,?,?,?,?,?,?,'active',?,?,?,?)");
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e.id);
    db_bind_text(s, 3, kind, -1);
    db_bind_text(s, 4, cats, -1);
    db_bind_text(s, 5, f, -1);
    db_bind_text(s, 6, t, -1);
    db_bind_text(s, 7, reason, -1);
    db_bind_int64(s, 8, actor_uid(a));
    db_bind_int64(s, 9, zx_now_ms());
    db_bind_int64(s, 10, pending);
    if (pk->chief_approval && !pending && actor_uid(a)) db_bind_int64(s, 11, actor_uid(a));
    else db_bind_null(s, 11);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || (!pending && cd_refresh_window(a, c, k.id, e.id_number, today) < 0)) return cd_fail_db(err, c, "保存许可");
    if (pending) {
        char summary[480];
        snprintf(summary, sizeof summary, "准许%s暂时乘坐飞机、高铁（%s，%s至%s）", e.name, pk->label, f, t);
        int64_t aid = zx_approval_submit(c, a->r, "temporary_permit", k.id, id, summary, from);
        if (aid < 0) return cd_fail_db(err, c, "提交院长审批");
    }
    if (cd_entry_event(a, c, &k, &e, pending ? "credit_permit_requested" : "credit_permit", pending ? "credit.permit_request" : "credit.permit",
                    json_pack("{s:o,s:s,s:s,s:s,s:s,s:b}", "permit_id", jid(id), "kind", kind, "categories", cats, "from", f, "to", t,
                              "pending", pending)))
        return cd_fail_db(err, c, "记录事件");
    return id;
}

/* ---- the 院长's decision on a permit in the approval inbox (法发〔2019〕35号 para 17(3)) ---- */
static int permit_decide(zx_req *r, db_conn *c, const zx_approval *ap, bool approve, zx_approval_err *aerr)
{
    int64_t entry_id = cd_count2(c, "SELECT entry_id FROM credit_permit WHERE id = ? AND status = 'active' AND pending = 1",
                                 ap->object_id, NULL, NULL);
    if (entry_id <= 0) {
        zx_approval_err_set(aerr, 409, "CANNOT_APPLY", "该临时准许申请已撤销或已处理");
        return -1;
    }
    zx_cd_actor act = { .r = r, .user_id = r ? r->who.user_id : ap->decided_by, .username = r ? r->who.username : "system" };
    zx_cd_err err = { 0 };
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, &err)) {
        json_decref(err.extra);
        zx_approval_err_set(aerr, 409, "CANNOT_APPLY", "名单信息不存在");
        return -1;
    }
    db_stmt *s = db_prepare(c, approve ? "UPDATE credit_permit SET pending = 0, approved_by = ? WHERE id = ?"
                                       : "UPDATE credit_permit SET pending = 0, status = 'revoked', approved_by = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, ap->decided_by);
    db_bind_int64(s, 2, ap->object_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || (approve && cd_refresh_window(&act, c, k.id, e.id_number, zx_today()) < 0)) return -1;
    return cd_entry_event(&act, c, &k, &e, approve ? "credit_permit" : "credit_permit_returned",
                          approve ? "credit.permit" : "credit.permit_return",
                          json_pack("{s:o,s:s}", "permit_id", jid(ap->object_id), "opinion", ap->opinion ? ap->opinion : ""))
               ? -1 : 0;
}
static int permit_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *e) { return permit_decide(r, c, a, true, e); }
static int permit_returned(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *e) { return permit_decide(r, c, a, false, e); }
static void permit_synced(zx_req *r, const zx_approval *a, bool ok) { if (r) zx_credit_sync(zx_db(r)); }
static const struct zx_approval_kind permit_kind = {
    .kind = "temporary_permit", .label = "暂时解除乘坐飞机、高铁限制（临时准许）", .approver_roles = ROLE_CHIEF,
    .on_approved = permit_approved, .on_returned = permit_returned, .after_commit = permit_synced,
};
ZX_APPROVAL_KIND(permit_kind)

int zx_cd_permit_revoke(const zx_cd_actor *a, db_conn *c, int64_t permit_id, zx_cd_err *err)
{
    int64_t entry_id = cd_count2(c, "SELECT entry_id FROM credit_permit WHERE id = ? AND status = 'active'", permit_id, NULL, NULL);
    if (entry_id <= 0) {
        zx_cd_err_set(err, 404, "NOT_FOUND", "许可不存在或已撤销");
        return -1;
    }
    struct zx_credit_entry e;
    zx_cd_case k;
    if (cd_load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (cd_exec1(c, "UPDATE credit_permit SET status = 'revoked', pending = 0 WHERE id = ?", permit_id, NULL) ||
        cd_refresh_window(a, c, k.id, e.id_number, zx_today()) < 0 ||
        zx_approval_withdraw(c, a->r, "temporary_permit", k.id, permit_id) < 0) /* a request still waiting */
        return cd_fail_db(err, c, "撤销许可");
    if (cd_entry_event(a, c, &k, &e, "credit_permit_revoked", "credit.permit_revoke", json_pack("{s:o}", "permit_id", jid(permit_id))))
        return cd_fail_db(err, c, "记录事件");
    return 0;
}
