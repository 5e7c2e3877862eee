//! The boundary helper every C entry point uses.

/// Runs `$body` (an expression) catching any panic; on panic returns `$default` after
/// reporting on stderr. A panic never unwinds into C.
macro_rules! guard {
    ($default:expr, $body:expr) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(p) => {
                let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
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
