/* seizure.h — 查封、扣押、冻结 numbers and the no-over-seizure rule, pure (no store, no clock).
 *
 * Periods: 民诉解释 (2022) art 485 — bank deposits at most 1 year, movables 2 years, real estate and
 * other property rights 3 years; renewal before expiry, each time for at most the same length.
 * No over-seizure: 查封规定 (2004, rev. 2020) art 19 — the value controlled is limited to the claim
 * plus the costs of enforcement; beyond that only when an indivisible asset is the only (or only
 * sufficient) one left. */
#ifndef ZX_RULES_SEIZURE_H
#define ZX_RULES_SEIZURE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"

/* Property classes of art 485. */
enum zx_control_class { ZX_CTRL_DEPOSIT = 1, ZX_CTRL_MOVABLE = 2, ZX_CTRL_RIGHTS = 3 };
/* The class of an institution kind (src/inquiry kinds): deposit / online_payment / provident_fund →
 * deposits; vehicle / ship → movables; real_estate, equity, securities, wealth, insurance → real estate
 * and other property rights. */
enum zx_control_class zx_control_class_of(const char *kind);
/* Maximum period in years for the class (民诉解释 art 485): 1, 2, 3. */
int zx_control_max_years(enum zx_control_class cls);
/* The legal end date of a control starting on `start`: start + max years − 1 day (the period
 * includes the start day). */
zx_date zx_control_until(enum zx_control_class cls, zx_date start);
/* Is `until` an acceptable renewal end for a control ending on `old_until` renewed on `on`? It must
 * be requested before expiry (on ≤ old_until) and run on from old_until for at most the maximum:
 * until ≤ zx_control_until(cls, old_until + 1). */
bool zx_control_renewal_ok(enum zx_control_class cls, zx_date on, zx_date old_until, zx_date until);

/* The no-over-seizure check (查封规定 art 19). controlled_fen = the value already under control for
 * this claim across all of the debtor's assets (active + queued controls of the case), asking_fen =
 * the new control's value, limit_fen = outstanding claim + costs of enforcement. indivisible = the
 * asset cannot be split (a flat, a car); other_assets_fen = what the debtor's other uncontrolled
 * assets found are worth. Returns true when allowed; *excess_fen gets how far the total would exceed
 * the limit (0 if it does not). An indivisible asset may exceed the limit only when the claim cannot
 * be met from other assets: controlled + other_assets < limit. */
bool zx_over_seizure_ok(int64_t limit_fen, int64_t controlled_fen, int64_t asking_fen, bool indivisible,
                        int64_t other_assets_fen, int64_t *excess_fen);
#endif
