//! rd_kafka_list_groups: the groups of the cluster and their members, in librdkafka's
//! public structs.

use super::boundary::obj;
use super::handle::Handle;
use super::types::*;
use super::util::{cstr, to_cstring};
use crate::error::ErrorCode;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void};

/// Owns what an `rd_kafka_group_list` points into (the C struct comes first). A public
/// struct C reads, so no type tag: rd_kafka_group_list_destroy() is its one converter.
#[repr(C)]
struct GroupListHolder {
    list: rd_kafka_group_list,
    groups: Vec<rd_kafka_group_info>,
    members: Vec<Vec<rd_kafka_group_member_info>>,
    strings: Vec<std::ffi::CString>,
    blobs: Vec<Vec<u8>>,
}

/// Lists consumer groups (all, or just `group`) with their members, asking every broker
/// (ListGroups + DescribeGroups). Free the result with rd_kafka_group_list_destroy().
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_list_groups(
    rk: *mut rd_kafka_t,
    group: *const c_char,
    grplistp: *mut *const rd_kafka_group_list,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(grplistp, ErrorCode::_INVALID_ARG.0);
    let only = cstr(group).map(str::to_string);
    let timeout = crate::capi::util::wait_of(timeout_ms);
    match crate::consumer::group::list::list_groups(&h.client.consumer, only, timeout) {
        Ok(groups) => {
            let mut holder = Box::new(GroupListHolder {
                list: rd_kafka_group_list { groups: std::ptr::null_mut(), group_cnt: 0 },
                groups: Vec::new(),
                members: Vec::new(),
                strings: Vec::new(),
                blobs: Vec::new(),
            });
            let s = |x: &str, keep: &mut Vec<std::ffi::CString>| -> *mut c_char {
                keep.push(to_cstring(x));
                keep.last().map_or(std::ptr::null_mut(), |c| c.as_ptr() as *mut c_char)
            };
            for g in &groups {
                let mut ms = Vec::new();
                for m in &g.members {
                    holder.blobs.push(m.metadata.clone());
                    let md = holder
                        .blobs
                        .last_mut()
                        .map_or(std::ptr::null_mut(), |b| b.as_mut_ptr() as *mut c_void);
                    holder.blobs.push(m.assignment.clone());
                    let asg = holder
                        .blobs
                        .last_mut()
                        .map_or(std::ptr::null_mut(), |b| b.as_mut_ptr() as *mut c_void);
                    ms.push(rd_kafka_group_member_info {
                        member_id: s(&m.member_id, &mut holder.strings),
                        client_id: s(&m.client_id, &mut holder.strings),
                        client_host: s(&m.client_host, &mut holder.strings),
                        member_metadata: md,
                        member_metadata_size: m.metadata.len() as c_int,
                        member_assignment: asg,
                        member_assignment_size: m.assignment.len() as c_int,
                    });
                }
                let mp = ms.as_mut_ptr();
                let cnt = ms.len() as c_int;
                holder.members.push(ms);
                let host = s(&g.broker_host, &mut holder.strings);
                holder.groups.push(rd_kafka_group_info {
                    broker: rd_kafka_metadata_broker_t { id: g.broker_id, host, port: g.broker_port },
                    group: s(&g.group, &mut holder.strings),
                    err: g.err.0,
                    state: s(&g.state, &mut holder.strings),
                    protocol_type: s(&g.protocol_type, &mut holder.strings),
                    protocol: s(&g.protocol, &mut holder.strings),
                    members: mp,
                    member_cnt: cnt,
                });
            }
            holder.list.groups = holder.groups.as_mut_ptr();
            holder.list.group_cnt = holder.groups.len() as c_int;
            *grplistp = Box::into_raw(holder) as *const rd_kafka_group_list;
            0
        }
        Err(e) => e.0,
    }
}

/// Frees a list returned by rd_kafka_list_groups().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_list_destroy(grplist: *const rd_kafka_group_list) {
    non_null!(grplist);
    drop(Box::from_raw(grplist as *mut GroupListHolder))
}
