#!/usr/bin/env bash
# shellcheck disable=SC2046,SC2086,SC2054  # scenario argument strings are split on purpose
# shellcheck source-path=SCRIPTDIR
# SASL PLAIN, OAUTHBEARER (unsecured JWT, oauth_cb, OIDC) and GSSAPI, and KIP-368
# re-authentication, against librdkafka's mock cluster behind sasl_server.py (front.sh),
# with an MIT KDC (kdc.sh) and an OIDC token server (oidc.sh). Needs setup.sh first.
#
#   run.sh [genuine|kafkars]            (or KAFKARS_SEC_LIB; default genuine)
#     genuine  pip flavour: python3 with the pip confluent-kafka 2.16 wheel's bundled
#                librdkafka 2.16 (PLAIN, OAUTHBEARER, OIDC; no GSSAPI in that build)
#              deb flavour: /usr/bin/python3 with Debian's confluent-kafka 1.7 on
#                librdkafka 2.0.2 (PLAIN, OAUTHBEARER, GSSAPI via Cyrus SASL; no OIDC and
#                no KIP-368 re-authentication in that version)
#     kafkars  the same scenarios, pip flavour with LD_PRELOAD=$KAFKARS_LIB_DIR/libkafkars.so,
#              deb flavour with LD_LIBRARY_PATH=$KAFKARS_COMPAT_DIR (defaults build/lib,
#              build/compat); the expectations are genuine's of the same flavour. Scenarios
#              that only document what a genuine build lacks run on genuine only.
#   KAFKARS_SASL_FLAVOURS="pip deb"     which flavours run
#   KAFKARS_SEC_CLIENTS="py c"          which clients (default py, and c when
#                                       tests/security/client.c exists: built with gcc
#                                       against Debian's rdkafka.h, run with LD_LIBRARY_PATH
#                                       to the wheel's library (pip), none (deb: Debian's
#                                       system library), or the compat dir (kafkars); it
#                                       runs the scenarios that use only -t -n -c -X and
#                                       --flush-timeout)
#   KAFKARS_SEC_ONLY=REGEX              run only the scenarios whose name matches
#                                       (oauth_api's: oauth-api-<case>,
#                                       oauth-api-valgrind-<case>)
#   KAFKARS_SEC_KEEP=DIR                keep the servers' logs and each client's output
#
# Last, with the pip flavour: tests/security/sasl/oauth_api.c (librdkafka's OAUTHBEARER /
# SASL callback C API: refresh callback, set_token(_failure), SASL queue, background
# callbacks, the refresh event, sasl_set_credentials, unsecured-JWT configs), each case's
# output compared with genuine 2.16's in oauth_api.expected; two cases also under valgrind.
#
# Output: `ok: <scenario> [client/flavour, lib]` or `FAIL: ... : why`, each followed by the
# client's stdout (`| `) and the first stderr lines (`! `); last line `N passed, M failed`.
# Each flavour's scenarios run at once (about 25 s per flavour); every process started
# here is stopped on exit, every wait is bounded.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$ROOT" || exit 1
PY=${KAFKARS_PYTHON:-python3}
DEB_PY=/usr/bin/python3
LIB=${1:-${KAFKARS_SEC_LIB:-genuine}}
LIBDIR=${KAFKARS_LIB_DIR:-$ROOT/build/lib}
COMPAT=${KAFKARS_COMPAT_DIR:-$ROOT/build/compat}
FLAVOURS=${KAFKARS_SASL_FLAVOURS:-pip deb}
N=10
T0=$SECONDS
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

export PYTHON=$PY
source "$HERE/front.sh"
source "$HERE/kdc.sh"
source "$HERE/oidc.sh"

tmp=$(mktemp -d)
cleanup() {
  sasl_front_stop
  oidc_stop
  kdc_stop
  if [ -n "${KAFKARS_SEC_KEEP:-}" ]; then
    mkdir -p "$KAFKARS_SEC_KEEP" && cp -r "$tmp"/. "$KAFKARS_SEC_KEEP"/ 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the library under test, per flavour ----
PYLIB=$("$PY" -c 'import confluent_kafka, os, glob; d = os.path.join(os.path.dirname(confluent_kafka.__file__), os.pardir, "confluent_kafka.libs"); print(os.path.realpath((glob.glob(os.path.join(d, "librdkafka*.so*")) or [""])[0]))' 2>/dev/null)
declare -A PRE C_LIBPATH LIBLINE
case $LIB in
  genuine)
    PRE[pip]="$PY"; PRE[deb]="$DEB_PY"
    LIBLINE[pip]='^2\.16\.'; LIBLINE[deb]='^2\.0\.2$'
    if [ -n "$PYLIB" ] && [ -f "$PYLIB" ]; then
      mkdir -p "$tmp/wheel-lib"; ln -sf "$PYLIB" "$tmp/wheel-lib/librdkafka.so.1"
      C_LIBPATH[pip]=$tmp/wheel-lib
    fi
    C_LIBPATH[deb]= ;;
  kafkars)
    PRE[pip]="env LD_PRELOAD=$LIBDIR/libkafkars.so $PY"; PRE[deb]="env LD_LIBRARY_PATH=$COMPAT $DEB_PY"
    LIBLINE[pip]=kafkars; LIBLINE[deb]=kafkars
    C_LIBPATH[pip]=$COMPAT; C_LIBPATH[deb]=$COMPAT
    [ -f "$LIBDIR/libkafkars.so" ] || bad "missing $LIBDIR/libkafkars.so (make)"
    [ -e "$COMPAT/librdkafka.so.1" ] || echo "note: missing $COMPAT/librdkafka.so.1: the deb flavour and the C client cannot run on kafkars" ;;
  *) echo "library must be genuine or kafkars, not '$LIB'"; echo "0 passed, 1 failed"; exit 1 ;;
esac

clients=${KAFKARS_SEC_CLIENTS:-}
if [ -z "$clients" ]; then
  clients=py
  [ -f "$ROOT/tests/security/client.c" ] && clients="py c"
fi
if [[ " $clients " == *" c "* ]]; then
  if gcc -O1 -g -Wall -I/usr/include -o "$tmp/cclient" "$ROOT/tests/security/client.c" -lrdkafka -lpthread \
       > "$tmp/cclient.build.log" 2>&1; then
    ok "tests/security/client.c compiles (gcc, Debian's rdkafka.h, -lrdkafka)"
  else
    bad "tests/security/client.c does not compile:"; sed 's/^/    /' "$tmp/cclient.build.log" | head -30
    clients=${clients/c/}
  fi
fi

# ---- servers ----
T=sasl-topic  # created on each front; each run produces to its own topic (auto-created)
echo "=== servers"
have_kdc=; have_oidc=; have_oidc_http=
if kdc_start "$tmp/kdc"; then
  have_kdc=1; ok "MIT KDC for $KDC_REALM on 127.0.0.1:$KDC_PORT (kinit with the client keytab works)"
else
  bad "the MIT KDC did not start: the GSSAPI scenarios fail"
fi
if oidc_start "$tmp/oidc-https" https; then
  have_oidc=1; OIDC_S_TOKEN=$OIDC_TOKEN_URL OIDC_S_JWKS=$OIDC_JWKS_URL OIDC_S_ISS=$OIDC_ISSUER OIDC_S_CA=$OIDC_CA OIDC_S_OUT=$OIDC_OUT
  ok "OIDC token server (oauth2-mock-server 7) at $OIDC_S_TOKEN"
else
  bad "the https OIDC token server did not start: the OIDC scenarios fail"
fi
if oidc_start "$tmp/oidc-http" http; then
  have_oidc_http=1; OIDC_H_TOKEN=$OIDC_TOKEN_URL OIDC_H_JWKS=$OIDC_JWKS_URL OIDC_H_ISS=$OIDC_ISSUER OIDC_H_OUT=$OIDC_OUT
  ok "OIDC token server over plain http at $OIDC_H_TOKEN"
else
  bad "the http OIDC token server did not start"
fi

# Fronts (each: a 3-broker mock cluster behind sasl_server.py):
#   main    PLAIN (alice, rita, wanda), OAUTHBEARER (unsecured allowed; signed tokens from the
#           https OIDC server), GSSAPI (kafka/localhost keytab); advertised as localhost (the
#           host name in the service principal)
#   strict  OAUTHBEARER only, signed tokens only (JWKS of the https OIDC server, issuer and
#           audience checked): unsecured tokens are rejected
#   http    the same as strict with the http OIDC server's keys
#   stale   GSSAPI with an out-of-date service keytab: every context fails on the server
#   reauth  PLAIN + OAUTHBEARER (unsecured) with --session-lifetime-ms 3000
#   legacy  PLAIN, OAUTHBEARER (unsecured), GSSAPI advertising SaslHandshake v0 only: the
#           pre-KIP-152 framing (raw size-prefixed SASL tokens, no SaslAuthenticate)
declare -A FRONT_OK
start_front() { # NAME FRONT_OPTS... -- SERVER_ARGS...
  local name=$1; shift
  if sasl_front_start "$name" "$tmp/front-$name" --topic "$T:3" "$@" > "$tmp/front-$name.log" 2>&1; then
    FRONT_OK[$name]=1; ok "front $name: SASL listeners $(tr '\n' ' ' < <(grep '^LISTEN' "${SASL_OUT[$name]}"))"
  else
    bad "front $name did not start: $(tail -3 "$tmp/front-$name.log" | tr '\n' ' ')"
  fi
}
PLAIN_USERS=(--plain-user alice:alice-secret --plain-user rita:rita-secret --plain-user wanda:wanda-secret)
main_args=(--mechanism PLAIN,OAUTHBEARER "${PLAIN_USERS[@]}" --oauth-allow-unsecured)
[ -n "$have_oidc" ] && main_args+=(--oauth-jwks-url "$OIDC_S_JWKS" --oauth-ca "$OIDC_S_CA" --oauth-issuer "$OIDC_S_ISS" --oauth-audience kafka)
[ -n "$have_kdc" ] && main_args+=(--mechanism GSSAPI --gssapi-keytab "$KDC_SERVICE_KEYTAB")
start_front main --adv-host localhost -- "${main_args[@]}"
if [ -n "$have_oidc" ]; then
  start_front strict -- --mechanism OAUTHBEARER --oauth-jwks-url "$OIDC_S_JWKS" --oauth-ca "$OIDC_S_CA" \
    --oauth-issuer "$OIDC_S_ISS" --oauth-audience kafka
fi
if [ -n "$have_oidc_http" ]; then
  start_front http -- --mechanism OAUTHBEARER --oauth-jwks-url "$OIDC_H_JWKS" --oauth-issuer "$OIDC_H_ISS" --oauth-audience kafka
fi
[ -n "$have_kdc" ] && start_front stale --adv-host localhost -- --mechanism GSSAPI --gssapi-keytab "$KDC_STALE_SERVICE_KEYTAB"
start_front reauth -- --mechanism PLAIN,OAUTHBEARER "${PLAIN_USERS[@]}" --oauth-allow-unsecured --session-lifetime-ms 3000
legacy_args=(--mechanism PLAIN,OAUTHBEARER "${PLAIN_USERS[@]}" --oauth-allow-unsecured --handshake-max 0)
[ -n "$have_kdc" ] && legacy_args+=(--mechanism GSSAPI --gssapi-keytab "$KDC_SERVICE_KEYTAB")
start_front legacy --adv-host localhost -- "${legacy_args[@]}"

# oauth_api.c's cases (pip flavour only; see "oauth_api" below) and their own front:
# PLAIN user oa-cred, OAUTHBEARER with unsecured tokens.
OA_CASES=(refresh-cb refresh-cb-noconfig set-token-errors set-token-failure sasl-queue sasl-queue-off
          background background-no-queue events set-credentials unsecure-jwt unsecure-jwt-bad)
OA_VALGRIND=(refresh-cb background)
oa_run=() oa_vg=()
if [[ " $FLAVOURS " == *" pip "* ]]; then
  for c in "${OA_CASES[@]}"; do
    if [ -z "${KAFKARS_SEC_ONLY:-}" ] || [[ oauth-api-$c =~ $KAFKARS_SEC_ONLY ]]; then oa_run+=("$c"); fi
  done
  for c in "${OA_VALGRIND[@]}"; do
    if [ -z "${KAFKARS_SEC_ONLY:-}" ] || [[ oauth-api-valgrind-$c =~ $KAFKARS_SEC_ONLY ]]; then oa_vg+=("$c"); fi
  done
fi
if [ $((${#oa_run[@]} + ${#oa_vg[@]})) -gt 0 ]; then
  start_front oauth -- --mechanism PLAIN,OAUTHBEARER --plain-user oa-cred:oa-cred-secret --oauth-allow-unsecured
fi

# ---- the server itself (hand-built frames; library independent) ----
if [ -z "${KAFKARS_SEC_ONLY:-}" ] || [[ server-selftest =~ $KAFKARS_SEC_ONLY ]]; then
  start_front selftest -- --mechanism PLAIN,OAUTHBEARER --plain-user alice:alice-secret --oauth-allow-unsecured \
    --session-lifetime-ms 1500
  if [ -n "${FRONT_OK[selftest]:-}" ]; then
    timeout -k 5 120 "$PY" "$HERE/server_selftest.py" --bootstrap "${SASL_BOOT[selftest]%%,*}" \
      --server-out "${SASL_OUT[selftest]}" --lifetime-ms 1500 > "$tmp/selftest.log" 2>&1
    st_rc=$?
    read -r sp sf < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p+0, f+0 }' "$tmp/selftest.log")
    [ "$st_rc" -ne 0 ] && [ "$sf" -eq 0 ] && sf=1
    pass=$((pass + sp)); fail=$((fail + sf))
    echo "=== sasl_server.py protocol self-test: $sp passed, $sf failed (exit $st_rc)"
    grep -E '^FAIL' "$tmp/selftest.log" | sed 's/^/    /'
    [ "$sf" -gt 0 ] && ! grep -q '^FAIL' "$tmp/selftest.log" && tail -5 "$tmp/selftest.log" | sed 's/^/    /'
  fi
  sasl_front_stop selftest
fi

# ---- scenarios ----
# add NAME FRONT FLAVOURS CLIENTS EXPECT CHECKS -- client args
#   FLAVOURS  pip and/or deb (a trailing ! on the name: genuine only, documents a build)
#   CLIENTS   py, or "py c" when the args are -t/-n/-c/-X/--flush-timeout only
#   EXPECT    ok: all delivered (and consumed with -c), exit 0
#             fail:NAME:REGEX: `delivered 0 failed N` and an `error NAME: reason` line
#               (error_cb) whose reason matches the extended REGEX
#             config:NAME:REGEX: the producer cannot be created (`config-error NAME: ...`)
#   CHECKS    "-" or space separated, on the front's AUTH/EXPIRED lines of this flavour's run
#             and the client's output:
#               auth=MECH:PRINCIPAL     an `AUTH ok mech=MECH principal=PRINCIPAL` line
#               sa=V                    ... and every AUTH ok line of the front's batch
#                                       for that principal used SaslAuthenticate vV (raw:
#                                       the legacy framing)
#               reauth>=K:PRINCIPAL     at least K `AUTH ok ... principal=P ... reauth=k>0` lines
#               noreauth:PRINCIPAL      none of those
#               noexpired:PRINCIPAL / expired:PRINCIPAL   no / some `EXPIRED ... principal=P`
#               oauthcb>=K              the client's oauth_cb ran at least K times
#               token-ok:OIDCLOG / token-fail:OIDCLOG     a TOKEN ok / fail line there
declare -a S_NAME S_FRONT S_FLAV S_CLIENTS S_EXPECT S_CHECKS S_ARGS
add() {
  local name=$1 front=$2 flav=$3 cls=$4 expect=$5 checks=$6; shift 6; [ "$1" = -- ] && shift
  if [ -n "${KAFKARS_SEC_ONLY:-}" ] && ! [[ $name =~ $KAFKARS_SEC_ONLY ]]; then return; fi
  if [[ $name == *! ]]; then [ "$LIB" = genuine ] || return; name=${name%!}; fi
  S_NAME+=("$name"); S_FRONT+=("$front"); S_FLAV+=("$flav"); S_CLIENTS+=("$cls")
  S_EXPECT+=("$expect"); S_CHECKS+=("$checks"); S_ARGS+=("$*")
}
SP="-X security.protocol=sasl_plaintext"
plain() { echo "$SP -X sasl.mechanism=PLAIN -X sasl.username=$1 -X sasl.password=$2"; }
OB="$SP -X sasl.mechanism=OAUTHBEARER"
unsecured() { echo "$OB -X enable.sasl.oauthbearer.unsecure.jwt=true -X sasl.oauthbearer.config=principal=$1"; }
oidc() { # TOKEN_URL SECRET [CA]
  echo "$OB -X sasl.oauthbearer.method=oidc -X sasl.oauthbearer.client.id=kafka-client" \
       "-X sasl.oauthbearer.client.secret=$2 -X sasl.oauthbearer.token.endpoint.url=$1" \
       "-X sasl.oauthbearer.scope=kafka${3:+ -X https.ca.location=$3}"
}
GS="$SP -X sasl.mechanism=GSSAPI -X sasl.kerberos.service.name=kafka"
gss() { echo "$GS -X sasl.kerberos.keytab=$1 -X sasl.kerberos.principal=$2"; }
FAST="-X message.timeout.ms=6000 --flush-timeout 12"

# -- PLAIN. Genuine (2.16 and 2.0.2 alike) reports a SaslAuthenticate error response as
#    "<broker>: SASL authentication error: <the broker's error_message> (after Nms in state
#    AUTH_REQ)", here "...: Authentication failed: Invalid username or password (after 0ms
#    in state AUTH_REQ)"; repeats add ", 1 identical error(s) suppressed" inside the
#    parentheses. Then _ALL_BROKERS_DOWN, and the messages time out (_MSG_TIMED_OUT).
add plain-good main "pip deb" "py c" ok "auth=PLAIN:alice" -- -t @TOPIC@ -n $N -c $(plain alice alice-secret)
add plain-wrong-password main "pip deb" "py c" \
    'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL authentication error: Authentication failed: Invalid username or password \(after [0-9]+ms in state AUTH_REQ' "-" \
    -- -t @TOPIC@ -n $N $FAST $(plain wanda not-the-password)
add plain-unknown-user main "pip deb" "py c" \
    'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL authentication error: Authentication failed: Invalid username or password \(after [0-9]+ms in state AUTH_REQ' "-" \
    -- -t @TOPIC@ -n $N $FAST $(plain mallory mallory-secret)
# -- A mechanism the broker does not enable: UNSUPPORTED_SASL_MECHANISM in SaslHandshake.
#    2.16 and 2.0.2: "<broker>: SASL PLAIN mechanism handshake failed: Broker: Unsupported
#    SASL mechanism: broker's supported mechanisms: OAUTHBEARER (after 0ms in state
#    AUTH_HANDSHAKE)".
add mechanism-not-enabled strict "pip deb" "py c" \
    "fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL PLAIN mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: OAUTHBEARER \\(after [0-9]+ms in state AUTH_HANDSHAKE" "-" \
    -- -t @TOPIC@ -n $N $FAST $(plain alice alice-secret)
# -- OAUTHBEARER with librdkafka's built-in unsecured JWT (sasl.oauthbearer.config).
add oauthbearer-unsecured-good main "pip deb" "py c" ok "auth=OAUTHBEARER:ursula" \
    -- -t @TOPIC@ -n $N -c $(unsecured ursula)
#    Rejected (the strict front wants signed tokens): the broker answers the token with the
#    RFC 7628 error JSON as a challenge, the client sends \x01, the broker fails the
#    exchange with that JSON as its error message. Genuine (both): "<broker>: SASL
#    authentication error: {"status":"invalid_token"} (after Nms in state AUTH_REQ)".
add oauthbearer-unsecured-rejected strict "pip deb" "py c" \
    'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL authentication error: \{"status":"invalid_token"\} \(after [0-9]+ms in state AUTH_REQ' "-" \
    -- -t @TOPIC@ -n $N $FAST $(unsecured ursula)
# -- OAUTHBEARER with the application's token refresh callback (oauth_cb).
add oauthbearer-oauth-cb main "pip deb" py ok "auth=OAUTHBEARER:bob oauthcb>=1" \
    -- -t @TOPIC@ -n $N -c --oauth-cb bob $OB
#    A 6 s token: librdkafka calls oauth_cb again before it expires (2.16 and 2.0.2 both,
#    at ~80% of the lifetime); nothing is lost while the broker enforces the token's expiry
#    (Kafka: session lifetime = time left until the token's exp). 2.16 re-authenticates
#    with the new token; 2.0.2 is disconnected at the old token's expiry and reconnects.
#    (With 4 s tokens 2.0.2 sometimes left 10 messages unsent within the 20 s flush: its
#    reconnections got tokens with < 1 s left, hence sessions of < 1 s.)
add oauthbearer-oauth-cb-refresh main "pip deb" py ok "auth=OAUTHBEARER:frida oauthcb>=2" \
    -- -t @TOPIC@ --duration 8 --oauth-cb frida --oauth-lifetime 6 $OB
# -- OIDC (client credentials grant, librdkafka fetches the token itself). 2.16 only:
#    Debian's 2.0.2 is built without libcurl ("http"/"oidc" missing from builtin.features).
if [ -n "$have_oidc" ]; then
  add oidc-good strict pip "py c" ok "auth=OAUTHBEARER:kafka-client token-ok:$OIDC_S_OUT" \
      -- -t @TOPIC@ -n $N -c $(oidc "$OIDC_S_TOKEN" kafka-client-secret "$OIDC_S_CA")
  #  Wrong secret: the token endpoint answers 401; 2.16's error_cb: "Failed to acquire SASL
  #  OAUTHBEARER token: <the response body>" (its log, OIDC: "Failed to retrieve OIDC token
  #  from "<url>": <body> (401)"). No broker connection is attempted.
  add oidc-wrong-secret strict pip "py c" \
      'fail:_AUTHENTICATION:^Failed to acquire SASL OAUTHBEARER token: \{"error":"invalid_client","error_description":"Client authentication failed"\}$' "token-fail:$OIDC_S_OUT" \
      -- -t @TOPIC@ -n $N $FAST $(oidc "$OIDC_S_TOKEN" wrong-secret "$OIDC_S_CA")
  #  The test CA not given (no https.ca.location): no token. Genuine 2.16 (the wheel's
  #  libcurl) does not even get to verify the certificate here: "Failed to acquire SASL
  #  OAUTHBEARER token: error adding trust anchors from file:
  #  /etc/pki/tls/certs/ca-bundle.crt" (its built-in default CA bundle path, absent on
  #  Debian); a library that looks in Debian's CA store fails on the unknown issuer instead.
  add oidc-untrusted-ca strict pip "py c" 'fail:_AUTHENTICATION:^Failed to acquire SASL OAUTHBEARER token: .' "-" \
      -- -t @TOPIC@ -n $N $FAST $(oidc "$OIDC_S_TOKEN" kafka-client-secret)
  add oidc-not-built-in! strict deb py 'config:_INVALID_ARG:sasl\.oauthbearer\.method|oidc|OIDC|curl' "-" \
      -- -t @TOPIC@ -n $N $FAST $(oidc "$OIDC_S_TOKEN" kafka-client-secret "$OIDC_S_CA")
fi
#    Genuine 2.16 takes an http:// token endpoint as well (no https required).
[ -n "$have_oidc_http" ] && add oidc-http-endpoint http pip "py c" ok "auth=OAUTHBEARER:kafka-client token-ok:$OIDC_H_OUT" \
    -- -t @TOPIC@ -n $N -c $(oidc "$OIDC_H_TOKEN" kafka-client-secret)
# -- GSSAPI (Kerberos; deb: 2.0.2 through Cyrus SASL, kinit run by librdkafka from
#    sasl.kerberos.kinit.cmd; each run has its own KRB5CCNAME, else an earlier run's ticket
#    in a shared cache would be used whatever keytab is configured).
if [ -n "$have_kdc" ]; then
  add gssapi-good main deb "py c" ok "auth=GSSAPI:client@$KDC_REALM" \
      -- -t @TOPIC@ -n $N -c $(gss "$KDC_CLIENT_KEYTAB" "client@$KDC_REALM")
  #  Unknown principal: kinit fails ("Client 'ghost@KAFKARS.TEST' not found in Kerberos
  #  database", on stderr, and a SASLREFRESH log "Kerberos ticket refresh failed: kinit ...
  #  exited with code 1"), then every connection: "<broker>: Failed to initialize SASL
  #  authentication: SASL handshake failed (start (-1)): SASL(-1): generic failure: GSSAPI
  #  Error: No credentials were supplied, or the credentials were unavailable or
  #  inaccessible (No Kerberos credentials available (default cache: FILE:<cache>)) (after
  #  0ms in state AUTH_REQ)". The broker sees no SASL token.
  add gssapi-unknown-principal main deb "py c" \
      'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: Failed to initialize SASL authentication: SASL handshake failed \(start \(-1\)\): .*No Kerberos credentials available .*\(after [0-9]+ms in state AUTH_REQ' "-" \
      -- -t @TOPIC@ -n $N $FAST $(gss "$KDC_GHOST_KEYTAB" "ghost@$KDC_REALM")
  #  No such service principal (sasl.kerberos.service.name=nokafka): "... GSSAPI Error:
  #  Unspecified GSS failure.  Minor code may provide more information (Server
  #  nokafka/localhost@KAFKARS.TEST not found in Kerberos database) ...".
  add gssapi-unknown-service main deb "py c" \
      'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: Failed to initialize SASL authentication: .*Server nokafka/localhost@[A-Z.]+ not found in Kerberos database\) \(after [0-9]+ms in state AUTH_REQ' "-" \
      -- -t @TOPIC@ -n $N $FAST $(gss "$KDC_CLIENT_KEYTAB" "client@$KDC_REALM") -X sasl.kerberos.service.name=nokafka
  #  The broker's keytab is out of date: its acceptor fails, the broker answers with Kafka's
  #  generic message: "<broker>: SASL authentication error: Authentication failed during
  #  authentication due to invalid credentials with SASL mechanism GSSAPI (after Nms in
  #  state AUTH_REQ)".
  add gssapi-broker-keytab-stale stale deb "py c" \
      'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism GSSAPI \(after [0-9]+ms in state AUTH_REQ' "-" \
      -- -t @TOPIC@ -n $N $FAST $(gss "$KDC_CLIENT_KEYTAB" "client@$KDC_REALM")
  #  The pip wheel's 2.16 has no GSSAPI: "Failed to create producer: No provider for SASL
  #  mechanism GSSAPI: recompile librdkafka with libsasl2 or openssl support. Current build
  #  options: PLAIN SASL_SCRAM OAUTHBEARER".
  add gssapi-not-built-in! main pip py 'config:_INVALID_ARG:No provider for SASL mechanism GSSAPI' "-" \
      -- -t @TOPIC@ -n $N $FAST $(gss "$KDC_CLIENT_KEYTAB" "client@$KDC_REALM")
fi
# -- Re-authentication (KIP-368) with a 3 s session (--session-lifetime-ms 3000), producing
#    for 10 s. 2.16 re-authenticates each connection at ~90% of the session (SaslHandshake +
#    SaslAuthenticate on the live connection), so the broker never finds an expired session.
#    2.0.2 has no KIP-368: the broker closes its connections after 3 s ("<broker>/1:
#    Disconnected (after 3001ms in state UP)", _TRANSPORT); it reconnects and retries;
#    nothing is lost either way. (The 2.0.2 scenario is genuine only: a library that
#    re-authenticates is right there too.)
add reauth-plain reauth pip py ok "reauth>=3:rita noexpired:rita" \
    -- -t @TOPIC@ --duration 10 -c $(plain rita rita-secret)
add reauth-oauthbearer reauth pip py ok "reauth>=3:otto noexpired:otto oauthcb>=1" \
    -- -t @TOPIC@ --duration 10 -c --oauth-cb otto $OB
add reauth-plain-unsupported! reauth deb py ok "noreauth:rita expired:rita" \
    -- -t @TOPIC@ --duration 10 -c $(plain rita rita-secret)

# -- The legacy framing (SaslHandshake v0, then raw SASL tokens; what a client does with a
#    broker that has no SaslAuthenticate). A failure is a plain disconnect there; genuine:
#    2.16 "<broker>: SASL authentication failure: Disconnected: connection closed by peer:
#    receive 0 after POLLIN: check client PLAIN credentials and broker logs (after 0ms in
#    state AUTH_LEGACY)", 2.0.2 the same without "connection closed by peer: receive 0 after
#    POLLIN: ". (2.16 then also says "_ALL_BROKERS_DOWN: 0/6 brokers are down".)
add legacy-plain-good legacy "pip deb" "py c" ok "auth=PLAIN:alice sa=raw" -- -t @TOPIC@ -n $N -c $(plain alice alice-secret)
add legacy-plain-wrong-password legacy "pip deb" "py c" \
    'fail:_AUTHENTICATION:^sasl_plaintext://[^ ]+: SASL authentication failure: Disconnected: .*check client PLAIN credentials and broker logs \(after [0-9]+ms in state AUTH_LEGACY' "-" \
    -- -t @TOPIC@ -n $N $FAST $(plain wanda not-the-password)
add legacy-oauthbearer-good legacy "pip deb" "py c" ok "auth=OAUTHBEARER:ursula sa=raw" -- -t @TOPIC@ -n $N -c $(unsecured ursula)
[ -n "$have_kdc" ] && add legacy-gssapi-good legacy deb "py c" ok "auth=GSSAPI:client@$KDC_REALM sa=raw" \
    -- -t @TOPIC@ -n $N -c $(gss "$KDC_CLIENT_KEYTAB" "client@$KDC_REALM")

# ---- running and judging ----
# run_client CLIENT FLAVOUR OUT ARGS...: one client run (bounded, 90 s): stdout in OUT,
# stderr in OUT.err, exit status in OUT.rc.
run_client() {
  local cl=$1 fl=$2 out=$3; shift 3
  local cc="FILE:$out.ccache"
  # shellcheck disable=SC2086  # PRE holds a command and its arguments
  case $cl in
    py) KRB5CCNAME=$cc timeout -k 5 90 ${PRE[$fl]} "$HERE/../client.py" "$@" > "$out" 2> "$out.err" ;;
    c) # client.c bounds its flush with -T ms instead of --flush-timeout s.
      local a=() prev=
      for x in "$@"; do
        if [ "$prev" = --flush-timeout ]; then a+=(-T "$((x * 1000))"); prev=; continue; fi
        [ "$x" = --flush-timeout ] && { prev=$x; continue; }
        a+=("$x")
      done
      KRB5CCNAME=$cc LD_LIBRARY_PATH=${C_LIBPATH[$fl]} timeout -k 5 90 "$tmp/cclient" "${a[@]}" > "$out" 2> "$out.err" ;;
  esac
  echo $? > "$out.rc"
}

# check I CLIENT FLAVOUR OUT: judges one run; the fronts' lines of this batch are in
# $tmp/batch.<front>.
check() {
  local i=$1 cl=$2 fl=$3 out=$4 rc why='' name=${S_NAME[$1]} expect=${S_EXPECT[$1]}
  rc=$(cat "$out.rc" 2>/dev/null || echo "?")
  # client.py prints `library <version>`, client.c `version <version>`.
  local libline; libline=$(sed -n 's/^library //p; s/^version //p' "$out" | head -1)
  [[ $libline =~ ${LIBLINE[$fl]} ]] || why="library is '$libline', expected /${LIBLINE[$fl]}/"
  local flog=$tmp/batch.${S_FRONT[$i]}
  if [ -z "$why" ]; then
    case $expect in
      ok)
        local want=$N
        if grep -q '^produced ' "$out"; then want=$(sed -n 's/^produced //p' "$out"); fi
        grep -qx "delivered $want failed 0" "$out" || why="expected 'delivered $want failed 0'"
        if [ -z "$why" ] && [[ " ${S_ARGS[$i]} " == *" -c "* ]]; then
          grep -qx "consumed $want" "$out" || why="expected 'consumed $want'"
        fi
        [ -z "$why" ] && [ "$rc" != 0 ] && why="exit status $rc" ;;
      fail:* | config:*)
        local kind=error; [[ $expect == config:* ]] && kind=config-error
        local rest=${expect#*:}; local ename=${rest%%:*}; local re=${rest#*:}
        grep -qx "delivered 0 failed $N" "$out" || why="expected 'delivered 0 failed $N'"
        if [ -z "$why" ] && ! grep "^$kind $ename: " "$out" | sed "s/^$kind $ename: //" | grep -qE -- "$re"; then
          why="expected a line '$kind $ename: ...' matching /$re/"
        fi ;;
    esac
  fi
  local c k p cnt lastp=
  for c in ${S_CHECKS[$i]}; do
    [ -n "$why" ] && break
    [ "$c" = - ] && continue
    k=${c%%[:>=]*}; p=${c#*:}
    case $c in
      auth=*) k=${c#auth=}; grep -q "^AUTH ok mech=${k%%:*} principal=${k#*:} " "$flog" || why="no 'AUTH ok mech=${k%%:*} principal=${k#*:}' on front ${S_FRONT[$i]}"
              lastp=${k#*:} ;;
      sa=*) cnt=$(grep "^AUTH ok mech=[A-Z]* principal=$lastp " "$flog" | grep -vc " sa=${c#sa=}\$")
            [ "$cnt" -eq 0 ] || why="$cnt authentications of $lastp not with SaslAuthenticate ${c#sa=}" ;;
      reauth\>=*)
        k=${c#reauth>=}; k=${k%%:*}
        cnt=$(grep -cE "^AUTH ok mech=[A-Z]+ principal=$p conn=[0-9]+ reauth=[1-9]" "$flog")
        [ "$cnt" -ge "$k" ] || why="$cnt re-authentications of $p, expected >= $k" ;;
      noreauth:*)
        cnt=$(grep -cE "^AUTH ok mech=[A-Z]+ principal=$p conn=[0-9]+ reauth=[1-9]" "$flog")
        [ "$cnt" -eq 0 ] || why="$cnt re-authentications of $p, expected none" ;;
      noexpired:*) cnt=$(grep -c "^EXPIRED conn=[0-9]* principal=$p\$" "$flog"); [ "$cnt" -eq 0 ] || why="$cnt expired sessions of $p" ;;
      expired:*) grep -q "^EXPIRED conn=[0-9]* principal=$p\$" "$flog" || why="no expired session of $p" ;;
      oauthcb\>=*) k=${c#oauthcb>=}; grep -q "^oauth_cb $k " "$out" || why="oauth_cb ran fewer than $k times" ;;
      token-ok:*) grep -q '^TOKEN ok ' "$p" || why="no TOKEN ok line from the OIDC server" ;;
      token-fail:*) grep -q '^TOKEN fail ' "$p" || why="no TOKEN fail line from the OIDC server" ;;
      *) why="unknown check $c" ;;
    esac
  done
  if [ -z "$why" ]; then ok "$name [$cl/$fl, $LIB]"; else bad "$name [$cl/$fl, $LIB]: $why (exit $rc)"; fi
  sed 's/^/    | /' "$out" | head -40
  [ -s "$out.err" ] && grep -v '^%[0-9]|' "$out.err" | head -5 | sed 's/^/    ! /'
  return 0
}

for fl in $FLAVOURS; do
  for cl in $clients; do
    [ "$cl" = c ] && [ ! -x "$tmp/cclient" ] && continue
    idx=()
    for i in "${!S_NAME[@]}"; do
      [[ " ${S_FLAV[$i]} " == *" $fl "* ]] || continue
      [[ " ${S_CLIENTS[$i]} " == *" $cl "* ]] || continue
      idx+=("$i")
    done
    [ ${#idx[@]} -gt 0 ] || continue
    echo "=== $fl flavour, $cl client ($LIB): ${#idx[@]} scenarios at once"
    declare -A mark=()
    for f in "${!SASL_OUT[@]}"; do mark[$f]=$(wc -l < "${SASL_OUT[$f]}"); done
    pids=()
    for i in "${idx[@]}"; do
      out=$tmp/$fl.$cl.${S_NAME[$i]}.out
      if [ -z "${FRONT_OK[${S_FRONT[$i]}]:-}" ]; then
        echo "library ?" > "$out"; echo "front ${S_FRONT[$i]} not running" > "$out.err"; echo 99 > "$out.rc"; continue
      fi
      # shellcheck disable=SC2086  # the argument strings hold no spaces by construction
      run_client "$cl" "$fl" "$out" -X bootstrap.servers="${SASL_BOOT[${S_FRONT[$i]}]}" ${S_ARGS[$i]//@TOPIC@/sasl-$fl-$cl-${S_NAME[$i]}} &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    for f in "${!SASL_OUT[@]}"; do tail -n +"$((mark[$f] + 1))" "${SASL_OUT[$f]}" > "$tmp/batch.$f"; done
    for i in "${idx[@]}"; do check "$i" "$cl" "$fl" "$tmp/$fl.$cl.${S_NAME[$i]}.out"; done
  done
done

# ---- oauth_api: librdkafka's OAUTHBEARER / SASL callback C API ----
# tests/security/sasl/oauth_api.c (gcc, Debian's rdkafka.h, -lrdkafka -lpthread), one case
# per run, all cases at once, on the pip flavour's library (genuine: the wheel's 2.16 via
# LD_LIBRARY_PATH; kafkars: the compat dir) against the oauth front. Each case passes when
#   * its stdout without the `version`/`info` lines, plus `exit <status>`, equals the
#     case's section of oauth_api.expected (genuine 2.16's output, with what genuine does
#     noted there); a failure shows the diff (expected = genuine, then this run);
#   * the front shows what the case's connections did (OA_CHECKS, on the front's log):
#       ok:MECH:P          an `AUTH ok mech=MECH principal=P` line
#       oauth:P:TEXT       an `OAUTH ... principal=P extensions=...` line holding TEXT
#                          (a fixed string, ~ for a space)
#       fail:P             an `AUTH fail mech=PLAIN ... reason=wrong password for P` line
#   and no `AUTH fail mech=OAUTHBEARER` line is on that front at all.
# refresh-cb and background also run under valgrind (tests/c/run.sh's flags: definite
# leaks and memory errors fail; exit status 9) and must print the same.
declare -A OA_CHECKS=(
  [refresh-cb]="ok:OAUTHBEARER:oa-refresh-cb oauth:oa-refresh-cb:extensions=traceId=abc~claims=exp,iat,sub~"
  [sasl-queue]="ok:OAUTHBEARER:oa-sasl-queue oauth:oa-sasl-queue:extensions=traceId=abc~ ok:OAUTHBEARER:oa-sasl-queue-event oauth:oa-sasl-queue-event:extensions=traceId=abc~"
  [background]="ok:OAUTHBEARER:oa-background oauth:oa-background:extensions=traceId=abc~"
  [events]="ok:OAUTHBEARER:oa-events oauth:oa-events:extensions=traceId=abc~"
  [set-credentials]="fail:oa-cred ok:PLAIN:oa-cred"
  [unsecure-jwt]='ok:OAUTHBEARER:bob oauth:bob:extensions=traceId=123~claims=exp,iat,scope,sub~scope=["a","b"]~life_s=10'
)
oa_expected() { # CASE -> the expected lines (comments dropped)
  awk -v c="$1" '/^== / { s = ($2 == c); next } s && !/^#/' "$HERE/oauth_api.expected"
}
oa_actual() { # OUT -> the compared lines
  { grep -v '^version \|^info ' "$1"; echo "exit $(cat "$1.rc" 2>/dev/null || echo '?')"; }
}
# oa_check NAME CASE OUT [FRONT_CHECKS]
oa_check() {
  local name=$1 c=$2 out=$3 why='' libline k p t flog=${SASL_OUT[oauth]:-/dev/null} checks
  read -ra checks <<< "${4:-}"  # (no globbing: the texts hold brackets)
  libline=$(sed -n 's/^version //p' "$out" | head -1)
  [[ $libline =~ ${LIBLINE[pip]} ]] || why="library is '$libline', expected /${LIBLINE[pip]}/"
  if [ -z "$why" ] && ! oa_expected "$c" | grep -q .; then why="no section '== $c' in oauth_api.expected"; fi
  if [ -z "$why" ] && ! diff <(oa_expected "$c") <(oa_actual "$out") > "$out.diff"; then
    why="output differs from genuine 2.16's (oauth_api.expected):"
  fi
  for k in "${checks[@]}"; do
    [ -n "$why" ] && break
    case $k in
      ok:*) p=${k#ok:}; grep -q "^AUTH ok mech=${p%%:*} principal=${p#*:} " "$flog" || why="no 'AUTH ok mech=${p%%:*} principal=${p#*:}' on the oauth front" ;;
      oauth:*) p=${k#oauth:}; t=${p#*:}; t=${t//\~/ }; p=${p%%:*}
               grep -E "^OAUTH conn=[0-9]+ principal=$p " "$flog" | grep -qF -- "$t" || why="no 'OAUTH ... principal=$p ...$t' line on the oauth front" ;;
      fail:*) grep -qE "^AUTH fail mech=PLAIN conn=[0-9]+ reason=wrong password for ${k#fail:}\$" "$flog" || why="no 'AUTH fail ... wrong password for ${k#fail:}' on the oauth front" ;;
      *) why="unknown check $k" ;;
    esac
  done
  if [ -z "$why" ]; then ok "$name [c/pip, $LIB]"; else bad "$name [c/pip, $LIB]: $why"; fi
  [ -s "$out.diff" ] && sed 's/^/    diff /' "$out.diff" | head -60
  sed 's/^/    | /' "$out" | head -60
  return 0
}
if [ $((${#oa_run[@]} + ${#oa_vg[@]})) -gt 0 ]; then
  oa_t0=$SECONDS
  echo "=== oauth_api.c (pip flavour, $LIB): ${#oa_run[@]} cases at once, then ${#oa_vg[@]} under valgrind"
  if ! gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -I/usr/include -o "$tmp/oauth_api" "$HERE/oauth_api.c" \
       -lrdkafka -lpthread > "$tmp/oauth_api.build.log" 2>&1; then
    bad "tests/security/sasl/oauth_api.c does not compile:"; sed 's/^/    /' "$tmp/oauth_api.build.log" | head -30
  elif [ -z "${FRONT_OK[oauth]:-}" ]; then
    bad "oauth_api: the oauth front is not running"
  else
    ok "tests/security/sasl/oauth_api.c compiles (gcc, Debian's rdkafka.h, -lrdkafka)"
    OA_BOOT=${SASL_BOOT[oauth]}
    pids=()
    for c in "${oa_run[@]}"; do
      out=$tmp/oauth_api.$c.out
      ( LD_LIBRARY_PATH=${C_LIBPATH[pip]:-} timeout -k 5 90 "$tmp/oauth_api" -b "$OA_BOOT" -t "oa-$c" "$c" \
          > "$out" 2> "$out.err"; echo $? > "$out.rc" ) &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    for c in "${oa_run[@]}"; do oa_check "oauth-api-$c" "$c" "$tmp/oauth_api.$c.out" "${OA_CHECKS[$c]:-}"; done
    # no OAUTHBEARER authentication of any case failed on the front
    if [ ${#oa_run[@]} -gt 0 ]; then
      if grep -q '^AUTH fail mech=OAUTHBEARER ' "${SASL_OUT[oauth]}"; then
        bad "oauth-api: OAUTHBEARER authentications failed on the oauth front:"
        grep '^AUTH fail mech=OAUTHBEARER ' "${SASL_OUT[oauth]}" | head -5 | sed 's/^/    /'
      else
        ok "oauth-api: no OAUTHBEARER authentication failed on the oauth front [c/pip, $LIB]"
      fi
    fi
    if [ ${#oa_vg[@]} -gt 0 ] && ! command -v valgrind > /dev/null; then
      echo "note: valgrind is not installed: the oauth-api-valgrind scenarios did not run"
    elif [ ${#oa_vg[@]} -gt 0 ]; then
      OA_VALGRIND_CMD=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
                       --suppressions="$ROOT/tests/c/valgrind.supp" --child-silent-after-fork=yes)
      pids=()
      for c in "${oa_vg[@]}"; do
        out=$tmp/oauth_api.valgrind.$c.out
        ( LD_LIBRARY_PATH=${C_LIBPATH[pip]:-} timeout -k 5 180 "${OA_VALGRIND_CMD[@]}" "$tmp/oauth_api" \
            -b "$OA_BOOT" -t "oa-vg-$c" "$c" > "$out" 2> "$out.err"; echo $? > "$out.rc" ) &
        pids+=($!)
      done
      for p in "${pids[@]}"; do wait "$p"; done
      for c in "${oa_vg[@]}"; do
        out=$tmp/oauth_api.valgrind.$c.out
        oa_check "oauth-api-valgrind-$c" "$c" "$out"
        grep -E '^==[0-9]+==' "$out.err" | head -40 | sed 's/^/    ! /'
      done
    fi
  fi
  echo "note: oauth_api took $((SECONDS - oa_t0)) s"
fi

echo "note: suite took $((SECONDS - T0)) s"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
