# bench/70-command.sh — issue 14: the command center's dashboard for a province and the "3+1" for every
# court of the province in one request, on SQLite and PostgreSQL side by side. Sourced by bench/run.sh
# (helpers documented there).
#
#   COMMAND_N      cases generated straight into each store (default 200,000; the issue's province is
#                  COMMAND_N=10000000, see docs/BENCHMARKS.md)
#   COMMAND_GEN    bulk (default: bench/command/bulk.sh — one transaction, indexes and row triggers off during
#                  the load, search rows written set-based, roll-ups by `zhixing command rollup-rebuild` after) | triggers (the same rows
#                  through every trigger, as any writer — ~0.5 ms of CPU a case)
#   COMMAND_VERIFY cases (default 20,000) put through the triggers, then `zhixing command rollup-rebuild --check`:
#                  the set-based roll-up pass gives exactly the same rows; the cases deleted again (0 skips)
#   COMMAND_PET    petitions (default COMMAND_N / 50, at most 50,000 — the history import writes each one)
#   COMMAND_PG=0   skip PostgreSQL
#   COMMAND_REQS   requests per latency figure (default 100; the raw=1 comparison: COMMAND_RAW_REQS, 5)
#
# Steps per store: `zhixing init --demo` (incl. the command center's demo data) → the rest of the
# province's courts (辽02 … 辽14, 98 basic courts) → the roll-up check (COMMAND_VERIFY) → N cases generated
# in the store by ONE INSERT … SELECT (bench/command/gen_cases.sql: spread over the 98 courts and six
# years, ~70 % closed in every closure mode, deadlines, assets, 终本 gates), loaded in bulk (bulk.sh) →
# `zhixing import cases` of a petition CSV (bench/command/gen_petitions.py; the history import takes
# petitions) → serve → bench/cases/latency.mjs: sequential requests, one keep-alive client, the demo
# command-center user of 辽, p50 / p95 in ms; the same figures from the case rows (`raw=1`, what the
# server did before the roll-ups) side by side, in the same run.
N=${COMMAND_N:-200000}
NP=${COMMAND_PET:-$((N / 50 < 50000 ? N / 50 : 50000))}
GEN=${COMMAND_GEN:-bulk}
VERIFY_N=${COMMAND_VERIFY:-20000}
# shellcheck source=bench/command/bulk.sh
. bench/command/bulk.sh
REQS=${COMMAND_REQS:-100}
RAW_REQS=${COMMAND_RAW_REQS:-5}
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

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
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
Q_COLD_RAW="/api/v1/command/dashboard?court=$L&raw=1"
Q_ALL_RAW="/api/v1/indicators/courts?court=$L&scope=all&raw=1"

declare -A R
# CPU ticks spent by the generator so far: SQLite — the sqlite3 children this shell waited for; PostgreSQL —
# the backends of the bench's cluster that have exited (the postmaster's children), i.e. the load's psql session
gen_cpu() { # KIND SHELL_PID
    local f
    if [ "$1" = sqlite ]; then read -r -a f <"/proc/$2/stat"
    else read -r -a f <"/proc/$(head -n1 "$PGDIR/data/postmaster.pid")/stat"; fi
    echo $((f[15] + f[16]))
}
run_store() {
    local kind=$1 url=$2 port pid tok out t0 t1
    bin/zhixing init --db "$url" --demo >"$CT/init-$kind.log" 2>&1
    if [ "$kind" = sqlite ]; then sqlite3 "${url#sqlite:}" <"$CT/courts.sql"; else psql -q "$url" -f "$CT/courts.sql" >/dev/null; fi
    if [ "$VERIFY_N" != 0 ]; then
        R[$kind.verify]=$(bulk_verify "$kind" "$url" "$VERIFY_N") || { echo "bench 70: roll-up rebuild differs from the triggers on $kind: ${R[$kind.verify]}" >&2; exit 1; }
    fi
    t0=$(date +%s.%N)
    local c0 me=$BASHPID
    c0=$(gen_cpu "$kind" "$me")
    if [ "$GEN" = bulk ]; then
        bulk_load "$kind" "$url" "$N" || { echo "bench 70: bulk load failed on $kind" >&2; exit 1; }
    else
        gen_sql "$kind" "$N" | bulk_sql "$kind" "$url" >/dev/null || { echo "bench 70: generation failed on $kind" >&2; exit 1; }
    fi
    t1=$(date +%s.%N)
    R[$kind.import]=$(awk -v a="$t0" -v b="$t1" -v c0="$c0" -v c1="$(gen_cpu "$kind" "$me")" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.1f (CPU %.1f)", b - a, (c1 - c0) / hz }')
    bin/zhixing import cases --db "$url" "$CT/petitions.csv" >"$CT/import-pet-$kind.log" 2>&1
    R[$kind.import_pet]=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ "$kind" = postgres ]; then psql -q "$url" -c 'VACUUM ANALYZE enf_case' -c 'VACUUM ANALYZE petition' -c 'VACUUM ANALYZE cmd_rollup' -c 'VACUUM ANALYZE cmd_open_limit' >/dev/null; fi
    R[$kind.rollup_rows]=$(if [ "$kind" = sqlite ]; then sqlite3 "${url#sqlite:}" 'SELECT COUNT(*) FROM cmd_rollup'; else psql -At "$url" -c 'SELECT COUNT(*) FROM cmd_rollup'; fi)
    port=$(free_port)
    bin/zhixing serve --db "$url" --listen "127.0.0.1:$port" >"$OUT/server-command-$kind.log" 2>&1 &
    pid=$!
    track "$pid"
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 200); do curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    tok=$(zx_login demo_command_liao "$ZX_DEMO_PASSWORD")
    out=$CT/lat-$kind.jsonl
    LAT_CPU_PIDS=$pid node bench/cases/latency.mjs "$ZX_BASE" "$tok" "$REQS" "dash=$Q_DASH" "cold=$Q_COLD" "dash01=$Q_DASH01" "all=$Q_ALL" "cmp=$Q_CMP" \
        "ind=$Q_IND" "rank=$Q_RANK" "pet=$Q_PET" "xlsx=$Q_XLSX" >"$out"
    LAT_CPU_PIDS=$pid node bench/cases/latency.mjs "$ZX_BASE" "$tok" "$RAW_REQS" "cold_raw=$Q_COLD_RAW" "all_raw=$Q_ALL_RAW" >>"$out"
    local l
    while read -r l; do
        local label p50 p95 err
        label=$(node -e 'console.log(JSON.parse(process.argv[1]).label)' "$l")
        p50=$(node -e 'console.log(JSON.parse(process.argv[1]).p50)' "$l")
        p95=$(node -e 'console.log(JSON.parse(process.argv[1]).p95)' "$l")
        err=$(node -e 'const o = JSON.parse(process.argv[1]); console.log((o.cpu_ms !== null && o.cpu_ms !== undefined ? `, ${o.cpu_ms} CPU` : "") + (o.errors ? ` (${o.errors} errors, last status ${o.status})` : ""))' "$l")
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
md "Data: $N cases generated in each store (bench/command/gen_cases.sql; COMMAND_GEN=$GEN: bulk = bench/command/bulk.sh,"
md "one transaction, indexes and row triggers off during the load, the roll-ups rebuilt by one set-based pass) and $NP petitions"
md "(bench/command/gen_petitions.py, history import) over the 98 basic courts of 辽 plus the demo data. $PG_NOTE."
md "Load average at the start: $LOAD0; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (nproc = $(nproc); other work on the machine skews the wall times, not the CPU columns)."
md "Set-based roll-up pass (\`zhixing command rollup-rebuild --check\`) vs the triggers ($VERIFY_N cases more through the triggers, deleted again after; COMMAND_VERIFY=0 skips): SQLite $(v sqlite.verify); PostgreSQL $(v postgres.verify)."
md "Roll-up rows (cmd_rollup, courts × days and months × filing year): $(v sqlite.rollup_rows) (SQLite), $(v postgres.rollup_rows) (PostgreSQL)."
md "Latency: bench/cases/latency.mjs, $REQS sequential requests per row (one keep-alive client, demo command"
md "user of 辽), p50 / p95 in ms. Targets (issue 14): dashboard ≤ 300 ms p95; the \"3+1\" for every court of"
md "the province in one request ≤ 1 s. Each cell: p50 / p95, then the server's CPU ms per request (/proc, so the"
md "idle-machine figure can be projected). Scope: $(v sqlite.received) (SQLite)."
md ""
md "| measurement | target (issue 14) | SQLite | PostgreSQL |"
md "|---|---|---:|---:|"
md "| generate $N cases in the store ($GEN; wall s, CPU s of sqlite3 / of the PostgreSQL backend) / import $NP petitions (wall s) | — | $(v sqlite.import) / $(v sqlite.import_pet) | $(v postgres.import) / $(v postgres.import_pet) |"
md "| dashboard 辽 (province), as screens see it (30 s snapshot, src/command/dashboard.c) | p95 ≤ 300 ms | $(v sqlite.dash) | $(v postgres.dash) |"
md "| dashboard 辽 (province), computed every time (\`fresh=1\`: tiles, 3+1, tree) from the roll-ups | p95 ≤ 300 ms | $(v sqlite.cold) | $(v postgres.cold) |"
md "| … the same from the case rows (\`raw=1\`, before migration 046; $RAW_REQS requests) | — | $(v sqlite.cold_raw) | $(v postgres.cold_raw) |"
md "| dashboard 辽01 (city), computed every time | — | $(v sqlite.dash01) | $(v postgres.dash01) |"
md "| 3+1 for every court of the province, one request (\`indicators/courts?scope=all\`, $(v sqlite.courts) courts) | ≤ 1 s | $(v sqlite.all) | $(v postgres.all) |"
md "| … the same from the case rows (\`raw=1\`; $RAW_REQS requests) | — | $(v sqlite.all_raw) | $(v postgres.all_raw) |"
md "| 3+1 ranking list (\`command/lists/courts_3p1\`) | — | $(v sqlite.rank) | $(v postgres.rank) |"
md "| indicators/courts 辽 (14 中院 subtrees with the 3+1) | — | $(v sqlite.cmp) | $(v postgres.cmp) |"
md "| indicators 辽 + subordinates (incl. 3+1) | — | $(v sqlite.ind) | $(v postgres.ind) |"
md "| petition ledger of 辽0102 (open) | — | $(v sqlite.pet) | $(v postgres.pet) |"
md "| supervision ledger of 辽 as Excel | — | $(v sqlite.xlsx) | $(v postgres.xlsx) |"
md ""
