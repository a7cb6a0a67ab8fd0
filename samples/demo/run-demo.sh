#!/usr/bin/env bash
# The command the demo runs inside the sandbox.
set -u
echo "1) allowed request:"
curl -sS https://api.demo.test/allowed/hello
echo "2) blocked request (not on the allowlist):"
curl -sS https://api.demo.test/private/data; echo
echo "3) the container's DEMO_TOKEN is a surrogate: ${DEMO_TOKEN:0:12}... (${#DEMO_TOKEN} characters)"
echo "4) sending it upstream:"
curl -sS -H "Authorization: Bearer $DEMO_TOKEN" https://api.demo.test/allowed/whoami
