-- 002 cases: enforcement cases (执行案件), parties, the append-only event log (全程留痕), per-step
-- deadlines and the gap-free 案号 sequence. Owner: case flow (src/case/, src/api/cases.c).
-- One dialect for SQLite and PostgreSQL (src/store/db.h). Ids come from the application.
-- Dates are TEXT 'YYYY-MM-DD' (compare as text), instants BIGINT ms UTC, money BIGINT fen.

CREATE TABLE enf_case (
    id                   BIGINT PRIMARY KEY,
    case_no              TEXT NOT NULL UNIQUE,      -- （2024）辽0102执123号, full-width brackets
    year                 INTEGER NOT NULL,          -- 收案年度
    court_id             BIGINT NOT NULL REFERENCES court(id),
    type_code            TEXT NOT NULL,             -- 执 执恢 执保 执异 执复 执监 执协 执他
    seq                  INTEGER,                   -- number within court × type × year (NULL if unparsable import)
    stage                TEXT NOT NULL DEFAULT 'filing',
        -- filing property_inquiry property_control disposal funds adjudication service
        -- commissioned supervision resumption closure
    status               TEXT NOT NULL DEFAULT 'open',     -- open | suspended | closed
    track                TEXT NOT NULL DEFAULT 'complex',  -- fast | complex (繁简分流)
    handler_id           BIGINT REFERENCES app_user(id),   -- 承办人
    team_id              BIGINT REFERENCES team(id),
    applied_on           TEXT,                      -- 申请执行日
    filed_on             TEXT NOT NULL,             -- 立案日
    closed_on            TEXT,                      -- 结案日
    closure_mode         TEXT,  -- completed interim_closure termination withdrawal non_enforcement rejection
    closure_reason       TEXT,  -- art 17 / art 18 / art 20 reason code (立案结案意见)
    claim_fen            BIGINT NOT NULL DEFAULT 0, -- 执行标的
    recovered_fen        BIGINT NOT NULL DEFAULT 0, -- 执行到位
    fee_fen              BIGINT NOT NULL DEFAULT 0, -- 申请执行费 (诉讼费用交纳办法 art 14), borne by debtor
    has_assets           INTEGER NOT NULL DEFAULT 0,-- property found (有财产案件)
    non_litigation       INTEGER NOT NULL DEFAULT 0,-- 非诉执行: 3-month limit
    deducted_days        INTEGER NOT NULL DEFAULT 0,-- finished deducted periods (审限规定 art 9)
    extension_days       INTEGER NOT NULL DEFAULT 0,-- approved extensions (期限规定 art 1)
    limit_date           TEXT,   -- current deadline = filed_on + 6 (3) months + deducted + extension
    paused_since         TEXT,   -- start of the running deducted period(s), NULL if none
    gate_passed          INTEGER,-- 终本 closures: 1 if every gate condition held (终本合格), else NULL
    filed_late           INTEGER NOT NULL DEFAULT 0,-- filed more than 7 days after application
    parent_case_id       BIGINT REFERENCES enf_case(id), -- 恢复执行: resumed from
    basis_kind           TEXT,   -- judgment ruling mediation arbitral_award notarised_deed administrative other
    basis_issuer         TEXT,   -- 执行依据 issuing body
    basis_doc_no         TEXT,
    basis_effective_on   TEXT,
    basis_act            TEXT,   -- act to perform (non-money content)
    basis_non_litigation INTEGER NOT NULL DEFAULT 0,
    applicant_name       TEXT,   -- denormalised first applicant / debtor names for lists
    debtor_name          TEXT,
    imported             INTEGER NOT NULL DEFAULT 0, -- from a history import (no events)
    created_ms           BIGINT NOT NULL,
    updated_ms           BIGINT NOT NULL
);
CREATE INDEX enf_case_court_filed ON enf_case(court_id, filed_on, id);
CREATE INDEX enf_case_court_closed ON enf_case(court_id, closed_on);
CREATE INDEX enf_case_court_status ON enf_case(court_id, status, filed_on, id);
CREATE INDEX enf_case_handler ON enf_case(handler_id, status);
CREATE INDEX enf_case_applicant_name ON enf_case(applicant_name);
CREATE INDEX enf_case_debtor_name ON enf_case(debtor_name);
CREATE INDEX enf_case_parent ON enf_case(parent_case_id);

-- Parties. role: applicant | debtor | agent | lawyer | contact | unit_person.
-- A unit's legal_rep / principal / responsible_person / controller is a person row with
-- role 'unit_person', role_of_unit set and of_party_id = the unit's row; agents/lawyers/contacts
-- point at the party they act for with of_party_id. So role = 'debtor' selects exactly the debtors.
CREATE TABLE case_party (
    id           BIGINT PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES enf_case(id),
    ord          INTEGER NOT NULL,      -- display order within the case
    role         TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- person | unit
    name         TEXT NOT NULL,
    id_number    TEXT,                  -- 18-char 身份证号 (persons)
    credit_code  TEXT,                  -- 统一社会信用代码 (units)
    sex          TEXT,                  -- M | F (from the ID number)
    birth_date   TEXT,                  -- from the ID number
    of_party_id  BIGINT,
    role_of_unit TEXT,                  -- legal_rep | principal | responsible_person | controller
    phone        TEXT,
    address      TEXT
);
CREATE INDEX case_party_case ON case_party(case_id, ord);
CREATE INDEX case_party_name ON case_party(name);
CREATE INDEX case_party_id_number ON case_party(id_number);
CREATE INDEX case_party_credit_code ON case_party(credit_code);

-- The event log (全程留痕): append-only; seq = 1, 2, 3 … per case. No code path updates or deletes.
CREATE TABLE case_event (
    id        BIGINT PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES enf_case(id),
    seq       INTEGER NOT NULL,
    at_ms     BIGINT NOT NULL,          -- when recorded
    on_date   TEXT NOT NULL,            -- legal date of the act
    user_id   BIGINT NOT NULL DEFAULT 0,-- 0 = system
    kind      TEXT NOT NULL,            -- filed, assigned, enforcement_notice, … closed, resumed
    stage     TEXT,                     -- case stage after the event
    data      TEXT,                     -- JSON
    UNIQUE (case_id, seq)
);
CREATE INDEX case_event_kind ON case_event(kind, on_date);

-- Per-step deadlines, maintained by the case service with every change (to-do lists read only this).
-- kind: assign notice clue_verify investigation time_limit extension_decision reinquiry;
-- ref: event seq (clue_verify, extension_decision) or ordinal (reinquiry 1..10), else 0.
-- done: 0 open, 1 done, 2 paused (time_limit while a deducted period runs).
CREATE TABLE case_deadline (
    case_id    BIGINT NOT NULL REFERENCES enf_case(id),
    kind       TEXT NOT NULL,
    ref        INTEGER NOT NULL DEFAULT 0,
    due_on     TEXT NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0,
    done_on    TEXT,
    court_id   BIGINT NOT NULL,         -- copied from the case for per-court lists
    handler_id BIGINT,                  -- copied from the case (updated on reassignment)
    PRIMARY KEY (case_id, kind, ref)
);
CREATE INDEX case_deadline_handler_open ON case_deadline(handler_id, due_on) WHERE done = 0;
CREATE INDEX case_deadline_court_open ON case_deadline(court_id, due_on) WHERE done = 0;

-- Gap-free 案号 numbers: INSERT … ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last inside the
-- filing transaction (row lock until commit). An import must raise `last` to its highest seq.
CREATE TABLE case_seq (
    court_id   BIGINT NOT NULL,
    type_code  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (court_id, type_code, year)
);

-- 繁简分流 rules (configurable; GET/PUT /api/v1/settings/triage). First matching rule wins.
INSERT INTO setting (key, value) VALUES ('case.triage',
  '{"rules":[{"track":"fast","max_claim_fen":10000000,"max_debtors":1,"property_clue":false}],"default":"complex"}');
