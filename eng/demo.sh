#!/usr/bin/env bash
# README's main job: one sandboxed command that shows an allowed request, a blocked one, and a masked secret
# arriving real upstream, then the network log. Everything stays on this machine: the "internet" is a network
# this script creates, with one HTTPS upstream (api.demo.test) on it. Works offline, on local images.
#   eng/demo.sh                       podman (or AIRUT_CONTAINER_RUNTIME=docker eng/demo.sh)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
engine=${AIRUT_CONTAINER_RUNTIME:-podman}
network=airut-demo-upstream
upstream=airut-demo-upstream-server

bash "$repo/eng/setup-engines.sh"
echo "demo: building airut-sandbox" >&2
# The build publishes airut-proxy into the repository's obj/ and bin/, as eng/pack.sh does: one at a time. Only this
# shell holds the lock (9>&-: build nodes that outlive the build must not).
mkdir -p "$repo/artifacts"
exec 9>"$repo/artifacts/build.lock"
flock 9
dotnet build "$repo/samples/Airut.Sandbox.Cli" -c Release --nologo -v quiet >/dev/null 9>&-
flock -u 9
cli="$repo/samples/Airut.Sandbox.Cli/bin/Release/net10.0/airut-sandbox"

remove_upstream() {
  "$engine" rm -f "$upstream" >/dev/null 2>&1 || true
  while iptables -S FORWARD 2>/dev/null | grep -q -- '--comment airut-demo-upstream'; do
    rule=$(iptables -S FORWARD | grep -- '--comment airut-demo-upstream' | head -n1 | sed 's/^-A /-D /')
    eval "iptables $rule" || break
  done
  "$engine" network rm -f "$network" >/dev/null 2>&1 || "$engine" network rm "$network" >/dev/null 2>&1 || true
}
remove_upstream
work=$(mktemp -d "${TMPDIR:-/tmp}/airut-demo.XXXXXX")
trap 'remove_upstream; rm -rf "$work" "$repo/samples/demo/.airut/upstream-ca.pem"' EXIT

# A CA and a server certificate for the demo upstream; the proxy trusts the CA through upstream_ca_bundle.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=airut-demo-upstream-ca \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=api.demo.test \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:api.demo.test\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null
chmod 0644 "$work/server.key"
cp "$work/ca.pem" "$repo/samples/demo/.airut/upstream-ca.pem"

# The demo's real token exists only on the host; the upstream knows only its SHA-256.
token="ghp_$(openssl rand -hex 18)"
export AIRUT_DEMO_TOKEN=$token
digest=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)

if [[ $engine == docker ]]; then
  docker network create --internal --subnet 10.251.77.0/24 "$network" >/dev/null
else
  podman network create --internal --subnet 10.251.77.0/24 "$network" >/dev/null
  # With dockerd on the same host, FORWARD defaults to DROP and bridged traffic passes through it
  # (br_netfilter): let the proxy and the upstream, both on this bridge, reach each other.
  bridge=$(podman network inspect --format '{{.NetworkInterface}}' "$network")
  iptables -I FORWARD -i "$bridge" -o "$bridge" -m comment --comment airut-demo-upstream -j ACCEPT
fi
"$engine" run -d --name "$upstream" --network "$network" --ip 10.251.77.10 \
  -v "$work:/certs:ro" -v "$repo/samples/demo/upstream:/srv:ro" -e "EXPECTED_TOKEN_SHA256=$digest" \
  localhost/airut/client:bookworm python3 -u /srv/server.py >/dev/null 2>"$work/upstream.err" \
  || { cat "$work/upstream.err" >&2; exit 1; }

cd "$repo/samples/demo"
echo "demo: running the sandboxed command (first run builds the images)" >&2
echo "----------------------------------------------------------------"
status=0
AIRUT_PROXY_BASE_IMAGE=${AIRUT_PROXY_BASE_IMAGE:-localhost/airut/debian:bookworm} \
  "$cli" run --container-command "$engine" --network-log "$work/network.log" -- bash /workspace/run-demo.sh \
  2> >(tee "$work/stderr.txt" >&2) | tee "$work/stdout.txt" || status=$?
echo "----------------------------------------------------------------"
echo "network log:"
cat "$work/network.log"
for f in network.log stdout.txt stderr.txt; do
  if grep -qF "$token" "$work/$f"; then
    echo "demo: the real token appears in $f" >&2
    exit 1
  fi
done
exit $status
