#!/usr/bin/env bash
# Regenerates README.md's reference sections from the programs themselves: "CLI commands" from `tessera-ctl help`
# and "Daemon flags" from each daemon's --help. Run it after adding or changing a flag or a command:
#   ./deploy/docs/readme-reference.sh
# It rewrites only the text between the <!-- BEGIN GENERATED name ... --> and <!-- END GENERATED name --> markers.
# ReadmeReferenceTest (integration-tests) fails while README.md differs from what the programs print. The bin/
# launchers build the jars first if they are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

readme=README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A program's help, without trailing blanks (which Markdown would not show and editors strip).
help_of() {
  "bin/$1" "${@:2}" > "$work/out"
  sed 's/[[:space:]]*$//' "$work/out"
}

{
  echo '```text'
  help_of tessera-ctl help
  echo '```'
} > "$work/ctl-help"

{
  first=1
  while IFS='|' read -r program summary; do
    [ "$first" = 1 ] || echo
    first=0
    echo "<details><summary><code>$program</code>: $summary</summary>"
    echo
    echo '```text'
    help_of "$program" --help
    echo '```'
    echo
    echo '</details>'
  done <<'DAEMONS'
tessera-topo|the topology daemon (gRPC 15990)
tessera-tablet|one tablet in front of one MySQL server (HTTP 15000 + uid, gRPC 16000 + uid)
tessera-gate|the MySQL protocol front door (MySQL 15306, HTTP 15001, gRPC 15991)
tessera-ctld|the control daemon (HTTP 15000, gRPC 15999)
DAEMONS
} > "$work/daemon-flags"

# replace <name> <file>: puts the file's lines between the markers of <name>, keeping the markers.
replace() {
  if ! awk -v begin="<!-- BEGIN GENERATED $1" -v end="<!-- END GENERATED $1 -->" -v file="$2" '
      index($0, begin) == 1 { print; while ((getline line < file) > 0) print line; inside = 1; found = 1; next }
      index($0, end) == 1 { inside = 0 }
      !inside { print }
      END { if (!found || inside) exit 1 }' "$readme" > "$work/readme"; then
    echo "error: $readme needs a line starting '<!-- BEGIN GENERATED $1' and, after it, '<!-- END GENERATED $1 -->'" >&2
    exit 1
  fi
  cat "$work/readme" > "$readme"
}

replace ctl-help "$work/ctl-help"
replace daemon-flags "$work/daemon-flags"
echo "updated the CLI commands and Daemon flags sections of $readme"
