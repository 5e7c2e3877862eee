#!/usr/bin/env bash
# Installs what tests/security/scram needs, besides nisshi itself (nisshi.sh's nisshi_build
# finds or builds that): openssl (test certificates), gcc + Debian's librdkafka-dev (the C
# client's header and -lrdkafka), util-linux (flock), and from PyPI
# confluent-kafka 2.16 (its wheel bundles the genuine librdkafka 2.16 the scenarios run on).
# Building nisshi also needs build-essential and a nightly Rust >= 1.96; this script checks
# the toolchain and says so, but installs no toolchain. Idempotent and quick when all is there.
set -euo pipefail
PY=${KAFKARS_PYTHON:-python3}
source "$(dirname "$0")/../../lib/apt.sh"
apt_need "setup(scram)" openssl gcc libc6-dev librdkafka-dev util-linux build-essential
if ! "$PY" -c 'import confluent_kafka as c, sys; sys.exit(0 if c.libversion()[0].startswith("2.16.") else 1)' >/dev/null 2>&1; then
  echo "setup(scram): pip install 'confluent-kafka>=2.16,<2.17'"
  "$PY" -m pip install -q --disable-pip-version-check 'confluent-kafka>=2.16,<2.17'
fi
# nisshi 0.8.1 is built (once, ~18 min) by nisshi_build with `cargo +nightly install`.
minor=$(rustc +nightly --version 2>/dev/null | sed -n 's/^rustc 1\.\([0-9]*\)\..*/\1/p')
if [ -z "$minor" ] || [ "$minor" -lt 96 ]; then
  echo "setup(scram): note: no nightly Rust >= 1.96 here ($(rustc +nightly --version 2>&1 | head -1));" \
       "nisshi cannot be built unless a cached binary exists (nisshi.sh)" >&2
fi
