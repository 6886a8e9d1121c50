# Finds a JDK 21 or newer for building and running Tessera. Source it, then call `find_jdk`: it prints the
# JDK's home on stdout, or explains on stderr what is missing and returns 1.
# Order: $JAVA_HOME if it is 21+, then the newest JDK 21+ under /usr/lib/jvm.

# Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing if it is not a JDK.
jdk_version() {
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n1)
  fi
  # Java 8 and older report 1.x.
  [ "$v" = "1" ] && v=8
  printf '%s' "$v"
}

find_jdk() {
  local v best="" best_v=0 home
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
    echo "note: JAVA_HOME=$JAVA_HOME is ${v:+Java $v, }not a JDK 21+; looking under /usr/lib/jvm" >&2
  fi
  for home in /usr/lib/jvm/*; do
    [ -d "$home" ] || continue
    v=$(jdk_version "$home")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then
      best=$home
      best_v=$v
    fi
  done
  if [ -n "$best" ]; then
    printf '%s\n' "$best"
    return 0
  fi
  cat >&2 <<MSG
error: Tessera needs a JDK 21 or newer, and none was found.
  Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*.
  Install one (for example Temurin 21 or 25, or your distribution's openjdk-21-jdk) and either put it under
  /usr/lib/jvm or point JAVA_HOME at it: export JAVA_HOME=/path/to/jdk-21
MSG
  return 1
}
