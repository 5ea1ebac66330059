/* dashboard.c — the command center's big screen for the province or city the caller oversees: the
 * court tree, the "3+1" against target, cases received / closed / pending this year, overdue and
 * about-to-expire cases, open supervision, commissioned tasks overdue, coordination, petitions due,
 * urgent matters and who is on call. Every tile names the list behind it (lists.c). Each figure is one
 * aggregate statement over an index of its table. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "case/indicators.h"
#include "command/command.h"
#include "command/rollup.h"
#include "command/tpo.h"
#include "core/ids.h"
#include "rules/command.h"

/* One count: fmt has one %s for the court IN list, bound first; then up to 3 texts. < 0 on error. */
static int64_t count(db_conn *c, const char *fmt, const int64_t *courts, int n, const char *t1, const char *t2)
{
    size_t cap = 16 + (size_t)n * 2;
    char *in = malloc(cap), *sql = malloc(strlen(fmt) + cap + 8);
    if (!in || !sql) {
        free(in), free(sql);
        return -1;
    }
    size_t k = (size_t)snprintf(in, cap, " IN (");
    for (int i = 0; i < n && k + 4 < cap; i++) k += (size_t)snprintf(in + k, cap - k, i ? ",?" : "?");
    snprintf(in + k, cap - k, ")");
    sprintf(sql, fmt, in);
    free(in);
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return -1;
    int bi = 1;
    for (int i = 0; i < n; i++) db_bind_int64(s, bi++, courts[i]);
    if (t1) db_bind_text(s, bi++, t1, -1);
    if (t2) db_bind_text(s, bi++, t2, -1);
    int64_t v = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return v;
}

static json_t *tree(const zx_court *ct, const int64_t *courts, int n, int depth)
{
    json_t *o = json_pack("{s:s, s:s, s:i}", "code", ct->code, "name", ct->name, "level", ct->level);
    if (depth > 4) return o;
    json_t *kids = json_array();
    for (int i = 0; i < n; i++) {
        const zx_court *k = zx_court_by_id(courts[i]);
        if (k && k->parent_id == ct->id) json_array_append_new(kids, tree(k, courts, n, depth + 1));
    }
    json_object_set_new(o, "children", kids);
    return o;
}

static json_t *tile(const char *label, int64_t value, const char *list, const char *status)
{
    return json_pack("{s:s, s:I, s:s, s:s?}", "label", label, "value", (json_int_t)value, "list", list, "status", status);
}

/* ---- the big screen's snapshot cache
 * Many screens auto-refresh the same province or city; the figures are aggregates over every case of
 * the scope. A computed dashboard is kept for DASH_TTL_MS per (root court, scope size, day) and shared by
 * every caller with that scope (the scope list is the visible subtree, the same for every command or
 * chief user of the root court); `fresh=1` recomputes. The answer says `cached` and `generated_ms`. */
#define DASH_TTL_MS 30000
#define DASH_SLOTS 32
static struct {
    int64_t root;
    int n;
    zx_date day;
    int64_t at_ms;
    json_t *body;
} dash_cache[DASH_SLOTS];
static pthread_mutex_t dash_mu = PTHREAD_MUTEX_INITIALIZER;

static json_t *cache_get(int64_t root, int n, zx_date day)
{
    json_t *out = NULL;
    int64_t now = zx_now_ms();
    pthread_mutex_lock(&dash_mu);
    for (int i = 0; i < DASH_SLOTS; i++)
        if (dash_cache[i].body && dash_cache[i].root == root && dash_cache[i].n == n && dash_cache[i].day == day &&
            now - dash_cache[i].at_ms < DASH_TTL_MS) {
            out = json_deep_copy(dash_cache[i].body);
            break;
        }
    pthread_mutex_unlock(&dash_mu);
    return out;
}

static void cache_put(int64_t root, int n, zx_date day, json_t *body)
{
    int64_t now = zx_now_ms();
    pthread_mutex_lock(&dash_mu);
    int slot = 0;
    for (int i = 0; i < DASH_SLOTS; i++) {
        if (dash_cache[i].root == root && dash_cache[i].n == n) {
            slot = i;
            break;
        }
        if (dash_cache[i].at_ms < dash_cache[slot].at_ms) slot = i;
    }
    json_decref(dash_cache[slot].body);
    dash_cache[slot].root = root;
    dash_cache[slot].n = n;
    dash_cache[slot].day = day;
    dash_cache[slot].at_ms = now;
    dash_cache[slot].body = json_deep_copy(body);
    pthread_mutex_unlock(&dash_mu);
}

static json_t *compute(zx_req *r, db_conn *c, const zx_court *root, const int64_t *courts, int n, zx_cmd_err *e);

json_t *zx_cmd_dashboard(zx_req *r, db_conn *c, const zx_court *root, const int64_t *courts, int n, zx_cmd_err *e)
{
    const char *fresh = zx_query(r, "fresh"), *raw = zx_query(r, "raw");
    bool bypass = (fresh && !strcmp(fresh, "1")) || (raw && !strcmp(raw, "1"));
    zx_date day = zx_today();
    json_t *o = bypass ? NULL : cache_get(root->id, n, day);
    if (o) {
        json_object_set_new(o, "cached", json_true());
    } else {
        o = compute(r, c, root, courts, n, e);
        if (!o) return NULL;
        if (!(raw && !strcmp(raw, "1"))) cache_put(root->id, n, day, o);
        json_object_set_new(o, "cached", json_false());
    }
    /* who is on call is read every time (a cheap indexed lookup) */
    char oncall[96] = "";
    int64_t oc = zx_duty_on_call(c, root->id, zx_now_ms(), oncall, sizeof oncall);
    json_object_set_new(o, "on_call", oc ? json_pack("{s:o, s:s}", "user_id", zx_cmd_jid(oc), "name", oncall) : json_null());
    return o;
}

static json_t *compute(zx_req *r, db_conn *c, const zx_court *root, const int64_t *courts, int n, zx_cmd_err *e)
{
    zx_date today = zx_today();
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    zx_ind_query q = { .courts = courts, .ncourts = n, .from = zx_date_from_ymd(y, 1, 1), .to = today };
    zx_ind_counts k;
    zx_tpo_counts t;
    /* from the roll-ups (migration 046, rollup.h); raw=1 reads the case rows (tests compare both) */
    const char *rq = zx_query(r, "raw");
    bool raw = rq && !strcmp(rq, "1");
    if (zx_rollup_compute(c, &q, raw, &k, &t) < 0) {
        zx_cmd_fail(e, 500, "DB_ERROR", "统计查询失败");
        return NULL;
    }
    json_t *ind = zx_ind_json(&k);
    zx_tpo_json_add(ind, &t);
    zx_tpo_json_petitions(ind, &t, k.new_);
    zx_tpo_blank_empty(ind, &k, &t);
    json_t *sc = zx_tpo_scorecard(ind);

    char td[11], soon[11], lead[11];
    zx_date_format(today, td);
    zx_date_format(today + 5, soon);
    zx_date_format(today + 5, lead);
    /* open cases by deadline (cmd_open_limit, migration 046) */
    int64_t overdue = zx_rollup_open_by_limit(c, courts, n, NULL, td, true, raw);
    int64_t expiring = zx_rollup_open_by_limit(c, courts, n, td, lead, false, raw);
    int64_t sup_open = count(c, "SELECT COUNT(*) FROM supervision_order WHERE to_court_id%s AND status <> 'closed'",
                             courts, n, NULL, NULL);
    int64_t sup_over = count(c, "SELECT COUNT(*) FROM supervision_order WHERE to_court_id%s"
                                " AND status IN ('issued','handling') AND due_on < ?", courts, n, td, NULL);
    int64_t com_in = count(c, "SELECT COUNT(*) FROM commission WHERE to_court_id%s AND status IN ('sent','accepted')",
                           courts, n, NULL, NULL);
    int64_t com_over = count(c, "SELECT COUNT(*) FROM commission WHERE to_court_id%s AND status IN ('sent','accepted')"
                                " AND due_on < ?", courts, n, td, NULL);
    int64_t com_out = count(c, "SELECT COUNT(*) FROM commission WHERE from_court_id%s AND status IN ('sent','accepted')",
                            courts, n, NULL, NULL);
    int64_t coord = count(c, "SELECT COUNT(*) FROM coordination WHERE superior_id%s AND status = 'open'", courts, n,
                          NULL, NULL);
    int64_t pet_open = count(c, "SELECT COUNT(*) FROM petition WHERE court_id%s AND status <> 'closed'", courts, n,
                             NULL, NULL);
    int64_t pet_due = count(c, "SELECT COUNT(*) FROM petition WHERE court_id%s AND status <> 'closed' AND due_on <= ?",
                            courts, n, soon, NULL);
    int64_t pet_over = count(c, "SELECT COUNT(*) FROM petition WHERE court_id%s AND status <> 'closed' AND due_on < ?",
                             courts, n, td, NULL);
    int64_t urgent = count(c, "SELECT COUNT(*) FROM urgent_matter WHERE court_id%s AND status = 'open'", courts, n,
                           NULL, NULL);
    if (overdue < 0 || expiring < 0 || sup_open < 0 || sup_over < 0 || com_in < 0 || com_over < 0 || com_out < 0 ||
        coord < 0 || pet_open < 0 || pet_due < 0 || pet_over < 0 || urgent < 0) {
        json_decref(ind);
        json_decref(sc);
        zx_cmd_fail(e, 500, "DB_ERROR", "统计查询失败");
        return NULL;
    }
    json_t *tiles = json_array();
    int64_t received = k.carried_over + k.new_;
    json_array_append_new(tiles, tile("收案", received, "cases_received", NULL));
    json_array_append_new(tiles, tile("已结", k.closed, "cases_closed", NULL));
    json_array_append_new(tiles, tile("未结", received - k.closed, "cases_pending", NULL));
    json_array_append_new(tiles, tile("超期未结", overdue, "overdue_cases", overdue ? "danger" : NULL));
    json_array_append_new(tiles, tile("五日内到期", expiring, "expiring_cases", expiring ? "warning" : NULL));
    json_array_append_new(tiles, tile("在办督办", sup_open, "supervision", NULL));
    json_array_append_new(tiles, tile("督办逾期未报", sup_over, "supervision", sup_over ? "danger" : NULL));
    json_array_append_new(tiles, tile("受托事项在办", com_in, "commissions", NULL));
    json_array_append_new(tiles, tile("受托事项超期", com_over, "commissions", com_over ? "danger" : NULL));
    json_array_append_new(tiles, tile("委托外院在办", com_out, "commissions", NULL));
    json_array_append_new(tiles, tile("协调案件在办", coord, "coordination", NULL));
    json_array_append_new(tiles, tile("信访在办", pet_open, "petitions", NULL));
    json_array_append_new(tiles, tile("信访五日内到期", pet_due, "petitions", pet_due ? "warning" : NULL));
    json_array_append_new(tiles, tile("信访超期", pet_over, "petitions", pet_over ? "danger" : NULL));
    json_array_append_new(tiles, tile("紧急事项待处置", urgent, "urgent", urgent ? "warning" : NULL));
    json_t *mods = json_object();
    if (zx_cmd_module_figures(c, courts, n, today, tiles, mods) < 0) {
        json_decref(mods);
        json_decref(tiles);
        json_decref(ind);
        json_decref(sc);
        zx_cmd_fail(e, 500, "DB_ERROR", "统计查询失败");
        return NULL;
    }
    char from[11];
    zx_date_format(q.from, from);
    json_t *out = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:I}", "court", root->code, "court_name",
                            root->name, "level", root->level, "from", from, "to", td, "indicators", ind,
                            "three_plus_one", sc, "tiles", tiles, "tree", tree(root, courts, n, 0),
                            "generated_ms", (json_int_t)zx_now_ms());
    if (out) json_object_update(out, mods);
    json_decref(mods);
    return out;
}
