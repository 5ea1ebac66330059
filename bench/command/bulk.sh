# bench/command/bulk.sh — sourced by bench/70-command.sh. Cheap generation of N cases for the province
# benchmark (10,000,000 on a 2-core machine): the same rows as bench/command/gen_cases.sql (what the history
# import writes into enf_case: imported = 1, no events), generated inside the store by one INSERT … SELECT,
# but loaded the way a bulk load should be:
#   - one transaction;
#   - the secondary indexes of enf_case and the search index dropped before and rebuilt after (one sort
#     each instead of 10 × N random B-tree inserts); PRIMARY KEY / UNIQUE / foreign keys stay on;
#   - the row triggers of enf_case off (search index, roll-ups): the search rows are written by one
#     INSERT … SELECT, the roll-ups rebuilt by ONE set-based pass (bench/command/rollup_rebuild.sql) —
#     checked against the triggers at small N by bulk_verify below;
#   - SQLite: journal off and synchronous off during the load (back to WAL after); PostgreSQL:
#     synchronous_commit off, maintenance_work_mem 1 GB for the index builds, work_mem 1 GB (the roll-up
#     pass aggregates ~500,000 (court, day, filing year) groups in memory).
# bulk_load KIND URL N     (KIND sqlite | postgres)
# bulk_verify KIND URL NV  in ONE transaction that is rolled back (the store is left as it was): NV more
#                          cases through gen_cases.sql WITH the triggers (plus whatever the store holds:
#                          demo cases, petitions), copy what the triggers kept, rebuild both roll-up tables
#                          by the set-based pass, compare row for row; prints the counts, returns 1 on a
#                          difference
gen_sql() { # KIND N [ID0 SEQ0] — the INSERT … SELECT of gen_cases.sql for that store
    sed -e "s/@N@/$2/g; s/@ID0@/${3:-7000000000000000}/g; s/@SEQ0@/${4:-200000}/g" bench/command/gen_cases.sql |
        sed -n "/-- @$1/,/-- @end/p"
}
bulk_sql() { # KIND URL [FILE] — run SQL from stdin or FILE on the store, stop at the first error
    if [ "$1" = sqlite ]; then sqlite3 -bail "${2#sqlite:}"; else psql -q -X -v ON_ERROR_STOP=1 "$2" >/dev/null; fi
}
bulk_load() {
    local kind=$1 url=$2 n=$3 dir
    dir=$(mktemp -d "${BENCH_TMP:-/tmp}/bulk.XXXXXX")
    if [ "$kind" = sqlite ]; then
        local db=${url#sqlite:}
        sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = 'enf_case' AND type IN ('index', 'trigger')
                       AND sql IS NOT NULL" >"$dir/recreate.sql"
        sqlite3 "$db" "SELECT 'DROP ' || type || ' ' || name || ';' FROM sqlite_master WHERE tbl_name = 'enf_case'
                       AND type IN ('index', 'trigger') AND sql IS NOT NULL" >"$dir/drop.sql"
        {
            echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;"
            echo "BEGIN;"
            cat "$dir/drop.sql"
            gen_sql sqlite "$n"
            echo "INSERT INTO case_search (rowid, case_id, doc) SELECT id, id, case_no FROM enf_case WHERE id >= 7000000000000000 AND id < 7000000000000000 + $n;"
            cat "$dir/recreate.sql"
            cat bench/command/rollup_rebuild.sql
            echo "COMMIT;"
            echo "PRAGMA journal_mode = WAL;"
        } | bulk_sql sqlite "$url" >/dev/null
    else
        {
            echo "SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET work_mem = '1GB';"
            echo "BEGIN;"
            cat <<'SQL'
CREATE TEMP TABLE bulk_idx AS SELECT indexname, indexdef FROM pg_indexes
    WHERE tablename IN ('enf_case', 'case_search') AND schemaname = current_schema()
      AND indexname NOT IN (SELECT conname FROM pg_constraint);
DO $$ DECLARE r RECORD; BEGIN
    FOR r IN SELECT indexname FROM bulk_idx LOOP EXECUTE 'DROP INDEX ' || quote_ident(r.indexname); END LOOP;
END $$;
ALTER TABLE enf_case DISABLE TRIGGER USER;
SQL
            gen_sql postgres "$n"
            echo "INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) SELECT id, id, case_no, court_id, filed_on FROM enf_case WHERE id >= 7000000000000000 AND id < 7000000000000000 + $n;"
            cat <<'SQL'
ALTER TABLE enf_case ENABLE TRIGGER USER;
DO $$ DECLARE r RECORD; BEGIN
    FOR r IN SELECT indexdef FROM bulk_idx LOOP EXECUTE r.indexdef; END LOOP;
END $$;
SQL
            cat bench/command/rollup_rebuild.sql
            echo "COMMIT;"
        } | bulk_sql postgres "$url"
    fi
    rm -rf "$dir"
}
bulk_verify() {
    local kind=$1 url=$2 nv=$3 diff
    {
        echo "BEGIN;"
        gen_sql "$kind" "$nv" 7100000000000000 50000000
        echo "CREATE TEMP TABLE trig_rollup AS SELECT * FROM cmd_rollup WHERE filed <> 0 OR closed <> 0 OR pet_received <> 0 OR pet_closed <> 0 OR claim_fen <> 0 OR recovered_fen <> 0;"
        echo "CREATE TEMP TABLE trig_open AS SELECT * FROM cmd_open_limit WHERE n <> 0;"
        cat bench/command/rollup_rebuild.sql
        echo "CREATE TEMP TABLE bulk_diff AS"
        echo "  SELECT 'rollup only by triggers' AS side, court_id, period AS k, fy FROM (SELECT * FROM trig_rollup EXCEPT SELECT * FROM cmd_rollup) a"
        echo "  UNION ALL SELECT 'rollup only by rebuild', court_id, period, fy FROM (SELECT * FROM cmd_rollup EXCEPT SELECT * FROM trig_rollup) b"
        echo "  UNION ALL SELECT 'open only by triggers', court_id, limit_date, n FROM (SELECT * FROM trig_open EXCEPT SELECT * FROM cmd_open_limit) c"
        echo "  UNION ALL SELECT 'open only by rebuild', court_id, limit_date, n FROM (SELECT * FROM cmd_open_limit EXCEPT SELECT * FROM trig_open) d;"
        echo "SELECT 'rows: ' || (SELECT COUNT(*) FROM trig_rollup) || ' roll-up, ' || (SELECT COUNT(*) FROM trig_open) || ' open-limit; differing: ' || (SELECT COUNT(*) FROM bulk_diff);"
        echo "SELECT side || ' ' || court_id || ' ' || k || ' ' || fy FROM bulk_diff LIMIT 20;"
        echo "ROLLBACK;"
    } >"${BENCH_TMP:-/tmp}/bulk-verify.sql"
    if [ "$kind" = sqlite ]; then diff=$(sqlite3 -bail "${url#sqlite:}" <"${BENCH_TMP:-/tmp}/bulk-verify.sql")
    else diff=$(psql -q -X -At -v ON_ERROR_STOP=1 "$url" -f "${BENCH_TMP:-/tmp}/bulk-verify.sql"); fi
    echo "$diff"
    case "$diff" in *"differing: 0") return 0 ;; *) return 1 ;; esac
}
