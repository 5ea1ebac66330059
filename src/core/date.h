/* date.h — legal calendar dates (Asia/Shanghai) and working days.
 *
 * A date is an int32 day number: days since 1970-01-01 (civil, proleptic Gregorian). Legal dates are
 * calendar dates in Asia/Shanghai; zx_today() gives today's date there (UTC+8, no DST).
 * Working days come from a holiday + 调休 calendar held as data: built-in years are shipped in
 * src/core/calendar_data.c (each year with its State Council notice cited) and an administrator can
 * load/override years at run time (table holiday_calendar; zx_cal_set_day). Weekends are non-working
 * unless marked as 调休 working days; holidays are non-working. Years outside the calendar fall back
 * to Mon–Fri and zx_cal_year_known() says so. */
#ifndef ZX_DATE_H
#define ZX_DATE_H
#include <stdbool.h>
#include <stdint.h>

typedef int32_t zx_date; /* days since 1970-01-01 */
#define ZX_DATE_NONE INT32_MIN

zx_date zx_date_from_ymd(int y, int m, int d);           /* no validation */
void zx_date_to_ymd(zx_date d, int *y, int *m, int *dd);
/* Strict parse of "YYYY-MM-DD" (real date, years 1900–2199). Returns 0 or -1. */
int zx_date_parse(const char *s, zx_date *out);
/* Format as "YYYY-MM-DD" into buf[11]. */
void zx_date_format(zx_date d, char buf[11]);
bool zx_date_valid_ymd(int y, int m, int d);
int zx_date_weekday(zx_date d);                           /* 0 = Monday … 6 = Sunday */
zx_date zx_today(void);                                   /* Asia/Shanghai */
zx_date zx_date_from_ms(int64_t ms_utc);                  /* instant → Shanghai date */
/* Add calendar months, clamping the day to the month's end (2024-08-31 + 6 months = 2025-02-28). */
zx_date zx_date_add_months(zx_date d, int months);

/* Calendar. kind per day: working or not. */
enum zx_day_kind { ZX_DAY_DEFAULT = 0, ZX_DAY_HOLIDAY = 1, ZX_DAY_WORKDAY = 2 /* 调休上班 */ };
bool zx_cal_is_working(zx_date d);
bool zx_cal_year_known(int year);
/* Set/override one day (from the store or an administrator). Thread-safe (copy-on-write snapshot). */
void zx_cal_set_day(zx_date d, enum zx_day_kind kind, const char *name);
void zx_cal_clear_year(int year);
void zx_cal_mark_year_known(int year);
/* Period counting per 民诉法 art 85: the start day is not counted; if the last day falls on a
 * non-working day (statutory holiday or weekend) the period ends on the next working day. */
zx_date zx_cal_period_end_days(zx_date start, int days);
/* The date that is n working days after start (start not counted). n ≥ 0. */
zx_date zx_cal_add_working_days(zx_date start, int n);
/* Number of working days in (a, b]. */
int zx_cal_working_days_between(zx_date a, zx_date b);
#endif
