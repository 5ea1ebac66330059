/* anchor.h — audit anchoring, retention and alerts (issue 10 item 13; 等保 L3-CES1-14 c: protect
 * audit records against deletion, modification and overwriting).
 *
 * Checkpoints: every audit_checkpoint_sec (default 300 s) the server signs the chain head
 * (audit_head.seq, hash) with its SM2 key (audit_key_file, PEM, created 0600 on first start) and
 * writes checkpoint-<seq>-<at_ms>.json into audit_checkpoint_dir — OUTSIDE the store (mount it from another
 * machine, or copy it off-site). The file is
 *     {"v":1,"seq":N,"head":"<hex>","at_ms":T,"sig":"<hex DER SM2-with-SM3 signature>"}
 * over the bytes "zhixing-audit-checkpoint\nv1\n<seq>\n<head>\n<at_ms>\n" (SM2 ID 1234567812345678).
 * The public key is written next to them (audit-sm2.pub.pem); an auditor keeps their own copy.
 * Someone who rewrites the whole chain and its head in the store cannot produce signed checkpoints
 * for the new hashes: `zhixing audit verify --checkpoints DIR [--pubkey FILE]` finds the record
 * whose hash no longer matches a checkpoint (or a chain shorter than a checkpoint).
 *
 * Retention (网络安全法 art 21: network logs ≥ 6 months): `zhixing audit archive` exports every
 * record older than audit_retention_days (≥ 183) to a signed JSON-lines file in audit_archive_dir,
 * re-reads and checks it, and only then deletes those records — in one transaction that also
 * writes an audit record and the archive row (audit_archive) from which verify continues the chain.
 *
 * Alerts (log line at error/warn level + counters on /metrics): a failed periodic verification
 * (zx_audit_verify_failures_total) and a burst of denied/failed records — more than
 * audit_alert_denied_per_min in a minute (zx_security_alerts_total{kind="denied_burst"}). */
#ifndef ZX_AUDIT_ANCHOR_H
#define ZX_AUDIT_ANCHOR_H
#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "store/db.h"

/* Resolved paths for a configuration (defaults derived from the store URL like pii_key_file). */
void zx_anchor_paths(const struct zx_config *cfg, char key[512], char checkpoints[512], char archive[512]);
/* Load (or create, mode 0600) the SM2 signing key. 0 or -1 (err). */
int zx_anchor_key_load(const char *path, bool create, char *err, size_t errlen);
/* Write a checkpoint of the current head into dir if the head moved since the last one (or force).
 * *seq_out = the checkpointed seq (0 if nothing written). 0 or -1 (err). */
int zx_anchor_checkpoint(db_conn *c, const char *dir, bool force, int64_t *seq_out, char *err, size_t errlen);
/* Check every checkpoint in dir against the store (and the archives). pubkey_file NULL = the
 * loaded signing key's public half, else dir/audit-sm2.pub.pem. Returns 0 if all match, 1 on a
 * mismatch (why names it), -1 on an error. *n_checked = checkpoints checked. */
int zx_anchor_verify(db_conn *c, const char *dir, const char *archive_dir, const char *pubkey_file, int64_t *n_checked,
                     char *why, size_t whylen);
/* Archive and prune records older than the retention period, as of now_ms. Returns the number of
 * records archived (0 = nothing old enough), or -1 (err). */
int64_t zx_audit_archive(db_t *db, const struct zx_config *cfg, int64_t now_ms, char *err, size_t errlen);
#endif
