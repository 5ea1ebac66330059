/* auth.h — resolving the caller of a request (used by the http layer before a route runs).
 * Staff users: "Authorization: Bearer <64 hex>" or the cookie "zx_session"; cookie-authenticated
 * unsafe methods (POST/PUT/PATCH/DELETE) must carry header "X-CSRF-Token" matching the session's
 * token. Partners: "Authorization: Bearer zxk_<64 hex>" (API key, stored hashed, cached in memory). */
#ifndef ZX_AUTH_H
#define ZX_AUTH_H
#include <stdbool.h>
#include "http/http.h"

enum zx_auth_result {
    ZX_AUTH_OK = 0,
    ZX_AUTH_NONE = 1,      /* no credentials → 401 UNAUTHENTICATED */
    ZX_AUTH_INVALID = 2,   /* unknown/expired/revoked → 401 UNAUTHENTICATED */
    ZX_AUTH_CSRF = 3,      /* cookie without a valid X-CSRF-Token on an unsafe method → 403 CSRF_FAILED */
};
/* Fill r->who for a staff user. */
enum zx_auth_result zx_auth_user(zx_req *r);
/* Fill r->who for a partner API key. */
enum zx_auth_result zx_auth_partner(zx_req *r);
/* Does the partner principal hold scope? */
bool zx_partner_has_scope(const zx_principal *who, const char *scope);
/* A new API key for an outside party the server itself calls, for its callbacks to us (an institution's
 * answers, the bank's payout results): the partner's earlier keys are revoked (the party holds only the
 * latest), a key with `scope` is issued and partner.key_issued is audited — inside the caller's write
 * transaction. *partner 0: the partner is created first (name, kind) and its id returned there.
 * key_out: "zxk_…". 0 or -1. Reload the cache (zx_partner_cache_reload) after the commit. */
int zx_partner_key_rotate(db_conn *c, int64_t *partner, const char *name, const char *kind, const char *scope,
                          char key_out[80]);
/* Create a partner API key (CLI and secadmin API). Writes the key (shown once) into key_out[80].
 * Runs its own transaction with an audit record. Returns partner id or < 0. */
int64_t zx_partner_create(db_t *db, const char *name, const char *kind, const char *scopes,
                          const char *actor, char key_out[80]);
#endif
