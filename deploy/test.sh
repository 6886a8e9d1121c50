#!/usr/bin/env bash
# Runs every Tessera test against real infrastructure: ./deploy/test.sh [extra mvn args]
# Installs what the tests need when it is missing (MariaDB, etcd, sysbench), finds a JDK 21+, runs
# `mvn -B verify`, then prints what ran. Any skipped test fails the run: a skipped test proves nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./deploy/install-deps.sh
source deploy/lib/jdk.sh
JAVA_HOME=$(find_jdk)
export JAVA_HOME
echo "JDK: $JAVA_HOME" >&2

mvn -B verify "$@"

./deploy/lib/test-summary.sh
