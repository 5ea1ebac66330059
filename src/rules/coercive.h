/* coercive.h — caps of coercive measures: 民事诉讼法 (2023) art 118 (fine / detention caps, unchanged
 * since 2012) and art 119 (拘传、罚款、拘留 need 院长 approval) — rules.md §9. Pure. */
#ifndef ZX_RULES_COERCIVE_H
#define ZX_RULES_COERCIVE_H
#include <stdbool.h>
#include <stdint.h>

#define ZX_FINE_PERSON_MAX_FEN 10000000LL  /* 民诉法 art 118: individual ≤ ¥100,000 */
#define ZX_FINE_UNIT_MIN_FEN 5000000LL     /* 民诉法 art 118: unit ¥50,000 … */
#define ZX_FINE_UNIT_MAX_FEN 100000000LL   /* … to ¥1,000,000 */
#define ZX_DETENTION_MAX_DAYS 15           /* 民诉法 art 118: detention ≤ 15 days */

enum zx_coercive_err {
    ZX_COERCIVE_OK = 0,
    ZX_COERCIVE_BAD_MEASURE = -1,   /* not fine / detention */
    ZX_COERCIVE_BAD_TARGET = -2,    /* not person / unit; detention of a unit */
    ZX_COERCIVE_AMOUNT = -3,        /* fine outside its range */
    ZX_COERCIVE_DAYS = -4,          /* detention outside 1–15 days */
    ZX_COERCIVE_APPROVAL = -5,      /* no 院长 approval (民诉法 art 119) */
};

/* measure "fine" | "detention"; target_kind "person" | "unit". amount_fen for fines, days for
 * detention; approved = a 院长 approved it. */
enum zx_coercive_err zx_coercive_check(const char *measure, const char *target_kind, int64_t amount_fen,
                                       int days, bool approved);
const char *zx_coercive_message(enum zx_coercive_err e);
#endif
