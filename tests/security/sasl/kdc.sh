# shellcheck shell=bash
# Sourced: an MIT Kerberos KDC (Debian's krb5-kdc) run in a temporary directory, no system
# files touched, listening on 127.0.0.1 on a free port.
#
#   kdc_start DIR   makes the realm KAFKARS.TEST in DIR (kdc.conf, krb5.conf, database,
#                   keytabs) and starts krb5kdc in the foreground of a background job.
#                   Exports KRB5_CONFIG (DIR/krb5.conf, for clients and the acceptor),
#                   KRB5_KDC_PROFILE, KRB5CCNAME (FILE:DIR/ccache), KDC_REALM, KDC_PORT and
#                   the keytabs below. Returns non-zero (and prints why) on failure.
#   kdc_stop        stops it (bounded). Call it from the EXIT trap.
#
# Principals and keytabs:
#   kafka/localhost@KAFKARS.TEST  KDC_SERVICE_KEYTAB        (the SASL server's)
#                                 KDC_STALE_SERVICE_KEYTAB  (an older key version of the
#                                   same principal: an acceptor with it cannot decrypt tickets)
#   client@KAFKARS.TEST           KDC_CLIENT_KEYTAB
#   ghost@KAFKARS.TEST            KDC_GHOST_KEYTAB (the principal was deleted after ktadd:
#                                   kinit with it fails, "not found in Kerberos database")
# Every wait is bounded; a watchdog kills the KDC if the shell that started it goes away.

KDC_REALM=KAFKARS.TEST
KDC_PID='' KDC_WATCHDOG_=''

kdc_start() {
  local d=$1 port i
  mkdir -p "$d" && d=$(cd "$d" && pwd) || return 1
  port=$("${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local moddir=/usr/lib/x86_64-linux-gnu/krb5/plugins/kdb so
  for so in /usr/lib/*/krb5/plugins/kdb/db2.so; do [ -f "$so" ] && moddir=${so%/db2.so} && break; done
  cat > "$d/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port

[realms]
    $KDC_REALM = {
        database_name = $d/principal
        key_stash_file = $d/stash
        acl_file = $d/kadm5.acl
        admin_keytab = FILE:$d/kadm5.keytab
        kdc_listen = 127.0.0.1:$port
        kdc_tcp_listen = 127.0.0.1:$port
        max_life = 10h
        max_renewable_life = 1d
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }

[dbmodules]
    db_module_dir = $moddir

[logging]
    kdc = FILE:$d/kdc.log
EOF
  cat > "$d/krb5.conf" <<EOF
[libdefaults]
    default_realm = $KDC_REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
    ticket_lifetime = 10h
    default_ccache_name = FILE:$d/ccache
    default_keytab_name = FILE:$d/default.keytab

[realms]
    $KDC_REALM = {
        kdc = 127.0.0.1:$port
    }

[domain_realm]
    localhost = $KDC_REALM
EOF
  : > "$d/kadm5.acl"
  export KRB5_CONFIG=$d/krb5.conf KRB5_KDC_PROFILE=$d/kdc.conf KRB5CCNAME=FILE:$d/ccache
  export KDC_REALM KDC_PORT=$port
  export KDC_SERVICE_KEYTAB=$d/kafka.keytab KDC_STALE_SERVICE_KEYTAB=$d/kafka-stale.keytab
  export KDC_CLIENT_KEYTAB=$d/client.keytab KDC_GHOST_KEYTAB=$d/ghost.keytab
  {
    timeout 60 kdb5_util -r "$KDC_REALM" create -s -P "kdc-master-$$-$RANDOM" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "addprinc -randkey kafka/localhost" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "addprinc -randkey client" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "addprinc -randkey ghost" &&
    # ktadd makes a new key each time: the first keytab is stale once the second is made.
    timeout 30 kadmin.local -r "$KDC_REALM" -q "ktadd -k $d/kafka-stale.keytab kafka/localhost" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "ktadd -k $d/kafka.keytab kafka/localhost" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "ktadd -k $d/client.keytab client" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "ktadd -k $d/ghost.keytab ghost" &&
    timeout 30 kadmin.local -r "$KDC_REALM" -q "delprinc -force ghost"
  } > "$d/setup.log" 2>&1 || { echo "kdc: making the realm failed:"; tail -15 "$d/setup.log"; return 1; }
  krb5kdc -n -r "$KDC_REALM" -P "$d/kdc.pid" > "$d/krb5kdc.out" 2>&1 &
  KDC_PID=$!
  # Watchdog: the KDC must not outlive this shell.
  local me=$BASHPID
  ( while kill -0 "$me" 2>/dev/null && kill -0 "$KDC_PID" 2>/dev/null; do sleep 1; done
    kill "$KDC_PID" 2>/dev/null ) >/dev/null 2>&1 &
  KDC_WATCHDOG_=$!
  for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$KDC_PID" 2>/dev/null; then
      echo "kdc: krb5kdc exited:"; tail -5 "$d/krb5kdc.out" "$d/kdc.log" 2>/dev/null; KDC_PID=; return 1
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  # The realm works: the client keytab gets a ticket (into a scratch cache).
  if ! KRB5CCNAME=FILE:$d/probe.ccache timeout 20 kinit -k -t "$d/client.keytab" client > "$d/probe.log" 2>&1; then
    echo "kdc: kinit with the client keytab failed:"; cat "$d/probe.log"; return 1
  fi
  rm -f "$d/probe.ccache"
}

kdc_stop() {
  local i
  if [ -n "$KDC_PID" ]; then
    kill "$KDC_PID" 2>/dev/null
    for ((i = 0; i < 50; i++)); do kill -0 "$KDC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$KDC_PID" 2>/dev/null; wait "$KDC_PID" 2>/dev/null
    KDC_PID=
  fi
  if [ -n "$KDC_WATCHDOG_" ]; then kill "$KDC_WATCHDOG_" 2>/dev/null; wait "$KDC_WATCHDOG_" 2>/dev/null; KDC_WATCHDOG_=; fi
  return 0
}
