/* public.c — the public query service (see public.h).
 *
 * 失信 / 限消 come from credit_entry (effective entries only: active, published, term not over —
 * the same rule as the snapshot); 被执行人 and 终本 come from the case tables of 002 (read-only SQL:
 * debtors of open cases; cases closed by 终结本次执行程序). Published fields follow 失信规定 art 6
 * (name, sex, age, ID number, unit code and legal representative, obligation and performance,
 * conduct, basis document and issuer, case number, filing date, court); a person's ID number is
 * shown as first 10 + "****" + last 4 (rules.md §12, as 中国执行信息公开网). A unit's 统一社会信用代码
 * is published in full (art 6 lists it; units have no personal-data interest in it).
 *
 * Names are matched after folding: credit_entry has name_norm (OpenCC t2s at write time); case_party
 * has only the name as entered, so a query matches it under the typed form, its simplified form and
 * its traditional form. */
#include "credit/public.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/log.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "rules/id_number.h"

unsigned zx_public_lists(const char *csv)
{
    if (!csv || !*csv) return ZX_PUB_ALL;
    unsigned m = 0;
    const char *p = csv;
    while (*p) {
        const char *s = p;
        while (*p && *p != ',') p++;
        size_t n = (size_t)(p - s);
#define IS(x) (n == sizeof(x) - 1 && !memcmp(s, x, n))
        if (IS("dishonest")) m |= ZX_PUB_DISHONEST;
        else if (IS("restricted")) m |= ZX_PUB_RESTRICTED;
        else if (IS("debtor")) m |= ZX_PUB_DEBTOR;
        else if (IS("interim_closure")) m |= ZX_PUB_INTERIM_CLOSURE;
        else if (IS("all")) m |= ZX_PUB_ALL;
        else return 0;
#undef IS
        if (*p == ',') p++;
    }
    return m;
}

/* ---- rate limit: a token bucket per address (burst = per_min, refilled at per_min per minute) -------- */

#define SHARDS 64
#define SLOTS 1024 /* per shard: 65,536 addresses tracked at once */
struct rslot {
    uint64_t h;
    int64_t last_ms;   /* last refill */
    int64_t units;     /* tokens × 60,000 (refill is exact: elapsed ms × per_min) */
};
static struct {
    pthread_mutex_t mu;
    struct rslot s[SLOTS];
} g_rl[SHARDS];
static pthread_once_t rl_once = PTHREAD_ONCE_INIT;
static void rl_init(void)
{
    for (int i = 0; i < SHARDS; i++) pthread_mutex_init(&g_rl[i].mu, NULL);
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

bool zx_public_rate_take(const char *ip, int per_min, int *retry_after)
{
    if (per_min <= 0) return true;
    pthread_once(&rl_once, rl_init);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    int64_t cap = (int64_t)per_min * 60000, cost = 60000;
    uint64_t h = fnv(ip ? ip : "");
    int shard = (int)(h % SHARDS);
    pthread_mutex_lock(&g_rl[shard].mu);
    struct rslot *tab = g_rl[shard].s, *hit = NULL, *victim = NULL;
    size_t start = (size_t)((h >> 8) % SLOTS);
    for (size_t k = 0; k < 16; k++) { /* 16 probes; evict the least recently refilled slot */
        struct rslot *s = &tab[(start + k) % SLOTS];
        if (s->h == h) {
            hit = s;
            break;
        }
        if (!victim || s->last_ms < victim->last_ms) victim = s;
    }
    if (!hit) {
        hit = victim;
        hit->h = h;
        hit->last_ms = now;
        hit->units = cap;
    }
    hit->units += (now - hit->last_ms) * per_min; /* per_min tokens per 60,000 ms */
    if (hit->units > cap) hit->units = cap;
    hit->last_ms = now;
    bool ok = hit->units >= cost;
    if (ok) hit->units -= cost;
    int64_t need_ms = (cost - hit->units + per_min - 1) / per_min;
    pthread_mutex_unlock(&g_rl[shard].mu);
    if (!ok && retry_after) *retry_after = (int)((need_ms + 999) / 1000);
    return ok;
}

void zx_public_rate_reset(void)
{
    pthread_once(&rl_once, rl_init);
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_lock(&g_rl[i].mu);
        memset(g_rl[i].s, 0, sizeof g_rl[i].s);
        pthread_mutex_unlock(&g_rl[i].mu);
    }
}

/* ---- name path concurrency cap --------------------------------------------------------------------- */

static atomic_int g_name_inflight;

bool zx_public_name_enter(int cap)
{
    if (atomic_fetch_add(&g_name_inflight, 1) >= cap) {
        atomic_fetch_sub(&g_name_inflight, 1);
        return false;
    }
    return true;
}
void zx_public_name_leave(void) { atomic_fetch_sub(&g_name_inflight, 1); }

/* ---- simplified → traditional (for case_party names stored as entered) ----------------------------- */

static pthread_once_t s2t_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t s2t_mu = PTHREAD_MUTEX_INITIALIZER;
static opencc_t g_s2t = (opencc_t)-1;
static void s2t_init(void) { g_s2t = opencc_open(OPENCC_DEFAULT_CONFIG_SIMP_TO_TRAD); }

static char *to_trad(const char *s)
{
    pthread_once(&s2t_once, s2t_init);
    char *out = NULL;
    if (g_s2t != (opencc_t)-1) {
        pthread_mutex_lock(&s2t_mu);
        char *t = opencc_convert_utf8(g_s2t, s, strlen(s));
        pthread_mutex_unlock(&s2t_mu);
        if (t) {
            out = strdup(t);
            opencc_convert_utf8_free(t);
        }
    }
    return out ? out : strdup(s);
}

/* ---- rows → public JSON ---------------------------------------------------------------------------- */

static const char *sex_label(const char *s)
{
    if (!s) return NULL;
    if (!strcmp(s, "M") || !strcmp(s, "男")) return "男";
    if (!strcmp(s, "F") || !strcmp(s, "女")) return "女";
    return NULL;
}

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *money(int64_t fen)
{
    char b[32];
    snprintf(b, sizeof b, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(fen < 0 ? -fen : fen) / 100,
             (long long)(fen < 0 ? -fen : fen) % 100);
    return json_string(b);
}

/* Identity fields shared by every list: name, sex, age, masked ID / unit code. */
static void put_identity(json_t *o, const char *kind, const char *name, const char *id, const char *sex,
                         const char *birth, zx_date today)
{
    json_object_set_new(o, "name", str_or_null(name));
    bool unit = kind && !strcmp(kind, "unit");
    json_object_set_new(o, "person_kind", json_string(unit ? "unit" : "person"));
    if (unit) {
        json_object_set_new(o, "credit_code", str_or_null(id));
        return;
    }
    char m[19] = "";
    if (id && *id) zx_credit_id_mask(id, m);
    json_object_set_new(o, "id_number", m[0] ? json_string(m) : json_null());
    const char *sx = sex_label(sex);
    json_object_set_new(o, "sex", sx ? json_string(sx) : json_null());
    zx_date b;
    if (birth && zx_date_parse(birth, &b) == 0) json_object_set_new(o, "age", json_integer(zx_idno_age(b, today)));
    else json_object_set_new(o, "age", json_null());
}

static const char *const ground_labels[7] = {
    NULL,
    "有履行能力而拒不履行生效法律文书确定义务",                 /* 失信规定 art 1 (1) */
    "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",               /* art 1 (2) */
    "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",   /* art 1 (3) */
    "违反财产报告制度",                                         /* art 1 (4) */
    "违反限制消费令",                                           /* art 1 (5) */
    "无正当理由拒不履行执行和解协议",                           /* art 1 (6) */
};

/* credit_entry lists. */
static json_t *credit_list(db_conn *c, const char *list, const char *name_norm, const char *id18, int page, int size,
                           zx_date today)
{
    char day[11];
    zx_date_format(today, day);
    const char *where = id18 && name_norm ? ZX_PII_IN("e.id_number") " AND e.name_norm = ?"
                        : id18            ? ZX_PII_IN("e.id_number")
                                          : "e.name_norm = ?";
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM credit_entry e WHERE e.list = ? AND e.status = 'active' AND e.publish_on <= ? "
             "AND (e.term_end IS NULL OR e.term_end >= ?) AND %s",
             where);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return NULL;
    int k = 1;
    db_bind_text(s, k++, list, -1);
    db_bind_text(s, k++, day, -1);
    db_bind_text(s, k++, day, -1);
    if (id18) { /* blind index (migration 042): both forms during a key rotation */
        zx_pii_bind_lookup(s, k, ZX_PII_ID_NUMBER, id18);
        k += 2;
    }
    if (name_norm) db_bind_text(s, k++, name_norm, -1);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc < 0) return NULL;
    snprintf(sql, sizeof sql,
             "SELECT e.person_kind, e.name, e.id_number_enc, e.sex, e.birth_date, e.legal_rep, e.case_no, e.court_code, "
             "COALESCE(ct.name, e.court_name), e.filed_on, e.publish_on, e.obligation, e.performance, e.conduct, e.ground, e.basis_doc_no, "
             "e.basis_issuer, e.categories, e.bound_role, e.term_end "
             "FROM credit_entry e LEFT JOIN court ct ON ct.code = e.court_code "
             "WHERE e.list = ? AND e.status = 'active' AND e.publish_on <= ? AND (e.term_end IS NULL OR e.term_end >= ?) "
             "AND %s ORDER BY e.publish_on DESC, e.id LIMIT ? OFFSET ?",
             where);
    s = db_prepare(c, sql);
    if (!s) return NULL;
    k = 1;
    db_bind_text(s, k++, list, -1);
    db_bind_text(s, k++, day, -1);
    db_bind_text(s, k++, day, -1);
    if (id18) { /* blind index (migration 042): both forms during a key rotation */
        zx_pii_bind_lookup(s, k, ZX_PII_ID_NUMBER, id18);
        k += 2;
    }
    if (name_norm) db_bind_text(s, k++, name_norm, -1);
    db_bind_int64(s, k++, size);
    db_bind_int64(s, k++, (int64_t)(page - 1) * size);
    json_t *items = json_array();
    bool dishonest = !strcmp(list, "dishonest");
    while ((rc = db_step(s)) == DB_ROW) {
        json_t *o = json_object();
        const char *kind = db_col_text(s, 0);
        char *idn = zx_pii_col(s, 2, ZX_PII_ID_NUMBER); /* sealed; masked (person) or the public code (unit) */
        put_identity(o, kind, db_col_text(s, 1), idn, db_col_text(s, 3), db_col_text(s, 4), today);
        zx_pii_free(idn);
        if (kind && !strcmp(kind, "unit")) json_object_set_new(o, "legal_rep", str_or_null(db_col_text(s, 5)));
        json_object_set_new(o, "case_no", str_or_null(db_col_text(s, 6)));
        const char *cname = db_col_text(s, 8);
        json_object_set_new(o, "court", str_or_null(cname && *cname ? cname : NULL)); /* by name, never a 法院代字 */
        json_object_set_new(o, "filed_on", str_or_null(db_col_text(s, 9)));
        json_object_set_new(o, "published_on", str_or_null(db_col_text(s, 10)));
        if (dishonest) {
            json_object_set_new(o, "obligation", str_or_null(db_col_text(s, 11)));
            json_object_set_new(o, "performance", str_or_null(db_col_text(s, 12)));
            int g = (int)db_col_int64(s, 14);
            const char *conduct = db_col_text(s, 13);
            json_object_set_new(o, "conduct", str_or_null(conduct && *conduct ? conduct : g >= 1 && g <= 6 ? ground_labels[g] : NULL));
            json_object_set_new(o, "basis_doc_no", str_or_null(db_col_text(s, 15)));
            json_object_set_new(o, "basis_issuer", str_or_null(db_col_text(s, 16)));
            json_object_set_new(o, "term_end", str_or_null(db_col_text(s, 19)));
        } else {
            int mask = zx_credit_cat_mask(db_col_text(s, 17));
            json_t *cats = json_array();
            for (int i = 0; i < ZX_CAT_COUNT; i++)
                if (mask > 0 && (mask & (1 << i))) json_array_append_new(cats, json_string(zx_credit_categories[i].label));
            json_object_set_new(o, "restrictions", cats);
            const char *br = db_col_text(s, 18);
            if (br && *br) json_object_set_new(o, "bound_role", json_string(br));
        }
        json_array_append_new(items, o);
    }
    db_finalize(s);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
}

/* 被执行人 / 终本 from 002. names[0..nn) are the forms to match. */
static json_t *case_list(db_conn *c, bool interim, const char *const *names, int nn, const char *id18, int page,
                         int size, zx_date today)
{
    char where[400];
    size_t w = 0;
    w += (size_t)snprintf(where + w, sizeof where - w, "%s",
                          interim ? "e.status = 'closed' AND e.closure_mode = 'interim_closure'"
                                  : "e.status <> 'closed'");
    if (id18) w += (size_t)snprintf(where + w, sizeof where - w, " AND (" ZX_PII_IN("p.id_number") " OR p.credit_code = ?)");
    if (nn) {
        w += (size_t)snprintf(where + w, sizeof where - w, " AND p.name IN (");
        for (int i = 0; i < nn; i++) w += (size_t)snprintf(where + w, sizeof where - w, "%s?", i ? ", " : "");
        w += (size_t)snprintf(where + w, sizeof where - w, ")");
    }
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM case_party p JOIN enf_case e ON e.id = p.case_id WHERE p.role = 'debtor' AND %s",
             where);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return NULL;
    int k = 1;
    if (id18) { /* case_party.id_number holds the blind index (migration 020), credit_code the code */
        zx_pii_bind_lookup(s, k, ZX_PII_ID_NUMBER, id18);
        k += 2;
        db_bind_text(s, k++, id18, -1);
    }
    for (int i = 0; i < nn; i++) db_bind_text(s, k++, names[i], -1);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc < 0) return NULL;
    snprintf(sql, sizeof sql,
             "SELECT p.kind, p.name, p.credit_code, p.sex, p.birth_date, e.case_no, ct.name, "
             "e.filed_on, e.closed_on, e.claim_fen, e.recovered_fen, e.status, p.id_number_enc "
             "FROM case_party p JOIN enf_case e ON e.id = p.case_id LEFT JOIN court ct ON ct.id = e.court_id "
             "WHERE p.role = 'debtor' AND %s ORDER BY e.filed_on DESC, e.id LIMIT ? OFFSET ?",
             where);
    s = db_prepare(c, sql);
    if (!s) return NULL;
    k = 1;
    if (id18) { /* case_party.id_number holds the blind index (migration 020), credit_code the code */
        zx_pii_bind_lookup(s, k, ZX_PII_ID_NUMBER, id18);
        k += 2;
        db_bind_text(s, k++, id18, -1);
    }
    for (int i = 0; i < nn; i++) db_bind_text(s, k++, names[i], -1);
    db_bind_int64(s, k++, size);
    db_bind_int64(s, k++, (int64_t)(page - 1) * size);
    json_t *items = json_array();
    while ((rc = db_step(s)) == DB_ROW) {
        json_t *o = json_object();
        char *idn = zx_pii_col(s, 12, ZX_PII_ID_NUMBER);
        put_identity(o, db_col_text(s, 0), db_col_text(s, 1), idn ? idn : db_col_text(s, 2), db_col_text(s, 3),
                     db_col_text(s, 4), today);
        zx_pii_free(idn);
        json_object_set_new(o, "case_no", str_or_null(db_col_text(s, 5)));
        json_object_set_new(o, "court", str_or_null(db_col_text(s, 6)));
        json_object_set_new(o, "filed_on", str_or_null(db_col_text(s, 7)));
        json_object_set_new(o, "claim_yuan", money(db_col_int64(s, 9)));
        if (interim) {
            json_object_set_new(o, "closed_on", str_or_null(db_col_text(s, 8)));
            int64_t unpaid = db_col_int64(s, 9) - db_col_int64(s, 10);
            json_object_set_new(o, "unperformed_yuan", money(unpaid > 0 ? unpaid : 0));
        } else {
            json_object_set_new(o, "case_status", str_or_null(db_col_text(s, 11)));
        }
        json_array_append_new(items, o);
    }
    db_finalize(s);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
}

json_t *zx_public_search(db_conn *c, const char *name, const char *id18, unsigned lists, int page, int size)
{
    zx_date today = zx_today();
    char *norm = name && *name ? zx_credit_name_norm(name) : NULL;
    char *trad = norm ? to_trad(norm) : NULL;
    const char *names[3];
    int nn = 0;
    if (norm) {
        names[nn++] = norm;
        if (strcmp(name, norm)) names[nn++] = name;
        if (strcmp(trad, norm) && strcmp(trad, name)) names[nn++] = trad;
    }
    json_t *out = json_object();
    bool fail = false;
    if (!fail && (lists & ZX_PUB_DISHONEST)) {
        json_t *x = credit_list(c, "dishonest", norm, id18, page, size, today);
        if (x) json_object_set_new(out, "dishonest", x);
        else fail = true;
    }
    if (!fail && (lists & ZX_PUB_RESTRICTED)) {
        json_t *x = credit_list(c, "restricted", norm, id18, page, size, today);
        if (x) json_object_set_new(out, "restricted", x);
        else fail = true;
    }
    if (!fail && (lists & ZX_PUB_DEBTOR)) {
        json_t *x = case_list(c, false, names, nn, id18, page, size, today);
        if (x) json_object_set_new(out, "debtor", x);
        else fail = true;
    }
    if (!fail && (lists & ZX_PUB_INTERIM_CLOSURE)) {
        json_t *x = case_list(c, true, names, nn, id18, page, size, today);
        if (x) json_object_set_new(out, "interim_closure", x);
        else fail = true;
    }
    free(norm);
    free(trad);
    if (fail) {
        LOG_ERROR("public search: %s", db_errmsg(c));
        json_decref(out);
        return NULL;
    }
    return out;
}
