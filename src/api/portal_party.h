/* portal_party.h — shared by the party portal's route files (src/api/portal_*.c). */
#ifndef ZX_PORTAL_PARTY_H
#define ZX_PORTAL_PARTY_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"
#include "store/db.h"

/* The 8-character query code of a case party (HMAC-SM3 of its id under the stable key, core/pii.h:
 * unchanged by an index-key rotation; never stored). */
void zx_portal_query_code(int64_t party_id, char out[9]);

/* A signed-in party (or a lawyer acting for it: lawyer_id > 0). */
typedef struct zx_pp_sess {
    int64_t case_id, party_id, lawyer_id;
    char licence_no[33];  /* a lawyer's session: the licence (may switch between its confirmed cases) */
    char token_hash[65];
} zx_pp_sess;
/* The portal session of the request (cookie zx_portal), or replies 401 PARTY_LOGIN_REQUIRED → false. */
bool zx_pp_session(zx_req *r, zx_pp_sess *out);
/* The public per-address rate limit, or replies 429 → false. */
bool zx_pp_rate_ok(zx_req *r);
/* Roll back and reply 503 DB_UNAVAILABLE. */
void zx_pp_dberr(zx_req *r);
/* Audit record of a party's step (user 0, username party:<id>), inside the caller's transaction. */
int zx_pp_audit(zx_req *r, db_conn *c, int64_t party_id, const char *action, int64_t case_id, const char *result,
                const char *detail);
const char *zx_pp_jstr(json_t *b, const char *k);
/* Set the portal session cookie (Max-Age max_age; "" + 0 clears it). */
void zx_pp_set_cookie(zx_req *r, const char *token, int max_age);

/* The portal's own parts of "my case" (portal_mail.c): messages, clues, applications, 悬赏, opt-out,
 * lawyers' orders — added to the case object. 0 or < 0. */
int zx_pp_case_extras(zx_req *r, db_conn *c, const zx_pp_sess *ss, const char *role, json_t *out);
#endif
