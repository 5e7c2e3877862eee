#!/usr/bin/env bash
# TLS and SASL (make test): every suite runs on genuine librdkafka 2.16 first (which
# validates the brokers and test servers: each case passes and fails there as expected),
# then on kafkars with the same clients and the same expectations.
#   tls/    stunnel in front of librdkafka's mock cluster: verification, client certs,
#           CRL, ciphers, kcat, valgrind; the C API (verify_cb, set_ssl_cert)
#   scram/  nisshi 0.8.1: SCRAM-SHA-256/512 over plaintext and TLS
#   sasl/   sasl_server.py in front of the mock cluster: PLAIN, OAUTHBEARER (unsecured,
#           refresh callback, OIDC), GSSAPI (MIT KDC), KIP-368 re-authentication
# Each suite's log is in build/test-logs/security/; the last line sums them.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/checks.sh
logs=build/test-logs/security
mkdir -p "$logs"

suite() { # name, log, command...
  local name=$1 log=$logs/$2 rc=0; shift 2
  echo "=== $name"
  timeout "${SUITE_TIMEOUT:-900}" "$@" > "$log" 2>&1 || rc=$?
  result "$name" "$rc" "$log"
}

suite "TLS on genuine librdkafka 2.16 and kafkars" tls.log bash tests/security/tls/run.sh genuine kafkars
suite "SASL PLAIN/OAUTHBEARER/OIDC/GSSAPI on genuine" sasl-genuine.log bash tests/security/sasl/run.sh genuine
suite "SASL PLAIN/OAUTHBEARER/OIDC/GSSAPI on kafkars" sasl-kafkars.log bash tests/security/sasl/run.sh kafkars
# nisshi may still be building (tests/security/scram/prebuild.sh, started by run_all.sh):
# nisshi_build waits for that build's lock.
SUITE_TIMEOUT=2700 suite "SCRAM (nisshi) on genuine" scram-genuine.log env KAFKARS_SEC_LIB=genuine bash tests/security/scram/run.sh
suite "SCRAM (nisshi) on kafkars" scram-kafkars.log env KAFKARS_SEC_LIB=kafkars bash tests/security/scram/run.sh

# No secret of the suites' configurations reaches a log line of kafkars or of the tests.
leaks=$(grep -l -E 'alice-secret|bob-secret-512|carol-secret|clientpass|storepass|oidc-secret' "$logs"/*.log 2>/dev/null)
if [ -n "$leaks" ]; then
  grep -n -E 'alice-secret|bob-secret-512|carol-secret|clientpass|storepass|oidc-secret' $leaks | head -5
fi
one "no test password in any security suite's log" "$([ -z "$leaks" ] && echo 0 || echo 1)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
