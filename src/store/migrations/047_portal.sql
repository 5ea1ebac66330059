-- 047 party portal, second part (issue 15; docs/api/portal.md): messages, property clues with attachments,
-- applications, per-court SMS settings and opt-out, lawyers and 律师调查令, 悬赏 (reward notices) and tips.
-- Personal data (phones, ID numbers, bank accounts) is sealed through core/pii (…_enc) with a blind index
-- (…_idx) where it is looked up.

-- Who signed in: a party or a lawyer acting for the party (lawyer_id).
ALTER TABLE portal_login ADD COLUMN lawyer_id BIGINT;
ALTER TABLE portal_session ADD COLUMN lawyer_id BIGINT;

-- Per-court node SMS (item 4): which nodes send an SMS; the reply clock for party messages.
CREATE TABLE portal_court_setting (
    court_id      BIGINT PRIMARY KEY,
    sms_nodes     TEXT NOT NULL,               -- JSON array of node codes (filed assigned property auction money_in money_out suspension closed)
    reply_days    INTEGER NOT NULL DEFAULT 3,  -- working days to answer a party's message (the court's own rule)
    updated_by    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);

-- A party who asked for no more node notifications (退订): by the blind index of the phone, per case.
CREATE TABLE portal_optout (
    case_id       BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    phone_idx     TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    PRIMARY KEY (case_id, party_id)
);
CREATE INDEX portal_optout_phone ON portal_optout(case_id, phone_idx);

-- Party ⇄ handler messages (item 3): the question is a case event party_message (the reply clock is a
-- case_deadline row message_reply), the answer the event party_message_replied.
CREATE TABLE portal_message (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    lawyer_id     BIGINT,
    body          TEXT NOT NULL,
    event_seq     INTEGER NOT NULL,
    reply_due     TEXT NOT NULL,
    reply         TEXT,
    replied_by    BIGINT,
    replied_ms    BIGINT,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX portal_message_case ON portal_message(case_id, created_ms);
CREATE INDEX portal_message_open ON portal_message(court_id, replied_ms, created_ms);

-- Property clues from the portal: the clue itself is the case event property_clue (clock: 财产调查规定
-- art 2); this row keeps who sent it and its attachments.
CREATE TABLE portal_clue (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    lawyer_id     BIGINT,
    event_seq     INTEGER NOT NULL,
    urgent        INTEGER NOT NULL DEFAULT 0,
    description   TEXT NOT NULL,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX portal_clue_case ON portal_clue(case_id, created_ms);
CREATE INDEX portal_clue_court ON portal_clue(court_id, created_ms);

CREATE TABLE portal_attachment (
    id            BIGINT PRIMARY KEY,
    owner_kind    TEXT NOT NULL,               -- clue | application | tip
    owner_id      BIGINT NOT NULL,
    case_id       BIGINT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,               -- application/pdf image/jpeg image/png
    size          BIGINT NOT NULL,
    sm3           TEXT NOT NULL,
    content       BYTEA NOT NULL,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX portal_attachment_owner ON portal_attachment(owner_kind, owner_id);

-- Applications filed on the portal (恢复执行, 终本 objection, 执行行为异议): they reach the filing clerks'
-- list with the statutory clock (due_on); accept runs the step (恢复执行 files the 执恢 case).
CREATE TABLE portal_application (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    lawyer_id     BIGINT,
    kind          TEXT NOT NULL,               -- resume | interim_objection | act_objection
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,               -- pending accepted rejected
    due_on        TEXT NOT NULL,
    opinion       TEXT,
    result_case_id BIGINT,
    decided_by    BIGINT,
    decided_ms    BIGINT,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX portal_application_court ON portal_application(court_id, status, due_on);
CREATE INDEX portal_application_case ON portal_application(case_id, created_ms);

-- Lawyers whose representation a court confirmed (item 1): they sign in with the licence number.
CREATE TABLE portal_lawyer (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,
    name          TEXT NOT NULL,
    licence_no    TEXT NOT NULL,               -- 律师执业证号 (17 digits)
    firm          TEXT NOT NULL,
    phone_enc     BYTEA NOT NULL,
    status        TEXT NOT NULL,               -- confirmed revoked
    confirmed_by  BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL
);
CREATE UNIQUE INDEX portal_lawyer_case ON portal_lawyer(case_id, licence_no);

-- 律师调查令 (item 6): applied for by a lawyer, decided by the judge; the order is a PDF (case_document)
-- with a verification code an institution checks on the public route.
CREATE TABLE investigation_order (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    lawyer_id     BIGINT NOT NULL,
    institution   TEXT NOT NULL,
    scope         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,               -- pending issued rejected
    due_on        TEXT NOT NULL,
    verify_code   TEXT UNIQUE,
    valid_until   TEXT,
    document_id   BIGINT,
    opinion       TEXT,
    decided_by    BIGINT,
    decided_ms    BIGINT,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX investigation_order_court ON investigation_order(court_id, status, created_ms);
CREATE INDEX investigation_order_case ON investigation_order(case_id);

-- 悬赏 (item 5; 财产调查规定 arts 21–24).
CREATE TABLE reward_notice (
    id            BIGINT PRIMARY KEY,
    case_id       BIGINT NOT NULL,
    court_id      BIGINT NOT NULL,
    party_id      BIGINT NOT NULL,             -- the applicant who applied
    amount_fen    BIGINT NOT NULL,             -- fixed reward, or 0 with percent_bp
    percent_bp    INTEGER NOT NULL DEFAULT 0,  -- reward as basis points of the money recovered through the tip
    commitment    TEXT NOT NULL,               -- the applicant's undertaking to pay (art 21(2))
    status        TEXT NOT NULL,               -- applied approved rejected closed
    due_on        TEXT NOT NULL,               -- decision due (art 21: 10 days)
    published_on  TEXT,
    ends_on       TEXT,
    opinion       TEXT,
    decided_by    BIGINT,
    decided_ms    BIGINT,
    created_ms    BIGINT NOT NULL
);
CREATE INDEX reward_notice_status ON reward_notice(status, published_on);
CREATE INDEX reward_notice_case ON reward_notice(case_id);

CREATE TABLE reward_tip (
    id            BIGINT PRIMARY KEY,
    reward_id     BIGINT NOT NULL,
    case_id       BIGINT NOT NULL,
    seq           INTEGER NOT NULL,            -- order of registration (art 23)
    name          TEXT NOT NULL,
    id_number_idx TEXT NOT NULL,
    id_number_enc BYTEA NOT NULL,
    phone_enc     BYTEA NOT NULL,
    clue          TEXT NOT NULL,
    status        TEXT NOT NULL,               -- registered useful useless paid
    recovered_fen BIGINT NOT NULL DEFAULT 0,
    reward_fen    BIGINT NOT NULL DEFAULT 0,
    payout_id     BIGINT,
    created_ms    BIGINT NOT NULL
);
CREATE UNIQUE INDEX reward_tip_seq ON reward_tip(reward_id, seq);
