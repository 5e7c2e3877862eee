//! SCRAM credentials: the alteration handle over the domain's upsertion or deletion, and
//! the SCRAM descriptions and responses of results.

use super::conv::{destroy_array, owned_string, IntoC};
use super::*;
use crate::admin::UserScramCredentialAlteration;
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_uchar, size_t};
use std::ptr::{null, null_mut};

/// What `rd_kafka_UserScramCredentialAlteration_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
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

// SCRAM descriptions and responses are not created yet: their accessors answer the empty
// value of their type without touching the pointer.

/// A SCRAM credential's mechanism (no descriptions exist yet: UNKNOWN).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_mechanism(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> rd_kafka_ScramMechanism_t {
    let _ = scram_credential_info;
    0
}

/// A SCRAM credential's iteration count (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_ScramCredentialInfo_iterations(
    scram_credential_info: *const rd_kafka_ScramCredentialInfo_t,
) -> i32 {
    let _ = scram_credential_info;
    0
}

/// A SCRAM description's user (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_user(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const c_char {
    let _ = description;
    null()
}

/// A SCRAM description's error (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_error(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> *const rd_kafka_error_t {
    let _ = description;
    null()
}

/// A SCRAM description's credential count (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
) -> size_t {
    let _ = description;
    0
}

/// A SCRAM description's credential `idx` (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(
    description: *const rd_kafka_UserScramCredentialsDescription_t,
    idx: size_t,
) -> *const rd_kafka_ScramCredentialInfo_t {
    let _ = (description, idx);
    null()
}

/// An AlterUserScramCredentials response's user (no responses exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_user(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const c_char {
    let _ = response;
    null()
}

/// An AlterUserScramCredentials response's error (no responses exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AlterUserScramCredentials_result_response_error(
    response: *const rd_kafka_AlterUserScramCredentials_result_response_t,
) -> *const rd_kafka_error_t {
    let _ = response;
    null()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::boundary::obj;

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
