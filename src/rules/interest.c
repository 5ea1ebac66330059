/* interest.c — delay interest (迟延履行利息解释 2014, arts 1–4). */
#include "rules/interest.h"

#define MILLION 1000000 /* denominator of ZX_DELAY_RATE_PER_MILLION */

/* Σ(principal × days) × 175 / 1e6, half up; -1 if the result does not fit int64. */
static int finish(__int128 fen_days, int64_t *interest_fen)
{
    __int128 num = fen_days * ZX_DELAY_RATE_PER_MILLION; /* 迟延履行利息解释 art 1 */
    __int128 q = (num + MILLION / 2) / MILLION;
    if (q > INT64_MAX) return -1;
    *interest_fen = (int64_t)q;
    return 0;
}

int zx_delay_interest_simple(int64_t principal_fen, int64_t days, int64_t *interest_fen)
{
    if (principal_fen < 0 || days < 0 || days > 100000000 || !interest_fen) return -1;
    return finish((__int128)principal_fen * days, interest_fen);
}

int64_t zx_delay_interest_days(zx_date from, zx_date to)
{
    return to < from ? -1 : (int64_t)to - from;
}

static bool excluded(zx_date d, const zx_interest_exclusion *excl, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d >= excl[i].first && d <= excl[i].last) return true;
    return false;
}

int zx_delay_interest(int64_t principal_fen, zx_date from, zx_date to, const zx_interest_exclusion *excl,
                      size_t nexcl, const zx_interest_payment *pay, size_t npay, zx_interest_result *out)
{
    if (!out || to < from || principal_fen < 0 || (nexcl && !excl) || (npay && !pay)) return -1;
    for (size_t i = 0; i < nexcl; i++)
        if (excl[i].last < excl[i].first) return -1;
    for (size_t i = 0; i < npay; i++)
        if (pay[i].amount_fen < 0) return -1;

    /* Walk day by day over (from, to]: the span is bounded by the date range (≤ ~110k days for
     * 1900–2199) and this keeps the rule obvious. Principal on day d = principal − payments made
     * before d (a payment on day p still accrues on day p, art 3), never below zero (art 4). */
    __int128 paid_before_start = 0;
    for (size_t i = 0; i < npay; i++)
        if (pay[i].on <= from) paid_before_start += pay[i].amount_fen;
    __int128 principal = principal_fen - paid_before_start;
    if (principal < 0) principal = 0;

    __int128 fen_days = 0;
    int64_t days = 0;
    for (zx_date d = from + 1; d <= to; d++) {
        if (principal > 0 && !excluded(d, excl, nexcl)) {
            fen_days += principal;
            days++;
        }
        /* payments on day d reduce the principal from d + 1 */
        for (size_t i = 0; i < npay; i++)
            if (pay[i].on == d) principal -= pay[i].amount_fen;
        if (principal < 0) principal = 0;
    }
    out->days = days;
    out->principal_left_fen = (int64_t)principal;
    return finish(fen_days, &out->interest_fen);
}
