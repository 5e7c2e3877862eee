# Sourced by the shell test runners: counting checks and reporting them the same way.
#   result <name> <rc> <log>   adds a program's "N passed, M failed" line; a crash, a
#                              timeout or a non-zero exit without failed checks counts
#                              as one more failure (a death before the summary too)
#   one <name> <0 = ok>        a single check done by the runner itself
#   show <log> [lines]         a log's tail without its summary line
# The counts accumulate in passed, failed and failures.
passed=0
failed=0
failures=()

show() { grep -v -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n "${2:-40}"; }

result() {
  local name=$1 rc=$2 log=$3 p f
  read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p+0, f+0 }' "$log")
  # Died before its summary: its FAIL lines so far, and the death itself.
  if ! grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log"; then f=$(( $(grep -c '^FAIL' "$log") + 1 )); fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "--- $name: ok ($p checks)"
  else
    echo "--- $name: FAILED (exit $rc, $f failing of $((p + f)); log $log)"
    [ "$rc" -eq 124 ] && echo "timed out"
    [ "$rc" -gt 128 ] && [ "$rc" -ne 137 ] && echo "killed by signal $((rc - 128)) before its summary line"
    [ "$rc" -eq 9 ] && echo "valgrind reported errors (see ${log%.log}.stderr)"
    grep -ho 'undefined symbol: [A-Za-z0-9_]*' "$log" "${log%.log}.stderr" 2>/dev/null | sort -u
    grep -E '^FAIL' "$log" | head -60
    grep -qE '^FAIL' "$log" || show "$log" 40
    failures+=("$name")
  fi
}

one() {
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "--- $1: ok"
  else failed=$((failed + 1)); echo "--- $1: FAILED"; failures+=("$1"); fi
}
