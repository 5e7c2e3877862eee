//! The application's socket and file hooks (`socket_cb`, `connect_cb`,
//! `closesocket_cb`, `resolve_cb`, `open_cb`): when set, the broker layer creates,
//! connects and closes its sockets through them instead of by itself, and the file
//! offset store opens its files through them. The C layer implements this.

use std::net::SocketAddr;
use std::os::fd::OwnedFd;

pub trait SocketHooks: Send + Sync {
    /// Resolves `host:port` (resolve_cb, or the system resolver when only the other
    /// hooks were set). Err is the resolver's message.
    fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, String>;
    /// A new non-blocking TCP socket, connecting (or connected) to `addr`; `id` is the
    /// broker's "host:port". Err is librdkafka's text ("Failed to connect to broker at
    /// localhost:9092: No route to host").
    fn connect(&self, addr: &SocketAddr, id: &str) -> Result<OwnedFd, String>;
    /// Closes a socket made by `connect`.
    fn close(&self, fd: OwnedFd);
    /// Opens a file (open_cb, or open(2)): librdkafka's only use is the offset file.
    fn open(&self, path: &str, flags: i32, mode: u32) -> std::io::Result<OwnedFd>;
}
