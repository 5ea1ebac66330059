# bench/10-platform.sh — issue 3: GET /healthz and an authenticated GET /api/v1/me on zhixing,
# next to bench/raw_epoll.c (the floor: a minimal multi-threaded epoll responder). Sourced by
# bench/run.sh (helpers documented there). Target: /healthz ≥ 80% of the raw floor.
cc -std=c17 -O2 -Wall -Wextra -Werror -pthread -o "$OUT/raw_epoll" bench/raw_epoll.c
raw_port=$(free_port)
"$OUT/raw_epoll" "$raw_port" &
track $!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$raw_port/" >/dev/null 2>&1 && break; sleep 0.1; done

zx_serve
judge=$(sqlite3 "$ZX_DB_FILE" "SELECT u.username FROM app_user u JOIN court c ON c.id = u.court_id
    WHERE u.is_demo = 1 AND (u.roles & 2) != 0 ORDER BY c.code = '辽0102' DESC, u.id LIMIT 1")
export ZX_TOKEN
ZX_TOKEN=$(zx_login "$judge" "$ZX_DEMO_PASSWORD")

md "## Platform (issue 3)"
md ""
md "zhixing serve on SQLite (default threads = cores), demo data; /api/v1/me as demo judge \`$judge\` with a Bearer token (bench/me.lua)."
md ""
table_head
wrk_compare "raw epoll floor (bench/raw_epoll.c)|http://127.0.0.1:$raw_port/healthz|" \
    "zhixing GET /healthz|$ZX_BASE/healthz|" \
    "zhixing GET /api/v1/me (Bearer)|$ZX_BASE/api/v1/me|bench/me.lua"
RAW=$WRK_RPS_1
HZ=$WRK_RPS_2
md ""
pct=$(awk -v a="$HZ" -v b="$RAW" 'BEGIN { printf "%.0f", 100 * a / b }')
if [ "$pct" -ge 80 ]; then
    md "/healthz reaches $pct% of the raw floor (target ≥ 80%): **met**."
else
    md "/healthz reaches $pct% of the raw floor (target ≥ 80%): **not met**."
fi
md ""
