-- 017 rules (issue 9, second migration of rules9 = 007 + 10): a temporary permit of 法发〔2019〕35号
-- para 17(3) (flights and high-speed rail, ≤ 1 month) takes effect only with the 院长's approval, given
-- in the approval inbox (src/approval). pending = 1 while it waits; approved_by = the 院长.
-- Owner: credit decisions (src/credit/decisions_entry.c).
ALTER TABLE credit_permit ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credit_permit ADD COLUMN approved_by BIGINT;
