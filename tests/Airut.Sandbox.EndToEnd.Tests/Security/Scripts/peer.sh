#!/bin/bash
# The concurrent peer sandbox B of NET-07: it reports its addresses and surrogate, then stays up until sandbox A's
# probes are done (the test creates /workspace/.atk/release).
P=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf)
echo "PEER client=$(ip -4 -o addr show scope global | awk '{split($4,a,"/"); print a[1]; exit}') proxy=$P surrogate=$TOK"
for _ in $(seq 1 1800); do [ -e /workspace/.atk/release ] && break; sleep 0.5; done
echo "PEER released"
