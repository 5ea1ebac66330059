/* lists.c — every list of the command center as one table shape {columns, rows}: the JSON the UI shows
 * and the spreadsheet the monthly 通报 needs (xlsx.c). Scope: the courts the caller oversees. */
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

#define LIST_MAX 2000

/* column types: s text, i integer, c court id → 代字, n court id → name, e enum label, b 0/1 → 是/否 */
typedef struct col {
    const char *key, *label;
    char type;
    const char *enum_kind;
} col;

static const struct { const char *kind, *value, *label; } enums[] = {
    { "sup_status", "issued", "已发函" },       { "sup_status", "handling", "办理中" },
    { "sup_status", "reported", "已报告" },     { "sup_status", "closed", "已办结" },
    { "source", "complaint", "当事人反映" },    { "source", "petition", "信访" },
    { "source", "public_opinion", "舆情" },     { "source", "review", "上级审查发现" },
    { "com_status", "sent", "待接收" },         { "com_status", "accepted", "办理中" },
    { "com_status", "returned", "已退回" },     { "com_status", "done", "已办结" },
    { "coord_status", "open", "协调中" },       { "coord_status", "decided", "已决定" },
    { "pet_status", "received", "待录入" },     { "pet_status", "registered", "办理中" },
    { "pet_status", "closed", "已办结" },       { "urg_status", "open", "待处置" },
    { "urg_status", "handled", "已处置" },      { "case_status", "open", "在办" },
    { "case_status", "suspended", "中止" },     { "case_status", "closed", "已结" },
};

static const char *enum_label(const char *kind, const char *v)
{
    if (!v) return "";
    if (!strcmp(kind, "task")) return zx_cmd_task_label(v);
    if (!strcmp(kind, "reason")) return zx_cmd_return_reason_label(v);
    if (!strcmp(kind, "channel")) return zx_cmd_petition_channel_label(v);
    if (!strcmp(kind, "urgent")) return zx_cmd_urgent_kind_label(v);
    if (!strcmp(kind, "escalation")) return zx_cmd_sup_escalation_label(v);
    for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++)
        if (!strcmp(enums[i].kind, kind) && !strcmp(enums[i].value, v)) return enums[i].label;
    return v;
}

static json_t *columns_json(const col *cols, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        if (cols[i].label) json_array_append_new(a, json_pack("{s:s, s:s}", "key", cols[i].key, "label", cols[i].label));
    return a;
}

/* " IN (?,?,…)" */
static void in_list(char *buf, size_t cap, int n)
{
    size_t k = (size_t)snprintf(buf, cap, " IN (");
    for (int i = 0; i < n && k + 4 < cap; i++) k += (size_t)snprintf(buf + k, cap - k, i ? ",?" : "?");
    snprintf(buf + k, cap - k, ")");
}

/* Runs sql (printf format with up to 3 %s for the court IN list) and maps columns by position. A
 * column with label NULL is returned in JSON (ids) but not shown/exported. */
static int run_table(db_conn *c, const char *fmt, int nin, const int64_t *courts, int n, const char *const *texts,
                     int ntexts, const col *cols, int ncols, json_t *rows)
{
    size_t cap = 16 + (size_t)n * 2;
    char *in = malloc(cap);
    size_t scap = strlen(fmt) + 3 * cap + 64;
    char *sql = malloc(scap);
    if (!in || !sql) {
        free(in), free(sql);
        return -1;
    }
    in_list(in, cap, n);
    snprintf(sql, scap, fmt, in, in, in);
    db_stmt *s = db_prepare(c, sql);
    free(in);
    free(sql);
    if (!s) return -1;
    int bi = 1;
    for (int k = 0; k < nin; k++)
        for (int i = 0; i < n; i++) db_bind_int64(s, bi++, courts[i]);
    for (int i = 0; i < ntexts; i++) db_bind_text(s, bi++, texts[i], -1);
    int rc, count = 0;
    while ((rc = db_step(s)) == DB_ROW && count++ < LIST_MAX) {
        json_t *o = json_object();
        for (int i = 0; i < ncols; i++) {
            const col *cl = &cols[i];
            json_t *v;
            switch (cl->type) {
            case 'i': v = json_integer(db_col_int64(s, i)); break;
            case 'I': v = zx_cmd_jid(db_col_int64(s, i)); break;
            case 'c': v = json_string(zx_cmd_court_code(db_col_int64(s, i))); break;
            case 'n': v = json_string(zx_cmd_court_name(db_col_int64(s, i))); break;
            case 'b': v = json_boolean(db_col_int64(s, i) != 0); break;
            case 'e': v = json_string(enum_label(cl->enum_kind, db_col_text(s, i))); break;
            default: v = db_col_text(s, i) ? json_string(db_col_text(s, i)) : json_null();
            }
            json_object_set_new(o, cl->key, v ? v : json_null());
        }
        json_array_append_new(rows, o);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

#define NC(a) ((int)(sizeof(a) / sizeof(a[0])))

static int list_supervision(zx_req *r, db_conn *c, const int64_t *courts, int n, zx_cmd_table *t, const char *today)
{
    static const col cols[] = {
        { "id", NULL, 'I', NULL },              { "order_no", "督办函号", 's', NULL },
        { "case_no", "案号", 's', NULL },       { "from_court_name", "督办法院", 'n', NULL },
        { "to_court_name", "被督办法院", 'n', NULL }, { "source", "来源", 'e', "source" },
        { "issued_on", "发函日期", 's', NULL }, { "due_on", "报告期限", 's', NULL },
        { "status", "状态", 'e', "sup_status" }, { "handler_name", "承办人", 's', NULL },
        { "escalation", "督办措施", 'e', "escalation" }, { "overdue", "是否逾期", 'b', NULL },
        { "to_court", NULL, 'c', NULL },
    };
    const char *st = zx_query(r, "status");
    const char *filter = !st || !*st || !strcmp(st, "all") ? ""
                         : !strcmp(st, "open")              ? " AND o.status <> 'closed'"
                         : !strcmp(st, "overdue")           ? " AND o.status IN ('issued','handling') AND o.due_on < ?"
                                                            : " AND o.status = 'closed'";
    char fmt[1024];
    snprintf(fmt, sizeof fmt,
             "SELECT o.id, o.order_no, e.case_no, o.from_court_id, o.to_court_id, o.source, o.issued_on, o.due_on, o.status,"
             " u.display_name, o.escalation, CASE WHEN o.status IN ('issued','handling') AND o.due_on < ? THEN 1 ELSE 0 END,"
             " o.to_court_id FROM supervision_order o JOIN enf_case e ON e.id = o.case_id"
             " LEFT JOIN app_user u ON u.id = o.handler_id WHERE o.to_court_id%%s%s ORDER BY o.due_on, o.id", filter);
    t->title = "督办事项台账";
    t->columns = columns_json(cols, NC(cols));
    /* the select-list placeholder comes before the IN list: bind order is today, courts…, [today] */
    size_t cap = 16 + (size_t)n * 2;
    char *in = malloc(cap), *sql = malloc(strlen(fmt) + cap + 16);
    if (!in || !sql) {
        free(in), free(sql);
        return -1;
    }
    in_list(in, cap, n);
    sprintf(sql, fmt, in);
    free(in);
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return -1;
    int bi = 1;
    db_bind_text(s, bi++, today, -1);
    for (int i = 0; i < n; i++) db_bind_int64(s, bi++, courts[i]);
    if (strstr(filter, "?")) db_bind_text(s, bi++, today, -1);
    int rc, count = 0;
    while ((rc = db_step(s)) == DB_ROW && count++ < LIST_MAX) {
        json_t *o = json_object();
        for (int i = 0; i < NC(cols); i++) {
            const col *cl = &cols[i];
            json_t *v;
            switch (cl->type) {
            case 'I': v = zx_cmd_jid(db_col_int64(s, i)); break;
            case 'c': v = json_string(zx_cmd_court_code(db_col_int64(s, i))); break;
            case 'n': v = json_string(zx_cmd_court_name(db_col_int64(s, i))); break;
            case 'b': v = json_boolean(db_col_int64(s, i) != 0); break;
            case 'e': v = json_string(enum_label(cl->enum_kind, db_col_text(s, i))); break;
            default: v = db_col_text(s, i) ? json_string(db_col_text(s, i)) : json_null();
            }
            json_object_set_new(o, cl->key, v ? v : json_null());
        }
        json_object_set_new(o, "status_code", json_string(db_col_text(s, 8)));
        json_array_append_new(t->rows, o);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Every court of the scope with its own cases: the "3+1" this year, targets met, and the rank. */
typedef struct c3 {
    int n;
    const int64_t *ids;
    zx_ind_counts *k;
    zx_tpo_counts *t;
} c3;

static void c3_ind(int64_t court_id, const zx_ind_counts *k, void *arg)
{
    c3 *a = arg;
    for (int i = 0; i < a->n; i++)
        if (a->ids[i] == court_id) zx_ind_add(&a->k[i], k);
}

static void c3_tpo(int64_t court_id, const zx_tpo_counts *t, void *arg)
{
    c3 *a = arg;
    for (int i = 0; i < a->n; i++)
        if (a->ids[i] == court_id) zx_tpo_add(&a->t[i], t);
}

static int list_courts_3p1(db_conn *c, const int64_t *courts, int n, zx_cmd_table *t)
{
    static const col cols[] = {
        { "rank", "排名", 'i', NULL },        { "court_name", "法院", 's', NULL },
        { "asset_case_on_time_rate", "有财产可供执行案件法定期限内执结率", 'f', NULL },
        { "interim_closure_compliance_rate", "无财产可供执行案件终本合格率", 'f', NULL },
        { "petition_closure_rate", "执行信访办结率", 'f', NULL },
        { "three_year_closure_rate", "近三年执行案件整体结案率", 'f', NULL },
        { "targets_met", "达标项数", 'i', NULL }, { "received", "收案", 'i', NULL },
        { "closed", "已结", 'i', NULL },
    };
    zx_date td = zx_today();
    int y, m, d;
    zx_date_to_ymd(td, &y, &m, &d);
    zx_ind_query q = { .courts = courts, .ncourts = n, .from = zx_date_from_ymd(y, 1, 1), .to = td };
    c3 a = { n, courts, calloc((size_t)n, sizeof(zx_ind_counts)), calloc((size_t)n, sizeof(zx_tpo_counts)) };
    if (!a.k || !a.t) {
        free(a.k), free(a.t);
        return -1;
    }
    int rc = zx_rollup_by_court(c, &q, false, c3_ind, c3_tpo, &a); /* roll-ups, migration 046 */
    if (!rc) {
        double *score = calloc((size_t)n, sizeof(double));
        json_t **rows = calloc((size_t)n, sizeof(json_t *));
        for (int i = 0; score && rows && i < n; i++) {
            json_t *o = zx_ind_json(&a.k[i]);
            zx_tpo_json_add(o, &a.t[i]);
            zx_tpo_blank_empty(o, &a.k[i], &a.t[i]);
            score[i] = zx_tpo_score(o);
            int met = zx_tpo_targets_met(o);
            json_t *r = json_object();
            json_object_set_new(r, "court", json_string(zx_cmd_court_code(courts[i])));
            json_object_set_new(r, "court_name", json_string(zx_cmd_court_name(courts[i])));
            for (int j = 0; j < 4; j++) json_object_set(r, zx_cmd_targets[j].key, json_object_get(o, zx_cmd_targets[j].key));
            json_object_set_new(r, "targets_met", json_integer(met));
            json_object_set(r, "received", json_object_get(o, "received"));
            json_object_set(r, "closed", json_object_get(o, "closed"));
            json_decref(o);
            rows[i] = r;
        }
        for (int i = 0; score && rows && i < n; i++) {
            int rank = 1;
            for (int j = 0; j < n; j++) rank += j != i && score[j] > score[i];
            /* a court with nothing measured is not ranked (rank null, shown "—", listed last) */
            json_object_set_new(rows[i], "rank", score[i] < 0 ? json_null() : json_integer(rank));
        }
        /* in rank order, the unranked last */
        for (int r = 1; score && rows && r <= n; r++)
            for (int i = 0; i < n; i++)
                if (rows[i] && json_integer_value(json_object_get(rows[i], "rank")) == r) {
                    json_array_append_new(t->rows, rows[i]);
                    rows[i] = NULL;
                }
        for (int i = 0; rows && i < n; i++)
            if (rows[i]) {
                json_array_append_new(t->rows, rows[i]);
                rows[i] = NULL;
            }
        for (int i = 0; rows && i < n; i++) json_decref(rows[i]);
        free(score);
        free(rows);
    }
    free(a.k);
    free(a.t);
    t->title = "3+1 指标排名";
    t->columns = columns_json(cols, NC(cols));
    return rc;
}

int zx_cmd_list(zx_req *r, db_conn *c, const char *kind, const int64_t *courts, int n, zx_cmd_table *t, zx_cmd_err *e)
{
    char today[11], soon[11];
    zx_date td = zx_today();
    zx_date_format(td, today);
    zx_date_format(td + 5, soon);
    t->rows = json_array();
    t->columns = NULL;
    int rc = 0;
    const char *st = zx_query(r, "status");
    bool open_only = st && !strcmp(st, "open");
    if (!strcmp(kind, "supervision")) {
        rc = list_supervision(r, c, courts, n, t, today);
    } else if (!strcmp(kind, "commissions")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },             { "commission_no", "委托函号", 's', NULL },
            { "task", "委托事项", 'e', "task" },   { "case_no", "案号", 's', NULL },
            { "from_court_name", "委托法院", 'n', NULL }, { "to_court_name", "受托法院", 'n', NULL },
            { "status", "状态", 'e', "com_status" }, { "sent_on", "委托日期", 's', NULL },
            { "accept_due_on", "接收期限", 's', NULL }, { "due_on", "办理期限", 's', NULL },
            { "return_reason", "退回理由", 'e', "reason" }, { "done_on", "办结日期", 's', NULL },
            { "overdue", "是否超期", 'b', NULL },
        };
        const char *dir = zx_query(r, "direction");
        const char *where = dir && !strcmp(dir, "in") ? "m.to_court_id%s" : dir && !strcmp(dir, "out") ? "m.from_court_id%s"
                                                                                                           : "(m.to_court_id%s OR m.from_court_id%s)";
        int nin = dir && (!strcmp(dir, "in") || !strcmp(dir, "out")) ? 1 : 2;
        char fmt[1200];
        snprintf(fmt, sizeof fmt,
                 "SELECT m.id, m.commission_no, m.task, e.case_no, m.from_court_id, m.to_court_id, m.status, m.sent_on,"
                 " m.accept_due_on, m.due_on, m.return_reason, m.done_on,"
                 " CASE WHEN m.status IN ('sent','accepted') AND m.due_on < '%s' THEN 1 ELSE 0 END"
                 " FROM commission m JOIN enf_case e ON e.id = m.case_id WHERE %s%s ORDER BY m.sent_on DESC, m.id",
                 today, where, open_only ? " AND m.status IN ('sent','accepted')" : "");
        t->title = "事项委托台账";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, fmt, nin, courts, n, NULL, 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "coordination")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },                 { "coordination_no", "协调案号", 's', NULL },
            { "case_no", "申请法院案号", 's', NULL },  { "court_a_name", "申请法院", 'n', NULL },
            { "court_b_name", "对方法院", 'n', NULL }, { "superior_name", "协调法院", 'n', NULL },
            { "asset", "争议财产", 's', NULL },        { "status", "状态", 'e', "coord_status" },
            { "filed_on", "立案日期", 's', NULL },     { "level_due_on", "本级期限", 's', NULL },
            { "decided_on", "决定日期", 's', NULL },
        };
        char fmt[1200];
        snprintf(fmt, sizeof fmt,
                 "SELECT k.id, k.coordination_no, e.case_no, k.court_a_id, k.court_b_id, k.superior_id, k.asset, k.status,"
                 " k.filed_on, k.level_due_on, k.decided_on FROM coordination k JOIN enf_case e ON e.id = k.case_id"
                 " WHERE (k.superior_id%%s OR k.court_a_id%%s OR k.court_b_id%%s)%s ORDER BY k.filed_on DESC, k.id",
                 open_only ? " AND k.status = 'open'" : "");
        t->title = "执行协调案件";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, fmt, 3, courts, n, NULL, 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "petitions")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },               { "petition_no", "信访编号", 's', NULL },
            { "court_name", "法院", 'n', NULL },     { "channel", "渠道", 'e', "channel" },
            { "petitioner_name", "信访人", 's', NULL }, { "case_no", "关联案号", 's', NULL },
            { "received_on", "收到日期", 's', NULL }, { "register_due_on", "录入期限", 's', NULL },
            { "registered_on", "录入日期", 's', NULL }, { "due_on", "办结期限", 's', NULL },
            { "status", "状态", 'e', "pet_status" }, { "closed_on", "办结日期", 's', NULL },
            { "is_repeat", "重复信访", 'b', NULL },   { "referred", "上级交办", 'b', NULL },
            { "resolved", "已化解", 'b', NULL },      { "content", NULL, 's', NULL },
            { "reply", NULL, 's', NULL },
        };
        const char *filter = !st || !*st || !strcmp(st, "all") ? ""
                             : !strcmp(st, "open")              ? " AND p.status <> 'closed'"
                             : !strcmp(st, "due")               ? " AND p.status <> 'closed' AND p.due_on <= ?"
                                                                : " AND p.status = 'closed'";
        char fmt[1200];
        snprintf(fmt, sizeof fmt,
                 "SELECT p.id, p.petition_no, p.court_id, p.channel, p.petitioner_name, p.case_no, p.received_on,"
                 " p.register_due_on, p.registered_on, p.due_on, p.status, p.closed_on, p.is_repeat,"
                 " CASE WHEN p.referred_by_id IS NULL THEN 0 ELSE 1 END, p.resolved, p.content, p.reply"
                 " FROM petition p WHERE p.court_id%%s%s ORDER BY p.received_on DESC, p.id", filter);
        const char *texts[] = { soon };
        t->title = "执行信访台账";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, fmt, 1, courts, n, texts, strstr(filter, "?") ? 1 : 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "duty")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },             { "court_name", "法院", 'n', NULL },
            { "user_name", "值班人员", 's', NULL }, { "role_note", "岗位", 's', NULL },
            { "starts_ms", "开始", 'i', NULL },    { "ends_ms", "结束", 'i', NULL },
        };
        char now_s[24], fmt[600];
        snprintf(now_s, sizeof now_s, "%lld", (long long)(zx_now_ms() - 24LL * 3600 * 1000));
        snprintf(fmt, sizeof fmt,
                 "SELECT d.id, d.court_id, u.display_name, d.role_note, d.starts_ms, d.ends_ms FROM duty_shift d"
                 " JOIN app_user u ON u.id = d.user_id WHERE d.court_id%%s AND d.ends_ms > %s ORDER BY d.starts_ms, d.id",
                 now_s);
        t->title = "值班表";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, fmt, 1, courts, n, NULL, 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "urgent")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },           { "court_name", "法院", 'n', NULL },
            { "kind", "类型", 'e', "urgent" },   { "summary", "事项", 's', NULL },
            { "location", "地点", 's', NULL },   { "case_no", "案号", 's', NULL },
            { "reported_ms", "报告时间", 'i', NULL }, { "assigned_name", "值班处置人", 's', NULL },
            { "status", "状态", 'e', "urg_status" }, { "outcome", "处置结果", 's', NULL },
        };
        char fmt[900];
        snprintf(fmt, sizeof fmt,
                 "SELECT m.id, m.court_id, m.kind, m.summary, m.location, e.case_no, m.reported_ms, u.display_name, m.status,"
                 " m.outcome FROM urgent_matter m LEFT JOIN enf_case e ON e.id = m.case_id LEFT JOIN app_user u"
                 " ON u.id = m.assigned_to WHERE m.court_id%%s%s ORDER BY m.reported_ms DESC, m.id",
                 open_only ? " AND m.status = 'open'" : "");
        t->title = "紧急事项登记";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, fmt, 1, courts, n, NULL, 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "interviews")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },             { "court_name", "被约谈法院", 'n', NULL },
            { "by_court_name", "约谈法院", 'n', NULL }, { "person", "被约谈人", 's', NULL },
            { "title", "职务", 's', NULL },        { "held_on", "约谈日期", 's', NULL },
            { "reason", "约谈事由", 's', NULL },   { "outcome", "约谈结果", 's', NULL },
        };
        t->title = "约谈记录";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c, "SELECT id, court_id, by_court_id, person, title, held_on, reason, outcome FROM court_interview"
                          " WHERE court_id%s ORDER BY held_on DESC, id",
                       1, courts, n, NULL, 0, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "overdue_cases") || !strcmp(kind, "expiring_cases")) {
        static const col cols[] = {
            { "id", NULL, 'I', NULL },          { "case_no", "案号", 's', NULL },
            { "court_name", "法院", 'n', NULL }, { "applicant_name", "申请执行人", 's', NULL },
            { "debtor_name", "被执行人", 's', NULL }, { "filed_on", "立案日期", 's', NULL },
            { "limit_date", "执行期限", 's', NULL }, { "handler_name", "承办人", 's', NULL },
            { "status", "状态", 'e', "case_status" },
        };
        bool overdue = !strcmp(kind, "overdue_cases");
        char lead[11];
        zx_date_format(td + 5, lead);
        const char *texts[] = { today, lead };
        t->title = overdue ? "超期未结案件" : "即将到期案件";
        t->columns = columns_json(cols, NC(cols));
        rc = run_table(c,
                       overdue ? "SELECT e.id, e.case_no, e.court_id, e.applicant_name, e.debtor_name, e.filed_on, e.limit_date,"
                                 " u.display_name, e.status FROM enf_case e LEFT JOIN app_user u ON u.id = e.handler_id"
                                 " WHERE e.court_id%s AND e.closed_on IS NULL AND e.type_code IN ('执','执恢','执保')"
                                 " AND e.limit_date < ? ORDER BY e.limit_date, e.id LIMIT 2000"
                               : "SELECT e.id, e.case_no, e.court_id, e.applicant_name, e.debtor_name, e.filed_on, e.limit_date,"
                                 " u.display_name, e.status FROM enf_case e LEFT JOIN app_user u ON u.id = e.handler_id"
                                 " WHERE e.court_id%s AND e.closed_on IS NULL AND e.type_code IN ('执','执恢','执保')"
                                 " AND e.limit_date >= ? AND e.limit_date <= ? ORDER BY e.limit_date, e.id LIMIT 2000",
                       1, courts, n, texts, overdue ? 1 : 2, cols, NC(cols), t->rows);
    } else if (!strcmp(kind, "courts_3p1")) {
        rc = list_courts_3p1(c, courts, n, t);
    } else if (!strcmp(kind, "commission_stats")) {
        static const col cols[] = {
            { "court_name", "受托法院", 's', NULL }, { "received", "收到", 'i', NULL },
            { "done", "办结", 'i', NULL },           { "returned", "退回", 'i', NULL },
            { "open", "在办", 'i', NULL },           { "overdue", "超期", 'i', NULL },
            { "avg_days", "平均办理天数", 'f', NULL }, { "return_rate", "退回率", 'f', NULL },
        };
        int y, m, d;
        zx_date_to_ymd(td, &y, &m, &d);
        json_decref(t->rows);
        t->rows = zx_com_stats(c, courts, n, zx_date_from_ymd(y, 1, 1), td);
        t->title = "事项委托统计";
        t->columns = columns_json(cols, NC(cols));
    } else if ((rc = zx_cmd_module_list(c, kind, courts, n, t)) != 1) {
        /* funds / inquiry / auction figures (modules.c) */
    } else {
        json_decref(t->rows);
        t->rows = NULL;
        return zx_cmd_fail(e, 404, "NOT_FOUND", "没有这个列表（请从左侧菜单进入）");
    }
    if (rc < 0) {
        json_decref(t->rows);
        json_decref(t->columns);
        t->rows = t->columns = NULL;
        return zx_cmd_fail(e, 500, "DB_ERROR", "查询失败");
    }
    return 0;
}
