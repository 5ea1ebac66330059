-- 056 auction (session 4): 执行回转 as a case of its own and the return of a thing (最高法《关于人民法院
-- 执行工作若干问题的规定（试行）》(2020 修正) art 65 para 2: 执行回转应重新立案; art 66: a specific
-- thing is returned as it is; if it cannot be, 折价赔偿 when both parties agree, else the 执行回转
-- procedure is terminated). Owner: src/auction/.
ALTER TABLE auction_restitution ADD COLUMN case_id BIGINT;          -- the 执行回转 case filed on the ruling
ALTER TABLE auction_restitution ADD COLUMN in_kind INTEGER NOT NULL DEFAULT 0; -- 1: a 以物抵债 turned back
ALTER TABLE auction_restitution ADD COLUMN outcome TEXT;            -- NULL | returned | compensated | terminated
ALTER TABLE auction_restitution ADD COLUMN compensation_fen BIGINT NOT NULL DEFAULT 0; -- 折价赔偿 agreed
ALTER TABLE auction_restitution ADD COLUMN outcome_ms BIGINT;
CREATE INDEX auction_restitution_case ON auction_restitution(case_id);
