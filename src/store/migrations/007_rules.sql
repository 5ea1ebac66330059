-- 007 rules (issue 9): time-limit extensions in the rule's own unit.
-- extension_months: months granted by the 院长 for month-counted limits (执/执恢/执保/执监/执协/执他,
-- 审限规定 art 5: up to 3 months); extension_days keeps day-counted ones (执复, 执行程序解释 art 9: ≤ 30
-- days) and older day-count extensions. Owner: case service (src/case/, rules in src/rules/clocks.c).
ALTER TABLE enf_case ADD COLUMN extension_months INTEGER NOT NULL DEFAULT 0;
