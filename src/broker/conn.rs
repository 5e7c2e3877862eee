//! A broker connection's socket side: non-blocking connect, the ApiVersions handshake,
//! writing the output buffer, reading and framing responses and matching them to the
//! in-flight requests by correlation id.

use super::handle::{S_APIVERSION_QUERY, S_CONNECT, S_SSL_HANDSHAKE, S_TRY_CONNECT, S_UP};
use super::inbuf::InBuf;
use super::inflight::{InFlight, Pending};
use super::transport::{Handshake, Transport};
use super::worker::{wire_sent, Conn, Worker, SOCK};
use crate::clock::now_us;
use crate::error::{os_error_text, ErrorCode, KafkaError};
use crate::instance::{dbg, Wire};
use crate::protocol::outbuf::OutBuf;
use crate::protocol::{self, ApiVersions};
use bytes::{Buf, Bytes};
use kafka_protocol::messages::{ApiKey, ApiVersionsRequest, ApiVersionsResponse};
use kafka_protocol::protocol::{Encodable, StrBytes};
use mio::net::TcpStream;
use mio::Interest;
use std::collections::VecDeque;
use std::net::ToSocketAddrs;
use std::os::fd::AsRawFd;
use std::sync::atomic::Ordering;

impl Worker {
    pub fn connect(&mut self) {
        self.set_state(S_TRY_CONNECT);
        self.set_state(S_CONNECT);
        let started = now_us();
        let hooks = self.rk.hooks.sockets.clone();
        let (host, port) = (self.h.host.as_str(), self.h.port);
        let resolved = match &hooks {
            Some(h) => h.resolve(host, port).ok().and_then(|a| a.into_iter().next()),
            None => (host, port).to_socket_addrs().ok().and_then(|mut a| a.next()),
        };
        let Some(addr) = resolved else {
            self.conn_failed(
                ErrorCode::_RESOLVE,
                format!(
                    "{}: Failed to resolve '{}:{}': Name or service not known (after {}ms in state CONNECT)",
                    self.h.name, host, port, 0
                ),
            );
            return;
        };
        // With the application's socket hooks, its socket_cb and connect_cb make the socket.
        let made = match &hooks {
            Some(h) => match h.connect(&addr, &format!("{host}:{port}")) {
                Ok(fd) => Ok(TcpStream::from_std(fd.into())),
                Err(text) => {
                    let after = (now_us() - started) / 1000;
                    let msg = format!("{}: {text} (after {after}ms in state CONNECT)", self.h.name);
                    self.conn_failed(ErrorCode::_TRANSPORT, msg);
                    return;
                }
            },
            None => TcpStream::connect(addr),
        };
        match made {
            Ok(mut stream) => {
                if self.rk.settings.socket_nagle_disable {
                    let _ = stream.set_nodelay(true);
                }
                if let Err(e) =
                    self.poll.registry().register(&mut stream, SOCK, Interest::READABLE | Interest::WRITABLE)
                {
                    self.conn_failed(ErrorCode::_TRANSPORT, format!("{}: register failed: {e}", self.h.name));
                    return;
                }
                self.h.stats.connects.fetch_add(1, Ordering::Relaxed);
                let stream = match &self.rk.tls {
                    Some(tls) => match tls.session(host, &format!("{host}:{port}"), self.h.id) {
                        Ok(ssl) => Transport::tls(stream, ssl),
                        Err(e) => {
                            let _ = self.poll.registry().deregister(&mut stream);
                            self.conn_failed(ErrorCode::_SSL, format!("{}: {e}", self.h.name));
                            return;
                        }
                    },
                    None => Transport::plain(stream),
                };
                self.conn = Some(Conn {
                    secured: !stream.is_tls(),
                    stream,
                    outbuf: OutBuf::with_capacity(64 * 1024),
                    inbuf: InBuf::new(),
                    inflight: VecDeque::new(),
                    connected: false,
                    api: None,
                    ready: false,
                    sasl: None,
                    reauth_at_us: None,
                    reauthenticating: false,
                    legacy_sasl: false,
                    connect_started_us: started,
                });
            }
            Err(e) => {
                let fam = if addr.is_ipv4() { "ipv4" } else { "ipv6" };
                self.conn_failed(
                    ErrorCode::_TRANSPORT,
                    format!(
                        "{}: Connect to {}#{} failed: {} (after 0ms in state CONNECT)",
                        self.h.name,
                        fam,
                        addr,
                        os_error_text(&e)
                    ),
                );
            }
        }
    }

    pub fn on_socket_event(&mut self, readable: bool, writable: bool) {
        let Some(conn) = self.conn.as_mut() else { return };
        if !conn.connected {
            if !(writable || readable) {
                return;
            }
            let err = match conn.stream.tcp().take_error() {
                Ok(Some(e)) => Some(e),
                Err(e) => Some(e),
                Ok(None) => conn
                    .stream
                    .tcp()
                    .peer_addr()
                    .err()
                    .filter(|e| e.kind() != std::io::ErrorKind::NotConnected),
            };
            if let Some(e) = err {
                let after = (now_us() - conn.connect_started_us) / 1000;
                let addr = format!("{}:{}", self.h.host, self.h.port);
                self.conn_failed(
                    ErrorCode::_TRANSPORT,
                    format!(
                        "{}: Connect to ipv4#{} failed: {} (after {}ms in state CONNECT)",
                        self.h.name,
                        addr,
                        os_error_text(&e),
                        after
                    ),
                );
                return;
            }
            if conn.stream.tcp().peer_addr().is_err() {
                return; // still connecting
            }
            conn.connected = true;
            if conn.secured {
                self.on_connected();
            } else {
                self.set_state(S_SSL_HANDSHAKE);
                self.tls_step();
            }
            return;
        }
        if !conn.secured {
            self.tls_step();
            return;
        }
        if readable {
            self.read_responses();
        }
        if writable && self.conn.is_some() {
            self.flush_out();
        }
    }

    /// One step of the TLS handshake; once done (and the broker's certificate
    /// accepted), the connection goes on with ApiVersions.
    fn tls_step(&mut self) {
        let Some(conn) = self.conn.as_mut() else { return };
        match conn.stream.handshake() {
            Handshake::InProgress => {}
            Handshake::Done => {
                if let Some(Err(e)) = self.rk.tls.as_ref().map(|t| conn.stream.verify_peer(t)) {
                    let msg = self.failure_text(&e);
                    self.conn_failed(ErrorCode::_SSL, msg);
                    return;
                }
                conn.secured = true;
                self.rk.dbg(dbg::SECURITY, "SSLVERIFY", || {
                    format!("{}: Broker SSL certificate verified", self.h.name)
                });
                self.on_connected();
            }
            Handshake::Failed(text, closed, rejection) => {
                if let Some(r) = rejection {
                    self.rk.log(3, "SSLCERTVRFY", &format!("{}: {r}", self.h.name));
                }
                // librdkafka's hints for the usual causes.
                let (code, extra) = if text.contains("unexpected message") {
                    (
                        ErrorCode::_SSL,
                        ": client SSL authentication might be required (see ssl.key.location and \
                         ssl.certificate.location and consult the broker logs for more information)",
                    )
                } else if text.contains("certificate verify failed") {
                    (
                        ErrorCode::_SSL,
                        ": broker certificate could not be verified, verify that ssl.ca.location is \
                         correctly configured or root CA certificates are installed (install \
                         ca-certificates package)",
                    )
                } else if closed {
                    (ErrorCode::_TRANSPORT, ": connecting to a PLAINTEXT broker listener?")
                } else {
                    (ErrorCode::_SSL, "")
                };
                let msg = self.failure_text(&format!("SSL handshake failed: {text}{extra}"));
                self.conn_failed(code, msg);
            }
        }
    }

    fn on_connected(&mut self) {
        self.rk.dbg(dbg::BROKER, "CONNECT", || {
            format!("{}: Connected (#{})", self.h.name, self.h.stats.connects.load(Ordering::Relaxed))
        });
        if self.rk.settings.api_version_request {
            self.set_state(S_APIVERSION_QUERY);
            self.send_api_versions(3);
        } else {
            // Assume the Kafka 0.10-era defaults librdkafka uses without api.version.request.
            let list = [(0i16, 0i16, 2i16), (1, 0, 2), (2, 0, 0), (3, 0, 1), (18, 0, 0)];
            self.api_known(ApiVersions::from_list(list));
        }
    }

    fn send_api_versions(&mut self, ver: i16) {
        let mut req = ApiVersionsRequest::default();
        req.client_software_name = StrBytes::from_static_str("kafkars");
        req.client_software_version = StrBytes::from_static_str(env!("CARGO_PKG_VERSION"));
        self.send_internal(ApiKey::ApiVersions, ver, &req, Pending::ApiVersions);
    }

    /// Sends a request of the connection's own set-up (ApiVersions, SASL) at once.
    pub(super) fn send_internal<T: Encodable>(&mut self, key: ApiKey, ver: i16, req: &T, pending: Pending) {
        let corr = self.next_corr();
        let timeout = self.rk.settings.socket_timeout_ms;
        let client_id = self.rk.client_id.clone();
        let Some(conn) = self.conn.as_mut() else { return };
        let mark = conn.outbuf.mark();
        if let Err(e) = protocol::encode_request(conn.outbuf.inline(), key, ver, corr, &client_id, req) {
            conn.outbuf.truncate(mark);
            self.rk.error(ErrorCode::_FAIL, format!("{}: {:?} encode failed: {}", self.h.name, key, e));
            return;
        }
        wire_sent(&self.rk, &self.h, conn, key, ver, corr, conn.outbuf.len_since(mark));
        let now = now_us();
        self.h.stats.tx.fetch_add(1, Ordering::Relaxed);
        self.h.stats.count_request(key as i16);
        conn.inflight.push_back(InFlight {
            corr,
            key,
            ver,
            sent_us: now,
            deadline_us: now + timeout * 1000,
            pending,
        });
        self.flush_out();
    }

    fn on_api_versions(&mut self, ver: i16, mut body: Bytes) {
        // An UNSUPPORTED_VERSION reply is always encoded as v0 and lists what the broker has.
        let parsed = protocol::decode::<ApiVersionsResponse>(&mut body.clone(), ver)
            .or_else(|_| protocol::decode::<ApiVersionsResponse>(&mut body, 0));
        match parsed {
            Ok(r) if r.error_code == ErrorCode::UNSUPPORTED_VERSION.0 as i16 && ver > 0 => {
                let max = r
                    .api_keys
                    .iter()
                    .find(|k| k.api_key == ApiKey::ApiVersions as i16)
                    .map_or(0, |k| k.max_version)
                    .min(ver - 1);
                self.send_api_versions(max.max(0));
            }
            Ok(r) if r.error_code == 0 => {
                let list = r.api_keys.iter().map(|k| (k.api_key, k.min_version, k.max_version));
                self.api_known(ApiVersions::from_list(list));
            }
            Ok(r) => self.disconnect(
                ErrorCode(r.error_code as i32),
                format!(
                    "{}: ApiVersionRequest failed: {}",
                    self.h.name,
                    ErrorCode(r.error_code as i32).description()
                ),
                true,
            ),
            Err(e) => self.disconnect(
                ErrorCode::_BAD_MSG,
                format!("{}: ApiVersionRequest failed: {}", self.h.name, e),
                true,
            ),
        }
    }

    fn api_known(&mut self, api: ApiVersions) {
        if let Some(c) = self.conn.as_mut() {
            c.api = Some(api);
        }
        self.authenticate_or_up();
    }

    /// Connected, secured and authenticated: requests may flow.
    pub(super) fn become_up(&mut self) {
        if let Some(c) = self.conn.as_mut() {
            c.ready = true;
        }
        self.backoff_ms = 0;
        self.h.backoff_until_us.store(0, Ordering::Release);
        self.last_error = None;
        self.set_state(S_UP);
        // A freshly up broker may lead partitions we hold no metadata for yet.
        if !self.cache.metadata_ok.load(Ordering::Acquire) {
            self.rk.request_refresh();
        }
    }

    pub fn flush_out(&mut self) {
        let Some(conn) = self.conn.as_mut() else { return };
        if !conn.connected || !conn.secured {
            return;
        }
        let mut err = None;
        while !conn.outbuf.is_empty() {
            match conn.outbuf.write_to(&mut conn.stream) {
                Ok(0) => {
                    err = Some("Send failed: connection closed".to_string());
                    break;
                }
                Ok(n) => {
                    self.h.stats.txbytes.fetch_add(n as u64, Ordering::Relaxed);
                    self.h.stats.ts_send_us.store(now_us(), Ordering::Relaxed);
                    conn.outbuf.advance(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    err = Some(format!("Send failed: {}", os_error_text(&e)));
                    break;
                }
            }
        }
        conn.outbuf.shrink_idle(16 * 1024 * 1024, 64 * 1024);
        if let Some(e) = err {
            let msg = format!("{}: {}", self.h.name, e);
            self.disconnect(ErrorCode::_TRANSPORT, msg, true);
        }
    }

    fn read_responses(&mut self) {
        let max = self.rk.settings.receive_message_max_bytes;
        loop {
            let Some(conn) = self.conn.as_mut() else { return };
            let res = conn.inbuf.read_from(&mut conn.stream);
            match res {
                Ok(0) => {
                    let up_ms = (now_us() - self.h.state_since_us.load(Ordering::Acquire)) / 1000;
                    let state = self.h.state_name();
                    if conn.legacy_sasl {
                        // The legacy framing has no error replies: a refusal is a close.
                        let mech = self.rk.sasl.as_ref().map_or(String::new(), |s| s.name.clone());
                        let msg = self.failure_text(&format!(
                            "SASL authentication failure: Disconnected: connection closed by peer: receive 0 after \
                             POLLIN: check client {mech} credentials and broker logs"
                        ));
                        self.disconnect(ErrorCode::_AUTHENTICATION, msg, true);
                        return;
                    }
                    let msg = format!("{}: Disconnected (after {}ms in state {})", self.h.name, up_ms, state);
                    // An idle close by the broker is routine; librdkafka only logs it.
                    let report = conn.inflight.iter().any(|f| !matches!(f.pending, Pending::ApiVersions))
                        || self.h.state.load(Ordering::Acquire) != S_UP;
                    self.disconnect(ErrorCode::_TRANSPORT, msg, report);
                    return;
                }
                Ok(n) => {
                    self.h.stats.rxbytes.fetch_add(n as u64, Ordering::Relaxed);
                    self.h.stats.ts_recv_us.store(now_us(), Ordering::Relaxed);
                }
                Err(e) => match e.kind() {
                    std::io::ErrorKind::WouldBlock => break,
                    std::io::ErrorKind::Interrupted => continue,
                    _ => {
                        let msg = format!("{}: Receive failed: {}", self.h.name, os_error_text(&e));
                        self.disconnect(ErrorCode::_TRANSPORT, msg, true);
                        return;
                    }
                },
            }
            // Parse complete frames.
            loop {
                let Some(conn) = self.conn.as_mut() else { return };
                let data = conn.inbuf.data();
                if data.len() < 4 {
                    break;
                }
                let size = i32::from_be_bytes([data[0], data[1], data[2], data[3]]);
                let min = if conn.legacy_sasl { 0 } else { 4 };
                if size < min || size as usize > max {
                    let msg = format!("{}: Receive failed: Invalid response size {} (0..{}): increase receive.message.max.bytes", self.h.name, size, max);
                    self.disconnect(ErrorCode::_BAD_MSG, msg, true);
                    return;
                }
                let have = data.len();
                if have < 4 + size as usize {
                    conn.inbuf.reserve(4 + size as usize - have);
                    break;
                }
                let mut frame = conn.inbuf.split(4 + size as usize);
                frame.advance(4);
                if conn.legacy_sasl {
                    self.on_legacy_sasl_frame(frame);
                } else {
                    self.on_frame(frame);
                }
            }
        }
    }

    fn on_frame(&mut self, mut frame: Bytes) {
        self.h.stats.rx.fetch_add(1, Ordering::Relaxed);
        let corr = match protocol::read_corr_id(&mut frame) {
            Ok(c) => c,
            Err(e) => {
                self.disconnect(ErrorCode::_BAD_MSG, format!("{}: {}", self.h.name, e), true);
                return;
            }
        };
        let size = frame.len() + 4;
        let Some(conn) = self.conn.as_mut() else { return };
        let fd = conn.stream.tcp().as_raw_fd();
        let Some(pos) = conn.inflight.iter().position(|f| f.corr == corr) else {
            let w = Wire {
                fd: -1,
                broker: &self.h.name,
                broker_id: self.h.id,
                api_key: -1,
                api_version: -1,
                corr_id: corr,
                size,
            };
            self.rk.icpt(|i| i.on_response_received(&w, -1, ErrorCode::_NOENT));
            self.h.stats.rxcorriderrs.fetch_add(1, Ordering::Relaxed);
            let msg = format!("{}: Response for unknown CorrId {} (timed out?)", self.h.name, corr);
            self.rk.dbg(dbg::PROTOCOL, "PROTOERR", || msg);
            return;
        };
        let Some(f) = conn.inflight.remove(pos) else { return };
        let now = now_us();
        if let Ok(mut w) = self.h.stats.rtt.lock() {
            w.add(now - f.sent_us);
        }
        self.rk.icpt(|i| {
            let (api_key, api_version) = (f.key as i16, f.ver);
            let w = Wire {
                fd,
                broker: &self.h.name,
                broker_id: self.h.id,
                api_key,
                api_version,
                corr_id: corr,
                size,
            };
            i.on_response_received(&w, now - f.sent_us, ErrorCode::NO_ERROR)
        });
        if let Err(e) = protocol::skip_response_header_tags(&mut frame, f.key, f.ver) {
            self.complete(f.pending, Err(KafkaError::new(ErrorCode::_BAD_MSG, e.0)));
            return;
        }
        self.rk.dbg(dbg::PROTOCOL, "RECV", || {
            format!(
                "{}: Received {:?}Response (v{}, {} bytes, CorrId {}, rtt {:.2}ms)",
                self.h.name,
                f.key,
                f.ver,
                frame.len(),
                corr,
                (now - f.sent_us) as f64 / 1000.0
            )
        });
        match f.pending {
            Pending::ApiVersions => self.on_api_versions(f.ver, frame),
            Pending::SaslHandshake => self.on_sasl_handshake(f.ver, frame),
            Pending::SaslAuthenticate => self.on_sasl_authenticate(f.ver, frame),
            p => self.complete(p, Ok((f.ver, frame))),
        }
    }
}
