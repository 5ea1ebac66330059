/* snapshot.h — the credit matching engine: an immutable in-memory index of every effective
 * 失信 / 限消 entry keyed by normalised ID number / 统一社会信用代码, swapped atomically.
 *
 * Source of truth is the store: table credit_entry (current state) and the append-only change feed
 * credit_change (seq gap-free). The snapshot's list_version = the highest credit_change.seq applied.
 * Whoever commits a change to credit_entry also appends to credit_change in the same transaction,
 * and after db_commit calls zx_credit_sync() before replying — so a listing is visible to partners
 * before its API call returns. */
#ifndef ZX_CREDIT_SNAPSHOT_H
#define ZX_CREDIT_SNAPSHOT_H
#include <stdint.h>
#include "store/db.h"

/* Append one change row (inside the caller's write transaction) for entry_id with action
 * "listed" | "lifted" | "deleted" | "corrected" | "revoked". Returns the new seq or < 0. */
int64_t zx_credit_change_append(db_conn *c, int64_t entry_id, const char *action);
/* Bring the in-memory snapshot up to date with credit_change (incremental; thread-safe; cheap when
 * nothing changed). Call after commit. Returns the list_version now visible, or < 0 on error. */
int64_t zx_credit_sync(db_conn *c);
/* Current list_version. */
int64_t zx_credit_version(void);
#endif
