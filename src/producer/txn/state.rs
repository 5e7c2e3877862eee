//! The transaction manager's state (librdkafka's 13 transaction states, the current
//! error, the partitions and offsets being registered, the coordinator connections)
//! and the waits API calls do on it. The protocol work is in `work`, the API calls in
//! `api`.

use crate::broker::BrokerHandle;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::{dbg, Instance};
use crate::metadata::Partition;
use crate::outq::OutQ;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

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
pub(crate) struct Coord {
    pub(crate) broker: Option<Arc<BrokerHandle>>,
    pub(crate) querying: bool,
    pub(crate) retry_at: Option<Instant>,
}

pub(crate) struct EndTxnJob {
    pub(crate) commit: bool,
    pub(crate) inflight: bool,
    pub(crate) retry_at: Option<Instant>,
}

#[derive(PartialEq, Eq, Clone, Copy)]
pub(crate) enum OffStage {
    AddOffsets,
    Commit,
}

pub(crate) struct OffsetsJob {
    pub(crate) meta: GroupMeta,
    pub(crate) offsets: Vec<TxnOffset>,
    pub(crate) stage: OffStage,
    pub(crate) inflight: bool,
    pub(crate) retry_at: Option<Instant>,
    pub(crate) deadline: Instant,
}

pub(crate) struct St {
    pub(crate) state: TxnState,
    /// The current transaction's error (abortable or fatal) and its text.
    pub(crate) err: ErrorCode,
    pub(crate) errstr: String,
    /// abort_transaction() must bump the epoch (KIP-360): sequences are out of step.
    pub(crate) requires_bump: bool,
    /// Why the producer id could not be acquired yet (for init_transactions' timeout).
    pub(crate) init_err: ErrorCode,
    pub(crate) coord: Coord,
    /// The group coordinator for TxnOffsetCommit, and the group it is for.
    pub(crate) gcoord: Coord,
    pub(crate) gcoord_group: String,
    pub(crate) pending: Vec<Arc<Partition>>,
    pub(crate) waitresp: Vec<Arc<Partition>>,
    pub(crate) added: Vec<Arc<Partition>>,
    pub(crate) reg_at: Option<Instant>,
    /// An AddPartitionsToTxn is unanswered: abort waits for its answer, which decides
    /// whether the coordinator holds anything to abort.
    pub(crate) add_inflight: bool,
    /// Requests that put state on the coordinator in this transaction: without any,
    /// commit and abort need no EndTxn.
    pub(crate) req_cnt: u32,
    pub(crate) endtxn: Option<EndTxnJob>,
    pub(crate) offsets: Option<OffsetsJob>,
    /// The API call in progress (resumable calls keep it across a timeout), whether a
    /// thread is inside it, and a result the background set for it.
    pub(crate) api_name: Option<&'static str>,
    pub(crate) api_calling: bool,
    pub(crate) api_result: Option<Result<(), KafkaError>>,
}

pub struct Txn {
    pub id: String,
    st: Mutex<St>,
    cv: Condvar,
    /// The producer queue: it admits messages only in a transaction (InTransaction).
    outq: Arc<OutQ>,
    /// Messages of this transaction that failed delivery.
    pub dr_fails: AtomicU64,
    /// The state is InTransaction or BeginCommit (its messages may still be sent), readable
    /// where taking the state lock would invert the lock order (under a partition lock).
    sending: AtomicBool,
}

/// librdkafka reports both fencing errors as _FENCED, and a queue timeout as a timeout.
pub(crate) fn normalize(err: ErrorCode) -> ErrorCode {
    match err {
        ErrorCode::INVALID_PRODUCER_EPOCH | ErrorCode::PRODUCER_FENCED => ErrorCode::_FENCED,
        ErrorCode::_TIMED_OUT_QUEUE => ErrorCode::_TIMED_OUT,
        e => e,
    }
}

/// What to do about an error from the transaction coordinator.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub(crate) enum Action {
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

pub(crate) fn classify(err: ErrorCode) -> Action {
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
    pub fn new(id: String, outq: Arc<OutQ>) -> Txn {
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
                add_inflight: false,
                req_cnt: 0,
                endtxn: None,
                offsets: None,
                api_name: None,
                api_calling: false,
                api_result: None,
            }),
            cv: Condvar::new(),
            outq,
            dr_fails: AtomicU64::new(0),
            sending: AtomicBool::new(false),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, St> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn state(&self) -> TxnState {
        self.lock().state
    }

    /// Whether this transaction's messages may still be sent (or sent again).
    pub fn sending(&self) -> bool {
        self.sending.load(Ordering::Acquire)
    }

    /// Whether the broker threads may send this partition's messages, and (when not yet)
    /// registers it with the transaction.
    pub fn partition_ready(&self, rk: &Instance, p: &Arc<Partition>) -> bool {
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
                    rk.dbg(dbg::EOS, "ADDPARTS", || {
                        format!(
                            "Marked {} [{}] as part of transaction: scheduling registration",
                            p.topic_name, p.id
                        )
                    });
                    rk.kick_main();
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
        (self.state().name(), self.outq.txn_open.load(Ordering::Relaxed))
    }

    pub(crate) fn set_state(&self, rk: &Instance, st: &mut St, new: TxnState) {
        if st.state == new || st.state == FatalError {
            return;
        }
        rk.dbg(dbg::EOS, "TXNSTATE", || {
            format!("Transaction state change {} -> {}", st.state.name(), new.name())
        });
        self.outq.txn_open.store(new == InTransaction, Ordering::Release);
        self.sending.store(matches!(new, InTransaction | BeginCommit), Ordering::Release);
        st.state = new;
        self.cv.notify_all();
    }

    /// The error a call gets when the state is not one of `ok` (librdkafka's
    /// require_state: the fatal or abortable error itself, else _STATE).
    pub(crate) fn require(st: &St, ok: &[TxnState]) -> Result<(), KafkaError> {
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
    pub(crate) fn wait<'a>(
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

    /// Wakes the API call waiting in `wait`.
    pub(crate) fn notify(&self) {
        self.cv.notify_all();
    }

    pub(crate) fn set_result(&self, st: &mut St, r: Result<(), KafkaError>) {
        if st.api_name.is_some() && st.api_result.is_none() {
            st.api_result = Some(r);
        }
        self.cv.notify_all();
    }

    /// The idempotent layer has a producer id (first one, or a bumped epoch).
    pub fn idem_assigned(&self, rk: &Instance) {
        let mut st = self.lock();
        match st.state {
            WaitPid => self.set_state(rk, &mut st, ReadyNotAcked),
            BeginAbort | AbortingTransaction if st.endtxn.is_none() => {
                self.set_state(rk, &mut st, AbortNotAcked)
            }
            _ => {}
        }
        st.init_err = ErrorCode::NO_ERROR;
    }

    /// InitProducerId failed with a retriable error: kept for init_transactions' answer.
    pub fn idem_init_failed(&self, err: ErrorCode) {
        let mut st = self.lock();
        st.init_err = err;
        if matches!(
            err,
            ErrorCode::NOT_COORDINATOR | ErrorCode::COORDINATOR_NOT_AVAILABLE | ErrorCode::_TRANSPORT
        ) {
            st.coord.broker = None;
        }
    }
}

pub(crate) fn rank(a: Action) -> u8 {
    match a {
        Action::Ok => 0,
        Action::Retry => 1,
        Action::Recoord => 2,
        Action::Abortable { .. } => 3,
        Action::Fatal => 4,
    }
}
