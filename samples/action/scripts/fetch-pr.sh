#!/usr/bin/env bash
# GHA-04 on the host: fetch the PR commit into the trusted base checkout's .git, so the sandbox needs no Git
# credentials. The token is handed to this one git command only (never written to .git/config), so
# untrusted code inside the sandbox cannot read it (SEC-15 [DEV]).
#   env: TARGET_SHA (40 hex), optional GIT_FETCH_TOKEN (the job token)
set -euo pipefail

if [[ ! ${TARGET_SHA:-} =~ ^[0-9a-f]{40}$ ]]; then
  echo "airut-action: pr_sha must be a full 40-character lowercase commit SHA" >&2
  exit 1
fi
if git config --get-regexp '^http\..*extraheader' >/dev/null 2>&1; then
  echo "airut-action: .git/config holds a persisted credential (http.*.extraheader); check out with persist-credentials: false" >&2
  exit 1
fi

args=()
if [[ -n ${GIT_FETCH_TOKEN:-} ]]; then
  basic=$(printf 'x-access-token:%s' "$GIT_FETCH_TOKEN" | base64 -w0)
  args+=(-c "http.extraheader=AUTHORIZATION: basic $basic")
fi
git "${args[@]}" fetch --no-tags origin "$TARGET_SHA"
git cat-file -e "$TARGET_SHA^{commit}"
