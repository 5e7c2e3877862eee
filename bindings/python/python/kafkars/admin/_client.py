"""AdminClient: confluent_kafka's admin API over the native plain-data admin layer
(kafkars._native._AdminClientImpl, see notes/python_admin_native.md).

Each method checks its arguments as confluent_kafka (its Python layer and its C layer)
does, with the same exception types and texts, turns them into plain data, starts the
native operation and returns futures; the native layer's answer (on its background
thread) becomes confluent_kafka's result objects on those futures (see _plain.py)."""

import warnings

from .. import _native
from .._native import KafkaError, KafkaException, TopicPartition
from ._acl import AclBinding, AclBindingFilter
from ._cluster import DescribeClusterResult
from ._config import ConfigEntry, ConfigResource
from ._group import ConsumerGroupListing, ListConsumerGroupsResult
from ._listoffsets import ListOffsetsResultInfo, OffsetSpec
from ._metadata import GroupMetadata
from ._model import ConsumerGroupState, ConsumerGroupType, ElectionType, IsolationLevel
from ._model import TopicCollection
from ._newtopic import NewPartitions, NewTopic
from ._plain import (_ANY, _BOOL, _FLOAT, _INT, _check_group_request, _future, _futmap, _group_description,
                     _group_metadata, _group_offsets, _int_attr, _node, _options, _replicas, _settle_by_key,
                     _settle_in_order, _settle_resources, _settle_topics, _str_attr, _str_dict, _topic_description,
                     _tp, _type_name, _typed_attr, _acl)
from ._records import DeletedRecords
from ._scram import (ScramCredentialInfo, ScramMechanism, UserScramCredentialAlteration,
                     UserScramCredentialDeletion, UserScramCredentialsDescription, UserScramCredentialUpsertion)

_PARTITIONS_MAX = 100000
_BROKERS_MAX = 10000
_DELETE = 1  # AlterConfigOpType.DELETE

try:
    _Impl = _native._AdminClientImpl
except AttributeError:  # a native module without the admin layer
    class _Impl(object):
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("this kafkars build has no native admin layer")


# ------------------------------------------------------------------------- the client

class AdminClient(_Impl):
    """confluent_kafka.admin.AdminClient on the kafkars core: create, describe, alter and
    delete topics, partitions, configs, ACLs, groups, offsets, records and credentials.

    Operations are asynchronous: they return a concurrent.futures.Future, or a dict of
    them keyed by the entity (topic, ConfigResource, group, TopicPartition, ...); a
    future fails with KafkaException when its entity (or the whole request) failed.
    Options are keyword arguments (request_timeout, operation_timeout in seconds,
    validate_only, ...) as confluent_kafka takes them."""

    def __init__(self, conf, **kwargs):
        # the native class is built by its __new__ (with conf and kwargs)
        if _Impl.__init__ is not object.__init__:
            super(AdminClient, self).__init__(conf, **kwargs)

    # -- plumbing

    def _start(self, op, args, options, futs, settle):
        """Starts op; settle(result) resolves the futures futs (a dict of them or a list)."""
        targets = list(futs.values()) if isinstance(futs, dict) else list(futs)

        def on_done(result, error):
            try:
                if error is not None:
                    raise KafkaException(error)
                settle(result)
            except Exception as e:  # noqa: BLE001 - the request failed: every future says so
                for f in targets:
                    if not f.done():
                        f.set_exception(e)

        try:
            self._call(op, args, options, on_done)
        except KafkaException as e:
            err = e.args[0] if e.args and isinstance(e.args[0], KafkaError) else None
            raise ValueError(err.str() if err is not None else str(e))

    # -- topics and partitions

    def create_topics(self, new_topics, **kwargs):
        """Creates topics (list of NewTopic); {topic: future of None}."""
        futmap = _futmap([x.topic for x in new_topics])
        opts = _options(kwargs, validate_only=_ANY, request_timeout=_FLOAT, operation_timeout=_FLOAT)
        if not isinstance(new_topics, list) or not new_topics:
            raise ValueError("Expected non-empty list of NewTopic objects")
        if "validate_only" in opts:
            _options({"validate_only": opts["validate_only"]}, validate_only=_BOOL)
        args = []
        for t in new_topics:
            if not isinstance(t, NewTopic):
                raise ValueError("Expected list of NewTopic objects")
            why = None
            if not -1 <= t.num_partitions <= _PARTITIONS_MAX:
                why = "num_partitions out of expected range 1..%d or -1 for broker default" % _PARTITIONS_MAX
            elif not -1 <= t.replication_factor <= _BROKERS_MAX:
                why = "replication_factor out of expected range -1..%d" % _BROKERS_MAX
            if why:
                raise ValueError("Invalid NewTopic(%s): %s" % (t.topic, why))
            ra = t.replica_assignment
            if ra is not None:
                if t.replication_factor != -1:
                    raise ValueError("replication_factor and replica_assignment are mutually exclusive")
                n = (len(ra) if isinstance(ra, list) else -1) if t.num_partitions == -1 else t.num_partitions
                ra = _replicas(ra, n, n, "num_partitions", default_count=t.num_partitions == -1)
            args.append((t.topic, t.num_partitions, t.replication_factor, ra, _str_dict(t.config or {})))
        self._start("create_topics", args, opts, futmap, lambda r: _settle_topics(r, futmap))
        return futmap

    def delete_topics(self, topics, **kwargs):
        """Deletes topics (list of str); {topic: future of None}."""
        futmap = _futmap(topics)
        opts = _options(kwargs, request_timeout=_FLOAT, operation_timeout=_FLOAT)
        if not isinstance(topics, list):
            raise TypeError("argument 1 must be list, not %s" % _type_name(topics))
        if not topics:
            raise ValueError("Expected non-empty list of topic strings")
        args = []
        for t in topics:
            if t is None:
                raise ValueError("Expected list of topic strings, not NoneType")
            args.append(str(t))
        self._start("delete_topics", args, opts, futmap, lambda r: _settle_topics(r, futmap))
        return futmap

    def create_partitions(self, new_partitions, **kwargs):
        """Grows topics (list of NewPartitions); {topic: future of None}."""
        futmap = _futmap([x.topic for x in new_partitions])
        opts = _options(kwargs, validate_only=_ANY, request_timeout=_FLOAT, operation_timeout=_FLOAT)
        if not isinstance(new_partitions, list) or not new_partitions:
            raise ValueError("Expected non-empty list of NewPartitions objects")
        if "validate_only" in opts:
            _options({"validate_only": opts["validate_only"]}, validate_only=_BOOL)
        args = []
        for p in new_partitions:
            if not isinstance(p, NewPartitions):
                raise ValueError("Expected list of NewPartitions objects")
            if not 1 <= p.new_total_count <= _PARTITIONS_MAX:
                raise ValueError("Invalid NewPartitions(%s): new_total_cnt out of expected range 1..%d"
                                 % (p.topic, _PARTITIONS_MAX))
            ra = p.replica_assignment
            if ra is not None:
                ra = _replicas(ra, 1, p.new_total_count, "new_total_count - existing partition count")
            args.append((p.topic, p.new_total_count, ra))
        self._start("create_partitions", args, opts, futmap, lambda r: _settle_topics(r, futmap))
        return futmap

    # -- configs

    @staticmethod
    def _resources(resources):
        if not isinstance(resources, list) or not resources:
            raise ValueError("Expected non-empty list of ConfigResource objects")

    @staticmethod
    def _resource(res):
        if not isinstance(res, ConfigResource):
            raise ValueError("Expected list of ConfigResource objects")
        restype = _int_attr(res, "restype_int")
        name = _str_attr(res, "name", required=False)
        if not name or restype < 0:
            raise ValueError("Invalid ConfigResource(%d,%s)" % (restype, name or ""))
        return restype, name

    def describe_configs(self, resources, **kwargs):
        """Configs of resources (list of ConfigResource); {ConfigResource: future of
        {name: ConfigEntry}}."""
        futmap = _futmap(resources, ConfigResource)
        opts = _options(kwargs, request_timeout=_FLOAT, broker=_INT)
        self._resources(resources)
        args = [self._resource(r) for r in resources]
        self._start("describe_configs", args, opts, futmap, lambda r: _settle_resources(r, futmap, True))
        return futmap

    def alter_configs(self, resources, **kwargs):
        """Deprecated (use incremental_alter_configs): replaces the whole config of each
        resource with its set_config() values; {ConfigResource: future of None}."""
        warnings.warn("alter_configs has been deprecated. Use incremental_alter_configs instead.",
                      category=DeprecationWarning, stacklevel=2)
        futmap = _futmap(resources, ConfigResource)
        opts = _options(kwargs, validate_only=_ANY, request_timeout=_FLOAT, broker=_INT)
        self._resources(resources)
        if "validate_only" in opts:
            _options({"validate_only": opts["validate_only"]}, validate_only=_BOOL)
        args = []
        for res in resources:
            restype, name = self._resource(res)
            args.append((restype, name, _str_dict(_typed_attr(res, "set_config_dict", dict))))
        self._start("alter_configs", args, opts, futmap, lambda r: _settle_resources(r, futmap, False))
        return futmap

    def incremental_alter_configs(self, resources, **kwargs):
        """Applies each resource's incremental configs (ConfigEntry with
        incremental_operation); {ConfigResource: future of None}."""
        futmap = _futmap(resources, ConfigResource, type_error=True)
        opts = _options(kwargs, validate_only=_ANY, request_timeout=_FLOAT, broker=_INT)
        self._resources(resources)
        if "validate_only" in opts:
            _options({"validate_only": opts["validate_only"]}, validate_only=_BOOL)
        self._check_open()  # confluent_kafka checks the entries in C, after the handle
        args = []
        for res in resources:
            restype, name = self._resource(res)
            entries = _typed_attr(res, "incremental_configs", list)
            if not entries:
                raise ValueError("expected non-empty list of ConfigEntry to alter incrementally "
                                 "in incremental_configs field")
            plain = []
            for i, e in enumerate(entries):
                if not isinstance(e, ConfigEntry):
                    raise TypeError("expected ConfigEntry type in incremental_configs field, index %d" % i)
                try:
                    op = e.incremental_operation
                except AttributeError:
                    raise TypeError("Required attribute .incremental_operation missing")
                op = _int_attr(op, "value", required=True)
                cname = _str_attr(e, "name")
                value = None if op == _DELETE else _str_attr(e, "value")
                plain.append((cname, op, value))
            args.append((restype, name, plain))
        self._start("incremental_alter_configs", args, opts, futmap, lambda r: _settle_resources(r, futmap, False))
        return futmap

    # -- ACLs

    def create_acls(self, acls, **kwargs):
        """Creates ACL bindings (list of AclBinding); {AclBinding: future of None}."""
        if len(set(acls)) != len(acls):
            raise ValueError("duplicate ACL bindings not allowed")
        futmap = _futmap(acls, AclBinding)
        opts = _options(kwargs, request_timeout=_FLOAT)
        if not isinstance(acls, list) or not acls:
            raise ValueError("Expected non-empty list of AclBinding objects")
        self._start("create_acls", [a._plain() for a in acls], opts, futmap,
                    lambda r: _settle_in_order(list(r), futmap))
        return futmap

    def describe_acls(self, acl_binding_filter, **kwargs):
        """ACL bindings matching an AclBindingFilter; a future of AclBinding list."""
        f = _future()
        opts = _options(kwargs, request_timeout=_FLOAT)
        if not isinstance(acl_binding_filter, AclBindingFilter):
            raise TypeError("Expected an AclBindingFilter object")
        self._start("describe_acls", acl_binding_filter._plain(), opts, [f],
                    lambda r: f.set_result([_acl(a) for a in r]))
        return f

    def delete_acls(self, acl_binding_filters, **kwargs):
        """Deletes the ACL bindings matching each filter; {AclBindingFilter: future of the
        deleted AclBinding list}."""
        if len(set(acl_binding_filters)) != len(acl_binding_filters):
            raise ValueError("duplicate ACL binding filters not allowed")
        futmap = _futmap(acl_binding_filters, AclBindingFilter)
        opts = _options(kwargs, request_timeout=_FLOAT)
        if not isinstance(acl_binding_filters, list) or not acl_binding_filters:
            raise ValueError("Expected non-empty list of AclBindingFilter objects")
        self._start("delete_acls", [a._plain() for a in acl_binding_filters], opts, futmap,
                    lambda r: _settle_in_order([err if err is not None else [_acl(a) for a in acls]
                                                for err, acls in r], futmap))
        return futmap

    # -- consumer groups

    def list_consumer_groups(self, **kwargs):
        """Lists the cluster's groups (states= / types=: sets of ConsumerGroupState /
        ConsumerGroupType to match); a future of ListConsumerGroupsResult."""
        for key, cls, what in (("states", ConsumerGroupState, "states"), ("types", ConsumerGroupType, "types")):
            if key in kwargs:
                v = kwargs.pop(key)
                if v is not None:
                    if not isinstance(v, set):
                        raise TypeError("'%s' must be a set" % key)
                    for x in v:
                        if not isinstance(x, cls):
                            raise TypeError("All elements of %s must be of type %s" % (what, cls.__name__))
                    kwargs[key + "_int"] = [x.value for x in v]
        f = _future()
        opts = _options(kwargs, states_int=_ANY, types_int=_ANY, request_timeout=_FLOAT)
        for key, what in (("match_consumer_group_states", "states"), ("match_consumer_group_types", "types")):
            v = opts.get(key)
            if v is None:
                opts.pop(key, None)
                continue
            if not isinstance(v, list):
                raise ValueError("%s must of type list" % what)
            if not all(isinstance(x, int) for x in v):
                raise ValueError("Element of states must be valid states" if what == "states"
                                 else "Element of types must be valid group types")
            if not v:
                del opts[key]

        def settle(r):
            valid, errors = r
            f.set_result(ListConsumerGroupsResult(
                valid=[ConsumerGroupListing(group_id=g, is_simple_consumer_group=bool(s), state=st, type=ty)
                       for g, s, st, ty in valid],
                errors=list(errors)))
        self._start("list_consumer_groups", None, opts, [f], settle)
        return f

    def describe_consumer_groups(self, group_ids, **kwargs):
        """Describes groups (list of group ids); {group_id: future of
        ConsumerGroupDescription}."""
        if not isinstance(group_ids, list):
            raise TypeError("Expected input to be list of group ids to be described")
        if not group_ids:
            raise ValueError("Expected at least one group to be described")
        futmap = _futmap(group_ids)
        opts = _options(kwargs, request_timeout=_FLOAT, include_authorized_operations=_BOOL)
        args = []
        for g in group_ids:
            if g is None:
                raise ValueError("Expected list of group strings, not NoneType")
            args.append(str(g))
        self._start("describe_consumer_groups", args, opts, futmap,
                    lambda r: _settle_in_order([_group_description(x) for x in r], futmap))
        return futmap

    def delete_consumer_groups(self, group_ids, **kwargs):
        """Deletes groups (list of group ids); {group_id: future of None}."""
        if not isinstance(group_ids, list):
            raise TypeError("Expected input to be list of group ids to be deleted")
        if not group_ids:
            raise ValueError("Expected at least one group to be deleted")
        futmap = _futmap(group_ids, str)
        opts = _options(kwargs, request_timeout=_FLOAT)
        self._start("delete_groups", [str(g) for g in group_ids], opts, futmap,
                    lambda r: _settle_in_order([err for _, err in r], futmap))
        return futmap

    def list_consumer_group_offsets(self, list_consumer_group_offsets_request, **kwargs):
        """Committed offsets of one group (a list of one ConsumerGroupTopicPartitions;
        without partitions: all of the group's); {group_id: future of
        ConsumerGroupTopicPartitions}."""
        request = list_consumer_group_offsets_request
        _check_group_request(request, "listing", alter=False)
        futmap = _futmap([r.group_id for r in request], str)
        opts = _options(kwargs, require_stable=_BOOL, request_timeout=_FLOAT)
        req = request[0]
        tps = None if req.topic_partitions is None else [(tp.topic, tp.partition) for tp in req.topic_partitions]
        self._start("list_consumer_group_offsets", (req.group_id, tps), opts, futmap,
                    lambda r: _settle_in_order([_group_offsets(r)], futmap))
        return futmap

    def alter_consumer_group_offsets(self, alter_consumer_group_offsets_request, **kwargs):
        """Commits offsets for one group (a list of one ConsumerGroupTopicPartitions with
        offsets); {group_id: future of ConsumerGroupTopicPartitions}."""
        request = alter_consumer_group_offsets_request
        _check_group_request(request, "altering", alter=True)
        futmap = _futmap([r.group_id for r in request], str)
        opts = _options(kwargs, request_timeout=_FLOAT)
        req = request[0]
        tps = [(tp.topic, tp.partition, tp.offset, tp.metadata, tp.leader_epoch) for tp in req.topic_partitions]
        self._start("alter_consumer_group_offsets", (req.group_id, tps), opts, futmap,
                    lambda r: _settle_in_order([_group_offsets(r)], futmap))
        return futmap

    # -- SASL/SCRAM

    def describe_user_scram_credentials(self, users=None, **kwargs):
        """SCRAM credentials of users (list of str; None: all users): with a list,
        {user: future of UserScramCredentialsDescription}; with None, one future of
        {user: UserScramCredentialsDescription}."""
        if users is not None:
            if not isinstance(users, list):
                raise TypeError("Expected input to be list of String")
            for u in users:
                if u is None:
                    raise TypeError("'user' cannot be None")
                if not isinstance(u, str):
                    raise TypeError("Each value should be a string")
                if not u:
                    raise ValueError("'user' cannot be empty")
        opts = _options(kwargs, request_timeout=_FLOAT)

        def answers(r):
            return {user: (err if err is not None and err.code() != 0 else UserScramCredentialsDescription(
                user, [ScramCredentialInfo(ScramMechanism(m), it) for m, it in infos]))
                for user, err, infos in r}

        if users is None:
            f = _future()

            def settle(r):
                res = answers(r)
                for v in res.values():
                    if isinstance(v, KafkaError):
                        f.set_exception(KafkaException(v))
                        return
                f.set_result(res)
            self._start("describe_user_scram_credentials", None, opts, [f], settle)
            return f
        futmap = _futmap(users)
        self._start("describe_user_scram_credentials", list(users), opts, futmap,
                    lambda r: _settle_by_key(answers(r), futmap))
        return futmap

    def alter_user_scram_credentials(self, alterations, **kwargs):
        """Upserts / deletes SCRAM credentials (list of UserScramCredentialUpsertion and
        UserScramCredentialDeletion); {user: future of None}."""
        if not isinstance(alterations, list):
            raise TypeError("Expected input to be list")
        if not alterations:
            raise ValueError("Expected at least one alteration")
        args = []
        for a in alterations:
            if not isinstance(a, UserScramCredentialAlteration):
                raise TypeError("Expected each element of list to be subclass of UserScramCredentialAlteration")
            if a.user is None:
                raise TypeError("'user' cannot be None")
            if not isinstance(a.user, str):
                raise TypeError("'user' must be a string")
            if not a.user:
                raise ValueError("'user' cannot be empty")
            if isinstance(a, UserScramCredentialUpsertion):
                if a.password is None:
                    raise TypeError("'password' cannot be None")
                if not isinstance(a.password, bytes):
                    raise TypeError("'password' must be bytes")
                if not a.password:
                    raise ValueError("'password' cannot be empty")
                if a.salt is not None and not a.salt:
                    raise ValueError("'salt' can be None but cannot be empty")
                if a.salt and not isinstance(a.salt, bytes):
                    raise TypeError("'salt' must be bytes")
                info = a.scram_credential_info
                if not isinstance(info, ScramCredentialInfo):
                    raise TypeError("Expected credential_info to be ScramCredentialInfo Type")
                if info.iterations < 1:
                    raise ValueError("Iterations should be positive")
                if not isinstance(info.mechanism, ScramMechanism):
                    raise TypeError("Expected the mechanism to be ScramMechanism Type")
                args.append(("upsert", a.user, info.mechanism.value, int(info.iterations), a.password, a.salt))
            elif isinstance(a, UserScramCredentialDeletion):
                if not isinstance(a.mechanism, ScramMechanism):
                    raise TypeError("Expected the mechanism to be ScramMechanism Type")
                args.append(("delete", a.user, a.mechanism.value))
            else:
                raise TypeError("Expected each element of list 'alterations' to be either a "
                                "UserScramCredentialUpsertion or a UserScramCredentialDeletion")
        futmap = _futmap(set(a.user for a in alterations))
        opts = _options(kwargs, request_timeout=_FLOAT)
        self._start("alter_user_scram_credentials", args, opts, futmap,
                    lambda r: _settle_by_key(dict(r), futmap))
        return futmap

    # -- topics, offsets, records, leaders

    def describe_topics(self, topics, **kwargs):
        """Describes topics (a TopicCollection); {topic: future of TopicDescription}."""
        if not isinstance(topics, TopicCollection):
            raise TypeError("Expected input to be instance of TopicCollection")
        names = topics.topic_names
        if not isinstance(names, list):
            raise TypeError("Expected list of topic names to be described")
        futmap = _futmap(names)
        opts = _options(kwargs, request_timeout=_FLOAT, include_authorized_operations=_BOOL)
        for i, t in enumerate(names):
            if not isinstance(t, str):
                raise TypeError("Expected list of topics strings, not %s" % _type_name(t))
            if not t:
                raise ValueError("Empty topic name at index %d isn't allowed" % i)
        self._start("describe_topics", list(names), opts, futmap,
                    lambda r: _settle_in_order([_topic_description(x) for x in r], futmap))
        return futmap

    def describe_cluster(self, **kwargs):
        """Describes the cluster; a future of DescribeClusterResult."""
        f = _future()
        opts = _options(kwargs, request_timeout=_FLOAT, include_authorized_operations=_BOOL)

        def settle(r):
            cluster_id, controller, nodes, ops = r
            kw = {"cluster_id": cluster_id} if cluster_id is not None else {}
            f.set_result(DescribeClusterResult(_node(controller), [_node(n) for n in nodes],
                                               authorized_operations=ops, **kw))
        self._start("describe_cluster", None, opts, [f], settle)
        return f

    def list_offsets(self, topic_partition_offsets, **kwargs):
        """Looks up offsets ({TopicPartition: OffsetSpec}); isolation_level= an
        IsolationLevel; {TopicPartition: future of ListOffsetsResultInfo}."""
        tpo = topic_partition_offsets
        if not isinstance(tpo, dict):
            raise TypeError("Expected topic_partition_offsets to be dict of [TopicPartitions,OffsetSpec] "
                            "for list offsets request")
        for tp, spec in tpo.items():
            if tp is None:
                raise TypeError("partition cannot be None")
            if not isinstance(tp, TopicPartition):
                raise TypeError("partition must be a TopicPartition")
            if tp.topic is None:
                raise TypeError("partition topic name cannot be None")
            if not isinstance(tp.topic, str):
                raise TypeError("partition topic name must be string")
            if not tp.topic:
                raise ValueError("partition topic name cannot be empty")
            if tp.partition < 0:
                raise ValueError("partition index must be non-negative")
            if spec is None:
                raise TypeError("OffsetSpec cannot be None")
            if not isinstance(spec, OffsetSpec):
                raise TypeError("Value must be a OffsetSpec")
        if "isolation_level" in kwargs:
            if not isinstance(kwargs["isolation_level"], IsolationLevel):
                raise TypeError("isolation_level argument should be an IsolationLevel")
            kwargs["isolation_level_value"] = kwargs.pop("isolation_level").value
        keys = [TopicPartition(tp.topic, int(tp.partition), int(spec._value)) for tp, spec in tpo.items()]
        futmap = _futmap(keys, TopicPartition, type_error=True)
        opts = _options(kwargs, isolation_level_value=_INT, request_timeout=_FLOAT)

        def settle(r):
            res = {}
            for t, p, offset, ts, epoch, err in r:
                res[_tp(t, p, offset)] = (KafkaError(err.code()) if err is not None else
                                          ListOffsetsResultInfo(offset, ts, -1 if epoch is None else epoch))
            _settle_by_key(res, futmap)
        self._start("list_offsets", [(tp.topic, tp.partition, tp.offset) for tp in keys], opts, futmap, settle)
        return futmap

    def delete_records(self, topic_partition_offsets, **kwargs):
        """Deletes the records before each TopicPartition's offset (OFFSET_END: all);
        {TopicPartition: future of DeletedRecords}."""
        tps = topic_partition_offsets
        if not isinstance(tps, list):
            raise TypeError("Expected Request to be a list, got '%s' " % _type_name(tps))
        for tp in tps:
            if not isinstance(tp, TopicPartition):
                raise TypeError("Element of the request list must be of type 'TopicPartition' got '%s' "
                                % _type_name(tp))
            if tp.partition < 0:
                raise ValueError("'partition' cannot be negative")
        futmap = _futmap(tps, TopicPartition, type_error=True)
        opts = _options(kwargs, request_timeout=_FLOAT, operation_timeout=_FLOAT)

        def settle(r):
            res = {}
            for t, p, low, err in r:
                res[_tp(t, p, low)] = KafkaError(err.code()) if err is not None else DeletedRecords(low)
            _settle_by_key(res, futmap)
        self._start("delete_records", [(tp.topic, tp.partition, tp.offset) for tp in tps], opts, futmap, settle)
        return futmap

    def elect_leaders(self, election_type, partitions=None, **kwargs):
        """Elects leaders (ElectionType) of partitions (TopicPartition list; None: all);
        a future of {TopicPartition: KafkaError or None}."""
        if not isinstance(election_type, ElectionType):
            raise TypeError("Expected 'election_type' to be of type 'ElectionType'")
        if partitions is not None:
            if not isinstance(partitions, list):
                raise TypeError("Expected 'partitions' to be a list, got '%s'" % _type_name(partitions))
            for p in partitions:
                if not isinstance(p, TopicPartition):
                    raise TypeError("Element of the 'partitions' list must be of type 'TopicPartition' got '%s' "
                                    % _type_name(p))
                if p.partition < 0:
                    raise ValueError("Elements of the 'partitions' list must not have negative value for "
                                     "'partition' field")
        f = _future()
        opts = _options(kwargs, request_timeout=_FLOAT, operation_timeout=_FLOAT)
        plain = None if partitions is None else [(p.topic, p.partition) for p in partitions]
        self._start("elect_leaders", (election_type.value, plain), opts, [f],
                    lambda r: f.set_result({_tp(t, p): err for t, p, err in r}))
        return f

    # -- synchronous calls of the native client

    def list_topics(self, *args, **kwargs):
        """Cluster metadata (ClusterMetadata), of one topic or all."""
        return super(AdminClient, self).list_topics(*args, **kwargs)

    def list_groups(self, *args, **kwargs):
        """Deprecated (use list_consumer_groups and describe_consumer_groups): groups as a
        GroupMetadata list (of one group or all)."""
        warnings.warn("list_groups() is deprecated, use list_consumer_groups() and describe_consumer_groups() "
                      "instead.", category=DeprecationWarning, stacklevel=2)
        try:
            groups = super(AdminClient, self).list_groups(*args, **kwargs)
        except KafkaException as e:
            err = e.args[0] if e.args and isinstance(e.args[0], KafkaError) else None
            if err is None:
                raise
            raise KafkaException(KafkaError(err.code(), "Failed to list groups: %s" % KafkaError(err.code()).str()))
        return [g if isinstance(g, GroupMetadata) else _group_metadata(g) for g in groups]

    def cluster_id(self, *args, **kwargs):
        """The cluster id (None if unknown within the timeout)."""
        native = getattr(super(AdminClient, self), "cluster_id", None)
        if native is not None:
            return native(*args, **kwargs)
        return self._cluster_id(*args, **kwargs)

    def _cluster_id(self, timeout=-1):
        """cluster_id() from the metadata, for a native layer without it."""
        try:
            cid = self.list_topics(timeout=timeout).cluster_id
        except KafkaException:
            cid = None
        if cid is None:
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT, "Failed to retrieve cluster id: Local: Timed out. "
                                            "The broker must support KIP-78 (>= 0.10.1) for the cluster id to be "
                                            "available."))
        return cid

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_traceback):
        native = getattr(super(AdminClient, self), "__exit__", None)
        if native is not None:
            return native(exc_type, exc_value, exc_traceback)
        self.close()
        return None

    def set_sasl_credentials(self, username, password):
        """Sets the SASL PLAIN/SCRAM credentials used from the next authentication on."""
        super(AdminClient, self).set_sasl_credentials(username, password)
