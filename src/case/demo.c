/* demo.c — demo enforcement cases for `zhixing init --demo` (issue 4 §11): about a year and a quarter
 * of a basic court's enforcement work — 辽0102 (沈阳市和平区, ~3,000 cases) and smaller volumes for
 * 辽0103, 辽1103, 辽1104 — with valid ID numbers (GB 11643) and 统一社会信用代码 (GB 32100), amounts
 * from ¥3,000 to ¥5,000,000 (log-normal), every 结案方式 in realistic proportions, 终本 closures with
 * and without a complete gate, 恢复执行 cases, and open cases around their deadlines relative to the
 * real today (some overdue, some inside the warning window) so the to-do lists are interesting.
 * Events are consistent with each case's state; clocks and case_deadline rows are then derived by
 * the case service (zx_case_refresh). Deterministic by seed (own PRNG). Rows are written directly
 * (schema 002) in one transaction per court; case_seq is set to the numbers used. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case/case.h"
#include "case/documents.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "rules/clocks.h"
#include "rules/credit_code.h"
#include "rules/fees.h"
#include "core/pii.h"
#include "credit/decisions.h"
#include "rules/id_number.h"

/* ---------------------------------------------------------------- PRNG (splitmix64) */
typedef struct rng {
    uint64_t s;
} rng;
static uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int rint_(rng *r, int lo, int hi) { return lo + (int)(rnext(r) % (uint64_t)(hi - lo + 1)); }
static double runi(rng *r) { return (double)(rnext(r) >> 11) / 9007199254740992.0; }
static bool rchance(rng *r, double p) { return runi(r) < p; }
static const char *rpick(rng *r, const char *const *v, int n) { return v[rnext(r) % (uint64_t)n]; }
static double rnormal(rng *r)
{
    double u1 = runi(r), u2 = runi(r);
    if (u1 < 1e-12) u1 = 1e-12;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---------------------------------------------------------------- names */
static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "于", "潘",
    "袁", "蒋", "蔡", "姜", "关", "佟", "白", "富", "那", "尹", "鲍", "闫", "邢", "孟", "常", "崔", "谷", "迟",
};
static const char *const GIVEN1[] = {
    "建", "国", "立", "春", "海", "文", "志", "晓", "永", "淑", "秀", "丽", "明", "玉", "宏", "德", "福", "桂",
    "凤", "长", "雪", "冬", "振", "庆", "红", "佳", "子", "宇", "欣", "雨", "俊", "博", "亚", "金", "树", "艳",
};
static const char *const GIVEN2[] = {
    "华", "军", "强", "平", "伟", "杰", "梅", "芳", "英", "兰", "霞", "敏", "静", "丹", "波", "刚", "明", "涛",
    "峰", "辉", "鹏", "宁", "彬", "琳", "娜", "超", "东", "林", "生", "成", "岩", "颖", "萍", "双", "莹", "鑫",
};
static const char *const CO_PLACE[] = { "沈阳", "辽宁", "盘锦", "大连", "鞍山", "抚顺", "辽河", "北方", "东北" };
static const char *const CO_WORD[] = { "鑫达", "宏远", "华盛", "金泰", "恒通", "瑞丰", "天成", "隆兴", "嘉禾",
                                       "盛世", "汇通", "永安", "广源", "兴业", "福瑞", "德润", "中鼎", "博远",
                                       "同创", "东盛", "鼎信", "万和", "润泽", "安泰" };
static const char *const CO_TRADE[] = { "商贸", "建筑工程", "机械制造", "房地产开发", "物流", "科技", "食品",
                                        "石油化工", "装饰工程", "农业发展", "餐饮管理", "汽车销售", "钢材",
                                        "医药", "广告传媒", "供热", "物业管理", "石油装备" };
static const char *const BANKS[] = { "中国工商银行股份有限公司", "中国农业银行股份有限公司", "中国银行股份有限公司",
                                     "中国建设银行股份有限公司", "交通银行股份有限公司", "盛京银行股份有限公司",
                                     "锦州银行股份有限公司", "中国邮政储蓄银行股份有限公司" };

typedef struct court_spec {
    const char *code;
    const char *region;   /* GB/T 2260 code of the district */
    const char *city;     /* for bank branches, arbitration */
    const char *district;
    int cases;            /* filings in the ~15 months */
} court_spec;

static const court_spec COURTS[] = {
    { "辽0102", "210102", "沈阳", "和平", 3000 },
    { "辽0103", "210103", "沈阳", "沈河", 1400 },
    { "辽1103", "211103", "盘锦", "兴隆台", 900 },
    { "辽1104", "211104", "盘锦", "大洼", 600 },
};
static const char *const PERSON_REGIONS[] = { "210102", "210103", "210104", "210105", "210106", "210111",
                                              "210112", "210113", "211102", "211103", "211104", "211122",
                                              "210302", "210402", "220102", "230102", "130102", "370102" };

/* ---------------------------------------------------------------- case model */
enum { M_OPEN = -1, M_COMPLETED, M_INTERIM, M_TERMINATION, M_WITHDRAWAL, M_NONENF, M_REJECTION };
static const char *const MODE_CODE[] = { "completed", "interim_closure", "termination", "withdrawal",
                                         "non_enforcement", "rejection" };

typedef struct party_g {
    bool unit;
    char name[128];
    char idno[19];      /* person ID or USCC */
    zx_date birth;
    int sex;            /* 1 M 2 F */
    char phone[16];
    char address[160];
} party_g;

typedef struct case_g {
    int64_t id;
    const char *type;   /* 执 / 执恢 / 执保 */
    zx_date applied, filed, closed;
    int mode;
    int64_t claim, recovered;
    bool assets, nonlit, gate_ok;
    int64_t handler;
    party_g app, debt;
    int basis_kind;     /* 0 judgment 1 mediation 2 arbitral_award 3 notarised_deed 4 administrative */
    char basis_doc[96];
    char basis_issuer[128];
    zx_date basis_eff;
    int parent;         /* index of parent case (执恢), -1 */
    int seq;
    bool deduct;        /* had a valuation period */
    bool near_deadline;
    zx_date resumed_on; /* filing of its first 执恢 case (ends the 6-monthly re-inquiries), 0 none */
} case_g;

static void person_name(rng *r, char *out, size_t cap)
{
    if (rchance(r, 0.35)) snprintf(out, cap, "%s%s", rpick(r, SURNAMES, 54), rpick(r, GIVEN2, 36));
    else snprintf(out, cap, "%s%s%s", rpick(r, SURNAMES, 54), rpick(r, GIVEN1, 36), rpick(r, GIVEN2, 36));
}

static void make_person(rng *r, party_g *p, zx_date today, const court_spec *ct)
{
    memset(p, 0, sizeof *p);
    person_name(r, p->name, sizeof p->name);
    const char *region = rchance(r, 0.6) ? ct->region : rpick(r, PERSON_REGIONS, 18);
    int y = rint_(r, 1950, 2002), m = rint_(r, 1, 12), d = rint_(r, 1, 28);
    p->birth = zx_date_from_ymd(y, m, d);
    if (p->birth > today - 18 * 366) p->birth = today - 20 * 366;
    int seq = rint_(r, 1, 998);
    zx_idno_make(region, p->birth, seq, p->idno);
    p->sex = (seq % 2) ? 1 : 2;
    snprintf(p->phone, sizeof p->phone, "1%02u%08u", (unsigned)rint_(r, 30, 89), (unsigned)rint_(r, 0, 99999999));
    snprintf(p->address, sizeof p->address, "%s市%s区%s路%d号", ct->city, ct->district,
             rpick(r, CO_WORD, 24), rint_(r, 1, 300));
}

static void make_unit(rng *r, party_g *p, const court_spec *ct, bool bank, long useq)
{
    memset(p, 0, sizeof *p);
    p->unit = true;
    if (bank)
        snprintf(p->name, sizeof p->name, "%s%s%s支行", rpick(r, BANKS, 8), ct->city, ct->district);
    else
        snprintf(p->name, sizeof p->name, "%s%s%s有限公司", rpick(r, CO_PLACE, 9), rpick(r, CO_WORD, 24),
                 rpick(r, CO_TRADE, 18));
    zx_uscc_make('9', '1', ct->region, useq, p->idno);
    snprintf(p->address, sizeof p->address, "%s市%s区%s街%d号", ct->city, ct->district, rpick(r, CO_WORD, 24),
             rint_(r, 1, 500));
}

/* ---------------------------------------------------------------- writers */
typedef struct wctx {
    db_conn *c;
    int64_t court_id;
    int64_t clerk_id, chief_id;
    int seq;       /* event seq within the current case */
    int64_t case_id;
    zx_date last_on; /* date of the case's last event so far: its events stay in date order */
} wctx;

static int add_event(wctx *w, zx_date on, int64_t user, const char *kind, const char *stage, const char *data,
                     int64_t *id_out)
{
    db_stmt *s = db_prepare(w->c, "INSERT INTO case_event (id, case_id, seq, at_ms, on_date, user_id, kind, stage, data)"
                                  " VALUES (?,?,?,?,?,?,?,?,?)");
    if (!s) return -1;
    if (on < w->last_on) on = w->last_on; /* nothing before what already happened in the case */
    w->last_on = on;
    char d[11];
    zx_date_format(on, d);
    int64_t id = zx_id_new();
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, w->case_id);
    db_bind_int64(s, 3, ++w->seq);
    db_bind_int64(s, 4, (int64_t)on * 86400000LL + 2 * 3600000LL + w->seq * 60000LL); /* ~10:00 Beijing */
    db_bind_text(s, 5, d, 10);
    db_bind_int64(s, 6, user);
    db_bind_text(s, 7, kind, -1);
    db_bind_text(s, 8, stage, -1);
    db_bind_text(s, 9, data ? data : "{}", -1);
    int rc = db_step(s);
    db_finalize(s);
    if (id_out) *id_out = id;
    return rc == DB_DONE ? 0 : -1;
}

/* The event seq after writers other than add_event (the credit module writes through the case module). */
static int resync_seq(wctx *w)
{
    db_stmt *s = db_prepare(w->c, "SELECT COALESCE(MAX(seq), 0) FROM case_event WHERE case_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, w->case_id);
    int rc = db_step(s);
    if (rc == DB_ROW) w->seq = (int)db_col_int64(s, 0);
    db_finalize(s);
    return rc == DB_ROW ? 0 : -1;
}

/* A 限消 (list "restricted": all nine items of 限消规定 art 3) or 失信 (list "dishonest", ground 1 of
 * 失信规定 art 1) decision for every debtor of the case, through the credit module's own procedure
 * (src/credit/decisions.c: the gate, the 院长's signature — 限消规定 art 5 — and service, then effect),
 * decided, signed and served on `on`. Returns 0 done, 1 refused by the credit rules (nothing written),
 * -1 on a store error. */
static int credit_order(wctx *w, zx_date on, const char *list)
{
    int64_t ids[8];
    int n = 0;
    db_stmt *s = db_prepare(w->c, "SELECT id FROM case_party WHERE case_id = ? AND role = 'debtor' ORDER BY ord");
    if (!s) return -1;
    db_bind_int64(s, 1, w->case_id);
    while (db_step(s) == DB_ROW && n < 8) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    zx_cd_actor a = { .r = NULL, .user_id = w->chief_id, .username = "demo" };
    char day[11];
    zx_date_format(on, day);
    bool dis = strcmp(list, "dishonest") == 0;
    for (int i = 0; i < n; i++) {
        zx_cd_err e = { 0 };
        json_t *body = dis ? json_pack("{s:I,s:I,s:s,s:i,s:s,s:s,s:i,s:b}", "case_id", (json_int_t)w->case_id, "party_id",
                                       (json_int_t)ids[i], "list", "dishonest", "ground", 1, "conduct",
                                       "有履行能力而拒不履行生效法律文书确定的给付义务", "decided_on", day, "grace_months", 0,
                                       "on_application", false)
                           : json_pack("{s:I,s:I,s:s,s:s,s:b}", "case_id", (json_int_t)w->case_id, "party_id",
                                       (json_int_t)ids[i], "list", "restricted", "decided_on", day, "on_application", false);
        int64_t did = zx_cd_propose(&a, w->c, body, false, NULL, &e);
        json_decref(body);
        if (did < 0) {
            int st = e.status;
            if (!dis || st < 400 || st >= 500) {
                char *x = e.extra ? json_dumps(e.extra, JSON_COMPACT) : NULL;
                LOG_ERROR("demo cases: %s refused: %d %s %s", list, st, e.message, x ? x : "");
                free(x);
            }
            if (e.extra) json_decref(e.extra);
            return st >= 400 && st < 500 ? 1 : -1;
        }
        json_t *sb = json_pack("{s:s}", "signed_on", day), *vb = json_pack("{s:s,s:s}", "served_on", day, "method", "direct");
        int rc = zx_cd_step(&a, w->c, did, "approve", sb, &e);
        if (!rc) rc = zx_cd_step(&a, w->c, did, "serve", vb, &e);
        json_decref(sb);
        json_decref(vb);
        if (e.extra) json_decref(e.extra);
        if (rc) {
            LOG_ERROR("demo cases: %s step failed: %s", list, e.message);
            return -1;
        }
    }
    if (on > w->last_on) w->last_on = on;
    return n > 0 && resync_seq(w) == 0 ? 0 : -1;
}

static void bind_date_or_null(db_stmt *s, int i, zx_date d)
{
    if (d == ZX_DATE_NONE) {
        db_bind_null(s, i);
        return;
    }
    char b[11];
    zx_date_format(d, b);
    db_bind_text(s, i, b, 10);
}

static int insert_party(wctx *w, const party_g *p, const char *role, int ord, zx_date filed)
{
    /* id_number holds the blind index, the values are sealed (core/pii.h, migration 020) */
    db_stmt *s = db_prepare(w->c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, id_number, credit_code,"
                                  " sex, birth_date, phone_enc, address_enc, court_id, filed_on, id_number_enc)"
                                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, w->case_id);
    db_bind_int64(s, 3, ord);
    db_bind_text(s, 4, role, -1);
    db_bind_text(s, 5, p->unit ? "unit" : "person", -1);
    db_bind_text(s, 6, p->name, -1);
    zx_pii_bind_index(s, 7, ZX_PII_ID_NUMBER, p->unit ? NULL : p->idno);
    db_bind_text(s, 8, p->unit ? p->idno : NULL, -1);
    db_bind_text(s, 9, p->unit ? NULL : p->sex == 1 ? "M" : "F", -1);
    bind_date_or_null(s, 10, p->unit ? ZX_DATE_NONE : p->birth);
    zx_pii_bind(s, 11, ZX_PII_PHONE, p->phone[0] ? p->phone : NULL);
    zx_pii_bind(s, 12, ZX_PII_ADDRESS, p->address);
    db_bind_int64(s, 13, w->court_id); /* party-name search (migration 006) */
    bind_date_or_null(s, 14, filed);
    zx_pii_bind(s, 15, ZX_PII_ID_NUMBER, p->unit ? NULL : p->idno);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static const char *const BASIS_KIND[] = { "judgment", "mediation", "arbitral_award", "notarised_deed", "administrative" };

static int insert_case(wctx *w, const court_spec *ct, case_g *k, const case_g *parent)
{
    char cn[64];
    int y, m, d;
    zx_date_to_ymd(k->filed, &y, &m, &d);
    snprintf(cn, sizeof cn, "（%d）%s%s%d号", y, ct->code, k->type, k->seq);
    db_stmt *s = db_prepare(w->c,
        "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, stage, status, track, handler_id,"
        " applied_on, filed_on, closed_on, closure_mode, closure_reason, claim_fen, recovered_fen, fee_fen,"
        " has_assets, non_litigation, deducted_days, extension_days, limit_date, gate_passed, parent_case_id,"
        " basis_kind, basis_issuer, basis_doc_no, basis_effective_on, basis_non_litigation, applicant_name,"
        " debtor_name, imported, created_ms, updated_ms)"
        " VALUES (?,?,?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?)");
    if (!s) return -1;
    /* a 终本 case is written open and closed after its events (the credit module decides on open cases) */
    bool closed = k->mode != M_OPEN && k->mode != M_INTERIM;
    int i = 1;
    db_bind_int64(s, i++, k->id);
    db_bind_text(s, i++, cn, -1);
    db_bind_int64(s, i++, y);
    db_bind_int64(s, i++, w->court_id);
    db_bind_text(s, i++, k->type, -1);
    db_bind_int64(s, i++, k->seq);
    static const char *const open_stages[] = { "property_inquiry", "property_control", "disposal", "funds",
                                               "adjudication", "service" };
    const char *stage = closed ? "closure" : k->mode == M_INTERIM ? "adjudication" : k->assets ? open_stages[1 + (int)(k->id % 3)] : open_stages[0];
    db_bind_text(s, i++, stage, -1);
    db_bind_text(s, i++, closed ? "closed" : "open", -1);
    db_bind_text(s, i++, k->claim <= 10000000 ? "fast" : "complex", -1);
    db_bind_int64(s, i++, k->handler);
    bind_date_or_null(s, i++, k->applied);
    bind_date_or_null(s, i++, k->filed);
    bind_date_or_null(s, i++, closed ? k->closed : ZX_DATE_NONE);
    db_bind_text(s, i++, closed ? MODE_CODE[k->mode] : NULL, -1);
    const char *reason = k->mode == M_TERMINATION ? "withdrawn"
                         : k->mode == M_WITHDRAWAL ? "applicant_withdrew"
                         : k->mode == M_REJECTION  ? "document_not_effective"
                                                   : NULL;
    db_bind_text(s, i++, reason, -1);
    db_bind_int64(s, i++, k->claim);
    db_bind_int64(s, i++, k->recovered);
    db_bind_int64(s, i++, k->claim > 0 ? zx_fee_enforcement(k->claim) : 5000);
    db_bind_int64(s, i++, k->assets);
    db_bind_int64(s, i++, k->nonlit);
    db_bind_int64(s, i++, 0); /* deducted_days: derived from events by zx_case_refresh */
    db_bind_int64(s, i++, 0);
    bind_date_or_null(s, i++, zx_clock_limit_date(k->filed, k->nonlit, 0, 0));
    db_bind_null(s, i++); /* gate_passed: set when a 终本 case is closed (close_interim) */
    if (parent) db_bind_int64(s, i++, parent->id);
    else db_bind_null(s, i++);
    db_bind_text(s, i++, BASIS_KIND[k->basis_kind], -1);
    db_bind_text(s, i++, k->basis_issuer, -1);
    db_bind_text(s, i++, k->basis_doc, -1);
    bind_date_or_null(s, i++, k->basis_eff);
    db_bind_int64(s, i++, k->nonlit);
    db_bind_text(s, i++, k->app.name, -1);
    db_bind_text(s, i++, k->debt.name, -1);
    db_bind_int64(s, i++, 0);
    int64_t ms = (int64_t)k->filed * 86400000LL + 2 * 3600000LL;
    db_bind_int64(s, i++, ms);
    db_bind_int64(s, i++, ms);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) {
        LOG_ERROR("demo cases: insert %s: %s", cn, db_errmsg(w->c));
        return -1;
    }
    if (insert_party(w, &k->app, "applicant", 1, k->filed) || insert_party(w, &k->debt, "debtor", 2, k->filed)) return -1;
    if (k->debt.unit) {
        party_g rep;
        rng pr = { (uint64_t)k->id };
        make_person(&pr, &rep, k->filed, ct);
        db_stmt *q = db_prepare(w->c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, id_number, sex,"
                                      " birth_date, of_party_id, role_of_unit, court_id, filed_on, id_number_enc) VALUES (?,?,3,'unit_person','person',?,?,?,?,"
                                      " (SELECT id FROM case_party WHERE case_id = ? AND ord = 2),'legal_rep',?,?,?)");
        if (!q) return -1;
        db_bind_int64(q, 1, zx_id_new());
        db_bind_int64(q, 2, w->case_id);
        db_bind_text(q, 3, rep.name, -1);
        zx_pii_bind_index(q, 4, ZX_PII_ID_NUMBER, rep.idno);
        db_bind_text(q, 5, rep.sex == 1 ? "M" : "F", -1);
        bind_date_or_null(q, 6, rep.birth);
        db_bind_int64(q, 7, w->case_id);
        db_bind_int64(q, 8, w->court_id);
        bind_date_or_null(q, 9, k->filed);
        zx_pii_bind(q, 10, ZX_PII_ID_NUMBER, rep.idno);
        rc = db_step(q);
        db_finalize(q);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

static zx_date clampd(zx_date d, zx_date hi) { return d > hi ? hi : d; }

/* Close a 终本 case written open (insert_case) once its events are in. */
static int close_interim(wctx *w, const case_g *k)
{
    db_stmt *s = db_prepare(w->c, "UPDATE enf_case SET status = 'closed', stage = 'closure', closed_on = ?,"
                                  " closure_mode = 'interim_closure', gate_passed = ? WHERE id = ?");
    if (!s) return -1;
    bind_date_or_null(s, 1, k->closed);
    if (k->gate_ok) db_bind_int64(s, 2, 1);
    else db_bind_null(s, 2);
    db_bind_int64(s, 3, k->id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* The event log of one case, consistent with its outcome. */
static int write_events(wctx *w, rng *r, case_g *k, zx_date today, bool docs, const char *handler_is_chief)
{
    (void)handler_is_chief;
    bool closed = k->mode != M_OPEN, exit_restricted = false;
    zx_date end = closed ? k->closed : today;
    char data[512];
    int64_t eid;
    w->seq = 0;
    w->last_on = 0;
    if (add_event(w, k->filed, w->clerk_id, "filed", "filing", "{}", NULL)) return -1;
    if (k->mode == M_REJECTION && end - k->filed < 10) goto close;
    zx_date t = clampd(k->filed + rint_(r, 1, 4), end);
    snprintf(data, sizeof data, "{\"handler_id\":\"%lld\"}", (long long)k->handler);
    if (add_event(w, t, w->clerk_id, "assigned", "property_inquiry", data, NULL)) return -1;
    if (t + 1 > end) goto close;
    t = clampd(t + rint_(r, 0, 2), end);
    if (add_event(w, t, k->handler, "enforcement_notice", "property_inquiry", "{\"with_report_order\":true}", &eid))
        return -1;
    if (docs && (zx_doc_generate(w->c, w->case_id, "enforcement_notice", eid, NULL) ||
                 zx_doc_generate(w->c, w->case_id, "property_report_order", eid, NULL)))
        return -1;
    if (t + 3 > end) goto close;
    t = clampd(t + rint_(r, 1, 6), end);
    snprintf(data, sizeof data, "{\"result\":\"%s\"}", k->assets ? "found" : "none");
    if (add_event(w, t, k->handler, "network_inquiry", k->assets ? "property_control" : "property_inquiry", data, NULL))
        return -1;
    if (t + 5 > end) goto close;
    t = clampd(t + rint_(r, 2, 8), end);
    bool reported = rchance(r, 0.85);
    if (add_event(w, t, k->handler, "property_report", "property_inquiry",
                  reported ? "{\"result\":\"verified\"}" : "{\"result\":\"not_reported\"}", NULL))
        return -1;
    /* Coercive measures on the open register (their own draws, so the rest of the case is unchanged): a
     * debtor who refused to report is fined or (a person) detained with the chief's signature (民诉法 arts
     * 118–119, 252); a person debtor is restricted from leaving the country on the applicant's written
     * application (民诉法 art 266, 执行程序解释 art 23), lifted once the debt is performed (art 24). */
    rng xr = { (uint64_t)k->id * 0x9E3779B97F4A7C15ull + 7 };
    if (k->mode == M_OPEN && !reported && t + 3 <= end && rchance(&xr, 0.5)) {
        bool detain = !k->debt.unit && rchance(&xr, 0.25);
        if (detain)
            snprintf(data, sizeof data, "{\"measure\":\"detention\",\"target_kind\":\"person\",\"target_name\":\"%s\",\"days\":%d,"
                                        "\"approver_id\":\"%lld\"}", k->debt.name, rint_(&xr, 5, 15), (long long)w->chief_id);
        else
            snprintf(data, sizeof data, "{\"measure\":\"fine\",\"target_kind\":\"%s\",\"target_name\":\"%s\",\"amount_fen\":%d,"
                                        "\"approver_id\":\"%lld\"}", k->debt.unit ? "unit" : "person", k->debt.name,
                     k->debt.unit ? rint_(&xr, 5, 20) * 1000000 : rint_(&xr, 1, 10) * 1000000, (long long)w->chief_id);
        if (add_event(w, t, k->handler, "coercive_measure", "property_inquiry", data, NULL))
            return -1;
    }
    if (!k->debt.unit && k->mode != M_REJECTION && k->mode != M_NONENF && t + 10 <= end && rchance(&xr, 0.05)) {
        snprintf(data, sizeof data, "{\"basis\":\"applicant_request\",\"target_kind\":\"person\",\"target_name\":\"%s\","
                                    "\"reason\":\"申请执行人书面申请：被执行人近期有出境记录\"}", k->debt.name);
        if (add_event(w, t, k->handler, "exit_restriction", "property_inquiry", data, NULL))
            return -1;
        exit_restricted = true;
    }
    if (k->assets && t + 5 <= end) {
        t = clampd(t + rint_(r, 1, 10), end);
        if (add_event(w, t, k->handler, "control_measure", "property_control",
                      rchance(r, 0.6) ? "{\"measure\":\"freeze\",\"target\":\"银行存款\"}"
                                      : "{\"measure\":\"seize\",\"target\":\"不动产\"}", NULL))
            return -1;
    }
    if (k->deduct && t + 40 <= end) {
        zx_date v0 = t + rint_(r, 3, 10);
        if (add_event(w, v0, k->handler, "valuation_start", "disposal", "{}", NULL)) return -1;
        t = v0 + rint_(r, 15, 30);
        if (add_event(w, clampd(t, end), k->handler, "valuation_end", "disposal", "{}", NULL)) return -1;
    }
    /* unpaid after the notice period: consumption restriction */
    if (k->mode == M_INTERIM) {
        /* 终本 (终本规定 art 1(2)): the 限消 order over all nine items, signed by the 院长 and served —
         * through the credit module, which the 终本 gate reads as of the closure date */
        zx_date lim = k->closed - 1;
        t = clampd(t + rint_(r, 3, 20), lim);
        if (credit_order(w, t, "restricted")) return -1;
        /* 失信 for the qualifying debtor (失信规定 art 1(1)), or the reason recorded why not */
        zx_date dl = clampd(t + rint_(r, 1, 10), lim);
        int lrc = k->debt.unit || rchance(r, 0.7) ? credit_order(w, dl, "dishonest") : 1;
        if (lrc < 0) return -1;
        if (add_event(w, dl, k->handler, "dishonest_listing_recorded", "adjudication",
                      lrc == 0 ? "{\"listed\":true}" : "{\"listed\":false,\"reason\":\"不符合失信条件\"}", NULL))
            return -1;
        t = dl;
    } else if (k->mode == M_OPEN && strcmp(k->type, "执保") && t + 10 <= end && rchance(r, 0.25)) {
        /* (执保: no judgment obligation yet; about a quarter of the open cases here; demo_decisions.c adds 限消 with each 失信 listing) */
        /* an open case unpaid after the notice period: the same 限消 order as above, through the credit
         * module (one path: decision over all nine items, the 院长's signature, service, effect). Closed
         * cases other than 终本 get none: their debtors performed, withdrew or were never bound. */
        t = clampd(t + rint_(r, 3, 20), end);
        if (credit_order(w, t, "restricted") < 0) return -1;
    }
    if (k->mode == M_INTERIM) {
        /* the rest of the 终本 gate (终本规定 art 1–6): onsite, disposal failed, interview, approval */
        zx_date lim = k->closed - 1;
        if (k->assets) {
            if (add_event(w, clampd(t + 12, lim), k->handler, "onsite_investigation", "property_inquiry",
                          "{\"result\":\"found\"}", NULL) ||
                add_event(w, clampd(t + 20, lim), k->handler, "auction_start", "disposal", "{}", NULL) ||
                add_event(w, clampd(t + 50, lim), k->handler, "auction_end", "disposal", "{\"result\":\"unsold\"}", NULL))
                return -1;
        }
        if (k->gate_ok) {
            if (add_event(w, clampd(k->closed - rint_(r, 3, 12), lim), k->handler, "interview", "closure",
                          "{\"applicant_view\":\"申请执行人知悉执行情况，同意终结本次执行程序\"}", NULL) ||
                add_event(w, lim, w->chief_id, "chief_approval", "closure", "{\"for\":\"interim_closure\"}", NULL))
                return -1;
        }
    }
    if (k->mode == M_COMPLETED || (k->recovered > 0 && k->mode != M_OPEN)) {
        snprintf(data, sizeof data, "{\"amount_fen\":%lld}", (long long)k->recovered);
        if (add_event(w, clampd(t + rint_(r, 1, 20), end), k->handler, "payment_received", "funds", data, NULL))
            return -1;
    } else if (k->mode == M_OPEN && k->recovered > 0) {
        snprintf(data, sizeof data, "{\"amount_fen\":%lld}", (long long)k->recovered);
        if (add_event(w, clampd(t + rint_(r, 1, 20), end), k->handler, "payment_received", "funds", data, NULL))
            return -1;
    }
    if (k->mode == M_TERMINATION || k->mode == M_WITHDRAWAL) {
        if (add_event(w, clampd(end - 1, end), k->handler, "applicant_withdrawal", "closure",
                      "{\"reason\":\"双方达成和解，申请执行人撤回执行申请\"}", NULL))
            return -1;
    }
close:
    if (!closed) return 0;
    if (exit_restricted && k->mode == M_COMPLETED) { /* performed: lifted (执行程序解释 art 24) */
        snprintf(data, sizeof data, "{\"target_name\":\"%s\",\"reason\":\"performed\"}", k->debt.name);
        if (add_event(w, k->closed, k->handler, "exit_restriction_lifted", "closure", data, NULL)) return -1;
    }
    snprintf(data, sizeof data, "{\"mode\":\"%s\"}", MODE_CODE[k->mode]);
    if (add_event(w, k->closed, k->mode == M_INTERIM ? k->handler : k->handler, "closed", "closure", data, &eid))
        return -1;
    if (docs && zx_doc_generate(w->c, w->case_id,
                                k->mode == M_INTERIM ? "interim_closure_ruling" : "closure_notice", eid, NULL))
        return -1;
    if (k->mode == M_INTERIM) {
        /* 6-monthly re-inquiries done so far (终本规定 art 9) */
        for (int q = 1; q <= 10; q++) {
            zx_date due = zx_date_add_months(k->closed, 6 * q);
            if (due > today - 3 || (k->resumed_on && due >= k->resumed_on)) break;
            if (add_event(w, due - rint_(r, 0, 3), k->handler, "network_inquiry", "closure", "{\"result\":\"none\"}", NULL))
                return -1;
        }
    }
    return 0;
}

static int cmp_filed(const void *a, const void *b)
{
    const case_g *x = a, *y = b;
    if (x->filed != y->filed) return x->filed < y->filed ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int64_t user_of(db_conn *c, int64_t court_id, unsigned role)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & ?) <> 0 AND disabled = 0 ORDER BY id LIMIT 1");
    if (!s) return 0;
    db_bind_int64(s, 1, court_id);
    db_bind_int64(s, 2, role);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static int demo_court(zx_app *app, const court_spec *ct, unsigned seed, int ci)
{
    db_conn *c = db_acquire(app->db);
    int rc = -1;
    case_g *v = NULL;
    wctx w = { .c = c };
    /* one court's cases, events and credit decisions are one transaction of ~100 MB of pages on SQLite:
     * a page cache that holds it (the default 2 MB rereads and spills pages thousands of times) */
    bool lite = db_kind(app->db) == DB_SQLITE;
    if (lite) db_exec(c, "PRAGMA cache_size = -262144");
    db_stmt *s = db_prepare(c, "SELECT id FROM court WHERE code = ?");
    if (!s) goto out;
    db_bind_text(s, 1, ct->code, -1);
    if (db_step(s) == DB_ROW) w.court_id = db_col_int64(s, 0);
    db_finalize(s);
    if (!w.court_id) { /* court not in this store (init --court …): nothing to do */
        rc = 0;
        goto out;
    }
    /* handlers = the court's demo judges and assistants */
    int64_t handlers[16];
    int nh = 0;
    s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & ?) <> 0 AND disabled = 0 ORDER BY id");
    if (!s) goto out;
    db_bind_int64(s, 1, w.court_id);
    db_bind_int64(s, 2, 0x002 | 0x004); /* ROLE_JUDGE | ROLE_ASSISTANT */
    while (db_step(s) == DB_ROW && nh < 16) handlers[nh++] = db_col_int64(s, 0);
    db_finalize(s);
    if (nh == 0) {
        rc = 0;
        goto out;
    }
    w.clerk_id = user_of(c, w.court_id, 0x001);
    w.chief_id = user_of(c, w.court_id, 0x040);
    if (!w.clerk_id) w.clerk_id = handlers[0];
    if (!w.chief_id) w.chief_id = handlers[0];

    rng r = { (uint64_t)seed * 1000003ull + (uint64_t)ci * 7919ull + 12345ull };
    zx_date today = zx_today();
    zx_date start = zx_date_add_months(today, -15);
    int n = ct->cases, nres = n / 25;
    v = calloc((size_t)(n + nres), sizeof *v);
    if (!v) goto out;
    long useq = 1000 + ci * 100000L;
    for (int i = 0; i < n; i++) {
        case_g *k = &v[i];
        k->parent = -1;
        k->type = rchance(&r, 0.93) ? "执" : "执保";
        k->filed = start + rint_(&r, 0, today - start);
        /* a working day */
        while (!zx_cal_is_working(k->filed) && k->filed > start) k->filed--;
        k->applied = k->filed - rint_(&r, 0, rchance(&r, 0.05) ? 12 : 5);
        k->handler = handlers[rnext(&r) % (uint64_t)nh];
        /* amounts: log-normal around ¥60k, clamped to ¥3,000 – ¥5,000,000 */
        double yuan = exp(log(60000.0) + 1.25 * rnormal(&r));
        if (yuan < 3000) yuan = 3000 + runi(&r) * 2000;
        if (yuan > 5000000) yuan = 5000000 - runi(&r) * 100000;
        k->claim = (int64_t)(yuan * 100) / 100 * 100 + (rchance(&r, 0.3) ? rint_(&r, 0, 99) : 0);
        k->nonlit = rchance(&r, 0.04);
        k->assets = rchance(&r, 0.42);
        k->deduct = rchance(&r, 0.08);
        /* parties: banks and companies file a good share of the applications */
        double pa = runi(&r);
        if (pa < 0.18) make_unit(&r, &k->app, ct, true, useq++);
        else if (pa < 0.45) make_unit(&r, &k->app, ct, false, useq++);
        else make_person(&r, &k->app, today, ct);
        if (rchance(&r, 0.58)) make_person(&r, &k->debt, today, ct);
        else make_unit(&r, &k->debt, ct, false, useq++);
        if (k->nonlit) {
            k->basis_kind = 4;
            snprintf(k->basis_issuer, sizeof k->basis_issuer, "%s市%s区人力资源和社会保障局", ct->city, ct->district);
        } else {
            double b = runi(&r);
            k->basis_kind = b < 0.55 ? 0 : b < 0.8 ? 1 : b < 0.93 ? 2 : 3;
            if (k->basis_kind <= 1) snprintf(k->basis_issuer, sizeof k->basis_issuer, "%s市%s区人民法院", ct->city, ct->district);
            else if (k->basis_kind == 2) snprintf(k->basis_issuer, sizeof k->basis_issuer, "%s仲裁委员会", ct->city);
            else snprintf(k->basis_issuer, sizeof k->basis_issuer, "辽宁省%s市%s公证处", ct->city, ct->district);
        }
        k->basis_eff = k->applied - rint_(&r, 15, 300);
        int by, bm, bd;
        zx_date_to_ymd(k->basis_eff, &by, &bm, &bd);
        static const char *const pre[] = { "民初", "民初", "仲裁", "证经字" };
        if (k->basis_kind <= 1) snprintf(k->basis_doc, sizeof k->basis_doc, "（%d）%s%s%d号", by, ct->code, pre[0], rint_(&r, 100, 9000));
        else if (k->basis_kind == 2) snprintf(k->basis_doc, sizeof k->basis_doc, "（%d）%s仲字第%d号", by, ct->city, rint_(&r, 10, 2000));
        else if (k->basis_kind == 3) snprintf(k->basis_doc, sizeof k->basis_doc, "（%d）辽%s证经字第%d号", by, ct->district, rint_(&r, 10, 3000));
        else snprintf(k->basis_doc, sizeof k->basis_doc, "%s人社监罚字〔%d〕%d号", ct->district, by, rint_(&r, 1, 300));
        /* outcome: closure more likely the older the case; closure mode by realistic shares */
        int age = today - k->filed;
        double pclose = age < 20 ? 0.03 : age < 60 ? 0.25 : age < 120 ? 0.55 : age < 180 ? 0.8 : 0.93;
        k->mode = M_OPEN;
        if (rchance(&r, pclose)) {
            double u = runi(&r);
            int mode = u < 0.36 ? M_COMPLETED : u < 0.76 ? M_INTERIM : u < 0.87 ? M_TERMINATION
                     : u < 0.93 ? M_WITHDRAWAL : u < 0.95 ? M_NONENF : M_REJECTION;
            if (mode == M_NONENF && k->basis_kind != 2 && k->basis_kind != 3) mode = M_TERMINATION;
            int min_days = mode == M_INTERIM ? 95 : mode == M_REJECTION ? 5 : 10;
            if (age > min_days) {
                int dur = min_days + (int)(runi(&r) * runi(&r) * (double)(age - min_days));
                if (mode == M_REJECTION || mode == M_WITHDRAWAL) dur = min_days + rint_(&r, 0, age - min_days < 40 ? age - min_days : 40);
                /* about one closure in eight runs past the 6-month limit */
                if (dur > 185 && rchance(&r, 0.6)) dur = 150 + rint_(&r, 0, 35);
                k->closed = k->filed + dur;
                while (!zx_cal_is_working(k->closed) && k->closed > k->filed) k->closed--;
                if (k->closed > today) k->closed = today;
                /* 终本 needs 3 months (终本规定 art 1(4)) and a 限消 order, which a 执保 case cannot have (限消规定 art 1) */
                if (mode == M_INTERIM && (k->closed - k->filed < 93 || !strcmp(k->type, "执保"))) mode = M_COMPLETED;
                k->mode = mode;
            }
        }
        if (k->mode == M_COMPLETED) {
            k->recovered = k->claim;
            k->assets = k->assets || rchance(&r, 0.7);
        } else if (k->mode == M_INTERIM) {
            k->recovered = rchance(&r, 0.3) ? k->claim * rint_(&r, 1, 30) / 100 : 0;
            k->gate_ok = rchance(&r, 0.88);
        } else if (k->mode == M_TERMINATION) {
            k->recovered = k->claim * rint_(&r, 0, 100) / 100;
        } else if (k->mode == M_OPEN && k->assets && rchance(&r, 0.3)) {
            k->recovered = k->claim * rint_(&r, 5, 60) / 100;
        }
        if (k->mode == M_OPEN || k->mode == M_INTERIM || k->mode == M_COMPLETED || k->mode == M_TERMINATION) {
        } else {
            k->recovered = 0;
        }
    }
    /* open cases around the 6-month limit, relative to today: a few overdue, a few inside the
     * warning window (≤ 5 days), a few just outside it */
    int near = n / 150 + 4;
    for (int i = 0, made = 0; i < n && made < near; i++) {
        case_g *k = &v[i];
        if (k->mode != M_OPEN || strcmp(k->type, "执") || k->nonlit) continue;
        int off = (made % 3 == 0) ? -rint_(&r, 1, 12) : (made % 3 == 1) ? rint_(&r, 0, 5) : rint_(&r, 6, 14);
        zx_date target = today + off;
        k->filed = zx_date_add_months(target, -6);
        k->applied = k->filed - rint_(&r, 0, 4);
        k->deduct = false;
        k->near_deadline = true;
        made++;
    }
    /* 恢复执行: a few 终本 cases resumed on a new property clue */
    int nv = n;
    for (int i = 0; i < n && nv < n + nres; i++) {
        case_g *p = &v[i];
        if (p->mode != M_INTERIM || p->closed > today - 40 || !rchance(&r, 0.12)) continue;
        case_g *k = &v[nv];
        *k = *p;
        k->type = "执恢";
        k->parent = i;
        k->filed = p->closed + rint_(&r, 30, today - p->closed);
        if (k->filed > today) k->filed = today;
        k->applied = k->filed - rint_(&r, 0, 3);
        k->claim = p->claim - p->recovered;
        k->recovered = 0;
        k->assets = true;
        k->deduct = false;
        k->near_deadline = false;
        k->mode = M_OPEN;
        int age = today - k->filed;
        if (age > 30 && rchance(&r, 0.5)) {
            k->mode = M_COMPLETED;
            k->closed = k->filed + rint_(&r, 10, age);
            k->recovered = k->claim;
        }
        nv++;
    }
    /* order by filing date; numbers per type × year in that order; ids follow */
    for (int i = 0; i < nv; i++) v[i].id = i; /* tiebreak before ids exist */
    /* remember parents by position before sorting */
    int *parent_pos = malloc(sizeof(int) * (size_t)nv);
    for (int i = 0; i < nv; i++) parent_pos[i] = v[i].parent;
    for (int i = 0; i < nv; i++) v[i].parent = i; /* original index */
    qsort(v, (size_t)nv, sizeof *v, cmp_filed);
    int *where = malloc(sizeof(int) * (size_t)nv);
    for (int i = 0; i < nv; i++) where[v[i].parent] = i;
    for (int i = 0; i < nv; i++) {
        int orig = v[i].parent;
        v[i].parent = parent_pos[orig] >= 0 ? where[parent_pos[orig]] : -1;
    }
    free(parent_pos);
    free(where);

    struct seqkey { const char *type; int year; int last; } seqs[64];
    int nseq = 0;
    for (int i = 0; i < nv; i++) {
        int y, m, d;
        zx_date_to_ymd(v[i].filed, &y, &m, &d);
        int j = 0;
        while (j < nseq && !(seqs[j].year == y && !strcmp(seqs[j].type, v[i].type))) j++;
        if (j == nseq && nseq < 64) seqs[nseq++] = (struct seqkey){ v[i].type, y, 0 };
        v[i].seq = ++seqs[j].last;
        v[i].id = zx_id_new();
    }

    for (int i = 0; i < nv; i++) {
        int pi = v[i].parent;
        if (pi >= 0 && v[pi].filed <= v[i].filed && (!v[pi].resumed_on || v[i].filed < v[pi].resumed_on))
            v[pi].resumed_on = v[i].filed;
    }
    if (db_begin(c) < 0) goto out;
    int docs_left = 60;
    for (int i = 0; i < nv; i++) {
        case_g *k = &v[i];
        w.case_id = k->id;
        const case_g *parent = k->parent >= 0 ? &v[k->parent] : NULL;
        if (parent && parent->filed > k->filed) parent = NULL;
        if (insert_case(&w, ct, k, parent)) goto fail;
        /* PDFs for the most recent cases only (keeps the demo store small) */
        bool docs = i >= nv - 400 && docs_left > 0 && rchance(&r, 0.2);
        if (docs) docs_left--;
        if (write_events(&w, &r, k, today, docs, NULL)) goto fail;
        if (k->mode == M_INTERIM && close_interim(&w, k)) goto fail;
        if (parent) {
            int psq = 0;
            db_stmt *q = db_prepare(c, "SELECT COALESCE(MAX(seq),0) FROM case_event WHERE case_id = ?");
            if (!q) goto fail;
            db_bind_int64(q, 1, parent->id);
            if (db_step(q) == DB_ROW) psq = (int)db_col_int64(q, 0);
            db_finalize(q);
            int64_t save = w.case_id;
            int save_seq = w.seq;
            w.case_id = parent->id;
            w.seq = psq;
            w.last_on = 0;
            char data[96];
            snprintf(data, sizeof data, "{\"new_case_id\":\"%lld\",\"reason\":\"property_found\"}", (long long)k->id);
            if (add_event(&w, k->filed, k->handler, "resumed", "resumption", data, NULL)) goto fail;
            w.case_id = save;
            w.seq = save_seq;
        }
        if (zx_case_refresh(c, k->id) < 0) goto fail;
    }
    for (int j = 0; j < nseq; j++) {
        s = db_prepare(c, "INSERT INTO case_seq (court_id, type_code, year, last) VALUES (?,?,?,?)"
                          " ON CONFLICT (court_id, type_code, year) DO UPDATE SET last ="
                          " CASE WHEN excluded.last > case_seq.last THEN excluded.last ELSE case_seq.last END");
        if (!s) goto fail;
        db_bind_int64(s, 1, w.court_id);
        db_bind_text(s, 2, seqs[j].type, -1);
        db_bind_int64(s, 3, seqs[j].year);
        db_bind_int64(s, 4, seqs[j].last);
        int r2 = db_step(s);
        db_finalize(s);
        if (r2 != DB_DONE) goto fail;
    }
    if (db_commit(c) < 0) goto fail;
    fprintf(stderr, "demo: %s — %d cases\n", ct->code, nv);
    rc = 0;
    goto out;
fail:
    LOG_ERROR("demo cases for %s failed: %s", ct->code, db_errmsg(c));
    db_rollback(c);
    rc = -1;
out:
    if (lite) db_exec(c, "PRAGMA cache_size = -2000");
    free(v);
    db_release(app->db, c);
    return rc;
}

static int demo_cases(zx_app *app, unsigned seed)
{
    for (int i = 0; i < (int)(sizeof COURTS / sizeof COURTS[0]); i++)
        if (demo_court(app, &COURTS[i], seed, i)) return -1;
    return 0;
}
ZX_DEMO("cases", 20, demo_cases)
