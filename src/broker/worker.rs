//! A broker's thread: the connection's lifecycle (connect, ApiVersions, up, down,
//! reconnect with backoff), the queue of requests waiting to be sent, the in-flight
//! list with its timeouts, and the turn each registered source gets to add work.
//! Socket I/O and framing are in `conn`.

use super::handle::{BrokerHandle, BrokerOp, STATE_NAMES, S_DOWN, S_UP};
use super::health::Health;
use super::inflight::{InFlight, Pending};
use super::request::Request;
use super::source::{BrokerIo, Source};
use super::transport::Transport;
use crate::clock::now_us;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::{dbg, set_log_thread, Instance, ThreadKind, Wire};
use crate::metadata::{Cache, Partition};
use crate::protocol::outbuf::OutBuf;
use crate::protocol::ApiVersions;
use bytes::Bytes;
use crossbeam_channel::Receiver;
use kafka_protocol::messages::ApiKey;
use mio::{Events, Poll, Token};
use std::collections::VecDeque;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

pub(super) const SOCK: Token = Token(0);
pub(super) const WAKE: Token = Token(1);

pub(super) struct Conn {
    pub stream: Transport,
    pub outbuf: OutBuf,
    pub inbuf: super::inbuf::InBuf,
    pub inflight: VecDeque<InFlight>,
    /// TCP connected.
    pub connected: bool,
    /// TLS handshake done (or no TLS).
    pub secured: bool,
    pub api: Option<ApiVersions>,
    /// Authenticated (or no SASL): the connection is UP.
    pub ready: bool,
    /// The SASL exchange in progress.
    pub sasl: Option<crate::security::Exchange>,
    /// When the SASL session must be renewed (KIP-368).
    pub reauth_at_us: Option<i64>,
    pub reauthenticating: bool,
    /// SASL tokens travel in raw frames (SaslHandshake v0 without SaslAuthenticate).
    pub legacy_sasl: bool,
    pub connect_started_us: i64,
}

pub(super) struct Worker {
    pub rk: Arc<Instance>,
    pub cache: Arc<Cache>,
    pub health: Arc<Health>,
    pub sources: Vec<Arc<dyn Source>>,
    pub h: Arc<BrokerHandle>,
    pub poll: Poll,
    rx: Receiver<BrokerOp>,
    pub conn: Option<Conn>,
    waiting: VecDeque<Request>,
    corr: i32,
    pub backoff_ms: i64,
    next_connect_us: i64,
    toppars: Vec<Arc<Partition>>,
    toppars_ver: u64,
    /// Batches (requests written by sources) awaiting their answer.
    batches: usize,
    next_timeout_scan_us: i64,
    pub last_error: Option<(String, i64)>,
    terminating: bool,
    /// Counted in the client's down brokers (for _ALL_BROKERS_DOWN).
    down_reported: std::cell::Cell<bool>,
    /// The next DOWN is a disconnect the client chose (timed-out requests): it does not
    /// count as a broker down.
    planned_down: std::cell::Cell<bool>,
}

impl Worker {
    pub fn new(
        rk: Arc<Instance>,
        cache: Arc<Cache>,
        health: Arc<Health>,
        sources: Vec<Arc<dyn Source>>,
        h: Arc<BrokerHandle>,
        poll: Poll,
        rx: Receiver<BrokerOp>,
    ) -> Worker {
        Worker {
            rk,
            cache,
            health,
            sources,
            h,
            poll,
            rx,
            conn: None,
            waiting: VecDeque::new(),
            corr: 0,
            backoff_ms: 0,
            next_connect_us: 0,
            toppars: Vec::new(),
            toppars_ver: u64::MAX,
            batches: 0,
            next_timeout_scan_us: 0,
            last_error: None,
            terminating: false,
            down_reported: std::cell::Cell::new(false),
            planned_down: std::cell::Cell::new(false),
        }
    }

    pub fn set_state(&self, s: u8) {
        let old = self.h.state.swap(s, Ordering::AcqRel);
        if old != s {
            self.h.state_since_us.store(now_us(), Ordering::Release);
            self.rk.dbg(dbg::BROKER, "STATE", || {
                format!(
                    "{}: Broker changed state {} -> {}",
                    self.h.name, STATE_NAMES[old as usize], STATE_NAMES[s as usize]
                )
            });
            state_changed(&self.rk, &self.h, s);
            // As librdkafka: a broker counts as down from its first DOWN until it is UP
            // again (reconnect attempts in between do not count as up).
            let planned = s == S_DOWN && self.planned_down.replace(false);
            if s == S_DOWN && !planned && !self.down_reported.get() {
                self.down_reported.set(true);
                self.health.changed(&self.rk, true);
            } else if s == S_UP && self.down_reported.get() {
                self.down_reported.set(false);
                self.health.changed(&self.rk, false);
            }
        }
    }

    pub fn run(self) {
        set_log_thread(&self.h.name);
        let (rk, name) = (self.rk.clone(), self.h.name.clone());
        rk.icpt(|i| i.on_thread_start(ThreadKind::Broker, &name));
        self.serve();
        rk.icpt(|i| i.on_thread_exit(ThreadKind::Broker, &name));
    }

    fn serve(mut self) {
        let mut events = Events::with_capacity(64);
        loop {
            // Ops from other threads.
            loop {
                match self.rx.try_recv() {
                    Ok(BrokerOp::Request(r)) => self.waiting.push_back(r),
                    Ok(BrokerOp::PurgeInflight(ack)) => {
                        self.purge_inflight();
                        let _ = ack.send(());
                    }
                    Ok(BrokerOp::Terminate) | Err(crossbeam_channel::TryRecvError::Disconnected) => {
                        self.terminating = true
                    }
                    Err(crossbeam_channel::TryRecvError::Empty) => break,
                }
            }
            if self.terminating || self.rk.is_terminating() {
                self.shutdown();
                return;
            }
            let ver = self.h.toppars_version();
            if ver != self.toppars_ver {
                self.toppars_ver = ver;
                self.toppars = self.h.toppars();
            }
            let now = now_us();
            if now >= self.next_timeout_scan_us {
                self.next_timeout_scan_us = now + 100_000;
                for s in &self.sources {
                    s.scan(&self.toppars, now);
                }
                self.check_request_timeouts(now);
            }
            let has_work = self.sources.iter().any(|s| s.has_work(&self.toppars));
            let wants_conn = !self.waiting.is_empty() || has_work;
            // GSSAPI: no connection before the first kinit command finished.
            let sasl_ready = self.rk.sasl.as_ref().is_none_or(|s| s.ready());
            if self.conn.is_none() && wants_conn && now >= self.next_connect_us && sasl_ready {
                self.connect();
            }
            self.check_setup_timeout(now);
            self.maybe_reauthenticate(now);
            let mut wake_at = now + 1_000_000;
            if let Some(t) = self.reauth_deadline() {
                wake_at = wake_at.min(t);
            }
            if self.is_up() {
                self.send_waiting();
                if let Some(t) = self.serve_sources() {
                    wake_at = wake_at.min(t);
                }
                self.send_waiting();
                self.flush_out();
            }
            if self.conn.is_none() && wants_conn {
                wake_at = wake_at.min(self.next_connect_us);
            }
            if let Some(c) = &self.conn {
                if let Some(f) = c.inflight.front() {
                    wake_at = wake_at.min(f.deadline_us);
                }
            }
            wake_at = wake_at.min(self.next_timeout_scan_us);
            let timeout = Duration::from_micros((wake_at - now_us()).max(0) as u64);
            if let Err(e) = self.poll.poll(&mut events, Some(timeout)) {
                if e.kind() != std::io::ErrorKind::Interrupted {
                    self.rk.error(ErrorCode::_FAIL, format!("{}: poll failed: {e}", self.h.name));
                    std::thread::sleep(Duration::from_millis(10));
                }
                continue;
            }
            self.h.stats.wakeups.fetch_add(1, Ordering::Relaxed);
            for ev in events.iter() {
                if ev.token() == SOCK {
                    self.on_socket_event(
                        ev.is_readable() || ev.is_read_closed() || ev.is_error(),
                        ev.is_writable(),
                    );
                }
            }
        }
    }

    /// Gives each source its turn on the up connection; the earliest time any of them
    /// wants another.
    fn serve_sources(&mut self) -> Option<i64> {
        let conn = self.conn.as_mut()?;
        let api = conn.api.as_ref()?;
        let icpt = self.rk.hooks.icpt.is_some().then(|| (&*self.rk, conn.stream.tcp().as_raw_fd()));
        let mark = conn.outbuf.mark();
        let mut io = BrokerIo {
            icpt,
            mark,
            broker: &self.h,
            toppars: &self.toppars,
            api,
            client_id: &self.rk.client_id,
            out: &mut conn.outbuf,
            corr: &mut self.corr,
            inflight: &mut conn.inflight,
            waiting: &mut self.waiting,
            batches: &mut self.batches,
        };
        let mut next: Option<i64> = None;
        for s in &self.sources {
            if let Some(t) = s.serve(&mut io) {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        }
        next
    }

    pub fn is_up(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.ready && !c.reauthenticating)
    }

    pub fn next_corr(&mut self) -> i32 {
        self.corr = self.corr.wrapping_add(1) & 0x7fff_ffff;
        self.corr
    }

    fn send_waiting(&mut self) {
        while let Some(req) = self.waiting.pop_front() {
            let api = match self.conn.as_ref().and_then(|c| c.api.as_ref()) {
                Some(a) => a,
                None => {
                    self.waiting.push_front(req);
                    return;
                }
            };
            let Some(ver) = api.pick(req.key, req.min_ver, req.max_ver) else {
                let msg = format!(
                    "{}: broker does not support {:?} v{}..v{}",
                    self.h.name, req.key, req.min_ver, req.max_ver
                );
                req.fail(KafkaError::new(ErrorCode::_UNSUPPORTED_FEATURE, msg));
                continue;
            };
            let corr = self.next_corr();
            let timeout_ms = req.timeout.map_or(self.rk.settings.socket_timeout_ms, |t| t.as_millis() as i64);
            let client_id = self.rk.client_id.clone();
            let Some(conn) = self.conn.as_mut() else { return };
            let mark = conn.outbuf.mark();
            if let Err(e) = (req.encode)(conn.outbuf.inline(), ver, corr, &client_id) {
                conn.outbuf.truncate(mark);
                (req.done)(Err(KafkaError::new(ErrorCode::_FAIL, e.0)));
                continue;
            }
            let now = now_us();
            self.h.stats.tx.fetch_add(1, Ordering::Relaxed);
            self.h.stats.count_request(req.key as i16);
            let size = conn.outbuf.len_since(mark);
            wire_sent(&self.rk, &self.h, conn, req.key, ver, corr, size);
            conn.inflight.push_back(InFlight {
                corr,
                key: req.key,
                ver,
                sent_us: now,
                deadline_us: now + timeout_ms * 1000,
                pending: Pending::Request(req.done),
            });
        }
    }

    pub fn complete(&mut self, p: Pending, res: Result<(i16, Bytes), KafkaError>) {
        match p {
            Pending::ApiVersions | Pending::SaslHandshake | Pending::SaslAuthenticate => {
                if let Err(e) = res {
                    self.disconnect(e.code, e.msg, true);
                }
            }
            Pending::Request(done) => done(res),
            Pending::Batch(reply) => {
                self.batches = self.batches.saturating_sub(1);
                reply.done(&self.h, res);
            }
            Pending::Purged => self.batches = self.batches.saturating_sub(1),
        }
    }

    /// Runs an op on the broker thread and waits (bounded) for it to finish.
    /// Fails the in-flight batches; their answers are read and ignored.
    fn purge_inflight(&mut self) {
        let Some(c) = self.conn.as_mut() else { return };
        let mut purged = Vec::new();
        for f in c.inflight.iter_mut() {
            if matches!(f.pending, Pending::Batch(_)) {
                if let Pending::Batch(reply) = std::mem::replace(&mut f.pending, Pending::Purged) {
                    purged.push(reply);
                }
            }
        }
        for reply in purged {
            reply.abandon(ErrorCode::_PURGE_INFLIGHT);
        }
    }

    fn check_request_timeouts(&mut self, now: i64) {
        let timed_out = match self.conn.as_ref() {
            Some(c) => c.inflight.iter().any(|f| f.deadline_us <= now),
            None => false,
        };
        if timed_out {
            let n =
                self.conn.as_ref().map_or(0, |c| c.inflight.iter().filter(|f| f.deadline_us <= now).count());
            self.h.stats.req_timeouts.fetch_add(n as u64, Ordering::Relaxed);
            // Responses are ordered: a stalled request stalls all, so reconnect.
            let msg = format!(
                "{}: {} request(s) timed out: disconnect (after {}ms in state {})",
                self.h.name,
                n,
                (now - self.h.state_since_us.load(Ordering::Acquire)) / 1000,
                self.h.state_name()
            );
            // A planned disconnect, as librdkafka's since 2.12: only debug-logged, no error
            // event, and not a broker down.
            self.rk.dbg(dbg::BROKER, "FAIL", || format!("{} ({})", msg, ErrorCode::_TIMED_OUT.name()));
            self.planned_down.set(true);
            self.disconnect(ErrorCode::_TIMED_OUT, msg, false);
        }
    }

    /// Closes a connection's socket (through closesocket_cb when set) and hands back
    /// the requests that were waiting for answers on it.
    fn close_conn(&mut self, c: Conn) -> VecDeque<InFlight> {
        let fd = c.stream.tcp().as_raw_fd();
        let _ = self.poll.registry().deregister(&mut mio::unix::SourceFd(&fd));
        let Conn { stream, inflight, .. } = c;
        match (&self.rk.hooks.sockets, stream.into_tcp()) {
            (Some(hooks), Some(tcp)) => hooks.close(OwnedFd::from(tcp)),
            (_, tcp) => drop(tcp),
        }
        inflight
    }

    /// A failure of this broker as librdkafka words it: "<broker>: <text> (after Nms in
    /// state S)".
    pub fn failure_text(&self, text: &str) -> String {
        let ms = (now_us() - self.h.state_since_us.load(Ordering::Acquire)) / 1000;
        format!("{}: {text} (after {ms}ms in state {})", self.h.name, self.h.state_name())
    }

    pub fn conn_failed(&mut self, code: ErrorCode, msg: String) {
        self.disconnect(code, msg, true);
    }

    /// Tears the connection down, fails in-flight requests, schedules a reconnect.
    pub fn disconnect(&mut self, code: ErrorCode, msg: String, report: bool) {
        if let Some(c) = self.conn.take() {
            let inflight = self.close_conn(c);
            self.h.stats.disconnects.fetch_add(1, Ordering::Relaxed);
            // Idle times are per connection.
            self.h.stats.ts_send_us.store(0, Ordering::Relaxed);
            self.h.stats.ts_recv_us.store(0, Ordering::Relaxed);
            for f in inflight {
                let e = KafkaError::new(code, msg.clone());
                match f.pending {
                    Pending::ApiVersions
                    | Pending::SaslHandshake
                    | Pending::SaslAuthenticate
                    | Pending::Purged => {}
                    Pending::Request(done) => done(Err(e)),
                    Pending::Batch(reply) => {
                        self.batches = self.batches.saturating_sub(1);
                        reply.done(&self.h, Err(e));
                    }
                }
            }
        }
        self.batches = 0;
        // Requests queued for this connection fail too; their owners retry elsewhere.
        for r in self.waiting.drain(..) {
            r.fail(KafkaError::new(code, msg.clone()).with_unsent());
        }
        if report && !self.rk.is_terminating() {
            // Suppress an identical error repeated within 30 s, as librdkafka does.
            let now = now_us();
            let dup = self.last_error.as_ref().is_some_and(|(m, at)| *m == msg && now - at < 30_000_000);
            if !dup {
                self.last_error = Some((msg.clone(), now));
                self.rk.log(3, "FAIL", &msg);
                self.rk.error(code, msg);
            }
        }
        self.set_state(S_DOWN);
        self.planned_down.set(false);
        // Exponential reconnect backoff with jitter (-25%..+50%).
        let base = self.rk.settings.reconnect_backoff_ms;
        let max = self.rk.settings.reconnect_backoff_max_ms.max(base);
        self.backoff_ms = if self.backoff_ms == 0 { base } else { (self.backoff_ms * 2).min(max) };
        let jitter = (self.backoff_ms as f64 * (fastrand::f64() * 0.75 - 0.25)) as i64;
        let delay = (self.backoff_ms + jitter).clamp(0, max);
        self.next_connect_us = now_us() + delay * 1000;
        self.h.backoff_until_us.store(self.next_connect_us, Ordering::Release);
        // Leadership may have moved: refresh metadata.
        if !self.rk.is_terminating() && !self.toppars.is_empty() {
            self.rk.request_refresh();
        }
    }

    /// socket.connection.setup.timeout.ms: connect, TLS and SASL must finish in time
    /// (not applicable to a re-authentication).
    fn check_setup_timeout(&mut self, now: i64) {
        let Some(c) = &self.conn else { return };
        if c.ready || now < c.connect_started_us + self.rk.settings.connection_setup_timeout_ms * 1000 {
            return;
        }
        let msg = self.failure_text(&format!("Connection setup timed out in state {}", self.h.state_name()));
        self.disconnect(ErrorCode::_TRANSPORT, msg, true);
    }

    fn shutdown(&mut self) {
        let e = || KafkaError::new(ErrorCode::_DESTROY, "Handle is terminating");
        for r in self.waiting.drain(..) {
            r.fail(e());
        }
        while let Ok(op) = self.rx.try_recv() {
            if let BrokerOp::Request(r) = op {
                r.fail(e());
            }
        }
        // As librdkafka: the broker ends DOWN (without counting as a broker failure).
        if self.h.state.swap(S_DOWN, Ordering::AcqRel) != S_DOWN {
            state_changed(&self.rk, &self.h, S_DOWN);
        }
        if let Some(c) = self.conn.take() {
            for f in self.close_conn(c) {
                match f.pending {
                    Pending::ApiVersions
                    | Pending::SaslHandshake
                    | Pending::SaslAuthenticate
                    | Pending::Purged => {}
                    Pending::Request(done) => done(Err(e())),
                    Pending::Batch(reply) => reply.abandon(ErrorCode::_DESTROY),
                }
            }
        }
    }
}

/// on_request_sent for a frame of `size` bytes just written to `conn`.
pub(super) fn wire_sent(
    rk: &Instance,
    h: &BrokerHandle,
    conn: &Conn,
    key: ApiKey,
    ver: i16,
    corr: i32,
    size: usize,
) {
    rk.icpt(|i| {
        let fd = conn.stream.tcp().as_raw_fd();
        let w = Wire {
            fd,
            broker: &h.name,
            broker_id: h.id,
            api_key: key as i16,
            api_version: ver,
            corr_id: corr,
            size,
        };
        i.on_request_sent(&w)
    });
}

/// on_broker_state_change for broker `h` entering state `s`.
pub(super) fn state_changed(rk: &Instance, h: &BrokerHandle, s: u8) {
    rk.icpt(|i| {
        let proto = rk.conf.string("security.protocol").unwrap_or_else(|| "plaintext".into());
        i.on_broker_state_change(h.id, &proto, &h.host, h.port as i32, STATE_NAMES[s as usize])
    });
}
