//! Producer ids and the transaction coordinator: InitProducerId (KIP-360 epoch
//! bumps), AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn, and the
//! transaction timeout. Markers are written at once, so a transaction is never seen
//! half-completed (no PrepareCommit/PrepareAbort, no CONCURRENT_TRANSACTIONS).

use super::groups::Committed;
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::txn_state::{Phase, Producer, Txn, Txns, EPOCH_EXHAUSTED};
use super::wire::{code, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::add_partitions_to_txn_response::{
    AddPartitionsToTxnPartitionResult, AddPartitionsToTxnTopicResult,
};
use kafka_protocol::messages::txn_offset_commit_response::{
    TxnOffsetCommitResponsePartition, TxnOffsetCommitResponseTopic,
};
use kafka_protocol::messages::{
    AddOffsetsToTxnRequest, AddOffsetsToTxnResponse, AddPartitionsToTxnRequest, AddPartitionsToTxnResponse,
    ApiKey, EndTxnRequest, EndTxnResponse, InitProducerIdRequest, InitProducerIdResponse, ProducerId,
    TxnOffsetCommitRequest, TxnOffsetCommitResponse,
};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// transaction.max.timeout.ms, Kafka's default.
const MAX_TIMEOUT_MS: i32 = 900_000;
/// offset.metadata.max.bytes, Kafka's default.
const MAX_METADATA: usize = 4096;
pub fn serve(st: &mut State, key: ApiKey, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    match key {
        ApiKey::InitProducerId => init_producer_id(st, req, ctx),
        ApiKey::AddPartitionsToTxn => add_partitions(st, req, ctx),
        ApiKey::AddOffsetsToTxn => add_offsets(st, req, ctx),
        ApiKey::TxnOffsetCommit => txn_offset_commit(st, req, ctx),
        ApiKey::EndTxn => end_txn(st, req, ctx),
        _ => Err(Outcome::Close),
    }
}

/// Aborts the transactions open longer than their timeout, fencing their producer
/// with a new epoch as Kafka's coordinator does (its next request is refused).
pub fn tick(st: &mut State, now: Instant) {
    let expired: Vec<String> = st
        .txns
        .by_id
        .iter()
        .filter(|(_, t)| t.phase == Phase::Ongoing && now >= t.started + timeout(t.timeout_ms))
        .map(|(id, _)| id.clone())
        .collect();
    if expired.is_empty() {
        return;
    }
    let now_ms = crate::clock::wallclock_ms();
    for id in expired {
        let Some(t) = st.txns.by_id.get_mut(&id) else { continue };
        let p = &mut t.producer;
        if p.epoch < EPOCH_EXHAUSTED {
            p.epoch += 1;
        }
        // No retry of an older epoch's bump either: the fenced producer is out.
        p.last = -1;
        let epoch = p.epoch;
        finish(st, &id, false, epoch, now_ms);
    }
}

fn timeout(ms: i32) -> Duration {
    Duration::from_millis(ms.max(0) as u64)
}

/// KIP-588: clients before these versions know PRODUCER_FENCED as INVALID_PRODUCER_EPOCH.
fn fenced_as(e: ErrorCode, version: i16, since: i16) -> ErrorCode {
    if e == ErrorCode::PRODUCER_FENCED && version < since {
        ErrorCode::INVALID_PRODUCER_EPOCH
    } else {
        e
    }
}

fn init_producer_id(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: InitProducerIdRequest = body(req)?;
    let res = if ctx.injected.is_error() {
        Err(ctx.injected)
    } else {
        match &m.transactional_id {
            None => init_idempotent(&mut st.txns, m.producer_id.0, m.producer_epoch),
            Some(id) => init_transactional(st, ctx, &id.0, &m),
        }
    };
    let mut r = InitProducerIdResponse::default();
    match res {
        Ok(p) => {
            r.producer_id = ProducerId(p.id);
            r.producer_epoch = p.epoch;
        }
        Err(e) => {
            r.error_code = code(fenced_as(e, req.version, 4));
            r.producer_epoch = -1;
        }
    }
    Ok(respond(req, &r))
}

/// KIP-360 for a producer the client names: a bump from the current epoch (or
/// none named), the same answer for a retry of the last bump, else fenced. An
/// exhausted epoch moves to a new producer id.
fn bump(p: Producer, expected: i16, txns: &mut Txns) -> Result<Producer, ErrorCode> {
    if expected >= 0 && expected != p.epoch {
        return if expected == p.last { Ok(p) } else { Err(ErrorCode::PRODUCER_FENCED) };
    }
    if p.epoch >= EPOCH_EXHAUSTED {
        return Ok(txns.new_producer());
    }
    Ok(Producer { id: p.id, epoch: p.epoch + 1, last: p.epoch })
}

/// An idempotent producer: a new id, or a bump of the one it names (Kafka itself
/// always hands out a new id here; a bump is what librdkafka's mock does, and both
/// are fine for the client). An id we never issued starts afresh.
fn init_idempotent(txns: &mut Txns, pid: i64, epoch: i16) -> Result<Producer, ErrorCode> {
    let p = match txns.idempotent.get(&pid).copied() {
        Some(known) => bump(known, epoch, txns)?,
        None => txns.new_producer(),
    };
    txns.idempotent.remove(&pid);
    txns.idempotent.insert(p.id, p);
    Ok(p)
}

fn init_transactional(
    st: &mut State,
    ctx: &Ctx,
    id: &str,
    m: &InitProducerIdRequest,
) -> Result<Producer, ErrorCode> {
    if id.is_empty() {
        return Err(ErrorCode::INVALID_REQUEST);
    }
    if st.coordinator(1, id) != ctx.broker {
        return Err(ErrorCode::NOT_COORDINATOR);
    }
    if m.transaction_timeout_ms <= 0 || m.transaction_timeout_ms > MAX_TIMEOUT_MS {
        return Err(ErrorCode::INVALID_TRANSACTION_TIMEOUT);
    }
    let Some(t) = st.txns.by_id.get(id) else {
        let p = st.txns.new_producer();
        st.txns.by_id.insert(id.to_string(), Txn::new(p, m.transaction_timeout_ms, ctx.now));
        return Ok(p);
    };
    let (old, phase) = (t.producer, t.phase);
    let (pid, epoch) = (m.producer_id.0, m.producer_epoch);
    if pid >= 0 && pid != old.id {
        return Err(ErrorCode::PRODUCER_FENCED);
    }
    let new = bump(old, epoch, &mut st.txns)?;
    if new == old {
        return Ok(old); // a retried bump
    }
    // The previous producer's transaction, if any, ends aborted under the new epoch,
    // as Kafka's coordinator does: the markers fence the old producer on every partition.
    if phase == Phase::Ongoing {
        let epoch = if new.id == old.id { new.epoch } else { old.epoch };
        finish(st, id, false, epoch, ctx.now_ms);
    }
    let t = st.txns.by_id.get_mut(id).ok_or(ErrorCode::INVALID_PRODUCER_ID_MAPPING)?;
    t.producer = new;
    t.timeout_ms = m.transaction_timeout_ms;
    t.phase = Phase::Empty;
    Ok(new)
}

/// The coordinator's checks of a request naming a transactional id, producer id and
/// epoch. Returns the transaction.
fn check<'a>(st: &'a mut State, ctx: &Ctx, id: &str, pid: i64, epoch: i16) -> Result<&'a mut Txn, ErrorCode> {
    if ctx.injected.is_error() {
        return Err(ctx.injected);
    }
    if st.coordinator(1, id) != ctx.broker {
        return Err(ErrorCode::NOT_COORDINATOR);
    }
    let t = st.txns.by_id.get_mut(id).ok_or(ErrorCode::INVALID_PRODUCER_ID_MAPPING)?;
    if t.producer.id != pid {
        return Err(ErrorCode::INVALID_PRODUCER_ID_MAPPING);
    }
    if t.producer.epoch != epoch {
        return Err(ErrorCode::PRODUCER_FENCED);
    }
    Ok(t)
}

fn partition_exists(st: &State, topic: &str, p: i32) -> bool {
    st.topics.get(topic).is_some_and(|t| p >= 0 && (p as usize) < t.parts.len())
}

fn add_partitions(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: AddPartitionsToTxnRequest = body(req)?;
    let wanted: Vec<(String, i32)> = m
        .v3_and_below_topics
        .iter()
        .flat_map(|t| t.partitions.iter().map(|&p| (t.name.0.to_string(), p)))
        .collect();
    // As Kafka: unknown partitions fail alone, the others are not attempted.
    let unknown: BTreeSet<&(String, i32)> =
        wanted.iter().filter(|(t, p)| !partition_exists(st, t, *p)).collect();
    let all = if ctx.injected.is_error() {
        Some(ctx.injected)
    } else if !unknown.is_empty() {
        None
    } else {
        let id = m.v3_and_below_transactional_id.0.to_string();
        let (pid, epoch) = (m.v3_and_below_producer_id.0, m.v3_and_below_producer_epoch);
        match check(st, ctx, &id, pid, epoch) {
            Ok(t) => {
                t.open(ctx.now);
                t.partitions.extend(wanted.iter().cloned());
                Some(ErrorCode::NO_ERROR)
            }
            Err(e) => Some(fenced_as(e, req.version, 2)),
        }
    };
    let mut r = AddPartitionsToTxnResponse::default();
    for t in m.v3_and_below_topics {
        let mut tr = AddPartitionsToTxnTopicResult::default();
        for p in t.partitions {
            let e = all.unwrap_or(if unknown.contains(&(t.name.0.to_string(), p)) {
                ErrorCode::UNKNOWN_TOPIC_OR_PART
            } else {
                ErrorCode::OPERATION_NOT_ATTEMPTED
            });
            let mut pr = AddPartitionsToTxnPartitionResult::default();
            pr.partition_index = p;
            pr.partition_error_code = code(e);
            tr.results_by_partition.push(pr);
        }
        tr.name = t.name;
        r.results_by_topic_v3_and_below.push(tr);
    }
    Ok(respond(req, &r))
}

fn add_offsets(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: AddOffsetsToTxnRequest = body(req)?;
    let id = m.transactional_id.0.to_string();
    let e = match check(st, ctx, &id, m.producer_id.0, m.producer_epoch) {
        Ok(t) => {
            // The group's coordinator may be another broker: TxnOffsetCommit goes there.
            t.open(ctx.now);
            t.groups.insert(m.group_id.0.to_string());
            ErrorCode::NO_ERROR
        }
        Err(e) => fenced_as(e, req.version, 2),
    };
    let mut r = AddOffsetsToTxnResponse::default();
    r.error_code = code(e);
    Ok(respond(req, &r))
}

/// The open transaction of a producer id, as the group coordinator finds it.
fn txn_of_producer(st: &mut State, pid: i64, epoch: i16) -> Result<&mut Txn, ErrorCode> {
    let t = st
        .txns
        .by_id
        .values_mut()
        .find(|t| t.producer.id == pid)
        .ok_or(ErrorCode::INVALID_PRODUCER_ID_MAPPING)?;
    if t.producer.epoch != epoch {
        return Err(ErrorCode::PRODUCER_FENCED);
    }
    if t.phase != Phase::Ongoing {
        return Err(ErrorCode::INVALID_TXN_STATE);
    }
    Ok(t)
}

fn txn_offset_commit(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: TxnOffsetCommitRequest = body(req)?;
    let group = m.group_id.0.to_string();
    let all = if ctx.injected.is_error() {
        Err(ctx.injected)
    } else if st.coordinator(0, &group) != ctx.broker {
        Err(ErrorCode::NOT_COORDINATOR)
    } else {
        txn_of_producer(st, m.producer_id.0, m.producer_epoch).map(|_| ())
    };
    let all = all.map_err(|e| fenced_as(e, req.version, 3));
    let mut r = TxnOffsetCommitResponse::default();
    for t in m.topics {
        let name = t.name.0.to_string();
        let mut tr = TxnOffsetCommitResponseTopic::default();
        for p in t.partitions {
            let e = match all {
                Err(e) => e,
                Ok(()) => stage_offset(st, &group, &name, m.producer_id.0, &p),
            };
            let mut pr = TxnOffsetCommitResponsePartition::default();
            pr.partition_index = p.partition_index;
            pr.error_code = code(e);
            tr.partitions.push(pr);
        }
        tr.name = t.name;
        r.topics.push(tr);
    }
    Ok(respond(req, &r))
}

/// Keeps one offset in the producer's transaction until it ends.
fn stage_offset(
    st: &mut State,
    group: &str,
    topic: &str,
    pid: i64,
    p: &kafka_protocol::messages::txn_offset_commit_request::TxnOffsetCommitRequestPartition,
) -> ErrorCode {
    if !partition_exists(st, topic, p.partition_index) {
        return ErrorCode::UNKNOWN_TOPIC_OR_PART;
    }
    let metadata = p.committed_metadata.as_ref().map(|s| s.to_string());
    if metadata.as_ref().is_some_and(|s| s.len() > MAX_METADATA) {
        return ErrorCode::OFFSET_METADATA_TOO_LARGE;
    }
    let Some(t) = st.txns.by_id.values_mut().find(|t| t.producer.id == pid) else {
        return ErrorCode::INVALID_PRODUCER_ID_MAPPING;
    };
    t.groups.insert(group.to_string());
    let c = Committed { offset: p.committed_offset, leader_epoch: p.committed_leader_epoch, metadata };
    t.offsets.insert((group.to_string(), topic.to_string(), p.partition_index), c);
    ErrorCode::NO_ERROR
}

fn end_txn(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: EndTxnRequest = body(req)?;
    let id = m.transactional_id.0.to_string();
    let e = match check(st, ctx, &id, m.producer_id.0, m.producer_epoch) {
        Ok(t) => match (t.phase, m.committed) {
            (Phase::Ongoing, commit) => {
                let epoch = t.producer.epoch;
                finish(st, &id, commit, epoch, ctx.now_ms);
                ErrorCode::NO_ERROR
            }
            // A retry of the transaction just ended, with the same outcome.
            (Phase::CompleteCommit, true) | (Phase::CompleteAbort, false) => ErrorCode::NO_ERROR,
            _ => ErrorCode::INVALID_TXN_STATE,
        },
        Err(e) => fenced_as(e, req.version, 2),
    };
    let mut r = EndTxnResponse::default();
    r.error_code = code(e);
    Ok(respond(req, &r))
}

/// Ends a transaction: a marker in each partition it wrote to, its offsets stored
/// or dropped.
fn finish(st: &mut State, id: &str, commit: bool, epoch: i16, now_ms: i64) {
    let Some(t) = st.txns.by_id.get_mut(id) else { return };
    let pid = t.producer.id;
    let partitions = std::mem::take(&mut t.partitions);
    let offsets = std::mem::take(&mut t.offsets);
    t.groups.clear();
    t.phase = if commit { Phase::CompleteCommit } else { Phase::CompleteAbort };
    for (topic, p) in partitions {
        // A partition deleted meanwhile has nothing left to mark.
        if let Ok(p) = st.partition_mut(&topic, p) {
            p.log.end_txn(pid, epoch, commit, now_ms);
        }
    }
    if commit {
        for ((group, topic, p), c) in offsets {
            st.groups.commit(&group, &topic, p, c);
        }
    }
    // Parked read_committed fetches may have data now.
    st.changed();
}

#[cfg(test)]
#[path = "txn_tests.rs"]
mod tests;
