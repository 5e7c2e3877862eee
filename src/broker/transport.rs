//! A connection's byte stream: plain TCP, or TLS over it. The TLS handshake runs
//! non-blocking inside the broker thread's readiness loop (`handshake` is called
//! again on each socket event), so a slow handshake never stalls other brokers.

use mio::net::TcpStream;
use openssl::ssl::{ErrorCode as SslErrorCode, HandshakeError, MidHandshakeSslStream, Ssl, SslStream};
use std::io::{self, Read, Write};
use std::sync::Arc;

/// The socket, shared with the TLS session that reads and writes it, so that it can
/// be handed back whole (to closesocket_cb) when the connection ends.
pub(super) struct Shared(Arc<TcpStream>);

impl Read for Shared {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

enum Tls {
    None,
    /// Before the TCP connect completed.
    Pending(Box<Ssl>),
    Handshaking(MidHandshakeSslStream<Shared>),
    Up(Box<SslStream<Shared>>),
    /// Only while moving between the variants above.
    Taken,
}

pub(super) struct Transport {
    tcp: Arc<TcpStream>,
    tls: Tls,
}

/// The outcome of a handshake step.
pub(super) enum Handshake {
    Done,
    InProgress,
    /// OpenSSL's reason, whether the peer simply closed (no TLS listener there), and
    /// the application's reason when its verify callback refused the certificate.
    Failed(String, bool, Option<String>),
}

impl Transport {
    pub fn plain(tcp: TcpStream) -> Transport {
        Transport { tcp: Arc::new(tcp), tls: Tls::None }
    }

    pub fn tls(tcp: TcpStream, ssl: Ssl) -> Transport {
        Transport { tcp: Arc::new(tcp), tls: Tls::Pending(Box::new(ssl)) }
    }

    pub fn tcp(&self) -> &TcpStream {
        &self.tcp
    }

    /// The socket back, the TLS session (if any) closed first.
    pub fn into_tcp(self) -> Option<TcpStream> {
        let Transport { tcp, tls } = self;
        if let Tls::Up(mut s) = tls {
            let _ = s.shutdown();
        }
        Arc::try_unwrap(tcp).ok()
    }

    pub fn is_tls(&self) -> bool {
        !matches!(self.tls, Tls::None)
    }

    /// Starts or continues the TLS handshake.
    pub fn handshake(&mut self) -> Handshake {
        let res = match std::mem::replace(&mut self.tls, Tls::Taken) {
            Tls::Pending(ssl) => ssl.connect(Shared(self.tcp.clone())),
            Tls::Handshaking(mid) => mid.handshake(),
            other => {
                self.tls = other;
                return Handshake::Done;
            }
        };
        match res {
            Ok(s) => {
                self.tls = Tls::Up(Box::new(s));
                Handshake::Done
            }
            Err(HandshakeError::WouldBlock(mid)) => {
                self.tls = Tls::Handshaking(mid);
                Handshake::InProgress
            }
            Err(HandshakeError::Failure(mid)) => {
                let (text, closed) = failure_text(mid.error());
                Handshake::Failed(text, closed, crate::security::tls::rejection(mid.ssl()))
            }
            Err(HandshakeError::SetupFailure(e)) => {
                Handshake::Failed(crate::security::tls::reason(&e), false, None)
            }
        }
    }

    pub fn verify_peer(&self, tls: &crate::security::TlsContext) -> Result<(), String> {
        match &self.tls {
            Tls::Up(s) => tls.check_peer(s.ssl()),
            _ => Ok(()),
        }
    }
}

/// An OpenSSL error as librdkafka words it (rd_kafka_transport_ssl_io_update).
fn failure_text(e: &openssl::ssl::Error) -> (String, bool) {
    if let Some(stack) = e.ssl_error() {
        return (crate::security::tls::reason(stack), false);
    }
    match e.code() {
        SslErrorCode::ZERO_RETURN => ("Disconnected: SSL connection closed by peer".into(), true),
        SslErrorCode::SYSCALL => match e.io_error() {
            None => ("Disconnected: connection closed by peer".into(), true),
            Some(io) if io.kind() == io::ErrorKind::ConnectionReset => {
                ("Disconnected: connection reset by peer".into(), true)
            }
            Some(io) => (format!("SSL transport error: {}", crate::error::os_error_text(io)), false),
        },
        _ => (e.to_string(), false),
    }
}

/// TLS errors seen by read/write, as I/O errors with librdkafka's texts.
fn tls_io(e: openssl::ssl::Error) -> io::Error {
    match e.code() {
        SslErrorCode::WANT_READ | SslErrorCode::WANT_WRITE => io::ErrorKind::WouldBlock.into(),
        SslErrorCode::ZERO_RETURN => {
            io::Error::new(io::ErrorKind::UnexpectedEof, "SSL connection closed by peer")
        }
        _ => match e.into_io_error() {
            Ok(io) => io,
            Err(e) => io::Error::other(failure_text(&e).0),
        },
    }
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.tls {
            Tls::None => (&*self.tcp).read(buf),
            Tls::Up(s) => match s.ssl_read(buf) {
                Ok(n) => Ok(n),
                Err(e) if e.code() == SslErrorCode::ZERO_RETURN => Ok(0),
                Err(e) if e.code() == SslErrorCode::SYSCALL && e.io_error().is_none() => Ok(0),
                Err(e) => Err(tls_io(e)),
            },
            _ => Err(io::ErrorKind::WouldBlock.into()),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.tls {
            Tls::None => (&*self.tcp).write(buf),
            Tls::Up(s) => s.ssl_write(buf).map_err(tls_io),
            _ => Err(io::ErrorKind::WouldBlock.into()),
        }
    }

    /// Plain TCP writes the pieces in one system call; TLS takes the first.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match &mut self.tls {
            Tls::None => (&*self.tcp).write_vectored(bufs),
            _ => match bufs.iter().find(|b| !b.is_empty()) {
                Some(b) => self.write(b),
                None => Ok(0),
            },
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
