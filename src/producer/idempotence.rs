//! The idempotent producer's client-wide state (enable.idempotence): the producer id and
//! epoch from InitProducerId, and the "drain, then bump the epoch" recovery librdkafka
//! uses when the sequence numbers of a partition can no longer be trusted (KIP-360).
//!
//! Per-partition sequence numbers live in the partition's producer queue; this module
//! decides when Produce requests may be sent at all.

use crate::client::Client;
use crate::error::{ErrorCode, KafkaError};
use bytes::Bytes;
use kafka_protocol::messages::{
    ApiKey, InitProducerIdRequest, InitProducerIdResponse, ProducerId, TransactionalId,
};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
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

struct St {
    phase: Phase,
    pid: i64,
    epoch: i16,
    /// An InitProducerId request is out.
    requesting: bool,
    retry_at: Option<Instant>,
    /// Bumps done (stats' epoch_cnt).
    epoch_cnt: i64,
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
    fn lock(&self) -> std::sync::MutexGuard<'_, St> {
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

    /// Stops sending until in-flight requests are answered, then bumps the epoch. A
    /// transactional producer first needs the application to abort the transaction.
    pub fn drain_bump(&self, client: &Arc<Client>, err: ErrorCode, reason: &str) {
        let mut st = self.lock();
        if st.phase != Phase::Assigned {
            return;
        }
        if client.txn.is_some() {
            st.phase = Phase::WaitTxnAbort;
            drop(st);
            client.dbg(crate::client::dbg::EOS, "DRAIN", || {
                format!("Need transaction abort before beginning partition drain for epoch bump: {reason}")
            });
            super::txn::set_abortable(client, err, reason.to_string(), true);
            return;
        }
        st.phase = Phase::DrainBump;
        drop(st);
        client.log(
            4,
            "DRAIN",
            &format!("Idempotent producer: draining in-flight requests before bumping the epoch: {reason}"),
        );
        client.kick_main();
    }

    /// abort_transaction(): the epoch bump it waited for may start.
    pub fn start_bump(&self) {
        let mut st = self.lock();
        if matches!(st.phase, Phase::Assigned | Phase::WaitTxnAbort) {
            st.phase = Phase::DrainBump;
        }
    }

    fn set_fatal(&self) {
        self.lock().phase = Phase::Fatal;
    }
}

/// Raises a fatal error, as librdkafka does for the idempotent producer: the error is
/// kept for rd_kafka_fatal_error(), reported as _FATAL, and queued (not in-flight)
/// messages are purged.
pub fn fatal(client: &Arc<Client>, err: ErrorCode, reason: String) {
    if let Some(idem) = &client.idem {
        idem.set_fatal();
    }
    {
        let mut f = client.fatal.lock().unwrap_or_else(|e| e.into_inner());
        if f.is_some() {
            return;
        }
        *f = Some((err, reason.clone()));
    }
    client.has_fatal.store(true, Ordering::Release);
    super::txn::on_fatal(client, err, &reason);
    let msg = format!("Fatal error: {}: {}", err.description(), reason);
    if client.hooks.error_cb {
        client.log(0, "FATAL", &msg);
        client.main_q.push(crate::event::Event::Error { code: ErrorCode::_FATAL, msg, fatal: true });
    } else {
        client.log(3, "ERROR", &msg);
    }
    super::purge_queues(client);
}

/// Whether any partition still has Produce requests in flight.
fn inflight(client: &Client) -> bool {
    client.known_topics().iter().any(|t| t.state().partitions.iter().any(|p| p.lock().inflight > 0))
}

/// Called by the main thread: requests a producer id (or an epoch bump) when needed.
pub fn tick(client: &Arc<Client>) -> Option<Instant> {
    let idem = client.idem.as_ref()?;
    let bump_from;
    {
        let mut st = idem.lock();
        let wanted = match st.phase {
            // A transactional producer waits for init_transactions().
            Phase::NeedPid => client.txn.as_ref().is_none_or(|t| t.state() == super::txn::TxnState::WaitPid),
            Phase::DrainBump => !inflight(client),
            _ => false,
        };
        if !wanted || st.requesting {
            return None;
        }
        if let Some(t) = st.retry_at.filter(|t| *t > Instant::now()) {
            return Some(t);
        }
        st.requesting = true;
        bump_from = (st.phase == Phase::DrainBump && client.txn.is_some()).then_some((st.pid, st.epoch));
    }
    // A transactional producer asks its transaction coordinator; otherwise any broker.
    let b = match &client.txn {
        Some(_) => super::txn::coordinator(client),
        None => client.brokers().into_iter().find(|b| b.is_up()),
    };
    let Some(b) = b else {
        // Wait for a connection: the next tick tries again.
        idem.lock().requesting = false;
        if client.txn.is_none() {
            client.request_refresh();
        }
        return Some(Instant::now() + Duration::from_millis(50));
    };
    let timeout_ms = client.conf.int("transaction.timeout.ms").clamp(1000, i32::MAX as i64) as i32;
    let tid = client.txn.as_ref().map(|t| t.id.clone());
    let c = client.clone();
    // KIP-360: a transactional producer bumps the epoch of its producer id (v3+).
    let min_ver = if bump_from.is_some() { 3 } else { 0 };
    let req = crate::broker::Request::schema(
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

fn on_response(client: &Arc<Client>, res: Result<InitProducerIdResponse, KafkaError>) {
    let Some(idem) = &client.idem else { return };
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
            client.dbg(crate::client::dbg::EOS, "PIDASSIGN", || {
                format!("ProducerId set to {{ProducerId:{pid},Epoch:{epoch}}}")
            });
            super::txn::idem_assigned(client);
            for b in client.brokers() {
                b.wake();
            }
        }
        _ if is_fatal(err) || (client.txn.is_some() && err == ErrorCode::INVALID_TXN_STATE) => {
            drop(st);
            let reason = format!("Failed to acquire transactional PID from broker: {}", err.description());
            if client.txn.is_some() {
                super::txn::set_fatal(client, err, reason);
            } else {
                fatal(client, err, format!("Failed to acquire producer ID: {}", err.description()));
            }
        }
        _ => {
            // Retriable (coordinator loading, connection lost, timeout, ...): again soon.
            let backoff = client.settings.retry_backoff_ms.max(100) as u64;
            st.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
            drop(st);
            super::txn::idem_init_failed(client, err);
            client.kick_main();
            client.dbg(crate::client::dbg::EOS, "PIDFAIL", || {
                format!("Failed to acquire producer ID: {}: retrying in {backoff}ms", err.description())
            });
        }
    }
}
