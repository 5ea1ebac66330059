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
