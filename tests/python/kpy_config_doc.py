#!/usr/bin/env python3
"""The kafka-python config table: every key kafka-python (pip) accepts has a row, and the
table printed by kafkars.kafka._config.markdown() is the one README.md and
bindings/python/KAFKA_PYTHON_CONFIG.md show (so the docs cannot drift from the code).
Prints "ok - ..." / "not ok - ..." and "N passed, M failed"."""

import os
import sys

import kafka
from kafka.admin import KafkaAdminClient

from kafkars.kafka import _config

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
results = []


def check(name, ok, why=""):
    results.append(ok)
    print(("ok - %s" % name) if ok else ("not ok - %s # %s" % (name, why)))


table = _config.markdown()
rows = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
for cls in (kafka.KafkaProducer, kafka.KafkaConsumer, KafkaAdminClient):
    missing = sorted(k for k in cls.DEFAULT_CONFIG if k not in rows)
    check("%s: every config key has a row" % cls.__name__, not missing, "missing: %s" % missing)
for doc in ("README.md", os.path.join("bindings", "python", "KAFKA_PYTHON_CONFIG.md")):
    with open(os.path.join(ROOT, doc)) as f:
        text = f.read()
    check("%s shows the table markdown() prints" % doc, table in text,
          "regenerate it: python -m kafkars.kafka._config")
print("%d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
