-- 044 inquiry (issue 12): court seals sealed at rest, asynchronous answers, institutions' callback
-- credentials. Owner: src/inquiry/, src/api/inquiry*.c. One dialect for SQLite and PostgreSQL.

-- The court's SM2 private key (its electronic seal) is sealed through core/pii.h (ZX_PII_SECRET, the
-- key file outside the store) into private_key_enc; private_key is left empty. Rows written before
-- this migration hold the PEM in clear: the start-up step (src/inquiry/registry.c, after the
-- personal-data keys are loaded) seals them and rewrites the SQLite file (VACUUM) so the clear key is
-- gone from the store.
ALTER TABLE inquiry_court_key ADD COLUMN private_key_enc BYTEA;

-- Asynchronous answers: an institution may acknowledge a request now ({"status":"accepted"}) and
-- answer later by a signed callback to POST /api/v1/inquiry/answers (partner scope inquiry:answer);
-- the row is then 'acked' (state) since acked_ms and polled (the same request id sent again) after
-- next_ms until the answer arrives or ZX_INQ_ASYNC_MAX_MS passes.
ALTER TABLE inquiry_request ADD COLUMN acked_ms BIGINT;

-- The partner (partner/api_key tables) whose API key the institution uses for its callbacks, issued
-- at enrolment (docs/api/inquiry-protocol.md "Enrolment"); a callback for another institution's
-- requests is refused.
ALTER TABLE inquiry_institution ADD COLUMN partner_id BIGINT;

-- Operations waiting for another (after_id: a deduction after its freeze) fail with it when it fails:
-- found by this index at that moment instead of scanning the outbox on every claim.
CREATE INDEX inquiry_request_after ON inquiry_request(after_id) WHERE after_id IS NOT NULL;
