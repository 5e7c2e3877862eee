#!/usr/bin/env python3
"""Python benchmark: produce and consume msgs/s through the kafkars package against the
originals, on the same broker, alternating, the median of BENCH_PY_ROUNDS rounds.

- kafkars vs confluent_kafka (pip wheel, genuine librdkafka 2.16): the same script with
  the module swapped, on librdkafka's 3-broker mock cluster: produce N 100-byte values
  (produce() + poll(0) per message, one flush), then consume N from a prefilled topic.
- kafkars.kafka vs kafka-python (pure Python), the same KafkaProducer script on Tansu
  (kafka-python cannot bootstrap from the mock): send() per message, one flush.

Usage: python_bench.py [--python PY]   (PY: the interpreter that has kafkars installed)
Env: BENCH_PY_ROUNDS (3), BENCH_PY_COUNT (200000), BENCH_PY_KPY_COUNT (30000).
Prints a table and ratios (kafkars / other; above 1 is faster).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "admin"))
from brokers import Broker  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_PY_ROUNDS", "3"))
COUNT = int(os.environ.get("BENCH_PY_COUNT", "200000"))
KPY_COUNT = int(os.environ.get("BENCH_PY_KPY_COUNT", "30000"))

# One run: prints msgs/s. argv: module mode bootstrap topic count
RUN = r'''
import sys, time
mod, mode, bs, topic, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
value = b"x" * 100
if mod in ("kafka", "kafkars.kafka"):
    import importlib
    KafkaProducer = importlib.import_module(mod).KafkaProducer
    p = KafkaProducer(bootstrap_servers=bs, linger_ms=5, batch_size=1000000, acks=1)
    p.send(topic, value).get(30)
    t = time.perf_counter()
    for i in range(n):
        p.send(topic, value)
    p.flush(120)
    print(n / (time.perf_counter() - t)); p.close(); sys.exit(0)
ck = __import__(mod)
if mode == "produce":
    p = ck.Producer({"bootstrap.servers": bs, "linger.ms": 5, "acks": 1,
                     "queue.buffering.max.messages": 2000000})
    p.produce(topic, value); p.flush(30)
    t = time.perf_counter()
    for i in range(n):
        try:
            p.produce(topic, value)
        except BufferError:
            p.poll(0.05); p.produce(topic, value)
        p.poll(0)
    left = p.flush(120)
    dt = time.perf_counter() - t
    assert left == 0, left
    print(n / dt)
else:
    c = ck.Consumer({"bootstrap.servers": bs, "group.id": "bench-%f" % time.time(),
                     "auto.offset.reset": "earliest", "enable.auto.commit": False})
    # The mock keeps ~5 MB per partition: read what the log holds (at most n).
    parts = c.list_topics(topic, timeout=10).topics[topic].partitions
    held = sum(hi - lo for lo, hi in (c.get_watermark_offsets(ck.TopicPartition(topic, p), timeout=10)
                                      for p in parts))
    n = min(n, held)
    c.subscribe([topic])
    got = 0
    m = None
    while m is None:
        m = c.poll(10)
    got = 1
    t = time.perf_counter()
    stop = time.time() + 60
    while got < n and time.time() < stop:
        got += len(c.consume(1000, 1))
    dt = time.perf_counter() - t
    c.close()
    assert got >= n, got
    print((got - 1) / dt)
'''


def run(py, mod, mode, bs, topic, n):
    p = subprocess.run([py, "-c", RUN, mod, mode, bs, topic, str(n)], capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        raise RuntimeError("%s %s failed: %s" % (mod, mode, p.stderr[-800:]))
    return float(p.stdout.strip().splitlines()[-1])


def compare(py, label, a, b, mode, bs, topic, n):
    ra, rb = [], []
    for _ in range(ROUNDS):
        ra.append(run(py, a, mode, bs, topic, n))
        rb.append(run(py, b, mode, bs, topic, n))
    ma, mb = statistics.median(ra), statistics.median(rb)
    print("%-44s %12.0f %12.0f %7.2fx" % (label, ma, mb, ma / mb))


def prefill(py, bs, topic, n):
    run(py, "confluent_kafka", "produce", bs, topic, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    py = args.python
    print("%-44s %12s %12s %8s" % ("python case (msgs/s, median of %d)" % ROUNDS, "kafkars", "other", "ratio"))
    b = Broker("mock", sys.stderr)
    try:
        bs = b.bootstrap
        compare(py, "produce 100 B, vs confluent_kafka (mock)", "kafkars", "confluent_kafka", "produce", bs,
                "bench-p", COUNT)
        prefill(py, bs, "bench-c", COUNT + 1)
        compare(py, "consume 100 B, vs confluent_kafka (mock)", "kafkars", "confluent_kafka", "consume", bs,
                "bench-c", COUNT)
    finally:
        b.stop()
    b = Broker("tansu", sys.stderr)
    try:
        compare(py, "produce 100 B, kafkars.kafka vs kafka-python (Tansu)", "kafkars.kafka", "kafka", "produce",
                b.bootstrap, "bench-k", KPY_COUNT)
    finally:
        b.stop()


if __name__ == "__main__":
    main()
