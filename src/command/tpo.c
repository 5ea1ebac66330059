/* tpo.c — ③ 执行信访办结率 and +1 近三年执行案件整体结案率 (see tpo.h; formulas in docs/INDICATORS.md §8). */
#include "command/tpo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/command.h"

#define IND_TYPES "('执','执恢','执保')"

static size_t courts_in(char *sql, size_t cap, size_t n, int ncourts)
{
    n += (size_t)snprintf(sql + n, cap - n, " court_id IN (");
    for (int i = 0; i < ncourts && n + 4 < cap; i++) {
        if (i) sql[n++] = ',';
        sql[n++] = '?';
    }
    n += (size_t)snprintf(sql + n, cap - n, ")");
    return n;
}

/* Petitions: (a) closed in the range, (b) closed after it, (c) open — like the case aggregate.
 * Columns: [court_id,] handle, new, closed, on_time, resolved. */
static char *petition_sql(const zx_ind_query *q, bool by_court)
{
    size_t cap = 4096 + (size_t)q->ncourts * 8;
    char *sql = malloc(cap);
    if (!sql) return NULL;
    const char *pre = by_court ? "court_id, " : "";
    const char *h = q->handler_id > 0 ? " AND case_id IN (SELECT id FROM enf_case WHERE handler_id = ?)" : "";
    size_t n = 0;
    for (int part = 0; part < 3; part++) {
        if (part) n += (size_t)snprintf(sql + n, cap - n, " UNION ALL ");
        if (part == 0)
            n += (size_t)snprintf(sql + n, cap - n,
                                  "SELECT %sCOUNT(*), SUM(CASE WHEN received_on >= ? THEN 1 ELSE 0 END), COUNT(*),"
                                  " SUM(CASE WHEN closed_on <= due_on THEN 1 ELSE 0 END), SUM(resolved)"
                                  " FROM petition WHERE received_on <= ?%s AND", pre, h);
        else
            n += (size_t)snprintf(sql + n, cap - n,
                                  "SELECT %sCOUNT(*), SUM(CASE WHEN received_on >= ? THEN 1 ELSE 0 END), 0, 0, 0"
                                  " FROM petition WHERE received_on <= ?%s AND", pre, h);
        n = courts_in(sql, cap, n, q->ncourts);
        n += (size_t)snprintf(sql + n, cap - n, "%s",
                              part == 0 ? " AND closed_on >= ? AND closed_on <= ?"
                              : part == 1 ? " AND closed_on > ?" : " AND closed_on IS NULL");
        if (by_court) n += (size_t)snprintf(sql + n, cap - n, " GROUP BY court_id");
    }
    return sql;
}

/* Three years: cases filed in [y3from, to]: (a) closed by to, (b) closed after to, (c) open.
 * Columns: [court_id,] received, closed. */
static char *three_year_sql(const zx_ind_query *q, bool by_court)
{
    size_t cap = 4096 + (size_t)q->ncourts * 8;
    char *sql = malloc(cap);
    if (!sql) return NULL;
    const char *pre = by_court ? "court_id, " : "";
    size_t n = 0;
    for (int part = 0; part < 3; part++) {
        if (part) n += (size_t)snprintf(sql + n, cap - n, " UNION ALL ");
        n += (size_t)snprintf(sql + n, cap - n,
                              "SELECT %sCOUNT(*), %s FROM enf_case WHERE type_code IN " IND_TYPES
                              " AND filed_on >= ? AND filed_on <= ?%s AND", pre, part == 0 ? "COUNT(*)" : "0",
                              q->handler_id > 0 ? " AND handler_id = ?" : "");
        n = courts_in(sql, cap, n, q->ncourts);
        n += (size_t)snprintf(sql + n, cap - n, "%s",
                              part == 0 ? " AND closed_on >= ? AND closed_on <= ?"
                              : part == 1 ? " AND closed_on > ?" : " AND closed_on IS NULL");
        if (by_court) n += (size_t)snprintf(sql + n, cap - n, " GROUP BY court_id");
    }
    return sql;
}

static int run(db_conn *c, const zx_ind_query *q, bool by_court,
               void (*cb)(int64_t court_id, const zx_tpo_counts *t, void *arg), void *arg)
{
    if (q->ncourts <= 0) return 0;
    char from[11], to[11], y3[11];
    zx_date_format(q->from, from);
    zx_date_format(q->to, to);
    int y, m, d;
    zx_date_to_ymd(q->to, &y, &m, &d);
    zx_date_format(zx_date_from_ymd(y - 2, 1, 1), y3); /* 近三年: the year of `to` and the two before */
    int col0 = by_court ? 1 : 0;

    char *sql = petition_sql(q, by_court);
    if (!sql) return DB_ERROR;
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    int bi = 1;
    for (int part = 0; part < 3; part++) {
        db_bind_text(s, bi++, from, -1);
        db_bind_text(s, bi++, to, -1);
        if (q->handler_id > 0) db_bind_int64(s, bi++, q->handler_id);
        for (int k = 0; k < q->ncourts; k++) db_bind_int64(s, bi++, q->courts[k]);
        if (part == 0) {
            db_bind_text(s, bi++, from, -1);
            db_bind_text(s, bi++, to, -1);
        } else if (part == 1) {
            db_bind_text(s, bi++, to, -1);
        }
    }
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zx_tpo_counts t = { 0 };
        t.pet_handle = db_col_int64(s, col0);
        t.pet_new = db_col_int64(s, col0 + 1);
        t.pet_closed = db_col_int64(s, col0 + 2);
        t.pet_on_time = db_col_int64(s, col0 + 3);
        t.pet_resolved = db_col_int64(s, col0 + 4);
        cb(by_court ? db_col_int64(s, 0) : 0, &t, arg);
    }
    db_finalize(s);
    if (rc < 0) return rc;

    sql = three_year_sql(q, by_court);
    if (!sql) return DB_ERROR;
    s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERROR;
    bi = 1;
    for (int part = 0; part < 3; part++) {
        db_bind_text(s, bi++, y3, -1);
        db_bind_text(s, bi++, to, -1);
        if (q->handler_id > 0) db_bind_int64(s, bi++, q->handler_id);
        for (int k = 0; k < q->ncourts; k++) db_bind_int64(s, bi++, q->courts[k]);
        if (part == 0) {
            db_bind_text(s, bi++, y3, -1);
            db_bind_text(s, bi++, to, -1);
        } else if (part == 1) {
            db_bind_text(s, bi++, to, -1);
        }
    }
    while ((rc = db_step(s)) == DB_ROW) {
        zx_tpo_counts t = { 0 };
        t.y3_received = db_col_int64(s, col0);
        t.y3_closed = db_col_int64(s, col0 + 1);
        cb(by_court ? db_col_int64(s, 0) : 0, &t, arg);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

static void sum_cb(int64_t court_id, const zx_tpo_counts *t, void *arg)
{
    (void)court_id;
    zx_tpo_add(arg, t);
}

int zx_tpo_compute(db_conn *c, const zx_ind_query *q, zx_tpo_counts *out)
{
    memset(out, 0, sizeof *out);
    return run(c, q, false, sum_cb, out);
}

int zx_tpo_by_court(db_conn *c, const zx_ind_query *q,
                    void (*cb)(int64_t court_id, const zx_tpo_counts *t, void *arg), void *arg)
{
    return run(c, q, true, cb, arg);
}

void zx_tpo_add(zx_tpo_counts *a, const zx_tpo_counts *b)
{
    a->pet_handle += b->pet_handle;
    a->pet_new += b->pet_new;
    a->pet_closed += b->pet_closed;
    a->pet_on_time += b->pet_on_time;
    a->pet_resolved += b->pet_resolved;
    a->y3_received += b->y3_received;
    a->y3_closed += b->y3_closed;
}

void zx_tpo_json_add(json_t *o, const zx_tpo_counts *t)
{
    json_object_set_new(o, "petition_closure_rate", json_real(zx_ind_rate(t->pet_closed, t->pet_handle)));
    json_object_set_new(o, "three_year_closure_rate", json_real(zx_ind_rate(t->y3_closed, t->y3_received)));
}

void zx_tpo_json_petitions(json_t *o, const zx_tpo_counts *t, int64_t new_cases)
{
    json_object_set_new(o, "petitions_to_handle", json_integer(t->pet_handle));
    json_object_set_new(o, "petitions_new", json_integer(t->pet_new));
    json_object_set_new(o, "petitions_closed", json_integer(t->pet_closed));
    json_object_set_new(o, "petition_on_time_rate", json_real(zx_ind_rate(t->pet_on_time, t->pet_closed)));
    json_object_set_new(o, "petition_resolution_rate", json_real(zx_ind_rate(t->pet_resolved, t->pet_closed)));
    /* 案访比 as cases per petition, one decimal; 0 when no petition came in */
    double ratio = t->pet_new > 0 ? (double)((new_cases * 10 + t->pet_new / 2) / t->pet_new) / 10.0 : 0.0;
    json_object_set_new(o, "case_petition_ratio", json_real(ratio));
    json_object_set_new(o, "three_year_received", json_integer(t->y3_received));
    json_object_set_new(o, "three_year_closed", json_integer(t->y3_closed));
}

/* A figure whose denominator is empty for the court (no asset case closed, no 终本, no petition to
 * handle, no case filed in three years) is not 0 %: it is null — shown "—", neither met nor failed,
 * and left out of the ranking score. */
void zx_tpo_blank_empty(json_t *o, const zx_ind_counts *k, const zx_tpo_counts *t)
{
    if (k && k->asset_actual == 0) json_object_set_new(o, "asset_case_on_time_rate", json_null());
    if (k && k->closed_interim == 0) json_object_set_new(o, "interim_closure_compliance_rate", json_null());
    if (t && t->pet_handle == 0) json_object_set_new(o, "petition_closure_rate", json_null());
    if (t && t->y3_received == 0) json_object_set_new(o, "three_year_closure_rate", json_null());
}

json_t *zx_tpo_scorecard(json_t *o)
{
    json_t *sc = json_object();
    for (int i = 0; i < 4; i++) {
        const zx_cmd_target *t = &zx_cmd_targets[i];
        json_t *jv = json_object_get(o, t->key);
        bool has = json_is_number(jv);
        double v = has ? json_number_value(jv) : 0;
        json_object_set_new(sc, t->key, json_pack("{s:o, s:f, s:b, s:b, s:s}", "value", has ? json_real(v) : json_null(),
                                                  "target", t->target, "met", has && v >= t->target, "veto", t->veto,
                                                  "label", t->label));
    }
    return sc;
}

json_t *zx_tpo_targets_json(void)
{
    json_t *o = json_object();
    for (int i = 0; i < 4; i++) json_object_set_new(o, zx_cmd_targets[i].key, json_real(zx_cmd_targets[i].target));
    return o;
}

double zx_tpo_score(json_t *o)
{
    double s = 0;
    int avail = 0;
    for (int i = 0; i < 4; i++) {
        const zx_cmd_target *t = &zx_cmd_targets[i];
        json_t *jv = json_object_get(o, t->key);
        if (!json_is_number(jv)) continue; /* no denominator: not measured, not ranked on */
        double v = json_number_value(jv);
        avail++;
        if (v >= t->target) s += 10;
        double r = v / t->target;
        s += r > 1.2 ? 1.2 : r;
    }
    if (!avail) return -1; /* nothing to rank the court on */
    return s * 4.0 / avail;  /* scaled to four figures so courts with fewer measured figures compare */
}

int zx_tpo_targets_met(json_t *o)
{
    int met = 0;
    for (int j = 0; j < 4; j++) {
        json_t *jv = json_object_get(o, zx_cmd_targets[j].key);
        met += json_is_number(jv) && json_number_value(jv) >= zx_cmd_targets[j].target;
    }
    return met;
}
