-- 041 the deciding court's name on each credit entry (issue 9 item 16 "courts by name"): the national
-- lists hold debtors listed by courts that are not in this installation's court table (entries received
-- from other courts); the public portal names the court from `court` when it is ours, else from here —
-- never shows a 法院代字. Filled by the credit module from the court table for its own decisions and by
-- whoever brings an entry from elsewhere. Same SQL on both stores. Owner: rules9b.
ALTER TABLE credit_entry ADD COLUMN court_name TEXT;
UPDATE credit_entry SET court_name = (SELECT c.name FROM court c WHERE c.code = credit_entry.court_code)
 WHERE court_name IS NULL;
