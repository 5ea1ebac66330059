/* test_calendar.c — civil dates, Asia/Shanghai today, and the working-day calendar: the State
 * Council holiday notices (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 2025-11-04 notice for
 * 2026) and period counting per 民诉法 (2023) art 85. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "store/db.h"

/* Administration helpers in core/calendar_data.c (date.h is the frozen interface). */
int zx_cal_load_db(db_conn *c);
int zx_cal_store_builtin_year(db_conn *c, int year);

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    if (zx_date_parse(s, &d) != 0) fail_msg("bad date %s", s);
    return d;
}

static void assert_date(zx_date d, const char *want)
{
    char buf[11];
    zx_date_format(d, buf);
    assert_string_equal(buf, want);
}

static void test_civil(void **st)
{
    assert_int_equal(zx_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(zx_date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(zx_date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(zx_date_weekday(D("1970-01-01")), 3);  /* Thursday */
    assert_int_equal(zx_date_weekday(D("2025-10-01")), 2);  /* Wednesday */
    assert_int_equal(zx_date_weekday(D("1900-01-01")), 0);  /* Monday */
    /* every day 1900–2199 round-trips */
    for (zx_date d = D("1900-01-01"); d <= D("2199-12-31"); d++) {
        int y, m, dd;
        zx_date_to_ymd(d, &y, &m, &dd);
        assert_true(zx_date_valid_ymd(y, m, dd));
        assert_int_equal(zx_date_from_ymd(y, m, dd), d);
    }
}

static void test_parse_strict(void **st)
{
    zx_date d = 42;
    assert_int_equal(zx_date_parse("2024-02-29", &d), 0);
    assert_date(d, "2024-02-29");
    const char *bad[] = { "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-04-31",
                          "2024-01-011", "2024-01-01x", "2024-1-01", "24-01-01", "2024/01/01",
                          " 2024-01-01", "2024-01-0a", "", "1899-12-31", "2200-01-01", "1900-02-29" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = 42;
        if (zx_date_parse(bad[i], &d) != -1) fail_msg("accepted %s", bad[i]);
        assert_int_equal(d, 42);
    }
    assert_int_equal(zx_date_parse(NULL, &d), -1);
    assert_int_equal(zx_date_parse("2000-02-29", &d), 0);
    assert_int_equal(zx_date_parse("1900-01-01", &d), 0);
    assert_int_equal(zx_date_parse("2199-12-31", &d), 0);
}

/* Asia/Shanghai is UTC+8 with no DST, whatever TZ says. */
static void test_shanghai(void **st)
{
    int64_t base = (int64_t)D("2025-01-01") * 86400000LL;
    assert_int_equal(zx_date_from_ms(base - 8 * 3600000LL), D("2025-01-01"));     /* 00:00 +08 */
    assert_int_equal(zx_date_from_ms(base - 8 * 3600000LL - 1), D("2024-12-31"));
    assert_int_equal(zx_date_from_ms(base + 16 * 3600000LL - 1), D("2025-01-01")); /* 23:59:59.999 +08 */
    assert_int_equal(zx_date_from_ms(base + 16 * 3600000LL), D("2025-01-02"));
    assert_int_equal(zx_date_from_ms(-8 * 3600000LL - 1), -1);                    /* before 1970: floor */
    setenv("TZ", "America/New_York", 1);
    tzset();
    zx_date t = zx_today();
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    assert_true(t == zx_date_from_ms(now_ms) || t == zx_date_from_ms(now_ms + 1000));
    unsetenv("TZ");
}

static void test_add_months(void **st)
{
    assert_date(zx_date_add_months(D("2024-08-31"), 6), "2025-02-28");
    assert_date(zx_date_add_months(D("2023-08-31"), 6), "2024-02-29");
    assert_date(zx_date_add_months(D("2024-01-31"), 1), "2024-02-29");
    assert_date(zx_date_add_months(D("2024-03-31"), -1), "2024-02-29");
    assert_date(zx_date_add_months(D("2024-01-15"), -13), "2022-12-15");
    assert_date(zx_date_add_months(D("2024-12-15"), 1), "2025-01-15");
    assert_date(zx_date_add_months(D("2024-05-31"), 0), "2024-05-31");
    assert_date(zx_date_add_months(D("2024-01-01"), 60), "2029-01-01"); /* 5 years of 终本 re-inquiry */
}

/* 国办发明电〔2024〕12号 (2025) item 六: 10月1日至8日放假; 9月28日（周日）、10月11日（周六）上班. */
static void test_2025_national_day(void **st)
{
    assert_true(zx_cal_year_known(2025));
    for (zx_date d = D("2025-10-01"); d <= D("2025-10-08"); d++) assert_false(zx_cal_is_working(d));
    assert_true(zx_cal_is_working(D("2025-09-28")));  /* Sunday, 调休 working day */
    assert_true(zx_cal_is_working(D("2025-10-11")));  /* Saturday, 调休 working day */
    assert_int_equal(zx_date_weekday(D("2025-09-28")), 6);
    assert_int_equal(zx_date_weekday(D("2025-10-11")), 5);
    assert_true(zx_cal_is_working(D("2025-10-09")));
    assert_false(zx_cal_is_working(D("2025-10-12")));  /* ordinary Sunday */
    assert_false(zx_cal_is_working(D("2025-01-01")));  /* 元旦, Wednesday */
    assert_true(zx_cal_is_working(D("2025-01-26")));   /* 春节 调休 Sunday */
    assert_true(zx_cal_is_working(D("2025-02-08")));   /* 春节 调休 Saturday */
    assert_true(zx_cal_is_working(D("2025-04-27")));   /* 劳动节 调休 Sunday */
    assert_false(zx_cal_is_working(D("2025-06-02")));  /* 端午节 Monday */
}

/* 国办发明电〔2023〕7号 (2024) and the 2026 notice: spot checks and every 调休 day on a weekend. */
static void test_2024_2026(void **st)
{
    const char *workdays[] = { "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11",
                               "2024-09-14", "2024-09-29", "2024-10-12", "2025-01-26", "2025-02-08",
                               "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04", "2026-02-14",
                               "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10" };
    for (size_t i = 0; i < sizeof workdays / sizeof workdays[0]; i++) {
        assert_true(zx_date_weekday(D(workdays[i])) >= 5); /* every 调休 working day is a weekend day */
        assert_true(zx_cal_is_working(D(workdays[i])));
    }
    assert_false(zx_cal_is_working(D("2024-02-16")));  /* 春节 Friday */
    assert_false(zx_cal_is_working(D("2024-09-16")));  /* 中秋 Monday */
    assert_false(zx_cal_is_working(D("2024-10-07")));
    assert_false(zx_cal_is_working(D("2026-01-02")));  /* 元旦 Friday */
    assert_false(zx_cal_is_working(D("2026-02-23")));  /* 春节 Monday (正月初七) */
    assert_false(zx_cal_is_working(D("2026-05-05")));
    assert_false(zx_cal_is_working(D("2026-06-19")));
    assert_false(zx_cal_is_working(D("2026-09-25")));
    assert_true(zx_cal_year_known(2024));
    assert_true(zx_cal_year_known(2026));
    assert_true(zx_cal_year_known(2023));              /* 2023 notice shipped (issue 9) */
    assert_false(zx_cal_year_known(2031));
    /* a year without a notice: Mon–Fri less the statutory holidays of 全国年节及纪念日放假办法 art 2
     * (provisional; rules/holidays.c, tests/unit/test_rules_holidays.c) */
    assert_false(zx_cal_is_working(D("2031-10-01")));  /* Wednesday, 国庆节 */
    assert_false(zx_cal_is_working(D("2031-10-06")));  /* 中秋 2031 falls on 10/1 too: made up (art 6) */
    assert_true(zx_cal_is_working(D("2031-10-07")));
    assert_false(zx_cal_is_working(D("2031-10-04")));  /* Saturday */
}

/* Working days across 春节 2026 (2月15日至23日 off; 2月14日、2月28日 working Saturdays). */
static void test_add_working_days_spring_festival(void **st)
{
    /* Fri 2026-02-13 + 1 working day = Sat 2026-02-14 (调休) */
    assert_date(zx_cal_add_working_days(D("2026-02-13"), 1), "2026-02-14");
    /* + 2 = Tue 2026-02-24, the first day after the break */
    assert_date(zx_cal_add_working_days(D("2026-02-13"), 2), "2026-02-24");
    /* 失信规定-style "3 working days" from 2026-02-12 (Thu): 13, 14, 24 */
    assert_date(zx_cal_add_working_days(D("2026-02-12"), 3), "2026-02-24");
    /* from Tue 2026-02-24: 25, 26, 27, 28 (Sat 调休), 3/2 */
    assert_date(zx_cal_add_working_days(D("2026-02-24"), 5), "2026-03-02");
    assert_date(zx_cal_add_working_days(D("2026-02-16"), 0), "2026-02-16");
    assert_int_equal(zx_cal_working_days_between(D("2026-02-13"), D("2026-02-24")), 2);
    assert_int_equal(zx_cal_working_days_between(D("2026-02-24"), D("2026-02-13")), 0);
    assert_int_equal(zx_cal_working_days_between(D("2025-09-30"), D("2025-10-11")), 3); /* 10-09, 10-10, 10-11 (Sat 调休) */
}

/* 民诉法 (2023) art 85: start day not counted; a last day on a holiday moves to the next working day. */
static void test_period_end(void **st)
{
    /* 15 days from 2025-09-16 → 2025-10-01 (国庆) → 2025-10-09 */
    assert_date(zx_cal_period_end_days(D("2025-09-16"), 15), "2025-10-09");
    /* 10 days from 2025-09-18 → 2025-09-28, a 调休 Sunday: a working day, so it stands */
    assert_date(zx_cal_period_end_days(D("2025-09-18"), 10), "2025-09-28");
    /* ordinary weekend: 2025-06-10 + 11 = Sat 06-21 → Mon 06-23 */
    assert_date(zx_cal_period_end_days(D("2025-06-10"), 11), "2025-06-23");
    /* ends on a working day: unchanged */
    assert_date(zx_cal_period_end_days(D("2025-06-10"), 7), "2025-06-17");
    /* 春节 2026: 7 days from 2026-02-10 → 02-17 (holiday) → 02-24 */
    assert_date(zx_cal_period_end_days(D("2026-02-10"), 7), "2026-02-24");
}

/* Administrator overrides (copy-on-write snapshot) and a concurrent reader. */
static volatile int stop_readers;
static void *reader(void *arg)
{
    long n = 0;
    while (!stop_readers) {
        /* 2025-10-01 is a holiday in every snapshot the writer publishes */
        if (zx_cal_is_working(D("2025-10-01"))) return (void *)1;
        n++;
    }
    return NULL;
}

static void test_overrides(void **st)
{
    pthread_t th[2];
    stop_readers = 0;
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, reader, NULL);

    zx_date x = D("2030-05-06"); /* Monday */
    assert_false(zx_cal_year_known(2030));
    assert_true(zx_cal_is_working(x));
    for (int i = 0; i < 200; i++) {
        zx_cal_set_day(x, ZX_DAY_HOLIDAY, "测试假日");
        assert_false(zx_cal_is_working(x));
        zx_cal_set_day(x, ZX_DAY_DEFAULT, NULL);
        assert_true(zx_cal_is_working(x));
    }
    zx_cal_set_day(D("2030-05-11"), ZX_DAY_WORKDAY, "调休");   /* Saturday */
    assert_true(zx_cal_is_working(D("2030-05-11")));
    zx_cal_mark_year_known(2030);
    assert_true(zx_cal_year_known(2030));
    zx_cal_clear_year(2030);
    assert_false(zx_cal_year_known(2030));
    assert_false(zx_cal_is_working(D("2030-05-11")));
    /* override a shipped day and restore it */
    zx_cal_set_day(D("2025-10-08"), ZX_DAY_DEFAULT, NULL);
    assert_true(zx_cal_is_working(D("2025-10-08")));
    zx_cal_set_day(D("2025-10-08"), ZX_DAY_HOLIDAY, "国庆节、中秋节");
    assert_false(zx_cal_is_working(D("2025-10-08")));

    stop_readers = 1;
    for (int i = 0; i < 2; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        assert_null(rv);
    }
}

static void exec_bound(db_conn *c, const char *sql, const char *day, int kind, const char *name)
{
    db_stmt *st = db_prepare(c, sql);
    assert_non_null(st);
    db_bind_text(st, 1, day, -1);
    if (kind) {
        db_bind_int64(st, 2, kind);
        db_bind_text(st, 3, name, -1);
    }
    assert_true(db_step(st) >= 0);
    db_finalize(st);
}

/* The administrator's table (001_platform.sql holiday_calendar) overrides a shipped year as a whole. */
static void test_load_from_store(void **st)
{
    char path[] = "/tmp/zx_test_calendar_XXXXXX", url[64], err[256];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    snprintf(url, sizeof url, "sqlite:%s", path);
    db_t *db = db_open(url, 1, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(db_migrate(db, err, sizeof err), 0);
    db_conn *c = db_acquire(db);

    /* copy the official 2024 (国办发明电〔2023〕7号) into the table, then edit it */
    assert_int_equal(db_begin(c), 0);
    int n = zx_cal_store_builtin_year(c, 2024);
    assert_true(n > 30);
    assert_int_equal(zx_cal_store_builtin_year(c, 2024), 0); /* already there */
    assert_int_equal(zx_cal_store_builtin_year(c, 2019), 0); /* not shipped */
    exec_bound(c, "DELETE FROM holiday_calendar WHERE day = ?", "2024-10-07", 0, NULL);
    exec_bound(c, "INSERT INTO holiday_calendar (day, kind, name) VALUES (?, ?, ?)", "2027-01-01", ZX_DAY_HOLIDAY, "元旦");
    assert_int_equal(db_commit(c), 0);

    assert_int_equal(zx_cal_load_db(c), 0);
    assert_true(zx_cal_is_working(D("2024-10-07")));   /* removed by the administrator */
    assert_false(zx_cal_is_working(D("2024-10-06")));  /* the rest of the year kept */
    assert_true(zx_cal_is_working(D("2024-10-12")));   /* 调休 Saturday kept */
    assert_false(zx_cal_is_working(D("2027-01-01")));  /* a new year from the table */
    assert_true(zx_cal_year_known(2027));
    assert_false(zx_cal_is_working(D("2025-10-01")));  /* years not in the table stay built-in */

    /* restore for the other tests in this process */
    zx_cal_set_day(D("2024-10-07"), ZX_DAY_HOLIDAY, "国庆节");
    zx_cal_clear_year(2027);
    db_release(db, c);
    db_close(db);
    unlink(path);
    char side[96];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_parse_strict),
        cmocka_unit_test(test_shanghai),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_2025_national_day),
        cmocka_unit_test(test_2024_2026),
        cmocka_unit_test(test_add_working_days_spring_festival),
        cmocka_unit_test(test_period_end),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_load_from_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
