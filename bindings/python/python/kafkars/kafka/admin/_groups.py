"""Consumer groups: list/describe/delete groups, group offsets (list, alter, reset, delete)
and remove_group_members."""
from .. import errors as Errors
from ..structs import OffsetAndMetadata, TopicPartition
from ._protocol import decode_assignment, decode_subscription
from ._types import GroupState, GroupType, OffsetSpec, OffsetTimestamp, acl_operation_names

# librdkafka's rd_kafka_consumer_group_state_t / _type_t <-> the wire's strings
_STATES = ["Unknown", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty",
           "Assigning", "Reconciling"]
_TYPES = ["Unknown", "consumer", "classic"]


def _state_name(i):
    return _STATES[i] if 0 <= i < len(_STATES) else "Unknown"


def _type_name(i):
    return _TYPES[i] if 0 <= i < len(_TYPES) else "Unknown"


def _cls(err):
    from .client import error_class
    return error_class(err)


class GroupMixin:
    """Consumer group operations of KafkaAdminClient."""

    def list_groups(self, broker_ids=None, states_filter=None, types_filter=None):
        """Groups of the cluster as dicts (group_id, protocol_type, group_state, group_type);
        broker_ids: only the groups those brokers coordinate."""
        opts = {}
        if states_filter:
            opts["match_consumer_group_states"] = [
                _STATES.index(GroupState.value_for(s)) if GroupState.value_for(s) in _STATES
                else 0 for s in states_filter]
        if types_filter:
            opts["match_consumer_group_types"] = [
                _TYPES.index(GroupType.value_for(t)) if GroupType.value_for(t) in _TYPES else 0
                for t in types_filter]
        groups, errs = self._call("list_consumer_groups", None, opts)
        for err in errs:
            if err is not None:
                raise _cls(err)("ListGroupsRequest failed: %s" % err.str())
        keep = None
        if broker_ids is not None:
            self._check_brokers(broker_ids)
            try:
                listed = self._live.list_groups(None, self.config["request_timeout_ms"] / 1000.0)
            except Exception as e:  # a KafkaException
                from .client import error_instance
                raise error_instance(e.args[0] if e.args else e)
            wanted = set(broker_ids)
            keep = {row[1] for row in listed if row[0][0] in wanted}
        return [{"group_id": gid, "protocol_type": "" if simple else "consumer",
                 "group_state": _state_name(state), "group_type": _type_name(gtype)}
                for gid, simple, state, gtype in groups if keep is None or gid in keep]

    def describe_groups(self, group_ids, group_coordinator_id=None,
                        include_authorized_operations=False):
        """{group_id: description dict}: DescribeGroups' fields (rd_kafka_list_groups), the
        members' subscription and assignment decoded, authorized operations by name."""
        group_ids = list(group_ids)
        if not group_ids:
            return {}
        try:  # group_instance_id and authorized operations: librdkafka's DescribeConsumerGroups
            extra = {r[0]: r for r in self._call("describe_consumer_groups", group_ids,
                                                 {"include_authorized_operations": True})}
        except Errors.KafkaError:
            extra = {}
        out = {}
        for gid in group_ids:
            try:
                rows = self._live.list_groups(gid, self.config["request_timeout_ms"] / 1000.0)
            except Exception as e:  # a KafkaException: the whole call failed
                from .client import error_instance
                raise error_instance(e.args[0] if e.args else e)
            row = next((r for r in rows if r[1] == gid), None)
            ex = extra.get(gid)
            instances = {m[0]: m[3] for m in ex[7]} if ex is not None else {}
            if row is None:
                out[gid] = {"group_id": gid, "group_state": "Dead", "protocol_type": "",
                            "protocol_data": "", "members": [], "authorized_operations": None,
                            "error": None}
                continue
            _broker, _g, err, state, ptype, proto, members = row
            out[gid] = {
                "group_id": gid, "group_state": state or "", "protocol_type": ptype or "",
                "protocol_data": proto or "",
                "members": [{
                    "member_id": mid, "group_instance_id": instances.get(mid),
                    "client_id": cid, "client_host": host,
                    "member_metadata": decode_subscription(meta),
                    "member_assignment": decode_assignment(assign),
                } for mid, cid, host, meta, assign in members],
                "authorized_operations": acl_operation_names(ex[8]) if ex is not None else None,
                "error": None if err is None else str(_cls(err)(err.str())),
            }
        return out

    def _group_offsets(self, group_id, partitions):
        pairs = None if partitions is None else [(tp[0], tp[1]) for tp in partitions]
        gid, err, rows = self._call("list_consumer_group_offsets", (group_id, pairs),
                                    {"require_stable_offsets": False})
        if err is not None:
            raise _cls(err)("OffsetFetchResponse failed for group '%s'." % group_id)
        out = {}
        for t, p, off, meta, epoch, perr in rows:
            if perr is not None:
                raise _cls(perr)("OffsetFetchResponse failed for partition %s" % p)
            out[TopicPartition(t, p)] = OffsetAndMetadata(
                off if off >= 0 else -1, meta, -1 if epoch is None else epoch)
        return out

    def list_group_offsets(self, group_specs):
        """{group_id: {TopicPartition: OffsetAndMetadata}} for {group: [tps] | None}, a group
        id or a list of group ids."""
        if isinstance(group_specs, str):
            group_specs = {group_specs: None}
        elif isinstance(group_specs, list):
            group_specs = {g: None for g in group_specs}
        if not group_specs:
            raise ValueError("Empty group_specs!")
        return {g: self._group_offsets(g, tps) for g, tps in group_specs.items()}

    def delete_groups(self, group_ids, group_coordinator_id=None):
        """{group_id: 'OK' | error class name}."""
        group_ids = list(group_ids)
        if not group_ids:
            return {}
        res = self._call("delete_groups", group_ids)
        return {g: "OK" if err is None else _cls(err).__name__ for g, err in res}

    def _commit(self, group_id, offsets):
        rows = [(tp.topic, tp.partition, int(oam.offset), oam.metadata,
                 None if oam.leader_epoch is None or oam.leader_epoch < 0 else oam.leader_epoch)
                for tp, oam in offsets.items()]
        _gid, err, res = self._call("alter_consumer_group_offsets", (group_id, rows))
        out = {}
        for t, p, _o, _m, _e, perr in res:
            out[TopicPartition(t, p)] = _cls(perr if perr is not None else err)
        for tp in offsets:
            out.setdefault(TopicPartition(tp.topic, tp.partition), _cls(err))
        return out

    def alter_group_offsets(self, group_id, offsets, group_coordinator_id=None):
        """Commit offsets for an inactive group: {TopicPartition: error class (NoError)}."""
        if not offsets:
            return {}
        return self._commit(group_id, offsets)

    @staticmethod
    def _clamp(raw, earliest, latest):
        if raw < 0 or raw > latest:
            return latest
        return earliest if raw < earliest else raw

    def reset_group_offsets(self, group_id, offset_specs, group_coordinator_id=None):
        """Commit offsets chosen by OffsetSpec, OffsetTimestamp or plain offset, clamped to
        [earliest, latest]: {TopicPartition: {'error': class, 'offset': committed}}."""
        if not offset_specs:
            return {}
        specs = dict(offset_specs)
        explicit = {}
        for tp, val in list(specs.items()):
            if isinstance(val, (OffsetSpec, OffsetTimestamp)):
                continue
            if isinstance(val, int):
                explicit[tp] = specs.pop(tp)
            else:
                raise TypeError("Unsupported reset target for %s: %r (expected OffsetSpec, "
                                "OffsetTimestamp, or int offset)" % (tp, val))
        tps = list(offset_specs)
        current = self._group_offsets(group_id, tps)
        earliest = self.list_partition_offsets({tp: OffsetSpec.EARLIEST for tp in tps})
        latest = self.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps})
        looked = self.list_partition_offsets(specs) if specs else {}
        target = {}
        for tp in tps:
            raw = looked[tp].offset if tp in looked else explicit[tp]
            off = self._clamp(raw, earliest[tp].offset, latest[tp].offset)
            cur = current.get(tp)
            target[tp] = cur._replace(offset=off) if cur is not None else \
                OffsetAndMetadata(off, "", None)
        errs = self._commit(group_id, target)
        return {tp: {"error": errs[tp], "offset": target[tp].offset} for tp in target}

    def delete_group_offsets(self, group_id, partitions, group_coordinator_id=None):
        """Delete a group's committed offsets: {TopicPartition: error class (NoError)}."""
        partitions = list(partitions)
        if not partitions:
            return {}
        _gid, err, res = self._call("delete_consumer_group_offsets",
                                    (group_id, [(tp.topic, tp.partition) for tp in partitions]))
        if err is not None:
            raise _cls(err)("OffsetDeleteRequest failed for group '%s': %s" % (
                group_id, err.str()))
        return {TopicPartition(t, p): _cls(perr) for t, p, perr in res}

    def remove_group_members(self, group_id, members, group_coordinator_id=None):
        """Remove members (MemberToRemove) from a group (kafkars extension RemoveGroupMembers):
        {member_id or group_instance_id: error class (NoError)}."""
        members = list(members)
        if not members:
            return {}
        rows = [(m.member_id, m.group_instance_id, m.reason) for m in members]
        res = self._call("remove_group_members", (group_id, rows))
        return {(mid or inst): _cls(err) for mid, inst, err in res}
