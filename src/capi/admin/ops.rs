//! The 22 operations (rd_kafka_<Op>): each reads its request objects, checks them as
//! librdkafka does, and starts the operation on the admin client (`crate::admin`); the
//! result event comes on `rkqu` (the main queue when NULL).

use super::call::{call, exactly_one, invalid, no_duplicates};
use super::results::views;
use super::*;
use crate::admin::run;
use crate::admin::AdminOp;
use crate::error::KafkaError;
use kafkars_macros::ffi_fn;
use libc::{c_char, size_t};

/// librdkafka's checks of a list of config resources: at most one BROKER.
fn check_resources(r: &[crate::admin::ConfigResource]) -> Result<(), KafkaError> {
    run::configs::single_broker(r).map(|_| ())
}

/// IncrementalAlterConfigs checks duplicates too (entries, then resources).
fn check_incremental(r: &[crate::admin::ConfigResource]) -> Result<(), KafkaError> {
    for res in r {
        no_duplicates(res.entries().iter().map(|e| &e.name), "Duplicate ConfigEntry found")?;
    }
    no_duplicates(r.iter().map(|r| (r.restype(), r.name())), "Duplicate ConfigResource found")?;
    check_resources(r)
}

/// Creates topics; the result (CREATETOPICS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateTopics(
    rk: *mut rd_kafka_t,
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::CreateTopics, options, rkqu) else { return };
    c.run(
        super::topics::new_topics(new_topics, new_topic_cnt),
        |_| Ok(()),
        run::topics::create_topics,
        views::topics,
    )
}

/// Deletes topics; the result (DELETETOPICS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopics(
    rk: *mut rd_kafka_t,
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DeleteTopics, options, rkqu) else { return };
    c.run(
        super::topics::delete_topics(del_topics, del_topic_cnt),
        |_| Ok(()),
        run::topics::delete_topics,
        views::topics,
    )
}

/// Adds partitions to topics; the result (CREATEPARTITIONS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreatePartitions(
    rk: *mut rd_kafka_t,
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::CreatePartitions, options, rkqu) else { return };
    c.run(
        super::topics::new_partitions(new_parts, new_parts_cnt),
        |_| Ok(()),
        run::topics::create_partitions,
        views::topics,
    )
}

/// Replaces resource configs; the result (ALTERCONFIGS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AlterConfigs, options, rkqu) else { return };
    c.run(
        super::configs::resources(configs, config_cnt),
        |r| check_resources(r),
        run::configs::alter_configs,
        views::configs,
    )
}

/// Alters resource configs incrementally; the result (INCREMENTALALTERCONFIGS_RESULT) is
/// emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_IncrementalAlterConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::IncrementalAlterConfigs, options, rkqu) else { return };
    c.run(
        super::configs::resources(configs, config_cnt),
        |r| check_incremental(r),
        run::configs::incremental_alter_configs,
        views::configs,
    )
}

/// Describes resource configs; the result (DESCRIBECONFIGS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeConfigs, options, rkqu) else { return };
    c.run(
        super::configs::resources(configs, config_cnt),
        |r| check_resources(r),
        run::configs::describe_configs,
        views::configs,
    )
}

/// Deletes records before offsets; the result (DELETERECORDS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords(
    rk: *mut rd_kafka_t,
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DeleteRecords, options, rkqu) else { return };
    c.run(
        super::records::delete_records(del_records, del_record_cnt),
        |r| {
            exactly_one(r, "Exactly one DeleteRecords must be passed")?;
            if r[0].is_empty() {
                return Err(invalid("No records to delete"));
            }
            no_duplicates(r[0].iter().map(|p| (&p.topic, p.partition)), "Duplicate partitions not allowed")
        },
        |ctx, mut r| run::records::delete_records(ctx, r.remove(0)),
        views::offsets,
    )
}

/// Describes topics; the result (DESCRIBETOPICS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeTopics(
    rk: *mut rd_kafka_t,
    topics: *const rd_kafka_TopicCollection_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeTopics, options, rkqu) else { return };
    c.run(
        super::topics::collection(topics),
        |t| {
            no_duplicates(t.iter(), "Duplicate topics not allowed")?;
            match t.iter().position(|n| n.is_empty()) {
                Some(i) => Err(invalid(&format!("Empty topic name at index {i} isn't allowed"))),
                None => Ok(()),
            }
        },
        run::topics::describe_topics,
        views::topic_descriptions,
    )
}

/// Describes the cluster; the result (DESCRIBECLUSTER_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeCluster, options, rkqu) else { return };
    c.start(run::topics::describe_cluster, views::cluster)
}

/// Lists consumer groups; the result (LISTCONSUMERGROUPS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListConsumerGroups, options, rkqu) else { return };
    c.start(run::groups::list_groups, views::listings)
}

/// Describes consumer groups; the result (DESCRIBECONSUMERGROUPS_RESULT) is emitted on
/// `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups(
    rk: *mut rd_kafka_t,
    groups: *mut *const c_char,
    groups_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeConsumerGroups, options, rkqu) else { return };
    let names: Option<Vec<String>> = match groups_cnt {
        0 => Some(Vec::new()),
        _ if groups.is_null() => None,
        n => (0..n).map(|i| super::conv::owned_string(*groups.add(i))).collect(),
    };
    c.run(
        names,
        |g| {
            if g.is_empty() {
                return Err(invalid("No groups to describe"));
            }
            no_duplicates(g.iter(), "Duplicate groups not allowed")
        },
        run::groups::describe_groups,
        views::descriptions,
    )
}

/// Deletes consumer groups; the result (DELETEGROUPS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroups(
    rk: *mut rd_kafka_t,
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DeleteGroups, options, rkqu) else { return };
    c.run(
        super::groups::delete_groups(del_groups, del_group_cnt),
        |g| {
            if g.is_empty() {
                return Err(invalid("No groups to delete"));
            }
            no_duplicates(g.iter(), "Duplicate groups not allowed")
        },
        run::groups::delete_groups,
        views::groups,
    )
}

/// Lists committed offsets of groups; the result (LISTCONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    list_grpoffsets: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListConsumerGroupOffsets, options, rkqu) else { return };
    c.run(
        super::groups::list_offsets(list_grpoffsets, list_grpoffsets_cnt),
        |r| {
            exactly_one(r, "Exactly one ListConsumerGroupOffsets must be passed")?;
            match &r[0].partitions {
                Some(p) if p.is_empty() => {
                    Err(invalid("NULL or non-empty topic partition list must be passed"))
                }
                Some(p) => no_duplicates(
                    p.iter().map(|p| (&p.topic, p.partition)),
                    "Duplicate partitions not allowed",
                ),
                None => Ok(()),
            }
        },
        |ctx, mut r| run::groups::list_offsets(ctx, r.remove(0)),
        views::groups,
    )
}

/// Alters committed offsets of groups; the result (ALTERCONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    alter_grpoffsets: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AlterConsumerGroupOffsets, options, rkqu) else { return };
    c.run(
        super::groups::alter_offsets(alter_grpoffsets, alter_grpoffsets_cnt),
        |r| {
            exactly_one(r, "Exactly one AlterConsumerGroupOffsets must be passed")?;
            if r[0].partitions.is_empty() {
                return Err(invalid("Non-empty topic partition list must be present"));
            }
            if r[0].partitions.iter().any(|p| p.offset < 0) {
                return Err(invalid("All topic-partition offsets must be >= 0"));
            }
            no_duplicates(
                r[0].partitions.iter().map(|p| (&p.topic, p.partition)),
                "Duplicate partitions not allowed",
            )
        },
        |ctx, mut r| run::groups::alter_offsets(ctx, r.remove(0)),
        views::groups,
    )
}

/// Deletes committed offsets of a group; the result (DELETECONSUMERGROUPOFFSETS_RESULT) is
/// emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    del_grpoffsets: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffsets_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DeleteConsumerGroupOffsets, options, rkqu) else { return };
    c.run(
        super::groups::delete_offsets(del_grpoffsets, del_grpoffsets_cnt),
        |r| {
            exactly_one(r, "Exactly one DeleteConsumerGroupOffsets must be passed")?;
            no_duplicates(
                r[0].partitions.iter().map(|p| (&p.topic, p.partition)),
                "Duplicate partitions not allowed",
            )
        },
        |ctx, mut r| run::groups::delete_offsets(ctx, r.remove(0)),
        views::groups,
    )
}

/// Looks up offsets by spec or timestamp; the result (LISTOFFSETS_RESULT) is emitted on
/// `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsets(
    rk: *mut rd_kafka_t,
    topic_partitions: *mut rd_kafka_topic_partition_list_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListOffsets, options, rkqu) else { return };
    c.run(
        super::conv::partition_list(topic_partitions),
        |ps| {
            for (i, p) in ps.iter().enumerate() {
                if p.topic.is_empty() {
                    return Err(invalid(&format!("Partition topic name at index {i} must be non-empty")));
                }
                if p.partition < 0 {
                    return Err(invalid(&format!("Partition at index {i} cannot be negative")));
                }
            }
            no_duplicates(
                ps.iter().map(|p| (&p.topic, p.partition)),
                "Partitions must not contain duplicates",
            )?;
            match ps.iter().enumerate().find(|(_, p)| p.offset < -3) {
                Some((i, p)) => Err(invalid(&format!("Partition {i} has an invalid offset {}", p.offset))),
                None => Ok(()),
            }
        },
        run::records::list_offsets,
        views::list_offsets,
    )
}

/// Describes SCRAM credentials of users (all when `user_cnt` is 0); the result
/// (DESCRIBEUSERSCRAMCREDENTIALS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeUserScramCredentials(
    rk: *mut rd_kafka_t,
    users: *mut *const c_char,
    user_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeUserScramCredentials, options, rkqu) else { return };
    let names: Option<Vec<String>> = match user_cnt {
        0 => Some(Vec::new()),
        _ if users.is_null() => None,
        n => (0..n).map(|i| super::conv::owned_string(*users.add(i))).collect(),
    };
    c.run(
        names,
        |u| {
            if let Some(i) = u.iter().position(|u| u.is_empty()) {
                return Err(invalid(&format!("Empty users aren't allowed, index {i}")));
            }
            no_duplicates(u.iter(), "Duplicate users aren't allowed in the same request")
        },
        run::scram::describe,
        views::scram_descriptions,
    )
}

/// Upserts or deletes SCRAM credentials; the result (ALTERUSERSCRAMCREDENTIALS_RESULT) is
/// emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials(
    rk: *mut rd_kafka_t,
    alterations: *mut *mut rd_kafka_UserScramCredentialAlteration_t,
    alteration_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AlterUserScramCredentials, options, rkqu) else { return };
    c.run(
        super::scram::alterations(alterations, alteration_cnt),
        |a| {
            if a.is_empty() {
                return Err(invalid("At least one alteration is required"));
            }
            for (i, x) in a.iter().enumerate() {
                if x.mechanism == 0 {
                    return Err(invalid(&format!("SCRAM mechanism must be specified at index {i}")));
                }
                if x.user.is_empty() {
                    return Err(invalid(&format!("Empty user at index {i}")));
                }
                if let Some(u) = &x.upsert {
                    if u.password.is_empty() {
                        return Err(invalid(&format!("Empty password at index {i}")));
                    }
                    if u.salt.is_empty() {
                        return Err(invalid(&format!("Empty salt at index {i}")));
                    }
                    if u.iterations <= 0 {
                        return Err(invalid(&format!("Non-positive iterations at index {i}")));
                    }
                }
            }
            Ok(())
        },
        run::scram::alter,
        views::scram_alterations,
    )
}

/// Creates ACL bindings; the result (CREATEACLS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateAcls(
    rk: *mut rd_kafka_t,
    new_acls: *mut *mut rd_kafka_AclBinding_t,
    new_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::CreateAcls, options, rkqu) else { return };
    c.run(
        super::acls::bindings(new_acls, new_acls_cnt),
        |_| Ok(()),
        run::acls::create_acls,
        views::acl_results,
    )
}

/// Describes ACL bindings matching a filter; the result (DESCRIBEACLS_RESULT) is emitted
/// on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeAcls(
    rk: *mut rd_kafka_t,
    acl_filter: *mut rd_kafka_AclBindingFilter_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeAcls, options, rkqu) else { return };
    c.run(super::acls::binding(acl_filter), |_| Ok(()), run::acls::describe_acls, views::acls)
}

/// Deletes ACL bindings matching filters; the result (DELETEACLS_RESULT) is emitted on
/// `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls(
    rk: *mut rd_kafka_t,
    del_acls: *mut *mut rd_kafka_AclBindingFilter_t,
    del_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DeleteAcls, options, rkqu) else { return };
    c.run(
        super::acls::bindings(del_acls, del_acls_cnt),
        |_| Ok(()),
        run::acls::delete_acls,
        views::delete_acls,
    )
}

/// Elects partition leaders; the result (ELECTLEADERS_RESULT) is emitted on `rkqu`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders(
    rk: *mut rd_kafka_t,
    elect_leaders: *mut rd_kafka_ElectLeaders_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ElectLeaders, options, rkqu) else { return };
    c.run(
        super::elect::request(elect_leaders),
        |(_, ps)| match ps {
            Some(ps) => {
                no_duplicates(ps.iter().map(|p| (&p.topic, p.partition)), "Duplicate partitions specified")
            }
            None => Ok(()),
        },
        run::records::elect_leaders,
        views::elections,
    )
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::super::options::{
        rd_kafka_AdminOptions_destroy, rd_kafka_AdminOptions_new, rd_kafka_AdminOptions_set_opaque,
        rd_kafka_AdminOptions_set_request_timeout,
    };
    use super::super::results::*;
    use super::*;
    use crate::capi::boundary::obj;
    use crate::capi::client::{rd_kafka_destroy, rd_kafka_new};
    use crate::capi::event::*;
    use crate::capi::handle::Handle;
    use crate::capi::queue::{
        rd_kafka_queue_destroy, rd_kafka_queue_length, rd_kafka_queue_new, rd_kafka_queue_poll,
    };
    use crate::error::ErrorCode;
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
            ext => unreachable!("{ext:?} is not in AdminOp::ALL"),
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
            ext => unreachable!("{ext:?} is not in AdminOp::ALL"),
        };
        f(ev)
    }

    #[test]
    fn every_operation_answers_on_its_queue_within_the_request_timeout() {
        unsafe {
            let mut e = errbuf();
            let rk = rd_kafka_new(RD_KAFKA_PRODUCER, null_mut(), e.as_mut_ptr(), e.len());
            assert!(!rk.is_null());
            let q = rd_kafka_queue_new(rk);
            let opts = rd_kafka_AdminOptions_new(rk, 0);
            let mut token = 7u8;
            rd_kafka_AdminOptions_set_opaque(opts, &mut token as *mut u8 as *mut c_void);
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(opts, 200, e.as_mut_ptr(), e.len()), 0);
            for (i, op) in AdminOp::ALL.iter().enumerate() {
                call(i, rk, opts, q);
                // No broker: refused arguments answer at once, the rest at the timeout.
                let ev = rd_kafka_queue_poll(q, 5000);
                assert!(!ev.is_null(), "{op:?}");
                assert_eq!(rd_kafka_event_type(ev), op.event_type());
                assert_eq!(s(rd_kafka_event_name(ev)), op.event_name());
                let err = rd_kafka_event_error(ev);
                let expected = match op {
                    AdminOp::ListConsumerGroups => 0,
                    AdminOp::CreateTopics
                    | AdminOp::DeleteTopics
                    | AdminOp::CreatePartitions
                    | AdminOp::AlterConfigs
                    | AdminOp::DescribeConfigs
                    | AdminOp::IncrementalAlterConfigs
                    | AdminOp::CreateAcls
                    | AdminOp::DeleteAcls
                    | AdminOp::DescribeUserScramCredentials
                    | AdminOp::DescribeCluster => ErrorCode::_TIMED_OUT.0,
                    _ => ErrorCode::_INVALID_ARG.0,
                };
                assert_eq!(err, expected, "{op:?}: {}", s(rd_kafka_event_error_string(ev)));
                assert_eq!(rd_kafka_event_opaque(ev), &mut token as *mut u8 as *mut c_void);
                for j in 0..AdminOp::ALL.len() {
                    assert_eq!(as_result(j, ev).is_null(), i != j, "{op:?} as {:?}", AdminOp::ALL[j]);
                }
                rd_kafka_event_destroy(ev);
            }
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(opts, 100, e.as_mut_ptr(), e.len()), 0);
            rd_kafka_CreateTopics(rk, null_mut(), 0, opts, q);
            let ev = rd_kafka_queue_poll(q, 5000);
            assert_eq!(
                s(rd_kafka_event_error_string(ev)),
                "Failed while waiting for controller: Local: Timed out"
            );
            let res = rd_kafka_event_CreateTopics_result(ev);
            let mut cnt = 99;
            assert!(rd_kafka_CreateTopics_result_topics(res, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            rd_kafka_event_destroy(ev);
            // NULL rk: nothing. NULL queue: the main queue.
            rd_kafka_DeleteTopics(null_mut(), null_mut(), 0, opts, q);
            assert_eq!(rd_kafka_queue_length(q), 0);
            rd_kafka_DeleteGroups(rk, null_mut(), 0, opts, null_mut());
            assert_eq!(obj::<Handle>(rk).map(|h| h.client.rk.main_q.len()), Some(1));
            assert!(rd_kafka_event_CreateTopics_result(null_mut()).is_null());
            // Destroy with an operation outstanding: destroy does not hang, and the
            // operation answers _DESTROY on its queue.
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(opts, 60_000, e.as_mut_ptr(), e.len()), 0);
            rd_kafka_DescribeCluster(rk, opts, q);
            let t = std::time::Instant::now();
            rd_kafka_AdminOptions_destroy(opts);
            rd_kafka_destroy(rk);
            assert!(t.elapsed() < std::time::Duration::from_secs(5));
            let ev = rd_kafka_queue_poll(q, 1000);
            assert!(!ev.is_null());
            assert_eq!(rd_kafka_event_error(ev), ErrorCode::_DESTROY.0);
            assert_eq!(
                s(rd_kafka_event_error_string(ev)),
                "Handle is terminating: Local: Broker handle destroyed for termination"
            );
            rd_kafka_event_destroy(ev);
            rd_kafka_queue_destroy(q);
        }
    }
}
