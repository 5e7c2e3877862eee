#!/usr/bin/env bash
# Makes the TLS test material with the openssl CLI, into DIR (created; files overwritten):
#
#   ca.pem ca.key              test CA (EC P-256), "kafkars test CA"
#   ca2.pem ca2.key            a second, unrelated CA (nothing is signed by it)
#   cadir/                     ca.pem under its subject-hash name (openssl rehash), for
#                              ssl.ca.location=<directory>
#   server.pem server.key      server cert from ca: SAN DNS:localhost, IP:127.0.0.1
#   wronghost.pem .key         server cert from ca, SAN DNS:wrong.example only
#   dnsonly.pem .key           server cert from ca, SAN DNS:localhost only (CN=127.0.0.1): a
#                              client connecting to 127.0.0.1 needs an IP SAN
#   expired.pem .key           server cert from ca (good SANs), valid 2020-01-01..2020-01-02
#   revoked-server.pem .key    server cert from ca (good SANs), revoked in crl.pem
#   client.pem client.key      client cert from ca (RSA 2048; clientAuth), key PKCS#8 plain
#   client.enc.key             the same key, PKCS#8 encrypted with AES-256, password CLIENT_KEY_PASS
#   client.p12                 PKCS#12 keystore: client cert + key (+ ca), password P12_PASS
#   revoked-client.pem .key    a second client cert from ca, revoked in crl.pem
#   crl.pem                    CRL from ca revoking revoked-client and revoked-server
#   ca+crl.pem                 ca.pem followed by crl.pem (for CAfile+CRL in one file)
#   server-chain.pem           server.pem followed by ca.pem (a server that sends the root)
#   ca.der ca2.der server.der client.der   the certificates in DER (tests/security/tls_api.c)
#   client.key.der             client.key in DER (PKCS#8)
#
# Passwords: printed by `certs.sh --passwords` and fixed below (tests pass them on).
# Takes well under a second on EC keys (one RSA key for the client, on purpose: both key
# types go through the TLS code).
set -euo pipefail
CLIENT_KEY_PASS=clientpass
P12_PASS=storepass
if [ "${1:-}" = "--passwords" ]; then
  echo "CLIENT_KEY_PASS=$CLIENT_KEY_PASS P12_PASS=$P12_PASS"; exit 0
fi
[ $# -eq 1 ] || { echo "usage: $0 DIR | --passwords" >&2; exit 2; }
DIR=$1
mkdir -p "$DIR"
cd "$DIR"
rm -rf ca-db cadir
mkdir -p ca-db cadir
: > ca-db/index.txt
echo 1000 > ca-db/serial
echo 1000 > ca-db/crlnumber

# `openssl ca` keeps the index of issued/revoked certificates the CRL is made from.
cat > ca.cnf <<EOF
[ ca ]
default_ca = testca
[ testca ]
dir = ca-db
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_days = 3650
default_crl_days = 3650
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
[ v3_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
[ v3_dnsonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
authorityKeyIdentifier = keyid
[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF

eckey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
selfsigned_ca() { # key pem cn
  eckey "$1"
  openssl req -config ca.cnf -new -x509 -key "$1" -out "$2" -days 3650 -subj "/O=kafkars tests/CN=$3" \
    -extensions v3_ca -sha256
}
# issue NAME CN EXTENSIONS [openssl ca date options...]  (key NAME.key must exist)
issue() {
  local name=$1 cn=$2 ext=$3; shift 3
  openssl req -config ca.cnf -new -key "$name.key" -subj "/O=kafkars tests/CN=$cn" -out "$name.csr"
  openssl ca -config ca.cnf -batch -notext -extensions "$ext" -in "$name.csr" -out "$name.pem" "$@" 2>ca-db/last.log \
    || { cat ca-db/last.log >&2; return 1; }
  rm -f "$name.csr"
}

selfsigned_ca ca.key ca.pem "kafkars test CA"
selfsigned_ca ca2.key ca2.pem "kafkars unrelated CA"
cp ca.pem "cadir/ca.pem"
if ! openssl rehash cadir 2>/dev/null; then c_rehash cadir >/dev/null; fi

for n in server wronghost dnsonly expired revoked-server; do eckey "$n.key"; done
issue server localhost v3_server
issue wronghost wrong.example v3_wronghost
issue dnsonly 127.0.0.1 v3_dnsonly
issue expired localhost v3_server -startdate 20200101000000Z -enddate 20200102000000Z
issue revoked-server localhost v3_server

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.key 2>/dev/null
eckey revoked-client.key
issue client client v3_client
issue revoked-client revoked-client v3_client
openssl pkcs8 -topk8 -v2 aes256 -in client.key -out client.enc.key -passout "pass:$CLIENT_KEY_PASS"
openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem -name client \
  -out client.p12 -passout "pass:$P12_PASS"

openssl ca -config ca.cnf -revoke revoked-client.pem -crl_reason keyCompromise 2>ca-db/last.log \
  || { cat ca-db/last.log >&2; exit 1; }
openssl ca -config ca.cnf -revoke revoked-server.pem -crl_reason keyCompromise 2>ca-db/last.log \
  || { cat ca-db/last.log >&2; exit 1; }
openssl ca -config ca.cnf -gencrl -out crl.pem 2>ca-db/last.log || { cat ca-db/last.log >&2; exit 1; }
cat ca.pem crl.pem > ca+crl.pem
cat server.pem ca.pem > server-chain.pem
for n in ca ca2 server client; do openssl x509 -in "$n.pem" -outform DER -out "$n.der"; done
openssl pkey -in client.key -outform DER -out client.key.der

# Self-check, so a broken generator shows here and not as puzzling TLS failures.
v() { openssl verify "$@" >/dev/null 2>&1 || { echo "certs: self-check failed: openssl verify $*" >&2; exit 1; }; }
nv() { if openssl verify "$@" >/dev/null 2>&1; then echo "certs: self-check failed: openssl verify $* should fail" >&2; exit 1; fi; }
v -CAfile ca.pem server.pem
v -CAfile ca.pem -verify_hostname localhost server.pem
v -CAfile ca.pem -verify_ip 127.0.0.1 server.pem
nv -CAfile ca.pem -verify_hostname localhost wronghost.pem
nv -CAfile ca.pem -verify_ip 127.0.0.1 wronghost.pem
v -CAfile ca.pem -verify_hostname localhost dnsonly.pem
nv -CAfile ca.pem -verify_ip 127.0.0.1 dnsonly.pem
nv -CAfile ca.pem expired.pem
v -CAfile ca.pem -no_check_time expired.pem
nv -CAfile ca2.pem server.pem
v -CAfile ca.pem client.pem
v -CAfile ca.pem -crl_check -CRLfile crl.pem client.pem
v -CAfile ca.pem -crl_check -CRLfile crl.pem server.pem
nv -CAfile ca.pem -crl_check -CRLfile crl.pem revoked-client.pem
nv -CAfile ca.pem -crl_check -CRLfile crl.pem revoked-server.pem
v -CApath cadir server.pem
openssl pkey -in client.enc.key -passin "pass:$CLIENT_KEY_PASS" -noout
if openssl pkey -in client.enc.key -passin pass:wrong -noout 2>/dev/null; then
  echo "certs: self-check failed: client.enc.key opens with a wrong password" >&2; exit 1
fi
openssl pkcs12 -in client.p12 -passin "pass:$P12_PASS" -nodes -noout 2>/dev/null
v -CAfile ca.pem -untrusted server-chain.pem server-chain.pem
for n in ca ca2 server client; do
  cmp -s <(openssl x509 -in "$n.der" -inform DER) "$n.pem" \
    || { echo "certs: self-check failed: $n.der is not $n.pem" >&2; exit 1; }
done
cmp -s <(openssl pkey -in client.key.der -inform DER) client.key \
  || { echo "certs: self-check failed: client.key.der is not client.key" >&2; exit 1; }
chmod 600 ./*.key
echo "certs: made in $PWD"
