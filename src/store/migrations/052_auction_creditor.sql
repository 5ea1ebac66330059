-- 052 auction (session 3): unit bidders and the applicant-creditor matched by the case party's
-- identity (网拍规定 art 17), priority claims on a lot and the applicant-creditor buyer's set-off of
-- the price against its claim (拍卖变卖规定 arts 16, 28; 民诉解释 art 508), and 执行回转 of a sale
-- already paid and ruled on (民诉法 art 244; 执行工作规定 arts 65–66). Owner: src/auction/.

-- A bidder is a person or a unit. A unit bids through an agent (a person whose ID is checked and
-- sealed in id_enc/id_idx like every bidder's); the unit is known by its 统一社会信用代码 (GB 32100,
-- public register data, kept in clear as case_party.credit_code is).
ALTER TABLE auction_bidder ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE auction_bidder ADD COLUMN credit_code TEXT;
ALTER TABLE auction_bidder ADD COLUMN agent_name TEXT;
CREATE INDEX auction_bidder_credit_code ON auction_bidder(credit_code);

-- The case party a deposit's bidder was matched to (an applicant of the lot's case: person by the ID
-- number's blind index, unit by its credit code) — the applicant-creditor of art 17.
ALTER TABLE auction_deposit ADD COLUMN party_id BIGINT;

-- Known priority claims on a lot (担保物权 and other 优先受偿权): paid first out of the price
-- (拍卖变卖规定 art 28), so an applicant-creditor buyer may set off only what is left after them
-- and the costs.
CREATE TABLE auction_lien (
    id          BIGINT PRIMARY KEY,
    lot_id      BIGINT NOT NULL REFERENCES auction_lot(id),
    holder      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('mortgage', 'pledge', 'construction', 'tax', 'other')),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
    basis       TEXT NOT NULL DEFAULT '',
    created_by  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX auction_lien_lot ON auction_lien(lot_id);

-- An applicant-creditor buyer's set-off (以债权抵付价款): the price minus priority claims and costs,
-- up to the outstanding claim, is paid by the claim — two linked ledger transfers (the applicant's
-- payee account → case account, case account → payee account) — and only the rest in money.
CREATE TABLE auction_setoff (
    round_id        BIGINT PRIMARY KEY REFERENCES auction_round(id),
    party_id        BIGINT NOT NULL,
    price_fen       BIGINT NOT NULL,
    priority_fen    BIGINT NOT NULL,
    costs_fen       BIGINT NOT NULL,
    claim_left_fen  BIGINT NOT NULL,
    setoff_fen      BIGINT NOT NULL,
    cash_fen        BIGINT NOT NULL,        -- price − setoff: paid in money (deposit + balance)
    in_transfer_id  BIGINT,
    out_transfer_id BIGINT,
    reversed        INTEGER NOT NULL DEFAULT 0,
    created_ms      BIGINT NOT NULL
);

-- 执行回转 of a sale paid and ruled on: the 执行回转裁定 orders the buyer to return the property and the
-- court to return the price; what is still in the case account goes back through the ledger at once,
-- what was paid out already is an obligation of the party who received it (执行工作规定 art 65).
CREATE TABLE auction_restitution (
    id             BIGINT PRIMARY KEY,
    lot_id         BIGINT NOT NULL REFERENCES auction_lot(id),
    round_id       BIGINT NOT NULL REFERENCES auction_round(id),
    ground         TEXT NOT NULL CHECK (ground IN ('auction_revoked', 'basis_revoked')),
    revoking_doc   TEXT NOT NULL,          -- the ruling/judgment that revoked the auction or the basis
    objection_id   BIGINT,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'ruled', 'returned')),
    approval_id    BIGINT,
    cash_fen       BIGINT NOT NULL DEFAULT 0,  -- what the buyer paid in money
    setoff_fen     BIGINT NOT NULL DEFAULT 0,  -- what it paid by its claim (reversed: the claim revives)
    returned_fen   BIGINT NOT NULL DEFAULT 0,  -- returned from the case account by ledger transfer
    owed_fen       BIGINT NOT NULL DEFAULT 0,  -- already paid out: to be returned by the obligor
    obligor        TEXT,
    transfer_id    BIGINT,
    ruling_doc_id  BIGINT,
    note           TEXT NOT NULL DEFAULT '',
    created_by     BIGINT NOT NULL,
    created_ms     BIGINT NOT NULL,
    ruled_ms       BIGINT
);
CREATE INDEX auction_restitution_lot ON auction_restitution(lot_id);
