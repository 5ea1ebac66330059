/* calendar_data.c — the official holiday + 调休 arrangements shipped with the binary.
 *
 * Source: the yearly 《国务院办公厅关于YYYY年部分节假日安排的通知》. Each range is a holiday span as the
 * notice states it (weekend days inside a span are listed too, so the calendar shows the whole
 * break); every 调休 working weekend day the notice names is listed as ZX_DAY_WORKDAY. Days of a
 * span that fall in a year not shipped here are left out (2024 元旦 also covered 2023-12-30/31).
 * Years not listed fall back to Mon–Fri (zx_cal_year_known() is false for them). An administrator
 * can add or override years at run time through table holiday_calendar (see the start hook below
 * and PUT /api/v1/calendar/days/:day). */
#include <stddef.h>

#include "core/date.h"

struct zx_cal_builtin_day {
    const char *from, *to; /* YYYY-MM-DD, inclusive range */
    int kind;              /* ZX_DAY_HOLIDAY / ZX_DAY_WORKDAY */
    const char *name;
};

#define H ZX_DAY_HOLIDAY
#define W ZX_DAY_WORKDAY

const struct zx_cal_builtin_day zx_cal_builtin_days[] = {
    /* 2024 — 国办发明电〔2023〕7号, 2023-10-25 */
    { "2024-01-01", "2024-01-01", H, "元旦" },            /* 一: 1月1日放假，与周末连休 */
    { "2024-02-04", "2024-02-04", W, "春节调休上班" },     /* 二: 2月4日（星期日）上班 */
    { "2024-02-10", "2024-02-17", H, "春节" },            /* 二: 2月10日至17日放假调休，共8天 */
    { "2024-02-18", "2024-02-18", W, "春节调休上班" },     /* 二: 2月18日（星期日）上班 */
    { "2024-04-04", "2024-04-06", H, "清明节" },          /* 三: 4月4日至6日，共3天 */
    { "2024-04-07", "2024-04-07", W, "清明节调休上班" },   /* 三: 4月7日（星期日）上班 */
    { "2024-04-28", "2024-04-28", W, "劳动节调休上班" },   /* 四: 4月28日（星期日）上班 */
    { "2024-05-01", "2024-05-05", H, "劳动节" },          /* 四: 5月1日至5日，共5天 */
    { "2024-05-11", "2024-05-11", W, "劳动节调休上班" },   /* 四: 5月11日（星期六）上班 */
    { "2024-06-08", "2024-06-10", H, "端午节" },          /* 五: 6月10日放假，与周末连休 */
    { "2024-09-14", "2024-09-14", W, "中秋节调休上班" },   /* 六: 9月14日（星期六）上班 */
    { "2024-09-15", "2024-09-17", H, "中秋节" },          /* 六: 9月15日至17日，共3天 */
    { "2024-09-29", "2024-09-29", W, "国庆节调休上班" },   /* 七: 9月29日（星期日）上班 */
    { "2024-10-01", "2024-10-07", H, "国庆节" },          /* 七: 10月1日至7日，共7天 */
    { "2024-10-12", "2024-10-12", W, "国庆节调休上班" },   /* 七: 10月12日（星期六）上班 */

    /* 2025 — 国办发明电〔2024〕12号, 2024-11-12 (after the 2024 revision of 全国年节及纪念日放假办法) */
    { "2025-01-01", "2025-01-01", H, "元旦" },            /* 一: 1月1日（周三）放假1天，不调休 */
    { "2025-01-26", "2025-01-26", W, "春节调休上班" },     /* 二: 1月26日（周日）上班 */
    { "2025-01-28", "2025-02-04", H, "春节" },            /* 二: 1月28日至2月4日，共8天 */
    { "2025-02-08", "2025-02-08", W, "春节调休上班" },     /* 二: 2月8日（周六）上班 */
    { "2025-04-04", "2025-04-06", H, "清明节" },          /* 三: 4月4日至6日，共3天 */
    { "2025-04-27", "2025-04-27", W, "劳动节调休上班" },   /* 四: 4月27日（周日）上班 */
    { "2025-05-01", "2025-05-05", H, "劳动节" },          /* 四: 5月1日至5日，共5天 */
    { "2025-05-31", "2025-06-02", H, "端午节" },          /* 五: 5月31日至6月2日，共3天 */
    { "2025-09-28", "2025-09-28", W, "国庆节调休上班" },   /* 六: 9月28日（周日）上班 */
    { "2025-10-01", "2025-10-08", H, "国庆节、中秋节" },   /* 六: 10月1日至8日，共8天 */
    { "2025-10-11", "2025-10-11", W, "国庆节调休上班" },   /* 六: 10月11日（周六）上班 */

    /* 2026 — 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04 (新华社 full text; the
     * document number was not confirmed — 国办发明电〔2025〕?号) */
    { "2026-01-01", "2026-01-03", H, "元旦" },            /* 一: 1月1日至3日，共3天 */
    { "2026-01-04", "2026-01-04", W, "元旦调休上班" },     /* 一: 1月4日（周日）上班 */
    { "2026-02-14", "2026-02-14", W, "春节调休上班" },     /* 二: 2月14日（周六）上班 */
    { "2026-02-15", "2026-02-23", H, "春节" },            /* 二: 2月15日至23日，共9天 */
    { "2026-02-28", "2026-02-28", W, "春节调休上班" },     /* 二: 2月28日（周六）上班 */
    { "2026-04-04", "2026-04-06", H, "清明节" },          /* 三: 4月4日至6日，共3天 */
    { "2026-05-01", "2026-05-05", H, "劳动节" },          /* 四: 5月1日至5日，共5天 */
    { "2026-05-09", "2026-05-09", W, "劳动节调休上班" },   /* 四: 5月9日（周六）上班 */
    { "2026-06-19", "2026-06-21", H, "端午节" },          /* 五: 6月19日至21日，共3天 */
    { "2026-09-20", "2026-09-20", W, "国庆节调休上班" },   /* 七: 9月20日（周日）上班 */
    { "2026-09-25", "2026-09-27", H, "中秋节" },          /* 六: 9月25日至27日，共3天 */
    { "2026-10-01", "2026-10-07", H, "国庆节" },          /* 七: 10月1日至7日，共7天 */
    { "2026-10-10", "2026-10-10", W, "国庆节调休上班" },   /* 七: 10月10日（周六）上班 */
};
const size_t zx_cal_builtin_ndays = sizeof zx_cal_builtin_days / sizeof zx_cal_builtin_days[0];

/* Years whose complete arrangement is above. */
const int zx_cal_builtin_years[] = { 2024, 2025, 2026 };
const size_t zx_cal_builtin_nyears = sizeof zx_cal_builtin_years / sizeof zx_cal_builtin_years[0];

/* Source text per shipped year, for the calendar listing. */
const char *zx_cal_builtin_source(int year);
const char *zx_cal_builtin_source(int year)
{
    switch (year) {
    case 2024: return "国办发明电〔2023〕7号";
    case 2025: return "国办发明电〔2024〕12号";
    case 2026: return "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）";
    default: return NULL;
    }
}
