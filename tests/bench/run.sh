#!/usr/bin/env bash
# Producer, consumer, latency and memory benchmark: the same C program
# (tests/bench/bench.c + bench_latency.c + bench_memory.c, built against librdkafka's
# header) runs on three libraries against ONE mock cluster, BENCH_ROUNDS rounds, the
# order of the libraries rotating each round:
#   librdkafka-2.16   the librdkafka bundled in the pip confluent-kafka wheel,
#   librdkafka-2.0.2  Debian's librdkafka1,
#   kafkars           libkafkars (build/compat/librdkafka.so.1).
# Only LD_LIBRARY_PATH changes between them: each reference is exposed as
# librdkafka.so.1 through a directory of symlinks under build/bench/. If the
# wheel's library cannot be found the run goes on with 2.0.2 only (and says so).
#
# Cases (BENCH_CASES picks a subset, e.g. BENCH_CASES="100 lat0,mem"):
#   100 1k 10k    produce 100 B / 1 KiB / 10 KiB values, msgs/s (fresh 6-partition topic)
#   lz4 zstd      produce 100 B with compression.type=lz4 / zstd
#   idem          produce 100 B with enable.idempotence=true
#   txn           produce 100 B transactionally (transactional.id, a commit per
#                 BENCH_TXN_MSGS messages inside the timed span)
#   s100 s1k s10k produce 100 B / 1 KiB / 10 KiB to the sink broker (tests/bench/sink.c:
#                 answers Produce without storing; the mock cluster's own CPU, 10-35%
#                 of the client's at 1-10 KiB, is out of the measurement)
#   c100 c1k      consume 100 B / 1 KiB from a topic prefilled once by librdkafka 2.0.2
#                 (keyed, so partitions fill evenly: the mock keeps only ~5 MB per
#                 partition); consumer settings: each library's defaults plus
#                 BENCH_CONSUME_CONF, the effective fetch/queue values are printed
#   f100 f1k      the same from the source broker (tests/bench/sink.c --source-size:
#                 serves copies of one prebuilt record batch, so the broker's work is
#                 out of the measurement), enable.auto.commit=false (it has no commits)
#   lat0 lat5     produce->delivery latency p50/p99/p99.9 at a fixed offered rate
#                 (BENCH_LAT_RATE msgs/s, paced, not spinning), linger.ms=0 / 5
#   mem           peak RSS with BENCH_MEM_COUNT 100 B messages queued towards an
#                 address where nothing listens (then purged)
# tests/bench/report.py prints per case the medians and spread (msgs/s; latency
# percentiles; RSS), CPU s per million messages, kafkars' ratios to 2.16 and 2.0.2,
# and one `summary |` line per case for the README's table; every run's JSON line
# (build/bench/runs.jsonl) also has max_rss_kb. A failed run (a message not
# delivered/read, a timeout) makes the whole bench exit non-zero (report.py).
# A library without a consumer shows "n/a" for the consume rows.
#
# Env: BENCH_ROUNDS (3), BENCH_CASES (all), messages per run: BENCH_COUNT_100
#      (4000000), BENCH_COUNT_1K (1500000), BENCH_COUNT_10K (200000),
#      BENCH_COUNT_LZ4 (3000000), BENCH_COUNT_ZSTD (2000000), BENCH_COUNT_IDEM
#      (2000000), BENCH_COUNT_TXN (2000000), BENCH_TXN_MSGS (10000 per transaction),
#      BENCH_CONSUME_COUNT_100 (960000), BENCH_CONSUME_COUNT_1K (120000),
#      BENCH_SOURCE_COUNT_100 (3000000), BENCH_SOURCE_COUNT_1K (1000000),
#      BENCH_LAT_RATE (10000 msgs/s), BENCH_LAT_COUNT (50000), BENCH_MEM_COUNT (1000000),
#      BENCH_CONSUME_PARTITIONS (32), BENCH_CONSUME (1; 0 drops the consume cases),
#      BENCH_CONF ("key=value ..." extra client config for the throughput produce
#        cases, every lib; also the bench's own bench.api=producev, bench.keys=1),
#      BENCH_CONSUME_CONF (extra config for the consume runs only),
#      BENCH_RUN_TIMEOUT (s per run, 60),
#      BENCH_RDKAFKA (librdkafka 2.0.2's .so path; Debian's by default),
#      BENCH_RDKAFKA216 (librdkafka 2.16's .so path; by default the one in the
#        confluent-kafka wheel that KAFKARS_PYTHON imports, see
#        tests/brokers/_common.py find_bundled_librdkafka),
#      BENCH_PYTHON (1; 0 skips python_bench.py), KAFKARS_PYTHON, CC.
# Needs `make compat` first (build/compat/librdkafka.so.1 -> libkafkars.so).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
BIN=$OUT/bench
ROUNDS=${BENCH_ROUNDS:-3}
COUNT_100=${BENCH_COUNT_100:-4000000}
COUNT_1K=${BENCH_COUNT_1K:-1500000}
COUNT_10K=${BENCH_COUNT_10K:-200000}
COUNT_LZ4=${BENCH_COUNT_LZ4:-3000000}
COUNT_ZSTD=${BENCH_COUNT_ZSTD:-2000000}
COUNT_IDEM=${BENCH_COUNT_IDEM:-2000000}
COUNT_TXN=${BENCH_COUNT_TXN:-2000000}
TXN_MSGS=${BENCH_TXN_MSGS:-10000}
LAT_RATE=${BENCH_LAT_RATE:-10000}
LAT_COUNT=${BENCH_LAT_COUNT:-50000}
MEM_COUNT=${BENCH_MEM_COUNT:-1000000}
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-60}
CCOUNT_100=${BENCH_CONSUME_COUNT_100:-960000}
CCOUNT_1K=${BENCH_CONSUME_COUNT_1K:-120000}
FCOUNT_100=${BENCH_SOURCE_COUNT_100:-3000000}
FCOUNT_1K=${BENCH_SOURCE_COUNT_1K:-1000000}
CPARTITIONS=${BENCH_CONSUME_PARTITIONS:-32}
DO_CONSUME=${BENCH_CONSUME:-1}
PY=${KAFKARS_PYTHON:-python3}
CC=${CC:-gcc}
RDKAFKA_SO=${BENCH_RDKAFKA:-/usr/lib/x86_64-linux-gnu/librdkafka.so.1}
RDKAFKA216_SO=${BENCH_RDKAFKA216:-}
BROKERS=3
PARTITIONS=6
RF=3
ALL_CASES=(100 1k 10k lz4 zstd idem txn s100 s1k s10k c100 c1k f100 f1k lat0 lat5 mem)
read -r -a EXTRA_CONF <<<"${BENCH_CONF:-}"
read -r -a CONSUME_CONF <<<"${BENCH_CONSUME_CONF:-}"

die() { echo "bench: $*" >&2; exit 1; }

for v in ROUNDS COUNT_100 COUNT_1K COUNT_10K COUNT_LZ4 COUNT_ZSTD COUNT_IDEM COUNT_TXN TXN_MSGS \
    LAT_RATE LAT_COUNT MEM_COUNT RUN_TIMEOUT CCOUNT_100 CCOUNT_1K FCOUNT_100 FCOUNT_1K CPARTITIONS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
# The cases to run, in ALL_CASES order.
CASES=()
want_s=${BENCH_CASES:-${ALL_CASES[*]}}
read -r -a want <<<"${want_s//,/ }"
for w in ${want[@]+"${want[@]}"}; do
    [[ " ${ALL_CASES[*]} " == *" $w "* ]] || die "BENCH_CASES: unknown case '$w' (cases: ${ALL_CASES[*]})"
done
for c in "${ALL_CASES[@]}"; do
    [[ " ${want[*]} " == *" $c "* ]] || continue
    [[ $c == [cf]* && $DO_CONSUME != 1 ]] && continue
    CASES+=("$c")
done
[ ${#CASES[@]} -gt 0 ] || die "no case selected (BENCH_CASES='${BENCH_CASES:-}', BENCH_CONSUME=$DO_CONSUME)"

mkdir -p "$OUT"

. tests/bench/lib.sh
bench_refs "$OUT/refs"
bench_build "$BIN" tests/bench/bench.c tests/bench/bench_util.c tests/bench/bench_latency.c tests/bench/bench_memory.c
mock_start $BROKERS "$OUT/mock.log"

RUNS=$OUT/runs.jsonl
: >"$RUNS"

# The sink broker (tests/bench/sink.c), when a sink case runs: answers Produce without
# storing anything; with --source-size, the source broker of the f* cases (both checked
# against genuine librdkafka: tests/bench/sink_check.sh, sink.c's header). Each serves
# until its stdin (a fifo held open here) closes.
declare -A SB_BOOT=() SB_PID=() SB_FD=()
sb_start() { # sb_start NAME SINK_ARGS...
    local name=$1 fd boot=
    shift
    bench_build "$OUT/sink" tests/bench/sink.c
    rm -f "$OUT/$name.fifo"
    mkfifo "$OUT/$name.fifo"
    "$OUT/sink" "$@" <"$OUT/$name.fifo" >"$OUT/$name.out" 2>"$OUT/$name.log" &
    SB_PID[$name]=$!
    exec {fd}>"$OUT/$name.fifo"
    SB_FD[$name]=$fd
    for _ in $(seq 100); do
        boot=$(sed -n 's/^BOOTSTRAP //p' "$OUT/$name.out" 2>/dev/null)
        [ -n "$boot" ] && break
        sleep 0.1
    done
    [ -n "$boot" ] || { cat "$OUT/$name.log" >&2; die "$name broker did not start"; }
    SB_BOOT[$name]=$boot
}
sink_stop() {
    local name pid
    for name in "${!SB_PID[@]}"; do
        pid=${SB_PID[$name]}
        eval "exec ${SB_FD[$name]}>&-" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        unset "SB_PID[$name]"
    done
}
trap 'sink_stop; mock_stop' EXIT
[[ " ${CASES[*]} " == *" s"* ]] && sb_start sink --partitions $PARTITIONS
[[ " ${CASES[*]} " == *" f100 "* ]] && sb_start source100 --partitions $CPARTITIONS --source-size 100
[[ " ${CASES[*]} " == *" f1k "* ]] && sb_start source1024 --partitions $CPARTITIONS --source-size 1024

# An address where nothing listens (the memory case queues towards it): a port the
# kernel just gave out and that was closed again.
DEAD_BOOTSTRAP=127.0.0.1:$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# case_def <case> <round> <lib>: sets KIND (produce|consume|latency|memory), COUNT,
# SIZE, CASE_CONF (array, after BENCH_CONF) and LABEL (the summary's case cell).
case_def() {
    CASE_CONF=()
    SIZE=100
    SINK=0
    SOURCE=0
    case $1 in
    100) KIND=produce COUNT=$COUNT_100 LABEL="produce 100 B" ;;
    1k) KIND=produce COUNT=$COUNT_1K SIZE=1024 LABEL="produce 1024 B" ;;
    10k) KIND=produce COUNT=$COUNT_10K SIZE=10240 LABEL="produce 10240 B" ;;
    lz4) KIND=produce COUNT=$COUNT_LZ4 CASE_CONF=(compression.type=lz4) LABEL="produce 100 B lz4" ;;
    zstd) KIND=produce COUNT=$COUNT_ZSTD CASE_CONF=(compression.type=zstd) LABEL="produce 100 B zstd" ;;
    idem) KIND=produce COUNT=$COUNT_IDEM CASE_CONF=(enable.idempotence=true) LABEL="produce 100 B idempotent" ;;
    txn)
        KIND=produce COUNT=$COUNT_TXN LABEL="produce 100 B transactional ($TXN_MSGS/txn)"
        CASE_CONF=("transactional.id=bench-txn-r$2-$3" "bench.txn.msgs=$TXN_MSGS")
        ;;
    # The same to the sink broker (tests/bench/sink.c): the client without the broker's cost.
    s100) KIND=produce COUNT=$COUNT_100 SINK=1 LABEL="produce 100 B, sink broker" ;;
    s1k) KIND=produce COUNT=$COUNT_1K SIZE=1024 SINK=1 LABEL="produce 1024 B, sink broker" ;;
    s10k) KIND=produce COUNT=$COUNT_10K SIZE=10240 SINK=1 LABEL="produce 10240 B, sink broker" ;;
    c100) KIND=consume COUNT=$CCOUNT_100 LABEL="consume 100 B" ;;
    c1k) KIND=consume COUNT=$CCOUNT_1K SIZE=1024 LABEL="consume 1024 B" ;;
    # The same from the source broker: the client without the broker's cost.
    f100) KIND=consume COUNT=$FCOUNT_100 SOURCE=1 LABEL="consume 100 B, source broker" ;;
    f1k) KIND=consume COUNT=$FCOUNT_1K SIZE=1024 SOURCE=1 LABEL="consume 1024 B, source broker" ;;
    lat0) KIND=latency COUNT=$LAT_COUNT CASE_CONF=(linger.ms=0) LABEL="latency 100 B linger.ms=0 @ $LAT_RATE/s p50/p99/p99.9" ;;
    lat5) KIND=latency COUNT=$LAT_COUNT CASE_CONF=(linger.ms=5) LABEL="latency 100 B linger.ms=5 @ $LAT_RATE/s p50/p99/p99.9" ;;
    mem) KIND=memory COUNT=$MEM_COUNT LABEL="memory: $MEM_COUNT x 100 B queued, peak RSS" ;;
    *) die "unknown case $1" ;;
    esac
}

# record <case> <lib> <round> <rc> <topic> <partitions> <json> [na]: appends the run.
record() {
    printf '{"case":"%s","kind":"%s","label":"%s","lib_name":"%s","round":%d,"exit":%d,%s"topic":"%s","bootstrap":"%s","topic_partitions":%d,"topic_rf":%d,"result":%s}\n' \
        "$1" "$KIND" "$LABEL" "$2" "$3" "$4" "${8:+\"na\":\"$8\",}" "$5" "$RUN_BOOTSTRAP" "$6" $RF "$7" >>"$RUNS"
}

# run_case <case> <lib> <round>: one run of the bench program, recorded in $RUNS.
run_case() {
    local case=$1 lib=$2 round=$3
    case_def "$case" "$round" "$lib"
    local topic="bench-$case-r$round-$lib" parts=$PARTITIONS json rc=0 errf="$OUT/last-$lib.err"
    local args=() topics=0
    RUN_BOOTSTRAP=$BOOTSTRAP
    [ "$SINK" = 1 ] && RUN_BOOTSTRAP=${SB_BOOT[sink]}
    [ "$SOURCE" = 1 ] && RUN_BOOTSTRAP=${SB_BOOT[source$SIZE]}
    { [ "$KIND" = produce ] || [ "$KIND" = latency ]; } && [ "$SINK" = 0 ] && topics=1
    case $KIND in
    produce) args=(produce "$RUN_BOOTSTRAP" "$topic" "$COUNT" "$SIZE" ${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"} "${CASE_CONF[@]}") ;;
    latency) args=(latency "$BOOTSTRAP" "$topic" "$LAT_RATE" "$COUNT" "$SIZE" "${CASE_CONF[@]}") ;;
    consume)
        topic="bench-consume-$SIZE" parts=$CPARTITIONS
        args=(consume "$RUN_BOOTSTRAP" "$topic" "$COUNT" "bench.timeout.ms=$((RUN_TIMEOUT * 1000 - 5000))"
            ${CONSUME_CONF[@]+"${CONSUME_CONF[@]}"})
        [ "$SOURCE" = 1 ] && args+=(enable.auto.commit=false)
        ;;
    memory) topic=- parts=-1 args=(memory "$DEAD_BOOTSTRAP" "$COUNT" "$SIZE") ;;
    esac
    # Fresh topic per produce/latency run, same layout for every lib; deleted
    # afterwards so the mock cluster's memory (~5 MB per partition) stays bounded.
    if [ $topics = 1 ]; then
        mock_cmd topic_create "$topic" $PARTITIONS $RF || die "cannot create topic $topic"
    fi
    json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 5 "$RUN_TIMEOUT" \
        "$BIN" "${args[@]}" 2>"$errf") || rc=$?
    if [ $topics = 1 ]; then
        mock_cmd topic_delete "$topic" >/dev/null || true
    fi
    # No consumer in the library (yet): missing symbol at call time (127) or the
    # bench's own check / rd_kafka_new refusing a consumer (2).
    if [ "$KIND" = consume ] && [ "$lib" = kafkars ] && { [ $rc -eq 127 ] || { [ $rc -eq 2 ] &&
        grep -qiE 'not implemented|missing symbol|undefined symbol|not supported' "$errf"; }; }; then
        local why
        why=$(grep -oiE '(missing|undefined) symbol:? [A-Za-z0-9_]+' "$errf" | head -n1 || true)
        [ -n "$why" ] || why=$(grep -oiE 'not implemented|not supported' "$errf" | head -n1 || true)
        [ -n "$why" ] || why="exit $rc"
        printf '  %-5s %-16s round %d: n/a (%s)\n' "$case" "$lib" "$round" "$why"
        record "$case" "$lib" "$round" "$rc" "$topic" "$parts" null "$why"
        return 0
    fi
    if [ $rc -ne 0 ]; then
        echo "bench: FAILED: $case on $lib, round $round: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)"):" \
            "LD_LIBRARY_PATH=$(lib_dir "$lib") $BIN ${args[*]}" >&2
        tail -n 5 "$errf" >&2 || true
    fi
    [ -n "$json" ] || json=null
    record "$case" "$lib" "$round" "$rc" "$topic" "$parts" "$json"
    [ "$json" = null ] || printf '  %-5s %-16s round %d: %s\n' "$case" "$lib" "$round" \
        "$("$PY" tests/bench/report.py --line "$json")"
}

# Prefill the consume topics once, with genuine librdkafka 2.0.2. Keys spread the messages
# evenly (the sticky partitioner would overfill some partitions past the mock's
# ~5 MB retention); a long linger makes big batches, as a real producer would.
RUN_CASES=()
for case in "${CASES[@]}"; do
    case_def "$case" 0 -
    if [ "$KIND" = consume ] && [ "$SOURCE" = 0 ]; then
        topic="bench-consume-$SIZE"
        mock_cmd topic_create "$topic" "$CPARTITIONS" $RF || die "cannot create topic $topic"
        if ! env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir librdkafka-2.0.2)" timeout -k 5 "$RUN_TIMEOUT" "$BIN" produce "$BOOTSTRAP" "$topic" \
            "$COUNT" "$SIZE" bench.keys=1 linger.ms=100 >"$OUT/prefill-$case.json" 2>"$OUT/prefill-$case.err"; then
            echo "bench: prefill of $topic failed; skipping case $case" >&2
            tail -n 5 "$OUT/prefill-$case.err" >&2 || true
            continue
        fi
    fi
    RUN_CASES+=("$case")
done

echo "bench: mock cluster ($MOCK_VERSION, $BROKERS brokers) at $BOOTSTRAP; topics $PARTITIONS partitions, rf $RF"
echo "bench: libraries ${LIBS[*]} (order rotating per round)"
echo "bench:   librdkafka-2.0.2 = $RDKAFKA_SO${RDKAFKA216_SO:+; librdkafka-2.16 = $RDKAFKA216_SO}; kafkars = $KAFKARS_SO (copy of build/compat, sha256 $KAFKARS_SHA...)"
echo "bench: $ROUNDS rounds; cases: ${RUN_CASES[*]}"
for case in "${RUN_CASES[@]}"; do
    case_def "$case" "<round>" "<lib>"
    case $KIND in
    produce) echo "bench:   $case: $LABEL x $COUNT${CASE_CONF[*]:+ (${CASE_CONF[*]})}${BENCH_CONF:+; extra conf: $BENCH_CONF}" ;;
    consume) echo "bench:   $case: $LABEL x $COUNT (assign all, consumer_poll) from $([ "$SOURCE" = 1 ] && echo "the source broker's" || echo "a prefilled") topic of $CPARTITIONS partitions;" \
        "consumer settings: library defaults${BENCH_CONSUME_CONF:+ + $BENCH_CONSUME_CONF} (effective values below)" ;;
    latency) echo "bench:   $case: $LABEL, $COUNT messages at $LAT_RATE msgs/s offered (${CASE_CONF[*]})" ;;
    memory) echo "bench:   $case: $LABEL towards $DEAD_BOOTSTRAP (nothing listens)" ;;
    esac
done
for round in $(seq "$ROUNDS"); do
    # Rotate: round 1 runs LIBS in order, round 2 starts with the second, ...
    order=()
    for i in "${!LIBS[@]}"; do
        order+=("${LIBS[$(((i + round - 1) % ${#LIBS[@]}))]}")
    done
    for case in "${RUN_CASES[@]}"; do
        for lib in "${order[@]}"; do
            run_case "$case" "$lib" "$round"
        done
    done
done

mock_stop
sink_stop
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
