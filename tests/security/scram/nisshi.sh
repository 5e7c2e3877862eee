# shellcheck shell=bash
# nisshi 0.8.1 (Tansu's successor, from crates.io) as a SASL/SCRAM and TLS test broker.
# Source this file, then:
#
#   nisshi_build            finds or builds the binary; sets NISSHI_BIN
#   nisshi_start DIR [tls]  starts a broker with SQLite storage in DIR, SCRAM users, and
#                           --authentication (plus TLS with a CA this function makes, when
#                           `tls`); exports NISSHI_BOOTSTRAP (host:port), NISSHI_PID,
#                           NISSHI_DIR, NISSHI_START_SECONDS, and with tls NISSHI_CA (the CA
#                           that signed the broker's certificate) and NISSHI_WRONG_CA (a CA
#                           that did not)
#   nisshi_stop             stops it (bounded: TERM, then KILL after 10 s)
#
# Users (password; mechanisms they have credentials for):
#   alice  alice-secret-256  SCRAM-SHA-256 only
#   bob    bob-secret-512    SCRAM-SHA-512 only
#   carol  carol-secret      SCRAM-SHA-256 and SCRAM-SHA-512
# Topics named in NISSHI_TOPICS (space separated) are created with 1 partition (nisshi
# also auto-creates a topic with 4 partitions on a Metadata request that allows it).
#
# How (measured on nisshi 0.8.1): users are created with `nisshi user create` while the
# broker runs without --authentication (its AlterUserScramCredentials needs SQLite or
# PostgreSQL storage); then the broker is restarted on the same storage with
# --authentication. nisshi's own CLI speaks plaintext only, so users and topics are made
# before TLS is switched on too. nisshi does TLS itself (--cert/--key, TLS only on that
# listener) and does not check client certificates.
#
# The binary: $NISSHI_BIN if set, else ${KAFKARS_CACHE:-$HOME/.cache/kafkars}/nisshi-0.8.1/
# bin/nisshi, built there with `cargo +nightly install` on first use (~18 min on 2 cores).
# Every wait is bounded; a watchdog kills the broker if the shell that started it dies.

NISSHI_VERSION=0.8.1
NISSHI_HOST=${NISSHI_HOST:-127.0.0.1}

_nisshi_log() { echo "nisshi: $*" >&2; }

_nisshi_version_ok() { # BIN -> 0 when `BIN --version` names $NISSHI_VERSION
  [ -x "$1" ] && timeout 10 "$1" --version 2>/dev/null | grep -qw "$NISSHI_VERSION"
}

nisshi_build() {
  if [ -n "${NISSHI_BIN:-}" ]; then
    if _nisshi_version_ok "$NISSHI_BIN"; then export NISSHI_BIN; return 0; fi
    _nisshi_log "NISSHI_BIN=$NISSHI_BIN is not nisshi $NISSHI_VERSION ($(timeout 10 "$NISSHI_BIN" --version 2>&1 | head -1))"
    return 1
  fi
  local root=${KAFKARS_CACHE:-$HOME/.cache/kafkars}/nisshi-$NISSHI_VERSION
  local bin=$root/bin/nisshi
  if _nisshi_version_ok "$bin"; then NISSHI_BIN=$bin; export NISSHI_BIN; return 0; fi
  mkdir -p "$root/bin" || return 1
  # Build from crates.io. nisshi 0.8.1 needs a nightly Rust >= 1.96 and a C compiler.
  if ! command -v cargo >/dev/null 2>&1 || ! cargo +nightly --version >/dev/null 2>&1; then
    _nisshi_log "cannot build nisshi $NISSHI_VERSION: no nightly Rust toolchain (cargo +nightly); it needs nightly >= 1.96 (rustup toolchain install nightly)"
    return 1
  fi
  local rv minor
  rv=$(rustc +nightly --version 2>/dev/null)
  minor=$(echo "$rv" | sed -n 's/^rustc 1\.\([0-9]*\)\..*/\1/p')
  if [ -z "$minor" ] || [ "$minor" -lt 96 ]; then
    _nisshi_log "cannot build nisshi $NISSHI_VERSION: it needs nightly Rust >= 1.96, the nightly here is '${rv:-none}' (rustup update nightly)"
    return 1
  fi
  if ! command -v cc >/dev/null 2>&1; then
    _nisshi_log "cannot build nisshi $NISSHI_VERSION: no C compiler (apt-get install build-essential)"
    return 1
  fi
  # One build at a time: a second caller waits for the first (bounded at 40 min).
  exec {_nisshi_lock_fd}>"$root/.build.lock"
  if ! flock -w 2400 "$_nisshi_lock_fd"; then
    _nisshi_log "another build of nisshi holds $root/.build.lock for over 40 min; giving up"
    exec {_nisshi_lock_fd}>&-
    return 1
  fi
  if _nisshi_version_ok "$bin"; then  # the other caller built it meanwhile
    exec {_nisshi_lock_fd}>&-
    NISSHI_BIN=$bin; export NISSHI_BIN; return 0
  fi
  _nisshi_log "building nisshi $NISSHI_VERSION from crates.io with $rv into $root"
  _nisshi_log "this takes about 20 minutes on 2 cores (21 min measured), once; log: $root/build.log"
  local t0=$SECONDS rc=0
  timeout 3600 cargo +nightly install nisshi --version "$NISSHI_VERSION" --locked \
    --no-default-features --features libsql --root "$root" > "$root/build.log" 2>&1 || rc=$?
  exec {_nisshi_lock_fd}>&-
  if [ $rc -ne 0 ] || ! _nisshi_version_ok "$bin"; then
    _nisshi_log "building nisshi $NISSHI_VERSION failed (exit $rc); last lines of $root/build.log:"
    tail -15 "$root/build.log" >&2
    return 1
  fi
  _nisshi_log "built $bin in $((SECONDS - t0)) s"
  NISSHI_BIN=$bin; export NISSHI_BIN
}

_nisshi_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# _nisshi_probe PORT [CAFILE]: 0 when the broker on PORT answers ApiVersions v0 (over TLS,
# verified with CAFILE, when given). One try, 2 s.
_nisshi_probe() {
  python3 - "$NISSHI_HOST" "$1" "${2:-}" <<'PY' >/dev/null 2>&1
import socket, ssl, struct, sys
host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=2)
s.settimeout(2)
if ca:
    ctx = ssl.create_default_context(cafile=ca)
    s = ctx.wrap_socket(s, server_hostname=host)
cid = b"probe"
req = struct.pack(">hhih", 18, 0, 7, len(cid)) + cid
s.sendall(struct.pack(">i", len(req)) + req)
buf = b""
while len(buf) < 4:
    c = s.recv(4 - len(buf))
    if not c:
        sys.exit(1)
    buf += c
n = struct.unpack(">i", buf)[0]
buf = b""
while len(buf) < n:
    c = s.recv(n - len(buf))
    if not c:
        sys.exit(1)
    buf += c
corr, err = struct.unpack(">ih", buf[:6])
sys.exit(0 if corr == 7 and err == 0 else 1)
PY
}

# _nisshi_launch DIR LOG PORT ARGS...: starts the broker in DIR (SQLite file DIR/nisshi.db)
# listening on NISSHI_HOST:PORT; sets _nisshi_pid. Waits (bounded, 30 s) until it answers
# (over TLS when ARGS hold --cert: _nisshi_probe_ca names the CA).
_nisshi_launch() {
  local dir=$1 log=$2 port=$3; shift 3
  (cd "$dir" && exec "$NISSHI_BIN" broker \
      --listener-url "tcp://$NISSHI_HOST:$port" \
      --advertised-listener-url "tcp://$NISSHI_HOST:$port" \
      --storage-engine "sqlite://nisshi.db" "$@") >> "$log" 2>&1 < /dev/null &
  _nisshi_pid=$!
  local i
  for i in $(seq 150); do
    if ! kill -0 "$_nisshi_pid" 2>/dev/null; then
      _nisshi_log "broker exited during start; last lines of $log:"; tail -15 "$log" >&2
      return 1
    fi
    _nisshi_probe "$port" "${_nisshi_probe_ca:-}" && return 0
    sleep 0.2
  done
  _nisshi_log "broker did not answer on $NISSHI_HOST:$port within 30 s; last lines of $log:"
  tail -15 "$log" >&2
  return 1
}

# _nisshi_kill PID: TERM, up to 10 s, then KILL.
_nisshi_kill() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# _nisshi_certs DIR: a CA, a broker certificate it signs (SANs localhost, 127.0.0.1, ::1)
# and an unrelated CA, all in DIR/tls.
_nisshi_certs() {
  local d=$1/tls
  mkdir -p "$d"
  (
    set -e
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=kafkars test CA" \
      -keyout ca-key.pem -out ca.pem \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker-key.pem -out broker.csr
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
      "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" > broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
      -extfile broker.ext -out broker.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=kafkars wrong CA" \
      -keyout wrong-ca-key.pem -out wrong-ca.pem
  ) > "$d/openssl.log" 2>&1 || { _nisshi_log "making certificates failed:"; cat "$d/openssl.log" >&2; return 1; }
}

nisshi_start() {
  local dir=${1:?nisshi_start DIR [tls]} mode=${2:-}
  local t0 port log
  t0=${EPOCHREALTIME/,/.}
  [ -n "${NISSHI_BIN:-}" ] || nisshi_build || return 1
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || return 1
  rm -f "$dir"/nisshi.db*
  log=$dir/nisshi.log
  : > "$log"
  NISSHI_DIR=$dir
  export NISSHI_DIR

  # 1. Without authentication: users and topics.
  port=$(_nisshi_free_port)
  _nisshi_probe_ca=
  echo "=== setup broker (no authentication) on $port" >> "$log"
  _nisshi_launch "$dir" "$log" "$port" || { _nisshi_kill "$_nisshi_pid"; return 1; }
  local setup_pid=$_nisshi_pid url="tcp://$NISSHI_HOST:$port" u ok=1
  for u in "scram256 alice alice-secret-256" "scram512 bob bob-secret-512" \
           "scram256 carol carol-secret" "scram512 carol carol-secret"; do
    set -- $u
    if ! timeout 30 "$NISSHI_BIN" user create --broker "$url" --mechanism "$1" "$2" "$3" >> "$log" 2>&1; then
      _nisshi_log "user create --mechanism $1 $2 failed; last lines of $log:"; tail -5 "$log" >&2; ok=
      break
    fi
  done
  if [ -n "$ok" ]; then
    for u in ${NISSHI_TOPICS:-}; do
      if ! timeout 30 "$NISSHI_BIN" topic create --broker "$url" --partitions 1 --silent "$u" >> "$log" 2>&1; then
        _nisshi_log "topic create $u failed; last lines of $log:"; tail -5 "$log" >&2; ok=
        break
      fi
    done
  fi
  _nisshi_kill "$setup_pid"
  [ -n "$ok" ] || return 1

  # 2. The broker the tests use: --authentication, TLS when asked.
  local extra=(--authentication)
  if [ "$mode" = tls ]; then
    _nisshi_certs "$dir" || return 1
    extra+=(--cert "$dir/tls/broker.pem" --key "$dir/tls/broker-key.pem")
    _nisshi_probe_ca=$dir/tls/ca.pem
    NISSHI_CA=$dir/tls/ca.pem
    NISSHI_WRONG_CA=$dir/tls/wrong-ca.pem
    export NISSHI_CA NISSHI_WRONG_CA
  elif [ -n "$mode" ]; then
    _nisshi_log "nisshi_start: unknown mode '$mode' (expected: tls)"; return 1
  fi
  port=$(_nisshi_free_port)
  echo "=== broker (${extra[*]}) on $port" >> "$log"
  if ! _nisshi_launch "$dir" "$log" "$port" "${extra[@]}"; then
    _nisshi_kill "$_nisshi_pid"; return 1
  fi
  NISSHI_PID=$_nisshi_pid
  NISSHI_BOOTSTRAP=$NISSHI_HOST:$port
  export NISSHI_PID NISSHI_BOOTSTRAP
  # Watchdog: the broker does not outlive the shell that started it.
  local shell_pid=$BASHPID
  ( trap '' HUP
    while kill -0 "$shell_pid" 2>/dev/null && kill -0 "$NISSHI_PID" 2>/dev/null; do sleep 1; done
    kill "$NISSHI_PID" 2>/dev/null; sleep 5; kill -9 "$NISSHI_PID" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
  _nisshi_watchdog=$!
  NISSHI_START_SECONDS=$(awk -v a="$t0" -v b="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", b - a }')
  export NISSHI_START_SECONDS
  _nisshi_log "broker on $NISSHI_BOOTSTRAP (${mode:-plaintext}, SASL SCRAM), pid $NISSHI_PID, started in ${NISSHI_START_SECONDS} s; log $log"
}

nisshi_stop() {
  if [ -n "${NISSHI_PID:-}" ]; then _nisshi_kill "$NISSHI_PID"; fi
  if [ -n "${_nisshi_watchdog:-}" ]; then
    kill "$_nisshi_watchdog" 2>/dev/null; wait "$_nisshi_watchdog" 2>/dev/null
  fi
  NISSHI_PID= _nisshi_watchdog= NISSHI_BOOTSTRAP=
  return 0
}
