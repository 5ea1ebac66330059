/* holidays.c — statutory public holidays for years without a State Council notice; see holidays.h. */
#include "rules/holidays.h"

#include <lunar-date/lunar-date.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- versions of the 办法 ------------------------------------------------------------------------ */
enum { V1999, V2008, V2014, V2025 };
static int version_of(int year)
{
    if (year >= 2025) return V2025; /* 国务院令第795号, eff. 2025-01-01 */
    if (year >= 2014) return V2014; /* 国务院令第644号, eff. 2014-01-01 */
    if (year >= 2008) return V2008; /* 国务院令第513号, eff. 2008-01-01 */
    return V1999;                   /* 国务院令第270号 (1999); earlier years use it too */
}

const char *zx_holidays_source(int year)
{
    if (year < 1950 || year > 2199) return NULL;
    static const char *const src[] = {
        [V1999] = "全国年节及纪念日放假办法（国务院令第270号）第2条、第6条（推算）",
        [V2008] = "全国年节及纪念日放假办法（国务院令第513号）第2条、第6条（推算）",
        [V2014] = "全国年节及纪念日放假办法（国务院令第644号）第2条、第6条（推算）",
        [V2025] = "全国年节及纪念日放假办法（国务院令第795号）第2条、第6条（推算）",
    };
    return src[version_of(year)];
}

/* ---- lunar calendar (liblunar-date) ------------------------------------------------------------- */
zx_date zx_lunar_to_solar(int lunar_year, int month, int day)
{
    if (lunar_year < 1900 || lunar_year > 2100) return ZX_DATE_NONE;
    LunarDate *ld = lunar_date_new();
    GError *err = NULL;
    lunar_date_set_lunar_date(ld, (GDateYear)lunar_year, (GDateMonth)month, (GDateDay)day, 12, FALSE, &err);
    zx_date out = ZX_DATE_NONE;
    if (!err) {
        gchar *s = lunar_date_strftime(ld, "%(year) %(month) %(day)"); /* lower case = Gregorian */
        int y, m, d;
        if (s && sscanf(s, "%d %d %d", &y, &m, &d) == 3 && zx_date_valid_ymd(y, m, d)) out = zx_date_from_ymd(y, m, d);
        g_free(s);
    } else {
        g_error_free(err);
    }
    lunar_date_free(ld);
    return out;
}

/* ---- 清明: the sun's apparent longitude reaches 15° --------------------------------------------- */
#define PI 3.14159265358979323846
static double deg_norm(double x)
{
    x = fmod(x, 360.0);
    return x < 0 ? x + 360.0 : x;
}

/* Apparent solar longitude (degrees) at Julian day jd (low-accuracy series, ~0.01°). */
static double sun_longitude(double jd)
{
    double t = (jd - 2451545.0) / 36525.0;
    double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    double m = (357.52911 + 35999.05029 * t - 0.0001537 * t * t) * PI / 180.0;
    double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m) + (0.019993 - 0.000101 * t) * sin(2 * m) +
               0.000289 * sin(3 * m);
    double omega = (125.04 - 1934.136 * t) * PI / 180.0;
    return deg_norm(l0 + c - 0.00569 - 0.00478 * sin(omega));
}

/* Julian day (TT ≈ UT + 69 s, negligible at a day's resolution) of 00:00 Beijing time on day d. */
static double jd_beijing_midnight(zx_date d) { return 2440587.5 + (double)d - 8.0 / 24.0 + 69.0 / 86400.0; }

zx_date zx_qingming(int year)
{
    /* 清明 falls on 4, 5 or 6 April (3 April in rare years): the day during which the longitude
     * crosses 15°, i.e. < 15° at its start and ≥ 15° at the start of the next day. */
    for (zx_date d = zx_date_from_ymd(year, 4, 2); d <= zx_date_from_ymd(year, 4, 7); d++)
        if (sun_longitude(jd_beijing_midnight(d)) < 15.0 && sun_longitude(jd_beijing_midnight(d + 1)) >= 15.0)
            return d;
    return zx_date_from_ymd(year, 4, 5);
}

/* ---- one year's holidays ------------------------------------------------------------------------ */
typedef struct block {
    zx_date from, to;
    const char *name, *makeup, *article;
} block;

static int cmp_hol(const void *a, const void *b)
{
    const zx_holiday *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static bool in(const zx_holiday *h, int n, zx_date d)
{
    for (int i = 0; i < n; i++)
        if (h[i].day == d) return true;
    return false;
}

static bool weekend(zx_date d) { return zx_date_weekday(d) >= 5; }

int zx_holidays_statutory(int year, zx_holiday *out, int cap)
{
    if (year < 1950 || year > 2199 || cap <= 0) return 0;
    int v = version_of(year);
    block b[8];
    int nb = 0;
    zx_date ny = zx_date_from_ymd(year, 1, 1);
    b[nb++] = (block){ ny, ny, "元旦", "元旦补假", "放假办法 art 2(1)" };              /* 1月1日 */
    zx_date cny = zx_lunar_to_solar(year, 1, 1);
    if (cny != ZX_DATE_NONE) {
        zx_date f = (v == V2008 || v == V2025) ? cny - 1 : cny;                        /* 除夕 (2008, 2025) */
        zx_date t = v == V2008 ? cny + 1 : cny + 2;                                      /* to 初二 (2008) / 初三 */
        b[nb++] = (block){ f, t, "春节", "春节补假", "放假办法 art 2(2)" };
    }
    if (v >= V2008) {
        zx_date q = zx_qingming(year);
        b[nb++] = (block){ q, q, "清明节", "清明节补假", "放假办法 art 2(3)" };         /* 清明当日 */
    }
    zx_date may = zx_date_from_ymd(year, 5, 1);
    int may_days = v == V1999 ? 3 : v == V2025 ? 2 : 1;                                 /* 5/1–3; 5/1; 5/1–2 */
    b[nb++] = (block){ may, may + may_days - 1, "劳动节", "劳动节补假", "放假办法 art 2(4)" };
    if (v >= V2008) {
        zx_date dw = zx_lunar_to_solar(year, 5, 5), zq = zx_lunar_to_solar(year, 8, 15);
        if (dw != ZX_DATE_NONE) b[nb++] = (block){ dw, dw, "端午节", "端午节补假", "放假办法 art 2(5)" };
        if (zq != ZX_DATE_NONE) b[nb++] = (block){ zq, zq, "中秋节", "中秋节补假", "放假办法 art 2(6)" };
    }
    zx_date oct = zx_date_from_ymd(year, 10, 1);
    b[nb++] = (block){ oct, oct + 2, "国庆节", "国庆节补假", "放假办法 art 2(7)" };   /* 10月1日–3日 */

    zx_holiday h[ZX_HOLIDAY_MAX];
    int n = 0;
    /* The festival days; a day that two festivals share (中秋 on 1 October) is counted once here and
     * made up below like a weekend day. */
    int shared[8] = { 0 };
    for (int i = 0; i < nb; i++)
        for (zx_date d = b[i].from; d <= b[i].to; d++) {
            if (in(h, n, d)) {
                shared[i]++;
                continue;
            }
            if (n < ZX_HOLIDAY_MAX) h[n++] = (zx_holiday){ d, b[i].name, b[i].article };
        }
    /* art 6: each festival day falling on a Saturday or Sunday is made up on the next working day
     * after the festival (Mon–Fri, not itself a holiday). */
    for (int i = 0; i < nb; i++) {
        int owed = shared[i];
        for (zx_date d = b[i].from; d <= b[i].to; d++)
            if (weekend(d)) owed++;
        zx_date d = b[i].to;
        while (owed > 0 && n < ZX_HOLIDAY_MAX) {
            d++;
            if (weekend(d) || in(h, n, d)) continue;
            h[n++] = (zx_holiday){ d, b[i].makeup, "放假办法 art 6" };
            owed--;
        }
    }
    qsort(h, (size_t)n, sizeof h[0], cmp_hol);
    /* Only days inside the year (a 补假 after 元旦 stays in January; none crosses the year). */
    int m = 0;
    for (int i = 0; i < n && m < cap; i++) {
        int y;
        zx_date_to_ymd(h[i].day, &y, NULL, NULL);
        if (y == year) out[m++] = h[i];
    }
    return m;
}

/* ---- cache for the calendar ----------------------------------------------------------------------- */
#define CACHE_MIN 1950
#define CACHE_MAX 2199
struct year_cache {
    _Atomic int ready;
    int n;
    zx_holiday h[ZX_HOLIDAY_MAX];
};
static struct year_cache g_years[CACHE_MAX - CACHE_MIN + 1];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

bool zx_holiday_statutory_on(zx_date d, char name[64])
{
    int y;
    zx_date_to_ymd(d, &y, NULL, NULL);
    if (y < CACHE_MIN || y > CACHE_MAX) return false;
    struct year_cache *c = &g_years[y - CACHE_MIN];
    if (!atomic_load_explicit(&c->ready, memory_order_acquire)) {
        pthread_mutex_lock(&g_mu);
        if (!atomic_load_explicit(&c->ready, memory_order_relaxed)) {
            c->n = zx_holidays_statutory(y, c->h, ZX_HOLIDAY_MAX);
            atomic_store_explicit(&c->ready, 1, memory_order_release);
        }
        pthread_mutex_unlock(&g_mu);
    }
    for (int i = 0; i < c->n; i++)
        if (c->h[i].day == d) {
            if (name) snprintf(name, 64, "%s", c->h[i].name);
            return true;
        }
    return false;
}

/* The calendar (core/date.c) asks this for years without a notice. */
typedef bool (*zx_cal_fallback_fn)(zx_date d, char name[64]);
void zx_cal_set_fallback(zx_cal_fallback_fn fn);
__attribute__((constructor)) static void holidays_register(void) { zx_cal_set_fallback(zx_holiday_statutory_on); }
