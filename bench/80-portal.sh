# bench/80-portal.sh — issue 15: (1) the party portal's case page for a signed-in party under load, p95
# against the issue's 50 ms target, beside the staff case page on the same case; (2) the notification
# outbox delivering PORTAL_MESSAGES (default 100,000) SMS to the simulated gateway with the server killed
# (kill -9) half-way and restarted: every message sent exactly once (the gateway's count of distinct
# messages, its count of resends, the outbox's statuses). Sourced by bench/run.sh (helpers there).
#   PORTAL_MESSAGES (default 100000), PORTAL_CONNS wrk connections (default 32), BENCH_DURATION.
M=${PORTAL_MESSAGES:-100000}
CONNS=${PORTAL_CONNS:-32}
PT=$BENCH_TMP/portal
mkdir -p "$PT"

md ""
md "## Party portal and node notifications (issue 15) — bench/80-portal.sh"
md ""
md "Machine: $(nproc) cores, shared; load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
md ""

# the simulated SMS gateway (and every other outside party)
SIM_PORT=$(free_port)
bin/zhixing-sim --listen "127.0.0.1:$SIM_PORT" --seed 1 >"$PT/sim.log" 2>&1 &
track $!
export ZX_SIM_URL=http://127.0.0.1:$SIM_PORT SIM_URL=http://127.0.0.1:$SIM_PORT
for _ in $(seq 50); do curl -fs "$SIM_URL/sim/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# ---- (1) the case page of a signed-in party ----
export ZX_PUBLIC_RATE_PER_MIN=1000000   # one client address plays every party here (the config's maximum)
zx_serve
eval "$(ZX_BASE=$ZX_BASE node bench/portal/session.mjs | sed 's/^/export PORTAL_/')"
wrk -t2 -c16 -d2s -s bench/portal/p95.lua "$ZX_BASE/api/v1/portal/party/case" >/dev/null 2>&1 || true
run_p95() { # LABEL URL HEADER → a table row
    local out
    out=$(PORTAL_HEADER="$3" wrk -t2 -c"$CONNS" -d"${BENCH_DURATION}s" -s bench/portal/p95.lua "$2" 2>&1 | grep '^RESULT')
    echo "bench: $1 $out" >&2
    local rps p50 p95 p99 bad
    rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$out"); p50=$(sed -E 's/.*p50=([0-9.]+).*/\1/' <<<"$out")
    p95=$(sed -E 's/.*p95=([0-9.]+).*/\1/' <<<"$out"); p99=$(sed -E 's/.*p99=([0-9.]+).*/\1/' <<<"$out")
    bad=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$out")
    md "| $1 | $rps | $p50 ms | **$p95 ms** | $p99 ms | $4 | $bad |"
}
md "| page ($CONNS connections, ${BENCH_DURATION} s) | req/s | p50 | p95 | p99 | target | non-2xx |"
md "|---|---:|---:|---:|---:|---|---:|"
run_p95 "party: GET /api/v1/portal/party/case (every view audited)" "$ZX_BASE/api/v1/portal/party/case" "Cookie: $PORTAL_COOKIE" "p95 ≤ 50 ms"
run_p95 "staff: GET /api/v1/cases/:id (same case, for comparison)" "$ZX_BASE/api/v1/cases/$PORTAL_CASE" "Authorization: Bearer $PORTAL_TOKEN" "—"
md ""
md "Load average after the page runs: $(cut -d' ' -f1-3 /proc/loadavg)."
kill -TERM "$ZX_PID"; wait "$ZX_PID" 2>/dev/null || true

# ---- (2) the outbox: M messages, kill -9 half-way, restart (PORTAL_MESSAGES=0 skips it) ----
[ "$M" -gt 0 ] || return 0
gw_before=$(curl -fs "$SIM_URL/sms/v1/messages?to=none" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>console.log(JSON.parse(d).total))')
OB=$PT/outbox.db
bin/zhixing init --db "sqlite:$OB" >"$PT/init-outbox.log" 2>&1
fill=$(bin/zhixing portal outbox-fill --db "sqlite:$OB" --count "$M" | tail -n1)
PORT=$(free_port)
serve_outbox() {
    bin/zhixing serve --db "sqlite:$OB" --listen "127.0.0.1:$PORT" >>"$OUT/server-outbox.log" 2>&1 &
    OPID=$!
    track "$OPID"
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
}
sent() { sqlite3 "$OB" "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent'"; }
t0=$(date +%s.%N)
serve_outbox
while [ "$(sent)" -lt $((M / 2)) ]; do sleep 0.2; done
kill -9 "$OPID"; wait "$OPID" 2>/dev/null || true
at_kill=$(sent)
serve_outbox
while [ "$(sent)" -lt "$M" ]; do
    [ "$(sqlite3 "$OB" "SELECT COUNT(*) FROM notify_outbox WHERE status <> 'sent'")" -eq 0 ] && break
    [ "$(sqlite3 "$OB" "SELECT COUNT(*) FROM notify_outbox WHERE status = 'failed'")" -gt 0 ] && break
    sleep 0.2
done
t1=$(date +%s.%N)
kill -TERM "$OPID"; wait "$OPID" 2>/dev/null || true
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
gw=$(curl -fs "$SIM_URL/sms/v1/messages?to=none")
gw_total=$(( $(node -e 'console.log(JSON.parse(process.argv[1]).total)' "$gw") - gw_before ))   # part (1) sent some too
gw_resent=$(node -e 'console.log(JSON.parse(process.argv[1]).resent)' "$gw")
st=$(sqlite3 "$OB" "SELECT status || ' ' || COUNT(*) FROM notify_outbox GROUP BY status" | tr '\n' ';')
distinct=$(sqlite3 "$OB" "SELECT COUNT(DISTINCT gateway_id) FROM notify_outbox WHERE status = 'sent'")
md "| outbox run | messages | seconds (incl. restart) | messages/s | sent at the kill | outbox statuses | SMS at the gateway (distinct) | resends answered without a 2nd SMS | distinct gateway ids |"
md "|---|---:|---:|---:|---:|---|---:|---:|---:|"
md "| 2,000 per pass, 256 in flight, one commit per pass; kill -9 half-way | $M | $secs | $(awk -v m="$M" -v s="$secs" 'BEGIN { printf "%.0f", m / s }') | $at_kill | $st | $gw_total | $gw_resent | $distinct |"
md ""
md "Fill: $fill. Target: every message delivered once — gateway total = $M, distinct gateway ids = $M, nothing queued or failed."
md "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
if [ "$gw_total" != "$M" ] || [ "$distinct" != "$M" ]; then md ""; md "> **outbox: lost or duplicated messages — see above.**"; exit 1; fi
