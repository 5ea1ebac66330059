/* special.c — 特殊主体 roster import and cross-matching (失信规定 art 8). See special.h. */
#include "credit/special.h"
#include "core/log.h"
#include "account/authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/date.h"
#include "core/pii.h"
#include "core/ids.h"
#include "credit/entry.h"

static const char *const cats[] = { "party_government_organ", "state_firm", "official", "deputy" };

int zx_special_category_valid(const char *code)
{
    for (size_t i = 0; code && i < 4; i++)
        if (!strcmp(cats[i], code)) return 1;
    return 0;
}

static void err_row(json_t *errors, int line, const char *code, const char *msg)
{
    json_array_append_new(errors, json_pack("{s:i,s:s,s:s}", "line", line, "code", code, "message", msg));
}

/* A person's ID number is personal data: special_subject.id_number holds its blind index and
 * id_number_enc the sealed value (core/pii.h, migration 020). A unit's 统一社会信用代码 is public
 * registration data and stays in clear in id_number (it joins case_party.credit_code). */
static void bind_subject_key(db_stmt *s, int i, const char *norm, enum zx_id_kind k)
{
    if (!norm || !norm[0]) db_bind_null(s, i);
    else if (k == ZX_IDK_PERSON) zx_pii_bind_index(s, i, ZX_PII_ID_NUMBER, norm);
    else db_bind_text(s, i, norm, -1);
}
/* The same for a look-up `id_number IN (?, ?)`: a person's blind index in both forms (core/pii.h
 * ZX_PII_IN), a unit's code twice. Binds i, i + 1. */
static void bind_subject_lookup(db_stmt *s, int i, const char *norm, enum zx_id_kind k)
{
    if (k == ZX_IDK_PERSON) {
        zx_pii_bind_lookup(s, i, ZX_PII_ID_NUMBER, norm);
        return;
    }
    bind_subject_key(s, i, norm, k);
    bind_subject_key(s, i + 1, norm, k);
}

int zx_special_import(db_conn *c, json_t *items, int64_t user_id, int64_t court_id, int *imported, int *updated,
                      json_t *errors)
{
    *imported = *updated = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        int line = (int)i + 1;
        const char *name = json_string_value(json_object_get(it, "name"));
        const char *idn = json_string_value(json_object_get(it, "id_number"));
        if (!idn || !*idn) idn = json_string_value(json_object_get(it, "credit_code"));
        const char *cat = json_string_value(json_object_get(it, "category"));
        const char *employer = json_string_value(json_object_get(it, "employer"));
        const char *note = json_string_value(json_object_get(it, "note"));
        if (!name || !*name) {
            err_row(errors, line, "REQUIRED", "缺少姓名/名称");
            continue;
        }
        if (!zx_special_category_valid(cat)) {
            err_row(errors, line, "INVALID_ENUM", "类别须为 party_government_organ / state_firm / official / deputy");
            continue;
        }
        char norm[19] = "";
        enum zx_id_kind k = ZX_IDK_INVALID;
        if (idn && *idn) {
            k = zx_credit_id_normalise(idn, strlen(idn), zx_today(), norm);
            if (k == ZX_IDK_INVALID) {
                err_row(errors, line, "INVALID_ID_NUMBER", "身份证号码或统一社会信用代码无效");
                continue;
            }
        } else if (strcmp(cat, "party_government_organ") != 0 && strcmp(cat, "state_firm") != 0) {
            err_row(errors, line, "REQUIRED", "个人须提供身份证号码");
            continue;
        }
        const char *kind = k == ZX_IDK_PERSON ? "person" : "unit";
        char *nn = zx_credit_name_norm(name);
        int64_t existing = 0;
        db_stmt *s;
        if (norm[0]) {
            s = db_prepare(c, "SELECT id FROM special_subject WHERE " ZX_PII_IN("id_number") " AND court_id = ?");
            bind_subject_lookup(s, 1, norm, k);
            db_bind_int64(s, 3, court_id);
        } else {
            s = db_prepare(c, "SELECT id FROM special_subject WHERE id_number IS NULL AND name_norm = ? AND court_id = ?");
            db_bind_text(s, 1, nn, -1);
            db_bind_int64(s, 2, court_id);
        }
        if (db_step(s) == DB_ROW) existing = db_col_int64(s, 0);
        db_finalize(s);
        if (existing)
            s = db_prepare(c, "UPDATE special_subject SET name = ?, name_norm = ?, id_number = ?, kind = ?, category = ?,"
                              " employer = ?, note = ?, imported_by = ?, imported_ms = ?, id_number_enc = ? WHERE id = ?");
        else
            s = db_prepare(c, "INSERT INTO special_subject (name, name_norm, id_number, kind, category, employer, note,"
                              " imported_by, imported_ms, id_number_enc, id, court_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        db_bind_text(s, 1, name, -1);
        db_bind_text(s, 2, nn, -1);
        bind_subject_key(s, 3, norm, k);
        db_bind_text(s, 4, kind, -1);
        db_bind_text(s, 5, cat, -1);
        db_bind_text(s, 6, employer && *employer ? employer : NULL, -1);
        db_bind_text(s, 7, note && *note ? note : NULL, -1);
        db_bind_int64(s, 8, user_id);
        db_bind_int64(s, 9, zx_now_ms());
        zx_pii_bind(s, 10, ZX_PII_ID_NUMBER, k == ZX_IDK_PERSON ? norm : NULL);
        db_bind_int64(s, 11, existing ? existing : zx_id_new());
        if (!existing) db_bind_int64(s, 12, court_id);
        int rc = db_step(s);
        db_finalize(s);
        free(nn);
        if (rc != DB_DONE) return -1;
        if (existing) (*updated)++;
        else (*imported)++;
    }
    return 0;
}

/* One CSV field (RFC 4180 quoting). Advances *p; returns malloc'ed text. */
static char *csv_field(const char **p, const char *end, int *eol)
{
    const char *s = *p;
    size_t cap = 64, n = 0;
    char *out = malloc(cap);
    *eol = 0;
    int quoted = s < end && *s == '"';
    if (quoted) s++;
    while (s < end) {
        char ch = *s;
        if (quoted) {
            if (ch == '"') {
                if (s + 1 < end && s[1] == '"') s++;
                else {
                    quoted = 0;
                    s++;
                    continue;
                }
            }
        } else if (ch == ',') {
            s++;
            break;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && s + 1 < end && s[1] == '\n') s++;
            s++;
            *eol = 1;
            break;
        }
        if (n + 2 > cap) out = realloc(out, cap *= 2);
        out[n++] = ch;
        s++;
    }
    if (s >= end) *eol = 1;
    out[n] = 0;
    *p = s;
    return out;
}

json_t *zx_special_csv_parse(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    char *hdr[16];
    int nh = 0, eol = 0;
    while (p < end && nh < 16 && !eol) hdr[nh++] = csv_field(&p, end, &eol);
    int col_name = -1;
    for (int i = 0; i < nh; i++)
        if (!strcmp(hdr[i], "name")) col_name = i;
    if (col_name < 0) {
        for (int i = 0; i < nh; i++) free(hdr[i]);
        return NULL;
    }
    json_t *arr = json_array();
    while (p < end) {
        json_t *row = json_object();
        int i = 0;
        eol = 0;
        while (!eol) {
            char *f = csv_field(&p, end, &eol);
            if (i < nh && *f) json_object_set_new(row, hdr[i], json_string(f));
            free(f);
            i++;
        }
        if (json_object_size(row)) json_array_append_new(arr, row);
        else json_decref(row);
    }
    for (int i = 0; i < nh; i++) free(hdr[i]);
    return arr;
}

/* Columns o … o+6: id, name, id_number, kind, category, employer, note; o+7: id_number_enc. */
static json_t *subject_row(db_stmt *s, int o)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)db_col_int64(s, o));
    char *pv = zx_pii_col(s, o + 7, ZX_PII_ID_NUMBER);
    json_t *j = json_pack("{s:s,s:s,s:s?,s:s,s:s,s:s?,s:s?}", "id", b, "name", db_col_text(s, o + 1), "id_number",
                          pv ? pv : db_col_text(s, o + 2), "kind", db_col_text(s, o + 3), "category", db_col_text(s, o + 4),
                          "employer", db_col_text(s, o + 5), "note", db_col_text(s, o + 6));
    zx_pii_free(pv);
    return j;
}

/* The subject of a zx_special_matches row (columns 0–6, id_number_enc at 15). */
static json_t *subject_row_at(db_stmt *s)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)db_col_int64(s, 0));
    char *pv = zx_pii_col(s, 15, ZX_PII_ID_NUMBER);
    json_t *j = json_pack("{s:s,s:s,s:s?,s:s,s:s,s:s?,s:s?}", "id", b, "name", db_col_text(s, 1), "id_number",
                          pv ? pv : db_col_text(s, 2), "kind", db_col_text(s, 3), "category", db_col_text(s, 4),
                          "employer", db_col_text(s, 5), "note", db_col_text(s, 6));
    zx_pii_free(pv);
    return j;
}

/* " AND court_id IN (?,?,…)" for n courts (issue 10 item 3: a roster is scoped by court). */
static char *court_filter(int n)
{
    size_t cap = 32 + (size_t)n * 2;
    char *f = malloc(cap);
    if (!f) zx_die("out of memory");
    strcpy(f, " AND court_id IN (");
    for (int i = 0; i < n; i++) strcat(f, i ? ",?" : "?");
    strcat(f, ")");
    return f;
}

json_t *zx_special_list(db_conn *c, const char *q, const char *category, int limit, int offset, const int64_t *court_ids,
                        int ncourts)
{
    char *nn = q && *q ? zx_credit_name_norm(q) : NULL;
    if (ncourts < 1) ncourts = 0;
    char *cf = court_filter(ncourts ? ncourts : 1), sql[16384];
    snprintf(sql, sizeof sql, "SELECT id, name, id_number, kind, category, employer, note, id_number_enc FROM special_subject"
                              " WHERE (CAST(? AS TEXT) IS NULL OR name_norm = ? OR id_number = ? OR " ZX_PII_IN("id_number") ")"
                              " AND (CAST(? AS TEXT) IS NULL OR category = ?)%s"
                              " ORDER BY name_norm, id LIMIT ? OFFSET ?", cf);
    db_stmt *s = db_prepare(c, sql);
    db_bind_text(s, 1, nn, -1);
    db_bind_text(s, 2, nn, -1);
    db_bind_text(s, 3, q && *q ? q : NULL, -1);
    /* a person's ID number: exact match via the blind index (both forms during a key rotation) */
    zx_pii_bind_lookup(s, 4, ZX_PII_ID_NUMBER, q && *q ? q : NULL);
    db_bind_text(s, 6, category, -1);
    db_bind_text(s, 7, category, -1);
    for (int i = 0; i < (ncourts ? ncourts : 1); i++) db_bind_int64(s, 8 + i, ncourts ? court_ids[i] : -1);
    int nb = 8 + (ncourts ? ncourts : 1);
    db_bind_int64(s, nb, limit);
    db_bind_int64(s, nb + 1, offset);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(arr, subject_row(s, 0));
    db_finalize(s);
    free(nn);
    int64_t total = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM special_subject WHERE 1 = 1%s", cf);
    if ((s = db_prepare(c, sql))) {
        for (int i = 0; i < (ncourts ? ncourts : 1); i++) db_bind_int64(s, 1 + i, ncourts ? court_ids[i] : -1);
        if (db_step(s) == DB_ROW) total = db_col_int64(s, 0);
        db_finalize(s);
    }
    free(cf);
    return json_pack("{s:o,s:I}", "items", arr, "total", (json_int_t)total);
}

/* The match report's columns (read by position below) and its joins; the join condition goes between.
 * A person on the roster matches a debtor by blind index (special_subject.id_number =
 * case_party.id_number: both HMAC-SM3 under the index key), a unit by its 统一社会信用代码, a unit
 * without a code on the roster by its exact name. */
#define MATCH_HEAD                                                                                                 \
    "SELECT s.id, s.name, s.id_number, s.kind, s.category, s.employer, s.note, k.id, k.case_no, k.court_id, p.id, p.name," \
    " p.role, p.role_of_unit,"                                                                                     \
    " CASE WHEN s.id_number IS NULL THEN 'name' WHEN s.kind = 'unit' THEN 'credit_code' ELSE 'id_number' END,"     \
    " s.id_number_enc, s.court_id"                                                                                 \
    " FROM special_subject s JOIN case_party p ON "
#define MATCH_TAIL                                                                                                 \
    " JOIN enf_case k ON k.id = p.case_id"                                                                         \
    " WHERE (p.role = 'debtor' OR (p.role = 'unit_person' AND p.of_party_id IN (SELECT id FROM case_party WHERE role = 'debtor')))"
#define MATCH_UNIT                                                                                                 \
    "(s.id_number IS NOT NULL AND s.kind = 'unit' AND UPPER(p.credit_code) = s.id_number)"                         \
    "  OR (s.id_number IS NULL AND p.kind = 'unit' AND p.name = s.name)"

struct match { json_t *j; int64_t case_id; char idn[20]; int seq; };

static void match_add(db_stmt *s, const int64_t *court_ids, int n, struct match **ms, int *nm, int *cap)
{
    int64_t court = db_col_int64(s, 9);
    /* a roster applies to the debtors of its court and of every court below it (migration 019) */
    if (!zx_court_within(court, db_col_int64(s, 16))) return;
    if (n > 0) {
        int ok = 0;
        for (int i = 0; i < n; i++) ok |= court_ids[i] == court;
        if (!ok) return;
    }
    char b1[24], b2[24];
    snprintf(b1, sizeof b1, "%lld", (long long)db_col_int64(s, 7));
    snprintf(b2, sizeof b2, "%lld", (long long)db_col_int64(s, 10));
    json_t *subj = subject_row_at(s);
    json_t *j = json_pack("{s:o,s:{s:s,s:s,s:s,s:s,s:s,s:s?},s:s,s:s}", "subject", subj, "debtor", "case_id",
                          b1, "case_no", db_col_text(s, 8), "party_id", b2, "name", db_col_text(s, 11), "role",
                          db_col_text(s, 12), "role_of_unit", db_col_text(s, 13), "match", db_col_text(s, 14), "notify",
                          strcmp(db_col_text(s, 4), "deputy") == 0 ? "人大常委会 / 政协 及 组织人事部门"
                                                                  : "组织人事部门 / 纪检监察机关");
    if (*nm == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *ms = realloc(*ms, (size_t)*cap * sizeof **ms);
        if (!*ms) zx_die("out of memory");
    }
    struct match *m = &(*ms)[*nm];
    m->j = j;
    m->case_id = db_col_int64(s, 7);
    m->seq = *nm;
    const char *plain = json_string_value(json_object_get(subj, "id_number"));
    snprintf(m->idn, sizeof m->idn, "%s", plain ? plain : "");
    (*nm)++;
}

static const char *match_key(const struct match *m, const char *obj, const char *field)
{
    const char *v = json_string_value(json_object_get(json_object_get(m->j, obj), field));
    return v ? v : "";
}

/* ORDER BY s.name, k.case_no for rows gathered by several queries (byte order; stable). */
static int match_cmp(const void *a, const void *b)
{
    const struct match *x = a, *y = b;
    int c = strcmp(match_key(x, "subject", "name"), match_key(y, "subject", "name"));
    if (!c) c = strcmp(match_key(x, "debtor", "case_no"), match_key(y, "debtor", "case_no"));
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Debtors (case_party role debtor, their unit persons too) whose normalised ID / credit code equals a
 * roster row's, or — for units without a code on the roster — whose exact name matches.
 *
 * During an online blind-index rotation (`zhixing pii rotate --index`, the key file holds
 * `index_next`) the roster row and the party may be indexed under different keys (phase 3 moves
 * them one batch at a time, and new parties are written under the next key), so a join of the two
 * columns would miss the pair: then each person on the roster is opened and its debtors are looked
 * up by both forms of its blind index (ZX_PII_IN), like any typed ID number. Outside a rotation the
 * one join stays (a rotation runs minutes a year). */
json_t *zx_special_matches(db_conn *c, const int64_t *court_ids, int n)
{
    json_t *arr = json_array();
    struct match *ms = NULL;
    int nm = 0, cap = 0;
    bool rotating = zx_pii_index_rotating();
    db_stmt *s = db_prepare(c, rotating ? MATCH_HEAD "(" MATCH_UNIT ")" MATCH_TAIL " ORDER BY s.name, k.case_no"
                                        : MATCH_HEAD "((s.id_number IS NOT NULL AND s.kind = 'person' AND p.id_number = s.id_number)"
                                                     "  OR " MATCH_UNIT ")" MATCH_TAIL " ORDER BY s.name, k.case_no");
    if (!s) return arr;
    while (db_step(s) == DB_ROW) match_add(s, court_ids, n, &ms, &nm, &cap);
    db_finalize(s);
    if (rotating) {
        struct person { int64_t id; char *idn; } *ps = NULL;
        int np = 0, pcap = 0;
        s = db_prepare(c, "SELECT id, id_number_enc, court_id FROM special_subject WHERE kind = 'person' AND id_number IS NOT NULL"
                          " ORDER BY id");
        while (s && db_step(s) == DB_ROW) {
            bool applies = n <= 0; /* a roster row of a court above none of court_ids matches nothing here */
            for (int i = 0; i < n && !applies; i++) applies = zx_court_within(court_ids[i], db_col_int64(s, 2));
            if (!applies) continue;
            char *idn = zx_pii_col(s, 1, ZX_PII_ID_NUMBER);
            if (!idn) continue; /* not opened: a roster row without its sealed number cannot be looked up */
            if (np == pcap) {
                pcap = pcap ? pcap * 2 : 64;
                ps = realloc(ps, (size_t)pcap * sizeof *ps);
                if (!ps) zx_die("out of memory");
            }
            ps[np].id = db_col_int64(s, 0);
            ps[np++].idn = idn;
        }
        if (s) db_finalize(s);
        for (int i = 0; i < np; i++) {
            s = db_prepare(c, MATCH_HEAD "(s.kind = 'person' AND " ZX_PII_IN("p.id_number") ")" MATCH_TAIL " AND s.id = ?");
            if (s) {
                zx_pii_bind_lookup(s, 1, ZX_PII_ID_NUMBER, ps[i].idn);
                db_bind_int64(s, 3, ps[i].id);
                while (db_step(s) == DB_ROW) match_add(s, court_ids, n, &ms, &nm, &cap);
                db_finalize(s);
            }
            zx_pii_free(ps[i].idn);
        }
        free(ps);
        if (nm > 1) qsort(ms, (size_t)nm, sizeof *ms, match_cmp);
    }
    for (int i = 0; i < nm; i++) {
        json_t *entries = json_array();
        if (ms[i].idn[0]) {
            db_stmt *e = db_prepare(c, "SELECT id, list, status, publish_on FROM credit_entry WHERE case_id = ? AND "
                                       ZX_PII_IN("id_number"));
            db_bind_int64(e, 1, ms[i].case_id);
            zx_pii_bind_lookup(e, 2, ZX_PII_ID_NUMBER, ms[i].idn); /* credit_entry.id_number: blind index (042) */
            while (db_step(e) == DB_ROW) {
                char b[24];
                snprintf(b, sizeof b, "%lld", (long long)db_col_int64(e, 0));
                json_array_append_new(entries, json_pack("{s:s,s:s,s:s,s:s}", "id", b, "list", db_col_text(e, 1), "status",
                                                         db_col_text(e, 2), "publish_on", db_col_text(e, 3)));
            }
            db_finalize(e);
        }
        json_object_set_new(ms[i].j, "entries", entries);
        json_array_append_new(arr, ms[i].j);
    }
    if (ms) zx_wipe(ms, (size_t)cap * sizeof *ms); /* the opened ID numbers */
    free(ms);
    return arr;
}
