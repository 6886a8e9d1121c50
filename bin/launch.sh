# Shared by the bin/tessera-* launchers: finds a JDK 21+, builds the daemon if it was never built, and runs it.
# JVM options come from TESSERA_JAVA_OPTS (for example -Xmx256m); when it is unset, a launcher's own defaults
# (TESSERA_DEFAULT_JAVA_OPTS, set by the launcher before calling launch) apply instead.
TESSERA_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/lib/jdk.sh
source "$TESSERA_HOME/deploy/lib/jdk.sh"

# True if this process may lower nice values to -10: root, CAP_SYS_NICE (bit 23 of the effective capabilities), or
# an RLIMIT_NICE that allows it.
may_raise_priority() {
  local limit caps
  [ "$(id -u)" = 0 ] && return 0
  caps=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)
  [[ "$caps" =~ ^[0-9a-fA-F]+$ ]] && (( (16#$caps >> 23) & 1 )) && return 0
  limit=$(ulimit -e 2>/dev/null) || return 1
  [ "$limit" = unlimited ] || { [[ "$limit" =~ ^[0-9]+$ ]] && [ "$limit" -ge 30 ]; }
}

# launch <module dir> <jar name> [args...]
# TESSERA_LOOP_PRIORITY=raised (set by the gate's and the tablet's launchers) maps Java priorities to nice values.
launch() {
  local module=$1 jar=$2 java_home
  shift 2
  java_home=$(find_jdk) || exit 1
  local jar_path="$TESSERA_HOME/$module/target/$jar.jar"
  if [ ! -f "$jar_path" ]; then
    echo "$jar is not built yet; building it with ./deploy/build.sh ..." >&2
    "$TESSERA_HOME/deploy/build.sh" -pl "$module" -am >&2 || exit 1
  fi
  # Netty reads and writes its direct buffers through sun.misc.Unsafe when the JDK lets it; from Java 25 it does
  # not ask unless the JDK is told to allow it, and every buffer access then goes through the slower, checked
  # ByteBuffer path (docs/PERFORMANCE.md). The option exists from Java 23; older JDKs allow Unsafe anyway.
  local -a jdk_opts=(--enable-native-access=ALL-UNNAMED)
  local version
  version=$(jdk_version "$java_home")
  if [ "$version" -ge 23 ]; then
    jdk_opts+=(--sun-misc-unsafe-memory-access=allow)
  fi
  # Compact object headers (8 bytes instead of 12) are a product option from Java 25: the daemons allocate small,
  # short-lived objects per statement (protobuf messages, futures), and smaller ones cost less CPU and memory
  # (docs/PERFORMANCE.md, twentieth run).
  if [ "$version" -ge 25 ]; then
    jdk_opts+=(-XX:+UseCompactObjectHeaders)
  fi
  # The gate's and the tablet's event loops run at the highest Java priority (EventLoops); the JVM maps it to nice
  # -10 only when told to, and only a process that may raise priorities (root, CAP_SYS_NICE, or RLIMIT_NICE of 30,
  # that is `ulimit -e 30`) can have it. Then a loop with work does not wait for a core behind mysqld's and the
  # clients' threads (docs/PERFORMANCE.md, thirteenth run). Elsewhere the JVM would only warn, so nothing is asked.
  if [ "${TESSERA_LOOP_PRIORITY:-}" = raised ] && may_raise_priority; then
    jdk_opts+=(-XX:ThreadPriorityPolicy=1 -XX:JavaPriority10_To_OSPriority=-10)
  fi
  # shellcheck disable=SC2086 # the options are a list
  exec "$java_home/bin/java" "${jdk_opts[@]}" ${TESSERA_JAVA_OPTS-${TESSERA_DEFAULT_JAVA_OPTS:-}} \
    -jar "$jar_path" "$@"
}
