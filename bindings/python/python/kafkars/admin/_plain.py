"""Plain data <-> confluent_kafka objects for AdminClient: futures and their settling,
option and argument checks worded as confluent_kafka's C layer words them, and the
conversion of the native layer's results into the admin result classes."""

import concurrent.futures

from .._native import KafkaError, KafkaException, TopicPartition
from ._acl import AclBinding
from ._config import ConfigEntry, ConfigResource
from ._group import ConsumerGroupDescription, MemberAssignment, MemberDescription
from ._metadata import BrokerMetadata, GroupMember, GroupMetadata
from ._model import ConsumerGroupTopicPartitions, Node, TopicPartitionInfo, Uuid
from ._topic import TopicDescription

OFFSET_INVALID = -1001
_BROKERS_MAX = 10000


# ------------------------------------------------------------------------- helpers

def _future():
    f = concurrent.futures.Future()
    if not f.set_running_or_notify_cancel():
        raise RuntimeError("Future was cancelled prematurely")
    return f


def _futmap(keys, cls=None, type_error=False):
    """{key: future} (each key checked to be a cls: ValueError, or TypeError if type_error)."""
    futs = {}
    for k in keys:
        if cls is not None and not isinstance(k, cls):
            raise (TypeError if type_error else ValueError)("Expected list of %r" % (cls,))
        futs[k] = _future()
    return futs


_BOOL, _FLOAT, _INT, _ANY = "bool", "float", "int", "any"
# confluent_kafka's keyword argument -> the native layer's option
_NATIVE_OPT = {"require_stable": "require_stable_offsets", "isolation_level_value": "isolation_level",
               "states_int": "match_consumer_group_states", "types_int": "match_consumer_group_types"}


def _type_name(v):
    return type(v).__name__


def _options(kwargs, **kinds):
    """kwargs checked as confluent_kafka's C layer parses them, as native options."""
    opts = {}
    for k, v in kwargs.items():
        kind = kinds.get(k)
        if kind is None:
            raise TypeError("'%s' is an invalid keyword argument for this function" % k)
        if kind == _FLOAT:
            if isinstance(v, (str, bytes)) or not hasattr(v, "__float__") and not hasattr(v, "__index__"):
                raise TypeError("must be real number, not %s" % _type_name(v))
            v = float(v)
        elif kind == _INT:
            if isinstance(v, float) or not hasattr(v, "__index__"):
                raise TypeError("'%s' object cannot be interpreted as an integer" % _type_name(v))
            v = v.__index__()
        elif kind == _BOOL:
            if not isinstance(v, bool):
                raise TypeError("Expected %s to be bool type, not %s" % (k, _type_name(v)))
        opts[_NATIVE_OPT.get(k, k)] = v
    return opts


def _str_attr(obj, attr, allow_none=False, required=True):
    """obj.attr as a str, checked as confluent_kafka's C layer reads it."""
    try:
        v = getattr(obj, attr)
    except AttributeError:
        if required:
            raise TypeError("Required attribute .%s missing" % attr)
        return None
    if v is None and allow_none:
        return None
    if not isinstance(v, str) or type(v) is not str:
        raise TypeError("Expected .%s to be str type, not %s" % (attr, _type_name(v)))
    return v


def _int_attr(obj, attr, default=0, required=False):
    try:
        v = getattr(obj, attr)
    except AttributeError:
        if required:
            raise TypeError("Required attribute .%s missing" % attr)
        return default
    if type(v) is not int:
        raise TypeError("Expected .%s to be int type, not %s" % (attr, _type_name(v)))
    return v


def _typed_attr(obj, attr, typ):
    try:
        v = getattr(obj, attr)
    except AttributeError:
        raise TypeError("Required attribute .%s missing" % attr)
    if type(v) is not typ:
        raise TypeError("Expected .%s to be %s type, not %s" % (attr, typ.__name__, _type_name(v)))
    return v


def _replicas(ra, lo, hi, what, default_count=False):
    """A replica assignment (list of int lists, lo..hi of them) as plain data, checked
    partition by partition as confluent_kafka hands it to the C setter (whose checks
    follow each partition's)."""
    msg = "replica_assignment must be a list of int lists with an outer size of %s" % what
    if not isinstance(ra, list) or not lo <= len(ra) <= hi:
        raise ValueError(msg)
    out = []
    for replicas in ra:
        if not isinstance(replicas, list) or not replicas or not all(isinstance(r, int) for r in replicas):
            raise ValueError(msg)
        if default_count:
            raise ValueError("Specifying a default partition count and a replica assignment are mutually exclusive")
        if len(replicas) > _BROKERS_MAX:
            raise ValueError("Too many brokers specified (RD_KAFKAP_BROKERS_MAX=%d)" % _BROKERS_MAX)
        out.append([int(r) for r in replicas])
    return out


def _str_dict(d):
    return {str(k): str(v) for k, v in d.items()}


def _node(n):
    return None if n is None else Node(n[0], n[1], n[2], n[3])


def _tp(topic, partition, offset=OFFSET_INVALID, metadata=None, leader_epoch=None, error=None):
    tp = TopicPartition(topic, partition, offset, metadata, leader_epoch)
    if error is not None:
        tp.error = error
    return tp


def _plain_tps(tps):
    """TopicPartition list as [(topic, partition)] (a TypeError for anything else)."""
    if not isinstance(tps, list):
        raise TypeError("expected list of TopicPartition")
    out = []
    for tp in tps:
        if not isinstance(tp, TopicPartition):
            raise TypeError("expected list of TopicPartition")
        out.append(tp)
    return out


def _config_entries(entries):
    return {e[0]: ConfigEntry(name=e[0], value=e[1], source=e[2], is_read_only=e[3], is_default=e[4],
                              is_sensitive=e[5], is_synonym=e[6], synonyms=_config_entries(e[7]))
            for e in entries}


def _check_len(results, futmap):
    if len(results) != len(futmap):
        raise RuntimeError("Results length {} is different from future-map length {}".format(
            len(results), len(futmap)))


def _settle_in_order(results, futmap):
    """Per-key results in the order of the keys: a KafkaError fails its future."""
    _check_len(results, futmap)
    for fut, r in zip(list(futmap.values()), results):
        if isinstance(r, KafkaError):
            fut.set_exception(KafkaException(r))
        else:
            fut.set_result(r)


def _settle_by_key(results, futmap):
    """{key: value} results: a KafkaError fails its key's future."""
    _check_len(results, futmap)
    for key, value in results.items():
        fut = futmap.get(key)
        if fut is None:
            raise RuntimeError("Key {} not found in future-map: {}".format(key, futmap))
        if isinstance(value, KafkaError):
            fut.set_exception(KafkaException(value))
        else:
            fut.set_result(value)


def _settle_topics(results, futmap):
    for topic, err in dict(results).items():
        fut = futmap.get(topic)
        if fut is None:
            raise RuntimeError("Topic {} not found in future-map: {}".format(topic, futmap))
        if err is not None:
            fut.set_exception(KafkaException(err))
        else:
            fut.set_result(None)


def _settle_resources(results, futmap, with_configs):
    answers = {}
    for r in results:
        restype, name, err = r[:3]
        configs = _config_entries(r[3] if len(r) > 3 else [])
        key = ConfigResource(restype, name, described_configs=configs, error=err)
        answers[key] = configs if with_configs else None
    for res, configs in answers.items():
        fut = futmap.get(res)
        if fut is None:
            raise RuntimeError("Resource {} not found in future-map: {}".format(res, futmap))
        if res.error is not None:
            fut.set_exception(KafkaException(res.error))
        else:
            fut.set_result(configs)


def _acl(plain):
    return AclBinding(*plain)


def _group_description(r):
    group_id, err, is_simple, assignor, state, gtype, coordinator, members, ops = r
    if err is not None:
        return err
    descs = []
    for member_id, client_id, host, instance_id, assigned, target in members:
        kw = {}
        if instance_id is not None:
            kw["group_instance_id"] = instance_id
        if target is not None:
            kw["target_assignment"] = MemberAssignment([_tp(t, p) for t, p in target])
        descs.append(MemberDescription(member_id, client_id, host, MemberAssignment([_tp(t, p) for t, p in assigned]),
                                       **kw))
    return ConsumerGroupDescription(group_id, bool(is_simple), descs, assignor, state, _node(coordinator),
                                    authorized_operations=ops, type=gtype)


def _topic_description(r):
    name, topic_id, is_internal, err, partitions, ops = r
    if err is not None and err.code() != 0:
        return err
    parts = [TopicPartitionInfo(p, _node(leader), [_node(n) for n in replicas], [_node(n) for n in isr])
             for p, leader, replicas, isr in partitions]
    return TopicDescription(name, Uuid._from_bytes(topic_id), bool(is_internal), parts, authorized_operations=ops)


def _group_offsets(r):
    group, err, parts = r
    if err is not None:
        return err
    return ConsumerGroupTopicPartitions(group, [_tp(t, p, o, md, le, e) for t, p, o, md, le, e in parts])


def _group_metadata(g):
    """A list_groups() entry of the native layer as GroupMetadata."""
    (bid, bhost, bport), group, err, state, ptype, protocol, members = g
    md = GroupMetadata()
    md.broker = BrokerMetadata()
    md.broker.id, md.broker.host, md.broker.port = bid, bhost, bport
    md.id, md.state, md.protocol_type, md.protocol = group, state, ptype, protocol
    md.error = None if err is None or err.code() == 0 else KafkaError(err.code())
    for mid, client_id, host, metadata, assignment in members:
        m = GroupMember()
        m.id, m.client_id, m.client_host, m.metadata, m.assignment = mid, client_id, host, metadata, assignment
        md.members.append(m)
    return md


def _check_group_request(request, what, alter):
    if request is None:
        raise TypeError("request cannot be None")
    if not isinstance(request, list):
        raise TypeError("request must be a list")
    if len(request) != 1:
        raise ValueError("Currently we support %s offsets for a single consumer group only" % what)
    for req in request:
        if not isinstance(req, ConsumerGroupTopicPartitions):
            raise TypeError("Expected list of 'ConsumerGroupTopicPartitions'")
        if req.group_id is None:
            raise TypeError("'group_id' cannot be None")
        if not isinstance(req.group_id, str):
            raise TypeError("'group_id' must be a string")
        if not req.group_id:
            raise ValueError("'group_id' cannot be empty")
        tps = req.topic_partitions
        if tps is None:
            if alter:
                raise ValueError("'topic_partitions' cannot be null")
            continue
        if not isinstance(tps, list):
            raise TypeError("'topic_partitions' must be a list" + ("" if alter else " or None"))
        if not tps:
            raise ValueError("'topic_partitions' cannot be empty")
        for tp in tps:
            if tp is None:
                raise ValueError("Element of 'topic_partitions' cannot be None")
            if not isinstance(tp, TopicPartition):
                raise TypeError("Element of 'topic_partitions' must be of type TopicPartition")
            if tp.topic is None:
                raise TypeError("Element of 'topic_partitions' must not have 'topic' attribute as None")
            if not tp.topic:
                raise ValueError("Element of 'topic_partitions' must not have 'topic' attribute as Empty")
            if tp.partition < 0:
                raise ValueError("Element of 'topic_partitions' must not have negative %s"
                                 % ("value for 'partition' field" if alter else "'partition' value"))
            if alter and tp.offset < 0:
                raise ValueError("Element of 'topic_partitions' must not have negative value for 'offset' field")
            if not alter and tp.offset != OFFSET_INVALID:
                raise ValueError("Element of 'topic_partitions' must not have 'offset' value")
