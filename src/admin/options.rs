//! AdminOptions: how one admin request is to be run (timeouts, validate-only, the broker to
//! send it to, ...). Options made for one operation accept only the settings librdkafka
//! allows for it; options made for any operation accept them all. The setters take the
//! integers the API gives and check them as librdkafka does, with its error texts.

use super::groups::{GroupState, GroupType};
use super::op::AdminOp;
use super::txn::{TxnFilter, TxnState};
use crate::error::{ErrorCode, KafkaError};

/// The longest timeout librdkafka accepts, in milliseconds (one hour).
const TIMEOUT_MAX_MS: i32 = 3_600_000;

/// Which records ListOffsets may see (Kafka's numbering).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IsolationLevel {
    #[default]
    ReadUncommitted = 0,
    ReadCommitted = 1,
}

/// One setting of AdminOptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    RequestTimeout,
    OperationTimeout,
    ValidateOnly,
    RequireStableOffsets,
    IncludeAuthorizedOperations,
    IsolationLevel,
    Broker,
    MatchConsumerGroupStates,
    MatchConsumerGroupTypes,
    MatchTransactionStates,
    MatchProducerIds,
    MinTransactionDuration,
    TransactionalIdPattern,
}

impl Setting {
    /// The name librdkafka's errors give the setting.
    pub fn name(self) -> &'static str {
        match self {
            Setting::RequestTimeout => "request_timeout",
            Setting::OperationTimeout => "operation_timeout",
            Setting::ValidateOnly => "validate_only",
            Setting::RequireStableOffsets => "require_stable_offsets",
            Setting::IncludeAuthorizedOperations => "include_authorized_operations",
            Setting::IsolationLevel => "isolation_level",
            Setting::Broker => "broker",
            Setting::MatchConsumerGroupStates => "match_consumer_group_states",
            Setting::MatchConsumerGroupTypes => "match_consumer_group_types",
            Setting::MatchTransactionStates => "match_transaction_states",
            Setting::MatchProducerIds => "match_producer_ids",
            Setting::MinTransactionDuration => "min_transaction_duration",
            Setting::TransactionalIdPattern => "transactional_id_pattern",
        }
    }

    /// The operations the setting means something for; None: every operation.
    pub fn operations(self) -> Option<&'static [AdminOp]> {
        use AdminOp::*;
        match self {
            Setting::RequestTimeout | Setting::Broker => None,
            Setting::OperationTimeout => Some(&[
                CreateTopics,
                DeleteTopics,
                CreatePartitions,
                DeleteRecords,
                ListOffsets,
                ElectLeaders,
                AlterPartitionReassignments,
                ListPartitionReassignments,
                UpdateFeatures,
            ]),
            Setting::ValidateOnly => {
                Some(&[CreateTopics, CreatePartitions, AlterConfigs, IncrementalAlterConfigs, UpdateFeatures])
            }
            Setting::RequireStableOffsets => Some(&[ListConsumerGroupOffsets]),
            Setting::IncludeAuthorizedOperations => {
                Some(&[DescribeConsumerGroups, DescribeCluster, DescribeTopics])
            }
            Setting::IsolationLevel => Some(&[ListOffsets]),
            Setting::MatchConsumerGroupStates | Setting::MatchConsumerGroupTypes => {
                Some(&[ListConsumerGroups])
            }
            Setting::MatchTransactionStates
            | Setting::MatchProducerIds
            | Setting::MinTransactionDuration
            | Setting::TransactionalIdPattern => Some(&[ListTransactions]),
        }
    }
}

/// The options of one admin request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminOptions {
    /// None: made for any operation.
    for_api: Option<AdminOp>,
    request_timeout_ms: i32,
    /// -1: wait for the operation to finish (the broker's own timeout).
    operation_timeout_ms: i32,
    validate_only: bool,
    require_stable_offsets: bool,
    include_authorized_operations: bool,
    isolation_level: IsolationLevel,
    /// None: the controller or coordinator the operation goes to.
    broker: Option<i32>,
    match_states: Vec<GroupState>,
    match_types: Vec<GroupType>,
    txn_filter: TxnFilter,
    /// What rd_kafka_event_opaque() returns for the result (a C pointer, as a number).
    opaque: usize,
}

impl AdminOptions {
    /// Options for `for_api` (None: any operation). The request timeout starts as the
    /// client's socket.timeout.ms, as in librdkafka (its default, 60 s, without a client);
    /// the operation timeout starts as the request timeout.
    pub fn new(for_api: Option<AdminOp>, socket_timeout_ms: Option<i64>) -> AdminOptions {
        let request_timeout_ms =
            socket_timeout_ms.map_or(60_000, |t| t.clamp(0, TIMEOUT_MAX_MS as i64) as i32);
        AdminOptions {
            for_api,
            request_timeout_ms,
            operation_timeout_ms: request_timeout_ms,
            validate_only: false,
            require_stable_offsets: false,
            include_authorized_operations: false,
            isolation_level: IsolationLevel::ReadUncommitted,
            broker: None,
            match_states: Vec::new(),
            match_types: Vec::new(),
            txn_filter: TxnFilter { min_duration_ms: -1, ..TxnFilter::default() },
            opaque: 0,
        }
    }

    /// Whether `setting` may be set on these options.
    pub fn accepts(&self, setting: Setting) -> bool {
        match (self.for_api, setting.operations()) {
            (Some(op), Some(ops)) => ops.contains(&op),
            _ => true,
        }
    }

    fn check_accepts(&self, setting: Setting) -> Result<(), KafkaError> {
        if self.accepts(setting) {
            Ok(())
        } else {
            Err(invalid(format!("\"{}\" is not supported for this operation", setting.name())))
        }
    }

    /// `v` if `setting` may be set here and `v` is in `min..=max`.
    fn checked(&self, setting: Setting, v: i32, min: i32, max: i32) -> Result<i32, KafkaError> {
        self.check_accepts(setting)?;
        if v < min || v > max {
            return Err(invalid(format!(
                "Invalid value type for \"{}\": expecting integer in range {min}..{max}",
                setting.name()
            )));
        }
        Ok(v)
    }

    /// The overall request timeout, 0..3600000 ms.
    pub fn set_request_timeout(&mut self, timeout_ms: i32) -> Result<(), KafkaError> {
        self.request_timeout_ms = self.checked(Setting::RequestTimeout, timeout_ms, 0, TIMEOUT_MAX_MS)?;
        Ok(())
    }

    /// The broker-side operation timeout, -1..3600000 ms.
    pub fn set_operation_timeout(&mut self, timeout_ms: i32) -> Result<(), KafkaError> {
        self.operation_timeout_ms =
            self.checked(Setting::OperationTimeout, timeout_ms, -1, TIMEOUT_MAX_MS)?;
        Ok(())
    }

    /// Only validate the request (0 or 1).
    pub fn set_validate_only(&mut self, true_or_false: i32) -> Result<(), KafkaError> {
        self.validate_only = self.checked(Setting::ValidateOnly, true_or_false, 0, 1)? == 1;
        Ok(())
    }

    /// Send the request to this broker (a broker id, 0 or more).
    pub fn set_broker(&mut self, broker_id: i32) -> Result<(), KafkaError> {
        self.broker = Some(self.checked(Setting::Broker, broker_id, 0, i32::MAX)?);
        Ok(())
    }

    /// Require stable offsets (0 or 1).
    pub fn set_require_stable_offsets(&mut self, true_or_false: i32) -> Result<(), KafkaError> {
        self.require_stable_offsets = self.checked(Setting::RequireStableOffsets, true_or_false, 0, 1)? == 1;
        Ok(())
    }

    /// Ask for authorized operations in descriptions (0 or 1).
    pub fn set_include_authorized_operations(&mut self, true_or_false: i32) -> Result<(), KafkaError> {
        self.include_authorized_operations =
            self.checked(Setting::IncludeAuthorizedOperations, true_or_false, 0, 1)? == 1;
        Ok(())
    }

    /// The isolation level, as RD_KAFKA_ISOLATION_LEVEL_* (0 or 1).
    pub fn set_isolation_level(&mut self, level: i32) -> Result<(), KafkaError> {
        self.isolation_level = match self.checked(Setting::IsolationLevel, level, 0, 1)? {
            1 => IsolationLevel::ReadCommitted,
            _ => IsolationLevel::ReadUncommitted,
        };
        Ok(())
    }

    /// List only groups in these states (RD_KAFKA_CONSUMER_GROUP_STATE_*, none twice). The
    /// values are checked before whether the setting applies, as librdkafka does.
    pub fn set_match_consumer_group_states(&mut self, states: &[i32]) -> Result<(), KafkaError> {
        let states = distinct(
            states,
            "Invalid group state value",
            "Duplicate states not allowed",
            GroupState::from_i32,
        )?;
        self.check_accepts(Setting::MatchConsumerGroupStates)?;
        self.match_states = states;
        Ok(())
    }

    /// List only groups of these types (RD_KAFKA_CONSUMER_GROUP_TYPE_*, not UNKNOWN, none
    /// twice).
    pub fn set_match_consumer_group_types(&mut self, types: &[i32]) -> Result<(), KafkaError> {
        if types.contains(&(GroupType::Unknown as i32)) {
            return Err(invalid("UNKNOWN type is not allowed".into()));
        }
        let types = distinct(
            types,
            "Only a valid type is allowed",
            "Duplicate types not allowed",
            GroupType::from_i32,
        )?;
        self.check_accepts(Setting::MatchConsumerGroupTypes)?;
        self.match_types = types;
        Ok(())
    }

    /// List only transactions in these states (KAFKARS_TXN_STATE_*, none twice; not
    /// UNKNOWN).
    pub fn set_match_transaction_states(&mut self, states: &[i32]) -> Result<(), KafkaError> {
        let known = |v| TxnState::from_i32(v).filter(|s| *s != TxnState::Unknown);
        let states =
            distinct(states, "Invalid transaction state value", "Duplicate states not allowed", known)?;
        self.check_accepts(Setting::MatchTransactionStates)?;
        self.txn_filter.states = states;
        Ok(())
    }

    /// List only the transactions of these producer ids (none twice, none negative).
    pub fn set_match_producer_ids(&mut self, ids: &[i64]) -> Result<(), KafkaError> {
        if ids.iter().any(|&i| i < 0) {
            return Err(invalid("producer ids must not be negative".into()));
        }
        if ids.iter().enumerate().any(|(i, a)| ids[..i].contains(a)) {
            return Err(invalid("Duplicate producer ids not allowed".into()));
        }
        self.check_accepts(Setting::MatchProducerIds)?;
        self.txn_filter.producer_ids = ids.to_vec();
        Ok(())
    }

    /// List only transactions open at least `ms` milliseconds (-1: any).
    pub fn set_min_transaction_duration(&mut self, ms: i64) -> Result<(), KafkaError> {
        if ms < -1 {
            return Err(invalid(format!("Expected min_transaction_duration >= -1, not {ms}")));
        }
        self.check_accepts(Setting::MinTransactionDuration)?;
        self.txn_filter.min_duration_ms = ms;
        Ok(())
    }

    /// List only transactions whose id matches the regular expression `re` (None: any).
    pub fn set_transactional_id_pattern(&mut self, re: Option<String>) -> Result<(), KafkaError> {
        self.check_accepts(Setting::TransactionalIdPattern)?;
        self.txn_filter.id_pattern = re;
        Ok(())
    }

    pub fn txn_filter(&self) -> &TxnFilter {
        &self.txn_filter
    }

    pub fn set_opaque(&mut self, opaque: usize) {
        self.opaque = opaque;
    }

    pub fn request_timeout_ms(&self) -> i32 {
        self.request_timeout_ms
    }

    pub fn operation_timeout_ms(&self) -> i32 {
        self.operation_timeout_ms
    }

    pub fn validate_only(&self) -> bool {
        self.validate_only
    }

    pub fn broker(&self) -> Option<i32> {
        self.broker
    }

    pub fn require_stable_offsets(&self) -> bool {
        self.require_stable_offsets
    }

    pub fn include_authorized_operations(&self) -> bool {
        self.include_authorized_operations
    }

    pub fn isolation_level(&self) -> IsolationLevel {
        self.isolation_level
    }

    pub fn match_consumer_group_states(&self) -> &[GroupState] {
        &self.match_states
    }

    pub fn match_consumer_group_types(&self) -> &[GroupType] {
        &self.match_types
    }

    pub fn opaque(&self) -> usize {
        self.opaque
    }
}

fn invalid(msg: String) -> KafkaError {
    KafkaError::new(ErrorCode::_INVALID_ARG, msg)
}

/// The values of `vals` read by `parse`, each known and none given twice.
fn distinct<T: PartialEq>(
    vals: &[i32],
    unknown: &str,
    twice: &str,
    parse: impl Fn(i32) -> Option<T>,
) -> Result<Vec<T>, KafkaError> {
    let mut out = Vec::with_capacity(vals.len());
    for &v in vals {
        let t = parse(v).ok_or_else(|| invalid(unknown.to_string()))?;
        if out.contains(&t) {
            return Err(invalid(twice.to_string()));
        }
        out.push(t);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<(), KafkaError>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.code, ErrorCode::_INVALID_ARG);
        e.msg
    }

    #[test]
    fn defaults_follow_the_socket_timeout() {
        let o = AdminOptions::new(None, None);
        assert_eq!((o.request_timeout_ms(), o.operation_timeout_ms()), (60_000, 60_000));
        assert_eq!(o.broker(), None);
        assert_eq!(o.isolation_level(), IsolationLevel::ReadUncommitted);
        let o = AdminOptions::new(Some(AdminOp::CreateTopics), Some(5_000));
        assert_eq!((o.request_timeout_ms(), o.operation_timeout_ms()), (5_000, 5_000));
        assert_eq!(AdminOptions::new(None, Some(i64::MAX)).request_timeout_ms(), 3_600_000);
    }

    #[test]
    fn settings_apply_to_their_operations_only() {
        let mut o = AdminOptions::new(Some(AdminOp::DeleteTopics), None);
        assert!(o.set_request_timeout(5000).is_ok());
        assert_eq!(o.request_timeout_ms(), 5000);
        assert_eq!(
            msg(o.set_request_timeout(-5)),
            "Invalid value type for \"request_timeout\": expecting integer in range 0..3600000"
        );
        assert!(o.set_operation_timeout(-1).is_ok());
        assert_eq!(msg(o.set_validate_only(1)), "\"validate_only\" is not supported for this operation");
        assert_eq!(
            msg(o.set_broker(-1)),
            "Invalid value type for \"broker\": expecting integer in range 0..2147483647"
        );
        assert!(o.set_broker(3).is_ok());
        assert_eq!(o.broker(), Some(3));
        assert!(o.set_require_stable_offsets(1).is_err());
        // An inapplicable setting is refused even with a bad value: applicability comes first.
        assert!(msg(o.set_isolation_level(7)).contains("is not supported"));
        assert!(msg(o.set_match_consumer_group_states(&[1])).contains("match_consumer_group_states"));

        let mut any = AdminOptions::new(None, None);
        assert!(msg(any.set_validate_only(2)).contains("expecting integer in range 0..1"));
        assert!(any.set_validate_only(1).is_ok() && any.validate_only());
        assert!(any.set_isolation_level(1).is_ok());
        assert_eq!(any.isolation_level(), IsolationLevel::ReadCommitted);
        assert!(any.set_include_authorized_operations(1).is_ok() && any.include_authorized_operations());
        for op in AdminOp::ALL {
            assert!(AdminOptions::new(Some(op), None).accepts(Setting::RequestTimeout));
        }
        assert!(AdminOptions::new(Some(AdminOp::ListOffsets), None).accepts(Setting::IsolationLevel));
    }

    #[test]
    fn group_matches_are_known_and_distinct() {
        let mut o = AdminOptions::new(Some(AdminOp::ListConsumerGroups), None);
        assert!(o.set_match_consumer_group_states(&[3, 5]).is_ok());
        assert_eq!(o.match_consumer_group_states(), [GroupState::Stable, GroupState::Empty]);
        assert_eq!(msg(o.set_match_consumer_group_states(&[3, 3])), "Duplicate states not allowed");
        assert_eq!(msg(o.set_match_consumer_group_states(&[6])), "Invalid group state value");
        assert_eq!(msg(o.set_match_consumer_group_types(&[0])), "UNKNOWN type is not allowed");
        assert!(o.set_match_consumer_group_types(&[1, 2]).is_ok());
        assert_eq!(o.match_consumer_group_types(), [GroupType::Consumer, GroupType::Classic]);
        assert!(o.set_match_consumer_group_types(&[]).is_ok());
        assert!(o.match_consumer_group_types().is_empty());
        // Bad values are reported before the setting's applicability.
        let mut other = AdminOptions::new(Some(AdminOp::DeleteTopics), None);
        assert_eq!(msg(other.set_match_consumer_group_states(&[-1])), "Invalid group state value");
    }
}
