"""kafkars.admin: confluent_kafka.admin's API (the AdminClient comes with the Admin API
binding; this holds the metadata classes list_topics() returns)."""

from ._metadata import BrokerMetadata, ClusterMetadata, PartitionMetadata, TopicMetadata  # noqa: F401
