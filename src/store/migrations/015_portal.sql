-- 015 party portal (执行公开, issue 15; src/api/portal_party.c, docs/api/portal.md).
-- The query code of a party is never stored: it is derived with the server's keyed HMAC-SM3 (core/pii
-- index key) from the party id, printed on the 执行通知书 and recomputed at sign-in.
-- portal_lock: failed query codes per case (5 → locked 30 minutes).
CREATE TABLE portal_lock (
    case_id         BIGINT PRIMARY KEY,
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0
);
-- One sign-in attempt after a correct query code: the one-time code (SM3 of id ‖ code) sent by SMS.
CREATE TABLE portal_login (
    id          BIGINT PRIMARY KEY,
    case_id     BIGINT NOT NULL,
    party_id    BIGINT NOT NULL,
    otp_hash    TEXT NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 0,   -- wrong one-time codes (5 → the attempt is dead)
    used        INTEGER NOT NULL DEFAULT 0,
    expires_ms  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX portal_login_case ON portal_login(case_id, created_ms);
-- Party sessions: the cookie zx_portal holds the token; only its SM3 is stored.
CREATE TABLE portal_session (
    token_hash  TEXT PRIMARY KEY,
    case_id     BIGINT NOT NULL,
    party_id    BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
