/* interest.h — 迟延履行期间的债务利息 (the doubled part), per 《最高人民法院关于执行程序中计算迟延履行
 * 期间的债务利息适用法律若干问题的解释》 (法释〔2014〕8号 ◐ — number not re-checked; text dated 2014-07-07) — rules.md §9.
 *
 *   doubled part = unpaid money debt (excluding ordinary interest) × 0.000175 × days   (art 1)
 *
 * Exact integer arithmetic: interest_fen = Σ(principal_fen × days) × 175 / 1,000,000, rounded half up
 * to the fen once at the end. Days are those after `from` up to and including `to` (from = the last
 * day of the performance period, art 2; to = the day of payment, art 3). Ordinary interest awarded by
 * the judgment is not included. */
#ifndef ZX_RULES_INTEREST_H
#define ZX_RULES_INTEREST_H
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"

#define ZX_DELAY_RATE_PER_MILLION 175 /* 迟延履行利息解释 art 1: 0.000175 per day = 175 / 1,000,000 */

/* Interest on a constant principal for `days` days. Returns 0, or -1 (negative input, overflow). */
int zx_delay_interest_simple(int64_t principal_fen, int64_t days, int64_t *interest_fen);
/* Days in (from, to] = to − from; -1 if to < from. */
int64_t zx_delay_interest_days(zx_date from, zx_date to);

/* A period not counted (art 3: 中止 / 暂缓 not at the debtor's request, 中止 during retrial): the
 * first and last day not counted, inclusive. */
typedef struct zx_interest_exclusion {
    zx_date first, last;
} zx_interest_exclusion;

/* A partial payment (or 划拨/提取/抵债 taking effect) on a date (art 3). It stops interest on the
 * paid part after that day: the day of payment still accrues on the amount paid. Payments go to the
 * principal first (art 4). */
typedef struct zx_interest_payment {
    zx_date on;
    int64_t amount_fen;
} zx_interest_payment;

typedef struct zx_interest_result {
    int64_t days;                  /* counted days: not excluded, principal still unpaid */
    int64_t interest_fen;          /* the doubled part */
    int64_t principal_left_fen;    /* unpaid principal after the payments up to `to` */
} zx_interest_result;

/* Full computation over (from, to]. Exclusions may overlap and be unordered; payments unordered.
 * Returns 0, or -1 (to < from, negative amounts, exclusion with last < first, overflow). */
int zx_delay_interest(int64_t principal_fen, zx_date from, zx_date to, const zx_interest_exclusion *excl,
                      size_t nexcl, const zx_interest_payment *pay, size_t npay, zx_interest_result *out);
#endif
