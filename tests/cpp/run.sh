#!/usr/bin/env bash
# C++ API test: builds tests/cpp/cpp_api.cpp against Debian's librdkafka++ (which sits on
# librdkafka.so.1) into build/cpp/, starts a 3-broker mock cluster, then runs it
#   1. on genuine librdkafka 2.0.2 (no LD_LIBRARY_PATH)
#   2. on kafkars: LD_LIBRARY_PATH=${KAFKARS_COMPAT:-build/compat}
#   3. on kafkars under valgrind (KAFKARS_CPP_VALGRIND=0 skips it)
# and diffs the kafkars traces against genuine's: same records, same callbacks.
# Prints exactly one "N passed, M failed" line (the program's checks + ours) and exits
# non-zero on any failure. Needs `make compat` first (or KAFKARS_COMPAT=<dir holding
# librdkafka.so.1>).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/cpp
COMPAT=${KAFKARS_COMPAT:-$ROOT/build/compat}
CXX=${CXX:-g++}
PY=${KAFKARS_PYTHON:-python3}
VALGRIND=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
          --suppressions="$ROOT/tests/c/valgrind.supp" --child-silent-after-fork=yes)
mkdir -p "$OUT"

source tests/lib/checks.sh

finish() {
  echo
  [ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# ---- build ----
if $CXX -O1 -g -Wall -o "$OUT/cpp_api" tests/cpp/cpp_api.cpp -lrdkafka++ -lrdkafka > "$OUT/build.log" 2>&1; then
  one "build tests/cpp/cpp_api.cpp (-lrdkafka++ -lrdkafka)" 0
else
  cat "$OUT/build.log"; one "build tests/cpp/cpp_api.cpp" 1; finish
fi
if [ ! -e "$COMPAT/librdkafka.so.1" ]; then
  echo "missing $COMPAT/librdkafka.so.1: run 'make compat' first"
  one "compat library present" 1; finish
fi

# ---- which libraries the dynamic linker picks ----
ldd "$OUT/cpp_api" > "$OUT/ldd.genuine.txt" 2>&1
LD_LIBRARY_PATH=$COMPAT ldd "$OUT/cpp_api" > "$OUT/ldd.kafkars.txt" 2>&1
lib_of() { awk -v l="$1" '$1 == l { print $3 }' "$2"; }
g_c=$(lib_of librdkafka.so.1 "$OUT/ldd.genuine.txt"); g_cpp=$(lib_of librdkafka++.so.1 "$OUT/ldd.genuine.txt")
k_c=$(lib_of librdkafka.so.1 "$OUT/ldd.kafkars.txt"); k_cpp=$(lib_of librdkafka++.so.1 "$OUT/ldd.kafkars.txt")
echo "ldd genuine: librdkafka++.so.1 => $g_cpp, librdkafka.so.1 => $g_c -> $(readlink -f "$g_c")"
echo "ldd kafkars: librdkafka++.so.1 => $k_cpp, librdkafka.so.1 => $k_c -> $(readlink -f "$k_c")"
[ -n "$g_c" ] && [ "$(readlink -f "$g_c")" != "$(readlink -f "$COMPAT/librdkafka.so.1")" ] \
  && [[ "$(readlink -f "$g_cpp")" == /usr/lib/* ]]
one "ldd: without LD_LIBRARY_PATH, Debian's librdkafka++ and librdkafka" $?
[ "$(readlink -f "$k_c")" = "$(readlink -f "$COMPAT/librdkafka.so.1")" ] && [[ "$(readlink -f "$k_cpp")" == /usr/lib/* ]] \
  && [ "$(grep -c 'librdkafka\.so\.1' "$OUT/ldd.kafkars.txt")" -eq 1 ]
one "ldd: with LD_LIBRARY_PATH, Debian's librdkafka++ on $COMPAT/librdkafka.so.1 only" $?

# Debian's librdkafka++ binds its rd_kafka_* imports when loaded: each must exist.
cpp_so=$(readlink -f "${k_cpp:-/usr/lib/x86_64-linux-gnu/librdkafka++.so.1}")
nm -D --undefined-only "$cpp_so" | awk '$2 ~ /^rd_kafka_/ { print $2 }' | sort -u > "$OUT/cpp_imports.txt"
nm -D --defined-only "$COMPAT/librdkafka.so.1" | awk '{ print $3 }' | sort -u > "$OUT/kafkars_exports.txt"
missing=$(comm -23 "$OUT/cpp_imports.txt" "$OUT/kafkars_exports.txt" | tr '\n' ' ')
[ -n "$missing" ] && echo "kafkars lacks: $missing"
one "kafkars exports all $(wc -l < "$OUT/cpp_imports.txt") rd_kafka_* functions librdkafka++ imports" \
  "$([ -z "$missing" ]; echo $?)"

# ---- mock cluster (topics of the three runs made up front: 4 partitions each) ----
G=g$$ K=k$$ V=v$$
source tests/brokers/mock_cluster.sh
trap mock_cluster_stop EXIT
mock_cluster_start "$OUT" --brokers 3 --topic "cpp_api_$G:4" --topic "cpp_api_$K:4" --topic "cpp_api_$V:4"
B=$MC_BOOTSTRAP
if [ -z "$B" ]; then
  one "mock cluster" 1; finish
fi
echo "mock cluster: $B"

# run <lib> <suffix> <timeout> [prefix command...]: one run of the program.
run() {
  local lib=$1 sfx=$2 tmo=$3 t0 rc; shift 3
  local envs=()
  [ "$lib" != genuine ] && envs=(LD_LIBRARY_PATH="$COMPAT")
  t0=$(date +%s.%N)
  # In a subshell, so the shell's own "Segmentation fault" notice lands in the stderr file.
  ( env "${envs[@]}" timeout -k 5 "$tmo" "$@" "$OUT/cpp_api" "$B" "$sfx" "$OUT/trace.$lib.txt" \
    "$([ "$lib" = genuine ] && echo genuine || echo kafkars)" > "$OUT/$lib.log" 2> "$OUT/$lib.stderr"; exit $? ) \
    2>> "$OUT/$lib.stderr"
  rc=$?
  echo "$lib: $(grep -m1 '^rd_kafka_version() comes from' "$OUT/$lib.log" || echo 'library not reported')"
  echo "$lib: $(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f s", t1 - t0 }');" \
    "$(grep '^TIMING' "$OUT/$lib.log" | sed 's/^TIMING //' | paste -sd ';' -)"
  [ -s "$OUT/$lib.stderr" ] && { echo "$lib stderr:"; grep -v '^==[0-9]*== *$' "$OUT/$lib.stderr" | head -20; }
  return $rc
}

# nolog <lib>: every handle has an EventCb, so the library must print no log line
# ("%7|...") itself: librdkafka++ prints one only when its log callback gets no handle.
nolog() {
  local n
  n=$(grep -cE '^%[0-7]\|' "$OUT/$1.stderr")
  one "no log line bypassed the EventCb to stderr ($1: $n)" "$([ "$n" -eq 0 ]; echo $?)"
}

# difftrace <lib>: the kafkars trace must be genuine's, line for line.
difftrace() {
  if [ ! -s "$OUT/trace.$1.txt" ]; then
    one "$1 trace written" 1
  elif diff -u "$OUT/trace.genuine.txt" "$OUT/trace.$1.txt" > "$OUT/trace.$1.diff"; then
    one "$1 trace matches genuine ($(wc -l < "$OUT/trace.genuine.txt") lines)" 0
  else
    echo "trace differs (- genuine librdkafka, + $1):"; grep -E '^[-+]' "$OUT/trace.$1.diff" | head -80
    one "$1 trace matches genuine" 1
  fi
}

echo "=== cpp_api on genuine librdkafka"
rm -f "$OUT"/trace.*.txt
run genuine "$G" 120
rc=$?
result "cpp_api (genuine librdkafka)" $rc "$OUT/genuine.log"
nolog genuine

echo "=== cpp_api on kafkars ($COMPAT)"
run kafkars "$K" 120
result "cpp_api (kafkars)" $? "$OUT/kafkars.log"
nolog kafkars
[ -s "$OUT/trace.genuine.txt" ] && difftrace kafkars

if [ "${KAFKARS_CPP_VALGRIND:-1}" = 0 ]; then
  echo "valgrind run skipped (KAFKARS_CPP_VALGRIND=0)"
elif command -v valgrind > /dev/null; then
  echo "=== cpp_api on kafkars under valgrind"
  run valgrind "$V" 300 "${VALGRIND[@]}"
  rc=$?
  [ $rc -eq 9 ] && grep -E '^==[0-9]+==' "$OUT/valgrind.stderr" | head -60
  result "cpp_api (kafkars, valgrind)" $rc "$OUT/valgrind.log"
  [ -s "$OUT/trace.genuine.txt" ] && difftrace valgrind
else
  echo "valgrind not installed: valgrind run skipped"
  one "valgrind available" 1
fi
finish
