from . import RoundRobinPartitionAssignor  # noqa: F401
