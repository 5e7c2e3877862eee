//! Application-owned payload buffers referenced without copying (no RD_KAFKA_MSG_F_COPY).

use crate::message::Foreign;
use libc::c_void;

/// A payload the application passed by pointer, read in place. With
/// RD_KAFKA_MSG_F_FREE the message owns it and `free()`s it when dropped; without, the
/// application keeps it alive until the delivery report (librdkafka's contract).
///
/// # Safety
/// `ptr` must be valid for `len` bytes for the life of the message, and, when `free`,
/// come from malloc.
pub(crate) unsafe fn foreign(ptr: *mut c_void, len: usize, free: bool) -> Foreign {
    let bytes: &'static [u8] =
        if ptr.is_null() || len == 0 { &[] } else { std::slice::from_raw_parts(ptr as *const u8, len) };
    Foreign::new(bytes, ptr as usize, free.then_some(free_payload as fn(usize)))
}

/// Frees an RD_KAFKA_MSG_F_FREE payload: only ever the address `foreign` was given.
fn free_payload(addr: usize) {
    // SAFETY: RD_KAFKA_MSG_F_FREE hands us a malloc'd buffer, freed once (Foreign's drop).
    unsafe { libc::free(addr as *mut c_void) }
}
