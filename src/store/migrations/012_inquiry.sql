-- 012 inquiry: 网络执行查控 — institutions and their pinned keys, the courts' signing keys (电子签章),
-- inquiries (one per case and trigger), the durable outbox of protocol requests, assets found and the
-- control register (freeze / seizure with legal end dates). Owner: src/inquiry/, src/api/inquiry.c.
-- One dialect for SQLite and PostgreSQL. Ids from the application; instants BIGINT ms UTC; dates TEXT.

CREATE TABLE inquiry_institution (
    id           BIGINT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,       -- 'ln-icbc', 'ln-realestate' … (path segment at the endpoint)
    name         TEXT NOT NULL,              -- 中文名称
    kind         TEXT NOT NULL,              -- deposit wealth securities equity real_estate vehicle ship
                                             -- online_payment insurance provident_fund tax_refund
                                             -- social_insurance household marriage exit_entry telecom
    ops          TEXT NOT NULL,              -- space-separated subset of: query freeze renew release deduct
    endpoint     TEXT NOT NULL,              -- base URL of the institution's protocol endpoint
    public_key   TEXT,                       -- the institution's SM2 key (PEM), pinned at registration
    key_fp       TEXT,                       -- SM3 fingerprint of public_key
    max_inflight INTEGER NOT NULL DEFAULT 8, -- concurrent HTTP requests
    rate_per_s   INTEGER NOT NULL DEFAULT 100,
    timeout_ms   INTEGER NOT NULL DEFAULT 15000,
    batch_max    INTEGER NOT NULL DEFAULT 50,-- requests carried by one signed batch
    enabled      INTEGER NOT NULL DEFAULT 1,
    created_ms   BIGINT NOT NULL
);
CREATE INDEX inquiry_institution_kind ON inquiry_institution(kind);

-- A court's SM2 key pair: its electronic seal on every request. private_key is sealed PEM.
CREATE TABLE inquiry_court_key (
    court_id    BIGINT PRIMARY KEY,
    private_key BYTEA NOT NULL,
    public_key  TEXT NOT NULL,
    key_fp      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL
);

-- One 查控 run for a case: trigger filing (立案当日自动) | manual | reinquiry (终本后每六个月).
CREATE TABLE inquiry (
    id           BIGINT PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES enf_case(id),
    court_id     BIGINT NOT NULL,
    trigger_kind TEXT NOT NULL,
    kinds        TEXT NOT NULL,              -- space-separated institution kinds
    requested_by BIGINT NOT NULL DEFAULT 0,  -- 0 = system
    status       TEXT NOT NULL,              -- running | done
    total        INTEGER NOT NULL DEFAULT 0, -- requests
    answered     INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    found        INTEGER NOT NULL DEFAULT 0, -- assets found
    created_ms   BIGINT NOT NULL,
    finished_ms  BIGINT
);
CREATE INDEX inquiry_case ON inquiry(case_id, created_ms);
CREATE UNIQUE INDEX inquiry_filing_once ON inquiry(case_id) WHERE trigger_kind = 'filing';

-- The outbox: one protocol request to one institution. Written in the same transaction as the
-- action that needs it; the dispatcher sends due rows, several per signed batch, and records the
-- verified answer in one transaction with its effects. state: pending | sent | done | failed.
-- A row found 'sent' at start (the server died mid-flight) is sent again with the same id: the
-- institution answers a repeated id with its first answer and applies nothing twice.
CREATE TABLE inquiry_request (
    id             BIGINT PRIMARY KEY,
    inquiry_id     BIGINT,                   -- query runs; NULL for control operations
    case_id        BIGINT NOT NULL,
    court_id       BIGINT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES inquiry_institution(id),
    op             TEXT NOT NULL,            -- query freeze renew release deduct
    party_id       BIGINT,                   -- the debtor queried / whose asset is controlled
    asset_id       BIGINT,
    control_id     BIGINT,
    amount_fen     BIGINT,
    until_on       TEXT,
    after_id       BIGINT,                   -- not sent before this request is done (freeze → deduct)
    officer_id     BIGINT NOT NULL DEFAULT 0,
    doc_no         TEXT,                     -- 裁定书 / 协助执行通知书 number relied on
    state          TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_ms        BIGINT NOT NULL,          -- not before (backoff)
    created_ms     BIGINT NOT NULL,
    sent_ms        BIGINT,
    answered_ms    BIGINT,
    result         TEXT,                     -- done: found | none | ok | rejected; failed: error code
    answer         TEXT,                     -- the institution's signed answer (JSON) as received
    answer_sig     TEXT,                     -- its SM2 signature (hex)
    error          TEXT
);
CREATE INDEX inquiry_request_due ON inquiry_request(institution_id, state, next_ms);
CREATE INDEX inquiry_request_state ON inquiry_request(state);
CREATE INDEX inquiry_request_inquiry ON inquiry_request(inquiry_id);
CREATE INDEX inquiry_request_case ON inquiry_request(case_id, created_ms);
CREATE INDEX inquiry_request_inst ON inquiry_request(institution_id, answered_ms);

-- Assets found, normalised: one row per case × institution × identifier.
CREATE TABLE asset (
    id             BIGINT PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES enf_case(id),
    court_id       BIGINT NOT NULL,
    party_id       BIGINT NOT NULL,          -- the debtor (case_party.id)
    institution_id BIGINT NOT NULL,
    kind           TEXT NOT NULL,            -- institution kind
    identifier     TEXT NOT NULL,            -- shown: plate, certificate no, masked account no
    identifier_enc BYTEA,                    -- account numbers sealed (core/pii.h), else NULL
    identifier_key TEXT NOT NULL,            -- blind index of the full identifier
    description    TEXT,
    owner_name     TEXT,
    value_fen      BIGINT NOT NULL DEFAULT 0,-- balance / assessed value
    encumbrances   TEXT,                     -- JSON array: mortgages, earlier seizures and their order
    divisible      INTEGER NOT NULL DEFAULT 1,
    related_code   TEXT,                     -- equity: the company's credit code (clue graph)
    status         TEXT NOT NULL,            -- found | frozen | seized | queued | deducted | released
    found_ms       BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    UNIQUE (case_id, institution_id, identifier_key)
);
CREATE INDEX asset_party ON asset(party_id);

-- The control register: every freeze / seizure with its legal end date (民诉解释 art 485).
CREATE TABLE asset_control (
    id            BIGINT PRIMARY KEY,
    asset_id      BIGINT NOT NULL REFERENCES asset(id),
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    kind          TEXT NOT NULL,             -- freeze | seizure
    amount_fen    BIGINT NOT NULL,           -- asked for
    confirmed_fen BIGINT NOT NULL DEFAULT 0, -- what the institution holds under it
    deducted_fen  BIGINT NOT NULL DEFAULT 0,
    start_on      TEXT,
    until_on      TEXT,                      -- legal end date
    queue_pos     INTEGER NOT NULL DEFAULT 0,-- 轮候 position (0 = in effect)
    status        TEXT NOT NULL,             -- requested | active | queued | released | lapsed | failed
    request_id    BIGINT,
    renewals      INTEGER NOT NULL DEFAULT 0,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);
CREATE INDEX asset_control_asset ON asset_control(asset_id);
CREATE INDEX asset_control_until ON asset_control(court_id, status, until_on);
CREATE INDEX asset_control_party ON asset_control(party_id, status);

-- Settings: automatic inquiry on filing per court (default on), expiry warning lead days.
INSERT INTO setting (key, value) VALUES ('inquiry.auto', '{"on_filing":true,"off_courts":[]}');
INSERT INTO setting (key, value) VALUES ('inquiry.expiry_warn_days', '[30,15,7]');
