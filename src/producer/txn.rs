//! The transactional producer (transactional.id, KIP-98), with librdkafka's state
//! machine, error classes and resumable API calls.
//!
//! The application thread calls the blocking API (init, begin, send_offsets, commit,
//! abort); protocol work (coordinator lookup, AddPartitionsToTxn, AddOffsetsToTxn,
//! TxnOffsetCommit, EndTxn) is started by the main thread's `tick` and finished by
//! response callbacks on broker threads. Both sides meet in one mutex-protected state
//! with a condition variable; an API call that times out leaves the work running, and
//! calling it again resumes the wait (librdkafka's "retry call to resume").

use crate::broker::{BrokerHandle, Request};
use crate::client::{Client, Partition};
use crate::error::{ErrorCode, KafkaError};
use bytes::Bytes;
use kafka_protocol::messages::add_partitions_to_txn_request::AddPartitionsToTxnTopic;
use kafka_protocol::messages::txn_offset_commit_request::{
    TxnOffsetCommitRequestPartition, TxnOffsetCommitRequestTopic,
};
use kafka_protocol::messages::{
    AddOffsetsToTxnRequest, AddOffsetsToTxnResponse, AddPartitionsToTxnRequest, AddPartitionsToTxnResponse,
    ApiKey, EndTxnRequest, EndTxnResponse, FindCoordinatorRequest, FindCoordinatorResponse, GroupId,
    ProducerId, TopicName, TransactionalId, TxnOffsetCommitRequest, TxnOffsetCommitResponse,
};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A partition's membership in the current transaction (Partition::txn).
pub const PART_NONE: u8 = 0;
pub const PART_PENDING: u8 = 1;
pub const PART_IN: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnState {
    Init,
    WaitPid,
    ReadyNotAcked,
    Ready,
    InTransaction,
    BeginCommit,
    CommittingTransaction,
    CommitNotAcked,
    BeginAbort,
    AbortingTransaction,
    AbortNotAcked,
    AbortableError,
    FatalError,
}
use TxnState::*;

impl TxnState {
    /// librdkafka's names (error strings and statistics use them).
    pub fn name(self) -> &'static str {
        match self {
            Init => "Init",
            WaitPid => "WaitPID",
            ReadyNotAcked => "ReadyNotAcked",
            Ready => "Ready",
            InTransaction => "InTransaction",
            BeginCommit => "BeginCommit",
            CommittingTransaction => "CommittingTransaction",
            CommitNotAcked => "CommitNotAcked",
            BeginAbort => "BeginAbort",
            AbortingTransaction => "AbortingTransaction",
            AbortNotAcked => "AbortedNotAcked",
            AbortableError => "AbortableError",
            FatalError => "FatalError",
        }
    }
}

/// The consumer group position sent with send_offsets_to_transaction.
#[derive(Clone, Debug)]
pub struct GroupMeta {
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    pub group_instance_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct TxnOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub leader_epoch: i32,
    pub metadata: Option<String>,
}

/// A coordinator connection and its lookup.
#[derive(Default)]
struct Coord {
    broker: Option<Arc<BrokerHandle>>,
    querying: bool,
    retry_at: Option<Instant>,
}

struct EndTxnJob {
    commit: bool,
    inflight: bool,
    retry_at: Option<Instant>,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum OffStage {
    AddOffsets,
    Commit,
}

struct OffsetsJob {
    meta: GroupMeta,
    offsets: Vec<TxnOffset>,
    stage: OffStage,
    inflight: bool,
    retry_at: Option<Instant>,
    deadline: Instant,
}

struct St {
    state: TxnState,
    /// The current transaction's error (abortable or fatal) and its text.
    err: ErrorCode,
    errstr: String,
    /// abort_transaction() must bump the epoch (KIP-360): sequences are out of step.
    requires_bump: bool,
    /// Why the producer id could not be acquired yet (for init_transactions' timeout).
    init_err: ErrorCode,
    coord: Coord,
    /// The group coordinator for TxnOffsetCommit, and the group it is for.
    gcoord: Coord,
    gcoord_group: String,
    pending: Vec<Arc<Partition>>,
    waitresp: Vec<Arc<Partition>>,
    added: Vec<Arc<Partition>>,
    reg_at: Option<Instant>,
    /// Requests that put state on the coordinator in this transaction: without any,
    /// commit and abort need no EndTxn.
    req_cnt: u32,
    endtxn: Option<EndTxnJob>,
    offsets: Option<OffsetsJob>,
    /// The API call in progress (resumable calls keep it across a timeout), whether a
    /// thread is inside it, and a result the background set for it.
    api_name: Option<&'static str>,
    api_calling: bool,
    api_result: Option<Result<(), KafkaError>>,
}

pub struct Txn {
    pub id: String,
    st: Mutex<St>,
    cv: Condvar,
    /// Producing is allowed (InTransaction): read on the produce path without locking.
    pub may_enq: AtomicBool,
    /// Messages of this transaction that failed delivery.
    pub dr_fails: AtomicU64,
}

/// librdkafka reports both fencing errors as _FENCED, and a queue timeout as a timeout.
fn normalize(err: ErrorCode) -> ErrorCode {
    match err {
        ErrorCode::INVALID_PRODUCER_EPOCH | ErrorCode::PRODUCER_FENCED => ErrorCode::_FENCED,
        ErrorCode::_TIMED_OUT_QUEUE => ErrorCode::_TIMED_OUT,
        e => e,
    }
}

/// What to do about an error from the transaction coordinator.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Action {
    Ok,
    /// Look the coordinator up again, then retry.
    Recoord,
    Retry,
    /// The transaction must be aborted (with an epoch bump when `bump`).
    Abortable {
        bump: bool,
    },
    Fatal,
}

fn classify(err: ErrorCode) -> Action {
    use ErrorCode as E;
    match err {
        E::NO_ERROR => Action::Ok,
        E::NOT_COORDINATOR
        | E::COORDINATOR_NOT_AVAILABLE
        | E::_TRANSPORT
        | E::_TIMED_OUT
        | E::_TIMED_OUT_QUEUE
        | E::REQUEST_TIMED_OUT => Action::Recoord,
        E::CONCURRENT_TRANSACTIONS | E::COORDINATOR_LOAD_IN_PROGRESS | E::UNKNOWN_TOPIC_OR_PART => {
            Action::Retry
        }
        E::INVALID_PRODUCER_EPOCH
        | E::PRODUCER_FENCED
        | E::TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        | E::CLUSTER_AUTHORIZATION_FAILED
        | E::INVALID_TXN_STATE
        | E::UNSUPPORTED_FOR_MESSAGE_FORMAT => Action::Fatal,
        E::UNKNOWN_PRODUCER_ID | E::INVALID_PRODUCER_ID_MAPPING => Action::Abortable { bump: true },
        _ => Action::Abortable { bump: false },
    }
}

impl Txn {
    pub fn new(id: String) -> Txn {
        Txn {
            id,
            st: Mutex::new(St {
                state: Init,
                err: ErrorCode::NO_ERROR,
                errstr: String::new(),
                requires_bump: false,
                init_err: ErrorCode::NO_ERROR,
                coord: Coord::default(),
                gcoord: Coord::default(),
                gcoord_group: String::new(),
                pending: Vec::new(),
                waitresp: Vec::new(),
                added: Vec::new(),
                reg_at: None,
                req_cnt: 0,
                endtxn: None,
                offsets: None,
                api_name: None,
                api_calling: false,
                api_result: None,
            }),
            cv: Condvar::new(),
            may_enq: AtomicBool::new(false),
            dr_fails: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, St> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn state(&self) -> TxnState {
        self.lock().state
    }

    /// Whether the broker threads may send this partition's messages, and (when not yet)
    /// registers it with the transaction.
    pub fn partition_ready(&self, client: &Client, p: &Arc<Partition>) -> bool {
        match p.txn.load(Ordering::Acquire) {
            PART_IN => true,
            PART_PENDING => false,
            _ => {
                let mut st = self.lock();
                if matches!(st.state, InTransaction | BeginCommit)
                    && p.txn.load(Ordering::Acquire) == PART_NONE
                {
                    p.txn.store(PART_PENDING, Ordering::Release);
                    st.pending.push(p.clone());
                    drop(st);
                    client.dbg(crate::client::dbg::EOS, "ADDPARTS", || {
                        format!(
                            "Marked {} [{}] as part of transaction: scheduling registration",
                            p.topic_name, p.id
                        )
                    });
                    client.kick_main();
                }
                false
            }
        }
    }

    /// Failed delivery reports count against the transaction (commit refuses).
    pub fn count_failed(&self, n: usize) {
        if n > 0 {
            self.dr_fails.fetch_add(n as u64, Ordering::Relaxed);
        }
    }

    /// (state name, may_enq) for statistics.
    pub fn stats(&self) -> (&'static str, bool) {
        (self.state().name(), self.may_enq.load(Ordering::Relaxed))
    }

    fn set_state(&self, client: &Client, st: &mut St, new: TxnState) {
        if st.state == new || st.state == FatalError {
            return;
        }
        client.dbg(crate::client::dbg::EOS, "TXNSTATE", || {
            format!("Transaction state change {} -> {}", st.state.name(), new.name())
        });
        self.may_enq.store(new == InTransaction, Ordering::Release);
        st.state = new;
        self.cv.notify_all();
    }

    /// The error a call gets when the state is not one of `ok` (librdkafka's
    /// require_state: the fatal or abortable error itself, else _STATE).
    fn require(st: &St, ok: &[TxnState]) -> Result<(), KafkaError> {
        if ok.contains(&st.state) {
            return Ok(());
        }
        Err(match st.state {
            FatalError => KafkaError::new_fatal(st.err, st.errstr.clone()),
            AbortableError => KafkaError::new(st.err, st.errstr.clone()).with_txn_requires_abort(),
            s => KafkaError::new(ErrorCode::_STATE, format!("Operation not valid in state {}", s.name())),
        })
    }

    /// Waits (bounded) until `done` holds or a background result arrives.
    fn wait<'a>(
        &'a self,
        mut st: MutexGuard<'a, St>,
        deadline: Option<Instant>,
        done: impl Fn(&St) -> bool,
    ) -> (MutexGuard<'a, St>, bool) {
        loop {
            if done(&st) || st.state == FatalError || st.api_result.is_some() {
                return (st, true);
            }
            match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return (st, false);
                    }
                    st = self.cv.wait_timeout(st, left).unwrap_or_else(|e| e.into_inner()).0;
                }
                None => st = self.cv.wait(st).unwrap_or_else(|e| e.into_inner()),
            }
        }
    }

    fn set_result(&self, st: &mut St, r: Result<(), KafkaError>) {
        if st.api_name.is_some() && st.api_result.is_none() {
            st.api_result = Some(r);
        }
        self.cv.notify_all();
    }
}

fn txn(client: &Client) -> &Txn {
    client.txn.as_ref().expect("transactional producer")
}

fn timed_out() -> KafkaError {
    KafkaError::new(ErrorCode::_TIMED_OUT, "Timed out waiting for operation to finish, retry call to resume")
        .with_retriable()
}

/// Starts (or resumes) the API call `name`; conflicting or concurrent calls are refused
/// as librdkafka refuses them.
fn api_begin(t: &Txn, name: &'static str) -> Result<(), KafkaError> {
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
fn api_return(t: &Txn, resumable: bool, res: Result<(), KafkaError>) -> Result<(), KafkaError> {
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
fn api_call(
    client: &Arc<Client>,
    name: &'static str,
    resumable: bool,
    f: impl FnOnce(&Txn) -> Result<(), KafkaError>,
) -> Result<(), KafkaError> {
    let t = txn(client);
    api_begin(t, name)?;
    client.dbg(crate::client::dbg::EOS, "TXNAPI", || {
        format!("Transactional API called: {name} (in txn state {})", t.state().name())
    });
    let res = f(t);
    api_return(t, resumable, res)
}

/// rd_kafka_init_transactions: acquires the producer id from the transaction
/// coordinator (fencing older instances of this transactional.id).
pub fn init_transactions(client: &Arc<Client>, timeout: Option<Duration>) -> Result<(), KafkaError> {
    // An infinite wait is capped at twice transaction.timeout.ms (as librdkafka).
    let timeout = timeout
        .unwrap_or(Duration::from_millis(client.conf.int("transaction.timeout.ms").saturating_mul(2) as u64));
    let deadline = Instant::now() + timeout;
    api_call(client, "init_transactions", true, |t| {
        let mut st = t.lock();
        Txn::require(&st, &[Init, WaitPid, ReadyNotAcked])?;
        if st.state == Init {
            t.set_state(client, &mut st, WaitPid);
            st.init_err = ErrorCode::NO_ERROR;
            drop(st);
            client.kick_main();
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
        t.set_state(client, &mut st, Ready);
        Ok(())
    })
}

/// rd_kafka_begin_transaction: local only; messages may be produced from now on.
pub fn begin_transaction(client: &Arc<Client>) -> Result<(), KafkaError> {
    api_call(client, "begin_transaction", false, |t| {
        let mut st = t.lock();
        Txn::require(&st, &[Ready])?;
        t.dr_fails.store(0, Ordering::Relaxed);
        st.err = ErrorCode::NO_ERROR;
        st.errstr.clear();
        st.req_cnt = 0;
        t.set_state(client, &mut st, InTransaction);
        drop(st);
        for b in client.brokers() {
            b.wake();
        }
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
    client: &Client,
    deadline: Option<Instant>,
    flush: Flush<'_>,
    what: &str,
) -> Result<(), KafkaError> {
    let left = deadline
        .map_or(Duration::from_secs(3600 * 24 * 365), |d| d.saturating_duration_since(Instant::now()));
    match (flush.run)(left) {
        ErrorCode::NO_ERROR => Ok(()),
        err => Err(flush_error(client, err, flush.event_dr, what)),
    }
}

fn flush_error(client: &Client, err: ErrorCode, event_dr: bool, what: &str) -> KafkaError {
    if err == ErrorCode::_TIMED_OUT {
        let hint = if event_dr {
            format!(": the event queue must be polled for delivery report events in a separate thread or prior to calling {what}")
        } else {
            String::new()
        };
        KafkaError::new(err, format!("Failed to flush all outstanding messages within the API timeout: {} message(s) remaining{hint}", client.outq.cnt.load(Ordering::Acquire))).with_retriable()
    } else {
        KafkaError::new(err, format!("Failed to flush outstanding messages: {}", err.description()))
            .with_retriable()
    }
}

/// rd_kafka_commit_transaction: flushes, then commits with EndTxn.
pub fn commit_transaction(
    client: &Arc<Client>,
    timeout: Option<Duration>,
    flush: Flush<'_>,
) -> Result<(), KafkaError> {
    let deadline = timeout.map(|d| Instant::now() + d);
    let t = txn(client);
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
            t.set_state(client, &mut st, BeginCommit);
        }
    }
    // Wait for every message to be delivered: a failed one fails the transaction.
    if let Err(e) = flushed(client, deadline, flush, "commit") {
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
                set_abortable(client, ErrorCode::_INCONSISTENT, msg.clone(), false);
                return Err(KafkaError::new(ErrorCode::_INCONSISTENT, msg).with_txn_requires_abort());
            }
            if st.req_cnt == 0 {
                client.dbg(crate::client::dbg::EOS, "TXNCOMMIT", || {
                    "No partitions registered: not sending EndTxn".into()
                });
                t.set_state(client, &mut st, CommitNotAcked);
            } else {
                st.endtxn = Some(EndTxnJob { commit: true, inflight: false, retry_at: None });
                t.set_state(client, &mut st, CommittingTransaction);
                drop(st);
                client.kick_main();
                st = t.lock();
            }
        }
        finish(client, t, st, deadline, &[CommittingTransaction], CommitNotAcked)
    })();
    let resumable = res.as_ref().err().is_some_and(|e| e.retriable);
    api_return(t, resumable, res)
}

/// rd_kafka_abort_transaction: purges queued messages, waits for those in flight, then
/// aborts with EndTxn (and bumps the epoch when the sequences are out of step).
pub fn abort_transaction(
    client: &Arc<Client>,
    timeout: Option<Duration>,
    flush: Flush<'_>,
) -> Result<(), KafkaError> {
    let deadline = timeout.map(|d| Instant::now() + d);
    let t = txn(client);
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
            t.set_state(client, &mut st, BeginAbort);
            let mut parts = std::mem::take(&mut st.pending);
            parts.append(&mut st.waitresp);
            for p in parts {
                p.txn.store(PART_NONE, Ordering::Release);
            }
        }
    }
    super::purge_queues(client);
    if let Err(e) = flushed(client, deadline, flush, "abort") {
        return api_return(t, true, Err(e));
    }
    let res = (|| {
        let mut st = t.lock();
        Txn::require(&st, &[BeginAbort, AbortingTransaction, AbortNotAcked])?;
        if st.state == BeginAbort {
            if st.req_cnt == 0 {
                client.dbg(crate::client::dbg::EOS, "TXNABORT", || {
                    "No partitions registered: not sending EndTxn".into()
                });
                endtxn_complete(client, t, &mut st, false);
            } else {
                st.endtxn = Some(EndTxnJob { commit: false, inflight: false, retry_at: None });
                t.set_state(client, &mut st, AbortingTransaction);
            }
            drop(st);
            client.kick_main();
            st = t.lock();
        }
        finish(client, t, st, deadline, &[BeginAbort, AbortingTransaction], AbortNotAcked)
    })();
    let resumable = res.as_ref().err().is_some_and(|e| e.retriable);
    api_return(t, resumable, res)
}

/// rd_kafka_send_offsets_to_transaction: AddOffsetsToTxn on the transaction
/// coordinator, then TxnOffsetCommit on the group coordinator.
pub fn send_offsets_to_transaction(
    client: &Arc<Client>,
    offsets: Vec<TxnOffset>,
    meta: GroupMeta,
    timeout: Option<Duration>,
) -> Result<(), KafkaError> {
    // Capped to the transaction timeout, as librdkafka does.
    let tto = Duration::from_millis(client.conf.int("transaction.timeout.ms").max(0) as u64);
    let deadline = Instant::now() + timeout.map_or(tto, |d| d.min(tto));
    api_call(client, "send_offsets_to_transaction", false, |t| {
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
        client.kick_main();
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
    client: &Client,
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
    complete(client, t, &mut st);
    Ok(())
}

/// A transaction ended (acknowledged by the application): back to Ready.
fn complete(client: &Client, t: &Txn, st: &mut St) {
    let mut parts = std::mem::take(&mut st.pending);
    parts.append(&mut st.waitresp);
    parts.append(&mut st.added);
    for p in parts {
        p.txn.store(PART_NONE, Ordering::Release);
    }
    st.requires_bump = false;
    st.req_cnt = 0;
    st.endtxn = None;
    t.set_state(client, st, Ready);
}

/// EndTxn is done (or was not needed). An abort that must bump the epoch waits for the
/// new epoch first (`idem_assigned` finishes it).
fn endtxn_complete(client: &Client, t: &Txn, st: &mut St, commit: bool) {
    st.endtxn = None;
    if !commit && st.requires_bump {
        if let Some(idem) = &client.idem {
            idem.start_bump();
        }
        client.kick_main();
        return;
    }
    t.set_state(client, st, if commit { CommitNotAcked } else { AbortNotAcked });
}

/// The idempotent layer has a producer id (first one, or a bumped epoch).
pub fn idem_assigned(client: &Client) {
    let Some(t) = &client.txn else { return };
    let mut st = t.lock();
    match st.state {
        WaitPid => t.set_state(client, &mut st, ReadyNotAcked),
        BeginAbort | AbortingTransaction if st.endtxn.is_none() => {
            t.set_state(client, &mut st, AbortNotAcked)
        }
        _ => {}
    }
    st.init_err = ErrorCode::NO_ERROR;
}

/// InitProducerId failed with a retriable error: kept for init_transactions' answer.
pub fn idem_init_failed(client: &Client, err: ErrorCode) {
    if let Some(t) = &client.txn {
        let mut st = t.lock();
        st.init_err = err;
        if matches!(
            err,
            ErrorCode::NOT_COORDINATOR | ErrorCode::COORDINATOR_NOT_AVAILABLE | ErrorCode::_TRANSPORT
        ) {
            st.coord.broker = None;
        }
    }
}

/// The current transaction failed: the application must abort it. Queued messages are
/// purged (their delivery reports say why).
pub fn set_abortable(client: &Arc<Client>, err: ErrorCode, errstr: String, bump: bool) {
    if client.has_fatal.load(Ordering::Acquire) {
        return;
    }
    let t = txn(client);
    {
        let mut st = t.lock();
        if bump {
            st.requires_bump = true;
        }
        if st.err != ErrorCode::NO_ERROR {
            client.dbg(crate::client::dbg::EOS, "TXNERR", || format!("Ignoring sub-sequent abortable transaction error: {errstr} ({}): previous error ({}) already raised", err.name(), st.err.name()));
            return;
        }
        if !matches!(st.state, InTransaction | BeginCommit | CommittingTransaction) {
            return;
        }
        client.log(
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
        t.set_state(client, &mut st, AbortableError);
    }
    super::purge_queues(client);
}

/// A fatal transactional error: the producer can do nothing more.
pub fn set_fatal(client: &Arc<Client>, err: ErrorCode, errstr: String) {
    let err = normalize(err);
    client.log(1, "TXNERR", &format!("Fatal transaction error: {errstr} ({})", err.name()));
    super::idempotence::fatal(client, err, errstr);
}

/// Called by idempotence::fatal: the transaction state follows.
pub fn on_fatal(client: &Client, err: ErrorCode, errstr: &str) {
    let Some(t) = &client.txn else { return };
    let mut st = t.lock();
    st.err = err;
    st.errstr = errstr.to_string();
    let e = KafkaError::new_fatal(err, errstr.to_string());
    t.set_state(client, &mut st, FatalError);
    t.set_result(&mut st, Err(e));
}

/// The transaction coordinator, when connected; otherwise a lookup is started.
pub fn coordinator(client: &Arc<Client>) -> Option<Arc<BrokerHandle>> {
    let t = txn(client);
    let mut st = t.lock();
    if let Some(b) = &st.coord.broker {
        return Some(b.clone());
    }
    if !st.coord.querying && st.coord.retry_at.is_none_or(|r| r <= Instant::now()) {
        st.coord.querying = true;
        drop(st);
        find_coordinator(client, t.id.clone(), 1, "TxnCoordinator", |c, r| {
            let t = txn(c);
            let mut st = t.lock();
            st.coord.querying = false;
            match r {
                Ok(b) => {
                    st.coord.broker = Some(b);
                    st.coord.retry_at = None;
                }
                Err(e) => {
                    // Not an InitProducerId failure: init_transactions() still says _TIMED_OUT.
                    c.dbg(crate::client::dbg::EOS, "TXNCOORD", || {
                        format!("Transaction coordinator lookup failed: {}", e.msg)
                    });
                    st.coord.retry_at = Some(
                        Instant::now() + Duration::from_millis(c.settings.retry_backoff_ms.max(100) as u64),
                    );
                }
            }
            drop(st);
            c.kick_main();
        });
    }
    None
}

/// Looks up the coordinator of `key` and connects to it (one connection per
/// coordinator, named like librdkafka's, reused while the coordinator stays the same).
pub fn find_coordinator(
    client: &Arc<Client>,
    key: String,
    key_type: i8,
    prefix: &'static str,
    done: impl FnOnce(&Arc<Client>, Result<Arc<BrokerHandle>, KafkaError>) + Send + 'static,
) {
    let c = client.clone();
    let req = Request::schema(
        ApiKey::FindCoordinator,
        1,
        3,
        move |_| {
            let mut r = FindCoordinatorRequest::default();
            r.key = StrBytes::from_string(key);
            r.key_type = key_type;
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            let r = crate::protocol::decode_response::<FindCoordinatorResponse>(res).and_then(|r| {
                if r.error_code != 0 {
                    return Err(KafkaError::new(
                        ErrorCode(r.error_code as i32),
                        r.error_message.map(|m| m.to_string()).unwrap_or_default(),
                    ));
                }
                c.coordinator_connection(prefix, r.node_id.0, &r.host, r.port as u16).ok_or_else(|| {
                    KafkaError::new(ErrorCode::_TRANSPORT, "Failed to create coordinator connection")
                })
            });
            done(&c, r)
        },
    );
    if let Err(req) = client.send_any(req) {
        req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "No brokers"));
    }
}

/// Main thread: starts whatever protocol work the transaction needs. Returns when it
/// wants to run again.
pub fn tick(client: &Arc<Client>) -> Option<Instant> {
    let t = client.txn.as_ref()?;
    let now = Instant::now();
    let mut next: Option<Instant> = None;
    let mut later = |at: Instant| next = Some(next.map_or(at, |n: Instant| n.min(at)));
    let state = t.state();
    let wants_coord = !matches!(state, Init | Ready | FatalError);
    if !wants_coord {
        return None;
    }
    let Some(coord) = coordinator(client) else {
        later(now + Duration::from_millis(50));
        return next;
    };
    let pid = client.idem.as_ref().and_then(|i| i.current());
    let mut reqs: Vec<(Arc<BrokerHandle>, Request)> = Vec::new();
    {
        let mut st = t.lock();
        // Partitions to register.
        if let Some((pid, epoch)) = pid.filter(|_| matches!(st.state, InTransaction | BeginCommit)) {
            if !st.pending.is_empty() && st.waitresp.is_empty() {
                if st.reg_at.is_some_and(|r| r > now) {
                    later(st.reg_at.unwrap_or(now));
                } else {
                    st.reg_at = None;
                    st.waitresp = std::mem::take(&mut st.pending);
                    st.req_cnt += 1;
                    reqs.push((coord.clone(), add_partitions_req(client, &t.id, pid, epoch, &st.waitresp)));
                }
            }
        }
        // EndTxn.
        if let (Some(job), Some((pid, epoch))) =
            (st.endtxn.as_mut(), pid.or_else(|| client.idem.as_ref().and_then(|i| i.pid_any())))
        {
            if !job.inflight {
                if job.retry_at.is_some_and(|r| r > now) {
                    later(job.retry_at.unwrap_or(now));
                } else {
                    job.inflight = true;
                    job.retry_at = None;
                    reqs.push((coord.clone(), end_txn_req(client, &t.id, pid, epoch, job.commit)));
                }
            }
        }
        // send_offsets_to_transaction.
        let mut expired = false;
        if let (Some(job), Some((pid, epoch))) = (st.offsets.as_mut(), pid) {
            if !job.inflight {
                if job.deadline <= now {
                    expired = true;
                } else if job.retry_at.is_some_and(|r| r > now) {
                    later(job.retry_at.unwrap_or(now));
                } else if job.stage == OffStage::AddOffsets {
                    job.inflight = true;
                    job.retry_at = None;
                    reqs.push((
                        coord.clone(),
                        add_offsets_req(client, &t.id, pid, epoch, &job.meta.group_id),
                    ));
                    st.req_cnt += 1;
                } else {
                    let group = job.meta.group_id.clone();
                    if st.gcoord_group != group {
                        st.gcoord = Coord::default();
                        st.gcoord_group = group.clone();
                    }
                    match st.gcoord.broker.clone() {
                        Some(g) => {
                            let job = st.offsets.as_mut().expect("job");
                            job.inflight = true;
                            job.retry_at = None;
                            reqs.push((g, txn_offset_commit_req(client, &t.id, pid, epoch, job)));
                        }
                        None if !st.gcoord.querying => {
                            st.gcoord.querying = true;
                            drop(st);
                            find_coordinator(client, group.clone(), 0, "GroupCoordinator", move |c, r| {
                                let t = txn(c);
                                let mut st = t.lock();
                                if st.gcoord_group == group {
                                    st.gcoord.querying = false;
                                    match r {
                                        Ok(b) => st.gcoord.broker = Some(b),
                                        Err(_) => {
                                            if let Some(j) = st.offsets.as_mut() {
                                                j.retry_at =
                                                    Some(Instant::now() + Duration::from_millis(500));
                                            }
                                        }
                                    }
                                }
                                drop(st);
                                c.kick_main();
                            });
                            st = t.lock();
                            later(now + Duration::from_millis(50));
                        }
                        None => later(now + Duration::from_millis(50)),
                    }
                }
            }
        }
        if expired {
            st.offsets = None;
            let e = KafkaError::new(ErrorCode::_TIMED_OUT, "Failed to add offsets to transaction: timed out")
                .with_retriable();
            t.set_result(&mut st, Err(e));
        }
    }
    for (b, r) in reqs {
        b.send(r);
    }
    next
}

fn add_partitions_req(
    client: &Arc<Client>,
    tid: &str,
    pid: i64,
    epoch: i16,
    parts: &[Arc<Partition>],
) -> Request {
    let mut topics: Vec<AddPartitionsToTxnTopic> = Vec::new();
    for p in parts {
        match topics.iter_mut().find(|t| t.name.0.as_str() == &*p.topic_name) {
            Some(t) => t.partitions.push(p.id),
            None => {
                let mut t = AddPartitionsToTxnTopic::default();
                t.name = TopicName(StrBytes::from_string(p.topic_name.to_string()));
                t.partitions.push(p.id);
                topics.push(t);
            }
        }
    }
    client.dbg(crate::client::dbg::EOS, "ADDPARTS", || {
        format!("Registering {} partition(s) with transaction", parts.len())
    });
    let tid = tid.to_string();
    let c = client.clone();
    let sent = Instant::now();
    Request::schema(
        ApiKey::AddPartitionsToTxn,
        0,
        3,
        move |_| {
            let mut r = AddPartitionsToTxnRequest::default();
            r.v3_and_below_transactional_id = TransactionalId(StrBytes::from_string(tid));
            r.v3_and_below_producer_id = ProducerId(pid);
            r.v3_and_below_producer_epoch = epoch;
            r.v3_and_below_topics = topics;
            r
        },
        move |res| {
            on_add_partitions(&c, crate::protocol::decode_response::<AddPartitionsToTxnResponse>(res), sent)
        },
    )
}

fn on_add_partitions(
    client: &Arc<Client>,
    res: Result<AddPartitionsToTxnResponse, KafkaError>,
    sent: Instant,
) {
    let t = txn(client);
    let mut st = t.lock();
    if !matches!(st.state, InTransaction | BeginCommit) {
        // Answered after the transaction ended: ignore.
        return;
    }
    let mut worst = Action::Ok;
    let mut err = ErrorCode::NO_ERROR;
    let mut backoff = 500;
    match res {
        Err(e) => {
            worst = Action::Recoord;
            err = e.code;
        }
        Ok(r) => {
            let before = st.added.len();
            for tr in &r.results_by_topic_v3_and_below {
                for pr in &tr.results_by_partition {
                    let e = ErrorCode(pr.partition_error_code as i32);
                    let Some(i) = st
                        .waitresp
                        .iter()
                        .position(|p| p.id == pr.partition_index && &*p.topic_name == tr.name.0.as_str())
                    else {
                        continue;
                    };
                    if e == ErrorCode::NO_ERROR {
                        let p = st.waitresp.remove(i);
                        p.txn.store(PART_IN, Ordering::Release);
                        client.dbg(crate::client::dbg::EOS, "ADDPARTS", || {
                            format!("{} [{}] registered with transaction", p.topic_name, p.id)
                        });
                        st.added.push(p);
                        continue;
                    }
                    let a = match e {
                        // Skipped because of another partition's error.
                        ErrorCode::OPERATION_NOT_ATTEMPTED => Action::Retry,
                        _ => classify(e),
                    };
                    if e == ErrorCode::CONCURRENT_TRANSACTIONS {
                        backoff = 20;
                    }
                    if rank(a) > rank(worst) {
                        worst = a;
                        err = e;
                    }
                }
            }
            if worst != Action::Ok && st.added.len() == before {
                // A definite refusal: nothing of this request is on the coordinator.
                st.req_cnt = st.req_cnt.saturating_sub(1);
            }
        }
    }
    // Whatever was not registered goes back to the pending list.
    let back = std::mem::take(&mut st.waitresp);
    st.pending.extend(back);
    if worst == Action::Ok {
        drop(st);
        for b in client.brokers() {
            b.wake();
        }
        client.kick_main();
        return;
    }
    let what = format!(
        "Failed to add partition(s) to transaction on broker {}: {} (after {} ms)",
        st.coord.broker.as_ref().map_or("(none)".to_string(), |b| b.name.clone()),
        err.description(),
        sent.elapsed().as_millis()
    );
    match worst {
        Action::Fatal => {
            drop(st);
            set_fatal(
                client,
                err,
                format!("Failed to add partitions to transaction: {}", normalize(err).description()),
            );
        }
        Action::Abortable { bump } => {
            drop(st);
            client.log(3, "ADDPARTS", &what);
            set_abortable(client, err, what, bump);
        }
        Action::Recoord | Action::Retry => {
            if worst == Action::Recoord {
                st.coord.broker = None;
            }
            st.reg_at = Some(Instant::now() + Duration::from_millis(backoff));
            drop(st);
            client.dbg(crate::client::dbg::EOS, "ADDPARTS", || what);
            client.kick_main();
        }
        Action::Ok => {}
    }
}

fn rank(a: Action) -> u8 {
    match a {
        Action::Ok => 0,
        Action::Retry => 1,
        Action::Recoord => 2,
        Action::Abortable { .. } => 3,
        Action::Fatal => 4,
    }
}

fn end_txn_req(client: &Arc<Client>, tid: &str, pid: i64, epoch: i16, commit: bool) -> Request {
    let tid = tid.to_string();
    let c = client.clone();
    client.dbg(crate::client::dbg::EOS, "ENDTXN", || {
        format!("Sending EndTxn({})", if commit { "commit" } else { "abort" })
    });
    Request::schema(
        ApiKey::EndTxn,
        0,
        3,
        move |_| {
            let mut r = EndTxnRequest::default();
            r.transactional_id = TransactionalId(StrBytes::from_string(tid));
            r.producer_id = ProducerId(pid);
            r.producer_epoch = epoch;
            r.committed = commit;
            r
        },
        move |res| {
            let err = match crate::protocol::decode_response::<EndTxnResponse>(res) {
                Ok(r) => ErrorCode(r.error_code as i32),
                Err(e) => e.code,
            };
            on_end_txn(&c, commit, err)
        },
    )
}

fn on_end_txn(client: &Arc<Client>, commit: bool, err: ErrorCode) {
    let t = txn(client);
    let mut st = t.lock();
    let Some(job) = st.endtxn.as_mut() else { return };
    if job.commit != commit {
        return;
    }
    job.inflight = false;
    let what = if commit { "commit" } else { "abort" };
    match classify(err) {
        Action::Ok => {
            client.dbg(crate::client::dbg::EOS, "ENDTXN", || format!("EndTxn {what} done"));
            endtxn_complete(client, t, &mut st, commit);
        }
        a @ (Action::Recoord | Action::Retry) => {
            if a == Action::Recoord {
                st.coord.broker = None;
            }
            let backoff = if err == ErrorCode::CONCURRENT_TRANSACTIONS {
                20
            } else {
                client.settings.retry_backoff_ms.max(50) as u64
            };
            if let Some(job) = st.endtxn.as_mut() {
                job.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
            }
            drop(st);
            client.dbg(crate::client::dbg::EOS, "ENDTXN", || {
                format!("EndTxn {what} failed: {}: retrying", err.description())
            });
            client.kick_main();
        }
        Action::Fatal => {
            drop(st);
            set_fatal(client, err, format!("Failed to end transaction: {}", normalize(err).description()));
        }
        Action::Abortable { bump } => {
            if bump && !commit {
                // The coordinator lost our producer id: bumping the epoch aborts the
                // transaction on its side (KIP-360).
                st.requires_bump = true;
                endtxn_complete(client, t, &mut st, false);
                return;
            }
            st.endtxn = None;
            if st.state == AbortingTransaction {
                // abort_transaction() again starts over.
                t.set_state(client, &mut st, BeginAbort);
            }
            let e = KafkaError::new(err, format!("EndTxn {what} failed: {}", err.description()))
                .with_txn_requires_abort();
            t.set_result(&mut st, Err(e));
            drop(st);
            set_abortable(client, err, format!("Failed to end transaction: {}", err.description()), bump);
        }
    }
}

fn add_offsets_req(client: &Arc<Client>, tid: &str, pid: i64, epoch: i16, group: &str) -> Request {
    let (tid, group) = (tid.to_string(), group.to_string());
    let c = client.clone();
    Request::schema(
        ApiKey::AddOffsetsToTxn,
        0,
        3,
        move |_| {
            let mut r = AddOffsetsToTxnRequest::default();
            r.transactional_id = TransactionalId(StrBytes::from_string(tid));
            r.producer_id = ProducerId(pid);
            r.producer_epoch = epoch;
            r.group_id = GroupId(StrBytes::from_string(group));
            r
        },
        move |res| {
            let err = match crate::protocol::decode_response::<AddOffsetsToTxnResponse>(res) {
                Ok(r) => ErrorCode(r.error_code as i32),
                Err(e) => e.code,
            };
            on_offsets_step(&c, OffStage::AddOffsets, err, String::new())
        },
    )
}

fn txn_offset_commit_req(client: &Arc<Client>, tid: &str, pid: i64, epoch: i16, job: &OffsetsJob) -> Request {
    let tid = tid.to_string();
    let meta = job.meta.clone();
    let mut topics: Vec<TxnOffsetCommitRequestTopic> = Vec::new();
    for o in &job.offsets {
        let mut p = TxnOffsetCommitRequestPartition::default();
        p.partition_index = o.partition;
        p.committed_offset = o.offset;
        p.committed_leader_epoch = o.leader_epoch;
        p.committed_metadata = o.metadata.clone().map(StrBytes::from_string);
        match topics.iter_mut().find(|t| t.name.0.as_str() == o.topic) {
            Some(t) => t.partitions.push(p),
            None => {
                let mut t = TxnOffsetCommitRequestTopic::default();
                t.name = TopicName(StrBytes::from_string(o.topic.clone()));
                t.partitions.push(p);
                topics.push(t);
            }
        }
    }
    let c = client.clone();
    Request::schema(
        ApiKey::TxnOffsetCommit,
        0,
        3,
        move |_| {
            let mut r = TxnOffsetCommitRequest::default();
            r.transactional_id = TransactionalId(StrBytes::from_string(tid));
            r.group_id = GroupId(StrBytes::from_string(meta.group_id));
            r.producer_id = ProducerId(pid);
            r.producer_epoch = epoch;
            r.generation_id = meta.generation_id;
            r.member_id = StrBytes::from_string(meta.member_id);
            r.group_instance_id = meta.group_instance_id.map(StrBytes::from_string);
            r.topics = topics;
            r
        },
        move |res| {
            let (err, detail) = match crate::protocol::decode_response::<TxnOffsetCommitResponse>(res) {
                Ok(r) => {
                    let failed: Vec<(String, i32, ErrorCode)> = r
                        .topics
                        .iter()
                        .flat_map(|t| {
                            t.partitions.iter().filter(|p| p.error_code != 0).map(move |p| {
                                (t.name.0.to_string(), p.partition_index, ErrorCode(p.error_code as i32))
                            })
                        })
                        .collect();
                    let detail = failed
                        .iter()
                        .map(|(t, p, e)| format!("{t}[{p}]: {}", e.description()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (failed.first().map_or(ErrorCode::NO_ERROR, |f| f.2), detail)
                }
                Err(e) => (e.code, String::new()),
            };
            on_offsets_step(&c, OffStage::Commit, err, detail)
        },
    )
}

fn on_offsets_step(client: &Arc<Client>, stage: OffStage, err: ErrorCode, detail: String) {
    let t = txn(client);
    let mut st = t.lock();
    match st.offsets.as_mut().filter(|j| j.stage == stage && j.inflight) {
        Some(job) => job.inflight = false,
        None => return,
    }
    let a = match (stage, err) {
        // Group-side errors of TxnOffsetCommit fail the transaction, not the producer.
        (OffStage::Commit, ErrorCode::INVALID_PRODUCER_EPOCH | ErrorCode::INVALID_PRODUCER_ID_MAPPING) => {
            Action::Fatal
        }
        (OffStage::Commit, ErrorCode::UNKNOWN_PRODUCER_ID) => Action::Abortable { bump: false },
        _ => classify(err),
    };
    let (name, coord) = match stage {
        OffStage::AddOffsets => {
            ("Failed to add offsets to transaction", st.coord.broker.as_ref().map(|b| b.name.clone()))
        }
        OffStage::Commit => {
            ("Failed to commit offsets to transaction", st.gcoord.broker.as_ref().map(|b| b.name.clone()))
        }
    };
    let what = format!(
        "{name} on broker {}: {}",
        coord.unwrap_or_else(|| "(none)".into()),
        if detail.is_empty() { err.description().to_string() } else { detail }
    );
    // A definite AddOffsetsToTxn error put nothing on the coordinator (a lost answer may have).
    if stage == OffStage::AddOffsets
        && a != Action::Ok
        && !matches!(err, ErrorCode::_TRANSPORT | ErrorCode::_TIMED_OUT | ErrorCode::_TIMED_OUT_QUEUE)
    {
        st.req_cnt = st.req_cnt.saturating_sub(1);
    }
    match a {
        Action::Ok => {
            if let Some(job) = st.offsets.as_mut().filter(|_| stage == OffStage::AddOffsets) {
                job.stage = OffStage::Commit;
                drop(st);
                client.kick_main();
            } else {
                st.offsets = None;
                t.set_result(&mut st, Ok(()));
            }
        }
        Action::Recoord | Action::Retry => {
            if a == Action::Recoord {
                if stage == OffStage::AddOffsets {
                    st.coord.broker = None;
                } else {
                    st.gcoord.broker = None;
                }
            }
            if let Some(job) = st.offsets.as_mut() {
                job.retry_at = Some(
                    Instant::now() + Duration::from_millis(if stage == OffStage::Commit { 500 } else { 50 }),
                );
            }
            drop(st);
            client.dbg(crate::client::dbg::EOS, "ADDOFFSETS", || format!("{what}: retrying"));
            client.kick_main();
        }
        Action::Fatal => {
            st.offsets = None;
            drop(st);
            set_fatal(client, err, what);
        }
        Action::Abortable { bump } => {
            st.offsets = None;
            let e = KafkaError::new(normalize(err), what.clone()).with_txn_requires_abort();
            t.set_result(&mut st, Err(e));
            drop(st);
            client.log(3, "ADDOFFSETS", &what);
            set_abortable(client, err, what, bump);
        }
    }
}
