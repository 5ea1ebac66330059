/* pii.h — the ONE module for personal data (个人信息): encryption at rest, blind index, masking.
 *
 * Every module stores ID numbers (身份证号 and 统一社会信用代码), phone numbers, addresses and bank
 * account numbers ONLY through this header (PIPL art 28/51, 等保 L3-CES1-28, 密评 GB/T 39786 §8.4 e).
 *
 * Storage pattern (one column pair per field):
 *     xxx_enc  BYTEA  — zx_pii_seal(kind, plain)            (NULL when the field is empty)
 *     xxx_idx  TEXT   — zx_pii_index(kind, plain) (64 hex)  (only for fields looked up by equality)
 * Equality look-up: WHERE xxx_idx = ? with zx_pii_index(kind, what the user typed). There is no
 * substring or prefix search over sealed fields (party NAMES are not personal data in this sense
 * and stay searchable in clear). Display: zx_pii_mask(kind, plain) unless the caller's role may see
 * the full value — and such a full read is audited by the caller (zx_audit_req).
 *
 * Cryptography (OpenSSL EVP, 国密 only):
 *   - sealed blob = "ZP" ‖ format(1)=1 ‖ kind(1) ‖ key version (4, big-endian) ‖ IV (16)
 *                   ‖ SM4-CTR ciphertext (n) ‖ tag (16) = first 16 bytes of
 *                   HMAC-SM3(mac key, every preceding byte)           — encrypt-then-MAC, authenticated
 *     (OpenSSL 3.0 has no SM4-GCM; CTR + HMAC-SM3 is the authenticated equivalent.) The kind is
 *     inside the MAC, so a phone blob cannot be opened as an ID number; a flipped bit fails to open.
 *   - per key version: a 32-byte master → SM4 key = HMAC-SM3(master, "zx-pii-enc")[0..16),
 *     MAC key = HMAC-SM3(master, "zx-pii-mac").
 *   - blind index = hex(HMAC-SM3(index key, kind(1) ‖ normalised value)) with a separate index key
 *     that does not change when data keys rotate (so look-ups keep working during a rotation).
 *
 * Keys come from a key file OUTSIDE the store (config key `pii_key_file`, env ZX_PII_KEY_FILE):
 *     # zhixing personal-data keys — mode 0600, keep a copy offline
 *     index <64 hex>
 *     stable <64 hex>
 *     key 1 <64 hex>
 *     key 2 <64 hex>
 *     current 2
 * `zhixing init` creates it (mode 0600) if it is missing; `zhixing pii rotate` adds a version,
 * makes it current and re-encrypts every sealed column in the background (old versions stay
 * readable until `zhixing pii rotate --retire N` after the re-encryption finished). The store keeps
 * each version's fingerprint (table pii_key) so a wrong key file is refused at start instead of
 * silently failing later. A KMS can replace the file by implementing zx_pii_load_keys' source.
 * `stable` is the key of what outlives an index-key rotation (zx_pii_stable_index_raw below); a key
 * file written before it existed has none and uses its index key in its place, and the first
 * rewrite of the file (the start of `pii rotate --index`) writes that value down as `stable`.
 *
 * Thread safety: after zx_pii_init, all functions are safe from any thread (per-thread contexts).
 * Memory: functions that return char* / blobs allocate with malloc; the caller frees (plain text
 * through zx_pii_free, which wipes it first).
 */
#ifndef ZX_PII_H
#define ZX_PII_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

typedef enum zx_pii_kind {
    ZX_PII_ID_NUMBER = 1,    /* 身份证号 (18/15) or 统一社会信用代码 — normalised: no spaces, upper case */
    ZX_PII_PHONE = 2,        /* 手机/电话 — normalised: digits only (leading +86/0086 dropped), '-' kept out */
    ZX_PII_ADDRESS = 3,      /* 地址 — normalised: trimmed, runs of white space collapsed to one */
    ZX_PII_BANK_ACCOUNT = 4, /* 银行账号 — normalised: digits only (spaces/dashes dropped) */
    ZX_PII_SECRET = 5,       /* 鉴别数据 (a TOTP secret …) — kept as given; masked as "****" */
} zx_pii_kind;

#define ZX_PII_INDEX_HEX 65   /* 64 hex + NUL */
#define ZX_PII_OVERHEAD 40    /* sealed length = normalised length + 40 */

/* ---- keys ---------------------------------------------------------------------------------- */

/* Load the key file (create it first — new index key + key version 1, mode 0600, atomically — if it
 * is missing and create is true). 0, or -1 with a message in err. Idempotent: loading again
 * replaces the key ring (used after a rotation by the CLI). */
int zx_pii_init(const char *key_file, bool create, char *err, size_t errlen);
/* True once keys are loaded. Sealing/indexing before that dies loudly (a programming error). */
bool zx_pii_ready(void);
/* Current key version (the one zx_pii_seal uses). */
uint32_t zx_pii_current_version(void);
/* Append a new key version to the key file (atomically: temp file + rename, mode 0600) and make it
 * current; *new_version receives its number. The caller reloads (zx_pii_init). 0 or -1 (err). */
int zx_pii_add_version(const char *key_file, uint32_t *new_version, char *err, size_t errlen);
/* Remove a key version from the key file (after a finished rotation). 0 or -1 (err). */
int zx_pii_remove_version(const char *key_file, uint32_t version, char *err, size_t errlen);
/* Key file path for a configuration: pii_key_file if set, else "<sqlite path>.keys" for a SQLite
 * store and "var/zhixing.keys" for PostgreSQL. out must hold 512 bytes. */
void zx_pii_default_key_file(const char *cfg_key_file, const char *db_url, char out[512]);

/* ---- values -------------------------------------------------------------------------------- */

/* Normalise in into out (cap bytes incl. NUL) per the kind's rule above. Returns the length, or -1
 * if it does not fit. Idempotent. */
int zx_pii_normalise(zx_pii_kind k, const char *in, char *out, size_t cap);
/* Encrypt the normalised form of plain with the current key. *out is malloc'd (len *outlen).
 * plain NULL or empty (after normalising) → *out = NULL, *outlen = 0, returns 0 (store SQL NULL).
 * Returns 0, or -1 on a value too long (> 4 KiB). */
int zx_pii_seal(zx_pii_kind k, const char *plain, unsigned char **out, size_t *outlen);
/* Decrypt and authenticate a sealed blob of the given kind. Returns a malloc'd NUL-terminated
 * string (free with zx_pii_free), or NULL when blob is NULL/empty, tampered with, of another kind,
 * or sealed with a key version not in the key file (logged once as a warning). A version missing
 * from the loaded ring makes it re-read the key file first (at most once a second), so servers pick
 * up a rotation made by `zhixing pii rotate` without a restart. */
char *zx_pii_open(zx_pii_kind k, const unsigned char *blob, size_t len);
/* Blind index of the normalised form of value, as it is WRITTEN: 64 lower-case hex + NUL, under the
 * current index key (or the next one once a rotation is in its write phase). Empty value → "". */
void zx_pii_index(zx_pii_kind k, const char *value, char out_hex[ZX_PII_INDEX_HEX]);
/* Raw 32-byte blind index (the written form; for in-memory tables). Returns false for an empty value. */
bool zx_pii_index_raw(zx_pii_kind k, const char *value, uint8_t out[32]);

/* ---- look-ups by blind index (stay correct during an online index-key rotation) -------------
 * An equality look-up compares the column with BOTH forms a value may have while `zhixing pii
 * rotate --index` moves rows from the old index key to the new one:
 *     "… WHERE " ZX_PII_IN("p.id_number") " AND …"      → "p.id_number IN (?, ?)"
 *     zx_pii_bind_lookup(s, 3, ZX_PII_ID_NUMBER, typed);  → binds ?3 and ?4
 * Outside a rotation both parameters are the current index (the plan is the same single-key probe).
 * A look-up NEVER uses zx_pii_bind_index (that is the written form only), nor a blind index read
 * from a column (that row may be under the other key). Comparing two blind-index columns with each
 * other (a join) is exact only for rows under the same key: a join runs only while
 * zx_pii_index_rotating() is false, and otherwise the one side is opened and looked up with both
 * forms (credit/special.c, the roster report; docs/SECURITY.md §9). */
#define ZX_PII_IN(col) col " IN (?, ?)"
/* Bind the look-up pair at idx and idx + 1 (SQL NULL twice for an empty value). 0 or < 0. */
int zx_pii_bind_lookup(db_stmt *s, int idx, zx_pii_kind k, const char *value);
/* The same pair as text (query builders): a = under the current key, b = under the next key during
 * a rotation, else a copy of a. Both "" for an empty value. */
void zx_pii_index_pair(zx_pii_kind k, const char *value, char a[ZX_PII_INDEX_HEX], char b[ZX_PII_INDEX_HEX]);
/* The key of what is handed out or kept outside the index columns and must outlive a blind-index
 * rotation: HMAC-SM3 of the normalised value under the per-kind key derived from the key file's
 * `stable` key, exactly as zx_pii_index_raw derives from the index key (so in a key file without a
 * `stable` line it equals the index under the index key of before the first online rotation). Used
 * for the portal query codes printed on notices (ZX_PII_SECRET) and the partner query log's session-2
 * digests; never stored in a column that a rotation moves. False for an empty value. */
bool zx_pii_stable_index_raw(zx_pii_kind k, const char *value, uint8_t out[32]);
/* The credit snapshot's key (issue 10 item 11: no regression of the credit check): 16 bytes =
 * HMAC-SM3(stable key, "zx-credit-snapshot")[0..16), derived once and kept for the life of the
 * process (`pii rotate --index` does not change it: the stable key stays). The
 * snapshot is keyed by AES-128 of the packed normalised ID under it (core/pii_prp.h) — a few ns per
 * queried ID instead of an HMAC-SM3 (~0.6 µs). Nothing hashed under it is written to the store except through the query
 * log's own keyed digest; it is the same in every process holding the same stable key, so that log
 * can be searched after a restart and after an index-key rotation. Dies if keys are not loaded. */
const uint8_t *zx_pii_snapshot_key(void);

/* Display mask (ARCHITECTURE decision 7), malloc'd; NULL in → NULL out.
 *   ID_NUMBER    18 chars: first 10 + "****" + last 4; other lengths: first 6 + '*'… + last 4
 *   PHONE        11-digit mobile: first 3 + "****" + last 4; others: all but the last 4 as '*'
 *   ADDRESS      the first 6 characters (UTF-8) + "****" (whole value if ≤ 6 characters)
 *   BANK_ACCOUNT "****" + last 4 digits */
char *zx_pii_mask(zx_pii_kind k, const char *plain);
/* Key version a blob was sealed with (0 if the blob is not a sealed value). */
uint32_t zx_pii_blob_version(const unsigned char *blob, size_t len);
/* Wipe and free a string returned by zx_pii_open / zx_pii_col. NULL is fine. */
void zx_pii_free(char *plain);

/* ---- store helpers (the usual way to use the module) --------------------------------------- */

/* Seal plain and bind it at idx as a blob (SQL NULL when plain is NULL/empty). 0 or < 0. */
int zx_pii_bind(db_stmt *s, int idx, zx_pii_kind k, const char *plain);
/* Bind the blind index of value at idx as text (SQL NULL when value is NULL/empty). 0 or < 0. */
int zx_pii_bind_index(db_stmt *s, int idx, zx_pii_kind k, const char *value);
/* Open the sealed blob in column col (NULL for SQL NULL or a blob that fails to open). Free with
 * zx_pii_free. */
char *zx_pii_col(db_stmt *s, int col, zx_pii_kind k);
/* Open column col and return its display mask (malloc'd, free()); NULL for SQL NULL. */
char *zx_pii_col_masked(db_stmt *s, int col, zx_pii_kind k);

/* ---- sealed columns (for key rotation) ------------------------------------------------------ */

/* Every sealed column registers itself once, next to the code that writes it, so that
 * `zhixing pii rotate` re-encrypts it:   ZX_PII_COLUMN(case_party, phone_enc, ZX_PII_PHONE)
 * The table must have a BIGINT primary key named id. */
void zx_pii_column_add(const char *table, const char *enc_col, zx_pii_kind kind);
void zx_pii_column_add_key(const char *table, const char *key_col, const char *enc_col, zx_pii_kind kind);
#define ZX_PII_COLUMN(tbl, col, kind)                                                    \
    static void __attribute__((constructor)) zx_pii_col_##tbl##_##col(void) { zx_pii_column_add(#tbl, #col, kind); }
/* The same for a table whose BIGINT primary key is not named id (e.g. user_totp.user_id). */
#define ZX_PII_COLUMN_KEY(tbl, keycol, col, kind)                                        \
    static void __attribute__((constructor)) zx_pii_col_##tbl##_##col(void) { zx_pii_column_add_key(#tbl, #keycol, #col, kind); }
/* Re-seal with the current key every value of the registered columns sealed with another version,
 * in small write transactions (the server keeps serving; a value changed meanwhile is left for the
 * next pass). Returns the number of values re-sealed, or < 0 on a store error. progress may be NULL. */
int64_t zx_pii_reseal_all(db_t *db, void (*progress)(const char *table, const char *col, int64_t done));
/* Number of values still sealed with a version other than the current one (0 = rotation done). */
int64_t zx_pii_stale_count(db_t *db);

/* ---- blind-index key rotation (`zhixing pii rotate --index`) ---------------------------------- */

/* Every blind-index column registers how to recompute it: from its sealed twin (sealed = true:
 * src_col is a zx_pii_seal blob of kind) or from a clear column (sealed = false), for the rows
 * matching where (NULL = all). src_col NULL = an index-only column that cannot be recomputed: a
 * rotation refuses while it holds rows (zx_pii_reindex_blockers). The table's BIGINT key is key_col. */
void zx_pii_index_column_add(const char *table, const char *key_col, const char *idx_col, const char *src_col,
                             bool sealed, zx_pii_kind kind, const char *where);
#define ZX_PII_INDEX(tbl, keycol, idxcol, srccol, sealed, kind, where, tag)                            \
    static void __attribute__((constructor)) zx_pii_idx_##tbl##_##tag(void)                            \
    { zx_pii_index_column_add(#tbl, #keycol, #idxcol, srccol, sealed, kind, where); }
/* Online rotation, in phases (docs/SECURITY.md §9), each taken by every process within
 * zx_pii_reload_ms() (they re-read the key file when it changes):
 *   1. `index_next K2` added: look-ups use both keys, writes still the old one;
 *   2. `index_phase write` added (after every process saw 1): writes use K2;
 *   3. the re-indexer (zx_pii_reindex_online) moves the remaining rows in small transactions until
 *      zx_pii_reindex_left() = 0; the store's fingerprint and an audit record are committed;
 *   4. K2 becomes `index` and the old key leaves the file (zx_pii_index_promote).
 * Interrupted anywhere, running the command again continues; servers keep answering throughout. */
/* ms between two checks of the key file's mtime by a process (ZX_PII_RELOAD_MS, default 5000). */
int64_t zx_pii_reload_ms(void);
/* True while the key file holds an `index_next` line (a rotation started and not finished). */
bool zx_pii_index_rotating(void);
/* True once the rotation is in its write phase (`index_phase write`). */
bool zx_pii_index_writing_next(void);
/* Add `index_phase write` to the key file and reload (needs index_next). */
int zx_pii_index_write_next(const char *key_file, char *err, size_t errlen);
/* Add `index_next <new random key>` to the key file (atomically) and reload; no-op if present. */
int zx_pii_index_next_add(const char *key_file, char *err, size_t errlen);
/* Make the next index key the index key (drop the old one) and reload; no-op if none. */
int zx_pii_index_promote(const char *key_file, char *err, size_t errlen);
/* Forget an unfinished next index key (the store still uses the current one) and reload. */
int zx_pii_index_drop_next(const char *key_file, char *err, size_t errlen);
/* Fingerprints (32 hex) of the index key and of the next one ("" if none). */
void zx_pii_index_fingerprints(char cur[33], char next[33]);
/* Rows of index-only columns (no source to recompute from); names lists them. < 0 on error. */
int64_t zx_pii_reindex_blockers(db_conn *c, char *names, size_t cap);
/* Move every registered blind-index column to the next index key, in write transactions of up to
 * 200 rows while servers keep serving (compare-and-set per row). Returns values moved or < 0 (a
 * sealed value that does not open stops it). */
int64_t zx_pii_reindex_online(db_t *db, void (*progress)(const char *table, const char *col, int64_t done));
/* Rows of registered columns whose blind index is not under the next key (0 = nothing is indexed
 * under the old key any more). < 0 on error. */
int64_t zx_pii_reindex_left(db_t *db);

/* Register this store's key versions (table pii_key) and refuse a key file that does not match the
 * fingerprints recorded earlier. Called at start (CLI and server) after migrations. 0 or -1 (err). */
int zx_pii_check_store(db_conn *c, char *err, size_t errlen);
#endif
