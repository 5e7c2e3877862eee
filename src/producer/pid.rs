//! Getting the idempotent producer's id (InitProducerId), from the main thread's tick:
//! the first id, and a new epoch after a drain (KIP-360). A transactional producer
//! asks its transaction coordinator.

use super::idempotence::{is_fatal, Phase};
use super::txn::state::TxnState;
use super::txn::work;
use super::{eos, Producer};
use crate::broker::Request;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::dbg;
use bytes::Bytes;
use kafka_protocol::messages::{
    ApiKey, InitProducerIdRequest, InitProducerIdResponse, ProducerId, TransactionalId,
};
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Whether any partition still has Produce requests in flight.
fn inflight(prod: &Producer) -> bool {
    prod.cache.known_topics().iter().any(|t| t.state().partitions.iter().any(|p| p.lock().inflight > 0))
}

/// Called by the main thread: requests a producer id (or an epoch bump) when needed.
pub fn tick(prod: &Arc<Producer>) -> Option<Instant> {
    let idem = prod.idem.as_ref()?;
    let bump_from;
    {
        let mut st = idem.lock();
        let wanted = match st.phase {
            // A transactional producer waits for init_transactions().
            Phase::NeedPid => prod.txn.as_ref().is_none_or(|t| t.state() == TxnState::WaitPid),
            Phase::DrainBump => !inflight(prod),
            _ => false,
        };
        if !wanted || st.requesting {
            return None;
        }
        if let Some(t) = st.retry_at.filter(|t| *t > Instant::now()) {
            return Some(t);
        }
        st.requesting = true;
        bump_from = (st.phase == Phase::DrainBump && prod.txn.is_some()).then_some((st.pid, st.epoch));
    }
    // A transactional producer asks its transaction coordinator; otherwise any broker.
    let b = match &prod.txn {
        Some(_) => work::coordinator(prod),
        None => prod.brokers.all().into_iter().find(|b| b.is_up()),
    };
    let Some(b) = b else {
        // Wait for a connection: the next tick tries again.
        idem.lock().requesting = false;
        if prod.txn.is_none() {
            prod.rk.request_refresh();
        }
        return Some(Instant::now() + Duration::from_millis(50));
    };
    let timeout_ms = prod.rk.conf.int("transaction.timeout.ms").clamp(1000, i32::MAX as i64) as i32;
    let tid = prod.txn.as_ref().map(|t| t.id.clone());
    let c = prod.clone();
    // KIP-360: a transactional producer bumps the epoch of its producer id (v3+).
    let min_ver = if bump_from.is_some() { 3 } else { 0 };
    let req = Request::schema(
        ApiKey::InitProducerId,
        min_ver,
        4,
        move |_| {
            // Without a transactional id the broker hands out a new producer id (epoch
            // 0), which is also the idempotent producer's "bump".
            let mut r = InitProducerIdRequest::default();
            r.transactional_id = tid.map(|t| TransactionalId(StrBytes::from_string(t)));
            r.transaction_timeout_ms = timeout_ms;
            let (pid, epoch) = bump_from.unwrap_or((-1, -1));
            r.producer_id = ProducerId(pid);
            r.producer_epoch = epoch;
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            on_response(&c, crate::protocol::decode_response::<InitProducerIdResponse>(res))
        },
    );
    b.send(req);
    None
}

fn on_response(prod: &Arc<Producer>, res: Result<InitProducerIdResponse, KafkaError>) {
    let Some(idem) = &prod.idem else { return };
    let err = match &res {
        Ok(r) => ErrorCode(r.error_code as i32),
        Err(e) => e.code,
    };
    let mut st = idem.lock();
    st.requesting = false;
    if st.phase == Phase::Fatal {
        return;
    }
    match res {
        Ok(r) if err == ErrorCode::NO_ERROR => {
            let bumped = st.phase == Phase::DrainBump;
            st.pid = r.producer_id.0;
            st.epoch = r.producer_epoch;
            st.phase = Phase::Assigned;
            st.retry_at = None;
            if bumped {
                st.epoch_cnt += 1;
            }
            let (pid, epoch) = (st.pid, st.epoch);
            drop(st);
            prod.rk.dbg(dbg::EOS, "PIDASSIGN", || {
                format!("ProducerId set to {{ProducerId:{pid},Epoch:{epoch}}}")
            });
            if let Some(t) = &prod.txn {
                t.idem_assigned(&prod.rk);
            }
            prod.brokers.wake_all();
        }
        _ if is_fatal(err) || (prod.txn.is_some() && err == ErrorCode::INVALID_TXN_STATE) => {
            drop(st);
            let reason = format!("Failed to acquire transactional PID from broker: {}", err.description());
            if prod.txn.is_some() {
                eos::set_fatal(prod, err, reason);
            } else {
                eos::fatal(prod, err, format!("Failed to acquire producer ID: {}", err.description()));
            }
        }
        _ => {
            // Retriable (coordinator loading, connection lost, timeout, ...): again soon.
            let backoff = prod.rk.settings.retry_backoff_ms.max(100) as u64;
            st.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
            drop(st);
            if let Some(t) = &prod.txn {
                t.idem_init_failed(err);
            }
            prod.rk.kick_main();
            prod.rk.dbg(dbg::EOS, "PIDFAIL", || {
                format!("Failed to acquire producer ID: {}: retrying in {backoff}ms", err.description())
            });
        }
    }
}
