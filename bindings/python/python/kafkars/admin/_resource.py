"""Resource types and resource pattern types (ACLs, configs)."""

from ._model import _OrderedEnum


class ResourceType(_OrderedEnum):
    """The kind of a Kafka resource; ANY matches every kind in filters."""

    UNKNOWN = 0
    ANY = 1
    TOPIC = 2
    GROUP = 3
    BROKER = 4
    TRANSACTIONAL_ID = 5


class ResourcePatternType(_OrderedEnum):
    """How an ACL's resource name matches: literally, as a prefix; ANY and MATCH are for
    filters."""

    UNKNOWN = 0
    ANY = 1
    MATCH = 2
    LITERAL = 3
    PREFIXED = 4
