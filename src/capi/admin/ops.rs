//! The 22 operations (rd_kafka_<Op>): each answers with one not-implemented result event
//! on `rkqu`, until the admin client exists.

use super::options::AdminOptionsHandle;
use super::*;
use crate::admin::AdminOp;
use crate::capi::boundary::{obj, opt_obj};
use crate::capi::handle::Handle;
use crate::capi::queue::QueueHandle;
use crate::error::ErrorCode;
use kafkars_macros::ffi_fn;
use libc::{c_char, size_t};

/// Queues the result of `op` on `rkqu` (the main queue when NULL). A NULL `rk` does nothing:
/// there is no client to run the operation; nor do options or a queue of the wrong type.
unsafe fn answer(
    rk: *mut rd_kafka_t,
    op: AdminOp,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(h) = obj::<Handle>(rk) else { return };
    let (Ok(options), Ok(q)) = (opt_obj::<AdminOptionsHandle>(options), opt_obj::<QueueHandle>(rkqu)) else {
        return;
    };
    let opaque = options.map_or(0, |o| o.options.opaque());
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

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::super::options::{
        rd_kafka_AdminOptions_destroy, rd_kafka_AdminOptions_new, rd_kafka_AdminOptions_set_opaque,
    };
    use super::super::results::*;
    use super::*;
    use crate::capi::client::{rd_kafka_destroy, rd_kafka_new};
    use crate::capi::event::*;
    use crate::capi::queue::{
        rd_kafka_queue_destroy, rd_kafka_queue_length, rd_kafka_queue_new, rd_kafka_queue_poll,
    };
    use libc::c_void;
    use std::ptr::{null, null_mut};

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
}
