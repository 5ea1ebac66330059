/* registry.c — institution kinds, the courts' SM2 seals, starting a query run, and the demo
 * province's institutions (`zhixing init --demo` registers them at ZX_SIM_URL, where bin/zhixing-sim
 * plays them, and pins each one's public key when the simulator answers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/httpc.h"
#include "app.h"
#include "cli.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "inquiry/inquiry.h"

#define MIN 60000LL
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
/* 16类: the kinds of the national 网络执行查控 system. gate = named by 终本规定 art 3 ("存款、车辆及其他
 * 交通运输工具、不动产、有价证券等") plus the online funds and financial products practice adds.
 * Answer times of an acknowledged request (defaults; an institution's registry row may set its own):
 * the usual time and the longest wait before NO_ANSWER. Practice (shared/domain/systems.md §2): banks
 * answer a query online in about 10 minutes and a freeze within 2 days; 总对总 answers from big
 * institutions come in about a day, 点对点 registries take 2–3 days or more. */
const struct zx_inq_kind zx_inq_kinds[] = {
    { "deposit", "银行存款", "query freeze renew release deduct", true, "freeze", 15 * MIN, 2 * DAY },
    { "wealth", "理财产品", "query freeze renew release deduct", true, "freeze", HOUR, 3 * DAY },
    { "securities", "证券", "query freeze renew release", true, "freeze", DAY, 5 * DAY },
    { "equity", "股权", "query freeze renew release", false, "freeze", DAY, 5 * DAY },
    { "real_estate", "不动产", "query freeze renew release", true, "seizure", 2 * DAY, 7 * DAY },
    { "vehicle", "车辆", "query freeze renew release", true, "seizure", DAY, 5 * DAY },
    { "ship", "船舶", "query freeze renew release", true, "seizure", 3 * DAY, 10 * DAY },
    { "online_payment", "网络资金", "query freeze renew release deduct", true, "freeze", 15 * MIN, DAY },
    { "insurance", "保险", "query freeze renew release", false, "freeze", DAY, 5 * DAY },
    { "provident_fund", "住房公积金", "query freeze renew release deduct", false, "freeze", DAY, 5 * DAY },
    { "tax_refund", "税务退税", "query", false, "freeze", 3 * DAY, 10 * DAY },
    { "social_insurance", "社会保险", "query", false, "freeze", DAY, 5 * DAY },
    { "household", "户籍信息", "query", false, "freeze", HOUR, DAY },
    { "marriage", "婚姻登记", "query", false, "freeze", DAY, 5 * DAY },
    { "exit_entry", "出入境证件", "query", false, "freeze", DAY, 5 * DAY },
    { "telecom", "电信号码", "query", false, "freeze", HOUR, 2 * DAY },
};
const int zx_inq_nkinds = (int)(sizeof zx_inq_kinds / sizeof zx_inq_kinds[0]);

void zx_inq_window_of(const char *kind, int64_t expect_col, int64_t window_col, int64_t *expect_ms, int64_t *window_ms)
{
    const struct zx_inq_kind *k = zx_inq_kind(kind);
    *expect_ms = k ? k->expect_ms : HOUR;
    *window_ms = k ? k->window_ms : 2 * DAY;
    if (expect_col > 0) *expect_ms = expect_col;
    if (window_col > 0) *window_ms = window_col;
    if (*expect_ms > *window_ms) *expect_ms = *window_ms;
}

int zx_inq_answer_window(db_conn *c, int64_t institution_id, int64_t *expect_ms, int64_t *window_ms)
{
    db_stmt *s = db_prepare(c, "SELECT kind, answer_expect_ms, answer_window_ms FROM inquiry_institution WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, institution_id);
    if (db_step(s) == DB_ROW) zx_inq_window_of(db_col_text(s, 0), db_col_int64(s, 1), db_col_int64(s, 2), expect_ms, window_ms);
    else zx_inq_window_of(NULL, 0, 0, expect_ms, window_ms);
    db_finalize(s);
    return 0;
}

int64_t zx_inq_poll_delay(int64_t expect_ms, int64_t window_ms, int polls, int64_t since_ack_ms)
{
    static int64_t base = -1;
    if (base < 0) {
        const char *v = getenv("ZX_INQ_POLL_MS");
        base = v && *v ? strtoll(v, NULL, 10) : 30000;
        if (base < 1) base = 1;
    }
    int64_t cap = window_ms / 4, wait = base;
    if (expect_ms / 2 > cap) cap = expect_ms / 2;
    if (cap < base) cap = base;
    for (int i = 0; i < polls && wait < cap; i++) wait *= 2;
    if (wait > cap) wait = cap;
    if (since_ack_ms < expect_ms && since_ack_ms + wait > expect_ms && expect_ms - since_ack_ms >= base)
        wait = expect_ms - since_ack_ms; /* one poll when the answer is usually there */
    return wait;
}

const struct zx_inq_kind *zx_inq_kind(const char *kind)
{
    for (int i = 0; kind && i < zx_inq_nkinds; i++)
        if (!strcmp(zx_inq_kinds[i].kind, kind)) return &zx_inq_kinds[i];
    return NULL;
}

static bool word_in(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return true;
    return false;
}

bool zx_inq_ops_has(const char *ops, const char *op)
{
    return ops && op && *op && word_in(ops, op);
}

bool zx_inq_kind_supports(const char *kind, const char *op)
{
    const struct zx_inq_kind *k = zx_inq_kind(kind);
    return k && op && word_in(k->ops, op);
}

const char *zx_inq_op_label(const char *op)
{
    static const char *const m[][2] = { { "query", "查询" }, { "freeze", "冻结（查封）" }, { "renew", "续行冻结" },
                                        { "release", "解除" }, { "deduct", "扣划" } };
    for (size_t i = 0; op && i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(m[i][0], op)) return m[i][1];
    return "";
}

const char *zx_inq_sim_url(void)
{
    const char *u = getenv("ZX_SIM_URL");
    return u && *u ? u : "http://127.0.0.1:8090";
}

void zx_inq_endpoint(const char *stored, char *out, size_t cap)
{
    if (stored && !strncmp(stored, "sim:", 4)) snprintf(out, cap, "%s%s", zx_inq_sim_url(), stored + 4);
    else snprintf(out, cap, "%s", stored ? stored : "");
}

/* ---- the court's seal ----------------------------------------------------------------------- */

/* The private key is sealed through core/pii.h (ZX_PII_SECRET: SM4 under the key file outside the
 * store, migration 044); private_key holds an empty blob. A row still holding a clear PEM (written
 * before migration 044) is read as is until the start-up step below seals it. */
ZX_PII_COLUMN_KEY(inquiry_court_key, court_id, private_key_enc, ZX_PII_SECRET)

int zx_inq_court_key(db_conn *c, int64_t court_id, zx_sm2_key **key, char **pub_pem)
{
    *key = NULL;
    if (pub_pem) *pub_pem = NULL;
    for (int round = 0; round < 2; round++) {
        db_stmt *s = db_prepare(c, "SELECT private_key, public_key, private_key_enc FROM inquiry_court_key WHERE court_id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, court_id);
        if (db_step(s) == DB_ROW) {
            char *pem = NULL;
            if (!db_col_is_null(s, 2)) {
                pem = zx_pii_col(s, 2, ZX_PII_SECRET);
            } else { /* legacy clear PEM (before migration 044) */
                size_t n = 0;
                const void *b = db_col_blob(s, 0, &n);
                pem = malloc(n + 1);
                if (pem) {
                    memcpy(pem, b, n);
                    pem[n] = 0;
                }
            }
            if (pem) *key = zx_sm2_from_private_pem(pem);
            zx_pii_free(pem);
            if (pub_pem) *pub_pem = strdup(db_col_text(s, 1));
            db_finalize(s);
            return *key ? 0 : -1;
        }
        db_finalize(s);
        if (round) break;
        zx_sm2_key *k = zx_sm2_generate();
        char *priv = k ? zx_sm2_private_pem(k) : NULL, *pub = k ? zx_sm2_public_pem(k) : NULL, fp[65] = "";
        if (k) zx_sm2_fingerprint(k, fp);
        zx_sm2_free(k);
        if (!priv || !pub) {
            free(priv);
            free(pub);
            return -1;
        }
        s = db_prepare(c, "INSERT INTO inquiry_court_key (court_id, private_key, public_key, key_fp, created_ms, private_key_enc)"
                          " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (court_id) DO NOTHING");
        if (!s) {
            zx_pii_free(priv);
            free(pub);
            return -1;
        }
        db_bind_int64(s, 1, court_id);
        db_bind_blob(s, 2, "", 0);
        db_bind_text(s, 3, pub, -1);
        db_bind_text(s, 4, fp, -1);
        db_bind_int64(s, 5, zx_now_ms());
        zx_pii_bind(s, 6, ZX_PII_SECRET, priv);
        int rc = db_step(s);
        db_finalize(s);
        zx_pii_free(priv);
        free(pub);
        if (rc != DB_DONE) return -1;
        LOG_INFO("inquiry: SM2 seal created for court %lld (fingerprint %.16s…), sealed at rest", (long long)court_id, fp);
    }
    return -1;
}

/* Start-up (after the personal-data keys, hook "00-pii"): seal court keys stored in clear before
 * migration 044, then rewrite the store so the clear PEM is gone from free pages and the WAL
 * (SQLite VACUUM; PostgreSQL VACUUM of the table). */
static int seal_court_keys(zx_app *app)
{
    db_conn *c = db_acquire(app->db);
    int64_t sealed = 0;
    int rc = 0, n = 64;
    while (rc == 0 && n == 64) { /* 64 rows per transaction */
    rc = db_begin(c);
    db_stmt *s = rc ? NULL : db_prepare(c, "SELECT court_id, private_key FROM inquiry_court_key WHERE private_key_enc IS NULL");
    struct { int64_t id; char *pem; } rows[64];
    n = 0;
    while (s && n < 64 && db_step(s) == DB_ROW) {
        size_t len = 0;
        const void *b = db_col_blob(s, 1, &len);
        rows[n].id = db_col_int64(s, 0);
        rows[n].pem = malloc(len + 1);
        if (!rows[n].pem) zx_die("out of memory (court keys)");
        memcpy(rows[n].pem, b, len);
        rows[n].pem[len] = 0;
        n++;
    }
    if (s) db_finalize(s);
    for (int i = 0; rc == 0 && i < n; i++) {
        db_stmt *u = db_prepare(c, "UPDATE inquiry_court_key SET private_key_enc = ?, private_key = ? WHERE court_id = ?");
        if (!u) rc = -1;
        else {
            zx_pii_bind(u, 1, ZX_PII_SECRET, rows[i].pem);
            db_bind_blob(u, 2, "", 0);
            db_bind_int64(u, 3, rows[i].id);
            if (db_step(u) != DB_DONE) rc = -1;
            db_finalize(u);
            sealed++;
        }
    }
    for (int i = 0; i < n; i++) zx_pii_free(rows[i].pem);
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
    }
    if (rc == 0 && sealed) {
        if (db_kind(app->db) == DB_SQLITE) {
            if (db_exec(c, "VACUUM") || db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)"))
                LOG_WARN("inquiry: VACUUM after sealing court keys failed: %s", db_errmsg(c));
        } else if (db_exec(c, "VACUUM inquiry_court_key"))
            LOG_WARN("inquiry: VACUUM after sealing court keys failed: %s", db_errmsg(c));
        LOG_INFO("inquiry: sealed %lld court SM2 keys stored in clear before migration 044", (long long)sealed);
    }
    db_release(app->db, c);
    if (rc) LOG_ERROR("inquiry: sealing the court keys failed");
    return rc ? -1 : 0;
}
ZX_ON_START("01-inquiry-court-keys", seal_court_keys)

/* ---- a query run ---------------------------------------------------------------------------- */

int zx_inq_start(db_conn *c, int64_t case_id, const char *trigger, json_t *kinds, int64_t user_id, int64_t *inquiry_id)
{
    int64_t court_id = 0, now = zx_now_ms();
    db_stmt *s = db_prepare(c, "SELECT court_id FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    if (db_step(s) == DB_ROW) court_id = db_col_int64(s, 0);
    db_finalize(s);
    if (!court_id) return 1;
    s = db_prepare(c, "SELECT COUNT(*) FROM case_party WHERE case_id = ? AND role = 'debtor'");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t ndebtors = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (ndebtors == 0) return 1;

    /* the institutions asked: every enabled one of the kinds */
    int64_t ids[512];
    int n = 0;
    s = db_prepare(c, "SELECT id, kind, ops FROM inquiry_institution WHERE enabled = 1 ORDER BY kind, code");
    if (!s) return -1;
    char kindlist[512] = "";
    while (db_step(s) == DB_ROW && n < 512) {
        const char *k = db_col_text(s, 1);
        if (!zx_inq_ops_has(db_col_text(s, 2), "query")) continue; /* a registry row without queries */
        bool want = !json_array_size(kinds);
        size_t i;
        json_t *v;
        json_array_foreach(kinds, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), k)) want = true;
        if (!want) continue;
        ids[n++] = db_col_int64(s, 0);
        if (!word_in(kindlist, k) && strlen(kindlist) + strlen(k) + 2 < sizeof kindlist) {
            if (kindlist[0]) strcat(kindlist, " ");
            strcat(kindlist, k);
        }
    }
    db_finalize(s);
    if (n == 0) return 1;

    int64_t iid = zx_id_new();
    s = db_prepare(c, "INSERT INTO inquiry (id, case_id, court_id, trigger_kind, kinds, requested_by, status, total,"
                      " created_ms) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?) ON CONFLICT DO NOTHING");
    if (!s) return -1;
    db_bind_int64(s, 1, iid);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, court_id);
    db_bind_text(s, 4, trigger, -1);
    db_bind_text(s, 5, kindlist, -1);
    db_bind_int64(s, 6, user_id);
    db_bind_int64(s, 7, n);
    db_bind_int64(s, 8, now);
    int rc = db_step(s);
    int64_t changed = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    if (changed == 0) return 2; /* the filing run exists already */
    s = db_prepare(c, "INSERT INTO inquiry_request (id, inquiry_id, case_id, court_id, institution_id, op, officer_id,"
                      " state, next_ms, created_ms) VALUES (?, ?, ?, ?, ?, 'query', ?, 'pending', ?, ?)");
    if (!s) return -1;
    for (int i = 0; i < n; i++) {
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, iid);
        db_bind_int64(s, 3, case_id);
        db_bind_int64(s, 4, court_id);
        db_bind_int64(s, 5, ids[i]);
        db_bind_int64(s, 6, user_id);
        db_bind_int64(s, 7, now);
        db_bind_int64(s, 8, now);
        if (db_step(s) != DB_DONE) {
            db_finalize(s);
            return -1;
        }
        db_finalize(s);
        s = db_prepare(c, "INSERT INTO inquiry_request (id, inquiry_id, case_id, court_id, institution_id, op, officer_id,"
                          " state, next_ms, created_ms) VALUES (?, ?, ?, ?, ?, 'query', ?, 'pending', ?, ?)");
        if (!s) return -1;
    }
    db_finalize(s);
    *inquiry_id = iid;
    return 0;
}

/* ---- demo institutions (ZX_DEMO order 110) ---------------------------------------------------- */

static const struct {
    const char *code, *name;
} g_demo_inst[] = {
    { "deposit-icbc", "中国工商银行辽宁省分行" },
    { "deposit-abc", "中国农业银行辽宁省分行" },
    { "deposit-boc", "中国银行辽宁省分行" },
    { "deposit-ccb", "中国建设银行辽宁省分行" },
    { "deposit-bocom", "交通银行辽宁省分行" },
    { "deposit-psbc", "中国邮政储蓄银行辽宁省分行" },
    { "deposit-shengjing", "盛京银行" },
    { "deposit-dalian", "大连银行" },
    { "deposit-cmb", "招商银行沈阳分行" },
    { "deposit-cib", "兴业银行沈阳分行" },
    { "deposit-citic", "中信银行沈阳分行" },
    { "deposit-spdb", "上海浦东发展银行沈阳分行" },
    { "deposit-ceb", "中国光大银行沈阳分行" },
    { "deposit-liaoshen", "辽沈银行" },
    { "deposit-jinzhou", "锦州银行" },
    { "wealth-icbc", "工银理财有限责任公司" },
    { "wealth-ccb", "建信理财有限责任公司" },
    { "wealth-boc", "中银理财有限责任公司" },
    { "securities-csdc", "中国证券登记结算有限责任公司" },
    { "equity-lnamr", "辽宁省市场监督管理局" },
    { "real_estate-shenyang", "沈阳市不动产登记中心" },
    { "real_estate-dalian", "大连市不动产登记中心" },
    { "real_estate-anshan", "鞍山市不动产登记中心" },
    { "real_estate-jinzhou", "锦州市不动产登记中心" },
    { "vehicle-lnpolice", "辽宁省公安厅交通警察总队" },
    { "ship-lnmsa", "辽宁海事局" },
    { "online_payment-alipay", "支付宝（中国）网络技术有限公司" },
    { "online_payment-tenpay", "财付通支付科技有限公司" },
    { "insurance-chinalife", "中国人寿保险股份有限公司辽宁省分公司" },
    { "insurance-pingan", "中国平安人寿保险股份有限公司辽宁分公司" },
    { "insurance-picc", "中国人民财产保险股份有限公司辽宁省分公司" },
    { "provident_fund-shenyang", "沈阳住房公积金管理中心" },
    { "provident_fund-dalian", "大连市住房公积金管理中心" },
    { "tax_refund-lntax", "国家税务总局辽宁省税务局" },
    { "social_insurance-ln", "辽宁省社会保险事业服务中心" },
    { "household-lnpsb", "辽宁省公安厅（户籍）" },
    { "marriage-lnca", "辽宁省民政厅（婚姻登记）" },
    { "exit_entry-ln", "辽宁省公安厅出入境管理局" },
    { "telecom-cmcc", "中国移动通信集团辽宁有限公司" },
    { "telecom-unicom", "中国联合网络通信有限公司辽宁省分公司" },
    { "telecom-ctc", "中国电信股份有限公司辽宁分公司" },
};

/* GET <endpoint>/v1/key → the institution's public key PEM (malloc'd) or NULL. */
char *zx_inq_fetch_key(const char *endpoint, long timeout_ms);
char *zx_inq_fetch_key(const char *endpoint, long timeout_ms)
{
    char url[600];
    snprintf(url, sizeof url, "%s/v1/key", endpoint);
    zx_http_body m = { 0 };
    long status = zx_http_exchange("GET", url, NULL, NULL, timeout_ms, &m);
    char *pem = NULL;
    if (status == 200 && m.p) {
        json_t *j = json_loads(m.p, 0, NULL);
        const char *p = json_string_value(json_object_get(j, "public_key"));
        zx_sm2_key *k = p ? zx_sm2_from_public_pem(p) : NULL;
        if (k) pem = strdup(p);
        zx_sm2_free(k);
        json_decref(j);
    }
    free(m.p);
    return pem;
}

static int demo_institutions(zx_app *app, unsigned seed)
{
    const char *base = zx_inq_sim_url();
    db_conn *c = db_acquire(app->db);
    int rc = db_begin(c);
    int pinned = 0, n = (int)(sizeof g_demo_inst / sizeof g_demo_inst[0]);
    for (int i = 0; rc == 0 && i < n; i++) {
        char endpoint[512], stored[300], fp[65] = "";
        snprintf(stored, sizeof stored, "sim:/inst/%s", g_demo_inst[i].code); /* at ZX_SIM_URL, wherever it runs */
        zx_inq_endpoint(stored, endpoint, sizeof endpoint);
        char *pem = zx_inq_fetch_key(endpoint, i == 0 ? 1500 : pinned ? 1500 : 200);
        if (pem) {
            zx_sm2_key *k = zx_sm2_from_public_pem(pem);
            zx_sm2_fingerprint(k, fp);
            zx_sm2_free(k);
            pinned++;
        }
        const char *dash = strchr(g_demo_inst[i].code, '-');
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)(dash - g_demo_inst[i].code), g_demo_inst[i].code);
        const struct zx_inq_kind *k = zx_inq_kind(kind);
        db_stmt *s = db_prepare(c, "INSERT INTO inquiry_institution (id, code, name, kind, ops, endpoint, public_key,"
                                   " key_fp, max_inflight, rate_per_s, timeout_ms, batch_max, enabled, created_ms)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 8, 200, 15000, 50, 1, ?)"
                                   " ON CONFLICT (code) DO NOTHING");
        if (!s || !k) {
            free(pem);
            rc = -1;
            break;
        }
        db_bind_int64(s, 1, zx_id_new());
        db_bind_text(s, 2, g_demo_inst[i].code, -1);
        db_bind_text(s, 3, g_demo_inst[i].name, -1);
        db_bind_text(s, 4, k->kind, -1);
        db_bind_text(s, 5, k->ops, -1);
        db_bind_text(s, 6, stored, -1);
        if (pem) {
            db_bind_text(s, 7, pem, -1);
            db_bind_text(s, 8, fp, -1);
        } else {
            db_bind_null(s, 7);
            db_bind_null(s, 8);
        }
        db_bind_int64(s, 9, zx_now_ms());
        if (db_step(s) != DB_DONE) rc = -1;
        db_finalize(s);
        free(pem);
    }
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
    db_release(app->db, c);
    if (rc == 0)
        printf("inquiry: %d demo institutions registered at %s (simulator; %d keys pinned now%s)\n", n, base, pinned,
               pinned ? "" : ", the rest at first contact");
    return rc;
}
ZX_DEMO("inquiry institutions", 110, demo_institutions)
