#!/usr/bin/env bash
# kafkars' Admin extensions on Tansu and librdkafka's mock cluster, kafka-python 3.x as the
# peer (see tests/admin/ext_live.py). Needs `make compat`, pip confluent-kafka and
# kafka-python. Prints "ok - ..." per check, then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d /tmp/kafkars-admin-ext.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -Iinclude -o "$WORK/admin_cli" \
    tests/admin/admin_cli.c -lrdkafka > "$WORK/gcc.log" 2>&1 ||
  { cat "$WORK/gcc.log"; echo "not ok - admin_cli does not build"; echo "0 passed, 1 failed"; exit 1; }
timeout -k 10 240 python3 tests/admin/ext_live.py --cli "$WORK/admin_cli" --kafkars-lib "$PWD/build/compat"
rc=$?
if [ $rc -ge 124 ]; then
  echo "not ok - ext_live.py did not finish (exit $rc; limit 240 s)"
  echo "0 passed, 1 failed"
fi
exit $rc
