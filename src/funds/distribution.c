/* distribution.c — 参与分配 (民诉解释 2022 arts 506–515; rules.md §8): a plan from the admitted claims,
 * split to the fen so the parts sum exactly to the amount; the 15-day objection window; the plan as a
 * PDF (libhpdf, built-in CJK fonts, GBK via iconv — as src/case/documents.c does).
 *
 * Order (民诉解释 art 508): 执行费用 first, then 优先受偿债权, then 普通债权 pro rata to the admitted
 * amounts. For an enterprise debtor that was not transferred to bankruptcy (art 514), ordinary claims
 * are paid in the order of seizure (查封先后). Pro rata shares use the largest-remainder method: each
 * gets floor(amount × claim / total) and the fen left over go one each to the largest fractional
 * remainders (ties: the earlier claim), so Σ shares = amount exactly. */
#include <hpdf.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "funds/distribution.h"
#include "funds/funds.h"

static int class_rank(const char *c)
{
    return !strcmp(c, "cost") ? 0 : !strcmp(c, "priority") ? 1 : !strcmp(c, "ordinary") ? 2 : -1;
}

int zx_distribution_split(int64_t amount, zx_dist_claim *cl, int n, bool enterprise)
{
    if (amount < 0 || n < 0) return -1;
    for (int i = 0; i < n; i++) {
        if (cl[i].claim_fen < 0 || class_rank(cl[i].klass) < 0) return -1;
        cl[i].share_fen = 0;
    }
    int64_t left = amount;
    /* 1. costs, 2. priority claims: in full, in the order given (art 508). */
    for (int rank = 0; rank < 2; rank++)
        for (int i = 0; i < n && left > 0; i++)
            if (class_rank(cl[i].klass) == rank) {
                int64_t s = cl[i].claim_fen < left ? cl[i].claim_fen : left;
                cl[i].share_fen = s;
                left -= s;
            }
    if (left == 0) return 0;
    if (enterprise) { /* art 514: ordinary claims by order of seizure (earliest seized_on first; stable) */
        for (;;) {
            int best = -1;
            for (int i = 0; i < n; i++)
                if (class_rank(cl[i].klass) == 2 && cl[i].share_fen == 0 && cl[i].claim_fen > 0 &&
                    (best < 0 || strcmp(cl[i].seized_on, cl[best].seized_on) < 0))
                    best = i;
            if (best < 0 || left == 0) break;
            int64_t s = cl[best].claim_fen < left ? cl[best].claim_fen : left;
            cl[best].share_fen = s;
            left -= s;
        }
        return 0;
    }
    __int128 total = 0;
    for (int i = 0; i < n; i++)
        if (class_rank(cl[i].klass) == 2) total += cl[i].claim_fen;
    if (total == 0) return 0;
    if ((__int128)left >= total) { /* enough for everyone */
        for (int i = 0; i < n; i++)
            if (class_rank(cl[i].klass) == 2) cl[i].share_fen = cl[i].claim_fen;
        return 0;
    }
    /* largest remainder */
    __int128 *rem = calloc((size_t)(n ? n : 1), sizeof *rem);
    if (!rem) return -1;
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        if (class_rank(cl[i].klass) != 2) continue;
        __int128 p = (__int128)left * cl[i].claim_fen;
        cl[i].share_fen = (int64_t)(p / total);
        rem[i] = p % total;
        given += cl[i].share_fen;
    }
    for (int64_t k = left - given; k > 0; k--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (class_rank(cl[i].klass) == 2 && rem[i] >= 0 && (best < 0 || rem[i] > rem[best])) best = i;
        if (best < 0) break;
        cl[best].share_fen++;
        rem[best] = -1; /* one extra fen each at most */
    }
    free(rem);
    return 0;
}

/* ---- store ---- */
int zx_distribution_create(db_conn *c, int64_t case_id, int64_t user_id, int64_t amount, bool enterprise,
                           zx_dist_claim *cl, int n, int64_t *id_out, char *err, size_t errlen)
{
    if (n < 1 || n > 200) {
        snprintf(err, errlen, "债权应为1至200项");
        return 1;
    }
    if (amount <= 0) {
        snprintf(err, errlen, "分配金额必须大于零");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        zx_date d;
        if (!cl[i].creditor[0] || cl[i].claim_fen <= 0 || class_rank(cl[i].klass) < 0) {
            snprintf(err, errlen, "第%d项债权：须写明债权人、类别（cost/priority/ordinary）和正数金额", i + 1);
            return 1;
        }
        if (enterprise && class_rank(cl[i].klass) == 2 && zx_date_parse(cl[i].seized_on, &d)) {
            snprintf(err, errlen, "第%d项债权：企业法人被执行人的普通债权须写明查封日期（民诉解释第514条）", i + 1);
            return 1;
        }
    }
    int64_t court = 0;
    if (zx_funds_case_brief(c, case_id, &court, NULL, NULL) != 0) return -1;
    zx_fund_account a;
    if (zx_funds_case_account(c, case_id, &a) < 0) return -1;
    if (amount > zx_ledger_available(&a)) {
        char b[ZX_MONEY_BUF];
        snprintf(err, errlen, "分配金额超过案款账户可分配余额（%s 元）", zx_money_format(zx_ledger_available(&a), b));
        return 2;
    }
    if (zx_distribution_split(amount, cl, n, enterprise)) {
        snprintf(err, errlen, "分配方案无法计算");
        return 1;
    }
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO fund_distribution (id, case_id, court_id, amount_fen, enterprise, status, created_by,"
                               " created_ms) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, court);
    db_bind_int64(s, 4, amount);
    db_bind_int64(s, 5, enterprise);
    db_bind_int64(s, 6, user_id);
    db_bind_int64(s, 7, zx_now_ms());
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    for (int i = 0; i < n; i++) {
        s = db_prepare(c, "INSERT INTO fund_distribution_line (distribution_id, ord, creditor, class, claim_fen, seized_on,"
                          " share_fen) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, i + 1);
        db_bind_text(s, 3, cl[i].creditor, -1);
        db_bind_text(s, 4, cl[i].klass, -1);
        db_bind_int64(s, 5, cl[i].claim_fen);
        db_bind_text(s, 6, cl[i].seized_on[0] ? cl[i].seized_on : NULL, -1);
        db_bind_int64(s, 7, cl[i].share_fen);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:I,s:i}", "distribution_id", ids, "amount_fen", (json_int_t)amount, "claims", n);
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, "funds_distribution", "funds", zx_today(), d, NULL);
    json_decref(d);
    if (eid < 0) return -1;
    *id_out = id;
    return 0;
}

/* What the payouts naming a line (l) hold: paid, and in flight (pending_approval, approved, sent); a failed,
 * returned or cancelled payout gave its money back to the case account and holds nothing of the share. */
#define LINE_PAID "(SELECT COALESCE(SUM(p.amount_fen), 0) FROM fund_payout p WHERE p.distribution_id = l.distribution_id" \
                  " AND p.distribution_ord = l.ord AND p.status = 'paid')"
#define LINE_HELD "(SELECT COALESCE(SUM(p.amount_fen), 0) FROM fund_payout p WHERE p.distribution_id = l.distribution_id" \
                  " AND p.distribution_ord = l.ord AND p.status IN ('pending_approval', 'approved', 'sent'))"

json_t *zx_distribution_json(db_conn *c, int64_t id, int64_t *court_out)
{
    db_stmt *s = db_prepare(c, "SELECT d.case_id, e.case_no, d.amount_fen, d.enterprise, d.status, d.served_on,"
                               " d.objection_due_on, d.outcome, d.court_id, e.debtor_name, d.objected_on, d.counter_due_on,"
                               " d.opposed_on, d.suit_due_on, d.suit_on, d.created_ms FROM fund_distribution d"
                               " JOIN enf_case e ON e.id = d.case_id WHERE d.id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return NULL;
    }
    char ids[24], cid[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    snprintf(cid, sizeof cid, "%lld", (long long)db_col_int64(s, 0));
#define TXT(i) (db_col_text(s, i) ? json_string(db_col_text(s, i)) : json_null())
    json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:b,s:s,s:o,s:o,s:o,s:s}", "id", ids, "case_id", cid, "case_no", db_col_text(s, 1),
                          "amount_fen", (json_int_t)db_col_int64(s, 2), "enterprise", db_col_int64(s, 3) != 0, "status",
                          db_col_text(s, 4), "served_on", TXT(5), "objection_due_on", TXT(6), "outcome", TXT(7),
                          "debtor_name", db_col_text(s, 9) ? db_col_text(s, 9) : "");
    json_object_set_new(o, "objected_on", TXT(10));
    json_object_set_new(o, "counter_due_on", TXT(11));
    json_object_set_new(o, "opposed_on", TXT(12));
    json_object_set_new(o, "suit_due_on", TXT(13));
    json_object_set_new(o, "suit_on", TXT(14));
    json_object_set_new(o, "created_ms", json_integer(db_col_int64(s, 15)));
#undef TXT
    if (court_out) *court_out = db_col_int64(s, 8);
    db_finalize(s);
    /* per line, what its payouts hold: paid_fen (paid), held_fen (in flight), remaining_fen (still to pay) */
    json_t *lines = json_array();
    int64_t tp = 0, th = 0, tr = 0;
    s = db_prepare(c, "SELECT l.ord, l.creditor, l.class, l.claim_fen, l.seized_on, l.share_fen, " LINE_PAID ", " LINE_HELD
                      " FROM fund_distribution_line l WHERE l.distribution_id = ? ORDER BY l.ord");
    if (s) {
        db_bind_int64(s, 1, id);
        while (db_step(s) == DB_ROW) {
            int64_t share = db_col_int64(s, 5), paid = db_col_int64(s, 6), held = db_col_int64(s, 7);
            int64_t rem = share - paid - held > 0 ? share - paid - held : 0;
            tp += paid;
            th += held;
            tr += rem;
            json_t *l = json_pack("{s:i,s:s,s:s,s:I,s:o,s:I}", "ord", (int)db_col_int64(s, 0), "creditor", db_col_text(s, 1),
                                  "class", db_col_text(s, 2), "claim_fen", (json_int_t)db_col_int64(s, 3), "seized_on",
                                  db_col_text(s, 4) ? json_string(db_col_text(s, 4)) : json_null(), "share_fen",
                                  (json_int_t)share);
            json_object_set_new(l, "paid_fen", json_integer(paid));
            json_object_set_new(l, "held_fen", json_integer(held));
            json_object_set_new(l, "remaining_fen", json_integer(rem));
            json_array_append_new(lines, l);
        }
        db_finalize(s);
    }
    json_object_set_new(o, "lines", lines);
    json_object_set_new(o, "paid_fen", json_integer(tp));
    json_object_set_new(o, "held_fen", json_integer(th));
    json_object_set_new(o, "remaining_fen", json_integer(tr));
    return o;
}

const char *zx_distribution_status_label(const char *st)
{
    static const char *const k[][2] = {
        { "draft", "待送达" },
        { "served", "异议期内（民诉解释第509条）" },
        { "objected", "已提出异议，待其他债权人、被执行人反对（民诉解释第510条）" },
        { "opposed", "有反对意见，待异议人起诉（民诉解释第510条）" },
        { "litigating", "分配方案异议之诉审理中（民诉解释第510条）" },
        { "final", "方案已确定" },
    };
    for (size_t i = 0; st && i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(st, k[i][0])) return k[i][1];
    return "未知阶段";
}

/* The plan's state as stored. 0, 1 not found, -1. */
typedef struct dist_state {
    int64_t case_id;
    char status[16], served[11], objection_due[11], counter_due[11], suit_due[11];
} dist_state;

static int dist_load(db_conn *c, int64_t id, dist_state *d)
{
    memset(d, 0, sizeof *d);
    db_stmt *s = db_prepare(c, "SELECT case_id, status, served_on, objection_due_on, counter_due_on, suit_due_on"
                               " FROM fund_distribution WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        d->case_id = db_col_int64(s, 0);
        snprintf(d->status, sizeof d->status, "%s", db_col_text(s, 1));
#define CP(f, i) snprintf(d->f, sizeof d->f, "%s", db_col_text(s, i) ? db_col_text(s, i) : "")
        CP(served, 2);
        CP(objection_due, 3);
        CP(counter_due, 4);
        CP(suit_due, 5);
#undef CP
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int zx_distribution_line(db_conn *c, int64_t id, int ord, zx_dist_line *out)
{
    memset(out, 0, sizeof *out);
    dist_state st;
    int rc = dist_load(c, id, &st);
    if (rc) return rc;
    out->case_id = st.case_id;
    snprintf(out->status, sizeof out->status, "%s", st.status);
    db_stmt *s = db_prepare(c, "SELECT l.creditor, l.share_fen, " LINE_PAID ", " LINE_HELD " FROM fund_distribution_line l"
                               " WHERE l.distribution_id = ? AND l.ord = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, ord);
    rc = db_step(s);
    if (rc == DB_ROW) {
        snprintf(out->creditor, sizeof out->creditor, "%s", db_col_text(s, 0));
        out->share_fen = db_col_int64(s, 1);
        out->paid_fen = db_col_int64(s, 2);
        out->held_fen = db_col_int64(s, 3);
    }
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 2 : -1;
}

static int dist_event(db_conn *c, int64_t id, int64_t case_id, int64_t user_id, const char *kind, json_t *d)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_object_set_new(d, "distribution_id", json_string(ids));
    int64_t eid = zx_case_event_add(c, NULL, case_id, user_id, kind, "funds", zx_today(), d, NULL);
    json_decref(d);
    return eid < 0 ? -1 : 0;
}

int64_t zx_distribution_case(db_conn *c, int64_t id)
{
    dist_state d;
    int rc = dist_load(c, id, &d);
    return rc == 0 ? d.case_id : rc == 1 ? 0 : -1;
}

int zx_distribution_serve(db_conn *c, int64_t id, int64_t user_id, const char *served_on, char *err, size_t errlen)
{
    zx_date d;
    if (!served_on || zx_date_parse(served_on, &d) || d > zx_today()) {
        snprintf(err, errlen, "送达日期应为不晚于今日的日期（年-月-日）");
        return 1;
    }
    char due[11];
    zx_date_format(zx_cal_period_end_days(d, ZX_DISTRIBUTION_OBJECTION_DAYS), due); /* 民诉解释 art 509: 15 days */
    dist_state st;
    int rc = dist_load(c, id, &st);
    if (rc) return rc < 0 ? -1 : 2;
    db_stmt *s = db_prepare(c, "UPDATE fund_distribution SET status = 'served', served_on = ?, objection_due_on = ?"
                               " WHERE id = ? AND status = 'draft'");
    if (!s) return -1;
    db_bind_text(s, 1, served_on, -1);
    db_bind_text(s, 2, due, -1);
    db_bind_int64(s, 3, id);
    rc = db_step(s);
    int64_t ch = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (ch != 1) {
        snprintf(err, errlen, "方案不在待送达状态");
        return 2;
    }
    return dist_event(c, id, st.case_id, user_id, "funds_distribution_served",
                      json_pack("{s:s,s:s}", "served_on", served_on, "objection_due_on", due));
}

/* The next step of a served plan, 民诉解释 arts 509–510 (2022):
 *   served     no_objection          no written objection within 15 days of service (art 509) → final
 *              objection {on}        an objection within the window; the others are notified on `on` → objected,
 *                                    they may oppose within 15 days (art 510) → counter_due_on
 *   objected   revised               no opposition within those 15 days: revised per the objection → final
 *              opposition {on}       an opposition; the objector is notified on `on` → opposed, the objector may
 *                                    sue the opponents within 15 days (art 510) → suit_due_on
 *   opposed    no_suit               no suit within those 15 days: distributed by the original plan → final
 *              suit_filed {on}       the objector sued in time → litigating; money distributed meanwhile leaves the
 *                                    disputed amount in 提存 (art 510)
 *   litigating judgment              the suit decided: distributed accordingly → final
 * A step that needs a window to have passed is refused before that (409); a date outside its window too. */
int zx_distribution_outcome(db_conn *c, int64_t id, int64_t user_id, const char *outcome, const char *on, char *err,
                            size_t errlen)
{
    static const struct step {
        const char *outcome, *from, *to;
        bool dated; /* needs `on` within the window */
    } steps[] = {
        { "no_objection", "served", "final", false },   { "objection", "served", "objected", true },
        { "revised", "objected", "final", false },      { "opposition", "objected", "opposed", true },
        { "no_suit", "opposed", "final", false },       { "suit_filed", "opposed", "litigating", true },
        { "judgment", "litigating", "final", false },
    };
    const struct step *sp = NULL;
    for (size_t i = 0; outcome && i < sizeof steps / sizeof steps[0]; i++)
        if (!strcmp(outcome, steps[i].outcome)) sp = &steps[i];
    if (!sp) {
        snprintf(err, errlen, "请选择异议处理结果：期满无异议、提出异议、按异议修正、提出反对意见、未起诉、已起诉或诉讼已判决");
        return 1;
    }
    dist_state st;
    int rc = dist_load(c, id, &st);
    if (rc) return rc < 0 ? -1 : 2;
    if (strcmp(st.status, sp->from)) {
        snprintf(err, errlen, "方案当前所处阶段不能登记该结果");
        return 2;
    }
    /* the window this step closes or falls in */
    const char *window = !strcmp(sp->from, "served") ? st.objection_due : !strcmp(sp->from, "objected") ? st.counter_due
                       : !strcmp(sp->from, "opposed") ? st.suit_due : "";
    const char *art = !strcmp(sp->from, "served") ? "民诉解释第509条" : "民诉解释第510条";
    char today[11];
    zx_date_format(zx_today(), today);
    char on_s[11] = "", due2[11] = "";
    if (sp->dated) {
        zx_date d;
        if (!on || zx_date_parse(on, &d) || d > zx_today()) {
            snprintf(err, errlen, "请填写日期（年-月-日，不晚于今日）");
            return 1;
        }
        snprintf(on_s, sizeof on_s, "%s", on);
        if (strcmp(on_s, st.served) < 0 || (*window && strcmp(on_s, window) > 0)) {
            snprintf(err, errlen, "该日期不在期限内（%s 至 %s，%s）", st.served, window, art);
            return 2;
        }
        if (strcmp(sp->to, "litigating")) /* art 510: 15 days from the notice */
            zx_date_format(zx_cal_period_end_days(d, !strcmp(sp->to, "objected") ? ZX_DISTRIBUTION_COUNTER_DAYS
                                                                                : ZX_DISTRIBUTION_SUIT_DAYS), due2);
    } else if (*window && strcmp(today, window) <= 0) {
        snprintf(err, errlen, "期限（至 %s）尚未届满（%s）", window, art);
        return 2;
    }
    db_stmt *s = db_prepare(c, "UPDATE fund_distribution SET status = ?, outcome = ?,"
                               " objected_on = CASE WHEN ? = 'objection' THEN ? ELSE objected_on END,"
                               " counter_due_on = CASE WHEN ? = 'objection' THEN ? ELSE counter_due_on END,"
                               " opposed_on = CASE WHEN ? = 'opposition' THEN ? ELSE opposed_on END,"
                               " suit_due_on = CASE WHEN ? = 'opposition' THEN ? ELSE suit_due_on END,"
                               " suit_on = CASE WHEN ? = 'suit_filed' THEN ? ELSE suit_on END"
                               " WHERE id = ? AND status = ?");
    if (!s) return -1;
    int k = 1;
    db_bind_text(s, k++, sp->to, -1);
    db_bind_text(s, k++, outcome, -1);
    for (int i = 0; i < 5; i++) {
        db_bind_text(s, k++, outcome, -1);
        db_bind_text(s, k++, i == 1 || i == 3 ? due2 : on_s, -1);
    }
    db_bind_int64(s, k++, id);
    db_bind_text(s, k++, sp->from, -1);
    rc = db_step(s);
    int64_t ch = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (ch != 1) {
        snprintf(err, errlen, "方案当前所处阶段不能登记该结果");
        return 2;
    }
    json_t *d = json_pack("{s:s,s:s}", "outcome", outcome, "status", sp->to);
    if (*on_s) json_object_set_new(d, "on", json_string(on_s));
    if (*due2) json_object_set_new(d, "due_on", json_string(due2));
    return dist_event(c, id, st.case_id, user_id, "funds_distribution_step", d);
}

/* The case's plans, newest first (id, status, amount, dates, outcome). */
json_t *zx_distribution_list(db_conn *c, int64_t case_id)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM fund_distribution WHERE case_id = ? ORDER BY created_ms DESC, id DESC LIMIT 50");
    json_t *items = json_array();
    if (!s) return items;
    db_bind_int64(s, 1, case_id);
    int64_t ids[50];
    int n = 0;
    while (n < 50 && db_step(s) == DB_ROW) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        json_t *o = zx_distribution_json(c, ids[i], NULL);
        if (o) json_array_append_new(items, o);
    }
    return items;
}

/* ---- PDF ---- */
typedef struct pdf {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Font song, hei;
    iconv_t cd;
    float y;
    HPDF_STATUS err;
} pdf;

static void on_err(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)d;
    pdf *p = u;
    if (!p->err) p->err = e;
}

static void text_at(pdf *p, HPDF_Font f, float size, float x, const char *u8)
{
    size_t len = strlen(u8), cap = len * 2 + 4;
    char *g = malloc(cap), *in = (char *)u8, *op = g;
    size_t il = len, ol = cap - 1;
    if (!g) return;
    iconv(p->cd, NULL, NULL, NULL, NULL);
    if (iconv(p->cd, &in, &il, &op, &ol) == (size_t)-1) op = g + (op - g); /* keep what converted */
    *op = 0;
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, f, size);
    HPDF_Page_TextOut(p->page, x, p->y, g);
    HPDF_Page_EndText(p->page);
    free(g);
}

static void newline(pdf *p, float h)
{
    p->y -= h;
    if (p->y < 72) {
        p->page = HPDF_AddPage(p->doc);
        HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        p->y = 842 - 72 - h;
    }
}

int zx_distribution_pdf(json_t *plan, const char *court_name, unsigned char **out, size_t *outlen)
{
    pdf p;
    memset(&p, 0, sizeof p);
    p.cd = iconv_open("GBK//TRANSLIT", "UTF-8");
    if (p.cd == (iconv_t)-1) return -1;
    p.doc = HPDF_New(on_err, &p);
    if (!p.doc) {
        iconv_close(p.cd);
        return -1;
    }
    HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
    HPDF_UseCNSFonts(p.doc);
    HPDF_UseCNSEncodings(p.doc);
    p.song = HPDF_GetFont(p.doc, "SimSun", "GBK-EUC-H");
    p.hei = HPDF_GetFont(p.doc, "SimHei", "GBK-EUC-H");
    p.page = HPDF_AddPage(p.doc);
    HPDF_Page_SetSize(p.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p.y = 842 - 72;
    char buf[512], a[ZX_MONEY_BUF], b[ZX_MONEY_BUF];
    text_at(&p, p.hei, 18, 200, court_name && *court_name ? court_name : "人民法院");
    newline(&p, 30);
    text_at(&p, p.hei, 18, 220, "执行款分配方案");
    newline(&p, 30);
    snprintf(buf, sizeof buf, "案号：%s", json_string_value(json_object_get(plan, "case_no")));
    text_at(&p, p.song, 12, 72, buf);
    newline(&p, 20);
    snprintf(buf, sizeof buf, "被执行人：%s", json_string_value(json_object_get(plan, "debtor_name")));
    text_at(&p, p.song, 12, 72, buf);
    newline(&p, 20);
    snprintf(buf, sizeof buf, "可供分配金额：%s 元", zx_money_format(json_integer_value(json_object_get(plan, "amount_fen")), a));
    text_at(&p, p.song, 12, 72, buf);
    newline(&p, 20);
    text_at(&p, p.song, 12, 72, json_is_true(json_object_get(plan, "enterprise"))
                                    ? "分配顺序：执行费用、优先受偿债权，普通债权按查封先后顺序清偿（民诉解释第514条）。"
                                    : "分配顺序：执行费用、优先受偿债权，普通债权按比例清偿（民诉解释第508条）。");
    newline(&p, 28);
    text_at(&p, p.hei, 12, 72, "序号");
    text_at(&p, p.hei, 12, 110, "债权人");
    text_at(&p, p.hei, 12, 290, "类别");
    text_at(&p, p.hei, 12, 370, "确认债权（元）");
    text_at(&p, p.hei, 12, 470, "分配金额（元）");
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(plan, "lines"), i, v) {
        newline(&p, 20);
        const char *k = json_string_value(json_object_get(v, "class"));
        snprintf(buf, sizeof buf, "%d", (int)json_integer_value(json_object_get(v, "ord")));
        text_at(&p, p.song, 11, 72, buf);
        snprintf(buf, sizeof buf, "%.60s", json_string_value(json_object_get(v, "creditor")));
        text_at(&p, p.song, 11, 110, buf);
        text_at(&p, p.song, 11, 290, !strcmp(k, "cost") ? "执行费用" : !strcmp(k, "priority") ? "优先受偿" : "普通债权");
        text_at(&p, p.song, 11, 370, zx_money_format(json_integer_value(json_object_get(v, "claim_fen")), a));
        text_at(&p, p.song, 11, 470, zx_money_format(json_integer_value(json_object_get(v, "share_fen")), b));
    }
    newline(&p, 32);
    text_at(&p, p.song, 12, 72, "债权人或被执行人对本方案有异议的，应当自收到之日起十五日内向本院提出书面异议");
    newline(&p, 18);
    text_at(&p, p.song, 12, 72, "（《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第509条）。");
    int rc = 0;
    if (HPDF_SaveToStream(p.doc) != HPDF_OK || p.err) rc = -1;
    if (!rc) {
        HPDF_UINT32 size = HPDF_GetStreamSize(p.doc), got = size;
        unsigned char *o = malloc(size ? size : 1);
        HPDF_ResetStream(p.doc);
        if (!o || HPDF_ReadFromStream(p.doc, o, &got) != HPDF_OK) {
            if (got != size || !o) {
                free(o);
                rc = -1;
            }
        }
        if (!rc) {
            *out = o;
            *outlen = got;
        }
    }
    HPDF_Free(p.doc);
    iconv_close(p.cd);
    return rc;
}
