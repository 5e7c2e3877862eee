from . import AbstractPartitionAssignor  # noqa: F401
