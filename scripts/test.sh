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
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
