#!/usr/bin/env bash
# Installs what tests/security/sasl needs on a fresh machine; idempotent, quick when all is
# there (each step checks first).
#   Debian:  krb5-kdc, krb5-admin-server (kdb5_util/kadmin.local), krb5-user (kinit, which
#            librdkafka runs for GSSAPI), libsasl2-modules-gssapi-mit (Cyrus SASL's GSSAPI
#            plugin: Debian's librdkafka 2.0.2 does GSSAPI through it), libkrb5-dev + gcc
#            (to build the gssapi wheel), librdkafka1 + python3-confluent-kafka (1.7 on
#            2.0.2), openssl, nodejs + npm.
#   PyPI:    confluent-kafka 2.16 (genuine librdkafka 2.16 and the mock cluster), PyJWT,
#            cryptography, gssapi (the acceptor in sasl_server.py; built from source, ~75 s).
#   npm:     oauth2-mock-server 7.x into $KAFKARS_OIDC_NODE_DIR (default
#            ${KAFKARS_CACHE:-$HOME/.cache/kafkars}/oauth2-mock-server-7).
# The KDC packages' services are not started (a policy-rc.d answering 101 during the
# install); the tests run their own KDC in a temporary directory (kdc.sh).
set -euo pipefail
PY=${KAFKARS_PYTHON:-${PYTHON:-python3}}
NODE_DIR=${KAFKARS_OIDC_NODE_DIR:-${KAFKARS_CACHE:-$HOME/.cache/kafkars}/oauth2-mock-server-7}

source "$(dirname "$0")/../../lib/apt.sh"
apt_need "setup(sasl)" krb5-kdc krb5-admin-server krb5-user libsasl2-modules-gssapi-mit libkrb5-dev gcc librdkafka1 python3-confluent-kafka openssl cmd:node=nodejs cmd:npm=npm

if ! "$PY" -c 'import confluent_kafka as c, sys; sys.exit(0 if c.libversion()[0].startswith("2.16.") else 1)' >/dev/null 2>&1; then
  echo "setup(sasl): pip install 'confluent-kafka>=2.16,<2.17'"
  "$PY" -m pip install -q --disable-pip-version-check 'confluent-kafka>=2.16,<2.17'
fi
if ! "$PY" -c 'import jwt, cryptography, gssapi' >/dev/null 2>&1; then
  echo "setup(sasl): pip install PyJWT cryptography gssapi"
  "$PY" -m pip install -q --disable-pip-version-check 'PyJWT>=2.8' cryptography gssapi
fi

if [ ! -f "$NODE_DIR/node_modules/oauth2-mock-server/package.json" ] ||
   ! grep -q '"version": "7\.' "$NODE_DIR/node_modules/oauth2-mock-server/package.json"; then
  echo "setup(sasl): npm install oauth2-mock-server@7 in $NODE_DIR"
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || echo '{"name":"kafkars-sasl-oidc","private":true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent oauth2-mock-server@7 >/dev/null)
fi
