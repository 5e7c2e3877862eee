//! MIT Kerberos' GSS-API library (libgssapi_krb5.so.2), loaded with dlopen when a
//! client uses SASL GSSAPI, behind the core's `GssApi` trait: no build-time
//! dependency, and kafkars runs where the library is missing unless GSSAPI is asked.

use libc::{c_int, c_void, size_t};
use std::sync::{Arc, OnceLock};

use crate::security::gssapi::{GssApi, GssContext};

type Om = u32;

#[repr(C)]
struct Buffer {
    length: size_t,
    value: *mut c_void,
}

impl Buffer {
    fn empty() -> Buffer {
        Buffer { length: 0, value: std::ptr::null_mut() }
    }
    fn of(b: &[u8]) -> Buffer {
        Buffer { length: b.len(), value: b.as_ptr() as *mut c_void }
    }
}

const GSS_C_MUTUAL_FLAG: Om = 2;
const GSS_C_SEQUENCE_FLAG: Om = 8;
const GSS_C_GSS_CODE: c_int = 1;
const GSS_C_MECH_CODE: c_int = 2;
const GSS_S_CONTINUE_NEEDED: Om = 1;

type ImportName = unsafe extern "C" fn(*mut Om, *mut Buffer, *const c_void, *mut *mut c_void) -> Om;
type InitSecContext = unsafe extern "C" fn(
    *mut Om,
    *mut c_void,
    *mut *mut c_void,
    *mut c_void,
    *const c_void,
    Om,
    Om,
    *mut c_void,
    *mut Buffer,
    *mut *const c_void,
    *mut Buffer,
    *mut Om,
    *mut Om,
) -> Om;
type Wrap = unsafe extern "C" fn(*mut Om, *mut c_void, c_int, Om, *mut Buffer, *mut c_int, *mut Buffer) -> Om;
type Unwrap = unsafe extern "C" fn(*mut Om, *mut c_void, *mut Buffer, *mut Buffer, *mut c_int, *mut Om) -> Om;
type ReleaseBuffer = unsafe extern "C" fn(*mut Om, *mut Buffer) -> Om;
type ReleaseName = unsafe extern "C" fn(*mut Om, *mut *mut c_void) -> Om;
type DeleteContext = unsafe extern "C" fn(*mut Om, *mut *mut c_void, *mut Buffer) -> Om;
type DisplayStatus = unsafe extern "C" fn(*mut Om, Om, c_int, *const c_void, *mut Om, *mut Buffer) -> Om;

/// The library's functions (the library stays loaded for the process' life).
struct Lib {
    import_name: ImportName,
    init_sec_context: InitSecContext,
    wrap: Wrap,
    unwrap: Unwrap,
    release_buffer: ReleaseBuffer,
    release_name: ReleaseName,
    delete_context: DeleteContext,
    display_status: DisplayStatus,
    /// GSS_C_NT_HOSTBASED_SERVICE.
    hostbased: *const c_void,
}

// SAFETY: function pointers and a pointer to a static OID of the loaded library.
unsafe impl Send for Lib {}
unsafe impl Sync for Lib {}

/// The loaded library, or None when libgssapi_krb5.so.2 is not installed.
pub(crate) fn load() -> Option<Arc<dyn GssApi>> {
    static LIB: OnceLock<Option<Arc<Lib>>> = OnceLock::new();
    LIB.get_or_init(|| unsafe { open() }).clone().map(|l| Arc::new(Mit(l)) as Arc<dyn GssApi>)
}

unsafe fn open() -> Option<Arc<Lib>> {
    let h = libc::dlopen(c"libgssapi_krb5.so.2".as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
    if h.is_null() {
        return None;
    }
    let sym = |name: &std::ffi::CStr| {
        let p = libc::dlsym(h, name.as_ptr());
        (!p.is_null()).then_some(p)
    };
    let hostbased_var = sym(c"GSS_C_NT_HOSTBASED_SERVICE")? as *const *const c_void;
    Some(Arc::new(Lib {
        import_name: std::mem::transmute::<*mut c_void, ImportName>(sym(c"gss_import_name")?),
        init_sec_context: std::mem::transmute::<*mut c_void, InitSecContext>(sym(c"gss_init_sec_context")?),
        wrap: std::mem::transmute::<*mut c_void, Wrap>(sym(c"gss_wrap")?),
        unwrap: std::mem::transmute::<*mut c_void, Unwrap>(sym(c"gss_unwrap")?),
        release_buffer: std::mem::transmute::<*mut c_void, ReleaseBuffer>(sym(c"gss_release_buffer")?),
        release_name: std::mem::transmute::<*mut c_void, ReleaseName>(sym(c"gss_release_name")?),
        delete_context: std::mem::transmute::<*mut c_void, DeleteContext>(sym(c"gss_delete_sec_context")?),
        display_status: std::mem::transmute::<*mut c_void, DisplayStatus>(sym(c"gss_display_status")?),
        hostbased: *hostbased_var,
    }))
}

impl Lib {
    /// The library's texts for a major/minor status pair, laid out as Cyrus SASL's
    /// GSSAPI plugin (librdkafka's GSSAPI) prints them: "GSSAPI Error: major (minor)".
    fn status_text(&self, major: Om, minor: Om) -> String {
        let (maj, min) = (self.display(major, GSS_C_GSS_CODE), self.display(minor, GSS_C_MECH_CODE));
        if min.is_empty() {
            format!("GSSAPI Error: {maj}")
        } else {
            format!("GSSAPI Error: {maj} ({min})")
        }
    }

    fn display(&self, code: Om, kind: c_int) -> String {
        let mut parts = Vec::new();
        {
            if code == 0 {
                return String::new();
            }
            let mut ctx: Om = 0;
            loop {
                let (mut min, mut buf) = (0, Buffer::empty());
                // SAFETY: out-parameters owned here; the buffer is released below.
                let r = unsafe {
                    (self.display_status)(&mut min, code, kind, std::ptr::null(), &mut ctx, &mut buf)
                };
                if r != 0 {
                    break;
                }
                parts.push(unsafe { take(self, &mut buf) });
                if ctx == 0 {
                    break;
                }
            }
        }
        let text: Vec<String> = parts.into_iter().map(|p| String::from_utf8_lossy(&p).into_owned()).collect();
        text.join(" ")
    }
}

/// Copies and releases a buffer the library allocated.
unsafe fn take(lib: &Lib, buf: &mut Buffer) -> Vec<u8> {
    let v = if buf.value.is_null() || buf.length == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(buf.value as *const u8, buf.length).to_vec()
    };
    let mut min = 0;
    (lib.release_buffer)(&mut min, buf);
    v
}

struct Mit(Arc<Lib>);

impl GssApi for Mit {
    fn context(&self, service: &str, host: &str) -> Result<Box<dyn GssContext>, String> {
        let lib = self.0.clone();
        let spn = format!("{service}@{host}");
        let mut buf = Buffer::of(spn.as_bytes());
        let (mut min, mut name) = (0, std::ptr::null_mut());
        // SAFETY: the name buffer outlives the call; `name` is released by the context.
        let maj = unsafe { (lib.import_name)(&mut min, &mut buf, lib.hostbased, &mut name) };
        if maj != 0 {
            return Err(lib.status_text(maj, min));
        }
        Ok(Box::new(Context { lib, name, ctx: std::ptr::null_mut() }))
    }
}

struct Context {
    lib: Arc<Lib>,
    name: *mut c_void,
    ctx: *mut c_void,
}

// SAFETY: a GSS-API context is used by one broker thread at a time.
unsafe impl Send for Context {}

impl GssContext for Context {
    fn step(&mut self, input: &[u8]) -> Result<(Vec<u8>, bool), String> {
        let lib = &self.lib;
        let mut inb = Buffer::of(input);
        let (mut min, mut out, mut flags, mut time) = (0, Buffer::empty(), 0, 0);
        // SAFETY: handles owned by this context; buffers outlive the call.
        let maj = unsafe {
            (lib.init_sec_context)(
                &mut min,
                std::ptr::null_mut(),
                &mut self.ctx,
                self.name,
                std::ptr::null(),
                GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG,
                0,
                std::ptr::null_mut(),
                if input.is_empty() { std::ptr::null_mut() } else { &mut inb },
                std::ptr::null_mut(),
                &mut out,
                &mut flags,
                &mut time,
            )
        };
        let token = unsafe { take(lib, &mut out) };
        if maj & 0xffff_0000 != 0 {
            return Err(lib.status_text(maj, min));
        }
        Ok((token, maj & GSS_S_CONTINUE_NEEDED == 0))
    }

    fn unwrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
        let lib = &self.lib;
        let (mut inb, mut out, mut min, mut conf, mut qop) = (Buffer::of(input), Buffer::empty(), 0, 0, 0);
        // SAFETY: as in step.
        let maj = unsafe { (lib.unwrap)(&mut min, self.ctx, &mut inb, &mut out, &mut conf, &mut qop) };
        let v = unsafe { take(lib, &mut out) };
        if maj != 0 {
            return Err(lib.status_text(maj, min));
        }
        Ok(v)
    }

    fn wrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
        let lib = &self.lib;
        let (mut inb, mut out, mut min, mut conf) = (Buffer::of(input), Buffer::empty(), 0, 0);
        // SAFETY: as in step.
        let maj = unsafe { (lib.wrap)(&mut min, self.ctx, 0, 0, &mut inb, &mut conf, &mut out) };
        let v = unsafe { take(lib, &mut out) };
        if maj != 0 {
            return Err(lib.status_text(maj, min));
        }
        Ok(v)
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        let mut min = 0;
        // SAFETY: handles created by this context, released once.
        unsafe {
            if !self.ctx.is_null() {
                (self.lib.delete_context)(&mut min, &mut self.ctx, std::ptr::null_mut());
            }
            if !self.name.is_null() {
                (self.lib.release_name)(&mut min, &mut self.name);
            }
        }
    }
}
