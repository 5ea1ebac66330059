/* totp.h — the second factor (等保 L3-CES1-04 d: two techniques, one cryptographic): TOTP per
 * RFC 6238 (HMAC-SHA1, 6 digits, 30 s — what ordinary authenticator apps speak) computed by Debian's
 * liboath; enrolment by QR code (libqrencode, rendered to SVG here); ten one-time recovery codes.
 *
 * Who: the three administrators and chiefs (ROLE_ADMINS | ROLE_CHIEF) when config `totp_required`
 * is 1 (the default). Login (POST /api/v1/auth/login) then also takes "totp" (6 digits) or
 * "recovery_code"; without one it answers 401 TOTP_REQUIRED, with a wrong one 401 TOTP_INVALID
 * (counted as a failed login). Such a user who has not enrolled yet gets a session with
 * mfa_pending = 1 that reaches only the enrolment routes (403 TOTP_ENROLMENT_REQUIRED elsewhere)
 * until POST /api/v1/auth/totp/confirm succeeds. A lost device: `zhixing totp reset --username U`
 * (CLI, audited) — no administrator can remove another's factor through the API. */
#ifndef ZX_TOTP_H
#define ZX_TOTP_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>
#include "http/http.h"
#include "store/db.h"

enum zx_totp_login {
    ZX_TOTP_NOT_REQUIRED = 0, /* the role/config asks for no second factor and none is enrolled */
    ZX_TOTP_PASSED = 1,       /* a valid code or recovery code was given */
    ZX_TOTP_ENROL = 2,        /* required but not enrolled: open the session with mfa_pending = 1 */
    ZX_TOTP_MISSING = -1,     /* enrolled, no code given → 401 TOTP_REQUIRED */
    ZX_TOTP_BAD = -2,         /* wrong, replayed or used-up code → 401 TOTP_INVALID */
    ZX_TOTP_ERROR = -3,       /* store error → 503 */
};

/* True if a user with these roles must use a second factor under this configuration. */
bool zx_totp_required_for(const zx_req *r, unsigned roles);
/* The login step after the password was verified; reads "totp" / "recovery_code" from body. A
 * passed code is recorded (last time step / recovery code used) in its own small transaction. */
enum zx_totp_login zx_totp_login_check(zx_req *r, db_conn *c, int64_t uid, unsigned roles, json_t *body);
/* Mark a just-created session as pending enrolment (inside the login transaction). 0 or < 0. */
int zx_totp_session_pending(db_conn *c, const char *token_hash);

/* RFC 6238 code for a base32 secret at time t (tests, the harness's twin). out[7]. 0 or -1. */
int zx_totp_code(const char *secret_b32, time_t t, char out[7]);
/* SM3 digest (hex) under which a recovery code is stored (dashes/spaces dropped, upper case). */
void zx_totp_recovery_hash(int64_t uid, const char *code, char out[65]);
/* Render text as a QR code SVG (malloc'd; NULL on failure). */
char *zx_qr_svg(const char *text);
#endif
