/* decisions_internal.h — what the files of the 失信 / 限消 decision procedure share (not an interface
 * for other modules: use decisions.h). decisions.c — proposals, signatures, service, effect;
 * decisions_entry.c — operations on entries (extend, lift, delete, revoke, correct, permits);
 * decisions_review.c — correction applications (失信规定 arts 11–12) and the periodic sweep;
 * decisions_view.c — lookups and renderers. */
#ifndef ZX_CREDIT_DECISIONS_INTERNAL_H
#define ZX_CREDIT_DECISIONS_INTERNAL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credit/decisions.h"
#include "credit/entry.h"
#include "core/pii.h"

#define MAXR 16

typedef struct cd_party {
    int64_t id, case_id;
    char role[16], kind[8], name[128], id_raw[40], role_of_unit[24];
} cd_party;

typedef struct cd_dec {
    int64_t id, case_id, court_id, party_id, proposed_by, approved_by, entry_id, auto_from_id;
    char list[12], person_kind[8], name[128], id_number[20], categories[256], conduct[256], status[12];
    char decided_on[11], approved_on[11], served_on[11], service_method[24], extension_reason[32];
    char facts[512];
    int ground, grace_months, extension_years, on_application;
} cd_dec;

/* id_number_enc: the sealed ID number (credit_decision.id_number holds its blind index, migration 042). */
#define DEC_COLS                                                                                              \
    "id, case_id, court_id, party_id, proposed_by, approved_by, entry_id, auto_from_id, list, person_kind, name," \
    " id_number_enc, categories, conduct, status, decided_on, approved_on, served_on, service_method,"              \
    " extension_reason, ground, grace_months, extension_years, on_application"

/* ---- small helpers (inline) -------------------------------------------------------------------------------- */

static inline void cpy(char *dst, size_t n, const char *s)
{
    size_t l = s ? strlen(s) : 0;
    if (l >= n) l = n - 1; /* truncate (callers size buffers to the columns) */
    if (l) memmove(dst, s, l);
    dst[l] = 0;
}
static inline const char *nz(const char *s) { return s && *s ? s : NULL; }
/* The look-up pair for `id_number IN (?, ?)` (core/pii.h ZX_PII_IN: both forms during an online
 * index-key rotation) of a plain ID number — never a blind index read from a column (a stored index
 * compared with another row's misses the rows a rotation has moved or not yet moved). Binds idx, idx + 1. */
static inline void cd_bind_idx(db_stmt *s, int idx, const char *id)
{
    zx_pii_bind_lookup(s, idx, ZX_PII_ID_NUMBER, id ? id : "");
}
static inline json_t *jid(int64_t id)
{
    if (!id) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}
static inline json_t *jstr_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static inline const char *jstr(json_t *b, const char *k)
{
    const char *s = json_string_value(json_object_get(b, k));
    return s && *s ? s : NULL;
}
static inline bool jbool(json_t *b, const char *k) { return json_is_true(json_object_get(b, k)); }
static inline bool jget_id(json_t *v, int64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        char *end;
        long long x = strtoll(json_string_value(v), &end, 10);
        if (*json_string_value(v) && !*end && x > 0) {
            *out = x;
            return true;
        }
    }
    return false;
}
static inline long long jint(json_t *b, const char *k, long long def, bool *bad)
{
    json_t *v = json_object_get(b, k);
    if (!v || json_is_null(v)) return def;
    if (json_is_integer(v)) return json_integer_value(v);
    if (bad) *bad = true;
    return def;
}
/* Date member: absent → def; invalid → *bad. */
static inline zx_date jdate(json_t *b, const char *k, zx_date def, bool *bad)
{
    const char *s = jstr(b, k);
    if (!s) return def;
    zx_date d;
    if (zx_date_parse(s, &d) != 0) {
        *bad = true;
        return def;
    }
    return d;
}
/* Categories: array of codes or a space-separated string. "" = all. Returns mask or -1. */
static inline int jcats(json_t *b, const char *k, char *out, size_t n)
{
    json_t *v = json_object_get(b, k);
    out[0] = 0;
    if (!v || json_is_null(v)) return ZX_CAT_ALL;
    if (json_is_string(v)) cpy(out, n, json_string_value(v));
    else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (!json_is_string(x)) return -1;
            if (strlen(out) + strlen(json_string_value(x)) + 2 > n) return -1;
            if (*out) strcat(out, " ");
            strcat(out, json_string_value(x));
        }
    } else return -1;
    int m = zx_credit_cat_mask(out);
    if (m < 0) return -1;
    if (m == ZX_CAT_ALL) out[0] = 0; /* canonical: NULL = every item */
    else zx_credit_cat_format((uint16_t)m, out, n);
    return m;
}
static inline void fmt(zx_date d, char b[11])
{
    if (d == ZX_DATE_NONE) b[0] = 0;
    else zx_date_format(d, b);
}
static inline zx_date pdate(const char *s)
{
    zx_date d;
    return s && *s && zx_date_parse(s, &d) == 0 ? d : ZX_DATE_NONE;
}

static inline int64_t actor_uid(const zx_cd_actor *a) { return a->r ? a->r->who.user_id : a->user_id; }


/* ---- shared steps (defined in the files named above) ---- */
int cd_fail_db(zx_cd_err *e, db_conn *c, const char *what);
int cd_audit(const zx_cd_actor *a, db_conn *c, const char *action, const char *type, int64_t id, const char *court,
                 json_t *detail);
int cd_exec1(db_conn *c, const char *sql, int64_t a1, const char *t2);
int cd_lock_case(db_conn *c, int64_t case_id);
int cd_party_load(db_conn *c, int64_t id, cd_party *p);
int cd_dec_load(db_conn *c, int64_t id, cd_dec *d);
int cd_dec_insert(db_conn *c, const cd_dec *d);
int cd_dec_update(db_conn *c, const cd_dec *d, const char *note);
int64_t cd_count2(db_conn *c, const char *sql, int64_t a, const char *b, const char *t3);
int64_t cd_count_id(db_conn *c, const char *sql, int64_t a, const char *id, const char *t3);
bool cd_open_in_case(db_conn *c, int64_t case_id, int64_t party_id, const char *id_number, const char *list);
zx_date cd_applicant_deleted_on(db_conn *c, int64_t case_id, const char *id_number);
bool cd_case_outstanding(const zx_cd_case *k);
void cd_entry_from_case(struct zx_credit_entry *e, const zx_cd_case *k);
int cd_entry_extra(db_conn *c, int64_t entry_id, int64_t decision_id, int64_t court_id, int64_t party_id, int ext);
int cd_write_entries(db_conn *c, const zx_cd_case *k, cd_dec *d, zx_date publish, zx_date term_end, json_t *info,
                         int64_t *entry_id);
int cd_make_effective(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, cd_dec *d, zx_cd_err *err);
bool cd_entry_open(const struct zx_credit_entry *e);
int cd_load_entry_case(db_conn *c, int64_t id, struct zx_credit_entry *e, zx_cd_case *k, zx_cd_err *err);
int cd_mark_corrections_fixed(db_conn *c, int64_t entry_id);
int cd_entry_event(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, const struct zx_credit_entry *e,
                       const char *kind, const char *action, json_t *extra);
int cd_lift_tree(const zx_cd_actor *a, db_conn *c, const zx_cd_case *k, int64_t root, const char *reason, zx_date on);
bool cd_dishonest_open(db_conn *c, int64_t case_id, const char *id_number);
int64_t cd_deletion_insert(db_conn *c, const struct zx_credit_entry *e, int64_t court_id, const char *trigger,
                               zx_date trigger_on, const char *note, int64_t uid);
int cd_refresh_window(const zx_cd_actor *a, db_conn *c, int64_t case_id, const char *id_number, zx_date today);
json_t *cd_masked(const char *id, bool unmask);
json_t *cd_user_ref(db_conn *c, int64_t uid);

#endif
