#!/bin/sh
# install-deps.sh run|test — install what zhixing needs on Debian 12 (idempotent, quiet).
#   run : build toolchain + C libraries + CJK font + Node.js/npm, then `npm ci` if needed
#   test: run + postgresql, chromium, wrk, sqlite3 (CLI used by the audit-tamper test), curl and
#         python3 (bench)
# john-data: the common-password list (/usr/share/john/password.lst) the password policy refuses.
# Only packages that `dpkg -s` reports missing are installed; already-satisfied runs print nothing
# but a one-line "deps ok". Needs root (or sudo) only when something is actually missing.
set -eu
mode=${1:-run}
case "$mode" in run|test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."

pkgs="build-essential pkg-config libh2o-evloop-dev libjansson-dev libsqlite3-dev libpq-dev libssl-dev
libcurl4-openssl-dev libcmocka-dev libhpdf-dev libxlsxwriter-dev libopencc-dev fonts-noto-cjk
john-data liblunar-date-dev libglib2.0-dev liboath-dev libqrencode-dev libsodium-dev"
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
[ "$mode" = test ] && pkgs="$pkgs postgresql chromium wrk sqlite3 curl python3 faketime"

missing=""
for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done

if [ -n "$missing" ]; then
    echo "install-deps: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only if they are absent or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
        $SUDO apt-get update -qq >/dev/null
    fi
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    echo "install-deps: done"
fi

# Front-end packages (served as ES modules from node_modules/, also playwright-core for UI tests).
# npm writes node_modules/.package-lock.json on every install; it is the marker that the tree is
# complete and at least as new as package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "install-deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    touch node_modules/.package-lock.json
fi
[ -n "$missing" ] || echo "install-deps ($mode): all packages present"
