#!/usr/bin/env bash
# Proxy benchmark: the same loopback nginx upstream (HTTPS, self-signed) reached
#   (a) directly, (b) through airut-proxy, (c) through mitmproxy in reverse mode,
# in one run, with wrk as the load generator. See bench/README.md for what it prints.
#
# Environment:
#   DURATION     seconds per cell (default 5)
#   CLIENTS      concurrent connections to try (default "1 8 64")
#   BODIES       response bodies to try: small (100 B), 1m (1 MiB), 16m (16 MiB) (default "small 1m")
#   AIRUT_PROXY  an already published airut-proxy executable; otherwise it is published here (Release)
#   SKIP_AIRUT=1 / SKIP_MITM=1  leave a target out
#   MATRIX=0     only start the proxies and report start-to-ready time and idle RSS
# Everything listens on 127.0.0.1 only and is torn down on exit.
set -euo pipefail

DURATION=${DURATION:-5}
CLIENTS=${CLIENTS:-"1 8 64"}
BODIES=${BODIES:-"small 1m"}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/airut-proxy-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in nginx wrk openssl curl unshare; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (unshare -m gives wrk a private /etc/hosts for upstream.test)" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
now_ms() { date +%s%3N; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Polls an HTTPS URL until it answers 200; prints the milliseconds since $2 (a now_ms value).
wait_ready() {
  local url=$1 start=$2; shift 2
  for _ in $(seq 1 1500); do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' "$@" "$url" || true)" = 200 ]; then
      echo $(( $(now_ms) - start )); return 0
    fi
    sleep 0.02
  done
  return 1
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- upstream: nginx, self-signed TLS
UP_PORT=$(free_port)
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
head -c 100 /dev/zero | tr '\0' 's' > "$WORK/www/small"
head -c 1048576 /dev/urandom > "$WORK/www/1m"
[[ " $BODIES " == *" 16m "* ]] && head -c 16777216 /dev/urandom > "$WORK/www/16m"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$WORK/upstream.key" -out "$WORK/upstream.pem" -subj "/CN=upstream.test" \
  -addext "subjectAltName=DNS:upstream.test,IP:127.0.0.1" 2>/dev/null
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
user root;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$UP_PORT ssl;
    ssl_certificate $WORK/upstream.pem;
    ssl_certificate_key $WORK/upstream.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    root $WORK/www;
  }
}
NGINX
nginx -c "$WORK/nginx.conf" &
PIDS+=($!)
wait_ready "https://127.0.0.1:$UP_PORT/small" "$(now_ms)" >/dev/null || { echo "nginx did not start" >&2; cat "$WORK/nginx-error.log" >&2; exit 1; }

declare -A URL WRAP PID READY_MS IDLE_RSS PEAK_RSS
TARGETS=(direct)
URL[direct]="https://127.0.0.1:$UP_PORT"
WRAP[direct]=""

# ---------------------------------------------------------------- (b) airut-proxy
if [ "${SKIP_AIRUT:-0}" != 1 ]; then
  PROXY_BIN=${AIRUT_PROXY:-}
  if [ -z "$PROXY_BIN" ]; then
    echo "publishing airut-proxy (Release, linux-x64, self-contained as in the proxy image) ..." >&2
    if dotnet publish "$REPO/src/Airut.Sandbox.Proxy.Program" -c Release -r linux-x64 --self-contained true -o "$WORK/airut-proxy" >"$WORK/publish.log" 2>&1; then
      PROXY_BIN="$WORK/airut-proxy/airut-proxy"
    else
      echo "airut-proxy did not build; (b) is left out (see the publish log below)" >&2; tail -20 "$WORK/publish.log" >&2
    fi
  fi
  if [ -n "$PROXY_BIN" ]; then
    PX_PORT=$(free_port)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -subj "/CN=airut bench CA" \
      -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    cat > "$WORK/proxy.json" <<JSON
{
  "listen": { "https": ["127.0.0.1:$PX_PORT"] },
  "allowlist": { "domains": ["upstream.test"] },
  "ca_certificate_path": "$WORK/ca.pem",
  "ca_key_path": "$WORK/ca.key",
  "network_log_path": "$WORK/network.log",
  "upstream_hosts": [ { "pattern": "upstream.test", "address": "127.0.0.1", "port": $UP_PORT } ],
  "upstream_hosts_only": true,
  "upstream_ca_bundle_path": "$WORK/upstream.pem"
}
JSON
    echo "127.0.0.1 upstream.test" > "$WORK/hosts"
    start=$(now_ms)
    "$PROXY_BIN" --config "$WORK/proxy.json" >"$WORK/airut-proxy.out" 2>&1 &
    PID[airut]=$!; PIDS+=($!)
    if READY_MS[airut]=$(wait_ready "https://upstream.test:$PX_PORT/small" "$start" --resolve "upstream.test:$PX_PORT:127.0.0.1"); then
      TARGETS+=(airut)
      URL[airut]="https://upstream.test:$PX_PORT"
      # wrk has no --resolve: it runs in a private mount namespace whose /etc/hosts maps upstream.test to
      # loopback, so it sends SNI and Host upstream.test as a sandboxed client would.
      WRAP[airut]="unshare -m sh -c 'mount --bind $WORK/hosts /etc/hosts && exec \"\$0\" \"\$@\"'"
    else
      echo "airut-proxy did not become ready; (b) is left out. Its output:" >&2; tail -20 "$WORK/airut-proxy.out" >&2
    fi
  fi
fi

# ---------------------------------------------------------------- (c) mitmproxy, reverse mode
if [ "${SKIP_MITM:-0}" != 1 ] && command -v mitmdump >/dev/null; then
  MITM_PORT=$(free_port)
  start=$(now_ms)
  mitmdump --mode "reverse:https://127.0.0.1:$UP_PORT" --ssl-insecure \
    --listen-host 127.0.0.1 --listen-port "$MITM_PORT" --set confdir="$WORK/mitm" -q >"$WORK/mitm.out" 2>&1 &
  PID[mitm]=$!; PIDS+=($!)
  if READY_MS[mitm]=$(wait_ready "https://127.0.0.1:$MITM_PORT/small" "$start"); then
    TARGETS+=(mitm)
    URL[mitm]="https://127.0.0.1:$MITM_PORT"
    WRAP[mitm]=""
  else
    echo "mitmdump did not become ready; (c) is left out" >&2; tail -20 "$WORK/mitm.out" >&2
  fi
fi

sleep 1
for t in airut mitm; do
  if [ -n "${PID[$t]:-}" ]; then IDLE_RSS[$t]=$(rss_kib "${PID[$t]}"); PEAK_RSS[$t]=${IDLE_RSS[$t]}; fi
done

# ---------------------------------------------------------------- the matrix
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
run_cell() {  # target mode body clients
  local target=$1 mode=$2 body=$3 clients=$4
  local threads=$(( clients < 2 ? clients : 2 ))
  local header=()
  [ "$mode" = new-conn ] && header=(-H "Connection: close")
  local sampler=""
  if [ -n "${PID[$target]:-}" ] && [ "$clients" = 64 ]; then
    ( peak=0; while kill -0 "${PID[$target]}" 2>/dev/null; do
        r=$(rss_kib "${PID[$target]}"); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$WORK/peak.$target"
        sleep 0.2; done ) &
    sampler=$!
  fi
  local out
  out=$(eval "${WRAP[$target]} wrk -t$threads -c$clients -d${DURATION}s --timeout 10s -s '$HERE/report.lua' \"\${header[@]}\" '${URL[$target]}/$body'" 2>&1 | grep '^RESULT' || true)
  if [ -n "$sampler" ]; then
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    if [ -f "$WORK/peak.$target" ]; then
      local p; p=$(cat "$WORK/peak.$target")
      [ "$p" -gt "${PEAK_RSS[$target]}" ] && PEAK_RSS[$target]=$p
    fi
  fi
  [ -n "$out" ] || { echo "wrk failed for $target $mode $body c=$clients" >&2; return 0; }
  echo -e "$target\t$mode\t$body\t$clients\t$out" >> "$RESULTS"
  echo "  $target $mode $body c=$clients: $out" >&2
}

if [ "${MATRIX:-1}" = 1 ]; then
# Warm-up, not recorded: JIT tiering, connection pools and TLS session caches settle first.
for target in "${TARGETS[@]}"; do
  for body in $BODIES; do
    eval "${WRAP[$target]} wrk -t2 -c8 -d2s --timeout 10s '${URL[$target]}/$body'" >/dev/null 2>&1 || true
  done
done

for mode in keep-alive new-conn; do
  for body in $BODIES; do
    for clients in $CLIENTS; do
      for target in "${TARGETS[@]}"; do
        run_cell "$target" "$mode" "$body" "$clients"
      done
    done
  done
done
fi

# ---------------------------------------------------------------- report
echo
if [ "${MATRIX:-1}" = 1 ]; then
echo "Proxy benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${DURATION}s per cell, wrk over HTTPS, upstream nginx on loopback"
echo "targets: direct = nginx; airut = airut-proxy -> nginx; mitm = mitmdump reverse -> nginx"
echo "load average: at start $LOAD_START; at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -F'\t' '
  function field(s, name,   m) { if (match(s, name "=[0-9]+")) return substr(s, RSTART + length(name) + 1, RLENGTH - length(name) - 1); return "" }
  {
    key = $2 "\t" $3 "\t" $4
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    req = field($5, "requests"); dur = field($5, "duration_us")
    rps[key, $1] = dur > 0 ? req / (dur / 1e6) : 0
    p50[key, $1] = field($5, "p50_us") / 1000; p99[key, $1] = field($5, "p99_us") / 1000
    err[key, $1] = field($5, "socket_errors") + field($5, "status_errors")
  }
  function cell(key, t) {
    if (!((key, t) in rps)) return sprintf("%9s %7s %8s", "n/a", "", "")
    if (rps[key, t] == 0) return sprintf("%9s %7s %8s", "0", "-", "-")
    return sprintf("%9.0f %7.2f %8.2f", rps[key, t], p50[key, t], p99[key, t])
  }
  function ratio(key, a, b) { return (((key, a) in rps) && ((key, b) in rps) && rps[key, b] > 0) ? sprintf("%6.2f", rps[key, a] / rps[key, b]) : sprintf("%6s", "n/a") }
  END {
    printf "%-10s %-5s %3s | %-26s | %-26s | %-26s | %6s %6s %s\n", "mode", "body", "c", "direct req/s p50ms p99ms", "airut req/s p50ms p99ms", "mitm req/s p50ms p99ms", "b/a", "b/c", "errors(a/b/c)"
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, parts, "\t")
      printf "%-10s %-5s %3s | %s | %s | %s | %s %s %d/%d/%d\n", parts[1], parts[2], parts[3], cell(k, "direct"), cell(k, "airut"), cell(k, "mitm"), ratio(k, "airut", "direct"), ratio(k, "airut", "mitm"), err[k, "direct"], err[k, "airut"], err[k, "mitm"]
    }
  }' "$RESULTS"
echo
echo "b/a and b/c are req/s ratios (airut / direct, airut / mitm); 0 req/s = no request completed in the cell."
echo "Latency is wrk's: from writing a request to reading its response (connect and TLS handshake excluded)."
echo "errors = socket errors + non-2xx responses."
fi
for t in airut mitm; do
  if [ -n "${PID[$t]:-}" ] && [ -n "${READY_MS[$t]:-}" ]; then
    peak="not measured"
    [[ " $CLIENTS " == *" 64 "* ]] && [ "${MATRIX:-1}" = 1 ] && peak=$(printf "%.1f MiB" "$(echo "${PEAK_RSS[$t]} / 1024" | bc -l)")
    printf "%-6s start-to-ready %5s ms   RSS idle %7.1f MiB   RSS peak at 64 clients %s\n" \
      "$t" "${READY_MS[$t]}" "$(echo "${IDLE_RSS[$t]} / 1024" | bc -l)" "$peak"
  fi
done
