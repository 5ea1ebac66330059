-- 051 inquiry (issue 12, session 3): answers stored once per exchange, answer windows per institution.
-- Owner: src/inquiry/, src/api/inquiry*.c. One dialect for SQLite and PostgreSQL.

-- Every signed answer exactly as received — a synchronous batch answer, a callback — once, with the
-- institution's SM2 signature over those bytes (so the record can be verified again later). The
-- requests it settles point to it (inquiry_request.answer_id) instead of each carrying a copy: a batch
-- of 500 answers is one row, not 500 re-serialised copies of their part with the batch's signature.
CREATE TABLE inquiry_answer (
    id             BIGINT PRIMARY KEY,
    institution_id BIGINT NOT NULL,
    via            TEXT NOT NULL,            -- batch | callback | demo
    received_ms    BIGINT NOT NULL,
    body           TEXT NOT NULL,            -- the signed JSON as received
    sig            TEXT                      -- SM2 signature over body (hex); NULL for demo history
);
ALTER TABLE inquiry_request ADD COLUMN answer_id BIGINT;

-- How long an institution takes to answer a request it acknowledged ({"status":"accepted"}): the usual
-- time (expected, shown to the judge with 等待答复) and the longest the court waits before the request
-- fails NO_ANSWER. NULL = the default of the institution's kind (src/inquiry/registry.c: banks minutes,
-- real-estate registries days). Polls back off from ZX_INQ_POLL_MS up to a quarter of the window.
ALTER TABLE inquiry_institution ADD COLUMN answer_expect_ms BIGINT;
ALTER TABLE inquiry_institution ADD COLUMN answer_window_ms BIGINT;
