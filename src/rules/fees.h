/* fees.h — court fees for enforcement per 《诉讼费用交纳办法》 (国务院令第481号, eff. 2007-04-01),
 * art 14 (rules.md §7). All amounts int64 fen. */
#ifndef ZX_RULES_FEES_H
#define ZX_RULES_FEES_H
#include <stdbool.h>
#include <stdint.h>

/* 申请执行费 for an executed amount (art 14(1)), cumulative bands. The sum of the band parts is
 * computed exactly (in 1/1000 fen) and rounded once, half up, to the fen. Returns the fee in fen, or
 * -1 if amount_fen < 0. */
int64_t zx_fee_enforcement(int64_t amount_fen);
/* Cases without a money amount: the court sets ¥50–500 per case (art 14(1)). True if fee_fen is in
 * that range. */
bool zx_fee_enforcement_no_amount_valid(int64_t fee_fen);
#define ZX_FEE_NO_AMOUNT_MIN_FEN 5000   /* 诉讼费用交纳办法 art 14(1): ¥50 */
#define ZX_FEE_NO_AMOUNT_MAX_FEN 50000  /* 诉讼费用交纳办法 art 14(1): ¥500 */
/* 申请保全措施费 on the amount actually preserved (art 14(2)); amount 0 = no amount → ¥30. Capped at
 * ¥5,000. Rounded half up to the fen. -1 if amount_fen < 0. */
int64_t zx_fee_preservation(int64_t amount_fen);
#endif
