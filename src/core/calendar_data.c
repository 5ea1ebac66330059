/* calendar_data.c — the official holiday + 调休 arrangements shipped with the binary.
 *
 * Source: the yearly 《国务院办公厅关于YYYY年部分节假日安排的通知》. Each range is a holiday span as the
 * notice states it (weekend days inside a span are listed too, so the calendar shows the whole
 * break); every 调休 working weekend day the notice names is listed as ZX_DAY_WORKDAY. Days of a
 * span that fall in a year not shipped here are left out (2023 元旦 also covered 2022-12-31).
 * Years not listed fall back to the statutory holidays of 《全国年节及纪念日放假办法》 computed by
 * src/rules/holidays.c, marked provisional (zx_cal_year_known() is false for them). An administrator
 * can add or override years at run time through table holiday_calendar (see the start hook below
 * and PUT /api/v1/calendar/days/:day). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/date.h"
#include "core/log.h"
#include "store/db.h"

struct zx_cal_builtin_day {
    const char *from, *to; /* YYYY-MM-DD, inclusive range */
    int kind;              /* ZX_DAY_HOLIDAY / ZX_DAY_WORKDAY */
    const char *name;
};

#define H ZX_DAY_HOLIDAY
#define W ZX_DAY_WORKDAY

const struct zx_cal_builtin_day zx_cal_builtin_days[] = {
    /* 2023 — 国务院办公厅关于2023年部分节假日安排的通知, 2022-12-08 (新华社 full text; 国办发明电〔2022〕16号 ◐).
     * Case imports reach back to 2023. 2022-12-31 (元旦 span) lies in 2022 and is left out. */
    { "2023-01-01", "2023-01-02", H, "元旦" },            /* 一: 2022年12月31日至2023年1月2日，共3天 */
    { "2023-01-21", "2023-01-27", H, "春节" },            /* 二: 1月21日至27日放假调休，共7天 */
    { "2023-01-28", "2023-01-29", W, "春节调休上班" },     /* 二: 1月28日（星期六）、1月29日（星期日）上班 */
    { "2023-04-05", "2023-04-05", H, "清明节" },          /* 三: 4月5日放假，共1天 */
    { "2023-04-23", "2023-04-23", W, "劳动节调休上班" },   /* 四: 4月23日（星期日）上班 */
    { "2023-04-29", "2023-05-03", H, "劳动节" },          /* 四: 4月29日至5月3日，共5天 */
    { "2023-05-06", "2023-05-06", W, "劳动节调休上班" },   /* 四: 5月6日（星期六）上班 */
    { "2023-06-22", "2023-06-24", H, "端午节" },          /* 五: 6月22日至24日，共3天 */
    { "2023-06-25", "2023-06-25", W, "端午节调休上班" },   /* 五: 6月25日（星期日）上班 */
    { "2023-09-29", "2023-10-06", H, "中秋节、国庆节" },   /* 六: 9月29日至10月6日，共8天 */
    { "2023-10-07", "2023-10-08", W, "国庆节调休上班" },   /* 六: 10月7日（星期六）、10月8日（星期日）上班 */
    { "2023-12-30", "2023-12-31", H, "元旦" },            /* 2024 notice 一: 1月1日放假，与周末连休 */

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
const int zx_cal_builtin_years[] = { 2023, 2024, 2025, 2026 };
const size_t zx_cal_builtin_nyears = sizeof zx_cal_builtin_years / sizeof zx_cal_builtin_years[0];

/* Source text per shipped year, for the calendar listing. */
const char *zx_cal_builtin_source(int year);
const char *zx_cal_builtin_source(int year)
{
    switch (year) {
    case 2023: return "国务院办公厅关于2023年部分节假日安排的通知（2022-12-08）";
    case 2024: return "国办发明电〔2023〕7号";
    case 2025: return "国办发明电〔2024〕12号";
    case 2026: return "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）";
    default: return NULL;
    }
}

/* ---- the administrator's table ---------------------------------------------------------------- */

/* In date.c (not part of the frozen date.h). */
struct zx_cal_load_day {
    zx_date day;
    enum zx_day_kind kind;
    const char *name;
};
void zx_cal_replace_years(const int *years, size_t nyears, const struct zx_cal_load_day *days,
                          size_t ndays);

#define CAL_MAX_ROWS 20000 /* 300 years × every special day is far below this */

/* Load holiday_calendar over the built-in data. A year that has rows in the table is taken from the
 * table alone (its built-in days are dropped), so an administrator can correct or remove any shipped
 * day; such years count as known. Returns 0 or < 0. */
int zx_cal_load_db(db_conn *c);
int zx_cal_load_db(db_conn *c)
{
    db_stmt *st = db_prepare(c, "SELECT day, kind, name FROM holiday_calendar ORDER BY day");
    if (!st) return DB_ERROR;
    struct zx_cal_load_day *days = NULL;
    char **names = NULL;
    int *years = NULL;
    size_t n = 0, cap = 0, ny = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        zx_date d;
        const char *ds = db_col_text(st, 0);
        int64_t kind = db_col_int64(st, 1);
        if (!ds || zx_date_parse(ds, &d) != 0 || (kind != ZX_DAY_HOLIDAY && kind != ZX_DAY_WORKDAY)) {
            LOG_WARN("holiday_calendar: skipping bad row day=%s kind=%lld", ds ? ds : "(null)", (long long)kind);
            continue;
        }
        if (n == CAL_MAX_ROWS) break;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            days = realloc(days, cap * sizeof *days);
            names = realloc(names, cap * sizeof *names);
            years = realloc(years, cap * sizeof *years);
            if (!days || !names || !years) zx_die("out of memory (calendar load)");
        }
        const char *nm = db_col_text(st, 2);
        names[n] = strdup(nm ? nm : "");
        if (!names[n]) zx_die("out of memory (calendar load)");
        days[n] = (struct zx_cal_load_day){ d, (enum zx_day_kind)kind, names[n] };
        int y;
        zx_date_to_ymd(d, &y, NULL, NULL);
        if (ny == 0 || years[ny - 1] != y) years[ny++] = y; /* rows are ordered by day */
        n++;
    }
    db_finalize(st);
    if (rc == DB_DONE || rc == DB_ROW) {
        zx_cal_replace_years(years, ny, days, n);
        if (n) LOG_INFO("calendar: %zu day(s) for %zu year(s) loaded from holiday_calendar", n, ny);
        rc = 0;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(days);
    free(years);
    return rc;
}

/* Copy a shipped year into holiday_calendar (inside the caller's transaction) if the table has no
 * row for that year yet, so that an edit of one day keeps the rest of the official year. Returns
 * the rows written (0 if the table already had the year or it is not shipped), or < 0. */
int zx_cal_store_builtin_year(db_conn *c, int year);
int zx_cal_store_builtin_year(db_conn *c, int year)
{
    const char *source = zx_cal_builtin_source(year);
    if (!source) return 0;
    char lo[11], hi[11];
    zx_date_format(zx_date_from_ymd(year, 1, 1), lo);
    zx_date_format(zx_date_from_ymd(year, 12, 31), hi);
    db_stmt *st = db_prepare(c, "SELECT COUNT(*) FROM holiday_calendar WHERE day >= ? AND day <= ?");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, lo, -1);
    db_bind_text(st, 2, hi, -1);
    int rc = db_step(st);
    int64_t have = rc == DB_ROW ? db_col_int64(st, 0) : -1;
    db_finalize(st);
    if (have < 0) return rc < 0 ? rc : DB_ERROR;
    if (have > 0) return 0;
    int written = 0;
    for (size_t i = 0; i < zx_cal_builtin_ndays; i++) {
        const struct zx_cal_builtin_day *b = &zx_cal_builtin_days[i];
        zx_date a, z;
        if (zx_date_parse(b->from, &a) != 0 || zx_date_parse(b->to, &z) != 0) return DB_ERROR;
        for (zx_date d = a; d <= z; d++) {
            int y;
            zx_date_to_ymd(d, &y, NULL, NULL);
            if (y != year) continue;
            char ds[11];
            zx_date_format(d, ds);
            st = db_prepare(c, "INSERT INTO holiday_calendar (day, kind, name, source) VALUES (?, ?, ?, ?)");
            if (!st) return DB_ERROR;
            db_bind_text(st, 1, ds, -1);
            db_bind_int64(st, 2, b->kind);
            db_bind_text(st, 3, b->name, -1);
            db_bind_text(st, 4, source, -1);
            rc = db_step(st);
            db_finalize(st);
            if (rc < 0) return rc;
            written++;
        }
    }
    return written;
}

static int calendar_start(zx_app *app)
{
    db_conn *c = db_acquire(app->db);
    int rc = zx_cal_load_db(c);
    db_release(app->db, c);
    if (rc) LOG_ERROR("calendar: loading holiday_calendar failed (%d)", rc);
    return rc;
}
ZX_ON_START("12-calendar", calendar_start)
