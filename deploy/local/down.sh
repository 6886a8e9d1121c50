#!/usr/bin/env bash
# Stops the local cluster that ./deploy/local/up.sh started:
#   ./deploy/local/down.sh [--data-root DIR] [--purge]
#
# Every process is stopped by the pid up.sh recorded: first the gate and tessera-ctld, then the tablets (each shuts
# its mysqld down), then the topology. Each gets SIGTERM and, if still running after its grace period,
# SIGKILL; a mysqld left behind by a killed tablet is stopped the same way. The data stays, so up.sh starts the same
# cluster again; --purge deletes the data root as well. With nothing running it says so and exits 0.
set -euo pipefail
# shellcheck source=lib/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"

PURGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) DATA_ROOT=${2:?--data-root needs a directory}; shift 2 ;;
    --data-root=*) DATA_ROOT=${1#*=}; shift ;;
    --purge) PURGE=1; shift ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "down.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
resolve_data_root
START=$(date +%s.%N)

if [ ! -d "$DATA_ROOT" ]; then
  echo "No local cluster in $DATA_ROOT: nothing to stop."
  exit 0
fi
if [ ! -f "$DATA_ROOT/cluster.conf" ] && [ ! -d "$DATA_ROOT/pids" ]; then
  echo "down.sh: error: $DATA_ROOT is not a local cluster's data root (it has no cluster.conf); left alone" >&2
  exit 1
fi

# stop_all GRACE NAME...: SIGTERM to each running process, then SIGKILL to those still there after GRACE seconds.
# Prints the names it stopped.
stopped=()
stop_all() {
  local grace=$1 name pid
  shift
  local names=() pids=()
  for name in "$@"; do
    if [[ "$name" == mysqld-* ]]; then pid=$(mysqld_pid "${name#mysqld-}"); else pid=$(recorded_pid "$name"); fi
    if is_ours "$name" "$pid"; then
      names+=("$name")
      pids+=("$pid")
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  local deadline=$(($(date +%s) + grace)) i still
  while true; do
    still=0
    for pid in "${pids[@]}"; do
      if alive "$pid"; then still=1; fi
    done
    [ "$still" = 1 ] && [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if alive "${pids[$i]}"; then
      echo "${names[$i]} (pid ${pids[$i]}) did not stop within ${grace}s; killing it" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do
    # A killed process is gone once the kernel reaps it; wait for that so no port stays bound.
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  done
  stopped+=("${names[@]}")
}

tablets=() others=()
for name in $(recorded_names); do
  case "$name" in
    tablet-*) tablets+=("$name") ;;
    gate|ctld) ;;
    *) others+=("$name") ;;
  esac
done
# Every tablet directory's mysqld, whether or not its tablet still has a pid file.
mysqlds=()
for dir in "$DATA_ROOT"/vt_*; do
  [ -d "$dir" ] || continue
  case "${dir##*/vt_}" in *[!0-9]*) continue ;; esac
  uid=$((10#${dir##*/vt_}))
  mysqlds+=("mysqld-$uid")
done

# The gate and ctld first: they hold health streams open to every tablet, which a stopping tablet would otherwise
# wait for. A tablet shuts its mysqld down before it exits, which takes a few seconds.
stop_all 20 gate ctld
stop_all 60 "${tablets[@]}"
stop_all 30 "${mysqlds[@]}"
stop_all 20 "${others[@]}"
rm -f "$DATA_ROOT"/pids/*.pid

if [ ${#stopped[@]} -eq 0 ]; then
  echo "No local cluster is running in $DATA_ROOT: nothing to stop."
else
  echo "Stopped ${#stopped[@]} processes of the local cluster in $DATA_ROOT in $(elapsed_since "$START") s:" \
    "${stopped[*]}."
fi

# Anything still listening on the cluster's ports is not ours (ours are gone); say so rather than stay silent.
read_cluster_conf
if [ -n "$CONF_TOPO" ]; then
  TOPO_KIND=$CONF_TOPO
  PORT_OFFSET=$CONF_PORT_OFFSET
  while read -r p what; do
    if listening "$p"; then echo "note: port $p ($what) is still in use by another process" >&2; fi
  done < <(all_ports)
fi

if [ "$PURGE" = 1 ]; then
  rm -rf "$DATA_ROOT"
  echo "Removed the data root $DATA_ROOT."
else
  echo "The data stays in $DATA_ROOT: ./deploy/local/up.sh starts the same cluster again; --purge removes it."
fi
