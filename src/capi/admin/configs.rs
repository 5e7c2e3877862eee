//! Configs: the ConfigResource handle over the domain's resource, and the ConfigEntry
//! handles C reads its entries through.

use super::conv::{c_or_null, destroy_array, empty, items, owned_cstring, text, IntoC};
use super::view::{cstr, err_parts, opt_cstr, ptr_of, Arr};
use super::*;
use crate::admin::result::{ConfigEntryInfo, ConfigResourceResult};
use crate::admin::ConfigResource;
use crate::capi::boundary::{destroy, handle_of, obj, obj_mut, tag};
use crate::capi::error::{error_to_c, result_to_c};
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `rd_kafka_ConfigEntry_t *` points to: one entry of a resource as C reads it (the
/// name and value as C gave them).
#[repr(C)]
pub(crate) struct ConfigEntryHandle {
    /// tag::CONFIG_ENTRY while alive (must stay the first field).
    tag: u64,
    name: CString,
    value: Option<CString>,
    /// What a described entry tells besides (default for entries C made).
    info: EntryInfo,
}

/// A described entry's source, flags and synonyms.
#[derive(Default)]
struct EntryInfo {
    source: i32,
    read_only: bool,
    is_default: bool,
    sensitive: bool,
    synonym: bool,
    synonyms: Option<Arr<ConfigEntryHandle>>,
}

impl ConfigEntryHandle {
    fn described(e: &ConfigEntryInfo) -> ConfigEntryHandle {
        ConfigEntryHandle {
            tag: tag::CONFIG_ENTRY,
            name: cstr(&e.name),
            value: opt_cstr(&e.value),
            info: EntryInfo {
                source: e.source,
                read_only: e.read_only,
                is_default: e.is_default,
                sensitive: e.sensitive,
                synonym: e.synonym,
                synonyms: Some(Arr::new(e.synonyms.iter().map(ConfigEntryHandle::described))),
            },
        }
    }
}

tagged!(ConfigEntryHandle => rd_kafka_ConfigEntry_t, tag::CONFIG_ENTRY);

/// What `rd_kafka_ConfigResource_t *` points to: the resource, its name as C gave it, and
/// its entries as C reads them. `ptrs` is the array rd_kafka_ConfigResource_configs() hands
/// out, kept in step with `entries`, which are in step with the resource's.
#[repr(C)]
pub(crate) struct ConfigResourceHandle {
    /// tag::CONFIG_RESOURCE while alive (must stay the first field).
    tag: u64,
    resource: ConfigResource,
    name: CString,
    /// A result's error (0 and None in requests).
    err: rd_kafka_resp_err_t,
    errstr: Option<CString>,
    // Boxed: `ptrs` points at the entries, which must not move as the Vec grows.
    #[allow(clippy::vec_box)]
    entries: Vec<Box<ConfigEntryHandle>>,
    ptrs: Vec<*const rd_kafka_ConfigEntry_t>,
}

tagged!(ConfigResourceHandle => rd_kafka_ConfigResource_t, tag::CONFIG_RESOURCE);

impl ConfigResourceHandle {
    /// Adds the C side of the entry the resource just took.
    fn add(&mut self, name: CString, value: Option<CString>) {
        let b =
            Box::new(ConfigEntryHandle { tag: tag::CONFIG_ENTRY, name, value, info: EntryInfo::default() });
        self.ptrs.push(handle_of(&*b));
        self.entries.push(b);
    }
}

impl ConfigResourceHandle {
    /// A resource of a result.
    pub(crate) fn described(r: &ConfigResourceResult) -> ConfigResourceHandle {
        let (err, errstr) = err_parts(&r.err);
        let entries: Vec<Box<ConfigEntryHandle>> =
            r.entries.iter().map(|e| Box::new(ConfigEntryHandle::described(e))).collect();
        ConfigResourceHandle {
            tag: tag::CONFIG_RESOURCE,
            resource: ConfigResource::answered(r.restype, r.name.clone()),
            name: cstr(&r.name),
            err,
            errstr,
            ptrs: entries.iter().map(|b| handle_of(&**b)).collect(),
            entries,
        }
    }
}

/// The resources of an array of ConfigResource handles.
pub(super) unsafe fn resources(
    arr: *mut *mut rd_kafka_ConfigResource_t,
    cnt: size_t,
) -> Option<Vec<ConfigResource>> {
    items::<ConfigResourceHandle, _>(arr, cnt, |h| h.resource.clone())
}

/// Creates a resource (RD_KAFKA_RESOURCE_*, name) whose configs to alter or describe. NULL
/// if the name is NULL or empty or the type negative.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_new(
    restype: rd_kafka_ResourceType_t,
    resname: *const c_char,
) -> *mut rd_kafka_ConfigResource_t {
    let Some(name) = owned_cstring(resname) else { return null_mut() };
    match ConfigResource::new(restype, text(&name)) {
        Some(resource) => ConfigResourceHandle {
            tag: tag::CONFIG_RESOURCE,
            resource,
            name,
            err: 0,
            errstr: None,
            entries: Vec::new(),
            ptrs: Vec::new(),
        }
        .into_c(),
        None => null_mut(),
    }
}

/// Destroys a ConfigResource (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy(config: *mut rd_kafka_ConfigResource_t) {
    destroy::<ConfigResourceHandle>(config)
}

/// Destroys each ConfigResource of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy_array(
    config: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
) {
    destroy_array::<ConfigResourceHandle>(config, config_cnt)
}

/// Adds a config to set (AlterConfigs). _INVALID_ARG if `name` is NULL/empty or `value` NULL.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_set_config(
    config: *mut rd_kafka_ConfigResource_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    let (Some(c), Some(name), Some(value)) =
        (obj_mut::<ConfigResourceHandle>(config), owned_cstring(name), owned_cstring(value))
    else {
        return ErrorCode::_INVALID_ARG.0;
    };
    match c.resource.set_config(text(&name), text(&value)) {
        Ok(()) => {
            c.add(name, Some(value));
            0
        }
        Err(e) => e.code.0,
    }
}

/// Adds an incremental config change (RD_KAFKA_ALTER_CONFIG_OP_TYPE_*; `value` may be NULL
/// only for DELETE). Returns NULL or an _INVALID_ARG error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_ConfigResource_add_incremental_config(
    config: *mut rd_kafka_ConfigResource_t,
    name: *const c_char,
    op_type: rd_kafka_AlterConfigOpType_t,
    value: *const c_char,
) -> *mut rd_kafka_error_t {
    let Some(c) = obj_mut::<ConfigResourceHandle>(config) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "config must not be NULL"));
    };
    let (name, value) = (owned_cstring(name), owned_cstring(value));
    let r = c.resource.add_incremental_config(name.as_deref().map(text), op_type, value.as_deref().map(text));
    if let (Ok(()), Some(name)) = (&r, name) {
        c.add(name, value);
    }
    result_to_c(r)
}

/// The configs of a resource (owned by it); NULL and a count of 0 when it has none.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_configs(
    config: *const rd_kafka_ConfigResource_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    match obj::<ConfigResourceHandle>(config) {
        Some(c) if !c.ptrs.is_empty() => {
            if !cntp.is_null() {
                *cntp = c.ptrs.len();
            }
            c.ptrs.as_ptr() as *mut *const rd_kafka_ConfigEntry_t
        }
        _ => empty(cntp),
    }
}

/// The resource type (RD_KAFKA_RESOURCE_*); UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_type(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_ResourceType_t {
    obj::<ConfigResourceHandle>(config).map_or(0, |c| c.resource.restype())
}

/// The resource name (owned by the resource).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_name(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    obj::<ConfigResourceHandle>(config).map_or(null(), |c| c.name.as_ptr())
}

/// The resource's error in a result (requests carry none: NO_ERROR).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_resp_err_t {
    obj::<ConfigResourceHandle>(config).map_or(0, |c| c.err)
}

/// The resource's error string in a result (NULL when there is no error).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error_string(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    obj::<ConfigResourceHandle>(config).map_or(null(), |c| ptr_of(&c.errstr))
}

/// A config entry's name (owned by the entry).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_name(entry: *const rd_kafka_ConfigEntry_t) -> *const c_char {
    obj::<ConfigEntryHandle>(entry).map_or(null(), |e| e.name.as_ptr())
}

/// A config entry's value, or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_value(entry: *const rd_kafka_ConfigEntry_t) -> *const c_char {
    obj::<ConfigEntryHandle>(entry).map_or(null(), |e| c_or_null(&e.value))
}

/// A config entry's source; entries made by the application are UNKNOWN_CONFIG.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_source(
    entry: *const rd_kafka_ConfigEntry_t,
) -> rd_kafka_ConfigSource_t {
    obj::<ConfigEntryHandle>(entry).map_or(0, |e| e.info.source)
}

/// Whether a described config is read-only (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_read_only(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    obj::<ConfigEntryHandle>(entry).map_or(0, |e| e.info.read_only as c_int)
}

/// Whether a described config has its default value (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_default(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    obj::<ConfigEntryHandle>(entry).map_or(0, |e| e.info.is_default as c_int)
}

/// Whether a described config is sensitive (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_sensitive(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    obj::<ConfigEntryHandle>(entry).map_or(0, |e| e.info.sensitive as c_int)
}

/// Whether a config entry is a synonym (0 for application-made entries).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_synonym(entry: *const rd_kafka_ConfigEntry_t) -> c_int {
    obj::<ConfigEntryHandle>(entry).map_or(0, |e| e.info.synonym as c_int)
}

/// A described config's synonyms (none for application-made entries: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_synonyms(
    entry: *const rd_kafka_ConfigEntry_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    match obj::<ConfigEntryHandle>(entry).and_then(|e| e.info.synonyms.as_ref()) {
        Some(a) => a.out(cntp),
        None => empty(cntp),
    }
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::s;
    use super::*;
    use crate::admin::configs::AlterConfigOpType;
    use crate::capi::error::{rd_kafka_error_code, rd_kafka_error_destroy};

    const ALTER_CONFIG_OP_DELETE: c_int = 1;

    #[test]
    fn config_resources_keep_their_entries() {
        unsafe {
            assert!(rd_kafka_ConfigResource_new(2, c"".as_ptr()).is_null());
            assert!(rd_kafka_ConfigResource_new(2, null()).is_null());
            assert!(rd_kafka_ConfigResource_new(-1, c"t".as_ptr()).is_null());
            let c = rd_kafka_ConfigResource_new(2, c"t".as_ptr());
            assert_eq!(rd_kafka_ConfigResource_type(c), 2);
            assert_eq!(s(rd_kafka_ConfigResource_name(c)), "t");
            let mut cnt = 9;
            assert!(rd_kafka_ConfigResource_configs(c, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            assert_eq!(
                rd_kafka_ConfigResource_set_config(c, c"a".as_ptr(), null()),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(
                rd_kafka_ConfigResource_set_config(c, c"".as_ptr(), c"1".as_ptr()),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_ConfigResource_set_config(c, c"a".as_ptr(), c"1".as_ptr()), 0);
            assert!(rd_kafka_ConfigResource_add_incremental_config(
                c,
                c"b".as_ptr(),
                ALTER_CONFIG_OP_DELETE,
                null()
            )
            .is_null());
            for (name, op, value) in [
                (c"x".as_ptr(), 0, null()),
                (c"".as_ptr(), 0, c"1".as_ptr()),
                (c"x".as_ptr(), 4, c"1".as_ptr()),
            ] {
                let err = rd_kafka_ConfigResource_add_incremental_config(c, name, op, value);
                assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
                rd_kafka_error_destroy(err);
            }
            let entries = rd_kafka_ConfigResource_configs(c, &mut cnt);
            assert_eq!(cnt, 2);
            // The resource's own entries are in step with what C reads.
            let ops: Vec<_> =
                obj::<ConfigResourceHandle>(c).unwrap().resource.entries().iter().map(|e| e.op).collect();
            assert_eq!(ops, [AlterConfigOpType::Set, AlterConfigOpType::Delete]);
            let (a, b) = (*entries, *entries.add(1));
            assert_eq!(
                (s(rd_kafka_ConfigEntry_name(a)), s(rd_kafka_ConfigEntry_value(a))),
                ("a".into(), "1".into())
            );
            assert_eq!(s(rd_kafka_ConfigEntry_name(b)), "b");
            assert!(rd_kafka_ConfigEntry_value(b).is_null());
            assert_eq!(rd_kafka_ConfigEntry_source(a), 0);
            assert!(rd_kafka_ConfigEntry_synonyms(a, &mut cnt).is_null());
            assert_eq!(cnt, 0);
            assert_eq!(rd_kafka_ConfigResource_error(c), 0);
            assert!(rd_kafka_ConfigResource_error_string(c).is_null());
            rd_kafka_ConfigResource_destroy(c);
            assert!(rd_kafka_ConfigResource_name(null()).is_null());
            assert!(rd_kafka_ConfigEntry_name(null()).is_null());
        }
    }
}
