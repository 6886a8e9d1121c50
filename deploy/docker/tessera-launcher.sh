#!/bin/sh
# The image's launcher: linked as tessera-topo, tessera-tablet, tessera-gate, tessera-ctld and tessera-ctl, it runs
# the program it is called as. The repository's bin/ launchers look for a JDK and build missing jars; the image has
# a JRE and prebuilt jars, so this one only starts java. JVM options come from TESSERA_JAVA_OPTS, as with bin/; when
# it is unset, the same defaults as bin/ apply (the gate's bounded heap, the throughput collector).
set -e
defaults=""
program=$(basename "$0")
case "$program" in
  tessera-topo) module=topo-server ;;
  tessera-tablet) module=tablet-server; defaults="-XX:+UseParallelGC" ;;
  tessera-gate) module=gate-server; defaults="-Xms64m -Xmx256m -XX:+UseParallelGC" ;;
  tessera-ctld) module=ctl-server ;;
  tessera-ctl) module=ctl-client ;;
  *)
    echo "tessera-launcher: run me as tessera-topo, tessera-tablet, tessera-gate, tessera-ctld or tessera-ctl" >&2
    exit 1
    ;;
esac
# shellcheck disable=SC2086 # the options are a list
exec java --enable-native-access=ALL-UNNAMED ${TESSERA_JAVA_OPTS-$defaults} -jar "/opt/tessera/$module/$program.jar" "$@"
