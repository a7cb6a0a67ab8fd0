#!/usr/bin/env bash
# GHA-05/GHA-06: reads `airut-sandbox image hash` output (repo=HEX, proxy=HEX) on stdin and prints the cache
# keys as step outputs. Anything but exactly two 64-hex lines fails, so a broken hash never yields an empty key.
#   env: CACHE_VERSION (optional)
set -euo pipefail

repo='' proxy=''
while IFS= read -r line; do
  case $line in
    repo=*) repo=${line#repo=} ;;
    proxy=*) proxy=${line#proxy=} ;;
    *) echo "airut-action: unexpected image hash output" >&2; exit 1 ;;
  esac
done
for h in "$repo" "$proxy"; do
  [[ $h =~ ^[0-9a-f]{64}$ ]] || { echo "airut-action: image hash output is not two 64-hex hashes" >&2; exit 1; }
done
suffix=''
[[ -n ${CACHE_VERSION:-} ]] && suffix="-v$CACHE_VERSION"
echo "repo-key=airut-repo-$repo$suffix"
echo "proxy-key=airut-proxy-$proxy$suffix"
