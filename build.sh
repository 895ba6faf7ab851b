#!/usr/bin/env bash
# The two set-up commands of the README:
#   bash build.sh quickstart   # the main job: `mlx train` (the universal workflow) on bundled real data
#   bash build.sh test         # every test
# Each installs what is missing (the native C++ runtime TorchSharp needs), restores, builds (Release) and runs.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage: bash build.sh quickstart|test" >&2; exit 2; }
[ $# -eq 1 ] || usage

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Mlx: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/ensure-native-runtime.sh

build() { dotnet build Mlx.sln -c Release -nologo -clp:ErrorsOnly -v:quiet; }

case "$1" in
  quickstart)
    build
    # The front door: the whole workflow on German credit (1,000 loan applicants, 13 categorical and 7 numeric
    # columns), within a 90 s budget; the model, report.html/.md/.json and plots land in out/quickstart.
    dotnet run --project src/Mlx.Cli -c Release --no-build -- train \
      --data examples/data/german_credit/credit_g.csv --label class --time 90s --out out/quickstart
    ;;
  test)
    build
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    status=0
    dotnet test Mlx.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
    # One closing line over all test assemblies: "tests: N passed, N failed, N skipped".
    awk '/(Passed|Failed)! +- Failed:/ {
           for (i = 1; i <= NF; i++) { gsub(",", "", $i); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
         }
         END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    exit $status
    ;;
  *) usage ;;
esac
