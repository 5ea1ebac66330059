-- 059 auction (session 5): the buyer of a sale set aside is paid back through the ledger, and the
-- things of 执行工作规定 art 66 beyond 以物抵债. Owner: src/auction/.
--
-- The price the buyer paid goes back as payouts of the funds module (zx_funds_payout_propose: approval
-- tier, bank confirmation), started by the 执行回转裁定 itself: what the original case account still
-- holds at once, what was paid out already as it is recovered in the 执行回转 case (网拍规定 art 31;
-- 民法典 art 157; 执行工作规定 art 65). The account the refund is paid to is given with the request.
ALTER TABLE auction_restitution ADD COLUMN refund_payee TEXT;          -- who paid the price (the buyer; the creditor for 以物抵债)
ALTER TABLE auction_restitution ADD COLUMN refund_bank TEXT;           -- the payee's bank
ALTER TABLE auction_restitution ADD COLUMN refund_account_enc BYTEA;   -- sealed (core/pii BANK_ACCOUNT)
-- 1: a specific thing (特定物) went to the applicant by the execution and must come back (执行工作规定
-- art 66): taken 以物抵债, or bought by the applicant-creditor itself. Its end is the art 66 outcome.
ALTER TABLE auction_restitution ADD COLUMN thing INTEGER NOT NULL DEFAULT 0;
UPDATE auction_restitution SET thing = in_kind;

-- One refund payout of a restitution: which case account pays (the original case or the 执行回转
-- case), the funds payout, and what started it (the ruling, an arrival in the 执行回转 case, staff).
CREATE TABLE auction_refund (
    id             BIGINT PRIMARY KEY,
    restitution_id BIGINT NOT NULL REFERENCES auction_restitution(id),
    case_id        BIGINT NOT NULL REFERENCES enf_case(id),
    payout_id      BIGINT NOT NULL REFERENCES fund_payout(id),
    amount_fen     BIGINT NOT NULL CHECK (amount_fen > 0),
    started_by     TEXT NOT NULL CHECK (started_by IN ('ruling', 'arrival', 'staff')),
    created_ms     BIGINT NOT NULL
);
CREATE INDEX auction_refund_restitution ON auction_refund(restitution_id);
CREATE INDEX auction_refund_payout ON auction_refund(payout_id);
