/* seizure.c — 查封、扣押、冻结 periods (民诉解释 art 485) and no over-seizure (查封规定 art 19). */
#include "rules/seizure.h"
#include <string.h>

enum zx_control_class zx_control_class_of(const char *kind)
{
    if (!kind) return ZX_CTRL_RIGHTS;
    if (!strcmp(kind, "deposit") || !strcmp(kind, "online_payment") || !strcmp(kind, "provident_fund"))
        return ZX_CTRL_DEPOSIT; /* 民诉解释 art 485: 银行存款 */
    if (!strcmp(kind, "vehicle") || !strcmp(kind, "ship")) return ZX_CTRL_MOVABLE; /* art 485: 动产 */
    return ZX_CTRL_RIGHTS; /* art 485: 不动产和其他财产权 */
}

int zx_control_max_years(enum zx_control_class cls)
{
    switch (cls) {
    case ZX_CTRL_DEPOSIT: return 1; /* 民诉解释 art 485: 冻结银行存款的期限不得超过一年 */
    case ZX_CTRL_MOVABLE: return 2; /* 民诉解释 art 485: 查封、扣押动产的期限不得超过两年 */
    default: return 3;              /* 民诉解释 art 485: 查封不动产、冻结其他财产权的期限不得超过三年 */
    }
}

zx_date zx_control_until(enum zx_control_class cls, zx_date start)
{
    return zx_date_add_months(start, 12 * zx_control_max_years(cls)) - 1;
}

bool zx_control_renewal_ok(enum zx_control_class cls, zx_date on, zx_date old_until, zx_date until)
{
    /* 民诉解释 art 485: 续行 before expiry; each renewal runs on from the old end date for at most the
     * same maximum */
    return on <= old_until && until > old_until && until <= zx_control_until(cls, old_until + 1);
}

bool zx_over_seizure_ok(int64_t limit_fen, int64_t controlled_fen, int64_t asking_fen, bool indivisible,
                        int64_t other_assets_fen, int64_t *excess_fen)
{
    int64_t total = controlled_fen + asking_fen;
    int64_t excess = total > limit_fen ? total - limit_fen : 0;
    if (excess_fen) *excess_fen = excess;
    if (excess == 0) return true;
    /* 查封规定 art 19: beyond claim + costs only for an indivisible asset when the debtor has no other
     * property, or the other property is not enough to meet the claim */
    if (indivisible && controlled_fen < limit_fen && controlled_fen + other_assets_fen < limit_fen) return true;
    return false;
}
