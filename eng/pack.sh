#!/usr/bin/env bash
# Packs every NuGet package into one folder (a local feed):
#   Airut.Sandbox (the one to install; carries airut-proxy), Airut.Sandbox.{Abstractions,Core,Proxy,Docker,Podman},
#   and the Airut.Sandbox.Cli dotnet tool (command airut-sandbox; carries airut-proxy).
#   eng/pack.sh [OUTPUT_DIR]        default artifacts/packages; extra arguments go to `dotnet pack`
# Release, deterministic; ContinuousIntegrationBuild when CI=true (Directory.Build.props). Version: Version.props.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/packages}
shift || true
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The packages take whole publish directories (the CLI's, airut-proxy's): start them empty so nothing stale rides along.
rm -rf "$repo/samples/Airut.Sandbox.Cli/bin/Release/net10.0/publish" \
  "$repo/src/Airut.Sandbox.Proxy.Program/bin/Release/net10.0/linux-x64/publish"

dotnet pack "$repo/eng/packages.slnf" -c Release -o "$out" --nologo "$@"
ls -l "$out"/*.nupkg
