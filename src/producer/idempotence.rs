//! The idempotent producer's client-wide state (enable.idempotence): the producer id and
//! epoch from InitProducerId, and the phase of librdkafka's "drain, then bump the
//! epoch" recovery for when a partition's sequence numbers can no longer be trusted
//! (KIP-360). Per-partition sequence numbers live in the partition's producer queue;
//! `pid` gets the id, `eos` escalates errors.

use crate::error::ErrorCode;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// No producer id yet: one is requested.
    NeedPid,
    /// Produce requests may be sent with `pid`/`epoch`.
    Assigned,
    /// Sequences are out of step: nothing new is sent until in-flight requests are
    /// answered, then the epoch is bumped and every partition starts again at 0.
    DrainBump,
    /// Transactional producer: sequences are out of step, and the application must
    /// abort the transaction; abort_transaction() then bumps the epoch.
    WaitTxnAbort,
    /// A fatal error was raised: nothing is sent again.
    Fatal,
}

pub(super) struct St {
    pub(super) phase: Phase,
    pub(super) pid: i64,
    pub(super) epoch: i16,
    /// An InitProducerId request is out.
    pub(super) requesting: bool,
    pub(super) retry_at: Option<Instant>,
    /// Bumps done (stats' epoch_cnt).
    pub(super) epoch_cnt: i64,
}

pub struct Idempotence {
    st: Mutex<St>,
}

impl Default for Idempotence {
    fn default() -> Self {
        Idempotence {
            st: Mutex::new(St {
                phase: Phase::NeedPid,
                pid: -1,
                epoch: -1,
                requesting: false,
                retry_at: None,
                epoch_cnt: 0,
            }),
        }
    }
}

/// Errors after which no Produce may be sent again (librdkafka raises them as fatal).
pub fn is_fatal(e: ErrorCode) -> bool {
    matches!(
        e,
        ErrorCode::INVALID_PRODUCER_EPOCH
            | ErrorCode::PRODUCER_FENCED
            | ErrorCode::INVALID_PRODUCER_ID_MAPPING
            | ErrorCode::CLUSTER_AUTHORIZATION_FAILED
            | ErrorCode::TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            | ErrorCode::UNSUPPORTED_FOR_MESSAGE_FORMAT
    )
}

impl Idempotence {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, St> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The producer id and epoch to send with, when sending is allowed.
    pub fn current(&self) -> Option<(i64, i16)> {
        let st = self.lock();
        (st.phase == Phase::Assigned).then_some((st.pid, st.epoch))
    }

    /// (producer_id, producer_epoch, epoch_cnt, state name) for statistics.
    pub fn stats(&self) -> (i64, i16, i64, &'static str) {
        let st = self.lock();
        let name = match st.phase {
            Phase::NeedPid if st.requesting => "WaitPID",
            Phase::NeedPid => "RequestPID",
            Phase::Assigned => "Assigned",
            Phase::DrainBump => "DrainBump",
            Phase::WaitTxnAbort => "WaitTxnAbort",
            Phase::Fatal => "FatalError",
        };
        (st.pid, st.epoch, st.epoch_cnt, name)
    }

    /// The producer id and epoch, even while nothing may be sent (EndTxn in an abort).
    pub fn pid_any(&self) -> Option<(i64, i16)> {
        let st = self.lock();
        (st.pid >= 0 && st.phase != Phase::Fatal).then_some((st.pid, st.epoch))
    }

    /// abort_transaction(): the epoch bump it waited for may start.
    pub fn start_bump(&self) {
        let mut st = self.lock();
        if matches!(st.phase, Phase::Assigned | Phase::WaitTxnAbort) {
            st.phase = Phase::DrainBump;
        }
    }

    pub(super) fn set_fatal(&self) {
        self.lock().phase = Phase::Fatal;
    }

    /// Sequences are out of step: stop sending until in-flight requests are answered,
    /// then bump the epoch (a transactional producer first waits for the application to
    /// abort). False when not sending normally (already draining, no id, fatal).
    pub(super) fn begin_drain(&self, transactional: bool) -> bool {
        let mut st = self.lock();
        if st.phase != Phase::Assigned {
            return false;
        }
        st.phase = if transactional { Phase::WaitTxnAbort } else { Phase::DrainBump };
        true
    }
}
