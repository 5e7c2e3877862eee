#!/usr/bin/env bash
# SASL/SCRAM (and SASL over TLS) against nisshi 0.8.1, through confluent-kafka-python and,
# when tests/security/client.c exists, a C client with the same output lines.
#
#   KAFKARS_SEC_LIB=genuine (default)  the pip confluent-kafka 2.16 wheel's bundled librdkafka
#                                      (python3 as is; the C client with LD_LIBRARY_PATH to a
#                                      librdkafka.so.1 link to that library)
#   KAFKARS_SEC_LIB=kafkars            LD_PRELOAD=$KAFKARS_LIB_DIR/libkafkars.so for python,
#                                      LD_LIBRARY_PATH=$KAFKARS_COMPAT_DIR for the C client
#                                      (defaults build/lib and build/compat)
#   KAFKARS_SEC_CLIENTS="py c"         which clients run (default: py, and c when client.c exists)
#   KAFKARS_SEC_ONLY=REGEX             run only the scenarios whose name matches
#   KAFKARS_SEC_KEEP=DIR               keep the brokers' logs and each client's output there
#
# Each scenario prints `ok: ...` or `FAIL: ...` followed by the client's output (indented);
# the last line is `N passed, M failed`. Brokers come from nisshi.sh (built or found by
# nisshi_build: the first run on a machine may take ~18 min to build nisshi).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PY=${KAFKARS_PYTHON:-python3}
LIB=${KAFKARS_SEC_LIB:-genuine}
LIBDIR=${KAFKARS_LIB_DIR:-$ROOT/build/lib}
COMPAT=${KAFKARS_COMPAT_DIR:-$ROOT/build/compat}
N=10
T0=$SECONDS
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

source "$HERE/nisshi.sh"

tmp=$(mktemp -d)
PLAIN_PID= TLS_PID= PLAIN_WD= TLS_WD=
cleanup() {
  NISSHI_PID=$PLAIN_PID _nisshi_watchdog=$PLAIN_WD nisshi_stop
  NISSHI_PID=$TLS_PID _nisshi_watchdog=$TLS_WD nisshi_stop
  if [ -n "${KAFKARS_SEC_KEEP:-}" ]; then
    mkdir -p "$KAFKARS_SEC_KEEP" && cp -r "$tmp"/. "$KAFKARS_SEC_KEEP"/ 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- clients and the library under test ----
PYLIB=$("$PY" -c 'import confluent_kafka, os; d = os.path.join(os.path.dirname(confluent_kafka.__file__), os.pardir, "confluent_kafka.libs"); import glob; print(os.path.realpath((glob.glob(os.path.join(d, "librdkafka*.so*")) or [""])[0]))' 2>/dev/null)
py_pre=("$PY")
c_libpath=
case $LIB in
  genuine)
    if [ -z "$PYLIB" ] || [ ! -f "$PYLIB" ]; then
      bad "the pip confluent-kafka wheel's librdkafka was not found (tests/security/scram/setup.sh)"
    else
      mkdir -p "$tmp/genuine-lib"; ln -sf "$PYLIB" "$tmp/genuine-lib/librdkafka.so.1"
      c_libpath=$tmp/genuine-lib
    fi ;;
  kafkars)
    py_pre=(env LD_PRELOAD="$LIBDIR/libkafkars.so" "$PY")
    c_libpath=$COMPAT
    [ -f "$LIBDIR/libkafkars.so" ] || bad "missing $LIBDIR/libkafkars.so (make)"
    [ -e "$COMPAT/librdkafka.so.1" ] || echo "note: missing $COMPAT/librdkafka.so.1 (make compat): the C client cannot run" ;;
  *) echo "KAFKARS_SEC_LIB must be genuine or kafkars, not '$LIB'"; echo "0 passed, 1 failed"; exit 1 ;;
esac

clients=${KAFKARS_SEC_CLIENTS:-}
if [ -z "$clients" ]; then
  clients=py
  [ -f "$ROOT/tests/security/client.c" ] && clients="py c"
fi
if [[ " $clients " == *" c "* ]]; then
  # Built against Debian's <librdkafka/rdkafka.h> and -lrdkafka (NEEDED librdkafka.so.1);
  # which library it runs on is chosen with LD_LIBRARY_PATH.
  if gcc -O1 -g -Wall -I/usr/include -o "$tmp/client" "$ROOT/tests/security/client.c" -lrdkafka -lpthread \
       > "$tmp/client.build.log" 2>&1; then
    ok "tests/security/client.c compiles (gcc, Debian's rdkafka.h, -lrdkafka)"
  else
    bad "tests/security/client.c does not compile:"; sed 's/^/    /' "$tmp/client.build.log" | head -30
    clients=${clients/c/}
  fi
fi

# run_client CLIENT OUT ARGS...: one client run (bounded, 60 s), output in OUT, exit status
# in OUT.rc.
run_client() {
  local cl=$1 out=$2; shift 2
  case $cl in
    py) timeout -k 5 60 "${py_pre[@]}" "$HERE/../client.py" "$@" > "$out" 2> "$out.err" ;;
    c) LD_LIBRARY_PATH=$c_libpath timeout -k 5 60 "$tmp/client" "$@" > "$out" 2> "$out.err" ;;
  esac
  echo $? > "$out.rc"
}

# ---- brokers ----
echo "=== nisshi $NISSHI_VERSION"
tb=$SECONDS
if ! nisshi_build; then
  bad "nisshi $NISSHI_VERSION is not available (see above)"
  echo "$pass passed, $fail failed"; exit 1
fi
echo "note: nisshi binary $NISSHI_BIN ready in $((SECONDS - tb)) s"
NISSHI_TOPICS=
for cl in $clients; do
  for t in sec-256 sec-512 sec-carol-256 sec-carol-512 sec-ssl-512 sec-ssl-256 sec-ssl-name sec-fail; do
    NISSHI_TOPICS+=" $cl-$t"
  done
done
export NISSHI_TOPICS
if nisshi_start "$tmp/plain"; then
  PLAIN=$NISSHI_BOOTSTRAP; PLAIN_PID=$NISSHI_PID PLAIN_WD=$_nisshi_watchdog
  ok "nisshi started with --authentication (SASL_PLAINTEXT) on $PLAIN in ${NISSHI_START_SECONDS} s"
else
  PLAIN=; bad "nisshi (SASL_PLAINTEXT) did not start"
fi
if nisshi_start "$tmp/tls" tls; then
  TLS=$NISSHI_BOOTSTRAP; TLS_PID=$NISSHI_PID TLS_WD=$_nisshi_watchdog
  CA=$NISSHI_CA; WRONG_CA=$NISSHI_WRONG_CA
  ok "nisshi started with --authentication and TLS (SASL_SSL) on $TLS in ${NISSHI_START_SECONDS} s"
else
  TLS=; bad "nisshi (SASL_SSL) did not start"
fi

# ---- scenarios ----
# A scenario: NAME BROKER(plain|tls) EXPECT -- client args
#   EXPECT is `ok` (all N delivered, and consumed back with -c) or
#   `fail:ERRNAME:REGEX` (nothing delivered, and an `error ERRNAME: reason` line, from
#   error_cb, whose reason matches the extended REGEX).
# Failing runs set message.timeout.ms so their deliveries fail within the flush bound.
declare -a S_NAME S_BROKER S_EXPECT S_ARGS
add() {
  local name=$1 broker=$2 expect=$3; shift 3; [ "$1" = -- ] && shift
  if [ -n "${KAFKARS_SEC_ONLY:-}" ] && ! [[ $name =~ $KAFKARS_SEC_ONLY ]]; then return; fi
  S_NAME+=("$name"); S_BROKER+=("$broker"); S_EXPECT+=("$expect"); S_ARGS+=("$*")
}
sasl() { echo "-X sasl.mechanisms=$1 -X sasl.username=$2 -X sasl.password=$3"; }
FAST="-X message.timeout.ms=8000 @FLUSH@"
add scram256-good         plain ok -- -t sec-256 -n $N -c -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-256 alice alice-secret-256)
add scram512-good         plain ok -- -t sec-512 -n $N -c -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-512 bob bob-secret-512)
add scram256-both-user    plain ok -- -t sec-carol-256 -n $N -c -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-256 carol carol-secret)
add scram512-both-user    plain ok -- -t sec-carol-512 -n $N -c -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-512 carol carol-secret)
add scram256-wrong-password plain 'fail:_AUTHENTICATION:invalid-proof' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-256 alice not-the-password)
add scram512-wrong-password plain 'fail:_AUTHENTICATION:invalid-proof' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-512 bob not-the-password)
add scram256-unknown-user plain 'fail:_AUTHENTICATION:unknown-user' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-256 mallory mallory-secret)
add scram512-user-lacks-mechanism plain 'fail:_AUTHENTICATION:unknown-user' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-512 alice alice-secret-256)
add scram256-user-lacks-mechanism plain 'fail:_AUTHENTICATION:unknown-user' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-256 bob bob-secret-512)
add plain-mechanism-unsupported plain 'fail:_AUTHENTICATION:Unsupported SASL mechanism' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl PLAIN alice alice-secret-256)
# nisshi answers ApiVersions before authentication, then closes the connection on the next
# request ("client sent a request before it authenticated"): genuine logs the disconnect
# (level 6, no error_cb) and error_cb only sees _ALL_BROKERS_DOWN.
add plaintext-to-sasl-listener plain 'fail:_ALL_BROKERS_DOWN:brokers are down' -- \
    -t sec-fail -n $N $FAST -X security.protocol=plaintext
add sasl-ssl-scram512-good tls ok -- -t sec-ssl-512 -n $N -c -X security.protocol=sasl_ssl \
    -X ssl.ca.location=@CA@ $(sasl SCRAM-SHA-512 bob bob-secret-512)
add sasl-ssl-scram256-good tls ok -- -t sec-ssl-256 -n $N -c -X security.protocol=sasl_ssl \
    -X ssl.ca.location=@CA@ $(sasl SCRAM-SHA-256 alice alice-secret-256)
add sasl-ssl-wrong-ca     tls 'fail:_SSL:certificate verify failed' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_ssl -X ssl.ca.location=@WRONG_CA@ $(sasl SCRAM-SHA-512 bob bob-secret-512)
add sasl-ssl-localhost-name tls ok -- -t sec-ssl-name -n $N -X security.protocol=sasl_ssl \
    -X ssl.ca.location=@CA@ $(sasl SCRAM-SHA-512 bob bob-secret-512) -X bootstrap.servers=localhost:@TLS_PORT@
add sasl-ssl-no-ca        tls 'fail:_SSL:certificate verify failed' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_ssl $(sasl SCRAM-SHA-512 bob bob-secret-512)
add ssl-without-sasl      tls 'fail:_ALL_BROKERS_DOWN:brokers are down' -- \
    -t sec-fail -n $N $FAST -X security.protocol=ssl -X ssl.ca.location=@CA@
add sasl-plaintext-to-tls-listener tls 'fail:_ALL_BROKERS_DOWN:brokers are down' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_plaintext $(sasl SCRAM-SHA-512 bob bob-secret-512)
add sasl-ssl-wrong-password tls 'fail:_AUTHENTICATION:invalid-proof' -- \
    -t sec-fail -n $N $FAST -X security.protocol=sasl_ssl -X ssl.ca.location=@CA@ $(sasl SCRAM-SHA-512 bob not-the-password)

# check NAME EXPECT OUT CLIENT: judges one run.
check() {
  local name=$1 expect=$2 out=$3 cl=$4 rc why=
  rc=$(cat "$out.rc" 2>/dev/null || echo "?")
  local libline; libline=$(sed -n 's/^library //p; s/^version //p' "$out" | head -1)
  case $LIB in
    kafkars) [[ $libline == *kafkars* ]] || why="library is '$libline', not kafkars" ;;
    genuine) [[ -n $libline && $libline != *kafkars* ]] || why="library is '$libline', not genuine librdkafka" ;;
  esac
  if [ -z "$why" ]; then
    if [ "$expect" = ok ]; then
      grep -qx "delivered $N failed 0" "$out" || why="expected 'delivered $N failed 0'"
      if [ -z "$why" ] && [[ " ${S_ARGS[$i]} " == *" -c "* ]]; then
        grep -qx "consumed $N" "$out" || why="expected 'consumed $N'"
      fi
      [ -z "$why" ] && [ "$rc" != 0 ] && why="exit status $rc"
      [ -z "$why" ] && grep -qE '^error (_AUTHENTICATION|_SSL):' "$out" && why="an _AUTHENTICATION or _SSL error"
    else
      local ename=${expect#fail:}; ename=${ename%%:*}
      local re=${expect#fail:*:}
      grep -qx "delivered 0 failed $N" "$out" || why="expected 'delivered 0 failed $N'"
      local reasons; reasons=$(sed -n "s/^error $ename: //p" "$out")
      if [ -z "$why" ] && ! grep -qE -- "$re" <<< "$reasons"; then
        why="expected an error_cb line 'error $ename: ...' matching /$re/"
      fi
    fi
  fi
  if [ -z "$why" ]; then ok "$name [$cl, $LIB]"; else bad "$name [$cl, $LIB]: $why (exit $rc)"; fi
  sed 's/^/    | /' "$out"
  [ -s "$out.err" ] && sed 's/^/    ! /' "$out.err" | head -10
  return 0
}

# All scenarios of one client run concurrently (failing ones wait out message.timeout.ms).
for cl in $clients; do
  [ "$cl" = c ] && [ ! -x "$tmp/client" ] && continue
  echo "=== scenarios on the $cl client ($LIB)"
  pids=()
  for i in "${!S_NAME[@]}"; do
    b=${S_BROKER[$i]}
    boot=$PLAIN; [ "$b" = tls ] && boot=$TLS
    if [ -z "$boot" ]; then echo "skip" > "$tmp/$cl.$i.out"; echo 99 > "$tmp/$cl.$i.out.rc"; continue; fi
    args=${S_ARGS[$i]//@CA@/${CA:-}}; args=${args//@WRONG_CA@/${WRONG_CA:-}}; args=${args//@TLS_PORT@/${TLS##*:}}
    # Each client its own topics (sec-256-py, sec-256-c, ...); the flush bound per client.
    args=${args/-t sec-/-t $cl-sec-}
    if [ "$cl" = c ]; then args=${args//@FLUSH@/-T 15000}; else args=${args//@FLUSH@/--flush-timeout 15}; fi
    # shellcheck disable=SC2086  # the argument strings hold no spaces by construction
    run_client "$cl" "$tmp/$cl.$i.out" -X bootstrap.servers="$boot" $args &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for i in "${!S_NAME[@]}"; do check "${S_NAME[$i]}" "${S_EXPECT[$i]}" "$tmp/$cl.$i.out" "$cl"; done
done

echo "note: suite took $((SECONDS - T0)) s"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
