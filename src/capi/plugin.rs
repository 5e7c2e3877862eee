//! `plugin.library.paths`: each library is loaded with dlopen() (with ".so" appended
//! when the path has no extension and does not load as given) and its `conf_init()`
//! is called on the configuration object, which is how plugins add their
//! interceptors. Errors read as librdkafka's, followed by " (plugin <path>)".

use super::types::*;
use super::util::cstr;
use libc::{c_char, c_void, size_t};
use std::sync::Arc;

type ConfInitFn =
    unsafe extern "C" fn(*mut rd_kafka_conf_t, *mut *mut c_void, *mut c_char, size_t) -> rd_kafka_resp_err_t;

/// A loaded plugin library: closed when the last configuration using it is gone.
pub(crate) struct Plugin {
    pub path: String,
    handle: usize,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        // SAFETY: opened by dlopen in `open`, closed once.
        unsafe { libc::dlclose(self.handle as *mut c_void) };
    }
}

unsafe fn dl_error() -> String {
    let e = libc::dlerror();
    if e.is_null() {
        "unknown error".into()
    } else {
        cstr(e).unwrap_or("unknown error").to_string()
    }
}

unsafe fn open(path: &str) -> Result<*mut c_void, String> {
    let try_open = |p: &str| {
        let c = std::ffi::CString::new(p).map_err(|_| "dlopen() failed: path contains NUL".to_string())?;
        let h = libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        if h.is_null() {
            Err(format!("dlopen() failed: {}", dl_error()))
        } else {
            Ok(h)
        }
    };
    match try_open(path) {
        Ok(h) => Ok(h),
        Err(e) => {
            let fname = path.rsplit('/').next().unwrap_or(path);
            // As librdkafka: only a name without a (short) extension gets ".so".
            match fname.rfind('.') {
                Some(dot) if dot + ".so".len() >= fname.len() => Err(e),
                _ => try_open(&format!("{path}.so")),
            }
        }
    }
}

/// Loads one plugin and runs its conf_init on `conf`.
unsafe fn load_one(conf: *mut rd_kafka_conf_t, path: &str) -> Result<Arc<Plugin>, String> {
    let handle = open(path)?;
    let sym = libc::dlsym(handle, c"conf_init".as_ptr());
    if sym.is_null() {
        let e = format!("Failed to load symbol \"conf_init\": {}", dl_error());
        libc::dlclose(handle);
        return Err(e);
    }
    let conf_init: ConfInitFn = std::mem::transmute::<*mut c_void, ConfInitFn>(sym);
    let mut opaque: *mut c_void = std::ptr::null_mut();
    let mut errstr = [0 as c_char; 512];
    let err = conf_init(conf, &mut opaque, errstr.as_mut_ptr(), errstr.len());
    if err != 0 {
        libc::dlclose(handle);
        return Err(cstr(errstr.as_ptr()).unwrap_or("").to_string());
    }
    // The plugin's opaque is its own business: librdkafka only keeps it, too.
    let _ = opaque;
    Ok(Arc::new(Plugin { path: path.to_string(), handle: handle as usize }))
}

/// Loads the ';'-separated `paths` for `conf` (a path listed twice loads once). The
/// conf object must not be borrowed meanwhile: conf_init() uses it.
pub(crate) unsafe fn load(conf: *mut rd_kafka_conf_t, paths: &str) -> Result<Vec<Arc<Plugin>>, String> {
    let mut out: Vec<Arc<Plugin>> = Vec::new();
    for path in paths.split(';').filter(|p| !p.is_empty()) {
        if out.iter().any(|p| p.path == path) {
            continue;
        }
        match load_one(conf, path) {
            Ok(p) => out.push(p),
            Err(e) => return Err(format!("{e} (plugin {path})")),
        }
    }
    Ok(out)
}
