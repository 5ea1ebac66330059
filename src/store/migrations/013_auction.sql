-- 013 auction: disposal of seized property — reference price (参考价规定 法释〔2018〕15号), online
-- judicial auction on the court's own platform or an outside one (网拍规定 2017), outcomes (拍卖变卖规定
-- 2020 rev.). Owner: src/auction/, src/api/auction*.c. Numbers: src/rules/auction.c.
-- One dialect for SQLite and PostgreSQL (src/store/db.h). Ids come from the application.

-- A lot: one seized asset to be turned into money. asset_id points at the inquiry module's asset list
-- when the asset came from there (no foreign key: the lot keeps its own description so either
-- source works).
CREATE TABLE auction_lot (
    id               BIGINT PRIMARY KEY,
    case_id          BIGINT NOT NULL REFERENCES enf_case(id),
    court_id         BIGINT NOT NULL,
    asset_id         BIGINT,
    title            TEXT NOT NULL,
    asset_kind       TEXT NOT NULL CHECK (asset_kind IN ('real_estate', 'movable', 'vehicle', 'equity', 'other_right')),
    description      TEXT NOT NULL DEFAULT '',
    location         TEXT NOT NULL DEFAULT '',
    defects          TEXT NOT NULL DEFAULT '',   -- 瑕疵 (网拍规定 art 13(6))
    taxes            TEXT NOT NULL DEFAULT '',   -- 税费及承担方式 (art 13(5), art 30)
    viewing          TEXT NOT NULL DEFAULT '',   -- 看样安排 (art 13(8))
    photos           TEXT NOT NULL DEFAULT '[]', -- JSON array of image URLs
    seized_on        TEXT,                       -- 查封日 (参考价 art 1: start pricing within 30 d)
    status           TEXT NOT NULL CHECK (status IN ('pricing', 'priced', 'auction', 'fixed_sale', 'sold',
                                                     'in_kind', 'released', 'withdrawn')),
    reference_fen    BIGINT,                     -- 参考价
    reference_method TEXT,                       -- agreed | directed_inquiry | online_inquiry | appraisal
    reference_on     TEXT,                       -- date fixed (valid 1 year, art 27)
    platform         TEXT NOT NULL DEFAULT 'court', -- court = our own platform; else an outside platform code
    created_by       BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
);
CREATE INDEX auction_lot_case ON auction_lot(case_id);
CREATE INDEX auction_lot_court ON auction_lot(court_id, status);

-- A step of the reference-price procedure, in statutory order (参考价 arts 2–20).
CREATE TABLE auction_price_step (
    id           BIGINT PRIMARY KEY,
    lot_id       BIGINT NOT NULL REFERENCES auction_lot(id),
    method       TEXT NOT NULL CHECK (method IN ('agreed', 'directed_inquiry', 'online_inquiry', 'appraisal')),
    status       TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'failed', 'objected')),
    started_on   TEXT NOT NULL,
    due_on       TEXT,                       -- report due (3 d online, 30 d appraisal, + extensions)
    extensions   INTEGER NOT NULL DEFAULT 0,
    result_fen   BIGINT,
    received_on  TEXT,                       -- result delivered to the parties (objection period starts)
    note         TEXT NOT NULL DEFAULT '',
    created_ms   BIGINT NOT NULL
);
CREATE INDEX auction_price_step_lot ON auction_price_step(lot_id, created_ms);

-- One answer inside a step: a price platform (网络询价), an institution (委托评估), the authority
-- (定向询价) or the parties (议价).
CREATE TABLE auction_price_result (
    id               BIGINT PRIMARY KEY,
    step_id          BIGINT NOT NULL REFERENCES auction_price_step(id),
    source           TEXT NOT NULL,          -- platform / institution name
    external_ref     TEXT,                   -- the platform's inquiry id
    rank_no          INTEGER NOT NULL DEFAULT 0, -- appraisal: order agreed or drawn (art 16)
    status           TEXT NOT NULL CHECK (status IN ('waiting', 'delivered', 'late', 'failed')),
    price_fen        BIGINT,
    due_ms           BIGINT,
    delivered_ms     BIGINT,
    objected         INTEGER NOT NULL DEFAULT 0,
    objection_upheld INTEGER NOT NULL DEFAULT 0,
    created_ms       BIGINT NOT NULL
);
CREATE INDEX auction_price_result_step ON auction_price_result(step_id);
CREATE INDEX auction_price_result_ext ON auction_price_result(external_ref);

-- Objections to a price (参考价 arts 22–25).
CREATE TABLE auction_price_objection (
    id         BIGINT PRIMARY KEY,
    step_id    BIGINT NOT NULL REFERENCES auction_price_step(id),
    result_id  BIGINT,
    ground     TEXT NOT NULL,     -- basic_info | scope | qualification | procedure (art 22) | technical (art 23)
    route      TEXT NOT NULL,     -- execution_objection 执行行为异议 (art 22) | institution_review → industry_review (art 23)
    filed_on   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    decided_on TEXT,
    note       TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);

-- An auction round (一拍, 二拍) or the fixed-price sale (变卖).
CREATE TABLE auction_round (
    id                BIGINT PRIMARY KEY,
    lot_id            BIGINT NOT NULL REFERENCES auction_lot(id),
    round_no          INTEGER NOT NULL,       -- 1, 2; 3 = 变卖
    kind              TEXT NOT NULL CHECK (kind IN ('auction', 'fixed_sale')),
    status            TEXT NOT NULL CHECK (status IN ('announced', 'bidding', 'sold', 'unsold', 'defaulted',
                                                      'paid', 'cancelled')),
    start_fen         BIGINT NOT NULL,        -- 起拍价 (变卖价)
    deposit_fen       BIGINT NOT NULL,
    increment_fen     BIGINT NOT NULL,
    announced_on      TEXT NOT NULL,
    notice_by         TEXT NOT NULL,          -- parties / priority holders notified by (art 16)
    starts_ms         BIGINT NOT NULL,
    ends_ms           BIGINT NOT NULL,        -- current end (soft close moves it)
    window_ends_ms    BIGINT,                 -- 变卖: end of the 60-day window
    bid_seq           BIGINT NOT NULL DEFAULT 0,
    current_fen       BIGINT NOT NULL DEFAULT 0,
    leader_bidder_id  BIGINT,
    leader_rank       INTEGER NOT NULL DEFAULT 0,
    balance_due_on    TEXT,
    paid_ms           BIGINT,
    closed_ms         BIGINT,
    platform          TEXT NOT NULL DEFAULT 'court',
    external_ref      TEXT,                   -- the outside platform's lot id
    announcement_doc_id BIGINT,               -- case_document: 拍卖公告 (网拍规定 art 13)
    ruling_doc_id     BIGINT,                 -- case_document: 成交裁定 (网拍规定 art 22)
    created_by        BIGINT NOT NULL,
    created_ms        BIGINT NOT NULL,
    UNIQUE (lot_id, round_no)
);
CREATE INDEX auction_round_status ON auction_round(status, ends_ms);

-- A registered bidder (real name, ID checked). ID number and phone only through src/core/pii.h.
CREATE TABLE auction_bidder (
    id          BIGINT PRIMARY KEY,
    name        TEXT NOT NULL,
    id_enc      BYTEA NOT NULL,
    id_idx      TEXT NOT NULL,
    phone_enc   BYTEA,
    token_hash  TEXT NOT NULL UNIQUE,        -- SM3 of the bidder's bearer token (zxb_…)
    alias       TEXT NOT NULL,               -- shown to the public instead of the name
    created_ms  BIGINT NOT NULL
);
CREATE INDEX auction_bidder_idx ON auction_bidder(id_idx);

-- People who may not bid: 悔拍 defaulters on that lot (网拍 art 24), court / platform staff and
-- their close relatives (art 34; lot_id NULL = every lot of the court).
CREATE TABLE auction_bar (
    id         BIGINT PRIMARY KEY,
    court_id   BIGINT NOT NULL,
    lot_id     BIGINT,
    id_idx     TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('default', 'staff')),
    round_id   BIGINT,
    created_ms BIGINT NOT NULL
);
CREATE INDEX auction_bar_idx ON auction_bar(id_idx);

-- Court-confirmed priority purchasers (优先购买权人, 网拍 arts 16, 19, 21): rank 1 is the highest.
CREATE TABLE auction_priority (
    id         BIGINT PRIMARY KEY,
    lot_id     BIGINT NOT NULL REFERENCES auction_lot(id),
    name       TEXT NOT NULL,
    id_idx     TEXT NOT NULL,
    rank_no    INTEGER NOT NULL,
    basis      TEXT NOT NULL DEFAULT '',   -- 共有人 / 承租人 …
    created_ms BIGINT NOT NULL
);
CREATE INDEX auction_priority_lot ON auction_priority(lot_id);

-- A deposit (保证金, 网拍 art 17) of a bidder for a round: held as a pending ledger transfer,
-- released within 24 h to the others (art 23), applied to the price for the winner, forfeited on
-- 悔拍 (art 24).
CREATE TABLE auction_deposit (
    id           BIGINT PRIMARY KEY,
    round_id     BIGINT NOT NULL REFERENCES auction_round(id),
    bidder_id    BIGINT NOT NULL REFERENCES auction_bidder(id),
    amount_fen   BIGINT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('held', 'released', 'applied', 'forfeited')),
    priority_rank INTEGER NOT NULL DEFAULT 0,
    transfer_id  BIGINT,                    -- the ledger's pending transfer
    held_ms      BIGINT NOT NULL,
    release_due_ms BIGINT,
    released_ms  BIGINT,
    UNIQUE (round_id, bidder_id)
);
CREATE INDEX auction_deposit_bidder ON auction_deposit(bidder_id);

-- Every accepted bid, gap-free seq per round, received_ms = server receipt time (网拍 art 20).
CREATE TABLE auction_bid (
    id          BIGINT PRIMARY KEY,
    round_id    BIGINT NOT NULL REFERENCES auction_round(id),
    seq         BIGINT NOT NULL,
    bidder_id   BIGINT NOT NULL,
    amount_fen  BIGINT NOT NULL,
    priority_rank INTEGER NOT NULL DEFAULT 0,
    received_ms BIGINT NOT NULL,
    ends_ms     BIGINT NOT NULL,            -- the end after this bid
    UNIQUE (round_id, seq)
);

-- Money of the disposal that reached the case (proceeds, forfeited deposits), for the panel.
CREATE TABLE auction_payment (
    id          BIGINT PRIMARY KEY,
    round_id    BIGINT NOT NULL REFERENCES auction_round(id),
    kind        TEXT NOT NULL CHECK (kind IN ('balance', 'deposit_applied', 'deposit_forfeited', 'in_kind')),
    amount_fen  BIGINT NOT NULL,
    transfer_id BIGINT,
    created_ms  BIGINT NOT NULL
);
