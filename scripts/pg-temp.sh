#!/bin/sh
# pg-temp.sh — a throwaway PostgreSQL 15 cluster for tests.
#   scripts/pg-temp.sh start DIR   → creates DIR/{data,sock}, starts the server (Unix socket only, no TCP,
#                                    fsync on), creates database zhixing, prints ONE line: the libpq URL.
#   PG_TEMP_FSYNC=off                 → fsync, synchronous_commit and full_page_writes off: for the test
#                                       suite only (its kill -9 tests kill zhixing, never PostgreSQL, so
#                                       PostgreSQL's own crash safety is not under test); benchmarks keep
#                                       the default (on), so their figures include the real commit cost.
#   scripts/pg-temp.sh stop DIR    → stops the server (fast) and removes DIR.
# As root, the server runs as the `postgres` system user (initdb refuses root); the URL connects as
# user=postgres (trust auth over the private socket), which works from root and any other user.
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

find_bin() {
    if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/pg_ctl" ]; then echo "$PG_BIN"; return; fi
    for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
    done
    p=$(command -v pg_ctl 2>/dev/null || true)
    if [ -n "$p" ]; then dirname "$p"; return; fi
    echo "pg-temp: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
}

# Run a command as the server's user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
        else su postgres -s /bin/sh -c "$(printf '%s ' "$@")"
        fi
    else
        "$@"
    fi
}

case "$cmd" in
start)
    bin=$(find_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -e "$dir/data/PG_VERSION" ]; then
        echo "pg-temp: $dir/data already holds a cluster; stop it first" >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres >&2
        fi
        pguser=postgres
    else
        pguser=$(id -un)
    fi
    mkdir -p "$dir/data" "$dir/sock"
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir/data" "$dir/sock"
        # every parent must be traversable by postgres
        if ! runuser -u postgres -- test -w "$dir/sock" 2>/dev/null; then
            echo "pg-temp: user postgres cannot reach $dir (a parent directory is not world-traversable)" >&2
            exit 1
        fi
    fi
    chmod 700 "$dir/data"
    chmod 755 "$dir/sock"
    log="$dir/server.log"
    : > "$log"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$log"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        echo "pg-temp: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
    cat >> "$dir/data/postgresql.conf" <<EOF
# pg-temp.sh
listen_addresses = ''
unix_socket_directories = '$dir/sock'
fsync = ${PG_TEMP_FSYNC:-on}
synchronous_commit = ${PG_TEMP_FSYNC:-on}
full_page_writes = ${PG_TEMP_FSYNC:-on}
max_connections = 100
timezone = 'UTC'
EOF
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 start >/dev/null 2>&1 || {
        echo "pg-temp: server did not start:" >&2; cat "$log" >&2; exit 1; }
    psql=$bin/psql
    [ -x "$psql" ] || psql=$(command -v psql)
    # A role for root (so psql as root works without user=); the URL itself uses user=postgres.
    if [ "$pguser" = postgres ]; then
        as_pg "$psql" -X -q -h "$dir/sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
            -c "CREATE ROLE root SUPERUSER LOGIN" >/dev/null 2>&1 || true
    fi
    as_pg "$psql" -X -q -h "$dir/sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE zhixing ENCODING 'UTF8' TEMPLATE template0" >/dev/null 2>>"$log" || {
        echo "pg-temp: CREATE DATABASE failed:" >&2; tail -5 "$log" >&2; exit 1; }
    echo "postgresql:///zhixing?host=$dir/sock&user=postgres"
    ;;
stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(find_bin)
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    usage
    ;;
esac
