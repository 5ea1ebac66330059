/* api/calendar.c — the working-day calendar (issue 4 §4, Contract):
 *   GET /api/v1/calendar/add-working-days?date=DATE&days=N  → {"date":"YYYY-MM-DD"}      (public)
 *   GET /api/v1/calendar?year=Y                              → the year's holidays and 调休 days (user)
 *   PUT /api/v1/calendar/days/:day  {"kind":"holiday"|"workday"|"default","name":"…","source":"…"}
 *                                                            (sysadmin) — persisted + audited, then live
 *   PUT /api/v1/calendar/years/:year {"source":"国办发明电〔…〕…号","days":[{"from","to","kind","name"}…]}
 *                                                            (sysadmin) — a new year's State Council notice,
 *                                                            replacing the year as a whole, without a rebuild
 * A year with no notice (shipped or loaded) is computed from 《全国年节及纪念日放假办法》 (rules/holidays.c)
 * and answered with "provisional": true.
 * A year that has rows in holiday_calendar is taken from the table alone; the first edit of a shipped
 * year copies the official days into the table first (same transaction), so the rest stays intact.
 * The in-memory calendar of this node changes after the commit; other nodes pick it up at restart. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "core/date.h"
#include "http/http.h"
#include "rules/holidays.h"

/* Defined in core/date.c and core/calendar_data.c; date.h is the frozen interface, so these
 * calendar-administration helpers are declared where they are used. */
enum zx_day_kind zx_cal_day_kind(zx_date d, char name[64]);
const char *zx_cal_builtin_source(int year);
int zx_cal_store_builtin_year(db_conn *c, int year);

#define MAX_WORKING_DAYS 3660 /* ten years of working days: beyond any statutory period */
#define MAX_NAME_BYTES 60
#define MAX_SOURCE_BYTES 200

static void add_working_days(zx_req *r)
{
    zx_date start;
    if (zx_date_parse(zx_query(r, "date"), &start) != 0) {
        zx_reply_error(r, 400, "INVALID_DATE", "参数 date 应为有效日期（YYYY-MM-DD）");
        return;
    }
    const char *ds = zx_query(r, "days");
    long n = 0;
    bool ok = ds && *ds && strlen(ds) <= 5 && (ds[0] != '0' || !ds[1]);
    for (const char *p = ds; ok && *p; p++) {
        if (*p < '0' || *p > '9') ok = false;
        else n = n * 10 + (*p - '0');
    }
    if (!ok || n > MAX_WORKING_DAYS) {
        zx_reply_error(r, 400, "INVALID_DAYS", "参数 days 应为 0 到 %d 之间的整数", MAX_WORKING_DAYS);
        return;
    }
    zx_date end = zx_cal_add_working_days(start, (int)n);
    int y;
    zx_date_to_ymd(end, &y, NULL, NULL);
    if (y > 2199) {
        zx_reply_error(r, 400, "INVALID_DATE", "结果日期超出支持范围");
        return;
    }
    char buf[11];
    zx_date_format(end, buf);
    zx_reply_json(r, 200, json_pack("{s:s}", "date", buf));
}

static const char *kind_name(enum zx_day_kind k)
{
    return k == ZX_DAY_HOLIDAY ? "holiday" : k == ZX_DAY_WORKDAY ? "workday" : "default";
}

static bool year_param(zx_req *r, int *year)
{
    const char *ys = zx_query(r, "year");
    int y = 0;
    bool ok = ys && strlen(ys) == 4;
    for (int i = 0; ok && i < 4; i++) {
        if (ys[i] < '0' || ys[i] > '9') ok = false;
        else y = y * 10 + (ys[i] - '0');
    }
    if (!ok || y < 1900 || y > 2199) {
        zx_reply_error(r, 400, "INVALID_YEAR", "参数 year 应为 1900 到 2199 之间的年份");
        return false;
    }
    *year = y;
    return true;
}

static void calendar_year(zx_req *r)
{
    int year;
    if (!year_param(r, &year)) return;
    zx_date a = zx_date_from_ymd(year, 1, 1), b = zx_date_from_ymd(year, 12, 31);
    char lo[11], hi[11];
    zx_date_format(a, lo);
    zx_date_format(b, hi);

    /* Sources of the administrator's rows (the kinds themselves come from the live calendar). */
    json_t *sources = json_object();
    db_conn *c = zx_db(r);
    db_stmt *st = db_prepare(c, "SELECT day, source FROM holiday_calendar WHERE day >= ? AND day <= ?");
    if (!st) {
        json_decref(sources);
        zx_reply_error(r, 500, "INTERNAL", "读取节假日表失败");
        return;
    }
    db_bind_text(st, 1, lo, -1);
    db_bind_text(st, 2, hi, -1);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *day = db_col_text(st, 0), *src = db_col_text(st, 1);
        if (day) json_object_set_new(sources, day, src ? json_string(src) : json_null());
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(sources);
        zx_reply_error(r, 500, "INTERNAL", "读取节假日表失败");
        return;
    }
    bool from_table = json_object_size(sources) > 0;
    const char *builtin = zx_cal_builtin_source(year);

    json_t *days = json_array();
    for (zx_date d = a; d <= b; d++) {
        char name[64], ds[11];
        enum zx_day_kind k = zx_cal_day_kind(d, name);
        if (k == ZX_DAY_DEFAULT) continue;
        zx_date_format(d, ds);
        json_t *src = json_object_get(sources, ds);
        json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:b}", "date", ds, "kind", kind_name(k), "name", name,
                              "weekday", zx_date_weekday(d) + 1, "working", zx_cal_is_working(d));
        bool provisional = !zx_cal_year_known(year);
        if (src) json_object_set(o, "source", src);
        else if (!from_table && builtin) json_object_set_new(o, "source", json_string(builtin));
        else if (provisional && zx_holidays_source(year)) json_object_set_new(o, "source", json_string(zx_holidays_source(year)));
        else json_object_set_new(o, "source", json_null());
        if (provisional) json_object_set_new(o, "provisional", json_true());
        json_array_append_new(days, o);
    }
    json_decref(sources);
    bool known = zx_cal_year_known(year);
    const char *statutory = zx_holidays_source(year);
    zx_reply_json(r, 200, json_pack("{s:i,s:b,s:b,s:o,s:o,s:o}", "year", year, "known", known, "provisional", !known,
                                    "builtin_source", builtin ? json_string(builtin) : json_null(), "statutory_source",
                                    !known && statutory ? json_string(statutory) : json_null(), "days", days));
}

static bool utf8_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20) return false;
    return true;
}

static void calendar_set_day(zx_req *r)
{
    zx_date d;
    const char *day = zx_param(r, "day");
    if (zx_date_parse(day, &d) != 0) {
        zx_reply_error(r, 400, "INVALID_DATE", "日期应为有效日期（YYYY-MM-DD）");
        return;
    }
    json_t *body = zx_body_json(r);
    if (!body) return;
    const char *ks = json_string_value(json_object_get(body, "kind"));
    enum zx_day_kind kind;
    if (ks && !strcmp(ks, "holiday")) kind = ZX_DAY_HOLIDAY;
    else if (ks && !strcmp(ks, "workday")) kind = ZX_DAY_WORKDAY;
    else if (ks && !strcmp(ks, "default")) kind = ZX_DAY_DEFAULT;
    else {
        zx_reply_error(r, 400, "INVALID_KIND", "kind 应为 holiday（放假）、workday（调休上班）或 default（按周一至周五）");
        return;
    }
    json_t *jn = json_object_get(body, "name"), *js = json_object_get(body, "source");
    if ((jn && !json_is_string(jn) && !json_is_null(jn)) || (js && !json_is_string(js) && !json_is_null(js))) {
        zx_reply_error(r, 400, "VALIDATION", "name 和 source 应为字符串");
        return;
    }
    const char *name = json_string_value(jn), *source = json_string_value(js);
    if (kind != ZX_DAY_DEFAULT && (!name || !*name)) {
        zx_reply_error(r, 400, "VALIDATION", "请填写节日名称（name）");
        return;
    }
    if ((name && !utf8_ok(name, MAX_NAME_BYTES)) || (source && !utf8_ok(source, MAX_SOURCE_BYTES))) {
        zx_reply_error(r, 400, "VALIDATION", "名称或来源过长或含控制字符");
        return;
    }
    int year, mo, dd;
    zx_date_to_ymd(d, &year, &mo, &dd);
    char ds[11];
    zx_date_format(d, ds);

    db_conn *c = zx_db(r);
    if (db_begin(c) != 0) {
        zx_reply_error(r, 503, "UNAVAILABLE", "数据库忙，请稍后重试");
        return;
    }
    int rc = zx_cal_store_builtin_year(c, year);
    if (rc >= 0) {
        db_stmt *st = kind == ZX_DAY_DEFAULT
                          ? db_prepare(c, "DELETE FROM holiday_calendar WHERE day = ?")
                          : db_prepare(c, "INSERT INTO holiday_calendar (day, kind, name, source) VALUES (?, ?, ?, ?) "
                                          "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, "
                                          "name = excluded.name, source = excluded.source");
        rc = st ? 0 : DB_ERROR;
        if (st) {
            db_bind_text(st, 1, ds, -1);
            if (kind != ZX_DAY_DEFAULT) {
                db_bind_int64(st, 2, kind);
                db_bind_text(st, 3, name, -1);
                db_bind_text(st, 4, source, -1);
            }
            rc = db_step(st);
            db_finalize(st);
        }
    }
    if (rc >= 0) {
        json_t *detail = json_pack("{s:s,s:s,s:s?,s:s?}", "day", ds, "kind", kind_name(kind), "name", name,
                                   "source", source);
        char *dj = json_dumps(detail, JSON_COMPACT);
        json_decref(detail);
        rc = zx_audit_req(r, c, "calendar.set_day", "holiday_calendar",
                          (int64_t)year * 10000 + mo * 100 + dd, "ok", dj);
        free(dj);
    }
    if (rc >= 0) rc = db_commit(c);
    if (rc < 0) {
        db_rollback(c);
        zx_reply_error(r, 500, "INTERNAL", "保存节假日失败");
        return;
    }
    /* Live after commit: the table now holds the whole year, so the year counts as known. */
    zx_cal_set_day(d, kind, name);
    zx_cal_mark_year_known(year);
    char nm[64];
    enum zx_day_kind now = zx_cal_day_kind(d, nm);
    zx_reply_json(r, 200, json_pack("{s:s,s:s,s:s,s:b,s:b}", "date", ds, "kind", kind_name(now), "name", nm,
                                    "working", zx_cal_is_working(d), "known", zx_cal_year_known(year)));
}

/* In core/date.c (calendar administration, not part of date.h). */
struct zx_cal_load_day {
    zx_date day;
    enum zx_day_kind kind;
    const char *name;
};
void zx_cal_replace_years(const int *years, size_t nyears, const struct zx_cal_load_day *days, size_t ndays);

#define MAX_YEAR_DAYS 120 /* a notice names ~30 holidays and a handful of 调休 days */

/* PUT /api/v1/calendar/years/:year — load a year's State Council notice as a whole: the ranges are
 * validated (inside the year, holiday or workday, a name each), the year's rows in holiday_calendar
 * are replaced in one transaction with its audit record, then the calendar of this node changes. */
static void calendar_set_year(zx_req *r)
{
    const char *ys = zx_param(r, "year");
    int year = 0;
    bool ok = ys && strlen(ys) == 4;
    for (int i = 0; ok && i < 4; i++) {
        if (ys[i] < '0' || ys[i] > '9') ok = false;
        else year = year * 10 + (ys[i] - '0');
    }
    if (!ok || year < 1950 || year > 2199) {
        zx_reply_error(r, 400, "INVALID_YEAR", "年份应为 1950 到 2199 之间");
        return;
    }
    json_t *body = zx_body_json(r);
    if (!body) return;
    const char *source = json_string_value(json_object_get(body, "source"));
    json_t *arr = json_object_get(body, "days");
    if (!source || !*source || !utf8_ok(source, MAX_SOURCE_BYTES)) {
        zx_reply_error(r, 400, "VALIDATION", "请填写通知名称或文号（source）");
        return;
    }
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        zx_reply_error(r, 400, "VALIDATION", "days 应为非空数组（每项含 from、to、kind、name）");
        return;
    }
    struct zx_cal_load_day *days = calloc(MAX_YEAR_DAYS, sizeof *days);
    if (!days) {
        zx_reply_error(r, 500, "INTERNAL", "内存不足");
        return;
    }
    size_t n = 0, i;
    json_t *it;
    const char *bad = NULL;
    json_array_foreach(arr, i, it) {
        const char *fs = json_string_value(json_object_get(it, "from"));
        const char *ts = json_string_value(json_object_get(it, "to"));
        const char *ks = json_string_value(json_object_get(it, "kind"));
        const char *nm = json_string_value(json_object_get(it, "name"));
        zx_date f, t;
        if (!fs || zx_date_parse(fs, &f) != 0) { bad = "from 应为有效日期"; break; }
        if (!ts) t = f;
        else if (zx_date_parse(ts, &t) != 0 || t < f) { bad = "to 应为不早于 from 的有效日期"; break; }
        int fy, ty;
        zx_date_to_ymd(f, &fy, NULL, NULL);
        zx_date_to_ymd(t, &ty, NULL, NULL);
        if (fy != year || ty != year) { bad = "日期须在该年度内（跨年的日期载入其所在年度）"; break; }
        enum zx_day_kind k;
        if (ks && !strcmp(ks, "holiday")) k = ZX_DAY_HOLIDAY;
        else if (ks && !strcmp(ks, "workday")) k = ZX_DAY_WORKDAY;
        else { bad = "kind 应为 holiday（放假）或 workday（调休上班）"; break; }
        if (!nm || !*nm || !utf8_ok(nm, MAX_NAME_BYTES)) { bad = "每项须有名称（name）"; break; }
        for (zx_date d = f; d <= t; d++) {
            for (size_t j = 0; j < n; j++)
                if (days[j].day == d) { bad = "同一日期重复出现"; break; }
            if (bad) break;
            if (n == MAX_YEAR_DAYS) { bad = "日期过多"; break; }
            days[n++] = (struct zx_cal_load_day){ d, k, nm };
        }
        if (bad) break;
    }
    if (bad) {
        free(days);
        zx_reply_error(r, 400, "VALIDATION", "第 %zu 项：%s", i + 1, bad);
        return;
    }
    char lo[11], hi[11];
    zx_date_format(zx_date_from_ymd(year, 1, 1), lo);
    zx_date_format(zx_date_from_ymd(year, 12, 31), hi);
    db_conn *c = zx_db(r);
    if (db_begin(c) != 0) {
        free(days);
        zx_reply_error(r, 503, "UNAVAILABLE", "数据库忙，请稍后重试");
        return;
    }
    db_stmt *st = db_prepare(c, "DELETE FROM holiday_calendar WHERE day >= ? AND day <= ?");
    int rc = st ? 0 : DB_ERROR;
    if (st) {
        db_bind_text(st, 1, lo, -1);
        db_bind_text(st, 2, hi, -1);
        rc = db_step(st);
        db_finalize(st);
    }
    for (size_t j = 0; rc >= 0 && j < n; j++) {
        char ds[11];
        zx_date_format(days[j].day, ds);
        st = db_prepare(c, "INSERT INTO holiday_calendar (day, kind, name, source) VALUES (?, ?, ?, ?)");
        if (!st) { rc = DB_ERROR; break; }
        db_bind_text(st, 1, ds, -1);
        db_bind_int64(st, 2, days[j].kind);
        db_bind_text(st, 3, days[j].name, -1);
        db_bind_text(st, 4, source, -1);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc >= 0) {
        json_t *detail = json_pack("{s:i,s:s,s:i}", "year", year, "source", source, "days", (int)n);
        char *dj = json_dumps(detail, JSON_COMPACT);
        json_decref(detail);
        rc = zx_audit_req(r, c, "calendar.set_year", "holiday_calendar", year, "ok", dj);
        free(dj);
    }
    if (rc >= 0) rc = db_commit(c);
    if (rc < 0) {
        db_rollback(c);
        free(days);
        zx_reply_error(r, 500, "INTERNAL", "保存节假日安排失败");
        return;
    }
    zx_cal_replace_years(&year, 1, days, n); /* live on this node; others at restart */
    free(days);
    zx_reply_json(r, 200, json_pack("{s:i,s:s,s:i,s:b}", "year", year, "source", source, "days", (int)n, "known",
                                    zx_cal_year_known(year)));
}

static const struct zx_route calendar_routes[] = {
    { "GET", "/api/v1/calendar/add-working-days", add_working_days, ZX_R_PUBLIC, 0, NULL, "加工作日（节假日与调休日历）" },
    { "GET", "/api/v1/calendar", calendar_year, ZX_R_USER, 0, NULL, "某年节假日与调休安排" },
    { "PUT", "/api/v1/calendar/days/:day", calendar_set_day, ZX_R_USER, ROLE_SYSADMIN, NULL, "设置某日放假/调休上班（系统管理员）" },
    { "PUT", "/api/v1/calendar/years/:year", calendar_set_year, ZX_R_USER, ROLE_SYSADMIN, NULL, "载入某年国务院节假日安排通知（系统管理员）" },
};
ZX_ROUTES(calendar_routes)
