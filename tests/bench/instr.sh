#!/usr/bin/env bash
# Instructions per message: the benchmark figure that does not move with the
# machine's load. The same C program as run.sh (tests/bench/bench.c, built the same
# way, to build/bench/bench-instr) runs under `valgrind --tool=callgrind` on three
# libraries against ONE librdkafka mock cluster (its own process: not counted):
#   librdkafka-2.16   the librdkafka bundled in the pip confluent-kafka wheel,
#   librdkafka-2.0.2  Debian's librdkafka1,
#   kafkars           libkafkars (build/compat/librdkafka.so.1, copied at the start).
# Only LD_LIBRARY_PATH changes between them (dirs under build/bench/instr-refs).
#
# Callgrind counts every instruction the process executes, in all its threads
# (--separate-threads=yes: one count per thread). Each case runs at two message
# counts N1 < N2 and the figure is the MARGINAL cost
#     (I(N2) - I(N1)) / (N2 - N1)
# which cancels start-up, connection set-up, metadata, flush and destroy. Each pair is
# repeated INSTR_REPEATS times (library order rotating): valgrind runs one thread at a
# time, so batching (and with it the count) still depends a little on scheduling;
# tests/bench/instr_report.py prints the median and the spread (min-max), split into
# the application thread (valgrind thread 1: produce/poll/consumer_poll calls,
# delivery callbacks) and the library's own threads, the ratios kafkars/2.16 and
# kafkars/2.0.2, and one `instr |` line per case for the README.
# (perf stat would be quicker, but hardware counters are not available on this kind of
# machine: `perf stat -e instructions` says <not supported>.)
#
# Cases (INSTR_CASES, space separated, default all):
#   p100  produce 100 B            p1k   produce 1 KiB
#   lz4   produce 100 B, compression.type=lz4
#   zstd  produce 100 B, compression.type=zstd
#   idem  produce 100 B, enable.idempotence=true
#   c100  consume 100 B            c1k   consume 1 KiB
# Produce cases write a fresh topic per run (INSTR_PARTITIONS 6, rf 3, 3 brokers),
# deleted afterwards. Consume cases read topics holding exactly N1 and N2 messages
# (so the consumer cannot fetch ahead of what it is asked to read), prefilled once,
# natively, by genuine librdkafka 2.0.2 with bench.keys=1 linger.ms=100, over
# INSTR_CONSUME_PARTITIONS (32) partitions: the mock keeps only ~5 MB per partition
# (raise the partitions with the 1 KiB counts: 100,000 x 1 KiB fill 32 to ~3.3 MB).
#
# Env: INSTR_CASES, INSTR_REPEATS (3),
#      INSTR_N1, INSTR_N2 (message counts of the 100 B cases; 50000, 250000),
#      INSTR_N1_1K, INSTR_N2_1K (the 1 KiB cases; 20000, 100000),
#      INSTR_PARTITIONS (6), INSTR_CONSUME_PARTITIONS (32),
#      INSTR_RUN_TIMEOUT (s per valgrind run, 300),
#      INSTR_CONF (extra "key=value ..." client config for every run),
#      INSTR_VALGRIND_ARGS (extra valgrind options),
#      INSTR_BIN (a bench binary to use as is instead of building build/bench/bench-instr),
#      BENCH_RDKAFKA, BENCH_RDKAFKA216, KAFKARS_PYTHON, CC (as for run.sh).
# Output: the table on stdout, build/bench/instr.json (and the raw runs in
# build/bench/instr-runs.jsonl, the callgrind files of the last run under
# build/bench/instr-cg/). Needs `make compat` first and valgrind.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
BIN=${INSTR_BIN:-$OUT/bench-instr}
REPEATS=${INSTR_REPEATS:-3}
N1=${INSTR_N1:-50000}
N2=${INSTR_N2:-250000}
N1_1K=${INSTR_N1_1K:-20000}
N2_1K=${INSTR_N2_1K:-100000}
PARTITIONS=${INSTR_PARTITIONS:-6}
CPARTITIONS=${INSTR_CONSUME_PARTITIONS:-32}
RUN_TIMEOUT=${INSTR_RUN_TIMEOUT:-300}
CASES=${INSTR_CASES:-p100 p1k lz4 zstd idem c100 c1k}
PY=${KAFKARS_PYTHON:-python3}
CC=${CC:-gcc}
RDKAFKA_SO=${BENCH_RDKAFKA:-/usr/lib/x86_64-linux-gnu/librdkafka.so.1}
RDKAFKA216_SO=${BENCH_RDKAFKA216:-}
COMPAT_DIR=$ROOT/build/compat
BROKERS=3
RF=3
read -r -a EXTRA_CONF <<<"${INSTR_CONF:-}"
read -r -a VG_EXTRA <<<"${INSTR_VALGRIND_ARGS:-}"

die() { echo "instr: $*" >&2; exit 1; }

for v in REPEATS N1 N2 N1_1K N2_1K PARTITIONS CPARTITIONS RUN_TIMEOUT; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[ "$N2" -gt "$N1" ] || die "INSTR_N2 ($N2) must be larger than INSTR_N1 ($N1)"
[ "$N2_1K" -gt "$N1_1K" ] || die "INSTR_N2_1K ($N2_1K) must be larger than INSTR_N1_1K ($N1_1K)"
for c in $CASES; do
    case $c in p100 | p1k | lz4 | zstd | idem | c100 | c1k) ;; *) die "unknown case '$c' (p100 p1k lz4 zstd idem c100 c1k)" ;; esac
done
command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)"
mkdir -p "$OUT"

. tests/bench/lib.sh
bench_refs "$OUT/instr-refs"
KAFKARS_MTIME=$(date -u -r "$(realpath "$COMPAT_DIR/librdkafka.so.1")" +%Y-%m-%dT%H:%M:%SZ)
# The same sources and compiler line as run.sh, to a binary of our own (run.sh may be
# rebuilding build/bench/bench meanwhile); INSTR_BIN: use that binary as is.
if [ -n "${INSTR_BIN:-}" ]; then
    [ -x "$BIN" ] || die "INSTR_BIN=$BIN is not an executable"
else
    bench_build "$BIN" tests/bench/bench.c tests/bench/bench_util.c tests/bench/bench_latency.c tests/bench/bench_memory.c
fi
mock_start $BROKERS "$OUT/instr-mock.log"

RUNS=$OUT/instr-runs.jsonl
: >"$RUNS"
CG=$OUT/instr-cg
VALGRIND_VERSION=$(valgrind --version)

# case_spec <case>: sets MODE SIZE CN1 CN2 CASE_CONF (array) for a case.
case_spec() {
    CASE_CONF=()
    CN1=$N1 CN2=$N2 SIZE=100 MODE=produce
    case $1 in
    p100) ;;
    p1k) SIZE=1024 CN1=$N1_1K CN2=$N2_1K ;;
    lz4) CASE_CONF=(compression.type=lz4) ;;
    zstd) CASE_CONF=(compression.type=zstd) ;;
    idem) CASE_CONF=(enable.idempotence=true) ;;
    c100) MODE=consume ;;
    c1k) MODE=consume SIZE=1024 CN1=$N1_1K CN2=$N2_1K ;;
    esac
}

# callgrind_counts <prefix>: "thread:Ir ..." of the per-thread files <prefix>-NN.
callgrind_counts() {
    local f t ir out=
    for f in "$1"-*; do
        [ -f "$f" ] || continue
        t=$(awk -F': *' '$1 == "thread" { print $2; exit }' "$f")
        ir=$(awk -F': *' '$1 == "summary" || $1 == "totals" { print $2; exit }' "$f")
        [ -n "$t" ] && [ -n "$ir" ] && out+="$t:$ir "
    done
    echo "$out"
}

# run_one <case> <lib> <repeat> <count>: one valgrind run, one JSONL record.
run_one() {
    local case=$1 lib=$2 rep=$3 n=$4
    case_spec "$case"
    local topic args=() parts=$PARTITIONS
    if [ "$MODE" = produce ]; then
        topic="instr-$case-r$rep-$lib-$n"
        mock_cmd topic_create "$topic" "$PARTITIONS" $RF || die "cannot create topic $topic"
        args=(produce "$BOOTSTRAP" "$topic" "$n" "$SIZE" ${CASE_CONF[@]+"${CASE_CONF[@]}"})
    else
        topic="instr-consume-$SIZE-$n"
        parts=$CPARTITIONS
        args=(consume "$BOOTSTRAP" "$topic" "$n" "bench.timeout.ms=$((RUN_TIMEOUT * 1000 - 10000))"
            ${CASE_CONF[@]+"${CASE_CONF[@]}"})
    fi
    args+=(${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"})
    rm -rf "$CG"
    mkdir -p "$CG"
    local json rc=0 errf="$CG/bench.err" t0 t1
    t0=$(date +%s.%N)
    json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 10 "$RUN_TIMEOUT" \
        valgrind --tool=callgrind --separate-threads=yes --log-file="$CG/valgrind.log" \
        --callgrind-out-file="$CG/cg.out" ${VG_EXTRA[@]+"${VG_EXTRA[@]}"} \
        "$BIN" "${args[@]}" 2>"$errf") || rc=$?
    t1=$(date +%s.%N)
    [ "$MODE" = produce ] && { mock_cmd topic_delete "$topic" >/dev/null || true; }
    local wall collected counts
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    collected=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$CG/valgrind.log" | tail -n1)
    counts=$(callgrind_counts "$CG/cg.out")
    # No consumer in the library (yet): as run.sh, n/a rather than a failure.
    local na=
    if [ "$MODE" = consume ] && [ "$lib" = kafkars ] && { [ $rc -eq 127 ] || { [ $rc -eq 2 ] &&
        grep -qiE 'not implemented|missing symbol|undefined symbol|not supported' "$errf"; }; }; then
        na=$(grep -oiE '(missing|undefined) symbol:? [A-Za-z0-9_]+' "$errf" | head -n1 || true)
        [ -n "$na" ] || na="exit $rc"
    elif [ $rc -ne 0 ]; then
        echo "instr: $case on $lib, repeat $rep, $n msgs: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)")" >&2
        tail -n 5 "$errf" >&2 || true
        grep -E 'error|Error|unhandled|unsupported' "$CG/valgrind.log" | head -n 5 >&2 || true
    fi
    [ -n "$json" ] || json=null
    "$PY" - "$case" "$lib" "$rep" "$n" "$rc" "$topic" "$parts" "$MODE" "$SIZE" "$wall" "${collected:-0}" "$counts" "$na" "$json" >>"$RUNS" <<'PYEOF'
import json, sys
(case, lib, rep, n, rc, topic, parts, mode, size, wall, collected, counts, na, res) = sys.argv[1:]
threads = {}
for item in counts.split():
    t, ir = item.split(":")
    threads[int(t)] = threads.get(int(t), 0) + int(ir)
rec = {"case": case, "lib_name": lib, "repeat": int(rep), "n": int(n), "exit": int(rc), "mode": mode,
       "size": int(size), "topic": topic, "topic_partitions": int(parts), "wall_s": float(wall),
       "collected": int(collected), "threads": {str(k): v for k, v in sorted(threads.items())},
       "result": json.loads(res)}
if na:
    rec["na"] = na
print(json.dumps(rec))
PYEOF
    local total
    total=$(tail -n1 "$RUNS" | "$PY" -c 'import json,sys; r=json.loads(sys.stdin.read()); print(sum(r["threads"].values()))')
    if [ -n "$na" ]; then
        printf '  %-5s %-16s rep %d n %-7d n/a (%s)\n' "$case" "$lib" "$rep" "$n" "$na"
    else
        printf '  %-5s %-16s rep %d n %-7d %15s instr  %7.1f s  exit %d\n' "$case" "$lib" "$rep" "$n" \
            "$(printf "%'d" "$total" 2>/dev/null || echo "$total")" "$wall" "$rc"
    fi
}

# Prefill the consume topics (natively, genuine 2.0.2): exactly N messages each.
PREFILL=$OUT/instr-prefill
rm -rf "$PREFILL"
mkdir -p "$PREFILL"
prefill() { # prefill <size> <count>
    local size=$1 n=$2 topic="instr-consume-$1-$2"
    mock_cmd topic_create "$topic" "$CPARTITIONS" $RF || die "cannot create topic $topic"
    env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir librdkafka-2.0.2)" timeout -k 5 120 "$BIN" produce "$BOOTSTRAP" "$topic" \
        "$n" "$size" bench.keys=1 linger.ms=100 >"$PREFILL/$size-$n.json" 2>"$PREFILL/$size-$n.err" ||
        { tail -n 5 "$PREFILL/$size-$n.err" >&2; die "prefill of $topic failed"; }
}
for c in $CASES; do
    case_spec "$c"
    if [ "$MODE" = consume ]; then
        prefill "$SIZE" "$CN1"
        prefill "$SIZE" "$CN2"
    fi
done

echo "instr: $VALGRIND_VERSION --tool=callgrind; mock cluster ($MOCK_VERSION, $BROKERS brokers) at $BOOTSTRAP"
echo "instr: libraries ${LIBS[*]} (order rotating per repeat)"
echo "instr:   librdkafka-2.0.2 = $RDKAFKA_SO${RDKAFKA216_SO:+; librdkafka-2.16 = $RDKAFKA216_SO}"
echo "instr:   kafkars = a copy of $(realpath "$COMPAT_DIR/librdkafka.so.1") (built $KAFKARS_MTIME, sha256 $KAFKARS_SHA...)"
echo "instr: cases $CASES; $REPEATS repeats; 100 B at $N1 and $N2 msgs, 1 KiB at $N1_1K and $N2_1K;" \
    "produce topics $PARTITIONS partitions, consume $CPARTITIONS, rf $RF; extra conf: ${INSTR_CONF:-none}"
START=$(date +%s)
for rep in $(seq "$REPEATS"); do
    order=()
    for i in "${!LIBS[@]}"; do
        order+=("${LIBS[$(((i + rep - 1) % ${#LIBS[@]}))]}")
    done
    for c in $CASES; do
        case_spec "$c"
        for lib in "${order[@]}"; do
            run_one "$c" "$lib" "$rep" "$CN1"
            run_one "$c" "$lib" "$rep" "$CN2"
        done
    done
done
echo "instr: $(($(date +%s) - START)) s of valgrind runs"

mock_stop
"$PY" tests/bench/instr_report.py --runs "$RUNS" --out "$OUT/instr.json" \
    --lib "librdkafka-2.16=$RDKAFKA216_SO" --lib "librdkafka-2.0.2=$RDKAFKA_SO" \
    --lib "kafkars=$KAFKARS_SO" --kafkars-build "$(realpath "$COMPAT_DIR/librdkafka.so.1") built $KAFKARS_MTIME sha256 $KAFKARS_SHA" \
    --mock-version "$MOCK_VERSION" --valgrind "$VALGRIND_VERSION" \
    --conf "${INSTR_CONF:-}"
