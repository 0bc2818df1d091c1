#!/usr/bin/env bash
# Runs every PeerLine test and ends with one line: "N passed, N failed".
# ./test.sh --fast leaves out the browser tests (trait Category=Browser) for a quick local loop.
# Needs the .NET 10 SDK; restores NuGet packages and local tools itself, and installs Node.js, npm and
# Chromium with apt when they are missing.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dotnet.microsoft.com/download)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

filter=()
if [ "${1:-}" = "--fast" ]; then filter=(--filter "Category!=Browser"); fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$(pwd)/TestResults"
rm -rf "$results"

# What a fresh Debian machine lacks: Node.js with npm (the web client's build and its protocol tests) and
# Chromium (the browser tests). Installed only when missing, and only as root with apt.
need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ -x "${PEERLINE_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${need[*]} with apt-get..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PEERLINE_ARTIFACTS="$results/artifacts"

dotnet tool restore >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
dotnet build PeerLine.sln -c Debug || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

dotnet test PeerLine.sln --no-build -c Debug ${filter[@]+"${filter[@]}"} \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  --blame-hang-timeout 5m
status=$?

# The browser's protocol code (WebCrypto) against the same vectors, with Node's own test runner.
web_passed=0; web_failed=0
if command -v node >/dev/null 2>&1; then
  web_log="$results/node-test.log"
  mkdir -p "$results"
  (cd src/PeerLine.Web && node --test test/*.test.js) 2>&1 | tee "$web_log"
  web_passed=$(grep -E '^# pass ' "$web_log" | awk '{print $3}' | tail -1)
  web_failed=$(grep -E '^# fail ' "$web_log" | awk '{print $3}' | tail -1)
  web_passed=${web_passed:-0}; web_failed=${web_failed:-1}
else
  echo "Node.js is required for the web protocol tests (node --test)." >&2
  web_failed=1
fi

# Count outcomes from the TRX files: dotnet test's own summary is not a line CI reads.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -oE '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)
  f=$(grep -oE '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# Name the failed .NET tests once more at the end, where a CI log's tail shows them.
if [ "$failed" -gt 0 ]; then
  echo "Failed .NET tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    grep -oE '<UnitTestResult [^>]*outcome="Failed"' "$trx" | grep -oE 'testName="[^"]*"' | sed 's/^testName=/  /'
  done
fi
passed=$((passed + web_passed)); failed=$((failed + web_failed))
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
