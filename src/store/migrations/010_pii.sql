-- 010 personal data at rest (src/core/pii.h): the fingerprints of the key versions this store's
-- sealed values were written with (version 0 = the blind-index key). The keys themselves live in a
-- key file outside the store; a start with a different key file is refused.
CREATE TABLE pii_key (
    version     BIGINT PRIMARY KEY,
    fingerprint TEXT NOT NULL,          -- hex of HMAC-SM3(key, "zx-pii-fingerprint")[0..16)
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT                  -- set by `zhixing pii rotate --retire N`
);
