/* demo_credit.c — demo data for the credit lists.
 *
 *   zhixing demo credit --db URL --count N --ids-out FILE [--seed S] [--feed]
 *     N listed debtors with valid, distinct ID numbers (GB 11643 persons, ~5% units with GB 32100
 *     codes), deterministic for a seed; their normalised ID numbers go to FILE, one per line.
 *     Bulk path: multi-row INSERTs of 200 rows in transactions of 100,000 rows on one connection.
 *     Bulk rows do not go through the change feed (a server picks them up when it starts; partners
 *     take the initial copy with GET /api/v1/credit/export). --feed writes each entry through
 *     zx_credit_entry_save instead (one credit_change row each; slow, for small N).
 *   `zhixing init --demo` (ZX_DEMO hook) adds ~120 entries through the feed: active 失信 and 限消
 *     listings, entries in their 宽限期, a unit with its bound legal representative, lifted ones. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "rules/case_no.h"
#include "rules/credit_code.h"
#include "rules/dishonest.h"
#include "rules/id_number.h"

static const char *const regions[] = {
    "110101", "110105", "110108", "120101", "130102", "140105", "210102", "220102", "310101", "310115",
    "320102", "330102", "340102", "350102", "360102", "370102", "410102", "420102", "430102", "440103",
    "440106", "440304", "450102", "500103", "510104", "520102", "530102", "610102", "620102", "650102",
};
#define NREG (sizeof regions / sizeof regions[0])
/* court codes matching the regions above (基层 courts: province character + 4 digits) */
static const char *const courts[] = {
    "京0101", "京0105", "京0108", "津0101", "冀0102", "晋0105", "辽0102", "吉0102", "沪0101", "沪0115",
    "苏0102", "浙0102", "皖0102", "闽0102", "赣0102", "鲁0102", "豫0102", "鄂0102", "湘0102", "粤0103",
    "粤0106", "粤0304", "桂0102", "渝0103", "川0104", "黔0102", "云0102", "陕0102", "甘0102", "新0102",
};
/* their names: the portal shows the deciding court by name (issue 9 item 16); these courts are not
 * in a demo installation's court table, so each entry carries its court's name (migration 041) */
static const char *const court_names[] = {
    "北京市东城区人民法院", "北京市朝阳区人民法院", "北京市海淀区人民法院", "天津市和平区人民法院",
    "石家庄市长安区人民法院", "太原市小店区人民法院", "沈阳市和平区人民法院", "长春市南关区人民法院",
    "上海市黄浦区人民法院", "上海市浦东新区人民法院", "南京市玄武区人民法院", "杭州市上城区人民法院",
    "合肥市瑶海区人民法院", "福州市鼓楼区人民法院", "南昌市东湖区人民法院", "济南市历下区人民法院",
    "郑州市中原区人民法院", "武汉市江岸区人民法院", "长沙市芙蓉区人民法院", "广州市荔湾区人民法院",
    "广州市天河区人民法院", "深圳市福田区人民法院", "南宁市兴宁区人民法院", "重庆市渝中区人民法院",
    "成都市锦江区人民法院", "贵阳市南明区人民法院", "昆明市五华区人民法院", "西安市新城区人民法院",
    "兰州市城关区人民法院", "乌鲁木齐市天山区人民法院",
};
_Static_assert(sizeof court_names / sizeof court_names[0] == NREG, "one name per court code");
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
                                        "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                                     "杰", "娟", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "建国", "志强" };
static const char *const firms[] = { "科技", "贸易", "建设", "实业", "投资", "商贸", "置业", "物流" };

#define NDAYS 18262ULL        /* birth dates 1950-01-01 … 1999-12-31 */
#define SPACE (NREG * NDAYS * 1000ULL)

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The i-th distinct person ID: i → (i·A + B) mod SPACE is a bijection (A odd and coprime with SPACE). */
static void person_for(uint64_t i, unsigned seed, int *reg, char id[19])
{
    const uint64_t A = 2654435761ULL; /* prime, does not divide SPACE */
    uint64_t x = (i * A + (uint64_t)seed * 7919ULL) % SPACE;
    *reg = (int)(x % NREG);
    x /= NREG;
    zx_date birth = zx_date_from_ymd(1950, 1, 1) + (zx_date)(x % NDAYS);
    int seq = (int)(x / NDAYS);
    zx_idno_make(regions[*reg], birth, seq, id);
}

struct gen {
    char id[19];
    char name[64];
    char case_no[64];
    const char *court, *court_name;
    const char *list;
    const char *kind;
    int ground;
    char categories[128];
    char legal_rep[32];
    char sex[8], birth[11];
    char decided[11], publish[11], term_end[11], filed[11];
    int extension_years;           /* 失信规定 art 2: 0 or 1–3 (total ≤ 5 years) */
    const char *conduct;           /* the specific conduct of its ground (失信规定 art 6) */
    char obligation[96];
    char basis_doc[64];
};

/* Which of the courts above are this installation's own (its court table): generated entries are
 * listings received from other courts, so they never carry one of ours — an own court's listing is made
 * by its own decision on its own case (demo_decisions.c, the case demo). */
static bool g_ours[NREG];
static void load_ours(db_conn *c)
{
    for (size_t i = 0; i < NREG; i++) {
        db_stmt *s = db_prepare(c, "SELECT 1 FROM court WHERE code = ?");
        g_ours[i] = false;
        if (!s) continue;
        db_bind_text(s, 1, courts[i], -1);
        g_ours[i] = db_step(s) == DB_ROW;
        db_finalize(s);
    }
}

static void make_entry(uint64_t i, unsigned seed, zx_date today, struct gen *g)
{
    uint64_t rs = ((uint64_t)seed << 32) ^ (i * 0x2545F4914F6CDD1DULL);
    uint64_t r = rng_next(&rs);
    int reg;
    int unit = (r % 100) < 5;
    memset(g, 0, sizeof *g);
    if (unit) {
        reg = (int)(i % NREG);
        zx_uscc_make('9', '1', regions[reg], (long)((i * 2654435761ULL + seed) % 100000000ULL), g->id);
        g->kind = "unit";
        snprintf(g->name, sizeof g->name, "%s%s%s有限公司", surnames[r % 24], given[(r >> 8) % 24],
                 firms[(r >> 16) % 8]);
        snprintf(g->legal_rep, sizeof g->legal_rep, "%s%s", surnames[(r >> 20) % 24], given[(r >> 24) % 24]);
    } else {
        person_for(i, seed, &reg, g->id);
        g->kind = "person";
        snprintf(g->name, sizeof g->name, "%s%s", surnames[r % 24], given[(r >> 8) % 24]);
        zx_idno_info info;
        if (zx_idno_check(g->id, today, &info) == ZX_IDNO_OK) {
            snprintf(g->sex, sizeof g->sex, "%s", info.sex == ZX_SEX_MALE ? "M" : "F");
            zx_date_format(info.birth, g->birth);
        }
    }
    int cr = reg; /* a court of another installation (the national list): never one of ours */
    for (int k = 0; k < (int)NREG && g_ours[cr]; k++) cr = (cr + 1) % (int)NREG;
    g->court = courts[cr];
    g->court_name = court_names[cr];
    int dishonest = (r >> 32) % 100 < 60;
    g->list = dishonest ? "dishonest" : "restricted";
    /* Lawful by construction (issue 9 item 7): filed → decided (signed) → served the same day →
     * published after a 1-month 宽限期 (法发〔2019〕35号); terms from publication, 2 years + 0–3 (失信规定
     * art 2); 限消 orders over all nine items (限消规定 art 3); conduct text of its own ground. */
    zx_date decided = today - 30 - (zx_date)((r >> 40) % 1500);
    zx_date filed = decided - 60 - (zx_date)((r >> 44) % 200);
    zx_date publish = zx_dis_publish_on(decided, 1);
    zx_date_format(decided, g->decided);
    zx_date_format(publish, g->publish);
    zx_date_format(filed, g->filed);
    int y, m, d;
    zx_date_to_ymd(filed, &y, &m, &d);
    zx_case_no cn = { .year = y, .seq = (int64_t)(i % 90000) + 1 };
    snprintf(cn.court_code, sizeof cn.court_code, "%s", g->court);
    snprintf(cn.type_code, sizeof cn.type_code, "执");
    if (zx_case_no_format(&cn, g->case_no, sizeof g->case_no) != 0)
        snprintf(g->case_no, sizeof g->case_no, "（%d）%s执%llu号", y, g->court, (unsigned long long)(i % 90000) + 1);
    if (dishonest) {
        static const char *const conduct[6] = {
            "有履行能力而拒不履行生效法律文书确定的给付义务",       /* art 1(1) */
            "以暴力方法阻碍执行人员查封财产",                       /* art 1(2) */
            "将名下车辆无偿转让给亲属以规避执行",                   /* art 1(3) */
            "收到报告财产令后逾期未报告财产",                       /* art 1(4) */
            "被限制消费后乘坐飞机出行",                             /* art 1(5) */
            "无正当理由拒不履行执行和解协议",                       /* art 1(6) */
        };
        g->ground = 1 + (int)((r >> 48) % 6);
        g->conduct = conduct[g->ground - 1];
        if (g->ground != 1) {
            /* keep the demo list effective: extend by the fewest years (1–3, art 2) that keep the term
             * running a month from now; decided ≥ today − 1530 days makes 5 years always enough */
            int ext = 0;
            while (ext < ZX_DIS_EXT_MAX && zx_dis_term_end(g->ground, publish, ext) < today + 30) ext++;
            g->extension_years = ext;
            zx_date_format(zx_dis_term_end(g->ground, publish, ext), g->term_end);
        }
    } else {
        g->categories[0] = 0; /* NULL = all nine items of 限消规定 art 3 — there is no partial order */
    }
    snprintf(g->obligation, sizeof g->obligation, "给付申请执行人款项%llu元及迟延履行期间的债务利息",
             (unsigned long long)(10000 + (r >> 20) % 5000000));
    snprintf(g->basis_doc, sizeof g->basis_doc, "（%d）%s民初%llu号", y - 1, g->court, (unsigned long long)(i % 70000) + 1);
}

/* The secondary indexes of credit_entry exactly as 004_credit.sql creates them. */
static const struct {
    const char *name, *cols;
} entry_indexes[] = {
    { "credit_entry_id_number", "id_number" },     { "credit_entry_name", "name_norm" },
    { "credit_entry_case", "case_id" },            { "credit_entry_status", "status, publish_on" },
    { "credit_entry_bound", "bound_by_entry_id" }, { "credit_entry_term_end", "term_end" },
    { "credit_entry_permit_to", "permit_to" },
};

#define COLS "id, list, case_no, court_code, person_kind, name, name_norm, id_number, legal_rep, ground, categories, " \
             "decided_on, served_on, publish_on, term_end, status, status_on, sex, birth_date, obligation, "          \
             "performance, conduct, basis_doc_no, basis_issuer, filed_on, created_ms, updated_ms, version, "          \
             "extension_years, court_name, id_number_enc"
#define NCOL 31
#define ROWS 200

static void bind_gen(db_stmt *s, int base, const struct gen *g, int64_t id, int64_t now)
{
    int k = base;
    db_bind_int64(s, k++, id);
    db_bind_text(s, k++, g->list, -1);
    db_bind_text(s, k++, g->case_no, -1);
    db_bind_text(s, k++, g->court, -1);
    db_bind_text(s, k++, g->kind, -1);
    db_bind_text(s, k++, g->name, -1);
    db_bind_text(s, k++, g->name, -1); /* generated names are simplified already */
    zx_pii_bind_index(s, k++, ZX_PII_ID_NUMBER, g->id); /* blind index; the number itself sealed below */
    db_bind_text(s, k++, g->legal_rep[0] ? g->legal_rep : NULL, -1);
    if (g->ground) db_bind_int64(s, k++, g->ground);
    else db_bind_null(s, k++);
    db_bind_text(s, k++, g->categories[0] ? g->categories : NULL, -1);
    db_bind_text(s, k++, g->decided, -1);
    db_bind_text(s, k++, g->decided, -1);
    db_bind_text(s, k++, g->publish, -1);
    db_bind_text(s, k++, g->term_end[0] ? g->term_end : NULL, -1);
    db_bind_text(s, k++, "active", -1);
    db_bind_text(s, k++, g->publish, -1);
    db_bind_text(s, k++, g->sex[0] ? g->sex : NULL, -1);
    db_bind_text(s, k++, g->birth[0] ? g->birth : NULL, -1);
    db_bind_text(s, k++, g->obligation, -1);
    db_bind_text(s, k++, "全部未履行", -1);
    db_bind_text(s, k++, g->ground ? g->conduct : NULL, -1);
    db_bind_text(s, k++, g->basis_doc, -1);
    db_bind_text(s, k++, "人民法院", -1);
    db_bind_text(s, k++, g->filed, -1);
    db_bind_int64(s, k++, now);
    db_bind_int64(s, k++, now);
    db_bind_int64(s, k++, 1);
    db_bind_int64(s, k++, g->extension_years);
    db_bind_text(s, k++, g->court_name, -1);
    zx_pii_bind(s, k++, ZX_PII_ID_NUMBER, g->id);
}

static int bulk_insert(zx_app *app, uint64_t count, unsigned seed, FILE *out)
{
    static char sql[ROWS * (NCOL * 3 + 4) + 512];
    size_t o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO credit_entry (" COLS ") VALUES ");
    for (int rrow = 0; rrow < ROWS; rrow++) {
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s(", rrow ? "," : "");
        for (int c = 0; c < NCOL; c++) o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?", c ? "," : "");
        o += (size_t)snprintf(sql + o, sizeof sql - o, ")");
    }
    db_conn *c = db_acquire(app->db);
    load_ours(c);
    zx_date today = zx_today();
    int64_t now = zx_now_ms(), t0 = now;
    struct gen g;
    uint64_t done = 0;
    int rc = 0;
    /* Bulk load: secondary indexes are dropped and rebuilt afterwards (one sorted build instead of
     * 10M random B-tree inserts), with a large page cache on SQLite and asynchronous commit on
     * PostgreSQL (demo data; a crash mid-load just means running the command again). */
    bool pg = db_kind(app->db) == DB_POSTGRES;
    db_exec(c, pg ? "SET synchronous_commit = off" : "PRAGMA cache_size = -1048576");
    if (pg) db_exec(c, "SET statement_timeout = 0"); /* index builds over 10M rows take minutes */
    for (size_t k = 0; k < sizeof entry_indexes / sizeof entry_indexes[0]; k++) {
        char q[160];
        snprintf(q, sizeof q, "DROP INDEX IF EXISTS %s", entry_indexes[k].name);
        db_exec(c, q);
    }
    /* ids: time-ordered app ids would need 10M calls to zx_id_new (fine, but it spins on the 4096
     * per ms sequence); take one id and count up from it — still unique and ordered. */
    int64_t id0 = zx_id_new();
    while (done < count && rc == 0) {
        rc = db_begin(c);
        uint64_t tx_end = done + 100000 < count ? done + 100000 : count;
        while (rc == 0 && done < tx_end) {
            uint64_t n = tx_end - done;
            if (n >= ROWS) {
                db_stmt *s = db_prepare(c, sql);
                if (!s) { rc = -1; break; }
                for (int k = 0; k < ROWS; k++) {
                    make_entry(done + (uint64_t)k, seed, today, &g);
                    bind_gen(s, 1 + k * NCOL, &g, id0 + (int64_t)(done + (uint64_t)k), now);
                    if (out) fprintf(out, "%s\n", g.id);
                }
                int st = db_step(s);
                db_finalize(s);
                if (st != DB_DONE) { rc = -1; break; }
                done += ROWS;
            } else {
                db_stmt *s = db_prepare(c, "INSERT INTO credit_entry (" COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                if (!s) { rc = -1; break; }
                make_entry(done, seed, today, &g);
                bind_gen(s, 1, &g, id0 + (int64_t)done, now);
                if (out) fprintf(out, "%s\n", g.id);
                int st = db_step(s);
                db_finalize(s);
                if (st != DB_DONE) { rc = -1; break; }
                done++;
            }
        }
        if (rc == 0) rc = db_commit(c);
        else {
            fprintf(stderr, "demo credit: %s\n", db_errmsg(c));
            db_rollback(c);
        }
        if (rc == 0 && (done % 1000000 == 0 || done == count))
            fprintf(stderr, "demo credit: %llu / %llu (%.1f s)\n", (unsigned long long)done, (unsigned long long)count,
                    (double)(zx_now_ms() - t0) / 1000.0);
    }
    for (size_t k = 0; k < sizeof entry_indexes / sizeof entry_indexes[0]; k++) {
        char q[200];
        snprintf(q, sizeof q, "CREATE INDEX IF NOT EXISTS %s ON credit_entry(%s)", entry_indexes[k].name,
                 entry_indexes[k].cols);
        if (db_exec(c, q) != 0) {
            fprintf(stderr, "demo credit: %s: %s\n", q, db_errmsg(c));
            rc = -1;
        }
    }
    if (rc == 0) fprintf(stderr, "demo credit: indexes rebuilt (%.1f s)\n", (double)(zx_now_ms() - t0) / 1000.0);
    db_exec(c, "ANALYZE credit_entry"); /* planner statistics for the sweeps and the portal */
    db_release(app->db, c);
    return rc;
}

static int feed_insert(zx_app *app, uint64_t count, unsigned seed, FILE *out)
{
    db_conn *c = db_acquire(app->db);
    load_ours(c);
    zx_date today = zx_today();
    struct gen g;
    int rc = 0;
    for (uint64_t i = 0; i < count && rc == 0; i++) {
        make_entry(i, seed, today, &g);
        struct zx_credit_entry e;
        zx_credit_entry_init(&e);
        snprintf(e.list, sizeof e.list, "%s", g.list);
        snprintf(e.case_no, sizeof e.case_no, "%s", g.case_no);
        snprintf(e.court_code, sizeof e.court_code, "%s", g.court);
        snprintf(e.court_name, sizeof e.court_name, "%s", g.court_name);
        snprintf(e.person_kind, sizeof e.person_kind, "%s", g.kind);
        snprintf(e.name, sizeof e.name, "%s", g.name);
        snprintf(e.id_number, sizeof e.id_number, "%s", g.id);
        snprintf(e.legal_rep, sizeof e.legal_rep, "%s", g.legal_rep);
        e.ground = g.ground;
        snprintf(e.categories, sizeof e.categories, "%s", g.categories);
        snprintf(e.decided_on, sizeof e.decided_on, "%s", g.decided);
        snprintf(e.served_on, sizeof e.served_on, "%s", g.decided);
        snprintf(e.publish_on, sizeof e.publish_on, "%s", g.publish);
        snprintf(e.term_end, sizeof e.term_end, "%s", g.term_end);
        if (g.conduct) snprintf(e.conduct, sizeof e.conduct, "%s", g.conduct);
        snprintf(e.status, sizeof e.status, "active");
        snprintf(e.obligation, sizeof e.obligation, "%s", g.obligation);
        snprintf(e.performance, sizeof e.performance, "全部未履行");
        snprintf(e.basis_doc_no, sizeof e.basis_doc_no, "%s", g.basis_doc);
        snprintf(e.basis_issuer, sizeof e.basis_issuer, "人民法院");
        snprintf(e.filed_on, sizeof e.filed_on, "%s", g.filed);
        rc = db_begin(c);
        if (rc == 0 && zx_credit_entry_save(c, &e, "listed") <= 0) rc = -1;
        if (rc == 0) rc = db_commit(c);
        else db_rollback(c);
        if (out) fprintf(out, "%s\n", g.id);
    }
    if (rc) fprintf(stderr, "demo credit: %s\n", db_errmsg(c));
    db_release(app->db, c);
    return rc;
}

static int cmd_demo_credit(int argc, char **argv)
{
    const char *cnt = zx_opt(argc, argv, "--count"), *ids = zx_opt(argc, argv, "--ids-out"),
               *seed_s = zx_opt(argc, argv, "--seed");
    char *end;
    unsigned long long count = cnt ? strtoull(cnt, &end, 10) : 0;
    if (!cnt || *end || count == 0 || count > 100000000ULL) {
        fprintf(stderr, "demo credit: --count N (1 … 100000000) is required\n");
        return 2;
    }
    unsigned seed = seed_s ? (unsigned)strtoul(seed_s, NULL, 10) : 20240501u;
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 1;
    FILE *out = NULL;
    if (ids) {
        out = fopen(ids, "w");
        if (!out) {
            perror(ids);
            zx_cli_close(app);
            return 1;
        }
        setvbuf(out, NULL, _IOFBF, 1 << 20);
    }
    int64_t t0 = zx_now_ms();
    int rc = zx_flag(argc, argv, "--feed") ? feed_insert(app, count, seed, out) : bulk_insert(app, count, seed, out);
    if (out && fclose(out) != 0) rc = -1;
    zx_cli_close(app);
    if (rc) return 1;
    fprintf(stderr, "demo credit: %llu listed debtors in %.1f s\n", count, (double)(zx_now_ms() - t0) / 1000.0);
    return 0;
}

static const struct zx_command demo_credit_cmd = {
    "demo credit", cmd_demo_credit, "--db URL --count N --ids-out FILE [--seed S] [--feed]",
    "生成 N 名失信/限消被执行人演示数据（身份证号有效且互不相同，种子确定），并把证件号逐行写入 FILE",
};
ZX_COMMAND(demo_credit_cmd)

/* ---- init --demo: a small list through the change feed ----------------------------------------- */

static int demo_hook(zx_app *app, unsigned seed)
{
    db_conn *c = db_acquire(app->db);
    load_ours(c);
    zx_date today = zx_today();
    struct gen g;
    int rc = 0;
    for (uint64_t i = 0; i < 120 && rc == 0; i++) {
        make_entry(1000000 + i, seed, today, &g);
        struct zx_credit_entry e;
        zx_credit_entry_init(&e);
        snprintf(e.list, sizeof e.list, "%s", g.list);
        snprintf(e.case_no, sizeof e.case_no, "%s", g.case_no);
        snprintf(e.court_code, sizeof e.court_code, "%s", g.court);
        snprintf(e.court_name, sizeof e.court_name, "%s", g.court_name);
        snprintf(e.person_kind, sizeof e.person_kind, "%s", g.kind);
        /* a few traditional-character names so the portal's t2s folding has something to find */
        snprintf(e.name, sizeof e.name, "%s", i % 20 == 7 ? "張偉" : g.name);
        snprintf(e.id_number, sizeof e.id_number, "%s", g.id);
        snprintf(e.legal_rep, sizeof e.legal_rep, "%s", g.legal_rep);
        e.ground = g.ground;
        snprintf(e.categories, sizeof e.categories, "%s", g.categories);
        snprintf(e.decided_on, sizeof e.decided_on, "%s", g.decided);
        snprintf(e.served_on, sizeof e.served_on, "%s", g.decided);
        snprintf(e.term_end, sizeof e.term_end, "%s", g.term_end);
        if (g.conduct) snprintf(e.conduct, sizeof e.conduct, "%s", g.conduct);
        snprintf(e.obligation, sizeof e.obligation, "%s", g.obligation);
        snprintf(e.performance, sizeof e.performance, "全部未履行");
        snprintf(e.basis_doc_no, sizeof e.basis_doc_no, "%s", g.basis_doc);
        snprintf(e.basis_issuer, sizeof e.basis_issuer, "人民法院");
        snprintf(e.filed_on, sizeof e.filed_on, "%s", g.filed);
        if (i % 10 == 9) { /* in its 宽限期: decided and served today, published in a month */
            zx_date_format(today, e.decided_on);
            zx_date_format(today, e.served_on);
            zx_date_format(zx_dis_publish_on(today, 1), e.publish_on);
            if (g.ground > 1) zx_date_format(zx_dis_term_end(g.ground, zx_dis_publish_on(today, 1), 0), e.term_end);
            g.extension_years = 0;
            snprintf(e.status, sizeof e.status, "grace");
        } else {
            snprintf(e.publish_on, sizeof e.publish_on, "%s", g.publish);
            snprintf(e.status, sizeof e.status, "active");
        }
        rc = db_begin(c);
        int64_t seq = rc == 0 ? zx_credit_entry_save(c, &e, "listed") : -1;
        if (seq > 0 && e.person_kind[0] == 'u' && e.legal_rep[0]) {
            /* 限消规定 art 3 para 2: the unit's legal representative is bound by its order */
            struct zx_credit_entry p;
            zx_credit_entry_init(&p);
            p = e;
            p.id = 0;
            snprintf(p.list, sizeof p.list, "restricted");
            snprintf(p.person_kind, sizeof p.person_kind, "person");
            snprintf(p.name, sizeof p.name, "%s", e.legal_rep);
            p.legal_rep[0] = '\0';
            int reg;
            person_for(5000000 + i, seed, &reg, p.id_number);
            p.bound_by_entry_id = e.id;
            snprintf(p.bound_role, sizeof p.bound_role, "legal_rep");
            p.ground = 0;
            p.sex[0] = p.birth_date[0] = '\0';
            seq = zx_credit_entry_save(c, &p, "listed");
        }
        if (seq > 0 && g.extension_years) { /* the term's extension (失信规定 art 2) */
            db_stmt *u = db_prepare(c, "UPDATE credit_entry SET extension_years = ? WHERE id = ?");
            if (u) {
                db_bind_int64(u, 1, g.extension_years);
                db_bind_int64(u, 2, e.id);
                if (db_step(u) != DB_DONE) seq = -1;
                db_finalize(u);
            } else seq = -1;
        }
        if (seq > 0 && i % 15 == 14) { /* performed in full: 限消 lifted / 失信 deleted (art 10) */
            snprintf(e.status, sizeof e.status, "%s", strcmp(e.list, "dishonest") == 0 ? "deleted" : "lifted");
            zx_date_format(today, e.status_on);
            snprintf(e.status_reason, sizeof e.status_reason, "全部履行");
            seq = zx_credit_entry_save(c, &e, strcmp(e.list, "dishonest") == 0 ? "deleted" : "lifted");
        }
        if (seq <= 0) rc = -1;
        if (rc == 0) rc = db_commit(c);
        else db_rollback(c);
    }
    if (rc) LOG_ERROR("demo credit: %s", db_errmsg(c));
    db_release(app->db, c);
    return rc;
}
ZX_DEMO("credit", 60, demo_hook)
