#!/usr/bin/env bash
# C tests: builds them into build/ctests/, starts one 3-broker mock cluster, then runs
#   1. abi_layout against Debian's rdkafka.h and against ours, diffing the dumps
#   2. producer_api on genuine librdkafka and on kafkars (compat link)
#   3. examples/producer.c and producer_api on kafkars under valgrind
#   4. api_lists.c (if present) on both libraries; compat_api, txn_api and mock_api on both;
#      abuse_api on kafkars under valgrind
#   5. consumer_api and the consumer examples on both libraries (+ valgrind on kafkars);
#      consumer_api's ORACLE lines (broker-dependent answers) must match genuine's
#   7. examples/admin.c on a Tansu broker of its own, on genuine librdkafka 2.16 (the pip
#      wheel's: Debian's 2.0.2 lacks that Admin API) and on kafkars, valgrind on both;
#      their outputs must match
#   8. share_consumer.c (the KIP-932 share consumer) on librdkafka 2.16's mock, on genuine
#      2.16 and on kafkars (valgrind); their outputs must match; share_errors.c (its error
#      handling) on each library's in-process mock, the same way
# Prints exactly one "N passed, M failed" line (the sum over all of them; run_all.sh
# adds it up) and exits non-zero on any failure. Needs `make compat` first.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/ctests
COMPAT=$ROOT/build/compat
CC=${CC:-gcc}
CFLAGS="-O1 -g -Wall -Wextra -Wno-unused-parameter"
PY=${KAFKARS_PYTHON:-python3}
VALGRIND=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
          --suppressions="$ROOT/tests/c/valgrind.supp" --child-silent-after-fork=yes)
mkdir -p "$OUT"

source tests/lib/checks.sh

if [ ! -e "$COMPAT/librdkafka.so.1" ]; then
  echo "missing $COMPAT/librdkafka.so.1: run 'make compat' first"
  echo "0 passed, 1 failed"
  exit 1
fi

# ---- build (all against Debian's <librdkafka/rdkafka.h>, linked with -lrdkafka) ----
build_ok=0
for t in producer_api api_lists consumer_api compat_api abuse_api txn_api mock_api; do
  [ -f "tests/c/$t.c" ] || continue
  if ! $CC $CFLAGS -o "$OUT/$t" "tests/c/$t.c" -lrdkafka -lpthread > "$OUT/$t.build.log" 2>&1; then
    echo "build of tests/c/$t.c failed:"; cat "$OUT/$t.build.log"; build_ok=1
  fi
done
for ex in producer consumer group_consumer; do
  if ! $CC $CFLAGS -o "$OUT/$ex" "examples/$ex.c" -lrdkafka > "$OUT/$ex.build.log" 2>&1; then
    echo "build of examples/$ex.c failed:"; cat "$OUT/$ex.build.log"; build_ok=1
  fi
done
one "build C tests against Debian's rdkafka.h" $build_ok

# ---- 1. ABI layout: Debian's header vs ours ----
echo "=== abi_layout: Debian rdkafka.h vs include/kafkars.h"
abi=0
if ! $CC -Wall -o "$OUT/abi_layout.debian" tests/c/abi_layout.c > "$OUT/abi_layout.debian.log" 2>&1; then
  echo "abi_layout does not compile against Debian's header:"; cat "$OUT/abi_layout.debian.log"; abi=1
fi
# -Iinclude makes <librdkafka/rdkafka.h> our compat header (-> kafkars.h).
if ! $CC -Wall -Werror -Iinclude -o "$OUT/abi_layout.kafkars" tests/c/abi_layout.c > "$OUT/abi_layout.kafkars.log" 2>&1; then
  echo "abi_layout does not compile (warnings are errors) against include/librdkafka/rdkafka.h -> kafkars.h:"
  grep -E 'error|warning' "$OUT/abi_layout.kafkars.log" | grep -v 'expected expression\|specifier-qualifier' | head -40
  abi=1
fi
if [ $abi -eq 0 ]; then
  "$OUT/abi_layout.debian" > "$OUT/abi.debian.txt" && "$OUT/abi_layout.kafkars" > "$OUT/abi.kafkars.txt" || abi=1
  # "info" lines are version markers (RD_KAFKA_RESP_ERR_END_ALL) that legitimately differ.
  if ! diff -u <(grep -v '^info ' "$OUT/abi.debian.txt") <(grep -v '^info ' "$OUT/abi.kafkars.txt") > "$OUT/abi.diff"; then
    echo "ABI differs (- Debian librdkafka 2.0.2, + kafkars):"; cat "$OUT/abi.diff"; abi=1
  else
    echo "$(wc -l < "$OUT/abi.debian.txt") sizes/offsets/constants identical"
  fi
fi
one "abi_layout (struct layouts and constants match Debian's header)" $abi

# ---- source compatibility: programs written for librdkafka compile against our header ----
echo "=== C programs against include/librdkafka/rdkafka.h -> kafkars.h"
# Every C program of the repository (the benchmarks build with their own flags).
for src in $(git ls-files '*.c' ':!:src/*' ':!:tests/bench/*'); do
  if $CC -Wall -Werror -Wno-unused-parameter -Iinclude -fsyntax-only "$src" > "$OUT/srccompat.log" 2>&1; then
    one "$src compiles against kafkars.h" 0
  else
    grep -E 'error' "$OUT/srccompat.log" | head -20
    one "$src compiles against kafkars.h" 1
  fi
done

# Our header must not define macros outside librdkafka's namespace (user code named
# TOPIC, QUEUE, PRODUCER... would break); allowed: RD_*, _LRK_*, KAFKARS_*, LIBRDKAFKA_*.
sys_h='#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <inttypes.h>
#include <sys/types.h>
#include <sys/socket.h>'
printf '%s\n' "$sys_h" | $CC -dM -E -x c - | awk '{print $2}' | sed 's/(.*//' | sort -u > "$OUT/macros.sys"
printf '%s\n#include <librdkafka/rdkafka.h>\n' "$sys_h" | $CC -Iinclude -dM -E -x c - 2>/dev/null \
  | awk '{print $2}' | sed 's/(.*//' | sort -u > "$OUT/macros.kafkars"
stray=$(comm -13 "$OUT/macros.sys" "$OUT/macros.kafkars" | grep -v -E '^(RD_|_LRK_|KAFKARS_|LIBRDKAFKA_)' | tr '\n' ' ')
if [ -n "$stray" ]; then echo "kafkars.h defines macros outside the RD_KAFKA_ namespace: $stray"; fi
one "kafkars.h defines no stray macros" "$([ -z "$stray" ]; echo $?)"

# ---- mock cluster ----
source tests/brokers/mock_cluster.sh
trap mock_cluster_stop EXIT
mock_cluster_start "$OUT" --brokers 3 --topic orders:4 --topic one:1
B=$MC_BOOTSTRAP
if [ -z "$B" ]; then
  one "mock cluster" 1
  echo "$passed passed, $failed failed"; exit 1
fi
echo "mock cluster: $B"

# ---- 2. producer_api on both libraries ----
if [ -x "$OUT/producer_api" ]; then
  echo "=== producer_api on genuine librdkafka"
  "$OUT/producer_api" "$B" > "$OUT/producer_api.genuine.log" 2> "$OUT/producer_api.genuine.stderr"
  result "producer_api (genuine librdkafka)" $? "$OUT/producer_api.genuine.log"
  echo "=== producer_api on kafkars"
  LD_LIBRARY_PATH=$COMPAT "$OUT/producer_api" "$B" > "$OUT/producer_api.kafkars.log" 2> "$OUT/producer_api.kafkars.stderr"
  result "producer_api (kafkars)" $? "$OUT/producer_api.kafkars.log"
fi

# ---- 4. api_lists on both libraries ----
if [ -x "$OUT/api_lists" ]; then
  echo "=== api_lists on genuine librdkafka"
  "$OUT/api_lists" "$B" > "$OUT/api_lists.genuine.log" 2>&1
  result "api_lists (genuine librdkafka)" $? "$OUT/api_lists.genuine.log"
  echo "=== api_lists on kafkars"
  LD_LIBRARY_PATH=$COMPAT "$OUT/api_lists" "$B" > "$OUT/api_lists.kafkars.log" 2>&1
  result "api_lists (kafkars)" $? "$OUT/api_lists.kafkars.log"
fi

# ---- 4b. compat_api (background queue, log queue, txn/SASL answers) on both ----
if [ -x "$OUT/compat_api" ]; then
  echo "=== compat_api on genuine librdkafka"
  "$OUT/compat_api" "$B" > "$OUT/compat_api.genuine.log" 2>&1
  result "compat_api (genuine librdkafka)" $? "$OUT/compat_api.genuine.log"
  echo "=== compat_api on kafkars (valgrind)"
  LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/compat_api" "$B" > "$OUT/compat_api.kafkars.log" 2>&1
  result "compat_api (kafkars, valgrind)" $? "$OUT/compat_api.kafkars.log"
fi

# ---- 4b'. txn_api (the transactional producer API) on both, kafkars under valgrind ----
if [ -x "$OUT/txn_api" ]; then
  echo "=== txn_api on genuine librdkafka"
  timeout -k 5 300 "$OUT/txn_api" "$B" > "$OUT/txn_api.genuine.log" 2>&1
  result "txn_api (genuine librdkafka)" $? "$OUT/txn_api.genuine.log"
  echo "=== txn_api on kafkars (valgrind)"
  LD_LIBRARY_PATH=$COMPAT timeout -k 5 300 "${VALGRIND[@]}" "$OUT/txn_api" "$B" > "$OUT/txn_api.kafkars.log" 2>&1
  result "txn_api (kafkars, valgrind)" $? "$OUT/txn_api.kafkars.log"
fi

# ---- 4b''. mock_api (the rd_kafka_mock_* API: clusters of its own, no bootstrap) on
# both, kafkars under valgrind ----
if [ -x "$OUT/mock_api" ]; then
  echo "=== mock_api on genuine librdkafka"
  timeout -k 5 120 "$OUT/mock_api" > "$OUT/mock_api.genuine.log" 2>&1
  result "mock_api (genuine librdkafka)" $? "$OUT/mock_api.genuine.log"
  # And on the pip wheel's librdkafka 2.16, whose mock has what 2.0.2's lacks (telemetry).
  mock_wheel=$("$PY" -c 'import sys; sys.path.insert(0, "tests/brokers"); from _common import find_bundled_librdkafka as f; print(f() or "")' 2>/dev/null)
  if [ -n "$mock_wheel" ] && [ -e "$mock_wheel" ]; then
    echo "=== mock_api on genuine librdkafka 2.16 (pip wheel)"
    mkdir -p "$OUT/mock-wheel" && ln -sf "$mock_wheel" "$OUT/mock-wheel/librdkafka.so.1"
    LD_LIBRARY_PATH="$OUT/mock-wheel" timeout -k 5 120 "$OUT/mock_api" > "$OUT/mock_api.genuine216.log" 2>&1
    result "mock_api (genuine librdkafka 2.16)" $? "$OUT/mock_api.genuine216.log"
  fi
  echo "=== mock_api on kafkars (valgrind)"
  LD_LIBRARY_PATH=$COMPAT timeout -k 5 120 "${VALGRIND[@]}" "$OUT/mock_api" > "$OUT/mock_api.kafkars.log" 2>&1
  result "mock_api (kafkars, valgrind)" $? "$OUT/mock_api.kafkars.log"
fi

# ---- 4c. abuse_api (NULL / wrong-type handles, absurd lengths, destroy with messages
# outstanding) on kafkars under valgrind; genuine librdkafka asserts on much of it ----
if [ -x "$OUT/abuse_api" ]; then
  echo "=== abuse_api on kafkars (valgrind)"
  LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/abuse_api" "$B" > "$OUT/abuse_api.kafkars.log" 2>&1
  result "abuse_api (kafkars, valgrind)" $? "$OUT/abuse_api.kafkars.log"
fi

# ---- 5. consumer_api and the consumer examples on both libraries ----
# A function the library does not export stops the program when first called (lazy
# binding: "symbol lookup error", exit 127). consumer_api runs each section in a child,
# so only that section fails; the examples fail as a whole. The symbol is shown.
load_failure() { # load_failure <log>
  grep -o 'undefined symbol: [A-Za-z0-9_]*' "$1" 2>/dev/null | sort -u | tr '\n' ' '
}
if [ -x "$OUT/consumer_api" ]; then
  for lib in genuine kafkars; do
    echo "=== consumer_api on $lib"
    if [ $lib = genuine ]; then
      timeout -k 5 300 "$OUT/consumer_api" "$B" > "$OUT/consumer_api.$lib.log" 2> "$OUT/consumer_api.$lib.stderr"
    else
      LD_LIBRARY_PATH=$COMPAT timeout -k 5 300 "$OUT/consumer_api" "$B" > "$OUT/consumer_api.$lib.log" 2> "$OUT/consumer_api.$lib.stderr"
    fi
    rc=$?
    miss=$(load_failure "$OUT/consumer_api.$lib.stderr")
    [ -n "$miss" ] && echo "missing functions: $miss"
    [ $rc -eq 124 ] && echo "timed out after 300 s"
    result "consumer_api ($lib)" $rc "$OUT/consumer_api.$lib.log"
  done
  # Broker-dependent answers (the mock's -1 for timestamp lookups, its missing
  # ListGroups) must come out the same as on genuine librdkafka.
  if grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$OUT/consumer_api.kafkars.log" 2>/dev/null; then
    if diff <(grep '^ORACLE' "$OUT/consumer_api.genuine.log") <(grep '^ORACLE' "$OUT/consumer_api.kafkars.log") \
        > "$OUT/consumer_api.oracle.diff"; then
      one "consumer_api broker-dependent answers match genuine ($(grep -c '^ORACLE' "$OUT/consumer_api.genuine.log") lines)" 0
    else
      echo "(- genuine, + kafkars):"; cat "$OUT/consumer_api.oracle.diff"
      one "consumer_api broker-dependent answers match genuine" 1
    fi
  fi
fi

# examples/consumer (legacy, one partition to EOF) and examples/group_consumer
# (subscribe, commit, close) on a topic filled by examples/producer on genuine.
if [ -x "$OUT/consumer" ] && [ -x "$OUT/group_consumer" ]; then
  EXT=c_consumer_example_$$
  if "$OUT/producer" "$B" "$EXT" 200 50 > "$OUT/consumer_prefill.log" 2>&1; then
    for lib in genuine kafkars; do
      envs=(); [ $lib = kafkars ] && envs=(LD_LIBRARY_PATH="$COMPAT")
      env "${envs[@]}" timeout -k 5 60 "$OUT/consumer" "$B" "$EXT" 0 beginning > "$OUT/consumer.$lib.log" 2>&1
      rc=$?
      [ $rc -eq 127 ] && echo "examples/consumer stopped on $lib: $(load_failure "$OUT/consumer.$lib.log")"
      n=$(grep -c '^'"$EXT"' \[0\] offset' "$OUT/consumer.$lib.log")
      if [ $rc -eq 0 ] && grep -q 'reached end' "$OUT/consumer.$lib.log" && [ "$n" -gt 0 ]; then
        one "examples/consumer to partition EOF ($lib, $n messages)" 0
      else
        show "$OUT/consumer.$lib.log" 20; one "examples/consumer to partition EOF ($lib)" 1
      fi
      env "${envs[@]}" timeout -k 5 90 "$OUT/group_consumer" --count 200 --timeout 60 --commit-every 50 --quiet \
        "$B" "c_group_example_${lib}_$$" "$EXT" -- session.timeout.ms=6000 > "$OUT/group_consumer.$lib.log" 2>&1
      rc=$?
      [ $rc -eq 127 ] && echo "examples/group_consumer stopped on $lib: $(load_failure "$OUT/group_consumer.$lib.log")"
      if [ $rc -eq 0 ] && grep -q '^consumed 200 messages' "$OUT/group_consumer.$lib.log" \
          && grep -q '^committed:' "$OUT/group_consumer.$lib.log"; then
        one "examples/group_consumer reads and commits all 200 ($lib)" 0
      else
        show "$OUT/group_consumer.$lib.log" 20; one "examples/group_consumer reads and commits all 200 ($lib)" 1
      fi
    done
  else
    show "$OUT/consumer_prefill.log" 10; one "prefill for the consumer examples" 1
  fi
fi

# ---- 3. valgrind on kafkars ----
if command -v valgrind > /dev/null; then
  echo "=== examples/producer under valgrind on kafkars"
  LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/producer" "$B" c_valgrind_example 2000 200 \
    > "$OUT/producer.valgrind.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { echo "exit $rc (9 = valgrind errors)"; show "$OUT/producer.valgrind.log" 80; }
  one "examples/producer under valgrind (kafkars)" $rc
  if [ -x "$OUT/producer_api" ]; then
    echo "=== producer_api under valgrind on kafkars"
    LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/producer_api" "$B" \
      > "$OUT/producer_api.valgrind.log" 2> "$OUT/producer_api.valgrind.stderr"
    rc=$?
    if [ $rc -eq 9 ]; then
      echo "valgrind reported errors:"; grep -E '^==[0-9]+==' "$OUT/producer_api.valgrind.stderr" | head -80
    fi
    result "producer_api under valgrind (kafkars)" $rc "$OUT/producer_api.valgrind.log"
  fi
  if [ -x "$OUT/consumer" ] && [ -n "${EXT:-}" ]; then
    echo "=== examples/consumer and examples/group_consumer under valgrind on kafkars"
    LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/consumer" "$B" "$EXT" 1 beginning > "$OUT/consumer.valgrind.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { echo "exit $rc (9 = valgrind errors)"; show "$OUT/consumer.valgrind.log" 40; }
    one "examples/consumer under valgrind (kafkars)" $rc
    LD_LIBRARY_PATH=$COMPAT "${VALGRIND[@]}" "$OUT/group_consumer" --count 200 --timeout 60 --quiet \
      "$B" "c_group_valgrind_$$" "$EXT" -- session.timeout.ms=6000 > "$OUT/group_consumer.valgrind.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { echo "exit $rc (9 = valgrind errors)"; show "$OUT/group_consumer.valgrind.log" 40; }
    one "examples/group_consumer under valgrind (kafkars)" $rc
  fi
else
  echo "valgrind not installed: valgrind runs skipped"
  one "valgrind available" 1
fi

# ---- 7. examples/admin.c (the Admin API) on Tansu: genuine librdkafka 2.16 and kafkars ----
# Debian's librdkafka 2.0.2 has neither these Admin functions nor a working ApiVersions
# exchange with Tansu, and the mock cluster serves no CreateTopics: so this runs on Tansu,
# with the pip wheel's librdkafka 2.16 as the genuine reference. admin.c is compiled against
# include/ (see its header comment) and linked against a stub librdkafka.so.1 made from
# libkafkars.so's rd_kafka_* exports, so the one binary runs on whichever librdkafka.so.1
# LD_LIBRARY_PATH picks. Both runs (valgrind on both) must exit 0, and print the same.
ADMIN_T_PID= ADMIN_T_FD=
admin_tansu_stop() {
  [ -n "$ADMIN_T_PID" ] || return 0
  [ -n "$ADMIN_T_FD" ] && { echo quit >&"$ADMIN_T_FD"; exec {ADMIN_T_FD}>&-; } 2>/dev/null
  for _ in $(seq 50); do kill -0 "$ADMIN_T_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$ADMIN_T_PID" 2>/dev/null; wait "$ADMIN_T_PID" 2>/dev/null
  ADMIN_T_PID= ADMIN_T_FD=
}
trap 'mock_cluster_stop; admin_tansu_stop' EXIT
echo "=== examples/admin on Tansu (genuine librdkafka 2.16 from the pip wheel, kafkars)"
admin_wheel=$("$PY" -c 'import sys; sys.path.insert(0, "tests/brokers"); from _common import find_bundled_librdkafka as f; print(f() or "")' 2>/dev/null)
admin_ok=0
mkdir -p "$OUT/rdkafka-stub" "$OUT/librdkafka-wheel"
nm -D --defined-only "$ROOT/build/lib/libkafkars.so" | awk '$2 == "T" && $3 ~ /^rd_kafka_/ { sub(/@.*/, "", $3); print "void " $3 "(void) {}" }' \
  | sort -u > "$OUT/rdkafka-stub/stub.c"
if ! $CC -shared -fPIC -Wl,-soname,librdkafka.so.1 -o "$OUT/rdkafka-stub/librdkafka.so" "$OUT/rdkafka-stub/stub.c" \
      > "$OUT/admin.build.log" 2>&1 \
   || ! $CC $CFLAGS -Werror -Iinclude -o "$OUT/admin" examples/admin.c -L"$OUT/rdkafka-stub" -lrdkafka \
      >> "$OUT/admin.build.log" 2>&1; then
  cat "$OUT/admin.build.log"; admin_ok=1
fi
one "build examples/admin.c against include/librdkafka/rdkafka.h (kafkars.h)" $admin_ok
if [ -z "$admin_wheel" ] || [ ! -e "$admin_wheel" ]; then
  echo "no pip confluent-kafka wheel librdkafka (the genuine 2.16 reference)"; one "genuine librdkafka 2.16 for examples/admin" 1
elif [ $admin_ok -eq 0 ]; then
  ln -sf "$admin_wheel" "$OUT/librdkafka-wheel/librdkafka.so.1"
  admin_fifo=$(mktemp -u "$OUT/tansu.XXXXXX.in"); mkfifo "$admin_fifo"
  "$PY" tests/brokers/tansu.py --topic c_admin_seed:1 < "$admin_fifo" > "$admin_fifo.out" 2> "$admin_fifo.err" &
  ADMIN_T_PID=$!
  exec {ADMIN_T_FD}> "$admin_fifo"
  TB=
  for _ in $(seq 300); do
    TB=$(sed -n 's/^BOOTSTRAP //p' "$admin_fifo.out"); [ -n "$TB" ] && break
    kill -0 "$ADMIN_T_PID" 2>/dev/null || break; sleep 0.1
  done
  if [ -z "$TB" ]; then
    echo "Tansu did not start:"; tail -5 "$admin_fifo.err"; one "Tansu for examples/admin" 1
  else
    echo "Tansu: $TB"
    # One consumer group (committed offsets, no members) for the example to list and describe.
    "$PY" - "$TB" > "$OUT/admin.seed.log" 2>&1 <<'PY'
import sys
from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient
a = AdminClient({"bootstrap.servers": sys.argv[1]})
fs = a.alter_consumer_group_offsets([ConsumerGroupTopicPartitions("c_admin_group", [TopicPartition("c_admin_seed", 0, 0)])],
                                    request_timeout=15)
for f in fs.values():
    print(f.result(timeout=20))
PY
    rc=$?; [ $rc -eq 0 ] || show "$OUT/admin.seed.log" 5
    one "a consumer group on Tansu for examples/admin (genuine confluent_kafka)" $rc
    for lib in genuine kafkars; do
      d=$OUT/librdkafka-wheel; [ $lib = kafkars ] && d=$COMPAT
      vg=(); command -v valgrind > /dev/null && vg=("${VALGRIND[@]}")
      LD_LIBRARY_PATH=$d timeout -k 5 180 "${vg[@]}" "$OUT/admin" -b "$TB" -t c_admin_example \
        > "$OUT/admin.$lib.log" 2> "$OUT/admin.$lib.stderr"
      rc=$?
      [ $rc -eq 0 ] && [ "$(tail -1 "$OUT/admin.$lib.log")" = done ] || {
        [ $rc -eq 0 ] && rc=1
        echo "exit $rc (9 = valgrind errors)"; show "$OUT/admin.$lib.log" 30; grep -E '^==[0-9]+==' "$OUT/admin.$lib.stderr" | head -40
        grep -o 'undefined symbol: [A-Za-z0-9_]*' "$OUT/admin.$lib.stderr" | sort -u; }
      one "examples/admin on Tansu ($lib${vg:+, valgrind})" $rc
      sed -E 's/topic id [^,]+/topic id <id>/' "$OUT/admin.$lib.log" > "$OUT/admin.$lib.norm"
    done
    if diff -u "$OUT/admin.genuine.norm" "$OUT/admin.kafkars.norm" > "$OUT/admin.diff" && [ -s "$OUT/admin.genuine.norm" ]; then
      one "examples/admin prints the same on kafkars as on genuine ($(wc -l < "$OUT/admin.genuine.norm") lines)" 0
    else
      echo "(- genuine librdkafka 2.16, + kafkars):"; cat "$OUT/admin.diff"
      one "examples/admin prints the same on kafkars as on genuine" 1
    fi
  fi
  admin_tansu_stop
  rm -f "$admin_fifo" "$admin_fifo.out" "$admin_fifo.err"
fi

# ---- 8. share_consumer.c (KIP-932) on librdkafka 2.16's mock: genuine 2.16 and kafkars ----
# Built against our header (Debian's 2.0.2 lacks the share API), linked to the stub
# library of section 7; the same binary runs on both, valgrind on kafkars.
# share_prog NAME [mock_cluster.py args]: with args, each run gets a fresh mock_cluster.py
# (librdkafka's mock) and its bootstrap list as argument; without, the program makes its
# own in-process mock (rd_kafka_mock_*). Both libraries must print the same lines.
share_prog() {
  local name=$1; shift
  if ! $CC $CFLAGS -Werror -Iinclude -o "$OUT/$name" "tests/c/$name.c" -L"$OUT/rdkafka-stub" -lrdkafka \
      > "$OUT/$name.build.log" 2>&1; then
    cat "$OUT/$name.build.log"; one "build tests/c/$name.c against kafkars.h" 1; return
  fi
  if [ -z "$admin_wheel" ] || [ ! -e "$admin_wheel" ]; then one "genuine librdkafka 2.16 for $name" 1; return; fi
  local lib d vg rc fifo pid sb
  for lib in genuine kafkars; do
    d=$OUT/librdkafka-wheel; vg=(); sb=(); pid=""
    if [ $lib = kafkars ]; then d=$COMPAT; command -v valgrind > /dev/null && vg=("${VALGRIND[@]}"); fi
    if [ $# -gt 0 ]; then
      fifo=$(mktemp -u "$OUT/share.XXXXXX.in"); mkfifo "$fifo"
      "$PY" tests/brokers/mock_cluster.py "$@" < "$fifo" > "$fifo.out" 2> "$fifo.err" &
      pid=$!
      exec {SHARE_FD}> "$fifo"
      for _ in $(seq 100); do sb=($(sed -n 's/^BOOTSTRAP //p' "$fifo.out")); [ ${#sb[@]} -gt 0 ] && break; sleep 0.1; done
    fi
    LD_LIBRARY_PATH=$d timeout -k 5 300 "${vg[@]}" "$OUT/$name" "${sb[@]}" \
      > "$OUT/$name.$lib.log" 2> "$OUT/$name.$lib.stderr"
    rc=$?
    [ $rc -ne 0 ] && { show "$OUT/$name.$lib.log" 40; grep -E '^==[0-9]+==' "$OUT/$name.$lib.stderr" | head -40; }
    one "$name ($lib${vg:+, valgrind})" $rc
    if [ -n "$pid" ]; then
      exec {SHARE_FD}>&-
      wait "$pid" 2> /dev/null
      rm -f "$fifo" "$fifo.out" "$fifo.err"
    fi
  done
  if diff -u "$OUT/$name.genuine.log" "$OUT/$name.kafkars.log" > "$OUT/$name.diff"; then
    one "$name prints the same on kafkars as on genuine ($(wc -l < "$OUT/$name.genuine.log") lines)" 0
  else
    echo "(- genuine librdkafka 2.16, + kafkars):"; cat "$OUT/$name.diff"
    one "$name prints the same on kafkars as on genuine" 1
  fi
}
echo "=== share_consumer on librdkafka's mock cluster (genuine librdkafka 2.16, kafkars)"
share_prog share_consumer --brokers 1 --share-earliest --share-heartbeat-ms 500 --topic s1:1 --topic s2:3
echo "=== share_errors on each library's in-process mock cluster (genuine librdkafka 2.16, kafkars)"
share_prog share_errors

# ---- 6. interceptors, plugin.library.paths, socket hooks (on both libraries) ----
source "$ROOT/tests/c/run_interceptors.sh"

echo
[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
