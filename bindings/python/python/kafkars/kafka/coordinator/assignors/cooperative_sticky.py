from . import CooperativeStickyAssignor  # noqa: F401
