/* case.h — the case-flow service: filing, assignment, actions (nodes), clocks and deadlines,
 * closure with the 终本 gate, resumption, reads. Handlers (src/api/cases.c) parse the request and
 * call these; every change runs as one write transaction = row changes + case_event + audit record.
 *
 * Schema: src/store/migrations/002_cases.sql. Rules (pure): src/rules/{clocks,gate,closure,coercive,
 * triage}.h. API contract: docs/api/cases.md. */
#ifndef ZX_CASE_H
#define ZX_CASE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "http/http.h"
#include "store/db.h"

/* One row of enf_case. */
typedef struct zx_case {
    int64_t id;
    char case_no[64];
    int year;
    int64_t court_id;
    char type_code[16];
    int64_t seq;
    char stage[24];
    char status[16];
    char track[16];
    int64_t handler_id, team_id;
    zx_date applied_on, filed_on, closed_on;
    char closure_mode[24];
    char closure_reason[48];
    int64_t claim_fen, recovered_fen, fee_fen;
    bool has_assets, non_litigation, filed_late, imported;
    int deducted_days, extension_days;
    int extension_months;          /* 007: month-counted extensions (rules/clocks.h zx_limit_rule) */
    zx_date limit_date, paused_since;
    int gate_passed;               /* -1 = NULL */
    int64_t parent_case_id;
    char basis_kind[24];
    char basis_issuer[256];
    char basis_doc_no[128];
    zx_date basis_effective_on;
    char basis_act[1024];
    bool basis_non_litigation;
    char applicant_name[256];
    char debtor_name[256];
    int64_t created_ms, updated_ms;
} zx_case;

/* One event of the log, data parsed. */
typedef struct zx_case_event {
    int64_t id;
    int seq;
    int64_t at_ms;
    zx_date on_date;
    int64_t user_id;
    char kind[40];
    char stage[24];
    json_t *data;                  /* owned (object, never NULL after load) */
} zx_case_event;

typedef struct zx_case_events {
    zx_case_event *v;
    int n, cap;
} zx_case_events;

/* An error to reply with: status, code, message and extra members (fields / unmet / items). */
typedef struct zx_case_err {
    int status;
    const char *code;
    char message[256];
    json_t *extra;                 /* owned until replied */
} zx_case_err;

/* Reply with err (steals extra). */
void zx_case_reply_err(zx_req *r, zx_case_err *err);
void zx_case_err_set(zx_case_err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Append {field, code, message} to e->extra.fields (creating VALIDATION_FAILED). */
void zx_case_field_err(json_t *fields, const char *field, const char *code, const char *message);

/* ---- store (case_store.c) ---- */
/* 0 found, 1 not found, < 0 error. */
int zx_case_load(db_conn *c, int64_t id, zx_case *out); /* in a write transaction on PG: locks the row */
/* Take the case row's lock until commit (PostgreSQL write transaction; a no-op otherwise). 0 or < 0. */
int zx_case_lock(db_conn *c, int64_t id);
/* Write every mutable column back (and updated_ms). 0 or < 0. */
int zx_case_save(db_conn *c, zx_case *k);
int zx_case_events_load(db_conn *c, int64_t case_id, zx_case_events *ev);
void zx_case_events_free(zx_case_events *ev);
/* Append an event (seq = max + 1) and return its id; *seq_out gets the seq. data may be NULL. */
int64_t zx_case_event_add(db_conn *c, zx_case_events *ev, int64_t case_id, int64_t user_id, const char *kind,
                          const char *stage, zx_date on, json_t *data, int *seq_out);
json_t *zx_case_event_json(db_conn *c, const zx_case_event *e);
/* Subscribers to case events, run by zx_case_event_add inside the writer's transaction right after the
 * event row (node SMS to the parties, …): the store calls them through this table and never names a
 * service. A subscriber returns 0, or < 0 to fail the write (the caller rolls back). Register with
 * ZX_CASE_EVENT_SUBSCRIBER(fn) in the subscribing module. */
typedef int (*zx_case_event_fn)(db_conn *c, int64_t case_id, int seq, const char *kind);
void zx_case_event_subscribe(zx_case_event_fn fn);
#define ZX_CASE_EVENT_SUBSCRIBER(fn)                                                    \
    static void __attribute__((constructor)) zx_case_event_sub_##fn(void)             \
    {                                                                                   \
        zx_case_event_subscribe(fn);                                                    \
    }
const char *zx_case_event_label(const char *kind);
/* JSON helpers. */
json_t *zx_json_id(int64_t id);            /* string id, or null for 0 */
json_t *zx_json_date(zx_date d);           /* "YYYY-MM-DD" or null */
bool zx_json_get_id(json_t *v, int64_t *out); /* string or integer → id > 0 */

/* ---- clocks & deadlines (case_clocks.c) ---- */
/* Recompute deducted_days, paused_since, limit_date and status from the events, and rewrite the
 * case's case_deadline rows. Call after every change, inside the transaction. */
int zx_case_sync_clocks(db_conn *c, zx_case *k, const zx_case_events *ev);
/* {"limit_months","limit_unit","limit_base","limit_article","limit_date","days_left","level","paused",
 *  "closed_late","deadlines":[…]} for display. */
json_t *zx_case_clocks_json(db_conn *c, const zx_case *k, const zx_case_events *ev);
int zx_case_warn_lead(const char *kind); /* lead days for warnings of a deadline kind */
/* A court's warning days before a freeze or seizure reaches its legal end date (民诉解释 art 485):
 * its own setting inquiry.expiry_warn_days, else its nearest ancestor's, else the global default
 * ([30,15,7], migration 012). Validated on the way in (zx_control_warn_days_parse); anything else read
 * back falls to the default. A new JSON array, largest first. */
json_t *zx_control_warn_days(db_conn *c, int64_t court_id);
/* The first (largest) of them: from then on a control_renewal deadline is a warning in the to-do. */
int zx_control_warn_lead(db_conn *c, int64_t court_id);
/* Parse and normalise a warning-days value: 1 to 3 distinct whole days in 1..365, returned largest
 * first (a new array), or NULL with why filled. */
json_t *zx_control_warn_days_parse(json_t *v, char *why, size_t whylen);
#define ZX_FUNDS_PAYOUT_LEAD_DAYS 15     /* funds_payout rows: the maximum of funds.warning_days */
/* For code that writes enf_case/case_event rows directly (import, demo data): load the case and its
 * events, recompute clocks and rewrite its case_deadline rows so it shows in to-do lists. Inside the
 * caller's transaction. 0, 1 (no such case) or < 0. */
int zx_case_refresh(db_conn *c, int64_t case_id);

/* ---- rendering (case_view.c: composes the store with clocks, actions and closure) ---- */
/* Full case object (docs/api/cases.md). unmask: show full ID numbers/phones. who may be NULL. */
json_t *zx_case_json(db_conn *c, int64_t id, bool unmask, const zx_principal *who);

/* ---- filing (case_filing.c) ---- */
/* File one case from a request body inside the caller's transaction. On success returns 0 with the
 * new id and warnings (JSON array, owned by caller); on a validation error returns 1 with fields
 * (array, owned by caller); < 0 on a store error (err filled). */
int zx_case_file(zx_req *r, db_conn *c, json_t *body, int64_t *id_out, json_t **warnings, json_t **fields,
                 zx_case_err *err);
/* Resume (恢复执行): file a 执恢 case linked to a closed case (立案结案意见 art 6). */
int zx_case_resume(zx_req *r, db_conn *c, int64_t case_id, json_t *body, int64_t *new_id, zx_case_err *err);
/* Objection accepted (执行异议): file the 执异 case linked to case_id, its 15-day clock running
 * (民诉法 art 236), in the caller's transaction. kind: "interim_objection" | "act_objection". */
int zx_case_file_objection(zx_req *r, db_conn *c, int64_t case_id, const char *kind, const char *reason,
                           int64_t *new_id, zx_case_err *err);
/* 执行回转 (执行工作规定 art 65 para 2): file the new 执 case linked to case_id with the roles turned back
 * (original debtors apply, original applicants respond), claim = money to return, act = a thing to
 * return; basis = the 执行回转裁定 doc_no. In the caller's transaction. */
int zx_case_file_restitution(zx_req *r, db_conn *c, int64_t case_id, int64_t claim_fen, const char *act, const char *doc_no,
                             const char *reason, int64_t *new_id, zx_case_err *err);
/* 提级执行 / 指定执行 / 交叉执行 (民诉法 art 237; 立案结案意见 art 17): a case moves to another court the
 * lawful way — to_court files a new case linked to it (parent_case_id; 执, or 执保 for a 执保 case; parties
 * and basis copied; claim = what is still outstanding; no second fee; has_assets kept), its "filed" event
 * naming the case and court it came from (parent_case_id, parent_case_no, transferred_from, transfer_reason), audited case.transfer_in; then the old court's case closes by
 * 终结执行 with reason `reason` ("elevated" 提级 | "designated" 指定 — no ruling needed, art 17) through
 * zx_case_close (closed event, closure notice, audit case.close) and gets a "transferred_out" event with
 * the new case. All in the caller's transaction. What other modules hold on the case follows it through
 * their move hooks (below: auction lots, 失信 / 限消 entries), called before the old case closes; assets,
 * controls and money are the caller's to move (src/command/move.c). 0 with *new_id; 1 refused (err: 404,
 * 409 INVALID_STATE when the case is not open, 409 SAME_COURT, or a hook's refusal); < 0 store error
 * (err filled). */
int zx_case_transfer(zx_req *r, db_conn *c, int64_t case_id, int64_t to_court, const char *reason, const char *note,
                     int64_t *new_id, zx_case_err *err);
/* What follows a case that moves to another court (zx_case_transfer). A module that holds something on a
 * case registers one hook with ZX_CASE_MOVE_HOOK(fn); the case module calls it through this table and never
 * names the module. It is called twice, inside the transfer's transaction:
 *   m->new_case_id == 0 — before anything is written: return 1 with err (a 409 saying what to finish
 *                         first) when what the module holds cannot move now, else 0;
 *   m->new_case_id  > 0 — the new court's case is filed (m->new_case_no), the old one not closed yet:
 *                         move what follows the case, with a case event on each case and audit records
 *                         when something moved; 0, or < 0 (err filled) to fail the transfer. */
typedef struct zx_case_move {
    int64_t case_id, new_case_id;  /* the old court's case, the new court's (0 in the first call) */
    int64_t from_court, to_court;
    const char *case_no, *new_case_no;
    const char *reason;            /* "elevated" 提级执行 | "designated" 指定 / 交叉执行 */
} zx_case_move;
typedef int (*zx_case_move_fn)(zx_req *r, db_conn *c, const zx_case_move *m, zx_case_err *err);
void zx_case_move_hook_add(zx_case_move_fn fn);
#define ZX_CASE_MOVE_HOOK(fn)                                                           \
    static void __attribute__((constructor)) zx_case_move_hook_##fn(void)             \
    {                                                                                   \
        zx_case_move_hook_add(fn);                                                      \
    }
/* Assignment: handler and team. */
int zx_case_assign(zx_req *r, db_conn *c, zx_case *k, json_t *body, zx_case_err *err);
/* Allocate the next gap-free number for court × type × year (inside the filing transaction). */
int64_t zx_case_seq_next(db_conn *c, int64_t court_id, const char *type_code, int year);

/* ---- actions (case_actions.c) ---- */
/* Is kind a known action? */
bool zx_case_action_known(const char *kind);
/* Apply an action inside the transaction; fills *event_id and the generated documents (array). */
int zx_case_action(zx_req *r, db_conn *c, zx_case *k, zx_case_events *ev, const char *kind, json_t *body,
                   int64_t *event_id, json_t *docs, zx_case_err *err);
/* Kinds allowed in the current state (for the UI). */
json_t *zx_case_allowed_actions(const zx_case *k, const zx_case_events *ev);
/* Action catalogue for GET /api/v1/case-meta. */
json_t *zx_case_actions_meta(void);
/* NULL if the action may run in this state, else a 中文 reason (409 INVALID_STATE). */
const char *zx_case_action_state(const zx_case *k, const zx_case_events *ev, const char *kind);

/* ---- the 限制消费令 (one path with the credit module) ---- */
/* The case action restriction_order is the credit module's 限消 decision (限消规定 art 5: the 院长 signs;
 * art 3: all nine items) — one path with POST /api/v1/credit/decisions: for each debtor a decision,
 * proposed to the 院长's inbox (sign = false, the judge) or signed and served on `on` (sign = true, the
 * case's 院长; a waiting proposal is signed rather than a second one made). src/credit registers the
 * function (the case service stays below credit). out gets [{name, decision_id, status}]. 0, 1
 * refused (err filled), < 0 store error. */
typedef int (*zx_case_restriction_fn)(zx_req *r, db_conn *c, int64_t case_id, zx_date on, bool sign, json_t *out,
                                      zx_case_err *err);
void zx_case_set_restriction_fn(zx_case_restriction_fn fn);
zx_case_restriction_fn zx_case_restriction_get(void);

/* ---- closure (case_closure.c) ---- */
int zx_case_close(zx_req *r, db_conn *c, zx_case *k, zx_case_events *ev, json_t *body, json_t *docs,
                  zx_case_err *err);
/* The 终本 facts judged from the events, for closing on `on`. */
struct zx_gate_facts;
/* Facts as of `on` (events and decisions dated after it do not count); 限消 and 失信 are read from the
 * credit module's entries (signed and served on or before `on`) — one source of truth. */
void zx_case_gate_facts(db_conn *c, const zx_case *k, const zx_case_events *ev, zx_date on, struct zx_gate_facts *f);
json_t *zx_case_allowed_closures(db_conn *c, const zx_case *k, const zx_case_events *ev);
/* 恢复执行: the facts of the closure (rules/closure.h) and the reasons that fit it, for the dialog. */
struct zx_resume_facts;
void zx_case_resume_facts(const zx_case *k, const zx_case_events *ev, struct zx_resume_facts *f);
json_t *zx_case_allowed_resume_reasons(const zx_case *k, const zx_case_events *ev);

/* ---- settings ---- */
struct zx_triage_rules;
void zx_case_triage_rules(db_conn *c, int64_t court_id, struct zx_triage_rules *out); /* effective for court_id */

/* Stages. */
extern const char *const zx_case_stages[11];
const char *zx_case_stage_label(const char *stage);
bool zx_case_stage_valid(const char *stage);
#endif
