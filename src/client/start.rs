//! Creating a client: every part built and wired in layer order, the work source
//! registered with the brokers, and the threads started.

use super::parts::Client;
use super::{main_thread, metadata};
use crate::admin::Admin;
use crate::broker::{Brokers, Source};
use crate::conf::{ClientType, Conf};
use crate::consumer::fetcher::FetchSource;
use crate::consumer::{group, Consumer};
use crate::instance::{dbg, Hooks, Instance, ThreadKind};
use crate::metadata::Cache;
use crate::mock::Cluster;
use crate::outq::OutQ;
use crate::producer::serve::ProduceSource;
use crate::producer::Producer;
use std::sync::{Arc, Weak};
use std::time::Duration;

impl Client {
    /// Creates the client and starts its threads. `conf` was validated by the caller.
    pub fn new(kind: ClientType, conf: Conf, hooks: Hooks) -> Result<Arc<Client>, String> {
        let (conf, mock) = embedded_mock(conf)?;
        let (rk, main_rx) = Instance::new(kind, conf, hooks)?;
        log_configuration(&rk);
        if let Some(m) = &mock {
            rk.log(
                5,
                "MOCK",
                &format!(
                    "Mock cluster enabled: original bootstrap.servers and security.protocol ignored and replaced with {}",
                    m.bootstraps()
                ),
            );
        }
        let s = &rk.settings;
        let transactional =
            kind == ClientType::Producer && rk.conf.string("transactional.id").is_some_and(|t| !t.is_empty());
        let outq = Arc::new(OutQ::new(s.queue_max_msgs, s.queue_max_kbytes * 1024, transactional));
        let cache = Arc::new(Cache::new(&rk, outq));
        let brokers = Arc::new(Brokers::new(&rk, &cache));
        let producer = Producer::new(&rk, &cache, &brokers);
        let consumer = Consumer::new(&rk, &cache, &brokers);
        let source: Arc<dyn Source> = match kind {
            ClientType::Producer => Arc::new(ProduceSource(producer.clone())),
            ClientType::Consumer => Arc::new(FetchSource(consumer.clone())),
        };
        brokers.set_sources(vec![source]);
        let admin = Arc::new(Admin::new(&rk, &brokers));
        let client = Arc::new(Client { rk: rk.clone(), cache, brokers, producer, consumer, admin, mock });
        let weak = Arc::downgrade(&client);
        rk.set_refresh_now(Box::new(move |topics, done| refresh_now(&weak, topics, done)));
        if let Err(e) = client.brokers.add_bootstrap() {
            client.shutdown();
            return Err(e);
        }
        let c2 = client.clone();
        let h = std::thread::Builder::new()
            .name("rdk:main".into())
            .spawn(move || {
                let rk = c2.rk.clone();
                rk.icpt(|i| i.on_thread_start(ThreadKind::Main, "main"));
                main_thread::run(c2, main_rx);
                rk.icpt(|i| i.on_thread_exit(ThreadKind::Main, "main"));
                // As librdkafka: on_destroy runs as the main thread ends, before the
                // brokers go down.
                if rk.is_terminating() {
                    rk.icpt(|i| i.on_destroy());
                }
            })
            .map_err(|e| format!("Failed to create main thread: {e}"))?;
        rk.set_main_thread(h);
        if kind == ClientType::Consumer {
            if let Some(gid) = rk.conf.string("group.id").filter(|g| !g.is_empty()) {
                let g = group::member::start(&client.consumer, gid)?;
                let _ = client.consumer.group.set(g);
            }
        }
        rk.log(
            7,
            "INIT",
            &format!(
                "librdkafka-compatible kafkars v{} ({}) {} initialized",
                env!("CARGO_PKG_VERSION"),
                crate::VERSION_HEX_STR,
                rk.name
            ),
        );
        warn_conf(&rk, kind);
        Ok(client)
    }
}

/// librdkafka's configuration warnings at creation (the checks its rd_kafka_conf_warn
/// makes besides deprecated properties), with its texts.
fn warn_conf(rk: &Instance, kind: ClientType) {
    let c = &rk.conf;
    let (backoff, max) = (c.int("retry.backoff.ms"), c.int("retry.backoff.max.ms"));
    if backoff > max {
        rk.log(4, "CONFWARN", &format!("Configuration `retry.backoff.ms` with value {backoff} is greater than configuration `retry.backoff.max.ms` with value {max}. A static backoff with value `retry.backoff.max.ms` will be applied."));
    }
    let (wait, socket) = (c.int("fetch.wait.max.ms"), c.int("socket.timeout.ms"));
    if kind == ClientType::Consumer && wait + 1000 > socket {
        rk.log(4, "CONFWARN", &format!("Configuration property `fetch.wait.max.ms` ({wait}) should be set lower than `socket.timeout.ms` ({socket}) by at least 1000ms to avoid blocking and timing out sub-sequent requests"));
    }
}

/// test.mock.num.brokers: an embedded mock cluster replaces bootstrap.servers and
/// security.protocol, as in librdkafka; test.mock.broker.rtt applies to every broker.
fn embedded_mock(mut conf: Conf) -> Result<(Conf, Option<Arc<Cluster>>), String> {
    let n = conf.int("test.mock.num.brokers");
    if n <= 0 {
        return Ok((conf, None));
    }
    let m = Cluster::new(n as usize).map_err(|e| format!("Failed to create mock cluster: {e}"))?;
    let rtt = conf.int("test.mock.broker.rtt");
    if rtt > 0 {
        m.broker_set_rtt(-1, rtt as u64).map_err(|e| e.description().to_string())?;
    }
    for (k, v) in [("bootstrap.servers", m.bootstraps()), ("security.protocol", "plaintext".into())] {
        conf.set(k, &v).map_err(|e| e.msg)?;
    }
    Ok((conf, Some(Arc::new(m))))
}

/// The group leader's metadata refresh before it assigns (Instance::refresh_topics_now).
fn refresh_now(client: &Weak<Client>, topics: Vec<String>, done: Box<dyn FnOnce(bool) + Send>) {
    let Some(c) = client.upgrade() else { return done(false) };
    let weak = client.clone();
    metadata::send(
        &c.brokers,
        Some(topics),
        false,
        Some(Duration::from_secs(5)),
        Box::new(move |res| {
            let answered = res.is_ok();
            if let (Ok(md), Some(c)) = (res, weak.upgrade()) {
                metadata::apply(&c, &md, false);
            }
            done(answered);
        }),
    );
}

/// debug=conf: the properties the application set, secrets redacted, as librdkafka
/// logs them at creation.
fn log_configuration(rk: &Instance) {
    if rk.debug & dbg::CONF == 0 {
        return;
    }
    for (title, props) in [
        ("Client configuration", rk.conf.dump_modified_redacted()),
        ("Default topic configuration", rk.conf.default_topic_conf().dump_modified_redacted()),
    ] {
        if props.is_empty() {
            continue;
        }
        rk.dbg(dbg::CONF, "CONF", || format!("{title}:"));
        for (k, v) in props {
            rk.dbg(dbg::CONF, "CONF", || format!("  {k} = {v}"));
        }
    }
}
