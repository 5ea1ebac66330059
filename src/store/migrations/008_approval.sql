-- 008 approval inbox (审批): one table for everything waiting for a 院长/局长's signature.
-- Owner: src/approval/ (approval.h explains the flow). Each module registers a kind and submits
-- items inside its own write transaction; the decision runs the kind's callbacks in one transaction
-- with the case event and the audit record.
CREATE TABLE approval (
    id            BIGINT PRIMARY KEY,
    kind          TEXT NOT NULL,            -- registered kind: interim_closure, extension, payout …
    court_id      BIGINT NOT NULL,          -- whose chief decides (the case's court)
    case_id       BIGINT NOT NULL DEFAULT 0,-- 0 = not about one case
    object_id     BIGINT NOT NULL DEFAULT 0,-- the submitting module's row
    summary       TEXT NOT NULL,            -- 中文, one line
    status        TEXT NOT NULL,            -- pending approved returned withdrawn
    submitted_by  BIGINT NOT NULL DEFAULT 0,
    submitted_ms  BIGINT NOT NULL,
    submitted_on  TEXT NOT NULL,            -- legal date (Asia/Shanghai)
    due_on        TEXT,                     -- decide by (NULL = no deadline)
    decided_by    BIGINT,
    decided_ms    BIGINT,
    opinion       TEXT,
    data          TEXT                      -- JSON the submitting module keeps for its callback
);
-- the inbox: pending items of a court, oldest first
CREATE INDEX approval_inbox ON approval(court_id, status, submitted_ms);
CREATE INDEX approval_by_case ON approval(case_id, status);
CREATE INDEX approval_by_submitter ON approval(submitted_by, status, submitted_ms);
-- one pending item per (kind, case, object): a second submit is refused (ZX_APPROVAL_EDUP)
CREATE UNIQUE INDEX approval_one_pending ON approval(kind, case_id, object_id) WHERE status = 'pending';
