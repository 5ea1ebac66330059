/* public.h — the public query (portal; issue 5 §6): 失信 / 限消 / 被执行人 / 终本 lists by name and/or
 * ID number, public fields only (失信规定 art 6), ID numbers masked first 10 + "****" + last 4,
 * rate-limited per client address, name search on a separate path with its own concurrency cap and
 * traditional/simplified folding (OpenCC). */
#ifndef ZX_CREDIT_PUBLIC_H
#define ZX_CREDIT_PUBLIC_H
#include <jansson.h>
#include <stdbool.h>
#include "store/db.h"

/* Lists (bit mask). */
#define ZX_PUB_DISHONEST 0x1u        /* 失信被执行人 */
#define ZX_PUB_RESTRICTED 0x2u       /* 限制消费 */
#define ZX_PUB_DEBTOR 0x4u           /* 被执行人 (open enforcement cases, 002) */
#define ZX_PUB_INTERIM_CLOSURE 0x8u  /* 终本案件 (002) */
#define ZX_PUB_ALL 0xFu
/* "dishonest,restricted" → mask; NULL/"" → all; unknown name → 0. */
unsigned zx_public_lists(const char *csv);

/* Token-bucket rate limit per client address (burst per_min, refill per_min a minute): true if this request may proceed; otherwise
 * *retry_after = seconds until the window resets. per_min ≤ 0 disables the limit. Thread-safe,
 * bounded memory (stale addresses are evicted). */
bool zx_public_rate_take(const char *client_ip, int per_min, int *retry_after);
void zx_public_rate_reset(void); /* tests */

/* Name-search path: at most `cap` concurrent queries; false = busy (caller answers 503). */
bool zx_public_name_enter(int cap);
void zx_public_name_leave(void);

/* Search. id18 = normalised ID / credit code or NULL; name = as typed or NULL (at least one given).
 * Returns {"dishonest":{"total":N,"items":[…]}, …} for the lists asked, or NULL on a store error. */
json_t *zx_public_search(db_conn *c, const char *name, const char *id18, unsigned lists, int page, int size);
#endif
