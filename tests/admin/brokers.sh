#!/usr/bin/env bash
# Admin API against real brokers (librdkafka's 3-broker mock cluster and Tansu): every
# operation each broker serves, the ones it does not, client-side argument errors, broker
# routing (AdminOptions broker) and request timeouts against stopped brokers, run through
# tests/admin/admin_cli.c on genuine librdkafka 2.16 (the pip confluent-kafka wheel's) and
# on kafkars (build/compat), each on fresh brokers given the same state; every result is
# compared with genuine's. The driver is tests/admin/brokers.py (see its docstring); what
# genuine returns on each broker is in tests/admin/NOTES.md.
#
# Usage: bash tests/admin/brokers.sh      (KEEP=DIR keeps the records and logs there)
# Output: "ok - ..." / "not ok - ..." per check, then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PY:-python3}

WORK=$(mktemp -d /tmp/kafkars-admin-brokers.XXXXXX)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

fail_setup() { echo "not ok - setup: $*"; echo "0 passed, 1 failed"; exit 1; }

[ -e build/compat/librdkafka.so.1 ] || fail_setup "build/compat/librdkafka.so.1 missing (make build)"
GENUINE=$("$PY" -c 'import sys; sys.path.insert(0, "tests/brokers"); from _common import find_bundled_librdkafka as f; print(f() or "")')
[ -n "$GENUINE" ] || fail_setup "no genuine librdkafka (pip install confluent-kafka)"
mkdir -p "$WORK/lib-genuine"
ln -s "$GENUINE" "$WORK/lib-genuine/librdkafka.so.1"

gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -Iinclude -o "$WORK/admin_cli" \
    tests/admin/admin_cli.c -lrdkafka > "$WORK/gcc.log" 2>&1 ||
  { cat "$WORK/gcc.log"; fail_setup "admin_cli does not build"; }

OUT=${KEEP:-$WORK/out}
timeout -k 10 240 "$PY" tests/admin/brokers.py --cli "$WORK/admin_cli" \
  --genuine-lib "$WORK/lib-genuine" --kafkars-lib "$ROOT/build/compat" --keep "$OUT"
rc=$?
if [ $rc -ge 124 ]; then # timeout (124, or killed) or a signal: brokers.py printed no summary
  echo "not ok - brokers.py did not finish (exit $rc; limit 240 s)"
  echo "0 passed, 1 failed"
fi
exit $rc
