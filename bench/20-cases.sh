# bench/20-cases.sh — issue 4: history import of 1M cases, 质效指标 for a province over 1M cases, and
# case search over 1M cases, on SQLite and PostgreSQL side by side. Sourced by bench/run.sh (helpers
# documented there).
#
#   CASES_N      rows to generate and import (default 1,000,000)
#   CASES_PG=0   skip PostgreSQL
#   CASES_REQS   requests per latency figure (default 200)
#
# Steps per store: `zhixing init --demo` → add the rest of a province's courts (辽02 … 辽14 and their
# basic courts: 7 per intermediate court, 104 basic courts in all) → `zhixing import cases` of a
# deterministic CSV (bench/cases/gen_csv.py: valid 案号, IDs, credit codes, every 结案方式, six years of
# filings) timed end to end → serve → latency of GET /api/v1/indicators (+ trend, courts) for 辽 with
# subordinates and of GET /api/v1/cases searches (bench/cases/latency.mjs: sequential requests, one
# keep-alive client; p50/p95/p99).
N=${CASES_N:-1000000}
REQS=${CASES_REQS:-200}
# measured as the demo chief of 辽 (sees every court below); no second factor for a benchmark login
export ZX_TOTP_REQUIRED=0
CT=$BENCH_TMP/cases
mkdir -p "$CT"

# ---- the province's courts (SQL for both stores) and the basic courts the CSV spreads cases over
CITIES=(沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛)
{
    for i in $(seq 1 14); do
        mid=$(printf '辽%02d' "$i")
        city=${CITIES[$((i - 1))]}
        mid_id=$((7100000000 + i * 100))
        if [ "$i" != 1 ] && [ "$i" != 11 ]; then
            echo "INSERT INTO court (id, code, name, level, parent_id) SELECT $mid_id, '$mid', '${city}市中级人民法院', 3, id FROM court WHERE code = '辽';"
        fi
        for j in $(seq 2 8); do
            code=$(printf '辽%02d%02d' "$i" "$j")
            echo "INSERT INTO court (id, code, name, level, parent_id) SELECT $((mid_id + j)), '$code', '${city}市第${j}基层人民法院', 4, id FROM court c WHERE c.code = '$mid' AND NOT EXISTS (SELECT 1 FROM court WHERE code = '$code');"
        done
    done
} >"$CT/courts.sql"
for i in $(seq 1 14); do for j in $(seq 2 8); do printf '辽%02d%02d\n' "$i" "$j"; done; done >"$CT/courts.txt"

CSV=$CT/cases.csv
t0=$(date +%s.%N)
python3 bench/cases/gen_csv.py "$N" 20240601 "$CT/courts.txt" >"$CSV"
GEN_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
YEAR=$(date +%Y)
PREV=$((YEAR - 1))
# search inputs taken from the file (deterministic): case numbers, debtor names and ID numbers
awk -F, 'NR > 1 && NR % 9973 == 0 { print $1 }' "$CSV" | head -n 50 >"$CT/case_nos.txt"
awk -F, 'NR > 1 && NR % 7919 == 0 && length($14) == 18 { print $14 }' "$CSV" | head -n 50 >"$CT/ids.txt"
awk -F, 'NR > 1 && NR % 6007 == 0 { print $13 }' "$CSV" | head -n 50 >"$CT/names.txt"
urlenc() { node -e 'for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) console.log(encodeURIComponent(l))'; }
join_alts() { paste -sd'|' - | sed 's/|/||/g'; }
Q_CASENO=$(urlenc <"$CT/case_nos.txt" | sed 's|^|/api/v1/cases?court=辽\&subordinates=1\&case_no=|' | join_alts)
Q_ID=$(urlenc <"$CT/ids.txt" | sed 's|^|/api/v1/cases?court=辽\&subordinates=1\&id_number=|' | join_alts)
Q_NAME=$(urlenc <"$CT/names.txt" | sed 's|^|/api/v1/cases?court=辽\&subordinates=1\&party=|' | join_alts)
Q_PREFIX=$(sed 's/号$//; s/[0-9]$//' "$CT/case_nos.txt" | urlenc | sed 's|^|/api/v1/cases?court=辽\&subordinates=1\&q=|' | join_alts)
Q_OPEN="/api/v1/cases?court=$(printf '辽0102' | urlenc)&status=open"
Q_RANGE="/api/v1/cases?court=$(printf '辽' | urlenc)&subordinates=1&filed_from=$PREV-03-01&filed_to=$PREV-03-31&page=3"

IND_Y="/api/v1/indicators?court=$(printf '辽' | urlenc)&subordinates=1&from=$PREV-01-01&to=$PREV-12-31"
IND_YTD="/api/v1/indicators?court=$(printf '辽' | urlenc)&subordinates=1&from=$YEAR-01-01&to=$(date +%F)"
IND_ALL="/api/v1/indicators?court=$(printf '辽' | urlenc)&subordinates=1&from=2000-01-01&to=$(date +%F)"
IND_BASIC="/api/v1/indicators?court=$(printf '辽0102' | urlenc)&from=$PREV-01-01&to=$PREV-12-31"
IND_TREND="/api/v1/indicators/trend?court=$(printf '辽' | urlenc)&subordinates=1&from=$PREV-01-01&to=$PREV-12-31"
IND_COURTS="/api/v1/indicators/courts?court=$(printf '辽' | urlenc)&from=$PREV-01-01&to=$PREV-12-31"

declare -A R
# run_store KIND URL — fills R[KIND.*]
run_store() {
    local kind=$1 url=$2 port pid tok out
    bin/zhixing init --db "$url" --demo >"$CT/init-$kind.log" 2>&1
    if [ "$kind" = sqlite ]; then sqlite3 "${url#sqlite:}" <"$CT/courts.sql"; else psql -q "$url" -f "$CT/courts.sql" >/dev/null; fi
    local t0 t1
    t0=$(date +%s.%N)
    bin/zhixing import cases --db "$url" "$CSV" >"$CT/import-$kind.log" 2>&1
    t1=$(date +%s.%N)
    R[$kind.import]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    R[$kind.import_detail]=$(grep -o '校验 [0-9]* ms，写入 [0-9]* ms' "$CT/import-$kind.log" | sed 's/校验 /validate /; s/，写入 / + write /')
    if [ "$kind" = postgres ]; then psql -q "$url" -c 'VACUUM ANALYZE enf_case' -c 'VACUUM ANALYZE case_party' >/dev/null; fi
    port=$(free_port)
    bin/zhixing serve --db "$url" --listen "127.0.0.1:$port" >"$OUT/server-cases-$kind.log" 2>&1 &
    pid=$!
    track "$pid"
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 200); do curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    tok=$(zx_login demo_chief_liao "$ZX_DEMO_PASSWORD")
    out=$CT/lat-$kind.jsonl
    node bench/cases/latency.mjs "$ZX_BASE" "$tok" "$REQS" \
        "ind_year=$IND_Y" "ind_ytd=$IND_YTD" "ind_all=$IND_ALL" "ind_basic=$IND_BASIC" \
        "ind_trend=$IND_TREND" "ind_courts=$IND_COURTS" \
        "s_caseno=$Q_CASENO" "s_id=$Q_ID" "s_name=$Q_NAME" "s_prefix=$Q_PREFIX" "s_open=$Q_OPEN" "s_range=$Q_RANGE" >"$out"
    local l
    while read -r l; do
        local label p50 p95 err st
        label=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.label)' "$l")
        p50=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.p50)' "$l")
        p95=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.p95)' "$l")
        err=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.errors ? ` (${o.errors} errors, last status ${o.status})` : "")' "$l")
        R[$kind.$label]="$p50 / $p95${err}"
    done <"$out"
    R[$kind.received]=$(curl -fs -H "authorization: Bearer $tok" "$ZX_BASE$IND_Y" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const o=JSON.parse(d);console.log(`${o.received} received, ${o.closed} closed`)})')
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

run_store sqlite "sqlite:$CT/cases.db"
SQLITE_SIZE=$(du -h "$CT/cases.db" | cut -f1)
PG_NOTE="not run (CASES_PG=0)"
if [ "${CASES_PG:-1}" != 0 ]; then
    PGDIR=$(mktemp -d /tmp/zx-bench-pg.XXXXXX)
    chmod 755 "$PGDIR"
    PGURL=$(sh scripts/pg-temp.sh start "$PGDIR" | tail -n1)
    run_store postgres "$PGURL"
    # the same import with --rebuild-indexes (opt-in on PostgreSQL) into a second database
    psql -q "$PGURL" -c 'CREATE DATABASE zx_rebuild' >/dev/null
    RBURL=$(node -e 'const u = process.argv[1]; const i = u.indexOf("://") + 3, s = u.indexOf("/", i), q = u.indexOf("?", s);
        console.log(u.slice(0, s) + "/zx_rebuild" + (q >= 0 ? u.slice(q) : ""))' "$PGURL")
    bin/zhixing init --db "$RBURL" --demo >"$CT/init-rebuild.log" 2>&1
    psql -q "$RBURL" -f "$CT/courts.sql" >/dev/null
    t0=$(date +%s.%N)
    bin/zhixing import cases --db "$RBURL" --rebuild-indexes "$CSV" >"$CT/import-rebuild.log" 2>&1
    R[postgres.rebuild]=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    R[postgres.rebuild_detail]=$(grep -o '校验 [0-9]* ms，写入 [0-9]* ms' "$CT/import-rebuild.log" | sed 's/校验 /validate /; s/，写入 / + write /')
    PG_NOTE="PostgreSQL $(psql -tAc 'SHOW server_version' "$PGURL") (scripts/pg-temp.sh, default settings)"
    sh scripts/pg-temp.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
fi
v() { echo "${R[$1]:-—}"; }

md "## Case flow (issue 4)"
md ""
md "Data: $N cases from \`bench/cases/gen_csv.py\` (seed 20240601; $GEN_S s to generate), spread over the 98 basic courts of"
md "辽 (the demo courts plus 辽02…辽14 with 7 basic courts each, added for the run), six years of filings,"
md "every 结案方式; plus the demo data. SQLite store after import: $SQLITE_SIZE. $PG_NOTE."
md "Latency: \`bench/cases/latency.mjs\`, $REQS sequential requests per row over HTTP (one keep-alive client, demo"
md "chief of 辽), p50 / p95 in ms. Targets (issue 4): import ≤ 60 s on SQLite; indicators for a province ≤ 500 ms;"
md "case search p95 ≤ 50 ms."
md ""
md "| measurement | SQLite | PostgreSQL |"
md "|---|---:|---:|"
md "| \`zhixing import cases\` $N rows, wall time (s) | $(v sqlite.import) | $(v postgres.import) |"
md "| … of which | $(v sqlite.import_detail) | $(v postgres.import_detail) |"
md "| … with \`--rebuild-indexes\` (s; always on for SQLite) | — | $(v postgres.rebuild) ($(v postgres.rebuild_detail)) |"
md "| indicators 辽 + subordinates, year $PREV ($(v sqlite.received)) | $(v sqlite.ind_year) | $(v postgres.ind_year) |"
md "| indicators 辽 + subordinates, $YEAR to date | $(v sqlite.ind_ytd) | $(v postgres.ind_ytd) |"
md "| indicators 辽 + subordinates, 2000-01-01 to today (every case) | $(v sqlite.ind_all) | $(v postgres.ind_all) |"
md "| indicators 辽0102 alone, year $PREV | $(v sqlite.ind_basic) | $(v postgres.ind_basic) |"
md "| indicators trend (12 months), 辽 + subordinates | $(v sqlite.ind_trend) | $(v postgres.ind_trend) |"
md "| indicators courts comparison (14 中院 subtrees) | $(v sqlite.ind_courts) | $(v postgres.ind_courts) |"
md "| search: exact 案号 (province) | $(v sqlite.s_caseno) | $(v postgres.s_caseno) |"
md "| search: debtor ID number (province) | $(v sqlite.s_id) | $(v postgres.s_id) |"
md "| search: party name prefix (province) | $(v sqlite.s_name) | $(v postgres.s_name) |"
md "| search: 案号 prefix \`q=\` (province) | $(v sqlite.s_prefix) | $(v postgres.s_prefix) |"
md "| search: open cases of 辽0102 | $(v sqlite.s_open) | $(v postgres.s_open) |"
md "| search: filed in one month, province, page 3 | $(v sqlite.s_range) | $(v postgres.s_range) |"
md ""
