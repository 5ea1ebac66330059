/* coercive.c — see coercive.h. */
#include "rules/coercive.h"
#include <string.h>

enum zx_coercive_err zx_coercive_check(const char *measure, const char *target_kind, int64_t amount_fen,
                                       int days, bool approved)
{
    if (!measure || (strcmp(measure, "fine") != 0 && strcmp(measure, "detention") != 0))
        return ZX_COERCIVE_BAD_MEASURE;
    bool unit = target_kind && strcmp(target_kind, "unit") == 0;
    bool person = target_kind && strcmp(target_kind, "person") == 0;
    if (!unit && !person) return ZX_COERCIVE_BAD_TARGET;
    if (strcmp(measure, "fine") == 0) {
        if (person && (amount_fen <= 0 || amount_fen > ZX_FINE_PERSON_MAX_FEN)) /* 民诉法 art 118 */
            return ZX_COERCIVE_AMOUNT;
        if (unit && (amount_fen < ZX_FINE_UNIT_MIN_FEN || amount_fen > ZX_FINE_UNIT_MAX_FEN)) /* art 118 */
            return ZX_COERCIVE_AMOUNT;
    } else {
        if (unit) return ZX_COERCIVE_BAD_TARGET; /* detention applies to natural persons (art 118) */
        if (days < 1 || days > ZX_DETENTION_MAX_DAYS) return ZX_COERCIVE_DAYS; /* art 118 */
    }
    if (!approved) return ZX_COERCIVE_APPROVAL; /* 民诉法 art 119 */
    return ZX_COERCIVE_OK;
}

const char *zx_coercive_message(enum zx_coercive_err e)
{
    switch (e) {
    case ZX_COERCIVE_OK: return "符合规定";
    case ZX_COERCIVE_BAD_MEASURE: return "强制措施种类应为罚款或拘留";
    case ZX_COERCIVE_BAD_TARGET: return "对象类型无效（拘留仅适用于自然人）";
    case ZX_COERCIVE_AMOUNT: return "罚款金额超出法定范围：个人不超过十万元，单位五万元以上一百万元以下（民诉法第118条）";
    case ZX_COERCIVE_DAYS: return "拘留期限应为1至15日（民诉法第118条）";
    case ZX_COERCIVE_APPROVAL: return "罚款、拘留须经院长批准（民诉法第119条）";
    }
    return "无效";
}
