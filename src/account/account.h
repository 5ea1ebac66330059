/* account.h — staff accounts: password policy and hashing, creating users, courts and demo staff.
 * Password policy (security.md §1.1, 等保 L3-CES1-01): ≥ 8 characters, ≥ 3 of 4 classes (upper,
 * lower, digit, symbol), must not contain the username. Stored as PBKDF2-HMAC-SM3, 128-bit salt,
 * cfg.pbkdf2_iterations (≥ 100,000). */
#ifndef ZX_ACCOUNT_H
#define ZX_ACCOUNT_H
#include <stdbool.h>
#include <stdint.h>
#include "app.h"
#include "store/db.h"

/* NULL if acceptable, else a Chinese reason. */
const char *zx_password_weakness(const char *username, const char *pw);
/* Hash pw with a fresh salt: writes hex hash (65) and hex salt (33). */
void zx_password_hash(const char *pw, unsigned iter, char hash_hex[65], char salt_hex[33]);
bool zx_password_verify(const char *pw, const char *hash_hex, const char *salt_hex, unsigned iter);
/* Load the common-password list (one a line, "#!" comments); on failure only pattern checks apply.
 * Called at server start with cfg.password_blocklist; loaded lazily from the default path otherwise. */
int zx_password_blocklist_load(const char *path);
/* Reserve one password attempt against the account's failure budget (api/auth.c): 0 go ahead,
 * 1 locked (*locked_until set), < 0 store error. Atomic under concurrency. */
int zx_login_reserve(db_conn *c, int64_t uid, int lock_failures, int lock_minutes, int64_t now,
                     int64_t *locked_until);
/* Store a new password in the caller's transaction: history kept (keep entries), must_change cleared. */
int zx_password_store(db_conn *c, int64_t uid, const char *neu, unsigned iter, int keep, int64_t now);
/* Random password satisfying the policy (16 chars). */
void zx_password_generate(char out[17]);

/* Create a user inside the caller's write transaction. Returns id (> 0) or < 0:
 * -2 username taken, -3 unknown court, -4 invalid roles, -5 weak password. */
int64_t zx_user_create(db_conn *c, const char *username, const char *display_name,
                       const char *court_code, unsigned roles, const char *password, bool demo,
                       bool must_change, unsigned iter);
/* Convert "judge,assistant" → mask (0 on unknown). */
unsigned zx_roles_parse(const char *list);
/* JSON array of role codes / labels for a mask. */
#include <jansson.h>
json_t *zx_roles_json(unsigned roles, bool labels);
/* Court code → ascii slug used in demo usernames: 辽0102 → liao0102. */
void zx_court_slug(const char *code, char *out, size_t cap);

/* Partner API-key cache (loaded at start, updated on create/revoke). */
int zx_partner_cache_reload(db_conn *c);
#endif
