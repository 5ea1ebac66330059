/* payouts.h — 发放 / 提存 proposals, approval, the bank's result; deferrals; overdue buckets
 * (src/funds/payouts.c, deferrals.c, overdue.c). All inside the caller's write transaction; functions
 * return 0 (done), 1 (refused: e filled with a 4xx), 2 (payout_result only: a retried confirmation,
 * nothing done) or -1 (store error: e has 500 DB_ERROR; roll back). */
#ifndef ZX_FUNDS_PAYOUTS_H
#define ZX_FUNDS_PAYOUTS_H
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "case/case.h"
#include "core/date.h"
#include "store/db.h"

typedef struct zx_funds_err {
    int status;
    const char *code;
    char message[256];
    json_t *extra; /* NULL, or more members of the error object (OVER_SHARE's figures); the reply takes it */
} zx_funds_err;
void zx_funds_err_set(zx_funds_err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

typedef struct zx_payout_in {
    const char *kind;          /* "payout" (default) | "escrow" (提存) */
    const char *payee_name;
    const char *payee_bank;
    const char *payee_account; /* sealed through core/pii */
    int64_t amount_fen;
    const char *reason;        /* 提存 ground: refused missing no_heir no_guardian unreachable disputed */
    bool no_fee;               /* money that is not the debtor's (a set-aside sale's price back to its
                                * buyer): no 申请执行费 is settled out of it (诉讼费用交纳办法 art 38) */
    const char *payee_role;    /* shown in the inbox summary instead of nothing, e.g. "买受人（执行回转退款）";
                                * stored with the payout (fund_payout.payee_role) */
    int64_t distribution_id;   /* > 0: a line of this case's final 参与分配 plan is paid (民诉解释 arts 508–510) */
    int distribution_ord;      /* the line (1…); the payout ≤ its share minus what its payouts hold; payee_name
                                * defaults to the line's creditor; no 申请执行费 settled (the plan's cost lines) */
} zx_payout_in;

typedef struct zx_payout {
    int64_t id, case_id, court_id, amount_fen, fee_fen, fee_tid, tid, out_tid;
    char kind[16], status[24], bank_ref[72], payee_name[128];
    bool needs_chief;
    bool named_payee; /* payee_role set: a payee other than the applicants (a plan line, a refund) */
} zx_payout;

/* A payout or 提存 proposal. With distribution_id: 404 DISTRIBUTION_NOT_FOUND (not this case's plan), 409
 * DISTRIBUTION_NOT_FINAL (objection procedure still running), 400 VALIDATION_FAILED / 404
 * DISTRIBUTION_LINE_NOT_FOUND (no such line), 422 OVER_SHARE (e->extra: share_fen, taken_fen, remaining_fen). */
int zx_funds_payout_propose(db_conn *c, int64_t case_id, int64_t user_id, const zx_payout_in *in, int64_t *id_out,
                            zx_funds_err *e);
int zx_funds_payout_load(db_conn *c, int64_t id, zx_payout *p);
/* The approval step (执行局长): approve → approved (提存: posted at once), return → voided. */
int zx_funds_payout_decide(db_conn *c, int64_t id, int64_t user_id, unsigned roles, bool approve, const char *opinion,
                           zx_funds_err *e);
/* The bank's answer: ok → post the chain (paid, 发放 notice); failed → void (the money is back on the
 * case account, status failed). */
int zx_funds_payout_result(db_conn *c, int64_t id, int64_t user_id, bool ok, const char *bank_ref, const char *reason,
                           zx_funds_err *e);
int zx_funds_payout_cancel(db_conn *c, int64_t id, int64_t user_id, zx_funds_err *e);
/* 申请执行费 still to settle for a case (诉讼费用交纳办法 art 14). */
int64_t zx_funds_fee_due(db_conn *c, int64_t case_id, int64_t case_acc);
/* The case's claim changed (a 执行回转 case's claim becoming the agreed 折价赔偿 value, 执行工作规定
 * art 66): the assessed 申请执行费 (enf_case.fee_fen, the cap zx_funds_fee_due settles against) is
 * computed again from the claim by 诉讼费用交纳办法 art 14(1) — never typed — with the case event
 * funds_fee_assessed {from_fen, fee_fen, claim_fen, due_fen}. In the caller's transaction, after the
 * claim was saved. *fee_out may be NULL. 0 or -1. */
int zx_funds_fee_reassess(db_conn *c, int64_t case_id, int64_t user_id, const char *why, int64_t *fee_out);
/* Oldest arrival date still unpaid on a case account (FIFO), '' if the balance is 0. */
int zx_funds_oldest_unpaid(db_conn *c, int64_t case_acc, char out[11]);
/* The same, with the transfer id of that arrival and the balance held. */
int zx_funds_oldest_unpaid_tr(db_conn *c, int64_t case_acc, char out[11], int64_t *tid, int64_t *held);

/* Submit a funds decision to the approval inbox (approvals.c): kind funds_payout | funds_escrow |
 * funds_deferral. 0 or -1. */
int zx_funds_approval_submit(db_conn *c, int64_t user_id, int64_t court_id, const char *kind, int64_t case_id,
                             int64_t object_id, const char *summary);

/* ---- deferrals (deferrals.c) ---- */
int zx_funds_deferral_request(db_conn *c, int64_t case_id, int64_t user_id, const char *reason, const char *detail,
                              int64_t *id_out, zx_funds_err *e);
int zx_funds_deferral_decide(db_conn *c, int64_t id, int64_t user_id, unsigned roles, bool approve, const char *opinion,
                             zx_funds_err *e);
int zx_funds_deferral_end(db_conn *c, int64_t id, int64_t user_id, const char *ended_on, zx_funds_err *e);
const char *zx_funds_deferral_reason_label(const char *reason);

/* ---- payout instructions by API (bank_push.c) ---- */
/* One pass: claim approved payouts of courts whose channel is "api", send queued instructions (signed),
 * poll accepted ones. *sent = instructions handled. 0 or -1. The server runs it every second. */
int zx_funds_bank_push_pass(db_t *db, int *sent);
/* The bank's base URL (ZX_BANK_URL, default $ZX_SIM_URL/bank/v1). */
const char *zx_funds_bank_url(void);
/* Finance's "send again now": a payout at the bank by API (sent, channel api) is sent again at once if still
 * queued (the same signed instruction: the bank keeps instruction ids, nothing is paid twice) or asked about
 * at once if accepted. Inside the caller's transaction. 0, 1 (not a payout at the bank by API), -1. */
int zx_funds_payout_resend(db_conn *c, int64_t id);
/* Check the bank's SM2 signature (hex, X-ZX-Signature) over body against the bank key pinned for the
 * court (fund_bank_key, migration 062): 1 valid, 0 not, -1 no key pinned for the court, -2 store error. */
int zx_funds_bank_verify(db_conn *c, int64_t court_id, const void *body, size_t len, const char *sig);

/* ---- overdue (overdue.c) ---- */
/* The payout clock of a case account: the oldest unpaid arrival (FIFO) and its transfer, the due date
 * (the court's local limit, at the latest 30 days — 法发〔2017〕6号; after a deferral ended, 10 days from
 * its end), and the level ok | warning (≤ funds.warning_days left) | overdue | overdue_legal | deferred.
 * 0 computed, 1 nothing held, < 0 store error. */
typedef struct zx_funds_clock {
    char oldest[11];
    zx_date oldest_on, due, legal_due;
    int64_t oldest_tid, held_fen;
    bool deferred;
    int warning_days;
    const char *level;
} zx_funds_clock;
int zx_funds_case_clock(db_conn *c, int64_t court_id, int64_t case_id, int64_t case_acc, zx_date today,
                        zx_funds_clock *out);
/* Money held on case accounts of the given courts: per case the oldest unpaid arrival, days held,
 * due dates (local limit, 30-day limit, deferral resume), level and bucket; plus totals per bucket,
 * per court and per judge. handler_id > 0 limits to one judge's cases. */
json_t *zx_funds_overdue(db_conn *c, const int64_t *courts, int ncourts, int64_t handler_id, zx_date today);
#endif
