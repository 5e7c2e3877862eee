#!/usr/bin/env bash
# Drop-in check: Debian's kcat (linked against librdkafka.so.1) runs on libkafkars through
# the compat link; genuine librdkafka reads back what it produced.
set -uo pipefail
cd "$(dirname "$0")/../.."
compat=$PWD/build/compat
pass=0; fail=0
check() { if eval "$2"; then pass=$((pass+1)); echo "ok: $1"; else fail=$((fail+1)); echo "FAILED: $1"; fi; }

fifo=$(mktemp -u); mkfifo "$fifo"; out=$(mktemp); tmp=$(mktemp -d)
python3 tests/brokers/mock_cluster.py --brokers 3 --topic kcat:3 < "$fifo" > "$out" 2>/dev/null &
mc=$!; exec 3> "$fifo"
trap 'exec 3>&-; wait $mc 2>/dev/null; rm -rf "$fifo" "$out" "$tmp"' EXIT
for _ in $(seq 100); do grep -q BOOTSTRAP "$out" && break; sleep 0.1; done
B=$(awk '/BOOTSTRAP/{print $2}' "$out")

# The library kcat loads really is ours.
# (Output captured first: grep -q closing the pipe early would SIGPIPE kcat under pipefail.)
LD_LIBRARY_PATH=$compat LD_DEBUG=libs kcat -V > "$tmp/ldd" 2>&1
check "kcat loads libkafkars via LD_LIBRARY_PATH" "grep -q 'build/compat/librdkafka.so.1' $tmp/ldd && grep -q kafkars $tmp/ldd"

# kcat -P: keyed lines, with a header, through kafkars.
for i in $(seq 1 200); do echo "k$i:value-$i"; done > "$tmp/in"
LD_LIBRARY_PATH=$compat timeout 30 kcat -P -b "$B" -t kcat -K: -H src=kcat -z snappy < "$tmp/in" 2> "$tmp/err"
rc=$?
check "kcat -P exits 0" "[ $rc -eq 0 ]"
timeout 40 python3 tests/oracle/read_topic.py --bootstrap "$B" --topic kcat --expect 200 --timeout 20 > "$tmp/read" 2>"$tmp/rerr"
check "genuine librdkafka reads the 200 messages kcat produced through kafkars" "[ \$(wc -l < $tmp/read) -eq 200 ]"
python3 - "$tmp/read" "$tmp/in" > "$tmp/cmp" <<'PY'
import json, sys, base64
want = {}
for line in open(sys.argv[2]):
    k, v = line.rstrip("\n").split(":", 1)
    want[k] = v
rows = [json.loads(l) for l in open(sys.argv[1])]
bad = 0
for r in rows:
    k = base64.b64decode(r["key"]).decode(); v = base64.b64decode(r["value"]).decode()
    hdr = {h[0]: base64.b64decode(h[1]).decode() for h in r["headers"]}
    if want.get(k) != v or hdr.get("src") != "kcat":
        bad += 1
print("mismatches", bad)
PY
check "keys, values and headers byte-exact" "grep -q 'mismatches 0' $tmp/cmp"

# kcat -L (metadata) on kafkars lists the 3 brokers and the topic's partitions.
LD_LIBRARY_PATH=$compat timeout 20 kcat -L -b "$B" -t kcat > "$tmp/meta" 2>&1
check "kcat -L shows 3 brokers" "grep -q ' 3 brokers:' $tmp/meta"
check "kcat -L shows topic kcat with 3 partitions" "grep -q 'topic \"kcat\" with 3 partitions' $tmp/meta"

echo "kcat: $pass passed, $fail failed"
[ $fail -eq 0 ]
