-- 063 inquiry (issue 12, session 6): the per-request copy of an answer is gone. Since migration 051 every
-- signed answer is stored once, as received, in inquiry_answer, and the requests it settles point to it
-- (inquiry_request.answer_id); the columns answer / answer_sig of migration 012 were no longer written.
-- Rows settled before 051 keep their answer: each one is moved to inquiry_answer (its own row, the
-- request's id as the answer's id — ids are unique across tables, src/core/ids.h) and linked, then the
-- two columns are dropped so nothing reads a column that is empty for every new row.
-- Owner: src/inquiry/, src/api/inquiry*.c. One dialect for SQLite (≥ 3.35) and PostgreSQL.
INSERT INTO inquiry_answer (id, institution_id, via, received_ms, body, sig)
    SELECT id, institution_id, 'batch', COALESCE(answered_ms, sent_ms, created_ms), answer, answer_sig
    FROM inquiry_request WHERE answer IS NOT NULL AND answer_id IS NULL;
UPDATE inquiry_request SET answer_id = id WHERE answer IS NOT NULL AND answer_id IS NULL;
ALTER TABLE inquiry_request DROP COLUMN answer;
ALTER TABLE inquiry_request DROP COLUMN answer_sig;
