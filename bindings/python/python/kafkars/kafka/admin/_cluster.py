"""Cluster, ACLs, SCRAM users and transactions (most of them kafkars extension ops)."""
import time
import uuid

from .. import errors as Errors
from ..structs import TopicPartition, TopicPartitionReplica
from ._apiversions import BrokerVersionData, probe_api_versions
from ._types import (ACL, ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType,
                     PartitionProducerState, ProducerState, ResourcePattern, ResourceType,
                     ScramMechanism, TransactionDescription, TransactionListing,
                     TransactionState, UpdateFeatureType, UserScramCredentialDeletion,
                     UserScramCredentialUpsertion, acl_operation_names)

# KAFKARS_TXN_STATE_* order
_TXN_STATES = [TransactionState.UNKNOWN, TransactionState.EMPTY, TransactionState.ONGOING,
               TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT,
               TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT,
               TransactionState.DEAD, TransactionState.PREPARE_EPOCH_FENCE]


def _txn_state(i):
    return _TXN_STATES[i] if 0 <= i < len(_TXN_STATES) else TransactionState.UNKNOWN


def _cls(err):
    from .client import error_class
    return error_class(err)


def _uuid(raw):
    if raw is None:
        return None
    return uuid.UUID(bytes=bytes(raw))


def _acl(row):
    restype, name, pattern, principal, host, op, perm = row
    return ACL(principal=principal, host=host, operation=ACLOperation(op),
               permission_type=ACLPermissionType(perm),
               resource_pattern=ResourcePattern(ResourceType(restype), name,
                                                ACLResourcePatternType(pattern)))


def _acl_args(a):
    rp = a.resource_pattern
    return (int(rp.resource_type), rp.resource_name, int(rp.pattern_type), a.principal, a.host,
            int(a.operation), int(a.permission_type))


class ClusterMixin:
    """Cluster, ACL, user and transaction operations of KafkaAdminClient."""

    # -- cluster ----------------------------------------------------------------------------

    def describe_cluster(self):
        """{'brokers': [...], 'cluster_id', 'controller_id', 'authorized_operations'}."""
        cid, controller, nodes, ops = self._call("describe_cluster", None,
                                                 {"include_authorized_operations": True})
        return {
            "cluster_id": cid,
            "controller_id": -1 if controller is None else controller[0],
            "brokers": [{"broker_id": n[0], "host": n[1], "port": n[2], "rack": n[3]}
                        for n in nodes],
            "authorized_operations": acl_operation_names(ops),
        }

    def _controller(self):
        cid = self._metadata().controller_id
        if cid is None or cid < 0:
            raise Errors.NodeNotReadyError("controller")
        return cid

    def describe_log_dirs(self, topic_partitions=None, brokers=None):
        """Log directories of brokers (all by default): [{'broker': id, 'log_dirs': [...]}]
        (kafkars extension DescribeLogDirs)."""
        if isinstance(topic_partitions, dict):
            pairs = [(t, p) for t, ps in topic_partitions.items() for p in ps]
        else:
            pairs = [(t["name"], p["partition_index"])
                     for t in self.describe_topics(topic_partitions) for p in t["partitions"]]
        if brokers is None:
            brokers = self._broker_ids()
        self._check_brokers(brokers)
        res = self._call("describe_log_dirs", (list(brokers), pairs))
        by_id = {r[0]: r for r in res}
        out = []
        for b in brokers:
            row = by_id.get(b)
            if row is None:
                continue
            _bid, err, dirs = row
            if err is not None:
                raise _cls(err)("DescribeLogDirs failed on broker %s: %s" % (b, err.str()))
            ldirs = []
            for path, derr, total, usable, replicas in dirs:
                topics = {}
                for t, p, size, lag, future in replicas:
                    topics.setdefault(t, []).append({
                        "partition_index": p, "partition_size": size, "offset_lag": lag,
                        "is_future_key": bool(future)})
                ldirs.append({"error_code": 0 if derr is None else getattr(_cls(derr), "errno", -1),
                              "log_dir": path,
                              "topics": [{"name": t, "partitions": ps} for t, ps in topics.items()],
                              "total_bytes": total, "usable_bytes": usable})
            out.append({"broker": b, "log_dirs": ldirs})
        return out

    def alter_replica_log_dirs(self, replica_assignments):
        """Move replicas between log dirs ({TopicPartitionReplica: path}): {replica: error
        class} (kafkars extension AlterReplicaLogDirs)."""
        if not replica_assignments:
            return {}
        args = []
        for tpr, path in replica_assignments.items():
            tpr = TopicPartitionReplica(*tpr)
            args.append((tpr.topic, tpr.partition, tpr.broker_id, path))
        res = self._call("alter_replica_log_dirs", args)
        for _t, _p, _b, _path, err in res:
            if err is not None and _cls(err) is Errors.IncompatibleBrokerVersion:
                raise Errors.IncompatibleBrokerVersion(err.str())
        return {TopicPartitionReplica(t, p, b): _cls(err) for t, p, b, _path, err in res}

    def describe_metadata_quorum(self):
        """The KRaft quorum of __cluster_metadata-0 as kafka-python's dict (kafkars extension
        DescribeMetadataQuorum)."""
        leader, epoch, hw, voters, observers, nodes = self._call("describe_metadata_quorum", None)

        def replica(r):
            return {"replica_id": r[0], "replica_directory_id": _uuid(r[1]),
                    "log_end_offset": r[2], "last_fetch_timestamp": r[3],
                    "last_caught_up_timestamp": r[4]}
        listeners = {}
        for node, listener in nodes:
            listeners.setdefault(node[0], []).append(
                {"name": listener, "host": node[1], "port": node[2]})
        return {
            "topics": [{"topic_name": "__cluster_metadata", "partitions": [{
                "partition_index": 0, "leader_id": leader, "leader_epoch": epoch,
                "high_watermark": hw, "current_voters": [replica(v) for v in voters],
                "observers": [replica(o) for o in observers], "error": None}]}],
            "nodes": [{"node_id": n, "listeners": ls} for n, ls in listeners.items()],
        }

    def describe_features(self, send_request_to_controller=False):
        """{feature: {'supported': (min, max), 'finalized': (min, max), 'finalized_epoch'}}
        (kafkars extension DescribeFeatures)."""
        opts = {"broker": self._controller()} if send_request_to_controller else {}
        epoch, feats = self._call("describe_features", None, opts)
        out = {}
        for name, smin, smax, fmin, fmax in feats:
            d = {}
            if smin >= 0 or smax >= 0:
                d["supported"] = (smin, smax)
            if fmin >= 0 or fmax >= 0:
                d["finalized"] = (fmin, fmax)
                d["finalized_epoch"] = epoch if epoch is not None and epoch >= 0 else None
            out[name] = d
        return out

    def update_features(self, feature_updates, validate_only=False, timeout_ms=60000):
        """Finalize features ({name: level | (UpdateFeatureType, level)}): {name: 'OK' |
        error text} (kafkars extension UpdateFeatures)."""
        if not isinstance(feature_updates, dict):
            raise TypeError("feature_updates must be a dict of {feature_name: (max_version_level,"
                            " upgrade_type)} or {feature_name: max_version_level}")
        args = []
        for name, spec in feature_updates.items():
            utype, level = spec if isinstance(spec, tuple) else (UpdateFeatureType.UPGRADE, spec)
            args.append((name, int(level), UpdateFeatureType.value_for(utype)))
        res = self._call("update_features", args, {"validate_only": bool(validate_only)},
                         timeout_ms=timeout_ms)
        out = {name: "OK" if err is None else str(_cls(err)(err.str())) for name, err in res}
        for name in feature_updates:
            out.setdefault(name, "OK")
        return out

    def api_versions(self):
        """{ApiKey: (min, max)} of a broker (asked directly: librdkafka keeps its ApiVersions
        internal). Needs a PLAINTEXT listener."""
        md = self._metadata()
        brokers = sorted(md.brokers.values(), key=lambda b: b.id)
        return self._probe(brokers[0] if brokers else None).api_versions

    def get_broker_version_data(self, broker_id):
        """A BrokerVersionData (api_versions, api_version(), broker_version) of one broker."""
        b = self._metadata().brokers.get(broker_id)
        if b is None:
            raise Errors.UnknownBrokerIdError("Broker id %s not in the cluster metadata" % (
                broker_id,))
        return self._probe(b)

    def _probe(self, broker):
        proto = str(self.config.get("security_protocol") or "PLAINTEXT").upper()
        if proto != "PLAINTEXT":
            raise Errors.IncompatibleBrokerVersion(
                "api_versions()/get_broker_version_data() in kafkars.kafka ask the broker "
                "themselves and only over PLAINTEXT (security_protocol is %s)" % proto)
        if broker is None:
            raise Errors.NoBrokersAvailable("no broker in the metadata")
        versions = probe_api_versions(broker.host, broker.port, self.config["client_id"],
                                      self.config["request_timeout_ms"] / 1000.0)
        return BrokerVersionData(versions)

    # -- ACLs -------------------------------------------------------------------------------

    def describe_acls(self, acl_filter):
        """([ACL], NoError) matching an ACLFilter; an error raises."""
        rows = self._call("describe_acls", _acl_args(acl_filter))
        return [_acl(r) for r in rows], Errors.NoError

    def create_acls(self, acls):
        """Create ACLs: {'succeeded': [ACL], 'failed': [error class]}."""
        for a in acls:
            if not isinstance(a, ACL):
                raise Errors.IllegalArgumentError("acls must contain ACL objects")
        acls = list(acls)
        res = self._call("create_acls", [_acl_args(a) for a in acls])
        out = {"succeeded": [], "failed": []}
        for a, err in zip(acls, res):
            if err is None:
                out["succeeded"].append(a)
            else:
                out["failed"].append(_cls(err))
        return out

    def delete_acls(self, acl_filters):
        """Delete the ACLs matching each ACLFilter: [(filter, [deleted ACL], error class)]."""
        for f in acl_filters:
            if not isinstance(f, ACLFilter):
                raise Errors.IllegalArgumentError(
                    "acl_filters must contain ACLFilter type objects")
        acl_filters = list(acl_filters)
        res = self._call("delete_acls", [_acl_args(f) for f in acl_filters])
        return [(f, [_acl(r) for r in rows], _cls(err))
                for f, (err, rows) in zip(acl_filters, res)]

    # -- SCRAM users ------------------------------------------------------------------------

    def describe_user_scram_credentials(self, users=None):
        """{user: {'error': text | None, 'credential_infos': [{'mechanism', 'iterations'}]}}."""
        res = self._call("describe_user_scram_credentials",
                         None if users is None else list(users))
        out = {}
        for user, err, infos in res:
            out[user] = {"error": None if err is None else err.str(),
                         "credential_infos": [] if err is not None else [
                             {"mechanism": ScramMechanism(m), "iterations": i}
                             for m, i in infos]}
        return out

    def alter_user_scram_credentials(self, alterations):
        """Upsert/delete SCRAM credentials: {user: error text | None}."""
        args = []
        for alt in alterations:
            if isinstance(alt, UserScramCredentialDeletion):
                args.append(("delete", alt.user, int(alt.mechanism)))
            elif isinstance(alt, UserScramCredentialUpsertion):
                args.append(("upsert", alt.user, int(alt.mechanism), int(alt.iterations),
                             bytes(alt._password), bytes(alt.salt)))
            else:
                raise Errors.IllegalArgumentError(
                    "alterations must be UserScramCredentialDeletion or "
                    "UserScramCredentialUpsertion, got %s" % type(alt).__name__)
        res = self._call("alter_user_scram_credentials", args)
        return {user: None if err is None else err.str() for user, err in res}

    # -- transactions (kafkars extensions) --------------------------------------------------

    def list_transactions(self, broker_ids=None, producer_id_filters=None, state_filters=None,
                          duration_filter_ms=None, transactional_id_pattern=None):
        """{broker id: [TransactionListing]} of every broker (or broker_ids)."""
        opts = {}
        if state_filters:
            opts["match_transaction_states"] = [
                _TXN_STATES.index(TransactionState.build_from(s)) for s in state_filters]
        if producer_id_filters:
            opts["match_producer_ids"] = [int(p) for p in producer_id_filters]
        if duration_filter_ms is not None:
            opts["min_transaction_duration_ms"] = int(duration_filter_ms)
        if transactional_id_pattern is not None:
            opts["transactional_id_pattern"] = transactional_id_pattern
        if broker_ids is not None:
            self._check_brokers(broker_ids)
        calls = [None] if broker_ids is None else list(broker_ids)
        keys = self._broker_ids() if broker_ids is None else list(broker_ids)
        out = {b: [] for b in keys}
        for b in calls:
            o = dict(opts)
            if b is not None:
                o["broker"] = b
            rows, errs = self._call("list_transactions", None, o)
            for err in errs:
                if err is not None:
                    raise _cls(err)("ListTransactionsRequest failed: %s" % err.str())
            for txid, pid, state, bid in rows:
                out.setdefault(bid if b is None else b, []).append(
                    TransactionListing(txid, pid, _txn_state(state)))
        return out

    def describe_transactions(self, transactional_ids):
        """{transactional id: TransactionDescription}; a per-id error raises."""
        ids = list(transactional_ids)
        if not ids:
            return {}
        out = {}
        for (txid, err, coord, state, pid, epoch, timeout, start,
             tps) in self._call("describe_transactions", ids):
            if err is not None:
                raise _cls(err)("DescribeTransactionsRequest failed for transactional id "
                                "'%s'." % txid)
            out[txid] = TransactionDescription(
                -1 if coord is None else coord[0], _txn_state(state), pid, epoch, timeout, start,
                {TopicPartition(t, p) for t, p in tps})
        return out

    def describe_producers(self, partitions, broker_id=None):
        """{TopicPartition: PartitionProducerState} (the leaders', or broker_id's, view)."""
        partitions = list(partitions)
        if not partitions:
            return {}
        opts = {}
        if broker_id is None:
            self._leaders(partitions)
        else:
            self._check_brokers([broker_id])
            opts["broker"] = broker_id
        out = {}
        for t, p, err, prods in self._call(
                "describe_producers", [(tp.topic, tp.partition) for tp in partitions], opts):
            tp = TopicPartition(t, p)
            if err is not None:
                raise _cls(err)("DescribeProducersRequest failed for %s: %s" % (tp, err.str()))
            out[tp] = PartitionProducerState([ProducerState(*row) for row in prods])
        return out

    def abort_transaction(self, spec):
        """Abort an open transaction on a partition (WriteTxnMarkers at its leader)."""
        self._leaders([spec.topic_partition])
        tp = spec.topic_partition
        self._call("abort_transaction", (tp.topic, tp.partition, int(spec.producer_id),
                                         int(spec.producer_epoch), int(spec.coordinator_epoch)))

    def find_hanging_transactions(self, broker_ids=None, max_transaction_timeout_ms=900000):
        """Open transactions older than max_transaction_timeout_ms + 5 minutes, as dicts."""
        limit = max_transaction_timeout_ms + 5 * 60 * 1000
        listed = self.list_transactions(broker_ids=broker_ids)
        ids = sorted({t.transactional_id for ts in listed.values() for t in ts})
        if not ids:
            return []
        descs = self.describe_transactions(ids)
        now = int(time.time() * 1000)
        out = []
        for txid, d in descs.items():
            if d.state in (TransactionState.EMPTY, TransactionState.COMPLETE_COMMIT,
                           TransactionState.COMPLETE_ABORT, TransactionState.DEAD):
                continue
            if d.transaction_start_time_ms < 0 or now - d.transaction_start_time_ms < limit:
                continue
            out.append({"transactional_id": txid, "producer_id": d.producer_id,
                        "producer_epoch": d.producer_epoch, "state": d.state.value,
                        "age_ms": now - d.transaction_start_time_ms,
                        "coordinator_id": d.coordinator_id,
                        "topic_partitions": sorted(d.topic_partitions)})
        return out
