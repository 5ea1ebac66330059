/* querylog.h — the partner query audit log (issue 5 §5: every partner query is recorded without
 * slowing the hot path).
 *
 * Each event-loop thread appends to its own in-memory buffer (one uncontended lock per request, not
 * per ID); a background thread swaps the buffers about once a second and writes one
 * partner_query_log row per partner and endpoint in one transaction. What is recorded per queried
 * ID: a keyed 64-bit digest (SipHash-2-4 under a server secret kept in setting
 * 'credit.querylog_key') of its snapshot key (zx_credit_id_key().key: SipHash of the ID under a key
 * derived from the key file's stable key, which the store does not hold — so the log alone cannot
 * be searched for an ID by trying numbers), the category, the decision and the millisecond — never
 * the ID number itself. To answer "did partner P query ID X around time T", pass
 * zx_credit_id_key(X).key to zx_qlog_search — or, for every period at once, the ID itself to
 * zx_qlog_search_id (CLI `zhixing credit query-log --id X`): the log holds digests of the key form of
 * its time (before sealing: the 17 digits; session 2: the blind index's first 8 bytes; session 3:
 * SipHash-2-4-128; now: AES-128 of the packed ID, core/pii_prp.h), and all forms are tried. Every
 * keyed form derives from the stable key (core/pii.h), which `pii rotate --index` keeps, so rows
 * stay searchable across a blind-index rotation (docs/SECURITY.md §9). */
#ifndef ZX_CREDIT_QUERYLOG_H
#define ZX_CREDIT_QUERYLOG_H
#include <stdint.h>
#include "store/db.h"

enum zx_qlog_endpoint { ZX_QLOG_CHECK = 0, ZX_QLOG_BATCH = 1, ZX_QLOG_STREAM = 2 };
enum zx_qlog_decision { ZX_QLOG_ALLOW = 0, ZX_QLOG_BLOCK = 1, ZX_QLOG_INVALID = 2 };

typedef struct zx_qlog_buf zx_qlog_buf;
/* Open this thread's buffer for one request (takes its lock; keep the section short and never
 * nest). list_version is the snapshot version the answers came from. */
zx_qlog_buf *zx_qlog_begin(int64_t partner_id, enum zx_qlog_endpoint ep, int64_t list_version);
/* One queried ID: key = zx_credit_id_key().key (0 for an invalid ID), cat = category bit or -1. */
void zx_qlog_add(zx_qlog_buf *b, uint64_t key, int cat, enum zx_qlog_decision d);
void zx_qlog_end(zx_qlog_buf *b);

/* Write everything buffered so far (background thread; tests; shutdown). Returns rows written or < 0. */
int zx_qlog_flush(db_t *db);
/* Keyed digest of a snapshot key (needs the secret: loaded by the start hook or zx_qlog_init). */
uint64_t zx_qlog_digest(uint64_t key);
/* Load or create the secret from the store (the start hook calls it). 0 or < 0. */
int zx_qlog_init(db_conn *c);
/* Count of recorded queries of `key` (see above) by partner (0 = any) in [from_ms, to_ms]; < 0 on error. */
int64_t zx_qlog_search(db_conn *c, int64_t partner_id, uint64_t key, int64_t from_ms, int64_t to_ms);
/* Every key form an ID has had in the log (see above), newest first; returns how many (0: invalid). */
#define ZX_QLOG_FORMS 5
int zx_qlog_id_forms(const char id18[18], int kind, uint64_t out[ZX_QLOG_FORMS]);
/* Count of recorded queries of the normalised ID id18 of kind (zx_id_kind) in any of its forms. */
int64_t zx_qlog_search_id(db_conn *c, int64_t partner_id, const char id18[18], int kind, int64_t from_ms, int64_t to_ms);
/* Queries buffered and not yet written (metrics, tests). */
int64_t zx_qlog_pending(void);
#endif
