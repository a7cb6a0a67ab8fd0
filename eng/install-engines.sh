#!/usr/bin/env bash
# Installs the container engines and tools the tests need on a Debian 12 machine (root, no systemd).
# Idempotent: a machine that already has everything returns in well under a second.
set -euo pipefail

packages=(podman runc docker.io debootstrap iptables uidmap netavark aardvark-dns curl openssl dnsutils wrk nginx-light)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "eng: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
