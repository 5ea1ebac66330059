-- 011 case funds (案款, 一案一账号) on a double-entry ledger, and the notification outbox.
-- Owner: funds11 (src/funds/, src/notify/, src/api/funds*.c). Design: src/funds/ledger.h.
-- Money BIGINT fen, dates TEXT 'YYYY-MM-DD', instants BIGINT ms UTC, ids from the application.

-- Accounts. The four totals are maintained only by the ledger engine (zx_ledger_create_transfers) in
-- the same transaction as the transfers; `zhixing funds reconcile` re-derives them from fund_transfer.
CREATE TABLE fund_account (
    id               BIGINT PRIMARY KEY,
    kind             INTEGER NOT NULL,        -- 1 bank 2 case 3 unidentified 4 fee 5 escrow 6 hold 7 payee
    flags            INTEGER NOT NULL DEFAULT 0,
    court_id         BIGINT NOT NULL REFERENCES court(id),
    case_id          BIGINT REFERENCES enf_case(id),
    account_no       TEXT UNIQUE,             -- case: 18-digit virtual number with Luhn check digit
    name             TEXT NOT NULL,
    debits_pending   BIGINT NOT NULL DEFAULT 0,
    debits_posted    BIGINT NOT NULL DEFAULT 0,
    credits_pending  BIGINT NOT NULL DEFAULT 0,
    credits_posted   BIGINT NOT NULL DEFAULT 0,
    created_ms       BIGINT NOT NULL
);
CREATE INDEX fund_account_court_kind ON fund_account(court_id, kind);
CREATE INDEX fund_account_case ON fund_account(case_id, kind);

-- Transfers: immutable, id chosen by the caller. pending_id is unique: a pending transfer is posted or
-- voided at most once.
CREATE TABLE fund_transfer (
    id                 BIGINT PRIMARY KEY,
    debit_account_id   BIGINT NOT NULL REFERENCES fund_account(id),
    credit_account_id  BIGINT NOT NULL REFERENCES fund_account(id),
    amount             BIGINT NOT NULL CHECK (amount > 0),
    pending_id         BIGINT UNIQUE,
    flags              INTEGER NOT NULL,
    code               INTEGER NOT NULL,
    case_id            BIGINT,
    ref                TEXT,
    booked_on          TEXT NOT NULL,
    created_ms         BIGINT NOT NULL
);
CREATE INDEX fund_transfer_debit ON fund_transfer(debit_account_id, id);
CREATE INDEX fund_transfer_credit ON fund_transfer(credit_account_id, id);
CREATE INDEX fund_transfer_case ON fund_transfer(case_id, id);

-- Counters (virtual account serial).
CREATE TABLE fund_counter (
    name   TEXT PRIMARY KEY,
    value  BIGINT NOT NULL
);
INSERT INTO fund_counter (name, value) VALUES ('case_account', 0);

-- Per-court settings: the stricter local payout limit (seed 000: 7 working days) and the approval tier.
CREATE TABLE fund_setting (
    court_id             BIGINT PRIMARY KEY REFERENCES court(id),
    local_limit_days     INTEGER NOT NULL DEFAULT 7,
    local_limit_working  INTEGER NOT NULL DEFAULT 1,
    chief_tier_fen       BIGINT NOT NULL DEFAULT 10000000, -- ≥ ¥100,000 needs the 执行局长
    claim_working_days   INTEGER NOT NULL DEFAULT 3
);

-- Arrivals (到账): one row per bank credit, whatever the channel. (court_id, bank_ref) is the
-- idempotency key. payer_account is personal data, sealed through core/pii (payer names stay clear, as
-- party names do: they are matched against debtors).
CREATE TABLE fund_arrival (
    id              BIGINT PRIMARY KEY,
    court_id        BIGINT NOT NULL REFERENCES court(id),
    bank_ref        TEXT NOT NULL,
    source          TEXT NOT NULL,            -- bank_notice statement deduction auction deposit manual
    bank_account_id BIGINT NOT NULL REFERENCES fund_account(id),
    account_no      TEXT,                     -- the virtual number the payer wrote
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    payer_name      TEXT,
    payer_account   BYTEA,                    -- sealed (core/pii BANK_ACCOUNT)
    remark          TEXT,
    booked_on       TEXT NOT NULL,
    case_id         BIGINT REFERENCES enf_case(id),
    matched_by      TEXT,                     -- account_no case_no payer given claim
    status          TEXT NOT NULL,            -- matched | unidentified | claimed | held
    claim_due_on    TEXT,                     -- 待认领: 3 working days
    transfer_id     BIGINT NOT NULL,
    claim_transfer_id BIGINT,
    claimed_by      BIGINT,
    claimed_ms      BIGINT,
    paid_out_fen    BIGINT NOT NULL DEFAULT 0, -- how much of it has been paid out (payout clock)
    created_ms      BIGINT NOT NULL,
    UNIQUE (court_id, bank_ref)
);
CREATE INDEX fund_arrival_status ON fund_arrival(court_id, status, booked_on);
CREATE INDEX fund_arrival_case ON fund_arrival(case_id, booked_on);

-- Payout proposals (发放), 提存 and returns. status: proposed → pending_approval → approved → sent →
-- paid | failed (→ proposed again or cancelled); cancelled; returned (by approver).
CREATE TABLE fund_payout (
    id                BIGINT PRIMARY KEY,
    case_id           BIGINT NOT NULL REFERENCES enf_case(id),
    court_id          BIGINT NOT NULL REFERENCES court(id),
    kind              TEXT NOT NULL,          -- payout | escrow
    payee_account_id  BIGINT REFERENCES fund_account(id),
    payee_name        TEXT NOT NULL,
    payee_bank        TEXT,
    payee_account     BYTEA,                  -- sealed (core/pii BANK_ACCOUNT)
    amount_fen        BIGINT NOT NULL CHECK (amount_fen > 0),
    fee_fen           BIGINT NOT NULL DEFAULT 0,
    reason            TEXT,                   -- 提存 ground
    status            TEXT NOT NULL,
    needs_chief       INTEGER NOT NULL DEFAULT 0,
    oldest_arrival_on TEXT,                   -- the clock starts at the oldest unpaid arrival
    proposed_by       BIGINT NOT NULL,
    approved_by       BIGINT,
    opinion           TEXT,
    fee_transfer_id   BIGINT,
    transfer_id       BIGINT,                 -- case → payee (pending until the bank confirms)
    out_transfer_id   BIGINT,                 -- payee → bank (pending until the bank confirms)
    bank_ref          TEXT,
    fail_reason       TEXT,
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL
);
CREATE INDEX fund_payout_case ON fund_payout(case_id, created_ms);
CREATE INDEX fund_payout_status ON fund_payout(court_id, status);

-- Deferrals (暂缓发放): approved, with a listed reason; the cause's end starts a 10-day clock.
CREATE TABLE fund_deferral (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES enf_case(id),
    court_id      BIGINT NOT NULL REFERENCES court(id),
    reason        TEXT NOT NULL,              -- distribution frozen_elsewhere not_collecting suspended other
    detail        TEXT,
    status        TEXT NOT NULL,              -- pending_approval active ended returned
    requested_by  BIGINT NOT NULL,
    approved_by   BIGINT,
    started_on    TEXT,
    ended_on      TEXT,
    resume_due_on TEXT,                       -- ended_on + 10 days
    created_ms    BIGINT NOT NULL
);
CREATE INDEX fund_deferral_case ON fund_deferral(case_id, status);

-- Bank-reported balances of a 专户 (closing balance of an imported statement or a bank notice).
CREATE TABLE fund_bank_balance (
    bank_account_id BIGINT NOT NULL REFERENCES fund_account(id),
    as_of           TEXT NOT NULL,
    balance_fen     BIGINT NOT NULL,
    source          TEXT NOT NULL,
    recorded_ms     BIGINT NOT NULL,
    PRIMARY KEY (bank_account_id, as_of)
);

-- Statement imports (progress for large files).
CREATE TABLE fund_import (
    id          BIGINT PRIMARY KEY,
    court_id    BIGINT NOT NULL,
    file_name   TEXT,
    lines_total BIGINT NOT NULL DEFAULT 0,
    lines_done  BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,                -- running done failed
    error       TEXT,
    created_ms  BIGINT NOT NULL,
    finished_ms BIGINT
);

-- Reconciliation runs (daily job and CLI).
CREATE TABLE fund_reconcile (
    id          BIGINT PRIMARY KEY,
    at_ms       BIGINT NOT NULL,
    ok          INTEGER NOT NULL,
    report      TEXT NOT NULL                 -- JSON
);

-- Distribution plans (参与分配, 民诉解释 arts 506–515).
CREATE TABLE fund_distribution (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES enf_case(id),
    court_id      BIGINT NOT NULL REFERENCES court(id),
    amount_fen    BIGINT NOT NULL,
    enterprise    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,              -- draft served objected final
    served_on     TEXT,
    objection_due_on TEXT,                    -- served_on + 15 days (民诉解释 art 509)
    outcome       TEXT,
    created_by    BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL
);
CREATE TABLE fund_distribution_line (
    distribution_id BIGINT NOT NULL REFERENCES fund_distribution(id),
    ord             INTEGER NOT NULL,
    creditor        TEXT NOT NULL,
    class           TEXT NOT NULL,            -- cost priority ordinary
    claim_fen       BIGINT NOT NULL,
    seized_on       TEXT,
    share_fen       BIGINT NOT NULL,
    PRIMARY KEY (distribution_id, ord)
);

-- The notification outbox (src/notify): one row per message; a sender thread delivers and retries.
CREATE TABLE notify_outbox (
    id           BIGINT PRIMARY KEY,
    dedup_key    TEXT UNIQUE,                 -- enqueueing the same key twice keeps one message
    channel      TEXT NOT NULL,               -- sms
    recipient    BYTEA NOT NULL,              -- phone number, sealed (core/pii PHONE)
    template     TEXT NOT NULL,               -- funds_arrival funds_payout …
    params       TEXT NOT NULL,               -- JSON object
    case_id      BIGINT,
    status       TEXT NOT NULL,               -- queued sent failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at_ms   BIGINT NOT NULL,
    last_error   TEXT,
    gateway_id   TEXT,
    created_ms   BIGINT NOT NULL,
    sent_ms      BIGINT
);
CREATE INDEX notify_outbox_due ON notify_outbox(status, next_at_ms);
