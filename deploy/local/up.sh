#!/usr/bin/env bash
# Starts a Tessera cluster on this machine, in cell zone1:
#   ./deploy/local/up.sh [--data-root DIR] [--port-offset N] [--topo embedded|etcd]
#
#   topology   tessera-topo with its embedded store (gRPC 15990), or with --topo etcd a local etcd (2379)
#   control    tessera-ctld (HTTP 15000, gRPC 15999)
#   commerce   unsharded: tablets 100 (primary), 101 (replica), 102 (rdonly)
#   customer   sharded: -80 with 300 (primary), 301 (replica); 80- with 400 (primary), 401 (replica)
#   gate       tessera-gate: MySQL 15306 (any user, no password), HTTP 15001, gRPC 15991
#
# Tablet <uid> serves HTTP on 15000+uid, gRPC on 16000+uid, and runs its own mysqld on 17000+uid.
# --port-offset N adds N to every port above. Everything lives under the data root (default ~/.tessera/local):
# one log per process in logs/, one pid file per process in pids/. Builds what is not built yet and, as root on
# Debian/Ubuntu, installs MariaDB (and etcd) when missing. Run again when the cluster is up: it says so and changes
# nothing. After ./deploy/local/down.sh (without --purge) it starts the same cluster again, data included.
set -euo pipefail
# shellcheck source=lib/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

OPT_OFFSET=""
OPT_TOPO=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT=${2:?--data-root needs a directory}; shift 2 ;;
    --data-root=*) DATA_ROOT=${1#*=}; shift ;;
    --port-offset) OPT_OFFSET=${2:?--port-offset needs a number}; shift 2 ;;
    --port-offset=*) OPT_OFFSET=${1#*=}; shift ;;
    --topo) OPT_TOPO=${2:?--topo needs embedded or etcd}; shift 2 ;;
    --topo=*) OPT_TOPO=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "up.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "up.sh: error: $*" >&2; exit 1; }
say() { echo "[$(elapsed_since "$START")s] $*"; }
START=$(date +%s.%N)

case "$OPT_OFFSET" in
  *[!0-9]*) fail "--port-offset must be a non-negative number, got '$OPT_OFFSET'" ;;
esac
case "$OPT_TOPO" in
  ""|embedded|etcd) ;;
  *) fail "--topo must be embedded or etcd, got '$OPT_TOPO'" ;;
esac

resolve_data_root
# Each tablet's mysqld socket is <data root>/vt_<uid10>/mysql.sock, and a unix socket path has at most 107 bytes.
[ ${#DATA_ROOT} -le 70 ] || fail "the data root path is too long for mysqld's unix sockets (${#DATA_ROOT} > 70 \
characters): $DATA_ROOT; pass a shorter --data-root"
case "$DATA_ROOT" in
  *[[:space:]\'\"\#\;]*) fail "the data root path must not contain blanks, quotes, # or ;: $DATA_ROOT" ;;
esac

# The data root remembers how the cluster was first started: its tablets registered their ports in the topology
# and its data lives in one kind of topology, so neither may change while the data is kept.
read_cluster_conf
if [ -n "$CONF_TOPO" ]; then
  [ -z "$OPT_TOPO" ] || [ "$OPT_TOPO" = "$CONF_TOPO" ] || fail "the cluster in $DATA_ROOT uses --topo $CONF_TOPO; \
run ./deploy/local/down.sh --purge first to start afresh with --topo $OPT_TOPO, or pass another --data-root"
  [ -z "$OPT_OFFSET" ] || [ "$OPT_OFFSET" = "$CONF_PORT_OFFSET" ] || fail "the cluster in $DATA_ROOT uses \
--port-offset $CONF_PORT_OFFSET; run ./deploy/local/down.sh --purge first to change it, or pass another --data-root"
  TOPO_KIND=$CONF_TOPO
  PORT_OFFSET=$CONF_PORT_OFFSET
else
  TOPO_KIND=${OPT_TOPO:-embedded}
  PORT_OFFSET=${OPT_OFFSET:-0}
fi
[ $((17401 + PORT_OFFSET)) -le 65535 ] || fail "--port-offset $PORT_OFFSET moves tablet ports past 65535"

# ---- already running? -----------------------------------------------------------------------------------------

print_summary() {
  local ctl="bin/tessera-ctl --server localhost:$(port ctld-grpc)"
  cat <<EOF

  Connect:    mysql -h 127.0.0.1 -P $(port gate-mysql) -u user        (no password; or the mariadb client)
              databases: commerce, commerce@replica, commerce@rdonly, customer:-80, customer:80-
  Operate:    $ctl ListAllTablets $CELL
  Web pages:  ctld    http://localhost:$(port ctld-http)/
              gate    http://localhost:$(port gate-http)/debug/status
              tablets http://localhost:$(tablet_http_port 100)/debug/status (tablet 100; tablet <uid>: port \
$((15000 + PORT_OFFSET))+uid)
  Data, logs: $DATA_ROOT (logs/ has one log per process)
  Stop:       ./deploy/local/down.sh$(stop_args)          (add --purge to delete the data too)
EOF
}
stop_args() {
  [ "$DATA_ROOT" = "$DEFAULT_DATA_ROOT" ] || printf ' --data-root %s' "$DATA_ROOT"
}

up=() down=()
for name in $(process_names); do
  if running "$name"; then up+=("$name"); else down+=("$name"); fi
done
if [ ${#down[@]} -eq 0 ]; then
  echo "The local cluster in $DATA_ROOT is already up (${#up[@]} processes); nothing changed."
  print_summary
  exit 0
fi
if [ ${#up[@]} -gt 0 ]; then
  fail "the local cluster in $DATA_ROOT is only partly running (up: ${up[*]}; down: ${down[*]}). Run \
./deploy/local/down.sh$(stop_args) (it keeps the data), then this script again."
fi

# ---- what it needs: programs, a JDK, the jars -----------------------------------------------------------------

# shellcheck source=lib/deps.sh
source "$TESSERA_HOME/deploy/local/lib/deps.sh"
ensure_programs "$TOPO_KIND"
JAVA_HOME=$(find_jdk) || exit 1
export JAVA_HOME

JARS=(topo-server/target/tessera-topo.jar ctl-server/target/tessera-ctld.jar ctl-client/target/tessera-ctl.jar
  tablet-server/target/tessera-tablet.jar gate-server/target/tessera-gate.jar)
for jar in "${JARS[@]}"; do
  if [ ! -f "$TESSERA_HOME/$jar" ]; then
    say "building Tessera (./deploy/build.sh), once"
    ensure_maven
    "$TESSERA_HOME/deploy/build.sh" || fail "the build failed; see the Maven output above"
    break
  fi
done

busy=()
while read -r p what; do
  if listening "$p"; then busy+=("$p ($what)"); fi
done < <(all_ports)
[ ${#busy[@]} -eq 0 ] || fail "these ports are already in use: ${busy[*]}. Stop what uses them, or move every port \
with --port-offset N (for a fresh data root)"

mkdir -p "$DATA_ROOT"/{logs,pids,state}
if [ ! -f "$DATA_ROOT/cluster.conf" ]; then
  printf 'topo=%s\nport_offset=%s\n' "$TOPO_KIND" "$PORT_OFFSET" >"$DATA_ROOT/cluster.conf"
fi
CREDENTIALS="$DATA_ROOT/db-credentials.json"
if [ ! -f "$CREDENTIALS" ]; then
  secret() { od -An -tx1 -N12 /dev/urandom | tr -d ' \n'; }
  (umask 077; printf '{"vt_dba": ["%s"], "vt_app": ["%s"], "vt_repl": ["%s"]}\n' "$(secret)" "$(secret)" \
    "$(secret)" >"$CREDENTIALS")
fi

# If this run fails, stop what it started (the logs stay for reading).
STARTED=0
on_exit() {
  local code=$?
  if [ "$code" -ne 0 ] && [ "$STARTED" = 1 ]; then
    echo "up.sh: stopping what was started; the logs are in $DATA_ROOT/logs" >&2
    "$TESSERA_HOME/deploy/local/down.sh" --data-root "$DATA_ROOT" >&2 || true
  fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ---- JVM settings ---------------------------------------------------------------------------------------------
# Ten JVMs and seven mysqlds share the machine, so every JVM is small (measured, not guessed):
#  - a small heap that starts at 8 MB and grows only as far as the process needs (-Xms8m saved ~15 MB per JVM
#    against a heap committed up front), with the serial collector (no GC threads);
#  - the C1 compiler only: quick to warm up with a small code cache; a local cluster needs no peak throughput;
#  - a class-data-sharing archive per program next to its jar, written by the JVM when it exits after a start
#    without one (up.sh deletes one older than its jars). Later starts map the classes instead of loading and
#    verifying them, several times faster; mapped at its preferred address (JDK 21 to 25 relocate it by default),
#    the archive's pages are shared by the seven tablets instead of copied into each (~20 MB less per tablet).
# TESSERA_JAVA_OPTS from the environment comes last, so it can override any of this.
JDK_FEATURE=$(jdk_version "$JAVA_HOME")
USER_JAVA_OPTS=${TESSERA_JAVA_OPTS:-}
# java_opts NAME HEAP MODULE WRITER: WRITER is 1 for the one process of a start that may write MODULE's archive,
# so that two JVMs never write the same file at once.
java_opts() {
  local name=$1 heap=$2 module=$3 writer=$4 jar
  jar=$(jar_of "$module")
  local opts="-Xms8m -Xmx$heap -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m"
  opts+=" -XX:MaxMetaspaceSize=128m -XX:SharedArchiveFile=${jar%.jar}.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
  [ "$writer" = 1 ] && opts+=" -XX:+AutoCreateSharedArchive"
  [ "$JDK_FEATURE" -ge 25 ] && opts+=" -Xlog:aot=off"
  [ "$JDK_FEATURE" -le 25 ] && opts+=" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  echo "$opts -Dtessera.local=$name@$DATA_ROOT $USER_JAVA_OPTS"
}
# The JVM rewrites an archive made by another JDK, but one made from an older build of the jars is only refused:
# delete it, and the next writer makes a new one.
drop_stale_archives() {
  local jar jsa
  for jar in "${JARS[@]}"; do
    jar=$TESSERA_HOME/$jar
    jsa=${jar%.jar}.jsa
    [ -f "$jsa" ] || continue
    if [ "$jar" -nt "$jsa" ] || [ -n "$(find "${jar%/*}/lib" -newer "$jsa" -print -quit 2>/dev/null)" ]; then
      rm -f "$jsa"
    fi
  done
}
drop_stale_archives
jar_of() {
  local jar
  for jar in "${JARS[@]}"; do
    [[ "$jar" == "$1/"* ]] && echo "$TESSERA_HOME/$jar"
  done
}

# start NAME HEAP MODULE WRITER LAUNCHER ARGS...: runs bin/LAUNCHER in its own session, logging to logs/NAME.log.
start() {
  local name=$1 heap=$2 module=$3 writer=$4 launcher=$5
  shift 5
  local log
  log=$(log_file "$name")
  echo "=== $(date '+%F %T') starting $launcher $*" >>"$log"
  STARTED=1
  # bin/ launchers exec java, so $! is the JVM's pid. setsid detaches it from this terminal.
  TESSERA_JAVA_OPTS="$(java_opts "$name" "$heap" "$module" "$writer")" \
    $SETSID nohup "$TESSERA_HOME/bin/$launcher" "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}
SETSID=""
command -v setsid >/dev/null && SETSID=setsid

# await NAME SECONDS WHAT CHECK...: polls CHECK until it succeeds; fails if NAME's process exits or time runs out.
await() {
  local name=$1 timeout=$2 what=$3
  shift 3
  local pid deadline
  pid=$(recorded_pid "$name")
  deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    # The daemons are this shell's children, collected as soon as they exit: kill -0 is enough here.
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- last lines of $(log_file "$name"):" >&2
      tail -n 30 "$(log_file "$name")" >&2
      fail "$name exited before $what"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "--- last lines of $(log_file "$name"):" >&2
      tail -n 30 "$(log_file "$name")" >&2
      fail "$name: no $what after ${timeout}s"
    fi
    sleep 0.2
  done
}

# ctl ARGS...: one tessera-ctl command against the cluster's ctld. Prints its output, and logs it to logs/ctl.log.
# CTL_WRITER=0 keeps it from writing tessera-ctl's class-data archive (in_parallel lets only one command write it).
CTL_WRITER=1
ctl() {
  local out status=0
  out=$(TESSERA_JAVA_OPTS="$(java_opts ctl 64m ctl-client "$CTL_WRITER")" "$TESSERA_HOME/bin/tessera-ctl" \
    --server "127.0.0.1:$(port ctld-grpc)" "$@" 2>&1) || status=$?
  { echo "=== $(date '+%F %T') tessera-ctl $*$([ "$status" = 0 ] || echo " FAILED (exit $status)")"
    printf '%s\n' "$out"; } >>"$(log_file ctl)"
  if [ "$status" != 0 ]; then
    printf 'tessera-ctl %s failed:\n%s\n' "$*" "$out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}
# in_parallel "FUNCTION ARGS" ...: runs each at once (words split at blanks); fails if any fails.
in_parallel() {
  local pids=() cmd pid failed=0
  for cmd in "$@"; do
    # shellcheck disable=SC2086 # each string is a function name and its words
    $cmd >/dev/null &
    pids+=($!)
    CTL_WRITER=0
  done
  CTL_WRITER=1
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  return $failed
}

# ensure_keyspace KS: the keyspace with the semi_sync durability policy (REPLICA tablets acknowledge each commit).
ensure_keyspace() {
  local out
  out=$(ctl CreateKeyspace --force --durability-policy semi_sync "$1") || return 1
  if [[ "$out" != *semi_sync* ]]; then
    # A tablet registered first and created the keyspace, with no policy.
    CTL_WRITER=0 ctl SetKeyspaceDurabilityPolicy --durability-policy semi_sync "$1"
  fi
}
elect_primary() {
  ctl InitShardPrimary --force "$1" "$CELL-$2"
}
apply_schema() {
  ctl ApplySchema --sql-file "$TESSERA_HOME/deploy/local/schema/$1.sql" "$1"
}

mysql_client=$(command -v mariadb || command -v mysql)
# gate_query DATABASE SQL: one statement through the gate, as an application would send it.
gate_query() {
  "$mysql_client" -h 127.0.0.1 -P "$(port gate-mysql)" -u user --connect-timeout=2 -N -e "$2" "$1"
}

# ---- start ------------------------------------------------------------------------------------------------------

say "starting the local cluster in $DATA_ROOT (topology: $TOPO_KIND, port offset $PORT_OFFSET)"

if [ "$TOPO_KIND" = etcd ]; then
  etcd_url="http://127.0.0.1:$(port etcd)"
  peer_url="http://127.0.0.1:$(port etcd-peer)"
  log=$(log_file etcd)
  echo "=== $(date '+%F %T') starting etcd" >>"$log"
  STARTED=1
  $SETSID nohup "$(etcd_binary)" --name tessera-local --data-dir "$DATA_ROOT/etcd" \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "tessera-local=$peer_url" --logger zap --log-outputs stderr >>"$log" 2>&1 </dev/null &
  echo $! >"$(pid_file etcd)"
  await etcd 60 "client port $(port etcd)" listening "$(port etcd)"
  TOPO_ADDRESS="etcd://127.0.0.1:$(port etcd)/tessera"
else
  start topo 64m topo-server 1 tessera-topo --data-dir "$DATA_ROOT/topo" --port "$(port topo)" --bind-address 127.0.0.1
  await topo 60 "gRPC port $(port topo)" listening "$(port topo)"
  TOPO_ADDRESS="grpc://127.0.0.1:$(port topo)"
fi
say "topology serving at $TOPO_ADDRESS"

# ctld and the tablets start together: the tablets need only the topology.
start ctld 64m ctl-server 1 tessera-ctld --topo-address "$TOPO_ADDRESS" --port "$(port ctld-http)" \
  --grpc-port "$(port ctld-grpc)" --bind-address 127.0.0.1
writer=1
for t in "${TABLETS[@]}"; do
  read -r uid ks shard type <<<"$t"
  start "tablet-$uid" 64m tablet-server "$writer" tessera-tablet --topo-address "$TOPO_ADDRESS" \
    --tablet-path "$CELL-$uid" --init-keyspace "$ks" --init-shard "$shard" --init-tablet-type "$type" \
    --tablet-hostname 127.0.0.1 --bind-address 127.0.0.1 --port "$(tablet_http_port "$uid")" \
    --grpc-port "$(tablet_grpc_port "$uid")" --mysql-port "$(tablet_mysql_port "$uid")" \
    --data-root "$DATA_ROOT" --db-credentials-file "$CREDENTIALS" --health-check-interval 2s
  writer=0
done

await ctld 120 "gRPC port $(port ctld-grpc)" listening "$(port ctld-grpc)"
say "tessera-ctld serving (gRPC $(port ctld-grpc), HTTP $(port ctld-http))"
if [ ! -f "$DATA_ROOT/state/keyspaces" ]; then
  in_parallel "ensure_keyspace commerce" "ensure_keyspace customer"
  touch "$DATA_ROOT/state/keyspaces"
  say "keyspaces commerce and customer created (durability policy semi_sync)"
fi

for t in "${TABLETS[@]}"; do
  read -r uid _ <<<"$t"
  await "tablet-$uid" 180 "gRPC port $(tablet_grpc_port "$uid")" listening "$(tablet_grpc_port "$uid")"
done
say "${#TABLETS[@]} tablets serving, each over its own mysqld"

# The gate starts now: it follows the tablets' health and serves each shard as soon as it has a primary.
start gate 128m gate-server 1 tessera-gate --topo-address "$TOPO_ADDRESS" --cell "$CELL" --cells_to_watch "$CELL" \
  --mysql_server_port "$(port gate-mysql)" --mysql_server_bind_address 127.0.0.1 --port "$(port gate-http)" \
  --grpc_port "$(port gate-grpc)" --bind-address 127.0.0.1 --mysql_auth_server_impl none \
  --tablet_refresh_interval 2s --enable_buffer

if [ ! -f "$DATA_ROOT/state/primaries" ]; then
  elect=()
  for p in "${PRIMARIES[@]}"; do
    elect+=("elect_primary $p")
  done
  in_parallel "${elect[@]}"
  touch "$DATA_ROOT/state/primaries"
  say "primaries elected: commerce/0 zone1-100, customer/-80 zone1-300, customer/80- zone1-400"
fi

if [ ! -f "$DATA_ROOT/state/schema" ]; then
  in_parallel "apply_schema commerce" "apply_schema customer"
  touch "$DATA_ROOT/state/schema"
  say "schema applied: commerce (product), customer (customer, corder) on both shards"
fi

await gate 60 "MySQL port $(port gate-mysql)" listening "$(port gate-mysql)"
await gate 60 "answer from commerce's primary" gate_query commerce "SELECT COUNT(*) FROM product"
await gate 60 "answer from commerce's replica" gate_query commerce@replica "SELECT COUNT(*) FROM product"
await gate 60 "answer from customer/-80's primary" gate_query customer:-80 "SELECT COUNT(*) FROM customer"
await gate 60 "answer from customer/80-'s primary" gate_query customer:80- "SELECT COUNT(*) FROM customer"
STARTED=0
say "tessera-gate serving on MySQL port $(port gate-mysql)"

echo
echo "The Tessera local cluster is up: ${#TABLETS[@]} tablets in cell $CELL, ready in $(elapsed_since "$START") s."
print_summary
