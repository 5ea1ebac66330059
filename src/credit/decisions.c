/* decisions.c — 失信 / 限消 decision procedure; see decisions.h and docs/api/credit-staff.md.
 * Articles: 失信规定 = 法释〔2013〕17号 as amended by 法释〔2017〕7号; 限消规定 = 法释〔2010〕8号 (2015). */
#include "credit/decisions.h"

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
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"
#include "rules/restriction.h"

#define MAXR 16

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

static int fail_db(zx_cd_err *e, db_conn *c, const char *what)
{
    LOG_ERROR("credit decisions: %s: %s", what, c ? db_errmsg(c) : "");
    zx_cd_err_set(e, 500, "INTERNAL", "存储错误（%s）", what);
    return -1;
}

/* ---- small helpers -------------------------------------------------------------------------------- */

static void cpy(char *dst, size_t n, const char *s)
{
    size_t l = s ? strlen(s) : 0;
    if (l >= n) l = n - 1; /* truncate (callers size buffers to the columns) */
    if (l) memmove(dst, s, l);
    dst[l] = 0;
}
static const char *nz(const char *s) { return s && *s ? s : NULL; }
static json_t *jid(int64_t id)
{
    if (!id) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}
static json_t *jstr_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static const char *jstr(json_t *b, const char *k)
{
    const char *s = json_string_value(json_object_get(b, k));
    return s && *s ? s : NULL;
}
static bool jbool(json_t *b, const char *k) { return json_is_true(json_object_get(b, k)); }
static bool jget_id(json_t *v, int64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        char *end;
        long long x = strtoll(json_string_value(v), &end, 10);
        if (*json_string_value(v) && !*end && x > 0) {
            *out = x;
            return true;
        }
    }
    return false;
}
static long long jint(json_t *b, const char *k, long long def, bool *bad)
{
    json_t *v = json_object_get(b, k);
    if (!v || json_is_null(v)) return def;
    if (json_is_integer(v)) return json_integer_value(v);
    if (bad) *bad = true;
    return def;
}
/* Date member: absent → def; invalid → *bad. */
static zx_date jdate(json_t *b, const char *k, zx_date def, bool *bad)
{
    const char *s = jstr(b, k);
    if (!s) return def;
    zx_date d;
    if (zx_date_parse(s, &d) != 0) {
        *bad = true;
        return def;
    }
    return d;
}
/* Categories: array of codes or a space-separated string. "" = all. Returns mask or -1. */
static int jcats(json_t *b, const char *k, char *out, size_t n)
{
    json_t *v = json_object_get(b, k);
    out[0] = 0;
    if (!v || json_is_null(v)) return ZX_CAT_ALL;
    if (json_is_string(v)) cpy(out, n, json_string_value(v));
    else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (!json_is_string(x)) return -1;
            if (strlen(out) + strlen(json_string_value(x)) + 2 > n) return -1;
            if (*out) strcat(out, " ");
            strcat(out, json_string_value(x));
        }
    } else return -1;
    int m = zx_credit_cat_mask(out);
    if (m < 0) return -1;
    if (m == ZX_CAT_ALL) out[0] = 0; /* canonical: NULL = every item */
    else zx_credit_cat_format((uint16_t)m, out, n);
    return m;
}
static void fmt(zx_date d, char b[11])
{
    if (d == ZX_DATE_NONE) b[0] = 0;
    else zx_date_format(d, b);
}
static zx_date pdate(const char *s)
{
    zx_date d;
    return s && *s && zx_date_parse(s, &d) == 0 ? d : ZX_DATE_NONE;
}

static int64_t actor_uid(const zx_cd_actor *a) { return a->r ? a->r->who.user_id : a->user_id; }

static int audit(const zx_cd_actor *a, db_conn *c, const char *action, const char *type, int64_t id, const char *court,
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

static int exec1(db_conn *c, const char *sql, int64_t a1, const char *t2)
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
                               " filed_on, basis_doc_no, basis_issuer, basis_act FROM enf_case WHERE id = ?");
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
static int lock_case(db_conn *c, int64_t case_id)
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

typedef struct cd_party {
    int64_t id, case_id;
    char role[16], kind[8], name[128], id_raw[40], role_of_unit[24];
} cd_party;

static int party_load(db_conn *c, int64_t id, cd_party *p)
{
    memset(p, 0, sizeof *p);
    db_stmt *s = db_prepare(c, "SELECT id, case_id, role, kind, name, COALESCE(id_number, credit_code), role_of_unit"
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
        cpy(p->id_raw, sizeof p->id_raw, db_col_text(s, 5));
        cpy(p->role_of_unit, sizeof p->role_of_unit, db_col_text(s, 6));
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

/* ---- decisions ------------------------------------------------------------------------------------ */

typedef struct cd_dec {
    int64_t id, case_id, court_id, party_id, proposed_by, approved_by, entry_id, auto_from_id;
    char list[12], person_kind[8], name[128], id_number[20], categories[256], conduct[256], status[12];
    char decided_on[11], approved_on[11], served_on[11], service_method[24], extension_reason[32];
    char facts[512];
    int ground, grace_months, extension_years, on_application;
} cd_dec;

#define DEC_COLS                                                                                              \
    "id, case_id, court_id, party_id, proposed_by, approved_by, entry_id, auto_from_id, list, person_kind, name," \
    " id_number, categories, conduct, status, decided_on, approved_on, served_on, service_method,"              \
    " extension_reason, ground, grace_months, extension_years, on_application"

static int dec_load(db_conn *c, int64_t id, cd_dec *d)
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
        for (int i = 0; i < 12; i++) cpy(tt[i].p, tt[i].n, db_col_text(s, 8 + i));
        d->ground = (int)db_col_int64(s, 20);
        d->grace_months = (int)db_col_int64(s, 21);
        d->extension_years = (int)db_col_int64(s, 22);
        d->on_application = (int)db_col_int64(s, 23);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

static int dec_insert(db_conn *c, const cd_dec *d)
{
    db_stmt *s = db_prepare(c, "INSERT INTO credit_decision (id, list, case_id, court_id, party_id, person_kind, name,"
                               " id_number, ground, categories, conduct, facts, grace_months, extension_years,"
                               " extension_reason, on_application, auto_from_id, status, decided_on, proposed_by,"
                               " approved_on, approved_by, served_on, service_method, created_ms, updated_ms)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERROR;
    int64_t now = zx_now_ms();
    db_bind_int64(s, 1, d->id);
    db_bind_text(s, 2, d->list, -1);
    db_bind_int64(s, 3, d->case_id);
    db_bind_int64(s, 4, d->court_id);
    db_bind_int64(s, 5, d->party_id);
    db_bind_text(s, 6, d->person_kind, -1);
    db_bind_text(s, 7, d->name, -1);
    db_bind_text(s, 8, d->id_number, -1);
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

static int dec_update(db_conn *c, const cd_dec *d, const char *note)
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

static int64_t count2(db_conn *c, const char *sql, int64_t a, const char *b, const char *t3)
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

static bool open_in_case(db_conn *c, int64_t case_id, int64_t party_id, const char *id_number, const char *list)
{
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM credit_decision WHERE case_id = ? AND list = ? AND party_id = ?"
                               " AND status IN ('proposed','approved','served')");
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, list, -1);
    db_bind_int64(s, 3, party_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (n > 0) return true;
    return count2(c, "SELECT COUNT(*) FROM credit_entry WHERE case_id = ? AND id_number = ? AND list = ?"
                     " AND status IN ('grace','active') AND bound_by_entry_id IS NULL",
                  case_id, id_number, list) > 0;
}

/* Last done deletion on the applicant's request for this debtor in this case (失信规定 art 10 para 4). */
static zx_date applicant_deleted_on(db_conn *c, int64_t case_id, const char *id_number)
{
    db_stmt *s = db_prepare(c, "SELECT MAX(done_on) FROM credit_deletion WHERE case_id = ? AND id_number = ?"
                               " AND trigger_code = 'applicant_request' AND status = 'done'");
    if (!s) return ZX_DATE_NONE;
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, id_number, -1);
    zx_date d = db_step(s) == DB_ROW ? pdate(db_col_text(s, 0)) : ZX_DATE_NONE;
    db_finalize(s);
    return d;
}

static bool case_outstanding(const zx_cd_case *k)
{
    return k->recovered_fen < k->claim_fen || (k->claim_fen == 0 && k->basis_act[0]);
}

/* ---- entries -------------------------------------------------------------------------------------- */

static void entry_from_case(struct zx_credit_entry *e, const zx_cd_case *k)
{
    e->case_id = k->id;
    cpy(e->case_no, sizeof e->case_no, k->case_no);
    cpy(e->court_code, sizeof e->court_code, k->court_code);
    cpy(e->basis_doc_no, sizeof e->basis_doc_no, k->basis_doc_no);
    cpy(e->basis_issuer, sizeof e->basis_issuer, k->basis_issuer);
    cpy(e->filed_on, sizeof e->filed_on, k->filed_on);
    if (k->claim_fen > 0)
        snprintf(e->obligation, sizeof e->obligation, "给付金钱人民币%lld.%02lld元%s%.300s", (long long)(k->claim_fen / 100),
                 (long long)(k->claim_fen % 100), k->basis_act[0] ? "；" : "", k->basis_act);
    else cpy(e->obligation, sizeof e->obligation, k->basis_act);
    cpy(e->performance, sizeof e->performance, k->recovered_fen > 0 ? "部分未履行" : "全部未履行");
}

static int entry_extra(db_conn *c, int64_t entry_id, int64_t decision_id, int64_t court_id, int64_t party_id, int ext)
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
static int write_entries(db_conn *c, const zx_cd_case *k, cd_dec *d, zx_date publish, zx_date term_end, json_t *info,
                         int64_t *entry_id)
{
    zx_date today = zx_today();
    struct zx_credit_entry e;
    zx_credit_entry_init(&e);
    cpy(e.list, sizeof e.list, d->list);
    entry_from_case(&e, k);
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
    db_stmt *s = db_prepare(c, "SELECT name, id_number, role_of_unit FROM case_party WHERE case_id = ? AND of_party_id = ?"
                               " AND role = 'unit_person' ORDER BY ord");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, k->id);
    db_bind_int64(s, 2, d->party_id);
    while (db_step(s) == DB_ROW && nup < 16) {
        cpy(up[nup].name, sizeof up[nup].name, db_col_text(s, 0));
        cpy(up[nup].id, sizeof up[nup].id, db_col_text(s, 1));
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
    if (entry_extra(c, e.id, d->id, d->court_id, d->party_id, d->extension_years)) return DB_ERROR;
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
        if (entry_extra(c, b.id, d->id, d->court_id, 0, 0)) return DB_ERROR;
        json_array_append_new(bound, json_pack("{s:s,s:s,s:o}", "name", up[i].name, "role_of_unit", up[i].role, "entry_id",
                                               jid(b.id)));
    }
    json_object_set_new(info, "bound_persons", bound);
    json_object_set_new(info, "bound_skipped_no_valid_id", skipped);
    return 0;
}

/* Both signed and served → effective (法发〔2019〕35号). */
static int make_effective(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, cd_dec *d, zx_cd_err *err)
{
    zx_date served = pdate(d->served_on);
    zx_date publish = zx_dis_publish_on(served, d->grace_months);
    zx_date term_end = strcmp(d->list, "dishonest") == 0 ? zx_dis_term_end(d->ground, publish, d->extension_years)
                                                          : ZX_DATE_NONE; /* 限消 has no term (限消规定 art 9) */
    json_t *info = json_object();
    int64_t entry_id = 0;
    int rc = write_entries(c, k, d, publish, term_end, info, &entry_id);
    if (rc < 0) {
        json_decref(info);
        if (rc == ZX_CREDIT_EBADID) {
            zx_cd_err_set(err, 422, "INVALID_ID_NUMBER", "被执行人证件号码无效，无法纳入");
            return -1;
        }
        return fail_db(err, c, "写入名单");
    }
    cpy(d->status, sizeof d->status, "effective");
    d->entry_id = entry_id;
    if (dec_update(c, d, NULL)) {
        json_decref(info);
        return fail_db(err, c, "更新决定");
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
                          zx_today(), info);
    if (!rc) rc = audit(a, c, strcmp(d->list, "dishonest") == 0 ? "credit.list" : "credit.restrict", "credit_entry", entry_id,
                        k->court_code, info);
    json_decref(info);
    if (rc) return fail_db(err, c, "记录事件");
    /* 限消规定 art 1 para 2: a 失信 debtor must be restricted — create the order with the listing. */
    if (strcmp(d->list, "dishonest") == 0 && zx_restr_required(true) &&
        !open_in_case(c, k->id, d->party_id, d->id_number, "restricted")) {
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
        if (dec_insert(c, &r)) return fail_db(err, c, "限消决定");
        return make_effective(a, c, k, &r, err);
    }
    return 0;
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
        if (rc < 0) return fail_db(err, c, "读取案件");
        zx_cd_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return -1;
    }
    if (a->r && !zx_authz_case(a->r, k.court_id, k.handler_id, k.team_id, k.stage, ZX_CASE_WRITE)) {
        err->status = 403;
        return -1;
    }
    if (!dry_run && lock_case(c, case_id)) return fail_db(err, c, "锁定案件");
    cd_party p;
    rc = party_load(c, party_id, &p);
    if (rc || p.case_id != case_id) {
        if (rc < 0) return fail_db(err, c, "读取当事人");
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
            .outstanding = case_outstanding(&k), .is_person = is_person, .id_valid = id_ok, .birth = birth,
            .decided_on = decided, .security_adequate = jbool(facts, "security_adequate"),
            .seized_sufficient = jbool(facts, "seized_sufficient"), .later_in_order = jbool(facts, "later_in_order"),
            .already_listed = id_ok && open_in_case(c, case_id, party_id, norm, "dishonest"), .on_application = on_app,
            .applicant_deleted_on = id_ok ? applicant_deleted_on(c, case_id, norm) : ZX_DATE_NONE,
            .grace_months = grace, .extension_years = ext,
            .extension_reason_given = jstr(body, "extension_reason") != NULL,
            .conduct_given = jstr(body, "conduct") != NULL,
        };
        n = zx_dis_gate(&f, rs, MAXR);
    } else {
        zx_restr_facts f = { .is_debtor = strcmp(p.role, "debtor") == 0, .case_open = strcmp(k.status, "closed") != 0,
                             .outstanding = case_outstanding(&k), .id_valid = id_ok,
                             .already_restricted = id_ok && open_in_case(c, case_id, party_id, norm, "restricted"),
                             .category_mask = mask, .grace_months = grace };
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
    if (dec_insert(c, &d)) return fail_db(err, c, "保存决定");
    json_t *ev = json_pack("{s:o,s:s,s:s,s:i}", "decision_id", jid(d.id), "list", list, "name", p.name, "ground", d.ground);
    rc = zx_cd_case_event(c, &k, actor_uid(a), dis ? "credit_proposed" : "restriction_proposed", decided, ev);
    if (!rc) rc = audit(a, c, dis ? "credit.propose" : "credit.restrict_propose", "credit_decision", d.id, k.court_code, ev);
    json_decref(ev);
    if (rc) return fail_db(err, c, "记录事件");
    return d.id;
}

int zx_cd_step(const zx_cd_actor *a, db_conn *c, int64_t id, const char *step, json_t *body, zx_cd_err *err)
{
    cd_dec d;
    int rc = dec_load(c, id, &d);
    if (rc) {
        if (rc < 0) return fail_db(err, c, "读取决定");
        zx_cd_err_set(err, 404, "NOT_FOUND", "决定不存在");
        return -1;
    }
    zx_cd_case k;
    if (zx_cd_case_load(c, d.case_id, &k) || lock_case(c, d.case_id)) return fail_db(err, c, "读取案件");
    if (dec_load(c, id, &d)) return fail_db(err, c, "读取决定"); /* re-read under the lock */
    bool open = strcmp(d.status, "proposed") == 0 || strcmp(d.status, "approved") == 0 || strcmp(d.status, "served") == 0;
    bool chief = !a->r || ((a->r->who.roles & ROLE_CHIEF) && a->r->who.court_id == d.court_id);
    bool bad = false;
    zx_date today = zx_today();
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
        if (!open || strcmp(d.status, "served") == 0) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "决定当前状态（%s）不能记录送达", d.status);
            return -1;
        }
        zx_date on = jdate(body, "served_on", today, &bad);
        if (bad || on > today || on < pdate(d.decided_on)) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "送达日期无效（不得早于决定日期、不得晚于今日）");
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
        cpy(d.service_method, sizeof d.service_method, m ? m : "direct");
        cpy(d.status, sizeof d.status, strcmp(d.status, "approved") == 0 ? "effective" : "served");
        kind = "credit_served";
    } else {
        zx_cd_err_set(err, 400, "BAD_REQUEST", "未知操作");
        return -1;
    }
    bool effective = strcmp(d.status, "effective") == 0;
    if (effective) cpy(d.status, sizeof d.status, "served"); /* make_effective sets it after writing entries */
    if (dec_update(c, &d, note)) return fail_db(err, c, "更新决定");
    json_t *ev = json_pack("{s:o,s:s,s:s,s:s?}", "decision_id", jid(d.id), "list", d.list, "name", d.name, "reason", note);
    rc = zx_cd_case_event(c, &k, actor_uid(a), kind, today, ev);
    char action[40];
    snprintf(action, sizeof action, "credit.decision.%s", step);
    if (!rc) rc = audit(a, c, action, "credit_decision", d.id, k.court_code, ev);
    json_decref(ev);
    if (rc) return fail_db(err, c, "记录事件");
    if (effective) return make_effective(a, c, &k, &d, err);
    return 0;
}

/* ---- entry operations ----------------------------------------------------------------------------- */

static bool entry_open(const struct zx_credit_entry *e)
{
    return strcmp(e->status, "grace") == 0 || strcmp(e->status, "active") == 0;
}

static int load_entry_case(db_conn *c, int64_t id, struct zx_credit_entry *e, zx_cd_case *k, zx_cd_err *err)
{
    int rc = zx_credit_entry_load(c, id, e);
    if (rc) {
        if (rc < 0) return fail_db(err, c, "读取名单");
        zx_cd_err_set(err, 404, "NOT_FOUND", "名单信息不存在");
        return -1;
    }
    if (!e->case_id || zx_cd_case_load(c, e->case_id, k)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "该名单信息没有关联案件（历史导入），不能在此处理");
        return -1;
    }
    return 0;
}

static int mark_corrections_fixed(db_conn *c, int64_t entry_id)
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

static int entry_event(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, const struct zx_credit_entry *e,
                       const char *kind, const char *action, json_t *extra)
{
    json_t *ev = extra ? extra : json_object();
    json_object_set_new(ev, "entry_id", jid(e->id));
    json_object_set_new(ev, "list", json_string(e->list));
    json_object_set_new(ev, "name", json_string(e->name));
    json_object_set_new(ev, "status", json_string(e->status));
    int rc = zx_cd_case_event(c, k, actor_uid(a), kind, zx_today(), ev);
    if (!rc) rc = audit(a, c, action, "credit_entry", e->id, k->court_code, ev);
    json_decref(ev);
    return rc;
}

int zx_cd_extend(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (a->r && !((a->r->who.roles & ROLE_CHIEF) && a->r->who.court_id == k.court_id)) {
        zx_cd_err_set(err, 403, "FORBIDDEN", "延长期限须由本院院长决定");
        return -1;
    }
    if (strcmp(e.list, "dishonest") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "限制消费令没有期限，不能延长");
        return -1;
    }
    int64_t cur = count2(c, "SELECT extension_years FROM credit_entry WHERE id = ?", entry_id, NULL, NULL);
    bool bad = false;
    int years = (int)jint(body, "years", 0, &bad);
    const char *reason = jstr(body, "reason");
    bool reason_ok = reason && (strcmp(reason, "serious_violence") == 0 || strcmp(reason, "multiple_acts") == 0);
    zx_reason rs[MAXR];
    int n = zx_dis_extend_check(e.ground, (int)(cur < 0 ? 0 : cur), years, reason_ok, entry_open(&e), rs, MAXR);
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
    if (zx_credit_entry_save(c, &e, "corrected") < 0) return fail_db(err, c, "保存名单");
    db_stmt *s = db_prepare(c, "UPDATE credit_entry SET extension_years = ? WHERE id = ?");
    db_bind_int64(s, 1, total);
    db_bind_int64(s, 2, e.id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return fail_db(err, c, "保存名单");
    if (entry_event(a, c, &k, &e, "credit_extended", "credit.extend",
                    json_pack("{s:i,s:s,s:s,s:s}", "years", years, "reason", reason, "old_term_end", old, "term_end", te)))
        return fail_db(err, c, "记录事件");
    return 0;
}

/* Lift one 限消 entry and the entries bound to it. */
static int lift_tree(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, int64_t root, const char *reason, zx_date on)
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
        if (zx_credit_entry_load(c, ids[i], &e) || !entry_open(&e)) continue;
        cpy(e.status, sizeof e.status, "lifted");
        fmt(on, e.status_on);
        cpy(e.status_reason, sizeof e.status_reason, reason);
        if (zx_credit_entry_save(c, &e, "lifted") < 0) return DB_ERROR;
        if (i == 0 && entry_event(a, c, k, &e, "restriction_lifted", "credit.lift",
                                  json_pack("{s:s,s:i}", "reason", reason, "entries", n)))
            return DB_ERROR;
    }
    return 0;
}

static bool dishonest_open(db_conn *c, int64_t case_id, const char *id_number)
{
    return count2(c, "SELECT COUNT(*) FROM credit_entry WHERE case_id = ? AND id_number = ? AND list = ?"
                     " AND status IN ('grace','active')",
                  case_id, id_number, "dishonest") > 0;
}

int zx_cd_lift(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
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
    int n = zx_restr_lift_check(reason, dishonest_open(c, k.id, debtor_id), entry_open(&e), rs, MAXR);
    if (n) {
        zx_cd_err_reasons(err, "LIFT_NOT_ALLOWED", "不能解除限制消费", rs, n);
        return -1;
    }
    if (lift_tree(a, c, &k, e.id, reason, on)) return fail_db(err, c, "解除限消");
    if (mark_corrections_fixed(c, e.id)) return fail_db(err, c, "更新纠正申请");
    return 0;
}

static int64_t deletion_insert(db_conn *c, const struct zx_credit_entry *e, int64_t court_id, const char *trigger,
                               zx_date trigger_on, const char *note, int64_t uid)
{
    int64_t id = zx_id_new();
    char t[11], due[11];
    fmt(trigger_on, t);
    fmt(zx_dis_deletion_due(trigger_on), due); /* 失信规定 art 10: 3 working days */
    db_stmt *s = db_prepare(c, "INSERT INTO credit_deletion (id, entry_id, case_id, court_id, id_number, trigger_code,"
                               " trigger_on, due_on, status, note, created_by, created_ms) VALUES (?,?,?,?,?,?,?,?,'due',?,?,?)");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e->id);
    if (e->case_id) db_bind_int64(s, 3, e->case_id);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, court_id);
    db_bind_text(s, 5, e->id_number, -1);
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
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (strcmp(e.list, "dishonest") != 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "限制消费令请使用解除（限消规定 art 9）");
        return -1;
    }
    if (!entry_open(&e)) {
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
    if (count2(c, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = ? AND status = 'due'", entry_id, NULL, NULL) > 0) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "已有待执行的删除事由");
        return -1;
    }
    if (strcmp(trigger, "credit_repair") == 0) {
        zx_repair_rules rr;
        zx_cd_repair_rules(c, &rr);
        zx_reason rs[MAXR];
        int n = zx_dis_repair_check(&rr, pdate(e.publish_on), zx_today(), k.recovered_fen, k.claim_fen, rs, MAXR);
        if (n) {
            zx_cd_err_reasons(err, "REPAIR_NOT_ALLOWED", "不符合本院信用修复规则", rs, n);
            return -1;
        }
    }
    int64_t id = deletion_insert(c, &e, k.court_id, trigger, on, jstr(body, "note"), actor_uid(a));
    if (id < 0) return fail_db(err, c, "保存删除事由");
    char due[11];
    fmt(zx_dis_deletion_due(on), due);
    if (entry_event(a, c, &k, &e, "credit_deletion_due", "credit.deletion_trigger",
                    json_pack("{s:o,s:s,s:s,s:s}", "deletion_id", jid(id), "trigger", trigger, "article", t->article, "due_on", due)))
        return fail_db(err, c, "记录事件");
    if (jbool(body, "execute") && zx_cd_deletion_execute(a, c, id, err)) return -1;
    return id;
}

int zx_cd_deletion_execute(const zx_cd_actor *a, db_conn *c, int64_t deletion_id, zx_cd_err *err)
{
    db_stmt *s = db_prepare(c, "SELECT entry_id, trigger_code, status FROM credit_deletion WHERE id = ?");
    if (!s) return fail_db(err, c, "读取删除事由");
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
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    zx_date today = zx_today();
    char day[11];
    fmt(today, day);
    if (entry_open(&e)) {
        cpy(e.status, sizeof e.status, "deleted");
        cpy(e.status_on, sizeof e.status_on, day);
        cpy(e.status_reason, sizeof e.status_reason, trigger);
        if (zx_credit_entry_save(c, &e, "deleted") < 0) return fail_db(err, c, "删除名单");
    }
    s = db_prepare(c, "UPDATE credit_deletion SET status = 'done', done_on = ?, done_by = ? WHERE id = ?");
    db_bind_text(s, 1, day, -1);
    db_bind_int64(s, 2, actor_uid(a));
    db_bind_int64(s, 3, deletion_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || mark_corrections_fixed(c, e.id)) return fail_db(err, c, "更新删除事由");
    if (entry_event(a, c, &k, &e, "credit_deleted", "credit.delete", json_pack("{s:o,s:s}", "deletion_id", jid(deletion_id), "trigger", trigger)))
        return fail_db(err, c, "记录事件");
    /* Performance / end of the case also ends the 限消 order (限消规定 art 9: must lift on full performance). */
    static const char *ends[] = { "full_performance", "settlement_performed", "termination", "non_enforcement" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(trigger, ends[i]) != 0) continue;
        int64_t roots[16];
        int n = 0;
        s = db_prepare(c, "SELECT id FROM credit_entry WHERE case_id = ? AND id_number = ? AND list = 'restricted'"
                          " AND bound_by_entry_id IS NULL AND status IN ('grace','active')");
        db_bind_int64(s, 1, k.id);
        db_bind_text(s, 2, e.id_number, -1);
        while (db_step(s) == DB_ROW && n < 16) roots[n++] = db_col_int64(s, 0);
        db_finalize(s);
        for (int j = 0; j < n; j++)
            if (lift_tree(a, c, &k, roots[j], i < 2 ? "full_performance" : trigger, today)) return fail_db(err, c, "解除限消");
    }
    return 0;
}

int zx_cd_revoke(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *reason = jstr(body, "reason");
    bool bad = false;
    zx_date found = jdate(body, "found_on", zx_today(), &bad);
    if (!reason || bad || found > zx_today()) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写撤销理由和发现日期");
        return -1;
    }
    if (!entry_open(&e)) {
        zx_cd_err_set(err, 409, "INVALID_STATE", "名单信息已删除、解除或撤销");
        return -1;
    }
    int64_t decision_id = count2(c, "SELECT COALESCE(decision_id, 0) FROM credit_entry WHERE id = ?", e.id, NULL, NULL);
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
        if (zx_credit_entry_load(c, ids[i], &x) || !entry_open(&x)) continue;
        cpy(x.status, sizeof x.status, "revoked");
        cpy(x.status_on, sizeof x.status_on, day);
        cpy(x.status_reason, sizeof x.status_reason, reason);
        if (zx_credit_entry_save(c, &x, "revoked") < 0) return fail_db(err, c, "撤销名单");
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
        if (rc != DB_DONE || mark_corrections_fixed(c, x.id)) return fail_db(err, c, "记录撤销");
    }
    if (entry_event(a, c, &k, &e, "credit_revoked", "credit.revoke",
                    json_pack("{s:s,s:s,s:s,s:i}", "reason", reason, "found_on", fd, "due_on", due, "entries", n)))
        return fail_db(err, c, "记录事件");
    return 0;
}

int zx_cd_correct(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *reason = jstr(body, "reason");
    bool bad = false;
    zx_date found = jdate(body, "found_on", zx_today(), &bad);
    json_t *ch = json_object_get(body, "changes");
    if (!reason || bad || !json_is_object(ch) || !json_object_size(ch)) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写更正内容（changes）、理由和发现日期");
        return -1;
    }
    if (!entry_open(&e)) {
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
        return fail_db(err, c, "更正名单");
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
    if (rc != DB_DONE || mark_corrections_fixed(c, e.id)) {
        json_decref(diff);
        return fail_db(err, c, "记录更正");
    }
    if (entry_event(a, c, &k, &e, "credit_corrected", "credit.correct",
                    json_pack("{s:s,s:o,s:s}", "reason", reason, "changes", diff, "due_on", due)))
        return fail_db(err, c, "记录事件");
    return 0;
}

/* Rewrite the permission window (the current or next active one) on every open entry of this debtor
 * in this case, so the snapshot honours it (permit_categories/from/to). */
static int refresh_window(const zx_cd_actor *a, db_conn *c, int64_t case_id, const char *id_number, zx_date today)
{
    char day[11];
    fmt(today, day);
    char cats[256] = "", from[11] = "", to[11] = "";
    db_stmt *s = db_prepare(c, "SELECT p.categories, p.from_on, p.to_on FROM credit_permit p JOIN credit_entry e ON e.id = p.entry_id"
                               " WHERE e.case_id = ? AND e.id_number = ? AND p.status = 'active' AND p.to_on >= ?"
                               " ORDER BY p.from_on, p.id LIMIT 1");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, id_number, -1);
    db_bind_text(s, 3, day, -1);
    if (db_step(s) == DB_ROW) {
        cpy(cats, sizeof cats, db_col_text(s, 0));
        cpy(from, sizeof from, db_col_text(s, 1));
        cpy(to, sizeof to, db_col_text(s, 2));
    }
    db_finalize(s);
    int64_t ids[32];
    int n = 0;
    s = db_prepare(c, "SELECT id FROM credit_entry WHERE case_id = ? AND id_number = ? AND status IN ('grace','active')");
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, id_number, -1);
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
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
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
    int n = zx_restr_permit_check(kind, mask, from, to, e.bound_role[0] != 0, entry_open(&e), today, rs, MAXR);
    if (!reason && n < MAXR) rs[n++] = (zx_reason){ "REASON_REQUIRED", "法发〔2019〕35号 para 17", "请填写申请事由" };
    if (n) {
        zx_cd_err_reasons(err, "PERMIT_NOT_ALLOWED", "不能准许", rs, n);
        return -1;
    }
    int64_t id = zx_id_new();
    char f[11], t[11];
    fmt(from, f);
    fmt(to, t);
    db_stmt *s = db_prepare(c, "INSERT INTO credit_permit (id, entry_id, kind, categories, from_on, to_on, reason, status,"
                               " created_by, created_ms) VALUES (?,?,?,?,?,?,?,'active',?,?)");
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e.id);
    db_bind_text(s, 3, kind, -1);
    db_bind_text(s, 4, cats, -1);
    db_bind_text(s, 5, f, -1);
    db_bind_text(s, 6, t, -1);
    db_bind_text(s, 7, reason, -1);
    db_bind_int64(s, 8, actor_uid(a));
    db_bind_int64(s, 9, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE || refresh_window(a, c, k.id, e.id_number, today) < 0) return fail_db(err, c, "保存许可");
    if (entry_event(a, c, &k, &e, "credit_permit", "credit.permit",
                    json_pack("{s:o,s:s,s:s,s:s,s:s}", "permit_id", jid(id), "kind", kind, "categories", cats, "from", f, "to", t)))
        return fail_db(err, c, "记录事件");
    return id;
}

int zx_cd_permit_revoke(const zx_cd_actor *a, db_conn *c, int64_t permit_id, zx_cd_err *err)
{
    int64_t entry_id = count2(c, "SELECT entry_id FROM credit_permit WHERE id = ? AND status = 'active'", permit_id, NULL, NULL);
    if (entry_id <= 0) {
        zx_cd_err_set(err, 404, "NOT_FOUND", "许可不存在或已撤销");
        return -1;
    }
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    if (exec1(c, "UPDATE credit_permit SET status = 'revoked' WHERE id = ?", permit_id, NULL) ||
        refresh_window(a, c, k.id, e.id_number, zx_today()) < 0)
        return fail_db(err, c, "撤销许可");
    if (entry_event(a, c, &k, &e, "credit_permit_revoked", "credit.permit_revoke", json_pack("{s:o}", "permit_id", jid(permit_id))))
        return fail_db(err, c, "记录事件");
    return 0;
}

/* ---- correction applications (失信规定 art 11–12) ------------------------------------------------- */

int64_t zx_cd_correction_add(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err)
{
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    const char *who = jstr(body, "applicant_name"), *kind = jstr(body, "kind"), *reason = jstr(body, "reason");
    bool bad = false;
    zx_date rec = jdate(body, "received_on", zx_today(), &bad);
    bool kind_ok = kind && (!strcmp(kind, "wrong_listing") || !strcmp(kind, "inaccurate") || !strcmp(kind, "should_delete"));
    if (!who || !kind_ok || !reason || bad || rec > zx_today()) {
        zx_cd_err_set(err, 400, "VALIDATION_FAILED", "请填写申请人、申请类型（wrong_listing/inaccurate/should_delete）、理由和收到日期");
        return -1;
    }
    int64_t id = zx_id_new();
    char r1[11], due[11];
    fmt(rec, r1);
    fmt(zx_dis_review_due(rec), due); /* art 12: 15 days */
    db_stmt *s = db_prepare(c, "INSERT INTO credit_correction (id, entry_id, court_id, applicant_name, kind, reason, received_on,"
                               " review_due, status, created_by, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,'pending',?,?,?)");
    int64_t now = zx_now_ms();
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, e.id);
    db_bind_int64(s, 3, k.court_id);
    db_bind_text(s, 4, who, -1);
    db_bind_text(s, 5, kind, -1);
    db_bind_text(s, 6, reason, -1);
    db_bind_text(s, 7, r1, -1);
    db_bind_text(s, 8, due, -1);
    db_bind_int64(s, 9, actor_uid(a));
    db_bind_int64(s, 10, now);
    db_bind_int64(s, 11, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return fail_db(err, c, "保存纠正申请");
    if (entry_event(a, c, &k, &e, "credit_correction_received", "credit.correction_add",
                    json_pack("{s:o,s:s,s:s,s:s}", "correction_id", jid(id), "kind", kind, "applicant", who, "review_due", due)))
        return fail_db(err, c, "记录事件");
    return id;
}

int zx_cd_correction_step(const zx_cd_actor *a, db_conn *c, int64_t id, const char *step, json_t *body, zx_cd_err *err)
{
    db_stmt *s = db_prepare(c, "SELECT entry_id, status, decided_on FROM credit_correction WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        zx_cd_err_set(err, 404, "NOT_FOUND", "纠正申请不存在");
        return -1;
    }
    int64_t entry_id = db_col_int64(s, 0);
    char st[24], decided[11];
    cpy(st, sizeof st, db_col_text(s, 1));
    cpy(decided, sizeof decided, db_col_text(s, 2));
    db_finalize(s);
    struct zx_credit_entry e;
    zx_cd_case k;
    if (load_entry_case(c, entry_id, &e, &k, err)) return -1;
    bool bad = false;
    zx_date today = zx_today();
    const char *outcome = jstr(body, "outcome"), *note = jstr(body, "note");
    bool oc_ok = outcome && (!strcmp(outcome, "upheld") || !strcmp(outcome, "rejected"));
    char d1[11], d2[11];
    const char *sql;
    const char *newst;
    if (strcmp(step, "decide") == 0 || strcmp(step, "reconsider-decide") == 0) {
        bool first = strcmp(step, "decide") == 0;
        if (strcmp(st, first ? "pending" : "reconsidering") != 0) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "申请当前状态（%s）不能作出此决定", st);
            return -1;
        }
        zx_date on = jdate(body, "decided_on", today, &bad);
        if (!oc_ok || bad || on > today) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "outcome 须为 upheld 或 rejected，日期有效");
            return -1;
        }
        fmt(on, d1);
        bool up = strcmp(outcome, "upheld") == 0;
        /* art 12: upheld → fix within 3 working days; rejected → 复议 within 10 days */
        fmt(up ? zx_dis_fix_due(on) : (first ? zx_dis_reconsider_by(on) : ZX_DATE_NONE), d2);
        if (first) {
            newst = up ? "upheld" : "rejected";
            sql = up ? "UPDATE credit_correction SET status = ?, decided_on = ?, fix_due = ?, note = ?, updated_ms = ? WHERE id = ?"
                     : "UPDATE credit_correction SET status = ?, decided_on = ?, reconsider_by = ?, note = ?, updated_ms = ? WHERE id = ?";
        } else {
            newst = up ? "reconsider_upheld" : "reconsider_rejected";
            sql = "UPDATE credit_correction SET status = ?, reconsider_decided_on = ?, fix_due = ?, reconsider_note = ?,"
                  " updated_ms = ? WHERE id = ?";
        }
    } else if (strcmp(step, "reconsider") == 0) {
        if (strcmp(st, "rejected") != 0) {
            zx_cd_err_set(err, 409, "INVALID_STATE", "只有被驳回的申请可以申请复议");
            return -1;
        }
        zx_date on = jdate(body, "filed_on", today, &bad);
        if (bad || on > today) {
            zx_cd_err_set(err, 400, "VALIDATION_FAILED", "复议申请日期无效");
            return -1;
        }
        fmt(on, d1);
        fmt(zx_dis_reconsider_due(on), d2); /* art 12: decided within 15 days */
        newst = "reconsidering";
        note = jstr(body, "reason");
        sql = "UPDATE credit_correction SET status = ?, reconsider_filed_on = ?, reconsider_due = ?,"
              " reconsider_note = ?, updated_ms = ? WHERE id = ?";
    } else {
        zx_cd_err_set(err, 400, "BAD_REQUEST", "未知操作");
        return -1;
    }
    s = db_prepare(c, sql);
    db_bind_text(s, 1, newst, -1);
    db_bind_text(s, 2, d1, -1);
    db_bind_text(s, 3, d2[0] ? d2 : NULL, -1);
    db_bind_text(s, 4, note, -1);
    db_bind_int64(s, 5, zx_now_ms());
    db_bind_int64(s, 6, id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return fail_db(err, c, "更新纠正申请");
    if (entry_event(a, c, &k, &e, "credit_correction_step", "credit.correction_step",
                    json_pack("{s:o,s:s,s:s}", "correction_id", jid(id), "step", step, "status", newst)))
        return fail_db(err, c, "记录事件");
    return 0;
}

/* ---- lookups and renderers ------------------------------------------------------------------------ */

int zx_cd_object_case(db_conn *c, const char *kind, int64_t id, int64_t *case_id, int64_t *court_id)
{
    const char *sql = !strcmp(kind, "decision") ? "SELECT case_id, court_id FROM credit_decision WHERE id = ?"
                    : !strcmp(kind, "entry")    ? "SELECT e.case_id, k.court_id FROM credit_entry e JOIN enf_case k ON k.id = e.case_id WHERE e.id = ?"
                    : !strcmp(kind, "deletion") ? "SELECT case_id, court_id FROM credit_deletion WHERE id = ?"
                    : !strcmp(kind, "correction") ? "SELECT e.case_id, x.court_id FROM credit_correction x JOIN credit_entry e ON e.id = x.entry_id WHERE x.id = ?"
                    : "SELECT e.case_id, k.court_id FROM credit_permit p JOIN credit_entry e ON e.id = p.entry_id JOIN enf_case k ON k.id = e.case_id WHERE p.id = ?";
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *case_id = db_col_int64(s, 0);
        *court_id = db_col_int64(s, 1);
    }
    db_finalize(s);
    return rc == DB_ROW && *case_id ? 0 : 1;
}

static json_t *masked(const char *id, bool unmask)
{
    if (!id || !*id) return json_null();
    if (unmask) return json_string(id);
    char m[19];
    zx_credit_id_mask(id, m);
    return json_string(m);
}

static json_t *user_ref(db_conn *c, int64_t uid)
{
    if (!uid) return json_null();
    db_stmt *s = db_prepare(c, "SELECT display_name FROM app_user WHERE id = ?");
    json_t *j = NULL;
    if (s) {
        db_bind_int64(s, 1, uid);
        if (db_step(s) == DB_ROW) j = json_pack("{s:o,s:s?}", "id", jid(uid), "name", db_col_text(s, 0));
        db_finalize(s);
    }
    return j ? j : json_pack("{s:o,s:n}", "id", jid(uid), "name");
}

json_t *zx_cd_decision_json(db_conn *c, int64_t id, bool unmask)
{
    cd_dec d;
    if (dec_load(c, id, &d)) return NULL;
    zx_cd_case k;
    zx_cd_case_load(c, d.case_id, &k);
    const zx_dis_ground *g = zx_dis_ground_get(d.ground);
    json_t *j = json_pack("{s:o,s:s,s:o,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:o,s:b,s:s,s:s,s:o}", "id", jid(d.id),
                          "list", d.list, "case_id", jid(d.case_id), "case_no", k.case_no, "court", k.court_code, "party_id",
                          jid(d.party_id), "person_kind", d.person_kind, "name", d.name, "id_number", masked(d.id_number, unmask),
                          "ground", d.ground ? json_integer(d.ground) : json_null(), "ground_label",
                          g ? json_string(g->label) : json_null(), "categories", jstr_or_null(d.categories), "conduct",
                          jstr_or_null(d.conduct), "grace_months", d.grace_months, "extension_years", d.extension_years,
                          "extension_reason", jstr_or_null(d.extension_reason), "on_application", d.on_application != 0,
                          "status", d.status, "decided_on", d.decided_on, "proposed_by", user_ref(c, d.proposed_by));
    json_object_set_new(j, "approved_on", jstr_or_null(d.approved_on));
    json_object_set_new(j, "approved_by", d.approved_by ? user_ref(c, d.approved_by) : json_null());
    json_object_set_new(j, "served_on", jstr_or_null(d.served_on));
    json_object_set_new(j, "service_method", jstr_or_null(d.service_method));
    json_object_set_new(j, "entry_id", jid(d.entry_id));
    json_object_set_new(j, "auto_from_id", jid(d.auto_from_id));
    struct zx_credit_entry e;
    if (d.entry_id && zx_credit_entry_load(c, d.entry_id, &e) == 0) {
        json_object_set_new(j, "publish_on", json_string(e.publish_on));
        json_object_set_new(j, "term_end", jstr_or_null(e.term_end));
        json_object_set_new(j, "entry_status", json_string(e.status));
    } else {
        json_object_set_new(j, "publish_on", json_null());
        json_object_set_new(j, "term_end", json_null());
    }
    db_stmt *s = db_prepare(c, "SELECT status_note, created_ms FROM credit_decision WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) {
        json_object_set_new(j, "status_note", jstr_or_null(db_col_text(s, 0)));
        json_object_set_new(j, "created_ms", json_integer(db_col_int64(s, 1)));
    }
    db_finalize(s);
    return j;
}

const char *zx_cd_level(zx_date due, zx_date today, int lead)
{
    if (due == ZX_DATE_NONE) return "ok";
    if (due < today) return "overdue";
    if (due - today <= lead) return "warning";
    return "ok";
}

json_t *zx_cd_deletion_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT d.id, d.entry_id, d.case_id, d.trigger_code, d.trigger_on, d.due_on, d.status, d.done_on,"
                               " d.note, e.case_no, e.name FROM credit_deletion d JOIN credit_entry e ON e.id = d.entry_id WHERE d.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        const zx_dis_trigger *t = zx_dis_trigger_get(db_col_text(s, 3));
        zx_date due = pdate(db_col_text(s, 5)), today = zx_today();
        bool done = strcmp(db_col_text(s, 6), "due") != 0;
        j = json_pack("{s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I}", "id", jid(db_col_int64(s, 0)), "entry_id",
                      jid(db_col_int64(s, 1)), "case_id", jid(db_col_int64(s, 2)), "case_no", db_col_text(s, 9), "name",
                      db_col_text(s, 10), "trigger", db_col_text(s, 3), "trigger_label", t ? t->label : "", "article",
                      t ? t->article : "", "trigger_on", db_col_text(s, 4), "due_on", db_col_text(s, 5), "status",
                      json_string(db_col_text(s, 6)), "done_on", jstr_or_null(db_col_text(s, 7)), "level",
                      done ? "ok" : zx_cd_level(due, today, 1), "days_left", (json_int_t)(due - today));
        json_object_set_new(j, "note", jstr_or_null(db_col_text(s, 8)));
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_correction_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT x.id, x.entry_id, e.case_no, e.name, x.applicant_name, x.kind, x.reason, x.received_on,"
                               " x.review_due, x.status, x.decided_on, x.note, x.fix_due, x.fixed_on, x.reconsider_by,"
                               " x.reconsider_filed_on, x.reconsider_due, x.reconsider_decided_on, x.reconsider_note"
                               " FROM credit_correction x JOIN credit_entry e ON e.id = x.entry_id WHERE x.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        j = json_pack("{s:o,s:o}", "id", jid(db_col_int64(s, 0)), "entry_id", jid(db_col_int64(s, 1)));
        static const char *names[] = { "case_no", "name", "applicant_name", "kind", "reason", "received_on", "review_due",
                                       "status", "decided_on", "note", "fix_due", "fixed_on", "reconsider_by",
                                       "reconsider_filed_on", "reconsider_due", "reconsider_decided_on", "reconsider_note" };
        for (int i = 0; i < 17; i++) json_object_set_new(j, names[i], jstr_or_null(db_col_text(s, 2 + i)));
        const char *st = db_col_text(s, 9);
        zx_date due = ZX_DATE_NONE;
        if (!strcmp(st, "pending")) due = pdate(db_col_text(s, 8));
        else if (!strcmp(st, "reconsidering")) due = pdate(db_col_text(s, 16));
        else if ((!strcmp(st, "upheld") || !strcmp(st, "reconsider_upheld")) && db_col_is_null(s, 13)) due = pdate(db_col_text(s, 12));
        json_object_set_new(j, "level", json_string(zx_cd_level(due, zx_today(), 3)));
        json_object_set_new(j, "open_due", due == ZX_DATE_NONE ? json_null() : json_string(db_col_text(s, !strcmp(st, "pending") ? 8 : !strcmp(st, "reconsidering") ? 16 : 12)));
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_permit_json(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT id, entry_id, kind, categories, from_on, to_on, reason, status, created_by FROM credit_permit WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        json_t *cats = json_array();
        char buf[256];
        cpy(buf, sizeof buf, db_col_text(s, 3));
        for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) json_array_append_new(cats, json_string(t));
        const char *st = db_col_text(s, 7);
        bool expired = !strcmp(st, "active") && pdate(db_col_text(s, 5)) < zx_today();
        int64_t uid = db_col_int64(s, 8);
        j = json_pack("{s:o,s:o,s:s,s:o,s:s,s:s,s:s,s:s}", "id", jid(db_col_int64(s, 0)), "entry_id", jid(db_col_int64(s, 1)),
                      "kind", db_col_text(s, 2), "categories", cats, "from", db_col_text(s, 4), "to", db_col_text(s, 5), "reason",
                      db_col_text(s, 6), "status", expired ? "expired" : st);
        db_finalize(s);
        json_object_set_new(j, "created_by", user_ref(c, uid));
        return j;
    }
    db_finalize(s);
    return j;
}

json_t *zx_cd_entry_json(db_conn *c, int64_t id, bool unmask)
{
    struct zx_credit_entry e;
    if (zx_credit_entry_load(c, id, &e)) return NULL;
    json_t *j = zx_credit_entry_json(&e);
    json_object_set_new(j, "id", jid(e.id));
    json_object_set_new(j, "case_id", jid(e.case_id));
    json_object_set_new(j, "bound_by_entry_id", jid(e.bound_by_entry_id));
    json_object_set_new(j, "id_number", masked(e.id_number, unmask));
    db_stmt *s = db_prepare(c, "SELECT decision_id, extension_years, party_id FROM credit_entry WHERE id = ?");
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) {
        json_object_set_new(j, "decision_id", jid(db_col_int64(s, 0)));
        json_object_set_new(j, "extension_years", json_integer(db_col_int64(s, 1)));
        json_object_set_new(j, "party_id", jid(db_col_int64(s, 2)));
    }
    db_finalize(s);
    zx_date today = zx_today(), pub = pdate(e.publish_on);
    json_object_set_new(j, "effective", json_boolean(zx_dis_effective(e.status, pub, pdate(e.term_end), today)));
    json_object_set_new(j, "days_to_publish", json_integer(pub > today ? pub - today : 0));
    json_t *permits = json_array();
    int64_t pids[32];
    int n = 0;
    s = db_prepare(c, "SELECT id FROM credit_permit WHERE entry_id = ? ORDER BY from_on");
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW && n < 32) pids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *p = zx_cd_permit_json(c, pids[i]);
        if (p) json_array_append_new(permits, p);
    }
    json_object_set_new(j, "permits", permits);
    int64_t did = count2(c, "SELECT COALESCE(MAX(id), 0) FROM credit_deletion WHERE entry_id = ?", id, NULL, NULL);
    json_t *del = did > 0 ? zx_cd_deletion_json(c, did) : NULL;
    json_object_set_new(j, "deletion", del ? del : json_null());
    return j;
}

void zx_cd_repair_rules(db_conn *c, zx_repair_rules *out)
{
    *out = (zx_repair_rules){ .enabled = false, .after_months = 6, .min_percent = 50, .require_full = false };
    db_stmt *s = db_prepare(c, "SELECT value FROM setting WHERE key = 'credit.repair'");
    if (!s) return;
    if (db_step(s) == DB_ROW) {
        json_t *j = json_loads(db_col_text(s, 0), 0, NULL);
        if (j) {
            out->enabled = json_is_true(json_object_get(j, "enabled"));
            if (json_is_integer(json_object_get(j, "early_deletion_after_months")))
                out->after_months = (int)json_integer_value(json_object_get(j, "early_deletion_after_months"));
            if (json_is_integer(json_object_get(j, "min_performed_percent")))
                out->min_percent = (int)json_integer_value(json_object_get(j, "min_performed_percent"));
            out->require_full = json_is_true(json_object_get(j, "require_full_performance"));
            json_decref(j);
        }
    }
    db_finalize(s);
}

/* ---- sweep ---------------------------------------------------------------------------------------- */

int zx_cd_sweep(db_conn *c, zx_date today)
{
    char day[11];
    fmt(today, day);
    zx_cd_actor sys = { .r = NULL, .user_id = 0, .username = "system" };
    int done = 0;
    /* 失信规定 art 10 para 2: fixed term over → delete within 3 working days (task created here). */
    int64_t ids[128];
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT e.id FROM credit_entry e WHERE e.list = 'dishonest' AND e.status IN ('grace','active')"
                               " AND e.term_end IS NOT NULL AND e.term_end <> '' AND e.term_end < ? AND e.case_id IS NOT NULL"
                               " AND NOT EXISTS (SELECT 1 FROM credit_deletion d WHERE d.entry_id = e.id AND d.status IN ('due','done'))"
                               " ORDER BY e.id LIMIT 128");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, day, -1);
    while (db_step(s) == DB_ROW && n < 128) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(c)) return done ? done : DB_ERROR;
        struct zx_credit_entry e;
        zx_cd_case k;
        int ok = zx_credit_entry_load(c, ids[i], &e) == 0 && entry_open(&e) && zx_cd_case_load(c, e.case_id, &k) == 0;
        if (ok) {
            zx_date end = pdate(e.term_end);
            int64_t did = deletion_insert(c, &e, k.court_id, "term_expired", end, "期限届满（系统自动登记）", 0);
            char due[11];
            fmt(zx_dis_deletion_due(end), due);
            if (did < 0 || entry_event(&sys, c, &k, &e, "credit_deletion_due", "credit.deletion_trigger",
                                       json_pack("{s:o,s:s,s:s}", "deletion_id", jid(did), "trigger", "term_expired", "due_on", due))) {
                db_rollback(c);
                return done ? done : DB_ERROR;
            }
        }
        if (db_commit(c)) return done ? done : DB_ERROR;
        done += ok;
    }
    /* Permission windows that ended: roll to the next one (法发〔2019〕35号 para 17). */
    struct { int64_t case_id; char id[20]; } w[128];
    n = 0;
    s = db_prepare(c, "SELECT DISTINCT case_id, id_number FROM credit_entry WHERE status IN ('grace','active')"
                      " AND permit_to IS NOT NULL AND permit_to <> '' AND permit_to < ? AND case_id IS NOT NULL LIMIT 128");
    db_bind_text(s, 1, day, -1);
    while (db_step(s) == DB_ROW && n < 128) {
        w[n].case_id = db_col_int64(s, 0);
        cpy(w[n].id, sizeof w[n].id, db_col_text(s, 1));
        n++;
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(c)) return done ? done : DB_ERROR;
        int rc = refresh_window(&sys, c, w[i].case_id, w[i].id, today);
        if (rc < 0) {
            db_rollback(c);
            return done ? done : DB_ERROR;
        }
        if (db_commit(c)) return done ? done : DB_ERROR;
        done++;
    }
    if (done) zx_credit_sync(c);
    return done;
}

static void *sweep_thread(void *arg)
{
    zx_app *app = arg;
    sleep(5); /* let short CLI commands (which also run start hooks) finish first */
    for (;;) {
        db_conn *c = db_acquire(app->db);
        int n = zx_cd_sweep(c, zx_today());
        db_release(app->db, c);
        if (n < 0) LOG_WARN("credit decisions: sweep failed (%d)", n);
        else if (n > 0) LOG_INFO("credit decisions: sweep made %d changes (term expiry / permission windows)", n);
        sleep(60);
    }
    return NULL;
}

/* Start hook: term-expiry deletion tasks and permission-window rollover, at start and every minute.
 * (The grace-end publication itself is the credit engine's sweep, zx_credit_publish_due.) */
static int decisions_start(zx_app *app)
{
    pthread_t th;
    if (pthread_create(&th, NULL, sweep_thread, app) != 0) return -1;
    pthread_detach(th);
    return 0;
}
ZX_ON_START("credit decisions sweep", decisions_start)
