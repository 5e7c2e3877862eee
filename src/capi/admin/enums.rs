//! The names of the admin enums (rd_kafka_<Enum>_name), and the consumer group states and
//! types named back (rd_kafka_consumer_group_<state|type>_code).

use super::{
    rd_kafka_AclOperation_t, rd_kafka_AclPermissionType_t, rd_kafka_ConfigSource_t,
    rd_kafka_ResourcePatternType_t, rd_kafka_ResourceType_t, rd_kafka_consumer_group_state_t,
    rd_kafka_consumer_group_type_t,
};
use crate::capi::util::cstr;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int};
use std::ffi::CStr;
use std::ptr::null;

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

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::s;
    use super::*;
    use crate::admin::groups::{GroupState, GroupType};

    #[test]
    fn names_and_codes() {
        unsafe {
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
            // The domain numbers them alike.
            let (states, types) = (GROUP_STATE_NAMES.len() as i32, GROUP_TYPE_NAMES.len() as i32);
            assert!(GroupState::from_i32(states - 1).is_some() && GroupState::from_i32(states).is_none());
            assert!(GroupType::from_i32(types - 1).is_some() && GroupType::from_i32(types).is_none());
        }
    }
}
