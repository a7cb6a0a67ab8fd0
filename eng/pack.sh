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

# Builds that publish airut-proxy into the repository's obj/ and bin/ (this one, eng/demo.sh) run one at a time: two
# crossgen2 runs over the same files fail. This shell holds the lock until it exits; children do not (9>&-), since
# build nodes can outlive the build.
mkdir -p "$repo/artifacts"
exec 9>"$repo/artifacts/build.lock"
flock 9

# The packages take whole publish directories (the CLI's, airut-proxy's): start them empty so nothing stale rides along.
rm -rf "$repo/samples/Airut.Sandbox.Cli/bin/Release/net10.0/publish" \
  "$repo/src/Airut.Sandbox.Proxy.Program/bin/Release/net10.0/linux-x64/publish"

dotnet pack "$repo/eng/packages.slnf" -c Release -o "$out" --nologo "$@" 9>&-
ls -l "$out"/*.nupkg
