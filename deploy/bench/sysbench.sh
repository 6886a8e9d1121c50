#!/usr/bin/env bash
# Benchmarks the gate against direct MariaDB with sysbench, on the same data, in one run:
#   ./deploy/bench/sysbench.sh [--time SECONDS] [--threads "1 4 16"] [--tests "oltp_point_select oltp_read_write"]
#                              [--table-size N] [--tables N] [--idle-connections N] [--warmup SECONDS]
#                              [--repeat N] [--gate-server-version VERSION|default] [--keep]
# It starts a throwaway cluster on free ports under a temporary directory (tessera-topo, tessera-ctld, one
# tessera-tablet with its own mysqld as primary of keyspace `bench`, and a tessera-gate), prepares the sysbench
# tables once through the gate, warms up (every test for --warmup seconds each way, unmeasured, in two runs: two
# thirds at 4 threads, then a third at the highest thread count; the JVMs compile their hot code and mysqld fills its
# buffer pool), then runs every test and thread count against
# mysqld directly (TCP) and through the gate, --repeat times each (default 3), alternating direct and gate runs so a
# busy spell of the host hits both, and prints the median QPS, median p95 latency and the gate/direct ratio of the
# medians; then the single-thread median point-select latency each way (the median of --repeat alternating pairs, and
# the median of the pairs' differences), the CPU each process spends per point select through the
# gate at the highest thread count, and the gate's RSS with --idle-connections idle clients connected. Everything is
# stopped at the end
# (--keep leaves the directory with the logs). Paste the table into docs/PERFORMANCE.md with the date and machine.
# The gate announces the version in the form MariaDB uses (5.5.5-<mysqld's version>-MariaDB-Tessera), as mysqld
# does to the direct runs: sysbench's libmariadb then uses MariaDB's protocol extensions (cached column definitions)
# both ways. --gate-server-version sets another; `default` leaves the gate's own (8.0.40-Tessera, which libmariadb
# treats as a MySQL server).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TIME=20
THREADS="1 4 16"
TESTS="oltp_point_select oltp_read_write"
TABLE_SIZE=100000
TABLES=4
IDLE=1000
WARMUP=20
REPEAT=3
KEEP=0
GATE_VERSION=
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --tests) TESTS=$2; shift 2 ;;
    --table-size) TABLE_SIZE=$2; shift 2 ;;
    --tables) TABLES=$2; shift 2 ;;
    --idle-connections) IDLE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --gate-server-version) GATE_VERSION=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "error: --repeat needs a positive whole number, got '$REPEAT'" >&2; exit 2; }
command -v sysbench >/dev/null || { echo "error: sysbench is not installed (apt-get install sysbench)" >&2; exit 1; }
"$ROOT/deploy/build.sh" >&2

DIR=$(mktemp -d -t tessera-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then echo "logs kept in $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT

# A random port nothing listens on (runs in a subshell, so collisions between calls are left to chance: 1 in 20000).
free_port() {
  local p
  while true; do
    p=$(shuf -i 20000-39999 -n 1)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
wait_port() {
  local port=$1 what=$2
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "error: $what did not open port $port; see $DIR/*.log" >&2
  exit 1
}
declare -A PID_OF
start() {
  local name=$1; shift
  "$@" >"$DIR/$name.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$name]=$! # the launchers exec the JVM, so this is the daemon itself
}

TOPO=$(free_port); CTLD=$(free_port); TAB_GRPC=$(free_port); TAB_HTTP=$(free_port); MYSQL=$(free_port)
GATE=$(free_port); GATE_HTTP=$(free_port); GATE_GRPC=$(free_port)
PW=bench-pw
start topo "$ROOT/bin/tessera-topo" --data-dir "$DIR/topo" --port "$TOPO" --bind-address 127.0.0.1
wait_port "$TOPO" tessera-topo
start ctld "$ROOT/bin/tessera-ctld" --topo-address "grpc://127.0.0.1:$TOPO" --grpc_port "$CTLD" \
  --port "$(free_port)" --bind-address 127.0.0.1
wait_port "$CTLD" tessera-ctld
CTL=("$ROOT/bin/tessera-ctl" --server "127.0.0.1:$CTLD")
"${CTL[@]}" CreateKeyspace --durability-policy none bench >/dev/null
start tablet "$ROOT/bin/tessera-tablet" --topo-address "grpc://127.0.0.1:$TOPO" --tablet-path zone1-100 \
  --init-keyspace bench --init-shard 0 --init-tablet-type replica --tablet-hostname 127.0.0.1 \
  --bind-address 127.0.0.1 --port "$TAB_HTTP" --grpc-port "$TAB_GRPC" --mysql-port "$MYSQL" \
  --data-root "$DIR/data" --db-dba-password "$PW" --db-app-password "$PW" --db-repl-password "$PW"
wait_port "$TAB_GRPC" tessera-tablet
"${CTL[@]}" InitShardPrimary --force bench/0 zone1-100 >/dev/null
# sysbench's own user for the direct runs, over TCP like the gate's clients.
"${CTL[@]}" ExecuteFetchAsDba zone1-100 "CREATE USER IF NOT EXISTS 'sbtest'@'127.0.0.1' IDENTIFIED BY '$PW'" >/dev/null
"${CTL[@]}" ExecuteFetchAsDba zone1-100 "GRANT ALL ON vt_bench.* TO 'sbtest'@'127.0.0.1'" >/dev/null
if [ -z "$GATE_VERSION" ]; then
  MYSQLD_VERSION=$(mariadb -h 127.0.0.1 -P "$MYSQL" -u sbtest "-p$PW" -N -B -e "SELECT VERSION()")
  GATE_VERSION="5.5.5-${MYSQLD_VERSION%%-*}-MariaDB-Tessera"
fi
GATE_VERSION_ARGS=()
[ "$GATE_VERSION" != default ] && GATE_VERSION_ARGS=(--mysql_server_version "$GATE_VERSION")
echo "the gate announces version ${GATE_VERSION}" >&2
start gate "$ROOT/bin/tessera-gate" --topo-address "grpc://127.0.0.1:$TOPO" --cell zone1 \
  --mysql_server_port "$GATE" --mysql_server_bind_address 127.0.0.1 --port "$GATE_HTTP" --grpc_port "$GATE_GRPC" \
  --bind-address 127.0.0.1 --mysql_auth_server_impl none --max-connections 5000 "${GATE_VERSION_ARGS[@]}"
wait_port "$GATE" tessera-gate
for _ in $(seq 1 150); do
  if mariadb -h 127.0.0.1 -P "$GATE" -u sbtest bench -e "SELECT 1" >/dev/null 2>&1; then break; fi
  sleep 0.2
done

GATE_ARGS=(--mysql-host=127.0.0.1 "--mysql-port=$GATE" --mysql-user=sbtest --mysql-db=bench)
DIRECT_ARGS=(--mysql-host=127.0.0.1 "--mysql-port=$MYSQL" --mysql-user=sbtest "--mysql-password=$PW"
  --mysql-db=vt_bench)
SB=(--db-driver=mysql "--tables=$TABLES" "--table-size=$TABLE_SIZE")
echo "preparing $TABLES tables of $TABLE_SIZE rows through the gate ..." >&2
sysbench oltp_read_write "${SB[@]}" "${GATE_ARGS[@]}" prepare >"$DIR/prepare.log" 2>&1

# run <test> <threads> <percentile> <direct|gate> -> "qps latency_ms"
run() {
  local test=$1 threads=$2 pct=$3 where=$4 out
  local args=("${DIRECT_ARGS[@]}")
  [ "$where" = gate ] && args=("${GATE_ARGS[@]}")
  out=$(sysbench "$test" "${SB[@]}" "${args[@]}" "--threads=$threads" "--time=$TIME" "--percentile=$pct" \
    --report-interval=0 run 2>&1) || { echo "$out" >&2; echo "error: sysbench $test failed ($where)" >&2; exit 1; }
  echo "$out" >>"$DIR/sysbench-$where.log"
  local errors
  errors=$(echo "$out" | awk '/ignored errors:/ {print $3}')
  if [ "${errors:-0}" != 0 ]; then echo "warning: $errors ignored errors in $test $threads threads ($where)" >&2; fi
  echo "$(echo "$out" | awk '/queries:/ {gsub(/\(/,"",$3); print $3}') $(echo "$out" | awk '/percentile:/ {print $3}')"
}

# The warm-up is two runs, not one: the end of a run (its clients disconnecting) and the start of the next take code
# paths the steady state does not, and the JVMs then recompile hot methods whose profile those paths widened. With a
# single warm-up run, that recompilation fell into the first measured run (by hand, the gate and the tablet spent
# about twice their usual CPU per statement in it).
if [ "$WARMUP" -gt 0 ]; then
  echo "warming up for ${WARMUP} s per test, each way ..." >&2
  WARMUP_LAST=$((WARMUP / 3 > 0 ? WARMUP / 3 : 1))
  WARMUP_THREADS=$(echo "$THREADS" | awk '{print $NF}')
  for test in $TESTS; do
    for where in direct gate; do
      args=("${DIRECT_ARGS[@]}")
      [ "$where" = gate ] && args=("${GATE_ARGS[@]}")
      for part in "4 $((WARMUP - WARMUP_LAST > 0 ? WARMUP - WARMUP_LAST : 1))" "$WARMUP_THREADS $WARMUP_LAST"; do
        read -r threads seconds <<<"$part"
        sysbench "$test" "${SB[@]}" "${args[@]}" "--threads=$threads" "--time=$seconds" --report-interval=0 run \
          >>"$DIR/warmup.log" 2>&1 || { echo "error: warm-up of $test failed ($where)" >&2; exit 1; }
      done
    done
  done
fi

# median <numbers...>: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

printf '\n| test | threads | direct QPS | gate QPS | gate/direct | direct p95 ms | gate p95 ms |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for test in $TESTS; do
  for t in $THREADS; do
    dqs=(); dls=(); gqs=(); gls=()
    for _ in $(seq 1 "$REPEAT"); do
      read -r q l < <(run "$test" "$t" 95 direct); dqs+=("$q"); dls+=("$l")
      read -r q l < <(run "$test" "$t" 95 gate); gqs+=("$q"); gls+=("$l")
    done
    dq=$(median "${dqs[@]}"); dl=$(median "${dls[@]}"); gq=$(median "${gqs[@]}"); gl=$(median "${gls[@]}")
    ratio=$(awk -v g="$gq" -v d="$dq" 'BEGIN { printf "%.0f%%", (d > 0 ? 100 * g / d : 0) }')
    printf '| %s | %s | %.0f | %.0f | %s | %s | %s |\n' "$test" "$t" "$dq" "$gq" "$ratio" "$dl" "$gl"
  done
done

d50s=(); g50s=(); added=()
for _ in $(seq 1 "$REPEAT"); do
  read -r _ d < <(run oltp_point_select 1 50 direct)
  read -r _ g < <(run oltp_point_select 1 50 gate)
  d50s+=("$d"); g50s+=("$g"); added+=("$(awk -v g="$g" -v d="$d" 'BEGIN { printf "%.3f", g - d }')")
done
printf '\nSingle-thread point select, median latency (%s pairs): direct %s ms, gate %s ms, added %s ms (each pair: %s)\n' \
  "$REPEAT" "$(median "${d50s[@]}")" "$(median "${g50s[@]}")" "$(median "${added[@]}")" "${added[*]}"

# Where the CPU goes: each process's CPU time (user + system, from /proc) over one more point-select run through the
# gate at the highest thread count, divided by the queries it served.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
MAX_THREADS=$(echo "$THREADS" | awk '{print $NF}')
MYSQLD=$(pgrep -f "mariadbd.*$DIR" | head -1 || true)
g0=$(cpu_ticks "${PID_OF[gate]}"); t0=$(cpu_ticks "${PID_OF[tablet]}"); m0=$(cpu_ticks "${MYSQLD:-0}"); b0=$(busy_ticks)
read -r cq _ < <(run oltp_point_select "$MAX_THREADS" 95 gate)
g1=$(cpu_ticks "${PID_OF[gate]}"); t1=$(cpu_ticks "${PID_OF[tablet]}"); m1=$(cpu_ticks "${MYSQLD:-0}"); b1=$(busy_ticks)
awk -v q="$cq" -v time="$TIME" -v hz="$(getconf CLK_TCK)" -v g=$((g1 - g0)) -v t=$((t1 - t0)) -v m=$((m1 - m0)) \
  -v b=$((b1 - b0)) -v n="$MAX_THREADS" 'BEGIN {
    per = 1e6 / hz / (q * time)
    printf "CPU per point select through the gate at %s threads (%.0f QPS): gate %.0f us, tablet %.0f us, " \
      "mysqld %.0f us; all processes %.0f us\n", n, q, g * per, t * per, m * per, b * per }'

# Idle clients: each sysbench thread connects to the gate and then sleeps.
cat >"$DIR/idle.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef("int usleep(unsigned int usec);")
function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
end
function event()
  ffi.C.usleep(500000)
end
function thread_done()
  con:disconnect()
end
LUA
sysbench "$DIR/idle.lua" --db-driver=mysql "${GATE_ARGS[@]}" "--threads=$IDLE" --time=30 --report-interval=0 \
  run >"$DIR/idle.log" 2>&1 &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
sleep 20
GATE_JVM=${PID_OF[gate]}
CONNS=$(curl -s "http://127.0.0.1:$GATE_HTTP/metrics" | awk '/^tessera_gate_connections / {print $2}')
RSS=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$GATE_JVM/status" 2>/dev/null || echo "?")
printf 'Gate RSS with %s idle client connections (gate counts %s): %s MB\n' "$IDLE" "${CONNS:-?}" "$RSS"
wait "$IDLE_PID" || true
printf '\nMachine: %s, %s cores, %s; %s s per run, %s runs each way, %s tables x %s rows; gate version %s\n' \
  "$(uname -sr)" "$(nproc)" \
  "$(mariadbd --version 2>/dev/null | awk '{print $3}' || /usr/sbin/mariadbd --version | awk '{print $3}')" \
  "$TIME" "$REPEAT" "$TABLES" "$TABLE_SIZE" "$GATE_VERSION"
