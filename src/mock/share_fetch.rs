//! ShareFetch and ShareAcknowledge (KIP-932): share sessions by epoch, the
//! acknowledgements they carry, records acquired for the member and answered as
//! whole stored batches with the acquired ranges, and the long poll. The record
//! states are in share_parts.rs.

use super::cgroup_assign::Tp;
use super::leaders::{current_leader, node_endpoints};
use super::reply::{body, respond, Ctx, Outcome};
use super::share_parts::{Pending, SessionKey, Take};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use bytes::BytesMut;
use kafka_protocol::messages::share_acknowledge_response as ackr;
use kafka_protocol::messages::share_fetch_response::{
    AcquiredRecords, LeaderIdAndEpoch, NodeEndpoint, PartitionData, ShareFetchableTopicResponse,
};
use kafka_protocol::messages::{
    ShareAcknowledgeRequest, ShareAcknowledgeResponse, ShareFetchRequest, ShareFetchResponse,
};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// One acknowledgement batch: first and last offset, the types.
type AckBatch<'a> = (i64, i64, &'a [i8]);

/// Applies a partition's acknowledgement batches; the first error is its answer.
fn apply_acks(st: &mut State, key: &SessionKey, tp: Tp, batches: &[AckBatch]) -> i16 {
    let max = st.shares.conf.max_attempts;
    let Some(p) = st.shares.parts.by.get_mut(&(key.0.clone(), tp)) else {
        return code(ErrorCode::INVALID_RECORD_STATE);
    };
    let mut err = 0;
    for &(first, last, types) in batches {
        if let Err(e) = p.ack(&key.1, first, last, types, max) {
            err = if err == 0 { code(e) } else { err };
        }
    }
    err
}

/// The session key of a request: (group, member, this broker).
fn session_key(group: Option<&str>, member: Option<&str>, ctx: &Ctx) -> Result<SessionKey, ErrorCode> {
    match (group, member) {
        (Some(g), Some(m)) if !g.is_empty() && !m.is_empty() => Ok((g.into(), m.into(), ctx.broker)),
        _ => Err(ErrorCode::INVALID_REQUEST),
    }
}

/// First serving of a ShareFetch: the session epoch, partitions added and
/// forgotten, the acknowledgements applied.
fn begin(st: &mut State, m: &ShareFetchRequest, ctx: &Ctx) -> Result<Pending, ErrorCode> {
    if ctx.injected.is_error() {
        return Err(ctx.injected);
    }
    let key = session_key(m.group_id.as_ref().map(|g| &*g.0), m.member_id.as_deref(), ctx)?;
    let acks: Vec<(Tp, Vec<AckBatch>)> = m
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| ((*t.topic_id.as_bytes(), p.partition_index), p)))
        .filter(|(_, p)| !p.acknowledgement_batches.is_empty())
        .map(|(tp, p)| {
            let b = p
                .acknowledgement_batches
                .iter()
                .map(|b| (b.first_offset, b.last_offset, &b.acknowledge_types[..]));
            (tp, b.collect())
        })
        .collect();
    let forgotten: BTreeSet<Tp> = m
        .forgotten_topics_data
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| (*t.topic_id.as_bytes(), *p)))
        .collect();
    let (conf, parts) = (&st.shares.conf, &mut st.shares.parts);
    match m.share_session_epoch {
        0 if !acks.is_empty() => return Err(ErrorCode::INVALID_REQUEST),
        0 => parts.open(key.clone(), ctx.conn, conf.max_sessions, conf.max_attempts)?,
        -1 if !forgotten.is_empty() => return Err(ErrorCode::INVALID_REQUEST),
        e => parts.check(&key, e)?,
    }
    let added = m
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| (*t.topic_id.as_bytes(), p.partition_index)));
    if let Some(s) = parts.sessions.get_mut(&key) {
        s.parts.extend(added);
        s.parts.retain(|tp| !forgotten.contains(tp));
    }
    let mut results = Vec::new();
    for (tp, batches) in &acks {
        results.push((*tp, apply_acks(st, &key, *tp, batches)));
    }
    let parts = &mut st.shares.parts;
    parts.release(&key.0, &key.1, &forgotten, st.shares.conf.max_attempts);
    if m.share_session_epoch == -1 {
        parts.close(&key, st.shares.conf.max_attempts);
    } else {
        parts.step(&key);
    }
    st.changed();
    Ok(Pending { key, full: m.share_session_epoch == 0, acks: results })
}

pub fn share_fetch(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ShareFetchRequest = body(req)?;
    let lock_ms = st.shares.conf.lock().as_millis().min(i32::MAX as u128) as i32;
    let mut r = ShareFetchResponse::default().with_acquisition_lock_timeout_ms(lock_ms);
    let pending = if ctx.first {
        begin(st, &m, ctx)
    } else {
        st.shares.parts.pending.remove(&(ctx.conn, req.corr_id)).ok_or(ErrorCode::SHARE_SESSION_NOT_FOUND)
    };
    let p = match pending {
        Ok(p) => p,
        Err(e) => {
            r.error_code = code(e);
            r.error_message = Some(sb(&e.name()));
            return Ok(respond(req, &r));
        }
    };
    let last = m.share_session_epoch == -1;
    let session: Vec<Tp> =
        st.shares.parts.sessions.get(&p.key).map(|s| s.parts.iter().copied().collect()).unwrap_or_default();
    let mut out: BTreeMap<Tp, PartitionData> = BTreeMap::new();
    let (mut bytes, mut errors, mut leaders) = (0usize, false, Vec::new());
    let mut budget = if m.max_bytes > 0 { m.max_bytes as usize } else { usize::MAX };
    let mut records = if m.max_records > 0 { m.max_records as usize } else { usize::MAX };
    for tp in if last { Vec::new() } else { session } {
        let mut pd = PartitionData::default().with_partition_index(tp.1);
        pd.current_leader = LeaderIdAndEpoch::default().with_leader_id(-1).with_leader_epoch(-1);
        match acquire(st, &p.key, tp, ctx, budget, records) {
            Err(e) => {
                pd.error_code = code(e);
                pd.error_message = Some(sb(&e.name()));
                errors = true;
                let name = st.topic_name(&tp.0);
                let part = name.and_then(|n| st.partition_mut(&n, tp.1).ok());
                if let Some((id, epoch)) = current_leader(part, pd.error_code, false) {
                    pd.current_leader =
                        LeaderIdAndEpoch::default().with_leader_id(id).with_leader_epoch(epoch);
                    leaders.push(id);
                }
            }
            Ok((recs, got)) if !got.is_empty() => {
                bytes += recs.len();
                budget = budget.saturating_sub(recs.len());
                records = records.saturating_sub(got.len());
                pd.records = Some(recs.freeze());
                pd.acquired_records = ranges(&got);
            }
            Ok(_) if !p.full => continue,
            Ok(_) => {}
        }
        out.insert(tp, pd);
    }
    let wait = Duration::from_millis(m.max_wait_ms.max(0) as u64);
    if bytes < m.min_bytes.max(1) as usize && !errors && !last && !ctx.expired && !wait.is_zero() {
        st.shares.parts.pending.insert((ctx.conn, req.corr_id), p);
        return Err(Outcome::Park(if ctx.first { ctx.now + wait } else { ctx.now }));
    }
    for (tp, e) in &p.acks {
        let pd = out.entry(*tp).or_insert_with(|| {
            let l = LeaderIdAndEpoch::default().with_leader_id(-1).with_leader_epoch(-1);
            PartitionData::default().with_partition_index(tp.1).with_current_leader(l)
        });
        pd.acknowledge_error_code = *e;
        if *e != 0 {
            pd.acknowledge_error_message = Some(sb(&ErrorCode(*e as i32).name()));
        }
    }
    let mut topics: BTreeMap<[u8; 16], Vec<PartitionData>> = BTreeMap::new();
    for (tp, pd) in out {
        topics.entry(tp.0).or_default().push(pd);
    }
    r.responses = topics
        .into_iter()
        .map(|(t, ps)| {
            ShareFetchableTopicResponse::default()
                .with_topic_id(uuid::Uuid::from_bytes(t))
                .with_partitions(ps)
        })
        .collect();
    r.node_endpoints = node_endpoints!(st, leaders, NodeEndpoint);
    Ok(respond(req, &r))
}

/// Acquires on one partition of the session: the stored batches holding the
/// acquired records, and those records with their delivery counts.
fn acquire(
    st: &mut State,
    key: &SessionKey,
    tp: Tp,
    ctx: &Ctx,
    budget: usize,
    records: usize,
) -> Result<(BytesMut, Vec<(i64, i16)>), ErrorCode> {
    let name = st.topic_name(&tp.0).ok_or(ErrorCode::UNKNOWN_TOPIC_ID)?;
    let api = ctx.first.then_some(78);
    let (conf, parts) = (&st.shares.conf, &mut st.shares.parts);
    let t = st.topics.get_mut(&name).ok_or(ErrorCode::UNKNOWN_TOPIC_ID)?;
    let p = usize::try_from(tp.1)
        .ok()
        .and_then(|i| t.parts.get_mut(i))
        .ok_or(ErrorCode::UNKNOWN_TOPIC_OR_PART)?;
    if p.leader != ctx.broker {
        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
    }
    if let Some(e) = api.and_then(|k| p.next_error(k)) {
        return Err(e);
    }
    if budget == 0 || records == 0 {
        return Ok((BytesMut::new(), Vec::new()));
    }
    let take = Take {
        member: &key.1,
        until: ctx.now + conf.lock(),
        max_records: records,
        max_bytes: budget,
        max_locks: conf.max_locks.max(0) as usize,
        committed: conf.committed,
    };
    let got = parts.part(&key.0, tp, &p.log, conf.earliest).acquire(&p.log, &take);
    let mut buf = BytesMut::new();
    let mut i = 0;
    for b in p.log.batches_from(got.first().map_or(i64::MAX, |g| g.0)) {
        while i < got.len() && got[i].0 < b.base {
            i += 1;
        }
        if i == got.len() {
            break;
        }
        if got[i].0 <= b.last {
            buf.extend_from_slice(&b.bytes);
        }
    }
    Ok((buf, got))
}

/// Acquired offsets (ascending) as ranges of one delivery count.
fn ranges(got: &[(i64, i16)]) -> Vec<AcquiredRecords> {
    let mut out: Vec<AcquiredRecords> = Vec::new();
    for &(o, n) in got {
        match out.last_mut() {
            Some(r) if r.last_offset + 1 == o && r.delivery_count == n => r.last_offset = o,
            _ => out.push(
                AcquiredRecords::default().with_first_offset(o).with_last_offset(o).with_delivery_count(n),
            ),
        }
    }
    out
}

pub fn share_acknowledge(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ShareAcknowledgeRequest = body(req)?;
    let mut r = ShareAcknowledgeResponse::default();
    let key = match acknowledge_key(st, &m, ctx) {
        Ok(k) => k,
        Err(e) => {
            r.error_code = code(e);
            r.error_message = Some(sb(&e.name()));
            return Ok(respond(req, &r));
        }
    };
    for t in &m.topics {
        let mut tr = ackr::ShareAcknowledgeTopicResponse::default().with_topic_id(t.topic_id);
        for p in &t.partitions {
            let tp = (*t.topic_id.as_bytes(), p.partition_index);
            // An error pushed for the partition answers for it: its acknowledgements
            // are not applied (as librdkafka's mock).
            let led = st
                .topic_name(&tp.0)
                .and_then(|n| st.partition_mut(&n, tp.1).ok())
                .map(|x| (x.leader, if x.leader == ctx.broker { x.next_error(79) } else { None }));
            let e = match led {
                None => code(ErrorCode::UNKNOWN_TOPIC_OR_PART),
                Some((l, _)) if l != ctx.broker => code(ErrorCode::NOT_LEADER_OR_FOLLOWER),
                Some((_, Some(e))) => code(e),
                Some(_) => {
                    let b: Vec<AckBatch> = p
                        .acknowledgement_batches
                        .iter()
                        .map(|b| (b.first_offset, b.last_offset, &b.acknowledge_types[..]))
                        .collect();
                    apply_acks(st, &key, tp, &b)
                }
            };
            let l = ackr::LeaderIdAndEpoch::default().with_leader_id(-1).with_leader_epoch(-1);
            let mut pd = ackr::PartitionData::default().with_partition_index(tp.1).with_error_code(e);
            pd.current_leader = l;
            if e != 0 {
                pd.error_message = Some(sb(&ErrorCode(e as i32).name()));
            }
            tr.partitions.push(pd);
        }
        r.responses.push(tr);
    }
    let max = st.shares.conf.max_attempts;
    if m.share_session_epoch == -1 {
        st.shares.parts.close(&key, max);
    } else {
        st.shares.parts.step(&key);
    }
    st.changed();
    Ok(respond(req, &r))
}

/// ShareAcknowledge's session: an existing one only (epoch 0 opens nothing).
fn acknowledge_key(st: &State, m: &ShareAcknowledgeRequest, ctx: &Ctx) -> Result<SessionKey, ErrorCode> {
    if ctx.injected.is_error() {
        return Err(ctx.injected);
    }
    let key = session_key(m.group_id.as_ref().map(|g| &*g.0), m.member_id.as_deref(), ctx)?;
    if m.share_session_epoch == 0 {
        return Err(ErrorCode::INVALID_SHARE_SESSION_EPOCH);
    }
    st.shares.parts.check(&key, m.share_session_epoch)?;
    Ok(key)
}
