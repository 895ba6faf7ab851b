#!/usr/bin/env bash
# Consumes the Mlx packages as a user would: packs them, restores them from a local folder into a throw-away
# console app outside the repository, trains a pipeline that uses them and runs the workflow, saves both, and reloads
# them in a second process whose scores must equal the first's. Run by .ci/run after the tests (the solution must be built).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
# A version no earlier run used: the packages land in the shared NuGet cache under it and are removed afterwards.
version="0.0.0-consumer.$(date +%s)"
nuget_cache="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')"
cleanup() {
  rm -rf "$work"
  for p in mlx.core mlx.featureengineering mlx.estimators mlx.vision mlx.workflow; do rm -rf "${nuget_cache%/}/$p/$version"; done
}
trap cleanup EXIT

echo "consumer app: packing Mlx $version"
dotnet pack "$repo/Mlx.sln" -c Release --no-build -nologo -v:quiet -p:PackageVersion="$version" -o "$work/feed" >/dev/null
for f in "$work"/feed/*.nupkg; do
  size=$(stat -c %s "$f")
  echo "  $(basename "$f"): $((size / 1024)) KB"
  # A package is its code: anything over 1 MB has packed something it should depend on instead.
  if [ "$size" -gt 1048576 ]; then echo "consumer app: $(basename "$f") is over 1 MB" >&2; exit 1; fi
done

mkdir -p "$work/app"
cp "$repo/scripts/consumer-app/Program.cs" "$work/app/"
cp "$repo/tests/golden/sklearn/wine.csv" "$work/app/"
mkdir -p "$work/app/photos"
head -n 7 "$repo/examples/data/tuxpaint_photos/labels.csv" | tail -n 6 | cut -d, -f1 | while read -r photo; do
  cp "$repo/examples/data/tuxpaint_photos/$photo" "$work/app/photos/"
done
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="mlx-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/app/ConsumerApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML" Version="6.0.0" />
    <PackageReference Include="Mlx.FeatureEngineering" Version="$version" />
    <PackageReference Include="Mlx.Estimators" Version="$version" />
    <PackageReference Include="Mlx.Vision" Version="$version" />
    <PackageReference Include="Mlx.Workflow" Version="$version" />
  </ItemGroup>
</Project>
XML

cd "$work/app"
echo "consumer app: restore and build in $work/app"
dotnet build -c Release -nologo -v:quiet -clp:ErrorsOnly
echo "consumer app: train and save"
dotnet bin/Release/net10.0/ConsumerApp.dll train "$work/app"
echo "consumer app: load in a new process and compare"
dotnet bin/Release/net10.0/ConsumerApp.dll load "$work/app"
echo "consumer app: ok"
