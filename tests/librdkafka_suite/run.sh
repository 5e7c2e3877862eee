#!/usr/bin/env bash
# Build and run librdkafka's own mock-cluster test programs (tests/0xxx-*.c
# that use test_mock_cluster_new / rd_kafka_mock_* / test.mock.num.brokers)
# against one or more librdkafka.so.1 builds (e.g. genuine librdkafka and
# kafkars' build/compat drop-in), one test at a time.
#
# Standalone tool; NOT part of `make test`.
#
# Usage:
#   run.sh [-s SRC] [-w WORKDIR] [-r REF] [-t TIMEOUT] [-T "0009 0031 ..."] \
#          [-b] LABEL=/dir/with/librdkafka.so.1 [LABEL2=/dir2 ...]
#
#   SRC   librdkafka source: either a checked-out tree (containing tests/ and
#         src/) or a bare git mirror (then REF is exported, default HEAD).
#         Also from $LIBRDKAFKA_SRC.  If absent the script exits 0 with SKIP.
#   -b    build only.
#   The test binary is linked against the FIRST library given (its
#   librdkafka.so.1 must export the full public + mock API); every LABEL is
#   then run with LD_LIBRARY_PATH=<dir>.
#
# Example:
#   tests/librdkafka_suite/run.sh -s /work/.mirror/confluentinc+librdkafka/repo \
#       genuine=build/bench/refs/2.16 kafkars=build/compat
#
# Env: RDKTEST_ARGS extra test-runner args (e.g. -Q for quick mode, which
#      skips most non-quick sub-tests); TEST_CONSUMER_GROUP_PROTOCOL=consumer
#      to run the KIP-848 variants; TEST_TIMEOUT (default 180s per run);
#      RDKTEST_DEADLINE (epoch seconds: start no new test run after it).
# Output: $RDKTEST_OUT (default WORKDIR)/results.tsv  (test, label, result,
#         duration + first failure line), .../logs/<test>.<label>.log
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="${LIBRDKAFKA_SRC:-}"
WORK="${RDKTESTS_WORKDIR:-/tmp/rdktests}"
REF="${LIBRDKAFKA_REF:-HEAD}"
TMO="${TEST_TIMEOUT:-180}"
ONLY=""
BUILD_ONLY=0
while getopts "s:w:r:t:T:b" o; do
    case $o in
        s) SRC=$OPTARG ;;
        w) WORK=$OPTARG ;;
        r) REF=$OPTARG ;;
        t) TMO=$OPTARG ;;
        T) ONLY=$OPTARG ;;
        b) BUILD_ONLY=1 ;;
        *) sed -n 2,28p "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
LIBS=("$@")
if [ -z "$SRC" ] || [ ! -e "$SRC" ]; then
    echo "SKIP: librdkafka source not available (pass -s DIR or set LIBRDKAFKA_SRC)"
    exit 0
fi
if [ ${#LIBS[@]} -eq 0 ]; then
    echo "usage: $0 [-s SRC] LABEL=/libdir [LABEL=/libdir ...]" >&2; exit 2
fi
for l in "${LIBS[@]}"; do
    d=${l#*=}
    [ -e "$d/librdkafka.so.1" ] || { echo "no $d/librdkafka.so.1" >&2; exit 2; }
done
NICE="nice -n 19"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
T="$WORK/src"
# ---- 1. export sources -------------------------------------------------
if [ ! -f "$T/tests/test.c" ]; then
    rm -rf "$T"; mkdir -p "$T"
    if [ -d "$SRC/tests" ] && [ -d "$SRC/src" ]; then
        cp -a "$SRC/tests" "$SRC/src" "$T/"
    else
        git -C "$SRC" archive "$REF" tests src | tar -x -C "$T" || {
            echo "cannot export $REF from $SRC" >&2; exit 1; }
    fi
fi
# minimal mklove config.h for rd.h / tinycthread / rdlist
cat > "$T/config.h" <<'CFG'
#ifndef _CONFIG_H_
#define _CONFIG_H_
#define ARCH "x86_64"
#define CPU "generic"
#define WITHOUT_OPTIMIZATION 0
#define ENABLE_DEVEL 0
#define WITH_PLUGINS 1
#define WITH_SSL 1
#define WITH_ZLIB 1
#define WITH_SNAPPY 1
#define WITH_LZ4_EXT 0
#define WITH_ZSTD 1
#define WITH_SASL 1
#define WITH_SASL_SCRAM 1
#define WITH_SASL_OAUTHBEARER 1
#define WITH_HDRHISTOGRAM 1
#define WITH_SOCKEM 1
#define HAVE_ATOMICS_32 1
#define HAVE_ATOMICS_32_ATOMIC 1
#define ATOMIC_OP32(OP1,OP2,PTR,VAL) __atomic_ ## OP1 ## _ ## OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define HAVE_ATOMICS_64 1
#define HAVE_ATOMICS_64_ATOMIC 1
#define ATOMIC_OP64(OP1,OP2,PTR,VAL) __atomic_ ## OP1 ## _ ## OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define ATOMIC_OP(OP1,OP2,PTR,VAL) __atomic_ ## OP1 ## _ ## OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define HAVE_REGEX 1
#define HAVE_STRNDUP 1
#define HAVE_STRCASESTR 1
#define HAVE_STRERROR_R 1
#define HAVE_PTHREAD_SETNAME_GNU 1
#define HAVE_RAND_R 1
#define HAVE_GETRUSAGE 1
#define WITH_LIBDL 1
#define SOLIB_EXT ".so"
#define BUILT_WITH "GCC"
#endif
CFG

B="$WORK/build"
OUT="${RDKTEST_OUT:-$WORK}"
mkdir -p "$B" "$OUT/logs" "$WORK/linklib"
# Link against a stub with SONAME librdkafka.so.1 exporting the first
# library's symbols (pip wheels ship librdkafka under a hashed SONAME, which
# would otherwise end up in DT_NEEDED).  At run time LD_LIBRARY_PATH picks
# the real librdkafka.so.1.
nm -D --defined-only "${LIBS[0]#*=}/librdkafka.so.1" | awk '$2 ~ /[TW]/{print "void " $3 "(void){}"}' \
    | sort -u > "$WORK/linklib/stub.c"
$NICE gcc -shared -fPIC -w -o "$WORK/linklib/librdkafka.so" "$WORK/linklib/stub.c" -Wl,-soname,librdkafka.so.1

# ---- 2. select the mock tests -------------------------------------------
cd "$T/tests"
MOCKFILES=$(grep -lE 'test_mock_cluster_new|rd_kafka_mock_|test\.mock\.num\.brokers' 0*.c | sort)
CFLAGS="-O1 -g -w -std=gnu11 -D_GNU_SOURCE -I$T/src -I$T/tests -I$T -DWITH_SOCKEM=1"
cc_() { $NICE gcc $CFLAGS "$@"; }

# Framework objects (as in tests/Makefile, minus testcpp.o)
FW=""
for s in tests/test.c tests/rusage.c tests/sockem.c tests/sockem_ctrl.c \
         src/tinycthread.c src/tinycthread_extra.c src/rdlist.c; do
    o="$B/fw_$(basename "${s%.c}").o"
    [ "$o" -nt "$T/$s" ] || cc_ -c "$T/$s" -o "$o" || { echo "framework build failed: $s" >&2; exit 1; }
    FW="$FW $o"
done

# Static "uses internals" check: symbols a test object needs that are not
# exported by the linking library and not provided by the framework.
nm -D --defined-only "$WORK/linklib/librdkafka.so" | awk '{print $3}' | sort -u > "$B/lib.syms"
nm --defined-only $FW | awk 'NF==3{print $3}' | sort -u > "$B/fw.syms"
: > "$B/internals.txt"
OK_OBJS=""
for f in $MOCKFILES; do
    n=${f%%-*}
    [ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $n " && continue
    o="$B/$n.o"
    if ! { [ "$o" -nt "$f" ] || cc_ -c "$f" -o "$o" 2> "$B/$n.cc.log"; }; then
        echo -e "$n\tcompile error: $(grep -m1 error "$B/$n.cc.log")" >> "$B/internals.txt"; continue
    fi
    und=$(nm -u "$o" | awk '{print $2}' | grep -E '^rd_' | sort -u \
          | comm -23 - "$B/lib.syms" | comm -23 - "$B/fw.syms" | tr '\n' ' ')
    if [ -n "$und" ]; then
        echo -e "$n\tuses internals: $und" >> "$B/internals.txt"; continue
    fi
    OK_OBJS="$OK_OBJS $o"
done

# Stubs for every test function declared in test.c that we don't build.
defined=$(nm --defined-only $OK_OBJS | awk '$3 ~ /^main_/{print $3}' | sort -u)
grep -oE '^_TEST_DECL\([0-9A-Za-z_]+\)' test.c | sed -E 's/_TEST_DECL\((.*)\)/main_\1/' | sort -u \
  | comm -23 - <(echo "$defined") \
  | awk '{print "int " $1 "(int argc, char **argv) { return 0; }"}' > "$B/stubs.c"
cc_ -c "$B/stubs.c" -o "$B/stubs.o"
$NICE gcc -o "$B/test-runner" $FW $OK_OBJS "$B/stubs.o" -rdynamic \
    -L"$WORK/linklib" -lrdkafka -lpthread -ldl -lm -Wl,-rpath-link,"$WORK/linklib" \
    || { echo "link failed" >&2; exit 1; }
echo "built $B/test-runner with: $(for o in $OK_OBJS; do basename $o .o; done | tr '\n' ' ')"
[ -s "$B/internals.txt" ] && { echo "not built:"; cat "$B/internals.txt"; }
[ $BUILD_ONLY = 1 ] && exit 0

# ---- 3. run -------------------------------------------------------------
RES="$OUT/results.tsv"
[ -f "$RES" ] || echo -e "test\tlib\tresult\tdetail" > "$RES"
while IFS=$'\t' read -r n why; do
    for l in "${LIBS[@]}"; do echo -e "$n\t${l%%=*}\tuses internals\t$why" >> "$RES"; done
done < "$B/internals.txt"
RUNDIR="$WORK/run"; mkdir -p "$RUNDIR"
for o in $OK_OBJS; do
    n=$(basename "$o" .o)
    for l in "${LIBS[@]}"; do
        lab=${l%%=*}; dir=$(cd "${l#*=}" && pwd)
        if [ -n "${RDKTEST_DEADLINE:-}" ] && [ "$(date +%s)" -ge "$RDKTEST_DEADLINE" ]; then
            echo -e "$n\t$lab\tnot run\tdeadline reached" | tee -a "$RES"; continue
        fi
        log="$OUT/logs/$n.$lab.log"
        # Tests flagged TEST_F_LOCAL in test.c's table run with -l (skips the
        # real-broker tests of the same file).  Some pure mock tests are not
        # flagged local (e.g. 0068, 0139, 0150): run those without -l.
        # 0018 mixes real-broker sub-tests with one mock sub-test: select it.
        lflag="-l"; sub="${SUBTESTS:-}"
        grep -E "^\s*_TEST\(${n}_" "$T/tests/test.c" | grep -q TEST_F_LOCAL || lflag=""
        [ "$n" = 0018 ] && [ -z "$sub" ] && sub=leavegroup_no_coordinator
        start=$(date +%s)
        ( cd "$RUNDIR" && rm -f test.conf && \
          LD_LIBRARY_PATH="$dir" TESTS="$n" SUBTESTS="$sub" TEST_KAFKA_VERSION="${TEST_KAFKA_VERSION:-3.9.0}" \
          RDKAFKA_TEST_CONF=/nonexistent.conf TEST_REPORT= \
          timeout -k 10 "$TMO" nice -n 10 "$B/test-runner" $lflag -p1 ${RDKTEST_ARGS:-} ) > "$log" 2>&1
        rc=$?
        dur=$(( $(date +%s) - start ))
        if [ $rc = 124 ] || { [ $rc = 137 ] && [ $dur -ge "$TMO" ]; }; then r="timeout(${TMO}s)"
        elif [ $rc = 0 ]; then
            summ=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^\| +${n}_")
            if echo "$summ" | grep -q PASSED; then r="pass"
            elif echo "$summ" | grep -q SKIPPED; then r="skipped"
            else r="pass?"; fi
        elif grep -q 'timed out (timeout set to' "$log"; then r="fail(test timeout)"
        else r="fail(rc=$rc)"; fi
        det=""
        # librdkafka API symbols this test needs that this library lacks
        miss=$(nm -u "$o" | awk '{print $2}' | grep -E '^rd_kafka_' | sort -u \
               | comm -23 - <(nm -D --defined-only "$dir/librdkafka.so.1" | awk '{print $3}' | sort -u) | tr '\n' ' ')
        [ -n "$miss" ] && det="[lib lacks: $miss] "
        if [ "$r" != pass ]; then
            fl="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -m1 -A2 -E 'symbol lookup error|### Test .* failed at|TEST FAILURE|Assertion .* failed' | tr '\n' ' ' | head -c 600)"
            [ -z "$fl" ] && fl="$(tail -n 3 "$log" | sed 's/\x1b\[[0-9;]*m//g' | tr '\n' ' ' | head -c 400)"
            det="$det$fl"
            # sub-test progress (useful for timeouts)
            npass=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE ': PASS \([0-9.]+s\) \]')
            last=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '\[ [a-z_0-9]+:[0-9]+(: [^]]*)? \]$' | tail -1 | sed -E 's/^.*\[ (.*) \]$/\1/' | head -c 150)
            det="$det {sub-tests passed: $npass; last started: $last}"
        fi
        echo -e "$n\t$lab\t$r\t${dur}s $det" | tee -a "$RES"
    done
done
