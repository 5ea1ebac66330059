/* holidays.h — the statutory public holidays of 《全国年节及纪念日放假办法》, for years without a State
 * Council arrangement notice (国务院办公厅关于YYYY年部分节假日安排的通知). Such years are computed here and
 * are provisional: the notice (with its 调休 swaps) replaces them once an administrator loads it
 * (PUT /api/v1/calendar/years/:year) or a release ships it (src/core/calendar_data.c).
 *
 * Versions of the 办法 (art 2: holidays for all citizens; art 6: a holiday on a Saturday or Sunday
 * is made up on a working day):
 *   国务院令第270号 (1999-09-18): 元旦 1; 春节 初一–初三; 劳动节 5/1–5/3; 国庆 10/1–10/3
 *   国务院令第513号 (2008-01-01): 春节 除夕–初二; 清明 1; 劳动节 5/1; 端午 1; 中秋 1
 *   国务院令第644号 (2014-01-01): 春节 初一–初三
 *   国务院令第795号 (2025-01-01): 春节 除夕–初三; 劳动节 5/1–5/2
 * Lunar festivals (春节, 端午 = 五月初五, 中秋 = 八月十五) come from the lunar calendar of Debian's
 * liblunar-date (years 1900–2100); 清明 is the day the sun's apparent longitude reaches 15°, in
 * Beijing time (solar position after Meeus, Astronomical Algorithms ch. 25, low accuracy). */
#ifndef ZX_RULES_HOLIDAYS_H
#define ZX_RULES_HOLIDAYS_H
#include <stdbool.h>
#include "core/date.h"

#define ZX_HOLIDAY_MAX 24 /* per year, with make-up days */

typedef struct zx_holiday {
    zx_date day;
    const char *name;   /* 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or "…补假" */
    const char *article;
} zx_holiday;

/* The statutory holidays of a year, sorted by day, make-up days (art 6) included. Returns the count
 * (≤ ZX_HOLIDAY_MAX), 0 for years before 1950 or after 2199. Lunar festivals are left out of years
 * the lunar calendar does not cover (after 2100). Pure apart from the lunar-date library. */
int zx_holidays_statutory(int year, zx_holiday *out, int cap);
/* The version of the 办法 in force for a year (its citation), NULL before 1950. */
const char *zx_holidays_source(int year);
/* Lunar → Gregorian (lunar month 1–12, not a leap month); ZX_DATE_NONE outside 1900–2100. */
zx_date zx_lunar_to_solar(int lunar_year, int month, int day);
/* The day 清明 (sun's apparent longitude 15°) falls on, Beijing time. */
zx_date zx_qingming(int year);
/* Cached lookup used by the calendar for years without a notice: is d a statutory holiday? name
 * (64 bytes, may be NULL) gets its name. Thread-safe. */
bool zx_holiday_statutory_on(zx_date d, char name[64]);
#endif
