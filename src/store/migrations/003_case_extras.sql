-- 003 case extras: the electronic dossier (电子卷宗) of generated documents, and the covering
-- indexes of the indicator queries (docs/INDICATORS.md). Owner: indicators/import/documents.
-- One dialect for SQLite and PostgreSQL (src/store/db.h).

-- Generated PDFs (src/case/documents.c), written in the same transaction as the event that made them.
CREATE TABLE case_document (
    id          BIGINT PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES enf_case(id),
    event_id    BIGINT REFERENCES case_event(id),   -- the event that made it (NULL: regenerated)
    kind        TEXT NOT NULL,   -- enforcement_notice property_report_order restriction_order
                                 -- interim_closure_ruling closure_notice
    title       TEXT NOT NULL,   -- 执行通知书 …
    mime        TEXT NOT NULL DEFAULT 'application/pdf',
    size        BIGINT NOT NULL,
    sm3         TEXT NOT NULL,   -- SM3 hex of content (integrity of the dossier)
    content     BYTEA NOT NULL,
    created_ms  BIGINT NOT NULL,
    created_by  BIGINT           -- app_user id of the event's actor; NULL for the system
);
CREATE INDEX case_document_case ON case_document(case_id, created_ms);

-- Indicators: one aggregate per request over the received cases of a set of courts,
-- filed_on <= to AND (closed_on IS NULL OR closed_on >= from), read as two range scans of this
-- covering index (closed_on >= from; closed_on IS NULL) — no table rows are read, and cases closed
-- before the range are skipped. Per-handler queries add handler_id = ? (a handler's cases are few;
-- 002 has enf_case_handler).
CREATE INDEX enf_case_ind_court ON enf_case(court_id, closed_on, filed_on, type_code, closure_mode,
    has_assets, limit_date, gate_passed, claim_fen, recovered_fen);
