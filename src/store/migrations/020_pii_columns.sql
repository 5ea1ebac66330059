-- 020 personal data sealed at rest (src/core/pii.h; issue 10 item 11), case parties and the 特殊主体 roster.
-- id_number keeps its name, indexes and joins but now holds the BLIND INDEX (zx_pii_index(ID_NUMBER,
-- normalised value): 64 lower-case hex, keyed HMAC-SM3), so equality look-ups and joins between
-- tables (special_subject ⋈ case_party) work unchanged; the value itself is in id_number_enc
-- (zx_pii_seal). phone and address are sealed into phone_enc / address_enc and left NULL.
-- Rows written before this migration are sealed by the start-up step (src/core/pii_start.c) right
-- after the keys are loaded: a row whose id_number is not 64 hex still holds a plain value.
ALTER TABLE case_party ADD COLUMN id_number_enc BYTEA;
ALTER TABLE case_party ADD COLUMN phone_enc BYTEA;
ALTER TABLE case_party ADD COLUMN address_enc BYTEA;
ALTER TABLE special_subject ADD COLUMN id_number_enc BYTEA;
