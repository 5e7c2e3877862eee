"""Response-like objects for the kafka-python methods that return a protocol response
(create_partitions, elect_leaders): attributes, repr and to_dict() as kafka-python's."""


class Struct:
    """Named fields in order; nested Structs and lists of them convert in to_dict()."""

    def __init__(self, _name, **fields):
        self.__dict__["_name"] = _name
        self.__dict__["_fields"] = list(fields)
        self.__dict__.update(fields)

    def to_dict(self):
        def conv(v):
            if isinstance(v, Struct):
                return v.to_dict()
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v
        return {k: conv(getattr(self, k)) for k in self._fields}

    def __repr__(self):
        return "%s(%s)" % (self._name, ", ".join("%s=%r" % (k, getattr(self, k))
                                                 for k in self._fields))

    def __eq__(self, other):
        return isinstance(other, Struct) and self.to_dict() == other.to_dict()

    def __hash__(self):
        return hash(repr(self))
