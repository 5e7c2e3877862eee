from . import RangePartitionAssignor  # noqa: F401
