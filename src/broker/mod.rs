//! One thread per broker: connection state machine, ApiVersions negotiation, the request
//! pipeline with its in-flight list and timeouts, and serving the producer partitions
//! this broker leads.

use crate::client::{self, dbg, now_us, Client, Partition};
use crate::error::{ErrorCode, KafkaError};
use crate::protocol::{self, ApiVersions, ProtoError};
use crate::stats::Window;
use bytes::{Buf, Bytes, BytesMut};
use crossbeam_channel::{Receiver, Sender};
use kafka_protocol::messages::{ApiKey, ApiVersionsRequest, ApiVersionsResponse};
use kafka_protocol::protocol::{Encodable, StrBytes};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token, Waker};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::ToSocketAddrs;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const SOCK: Token = Token(0);
const WAKE: Token = Token(1);

/// Broker states, numbered and named as librdkafka's.
pub const STATE_NAMES: [&str; 12] = [
    "INIT",
    "DOWN",
    "TRY_CONNECT",
    "CONNECT",
    "SSL_HANDSHAKE",
    "AUTH_LEGACY",
    "UP",
    "UPDATE",
    "APIVERSION_QUERY",
    "AUTH_HANDSHAKE",
    "AUTH_REQ",
    "REAUTH",
];
pub const S_INIT: u8 = 0;
pub const S_DOWN: u8 = 1;
pub const S_TRY_CONNECT: u8 = 2;
pub const S_CONNECT: u8 = 3;
pub const S_UP: u8 = 6;
pub const S_APIVERSION_QUERY: u8 = 8;

pub type DoneFn = Box<dyn FnOnce(Result<(i16, Bytes), KafkaError>) + Send>;
type EncodeFn = Box<dyn FnOnce(&mut BytesMut, i16, i32, &str) -> Result<(), ProtoError> + Send>;

/// A request to run on a broker connection; `done` receives the response body (after the
/// response header) and the version that was used.
pub struct Request {
    pub key: ApiKey,
    pub min_ver: i16,
    pub max_ver: i16,
    encode: EncodeFn,
    done: DoneFn,
    pub timeout: Option<Duration>,
}

impl Request {
    /// A request whose body is a kafka-protocol schema message built for the chosen version.
    pub fn schema<T: Encodable + 'static>(
        key: ApiKey,
        min_ver: i16,
        max_ver: i16,
        build: impl FnOnce(i16) -> T + Send + 'static,
        done: impl FnOnce(Result<(i16, Bytes), KafkaError>) + Send + 'static,
    ) -> Request {
        Request {
            key,
            min_ver,
            max_ver,
            encode: Box::new(move |out, ver, corr, client_id| {
                let body = build(ver);
                protocol::encode_request(out, key, ver, corr, client_id, &body)
            }),
            done: Box::new(done),
            timeout: None,
        }
    }

    pub fn with_timeout(mut self, t: Option<Duration>) -> Request {
        self.timeout = t;
        self
    }

    pub fn fail(self, e: KafkaError) {
        (self.done)(Err(e))
    }
}

pub enum BrokerOp {
    Request(Request),
    /// Fail in-flight produce requests with _PURGE_INFLIGHT; ack on the channel when done.
    PurgeInflight(Sender<()>),
    Terminate,
}

#[derive(Default)]
pub struct BrokerStats {
    pub tx: AtomicU64,
    pub txbytes: AtomicU64,
    pub txerrs: AtomicU64,
    pub txretries: AtomicU64,
    pub req_timeouts: AtomicU64,
    pub rx: AtomicU64,
    pub rxbytes: AtomicU64,
    pub rxerrs: AtomicU64,
    pub rxcorriderrs: AtomicU64,
    pub connects: AtomicU64,
    pub disconnects: AtomicU64,
    pub outbuf_cnt: AtomicI64,
    pub outbuf_msg_cnt: AtomicI64,
    pub waitresp_cnt: AtomicI64,
    pub waitresp_msg_cnt: AtomicI64,
    pub rtt: Mutex<Window>,
    pub throttle: Mutex<Window>,
    pub int_latency: Mutex<Window>,
    pub outbuf_latency: Mutex<Window>,
    /// Per API key: requests sent.
    pub req: Mutex<Vec<(i16, u64)>>,
    /// now_us() of the last socket write / read on the current connection (0: none yet).
    pub ts_send_us: AtomicI64,
    pub ts_recv_us: AtomicI64,
    /// Broker thread poll loop wakeups.
    pub wakeups: AtomicU64,
}

/// A broker as the rest of the client sees it; the thread owns the connection.
pub struct BrokerHandle {
    pub id: i32,
    pub host: String,
    pub port: u16,
    /// "host:port/id" or "host:port/bootstrap", as librdkafka names brokers.
    pub name: String,
    tx: Sender<BrokerOp>,
    waker: Arc<Waker>,
    pub state: AtomicU8,
    pub state_since_us: AtomicI64,
    toppars: Mutex<Vec<Arc<Partition>>>,
    toppars_ver: AtomicU64,
    backoff_until_us: AtomicI64,
    thread: Mutex<Option<JoinHandle<()>>>,
    pub stats: BrokerStats,
    /// Consumer: a Fetch request is outstanding (one per broker at a time).
    pub fetch_inflight: std::sync::atomic::AtomicBool,
}

impl BrokerHandle {
    pub fn spawn(client: &Arc<Client>, id: i32, host: &str, port: u16) -> Result<Arc<BrokerHandle>, String> {
        let name = if id < 0 { format!("{host}:{port}/bootstrap") } else { format!("{host}:{port}/{id}") };
        Self::spawn_named(client, id, host, port, name)
    }

    /// A connection of its own to a broker, e.g. librdkafka's "GroupCoordinator": group
    /// requests that block for seconds (JoinGroup, SyncGroup) must not stall fetches.
    pub fn spawn_named(
        client: &Arc<Client>,
        id: i32,
        host: &str,
        port: u16,
        name: String,
    ) -> Result<Arc<BrokerHandle>, String> {
        let poll = Poll::new().map_err(|e| format!("Failed to create poll: {e}"))?;
        let waker =
            Arc::new(Waker::new(poll.registry(), WAKE).map_err(|e| format!("Failed to create waker: {e}"))?);
        let (tx, rx) = crossbeam_channel::unbounded();
        let h = Arc::new(BrokerHandle {
            id,
            host: host.to_string(),
            port,
            name: name.clone(),
            tx,
            waker,
            state: AtomicU8::new(S_INIT),
            state_since_us: AtomicI64::new(now_us()),
            toppars: Mutex::new(Vec::new()),
            toppars_ver: AtomicU64::new(0),
            backoff_until_us: AtomicI64::new(0),
            thread: Mutex::new(None),
            stats: BrokerStats::default(),
            fetch_inflight: std::sync::atomic::AtomicBool::new(false),
        });
        let worker = Worker::new(client.clone(), h.clone(), poll, rx);
        let thread_name = if id < 0 { format!("rdk:broker{}", port) } else { format!("rdk:broker{id}") };
        let jh = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || worker.run())
            .map_err(|e| format!("Failed to create broker thread: {e}"))?;
        *h.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(jh);
        Ok(h)
    }

    pub fn send(&self, req: Request) {
        if let Err(crossbeam_channel::SendError(BrokerOp::Request(r))) = self.tx.send(BrokerOp::Request(req))
        {
            r.fail(KafkaError::new(ErrorCode::_DESTROY, "Broker handle is terminating"));
            return;
        }
        self.wake();
    }

    pub fn wake(&self) {
        let _ = self.waker.wake();
    }

    pub fn terminate(&self) {
        let _ = self.tx.send(BrokerOp::Terminate);
        self.wake();
    }

    /// Runs an op on the broker thread and waits (bounded) for it to finish.
    pub fn purge_inflight(&self, wait: bool) {
        let (tx, rx) = crossbeam_channel::bounded(1);
        if self.tx.send(BrokerOp::PurgeInflight(tx)).is_ok() {
            self.wake();
            if wait {
                let _ = rx.recv_timeout(Duration::from_secs(5));
            }
        }
    }

    pub fn take_thread(&self) -> Option<JoinHandle<()>> {
        self.thread.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub fn is_up(&self) -> bool {
        self.state.load(Ordering::Acquire) == S_UP
    }

    pub fn in_backoff(&self) -> bool {
        self.backoff_until_us.load(Ordering::Acquire) > now_us()
    }

    pub fn state_name(&self) -> &'static str {
        STATE_NAMES.get(self.state.load(Ordering::Acquire) as usize).copied().unwrap_or("?")
    }

    pub fn add_toppar(&self, p: Arc<Partition>) {
        let mut v = self.toppars.lock().unwrap_or_else(|e| e.into_inner());
        if !v.iter().any(|x| Arc::ptr_eq(x, &p)) {
            v.push(p);
            // Group by topic so one Produce request lists each topic once.
            v.sort_by(|a, b| a.topic_name.cmp(&b.topic_name).then(a.id.cmp(&b.id)));
            self.toppars_ver.fetch_add(1, Ordering::AcqRel);
        }
    }

    pub fn remove_toppar(&self, p: &Arc<Partition>) {
        let mut v = self.toppars.lock().unwrap_or_else(|e| e.into_inner());
        v.retain(|x| !Arc::ptr_eq(x, p));
        self.toppars_ver.fetch_add(1, Ordering::AcqRel);
    }

    pub fn toppars(&self) -> Vec<Arc<Partition>> {
        self.toppars.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

enum Pending {
    ApiVersions,
    /// A purged produce request: its response is read and ignored.
    Purged,
    Request(DoneFn),
    Produce(crate::producer::ProduceCtx),
}

struct InFlight {
    corr: i32,
    key: ApiKey,
    ver: i16,
    sent_us: i64,
    deadline_us: i64,
    pending: Pending,
}

struct Conn {
    stream: TcpStream,
    outbuf: BytesMut,
    inbuf: BytesMut,
    inflight: VecDeque<InFlight>,
    connected: bool,
    api: Option<ApiVersions>,
    connect_started_us: i64,
}

pub struct Worker {
    pub client: Arc<Client>,
    pub h: Arc<BrokerHandle>,
    poll: Poll,
    rx: Receiver<BrokerOp>,
    conn: Option<Conn>,
    waiting: VecDeque<Request>,
    corr: i32,
    backoff_ms: i64,
    next_connect_us: i64,
    pub toppars: Vec<Arc<Partition>>,
    toppars_ver: u64,
    pub produce_inflight: usize,
    next_timeout_scan_us: i64,
    last_error: Option<(String, i64)>,
    terminating: bool,
    pub scratch: Vec<u8>,
    /// Counted in the client's down brokers (for _ALL_BROKERS_DOWN).
    down_reported: std::cell::Cell<bool>,
}

impl Worker {
    fn new(client: Arc<Client>, h: Arc<BrokerHandle>, poll: Poll, rx: Receiver<BrokerOp>) -> Worker {
        Worker {
            client,
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
            produce_inflight: 0,
            next_timeout_scan_us: 0,
            last_error: None,
            terminating: false,
            scratch: Vec::new(),
            down_reported: std::cell::Cell::new(false),
        }
    }

    fn set_state(&self, s: u8) {
        let old = self.h.state.swap(s, Ordering::AcqRel);
        if old != s {
            self.h.state_since_us.store(now_us(), Ordering::Release);
            self.client.dbg(dbg::BROKER, "STATE", || {
                format!(
                    "{}: Broker changed state {} -> {}",
                    self.h.name, STATE_NAMES[old as usize], STATE_NAMES[s as usize]
                )
            });
            // As librdkafka: a broker counts as down from its first DOWN until it is UP
            // again (reconnect attempts in between do not count as up).
            if s == S_DOWN && !self.down_reported.get() {
                self.down_reported.set(true);
                self.client.broker_down_changed(true);
            } else if s == S_UP && self.down_reported.get() {
                self.down_reported.set(false);
                self.client.broker_down_changed(false);
            }
        }
    }

    fn run(mut self) {
        crate::client::set_log_thread(&self.h.name);
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
            if self.terminating || self.client.terminating.load(Ordering::Acquire) {
                self.shutdown();
                return;
            }
            let ver = self.h.toppars_ver.load(Ordering::Acquire);
            if ver != self.toppars_ver {
                self.toppars_ver = ver;
                self.toppars = self.h.toppars();
            }
            let now = now_us();
            if now >= self.next_timeout_scan_us {
                self.next_timeout_scan_us = now + 100_000;
                crate::producer::scan_timeouts(&self.client, &self.toppars, now);
                self.check_request_timeouts(now);
            }
            let has_work = if self.client.is_producer() {
                crate::producer::has_queued(&self.toppars)
            } else {
                crate::consumer::has_work(&self.toppars)
            };
            let wants_conn = !self.waiting.is_empty() || has_work;
            if self.conn.is_none() && wants_conn && now >= self.next_connect_us {
                self.connect();
            }
            let mut wake_at = now + 1_000_000;
            if self.is_up() {
                self.send_waiting();
                if let Some(t) = crate::producer::serve(&mut self) {
                    wake_at = wake_at.min(t);
                }
                if let Some(t) = crate::consumer::serve(&mut self) {
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
                    self.client.error(ErrorCode::_FAIL, format!("{}: poll failed: {e}", self.h.name));
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

    fn is_up(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.connected && c.api.is_some())
    }

    fn connect(&mut self) {
        self.set_state(S_CONNECT);
        let started = now_us();
        let addr = match (self.h.host.as_str(), self.h.port).to_socket_addrs().map(|mut a| a.next()) {
            Ok(Some(a)) => a,
            Ok(None) | Err(_) => {
                self.conn_failed(ErrorCode::_RESOLVE, format!("{}: Failed to resolve '{}:{}': Name or service not known (after {}ms in state CONNECT)", self.h.name, self.h.host, self.h.port, 0));
                return;
            }
        };
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                if self.client.settings.socket_nagle_disable {
                    let _ = stream.set_nodelay(true);
                }
                if let Err(e) =
                    self.poll.registry().register(&mut stream, SOCK, Interest::READABLE | Interest::WRITABLE)
                {
                    self.conn_failed(ErrorCode::_TRANSPORT, format!("{}: register failed: {e}", self.h.name));
                    return;
                }
                self.h.stats.connects.fetch_add(1, Ordering::Relaxed);
                self.conn = Some(Conn {
                    stream,
                    outbuf: BytesMut::with_capacity(64 * 1024),
                    inbuf: BytesMut::with_capacity(64 * 1024),
                    inflight: VecDeque::new(),
                    connected: false,
                    api: None,
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
                        io_err_text(&e)
                    ),
                );
            }
        }
    }

    fn on_socket_event(&mut self, readable: bool, writable: bool) {
        let Some(conn) = self.conn.as_mut() else { return };
        if !conn.connected {
            if !(writable || readable) {
                return;
            }
            let err = match conn.stream.take_error() {
                Ok(Some(e)) => Some(e),
                Err(e) => Some(e),
                Ok(None) => {
                    conn.stream.peer_addr().err().filter(|e| e.kind() != std::io::ErrorKind::NotConnected)
                }
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
                        io_err_text(&e),
                        after
                    ),
                );
                return;
            }
            if conn.stream.peer_addr().is_err() {
                return; // still connecting
            }
            conn.connected = true;
            self.on_connected();
            return;
        }
        if readable {
            self.read_responses();
        }
        if writable && self.conn.is_some() {
            self.flush_out();
        }
    }

    fn on_connected(&mut self) {
        self.client.dbg(dbg::BROKER, "CONNECT", || {
            format!("{}: Connected (#{})", self.h.name, self.h.stats.connects.load(Ordering::Relaxed))
        });
        if self.client.settings.api_version_request {
            self.set_state(S_APIVERSION_QUERY);
            self.send_api_versions(3);
        } else {
            // Assume the Kafka 0.10-era defaults librdkafka uses without api.version.request.
            let list = [(0i16, 0i16, 2i16), (1, 0, 2), (2, 0, 0), (3, 0, 1), (18, 0, 0)];
            self.mark_up(ApiVersions::from_list(list));
        }
    }

    fn send_api_versions(&mut self, ver: i16) {
        let mut req = ApiVersionsRequest::default();
        req.client_software_name = StrBytes::from_static_str("kafkars");
        req.client_software_version = StrBytes::from_static_str(env!("CARGO_PKG_VERSION"));
        let corr = self.next_corr();
        let timeout = self.client.settings.socket_timeout_ms;
        let client_id = self.client.client_id.clone();
        let Some(conn) = self.conn.as_mut() else { return };
        if let Err(e) =
            protocol::encode_request(&mut conn.outbuf, ApiKey::ApiVersions, ver, corr, &client_id, &req)
        {
            self.client.error(ErrorCode::_FAIL, format!("{}: ApiVersions encode failed: {}", self.h.name, e));
            return;
        }
        let now = now_us();
        self.h.stats.tx.fetch_add(1, Ordering::Relaxed);
        crate::stats::count_request(&self.h.stats.req, ApiKey::ApiVersions as i16);
        conn.inflight.push_back(InFlight {
            corr,
            key: ApiKey::ApiVersions,
            ver,
            sent_us: now,
            deadline_us: now + timeout * 1000,
            pending: Pending::ApiVersions,
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
                self.mark_up(ApiVersions::from_list(list));
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

    fn mark_up(&mut self, api: ApiVersions) {
        if let Some(c) = self.conn.as_mut() {
            c.api = Some(api);
        }
        self.backoff_ms = 0;
        self.h.backoff_until_us.store(0, Ordering::Release);
        self.last_error = None;
        self.set_state(S_UP);
        // A freshly up broker may lead partitions we hold no metadata for yet.
        if !self.client.metadata_ok.load(Ordering::Acquire) {
            self.client.request_refresh();
        }
    }

    fn next_corr(&mut self) -> i32 {
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
            let timeout_ms =
                req.timeout.map_or(self.client.settings.socket_timeout_ms, |t| t.as_millis() as i64);
            let client_id = self.client.client_id.clone();
            let Some(conn) = self.conn.as_mut() else { return };
            let mark = conn.outbuf.len();
            if let Err(e) = (req.encode)(&mut conn.outbuf, ver, corr, &client_id) {
                conn.outbuf.truncate(mark);
                (req.done)(Err(KafkaError::new(ErrorCode::_FAIL, e.0)));
                continue;
            }
            let now = now_us();
            self.h.stats.tx.fetch_add(1, Ordering::Relaxed);
            crate::stats::count_request(&self.h.stats.req, req.key as i16);
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

    /// Queues a request built on this thread.
    pub fn enqueue(&mut self, req: Request) {
        self.waiting.push_back(req);
    }

    /// Queues a Produce frame already written into `out` by the producer (see producer::serve).
    pub fn out_buf(&mut self) -> Option<&mut BytesMut> {
        self.conn.as_mut().map(|c| &mut c.outbuf)
    }

    pub fn api(&self) -> Option<&ApiVersions> {
        self.conn.as_ref().and_then(|c| c.api.as_ref())
    }

    pub fn alloc_corr(&mut self) -> i32 {
        self.next_corr()
    }

    pub fn push_produce(&mut self, corr: i32, ver: i16, timeout_ms: i64, ctx: crate::producer::ProduceCtx) {
        let now = now_us();
        self.h.stats.tx.fetch_add(1, Ordering::Relaxed);
        crate::stats::count_request(&self.h.stats.req, ApiKey::Produce as i16);
        self.produce_inflight += 1;
        if let Some(c) = self.conn.as_mut() {
            c.inflight.push_back(InFlight {
                corr,
                key: ApiKey::Produce,
                ver,
                sent_us: now,
                deadline_us: now + timeout_ms * 1000,
                pending: Pending::Produce(ctx),
            });
        }
    }

    pub fn flush_out(&mut self) {
        let Some(conn) = self.conn.as_mut() else { return };
        if !conn.connected {
            return;
        }
        let mut err = None;
        while !conn.outbuf.is_empty() {
            match conn.stream.write(&conn.outbuf) {
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
                    err = Some(format!("Send failed: {}", io_err_text(&e)));
                    break;
                }
            }
        }
        if conn.outbuf.is_empty() && conn.outbuf.capacity() > 16 * 1024 * 1024 {
            conn.outbuf = BytesMut::with_capacity(64 * 1024);
        }
        if let Some(e) = err {
            let msg = format!("{}: {}", self.h.name, e);
            self.disconnect(ErrorCode::_TRANSPORT, msg, true);
        }
    }

    fn read_responses(&mut self) {
        let max = self.client.settings.receive_message_max_bytes;
        loop {
            let Some(conn) = self.conn.as_mut() else { return };
            if conn.inbuf.capacity() - conn.inbuf.len() < 16 * 1024 {
                conn.inbuf.reserve(64 * 1024);
            }
            let len = conn.inbuf.len();
            let cap = conn.inbuf.capacity();
            conn.inbuf.resize(cap, 0);
            let res = conn.stream.read(&mut conn.inbuf[len..]);
            match res {
                Ok(0) => {
                    conn.inbuf.truncate(len);
                    let up_ms = (now_us() - self.h.state_since_us.load(Ordering::Acquire)) / 1000;
                    let state = self.h.state_name();
                    let msg = format!("{}: Disconnected (after {}ms in state {})", self.h.name, up_ms, state);
                    // An idle close by the broker is routine; librdkafka only logs it.
                    let report = conn.inflight.iter().any(|f| !matches!(f.pending, Pending::ApiVersions))
                        || self.h.state.load(Ordering::Acquire) != S_UP;
                    self.disconnect(ErrorCode::_TRANSPORT, msg, report);
                    return;
                }
                Ok(n) => {
                    conn.inbuf.truncate(len + n);
                    self.h.stats.rxbytes.fetch_add(n as u64, Ordering::Relaxed);
                    self.h.stats.ts_recv_us.store(now_us(), Ordering::Relaxed);
                }
                Err(e) => {
                    conn.inbuf.truncate(len);
                    match e.kind() {
                        std::io::ErrorKind::WouldBlock => break,
                        std::io::ErrorKind::Interrupted => continue,
                        _ => {
                            let msg = format!("{}: Receive failed: {}", self.h.name, io_err_text(&e));
                            self.disconnect(ErrorCode::_TRANSPORT, msg, true);
                            return;
                        }
                    }
                }
            }
            // Parse complete frames.
            loop {
                let Some(conn) = self.conn.as_mut() else { return };
                if conn.inbuf.len() < 4 {
                    break;
                }
                let size = i32::from_be_bytes([conn.inbuf[0], conn.inbuf[1], conn.inbuf[2], conn.inbuf[3]]);
                if size < 4 || size as usize > max {
                    let msg = format!("{}: Receive failed: Invalid response size {} (0..{}): increase receive.message.max.bytes", self.h.name, size, max);
                    self.disconnect(ErrorCode::_BAD_MSG, msg, true);
                    return;
                }
                if conn.inbuf.len() < 4 + size as usize {
                    if conn.inbuf.capacity() < 4 + size as usize {
                        conn.inbuf.reserve(4 + size as usize - conn.inbuf.len());
                    }
                    break;
                }
                let mut frame = conn.inbuf.split_to(4 + size as usize).freeze();
                frame.advance(4);
                self.on_frame(frame);
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
        let Some(conn) = self.conn.as_mut() else { return };
        let Some(pos) = conn.inflight.iter().position(|f| f.corr == corr) else {
            self.h.stats.rxcorriderrs.fetch_add(1, Ordering::Relaxed);
            let msg = format!("{}: Response for unknown CorrId {} (timed out?)", self.h.name, corr);
            self.client.dbg(dbg::PROTOCOL, "PROTOERR", || msg);
            return;
        };
        let Some(f) = conn.inflight.remove(pos) else { return };
        let now = now_us();
        if let Ok(mut w) = self.h.stats.rtt.lock() {
            w.add(now - f.sent_us);
        }
        if let Err(e) = protocol::skip_response_header_tags(&mut frame, f.key, f.ver) {
            self.complete(f.pending, Err(KafkaError::new(ErrorCode::_BAD_MSG, e.0)), f.ver);
            return;
        }
        self.client.dbg(dbg::PROTOCOL, "RECV", || {
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
            p => self.complete(p, Ok((f.ver, frame)), f.ver),
        }
    }

    fn complete(&mut self, p: Pending, res: Result<(i16, Bytes), KafkaError>, _ver: i16) {
        match p {
            Pending::ApiVersions => {
                if let Err(e) = res {
                    self.disconnect(e.code, e.msg, true);
                }
            }
            Pending::Request(done) => done(res),
            Pending::Produce(ctx) => {
                self.produce_inflight = self.produce_inflight.saturating_sub(1);
                crate::producer::handle_response(self, ctx, res);
            }
            Pending::Purged => self.produce_inflight = self.produce_inflight.saturating_sub(1),
        }
    }

    fn purge_inflight(&mut self) {
        let Some(c) = self.conn.as_mut() else { return };
        let mut purged = Vec::new();
        for f in c.inflight.iter_mut() {
            if matches!(f.pending, Pending::Produce(_)) {
                if let Pending::Produce(ctx) = std::mem::replace(&mut f.pending, Pending::Purged) {
                    purged.push(ctx);
                }
            }
        }
        for ctx in purged {
            crate::producer::fail_ctx(&self.client, ctx, ErrorCode::_PURGE_INFLIGHT);
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
            self.disconnect(ErrorCode::_TIMED_OUT, msg, true);
        }
    }

    fn conn_failed(&mut self, code: ErrorCode, msg: String) {
        self.disconnect(code, msg, true);
    }

    /// Tears the connection down, fails in-flight requests, schedules a reconnect.
    fn disconnect(&mut self, code: ErrorCode, msg: String, report: bool) {
        if let Some(mut c) = self.conn.take() {
            let _ = self.poll.registry().deregister(&mut c.stream);
            self.h.stats.disconnects.fetch_add(1, Ordering::Relaxed);
            // Idle times are per connection.
            self.h.stats.ts_send_us.store(0, Ordering::Relaxed);
            self.h.stats.ts_recv_us.store(0, Ordering::Relaxed);
            for f in c.inflight.drain(..) {
                let e = KafkaError::new(code, msg.clone());
                match f.pending {
                    Pending::ApiVersions | Pending::Purged => {}
                    Pending::Request(done) => done(Err(e)),
                    Pending::Produce(ctx) => {
                        self.produce_inflight = self.produce_inflight.saturating_sub(1);
                        crate::producer::handle_response(self, ctx, Err(e));
                    }
                }
            }
        }
        self.produce_inflight = 0;
        // Requests queued for this connection fail too; their owners retry elsewhere.
        for r in self.waiting.drain(..) {
            r.fail(KafkaError::new(code, msg.clone()));
        }
        if report && !self.client.terminating.load(Ordering::Acquire) {
            // Suppress an identical error repeated within 30 s, as librdkafka does.
            let now = now_us();
            let dup = self.last_error.as_ref().is_some_and(|(m, at)| *m == msg && now - at < 30_000_000);
            if !dup {
                self.last_error = Some((msg.clone(), now));
                self.client.log(3, "FAIL", &msg);
                self.client.error(code, msg);
            }
        }
        self.set_state(S_DOWN);
        // Exponential reconnect backoff with jitter (-25%..+50%).
        let base = self.client.settings.reconnect_backoff_ms;
        let max = self.client.settings.reconnect_backoff_max_ms.max(base);
        self.backoff_ms = if self.backoff_ms == 0 { base } else { (self.backoff_ms * 2).min(max) };
        let jitter = (self.backoff_ms as f64 * (fastrand::f64() * 0.75 - 0.25)) as i64;
        let delay = (self.backoff_ms + jitter).clamp(0, max);
        self.next_connect_us = now_us() + delay * 1000;
        self.h.backoff_until_us.store(self.next_connect_us, Ordering::Release);
        // Leadership may have moved: refresh metadata.
        if !self.client.terminating.load(Ordering::Acquire) && !self.toppars.is_empty() {
            self.client.request_refresh();
        }
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
        if let Some(mut c) = self.conn.take() {
            let _ = self.poll.registry().deregister(&mut c.stream);
            for f in c.inflight.drain(..) {
                match f.pending {
                    Pending::ApiVersions | Pending::Purged => {}
                    Pending::Request(done) => done(Err(e())),
                    Pending::Produce(ctx) => {
                        crate::producer::fail_ctx(&self.client, ctx, ErrorCode::_DESTROY)
                    }
                }
            }
        }
    }
}

fn io_err_text(e: &std::io::Error) -> String {
    // librdkafka prints the bare strerror text ("Connection refused").
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub use client::Partition as Toppar;
