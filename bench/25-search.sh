# bench/25-search.sh — issue 9 item 13: search as a clerk types (any part of a 案号 or a party name,
# GET /api/v1/cases?q=: names from the trigram indexes of migration 018; part of a 案号's number from the
# seq index of migrations 040/048) side by side with today's prefix search (party=), on SQLite and
# PostgreSQL. Sourced by bench/run.sh (helpers documented there).
#
#   SEARCH_N      cases to generate and import (default 100,000: the whole section in ~5 minutes on an
#                 idle 2-core machine; the issue's 1M: SEARCH_N=1000000 — each store's import then takes
#                 several minutes (SQLite ~6, PostgreSQL ~15 at load 10); SEARCH_PG=0 for SQLite only)
#   SEARCH_PG=0   skip PostgreSQL;  SEARCH_SQLITE=0  skip SQLite
#   SEARCH_REQS   requests per latency figure (default 200)
#   SEARCH_CSV=PATH        the generated CSV (kept there; reused when it exists — same N and seed)
#   SEARCH_SQLITE_DB=PATH  reuse an SQLite store already imported by this script (skips init + import)
#   SEARCH_PG_URL=URL      reuse a PostgreSQL store already imported by this script (skips init + import)
#   SEARCH_PG_KEEP=1       keep this run's PostgreSQL cluster and print its SEARCH_PG_URL (for reruns)
#
# Steps per store: `zhixing init --demo` → the province's courts (as bench/20-cases.sh) → `zhixing import
# cases` of bench/cases/gen_csv.py's CSV (the import also fills case_search; its wall time is reported)
# → serve → bench/cases/latency.mjs (sequential requests, one keep-alive client, command center of 辽,
# province scope): p50 / p95 ms and the CPU per request of the server (+ PostgreSQL's backends).
# The table prints the target (issue 9 item 13: at the speed of today's prefix search) beside each
# figure: the ratio of each q= row's p50 to the prefix search's p50 on the same store, same run.
# On PostgreSQL the import lifts the server's 30 s statement limit for its own transaction (import.c).
N=${SEARCH_N:-100000}
# measured as the command center of 辽 (sees every court below); no second factor for a benchmark login
export ZX_TOTP_REQUIRED=0
REQS=${SEARCH_REQS:-200}
ST=$BENCH_TMP/search
mkdir -p "$ST"
CITIES=(沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛)
{
    for i in $(seq 1 14); do
        mid=$(printf '辽%02d' "$i"); city=${CITIES[$((i - 1))]}; mid_id=$((7100000000 + i * 100))
        if [ "$i" != 1 ] && [ "$i" != 11 ]; then
            echo "INSERT INTO court (id, code, name, level, parent_id) SELECT $mid_id, '$mid', '${city}市中级人民法院', 3, id FROM court WHERE code = '辽';"
        fi
        for j in $(seq 2 8); do
            code=$(printf '辽%02d%02d' "$i" "$j")
            echo "INSERT INTO court (id, code, name, level, parent_id) SELECT $((mid_id + j)), '$code', '${city}市第${j}基层人民法院', 4, id FROM court c WHERE c.code = '$mid' AND NOT EXISTS (SELECT 1 FROM court WHERE code = '$code');"
        done
    done
} >"$ST/courts.sql"
for i in $(seq 1 14); do for j in $(seq 2 8); do printf '辽%02d%02d\n' "$i" "$j"; done; done >"$ST/courts.txt"
CSV=${SEARCH_CSV:-$ST/cases.csv}
[ -n "${SEARCH_CSV:-}" ] && [ -s "$CSV" ] || python3 bench/cases/gen_csv.py "$N" 20240601 "$ST/courts.txt" >"$CSV"

urlenc() { node -e 'for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) console.log(encodeURIComponent(l))'; }
join_alts() { paste -sd'|' - | sed 's/|/||/g'; }
P='/api/v1/cases?court=%E8%BE%BD\&subordinates=1' # \& : the sed replacements below
# inputs taken from the file (deterministic)
awk -F, 'NR > 1 && NR % 6007 == 0 && length($13) > 12 { print $13 }' "$CSV" | head -n 50 >"$ST/units.txt"   # unit debtors
awk -F, 'NR > 1 && NR % 7001 == 0 && length($13) <= 9 { print $13 }' "$CSV" | head -n 50 >"$ST/persons.txt" # 2–3 character names
awk -F, 'NR > 1 && NR % 9973 == 0 { print $1 }' "$CSV" | head -n 50 >"$ST/case_nos.txt"
# today's prefix search (party=, name prefix): full person names, the first 2 characters of unit names
Q_OLD_PERSON=$(urlenc <"$ST/persons.txt" | sed "s|^|$P\&party=|" | join_alts)
Q_OLD_UNIT=$(python3 -c 'import sys; [print(l.strip()[:2]) for l in open(sys.argv[1]) if l.strip()]' "$ST/units.txt" | urlenc | sed "s|^|$P\&party=|" | join_alts)
# search as a clerk types (q=, any part): "执352"-style, the bare number, the middle of a unit name, a person's name
Q_NEW_ZHI=$(sed -n 's/.*\(执[0-9]*\)号$/\1/p' "$ST/case_nos.txt" | urlenc | sed "s|^|$P\&q=|" | join_alts)
Q_NEW_NUM=$(sed -n 's/.*执\([0-9]\{3,\}\)号$/\1/p' "$ST/case_nos.txt" | urlenc | sed "s|^|$P\&q=|" | join_alts)
Q_NEW_UNIT=$(python3 -c 'import sys; [print(l.strip()[2:6]) for l in open(sys.argv[1]) if l.strip()]' "$ST/units.txt" | urlenc | sed "s|^|$P\&q=|" | join_alts)
Q_NEW_PERSON=$(awk 'length($0) >= 9' "$ST/persons.txt" | urlenc | sed "s|^|$P\&q=|" | join_alts)

# PostgreSQL's store at 1M, fast: `zhixing import cases` writes through multi-row INSERTs (~15 min for
# 1M on PostgreSQL on a loaded machine). With SEARCH_PG_LOAD=copy (the default when this run imported the
# SQLite store) the PostgreSQL store gets the very rows that import wrote, in bulk: COPY of enf_case and
# case_party rows with imported = 1 into staging tables (court ids mapped by court code — each store
# numbers its demo courts itself; BYTEA as COPY's \x hex), INSERT … SELECT with the row triggers off,
# case_search filled set-based and its GIN index rebuilt after. SEARCH_PG_LOAD=import: the CLI import.
pg_copy_from_sqlite() {
    local db=$1 url=$2 t
    for t in enf_case case_party; do
        local cols sel ins
        cols=$(sqlite3 "$db" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
        sel=$(sqlite3 "$db" "SELECT group_concat(CASE WHEN name = 'court_id' THEN 'c.code'
            WHEN type = 'BYTEA' THEN 'CASE WHEN t.' || name || ' IS NULL THEN NULL ELSE ''\\x'' || hex(t.' || name || ') END'
            ELSE 't.' || name END, ',') FROM pragma_table_info('$t')")
        ins=$(sqlite3 "$db" "SELECT group_concat(CASE WHEN name = 'court_id' THEN 'c.id' ELSE 's.' || name END, ',') FROM pragma_table_info('$t')")
        local where="t.imported = 1"
        [ "$t" = case_party ] && where="t.case_id IN (SELECT id FROM enf_case WHERE imported = 1)"
        psql -q -v ON_ERROR_STOP=1 "$url" -c "DROP TABLE IF EXISTS stage_$t" \
            -c "CREATE UNLOGGED TABLE stage_$t AS SELECT * FROM $t WITH NO DATA" \
            -c "ALTER TABLE stage_$t ALTER COLUMN court_id TYPE TEXT" >/dev/null
        sqlite3 -csv "$db" "SELECT $sel FROM $t t JOIN court c ON c.id = t.court_id WHERE $where" |
            psql -q -v ON_ERROR_STOP=1 "$url" -c "COPY stage_$t ($cols) FROM STDIN (FORMAT csv)"
        # secondary indexes off while the rows go in, rebuilt once after (unique ones stay: they check)
        local idx
        idx=$(psql -tA "$url" -c "SELECT indexname || '|' || indexdef FROM pg_indexes WHERE tablename = '$t' AND indexdef NOT LIKE 'CREATE UNIQUE%'")
        psql -q -v ON_ERROR_STOP=1 "$url" -c "$(printf '%s\n' "$idx" | awk -F'|' 'NF { printf "DROP INDEX %s;", $1 }')" >/dev/null
        psql -q -v ON_ERROR_STOP=1 "$url" -c "ALTER TABLE $t DISABLE TRIGGER USER" \
            -c "INSERT INTO $t ($cols) SELECT $ins FROM stage_$t s JOIN court c ON c.code = s.court_id" \
            -c "ALTER TABLE $t ENABLE TRIGGER USER" -c "DROP TABLE stage_$t" >/dev/null
        psql -q -v ON_ERROR_STOP=1 "$url" -c "SET maintenance_work_mem = '256MB'" \
            -c "$(printf '%s\n' "$idx" | awk -F'|' 'NF { printf "%s;", $2 }')" >/dev/null
    done
    psql -q -v ON_ERROR_STOP=1 "$url" -c "DROP INDEX case_search_doc" \
        -c "INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) SELECT id, id, case_no, court_id, filed_on FROM enf_case WHERE imported = 1" \
        -c "INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) SELECT p.id, p.case_id, p.name, p.court_id, p.filed_on FROM case_party p JOIN enf_case e ON e.id = p.case_id WHERE e.imported = 1" \
        -c "SET maintenance_work_mem = '512MB'" -c "CREATE INDEX case_search_doc ON case_search USING gin (doc public.gin_trgm_ops)" >/dev/null
}

# a fresh PostgreSQL store keeps its audit key and checkpoints here, not in the repository's var/ (make run's)
pg_files() {
    export ZX_AUDIT_KEY_FILE=$ST/pg.audit.pem ZX_AUDIT_CHECKPOINT_DIR=$ST/pg.checkpoints ZX_AUDIT_ARCHIVE_DIR=$ST/pg.archive
}

declare -A S
SQLITE_FILE=
search_store() {
    local kind=$1 url=$2 port pid tok out t0
    if [ "$kind" = sqlite ] && [ -n "${SEARCH_SQLITE_DB:-}" ]; then
        url=sqlite:$SEARCH_SQLITE_DB
        S[$kind.import]="(store reused)"
    elif [ "$kind" = postgres ] && [ -n "${SEARCH_PG_URL:-}" ]; then
        url=$SEARCH_PG_URL
        S[$kind.import]="(store reused)"
    elif [ "$kind" = postgres ] && pg_files && [ "${SEARCH_PG_LOAD:-copy}" = copy ] && [ -n "$SQLITE_FILE" ]; then
        # the SQLite store's key file: the copied rows' sealed columns stay readable in this store
        export ZX_PII_KEY_FILE=$SQLITE_FILE.keys
        bin/zhixing init --db "$url" --demo >"$ST/init-$kind.log" 2>&1
        psql -q "$url" -f "$ST/courts.sql" >/dev/null
        t0=$(date +%s.%N)
        pg_copy_from_sqlite "$SQLITE_FILE" "$url"
        S[$kind.import]="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') (COPY from the SQLite store)"
    else
        if [ "$kind" = postgres ]; then pg_files; export ZX_PII_KEY_FILE=$ST/pg.keys; fi # not the repository's var/
        bin/zhixing init --db "$url" --demo >"$ST/init-$kind.log" 2>&1
        if [ "$kind" = sqlite ]; then sqlite3 "${url#sqlite:}" <"$ST/courts.sql"; else psql -q "$url" -f "$ST/courts.sql" >/dev/null; fi
        t0=$(date +%s.%N)
        bin/zhixing import cases --db "$url" "$CSV" >"$ST/import-$kind.log" 2>&1
        S[$kind.import]=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    fi
    if [ "$kind" = postgres ]; then psql -q "$url" -c 'VACUUM ANALYZE enf_case' -c 'VACUUM ANALYZE case_party' -c 'VACUUM ANALYZE case_search' >/dev/null; fi
    S[$kind.load]=$(cut -d' ' -f1-3 /proc/loadavg)
    port=$(free_port)
    bin/zhixing serve --db "$url" --listen "127.0.0.1:$port" >"$OUT/server-search-$kind.log" 2>&1 &
    pid=$!
    track "$pid"
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 200); do curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    tok=$(zx_login demo_command_liao "$ZX_DEMO_PASSWORD")
    out=$ST/lat-$kind.jsonl
    local cpu_pids=$pid
    # PostgreSQL: the backends (children of the postmaster) do the query work — counted too
    if [ "$kind" = postgres ]; then cpu_pids="$pid $(head -n1 "$(psql -tAc 'SHOW data_directory' "$url")/postmaster.pid")"; fi
    LAT_CPU_PIDS=$cpu_pids node bench/cases/latency.mjs "$ZX_BASE" "$tok" "$REQS" "old_person=$Q_OLD_PERSON" "old_unit=$Q_OLD_UNIT" \
        "new_zhi=$Q_NEW_ZHI" "new_num=$Q_NEW_NUM" "new_unit=$Q_NEW_UNIT" "new_person=$Q_NEW_PERSON" >"$out"
    local l label
    while read -r l; do
        label=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.label)' "$l")
        S[$kind.$label]=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(`${o.p50} / ${o.p95}` + (o.cpu_ms !== null ? ` (CPU ${o.cpu_ms})` : "") + (o.errors ? ` (${o.errors} errors, status ${o.status})` : ""))' "$l")
        S[$kind.$label.p50]=$(node -e 'console.log(JSON.parse(process.argv[1]).p50)' "$l")
        S[$kind.$label.cpu]=$(node -e 'const c = JSON.parse(process.argv[1]).cpu_ms; console.log(c === null ? "" : c)' "$l")
    done <"$out"
    # how many cases a query matches (first input of each kind), to read the latencies against
    for q in new_zhi new_num new_unit; do
        local first
        case $q in new_zhi) first=${Q_NEW_ZHI%%||*};; new_num) first=${Q_NEW_NUM%%||*};; new_unit) first=${Q_NEW_UNIT%%||*};; esac
        [ -n "$first" ] || continue # no such input at a small SEARCH_N
        # a text search reports "300+" past its cap (total_capped, docs/api/cases.md)
        S[$kind.$q.n]=$(curl -fs -H "authorization: Bearer $tok" "$ZX_BASE$first" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const j=JSON.parse(d);console.log(j.total.toLocaleString("en-US")+(j.total_capped?"+":""))})')
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
SQLITE_SIZE="not run (SEARCH_SQLITE=0)"
if [ "${SEARCH_SQLITE:-1}" != 0 ]; then
    search_store sqlite "sqlite:$ST/search.db"
    SQLITE_FILE=${SEARCH_SQLITE_DB:-$ST/search.db}
    SQLITE_SIZE=$(du -h "${SEARCH_SQLITE_DB:-$ST/search.db}" | cut -f1)
fi
PG_NOTE="not run (SEARCH_PG=0)"
if [ "${SEARCH_PG:-1}" != 0 ]; then
    if [ -n "${SEARCH_PG_URL:-}" ]; then
        PGURL=$SEARCH_PG_URL PGDIR=
    else
        PGDIR=$(mktemp -d /tmp/zx-bench-pg.XXXXXX)
        chmod 755 "$PGDIR"
        PGURL=$(sh scripts/pg-temp.sh start "$PGDIR" | tail -n1)
    fi
    search_store postgres "$PGURL"
    PG_NOTE="PostgreSQL $(psql -tAc 'SHOW server_version' "$PGURL") (scripts/pg-temp.sh, locale C.UTF-8 — pg_trgm needs a UTF-8 ctype to index Chinese)"
    if [ -n "$PGDIR" ] && [ "${SEARCH_PG_KEEP:-0}" = 1 ]; then
        echo "bench 25: PostgreSQL store kept for reuse: SEARCH_PG_URL='$PGURL' (stop: sh scripts/pg-temp.sh stop $PGDIR)" >&2
    elif [ -n "$PGDIR" ]; then
        sh scripts/pg-temp.sh stop "$PGDIR" >/dev/null 2>&1 || true
        rm -rf "$PGDIR"
    fi
fi
w() { echo "${S[$1]:-—}"; }
# ratio of a q= row's p50 to the prefix search's p50 (same store, same run): ≤ 1.0 meets the target
vs() {
    local a=${S[$1.$2.p50]:-} b=${S[$1.old_person.p50]:-} ca=${S[$1.$2.cpu]:-} cb=${S[$1.old_person.cpu]:-}
    [ -n "$a" ] && [ -n "$b" ] || { echo "—"; return; }
    awk -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" 'BEGIN { r = b > 0 ? a / b : 0; printf "%.2f× %s", r, (r <= 1.0 ? "✔" : "✘");
        if (ca != "" && cb > 0) { c = ca / cb; printf " (CPU %.2f× %s)", c, (c <= 1.0 ? "✔" : "✘") } }'
}
md "## Search as a clerk types (issue 9 item 13) — bench/25-search.sh"
md ""
md "Data: $N cases from \`bench/cases/gen_csv.py\` (seed 20240601) over the 98 basic courts of 辽, plus the demo data;"
md "SQLite store after import: $SQLITE_SIZE. $PG_NOTE. Latency: \`bench/cases/latency.mjs\`, $REQS sequential requests"
md "per row (one keep-alive client, the command center of 辽, province scope): p50 / p95 in ms, and (CPU ms per request"
md "of the server, with PostgreSQL's backends on PostgreSQL). Shared 2-core machine unless the load average says otherwise."
md ""
md "Target (issue 9 item 13): search by any part at the speed of today's prefix search, on both stores. The \"vs prefix\""
md "columns give each row's p50 divided by the prefix search's p50 (a person's full name, first row) on the same store in"
md "the same run, and the same ratio of CPU per request (less sensitive to a busy machine): ≤ 1.00× ✔ meets the target."
md "A text search (\`q=\` on the trigram indexes) counts exactly up to 300 matching cases and reports \"300+\" beyond"
md "(\`total_capped\`; it walks the matches in index order and stops there — docs/api/cases.md)."
md ""
md "| measurement | SQLite | vs prefix | PostgreSQL | vs prefix |"
md "|---|---:|---:|---:|---:|"
md "| load average (1/5/15 min) when the latencies were measured | $(w sqlite.load) | | $(w postgres.load) | |"
md "| \`zhixing import cases\` $N rows incl. the case_search fill, wall time (s) | $(w sqlite.import) | | $(w postgres.import) | |"
md "| **today's prefix search** \`party=\`: a person's full name (the reference) | $(w sqlite.old_person) | 1.00× | $(w postgres.old_person) | 1.00× |"
md "| today's prefix search \`party=\`: first 2 characters of a unit's name | $(w sqlite.old_unit) | $(vs sqlite old_unit) | $(w postgres.old_unit) | $(vs postgres old_unit) |"
md "| \`q=执352\`-style part of a 案号 (first query matches $(w sqlite.new_zhi.n) cases) | $(w sqlite.new_zhi) | $(vs sqlite new_zhi) | $(w postgres.new_zhi) | $(vs postgres new_zhi) |"
md "| \`q=352\`-style bare number (first query matches $(w sqlite.new_num.n)) | $(w sqlite.new_num) | $(vs sqlite new_num) | $(w postgres.new_num) | $(vs postgres new_num) |"
md "| \`q=\` 4 characters from the middle of a unit's name (first matches $(w sqlite.new_unit.n)) | $(w sqlite.new_unit) | $(vs sqlite new_unit) | $(w postgres.new_unit) | $(vs postgres new_unit) |"
md "| \`q=\` a person's full 3-character name, anywhere in a party name | $(w sqlite.new_person) | $(vs sqlite new_person) | $(w postgres.new_person) | $(vs postgres new_person) |"
md ""
