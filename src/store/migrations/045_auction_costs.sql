-- 045 auction: the applicant-creditor's deposit exemption (网拍规定 art 17), the split of a forfeited
-- deposit (art 24), the disposal's costs and who bears them (参考价规定 arts 32–33; 网拍规定 art 7;
-- 拍卖变卖规定 art 6; 诉讼费用交纳办法 art 12), the objection routes with their time limits (参考价规定
-- arts 22–23; 网拍规定 art 31; 民诉法 art 236) and results pushed by outside platforms. Owner: src/auction/.

-- 网拍规定 art 17: an applicant of the case bidding need not pay the deposit; a claim smaller than the
-- deposit pays the difference. exempt_fen = the part of the round's deposit the claim stands for
-- (amount_fen = what was actually paid, held as a pending ledger transfer when > 0).
ALTER TABLE auction_deposit ADD COLUMN exempt_fen BIGINT NOT NULL DEFAULT 0;

-- A forfeited deposit (网拍规定 art 24) applied in the statutory order: the auction's costs and losses
-- at once; the rest waits in 保证金 (HOLD) for the re-auction — what makes up a lower re-sale price, then
-- this debt (the case account) when the lot's next outcome is known.
CREATE TABLE auction_forfeit (
    id             BIGINT PRIMARY KEY,
    lot_id         BIGINT NOT NULL REFERENCES auction_lot(id),
    round_id       BIGINT NOT NULL REFERENCES auction_round(id),  -- the round the buyer defaulted on
    amount_fen     BIGINT NOT NULL,                               -- forfeited
    price_fen      BIGINT NOT NULL,                               -- the defaulted price (original sale price)
    costs_fen      BIGINT NOT NULL DEFAULT 0,                     -- (1) auction costs and losses
    difference_fen BIGINT NOT NULL DEFAULT 0,                     -- (2) re-sale price below the original
    debt_fen       BIGINT NOT NULL DEFAULT 0,                     -- (3) this case's debt
    status         TEXT NOT NULL CHECK (status IN ('reserved', 'settled')),
    settled_by     TEXT,                                          -- sale | in_kind | release
    created_ms     BIGINT NOT NULL,
    settled_ms     BIGINT
);
CREATE INDEX auction_forfeit_lot ON auction_forfeit(lot_id, status);

-- A cost of the disposal: 评估费/询价费 (参考价规定 arts 32–33), 拍卖辅助工作费用 (网拍规定 art 7),
-- 公告/保管/运输 … Paid directly to the provider by whoever advances it (诉讼费用交纳办法 art 12: the
-- court does not collect it); borne per the rules (src/rules/auction.c zx_auction_cost_bearer). A cost
-- the applicant advanced and the debtor bears is repaid out of the proceeds first: status 'repaid'
-- with the payout proposed through the funds ledger (payout_id).
CREATE TABLE auction_cost (
    id           BIGINT PRIMARY KEY,
    lot_id       BIGINT NOT NULL REFERENCES auction_lot(id),
    round_id     BIGINT,
    kind         TEXT NOT NULL CHECK (kind IN ('appraisal', 'online_inquiry', 'auxiliary', 'announcement', 'storage',
                                               'transport', 'other')),
    provider     TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    advanced_by  TEXT NOT NULL CHECK (advanced_by IN ('applicant', 'debtor', 'buyer', 'none')),
    borne_by     TEXT NOT NULL CHECK (borne_by IN ('debtor', 'applicant', 'buyer')),
    basis        TEXT NOT NULL,            -- the article
    status       TEXT NOT NULL CHECK (status IN ('due', 'covered', 'repaid', 'settled')),
    covered_by   TEXT,                     -- forfeited_deposit | proceeds
    payout_id    BIGINT,                   -- funds payout repaying the advancer
    note         TEXT NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL
);
CREATE INDEX auction_cost_lot ON auction_cost(lot_id);

-- The routes and time limits of a price objection (参考价规定 arts 22–23): legal grounds → 执行行为异议
-- (ruling within 15 d, 民诉法 art 236); technical → forwarded to the institution within 3 d, its
-- explanation within 5 d, then the industry association's review.
ALTER TABLE auction_price_objection ADD COLUMN stage TEXT NOT NULL DEFAULT 'filed';
ALTER TABLE auction_price_objection ADD COLUMN forward_by TEXT;
ALTER TABLE auction_price_objection ADD COLUMN explain_by TEXT;
ALTER TABLE auction_price_objection ADD COLUMN decide_by TEXT;
ALTER TABLE auction_price_objection ADD COLUMN forwarded_on TEXT;
ALTER TABLE auction_price_objection ADD COLUMN explained_on TEXT;

-- An objection to the auction itself asking to revoke it (网拍规定 art 31 grounds), examined as a
-- 执行行为异议 (民诉法 art 236: ruling within 15 d of filing, 复议 within 10 d of service).
CREATE TABLE auction_objection (
    id          BIGINT PRIMARY KEY,
    lot_id      BIGINT NOT NULL REFERENCES auction_lot(id),
    round_id    BIGINT NOT NULL REFERENCES auction_round(id),
    objector    TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('applicant', 'debtor', 'interested', 'bidder')),
    ground      TEXT NOT NULL CHECK (ground IN ('misdescription', 'system_fault', 'collusion', 'unqualified_buyer',
                                                'unlawful_restriction', 'other')),
    filed_on    TEXT NOT NULL,
    decide_by   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    decided_on  TEXT,
    review_by   TEXT,                     -- 复议 may be asked until (service + 10 d)
    note        TEXT NOT NULL DEFAULT '',
    created_ms  BIGINT NOT NULL
);
CREATE INDEX auction_objection_lot ON auction_objection(lot_id);

-- Results pushed by an outside platform (signed callback): one row per (platform, event id), so a
-- repeated delivery is answered the same way and applied once.
CREATE TABLE auction_platform_event (
    id          BIGINT PRIMARY KEY,
    partner_id  BIGINT NOT NULL,
    event_id    TEXT NOT NULL,
    round_id    BIGINT,
    outcome     TEXT NOT NULL,
    body_sm3    TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    UNIQUE (partner_id, event_id)
);
