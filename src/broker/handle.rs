//! A broker as the rest of the client sees it: its identity, connection state,
//! statistics, the partitions it leads, and the channel to its thread (which owns the
//! connection, see `worker`).

use super::request::Request;
use crate::clock::now_us;
use crate::error::{ErrorCode, KafkaError};
use crate::metadata::Partition;
use crate::window::Window;
use crossbeam_channel::Sender;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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
pub const S_SSL_HANDSHAKE: u8 = 4;
pub const S_AUTH_LEGACY: u8 = 5;
pub const S_UP: u8 = 6;
pub const S_APIVERSION_QUERY: u8 = 8;
pub const S_AUTH_HANDSHAKE: u8 = 9;
pub const S_AUTH_REQ: u8 = 10;
pub const S_REAUTH: u8 = 11;

/// What other threads ask a broker thread to do.
pub enum BrokerOp {
    Request(Request),
    /// Fail in-flight batches (produce requests) with _PURGE_INFLIGHT; ack when done.
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

impl BrokerStats {
    /// Counts one request of API `key` sent.
    pub fn count_request(&self, key: i16) {
        let mut v = self.req.lock().unwrap_or_else(|e| e.into_inner());
        match v.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => v.push((key, 1)),
        }
    }
}

pub struct BrokerHandle {
    pub id: i32,
    pub host: String,
    pub port: u16,
    /// "host:port/id" or "host:port/bootstrap", as librdkafka names brokers.
    pub name: String,
    pub(super) tx: Sender<BrokerOp>,
    pub(super) waker: Arc<mio::Waker>,
    pub state: AtomicU8,
    pub state_since_us: AtomicI64,
    toppars: Mutex<Vec<Arc<Partition>>>,
    toppars_ver: AtomicU64,
    pub(super) backoff_until_us: AtomicI64,
    pub(super) thread: Mutex<Option<JoinHandle<()>>>,
    pub stats: BrokerStats,
}

impl BrokerHandle {
    pub(super) fn new(
        id: i32,
        host: &str,
        port: u16,
        name: String,
        tx: Sender<BrokerOp>,
        waker: Arc<mio::Waker>,
    ) -> BrokerHandle {
        BrokerHandle {
            id,
            host: host.to_string(),
            port,
            name,
            tx,
            waker,
            state: AtomicU8::new(S_INIT),
            state_since_us: AtomicI64::new(now_us()),
            toppars: Mutex::new(Vec::new()),
            toppars_ver: AtomicU64::new(0),
            backoff_until_us: AtomicI64::new(0),
            thread: Mutex::new(None),
            stats: BrokerStats::default(),
        }
    }

    /// Queues a request for this broker's connection.
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

    /// What wakes this broker's thread (partitions keep it to wake their leader).
    pub fn waker(&self) -> Arc<mio::Waker> {
        self.waker.clone()
    }

    pub fn terminate(&self) {
        let _ = self.tx.send(BrokerOp::Terminate);
        self.wake();
    }

    /// Fails the in-flight batches on the broker thread; waits (bounded) when asked.
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

    pub fn state_name(&self) -> &'static str {
        STATE_NAMES.get(self.state.load(Ordering::Acquire) as usize).copied().unwrap_or("?")
    }

    /// This broker now leads `p`.
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

    /// The partitions this broker leads.
    pub fn toppars(&self) -> Vec<Arc<Partition>> {
        self.toppars.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Bumped on every change of `toppars` (the broker thread caches the list).
    pub fn toppars_version(&self) -> u64 {
        self.toppars_ver.load(Ordering::Acquire)
    }
}
