#!/usr/bin/env bash
# Builds every Tessera daemon (no tests): ./deploy/build.sh [extra mvn args]
# The launchers in bin/ run what this produces.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib/jdk.sh
JAVA_HOME=$(find_jdk)
export JAVA_HOME
command -v mvn >/dev/null || { echo "error: Maven (mvn) is not installed; on Debian/Ubuntu: apt-get install maven" >&2; exit 1; }
echo "building Tessera with JDK at $JAVA_HOME" >&2
mvn -B -q -DskipTests package "$@"
