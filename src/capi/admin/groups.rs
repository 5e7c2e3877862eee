//! Consumer groups: the DeleteGroup and group offsets handles over the domain's requests,
//! and the group results, listings and descriptions of results.

use super::conv::{destroy_array, items, no_operations, owned_string, partition_list, IntoC};
use super::node::{node_ptr, NodeHandle};
use super::topics::ops_out;
use super::view::{cstr, opt_cstr, ptr_of, Arr, OwnedError, OwnedList};
use super::*;
use crate::admin::result::{GroupDescription, GroupListing, GroupResult, PartitionResult};
use crate::admin::{
    AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, DeleteGroup, ListConsumerGroupOffsets,
};
use crate::capi::boundary::{destroy, tag};
use crate::capi::boundary::{handle_of, obj};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `rd_kafka_DeleteGroup_t *` points to.
#[repr(C)]
struct DeleteGroupHandle {
    /// tag::DELETE_GROUP while alive (must stay the first field).
    tag: u64,
    request: DeleteGroup,
}

/// What `rd_kafka_ListConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct ListConsumerGroupOffsetsHandle {
    /// tag::LIST_GROUP_OFFSETS while alive (must stay the first field).
    tag: u64,
    request: ListConsumerGroupOffsets,
}

/// What `rd_kafka_AlterConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct AlterConsumerGroupOffsetsHandle {
    /// tag::ALTER_GROUP_OFFSETS while alive (must stay the first field).
    tag: u64,
    request: AlterConsumerGroupOffsets,
}

/// What `rd_kafka_DeleteConsumerGroupOffsets_t *` points to.
#[repr(C)]
struct DeleteConsumerGroupOffsetsHandle {
    /// tag::DELETE_GROUP_OFFSETS while alive (must stay the first field).
    tag: u64,
    request: DeleteConsumerGroupOffsets,
}

tagged!(DeleteGroupHandle => rd_kafka_DeleteGroup_t, tag::DELETE_GROUP);
tagged!(ListConsumerGroupOffsetsHandle => rd_kafka_ListConsumerGroupOffsets_t, tag::LIST_GROUP_OFFSETS);
tagged!(AlterConsumerGroupOffsetsHandle => rd_kafka_AlterConsumerGroupOffsets_t, tag::ALTER_GROUP_OFFSETS);
tagged!(DeleteConsumerGroupOffsetsHandle => rd_kafka_DeleteConsumerGroupOffsets_t, tag::DELETE_GROUP_OFFSETS);

/// Creates a group to delete (NULL if `group` is NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_new(group: *const c_char) -> *mut rd_kafka_DeleteGroup_t {
    owned_string(group).map_or(null_mut(), |group| {
        DeleteGroupHandle { tag: tag::DELETE_GROUP, request: DeleteGroup { group } }.into_c()
    })
}

/// Destroys a DeleteGroup (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy(del_group: *mut rd_kafka_DeleteGroup_t) {
    destroy::<DeleteGroupHandle>(del_group)
}

/// Destroys each DeleteGroup of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy_array(
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
) {
    destroy_array::<DeleteGroupHandle>(del_groups, del_group_cnt)
}

/// Creates a request for a group's committed offsets (`partitions` NULL: all; copied).
/// NULL if `group_id` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_ListConsumerGroupOffsets_t {
    let Some(group) = owned_string(group_id) else { return null_mut() };
    let request = ListConsumerGroupOffsets { group, partitions: partition_list(partitions) };
    ListConsumerGroupOffsetsHandle { tag: tag::LIST_GROUP_OFFSETS, request }.into_c()
}

/// Destroys a ListConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy(
    list_grpoffsets: *mut rd_kafka_ListConsumerGroupOffsets_t,
) {
    destroy::<ListConsumerGroupOffsetsHandle>(list_grpoffsets)
}

/// Destroys each ListConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy_array(
    list_grpoffsets: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffset_cnt: size_t,
) {
    destroy_array::<ListConsumerGroupOffsetsHandle>(list_grpoffsets, list_grpoffset_cnt)
}

/// Creates a request to set a group's committed offsets (copied). NULL if `group_id` or
/// `partitions` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_AlterConsumerGroupOffsets_t {
    let (Some(group), Some(partitions)) = (owned_string(group_id), partition_list(partitions)) else {
        return null_mut();
    };
    let request = AlterConsumerGroupOffsets { group, partitions };
    AlterConsumerGroupOffsetsHandle { tag: tag::ALTER_GROUP_OFFSETS, request }.into_c()
}

/// Destroys an AlterConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy(
    alter_grpoffsets: *mut rd_kafka_AlterConsumerGroupOffsets_t,
) {
    destroy::<AlterConsumerGroupOffsetsHandle>(alter_grpoffsets)
}

/// Destroys each AlterConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy_array(
    alter_grpoffsets: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffset_cnt: size_t,
) {
    destroy_array::<AlterConsumerGroupOffsetsHandle>(alter_grpoffsets, alter_grpoffset_cnt)
}

/// Creates a request to delete a group's committed offsets (copied). NULL if `group` or
/// `partitions` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_new(
    group: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteConsumerGroupOffsets_t {
    let (Some(group), Some(partitions)) = (owned_string(group), partition_list(partitions)) else {
        return null_mut();
    };
    let request = DeleteConsumerGroupOffsets { group, partitions };
    DeleteConsumerGroupOffsetsHandle { tag: tag::DELETE_GROUP_OFFSETS, request }.into_c()
}

/// Destroys a DeleteConsumerGroupOffsets (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy(
    del_grpoffsets: *mut rd_kafka_DeleteConsumerGroupOffsets_t,
) {
    destroy::<DeleteConsumerGroupOffsetsHandle>(del_grpoffsets)
}

/// Destroys each DeleteConsumerGroupOffsets of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy_array(
    del_grpoffsets: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffset_cnt: size_t,
) {
    destroy_array::<DeleteConsumerGroupOffsetsHandle>(del_grpoffsets, del_grpoffset_cnt)
}

/// The groups of an array of DeleteGroup handles.
pub(super) unsafe fn delete_groups(
    arr: *mut *mut rd_kafka_DeleteGroup_t,
    cnt: size_t,
) -> Option<Vec<String>> {
    items::<DeleteGroupHandle, _>(arr, cnt, |h| h.request.group.clone())
}

/// The requests of an array of ListConsumerGroupOffsets handles.
pub(super) unsafe fn list_offsets(
    arr: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    cnt: size_t,
) -> Option<Vec<ListConsumerGroupOffsets>> {
    items::<ListConsumerGroupOffsetsHandle, _>(arr, cnt, |h| h.request.clone())
}

/// The requests of an array of AlterConsumerGroupOffsets handles.
pub(super) unsafe fn alter_offsets(
    arr: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    cnt: size_t,
) -> Option<Vec<AlterConsumerGroupOffsets>> {
    items::<AlterConsumerGroupOffsetsHandle, _>(arr, cnt, |h| h.request.clone())
}

/// The requests of an array of DeleteConsumerGroupOffsets handles.
pub(super) unsafe fn delete_offsets(
    arr: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    cnt: size_t,
) -> Option<Vec<DeleteConsumerGroupOffsets>> {
    items::<DeleteConsumerGroupOffsetsHandle, _>(arr, cnt, |h| h.request.clone())
}

/// What `rd_kafka_group_result_t *` points to: one group of DeleteGroups or of the
/// group-offset operations.
#[repr(C)]
pub(crate) struct GroupResultHandle {
    /// tag::GROUP_RESULT while alive (must stay the first field).
    tag: u64,
    name: CString,
    error: OwnedError,
    partitions: OwnedList,
}

tagged!(GroupResultHandle => rd_kafka_group_result_t, tag::GROUP_RESULT);

impl GroupResultHandle {
    pub(crate) fn new(r: &GroupResult) -> GroupResultHandle {
        GroupResultHandle {
            tag: tag::GROUP_RESULT,
            name: cstr(&r.group),
            error: OwnedError::new(&r.err),
            partitions: OwnedList::of(&r.partitions),
        }
    }
}

/// What `rd_kafka_ConsumerGroupListing_t *` points to.
#[repr(C)]
pub(crate) struct GroupListingHandle {
    /// tag::GROUP_LISTING while alive (must stay the first field).
    tag: u64,
    group_id: CString,
    simple: bool,
    state: i32,
    group_type: i32,
}

tagged!(GroupListingHandle => rd_kafka_ConsumerGroupListing_t, tag::GROUP_LISTING);

impl GroupListingHandle {
    pub(crate) fn new(g: &GroupListing) -> GroupListingHandle {
        GroupListingHandle {
            tag: tag::GROUP_LISTING,
            group_id: cstr(&g.group_id),
            simple: g.simple,
            state: g.state,
            group_type: g.group_type,
        }
    }
}

/// What `rd_kafka_MemberAssignment_t *` points to.
#[repr(C)]
pub(crate) struct MemberAssignmentHandle {
    /// tag::MEMBER_ASSIGNMENT while alive (must stay the first field).
    tag: u64,
    partitions: OwnedList,
}

tagged!(MemberAssignmentHandle => rd_kafka_MemberAssignment_t, tag::MEMBER_ASSIGNMENT);

/// What `rd_kafka_MemberDescription_t *` points to.
#[repr(C)]
pub(crate) struct MemberDescriptionHandle {
    /// tag::MEMBER_DESCRIPTION while alive (must stay the first field).
    tag: u64,
    client_id: CString,
    group_instance_id: Option<CString>,
    member_id: CString,
    host: CString,
    assignment: MemberAssignmentHandle,
    target: Option<MemberAssignmentHandle>,
}

tagged!(MemberDescriptionHandle => rd_kafka_MemberDescription_t, tag::MEMBER_DESCRIPTION);

/// What `rd_kafka_ConsumerGroupDescription_t *` points to.
#[repr(C)]
pub(crate) struct GroupDescriptionHandle {
    /// tag::GROUP_DESCRIPTION while alive (must stay the first field).
    tag: u64,
    group_id: CString,
    error: OwnedError,
    simple: bool,
    assignor: Option<CString>,
    state: i32,
    group_type: i32,
    coordinator: Option<Box<NodeHandle>>,
    members: Arr<MemberDescriptionHandle>,
    ops: Option<Vec<rd_kafka_AclOperation_t>>,
}

tagged!(GroupDescriptionHandle => rd_kafka_ConsumerGroupDescription_t, tag::GROUP_DESCRIPTION);

fn assignment(parts: &[PartitionResult]) -> MemberAssignmentHandle {
    MemberAssignmentHandle { tag: tag::MEMBER_ASSIGNMENT, partitions: OwnedList::new(parts) }
}

impl GroupDescriptionHandle {
    pub(crate) fn new(g: &GroupDescription) -> GroupDescriptionHandle {
        let members = g.members.iter().map(|m| MemberDescriptionHandle {
            tag: tag::MEMBER_DESCRIPTION,
            client_id: cstr(&m.client_id),
            group_instance_id: opt_cstr(&m.group_instance_id),
            member_id: cstr(&m.member_id),
            host: cstr(&m.host),
            assignment: assignment(&m.assignment),
            target: m.target_assignment.as_deref().map(assignment),
        });
        GroupDescriptionHandle {
            tag: tag::GROUP_DESCRIPTION,
            group_id: cstr(&g.group_id),
            error: OwnedError::new(&g.err),
            simple: g.simple,
            assignor: opt_cstr(&g.partition_assignor),
            state: g.state,
            group_type: g.group_type,
            coordinator: NodeHandle::boxed(&g.coordinator),
            members: Arr::new(members),
            ops: g.authorized_ops.clone(),
        }
    }
}

/// The group's error (NULL on success), owned by the result.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_error(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_error_t {
    obj::<GroupResultHandle>(groupres).map_or(null(), |g| g.error.get())
}

/// The group's name.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_name(
    groupres: *const rd_kafka_group_result_t,
) -> *const c_char {
    obj::<GroupResultHandle>(groupres).map_or(null(), |g| g.name.as_ptr())
}

/// The group's partitions with their offsets and errors (NULL for DeleteGroups).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_result_partitions(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    obj::<GroupResultHandle>(groupres).map_or(null(), |g| g.partitions.get())
}

/// The listed group's id.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_group_id(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> *const c_char {
    obj::<GroupListingHandle>(grplist).map_or(null(), |g| g.group_id.as_ptr())
}

/// 1 if the group is a simple consumer group (no protocol type).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_is_simple_consumer_group(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> c_int {
    obj::<GroupListingHandle>(grplist).map_or(0, |g| g.simple as c_int)
}

/// The listed group's state (UNKNOWN when the broker does not report states).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_state(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> rd_kafka_consumer_group_state_t {
    obj::<GroupListingHandle>(grplist).map_or(0, |g| g.state)
}

/// The listed group's type (CLASSIC or CONSUMER; UNKNOWN when not reported).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_type(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> rd_kafka_consumer_group_type_t {
    obj::<GroupListingHandle>(grplist).map_or(0, |g| g.group_type)
}

/// The described group's id.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_group_id(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(null(), |g| g.group_id.as_ptr())
}

/// The group's error (NULL on success), owned by the result.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_error(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_error_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(null(), |g| g.error.get())
}

/// 1 if the group is a simple consumer group.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> c_int {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(0, |g| g.simple as c_int)
}

/// The group's partition assignor ("" when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_partition_assignor(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(null(), |g| ptr_of(&g.assignor))
}

/// The group's state.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_state(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> rd_kafka_consumer_group_state_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(0, |g| g.state)
}

/// The group's coordinator (NULL when it could not be found).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_coordinator(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_Node_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(null(), |g| node_ptr(&g.coordinator))
}

/// The group's type.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_type(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> rd_kafka_consumer_group_type_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(0, |g| g.group_type)
}

/// The number of members.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member_count(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> size_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(0, |g| g.members.len())
}

/// Member `idx` (NULL when out of range).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    idx: size_t,
) -> *const rd_kafka_MemberDescription_t {
    obj::<GroupDescriptionHandle>(grpdesc).map_or(null(), |g| g.members.get(idx))
}

/// The operations the client may do on the group (NULL, count 0, unless asked for).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_authorized_operations(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    match obj::<GroupDescriptionHandle>(grpdesc) {
        Some(g) => ops_out(&g.ops, cntp),
        None => no_operations(cntp),
    }
}

/// The member's client id.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_client_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| m.client_id.as_ptr())
}

/// The member's group.instance.id (NULL for dynamic members).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_group_instance_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| ptr_of(&m.group_instance_id))
}

/// The member's id.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_consumer_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| m.member_id.as_ptr())
}

/// The member's host.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_host(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| m.host.as_ptr())
}

/// The member's assignment.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_assignment(
    member: *const rd_kafka_MemberDescription_t,
) -> *const rd_kafka_MemberAssignment_t {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| handle_of(&m.assignment))
}

/// The member's target assignment (KIP-848 groups only; NULL otherwise).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberDescription_target_assignment(
    member: *const rd_kafka_MemberDescription_t,
) -> *const rd_kafka_MemberAssignment_t {
    obj::<MemberDescriptionHandle>(member).map_or(null(), |m| m.target.as_ref().map_or(null(), handle_of))
}

/// The partitions of an assignment.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_MemberAssignment_partitions(
    assignment: *const rd_kafka_MemberAssignment_t,
) -> *const rd_kafka_topic_partition_list_t {
    obj::<MemberAssignmentHandle>(assignment).map_or(null(), |a| a.partitions.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::tplist::{
        rd_kafka_topic_partition_list_add, rd_kafka_topic_partition_list_destroy,
        rd_kafka_topic_partition_list_new,
    };

    #[test]
    fn group_requests_copy_their_lists() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(1);
            (*rd_kafka_topic_partition_list_add(l, c"t".as_ptr(), 3)).offset = 42;
            let lo = rd_kafka_ListConsumerGroupOffsets_new(c"g".as_ptr(), null());
            let ao = rd_kafka_AlterConsumerGroupOffsets_new(c"g".as_ptr(), l);
            let dco = rd_kafka_DeleteConsumerGroupOffsets_new(c"g".as_ptr(), l);
            rd_kafka_topic_partition_list_destroy(l);
            assert!(![lo as usize, ao as usize, dco as usize].contains(&0));
            let req = &obj::<AlterConsumerGroupOffsetsHandle>(ao).unwrap().request;
            assert_eq!(req.group, "g");
            assert_eq!(
                req.partitions.iter().map(|p| (p.topic.as_str(), p.partition, p.offset)).collect::<Vec<_>>(),
                [("t", 3, 42)]
            );
            assert_eq!(
                obj::<ListConsumerGroupOffsetsHandle>(lo).map(|h| h.request.partitions.is_none()),
                Some(true)
            );
            assert!(rd_kafka_AlterConsumerGroupOffsets_new(c"g".as_ptr(), null()).is_null());
            assert!(rd_kafka_DeleteConsumerGroupOffsets_new(null(), null()).is_null());
            assert!(rd_kafka_ListConsumerGroupOffsets_new(null(), null()).is_null());
            rd_kafka_ListConsumerGroupOffsets_destroy(lo);
            let mut arr = [ao];
            rd_kafka_AlterConsumerGroupOffsets_destroy_array(arr.as_mut_ptr(), 1);
            rd_kafka_DeleteConsumerGroupOffsets_destroy(dco);
            let g = rd_kafka_DeleteGroup_new(c"g".as_ptr());
            assert!(rd_kafka_DeleteGroup_new(null()).is_null());
            let mut arr = [g, null_mut()];
            rd_kafka_DeleteGroup_destroy_array(arr.as_mut_ptr(), 2);
        }
    }
}
