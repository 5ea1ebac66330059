-- 048 search by part of a 案号's number (issue 9 item 13), second step: the seq index also carries the
-- columns the search filters and sorts on — court (scope), type (执, 执恢 …) and filing date — so a query
-- such as "352" or "执352" is answered by one index range per candidate number, from the index alone,
-- on both stores. Replaces enf_case_seq(seq, id) of migration 040 (MAX(seq) is still answered from the
-- leading column). Why: on PostgreSQL the self-join of migration 040's query (candidates from the seq
-- index, then enf_case again for the scope) was planned as a hash join over every case of the scope
-- (EXPLAIN ANALYZE at 200,000 cases: an index-only scan of 206,066 rows of enf_case_court_filed for 6
-- matches, 224 ms; the query is now single-table, see src/api/cases.c case_search). Same SQL on both
-- stores. Owner: rules9c.
CREATE INDEX enf_case_seq_scope ON enf_case(seq, court_id, type_code, filed_on, id);
DROP INDEX enf_case_seq;
