/* audit.c — append-only, SM3 hash-chained audit records (security.md §1.3, §6).
 *
 * Canonical form of a record (what is hashed), versioned in audit_log.hash_v:
 *   1 (stores before migration 009): every field as "<strlen>:<bytes>;" in a fixed order, NULL as
 *     "-;", hash = SM3(prev_hash_hex ‖ canonical) — strlen stops at a NUL byte, so an edit after a
 *     NUL in a text field was invisible;
 *   2 (every record written now): "zx-audit-v2\0" then each field with a type byte and its exact
 *     byte length (64-bit) — see canon2_*. Verify accepts 1 only before the first 2 of a chain.
 * The chain head (seq, hash) lives in
 * the single row of audit_head; taking it with UPDATE … RETURNING serialises writers (row lock on
 * PostgreSQL, the single writer on SQLite) so seq is gap-free and the chain never forks. */
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_HASH_V 2 /* the scheme new records are written with */

struct zx_abytes {
    const char *p;
    size_t n;
};

struct canon {
    char *buf;
    size_t len, cap;
};

static void canon_raw(struct canon *c, const void *p, size_t n)
{
    if (c->len + n > c->cap) {
        c->cap = (c->len + n) * 2 + 256;
        c->buf = realloc(c->buf, c->cap);
        if (!c->buf) zx_die("out of memory");
    }
    if (n) memcpy(c->buf + c->len, p, n);
    c->len += n;
}

/* Scheme 1 (records written before migration 009): "<strlen>:<bytes>;" per field, NULL as "-;". */
static void canon_put(struct canon *c, const char *s)
{
    char head[24];
    size_t n = s ? strlen(s) : 0;
    int hl = s ? snprintf(head, sizeof head, "%zu:", n) : snprintf(head, sizeof head, "-");
    canon_raw(c, head, (size_t)hl);
    if (s) canon_raw(c, s, n);
    canon_raw(c, ";", 1);
}

/* Scheme 2: a type byte ('N' null, 'T' bytes, 'I' integer) then, for bytes, the exact length as 8
 * bytes big-endian and the bytes themselves (a NUL byte is hashed like any other), for integers 8
 * bytes big-endian two's complement. */
static void canon2_bytes(struct canon *c, const struct zx_abytes *b)
{
    if (!b->p) {
        canon_raw(c, "N", 1);
        return;
    }
    uint8_t h[9] = {'T'};
    for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)((uint64_t)b->n >> (56 - 8 * i));
    canon_raw(c, h, sizeof h);
    canon_raw(c, b->p, b->n);
}

static void canon2_int(struct canon *c, int64_t v)
{
    uint8_t h[9] = {'I'};
    for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    canon_raw(c, h, sizeof h);
}

static struct zx_abytes ab(const char *s) { return (struct zx_abytes){s, s ? strlen(s) : 0}; }

/* The fields of one record as exact byte strings (text columns may hold NUL bytes on SQLite). */
struct arec {
    int64_t seq, at_ms, user_id;
    struct zx_abytes username, court, action, otype, oid, result, ip, rid, detail;
};

static void record_hash(int version, const char *prev, const struct arec *a, char out[65])
{
    struct canon c = {0};
    if (version >= 2) {
        static const char tag[] = "zx-audit-v2";
        canon_raw(&c, tag, sizeof tag); /* with its NUL: domain separation from scheme 1 */
        struct zx_abytes p = ab(prev);
        canon2_bytes(&c, &p);
        canon2_int(&c, a->seq);
        canon2_int(&c, a->at_ms);
        canon2_int(&c, a->user_id);
        const struct zx_abytes *f[] = {&a->username, &a->court, &a->action, &a->otype, &a->oid,
                                       &a->result, &a->ip, &a->rid, &a->detail};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) canon2_bytes(&c, f[i]);
    } else {
        char n1[24], n2[24], n3[24];
        snprintf(n1, sizeof n1, "%lld", (long long)a->seq);
        snprintf(n2, sizeof n2, "%lld", (long long)a->at_ms);
        snprintf(n3, sizeof n3, "%lld", (long long)a->user_id);
        canon_put(&c, prev);
        canon_put(&c, n1);
        canon_put(&c, n2);
        canon_put(&c, n3);
        canon_put(&c, a->username.p);
        canon_put(&c, a->court.p);
        canon_put(&c, a->action.p);
        canon_put(&c, a->otype.p);
        canon_put(&c, a->oid.p);
        canon_put(&c, a->result.p);
        canon_put(&c, a->ip.p);
        canon_put(&c, a->rid.p);
        canon_put(&c, a->detail.p);
    }
    uint8_t d[ZX_SM3_LEN];
    zx_sm3(c.buf, c.len, d);
    zx_hex(d, sizeof d, out);
    free(c.buf);
}

int zx_audit_write(db_conn *c, const zx_audit_rec *rec)
{
    db_stmt *s = db_prepare(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
    if (!s) return -1;
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return -1;
    }
    int64_t seq = db_col_int64(s, 0);
    char prev[65];
    snprintf(prev, sizeof prev, "%s", db_col_text(s, 1));
    db_finalize(s);

    int64_t at = zx_now_ms();
    const char *user = rec->username ? rec->username : "system";
    const char *result = rec->result ? rec->result : "ok";
    char hash[65];
    struct arec a = {seq, at, rec->user_id, ab(user), ab(rec->court_code), ab(rec->action), ab(rec->object_type),
                     ab(rec->object_id), ab(result), ab(rec->client_ip), ab(rec->request_id), ab(rec->detail)};
    record_hash(AUDIT_HASH_V, prev, &a, hash);

    s = db_prepare(c, "INSERT INTO audit_log (seq, at_ms, user_id, username, court_code, action, object_type,"
                      " object_id, result, client_ip, request_id, detail, prev_hash, hash, hash_v)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, seq);
    db_bind_int64(s, 2, at);
    db_bind_int64(s, 3, rec->user_id);
    db_bind_text(s, 4, user, -1);
    db_bind_text(s, 5, rec->court_code, -1);
    db_bind_text(s, 6, rec->action, -1);
    db_bind_text(s, 7, rec->object_type, -1);
    db_bind_text(s, 8, rec->object_id, -1);
    db_bind_text(s, 9, result, -1);
    db_bind_text(s, 10, rec->client_ip, -1);
    db_bind_text(s, 11, rec->request_id, -1);
    db_bind_text(s, 12, rec->detail, -1);
    db_bind_text(s, 13, prev, -1);
    db_bind_text(s, 14, hash, -1);
    db_bind_int64(s, 15, AUDIT_HASH_V);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;

    s = db_prepare(c, "UPDATE audit_head SET hash = ? WHERE id = 1");
    if (!s) return -1;
    db_bind_text(s, 1, hash, -1);
    rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

int zx_audit_req(zx_req *r, db_conn *c, const char *action, const char *object_type, int64_t object_id,
                 const char *result, const char *detail)
{
    char oid[24] = "";
    if (object_id) snprintf(oid, sizeof oid, "%lld", (long long)object_id);
    zx_audit_rec rec = {
        .user_id = r->who.kind == ZX_USER ? r->who.user_id : 0,
        .username = r->who.kind == ZX_USER      ? r->who.username
                    : r->who.kind == ZX_PARTNER ? r->who.partner_name
                                                : "anonymous",
        .court_code = r->who.kind == ZX_USER ? r->who.court_code : NULL,
        .action = action,
        .object_type = object_type,
        .object_id = object_id ? oid : NULL,
        .result = result,
        .client_ip = r->client_ip,
        .request_id = r->request_id,
        .detail = detail,
    };
    return zx_audit_write(c, &rec);
}

int zx_audit_req_tx(zx_req *r, const char *action, const char *object_type, int64_t object_id,
                    const char *result, const char *detail)
{
    db_conn *c = zx_db(r);
    if (db_begin(c)) return -1;
    if (zx_audit_req(r, c, action, object_type, object_id, result, detail)) {
        db_rollback(c);
        return -1;
    }
    return db_commit(c);
}

static struct zx_abytes col_bytes(db_stmt *s, int col)
{
    size_t n = 0;
    const void *p = db_col_blob(s, col, &n);
    return (struct zx_abytes){p, n};
}

/* Verify a consistent snapshot: the head (seq, hash) is read first, then the records up to that
 * seq. A writer commits its record and the head together, so every record up to the head read is
 * visible to the later statement; records appended meanwhile (seq above it) are not looked at — a
 * busy server therefore never makes verify report a break that is not there. */
int zx_audit_verify(db_conn *c, int64_t *n_checked, int64_t *bad_seq, char *why, size_t whylen)
{
    *n_checked = 0;
    *bad_seq = 0;
    db_stmt *s = db_prepare(c, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!s) {
        snprintf(why, whylen, "cannot read audit_head: %s", db_errmsg(c));
        return -1;
    }
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        snprintf(why, whylen, "audit_head missing");
        return 1;
    }
    int64_t hseq = db_col_int64(s, 0);
    char hhash[65];
    snprintf(hhash, sizeof hhash, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    db_finalize(s);

    s = db_prepare(c, "SELECT seq, at_ms, user_id, username, court_code, action, object_type, object_id,"
                      " result, client_ip, request_id, detail, prev_hash, hash, hash_v FROM audit_log"
                      " WHERE seq <= ? ORDER BY seq");
    if (!s) {
        snprintf(why, whylen, "cannot read audit_log: %s", db_errmsg(c));
        return -1;
    }
    db_bind_int64(s, 1, hseq);
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    int rc, bad = 0, max_v = 1;
    /* Records pruned after their signed archive (audit/anchor.h, retention): the chain continues
     * from the last archived record's hash. */
    db_stmt *a = db_prepare(c, "SELECT to_seq, last_hash FROM audit_archive ORDER BY to_seq DESC LIMIT 1");
    if (a && db_step(a) == DB_ROW && db_col_text(a, 1)) {
        expect = db_col_int64(a, 0) + 1;
        snprintf(prev, sizeof prev, "%s", db_col_text(a, 1));
    }
    if (a) db_finalize(a);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t seq = db_col_int64(s, 0);
        const char *stored_prev = db_col_text(s, 12), *stored = db_col_text(s, 13);
        int v = (int)db_col_int64(s, 14);
        char h[65];
        if (seq != expect) {
            snprintf(why, whylen, "record %lld missing or out of order (found %lld)", (long long)expect,
                     (long long)seq);
            *bad_seq = expect;
            bad = 1;
            break;
        }
        if (v < 1 || v > AUDIT_HASH_V || v < max_v) {
            /* A record may not fall back to an older scheme (nor claim an unknown one). */
            snprintf(why, whylen, "record %lld has hash scheme %d after scheme %d", (long long)seq, v, max_v);
            *bad_seq = seq;
            bad = 1;
            break;
        }
        max_v = v;
        if (!stored_prev || strcmp(stored_prev, prev)) {
            snprintf(why, whylen, "record %lld does not link to its predecessor", (long long)seq);
            *bad_seq = seq;
            bad = 1;
            break;
        }
        struct arec a = {seq, db_col_int64(s, 1), db_col_int64(s, 2), col_bytes(s, 3), col_bytes(s, 4),
                         col_bytes(s, 5), col_bytes(s, 6), col_bytes(s, 7), col_bytes(s, 8), col_bytes(s, 9),
                         col_bytes(s, 10), col_bytes(s, 11)};
        record_hash(v, prev, &a, h);
        if (!stored || strcmp(h, stored)) {
            snprintf(why, whylen, "record %lld was altered (hash mismatch)", (long long)seq);
            *bad_seq = seq;
            bad = 1;
            break;
        }
        memcpy(prev, h, sizeof prev);
        expect++;
        (*n_checked)++;
    }
    db_finalize(s);
    if (rc < 0 && !bad) {
        snprintf(why, whylen, "read error: %s", db_errmsg(c));
        return -1;
    }
    if (bad) return 1;
    /* The head must point at the last record: catches removal of records at the tail. */
    if (hseq != expect - 1 || strcmp(hhash, prev)) {
        snprintf(why, whylen, "chain ends at record %lld but head says %lld (records removed at the end)",
                 (long long)(expect - 1), (long long)hseq);
        *bad_seq = expect;
        return 1;
    }
    why[0] = 0;
    return 0;
}
