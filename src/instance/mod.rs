//! What every layer of one client instance (rd_kafka_t) shares: its identity and
//! configuration, the logger, the application's main event queue, the fatal-error
//! state, the lifecycle flags, and the channel that asks the main thread for work.
//! The client layer builds it first and hands an `Arc` of it to everything below.

pub mod intercept;
mod log;
mod sockets;

pub use intercept::{Interceptors, ThreadKind, Wire};
pub use log::{dbg, set_log_thread};
pub use sockets::SocketHooks;

use crate::conf::{ClientType, Conf, Settings};
use crate::error::ErrorCode;
use crate::event::{Event, Queue};
use crate::security::{CertVerifier, GssApi, MemCerts, Sasl, TlsContext};
use crossbeam_channel::{Receiver, Sender};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

/// The software version reported to brokers (ApiVersions client_software_version).
pub const SW_VERSION: &str = env!("CARGO_PKG_VERSION");

pub type LogFn = Box<dyn Fn(i32, &str, &str) + Send + Sync>;

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
    /// Interceptors added to the configuration (directly or by plugins).
    pub icpt: Option<Arc<dyn Interceptors>>,
    /// The application's socket hooks, when any was set.
    pub sockets: Option<Arc<dyn SocketHooks>>,
    /// Certificates and keys given in memory (rd_kafka_conf_set_ssl_cert).
    pub ssl_certs: MemCerts,
    /// ssl.certificate.verify_cb.
    pub cert_verifier: Option<Arc<dyn CertVerifier>>,
    /// MIT Kerberos' GSS-API library, when it could be loaded (SASL GSSAPI).
    pub gssapi: Option<Arc<dyn GssApi>>,
    /// The handle's name from handle_name(), for a caller that hands it out before
    /// the client's threads start; None: named at creation.
    pub name: Option<String>,
}

/// Refreshes metadata for these topics now and calls back once it was applied (or
/// failed): installed by the client, which owns metadata handling.
/// How the client refreshes topics now; `done(answered)` says whether a broker answered.
pub type RefreshNow = Box<dyn Fn(Vec<String>, Box<dyn FnOnce(bool) + Send>) + Send + Sync>;

/// What the main thread is asked to do.
pub enum MainOp {
    /// Refresh metadata for the known topics soon.
    Refresh,
    /// Something for the main thread's periodic work (idempotent producer id) changed.
    Kick,
    Terminate,
}

pub struct Instance {
    pub kind: ClientType,
    /// "rdkafka#producer-1", as librdkafka names its handles.
    pub name: String,
    pub client_id: String,
    pub conf: Conf,
    pub settings: Settings,
    pub debug: u32,
    /// log_level, changeable at runtime by rd_kafka_set_log_level.
    pub log_level: AtomicI32,
    pub hooks: Hooks,
    /// security.protocol ssl / sasl_ssl: the TLS context of every connection.
    pub tls: Option<TlsContext>,
    /// security.protocol sasl_*: the mechanism and its credentials.
    pub sasl: Option<Sasl>,
    /// The SASL callback queue (rd_kafka_queue_get_sasl): OAUTHBEARER token refresh
    /// events, when enabled; else they go to the main queue.
    pub sasl_q: Option<Arc<Queue>>,
    /// The application's main queue (rd_kafka_poll): delivery reports, errors, stats.
    pub main_q: Arc<Queue>,
    /// log.queue=true: logs wait here until rd_kafka_set_log_queue() forwards them.
    pub log_q: Option<Arc<Queue>>,
    pub terminating: AtomicBool,
    fatal: Mutex<Option<(ErrorCode, String)>>,
    /// Set with `fatal`, read on the hot path without locking.
    pub has_fatal: AtomicBool,
    pub start: Instant,
    /// Wall clock at creation (µs), for statistics.
    pub ts_start_us: i64,
    main_tx: Sender<MainOp>,
    refresh_pending: AtomicBool,
    /// Internal threads joined at destroy (group, background).
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// The main thread, joined first at destroy.
    main_thread: Mutex<Option<JoinHandle<()>>>,
    refresh_now: OnceLock<RefreshNow>,
}

static CLIENT_SEQ: AtomicUsize = AtomicUsize::new(0);

/// The next handle name, "rdkafka#producer-1": client.id, the role and a process-wide
/// sequence number.
pub fn handle_name(kind: ClientType, conf: &Conf) -> String {
    let seq = CLIENT_SEQ.fetch_add(1, Ordering::Relaxed) + 1;
    let client_id = conf.string("client.id").unwrap_or_else(|| "rdkafka".into());
    let role = if kind == ClientType::Producer { "producer" } else { "consumer" };
    format!("{client_id}#{role}-{seq}")
}

impl Instance {
    /// A new instance and the receiving end of its main thread's channel. `conf` was
    /// validated (finalized) by the caller.
    pub fn new(
        kind: ClientType,
        conf: Conf,
        mut hooks: Hooks,
    ) -> Result<(Arc<Instance>, Receiver<MainOp>), String> {
        let settings = Settings::from_conf(&conf, kind)?;
        // As rd_kafka_new: named before SASL and TLS are set up, which may fail.
        let name = hooks.name.take().unwrap_or_else(|| handle_name(kind, &conf));
        // As rd_kafka_new: SASL is checked first, then the TLS context is built.
        let sasl = Sasl::from_conf(&conf, hooks.gssapi.clone())?;
        let sasl_q = sasl.as_ref().filter(|s| s.wants_callback_queue(&conf)).map(|_| Queue::new());
        let proto = conf.string("security.protocol").unwrap_or_default();
        let tls = match proto.as_str() {
            "ssl" | "sasl_ssl" => {
                Some(TlsContext::new(&conf, &hooks.ssl_certs, hooks.cert_verifier.clone())?)
            }
            _ => None,
        };
        let client_id = conf.string("client.id").unwrap_or_else(|| "rdkafka".into());
        let debug = conf.string("debug").unwrap_or_default();
        let (tx, rx) = crossbeam_channel::unbounded();
        let rk = Instance {
            kind,
            name,
            client_id,
            debug: dbg::parse(&debug),
            log_level: AtomicI32::new(if debug.is_empty() { settings.log_level } else { 7 }),
            log_q: conf.boolean("log.queue").then(Queue::new),
            conf,
            settings,
            hooks,
            tls,
            sasl_q,
            sasl,
            main_q: Queue::new(),
            terminating: AtomicBool::new(false),
            fatal: Mutex::new(None),
            has_fatal: AtomicBool::new(false),
            start: Instant::now(),
            ts_start_us: crate::clock::wallclock_ms() * 1000,
            main_tx: tx,
            refresh_pending: AtomicBool::new(false),
            threads: Mutex::new(Vec::new()),
            main_thread: Mutex::new(None),
            refresh_now: OnceLock::new(),
        };
        Ok((Arc::new(rk), rx))
    }

    /// Runs `f` with the interceptors, when any were added.
    #[inline]
    pub fn icpt(&self, f: impl FnOnce(&dyn Interceptors)) {
        if let Some(i) = &self.hooks.icpt {
            f(i.as_ref())
        }
    }

    pub fn is_producer(&self) -> bool {
        self.kind == ClientType::Producer
    }

    pub fn is_terminating(&self) -> bool {
        self.terminating.load(Ordering::Acquire)
    }

    pub fn log(&self, level: i32, fac: &str, msg: &str) {
        if level > self.log_level.load(Ordering::Relaxed) {
            return;
        }
        let prefixed;
        let msg = if self.settings.log_thread_name {
            prefixed = log::with_thread_name(msg);
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

    /// Asks the main thread for a metadata refresh (bursts coalesce into one).
    pub fn request_refresh(&self) {
        if !self.refresh_pending.swap(true, Ordering::AcqRel) {
            let _ = self.main_tx.send(MainOp::Refresh);
        }
    }

    /// The main thread starts the refresh it was asked for: later asks ask again.
    pub fn refresh_started(&self) {
        self.refresh_pending.store(false, Ordering::Release);
    }

    /// Installs how `refresh_topics_now` refreshes (once, at creation).
    pub fn set_refresh_now(&self, f: RefreshNow) {
        let _ = self.refresh_now.set(f);
    }

    /// Refreshes metadata for `topics` now (the group leader does before assigning);
    /// `done` runs once the answer was applied, or at once when nothing can refresh.
    pub fn refresh_topics_now(&self, topics: Vec<String>, done: Box<dyn FnOnce(bool) + Send>) {
        match self.refresh_now.get() {
            Some(f) => f(topics, done),
            None => done(false),
        }
    }

    /// Stops the main thread (destroy).
    pub fn stop_main(&self) {
        let _ = self.main_tx.send(MainOp::Terminate);
    }

    pub fn fatal_error(&self) -> Option<(ErrorCode, String)> {
        self.fatal.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Records the instance's fatal error; false when one was raised already.
    pub fn set_fatal(&self, err: ErrorCode, reason: &str) -> bool {
        let mut f = self.fatal.lock().unwrap_or_else(|e| e.into_inner());
        if f.is_some() {
            return false;
        }
        *f = Some((err, reason.to_string()));
        self.has_fatal.store(true, Ordering::Release);
        true
    }

    /// Raises the client's fatal error: kept for rd_kafka_fatal_error() and, with an
    /// error_cb set, logged as librdkafka logs it. Returns the "Fatal error: ..." text
    /// for the caller to report, or None when a fatal error was raised before.
    pub fn raise_fatal(&self, err: ErrorCode, reason: &str) -> Option<String> {
        if !self.set_fatal(err, reason) {
            return None;
        }
        let msg = format!("Fatal error: {}: {}", err.description(), reason);
        if self.hooks.error_cb {
            self.log(0, "FATAL", &msg);
        }
        Some(msg)
    }

    /// Keeps an internal thread to join at destroy.
    pub fn push_thread(&self, h: JoinHandle<()>) {
        self.threads.lock().unwrap_or_else(|e| e.into_inner()).push(h);
    }

    pub fn set_main_thread(&self, h: JoinHandle<()>) {
        *self.main_thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(h);
    }

    pub fn take_main_thread(&self) -> Option<JoinHandle<()>> {
        self.main_thread.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub fn take_threads(&self) -> Vec<JoinHandle<()>> {
        self.threads.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect()
    }
}
