-- 057 a case that moves to another court (提级执行 / 指定执行 / 交叉执行) the lawful way (issue 14): the
-- old court's case closes by 终结执行 (立案结案意见 art 17: 提级 / 指定, no ruling) and the new court files
-- a new case linked to it (enf_case.parent_case_id). The 'case_moved' step of the supervision order
-- records the court left (court_id, as before) and now also the case the new court filed (new_case_id;
-- NULL for moves made before this migration, when the same case changed court). Owner: command14.
ALTER TABLE supervision_step ADD COLUMN new_case_id BIGINT;
CREATE INDEX supervision_step_moved ON supervision_step(kind, court_id, created_ms);
