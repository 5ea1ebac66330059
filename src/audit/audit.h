/* audit.h — the hash-chained audit trail (等保 三级 安全审计).
 * zx_audit_write() must be called inside the same write transaction as the change it records: if
 * it fails, the caller rolls back. Records are chained: hash = SM3(prev_hash ‖ canonical record),
 * serialised through the single-row audit_head table (UPDATE … RETURNING takes the row lock on
 * PostgreSQL; SQLite has one writer anyway). There is no delete or update path. */
#ifndef ZX_AUDIT_H
#define ZX_AUDIT_H
#include <stdint.h>
#include "http/http.h"
#include "store/db.h"

typedef struct zx_audit_rec {
    int64_t user_id;          /* 0 for system / partner */
    const char *username;     /* or partner name, "system" */
    const char *court_code;   /* may be NULL */
    const char *action;       /* "case.file", "auth.login", "credit.list", "pii.read" … */
    const char *object_type;  /* "case", "user", "dishonest_entry" … */
    const char *object_id;    /* text id */
    const char *result;       /* "ok", "denied", "failed" */
    const char *client_ip;
    const char *request_id;
    const char *detail;       /* JSON text or NULL */
} zx_audit_rec;

/* Append one record in the caller's transaction. 0 or < 0. */
int zx_audit_write(db_conn *c, const zx_audit_rec *rec);
/* Same, filling user/court/ip/request id from the request. object_id as int64 (0 = none). */
int zx_audit_req(zx_req *r, db_conn *c, const char *action, const char *object_type, int64_t object_id,
                 const char *result, const char *detail);
/* Write an audit record in its own transaction (used for failed logins, denied access, reads). */
int zx_audit_req_tx(zx_req *r, const char *action, const char *object_type, int64_t object_id,
                    const char *result, const char *detail);
/* One "pii.read" record for a request that returned full personal data (routes flagged
 * ZX_R_PII_READ; src/audit/audit_read.c): names the route, parameters, query, the number of items in
 * the reply and their ids. Own transaction. 0 or < 0. */
int zx_audit_read_reply(zx_req *r, const char *object_type, const char *body, size_t len);
/* Walk the chain. Returns 0 if intact; otherwise 1 and the seq of the first bad record in *bad_seq
 * with a reason. n_checked gets the number of records verified. */
int zx_audit_verify(db_conn *c, int64_t *n_checked, int64_t *bad_seq, char *why, size_t whylen);
#endif
