#!/usr/bin/env bash
# GHA-08: prints, NUL-separated, the argv of the sandboxed command: bash -c SCRIPT _ PR_SHA COMMAND.
# The SHA and the user's command are positional arguments ($1, $2), never spliced into script text.
# Merge mode gets a fixed Git identity (SEC-16 [DEV]).
#   env: PR_SHA, COMMAND, MERGE ('true' selects merge mode; anything else checks the commit out)
set -euo pipefail

if [[ ! ${PR_SHA:-} =~ ^[0-9a-f]{40}$ ]]; then
  echo "airut-action: pr_sha must be a full 40-character lowercase commit SHA" >&2
  exit 1
fi
if [[ ${MERGE:-true} == true ]]; then
  git_cmd='git -c user.name=airut-sandbox -c user.email=airut-sandbox@localhost merge --no-edit "$1"'
else
  git_cmd='git -c advice.detachedHead=false checkout "$1"'
fi
printf '%s\0' bash -c "$git_cmd"' && eval "$2"' _ "$PR_SHA" "${COMMAND:?command is required}"
