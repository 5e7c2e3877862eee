# On PYTHONPATH for tests/python/upstream.sh: with UPSTREAM_ALIAS=confluent_kafka (or kafka)
# set, `import confluent_kafka` (`import kafka`) loads kafkars (kafkars.kafka) in this
# interpreter and in every subprocess that inherits the environment. See kafkars_alias.py.
import os

if os.environ.get("UPSTREAM_ALIAS"):
    import kafkars_alias

    kafkars_alias.install(os.environ["UPSTREAM_ALIAS"])
