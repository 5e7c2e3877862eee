# Sourced by the shell test suites: starts librdkafka's mock cluster (mock_cluster.py)
# in the background and stops it.
#   mock_cluster_start <dir> <launcher args...>   sets MC_BOOTSTRAP ("" if it did not
#                                                 start within 30 s; its stderr is shown)
#   mock_cluster_stop                             bounded; call it from the EXIT trap
# The launcher runs until its stdin closes: a fifo held open on a descriptor of ours.
MC_PID= MC_FD= MC_FIFO= MC_BOOTSTRAP=

mock_cluster_start() {
  local dir=$1; shift
  MC_FIFO=$(mktemp -u "$dir/mc.XXXXXX.in")
  mkfifo "$MC_FIFO"
  "${PYTHON:-python3}" tests/brokers/mock_cluster.py "$@" < "$MC_FIFO" > "$MC_FIFO.out" 2> "$MC_FIFO.err" &
  MC_PID=$!
  exec {MC_FD}> "$MC_FIFO"
  MC_BOOTSTRAP=
  for _ in $(seq 300); do
    MC_BOOTSTRAP=$(sed -n 's/^BOOTSTRAP //p' "$MC_FIFO.out")
    [ -n "$MC_BOOTSTRAP" ] && break
    kill -0 "$MC_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$MC_BOOTSTRAP" ]; then
    echo "mock cluster did not start:"; tail -20 "$MC_FIFO.err"
  fi
}

mock_cluster_stop() {
  [ -n "$MC_PID" ] || return 0
  if [ -n "$MC_FD" ]; then
    echo quit >&"$MC_FD" 2>/dev/null
    exec {MC_FD}>&-
  fi
  for _ in $(seq 50); do kill -0 "$MC_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$MC_PID" 2>/dev/null; wait "$MC_PID" 2>/dev/null
  rm -f "$MC_FIFO" "$MC_FIFO.out" "$MC_FIFO.err"
  MC_PID= MC_FD=
}
