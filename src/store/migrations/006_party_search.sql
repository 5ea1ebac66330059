-- 006 party-name search: each party row carries its case's court and filing date, so that a search by
-- party name within a court scope is answered from one covering index (court_id, name, filed_on,
-- case_id) without visiting enf_case for every match — a common full name matches ~1,300 parties over
-- 1M cases, and visiting each case cost 25–65 ms (docs/BENCHMARKS.md, case flow).
-- Both columns are copied from enf_case when the party is written (filing, import, demo); a case's
-- court and filing date never change after filing.
-- Owner: case service (src/case/case_filing.c, src/case/import.c, src/case/demo.c; read by src/api/cases.c).
ALTER TABLE case_party ADD COLUMN court_id BIGINT;
ALTER TABLE case_party ADD COLUMN filed_on TEXT;
UPDATE case_party SET court_id = (SELECT e.court_id FROM enf_case e WHERE e.id = case_party.case_id),
                      filed_on = (SELECT e.filed_on FROM enf_case e WHERE e.id = case_party.case_id);
CREATE INDEX case_party_scope_name ON case_party(court_id, name, filed_on, case_id);
