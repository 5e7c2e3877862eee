"""ACL bindings and filters with their operation and permission enums."""

import functools

from ._model import _OrderedEnum, to_enum
from ._resource import ResourcePatternType, ResourceType


class AclOperation(_OrderedEnum):
    """An operation an ACL allows or denies (ANY: every operation, in filters)."""

    UNKNOWN = 0
    ANY = 1
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DELETE = 6
    ALTER = 7
    DESCRIBE = 8
    CLUSTER_ACTION = 9
    DESCRIBE_CONFIGS = 10
    ALTER_CONFIGS = 11
    IDEMPOTENT_WRITE = 12


class AclPermissionType(_OrderedEnum):
    """Whether an ACL allows or denies (ANY: both, in filters)."""

    UNKNOWN = 0
    ANY = 1
    DENY = 2
    ALLOW = 3


_FIELDS = ("restype", "name", "resource_pattern_type", "principal", "host", "operation", "permission_type")
_ENUMS = (("restype", ResourceType), ("resource_pattern_type", ResourcePatternType),
          ("operation", AclOperation), ("permission_type", AclPermissionType))


@functools.total_ordering
class AclBinding(object):
    """One ACL: who (principal, host) may or may not (permission_type) do what (operation)
    on which resources (restype, name, resource_pattern_type). Enum fields also take
    their name (any case) or int value."""

    # fields that must not be None; enum members refused per field
    _required = _FIELDS
    _refused = {"restype": (ResourceType.ANY,),
                "resource_pattern_type": (ResourcePatternType.ANY, ResourcePatternType.MATCH),
                "operation": (AclOperation.ANY,),
                "permission_type": (AclPermissionType.ANY,)}

    def __init__(self, restype, name, resource_pattern_type, principal, host, operation, permission_type):
        self.restype = restype
        self.name = name
        self.resource_pattern_type = resource_pattern_type
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission_type = permission_type
        for f in self._required:
            if getattr(self, f) is None:
                raise ValueError("Expected %s to be not None" % f)
        for f in ("name", "principal", "host"):
            v = getattr(self, f)
            if v is not None and not isinstance(v, str):
                raise TypeError("Expected %s to be a string" % f)
        for f, cls in _ENUMS:
            setattr(self, f, to_enum(getattr(self, f), cls))
        for f, refused in self._refused.items():
            v = getattr(self, f)
            if v in refused:
                raise ValueError("Cannot use enum %s, value %s in this class" % (f, v.name))
        self.restype_int = int(self.restype.value)
        self.resource_pattern_type_int = int(self.resource_pattern_type.value)
        self.operation_int = int(self.operation.value)
        self.permission_type_int = int(self.permission_type.value)

    def _to_tuple(self):
        return tuple(getattr(self, f) for f in _FIELDS)

    def _plain(self):
        """The binding as the native layer takes it."""
        return (self.restype_int, self.name, self.resource_pattern_type_int, self.principal, self.host,
                self.operation_int, self.permission_type_int)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ",".join("%s" % (v,) for v in self._to_tuple()))

    def __hash__(self):
        return hash(self._to_tuple())

    def __eq__(self, other):
        if not isinstance(other, AclBinding):
            return NotImplemented
        return self._to_tuple() == other._to_tuple()

    def __lt__(self, other):
        if not isinstance(other, AclBinding):
            return NotImplemented
        return self._to_tuple() < other._to_tuple()


class AclBindingFilter(AclBinding):
    """Matches ACL bindings: None strings match any value, ANY enum members any member
    (MATCH pattern type: names matching as the broker does)."""

    _required = ("restype", "resource_pattern_type", "operation", "permission_type")
    _refused = {"restype": (ResourceType.UNKNOWN,),
                "resource_pattern_type": (ResourcePatternType.UNKNOWN,),
                "operation": (AclOperation.UNKNOWN,),
                "permission_type": (AclPermissionType.UNKNOWN,)}
