//! librdkafka 2.16's rd_kafka_mock_sharegroup_* calls: the KIP-932 share group
//! settings of a mock cluster, the test's target assignment, and the member list.
//! NULL or wrong pointers do nothing (or answer _INVALID_ARG).

use super::mock::cluster;
use super::tplist::tpl_to_vec;
use super::types::*;
use super::util::cstr;
use crate::error::ErrorCode;
use crate::mock::ShareConf;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};

/// Applies `f` to the cluster's share group settings; nothing for a bad pointer.
unsafe fn conf(mcluster: *mut rd_kafka_mock_cluster_t, f: impl FnOnce(&mut ShareConf)) {
    if let Ok(c) = cluster(mcluster) {
        c.sharegroup_conf(f);
    }
}

/// KIP-932: the share group session timeout: a member not heard from for that long
/// is removed and its records released (default 45000 ms).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_session_timeout(
    mcluster: *mut rd_kafka_mock_cluster_t,
    session_timeout_ms: c_int,
) {
    conf(mcluster, |s| s.session_ms = session_timeout_ms.max(0) as u64);
}

/// KIP-932: the heartbeat interval ShareGroupHeartbeat answers give (default 5000 ms).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_heartbeat_interval(
    mcluster: *mut rd_kafka_mock_cluster_t,
    heartbeat_interval_ms: c_int,
) {
    conf(mcluster, |s| s.heartbeat_ms = heartbeat_interval_ms.max(0));
}

/// KIP-932: how many times a record is delivered before it is archived instead of
/// made available again (default 5; 0: unlimited).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_max_delivery_attempts(
    mcluster: *mut rd_kafka_mock_cluster_t,
    max_attempts: c_int,
) {
    conf(mcluster, |s| s.max_attempts = max_attempts.max(0));
}

/// KIP-932: how long an acquired record stays locked to its member before it is
/// released (default 30000 ms; 0: the session timeout).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_record_lock_duration(
    mcluster: *mut rd_kafka_mock_cluster_t,
    lock_duration_ms: c_int,
) {
    conf(mcluster, |s| s.lock_ms = lock_duration_ms.max(0));
}

/// KIP-932: the share groups' isolation level: 0 read_uncommitted (default, up to
/// the high watermark), 1 read_committed (up to the last stable offset, aborted
/// records archived).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_isolation_level(
    mcluster: *mut rd_kafka_mock_cluster_t,
    level: c_int,
) {
    conf(mcluster, |s| s.committed = level == 1);
}

/// KIP-932: the most members a share group takes; a join beyond it gets
/// GROUP_MAX_SIZE_REACHED (default 200; 0: unlimited).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_max_size(
    mcluster: *mut rd_kafka_mock_cluster_t,
    max_size: c_int,
) {
    conf(mcluster, |s| s.max_size = max_size.max(0));
}

/// KIP-932: the most share sessions a broker keeps; a new one beyond it gets
/// SHARE_SESSION_LIMIT_REACHED (default 2000; 0: unlimited).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_max_fetch_sessions(
    mcluster: *mut rd_kafka_mock_cluster_t,
    max_fetch_sessions: c_int,
) {
    conf(mcluster, |s| s.max_sessions = max_fetch_sessions.max(0));
}

/// KIP-932: the most records acquired at once in one share-partition; fetches
/// acquire nothing more until some are acknowledged or released (default 2000;
/// 0: unlimited).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_max_record_locks(
    mcluster: *mut rd_kafka_mock_cluster_t,
    max_record_locks: c_int,
) {
    conf(mcluster, |s| s.max_locks = max_record_locks.max(0));
}

/// KIP-932: where a share-partition starts when first fetched: 0 latest (default),
/// 1 earliest.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_set_auto_offset_reset(
    mcluster: *mut rd_kafka_mock_cluster_t,
    auto_offset_reset: c_int,
) {
    conf(mcluster, |s| s.earliest = auto_offset_reset == 1);
}

/// KIP-932: gives member `member_ids[i]` of share group `group_id` the partitions
/// of `assignments[i]` (topic names) and turns the group's assignor off: members
/// not named keep what they have, later members get nothing. As in librdkafka's
/// mock, an unknown group or member is skipped; so are NULL pointers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_target_assignment(
    mcluster: *mut rd_kafka_mock_cluster_t,
    group_id: *const c_char,
    member_ids: *mut *const c_char,
    assignments: *mut *mut rd_kafka_topic_partition_list_t,
    member_cnt: size_t,
) {
    let (Ok(c), Some(gid)) = (cluster(mcluster), cstr(group_id)) else { return };
    if member_cnt > 0 && (member_ids.is_null() || assignments.is_null()) {
        return;
    }
    let mut manual = Vec::with_capacity(member_cnt.min(1024));
    for i in 0..member_cnt {
        let Some(id) = cstr(*member_ids.add(i)) else { continue };
        let tps = tpl_to_vec(*assignments.add(i)).into_iter().map(|tp| (tp.topic, tp.partition)).collect();
        manual.push((id.to_string(), tps));
    }
    c.sharegroup_target_assignment(gid, manual);
}

/// KIP-932: the member ids of share group `group_id`, in join order: an array of
/// `*member_cnt_out` strings in `*member_ids_out` (NULL when there are none), each
/// string and the array to be freed with rd_free(). GROUP_ID_NOT_FOUND for an
/// unknown group; _INVALID_ARG for NULL pointers.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_sharegroup_get_member_ids(
    mcluster: *mut rd_kafka_mock_cluster_t,
    group_id: *const c_char,
    member_ids_out: *mut *mut *mut c_char,
    member_cnt_out: *mut size_t,
) -> rd_kafka_resp_err_t {
    let (Ok(c), Some(gid)) = (cluster(mcluster), cstr(group_id)) else {
        return ErrorCode::_INVALID_ARG.into();
    };
    if member_ids_out.is_null() || member_cnt_out.is_null() {
        return ErrorCode::_INVALID_ARG.into();
    }
    *member_ids_out = std::ptr::null_mut();
    *member_cnt_out = 0;
    let Some(ids) = c.sharegroup_member_ids(gid) else { return ErrorCode::GROUP_ID_NOT_FOUND.into() };
    if ids.is_empty() {
        return ErrorCode::NO_ERROR.into();
    }
    let arr = libc::malloc(ids.len() * std::mem::size_of::<*mut c_char>()) as *mut *mut c_char;
    if arr.is_null() {
        return ErrorCode::_FAIL.into();
    }
    for (i, id) in ids.iter().enumerate() {
        // Member ids come from the wire as strings; an inner NUL ends them in C.
        let s = std::ffi::CString::new(id.replace('\0', "")).unwrap_or_default();
        *arr.add(i) = libc::strdup(s.as_ptr());
    }
    *member_ids_out = arr;
    *member_cnt_out = ids.len();
    ErrorCode::NO_ERROR.into()
}
