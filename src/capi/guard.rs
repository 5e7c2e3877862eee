//! The boundary helper every C entry point uses.

/// Runs `$body` (an expression) catching any panic; on panic returns `$default` after
/// reporting on stderr. A panic never unwinds into C.
macro_rules! guard {
    ($default:expr, $body:expr) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(p) => {
                let what = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                eprintln!("kafkars: internal error caught at the C boundary: {}", what);
                $default
            }
        }
    }};
}

/// Returns `$ret` early when `$ptr` is NULL.
macro_rules! non_null {
    ($ptr:expr, $ret:expr) => {
        if $ptr.is_null() {
            return $ret;
        }
    };
}

/// The first word of every object kafkars hands to C as an opaque handle. A pointer of
/// the wrong handle type (a topic where a client is expected, a conf for a topic conf)
/// is refused with an error instead of being misread; a destroyed client or queue has
/// its tag cleared. (A pointer to unmapped memory still faults, as in librdkafka.)
pub(crate) mod tag {
    pub const CLIENT: u64 = 0x6b61_666b_6172_7301;
    pub const TOPIC: u64 = crate::client::TOPIC_TAG;
    pub const QUEUE: u64 = 0x6b61_666b_6172_7303;
    pub const CONF: u64 = 0x6b61_666b_6172_7304;
    pub const TOPIC_CONF: u64 = 0x6b61_666b_6172_7305;
    pub const DEAD: u64 = 0;

    /// Whether `p` is a live object with this tag.
    ///
    /// # Safety
    /// `p` is NULL or points to at least 8 readable, 8-aligned bytes.
    pub unsafe fn is<T>(p: *const T, want: u64) -> bool {
        !p.is_null() && (p as usize) % 8 == 0 && (p as *const u64).read() == want
    }
}
