#!/usr/bin/env bash
# Drop-in check with real Debian programs linked against librdkafka.so.1:
#   rsyslogd + omkafka      (packages rsyslog, rsyslog-kafka)
#   collectd + write_kafka  (package collectd-core)
# run unmodified on kafkars through the compat link. Each program runs the same scenario
# twice against one mock cluster: on genuine librdkafka (Debian's 2.0.2: the control, so a
# failure there is a setup problem, not kafkars') and with LD_LIBRARY_PATH=<compat>.
# Per run: the process maps the expected library (/proc/PID/maps), every record sent to it
# arrives in Kafka exactly once and byte-exact (read back with genuine librdkafka: pip
# confluent-kafka through tests/oracle/read_topic.py), and it exits cleanly on SIGTERM.
# Also what the plugins use beyond produce: omkafka's errorFile (delivery reports) and
# statsFile (stats_cb), write_kafka's partitioner_cb.
# Prints one "N passed, M failed" line and exits non-zero on any failure.
# Logs and the generated configs go to build/interop-debian/.
#
# KAFKARS_COMPAT_DIR: directory with librdkafka.so.1 -> libkafkars.so (default build/compat).
# KAFKARS_DEBIAN_RECORDS: records sent to each program per run (default 20).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
COMPAT=${KAFKARS_COMPAT_DIR:-$ROOT/build/compat}
PY=${KAFKARS_PYTHON:-python3}
NREC=${KAFKARS_DEBIAN_RECORDS:-20}
OUT=$ROOT/build/interop-debian
rm -rf "$OUT"; mkdir -p "$OUT"
# Configs, sockets and state live in a private temp dir (unix socket paths must stay short).
TMP=$(mktemp -d)
# Run-unique and alphanumeric, so it can be part of a collectd identifier.
TOKEN=kr$(date +%s)$$
OMKAFKA=$(ls /usr/lib/*/rsyslog/omkafka.so 2>/dev/null | head -n 1)
OMKAFKA=${OMKAFKA:-/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so}
WRITE_KAFKA=/usr/lib/collectd/write_kafka.so

passed=0; failed=0; failures=(); broken_controls=()
check() { # check <name> <rc>: one assertion
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok: $1"
  else failed=$((failed + 1)); echo "FAILED: $1"; failures+=("$1"); fi
}
finish() {
  echo
  [ ${#failures[@]} -gt 0 ] && printf 'failing: %s\n' "${failures[@]}"
  for p in "${broken_controls[@]}"; do
    echo "note: $p fails on genuine librdkafka too: a setup problem; its kafkars result proves nothing"
  done
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# ---- processes we start: the mock cluster and the programs; all stopped on exit ----
running=()
source tests/brokers/mock_cluster.sh
cleanup() {
  for p in "${running[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  mock_cluster_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 130" INT TERM HUP   # so an interrupted run still stops what it started

# lib_env <genuine|kafkars>: sets LIBENV, the env(1) prefix that runs a program on that
# library. A plain command, not a function: in the background, env execs the program, so
# $! is the program itself.
lib_env() {
  if [ "$1" = kafkars ]; then LIBENV=(env -u LD_PRELOAD LD_LIBRARY_PATH="$COMPAT")
  else LIBENV=(env -u LD_PRELOAD -u LD_LIBRARY_PATH); fi
}
# launch <lib> <logprefix> cmd...: starts cmd in the background on lib; sets PID.
launch() {
  local log=$2
  lib_env "$1"; shift 2
  "${LIBENV[@]}" "$@" > "$log.stdout" 2> "$log.stderr" &
  PID=$!
  running+=("$PID")
}
# stop <pid>: SIGTERM, up to 20 s to exit, then SIGKILL; sets STOP_RC (137 when killed).
stop() {
  local pid=$1 p keep=()
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pid $pid still running 20 s after SIGTERM: killed"
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; STOP_RC=137
  else
    wait "$pid"; STOP_RC=$?
  fi
  for p in "${running[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  running=("${keep[@]}")
}
# wait_for <seconds> <pid> <test...>: polls the test while the process lives.
wait_for() {
  local n=$(($1 * 10)) pid=$2; shift 2
  for _ in $(seq "$n"); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# The library file a run must map: kafkars through the compat link, or Debian's librdkafka.
GENUINE_LIB=$(readlink -f "$(ldconfig -p | awk '$1 == "librdkafka.so.1" { print $NF; exit }')")
KAFKARS_LIB=$(readlink -f "$COMPAT/librdkafka.so.1")
# check_maps <lib> <pid> <name>: the process maps exactly one librdkafka, the expected one.
check_maps() {
  local want=$GENUINE_LIB got
  [ "$1" = kafkars ] && want=$KAFKARS_LIB
  got=$(awk '$6 ~ /\/(librdkafka|libkafkars)[^\/]*$/ { print $6 }' "/proc/$2/maps" 2>/dev/null | sort -u)
  echo "$3 maps: ${got:-nothing like librdkafka}"
  check "$3 loads $(basename "$want") ($1)" "$([ "$got" = "$want" ]; echo $?)"
}

# read_back <topic> <dump>: every record of the topic, to partition EOF, read with genuine
# librdkafka (pip confluent-kafka), one JSON line each (tests/oracle/read_topic.py).
read_back() {
  timeout -k 5 40 "$PY" tests/oracle/read_topic.py --bootstrap "$B" --topic "$1" --timeout 20 \
    > "$2" 2> "$2.err"
}
# verify <raw|json|command> <expected> <dump> [plugin]: the records carrying TOKEN equal the
# expected lines exactly (as a multiset); json/command are collectd's formats, normalized to
# "host/plugin-inst/type-inst time:value". With [plugin]: that plugin's values showed up too.
verify() {
  "$PY" - "$TOKEN" "$@" <<'PY'
import base64, collections, json, re, sys
token, fmt, exp_path, dump_path = sys.argv[1:5]
want_plugin = sys.argv[5] if len(sys.argv) > 5 else None
expected = collections.Counter(l.rstrip("\n") for l in open(exp_path))
got, others = collections.Counter(), collections.Counter()

def ident(host, plugin, pinst, typ, tinst):
    return "%s/%s%s/%s%s" % (host, plugin, "-" + pinst if pinst else "", typ, "-" + tinst if tinst else "")

for line in open(dump_path):
    value = base64.b64decode(json.loads(line)["value"] or "").decode("utf-8", "replace")
    recs = []  # (identifier, time, first value)
    if fmt == "raw":
        got[value] += 1
        continue
    if fmt == "json":
        for d in json.loads(value):
            recs.append((ident(d["host"], d["plugin"], d["plugin_instance"], d["type"], d["type_instance"]),
                         d["time"], d["values"][0]))
    else:  # PUTVAL <identifier> interval=<s> <time>:<value>
        for cmd in value.splitlines():
            m = re.fullmatch(r'PUTVAL "?([^" ]+)"? interval=\S+ ([0-9.]+):(\S+)', cmd.strip())
            if not m:
                print("unparsable record: %r" % cmd); got[cmd] += 1
                continue
            recs.append((m.group(1), m.group(2), m.group(3)))
    for name, t, v in recs:
        if token in name:
            got["%s %.3f:%g" % (name, float(t), float(v))] += 1
        else:
            others[name.split("/")[1]] += 1

missing, extra = expected - got, got - expected
print("%d of %d expected records, %d unexpected or duplicated; other plugins: %s" % (
    sum((expected & got).values()), sum(expected.values()), sum(extra.values()),
    dict(others) if others else "none"))
for r in list(missing)[:3]: print("  missing: %.100r" % r)
for r in list(extra)[:3]: print("  unexpected: %.100r" % r)
ok = not missing and not extra and (want_plugin is None or any(p.split("-")[0] == want_plugin for p in others))
sys.exit(0 if ok else 1)
PY
}
# arrives <name> <fmt> <topic> <expected> <dump> [plugin]: polls the topic (bounded, 30 s)
# until verify passes; one assertion.
arrives() {
  local name=$1 fmt=$2 topic=$3 exp=$4 dump=$5 want=${6:-} rc=1 end=$((SECONDS + 30))
  while [ $SECONDS -lt $end ]; do
    read_back "$topic" "$dump"
    verify "$fmt" "$exp" "$dump" ${want:+"$want"} > "$dump.verify" && { rc=0; break; }
    sleep 0.5
  done
  sed 's/^/    /' "$dump.verify"
  check "$name" $rc
}

# ---- prerequisites ----
missing=()
for f in /usr/sbin/rsyslogd "$OMKAFKA" /usr/sbin/collectd "$WRITE_KAFKA" "$COMPAT/librdkafka.so.1"; do
  [ -e "$f" ] || missing+=("$f")
done
"$PY" -c 'import confluent_kafka' 2>/dev/null || missing+=("$PY: pip confluent-kafka")
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]} (run tests/setup.sh; make compat)"
  check "prerequisites" 1; finish
fi
echo "kafkars: $KAFKARS_LIB; genuine: $GENUINE_LIB; token $TOKEN; $NREC records per run"

# ---- mock cluster (3 brokers; a topic per program, format and library) ----
topics=()
for l in genuine kafkars; do
  topics+=(--topic "rsyslog-$l:3" --topic "collectd-json-$l:3" --topic "collectd-cmd-$l:3")
done
mock_cluster_start "$TMP" --brokers 3 "${topics[@]}"
B=$MC_BOOTSTRAP
if [ -z "$B" ]; then
  check "mock cluster starts" 1; finish
fi
echo "mock cluster: $B"

# ---- rsyslogd + omkafka ----
# imtcp on 127.0.0.1, port 0 (rsyslogd writes the one it got to a file) feeds a ruleset whose
# only action is omkafka; the value is %rawmsg%, the line exactly as sent. rsyslogd's own
# messages go to a file, not to Kafka.
rsyslog_run() {
  local lib=$1   # separate line: the next one expands $lib before local runs
  local d=$TMP/rsyslog-$lib log=$OUT/rsyslog.$lib topic=rsyslog-$lib name="rsyslog/omkafka ($lib)" brokers
  rm -rf "$d"; mkdir -p "$d"
  brokers=$(echo "$B" | sed 's/[^,]*/"&"/g; s/,/, /g')
  cat > "$d/rsyslog.conf" <<EOF
global(workDirectory="$d" processInternalMessages="on")   # own messages: to the file below
module(load="imtcp")
module(load="omkafka")
template(name="raw" type="string" string="%rawmsg%")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="$d/port" ruleset="tokafka")
ruleset(name="tokafka") {
  action(type="omkafka" broker=[$brokers] topic="$topic" template="raw"
         partitions.auto="on" errorFile="$d/omkafka-errors.json"
         statsFile="$d/stats.json"
         confParam=["compression.codec=snappy", "statistics.interval.ms=200"])
}
action(type="omfile" file="$log.internal.log")
EOF
  cp "$d/rsyslog.conf" "$log.conf"
  for i in $(seq "$NREC"); do
    # A pad of 0-1960 bytes (under imtcp's 8 KiB line limit), so the sizes differ.
    printf '<13>Dec  3 12:00:00 kafkars-test interop: %s rsyslog record %d of %d %s\n' \
      "$TOKEN" "$i" "$NREC" "$(head -c $((i % 50 * 40)) /dev/zero | tr '\0' x)"
  done > "$log.sent"

  echo "=== $name"
  # -N1: config check only; it loads omkafka, so a missing symbol shows up here first.
  lib_env "$lib"
  "${LIBENV[@]}" timeout 30 /usr/sbin/rsyslogd -N1 -f "$d/rsyslog.conf" > "$log.check" 2>&1
  check "$name: rsyslogd -N1 accepts the config (omkafka loads)" $?
  launch "$lib" "$log" /usr/sbin/rsyslogd -n -f "$d/rsyslog.conf" -i "$d/rsyslogd.pid"
  local pid=$PID
  wait_for 15 "$pid" test -s "$d/port"
  check "$name starts and listens" $?
  if [ ! -s "$d/port" ]; then
    stop "$pid"; return 1
  fi
  check_maps "$lib" "$pid" rsyslogd
  # LF-framed syslog over TCP, as a relay would send it.
  timeout 20 bash -c 'cat "$1" > "/dev/tcp/127.0.0.1/$2"' _ "$log.sent" "$(cat "$d/port")"
  arrives "$name: all $NREC records arrive byte-exact, once each (while running)" \
    raw "$topic" "$log.sent" "$log.topic"
  sleep 1   # five statistics.interval.ms ticks after delivery, for the statsFile check
  stop "$pid"
  echo "rsyslogd exit code after SIGTERM: $STOP_RC"
  check "$name exits cleanly on SIGTERM" "$([ "$STOP_RC" -eq 0 ]; echo $?)"
  # errorFile gets one JSON line per message omkafka failed to deliver.
  [ -s "$d/omkafka-errors.json" ] && { cp "$d/omkafka-errors.json" "$log.omkafka-errors.json"; head -3 "$log.omkafka-errors.json"; }
  check "$name: omkafka's errorFile is empty" "$([ ! -s "$d/omkafka-errors.json" ]; echo $?)"
  # statsFile: omkafka writes librdkafka's stats_cb JSON there (buffered: complete only once
  # rsyslogd has stopped) and parses it for its own counters.
  cp "$d/stats.json" "$log.stats.json" 2>/dev/null
  "$PY" - "$log.stats.json" "$topic" "$NREC" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
sent = max([s.get("txmsgs", 0) for s in rows if s.get("type") == "producer" and sys.argv[2] in s.get("topics", {})] or [-1])
print("    %d statistics lines; txmsgs up to %d" % (len(rows), sent))
sys.exit(0 if sent >= int(sys.argv[3]) else 1)
PY
  check "$name: statsFile gets librdkafka statistics JSON (txmsgs reaches $NREC)" $?
  # omkafka reports librdkafka's error_cb and its own failures in rsyslogd's log.
  grep -i kafka "$log.internal.log" 2>/dev/null | head -n 5
  check "$name: no omkafka errors in rsyslogd's log" "$(! grep -qi kafka "$log.internal.log" 2>/dev/null; echo $?)"
  read_back "$topic" "$log.topic.final"
  verify raw "$log.sent" "$log.topic.final" > "$log.topic.final.verify"
  local rc=$?
  sed 's/^/    /' "$log.topic.final.verify"
  check "$name: after shutdown the topic holds exactly the $NREC records" $rc
}

# ---- collectd + write_kafka ----
# Values come in through the unixsock plugin (PUTVAL with known times and values) and from
# the load plugin (a real read plugin, every second); write_kafka sends everything to two
# topics, one in JSON and one in collectd's command format.
collectd_run() {
  local lib=$1
  local d=$TMP/collectd-$lib log=$OUT/collectd.$lib name="collectd/write_kafka ($lib)"
  local tj=collectd-json-$lib tc=collectd-cmd-$lib
  rm -rf "$d"; mkdir -p "$d"
  cat > "$d/collectd.conf" <<EOF
Hostname "kafkars-test"
FQDNLookup false
BaseDir "$d"
PIDFile "$d/collectd.pid"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
Interval 1
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$log.log"
  Timestamp true
</Plugin>
LoadPlugin unixsock
<Plugin unixsock>
  SocketFile "$d/sock"
</Plugin>
LoadPlugin load
LoadPlugin write_kafka
<Plugin write_kafka>
  Property "metadata.broker.list" "$B"
  <Topic "$tj">
    Format JSON
  </Topic>
  <Topic "$tc">
    Format Command
  </Topic>
</Plugin>
EOF
  cp "$d/collectd.conf" "$log.conf"
  # PUTVAL lines to send, and what each must come out as (normalized, see verify).
  local t0 i
  t0=$(( $(date +%s) - 1000 ))
  : > "$log.putval"; : > "$log.expected"
  for i in $(seq "$NREC"); do
    echo "PUTVAL kafkars-test/kafkars-$TOKEN/gauge-r$i interval=1 $((t0 + i)):$i.25" >> "$log.putval"
    echo "kafkars-test/kafkars-$TOKEN/gauge-r$i $((t0 + i)).000:$i.25" >> "$log.expected"
  done

  echo "=== $name"
  launch "$lib" "$log" /usr/sbin/collectd -f -C "$d/collectd.conf"
  local pid=$PID
  wait_for 15 "$pid" test -S "$d/sock"
  check "$name starts (unixsock up)" $?
  if [ ! -S "$d/sock" ]; then
    stop "$pid"; return 1
  fi
  check_maps "$lib" "$pid" collectd
  # write_kafka makes its producers on the first write: wait for the load plugin's values in
  # both topics, so the PUTVALs below meet producers that know the partitions.
  : > "$log.none"
  arrives "$name: load plugin values reach the JSON topic" json "$tj" "$log.none" "$log.json.load" load
  arrives "$name: load plugin values reach the command topic" command "$tc" "$log.none" "$log.cmd.load" load
  # unixsock answers each PUTVAL with "0 Success: ..." once it has dispatched it.
  timeout 20 "$PY" - "$d/sock" "$log.putval" > "$log.putval.replies" 2>&1 <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
bad = 0
for cmd in open(sys.argv[2]):
    f.write(cmd); f.flush()
    reply = f.readline().strip(); print(reply)
    bad += not reply.startswith("0 ")
sys.exit(1 if bad else 0)
PY
  check "$name: unixsock accepts the $NREC PUTVALs" $?
  arrives "$name: JSON topic has all $NREC values exactly once (while running)" \
    json "$tj" "$log.expected" "$log.json"
  arrives "$name: command topic has all $NREC values exactly once (while running)" \
    command "$tc" "$log.expected" "$log.cmd"
  stop "$pid"
  echo "collectd exit code after SIGTERM: $STOP_RC"
  check "$name exits cleanly on SIGTERM" "$([ "$STOP_RC" -eq 0 ]; echo $?)"
  local fmt topic rc
  for fmt in json command; do
    topic=$tj; [ $fmt = command ] && topic=$tc
    read_back "$topic" "$log.$fmt.final"
    verify "$fmt" "$log.expected" "$log.$fmt.final" > "$log.$fmt.final.verify"
    rc=$?
    sed 's/^/    /' "$log.$fmt.final.verify"
    check "$name: after shutdown the $fmt topic still has each value exactly once" $rc
  done
  # write_kafka keys each record with a random 8-hex-digit string and installs a
  # partitioner_cb: djb2 over the key bytes, last byte first, modulo the partition count,
  # moving on past partitions rd_kafka_topic_partition_available() calls unavailable. With
  # all 3 partitions up (the PUTVALs came after the first records were delivered), each of
  # our records must sit in partition djb2(key) % 3.
  "$PY" - "$TOKEN" "$log.json.final" "$log.command.final" <<'PY'
import base64, json, sys
def djb2_reversed(key):
    h = 5381
    for b in reversed(key):
        h = (h * 33 + b) & 0xFFFFFFFF
    return h
rows = [json.loads(l) for f in sys.argv[2:] for l in open(f)]
rows = [r for r in rows if sys.argv[1] in base64.b64decode(r["value"]).decode()]
bad = [r for r in rows if r["key"] is None or djb2_reversed(base64.b64decode(r["key"])) % 3 != r["partition"]]
print("    %d records, %d not in their partitioner_cb partition, on partitions %s" % (
    len(rows), len(bad), sorted({r["partition"] for r in rows})))
sys.exit(1 if bad or not rows else 0)
PY
  check "$name: each value is in the partition write_kafka's partitioner_cb chose" $?
}

# On a failing run, the programs' own complaints (a missing symbol, a config error).
complaints() {
  grep -hiE 'undefined symbol|error|fail|abort|segv' "$OUT/$1".{check,stderr,log} 2>/dev/null \
    | head -n 8 | cut -c1-300 | sed 's/^/    /'
}
for prog in rsyslog collectd; do
  for lib in genuine kafkars; do
    f0=$failed
    "${prog}_run" "$lib"
    if [ "$failed" -gt "$f0" ]; then
      complaints "$prog.$lib"
      [ "$lib" = genuine ] && broken_controls+=("$prog")
    fi
  done
done
finish
