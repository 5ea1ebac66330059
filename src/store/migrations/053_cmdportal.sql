-- 053 cmdportal (issues 14/15, session 3).
-- 悬赏 tips (财产调查规定 art 23: registered with the tipster's identity): a tip is registered only after the
-- tipster proves the phone by an SMS one-time code (sent through the notify outbox). Until then it waits
-- here, identity sealed (core/pii); seq is given at verification (order of registration).
CREATE TABLE reward_tip_pending (
    id            BIGINT PRIMARY KEY,
    reward_id     BIGINT NOT NULL,
    name          TEXT NOT NULL,
    id_number_idx TEXT NOT NULL,
    id_number_enc BYTEA NOT NULL,
    phone_enc     BYTEA NOT NULL,
    phone_idx     TEXT NOT NULL,               -- blind index: codes sent to one phone per hour are limited
    clue          TEXT NOT NULL,
    otp_hash      TEXT NOT NULL,               -- SM3(id:code)
    tries         INTEGER NOT NULL DEFAULT 0,
    used          INTEGER NOT NULL DEFAULT 0,
    expires_ms    BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX reward_tip_pending_phone ON reward_tip_pending(phone_idx, created_ms);
ALTER TABLE reward_tip ADD COLUMN verified_ms BIGINT;

-- Lawyers sign in once (licence number + SMS code) and see every case where a court confirmed the
-- representation: a lawyer's sign-in attempt and session may carry the licence number instead of one case.
ALTER TABLE portal_login ADD COLUMN licence_no TEXT;
ALTER TABLE portal_session ADD COLUMN licence_no TEXT;
CREATE INDEX portal_lawyer_licence ON portal_lawyer(licence_no, status);
