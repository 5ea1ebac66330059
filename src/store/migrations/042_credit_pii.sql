-- 042 credit ID numbers sealed at rest (src/core/pii.h; issue 10 item 11), the pattern of 020:
-- every id_number column of the credit tables keeps its name, indexes and joins but now holds the
-- BLIND INDEX (zx_pii_index(ID_NUMBER, normalised value): 64 lower-case hex, keyed HMAC-SM3), so
-- equality look-ups (partner checks, public queries, decisions) work unchanged; the value itself is
-- in *_enc (zx_pii_seal): credit_entry, credit_decision, credit_deletion, interception_report
-- .id_number_enc, credit_change.id_number_enc and prev_id_number_enc (the partner change feed).
-- Every blind-index column has its sealed twin, so `zhixing pii rotate --index` can recompute the
-- indexes with a new index key.
-- credit_change.data (the entry as JSON after the change) no longer carries id_number.
-- Rows written before this migration are sealed by the start-up step (src/core/pii_start.c,
-- `zhixing pii seal`) right after the keys are loaded: a row whose id_number is not 64 characters
-- still holds a plain value; then SQLite is vacuumed so the plain values leave the file.
ALTER TABLE credit_entry ADD COLUMN id_number_enc BYTEA;
ALTER TABLE credit_decision ADD COLUMN id_number_enc BYTEA;
ALTER TABLE credit_change ADD COLUMN id_number_enc BYTEA;
ALTER TABLE credit_change ADD COLUMN prev_id_number_enc BYTEA;
ALTER TABLE credit_deletion ADD COLUMN id_number_enc BYTEA;
ALTER TABLE interception_report ADD COLUMN id_number_enc BYTEA;
-- 013's index-only columns get their sealed twin too (the auction module writes it), so a blind-index
-- rotation can recompute them; rows written before 042 have none and block a rotation until removed.
ALTER TABLE auction_bar ADD COLUMN id_enc BYTEA;
ALTER TABLE auction_priority ADD COLUMN id_enc BYTEA;
