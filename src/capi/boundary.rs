//! What every C entry point shares. Each is defined with `#[ffi_fn]` (kafkars-macros),
//! which exports it and turns a panic into `report_panic` plus the function's default
//! return value.

use std::any::Any;
use std::io::Write;

/// Reports a panic caught at the C boundary on stderr; `#[ffi_fn]` then returns the
/// function's default. Writing to stderr may fail: that must not panic again.
#[cold]
pub(crate) fn report_panic(function: &str, payload: Box<dyn Any + Send>) {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("");
    let _ =
        writeln!(std::io::stderr(), "kafkars: internal error caught at the C boundary in {function}: {what}");
}

/// Returns (`$ret`) early when `$ptr` is NULL.
macro_rules! non_null {
    ($ptr:expr) => {
        if $ptr.is_null() {
            return;
        }
    };
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

#[cfg(test)]
mod tests {
    use kafkars_macros::ffi_fn;

    #[ffi_fn(default = -7)]
    pub unsafe extern "C" fn kafkars_test_panics(n: i32) -> i32 {
        if n > 0 {
            panic!("on purpose");
        }
        n
    }

    #[ffi_fn]
    pub unsafe extern "C" fn kafkars_test_panics_ptr() -> *const u8 {
        panic!("on purpose")
    }

    #[test]
    fn a_panic_returns_the_default() {
        unsafe {
            assert_eq!(kafkars_test_panics(-1), -1);
            assert_eq!(kafkars_test_panics(1), -7);
            assert!(kafkars_test_panics_ptr().is_null());
        }
    }
}
