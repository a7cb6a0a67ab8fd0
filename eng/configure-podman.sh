#!/usr/bin/env bash
# Configures rootful podman for restricted hosts, only where the host needs it:
#  - hybrid cgroups (v1 controllers + a v2 "unified" mount): crun refuses them, runc works;
#  - no CAP_SYS_RESOURCE: podman's default ulimits exceed the host's hard limits and setrlimit fails.
# The file is ours (marked); an existing containers.conf that is not ours is left alone.
set -euo pipefail

conf=/etc/containers/containers.conf
marker='# managed by airut eng/configure-podman.sh'

if [[ -f $conf ]] && ! grep -qF "$marker" "$conf"; then
  echo "eng: $conf exists and is not managed by this script; leaving it alone" >&2
  exit 0
fi

runtime_line=''
if [[ -d /sys/fs/cgroup/unified && "$(stat -fc %T /sys/fs/cgroup)" == tmpfs ]]; then
  runtime_line='runtime = "runc"'
fi

ulimits_line=''
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
if (( (16#$cap_eff >> 24 & 1) == 0 )); then
  hard_nofile=$(ulimit -Hn)
  hard_nproc=$(ulimit -Hu)
  nproc=4096
  [[ $hard_nproc != unlimited ]] && (( hard_nproc < nproc )) && nproc=$hard_nproc
  ulimits_line="default_ulimits = [\"nofile=${hard_nofile}:${hard_nofile}\", \"nproc=${nproc}:${nproc}\"]"
fi

network_line=''
command -v netavark >/dev/null 2>&1 || [[ -x /usr/lib/podman/netavark ]] && network_line='network_backend = "netavark"'

want=$(printf '%s\n[containers]\n%s\n[engine]\n%s\n[network]\n%s\n' "$marker" "$ulimits_line" "$runtime_line" "$network_line")
if [[ ! -f $conf ]] || [[ "$(cat "$conf")" != "$want" ]]; then
  mkdir -p /etc/containers
  printf '%s\n' "$want" > "$conf"
  echo "eng: wrote $conf" >&2
fi
