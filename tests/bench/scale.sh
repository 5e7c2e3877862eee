#!/usr/bin/env bash
# Scale benchmark (issue 16, item 4): does CPU and memory per message stay flat as
# partitions, topics and group members grow? The same C program
# (tests/bench/scale.c, built against librdkafka's header) runs on three libraries
# against ONE mock cluster (tests/brokers/mock_cluster.py, 3 brokers, rf 3); only
# LD_LIBRARY_PATH changes:
#   librdkafka-2.16   the librdkafka bundled in the pip confluent-kafka wheel,
#   librdkafka-2.0.2  Debian's librdkafka1,
#   kafkars           libkafkars (build/compat/librdkafka.so.1).
# Points (SCALE_COUNT messages of SCALE_SIZE bytes each, the same total at every point):
#   p6 p100 p1000     produce to 1 topic of 6, 100, 1000 partitions
#   t10 t100          produce to 10, 100 topics of 6 partitions (t1 is p6)
#   g1 g2 g4 g8       a consumer group of 1, 2, 4, 8 members (one handle and thread
#                     each, one process) reads SCALE_GROUP_COUNT messages from a
#                     prefilled topic of 48 partitions (prefilled once by genuine
#                     librdkafka, partition = i % 48)
# Produce sends message i to topic i % T, partition (i / T) % P: every partition of
# every topic gets the same share. Each produce run gets fresh topics, deleted after.
# Each group run uses a fresh group.id; the mock waits SCALE_JOIN_DELAY_MS for the
# members of a new group to join together (one generation, no rebalance in the middle).
# A group run that hits the mock's SyncGroup race (see group_stalled) is retried (up
# to twice); the report uses the last attempt and counts the races.
# Consume throughput follows each library's prefetch limit: librdkafka stops fetching
# while a consumer's queue holds queued.min.messages (100000), consumer-wide, and
# backs off fetch.queue.backoff.ms (1 s); kafkars counts the same way but wakes its
# fetchers as soon as there is room again. So with few members librdkafka's msgs/s is low and kafkars' high; like for like:
# SCALE_CONSUME_CONF="queued.min.messages=1000000".
# tests/bench/scale_report.py prints per library a table (msgs/s, CPU s per million
# messages, idle and peak RSS), the ratios kafkars/2.16, the curve (each point over
# the first) and one `scale |` line per point; all runs go to build/bench/scale.json.
#
# Env: SCALE_COUNT (500000), SCALE_SIZE (100), SCALE_PARTITIONS ("6 100 1000"),
#      SCALE_TOPICS ("10 100"; 6 partitions each; an empty list skips a series), SCALE_GROUP_COUNT (960000),
#      SCALE_GROUP_PARTITIONS (48), SCALE_MEMBERS ("1 2 4 8"),
#      SCALE_JOIN_DELAY_MS (3000), SCALE_SESSION_TIMEOUT_MS (10000, group members;
#        bounds the stall of the mock's SyncGroup race, see group_stalled),
#      SCALE_ROUNDS (3; the report takes the median),
#      SCALE_CONF ("key=value ..." for every run), SCALE_CONSUME_CONF (group runs),
#      SCALE_RUN_TIMEOUT (s per run, 120), SCALE_LIBS (subset, e.g. "kafkars"),
#      BENCH_RDKAFKA (2.0.2's .so; Debian's by default), BENCH_RDKAFKA216 (2.16's;
#      the pip wheel's by default), KAFKARS_PYTHON, CC.
# Needs `make compat` first (build/compat/librdkafka.so.1 -> libkafkars.so).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
BIN=$OUT/scale
COUNT=${SCALE_COUNT:-500000}
SIZE=${SCALE_SIZE:-100}
read -r -a PARTS_LIST <<<"${SCALE_PARTITIONS-6 100 1000}"
read -r -a TOPICS_LIST <<<"${SCALE_TOPICS-10 100}"
GCOUNT=${SCALE_GROUP_COUNT:-960000}
SESSION_MS=${SCALE_SESSION_TIMEOUT_MS:-10000}
GPARTS=${SCALE_GROUP_PARTITIONS:-48}
read -r -a MEMBERS_LIST <<<"${SCALE_MEMBERS-1 2 4 8}"
JOIN_DELAY=${SCALE_JOIN_DELAY_MS:-3000}
ROUNDS=${SCALE_ROUNDS:-3}
RUN_TIMEOUT=${SCALE_RUN_TIMEOUT:-120}
read -r -a EXTRA_CONF <<<"${SCALE_CONF:-}"
read -r -a CONSUME_CONF <<<"${SCALE_CONSUME_CONF:-}"
PY=${KAFKARS_PYTHON:-python3}
CC=${CC:-gcc}
RDKAFKA_SO=${BENCH_RDKAFKA:-/usr/lib/x86_64-linux-gnu/librdkafka.so.1}
RDKAFKA216_SO=${BENCH_RDKAFKA216:-}
BROKERS=3
RF=3
TOPIC_PARTS=6 # partitions of each topic in the many-topics points

die() { echo "scale: $*" >&2; exit 1; }

for v in COUNT SIZE GCOUNT GPARTS ROUNDS RUN_TIMEOUT SESSION_MS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ $JOIN_DELAY =~ ^[0-9]+$ ]] || die "SCALE_JOIN_DELAY_MS must be an integer"
for v in "${PARTS_LIST[@]}" "${TOPICS_LIST[@]}" "${MEMBERS_LIST[@]}"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || die "bad point '$v' in SCALE_PARTITIONS/SCALE_TOPICS/SCALE_MEMBERS"
done
mkdir -p "$OUT"

. tests/bench/lib.sh
bench_refs "$OUT/scale-refs"
if [ -n "${SCALE_LIBS:-}" ]; then
    read -r -a want_libs <<<"$SCALE_LIBS"
    for lib in "${want_libs[@]}"; do
        [[ " ${LIBS[*]} " == *" $lib "* ]] || die "SCALE_LIBS: '$lib' is not one of ${LIBS[*]}"
    done
    LIBS=("${want_libs[@]}")
fi
PREFILL_LIB=librdkafka-2.0.2
[ -n "$RDKAFKA216_SO" ] && PREFILL_LIB=librdkafka-2.16
bench_build "$BIN" tests/bench/scale.c tests/bench/bench_util.c
mock_start $BROKERS "$OUT/scale-mock.log"
mock_cmd group_initial_rebalance_delay_ms "$JOIN_DELAY" || die "cannot set the group join delay"

RUNS=$OUT/scale-runs.jsonl
: >"$RUNS"
T_BEGIN=$(date +%s)

# record <point> <kind> <lib> <round> <rc> <seconds> <json>
record() {
    printf '{"point":"%s","kind":"%s","lib_name":"%s","round":%d,"exit":%d,"wall_s":%s,"result":%s}\n' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$7" >>"$RUNS"
}

show() { # show <point> <lib> <round> <json>
    [ "$4" != null ] || return 0
    printf '  %-6s %-16s round %d: %s\n' "$1" "$2" "$3" "$("$PY" -c 'import json,sys
r = json.loads(sys.argv[1])
s = "%8.0f msgs/s  cpu %6.3f s/M  rss idle %6.1f MB peak %6.1f MB" % (r["msgs_per_s"], r["cpu_s_per_M"], r["rss_idle_kb"] / 1024, r["rss_peak_kb"] / 1024)
if r["mode"] == "consume":
    s += "  join %.2f s  dups %d  parts/member %s" % (r["join_s"], r["dups"], ",".join(str(m["partitions"]) for m in r["per_member"]))
print(s)' "$4")"
}

# run_produce <point> <lib> <round> <ntopics> <partitions>
run_produce() {
    local point=$1 lib=$2 round=$3 nt=$4 np=$5
    local prefix="scale-$point-r$round-$lib" t json rc=0 errf="$OUT/scale-last-$lib.err" t0 t1
    for ((t = 0; t < nt; t++)); do
        mock_cmd topic_create "$prefix-$t" "$np" $RF || die "cannot create topic $prefix-$t"
    done
    t0=$(date +%s%N)
    json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 5 "$RUN_TIMEOUT" \
        "$BIN" produce "$BOOTSTRAP" "$prefix" "$nt" "$np" "$COUNT" "$SIZE" \
        ${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"} 2>"$errf") || rc=$?
    t1=$(date +%s%N)
    for ((t = 0; t < nt; t++)); do
        mock_cmd topic_delete "$prefix-$t" >/dev/null || true
    done
    if [ $rc -ne 0 ]; then
        echo "scale: $point on $lib, round $round: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)")" >&2
        echo "scale:   command: LD_LIBRARY_PATH=$(lib_dir "$lib") $BIN produce $BOOTSTRAP $prefix $nt $np $COUNT $SIZE ${EXTRA_CONF[*]:-}" >&2
        tail -n 5 "$errf" >&2 || true
    elif [ -s "$errf" ]; then
        echo "scale: $point on $lib, round $round: stderr:" >&2
        tail -n 3 "$errf" >&2
    fi
    [ -n "$json" ] || json=null
    record "$point" produce "$lib" "$round" "$rc" "$(printf %d.%03d $(((t1 - t0) / 1000000000)) $((((t1 - t0) / 1000000) % 1000)))" "$json"
    show "$point" "$lib" "$round" "$json"
}

# group_stalled <json>: did the run hit the mock's SyncGroup race? The mock answers
# only the SyncGroups that arrived before the leader's; a later one gets
# REBALANCE_IN_PROGRESS, that member rejoins and the mock then waits a whole
# session timeout (JOINING state) before the next generation, while the members
# already assigned consume with their commits refused: a stall and re-read messages.
# Genuine librdkafka hits it as well (2.0.2 about as often as kafkars, 2.16 less often:
# its leader runs the assignor on another thread, ~1 ms later); the run is then
# retried, up to twice.
group_stalled() {
    "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); late = float(sys.argv[2]) / 1000 + 2
sys.exit(0 if r["dups"] or any(m["assigns"] != 1 or m["first_assign_s"] > late for m in r["per_member"]) else 1)' "$1" "$JOIN_DELAY"
}

# run_group <point> <lib> <round> <members>
run_group() {
    local point=$1 lib=$2 round=$3 nm=$4
    local group json rc errf="$OUT/scale-last-$lib.err" t0 t1 attempt superseded
    for attempt in 1 2 3; do
        group="scale-$point-r$round-a$attempt-$lib"
        rc=0
        t0=$(date +%s%N)
        json=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir "$lib")" timeout -k 5 "$RUN_TIMEOUT" \
            "$BIN" consume "$BOOTSTRAP" "$GTOPIC" "$nm" "$GCOUNT" "$group" \
            "scale.timeout.ms=$((RUN_TIMEOUT * 1000 - 10000))" "session.timeout.ms=$SESSION_MS" \
            ${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"} ${CONSUME_CONF[@]+"${CONSUME_CONF[@]}"} 2>"$errf") || rc=$?
        t1=$(date +%s%N)
        if [ $rc -ne 0 ]; then
            echo "scale: $point on $lib, round $round: exit $rc$([ $rc -eq 124 ] && echo " (timeout ${RUN_TIMEOUT}s)")" >&2
            echo "scale:   command: LD_LIBRARY_PATH=$(lib_dir "$lib") $BIN consume $BOOTSTRAP $GTOPIC $nm $GCOUNT $group session.timeout.ms=$SESSION_MS ${EXTRA_CONF[*]:-} ${CONSUME_CONF[*]:-}" >&2
            tail -n 5 "$errf" >&2 || true
        elif grep -qv 'COMMITFAIL' "$errf"; then
            # COMMITFAIL at close is expected: each member leaving rebalances the rest.
            echo "scale: $point on $lib, round $round: stderr:" >&2
            grep -v 'COMMITFAIL' "$errf" | tail -n 3 >&2
        fi
        [ -n "$json" ] || json=null
        superseded=false
        if [ $rc -eq 0 ] && [ "$json" != null ] && [ $attempt -lt 3 ] && group_stalled "$json"; then
            superseded=true
        fi
        printf '{"point":"%s","kind":"group","lib_name":"%s","round":%d,"attempt":%d,"superseded":%s,"exit":%d,"wall_s":%s,"result":%s}\n' \
            "$point" "$lib" "$round" "$attempt" "$superseded" "$rc" \
            "$(printf %d.%03d $(((t1 - t0) / 1000000000)) $((((t1 - t0) / 1000000) % 1000)))" "$json" >>"$RUNS"
        show "$point" "$lib" "$round" "$json"
        [ $superseded = true ] || break
        echo "  $point on $lib, round $round: mock SyncGroup race (a member assigned late or re-read messages): retrying"
    done
}

# Prefill the group topic once, with genuine librdkafka: partition i % GPARTS.
GTOPIC=
if [ ${#MEMBERS_LIST[@]} -gt 0 ]; then
    mock_cmd topic_create "scale-group-0" "$GPARTS" $RF || die "cannot create topic scale-group-0"
    if env -u LD_PRELOAD LD_LIBRARY_PATH="$(lib_dir $PREFILL_LIB)" timeout -k 5 "$RUN_TIMEOUT" "$BIN" produce \
        "$BOOTSTRAP" scale-group 1 "$GPARTS" "$GCOUNT" "$SIZE" linger.ms=100 \
        >"$OUT/scale-prefill.json" 2>"$OUT/scale-prefill.err"; then
        GTOPIC=scale-group-0
    else
        echo "scale: prefill of scale-group-0 failed; skipping the group points" >&2
        tail -n 5 "$OUT/scale-prefill.err" >&2 || true
    fi
fi

echo "scale: mock cluster ($MOCK_VERSION, $BROKERS brokers, rf $RF) at $BOOTSTRAP"
echo "scale: libraries ${LIBS[*]} (order rotating per point)"
echo "scale:   librdkafka-2.0.2 = $RDKAFKA_SO${RDKAFKA216_SO:+; librdkafka-2.16 = $RDKAFKA216_SO}; kafkars = $KAFKARS_SO"
echo "scale:   kafkars: a copy of build/compat taken at the start, sha256 $KAFKARS_SHA..."
echo "scale: produce $COUNT x $SIZE B to 1 topic of {${PARTS_LIST[*]}} partitions and to {${TOPICS_LIST[*]}} topics of $TOPIC_PARTS; extra conf: ${SCALE_CONF:-none}"
[ -n "$GTOPIC" ] &&
    echo "scale: group of {${MEMBERS_LIST[*]}} members reads $GCOUNT x $SIZE B from $GPARTS partitions (join delay ${JOIN_DELAY} ms); extra conf: ${SCALE_CONSUME_CONF:-none}"
echo "scale: $ROUNDS round(s)"

POINTS=()
for p in "${PARTS_LIST[@]}"; do POINTS+=("p$p:produce:1:$p"); done
for t in "${TOPICS_LIST[@]}"; do POINTS+=("t$t:produce:$t:$TOPIC_PARTS"); done
if [ -n "$GTOPIC" ]; then
    for m in "${MEMBERS_LIST[@]}"; do POINTS+=("g$m:group:$m:$GPARTS"); done
fi
k=0
for round in $(seq "$ROUNDS"); do
    for pt in "${POINTS[@]}"; do
        IFS=: read -r point kind a b <<<"$pt"
        for i in "${!LIBS[@]}"; do
            lib=${LIBS[$(((i + k) % ${#LIBS[@]}))]}
            if [ "$kind" = produce ]; then
                run_produce "$point" "$lib" "$round" "$a" "$b"
            else
                run_group "$point" "$lib" "$round" "$a"
            fi
        done
        k=$((k + 1))
    done
done

mock_stop
T_END=$(date +%s)
echo "scale: runs took $((T_END - T_BEGIN)) s"
"$PY" tests/bench/scale_report.py --runs "$RUNS" --out "$OUT/scale.json" \
    --lib "librdkafka-2.16=$RDKAFKA216_SO" --lib "librdkafka-2.0.2=$RDKAFKA_SO" \
    --lib "kafkars=$KAFKARS_SO" --mock-version "$MOCK_VERSION" \
    --conf "${SCALE_CONF:-}" --params "count=$COUNT size=$SIZE group_count=$GCOUNT group_partitions=$GPARTS join_delay_ms=$JOIN_DELAY session_timeout_ms=$SESSION_MS rounds=$ROUNDS"
