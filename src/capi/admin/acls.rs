//! ACLs: the AclBinding handle (a binding or a filter) over the domain's binding, and the
//! ACL results.

use super::conv::{c_or_null, destroy_array, empty, items, opt_text, owned_cstring, IntoC};
use super::view::{Arr, OwnedError};
use super::*;
use crate::admin::result::DeleteAclsResponse;
use crate::admin::AclBinding;
use crate::capi::boundary::{destroy, obj, tag};
use crate::capi::util::to_cstring;
use crate::capi::util::write_errstr;
use crate::error::KafkaError;
use kafkars_macros::ffi_fn;
use libc::{c_char, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `rd_kafka_AclBinding_t *` (and `rd_kafka_AclBindingFilter_t *`) points to: the
/// binding, and its strings as C gave them.
#[repr(C)]
pub(crate) struct AclBindingHandle {
    /// tag::ACL_BINDING while alive (must stay the first field).
    tag: u64,
    acl: AclBinding,
    name: Option<CString>,
    principal: Option<CString>,
    host: Option<CString>,
    /// A result binding's error (DeleteAcls); NULL otherwise.
    error: OwnedError,
}

impl AclBindingHandle {
    /// A binding of a result.
    pub(crate) fn answered(acl: &AclBinding) -> AclBindingHandle {
        AclBindingHandle {
            tag: tag::ACL_BINDING,
            name: acl.name().map(to_cstring),
            principal: acl.principal().map(to_cstring),
            host: acl.host().map(to_cstring),
            error: OwnedError::new(&acl.error().cloned()),
            acl: acl.clone(),
        }
    }
}

/// The bindings of an array of AclBinding handles.
pub(super) unsafe fn bindings(arr: *mut *mut rd_kafka_AclBinding_t, cnt: size_t) -> Option<Vec<AclBinding>> {
    items::<AclBindingHandle, _>(arr, cnt, |h| h.acl.clone())
}

/// The binding (or filter) of one handle.
pub(super) unsafe fn binding(p: *mut rd_kafka_AclBinding_t) -> Option<AclBinding> {
    obj::<AclBindingHandle>(p).map(|h| h.acl.clone())
}

/// What `rd_kafka_acl_result_t *` points to: one binding of CreateAcls.
#[repr(C)]
pub(crate) struct AclResultHandle {
    /// tag::ACL_RESULT while alive (must stay the first field).
    tag: u64,
    error: OwnedError,
}

tagged!(AclResultHandle => rd_kafka_acl_result_t, tag::ACL_RESULT);

impl AclResultHandle {
    pub(crate) fn new(e: &Option<KafkaError>) -> AclResultHandle {
        AclResultHandle { tag: tag::ACL_RESULT, error: OwnedError::new(e) }
    }
}

/// What `rd_kafka_DeleteAcls_result_response_t *` points to: one filter of DeleteAcls.
#[repr(C)]
pub(crate) struct DeleteAclsResponseHandle {
    /// tag::DELETE_ACLS_RESPONSE while alive (must stay the first field).
    tag: u64,
    error: OwnedError,
    matching: Arr<AclBindingHandle>,
}

tagged!(DeleteAclsResponseHandle => rd_kafka_DeleteAcls_result_response_t, tag::DELETE_ACLS_RESPONSE);

impl DeleteAclsResponseHandle {
    pub(crate) fn new(r: &DeleteAclsResponse) -> DeleteAclsResponseHandle {
        DeleteAclsResponseHandle {
            tag: tag::DELETE_ACLS_RESPONSE,
            error: OwnedError::new(&r.err),
            matching: Arr::new(r.matching.iter().map(AclBindingHandle::answered)),
        }
    }
}

tagged!(AclBindingHandle => rd_kafka_AclBinding_t, tag::ACL_BINDING);

/// The strings of a binding as C gave them: (name, principal, host).
type AclStrings = (Option<CString>, Option<CString>, Option<CString>);

/// Hands C the binding and the strings it was made from, or fills `errstr` and answers
/// NULL.
unsafe fn acl_into_c(
    acl: Result<AclBinding, KafkaError>,
    (name, principal, host): AclStrings,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBinding_t {
    match acl {
        Ok(acl) => AclBindingHandle {
            tag: tag::ACL_BINDING,
            acl,
            name,
            principal,
            host,
            error: OwnedError::new(&None),
        }
        .into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Creates an ACL binding (for CreateAcls). Name, principal and host are required and no
/// field may be UNKNOWN/ANY/MATCH; NULL with `errstr` filled otherwise.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_new(
    restype: rd_kafka_ResourceType_t,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_t,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_t,
    permission_type: rd_kafka_AclPermissionType_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBinding_t {
    let s: AclStrings = (owned_cstring(name), owned_cstring(principal), owned_cstring(host));
    let acl = AclBinding::binding(
        restype,
        opt_text(&s.0),
        resource_pattern_type,
        opt_text(&s.1),
        opt_text(&s.2),
        operation,
        permission_type,
    );
    acl_into_c(acl, s, errstr, errstr_size)
}

/// Creates an ACL binding filter (for DescribeAcls/DeleteAcls): NULL strings and ANY/MATCH
/// match everything. NULL with `errstr` filled if a field is UNKNOWN or out of range.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBindingFilter_new(
    restype: rd_kafka_ResourceType_t,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_t,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_t,
    permission_type: rd_kafka_AclPermissionType_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBindingFilter_t {
    let s: AclStrings = (owned_cstring(name), owned_cstring(principal), owned_cstring(host));
    let acl = AclBinding::filter(
        restype,
        opt_text(&s.0),
        resource_pattern_type,
        opt_text(&s.1),
        opt_text(&s.2),
        operation,
        permission_type,
    );
    acl_into_c(acl, s, errstr, errstr_size)
}

/// The binding's resource type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_restype(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourceType_t {
    obj::<AclBindingHandle>(acl).map_or(0, |a| a.acl.restype() as rd_kafka_ResourceType_t)
}

/// The binding's resource name (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_name(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBindingHandle>(acl).map_or(null(), |a| c_or_null(&a.name))
}

/// The binding's principal (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_principal(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBindingHandle>(acl).map_or(null(), |a| c_or_null(&a.principal))
}

/// The binding's host (owned by it), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_host(acl: *const rd_kafka_AclBinding_t) -> *const c_char {
    obj::<AclBindingHandle>(acl).map_or(null(), |a| c_or_null(&a.host))
}

/// The binding's operation; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_operation(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclOperation_t {
    obj::<AclBindingHandle>(acl).map_or(0, |a| a.acl.operation() as rd_kafka_AclOperation_t)
}

/// The binding's permission type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_permission_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclPermissionType_t {
    obj::<AclBindingHandle>(acl).map_or(0, |a| a.acl.permission() as rd_kafka_AclPermissionType_t)
}

/// The binding's resource pattern type; UNKNOWN for NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_AclBinding_resource_pattern_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourcePatternType_t {
    obj::<AclBindingHandle>(acl).map_or(0, |a| a.acl.pattern() as rd_kafka_ResourcePatternType_t)
}

/// The binding's error in a DescribeAcls result (application-made bindings have none: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_error(
    acl: *const rd_kafka_AclBinding_t,
) -> *const rd_kafka_error_t {
    obj::<AclBindingHandle>(acl).map_or(null(), |a| a.error.get())
}

/// Destroys an ACL binding or filter (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy(acl_binding: *mut rd_kafka_AclBinding_t) {
    destroy::<AclBindingHandle>(acl_binding)
}

/// Destroys each ACL binding of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy_array(
    acl_bindings: *mut *mut rd_kafka_AclBinding_t,
    acl_bindings_cnt: size_t,
) {
    destroy_array::<AclBindingHandle>(acl_bindings, acl_bindings_cnt)
}

/// An ACL result's error (NULL when the binding was created).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_acl_result_error(
    aclres: *const rd_kafka_acl_result_t,
) -> *const rd_kafka_error_t {
    obj::<AclResultHandle>(aclres).map_or(null(), |a| a.error.get())
}

/// A DeleteAcls response's error (NULL when the filter's deletion succeeded).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_error(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
) -> *const rd_kafka_error_t {
    obj::<DeleteAclsResponseHandle>(result_response).map_or(null(), |r| r.error.get())
}

/// The bindings a DeleteAcls filter matched (NULL, count 0, when none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_matching_acls(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    match obj::<DeleteAclsResponseHandle>(result_response) {
        Some(r) => r.matching.out(cntp),
        None => empty(cntp),
    }
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::*;

    #[test]
    fn acl_bindings_and_filters() {
        unsafe {
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            let (n, p, h) = (c"t".as_ptr(), c"User:a".as_ptr(), c"*".as_ptr());
            let a = rd_kafka_AclBinding_new(2, n, 3, p, h, 3, 3, ep, el);
            assert!(!a.is_null());
            assert_eq!(
                (rd_kafka_AclBinding_restype(a), rd_kafka_AclBinding_resource_pattern_type(a)),
                (2, 3)
            );
            assert_eq!((rd_kafka_AclBinding_operation(a), rd_kafka_AclBinding_permission_type(a)), (3, 3));
            assert_eq!(
                (
                    s(rd_kafka_AclBinding_name(a)),
                    s(rd_kafka_AclBinding_principal(a)),
                    s(rd_kafka_AclBinding_host(a))
                ),
                ("t".into(), "User:a".into(), "*".into())
            );
            assert!(rd_kafka_AclBinding_error(a).is_null());
            // A binding may not use ANY / MATCH; a filter may, and may leave strings NULL.
            assert!(rd_kafka_AclBinding_new(1, n, 3, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, n, 2, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, null(), 3, p, h, 3, 3, ep, el).is_null());
            assert!(rd_kafka_AclBinding_new(2, n, 3, p, h, 13, 3, ep, el).is_null());
            let f = rd_kafka_AclBindingFilter_new(1, null(), 1, null(), null(), 1, 1, ep, el);
            assert!(!f.is_null());
            assert!(rd_kafka_AclBinding_name(f).is_null());
            assert!(rd_kafka_AclBindingFilter_new(0, null(), 1, null(), null(), 1, 1, ep, el).is_null());
            assert!(s(ep).contains("resource type"));
            let mut arr = [a, f];
            rd_kafka_AclBinding_destroy_array(arr.as_mut_ptr(), 2);
            assert_eq!(rd_kafka_AclBinding_restype(null()), 0);
        }
    }
}
