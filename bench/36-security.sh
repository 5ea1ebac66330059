# bench/36-security.sh — issue 10 (sec10a): what the security changes cost. Sourced by bench/run.sh.
#
#   SEC_BASE_BIN     a zhixing binary from before the changes (e.g. built from the commit before
#                    "credit check (issue 10 item 4)"): single credit checks are measured with both,
#                    round-robin against copies of the same store; without it only this build runs
#   SEC_CREDIT_N     listed debtors for the credit store (default 300,000)
#
# 1. POST /api/v1/credit/check (bench/credit/check.lua: half listed, half unlisted valid IDs) — the
#    subject-kind rule only adds work for values that fail GB 11643, so valid IDs must not slow down.
# 2. GET /api/v1/me with a session (the authenticated path; last use is now written back at most once
#    a second per session instead of once a minute).
# 3. Login cost: a wrong password for a real user vs an unknown user (the dummy PBKDF2 hash): equal.
N=${SEC_CREDIT_N:-300000}
ST=$BENCH_TMP/security
mkdir -p "$ST"
md "## Security (issue 10, sec10a)"
md ""
DB=$ST/credit.db
bin/zhixing init --db "sqlite:$DB" >"$ST/init.log" 2>&1
bin/zhixing demo credit --db "sqlite:$DB" --count "$N" --ids-out "$ST/ids.txt" >"$ST/gen.log" 2>&1
KEY=$(bin/zhixing partner add --db "sqlite:$DB" --name bench --scopes "credit:check" 2>/dev/null | grep -o 'zxk_[0-9a-f]\{64\}' | head -n1)
export CREDIT_KEY=$KEY CREDIT_IDS=$ST/ids.txt CREDIT_SAMPLE=200000

serve_copy() { # serve_copy BIN DBFILE → sets port; waits for the snapshot
    port=$(free_port)
    ZX_ACCESS_LOG=0 "$1" serve --db "sqlite:$2" --threads 1 --listen "127.0.0.1:$port" >"$2.log" 2>&1 &
    track $!
    local pid=$!
    for _ in $(seq 600); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
        kill -0 $pid 2>/dev/null || break
        sleep 0.1
    done
    tail -n 20 "$2.log"; return 1
}
cp "$DB" "$ST/new.db"
[ -f "$DB.keys" ] && cp "$DB.keys" "$ST/new.db.keys" # personal-data keys beside a SQLite store (core/pii)
serve_copy bin/zhixing "$ST/new.db"
NEW_PORT=$port
specs=("POST /credit/check — this build|http://127.0.0.1:$NEW_PORT/api/v1/credit/check|bench/credit/check.lua")
if [ -n "${SEC_BASE_BIN:-}" ] && [ -x "$SEC_BASE_BIN" ]; then
    cp "$DB" "$ST/old.db"
    [ -f "$DB.keys" ] && cp "$DB.keys" "$ST/old.db.keys"
    serve_copy "$SEC_BASE_BIN" "$ST/old.db"
    specs=("POST /credit/check — before issue 10|http://127.0.0.1:$port/api/v1/credit/check|bench/credit/check.lua" "${specs[@]}")
fi
md "Single checks, $N listed debtors, one event-loop thread per server, wrk $WRK_ARGS, median of $BENCH_ROUNDS round-robin runs (ratio to the first row):"
md ""
table_head
wrk_compare "${specs[@]}"
md ""

zx_serve
TOKEN=$(zx_login demo_judge_liao0102 "$ZX_DEMO_PASSWORD")
export ZX_TOKEN=$TOKEN
md "Authenticated path (session cache, last use written back ≤ once a second):"
md ""
table_head
wrk_row "GET /api/v1/me" "$ZX_BASE/api/v1/me" bench/me.lua
md ""
login_ms() { # login_ms USER → mean ms of 5 failed logins
    local t0 t1
    t0=$(date +%s%N)
    for _ in 1 2 3 4 5; do
        curl -s -o /dev/null -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"Wrong-Guess#1x\"}" "$ZX_BASE/api/v1/auth/login"
    done
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 5e6 }'
}
KNOWN=$(login_ms demo_clerk_liao0102)
UNKNOWN=$(login_ms nobody_at_all)
md "Failed login, mean of 5 (PBKDF2-HMAC-SM3, 100,000 iterations): real user ${KNOWN} ms, unknown user ${UNKNOWN} ms."
md ""
