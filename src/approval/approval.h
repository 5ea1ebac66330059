/* approval.h — the one approval inbox (审批) for the 院长/局长: everything waiting for a signature.
 *
 * A module that needs a signature registers a KIND once, with a Chinese label and the callbacks that
 * carry out the decision, and SUBMITS items inside its own write transaction. The chief sees every
 * pending item of their court in one inbox (GET /api/v1/approvals, web page #/approvals) with its age
 * and deadline and approves it or returns it with an opinion; the decision runs as ONE transaction:
 *
 *     db_begin → lock the item → kind->on_approved / on_returned (your code: apply the decision to
 *     your rows and the case) → item marked approved/returned → case_event "approval_approved" /
 *     "approval_returned" (when the item belongs to a case) → audit "approval.approve" / "approval.return"
 *     → db_commit → kind->after_commit (optional: caches, snapshots, notifications)
 *
 * If a callback returns non-zero the whole decision is rolled back and its error is the reply.
 *
 * Registering a kind (in your module's own .c file; the registry lives in memory, built at load time
 * like ZX_ROUTES):
 *
 *   static int payout_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
 *   {   ... post the payout a->object_id ...; return 0;   // or zx_approval_err_set(err, 409, "…", "…"), -1
 *   }
 *   static const struct zx_approval_kind payout_kind = {
 *       .kind = "payout", .label = "案款发放（超过限额）", .approver_roles = ROLE_CHIEF,
 *       .on_approved = payout_approved, .on_returned = payout_returned,
 *   };
 *   ZX_APPROVAL_KIND(payout_kind)
 *
 * Submitting (inside YOUR write transaction, next to your own case event and audit record):
 *
 *   int64_t aid = zx_approval_submit(c, r, "payout", case_id, payout_id, "发放 12,000.00 元给申请执行人", due_on);
 *   if (aid < 0) { db_rollback(c); ... }   // ZX_APPROVAL_EDUP: this object already waits for a signature
 *
 * Whose inbox: an item belongs to the court of its case (or the submitter's court when case_id is 0).
 * It may be decided by a user holding one of the kind's approver_roles (default ROLE_CHIEF) in that
 * court; with .superior = true, by such a user of a court above it (上级法院). Chiefs and command staff
 * also SEE the items of subordinate courts (read-only, for supervision).
 *
 * Schema: src/store/migrations/008_approval.sql. API: docs/api/approvals.md. */
#ifndef ZX_APPROVAL_H
#define ZX_APPROVAL_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "http/http.h"
#include "store/db.h"

/* One item, as handed to the callbacks (read-only for them). */
typedef struct zx_approval {
    int64_t id;
    char kind[48];
    int64_t court_id;
    int64_t case_id;          /* 0 = not about one case */
    int64_t object_id;        /* the submitting module's own row (payout id, decision id, event id …) */
    char summary[512];        /* what is to be signed, in Chinese, one line */
    char status[16];          /* pending approved returned withdrawn */
    int64_t submitted_by;
    int64_t submitted_ms;
    zx_date submitted_on;
    zx_date due_on;           /* ZX_DATE_NONE = no deadline */
    int64_t decided_by;       /* the approver (during the callbacks: the caller) */
    const char *opinion;      /* approver's opinion (may be "" on approval, never NULL in callbacks) */
    json_t *data;             /* what the submitter attached (zx_approval_set_data), borrowed; may be NULL */
} zx_approval;

/* An error a callback reports; it becomes the HTTP reply {"error":{"code","message"}}. */
typedef struct zx_approval_err {
    int status;               /* 4xx */
    const char *code;         /* UPPER_SNAKE, static string */
    char message[256];        /* 中文 */
} zx_approval_err;
void zx_approval_err_set(zx_approval_err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A decision callback, run inside the approving transaction. 0 = done; non-zero = refuse (fill err,
 * or leave it empty for a store error → 500 DB_ERROR without the driver's text). */
typedef int (*zx_approval_fn)(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err);

struct zx_approval_kind {
    const char *kind;         /* code name, e.g. "interim_closure", "payout" (GLOSSARY.md words) */
    const char *label;        /* 中文, shown in the inbox: "终结本次执行程序" */
    unsigned approver_roles;  /* ROLE_* mask; 0 = ROLE_CHIEF */
    bool superior;            /* decided by the court above the item's court */
    zx_approval_fn on_approved;  /* may be NULL (nothing to apply beyond the recorded decision) */
    zx_approval_fn on_returned;  /* may be NULL */
    /* After the commit (not in the transaction): refresh caches, enqueue notices. May be NULL. */
    void (*after_commit)(zx_req *r, const zx_approval *a, bool approved);
};

void zx_approval_kind_add(const struct zx_approval_kind *k);
#define ZX_APPROVAL_KIND(var)                                                                     \
    static void __attribute__((constructor)) zx_approval_kind_init_##var(void) { zx_approval_kind_add(&var); }
const struct zx_approval_kind *zx_approval_kind_find(const char *kind);
/* [{kind,label}] of every registered kind. */
json_t *zx_approval_kinds_json(void);

/* Error codes (negative), besides the store's DB_E* codes. */
#define ZX_APPROVAL_EKIND  (-20)  /* kind not registered */
#define ZX_APPROVAL_EDUP   (-21)  /* this (kind, case, object) already waits for a signature */
#define ZX_APPROVAL_EINPUT (-22)  /* summary empty or too long, or no court */

/* Submit an item inside the caller's write transaction (db_begin already done). r gives the submitter
 * and court (r may be NULL for system/CLI/demo code: submitter 0, court from the case). Writes a
 * case_event "approval_submitted" when case_id ≠ 0 and an audit record "approval.submit".
 * due_on: the date by which the chief should decide (ZX_DATE_NONE = none).
 * Returns the new item's id (> 0) or a negative code. */
int64_t zx_approval_submit(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id,
                           const char *summary, zx_date due_on);

/* Same, for code without a request (demo generators, imports): submitted_by and court given. */
int64_t zx_approval_submit_as(db_conn *c, int64_t user_id, int64_t court_id, const char *kind, int64_t case_id,
                              int64_t object_id, const char *summary, zx_date due_on);

/* Attach JSON (the request to carry out on approval, e.g. the action's body) to a just-submitted item,
 * inside the same transaction. 0 or < 0. */
int zx_approval_set_data(db_conn *c, int64_t id, json_t *data);

/* The module decided (kind, case_id, object_id) through its own screen (e.g. the chief signed a
 * decision on the credit page): mark the pending item approved/returned without running callbacks,
 * with the case event and audit record, inside the caller's transaction. object_id < 0 = whichever item
 * of that kind waits for this case. 0, 1 = none pending, < 0. */
int zx_approval_settle(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id, bool approved,
                       const char *opinion);

/* Withdraw a pending item (the submitting module cancels its request), inside the caller's transaction.
 * 0 = withdrawn, 1 = no pending item for (kind, case_id, object_id), < 0 error. */
int zx_approval_withdraw(db_conn *c, zx_req *r, const char *kind, int64_t case_id, int64_t object_id);

/* Is (kind, case_id, object_id) waiting for a signature? 1 yes, 0 no, < 0 error. */
int zx_approval_pending(db_conn *c, const char *kind, int64_t case_id, int64_t object_id);

/* Number of items waiting for the caller's decision (home page, menu badge). < 0 on error. */
int64_t zx_approval_count_for(db_conn *c, const zx_principal *who);
#endif
