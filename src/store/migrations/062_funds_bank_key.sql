-- 062 (issue 11, session 6): the bank's answers to payout instructions are signed (docs/api/funds-bank.md).
-- The court signs every instruction with its SM2 seal; the bank signs what it says back — the callback
-- POST /api/v1/funds/payout-results and its answers to the instructions and to the court's polling — with
-- its own SM2 key. The court pins that key per court when it enrols at the bank (the enrolment answer
-- carries it) and verifies every paid/refused against it before posting or voiding the pending chain.
CREATE TABLE fund_bank_key (
    court_id    BIGINT PRIMARY KEY REFERENCES court(id),
    public_key  TEXT NOT NULL,      -- PEM (SubjectPublicKeyInfo) of the bank's SM2 key
    key_fp      TEXT NOT NULL,      -- SM3 fingerprint of the key (shown, logged)
    pinned_ms   BIGINT NOT NULL
);

-- 参与分配 objections (民诉解释 arts 509–510): an objection within 15 days of service is notified to the
-- others (counter_due_on: they may oppose within 15 days), an opposition to the objector (suit_due_on: the
-- objector may sue within 15 days); status draft → served → objected → opposed → litigating → final.
ALTER TABLE fund_distribution ADD COLUMN objected_on TEXT;
ALTER TABLE fund_distribution ADD COLUMN counter_due_on TEXT;
ALTER TABLE fund_distribution ADD COLUMN opposed_on TEXT;
ALTER TABLE fund_distribution ADD COLUMN suit_due_on TEXT;
ALTER TABLE fund_distribution ADD COLUMN suit_on TEXT;
