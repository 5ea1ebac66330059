/* entry.c — credit_entry / credit_change read and write helpers, restricted categories, ID
 * normalisation and name folding. See entry.h. */
#include "credit/entry.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/pii_prp.h"
#include "audit/audit.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"

/* Sealed columns of the credit tables (migration 042), re-sealed by `zhixing pii rotate`. */
ZX_PII_COLUMN(credit_entry, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(credit_decision, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN_KEY(credit_change, seq, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN_KEY(credit_change, seq, prev_id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(credit_deletion, id_number_enc, ZX_PII_ID_NUMBER)
ZX_PII_COLUMN(interception_report, id_number_enc, ZX_PII_ID_NUMBER)

#define ART3 "《关于限制被执行人高消费及有关消费的若干规定》第三条"
const struct zx_credit_category zx_credit_categories[ZX_CAT_COUNT] = {
    { "flight", 1, "限制乘坐飞机", ART3 "第（一）项" },
    { "train_sleeper", 1, "限制乘坐列车软卧", ART3 "第（一）项" },
    { "ship_cabin", 1, "限制乘坐轮船二等以上舱位", ART3 "第（一）项" },
    { "hotel", 2, "限制在星级以上宾馆、酒店、夜总会、高尔夫球场等场所高消费", ART3 "第（二）项" },
    { "real_estate", 3, "限制购买不动产或新建、扩建、高档装修房屋", ART3 "第（三）项" },
    { "office_rent", 4, "限制租赁高档写字楼、宾馆、公寓等场所办公", ART3 "第（四）项" },
    { "vehicle", 5, "限制购买非经营必需车辆", ART3 "第（五）项" },
    { "travel", 6, "限制旅游、度假", ART3 "第（六）项" },
    { "private_school", 7, "限制子女就读高收费私立学校", ART3 "第（七）项" },
    { "insurance_wealth", 8, "限制支付高额保费购买保险理财产品", ART3 "第（八）项" },
    { "high_speed_rail", 9, "限制乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位", ART3 "第（九）项" },
    { "other_nonessential", 9, "限制其他非生活和工作必需的消费行为", ART3 "第（九）项" },
};

int zx_credit_cat_bit(const char *code, int len)
{
    if (!code) return -1;
    size_t n = len < 0 ? strlen(code) : (size_t)len;
    for (int i = 0; i < ZX_CAT_COUNT; i++) {
        const char *c = zx_credit_categories[i].code;
        if (strlen(c) == n && memcmp(c, code, n) == 0) return i;
    }
    return -1;
}

int zx_credit_cat_mask(const char *codes)
{
    if (!codes || !*codes) return ZX_CAT_ALL;
    int mask = 0;
    const char *p = codes;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *s = p;
        while (*p && *p != ' ' && *p != ',') p++;
        if (p == s) break;
        int b = zx_credit_cat_bit(s, (int)(p - s));
        if (b < 0) return -1;
        mask |= 1 << b;
    }
    return mask ? mask : ZX_CAT_ALL;
}

void zx_credit_cat_format(uint16_t mask, char *buf, size_t len)
{
    size_t o = 0;
    if (len) buf[0] = '\0';
    for (int i = 0; i < ZX_CAT_COUNT; i++) {
        if (!(mask & (1u << i))) continue;
        int w = snprintf(buf + o, len > o ? len - o : 0, "%s%s", o ? " " : "", zx_credit_categories[i].code);
        if (w < 0 || (size_t)w >= len - o) break;
        o += (size_t)w;
    }
}

/* ---- ID numbers ---------------------------------------------------------------------------------- */

/* Fast path for the common case (bulk checks): 18 characters, 17 digits. Same rules as
 * zx_idno_check (GB 11643: MOD 11-2 check character, real birth date, not after today) without the
 * copies; returns ZX_IDK_INVALID when the string is not a valid person ID (it may still be a
 * 统一社会信用代码, which the caller tries next). */
static enum zx_id_kind fast_person(const char *in, zx_date today, char out[19], int *digits17)
{
    static const unsigned char w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned)(unsigned char)in[i] - '0';
        if (d > 9) {
            *digits17 = 0;
            return ZX_IDK_INVALID;
        }
        sum += d * w[i];
    }
    *digits17 = 1;
    char c = in[17] == 'x' ? 'X' : in[17];
    if (c != "10X98765432"[sum % 11]) return ZX_IDK_INVALID;
    int y = (in[6] - '0') * 1000 + (in[7] - '0') * 100 + (in[8] - '0') * 10 + (in[9] - '0');
    int m = (in[10] - '0') * 10 + (in[11] - '0'), d = (in[12] - '0') * 10 + (in[13] - '0');
    if (!zx_date_valid_ymd(y, m, d) || zx_date_from_ymd(y, m, d) > today) return ZX_IDK_INVALID;
    memcpy(out, in, 17);
    out[17] = c;
    out[18] = '\0';
    return ZX_IDK_PERSON;
}

int zx_credit_kind_parse(const char *s, size_t n)
{
    if (!s || !n) return ZX_IDK_INVALID;
    if (n == 6 && !memcmp(s, "person", 6)) return ZX_IDK_PERSON;
    if (n == 4 && !memcmp(s, "unit", 4)) return ZX_IDK_UNIT;
    return -1;
}

enum zx_id_kind zx_credit_id_normalise(const char *in, size_t len, zx_date today, char out[19])
{
    return zx_credit_id_normalise_kind(in, len, ZX_IDK_INVALID, today, out);
}

enum zx_id_kind zx_credit_id_normalise_kind(const char *in, size_t len, enum zx_id_kind want, zx_date today,
                                            char out[19])
{
    while (len && (*in == ' ' || *in == '\t')) in++, len--;
    while (len && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\r')) len--;
    if (len == 18) {
        int digits;
        if (want != ZX_IDK_UNIT && fast_person(in, today, out, &digits) == ZX_IDK_PERSON) return ZX_IDK_PERSON;
        if (want == ZX_IDK_PERSON) return ZX_IDK_INVALID;
        /* A mistyped (or future-dated) ID number is not a credit code unless the caller says it is
         * a unit: it would pass GB 32100's MOD 31 check 1 time in 31 and answer "allow". */
        if (want != ZX_IDK_UNIT && zx_idno_shaped(in, len)) return ZX_IDK_INVALID;
        char buf[19];
        memcpy(buf, in, 18);
        buf[18] = '\0';
        return zx_uscc_check(buf, out) == ZX_USCC_OK ? ZX_IDK_UNIT : ZX_IDK_INVALID;
    }
    if (len != 15 || want == ZX_IDK_UNIT) return ZX_IDK_INVALID;
    char buf[19];
    memcpy(buf, in, len);
    buf[len] = '\0';
    zx_idno_info info;
    enum zx_idno_status st = zx_idno_check(buf, today, &info);
    if (st == ZX_IDNO_OK) {
        memcpy(out, info.id, 19);
        return ZX_IDK_PERSON;
    }
    if (st == ZX_IDNO_LEGACY15) {
        /* GB 11643-1999: a 15-digit number becomes 18 by inserting the century "19" after the
         * address code and appending the MOD 11-2 check character. */
        memcpy(out, buf, 6);
        out[6] = '1';
        out[7] = '9';
        memcpy(out + 8, buf + 6, 9);
        out[17] = zx_idno_check_char(out);
        out[18] = '\0';
        return out[17] ? ZX_IDK_PERSON : ZX_IDK_INVALID;
    }
    if (len == 18 && zx_uscc_check(buf, out) == ZX_USCC_OK) return ZX_IDK_UNIT;
    return ZX_IDK_INVALID;
}

static inline zx_credit_key key_of(const char *v, size_t n)
{
    uint64_t h[2];
    zx_pii_snapshot_prp(v, n, h); /* AES-128 of the packed ID: a keyed bijection (core/pii_prp.h) */
    return (zx_credit_key){ h[0] ? h[0] : 1, h[1] }; /* 0 marks an empty slot */
}

zx_credit_key zx_credit_id_key(const char id18[18], enum zx_id_kind kind)
{
    if (kind == ZX_IDK_INVALID) return (zx_credit_key){ 0, 0 };
    /* id18 is already in zx_pii_normalise form (18 characters, upper-case X, no spaces) */
    return key_of(id18, 18);
}

void zx_credit_id_keys4(const char *const id18[4], zx_credit_key out[4])
{
    uint64_t h[4][2];
    zx_pii_snapshot_prp4(id18, h); /* the four AES blocks interleaved (core/pii_prp.h) */
    for (int i = 0; i < 4; i++) out[i] = (zx_credit_key){ h[i][0] ? h[i][0] : 1, h[i][1] };
}

zx_credit_key zx_credit_plain_key(const char *plain)
{
    char norm[64];
    int n = plain ? zx_pii_normalise(ZX_PII_ID_NUMBER, plain, norm, sizeof norm) : -1;
    if (n <= 0) return (zx_credit_key){ 0, 0 };
    zx_credit_key k = key_of(norm, (size_t)n);
    zx_wipe(norm, (size_t)n);
    return k;
}

void zx_credit_id_mask(const char *id, char out[19])
{
    zx_idno_mask(id ? id : "", out, 19);
}

/* ---- Names ------------------------------------------------------------------------------------- */

static pthread_once_t cc_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t cc_mu = PTHREAD_MUTEX_INITIALIZER;
static opencc_t cc_t2s = (opencc_t)-1;

static void cc_init(void)
{
    cc_t2s = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    if (cc_t2s == (opencc_t)-1) LOG_WARN("opencc t2s unavailable: %s", opencc_error());
}

char *zx_credit_name_norm(const char *name)
{
    if (!name) name = "";
    pthread_once(&cc_once, cc_init);
    char *conv = NULL;
    if (cc_t2s != (opencc_t)-1) {
        /* OpenCC's converter is not documented as thread-safe; name folding is off the hot path. */
        pthread_mutex_lock(&cc_mu);
        char *t = opencc_convert_utf8(cc_t2s, name, strlen(name));
        pthread_mutex_unlock(&cc_mu);
        if (t) {
            conv = strdup(t);
            opencc_convert_utf8_free(t);
        }
    }
    if (!conv) conv = strdup(name);
    if (!conv) zx_die("out of memory");
    /* Remove ASCII/full-width spaces and the middle-dot variants used in transliterated names
     * (·  U+00B7, • U+2022, ・ U+30FB, ‧ U+2027) so "阿依古丽·买买提" matches "阿依古丽买买提". */
    char *w = conv;
    for (const char *p = conv; *p;) {
        const unsigned char *u = (const unsigned char *)p;
        if (*u == ' ' || *u == '\t') { p++; continue; }
        if (u[0] == 0xC2 && u[1] == 0xB7) { p += 2; continue; }
        if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA2 || u[2] == 0xA7)) { p += 3; continue; }
        if (u[0] == 0xE3 && u[1] == 0x83 && u[2] == 0xBB) { p += 3; continue; }
        if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) { p += 3; continue; } /* ideographic space */
        *w++ = *p++;
    }
    *w = '\0';
    return conv;
}

/* ---- Entries: one descriptor table drives SELECT, INSERT/UPDATE binds and JSON. ------------------ */

/* C_PII: the ID number — column `id_number` holds its blind index and `id_number_enc` the sealed
 * value (core/pii.h, migration 042); the struct and the JSON carry the plain value. */
enum coltype { C_TEXT, C_I64, C_INT, C_PII };
struct col {
    const char *name;
    enum coltype type;
    size_t off;
    size_t size;
    bool nullable; /* "" / 0 stored as NULL */
};
#define T(f, n) { #f, C_TEXT, offsetof(struct zx_credit_entry, f), sizeof(((struct zx_credit_entry *)0)->f), n }
#define I64(f, n) { #f, C_I64, offsetof(struct zx_credit_entry, f), 8, n }
#define INT(f, n) { #f, C_INT, offsetof(struct zx_credit_entry, f), 4, n }
#define PII(f) { #f, C_PII, offsetof(struct zx_credit_entry, f), sizeof(((struct zx_credit_entry *)0)->f), false }
static const struct col cols[] = {
    I64(id, false),       T(list, false),        I64(case_id, true),      T(case_no, false),
    T(court_code, false), T(person_kind, false), T(name, false),          PII(id_number),
    T(legal_rep, true),   I64(bound_by_entry_id, true), T(bound_role, true), INT(ground, true),
    T(categories, true),  T(decided_on, false),  T(served_on, true),      T(publish_on, false),
    T(term_end, true),    T(status, false),      T(status_on, false),     T(status_reason, true),
    T(permit_categories, true), T(permit_from, true), T(permit_to, true), T(sex, true),
    T(birth_date, true),  T(obligation, true),   T(performance, true),    T(conduct, true),
    T(basis_doc_no, true), T(basis_issuer, true), T(filed_on, true),      I64(created_ms, false),
    I64(updated_ms, false), INT(version, false), T(court_name, true),
};
#define NCOLS (sizeof cols / sizeof cols[0])
#undef T
#undef I64
#undef INT
#undef PII

static char sql_select[2048], sql_insert[2048], sql_update[2048];
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

static void sql_init(void)
{
    size_t a = 0, b = 0, u = 0;
    a += (size_t)snprintf(sql_select + a, sizeof sql_select - a, "SELECT ");
    b += (size_t)snprintf(sql_insert + b, sizeof sql_insert - b, "INSERT INTO credit_entry (");
    u += (size_t)snprintf(sql_update + u, sizeof sql_update - u, "UPDATE credit_entry SET ");
    for (size_t i = 0; i < NCOLS; i++) {
        bool pii = cols[i].type == C_PII;
        a += (size_t)snprintf(sql_select + a, sizeof sql_select - a, "%s%s%s", i ? ", " : "", cols[i].name, pii ? "_enc" : "");
        b += (size_t)snprintf(sql_insert + b, sizeof sql_insert - b, "%s%s", i ? ", " : "", cols[i].name);
        if (i) u += (size_t)snprintf(sql_update + u, sizeof sql_update - u, "%s%s = ?", i > 1 ? ", " : "", cols[i].name);
    }
    snprintf(sql_select + a, sizeof sql_select - a, " FROM credit_entry WHERE id = ?");
    b += (size_t)snprintf(sql_insert + b, sizeof sql_insert - b, ", name_norm, id_number_enc) VALUES (");
    for (size_t i = 0; i <= NCOLS + 1; i++) b += (size_t)snprintf(sql_insert + b, sizeof sql_insert - b, "%s?", i ? ", " : "");
    snprintf(sql_insert + b, sizeof sql_insert - b, ")");
    snprintf(sql_update + u, sizeof sql_update - u, ", name_norm = ?, id_number_enc = ? WHERE id = ?");
}

void zx_credit_entry_init(struct zx_credit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->version = 1;
}

static void fill_from_stmt(db_stmt *s, struct zx_credit_entry *e)
{
    zx_credit_entry_init(e);
    for (size_t i = 0; i < NCOLS; i++) {
        char *f = (char *)e + cols[i].off;
        if (cols[i].type == C_TEXT) {
            const char *t = db_col_text(s, (int)i);
            snprintf(f, cols[i].size, "%s", t ? t : "");
        } else if (cols[i].type == C_PII) {
            char *t = zx_pii_col(s, (int)i, ZX_PII_ID_NUMBER);
            snprintf(f, cols[i].size, "%s", t ? t : "");
            zx_pii_free(t);
        } else if (cols[i].type == C_I64) {
            *(int64_t *)f = db_col_int64(s, (int)i);
        } else {
            *(int *)f = (int)db_col_int64(s, (int)i);
        }
    }
}

int zx_credit_entry_load(db_conn *c, int64_t id, struct zx_credit_entry *e)
{
    pthread_once(&sql_once, sql_init);
    db_stmt *s = db_prepare(c, sql_select);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) fill_from_stmt(s, e);
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

static void bind_cols(db_stmt *s, const struct zx_credit_entry *e, size_t from, int idx0)
{
    int idx = idx0;
    for (size_t i = from; i < NCOLS; i++, idx++) {
        const char *f = (const char *)e + cols[i].off;
        if (cols[i].type == C_TEXT) {
            if (cols[i].nullable && !*f) db_bind_null(s, idx);
            else db_bind_text(s, idx, f, -1);
        } else if (cols[i].type == C_PII) {
            zx_pii_bind_index(s, idx, ZX_PII_ID_NUMBER, f);
        } else {
            int64_t v = cols[i].type == C_I64 ? *(const int64_t *)f : *(const int *)f;
            if (cols[i].nullable && v == 0) db_bind_null(s, idx);
            else db_bind_int64(s, idx, v);
        }
    }
}

static int64_t change_append_entry(db_conn *c, const struct zx_credit_entry *e, const char *action,
                                   const char *prev_id)
{
    db_stmt *s = db_prepare(c, "UPDATE credit_change_head SET seq = seq + 1 WHERE id = 1 RETURNING seq");
    if (!s) return DB_ERROR;
    int rc = db_step(s);
    int64_t seq = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    json_t *j = zx_credit_entry_json(e);
    json_object_del(j, "id_number"); /* sealed in id_number_enc (migration 042) */
    char *data = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!data) zx_die("out of memory");
    s = db_prepare(c, "INSERT INTO credit_change (seq, at_ms, entry_id, action, list, id_number, "
                      "prev_id_number, data, id_number_enc, prev_id_number_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) {
        free(data);
        return DB_ERROR;
    }
    db_bind_int64(s, 1, seq);
    db_bind_int64(s, 2, zx_now_ms());
    db_bind_int64(s, 3, e->id);
    db_bind_text(s, 4, action, -1);
    db_bind_text(s, 5, e->list, -1);
    const char *prev = prev_id && *prev_id && strcmp(prev_id, e->id_number) != 0 ? prev_id : NULL;
    zx_pii_bind_index(s, 6, ZX_PII_ID_NUMBER, e->id_number);
    zx_pii_bind_index(s, 7, ZX_PII_ID_NUMBER, prev);
    db_bind_text(s, 8, data, -1);
    zx_pii_bind(s, 9, ZX_PII_ID_NUMBER, e->id_number);
    zx_pii_bind(s, 10, ZX_PII_ID_NUMBER, prev);
    rc = db_step(s);
    db_finalize(s);
    free(data);
    return rc == DB_DONE ? seq : (rc < 0 ? rc : DB_ERROR);
}

static bool valid_action(const char *a)
{
    static const char *const acts[] = { "listed", "published", "lifted", "deleted", "corrected", "revoked" };
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
        if (a && strcmp(a, acts[i]) == 0) return true;
    return false;
}

int64_t zx_credit_entry_save(db_conn *c, struct zx_credit_entry *e, const char *action)
{
    pthread_once(&sql_once, sql_init);
    if (!valid_action(action)) return DB_ERROR;
    char norm[19];
    enum zx_id_kind k = zx_credit_id_normalise(e->id_number, strlen(e->id_number), zx_today(), norm);
    if (k == ZX_IDK_INVALID) return ZX_CREDIT_EBADID;
    memcpy(e->id_number, norm, 19);
    if (zx_credit_cat_mask(e->categories) < 0) return ZX_CREDIT_EBADCAT;
    if (e->permit_categories[0] && zx_credit_cat_mask(e->permit_categories) < 0) return ZX_CREDIT_EBADCAT;
    if (k == ZX_IDK_PERSON && strcmp(e->person_kind, "unit") != 0) {
        zx_idno_info info;
        if (zx_idno_check(norm, zx_today(), &info) == ZX_IDNO_OK) {
            if (!e->sex[0]) snprintf(e->sex, sizeof e->sex, "%s", info.sex == ZX_SEX_MALE ? "M" : "F");
            if (!e->birth_date[0]) zx_date_format(info.birth, e->birth_date);
        }
    }
    if (!e->person_kind[0]) snprintf(e->person_kind, sizeof e->person_kind, "%s", k == ZX_IDK_UNIT ? "unit" : "person");
    if (!e->status_on[0]) zx_date_format(zx_today(), e->status_on);
    char *nn = zx_credit_name_norm(e->name);
    int64_t now = zx_now_ms();
    e->updated_ms = now;
    int rc;
    struct zx_credit_entry old;
    int found = e->id ? zx_credit_entry_load(c, e->id, &old) : 1;
    if (found < 0) {
        free(nn);
        return found;
    }
    if (found == 1) {
        if (!e->id) e->id = zx_id_new();
        e->created_ms = now;
        e->version = 1;
        db_stmt *s = db_prepare(c, sql_insert);
        if (!s) {
            free(nn);
            return DB_ERROR;
        }
        bind_cols(s, e, 0, 1);
        db_bind_text(s, (int)NCOLS + 1, nn, -1);
        zx_pii_bind(s, (int)NCOLS + 2, ZX_PII_ID_NUMBER, e->id_number);
        rc = db_step(s);
        db_finalize(s);
    } else {
        e->created_ms = old.created_ms;
        e->version = old.version + 1;
        db_stmt *s = db_prepare(c, sql_update);
        if (!s) {
            free(nn);
            return DB_ERROR;
        }
        bind_cols(s, e, 1, 1);
        db_bind_text(s, (int)NCOLS, nn, -1);
        zx_pii_bind(s, (int)NCOLS + 1, ZX_PII_ID_NUMBER, e->id_number);
        db_bind_int64(s, (int)NCOLS + 2, e->id);
        rc = db_step(s);
        db_finalize(s);
    }
    free(nn);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return change_append_entry(c, e, action, found == 0 ? old.id_number : NULL);
}

int64_t zx_credit_change_append(db_conn *c, int64_t entry_id, const char *action)
{
    if (!valid_action(action)) return DB_ERROR;
    struct zx_credit_entry e;
    int rc = zx_credit_entry_load(c, entry_id, &e);
    if (rc != 0) return rc < 0 ? rc : DB_ERROR;
    return change_append_entry(c, &e, action, NULL);
}

json_t *zx_credit_entry_json(const struct zx_credit_entry *e)
{
    json_t *j = json_object();
    for (size_t i = 0; i < NCOLS; i++) {
        const char *f = (const char *)e + cols[i].off;
        json_t *v;
        if (cols[i].type == C_TEXT || cols[i].type == C_PII) {
            v = (cols[i].nullable && !*f) ? json_null() : json_string(f);
            if (!v) v = json_stringn(f, strnlen(f, cols[i].size)); /* invalid UTF-8 guard */
            if (!v) v = json_null();
        } else {
            int64_t n = cols[i].type == C_I64 ? *(const int64_t *)f : *(const int *)f;
            v = (cols[i].nullable && n == 0) ? json_null() : json_integer(n);
        }
        json_object_set_new(j, cols[i].name, v);
    }
    return j;
}

int zx_credit_entry_from_json(const json_t *j, struct zx_credit_entry *e)
{
    if (!json_is_object(j)) return -1;
    zx_credit_entry_init(e);
    for (size_t i = 0; i < NCOLS; i++) {
        char *f = (char *)e + cols[i].off;
        json_t *v = json_object_get(j, cols[i].name);
        if (!v || json_is_null(v)) continue;
        if (cols[i].type == C_TEXT || cols[i].type == C_PII) {
            if (json_is_string(v)) snprintf(f, cols[i].size, "%s", json_string_value(v));
        } else if (json_is_integer(v)) {
            if (cols[i].type == C_I64) *(int64_t *)f = json_integer_value(v);
            else *(int *)f = (int)json_integer_value(v);
        }
    }
    return 0;
}

/* ---- grace period end ------------------------------------------------------------------------------ */

int zx_credit_publish_due(db_conn *c, zx_date today)
{
    char day[11];
    zx_date_format(today, day);
    int64_t ids[256];
    int n = 0;
    /* No ORDER BY: with it SQLite walks the primary key of all 10M rows instead of the status index. */
    db_stmt *s = db_prepare(c, "SELECT id FROM credit_entry WHERE status = 'grace' AND publish_on <= ? LIMIT 256");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, day, -1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && n < 256) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    if (rc < 0) return rc;
    int done = 0;
    for (int i = 0; i < n; i++) {
        if (db_begin(c) != 0) return done ? done : DB_ERROR;
        struct zx_credit_entry e;
        int64_t seq = -1;
        /* Re-read inside the transaction: a deletion/lifting may have happened meanwhile. */
        if (zx_credit_entry_load(c, ids[i], &e) == 0 && strcmp(e.status, "grace") == 0) {
            snprintf(e.status, sizeof e.status, "active");
            snprintf(e.status_on, sizeof e.status_on, "%s", day);
            seq = zx_credit_entry_save(c, &e, "published");
            char detail[96];
            snprintf(detail, sizeof detail, "{\"publish_on\":\"%s\",\"seq\":%lld}", e.publish_on, (long long)seq);
            char oid[24];
            snprintf(oid, sizeof oid, "%lld", (long long)e.id);
            zx_audit_rec rec = { .username = "system", .court_code = e.court_code, .action = "credit.publish",
                                 .object_type = "credit_entry", .object_id = oid, .result = "ok", .detail = detail };
            if (seq > 0 && zx_audit_write(c, &rec) != 0) seq = -1;
        } else {
            seq = 0;
        }
        if (seq < 0) {
            db_rollback(c);
            LOG_ERROR("credit: publishing entry %lld failed: %s", (long long)ids[i], db_errmsg(c));
            return done ? done : DB_ERROR;
        }
        if (db_commit(c) != 0) return done ? done : DB_ERROR;
        if (seq > 0) done++;
    }
    return done;
}
