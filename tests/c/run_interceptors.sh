# Interceptor API, plugin.library.paths and the socket hooks, on genuine librdkafka
# and on kafkars. Sourced by tests/c/run.sh once its mock cluster is up (uses its
# ROOT, OUT, COMPAT, CC, CFLAGS, PY, VALGRIND, B and its result/one helpers); can
# also be run alone (bash tests/c/run_interceptors.sh): it then starts its own
# cluster and prints its own "N passed, M failed" line.
#
#   - builds build/ctests/test_interceptor.so (tests/c/plugin/test_interceptor.c),
#     interceptor_api (tests/c/interceptor_api.c) and socket_hooks (tests/c/socket_hooks.c)
#   - interceptor_api on Debian's librdkafka, on the pip wheel's (2.16, if found: the
#     same librdkafka the mock cluster runs) and on kafkars under valgrind; each writes
#     the plugin's call log to build/ctests/interceptor_api.<lib>.icpt.log
#   - the logs, normalised by tests/c/icpt_normalize.py (timing-dependent details
#     summarised), must be identical to Debian's; so must interceptor_api's ORACLE lines
#   - socket_hooks on Debian's librdkafka and on kafkars under valgrind

icpt_standalone=0
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # ---- run alone: the parts of run.sh this needs ----
  icpt_standalone=1
  set -uo pipefail
  ROOT=$(cd "$(dirname "$0")/../.." && pwd)
  cd "$ROOT"
  OUT=${ICPT_OUT:-build/ctests}        # overrides for trying it out without
  COMPAT=${ICPT_COMPAT:-$ROOT/build/compat} # touching run.sh's files
  CC=${CC:-gcc}
  CFLAGS="-O1 -g -Wall -Wextra -Wno-unused-parameter"
  PY=${KAFKARS_PYTHON:-python3}
  VALGRIND=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
            --suppressions="$ROOT/tests/c/valgrind.supp" --child-silent-after-fork=yes)
  mkdir -p "$OUT"
  source tests/lib/checks.sh
  source tests/brokers/mock_cluster.sh
  trap mock_cluster_stop EXIT
  mock_cluster_start "$OUT" --brokers 3 --topic orders:4 --topic one:1
  B=$MC_BOOTSTRAP
  if [ -z "$B" ]; then
    echo "0 passed, 1 failed"; exit 1
  fi
  echo "mock cluster: $B"
fi

# Functions a library does not export stop a program at their first call
# ("symbol lookup error", exit 127), or make the plugin fail to load.
icpt_missing() { # icpt_missing <file>...
  grep -ho 'undefined symbol: [A-Za-z0-9_]*' "$@" 2>/dev/null | sort -u | sed 's/undefined symbol: //' | tr '\n' ' '
}

echo "=== interceptors, plugin.library.paths, socket hooks"
icpt_build=0
if ! $CC $CFLAGS -shared -fPIC -o "$OUT/test_interceptor.so" tests/c/plugin/test_interceptor.c \
    > "$OUT/test_interceptor.build.log" 2>&1; then
  echo "build of tests/c/plugin/test_interceptor.c failed:"; cat "$OUT/test_interceptor.build.log"; icpt_build=1
fi
for t in interceptor_api socket_hooks; do
  if ! $CC $CFLAGS -o "$OUT/$t" "tests/c/$t.c" -lrdkafka -lpthread -ldl > "$OUT/$t.build.log" 2>&1; then
    echo "build of tests/c/$t.c failed:"; cat "$OUT/$t.build.log"; icpt_build=1
  fi
done
one "build the interceptor plugin, interceptor_api and socket_hooks" $icpt_build

if [ $icpt_build -eq 0 ]; then
  icpt_out=$(cd "$OUT" && pwd)
  ICPT_PLUGIN=$icpt_out/test_interceptor.so
  # The pip wheel's librdkafka (2.16), as a second genuine reference.
  icpt_wheel=$("$PY" -c 'import sys; sys.path.insert(0, "tests/brokers"); from _common import find_bundled_librdkafka as f; print(f() or "")' 2>/dev/null)
  icpt_libs=(genuine)
  if [ -n "$icpt_wheel" ] && [ -e "$icpt_wheel" ]; then
    mkdir -p "$OUT/librdkafka-wheel"
    ln -sf "$icpt_wheel" "$OUT/librdkafka-wheel/librdkafka.so.1"
    icpt_libs+=(wheel)
  fi
  icpt_libs+=(kafkars)

  for lib in "${icpt_libs[@]}"; do
    icpt_log=$icpt_out/interceptor_api.$lib.icpt.log
    rm -f "$icpt_log"
    case $lib in
      genuine)
        echo "=== interceptor_api on genuine librdkafka (Debian)"
        KAFKARS_ICPT_LOG=$icpt_log timeout -k 5 300 "$OUT/interceptor_api" "$B" "$ICPT_PLUGIN" \
          > "$OUT/interceptor_api.$lib.log" 2> "$OUT/interceptor_api.$lib.stderr" ;;
      wheel)
        echo "=== interceptor_api on genuine librdkafka (pip wheel)"
        LD_LIBRARY_PATH=$icpt_out/librdkafka-wheel KAFKARS_ICPT_LOG=$icpt_log \
          timeout -k 5 300 "$OUT/interceptor_api" "$B" "$ICPT_PLUGIN" \
          > "$OUT/interceptor_api.$lib.log" 2> "$OUT/interceptor_api.$lib.stderr" ;;
      kafkars)
        echo "=== interceptor_api on kafkars (valgrind)"
        LD_LIBRARY_PATH=$COMPAT KAFKARS_ICPT_LOG=$icpt_log timeout -k 5 600 "${VALGRIND[@]}" \
          "$OUT/interceptor_api" "$B" "$ICPT_PLUGIN" \
          > "$OUT/interceptor_api.$lib.log" 2> "$OUT/interceptor_api.$lib.stderr" ;;
    esac
    rc=$?
    head -1 "$OUT/interceptor_api.$lib.log"
    miss=$(icpt_missing "$OUT/interceptor_api.$lib.log" "$OUT/interceptor_api.$lib.stderr")
    [ -n "$miss" ] && echo "missing functions: $miss"
    [ $rc -eq 124 ] && echo "timed out"
    [ $rc -eq 9 ] && { echo "valgrind reported errors:"; grep -E '^==[0-9]+==' "$OUT/interceptor_api.$lib.stderr" | head -40; }
    result "interceptor_api ($lib)" $rc "$OUT/interceptor_api.$lib.log"
    "$PY" tests/c/icpt_normalize.py "$icpt_log" > "$OUT/interceptor_api.$lib.norm" 2> "$OUT/interceptor_api.$lib.norm.err" \
      || { echo "icpt_normalize.py failed on $icpt_log:"; tail -5 "$OUT/interceptor_api.$lib.norm.err"; }
  done

  # The interceptor calls (normalised) and the broker-dependent answers must come out
  # as on Debian's librdkafka.
  for lib in "${icpt_libs[@]}"; do
    [ $lib = genuine ] && continue
    if diff -u "$OUT/interceptor_api.genuine.norm" "$OUT/interceptor_api.$lib.norm" > "$OUT/interceptor_api.$lib.norm.diff" \
        && [ -s "$OUT/interceptor_api.genuine.norm" ]; then
      one "interceptor calls on $lib match genuine ($(wc -l < "$OUT/interceptor_api.genuine.norm") normalised lines)" 0
    else
      echo "(- genuine (Debian), + $lib; raw logs $OUT/interceptor_api.{genuine,$lib}.icpt.log):"
      head -80 "$OUT/interceptor_api.$lib.norm.diff"
      one "interceptor calls on $lib match genuine" 1
    fi
    if diff <(grep '^ORACLE' "$OUT/interceptor_api.genuine.log") <(grep '^ORACLE' "$OUT/interceptor_api.$lib.log") \
        > "$OUT/interceptor_api.$lib.oracle.diff"; then
      one "interceptor_api broker-dependent answers on $lib match genuine" 0
    else
      echo "(- genuine, + $lib):"; cat "$OUT/interceptor_api.$lib.oracle.diff"
      one "interceptor_api broker-dependent answers on $lib match genuine" 1
    fi
  done

  for lib in genuine kafkars; do
    if [ $lib = genuine ]; then
      echo "=== socket_hooks on genuine librdkafka"
      timeout -k 5 300 "$OUT/socket_hooks" "$B" > "$OUT/socket_hooks.$lib.log" 2> "$OUT/socket_hooks.$lib.stderr"
    else
      echo "=== socket_hooks on kafkars (valgrind)"
      LD_LIBRARY_PATH=$COMPAT timeout -k 5 600 "${VALGRIND[@]}" "$OUT/socket_hooks" "$B" \
        > "$OUT/socket_hooks.$lib.log" 2> "$OUT/socket_hooks.$lib.stderr"
    fi
    rc=$?
    miss=$(icpt_missing "$OUT/socket_hooks.$lib.stderr")
    [ -n "$miss" ] && echo "missing functions: $miss"
    [ $rc -eq 9 ] && { echo "valgrind reported errors:"; grep -E '^==[0-9]+==' "$OUT/socket_hooks.$lib.stderr" | head -40; }
    result "socket_hooks ($lib)" $rc "$OUT/socket_hooks.$lib.log"
  done
  if diff <(grep '^ORACLE' "$OUT/socket_hooks.genuine.log") <(grep '^ORACLE' "$OUT/socket_hooks.kafkars.log") \
      > "$OUT/socket_hooks.oracle.diff"; then
    one "socket_hooks answers on kafkars match genuine" 0
  else
    echo "(- genuine, + kafkars):"; cat "$OUT/socket_hooks.oracle.diff"
    one "socket_hooks answers on kafkars match genuine" 1
  fi
fi

if [ $icpt_standalone -eq 1 ]; then
  echo
  [ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
fi
