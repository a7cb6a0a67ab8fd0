#!/usr/bin/env bash
# Everything the runtime and end-to-end tests need, on a fresh Debian 12 machine or an already prepared one:
# packages, podman configuration, a running dockerd, and the offline base images in both engines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

bash "$here/install-engines.sh"
bash "$here/configure-podman.sh"
bash "$here/start-dockerd.sh"
podman info >/dev/null
bash "$here/build-images.sh"
