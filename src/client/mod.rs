//! The client (rd_kafka_t): configuration, topics and partitions, broker registry,
//! metadata cache and the main thread that runs timers.

pub mod metadata;
mod settings;

pub use settings::{Settings, TopicSettings};

use crate::broker::{self, BrokerHandle, Request};
use crate::conf::{Conf, TopicConf};
use crate::error::ErrorCode;
use crate::event::{Event, Queue};
use crate::message::Message;
use crate::producer::partitioner::Partitioner;
use crossbeam_channel::{Receiver, Sender};
use std::collections::{HashMap, VecDeque};
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::conf::ClientType;

/// Debug contexts (the `debug` property), as bit flags.
pub mod dbg {
    pub const GENERIC: u32 = 0x1;
    pub const BROKER: u32 = 0x2;
    pub const TOPIC: u32 = 0x4;
    pub const METADATA: u32 = 0x8;
    pub const FEATURE: u32 = 0x10;
    pub const QUEUE: u32 = 0x20;
    pub const MSG: u32 = 0x40;
    pub const PROTOCOL: u32 = 0x80;
    pub const CGRP: u32 = 0x100;
    pub const SECURITY: u32 = 0x200;
    pub const FETCH: u32 = 0x400;
    pub const EOS: u32 = 0x8000;
    pub const ALL: u32 = 0xfffff;

    pub fn parse(csv: &str) -> u32 {
        let mut f = 0;
        for w in csv.split(',').map(str::trim) {
            f |= match w {
                "generic" => GENERIC,
                "broker" => BROKER,
                "topic" => TOPIC,
                "metadata" => METADATA,
                "feature" => FEATURE,
                "queue" => QUEUE,
                "msg" => MSG,
                "protocol" => PROTOCOL,
                "cgrp" => CGRP,
                "security" => SECURITY,
                "fetch" => FETCH,
                "eos" => EOS,
                "all" => ALL,
                _ => 0,
            };
        }
        f
    }
}

pub type LogFn = Box<dyn Fn(i32, &str, &str) + Send + Sync>;
/// Custom partitioner: (topic, key, partition count, message opaque) -> partition.
pub type PartitionerFn = Arc<dyn Fn(&Topic, Option<&[u8]>, i32, usize) -> i32 + Send + Sync>;

/// Hooks into the C layer, installed at creation.
#[derive(Default)]
pub struct Hooks {
    pub log: Option<LogFn>,
    /// Whether delivery reports are wanted at all (dr_msg_cb, dr_cb or DR events).
    pub dr_enabled: bool,
    /// The application set rebalance_cb / offset_commit_cb.
    pub rebalance_cb: bool,
    pub offset_commit_cb: bool,
    /// error_cb set or ERROR events enabled: client-level errors are queued, else logged.
    pub error_cb: bool,
}

/// Producer queue accounting shared by the client and every message's topic.
pub struct OutQ {
    pub cnt: AtomicUsize,
    pub bytes: AtomicUsize,
    pub max_cnt: usize,
    pub max_bytes: usize,
    /// Threads waiting for queue space (RD_KAFKA_MSG_F_BLOCK) or for an empty queue (flush).
    waiters: AtomicUsize,
    lock: Mutex<()>,
    cond: Condvar,
}

impl OutQ {
    fn new(max_cnt: usize, max_bytes: usize) -> OutQ {
        OutQ {
            cnt: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            max_cnt,
            max_bytes,
            waiters: AtomicUsize::new(0),
            lock: Mutex::new(()),
            cond: Condvar::new(),
        }
    }

    /// Reserves room for one message; false when the queue is full.
    pub fn try_add(&self, size: usize) -> bool {
        let c = self.cnt.fetch_add(1, Ordering::AcqRel);
        let b = self.bytes.fetch_add(size, Ordering::AcqRel);
        if c >= self.max_cnt || b + size > self.max_bytes {
            self.cnt.fetch_sub(1, Ordering::AcqRel);
            self.bytes.fetch_sub(size, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// Whether one more message of `size` bytes fits (a read-only pre-check).
    pub fn has_room(&self, size: usize) -> bool {
        self.cnt.load(Ordering::Relaxed) < self.max_cnt
            && self.bytes.load(Ordering::Relaxed) + size <= self.max_bytes
    }

    pub fn sub(&self, n: usize, size: usize) {
        self.bytes.fetch_sub(size, Ordering::AcqRel);
        self.cnt.fetch_sub(n, Ordering::AcqRel);
        if self.waiters.load(Ordering::Acquire) > 0 {
            let _g = self.lock.lock();
            self.cond.notify_all();
        }
    }

    /// Waits (bounded) until `pred` holds or the deadline passes.
    pub fn wait_until(&self, deadline: Option<Instant>, pred: impl Fn(&OutQ) -> bool) -> bool {
        self.waiters.fetch_add(1, Ordering::AcqRel);
        let mut g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let ok = loop {
            if pred(self) {
                break true;
            }
            let step = Duration::from_millis(100);
            let wait = match deadline {
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        break false;
                    }
                    (d - now).min(step)
                }
                None => step,
            };
            g = self.cond.wait_timeout(g, wait).unwrap_or_else(|e| e.into_inner()).0;
        };
        drop(g);
        self.waiters.fetch_sub(1, Ordering::AcqRel);
        ok
    }
}

/// A partition's producer queue and its current leader.
#[derive(Default)]
pub struct PartQueue {
    pub msgs: VecDeque<Box<Message>>,
    pub bytes: usize,
    pub leader: Option<Arc<BrokerHandle>>,
    /// Retry backoff: nothing is sent before this instant.
    pub backoff_until: Option<Instant>,
    /// Idempotent producer: the sequence of the next new message, the next sequence
    /// expected to be acknowledged, the Produce requests in flight, and the producer
    /// id/epoch the assigned sequences belong to.
    pub next_seq: i32,
    pub acked_seq: i32,
    pub inflight: usize,
    pub seq_owner: Option<(i64, i16)>,
}

/// A topic partition (librdkafka's toppar).
pub struct Partition {
    pub topic: Weak<Topic>,
    pub topic_name: Arc<str>,
    /// The topic's settings, copied: broker threads read them without touching the
    /// topic's reference count, which the producing thread updates per message.
    pub settings: TopicSettings,
    pub id: i32,
    pub q: Mutex<PartQueue>,
    pub leader_id: AtomicI32,
    pub leader_epoch: AtomicI32,
    pub stats: PartStats,
    /// Consumer: fetch state, and the queue fetched messages wait in (forwarded to the
    /// consumer queue when assigned, or read directly by the legacy consume API).
    pub cons_state: Mutex<crate::consumer::ConsState>,
    pub fetchq: Arc<Queue>,
    pub fetchq_cnt: AtomicI64,
    pub fetchq_bytes: AtomicI64,
    /// The fetcher skipped this partition because its queue was full.
    pub fetch_blocked: AtomicBool,
    /// Transactional producer: registered with the current transaction (txn::PART_*).
    pub txn: std::sync::atomic::AtomicU8,
}

#[derive(Default)]
pub struct PartStats {
    pub txmsgs: AtomicU64,
    pub txbytes: AtomicU64,
    pub msgs: AtomicU64,
    pub txerrs: AtomicU64,
    pub next_ack_seq: AtomicI64,
    /// Messages in Produce requests awaiting a response.
    pub msgs_inflight: AtomicI64,
    pub rxmsgs: AtomicU64,
    pub rxbytes: AtomicU64,
}

impl Partition {
    pub fn new(topic: &Arc<Topic>, name: Arc<str>, id: i32) -> Arc<Partition> {
        Arc::new(Partition {
            topic: Arc::downgrade(topic),
            settings: topic.settings.clone(),
            topic_name: name,
            id,
            q: Default::default(),
            leader_id: (-1).into(),
            leader_epoch: (-1).into(),
            stats: Default::default(),
            cons_state: Default::default(),
            fetchq: Queue::new(),
            fetchq_cnt: AtomicI64::new(0),
            fetchq_bytes: AtomicI64::new(0),
            fetch_blocked: AtomicBool::new(false),
            txn: Default::default(),
        })
    }

    pub fn cons(&self) -> std::sync::MutexGuard<'_, crate::consumer::ConsState> {
        self.cons_state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, PartQueue> {
        self.q.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Default)]
pub struct TopicState {
    pub partitions: Vec<Arc<Partition>>,
    /// Partition count from metadata (`partitions` may hold more, created ahead of it).
    pub count: i32,
    /// Metadata has been received for this topic (partition count is known).
    pub known: bool,
    /// The cluster said the topic does not exist (after topic.metadata.propagation.max.ms).
    pub notexists: bool,
    pub err: i32,
    pub metadata_age: Option<Instant>,
}

/// A topic handle (rd_kafka_topic_t). One per name per client; `rd_kafka_topic_new`
/// returns the same object again.
#[repr(C)]
pub struct Topic {
    /// The C API's handle tag (rd_kafka_topic_t points here; must stay first).
    pub tag: u64,
    pub name: String,
    pub cname: CString,
    pub conf: TopicConf,
    pub settings: TopicSettings,
    pub opaque: AtomicUsize,
    pub partitioner: Partitioner,
    pub custom_partitioner: Option<PartitionerFn>,
    pub state: RwLock<TopicState>,
    /// Messages waiting for the topic's metadata (unassigned partition).
    pub ua: Mutex<VecDeque<Box<Message>>>,
    pub outq: Arc<OutQ>,
    pub created: Instant,
    /// Sticky partition for null keys: (1 << 32 | partition) once chosen, and until when.
    pub sticky: AtomicI64,
    pub sticky_until: AtomicI64,
    /// The owning client, for rd_kafka_produce(rkt, ...); weak to avoid a cycle.
    pub client: Weak<Client>,
    pub stats: crate::stats::TopicStats,
}

impl Topic {
    pub fn state(&self) -> std::sync::RwLockReadGuard<'_, TopicState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }
    pub fn state_mut(&self) -> std::sync::RwLockWriteGuard<'_, TopicState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
    /// The partition object for `id`, created ahead of metadata if needed (a consumer may
    /// start on a partition before the topic's metadata arrives, as with librdkafka).
    pub fn ensure_partition(self: &Arc<Self>, id: i32) -> Option<Arc<Partition>> {
        if id < 0 {
            return None;
        }
        let mut st = self.state_mut();
        let name: Arc<str> =
            st.partitions.first().map_or_else(|| Arc::from(self.name.as_str()), |p| p.topic_name.clone());
        while st.partitions.len() <= id as usize {
            let n = st.partitions.len() as i32;
            st.partitions.push(Partition::new(self, name.clone(), n));
        }
        st.partitions.get(id as usize).cloned()
    }

    pub fn partition(&self, id: i32) -> Option<Arc<Partition>> {
        if id < 0 {
            return None;
        }
        self.state().partitions.get(id as usize).cloned()
    }
}

#[derive(Default)]
pub struct ClusterInfo {
    pub cluster_id: Option<String>,
    pub controller_id: i32,
    pub brokers_known: bool,
}

pub enum MainOp {
    /// Refresh metadata for these topics soon (empty: all known topics).
    Refresh,
    /// Something for the main thread's periodic work (idempotent producer id) changed.
    Kick,
    Terminate,
}

pub struct Client {
    pub kind: ClientType,
    pub name: String,
    pub client_id: String,
    pub conf: Conf,
    pub settings: Settings,
    pub debug: u32,
    /// log_level, changeable at runtime by rd_kafka_set_log_level.
    pub log_level: AtomicI32,
    pub hooks: Hooks,
    pub main_q: Arc<Queue>,
    /// log.queue=true: logs wait here until rd_kafka_set_log_queue() forwards them.
    pub log_q: Option<Arc<Queue>>,
    /// The high-level consumer's queue (consumer_poll); assigned partitions forward here.
    pub consumer_q: Arc<Queue>,
    pub assignment: Mutex<Vec<Arc<Partition>>>,
    /// The consumer group member, when group.id is set.
    pub group: std::sync::OnceLock<Arc<crate::consumer::group::Group>>,
    /// A subscription uses patterns: metadata refreshes ask for all topics.
    pub want_all_topics: AtomicBool,
    /// Every topic name in the cluster, from the last all-topics metadata.
    pub all_topics: Mutex<Vec<String>>,
    pub outq: Arc<OutQ>,
    pub topics: Mutex<HashMap<String, Arc<Topic>>>,
    pub brokers: RwLock<Vec<Arc<BrokerHandle>>>,
    pub cluster: RwLock<ClusterInfo>,
    pub terminating: AtomicBool,
    /// Set while `flush` runs: linger is skipped so everything goes out now.
    pub flushing: AtomicUsize,
    pub fatal: Mutex<Option<(ErrorCode, String)>>,
    /// Set with `fatal`, read on the hot path without locking.
    pub has_fatal: AtomicBool,
    /// enable.idempotence: producer id, epoch and recovery state.
    pub idem: Option<crate::producer::idempotence::Idempotence>,
    /// transactional.id: the transaction manager.
    pub txn: Option<crate::producer::txn::Txn>,
    pub start: Instant,
    pub ts_start_us: i64,
    pub main_tx: Sender<MainOp>,
    main_rx: Mutex<Option<Receiver<MainOp>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// Brokers currently down; used to raise _ALL_BROKERS_DOWN once per transition.
    pub down_cnt: AtomicUsize,
    pub all_down_reported: AtomicBool,
    pub refresh_pending: AtomicBool,
    pub last_refresh_ms: AtomicI64,
    pub metadata_ok: AtomicBool,
    /// Metadata responses arrive on any broker thread; applying them one at a time keeps
    /// two moves of a topic's unassigned messages from interleaving (and reordering).
    pub metadata_apply: Mutex<()>,
}

/// The software version reported to brokers (ApiVersions client_software_version).
pub const SW_VERSION: &str = env!("CARGO_PKG_VERSION");

static CLIENT_SEQ: AtomicUsize = AtomicUsize::new(0);

/// Microseconds on a monotonic clock since process start.
pub fn now_us() -> i64 {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_micros() as i64
}

/// Wall clock milliseconds since the Unix epoch.
pub fn wallclock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Wall-clock offset (µs) from the monotonic clock, re-synced by the main thread each
/// second, so a message's timestamp and enqueue time come from one clock read (clock
/// reads were a fifth of producer CPU on virtual machines with slow clock sources).
static WALL_OFFSET_US: AtomicI64 = AtomicI64::new(i64::MIN);

pub fn resync_wallclock() {
    let wall_us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0);
    WALL_OFFSET_US.store(wall_us - now_us(), Ordering::Relaxed);
}

/// Wall clock milliseconds for a monotonic `now_us()` reading.
pub fn wallclock_ms_at(mono_us: i64) -> i64 {
    let mut off = WALL_OFFSET_US.load(Ordering::Relaxed);
    if off == i64::MIN {
        resync_wallclock();
        off = WALL_OFFSET_US.load(Ordering::Relaxed);
    }
    (mono_us + off) / 1000
}

impl Client {
    /// Creates the client and starts its threads. `conf` was validated by the caller.
    pub fn new(kind: ClientType, conf: Conf, hooks: Hooks) -> Result<Arc<Client>, String> {
        let settings = Settings::from_conf(&conf, kind)?;
        let idempotent = settings.idempotence;
        let txn = conf
            .string("transactional.id")
            .filter(|t| !t.is_empty() && kind == ClientType::Producer)
            .map(crate::producer::txn::Txn::new);
        let seq = CLIENT_SEQ.fetch_add(1, Ordering::Relaxed) + 1;
        let client_id = conf.string("client.id").unwrap_or_else(|| "rdkafka".into());
        let name = format!(
            "{}#{}-{}",
            client_id,
            if kind == ClientType::Producer { "producer" } else { "consumer" },
            seq
        );
        let (tx, rx) = crossbeam_channel::unbounded();
        let main_q = Queue::new();
        let log_q = conf.boolean("log.queue").then(Queue::new);
        let outq = Arc::new(OutQ::new(settings.queue_max_msgs, settings.queue_max_kbytes * 1024));
        let client = Arc::new(Client {
            kind,
            name,
            client_id,
            debug: dbg::parse(&conf.string("debug").unwrap_or_default()),
            log_level: AtomicI32::new(if conf.string("debug").is_some_and(|d| !d.is_empty()) {
                7
            } else {
                settings.log_level
            }),
            conf,
            settings,
            hooks,
            main_q,
            log_q,
            consumer_q: Queue::new(),
            assignment: Mutex::new(Vec::new()),
            group: std::sync::OnceLock::new(),
            want_all_topics: AtomicBool::new(false),
            all_topics: Mutex::new(Vec::new()),
            outq,
            topics: Mutex::new(HashMap::new()),
            brokers: RwLock::new(Vec::new()),
            cluster: RwLock::new(ClusterInfo { controller_id: -1, ..Default::default() }),
            terminating: AtomicBool::new(false),
            flushing: AtomicUsize::new(0),
            fatal: Mutex::new(None),
            has_fatal: AtomicBool::new(false),
            idem: idempotent.then(Default::default),
            txn,
            start: Instant::now(),
            ts_start_us: wallclock_ms() * 1000,
            main_tx: tx,
            main_rx: Mutex::new(Some(rx)),
            threads: Mutex::new(Vec::new()),
            down_cnt: AtomicUsize::new(0),
            all_down_reported: AtomicBool::new(false),
            refresh_pending: AtomicBool::new(false),
            last_refresh_ms: AtomicI64::new(0),
            metadata_ok: AtomicBool::new(false),
            metadata_apply: Mutex::new(()),
        });
        client.add_bootstrap_brokers()?;
        let c2 = client.clone();
        let rx = client.main_rx.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(rx) = rx {
            let h = std::thread::Builder::new()
                .name("rdk:main".into())
                .spawn(move || main_thread(c2, rx))
                .map_err(|e| format!("Failed to create main thread: {e}"))?;
            client.threads.lock().unwrap_or_else(|e| e.into_inner()).push(h);
        }
        if kind == ClientType::Consumer {
            if let Some(gid) = client.conf.string("group.id").filter(|g| !g.is_empty()) {
                let g = crate::consumer::group::Group::start(&client, gid)?;
                let _ = client.group.set(g);
            }
        }
        client.log(
            7,
            "INIT",
            &format!(
                "librdkafka-compatible kafkars v{} ({}) {} initialized",
                env!("CARGO_PKG_VERSION"),
                crate::VERSION_HEX_STR,
                client.name
            ),
        );
        Ok(client)
    }

    fn add_bootstrap_brokers(self: &Arc<Self>) -> Result<(), String> {
        let list = self.conf.string("bootstrap.servers").unwrap_or_default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (host, port) = parse_host_port(item)?;
            let b = BrokerHandle::spawn(self, -1, &host, port)?;
            self.brokers.write().unwrap_or_else(|e| e.into_inner()).push(b);
        }
        Ok(())
    }

    /// Adds brokers from a list (rd_kafka_brokers_add); returns how many were added.
    pub fn add_brokers(self: &Arc<Self>, list: &str) -> usize {
        let mut n = 0;
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if let Ok((host, port)) = parse_host_port(item) {
                if self.brokers().iter().any(|b| b.host == host && b.port == port) {
                    continue;
                }
                if let Ok(b) = BrokerHandle::spawn(self, -1, &host, port) {
                    self.brokers.write().unwrap_or_else(|e| e.into_inner()).push(b);
                    n += 1;
                }
            }
        }
        if n > 0 {
            self.request_refresh();
        }
        n
    }

    pub fn brokers(&self) -> Vec<Arc<BrokerHandle>> {
        self.brokers.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn broker_by_id(&self, id: i32) -> Option<Arc<BrokerHandle>> {
        self.brokers.read().unwrap_or_else(|e| e.into_inner()).iter().find(|b| b.id == id).cloned()
    }

    pub fn is_producer(&self) -> bool {
        self.kind == ClientType::Producer
    }

    pub fn log(&self, level: i32, fac: &str, msg: &str) {
        if level > self.log_level.load(Ordering::Relaxed) {
            return;
        }
        let prefixed;
        let msg = if self.settings.log_thread_name {
            prefixed =
                LOG_THREAD.with(|t| format!("[thrd:{}]: {}", t.borrow().as_deref().unwrap_or("app"), msg));
            prefixed.as_str()
        } else {
            msg
        };
        if let Some(q) = &self.log_q {
            q.push(Event::Log { level, fac: fac.to_string(), msg: msg.to_string() });
        } else if let Some(f) = &self.hooks.log {
            f(level, fac, msg);
        }
    }

    /// Debug log for one context; `msg` is only built when the context is enabled.
    pub fn dbg(&self, ctx: u32, fac: &str, msg: impl FnOnce() -> String) {
        if self.debug & ctx != 0 {
            self.log(7, fac, &msg());
        }
    }

    /// Raises an error event (error_cb / RD_KAFKA_EVENT_ERROR).
    pub fn error(&self, code: ErrorCode, msg: String) {
        self.main_q.push(Event::Error { code, msg, fatal: false });
    }

    /// Wakes the main thread for its periodic work now.
    pub fn kick_main(&self) {
        let _ = self.main_tx.send(MainOp::Kick);
    }

    pub fn request_refresh(&self) {
        if !self.refresh_pending.swap(true, Ordering::AcqRel) {
            let _ = self.main_tx.send(MainOp::Refresh);
        }
    }

    /// Returns the topic handle for `name`, creating it with `conf` (or the default topic conf).
    pub fn topic(
        self: &Arc<Self>,
        name: &str,
        conf: Option<TopicConf>,
        custom: Option<PartitionerFn>,
    ) -> Result<Arc<Topic>, String> {
        let mut topics = self.topics.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = topics.get(name) {
            return Ok(t.clone());
        }
        if name.is_empty() || name.len() > 249 {
            return Err("Invalid topic name".into());
        }
        let conf = conf.unwrap_or_else(|| self.conf.default_topic_conf().clone());
        let settings = TopicSettings::from_conf(&conf, &self.settings);
        let partitioner = conf
            .string("partitioner")
            .and_then(|p| Partitioner::from_name(&p))
            .unwrap_or(Partitioner::ConsistentRandom);
        let t = Arc::new(Topic {
            tag: TOPIC_TAG,
            name: name.to_string(),
            cname: CString::new(name).map_err(|_| "Invalid topic name".to_string())?,
            conf,
            settings,
            opaque: AtomicUsize::new(0),
            partitioner,
            custom_partitioner: custom,
            state: RwLock::new(TopicState::default()),
            ua: Mutex::new(VecDeque::new()),
            outq: self.outq.clone(),
            created: Instant::now(),
            sticky: AtomicI64::new(0),
            sticky_until: AtomicI64::new(0),
            client: Arc::downgrade(self),
            stats: Default::default(),
        });
        topics.insert(name.to_string(), t.clone());
        drop(topics);
        self.request_refresh();
        Ok(t)
    }

    /// Topic names the cluster has (from the last all-topics metadata response).
    pub fn cluster_topics(&self) -> Vec<String> {
        self.all_topics.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A topic's partition count, waiting (bounded) for its metadata.
    pub fn partition_count(self: &Arc<Self>, topic: &str, timeout: Duration) -> Option<i32> {
        let t = self.topic(topic, None, None).ok()?;
        let end = Instant::now() + timeout;
        loop {
            {
                let st = t.state();
                if st.known {
                    return Some(st.count);
                }
                if st.notexists {
                    return None;
                }
            }
            if Instant::now() >= end {
                return None;
            }
            self.request_refresh();
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn known_topics(&self) -> Vec<Arc<Topic>> {
        self.topics.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// Picks a broker for a cluster-wide request: an UP one if any, else a learned one,
    /// else a bootstrap broker, rotating so a dead broker is not tried forever.
    pub fn any_broker(&self) -> Option<Arc<BrokerHandle>> {
        let brokers = self.brokers();
        if let Some(b) = brokers.iter().find(|b| b.is_up()) {
            return Some(b.clone());
        }
        let known: Vec<_> = brokers.iter().filter(|b| b.id >= 0).cloned().collect();
        let pool = if known.is_empty() { brokers } else { known };
        if pool.is_empty() {
            return None;
        }
        // Prefer one that is not in reconnect backoff.
        let idx = fastrand::usize(..pool.len());
        let ready = pool.iter().cycle().skip(idx).take(pool.len()).find(|b| !b.in_backoff()).cloned();
        ready.or_else(|| pool.get(idx).cloned())
    }

    /// The dedicated connection `prefix/id` to a coordinator (librdkafka's
    /// "GroupCoordinator", "TxnCoordinator"), reused while the coordinator stays the same.
    pub fn coordinator_connection(
        self: &Arc<Self>,
        prefix: &str,
        id: i32,
        host: &str,
        port: u16,
    ) -> Option<Arc<BrokerHandle>> {
        let name = format!("{prefix}/{id}");
        if let Some(b) =
            self.brokers().into_iter().find(|b| b.name == name && b.host == host && b.port == port)
        {
            return Some(b);
        }
        let b = BrokerHandle::spawn_named(self, -1, host, port, name).ok()?;
        self.brokers.write().unwrap_or_else(|e| e.into_inner()).push(b.clone());
        Some(b)
    }

    pub fn send_any(&self, req: Request) -> Result<(), Request> {
        match self.any_broker() {
            Some(b) => {
                b.send(req);
                Ok(())
            }
            None => Err(req),
        }
    }

    /// Called by broker threads on state changes, for _ALL_BROKERS_DOWN.
    pub fn broker_down_changed(&self, went_down: bool) {
        let total = self.brokers().len();
        let down = if went_down {
            self.down_cnt.fetch_add(1, Ordering::AcqRel) + 1
        } else {
            self.down_cnt.fetch_sub(1, Ordering::AcqRel).saturating_sub(1)
        };
        if went_down && down >= total && total > 0 {
            if !self.all_down_reported.swap(true, Ordering::AcqRel)
                && !self.terminating.load(Ordering::Acquire)
            {
                // As librdkafka's rd_kafka_op_err(): logged right here when nobody listens.
                let msg = format!("{}/{} brokers are down", down, total);
                if self.hooks.error_cb {
                    self.error(ErrorCode::_ALL_BROKERS_DOWN, msg);
                } else {
                    self.log(3, "ERROR", &msg);
                }
            }
        } else if !went_down {
            self.all_down_reported.store(false, Ordering::Release);
        }
    }

    pub fn fatal_error(&self) -> Option<(ErrorCode, String)> {
        self.fatal.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Stops all threads. Messages still queued are failed with _DESTROY (if DRs are wanted
    /// they are left on the main queue for the caller to drain or drop).
    pub fn shutdown(self: &Arc<Self>) {
        if self.terminating.swap(true, Ordering::AcqRel) {
            return;
        }
        let cnt = self.outq.cnt.load(Ordering::Acquire);
        if self.is_producer() && cnt > 0 {
            // librdkafka's warning: the only sign many applications get of lost messages.
            let bytes = self.outq.bytes.load(Ordering::Acquire);
            let s = |n: usize| if n == 1 { "" } else { "s" };
            self.log(4, "TERMINATE", &format!("Producer terminating with {cnt} message{} ({bytes} byte{}) still in queue or transit: use flush() to wait for outstanding message delivery", s(cnt), s(bytes)));
        }
        let _ = self.main_tx.send(MainOp::Terminate);
        for b in self.brokers() {
            b.terminate();
        }
        let mut handles: Vec<JoinHandle<()>> =
            self.threads.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
        for b in self.brokers() {
            if let Some(h) = b.take_thread() {
                handles.push(h);
            }
        }
        for h in handles {
            let _ = h.join();
        }
        // Fail what never left: librdkafka purges with _DESTROY on destroy.
        for t in self.known_topics() {
            let mut msgs: Vec<Box<Message>> =
                t.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
            for p in t.state().partitions.iter() {
                let mut q = p.lock();
                q.bytes = 0;
                q.leader = None;
                msgs.extend(q.msgs.drain(..));
            }
            drop(msgs);
        }
        self.brokers.write().unwrap_or_else(|e| e.into_inner()).clear();
        self.topics.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn push_thread(&self, h: JoinHandle<()>) {
        self.threads.lock().unwrap_or_else(|e| e.into_inner()).push(h);
    }
}

pub fn parse_host_port(s: &str) -> Result<(String, u16), String> {
    // Accept "proto://host:port" as librdkafka does.
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

/// The C API's tag for topic handles (crate::capi::boundary::tag::TOPIC).
pub const TOPIC_TAG: u64 = 0x6b61_666b_6172_7302;

thread_local! {
    /// This thread's name in log lines ("[thrd:NAME]: "): librdkafka's names are "app"
    /// for application threads, "main", "background", and a broker's name.
    static LOG_THREAD: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Names the calling (internal) thread for log lines.
pub fn set_log_thread(name: &str) {
    LOG_THREAD.with(|t| *t.borrow_mut() = Some(name.to_string()));
}

/// Timers: metadata refresh, message timeouts of unassigned messages, statistics.
fn main_thread(client: Arc<Client>, rx: Receiver<MainOp>) {
    set_log_thread("main");
    let refresh_interval = client.settings.metadata_refresh_interval_ms;
    let stats_interval = client.settings.stats_interval_ms;
    let mut next_full_refresh = Instant::now();
    let mut next_stats =
        (stats_interval > 0).then(|| Instant::now() + Duration::from_millis(stats_interval as u64));
    let mut next_scan = Instant::now();
    let mut fast_refresh_at: Option<Instant> = None;
    let mut next_clock_sync = Instant::now();
    let mut eos_at: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let mut wake = next_scan.min(if refresh_interval > 0 {
            next_full_refresh
        } else {
            now + Duration::from_secs(1)
        });
        if let Some(e) = eos_at {
            wake = wake.min(e);
        }
        if let Some(s) = next_stats {
            wake = wake.min(s);
        }
        if let Some(f) = fast_refresh_at {
            wake = wake.min(f);
        }
        let op = rx.recv_timeout(wake.saturating_duration_since(now));
        if client.terminating.load(Ordering::Acquire) {
            return;
        }
        match op {
            Ok(MainOp::Terminate) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
            Ok(MainOp::Kick) => {}
            Ok(MainOp::Refresh) => {
                // Coalesce bursts (many topics created at once) into one request.
                let at = Instant::now() + Duration::from_millis(1);
                fast_refresh_at = Some(fast_refresh_at.map_or(at, |f| f.min(at)));
            }
            Err(_) => {}
        }
        let now = Instant::now();
        if fast_refresh_at.is_some_and(|f| f <= now) || (refresh_interval > 0 && next_full_refresh <= now) {
            fast_refresh_at = None;
            client.refresh_pending.store(false, Ordering::Release);
            metadata::refresh_known_topics(&client);
            if refresh_interval > 0 && next_full_refresh <= now {
                next_full_refresh = now + Duration::from_millis(refresh_interval as u64);
            }
        }
        if next_clock_sync <= now {
            next_clock_sync = now + Duration::from_secs(1);
            resync_wallclock();
        }
        let a = crate::producer::idempotence::tick(&client);
        let b = crate::producer::txn::tick(&client);
        eos_at = match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if next_scan <= now {
            next_scan = now + Duration::from_millis(100);
            let needs_refresh = metadata::scan_topics(&client);
            if needs_refresh && fast_refresh_at.is_none() {
                let since = client.last_refresh_ms.load(Ordering::Acquire);
                let elapsed = client.start.elapsed().as_millis() as i64 - since;
                let backoff = client.settings.retry_backoff_ms.max(250);
                fast_refresh_at = Some(now + Duration::from_millis((backoff - elapsed).max(0) as u64));
            }
        }
        if let Some(s) = next_stats {
            if s <= now {
                next_stats = Some(now + Duration::from_millis(stats_interval as u64));
                let json = crate::stats::emit(&client);
                client.main_q.push(Event::Stats(json));
            }
        }
    }
}

pub use broker::BrokerHandle as Broker;
