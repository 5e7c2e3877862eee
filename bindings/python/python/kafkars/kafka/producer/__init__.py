from .kafka import KafkaProducer  # noqa: F401
