#!/usr/bin/env python3
"""KIP-848 (group.protocol=consumer) with kafkars as the client, next to genuine
librdkafka 2.16 doing the same steps, on two brokers: librdkafka 2.16's mock cluster
and kafkars' own (tests/brokers/mock_cluster.py without and with --lib).

Each scenario of kip848_client.py runs with the pip confluent_kafka wheel's genuine
librdkafka, with the same wheel on kafkars (LD_PRELOAD=build/lib/libkafkars.so), and
with the kafkars Python package (its confluent_kafka API, build/pyenv): every record is
checked against what the scenario must show, and kafkars' records must equal genuine's
on the same broker. A mixed group (one genuine process, one kafkars process)
splits the partitions and hands them over when either leaves.

Usage: python3 tests/python/kip848.py   (run from anywhere; pip confluent-kafka 2.16)
Prints "ok: NAME" / "FAIL: NAME: detail" and "N passed, M failed"; exits 1 on failure.
"""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = os.environ.get("KAFKARS_PYTHON", "python3")
VENV_PY = os.path.join(ROOT, "build", "pyenv", "bin", "python")
LIBS = ("genuine", "kafkars", "package")
KAFKARS = os.path.join(ROOT, "build", "lib", "libkafkars.so")
COMPAT = os.path.join(ROOT, "build", "compat", "librdkafka.so.1")
CLIENT = os.path.join(ROOT, "tests", "python", "kip848_client.py")
LAUNCHER = os.path.join(ROOT, "tests", "brokers", "mock_cluster.py")
BUDGET_S = 240

PASSED, FAILED = [], []
LOCK = threading.Lock()

# What each scenario must show (records not listed are only compared with genuine's).
EXPECT = {
    "group": {"produced": True, "a-alone-gets-6": True, "memberid-set": True, "split-3-3": True,
              "a-revoked-3-then-no-assign-needed": True, "b-assigned-incrementally": [3],
              "stats-cgrp": {"assignment_size": 3, "join_state": "steady", "state": "up"},
              "commit-errors": [], "committed": [[p, 10] for p in range(6)], "takeover-6": True,
              "resumed-at": [[p, 10] for p in range(6)]},
    "fenced": {"joined-6": True, "push": "OK", "lost-6": True, "back-6": True, "same-member-id": True},
    "static": {"split": True, "same-partitions-back": True, "other-member-untouched": True},
    "regex": {"matched": True, "topics": ["a", "b"]},
    "maxpoll": {"split": True, "other-takes-6": True, "max-poll-error": True, "back-3-3": True},
    "config": {
        "session.timeout.ms": "Failed to create consumer: `session.timeout.ms` is not supported for `group.protocol=consumer` or "
                              "share consumer. It is defined broker side",
        "heartbeat.interval.ms": "Failed to create consumer: `heartbeat.interval.ms` is not supported for `group.protocol=consumer` "
                                 "or share consumer. It is defined broker side",
        "partition.assignment.strategy": "Failed to create consumer: `partition.assignment.strategy` is not supported for "
                                         "`group.protocol=consumer`. Use `group.remote.assignor` instead",
        "group.protocol.type": "Failed to create consumer: `group.protocol.type` is not supported for `group.protocol=consumer` "
                               "or share consumer"},
}


def check(name, cond, detail=""):
    with LOCK:
        (PASSED if cond else FAILED).append(name)
        print(("ok: %s" % name) if cond else ("FAIL: %s: %s" % (name, detail)), flush=True)


class Broker:
    """A mock cluster launcher; one command at a time on its stdin."""

    def __init__(self, label, lib):
        args = [PY, LAUNCHER, "--brokers", "3"] + (["--lib", lib] if lib else [])
        env = dict(os.environ)
        env.pop("LD_PRELOAD", None)
        self.label, self.lock = label, threading.Lock()
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, env=env)
        self.bs = None
        line = self.p.stdout.readline()
        if line.startswith("BOOTSTRAP "):
            self.bs = line.split()[1]

    def cmd(self, line):
        with self.lock:
            self.p.stdin.write(line + "\n")
            self.p.stdin.flush()
            return self.p.stdout.readline().strip()

    def stop(self):
        try:
            self.p.stdin.close()
            self.p.wait(10)
        except Exception:  # noqa: BLE001 - killed below
            self.p.kill()
            self.p.wait()


def run_client(broker, scenario, topic, lib, arg="", answer=None, timeout=90):
    """Runs one scenario process; returns its records. `answer(line)` answers commands
    that are not broker commands (mixed group)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if lib == "kafkars":
        env["LD_PRELOAD"] = KAFKARS
    if lib == "package":
        env["KIP848_MODULE"] = "kafkars"
    py = VENV_PY if lib == "package" else PY
    p = subprocess.Popen([py, CLIENT, scenario, broker.bs, topic] + ([arg] if arg else []),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    recs = {}
    try:
        for line in p.stdout:
            if line.startswith("rec: "):
                key, value = line[5:].strip().split(" ", 1)
                recs[key] = json.loads(value)
            elif line.startswith("cmd: "):
                c = line[5:].strip()
                reply = answer(c) if answer and not c.startswith(("push_", "topic_")) else broker.cmd(c)
                p.stdin.write(reply + "\n")
                p.stdin.flush()
        p.wait()
    finally:
        timer.cancel()
    if not recs.get("done"):
        recs["stderr"] = p.stderr.read()[-800:]
    return recs


def compare(broker, scenario, recs):
    label = "%s.%s" % (broker.label, scenario)
    gen = recs["genuine"]
    for lib in LIBS:
        check("%s.%s-ran" % (label, lib), recs[lib].get("done") is True, recs[lib].get("stderr", ""))
    for key, want in EXPECT.get(scenario, {}).items():
        got = {lib: recs[lib].get(key) for lib in LIBS}
        check("%s.%s" % (label, key), all(v == want for v in got.values()), "got %r, want %r" % (got, want))
    same = {k for k in gen if k not in ("lib", "stderr")}
    for lib in LIBS[1:]:
        diff = {k: (recs[lib].get(k), gen.get(k)) for k in sorted(same) if recs[lib].get(k) != gen.get(k)}
        check("%s.%s-as-genuine" % (label, lib), not diff, "%s vs genuine: %s" % (lib, diff))


def scenario_pair(broker, scenario, parallel=True):
    recs = {}

    def one(lib):
        topic = "%s-%s" % (scenario, lib)
        arg = ""
        if scenario == "regex":
            arg = "rx%s" % lib
            for t in ("a", "b"):
                broker.cmd("topic_create %s%s 2 1" % (arg, t))
        else:
            broker.cmd("topic_create %s 6 1" % topic)
        recs[lib] = run_client(broker, scenario, topic, lib, arg)

    if parallel:
        with ThreadPoolExecutor(len(LIBS)) as ex:
            list(ex.map(one, LIBS))
    else:
        for lib in LIBS:
            one(lib)
    compare(broker, scenario, recs)


def mixed(broker, leaver):
    """One genuine and one kafkars member in one group: 3 partitions each; the `leaver`
    closes and the other takes all 6."""
    topic = "mixed-%s" % leaver
    broker.cmd("topic_create %s 6 1" % topic)
    group = "%s-%d" % (topic, time.time() * 1000 % 1e8)
    ready = threading.Barrier(2, timeout=60)
    recs = {}

    def one(lib):
        def answer(_line):
            try:
                ready.wait()
            except threading.BrokenBarrierError:
                return "close"
            if lib == leaver:
                return "close"
            time.sleep(0.5)  # the leaver's close goes first
            return "stay"
        recs[lib] = run_client(broker, "member", topic, lib, "%s:3" % group, answer)

    with ThreadPoolExecutor(2) as ex:
        list(ex.map(one, ("genuine", "kafkars")))
    label = "%s.mixed-%s-leaves" % (broker.label, leaver)
    check("%s.split-3-3" % label, all(recs[x].get("share") is True for x in recs), recs)
    stayer = "kafkars" if leaver == "genuine" else "genuine"
    check("%s.%s-takes-all" % (label, stayer), recs[stayer].get("takes-all") is True, recs[stayer])


def mixed_share(broker):
    """KIP-932: one genuine and one kafkars share consumer in one share group: every
    record is delivered once, to one of them, with delivery count 1."""
    topic = "mixedshare"
    broker.cmd("topic_create %s 6 1" % topic)
    group = "%s-%d" % (topic, time.time() * 1000 % 1e8)
    total = 60
    recs = {}

    ready = threading.Barrier(2, timeout=60)

    def answer(_line):
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            pass
        return "go"

    def one(lib):
        # Once both are members, the genuine process produces; both share the records.
        arg = "%s:%d" % (group, total if lib == "genuine" else 0)
        recs[lib] = run_client(broker, "share", topic, lib, arg, answer)

    with ThreadPoolExecutor(2) as ex:
        list(ex.map(one, ("genuine", "kafkars")))
    label = "%s.mixed-share" % broker.label
    got = {lib: [tuple(x) for x in recs[lib].get("got", [])] for lib in recs}
    both = got["genuine"] + got["kafkars"]
    offsets = sorted((p, o) for p, o, _ in both)
    want = sorted((p, o) for p in range(6) for o in range(total // 6))
    check("%s.every-record-once" % label, offsets == want,
          "%d delivered, %d distinct, want %d" % (len(offsets), len(set(offsets)), len(want)))
    check("%s.both-members-got-records" % label, all(got[x] for x in got),
          {x: len(got[x]) for x in got})
    check("%s.delivery-count-1" % label, all(d == 1 for _, _, d in both), both[:5])


def main():
    threading.Timer(BUDGET_S, lambda: (print("FAIL: budget exceeded", flush=True), os._exit(1))).start()
    t0 = time.monotonic()
    for label, lib in (("rdkafka-mock", None), ("kafkars-mock", COMPAT)):
        b = Broker(label, lib)
        try:
            if not b.bs:
                check("%s.bootstrap" % label, False, "no BOOTSTRAP line")
                continue
            b.cmd("group_consumer_heartbeat_interval_ms 500")
            b.cmd("group_consumer_session_timeout_ms 6000")
            b.cmd("sharegroup_set auto_offset_reset 1")  # earliest: records produced first
            b.cmd("sharegroup_set heartbeat_interval 500")
            with ThreadPoolExecutor(3) as ex:
                list(ex.map(lambda s: scenario_pair(b, s), ("group", "static", "regex", "maxpoll", "config")))
            # An injected error goes to whichever heartbeat comes next: one client at a time.
            scenario_pair(b, "fenced", parallel=False)
            mixed(b, "genuine")
            mixed(b, "kafkars")
            mixed_share(b)
        finally:
            b.stop()
        print("%s: %.1f s" % (label, time.monotonic() - t0), flush=True)
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)), flush=True)
    os._exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
