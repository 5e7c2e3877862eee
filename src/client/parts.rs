//! What a client is made of: its instance, metadata cache, broker registry, and
//! producer and consumer sides; and how it stops.

use crate::admin::Admin;
use crate::broker::Brokers;
use crate::consumer::Consumer;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::instance::Instance;
use crate::message::Message;
use crate::metadata::Cache;
use crate::producer::Producer;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// rd_kafka_t: everything one client instance owns.
pub struct Client {
    pub rk: Arc<Instance>,
    pub cache: Arc<Cache>,
    pub brokers: Arc<Brokers>,
    pub producer: Arc<Producer>,
    pub consumer: Arc<Consumer>,
    pub admin: Arc<Admin>,
    /// The embedded mock cluster (test.mock.num.brokers), stopped with the client.
    pub mock: Option<Arc<crate::mock::Cluster>>,
}

impl Client {
    /// Raises a fatal error (rd_kafka_test_fatal_error): a producer stops as on any
    /// fatal error; a group consumer gets _FATAL from its poll. False when a fatal
    /// error was raised before.
    pub fn raise_fatal(&self, err: ErrorCode, reason: String) -> bool {
        if self.rk.is_producer() {
            let first = self.rk.fatal_error().is_none();
            crate::producer::eos::fatal(&self.producer, err, reason);
            return first;
        }
        let Some(msg) = self.rk.raise_fatal(err, &reason) else {
            return false;
        };
        if self.consumer.group.get().is_some() {
            self.consumer.queue.push(Event::ConsumerError { code: ErrorCode::_FATAL, msg });
        } else {
            self.rk.main_q.push(Event::Error { code: ErrorCode::_FATAL, msg, fatal: true });
        }
        true
    }

    /// Stops all threads. Messages still queued are failed with _DESTROY (if DRs are wanted
    /// they are left on the main queue for the caller to drain or drop).
    pub fn shutdown(self: &Arc<Self>) {
        let rk = &self.rk;
        if rk.terminating.swap(true, Ordering::AcqRel) {
            return;
        }
        let outq = &self.producer.outq;
        let cnt = outq.cnt.load(Ordering::Acquire);
        if rk.is_producer() && cnt > 0 {
            // librdkafka's warning: the only sign many applications get of lost messages.
            let bytes = outq.bytes.load(Ordering::Acquire);
            let s = |n: usize| if n == 1 { "" } else { "s" };
            rk.log(4, "TERMINATE", &format!("Producer terminating with {cnt} message{} ({bytes} byte{}) still in queue or transit: use flush() to wait for outstanding message delivery", s(cnt), s(bytes)));
        }
        rk.stop_main();
        if let Some(h) = rk.take_main_thread() {
            let _ = h.join();
        }
        // Admin operations see the client terminating and answer _DESTROY.
        self.admin.shutdown();
        self.brokers.shutdown();
        for h in rk.take_threads() {
            let _ = h.join();
        }
        // Fail what never left: librdkafka purges with _DESTROY on destroy.
        for t in self.cache.known_topics() {
            let mut msgs: Vec<Box<Message>> =
                t.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
            for p in t.state().partitions.iter() {
                crate::consumer::offset_file::flush(rk, p, true);
                let mut q = p.lock();
                q.bytes = 0;
                q.leader = None;
                msgs.extend(q.msgs.drain(..));
            }
            drop(msgs);
        }
        self.cache.clear();
    }
}
