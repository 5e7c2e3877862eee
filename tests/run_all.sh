#!/usr/bin/env bash
# Runs every suite and prints one closing "N passed, M failed" line over all of them.
# Suites: Rust unit + integration tests (real brokers), the C boundary check (exports of
# libkafkars.so vs #[ffi_fn]), drop-in completeness (exports vs librdkafka 2.16), kcat
# and confluent-kafka-python (its own test_Admin.py too when CKP_SRC is set), the C tests
# (both libraries, valgrind), C++ programs, Debian programs (rsyslog, collectd), the oracle
# check of the error table, and TLS/SASL.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/test-logs
passed=0; failed=0; suites_failed=()

count_cargo() { # sums cargo's "test result:" lines
  read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p+0, f+0 }' "$1")
  passed=$((passed + p)); failed=$((failed + f))
}
count_plain() { # sums "N passed, M failed" lines
  read -r p f < <(awk '/[0-9]+ passed, [0-9]+ failed/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p+0, f+0 }' "$1")
  passed=$((passed + p)); failed=$((failed + f))
}
run() { # name, log, command...
  local name=$1 log=build/test-logs/$2 t0=$SECONDS; shift 2
  echo "=== $name"
  if "$@" > "$log" 2>&1; then echo "--- $name: ok ($((SECONDS - t0)) s)"; return 0; fi
  echo "--- $name: FAILED after $((SECONDS - t0)) s (log: $log)"; tail -40 "$log"; suites_failed+=("$name"); return 1
}

count_unittest() { # sums a Python unittest run ("Ran N tests", then OK or FAILED (failures=F, errors=E))
  read -r p f < <(awk '/^Ran [0-9]+ test/ { n = $2 } /^FAILED/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) f += $i } END { print n - f, f + 0 }' "$1")
  passed=$((passed + p)); failed=$((failed + f))
}
one() { # a suite that is one check: name, log, command...
  if run "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# The SCRAM broker (nisshi, from crates.io) builds in the background on a fresh machine.
bash tests/security/scram/prebuild.sh > build/test-logs/nisshi-build.log 2>&1 &

# Structure first: layering, formatting, lints (see ARCHITECTURE.md).
run "layers (imports run down the layers, no import cycle among files)" layers.log python3 tests/check_layers.py
count_plain build/test-logs/layers.log
run "layer checker's own tests (fixture crates)" layers_test.log python3 tests/check_layers_test.py
count_unittest build/test-logs/layers_test.log
one "format (cargo fmt --check)" fmt.log cargo fmt --all --check
one "lints (cargo clippy, warnings denied)" clippy.log cargo clippy --workspace --all-targets -- -D warnings

run "cargo test (unit + integration, real brokers; the #[ffi_fn] macro)" cargo.log cargo test --profile ci-test --workspace -- --test-threads=2
count_cargo build/test-logs/cargo.log
run "C boundary (every export defined through #[ffi_fn])" boundary.log bash tests/check_boundary.sh
count_plain build/test-logs/boundary.log
run "drop-in completeness (every librdkafka 2.16 function exported)" exports.log bash tests/check_exports.sh
count_plain build/test-logs/exports.log
run "kcat drop-in (compat link)" kcat.log bash tests/interop/kcat.sh
count_plain build/test-logs/kcat.log
run "confluent-kafka-python drop-in (LD_PRELOAD, compat link)" confluent_kafka.log bash tests/interop/confluent_kafka_compat.sh
count_plain build/test-logs/confluent_kafka.log
run "confluent_kafka AdminClient (genuine vs kafkars)" ckp_admin.log bash tests/admin/ckp_admin.sh
count_plain build/test-logs/ckp_admin.log
run "admin API on Tansu and the mock cluster (genuine vs kafkars)" admin_brokers.log bash tests/admin/brokers.sh
count_plain build/test-logs/admin_brokers.log
run "admin extensions on Tansu and the mock cluster (kafka-python as peer)" admin_ext_live.log bash tests/admin/ext_live.sh
count_plain build/test-logs/admin_ext_live.log
run "Python package kafkars vs confluent_kafka (side by side)" python_ck.log env PY=build/pyenv/bin/python bash tests/python/run.sh
count_plain build/test-logs/python_ck.log
run "Python package: native admin layer, every operation (Tansu; fake broker for what Tansu lacks)" python_admin_native.log timeout -k 10 600 build/pyenv/bin/python tests/python/admin_native_smoke.py
count_plain build/test-logs/python_admin_native.log
run "Python package kafkars.kafka vs kafka-python (side by side)" python_kpy.log env PY=build/pyenv/bin/python bash tests/python/run_kpy.sh
count_plain build/test-logs/python_kpy.log
# confluent-kafka-python's own tests/test_Admin.py on genuine librdkafka and on kafkars: every test
# passing on genuine must pass on kafkars. Needs its sources (CKP_SRC: a checkout, or a git
# directory whose tag matching the installed package, else HEAD, is exported) and a python with
# pytest and pytest-timeout (CKP_PYTHON); CKP_MODULES widens it to other test modules.
if [ -n "${CKP_SRC:-}" ]; then
  run "confluent-kafka-python's own $(echo "${CKP_MODULES:-test_Admin.py}" | tr ' ' ',') (genuine vs kafkars)" ckp_unit.log \
    env MODULES="${CKP_MODULES:-test_Admin.py}" PYTHON="${CKP_PYTHON:-python3}" \
    bash tests/interop/ckp_unit.sh "$CKP_SRC" build/test-logs/ckp_unit
  count_plain build/test-logs/ckp_unit.log
else
  echo "=== confluent-kafka-python's own test_Admin.py: not run (CKP_SRC unset)"
fi
# The originals' own unit tests against the kafkars package through a module alias
# (confluent_kafka -> kafkars, kafka -> kafkars.kafka). Their sources come from GitHub,
# which CI cannot reach: it runs when CKP_SRC / KPY_SRC name them (or build/upstream holds them).
if [ -n "${CKP_SRC:-}${KPY_SRC:-}" ] || compgen -G "build/upstream/ckp-v*" >/dev/null; then
  run "the originals' own unit tests on the kafkars package (confluent-kafka-python, kafka-python)" \
    python_upstream.log env PY=build/pyenv/bin/python bash tests/python/upstream.sh
  count_plain build/test-logs/python_upstream.log
else
  echo "=== the originals' own unit tests on the kafkars package: not run (CKP_SRC / KPY_SRC unset)"
fi
if [ -x tests/c/run.sh ] || [ -f tests/c/run.sh ]; then
  run "C tests (genuine librdkafka and kafkars, valgrind)" c.log bash tests/c/run.sh
  count_plain build/test-logs/c.log
fi
# kafkars' own mock cluster (src/mock) serving the same suites, genuine librdkafka among
# the clients: it must pass them as librdkafka's mock does. (--workspace as above: the
# same feature unification reuses that build instead of compiling kafkars again, 6 min.)
OWN_MOCK=(env KAFKARS_MOCK_LIB="$PWD/build/compat/librdkafka.so.1")
run "C tests on kafkars' own mock cluster (genuine librdkafka and kafkars)" c_own_mock.log \
  "${OWN_MOCK[@]}" bash tests/c/run.sh
count_plain build/test-logs/c_own_mock.log
run "cargo tests on kafkars' own mock cluster (producer, consumer, groups and their faults, idempotence, transactions, positions, stats)" \
  cargo_own_mock.log "${OWN_MOCK[@]}" cargo test --profile ci-test --workspace --test producer --test consumer --test group \
  --test group_faults --test idempotence --test transactions --test positions --test stats -- --test-threads=2
count_cargo build/test-logs/cargo_own_mock.log
run "Python clients on kafkars' own mock (python -m kafkars.mock, MockCluster; genuine confluent_kafka and kafka-python)" \
  python_own_mock.log timeout -k 10 300 build/pyenv/bin/python tests/python/own_mock.py
count_plain build/test-logs/python_own_mock.log
run "KIP-848 consumer groups: kafkars and genuine 2.16 side by side, mixed groups (librdkafka's mock and kafkars')" \
  kip848.log timeout -k 10 300 python3 tests/python/kip848.py
count_plain build/test-logs/kip848.log
run "kcat on kafkars' own mock cluster (2.0.2 and kafkars)" kcat_own_mock.log \
  "${OWN_MOCK[@]}" bash tests/interop/kcat.sh
count_plain build/test-logs/kcat_own_mock.log
run "confluent-kafka-python on kafkars' own mock cluster" confluent_kafka_own_mock.log \
  "${OWN_MOCK[@]}" bash tests/interop/confluent_kafka_compat.sh
count_plain build/test-logs/confluent_kafka_own_mock.log
run "C++ programs (librdkafka++ on genuine librdkafka and on kafkars)" cpp.log bash tests/cpp/run.sh
count_plain build/test-logs/cpp.log
run "Debian programs on kafkars (rsyslog omkafka, collectd write_kafka)" debian_programs.log bash tests/interop/debian_programs.sh
count_plain build/test-logs/debian_programs.log
one "error table vs genuine librdkafka 2.16" oracle.log python3 tests/oracle/check_error_table.py
run "TLS and SASL (stunnel, nisshi, SASL front; genuine librdkafka and kafkars)" security.log bash tests/security/run.sh
count_plain build/test-logs/security.log

echo
if [ ${#suites_failed[@]} -gt 0 ]; then
  echo "failed suites: ${suites_failed[*]}"
  [ "$failed" -eq 0 ] && failed=${#suites_failed[@]}
fi
echo "suites took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$passed passed, $failed failed"
[ ${#suites_failed[@]} -eq 0 ]
