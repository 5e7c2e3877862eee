"""api_versions() / get_broker_version_data(): librdkafka negotiates ApiVersions per
connection and keeps the answer internal, so these ask the broker themselves (one ApiVersions
v0 request on a short-lived PLAINTEXT connection)."""
import socket
import struct
from enum import IntEnum

from .. import errors as Errors

_NAMES = (
    "Produce Fetch ListOffsets Metadata LeaderAndIsr StopReplica UpdateMetadata "
    "ControlledShutdown OffsetCommit OffsetFetch FindCoordinator JoinGroup Heartbeat LeaveGroup "
    "SyncGroup DescribeGroups ListGroups SaslHandshake ApiVersions CreateTopics DeleteTopics "
    "DeleteRecords InitProducerId OffsetForLeaderEpoch AddPartitionsToTxn AddOffsetsToTxn EndTxn "
    "WriteTxnMarkers TxnOffsetCommit DescribeAcls CreateAcls DeleteAcls DescribeConfigs "
    "AlterConfigs AlterReplicaLogDirs DescribeLogDirs SaslAuthenticate CreatePartitions "
    "CreateDelegationToken RenewDelegationToken ExpireDelegationToken DescribeDelegationToken "
    "DeleteGroups ElectLeaders IncrementalAlterConfigs AlterPartitionReassignments "
    "ListPartitionReassignments OffsetDelete DescribeClientQuotas AlterClientQuotas "
    "DescribeUserScramCredentials AlterUserScramCredentials Vote BeginQuorumEpoch EndQuorumEpoch "
    "DescribeQuorum AlterPartition UpdateFeatures Envelope FetchSnapshot DescribeCluster "
    "DescribeProducers BrokerRegistration BrokerHeartbeat UnregisterBroker DescribeTransactions "
    "ListTransactions AllocateProducerIds ConsumerGroupHeartbeat ConsumerGroupDescribe "
    "ControllerRegistration GetTelemetrySubscriptions PushTelemetry AssignReplicasToDirs "
    "ListConfigResources DescribeTopicPartitions ShareGroupHeartbeat ShareGroupDescribe "
    "ShareFetch ShareAcknowledge AddRaftVoter RemoveRaftVoter UpdateRaftVoter "
    "InitializeShareGroupState ReadShareGroupState WriteShareGroupState DeleteShareGroupState "
    "ReadShareGroupStateSummary StreamsGroupHeartbeat StreamsGroupDescribe "
    "DescribeShareGroupOffsets AlterShareGroupOffsets DeleteShareGroupOffsets").split()

ApiKey = IntEnum("ApiKey", [(n, i) for i, n in enumerate(_NAMES)])
ApiKey.__module__ = __name__

# (broker version, api key, the max version that release introduced), newest first
_MARKERS = [((4, 3), ApiKey.DescribeLogDirs, 5), ((4, 2), ApiKey.ListOffsets, 11),
            ((4, 1), ApiKey.Produce, 13), ((4, 0), ApiKey.Produce, 12),
            ((3, 9), ApiKey.Fetch, 17), ((3, 8), ApiKey.Produce, 11),
            ((3, 7), ApiKey.Produce, 10), ((3, 6), ApiKey.AddPartitionsToTxn, 4),
            ((3, 5), ApiKey.Fetch, 15), ((3, 4), ApiKey.Envelope, 0),
            ((3, 3), ApiKey.DescribeAcls, 3), ((3, 2), ApiKey.LeaveGroup, 5),
            ((3, 1), ApiKey.Fetch, 13), ((3, 0), ApiKey.ListOffsets, 7),
            ((2, 8), ApiKey.Produce, 9), ((2, 7), ApiKey.Fetch, 12),
            ((2, 6), ApiKey.DeleteRecords, 2), ((2, 5), ApiKey.OffsetFetch, 7),
            ((2, 4), ApiKey.Produce, 8), ((2, 3), ApiKey.Fetch, 11),
            ((2, 2), ApiKey.ListOffsets, 5), ((2, 1), ApiKey.Produce, 7),
            ((2, 0), ApiKey.Produce, 6), ((1, 1), ApiKey.Fetch, 7), ((1, 0), ApiKey.Produce, 5),
            ((0, 11), ApiKey.Produce, 3), ((0, 10, 2), ApiKey.OffsetFetch, 2),
            ((0, 10, 1), ApiKey.Fetch, 3), ((0, 10, 0), ApiKey.Produce, 2)]


def infer_broker_version(api_versions):
    for version, key, vmax in _MARKERS:
        if key in api_versions and api_versions[key][1] >= vmax:
            return version
    return (0, 10, 0)


class BrokerVersionData:
    """A broker's ApiVersions: api_versions {key: (min, max)}, broker_version (inferred),
    api_version(ApiKey or request class, min_version, max_version)."""
    __slots__ = ("broker_version", "api_versions")

    def __init__(self, api_versions):
        self.api_versions = api_versions
        self.broker_version = infer_broker_version(api_versions)

    @property
    def broker_version_str(self):
        return ".".join(map(str, self.broker_version))

    def api_version(self, operation, min_version=0, max_version=float("inf")):
        if min_version > max_version:
            raise ValueError("min_version must not be greater than max_version")
        key = int(operation) if isinstance(operation, int) else operation.API_KEY
        if key not in self.api_versions:
            raise Errors.IncompatibleBrokerVersion(
                "Kafka broker does not support the '%s' Kafka protocol." % (
                    getattr(operation, "name", key),))
        bmin, bmax = self.api_versions[key]
        if min_version > bmax or max_version < bmin:
            raise Errors.IncompatibleBrokerVersion(
                "No version of API %s is supported by both the client [%s-%s] and broker "
                "[%s-%s]." % (key, min_version, max_version, bmin, bmax))
        return min(max_version, bmax)

    def __str__(self):
        return "<BrokerVersionData %s>" % self.broker_version_str

    def __eq__(self, other):
        return isinstance(other, BrokerVersionData) and self.api_versions == other.api_versions


def _recv(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise Errors.KafkaConnectionError("connection closed by the broker")
        buf += chunk
    return buf


def probe_api_versions(host, port, client_id, timeout):
    """{ApiKey: (min, max)} from one ApiVersions v0 request to host:port."""
    cid = (client_id or "").encode()
    req = struct.pack(">hhih", 18, 0, 1, len(cid)) + cid
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(struct.pack(">i", len(req)) + req)
            size, = struct.unpack(">i", _recv(s, 4))
            body = _recv(s, size)
    except OSError as e:
        raise Errors.KafkaConnectionError("ApiVersions to %s:%s: %s" % (host, port, e))
    _corr, err, n = struct.unpack_from(">ihi", body, 0)
    if err:
        raise Errors.for_code(err)("ApiVersionsRequest failed")
    out, pos = {}, 10
    for _ in range(n):
        key, vmin, vmax = struct.unpack_from(">hhh", body, pos)
        pos += 6
        try:
            out[ApiKey(key)] = (vmin, vmax)
        except ValueError:
            out[key] = (vmin, vmax)
    return out
