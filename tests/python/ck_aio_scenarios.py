"""asyncio scenarios of ck_scenarios.py (confluent_kafka.aio / kafkars.aio) on brokers:
AIOProducer (produce awaiting delivery, batching by size, flush, purge, close) and
AIOConsumer (assign/subscribe with async rebalance callbacks, poll, consume, commit,
close). Same topics and seed as ck_scenarios.py."""

import asyncio
import importlib
import time

from ck_common import TOTAL, cconf, ck, conf, drain, exc, msg, out, scenario

WAIT = 30


def _aio():
    return importlib.import_module(ck.real.__name__ + ".aio")


async def _acall(k, coro):
    """Awaits coro, prints its result (or exception) under k; returns the result or None."""
    try:
        r = await coro
    except Exception as e:  # noqa: BLE001 - recorded
        out(k, {"raised": exc(e)})
        return None
    out(k, r)
    return r


async def _settled(fut):
    """A delivery future's outcome: the message's place and value, or the exception."""
    try:
        m = await asyncio.wait_for(fut, WAIT)
    except asyncio.CancelledError:
        return "cancelled"
    except Exception as e:  # noqa: BLE001 - recorded
        return {"raised": exc(e)}
    return [m.topic(), m.partition(), m.offset(), m.key(), m.value(), m.error()]


async def _adrain(c, want, timeout=20):
    recs = []
    end = time.time() + timeout
    while time.time() < end and len(recs) < want:
        m = await c.poll(0.2)
        if m is not None and m.error() is None:
            recs.append(m)
    return sorted(recs, key=lambda m: (m.partition(), m.offset()))


@scenario("fresh")
def aio_produce():
    aio = _aio()

    async def main():
        p = aio.AIOProducer(conf(acks="all"))
        out("len.new", len(p))
        f = await p.produce("orders", b"v0", b"k0", partition=0)
        out("first.done_at_once", f.done())
        out("first", await _settled(f))  # sent by the linger timer (buffer_timeout 1 s)
        await _acall("flush.first", p.flush(WAIT))
        futs = [await p.produce("orders", b"b%d" % i, partition=1 + i % 2) for i in range(6)]
        futs.append(await p.produce("orders", "sträng", "kéy", partition=3))
        futs.append(await p.produce("orders", None, b"no-value", partition=3))
        out("len.buffered", len(p))
        await _acall("flush", p.flush(WAIT))
        out("len.flushed", len(p))
        out("batch", [await _settled(f) for f in futs])
        bad = await p.produce("orders", b"x", partition=99)
        await _acall("flush.bad_partition", p.flush(WAIT))
        out("bad_partition", await _settled(bad))
        kept = await p.produce("orders", b"purged", partition=3)
        await _acall("purge", p.purge())
        out("purge.buffered", [kept.cancelled(), len(p)])
        await _acall("close", p.close())
        out("len.closed", len(p))

        # batch_size: the third message sends the buffer; no linger timer, so the fourth
        # stays buffered until close() (delivery reports: served by flush())
        async with aio.AIOProducer(conf(), batch_size=3, buffer_timeout=0) as p2:
            fs = [await p2.produce("one", b"s%d" % i) for i in range(3)]
            out("by_size.buffered", p2._batch_processor.get_buffer_size())
            f4 = await p2.produce("one", b"s3")
            await asyncio.sleep(0.5)
            out("by_size.fourth_waits", [f4.done(), p2._batch_processor.get_buffer_size()])
            await _acall("by_size.flush", p2.flush(WAIT))
            out("by_size", [await _settled(f) for f in fs])
        out("by_size.closed", await _settled(f4))

        c = ck.Consumer(cconf("g-aio-produce"))
        c.assign([ck.TopicPartition(t, i, ck.OFFSET_BEGINNING) for t, n in (("orders", 4), ("one", 1))
                  for i in range(n)])
        recs, _ = drain(c, 13)
        out("readback", [[m.topic(), m.partition(), m.offset(), m.key(), m.value()] for m in recs])
        c.close()

    asyncio.run(main())


@scenario("seeded")
def aio_consume_assign():
    aio = _aio()
    TP = ck.TopicPartition

    async def main():
        c = aio.AIOConsumer(cconf("g-aio-assign"))
        await _acall("assign", c.assign([TP("orders", p, ck.OFFSET_BEGINNING) for p in range(4)]))
        out("assignment", sorted(await c.assignment()))
        recs = await _adrain(c, TOTAL)
        out("records", [msg(m) for m in recs])
        out("position", sorted(await c.position([TP("orders", p) for p in range(4)])))
        await _acall("watermarks", c.get_watermark_offsets(TP("orders", 1), timeout=10))
        await _acall("seek", c.seek(TP("orders", 2, 3)))
        got = []
        end = time.time() + 10
        while len(got) < 2 and time.time() < end:
            got += [m for m in await c.consume(2, 1) if m.error() is None]
        out("consume.after_seek", [[m.partition(), m.offset(), m.value()] for m in got])
        await _acall("consume.empty", c.consume(5, 0.5))
        await _acall("commit", c.commit(offsets=[TP("orders", 0, 2), TP("orders", 1, 3)], asynchronous=False))
        await _acall("committed", c.committed([TP("orders", p) for p in range(2)], timeout=10))
        await _acall("pause", c.pause([TP("orders", 0)]))
        await _acall("resume", c.resume([TP("orders", 0)]))
        await _acall("unassign", c.unassign())
        # concurrent calls on one consumer (serialized in both libraries)
        r = await asyncio.gather(c.assignment(), c.poll(0.1), c.consumer_group_metadata())
        out("concurrent", [r[0], r[1], type(r[2]).__name__])
        await _acall("close", c.close())
        await _acall("after_close", c.poll(0.1))

    asyncio.run(main())


@scenario("seeded")
def aio_consume_subscribe():
    aio = _aio()
    TP = ck.TopicPartition
    events = []

    async def on_assign(consumer, partitions):
        events.append(["assign", type(consumer).__name__, sorted(partitions)])
        # re-entrant: the call that fired this callback is still in flight
        await consumer.assign(partitions)

    async def on_revoke(consumer, partitions):  # (confluent_kafka.aio takes coroutine functions only)
        events.append(["revoke", type(consumer).__name__, sorted(partitions)])

    commits = []

    async def on_commit(err, partitions):
        commits.append([err, sorted(partitions)])

    async def main():
        c = aio.AIOConsumer(cconf("g-aio-sub", on_commit=on_commit), max_workers=4)
        await _acall("subscribe", c.subscribe(["orders"], on_assign=on_assign, on_revoke=on_revoke))
        recs = await _adrain(c, TOTAL, timeout=30)
        out("records", [[m.partition(), m.offset(), m.key(), m.value()] for m in recs])
        out("assignment", sorted(await c.assignment()))
        last = {}
        for m in recs:
            last[m.partition()] = m.offset() + 1
        await _acall("commit", c.commit(offsets=[TP("orders", p, o) for p, o in sorted(last.items())],
                                        asynchronous=False))
        end = time.time() + 5
        while not commits and time.time() < end:
            await c.poll(0.1)
        out("on_commit", commits)
        await _acall("committed", c.committed([TP("orders", p) for p in range(4)], timeout=10))
        await _acall("unsubscribe", c.unsubscribe())
        await _acall("close", c.close())
        out("events", events)

    asyncio.run(main())
