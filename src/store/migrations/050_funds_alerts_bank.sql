-- 050 (issue 11, session 3): the payout clock pushed to people, and payout instructions pushed to the bank.
--
-- fund_payout_alert: one row per (arrival transfer, due date, stage) — the warning before the payout limit
-- (to the handling judge: a to-do item through the case event funds_payout_warning, and an SMS) and the
-- escalation once it is overdue (to the court's 执行局长 by SMS, case event funds_payout_overdue). The key
-- makes each alert happen once per transfer and deadline, however often the job runs.
CREATE TABLE fund_payout_alert (
    transfer_id  BIGINT NOT NULL,          -- the arrival whose money sets the clock (oldest unpaid, FIFO)
    due_on       TEXT NOT NULL,            -- the payout deadline the alert is about
    stage        TEXT NOT NULL,            -- warning | overdue
    case_id      BIGINT NOT NULL REFERENCES enf_case(id),
    court_id     BIGINT NOT NULL,
    event_seq    INTEGER NOT NULL,         -- the case event written (the to-do row's ref for warnings)
    notified     INTEGER NOT NULL DEFAULT 0, -- SMS queued to so many recipients
    cleared_on   TEXT,                     -- warning rows: the money was paid, escrowed or deferred
    created_ms   BIGINT NOT NULL,
    PRIMARY KEY (transfer_id, due_on, stage)
);
CREATE INDEX fund_payout_alert_open ON fund_payout_alert(case_id) WHERE cleared_on IS NULL;

-- Staff mobile numbers for work notices (payout warnings, escalations), sealed through core/pii (PHONE).
CREATE TABLE staff_contact (
    user_id     BIGINT PRIMARY KEY REFERENCES app_user(id),
    phone_enc   BYTEA NOT NULL,
    updated_ms  BIGINT NOT NULL
);

-- Payout instructions by API (docs/api/funds-bank.md): the court's channel to its bank, and per payout
-- how it went out (file = the CSV payment file; api = pushed to the bank) and the push attempts.
ALTER TABLE fund_setting ADD COLUMN payout_channel TEXT NOT NULL DEFAULT 'file';
ALTER TABLE fund_payout ADD COLUMN bank_channel TEXT;
ALTER TABLE fund_payout ADD COLUMN push_state TEXT;            -- api: queued (to send) | accepted (bank has it)
ALTER TABLE fund_payout ADD COLUMN push_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fund_payout ADD COLUMN push_next_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fund_payout ADD COLUMN push_error TEXT;
CREATE INDEX fund_payout_push ON fund_payout(push_next_ms) WHERE status = 'sent' AND bank_channel = 'api';
