-- 065 funds (issue 11, session 7): a 参与分配 plan is paid out line by line. A payout may name the plan and
-- its line (distribution_id, distribution_ord); the line's share minus the payouts of that line still holding
-- money (pending_approval / approved / sent / paid) bounds it (民诉解释 arts 508–510: only a final plan).
-- payee_role is the role shown in the approval inbox ("参与分配债权人（方案第N项）", "买受人（执行回转退款）"),
-- kept with the payout instead of living only in memory.
ALTER TABLE fund_payout ADD COLUMN distribution_id BIGINT REFERENCES fund_distribution(id);
ALTER TABLE fund_payout ADD COLUMN distribution_ord INTEGER;
ALTER TABLE fund_payout ADD COLUMN payee_role TEXT;
CREATE INDEX fund_payout_distribution ON fund_payout(distribution_id, distribution_ord);
