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
#include "account/authz.h"
#include "auction/auction.h"
#include "case/case.h"
#include "case/indicators.h"
#include "command/tpo.h"
#include "core/date.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "credit/public.h"
#include "credit/snapshot.h"
#include "http/http.h"
#include "rules/case_no.h"
#include "rules/closure.h"

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

static void one_search_case(zx_req *r, const zx_case_no *cn);

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
    if (!q || utf8_chars(q) < 2 || utf8_chars(q) > 64) return zx_reply_error(r, 400, "BAD_QUERY", "请输入 2–64 个字的姓名、名称、证件号码、案号或拍卖标的");
    zx_case_no cn;
    if (zx_case_no_parse(q, &cn) == 0) return one_search_case(r, &cn);
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
    /* published 悬赏 notices on a debtor of that name (or ID number) — src/api/portal_public.c */
    json_t *rewards = json_array();
    char today[11];
    zx_date_format(zx_today(), today);
    db_stmt *s = db_prepare(c, is_id ? "SELECT DISTINCT n.id, e.case_no, ct.name, p.name FROM reward_notice n JOIN enf_case e ON e.id = n.case_id"
                                       " JOIN court ct ON ct.id = n.court_id JOIN case_party p ON p.case_id = n.case_id AND p.role = 'debtor'"
                                       " WHERE n.status = 'approved' AND n.ends_on >= ? AND (" ZX_PII_IN("p.id_number") " OR p.credit_code = ?) LIMIT 20"
                                     : "SELECT DISTINCT n.id, e.case_no, ct.name, p.name FROM reward_notice n JOIN enf_case e ON e.id = n.case_id"
                                       " JOIN court ct ON ct.id = n.court_id JOIN case_party p ON p.case_id = n.case_id AND p.role = 'debtor'"
                                       " WHERE n.status = 'approved' AND n.ends_on >= ? AND p.name = ? LIMIT 20");
    if (s) {
        db_bind_text(s, 1, today, -1);
        if (is_id) {
            zx_pii_bind_lookup(s, 2, ZX_PII_ID_NUMBER, norm);
            db_bind_text(s, 4, norm, -1);
        } else
            db_bind_text(s, 2, q, -1);
        while (db_step(s) == DB_ROW)
            json_array_append_new(rewards, json_pack("{s:s,s:s,s:s,s:s}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                                                     "case_no", db_col_text(s, 1), "court", db_col_text(s, 2), "debtor", db_col_text(s, 3)));
        db_finalize(s);
    }
    zx_reply_json(r, 200, json_pack("{s:s,s:o,s:o,s:o,s:[],s:[]}", "q", is_id ? "（证件号码）" : q, "lists", lists, "auctions", lots, "rewards",
                                    rewards, "case_flow", "measures"));
}

/* The one search given a 案号: its case-flow entry (as GET /portal/case-flow: no parties) and the coercive measures
 * published on it (as GET /portal/measures: a person by surname + 某); the name lists and lots stay empty. */
static void one_search_case(zx_req *r, const zx_case_no *cn)
{
    char no[ZX_CASE_NO_MAX];
    if (zx_case_no_format(cn, no, sizeof no) < 0) return zx_reply_error(r, 400, "BAD_QUERY", "案号格式不正确");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT e.id, e.case_no, ct.name, e.filed_on, e.stage, e.status, e.closed_on, e.closure_mode"
                               " FROM enf_case e JOIN court ct ON ct.id = e.court_id WHERE e.case_no = ?");
    if (!s) return zx_reply_error(r, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
    db_bind_text(s, 1, no, -1);
    json_t *flow = json_array(), *measures = json_array();
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        const char *st = db_col_text(s, 5), *cm = db_col_text(s, 7);
        json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:s}", "case_no", db_col_text(s, 1), "court", db_col_text(s, 2), "filed_on",
                               db_col_text(s, 3) ? db_col_text(s, 3) : "", "stage_label", zx_case_stage_label(db_col_text(s, 4)),
                               "status_label", !strcmp(st, "closed") ? "已结案" : !strcmp(st, "suspended") ? "中止/暂缓" : "在办");
        if (db_col_text(s, 6)) json_object_set_new(it, "closed_on", json_string(db_col_text(s, 6)));
        for (int i = 0; cm && zx_closure_modes[i].code; i++)
            if (!strcmp(zx_closure_modes[i].code, cm)) json_object_set_new(it, "closure_label", json_string(zx_closure_modes[i].label));
        json_array_append_new(flow, it);
    }
    db_finalize(s);
    s = id ? db_prepare(c, "SELECT kind, on_date, data FROM case_event WHERE case_id = ? AND kind IN ('coercive_measure', 'exit_restriction')"
                           " ORDER BY seq") : NULL;
    if (s) {
        db_bind_int64(s, 1, id);
        while (db_step(s) == DB_ROW) {
            json_t *d = db_col_text(s, 2) ? json_loads(db_col_text(s, 2), 0, NULL) : NULL;
            bool exit = !strcmp(db_col_text(s, 0), "exit_restriction");
            const char *m = exit ? "exit_restriction" : json_string_value(json_object_get(d, "measure"));
            const char *name = json_string_value(json_object_get(d, "target_name")), *tk = json_string_value(json_object_get(d, "target_kind"));
            char shown[160] = "";
            if (tk && !strcmp(tk, "unit")) snprintf(shown, sizeof shown, "%s", name ? name : "");
            else if (name && *name) { /* a person: surname + 某 (portal_open.c) */
                size_t n = 1;
                while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80) n++;
                snprintf(shown, sizeof shown, "%.*s某", (int)n, name);
            }
            if (m && (exit || !strcmp(m, "fine") || !strcmp(m, "detention")))
                json_array_append_new(measures, json_pack("{s:s,s:s,s:s,s:s}", "measure", m, "measure_label",
                                                          exit ? "限制出境" : !strcmp(m, "fine") ? "罚款" : "拘留", "target", shown,
                                                          "decided_on", db_col_text(s, 1) ? db_col_text(s, 1) : ""));
            json_decref(d);
        }
        db_finalize(s);
    }
    json_t *lists = json_object();
    const char *ln[] = { "dishonest", "restricted", "debtor", "interim_closure" };
    for (int i = 0; i < 4; i++) json_object_set_new(lists, ln[i], json_pack("{s:[],s:i}", "items", "total", 0));
    zx_reply_json(r, 200, json_pack("{s:s,s:o,s:[],s:[],s:o,s:o}", "q", no, "lists", lists, "auctions", "rewards", "case_flow", flow,
                                    "measures", measures));
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

/* The "3+1" (docs/INDICATORS.md §8) and the cases pending at the month's end, per court and month:
 * one aggregate per month for the case figures (zx_ind_compute_by_court) and one for ③ and +1
 * (zx_tpo_by_court), over every court. */
typedef struct stats_ctx {
    json_t *rows;
    const char *month;
    int64_t court_ids[512];
    zx_tpo_counts tpo[512];
    zx_ind_counts ind[512]; /* a court's figures arrive in up to three rows (closed / closed later / open) */
    int n;
} stats_ctx;

static json_t *stats_row(json_t *rows, const char *court, const char *month)
{
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
        if (!strcmp(json_string_value(json_object_get(o, "court")), court) &&
            !strcmp(json_string_value(json_object_get(o, "month")), month))
            return o;
    }
    o = json_pack("{s:s,s:s,s:I,s:I,s:I}", "court", court, "month", month, "received", (json_int_t)0, "closed", (json_int_t)0,
                  "recovered_fen", (json_int_t)0);
    json_array_append_new(rows, o);
    return o;
}

static void stats_ind_cb(int64_t court_id, const zx_ind_counts *k, void *arg)
{
    stats_ctx *x = arg;
    for (int i = 0; i < x->n; i++)
        if (x->court_ids[i] == court_id) zx_ind_add(&x->ind[i], k);
}

static void stats_tpo_cb(int64_t court_id, const zx_tpo_counts *t, void *arg)
{
    stats_ctx *x = arg;
    for (int i = 0; i < x->n; i++)
        if (x->court_ids[i] == court_id) zx_tpo_add(&x->tpo[i], t);
}

static int stats_tpo(db_conn *c, json_t *rows, int year)
{
    stats_ctx *x = calloc(1, sizeof *x);
    if (!x) return -1;
    x->rows = rows;
    db_stmt *s = db_prepare(c, "SELECT id FROM court ORDER BY id");
    if (!s) return free(x), -1;
    while (db_step(s) == DB_ROW && x->n < 512) x->court_ids[x->n++] = db_col_int64(s, 0);
    db_finalize(s);
    int ty, tm, td;
    zx_date_to_ymd(zx_today(), &ty, &tm, &td);
    int rc = 0;
    for (int m = 1; m <= 12 && !rc; m++) {
        if (year > ty || (year == ty && m > tm)) break;
        char month[24];
        snprintf(month, sizeof month, "%04d-%02d", year, m);
        x->month = month;
        zx_date from = zx_date_from_ymd(year, m, 1), to = zx_date_add_months(from, 1) - 1;
        if (to > zx_today()) to = zx_today();
        zx_ind_query q = { .courts = x->court_ids, .ncourts = x->n, .from = from, .to = to };
        memset(x->tpo, 0, sizeof x->tpo);
        memset(x->ind, 0, sizeof x->ind);
        if (zx_ind_compute_by_court(c, &q, stats_ind_cb, x) || zx_tpo_by_court(c, &q, stats_tpo_cb, x)) rc = -1;
        for (int i = 0; i < x->n && !rc; i++) {
            const zx_ind_counts *k = &x->ind[i];
            if (!k->carried_over && !k->new_) continue;
            const zx_court *ct = zx_court_by_id(x->court_ids[i]);
            if (!ct) continue;
            json_t *j = zx_ind_json(k), *o = stats_row(x->rows, ct->name, month);
            zx_tpo_blank_empty(j, k, NULL); /* no denominator: "—", not 0 % */
            json_object_set(o, "pending", json_object_get(j, "pending"));
            json_object_set(o, "asset_case_on_time_rate", json_object_get(j, "asset_case_on_time_rate"));
            json_object_set(o, "interim_closure_compliance_rate", json_object_get(j, "interim_closure_compliance_rate"));
            json_decref(j);
        }
        for (int i = 0; i < x->n && !rc; i++) {
            if (!x->tpo[i].pet_handle && !x->tpo[i].y3_received) continue;
            const zx_court *ct = zx_court_by_id(x->court_ids[i]);
            if (!ct) continue;
            json_t *o = stats_row(rows, ct->name, month);
            zx_tpo_json_add(o, &x->tpo[i]);
            zx_tpo_blank_empty(o, NULL, &x->tpo[i]);
        }
    }
    free(x);
    return rc;
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
    if (stats_tpo(c, rows, (int)year)) {
        json_decref(rows);
        return zx_reply_error(r, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
    }
    /* every row carries every figure (counts 0 where a court had nothing that month; a rate whose
     * denominator is empty is null, "—" in the CSV) */
    static const char *const rates[] = { "asset_case_on_time_rate", "interim_closure_compliance_rate", "petition_closure_rate",
                                         "three_year_closure_rate" };
    size_t ri;
    json_t *ro;
    json_array_foreach(rows, ri, ro) {
        if (!json_object_get(ro, "pending")) json_object_set_new(ro, "pending", json_integer(0));
        for (int k = 0; k < 4; k++)
            if (!json_object_get(ro, rates[k])) json_object_set_new(ro, rates[k], json_null());
    }
    if (fmt && !strcmp(fmt, "csv")) {
        size_t cap = 512 + json_array_size(rows) * 300, n = 0;
        char *out = zx_alloc(r, cap);
        n += (size_t)snprintf(out + n, cap - n, "\xEF\xBB\xBF法院,月份,收案数,结案数,结案执行到位金额（元）,月末未结数,"
                                                "有财产可供执行案件法定期限内实际执结率,终本合格率,执行信访办结率,近三年执行案件整体结案率\r\n");
        size_t i;
        json_t *o;
        json_array_foreach(rows, i, o) {
            int64_t f = json_integer_value(json_object_get(o, "recovered_fen"));
            char rt[4][16];
            for (int k = 0; k < 4; k++) {
                json_t *v = json_object_get(o, rates[k]);
                if (json_is_number(v)) snprintf(rt[k], sizeof rt[k], "%.4f", json_number_value(v));
                else snprintf(rt[k], sizeof rt[k], "—");
            }
            n += (size_t)snprintf(out + n, cap - n, "%s,%s,%lld,%lld,%lld.%02lld,%lld,%s,%s,%s,%s\r\n",
                                  json_string_value(json_object_get(o, "court")), json_string_value(json_object_get(o, "month")),
                                  (long long)json_integer_value(json_object_get(o, "received")),
                                  (long long)json_integer_value(json_object_get(o, "closed")), (long long)(f / 100),
                                  (long long)(f % 100), (long long)json_integer_value(json_object_get(o, "pending")),
                                  rt[0], rt[1], rt[2], rt[3]);
        }
        json_decref(rows);
        return zx_reply_raw(r, 200, "text/csv; charset=utf-8", out, n, "attachment; filename=\"stats.csv\"");
    }
    zx_reply_json(r, 200, json_pack("{s:I,s:o}", "year", (json_int_t)year, "rows", rows));
}

static const struct zx_route portal_routes[] = {
    { "GET", "/api/v1/portal/stats", portal_stats, ZX_R_PUBLIC, 0, NULL, "公开统计：各法院每月收案、结案、执行到位金额（JSON / CSV）" },
    { "GET", "/api/v1/portal/search", portal_one_search, ZX_R_PUBLIC, 0, NULL,
      "一站式公开查询：失信、限消、被执行人、终本名单、司法拍卖标的与悬赏公告；输入案号则查流程信息与强制措施" },
    { "GET", "/api/v1/portal/credit/search", portal_search, ZX_R_PUBLIC, 0, NULL,
      "公开查询：失信、限消、被执行人、终本（姓名或证件号码，证件号脱敏）" },
    { "GET", "/api/v1/portal/credit/:list", portal_list, ZX_R_PUBLIC, 0, NULL,
      "公开查询单个名单（dishonest / restricted / debtor / interim_closure）" },
};
ZX_ROUTES(portal_routes)
