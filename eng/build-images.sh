#!/usr/bin/env bash
# Builds the offline base images with debootstrap (no container registry is reachable here) and imports them
# into podman and docker. Idempotent: an image whose package list is unchanged is not rebuilt.
#
#   localhost/airut/debian:bookworm   minbase + ca-certificates, libssl3, libicu72, curl: base of the proxy image
#                                     in tests and of small test images
#   localhost/airut/client:bookworm   + git, python3, openssl, iproute2, dnsutils, netcat-openbsd, iputils-ping,
#                                     procps: the sandboxed command's image in end-to-end and attack tests
set -euo pipefail

cache=${AIRUT_IMAGE_CACHE:-/var/cache/airut/images}
mkdir -p "$cache"

declare -A packages=(
  [debian]="ca-certificates,curl,libssl3,libicu72"
  [client]="ca-certificates,curl,libssl3,libicu72,git,python3,openssl,iproute2,dnsutils,netcat-openbsd,iputils-ping,procps,bash"
)

engines=()
podman info >/dev/null 2>&1 && engines+=(podman)
docker version >/dev/null 2>&1 && engines+=(docker)
((${#engines[@]})) || { echo "eng: neither podman nor docker answers; run eng/setup-engines.sh" >&2; exit 1; }

image_label() { # engine image -> value of airut.image.inputs, or empty
  "$1" image inspect --format '{{index .Config.Labels "airut.image.inputs"}}' "$2" 2>/dev/null || true
}

build_rootfs() { # name inputs
  local name=$1 inputs=$2 tar="$cache/$1-$2.tar"
  [[ -s $tar ]] && return 0
  local root; root=$(mktemp -d "$cache/rootfs-$name.XXXXXX")
  echo "eng: debootstrap $name (about a minute)" >&2
  if ! debootstrap --variant=minbase --include="${packages[$name]}" bookworm "$root" >"$cache/$name.debootstrap.log" 2>&1; then
    tail -n 30 "$cache/$name.debootstrap.log" >&2
    rm -rf "$root"
    return 1
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$tar.partial" . && mv "$tar.partial" "$tar"
  rm -rf "$root"
}

declare -A quiet=([podman]=--quiet)
pids=()
for name in "${!packages[@]}"; do
  inputs=$(printf '%s' "bookworm minbase ${packages[$name]}" | sha256sum | cut -c1-16)
  need=0
  for e in "${engines[@]}"; do [[ $(image_label "$e" "localhost/airut/$name:bookworm") == "$inputs" ]] || need=1; done
  ((need)) || continue
  ( build_rootfs "$name" "$inputs"
    for e in "${engines[@]}"; do
      [[ $(image_label "$e" "localhost/airut/$name:bookworm") == "$inputs" ]] && continue
      echo "eng: importing localhost/airut/$name:bookworm into $e" >&2
      "$e" import ${quiet[$e]:-} --change "LABEL airut.image.inputs=$inputs" --change 'CMD ["/bin/bash"]' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "$cache/$name-$inputs.tar" "localhost/airut/$name:bookworm" >/dev/null
    done ) &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
