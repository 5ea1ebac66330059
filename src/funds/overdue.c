/* overdue.c — money held too long (执行款超期未发放): per case the oldest unpaid arrival (FIFO over
 * the case account), its age in days and the buckets > 5 / > 10 / > 15 / > 30 days (the list a
 * 执行局长 checks every week; systems.md §4.3), the local limit (seed 000: 7 working days, per court),
 * the 30-day limit of 法发〔2017〕6号, and deferrals (active: not due; ended: due 10 days after). */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "funds/funds.h"
#include "funds/payouts.h"

static const char *bucket_of(int days)
{
    return days > 30 ? "gt30" : days > 15 ? "gt15" : days > 10 ? "gt10" : days > 5 ? "gt5" : "le5";
}

static void add_to(json_t *map, const char *key, const char *label, int64_t amount, bool overdue)
{
    json_t *o = json_object_get(map, key);
    if (!o) {
        o = json_pack("{s:s,s:i,s:I,s:i}", "name", label, "cases", 0, "amount_fen", (json_int_t)0, "overdue", 0);
        json_object_set_new(map, key, o);
    }
    json_object_set_new(o, "cases", json_integer(json_integer_value(json_object_get(o, "cases")) + 1));
    json_object_set_new(o, "amount_fen", json_integer(json_integer_value(json_object_get(o, "amount_fen")) + amount));
    if (overdue) json_object_set_new(o, "overdue", json_integer(json_integer_value(json_object_get(o, "overdue")) + 1));
}

static json_t *map_values(json_t *map)
{
    json_t *a = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(map, k, v) {
        json_object_set_new(v, "id", json_string(k));
        json_array_append(a, v);
    }
    json_decref(map);
    return a;
}

/* The payout clock of one case account (see payouts.h). */
int zx_funds_case_clock(db_conn *c, int64_t court_id, int64_t case_id, int64_t case_acc, zx_date today,
                        zx_funds_clock *out)
{
    memset(out, 0, sizeof *out);
    out->level = "ok";
    int rc = zx_funds_oldest_unpaid_tr(c, case_acc, out->oldest, &out->oldest_tid, &out->held_fen);
    if (rc < 0) return rc;
    if (!*out->oldest) return 1;
    zx_date od;
    if (zx_date_parse(out->oldest, &od)) return 1;
    out->oldest_on = od;
    zx_funds_settings st;
    zx_funds_settings_get(c, court_id, &st);
    out->warning_days = st.warning_days;
    zx_date local_due = st.local_limit_working ? zx_cal_add_working_days(od, st.local_limit_days) : od + st.local_limit_days;
    zx_date legal_due = od + ZX_PAYOUT_LIMIT_DAYS; /* 法发〔2017〕6号: within 30 days of arrival */
    char dstatus[24] = "", resume[11] = "";
    db_stmt *q = db_prepare(c, "SELECT status, COALESCE(resume_due_on, '') FROM fund_deferral WHERE case_id = ?"
                               " AND status IN ('active', 'ended') ORDER BY created_ms DESC LIMIT 1");
    if (!q) return DB_ERROR;
    db_bind_int64(q, 1, case_id);
    if (db_step(q) == DB_ROW) {
        snprintf(dstatus, sizeof dstatus, "%s", db_col_text(q, 0));
        snprintf(resume, sizeof resume, "%s", db_col_text(q, 1));
    }
    db_finalize(q);
    zx_date due = local_due < legal_due ? local_due : legal_due;
    bool ended = !strcmp(dstatus, "ended");
    if (ended && *resume) { /* 法发〔2017〕6号: within 10 days of the deferral's cause ending */
        zx_date rd;
        if (!zx_date_parse(resume, &rd) && rd > due) due = rd;
    }
    out->deferred = !strcmp(dstatus, "active");
    out->due = due;
    out->legal_due = legal_due;
    out->level = out->deferred ? "deferred" : today > legal_due && !ended ? "overdue_legal"
               : today > due ? "overdue" : today + st.warning_days >= due ? "warning" : "ok";
    return 0;
}

json_t *zx_funds_overdue(db_conn *c, const int64_t *courts, int ncourts, int64_t handler_id, zx_date today)
{
    if (ncourts <= 0) return NULL;
    if (ncourts > 200) ncourts = 200;
    char sql[4096];
    int n = snprintf(sql, sizeof sql,
                     "SELECT a.id, a.case_id, e.case_no, COALESCE(e.handler_id, 0), COALESCE(u.display_name, ''),"
                     " e.court_id, a.credits_posted - a.debits_posted, COALESCE(ct.name, '')"
                     " FROM fund_account a JOIN enf_case e ON e.id = a.case_id LEFT JOIN app_user u ON u.id = e.handler_id"
                     " LEFT JOIN court ct ON ct.id = e.court_id"
                     " WHERE a.kind = 2 AND a.credits_posted > a.debits_posted%s AND a.court_id IN (",
                     handler_id > 0 ? " AND e.handler_id = ?" : "");
    for (int i = 0; i < ncourts; i++) n += snprintf(sql + n, sizeof sql - (size_t)n, i ? ", ?" : "?");
    snprintf(sql + n, sizeof sql - (size_t)n, ") ORDER BY a.case_id");
    db_stmt *s = db_prepare(c, sql);
    if (!s) return NULL;
    int b = 1;
    if (handler_id > 0) db_bind_int64(s, b++, handler_id);
    for (int i = 0; i < ncourts; i++) db_bind_int64(s, b++, courts[i]);
    typedef struct row {
        int64_t acc, case_id, handler, court, bal;
        char case_no[64], handler_name[96], court_name[128];
    } row;
    row *rows = NULL;
    int nr = 0, cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (nr == cap) {
            cap = cap ? cap * 2 : 64;
            row *nrw = realloc(rows, (size_t)cap * sizeof *rows);
            if (!nrw) break;
            rows = nrw;
        }
        row *r = &rows[nr++];
        r->acc = db_col_int64(s, 0);
        r->case_id = db_col_int64(s, 1);
        snprintf(r->case_no, sizeof r->case_no, "%s", db_col_text(s, 2));
        r->handler = db_col_int64(s, 3);
        snprintf(r->handler_name, sizeof r->handler_name, "%s", db_col_text(s, 4));
        r->court = db_col_int64(s, 5);
        r->bal = db_col_int64(s, 6);
        snprintf(r->court_name, sizeof r->court_name, "%s", db_col_text(s, 7));
    }
    db_finalize(s);
    json_t *items = json_array(), *buckets = json_object(), *by_court = json_object(), *by_judge = json_object();
    const char *bk[] = { "gt30", "gt15", "gt10", "gt5", "le5" };
    const char *bl[] = { "超过30日", "超过15日", "超过10日", "超过5日", "5日以内" };
    for (int i = 0; i < 5; i++)
        json_object_set_new(buckets, bk[i], json_pack("{s:s,s:i,s:I}", "label", bl[i], "cases", 0, "amount_fen", (json_int_t)0));
    int64_t total = 0;
    int n_overdue = 0;
    for (int i = 0; i < nr; i++) {
        row *r = &rows[i];
        zx_funds_clock ck;
        if (zx_funds_case_clock(c, r->court, r->case_id, r->acc, today, &ck) != 0) continue;
        const char *oldest = ck.oldest, *level = ck.level;
        zx_date due = ck.due, legal_due = ck.legal_due;
        bool deferred = ck.deferred;
        int days = (int)(today - ck.oldest_on);
        bool over = !strncmp(level, "overdue", 7);
        const char *bucket = bucket_of(days);
        char cid[24], dd[11], ld[11];
        snprintf(cid, sizeof cid, "%lld", (long long)r->case_id);
        zx_date_format(due, dd);
        zx_date_format(legal_due, ld);
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:i,s:s,s:s,s:s,s:s,s:b}", "case_id", cid,
                                               "case_no", r->case_no, "court_name", r->court_name, "handler_name",
                                               r->handler_name, "amount_fen", (json_int_t)r->bal, "oldest_arrival_on",
                                               oldest, "days", days, "due_on", dd, "legal_due_on", ld, "level", level,
                                               "bucket", bucket, "deferred", deferred));
        if (!deferred) {
            json_t *bo = json_object_get(buckets, bucket);
            json_object_set_new(bo, "cases", json_integer(json_integer_value(json_object_get(bo, "cases")) + 1));
            json_object_set_new(bo, "amount_fen",
                                json_integer(json_integer_value(json_object_get(bo, "amount_fen")) + r->bal));
        }
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)r->court);
        add_to(by_court, key, r->court_name, r->bal, over);
        snprintf(key, sizeof key, "%lld", (long long)r->handler);
        add_to(by_judge, key, *r->handler_name ? r->handler_name : "未分配", r->bal, over);
        total += r->bal;
        n_overdue += over;
    }
    free(rows);
    char td[11];
    zx_date_format(today, td);
    return json_pack("{s:s,s:I,s:i,s:i,s:o,s:o,s:o,s:o}", "as_of", td, "total_fen", (json_int_t)total, "cases",
                     (int)json_array_size(items), "overdue_cases", n_overdue, "buckets", buckets, "by_court",
                     map_values(by_court), "by_judge", map_values(by_judge), "items", items);
}
