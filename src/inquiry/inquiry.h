/* inquiry.h — network asset inquiry and control (网络执行查控): the institutions registry, the courts'
 * SM2 seals, the durable outbox of protocol requests and its dispatcher, answers normalised into the
 * asset list and the control register, automation (query on filing day, 终本 re-query).
 *
 * Flow: an action (filing, a judge's request, a freeze …) writes inquiry_request rows in ITS write
 * transaction (zx_inq_start / zx_inq_control) and calls zx_inq_wake() after commit; the dispatcher
 * thread (dispatcher.c) sends due rows as signed batches (protocol: docs/api/inquiry-protocol.md),
 * verifies the signed answers against the institution's pinned key, and applies each answer batch in
 * one transaction (apply.c): request state + assets/controls + ledger arrival for deductions + case
 * event + audit. Schema: src/store/migrations/012_inquiry.sql. API: docs/api/inquiry.md. */
#ifndef ZX_INQUIRY_H
#define ZX_INQUIRY_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "inquiry/sm2.h"
#include "store/db.h"

#define ZX_INQ_PROTOCOL "zx-inquiry/1"

/* Institution kinds (16类): code name, 中文, operations, and whether 终本规定 art 3 names it among the
 * network inquiries that must be done before 终本 (deposits, vehicles, real estate, securities,
 * online funds …). */
struct zx_inq_kind {
    const char *kind;
    const char *label;
    const char *ops;        /* space-separated: query freeze renew release deduct */
    bool gate;              /* required for the 终本 gate's network-inquiry condition */
    const char *control;    /* "freeze" (money, rights) | "seizure" (real estate, vehicles, ships) */
    int64_t expect_ms;      /* usual answer time of an acknowledged request (default; registry may override) */
    int64_t window_ms;      /* longest wait for it before NO_ANSWER (default; registry may override) */
};
extern const struct zx_inq_kind zx_inq_kinds[];
extern const int zx_inq_nkinds;
const struct zx_inq_kind *zx_inq_kind(const char *kind);
bool zx_inq_kind_supports(const char *kind, const char *op);
/* Is op one of the space-separated operations of an institution's registry row (inquiry_institution.ops)?
 * An institution may support fewer operations than its kind (some only answer queries). */
bool zx_inq_ops_has(const char *ops, const char *op);
const char *zx_inq_op_label(const char *op);

/* An institution's answer times (inquiry_institution.answer_expect_ms / answer_window_ms, NULL = its
 * kind's default): 0 or < 0. */
int zx_inq_answer_window(db_conn *c, int64_t institution_id, int64_t *expect_ms, int64_t *window_ms);
/* The same from the registry columns as read (≤ 0 = not set → the kind's default). Pure. */
void zx_inq_window_of(const char *kind, int64_t expect_col, int64_t window_col, int64_t *expect_ms, int64_t *window_ms);
/* Polling an acknowledged request: the wait before poll number polls+1 (0-based), since_ack_ms after the
 * acknowledgement. Doubles from ZX_INQ_POLL_MS (default 30 s) up to a quarter of the window (or half
 * the usual time if longer); one poll falls at the usual answer time. Pure. */
int64_t zx_inq_poll_delay(int64_t expect_ms, int64_t window_ms, int polls, int64_t since_ack_ms);

/* The simulator base URL from ZX_SIM_URL (default http://127.0.0.1:8090). */
const char *zx_inq_sim_url(void);
/* An institution's endpoint as stored → its URL. "sim:/inst/<code>" (the demo institutions that
 * `init --demo` registers) is relative to the simulator at ZX_SIM_URL, wherever it runs now; any
 * other value is a full URL. */
void zx_inq_endpoint(const char *stored, char *out, size_t cap);

/* The court's signing key (created on first use inside the caller's transaction or on its own).
 * Returns 0 and a key the caller frees, or -1. pub_pem (may be NULL) gets a malloc'd PEM. */
int zx_inq_court_key(db_conn *c, int64_t court_id, zx_sm2_key **key, char **pub_pem);

/* Start a query run for a case: one request per enabled institution of each kind (NULL/empty kinds =
 * all), each carrying every debtor. Inside the caller's write transaction. trigger: filing | manual |
 * reinquiry. Returns 0 with *inquiry_id, 1 if there is nothing to ask (no debtors / institutions),
 * 2 if a filing run already exists, < 0 on a store error. */
int zx_inq_start(db_conn *c, int64_t case_id, const char *trigger, json_t *kinds, int64_t user_id,
                 int64_t *inquiry_id);

/* Wake the dispatcher (after a commit that queued requests). Safe from any thread. */
void zx_inq_wake(void);

/* Dispatcher control (dispatcher.c). Started by the server's start hook; tests and the benchmark
 * tune it through the environment: ZX_INQ_TICK_MS (default 20), ZX_INQ_MAX_ATTEMPTS (8),
 * ZX_INQ_BACKOFF_MS (1000, doubled per attempt, capped at 5 min), ZX_INQ_BREAKER (5 failures),
 * ZX_INQ_BREAKER_MS (30000). */
int zx_inq_dispatcher_start(db_t *db);
/* Where institutions post asynchronous answers: base URL of this server (ZX_INQ_CALLBACK_URL, else
 * from the listen address) + /api/v1/inquiry/answers. Set by the server's start hook. */
void zx_inq_set_callback_base(const char *base_url);
void zx_inq_dispatcher_stop(void);
/* Per-institution live figures for the command center: JSON array. */
json_t *zx_inq_dispatcher_stats(void);
/* Today's totals by court (today.c): [{court_code, court_name, queried, found, frozen_fen,
 * deducted_fen}] for the courts keep() accepts (keep NULL = all); NULL on a store error. Used by
 * GET /inquiry/stats and the command center's dashboard. */
json_t *zx_inq_today_by_court(db_conn *c, zx_date today, bool (*keep)(int64_t court_id, void *arg), void *arg);
/* Where the dispatcher's time went (ms spent claiming, building+signing, verifying, applying). */
json_t *zx_inq_dispatcher_profile(void);
/* Requests in answer batches applied so far by this process (the benchmark's progress). */
int64_t zx_inq_dispatcher_settled(void);
/* The benchmark's comparison: a plain worker pool, each thread one blocking request at a time
 * (zx_inq_pool_step: 1 = one row handled, 0 = none due). */
int zx_inq_pool_init(db_t *db);
int zx_inq_pool_step(db_t *db);

/* Apply one verified answer batch (apply.c): rows = the claimed request ids in the batch; answers =
 * the "answers" array; answer_text (the signed body as received, NULL for the demo's history) is
 * stored once in inquiry_answer and the settled rows point to it. One transaction. An answer {"status":"accepted"} acknowledges a request that
 * will be answered later (callback or polling): the row becomes 'acked'. Returns 0 or < 0. */
struct zx_inq_claim;
int zx_inq_apply_batch(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers,
                       const char *answer_text, const char *answer_sig, const int64_t *ids, int n);
/* Apply a verified callback of institution_id (asynchronous answers, POST /inquiry/answers): only
 * answers for that institution's requests still waiting (sent / acked) take effect; a repeated
 * answer (a replayed callback) is counted in *dup and changes nothing; unknown ids in *unknown.
 * In the caller's transaction. 0 or < 0. */
int zx_inq_apply_callback(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers, const char *body,
                          size_t body_len, const char *answer_sig, int *applied, int *dup, int *unknown);
/* zx_inq_apply_batch for the dispatcher: the answer body's length, per request its query run
 * (inquiry_ids[j], 0 = none; known from the claim) so no run is read back to take the lock order, and
 * when the batch was sent (sent_ms). The dispatcher writes nothing when it sends: the batch's rows are
 * still 'pending' (or 'acked', polled) here and this send is counted in attempts now. */
int zx_inq_apply_rows(db_conn *c, int64_t institution_id, const char *inst_kind, json_t *answers, const char *answer_text,
                      size_t answer_len, const char *answer_sig, const int64_t *ids, const int64_t *inquiry_ids, int n,
                      int64_t sent_ms);
/* Record a failed attempt of these requests (error code + message): backoff or final failure. */
/* Lock the query runs (inquiry rows) of n requests in ascending id order (0 = none): a group-committed
 * round of several batches takes every run it will touch before it writes any audit record, so it never
 * holds the audit head while waiting for a run a registry callback holds (PostgreSQL 40P01). */
int zx_inq_lock_runs(db_conn *c, const int64_t *inquiry_ids, int n);
int zx_inq_fail_batch(db_conn *c, const int64_t *ids, int n, const char *code, const char *message, int max_attempts,
                      int64_t backoff_ms);

/* A control past its legal end date (民诉解释 art 485) lapses: register, asset, case event
 * (control_measure "lapse"), audit — in the caller's transaction (apply.c). 0, 1 (nothing to do), < 0. */
int zx_inq_lapse_control(db_conn *c, int64_t control_id, zx_date today);

/* Automation (auto.c): queue filing-day queries for new cases and due 终本 re-queries. Returns the
 * number of inquiries started. Run by the dispatcher thread every few seconds. */
int zx_inq_automation_pass(db_t *db);
/* Is the filing-day query on for a court? Its setting inquiry.on_filing (inherited; PUT
 * /api/v1/inquiry/settings), else the installation's inquiry.auto (on_filing, off_courts). */
bool zx_inq_auto_on(db_conn *c, int64_t court_id);
#endif
