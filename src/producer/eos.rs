//! How the idempotent and transactional producer escalate errors, as librdkafka does:
//! a fatal error stops the producer for good; an abortable one fails the current
//! transaction; a sequence error drains and bumps the epoch.

use super::deliver::purge_queues;
use super::txn::state::{normalize, TxnState::*};
use super::Producer;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::instance::dbg;
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
