#!/usr/bin/env python3
"""Normalises the log of tests/c/plugin/test_interceptor.c, as written by a run of
tests/c/interceptor_api.c, to what must come out the same on genuine librdkafka
and on kafkars. run_interceptors.sh diffs the two.

  icpt_normalize.py <log>

Kept exactly (with the plugin path as <plugin>, the library version as <version>):
  - everything on the application thread, in order: conf_init, on_conf_set (runs of
    identical consecutive calls collapsed to one: genuine librdkafka calls on_conf_set
    once with the name the application used and once more while storing the value),
    on_conf_dup (with its filter list), on_new, on_send, on_conf_destroy, and the
    program's own "mark" lines; only the calls replaying a conf_dup (in librdkafka's
    property table order) are sorted;
Summarised, because the interleaving between threads is timing-dependent:
  - on_acknowledgement per partition, in order, with offset, error and thread (the
    application's, or "internal" for any of the library's), and whether the delivery
    report came after it;
  - on_consume per partition, in order, and whether consumer_poll returned that
    message right after it;
  - on_commit: each call in order, offsets sorted, thread, after which mark it came;
    auto commits before close only as "reached the final offsets" (over all of them:
    each carries the partitions that moved; genuine's second
    commit of the same final offsets at close is not required);
  - threads per instance: main/background start and exit counts and names (kafkars'
    group thread, main-type and named "cgrp", only checked for pairing), broker
    thread starts == exits, every start on a new thread, every exit on its thread;
  - brokers (the internal and the logical GroupCoordinator broker, port 0, are
    left out; which brokers get connected depends on the partition leaders the
    mock picks per topic): every broker's first state INIT and last DOWN, UP only
    after TRY_CONNECT, CONNECT, APIVERSION_QUERY, requests only to brokers UP,
    node ids -1 (bootstrap) or the broker's own;
  - requests: the set of ApiKeys sent (without Heartbeat, whose count is timing,
    and KIP-714 telemetry 71/72, which only newer librdkafka sends), all sent on
    broker threads, each ApiKey also seen by on_response_received;
  - instance lifecycle: on_new before anything else of the instance, on_destroy
    after the main thread's exit and before broker threads exit, the conf's
    on_conf_destroy after everything else of the instance.
"""
import collections
import re
import sys

IGNORED_APIS = {12, 71, 72}  # Heartbeat, GetTelemetrySubscriptions, PushTelemetry
CONNECT_STATES = ("TRY_CONNECT", "CONNECT", "APIVERSION_QUERY")


def fields(line):
    """event, dict of key=value fields, thread role."""
    ev = line.split(" ", 1)[0]
    d = dict(re.findall(r"(\w[\w.]*)=(\S*)", line))
    return ev, d, d.get("thr", "")


def rk_of(line):
    m = re.match(r"\S+ (rk\d+)\b", line)
    return m.group(1) if m else None


def main():
    lines = [l.rstrip("\n") for l in open(sys.argv[1], errors="replace")]
    plugin = None
    bootstrap = []
    for l in lines:
        if l.startswith("mark plugin "):
            plugin = l[len("mark plugin "):]
        elif l.startswith("mark bootstrap "):
            bootstrap = l[len("mark bootstrap "):].split(",")
    ports = {}
    for i, hp in enumerate(bootstrap):
        ports[hp.rsplit(":", 1)[1]] = "b%d" % i

    bs = ",".join(bootstrap)

    def clean(l):
        if plugin:
            l = l.replace(plugin, "<plugin>")
        if bs:
            l = l.replace(bs, "<bootstrap>")
        l = re.sub(r"client\.software\.version=\S+", "client.software.version=<version>", l)
        l = re.sub(r"topic=icpt_\S+", "topic=<topic>", l)
        l = re.sub(r"icpt_\d+_\d+", "<topic>", l)
        return l

    # split into sections
    sections = []
    cur = None
    for l in lines:
        m = re.match(r"mark begin (\S+)$", l)
        if m:
            cur = (m.group(1), [])
            sections.append(cur)
            continue
        if re.match(r"mark end \S+$", l):
            cur = None
            continue
        if cur is not None:
            cur[1].append(l)

    out = []
    for name, sl in sections:
        out.append("== %s" % name)
        if name in ("plugin-errors", "plugin-conf"):
            prev = None
            block = None  # the replay of a conf_dup: sorted
            for l in sl + ["mark (end)"]:
                l = clean(l)
                if l.startswith("mark "):
                    if block:
                        out.extend(sorted(block))
                    block = [] if l.startswith("mark dup") else None
                if l.startswith("on_conf_set") and l == prev:
                    continue
                prev = l
                if block is not None and not l.startswith(("mark ", "on_conf_dup")):
                    block.append(l)
                elif l != "mark (end)":
                    out.append(l)
            continue
        out.extend(instance_section(name, sl, clean, ports))
    sys.stdout.write("\n".join(out) + "\n")


def instance_section(name, sl, clean, ports):
    out = []
    # ---- the application thread, in order ----
    prev = None
    app_skip = ("on_broker_state_change", "on_consume", "on_acknowledgement", "on_request_sent",
                "on_response_received")
    for l in sl:
        ev, d, thr = fields(l)
        if l.startswith("mark "):
            if l.startswith(("mark dr ", "mark consumed ", "mark consumer event")):
                continue
        elif thr != "app" or ev in app_skip:
            continue
        l = clean(l)
        if l.startswith("on_conf_set") and l == prev:
            continue
        out.append("app: " + l)
        prev = l

    rks = []
    for l in sl:
        r = rk_of(l)
        if r and r not in rks:
            rks.append(r)
    marks_before = []  # index -> last mark text before it
    last_mark = "(start)"
    for l in sl:
        if l.startswith("mark "):
            last_mark = clean(l[5:])
        marks_before.append(last_mark)

    for rk in rks:
        idx = [i for i, l in enumerate(sl) if rk_of(l) == rk]
        out.extend(acks(rk, sl, idx, clean))
        out.extend(consumes(rk, sl, idx))
        out.extend(commits(name, rk, sl, idx, clean, marks_before))
        out.extend(threads(rk, sl, idx))
        out.extend(brokers(rk, sl, idx, ports))
        out.extend(requests(rk, sl, idx, ports))
        out.extend(lifecycle(rk, sl, idx))
    return out


def acks(rk, sl, idx, clean):
    byp = collections.defaultdict(list)
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev != "on_acknowledgement":
            continue
        key = d.get("key")
        dr = "none"
        for j, l in enumerate(sl):
            if l.startswith("mark dr key=%s " % key):
                dr = "after" if j > i else "BEFORE"
                break
        # Which internal thread reports an outcome is the library's business (a
        # partition that turned out not to exist: genuine's main thread, kafkars'
        # broker thread); the application thread (refused in the produce call) is not.
        thr = "internal" if thr in ("main", "broker") else thr
        byp[int(d["partition"])].append("off=%s key=%s err=%s thr=%s dr=%s" % (
            d["offset"], key, d["err"], thr, dr))
    return ["%s ack p%d: %s" % (rk, p, a) for p in sorted(byp) for a in byp[p]]


def consumes(rk, sl, idx):
    byp = collections.defaultdict(list)
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev != "on_consume":
            continue
        key = d.get("key")
        # the next application-thread line must be the poll returning this message
        nxt = "?"
        for l in sl[i + 1:]:
            e2, d2, t2 = fields(l)
            if l.startswith("mark ") or t2 == "app":
                nxt = "returned-next" if l.startswith("mark consumed key=%s " % key) else "NOT-NEXT"
                break
        byp[int(d["partition"])].append("off=%s key=%s err=%s thr=%s %s" % (
            d["offset"], key, d["err"], thr, nxt))
    return ["%s consume p%d: %s" % (rk, p, c) for p in sorted(byp) for c in byp[p]]


def commits(section, rk, sl, idx, clean, marks_before):
    out = []
    final = {}  # partition -> next offset, from the consumed marks
    for l in sl:
        m = re.match(r"mark consumed key=\S+ partition=(\d+) offset=(\d+)", l)
        if m:
            p, o = int(m.group(1)), int(m.group(2))
            final[p] = max(final.get(p, 0), o + 1)
    close = next((i for i, l in enumerate(sl) if l == "mark close"), len(sl))
    auto_final = auto_other = 0
    auto_thr = set()
    committed = {}  # partition -> offset, over the auto commits so far
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev != "on_commit":
            continue
        offs = sorted(d["offsets"].split(",")) if d.get("offsets") else []
        offs = [clean(o) for o in offs]
        if section == "autocommit" and i >= close and auto_final and d["err"] == "NO_ERROR" \
                and all(re.match(r".*/(\d+)@(-?\d+):NO_ERROR$", o) and
                        final.get(int(re.match(r".*/(\d+)@", o).group(1))) ==
                        int(re.match(r".*@(-?\d+):", o).group(1))
                        for o in d.get("offsets", "").split(",")):
            # Genuine librdkafka commits the unchanged final offsets once more at close
            # (its stored and committed positions differ in leader epoch only).
            continue
        if section == "autocommit" and i < close:
            # A commit carries only the partitions that moved since the last one.
            for o in d.get("offsets", "").split(","):
                m = re.match(r".*/(\d+)@(\d+):NO_ERROR$", o)
                if m:
                    committed[int(m.group(1))] = int(m.group(2))
            if d["err"] == "NO_ERROR" and committed == final:
                auto_final += 1
            else:
                auto_other += 1
            auto_thr.add(thr)
            continue
        out.append("%s commit: err=%s cnt=%s offsets=%s thr=%s after=[%s]" % (
            rk, d["err"], d["cnt"], ",".join(offs), thr, marks_before[i]))
    if section == "autocommit":
        out.insert(0, "%s auto commit before close: %s, threads %s" % (
            rk, "reached the final offsets" if auto_final else "NEVER reached the final offsets",
            ",".join(sorted(auto_thr))))
    return out


def threads(rk, sl, idx):
    cnt = collections.Counter()
    names = collections.defaultdict(set)
    fresh = same = True
    for i in idx:
        ev, d, thr = fields(sl[i])
        # kafkars runs the consumer group on a main-type thread of its own ("cgrp"):
        # its pairing is checked below, the main thread's count and name here.
        if d.get("type") == "main" and d.get("name") == "cgrp":
            if ev == "on_thread_exit" and thr != d["type"]:
                same = False
            continue
        if ev == "on_thread_start":
            cnt[(d["type"], "start")] += 1
            if d["type"] != "broker":
                names[d["type"]].add(d["name"])
            if d.get("was") != "other":
                fresh = False
        elif ev == "on_thread_exit":
            cnt[(d["type"], "exit")] += 1
            if thr != d["type"]:
                same = False
    out = []
    for t in ("main", "background"):
        out.append("%s threads %s: %d started, %d exited, names %s" % (
            rk, t, cnt[(t, "start")], cnt[(t, "exit")], ",".join(sorted(names[t])) or "-"))
    nb_s, nb_e = cnt[("broker", "start")], cnt[("broker", "exit")]
    out.append("%s threads broker: %s, starts %s exits" % (
        rk, "some" if nb_s > 0 else "NONE", "==" if nb_s == nb_e else "!="))
    out.append("%s threads: every on_thread_start on a new thread: %s; every on_thread_exit on its own thread: %s" % (
        rk, "yes" if fresh else "NO", "yes" if same else "NO"))
    return out


def port_of(name):
    m = re.match(r".*:(\d+)/", name or "")
    return m.group(1) if m else None


def brokers(rk, sl, idx, ports):
    """Which brokers get connected depends on partition leaders (the mock picks them
    per topic) and on the bootstrap broker picked: only properties of every one."""
    states = collections.defaultdict(list)
    first_up = {}
    first_avq = {}
    bad_ids = set()
    other = set()
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev != "on_broker_state_change" or d.get("port") == "0":
            continue
        port = d["port"]
        states[port].append(d["state"])
        if d["state"] == "UP" and port not in first_up:
            first_up[port] = i
        if d["state"] == "APIVERSION_QUERY" and port not in first_avq:
            first_avq[port] = i
        # the mock numbers its brokers 1..N in bootstrap order
        b = ports.get(port)
        want = int(b[1:]) + 1 if b else None
        if int(d["id"]) not in (-1, want):
            bad_ids.add("%s:%s" % (port, d["id"]))
        if d.get("proto") != "plaintext" or d.get("name") != "127.0.0.1":
            other.add("proto=%s name=%s" % (d.get("proto"), d.get("name")))
    first_init = all(s[0] == "INIT" for s in states.values())
    last_down = all(s[-1] == "DOWN" for s in states.values())
    via = all(all(c in s[:s.index("UP")] for c in CONNECT_STATES) for s in states.values() if "UP" in s)
    up_before_req = True
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev == "on_request_sent":
            port = port_of(d.get("broker"))
            # ApiVersions goes out in state APIVERSION_QUERY, everything else once UP
            first = first_avq if d.get("api") == "18" else first_up
            if port and not (port in first and first[port] < i):
                up_before_req = False
    out = ["%s brokers: %s, first state INIT: %s, last state DOWN: %s" % (
        rk, "some reached UP" if first_up else "NONE reached UP", yn(first_init), yn(last_down))]
    out.append("%s brokers: UP only after TRY_CONNECT, CONNECT, APIVERSION_QUERY: %s; "
               "requests only to brokers UP (ApiVersions: APIVERSION_QUERY): %s" % (rk, yn(via), yn(up_before_req)))
    out.append("%s brokers: node ids -1 or the broker's: %s; proto and name: %s" % (
        rk, yn(not bad_ids) + ("" if not bad_ids else " " + ",".join(sorted(bad_ids))),
        "plaintext, 127.0.0.1" if not other else ",".join(sorted(other))))
    return out


def yn(b):
    return "yes" if b else "NO"


def requests(rk, sl, idx, ports):
    sent = set()
    recv = set()
    sent_thr = set()
    fd_ok = True
    for i in idx:
        ev, d, thr = fields(sl[i])
        if ev == "on_request_sent":
            a = int(d["api"])
            if a in IGNORED_APIS:
                continue
            sent.add(a)
            sent_thr.add(thr)
            if d.get("fd") != "open" or d.get("size", "0") == "0":
                fd_ok = False
        elif ev == "on_response_received":
            recv.add(int(d["api"]))
    out = ["%s requests: ApiKeys %s, sent on %s, open fd and size>0: %s" % (
        rk, ",".join(str(a) for a in sorted(sent)) or "-", ",".join(sorted(sent_thr)) or "-", yn(fd_ok))]
    missing = sorted(sent - recv)
    out.append("%s requests: every ApiKey sent has on_response_received: %s" % (
        rk, "yes" if not missing else "NO (%s)" % ",".join(map(str, missing))))
    return out


def lifecycle(rk, sl, idx):
    out = []
    first = fields(sl[idx[0]])[0] if idx else "-"
    out.append("%s lifecycle: first event %s" % (rk, first))
    conf = None
    for i in idx:
        m = re.match(r"on_new \S+ (c\d+)", sl[i])
        if m:
            conf = m.group(1)
    d_i = [i for i in idx if sl[i].startswith("on_destroy ")]
    if not d_i:
        out.append("%s lifecycle: NO on_destroy" % rk)
        return out
    di = d_i[0]
    out.append("%s lifecycle: on_destroy x%d thr=%s" % (rk, len(d_i), fields(sl[di])[2]))
    main_exit = [i for i in idx if sl[i].startswith("on_thread_exit ") and "type=main" in sl[i]]
    out.append("%s lifecycle: main thread exit before on_destroy: %s" % (
        rk, "yes" if main_exit and main_exit[0] < di else "no"))
    bexit_after = sum(1 for i in idx if i > di and sl[i].startswith("on_thread_exit ") and "type=broker" in sl[i])
    out.append("%s lifecycle: broker threads exit after on_destroy: %s" % (rk, "yes" if bexit_after else "no"))
    cd = [i for i, l in enumerate(sl) if conf and l.startswith("on_conf_destroy %s " % conf)]
    out.append("%s lifecycle: on_conf_destroy %s x%d, after everything of the instance: %s" % (
        rk, conf, len(cd), "yes" if cd and cd[0] > idx[-1] else "NO"))
    return out


if __name__ == "__main__":
    main()
