from .group import KafkaConsumer  # noqa: F401
