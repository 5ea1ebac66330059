/* modules.c — the dashboard's figures from the other modules (issue 14 §7): money held too long
 * (funds: overdue buckets > 5/10/15/30 days, the same read as GET /funds/overdue), controls ending
 * within 30 days and lapsed (inquiry's control register), today's 查控 totals (the read behind
 * GET /inquiry/stats) and this month's auctions (open / sold / unsold rounds). Each figure has its
 * list for the drill-down and the Excel export (zx_cmd_module_list). Scope: the courts passed in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "command/command.h"
#include "core/date.h"
#include "funds/payouts.h"
#include "inquiry/inquiry.h"

#define CONTROL_LEAD_DAYS 30 /* issue 14 §7: controls expiring within 30 days */

static json_t *tile(const char *label, int64_t value, const char *list, const char *status, const char *unit,
                    int64_t amount_fen)
{
    json_t *o = json_pack("{s:s, s:I, s:s, s:s?, s:s?}", "label", label, "value", (json_int_t)value, "list", list,
                          "status", status, "unit", unit);
    if (amount_fen >= 0) json_object_set_new(o, "amount_fen", json_integer(amount_fen));
    return o;
}

static char *in_sql(const char *fmt, int n)
{
    size_t cap = 16 + (size_t)n * 2;
    char *in = malloc(cap), *sql = malloc(strlen(fmt) + cap + 8);
    if (!in || !sql) {
        free(in), free(sql);
        return NULL;
    }
    size_t k = (size_t)snprintf(in, cap, " IN (");
    for (int i = 0; i < n && k + 4 < cap; i++) k += (size_t)snprintf(in + k, cap - k, i ? ",?" : "?");
    snprintf(in + k, cap - k, ")");
    sprintf(sql, fmt, in);
    free(in);
    return sql;
}

/* fmt: one %s for the court IN list; then optional text t1 and integer i1. */
static db_stmt *prep(db_conn *c, const char *fmt, const int64_t *courts, int n, const char *t1, int64_t i1)
{
    char *sql = in_sql(fmt, n);
    if (!sql) return NULL;
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return NULL;
    int bi = 1;
    for (int i = 0; i < n; i++) db_bind_int64(s, bi++, courts[i]);
    if (t1) db_bind_text(s, bi++, t1, -1);
    if (i1 >= 0) db_bind_int64(s, bi++, i1);
    return s;
}

static int64_t one(db_conn *c, const char *fmt, const int64_t *courts, int n, const char *t1, int64_t i1)
{
    db_stmt *s = prep(c, fmt, courts, n, t1, i1);
    if (!s) return -1;
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return v;
}

static const char *const BK[] = { "gt5", "gt10", "gt15", "gt30" };
static const int BD[] = { 5, 10, 15, 30 };

static int bucket_index(int days)
{
    int b = -1;
    for (int i = 0; i < 4; i++)
        if (days > BD[i]) b = i;
    return b;
}

static const struct {
    const char *sql;
} Q[] = {
    /* open rounds now; sold and unsold rounds closed since the first of the month (ms) */
    { "SELECT COUNT(*) FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id WHERE l.court_id%s"
      " AND r.status IN ('announced','bidding')" },
    { "SELECT COUNT(*) FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id WHERE l.court_id%s"
      " AND r.status IN ('sold','paid') AND COALESCE(r.closed_ms, r.ends_ms) >= ?" },
    { "SELECT COUNT(*) FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id WHERE l.court_id%s"
      " AND r.status = 'unsold' AND COALESCE(r.closed_ms, r.ends_ms) >= ?" },
};

static int64_t month0_ms(zx_date today)
{
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    return ((int64_t)zx_date_from_ymd(y, m, 1) * 86400 - 8 * 3600) * 1000; /* Asia/Shanghai midnight */
}

typedef struct scope {
    const int64_t *courts;
    int n;
} scope;

static bool in_scope(int64_t court_id, void *arg)
{
    const scope *s = arg;
    for (int i = 0; i < s->n; i++)
        if (s->courts[i] == court_id) return true;
    return false;
}

int zx_cmd_module_figures(db_conn *c, const int64_t *courts, int n, zx_date today, json_t *tiles, json_t *out)
{
    /* ---- money held too long: the funds module's own read */
    json_t *ov = zx_funds_overdue(c, courts, n, 0, today);
    if (!ov) return -1;
    int64_t cases[4] = { 0 }, amount[4] = { 0 };
    json_t *by_court = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ov, "items"), i, it)
    {
        if (json_is_true(json_object_get(it, "deferred"))) continue;
        int b = bucket_index((int)json_integer_value(json_object_get(it, "days")));
        if (b < 0) continue;
        const char *cn = json_string_value(json_object_get(it, "court_name"));
        json_t *co = json_object_get(by_court, cn ? cn : "");
        if (!co) {
            co = json_pack("{s:s}", "court_name", cn ? cn : "");
            for (int k = 0; k < 4; k++) {
                json_object_set_new(co, BK[k], json_integer(0));
                char key[24];
                snprintf(key, sizeof key, "%s_fen", BK[k]);
                json_object_set_new(co, key, json_integer(0));
            }
            json_object_set_new(by_court, cn ? cn : "", co);
        }
        int64_t fen = json_integer_value(json_object_get(it, "amount_fen"));
        for (int k = 0; k <= b; k++) { /* > 30 days is also > 5, > 10 and > 15 */
            cases[k]++;
            amount[k] += fen;
            char key[24];
            snprintf(key, sizeof key, "%s_fen", BK[k]);
            json_object_set_new(co, BK[k], json_integer(json_integer_value(json_object_get(co, BK[k])) + 1));
            json_object_set_new(co, key, json_integer(json_integer_value(json_object_get(co, key)) + fen));
        }
    }
    json_decref(ov);
    json_t *bc = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(by_court, key, v) json_array_append(bc, v);
    json_decref(by_court);
    json_t *buckets = json_object();
    for (int k = 0; k < 4; k++)
        json_object_set_new(buckets, BK[k], json_pack("{s:I,s:I}", "cases", (json_int_t)cases[k], "amount_fen", (json_int_t)amount[k]));
    json_object_set_new(out, "funds_overdue", json_pack("{s:o,s:o}", "buckets", buckets, "by_court", bc));
    static const char *const tl[] = { "案款超5日未发放", "案款超10日未发放", "案款超15日未发放", "案款超30日未发放" };
    static const char *const ls[] = { "funds_overdue_gt5", "funds_overdue_gt10", "funds_overdue_gt15", "funds_overdue_gt30" };
    for (int k = 0; k < 4; k++)
        json_array_append_new(tiles, tile(tl[k], cases[k], ls[k], cases[k] ? (k == 3 ? "danger" : "warning") : NULL, NULL,
                                          amount[k]));

    /* ---- the control register */
    char lead[11], td[11];
    zx_date_format(today + CONTROL_LEAD_DAYS, lead);
    zx_date_format(today, td);
    int64_t expiring = one(c, "SELECT COUNT(*) FROM asset_control WHERE court_id%s AND status IN ('active','queued')"
                              " AND until_on <= ?", courts, n, lead, -1);
    int64_t lapsed = one(c, "SELECT COUNT(*) FROM asset_control WHERE court_id%s AND status = 'lapsed'", courts, n, NULL, -1);
    if (expiring < 0 || lapsed < 0) return -1;
    json_object_set_new(out, "controls", json_pack("{s:I,s:I,s:i}", "expiring", (json_int_t)expiring, "lapsed",
                                                   (json_int_t)lapsed, "within_days", CONTROL_LEAD_DAYS));
    json_array_append_new(tiles, tile("控制措施30日内到期", expiring, "controls_expiring", expiring ? "warning" : NULL, NULL, -1));
    json_array_append_new(tiles, tile("控制措施已失效", lapsed, "controls_lapsed", lapsed ? "danger" : NULL, NULL, -1));

    /* ---- today's 查控 */
    scope sc = { courts, n };
    json_t *inq = zx_inq_today_by_court(c, today, in_scope, &sc);
    if (!inq) return -1;
    int64_t tot[4] = { 0 };
    static const char *const ik[] = { "queried", "found", "frozen_fen", "deducted_fen" };
    json_array_foreach(inq, i, it) for (int k = 0; k < 4; k++) tot[k] += json_integer_value(json_object_get(it, ik[k]));
    json_object_set_new(out, "inquiry_today",
                        json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "date", td, "queried", (json_int_t)tot[0], "found",
                                  (json_int_t)tot[1], "frozen_fen", (json_int_t)tot[2], "deducted_fen", (json_int_t)tot[3],
                                  "courts", inq));
    json_array_append_new(tiles, tile("今日查询", tot[0], "inquiry_today", NULL, NULL, -1));
    json_array_append_new(tiles, tile("今日查到财产", tot[1], "inquiry_today", NULL, NULL, -1));
    json_array_append_new(tiles, tile("今日冻结金额", tot[2], "inquiry_today", NULL, "fen", -1));
    json_array_append_new(tiles, tile("今日扣划金额", tot[3], "inquiry_today", NULL, "fen", -1));

    /* ---- auctions this month */
    int64_t m0 = month0_ms(today);
    int64_t a_open = one(c, Q[0].sql, courts, n, NULL, -1), a_sold = one(c, Q[1].sql, courts, n, NULL, m0),
            a_unsold = one(c, Q[2].sql, courts, n, NULL, m0);
    if (a_open < 0 || a_sold < 0 || a_unsold < 0) return -1;
    json_object_set_new(out, "auctions", json_pack("{s:I,s:I,s:I}", "open", (json_int_t)a_open, "sold", (json_int_t)a_sold,
                                                   "unsold", (json_int_t)a_unsold));
    json_array_append_new(tiles, tile("拍卖进行中", a_open, "auctions_open", NULL, NULL, -1));
    json_array_append_new(tiles, tile("本月拍卖成交", a_sold, "auctions_sold", NULL, NULL, -1));
    json_array_append_new(tiles, tile("本月流拍", a_unsold, "auctions_unsold", a_unsold ? "warning" : NULL, NULL, -1));
    return 0;
}

/* ---- the lists behind those tiles */
static json_t *cols(const char *const *kv, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i += 2) json_array_append_new(a, json_pack("{s:s,s:s}", "key", kv[i], "label", kv[i + 1]));
    return a;
}

static json_t *yuan(int64_t fen)
{
    char b[32];
    snprintf(b, sizeof b, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(llabs(fen) / 100), (long long)(llabs(fen) % 100));
    return json_string(b);
}

static const char *level_label(const char *l)
{
    return !l ? "" : !strcmp(l, "overdue_legal") ? "超过法定30日" : !strcmp(l, "overdue") ? "超过本地期限"
                   : !strcmp(l, "warning") ? "即将到期" : !strcmp(l, "deferred") ? "暂缓发放" : "正常";
}

static const char *control_status_label(const char *s)
{
    return !strcmp(s, "active") ? "有效" : !strcmp(s, "queued") ? "轮候" : !strcmp(s, "lapsed") ? "已失效" : s;
}

int zx_cmd_module_list(db_conn *c, const char *kind, const int64_t *courts, int n, zx_cmd_table *t)
{
    zx_date today = zx_today();
    if (!strncmp(kind, "funds_overdue_gt", 16)) {
        int k = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(kind + 14, BK[i])) k = i;
        if (k < 0) return 1;
        static const char *const c_[] = { "case_no", "案号", "court_name", "法院", "handler_name", "承办人", "amount_yuan",
                                           "在账未发放金额（元）", "oldest_arrival_on", "最早到账日期", "days", "已存放天数",
                                           "due_on", "发放期限", "level", "状态" };
        static const char *const titles[] = { "案款超5日未发放", "案款超10日未发放", "案款超15日未发放", "案款超30日未发放" };
        json_t *ov = zx_funds_overdue(c, courts, n, 0, today);
        if (!ov) return -1;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(ov, "items"), i, it)
        {
            int days = (int)json_integer_value(json_object_get(it, "days"));
            if (json_is_true(json_object_get(it, "deferred")) || days <= BD[k]) continue;
            json_t *o = json_pack("{s:O,s:O,s:O,s:O,s:o,s:O,s:i,s:O,s:s}", "id", json_object_get(it, "case_id"), "case_no",
                                  json_object_get(it, "case_no"), "court_name", json_object_get(it, "court_name"), "handler_name",
                                  json_object_get(it, "handler_name"), "amount_yuan",
                                  yuan(json_integer_value(json_object_get(it, "amount_fen"))), "oldest_arrival_on",
                                  json_object_get(it, "oldest_arrival_on"), "days", days, "due_on", json_object_get(it, "due_on"),
                                  "level", level_label(json_string_value(json_object_get(it, "level"))));
            if (o) {
                json_object_set(o, "amount_fen", json_object_get(it, "amount_fen"));
                json_array_append_new(t->rows, o);
            }
        }
        json_decref(ov);
        t->title = titles[k];
        t->columns = cols(c_, sizeof c_ / sizeof c_[0]);
        return 0;
    }
    if (!strcmp(kind, "controls_expiring") || !strcmp(kind, "controls_lapsed")) {
        bool exp = !strcmp(kind, "controls_expiring");
        static const char *const c_[] = { "case_no", "案号", "court_name", "法院", "debtor", "被控制人", "kind", "措施",
                                           "asset", "财产", "institution", "协助执行机构", "amount_yuan", "控制金额（元）",
                                           "until", "到期日", "days_left", "剩余天数", "status", "状态" };
        char lead[11];
        zx_date_format(today + CONTROL_LEAD_DAYS, lead);
        db_stmt *s = prep(c, exp ? "SELECT k.id, k.case_no, t.court_id, COALESCE(p.name, ''), t.kind, COALESCE(a.identifier, ''),"
                                   " COALESCE(a.description, ''), COALESCE(i.name, ''), t.amount_fen, t.confirmed_fen, t.until_on, t.status"
                                   " FROM asset_control t JOIN asset a ON a.id = t.asset_id JOIN enf_case k ON k.id = t.case_id"
                                   " LEFT JOIN inquiry_institution i ON i.id = a.institution_id LEFT JOIN case_party p ON p.id = t.party_id"
                                   " WHERE t.court_id%s AND t.status IN ('active','queued') AND t.until_on <= ?"
                                   " ORDER BY t.until_on, t.id LIMIT 2000"
                                 : "SELECT k.id, k.case_no, t.court_id, COALESCE(p.name, ''), t.kind, COALESCE(a.identifier, ''),"
                                   " COALESCE(a.description, ''), COALESCE(i.name, ''), t.amount_fen, t.confirmed_fen, t.until_on, t.status"
                                   " FROM asset_control t JOIN asset a ON a.id = t.asset_id JOIN enf_case k ON k.id = t.case_id"
                                   " LEFT JOIN inquiry_institution i ON i.id = a.institution_id LEFT JOIN case_party p ON p.id = t.party_id"
                                   " WHERE t.court_id%s AND t.status = 'lapsed' ORDER BY t.until_on DESC, t.id LIMIT 2000",
                          courts, n, exp ? lead : NULL, -1);
        if (!s) return -1;
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            zx_date until = 0;
            const char *u = db_col_text(s, 10);
            bool has = u && !zx_date_parse(u, &until);
            char asset[256];
            snprintf(asset, sizeof asset, "%s%s%s", db_col_text(s, 5) ? db_col_text(s, 5) : "",
                     *db_col_text(s, 6) ? " " : "", db_col_text(s, 6));
            json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:o,s:s}", "id", zx_cmd_jid(db_col_int64(s, 0)),
                                  "case_no", db_col_text(s, 1), "court_name", zx_cmd_court_name(db_col_int64(s, 2)), "debtor",
                                  db_col_text(s, 3), "kind", !strcmp(db_col_text(s, 4), "seizure") ? "查封" : "冻结", "asset",
                                  asset, "institution", db_col_text(s, 7), "amount_yuan",
                                  yuan(strcmp(db_col_text(s, 11), "requested") ? db_col_int64(s, 9) : db_col_int64(s, 8)),
                                  "until", u, "days_left", has ? json_integer(until - today) : json_null(), "status",
                                  control_status_label(db_col_text(s, 11)));
            if (o) json_array_append_new(t->rows, o);
        }
        db_finalize(s);
        if (rc < 0) return -1;
        t->title = exp ? "控制措施30日内到期" : "控制措施已失效";
        t->columns = cols(c_, sizeof c_ / sizeof c_[0]);
        return 0;
    }
    if (!strcmp(kind, "inquiry_today")) {
        static const char *const c_[] = { "court_name", "法院", "queried", "查询完成", "found", "查到财产",
                                           "frozen_yuan", "冻结金额（元）", "deducted_yuan", "扣划金额（元）" };
        scope sc = { courts, n };
        json_t *inq = zx_inq_today_by_court(c, today, in_scope, &sc);
        if (!inq) return -1;
        size_t i;
        json_t *it;
        json_array_foreach(inq, i, it)
        {
            json_object_set_new(it, "frozen_yuan", yuan(json_integer_value(json_object_get(it, "frozen_fen"))));
            json_object_set_new(it, "deducted_yuan", yuan(json_integer_value(json_object_get(it, "deducted_fen"))));
            json_array_append(t->rows, it);
        }
        json_decref(inq);
        t->title = "今日查控情况";
        t->columns = cols(c_, sizeof c_ / sizeof c_[0]);
        return 0;
    }
    if (!strcmp(kind, "auctions_open") || !strcmp(kind, "auctions_sold") || !strcmp(kind, "auctions_unsold")) {
        int q = !strcmp(kind, "auctions_open") ? 0 : !strcmp(kind, "auctions_sold") ? 1 : 2;
        static const char *const c_[] = { "case_no", "案号", "court_name", "法院", "title", "标的", "round", "轮次",
                                           "start_yuan", "起拍价（元）", "current_yuan", "当前价或成交价（元）", "status", "状态" };
        static const char *const where[] = { " AND r.status IN ('announced','bidding')",
                                             " AND r.status IN ('sold','paid') AND COALESCE(r.closed_ms, r.ends_ms) >= ?",
                                             " AND r.status = 'unsold' AND COALESCE(r.closed_ms, r.ends_ms) >= ?" };
        char fmt[1024];
        snprintf(fmt, sizeof fmt,
                 "SELECT l.id, e.case_no, l.court_id, l.title, r.round_no, r.kind, r.start_fen, r.current_fen, r.status"
                 " FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id JOIN enf_case e ON e.id = l.case_id"
                 " WHERE l.court_id%%s%s ORDER BY r.ends_ms DESC, r.id LIMIT 2000", where[q]);
        db_stmt *s = prep(c, fmt, courts, n, NULL, q ? month0_ms(today) : -1);
        if (!s) return -1;
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            const char *st = db_col_text(s, 8);
            char round[32];
            int rn = (int)db_col_int64(s, 4);
            snprintf(round, sizeof round, "%s", !strcmp(db_col_text(s, 5), "fixed_sale") ? "变卖" : rn == 1 ? "一拍" : "二拍");
            json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "id", zx_cmd_jid(db_col_int64(s, 0)), "case_no",
                                  db_col_text(s, 1), "court_name", zx_cmd_court_name(db_col_int64(s, 2)), "title",
                                  db_col_text(s, 3), "round", round, "start_yuan", yuan(db_col_int64(s, 6)), "current_yuan",
                                  yuan(db_col_int64(s, 7)), "status",
                                  !strcmp(st, "announced") ? "公告中" : !strcmp(st, "bidding") ? "竞价中"
                                  : !strcmp(st, "unsold") ? "流拍" : !strcmp(st, "paid") ? "已付款" : "已成交");
            if (o) json_array_append_new(t->rows, o);
        }
        db_finalize(s);
        if (rc < 0) return -1;
        t->title = q == 0 ? "拍卖进行中" : q == 1 ? "本月拍卖成交" : "本月流拍";
        t->columns = cols(c_, sizeof c_ / sizeof c_[0]);
        return 0;
    }
    return 1;
}
