/* distribution.h — 参与分配 plans (src/funds/distribution.c; 民诉解释 arts 506–515). */
#ifndef ZX_FUNDS_DISTRIBUTION_H
#define ZX_FUNDS_DISTRIBUTION_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

typedef struct zx_dist_claim {
    char creditor[128];
    char klass[16];        /* "cost" 执行费用 | "priority" 优先受偿 | "ordinary" 普通债权 */
    int64_t claim_fen;     /* admitted amount */
    char seized_on[11];    /* 查封日期 (enterprise debtors: order of seizure), '' if none */
    int64_t share_fen;     /* out */
} zx_dist_claim;

/* Pure: split amount over the claims (art 508 order; art 514 seizure order for enterprise debtors;
 * largest remainder so Σ share = min(amount, Σ claims)). 0 or -1 (bad class / negative). */
int zx_distribution_split(int64_t amount, zx_dist_claim *cl, int n, bool enterprise);
/* Store a draft plan for a case (amount ≤ the case account's available balance). 0, 1 (bad input,
 * err), 2 (over the balance, err), -1 store error. */
int zx_distribution_create(db_conn *c, int64_t case_id, int64_t user_id, int64_t amount, bool enterprise,
                           zx_dist_claim *cl, int n, int64_t *id_out, char *err, size_t errlen);
json_t *zx_distribution_json(db_conn *c, int64_t id, int64_t *court_out);
/* The plan's case (0 none, -1 store error). */
int64_t zx_distribution_case(db_conn *c, int64_t id);
/* Served on a date: objection window ends 15 days later (art 509); case event funds_distribution_served.
 * 0, 1 bad date, 2 wrong state, -1. */
int zx_distribution_serve(db_conn *c, int64_t id, int64_t user_id, const char *served_on, char *err, size_t errlen);
/* The next step of the objection procedure (arts 509–510): no_objection | objection {on} | revised |
 * opposition {on} | no_suit | suit_filed {on} | judgment; case event funds_distribution_step.
 * 0, 1 bad input, 2 wrong state / window, -1. */
int zx_distribution_outcome(db_conn *c, int64_t id, int64_t user_id, const char *outcome, const char *on, char *err,
                            size_t errlen);
/* The case's plans, newest first. */
json_t *zx_distribution_list(db_conn *c, int64_t case_id);
/* One line of a plan as a payout of it sees it (payouts.c): the plan's case and stage, the line's creditor and
 * share, and what payouts naming the line hold — paid_fen (paid) and held_fen (in flight: pending_approval,
 * approved, sent); failed, returned and cancelled payouts hold nothing. 0 found, 1 no such plan, 2 no such
 * line, -1 store error. */
typedef struct zx_dist_line {
    int64_t case_id;
    char status[16];
    char creditor[128];
    int64_t share_fen, paid_fen, held_fen;
} zx_dist_line;
int zx_distribution_line(db_conn *c, int64_t id, int ord, zx_dist_line *out);
/* The plan's stage in Chinese (draft 待送达 … final 方案已确定). */
const char *zx_distribution_status_label(const char *status);
/* The plan as a PDF (malloc'd). 0 or -1. */
int zx_distribution_pdf(json_t *plan, const char *court_name, unsigned char **out, size_t *outlen);
#endif
