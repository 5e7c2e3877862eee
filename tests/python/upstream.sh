#!/usr/bin/env bash
# The originals' own unit tests against the kafkars Python package, through a module alias:
#   ckp: confluent-kafka-python's tests/test_*.py (no cluster needed), `confluent_kafka` -> kafkars
#   kpy: kafka-python's API-level tests (test/...), `kafka` -> kafkars.kafka
# Each suite runs twice with the same interpreter: on the genuine package (pip) and with the
# alias (tests/python/upstream_alias/: sitecustomize.py installs a meta-path finder, so
# `import confluent_kafka.x` gives kafkars.x). Every test passing on genuine must pass on
# kafkars unless tests/python/upstream_known.txt lists it with a reason.
#
# Sources: the sdists on PyPI do not carry the tests (confluent-kafka's has no tests/,
# kafka-python's only a few files of test/), so the GitHub tag tarballs of the installed
# versions are fetched and cached under build/upstream/ (skipped when present). Offline:
# CKP_SRC / KPY_SRC = a checkout (a directory with tests/ or test/) or a git directory, whose
# tag for the installed version is exported, else HEAD (with a note: tests of another version).
#
# Usage: bash tests/python/upstream.sh [ckp] [kpy]      (default: both)
# Env:   PY (default python3; needs confluent_kafka, kafka-python and kafkars; pytest,
#        pytest-timeout, pytest-mock, pytest-asyncio, ... are pip-installed into it if missing),
#        TEST_TIMEOUT (per test, default 30 s), MODULE_TIMEOUT (per pytest process, 600 s),
#        MODES ("genuine kafkars"; a run not redone keeps its earlier results),
#        CKP_MODULES / KPY_MODULES (override the module lists), KEEP=1 keeps nothing extra:
#        logs are always in build/upstream/<suite>-out/.
# Output: "ok - <suite>: <test>" / "not ok - <suite>: <test> # <why>", then
#         "N passed, M failed" over both suites; exit 1 on any "not ok".
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
PY=${PY:-python3}
TEST_TIMEOUT=${TEST_TIMEOUT:-30}
MODULE_TIMEOUT=${MODULE_TIMEOUT:-600}
MODES=${MODES:-genuine kafkars}
SUITES=${*:-ckp kpy}
CACHE=$REPO/build/upstream
ALIAS_DIR=$REPO/tests/python/upstream_alias
KNOWN=$REPO/tests/python/upstream_known.txt
mkdir -p "$CACHE"
ulimit -c 0

fail_setup() { echo "not ok - setup: $*"; echo "0 passed, 1 failed"; exit 1; }
"$PY" -c 'import kafkars, kafkars.kafka' 2>/dev/null || fail_setup "$PY: no kafkars (make python)"

# Test dependencies (confluent-kafka-python's requirements-tests.txt, kafka-python's "testing").
if ! "$PY" -c 'import pytest, pytest_timeout, pytest_mock, pytest_asyncio, requests_mock, respx, async_timeout, attrs, avro, fastavro, requests, httpx, cachetools, authlib' 2>/dev/null; then
  timeout 600 "$PY" -m pip install -q pytest pytest-timeout pytest-mock pytest-asyncio \
    requests-mock respx async-timeout attrs avro fastavro requests httpx cachetools authlib \
    >"$CACHE/pip.log" 2>&1 ||
    fail_setup "pip install of the test dependencies failed (see $CACHE/pip.log)"
fi

# fetch_src <name> <github owner/repo> <tag> <dirs to keep> <override src>: sets SRC_DIR
fetch_src() {
  local name=$1 gh=$2 tag=$3 keep=$4 override=$5
  SRC_DIR=$CACHE/$name-$tag
  [ -d "$SRC_DIR" ] && return 0
  local tmp=$CACHE/$name-$tag.tmp
  rm -rf "$tmp"; mkdir -p "$tmp"
  if [ -n "$override" ]; then
    if [ -d "$override/${keep%% *}" ]; then
      for d in $keep; do [ -d "$override/$d" ] && cp -r "$override/$d" "$tmp/"; done
    else
      local ref=$tag
      if ! git --git-dir="$override" rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
        ref=HEAD
        echo "# note: $override has no tag $tag; using the tests of $(git --git-dir="$override" describe --tags HEAD 2>/dev/null || echo HEAD)" |
          tee "$tmp/NOTE"
      fi
      # shellcheck disable=SC2086
      git --git-dir="$override" archive "$ref" $keep | tar -x -C "$tmp" || { rm -rf "$tmp"; return 1; }
    fi
  else
    local tgz=$CACHE/$name-$tag.tar.gz
    if [ ! -s "$tgz" ]; then
      timeout 300 curl -sSfL --retry 3 -o "$tgz.part" "https://github.com/$gh/archive/refs/tags/$tag.tar.gz" &&
        mv "$tgz.part" "$tgz" || { rm -f "$tgz.part"; rm -rf "$tmp"; return 1; }
    fi
    local top
    top=$(tar -tzf "$tgz" | head -1 | cut -d/ -f1)
    # shellcheck disable=SC2086
    tar -xzf "$tgz" -C "$tmp" --strip-components=1 $(for d in $keep; do echo "$top/$d"; done) ||
      { rm -rf "$tmp"; return 1; }
  fi
  mv "$tmp" "$SRC_DIR"
}

# A conftest.py importing something kafkars lacks would stop the whole directory from
# collecting: wrap each one so an ImportError only loses its fixtures (the tests needing
# them then error out, on kafkars only). The same wrapped tree serves both runs.
wrap_conftests() {
  find "$1" -name conftest.py | while read -r f; do
    grep -q '^# upstream.sh: wrapped' "$f" && continue
    local orig=${f%conftest.py}_upstream_conftest.py
    mv "$f" "$orig"
    cat >"$f" <<'EOF'
# upstream.sh: wrapped; the original is _upstream_conftest.py beside this file.
import importlib.util as _ilu
import os as _os
import sys as _sys
_spec = _ilu.spec_from_file_location(
    (__package__ + "." if __package__ else "") + "_upstream_conftest",
    _os.path.join(_os.path.dirname(__file__), "_upstream_conftest.py"),
    submodule_search_locations=None)
_mod = _ilu.module_from_spec(_spec)
try:
    _sys.modules[_spec.name] = _mod
    _spec.loader.exec_module(_mod)
except ImportError as _e:  # (on kafkars) a fixture needs something kafkars does not offer
    UPSTREAM_CONFTEST_ERROR = repr(_e)
globals().update({_k: _v for _k, _v in vars(_mod).items() if not _k.startswith("__")})
EOF
  done
}

total_p=0; total_f=0
run_suite() { # suite, alias, root, fallback, stubs, modules...
  local suite=$1 alias=$2 root=$3 fallback=$4 stubs=$5; shift 5
  local out=$CACHE/$suite-out
  mkdir -p "$out"
  for mode in $MODES; do
    rm -f "$out/$mode".*.events "$out/$mode".*.log
    timeout -k 10 $((MODULE_TIMEOUT * 4 + 600)) "$PY" "$ALIAS_DIR/run_suite.py" run --python "$PY" \
      --root "$root" --mode "$mode" --alias "$alias" --fallback "$fallback" --stubs "$stubs" \
      --timeout "$TEST_TIMEOUT" --module-timeout "$MODULE_TIMEOUT" --out "$out/$mode.json" "$@" ||
      echo "# $suite $mode: the runner failed (exit $?)"
  done
  [ -f "$out/genuine.json" ] && [ -f "$out/kafkars.json" ] || {
    echo "not ok - $suite: no results (see $out)"; total_f=$((total_f + 1)); return; }
  "$PY" "$ALIAS_DIR/run_suite.py" compare --suite "$suite" --genuine "$out/genuine.json" \
    --kafkars "$out/kafkars.json" --known "$KNOWN" | tee "$out/compare.txt" | grep -v '^[0-9]* passed, [0-9]* failed$'
  read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { print $1, $3 }' "$out/compare.txt")
  echo "# $suite: ${p:-0} passed, ${f:-0} failed"
  total_p=$((total_p + ${p:-0})); total_f=$((total_f + ${f:-1}))
}

for suite in $SUITES; do
  case $suite in
  ckp)
    ver=$("$PY" -c 'import confluent_kafka as c; v = c.version(); print(v[0] if isinstance(v, tuple) else v)' 2>/dev/null) ||
      { echo "not ok - ckp: $PY has no confluent_kafka (pip install confluent-kafka)"; total_f=$((total_f + 1)); continue; }
    if ! fetch_src ckp confluentinc/confluent-kafka-python "v$ver" "tests tools" "${CKP_SRC:-}"; then
      echo "not ok - ckp: could not get confluent-kafka-python v$ver's tests (GitHub tarball; CKP_SRC offline)"
      total_f=$((total_f + 1)); continue
    fi
    [ -f "$SRC_DIR/NOTE" ] && cat "$SRC_DIR/NOTE"
    wrap_conftests "$SRC_DIR/tests"
    # every top-level unit test module: none needs a cluster (integration/, soak/, ducktape/
    # and the schema registry's serdes are left out: they need brokers or a registry)
    mods=${CKP_MODULES:-$(cd "$SRC_DIR" && ls tests/test_*.py)}
    # shellcheck disable=SC2086
    # test_Producer.py and test_log.py import confluent_kafka.avro (the legacy AvroProducer/
    # AvroConsumer, pure Python over Producer/Consumer): it loads from the genuine package, so
    # its AvroProducer subclasses kafkars' Producer. The share consumer modules
    # (test_ShareConsumer*.py, test_DeserializingShareConsumer.py, test_Messages.py) need no
    # broker either: their consumers point at closed ports.
    run_suite ckp confluent_kafka "$SRC_DIR" "avro schema_registry _util" "" $mods
    ;;
  kpy)
    ver=$("$PY" -c 'import kafka; print(kafka.__version__)' 2>/dev/null) ||
      { echo "not ok - kpy: $PY has no kafka-python (pip install kafka-python)"; total_f=$((total_f + 1)); continue; }
    if ! fetch_src kpy dpkp/kafka-python "$ver" "test" "${KPY_SRC:-}"; then
      echo "not ok - kpy: could not get kafka-python $ver's tests (GitHub tarball; KPY_SRC offline)"
      total_f=$((total_f + 1)); continue
    fi
    [ -f "$SRC_DIR/NOTE" ] && cat "$SRC_DIR/NOTE"
    wrap_conftests "$SRC_DIR/test"
    # The modules about the public API (KafkaProducer/KafkaConsumer, serializers,
    # partitioners, assignors, subscription state, futures, structs/errors through them);
    # protocol/, record/, net/, the coordinator/fetcher/sender/accumulator internals and
    # the integration tests (real brokers) test kafka-python's own machinery.
    mods=${KPY_MODULES:-test/test_package.py test/test_serializer.py test/test_future.py
      test/producer/test_partitioner.py test/producer/test_producer.py
      test/producer/test_kip679_config.py test/consumer/test_consumer.py
      test/consumer/test_assignors.py test/consumer/test_sticky_partition_movements.py
      test/consumer/test_subscription_state.py test/admin/test_admin_client_config.py}
    mods=$(for m in $mods; do [ -f "$SRC_DIR/$m" ] && echo "$m"; done)
    # kafka-python internals its test fixtures (test/conftest.py, test/mock_broker.py) use;
    # these load from the genuine package, the API under test is kafkars.kafka's
    # shellcheck disable=SC2086
    run_suite kpy kafka "$SRC_DIR" "util protocol net cluster metrics record codec version" "" $mods
    ;;
  *) echo "not ok - unknown suite $suite"; total_f=$((total_f + 1)) ;;
  esac
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
