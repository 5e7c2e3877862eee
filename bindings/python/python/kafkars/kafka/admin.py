"""kafka-python's KafkaAdminClient is not available in kafkars.kafka yet."""


class KafkaAdminClient:
    """Not implemented: kafkars has no native admin binding for Python yet."""

    def __init__(self, **configs):
        raise NotImplementedError(
            "kafkars.kafka.KafkaAdminClient is not implemented yet (kafkars' Python binding has no "
            "admin client); use kafka-python's kafka.KafkaAdminClient meanwhile")
