//! SCRAM credentials: the alteration handle over the domain's upsertion or deletion, and
//! the SCRAM descriptions and responses of results.

use super::conv::{destroy_array, items, owned_string, IntoC};
use super::view::{cstr, Arr, OwnedError};
use super::*;
use crate::admin::result::{ScramCredentialInfo, UserScramAlterResult, UserScramDescription};
use crate::admin::UserScramCredentialAlteration;
use crate::capi::boundary::obj;
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_uchar, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `rd_kafka_UserScramCredentialAlteration_t *` points to.
#[repr(C)]
struct UserScramCredentialAlterationHandle {
    /// tag::SCRAM_ALTERATION while alive (must stay the first field).
    tag: u64,
    alteration: UserScramCredentialAlteration,
}

tagged!(UserScramCredentialAlterationHandle => rd_kafka_UserScramCredentialAlteration_t, tag::SCRAM_ALTERATION);

/// A copy of the `n` bytes at `p` (none for NULL).
unsafe fn bytes(p: *const c_uchar, n: size_t) -> Vec<u8> {
    if p.is_null() || n == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(p, n).to_vec()
    }
}

/// Creates a SCRAM credential upsertion (password and salt copied; an empty salt is
/// replaced by 64 random bytes). NULL if `username` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialUpsertion_new(
    username: *const c_char,
    mechanism: rd_kafka_ScramMechanism_t,
    iterations: i32,
    password: *const c_uchar,
    password_size: size_t,
    salt: *const c_uchar,
    salt_size: size_t,
) -> *mut rd_kafka_UserScramCredentialAlteration_t {
    let Some(user) = owned_string(username) else { return null_mut() };
    let alteration = UserScramCredentialAlteration::upsertion(
        user,
        mechanism,
        iterations,
        bytes(password, password_size),
        bytes(salt, salt_size),
    );
    UserScramCredentialAlterationHandle { tag: tag::SCRAM_ALTERATION, alteration }.into_c()
}

/// Creates a SCRAM credential deletion. NULL if `username` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialDeletion_new(
    username: *const c_char,
    mechanism: rd_kafka_ScramMechanism_t,
) -> *mut rd_kafka_UserScramCredentialAlteration_t {
    owned_string(username).map_or(null_mut(), |user| {
        let alteration = UserScramCredentialAlteration::deletion(user, mechanism);
        UserScramCredentialAlterationHandle { tag: tag::SCRAM_ALTERATION, alteration }.into_c()
    })
}

/// Destroys a SCRAM credential alteration (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialAlteration_destroy(
    alteration: *mut rd_kafka_UserScramCredentialAlteration_t,
) {
    destroy::<UserScramCredentialAlterationHandle>(alteration)
}

/// Destroys each SCRAM credential alteration of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialAlteration_destroy_array(
    alterations: *mut *mut rd_kafka_UserScramCredentialAlteration_t,
    alteration_cnt: size_t,
) {
    destroy_array::<UserScramCredentialAlterationHandle>(alterations, alteration_cnt)
}

/// The alterations of an array of alteration handles.
pub(super) unsafe fn alterations(
    arr: *mut *mut rd_kafka_UserScramCredentialAlteration_t,
    cnt: size_t,
) -> Option<Vec<UserScramCredentialAlteration>> {
    items::<UserScramCredentialAlterationHandle, _>(arr, cnt, |h| h.alteration.clone())
}

/// What `rd_kafka_ScramCredentialInfo_t *` points to.
#[repr(C)]
pub(crate) struct ScramInfoHandle {
    /// tag::SCRAM_INFO while alive (must stay the first field).
    tag: u64,
    info: ScramCredentialInfo,
}

tagged!(ScramInfoHandle => rd_kafka_ScramCredentialInfo_t, tag::SCRAM_INFO);

/// What `rd_kafka_UserScramCredentialsDescription_t *` points to.
#[repr(C)]
pub(crate) struct ScramDescriptionHandle {
    /// tag::SCRAM_DESCRIPTION while alive (must stay the first field).
    tag: u64,
    user: CString,
    error: OwnedError,
    infos: Arr<ScramInfoHandle>,
}

tagged!(ScramDescriptionHandle => rd_kafka_UserScramCredentialsDescription_t, tag::SCRAM_DESCRIPTION);

impl ScramDescriptionHandle {
    pub(crate) fn new(d: &UserScramDescription) -> ScramDescriptionHandle {
        ScramDescriptionHandle {
            tag: tag::SCRAM_DESCRIPTION,
            user: cstr(&d.user),
            error: OwnedError::exact(&d.err, &d.err_text),
            infos: Arr::new(d.credentials.iter().map(|&info| ScramInfoHandle { tag: tag::SCRAM_INFO, info })),
        }
    }
}

/// What `rd_kafka_AlterUserScramCredentials_result_response_t *` points to.
#[repr(C)]
pub(crate) struct ScramAlterResponseHandle {
    /// tag::SCRAM_ALTER_RESPONSE while alive (must stay the first field).
    tag: u64,
    user: CString,
    error: OwnedError,
}

tagged!(ScramAlterResponseHandle => rd_kafka_AlterUserScramCredentials_result_response_t, tag::SCRAM_ALTER_RESPONSE);

impl ScramAlterResponseHandle {
    pub(crate) fn new(r: &UserScramAlterResult) -> ScramAlterResponseHandle {
        ScramAlterResponseHandle {
            tag: tag::SCRAM_ALTER_RESPONSE,
            user: cstr(&r.user),
            error: OwnedError::exact(&r.err, &r.err_text),
        }
    }
}

/// The credential's mechanism (RD_KAFKA_SCRAM_MECHANISM_*).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_mechanism(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> rd_kafka_ScramMechanism_t {
    obj::<ScramInfoHandle>(scram_credential_info).map_or(0, |i| i.info.mechanism)
}

/// The credential's iteration count.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_iterations(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> i32 {
    obj::<ScramInfoHandle>(scram_credential_info).map_or(0, |i| i.info.iterations)
}

/// The described user.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_user(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const c_char {
    obj::<ScramDescriptionHandle>(description).map_or(null(), |d| d.user.as_ptr())
}

/// The user's error: never NULL in a result, as librdkafka's (code 0 on success).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_error(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const rd_kafka_error_t {
    obj::<ScramDescriptionHandle>(description).map_or(null(), |d| d.error.get())
}

/// The number of the user's credentials.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> size_t {
    obj::<ScramDescriptionHandle>(description).map_or(0, |d| d.infos.len())
}

/// The user's credential `idx` (NULL when out of range).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
    idx: size_t,
) -> *const rd_kafka_ScramCredentialInfo_t {
    obj::<ScramDescriptionHandle>(description).map_or(null(), |d| d.infos.get(idx))
}

/// The altered user.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_user(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const c_char {
    obj::<ScramAlterResponseHandle>(response).map_or(null(), |r| r.user.as_ptr())
}

/// The user's outcome: never NULL in a result (code 0 on success).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_error(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const rd_kafka_error_t {
    obj::<ScramAlterResponseHandle>(response).map_or(null(), |r| r.error.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsertions_copy_their_secrets() {
        unsafe {
            let pw = b"secret";
            let up = rd_kafka_UserScramCredentialUpsertion_new(
                c"u".as_ptr(),
                1,
                4096,
                pw.as_ptr(),
                pw.len(),
                null(),
                0,
            );
            let upsert =
                obj::<UserScramCredentialAlterationHandle>(up).and_then(|u| u.alteration.upsert.clone());
            assert_eq!(
                upsert.map(|u| (u.iterations, u.password, u.salt.len())),
                Some((4096, pw.to_vec(), 64))
            );
            assert!(
                rd_kafka_UserScramCredentialUpsertion_new(null(), 1, 1, pw.as_ptr(), 1, null(), 0).is_null()
            );
            let del = rd_kafka_UserScramCredentialDeletion_new(c"u".as_ptr(), 2);
            assert_eq!(
                obj::<UserScramCredentialAlterationHandle>(del)
                    .map(|u| (u.alteration.mechanism, u.alteration.upsert.is_none())),
                Some((2, true))
            );
            let mut arr = [up, del];
            rd_kafka_UserScramCredentialAlteration_destroy_array(arr.as_mut_ptr(), 2);
        }
    }
}
