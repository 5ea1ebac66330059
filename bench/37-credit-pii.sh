# bench/37-credit-pii.sh — issue 10 item 11 (sec10c): the credit check path before and after the ID
# numbers of the credit tables were sealed (migration 042): the snapshot is keyed by the blind index and
# every queried ID costs one HMAC-SM3. Sourced by bench/run.sh.
#
#   CPII_BEFORE_BIN  a zhixing binary from before migration 042 (its store holds ID numbers in clear);
#                    without it only this build is measured
#   CPII_N           listed debtors per store (default 300,000 — the shared machine; bench/30-credit.sh
#                    is the 10M run)
#
# Each binary generates its own store with the same generator and seed (`zhixing demo credit`), so the
# same IDs are listed in both; then, round-robin: single checks (wrk, bench/credit/check.lua), the bulk
# CSV stream (bench/credit/batch_client.c, 2 connections, 100k IDs per request), and the engine alone
# (bench/credit/engine_bench.c of each tree, one thread: normalise + key + lookup).
N=${CPII_N:-300000}
CP=$BENCH_TMP/credit-pii
mkdir -p "$CP"
cc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -pthread -o "$OUT/batch_client" bench/credit/batch_client.c
md "## Credit check with sealed ID numbers (issue 10 item 11, sec10c)"
md ""
serve_store() { # serve_store BIN DB → sets port; waits until the snapshot is built
    port=$(free_port)
    ZX_ACCESS_LOG=0 "$1" serve --db "sqlite:$2" --threads 1 --listen "127.0.0.1:$port" >"$2.log" 2>&1 &
    track $!
    local pid=$!
    for _ in $(seq 1200); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
        kill -0 $pid 2>/dev/null || break
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
engine() { # engine SRC_TREE DIR → "ids_per_s build_s"
    local src=$1 exe=$OUT/engine_bench_$(basename "$2")
    # shellcheck disable=SC2046
    cc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-parameter -I"$src/src" -pthread \
        $(pkg-config --cflags jansson) -o "$exe" "$src/bench/credit/engine_bench.c" \
        $(find "$src/build/rel/src" -name '*.o' ! -name main.o) "$src/build/rel/gen/migrations.o" \
        $(pkg-config --libs libh2o-evloop jansson sqlite3 libpq libcrypto libssl libcurl opencc xlsxwriter lunar-date-3.0 glib-2.0 gobject-2.0 liboath libqrencode zlib) -lhpdf -lm
    "$exe" "sqlite:$2/c.db" "$2/ids.txt" 5 | awk '{ print $NF, $4 }'
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
if [ -n "${CPII_BEFORE_BIN:-}" ] && [ -x "$CPII_BEFORE_BIN" ]; then
    build_store "$CPII_BEFORE_BIN" "$CP/before"
    BEFORE_GEN=$GEN_S
    serve_store "$CPII_BEFORE_BIN" "$CP/before/c.db"
    BEFORE_PORT=$port
    rows+=("before: clear ID numbers|http://127.0.0.1:$BEFORE_PORT/api/v1/credit/check|bench/credit/check.lua")
fi
build_store bin/zhixing "$CP/after"
AFTER_GEN=$GEN_S
serve_store bin/zhixing "$CP/after/c.db"
AFTER_PORT=$port
rows+=("after: sealed + blind index|http://127.0.0.1:$AFTER_PORT/api/v1/credit/check|bench/credit/check.lua")
md "$N listed debtors per store (SQLite, \`zhixing demo credit --seed 11\`: generated in ${BEFORE_GEN:-–} s before / ${AFTER_GEN} s after), one event-loop thread per server, load average at the start $load0 (shared 2-core machine: read the ratios)."
md ""
md "Single checks (\`POST /api/v1/credit/check\`, half listed, half unlisted IDs), wrk $WRK_ARGS, median of $BENCH_ROUNDS round-robin runs:"
md ""
table_head
export CREDIT_SAMPLE=100000
# check.lua reads CREDIT_KEY / CREDIT_IDS per server: the same IDs are listed in both stores (same seed)
export CREDIT_IDS=$CP/after/ids.txt CREDIT_KEY
CREDIT_KEY=$(cat "$CP/after/key")
if [ -n "${BEFORE_PORT:-}" ]; then
    # both stores were given the same partner key name but different keys: a key the other store does
    # not know answers 401; so measure each with its own key, round-robin by hand
    for ((r = 0; r < BENCH_ROUNDS; r++)); do
        for side in before after; do
            p=$([ $side = before ] && echo "$BEFORE_PORT" || echo "$AFTER_PORT")
            CREDIT_KEY=$(cat "$CP/$side/key") wrk_once "http://127.0.0.1:$p/api/v1/credit/check" bench/credit/check.lua >"$CP/$side.wrk.$r"
        done
    done
    for side in before after; do
        med=$(cat "$CP/$side".wrk.* | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
        read -r rps p50 p99 _ <<<"$med"
        md "| $side | $rps | $p50 ms | $p99 ms | |"
    done
else
    wrk_compare "${rows[@]}"
fi
md ""
md "| bulk CSV \`check-stream\`, 100k IDs per request, 2 connections, 8 s | IDs/s | request p50 | request p99 |"
md "|---|---:|---:|---:|"
for side in before after; do
    [ -f "$CP/$side/key" ] || continue
    p=$([ $side = before ] && echo "${BEFORE_PORT:-}" || echo "$AFTER_PORT")
    read -r _ _ _ _ _ _ _ rate _ _ _ bp50 _ bp99 < <("$OUT/batch_client" 127.0.0.1 "$p" "$(cat "$CP/$side/key")" "$CP/$side/ids.txt" csv 100000 2 8)
    md "| $side | $rate | $bp50 | $bp99 |"
done
md ""
md "| engine alone (engine_bench.c, one thread, 5 s) | IDs/s | snapshot build (s) |"
md "|---|---:|---:|"
if [ -n "${CPII_BEFORE_BIN:-}" ]; then
    read -r er eb < <(engine "$(dirname "$(dirname "$CPII_BEFORE_BIN")")" "$CP/before")
    md "| before: 17-digit body as key, no HMAC | $er | $eb |"
fi
read -r er eb < <(engine "$PWD" "$CP/after")
md "| after: blind index (one HMAC-SM3 per ID) as key | $er | $eb |"
md ""
