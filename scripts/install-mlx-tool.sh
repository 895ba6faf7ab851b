#!/usr/bin/env bash
# Packs the mlx tool for this machine's platform into a folder and installs it as a global .NET tool from there:
#   bash scripts/install-mlx-tool.sh [folder]     # then: mlx --help
# The package carries libtorch's native libraries for this platform only (a tool package holds all its dependencies).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
feed="${1:-$repo/out/mlx-tool}"
rid="$(dotnet --info | awk '/RID:/ {print $2; exit}')"
bash "$repo/scripts/ensure-native-runtime.sh"
echo "mlx tool: packing for $rid into $feed"
dotnet pack "$repo/src/Mlx.Cli/Mlx.Cli.csproj" -c Release -nologo -v:quiet -p:MlxPackTool=true -r "$rid" -o "$feed"
dotnet tool uninstall --global mlx >/dev/null 2>&1 || true
dotnet tool install --global --add-source "$feed" mlx
echo "mlx tool: installed; run 'mlx --help' (~/.dotnet/tools must be on PATH)"
