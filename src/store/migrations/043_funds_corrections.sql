-- 043 case funds, session 2 (owner funds11b): statement imports from the browser keep their result,
-- and corrections (更正) of a wrong match or a wrong posting — always new transfers, never edits.

-- Statement import results (the finance page polls a running import; the CLI writes the same row).
ALTER TABLE fund_import ADD COLUMN user_id BIGINT;
ALTER TABLE fund_import ADD COLUMN summary TEXT;             -- JSON: posted, matched, unidentified, skipped, amount_fen …
ALTER TABLE fund_import ADD COLUMN error_line BIGINT;        -- the line an error names

-- Corrections (更正): a transfer that moved money to the wrong place is answered by a reversal
-- transfer (code 11 更正) that references it, with a reason, proposed by finance and approved by the
-- 执行局长. action: move (to another case / back to 待认领) | reverse (the bank never credited it:
-- back to the 专户). The reversal is reserved as a pending transfer at proposal (so the money cannot be
-- paid out meanwhile) and posted on approval, voided on return/withdrawal.
CREATE TABLE fund_correction (
    id               BIGINT PRIMARY KEY,
    court_id         BIGINT NOT NULL REFERENCES court(id),
    transfer_id      BIGINT NOT NULL REFERENCES fund_transfer(id), -- the transfer corrected
    arrival_id       BIGINT REFERENCES fund_arrival(id),
    action           TEXT NOT NULL,            -- move | reverse
    from_account_id  BIGINT NOT NULL REFERENCES fund_account(id),
    to_account_id    BIGINT NOT NULL REFERENCES fund_account(id),
    from_case_id     BIGINT REFERENCES enf_case(id),
    to_case_id       BIGINT REFERENCES enf_case(id),
    amount_fen       BIGINT NOT NULL CHECK (amount_fen > 0),
    reason           TEXT NOT NULL,
    status           TEXT NOT NULL,            -- pending_approval | done | returned | cancelled
    pending_transfer_id BIGINT NOT NULL,       -- the reversal, pending until approved
    proposed_by      BIGINT NOT NULL,
    decided_by       BIGINT,
    opinion          TEXT,
    created_ms       BIGINT NOT NULL,
    decided_ms       BIGINT
);
CREATE INDEX fund_correction_transfer ON fund_correction(transfer_id);
CREATE INDEX fund_correction_court ON fund_correction(court_id, status);
