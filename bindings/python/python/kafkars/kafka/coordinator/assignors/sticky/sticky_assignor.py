from .. import StickyPartitionAssignor  # noqa: F401
