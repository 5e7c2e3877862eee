# shellcheck shell=bash disable=SC2034  # SASL_* are read by the scripts that source this
# Sourced: librdkafka's mock cluster behind sasl_server.py (SASL-terminating front), any
# number of named instances at once.
#
#   sasl_front_start NAME DIR [--brokers N] [--adv-host H] [--topic T:P[:RF]]... -- SERVER_ARGS...
#       starts tests/brokers/mock_cluster.py (N brokers, default 3) and sasl_server.py
#       --upstream <the mock's bootstrap> SERVER_ARGS (one listener per broker), then has the
#       mock cluster advertise each broker at its listener (broker_set_host_port id H port;
#       H default 127.0.0.1; GSSAPI needs a host name the service principal is for, e.g.
#       localhost). Exports SASL_BOOTSTRAP (H:port,...) and SASL_FRONT_OUT (the server's
#       stdout: LISTEN/READY/AUTH/EXPIRED/REJECT lines). Returns non-zero (and prints why)
#       when something did not start within 30 s. Per instance: SASL_BOOT[NAME],
#       SASL_OUT[NAME], SASL_MC_OUT[NAME].
#   sasl_front_cmd NAME mc|sasl COMMAND...   one stdin command to the mock cluster or the
#       server, waits (bounded, 10 s) for its reply line; 0 when it is OK. Reply in SASL_REPLY.
#   sasl_front_stop [NAME]   stops one instance (all without NAME); bounded; call it from the
#       EXIT trap.
# Both launchers exit when their stdin (a fifo we hold open) closes, and on their own when
# this shell goes away (parent watchdog); the server also after --max-seconds (1800).
# PYTHON (default python3) runs both; it needs confluent-kafka, PyJWT, gssapi (setup.sh).

SASL_FRONT_DIR_=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
declare -gA SASL_BOOT SASL_OUT SASL_MC_OUT SASL_PIDS_ SASL_FDS_ SASL_FIFOS_
SASL_BOOTSTRAP='' SASL_FRONT_OUT='' SASL_REPLY=''

_sasl_front_wait() { # FILE REGEX SECONDS PID -> 0 when a line matching REGEX appeared
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || { grep -qE "$2" "$1" 2>/dev/null; return; }
    sleep 0.1
  done
  return 1
}

# _sasl_front_launch KEY DIR CMD... : CMD with stdin on a fifo held by us, output in DIR/KEY.out/.err
_sasl_front_launch() {
  local key=$1 dir=$2 fd; shift 2
  rm -f "$dir/$key.in"; mkfifo "$dir/$key.in"
  "$@" < "$dir/$key.in" > "$dir/$key.out" 2> "$dir/$key.err" &
  SASL_PIDS_[$key]=$!
  exec {fd}> "$dir/$key.in"
  SASL_FDS_[$key]=$fd
  SASL_FIFOS_[$key]=$dir/$key
}

sasl_front_start() {
  local name=$1 dir=$2; shift 2
  local brokers=3 adv=127.0.0.1 topics=() py=${PYTHON:-python3}
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
      --brokers) brokers=$2; shift 2 ;;
      --adv-host) adv=$2; shift 2 ;;
      --topic) topics+=(--topic "$2"); shift 2 ;;
      *) echo "sasl_front_start: unknown option $1" >&2; return 2 ;;
    esac
  done
  [ "${1:-}" = -- ] && shift
  mkdir -p "$dir" || return 1
  local root=$SASL_FRONT_DIR_/../../..
  _sasl_front_launch "$name.mc" "$dir" "$py" "$root/tests/brokers/mock_cluster.py" --brokers "$brokers" "${topics[@]}"
  if ! _sasl_front_wait "$dir/$name.mc.out" '^BOOTSTRAP ' 30 "${SASL_PIDS_[$name.mc]}"; then
    echo "sasl front $name: the mock cluster did not start:"; tail -5 "$dir/$name.mc.err"; return 1
  fi
  local mcboot; mcboot=$(sed -n 's/^BOOTSTRAP //p' "$dir/$name.mc.out" | head -1)
  _sasl_front_launch "$name.sasl" "$dir" "$py" "$SASL_FRONT_DIR_/sasl_server.py" --upstream "$mcboot" "$@"
  if ! _sasl_front_wait "$dir/$name.sasl.out" '^READY ' 30 "${SASL_PIDS_[$name.sasl]}"; then
    echo "sasl front $name: sasl_server.py did not start:"; tail -5 "$dir/$name.sasl.err"; return 1
  fi
  local id port boot=
  while read -r _ id port; do
    if ! sasl_front_cmd "$name" mc broker_set_host_port "$id" "$adv" "$port"; then
      echo "sasl front $name: broker_set_host_port $id $adv $port: $SASL_REPLY"; return 1
    fi
    boot+=${boot:+,}$adv:$port
  done < <(grep '^LISTEN ' "$dir/$name.sasl.out")
  SASL_BOOT[$name]=$boot; SASL_OUT[$name]=$dir/$name.sasl.out; SASL_MC_OUT[$name]=$dir/$name.mc.out
  SASL_BOOTSTRAP=$boot; SASL_FRONT_OUT=$dir/$name.sasl.out
  export SASL_BOOTSTRAP SASL_FRONT_OUT
}

sasl_front_cmd() {
  local name=$1 which=$2; shift 2
  local key=$name.$which; local f=${SASL_FIFOS_[$key]:-}.out fd=${SASL_FDS_[$key]:-} n i
  SASL_REPLY="no such instance"
  [ -n "$fd" ] || return 1
  n=$(grep -cE '^(OK|ERR)' "$f")
  { echo "$*" >&"$fd"; } 2>/dev/null || return 1
  for ((i = 0; i < 100; i++)); do
    if [ "$(grep -cE '^(OK|ERR)' "$f")" -gt "$n" ]; then
      SASL_REPLY=$(grep -E '^(OK|ERR)' "$f" | tail -1)
      [[ $SASL_REPLY == OK* ]]; return
    fi
    sleep 0.1
  done
  SASL_REPLY="no reply in 10 s"; return 1
}

_sasl_front_stop_key() {
  local key=$1 pid=${SASL_PIDS_[$1]:-} fd=${SASL_FDS_[$1]:-} i
  if [ -n "$fd" ]; then { echo quit >&"$fd"; } 2>/dev/null; exec {fd}>&-; fi
  if [ -n "$pid" ]; then
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  fi
  [ -n "${SASL_FIFOS_[$key]:-}" ] && rm -f "${SASL_FIFOS_[$key]}.in"
  unset "SASL_PIDS_[$key]" "SASL_FDS_[$key]" "SASL_FIFOS_[$key]"
}

sasl_front_stop() {
  local k names=()
  if [ $# -gt 0 ]; then names=("$1"); else
    for k in "${!SASL_PIDS_[@]}"; do names+=("${k%.*}"); done
  fi
  for k in "${names[@]}"; do
    _sasl_front_stop_key "$k.sasl"   # the front first: its clients see a clean close
    _sasl_front_stop_key "$k.mc"
  done
  return 0
}
