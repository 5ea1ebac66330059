/* restriction.c — 限消规定 rules; see restriction.h. Pure. */
#include "rules/restriction.h"
#include "credit/entry.h"
#include <string.h>

bool zx_restr_required(bool dishonest_listed)
{
    return dishonest_listed; /* 限消规定 art 1 para 2: 纳入失信被执行人名单的，人民法院应当对其采取限制消费措施 */
}

const char *const zx_restr_bound_roles[ZX_RESTR_BOUND_ROLES] = {
    "legal_rep", "principal", "responsible_person", "controller", /* 限消规定 art 3 para 2 (实际控制人 since 2015) */
};

bool zx_restr_binds(const char *debtor_kind, const char *role_of_unit)
{
    if (!debtor_kind || strcmp(debtor_kind, "unit") != 0 || !role_of_unit) return false;
    for (int i = 0; i < ZX_RESTR_BOUND_ROLES; i++)
        if (strcmp(zx_restr_bound_roles[i], role_of_unit) == 0) return true;
    return false;
}

int zx_restr_gate(const zx_restr_facts *f, zx_reason *out, int max)
{
    int n = 0;
    if (!f->is_debtor) n = zx_reason_add(out, max, n, "NOT_DEBTOR", "限消规定 art 1", "只能对本案被执行人发布限制消费令");
    if (!f->case_open) n = zx_reason_add(out, max, n, "CASE_CLOSED", "限消规定 art 1", "案件已结案，不能发布限制消费令");
    if (!f->outstanding)
        n = zx_reason_add(out, max, n, "NOTHING_OUTSTANDING", "限消规定 art 1", "被执行人已履行生效法律文书确定的义务");
    if (!f->id_valid) n = zx_reason_add(out, max, n, "INVALID_ID_NUMBER", "限消规定 art 5", "被执行人身份证号码或统一社会信用代码无效");
    if (f->already_restricted)
        n = zx_reason_add(out, max, n, "ALREADY_RESTRICTED", "限消规定 art 1", "该被执行人在本案已有未完结的限制消费决定或有效的限制消费令");
    if (f->category_mask < 0 || f->category_mask == 0)
        n = zx_reason_add(out, max, n, "UNKNOWN_CATEGORY", "限消规定 art 3", "限制消费事项代码无效");
    if (f->grace_months < 0 || f->grace_months > ZX_DIS_GRACE_MAX)
        n = zx_reason_add(out, max, n, "INVALID_GRACE", "法发〔2019〕35号", "宽限期为一至三个月（0 表示不给予宽限期）");
    return n;
}

const zx_restr_lift_reason zx_restr_lift_reasons[3] = {
    { "security", "被执行人提供确实有效的担保", "限消规定 art 9", false },
    { "applicant_consent", "申请执行人同意解除", "限消规定 art 9", false },
    { "full_performance", "被执行人履行完毕生效法律文书确定的义务", "限消规定 art 9", true },
};

const zx_restr_lift_reason *zx_restr_lift_reason_get(const char *code)
{
    if (!code) return NULL;
    for (int i = 0; i < 3; i++)
        if (strcmp(zx_restr_lift_reasons[i].code, code) == 0) return &zx_restr_lift_reasons[i];
    return NULL;
}

int zx_restr_lift_check(const char *reason, bool dishonest_listed, bool entry_open, zx_reason *out, int max)
{
    int n = 0;
    const zx_restr_lift_reason *lr = zx_restr_lift_reason_get(reason);
    if (!entry_open) n = zx_reason_add(out, max, n, "INVALID_STATE", "限消规定 art 9", "限制消费令已解除");
    if (!lr) n = zx_reason_add(out, max, n, "INVALID_REASON", "限消规定 art 9", "解除理由须为提供担保、申请执行人同意或履行完毕");
    else if (dishonest_listed && !lr->mandatory)
        n = zx_reason_add(out, max, n, "DISHONEST_LISTED", "限消规定 art 1 para 2",
                "被执行人仍在失信被执行人名单中，应当限制消费；履行完毕的，应同时删除失信信息");
    return n;
}

#define TRANSPORT ((uint16_t)((1u << ZX_CAT_FLIGHT) | (1u << ZX_CAT_TRAIN_SLEEPER) | (1u << ZX_CAT_SHIP_CABIN) | \
                              (1u << ZX_CAT_HIGH_SPEED_RAIL)))

/* 法发〔2019〕35号 para 17: temporary lifting of flight / high-speed-rail bans for the listed reasons;
 * private consumption with own money by a unit's persons (限消规定 art 3 para 2). Window lengths are
 * this system's policy (the opinion sets none): 30 days for a trip, one year for private use. */
const zx_restr_permit_kind zx_restr_permit_kinds[ZX_RESTR_PERMIT_KINDS] = {
    { "medical", "本人或近亲属重大疾病就医", 30, TRANSPORT, false },
    { "funeral", "近亲属丧葬", 30, TRANSPORT, false },
    { "official_duty", "因公出差", 30, TRANSPORT, false },
    { "foreign_affairs", "外事活动", 30, TRANSPORT, false },
    { "exam", "重要考试", 30, TRANSPORT, false },
    { "private_consumption", "以个人财产实施的消费（单位被执行人的法定代表人等人员）", 365, ZX_CAT_ALL, true },
};

const zx_restr_permit_kind *zx_restr_permit_kind_get(const char *code)
{
    if (!code) return NULL;
    for (int i = 0; i < ZX_RESTR_PERMIT_KINDS; i++)
        if (strcmp(zx_restr_permit_kinds[i].code, code) == 0) return &zx_restr_permit_kinds[i];
    return NULL;
}

int zx_restr_permit_check(const char *kind, int mask, zx_date from, zx_date to, bool is_bound_person, bool entry_open,
                          zx_date today, zx_reason *out, int max)
{
    int n = 0;
    const zx_restr_permit_kind *k = zx_restr_permit_kind_get(kind);
    if (!entry_open) n = zx_reason_add(out, max, n, "INVALID_STATE", "法发〔2019〕35号 para 17", "该名单信息已不再有效，无需许可");
    if (!k) return zx_reason_add(out, max, n, "INVALID_KIND", "法发〔2019〕35号 para 17", "许可事由无效");
    if (mask <= 0) n = zx_reason_add(out, max, n, "UNKNOWN_CATEGORY", "限消规定 art 3", "须指定有效的限制消费事项");
    else if ((mask & ~k->allowed) != 0)
        n = zx_reason_add(out, max, n, "CATEGORY_NOT_PERMITTED", "法发〔2019〕35号 para 17", "该事由只能临时准许乘坐飞机、列车软卧、轮船、高铁等交通工具");
    if (k->bound_person_only && !is_bound_person)
        n = zx_reason_add(out, max, n, "NOT_BOUND_PERSON", "限消规定 art 3 para 2",
                "以个人财产消费的许可仅适用于单位被执行人的法定代表人、主要负责人、直接责任人员、实际控制人");
    if (from == ZX_DATE_NONE || to == ZX_DATE_NONE || to < from)
        n = zx_reason_add(out, max, n, "INVALID_WINDOW", "法发〔2019〕35号 para 17", "许可期间无效（开始日不得晚于结束日）");
    else {
        if (from < today) n = zx_reason_add(out, max, n, "INVALID_WINDOW", "法发〔2019〕35号 para 17", "许可期间不得早于今日");
        if (to - from + 1 > k->max_days) n = zx_reason_add(out, max, n, "WINDOW_TOO_LONG", "法发〔2019〕35号 para 17", "许可期间超过该事由允许的最长天数");
    }
    return n;
}

bool zx_restr_permit_allows(uint16_t mask, zx_date from, zx_date to, int cat, zx_date d)
{
    if (cat < 0 || cat >= ZX_CAT_COUNT || from == ZX_DATE_NONE || to == ZX_DATE_NONE) return false;
    return from <= d && d <= to && (mask & (1u << cat)) != 0;
}
