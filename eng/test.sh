#!/usr/bin/env bash
# README's test command: prepares engines and offline images, then runs every test in the solution.
#   eng/test.sh                      all tests (Unit, Proxy, Runtime, EndToEnd)
#   eng/test.sh --filter Category=Unit    any extra arguments go to `dotnet test`
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

bash eng/setup-engines.sh

results=$(mktemp -d "${TMPDIR:-/tmp}/airut-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

status=0
export AIRUT_SECURITY_SUMMARY="$results/security-summary.txt"
dotnet build Airut.Sandbox.sln -c Release --nologo -v quiet || exit 1
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "$@" || status=$?
done

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
  if [[ $(get failed) != 0 ]]; then
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p'
  fi
done
# Security suite (tests/Airut.Sandbox.EndToEnd.Tests/Security): cases per engine, and real secret values found
# anywhere they must not be (the suite's leak scans); any hit fails the run.
for engine in Podman Docker; do
  cases=$(cat "$results"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*testName=\"[^\"]*Security.${engine}SecuritySuiteTests[^>]*>" || true)
  echo "security suite $engine: $(grep -c . <<<"$cases") cases run, $(grep -c 'outcome="Passed"' <<<"$cases") passed"
done
hits=0
if [[ -f $AIRUT_SECURITY_SUMMARY ]]; then hits=$(awk -F'real_hits=' 'NF > 1 {s += $2} END {print s + 0}' "$AIRUT_SECURITY_SUMMARY"); fi
echo "security suite: $hits real-value hits"
if (( hits > 0 )); then status=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if (( status == 0 && failed > 0 )); then status=1; fi
if (( passed == 0 )); then echo "tests: no test ran" >&2; status=1; fi
exit $status
