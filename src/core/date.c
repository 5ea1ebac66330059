/* date.c — civil day numbers, strict parsing, Asia/Shanghai "today", and the working-day calendar.
 *
 * Day numbers use the proleptic Gregorian calendar (days since 1970-01-01); the conversions are the
 * well-known era-based ones (400-year cycles of 146097 days), exact for every int32 day.
 *
 * The calendar is an immutable snapshot: a sorted array of special days (holidays and 调休 working
 * days) plus a bitmap of known years. Readers load the current snapshot pointer with one atomic
 * acquire load and never lock. Writers (start hook, administrator) serialise on a mutex, copy the
 * snapshot, modify the copy and publish it with a release store. Old snapshots are retired, not freed:
 * a reader may still hold one and we keep no reader counts. Updates are rare administrative actions
 * (a few per year, each a few KB), so the retired list is bounded in practice; it is freed at exit. */
#include "core/date.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

#define SHANGHAI_OFFSET_MS (8LL * 3600 * 1000) /* Asia/Shanghai = UTC+8, no DST since 1991 */
#define MS_PER_DAY (86400LL * 1000)
#define CAL_YEAR_MIN 1900
#define CAL_YEAR_MAX 2199
#define CAL_NAME_MAX 64

/* ---- civil conversions ------------------------------------------------------------------------ */

zx_date zx_date_from_ymd(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                   /* [0, 399] */
    int64_t mp = (m + 9) % 12;                                      /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;                       /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return (zx_date)(era * 146097 + doe - 719468);
}

void zx_date_to_ymd(zx_date dn, int *y, int *m, int *dd)
{
    int64_t z = (int64_t)dn + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t mo = mp < 10 ? mp + 3 : mp - 9;
    int64_t yr = yoe + era * 400 + (mo <= 2);
    if (y) *y = (int)yr;
    if (m) *m = (int)mo;
    if (dd) *dd = (int)d;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool zx_date_valid_ymd(int y, int m, int d)
{
    return y >= CAL_YEAR_MIN && y <= CAL_YEAR_MAX && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

/* Strict "YYYY-MM-DD": exactly ten characters, digits where digits belong, a real date. */
int zx_date_parse(const char *s, zx_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return -1;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!zx_date_valid_ymd(y, m, d)) return -1;
    if (out) *out = zx_date_from_ymd(y, m, d);
    return 0;
}

void zx_date_format(zx_date dn, char buf[11])
{
    int y, m, d;
    zx_date_to_ymd(dn, &y, &m, &d);
    if (y < 0 || y > 9999) { /* outside what the format can show; never produced by parse */
        memcpy(buf, "0000-00-00", 11);
        return;
    }
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

int zx_date_weekday(zx_date d)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int64_t w = ((int64_t)d + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

zx_date zx_date_from_ms(int64_t ms_utc)
{
    int64_t local = ms_utc + SHANGHAI_OFFSET_MS;
    int64_t q = local / MS_PER_DAY;
    if (local % MS_PER_DAY < 0) q--; /* floor for instants before 1970 */
    return (zx_date)q;
}

zx_date zx_today(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return zx_date_from_ms((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

zx_date zx_date_add_months(zx_date dn, int months)
{
    int y, m, d;
    zx_date_to_ymd(dn, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = total >= 0 ? total / 12 : (total - 11) / 12;
    int nm = (int)(total - ny * 12) + 1;
    int dim = days_in_month((int)ny, nm);
    return zx_date_from_ymd((int)ny, nm, d > dim ? dim : d);
}

/* ---- calendar snapshot ------------------------------------------------------------------------ */

struct cal_day {
    zx_date day;
    unsigned char kind; /* ZX_DAY_HOLIDAY or ZX_DAY_WORKDAY */
    char name[CAL_NAME_MAX];
};

struct cal_snapshot {
    uint8_t known[(CAL_YEAR_MAX - CAL_YEAR_MIN + 1 + 7) / 8];
    size_t n, cap;
    struct cal_day *days; /* sorted by day, unique */
    struct cal_snapshot *retired_next;
};

/* Built-in official arrangements (calendar_data.c). */
struct zx_cal_builtin_day {
    const char *from, *to; /* YYYY-MM-DD, inclusive range */
    int kind;              /* ZX_DAY_HOLIDAY / ZX_DAY_WORKDAY */
    const char *name;
};
extern const struct zx_cal_builtin_day zx_cal_builtin_days[];
extern const size_t zx_cal_builtin_ndays;
extern const int zx_cal_builtin_years[];
extern const size_t zx_cal_builtin_nyears;

static _Atomic(struct cal_snapshot *) g_cal;
static pthread_mutex_t g_cal_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t g_cal_once = PTHREAD_ONCE_INIT;
static struct cal_snapshot *g_retired;

static struct cal_snapshot *snap_copy(const struct cal_snapshot *s)
{
    struct cal_snapshot *c = calloc(1, sizeof *c);
    if (!c) zx_die("out of memory (calendar)");
    if (s) {
        memcpy(c->known, s->known, sizeof c->known);
        c->n = s->n;
        c->cap = s->n + 8;
    } else {
        c->cap = 256;
    }
    c->days = calloc(c->cap, sizeof *c->days);
    if (!c->days) zx_die("out of memory (calendar)");
    if (s && s->n) memcpy(c->days, s->days, s->n * sizeof *c->days);
    return c;
}

/* Binary search: index of day, or -(insertion point) - 1. */
static long snap_find(const struct cal_snapshot *s, zx_date d)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->days[mid].day < d)
            lo = mid + 1;
        else if (s->days[mid].day > d)
            hi = mid;
        else
            return (long)mid;
    }
    return -(long)lo - 1;
}

/* Copy a UTF-8 name, truncating on a character boundary. */
static void copy_name(char dst[CAL_NAME_MAX], const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= CAL_NAME_MAX) {
        n = CAL_NAME_MAX - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

static void snap_set(struct cal_snapshot *s, zx_date d, enum zx_day_kind kind, const char *name)
{
    long i = snap_find(s, d);
    if (kind == ZX_DAY_DEFAULT) {
        if (i >= 0) {
            memmove(&s->days[i], &s->days[i + 1], (s->n - (size_t)i - 1) * sizeof *s->days);
            s->n--;
        }
        return;
    }
    if (i < 0) {
        size_t at = (size_t)(-i - 1);
        if (s->n == s->cap) {
            s->cap *= 2;
            s->days = realloc(s->days, s->cap * sizeof *s->days);
            if (!s->days) zx_die("out of memory (calendar)");
        }
        memmove(&s->days[at + 1], &s->days[at], (s->n - at) * sizeof *s->days);
        s->n++;
        i = (long)at;
    }
    s->days[i].day = d;
    s->days[i].kind = (unsigned char)kind;
    copy_name(s->days[i].name, name);
}

static void snap_mark_known(struct cal_snapshot *s, int year, bool known)
{
    if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX) return;
    int bit = year - CAL_YEAR_MIN;
    if (known)
        s->known[bit / 8] |= (uint8_t)(1u << (bit % 8));
    else
        s->known[bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

static void snap_clear_year(struct cal_snapshot *s, int year)
{
    zx_date a = zx_date_from_ymd(year, 1, 1), b = zx_date_from_ymd(year, 12, 31);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->days[i].day < a || s->days[i].day > b) s->days[w++] = s->days[i];
    s->n = w;
    snap_mark_known(s, year, false);
}

static void retired_free(void)
{
    pthread_mutex_lock(&g_cal_mu);
    while (g_retired) {
        struct cal_snapshot *n = g_retired->retired_next;
        free(g_retired->days);
        free(g_retired);
        g_retired = n;
    }
    struct cal_snapshot *cur = atomic_exchange(&g_cal, NULL);
    if (cur) {
        free(cur->days);
        free(cur);
    }
    pthread_mutex_unlock(&g_cal_mu);
}

static void cal_init(void)
{
    struct cal_snapshot *s = snap_copy(NULL);
    for (size_t i = 0; i < zx_cal_builtin_ndays; i++) {
        const struct zx_cal_builtin_day *b = &zx_cal_builtin_days[i];
        zx_date a, z;
        if (zx_date_parse(b->from, &a) != 0 || zx_date_parse(b->to, &z) != 0 || z < a)
            zx_die("calendar_data.c: bad range %s..%s", b->from, b->to);
        for (zx_date d = a; d <= z; d++) snap_set(s, d, (enum zx_day_kind)b->kind, b->name);
    }
    for (size_t i = 0; i < zx_cal_builtin_nyears; i++) snap_mark_known(s, zx_cal_builtin_years[i], true);
    atomic_store_explicit(&g_cal, s, memory_order_release);
    atexit(retired_free);
}

static const struct cal_snapshot *cal_get(void)
{
    struct cal_snapshot *s = atomic_load_explicit(&g_cal, memory_order_acquire);
    if (s) return s;
    pthread_once(&g_cal_once, cal_init);
    return atomic_load_explicit(&g_cal, memory_order_acquire);
}

/* Writers: lock, copy, modify (by the callback), publish, retire the old one. */
static void cal_begin(struct cal_snapshot **copy)
{
    cal_get();
    pthread_mutex_lock(&g_cal_mu);
    *copy = snap_copy(atomic_load_explicit(&g_cal, memory_order_acquire));
}

static void cal_publish(struct cal_snapshot *copy)
{
    struct cal_snapshot *old = atomic_exchange_explicit(&g_cal, copy, memory_order_acq_rel);
    if (old) {
        old->retired_next = g_retired;
        g_retired = old;
    }
    pthread_mutex_unlock(&g_cal_mu);
}

/* Years without a notice (not known): statutory holidays computed by src/rules/holidays.c, which
 * registers itself here (core stays below rules). NULL until registered → Mon–Fri only. */
typedef bool (*zx_cal_fallback_fn)(zx_date d, char name[CAL_NAME_MAX]);
static _Atomic(zx_cal_fallback_fn) g_fallback;
void zx_cal_set_fallback(zx_cal_fallback_fn fn);
void zx_cal_set_fallback(zx_cal_fallback_fn fn) { atomic_store(&g_fallback, fn); }

static bool snap_year_known(const struct cal_snapshot *s, int year)
{
    if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX) return false;
    int bit = year - CAL_YEAR_MIN;
    return (s->known[bit / 8] >> (bit % 8)) & 1u;
}

/* Is d a statutory holiday of a year the snapshot has no notice for? */
static bool snap_fallback_holiday(const struct cal_snapshot *s, zx_date d, char name[CAL_NAME_MAX])
{
    zx_cal_fallback_fn fb = atomic_load(&g_fallback);
    if (!fb) return false;
    int y;
    zx_date_to_ymd(d, &y, NULL, NULL);
    return !snap_year_known(s, y) && fb(d, name);
}

/* A day's kind and name as the calendar holds it (not date.h: used by the calendar API). */
enum zx_day_kind zx_cal_day_kind(zx_date d, char name[CAL_NAME_MAX]);
enum zx_day_kind zx_cal_day_kind(zx_date d, char name[CAL_NAME_MAX])
{
    const struct cal_snapshot *s = cal_get();
    long i = snap_find(s, d);
    if (i < 0) {
        if (name) name[0] = '\0';
        return snap_fallback_holiday(s, d, name) ? ZX_DAY_HOLIDAY : ZX_DAY_DEFAULT;
    }
    if (name) memcpy(name, s->days[i].name, CAL_NAME_MAX);
    return (enum zx_day_kind)s->days[i].kind;
}

/* Apply a whole batch of days atomically: clear the given years, then set the days, then mark the
 * years known. Readers see either the old calendar or the complete new one (used by the start hook
 * in calendar_data.c). */
struct zx_cal_load_day {
    zx_date day;
    enum zx_day_kind kind;
    const char *name;
};
void zx_cal_replace_years(const int *years, size_t nyears, const struct zx_cal_load_day *days,
                          size_t ndays);
void zx_cal_replace_years(const int *years, size_t nyears, const struct zx_cal_load_day *days,
                          size_t ndays)
{
    struct cal_snapshot *c;
    cal_begin(&c);
    for (size_t i = 0; i < nyears; i++) snap_clear_year(c, years[i]);
    for (size_t i = 0; i < ndays; i++) snap_set(c, days[i].day, days[i].kind, days[i].name);
    for (size_t i = 0; i < nyears; i++) snap_mark_known(c, years[i], true);
    cal_publish(c);
}

void zx_cal_set_day(zx_date d, enum zx_day_kind kind, const char *name)
{
    struct cal_snapshot *c;
    cal_begin(&c);
    snap_set(c, d, kind, name);
    cal_publish(c);
}

void zx_cal_clear_year(int year)
{
    struct cal_snapshot *c;
    cal_begin(&c);
    snap_clear_year(c, year);
    cal_publish(c);
}

void zx_cal_mark_year_known(int year)
{
    struct cal_snapshot *c;
    cal_begin(&c);
    snap_mark_known(c, year, true);
    cal_publish(c);
}

bool zx_cal_year_known(int year)
{
    return snap_year_known(cal_get(), year);
}

static bool snap_is_working(const struct cal_snapshot *s, zx_date d)
{
    long i = snap_find(s, d);
    if (i >= 0) return s->days[i].kind == ZX_DAY_WORKDAY;
    if (zx_date_weekday(d) >= 5) return false; /* Mon–Fri unless the calendar says otherwise */
    return !snap_fallback_holiday(s, d, NULL);  /* years without a notice: statutory holidays */
}

bool zx_cal_is_working(zx_date d) { return snap_is_working(cal_get(), d); }

/* 民诉法 (2023) art 85 / 民诉解释 art 125: the start day is not counted; a period whose last day is
 * not a working day ends on the next working day. One snapshot is used for the whole computation so a
 * concurrent update cannot mix two calendars. */
zx_date zx_cal_period_end_days(zx_date start, int days)
{
    const struct cal_snapshot *s = cal_get();
    zx_date end = start + days;
    while (!snap_is_working(s, end)) end++;
    return end;
}

zx_date zx_cal_add_working_days(zx_date start, int n)
{
    const struct cal_snapshot *s = cal_get();
    zx_date d = start;
    while (n > 0) {
        d++;
        if (snap_is_working(s, d)) n--;
    }
    return d;
}

int zx_cal_working_days_between(zx_date a, zx_date b)
{
    const struct cal_snapshot *s = cal_get();
    int n = 0;
    for (zx_date d = a + 1; d <= b; d++)
        if (snap_is_working(s, d)) n++;
    return n;
}
