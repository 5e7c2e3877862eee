#!/usr/bin/env bash
# Checks tests/bench/sink.c against genuine clients: produces SINK_CHECK_COUNT (1000000)
# x 100 B messages through the sink with kcat on librdkafka 2.0.2 (Debian), kcat on
# kafkars (LD_LIBRARY_PATH=build/compat), and the pip confluent-kafka (librdkafka
# 2.16), plain and with enable.idempotence=true: every delivery report must succeed
# and the sink's record count must equal the messages produced. Then with
# `--error 87` and `--error 10` (non-retriable) SINK_CHECK_ERR_COUNT (1000) messages:
# every delivery report must fail with that error. Source mode (--source-size, the
# consume benchmark's broker): kcat on 2.0.2, 2.16 (the wheel's library) and kafkars
# reads 2000 records from an offset with check.crcs=true (offsets consecutive, the
# right sizes), and each rejects a template whose CRC is wrong (SINK_CORRUPT=1).
# Prints one line per check; exits non-zero if any check fails.
# Env: SINK_CHECK_COUNT, SINK_CHECK_ERR_COUNT, SINK_CHECK_CLIENTS (default
# "kcat-2.0.2 kcat-kafkars python-2.16"), KAFKARS_LIBDIR (build/compat), CC.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
COUNT=${SINK_CHECK_COUNT:-1000000}
ERR_COUNT=${SINK_CHECK_ERR_COUNT:-1000}
CLIENTS=${SINK_CHECK_CLIENTS:-kcat-2.0.2 kcat-kafkars python-2.16}
KLIB=${KAFKARS_LIBDIR:-$ROOT/build/compat}
CC=${CC:-gcc}
TMP=$(mktemp -d /tmp/sink_check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SINK=$TMP/sink
$CC -O2 -Wall -pthread -o "$SINK" tests/bench/sink.c || exit 1
FAILS=0

python3 -c "import sys; sys.stdout.write(('x' * 99 + '\n') * $COUNT)" >"$TMP/msgs"
head -n "$ERR_COUNT" "$TMP/msgs" >"$TMP/msgs_err"

SINK_PID=
sink_start() {
    local line=
    coproc SINKP { exec timeout 600 "$SINK" "$@" 2>"$TMP/sink.err"; }
    SINK_PID=$SINKP_PID
    exec {SINK_IN}>&"${SINKP[1]}" {SINK_OUT}<&"${SINKP[0]}"
    eval "exec ${SINKP[1]}>&- ${SINKP[0]}<&-"
    read -r -t 10 -u "$SINK_OUT" line || true
    BOOTSTRAP=${line#BOOTSTRAP }
}
sink_stop() { # sets SINK_LOG (its exit line) and REC (its records count)
    exec {SINK_IN}>&- {SINK_OUT}<&-
    for _ in $(seq 50); do kill -0 "$SINK_PID" 2>/dev/null || break; sleep 0.1; done
    kill "$SINK_PID" 2>/dev/null
    wait "$SINK_PID" 2>/dev/null
    SINK_LOG=$(grep 'sink: exit' "$TMP/sink.err")
    REC=$(sed -n 's/.*; records \([0-9]*\),.*/\1/p' "$TMP/sink.err")
}

# produce <client> <file> <conf...>: prints "<delivered> <failed> <first error>"
produce() {
    local client=$1 file=$2
    shift 2
    local xs=() c
    for c in "$@"; do xs+=(-X "$c"); done
    case $client in
    kcat-2.0.2 | kcat-kafkars)
        local env=()
        [ "$client" = kcat-kafkars ] && env=(LD_LIBRARY_PATH="$KLIB")
        env "${env[@]}" timeout 120 kcat -P -b "$BOOTSTRAP" -t "t-$RANDOM" "${xs[@]}" -l "$file" \
            2>"$TMP/client.err"
        local rc=$? n f
        n=$(wc -l <"$file")
        f=$(grep -c 'Delivery failed' "$TMP/client.err")
        echo "$((n - f)) $f rc=$rc $(grep -m1 'Delivery failed' "$TMP/client.err" | sed 's/.*message: //; s/ /_/g')"
        ;;
    python-2.16)
        timeout 120 python3 - "$BOOTSTRAP" "$file" "$@" <<'EOF' 2>"$TMP/client.err"
import sys, confluent_kafka
conf = {"bootstrap.servers": sys.argv[1]}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    conf[k] = v
p = confluent_kafka.Producer(conf)
ok = bad = 0
first = ""
def dr(err, msg):
    global ok, bad, first
    if err is None:
        ok += 1
    else:
        if not bad:
            first = err.str().replace(" ", "_")
        bad += 1
topic = "t-py"
with open(sys.argv[2], "rb") as f:
    for line in f:
        while True:
            try:
                p.produce(topic, line[:-1], on_delivery=dr)
                break
            except BufferError:
                p.poll(0.01)
        p.poll(0)
left = p.flush(60)
print(ok, bad, "rc=%d" % (1 if left or bad else 0), first)
EOF
        ;;
    esac
}

check() { # check <label> <expected delivered> <expected failed> <expected records> <got line> <records>
    local label=$1 want_ok=$2 want_bad=$3 want_rec=$4 got=$5 rec=$6 ok bad
    read -r ok bad _ <<<"$got"
    if [ "$ok" = "$want_ok" ] && [ "$bad" = "$want_bad" ] && [ "$rec" = "$want_rec" ]; then
        echo "PASS $label: delivered $ok failed $bad (${got#* * }), sink records $rec"
    else
        echo "FAIL $label: delivered $ok (want $want_ok) failed $bad (want $want_bad) (${got#* * }), sink records $rec (want $want_rec)"
        tail -n 5 "$TMP/client.err" | sed 's/^/    client: /'
        FAILS=$((FAILS + 1))
    fi
    echo "    $SINK_LOG"
}

for client in $CLIENTS; do
    for mode in plain idem; do
        conf=()
        [ $mode = idem ] && conf=(enable.idempotence=true)
        sink_start
        got=$(produce "$client" "$TMP/msgs" ${conf[@]+"${conf[@]}"})
        sink_stop
        check "$client $mode $COUNT x 100 B" "$COUNT" 0 "$COUNT" "$got" "$REC"
    done
    for err in 87 10; do
        for mode in plain idem; do
            conf=()
            [ $mode = idem ] && conf=(enable.idempotence=true)
            sink_start --error "$err"
            got=$(produce "$client" "$TMP/msgs_err" ${conf[@]+"${conf[@]}"})
            sink_stop
            check "$client $mode --error $err $ERR_COUNT x 100 B" 0 "$ERR_COUNT" "$ERR_COUNT" "$got" "$REC"
        done
    done
done
# Source mode: kcat reads SRC_N records of 1000 B from offset 12345 of partition 1.
SRC_N=2000
LIB216=$(python3 -c 'import sys; sys.path.insert(0, "tests/brokers"); import _common; print(_common.find_bundled_librdkafka() or "")' 2>/dev/null)
mkdir -p "$TMP/lib216"
[ -n "$LIB216" ] && ln -sf "$LIB216" "$TMP/lib216/librdkafka.so.1"
for client in kcat-2.0.2 kcat-2.16 kcat-kafkars; do
    env=()
    case $client in
    kcat-2.16) [ -n "$LIB216" ] || { echo "SKIP $client source: no librdkafka 2.16 wheel"; continue; }
        env=(LD_LIBRARY_PATH="$TMP/lib216") ;;
    kcat-kafkars) env=(LD_LIBRARY_PATH="$KLIB") ;;
    esac
    for corrupt in 0 1; do
        SINK_CORRUPT=$corrupt sink_start --partitions 2 --source-size 1000
        env "${env[@]}" timeout 60 kcat -C -b "$BOOTSTRAP" -t src -p 1 -o 12345 -c $SRC_N -e -X check.crcs=true \
            -f '%o %S\n' >"$TMP/src.out" 2>"$TMP/src.err"
        rc=$?
        sink_stop
        if [ $corrupt = 0 ]; then
            want=$(seq 12345 $((12345 + SRC_N - 1)) | sed 's/$/ 1000/')
            if [ $rc = 0 ] && [ "$(cat "$TMP/src.out")" = "$want" ]; then
                echo "PASS $client source: offsets 12345..$((12345 + SRC_N - 1)) in order, 1000 B each, CRCs checked"
            else
                echo "FAIL $client source: rc $rc, $(wc -l <"$TMP/src.out") lines; $(head -c 300 "$TMP/src.err")"
                FAILS=$((FAILS + 1))
            fi
        elif [ ! -s "$TMP/src.out" ] && grep -qiE 'crc' "$TMP/src.err"; then
            echo "PASS $client source, corrupt template: rejected ($(grep -iE -m1 -o '[^:]*crc[^(]*' "$TMP/src.err" | head -c 120))"
        else
            echo "FAIL $client source, corrupt template: rc $rc, $(wc -l <"$TMP/src.out") records read, no CRC error"
            FAILS=$((FAILS + 1))
        fi
    done
done
[ $FAILS = 0 ] && echo "sink_check: all passed" || echo "sink_check: $FAILS failed"
[ $FAILS = 0 ]
