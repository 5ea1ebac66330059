-- pgbench script for bench/30-credit.sh: the same single lookup answered directly by PostgreSQL.
-- Run with -M prepared -D nids=N. One statement (one round trip): pick a random listed ID by row
-- number from bench_ids (primary-key probe) and look it up in credit_entry (id_number index probe),
-- returning the basis columns a partner needs.
\set n random(1, :nids)
SELECT e.list, e.case_no, e.court_code, e.publish_on, e.categories FROM credit_entry e
  WHERE e.id_number = (SELECT b.id_number FROM bench_ids b WHERE b.n = :n) AND e.status = 'active';
