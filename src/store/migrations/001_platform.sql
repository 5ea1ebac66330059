-- 001 platform: courts, users, teams, sessions, partners, audit trail, holiday calendar, settings.
-- One dialect for SQLite and PostgreSQL (see src/store/db.h). Ids come from the application.

CREATE TABLE court (
    id          BIGINT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,         -- 法院代字 辽 / 辽01 / 辽0102
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4), -- 1 最高 2 高级 3 中级 4 基层
    parent_id   BIGINT REFERENCES court(id)
);

CREATE TABLE app_user (
    id              BIGINT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    court_id        BIGINT NOT NULL REFERENCES court(id),
    roles           INTEGER NOT NULL,          -- ROLE_* bit mask (src/account/authz.h)
    pw_hash         TEXT NOT NULL,             -- hex PBKDF2-HMAC-SM3
    pw_salt         TEXT NOT NULL,             -- hex, 16 bytes
    pw_iter         INTEGER NOT NULL,
    pw_changed_ms   BIGINT NOT NULL,
    must_change_pw  INTEGER NOT NULL DEFAULT 0,
    failed_count    INTEGER NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    is_demo         INTEGER NOT NULL DEFAULT 0,
    created_ms      BIGINT NOT NULL
);
CREATE INDEX app_user_court ON app_user(court_id);

CREATE TABLE team (
    id          BIGINT PRIMARY KEY,
    court_id    BIGINT NOT NULL REFERENCES court(id),
    name        TEXT NOT NULL,
    track       TEXT NOT NULL DEFAULT 'general'  -- fast / complex / general (繁简分流)
);
CREATE TABLE team_member (
    team_id     BIGINT NOT NULL REFERENCES team(id),
    user_id     BIGINT NOT NULL REFERENCES app_user(id),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,             -- SM3 hex of the 256-bit token; the token is never stored
    user_id      BIGINT NOT NULL REFERENCES app_user(id),
    csrf_token   TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    client_ip    TEXT,
    revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX session_by_user ON session(user_id);

CREATE TABLE partner (
    id          BIGINT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'other',  -- airline / rail / bank / registry / other
    created_ms  BIGINT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_key (
    key_hash    TEXT PRIMARY KEY,              -- SM3 hex of the key
    key_prefix  TEXT NOT NULL,                 -- first 8 chars, for display
    partner_id  BIGINT NOT NULL REFERENCES partner(id),
    scopes      TEXT NOT NULL,                 -- space separated: credit:check credit:feed credit:report
    created_ms  BIGINT NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0
);

-- Audit trail: append-only, hash-chained with SM3 (src/audit/audit.c). No code path updates or
-- deletes rows here.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,            -- 1, 2, 3 … gap-free, assigned under audit_head's lock
    at_ms       BIGINT NOT NULL,
    user_id     BIGINT NOT NULL DEFAULT 0,
    username    TEXT NOT NULL,
    court_code  TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    result      TEXT NOT NULL,
    client_ip   TEXT,
    request_id  TEXT,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at_ms);
CREATE INDEX audit_log_user ON audit_log(username, at_ms);
CREATE INDEX audit_log_action ON audit_log(action, at_ms);
CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Holiday + 调休 calendar as data (src/core/date.h). kind: 1 holiday, 2 working day (调休).
CREATE TABLE holiday_calendar (
    day         TEXT PRIMARY KEY,              -- YYYY-MM-DD
    kind        INTEGER NOT NULL CHECK (kind IN (1, 2)),
    name        TEXT NOT NULL,
    source      TEXT                           -- e.g. 国办发明电〔2024〕12号
);

CREATE TABLE setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
