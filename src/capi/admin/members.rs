//! RemoveGroupMembers (a kafkars extension, as kafka-python's remove_group_members and
//! Java's removeMembersFromConsumerGroup), in librdkafka's admin style.

use super::call::{call, invalid, no_duplicates};
use super::conv::{owned_string, IntoC};
use super::results::{out, result_of};
use super::view::{cstr, opt_cstr, ptr_of, Arr, OwnedError};
use super::*;
use crate::admin::engine::Payload;
use crate::admin::groups::{MemberToRemove, RemoveGroupMembers};
use crate::admin::result::MemberRemoval;
use crate::admin::run;
use crate::admin::AdminOp;
use crate::capi::boundary::{destroy, obj, obj_mut, tag};
use crate::capi::error::{error_to_c, result_to_c};
use kafkars_macros::ffi_fn;
use libc::c_char;
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `kafkars_RemoveGroupMembers_t *` points to.
#[repr(C)]
struct RequestHandle {
    /// tag::REMOVE_MEMBERS while alive (must stay the first field).
    tag: u64,
    request: RemoveGroupMembers,
}

tagged!(RequestHandle => kafkars_RemoveGroupMembers_t, tag::REMOVE_MEMBERS);

/// Creates the removal of members from group `group_id` (add them with
/// kafkars_RemoveGroupMembers_add()); NULL for a NULL or empty group id. Destroy with
/// kafkars_RemoveGroupMembers_destroy(). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_RemoveGroupMembers_new(
    group_id: *const c_char,
) -> *mut kafkars_RemoveGroupMembers_t {
    match owned_string(group_id).filter(|g| !g.is_empty()) {
        Some(group) => RequestHandle {
            tag: tag::REMOVE_MEMBERS,
            request: RemoveGroupMembers { group, members: Vec::new() },
        }
        .into_c(),
        None => null_mut(),
    }
}

/// Adds a member to remove: by `member_id`, or a static member by `group_instance_id`
/// (one of them is required; NULL for the other). `reason` (may be NULL) is sent from
/// LeaveGroup v5 on. Returns NULL or an error object. (kafkars extension)
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_RemoveGroupMembers_add(
    req: *mut kafkars_RemoveGroupMembers_t,
    member_id: *const c_char,
    group_instance_id: *const c_char,
    reason: *const c_char,
) -> *mut rd_kafka_error_t {
    let Some(h) = obj_mut::<RequestHandle>(req) else {
        return error_to_c(invalid("request must not be NULL"));
    };
    let member_id = owned_string(member_id).unwrap_or_default();
    let group_instance_id = owned_string(group_instance_id).filter(|s| !s.is_empty());
    if member_id.is_empty() && group_instance_id.is_none() {
        return error_to_c(invalid("a member id or a group instance id is required"));
    }
    h.request.members.push(MemberToRemove { member_id, group_instance_id, reason: owned_string(reason) });
    result_to_c(Ok(()))
}

/// Destroys a member removal request (NULL is allowed). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_RemoveGroupMembers_destroy(req: *mut kafkars_RemoveGroupMembers_t) {
    destroy::<RequestHandle>(req)
}

/// What `kafkars_MemberRemoval_t *` points to.
#[repr(C)]
struct RemovalHandle {
    /// tag::MEMBER_REMOVAL while alive (must stay the first field).
    tag: u64,
    member_id: CString,
    group_instance_id: Option<CString>,
    error: OwnedError,
}

tagged!(RemovalHandle => kafkars_MemberRemoval_t, tag::MEMBER_REMOVAL);

/// Removes the request's members from its group, in one LeaveGroup (v3+, KIP-345) sent
/// to the group coordinator. The result (KAFKARS_EVENT_REMOVEGROUPMEMBERS_RESULT) is
/// emitted on `rkqu`: one kafkars_MemberRemoval_t per member, in request order; a
/// group-level error is the event's. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_RemoveGroupMembers(
    rk: *mut rd_kafka_t,
    req: *const kafkars_RemoveGroupMembers_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::RemoveGroupMembers, options, rkqu) else { return };
    c.run(
        obj::<RequestHandle>(req).map(|h| h.request.clone()),
        |r| {
            if r.members.is_empty() {
                return Err(invalid("No members specified"));
            }
            no_duplicates(
                r.members.iter().map(|m| (&m.member_id, &m.group_instance_id)),
                "Duplicate members not allowed",
            )
        },
        run::members::remove_members,
        |r: Vec<MemberRemoval>| -> Payload {
            Box::new(Arr::new(r.iter().map(|m| RemovalHandle {
                tag: tag::MEMBER_REMOVAL,
                member_id: cstr(&m.member_id),
                group_instance_id: opt_cstr(&m.group_instance_id),
                error: OwnedError::new(&m.err),
            })))
        },
    )
}

/// The event as a RemoveGroupMembers result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_RemoveGroupMembers_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_RemoveGroupMembers_result_t {
    result_of(rkev, AdminOp::RemoveGroupMembers)
}

/// Each member's outcome, in request order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_RemoveGroupMembers_result_members(
    result: *const kafkars_RemoveGroupMembers_result_t,
    cntp: *mut libc::size_t,
) -> *mut *const kafkars_MemberRemoval_t {
    out::<RemovalHandle>(result, cntp)
}

/// The member id ("" for a static member named by its instance id only). (kafkars
/// extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_MemberRemoval_member_id(m: *const kafkars_MemberRemoval_t) -> *const c_char {
    obj::<RemovalHandle>(m).map_or(null(), |m| m.member_id.as_ptr())
}

/// The group instance id (NULL when none). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_MemberRemoval_group_instance_id(
    m: *const kafkars_MemberRemoval_t,
) -> *const c_char {
    obj::<RemovalHandle>(m).map_or(null(), |m| ptr_of(&m.group_instance_id))
}

/// Why the member was not removed (NULL when it was), e.g. UNKNOWN_MEMBER_ID. (kafkars
/// extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_MemberRemoval_error(
    m: *const kafkars_MemberRemoval_t,
) -> *const rd_kafka_error_t {
    obj::<RemovalHandle>(m).map_or(null(), |m| m.error.get())
}
