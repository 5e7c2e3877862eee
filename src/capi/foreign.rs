//! Application-owned payload buffers referenced without copying (no RD_KAFKA_MSG_F_COPY).

/// A payload the application passed by pointer. With RD_KAFKA_MSG_F_FREE we own it and
/// `free()` it when the message is destroyed; without, the application keeps it alive
/// until the delivery report (librdkafka's contract).
pub struct ForeignBuf {
    ptr: usize,
    len: usize,
    free: bool,
}

impl ForeignBuf {
    /// # Safety
    /// `ptr` must be valid for `len` bytes for the life of the message, and, when `free`,
    /// come from malloc.
    pub unsafe fn new(ptr: *mut libc::c_void, len: usize, free: bool) -> ForeignBuf {
        ForeignBuf { ptr: ptr as usize, len, free }
    }

    pub fn as_slice(&self) -> &[u8] {
        if self.ptr == 0 || self.len == 0 {
            return &[];
        }
        // SAFETY: guaranteed by the contract of `new` (librdkafka's produce contract).
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }

    pub fn addr(&self) -> usize {
        self.ptr
    }

    /// Gives ownership back to the application (a failed produce call must not free).
    pub fn disarm(&mut self) {
        self.free = false;
    }
}

impl Drop for ForeignBuf {
    fn drop(&mut self) {
        if self.free && self.ptr != 0 {
            // SAFETY: RD_KAFKA_MSG_F_FREE hands us a malloc'd buffer.
            unsafe { libc::free(self.ptr as *mut libc::c_void) }
        }
    }
}
