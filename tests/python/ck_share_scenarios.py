"""Share consumer (KIP-932) scenarios for ck_scenarios.py, on librdkafka's mock cluster (the
launcher starts its share groups at the earliest offset): what a member of a share group
gets, acknowledges and is told. Batches are cut as timing has it, so the output is per
record and per partition, sorted, never per batch."""

import time

from ck_common import TOTAL, J, call, ck, conf, exc, out, scenario


@scenario("seeded", brokers=("mock",))
def share_consume():
    acked = {}
    errors = []

    def on_ack(offsets, e):
        for tp, offs in offsets.items():
            acked.setdefault("%s/%d" % (tp.topic, tp.partition), set()).update(offs)
        if e is not None:
            errors.append(exc(e))

    sc = ck.ShareConsumer(conf(group_id="g-share", share_acknowledgement_mode="explicit"))
    call("set_acknowledgement_commit_callback", sc.set_acknowledgement_commit_callback, on_ack)
    call("subscribe", sc.subscribe, ["orders"])
    call("subscription", sc.subscription)
    got, commits, batch_type = [], {}, None
    end = time.time() + 30
    # Offset 0 of partition 0 is released once: the group gives it out again, counted.
    while time.time() < end and len(got) < TOTAL + 1:
        batch = sc.poll(0.5)
        batch_type = type(batch).__name__
        for m in batch:
            if m.error() is not None:
                errors.append(J(m.error()))
                continue
            got.append([m.partition(), m.offset(), m.key(), m.value(), m.delivery_count()])
            release = (m.partition(), m.offset(), m.delivery_count()) == (0, 0, 1)
            sc.acknowledge(m, ck.AcknowledgeType.RELEASE if release else ck.AcknowledgeType.ACCEPT)
        if batch.count():
            for tp, v in sc.commit_sync(10).items():
                commits["%s/%d" % (tp.topic, tp.partition)] = J(v)
    out("poll.returns", batch_type)
    out("records", sorted(got))
    out("commit_sync", sorted(commits.items()))
    call("acknowledge_offset.not_in_flight", sc.acknowledge_offset, "orders", 0, 0)
    call("commit_sync.nothing_pending", sc.commit_sync, 5)
    call("commit_async", sc.commit_async)
    call("close", sc.close)
    out("acknowledged", sorted((k, sorted(v)) for k, v in acked.items()))
    out("errors", errors)
    call("poll.after_close", sc.poll, 0.1)
