#!/bin/bash
# The security suite's resource-abuse run (attacks.md RES-01, -02, -04, -05, -06). These probes would starve each
# other, so they run one after another; each prints "CASE-ID name: result" lines.
. /workspace/.atk/env.sh
P=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf)
say() { echo "$1 $2: $3"; }
# As attack.sh: an HTTP status (or status/exit=N); a failed TLS handshake (exit 35) is retried.
code() {
  local out rc
  for _ in 1 2 3; do out=$(curl -s -o /dev/null -w '%{http_code}' -m 90 "$@"); rc=$?; [ $rc -ne 35 ] && break; sleep 2; done
  if [ $rc -eq 0 ]; then printf '%s' "$out"; else printf '%s/exit=%s' "$out" $rc; fi
}
cg=/sys/fs/cgroup
# SEC-01: surrogates are fresh per run (the attack run printed its own).
say SEC-01 surrogate "$TOK"
first() { for f in "$@"; do [ -r "$f" ] && { cat "$f"; return; }; done; echo unreadable; }

# --- RES-01: fork bomb, capped by the pids limit; the proxy still answers afterwards
say RES-01 pids.max "$(first $cg/pids/pids.max $cg/pids.max)"
python3 - <<'PY'
import os, time
children = []
try:
    while len(children) < 100000:
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    print("RES-01 fork-bomb: uncapped")
except OSError:
    print("RES-01 fork-bomb: capped at %d" % len(children), flush=True)
for pid in children:
    os.kill(pid, 9)
for pid in children:
    os.waitpid(pid, 0)
PY
say RES-01 control-after "$(code "https://allowed.test/pub/after-fork-bomb?rq=r1")"

# --- RES-02: memory and CPU limits
say RES-02 memory.limit "$(first $cg/memory/memory.limit_in_bytes $cg/memory.max)"
say RES-02 memsw.limit "$(first $cg/memory/memory.memsw.limit_in_bytes $cg/memory.swap.max)"
say RES-02 cpu.quota "$(first $cg/cpu/cpu.cfs_quota_us $cg/cpu.cfs_quota_us $cg/cpu.max) $(first $cg/cpu/cpu.cfs_period_us $cg/cpu.cfs_period_us)"
# Going over the limit OOM-kills the run with 137: SandboxRunEndToEndTests.RES_02 covers that on its own.

# --- RES-05: output floods against the host-side reader
head -c 300000 /dev/zero | tr '\0' A
echo
yes flood | head -n 20000 >&2
say RES-05 after-flood alive

# --- RES-06: DNS and blocked-request floods; the proxy survives and logs every request
python3 - "$P" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
sent = answered = 0
for i in range(2000):
    name = b"".join(bytes([len(p)]) + p for p in [b"f%d" % i, b"flood", b"test"]) + b"\0"
    s.sendto(struct.pack("!HHHHHH", i, 0x0100, 1, 0, 0, 0) + name + struct.pack("!HH", 1, 1), (sys.argv[1], 53))
    sent += 1
    try:
        while True:
            s.recv(512)
            answered += 1
            if answered >= sent:
                break
    except socket.timeout:
        pass
print("RES-06 dns-flood: sent %d" % sent)
PY
long=$(head -c 8192 /dev/zero | tr '\0' a)
: > /tmp/curl.cfg
for i in $(seq 1 100); do printf 'url = "https://evil.test/flood-%d?q=%s"\noutput = "/dev/null"\n' "$i" "$long" >> /tmp/curl.cfg; done
say RES-06 blocked-flood "$(curl -s -m 120 -w '%{http_code}\n' -K /tmp/curl.cfg | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ' | sed 's/ $//')"
say RES-06 control-after "$(code "https://allowed.test/pub/after-flood?rq=r6")"

# --- RES-04: the command exits at once and leaves a background writer; it must not outlive the container
setsid nohup sh -c 'while :; do date >> /workspace/hb; sleep 0.5; done' >/dev/null 2>&1 &
sleep 2
say RES-04 writer started
exit 0
