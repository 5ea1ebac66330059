-- 009 security (issue 10): password history, login throttle bookkeeping, court-scoped settings,
-- versioned audit hashing. One dialect for SQLite and PostgreSQL.

-- Previous password hashes of an account (security.md §1.1: the last N may not be reused).
CREATE TABLE password_history (
    user_id     BIGINT NOT NULL REFERENCES app_user(id),
    changed_ms  BIGINT NOT NULL,
    pw_hash     TEXT NOT NULL,
    pw_salt     TEXT NOT NULL,
    pw_iter     INTEGER NOT NULL,
    PRIMARY KEY (user_id, changed_ms)
);

-- Local rules that belong to one court (credit repair, triage …). A court without its own value
-- inherits the nearest ancestor's; without any, the global row of `setting` applies.
CREATE TABLE court_setting (
    court_id    BIGINT NOT NULL REFERENCES court(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (court_id, key)
);

-- Audit hash scheme: 1 = length-prefixed text fields (strlen: a NUL byte could hide an edit),
-- 2 = exact bytes with 64-bit lengths and a type tag (src/audit/audit.c). Existing records keep 1;
-- every record written from now on is 2, and verify refuses a 1 after the first 2.
ALTER TABLE audit_log ADD COLUMN hash_v INTEGER NOT NULL DEFAULT 1;
