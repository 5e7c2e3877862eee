"""kafka-python's coordinator package: only the assignor names exist in kafkars.kafka (the
group protocol is librdkafka's)."""
