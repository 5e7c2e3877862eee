//! The admin client: each operation runs on a short-lived thread of its own as
//! straight-line steps (find the broker, send, wait, retry, fan out), bounded by the
//! request timeout and cut short by destroy. Admin operations are rare; a thread each
//! keeps their lookups and retries readable, and one slow controller stalls no other.

use super::op::AdminOp;
use super::options::AdminOptions;
use crate::broker::{BrokerHandle, Brokers, Request};
use crate::error::{ErrorCode, KafkaError};
use crate::event::{AdminResult, Event, Queue};
use crate::instance::Instance;
use bytes::Bytes;
use crossbeam_channel::RecvTimeoutError;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::{
    ApiKey, FindCoordinatorRequest, FindCoordinatorResponse, MetadataRequest, MetadataResponse, TopicName,
};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
use std::any::Any;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a finished operation hands C: its result, made readable (capi builds it).
pub type Payload = Box<dyn Any + Send>;

pub struct Admin {
    rk: Arc<Instance>,
    brokers: Arc<Brokers>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Admin {
    pub fn new(rk: &Arc<Instance>, brokers: &Arc<Brokers>) -> Admin {
        Admin { rk: rk.clone(), brokers: brokers.clone(), threads: Mutex::new(Vec::new()) }
    }

    /// Runs `work` for `op` on a thread of its own; its result (through `view`) or its
    /// error becomes the op's result event on `reply`.
    pub fn start<T: Send + 'static>(
        self: &Arc<Self>,
        op: AdminOp,
        opts: AdminOptions,
        reply: Arc<Queue>,
        work: impl FnOnce(&Ctx) -> Result<T, KafkaError> + Send + 'static,
        view: impl FnOnce(T) -> Payload + Send + 'static,
    ) {
        let me = self.clone();
        let run = move || {
            let ctx = Ctx::new(&me, &opts, op);
            let res = if me.rk.is_terminating() { Err(ctx.destroyed()) } else { work(&ctx) };
            reply.push(result_event(op, &opts, res.map(view)));
        };
        let h = std::thread::Builder::new().name("rdk:admin".into()).spawn(run);
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        threads.retain(|t| !t.is_finished());
        match h {
            Ok(h) => threads.push(h),
            Err(e) => self.rk.error(ErrorCode::_FAIL, format!("Failed to start admin thread: {e}")),
        }
    }

    /// Waits for the operations still running: destroy makes each answer _DESTROY.
    pub fn shutdown(&self) {
        let threads: Vec<_> = self.threads.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
        for t in threads {
            let _ = t.join();
        }
    }
}

/// The result event of `op`: the error of a failed operation, else its payload.
pub fn result_event(op: AdminOp, opts: &AdminOptions, res: Result<Payload, KafkaError>) -> Event {
    let (err, msg, payload) = match res {
        Ok(p) => (ErrorCode::NO_ERROR, String::new(), Some(p)),
        Err(e) => {
            let msg = if e.msg.is_empty() { e.code.description().to_string() } else { e.msg };
            (e.code, msg, None)
        }
    };
    Event::AdminResult(AdminResult {
        event_type: op.event_type(),
        event_name: op.event_name(),
        err,
        msg,
        opaque: opts.opaque(),
        payload,
    })
}

/// One operation's view of the cluster while it runs: its options, its deadline, and
/// blocking calls to brokers that give up at the deadline or at destroy.
pub struct Ctx<'a> {
    admin: &'a Admin,
    pub opts: &'a AdminOptions,
    op: AdminOp,
    deadline: Instant,
}

/// How long to wait before asking again (a broker not known yet, a coordinator moving).
const RETRY_BACKOFF: Duration = Duration::from_millis(100);

impl<'a> Ctx<'a> {
    fn new(admin: &'a Admin, opts: &'a AdminOptions, op: AdminOp) -> Ctx<'a> {
        let timeout = Duration::from_millis(opts.request_timeout_ms().max(0) as u64);
        Ctx { admin, opts, op, deadline: Instant::now() + timeout }
    }

    fn destroyed(&self) -> KafkaError {
        let why = ErrorCode::_DESTROY.description();
        KafkaError::new(ErrorCode::_DESTROY, format!("Handle is terminating: {why}"))
    }

    /// librdkafka's texts: what the operation was doing when time ran out.
    fn timed_out(&self, doing: &str) -> KafkaError {
        let why = ErrorCode::_TIMED_OUT.description();
        KafkaError::new(ErrorCode::_TIMED_OUT, format!("Failed while {doing}: {why}"))
    }

    /// A request the broker layer failed, as librdkafka reports it: the version range the
    /// broker lacks gets the operation's own text, other failures what they were waiting
    /// for.
    fn request_failed(&self, e: KafkaError) -> KafkaError {
        match e.code {
            ErrorCode::_UNSUPPORTED_FEATURE => KafkaError::new(e.code, self.op.unsupported_text()),
            code => KafkaError::new(
                code,
                format!("Failed while waiting for response from broker: {}", code.description()),
            ),
        }
    }

    /// The operation's name, as in rd_kafka_<name>().
    pub fn op_name(&self) -> &'static str {
        self.op.api_name()
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Sleeps up to `d` (not past the deadline); an error once the deadline passed or
    /// the client is being destroyed.
    pub fn pause(&self, d: Duration, doing: &str) -> Result<(), KafkaError> {
        let until = (Instant::now() + d).min(self.deadline);
        while Instant::now() < until {
            if self.admin.rk.is_terminating() {
                return Err(self.destroyed());
            }
            std::thread::sleep(
                until.saturating_duration_since(Instant::now()).min(Duration::from_millis(20)),
            );
        }
        self.alive(doing)
    }

    /// An error when the deadline passed or the client is being destroyed.
    pub fn alive(&self, doing: &str) -> Result<(), KafkaError> {
        if self.admin.rk.is_terminating() {
            return Err(self.destroyed());
        }
        if Instant::now() >= self.deadline {
            return Err(self.timed_out(doing));
        }
        Ok(())
    }

    /// Sends one request to `b` and waits for its answer, decoded; the version is the
    /// highest in `min..=max` the broker supports.
    pub fn call<Q, R>(
        &self,
        b: &Arc<BrokerHandle>,
        key: ApiKey,
        min: i16,
        max: i16,
        build: impl Fn(i16) -> Q + Clone + Send + 'static,
    ) -> Result<(i16, R), KafkaError>
    where
        Q: Encodable + 'static,
        R: Decodable,
    {
        let doing = "waiting for response from broker";
        loop {
            self.alive(doing)?;
            let (tx, rx) = crossbeam_channel::bounded(1);
            let req = Request::schema(
                key,
                min,
                max,
                build.clone(),
                move |res: Result<(i16, Bytes), KafkaError>| {
                    let _ = tx.send(res);
                },
            );
            b.send(req.with_timeout(Some(self.remaining().max(Duration::from_millis(1)))));
            let res = loop {
                match rx.recv_timeout(Duration::from_millis(20)) {
                    Ok(res) => break res,
                    Err(RecvTimeoutError::Timeout) => self.alive(doing)?,
                    Err(RecvTimeoutError::Disconnected) => return Err(self.destroyed()),
                }
            };
            match res {
                // Not sent, the connection failed: the broker layer reconnects and the
                // request is sent again until the deadline, as librdkafka waits for it.
                // Sent and then the connection dropped: failed (librdkafka's too).
                Err(e) if e.unsent => self.pause(RETRY_BACKOFF, doing)?,
                Err(e) => return Err(self.request_failed(e)),
                Ok((ver, mut body)) => {
                    let r = crate::protocol::decode::<R>(&mut body, ver)
                        .map_err(|e| KafkaError::new(ErrorCode::_BAD_MSG, e.0))?;
                    return Ok((ver, r));
                }
            }
        }
    }

    /// The broker with node id `id`, waiting (bounded) until metadata names it.
    pub fn broker(&self, id: i32) -> Result<Arc<BrokerHandle>, KafkaError> {
        loop {
            if let Some(b) = self.admin.brokers.by_id(id) {
                return Ok(b);
            }
            self.admin.rk.request_refresh();
            self.pause(RETRY_BACKOFF, "waiting for broker")?;
        }
    }

    /// The broker set with AdminOptions_set_broker, else any broker.
    pub fn any(&self) -> Result<Arc<BrokerHandle>, KafkaError> {
        match self.opts.broker() {
            Some(id) => self.broker(id),
            None => self.any_broker(),
        }
    }

    /// Any broker of the cluster, whatever the options say (for lookups).
    fn any_broker(&self) -> Result<Arc<BrokerHandle>, KafkaError> {
        loop {
            if let Some(b) = self.admin.brokers.any() {
                return Ok(b);
            }
            self.pause(RETRY_BACKOFF, "waiting for a valid list of brokers to be available")?;
        }
    }

    /// Metadata for `topics` (None: all, empty: none) from any broker (a lookup: the
    /// broker set in the options is for the operation's own requests); the brokers it
    /// names become known, so later steps can reach them.
    pub fn metadata(
        &self,
        topics: Option<Vec<String>>,
        auth_ops: bool,
    ) -> Result<MetadataResponse, KafkaError> {
        let b = self.any_broker()?;
        self.metadata_from(&b, topics, auth_ops)
    }

    /// `metadata`, asked of broker `b`.
    pub fn metadata_from(
        &self,
        b: &Arc<BrokerHandle>,
        topics: Option<Vec<String>>,
        auth_ops: bool,
    ) -> Result<MetadataResponse, KafkaError> {
        // Cluster authorized operations left Metadata in v11 (KIP-700).
        let max = if auth_ops && topics.as_ref().is_some_and(|t| t.is_empty()) { 10 } else { 13 };
        let (_, md): (i16, MetadataResponse) = self.call(b, ApiKey::Metadata, 1, max, move |ver| {
            let mut r = MetadataRequest::default();
            r.topics = topics.clone().map(|ts| {
                ts.into_iter()
                    .map(|t| {
                        let mut mt = MetadataRequestTopic::default();
                        mt.name = Some(TopicName(StrBytes::from_string(t)));
                        mt
                    })
                    .collect()
            });
            r.allow_auto_topic_creation = false;
            // A brokers-only request asks for the cluster's operations, one naming topics
            // for the topics' (DescribeCluster and DescribeTopics).
            let cluster = r.topics.as_ref().is_some_and(|t| t.is_empty());
            if (8..=10).contains(&ver) {
                r.include_cluster_authorized_operations = auth_ops && cluster;
            }
            if ver >= 8 {
                r.include_topic_authorized_operations = auth_ops && !cluster;
            }
            r
        })?;
        for br in &md.brokers {
            self.admin.brokers.learn(br.node_id.0, &br.host, br.port as u16);
        }
        Ok(md)
    }

    /// The controller (or the broker set with AdminOptions_set_broker), from fresh
    /// metadata; waits while the cluster names none.
    pub fn controller(&self) -> Result<Arc<BrokerHandle>, KafkaError> {
        if let Some(id) = self.opts.broker() {
            return self.broker(id);
        }
        loop {
            let md = self.metadata(Some(Vec::new()), false);
            if md.as_ref().is_err_and(|e| e.code == ErrorCode::_TIMED_OUT) {
                return Err(self.timed_out("waiting for controller"));
            }
            if let Ok(md) = md {
                if md.controller_id.0 >= 0 {
                    if let Some(b) = self.admin.brokers.by_id(md.controller_id.0) {
                        return Ok(b);
                    }
                }
            }
            self.pause(RETRY_BACKOFF, "waiting for controller")?;
        }
    }

    /// The coordinator of group `group` (FindCoordinator), or the broker set with
    /// AdminOptions_set_broker.
    pub fn coordinator(&self, group: &str) -> Result<Arc<BrokerHandle>, KafkaError> {
        self.find_coordinator(0, group)
    }

    /// The coordinator of transactional id `id` (FindCoordinator v1+, key type 1), or the
    /// broker set with AdminOptions_set_broker.
    pub fn txn_coordinator(&self, id: &str) -> Result<Arc<BrokerHandle>, KafkaError> {
        self.find_coordinator(1, id)
    }

    fn find_coordinator(&self, key_type: i8, key: &str) -> Result<Arc<BrokerHandle>, KafkaError> {
        if let Some(id) = self.opts.broker() {
            return self.broker(id);
        }
        loop {
            let b = self.any()?;
            let key = key.to_string();
            let res: Result<(i16, FindCoordinatorResponse), _> =
                self.call(&b, ApiKey::FindCoordinator, key_type.min(1) as i16, 2, move |_| {
                    let mut r = FindCoordinatorRequest::default();
                    r.key = StrBytes::from_string(key.clone());
                    r.key_type = key_type;
                    r
                });
            match res {
                Ok((_, r)) if r.error_code == 0 => {
                    self.admin.brokers.learn(r.node_id.0, &r.host, r.port as u16);
                    return self.broker(r.node_id.0);
                }
                Ok((_, r)) if !retriable_coordinator(r.error_code) => {
                    let msg = r.error_message.map(|m| m.to_string()).unwrap_or_default();
                    return Err(KafkaError::new(ErrorCode(r.error_code as i32), msg));
                }
                Err(e) if e.code == ErrorCode::_DESTROY || e.code == ErrorCode::_TIMED_OUT => return Err(e),
                // The broker has no FindCoordinator v1 (transactions): no use asking again.
                Err(e) if e.code == ErrorCode::_UNSUPPORTED_FEATURE => return Err(e),
                _ => {}
            }
            self.pause(RETRY_BACKOFF, "waiting for coordinator")?;
        }
    }
}

/// Coordinator errors that a new lookup may cure.
pub fn retriable_coordinator(code: i16) -> bool {
    matches!(code, 14..=16)
}

/// A broker error as the domain carries it: code and the broker's message, if any.
pub fn broker_error(code: i16, msg: Option<&StrBytes>) -> Option<KafkaError> {
    (code != 0)
        .then(|| KafkaError::new(ErrorCode(code as i32), msg.map(|m| m.to_string()).unwrap_or_default()))
}
