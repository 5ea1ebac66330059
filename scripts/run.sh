#!/bin/sh
# run.sh — `make run`: build, initialise var/zhixing.db with demo data on first run, serve.
#   ZX_LISTEN=HOST:PORT   listen address (default 127.0.0.1:8080)
#   ZX_SIM_URL=URL        where bin/zhixing-sim (the simulator of institutions, SMS gateway, banks and
#                         platforms) listens (default http://127.0.0.1:8090); started here, stopped on exit.
#                         ZX_SIM_URL=off: do not start it (an outside simulator is already running).
# Any extra arguments are passed to `zhixing serve` (e.g. sh scripts/run.sh --threads 4).
set -eu
cd "$(dirname "$0")/.."
listen=${ZX_LISTEN:-127.0.0.1:8080}
db=var/zhixing.db

make -s -j"$(nproc 2>/dev/null || echo 2)" all

mkdir -p var
chmod 0700 var

# The simulator first: `init --demo` registers the demo institutions at its address.
export ZX_SIM_URL=${ZX_SIM_URL:-http://127.0.0.1:8090}
sim_pid=
if [ "$ZX_SIM_URL" != off ]; then
    sim_listen=${ZX_SIM_URL#http://}
    sim_listen=${sim_listen%%/*}
    bin/zhixing-sim --listen "$sim_listen" >>var/zhixing-sim.log 2>&1 &
    sim_pid=$!
    trap 'kill "$sim_pid" 2>/dev/null' EXIT
    i=0
    until curl -fs "$ZX_SIM_URL/sim/healthz" >/dev/null 2>&1; do
        i=$((i + 1))
        if [ $i -gt 50 ] || ! kill -0 "$sim_pid" 2>/dev/null; then
            echo "zhixing-sim did not start at $ZX_SIM_URL (see var/zhixing-sim.log)"; exit 1
        fi
        sleep 0.1
    done
    echo "== zhixing-sim (simulator of institutions and outside parties): $ZX_SIM_URL"
fi
if [ ! -f "$db" ]; then
    echo "== first run: creating $db with demo data (zhixing init --demo)"
    # init prints the generated administrator passwords and the demo logins exactly once.
    # Keep them on screen and in var/credentials.txt (0600) so they are not lost.
    umask 077
    out=$(bin/zhixing init --db "sqlite:$db" --demo) || { echo "$out"; rm -f "$db" "$db-wal" "$db-shm"; exit 1; }
    echo "$out"
    if [ ! -s var/credentials.txt ]; then
        printf '# written by scripts/run.sh on %s from `zhixing init --demo`\n%s\n' "$(date -Iseconds)" "$out" \
            > var/credentials.txt
    fi
    chmod 0600 var/credentials.txt
    umask 022
fi

host=${listen%:*}
port=${listen##*:}
[ "$host" = "0.0.0.0" ] && host=127.0.0.1

# The last thing on screen before the server's own log: the URL and every account by role and court
# (`zhixing accounts`, read from the store, so it is true for this var/zhixing.db), after the build and
# init output. tests/api/search.test.mjs checks that table against the store.
echo
bin/zhixing accounts --db "sqlite:$db" --url "http://$host:$port/" 2>/dev/null ||
    echo "== zhixing: http://$host:$port/    (accounts: var/credentials.txt)"
pw=$(sed -n 's/.*all with password: *//p' var/credentials.txt 2>/dev/null | head -n1)
[ -n "$pw" ] && echo "   演示账户密码：$pw    管理员密码：cat var/credentials.txt"
if [ "${ZX_TOTP_REQUIRED:-1}" != 0 ]; then
    echo "   院/局领导与三员首次登录时用身份验证器应用扫码绑定第二因素（TOTP）；只看演示可用 ZX_TOTP_REQUIRED=0 make run 关闭。"
fi
echo "   重新开始：rm -rf var && make run。停止：Ctrl-C（平稳关闭）。"
echo
if [ -n "$sim_pid" ]; then
    # not exec: the EXIT trap stops the simulator when the server ends
    trap 'kill "$sim_pid" 2>/dev/null' EXIT
    trap 'kill -TERM "$zx_pid" 2>/dev/null' INT TERM
    bin/zhixing serve --db "sqlite:$db" --listen "$listen" "$@" &
    zx_pid=$!
    wait "$zx_pid" || wait "$zx_pid"
else
    exec bin/zhixing serve --db "sqlite:$db" --listen "$listen" "$@"
fi
