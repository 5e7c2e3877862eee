#!/usr/bin/env bash
# Installs what the TLS suite (tests/security/tls/run.sh) needs on a fresh Debian 12:
# stunnel4 (the TLS front of the mock cluster), openssl (certificates), gcc + Debian's
# librdkafka-dev (tests/security/client.c, tls_api.c), kcat, valgrind, iproute2 (ss),
# Debian's python3-confluent-kafka (confluent_kafka 1.7 on Debian's librdkafka 2.0.2, for
# the debian library), and pip confluent-kafka (its bundled librdkafka is the genuine 2.x
# library and hosts the mock cluster). Idempotent; quick when everything is present.
set -euo pipefail
PY=${PYTHON:-python3}
need_apt=()
for pkg in stunnel4 openssl gcc libc6-dev librdkafka-dev kcat valgrind iproute2 python3-confluent-kafka; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "tls setup: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # stunnel4's postinst may try to start its service: a policy-rc.d answering 101 keeps
  # it from doing so (put in place for the install only, if there is none).
  rcd=/usr/sbin/policy-rc.d; own_rcd=; rc=0
  if [ ! -e $rcd ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee $rcd >/dev/null; $SUDO chmod +x $rcd; own_rcd=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null || rc=$?
  if [ -n "$own_rcd" ]; then $SUDO rm -f $rcd; fi
  [ $rc -eq 0 ] || exit $rc
fi
if ! "$PY" -c "import confluent_kafka" >/dev/null 2>&1; then
  echo "tls setup: pip install confluent-kafka"
  "$PY" -m pip install -q --disable-pip-version-check confluent-kafka
fi
