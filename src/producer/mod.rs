//! The producer. On the application's thread, `enqueue` builds and queues messages;
//! on each broker thread, `serve` turns ready partition queues into Produce requests
//! and `ack` handles their answers (retries, delivery reports via `deliver`). The
//! idempotent producer's id comes from `pid` (state in `idempotence`); transactions
//! are in `txn`; `eos` escalates their errors. `partitioner` holds librdkafka's
//! partitioner functions.

pub(crate) mod ack;
pub(crate) mod deliver;
pub(crate) mod enqueue;
pub(crate) mod eos;
pub(crate) mod idempotence;
pub mod partitioner;
pub(crate) mod pid;
pub(crate) mod serve;
pub(crate) mod txn;

use crate::broker::Brokers;
use crate::instance::Instance;
use crate::metadata::Cache;
use crate::outq::OutQ;
use idempotence::Idempotence;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use txn::state::Txn;

/// The producer side of a client: its queue, and the idempotence and transaction
/// state when configured.
pub struct Producer {
    pub rk: Arc<Instance>,
    pub cache: Arc<Cache>,
    pub brokers: Arc<Brokers>,
    pub outq: Arc<OutQ>,
    /// Set while `flush` runs: linger is skipped so everything goes out now.
    pub flushing: AtomicUsize,
    /// enable.idempotence: producer id, epoch and recovery state.
    pub idem: Option<Idempotence>,
    /// transactional.id: the transaction manager.
    pub txn: Option<Txn>,
}

impl Producer {
    pub fn new(rk: &Arc<Instance>, cache: &Arc<Cache>, brokers: &Arc<Brokers>) -> Arc<Producer> {
        let outq = cache.outq.clone();
        // The client decided whether this producer is transactional when it made the queue.
        let txn = outq
            .transactional
            .then(|| Txn::new(rk.conf.string("transactional.id").unwrap_or_default(), outq.clone()));
        Arc::new(Producer {
            rk: rk.clone(),
            cache: cache.clone(),
            brokers: brokers.clone(),
            outq,
            flushing: AtomicUsize::new(0),
            idem: rk.settings.idempotence.then(Idempotence::default),
            txn,
        })
    }

    /// The transaction manager of a transactional producer (callers check first).
    pub fn transactions(&self) -> &Txn {
        self.txn.as_ref().expect("transactional producer")
    }
}
