//! The transaction's protocol work, started by the main thread's `tick` and finished
//! by response callbacks on broker threads: the transaction coordinator's lookup,
//! AddPartitionsToTxn before a partition's first Produce, EndTxn, and
//! send_offsets_to_transaction's AddOffsetsToTxn + TxnOffsetCommit.

use super::state::TxnState::*;
use super::state::{classify, normalize, rank, Action, Coord, OffStage, OffsetsJob, St, Txn, PART_IN};
use crate::broker::{find_coordinator, BrokerHandle, Request, COORD_GROUP, COORD_TRANSACTION};
use crate::error::{ErrorCode, KafkaError};
use crate::instance::dbg;
use crate::metadata::Partition;
use crate::producer::{eos, Producer};
use kafka_protocol::messages::add_partitions_to_txn_request::AddPartitionsToTxnTopic;
use kafka_protocol::messages::txn_offset_commit_request::{
    TxnOffsetCommitRequestPartition, TxnOffsetCommitRequestTopic,
};
use kafka_protocol::messages::{
    AddOffsetsToTxnRequest, AddOffsetsToTxnResponse, AddPartitionsToTxnRequest, AddPartitionsToTxnResponse,
    ApiKey, EndTxnRequest, EndTxnResponse, GroupId, ProducerId, TopicName, TransactionalId,
    TxnOffsetCommitRequest, TxnOffsetCommitResponse,
};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The transaction coordinator, when connected; otherwise a lookup is started.
pub fn coordinator(prod: &Arc<Producer>) -> Option<Arc<BrokerHandle>> {
    let t = prod.transactions();
    let mut st = t.lock();
    if let Some(b) = &st.coord.broker {
        return Some(b.clone());
    }
    if !st.coord.querying && st.coord.retry_at.is_none_or(|r| r <= Instant::now()) {
        st.coord.querying = true;
        drop(st);
        let c = prod.clone();
        find_coordinator(&prod.brokers, t.id.clone(), COORD_TRANSACTION, "TxnCoordinator", move |r| {
            let t = c.transactions();
            let mut st = t.lock();
            st.coord.querying = false;
            match r {
                Ok(b) => {
                    st.coord.broker = Some(b);
                    st.coord.retry_at = None;
                }
                Err(e) => {
                    // Not an InitProducerId failure: init_transactions() still says _TIMED_OUT.
                    c.rk.dbg(dbg::EOS, "TXNCOORD", || {
                        format!("Transaction coordinator lookup failed: {}", e.msg)
                    });
                    st.coord.retry_at = Some(
                        Instant::now()
                            + Duration::from_millis(c.rk.settings.retry_backoff_ms.max(100) as u64),
                    );
                }
            }
            drop(st);
            c.rk.kick_main();
        });
    }
    None
}

/// Main thread: starts whatever protocol work the transaction needs. Returns when it
/// wants to run again.
pub fn tick(prod: &Arc<Producer>) -> Option<Instant> {
    let t = prod.txn.as_ref()?;
    let now = Instant::now();
    let mut next: Option<Instant> = None;
    let mut later = |at: Instant| next = Some(next.map_or(at, |n: Instant| n.min(at)));
    let state = t.state();
    let wants_coord = !matches!(state, Init | Ready | FatalError);
    if !wants_coord {
        return None;
    }
    let Some(coord) = coordinator(prod) else {
        later(now + Duration::from_millis(50));
        return next;
    };
    let pid = prod.idem.as_ref().and_then(|i| i.current());
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
                    st.add_inflight = true;
                    reqs.push((coord.clone(), add_partitions_req(prod, &t.id, pid, epoch, &st.waitresp)));
                }
            }
        }
        // EndTxn.
        if let (Some(job), Some((pid, epoch))) =
            (st.endtxn.as_mut(), pid.or_else(|| prod.idem.as_ref().and_then(|i| i.pid_any())))
        {
            if !job.inflight {
                if job.retry_at.is_some_and(|r| r > now) {
                    later(job.retry_at.unwrap_or(now));
                } else {
                    job.inflight = true;
                    job.retry_at = None;
                    reqs.push((coord.clone(), end_txn_req(prod, &t.id, pid, epoch, job.commit)));
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
                    reqs.push((coord.clone(), add_offsets_req(prod, &t.id, pid, epoch, &job.meta.group_id)));
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
                            reqs.push((g, txn_offset_commit_req(prod, &t.id, pid, epoch, job)));
                        }
                        None if !st.gcoord.querying => {
                            st.gcoord.querying = true;
                            drop(st);
                            let c = prod.clone();
                            find_coordinator(
                                &prod.brokers,
                                group.clone(),
                                COORD_GROUP,
                                "GroupCoordinator",
                                move |r| {
                                    let t = c.transactions();
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
                                    c.rk.kick_main();
                                },
                            );
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
    prod: &Arc<Producer>,
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
    prod.rk
        .dbg(dbg::EOS, "ADDPARTS", || format!("Registering {} partition(s) with transaction", parts.len()));
    let tid = tid.to_string();
    let c = prod.clone();
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
    prod: &Arc<Producer>,
    res: Result<AddPartitionsToTxnResponse, KafkaError>,
    sent: Instant,
) {
    let t = prod.transactions();
    let mut st = t.lock();
    st.add_inflight = false;
    t.notify();
    if st.state == BeginAbort {
        // abort_transaction() waits for this answer: a refusal of every partition
        // leaves nothing on the coordinator, so no EndTxn (Kafka would refuse it
        // with INVALID_TXN_STATE after a committed transaction).
        if let Ok(r) = &res {
            let parts = r.results_by_topic_v3_and_below.iter().flat_map(|t| t.results_by_partition.iter());
            if parts.clone().count() > 0 && parts.clone().all(|p| p.partition_error_code != 0) {
                st.req_cnt = st.req_cnt.saturating_sub(1);
            }
        }
        return;
    }
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
                        prod.rk.dbg(dbg::EOS, "ADDPARTS", || {
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
        prod.brokers.wake_all();
        prod.rk.kick_main();
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
            eos::set_fatal(
                prod,
                err,
                format!("Failed to add partitions to transaction: {}", normalize(err).description()),
            );
        }
        Action::Abortable { bump } => {
            drop(st);
            prod.rk.log(3, "ADDPARTS", &what);
            eos::set_abortable(prod, err, what, bump);
        }
        Action::Recoord | Action::Retry => {
            if worst == Action::Recoord {
                st.coord.broker = None;
            }
            st.reg_at = Some(Instant::now() + Duration::from_millis(backoff));
            drop(st);
            prod.rk.dbg(dbg::EOS, "ADDPARTS", || what);
            prod.rk.kick_main();
        }
        Action::Ok => {}
    }
}

fn end_txn_req(prod: &Arc<Producer>, tid: &str, pid: i64, epoch: i16, commit: bool) -> Request {
    let tid = tid.to_string();
    let c = prod.clone();
    prod.rk
        .dbg(dbg::EOS, "ENDTXN", || format!("Sending EndTxn({})", if commit { "commit" } else { "abort" }));
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

fn on_end_txn(prod: &Arc<Producer>, commit: bool, err: ErrorCode) {
    let t = prod.transactions();
    let mut st = t.lock();
    let Some(job) = st.endtxn.as_mut() else { return };
    if job.commit != commit {
        return;
    }
    job.inflight = false;
    let what = if commit { "commit" } else { "abort" };
    match classify(err) {
        Action::Ok => {
            prod.rk.dbg(dbg::EOS, "ENDTXN", || format!("EndTxn {what} done"));
            endtxn_complete(prod, t, &mut st, commit);
        }
        a @ (Action::Recoord | Action::Retry) => {
            if a == Action::Recoord {
                st.coord.broker = None;
            }
            let backoff = if err == ErrorCode::CONCURRENT_TRANSACTIONS {
                20
            } else {
                prod.rk.settings.retry_backoff_ms.max(50) as u64
            };
            if let Some(job) = st.endtxn.as_mut() {
                job.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
            }
            drop(st);
            prod.rk
                .dbg(dbg::EOS, "ENDTXN", || format!("EndTxn {what} failed: {}: retrying", err.description()));
            prod.rk.kick_main();
        }
        Action::Fatal => {
            drop(st);
            eos::set_fatal(prod, err, format!("Failed to end transaction: {}", normalize(err).description()));
        }
        Action::Abortable { bump } => {
            if bump && !commit {
                // The coordinator lost our producer id: bumping the epoch aborts the
                // transaction on its side (KIP-360).
                st.requires_bump = true;
                endtxn_complete(prod, t, &mut st, false);
                return;
            }
            st.endtxn = None;
            if st.state == AbortingTransaction {
                // abort_transaction() again starts over.
                t.set_state(&prod.rk, &mut st, BeginAbort);
            }
            let e = KafkaError::new(err, format!("EndTxn {what} failed: {}", err.description()))
                .with_txn_requires_abort();
            t.set_result(&mut st, Err(e));
            drop(st);
            eos::set_abortable(prod, err, format!("Failed to end transaction: {}", err.description()), bump);
        }
    }
}

/// EndTxn is done (or was not needed). An abort that must bump the epoch waits for the
/// new epoch first (`idem_assigned` finishes it).
pub(super) fn endtxn_complete(prod: &Producer, t: &Txn, st: &mut St, commit: bool) {
    st.endtxn = None;
    if !commit && st.requires_bump {
        if let Some(idem) = &prod.idem {
            idem.start_bump();
        }
        prod.rk.kick_main();
        return;
    }
    t.set_state(&prod.rk, st, if commit { CommitNotAcked } else { AbortNotAcked });
}

fn add_offsets_req(prod: &Arc<Producer>, tid: &str, pid: i64, epoch: i16, group: &str) -> Request {
    let (tid, group) = (tid.to_string(), group.to_string());
    let c = prod.clone();
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

fn txn_offset_commit_req(prod: &Arc<Producer>, tid: &str, pid: i64, epoch: i16, job: &OffsetsJob) -> Request {
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
    let c = prod.clone();
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

fn on_offsets_step(prod: &Arc<Producer>, stage: OffStage, err: ErrorCode, detail: String) {
    let t = prod.transactions();
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
                prod.rk.kick_main();
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
            prod.rk.dbg(dbg::EOS, "ADDOFFSETS", || format!("{what}: retrying"));
            prod.rk.kick_main();
        }
        Action::Fatal => {
            st.offsets = None;
            drop(st);
            eos::set_fatal(prod, err, what);
        }
        Action::Abortable { bump } => {
            st.offsets = None;
            let e = KafkaError::new(normalize(err), what.clone()).with_txn_requires_abort();
            t.set_result(&mut st, Err(e));
            drop(st);
            prod.rk.log(3, "ADDOFFSETS", &what);
            eos::set_abortable(prod, err, what, bump);
        }
    }
}
