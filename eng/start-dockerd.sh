#!/usr/bin/env bash
# Starts dockerd in the background when nothing answers on its socket (there is no systemd here),
# then waits until it answers. Idempotent.
set -euo pipefail

sock=/var/run/docker.sock
answers() { curl -fsS --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }

answers && exit 0
if pgrep -x dockerd >/dev/null; then
  echo "eng: dockerd is running but not answering yet" >&2
else
  echo "eng: starting dockerd" >&2
  nohup dockerd --host "unix://$sock" >/var/log/dockerd.log 2>&1 &
fi
for _ in $(seq 1 120); do
  answers && exit 0
  sleep 0.5
done
echo "eng: dockerd did not answer on $sock within 60 s; see /var/log/dockerd.log" >&2
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1
