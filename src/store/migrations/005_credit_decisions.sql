-- 005 credit decisions: the procedure around credit_entry (004) — 失信 / 限消 decisions from proposal
-- to 院长 signature and service, deletion triggers with their 3-working-day deadline, 撤销/更正,
-- correction applications with 复议, temporary permissions, 特殊主体 roster, credit-repair settings.
-- Owner: credit decisions (src/credit/decisions.c, src/credit/special.c, src/api/credit_staff.c).
-- Articles: 失信规定 = 法释〔2013〕17号 as amended by 法释〔2017〕7号; 限消规定 = 法释〔2010〕8号 (2015).
-- One dialect for SQLite and PostgreSQL (src/store/db.h). Ids come from the application.

-- A decision (决定书) on one debtor of a case: proposed by the handler, signed by the 院长 and served
-- (法发〔2019〕35号: sign and serve). Becomes effective when both are recorded: then credit_entry
-- row(s) are written (entry_id = the debtor's own row).
CREATE TABLE credit_decision (
    id               BIGINT PRIMARY KEY,
    list             TEXT NOT NULL CHECK (list IN ('dishonest', 'restricted')),
    case_id          BIGINT NOT NULL,
    court_id         BIGINT NOT NULL,
    party_id         BIGINT NOT NULL,          -- case_party.id of the debtor
    person_kind      TEXT NOT NULL,            -- person | unit
    name             TEXT NOT NULL,
    id_number        TEXT NOT NULL,            -- normalised ID / 统一社会信用代码
    ground           INTEGER,                  -- 失信规定 art 1 item 1–6 (dishonest)
    categories       TEXT,                     -- 限消: space-separated codes, NULL = all items (限消规定 art 3)
    conduct          TEXT,                     -- 失信行为具体情形 (art 6)
    facts            TEXT,                     -- JSON: art 3 exclusion facts as asserted
    grace_months     INTEGER NOT NULL DEFAULT 0, -- 宽限期 0–3 (法发〔2019〕35号)
    extension_years  INTEGER NOT NULL DEFAULT 0, -- art 2: 1–3 years (grounds 2–6)
    extension_reason TEXT,
    on_application   INTEGER NOT NULL DEFAULT 0, -- applicant applied (art 5; art 10 para 4 bar)
    auto_from_id     BIGINT,                   -- 限消 created because of this 失信 decision (限消规定 art 1)
    status           TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'served', 'effective', 'rejected', 'withdrawn')),
    decided_on       TEXT NOT NULL,
    proposed_by      BIGINT NOT NULL,
    approved_on      TEXT,                     -- 院长 signature date
    approved_by      BIGINT,
    served_on        TEXT,
    service_method   TEXT,
    status_note      TEXT,                     -- rejection / withdrawal reason
    entry_id         BIGINT,                   -- credit_entry.id once effective
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
);
CREATE INDEX credit_decision_case ON credit_decision(case_id);
CREATE INDEX credit_decision_court ON credit_decision(court_id, status);
CREATE INDEX credit_decision_idno ON credit_decision(id_number);

-- Extra columns on credit_entry (004 belongs to the credit engine): the decision and extension.
ALTER TABLE credit_entry ADD COLUMN decision_id BIGINT;
ALTER TABLE credit_entry ADD COLUMN extension_years INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credit_entry ADD COLUMN court_id BIGINT;
ALTER TABLE credit_entry ADD COLUMN party_id BIGINT;

-- Deletion (失信 删除, art 10) or lifting (限消 解除, 限消规定 art 9) triggered on trigger_on; must be
-- done by due_on = trigger_on + 3 working days (art 10). status due → done.
CREATE TABLE credit_deletion (
    id          BIGINT PRIMARY KEY,
    entry_id    BIGINT NOT NULL,
    case_id     BIGINT,
    court_id    BIGINT NOT NULL,
    id_number   TEXT NOT NULL,
    trigger_code TEXT NOT NULL,                -- full_performance … term_expired, credit_repair
    trigger_on  TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('due', 'done', 'cancelled')),
    done_on     TEXT,
    note        TEXT,
    created_by  BIGINT NOT NULL DEFAULT 0,     -- 0 = system (term expiry sweep)
    done_by     BIGINT,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX credit_deletion_entry ON credit_deletion(entry_id);
CREATE INDEX credit_deletion_court ON credit_deletion(court_id, status, due_on);
CREATE INDEX credit_deletion_idno ON credit_deletion(id_number, trigger_code);

-- 撤销 / 更正 by the court (art 9: within 3 working days of finding the error).
CREATE TABLE credit_fix (
    id          BIGINT PRIMARY KEY,
    entry_id    BIGINT NOT NULL,
    court_id    BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('revoke', 'correct')),
    found_on    TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    done_on     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    changes     TEXT,                          -- JSON {field: [old, new]}
    correction_id BIGINT,                      -- the application that led to it
    user_id     BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX credit_fix_entry ON credit_fix(entry_id);

-- Correction applications (纠正申请, art 11) reviewed in 15 days, fixed in 3 working days, 复议 in
-- 10 days, decided in 15 days (art 12).
CREATE TABLE credit_correction (
    id                    BIGINT PRIMARY KEY,
    entry_id              BIGINT NOT NULL,
    court_id              BIGINT NOT NULL,
    applicant_name        TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('wrong_listing', 'inaccurate', 'should_delete')),
    reason                TEXT NOT NULL,
    received_on           TEXT NOT NULL,
    review_due            TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected', 'reconsidering', 'reconsider_upheld', 'reconsider_rejected')),
    decided_on            TEXT,
    note                  TEXT,
    fix_due               TEXT,
    fixed_on              TEXT,
    reconsider_by         TEXT,
    reconsider_filed_on   TEXT,
    reconsider_due        TEXT,
    reconsider_decided_on TEXT,
    reconsider_note       TEXT,
    created_by            BIGINT NOT NULL,
    created_ms            BIGINT NOT NULL,
    updated_ms            BIGINT NOT NULL
);
CREATE INDEX credit_correction_entry ON credit_correction(entry_id);
CREATE INDEX credit_correction_court ON credit_correction(court_id, status);

-- Temporary permissions and private-consumption approvals (法发〔2019〕35号 para 17). The window that
-- is current (or the next one) is copied into credit_entry.permit_* for the snapshot.
CREATE TABLE credit_permit (
    id          BIGINT PRIMARY KEY,
    entry_id    BIGINT NOT NULL,
    kind        TEXT NOT NULL,                 -- medical funeral official_duty foreign_affairs exam private_consumption
    categories  TEXT NOT NULL,                 -- space-separated restricted_category codes
    from_on     TEXT NOT NULL,
    to_on       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    created_by  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX credit_permit_entry ON credit_permit(entry_id);

-- 特殊主体 roster (失信规定 art 8): persons/units whose listing is notified to 组织人事 / 纪检监察.
CREATE TABLE special_subject (
    id          BIGINT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_norm   TEXT NOT NULL,
    id_number   TEXT,                          -- normalised ID number or credit code; NULL = name-only unit
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'unit')),
    category    TEXT NOT NULL CHECK (category IN ('party_government_organ', 'state_firm', 'official', 'deputy')),
    employer    TEXT,
    note        TEXT,
    imported_by BIGINT NOT NULL,
    imported_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX special_subject_idno ON special_subject(id_number);
CREATE INDEX special_subject_name ON special_subject(name_norm);

-- Credit repair (信用修复): local rules, not national law (法发〔2019〕35号 asks courts to explore it).
INSERT INTO setting (key, value) VALUES ('credit.repair',
  '{"enabled":true,"early_deletion_after_months":6,"min_performed_percent":50,"require_full_performance":false,"note":"本院信用修复规则（地方规则，可由院长调整）"}');
