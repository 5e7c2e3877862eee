//! What the consumer is assigned (by the application or its group): assigning and
//! unassigning partitions (starting and stopping their fetch, routing their messages to
//! the consumer queue), and the offsets a commit of the current position covers.

use super::group::handle::{CommitEntry, CommitReply, Group, GroupOp};
use super::position::{start_all, stop};
use super::Consumer;
use crate::cursor::{OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID, OFFSET_STORED, OFFSET_TAIL_BASE};
use crate::error::{ErrorCode, KafkaError};
use crate::metadata::Partition;
use std::sync::Arc;

/// Replaces (or, when `incremental`, extends) the assignment. Partitions given with
/// OFFSET_INVALID/STORED start at their committed offset when there is a group, else
/// per auto.offset.reset.
pub fn assign(
    cons: &Arc<Consumer>,
    parts: Vec<(String, i32, i64)>,
    incremental: bool,
) -> Result<(), KafkaError> {
    if incremental {
        check_added(cons, &parts)?;
    }
    let invalid =
        |t: &str, id: i32| KafkaError::new(ErrorCode::_INVALID_ARG, format!("{t} [{id}] is invalid"));
    let mut wanted = Vec::with_capacity(parts.len());
    for (t, id, off) in parts {
        let topic = cons.cache.topic(&t, None, None).map_err(|_| invalid(&t, id))?;
        let p = topic.ensure_partition(id).ok_or_else(|| invalid(&t, id))?;
        wanted.push((p, off));
    }
    let mut cur = cons.assignment();
    let mut removed = Vec::new();
    if !incremental {
        for p in cur.iter() {
            if !wanted.iter().any(|(n, _)| Arc::ptr_eq(n, p)) {
                stop(&cons.rk, p);
                p.fetchq.forward(None);
                removed.push(p.clone());
            }
        }
    }
    let mut from_committed = Vec::new();
    let mut starting = Vec::new();
    let mut next: Vec<Arc<Partition>> = if incremental { cur.clone() } else { Vec::new() };
    for (p, off) in wanted {
        let already = cur.iter().any(|o| Arc::ptr_eq(o, &p));
        // As librdkafka: a partition assigned without an offset starts from the stored one.
        p.cons().assigned_offset = if off == OFFSET_INVALID { OFFSET_STORED } else { off };
        p.fetchq.forward(Some(cons.queue.clone()));
        if !already {
            // As librdkafka: a stored offset from an earlier assignment must not be
            // committed for this one (the partition may have moved on meanwhile).
            p.cons().store(OFFSET_INVALID, -1, None);
        }
        if !already || off != OFFSET_INVALID {
            if (off == OFFSET_INVALID || off == OFFSET_STORED) && cons.group.get().is_some() {
                from_committed.push(p.clone());
            } else {
                starting.push((p.clone(), if off == OFFSET_INVALID { OFFSET_STORED } else { off }));
            }
        }
        if !next.iter().any(|n| Arc::ptr_eq(n, &p)) {
            next.push(p);
        }
    }
    *cur = next;
    drop(cur);
    start_all(&cons.rk, &starting);
    if let Some(g) = cons.group.get() {
        commit_removed(cons, g, &removed);
        if !from_committed.is_empty() {
            g.send(GroupOp::FetchCommitted(from_committed));
        }
        g.send(GroupOp::RebalanceDone);
    }
    Ok(())
}

/// What librdkafka checks before adding partitions, in its order (the list sorted by
/// topic and partition): a start offset no logical offset, a partition listed twice,
/// one already assigned.
fn check_added(cons: &Consumer, parts: &[(String, i32, i64)]) -> Result<(), KafkaError> {
    let mut sorted: Vec<&(String, i32, i64)> = parts.iter().collect();
    sorted.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let cur = cons.assignment();
    for (i, (t, id, off)) in sorted.iter().enumerate() {
        let logical_ok = matches!(*off, OFFSET_BEGINNING | OFFSET_END | OFFSET_STORED | OFFSET_INVALID)
            || *off <= OFFSET_TAIL_BASE;
        if *off < 0 && !logical_ok {
            let msg = format!("{t} [{id}] has invalid start offset {off}");
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, msg));
        }
        if i > 0 && sorted[i - 1].0 == *t && sorted[i - 1].1 == *id {
            return Err(KafkaError::new(
                ErrorCode::_INVALID_ARG,
                format!("Duplicate {t} [{id}] in input list"),
            ));
        }
        if cur.iter().any(|p| &*p.topic_name == t.as_str() && p.id == *id) {
            let msg = format!("{t} [{id}] is already part of the current assignment");
            return Err(KafkaError::new(ErrorCode::_CONFLICT, msg));
        }
    }
    Ok(())
}

/// Removes partitions from the assignment (rd_kafka_incremental_unassign).
pub fn unassign_incremental(cons: &Arc<Consumer>, parts: &[(String, i32)]) -> Result<(), ErrorCode> {
    let mut cur = cons.assignment();
    if parts.iter().any(|(t, id)| !cur.iter().any(|p| &*p.topic_name == t.as_str() && p.id == *id)) {
        return Err(ErrorCode::_INVALID_ARG);
    }
    let mut removed = Vec::new();
    for (t, id) in parts {
        let Some(pos) = cur.iter().position(|p| &*p.topic_name == t.as_str() && p.id == *id) else {
            continue;
        };
        let p = cur.remove(pos);
        stop(&cons.rk, &p);
        p.fetchq.forward(None);
        removed.push(p);
    }
    drop(cur);
    if let Some(g) = cons.group.get() {
        commit_removed(cons, g, &removed);
        g.send(GroupOp::RebalanceDone);
    }
    Ok(())
}

/// With enable.auto.commit, partitions leaving the assignment have their stored offsets
/// committed (as librdkafka does). They are stopped first, so nothing the application
/// can still receive is left out; the group thread sends the commit before it rejoins
/// or leaves, as the op is queued ahead of RebalanceDone.
fn commit_removed(cons: &Arc<Consumer>, g: &Group, removed: &[Arc<Partition>]) {
    if removed.is_empty() || !cons.rk.conf.boolean("enable.auto.commit") {
        return;
    }
    let list = uncommitted(removed);
    if !list.is_empty() {
        g.send(GroupOp::Commit(Some(list), CommitReply::Auto));
    }
}

/// A stored position beyond the committed one is committed by "commit the current
/// position" (librdkafka compares the two the same way), with its leader epoch and
/// metadata.
fn to_commit(p: &Partition) -> Option<CommitEntry> {
    let c = p.cons();
    c.stored_ahead().then(|| CommitEntry {
        leader_epoch: c.stored_epoch,
        metadata: c.stored_metadata.clone(),
        ..CommitEntry::new(&p.topic_name, p.id, c.stored_offset)
    })
}

/// The stored offsets of these partitions not committed yet.
pub fn uncommitted(parts: &[Arc<Partition>]) -> Vec<CommitEntry> {
    parts.iter().filter_map(|p| to_commit(p)).collect()
}

/// What a commit of the current position covers: every partition, with OFFSET_INVALID
/// where there is nothing to commit (reported, not sent).
pub fn commit_position(parts: &[Arc<Partition>]) -> Vec<CommitEntry> {
    parts
        .iter()
        .map(|p| to_commit(p).unwrap_or_else(|| CommitEntry::new(&p.topic_name, p.id, OFFSET_INVALID)))
        .collect()
}
