#!/usr/bin/env python3
"""Write interleaved transactions with genuine librdkafka (pip confluent-kafka).

Two transactional producers share one partition: "P1" commits, "P2" aborts, their
batches interleaved; then P2 commits a second transaction, and a plain producer
adds messages outside any transaction. Values say what each message is:
  commit-<txn>-<i>  committed transactional message
  abort-<txn>-<i>   message of an aborted transaction
  plain-<i>         non-transactional message
Prints one JSON line: {"committed": [values], "aborted": [values], "plain": [...]}.
"""

import argparse
import json
import sys

try:
    import confluent_kafka as ck
except ImportError:
    sys.stderr.write("produce_txn.py: needs the pip confluent-kafka package (set KAFKARS_PYTHON)\n")
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--count", type=int, default=5, help="messages per transaction")
    a = ap.parse_args()

    def txn_producer(tid):
        p = ck.Producer({"bootstrap.servers": a.bootstrap, "transactional.id": tid, "linger.ms": 0})
        p.init_transactions(10)
        return p

    out = {"committed": [], "aborted": [], "plain": []}
    p1, p2 = txn_producer("kafkars-txn-1"), txn_producer("kafkars-txn-2")
    p1.begin_transaction()
    p2.begin_transaction()
    for i in range(a.count):
        # flush after each message: one batch each, so the two producers' batches interleave
        v = "commit-a-%d" % i
        p1.produce(a.topic, value=v.encode(), key=b"k", partition=0)
        p1.flush(10)
        out["committed"].append(v)
        v = "abort-b-%d" % i
        p2.produce(a.topic, value=v.encode(), partition=0, headers=[("h", b"x")])
        p2.flush(10)
        out["aborted"].append(v)
    p2.abort_transaction(10)
    p1.commit_transaction(10)
    p2.begin_transaction()
    for i in range(a.count):
        v = "commit-c-%d" % i
        p2.produce(a.topic, value=v.encode(), partition=0)
        out["committed"].append(v)
    p2.commit_transaction(10)
    plain = ck.Producer({"bootstrap.servers": a.bootstrap})
    for i in range(a.count):
        v = "plain-%d" % i
        plain.produce(a.topic, value=v.encode(), partition=0)
        out["plain"].append(v)
    if plain.flush(10) != 0:
        sys.exit("plain producer did not deliver")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
