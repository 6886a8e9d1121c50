# Shared by deploy/local/up.sh and down.sh: the local cluster's shape, its ports, its data root layout and the
# bookkeeping of the processes it runs. Source it; it defines variables and functions only.
#
# Data root layout (default ~/.tessera/local, or --data-root):
#   cluster.conf            the settings the cluster was first started with (topology kind, port offset)
#   db-credentials.json     the tablets' MySQL passwords, generated on first start
#   logs/<process>.log      one log per process: topo (or etcd), ctld, tablet-<uid>, gate; ctl.log for commands
#   pids/<process>.pid      one pid file per process started by up.sh
#   state/                  markers of the setup steps already done (keyspaces, primaries, schema)
#   topo/ or etcd/          the topology's data
#   vt_<uid as 10 digits>/  each tablet's mysqld (my.cnf, data, binlogs, error.log, mysqld.pid)

TESSERA_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=../../lib/jdk.sh
source "$TESSERA_HOME/deploy/lib/jdk.sh"

CELL=zone1
DEFAULT_DATA_ROOT="$HOME/.tessera/local"

# Every tablet: uid keyspace shard initial-type. The first tablet of each shard becomes its primary.
TABLETS=(
  "100 commerce 0 replica"
  "101 commerce 0 replica"
  "102 commerce 0 rdonly"
  "300 customer -80 replica"
  "301 customer -80 replica"
  "400 customer 80- replica"
  "401 customer 80- replica"
)
KEYSPACES=(commerce customer)
# shard primary-uid
PRIMARIES=("commerce/0 100" "customer/-80 300" "customer/80- 400")

# ---- options shared by up.sh and down.sh ----------------------------------------------------------------------

DATA_ROOT=""
PORT_OFFSET=""
TOPO_KIND=""

# Makes DATA_ROOT absolute, without trailing slash.
resolve_data_root() {
  DATA_ROOT=${DATA_ROOT:-$DEFAULT_DATA_ROOT}
  case "$DATA_ROOT" in
    /*) ;;
    *) DATA_ROOT="$PWD/$DATA_ROOT" ;;
  esac
  DATA_ROOT=${DATA_ROOT%/}
}

# Reads cluster.conf, if any, into CONF_TOPO and CONF_PORT_OFFSET.
read_cluster_conf() {
  CONF_TOPO=""
  CONF_PORT_OFFSET=""
  local f="$DATA_ROOT/cluster.conf" key value
  [ -f "$f" ] || return 0
  while IFS='=' read -r key value; do
    case "$key" in
      topo) CONF_TOPO=$value ;;
      port_offset) CONF_PORT_OFFSET=$value ;;
    esac
  done <"$f"
}

# ---- ports ----------------------------------------------------------------------------------------------------
# The defaults of Vitess's local example, each moved by PORT_OFFSET.

port() {
  local base
  case "$1" in
    topo) base=15990 ;;
    etcd) base=2379 ;;
    etcd-peer) base=2380 ;;
    ctld-http) base=15000 ;;
    ctld-grpc) base=15999 ;;
    gate-mysql) base=15306 ;;
    gate-http) base=15001 ;;
    gate-grpc) base=15991 ;;
    *) echo "internal error: unknown port $1" >&2; return 1 ;;
  esac
  echo $((base + PORT_OFFSET))
}
tablet_http_port() { echo $((15000 + $1 + PORT_OFFSET)); }
tablet_grpc_port() { echo $((16000 + $1 + PORT_OFFSET)); }
tablet_mysql_port() { echo $((17000 + $1 + PORT_OFFSET)); }

# Every port the cluster listens on, one "port what" per line.
all_ports() {
  if [ "$TOPO_KIND" = etcd ]; then
    echo "$(port etcd) etcd"
    echo "$(port etcd-peer) etcd-peer"
  else
    echo "$(port topo) tessera-topo"
  fi
  echo "$(port ctld-http) tessera-ctld-http"
  echo "$(port ctld-grpc) tessera-ctld-grpc"
  local t uid
  for t in "${TABLETS[@]}"; do
    read -r uid _ <<<"$t"
    echo "$(tablet_http_port "$uid") tablet-$uid-http"
    echo "$(tablet_grpc_port "$uid") tablet-$uid-grpc"
    echo "$(tablet_mysql_port "$uid") tablet-$uid-mysqld"
  done
  echo "$(port gate-mysql) tessera-gate-mysql"
  echo "$(port gate-http) tessera-gate-http"
  echo "$(port gate-grpc) tessera-gate-grpc"
}

# True if something accepts TCP connections on 127.0.0.1:$1.
listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---- processes ------------------------------------------------------------------------------------------------
# A process is known by name (topo, etcd, ctld, tablet-100, gate). Its pid file holds its pid; its command line
# carries a marker naming the data root, so a pid reused by an unrelated process is never mistaken for ours.

pid_file() { echo "$DATA_ROOT/pids/$1.pid"; }
log_file() { echo "$DATA_ROOT/logs/$1.log"; }

# The string that the process's command line contains when it is ours.
process_marker() {
  case "$1" in
    etcd) echo "--data-dir $DATA_ROOT/etcd" ;;
    mysqld-*) echo "--defaults-file=$DATA_ROOT/vt_$(printf '%010d' "${1#mysqld-}")/my.cnf" ;;
    *) echo "-Dtessera.local=$1@$DATA_ROOT" ;;
  esac
}

# True if process $1 runs: it exists and is not a zombie waiting for its parent to collect it. A JVM's main thread
# can end before the others (ps shows "Zl": zombie leader, more threads): that process still runs and holds its
# ports, for instance while it writes its class-data archive at exit.
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ "$state" != Z* || "$state" == *l* ]]
}

# True if pid $2 is alive and is process $1 of this data root.
is_ours() {
  local name=$1 pid=$2 args
  [ -n "$pid" ] && alive "$pid" || return 1
  args=$(ps -ww -o args= -p "$pid" 2>/dev/null) || return 1
  [[ "$args" == *"$(process_marker "$name")"* ]]
}

# The pid recorded for process $1, or nothing.
recorded_pid() {
  local f
  f=$(pid_file "$1")
  [ -f "$f" ] && head -n1 "$f" | tr -dc '0-9'
  return 0
}

# True if process $1 of this data root is running.
running() {
  is_ours "$1" "$(recorded_pid "$1")"
}

# Names of every process up.sh starts, in start order.
process_names() {
  if [ "$TOPO_KIND" = etcd ]; then echo etcd; else echo topo; fi
  echo ctld
  local t uid
  for t in "${TABLETS[@]}"; do
    read -r uid _ <<<"$t"
    echo "tablet-$uid"
  done
  echo gate
}

# Names of the processes with a pid file, whatever their kind (for down.sh, which may not know the topology kind).
recorded_names() {
  local f
  for f in "$DATA_ROOT"/pids/*.pid; do
    [ -e "$f" ] || continue
    f=${f##*/}
    echo "${f%.pid}"
  done
}

# The mysqld pid of tablet $1 as its pid file records it (the tablet runs mysqld itself).
mysqld_pid() {
  local f
  f="$DATA_ROOT/vt_$(printf '%010d' "$1")/mysqld.pid"
  [ -f "$f" ] && head -n1 "$f" | tr -dc '0-9'
  return 0
}

# Seconds since $1 (a `date +%s.%N` value), with one decimal.
elapsed_since() {
  awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}
