/* decisions.h — the 失信 / 限消 decision procedure on top of credit_entry (004) and the tables of
 * 005_credit_decisions.sql: proposal with the gate (rules/dishonest.h, rules/restriction.h), 院长
 * signature and service, effect (credit_entry rows in grace/active), extension, deletion with its
 * 3-working-day deadline, 撤销/更正, correction applications, lifting, temporary permissions, and
 * the periodic sweep (term expiry → deletion due; permission windows). API: docs/api/credit-staff.md.
 *
 * Every mutating function runs inside the caller's write transaction (db_begin … db_commit) and
 * writes the credit_entry rows (credit_change via zx_credit_entry_save), a case_event and an audit
 * record. The caller calls zx_credit_sync() after the commit. */
#ifndef ZX_CREDIT_DECISIONS_H
#define ZX_CREDIT_DECISIONS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "credit/entry.h"
#include "http/http.h"
#include "rules/dishonest.h"
#include "store/db.h"

typedef struct zx_cd_err {
    int status;
    const char *code;
    char message[256];
    json_t *extra; /* owned until replied */
} zx_cd_err;
void zx_cd_err_set(zx_cd_err *e, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Set 422 code with "reasons":[{code,article,message}]. */
void zx_cd_err_reasons(zx_cd_err *e, const char *code, const char *message, const zx_reason *rs, int n);
void zx_cd_reply_err(zx_req *r, zx_cd_err *e);

/* The acting user for a change made outside a request (sweep, demo): r may be NULL in the functions
 * below, then audit records go to "system" with user_id. */
typedef struct zx_cd_actor {
    zx_req *r;          /* NULL = system / demo */
    int64_t user_id;
    const char *username;
} zx_cd_actor;

/* Case facts needed here (from enf_case). */
typedef struct zx_cd_case {
    int64_t id, court_id, handler_id, team_id, claim_fen, recovered_fen;
    char case_no[64], court_code[24], status[16], stage[24], filed_on[11], type_code[16];
    char basis_doc_no[128], basis_issuer[256], basis_act[512];
} zx_cd_case;
int zx_cd_case_load(db_conn *c, int64_t id, zx_cd_case *k); /* 0, 1 not found, < 0 */

/* Append a case_event (seq = last + 1) on the case. data: borrowed. */
int zx_cd_case_event(db_conn *c, const zx_cd_case *k, int64_t user_id, const char *kind, zx_date on, json_t *data);

/* Proposal (失信 or 限消). dry_run: only the gate. Returns decision id (> 0), 0 for a dry run that
 * passed, < 0 with err. gate_out (dry run) gets {"allowed","reasons",…}. */
int64_t zx_cd_propose(const zx_cd_actor *a, db_conn *c, json_t *body, bool dry_run, json_t **gate_out, zx_cd_err *err);
/* Steps on a decision: "approve" (chief), "reject", "withdraw", "serve". Returns 0 or < 0 with err. */
int zx_cd_step(const zx_cd_actor *a, db_conn *c, int64_t decision_id, const char *step, json_t *body, zx_cd_err *err);

/* Entry operations. */
int zx_cd_extend(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
/* Record a deletion trigger (execute → delete now). Returns the deletion id or < 0. */
int64_t zx_cd_deletion(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int zx_cd_deletion_execute(const zx_cd_actor *a, db_conn *c, int64_t deletion_id, zx_cd_err *err);
int zx_cd_revoke(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int zx_cd_correct(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int zx_cd_lift(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int64_t zx_cd_permit_add(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int zx_cd_permit_revoke(const zx_cd_actor *a, db_conn *c, int64_t permit_id, zx_cd_err *err);
/* Correction applications: create / decide / reconsider / reconsider-decide. */
int64_t zx_cd_correction_add(const zx_cd_actor *a, db_conn *c, int64_t entry_id, json_t *body, zx_cd_err *err);
int zx_cd_correction_step(const zx_cd_actor *a, db_conn *c, int64_t corr_id, const char *step, json_t *body,
                          zx_cd_err *err);

/* Court/case of an object for permission checks: 0 found, 1 not found. kind "decision" | "entry" |
 * "deletion" | "correction" | "permit". */
int zx_cd_object_case(db_conn *c, const char *kind, int64_t id, int64_t *case_id, int64_t *court_id);

/* Renderers. unmask: full ID numbers. */
json_t *zx_cd_decision_json(db_conn *c, int64_t id, bool unmask);
json_t *zx_cd_entry_json(db_conn *c, int64_t id, bool unmask);
json_t *zx_cd_deletion_json(db_conn *c, int64_t id);
json_t *zx_cd_correction_json(db_conn *c, int64_t id);
json_t *zx_cd_permit_json(db_conn *c, int64_t id);
/* Deadline level: overdue / warning (within lead days) / ok. */
const char *zx_cd_level(zx_date due, zx_date today, int lead);

/* Repair rules from setting credit.repair. */
void zx_cd_repair_rules(db_conn *c, int64_t court_id, zx_repair_rules *out); /* effective for court_id */

/* Periodic sweep (start hook thread, every minute; tests call it directly): term expiry → deletion
 * due (art 10 para 2), permission windows rolled to the next one. Returns changes made or < 0. */
int zx_cd_sweep(db_conn *c, zx_date today);
#endif
