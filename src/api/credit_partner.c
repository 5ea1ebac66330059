/* credit_partner.c — the partner API of the credit engine (issue 5 §5, Contract; docs/api/credit.md).
 *
 *   POST /api/v1/credit/check          credit:check   one ID + category → block/allow + basis
 *   POST /api/v1/credit/check-batch    credit:check   ≤ 10,000 items, results in request order
 *   POST /api/v1/credit/check-stream   credit:bulk    CSV / NDJSON bodies up to cfg.upload_limit
 *   GET  /api/v1/credit/changes        credit:feed or credit:check   ordered change events + cursor
 *   GET  /api/v1/credit/export         credit:feed or credit:check   published entries, paged (initial copy)
 *   POST /api/v1/credit/interceptions  credit:report  "purchase blocked" reports
 *   GET  /api/v1/credit/interceptions/stats   staff (command / chief)
 *
 * The check paths never touch the store: the snapshot (lock-free read section), the partner key
 * cache of the http layer, and the batched query log. Request parsing and response writing are
 * hand-rolled for these paths (flat objects, no per-value allocation: a 10,000-item batch would
 * otherwise build ~50,000 jansson nodes); the reader is strict — anything malformed is 400 BAD_JSON. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/auth.h"
#include "account/authz.h"
#include "audit/audit.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "credit/querylog.h"
#include "credit/snapshot.h"
#include "http/http.h"
#include "http/metrics.h"

#define BATCH_MAX 10000       /* Contract: check-batch takes up to 10,000 items */
#define MAX_BASIS 32          /* bases written per answer (a person rarely has more cases) */
#define JSON_DEPTH 16

/* ---- output buffer --------------------------------------------------------------------------------- */

struct obuf {
    char *p;
    size_t n, cap;
    int fixed; /* p is caller memory (stack): copy to the heap when it must grow */
};

static void ob_grow(struct obuf *o, size_t more)
{
    if (o->n + more <= o->cap) return;
    size_t c = o->cap ? o->cap : 4096;
    while (c < o->n + more) c *= 2;
    if (o->fixed) {
        char *h = malloc(c);
        if (!h) zx_die("out of memory");
        memcpy(h, o->p, o->n);
        o->p = h;
        o->fixed = 0;
    } else {
        o->p = realloc(o->p, c);
        if (!o->p) zx_die("out of memory");
    }
    o->cap = c;
}
static inline void ob_put(struct obuf *o, const char *s, size_t n)
{
    ob_grow(o, n);
    memcpy(o->p + o->n, s, n);
    o->n += n;
}
#define OB_LIT(o, s) ob_put(o, s, sizeof(s) - 1)
static inline void ob_ch(struct obuf *o, char c)
{
    ob_grow(o, 1);
    o->p[o->n++] = c;
}
static void ob_i64(struct obuf *o, int64_t v)
{
    char b[24];
    int n = 24;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do b[--n] = (char)('0' + u % 10); while ((u /= 10) != 0);
    if (v < 0) b[--n] = '-';
    ob_put(o, b + n, (size_t)(24 - n));
}
/* JSON string body (no quotes); input is valid UTF-8. */
static void ob_esc(struct obuf *o, const char *s, size_t n)
{
    ob_grow(o, n + 2);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            ob_ch(o, '\\');
            ob_ch(o, (char)c);
        } else if (c < 0x20) {
            char b[8];
            snprintf(b, sizeof b, "\\u%04x", c);
            ob_put(o, b, 6);
        } else {
            ob_ch(o, (char)c);
        }
    }
}
static void ob_qstr(struct obuf *o, const char *s, size_t n)
{
    ob_ch(o, '"');
    ob_esc(o, s, n);
    ob_ch(o, '"');
}
static void ob_date(struct obuf *o, zx_date d)
{
    char b[11];
    zx_date_format(d, b);
    ob_put(o, b, 10);
}
/* CSV field: quoted when it holds a comma, quote or line break. */
static void ob_csv(struct obuf *o, const char *s, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') q = 1;
    if (!q) {
        ob_put(o, s, n);
        return;
    }
    ob_ch(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') ob_ch(o, '"');
        ob_ch(o, s[i]);
    }
    ob_ch(o, '"');
}

static const char *list_name(int l) { return l == ZX_LIST_DISHONEST ? "dishonest" : "restricted"; }

/* "decision":"…","basis":[…] */
static void ob_decision(struct obuf *o, const zx_credit_basis *b, int n)
{
    if (n == 0) {
        OB_LIT(o, "\"decision\":\"allow\",\"basis\":[]");
        return;
    }
    OB_LIT(o, "\"decision\":\"block\",\"basis\":[");
    if (n > MAX_BASIS) n = MAX_BASIS;
    for (int i = 0; i < n; i++) {
        if (i) ob_ch(o, ',');
        OB_LIT(o, "{\"list\":\"");
        ob_put(o, list_name(b[i].list), strlen(list_name(b[i].list)));
        OB_LIT(o, "\",\"case_no\":");
        ob_qstr(o, b[i].case_no, (size_t)b[i].case_no_len);
        OB_LIT(o, ",\"court\":");
        ob_qstr(o, b[i].court, strlen(b[i].court));
        OB_LIT(o, ",\"since\":\"");
        ob_date(o, b[i].since);
        OB_LIT(o, "\"}");
    }
    ob_ch(o, ']');
}

/* ---- a strict little JSON reader for flat request objects ------------------------------------------ */

struct slice {
    const char *p;
    size_t n;
    int present;
};

struct jp {
    const char *p, *end;
    zx_req *r;
    int bad;
};

static inline void ws(struct jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) k = 2;
        else if (c >= 0xF0 && c <= 0xF4) k = 3;
        else return 0;
        if (n - i <= k) return 0;
        for (size_t t = 1; t <= k; t++)
            if ((s[i + t] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[i + 1] < 0xA0) return 0;  /* overlong */
        if (c == 0xED && s[i + 1] >= 0xA0) return 0; /* surrogates */
        if (c == 0xF0 && s[i + 1] < 0x90) return 0;  /* overlong */
        if (c == 0xF4 && s[i + 1] >= 0x90) return 0; /* > U+10FFFF */
        i += k + 1;
    }
    return 1;
}

/* A JSON string at j->p. Without escapes the slice points into the body; otherwise it is decoded
 * into request memory. */
static int jstr(struct jp *j, struct slice *out)
{
    if (j->p >= j->end || *j->p != '"') return j->bad = 1, -1;
    const char *s = ++j->p;
    int esc = 0;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) return j->bad = 1, -1;
        if (c == '\\') {
            esc = 1;
            j->p++;
            if (j->p >= j->end) return j->bad = 1, -1;
        }
        j->p++;
    }
    if (j->p >= j->end) return j->bad = 1, -1;
    const char *e = j->p++;
    if (!esc) {
        if (!utf8_ok((const unsigned char *)s, (size_t)(e - s))) return j->bad = 1, -1;
        *out = (struct slice){ s, (size_t)(e - s), 1 };
        return 0;
    }
    char *d = zx_alloc(j->r, (size_t)(e - s) + 1), *w = d;
    for (const char *p = s; p < e; p++) {
        if (*p != '\\') {
            *w++ = *p;
            continue;
        }
        p++;
        switch (*p) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            if (e - p < 5) return j->bad = 1, -1;
            unsigned cp = 0;
            for (int i = 1; i <= 4; i++) {
                int h = hexv(p[i]);
                if (h < 0) return j->bad = 1, -1;
                cp = cp * 16 + (unsigned)h;
            }
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (e - p < 7 || p[1] != '\\' || p[2] != 'u') return j->bad = 1, -1;
                unsigned lo = 0;
                for (int i = 3; i <= 6; i++) {
                    int h = hexv(p[i]);
                    if (h < 0) return j->bad = 1, -1;
                    lo = lo * 16 + (unsigned)h;
                }
                if (lo < 0xDC00 || lo > 0xDFFF) return j->bad = 1, -1;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return j->bad = 1, -1;
            }
            if (cp == 0) return j->bad = 1, -1; /* NUL inside a string: refuse */
            if (cp < 0x80) *w++ = (char)cp;
            else if (cp < 0x800) { *w++ = (char)(0xC0 | (cp >> 6)); *w++ = (char)(0x80 | (cp & 63)); }
            else if (cp < 0x10000) {
                *w++ = (char)(0xE0 | (cp >> 12));
                *w++ = (char)(0x80 | ((cp >> 6) & 63));
                *w++ = (char)(0x80 | (cp & 63));
            } else {
                *w++ = (char)(0xF0 | (cp >> 18));
                *w++ = (char)(0x80 | ((cp >> 12) & 63));
                *w++ = (char)(0x80 | ((cp >> 6) & 63));
                *w++ = (char)(0x80 | (cp & 63));
            }
            break;
        }
        default: return j->bad = 1, -1;
        }
    }
    if (!utf8_ok((const unsigned char *)d, (size_t)(w - d))) return j->bad = 1, -1;
    *w = '\0';
    *out = (struct slice){ d, (size_t)(w - d), 1 };
    return 0;
}

static int jskip(struct jp *j, int depth);

static int jskip_container(struct jp *j, char close, int depth, int object)
{
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return 0;
    }
    for (;;) {
        ws(j);
        if (object) {
            struct slice k;
            if (jstr(j, &k) < 0) return -1;
            ws(j);
            if (j->p >= j->end || *j->p != ':') return j->bad = 1, -1;
            j->p++;
            ws(j);
        }
        if (jskip(j, depth + 1) < 0) return -1;
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return 0;
        }
        return j->bad = 1, -1;
    }
}

/* Skip any JSON value (validating it). */
static int jskip(struct jp *j, int depth)
{
    if (depth > JSON_DEPTH) return j->bad = 1, -1;
    ws(j);
    if (j->p >= j->end) return j->bad = 1, -1;
    char c = *j->p;
    if (c == '"') {
        struct slice s;
        return jstr(j, &s);
    }
    if (c == '{') return jskip_container(j, '}', depth, 1);
    if (c == '[') return jskip_container(j, ']', depth, 0);
    if (c == 't' && j->end - j->p >= 4 && !memcmp(j->p, "true", 4)) return j->p += 4, 0;
    if (c == 'f' && j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) return j->p += 5, 0;
    if (c == 'n' && j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) return j->p += 4, 0;
    if (c == '-' || (c >= '0' && c <= '9')) {
        const char *s = j->p;
        if (*j->p == '-') j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return j->bad = 1, -1;
        if (*j->p == '0') j->p++;
        else while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
        if (j->p < j->end && *j->p == '.') {
            j->p++;
            if (j->p >= j->end || *j->p < '0' || *j->p > '9') return j->bad = 1, -1;
            while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
        }
        if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
            j->p++;
            if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
            if (j->p >= j->end || *j->p < '0' || *j->p > '9') return j->bad = 1, -1;
            while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
        }
        return j->p > s ? 0 : (j->bad = 1, -1);
    }
    return j->bad = 1, -1;
}

/* One flat check object: picks "ref", "id_number", "name", "category" (string values; null or a
 * missing member = absent; any other type → type_err). Other members are validated and ignored. */
struct item {
    struct slice ref, id, name, cat, kind; /* kind: "person" | "unit", optional (issue 10 item 4) */
    int type_err;
};

static int key_is(const struct slice *k, const char *s)
{
    size_t n = strlen(s);
    return k->n == n && memcmp(k->p, s, n) == 0;
}

static int jitem(struct jp *j, struct item *it, int depth)
{
    memset(it, 0, sizeof *it);
    ws(j);
    if (j->p >= j->end || *j->p != '{') return j->bad = 1, -1;
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return 0;
    }
    for (;;) {
        ws(j);
        struct slice k;
        if (jstr(j, &k) < 0) return -1;
        ws(j);
        if (j->p >= j->end || *j->p != ':') return j->bad = 1, -1;
        j->p++;
        ws(j);
        struct slice *dst = key_is(&k, "id_number") ? &it->id
                            : key_is(&k, "category")  ? &it->cat
                            : key_is(&k, "ref")       ? &it->ref
                            : key_is(&k, "name")      ? &it->name
                            : key_is(&k, "kind")      ? &it->kind
                                                      : NULL;
        if (dst && j->p < j->end && *j->p == '"') {
            if (jstr(j, dst) < 0) return -1;
        } else if (dst && j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) {
            j->p += 4;
            memset(dst, 0, sizeof *dst);
        } else {
            if (dst) {
                /* "ref" may be a number: keep its text */
                const char *s = j->p;
                if (jskip(j, depth + 1) < 0) return -1;
                if (dst == &it->ref && (*s == '-' || (*s >= '0' && *s <= '9'))) *dst = (struct slice){ s, (size_t)(j->p - s), 1 };
                else it->type_err = 1;
            } else if (jskip(j, depth + 1) < 0) {
                return -1;
            }
        }
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            return 0;
        }
        return j->bad = 1, -1;
    }
}

static void bad_json(zx_req *r) { zx_reply_error(r, 400, "BAD_JSON", "请求体不是有效的 JSON"); }

/* ---- metrics --------------------------------------------------------------------------------------- */

static zx_counter *m_block, *m_allow, *m_invalid, *m_batch_items;
static void metrics_init(void)
{
    if (m_block) return;
    m_block = zx_counter_get("zx_credit_checks_total{decision=\"block\"}", "credit checks answered");
    m_allow = zx_counter_get("zx_credit_checks_total{decision=\"allow\"}", "credit checks answered");
    m_invalid = zx_counter_get("zx_credit_checks_total{decision=\"invalid\"}", "credit checks answered");
    m_batch_items = zx_counter_get("zx_credit_batch_items_total", "IDs checked through batch and stream requests");
}

/* ---- POST /api/v1/credit/check ---------------------------------------------------------------------- */

static void credit_check(zx_req *r)
{
    metrics_init();
    struct jp j = { r->body, r->body + r->body_len, r, 0 };
    struct item it;
    if (jitem(&j, &it, 0) < 0) return bad_json(r);
    ws(&j);
    if (j.p != j.end) return bad_json(r);
    zx_date today = zx_today();
    char id[19];
    int want = it.kind.present ? zx_credit_kind_parse(it.kind.p, it.kind.n) : ZX_IDK_INVALID;
    if (want < 0) return zx_reply_error(r, 400, "BAD_KIND", "kind 须为 person（自然人）或 unit（单位）");
    enum zx_id_kind kind = it.id.present && !it.type_err
                               ? zx_credit_id_normalise_kind(it.id.p, it.id.n, (enum zx_id_kind)want, today, id)
                               : ZX_IDK_INVALID;
    if (kind == ZX_IDK_INVALID) {
        zx_counter_add(m_invalid, 1);
        zx_qlog_buf *q = zx_qlog_begin(r->who.partner_id, ZX_QLOG_CHECK, zx_credit_version());
        zx_qlog_add(q, 0, -1, ZX_QLOG_INVALID);
        zx_qlog_end(q);
        return zx_reply_error(r, 400, "INVALID_ID_NUMBER",
                              "证件号码无效：须为18位居民身份证号码（GB 11643 校验）或18位统一社会信用代码"
                              "（全为数字的统一社会信用代码请注明 kind=unit）");
    }
    int cat = -1;
    if (it.cat.present) {
        cat = zx_credit_cat_bit(it.cat.p, (int)it.cat.n);
        if (cat < 0) return zx_reply_error(r, 400, "UNKNOWN_CATEGORY", "未知的限制消费类别");
    }
    zx_credit_key key = zx_credit_id_key(id, kind); /* AES-128 of the packed ID, a few ns (entry.h) */
    zx_credit_basis b[MAX_BASIS];
    char out[2048];
    struct obuf o = { out, 0, sizeof out, 1 };
    const zx_credit_view *v = zx_credit_read_begin();
    int n = zx_credit_lookup_key(v, key, kind, cat, today, b, MAX_BASIS);
    int64_t ver = zx_credit_view_version(v);
    ob_ch(&o, '{');
    /* Strings point into the view: write the answer before leaving the read section. */
    ob_decision(&o, b, n);
    zx_credit_read_end(v);
    OB_LIT(&o, ",\"list_version\":");
    ob_i64(&o, ver);
    ob_ch(&o, '}');
    zx_qlog_buf *q = zx_qlog_begin(r->who.partner_id, ZX_QLOG_CHECK, ver);
    zx_qlog_add(q, key.key, cat, n ? ZX_QLOG_BLOCK : ZX_QLOG_ALLOW);
    zx_qlog_end(q);
    zx_counter_add(n ? m_block : m_allow, 1);
    zx_reply_raw(r, 200, "application/json", o.p, o.n, NULL);
    if (!o.fixed) free(o.p);
}

/* ---- POST /api/v1/credit/check-batch ---------------------------------------------------------------- */

struct bitem {
    struct slice ref;
    zx_credit_key key;      /* snapshot key of the normalised ID (zx_credit_id_key) */
    char id[19];
    int8_t kind;
    int8_t cat;
    int8_t err; /* 0 ok, 1 invalid id, 2 unknown category */
};

/* Look up items[0..n) against one view, writing each result via emit(). Prefetches 8 ahead. */
/* The snapshot keys of the valid items, four at a time (the AES rounds of four IDs interleaved). */
static void keys_all(struct bitem *items, size_t n)
{
    const char *v[4];
    struct bitem *t[4];
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].err) continue;
        t[k] = &items[i];
        v[k++] = items[i].id;
        if (k == 4) {
            zx_credit_key out[4];
            zx_credit_id_keys4(v, out);
            for (int j = 0; j < 4; j++) t[j]->key = out[j];
            k = 0;
        }
    }
    for (int j = 0; j < k; j++) t[j]->key = zx_credit_id_key(t[j]->id, (enum zx_id_kind)t[j]->kind);
}

static void lookup_all(const zx_credit_view *v, struct bitem *items, size_t n, zx_date today, int64_t partner,
                       enum zx_qlog_endpoint ep, struct obuf *o,
                       void (*emit)(struct obuf *, const struct bitem *, const zx_credit_basis *, int),
                       int64_t *blocked)
{
    zx_credit_basis b[MAX_BASIS];
    keys_all(items, n);
    zx_qlog_buf *q = zx_qlog_begin(partner, ep, zx_credit_view_version(v));
    /* Three-stage prefetch (slot → record → case number), D items apart, so the DRAM misses of a
     * 10M-entry table overlap instead of being paid one after another. */
    enum { D = 6 };
    for (size_t i = 0; i < n + 3 * D; i++) {
        if (i < n && !items[i].err) zx_credit_prefetch(v, items[i].key.key);
        if (i >= D && i - D < n && !items[i - D].err) zx_credit_prefetch_stage(v, items[i - D].key.key, 1);
        if (i >= 2 * D && i - 2 * D < n && !items[i - 2 * D].err) zx_credit_prefetch_stage(v, items[i - 2 * D].key.key, 2);
        if (i < 3 * D) continue;
        struct bitem *it = &items[i - 3 * D];
        if (it->err) {
            zx_qlog_add(q, 0, it->cat, ZX_QLOG_INVALID);
            emit(o, it, NULL, -1);
            continue;
        }
        int k = zx_credit_lookup_key(v, it->key, (enum zx_id_kind)it->kind, it->cat, today, b, MAX_BASIS);
        zx_qlog_add(q, it->key.key, it->cat, k ? ZX_QLOG_BLOCK : ZX_QLOG_ALLOW);
        if (k) ++*blocked;
        emit(o, it, b, k);
    }
    zx_qlog_end(q);
}

static void prepare_item(struct bitem *bi, const struct slice *id, const struct slice *cat, const struct slice *kind,
                         int type_err, zx_date today)
{
    bi->err = 0;
    bi->cat = -1;
    if (cat->present) {
        int c = zx_credit_cat_bit(cat->p, (int)cat->n);
        if (c < 0) bi->err = 2;
        bi->cat = (int8_t)c;
    }
    int want = kind && kind->present ? zx_credit_kind_parse(kind->p, kind->n) : ZX_IDK_INVALID;
    enum zx_id_kind k = id->present && !type_err && want >= 0
                            ? zx_credit_id_normalise_kind(id->p, id->n, (enum zx_id_kind)want, today, bi->id)
                            : ZX_IDK_INVALID;
    if (k == ZX_IDK_INVALID) bi->err = 1;
    bi->kind = (int8_t)k;
    /* bi->key: computed for all items at once by keys_all() */
}

static void emit_json_item(struct obuf *o, const struct bitem *it, const zx_credit_basis *b, int n)
{
    OB_LIT(o, "{\"ref\":");
    if (it->ref.present) ob_qstr(o, it->ref.p, it->ref.n);
    else OB_LIT(o, "null");
    if (n < 0) {
        if (it->err == 1)
            OB_LIT(o, ",\"error\":{\"code\":\"INVALID_ID_NUMBER\",\"message\":\"证件号码无效\"}}");
        else
            OB_LIT(o, ",\"error\":{\"code\":\"UNKNOWN_CATEGORY\",\"message\":\"未知的限制消费类别\"}}");
        return;
    }
    ob_ch(o, ',');
    ob_decision(o, b, n);
    ob_ch(o, '}');
}

static void emit_json_line(struct obuf *o, const struct bitem *it, const zx_credit_basis *b, int n)
{
    emit_json_item(o, it, b, n);
    ob_ch(o, '\n');
}

/* Per-thread scratch kept between batch/stream requests (up to 64 MiB each): a 500k-ID request would
 * otherwise map, fault in and unmap ~60 MB of fresh pages every time. */
#define SCRATCH_KEEP ((size_t)64 << 20)
static _Thread_local struct bitem *tl_items;
static _Thread_local size_t tl_items_cap;
static _Thread_local char *tl_out;
static _Thread_local size_t tl_out_cap;

/* The scratch is released when its event-loop thread ends (a key destructor runs on that thread). */
static pthread_key_t g_scratch_key;
static pthread_once_t g_scratch_once = PTHREAD_ONCE_INIT;
static void scratch_release(void *unused)
{
    (void)unused;
    free(tl_items);
    free(tl_out);
    tl_items = NULL;
    tl_out = NULL;
    tl_items_cap = tl_out_cap = 0;
}
static void scratch_key_init(void) { pthread_key_create(&g_scratch_key, scratch_release); }
static void scratch_register(void)
{
    pthread_once(&g_scratch_once, scratch_key_init);
    if (!pthread_getspecific(g_scratch_key)) pthread_setspecific(g_scratch_key, (void *)1);
}

static struct bitem *scratch_items(size_t cap, size_t *got)
{
    scratch_register();
    if (tl_items_cap < cap) {
        free(tl_items);
        tl_items = malloc(cap * sizeof *tl_items);
        if (!tl_items) zx_die("out of memory");
        tl_items_cap = cap;
    }
    *got = tl_items_cap;
    return tl_items;
}
/* Take back the (possibly regrown) array. */
static void scratch_items_done(struct bitem *items, size_t cap)
{
    if (cap * sizeof *items > SCRATCH_KEEP) {
        free(items);
        items = NULL;
        cap = 0;
    }
    tl_items = items;
    tl_items_cap = cap;
}

/* Back to this thread's scratch (the event loop that sent it) unless it already has one. */
static void out_release(void *data, size_t cap)
{
    if (!tl_out && cap <= SCRATCH_KEEP) {
        tl_out = data;
        tl_out_cap = cap;
    } else {
        free(data);
    }
}

static void credit_check_batch(zx_req *r)
{
    metrics_init();
    struct jp j = { r->body, r->body + r->body_len, r, 0 };
    ws(&j);
    if (j.p >= j.end || *j.p != '{') return bad_json(r);
    j.p++;
    size_t cap = 0, n = 0;
    struct bitem *items = scratch_items(1024, &cap);
    int have_items = 0;
    zx_date today = zx_today();
    ws(&j);
    if (j.p < j.end && *j.p == '}') {
        j.p++;
    } else {
        for (;;) {
            ws(&j);
            struct slice k;
            if (jstr(&j, &k) < 0) goto bad;
            ws(&j);
            if (j.p >= j.end || *j.p != ':') goto bad;
            j.p++;
            ws(&j);
            if (key_is(&k, "items") && j.p < j.end && *j.p == '[') {
                have_items = 1;
                n = 0;
                j.p++;
                ws(&j);
                if (j.p < j.end && *j.p == ']') {
                    j.p++;
                } else {
                    for (;;) {
                        struct item it;
                        if (jitem(&j, &it, 2) < 0) goto bad;
                        if (n == BATCH_MAX) {
                            scratch_items_done(items, cap);
                            return zx_reply_error(r, 400, "TOO_MANY_ITEMS",
                                                  "单次批量查询最多 %d 条；更多请使用 /api/v1/credit/check-stream", BATCH_MAX);
                        }
                        if (n == cap) {
                            cap *= 2;
                            items = realloc(items, cap * sizeof *items);
                            if (!items) zx_die("out of memory");
                        }
                        items[n].ref = it.ref;
                        prepare_item(&items[n], &it.id, &it.cat, &it.kind, it.type_err, today);
                        n++;
                        ws(&j);
                        if (j.p < j.end && *j.p == ',') {
                            j.p++;
                            continue;
                        }
                        if (j.p < j.end && *j.p == ']') {
                            j.p++;
                            break;
                        }
                        goto bad;
                    }
                }
            } else if (jskip(&j, 1) < 0) {
                goto bad;
            }
            ws(&j);
            if (j.p < j.end && *j.p == ',') {
                j.p++;
                continue;
            }
            if (j.p < j.end && *j.p == '}') {
                j.p++;
                break;
            }
            goto bad;
        }
    }
    ws(&j);
    if (j.p != j.end) goto bad;
    if (!have_items) {
        scratch_items_done(items, cap);
        return zx_reply_error(r, 400, "BAD_REQUEST", "缺少 items 数组");
    }
    struct obuf o = { tl_out, 0, tl_out_cap, 0 };
    tl_out = NULL;
    tl_out_cap = 0;
    ob_grow(&o, n * 128 + 64);
    OB_LIT(&o, "{\"results\":[");
    const zx_credit_view *v = zx_credit_read_begin();
    int64_t ver = zx_credit_view_version(v), blocked = 0;
    size_t start = o.n;
    lookup_all(v, items, n, today, r->who.partner_id, ZX_QLOG_BATCH, &o, emit_json_line, &blocked);
    zx_credit_read_end(v);
    /* emit_json_line ends every item with '\n': turn those separators into ',' (the last one into
     * nothing). A '\n' never occurs inside an item: strings are escaped. */
    if (n) {
        o.n--; /* trailing newline */
        for (size_t i = start; i < o.n; i++)
            if (o.p[i] == '\n') o.p[i] = ',';
    }
    OB_LIT(&o, "],\"list_version\":");
    ob_i64(&o, ver);
    ob_ch(&o, '}');
    zx_counter_add(m_batch_items, (int64_t)n);
    zx_counter_add(m_block, blocked);
    zx_counter_add(m_allow, (int64_t)n - blocked);
    scratch_items_done(items, cap);
    zx_reply_owned(r, 200, "application/json", o.p, o.n, o.cap, out_release);
    return;
bad:
    scratch_items_done(items, cap);
    return bad_json(r);
}

/* ---- POST /api/v1/credit/check-stream (CSV or NDJSON, large bodies) -------------------------------- */

/* Dates of a bulk answer come from a table of the days 1990-01-01 … 2099-12-31 formatted once
 * (40,177 × 10 bytes): zx_date_format per blocked ID was 3% of the stream's CPU. */
#define DATE_TAB_FIRST 7305 /* 1990-01-01 as days since 1970-01-01 */
#define DATE_TAB_DAYS 40177
static char (*g_date_tab)[10];
static pthread_once_t g_date_once = PTHREAD_ONCE_INIT;
static void date_tab_init(void)
{
    g_date_tab = malloc((size_t)DATE_TAB_DAYS * 10);
    if (!g_date_tab) zx_die("out of memory");
    for (int i = 0; i < DATE_TAB_DAYS; i++) {
        char b[11];
        zx_date_format((zx_date)(DATE_TAB_FIRST + i), b);
        memcpy(g_date_tab[i], b, 10);
    }
}
static inline void put_date10(char *dst, zx_date d)
{
    if (d >= DATE_TAB_FIRST && d < DATE_TAB_FIRST + DATE_TAB_DAYS) {
        memcpy(dst, g_date_tab[d - DATE_TAB_FIRST], 10);
    } else {
        char b[11];
        zx_date_format(d, b);
        memcpy(dst, b, 10);
    }
}

static inline bool csv_plain(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return false;
    return true;
}

static void emit_csv_line(struct obuf *o, const struct bitem *it, const zx_credit_basis *b, int n)
{
    if (it->ref.present) ob_csv(o, it->ref.p, it->ref.n);
    if (n < 0) {
        if (it->err == 1) OB_LIT(o, ",error,INVALID_ID_NUMBER\n");
        else OB_LIT(o, ",error,UNKNOWN_CATEGORY\n");
        return;
    }
    if (!n) {
        OB_LIT(o, ",allow,\n");
        return;
    }
    /* basis: list:case_no:court:since entries separated by ';' — one CSV field, quoted only if a
     * case number or court code held a comma, quote or line break (never in our data; checked). */
    int m = n > MAX_BASIS ? MAX_BASIS : n;
    size_t need = 8 + 2;
    bool plain = true;
    for (int i = 0; i < m; i++) {
        size_t cl = strlen(b[i].court);
        need += 12 + (size_t)b[i].case_no_len + cl + 10 + 3;
        plain = plain && csv_plain(b[i].case_no, (size_t)b[i].case_no_len) && csv_plain(b[i].court, cl);
    }
    if (!plain) { /* the general path: build the field, then quote it */
        OB_LIT(o, ",block,");
        char fb[1024];
        struct obuf f = { fb, 0, sizeof fb, 1 };
        for (int i = 0; i < m; i++) {
            if (i) ob_ch(&f, ';');
            ob_put(&f, list_name(b[i].list), strlen(list_name(b[i].list)));
            ob_ch(&f, ':');
            ob_put(&f, b[i].case_no, (size_t)b[i].case_no_len);
            ob_ch(&f, ':');
            ob_put(&f, b[i].court, strlen(b[i].court));
            ob_ch(&f, ':');
            ob_date(&f, b[i].since);
        }
        ob_csv(o, f.p, f.n);
        if (!f.fixed) free(f.p);
        ob_ch(o, '\n');
        return;
    }
    pthread_once(&g_date_once, date_tab_init);
    ob_grow(o, need);
    char *w = o->p + o->n;
    memcpy(w, ",block,", 7), w += 7;
    for (int i = 0; i < m; i++) {
        if (i) *w++ = ';';
        if (b[i].list == ZX_LIST_DISHONEST) memcpy(w, "dishonest:", 10), w += 10;
        else memcpy(w, "restricted:", 11), w += 11;
        memcpy(w, b[i].case_no, (size_t)b[i].case_no_len), w += b[i].case_no_len;
        *w++ = ':';
        size_t cl = strlen(b[i].court);
        memcpy(w, b[i].court, cl), w += cl;
        *w++ = ':';
        put_date10(w, b[i].since), w += 10;
    }
    *w++ = '\n';
    o->n = (size_t)(w - o->p);
}

/* Split one CSV line (no quoted line breaks) into up to 3 fields; quotes are honoured. */
static int csv_fields(zx_req *r, const char *s, const char *e, struct slice *f, int max)
{
    int n = 0;
    const char *p = s;
    while (n < max) {
        if (p < e && *p == '"') {
            char *d = zx_alloc(r, (size_t)(e - p) + 1), *w = d;
            p++;
            for (;;) {
                if (p >= e) return -1;
                if (*p == '"') {
                    if (p + 1 < e && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            f[n++] = (struct slice){ d, (size_t)(w - d), 1 };
        } else {
            const char *a = p;
            while (p < e && *p != ',') p++;
            f[n++] = (struct slice){ a, (size_t)(p - a), p > a };
        }
        if (p >= e) break;
        if (*p != ',') return -1;
        p++;
        if (p >= e && n < max) { /* trailing comma: empty last field */
            f[n++] = (struct slice){ p, 0, 0 };
            break;
        }
    }
    return n;
}

static void credit_check_stream(zx_req *r)
{
    metrics_init();
    const char *ct = zx_header(r, "content-type");
    int ndjson = ct && (strstr(ct, "ndjson") || strstr(ct, "jsonlines") || strstr(ct, "application/json"));
    int csv = !ndjson;
    const char *qcat = zx_query(r, "category");
    int default_cat = -1;
    if (qcat && *qcat) {
        default_cat = zx_credit_cat_bit(qcat, -1);
        if (default_cat < 0) return zx_reply_error(r, 400, "UNKNOWN_CATEGORY", "未知的限制消费类别");
    }
    zx_date today = zx_today();
    size_t cap = r->body_len / 20 + 1024, n = 0; /* ~20+ bytes a line: no regrowth on usual bodies */
    struct bitem *items = scratch_items(cap, &cap);
    const char *p = r->body, *end = r->body + r->body_len;
    long line = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        const char *le = e;
        if (le > p && le[-1] == '\r') le--;
        line++;
        const char *ls = p;
        p = e < end ? e + 1 : end;
        if (le == ls) continue; /* blank line */
        if (n == cap) {
            cap *= 2;
            items = realloc(items, cap * sizeof *items);
            if (!items) zx_die("out of memory");
        }
        struct bitem *bi = &items[n];
        if (csv) {
            struct slice f[3] = { 0 };
            int nf = csv_fields(r, ls, le, f, 3);
            if (nf < 0) {
                scratch_items_done(items, cap);
                return zx_reply_error(r, 400, "BAD_CSV", "第 %ld 行不是有效的 CSV", line);
            }
            struct slice ref, id, cat = { 0 };
            if (nf == 1) {
                char *lr = zx_sprintf(r, "%ld", line);
                ref = (struct slice){ lr, strlen(lr), 1 };
                id = f[0];
            } else {
                ref = f[0];
                id = f[1];
                if (nf == 3) cat = f[2];
            }
            if (line == 1 && id.present && id.n == 9 && !memcmp(id.p, "id_number", 9)) continue; /* header */
            bi->ref = ref;
            prepare_item(bi, &id, &cat, NULL, 0, today);
        } else {
            struct jp j = { ls, le, r, 0 };
            struct item it;
            if (jitem(&j, &it, 0) < 0 || (ws(&j), j.p != j.end)) {
                scratch_items_done(items, cap);
                return zx_reply_error(r, 400, "BAD_JSON", "第 %ld 行不是有效的 JSON 对象", line);
            }
            bi->ref = it.ref;
            if (!bi->ref.present) {
                char *lr = zx_sprintf(r, "%ld", line);
                bi->ref = (struct slice){ lr, strlen(lr), 1 };
            }
            prepare_item(bi, &it.id, &it.cat, &it.kind, it.type_err, today);
        }
        if (bi->cat < 0 && !bi->err) bi->cat = (int8_t)default_cat;
        n++;
    }
    struct obuf o = { tl_out, 0, tl_out_cap, 0 };
    tl_out = NULL;
    tl_out_cap = 0;
    ob_grow(&o, n * (csv ? 80 : 128) + 128); /* a blocked answer is ~70 (CSV) / ~120 (JSON) bytes */
    if (csv) OB_LIT(&o, "ref,decision,basis\n");
    const zx_credit_view *v = zx_credit_read_begin();
    int64_t ver = zx_credit_view_version(v), blocked = 0;
    lookup_all(v, items, n, today, r->who.partner_id, ZX_QLOG_STREAM, &o, csv ? emit_csv_line : emit_json_line,
               &blocked);
    zx_credit_read_end(v);
    if (!csv) {
        OB_LIT(&o, "{\"list_version\":");
        ob_i64(&o, ver);
        OB_LIT(&o, ",\"count\":");
        ob_i64(&o, (int64_t)n);
        OB_LIT(&o, "}\n");
    }
    scratch_items_done(items, cap);
    char vb[24];
    snprintf(vb, sizeof vb, "%lld", (long long)ver);
    zx_add_header(r, "X-List-Version", vb);
    zx_counter_add(m_batch_items, (int64_t)n);
    zx_counter_add(m_block, blocked);
    zx_counter_add(m_allow, (int64_t)n - blocked);
    /* No copy of the (tens of MB) answer: the buffer goes out as it is and comes back to this
     * thread's scratch when h2o has sent it. */
    zx_reply_owned(r, 200, csv ? "text/csv; charset=utf-8" : "application/x-ndjson", o.p, o.n, o.cap,
                   out_release);
}

/* ---- GET /api/v1/credit/changes --------------------------------------------------------------------- */

static bool feed_scope(zx_req *r)
{
    if (zx_partner_has_scope(&r->who, "credit:feed") || zx_partner_has_scope(&r->who, "credit:check")) return true;
    zx_reply_error(r, 403, "FORBIDDEN", "API 密钥缺少权限范围 credit:feed");
    return false;
}

/* Partner-visible form of an entry: the published fields a partner needs to decide. */
static json_t *partner_entry(const struct zx_credit_entry *e)
{
    json_t *cats = json_array();
    int mask = strcmp(e->list, "dishonest") == 0 ? ZX_CAT_ALL : zx_credit_cat_mask(e->categories);
    for (int i = 0; i < ZX_CAT_COUNT; i++)
        if (mask > 0 && (mask & (1 << i))) json_array_append_new(cats, json_string(zx_credit_categories[i].code));
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", (long long)e->id); /* 64-bit ids are strings in JSON (JS precision) */
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "entry_id", eid, "list", e->list,
                          "id_number", e->id_number, "name", e->name, "case_no", e->case_no, "court", e->court_code,
                          "since", e->publish_on, "categories", cats);
    if (!j) return json_object();
    json_object_set_new(j, "term_end", e->term_end[0] ? json_string(e->term_end) : json_null());
    if (e->permit_categories[0] && e->permit_from[0]) {
        json_t *pc = json_array();
        int pm = zx_credit_cat_mask(e->permit_categories);
        for (int i = 0; i < ZX_CAT_COUNT; i++)
            if (pm > 0 && (pm & (1 << i))) json_array_append_new(pc, json_string(zx_credit_categories[i].code));
        json_object_set_new(j, "permit", json_pack("{s:o,s:s,s:s}", "categories", pc, "from", e->permit_from, "to",
                                                   e->permit_to[0] ? e->permit_to : e->permit_from));
    } else {
        json_object_set_new(j, "permit", json_null());
    }
    if (e->bound_by_entry_id) {
        snprintf(eid, sizeof eid, "%lld", (long long)e->bound_by_entry_id);
        json_object_set_new(j, "bound_by_entry_id", json_string(eid));
    }
    return j;
}

static void credit_changes(zx_req *r)
{
    if (!feed_scope(r)) return;
    const char *a = zx_query(r, "after"), *l = zx_query(r, "limit");
    char *endp;
    long long after = a && *a ? strtoll(a, &endp, 10) : 0;
    if (a && *a && (*endp || after < 0)) return zx_reply_error(r, 400, "BAD_CURSOR", "after 须为非负整数游标");
    long limit = l && *l ? strtol(l, &endp, 10) : 1000;
    if (l && *l && (*endp || limit < 1)) return zx_reply_error(r, 400, "BAD_REQUEST", "limit 须为正整数");
    if (limit > 10000) limit = 10000;
    db_conn *c = zx_db(r);
    /* Read up to the version the snapshot shows, so a partner never sees a change the check path
     * does not yet answer with. */
    int64_t ver = zx_credit_version();
    db_stmt *s = db_prepare(c, "SELECT seq, at_ms, action, prev_id_number_enc, data, id_number_enc FROM credit_change "
                               "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
    if (!s) return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    db_bind_int64(s, 1, after);
    db_bind_int64(s, 2, ver);
    db_bind_int64(s, 3, limit);
    json_t *arr = json_array();
    int64_t next = after;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t seq = db_col_int64(s, 0), at = db_col_int64(s, 1);
        const char *action = db_col_text(s, 2), *data = db_col_text(s, 4);
        next = seq;
        json_t *dj = data ? json_loads(data, 0, NULL) : NULL;
        struct zx_credit_entry e;
        if (!dj || zx_credit_entry_from_json(dj, &e) != 0) {
            json_decref(dj);
            continue;
        }
        json_decref(dj);
        char *idn = zx_pii_col(s, 5, ZX_PII_ID_NUMBER); /* sealed (migration 042); data has no id_number */
        snprintf(e.id_number, sizeof e.id_number, "%s", idn ? idn : "");
        zx_pii_free(idn);
        /* 宽限期 (法发〔2019〕35号): nothing about an entry reaches partners before it is published. */
        char atday[11];
        zx_date_format(zx_date_from_ms(at), atday);
        if (strcmp(e.status, "grace") == 0) continue;
        if (strcmp(action, "published") != 0 && strcmp(e.publish_on, atday) > 0) continue;
        const char *pa = strcmp(action, "published") == 0 ? "listed" : action;
        json_t *ev = json_pack("{s:I,s:I,s:s,s:o}", "seq", (json_int_t)seq, "at_ms", (json_int_t)at, "action", pa,
                               "entry", partner_entry(&e));
        if (!ev) continue;
        /* what the partner's copy should do with entry_id */
        bool remove = strcmp(e.status, "active") != 0;
        json_object_set_new(ev, "effect", json_string(remove ? "remove" : "upsert"));
        char *prev = zx_pii_col(s, 3, ZX_PII_ID_NUMBER);
        if (prev && *prev) json_object_set_new(ev, "previous_id_number", json_string(prev));
        zx_pii_free(prev);
        json_array_append_new(arr, ev);
    }
    db_finalize(s);
    if (rc < 0) {
        json_decref(arr);
        return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    }
    /* Rows hidden by the grace rule still move the cursor (next = last seq read). */
    zx_reply_json(r, 200, json_pack("{s:o,s:I,s:I}", "changes", arr, "next", (json_int_t)next, "list_version",
                                    (json_int_t)ver));
}

/* ---- GET /api/v1/credit/export?after_id=&limit= --------------------------------------------------- */

static void credit_export(zx_req *r)
{
    if (!feed_scope(r)) return;
    const char *a = zx_query(r, "after_id"), *l = zx_query(r, "limit");
    char *endp;
    long long after = a && *a ? strtoll(a, &endp, 10) : 0;
    if (a && *a && *endp) return zx_reply_error(r, 400, "BAD_CURSOR", "after_id 须为整数");
    long limit = l && *l ? strtol(l, &endp, 10) : 5000;
    if (l && *l && (*endp || limit < 1)) return zx_reply_error(r, 400, "BAD_REQUEST", "limit 须为正整数");
    if (limit > 20000) limit = 20000;
    int64_t ver = zx_credit_version();
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT id FROM credit_entry WHERE id > ? AND status = 'active' ORDER BY id LIMIT ?");
    if (!s) return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    db_bind_int64(s, 1, after);
    db_bind_int64(s, 2, limit);
    int64_t *ids = malloc((size_t)limit * sizeof *ids);
    if (!ids) zx_die("out of memory");
    size_t n = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) ids[n++] = db_col_int64(s, 0);
    db_finalize(s);
    json_t *arr = json_array();
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        struct zx_credit_entry e;
        if (zx_credit_entry_load(c, ids[i], &e) == 0) json_array_append_new(arr, partner_entry(&e));
    }
    int64_t last = n ? ids[n - 1] : after;
    free(ids);
    if (rc < 0) {
        json_decref(arr);
        return zx_reply_error(r, 500, "INTERNAL", "查询失败");
    }
    json_t *out = json_pack("{s:o,s:I}", "entries", arr, "list_version", (json_int_t)ver);
    char lb[24];
    snprintf(lb, sizeof lb, "%lld", (long long)last);
    json_object_set_new(out, "next_after_id", n == (size_t)limit ? json_string(lb) : json_null());
    zx_reply_json(r, 200, out);
}

/* ---- POST /api/v1/credit/interceptions ------------------------------------------------------------ */

static void credit_interceptions(zx_req *r)
{
    json_t *body = zx_body_json(r);
    if (!body) return;
    json_t *reports = json_object_get(body, "reports");
    json_t *single = NULL;
    if (!reports) {
        single = json_array();
        json_array_append(single, body);
        reports = single;
    }
    if (!json_is_array(reports) || json_array_size(reports) == 0 || json_array_size(reports) > 1000) {
        json_decref(single);
        return zx_reply_error(r, 400, "BAD_REQUEST", "reports 须为 1–1000 条的数组");
    }
    zx_date today = zx_today();
    int64_t now = zx_now_ms();
    size_t i;
    json_t *rep;
    /* validate everything first: all or nothing */
    json_array_foreach(reports, i, rep)
    {
        const char *id = json_string_value(json_object_get(rep, "id_number"));
        const char *cat = json_string_value(json_object_get(rep, "category"));
        char norm[19];
        if (!id || zx_credit_id_normalise(id, strlen(id), today, norm) == ZX_IDK_INVALID) {
            json_decref(single);
            return zx_reply_error(r, 400, "INVALID_ID_NUMBER", "第 %zu 条：证件号码无效", i + 1);
        }
        if (!cat || zx_credit_cat_bit(cat, -1) < 0) {
            json_decref(single);
            return zx_reply_error(r, 400, "UNKNOWN_CATEGORY", "第 %zu 条：未知的限制消费类别", i + 1);
        }
        json_t *cnt = json_object_get(rep, "count"), *at = json_object_get(rep, "at_ms");
        if ((cnt && (!json_is_integer(cnt) || json_integer_value(cnt) < 1 || json_integer_value(cnt) > 100000)) ||
            (at && (!json_is_integer(at) || json_integer_value(at) < 0 || json_integer_value(at) > now + 300000))) {
            json_decref(single);
            return zx_reply_error(r, 400, "BAD_REQUEST", "第 %zu 条：count 或 at_ms 无效", i + 1);
        }
        json_t *ref = json_object_get(rep, "ref");
        if (ref && !json_is_string(ref) && !json_is_null(ref)) {
            json_decref(single);
            return zx_reply_error(r, 400, "BAD_REQUEST", "第 %zu 条：ref 须为字符串", i + 1);
        }
    }
    db_conn *c = zx_db(r);
    if (db_begin(c) != 0) {
        json_decref(single);
        return zx_reply_error(r, 503, "STORE_BUSY", "存储繁忙，请重试");
    }
    int64_t accepted = 0, duplicates = 0;
    json_array_foreach(reports, i, rep)
    {
        const char *id = json_string_value(json_object_get(rep, "id_number"));
        char norm[19];
        zx_credit_id_normalise(id, strlen(id), today, norm);
        json_t *at = json_object_get(rep, "at_ms"), *cnt = json_object_get(rep, "count");
        int64_t at_ms = at ? json_integer_value(at) : now;
        char day[11];
        zx_date_format(zx_date_from_ms(at_ms), day);
        const char *case_no = json_string_value(json_object_get(rep, "case_no"));
        const char *ref = json_string_value(json_object_get(rep, "ref"));
        db_stmt *s = db_prepare(c, "INSERT INTO interception_report (id, partner_id, at_ms, day, received_ms, id_number, "
                                   "category, case_no, event, count, ref, id_number_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                   "'purchase_blocked', ?, ?, ?) ON CONFLICT (partner_id, ref) DO NOTHING");
        if (!s) goto fail;
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, r->who.partner_id);
        db_bind_int64(s, 3, at_ms);
        db_bind_text(s, 4, day, -1);
        db_bind_int64(s, 5, now);
        zx_pii_bind_index(s, 6, ZX_PII_ID_NUMBER, norm); /* blind index + sealed (migration 042) */
        zx_pii_bind(s, 11, ZX_PII_ID_NUMBER, norm);
        db_bind_text(s, 7, json_string_value(json_object_get(rep, "category")), -1);
        db_bind_text(s, 8, case_no, -1);
        db_bind_int64(s, 9, cnt ? json_integer_value(cnt) : 1);
        db_bind_text(s, 10, ref, -1);
        int rc = db_step(s);
        int64_t ch = db_changes(s);
        db_finalize(s);
        if (rc != DB_DONE) goto fail;
        if (ch > 0) accepted++;
        else duplicates++;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "{\"accepted\":%lld,\"duplicates\":%lld}", (long long)accepted, (long long)duplicates);
    if (zx_audit_req(r, c, "credit.interception_report", "partner", r->who.partner_id, "ok", detail) != 0) goto fail;
    if (db_commit(c) != 0) goto fail;
    json_decref(single);
    zx_reply_json(r, 201, json_pack("{s:I,s:I}", "accepted", (json_int_t)accepted, "duplicates", (json_int_t)duplicates));
    return;
fail:
    db_rollback(c);
    json_decref(single);
    LOG_ERROR("credit interceptions: %s", db_errmsg(c));
    zx_reply_error(r, 500, "INTERNAL", "保存失败");
}

/* ---- GET /api/v1/credit/interceptions/stats?from=&to= (staff) ------------------------------------- */

static json_t *group_rows(db_conn *c, const char *sql, const char *from, const char *to, int kind)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return NULL;
    db_bind_text(s, 1, from, -1);
    db_bind_text(s, 2, to, -1);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *k = db_col_text(s, 0);
        int64_t n = db_col_int64(s, 1);
        json_t *o;
        if (kind == 0) { /* category */
            int b = zx_credit_cat_bit(k, -1);
            const char *label = b >= 0 ? zx_credit_categories[b].label : k;
            char text[300];
            snprintf(text, sizeof text, "%s %lld 人次", label, (long long)n);
            o = json_pack("{s:s,s:s,s:I,s:s}", "category", k, "label", label, "count", (json_int_t)n, "text", text);
        } else if (kind == 1) { /* partner */
            char pid[24];
            snprintf(pid, sizeof pid, "%lld", (long long)db_col_int64(s, 2));
            o = json_pack("{s:s,s:s,s:I}", "partner_id", pid, "partner", k ? k : "", "count", (json_int_t)n);
        } else {
            o = json_pack("{s:s,s:I}", "day", k ? k : "", "count", (json_int_t)n);
        }
        if (o) json_array_append_new(arr, o);
    }
    db_finalize(s);
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static void credit_interception_stats(zx_req *r)
{
    const char *from = zx_query(r, "from"), *to = zx_query(r, "to");
    zx_date df, dt;
    char f[11], t[11];
    if (from && *from) {
        if (zx_date_parse(from, &df) != 0) return zx_reply_error(r, 400, "BAD_DATE", "from 须为 YYYY-MM-DD");
    } else {
        df = zx_today() - 29;
    }
    if (to && *to) {
        if (zx_date_parse(to, &dt) != 0) return zx_reply_error(r, 400, "BAD_DATE", "to 须为 YYYY-MM-DD");
    } else {
        dt = zx_today();
    }
    zx_date_format(df, f);
    zx_date_format(dt, t);
    db_conn *c = zx_db(r);
    json_t *bc = group_rows(c, "SELECT category, SUM(count) FROM interception_report WHERE day >= ? AND day <= ? "
                               "GROUP BY category ORDER BY SUM(count) DESC, category", f, t, 0);
    json_t *bp = group_rows(c, "SELECT p.name, SUM(i.count), i.partner_id FROM interception_report i "
                               "LEFT JOIN partner p ON p.id = i.partner_id WHERE i.day >= ? AND i.day <= ? "
                               "GROUP BY i.partner_id, p.name ORDER BY SUM(i.count) DESC", f, t, 1);
    json_t *bd = group_rows(c, "SELECT day, SUM(count) FROM interception_report WHERE day >= ? AND day <= ? "
                               "GROUP BY day ORDER BY day", f, t, 2);
    if (!bc || !bp || !bd) {
        json_decref(bc), json_decref(bp), json_decref(bd);
        return zx_reply_error(r, 500, "INTERNAL", "统计失败");
    }
    int64_t total = 0;
    size_t i;
    json_t *x;
    json_array_foreach(bc, i, x) total += json_integer_value(json_object_get(x, "count"));
    zx_reply_json(r, 200, json_pack("{s:s,s:s,s:I,s:o,s:o,s:o}", "from", f, "to", t, "total", (json_int_t)total,
                                    "by_category", bc, "by_partner", bp, "by_day", bd));
}

/* ---- GET /api/v1/credit/categories (public reference) ------------------------------------------- */

static void credit_categories(zx_req *r)
{
    json_t *arr = json_array();
    for (int i = 0; i < ZX_CAT_COUNT; i++)
        json_array_append_new(arr, json_pack("{s:s,s:i,s:s,s:s}", "code", zx_credit_categories[i].code, "item",
                                             zx_credit_categories[i].item, "label", zx_credit_categories[i].label,
                                             "article", zx_credit_categories[i].article));
    zx_reply_json(r, 200, json_pack("{s:o}", "categories", arr));
}

static const struct zx_route credit_partner_routes[] = {
    { "POST", "/api/v1/credit/check", credit_check, ZX_R_PARTNER, 0, "credit:check", "失信/限消核查（单条）" },
    { "POST", "/api/v1/credit/check-batch", credit_check_batch, ZX_R_PARTNER | ZX_R_BIG_BODY, 0, "credit:check",
      "失信/限消核查（批量，≤10000条）" },
    { "POST", "/api/v1/credit/check-stream", credit_check_stream, ZX_R_PARTNER | ZX_R_RAW_BODY | ZX_R_BIG_BODY, 0,
      "credit:bulk", "失信/限消核查（CSV/NDJSON 大批量）" },
    { "GET", "/api/v1/credit/changes", credit_changes, ZX_R_PARTNER | ZX_R_PII_READ, 0, NULL, "名单变更流（游标）" },
    { "GET", "/api/v1/credit/export", credit_export, ZX_R_PARTNER | ZX_R_PII_READ, 0, NULL, "已公布名单全量导出（分页）" },
    { "POST", "/api/v1/credit/interceptions", credit_interceptions, ZX_R_PARTNER, 0, "credit:report",
      "协同单位报告拦截事件" },
    { "GET", "/api/v1/credit/interceptions/stats", credit_interception_stats, ZX_R_USER, ROLE_COMMAND | ROLE_CHIEF, NULL,
      "拦截统计（按类别、单位、日期）" },
    { "GET", "/api/v1/credit/categories", credit_categories, ZX_R_PUBLIC, 0, NULL, "限制消费类别代码" },
};
ZX_ROUTES(credit_partner_routes)
