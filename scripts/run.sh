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

# The last thing on screen before the server's own log: the URL and every account by court and role
# (read from the store, so it is true for this var/zhixing.db), after the build and init output.
accounts() {
    command -v sqlite3 >/dev/null 2>&1 || { echo "   (sqlite3 not installed: accounts are listed in var/credentials.txt)"; return; }
    sqlite3 -separator '|' "$db" "SELECT c.code, c.name, u.username, u.roles, u.is_demo FROM app_user u
        JOIN court c ON c.id = u.court_id WHERE u.disabled = 0 ORDER BY c.code, u.roles, u.username" 2>/dev/null |
    awk -F'|' '
    # pad to a display width: CJK characters are 3 bytes in UTF-8 and 2 columns on screen
    function pad(t, w,   a, b) { a = t; gsub(/[^\001-\177]/, "", a); b = length(a) + (length(t) - length(a)) / 3 * 2
        while (b++ < w) t = t " "; return t }
    function label(r) {
        if (r == 1) return "立案"; if (r == 2) return "执行法官"; if (r == 4) return "执行员/法官助理"
        if (r == 8) return "书记员"; if (r == 16) return "财务"; if (r == 32) return "指挥中心"
        if (r == 64) return "院/局领导（审批）"; if (r == 128) return "系统管理员"; if (r == 256) return "安全管理员"
        if (r == 512) return "审计管理员"; return "多角色"
    }
    $5 == 0 { admins = admins "  " $3 "（" label($4) "）"; next }
    {
        n[$1]++; cname[$1] = $2; l = label($4); bits[$4] = l
        key = l SUBSEP $1
        acc[key] = acc[key] (acc[key] ? " " : "") $3
        if (!((l, $1) in courts_of)) { courts_of[l, $1] = 1; cl[l] = cl[l] " " $1 }
    }
    END {
        best = ""; for (c in n) if (best == "" || n[c] > n[best]) best = c
        print "   " pad("角色", 18) pad("账户（" best " " cname[best] "）", 52) "同样的账户也在"
        for (r = 1; r <= 64; r *= 2) {
            if (!(r in bits)) continue
            l = bits[r]; others = ""
            split(substr(cl[l], 2), cs, " ")
            for (j = 1; j in cs; j++) if (cs[j] != best) others = others (others ? " " : "") cs[j]
            a = ((l SUBSEP best) in acc) ? acc[l SUBSEP best] : "—"
            print "   " pad(l, 18) pad(a, 52) others
        }
        print "   其他法院的账户名：把后缀换成该法院代字的拼音，如 辽0103 → demo_judge_liao0103、辽01 → demo_chief_liao01"
        if (admins != "") print "   三员（非演示账户，密码由 init 生成）：" admins
    }'
    pw=$(sed -n 's/.*all with password: *//p' var/credentials.txt 2>/dev/null | head -n1)
    [ -n "$pw" ] && echo "   演示账户密码：$pw    管理员密码：cat var/credentials.txt"
    if [ "${ZX_TOTP_REQUIRED:-1}" != 0 ]; then
        echo "   院/局领导与三员首次登录时用身份验证器应用扫码绑定第二因素（TOTP）；只看演示可用 ZX_TOTP_REQUIRED=0 make run 关闭。"
    fi
}
echo
echo "== zhixing: http://$host:$port/    公开查询：http://$host:$port/#/public"
accounts
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
