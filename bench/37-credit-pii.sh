# bench/37-credit-pii.sh — issue 10 item 11: the credit check with the credit ID numbers sealed
# (migration 042) against the credit check from before they were sealed — the issue's "no regression"
# target, measured side by side in one run. Sourced by bench/run.sh.
#
#   CPII_BEFORE_REV  the pre-sealing commit (default c6852a0); its tree is extracted with git archive
#                    and built once into bench/out/cpii-before-REV/ (reused by later runs)
#   CPII_BEFORE_BIN  use this zhixing binary instead (its tree's build/rel objects are used for the
#                    engine measure)
#   CPII_N           listed debtors per store (default 200,000; bench/30-credit.sh is the 10M run)
#   CPII_BULK_S      seconds per bulk CSV run (default 5)    CPII_ENGINE_S  per engine run (default 3)
#   (defaults keep the section near 3 minutes on an idle 2-core machine with BENCH_ROUNDS=3)
#
# Each binary generates its own store with the same generator and seed (`zhixing demo credit`), so the
# same IDs are listed in both; then, round-robin: single checks (wrk, bench/credit/check.lua), the bulk
# CSV stream (bench/credit/batch_client.c, 2 connections, 100k IDs per request; the server's CPU time
# per ID from /proc/PID/stat, which the load on a shared machine does not inflate the way it does wall
# time), and the engine alone (bench/credit/engine_bench.c of each tree, one thread: normalise + key +
# lookup). Target: after ≥ 1.0 × before on every line.
N=${CPII_N:-200000}
BULK_S=${CPII_BULK_S:-5}
ENGINE_S=${CPII_ENGINE_S:-3}
BEFORE_REV=${CPII_BEFORE_REV:-c6852a0}
CP=$BENCH_TMP/credit-pii
mkdir -p "$CP"
cc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -pthread -o "$OUT/batch_client" bench/credit/batch_client.c
md "## Credit check with sealed ID numbers (issue 10 item 11) — \`bench/37-credit-pii.sh\`"
md ""
if [ -z "${CPII_BEFORE_BIN:-}" ]; then
    bdir=$OUT/cpii-before-$BEFORE_REV
    if [ ! -x "$bdir/bin/zhixing" ] || [ ! -f "$bdir/.built" ]; then
        echo "bench 37: building $BEFORE_REV (pre-sealing) in $bdir …" >&2
        rm -rf "$bdir" && mkdir -p "$bdir"
        git archive "$BEFORE_REV" | tar -x -C "$bdir"
        if make -C "$bdir" -s -j"$(nproc)" bin/zhixing >"$bdir.build.log" 2>&1; then touch "$bdir/.built"
        else tail -n 20 "$bdir.build.log" >&2; fi
    fi
    [ -f "$bdir/.built" ] && CPII_BEFORE_BIN=$bdir/bin/zhixing
fi
serve_store() { # serve_store BIN DB → sets port, spid; waits until the snapshot is built
    port=$(free_port)
    ZX_ACCESS_LOG=0 "$1" serve --db "sqlite:$2" --threads 1 --listen "127.0.0.1:$port" >"$2.log" 2>&1 &
    spid=$!
    track $spid
    for _ in $(seq 1200); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
        kill -0 $spid 2>/dev/null || break
        sleep 0.1
    done
    tail -n 20 "$2.log"
    return 1
}
build_store() { # build_store BIN DIR → DIR/c.db, DIR/ids.txt, DIR/key
    mkdir -p "$2"
    "$1" init --db "sqlite:$2/c.db" >"$2/init.log" 2>&1
    local t0 t1
    t0=$(date +%s.%N)
    "$1" demo credit --db "sqlite:$2/c.db" --count "$N" --seed 11 --ids-out "$2/ids.txt" >"$2/gen.log" 2>&1
    t1=$(date +%s.%N)
    GEN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    "$1" partner add --db "sqlite:$2/c.db" --name bench --scopes "credit:check credit:bulk" 2>/dev/null |
        grep -o 'zxk_[0-9a-f]\{64\}' | head -n1 >"$2/key"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
engine_build() { # engine_build SRC_TREE NAME → $OUT/engine_bench_NAME
    # shellcheck disable=SC2046
    cc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-parameter -I"$1/src" -pthread \
        $(pkg-config --cflags jansson) -o "$OUT/engine_bench_$2" "$1/bench/credit/engine_bench.c" \
        $(find "$1/build/rel/src" -name '*.o' ! -name main.o) "$1/build/rel/gen/migrations.o" \
        $(pkg-config --libs $(sed -n 's/^PKGS *:= *//p' Makefile)) -lhpdf -lm
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r != "—" && r + 0 >= 0.995) ? "✅" : "❌" }'; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
sides=(after)
if [ -n "${CPII_BEFORE_BIN:-}" ] && [ -x "$CPII_BEFORE_BIN" ]; then
    sides=(before after)
    build_store "$CPII_BEFORE_BIN" "$CP/before"
    BEFORE_GEN=$GEN_S
    serve_store "$CPII_BEFORE_BIN" "$CP/before/c.db"
    BEFORE_PORT=$port BEFORE_PID=$spid
else
    md "> **No pre-sealing build ($BEFORE_REV did not build, see bench/out/cpii-before-$BEFORE_REV.build.log): only this build is measured.**"
    md ""
fi
build_store bin/zhixing "$CP/after"
AFTER_GEN=$GEN_S
serve_store bin/zhixing "$CP/after/c.db"
AFTER_PORT=$port AFTER_PID=$spid
side_port() { [ "$1" = before ] && echo "$BEFORE_PORT" || echo "$AFTER_PORT"; }
side_pid() { [ "$1" = before ] && echo "$BEFORE_PID" || echo "$AFTER_PID"; }

md "Before = \`$BEFORE_REV\` (ID numbers in clear, snapshot keyed by the ID's digits); after = this build (ID"
md "numbers sealed with SM4 and looked up in SQL by their HMAC-SM3 blind index; the in-memory snapshot"
md "keyed by AES-128 (AES-NI) of the packed ID under a key derived from the index key — a keyed bijection,"
md "core/pii_prp.h — computed from the numbers opened at build). $N listed debtors per store (SQLite, \`zhixing demo credit --seed 11\`: generated in"
md "${BEFORE_GEN:-–} s before / $AFTER_GEN s after), one event-loop thread per server, measured"
md "round-robin. Load average at the start: **$load0** (\`nproc\` = $(nproc)). **Target: after ≥ 1.0 × before on every line.**"
md ""

# single checks: each store has its own partner key, so measure round-robin by hand
export CREDIT_SAMPLE=100000 CREDIT_IDS=$CP/after/ids.txt CREDIT_KEY
declare -A RPS P99 SCPU BULK BCPU ENG ECPU BUILD
HZ=$(getconf CLK_TCK)
for ((r = 0; r < BENCH_ROUNDS; r++)); do
    for side in "${sides[@]}"; do
        pid=$(side_pid $side)
        c0=$(cpu_ticks "$pid")
        CREDIT_KEY=$(cat "$CP/$side/key") wrk_once "http://127.0.0.1:$(side_port $side)/api/v1/credit/check" \
            bench/credit/check.lua >"$CP/$side.wrk.$r"
        c1=$(cpu_ticks "$pid")
        read -r rps _ <"$CP/$side.wrk.$r"
        awk -v t=$((c1 - c0)) -v n="$rps" -v d="$BENCH_DURATION" -v hz="$HZ" \
            'BEGIN { if (n > 0) printf "%.1f\n", t / hz * 1e6 / (n * d); else print "—" }' >"$CP/$side.scpu.$r"
    done
done
for side in "${sides[@]}"; do
    med=$(cat "$CP/$side".wrk.* | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
    read -r rps _ p99 _ <<<"$med"
    RPS[$side]=$rps P99[$side]=$p99
    SCPU[$side]=$(sort -n "$CP/$side".scpu.* | head -n1)
done
# bulk CSV stream, round-robin, best of BENCH_ROUNDS by IDs/s; server CPU µs per ID of that run
for ((r = 0; r < BENCH_ROUNDS; r++)); do
    for side in "${sides[@]}"; do
        pid=$(side_pid $side)
        c0=$(cpu_ticks "$pid")
        read -r _ ids _ _ _ _ _ rate _ < <("$OUT/batch_client" 127.0.0.1 "$(side_port $side)" "$(cat "$CP/$side/key")" \
            "$CP/$side/ids.txt" csv 100000 2 "$BULK_S")
        c1=$(cpu_ticks "$pid")
        cpu=$(awk -v t=$((c1 - c0)) -v n="$ids" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "—" }')
        echo "bench 37: bulk $side run $r: $rate IDs/s, $cpu µs server CPU per ID" >&2
        if [ -z "${BULK[$side]:-}" ] || [ "${rate%.*}" -gt "${BULK[$side]%.*}" ]; then BULK[$side]=$rate; fi
        # CPU per ID: the lowest of the runs (wall rates swing with the load; CPU time much less)
        if [ "$cpu" != "—" ] && { [ -z "${BCPU[$side]:-}" ] || awk -v a="$cpu" -v b="${BCPU[$side]}" 'BEGIN { exit !(a < b) }'; }; then BCPU[$side]=$cpu; fi
    done
done
# engine alone (server processes stopped first: they would compete for the cores). Wall rate, and the
# rate per CPU-second: (CPU of a run with lookups − CPU of a build-only run) / lookups, from
# /usr/bin/time, so the shared machine's load does not decide the comparison.
stop_tracked
ZX_PIDS=()
engine_build "$PWD" after
[ "${sides[0]}" = before ] && engine_build "$(dirname "$(dirname "$CPII_BEFORE_BIN")")" before
for ((r = 0; r < BENCH_ROUNDS; r++)); do
    for side in "${sides[@]}"; do
        # engine_bench prints "entries E build_s B lookups L blocked K invalid I seconds S ids_per_s R"
        /usr/bin/time -f "%U %S" -o "$CP/time.out" "$OUT/engine_bench_$side" "sqlite:$CP/$side/c.db" \
            "$CP/$side/ids.txt" "$ENGINE_S" >"$CP/engine.out" 2>/dev/null
        read -r _ _ _ _ _ lk _ _ _ _ _ _ _ er <"$CP/engine.out"
        ec=$(awk '{ print $1 + $2 }' "$CP/time.out")
        /usr/bin/time -f "%U %S" -o "$CP/time.out" "$OUT/engine_bench_$side" "sqlite:$CP/$side/c.db" \
            "$CP/$side/ids.txt" 0 >"$CP/engine.out" 2>/dev/null
        read -r _ _ _ eb _ <"$CP/engine.out"
        e0=$(awk '{ print $1 + $2 }' "$CP/time.out")
        ecpu=$(awk -v a="$ec" -v b="$e0" -v n="$lk" 'BEGIN { if (a - b > 0.05) printf "%.0f", n / (a - b); else print "—" }')
        echo "bench 37: engine $side run $r: $er IDs/s wall, $ecpu IDs per CPU-second, build $eb s" >&2
        if [ -z "${ENG[$side]:-}" ] || [ "${er%.*}" -gt "${ENG[$side]%.*}" ]; then ENG[$side]=$er; fi
        if [ "$ecpu" != "—" ] && { [ -z "${ECPU[$side]:-}" ] || [ "$ecpu" -gt "${ECPU[$side]}" ]; }; then ECPU[$side]=$ecpu; fi
        BUILD[$side]="${BUILD[$side]:+${BUILD[$side]} / }$eb"
    done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

md "| measure | before ($BEFORE_REV) | after (this build) | after / before | target ≥ 1.0 × |"
md "|---|---:|---:|---:|:-:|"
row() { # row LABEL KEY_ARRAY_NAME UNIT
    local -n arr=$2
    local b=${arr[before]:-} a=${arr[after]:-} r
    r=$(ratio "${a:-0}" "${b:-0}")
    md "| $1 | ${b:-–}$3 | ${a:-–}$3 | $r | $(verdict "$r") |"
}
row "single check \`POST /credit/check\`, wrk $WRK_ARGS, median of $BENCH_ROUNDS (req/s)" RPS ""
md "| … p99 latency | ${P99[before]:-–} ms | ${P99[after]:-–} ms | | |"
md "| … server CPU per request (µs, /proc/PID/stat, best run; lower is better) | ${SCPU[before]:-–} | ${SCPU[after]:-–} | $(ratio "${SCPU[before]:-0}" "${SCPU[after]:-0}") (before/after) | $(verdict "$(ratio "${SCPU[before]:-0}" "${SCPU[after]:-0}")") |"
row "bulk CSV \`check-stream\`, 100k IDs per request, 2 connections, ${BULK_S} s, best of $BENCH_ROUNDS (IDs/s)" BULK ""
md "| … server CPU per ID (µs, /proc/PID/stat utime+stime = getrusage of the server, lowest run; lower is better) | ${BCPU[before]:-–} | ${BCPU[after]:-–} | $(ratio "${BCPU[before]:-0}" "${BCPU[after]:-0}") (before/after) | $(verdict "$(ratio "${BCPU[before]:-0}" "${BCPU[after]:-0}")") |"
row "engine alone, one thread, ${ENGINE_S} s, best of $BENCH_ROUNDS (IDs/s, wall)" ENG ""
row "… IDs per CPU-second (lookups ÷ CPU beyond a build-only run)" ECPU ""
md "| snapshot build of $N entries, each run (s) | ${BUILD[before]:-–} | ${BUILD[after]:-–} | | |"
md ""
md "Load average at the end: $load1. On a loaded machine the wall-clock rates swing with the other work;"
md "the CPU lines (per request, per ID, IDs per CPU-second) are the comparison that the load does not decide."
md ""
