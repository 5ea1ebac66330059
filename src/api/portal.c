/* portal.c — public query of the enforcement-information portal (issue 5 §6; docs/api/credit.md):
 *
 *   GET /api/v1/portal/credit/search?name=&id_number=&lists=&page=&size=   综合查询 (all four lists)
 *   GET /api/v1/portal/credit/:list?name=&id_number=&page=&size=           one list: dishonest |
 *                                                                          restricted | debtor | interim_closure
 *
 * No login. Every request counts against the caller's address (cfg.public_rate_per_min per minute;
 * 429 RATE_LIMITED with Retry-After). A query with an ID number is an indexed exact lookup; a
 * name-only query takes the name path, capped at NAME_CONCURRENCY concurrent queries (503 BUSY with
 * Retry-After: 1 when full) so name scans can never starve the rest of the server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auction/auction.h"
#include "core/date.h"
#include "credit/entry.h"
#include "credit/public.h"
#include "credit/snapshot.h"
#include "http/http.h"

#define NAME_CONCURRENCY 4
#define PAGE_SIZE_MAX 50

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static void portal_query(zx_req *r, unsigned lists)
{
    int retry = 0;
    if (!zx_public_rate_take(r->client_ip, r->app->cfg.public_rate_per_min, &retry)) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry > 0 ? retry : 1);
        zx_add_header(r, "Retry-After", ra);
        return zx_reply_error(r, 429, "RATE_LIMITED", "查询过于频繁，请 %s 秒后再试", ra);
    }
    const char *name = zx_query(r, "name"), *id = zx_query(r, "id_number");
    if (name && !*name) name = NULL;
    if (id && !*id) id = NULL;
    if (!name && !id) return zx_reply_error(r, 400, "BAD_REQUEST", "请输入被执行人姓名/名称或证件号码");
    char norm[19];
    if (id && zx_credit_id_normalise(id, strlen(id), zx_today(), norm) == ZX_IDK_INVALID)
        return zx_reply_error(r, 400, "INVALID_ID_NUMBER", "证件号码无效：须为18位居民身份证号码或统一社会信用代码");
    if (name && (utf8_chars(name) < 2 || utf8_chars(name) > 64))
        return zx_reply_error(r, 400, "BAD_NAME", "姓名/名称须为 2–64 个字符");
    const char *ps = zx_query(r, "page"), *ss = zx_query(r, "size");
    (void)ps;
    (void)ss;
    int64_t page, size;
    if (!zx_query_int(r, "page", 1, 1000, 1, &page) || !zx_query_int(r, "size", 1, PAGE_SIZE_MAX, 20, &size)) return;
    bool name_path = !id;
    if (name_path && !zx_public_name_enter(NAME_CONCURRENCY)) {
        zx_add_header(r, "Retry-After", "1");
        return zx_reply_error(r, 503, "BUSY", "姓名查询繁忙，请稍后再试");
    }
    json_t *res = zx_public_search(zx_db(r), name, id ? norm : NULL, lists, page, size);
    if (name_path) zx_public_name_leave();
    if (!res) return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    json_t *q = json_object();
    if (name) json_object_set_new(q, "name", json_string(name));
    if (id) {
        char m[19];
        zx_credit_id_mask(norm, m);
        json_object_set_new(q, "id_number", json_string(m));
    }
    zx_reply_json(r, 200, json_pack("{s:o,s:o,s:i,s:i,s:I}", "query", q, "results", res, "page", page, "size", size,
                                    "list_version", (json_int_t)zx_credit_version()));
}

static void portal_search(zx_req *r)
{
    unsigned lists = zx_public_lists(zx_query(r, "lists"));
    if (!lists) return zx_reply_error(r, 400, "UNKNOWN_LIST", "lists 只能是 dishonest、restricted、debtor、interim_closure");
    portal_query(r, lists);
}

static void portal_list(zx_req *r)
{
    const char *l = zx_param(r, "list");
    unsigned lists = l && strcmp(l, "all") ? zx_public_lists(l) : 0;
    if (!lists || (lists & (lists - 1))) return zx_reply_error(r, 404, "UNKNOWN_LIST", "没有这个名单");
    portal_query(r, lists);
}

/* ---- GET /api/v1/portal/search?q= — one search across the public lists and the auction lots (issue 15
 * item 7): q is a name (2–64 characters) or an 18-character ID number / credit code; the lists answer as
 * /portal/credit/search does (IDs masked), the auction lots whose title, location or court contain q. */
static void portal_one_search(zx_req *r)
{
    int retry = 0;
    if (!zx_public_rate_take(r->client_ip, r->app->cfg.public_rate_per_min, &retry)) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry > 0 ? retry : 1);
        zx_add_header(r, "Retry-After", ra);
        return zx_reply_error(r, 429, "RATE_LIMITED", "查询过于频繁，请 %s 秒后再试", ra);
    }
    const char *q = zx_query(r, "q");
    if (!q || utf8_chars(q) < 2 || utf8_chars(q) > 64) return zx_reply_error(r, 400, "BAD_QUERY", "请输入 2–64 个字的姓名、名称、证件号码或拍卖标的");
    char norm[19];
    bool is_id = strlen(q) == 18 && zx_credit_id_normalise(q, 18, zx_today(), norm) != ZX_IDK_INVALID;
    if (!is_id && !zx_public_name_enter(NAME_CONCURRENCY)) {
        zx_add_header(r, "Retry-After", "1");
        return zx_reply_error(r, 503, "BUSY", "姓名查询繁忙，请稍后再试");
    }
    db_conn *c = zx_db(r);
    json_t *lists = zx_public_search(c, is_id ? NULL : q, is_id ? norm : NULL, ZX_PUB_ALL, 1, 20);
    if (!is_id) zx_public_name_leave();
    if (!lists) return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    json_t *all = zx_au_public_list(c), *lots = json_array();
    size_t i;
    json_t *lot;
    json_array_foreach(all, i, lot) {
        const char *f[] = { "title", "location", "court" };
        for (int k = 0; k < 3; k++) {
            json_t *v = json_object_get(lot, f[k]);
            if (json_is_string(v) && strstr(json_string_value(v), q)) {
                json_array_append(lots, lot);
                break;
            }
        }
    }
    json_decref(all);
    zx_reply_json(r, 200, json_pack("{s:s,s:o,s:o}", "q", is_id ? "（证件号码）" : q, "lists", lists, "auctions", lots));
}

/* ---- GET /api/v1/portal/stats?year=YYYY[&format=csv] — open statistics (issue 15 item 8): per court and
 * month, cases received (立案), cases closed (结案) and the money recovered in the cases closed that month.
 * Aggregates only, never a person. */
static void stats_add(json_t *rows, const char *court, const char *month, const char *field, int64_t v)
{
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
        if (!strcmp(json_string_value(json_object_get(o, "court")), court) &&
            !strcmp(json_string_value(json_object_get(o, "month")), month)) {
            json_object_set_new(o, field, json_integer(v));
            return;
        }
    }
    o = json_pack("{s:s,s:s,s:I,s:I,s:I}", "court", court, "month", month, "received", (json_int_t)0, "closed",
                  (json_int_t)0, "recovered_fen", (json_int_t)0);
    json_object_set_new(o, field, json_integer(v));
    json_array_append_new(rows, o);
}

static void portal_stats(zx_req *r)
{
    int retry = 0;
    if (!zx_public_rate_take(r->client_ip, r->app->cfg.public_rate_per_min, &retry)) {
        zx_add_header(r, "Retry-After", "60");
        return zx_reply_error(r, 429, "RATE_LIMITED", "查询过于频繁，请稍后再试");
    }
    int64_t year;
    if (!zx_query_int(r, "year", 2000, 2199, 0, &year)) return;
    if (!year) {
        int y, m, d;
        zx_date_to_ymd(zx_today(), &y, &m, &d);
        year = y;
    }
    const char *fmt = zx_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "csv") && strcmp(fmt, "json")) return zx_reply_error(r, 400, "BAD_FORMAT", "format 只能是 csv 或 json");
    char lo[11], hi[11];
    snprintf(lo, sizeof lo, "%04d-01-01", (int)year);
    snprintf(hi, sizeof hi, "%04d-12-31", (int)year);
    db_conn *c = zx_db(r);
    json_t *rows = json_array();
    static const char *sql[2] = {
        "SELECT ct.name, substr(e.filed_on, 1, 7), COUNT(*), 0 FROM enf_case e JOIN court ct ON ct.id = e.court_id"
        " WHERE e.filed_on BETWEEN ? AND ? GROUP BY ct.name, substr(e.filed_on, 1, 7)",
        "SELECT ct.name, substr(e.closed_on, 1, 7), COUNT(*), SUM(e.recovered_fen) FROM enf_case e JOIN court ct ON ct.id = e.court_id"
        " WHERE e.closed_on BETWEEN ? AND ? GROUP BY ct.name, substr(e.closed_on, 1, 7)",
    };
    for (int q = 0; q < 2; q++) {
        db_stmt *s = db_prepare(c, sql[q]);
        if (!s) {
            json_decref(rows);
            return zx_reply_error(r, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
        }
        db_bind_text(s, 1, lo, -1);
        db_bind_text(s, 2, hi, -1);
        while (db_step(s) == DB_ROW) {
            stats_add(rows, db_col_text(s, 0), db_col_text(s, 1), q ? "closed" : "received", db_col_int64(s, 2));
            if (q) stats_add(rows, db_col_text(s, 0), db_col_text(s, 1), "recovered_fen", db_col_int64(s, 3));
        }
        db_finalize(s);
    }
    if (fmt && !strcmp(fmt, "csv")) {
        size_t cap = 256 + json_array_size(rows) * 200, n = 0;
        char *out = zx_alloc(r, cap);
        n += (size_t)snprintf(out + n, cap - n, "\xEF\xBB\xBF法院,月份,收案数,结案数,结案执行到位金额（元）\r\n");
        size_t i;
        json_t *o;
        json_array_foreach(rows, i, o) {
            int64_t f = json_integer_value(json_object_get(o, "recovered_fen"));
            n += (size_t)snprintf(out + n, cap - n, "%s,%s,%lld,%lld,%lld.%02lld\r\n", json_string_value(json_object_get(o, "court")),
                                  json_string_value(json_object_get(o, "month")),
                                  (long long)json_integer_value(json_object_get(o, "received")),
                                  (long long)json_integer_value(json_object_get(o, "closed")), (long long)(f / 100),
                                  (long long)(f % 100));
        }
        json_decref(rows);
        return zx_reply_raw(r, 200, "text/csv; charset=utf-8", out, n, "attachment; filename=\"stats.csv\"");
    }
    zx_reply_json(r, 200, json_pack("{s:I,s:o}", "year", (json_int_t)year, "rows", rows));
}

static const struct zx_route portal_routes[] = {
    { "GET", "/api/v1/portal/stats", portal_stats, ZX_R_PUBLIC, 0, NULL, "公开统计：各法院每月收案、结案、执行到位金额（JSON / CSV）" },
    { "GET", "/api/v1/portal/search", portal_one_search, ZX_R_PUBLIC, 0, NULL,
      "一站式公开查询：失信、限消、被执行人、终本名单与司法拍卖标的" },
    { "GET", "/api/v1/portal/credit/search", portal_search, ZX_R_PUBLIC, 0, NULL,
      "公开查询：失信、限消、被执行人、终本（姓名或证件号码，证件号脱敏）" },
    { "GET", "/api/v1/portal/credit/:list", portal_list, ZX_R_PUBLIC, 0, NULL,
      "公开查询单个名单（dishonest / restricted / debtor / interim_closure）" },
};
ZX_ROUTES(portal_routes)
