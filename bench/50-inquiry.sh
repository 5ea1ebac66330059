# bench/50-inquiry.sh — issue 12: network asset inquiries dispatched to 50 simulated institutions
# answering in 100–300 ms (bin/zhixing-sim), every request and answer persisted in the store, by the
# real dispatcher (one thread, libcurl multi, signed batches, group commit) side by side with a plain
# worker pool (T threads, one blocking request at a time, same store). Sourced by bench/run.sh.
#
#   INQ_DEBTORS        debtors for the dispatcher run (× 10 kinds = inquiries); default 5000 (50,000
#                      inquiries, CI-friendly). The issue's full run: INQ_DEBTORS=100000 (1,000,000).
#   INQ_POOL_DEBTORS   debtors for the worker-pool run (default 500); INQ_POOL_THREADS (64);
#                      INQ_POOL_SECONDS time cap of the pool run (default 60)
#   INQ_LATENCY        simulated answer time (default 100-300 ms)
# Store: SQLite (synchronous=FULL, WAL), as `make run` uses.
N=${INQ_DEBTORS:-5000}
PN=${INQ_POOL_DEBTORS:-500}
PT=${INQ_POOL_THREADS:-64}
PS=${INQ_POOL_SECONDS:-60}
LAT=${INQ_LATENCY:-100-300}
IT=$BENCH_TMP/inquiry
mkdir -p "$IT"

sim_port=$(free_port)
bin/zhixing-sim --listen "127.0.0.1:$sim_port" --opt "inst.latency_ms=$LAT" >"$IT/sim.log" 2>&1 &
track $!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$sim_port/sim/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
SIM=http://127.0.0.1:$sim_port

# one store for both runs: the simulated institutions pin the court's key at first contact
url=sqlite:$IT/inquiry.db
bin/zhixing init --db "$url" >"$IT/init.log" 2>&1
run() { # run MODE DEBTORS [ARGS…] → the JSON line (each run starts from an empty outbox)
    local mode=$1 n=$2
    shift 2
    bin/zhixing inquiry bench --db "$url" --sim "$SIM" --mode "$mode" --debtors "$n" "$@" 2>"$IT/$mode.log" | tail -n1
}
MULTI=$(run multi "$N")
POOL=$(run pool "$PN" --threads "$PT" --seconds "$PS")
echo "$MULTI" >"$OUT/inquiry-multi.json"
echo "$POOL" >"$OUT/inquiry-pool.json"
j() { node -e 'const o = JSON.parse(process.argv[1]); const v = process.argv[2].split(".").reduce((a, k) => a[k], o); console.log(typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(1)) : v)' "$1" "$2"; }
MR=$(j "$MULTI" rate_per_s)
PR=$(j "$POOL" rate_per_s)
RATIO=$(awk -v a="$MR" -v b="$PR" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')

md "## Network asset inquiry (issue 12)"
md ""
md "50 simulated institutions (10 kinds × 5, bin/zhixing-sim) answering in $LAT ms; each inquiry = one"
md "signed protocol request for one debtor at one institution; every request and answer persisted"
md "(outbox row claimed → sent → answer with its SM2 signature, assets upserted). Store: SQLite."
md ""
md "| | inquiries | done | wall s | inquiries/s | peak RSS MB |"
md "|---|---:|---:|---:|---:|---:|"
md "| dispatcher: 1 thread, libcurl multi, batches of 100, 16 in flight per institution | $(j "$MULTI" inquiries) | $(j "$MULTI" done) | $(j "$MULTI" run_s) | $MR | $(j "$MULTI" peak_rss_mb) |"
md "| plain pool: $PT threads, one blocking request each | $(j "$POOL" inquiries) | $(j "$POOL" done) | $(j "$POOL" run_s) | $PR | $(j "$POOL" peak_rss_mb) |"
md ""
md "Ratio dispatcher / pool: **${RATIO}×**. Where the dispatcher's time went (ms, one thread): claim $(j "$MULTI" profile.claim_ms),"
md "build+sign $(j "$MULTI" profile.build_sign_ms), verify $(j "$MULTI" profile.verify_ms), apply $(j "$MULTI" profile.apply_ms)"
md "($(j "$MULTI" profile.http_batches) HTTP batches). Pool threads' summed time: claim $(j "$POOL" profile.claim_ms), apply $(j "$POOL" profile.apply_ms)"
md "(waiting for the single SQLite writer, one fsync per answer)."
md ""
