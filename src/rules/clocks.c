/* clocks.c — 执行期限 with deductions and extensions, per-step deadlines (see clocks.h). */
#include "rules/clocks.h"
#include <stdlib.h>
#include <string.h>

const struct zx_deadline_rule zx_deadline_rules[ZX_DL__COUNT] = {
    [ZX_DL_ASSIGN] = { "assign", "分案确定承办人", "期限规定 art 2" },
    [ZX_DL_NOTICE] = { "notice", "发出执行通知书及报告财产令", "期限规定 art 4; 民诉解释 art 480" },
    [ZX_DL_CLUE_VERIFY] = { "clue_verify", "核查申请人提供的财产线索", "财产调查规定 art 2" },
    [ZX_DL_INVESTIGATION] = { "investigation", "完成财产调查", "期限规定 art 7" },
    [ZX_DL_TIME_LIMIT] = { "time_limit", "执行期限届满", "期限规定 art 1; 审限规定 art 9" },
    [ZX_DL_EXTENSION_DECISION] = { "extension_decision", "延长执行期限审批", "期限规定 art 1" },
    [ZX_DL_REINQUIRY] = { "reinquiry", "终本后定期网络查控", "终本规定 art 9" },
    [ZX_DL_MESSAGE_REPLY] = { "message_reply", "答复当事人留言", "本院留言答复期限" },
    [ZX_DL_REWARD_DECISION] = { "reward_decision", "决定是否准许悬赏申请", "财产调查规定 art 21" },
    [ZX_DL_FUNDS_PAYOUT] = { "funds_payout", "发放执行款", "法发〔2017〕6号（30日内发放）；本院发放期限" },
    [ZX_DL_CONTROL_RENEWAL] = { "control_renewal", "续行冻结（查封）或解除", "民诉解释 art 485" },
};

int zx_deadline_kind_from(const char *kind)
{
    for (int i = 0; i < ZX_DL__COUNT; i++)
        if (kind && strcmp(kind, zx_deadline_rules[i].kind) == 0) return i;
    return -1;
}

int zx_clock_limit_months(bool non_litigation)
{
    return non_litigation ? ZX_LIMIT_MONTHS_NON_LITIGATION : ZX_LIMIT_MONTHS;
}

static const zx_limit_rule limit_rules[] = {
    { "执", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, ZX_LIMIT_MONTHS_NON_LITIGATION, ZX_EXTENSION_MAX_MONTHS,
      ZX_EXTENSION_WINDOW_DAYS, "期限规定 art 1", "期限规定 art 1; 审限规定 art 5" },       /* 6 (3) months, +3 */
    { "执恢", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, ZX_LIMIT_MONTHS_NON_LITIGATION, ZX_EXTENSION_MAX_MONTHS,
      ZX_EXTENSION_WINDOW_DAYS, "期限规定 art 1", "期限规定 art 1; 审限规定 art 5" },       /* a resumed case is a new one */
    { "执保", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, 0, ZX_EXTENSION_MAX_MONTHS,
      ZX_EXTENSION_WINDOW_DAYS, "期限规定 art 1", "期限规定 art 1; 审限规定 art 5" },
    { "执异", ZX_UNIT_DAYS, ZX_OBJECTION_DAYS, 0, 0, 0,
      "民诉法 art 236", "民诉法 art 236" },                                               /* 15 days, no extension */
    { "执复", ZX_UNIT_DAYS, ZX_REVIEW_DAYS, 0, ZX_REVIEW_EXT_DAYS, 0,
      "执行程序解释 art 9", "执行程序解释 art 9" },                                       /* 30 days, +≤30 (院长) */
    /* 执监/执协/执他 (立案结案意见 art 9: 执行审查类) have no limit of their own in the statutes: 民诉法 art 236
     * and 执行程序解释 art 9 fix only 执异 and 执复; 法发〔2023〕4号 (申请执行监督) fixes when a party may apply,
     * not how long the review takes; so 审限规定 art 5 ("执行案件应当在立案之日起六个月内执结 … 经本院院长
     * 批准，可以延长三个月") governs them as 执行案件. Checked against ../shared/domain/rules.md §1.2–1.3. */
    { "执监", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, 0, ZX_EXTENSION_MAX_MONTHS, 0,
      "审限规定 art 5", "审限规定 art 5" },                                               /* general 审限: 6 months, +3 */
    { "执协", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, 0, ZX_EXTENSION_MAX_MONTHS, 0,
      "审限规定 art 5", "审限规定 art 5" },
    { "执他", ZX_UNIT_MONTHS, ZX_LIMIT_MONTHS, 0, ZX_EXTENSION_MAX_MONTHS, 0,
      "审限规定 art 5", "审限规定 art 5" },
};

const zx_limit_rule *zx_limit_rule_for(const char *type_code)
{
    for (size_t i = 0; type_code && i < sizeof limit_rules / sizeof limit_rules[0]; i++)
        if (!strcmp(limit_rules[i].type_code, type_code)) return &limit_rules[i];
    return &limit_rules[0];
}

int zx_limit_base(const zx_limit_rule *lr, bool non_litigation)
{
    return non_litigation && lr->unit == ZX_UNIT_MONTHS && lr->base_non_litigation ? lr->base_non_litigation : lr->base;
}

zx_date zx_clock_limit_for(const zx_limit_rule *lr, zx_date filed, bool non_litigation, int deducted_days,
                           int extension_units, int legacy_extension_days)
{
    int base = zx_limit_base(lr, non_litigation);
    zx_date d;
    if (lr->unit == ZX_UNIT_MONTHS) /* 民法典 art 201–202: the corresponding day of the last month */
        d = zx_date_add_months(filed, base + extension_units) + legacy_extension_days;
    else /* 民诉法 art 85: the day of filing is not counted */
        d = filed + base + extension_units;
    return zx_clock_next_working(d + deducted_days);
}

const char *zx_limit_extension_check(const zx_limit_rule *lr, int granted, int add)
{
    if (lr->ext_max <= 0) return "该类案件的审查期限不得延长";
    if (add < 1) return lr->unit == ZX_UNIT_MONTHS ? "延长月数应为正整数" : "延长天数应为正整数";
    if (granted + add > lr->ext_max)
        return lr->unit == ZX_UNIT_MONTHS ? "延长合计不得超过三个月（审限规定第5条；还需延长的，层报高级人民法院备案）"
                                          : "延长合计不得超过三十日（执行程序解释第9条）";
    return NULL;
}

static int cmp_pause(const void *a, const void *b)
{
    const zx_pause *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

int zx_clock_deducted_days(const zx_pause *p, size_t n, zx_date today)
{
    if (n == 0) return 0;
    zx_pause *s = malloc(n * sizeof *s);
    if (!s) abort();
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        zx_pause q = p[i];
        if (q.start == ZX_DATE_NONE) continue;
        if (q.end == ZX_DATE_NONE) q.end = today;
        if (q.end < q.start) continue; /* running pause that starts after today */
        s[m++] = q;
    }
    qsort(s, m, sizeof *s, cmp_pause);
    int days = 0;
    zx_date cur_s = 0, cur_e = 0;
    bool open = false;
    for (size_t i = 0; i < m; i++) {
        if (open && s[i].start <= cur_e + 1) { /* overlapping or adjacent: merge */
            if (s[i].end > cur_e) cur_e = s[i].end;
            continue;
        }
        if (open) days += cur_e - cur_s + 1;
        cur_s = s[i].start;
        cur_e = s[i].end;
        open = true;
    }
    if (open) days += cur_e - cur_s + 1;
    free(s);
    return days;
}

zx_date zx_clock_next_working(zx_date d)
{
    for (int i = 0; i < 60 && !zx_cal_is_working(d); i++) d++;
    return d;
}

zx_date zx_clock_limit_date(zx_date filed, bool non_litigation, int deducted_days, int extension_days)
{
    zx_date d = zx_date_add_months(filed, zx_clock_limit_months(non_litigation));
    return zx_clock_next_working(d + deducted_days + extension_days);
}

bool zx_clock_extension_window(zx_date limit, zx_date on)
{
    return on <= limit && on >= limit - ZX_EXTENSION_WINDOW_DAYS;
}

zx_date zx_deadline_assign(zx_date filed) { return zx_cal_period_end_days(filed, ZX_ASSIGN_DAYS); }

zx_date zx_deadline_notice(zx_date filed, zx_date assigned)
{
    zx_date cap = zx_cal_period_end_days(filed, ZX_NOTICE_MAX_DAYS);
    if (assigned == ZX_DATE_NONE) return cap;
    zx_date d = zx_cal_period_end_days(assigned, ZX_NOTICE_DAYS);
    return d < cap ? d : cap;
}

zx_date zx_deadline_clue(zx_date supplied, bool urgent)
{
    return zx_cal_period_end_days(supplied, urgent ? ZX_CLUE_URGENT_DAYS : ZX_CLUE_DAYS);
}

zx_date zx_deadline_investigation(zx_date filed)
{
    return zx_clock_next_working(zx_date_add_months(filed, ZX_INVESTIGATION_MONTHS));
}

zx_date zx_deadline_reinquiry(zx_date closed, int k)
{
    return zx_clock_next_working(zx_date_add_months(closed, ZX_REINQUIRY_MONTHS * k));
}

enum zx_level zx_deadline_level(zx_date due, zx_date today, int lead_days)
{
    if (today > due) return ZX_LEVEL_OVERDUE;
    if (due - today <= lead_days) return ZX_LEVEL_WARNING;
    return ZX_LEVEL_OK;
}

const char *zx_level_code(enum zx_level l)
{
    switch (l) {
    case ZX_LEVEL_WARNING: return "warning";
    case ZX_LEVEL_OVERDUE: return "overdue";
    default: return "ok";
    }
}
