#!/usr/bin/env bash
# bench/run.sh — `make bench`: run every bench/NN-*.sh section in order and collect one markdown
# report in bench/out/report.md (also kept as bench/out/report-YYYYmmdd-HHMMSS.md) and print it.
#
# Writing a section (bench/20-cases.sh, bench/30-credit.sh …): it is sourced by bash in a subshell
# from the repository root, with `set -euo pipefail`, and these helpers:
#   md "text…"                       append a line to the report
#   wrk_compare "LABEL|URL|LUA" …    measure endpoints round-robin $BENCH_ROUNDS times with wrk ($WRK_ARGS,
#                                    default -t2 -c64 -d${BENCH_DURATION}s) after a 2 s warm-up each; append
#                                    one row per endpoint "| LABEL | req/s | p50 | p99 | ratio |" from its
#                                    median run, ratio to the first endpoint; sets WRK_RPS_1, WRK_RPS_2 …
#   wrk_row LABEL URL [LUA] [RAW]    the same for one endpoint (ratio to RAW req/s if given); sets WRK_RPS
#   table_head                       the header of that table
#   zx_serve                         init a fresh SQLite store with demo data and start bin/zhixing serve
#                                    on a free port: sets ZX_BASE, ZX_DB_FILE, ZX_PID (stopped on exit);
#                                    passwords as in tests/api/lib.mjs: $ZX_DEMO_PASSWORD, $ZX_SYSADMIN_PASSWORD …
#   zx_login USER PASSWORD           prints a session token
#   track PID                        stop this background process (SIGTERM) when the section ends
#   free_port                        prints a free TCP port
# Environment: BENCH_DURATION (seconds, default 10), BENCH_ROUNDS (default 3), BENCH_ONLY="10-platform 20-cases" to run a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export BENCH_DURATION=${BENCH_DURATION:-10}
export BENCH_ROUNDS=${BENCH_ROUNDS:-3}
export WRK_ARGS=${WRK_ARGS:-"-t2 -c64 -d${BENCH_DURATION}s"}
REPORT=$OUT/report.md
BENCH_TMP=$(mktemp -d /tmp/zx-bench.XXXXXX)
export BENCH_TMP OUT ROOT REPORT

export ZX_SYSADMIN_PASSWORD='Sys-Admin#2024t' ZX_SECADMIN_PASSWORD='Sec-Admin#2024t'
export ZX_AUDITOR_PASSWORD='Audit-Log#2024t' ZX_DEMO_PASSWORD='Demo-Pass#2024t'
# benchmarks log chiefs and administrators in with the password alone (second factor: src/account/totp.h)
export ZX_TOTP_REQUIRED=0

command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps-test)"; exit 1; }
[ -x bin/zhixing ] || make -s -j2 all

md() { printf '%s\n' "$*" >>"$REPORT"; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
table_head() { md "| endpoint | req/s | p50 | p99 | vs raw floor |"; md "|---|---:|---:|---:|---:|"; }
# to_ms "269.00us" → 0.269
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
# wrk_once URL [LUA] → "rps p50_ms p99_ms non2xx" (one wrk run with $WRK_ARGS; raw output kept)
wrk_once() {
    local url=$1 lua=${2:-} log s=()
    log=$BENCH_TMP/wrk-$RANDOM$RANDOM.txt
    [ -n "$lua" ] && s=(-s "$lua")
    # shellcheck disable=SC2086
    wrk $WRK_ARGS --latency "${s[@]}" "$url" >"$log" 2>&1
    { echo "### $url ${lua:+($lua)}"; cat "$log"; } >>"$OUT/wrk-raw-output.txt"
    printf '%s %s %s %s\n' "$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$log")" \
        "$(to_ms "$(awk '$1 == "50%" { print $2 }' "$log")")" "$(to_ms "$(awk '$1 == "99%" { print $2 }' "$log")")" \
        "$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$log")"
}
# wrk_row LABEL URL [LUA] [RAW_RPS] — one endpoint, one measurement (after a 2 s warm-up).
wrk_row() { wrk_compare "$@"; }
# wrk_compare "LABEL|URL|LUA" ... — measure the endpoints round-robin $BENCH_ROUNDS times (so a
# change in background load hits all of them alike), report each one's median run (by req/s) and
# its ratio to the FIRST endpoint (the floor). A single argument that is not "A|B|C" and extra args
# (LABEL URL [LUA] [RAW]) is the one-endpoint form of wrk_row. Sets WRK_RPS (last endpoint) and
# WRK_RPS_1.. (each endpoint, in order).
wrk_compare() {
    local specs=() raw=""
    if [[ "$1" != *"|"* ]]; then specs=("$1|$2|${3:-}"); raw=${4:-}; else specs=("$@"); fi
    local n=${#specs[@]} r i label url lua
    local -a results
    for ((i = 0; i < n; i++)); do
        IFS='|' read -r label url lua <<<"${specs[$i]}"
        local w=()
        [ -n "$lua" ] && w=(-s "$lua")
        wrk -t2 -c16 -d2s "${w[@]}" "$url" >/dev/null 2>&1 || true
        results[$i]=""
    done
    for ((r = 0; r < BENCH_ROUNDS; r++)); do
        for ((i = 0; i < n; i++)); do
            IFS='|' read -r label url lua <<<"${specs[$i]}"
            results[$i]+="$(wrk_once "$url" "$lua")"$'\n'
        done
    done
    local base=""
    for ((i = 0; i < n; i++)); do
        IFS='|' read -r label url lua <<<"${specs[$i]}"
        local med rps p50 p99 non2xx ratio="—" all
        all=$(printf '%s' "${results[$i]}" | awk 'NF { print $1 }' | sort -n | tr '\n' ' ')
        med=$(printf '%s' "${results[$i]}" | awk 'NF' | sort -n -k1,1 | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
        read -r rps p50 p99 non2xx <<<"$med"
        if [ -n "$raw" ]; then base=$raw; elif [ "$i" -eq 0 ] && [ "$n" -gt 1 ]; then base=$rps; fi
        if [ -n "$base" ] && [ "$base" -gt 0 ] && { [ "$i" -gt 0 ] || [ -n "$raw" ]; }; then
            ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.0f%%", 100 * a / b }')
        fi
        md "| $label | $rps | ${p50} ms | ${p99} ms | $ratio |"
        if [ -n "$non2xx" ]; then md ""; md "> **$label: $non2xx non-2xx responses — figures are not valid.**"; md ""; fi
        echo "bench: $label → median $rps req/s (runs: $all), p50 $p50 ms, p99 $p99 ms${non2xx:+, $non2xx NON-2xx}" >&2
        WRK_RPS=$rps
        printf -v "WRK_RPS_$((i + 1))" '%s' "$rps"
    done
}
ZX_PIDS=()
zx_serve() {
    local port dir
    port=$(free_port)
    dir=$(mktemp -d "$BENCH_TMP/store.XXXX")
    ZX_DB_FILE=$dir/zhixing.db
    bin/zhixing init --db "sqlite:$ZX_DB_FILE" --demo >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; return 1; }
    bin/zhixing serve --db "sqlite:$ZX_DB_FILE" --listen "127.0.0.1:$port" >"$OUT/server-$port.log" 2>&1 &
    ZX_PID=$!
    ZX_PIDS+=("$ZX_PID")
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 100); do
        curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$ZX_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: zhixing serve did not come up:"; tail -n 20 "$OUT/server-$port.log"; return 1
}
zx_login() {
    curl -fs -H 'content-type: application/json' \
        -d "$(printf '{"username":"%s","password":"%s"}' "$1" "$2")" "$ZX_BASE/api/v1/auth/login" |
        node -e 'let d = ""; process.stdin.on("data", (c) => d += c).on("end", () => console.log(JSON.parse(d).token))'
}


# Processes a section starts (zx_serve, or `track PID` for its own) end when the section ends.
track() { ZX_PIDS+=("$1"); }
stop_tracked() {
    local p
    for p in "${ZX_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${ZX_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap 'rm -rf "$BENCH_TMP"' EXIT

: >"$REPORT"
: >"$OUT/wrk-raw-output.txt"
md "# zhixing benchmarks — $(date '+%Y-%m-%d %H:%M %Z')"
md ""
md "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
md "- kernel: $(uname -srm); $(. /etc/os-release && echo "$PRETTY_NAME")"
md "- zhixing: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)'), built with $(cc --version | head -n1)"
md "- load average when the run started: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
md "- load: wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}') $WRK_ARGS --latency on the same machine (client and server share the cores); each figure is the median of $BENCH_ROUNDS runs taken round-robin across the endpoints of a table"
md ""

status=0
for s in bench/[0-9][0-9]-*.sh; do
    name=$(basename "$s" .sh)
    if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then continue; fi
    echo "bench: == $name" >&2
    if ! ( set -euo pipefail; ZX_PIDS=(); trap stop_tracked EXIT; . "$s" ); then
        md ""; md "> section $name failed"; md ""
        status=1
    fi
done

stamp=$(date +%Y%m%d-%H%M%S)
cp "$REPORT" "$OUT/report-$stamp.md"
echo
cat "$REPORT"
echo
echo "bench: report in bench/out/report.md (copy: bench/out/report-$stamp.md)"
exit $status
