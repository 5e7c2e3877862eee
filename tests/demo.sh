#!/usr/bin/env bash
# make demo: starts kafkars' own mock cluster (3 brokers, through librdkafka's mock API
# on libkafkars), produces 1000 messages through libkafkars with the C example producer
# (built against librdkafka's header), consumes them with a group, and reads them back
# with genuine librdkafka to show they arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
fifo=$(mktemp -u); mkfifo "$fifo"
out=$(mktemp)
python3 tests/brokers/mock_cluster.py --lib build/compat/librdkafka.so.1 --brokers 3 --topic demo:3 < "$fifo" > "$out" 2>/dev/null &
mc=$!
exec 3> "$fifo"
trap 'exec 3>&-; wait $mc 2>/dev/null; rm -f "$fifo" "$out"' EXIT
for _ in $(seq 100); do grep -q BOOTSTRAP "$out" && break; sleep 0.1; done
B=$(awk '/BOOTSTRAP/{print $2}' "$out")
[ -n "$B" ] || { echo "mock cluster did not start"; exit 1; }
echo "mock cluster (kafkars' own, 3 brokers): $B"
echo "--- producing 1000 messages through libkafkars (build/compat/librdkafka.so.1 -> libkafkars.so)"
LD_LIBRARY_PATH=build/compat build/bin/producer "$B" demo 1000 100
echo "--- consuming them back through libkafkars with a consumer group (examples/group_consumer.c)"
LD_LIBRARY_PATH=build/compat timeout 60 build/bin/group_consumer --count 1000 --timeout 30 --quiet "$B" demo-group demo
echo "--- reading them back with genuine librdkafka (cross-check)"
python3 tests/oracle/read_topic.py --bootstrap "$B" --topic demo --expect 1000 --timeout 20 > "$out.read"
python3 - "$out.read" <<'PY'
import json, sys, collections, base64
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
per = collections.Counter(r["partition"] for r in rows)
print(f"read {len(rows)} messages: " + ", ".join(f"partition {p}: {n}" for p, n in sorted(per.items())))
first = min(rows, key=lambda r: (r["partition"], r["offset"]))
print("first message: key=%s value=%s... headers=%s" % (base64.b64decode(first["key"]).decode(), base64.b64decode(first["value"])[:16].decode(), [h[0] for h in first["headers"]]))
PY
rm -f "$out.read"
