# bench/70-command.sh — issue 14: the command center's dashboard for a province and the "3+1" for every
# court of the province in one request, on SQLite and PostgreSQL side by side. Sourced by bench/run.sh
# (helpers documented there).
#
#   COMMAND_N      cases to generate and import (default 200,000 — sized for a shared 2-core machine;
#                  the issue's full run is COMMAND_N=10000000, see docs/BENCHMARKS.md)
#   COMMAND_PET    petitions (default COMMAND_N / 50)
#   COMMAND_PG=0   skip PostgreSQL
#   COMMAND_REQS   requests per latency figure (default 100)
#
# Steps per store: `zhixing init --demo` (incl. the command center's demo data) → the rest of the
# province's courts (辽02 … 辽14, 98 basic courts; same SQL as bench/20-cases.sh) → `zhixing import
# cases` of bench/cases/gen_csv.py's CSV and of a petition CSV (bench/command/gen_petitions.py; the
# history import takes petitions) → serve → bench/cases/latency.mjs: sequential requests, one
# keep-alive client, the demo command-center user of 辽, p50 / p95 in ms.
N=${COMMAND_N:-200000}
NP=${COMMAND_PET:-$((N / 50))}
REQS=${COMMAND_REQS:-100}
CT=$BENCH_TMP/command
mkdir -p "$CT"

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

t0=$(date +%s.%N)
python3 bench/cases/gen_csv.py "$N" 20240614 "$CT/courts.txt" >"$CT/cases.csv"
python3 bench/command/gen_petitions.py "$NP" 1414 "$CT/courts.txt" >"$CT/petitions.csv"
GEN_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
enc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
L=$(enc 辽)
Q_DASH="/api/v1/command/dashboard?court=$L"
Q_DASH01="/api/v1/command/dashboard?court=$(enc 辽01)&fresh=1"
Q_COLD="/api/v1/command/dashboard?court=$L&fresh=1"
Q_ALL="/api/v1/indicators/courts?court=$L&scope=all"
Q_CMP="/api/v1/indicators/courts?court=$L"
Q_IND="/api/v1/indicators?court=$L&subordinates=1"
Q_RANK="/api/v1/command/lists/courts_3p1?court=$L"
Q_PET="/api/v1/command/lists/petitions?court=$(enc 辽0102)&status=open"
Q_XLSX="/api/v1/command/lists/supervision?court=$L&format=xlsx"

declare -A R
run_store() {
    local kind=$1 url=$2 port pid tok out t0 t1
    bin/zhixing init --db "$url" --demo >"$CT/init-$kind.log" 2>&1
    if [ "$kind" = sqlite ]; then sqlite3 "${url#sqlite:}" <"$CT/courts.sql"; else psql -q "$url" -f "$CT/courts.sql" >/dev/null; fi
    t0=$(date +%s.%N)
    bin/zhixing import cases --db "$url" "$CT/cases.csv" >"$CT/import-$kind.log" 2>&1
    t1=$(date +%s.%N)
    R[$kind.import]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    bin/zhixing import cases --db "$url" "$CT/petitions.csv" >"$CT/import-pet-$kind.log" 2>&1
    R[$kind.import_pet]=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ "$kind" = postgres ]; then psql -q "$url" -c 'VACUUM ANALYZE enf_case' -c 'VACUUM ANALYZE petition' >/dev/null; fi
    port=$(free_port)
    bin/zhixing serve --db "$url" --listen "127.0.0.1:$port" >"$OUT/server-command-$kind.log" 2>&1 &
    pid=$!
    track "$pid"
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 200); do curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    tok=$(zx_login demo_command_liao "$ZX_DEMO_PASSWORD")
    out=$CT/lat-$kind.jsonl
    node bench/cases/latency.mjs "$ZX_BASE" "$tok" "$REQS" "dash=$Q_DASH" "cold=$Q_COLD" "dash01=$Q_DASH01" "all=$Q_ALL" "cmp=$Q_CMP" \
        "ind=$Q_IND" "rank=$Q_RANK" "pet=$Q_PET" "xlsx=$Q_XLSX" >"$out"
    local l
    while read -r l; do
        local label p50 p95 err
        label=$(node -e 'console.log(JSON.parse(process.argv[1]).label)' "$l")
        p50=$(node -e 'console.log(JSON.parse(process.argv[1]).p50)' "$l")
        p95=$(node -e 'console.log(JSON.parse(process.argv[1]).p95)' "$l")
        err=$(node -e 'const o = JSON.parse(process.argv[1]); console.log(o.errors ? ` (${o.errors} errors, last status ${o.status})` : "")' "$l")
        R[$kind.$label]="$p50 / $p95${err}"
    done <"$out"
    R[$kind.courts]=$(curl -fs -H "authorization: Bearer $tok" "$ZX_BASE$Q_ALL" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const o=JSON.parse(d);console.log(o.courts.length)})')
    R[$kind.received]=$(curl -fs -H "authorization: Bearer $tok" "$ZX_BASE$Q_DASH" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const o=JSON.parse(d);console.log(`${o.indicators.received} received this year, ${o.indicators.three_year_received} filed in three years, ${o.indicators.petitions_to_handle} petitions to handle`)})')
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

run_store sqlite "sqlite:$CT/command.db"
PG_NOTE="not run (COMMAND_PG=0)"
if [ "${COMMAND_PG:-1}" != 0 ]; then
    PGDIR=$(mktemp -d /tmp/zx-bench-pg.XXXXXX)
    chmod 755 "$PGDIR"
    PGURL=$(sh scripts/pg-temp.sh start "$PGDIR" | tail -n1)
    run_store postgres "$PGURL"
    PG_NOTE="PostgreSQL $(psql -tAc 'SHOW server_version' "$PGURL") (scripts/pg-temp.sh, default settings)"
    sh scripts/pg-temp.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
fi
v() { echo "${R[$1]:-—}"; }

md "## Command center (issue 14)"
md ""
md "Data: $N cases (bench/cases/gen_csv.py, seed 20240614) and $NP petitions (bench/command/gen_petitions.py)"
md "over the 98 basic courts of 辽 plus the demo data; $GEN_S s to generate. $PG_NOTE."
md "Latency: bench/cases/latency.mjs, $REQS sequential requests per row (one keep-alive client, demo command"
md "user of 辽), p50 / p95 in ms. Targets (issue 14): dashboard ≤ 300 ms p95; the \"3+1\" for every court of"
md "the province in one request ≤ 1 s. Scope: $(v sqlite.received) (SQLite)."
md ""
md "| measurement | SQLite | PostgreSQL |"
md "|---|---:|---:|"
md "| import $N cases / $NP petitions (s) | $(v sqlite.import) / $(v sqlite.import_pet) | $(v postgres.import) / $(v postgres.import_pet) |"
md "| dashboard 辽 (province), as screens see it (30 s snapshot, src/command/dashboard.c) | $(v sqlite.dash) | $(v postgres.dash) |"
md "| dashboard 辽 (province), computed every time (\`fresh=1\`: tiles, 3+1, tree) | $(v sqlite.cold) | $(v postgres.cold) |"
md "| dashboard 辽01 (city), computed every time | $(v sqlite.dash01) | $(v postgres.dash01) |"
md "| 3+1 for every court of the province, one request (\`indicators/courts?scope=all\`, $(v sqlite.courts) courts) | $(v sqlite.all) | $(v postgres.all) |"
md "| 3+1 ranking list (\`command/lists/courts_3p1\`) | $(v sqlite.rank) | $(v postgres.rank) |"
md "| indicators/courts 辽 (14 中院 subtrees with the 3+1) | $(v sqlite.cmp) | $(v postgres.cmp) |"
md "| indicators 辽 + subordinates (incl. 3+1) | $(v sqlite.ind) | $(v postgres.ind) |"
md "| petition ledger of 辽0102 (open) | $(v sqlite.pet) | $(v postgres.pet) |"
md "| supervision ledger of 辽 as Excel | $(v sqlite.xlsx) | $(v postgres.xlsx) |"
md ""
