"""kafka-python's exceptions (``kafka.errors``) for kafkars.kafka.

The class names, hierarchy, ``retriable``/``invalid_metadata`` flags and broker error
codes are kafka-python's, so that ``except kafka.errors.X`` keeps working after
replacing ``kafka`` with ``kafkars.kafka``. ``for_code(code)`` maps a Kafka protocol
error code to its class; ``from_native(kafka_error)`` maps a kafkars/librdkafka
``KafkaError`` (including librdkafka's negative local codes) to an instance.
"""


class KafkaError(Exception):
    retriable = False
    invalid_metadata = False  # whether metadata should be refreshed on this error

    def __str__(self):
        if not self.args:
            return self.__class__.__name__
        return "{0}: {1}".format(self.__class__.__name__, super().__str__())

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self.args == other.args

    __hash__ = Exception.__hash__


class RetriableError(KafkaError):
    retriable = True


class InvalidMetadataError(RetriableError):
    invalid_metadata = True


class Cancelled(RetriableError):
    pass


class CommitFailedError(KafkaError):
    def __init__(self, *args):
        super().__init__(*(args or ("Commit cannot be completed since the group has already"
                                    " rebalanced and assigned the partitions to another member.",)))


class IllegalArgumentError(KafkaError):
    pass


class IllegalStateError(KafkaError):
    pass


class KafkaConfigurationError(KafkaError):
    pass


class KafkaConnectionError(InvalidMetadataError):
    pass


class KafkaProtocolError(KafkaError):
    pass


class CorrelationIdError(RetriableError, KafkaProtocolError):
    pass


class InvalidReceiveError(KafkaProtocolError):
    pass


class KafkaTimeoutError(RetriableError):
    pass


class NoBrokersAvailable(KafkaTimeoutError):
    """No broker answered within bootstrap_timeout_ms. kafka-python 3 raises
    KafkaTimeoutError there, 2.x NoBrokersAvailable: this is both."""


class MetadataEmptyBrokerList(RetriableError):
    pass


class NoOffsetForPartitionError(KafkaError):
    pass


class LogTruncationError(KafkaError):
    def __init__(self, divergent_offsets, *args):
        self.divergent_offsets = divergent_offsets
        super().__init__(*(args or ("Detected truncated partitions: %s" % (divergent_offsets,),)))


class NodeNotReadyError(RetriableError):
    pass


class UnknownBrokerIdError(KafkaError):
    pass


class QuotaViolationError(KafkaError):
    pass


class StaleMetadata(InvalidMetadataError):
    pass


class TooManyInFlightRequests(RetriableError):
    pass


class UnrecognizedBrokerVersion(KafkaError):
    pass


class UnsupportedCodecError(KafkaError):
    pass


class TransactionAbortedError(KafkaError):
    message = "Failing batch since transaction was aborted"


class BrokerResponseError(KafkaError):
    errno = None
    message = None
    description = None

    def __str__(self):
        return "[Error {0}] {1}".format(self.errno, super().__str__())


class AuthorizationError(BrokerResponseError):
    pass


# Broker error codes: (code, class name, Kafka's name, base). Bases: B = BrokerResponseError,
# R = retriable, M = invalid metadata (retriable), A = AuthorizationError.
_BROKER_ERRORS = """
0 NoError NO_ERROR B|-1 UnknownError UNKNOWN B|1 OffsetOutOfRangeError OFFSET_OUT_OF_RANGE B
2 CorruptRecordError CORRUPT_MESSAGE B|3 UnknownTopicOrPartitionError UNKNOWN_TOPIC_OR_PARTITION M
4 InvalidFetchRequestError INVALID_FETCH_SIZE B|5 LeaderNotAvailableError LEADER_NOT_AVAILABLE M
6 NotLeaderForPartitionError NOT_LEADER_FOR_PARTITION M|7 RequestTimedOutError REQUEST_TIMED_OUT R
8 BrokerNotAvailableError BROKER_NOT_AVAILABLE B|9 ReplicaNotAvailableError REPLICA_NOT_AVAILABLE M
10 MessageSizeTooLargeError MESSAGE_SIZE_TOO_LARGE B|11 StaleControllerEpochError STALE_CONTROLLER_EPOCH B
12 OffsetMetadataTooLargeError OFFSET_METADATA_TOO_LARGE B|13 NetworkExceptionError NETWORK_EXCEPTION M
14 CoordinatorLoadInProgressError COORDINATOR_LOAD_IN_PROGRESS R
15 CoordinatorNotAvailableError COORDINATOR_NOT_AVAILABLE R|16 NotCoordinatorError NOT_COORDINATOR R
17 InvalidTopicError INVALID_TOPIC B|18 RecordListTooLargeError RECORD_LIST_TOO_LARGE B
19 NotEnoughReplicasError NOT_ENOUGH_REPLICAS R
20 NotEnoughReplicasAfterAppendError NOT_ENOUGH_REPLICAS_AFTER_APPEND R
21 InvalidRequiredAcksError INVALID_REQUIRED_ACKS B|22 IllegalGenerationError ILLEGAL_GENERATION B
23 InconsistentGroupProtocolError INCONSISTENT_GROUP_PROTOCOL B|24 InvalidGroupIdError INVALID_GROUP_ID B
25 UnknownMemberIdError UNKNOWN_MEMBER_ID B|26 InvalidSessionTimeoutError INVALID_SESSION_TIMEOUT B
27 RebalanceInProgressError REBALANCE_IN_PROGRESS B
28 InvalidCommitOffsetSizeError INVALID_COMMIT_OFFSET_SIZE B
29 TopicAuthorizationFailedError TOPIC_AUTHORIZATION_FAILED A
30 GroupAuthorizationFailedError GROUP_AUTHORIZATION_FAILED A
31 ClusterAuthorizationFailedError CLUSTER_AUTHORIZATION_FAILED A
32 InvalidTimestampError INVALID_TIMESTAMP B|33 UnsupportedSaslMechanismError UNSUPPORTED_SASL_MECHANISM B
34 IllegalSaslStateError ILLEGAL_SASL_STATE B|35 UnsupportedVersionError UNSUPPORTED_VERSION B
36 TopicAlreadyExistsError TOPIC_ALREADY_EXISTS B|37 InvalidPartitionsError INVALID_PARTITIONS B
38 InvalidReplicationFactorError INVALID_REPLICATION_FACTOR B
39 InvalidReplicationAssignmentError INVALID_REPLICATION_ASSIGNMENT B
40 InvalidConfigurationError INVALID_CONFIG B|41 NotControllerError NOT_CONTROLLER R
42 InvalidRequestError INVALID_REQUEST B
43 UnsupportedForMessageFormatError UNSUPPORTED_FOR_MESSAGE_FORMAT B
44 PolicyViolationError POLICY_VIOLATION B
45 OutOfOrderSequenceNumberError OUT_OF_ORDER_SEQUENCE_NUMBER B
46 DuplicateSequenceNumberError DUPLICATE_SEQUENCE_NUMBER B
47 InvalidProducerEpochError INVALID_PRODUCER_EPOCH B|48 InvalidTxnStateError INVALID_TXN_STATE B
49 InvalidProducerIdMappingError INVALID_PRODUCER_ID_MAPPING B
50 InvalidTransactionTimeoutError INVALID_TRANSACTION_TIMEOUT B
51 ConcurrentTransactionsError CONCURRENT_TRANSACTIONS R
52 TransactionCoordinatorFencedError TRANSACTION_COORDINATOR_FENCED B
53 TransactionalIdAuthorizationFailedError TRANSACTIONAL_ID_AUTHORIZATION_FAILED A
54 SecurityDisabledError SECURITY_DISABLED B|55 OperationNotAttemptedError OPERATION_NOT_ATTEMPTED B
56 KafkaStorageError KAFKA_STORAGE_ERROR M|57 LogDirNotFoundError LOG_DIR_NOT_FOUND B
58 SaslAuthenticationFailedError SASL_AUTHENTICATION_FAILED B
59 UnknownProducerIdError UNKNOWN_PRODUCER_ID B|60 ReassignmentInProgressError REASSIGNMENT_IN_PROGRESS B
61 DelegationTokenAuthDisabledError DELEGATION_TOKEN_AUTH_DISABLED B
62 DelegationTokenNotFoundError DELEGATION_TOKEN_NOT_FOUND B
63 DelegationTokenOwnerMismatchError DELEGATION_TOKEN_OWNER_MISMATCH B
64 DelegationTokenRequestNotAllowedError DELEGATION_TOKEN_REQUEST_NOT_ALLOWED B
65 DelegationTokenAuthorizationFailedError DELEGATION_TOKEN_AUTHORIZATION_FAILED A
66 DelegationTokenExpiredError DELEGATION_TOKEN_EXPIRED B
67 InvalidPrincipalTypeError INVALID_PRINCIPAL_TYPE B|68 NonEmptyGroupError NON_EMPTY_GROUP B
69 GroupIdNotFoundError GROUP_ID_NOT_FOUND B
70 FetchSessionIdNotFoundError FETCH_SESSION_ID_NOT_FOUND R
71 InvalidFetchSessionEpochError INVALID_FETCH_SESSION_EPOCH R
72 ListenerNotFoundError LISTENER_NOT_FOUND M|73 TopicDeletionDisabledError TOPIC_DELETION_DISABLED B
74 FencedLeaderEpochError FENCED_LEADER_EPOCH M|75 UnknownLeaderEpochError UNKNOWN_LEADER_EPOCH M
76 UnsupportedCompressionTypeError UNSUPPORTED_COMPRESSION_TYPE B
77 StaleBrokerEpochError STALE_BROKER_EPOCH B|78 OffsetNotAvailableError OFFSET_NOT_AVAILABLE R
79 MemberIdRequiredError MEMBER_ID_REQUIRED B
80 PreferredLeaderNotAvailableError PREFERRED_LEADER_NOT_AVAILABLE M
81 GroupMaxSizeReachedError GROUP_MAX_SIZE_REACHED B|82 FencedInstanceIdError FENCED_INSTANCE_ID B
83 EligibleLeadersNotAvailableError ELIGIBLE_LEADERS_NOT_AVAILABLE M
84 ElectionNotNeededError ELECTION_NOT_NEEDED M
85 NoReassignmentInProgressError NO_REASSIGNMENT_IN_PROGRESS B
86 GroupSubscribedToTopicError GROUP_SUBSCRIBED_TO_TOPIC B|87 InvalidRecordError INVALID_RECORD B
88 UnstableOffsetCommitError UNSTABLE_OFFSET_COMMIT R
89 ThrottlingQuotaExceededError THROTTLING_QUOTA_EXCEEDED R|90 ProducerFencedError PRODUCER_FENCED B
91 ResourceNotFoundError RESOURCE_NOT_FOUND B|92 DuplicateResourceError DUPLICATE_RESOURCE B
93 UnacceptableCredentialError UNACCEPTABLE_CREDENTIAL B
94 InconsistentVoterSetError INCONSISTENT_VOTER_SET B
95 InvalidUpdateVersionError INVALID_UPDATE_VERSION B|96 FeatureUpdateFailedError FEATURE_UPDATE_FAILED B
97 PrincipalDeserializationFailureError PRINCIPAL_DESERIALIZATION_FAILURE B
98 SnapshotNotFoundError SNAPSHOT_NOT_FOUND B|99 PositionOutOfRangeError POSITION_OUT_OF_RANGE B
100 UnknownTopicIdError UNKNOWN_TOPIC_ID M
101 DuplicateBrokerRegistrationError DUPLICATE_BROKER_REGISTRATION B
102 BrokerIdNotRegisteredError BROKER_ID_NOT_REGISTERED B
103 InconsistentTopicIdError INCONSISTENT_TOPIC_ID M
104 InconsistentClusterIdError INCONSISTENT_CLUSTER_ID B
105 TransactionalIdNotFoundError TRANSACTIONAL_ID_NOT_FOUND B
106 FetchSessionTopicIdError FETCH_SESSION_TOPIC_ID_ERROR R
107 IneligibleReplicaError INELIGIBLE_REPLICA B|108 NewLeaderElectedError NEW_LEADER_ELECTED B
109 OffsetMovedToTieredStorageError OFFSET_MOVED_TO_TIERED_STORAGE B
110 FencedMemberEpochError FENCED_MEMBER_EPOCH B|111 UnreleasedInstanceIdError UNRELEASED_INSTANCE_ID B
112 UnsupportedAssignorError UNSUPPORTED_ASSIGNOR B|113 StaleMemberEpochError STALE_MEMBER_EPOCH B
114 MismatchedEndpointTypeError MISMATCHED_ENDPOINT_TYPE B
115 UnsupportedEndpointTypeError UNSUPPORTED_ENDPOINT_TYPE B
116 UnknownControllerIdError UNKNOWN_CONTROLLER_ID B
117 UnknownSubscriptionIdError UNKNOWN_SUBSCRIPTION_ID B
118 TelemetryTooLargeError TELEMETRY_TOO_LARGE B|119 InvalidRegistrationError INVALID_REGISTRATION B
120 TransactionAbortableError TRANSACTION_ABORTABLE B|121 InvalidRecordStateError INVALID_RECORD_STATE B
122 ShareSessionNotFoundError SHARE_SESSION_NOT_FOUND R
123 InvalidShareSessionEpochError INVALID_SHARE_SESSION_EPOCH R
124 FencedStateEpochError FENCED_STATE_EPOCH B|125 InvalidVoterKeyError INVALID_VOTER_KEY B
126 DuplicateVoterError DUPLICATE_VOTER B|127 VoterNotFoundError VOTER_NOT_FOUND B
"""

_BASES = {"B": (BrokerResponseError,), "R": (RetriableError, BrokerResponseError),
          "M": (InvalidMetadataError, BrokerResponseError), "A": (AuthorizationError,)}
kafka_errors = {}
for _row in _BROKER_ERRORS.replace("\n", "|").split("|"):
    if _row.strip():
        _code, _name, _msg, _base = _row.split()
        _cls = type(_name, _BASES[_base], {"errno": int(_code), "message": _msg, "__module__": __name__})
        globals()[_name] = _cls
        kafka_errors[int(_code)] = _cls
del _row, _code, _name, _msg, _base, _cls

CorruptRecordException = CorruptRecordError  # noqa: F821  (kafka-python's alias)


class IncompatibleBrokerVersion(UnsupportedVersionError):  # noqa: F821
    pass


def for_code(error_code):
    """The class for a Kafka protocol error code (an UnknownError subclass when unknown)."""
    if error_code in kafka_errors:
        return kafka_errors[error_code]
    return type("UnrecognizedBrokerError", (UnknownError,), {"errno": error_code})  # noqa: F821


# librdkafka's local (negative) error codes -> kafka-python classes. Codes not listed map to
# KafkaError (with librdkafka's text).
_LOCAL = {
    "_TIMED_OUT": KafkaTimeoutError, "_MSG_TIMED_OUT": KafkaTimeoutError,
    "_TIMED_OUT_QUEUE": KafkaTimeoutError, "_QUEUE_FULL": KafkaTimeoutError,
    "_TRANSPORT": KafkaConnectionError, "_ALL_BROKERS_DOWN": KafkaConnectionError,
    "_RESOLVE": KafkaConnectionError, "_DESTROY": IllegalStateError, "_STATE": IllegalStateError,
    "_INVALID_ARG": IllegalArgumentError, "_UNKNOWN_TOPIC": "UnknownTopicOrPartitionError",
    "_UNKNOWN_PARTITION": "UnknownTopicOrPartitionError", "_NOT_IMPLEMENTED": "UnsupportedVersionError",
    "_UNSUPPORTED_FEATURE": "UnsupportedVersionError", "_BAD_MSG": "CorruptRecordError",
    "_BAD_COMPRESSION": UnsupportedCodecError, "_MSG_SIZE_TOO_LARGE": "MessageSizeTooLargeError",
    "_AUTHENTICATION": "SaslAuthenticationFailedError", "_FENCED": "ProducerFencedError",
    "_AUTO_OFFSET_RESET": NoOffsetForPartitionError, "_PURGE_QUEUE": Cancelled,
    "_PURGE_INFLIGHT": Cancelled, "_WAIT_COORD": "CoordinatorNotAvailableError",
    "_NO_OFFSET": NoOffsetForPartitionError, "_LOG_TRUNCATION": LogTruncationError,
    "_UNKNOWN_GROUP": "GroupIdNotFoundError", "_SSL": KafkaConnectionError,
}


def _local_map():
    try:
        from kafkars import KafkaError as _N
    except ImportError:  # pragma: no cover
        return {}
    out = {}
    for name, cls in _LOCAL.items():
        code = getattr(_N, name, None)
        if code is not None:
            out[code] = globals()[cls] if isinstance(cls, str) else cls
    return out


_LOCAL_CODES = _local_map()


def from_native(err, text=None):
    """A kafka-python exception instance for a kafkars KafkaError (or KafkaException)."""
    if hasattr(err, "args") and err.args and not hasattr(err, "code"):
        err = err.args[0]  # a KafkaException: its KafkaError
    if not hasattr(err, "code"):
        return KafkaError(str(err))
    code, msg = err.code(), text or err.str()
    if code >= -1 and code in kafka_errors:
        return kafka_errors[code](msg)
    if code >= 0:
        return for_code(code)(msg)
    cls = _LOCAL_CODES.get(code, KafkaError)
    if cls is LogTruncationError:
        return cls({}, msg)
    return cls(msg)
