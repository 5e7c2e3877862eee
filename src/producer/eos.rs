//! How the idempotent and transactional producer escalate errors, as librdkafka does:
//! a fatal error stops the producer for good; an abortable one fails the current
//! transaction; a sequence error drains and bumps the epoch. Messages failed before
//! delivery (purged, expired, abandoned) that carried sequence numbers are such an error.

use super::deliver::{deliver, fail_msgs};
use super::txn::state::{normalize, TxnState::*};
use super::Producer;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::instance::dbg;
use crate::message::Message;
use crate::metadata::Partition;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Raises a fatal error, as librdkafka does for the idempotent producer: the error is
/// kept for rd_kafka_fatal_error(), reported as _FATAL, and queued (not in-flight)
/// messages are purged.
pub fn fatal(prod: &Arc<Producer>, err: ErrorCode, reason: String) {
    if let Some(idem) = &prod.idem {
        idem.set_fatal();
    }
    if !prod.rk.set_fatal(err, &reason) {
        return;
    }
    on_fatal(prod, err, &reason);
    let msg = format!("Fatal error: {}: {}", err.description(), reason);
    if prod.rk.hooks.error_cb {
        prod.rk.log(0, "FATAL", &msg);
        prod.rk.main_q.push(Event::Error { code: ErrorCode::_FATAL, msg, fatal: true });
    } else {
        prod.rk.log(3, "ERROR", &msg);
    }
    purge_queues(prod);
}

/// Stops sending until in-flight requests are answered, then bumps the epoch. A
/// transactional producer first needs the application to abort the transaction.
pub fn drain_bump(prod: &Arc<Producer>, err: ErrorCode, reason: &str) {
    let Some(idem) = &prod.idem else { return };
    if !idem.begin_drain(prod.txn.is_some()) {
        return;
    }
    if prod.txn.is_some() {
        prod.rk.dbg(dbg::EOS, "DRAIN", || {
            format!("Need transaction abort before beginning partition drain for epoch bump: {reason}")
        });
        set_abortable(prod, err, reason.to_string(), true);
        return;
    }
    prod.rk.log(
        4,
        "DRAIN",
        &format!("Idempotent producer: draining in-flight requests before bumping the epoch: {reason}"),
    );
    prod.rk.kick_main();
}

/// The current transaction failed: the application must abort it. Queued messages are
/// purged (their delivery reports say why).
pub fn set_abortable(prod: &Arc<Producer>, err: ErrorCode, errstr: String, bump: bool) {
    if prod.rk.has_fatal.load(Ordering::Acquire) {
        return;
    }
    let t = prod.transactions();
    {
        let mut st = t.lock();
        if bump {
            st.requires_bump = true;
        }
        if st.err != ErrorCode::NO_ERROR {
            prod.rk.dbg(dbg::EOS, "TXNERR", || format!("Ignoring sub-sequent abortable transaction error: {errstr} ({}): previous error ({}) already raised", err.name(), st.err.name()));
            return;
        }
        if !matches!(st.state, InTransaction | BeginCommit | CommittingTransaction) {
            return;
        }
        prod.rk.log(
            3,
            "TXNERR",
            &format!(
                "Current transaction failed in state {}: {errstr} ({}{})",
                st.state.name(),
                err.name(),
                if bump { ", requires epoch bump" } else { "" }
            ),
        );
        st.err = err;
        st.errstr = errstr;
        t.set_state(&prod.rk, &mut st, AbortableError);
    }
    purge_queues(prod);
}

/// A fatal transactional error: the producer can do nothing more.
pub fn set_fatal(prod: &Arc<Producer>, err: ErrorCode, errstr: String) {
    let err = normalize(err);
    prod.rk.log(1, "TXNERR", &format!("Fatal transaction error: {errstr} ({})", err.name()));
    fatal(prod, err, errstr);
}

/// A fatal error was raised: the transaction state follows.
fn on_fatal(prod: &Producer, err: ErrorCode, errstr: &str) {
    let Some(t) = &prod.txn else { return };
    let mut st = t.lock();
    st.err = err;
    st.errstr = errstr.to_string();
    let e = KafkaError::new_fatal(err, errstr.to_string());
    t.set_state(&prod.rk, &mut st, FatalError);
    t.set_result(&mut st, Err(e));
}

/// rd_kafka_purge: fails queued (and, via broker ops, in-flight) messages. Retries among
/// them carry sequence numbers: the gap they leave is handled.
pub fn purge_queues(prod: &Arc<Producer>) -> usize {
    let mut n = 0;
    for t in prod.cache.known_topics() {
        let ua: Vec<Box<Message>> = t.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
        n += ua.len();
        if !ua.is_empty() {
            fail_msgs(prod, ua, ErrorCode::_PURGE_QUEUE, None);
        }
        let parts = t.state().partitions.clone();
        for p in parts {
            let msgs: Vec<Box<Message>> = {
                let mut q = p.lock();
                q.bytes = 0;
                q.backoff_until = None; // the purged retries' backoff
                q.msgs.drain(..).collect()
            };
            n += msgs.len();
            if !msgs.is_empty() {
                fail_partition_msgs(prod, &p, msgs, ErrorCode::_PURGE_QUEUE);
            }
        }
    }
    n
}

/// Messages that had sequence numbers failed for good: the broker will see a gap. An
/// epoch bump starts the partition's sequences again (librdkafka), unless
/// enable.gapless.guarantee makes it fatal (timeouts excepted, as in librdkafka).
pub fn sequence_gap(prod: &Arc<Producer>, p: &Partition, failed: &[Box<Message>]) {
    if prod.idem.is_none() {
        return;
    }
    let Some(m) = failed.iter().find(|m| m.seq >= 0) else { return };
    let err = ErrorCode(m.c.err);
    let reason = format!(
        "{} [{}]: {} message(s) with sequence numbers failed: {}",
        p.topic_name,
        p.id,
        failed.len(),
        err.description()
    );
    if prod.rk.settings.gapless && err != ErrorCode::_MSG_TIMED_OUT && prod.txn.is_none() {
        fatal(prod, ErrorCode::_GAPLESS_GUARANTEE, reason);
    } else {
        drain_bump(prod, err, &reason);
    }
}

/// Fails one partition's messages with `err`; a sequence gap this leaves is handled.
pub fn fail_partition_msgs(prod: &Arc<Producer>, p: &Partition, mut msgs: Vec<Box<Message>>, err: ErrorCode) {
    for m in msgs.iter_mut() {
        m.set_error(err, None);
    }
    sequence_gap(prod, p, &msgs);
    deliver(prod, msgs);
}
