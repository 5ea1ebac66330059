-- 030 second factor and audit anchoring (issue 10 items 12–13; owner sec10b: src/account/totp.c,
-- src/audit/anchor.c). Number 030: sec10b's third migration (010 keys, 020 sealed columns).

-- TOTP (RFC 6238). The secret is sealed with core/pii (鉴别数据 confidential at rest); a session opened
-- by a user who must enrol first has mfa_pending = 1 and may only reach the enrolment routes.
ALTER TABLE session ADD COLUMN mfa_pending INTEGER NOT NULL DEFAULT 0;
CREATE TABLE user_totp (
    user_id      BIGINT PRIMARY KEY REFERENCES app_user(id),
    secret_enc   BYTEA NOT NULL,               -- zx_pii_seal(ZX_PII_SECRET, base32 secret)
    confirmed_ms BIGINT,                       -- NULL while enrolment is not confirmed by a code
    last_step    BIGINT NOT NULL DEFAULT 0,    -- highest 30-s time step accepted (no replay)
    created_ms   BIGINT NOT NULL
);
CREATE TABLE user_recovery_code (
    user_id   BIGINT NOT NULL REFERENCES app_user(id),
    code_hash TEXT NOT NULL,                   -- hex SM3(user id ‖ code); codes are shown once
    used_ms   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Audit anchoring: each checkpoint (chain head signed with the server's SM2 key) is written to the
-- checkpoint directory outside the store; this table only lists them for the auditor's UI.
CREATE TABLE audit_checkpoint (
    seq        BIGINT PRIMARY KEY,             -- audit_head.seq at the checkpoint
    head_hash  TEXT NOT NULL,
    at_ms      BIGINT NOT NULL,
    file       TEXT NOT NULL
);
-- Retention: records older than audit_retention_days are exported to a signed archive file and only
-- then pruned; the archive row keeps the hash of the last pruned record so verify starts from it.
CREATE TABLE audit_archive (
    id         BIGINT PRIMARY KEY,
    from_seq   BIGINT NOT NULL,
    to_seq     BIGINT NOT NULL,
    last_hash  TEXT NOT NULL,                  -- audit_log.hash of to_seq
    file       TEXT NOT NULL,
    sha        TEXT NOT NULL,                  -- SM3 of the archive file
    at_ms      BIGINT NOT NULL
);
