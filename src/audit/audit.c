/* audit.c — append-only, SM3 hash-chained audit records (security.md §1.3, §6).
 *
 * Canonical form of a record (what is hashed): every field as "<byte length>:<bytes>;" in a fixed
 * order, NULL as "-;". hash = SM3(prev_hash_hex ‖ canonical). The chain head (seq, hash) lives in
 * the single row of audit_head; taking it with UPDATE … RETURNING serialises writers (row lock on
 * PostgreSQL, the single writer on SQLite) so seq is gap-free and the chain never forks. */
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct canon {
    char *buf;
    size_t len, cap;
};

static void canon_put(struct canon *c, const char *s)
{
    char head[24];
    size_t n = s ? strlen(s) : 0;
    int hl = s ? snprintf(head, sizeof head, "%zu:", n) : snprintf(head, sizeof head, "-");
    size_t need = c->len + (size_t)hl + n + 2;
    if (need > c->cap) {
        c->cap = need * 2 + 256;
        c->buf = realloc(c->buf, c->cap);
        if (!c->buf) zx_die("out of memory");
    }
    memcpy(c->buf + c->len, head, (size_t)hl);
    c->len += (size_t)hl;
    if (s) {
        memcpy(c->buf + c->len, s, n);
        c->len += n;
    }
    c->buf[c->len++] = ';';
}

static void record_hash(const char *prev, int64_t seq, int64_t at_ms, int64_t user_id, const char *username,
                        const char *court, const char *action, const char *otype, const char *oid,
                        const char *result, const char *ip, const char *rid, const char *detail, char out[65])
{
    struct canon c = {0};
    char n1[24], n2[24], n3[24];
    snprintf(n1, sizeof n1, "%lld", (long long)seq);
    snprintf(n2, sizeof n2, "%lld", (long long)at_ms);
    snprintf(n3, sizeof n3, "%lld", (long long)user_id);
    canon_put(&c, prev);
    canon_put(&c, n1);
    canon_put(&c, n2);
    canon_put(&c, n3);
    canon_put(&c, username);
    canon_put(&c, court);
    canon_put(&c, action);
    canon_put(&c, otype);
    canon_put(&c, oid);
    canon_put(&c, result);
    canon_put(&c, ip);
    canon_put(&c, rid);
    canon_put(&c, detail);
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
    record_hash(prev, seq, at, rec->user_id, user, rec->court_code, rec->action, rec->object_type,
                rec->object_id, result, rec->client_ip, rec->request_id, rec->detail, hash);

    s = db_prepare(c, "INSERT INTO audit_log (seq, at_ms, user_id, username, court_code, action, object_type,"
                      " object_id, result, client_ip, request_id, detail, prev_hash, hash)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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

int zx_audit_verify(db_conn *c, int64_t *n_checked, int64_t *bad_seq, char *why, size_t whylen)
{
    *n_checked = 0;
    *bad_seq = 0;
    db_stmt *s = db_prepare(c, "SELECT seq, at_ms, user_id, username, court_code, action, object_type, object_id,"
                               " result, client_ip, request_id, detail, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!s) {
        snprintf(why, whylen, "cannot read audit_log: %s", db_errmsg(c));
        return -1;
    }
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    int rc, bad = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t seq = db_col_int64(s, 0);
        const char *stored_prev = db_col_text(s, 12), *stored = db_col_text(s, 13);
        char h[65];
        if (seq != expect) {
            snprintf(why, whylen, "record %lld missing or out of order (found %lld)", (long long)expect,
                     (long long)seq);
            *bad_seq = expect;
            bad = 1;
            break;
        }
        if (!stored_prev || strcmp(stored_prev, prev)) {
            snprintf(why, whylen, "record %lld does not link to its predecessor", (long long)seq);
            *bad_seq = seq;
            bad = 1;
            break;
        }
        record_hash(prev, seq, db_col_int64(s, 1), db_col_int64(s, 2), db_col_text(s, 3), db_col_text(s, 4),
                    db_col_text(s, 5), db_col_text(s, 6), db_col_text(s, 7), db_col_text(s, 8),
                    db_col_text(s, 9), db_col_text(s, 10), db_col_text(s, 11), h);
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
    s = db_prepare(c, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!s || db_step(s) != DB_ROW) {
        if (s) db_finalize(s);
        snprintf(why, whylen, "audit_head missing");
        return 1;
    }
    int64_t hseq = db_col_int64(s, 0);
    int headok = hseq == expect - 1 && !strcmp(db_col_text(s, 1), prev);
    db_finalize(s);
    if (!headok) {
        snprintf(why, whylen, "chain ends at record %lld but head says %lld (records removed at the end)",
                 (long long)(expect - 1), (long long)hseq);
        *bad_seq = expect;
        return 1;
    }
    why[0] = 0;
    return 0;
}
