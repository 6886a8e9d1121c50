#!/usr/bin/env bash
# Summarises the Surefire reports of the last build: the topology contract suite per backend, then totals.
# Fails if any test was skipped or if no contract suite ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

attr() { sed -n "s/.*[[:space:]]$1=\"\([^\"]*\)\".*/\1/p" <<<"$2" | head -n1; }

total=0 failed=0 skipped=0 contract_runs=0
contract_lines=()
shopt -s nullglob
for report in */target/surefire-reports/TEST-*.xml; do
  header=$(grep -m1 '<testsuite' "$report")
  name=$(attr name "$header")
  tests=$(attr tests "$header"); errors=$(attr errors "$header")
  failures=$(attr failures "$header"); skips=$(attr skipped "$header")
  total=$((total + tests)); failed=$((failed + errors + failures)); skipped=$((skipped + skips))
  if [[ "$name" == *ContractTest ]]; then
    contract_runs=$((contract_runs + 1))
    contract_lines+=("$(printf '  %-60s %4s tests, %s failed, %s skipped' "${name##*.}" "$tests" \
      "$((errors + failures))" "$skips")")
  fi
done

echo
echo "Topology contract suite (TopoConnContractTest), per backend:"
printf '%s\n' "${contract_lines[@]:-  (none ran)}"
echo "All tests: $total run, $failed failed, $skipped skipped"
if [ "$contract_runs" -eq 0 ]; then
  echo "error: the topology contract suite did not run" >&2
  exit 1
fi
if [ "$skipped" -ne 0 ]; then
  echo "error: $skipped test(s) were skipped; a skipped test proves nothing — make it run here" >&2
  exit 1
fi
