# bench/35-pii.sh — issue 10 item 11: what sealing personal data at rest (src/core/pii.h) costs.
# Sourced by bench/run.sh (helpers documented there).
#
#   PII_N            operations per micro-benchmark figure (default 200,000)
#   PII_BEFORE_BIN   a bin/zhixing built from before the case parties were sealed (e.g. main at
#                    a932cca): the same endpoints are then measured on both binaries, side by side
#
# Steps: (1) bench/pii/pii_bench.c against the library objects — ns per seal / open / blind index /
# mask of an 18-character ID number, one thread; (2) a demo store, wrk on GET /api/v1/cases/:id as
# the handler (every party's ID number, phone and address opened; a read audited) and on
# GET /api/v1/cases?id_number=… (exact search through the blind index) — on this binary and, if
# given, on PII_BEFORE_BIN (plain columns).
PII_N=${PII_N:-200000}
PT=$BENCH_TMP/pii
mkdir -p "$PT"
OBJS=$(find build/rel/src -name '*.o' ! -name main.o | tr '\n' ' ')
# shellcheck disable=SC2086
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -pthread -o "$OUT/pii_bench" bench/pii/pii_bench.c $OBJS build/rel/gen/migrations.o \
    $(pkg-config --libs $(sed -n 's/^PKGS *:= *//p' Makefile)) -lhpdf -lm -pthread

md "## Personal data at rest (issue 10 item 11)"
md ""
md "One thread, $PII_N operations each, an 18-character ID number (SM4-CTR + HMAC-SM3 tag, HMAC-SM3 blind index):"
md ""
md "| operation | ns/op | ops/s |"
md "|---|---:|---:|"
"$OUT/pii_bench" "$PT/bench.keys" "$PII_N" 2>/dev/null | while read -r op ns ops; do md "| $op | $ns | $ops |"; done
md ""

# one demo store per binary, the same requests
measure() { # LABEL BIN
    local label=$1 bin=$2 port dir token case_id idn
    port=$(free_port)
    dir=$(mktemp -d "$PT/store.XXXX")
    "$bin" init --db "sqlite:$dir/z.db" --demo >"$dir/init.log" 2>&1
    ZX_TOTP_REQUIRED=0 "$bin" serve --db "sqlite:$dir/z.db" --listen "127.0.0.1:$port" >"$OUT/server-pii-$port.log" 2>&1 &
    track $!
    ZX_BASE=http://127.0.0.1:$port
    for _ in $(seq 100); do curl -fs "$ZX_BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    token=$(zx_login demo_judge_liao0102 "$ZX_DEMO_PASSWORD")
    # a case of this judge with an applicant, read through the API (the ID number in full: the handler)
    case_id=$(sqlite3 "$dir/z.db" "SELECT CAST(e.id AS TEXT) FROM enf_case e JOIN app_user u ON u.id = e.handler_id
        WHERE u.username = 'demo_judge_liao0102' AND EXISTS (SELECT 1 FROM case_party p WHERE p.case_id = e.id AND p.kind = 'person'
        AND p.role = 'debtor') ORDER BY e.id LIMIT 1")
    idn=$(curl -fs -H "authorization: Bearer $token" "$ZX_BASE/api/v1/cases/$case_id" |
        node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const j=JSON.parse(d);console.log(j.parties.find(p=>p.id_number&&!p.id_number.includes("*")).id_number)})')
    cat >"$PT/auth-$port.lua" <<LUA
wrk.headers["authorization"] = "Bearer $token"
LUA
    SPECS+=("$label: GET /cases/:id (parties opened)|$ZX_BASE/api/v1/cases/$case_id|$PT/auth-$port.lua")
    SPECS+=("$label: GET /cases?id_number= (exact)|$ZX_BASE/api/v1/cases?id_number=$idn|$PT/auth-$port.lua")
}
SPECS=()
[ -n "${PII_BEFORE_BIN:-}" ] && measure "before (plain)" "$PII_BEFORE_BIN"
measure "sealed" bin/zhixing
md "Demo store (SQLite), the handler's token, wrk $WRK_ARGS; median of $BENCH_ROUNDS runs taken round-robin:"
md ""
md "| endpoint | req/s | p50 | p99 | vs first row |"
md "|---|---:|---:|---:|---:|"
wrk_compare "${SPECS[@]}"
md ""
