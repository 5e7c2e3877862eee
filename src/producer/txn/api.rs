//! The transactional API the application calls (rd_kafka_init/begin/commit/abort_
//! transaction, send_offsets_to_transaction), with librdkafka's state checks, error
//! flags and resumable calls: a call that times out leaves the work running, and
//! calling it again resumes the wait.

use super::state::TxnState::*;
use super::state::{
    normalize, EndTxnJob, GroupMeta, OffStage, OffsetsJob, St, Txn, TxnOffset, TxnState, PART_NONE,
};
use super::work;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::dbg;
use crate::producer::eos::purge_queues;
use crate::producer::{eos, Producer};
use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

pub(super) fn timed_out() -> KafkaError {
    KafkaError::new(ErrorCode::_TIMED_OUT, "Timed out waiting for operation to finish, retry call to resume")
        .with_retriable()
}

/// Starts (or resumes) the API call `name`; conflicting or concurrent calls are refused
/// as librdkafka refuses them.
pub(super) fn api_begin(t: &Txn, name: &'static str) -> Result<(), KafkaError> {
    let mut st = t.lock();
    match st.api_name {
        Some(cur) if cur != name => Err(KafkaError::new(
            ErrorCode::_CONFLICT,
            format!("Conflicting {cur} API call is already in progress"),
        )
        .with_retriable()),
        Some(cur) if st.api_calling => Err(KafkaError::new(
            ErrorCode::_PREV_IN_PROGRESS,
            format!("Simultaneous {cur} API calls not allowed"),
        )
        .with_retriable()),
        Some(_) => {
            st.api_calling = true;
            Ok(())
        }
        None => {
            st.api_name = Some(name);
            st.api_calling = true;
            st.api_result = None;
            Ok(())
        }
    }
}

/// Ends the API call: a resumable call that failed with a retriable error stays current
/// so that calling it again continues where it stopped.
pub(super) fn api_return(t: &Txn, resumable: bool, res: Result<(), KafkaError>) -> Result<(), KafkaError> {
    let mut st = t.lock();
    st.api_calling = false;
    let keep = resumable && res.as_ref().err().is_some_and(|e| e.retriable);
    if !keep {
        st.api_name = None;
        st.api_result = None;
    }
    res
}

/// Runs `f` as the API call `name`.
pub(super) fn api_call(
    prod: &Arc<Producer>,
    name: &'static str,
    resumable: bool,
    f: impl FnOnce(&Txn) -> Result<(), KafkaError>,
) -> Result<(), KafkaError> {
    let t = prod.transactions();
    api_begin(t, name)?;
    prod.rk.dbg(dbg::EOS, "TXNAPI", || {
        format!("Transactional API called: {name} (in txn state {})", t.state().name())
    });
    let res = f(t);
    api_return(t, resumable, res)
}

/// rd_kafka_init_transactions: acquires the producer id from the transaction
/// coordinator (fencing older instances of this transactional.id).
pub fn init_transactions(prod: &Arc<Producer>, timeout: Option<Duration>) -> Result<(), KafkaError> {
    // An infinite wait is capped at twice transaction.timeout.ms (as librdkafka).
    let timeout = timeout.unwrap_or(Duration::from_millis(
        prod.rk.conf.int("transaction.timeout.ms").saturating_mul(2) as u64,
    ));
    let deadline = Instant::now() + timeout;
    api_call(prod, "init_transactions", true, |t| {
        let mut st = t.lock();
        Txn::require(&st, &[Init, WaitPid, ReadyNotAcked])?;
        if st.state == Init {
            t.set_state(&prod.rk, &mut st, WaitPid);
            st.init_err = ErrorCode::NO_ERROR;
            drop(st);
            prod.rk.kick_main();
            st = t.lock();
        }
        let (mut st, done) = t.wait(st, Some(deadline), |s| s.state != WaitPid);
        if !done {
            let e = normalize(st.init_err);
            if e != ErrorCode::NO_ERROR && e != ErrorCode::_TIMED_OUT {
                return Err(KafkaError::new(
                    e,
                    format!("Failed to initialize Producer ID: {}", e.description()),
                )
                .with_retriable());
            }
            return Err(timed_out());
        }
        if let Some(Err(e)) = st.api_result.take() {
            return Err(e);
        }
        Txn::require(&st, &[ReadyNotAcked])?;
        t.set_state(&prod.rk, &mut st, Ready);
        Ok(())
    })
}

/// rd_kafka_begin_transaction: local only; messages may be produced from now on.
pub fn begin_transaction(prod: &Arc<Producer>) -> Result<(), KafkaError> {
    api_call(prod, "begin_transaction", false, |t| {
        let mut st = t.lock();
        Txn::require(&st, &[Ready])?;
        t.dr_fails.store(0, Ordering::Relaxed);
        st.err = ErrorCode::NO_ERROR;
        st.errstr.clear();
        st.req_cnt = 0;
        t.set_state(&prod.rk, &mut st, InTransaction);
        drop(st);
        prod.brokers.wake_all();
        Ok(())
    })
}

/// What flushing reported (the C layer flushes, serving delivery report callbacks on
/// the calling thread as rd_kafka_flush does).
pub struct Flush<'a> {
    pub run: &'a mut dyn FnMut(Duration) -> ErrorCode,
    /// Delivery reports go to the event queue, which the caller must serve itself.
    pub event_dr: bool,
}

/// Flushes until `deadline`; a timeout is retriable (the call resumes).
fn flushed(
    prod: &Producer,
    deadline: Option<Instant>,
    flush: Flush<'_>,
    what: &str,
) -> Result<(), KafkaError> {
    let left = deadline
        .map_or(Duration::from_secs(3600 * 24 * 365), |d| d.saturating_duration_since(Instant::now()));
    match (flush.run)(left) {
        ErrorCode::NO_ERROR => Ok(()),
        err => Err(flush_error(prod, err, flush.event_dr, what)),
    }
}

fn flush_error(prod: &Producer, err: ErrorCode, event_dr: bool, what: &str) -> KafkaError {
    if err == ErrorCode::_TIMED_OUT {
        let hint = if event_dr {
            format!(": the event queue must be polled for delivery report events in a separate thread or prior to calling {what}")
        } else {
            String::new()
        };
        KafkaError::new(err, format!("Failed to flush all outstanding messages within the API timeout: {} message(s) remaining{hint}", prod.outq.cnt.load(Ordering::Acquire))).with_retriable()
    } else {
        KafkaError::new(err, format!("Failed to flush outstanding messages: {}", err.description()))
            .with_retriable()
    }
}

/// rd_kafka_commit_transaction: flushes, then commits with EndTxn.
pub fn commit_transaction(
    prod: &Arc<Producer>,
    timeout: Option<Duration>,
    flush: Flush<'_>,
) -> Result<(), KafkaError> {
    let deadline = timeout.map(|d| Instant::now() + d);
    let t = prod.transactions();
    api_begin(t, "commit_transaction")?;
    {
        let mut st = t.lock();
        if let Err(e) =
            Txn::require(&st, &[InTransaction, BeginCommit, CommittingTransaction, CommitNotAcked])
        {
            drop(st);
            return api_return(t, false, Err(e));
        }
        if st.state == InTransaction {
            t.set_state(&prod.rk, &mut st, BeginCommit);
        }
    }
    // Wait for every message to be delivered: a failed one fails the transaction.
    if let Err(e) = flushed(prod, deadline, flush, "commit") {
        return api_return(t, true, Err(e));
    }
    let res = (|| {
        let mut st = t.lock();
        Txn::require(&st, &[BeginCommit, CommittingTransaction, CommitNotAcked])?;
        if st.state == BeginCommit {
            let fails = t.dr_fails.load(Ordering::Relaxed);
            if fails > 0 {
                let msg = format!("{fails} message(s) failed delivery (see individual delivery reports)");
                drop(st);
                eos::set_abortable(prod, ErrorCode::_INCONSISTENT, msg.clone(), false);
                return Err(KafkaError::new(ErrorCode::_INCONSISTENT, msg).with_txn_requires_abort());
            }
            if st.req_cnt == 0 {
                prod.rk.dbg(dbg::EOS, "TXNCOMMIT", || "No partitions registered: not sending EndTxn".into());
                t.set_state(&prod.rk, &mut st, CommitNotAcked);
            } else {
                st.endtxn = Some(EndTxnJob { commit: true, inflight: false, retry_at: None });
                t.set_state(&prod.rk, &mut st, CommittingTransaction);
                drop(st);
                prod.rk.kick_main();
                st = t.lock();
            }
        }
        finish(prod, t, st, deadline, &[CommittingTransaction], CommitNotAcked)
    })();
    let resumable = res.as_ref().err().is_some_and(|e| e.retriable);
    api_return(t, resumable, res)
}

/// rd_kafka_abort_transaction: purges queued messages, waits for those in flight, then
/// aborts with EndTxn (and bumps the epoch when the sequences are out of step).
pub fn abort_transaction(
    prod: &Arc<Producer>,
    timeout: Option<Duration>,
    flush: Flush<'_>,
) -> Result<(), KafkaError> {
    let deadline = timeout.map(|d| Instant::now() + d);
    let t = prod.transactions();
    api_begin(t, "abort_transaction")?;
    {
        let mut st = t.lock();
        if let Err(e) = Txn::require(
            &st,
            &[InTransaction, BeginAbort, AbortingTransaction, AbortableError, AbortNotAcked],
        ) {
            drop(st);
            return api_return(t, false, Err(e));
        }
        if matches!(st.state, InTransaction | AbortableError) {
            t.set_state(&prod.rk, &mut st, BeginAbort);
            let mut parts = std::mem::take(&mut st.pending);
            parts.append(&mut st.waitresp);
            for p in parts {
                p.txn.store(PART_NONE, Ordering::Release);
            }
        }
    }
    purge_queues(prod);
    if let Err(e) = flushed(prod, deadline, flush, "abort") {
        return api_return(t, true, Err(e));
    }
    let res = (|| {
        let st = t.lock();
        // Whether EndTxn is needed depends on the answer to a registration in flight.
        // An unbounded abort still bounds this wait (the request times out well before).
        let tto = Duration::from_millis(prod.rk.conf.int("transaction.timeout.ms").max(0) as u64);
        let until = deadline.unwrap_or_else(|| Instant::now() + tto);
        let (mut st, _) = t.wait(st, Some(until), |s| !s.add_inflight || s.state != BeginAbort);
        Txn::require(&st, &[BeginAbort, AbortingTransaction, AbortNotAcked])?;
        if st.state == BeginAbort {
            if st.req_cnt == 0 {
                prod.rk.dbg(dbg::EOS, "TXNABORT", || "No partitions registered: not sending EndTxn".into());
                work::endtxn_complete(prod, t, &mut st, false);
            } else {
                st.endtxn = Some(EndTxnJob { commit: false, inflight: false, retry_at: None });
                t.set_state(&prod.rk, &mut st, AbortingTransaction);
            }
            drop(st);
            prod.rk.kick_main();
            st = t.lock();
        }
        finish(prod, t, st, deadline, &[BeginAbort, AbortingTransaction], AbortNotAcked)
    })();
    let resumable = res.as_ref().err().is_some_and(|e| e.retriable);
    api_return(t, resumable, res)
}

/// rd_kafka_send_offsets_to_transaction: AddOffsetsToTxn on the transaction
/// coordinator, then TxnOffsetCommit on the group coordinator.
pub fn send_offsets_to_transaction(
    prod: &Arc<Producer>,
    offsets: Vec<TxnOffset>,
    meta: GroupMeta,
    timeout: Option<Duration>,
) -> Result<(), KafkaError> {
    // Capped to the transaction timeout, as librdkafka does.
    let tto = Duration::from_millis(prod.rk.conf.int("transaction.timeout.ms").max(0) as u64);
    let deadline = Instant::now() + timeout.map_or(tto, |d| d.min(tto));
    api_call(prod, "send_offsets_to_transaction", false, |t| {
        let mut offsets: Vec<TxnOffset> = offsets.into_iter().filter(|o| o.offset >= 0).collect();
        if offsets.is_empty() {
            // Nothing consumed: not an error, nothing to do.
            return Ok(());
        }
        offsets.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        let mut st = t.lock();
        Txn::require(&st, &[InTransaction])?;
        st.offsets = Some(OffsetsJob {
            meta,
            offsets,
            stage: OffStage::AddOffsets,
            inflight: false,
            retry_at: None,
            deadline,
        });
        drop(st);
        prod.rk.kick_main();
        let st = t.lock();
        // The job ends itself at its deadline, so this wait is bounded.
        let (mut st, _) = t.wait(st, None, |s| s.offsets.is_none());
        match st.api_result.take() {
            Some(r) => r,
            None => Txn::require(&st, &[InTransaction]),
        }
    })
}

/// Waits while the state is one of `busy`, then acknowledges `acked` (back to Ready).
fn finish(
    prod: &Producer,
    t: &Txn,
    st: MutexGuard<'_, St>,
    deadline: Option<Instant>,
    busy: &[TxnState],
    acked: TxnState,
) -> Result<(), KafkaError> {
    let (mut st, done) = t.wait(st, deadline, |s| !busy.contains(&s.state));
    if !done {
        return Err(timed_out());
    }
    if let Some(Err(e)) = st.api_result.take() {
        return Err(e);
    }
    Txn::require(&st, &[acked])?;
    complete(prod, t, &mut st);
    Ok(())
}

/// A transaction ended (acknowledged by the application): back to Ready.
fn complete(prod: &Producer, t: &Txn, st: &mut St) {
    let mut parts = std::mem::take(&mut st.pending);
    parts.append(&mut st.waitresp);
    parts.append(&mut st.added);
    for p in parts {
        p.txn.store(PART_NONE, Ordering::Release);
    }
    st.requires_bump = false;
    st.req_cnt = 0;
    st.endtxn = None;
    t.set_state(&prod.rk, st, Ready);
}
