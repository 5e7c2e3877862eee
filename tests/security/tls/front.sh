# shellcheck shell=bash
# Sourced (from the repository root) by the TLS suite: a TLS front for librdkafka's mock
# cluster, which itself speaks plaintext only. One stunnel4 process in server mode has one
# service per mock broker (accept 127.0.0.1:<free port> -> connect to the broker's port),
# and each mock broker is re-advertised at its stunnel port (mock_cluster.py
# broker_set_host_port), so Metadata sends clients to the TLS ports as well.
#
#   tls_front_start NAME DIR BROKERS CERT KEY [stunnel-option=value]...
#       Starts mock cluster + stunnel; sets and exports TLS_BOOTSTRAP (also kept in
#       FRONT_BOOTSTRAP[NAME]); the plaintext bootstrap is FRONT_PLAIN[NAME]. Returns non-zero (with
#       the reason on stdout) if either side did not come up within its bound. Extra
#       arguments are stunnel service options, e.g. for mutual TLS:
#         verifyChain=yes requireCert=yes CAfile=ca.pem [CRLfile=crl.pem]
#       or sslVersionMax=TLSv1.2 ciphers=ECDHE-ECDSA-AES128-GCM-SHA256.
#       Several fronts may run at once (different NAMEs). Call it in the shell that
#       will stop it (not in $(...)): its state lives in shell variables, and stunnel
#       is tied to that shell's life.
#   tls_front_stop [NAME]   stops that front (all fronts without NAME); bounded; safe
#                           to call twice; call it from the EXIT trap.
#   tls_front_mc NAME CMD...  one mock_cluster.py command; prints the reply line ("OK ...")
#   tls_front_log NAME        path of that front's stunnel log
source tests/brokers/mock_cluster.sh

declare -gA FRONT_MC_PID=() FRONT_MC_FD=() FRONT_MC_FIFO=() FRONT_STUNNEL_PID=() \
  FRONT_BOOTSTRAP=() FRONT_PLAIN=() FRONT_DIR=()
TLS_BOOTSTRAP=
STUNNEL=${STUNNEL:-stunnel4}

# N free TCP ports on 127.0.0.1 (held together while chosen, so they are distinct).
_front_free_ports() {
  "${PYTHON:-python3}" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

_front_listening() { # port: 0 when something listens on 127.0.0.1:port
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q "127.0.0.1:$1"
}

tls_front_mc() {
  local name=$1; shift
  local fd=${FRONT_MC_FD[$name]:-} out=${FRONT_MC_FIFO[$name]:-}.out n
  [ -n "$fd" ] || { echo "ERR no front $name"; return 1; }
  n=$(wc -l < "$out")
  echo "$*" >&"$fd" || { echo "ERR mock cluster of $name is gone"; return 1; }
  for _ in $(seq 100); do
    if [ "$(wc -l < "$out")" -gt "$n" ]; then
      sed -n "$((n + 1))p" "$out"
      return 0
    fi
    sleep 0.05
  done
  echo "ERR no answer to '$*' within 5 s"; return 1
}

tls_front_log() { echo "${FRONT_DIR[$1]}/$1.stunnel.log"; }

tls_front_start() {
  local name=$1 dir=$2 brokers=$3 cert=$4 key=$5; shift 5
  local opts=("$@") ports plain i attempt conf pid ok reply me=$BASHPID
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  FRONT_DIR[$name]=$dir
  MC_PID='' MC_FD='' MC_FIFO='' MC_BOOTSTRAP=''
  mock_cluster_start "$dir" --brokers "$brokers"
  FRONT_MC_PID[$name]=$MC_PID FRONT_MC_FD[$name]=$MC_FD FRONT_MC_FIFO[$name]=$MC_FIFO
  [ -n "$MC_BOOTSTRAP" ] || { echo "front $name: mock cluster did not start"; return 1; }
  # shellcheck disable=SC2034 # for the caller: the plaintext bootstrap of this front
  FRONT_PLAIN[$name]=$MC_BOOTSTRAP
  IFS=, read -r -a plain <<< "$MC_BOOTSTRAP"
  [ "${#plain[@]}" -eq "$brokers" ] || { echo "front $name: bootstrap $MC_BOOTSTRAP"; return 1; }

  conf=$dir/$name.stunnel.conf
  for attempt in 1 2 3; do # a chosen port may be taken before stunnel binds it: retry
    read -r -a ports <<< "$(_front_free_ports "$brokers")"
    {
      echo "foreground = yes"
      echo "pid = $dir/$name.stunnel.pid"
      echo "output = $dir/$name.stunnel.log"
      echo "syslog = no"
      echo "debug = ${STUNNEL_DEBUG:-notice}"
      for i in $(seq "$brokers"); do
        echo "[b$i]"
        echo "accept = 127.0.0.1:${ports[$((i - 1))]}"
        echo "connect = ${plain[$((i - 1))]}"
        echo "cert = $cert"
        echo "key = $key"
        for o in "${opts[@]}"; do echo "${o%%=*} = ${o#*=}"; done
      done
    } > "$conf"
    : > "$dir/$name.stunnel.log"
    # Tied to this shell: PR_SET_PDEATHSIG (kept across exec) stops stunnel if the shell
    # dies without running its stop function (even on SIGKILL).
    "${PYTHON:-python3}" -c 'import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execvp(sys.argv[2], sys.argv[2:])' "$me" "$STUNNEL" "$conf" > "$dir/$name.stunnel.out" 2>&1 &
    pid=$!
    FRONT_STUNNEL_PID[$name]=$pid
    ok=0
    for _ in $(seq 100); do # 10 s
      kill -0 "$pid" 2>/dev/null || break
      ok=1
      for i in "${ports[@]}"; do _front_listening "$i" || { ok=0; break; }; done
      [ $ok -eq 1 ] && break
      sleep 0.1
    done
    [ $ok -eq 1 ] && break
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    FRONT_STUNNEL_PID[$name]=
    echo "front $name: stunnel did not come up (attempt $attempt):"
    tail -5 "$dir/$name.stunnel.log" "$dir/$name.stunnel.out" 2>/dev/null
  done
  [ $ok -eq 1 ] || return 1

  # Broker ids are 1..N in the order of the mock's bootstrap list.
  for i in $(seq "$brokers"); do
    reply=$(tls_front_mc "$name" broker_set_host_port "$i" 127.0.0.1 "${ports[$((i - 1))]}")
    [ "${reply%% *}" = OK ] || { echo "front $name: broker_set_host_port $i: $reply"; return 1; }
  done
  FRONT_BOOTSTRAP[$name]=$(printf '127.0.0.1:%s,' "${ports[@]}")
  FRONT_BOOTSTRAP[$name]=${FRONT_BOOTSTRAP[$name]%,}
  TLS_BOOTSTRAP=${FRONT_BOOTSTRAP[$name]}
  export TLS_BOOTSTRAP
  return 0
}

tls_front_stop() {
  local names=("$@") name pid old_pipe
  [ ${#names[@]} -gt 0 ] || names=("${!FRONT_DIR[@]}")
  # A mock launcher already gone (e.g. signalled with us) makes "quit" hit a fifo without
  # reader: SIGPIPE must not end the shell in the middle of its cleanup.
  old_pipe=$(trap -p PIPE)
  trap '' PIPE
  for name in "${names[@]}"; do
    pid=${FRONT_STUNNEL_PID[$name]:-}
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      FRONT_STUNNEL_PID[$name]=
    fi
    if [ -n "${FRONT_MC_PID[$name]:-}" ]; then
      MC_PID=${FRONT_MC_PID[$name]} MC_FD=${FRONT_MC_FD[$name]} MC_FIFO=${FRONT_MC_FIFO[$name]}
      mock_cluster_stop
      FRONT_MC_PID[$name]='' FRONT_MC_FD[$name]=''
    fi
  done
  if [ -n "$old_pipe" ]; then eval "$old_pipe"; else trap - PIPE; fi
}
