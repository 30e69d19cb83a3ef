#!/usr/bin/env bash
# Long fuzzing run of every reader (Fortran and C++ frontends, SLHA, JSON/CSV/LHE points); see
# docs/RELIABILITY.md. CI runs the same jqwik properties with 250 tries each (< 60 s in all).
#
#   scripts/fuzz.sh [TRIES]        default 10000 tries per property
#   MEGRAD_CORPUS=DIR scripts/fuzz.sh   corpus elsewhere than ../shared/madgraph
#   MVN_OPTS=-o scripts/fuzz.sh    offline
#
# A failure prints jqwik's shrunk input and seed; the input is also saved under
# */target/fuzz-findings/. Add it as an @Example next to the property that found it.
# Per-reader counts (runs, results, rejections) end up in */target/fuzz-findings/stats.txt.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
tries="${1:-10000}"
cd "$here"
rm -rf codegen/target/fuzz-findings cli/target/fuzz-findings
mvn -q ${MVN_OPTS:-} install -DskipTests
status=0
mvn ${MVN_OPTS:-} test -pl codegen,cli -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Djqwik.tries.default="$tries" -Dmegrad.fuzz.timeout=30 || status=$?
echo "== executions per reader ($tries tries per property)"
cat codegen/target/fuzz-findings/stats.txt cli/target/fuzz-findings/stats.txt 2>/dev/null || true
exit $status
