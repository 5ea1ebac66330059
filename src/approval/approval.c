/* approval.c — the registry of approval kinds, submitting and withdrawing items inside the caller's
 * transaction, and deciding an item (approve / return) in one transaction with the kind's callback,
 * the case event and the audit record. See approval.h. The HTTP side is src/api/approvals.c. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "approval/approval_internal.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/ids.h"
#include "core/log.h"

/* ------------------------------------------------------------------ registry */
#define MAX_KINDS 64
static const struct zx_approval_kind *kinds[MAX_KINDS];
static int nkinds;

void zx_approval_kind_add(const struct zx_approval_kind *k)
{
    if (!k || !k->kind || !k->label) return;
    for (int i = 0; i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, k->kind)) {
            fprintf(stderr, "approval: kind %s registered twice\n", k->kind);
            abort();
        }
    if (nkinds == MAX_KINDS) {
        fprintf(stderr, "approval: too many kinds (raise MAX_KINDS)\n");
        abort();
    }
    kinds[nkinds++] = k;
}

const struct zx_approval_kind *zx_approval_kind_find(const char *kind)
{
    for (int i = 0; kind && i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, kind)) return kinds[i];
    return NULL;
}

json_t *zx_approval_kinds_json(void)
{
    json_t *a = json_array();
    for (int i = 0; i < nkinds; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "kind", kinds[i]->kind, "label", kinds[i]->label));
    return a;
}

const char *zx_approval_kind_label(const char *kind)
{
    const struct zx_approval_kind *k = zx_approval_kind_find(kind);
    return k ? k->label : "审批事项";
}

void zx_approval_err_set(zx_approval_err *e, int status, const char *code, const char *fmt, ...)
{
    if (!e) return;
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ who decides */
bool zx_approval_may_decide(const zx_principal *who, const zx_approval *a)
{
    if (!who || who->kind != ZX_USER) return false;
    const struct zx_approval_kind *k = zx_approval_kind_find(a->kind);
    if (!k) return false;
    unsigned roles = k->approver_roles ? k->approver_roles : ROLE_CHIEF;
    if (!(who->roles & roles)) return false;
    if (!k->superior) return who->court_id == a->court_id;
    /* 上级法院: the court directly above or any court further up */
    return who->court_id != a->court_id && zx_court_within(a->court_id, who->court_id);
}

/* ------------------------------------------------------------------ rows */
#define APPROVAL_COLS                                                                                   \
    "id, kind, court_id, case_id, object_id, summary, status, submitted_by, submitted_ms, submitted_on, " \
    "due_on, decided_by, decided_ms, opinion, data"

const char *zx_approval_cols(void) { return APPROVAL_COLS; }

static zx_date col_date(db_stmt *s, int col)
{
    zx_date d = ZX_DATE_NONE;
    const char *t = db_col_text(s, col);
    if (!t || zx_date_parse(t, &d) != 0) return ZX_DATE_NONE;
    return d;
}

void zx_approval_from_row(db_stmt *s, zx_approval *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_col_int64(s, 0);
    snprintf(a->kind, sizeof a->kind, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    a->court_id = db_col_int64(s, 2);
    a->case_id = db_col_int64(s, 3);
    a->object_id = db_col_int64(s, 4);
    snprintf(a->summary, sizeof a->summary, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
    snprintf(a->status, sizeof a->status, "%s", db_col_text(s, 6) ? db_col_text(s, 6) : "");
    a->submitted_by = db_col_int64(s, 7);
    a->submitted_ms = db_col_int64(s, 8);
    a->submitted_on = col_date(s, 9);
    a->due_on = col_date(s, 10);
    a->decided_by = db_col_int64(s, 11);
    a->opinion = NULL;
}

int zx_approval_load(db_conn *c, int64_t id, zx_approval *a, char *opinion, size_t oplen)
{
    db_stmt *s = db_prepare(c, "SELECT " APPROVAL_COLS " FROM approval WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        zx_approval_from_row(s, a);
        if (opinion && oplen) snprintf(opinion, oplen, "%s", db_col_text(s, 13) ? db_col_text(s, 13) : "");
        rc = 0;
    } else if (rc == DB_DONE) rc = 1;
    db_finalize(s);
    return rc;
}

/* ------------------------------------------------------------------ case events */
/* Append an approval event to the case (stage unchanged). */
static int case_event(db_conn *c, int64_t user_id, const zx_approval *a, const char *event_kind, const char *opinion)
{
    if (!a->case_id) return 0;
    char stage[32] = "";
    db_stmt *s = db_prepare(c, "SELECT stage FROM enf_case WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, a->case_id);
    int rc = db_step(s);
    if (rc == DB_ROW && db_col_text(s, 0)) snprintf(stage, sizeof stage, "%s", db_col_text(s, 0));
    db_finalize(s);
    if (rc != DB_ROW) return DB_ERROR;
    json_t *data = json_pack("{s:o,s:s,s:s,s:s}", "approval_id", zx_json_id(a->id), "approval_kind", a->kind,
                             "label", zx_approval_kind_label(a->kind), "summary", a->summary);
    if (opinion) json_object_set_new(data, "opinion", json_string(opinion));
    if (a->due_on != ZX_DATE_NONE && !strcmp(event_kind, "approval_submitted"))
        json_object_set_new(data, "due_on", zx_json_date(a->due_on));
    int64_t eid = zx_case_event_add(c, NULL, a->case_id, user_id, event_kind, stage[0] ? stage : NULL, zx_today(),
                                    data, NULL);
    json_decref(data);
    return eid > 0 ? 0 : DB_ERROR;
}

static char *audit_detail(const zx_approval *a, const char *opinion)
{
    json_t *d = json_pack("{s:s,s:o,s:o}", "kind", a->kind, "case_id", zx_json_id(a->case_id), "object_id",
                          zx_json_id(a->object_id));
    if (opinion) json_object_set_new(d, "opinion", json_string(opinion));
    char *txt = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    return txt;
}

/* ------------------------------------------------------------------ submit / withdraw */
static int64_t case_court(db_conn *c, int64_t case_id)
{
    db_stmt *s = db_prepare(c, "SELECT court_id FROM enf_case WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    int64_t court = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return court;
}

static int64_t submit(db_conn *c, zx_req *r, int64_t user_id, int64_t court_id, const char *kind, int64_t case_id,
                      int64_t object_id, const char *summary, zx_date due_on)
{
    if (!zx_approval_kind_find(kind)) {
        LOG_ERROR("approval: submit of unregistered kind %s", kind ? kind : "(null)");
        return ZX_APPROVAL_EKIND;
    }
    if (!summary || !summary[0] || strlen(summary) >= sizeof ((zx_approval *)0)->summary) return ZX_APPROVAL_EINPUT;
    if (case_id) {
        int64_t cc = case_court(c, case_id);
        if (cc < 0) return cc;
        if (cc == 0) return ZX_APPROVAL_EINPUT;
        court_id = cc;
    }
    if (!court_id) return ZX_APPROVAL_EINPUT;
    int p = zx_approval_pending(c, kind, case_id, object_id);
    if (p < 0) return p;
    if (p) return ZX_APPROVAL_EDUP;

    zx_approval a;
    memset(&a, 0, sizeof a);
    a.id = zx_id_new();
    snprintf(a.kind, sizeof a.kind, "%s", kind);
    a.court_id = court_id;
    a.case_id = case_id;
    a.object_id = object_id;
    snprintf(a.summary, sizeof a.summary, "%s", summary);
    a.submitted_by = user_id;
    a.submitted_ms = zx_now_ms();
    a.submitted_on = zx_today();
    a.due_on = due_on;
    char on[11], due[11];
    zx_date_format(a.submitted_on, on);
    if (due_on != ZX_DATE_NONE) zx_date_format(due_on, due);
    db_stmt *s = db_prepare(c, "INSERT INTO approval (id, kind, court_id, case_id, object_id, summary, status,"
                               " submitted_by, submitted_ms, submitted_on, due_on)"
                               " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, a.id);
    db_bind_text(s, 2, kind, -1);
    db_bind_int64(s, 3, court_id);
    db_bind_int64(s, 4, case_id);
    db_bind_int64(s, 5, object_id);
    db_bind_text(s, 6, summary, -1);
    db_bind_int64(s, 7, user_id);
    db_bind_int64(s, 8, a.submitted_ms);
    db_bind_text(s, 9, on, -1);
    if (due_on != ZX_DATE_NONE) db_bind_text(s, 10, due, -1);
    else db_bind_null(s, 10);
    int rc = db_step(s);
    db_finalize(s);
    if (rc == DB_ECONSTRAINT) return ZX_APPROVAL_EDUP;
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if ((rc = case_event(c, user_id, &a, "approval_submitted", NULL)) != 0) return rc;
    char *detail = audit_detail(&a, NULL);
    if (r) rc = zx_audit_req(r, c, "approval.submit", "approval", a.id, "ok", detail);
    else {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)a.id);
        zx_audit_rec rec = { .user_id = user_id, .username = "system", .action = "approval.submit",
                             .object_type = "approval", .object_id = oid, .result = "ok", .detail = detail };
        rc = zx_audit_write(c, &rec);
    }
    free(detail);
    if (rc != 0) return rc < 0 ? rc : DB_ERROR;
    return a.id;
}

int64_t zx_approval_submit(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id,
                           const char *summary, zx_date due_on)
{
    return submit(c, r, r ? r->who.user_id : 0, r ? r->who.court_id : 0, kind, case_id, object_id, summary, due_on);
}

int64_t zx_approval_submit_as(db_conn *c, int64_t user_id, int64_t court_id, const char *kind, int64_t case_id,
                              int64_t object_id, const char *summary, zx_date due_on)
{
    return submit(c, NULL, user_id, court_id, kind, case_id, object_id, summary, due_on);
}

int zx_approval_pending(db_conn *c, const char *kind, int64_t case_id, int64_t object_id)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM approval WHERE kind = ? AND case_id = ? AND object_id = ?"
                               " AND status = 'pending'");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, object_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc == DB_ROW) return 1;
    return rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int zx_approval_withdraw(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id)
{
    db_stmt *s = db_prepare(c, "SELECT " APPROVAL_COLS " FROM approval WHERE kind = ? AND case_id = ?"
                               " AND object_id = ? AND status = 'pending'");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, object_id);
    zx_approval a;
    int rc = db_step(s);
    if (rc == DB_ROW) zx_approval_from_row(s, &a);
    db_finalize(s);
    if (rc == DB_DONE) return 1;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    int64_t uid = r ? r->who.user_id : 0;
    s = db_prepare(c, "UPDATE approval SET status = 'withdrawn', decided_by = ?, decided_ms = ? WHERE id = ?"
                      " AND status = 'pending'");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, uid);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, a.id);
    rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if ((rc = case_event(c, uid, &a, "approval_withdrawn", NULL)) != 0) return rc;
    if (r) {
        char *detail = audit_detail(&a, NULL);
        rc = zx_audit_req(r, c, "approval.withdraw", "approval", a.id, "ok", detail);
        free(detail);
        if (rc != 0) return rc < 0 ? rc : DB_ERROR;
    }
    return 0;
}

int zx_approval_set_data(db_conn *c, int64_t id, json_t *data)
{
    char *txt = data ? json_dumps(data, JSON_COMPACT) : NULL;
    db_stmt *s = db_prepare(c, "UPDATE approval SET data = ? WHERE id = ?");
    if (!s) {
        free(txt);
        return DB_ERROR;
    }
    if (txt) db_bind_text(s, 1, txt, -1);
    else db_bind_null(s, 1);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    db_finalize(s);
    free(txt);
    return rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERROR);
}

static json_t *load_data(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT data FROM approval WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    json_t *d = NULL;
    if (db_step(s) == DB_ROW && db_col_text(s, 0)) d = json_loads(db_col_text(s, 0), 0, NULL);
    db_finalize(s);
    return d;
}

/* Mark a pending item decided (the status update is the lock: 0 rows = someone else decided first),
 * then write the case event and the audit record. 0, 1 = not pending any more, < 0 error. */
static int record_decision(db_conn *c, zx_req *r, zx_approval *a, bool approve, const char *opinion)
{
    int64_t uid = r ? r->who.user_id : 0;
    db_stmt *s = db_prepare(c, "UPDATE approval SET status = ?, decided_by = ?, decided_ms = ?, opinion = ?"
                               " WHERE id = ? AND status = 'pending'");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, approve ? "approved" : "returned", -1);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, zx_now_ms());
    db_bind_text(s, 4, opinion ? opinion : "", -1);
    db_bind_int64(s, 5, a->id);
    int rc = db_step(s);
    int64_t changed = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if (changed != 1) return 1;
    snprintf(a->status, sizeof a->status, "%s", approve ? "approved" : "returned");
    a->decided_by = uid;
    return 0;
}

static int record_after(db_conn *c, zx_req *r, const zx_approval *a, bool approve)
{
    int64_t uid = r ? r->who.user_id : 0;
    int rc = case_event(c, uid, a, approve ? "approval_approved" : "approval_returned", a->opinion ? a->opinion : "");
    if (rc != 0) return rc;
    if (!r) return 0;
    char *detail = audit_detail(a, a->opinion ? a->opinion : "");
    rc = zx_audit_req(r, c, approve ? "approval.approve" : "approval.return", "approval", a->id, "ok", detail);
    free(detail);
    return rc != 0 ? (rc < 0 ? rc : DB_ERROR) : 0;
}

int zx_approval_settle(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id, bool approved,
                       const char *opinion)
{
    /* two statements rather than "? < 0": PostgreSQL would type that parameter as integer (int4) */
    db_stmt *s = object_id < 0
                     ? db_prepare(c, "SELECT " APPROVAL_COLS " FROM approval WHERE kind = ? AND case_id = ?"
                                     " AND status = 'pending' ORDER BY submitted_ms")
                     : db_prepare(c, "SELECT " APPROVAL_COLS " FROM approval WHERE kind = ? AND case_id = ?"
                                     " AND object_id = ? AND status = 'pending'");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, case_id);
    if (object_id >= 0) db_bind_int64(s, 3, object_id);
    zx_approval a;
    int rc = db_step(s);
    if (rc == DB_ROW) zx_approval_from_row(s, &a);
    db_finalize(s);
    if (rc == DB_DONE) return 1;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    a.opinion = opinion ? opinion : "";
    if ((rc = record_decision(c, r, &a, approved, a.opinion)) != 0) return rc;
    return record_after(c, r, &a, approved);
}

int64_t zx_approval_count_for(db_conn *c, const zx_principal *who)
{
    if (!who || who->kind != ZX_USER) return 0;
    int64_t ids[512];
    int n = zx_court_subtree(who->court_id, ids, 512);
    int64_t count = 0;
    /* pending items of the caller's court and below, counted by who may decide them */
    for (int i = 0; i < n; i++) {
        db_stmt *s = db_prepare(c, "SELECT " APPROVAL_COLS " FROM approval WHERE court_id = ? AND status = 'pending'");
        if (!s) return DB_ERROR;
        db_bind_int64(s, 1, ids[i]);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            zx_approval a;
            zx_approval_from_row(s, &a);
            if (zx_approval_may_decide(who, &a)) count++;
        }
        db_finalize(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
        if (!(who->roles & ROLE_CHIEF)) break; /* only chiefs decide for courts below (superior kinds) */
    }
    return count;
}

/* ------------------------------------------------------------------ decide */
int zx_approval_decide(zx_req *r, db_conn *c, int64_t id, bool approve, const char *opinion, zx_approval *out,
                       zx_approval_err *err)
{
    memset(err, 0, sizeof *err);
    if (db_begin(c) != 0) return DB_ERROR;
    int rc;
    zx_approval a;
    char old_op[8];
    if ((rc = zx_approval_load(c, id, &a, old_op, sizeof old_op)) != 0) {
        db_rollback(c);
        if (rc == 1) zx_approval_err_set(err, 404, "NOT_FOUND", "审批事项不存在");
        return rc == 1 ? 1 : DB_ERROR;
    }
    if (!zx_can_see_court(&r->who, a.court_id)) {
        db_rollback(c);
        zx_approval_err_set(err, 404, "NOT_FOUND", "审批事项不存在");
        return 1;
    }
    if (strcmp(a.status, "pending")) {
        db_rollback(c);
        zx_approval_err_set(err, 409, "ALREADY_DECIDED", "该事项已处理，不能重复审批");
        return 1;
    }
    if (!zx_approval_may_decide(&r->who, &a)) {
        db_rollback(c);
        zx_approval_err_set(err, 403, "FORBIDDEN", "您无权审批该事项");
        return 1;
    }
    const struct zx_approval_kind *k = zx_approval_kind_find(a.kind);
    a.opinion = opinion ? opinion : "";
    rc = record_decision(c, r, &a, approve, a.opinion);
    if (rc == 1) {
        db_rollback(c);
        zx_approval_err_set(err, 409, "ALREADY_DECIDED", "该事项已处理，不能重复审批");
        return 1;
    }
    if (rc != 0) goto dberr;
    zx_approval_fn fn = approve ? k->on_approved : k->on_returned;
    a.data = load_data(c, a.id);
    rc = fn ? fn(r, c, &a, err) : 0;
    json_decref(a.data);
    a.data = NULL;
    if (rc != 0) {
        db_rollback(c);
        if (!err->code) goto dberr_rolled;
        return 1;
    }
    if (record_after(c, r, &a, approve) != 0) goto dberr;
    if (db_commit(c) != 0) goto dberr;
    if (k->after_commit) k->after_commit(r, &a, approve);
    if (out) *out = a;
    return 0;
dberr:
    db_rollback(c);
dberr_rolled:
    zx_approval_err_set(err, 500, "DB_ERROR", "数据库错误，审批未生效");
    return DB_ERROR;
}
