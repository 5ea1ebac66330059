#!/bin/sh
# run.sh — `make run`: build, initialise var/zhixing.db with demo data on first run, serve.
#   ZX_LISTEN=HOST:PORT   listen address (default 127.0.0.1:8080)
# Any extra arguments are passed to `zhixing serve` (e.g. sh scripts/run.sh --threads 4).
set -eu
cd "$(dirname "$0")/.."
listen=${ZX_LISTEN:-127.0.0.1:8080}
db=var/zhixing.db

make -s -j"$(nproc 2>/dev/null || echo 2)" all

mkdir -p var
chmod 0700 var
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
echo
echo "== zhixing: http://$host:$port/"
echo "   Log in with a demo account or an administrator; the passwords printed by init on the"
echo "   first run are kept in var/credentials.txt (mode 0600): cat var/credentials.txt"
echo "   Start afresh: rm -rf var && make run.   Stop: Ctrl-C (graceful shutdown)."
echo
exec bin/zhixing serve --db "sqlite:$db" --listen "$listen" "$@"
