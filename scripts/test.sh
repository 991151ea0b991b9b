#!/usr/bin/env bash
# Set-up (packages, restore, build) and every test of the solution. Usage: scripts/test.sh [dotnet test args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Test projects run one after another: several measure frame rates and must not share 2 cores.
set +e
dotnet test EdgeVision.sln -c "$CONFIGURATION" --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Sum the per-project totals that `dotnet test` prints ("Passed: N"); awk, not grep, so a count that
# never appears (no skipped tests) is 0 rather than a failed pipeline.
count() { awk -v key="$1:" '$1 == key && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo
# The names, so the end of the log (all a CI summary may keep) says which tests failed (with the first line of
# their message) or were skipped.
awk '$1 == "Failed" && $2 ~ /^EdgeVision\./ {name = $2; next}
     name != "" && /Error Message:/ {getline; sub(/^ +/, ""); print "  Failed " name ": " substr($0, 1, 240); name = ""}' "$log"
awk '$1 == "Skipped" && $2 ~ /^EdgeVision\./ {print "  Skipped " $2}' "$log" | sort -u
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
