//! Result events: rd_kafka_event_<Op>_result() and the accessors of each result. A
//! result's entries live in its event's payload (`view`); a failed operation's result has
//! none (NULL, count 0).

use super::acls::{AclBindingHandle, AclResultHandle, DeleteAclsResponseHandle};
use super::configs::ConfigResourceHandle;
use super::conv::{empty, no_operations};
use super::elect::PartitionResultHandle;
use super::groups::{GroupDescriptionHandle, GroupListingHandle, GroupResultHandle};
use super::node::{node_ptr, NodeHandle};
use super::records::ListOffsetsInfoHandle;
use super::scram::{ScramAlterResponseHandle, ScramDescriptionHandle};
use super::topics::{ops_out, TopicDescriptionHandle, TopicResultHandle};
use super::view::{opt_cstr, payload, ptr_of, Arr};
use super::view::{OwnedErrors, OwnedList};
use super::*;
use crate::admin::result::ClusterDescription;
use crate::admin::AdminOp;
use crate::capi::event::rd_kafka_event_type;
use kafkars_macros::ffi_fn;
use libc::{c_char, size_t};
use std::ffi::CString;
use std::ptr::null;

/// The entries of a result whose payload is an `Arr<T>`, for C.
pub(super) unsafe fn out<T: crate::capi::boundary::Tagged + 'static>(
    result: *const rd_kafka_event_t,
    cntp: *mut size_t,
) -> *mut *const T::C {
    match payload::<Arr<T>>(result) {
        Some(a) => a.out(cntp),
        None => empty(cntp),
    }
}

/// DescribeCluster's answer as C reads it.
struct ClusterView {
    cluster_id: Option<CString>,
    controller: Option<Box<NodeHandle>>,
    nodes: Arr<NodeHandle>,
    ops: Option<Vec<rd_kafka_AclOperation_t>>,
}

// SAFETY: as Arr: the pointers point into what the view owns.
unsafe impl Send for ClusterView {}

/// ListConsumerGroups' answer as C reads it.
struct ListingsView {
    valid: Arr<GroupListingHandle>,
    errors: OwnedErrors,
}

/// Payloads: each operation's answer made readable for C.
pub(super) mod views {
    use super::*;
    use crate::admin::engine::Payload;
    use crate::admin::result::{
        ConfigResourceResult, DeleteAclsResponse, GroupDescription, GroupListings, GroupResult,
        ListOffsetsInfo, PartitionResult, TopicDescription, TopicResult, UserScramAlterResult,
        UserScramDescription,
    };
    use crate::admin::AclBinding;
    use crate::error::KafkaError;

    pub fn topics(r: Vec<TopicResult>) -> Payload {
        Box::new(Arr::new(r.iter().map(TopicResultHandle::new)))
    }

    pub fn topic_descriptions(r: Vec<TopicDescription>) -> Payload {
        Box::new(Arr::new(r.iter().map(TopicDescriptionHandle::new)))
    }

    pub fn configs(r: Vec<ConfigResourceResult>) -> Payload {
        Box::new(Arr::new(r.iter().map(ConfigResourceHandle::described)))
    }

    pub fn groups(r: Vec<GroupResult>) -> Payload {
        Box::new(Arr::new(r.iter().map(GroupResultHandle::new)))
    }

    pub fn descriptions(r: Vec<GroupDescription>) -> Payload {
        Box::new(Arr::new(r.iter().map(GroupDescriptionHandle::new)))
    }

    pub fn listings(r: GroupListings) -> Payload {
        Box::new(ListingsView {
            valid: Arr::new(r.valid.iter().map(GroupListingHandle::new)),
            errors: OwnedErrors::new(r.errors),
        })
    }

    pub fn offsets(r: Vec<PartitionResult>) -> Payload {
        Box::new(OwnedList::new(&r))
    }

    pub fn list_offsets(r: Vec<ListOffsetsInfo>) -> Payload {
        Box::new(Arr::new(r.iter().map(ListOffsetsInfoHandle::new)))
    }

    pub fn elections(r: Vec<PartitionResult>) -> Payload {
        Box::new(Arr::new(r.iter().map(PartitionResultHandle::new)))
    }

    pub fn acl_results(r: Vec<Option<KafkaError>>) -> Payload {
        Box::new(Arr::new(r.iter().map(AclResultHandle::new)))
    }

    pub fn acls(r: Vec<AclBinding>) -> Payload {
        Box::new(Arr::new(r.iter().map(AclBindingHandle::answered)))
    }

    pub fn delete_acls(r: Vec<DeleteAclsResponse>) -> Payload {
        Box::new(Arr::new(r.iter().map(DeleteAclsResponseHandle::new)))
    }

    pub fn scram_descriptions(r: Vec<UserScramDescription>) -> Payload {
        Box::new(Arr::new(r.iter().map(ScramDescriptionHandle::new)))
    }

    pub fn scram_alterations(r: Vec<UserScramAlterResult>) -> Payload {
        Box::new(Arr::new(r.iter().map(ScramAlterResponseHandle::new)))
    }

    pub fn cluster(c: ClusterDescription) -> Payload {
        Box::new(ClusterView {
            cluster_id: opt_cstr(&c.cluster_id),
            controller: NodeHandle::boxed(&c.controller),
            nodes: NodeHandle::list(&c.nodes),
            ops: c.authorized_ops,
        })
    }
}

/// The event as `op`'s result type, or NULL if it is another event.
pub(super) unsafe fn result_of(rkev: *mut rd_kafka_event_t, op: AdminOp) -> *const rd_kafka_event_t {
    if !rkev.is_null() && rd_kafka_event_type(rkev) == op.event_type() {
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

// The entries of each result.

/// The topic results of a CreateTopics result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateTopics_result_topics(
    result: *const rd_kafka_CreateTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    out::<TopicResultHandle>(result, cntp)
}

/// The topic results of a DeleteTopics result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopics_result_topics(
    result: *const rd_kafka_DeleteTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    out::<TopicResultHandle>(result, cntp)
}

/// The topic results of a CreatePartitions result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreatePartitions_result_topics(
    result: *const rd_kafka_CreatePartitions_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    out::<TopicResultHandle>(result, cntp)
}

/// The resources of an AlterConfigs result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConfigs_result_resources(
    result: *const rd_kafka_AlterConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    out::<ConfigResourceHandle>(result, cntp)
}

/// The resources of an IncrementalAlterConfigs result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_IncrementalAlterConfigs_result_resources(
    result: *const rd_kafka_IncrementalAlterConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    out::<ConfigResourceHandle>(result, cntp)
}

/// The resources of a DescribeConfigs result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs_result_resources(
    result: *const rd_kafka_DescribeConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    out::<ConfigResourceHandle>(result, cntp)
}

/// The topic descriptions of a DescribeTopics result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeTopics_result_topics(
    result: *const rd_kafka_DescribeTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_TopicDescription_t {
    out::<TopicDescriptionHandle>(result, cntp)
}

/// The nodes of a DescribeCluster result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_nodes(
    result: *const rd_kafka_DescribeCluster_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    match payload::<ClusterView>(result) {
        Some(c) => c.nodes.out(cntp),
        None => empty(cntp),
    }
}

/// The groups listed by a ListConsumerGroups result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_valid(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupListing_t {
    match payload::<ListingsView>(result) {
        Some(l) => l.valid.out(cntp),
        None => empty(cntp),
    }
}

/// The per-broker errors of a ListConsumerGroups result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_errors(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_error_t {
    match payload::<ListingsView>(result) {
        Some(l) => l.errors.out(cntp),
        None => empty(cntp),
    }
}

/// The group descriptions of a DescribeConsumerGroups result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups_result_groups(
    result: *const rd_kafka_DescribeConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupDescription_t {
    out::<GroupDescriptionHandle>(result, cntp)
}

/// The group results of a DeleteGroups result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroups_result_groups(
    result: *const rd_kafka_DeleteGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    out::<GroupResultHandle>(result, cntp)
}

/// The group results of a ListConsumerGroupOffsets result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_ListConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    out::<GroupResultHandle>(result, cntp)
}

/// The group results of an AlterConsumerGroupOffsets result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_AlterConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    out::<GroupResultHandle>(result, cntp)
}

/// The group results of a DeleteConsumerGroupOffsets result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_DeleteConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    out::<GroupResultHandle>(result, cntp)
}

/// The partition results of a ListOffsets result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsets_result_infos(
    result: *const rd_kafka_ListOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ListOffsetsResultInfo_t {
    out::<ListOffsetsInfoHandle>(result, cntp)
}

/// The user descriptions of a DescribeUserScramCredentials result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeUserScramCredentials_result_descriptions(
    result: *const rd_kafka_DescribeUserScramCredentials_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_UserScramCredentialsDescription_t {
    out::<ScramDescriptionHandle>(result, cntp)
}

/// The per-user responses of an AlterUserScramCredentials result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_responses(
    result: *const rd_kafka_AlterUserScramCredentials_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AlterUserScramCredentials_result_response_t {
    out::<ScramAlterResponseHandle>(result, cntp)
}

/// The ACL results of a CreateAcls result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_CreateAcls_result_acls(
    result: *const rd_kafka_CreateAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_acl_result_t {
    out::<AclResultHandle>(result, cntp)
}

/// The ACL bindings of a DescribeAcls result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeAcls_result_acls(
    result: *const rd_kafka_DescribeAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    out::<AclBindingHandle>(result, cntp)
}

/// The per-filter responses of a DeleteAcls result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_responses(
    result: *const rd_kafka_DeleteAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_DeleteAcls_result_response_t {
    out::<DeleteAclsResponseHandle>(result, cntp)
}

/// The partition results of an ElectLeaders result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_result_partitions(
    result: *const rd_kafka_ElectLeaders_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_partition_result_t {
    out::<PartitionResultHandle>(result, cntp)
}

// Authorized operations are arrays of values (`const rd_kafka_AclOperation_t *`), not of
// pointers.

/// The authorized operations of a DescribeCluster result (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_authorized_operations(
    result: *const rd_kafka_DescribeCluster_result_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    match payload::<ClusterView>(result) {
        Some(c) => ops_out(&c.ops, cntp),
        None => no_operations(cntp),
    }
}

/// A DeleteRecords result's offsets: the low watermark and error of each partition (NULL
/// when the operation failed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_result_offsets(
    result: *const rd_kafka_DeleteRecords_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    payload::<OwnedList>(result).map_or(null(), |l| l.get())
}

/// A DescribeCluster result's controller (NULL when the cluster names none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_controller(
    result: *const rd_kafka_DescribeCluster_result_t,
) -> *const rd_kafka_Node_t {
    payload::<ClusterView>(result).map_or(null(), |c| node_ptr(&c.controller))
}

/// A DescribeCluster result's cluster id (NULL when the broker reports none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DescribeCluster_result_cluster_id(
    result: *const rd_kafka_DescribeCluster_result_t,
) -> *const c_char {
    payload::<ClusterView>(result).map_or(null(), |c| ptr_of(&c.cluster_id))
}

#[cfg(test)]
mod tests {
    use super::super::groups::{
        rd_kafka_ConsumerGroupDescription_member, rd_kafka_ConsumerGroupDescription_member_count,
        rd_kafka_group_result_error,
    };
    use super::super::node::rd_kafka_Node_port;
    use super::super::records::rd_kafka_ListOffsetsResultInfo_timestamp;
    use super::super::topics::rd_kafka_topic_result_error;
    use super::super::topics::rd_kafka_topic_result_name;
    use super::*;
    use std::ptr::null_mut;

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
