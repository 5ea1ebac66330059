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
    if (f->preservation_case)
        n = zx_reason_add(out, max, n, "PRESERVATION_CASE", "限消规定 art 1",
                "财产保全执行案件的被执行人尚无生效法律文书确定的给付义务，不得限制消费");
    if (f->category_mask < 0 || f->category_mask == 0)
        n = zx_reason_add(out, max, n, "UNKNOWN_CATEGORY", "限消规定 art 3", "限制消费事项代码无效");
    else if (f->category_mask != ZX_CAT_ALL) /* art 3: every prohibition binds every restricted debtor */
        n = zx_reason_add(out, max, n, "PARTIAL_ORDER", "限消规定 art 3",
                "限制消费令须包含限消规定第三条所列全部九项，不得只限制其中部分事项");
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

/* 法发〔2019〕35号 para 17(3): "暂时解除乘坐飞机、高铁限制措施" — flights and high-speed rail only. */
#define FLIGHT_RAIL ((uint16_t)((1u << ZX_CAT_FLIGHT) | (1u << ZX_CAT_HIGH_SPEED_RAIL)))

/* 法发〔2019〕35号 para 17(3): temporary lifting of the flight / high-speed-rail ban for the listed
 * reasons, at most one month, with the 院长's approval ("经严格审查并经本院院长批准，可以给予其最长不超过1个月
 * 的暂时解除期间"). Private consumption with own money by a unit's persons (限消规定 art 3 para 2): the
 * court's review, a window of this system's policy (one year). */
const zx_restr_permit_kind zx_restr_permit_kinds[ZX_RESTR_PERMIT_KINDS] = {
    { "medical", "本人或近亲属重大疾病就医", 1, 0, true, FLIGHT_RAIL, false },
    { "funeral", "近亲属丧葬", 1, 0, true, FLIGHT_RAIL, false },
    { "official_duty", "本人执行或配合执行公务", 1, 0, true, FLIGHT_RAIL, false },
    { "foreign_affairs", "参加外事活动", 1, 0, true, FLIGHT_RAIL, false },
    { "exam", "参加重要考试", 1, 0, true, FLIGHT_RAIL, false },
    { "private_consumption", "以个人财产实施的消费（单位被执行人的法定代表人等人员）", 0, 365, false, ZX_CAT_ALL, true },
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
        n = zx_reason_add(out, max, n, "CATEGORY_NOT_PERMITTED", "法发〔2019〕35号 para 17(3)", "该事由只能暂时解除乘坐飞机、高铁的限制");
    if (k->bound_person_only && !is_bound_person)
        n = zx_reason_add(out, max, n, "NOT_BOUND_PERSON", "限消规定 art 3 para 2",
                "以个人财产消费的许可仅适用于单位被执行人的法定代表人、主要负责人、直接责任人员、实际控制人");
    if (from == ZX_DATE_NONE || to == ZX_DATE_NONE || to < from)
        n = zx_reason_add(out, max, n, "INVALID_WINDOW", "法发〔2019〕35号 para 17", "许可期间无效（开始日不得晚于结束日）");
    else {
        if (from < today) n = zx_reason_add(out, max, n, "INVALID_WINDOW", "法发〔2019〕35号 para 17", "许可期间不得早于今日");
        bool too_long = k->max_months > 0 ? to >= zx_date_add_months(from, k->max_months) : to - from + 1 > k->max_days;
        if (too_long)
            n = zx_reason_add(out, max, n, "WINDOW_TOO_LONG", "法发〔2019〕35号 para 17(3)",
                    k->max_months > 0 ? "暂时解除期间最长不超过1个月" : "许可期间超过该事由允许的最长天数");
    }
    return n;
}

bool zx_restr_permit_allows(uint16_t mask, zx_date from, zx_date to, int cat, zx_date d)
{
    if (cat < 0 || cat >= ZX_CAT_COUNT || from == ZX_DATE_NONE || to == ZX_DATE_NONE) return false;
    return from <= d && d <= to && (mask & (1u << cat)) != 0;
}
