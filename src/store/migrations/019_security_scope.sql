-- 019 security scope (issue 10 item 3; sec10a's second migration, 009 + 10): the 特殊主体 roster
-- belongs to the court that imported it, like everything else. A roster entry is read and deleted by
-- those who can see its court (its own staff, and chiefs / command centres above it) and applies to
-- the debtors of its court and every court below it. Rows from before this migration belong to the
-- root court (最高人民法院): they keep matching everywhere and are managed from there.
ALTER TABLE special_subject ADD COLUMN court_id BIGINT REFERENCES court(id);
UPDATE special_subject SET court_id = (SELECT MIN(id) FROM court WHERE parent_id IS NULL);
DROP INDEX special_subject_idno;
CREATE UNIQUE INDEX special_subject_court_idno ON special_subject(court_id, id_number);
CREATE INDEX special_subject_court ON special_subject(court_id);
