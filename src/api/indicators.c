/* api/indicators.c — 质效指标 for the dashboard (issue 4 §8, docs/INDICATORS.md).
 *   GET /api/v1/indicators?court=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&subordinates=1][&handler=ID]
 *   GET /api/v1/indicators/trend?…same…           → {"months":[{"month":"YYYY-MM", …indicators}]}
 *   GET /api/v1/indicators/courts?court=&from=&to=[&scope=all] → the court's own cases and each direct
 *        subordinate court with its whole subtree, side by side (scope=all: every court of the subtree
 *        with its own cases); each row also carries the "3+1" (petition_closure_rate,
 *        three_year_closure_rate — src/command/tpo.h), their targets and a rank.
 * Access: zx_can_see_court for every court counted (command/chief see subordinate courts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "case/indicators.h"
#include "command/rollup.h"
#include "command/tpo.h"
#include "core/date.h"
#include "http/http.h"

#define MAX_COURTS 8192
#define MAX_MONTHS 120

/* Rates are rounded to 4 decimals; serialise reals with 15 significant digits so 0.7 reads "0.7", not
 * jansson's default 17-digit "0.69999999999999996". Steals body. */
static void reply_ind(zx_req *r, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!s) {
        zx_reply_json(r, 200, body);
        return;
    }
    json_decref(body);
    zx_reply_raw(r, 200, "application/json; charset=utf-8", s, strlen(s), NULL);
    free(s);
}

typedef struct ind_params {
    const zx_court *court;
    bool subordinates;
    zx_ind_query q;
    int64_t *courts;
} ind_params;

static bool parse_date_param(zx_req *r, const char *name, zx_date dflt, zx_date *out)
{
    const char *v = zx_query(r, name);
    if (!v || !*v) {
        *out = dflt;
        return true;
    }
    if (zx_date_parse(v, out) != 0) {
        zx_reply_error(r, 400, "BAD_DATE", "参数 %s 不是有效日期（YYYY-MM-DD）", name);
        return false;
    }
    return true;
}

/* Common parameters; replies and returns false on a bad request or missing access. */
static bool read_params(zx_req *r, ind_params *p, bool force_subtree)
{
    memset(p, 0, sizeof *p);
    const char *code = zx_query(r, "court");
    if (code && *code) p->court = zx_court_by_code(code);
    else p->court = zx_court_by_id(r->who.court_id);
    if (!p->court) {
        zx_reply_error(r, 404, "COURT_NOT_FOUND", "法院不存在：%s", code ? code : "");
        return false;
    }
    if (!zx_can_see_court(&r->who, p->court->id)) {
        zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院的指标");
        return false;
    }
    zx_date today = zx_today();
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    if (!parse_date_param(r, "from", zx_date_from_ymd(y, 1, 1), &p->q.from)) return false;
    if (!parse_date_param(r, "to", today, &p->q.to)) return false;
    if (p->q.to < p->q.from) {
        zx_reply_error(r, 400, "BAD_RANGE", "起始日期不能晚于截止日期");
        return false;
    }
    const char *h = zx_query(r, "handler");
    if (h && *h) {
        char *end;
        long long v = strtoll(h, &end, 10);
        if (*end || v <= 0) {
            zx_reply_error(r, 400, "BAD_REQUEST", "参数 handler 必须是用户编号");
            return false;
        }
        p->q.handler_id = v;
    }
    const char *sub = zx_query(r, "subordinates");
    p->subordinates = force_subtree || (sub && (!strcmp(sub, "1") || !strcmp(sub, "true")));
    p->courts = zx_alloc(r, sizeof(int64_t) * MAX_COURTS);
    if (p->subordinates) {
        int n = zx_court_subtree(p->court->id, p->courts, MAX_COURTS);
        if (n > MAX_COURTS) n = MAX_COURTS;
        /* Every counted court must be visible to the caller. */
        for (int i = 0; i < n; i++) {
            if (!zx_can_see_court(&r->who, p->courts[i])) {
                if (force_subtree) { /* comparison: keep only what the caller may see */
                    p->courts[i--] = p->courts[--n];
                    continue;
                }
                zx_reply_error(r, 403, "FORBIDDEN", "无权查看下级法院的指标");
                return false;
            }
        }
        p->q.ncourts = n;
    } else {
        p->courts[0] = p->court->id;
        p->q.ncourts = 1;
    }
    p->q.courts = p->courts;
    return true;
}

/* raw=1: compute from the case rows instead of the roll-ups of migration 046 (src/command/rollup.h) —
 * the same figures; tests and the benchmark compare both */
static bool want_raw(zx_req *r)
{
    const char *v = zx_query(r, "raw");
    return v && !strcmp(v, "1");
}

static void ind_get(zx_req *r)
{
    ind_params p;
    if (!read_params(r, &p, false)) return;
    zx_ind_counts k;
    zx_tpo_counts t; /* the "3+1" ③ and +1 (src/command/tpo.h) */
    if (zx_rollup_compute(zx_db(r), &p.q, want_raw(r), &k, &t) < 0) {
        zx_reply_error(r, 500, "DB_ERROR", "统计查询失败");
        return;
    }
    json_t *o = zx_ind_json(&k);
    zx_tpo_json_add(o, &t);
    reply_ind(r, o);
}

static void ind_trend(zx_req *r)
{
    ind_params p;
    if (!read_params(r, &p, false)) return;
    zx_ind_counts *out = zx_alloc(r, sizeof(zx_ind_counts) * MAX_MONTHS);
    char(*months)[8] = zx_alloc(r, 8 * MAX_MONTHS);
    int n = zx_ind_trend(zx_db(r), &p.q, out, months, MAX_MONTHS);
    if (n < 0) {
        zx_reply_error(r, 500, "DB_ERROR", "统计查询失败");
        return;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = zx_ind_json(&out[i]);
        json_object_set_new(o, "month", json_string(months[i]));
        json_array_append_new(arr, o);
    }
    char from[11], to[11];
    zx_date_format(p.q.from, from);
    zx_date_format(p.q.to, to);
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "court", p.court->code, "from", from, "to", to,
                             "months", arr);
    reply_ind(r, body);
}

/* Comparison across the direct subordinates of a court: each row rolls up a child's whole subtree;
 * the court's own cases are a row of their own ("own": true). */
typedef struct cmp_acc {
    int64_t root;
    int nchild;
    const zx_court *child[512];
    zx_ind_counts sum[513]; /* [nchild] = root's own */
    zx_tpo_counts tsum[513]; /* the "3+1" ③ and +1, same rows */
} cmp_acc;

/* index of the row a court's counts go to: the root's own row, a child's subtree, or -1 */
static int cmp_row(cmp_acc *a, int64_t court_id)
{
    if (court_id == a->root) return a->nchild;
    for (int i = 0; i < a->nchild; i++)
        if (zx_court_within(court_id, a->child[i]->id)) return i;
    return -1;
}

static void cmp_tpo_cb(int64_t court_id, const zx_tpo_counts *t, void *arg)
{
    cmp_acc *a = arg;
    int i = cmp_row(a, court_id);
    if (i >= 0) zx_tpo_add(&a->tsum[i], t);
}

static void cmp_cb(int64_t court_id, const zx_ind_counts *k, void *arg)
{
    cmp_acc *a = arg;
    if (court_id == a->root) {
        zx_ind_add(&a->sum[a->nchild], k);
        return;
    }
    for (int i = 0; i < a->nchild; i++) {
        if (zx_court_within(court_id, a->child[i]->id)) {
            zx_ind_add(&a->sum[i], k);
            return;
        }
    }
}

/* scope=all: a court's counts go to its own row only */
static void cmp_own_cb(int64_t court_id, const zx_ind_counts *k, void *arg)
{
    cmp_acc *a = arg;
    for (int i = 0; i < a->nchild; i++)
        if (a->child[i]->id == court_id) zx_ind_add(&a->sum[i], k);
}

static void cmp_tpo_own_cb(int64_t court_id, const zx_tpo_counts *t, void *arg)
{
    cmp_acc *a = arg;
    for (int i = 0; i < a->nchild; i++)
        if (a->child[i]->id == court_id) zx_tpo_add(&a->tsum[i], t);
}

/* rank rows on the "3+1" (targets met first, then how far above target; src/command/tpo.h) */
static void rank_rows(json_t *arr)
{
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        double si = zx_tpo_score(o);
        int rank = 1;
        for (size_t j = 0; j < n; j++)
            if (j != i && zx_tpo_score(json_array_get(arr, j)) > si) rank++;
        /* nothing measured (no case in any figure's denominator): not ranked */
        json_object_set_new(o, "rank", si < 0 ? json_null() : json_integer(rank));
    }
}

static void ind_courts(zx_req *r)
{
    ind_params p;
    if (!read_params(r, &p, true)) return;
    cmp_acc *a = zx_alloc(r, sizeof *a);
    memset(a, 0, sizeof *a);
    a->root = p.court->id;
    /* scope=all: one row per court of the subtree with its own cases (ranking every court) */
    const char *scope = zx_query(r, "scope");
    bool all = scope && !strcmp(scope, "all");
    if (all) a->root = 0;
    for (int i = 0; i < p.q.ncourts && a->nchild < 512; i++) {
        const zx_court *ct = zx_court_by_id(p.courts[i]);
        if (ct && (all || ct->parent_id == p.court->id)) a->child[a->nchild++] = ct;
    }
    /* stable order by code */
    for (int i = 1; i < a->nchild; i++)
        for (int j = i; j > 0 && strcmp(a->child[j - 1]->code, a->child[j]->code) > 0; j--) {
            const zx_court *t = a->child[j];
            a->child[j] = a->child[j - 1];
            a->child[j - 1] = t;
        }
    if (zx_rollup_by_court(zx_db(r), &p.q, want_raw(r), all ? cmp_own_cb : cmp_cb, all ? cmp_tpo_own_cb : cmp_tpo_cb,
                           a) < 0) {
        zx_reply_error(r, 500, "DB_ERROR", "统计查询失败");
        return;
    }
    json_t *arr = json_array();
    zx_ind_counts total;
    zx_tpo_counts ttotal;
    memset(&total, 0, sizeof total);
    memset(&ttotal, 0, sizeof ttotal);
    for (int i = 0; i <= a->nchild; i++) {
        const zx_court *ct = i < a->nchild ? a->child[i] : p.court;
        if (i == a->nchild && (all || (a->nchild > 0 && a->sum[i].carried_over + a->sum[i].new_ == 0 &&
                                        a->tsum[i].pet_handle == 0)))
            continue;
        json_t *o = zx_ind_json(&a->sum[i]);
        zx_tpo_json_add(o, &a->tsum[i]);
        zx_tpo_blank_empty(o, &a->sum[i], &a->tsum[i]);
        json_object_set_new(o, "targets", zx_tpo_targets_json());
        json_object_set_new(o, "level", json_integer(ct->level));
        zx_tpo_add(&ttotal, &a->tsum[i]);
        json_object_set_new(o, "court", json_string(ct->code));
        json_object_set_new(o, "court_name", json_string(ct->name));
        json_object_set_new(o, "own", json_boolean(i == a->nchild));
        json_array_append_new(arr, o);
        zx_ind_add(&total, &a->sum[i]);
    }
    char from[11], to[11];
    zx_date_format(p.q.from, from);
    zx_date_format(p.q.to, to);
    rank_rows(arr);
    json_t *tot = zx_ind_json(&total);
    zx_tpo_json_add(tot, &ttotal);
    zx_tpo_blank_empty(tot, &total, &ttotal);
    json_object_set_new(tot, "targets", zx_tpo_targets_json());
    json_object_set_new(tot, "court", json_string(p.court->code));
    json_object_set_new(tot, "court_name", json_string(p.court->name));
    json_t *body = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "court", p.court->code, "from", from, "to", to,
                             "total", tot, "courts", arr, "targets", zx_tpo_targets_json());
    reply_ind(r, body);
}

static const struct zx_route ind_routes[] = {
    { "GET", "/api/v1/indicators", ind_get, ZX_R_USER, ROLE_BUSINESS, NULL, "质效指标（法院/含下级/承办人，任意区间）" },
    { "GET", "/api/v1/indicators/trend", ind_trend, ZX_R_USER, ROLE_BUSINESS, NULL, "质效指标按月趋势" },
    { "GET", "/api/v1/indicators/courts", ind_courts, ZX_R_USER, ROLE_BUSINESS, NULL, "下级法院质效指标对比" },
};
ZX_ROUTES(ind_routes)
