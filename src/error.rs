//! librdkafka's error codes (rd_kafka_resp_err_t) and the rich error object
//! (rd_kafka_error_t), with the exact names and strings librdkafka prints.

use std::borrow::Cow;
use std::fmt;

// The table is a plain data file shared with build.rs (which generates the C enum).
mod table {
    include!("error_table.rs");
}
pub use table::{ERROR_ALIASES, ERROR_TABLE};

/// An `rd_kafka_resp_err_t` value. Any i32 is representable because brokers
/// may send codes newer than our table.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(transparent)]
pub struct ErrorCode(pub i32);

macro_rules! error_codes {
    ($($name:ident = $code:expr,)*) => {
        #[allow(non_upper_case_globals)]
        impl ErrorCode {
            $(
                #[doc = concat!("`RD_KAFKA_RESP_ERR_", stringify!($name), "`")]
                pub const $name: ErrorCode = ErrorCode($code);
            )*
        }

        /// Every const declared above, so tests can prove it matches ERROR_TABLE.
        #[cfg(test)]
        const DECLARED: &[(&str, i32)] = &[$((stringify!($name), $code),)*];
    };
}

error_codes! {
    _BEGIN = -200,
    _BAD_MSG = -199,
    _BAD_COMPRESSION = -198,
    _DESTROY = -197,
    _FAIL = -196,
    _TRANSPORT = -195,
    _CRIT_SYS_RESOURCE = -194,
    _RESOLVE = -193,
    _MSG_TIMED_OUT = -192,
    _PARTITION_EOF = -191,
    _UNKNOWN_PARTITION = -190,
    _FS = -189,
    _UNKNOWN_TOPIC = -188,
    _ALL_BROKERS_DOWN = -187,
    _INVALID_ARG = -186,
    _TIMED_OUT = -185,
    _QUEUE_FULL = -184,
    _ISR_INSUFF = -183,
    _NODE_UPDATE = -182,
    _SSL = -181,
    _WAIT_COORD = -180,
    _UNKNOWN_GROUP = -179,
    _IN_PROGRESS = -178,
    _PREV_IN_PROGRESS = -177,
    _EXISTING_SUBSCRIPTION = -176,
    _ASSIGN_PARTITIONS = -175,
    _REVOKE_PARTITIONS = -174,
    _CONFLICT = -173,
    _STATE = -172,
    _UNKNOWN_PROTOCOL = -171,
    _NOT_IMPLEMENTED = -170,
    _AUTHENTICATION = -169,
    _NO_OFFSET = -168,
    _OUTDATED = -167,
    _TIMED_OUT_QUEUE = -166,
    _UNSUPPORTED_FEATURE = -165,
    _WAIT_CACHE = -164,
    _INTR = -163,
    _KEY_SERIALIZATION = -162,
    _VALUE_SERIALIZATION = -161,
    _KEY_DESERIALIZATION = -160,
    _VALUE_DESERIALIZATION = -159,
    _PARTIAL = -158,
    _READ_ONLY = -157,
    _NOENT = -156,
    _UNDERFLOW = -155,
    _INVALID_TYPE = -154,
    _RETRY = -153,
    _PURGE_QUEUE = -152,
    _PURGE_INFLIGHT = -151,
    _FATAL = -150,
    _INCONSISTENT = -149,
    _GAPLESS_GUARANTEE = -148,
    _MAX_POLL_EXCEEDED = -147,
    _UNKNOWN_BROKER = -146,
    _NOT_CONFIGURED = -145,
    _FENCED = -144,
    _APPLICATION = -143,
    _ASSIGNMENT_LOST = -142,
    _NOOP = -141,
    _AUTO_OFFSET_RESET = -140,
    _LOG_TRUNCATION = -139,
    _INVALID_DIFFERENT_RECORD = -138,
    _DESTROY_BROKER = -137,
    _END = -100,
    UNKNOWN = -1,
    NO_ERROR = 0,
    OFFSET_OUT_OF_RANGE = 1,
    INVALID_MSG = 2,
    UNKNOWN_TOPIC_OR_PART = 3,
    INVALID_MSG_SIZE = 4,
    LEADER_NOT_AVAILABLE = 5,
    NOT_LEADER_FOR_PARTITION = 6,
    REQUEST_TIMED_OUT = 7,
    BROKER_NOT_AVAILABLE = 8,
    REPLICA_NOT_AVAILABLE = 9,
    MSG_SIZE_TOO_LARGE = 10,
    STALE_CTRL_EPOCH = 11,
    OFFSET_METADATA_TOO_LARGE = 12,
    NETWORK_EXCEPTION = 13,
    COORDINATOR_LOAD_IN_PROGRESS = 14,
    COORDINATOR_NOT_AVAILABLE = 15,
    NOT_COORDINATOR = 16,
    TOPIC_EXCEPTION = 17,
    RECORD_LIST_TOO_LARGE = 18,
    NOT_ENOUGH_REPLICAS = 19,
    NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20,
    INVALID_REQUIRED_ACKS = 21,
    ILLEGAL_GENERATION = 22,
    INCONSISTENT_GROUP_PROTOCOL = 23,
    INVALID_GROUP_ID = 24,
    UNKNOWN_MEMBER_ID = 25,
    INVALID_SESSION_TIMEOUT = 26,
    REBALANCE_IN_PROGRESS = 27,
    INVALID_COMMIT_OFFSET_SIZE = 28,
    TOPIC_AUTHORIZATION_FAILED = 29,
    GROUP_AUTHORIZATION_FAILED = 30,
    CLUSTER_AUTHORIZATION_FAILED = 31,
    INVALID_TIMESTAMP = 32,
    UNSUPPORTED_SASL_MECHANISM = 33,
    ILLEGAL_SASL_STATE = 34,
    UNSUPPORTED_VERSION = 35,
    TOPIC_ALREADY_EXISTS = 36,
    INVALID_PARTITIONS = 37,
    INVALID_REPLICATION_FACTOR = 38,
    INVALID_REPLICA_ASSIGNMENT = 39,
    INVALID_CONFIG = 40,
    NOT_CONTROLLER = 41,
    INVALID_REQUEST = 42,
    UNSUPPORTED_FOR_MESSAGE_FORMAT = 43,
    POLICY_VIOLATION = 44,
    OUT_OF_ORDER_SEQUENCE_NUMBER = 45,
    DUPLICATE_SEQUENCE_NUMBER = 46,
    INVALID_PRODUCER_EPOCH = 47,
    INVALID_TXN_STATE = 48,
    INVALID_PRODUCER_ID_MAPPING = 49,
    INVALID_TRANSACTION_TIMEOUT = 50,
    CONCURRENT_TRANSACTIONS = 51,
    TRANSACTION_COORDINATOR_FENCED = 52,
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53,
    SECURITY_DISABLED = 54,
    OPERATION_NOT_ATTEMPTED = 55,
    KAFKA_STORAGE_ERROR = 56,
    LOG_DIR_NOT_FOUND = 57,
    SASL_AUTHENTICATION_FAILED = 58,
    UNKNOWN_PRODUCER_ID = 59,
    REASSIGNMENT_IN_PROGRESS = 60,
    DELEGATION_TOKEN_AUTH_DISABLED = 61,
    DELEGATION_TOKEN_NOT_FOUND = 62,
    DELEGATION_TOKEN_OWNER_MISMATCH = 63,
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED = 64,
    DELEGATION_TOKEN_AUTHORIZATION_FAILED = 65,
    DELEGATION_TOKEN_EXPIRED = 66,
    INVALID_PRINCIPAL_TYPE = 67,
    NON_EMPTY_GROUP = 68,
    GROUP_ID_NOT_FOUND = 69,
    FETCH_SESSION_ID_NOT_FOUND = 70,
    INVALID_FETCH_SESSION_EPOCH = 71,
    LISTENER_NOT_FOUND = 72,
    TOPIC_DELETION_DISABLED = 73,
    FENCED_LEADER_EPOCH = 74,
    UNKNOWN_LEADER_EPOCH = 75,
    UNSUPPORTED_COMPRESSION_TYPE = 76,
    STALE_BROKER_EPOCH = 77,
    OFFSET_NOT_AVAILABLE = 78,
    MEMBER_ID_REQUIRED = 79,
    PREFERRED_LEADER_NOT_AVAILABLE = 80,
    GROUP_MAX_SIZE_REACHED = 81,
    FENCED_INSTANCE_ID = 82,
    ELIGIBLE_LEADERS_NOT_AVAILABLE = 83,
    ELECTION_NOT_NEEDED = 84,
    NO_REASSIGNMENT_IN_PROGRESS = 85,
    GROUP_SUBSCRIBED_TO_TOPIC = 86,
    INVALID_RECORD = 87,
    UNSTABLE_OFFSET_COMMIT = 88,
    THROTTLING_QUOTA_EXCEEDED = 89,
    PRODUCER_FENCED = 90,
    RESOURCE_NOT_FOUND = 91,
    DUPLICATE_RESOURCE = 92,
    UNACCEPTABLE_CREDENTIAL = 93,
    INCONSISTENT_VOTER_SET = 94,
    INVALID_UPDATE_VERSION = 95,
    FEATURE_UPDATE_FAILED = 96,
    PRINCIPAL_DESERIALIZATION_FAILURE = 97,
    UNKNOWN_TOPIC_ID = 100,
    INCONSISTENT_TOPIC_ID = 103,
    FENCED_MEMBER_EPOCH = 110,
    UNRELEASED_INSTANCE_ID = 111,
    UNSUPPORTED_ASSIGNOR = 112,
    STALE_MEMBER_EPOCH = 113,
    MISMATCHED_ENDPOINT_TYPE = 114,
    UNSUPPORTED_ENDPOINT_TYPE = 115,
    UNKNOWN_CONTROLLER_ID = 116,
    UNKNOWN_SUBSCRIPTION_ID = 117,
    TELEMETRY_TOO_LARGE = 118,
    INVALID_REGISTRATION = 119,
    TRANSACTION_ABORTABLE = 120,
    INVALID_RECORD_STATE = 121,
    SHARE_SESSION_NOT_FOUND = 122,
    INVALID_SHARE_SESSION_EPOCH = 123,
    FENCED_STATE_EPOCH = 124,
    INVALID_VOTER_KEY = 125,
    DUPLICATE_VOTER = 126,
    VOTER_NOT_FOUND = 127,
    INVALID_REGULAR_EXPRESSION = 128,
    REBOOTSTRAP_REQUIRED = 129,
    STREAMS_INVALID_TOPOLOGY = 130,
    STREAMS_INVALID_TOPOLOGY_EPOCH = 131,
    STREAMS_TOPOLOGY_FENCED = 132,
    SHARE_SESSION_LIMIT_REACHED = 133,
}

#[allow(non_upper_case_globals)]
impl ErrorCode {
    /// rdkafka.h's alias of NOT_LEADER_FOR_PARTITION (KIP-392 name).
    pub const NOT_LEADER_OR_FOLLOWER: ErrorCode = ErrorCode::NOT_LEADER_FOR_PARTITION;
    /// rdkafka.h's alias of COORDINATOR_LOAD_IN_PROGRESS.
    pub const GROUP_LOAD_IN_PROGRESS: ErrorCode = ErrorCode::COORDINATOR_LOAD_IN_PROGRESS;
    /// rdkafka.h's alias of COORDINATOR_NOT_AVAILABLE.
    pub const GROUP_COORDINATOR_NOT_AVAILABLE: ErrorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
    /// rdkafka.h's alias of NOT_COORDINATOR.
    pub const NOT_COORDINATOR_FOR_GROUP: ErrorCode = ErrorCode::NOT_COORDINATOR;
    /// `RD_KAFKA_RESP_ERR_END_ALL`: one past the highest known code.
    pub const END_ALL: ErrorCode = ErrorCode(ERROR_TABLE[ERROR_TABLE.len() - 1].0 + 1);

    /// The table entry for a code that librdkafka describes; `None` for
    /// unknown codes and for the _BEGIN/_END delimiters (no description).
    pub fn lookup(self) -> Option<&'static (i32, &'static str, &'static str)> {
        let i = ERROR_TABLE.binary_search_by_key(&self.0, |e| e.0).ok()?;
        let entry = &ERROR_TABLE[i];
        if entry.2.is_empty() {
            None
        } else {
            Some(entry)
        }
    }

    /// rd_kafka_err2name(): the enum name without prefix, or `ERR_<code>?`.
    pub fn name(self) -> Cow<'static, str> {
        match self.lookup() {
            Some(e) => Cow::Borrowed(e.1),
            None => Cow::Owned(format!("ERR_{}?", self.0)),
        }
    }

    /// rd_kafka_err2str(): the human readable description, or `Err-<code>?`.
    pub fn description(self) -> Cow<'static, str> {
        match self.lookup() {
            Some(e) => Cow::Borrowed(e.2),
            None => Cow::Owned(format!("Err-{}?", self.0)),
        }
    }

    /// Finds a code by its unprefixed name (table names and rdkafka.h aliases).
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        let name = name.strip_prefix("RD_KAFKA_RESP_ERR_").unwrap_or(name);
        let target = ERROR_ALIASES.iter().find(|a| a.0 == name).map_or(name, |a| a.1);
        ERROR_TABLE.iter().find(|e| e.1 == target).map(|e| ErrorCode(e.0))
    }

    pub fn code(self) -> i32 {
        self.0
    }

    pub fn is_error(self) -> bool {
        self.0 != 0
    }

    /// Errors raised inside the client (RD_KAFKA_RESP_ERR__*), not by a broker.
    pub fn is_local(self) -> bool {
        self.0 > ErrorCode::_BEGIN.0 && self.0 < ErrorCode::_END.0
    }

    /// Whether retrying the same operation may succeed: the broker errors whose
    /// Java exception is a RetriableException (including InvalidMetadataException),
    /// plus the local transport/timeout errors librdkafka retries requests on.
    pub fn is_retriable(self) -> bool {
        matches!(
            self,
            // Local: rd_kafka_err_action() retries on these.
            ErrorCode::_TRANSPORT
                | ErrorCode::_SSL
                | ErrorCode::_TIMED_OUT
                | ErrorCode::_TIMED_OUT_QUEUE
                | ErrorCode::_RETRY
                // Broker: Kafka's Errors.java retriable exceptions.
                | ErrorCode::INVALID_MSG
                | ErrorCode::UNKNOWN_TOPIC_OR_PART
                | ErrorCode::LEADER_NOT_AVAILABLE
                | ErrorCode::NOT_LEADER_FOR_PARTITION
                | ErrorCode::REQUEST_TIMED_OUT
                | ErrorCode::REPLICA_NOT_AVAILABLE
                | ErrorCode::NETWORK_EXCEPTION
                | ErrorCode::COORDINATOR_LOAD_IN_PROGRESS
                | ErrorCode::COORDINATOR_NOT_AVAILABLE
                | ErrorCode::NOT_COORDINATOR
                | ErrorCode::NOT_ENOUGH_REPLICAS
                | ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND
                | ErrorCode::NOT_CONTROLLER
                | ErrorCode::CONCURRENT_TRANSACTIONS
                | ErrorCode::KAFKA_STORAGE_ERROR
                | ErrorCode::FETCH_SESSION_ID_NOT_FOUND
                | ErrorCode::INVALID_FETCH_SESSION_EPOCH
                | ErrorCode::LISTENER_NOT_FOUND
                | ErrorCode::FENCED_LEADER_EPOCH
                | ErrorCode::UNKNOWN_LEADER_EPOCH
                | ErrorCode::OFFSET_NOT_AVAILABLE
                | ErrorCode::PREFERRED_LEADER_NOT_AVAILABLE
                | ErrorCode::ELIGIBLE_LEADERS_NOT_AVAILABLE
                | ErrorCode::UNSTABLE_OFFSET_COMMIT
                | ErrorCode::THROTTLING_QUOTA_EXCEEDED
                | ErrorCode::UNKNOWN_TOPIC_ID
                | ErrorCode::INCONSISTENT_TOPIC_ID
                | ErrorCode::SHARE_SESSION_NOT_FOUND
                | ErrorCode::INVALID_SHARE_SESSION_EPOCH
        )
    }
}

impl Default for ErrorCode {
    fn default() -> Self {
        ErrorCode::NO_ERROR
    }
}

impl From<i32> for ErrorCode {
    fn from(code: i32) -> Self {
        ErrorCode(code)
    }
}

impl From<ErrorCode> for i32 {
    fn from(code: ErrorCode) -> Self {
        code.0
    }
}

/// Prints what rd_kafka_err2str() prints.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
    }
}

/// Rich error, the Rust side of `rd_kafka_error_t`. Like rd_kafka_error_new(),
/// `new` leaves every flag false; callers set the flags where librdkafka does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaError {
    pub code: ErrorCode,
    /// Empty means "no custom message": the description is shown instead.
    pub msg: String,
    pub fatal: bool,
    pub retriable: bool,
    pub txn_requires_abort: bool,
    /// A request failed before it was sent (its connection never came up): sending it
    /// again is safe.
    pub unsent: bool,
}

impl KafkaError {
    pub fn new(code: ErrorCode, msg: impl Into<String>) -> Self {
        KafkaError {
            code,
            msg: msg.into(),
            fatal: false,
            retriable: false,
            txn_requires_abort: false,
            unsent: false,
        }
    }

    pub fn with_unsent(mut self) -> Self {
        self.unsent = true;
        self
    }

    /// An error whose message is the code's description.
    pub fn from_code(code: ErrorCode) -> Self {
        KafkaError::new(code, String::new())
    }

    /// rd_kafka_error_new_fatal()
    pub fn new_fatal(code: ErrorCode, msg: impl Into<String>) -> Self {
        KafkaError::new(code, msg).with_fatal()
    }

    /// rd_kafka_error_new_retriable()
    pub fn new_retriable(code: ErrorCode, msg: impl Into<String>) -> Self {
        KafkaError::new(code, msg).with_retriable()
    }

    /// rd_kafka_error_new_txn_requires_abort()
    pub fn new_txn_requires_abort(code: ErrorCode, msg: impl Into<String>) -> Self {
        KafkaError::new(code, msg).with_txn_requires_abort()
    }

    pub fn with_fatal(mut self) -> Self {
        self.fatal = true;
        self
    }

    pub fn with_retriable(mut self) -> Self {
        self.retriable = true;
        self
    }

    pub fn with_txn_requires_abort(mut self) -> Self {
        self.txn_requires_abort = true;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// rd_kafka_error_name()
    pub fn name(&self) -> Cow<'static, str> {
        self.code.name()
    }

    /// rd_kafka_error_string(): the message, or the description when there is none.
    pub fn string(&self) -> Cow<'_, str> {
        if self.msg.is_empty() {
            self.code.description()
        } else {
            Cow::Borrowed(&self.msg)
        }
    }

    pub fn is_fatal(&self) -> bool {
        self.fatal
    }

    pub fn is_retriable(&self) -> bool {
        self.retriable
    }

    pub fn txn_requires_abort(&self) -> bool {
        self.txn_requires_abort
    }
}

impl fmt::Display for KafkaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.string())
    }
}

impl std::error::Error for KafkaError {}

impl From<ErrorCode> for KafkaError {
    fn from(code: ErrorCode) -> Self {
        KafkaError::from_code(code)
    }
}

pub type Result<T> = std::result::Result<T, KafkaError>;

/// rd_kafka_errno2err(): maps an errno left by the legacy produce/consume
/// calls to an error code; anything unlisted is _FAIL.
/// An I/O error's strerror() text alone ("Connection refused"), as librdkafka prints it.
pub fn os_error_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub fn errno_to_err(errno: i32) -> ErrorCode {
    match errno {
        libc::EINVAL => ErrorCode::_INVALID_ARG,
        libc::EBUSY => ErrorCode::_CONFLICT,
        libc::ENOENT => ErrorCode::_UNKNOWN_TOPIC,
        libc::ESRCH => ErrorCode::_UNKNOWN_PARTITION,
        libc::ETIMEDOUT => ErrorCode::_TIMED_OUT,
        libc::EMSGSIZE => ErrorCode::MSG_SIZE_TOO_LARGE,
        libc::ENOBUFS => ErrorCode::_QUEUE_FULL,
        libc::ECANCELED => ErrorCode::_FATAL,
        _ => ErrorCode::_FAIL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consts_match_table_exactly() {
        let table: Vec<(&str, i32)> = ERROR_TABLE.iter().map(|e| (e.1, e.0)).collect();
        assert_eq!(DECLARED, table.as_slice());
    }

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        for w in ERROR_TABLE.windows(2) {
            assert!(w[0].0 < w[1].0, "{:?} then {:?}", w[0], w[1]);
        }
        for &(code, name, desc) in ERROR_TABLE {
            assert_eq!(name.starts_with('_'), code < 0 && code != -1, "{name}");
            if code > -200 && code < -100 {
                assert!(desc.starts_with("Local: ") || code == -191, "{name}: {desc}");
            }
            assert_eq!(desc.is_empty(), code == -200 || code == -100, "{name}");
        }
        // librdkafka 2.x: locals -200..-100, broker errors up to 133 at least.
        assert_eq!(ERROR_TABLE[0], (-200, "_BEGIN", ""));
        assert_eq!(ErrorCode::END_ALL, ErrorCode(134));
        assert_eq!(ERROR_TABLE.len(), 190);
    }

    #[test]
    fn names_and_descriptions_as_librdkafka_prints_them() {
        // Values observed from genuine librdkafka 2.16 rd_kafka_err2name/err2str.
        let c = ErrorCode::_MSG_TIMED_OUT;
        assert_eq!(c.0, -192);
        assert_eq!(c.name(), "_MSG_TIMED_OUT");
        assert_eq!(c.description(), "Local: Message timed out");
        assert_eq!(c.to_string(), "Local: Message timed out");
        assert_eq!(ErrorCode::NO_ERROR.name(), "NO_ERROR");
        assert_eq!(ErrorCode::NO_ERROR.description(), "Success");
        assert_eq!(ErrorCode::UNKNOWN.0, -1);
        assert_eq!(ErrorCode::UNKNOWN.description(), "Unknown broker error");
        assert_eq!(ErrorCode::_PARTITION_EOF.description(), "Broker: No more messages");
        assert_eq!(ErrorCode(1).description(), "Broker: Offset out of range");
        assert_eq!(ErrorCode(133).name(), "SHARE_SESSION_LIMIT_REACHED");
    }

    #[test]
    fn unknown_codes_fall_back_like_librdkafka() {
        // Observed from librdkafka 2.16: delimiters and holes are "unknown" too.
        for (code, s, n) in [
            (-200, "Err--200?", "ERR_-200?"),
            (-100, "Err--100?", "ERR_-100?"),
            (-136, "Err--136?", "ERR_-136?"),
            (98, "Err-98?", "ERR_98?"),
            (134, "Err-134?", "ERR_134?"),
            (12345, "Err-12345?", "ERR_12345?"),
            (-12345, "Err--12345?", "ERR_-12345?"),
            (-201, "Err--201?", "ERR_-201?"),
            (i32::MIN, "Err--2147483648?", "ERR_-2147483648?"),
        ] {
            assert_eq!(ErrorCode(code).description(), s);
            assert_eq!(ErrorCode(code).name(), n);
        }
    }

    #[test]
    fn aliases_and_from_name() {
        assert_eq!(ErrorCode::NOT_LEADER_OR_FOLLOWER, ErrorCode(6));
        assert_eq!(ErrorCode::NOT_COORDINATOR_FOR_GROUP, ErrorCode(16));
        assert_eq!(ErrorCode::from_name("_TIMED_OUT"), Some(ErrorCode(-185)));
        assert_eq!(ErrorCode::from_name("RD_KAFKA_RESP_ERR__TIMED_OUT"), Some(ErrorCode(-185)));
        assert_eq!(ErrorCode::from_name("GROUP_LOAD_IN_PROGRESS"), Some(ErrorCode(14)));
        assert_eq!(ErrorCode::from_name("NOPE"), None);
        for &(alias, target) in ERROR_ALIASES {
            assert!(ErrorCode::from_name(target).is_some(), "{alias} -> {target}");
        }
    }

    #[test]
    fn retriable_and_local() {
        assert!(ErrorCode::_TRANSPORT.is_retriable());
        assert!(ErrorCode::REQUEST_TIMED_OUT.is_retriable());
        assert!(ErrorCode::NOT_LEADER_FOR_PARTITION.is_retriable());
        assert!(ErrorCode::NOT_ENOUGH_REPLICAS.is_retriable());
        assert!(!ErrorCode::_MSG_TIMED_OUT.is_retriable());
        assert!(!ErrorCode::MSG_SIZE_TOO_LARGE.is_retriable());
        assert!(!ErrorCode::TOPIC_AUTHORIZATION_FAILED.is_retriable());
        assert!(!ErrorCode::NO_ERROR.is_retriable());
        assert!(ErrorCode::_BAD_MSG.is_local());
        assert!(!ErrorCode::_BEGIN.is_local());
        assert!(!ErrorCode::UNKNOWN.is_local());
        assert!(!ErrorCode::NO_ERROR.is_error());
    }

    #[test]
    fn kafka_error_flags_and_strings() {
        let e = KafkaError::new(ErrorCode::_STATE, "Operation not valid in state Ready");
        assert!(!e.fatal && !e.retriable && !e.txn_requires_abort);
        assert_eq!(e.to_string(), "Operation not valid in state Ready");
        assert_eq!(e.name(), "_STATE");
        let e = KafkaError::from(ErrorCode::_TIMED_OUT).with_retriable();
        assert_eq!(e.string(), "Local: Timed out");
        assert!(e.is_retriable() && !e.is_fatal());
        let e = KafkaError::new_fatal(ErrorCode::PRODUCER_FENCED, "fenced");
        assert!(e.is_fatal());
        let e = KafkaError::new_txn_requires_abort(ErrorCode::_INCONSISTENT, "x");
        assert!(e.txn_requires_abort() && !e.is_fatal());
        let r: Result<()> = Err(KafkaError::new_retriable(ErrorCode::_TRANSPORT, "down"));
        assert!(matches!(r, Err(KafkaError { retriable: true, .. })));
    }

    #[test]
    fn errno_mapping_matches_rd_kafka_errno2err() {
        assert_eq!(errno_to_err(libc::EINVAL), ErrorCode::_INVALID_ARG);
        assert_eq!(errno_to_err(libc::EBUSY), ErrorCode::_CONFLICT);
        assert_eq!(errno_to_err(libc::ENOENT), ErrorCode::_UNKNOWN_TOPIC);
        assert_eq!(errno_to_err(libc::ESRCH), ErrorCode::_UNKNOWN_PARTITION);
        assert_eq!(errno_to_err(libc::ETIMEDOUT), ErrorCode::_TIMED_OUT);
        assert_eq!(errno_to_err(libc::EMSGSIZE), ErrorCode::MSG_SIZE_TOO_LARGE);
        assert_eq!(errno_to_err(libc::ENOBUFS), ErrorCode::_QUEUE_FULL);
        assert_eq!(errno_to_err(libc::ECANCELED), ErrorCode::_FATAL);
        assert_eq!(errno_to_err(0), ErrorCode::_FAIL);
        assert_eq!(errno_to_err(libc::EPERM), ErrorCode::_FAIL);
    }
}
