#!/usr/bin/env bash
# Installs what the TLS suite (tests/security/tls/run.sh) needs on a fresh Debian 12:
# stunnel4 (the TLS front of the mock cluster), openssl (certificates), gcc + Debian's
# librdkafka-dev (tests/security/client.c, tls_api.c), kcat, valgrind, iproute2 (ss),
# Debian's python3-confluent-kafka (confluent_kafka 1.7 on Debian's librdkafka 2.0.2, for
# the debian library), and pip confluent-kafka (its bundled librdkafka is the genuine 2.x
# library and hosts the mock cluster). Idempotent; quick when everything is present.
set -euo pipefail
PY=${PYTHON:-python3}
source "$(dirname "$0")/../../lib/apt.sh"
apt_need "tls setup" stunnel4 openssl gcc libc6-dev librdkafka-dev kcat valgrind iproute2 python3-confluent-kafka
if ! "$PY" -c "import confluent_kafka" >/dev/null 2>&1; then
  echo "tls setup: pip install confluent-kafka"
  "$PY" -m pip install -q --disable-pip-version-check confluent-kafka
fi
