//! The socket and file hooks (socket_cb, connect_cb, closesocket_cb, resolve_cb,
//! open_cb): when the application sets any, broker connections are made (and offset
//! files opened) through them, with librdkafka's defaults standing in for the ones not
//! set.

use super::boundary::obj_mut;
use super::conf::*;
use super::types::*;
use super::util::{cstr, to_cstring};
use crate::error::os_error_text;
use crate::instance::SocketHooks;
use kafkars_macros::ffi_fn;
use libc::{c_int, c_void};
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{FromRawFd, IntoRawFd, OwnedFd};

/// Sets the callback that creates sockets: `int socket_cb(domain, type, protocol,
/// opaque)` returning a socket (librdkafka makes it non-blocking) or -1 with errno.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_socket_cb(
    conf: *mut rd_kafka_conf_t,
    socket_cb: rd_kafka_socket_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.socket_cb = socket_cb;
        let _ = c.conf.set_ptr("socket_cb", socket_cb.map_or(0, |f| f as usize));
    }
}

/// Sets the callback that connects a broker socket: returns 0 (connected or in
/// progress) or an errno. `id` is the broker's "host:port".
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_connect_cb(
    conf: *mut rd_kafka_conf_t,
    connect_cb: rd_kafka_connect_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.connect_cb = connect_cb;
        let _ = c.conf.set_ptr("connect_cb", connect_cb.map_or(0, |f| f as usize));
    }
}

/// Sets the callback that closes broker sockets.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_closesocket_cb(
    conf: *mut rd_kafka_conf_t,
    closesocket_cb: rd_kafka_closesocket_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.closesocket_cb = closesocket_cb;
        let _ = c.conf.set_ptr("closesocket_cb", closesocket_cb.map_or(0, |f| f as usize));
    }
}

/// Sets the callback that opens files: `int open_cb(pathname, flags, mode, opaque)`
/// returning a descriptor or -1 with errno (used by offset.store.method=file).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_open_cb(conf: *mut rd_kafka_conf_t, open_cb: rd_kafka_open_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.open_cb = open_cb;
        let _ = c.conf.set_ptr("open_cb", open_cb.map_or(0, |f| f as usize));
    }
}

/// Sets the address resolver, getaddrinfo()-like; called with `node` NULL to free
/// a result it returned.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_resolve_cb(
    conf: *mut rd_kafka_conf_t,
    resolve_cb: rd_kafka_resolve_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.resolve_cb = resolve_cb;
        let _ = c.conf.set_ptr("resolve_cb", resolve_cb.map_or(0, |f| f as usize));
    }
}

/// The hooks of one client, when the application set any.
pub(crate) struct CSockets {
    socket: rd_kafka_socket_cb_t,
    connect: rd_kafka_connect_cb_t,
    close: rd_kafka_closesocket_cb_t,
    resolve: rd_kafka_resolve_cb_t,
    open: rd_kafka_open_cb_t,
    opaque: usize,
}

impl CSockets {
    pub(crate) fn of(cbs: &Callbacks) -> Option<CSockets> {
        let any = cbs.socket_cb.is_some()
            || cbs.connect_cb.is_some()
            || cbs.closesocket_cb.is_some()
            || cbs.resolve_cb.is_some()
            || cbs.open_cb.is_some();
        any.then_some(CSockets {
            socket: cbs.socket_cb,
            connect: cbs.connect_cb,
            close: cbs.closesocket_cb,
            resolve: cbs.resolve_cb,
            open: cbs.open_cb,
            opaque: cbs.opaque,
        })
    }

    fn close_fd(&self, fd: c_int) {
        // SAFETY: `fd` is a socket this client made and no longer uses.
        unsafe {
            match self.close {
                Some(f) => {
                    f(fd, self.opaque as *mut c_void);
                }
                None => {
                    libc::close(fd);
                }
            }
        }
    }
}

/// `addr` as a C sockaddr (storage and length).
fn sockaddr_of(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero is a valid sockaddr_storage; the family's struct fits in it.
    unsafe {
        let mut ss: libc::sockaddr_storage = std::mem::zeroed();
        match addr {
            SocketAddr::V4(a) => {
                let sin = &mut *(&mut ss as *mut _ as *mut libc::sockaddr_in);
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = a.port().to_be();
                sin.sin_addr.s_addr = u32::from_ne_bytes(a.ip().octets());
                (ss, std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t)
            }
            SocketAddr::V6(a) => {
                let sin6 = &mut *(&mut ss as *mut _ as *mut libc::sockaddr_in6);
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = a.port().to_be();
                sin6.sin6_addr.s6_addr = a.ip().octets();
                sin6.sin6_flowinfo = a.flowinfo();
                sin6.sin6_scope_id = a.scope_id();
                (ss, std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t)
            }
        }
    }
}

/// A C sockaddr as a Rust address (None for other families).
unsafe fn addr_of(sa: *const libc::sockaddr) -> Option<SocketAddr> {
    if sa.is_null() {
        return None;
    }
    match (*sa).sa_family as c_int {
        libc::AF_INET => {
            let sin = &*(sa as *const libc::sockaddr_in);
            let ip = std::net::Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            Some(SocketAddr::from((ip, u16::from_be(sin.sin_port))))
        }
        libc::AF_INET6 => {
            let sin6 = &*(sa as *const libc::sockaddr_in6);
            let ip = std::net::Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Some(SocketAddr::from((ip, u16::from_be(sin6.sin6_port))))
        }
        _ => None,
    }
}

/// "host:port" by reverse lookup with a numeric port, as librdkafka names a peer in
/// connect errors ("localhost:9092").
fn nice_name(ss: &libc::sockaddr_storage, len: libc::socklen_t) -> String {
    let mut host = [0 as libc::c_char; 256];
    let mut serv = [0 as libc::c_char; 32];
    // SAFETY: buffers sized as passed; `ss` holds a socket address of `len` bytes.
    let r = unsafe {
        libc::getnameinfo(
            ss as *const _ as *const libc::sockaddr,
            len,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            libc::NI_NUMERICSERV,
        )
    };
    if r != 0 {
        return String::from("?");
    }
    // SAFETY: getnameinfo wrote NUL-terminated strings.
    unsafe { format!("{}:{}", cstr(host.as_ptr()).unwrap_or("?"), cstr(serv.as_ptr()).unwrap_or("?")) }
}

impl SocketHooks for CSockets {
    fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
        let Some(cb) = self.resolve else {
            return (host, port).to_socket_addrs().map(|a| a.collect()).map_err(|e| e.to_string());
        };
        let (node, service) = (to_cstring(host), to_cstring(&port.to_string()));
        // SAFETY: hints and result follow getaddrinfo's contract; the result is handed
        // back to the callback (node NULL) to free, as librdkafka does.
        unsafe {
            let mut hints: libc::addrinfo = std::mem::zeroed();
            hints.ai_family = libc::AF_UNSPEC;
            hints.ai_socktype = libc::SOCK_STREAM;
            hints.ai_protocol = libc::IPPROTO_TCP;
            hints.ai_flags = libc::AI_ADDRCONFIG;
            let mut res: *mut libc::addrinfo = std::ptr::null_mut();
            let r = cb(node.as_ptr(), service.as_ptr(), &hints, &mut res, self.opaque as *mut c_void);
            if r != 0 {
                let msg = cstr(libc::gai_strerror(r)).unwrap_or("resolve failed").to_string();
                return Err(msg);
            }
            let mut out = Vec::new();
            let mut ai = res;
            while !ai.is_null() {
                out.extend(addr_of((*ai).ai_addr));
                ai = (*ai).ai_next;
            }
            if !res.is_null() {
                cb(
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null(),
                    &mut res,
                    self.opaque as *mut c_void,
                );
            }
            if out.is_empty() {
                return Err("No addresses".into());
            }
            Ok(out)
        }
    }

    fn connect(&self, addr: &SocketAddr, id: &str) -> Result<OwnedFd, String> {
        let domain = if addr.is_ipv4() { libc::AF_INET } else { libc::AF_INET6 };
        let opaque = self.opaque as *mut c_void;
        // SAFETY: plain socket calls on a descriptor this function owns until returned.
        unsafe {
            let fd = match self.socket {
                Some(f) => f(domain, libc::SOCK_STREAM, libc::IPPROTO_TCP, opaque),
                None => libc::socket(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, libc::IPPROTO_TCP),
            };
            if fd < 0 {
                return Err(format!(
                    "Failed to create socket: {}",
                    os_error_text(&std::io::Error::last_os_error())
                ));
            }
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
                let e = std::io::Error::last_os_error();
                self.close_fd(fd);
                return Err(format!("Failed to set socket non-blocking: {}", os_error_text(&e)));
            }
            let (ss, len) = sockaddr_of(addr);
            let sa = &ss as *const _ as *const libc::sockaddr;
            let r = match self.connect {
                Some(f) => {
                    let cid = to_cstring(id);
                    f(fd, sa, len as c_int, cid.as_ptr(), opaque)
                }
                None => {
                    if libc::connect(fd, sa, len) == -1 {
                        match std::io::Error::last_os_error().raw_os_error() {
                            Some(libc::EINPROGRESS) => 0,
                            Some(e) => e,
                            None => libc::EIO,
                        }
                    } else {
                        0
                    }
                }
            };
            if r != 0 {
                self.close_fd(fd);
                let e = os_error_text(&std::io::Error::from_raw_os_error(r));
                return Err(format!("Failed to connect to broker at {}: {e}", nice_name(&ss, len)));
            }
            Ok(OwnedFd::from_raw_fd(fd))
        }
    }

    fn close(&self, fd: OwnedFd) {
        self.close_fd(fd.into_raw_fd());
    }

    fn open(&self, path: &str, flags: i32, mode: u32) -> std::io::Result<OwnedFd> {
        let cpath = std::ffi::CString::new(path)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
        // SAFETY: a NUL-terminated path; the descriptor returned is ours to own.
        unsafe {
            let fd = match self.open {
                Some(f) => f(cpath.as_ptr(), flags, mode as libc::mode_t, self.opaque as *mut c_void),
                None => libc::open(cpath.as_ptr(), flags | libc::O_CLOEXEC, mode as libc::c_uint),
            };
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(OwnedFd::from_raw_fd(fd))
        }
    }
}
