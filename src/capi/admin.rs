//! The Admin API (rd_kafka_AdminOptions_*, rd_kafka_<Op>, request objects, results).
//!
//! Request objects are real: they keep what they were given, validated as librdkafka
//! does. The admin client itself does not exist yet, so every operation answers on its
//! queue with one result event carrying RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED; the result
//! accessors therefore find nothing and return NULL / empty arrays.

use super::boundary::{destroy, handle_of, into_c, obj, obj_mut, opt_obj, tag, Tagged};
use super::error::error_to_c;
use super::handle::Handle;
use super::queue::QueueHandle;
use super::tplist::{rd_kafka_topic_partition_list_copy, rd_kafka_topic_partition_list_destroy};
use super::types::*;
use super::util::{cstr, to_cstring, write_errstr};
use crate::admin::AdminOp;
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_uchar, c_void, size_t};
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

// librdkafka's admin enums, as ints (build.rs writes the C enums).
pub type rd_kafka_admin_op_t = c_int;
pub type rd_kafka_ResourceType_t = c_int;
pub type rd_kafka_ResourcePatternType_t = c_int;
pub type rd_kafka_ConfigSource_t = c_int;
pub type rd_kafka_AlterConfigOpType_t = c_int;
pub type rd_kafka_AclOperation_t = c_int;
pub type rd_kafka_AclPermissionType_t = c_int;
pub type rd_kafka_consumer_group_state_t = c_int;
pub type rd_kafka_consumer_group_type_t = c_int;
pub type rd_kafka_ScramMechanism_t = c_int;
pub type rd_kafka_IsolationLevel_t = c_int;
pub type rd_kafka_ElectionType_t = c_int;

const ADMIN_OP_CNT: c_int = 23;
const RESOURCE_CNT: c_int = 6;
const RESOURCE_ANY: c_int = 1;
const PATTERN_CNT: c_int = 5;
const PATTERN_ANY: c_int = 1;
const PATTERN_MATCH: c_int = 2;
const ACL_OPERATION_CNT: c_int = 13;
const ACL_OPERATION_ANY: c_int = 1;
const ACL_PERMISSION_CNT: c_int = 4;
const ACL_PERMISSION_ANY: c_int = 1;
const ALTER_CONFIG_OP_CNT: c_int = 4;
const ALTER_CONFIG_OP_DELETE: c_int = 1;
const GROUP_STATE_CNT: c_int = 6;
const GROUP_TYPE_CNT: c_int = 3;
/// librdkafka's protocol limits (RD_KAFKAP_PARTITIONS_MAX / RD_KAFKAP_BROKERS_MAX).
const PARTITIONS_MAX: c_int = 100_000;
const BROKERS_MAX: c_int = 10_000;

// Handle types C sees only through pointers; each points to the Rust type bound to it by
// `tagged!` below. Result sub-objects (topic_result, Node, ...) are never created yet:
// their accessors answer without reading the pointer.
opaque!(
    rd_kafka_AdminOptions_t,
    rd_kafka_NewTopic_t,
    rd_kafka_DeleteTopic_t,
    rd_kafka_NewPartitions_t,
    rd_kafka_ConfigEntry_t,
    rd_kafka_ConfigResource_t,
    rd_kafka_DeleteRecords_t,
    rd_kafka_TopicCollection_t,
    rd_kafka_TopicPartitionInfo_t,
    rd_kafka_TopicDescription_t,
    rd_kafka_Node_t,
    rd_kafka_ConsumerGroupListing_t,
    rd_kafka_ConsumerGroupDescription_t,
    rd_kafka_MemberDescription_t,
    rd_kafka_MemberAssignment_t,
    rd_kafka_DeleteGroup_t,
    rd_kafka_ListConsumerGroupOffsets_t,
    rd_kafka_AlterConsumerGroupOffsets_t,
    rd_kafka_DeleteConsumerGroupOffsets_t,
    rd_kafka_ListOffsetsResultInfo_t,
    rd_kafka_ScramCredentialInfo_t,
    rd_kafka_UserScramCredentialsDescription_t,
    rd_kafka_UserScramCredentialAlteration_t,
    rd_kafka_AlterUserScramCredentials_result_response_t,
    rd_kafka_AclBinding_t,
    rd_kafka_DeleteAcls_result_response_t,
    rd_kafka_ElectLeaders_t,
    rd_kafka_topic_result_t,
    rd_kafka_group_result_t,
    rd_kafka_acl_result_t,
    rd_kafka_topic_partition_result_t,
    rd_kafka_Uuid_t
);

/// An ACL binding filter is an ACL binding whose fields may be ANY / NULL.
pub type rd_kafka_AclBindingFilter_t = rd_kafka_AclBinding_t;

// Result types are the result event itself, as in librdkafka.
pub type rd_kafka_CreateTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_CreateAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_CreatePartitions_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_IncrementalAlterConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteRecords_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeCluster_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeUserScramCredentials_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterUserScramCredentials_result_t = rd_kafka_event_t;
pub type rd_kafka_ListOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_ElectLeaders_result_t = rd_kafka_event_t;

/// `x.into_c()`: hands a request object to C (boundary::into_c).
trait IntoC: Tagged {
    fn into_c(self) -> *mut Self::C {
        into_c(Box::new(self))
    }
}

impl<T: Tagged> IntoC for T {}

/// Destroys each object of an array (not the array itself); NULL entries and objects of
/// another type are skipped.
unsafe fn destroy_array<T: Tagged>(arr: *mut *mut T::C, cnt: size_t) {
    if arr.is_null() {
        return;
    }
    for i in 0..cnt {
        destroy::<T>(*arr.add(i));
    }
}

fn c_or_null(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |c| c.as_ptr())
}

unsafe fn owned_cstring(p: *const c_char) -> Option<CString> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_owned())
}

/// An empty result array: NULL with a count of 0.
unsafe fn empty<T>(cntp: *mut size_t) -> *mut *const T {
    if !cntp.is_null() {
        *cntp = 0;
    }
    null_mut()
}

/// An empty array of authorized operations: NULL with a count of 0.
unsafe fn no_operations(cntp: *mut size_t) -> *const rd_kafka_AclOperation_t {
    if !cntp.is_null() {
        *cntp = 0;
    }
    null()
}

/// A partition list copied from the caller, destroyed with its owner.
struct OwnedList(*mut rd_kafka_topic_partition_list_t);

impl OwnedList {
    unsafe fn copy(src: *const rd_kafka_topic_partition_list_t) -> Option<OwnedList> {
        (!src.is_null()).then(|| OwnedList(rd_kafka_topic_partition_list_copy(src)))
    }
}

impl Drop for OwnedList {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: a list this object copied and alone owns.
            unsafe { rd_kafka_topic_partition_list_destroy(self.0) };
        }
    }
}

// ---------------------------------------------------------------------------------------
// Names of the admin enums
// ---------------------------------------------------------------------------------------

fn enum_name(names: &'static [&'static CStr], v: c_int) -> *const c_char {
    usize::try_from(v).ok().and_then(|i| names.get(i)).map_or(c"UNSUPPORTED".as_ptr(), |n| n.as_ptr())
}

const GROUP_STATE_NAMES: [&CStr; 6] =
    [c"Unknown", c"PreparingRebalance", c"CompletingRebalance", c"Stable", c"Dead", c"Empty"];
const GROUP_TYPE_NAMES: [&CStr; 3] = [c"Unknown", c"Consumer", c"Classic"];

/// The name of a config source (RD_KAFKA_CONFIG_SOURCE_*), or "UNSUPPORTED".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigSource_name(confsource: rd_kafka_ConfigSource_t) -> *const c_char {
    // Index 6 and 7 are sources librdkafka names but does not enumerate.
    const N: [&CStr; 9] = [
        c"UNKNOWN_CONFIG",
        c"DYNAMIC_TOPIC_CONFIG",
        c"DYNAMIC_BROKER_CONFIG",
        c"DYNAMIC_DEFAULT_BROKER_CONFIG",
        c"STATIC_BROKER_CONFIG",
        c"DEFAULT_CONFIG",
        c"DYNAMIC_BROKER_LOGGER_CONFIG",
        c"CLIENT_METRICS_CONFIG",
        c"GROUP_CONFIG",
    ];
    enum_name(&N, confsource)
}

/// The name of a resource type (RD_KAFKA_RESOURCE_*), or "UNSUPPORTED".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ResourceType_name(restype: rd_kafka_ResourceType_t) -> *const c_char {
    const N: [&CStr; 6] = [c"UNKNOWN", c"ANY", c"TOPIC", c"GROUP", c"BROKER", c"TRANSACTIONAL_ID"];
    enum_name(&N, restype)
}

/// The name of a resource pattern type (RD_KAFKA_RESOURCE_PATTERN_*), or "UNSUPPORTED".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ResourcePatternType_name(
    resource_pattern_type: rd_kafka_ResourcePatternType_t,
) -> *const c_char {
    const N: [&CStr; 5] = [c"UNKNOWN", c"ANY", c"MATCH", c"LITERAL", c"PREFIXED"];
    enum_name(&N, resource_pattern_type)
}

/// The name of an ACL operation (RD_KAFKA_ACL_OPERATION_*), or "UNSUPPORTED".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclOperation_name(acl_operation: rd_kafka_AclOperation_t) -> *const c_char {
    const N: [&CStr; 13] = [
        c"UNKNOWN",
        c"ANY",
        c"ALL",
        c"READ",
        c"WRITE",
        c"CREATE",
        c"DELETE",
        c"ALTER",
        c"DESCRIBE",
        c"CLUSTER_ACTION",
        c"DESCRIBE_CONFIGS",
        c"ALTER_CONFIGS",
        c"IDEMPOTENT_WRITE",
    ];
    enum_name(&N, acl_operation)
}

/// The name of an ACL permission type (RD_KAFKA_ACL_PERMISSION_TYPE_*), or "UNSUPPORTED".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclPermissionType_name(
    acl_permission_type: rd_kafka_AclPermissionType_t,
) -> *const c_char {
    const N: [&CStr; 4] = [c"UNKNOWN", c"ANY", c"DENY", c"ALLOW"];
    enum_name(&N, acl_permission_type)
}

/// The name of a consumer group state, or NULL if out of range.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_state_name(
    state: rd_kafka_consumer_group_state_t,
) -> *const c_char {
    usize::try_from(state).ok().and_then(|i| GROUP_STATE_NAMES.get(i)).map_or(null(), |n| n.as_ptr())
}

/// The consumer group state named `name` (case-insensitive), or UNKNOWN.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_consumer_group_state_code(
    name: *const c_char,
) -> rd_kafka_consumer_group_state_t {
    let Some(n) = cstr(name) else { return 0 };
    GROUP_STATE_NAMES
        .iter()
        .position(|s| s.to_str().is_ok_and(|s| s.eq_ignore_ascii_case(n)))
        .map_or(0, |i| i as c_int)
}

/// The name of a consumer group type, or NULL if out of range.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_type_name(
    type_: rd_kafka_consumer_group_type_t,
) -> *const c_char {
    usize::try_from(type_).ok().and_then(|i| GROUP_TYPE_NAMES.get(i)).map_or(null(), |n| n.as_ptr())
}

/// The consumer group type named `name` (case-insensitive), or UNKNOWN.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_consumer_group_type_code(
    name: *const c_char,
) -> rd_kafka_consumer_group_type_t {
    let Some(n) = cstr(name) else { return 0 };
    GROUP_TYPE_NAMES
        .iter()
        .position(|s| s.to_str().is_ok_and(|s| s.eq_ignore_ascii_case(n)))
        .map_or(0, |i| i as c_int)
}

// ---------------------------------------------------------------------------------------
// AdminOptions
// ---------------------------------------------------------------------------------------

/// An integer option with librdkafka's range; disabled when the operation has no use for it.
#[derive(Clone, Copy)]
struct IntOption {
    name: &'static str,
    enabled: bool,
    min: i32,
    max: i32,
    value: i32,
}

impl IntOption {
    fn new(name: &'static str, enabled: bool, min: i32, max: i32, value: i32) -> Self {
        IntOption { name, enabled, min, max, value }
    }

    fn check_enabled(&self) -> Result<(), KafkaError> {
        if self.enabled {
            Ok(())
        } else {
            Err(KafkaError::new(
                ErrorCode::_INVALID_ARG,
                format!("\"{}\" cannot be set for this operation's options", self.name),
            ))
        }
    }

    fn set(&mut self, v: i32) -> Result<(), KafkaError> {
        self.check_enabled()?;
        if v < self.min || v > self.max {
            return Err(KafkaError::new(
                ErrorCode::_INVALID_ARG,
                format!("\"{}\" must be an integer in {}..{}, not {}", self.name, self.min, self.max, v),
            ));
        }
        self.value = v;
        Ok(())
    }
}

/// What `rd_kafka_AdminOptions_t *` points to. The admin client to come reads these.
#[allow(dead_code)]
#[repr(C)]
struct AdminOptions {
    /// tag::ADMIN_OPTIONS while alive (must stay the first field).
    tag: u64,
    for_api: c_int,
    request_timeout: IntOption,
    operation_timeout: IntOption,
    validate_only: IntOption,
    require_stable_offsets: IntOption,
    include_authorized_operations: IntOption,
    isolation_level: IntOption,
    broker: IntOption,
    /// (enabled for this operation, values set).
    match_states: (bool, Vec<c_int>),
    match_types: (bool, Vec<c_int>),
    opaque: usize,
}

tagged!(AdminOptions => rd_kafka_AdminOptions_t, tag::ADMIN_OPTIONS);

impl AdminOptions {
    fn new(for_api: c_int, request_timeout_ms: i32) -> Self {
        use AdminOp::*;
        let any = for_api == 0;
        let is = |ops: &[AdminOp]| any || ops.iter().any(|o| op_number(*o) == for_api);
        AdminOptions {
            tag: tag::ADMIN_OPTIONS,
            for_api,
            request_timeout: IntOption::new("request_timeout", true, 0, 3_600_000, request_timeout_ms),
            operation_timeout: IntOption::new(
                "operation_timeout",
                is(&[CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords, ListOffsets, ElectLeaders]),
                -1,
                3_600_000,
                request_timeout_ms,
            ),
            validate_only: IntOption::new(
                "validate_only",
                is(&[CreateTopics, CreatePartitions, AlterConfigs, IncrementalAlterConfigs]),
                0,
                1,
                0,
            ),
            require_stable_offsets: IntOption::new(
                "require_stable_offsets",
                is(&[ListConsumerGroupOffsets]),
                0,
                1,
                0,
            ),
            include_authorized_operations: IntOption::new(
                "include_authorized_operations",
                is(&[DescribeConsumerGroups, DescribeCluster, DescribeTopics]),
                0,
                1,
                0,
            ),
            isolation_level: IntOption::new("isolation_level", is(&[ListOffsets]), 0, 1, 0),
            broker: IntOption::new("broker", true, 0, i32::MAX, -1),
            match_states: (is(&[ListConsumerGroups]), Vec::new()),
            match_types: (is(&[ListConsumerGroups]), Vec::new()),
            opaque: 0,
        }
    }
}

/// librdkafka's rd_kafka_admin_op_t number of an operation.
fn op_number(op: AdminOp) -> c_int {
    AdminOp::ALL.iter().position(|o| *o == op).map_or(0, |i| i as c_int + 1)
}

/// librdkafka's default admin request timeout is the handle's socket.timeout.ms.
unsafe fn default_request_timeout(rk: *mut rd_kafka_t) -> i32 {
    obj::<Handle>(rk).map_or(60_000, |h| h.client.rk.settings.socket_timeout_ms.clamp(0, 3_600_000) as i32)
}

/// Creates admin options for `for_api` (RD_KAFKA_ADMIN_OP_*, ANY for all); NULL if
/// `for_api` is out of range. Destroy with rd_kafka_AdminOptions_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_new(
    rk: *mut rd_kafka_t,
    for_api: rd_kafka_admin_op_t,
) -> *mut rd_kafka_AdminOptions_t {
    if !(0..ADMIN_OP_CNT).contains(&for_api) {
        return null_mut();
    }
    AdminOptions::new(for_api, default_request_timeout(rk)).into_c()
}

/// Destroys admin options (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_destroy(options: *mut rd_kafka_AdminOptions_t) {
    destroy::<AdminOptions>(options)
}

/// Sets an integer option: NO_ERROR, or an error code with `errstr` filled.
unsafe fn set_int(
    options: *mut rd_kafka_AdminOptions_t,
    v: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
    pick: fn(&mut AdminOptions) -> &mut IntOption,
) -> rd_kafka_resp_err_t {
    let Some(o) = obj_mut::<AdminOptions>(options) else {
        write_errstr(errstr, errstr_size, "options must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    match pick(o).set(v) {
        Ok(()) => 0,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            e.code.0
        }
    }
}

/// Sets an integer option, answering with an error object (NULL on success).
unsafe fn set_int_e(
    options: *mut rd_kafka_AdminOptions_t,
    v: c_int,
    pick: fn(&mut AdminOptions) -> &mut IntOption,
) -> *mut rd_kafka_error_t {
    let Some(o) = obj_mut::<AdminOptions>(options) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "options must not be NULL"));
    };
    match pick(o).set(v) {
        Ok(()) => null_mut(),
        Err(e) => error_to_c(e),
    }
}

/// Sets the overall request timeout (0..3600000 ms).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_request_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, timeout_ms, errstr, errstr_size, |o| &mut o.request_timeout)
}

/// Sets the broker-side operation timeout (-1..3600000 ms) for the operations that have one.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_operation_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, timeout_ms, errstr, errstr_size, |o| &mut o.operation_timeout)
}

/// Asks the broker to only validate the request (0 or 1) where the operation supports it.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_validate_only(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, true_or_false, errstr, errstr_size, |o| &mut o.validate_only)
}

/// Sends the request to broker `broker_id` instead of the controller/coordinator.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_broker(
    options: *mut rd_kafka_AdminOptions_t,
    broker_id: i32,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, broker_id, errstr, errstr_size, |o| &mut o.broker)
}

/// Requires stable offsets (ListConsumerGroupOffsets). Returns NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_require_stable_offsets(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
) -> *mut rd_kafka_error_t {
    set_int_e(options, true_or_false, |o| &mut o.require_stable_offsets)
}

/// Asks for authorized operations in describe results. Returns NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_include_authorized_operations(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
) -> *mut rd_kafka_error_t {
    set_int_e(options, true_or_false, |o| &mut o.include_authorized_operations)
}

/// Sets the isolation level (ListOffsets). Returns NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_isolation_level(
    options: *mut rd_kafka_AdminOptions_t,
    value: rd_kafka_IsolationLevel_t,
) -> *mut rd_kafka_error_t {
    set_int_e(options, value, |o| &mut o.isolation_level)
}

/// Validates a set of enum values: each in `lo..cnt`, none repeated.
unsafe fn enum_set(
    vals: *const c_int,
    cnt: size_t,
    lo: c_int,
    hi: c_int,
    what: &str,
) -> Result<Vec<c_int>, KafkaError> {
    if vals.is_null() && cnt > 0 {
        return Err(KafkaError::new(ErrorCode::_INVALID_ARG, format!("{what} array must not be NULL")));
    }
    let mut out: Vec<c_int> = Vec::with_capacity(cnt);
    for i in 0..cnt {
        let v = *vals.add(i);
        if v < lo || v >= hi {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, format!("invalid {what} {v}")));
        }
        if out.contains(&v) {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, format!("{what} {v} given twice")));
        }
        out.push(v);
    }
    Ok(out)
}

/// Lists only groups in these states (ListConsumerGroups). Returns NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_match_consumer_group_states(
    options: *mut rd_kafka_AdminOptions_t,
    consumer_group_states: *const rd_kafka_consumer_group_state_t,
    consumer_group_states_cnt: size_t,
) -> *mut rd_kafka_error_t {
    let r = enum_set(
        consumer_group_states,
        consumer_group_states_cnt,
        0,
        GROUP_STATE_CNT,
        "consumer group state",
    );
    set_list(options, r, "match_consumer_group_states", |o| &mut o.match_states)
}

/// Lists only groups of these types (ListConsumerGroups; UNKNOWN is not allowed). Returns
/// NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_match_consumer_group_types(
    options: *mut rd_kafka_AdminOptions_t,
    consumer_group_types: *const rd_kafka_consumer_group_type_t,
    consumer_group_types_cnt: size_t,
) -> *mut rd_kafka_error_t {
    let r =
        enum_set(consumer_group_types, consumer_group_types_cnt, 1, GROUP_TYPE_CNT, "consumer group type");
    set_list(options, r, "match_consumer_group_types", |o| &mut o.match_types)
}

unsafe fn set_list(
    options: *mut rd_kafka_AdminOptions_t,
    r: Result<Vec<c_int>, KafkaError>,
    name: &str,
    pick: fn(&mut AdminOptions) -> &mut (bool, Vec<c_int>),
) -> *mut rd_kafka_error_t {
    let Some(o) = obj_mut::<AdminOptions>(options) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "options must not be NULL"));
    };
    let v = match r {
        Ok(v) => v,
        Err(e) => return error_to_c(e),
    };
    let slot = pick(o);
    if !slot.0 {
        return error_to_c(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            format!("\"{name}\" cannot be set for this operation's options"),
        ));
    }
    slot.1 = v;
    null_mut()
}

/// Sets the opaque that the result event's rd_kafka_event_opaque() returns.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_opaque(
    options: *mut rd_kafka_AdminOptions_t,
    ev_opaque: *mut c_void,
) {
    if let Some(o) = obj_mut::<AdminOptions>(options) {
        o.opaque = ev_opaque as usize;
    }
}

// ---------------------------------------------------------------------------------------
// Operations: each answers with one not-implemented result event on `rkqu`.
// ---------------------------------------------------------------------------------------

/// Queues the result of `op` on `rkqu` (the main queue when NULL). A NULL `rk` does nothing:
/// there is no client to run the operation; nor do options or a queue of the wrong type.
unsafe fn answer(
    rk: *mut rd_kafka_t,
    op: AdminOp,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(h) = obj::<Handle>(rk) else { return };
    let (Ok(options), Ok(q)) = (opt_obj::<AdminOptions>(options), opt_obj::<QueueHandle>(rkqu)) else {
        return;
    };
    let opaque = options.map_or(0, |o| o.opaque);
    let ev = op.result_event(ErrorCode::_NOT_IMPLEMENTED, op.not_implemented_msg(), opaque);
    match q {
        Some(q) => q.q.push(ev),
        None => h.client.rk.main_q.push(ev),
    }
}

/// Creates topics; the result (CREATETOPICS_RESULT) is emitted on `rkqu`. Not implemented
/// yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateTopics(
    rk: *mut rd_kafka_t,
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (new_topics, new_topic_cnt);
    answer(rk, AdminOp::CreateTopics, options, rkqu)
}

/// Deletes topics; the result (DELETETOPICS_RESULT) is emitted on `rkqu`. Not implemented
/// yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopics(
    rk: *mut rd_kafka_t,
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (del_topics, del_topic_cnt);
    answer(rk, AdminOp::DeleteTopics, options, rkqu)
}

/// Adds partitions to topics; the result (CREATEPARTITIONS_RESULT) is emitted on `rkqu`.
/// Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreatePartitions(
    rk: *mut rd_kafka_t,
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (new_parts, new_parts_cnt);
    answer(rk, AdminOp::CreatePartitions, options, rkqu)
}

/// Replaces resource configs; the result (ALTERCONFIGS_RESULT) is emitted on `rkqu`.
/// Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (configs, config_cnt);
    answer(rk, AdminOp::AlterConfigs, options, rkqu)
}

/// Alters resource configs incrementally; the result (INCREMENTALALTERCONFIGS_RESULT) is
/// emitted on `rkqu`. Not implemented yet: the result carries _NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_IncrementalAlterConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (configs, config_cnt);
    answer(rk, AdminOp::IncrementalAlterConfigs, options, rkqu)
}

/// Describes resource configs; the result (DESCRIBECONFIGS_RESULT) is emitted on `rkqu`.
/// Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (configs, config_cnt);
    answer(rk, AdminOp::DescribeConfigs, options, rkqu)
}

/// Deletes records before offsets; the result (DELETERECORDS_RESULT) is emitted on `rkqu`.
/// Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords(
    rk: *mut rd_kafka_t,
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (del_records, del_record_cnt);
    answer(rk, AdminOp::DeleteRecords, options, rkqu)
}

/// Describes topics; the result (DESCRIBETOPICS_RESULT) is emitted on `rkqu`. Not
/// implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeTopics(
    rk: *mut rd_kafka_t,
    topics: *const rd_kafka_TopicCollection_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = topics;
    answer(rk, AdminOp::DescribeTopics, options, rkqu)
}

/// Describes the cluster; the result (DESCRIBECLUSTER_RESULT) is emitted on `rkqu`. Not
/// implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    answer(rk, AdminOp::DescribeCluster, options, rkqu)
}

/// Lists consumer groups; the result (LISTCONSUMERGROUPS_RESULT) is emitted on `rkqu`.
/// Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    answer(rk, AdminOp::ListConsumerGroups, options, rkqu)
}

/// Describes consumer groups; the result (DESCRIBECONSUMERGROUPS_RESULT) is emitted on
/// `rkqu`. Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups(
    rk: *mut rd_kafka_t,
    groups: *mut *const c_char,
    groups_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (groups, groups_cnt);
    answer(rk, AdminOp::DescribeConsumerGroups, options, rkqu)
}

/// Deletes consumer groups; the result (DELETEGROUPS_RESULT) is emitted on `rkqu`. Not
/// implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroups(
    rk: *mut rd_kafka_t,
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (del_groups, del_group_cnt);
    answer(rk, AdminOp::DeleteGroups, options, rkqu)
}

/// Lists committed offsets of groups; the result (LISTCONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`. Not implemented yet: the result carries _NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    list_grpoffsets: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (list_grpoffsets, list_grpoffsets_cnt);
    answer(rk, AdminOp::ListConsumerGroupOffsets, options, rkqu)
}

/// Alters committed offsets of groups; the result (ALTERCONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`. Not implemented yet: the result carries _NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    alter_grpoffsets: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (alter_grpoffsets, alter_grpoffsets_cnt);
    answer(rk, AdminOp::AlterConsumerGroupOffsets, options, rkqu)
}

/// Deletes committed offsets of a group; the result (DELETECONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`. Not implemented yet: the result carries _NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    del_grpoffsets: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (del_grpoffsets, del_grpoffsets_cnt);
    answer(rk, AdminOp::DeleteConsumerGroupOffsets, options, rkqu)
}

/// Looks up offsets by spec or timestamp; the result (LISTOFFSETS_RESULT) is emitted on
/// `rkqu`. Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsets(
    rk: *mut rd_kafka_t,
    topic_partitions: *mut rd_kafka_topic_partition_list_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = topic_partitions;
    answer(rk, AdminOp::ListOffsets, options, rkqu)
}

/// Describes SCRAM credentials of users (all when `user_cnt` is 0); the result
/// (DESCRIBEUSERSCRAMCREDENTIALS_RESULT) is emitted on `rkqu`. Not implemented yet.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeUserScramCredentials(
    rk: *mut rd_kafka_t,
    users: *mut *const c_char,
    user_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (users, user_cnt);
    answer(rk, AdminOp::DescribeUserScramCredentials, options, rkqu)
}

/// Upserts or deletes SCRAM credentials; the result (ALTERUSERSCRAMCREDENTIALS_RESULT) is
/// emitted on `rkqu`. Not implemented yet.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials(
    rk: *mut rd_kafka_t,
    alterations: *mut *mut rd_kafka_UserScramCredentialAlteration_t,
    alteration_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (alterations, alteration_cnt);
    answer(rk, AdminOp::AlterUserScramCredentials, options, rkqu)
}

/// Creates ACL bindings; the result (CREATEACLS_RESULT) is emitted on `rkqu`. Not
/// implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateAcls(
    rk: *mut rd_kafka_t,
    new_acls: *mut *mut rd_kafka_AclBinding_t,
    new_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (new_acls, new_acls_cnt);
    answer(rk, AdminOp::CreateAcls, options, rkqu)
}

/// Describes ACL bindings matching a filter; the result (DESCRIBEACLS_RESULT) is emitted
/// on `rkqu`. Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeAcls(
    rk: *mut rd_kafka_t,
    acl_filter: *mut rd_kafka_AclBindingFilter_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = acl_filter;
    answer(rk, AdminOp::DescribeAcls, options, rkqu)
}

/// Deletes ACL bindings matching filters; the result (DELETEACLS_RESULT) is emitted on
/// `rkqu`. Not implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls(
    rk: *mut rd_kafka_t,
    del_acls: *mut *mut rd_kafka_AclBindingFilter_t,
    del_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = (del_acls, del_acls_cnt);
    answer(rk, AdminOp::DeleteAcls, options, rkqu)
}

/// Elects partition leaders; the result (ELECTLEADERS_RESULT) is emitted on `rkqu`. Not
/// implemented yet: the result carries RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders(
    rk: *mut rd_kafka_t,
    elect_leaders: *mut rd_kafka_ElectLeaders_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let _ = elect_leaders;
    answer(rk, AdminOp::ElectLeaders, options, rkqu)
}

// ---------------------------------------------------------------------------------------
// Result events: rd_kafka_event_<Op>_result() and the accessors of each result.
// ---------------------------------------------------------------------------------------

/// The event as `op`'s result type, or NULL if it is another event.
unsafe fn result_of(rkev: *mut rd_kafka_event_t, op: AdminOp) -> *const rd_kafka_event_t {
    if !rkev.is_null() && super::event::rd_kafka_event_type(rkev) == op.event_type() {
        rkev
    } else {
        null()
    }
}

/// The event as a CreateTopics result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_CreateTopics_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreateTopics_result_t {
    result_of(rkev, AdminOp::CreateTopics)
}

/// The event as a DeleteTopics result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DeleteTopics_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteTopics_result_t {
    result_of(rkev, AdminOp::DeleteTopics)
}

/// The event as a CreatePartitions result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_CreatePartitions_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreatePartitions_result_t {
    result_of(rkev, AdminOp::CreatePartitions)
}

/// The event as a AlterConfigs result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_AlterConfigs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_AlterConfigs_result_t {
    result_of(rkev, AdminOp::AlterConfigs)
}

/// The event as a IncrementalAlterConfigs result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_IncrementalAlterConfigs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_IncrementalAlterConfigs_result_t {
    result_of(rkev, AdminOp::IncrementalAlterConfigs)
}

/// The event as a DescribeConfigs result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeConfigs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeConfigs_result_t {
    result_of(rkev, AdminOp::DescribeConfigs)
}

/// The event as a DeleteRecords result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DeleteRecords_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteRecords_result_t {
    result_of(rkev, AdminOp::DeleteRecords)
}

/// The event as a ListConsumerGroups result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_ListConsumerGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ListConsumerGroups_result_t {
    result_of(rkev, AdminOp::ListConsumerGroups)
}

/// The event as a DescribeConsumerGroups result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeConsumerGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeConsumerGroups_result_t {
    result_of(rkev, AdminOp::DescribeConsumerGroups)
}

/// The event as a DescribeTopics result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeTopics_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeTopics_result_t {
    result_of(rkev, AdminOp::DescribeTopics)
}

/// The event as a DescribeCluster result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeCluster_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeCluster_result_t {
    result_of(rkev, AdminOp::DescribeCluster)
}

/// The event as a DeleteGroups result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DeleteGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteGroups_result_t {
    result_of(rkev, AdminOp::DeleteGroups)
}

/// The event as a DeleteConsumerGroupOffsets result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DeleteConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteConsumerGroupOffsets_result_t {
    result_of(rkev, AdminOp::DeleteConsumerGroupOffsets)
}

/// The event as a CreateAcls result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_CreateAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreateAcls_result_t {
    result_of(rkev, AdminOp::CreateAcls)
}

/// The event as a DescribeAcls result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeAcls_result_t {
    result_of(rkev, AdminOp::DescribeAcls)
}

/// The event as a DeleteAcls result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DeleteAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteAcls_result_t {
    result_of(rkev, AdminOp::DeleteAcls)
}

/// The event as a ListConsumerGroupOffsets result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_ListConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ListConsumerGroupOffsets_result_t {
    result_of(rkev, AdminOp::ListConsumerGroupOffsets)
}

/// The event as a AlterConsumerGroupOffsets result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_AlterConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_AlterConsumerGroupOffsets_result_t {
    result_of(rkev, AdminOp::AlterConsumerGroupOffsets)
}

/// The event as a ListOffsets result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_ListOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ListOffsets_result_t {
    result_of(rkev, AdminOp::ListOffsets)
}

/// The event as a DescribeUserScramCredentials result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_DescribeUserScramCredentials_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeUserScramCredentials_result_t {
    result_of(rkev, AdminOp::DescribeUserScramCredentials)
}

/// The event as a AlterUserScramCredentials result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_AlterUserScramCredentials_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_AlterUserScramCredentials_result_t {
    result_of(rkev, AdminOp::AlterUserScramCredentials)
}

/// The event as a ElectLeaders result, or NULL if it is another event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_ElectLeaders_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ElectLeaders_result_t {
    result_of(rkev, AdminOp::ElectLeaders)
}

// Every result so far is a not-implemented error with no entries: the array accessors
// answer NULL with a count of 0.

/// The topic results of a CreateTopics result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateTopics_result_topics(
    result: *const rd_kafka_CreateTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    let _ = result;
    empty(cntp)
}

/// The topic results of a DeleteTopics result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopics_result_topics(
    result: *const rd_kafka_DeleteTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    let _ = result;
    empty(cntp)
}

/// The topic results of a CreatePartitions result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreatePartitions_result_topics(
    result: *const rd_kafka_CreatePartitions_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    let _ = result;
    empty(cntp)
}

/// The resources of an AlterConfigs result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConfigs_result_resources(
    result: *const rd_kafka_AlterConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    let _ = result;
    empty(cntp)
}

/// The resources of an IncrementalAlterConfigs result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_IncrementalAlterConfigs_result_resources(
    result: *const rd_kafka_IncrementalAlterConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    let _ = result;
    empty(cntp)
}

/// The resources of a DescribeConfigs result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs_result_resources(
    result: *const rd_kafka_DescribeConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    let _ = result;
    empty(cntp)
}

/// The topic descriptions of a DescribeTopics result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeTopics_result_topics(
    result: *const rd_kafka_DescribeTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_TopicDescription_t {
    let _ = result;
    empty(cntp)
}

/// The nodes of a DescribeCluster result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_nodes(
    result: *const rd_kafka_DescribeCluster_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    let _ = result;
    empty(cntp)
}

/// The groups listed by a ListConsumerGroups result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_valid(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupListing_t {
    let _ = result;
    empty(cntp)
}

/// The per-broker errors of a ListConsumerGroups result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_errors(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_error_t {
    let _ = result;
    empty(cntp)
}

/// The group descriptions of a DescribeConsumerGroups result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups_result_groups(
    result: *const rd_kafka_DescribeConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupDescription_t {
    let _ = result;
    empty(cntp)
}

/// The group results of a DeleteGroups result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroups_result_groups(
    result: *const rd_kafka_DeleteGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    let _ = result;
    empty(cntp)
}

/// The group results of a ListConsumerGroupOffsets result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_ListConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    let _ = result;
    empty(cntp)
}

/// The group results of an AlterConsumerGroupOffsets result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_AlterConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    let _ = result;
    empty(cntp)
}

/// The group results of a DeleteConsumerGroupOffsets result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_DeleteConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    let _ = result;
    empty(cntp)
}

/// The partition results of a ListOffsets result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsets_result_infos(
    result: *const rd_kafka_ListOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ListOffsetsResultInfo_t {
    let _ = result;
    empty(cntp)
}

/// The user descriptions of a DescribeUserScramCredentials result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeUserScramCredentials_result_descriptions(
    result: *const rd_kafka_DescribeUserScramCredentials_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_UserScramCredentialsDescription_t {
    let _ = result;
    empty(cntp)
}

/// The per-user responses of an AlterUserScramCredentials result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_responses(
    result: *const rd_kafka_AlterUserScramCredentials_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AlterUserScramCredentials_result_response_t {
    let _ = result;
    empty(cntp)
}

/// The ACL results of a CreateAcls result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateAcls_result_acls(
    result: *const rd_kafka_CreateAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_acl_result_t {
    let _ = result;
    empty(cntp)
}

/// The ACL bindings of a DescribeAcls result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeAcls_result_acls(
    result: *const rd_kafka_DescribeAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    let _ = result;
    empty(cntp)
}

/// The per-filter responses of a DeleteAcls result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_responses(
    result: *const rd_kafka_DeleteAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_DeleteAcls_result_response_t {
    let _ = result;
    empty(cntp)
}

/// The bindings a DeleteAcls filter matched (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_matching_acls(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    let _ = result_response;
    empty(cntp)
}

/// The partition results of an ElectLeaders result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_result_partitions(
    result: *const rd_kafka_ElectLeaders_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_partition_result_t {
    let _ = result;
    empty(cntp)
}

/// The partitions of a topic description (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_partitions(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_TopicPartitionInfo_t {
    let _ = topicdesc;
    empty(cntp)
}

/// The in-sync replicas of a partition (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_isr(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    let _ = partition;
    empty(cntp)
}

/// The replicas of a partition (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_replicas(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    let _ = partition;
    empty(cntp)
}

// Authorized operations are arrays of values (`const rd_kafka_AclOperation_t *`), not of
// pointers.

/// The authorized operations of a DescribeCluster result (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_authorized_operations(
    result: *const rd_kafka_DescribeCluster_result_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    let _ = result;
    no_operations(cntp)
}

/// The authorized operations of a topic description (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_authorized_operations(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    let _ = topicdesc;
    no_operations(cntp)
}

/// The authorized operations of a group description (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_authorized_operations(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    let _ = grpdesc;
    no_operations(cntp)
}

// Result sub-objects are not created yet: their accessors answer the empty value of
// their type without touching the pointer.

/// A topic result's error code (no results exist yet: NO_ERROR).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_result_error(
    topicres: *const rd_kafka_topic_result_t,
) -> rd_kafka_resp_err_t {
    let _ = topicres;
    0
}

/// A topic result's error string (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_error_string(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    let _ = topicres;
    null()
}

/// A topic result's topic name (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_name(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    let _ = topicres;
    null()
}

/// A group result's error (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_error(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_error_t {
    let _ = groupres;
    null()
}

/// A group result's group name (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_name(
    groupres: *const rd_kafka_group_result_t,
) -> *const c_char {
    let _ = groupres;
    null()
}

/// A group result's partitions (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_partitions(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    let _ = groupres;
    null()
}

/// A partition result's partition (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_partition(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_topic_partition_t {
    let _ = partition_result;
    null()
}

/// A partition result's error (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_error(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_error_t {
    let _ = partition_result;
    null()
}

/// An ACL result's error (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_acl_result_error(
    aclres: *const rd_kafka_acl_result_t,
) -> *const rd_kafka_error_t {
    let _ = aclres;
    null()
}

/// A DeleteRecords result's offsets (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_result_offsets(
    result: *const rd_kafka_DeleteRecords_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    let _ = result;
    null()
}

/// A DescribeCluster result's controller (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_controller(
    result: *const rd_kafka_DescribeCluster_result_t,
) -> *const rd_kafka_Node_t {
    let _ = result;
    null()
}

/// A DescribeCluster result's cluster id (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_cluster_id(
    result: *const rd_kafka_DescribeCluster_result_t,
) -> *const c_char {
    let _ = result;
    null()
}

/// A DeleteAcls response's error (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_error(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
) -> *const rd_kafka_error_t {
    let _ = result_response;
    null()
}

/// A partition's id in a topic description (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_partition(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> c_int {
    let _ = partition;
    0
}

/// A partition's leader in a topic description (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_leader(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> *const rd_kafka_Node_t {
    let _ = partition;
    null()
}

/// A topic description's name (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_name(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const c_char {
    let _ = topicdesc;
    null()
}

/// A topic description's topic id (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_topic_id(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_Uuid_t {
    let _ = topicdesc;
    null()
}

/// Whether a described topic is internal (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicDescription_is_internal(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> c_int {
    let _ = topicdesc;
    0
}

/// A topic description's error (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_error(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_error_t {
    let _ = topicdesc;
    null()
}

/// A node's id (no nodes exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Node_id(node: *const rd_kafka_Node_t) -> c_int {
    let _ = node;
    0
}

/// A node's host (no nodes exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Node_host(node: *const rd_kafka_Node_t) -> *const c_char {
    let _ = node;
    null()
}

/// A node's port (no nodes exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Node_port(node: *const rd_kafka_Node_t) -> u16 {
    let _ = node;
    0
}

/// A node's rack (no nodes exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Node_rack(node: *const rd_kafka_Node_t) -> *const c_char {
    let _ = node;
    null()
}

/// A listed group's id (no listings exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_group_id(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> *const c_char {
    let _ = grplist;
    null()
}

/// Whether a listed group is a simple consumer group (no listings exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_is_simple_consumer_group(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> c_int {
    let _ = grplist;
    0
}

/// A listed group's state (no listings exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_state(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> rd_kafka_consumer_group_state_t {
    let _ = grplist;
    0
}

/// A listed group's type (no listings exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_type(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> rd_kafka_consumer_group_type_t {
    let _ = grplist;
    0
}

/// A described group's id (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_group_id(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    let _ = grpdesc;
    null()
}

/// A described group's error (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_error(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_error_t {
    let _ = grpdesc;
    null()
}

/// Whether a described group is a simple consumer group (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> c_int {
    let _ = grpdesc;
    0
}

/// A described group's partition assignor (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_partition_assignor(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    let _ = grpdesc;
    null()
}

/// A described group's state (no descriptions exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_state(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> rd_kafka_consumer_group_state_t {
    let _ = grpdesc;
    0
}

/// A described group's coordinator (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_coordinator(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_Node_t {
    let _ = grpdesc;
    null()
}

/// A described group's type (no descriptions exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_type(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> rd_kafka_consumer_group_type_t {
    let _ = grpdesc;
    0
}

/// A described group's member count (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member_count(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> size_t {
    let _ = grpdesc;
    0
}

/// A member's client id (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_client_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    let _ = member;
    null()
}

/// A member's group instance id (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_group_instance_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    let _ = member;
    null()
}

/// A member's consumer id (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_consumer_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    let _ = member;
    null()
}

/// A member's host (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_host(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    let _ = member;
    null()
}

/// A member's assignment (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_assignment(
    member: *const rd_kafka_MemberDescription_t,
) -> *const rd_kafka_MemberAssignment_t {
    let _ = member;
    null()
}

/// A member's target assignment (no members exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_target_assignment(
    member: *const rd_kafka_MemberDescription_t,
) -> *const rd_kafka_MemberAssignment_t {
    let _ = member;
    null()
}

/// An assignment's partitions (no assignments exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberAssignment_partitions(
    assignment: *const rd_kafka_MemberAssignment_t,
) -> *const rd_kafka_topic_partition_list_t {
    let _ = assignment;
    null()
}

/// A ListOffsets partition result (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_topic_partition(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> *const rd_kafka_topic_partition_t {
    let _ = result_info;
    null()
}

/// A ListOffsets result's timestamp (no results exist yet: -1).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_timestamp(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> i64 {
    let _ = result_info;
    -1
}

/// A SCRAM credential's mechanism (no descriptions exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_mechanism(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> rd_kafka_ScramMechanism_t {
    let _ = scram_credential_info;
    0
}

/// A SCRAM credential's iteration count (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_iterations(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> i32 {
    let _ = scram_credential_info;
    0
}

/// A SCRAM description's user (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_user(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const c_char {
    let _ = description;
    null()
}

/// A SCRAM description's error (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_error(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const rd_kafka_error_t {
    let _ = description;
    null()
}

/// A SCRAM description's credential count (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> size_t {
    let _ = description;
    0
}

/// An AlterUserScramCredentials response's user (no responses exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_user(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const c_char {
    let _ = response;
    null()
}

/// An AlterUserScramCredentials response's error (no responses exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_error(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const rd_kafka_error_t {
    let _ = response;
    null()
}

/// A described group's member `idx` (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    idx: size_t,
) -> *const rd_kafka_MemberDescription_t {
    let _ = (grpdesc, idx);
    null()
}

/// A SCRAM description's credential `idx` (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
    idx: size_t,
) -> *const rd_kafka_ScramCredentialInfo_t {
    let _ = (description, idx);
    null()
}

// ---------------------------------------------------------------------------------------
// Request objects
// ---------------------------------------------------------------------------------------

/// A config name/value, in a NewTopic or a ConfigResource (`op_type` for incremental alters).
#[allow(dead_code)]
#[repr(C)]
struct ConfigEntry {
    /// tag::CONFIG_ENTRY while alive (must stay the first field).
    tag: u64,
    name: CString,
    value: Option<CString>,
    op_type: c_int,
}

tagged!(ConfigEntry => rd_kafka_ConfigEntry_t, tag::CONFIG_ENTRY);

/// What `rd_kafka_NewTopic_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct NewTopic {
    /// tag::NEW_TOPIC while alive (must stay the first field).
    tag: u64,
    topic: CString,
    num_partitions: c_int,
    replication_factor: c_int,
    replicas: Vec<Vec<i32>>,
    configs: Vec<ConfigEntry>,
}

tagged!(NewTopic => rd_kafka_NewTopic_t, tag::NEW_TOPIC);

/// Creates a topic to create: `num_partitions` 1..100000 or -1 (broker default),
/// `replication_factor` -1..10000. NULL with `errstr` filled on a bad argument.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_new(
    topic: *const c_char,
    num_partitions: c_int,
    replication_factor: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewTopic_t {
    let Some(topic) = owned_cstring(topic) else {
        write_errstr(errstr, errstr_size, "topic name must not be NULL");
        return null_mut();
    };
    if !(-1..=PARTITIONS_MAX).contains(&num_partitions) {
        write_errstr(
            errstr,
            errstr_size,
            &format!("num_partitions must be in 1..{PARTITIONS_MAX}, or -1 for the broker default"),
        );
        return null_mut();
    }
    if !(-1..=BROKERS_MAX).contains(&replication_factor) {
        write_errstr(errstr, errstr_size, &format!("replication_factor must be in -1..{BROKERS_MAX}"));
        return null_mut();
    }
    NewTopic {
        tag: tag::NEW_TOPIC,
        topic,
        num_partitions,
        replication_factor,
        replicas: Vec::new(),
        configs: Vec::new(),
    }
    .into_c()
}

/// Destroys a NewTopic (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy(new_topic: *mut rd_kafka_NewTopic_t) {
    destroy::<NewTopic>(new_topic)
}

/// Destroys each NewTopic of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy_array(
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
) {
    destroy_array::<NewTopic>(new_topics, new_topic_cnt)
}

/// Checks and copies one partition's replica broker ids.
unsafe fn replica_list(
    next: usize,
    partition: i32,
    broker_ids: *const i32,
    broker_id_cnt: size_t,
) -> Result<Vec<i32>, String> {
    if usize::try_from(partition).ok() != Some(next) {
        return Err(format!("replica assignments must be set for partitions in order from 0: expected partition {next}, got {partition}"));
    }
    if broker_id_cnt > BROKERS_MAX as usize {
        return Err(format!("at most {BROKERS_MAX} brokers may be given"));
    }
    if broker_ids.is_null() && broker_id_cnt > 0 {
        return Err("broker_ids must not be NULL".into());
    }
    Ok((0..broker_id_cnt).map(|i| *broker_ids.add(i)).collect())
}

/// Sets the replicas of `partition` (added in order from 0). Needs replication_factor -1
/// and an explicit partition count; _INVALID_ARG with `errstr` filled otherwise.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_replica_assignment(
    new_topic: *mut rd_kafka_NewTopic_t,
    partition: i32,
    broker_ids: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let Some(t) = obj_mut::<NewTopic>(new_topic) else {
        write_errstr(errstr, errstr_size, "new_topic must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    let r = if t.replication_factor != -1 {
        Err("a replica assignment cannot be combined with a replication factor (use -1)".to_string())
    } else if t.num_partitions == -1 {
        Err("a replica assignment cannot be combined with the default partition count (-1)".to_string())
    } else {
        replica_list(t.replicas.len(), partition, broker_ids, broker_id_cnt)
    };
    match r {
        Ok(ids) => {
            t.replicas.push(ids);
            0
        }
        Err(m) => {
            write_errstr(errstr, errstr_size, &m);
            ErrorCode::_INVALID_ARG.0
        }
    }
}

/// Sets a topic config property for the topic to create (`value` NULL: broker default).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_config(
    new_topic: *mut rd_kafka_NewTopic_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    let (Some(t), Some(name)) = (obj_mut::<NewTopic>(new_topic), owned_cstring(name)) else {
        return ErrorCode::_INVALID_ARG.0;
    };
    t.configs.push(ConfigEntry { tag: tag::CONFIG_ENTRY, name, value: owned_cstring(value), op_type: 0 });
    0
}

/// What `rd_kafka_DeleteTopic_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct DeleteTopic {
    /// tag::DELETE_TOPIC while alive (must stay the first field).
    tag: u64,
    topic: CString,
}

tagged!(DeleteTopic => rd_kafka_DeleteTopic_t, tag::DELETE_TOPIC);

/// Creates a topic to delete (NULL if `topic` is NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_new(topic: *const c_char) -> *mut rd_kafka_DeleteTopic_t {
    owned_cstring(topic).map_or(null_mut(), |topic| DeleteTopic { tag: tag::DELETE_TOPIC, topic }.into_c())
}

/// Destroys a DeleteTopic (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy(del_topic: *mut rd_kafka_DeleteTopic_t) {
    destroy::<DeleteTopic>(del_topic)
}

/// Destroys each DeleteTopic of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy_array(
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
) {
    destroy_array::<DeleteTopic>(del_topics, del_topic_cnt)
}

/// What `rd_kafka_NewPartitions_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct NewPartitions {
    /// tag::NEW_PARTITIONS while alive (must stay the first field).
    tag: u64,
    topic: CString,
    total_cnt: size_t,
    replicas: Vec<Vec<i32>>,
}

tagged!(NewPartitions => rd_kafka_NewPartitions_t, tag::NEW_PARTITIONS);

/// Creates a request to grow `topic` to `new_total_cnt` partitions (1..100000). NULL with
/// `errstr` filled on a bad argument.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_new(
    topic: *const c_char,
    new_total_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewPartitions_t {
    let Some(topic) = owned_cstring(topic) else {
        write_errstr(errstr, errstr_size, "topic name must not be NULL");
        return null_mut();
    };
    if new_total_cnt < 1 || new_total_cnt > PARTITIONS_MAX as size_t {
        write_errstr(errstr, errstr_size, &format!("new_total_cnt must be in 1..{PARTITIONS_MAX}"));
        return null_mut();
    }
    NewPartitions { tag: tag::NEW_PARTITIONS, topic, total_cnt: new_total_cnt, replicas: Vec::new() }.into_c()
}

/// Destroys a NewPartitions (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy(new_parts: *mut rd_kafka_NewPartitions_t) {
    destroy::<NewPartitions>(new_parts)
}

/// Destroys each NewPartitions of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy_array(
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
) {
    destroy_array::<NewPartitions>(new_parts, new_parts_cnt)
}

/// Sets the replicas of new partition `new_partition_idx` (0 = the first new one, added in
/// order). _INVALID_ARG with `errstr` filled on a bad argument.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewPartitions_set_replica_assignment(
    new_parts: *mut rd_kafka_NewPartitions_t,
    new_partition_idx: i32,
    broker_ids: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let Some(p) = obj_mut::<NewPartitions>(new_parts) else {
        write_errstr(errstr, errstr_size, "new_parts must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    match replica_list(p.replicas.len(), new_partition_idx, broker_ids, broker_id_cnt) {
        Ok(ids) => {
            p.replicas.push(ids);
            0
        }
        Err(m) => {
            write_errstr(errstr, errstr_size, &m);
            ErrorCode::_INVALID_ARG.0
        }
    }
}

/// What `rd_kafka_ConfigResource_t *` points to. `ptrs` is the array
/// rd_kafka_ConfigResource_configs() hands out, kept in step with `entries`.
#[repr(C)]
struct ConfigResource {
    /// tag::CONFIG_RESOURCE while alive (must stay the first field).
    tag: u64,
    restype: c_int,
    name: CString,
    // Boxed: `ptrs` points at the entries, which must not move as the Vec grows.
    #[allow(clippy::vec_box)]
    entries: Vec<Box<ConfigEntry>>,
    ptrs: Vec<*const rd_kafka_ConfigEntry_t>,
}

tagged!(ConfigResource => rd_kafka_ConfigResource_t, tag::CONFIG_RESOURCE);

impl ConfigResource {
    fn add(&mut self, e: ConfigEntry) {
        let b = Box::new(e);
        self.ptrs.push(handle_of(&*b));
        self.entries.push(b);
    }
}

/// Creates a resource (RD_KAFKA_RESOURCE_*, name) whose configs to alter or describe. NULL
/// if the name is NULL or empty or the type negative.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_new(
    restype: rd_kafka_ResourceType_t,
    resname: *const c_char,
) -> *mut rd_kafka_ConfigResource_t {
    match owned_cstring(resname) {
        Some(name) if !name.is_empty() && restype >= 0 => {
            ConfigResource { tag: tag::CONFIG_RESOURCE, restype, name, entries: Vec::new(), ptrs: Vec::new() }
                .into_c()
        }
        _ => null_mut(),
    }
}

/// Destroys a ConfigResource (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy(config: *mut rd_kafka_ConfigResource_t) {
    destroy::<ConfigResource>(config)
}

/// Destroys each ConfigResource of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy_array(
    config: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
) {
    destroy_array::<ConfigResource>(config, config_cnt)
}

/// Adds a config to set (AlterConfigs). _INVALID_ARG if `name` is NULL/empty or `value` NULL.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_set_config(
    config: *mut rd_kafka_ConfigResource_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    let (Some(c), Some(name), Some(value)) =
        (obj_mut::<ConfigResource>(config), owned_cstring(name), owned_cstring(value))
    else {
        return ErrorCode::_INVALID_ARG.0;
    };
    if name.is_empty() {
        return ErrorCode::_INVALID_ARG.0;
    }
    c.add(ConfigEntry { tag: tag::CONFIG_ENTRY, name, value: Some(value), op_type: 0 });
    0
}

/// Adds an incremental config change (RD_KAFKA_ALTER_CONFIG_OP_TYPE_*; `value` may be NULL
/// only for DELETE). Returns NULL or an _INVALID_ARG error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_add_incremental_config(
    config: *mut rd_kafka_ConfigResource_t,
    name: *const c_char,
    op_type: rd_kafka_AlterConfigOpType_t,
    value: *const c_char,
) -> *mut rd_kafka_error_t {
    let bad = |m: &str| error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, m));
    let Some(c) = obj_mut::<ConfigResource>(config) else { return bad("config must not be NULL") };
    if !(0..ALTER_CONFIG_OP_CNT).contains(&op_type) {
        return bad("unknown alter config operation type");
    }
    let name = match owned_cstring(name) {
        None => return bad("a config name is needed"),
        Some(n) if n.is_empty() => return bad("the config name is empty"),
        Some(n) => n,
    };
    let value = owned_cstring(value);
    if value.is_none() && op_type != ALTER_CONFIG_OP_DELETE {
        return bad("a config value is needed for this operation type");
    }
    c.add(ConfigEntry { tag: tag::CONFIG_ENTRY, name, value, op_type });
    null_mut()
}

/// The configs of a resource (owned by it); NULL and a count of 0 when it has none.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_configs(
    config: *const rd_kafka_ConfigResource_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    match obj::<ConfigResource>(config) {
        Some(c) if !c.ptrs.is_empty() => {
            if !cntp.is_null() {
                *cntp = c.ptrs.len();
            }
            c.ptrs.as_ptr() as *mut *const rd_kafka_ConfigEntry_t
        }
        _ => empty(cntp),
    }
}

/// The resource type (RD_KAFKA_RESOURCE_*); UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_type(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_ResourceType_t {
    obj::<ConfigResource>(config).map_or(0, |c| c.restype)
}

/// The resource name (owned by the resource).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_name(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    obj::<ConfigResource>(config).map_or(null(), |c| c.name.as_ptr())
}

/// The resource's error in a result (requests carry none: NO_ERROR).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_resp_err_t {
    let _ = config;
    0
}

/// The resource's error string in a result (NULL when there is no error).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error_string(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    let _ = config;
    null()
}

/// A config entry's name (owned by the entry).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_name(entry: *const rd_kafka_ConfigEntry_t) -> *const c_char {
    obj::<ConfigEntry>(entry).map_or(null(), |e| e.name.as_ptr())
}

/// A config entry's value, or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_value(entry: *const rd_kafka_ConfigEntry_t) -> *const c_char {
    obj::<ConfigEntry>(entry).map_or(null(), |e| c_or_null(&e.value))
}

/// A config entry's source; entries made by the application are UNKNOWN_CONFIG.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_source(
    entry: *const rd_kafka_ConfigEntry_t,
) -> rd_kafka_ConfigSource_t {
    let _ = entry;
    0
}

/// Whether a described config is read-only (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_read_only(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    let _ = entry;
    0
}

/// Whether a described config has its default value (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_default(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    let _ = entry;
    0
}

/// Whether a described config is sensitive (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_sensitive(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    let _ = entry;
    0
}

/// Whether a config entry is a synonym (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_synonym(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    let _ = entry;
    0
}

/// A described config's synonyms (none for application-made entries: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_synonyms(
    entry: *const rd_kafka_ConfigEntry_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    let _ = entry;
    empty(cntp)
}

/// What `rd_kafka_DeleteRecords_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct DeleteRecords {
    /// tag::DELETE_RECORDS while alive (must stay the first field).
    tag: u64,
    before_offsets: OwnedList,
}

tagged!(DeleteRecords => rd_kafka_DeleteRecords_t, tag::DELETE_RECORDS);

/// Creates a request to delete records before the given offsets (the list is copied).
/// NULL if `before_offsets` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_new(
    before_offsets: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteRecords_t {
    OwnedList::copy(before_offsets)
        .map_or(null_mut(), |l| DeleteRecords { tag: tag::DELETE_RECORDS, before_offsets: l }.into_c())
}

/// Destroys a DeleteRecords (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy(del_records: *mut rd_kafka_DeleteRecords_t) {
    destroy::<DeleteRecords>(del_records)
}

/// Destroys each DeleteRecords of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy_array(
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
) {
    destroy_array::<DeleteRecords>(del_records, del_record_cnt)
}

/// What `rd_kafka_TopicCollection_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct TopicCollection {
    /// tag::TOPIC_COLLECTION while alive (must stay the first field).
    tag: u64,
    topics: Vec<CString>,
}

tagged!(TopicCollection => rd_kafka_TopicCollection_t, tag::TOPIC_COLLECTION);

/// Creates a collection of topic names (copied) for DescribeTopics. NULL if the array or
/// one of its names is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicCollection_of_topic_names(
    topics: *mut *const c_char,
    topics_cnt: size_t,
) -> *mut rd_kafka_TopicCollection_t {
    if topics.is_null() && topics_cnt > 0 {
        return null_mut();
    }
    let names: Option<Vec<CString>> = (0..topics_cnt).map(|i| owned_cstring(*topics.add(i))).collect();
    names.map_or(null_mut(), |topics| TopicCollection { tag: tag::TOPIC_COLLECTION, topics }.into_c())
}

/// Destroys a TopicCollection (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicCollection_destroy(topics: *mut rd_kafka_TopicCollection_t) {
    destroy::<TopicCollection>(topics)
}

/// What `rd_kafka_DeleteGroup_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct DeleteGroup {
    /// tag::DELETE_GROUP while alive (must stay the first field).
    tag: u64,
    group: CString,
}

tagged!(DeleteGroup => rd_kafka_DeleteGroup_t, tag::DELETE_GROUP);

/// Creates a group to delete (NULL if `group` is NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_new(group: *const c_char) -> *mut rd_kafka_DeleteGroup_t {
    owned_cstring(group).map_or(null_mut(), |group| DeleteGroup { tag: tag::DELETE_GROUP, group }.into_c())
}

/// Destroys a DeleteGroup (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy(del_group: *mut rd_kafka_DeleteGroup_t) {
    destroy::<DeleteGroup>(del_group)
}

/// Destroys each DeleteGroup of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy_array(
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
) {
    destroy_array::<DeleteGroup>(del_groups, del_group_cnt)
}

/// A group id plus a partition list: the requests of the group-offsets operations.
#[allow(dead_code)]
struct GroupPartitions {
    group: CString,
    partitions: Option<OwnedList>,
}

/// What `rd_kafka_ListConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct ListConsumerGroupOffsets {
    tag: u64,
    #[allow(dead_code)]
    req: GroupPartitions,
}
/// What `rd_kafka_AlterConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct AlterConsumerGroupOffsets {
    tag: u64,
    #[allow(dead_code)]
    req: GroupPartitions,
}
/// What `rd_kafka_DeleteConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct DeleteConsumerGroupOffsets {
    tag: u64,
    #[allow(dead_code)]
    req: GroupPartitions,
}

tagged!(ListConsumerGroupOffsets => rd_kafka_ListConsumerGroupOffsets_t, tag::LIST_GROUP_OFFSETS);
tagged!(AlterConsumerGroupOffsets => rd_kafka_AlterConsumerGroupOffsets_t, tag::ALTER_GROUP_OFFSETS);
tagged!(DeleteConsumerGroupOffsets => rd_kafka_DeleteConsumerGroupOffsets_t, tag::DELETE_GROUP_OFFSETS);

/// Copies a group id and partition list; None when the id (or a required list) is NULL.
unsafe fn group_partitions(
    group: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
    list_required: bool,
) -> Option<GroupPartitions> {
    let group = owned_cstring(group)?;
    if list_required && partitions.is_null() {
        return None;
    }
    Some(GroupPartitions { group, partitions: OwnedList::copy(partitions) })
}

/// Creates a request for a group's committed offsets (`partitions` NULL: all; copied).
/// NULL if `group_id` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_ListConsumerGroupOffsets_t {
    group_partitions(group_id, partitions, false)
        .map_or(null_mut(), |g| ListConsumerGroupOffsets { tag: tag::LIST_GROUP_OFFSETS, req: g }.into_c())
}

/// Destroys a ListConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy(
    list_grpoffsets: *mut rd_kafka_ListConsumerGroupOffsets_t,
) {
    destroy::<ListConsumerGroupOffsets>(list_grpoffsets)
}

/// Destroys each ListConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy_array(
    list_grpoffsets: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffset_cnt: size_t,
) {
    destroy_array::<ListConsumerGroupOffsets>(list_grpoffsets, list_grpoffset_cnt)
}

/// Creates a request to set a group's committed offsets (copied). NULL if `group_id` or
/// `partitions` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_AlterConsumerGroupOffsets_t {
    group_partitions(group_id, partitions, true)
        .map_or(null_mut(), |g| AlterConsumerGroupOffsets { tag: tag::ALTER_GROUP_OFFSETS, req: g }.into_c())
}

/// Destroys an AlterConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy(
    alter_grpoffsets: *mut rd_kafka_AlterConsumerGroupOffsets_t,
) {
    destroy::<AlterConsumerGroupOffsets>(alter_grpoffsets)
}

/// Destroys each AlterConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy_array(
    alter_grpoffsets: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffset_cnt: size_t,
) {
    destroy_array::<AlterConsumerGroupOffsets>(alter_grpoffsets, alter_grpoffset_cnt)
}

/// Creates a request to delete a group's committed offsets (copied). NULL if `group` or
/// `partitions` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_new(
    group: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteConsumerGroupOffsets_t {
    group_partitions(group, partitions, true).map_or(null_mut(), |g| {
        DeleteConsumerGroupOffsets { tag: tag::DELETE_GROUP_OFFSETS, req: g }.into_c()
    })
}

/// Destroys a DeleteConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy(
    del_grpoffsets: *mut rd_kafka_DeleteConsumerGroupOffsets_t,
) {
    destroy::<DeleteConsumerGroupOffsets>(del_grpoffsets)
}

/// Destroys each DeleteConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy_array(
    del_grpoffsets: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffset_cnt: size_t,
) {
    destroy_array::<DeleteConsumerGroupOffsets>(del_grpoffsets, del_grpoffset_cnt)
}

/// What `rd_kafka_UserScramCredentialAlteration_t *` points to: an upsert carries the
/// iterations, password and salt.
#[allow(dead_code)]
#[repr(C)]
struct UserScramCredentialAlteration {
    /// tag::SCRAM_ALTERATION while alive (must stay the first field).
    tag: u64,
    user: CString,
    mechanism: c_int,
    upsert: Option<(i32, Vec<u8>, Vec<u8>)>,
}

tagged!(UserScramCredentialAlteration => rd_kafka_UserScramCredentialAlteration_t, tag::SCRAM_ALTERATION);

unsafe fn bytes(p: *const c_uchar, n: size_t) -> Vec<u8> {
    if p.is_null() || n == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(p, n).to_vec()
    }
}

/// Creates a SCRAM credential upsertion (password and salt copied; an empty salt is
/// replaced by 64 random bytes). NULL if `username` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialUpsertion_new(
    username: *const c_char,
    mechanism: rd_kafka_ScramMechanism_t,
    iterations: i32,
    password: *const c_uchar,
    password_size: size_t,
    salt: *const c_uchar,
    salt_size: size_t,
) -> *mut rd_kafka_UserScramCredentialAlteration_t {
    let Some(user) = owned_cstring(username) else { return null_mut() };
    let mut salt = bytes(salt, salt_size);
    if salt.is_empty() {
        salt = random_salt();
    }
    UserScramCredentialAlteration {
        tag: tag::SCRAM_ALTERATION,
        user,
        mechanism,
        upsert: Some((iterations, bytes(password, password_size), salt)),
    }
    .into_c()
}

/// 64 bytes from OpenSSL's CSPRNG, as librdkafka salts an upsertion given none.
fn random_salt() -> Vec<u8> {
    let mut s = vec![0u8; 64];
    match openssl::rand::rand_bytes(&mut s) {
        Ok(()) => s,
        Err(_) => Vec::new(),
    }
}

/// Creates a SCRAM credential deletion. NULL if `username` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialDeletion_new(
    username: *const c_char,
    mechanism: rd_kafka_ScramMechanism_t,
) -> *mut rd_kafka_UserScramCredentialAlteration_t {
    owned_cstring(username).map_or(null_mut(), |user| {
        UserScramCredentialAlteration { tag: tag::SCRAM_ALTERATION, user, mechanism, upsert: None }.into_c()
    })
}

/// Destroys a SCRAM credential alteration (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialAlteration_destroy(
    alteration: *mut rd_kafka_UserScramCredentialAlteration_t,
) {
    destroy::<UserScramCredentialAlteration>(alteration)
}

/// Destroys each SCRAM credential alteration of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialAlteration_destroy_array(
    alterations: *mut *mut rd_kafka_UserScramCredentialAlteration_t,
    alteration_cnt: size_t,
) {
    destroy_array::<UserScramCredentialAlteration>(alterations, alteration_cnt)
}

/// What `rd_kafka_AclBinding_t *` (and `rd_kafka_AclBindingFilter_t *`) points to.
#[repr(C)]
struct AclBinding {
    /// tag::ACL_BINDING while alive (must stay the first field).
    tag: u64,
    restype: c_int,
    name: Option<CString>,
    pattern: c_int,
    principal: Option<CString>,
    host: Option<CString>,
    operation: c_int,
    permission: c_int,
}

tagged!(AclBinding => rd_kafka_AclBinding_t, tag::ACL_BINDING);

/// Checks the enum fields of a binding (`filter`: ANY/MATCH allowed); the failing field's
/// message otherwise.
fn check_acl(
    restype: c_int,
    pattern: c_int,
    operation: c_int,
    permission: c_int,
    filter: bool,
) -> Result<(), &'static str> {
    let ok = |v: c_int, cnt: c_int, any: &[c_int]| v > 0 && v < cnt && (filter || !any.contains(&v));
    if !ok(restype, RESOURCE_CNT, &[RESOURCE_ANY]) {
        return Err("invalid resource type");
    }
    if !ok(pattern, PATTERN_CNT, &[PATTERN_ANY, PATTERN_MATCH]) {
        return Err("invalid resource pattern type");
    }
    if !ok(operation, ACL_OPERATION_CNT, &[ACL_OPERATION_ANY]) {
        return Err("invalid ACL operation");
    }
    if !ok(permission, ACL_PERMISSION_CNT, &[ACL_PERMISSION_ANY]) {
        return Err("invalid ACL permission type");
    }
    Ok(())
}

/// Creates an ACL binding (for CreateAcls). Name, principal and host are required and no
/// field may be UNKNOWN/ANY/MATCH; NULL with `errstr` filled otherwise.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_new(
    restype: rd_kafka_ResourceType_t,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_t,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_t,
    permission_type: rd_kafka_AclPermissionType_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBinding_t {
    let missing = if name.is_null() {
        Some("a resource name is needed")
    } else if principal.is_null() {
        Some("a principal is needed")
    } else if host.is_null() {
        Some("a host is needed")
    } else {
        None
    };
    if let Some(m) =
        missing.or(check_acl(restype, resource_pattern_type, operation, permission_type, false).err())
    {
        write_errstr(errstr, errstr_size, m);
        return null_mut();
    }
    acl(restype, name, resource_pattern_type, principal, host, operation, permission_type)
}

/// Creates an ACL binding filter (for DescribeAcls/DeleteAcls): NULL strings and ANY/MATCH
/// match everything. NULL with `errstr` filled if a field is UNKNOWN or out of range.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBindingFilter_new(
    restype: rd_kafka_ResourceType_t,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_t,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_t,
    permission_type: rd_kafka_AclPermissionType_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBindingFilter_t {
    if let Err(m) = check_acl(restype, resource_pattern_type, operation, permission_type, true) {
        write_errstr(errstr, errstr_size, m);
        return null_mut();
    }
    acl(restype, name, resource_pattern_type, principal, host, operation, permission_type)
}

unsafe fn acl(
    restype: c_int,
    name: *const c_char,
    pattern: c_int,
    principal: *const c_char,
    host: *const c_char,
    operation: c_int,
    permission: c_int,
) -> *mut rd_kafka_AclBinding_t {
    AclBinding {
        tag: tag::ACL_BINDING,
        restype,
        name: owned_cstring(name),
        pattern,
        principal: owned_cstring(principal),
        host: owned_cstring(host),
        operation,
        permission,
    }
    .into_c()
}

/// The binding's resource type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_restype(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourceType_t {
    obj::<AclBinding>(acl).map_or(0, |a| a.restype)
}

/// The binding's resource name (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_name(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBinding>(acl).map_or(null(), |a| c_or_null(&a.name))
}

/// The binding's principal (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_principal(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBinding>(acl).map_or(null(), |a| c_or_null(&a.principal))
}

/// The binding's host (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_host(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBinding>(acl).map_or(null(), |a| c_or_null(&a.host))
}

/// The binding's operation; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_operation(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclOperation_t {
    obj::<AclBinding>(acl).map_or(0, |a| a.operation)
}

/// The binding's permission type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_permission_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclPermissionType_t {
    obj::<AclBinding>(acl).map_or(0, |a| a.permission)
}

/// The binding's resource pattern type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_resource_pattern_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourcePatternType_t {
    obj::<AclBinding>(acl).map_or(0, |a| a.pattern)
}

/// The binding's error in a DescribeAcls result (application-made bindings have none: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_error(
    acl: *const rd_kafka_AclBinding_t,
) -> *const rd_kafka_error_t {
    let _ = acl;
    null()
}

/// Destroys an ACL binding or filter (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy(acl_binding: *mut rd_kafka_AclBinding_t) {
    destroy::<AclBinding>(acl_binding)
}

/// Destroys each ACL binding of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy_array(
    acl_bindings: *mut *mut rd_kafka_AclBinding_t,
    acl_bindings_cnt: size_t,
) {
    destroy_array::<AclBinding>(acl_bindings, acl_bindings_cnt)
}

/// What `rd_kafka_ElectLeaders_t *` points to.
#[allow(dead_code)]
#[repr(C)]
struct ElectLeaders {
    /// tag::ELECT_LEADERS while alive (must stay the first field).
    tag: u64,
    election_type: c_int,
    partitions: Option<OwnedList>,
}

tagged!(ElectLeaders => rd_kafka_ElectLeaders_t, tag::ELECT_LEADERS);

/// Creates a leader election request (RD_KAFKA_ELECTION_TYPE_*; `partitions` copied, NULL
/// for all partitions).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_new(
    election_type: rd_kafka_ElectionType_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_ElectLeaders_t {
    ElectLeaders { tag: tag::ELECT_LEADERS, election_type, partitions: OwnedList::copy(partitions) }.into_c()
}

/// Destroys a leader election request (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_destroy(elect_leaders: *mut rd_kafka_ElectLeaders_t) {
    destroy::<ElectLeaders>(elect_leaders)
}

// ---------------------------------------------------------------------------------------
// Uuid
// ---------------------------------------------------------------------------------------

/// What `rd_kafka_Uuid_t *` points to; `base64` is the 22-character unpadded base64 of the
/// 16 big-endian bytes, as Kafka prints topic ids.
#[repr(C)]
struct Uuid {
    /// tag::UUID while alive (must stay the first field).
    tag: u64,
    msb: i64,
    lsb: i64,
    base64: CString,
}

tagged!(Uuid => rd_kafka_Uuid_t, tag::UUID);

impl Uuid {
    fn new(msb: i64, lsb: i64) -> Uuid {
        let mut raw = [0u8; 16];
        raw[..8].copy_from_slice(&msb.to_be_bytes());
        raw[8..].copy_from_slice(&lsb.to_be_bytes());
        Uuid { tag: tag::UUID, msb, lsb, base64: to_cstring(&base64_unpadded(&raw)) }
    }
}

fn base64_unpadded(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Creates a UUID from its two 64-bit halves. Destroy with rd_kafka_Uuid_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_new(
    most_significant_bits: i64,
    least_significant_bits: i64,
) -> *mut rd_kafka_Uuid_t {
    Uuid::new(most_significant_bits, least_significant_bits).into_c()
}

/// Copies a UUID (NULL for NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_copy(uuid: *const rd_kafka_Uuid_t) -> *mut rd_kafka_Uuid_t {
    obj::<Uuid>(uuid).map_or(null_mut(), |u| Uuid::new(u.msb, u.lsb).into_c())
}

/// Destroys a UUID (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_destroy(uuid: *mut rd_kafka_Uuid_t) {
    destroy::<Uuid>(uuid)
}

/// The UUID as base64 (22 characters, no padding; owned by the UUID), or NULL for NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_base64str(uuid: *const rd_kafka_Uuid_t) -> *const c_char {
    obj::<Uuid>(uuid).map_or(null(), |u| u.base64.as_ptr())
}

/// The UUID's least significant 64 bits (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Uuid_least_significant_bits(uuid: *const rd_kafka_Uuid_t) -> i64 {
    obj::<Uuid>(uuid).map_or(0, |u| u.lsb)
}

/// The UUID's most significant 64 bits (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Uuid_most_significant_bits(uuid: *const rd_kafka_Uuid_t) -> i64 {
    obj::<Uuid>(uuid).map_or(0, |u| u.msb)
}

#[cfg(test)]
mod tests {
    use super::super::error::{rd_kafka_error_code, rd_kafka_error_destroy};
    use super::super::event::*;
    use super::super::handle::{rd_kafka_destroy, rd_kafka_new};
    use super::super::queue::{
        rd_kafka_queue_destroy, rd_kafka_queue_length, rd_kafka_queue_new, rd_kafka_queue_poll,
    };
    use super::super::tplist::{rd_kafka_topic_partition_list_add, rd_kafka_topic_partition_list_new};
    use super::*;

    fn s(p: *const c_char) -> String {
        assert!(!p.is_null());
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }

    fn errbuf() -> [c_char; 256] {
        [0; 256]
    }

    /// Calls operation `i` of AdminOp::ALL with empty arguments.
    unsafe fn call(
        i: usize,
        rk: *mut rd_kafka_t,
        o: *const rd_kafka_AdminOptions_t,
        q: *mut rd_kafka_queue_t,
    ) {
        match AdminOp::ALL[i] {
            AdminOp::CreateTopics => rd_kafka_CreateTopics(rk, null_mut(), 0, o, q),
            AdminOp::DeleteTopics => rd_kafka_DeleteTopics(rk, null_mut(), 0, o, q),
            AdminOp::CreatePartitions => rd_kafka_CreatePartitions(rk, null_mut(), 0, o, q),
            AdminOp::AlterConfigs => rd_kafka_AlterConfigs(rk, null_mut(), 0, o, q),
            AdminOp::DescribeConfigs => rd_kafka_DescribeConfigs(rk, null_mut(), 0, o, q),
            AdminOp::DeleteRecords => rd_kafka_DeleteRecords(rk, null_mut(), 0, o, q),
            AdminOp::DeleteGroups => rd_kafka_DeleteGroups(rk, null_mut(), 0, o, q),
            AdminOp::DeleteConsumerGroupOffsets => {
                rd_kafka_DeleteConsumerGroupOffsets(rk, null_mut(), 0, o, q)
            }
            AdminOp::CreateAcls => rd_kafka_CreateAcls(rk, null_mut(), 0, o, q),
            AdminOp::DescribeAcls => rd_kafka_DescribeAcls(rk, null_mut(), o, q),
            AdminOp::DeleteAcls => rd_kafka_DeleteAcls(rk, null_mut(), 0, o, q),
            AdminOp::ListConsumerGroups => rd_kafka_ListConsumerGroups(rk, o, q),
            AdminOp::DescribeConsumerGroups => rd_kafka_DescribeConsumerGroups(rk, null_mut(), 0, o, q),
            AdminOp::ListConsumerGroupOffsets => rd_kafka_ListConsumerGroupOffsets(rk, null_mut(), 0, o, q),
            AdminOp::AlterConsumerGroupOffsets => rd_kafka_AlterConsumerGroupOffsets(rk, null_mut(), 0, o, q),
            AdminOp::IncrementalAlterConfigs => rd_kafka_IncrementalAlterConfigs(rk, null_mut(), 0, o, q),
            AdminOp::DescribeUserScramCredentials => {
                rd_kafka_DescribeUserScramCredentials(rk, null_mut(), 0, o, q)
            }
            AdminOp::AlterUserScramCredentials => rd_kafka_AlterUserScramCredentials(rk, null_mut(), 0, o, q),
            AdminOp::DescribeTopics => rd_kafka_DescribeTopics(rk, null(), o, q),
            AdminOp::DescribeCluster => rd_kafka_DescribeCluster(rk, o, q),
            AdminOp::ListOffsets => rd_kafka_ListOffsets(rk, null_mut(), o, q),
            AdminOp::ElectLeaders => rd_kafka_ElectLeaders(rk, null_mut(), o, q),
        }
    }

    /// rd_kafka_event_<Op>_result for operation `i` of AdminOp::ALL.
    unsafe fn as_result(i: usize, ev: *mut rd_kafka_event_t) -> *const rd_kafka_event_t {
        let f: unsafe extern "C" fn(*mut rd_kafka_event_t) -> *const rd_kafka_event_t = match AdminOp::ALL[i]
        {
            AdminOp::CreateTopics => rd_kafka_event_CreateTopics_result,
            AdminOp::DeleteTopics => rd_kafka_event_DeleteTopics_result,
            AdminOp::CreatePartitions => rd_kafka_event_CreatePartitions_result,
            AdminOp::AlterConfigs => rd_kafka_event_AlterConfigs_result,
            AdminOp::DescribeConfigs => rd_kafka_event_DescribeConfigs_result,
            AdminOp::DeleteRecords => rd_kafka_event_DeleteRecords_result,
            AdminOp::DeleteGroups => rd_kafka_event_DeleteGroups_result,
            AdminOp::DeleteConsumerGroupOffsets => rd_kafka_event_DeleteConsumerGroupOffsets_result,
            AdminOp::CreateAcls => rd_kafka_event_CreateAcls_result,
            AdminOp::DescribeAcls => rd_kafka_event_DescribeAcls_result,
            AdminOp::DeleteAcls => rd_kafka_event_DeleteAcls_result,
            AdminOp::ListConsumerGroups => rd_kafka_event_ListConsumerGroups_result,
            AdminOp::DescribeConsumerGroups => rd_kafka_event_DescribeConsumerGroups_result,
            AdminOp::ListConsumerGroupOffsets => rd_kafka_event_ListConsumerGroupOffsets_result,
            AdminOp::AlterConsumerGroupOffsets => rd_kafka_event_AlterConsumerGroupOffsets_result,
            AdminOp::IncrementalAlterConfigs => rd_kafka_event_IncrementalAlterConfigs_result,
            AdminOp::DescribeUserScramCredentials => rd_kafka_event_DescribeUserScramCredentials_result,
            AdminOp::AlterUserScramCredentials => rd_kafka_event_AlterUserScramCredentials_result,
            AdminOp::DescribeTopics => rd_kafka_event_DescribeTopics_result,
            AdminOp::DescribeCluster => rd_kafka_event_DescribeCluster_result,
            AdminOp::ListOffsets => rd_kafka_event_ListOffsets_result,
            AdminOp::ElectLeaders => rd_kafka_event_ElectLeaders_result,
        };
        f(ev)
    }

    #[test]
    fn every_operation_answers_not_implemented_on_its_queue() {
        unsafe {
            let mut e = errbuf();
            let rk = rd_kafka_new(RD_KAFKA_PRODUCER, null_mut(), e.as_mut_ptr(), e.len());
            assert!(!rk.is_null());
            let q = rd_kafka_queue_new(rk);
            let opts = rd_kafka_AdminOptions_new(rk, 0);
            let mut token = 7u8;
            rd_kafka_AdminOptions_set_opaque(opts, &mut token as *mut u8 as *mut c_void);
            for (i, op) in AdminOp::ALL.iter().enumerate() {
                call(i, rk, opts, q);
                let ev = rd_kafka_queue_poll(q, 1000);
                assert!(!ev.is_null(), "{op:?}");
                assert_eq!(rd_kafka_event_type(ev), op.event_type());
                assert_eq!(s(rd_kafka_event_name(ev)), op.event_name());
                assert_eq!(rd_kafka_event_error(ev), ErrorCode::_NOT_IMPLEMENTED.0);
                assert_eq!(
                    s(rd_kafka_event_error_string(ev)),
                    format!("kafkars: the Admin API ({}) is not implemented yet", op.name())
                );
                assert_eq!(rd_kafka_event_opaque(ev), &mut token as *mut u8 as *mut c_void);
                for j in 0..AdminOp::ALL.len() {
                    assert_eq!(as_result(j, ev).is_null(), i != j, "{op:?} as {:?}", AdminOp::ALL[j]);
                }
                rd_kafka_event_destroy(ev);
            }
            // NULL options: no opaque. NULL queue: the main queue. NULL rk: nothing.
            rd_kafka_CreateTopics(rk, null_mut(), 0, null(), q);
            let ev = rd_kafka_queue_poll(q, 1000);
            assert!(rd_kafka_event_opaque(ev).is_null());
            let res = rd_kafka_event_CreateTopics_result(ev);
            let mut cnt = 99;
            assert!(rd_kafka_CreateTopics_result_topics(res, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            rd_kafka_event_destroy(ev);
            rd_kafka_DeleteTopics(null_mut(), null_mut(), 0, opts, q);
            assert_eq!(rd_kafka_queue_length(q), 0);
            rd_kafka_DescribeCluster(rk, opts, null_mut());
            assert_eq!(obj::<Handle>(rk).map(|h| h.client.rk.main_q.len()), Some(1));
            assert!(rd_kafka_event_CreateTopics_result(null_mut()).is_null());
            rd_kafka_AdminOptions_destroy(opts);
            rd_kafka_queue_destroy(q);
            rd_kafka_destroy(rk);
        }
    }

    #[test]
    fn admin_options_validate_like_librdkafka() {
        unsafe {
            assert!(rd_kafka_AdminOptions_new(null_mut(), -1).is_null());
            assert!(rd_kafka_AdminOptions_new(null_mut(), 23).is_null());
            let o = rd_kafka_AdminOptions_new(null_mut(), 2); // DeleteTopics
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, 5000, ep, el), 0);
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, -5, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_operation_timeout(o, -1, ep, el), 0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 1, ep, el), ErrorCode::_INVALID_ARG.0);
            assert!(s(ep).contains("validate_only"));
            assert_eq!(rd_kafka_AdminOptions_set_broker(o, -1, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_broker(o, 3, ep, el), 0);
            let err = rd_kafka_AdminOptions_set_require_stable_offsets(o, 1);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            rd_kafka_AdminOptions_destroy(o);

            let o = rd_kafka_AdminOptions_new(null_mut(), 0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 2, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 1, ep, el), 0);
            assert!(rd_kafka_AdminOptions_set_isolation_level(o, 1).is_null());
            assert!(rd_kafka_AdminOptions_set_include_authorized_operations(o, 1).is_null());
            let states = [3, 5];
            assert!(rd_kafka_AdminOptions_set_match_consumer_group_states(o, states.as_ptr(), 2).is_null());
            let dup = [3, 3];
            let err = rd_kafka_AdminOptions_set_match_consumer_group_states(o, dup.as_ptr(), 2);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            let unknown = [0];
            let err = rd_kafka_AdminOptions_set_match_consumer_group_types(o, unknown.as_ptr(), 1);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            let types = [1, 2];
            assert!(rd_kafka_AdminOptions_set_match_consumer_group_types(o, types.as_ptr(), 2).is_null());
            rd_kafka_AdminOptions_destroy(o);

            // NULL options never crash.
            assert_eq!(
                rd_kafka_AdminOptions_set_request_timeout(null_mut(), 1, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            let err = rd_kafka_AdminOptions_set_isolation_level(null_mut(), 0);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            rd_kafka_AdminOptions_set_opaque(null_mut(), null_mut());
            rd_kafka_AdminOptions_destroy(null_mut());
        }
    }

    #[test]
    fn new_topic_and_partitions() {
        unsafe {
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            assert!(rd_kafka_NewTopic_new(null(), 1, 1, ep, el).is_null());
            // librdkafka lets 0 partitions through to the broker.
            rd_kafka_NewTopic_destroy(rd_kafka_NewTopic_new(c"t".as_ptr(), 0, 1, ep, el));
            assert!(rd_kafka_NewTopic_new(c"t".as_ptr(), 100_001, 1, ep, el).is_null());
            assert!(s(ep).contains("num_partitions"));
            assert!(rd_kafka_NewTopic_new(c"t".as_ptr(), 3, 10_001, ep, el).is_null());
            assert!(s(ep).contains("replication_factor"));

            let t = rd_kafka_NewTopic_new(c"t".as_ptr(), 3, 2, ep, el);
            let mut ids = [1, 2];
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(t, 0, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_NewTopic_set_config(t, c"cleanup.policy".as_ptr(), c"compact".as_ptr()), 0);
            assert_eq!(rd_kafka_NewTopic_set_config(t, null(), c"x".as_ptr()), ErrorCode::_INVALID_ARG.0);
            let t2 = rd_kafka_NewTopic_new(c"t2".as_ptr(), 2, -1, ep, el);
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(t2, 1, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_NewTopic_set_replica_assignment(t2, 0, ids.as_mut_ptr(), 2, ep, el), 0);
            assert_eq!(rd_kafka_NewTopic_set_replica_assignment(t2, 1, ids.as_mut_ptr(), 2, ep, el), 0);
            let mut arr = [t, t2];
            rd_kafka_NewTopic_destroy_array(arr.as_mut_ptr(), 2);
            rd_kafka_NewTopic_destroy_array(null_mut(), 5);
            rd_kafka_NewTopic_destroy(null_mut());

            assert!(rd_kafka_NewPartitions_new(c"t".as_ptr(), 0, ep, el).is_null());
            let p = rd_kafka_NewPartitions_new(c"t".as_ptr(), 4, ep, el);
            assert!(!p.is_null());
            assert_eq!(rd_kafka_NewPartitions_set_replica_assignment(p, 0, ids.as_mut_ptr(), 2, ep, el), 0);
            assert_eq!(
                rd_kafka_NewPartitions_set_replica_assignment(p, 2, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            rd_kafka_NewPartitions_destroy(p);

            let d = rd_kafka_DeleteTopic_new(c"t".as_ptr());
            assert!(!d.is_null() && rd_kafka_DeleteTopic_new(null()).is_null());
            rd_kafka_DeleteTopic_destroy(d);
        }
    }

    #[test]
    fn config_resources_keep_their_entries() {
        unsafe {
            assert!(rd_kafka_ConfigResource_new(2, c"".as_ptr()).is_null());
            assert!(rd_kafka_ConfigResource_new(2, null()).is_null());
            assert!(rd_kafka_ConfigResource_new(-1, c"t".as_ptr()).is_null());
            let c = rd_kafka_ConfigResource_new(2, c"t".as_ptr());
            assert_eq!(rd_kafka_ConfigResource_type(c), 2);
            assert_eq!(s(rd_kafka_ConfigResource_name(c)), "t");
            let mut cnt = 9;
            assert!(rd_kafka_ConfigResource_configs(c, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            assert_eq!(
                rd_kafka_ConfigResource_set_config(c, c"a".as_ptr(), null()),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(
                rd_kafka_ConfigResource_set_config(c, c"".as_ptr(), c"1".as_ptr()),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_ConfigResource_set_config(c, c"a".as_ptr(), c"1".as_ptr()), 0);
            assert!(rd_kafka_ConfigResource_add_incremental_config(
                c,
                c"b".as_ptr(),
                ALTER_CONFIG_OP_DELETE,
                null()
            )
            .is_null());
            for (name, op, value) in [
                (c"x".as_ptr(), 0, null()),
                (c"".as_ptr(), 0, c"1".as_ptr()),
                (c"x".as_ptr(), 4, c"1".as_ptr()),
            ] {
                let err = rd_kafka_ConfigResource_add_incremental_config(c, name, op, value);
                assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
                rd_kafka_error_destroy(err);
            }
            let entries = rd_kafka_ConfigResource_configs(c, &mut cnt);
            assert_eq!(cnt, 2);
            let (a, b) = (*entries, *entries.add(1));
            assert_eq!(
                (s(rd_kafka_ConfigEntry_name(a)), s(rd_kafka_ConfigEntry_value(a))),
                ("a".into(), "1".into())
            );
            assert_eq!(s(rd_kafka_ConfigEntry_name(b)), "b");
            assert!(rd_kafka_ConfigEntry_value(b).is_null());
            assert_eq!(rd_kafka_ConfigEntry_source(a), 0);
            assert!(rd_kafka_ConfigEntry_synonyms(a, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            assert_eq!(rd_kafka_ConfigResource_error(c), 0);
            assert!(rd_kafka_ConfigResource_error_string(c).is_null());
            rd_kafka_ConfigResource_destroy(c);
            assert!(rd_kafka_ConfigResource_name(null()).is_null());
            assert!(rd_kafka_ConfigEntry_name(null()).is_null());
        }
    }

    #[test]
    fn acl_bindings_and_filters() {
        unsafe {
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            let (n, p, h) = (c"t".as_ptr(), c"User:a".as_ptr(), c"*".as_ptr());
            let a = rd_kafka_AclBinding_new(2, n, 3, p, h, 3, 3, ep, el);
            assert!(!a.is_null());
            assert_eq!(
                (rd_kafka_AclBinding_restype(a), rd_kafka_AclBinding_resource_pattern_type(a)),
                (2, 3)
            );
            assert_eq!((rd_kafka_AclBinding_operation(a), rd_kafka_AclBinding_permission_type(a)), (3, 3));
            assert_eq!(
                (
                    s(rd_kafka_AclBinding_name(a)),
                    s(rd_kafka_AclBinding_principal(a)),
                    s(rd_kafka_AclBinding_host(a))
                ),
                ("t".into(), "User:a".into(), "*".into())
            );
            assert!(rd_kafka_AclBinding_error(a).is_null());
            // A binding may not use ANY / MATCH; a filter may, and may leave strings NULL.
            assert!(rd_kafka_AclBinding_new(1, n, 3, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, n, 2, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, null(), 3, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, n, 3, p, h, 13, 3, ep, el).is_null());
            let f = rd_kafka_AclBindingFilter_new(1, null(), 1, null(), null(), 1, 1, ep, el);
            assert!(!f.is_null());
            assert!(rd_kafka_AclBinding_name(f).is_null());
            assert!(rd_kafka_AclBindingFilter_new(0, null(), 1, null(), null(), 1, 1, ep, el).is_null());
            assert!(s(ep).contains("resource type"));
            let mut arr = [a, f];
            rd_kafka_AclBinding_destroy_array(arr.as_mut_ptr(), 2);
            assert_eq!(rd_kafka_AclBinding_restype(null()), 0);
        }
    }

    #[test]
    fn group_and_record_requests_copy_their_lists() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(l, c"t".as_ptr(), 0);
            let dr = rd_kafka_DeleteRecords_new(l);
            let lo = rd_kafka_ListConsumerGroupOffsets_new(c"g".as_ptr(), null());
            let ao = rd_kafka_AlterConsumerGroupOffsets_new(c"g".as_ptr(), l);
            let dco = rd_kafka_DeleteConsumerGroupOffsets_new(c"g".as_ptr(), l);
            let el = rd_kafka_ElectLeaders_new(0, l);
            rd_kafka_topic_partition_list_destroy(l);
            assert!(![dr as usize, lo as usize, ao as usize, dco as usize, el as usize].contains(&0));
            assert!(rd_kafka_DeleteRecords_new(null()).is_null());
            assert!(rd_kafka_AlterConsumerGroupOffsets_new(c"g".as_ptr(), null()).is_null());
            assert!(rd_kafka_ListConsumerGroupOffsets_new(null(), null()).is_null());
            rd_kafka_DeleteRecords_destroy(dr);
            rd_kafka_ListConsumerGroupOffsets_destroy(lo);
            let mut arr = [ao];
            rd_kafka_AlterConsumerGroupOffsets_destroy_array(arr.as_mut_ptr(), 1);
            rd_kafka_DeleteConsumerGroupOffsets_destroy(dco);
            rd_kafka_ElectLeaders_destroy(el);
            let g = rd_kafka_DeleteGroup_new(c"g".as_ptr());
            let mut arr = [g, null_mut()];
            rd_kafka_DeleteGroup_destroy_array(arr.as_mut_ptr(), 2);
            let names = [c"a".as_ptr(), c"b".as_ptr()];
            let tc = rd_kafka_TopicCollection_of_topic_names(names.as_ptr() as *mut _, 2);
            assert!(!tc.is_null());
            rd_kafka_TopicCollection_destroy(tc);
            let tc = rd_kafka_TopicCollection_of_topic_names(null_mut(), 0);
            rd_kafka_TopicCollection_destroy(tc);
            let pw = b"secret";
            let up = rd_kafka_UserScramCredentialUpsertion_new(
                c"u".as_ptr(),
                1,
                4096,
                pw.as_ptr(),
                pw.len(),
                null(),
                0,
            );
            assert_eq!(
                obj::<UserScramCredentialAlteration>(up).and_then(|u| u.upsert.as_ref()).map(|u| u.2.len()),
                Some(64)
            );
            let del = rd_kafka_UserScramCredentialDeletion_new(c"u".as_ptr(), 2);
            let mut arr = [up, del];
            rd_kafka_UserScramCredentialAlteration_destroy_array(arr.as_mut_ptr(), 2);
        }
    }

    #[test]
    fn uuids_and_names() {
        unsafe {
            let u = rd_kafka_Uuid_new(0x0123456789abcdef, 0xfedcba9876543210u64 as i64);
            assert_eq!(s(rd_kafka_Uuid_base64str(u)), "ASNFZ4mrze/+3LqYdlQyEA");
            assert_eq!(rd_kafka_Uuid_most_significant_bits(u), 0x0123456789abcdef);
            let c = rd_kafka_Uuid_copy(u);
            assert_eq!(rd_kafka_Uuid_least_significant_bits(c), 0xfedcba9876543210u64 as i64);
            rd_kafka_Uuid_destroy(u);
            rd_kafka_Uuid_destroy(c);
            let one = rd_kafka_Uuid_new(0, 1);
            assert_eq!(s(rd_kafka_Uuid_base64str(one)), "AAAAAAAAAAAAAAAAAAAAAQ");
            rd_kafka_Uuid_destroy(one);
            assert!(rd_kafka_Uuid_base64str(null()).is_null());

            assert_eq!(s(rd_kafka_ResourceType_name(2)), "TOPIC");
            assert_eq!(s(rd_kafka_ResourceType_name(6)), "UNSUPPORTED");
            assert_eq!(s(rd_kafka_ConfigSource_name(8)), "GROUP_CONFIG");
            assert_eq!(s(rd_kafka_ConfigSource_name(-1)), "UNSUPPORTED");
            assert_eq!(s(rd_kafka_AclOperation_name(12)), "IDEMPOTENT_WRITE");
            assert_eq!(s(rd_kafka_AclPermissionType_name(3)), "ALLOW");
            assert_eq!(s(rd_kafka_ResourcePatternType_name(4)), "PREFIXED");
            assert_eq!(s(rd_kafka_consumer_group_state_name(3)), "Stable");
            assert!(rd_kafka_consumer_group_state_name(6).is_null());
            assert_eq!(rd_kafka_consumer_group_state_code(c"preparingrebalance".as_ptr()), 1);
            assert_eq!(rd_kafka_consumer_group_state_code(null()), 0);
            assert_eq!(s(rd_kafka_consumer_group_type_name(2)), "Classic");
            assert_eq!(rd_kafka_consumer_group_type_code(c"CONSUMER".as_ptr()), 1);
        }
    }

    #[test]
    fn result_sub_objects_are_empty_and_null_safe() {
        unsafe {
            let mut cnt = 5;
            assert!(rd_kafka_DescribeCluster_result_authorized_operations(null(), &mut cnt).is_null());
            assert_eq!(cnt, 0);
            assert!(rd_kafka_DescribeTopics_result_topics(null(), null_mut()).is_null());
            assert!(rd_kafka_topic_result_name(null()).is_null());
            assert_eq!(rd_kafka_topic_result_error(null()), 0);
            assert!(rd_kafka_group_result_error(null()).is_null());
            assert_eq!(rd_kafka_ConsumerGroupDescription_member_count(null()), 0);
            assert!(rd_kafka_ConsumerGroupDescription_member(null(), 0).is_null());
            assert_eq!(rd_kafka_ListOffsetsResultInfo_timestamp(null()), -1);
            assert_eq!(rd_kafka_Node_port(null()), 0);
        }
    }
}
