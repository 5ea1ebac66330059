/* corrections.h — 更正 of a wrong match or a wrong posting by new transfers (src/funds/corrections.c).
 * All functions run inside the caller's write transaction and return 0 (done), 1 (refused: e filled
 * with a 4xx) or -1 (store error: roll back). */
#ifndef ZX_FUNDS_CORRECTIONS_H
#define ZX_FUNDS_CORRECTIONS_H
#include <stdbool.h>
#include <stdint.h>
#include "funds/payouts.h"
#include "store/db.h"

typedef struct zx_correction_in {
    int64_t transfer_id;  /* the transfer to correct (an arrival, deduction or claim) */
    const char *action;   /* "move" | "reverse" */
    int64_t to_case_id;   /* move: the right case; 0 = back to 待认领 */
    int64_t amount_fen;   /* 0 = all of it still uncorrected */
    const char *reason;   /* required */
} zx_correction_in;

typedef struct zx_correction {
    int64_t id, court_id, transfer_id, arrival_id, from_account_id, to_account_id, from_case_id, to_case_id;
    int64_t amount_fen, pending_transfer_id, proposed_by;
    char action[16], status[24], reason[512], from_case_no[64], to_case_no[64], booked_on[11];
} zx_correction;

int zx_funds_correction_propose(db_conn *c, const zx_correction_in *in, int64_t user_id, int64_t user_court,
                                int64_t *id_out, zx_funds_err *e);
/* 0, 1 not found, < 0 error. */
int zx_funds_correction_load(db_conn *c, int64_t id, zx_correction *k);
/* The 执行局长: approve → the reversal is posted; return (opinion required) → voided. */
int zx_funds_correction_decide(db_conn *c, int64_t id, int64_t user_id, bool approve, const char *opinion,
                               zx_funds_err *e);
/* Withdrawn by finance before the decision → voided. */
int zx_funds_correction_cancel(db_conn *c, int64_t id, int64_t user_id, zx_funds_err *e);
#endif
