//! Consumer group metadata objects (`rd_kafka_consumer_group_metadata_t`): taken from a
//! consumer or built, read, and (de)serialized, for rd_kafka_send_offsets_to_transaction.

use super::boundary::{destroy, into_c, obj, tag};
use super::error::error_to_c;
use super::group::group_of;
use super::types::*;
use super::util::{cstr, to_cstring};
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_void, size_t};

/// What `rd_kafka_consumer_group_metadata_t *` points to.
#[repr(C)]
pub(crate) struct GroupMetadata {
    /// tag::GROUP_METADATA while alive (must stay the first field).
    tag: u64,
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    pub group_instance_id: Option<String>,
    /// NUL-terminated copies handed out by the accessors, made on first use.
    cstrs: std::sync::OnceLock<[Option<std::ffi::CString>; 3]>,
}

impl GroupMetadata {
    fn new(
        group_id: String,
        generation_id: i32,
        member_id: String,
        group_instance_id: Option<String>,
    ) -> Box<Self> {
        Box::new(GroupMetadata {
            tag: tag::GROUP_METADATA,
            group_id,
            generation_id,
            member_id,
            group_instance_id,
            cstrs: std::sync::OnceLock::new(),
        })
    }

    /// 0: group id, 1: member id, 2: group instance id (NULL when unset).
    fn c_str(&self, i: usize) -> *const c_char {
        let c = self.cstrs.get_or_init(|| {
            [
                Some(to_cstring(&self.group_id)),
                Some(to_cstring(&self.member_id)),
                self.group_instance_id.as_deref().map(to_cstring),
            ]
        });
        c[i].as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
    }
}

#[repr(C)]
pub struct rd_kafka_consumer_group_metadata_t {
    _private: [u8; 0],
}

/// The consumer's group metadata (for send_offsets_to_transaction); destroy with
/// rd_kafka_consumer_group_metadata_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let Ok((c, g)) = group_of(rk) else { return std::ptr::null_mut() };
    let v = g.view();
    into_c(GroupMetadata::new(
        g.group_id.clone(),
        v.generation,
        v.member_id.clone(),
        c.rk.conf.string("group.instance.id").filter(|s| !s.is_empty()),
    ))
}

/// Creates group metadata for a group id (generation -1, no member id).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new(
    group_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let Some(gid) = cstr(group_id) else { return std::ptr::null_mut() };
    into_c(GroupMetadata::new(gid.to_string(), -1, String::new(), None))
}

/// Creates group metadata with every field given (`group_instance_id` may be NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new_with_genid(
    group_id: *const c_char,
    generation_id: i32,
    member_id: *const c_char,
    group_instance_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let (Some(gid), Some(mid)) = (cstr(group_id), cstr(member_id)) else { return std::ptr::null_mut() };
    let iid = cstr(group_instance_id).map(str::to_string);
    into_c(GroupMetadata::new(gid.to_string(), generation_id, mid.to_string(), iid))
}

tagged!(GroupMetadata => rd_kafka_consumer_group_metadata_t, tag::GROUP_METADATA);

/// The group id of group metadata (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_group_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(0))
}

/// The member id of group metadata (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_member_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(1))
}

/// The group instance id of group metadata, or NULL (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_group_instance_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(2))
}

/// The generation id of group metadata (-1 for NULL).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_generation_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> i32 {
    obj::<GroupMetadata>(group_metadata).map_or(-1, |m| m.generation_id)
}

/// Destroys group metadata.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_destroy(
    cgmd: *mut rd_kafka_consumer_group_metadata_t,
) {
    destroy::<GroupMetadata>(cgmd)
}

const CGMD_MAGIC: &[u8; 4] = b"KRG1";

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.extend_from_slice(&(s.len() as i32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

fn get_str(b: &[u8], pos: &mut usize) -> Result<Option<String>, ()> {
    let n = i32::from_be_bytes(b.get(*pos..*pos + 4).ok_or(())?.try_into().map_err(|_| ())?);
    *pos += 4;
    if n < 0 {
        return Ok(None);
    }
    let s = b.get(*pos..*pos + n as usize).ok_or(())?;
    *pos += n as usize;
    Ok(Some(String::from_utf8(s.to_vec()).map_err(|_| ())?))
}

/// Serializes group metadata into a malloc'd buffer (free with rd_kafka_mem_free()).
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_write(
    cgmd: *const rd_kafka_consumer_group_metadata_t,
    bufferp: *mut *mut c_void,
    sizep: *mut size_t,
) -> *mut rd_kafka_error_t {
    let Some(m) = obj::<GroupMetadata>(cgmd) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL metadata"));
    };
    non_null!(bufferp, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL bufferp")));
    non_null!(sizep, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL sizep")));
    let mut out = CGMD_MAGIC.to_vec();
    out.extend_from_slice(&m.generation_id.to_be_bytes());
    put_str(&mut out, Some(&m.group_id));
    put_str(&mut out, Some(&m.member_id));
    put_str(&mut out, m.group_instance_id.as_deref());
    let p = libc::malloc(out.len()) as *mut u8;
    if p.is_null() {
        return error_to_c(KafkaError::new(ErrorCode::_FAIL, "out of memory"));
    }
    std::ptr::copy_nonoverlapping(out.as_ptr(), p, out.len());
    *bufferp = p as *mut c_void;
    *sizep = out.len();
    std::ptr::null_mut()
}

/// Reads group metadata written by rd_kafka_consumer_group_metadata_write().
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_read(
    cgmdp: *mut *mut rd_kafka_consumer_group_metadata_t,
    buffer: *const c_void,
    size: size_t,
) -> *mut rd_kafka_error_t {
    non_null!(cgmdp, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL cgmdp")));
    if buffer.is_null() {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL buffer"));
    }
    let b = std::slice::from_raw_parts(buffer as *const u8, size);
    let bad = || {
        error_to_c(KafkaError::new(
            ErrorCode::_BAD_MSG,
            "Input buffer is not a serialized consumer group metadata object",
        ))
    };
    if b.len() < 8 || &b[..4] != CGMD_MAGIC {
        return bad();
    }
    let gen = i32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    let mut pos = 8;
    let (Ok(Some(gid)), Ok(Some(mid)), Ok(iid)) =
        (get_str(b, &mut pos), get_str(b, &mut pos), get_str(b, &mut pos))
    else {
        return bad();
    };
    *cgmdp = into_c(GroupMetadata::new(gid, gen, mid, iid));
    std::ptr::null_mut()
}
