//! A Produce request's answer: each partition's batch is delivered (offsets, timestamps,
//! latency), retried with backoff (an idempotent batch exactly as first sent), or
//! failed with the broker's reason; idempotent sequence errors escalate (see `eos`).

use super::deliver::{deliver, fail_msgs};
use super::eos::{self, fail_partition_msgs, sequence_gap};
use super::idempotence::is_fatal;
use super::Producer;
use crate::broker::{BrokerHandle, Reply};
use crate::clock::now_us;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::instance::dbg;
use crate::message::{
    Message, STATUS_NOT_PERSISTED, STATUS_PERSISTED, STATUS_POSSIBLY_PERSISTED, TSTYPE_LOG_APPEND_TIME,
};
use crate::metadata::Partition;
use bytes::Bytes;
use kafka_protocol::messages::ProduceResponse;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The messages of one Produce request, per partition.
pub struct ProduceCtx {
    pub prod: Arc<Producer>,
    pub parts: Vec<(Arc<Partition>, Vec<Box<Message>>)>,
    pub sent_us: i64,
    /// Idempotent producer: the producer id and epoch the batches were sent with.
    pub pid: Option<(i64, i16)>,
}

impl Reply for ProduceCtx {
    fn done(self: Box<Self>, broker: &Arc<BrokerHandle>, res: Result<(i16, Bytes), KafkaError>) {
        handle_response(broker, *self, res);
    }

    /// Purged or destroyed in flight: possibly persisted, failed without a retry.
    fn abandon(self: Box<Self>, err: ErrorCode) {
        let ctx = *self;
        answered(&ctx.parts, ctx.pid);
        for (p, mut msgs) in ctx.parts {
            for m in msgs.iter_mut() {
                m.status = STATUS_POSSIBLY_PERSISTED;
            }
            fail_partition_msgs(&ctx.prod, &p, msgs, err);
        }
    }
}

pub(super) fn count_tx(p: &Partition, msgs: &[Box<Message>]) {
    p.stats.txmsgs.fetch_add(msgs.len() as u64, Ordering::Relaxed);
    p.stats.txbytes.fetch_add(msgs.iter().map(|m| m.size() as u64).sum(), Ordering::Relaxed);
}

/// Whether sequence `a` comes after `b` (sequences wrap at i32::MAX).
pub(super) fn seq_after(a: i32, b: i32) -> bool {
    a.wrapping_sub(b) > 0
}

/// Handles a Produce response (or the failure of its request).
fn handle_response(broker: &Arc<BrokerHandle>, ctx: ProduceCtx, res: Result<(i16, Bytes), KafkaError>) {
    let prod = &ctx.prod;
    answered(&ctx.parts, ctx.pid);
    let (ver, mut body) = match res {
        Ok(r) => r,
        Err(e) => {
            // The request may have reached the broker: possibly persisted.
            for (p, msgs) in ctx.parts {
                retry_or_fail(prod, &p, msgs, e.code, STATUS_POSSIBLY_PERSISTED, Some(e.msg.clone()));
            }
            return;
        }
    };
    let resp = match crate::protocol::decode::<ProduceResponse>(&mut body, ver) {
        Ok(r) => r,
        Err(e) => {
            for (p, msgs) in ctx.parts {
                retry_or_fail(
                    prod,
                    &p,
                    msgs,
                    ErrorCode::_BAD_MSG,
                    STATUS_POSSIBLY_PERSISTED,
                    Some(e.0.clone()),
                );
            }
            return;
        }
    };
    if resp.throttle_time_ms > 0 {
        if let Ok(mut t) = broker.stats.throttle.lock() {
            t.add(resp.throttle_time_ms as i64);
        }
        prod.rk.main_q.push(Event::Throttle {
            broker_name: broker.name.clone(),
            broker_id: broker.id,
            throttle_ms: resp.throttle_time_ms,
        });
    }
    let now = now_us();
    for (p, mut msgs) in ctx.parts {
        let pr = resp
            .responses
            .iter()
            .filter(|t| t.name.0.as_str() == &*p.topic_name)
            .flat_map(|t| t.partition_responses.iter())
            .find(|r| r.index == p.id);
        let Some(pr) = pr else {
            retry_or_fail(
                prod,
                &p,
                msgs,
                ErrorCode::_BAD_MSG,
                STATUS_POSSIBLY_PERSISTED,
                Some("Partition missing from ProduceResponse".into()),
            );
            continue;
        };
        let err = ErrorCode(pr.error_code as i32);
        if matches!(
            err,
            ErrorCode::NOT_LEADER_FOR_PARTITION
                | ErrorCode::LEADER_NOT_AVAILABLE
                | ErrorCode::UNKNOWN_TOPIC_OR_PART
                | ErrorCode::FENCED_LEADER_EPOCH
                | ErrorCode::UNKNOWN_LEADER_EPOCH
                | ErrorCode::NOT_ENOUGH_REPLICAS
                | ErrorCode::KAFKA_STORAGE_ERROR
        ) {
            // The leader may have moved: for the idempotent producer too.
            prod.rk.request_refresh();
        }
        // The broker already has this batch (a retry of one whose answer was lost).
        let duplicate = ctx.pid.is_some() && err == ErrorCode::DUPLICATE_SEQUENCE_NUMBER;
        if err != ErrorCode::NO_ERROR && !duplicate {
            let msg = pr.error_message.as_ref().map(|s| s.to_string());
            p.stats.txerrs.fetch_add(1, Ordering::Relaxed);
            match ctx.pid {
                Some(sent_with) => idempotent_error(prod, &p, msgs, err, sent_with, msg),
                None => retry_or_fail(prod, &p, msgs, err, STATUS_NOT_PERSISTED, msg),
            }
            continue;
        }
        if let (Some(sent_with), Some(last)) = (ctx.pid, msgs.last()) {
            let mut q = p.lock();
            if q.seq_owner == Some(sent_with) {
                q.acked_seq = last.seq.wrapping_add(1);
            }
        }
        for (i, m) in msgs.iter_mut().enumerate() {
            m.c.offset = if duplicate { -1 } else { pr.base_offset + i as i64 };
            m.status = STATUS_PERSISTED;
            m.broker_id = broker.id;
            m.latency_us = now - m.enq_us;
            if pr.log_append_time_ms != -1 && !duplicate {
                m.timestamp = pr.log_append_time_ms;
                m.tstype = TSTYPE_LOG_APPEND_TIME;
            }
        }
        if let Ok(mut l) = broker.stats.int_latency.lock() {
            if let Some(m) = msgs.first() {
                l.add(ctx.sent_us - m.enq_us);
            }
        }
        count_tx(&p, &msgs);
        deliver(prod, msgs);
    }
}

/// Every batch of this request has its answer (or failure): idempotent in-flight count.
fn answered(parts: &[(Arc<Partition>, Vec<Box<Message>>)], pid: Option<(i64, i16)>) {
    if pid.is_some() {
        for (p, _) in parts {
            let mut q = p.lock();
            q.inflight = q.inflight.saturating_sub(1);
        }
    }
}

/// An idempotent producer's failed batch, handled as librdkafka does: fatal errors are
/// fatal; a sequence error on the oldest unacknowledged batch means client and broker
/// disagree (OUT_OF_ORDER: fatal; UNKNOWN_PRODUCER_ID: the broker lost our state, so
/// drain and bump the epoch); on a later batch it only follows an earlier failure, so
/// the batch is retried. Other errors retry with the same sequences, and a batch that
/// fails for good leaves a gap that an epoch bump closes (or, gapless, is fatal).
fn idempotent_error(
    prod: &Arc<Producer>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    sent_with: (i64, i16),
    errstr: Option<String>,
) {
    let head_of_line = {
        let q = p.lock();
        q.seq_owner == Some(sent_with) && msgs.first().is_some_and(|m| m.seq == q.acked_seq)
    };
    let what = || {
        format!(
            "ProduceRequest for {} [{}] with {} message(s) failed: {}",
            p.topic_name,
            p.id,
            msgs.len(),
            err.description()
        )
    };
    if prod.txn.is_some() && is_fatal(err) {
        // A newer instance with our transactional.id took over (or we may not write).
        let fenced = matches!(err, ErrorCode::INVALID_PRODUCER_EPOCH | ErrorCode::PRODUCER_FENCED);
        let reason = if fenced {
            format!("{}: transactional producer fenced by newer producer instance", what())
        } else {
            what()
        };
        fail_msgs(prod, msgs, err, errstr);
        eos::set_fatal(prod, if fenced { ErrorCode::_FENCED } else { err }, reason);
        return;
    }
    // A transactional producer recovers from sequence errors by aborting the transaction
    // and bumping its epoch (KIP-360), where the idempotent producer's are fatal.
    let seq_broken = head_of_line
        && (err == ErrorCode::UNKNOWN_PRODUCER_ID
            || (err == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER && prod.txn.is_some()));
    if is_fatal(err) || (err == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER && head_of_line && !seq_broken) {
        let reason = what();
        fail_msgs(prod, msgs, err, errstr);
        eos::fatal(prod, err, reason);
        return;
    }
    if seq_broken {
        eos::drain_bump(prod, err, &what());
    }
    let seq_err = matches!(err, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER | ErrorCode::UNKNOWN_PRODUCER_ID);
    retry_or_fail_as(prod, p, msgs, err, STATUS_NOT_PERSISTED, errstr, seq_err);
}

/// Puts messages back at the head of their queue for another try, or fails them when
/// the error is permanent, retries are used up or the message timed out.
fn retry_or_fail(
    prod: &Arc<Producer>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    status: i32,
    errstr: Option<String>,
) {
    retry_or_fail_as(prod, p, msgs, err, status, errstr, false)
}

fn retry_or_fail_as(
    prod: &Arc<Producer>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    status: i32,
    errstr: Option<String>,
    force_retry: bool,
) {
    let mut retriable = force_retry
        || err.is_retriable()
        || matches!(err, ErrorCode::_TRANSPORT | ErrorCode::_TIMED_OUT | ErrorCode::_BAD_MSG);
    let now = now_us();
    let max_retries = prod.rk.settings.retries;
    let mut again = Vec::new();
    let mut fail = Vec::new();
    let mut q = p.lock();
    // Read under the queue lock: an abort stops the transaction before it purges the
    // queues, so what is put back here is either purged by it or never put back.
    if prod.txn.as_ref().is_some_and(|t| !t.sending()) {
        // The transaction is failing or being aborted (an idempotent WaitTxnAbort comes
        // with AbortableError): nothing of it is sent again.
        retriable = false;
    }
    for mut m in msgs {
        if m.status != STATUS_POSSIBLY_PERSISTED {
            m.status = status;
        }
        let tmo = p.settings.message_timeout_us;
        let expired = tmo > 0 && m.enq_us + tmo <= now;
        if retriable && !expired && m.retries < max_retries && !prod.rk.is_terminating() {
            m.retries += 1;
            again.push(m);
        } else {
            let e = if expired && retriable { ErrorCode::_MSG_TIMED_OUT } else { err };
            m.set_error(e, errstr.clone());
            fail.push(m);
        }
    }
    let retrying = (!again.is_empty()).then(|| {
        let (n, tries) = (again.len(), again[0].retries.clamp(1, 20) as u32);
        let s = &prod.rk.settings;
        let backoff = (s.retry_backoff_ms.saturating_mul(1i64 << (tries - 1).min(16)))
            .min(s.retry_backoff_max_ms.max(s.retry_backoff_ms));
        if prod.idem.is_some() {
            // In sequence order: batches of one partition fail and come back in any order
            // (max.in.flight up to 5), and must be sent again as they were first sent.
            let mut at = 0usize;
            for m in again {
                while q.msgs.get(at).is_some_and(|x| x.seq >= 0 && !seq_after(x.seq, m.seq)) {
                    at += 1;
                }
                q.bytes += m.size();
                q.msgs.insert(at, m);
                at += 1;
            }
        } else {
            for m in again.into_iter().rev() {
                q.bytes += m.size();
                q.msgs.push_front(m);
            }
        }
        q.backoff_until = Some(Instant::now() + Duration::from_millis(backoff as u64));
        (n, backoff, q.leader.clone())
    });
    drop(q);
    if let Some((n, backoff, leader)) = retrying {
        prod.rk.dbg(dbg::MSG, "RETRY", || {
            format!("{} [{}]: retrying {} message(s) in {}ms after {}", p.topic_name, p.id, n, backoff, err)
        });
        if let Some(l) = leader {
            let _ = l.wake();
        }
    }
    if !fail.is_empty() {
        sequence_gap(prod, p, &fail);
        deliver(prod, fail);
    }
}
