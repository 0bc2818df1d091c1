#!/usr/bin/env bash
# Runs every PeerLine test and ends with one line: "N passed, N failed".
# Needs the .NET 10 SDK; restores NuGet packages and local tools itself.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dotnet.microsoft.com/download)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$(pwd)/TestResults"
rm -rf "$results"

dotnet tool restore >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
dotnet build PeerLine.sln -c Debug || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

dotnet test PeerLine.sln --no-build -c Debug \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  --blame-hang-timeout 5m
status=$?

# Count outcomes from the TRX files: dotnet test's own summary is not a line CI reads.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -oE '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)
  f=$(grep -oE '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
