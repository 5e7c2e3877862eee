#!/usr/bin/env bash
# Producer and consumer benchmark: the same C program (tests/bench/bench.c, built
# against librdkafka's header) runs on three libraries against ONE mock cluster,
# BENCH_ROUNDS rounds, the order of the libraries rotating each round:
#   librdkafka-2.16   the librdkafka bundled in the pip confluent-kafka wheel,
#   librdkafka-2.0.2  Debian's librdkafka1,
#   kafkars           libkafkars (build/compat/librdkafka.so.1).
# Only LD_LIBRARY_PATH changes between them: each reference is exposed as
# librdkafka.so.1 through a directory of symlinks under build/bench/. If the
# wheel's library cannot be found the run goes on with 2.0.2 only (and says so).
# tests/bench/report.py prints per case the median msgs/s, the spread (min-max),
# CPU s per million messages, the ratios kafkars/2.16 and kafkars/2.0.2, and one
# summary line per case for the README's table.
# Consume cases read a topic per message size, prefilled once by genuine librdkafka
# 2.0.2 (keyed, so partitions fill evenly: the mock keeps only ~5 MB per partition).
# A library without a consumer shows "n/a" for the consume rows.
#
# Env: BENCH_ROUNDS (3), BENCH_COUNT_100, BENCH_COUNT_1K (messages per run),
#      BENCH_CONSUME_COUNT_100 (960000), BENCH_CONSUME_COUNT_1K (120000),
#      BENCH_CONSUME_PARTITIONS (32), BENCH_CONSUME (1; 0 skips the consume cases),
#      BENCH_CONF ("key=value ..." extra client config for every lib; also the
#        bench's own bench.api=producev, bench.keys=1, bench.txn.msgs=N, the last
#        with transactional.id: a transaction per N messages),
#      BENCH_CONSUME_CONF (extra config for the consume runs only),
#      BENCH_RUN_TIMEOUT (s per run, 60),
#      BENCH_RDKAFKA (librdkafka 2.0.2's .so path; Debian's by default),
#      BENCH_RDKAFKA216 (librdkafka 2.16's .so path; by default the one in the
#        confluent-kafka wheel that KAFKARS_PYTHON imports, see
#        tests/brokers/_common.py find_bundled_librdkafka),
#      KAFKARS_PYTHON, CC.
# Needs `make compat` first (build/compat/librdkafka.so.1 -> libkafkars.so).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
BIN=$OUT/bench
ROUNDS=${BENCH_ROUNDS:-3}
COUNT_100=${BENCH_COUNT_100:-4000000}
COUNT_1K=${BENCH_COUNT_1K:-1500000}
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-60}
CCOUNT_100=${BENCH_CONSUME_COUNT_100:-960000}
CCOUNT_1K=${BENCH_CONSUME_COUNT_1K:-120000}
CPARTITIONS=${BENCH_CONSUME_PARTITIONS:-32}
DO_CONSUME=${BENCH_CONSUME:-1}
PY=${KAFKARS_PYTHON:-python3}
CC=${CC:-gcc}
RDKAFKA_SO=${BENCH_RDKAFKA:-/usr/lib/x86_64-linux-gnu/librdkafka.so.1}
RDKAFKA216_SO=${BENCH_RDKAFKA216:-}
COMPAT_DIR=$ROOT/build/compat
KAFKARS_SO=$ROOT/build/lib/libkafkars.so
BROKERS=3
PARTITIONS=6
RF=3
read -r -a EXTRA_CONF <<<"${BENCH_CONF:-}"
read -r -a CONSUME_CONF <<<"${BENCH_CONSUME_CONF:-}"

die() { echo "bench: $*" >&2; exit 1; }

for v in ROUNDS COUNT_100 COUNT_1K RUN_TIMEOUT CCOUNT_100 CCOUNT_1K CPARTITIONS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[ -e "$COMPAT_DIR/librdkafka.so.1" ] || die "$COMPAT_DIR/librdkafka.so.1 missing: run 'make compat'"
[ -f "$RDKAFKA_SO" ] || die "$RDKAFKA_SO missing (Debian librdkafka1)"
mkdir -p "$OUT"

# The references, each as librdkafka.so.1 in a directory of its own (symlinks), so
# that every library is chosen the same way: LD_LIBRARY_PATH=<dir>.
REF_DIR=$OUT/refs
rm -rf "$REF_DIR"
mkdir -p "$REF_DIR/2.0.2"
ln -s "$(realpath "$RDKAFKA_SO")" "$REF_DIR/2.0.2/librdkafka.so.1"
if [ -n "$RDKAFKA216_SO" ]; then
    [ -f "$RDKAFKA216_SO" ] || die "BENCH_RDKAFKA216=$RDKAFKA216_SO: no such file"
else
    RDKAFKA216_SO=$("$PY" -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, "tests/brokers")
from _common import find_bundled_librdkafka
print(find_bundled_librdkafka() or "")' 2>/dev/null || true)
fi
LIBS=(librdkafka-2.16 librdkafka-2.0.2 kafkars)
if [ -n "$RDKAFKA216_SO" ] && [ -f "$RDKAFKA216_SO" ]; then
    mkdir -p "$REF_DIR/2.16"
    ln -s "$(realpath "$RDKAFKA216_SO")" "$REF_DIR/2.16/librdkafka.so.1"
else
    echo "bench: librdkafka 2.16 (pip confluent-kafka wheel) not found with $PY" \
        "(set BENCH_RDKAFKA216): comparing with librdkafka 2.0.2 only" >&2
    RDKAFKA216_SO=
    LIBS=(librdkafka-2.0.2 kafkars)
fi

# lib_dir <lib>: the LD_LIBRARY_PATH that makes the bench load <lib>.
lib_dir() {
    case $1 in
    librdkafka-2.16) echo "$ROOT/$REF_DIR/2.16" ;;
    librdkafka-2.0.2) echo "$ROOT/$REF_DIR/2.0.2" ;;
    kafkars) echo "$COMPAT_DIR" ;;
    *) die "unknown library $1" ;;
    esac
}

# Build once: plain librdkafka header and -lrdkafka; the loader picks the library.
# Lazy binding: a library lacking the consumer calls still runs the produce mode.
if [ ! -x "$BIN" ] || [ tests/bench/bench.c -nt "$BIN" ] || [ "${BASH_SOURCE[0]}" -nt "$BIN" ]; then
    "$CC" -O2 -g -Wall -Wextra -I/usr/include -Wl,-z,lazy -o "$BIN" tests/bench/bench.c -lrdkafka -ldl \
        || die "building bench.c failed"
fi

# --- one mock cluster for every run; stdin must stay open (coprocess) ---------
BROKER_PID=
MOCK_IN=
MOCK_OUT=
stop_mock() {
    [ -n "$BROKER_PID" ] || return 0
    local pid=$BROKER_PID
    BROKER_PID=
    { echo quit >&"$MOCK_IN"; } 2>/dev/null || true
    { exec {MOCK_IN}>&- {MOCK_OUT}<&-; } 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
trap stop_mock EXIT
trap 'exit 130' INT TERM

coproc MOCK { exec "$PY" tests/brokers/mock_cluster.py --brokers $BROKERS 2>"$OUT/mock.log"; }
BROKER_PID=${MOCK_PID:-}
[ -n "${MOCK[1]:-}" ] || { cat "$OUT/mock.log" >&2; die "mock cluster exited at once"; }
# Stable copies: bash drops the MOCK array when the coprocess exits.
exec {MOCK_IN}>&"${MOCK[1]}" {MOCK_OUT}<&"${MOCK[0]}"
eval "exec ${MOCK[1]}>&- ${MOCK[0]}<&-"

line=
read -r -t 30 -u "$MOCK_OUT" line || true
[[ $line == BOOTSTRAP\ * ]] || { cat "$OUT/mock.log" >&2; die "mock cluster did not start (got '$line')"; }
BOOTSTRAP=${line#BOOTSTRAP }

mock_cmd() { # mock_cmd <command...>: returns 1 on ERR; no answer is fatal
    local reply=
    echo "$*" >&"$MOCK_IN" || die "mock cluster: cannot send '$*'"
    read -r -t 15 -u "$MOCK_OUT" reply || die "mock cluster: no answer to '$*'"
    if [[ $reply != OK* ]]; then
        echo "bench: mock cluster: '$*' -> $reply" >&2
        return 1
    fi
    REPLY_DATA=${reply#OK}
    REPLY_DATA=${REPLY_DATA# }
}
mock_cmd version || die "mock cluster does not answer"
MOCK_VERSION=$REPLY_DATA

RUNS=$OUT/runs.jsonl
: >"$RUNS"

# run_one <case> <lib> <round> <count> <size>
run_one() {
    local case=$1 lib=$2 round=$3 count=$4 size=$5
    # Fresh topic per run, same layout for both libs; deleted afterwards so the
    # mock cluster's memory (it keeps up to ~5 MB per partition) stays bounded.
    local topic="bench-$case-r$round-$lib"
    mock_cmd topic_create "$topic" $PARTITIONS $RF || die "cannot create topic $topic"
    local json rc=0 errf="$OUT/last-$lib.err"
    json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 5 "$RUN_TIMEOUT" \
        "$BIN" produce "$BOOTSTRAP" "$topic" "$count" "$size" ${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"} 2>"$errf") || rc=$?
    mock_cmd topic_delete "$topic" >/dev/null || true
    if [ $rc -ne 0 ]; then
        echo "bench: $case on $lib, round $round: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)")" >&2
        tail -n 5 "$errf" >&2 || true
    fi
    [ -n "$json" ] || json=null
    printf '{"case":"%s","lib_name":"%s","round":%d,"exit":%d,"topic":"%s","bootstrap":"%s","topic_partitions":%d,"topic_rf":%d,"result":%s}\n' \
        "$case" "$lib" "$round" "$rc" "$topic" "$BOOTSTRAP" $PARTITIONS $RF "$json" >>"$RUNS"
    if [ "$json" != null ]; then
        printf '  %-5s %-16s round %d: %s\n' "$case" "$lib" "$round" \
            "$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.0f msgs/s  %.1f MB/s  %.3f s  cpu %.3f s" % (r["msgs_per_s"], r["mb_per_s"], r["seconds"], r["cpu_s"]))' "$json")"
    fi
}

# run_consume <case> <lib> <round> <count> <size>: reads the prefilled topic.
run_consume() {
    local case=$1 lib=$2 round=$3 count=$4 size=$5
    local topic="bench-consume-$size"
    local json rc=0 errf="$OUT/last-$lib.err"
    json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 5 "$RUN_TIMEOUT" \
        "$BIN" consume "$BOOTSTRAP" "$topic" "$count" "bench.timeout.ms=$((RUN_TIMEOUT * 1000 - 5000))" \
        ${CONSUME_CONF[@]+"${CONSUME_CONF[@]}"} 2>"$errf") || rc=$?
    # No consumer in the library (yet): missing symbol at call time (127) or the
    # bench's own check / rd_kafka_new refusing a consumer (2).
    if [ "$lib" = kafkars ] && { [ $rc -eq 127 ] || { [ $rc -eq 2 ] &&
        grep -qiE 'not implemented|missing symbol|undefined symbol|not supported' "$errf"; }; }; then
        local why
        why=$(grep -oiE '(missing|undefined) symbol:? [A-Za-z0-9_]+' "$errf" | head -n1 || true)
        [ -n "$why" ] || why=$(grep -oiE 'not implemented|not supported' "$errf" | head -n1 || true)
        [ -n "$why" ] || why="exit $rc"
        printf '  %-5s %-16s round %d: n/a (%s)\n' "$case" "$lib" "$round" "$why"
        printf '{"case":"%s","lib_name":"%s","round":%d,"exit":%d,"na":"%s","topic":"%s","bootstrap":"%s","topic_partitions":%d,"topic_rf":%d,"result":null}\n' \
            "$case" "$lib" "$round" "$rc" "$why" "$topic" "$BOOTSTRAP" "$CPARTITIONS" $RF >>"$RUNS"
        return 0
    fi
    if [ $rc -ne 0 ]; then
        echo "bench: $case on $lib, round $round: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)")" >&2
        tail -n 5 "$errf" >&2 || true
    fi
    [ -n "$json" ] || json=null
    printf '{"case":"%s","lib_name":"%s","round":%d,"exit":%d,"topic":"%s","bootstrap":"%s","topic_partitions":%d,"topic_rf":%d,"result":%s}\n' \
        "$case" "$lib" "$round" "$rc" "$topic" "$BOOTSTRAP" "$CPARTITIONS" $RF "$json" >>"$RUNS"
    if [ "$json" != null ]; then
        printf '  %-5s %-16s round %d: %s\n' "$case" "$lib" "$round" \
            "$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.0f msgs/s  %.1f MB/s  %.3f s  cpu %.3f s" % (r["msgs_per_s"], r["mb_per_s"], r["seconds"], r["cpu_s"]))' "$json")"
    fi
}

# Prefill the consume topics once, with genuine librdkafka 2.0.2. Keys spread the messages
# evenly (the sticky partitioner would overfill some partitions past the mock's
# ~5 MB retention); a long linger makes big batches, as a real producer would.
CONSUME_CASES=()
if [ "$DO_CONSUME" = 1 ]; then
    for c in "c100:$CCOUNT_100:100" "c1k:$CCOUNT_1K:1024"; do
        IFS=: read -r case count size <<<"$c"
        topic="bench-consume-$size"
        mock_cmd topic_create "$topic" "$CPARTITIONS" $RF || die "cannot create topic $topic"
        if env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir librdkafka-2.0.2)" timeout -k 5 "$RUN_TIMEOUT" "$BIN" produce "$BOOTSTRAP" "$topic" \
            "$count" "$size" bench.keys=1 linger.ms=100 >"$OUT/prefill-$case.json" 2>"$OUT/prefill-$case.err"; then
            CONSUME_CASES+=("$c")
        else
            echo "bench: prefill of $topic failed; skipping case $case" >&2
            tail -n 5 "$OUT/prefill-$case.err" >&2 || true
        fi
    done
fi

echo "bench: mock cluster ($MOCK_VERSION, $BROKERS brokers) at $BOOTSTRAP; topics $PARTITIONS partitions, rf $RF"
echo "bench: libraries ${LIBS[*]} (order rotating per round)"
echo "bench:   librdkafka-2.0.2 = $RDKAFKA_SO${RDKAFKA216_SO:+; librdkafka-2.16 = $RDKAFKA216_SO}; kafkars = $KAFKARS_SO"
echo "bench: $ROUNDS rounds; produce 100 B x $COUNT_100, 1 KiB x $COUNT_1K; extra conf: ${BENCH_CONF:-none}"
[ ${#CONSUME_CASES[@]} -gt 0 ] &&
    echo "bench: consume (assign all, consumer_poll) 100 B x $CCOUNT_100, 1 KiB x $CCOUNT_1K from prefilled topics of $CPARTITIONS partitions; extra conf: ${BENCH_CONSUME_CONF:-none}"
for round in $(seq "$ROUNDS"); do
    # Rotate: round 1 runs LIBS in order, round 2 starts with the second, ...
    order=()
    for i in "${!LIBS[@]}"; do
        order+=("${LIBS[$(((i + round - 1) % ${#LIBS[@]}))]}")
    done
    for c in "100:$COUNT_100:100" "1k:$COUNT_1K:1024"; do
        IFS=: read -r case count size <<<"$c"
        for lib in "${order[@]}"; do
            run_one "$case" "$lib" "$round" "$count" "$size"
        done
    done
    for c in ${CONSUME_CASES[@]+"${CONSUME_CASES[@]}"}; do
        IFS=: read -r case count size <<<"$c"
        for lib in "${order[@]}"; do
            run_consume "$case" "$lib" "$round" "$count" "$size"
        done
    done
done

stop_mock
"$PY" tests/bench/report.py --runs "$RUNS" --out "$OUT/results.json" \
    --lib "librdkafka-2.16=$RDKAFKA216_SO" --lib "librdkafka-2.0.2=$RDKAFKA_SO" \
    --lib "kafkars=$KAFKARS_SO" --mock-version "$MOCK_VERSION" \
    --conf "${BENCH_CONF:-}"

# The Python package against confluent_kafka and kafka-python (make python installs it
# into build/pyenv); BENCH_PYTHON=0 skips it.
if [ "${BENCH_PYTHON:-1}" = 1 ]; then
    if [ -x build/pyenv/bin/python ] && build/pyenv/bin/python -c "import kafkars" 2>/dev/null; then
        echo
        build/pyenv/bin/python tests/bench/python_bench.py 2>"$OUT/python_bench.log" ||
            die "python benchmark failed (see $OUT/python_bench.log)"
    else
        echo "bench: the Python package is not built (make python): Python rows skipped"
    fi
fi
