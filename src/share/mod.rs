//! The share consumer (KIP-932): a member of a share group that fetches records the
//! broker lends it (acquired, with a delivery count) and acknowledges each one.
//! `acks` keeps the application's side (records handed out and their types);
//! `member` is the member's thread (rdk:share): heartbeats to the coordinator and
//! metadata by topic id; `session` its share sessions with each partition leader
//! (ShareFetch, ShareAcknowledge), lent the member's parts they use; `shared` what the
//! two sides exchange; `records` turns a ShareFetch answer into messages pointing into
//! the response buffer.

pub mod acks;
mod member;
mod records;
mod session;
mod shared;

use crate::broker::Brokers;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::Instance;
use crate::message::Message;
use crate::metadata::Cache;
use acks::{AckBatch, Inflight, Tp};
pub use shared::{AckResult, CommitResults};
use shared::{Op, Output, Shared};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The application's side.
#[derive(Default)]
struct App {
    inflight: Inflight,
    subscription: Vec<String>,
}

/// A share consumer.
pub struct ShareConsumer {
    pub rk: Arc<Instance>,
    explicit: bool,
    shared: Arc<Shared>,
    tx: Mutex<Option<Sender<Op>>>,
    app: Mutex<App>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl ShareConsumer {
    /// Starts the member thread of group `group_id` on the client's brokers.
    pub fn start(
        rk: &Arc<Instance>,
        cache: &Arc<Cache>,
        brokers: &Arc<Brokers>,
        group_id: String,
        explicit: bool,
    ) -> Result<Arc<ShareConsumer>, String> {
        let shared = Arc::new(Shared { out: Mutex::new(Output::default()), cv: Condvar::new() });
        let (tx, rx) = channel();
        let h = member::spawn(rk, cache, brokers, group_id, shared.clone(), tx.clone(), rx)?;
        Ok(Arc::new(ShareConsumer {
            rk: rk.clone(),
            explicit,
            shared,
            tx: Mutex::new(Some(tx)),
            app: Mutex::new(App::default()),
            thread: Mutex::new(Some(h)),
        }))
    }

    fn app(&self) -> MutexGuard<'_, App> {
        self.app.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn send(&self, op: Op) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            let _ = tx.send(op);
        }
    }

    pub fn explicit(&self) -> bool {
        self.explicit
    }

    /// Sets the subscription (empty: unsubscribe).
    pub fn subscribe(&self, topics: Vec<String>) {
        self.app().subscription = topics.clone();
        self.send(Op::Subscribe(topics));
    }

    pub fn subscription(&self) -> Vec<String> {
        self.app().subscription.clone()
    }

    /// Keep acknowledgement outcomes for a commit callback (or stop keeping them).
    pub fn want_results(&self, on: bool) {
        let mut o = self.shared.out();
        o.want_results = on;
        if !on {
            o.results.clear();
        }
    }

    /// Acknowledgement outcomes not yet given to the callback.
    pub fn take_results(&self) -> Vec<AckResult> {
        self.shared.out().results.drain(..).collect()
    }

    /// The next batch of records: acknowledgements of the previous one go out (all
    /// accepted in implicit mode; in explicit mode each must have been acknowledged).
    /// None when `timeout` passes first.
    pub fn poll(&self, timeout: Option<Duration>) -> Result<Option<Vec<Box<Message>>>, KafkaError> {
        let mut app = self.app();
        if !self.explicit {
            app.inflight.accept_all();
        } else if app.inflight.unacked() > 0 {
            return Err(KafkaError::new(
                ErrorCode::_STATE,
                format!("{} records from previous poll have not been acknowledged", app.inflight.unacked()),
            ));
        }
        if app.subscription.is_empty() {
            return Err(KafkaError::new(ErrorCode::_STATE, "Consumer is not subscribed to any topics"));
        }
        let acks = app.inflight.take();
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut out = self.shared.out();
        let fetch = out.batches.is_empty().then_some(out.pushed);
        if fetch.is_some() || !acks.is_empty() {
            drop(out);
            self.send(Op::Acks { acks, fetch, sync: None });
            out = self.shared.out();
        }
        loop {
            if let Some(e) = out.errors.pop_front() {
                return Err(e);
            }
            if out.fatal {
                // Lent records not handed out go back when the sessions close.
                out.batches.clear();
            }
            while let Some(b) = out.batches.pop_front() {
                app.inflight.add(b.acks);
                if !b.msgs.is_empty() {
                    return Ok(Some(b.msgs));
                }
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(l) if !l.is_zero() => l,
                    _ => return Ok(None),
                },
                None => Duration::from_secs(3600),
            };
            out = self.shared.cv.wait_timeout(out, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// Sets the type of a record handed out by the last polls.
    pub fn acknowledge(&self, topic: &str, partition: i32, offset: i64, typ: i8) -> ErrorCode {
        self.app().inflight.ack(topic, partition, offset, typ)
    }

    /// The acknowledgements ready to go (implicit mode: everything handed out).
    fn ready_acks(&self) -> Vec<AckBatch> {
        let mut app = self.app();
        if !self.explicit {
            app.inflight.accept_all();
        }
        app.inflight.take()
    }

    /// Sends the acknowledgements made so far; false when there were none.
    pub fn commit_async(&self) -> bool {
        let acks = self.ready_acks();
        if acks.is_empty() {
            return false;
        }
        self.send(Op::Acks { acks, fetch: None, sync: None });
        true
    }

    /// Sends the acknowledgements made so far and waits for their outcome, per
    /// partition; None when there were none.
    pub fn commit_sync(&self, timeout: Option<Duration>) -> Option<CommitResults> {
        let acks = self.ready_acks();
        if acks.is_empty() {
            return None;
        }
        let tps: Vec<Tp> = acks.iter().map(|b| b.tp.clone()).collect();
        let (tx, rx) = channel();
        self.send(Op::Acks { acks, fetch: None, sync: Some(tx) });
        let r = match timeout {
            Some(t) => rx.recv_timeout(t).ok(),
            None => rx.recv().ok(),
        };
        Some(r.unwrap_or_else(|| tps.into_iter().map(|tp| (tp, ErrorCode::REQUEST_TIMED_OUT)).collect()))
    }

    /// Sends what was acknowledged, closes the share sessions (their unacknowledged
    /// records go back to the group), leaves the group and stops the member thread.
    pub fn close(&self) {
        let acks = self.ready_acks();
        let (tx, rx) = channel();
        self.send(Op::Close { acks, done: tx });
        let bound = Duration::from_millis(self.rk.settings.socket_timeout_ms as u64 + 1000);
        let _ = rx.recv_timeout(bound);
        self.stop();
    }

    /// Stops the member thread without closing anything (destroy without close).
    pub fn stop(&self) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = tx.send(Op::Stop);
        }
        if let Some(h) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = h.join();
        }
        // Fetched records nobody polled: their buffers go now.
        self.shared.out().batches.clear();
    }
}
