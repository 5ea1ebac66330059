/* decisions.c — 失信 / 限消 decisions: errors, case and party rows, proposal with the gate, 院长 signature,
 * service and effect (credit_entry rows); see decisions.h and docs/api/credit-staff.md. Entry
 * operations: decisions_entry.c; corrections and sweep: decisions_review.c; renderers: decisions_view.c.
 * Articles: 失信规定 = 法释〔2013〕17号 as amended by 法释〔2017〕7号; 限消规定 = 法释〔2010〕8号 (2015). */

#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pii.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "core/ids.h"
#include "core/log.h"
#include "credit/decisions_internal.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/dishonest.h"
#include "rules/id_number.h"
#include "rules/restriction.h"


/* ---- errors --------------------------------------------------------------------------------------- */

void zx_cd_err_set(zx_cd_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void zx_cd_err_reasons(zx_cd_err *e, const char *code, const char *message, const zx_reason *rs, int n)
{
    zx_cd_err_set(e, 422, code, "%s", message);
    json_t *arr = json_array();
    for (int i = 0; i < n && i < MAXR; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", rs[i].code, "article", rs[i].article, "message",
                                             rs[i].message));
    if (e->extra) json_decref(e->extra);
    e->extra = json_pack("{s:o}", "reasons", arr);
}

void zx_cd_reply_err(zx_req *r, zx_cd_err *e)
{
    if (zx_replied(r)) {
        if (e->extra) json_decref(e->extra);
        e->extra = NULL;
        return;
    }
    int st = e->status ? e->status : 500;
    const char *code = e->code ? e->code : "INTERNAL";
    const char *msg = e->message[0] ? e->message : "操作失败";
    if (e->extra) {
        zx_reply_error_ex(r, st, code, msg, e->extra);
        e->extra = NULL;
    } else {
        zx_reply_error(r, st, code, "%s", msg);
    }
}

int cd_fail_db(zx_cd_err *e, db_conn *c, const char *what)
{
    LOG_ERROR("credit decisions: %s: %s", what, c ? db_errmsg(c) : "");
    zx_cd_err_set(e, 500, "INTERNAL", "存储错误（%s）", what);
    return -1;
}

int cd_audit(const zx_cd_actor *a, db_conn *c, const char *action, const char *type, int64_t id, const char *court,
                 json_t *detail)
{
    char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    int rc;
    if (a->r) rc = zx_audit_req(a->r, c, action, type, id, "ok", d);
    else {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        zx_audit_rec rec = { .user_id = a->user_id, .username = a->username ? a->username : "system", .court_code = court,
                             .action = action, .object_type = type, .object_id = oid, .result = "ok", .detail = d };
        rc = zx_audit_write(c, &rec);
    }
    free(d);
    return rc;
}

int cd_exec1(db_conn *c, const char *sql, int64_t a1, const char *t2)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, a1);
    if (t2) db_bind_text(s, 2, t2, -1);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* ---- case ----------------------------------------------------------------------------------------- */

int zx_cd_case_load(db_conn *c, int64_t id, zx_cd_case *k)
{
    memset(k, 0, sizeof *k);
    db_stmt *s = db_prepare(c, "SELECT id, court_id, handler_id, team_id, claim_fen, recovered_fen, case_no, status, stage,"
                               " filed_on, basis_doc_no, basis_issuer, basis_act, type_code FROM enf_case WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        k->id = db_col_int64(s, 0);
        k->court_id = db_col_int64(s, 1);
        k->handler_id = db_col_int64(s, 2);
        k->team_id = db_col_int64(s, 3);
        k->claim_fen = db_col_int64(s, 4);
        k->recovered_fen = db_col_int64(s, 5);
        cpy(k->case_no, sizeof k->case_no, db_col_text(s, 6));
        cpy(k->status, sizeof k->status, db_col_text(s, 7));
        cpy(k->stage, sizeof k->stage, db_col_text(s, 8));
        cpy(k->filed_on, sizeof k->filed_on, db_col_text(s, 9));
        cpy(k->basis_doc_no, sizeof k->basis_doc_no, db_col_text(s, 10));
        cpy(k->basis_issuer, sizeof k->basis_issuer, db_col_text(s, 11));
        cpy(k->basis_act, sizeof k->basis_act, db_col_text(s, 12));
        cpy(k->type_code, sizeof k->type_code, db_col_text(s, 13));
        const zx_court *ct = zx_court_by_id(k->court_id);
        if (ct) cpy(k->court_code, sizeof k->court_code, ct->code);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int zx_cd_case_event(db_conn *c, const zx_cd_case *k, int64_t user_id, const char *kind, zx_date on, json_t *data)
{
    /* the case module's one writer of case_event (seq = last + 1) */
    return zx_case_event_add(c, NULL, k->id, user_id, kind, k->stage[0] ? k->stage : NULL, on, data, NULL) > 0 ? 0 : DB_ERROR;
}

/* Serialise credit decisions per case: the "already listed" checks and the writes that follow must
 * not interleave between two transactions. SQLite has one writer (BEGIN IMMEDIATE) already; on
 * PostgreSQL take the case row's lock until commit. */
int cd_lock_case(db_conn *c, int64_t case_id)
{
    if (!zx_g || !zx_g->db || db_kind(zx_g->db) != DB_POSTGRES) return 0;
    db_stmt *s = db_prepare(c, "SELECT id FROM enf_case WHERE id = ? FOR UPDATE");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : DB_ERROR;
}

/* ---- parties -------------------------------------------------------------------------------------- */


int cd_party_load(db_conn *c, int64_t id, cd_party *p)
{
    memset(p, 0, sizeof *p);
    db_stmt *s = db_prepare(c, "SELECT id, case_id, role, kind, name, id_number_enc, role_of_unit, credit_code"
                               " FROM case_party WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        p->id = db_col_int64(s, 0);
        p->case_id = db_col_int64(s, 1);
        cpy(p->role, sizeof p->role, db_col_text(s, 2));
        cpy(p->kind, sizeof p->kind, db_col_text(s, 3));
        cpy(p->name, sizeof p->name, db_col_text(s, 4));
        char *pv = zx_pii_col(s, 5, ZX_PII_ID_NUMBER); /* sealed (core/pii.h, migration 020) */
        cpy(p->id_raw, sizeof p->id_raw, pv ? pv : db_col_text(s, 7));
        zx_pii_free(pv);
        cpy(p->role_of_unit, sizeof p->role_of_unit, db_col_text(s, 6));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

/* ---- decisions ------------------------------------------------------------------------------------ */



int cd_dec_load(db_conn *c, int64_t id, cd_dec *d)
{
    memset(d, 0, sizeof *d);
    db_stmt *s = db_prepare(c, "SELECT " DEC_COLS " FROM credit_decision WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        int64_t *ii[] = { &d->id, &d->case_id, &d->court_id, &d->party_id, &d->proposed_by, &d->approved_by, &d->entry_id,
                          &d->auto_from_id };
        for (int i = 0; i < 8; i++) *ii[i] = db_col_int64(s, i);
        struct { char *p; size_t n; } tt[] = { { d->list, sizeof d->list }, { d->person_kind, sizeof d->person_kind },
                                               { d->name, sizeof d->name }, { d->id_number, sizeof d->id_number },
                                               { d->categories, sizeof d->categories }, { d->conduct, sizeof d->conduct },
                                               { d->status, sizeof d->status }, { d->decided_on, sizeof d->decided_on },
                                               { d->approved_on, sizeof d->approved_on }, { d->served_on, sizeof d->served_on },
                                               { d->service_method, sizeof d->service_method },
                                               { d->extension_reason, sizeof d->extension_reason } };
        for (int i = 0; i < 12; i++) {
            if (i == 3) { /* id_number_enc: sealed (core/pii.h) */
                char *pv = zx_pii_col(s, 11, ZX_PII_ID_NUMBER);
                cpy(tt[i].p, tt[i].n, pv);
                zx_pii_free(pv);
            } else {
                cpy(tt[i].p, tt[i].n, db_col_text(s, 8 + i));
            }
        }
        d->ground = (int)db_col_int64(s, 20);
        d->grace_months = (int)db_col_int64(s, 21);
        d->extension_years = (int)db_col_int64(s, 22);
        d->on_application = (int)db_col_int64(s, 23);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int cd_dec_insert(db_conn *c, const cd_dec *d)
{
    db_stmt *s = db_prepare(c, "INSERT INTO credit_decision (id, list, case_id, court_id, party_id, person_kind, name,"
                               " id_number, ground, categories, conduct, facts, grace_months, extension_years,"
                               " extension_reason, on_application, auto_from_id, status, decided_on, proposed_by,"
                               " approved_on, approved_by, served_on, service_method, created_ms, updated_ms, id_number_enc)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERROR;
    int64_t now = zx_now_ms();
    db_bind_int64(s, 1, d->id);
    db_bind_text(s, 2, d->list, -1);
    db_bind_int64(s, 3, d->case_id);
    db_bind_int64(s, 4, d->court_id);
    db_bind_int64(s, 5, d->party_id);
    db_bind_text(s, 6, d->person_kind, -1);
    db_bind_text(s, 7, d->name, -1);
    zx_pii_bind_index(s, 8, ZX_PII_ID_NUMBER, d->id_number);
    zx_pii_bind(s, 27, ZX_PII_ID_NUMBER, d->id_number);
    if (d->ground) db_bind_int64(s, 9, d->ground);
    else db_bind_null(s, 9);
    db_bind_text(s, 10, nz(d->categories), -1);
    db_bind_text(s, 11, nz(d->conduct), -1);
    db_bind_text(s, 12, nz(d->facts), -1);
    db_bind_int64(s, 13, d->grace_months);
    db_bind_int64(s, 14, d->extension_years);
    db_bind_text(s, 15, nz(d->extension_reason), -1);
    db_bind_int64(s, 16, d->on_application);
    if (d->auto_from_id) db_bind_int64(s, 17, d->auto_from_id);
    else db_bind_null(s, 17);
    db_bind_text(s, 18, d->status, -1);
    db_bind_text(s, 19, d->decided_on, -1);
    db_bind_int64(s, 20, d->proposed_by);
    db_bind_text(s, 21, nz(d->approved_on), -1);
    if (d->approved_by) db_bind_int64(s, 22, d->approved_by);
    else db_bind_null(s, 22);
    db_bind_text(s, 23, nz(d->served_on), -1);
    db_bind_text(s, 24, nz(d->service_method), -1);
    db_bind_int64(s, 25, now);
    db_bind_int64(s, 26, now);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

int cd_dec_update(db_conn *c, const cd_dec *d, const char *note)
{
    db_stmt *s = db_prepare(c, "UPDATE credit_decision SET status = ?, approved_on = ?, approved_by = ?, served_on = ?,"
                               " service_method = ?, entry_id = ?, status_note = COALESCE(?, status_note), updated_ms = ?"
                               " WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, d->status, -1);
    db_bind_text(s, 2, nz(d->approved_on), -1);
    if (d->approved_by) db_bind_int64(s, 3, d->approved_by);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, nz(d->served_on), -1);
    db_bind_text(s, 5, nz(d->service_method), -1);
    if (d->entry_id) db_bind_int64(s, 6, d->entry_id);
    else db_bind_null(s, 6);
    db_bind_text(s, 7, note, -1);
    db_bind_int64(s, 8, zx_now_ms());
    db_bind_int64(s, 9, d->id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* sql has "case_id = ? AND " ZX_PII_IN("id_number") " AND list = ?": a, the look-up pair of id, t3. */
int64_t cd_count_id(db_conn *c, const char *sql, int64_t a, const char *id, const char *t3)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    cd_bind_idx(s, 2, id);
    db_bind_text(s, 4, t3, -1);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return n;
}

int64_t cd_count2(db_conn *c, const char *sql, int64_t a, const char *b, const char *t3)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    db_bind_int64(s, 1, a);
    if (b) db_bind_text(s, 2, b, -1);
    if (t3) db_bind_text(s, 3, t3, -1);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return n;
}

bool cd_open_in_case(db_conn *c, int64_t case_id, int64_t party_id, const char *id_number, const char *list)
{
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM credit_decision WHERE case_id = ? AND list = ? AND party_id = ?"
                               " AND status IN ('proposed','approved','served')");
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, list, -1);
    db_bind_int64(s, 3, party_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (n > 0) return true;
    return cd_count_id(c, "SELECT COUNT(*) FROM credit_entry WHERE case_id = ? AND " ZX_PII_IN("id_number") " AND list = ?"
                       " AND status IN ('grace','active') AND bound_by_entry_id IS NULL",
                       case_id, id_number, list) > 0;
}

/* Last done deletion on the applicant's request for this debtor in this case (失信规定 art 10 para 4). */
zx_date cd_applicant_deleted_on(db_conn *c, int64_t case_id, const char *id_number)
{
    db_stmt *s = db_prepare(c, "SELECT MAX(done_on) FROM credit_deletion WHERE case_id = ? AND " ZX_PII_IN("id_number")
                               " AND trigger_code = 'applicant_request' AND status = 'done'");
    if (!s) return ZX_DATE_NONE;
    db_bind_int64(s, 1, case_id);
    cd_bind_idx(s, 2, id_number);
    zx_date d = db_step(s) == DB_ROW ? pdate(db_col_text(s, 0)) : ZX_DATE_NONE;
    db_finalize(s);
    return d;
}

bool cd_case_outstanding(const zx_cd_case *k)
{
    return k->recovered_fen < k->claim_fen || (k->claim_fen == 0 && k->basis_act[0]);
}

/* ---- entries -------------------------------------------------------------------------------------- */

void cd_entry_from_case(struct zx_credit_entry *e, const zx_cd_case *k)
{
    e->case_id = k->id;
    cpy(e->case_no, sizeof e->case_no, k->case_no);
    cpy(e->court_code, sizeof e->court_code, k->court_code);
    const zx_court *ct = zx_court_by_code(k->court_code);
    if (ct) cpy(e->court_name, sizeof e->court_name, ct->name);
    cpy(e->basis_doc_no, sizeof e->basis_doc_no, k->basis_doc_no);
    cpy(e->basis_issuer, sizeof e->basis_issuer, k->basis_issuer);
    cpy(e->filed_on, sizeof e->filed_on, k->filed_on);
    if (k->claim_fen > 0)
        snprintf(e->obligation, sizeof e->obligation, "给付金钱人民币%lld.%02lld元%s%.300s", (long long)(k->claim_fen / 100),
                 (long long)(k->claim_fen % 100), k->basis_act[0] ? "；" : "", k->basis_act);
    else cpy(e->obligation, sizeof e->obligation, k->basis_act);
    cpy(e->performance, sizeof e->performance, k->recovered_fen > 0 ? "部分未履行" : "全部未履行");
}

int cd_entry_extra(db_conn *c, int64_t entry_id, int64_t decision_id, int64_t court_id, int64_t party_id, int ext)
{
    db_stmt *s = db_prepare(c, "UPDATE credit_entry SET decision_id = ?, court_id = ?, party_id = ?, extension_years = ?"
                               " WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, decision_id);
    db_bind_int64(s, 2, court_id);
    if (party_id) db_bind_int64(s, 3, party_id);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, ext);
    db_bind_int64(s, 5, entry_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* Write the entries of an effective decision: the debtor's entry and, for a unit's 限消 order, one per
 * bound person (限消规定 art 3 para 2). bound_out gets names of bound / skipped persons. */
int cd_write_entries(db_conn *c, const zx_cd_case *k, cd_dec *d, zx_date publish, zx_date term_end, json_t *info,
                         int64_t *entry_id)
{
    zx_date today = zx_today();
    struct zx_credit_entry e;
    zx_credit_entry_init(&e);
    cpy(e.list, sizeof e.list, d->list);
    cd_entry_from_case(&e, k);
    cpy(e.person_kind, sizeof e.person_kind, d->person_kind);
    cpy(e.name, sizeof e.name, d->name);
    cpy(e.id_number, sizeof e.id_number, d->id_number);
    e.ground = strcmp(d->list, "dishonest") == 0 ? d->ground : 0;
    cpy(e.categories, sizeof e.categories, strcmp(d->list, "restricted") == 0 ? d->categories : "");
    cpy(e.decided_on, sizeof e.decided_on, d->approved_on);
    cpy(e.served_on, sizeof e.served_on, d->served_on);
    fmt(publish, e.publish_on);
    fmt(term_end, e.term_end);
    cpy(e.status, sizeof e.status, publish > today ? "grace" : "active");
    fmt(today, e.status_on);
    cpy(e.conduct, sizeof e.conduct, d->conduct);
    /* unit persons of the debtor */
    struct { char name[128], id[40], role[24]; } up[16];
    int nup = 0;
    db_stmt *s = db_prepare(c, "SELECT name, id_number_enc, role_of_unit FROM case_party WHERE case_id = ? AND of_party_id = ?"
                               " AND role = 'unit_person' ORDER BY ord");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, k->id);
    db_bind_int64(s, 2, d->party_id);
    while (db_step(s) == DB_ROW && nup < 16) {
        cpy(up[nup].name, sizeof up[nup].name, db_col_text(s, 0));
        char *pv = zx_pii_col(s, 1, ZX_PII_ID_NUMBER);
        cpy(up[nup].id, sizeof up[nup].id, pv);
        zx_pii_free(pv);
        cpy(up[nup].role, sizeof up[nup].role, db_col_text(s, 2));
        nup++;
    }
    db_finalize(s);
    if (strcmp(d->person_kind, "unit") == 0)
        for (int i = 0; i < nup; i++)
            if (strcmp(up[i].role, "legal_rep") == 0 || (!e.legal_rep[0] && strcmp(up[i].role, "principal") == 0))
                cpy(e.legal_rep, sizeof e.legal_rep, up[i].name); /* art 6: 法定代表人或者负责人姓名 */
    int64_t seq = zx_credit_entry_save(c, &e, "listed");
    if (seq < 0) return (int)seq;
    if (cd_entry_extra(c, e.id, d->id, d->court_id, d->party_id, d->extension_years)) return DB_ERROR;
    *entry_id = e.id;
    if (strcmp(d->list, "restricted") != 0 || strcmp(d->person_kind, "unit") != 0) return 0;
    json_t *bound = json_array(), *skipped = json_array();
    for (int i = 0; i < nup; i++) {
        if (!zx_restr_binds("unit", up[i].role)) continue;
        char norm[19];
        if (zx_credit_id_normalise(up[i].id, strlen(up[i].id), today, norm) != ZX_IDK_PERSON) {
            json_array_append_new(skipped, json_pack("{s:s,s:s}", "name", up[i].name, "role_of_unit", up[i].role));
            continue;
        }
        struct zx_credit_entry b = e;
        b.id = 0;
        cpy(b.person_kind, sizeof b.person_kind, "person");
        cpy(b.name, sizeof b.name, up[i].name);
        cpy(b.id_number, sizeof b.id_number, norm);
        b.legal_rep[0] = b.sex[0] = b.birth_date[0] = 0;
        b.bound_by_entry_id = e.id;
        cpy(b.bound_role, sizeof b.bound_role, up[i].role);
        seq = zx_credit_entry_save(c, &b, "listed");
        if (seq < 0) {
            json_decref(bound);
            json_decref(skipped);
            return (int)seq;
        }
        if (cd_entry_extra(c, b.id, d->id, d->court_id, 0, 0)) return DB_ERROR;
        json_array_append_new(bound, json_pack("{s:s,s:s,s:o}", "name", up[i].name, "role_of_unit", up[i].role, "entry_id",
                                               jid(b.id)));
    }
    json_object_set_new(info, "bound_persons", bound);
    json_object_set_new(info, "bound_skipped_no_valid_id", skipped);
    return 0;
}

/* Both signed and served → effective (法发〔2019〕35号). */
int cd_make_effective(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, cd_dec *d, zx_cd_err *err)
{
    zx_date served = pdate(d->served_on);
    zx_date publish = zx_dis_publish_on(served, d->grace_months);
    zx_date term_end = strcmp(d->list, "dishonest") == 0 ? zx_dis_term_end(d->ground, publish, d->extension_years)
                                                          : ZX_DATE_NONE; /* 限消 has no term (限消规定 art 9) */
    json_t *info = json_object();
    int64_t entry_id = 0;
    int rc = cd_write_entries(c, k, d, publish, term_end, info, &entry_id);
    if (rc < 0) {
        json_decref(info);
        if (rc == ZX_CREDIT_EBADID) {
            zx_cd_err_set(err, 422, "INVALID_ID_NUMBER", "被执行人证件号码无效，无法纳入");
            return -1;
        }
        return cd_fail_db(err, c, "写入名单");
    }
    cpy(d->status, sizeof d->status, "effective");
    d->entry_id = entry_id;
    if (cd_dec_update(c, d, NULL)) {
        json_decref(info);
        return cd_fail_db(err, c, "更新决定");
    }
    char pb[11], te[11];
    fmt(publish, pb);
    fmt(term_end, te);
    json_object_set_new(info, "decision_id", jid(d->id));
    json_object_set_new(info, "entry_id", jid(entry_id));
    json_object_set_new(info, "list", json_string(d->list));
    json_object_set_new(info, "name", json_string(d->name));
    json_object_set_new(info, "publish_on", json_string(pb));
    json_object_set_new(info, "term_end", jstr_or_null(te));
    rc = zx_cd_case_event(c, k, actor_uid(a), strcmp(d->list, "dishonest") == 0 ? "credit_effective" : "restriction_effective",
                          served, info); /* in effect from service (法发〔2019〕35号), dated as such in the case */
    if (!rc) rc = cd_audit(a, c, strcmp(d->list, "dishonest") == 0 ? "credit.list" : "credit.restrict", "credit_entry", entry_id,
                        k->court_code, info);
    json_decref(info);
    if (rc) return cd_fail_db(err, c, "记录事件");
    /* 限消规定 art 1 para 2: a 失信 debtor must be restricted — create the order with the listing. */
    if (strcmp(d->list, "dishonest") == 0 && zx_restr_required(true) &&
        !cd_open_in_case(c, k->id, d->party_id, d->id_number, "restricted")) {
        cd_dec r = *d;
        r.id = zx_id_new();
        cpy(r.list, sizeof r.list, "restricted");
        r.ground = 0;
        r.categories[0] = 0;
        r.extension_years = 0;
        r.extension_reason[0] = 0;
        r.auto_from_id = d->id;
        r.facts[0] = 0;
        r.entry_id = 0;
        cpy(r.status, sizeof r.status, "served"); /* same 院长 signature and service as the 失信 decision */
        if (cd_dec_insert(c, &r)) return cd_fail_db(err, c, "限消决定");
        return cd_make_effective(a, c, k, &r, err);
    }
    return 0;
}

/* Ground 4 (失信规定 art 1(4)) from the case's events as of `on`: the last 报告财产令 (with the
 * enforcement notice or alone) and its period (财产调查规定 art 4(1): the order states it; the event's
 * report_days, ZX_REPORT_DAYS_DEFAULT when an older event has none), counted per 民诉法 art 85; a true
 * report = a report received / verified within the period and never found false. */
static void report_facts(db_conn *c, int64_t case_id, zx_date on, zx_dis_facts *f)
{
    db_stmt *s = db_prepare(c, "SELECT kind, on_date, data FROM case_event WHERE case_id = ? AND kind IN"
                               " ('enforcement_notice','property_report_order','property_report') ORDER BY seq");
    if (!s) return;
    db_bind_int64(s, 1, case_id);
    zx_date order_on = ZX_DATE_NONE, period_end = ZX_DATE_NONE;
    bool true_report = false, false_found = false;
    while (db_step(s) == DB_ROW) {
        const char *kind = db_col_text(s, 0);
        zx_date d = pdate(db_col_text(s, 1));
        if (d == ZX_DATE_NONE || d > on) continue; /* facts as of the decision date */
        json_t *data = json_loads(db_col_text(s, 2) ? db_col_text(s, 2) : "{}", 0, NULL);
        if (!strcmp(kind, "property_report")) {
            const char *res = json_string_value(json_object_get(data, "result"));
            if (res && (!strcmp(res, "received") || !strcmp(res, "verified")) && period_end != ZX_DATE_NONE && d <= period_end)
                true_report = true;
            if (res && (!strcmp(res, "false_report") || !strcmp(res, "not_reported"))) false_found = true;
        } else if (!strcmp(kind, "property_report_order") || !json_is_false(json_object_get(data, "with_report_order"))) {
            json_t *rd = json_object_get(data, "report_days");
            int days = json_is_integer(rd) && json_integer_value(rd) > 0 ? (int)json_integer_value(rd) : ZX_REPORT_DAYS_DEFAULT;
            order_on = d; /* a new order starts a new period (财产调查规定 art 3 para 2) */
            period_end = zx_cal_period_end_days(d, days);
            true_report = false_found = false;
        }
        json_decref(data);
    }
    db_finalize(s);
    f->report_order_served = order_on != ZX_DATE_NONE;
    f->report_period_passed = period_end != ZX_DATE_NONE && on > period_end;
    f->report_true = true_report && !false_found;
}

/* Ground 5 (失信规定 art 1(5)): a 限制消费令 in force against the debtor on `on` — an effective 限消
 * entry of this case, published (past its grace period) on or before that day. */
static bool restriction_in_force(db_conn *c, int64_t case_id, const char *id_number, zx_date on)
{
    char day[11];
    fmt(on, day);
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM credit_entry WHERE case_id = ? AND " ZX_PII_IN("id_number")
                               " AND list = 'restricted' AND status IN ('grace','active') AND publish_on <= ? AND bound_by_entry_id IS NULL");
    if (!s) return false;
    db_bind_int64(s, 1, case_id);
    cd_bind_idx(s, 2, id_number);
    db_bind_text(s, 4, day, -1);
    bool yes = db_step(s) == DB_ROW && db_col_int64(s, 0) > 0;
    db_finalize(s);
    return yes;
}

int64_t zx_cd_propose(const zx_cd_actor *a, db_conn *c, json_t *body, bool dry_run, json_t **gate_out, zx_cd_err *err)
{
    int64_t case_id = 0, party_id = 0;
    bool bad = false;
    json_t *fields = json_array();
#define FIELD(f, code, msg) json_array_append_new(fields, json_pack("{s:s,s:s,s:s}", "field", f, "code", code, "message", msg))
    if (!jget_id(json_object_get(body, "case_id"), &case_id)) FIELD("case_id", "REQUIRED", "请指定案件");
    if (!jget_id(json_object_get(body, "party_id"), &party_id)) FIELD("party_id", "REQUIRED", "请指定被执行人");
    const char *list = jstr(body, "list");
    if (!list) list = "dishonest";
    if (strcmp(list, "dishonest") != 0 && strcmp(list, "restricted") != 0) FIELD("list", "INVALID_ENUM", "list 须为 dishonest 或 restricted");
    bool dis = strcmp(list, "dishonest") == 0;
    int ground = (int)jint(body, "ground", 0, &bad);
    int grace = (int)jint(body, "grace_months", 0, &bad);
    int ext = (int)jint(body, "extension_years", 0, &bad);
    zx_date decided = jdate(body, "decided_on", zx_today(), &bad);
    if (bad) FIELD("body", "INVALID", "ground、grace_months、extension_years 须为整数，decided_on 须为 YYYY-MM-DD");
    if (decided > zx_today()) FIELD("decided_on", "INVALID_DATE", "决定日期不得晚于今日");
    char cats[256];
    int mask = dis ? ZX_CAT_ALL : jcats(body, "categories", cats, sizeof cats);
    if (dis) cats[0] = 0;
    if (json_array_size(fields)) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请求参数有误");
        err->extra = json_pack("{s:o}", "fields", fields);
        return -1;
    }
    json_decref(fields);
#undef FIELD
    zx_cd_case k;
    int rc = zx_cd_case_load(c, case_id, &k);
    if (rc) {
        if (rc < 0) return cd_fail_db(err, c, "读取案件");
        zx_cd_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return -1;
    }
    if (a->r && !zx_authz_case(a->r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_WRITE)) {
        err->status = 403;
        return -1;
    }
    if (!dry_run && cd_lock_case(c, case_id)) return cd_fail_db(err, c, "锁定案件");
    cd_party p;
    rc = cd_party_load(c, party_id, &p);
    if (rc || p.case_id != case_id) {
        if (rc < 0) return cd_fail_db(err, c, "读取当事人");
        zx_cd_err_set(err, 404, "NOT_FOUND", "本案无此当事人");
        return -1;
    }
    char norm[19] = "";
    zx_date today = zx_today();
    enum zx_id_kind idk = zx_credit_id_normalise(p.id_raw, strlen(p.id_raw), today, norm);
    bool is_person = strcmp(p.kind, "unit") != 0;
    bool id_ok = is_person ? idk == ZX_IDK_PERSON : idk == ZX_IDK_UNIT;
    zx_date birth = ZX_DATE_NONE;
    zx_idno_info info;
    if (is_person && id_ok && zx_idno_check(norm, today, &info) == ZX_IDNO_OK) birth = info.birth;
    zx_reason rs[MAXR];
    int n;
    bool on_app = jbool(body, "on_application");
    if (dis) {
        json_t *facts = json_object_get(body, "facts");
        zx_dis_facts f = {
            .ground = ground, .is_debtor = strcmp(p.role, "debtor") == 0, .case_open = strcmp(k.status, "closed") != 0,
            .outstanding = cd_case_outstanding(&k), .is_person = is_person, .id_valid = id_ok, .birth = birth,
            .decided_on = decided, .security_adequate = jbool(facts, "security_adequate"),
            .seized_sufficient = jbool(facts, "seized_sufficient"), .later_in_order = jbool(facts, "later_in_order"),
            .already_listed = id_ok && cd_open_in_case(c, case_id, party_id, norm, "dishonest"), .on_application = on_app,
            .applicant_deleted_on = id_ok ? cd_applicant_deleted_on(c, case_id, norm) : ZX_DATE_NONE,
            .grace_months = grace, .extension_years = ext,
            .extension_reason_given = jstr(body, "extension_reason") != NULL,
            .conduct_given = jstr(body, "conduct") != NULL,
            .preservation_case = strcmp(k.type_code, "执保") == 0,
        };
        report_facts(c, case_id, decided, &f);
        f.restriction_in_force = id_ok && restriction_in_force(c, case_id, norm, decided);
        n = zx_dis_gate(&f, rs, MAXR);
    } else {
        zx_restr_facts f = { .is_debtor = strcmp(p.role, "debtor") == 0, .case_open = strcmp(k.status, "closed") != 0,
                             .outstanding = cd_case_outstanding(&k), .id_valid = id_ok,
                             .already_restricted = id_ok && cd_open_in_case(c, case_id, party_id, norm, "restricted"),
                             .category_mask = mask, .grace_months = grace,
                             .preservation_case = strcmp(k.type_code, "执保") == 0 };
        n = zx_restr_gate(&f, rs, MAXR);
    }
    if (n > MAXR) n = MAXR;
    if (dry_run) {
        zx_cd_err tmp = { 0 };
        zx_cd_err_reasons(&tmp, "", "", rs, n);
        json_t *g = json_pack("{s:b,s:O}", "allowed", n == 0, "reasons", json_object_get(tmp.extra, "reasons"));
        json_decref(tmp.extra);
        if (n == 0) {
            char pb[11], te[11];
            zx_date pub = zx_dis_publish_on(today, grace);
            fmt(pub, pb);
            fmt(dis ? zx_dis_term_end(ground, pub, ext) : ZX_DATE_NONE, te);
            json_object_set_new(g, "publish_on_if_served_today", json_string(pb));
            json_object_set_new(g, "term_end_if_served_today", jstr_or_null(te));
        }
        *gate_out = g;
        return 0;
    }
    if (n > 0) {
        zx_cd_err_reasons(err, dis ? "LISTING_NOT_ALLOWED" : "RESTRICTION_NOT_ALLOWED",
                          dis ? "不符合纳入失信被执行人名单的条件" : "不符合发布限制消费令的条件", rs, n);
        return -1;
    }
    cd_dec d = { 0 };
    d.id = zx_id_new();
    cpy(d.list, sizeof d.list, list);
    d.case_id = case_id;
    d.court_id = k.court_id;
    d.party_id = party_id;
    cpy(d.person_kind, sizeof d.person_kind, is_person ? "person" : "unit");
    cpy(d.name, sizeof d.name, p.name);
    cpy(d.id_number, sizeof d.id_number, norm);
    d.ground = dis ? ground : 0;
    cpy(d.categories, sizeof d.categories, cats);
    cpy(d.conduct, sizeof d.conduct, jstr(body, "conduct"));
    d.grace_months = grace;
    d.extension_years = dis ? ext : 0;
    cpy(d.extension_reason, sizeof d.extension_reason, jstr(body, "extension_reason"));
    d.on_application = on_app;
    if (json_is_object(json_object_get(body, "facts"))) {
        char *fx = json_dumps(json_object_get(body, "facts"), JSON_COMPACT | JSON_SORT_KEYS);
        cpy(d.facts, sizeof d.facts, fx);
        free(fx);
    }
    cpy(d.status, sizeof d.status, "proposed");
    fmt(decided, d.decided_on);
    d.proposed_by = actor_uid(a);
    if (cd_dec_insert(c, &d)) return cd_fail_db(err, c, "保存决定");
    json_t *ev = json_pack("{s:o,s:s,s:s}", "decision_id", jid(d.id), "list", list, "name", p.name);
    /* the case timeline shows the ground as its article, and a 限消 has none (失信规定 art 1 grounds only) */
    const zx_dis_ground *gr = dis ? zx_dis_ground_get(d.ground) : NULL;
    if (gr) json_object_set_new(ev, "ground", json_string(gr->label));
    rc = zx_cd_case_event(c, &k, actor_uid(a), dis ? "credit_proposed" : "restriction_proposed", decided, ev);
    if (!rc) rc = cd_audit(a, c, dis ? "credit.propose" : "credit.restrict_propose", "credit_decision", d.id, k.court_code, ev);
    json_decref(ev);
    if (rc) return cd_fail_db(err, c, "记录事件");
    return d.id;
}

int zx_cd_step(const zx_cd_actor *a, db_conn *c, int64_t id, const char *step, json_t *body, zx_cd_err *err)
{
    cd_dec d;
    int rc = cd_dec_load(c, id, &d);
    if (rc) {
        if (rc < 0) return cd_fail_db(err, c, "读取决定");
        zx_cd_err_set(err, 404, "NOT_FOUND", "决定不存在");
        return -1;
    }
    zx_cd_case k;
    if (zx_cd_case_load(c, d.case_id, &k) || cd_lock_case(c, d.case_id)) return cd_fail_db(err, c, "读取案件");
    if (cd_dec_load(c, id, &d)) return cd_fail_db(err, c, "读取决定"); /* re-read under the lock */
    bool open = strcmp(d.status, "proposed") == 0 || strcmp(d.status, "approved") == 0 || strcmp(d.status, "served") == 0;
    bool chief = !a->r || ((a->r->who.roles & ROLE_CHIEF) && a->r->who.court_id == d.court_id);
    bool bad = false;
    zx_date today = zx_today();
    zx_date ev_on = today; /* the case event carries the step's legal date (signed_on / served_on) */
    const char *note = jstr(body, "reason");
    const char *kind;
    if (strcmp(step, "approve") == 0 || strcmp(step, "reject") == 0) {
        if (!chief) {
            zx_cd_err_set(err, 403, "FORBIDDEN", "须由本院院长签发（法发〔2019〕35号）");
            return -1;
        }
        if (!open || (strcmp(step, "approve") == 0 && strcmp(d.status, "approved") == 0)) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "决定当前状态（%s）不能执行此操作", d.status);
            return -1;
        }
        if (strcmp(step, "approve") == 0) {
            zx_date on = jdate(body, "signed_on", today, &bad);
            if (bad || on > today || on < pdate(d.decided_on)) {
                zx_cd_err_set(err, 400, "VALIDATION_FAILED", "签发日期无效（不得早于决定日期、不得晚于今日）");
                return -1;
            }
            fmt(on, d.approved_on);
            ev_on = on;
            d.approved_by = actor_uid(a);
            cpy(d.status, sizeof d.status, strcmp(d.status, "served") == 0 ? "effective" : "approved");
            kind = "credit_approved";
        } else {
            if (!note) {
                zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写不予签发的理由");
                return -1;
            }
            cpy(d.status, sizeof d.status, "rejected");
            kind = "credit_rejected";
        }
    } else if (strcmp(step, "withdraw") == 0) {
        if (!open) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "决定当前状态（%s）不能撤回", d.status);
            return -1;
        }
        cpy(d.status, sizeof d.status, "withdrawn");
        kind = "credit_withdrawn";
    } else if (strcmp(step, "serve") == 0) {
        /* 法发〔2019〕35号: the decision is signed by the 院长 first, then served — never served unsigned */
        if (strcmp(d.status, "approved") != 0) {
            zx_cd_err_set(err, 409, strcmp(d.status, "proposed") == 0 ? "NOT_SIGNED" : "INVALID_STATE",
                          strcmp(d.status, "proposed") == 0 ? "决定尚未经院长签发，不能送达（法发〔2019〕35号）"
                                                            : "决定当前状态（%s）不能记录送达", d.status);
            return -1;
        }
        zx_date on = jdate(body, "served_on", today, &bad);
        if (bad || on > today || on < pdate(d.approved_on)) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "送达日期无效（不得早于签发日期、不得晚于今日）");
            return -1;
        }
        const char *m = jstr(body, "method");
        static const char *methods[] = { "direct", "mail", "electronic", "public_notice", "left_at_residence" };
        bool okm = !m;
        for (int i = 0; m && i < 5; i++) okm |= strcmp(m, methods[i]) == 0;
        if (!okm) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "送达方式无效");
            return -1;
        }
        fmt(on, d.served_on);
        ev_on = on;
        cpy(d.service_method, sizeof d.service_method, m ? m : "direct");
        cpy(d.status, sizeof d.status, strcmp(d.status, "approved") == 0 ? "effective" : "served");
        kind = "credit_served";
    } else {
        zx_cd_err_set(err, 400, "BAD_REQUEST", "未知操作");
        return -1;
    }
    bool effective = strcmp(d.status, "effective") == 0;
    if (effective) cpy(d.status, sizeof d.status, "served"); /* make_effective sets it after writing entries */
    if (cd_dec_update(c, &d, note)) return cd_fail_db(err, c, "更新决定");
    json_t *ev = json_pack("{s:o,s:s,s:s,s:s?}", "decision_id", jid(d.id), "list", d.list, "name", d.name, "reason", note);
    int64_t eid = zx_case_event_add(c, NULL, k.id, actor_uid(a), kind, k.stage[0] ? k.stage : NULL, ev_on, ev, NULL);
    rc = eid > 0 ? 0 : DB_ERROR;
    /* the 院长 signs → the 纳入失信被执行人名单决定书 (失信规定 art 5–6) or the 限制消费令 (限消规定 art 5) is
     * made, whichever screen the decision came from (one path); served next. Rendered on first download. */
    if (!rc && !strcmp(kind, "credit_approved") &&
        zx_doc_generate_lazy(c, k.id, !strcmp(d.list, "dishonest") ? "dishonest_decision" : "restriction_order", eid, NULL) != 0)
        rc = DB_ERROR;
    char action[40];
    snprintf(action, sizeof action, "credit.decision.%s", step);
    if (!rc) rc = cd_audit(a, c, action, "credit_decision", d.id, k.court_code, ev);
    json_decref(ev);
    if (rc) return cd_fail_db(err, c, "记录事件");
    if (effective) return cd_make_effective(a, c, &k, &d, err);
    return 0;
}
