"""kafkars' own mock cluster: a Kafka cluster in miniature for tests.

``MockCluster(num_brokers=3)`` runs brokers in this process on free 127.0.0.1 ports;
``bootstrap_servers()`` gives their list. As a launcher for people and other test
suites::

    python -m kafkars.mock [--brokers N] [--topic NAME[:PARTITIONS[:RF]]]...

prints ``BOOTSTRAP host:port,...`` and serves until its standard input closes,
``quit`` is read, or it gets SIGINT/SIGTERM.
"""

import argparse
import signal
import sys
import threading

from ._native import MockCluster

__all__ = ["MockCluster", "main"]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m kafkars.mock", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--brokers", type=int, default=3)
    ap.add_argument("--topic", action="append", default=[], metavar="NAME[:PARTITIONS[:RF]]")
    ap.add_argument("--rebalance-delay-ms", type=int, default=0,
                    help="group.initial.rebalance.delay.ms (default 0 here: fast tests)")
    args = ap.parse_args(argv)
    if args.brokers < 1:
        ap.error("--brokers must be at least 1")
    cluster = MockCluster(args.brokers)
    cluster.set_group_initial_rebalance_delay_ms(args.rebalance_delay_ms)
    for spec in args.topic:
        name, _, rest = spec.partition(":")
        parts, _, rf = rest.partition(":")
        cluster.create_topic(name, int(parts or 1), int(rf or -1))
    print("BOOTSTRAP " + cluster.bootstrap_servers(), flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def read_stdin():
        for line in sys.stdin:
            if line.strip() == "quit":
                break
        stop.set()

    threading.Thread(target=read_stdin, daemon=True).start()
    while not stop.wait(0.5):
        pass
    cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
