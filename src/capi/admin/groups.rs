//! Consumer groups: the DeleteGroup and group offsets handles over the domain's requests,
//! and the group results, listings and descriptions of results.

use super::conv::{destroy_array, no_operations, owned_string, partition_list, IntoC};
use super::*;
use crate::admin::{
    AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, DeleteGroup, ListConsumerGroupOffsets,
};
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ptr::{null, null_mut};

/// What `rd_kafka_DeleteGroup_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct DeleteGroupHandle {
    /// tag::DELETE_GROUP while alive (must stay the first field).
    tag: u64,
    request: DeleteGroup,
}

/// What `rd_kafka_ListConsumerGroupOffsets_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct ListConsumerGroupOffsetsHandle {
    /// tag::LIST_GROUP_OFFSETS while alive (must stay the first field).
    tag: u64,
    request: ListConsumerGroupOffsets,
}

/// What `rd_kafka_AlterConsumerGroupOffsets_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct AlterConsumerGroupOffsetsHandle {
    /// tag::ALTER_GROUP_OFFSETS while alive (must stay the first field).
    tag: u64,
    request: AlterConsumerGroupOffsets,
}

/// What `rd_kafka_DeleteConsumerGroupOffsets_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
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

// Group results, listings and descriptions are not created yet: their accessors answer
// the empty value of their type without touching the pointer.

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

/// A described group's member `idx` (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    idx: size_t,
) -> *const rd_kafka_MemberDescription_t {
    let _ = (grpdesc, idx);
    null()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::boundary::obj;
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
