"""Section E of own_mock.py: KIP-932 share groups with genuine confluent_kafka
ShareConsumers (explicit acknowledgements) against a mock_cluster.py process, the
same scenario on librdkafka's mock and on kafkars'. `h` is own_mock itself (its
check, uniq and _close_all), so the checks count in its totals."""

import time

TOPIC = "sh"


class ShareRun:
    """One share group scenario against a mock_cluster.py process (its commands on
    stdin): explicit acknowledgements by genuine confluent_kafka ShareConsumers."""

    def __init__(self, ck, proc, bs, label):
        self.ck, self.proc, self.bs, self.label = ck, proc, bs, label
        self.clients = []

    def cmd(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def consumer(self, group):
        c = self.ck.ShareConsumer({"bootstrap.servers": self.bs, "group.id": group,
                                   "share.acknowledgement.mode": "explicit"})
        c.subscribe([TOPIC])
        self.clients.append(c)
        return c

    def members(self, group):
        answer = self.cmd("sharegroup_member_ids %s" % group)
        return answer.split()[1:] if answer.startswith("OK") else []

    def poll(self, consumers, secs, on_msg, done=lambda: False):
        """Polls each consumer in turn; on_msg(consumer, message) must acknowledge."""
        deadline = time.monotonic() + secs
        while time.monotonic() < deadline and not done():
            for c in consumers:
                for m in c.poll(0.1):
                    if not m.error():
                        on_msg(c, m)
        return done()

    def join(self, group, consumers, timeout=20):
        """Polls until the mock counts every consumer as a member, then a little more
        so that each has its assignment."""
        ok_ = self.poll(consumers, timeout, lambda c, m: c.acknowledge(m),
                        lambda: len(self.members(group)) == len(consumers))
        self.poll(consumers, 1.5, lambda c, m: c.acknowledge(m))
        return ok_

    def produce(self, values, partitions=(0, 1, 2, 3)):
        """Produces `values` round robin over `partitions`; True once all are acked."""
        p = self.ck.Producer({"bootstrap.servers": self.bs, "linger.ms": 5})
        for i, v in enumerate(values):
            p.produce(TOPIC, value=v, partition=partitions[i % len(partitions)])
        return p.flush(20) == 0


def e_share(h, ck, proc, bs, label):
    """Two share consumers: every record once when all accept; release, reject; a
    consumer closing with records unacknowledged hands them to the other."""
    r = ShareRun(ck, proc, bs, label)
    group = h.uniq("share")
    try:
        h.check("%s.settings" % label,
              r.cmd("sharegroup_set auto_offset_reset 1") == "OK"
              and r.cmd("sharegroup_set heartbeat_interval 500") == "OK")
        c1, c2 = r.consumer(group), r.consumer(group)
        h.check("%s.two-members" % label, r.join(group, [c1, c2]), "members %s" % r.members(group))
        h.check("%s.produce-40" % label, r.produce([b"m%d" % i for i in range(40)]))
        seen, by = {}, {c1: 0, c2: 0}

        def accept(c, m):
            key = (m.partition(), m.offset())
            seen[key] = seen.get(key, 0) + 1
            by[c] += 1
            c.acknowledge(m)

        r.poll([c1, c2], 20, accept, lambda: len(seen) >= 40)
        r.poll([c1, c2], 1.5, accept)  # nothing may come twice
        h.check("%s.every-record-once" % label, len(seen) == 40 and set(seen.values()) == {1},
              "distinct %d, deliveries %s" % (len(seen), sorted(set(seen.values()))))
        h.check("%s.both-members-receive" % label, by[c1] > 0 and by[c2] > 0,
              "c1 %d, c2 %d" % (by[c1], by[c2]))
        # Release one record and reject another: the first comes back, the second never.
        h.check("%s.produce-rel-rej" % label, r.produce([b"rel", b"rej"], (0,)))
        counts = {b"rel": [], b"rej": []}

        def release_reject(c, m):
            v = m.value()
            if v in counts:
                counts[v].append(m.delivery_count())
            if v == b"rel" and len(counts[v]) == 1:
                c.acknowledge(m, ck.AcknowledgeType.RELEASE)
            elif v == b"rej":
                c.acknowledge(m, ck.AcknowledgeType.REJECT)
            else:
                c.acknowledge(m)

        r.poll([c1, c2], 20, release_reject, lambda: len(counts[b"rel"]) >= 2)
        r.poll([c1, c2], 2, release_reject)
        h.check("%s.released-comes-back-with-count-2" % label, counts[b"rel"] == [1, 2],
              "delivery counts of the released record: %s" % counts[b"rel"])
        h.check("%s.rejected-never-comes-back" % label, counts[b"rej"] == [1],
              "delivery counts of the rejected record: %s" % counts[b"rej"])
        # c1 takes records and closes without acknowledging them: c2 gets them.
        h.check("%s.produce-8" % label, r.produce([b"c%d" % i for i in range(8)]))
        held, later = set(), {}

        def hold(c, m):
            held.add(m.value())

        deadline = time.monotonic() + 15
        while not held and time.monotonic() < deadline:
            for m in c1.poll(0.2):  # one batch, left unacknowledged
                if not m.error():
                    hold(c1, m)
        c1.close()
        r.clients.remove(c1)

        def take(c, m):
            later[m.value()] = m.delivery_count()
            c.acknowledge(m)

        r.poll([c2], 25, take, lambda: held and held <= set(later))
        h.check("%s.unacknowledged-go-to-the-other" % label,
              bool(held) and held <= set(later) and all(later[v] >= 2 for v in held),
              "held by c1 %s, c2 got %s" % (sorted(held), sorted(later.items())))
    finally:
        h._close_all(r.clients)


def e_manual(h, ck, proc, bs, label):
    """rd_kafka_mock_sharegroup_target_assignment: member A gets partition 1 only,
    B partition 2 only, and their records follow."""
    r = ShareRun(ck, proc, bs, label)
    group = h.uniq("sharem")
    try:
        a, b = r.consumer(group), r.consumer(group)
        h.check("%s.two-members" % label, r.join(group, [a, b]), "members %s" % r.members(group))
        ids = r.members(group)
        # Which id is whose: each member's records (partitions) tell after assignment.
        answer = r.cmd("sharegroup_target_assignment %s %s=%s:1 %s=%s:2" % (group, ids[0], TOPIC, ids[1], TOPIC))
        h.check("%s.target-assignment" % label, answer == "OK", answer)
        r.poll([a, b], 3, lambda c, m: c.acknowledge(m))
        h.check("%s.produce-manual" % label, r.produce([b"x%d" % i for i in range(20)]))
        got = {a: set(), b: set()}

        def note(c, m):
            got[c].add(m.partition())
            c.acknowledge(m)

        r.poll([a, b], 15, note, lambda: len(got[a] | got[b]) >= 2)
        r.poll([a, b], 1.5, note)
        split = sorted([sorted(got[a]), sorted(got[b])])
        h.check("%s.records-follow-the-manual-assignment" % label, split == [[1], [2]],
              "partitions read: a %s, b %s" % (sorted(got[a]), sorted(got[b])))
    finally:
        h._close_all(r.clients)


def e_fatal(h, mods, proc, bs, label):
    """A fatal heartbeat error (GROUP_AUTHORIZATION_FAILED pushed on ShareGroupHeartbeat)
    comes out of poll() as a KafkaException whose KafkaError says fatal(), on genuine
    confluent_kafka and on the kafkars package alike; no record is handed out after it."""
    for name, ck in mods:
        r = ShareRun(ck, proc, bs, label)
        group = h.uniq("sharefatal")
        try:
            c = r.consumer(group)
            h.check("%s.%s.joined" % (label, name), r.join(group, [c]), "members %s" % r.members(group))
            answer = r.cmd("push_request_errors ShareGroupHeartbeat GROUP_AUTHORIZATION_FAILED")
            err, after, deadline = None, 0, time.monotonic() + 15
            while time.monotonic() < deadline and err is None:
                try:
                    for m in c.poll(0.2):
                        c.acknowledge(m)
                except ck.KafkaException as e:
                    err = e.args[0]
            h.check("%s.%s.fatal-error" % (label, name),
                    answer == "OK" and err is not None and err.fatal()
                    and err.code() == ck.KafkaError.GROUP_AUTHORIZATION_FAILED,
                    "push %s, raised %r" % (answer, err))
            r.produce([b"late%d" % i for i in range(4)])
            for _ in range(5):
                try:
                    after += len([m for m in c.poll(0.2) if not m.error()])
                except ck.KafkaException:
                    pass
            h.check("%s.%s.no-record-after-fatal" % (label, name), after == 0, "%d records" % after)
        finally:
            h._close_all(r.clients)
