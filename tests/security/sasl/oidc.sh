# shellcheck shell=bash
# Sourced: an OIDC token endpoint (oidc_server.js on npm oauth2-mock-server 7.x) on
# 127.0.0.1, a free port.
#
#   oidc_start DIR [https|http]  (default https) makes, for https, a test CA and a server
#       certificate for localhost / 127.0.0.1 signed by it (openssl), starts the server and
#       exports OIDC_ISSUER, OIDC_TOKEN_URL, OIDC_JWKS_URL (https://localhost:PORT/...),
#       OIDC_CA (the CA file; empty for http), OIDC_OUT (the server's stdout: TOKEN lines),
#       OIDC_CLIENT_ID / OIDC_CLIENT_SECRET (the one client it knows), OIDC_AUDIENCE.
#       Non-zero (and why) when it did not start within 30 s.
#   oidc_stop   stops every server oidc_start started (bounded). Call it from the EXIT trap.
# Several may run at once (e.g. one https, one http): the exported variables describe the
# last one started; copy them before starting the next.
# The node package lives in $KAFKARS_OIDC_NODE_DIR (default
# ${KAFKARS_CACHE:-$HOME/.cache/kafkars}/oauth2-mock-server-7), installed by setup.sh.

OIDC_JS_DIR_=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OIDC_NODE_DIR=${KAFKARS_OIDC_NODE_DIR:-${KAFKARS_CACHE:-$HOME/.cache/kafkars}/oauth2-mock-server-7}
OIDC_PID='' OIDC_PIDS_=() OIDC_FDS_=()

oidc_make_certs() { # DIR -> DIR/ca.pem, DIR/server.pem, DIR/server-key.pem
  local d=$1
  ( cd "$d" &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=kafkars sasl test CA" \
      -keyout ca-key.pem -out ca.pem &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server-key.pem -out server.csr &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 7 \
      -extfile ext.cnf -out server.pem
  ) > "$d/openssl.log" 2>&1
}

oidc_start() {
  local d=$1 scheme=${2:-https} i tls=()
  mkdir -p "$d" && d=$(cd "$d" && pwd) || return 1
  if [ ! -d "$OIDC_NODE_DIR/node_modules/oauth2-mock-server" ]; then
    echo "oidc: $OIDC_NODE_DIR has no oauth2-mock-server (run tests/security/sasl/setup.sh)"; return 1
  fi
  OIDC_CA=
  if [ "$scheme" = https ]; then
    oidc_make_certs "$d" || { echo "oidc: making certificates failed:"; tail -5 "$d/openssl.log"; return 1; }
    tls=(--cert "$d/server.pem" --key "$d/server-key.pem")
    OIDC_CA=$d/ca.pem
  fi
  OIDC_CLIENT_ID=kafka-client OIDC_CLIENT_SECRET=kafka-client-secret OIDC_AUDIENCE=kafka
  rm -f "$d/oidc.in"; mkfifo "$d/oidc.in"
  NODE_PATH=$OIDC_NODE_DIR/node_modules node "$OIDC_JS_DIR_/oidc_server.js" --host 127.0.0.1 --port 0 \
    "${tls[@]}" --client "$OIDC_CLIENT_ID:$OIDC_CLIENT_SECRET" --audience "$OIDC_AUDIENCE" \
    < "$d/oidc.in" > "$d/oidc.out" 2> "$d/oidc.err" &
  OIDC_PID=$!
  OIDC_PIDS_+=("$OIDC_PID")
  local fd
  exec {fd}> "$d/oidc.in"
  OIDC_FDS_+=("$fd")
  for ((i = 0; i < 300; i++)); do
    grep -q '^READY' "$d/oidc.out" 2>/dev/null && break
    kill -0 "$OIDC_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^READY' "$d/oidc.out" 2>/dev/null; then
    echo "oidc: the token server did not start:"; tail -5 "$d/oidc.err"; return 1
  fi
  OIDC_ISSUER=$(sed -n 's/^ISSUER //p' "$d/oidc.out")
  OIDC_TOKEN_URL=$(sed -n 's/^TOKEN_URL //p' "$d/oidc.out")
  OIDC_JWKS_URL=$(sed -n 's/^JWKS_URL //p' "$d/oidc.out")
  OIDC_OUT=$d/oidc.out
  export OIDC_ISSUER OIDC_TOKEN_URL OIDC_JWKS_URL OIDC_CA OIDC_OUT OIDC_CLIENT_ID OIDC_CLIENT_SECRET OIDC_AUDIENCE
}

oidc_stop() {
  local i fd pid
  for fd in "${OIDC_FDS_[@]}"; do exec {fd}>&-; done
  OIDC_FDS_=()
  for pid in "${OIDC_PIDS_[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  OIDC_PIDS_=() OIDC_PID=
  return 0
}
