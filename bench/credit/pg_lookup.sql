-- pgbench script for bench/30-credit.sh: the same single lookup answered directly by PostgreSQL.
-- Run with -M prepared -D nids=N. One transaction = pick a random listed ID by row number from
-- bench_ids (primary-key probe), then the credit lookup itself (credit_entry_id_number index probe)
-- returning the basis columns a partner needs.
\set n random(1, :nids)
SELECT id_number AS q FROM bench_ids WHERE n = :n \gset
SELECT list, case_no, court_code, publish_on, categories FROM credit_entry WHERE id_number = :q AND status = 'active';
