/* money.h — amounts of money as int64 fen (分), parsed from and formatted as yuan (元).
 *
 * No floating point anywhere: "1,234.56" ↔ 123456. Parsing is strict (see zx_money_parse) and every
 * arithmetic helper reports overflow instead of wrapping. */
#ifndef ZX_MONEY_H
#define ZX_MONEY_H
#include <stdbool.h>
#include <stdint.h>

#define ZX_MONEY_ALLOW_NEGATIVE 0x1u /* accept a leading '-' */
#define ZX_MONEY_NO_GROUPING    0x2u /* reject "1,234.56" (thousands separators) */
#define ZX_MONEY_BUF 32              /* enough for any int64 with sign, separators and NUL */

/* Parse a yuan amount: digits with an optional '.' and 1–2 decimals; thousands separators ',' in
 * groups of exactly three ("1,234,567.8"); "0.01" ok; no leading zeros ("01"), no '+', exponent,
 * spaces or other junk; '-' only with ZX_MONEY_ALLOW_NEGATIVE. Returns 0 and *fen, or -1
 * (invalid or beyond int64 fen). */
int zx_money_parse(const char *s, unsigned flags, int64_t *fen);
/* "1,234.56" / "-1,234.56" (always two decimals). buf ≥ ZX_MONEY_BUF. Returns buf. */
char *zx_money_format(int64_t fen, char *buf);
/* "1234.56" (no separators). */
char *zx_money_format_plain(int64_t fen, char *buf);

/* Checked arithmetic: false on overflow (out untouched). */
bool zx_money_add(int64_t a, int64_t b, int64_t *out);
bool zx_money_sub(int64_t a, int64_t b, int64_t *out);
bool zx_money_mul(int64_t a, int64_t b, int64_t *out);
/* a × num / den rounded half away from zero; den > 0. False on overflow or den ≤ 0. */
bool zx_money_muldiv_round(int64_t a, int64_t num, int64_t den, int64_t *out);
#endif
