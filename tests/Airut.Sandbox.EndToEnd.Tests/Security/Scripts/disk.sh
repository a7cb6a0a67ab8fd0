#!/bin/bash
# The security suite's disk-exhaustion run (attacks.md RES-03), with resource_limits.disk: 64m and the workspace on a
# 64 MiB tmpfs of the test's. Each probe prints "RES-03 name: result"; a result names the error the writer got and
# how much it wrote.
say() { echo "RES-03 $1: $2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -m 90 "$@"; }
mib() { echo $(( $(stat -c %s "$1" 2>/dev/null || echo 0) / 1048576 )); }
# dd's last error line, reduced to the errno text ("No space left on device", "Read-only file system").
fill() { dd if=/dev/zero of="$1" bs=1M ${2:+count=$2} 2>&1 | sed -n 's/.*: \([A-Z][a-z -]*\)$/\1/p' | head -n1; }

say workspace "$(awk '$2 == "/workspace" {print $3}' /proc/mounts) $(df -k --output=size /workspace | tail -n1 | tr -d ' ')k"
say fallocate-workspace "$(fallocate -l 500G /workspace/big 2>&1 | sed 's/.*: //')"
rm -f /workspace/big
say dd-workspace "$(fill /workspace/fill) after $(mib /workspace/fill) MiB"
rm -f /workspace/fill
say dd-var-tmp "$(fill /var/tmp/fill) after $(mib /var/tmp/fill) MiB"
rm -f /var/tmp/fill
say dd-tmp "$(fill /tmp/fill) after $(mib /tmp/fill) MiB"
rm -f /tmp/fill
# The image's own filesystem (the container's writable layer on the engine's storage): 4 GiB if it took writes.
say dd-layer "$(fill /var/lib/fill 4096) after $(mib /var/lib/fill) MiB"
say touch-etc "$(touch /etc/planted 2>&1 | sed 's/.*: //')"
n=0
while [ $n -lt 100000 ]; do : > /workspace/f$n 2>/dev/null || break; n=$((n + 1)); done
say inodes "$( { : > /workspace/f$n; } 2>&1 | sed 's/.*: //') after $n files"
rm -f /workspace/f*
say control-after "$(code "https://allowed.test/pub/after-disk?rq=d1")"
