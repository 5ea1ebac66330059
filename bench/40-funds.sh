# bench/40-funds.sh — issue 11: the case-funds ledger. Sourced by bench/run.sh.
#   1. batched posting on embedded SQLite (zx_ledger_create_transfers, FUNDS_BATCH per transaction,
#      caller-chosen ids, balance limits — the path every arrival takes) vs a straightforward
#      PostgreSQL ledger run by this script (one transaction per transfer, SELECT … FOR UPDATE on both
#      balances, UPDATE both, INSERT; FUNDS_PG_CLIENTS client threads) on a throwaway cluster
#      (scripts/pg-temp.sh) — same transfers, same accounts; the ratio.
#   2. a bank statement of FUNDS_LINES lines (default 1,000,000; half paying into case accounts by
#      their virtual number, half unidentified) imported and matched by `zhixing funds import`.
#   3. optional (FUNDS_PG_LINES > 0, e.g. 100000): the same statement imported into PostgreSQL.
#   FUNDS_TRANSFERS (default 500000), FUNDS_PG_TRANSFERS (default 50000), FUNDS_ACCOUNTS (1000).
#   Every figure is printed beside the issue's target, in wall-clock time AND in CPU-seconds of the
#   process (getrusage / time(1)): on a shared machine the CPU figure says what an idle core does.
#   A short run: FUNDS_TRANSFERS=50000 FUNDS_PG_TRANSFERS=2000 FUNDS_LINES=50000.
N=${FUNDS_TRANSFERS:-500000}
PGN=${FUNDS_PG_TRANSFERS:-50000}
B=${FUNDS_BATCH:-8190}
A=${FUNDS_ACCOUNTS:-1000}
C=${FUNDS_PG_CLIENTS:-4}
L=${FUNDS_LINES:-1000000}
FT=$BENCH_TMP/funds
mkdir -p "$FT"

md ""
md "## Case funds ledger (issue 11) — bench/40-funds.sh"
md ""
md "Machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg) (shared)."
md ""
bin/zhixing init --db "sqlite:$FT/ledger.db" >"$FT/init.log" 2>&1
lite=$(bin/zhixing funds bench --db "sqlite:$FT/ledger.db" --transfers "$N" --batch "$B" --accounts "$A" 2>>"$FT/bench.log" | grep '^ledger')
lite_rate=$(sed -E 's/.*= ([0-9]+) transfers\/s.*/\1/' <<<"$lite")
lite_cpu=$(sed -E 's/.*= ([0-9]+) transfers per CPU-second.*/\1/' <<<"$lite")
lite_secs=$(sed -E 's/.* in ([0-9.]+) s = .*/\1/' <<<"$lite")
lite_cpus=$(sed -E 's/.*; ([0-9.]+) CPU-s = .*/\1/' <<<"$lite")

pgdir=$(mktemp -d /tmp/zx-funds-pg.XXXXXX); chmod 755 "$pgdir"; rmdir "$pgdir"  # pg-temp.sh creates it; postgres must reach it
pgurl=$(sh scripts/pg-temp.sh start "$pgdir" | tail -n1)
trap 'sh scripts/pg-temp.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
bin/zhixing init --db "$pgurl" >"$FT/init-pg.log" 2>&1
naive=$(bin/zhixing funds bench --naive --db "$pgurl" --transfers "$PGN" --accounts "$A" --clients "$C" 2>>"$FT/bench.log" | grep '^naive')
naive_rate=$(sed -E 's/.*= ([0-9]+) transfers\/s.*/\1/' <<<"$naive")
pgl=$(bin/zhixing funds bench --db "$pgurl" --transfers "$PGN" --batch "$B" --accounts "$A" 2>>"$FT/bench.log" | grep '^ledger')
pgl_rate=$(sed -E 's/.*= ([0-9]+) transfers\/s.*/\1/' <<<"$pgl")
sh scripts/pg-temp.sh stop "$pgdir" >/dev/null 2>&1 || true

ratio=$(awk -v a="$lite_rate" -v b="$naive_rate" 'BEGIN{printf "%.1f", a/b}')
met() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN{ if ((dir == "ge" && v >= t) || (dir == "le" && v <= t)) print "met"; else print "not met" }'; }
md "| measure | target | measured (wall clock) | CPU-seconds | projected on an idle core (CPU) | wall-clock target |"
md "|---|---|---|---|---|---|"
md "| batched posting, embedded SQLite ($N transfers, $B per transaction + 1 audit record) | ≥ 50,000 transfers/s | $lite_rate transfers/s ($lite_secs s) | $lite_cpus | $lite_cpu transfers/s | $(met "$lite_rate" 50000 ge) |"
md "| SQLite ledger ÷ naive PostgreSQL ledger (wall clock) | ≥ 5× | ${ratio}× | — | — | $(met "$ratio" 5 ge) |"
md ""
md "| ledger | transfers | transfers/s (wall) | transfers per CPU-second |"
md "|---|---|---|---|"
md "| zhixing ledger, SQLite, $B per transaction | $N | $lite_rate | $lite_cpu |"
md "| zhixing ledger, PostgreSQL, $B per transaction (multi-row INSERTs) | $PGN | $pgl_rate | — |"
md "| naive PostgreSQL (1 tx per transfer, FOR UPDATE, $C clients) | $PGN | $naive_rate | — |"
md ""
md "Load average after the posting runs: $(cut -d' ' -f1-3 /proc/loadavg)."
md ""

# the statement: a store with demo cases, L lines
bin/zhixing init --db "sqlite:$FT/import.db" --demo >"$FT/init-demo.log" 2>&1
sqlite3 "$FT/import.db" "UPDATE fund_account SET account_no = '6222020400099990001' WHERE id = (SELECT MIN(id) FROM fund_account WHERE kind = 1 AND court_id = (SELECT id FROM court WHERE code = '辽0102'))" 2>/dev/null
bank=$(sqlite3 "$FT/import.db" "SELECT account_no FROM fund_account WHERE kind = 1 AND court_id = (SELECT id FROM court WHERE code = '辽0102') ORDER BY id LIMIT 1")
sqlite3 "$FT/import.db" "SELECT account_no FROM fund_account WHERE kind = 2 AND court_id = (SELECT id FROM court WHERE code = '辽0102') LIMIT 500" >"$FT/accts.txt"
awk -v L="$L" -v day="$(date -u -d '+8 hours' +%F)" 'BEGIN { print "bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark" }
  { acct[n++] = $1 }
  END { for (i = 0; i < L; i++) {
          if (i % 2 == 0 && n > 0) printf "B%08d,%s,%d.%02d,被执行人%d,,%s,还款\n", i, day, 1 + i % 500, i % 100, i % 997, acct[i % n];
          else printf "B%08d,%s,%d.%02d,某付款单位%d,,,货款\n", i, day, 1 + i % 700, i % 100, i % 991 } }' "$FT/accts.txt" >"$FT/statement.csv"
la_imp=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
imp=$(/usr/bin/time -f '%U %S' -o "$FT/import.time" bin/zhixing funds import --db "sqlite:$FT/import.db" "$FT/statement.csv" --bank "$bank" 2>"$FT/import.err" | tail -n1)
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
cpus=$(awk '{printf "%.1f", $1+$2}' "$FT/import.time")
lps=$(awk -v l="$L" -v s="$secs" 'BEGIN{printf "%.0f", l/s}')
proj=$(awk -v l="$L" -v c="$cpus" 'BEGIN{ if (c > 0) printf "%.1f s (%.0f lines per CPU-second)", c * 1000000 / l, l / c; else print "—" }')
md "| measure | target | measured (wall clock) | CPU-seconds | 1,000,000 lines on an idle core (CPU) | wall-clock target |"
md "|---|---|---|---|---|---|"
md "| statement import + matching, SQLite, $L lines (half to case accounts, half unidentified), $lps lines/s | 1,000,000 lines ≤ 60 s | $secs s | $cpus | $proj | $( [ "$L" -ge 1000000 ] && met "$secs" 60 le || echo "— (short run: $L lines)") |"
md ""
md "Load average when the import started: $la_imp; at its end: $(cut -d' ' -f1-3 /proc/loadavg)."
md ""
md "Import summary: ${imp}"
rec=$(bin/zhixing funds reconcile --db "sqlite:$FT/import.db" 2>&1 | tail -n1)
md "Reconciliation after the import: ${rec}"

# 3. PostgreSQL import (optional): multi-row INSERTs of arrivals and transfers, one round trip per 256 rows
PL=${FUNDS_PG_LINES:-0}
if [ "$PL" -gt 0 ]; then
  pgdir=$(mktemp -d /tmp/zx-funds-pgi.XXXXXX); chmod 755 "$pgdir"; rmdir "$pgdir"
  pgurl=$(sh scripts/pg-temp.sh start "$pgdir" | tail -n1)
  trap 'sh scripts/pg-temp.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
  bin/zhixing init --db "$pgurl" --demo >"$FT/init-pgi.log" 2>&1
  psql "$pgurl" -qAt -c "UPDATE fund_account SET account_no = '6222020400099990001' WHERE id = (SELECT MIN(id) FROM fund_account WHERE kind = 1 AND court_id = (SELECT id FROM court WHERE code = '辽0102'))"
  psql "$pgurl" -qAt -c "SELECT account_no FROM fund_account WHERE kind = 2 AND court_id = (SELECT id FROM court WHERE code = '辽0102') LIMIT 500" >"$FT/accts-pg.txt"
  head -n $((PL + 1)) "$FT/statement.csv" >"$FT/statement-pg.csv"
  awk -F, 'NR == FNR { a[n++] = $1; next } FNR == 1 { print; next } { if ($6 != "") $6 = a[(FNR) % n]; print }' OFS=, "$FT/accts-pg.txt" "$FT/statement-pg.csv" >"$FT/statement-pg2.csv"
  la=$(cut -d' ' -f1-3 /proc/loadavg)
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$FT/import-pg.time" bin/zhixing funds import --db "$pgurl" "$FT/statement-pg2.csv" --bank 6222020400099990001 >"$FT/import-pg.out" 2>"$FT/import-pg.err"
  t1=$(date +%s.%N)
  psecs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  pcpus=$(awk '{printf "%.1f", $1+$2}' "$FT/import-pg.time")
  md "| statement import, PostgreSQL | lines | seconds (wall) | client CPU-seconds | lines/s (wall) |"
  md "|---|---|---|---|---|"
  md "| multi-row INSERTs (256 rows per statement) | $PL | $psecs | $pcpus | $(awk -v l="$PL" -v s="$psecs" 'BEGIN{printf "%.0f", l/s}') |"
  md ""
  md "Load average when the PostgreSQL import started: $la. Result: $(tail -n1 "$FT/import-pg.out")"
  sh scripts/pg-temp.sh stop "$pgdir" >/dev/null 2>&1 || true
fi
