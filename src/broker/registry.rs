//! The brokers of one client: bootstrap brokers, brokers learned from metadata, and
//! the dedicated coordinator connections; each with its thread. Picks a broker for
//! cluster-wide requests, and stops them all at destroy.

use super::handle::BrokerHandle;
use super::handle::S_INIT;
use super::health::Health;
use super::request::Request;
use super::source::Source;
use super::worker::{state_changed, Worker, WAKE};
use crate::error::{ErrorCode, KafkaError};
use crate::instance::{dbg, Instance};
use crate::metadata::Cache;
use mio::{Poll, Waker};
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};

pub struct Brokers {
    rk: Arc<Instance>,
    cache: Arc<Cache>,
    list: RwLock<Vec<Arc<BrokerHandle>>>,
    /// The work sources every broker thread serves (the producer or the fetcher).
    sources: RwLock<Vec<Arc<dyn Source>>>,
    health: Arc<Health>,
}

impl Brokers {
    pub fn new(rk: &Arc<Instance>, cache: &Arc<Cache>) -> Brokers {
        Brokers {
            rk: rk.clone(),
            cache: cache.clone(),
            list: RwLock::new(Vec::new()),
            sources: RwLock::new(Vec::new()),
            health: Arc::default(),
        }
    }

    /// Registers the work sources; done once, before any broker is added.
    pub fn set_sources(&self, sources: Vec<Arc<dyn Source>>) {
        *self.sources.write().unwrap_or_else(|e| e.into_inner()) = sources;
    }

    /// Starts a broker thread; `id` < 0 for a bootstrap broker.
    fn spawn(&self, id: i32, host: &str, port: u16) -> Result<Arc<BrokerHandle>, String> {
        // As librdkafka: "ssl://host:port/1"; plaintext brokers carry no prefix.
        let proto = self.rk.conf.string("security.protocol").unwrap_or_default();
        let scheme =
            if proto.is_empty() || proto == "plaintext" { String::new() } else { format!("{proto}://") };
        let name = if id < 0 {
            format!("{scheme}{host}:{port}/bootstrap")
        } else {
            format!("{scheme}{host}:{port}/{id}")
        };
        self.spawn_named(id, host, port, name)
    }

    /// A connection of its own to a broker, e.g. librdkafka's "GroupCoordinator": group
    /// requests that block for seconds (JoinGroup, SyncGroup) must not stall fetches.
    fn spawn_named(&self, id: i32, host: &str, port: u16, name: String) -> Result<Arc<BrokerHandle>, String> {
        let poll = Poll::new().map_err(|e| format!("Failed to create poll: {e}"))?;
        let waker =
            Arc::new(Waker::new(poll.registry(), WAKE).map_err(|e| format!("Failed to create waker: {e}"))?);
        let (tx, rx) = crossbeam_channel::unbounded();
        let h = Arc::new(BrokerHandle::new(id, host, port, name, tx, waker));
        let sources = self.sources.read().unwrap_or_else(|e| e.into_inner()).clone();
        let worker = Worker::new(
            self.rk.clone(),
            self.cache.clone(),
            self.health.clone(),
            sources,
            h.clone(),
            poll,
            rx,
        );
        let thread_name = if id < 0 { format!("rdk:broker{}", port) } else { format!("rdk:broker{id}") };
        let jh = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || worker.run())
            .map_err(|e| format!("Failed to create broker thread: {e}"))?;
        *h.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(jh);
        self.health.broker_added();
        state_changed(&self.rk, &h, S_INIT);
        self.list.write().unwrap_or_else(|e| e.into_inner()).push(h.clone());
        Ok(h)
    }

    /// Adds the `bootstrap.servers` brokers.
    pub fn add_bootstrap(&self) -> Result<(), String> {
        let list = self.rk.conf.string("bootstrap.servers").unwrap_or_default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (host, port) = parse_host_port(item)?;
            self.spawn(-1, &host, port)?;
        }
        Ok(())
    }

    /// Adds brokers from a list (rd_kafka_brokers_add); returns how many were added.
    pub fn add_list(&self, list: &str) -> usize {
        let mut n = 0;
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if let Ok((host, port)) = parse_host_port(item) {
                if self.all().iter().any(|b| b.host == host && b.port == port) {
                    continue;
                }
                if self.spawn(-1, &host, port).is_ok() {
                    n += 1;
                }
            }
        }
        if n > 0 {
            self.rk.request_refresh();
        }
        n
    }

    /// A broker metadata named: started unless known already.
    pub fn learn(&self, id: i32, host: &str, port: u16) {
        if self.by_id(id).is_some() {
            return;
        }
        match self.spawn(id, host, port) {
            Ok(h) => self
                .rk
                .dbg(dbg::BROKER, "BROKER", || format!("{}: Added new broker with NodeId {}", h.name, id)),
            Err(e) => self.rk.error(ErrorCode::_FAIL, e),
        }
    }

    pub fn all(&self) -> Vec<Arc<BrokerHandle>> {
        self.list.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn by_id(&self, id: i32) -> Option<Arc<BrokerHandle>> {
        self.list.read().unwrap_or_else(|e| e.into_inner()).iter().find(|b| b.id == id).cloned()
    }

    /// Picks a broker for a cluster-wide request: an UP one if any, else a learned one,
    /// else a bootstrap broker; among those, the one tried least recently (never tried
    /// first), as librdkafka does, so every unreachable broker gets its turn.
    pub fn any(&self) -> Option<Arc<BrokerHandle>> {
        let brokers = self.all();
        if let Some(b) = brokers.iter().find(|b| b.is_up()) {
            return Some(b.clone());
        }
        let known: Vec<_> = brokers.iter().filter(|b| b.id >= 0).cloned().collect();
        let pool = if known.is_empty() { brokers } else { known };
        if pool.is_empty() {
            return None;
        }
        // The end of a broker's reconnect backoff dates its last failure (0: none yet);
        // equals are taken from a random start, so the load spreads.
        let idx = fastrand::usize(..pool.len());
        pool.iter()
            .cycle()
            .skip(idx)
            .take(pool.len())
            .min_by_key(|b| b.backoff_until_us.load(Ordering::Acquire))
            .cloned()
    }

    /// Sends a request to some broker (see `any`); hands it back when there is none.
    pub fn send_any(&self, req: Request) -> Result<(), Request> {
        match self.any() {
            Some(b) => {
                b.send(req);
                Ok(())
            }
            None => Err(req),
        }
    }

    /// Like `send_any`, failing the request with _TRANSPORT when there is no broker.
    pub fn send_any_or_fail(&self, req: Request) {
        if let Err(req) = self.send_any(req) {
            req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "No brokers configured"));
        }
    }

    /// The dedicated connection `prefix/id` to a coordinator (librdkafka's
    /// "GroupCoordinator", "TxnCoordinator"), reused while the coordinator stays the same.
    pub fn coordinator_connection(
        &self,
        prefix: &str,
        id: i32,
        host: &str,
        port: u16,
    ) -> Option<Arc<BrokerHandle>> {
        let name = format!("{prefix}/{id}");
        if let Some(b) = self.all().into_iter().find(|b| b.name == name && b.host == host && b.port == port) {
            return Some(b);
        }
        self.spawn_named(-1, host, port, name).ok()
    }

    pub fn wake_all(&self) {
        for b in self.all() {
            b.wake();
        }
    }

    /// rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT): every broker fails its in-flight batches.
    pub fn purge_inflight(&self, wait: bool) {
        for b in self.all() {
            b.purge_inflight(wait);
        }
    }

    /// Stops every broker thread and waits for them (destroy). Drops the sources, which
    /// hold this registry in turn.
    pub fn shutdown(&self) {
        let brokers = self.all();
        for b in &brokers {
            b.terminate();
        }
        for b in &brokers {
            if let Some(h) = b.take_thread() {
                let _ = h.join();
            }
        }
        self.list.write().unwrap_or_else(|e| e.into_inner()).clear();
        self.sources.write().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Parses "host:port", "[v6]:port" or "proto://host:port" (as librdkafka); port 9092
/// when absent.
pub fn parse_host_port(s: &str) -> Result<(String, u16), String> {
    let s = s.rsplit("://").next().unwrap_or(s);
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']').ok_or_else(|| format!("Invalid broker address \"{s}\""))?;
        let host = &rest[..end];
        let port = rest[end + 1..].strip_prefix(':').unwrap_or("9092");
        (host.to_string(), port)
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p),
            None => (s.to_string(), "9092"),
        }
    };
    let port: u16 = port.parse().map_err(|_| format!("Invalid port in broker address \"{s}\""))?;
    Ok((host, port))
}
