# bench/command/bulk.sh — sourced by bench/70-command.sh. Cheap generation of N cases for the province
# benchmark (10,000,000 on a 2-core machine): the same rows as bench/command/gen_cases.sql (what the history
# import writes into enf_case: imported = 1, no events), generated inside the store by one INSERT … SELECT,
# but loaded the way a bulk load should be:
#   - one transaction;
#   - the secondary indexes of enf_case and the search index dropped before and rebuilt after (one sort
#     each instead of 10 × N random B-tree inserts); PRIMARY KEY / UNIQUE / foreign keys stay on;
#   - the row triggers of enf_case off (search index, roll-ups): the search rows are written by one
#     INSERT … SELECT; the roll-ups are rebuilt after the load by the server's own set-based pass,
#     `zhixing command rollup-rebuild` (src/command/rollup_rebuild.c) — checked against the triggers at
#     small N by bulk_verify below;
#   - SQLite: journal off and synchronous off during the load (back to WAL after); PostgreSQL:
#     synchronous_commit off, maintenance_work_mem 1 GB for the index builds; the roll-up pass with
#     --work-mem 1GB (it aggregates ~500,000 (court, day, filing year) groups in memory).
# bulk_load KIND URL N     (KIND sqlite | postgres)
# bulk_verify KIND URL NV  NV more cases through gen_cases.sql WITH the triggers (plus whatever the store
#                          holds: demo cases, petitions), then `zhixing command rollup-rebuild --check`
#                          (what the triggers kept against the set-based pass, row for row, in a transaction
#                          it rolls back); the NV cases deleted again through the triggers and checked once
#                          more (the store is left as it was); prints the counts, returns 1 on a difference
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
            echo "COMMIT;"
            echo "PRAGMA journal_mode = WAL;"
        } | bulk_sql sqlite "$url" >/dev/null || { rm -rf "$dir"; return 1; }
        bin/zhixing command rollup-rebuild --db "$url" >"$dir/rebuild.log" || { cat "$dir/rebuild.log" >&2; rm -rf "$dir"; return 1; }
    else
        {
            echo "SET synchronous_commit = off; SET maintenance_work_mem = '1GB';"
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
            echo "COMMIT;"
        } | bulk_sql postgres "$url" || { rm -rf "$dir"; return 1; }
        bin/zhixing command rollup-rebuild --db "$url" --work-mem 1GB >"$dir/rebuild.log" || { cat "$dir/rebuild.log" >&2; rm -rf "$dir"; return 1; }
    fi
    rm -rf "$dir"
}
bulk_verify() {
    local kind=$1 url=$2 nv=$3 one two rc=0
    gen_sql "$kind" "$nv" 7100000000000000 50000000 | bulk_sql "$kind" "$url" >/dev/null || return 1
    one=$(bin/zhixing command rollup-rebuild --db "$url" --check) || rc=1
    echo "DELETE FROM enf_case WHERE id >= 7100000000000000 AND id < 7100000000000000 + $nv;" | bulk_sql "$kind" "$url" >/dev/null || return 1
    two=$(bin/zhixing command rollup-rebuild --db "$url" --check) || rc=1
    if [ "$rc" = 0 ]; then echo "$one; the $nv cases deleted again through the triggers: ${two##*differing: } differing"
    else printf '%s\n--- after deleting them again:\n%s\n' "$one" "$two"; fi
    return $rc
}
