//! Share groups (KIP-932): members joined by ShareGroupHeartbeat, the group epoch,
//! and the assignment of Kafka's SimpleAssignor, under which members may share a
//! partition. There is no revocation step: a member takes its new assignment and
//! the group epoch at once, since a partition may have several owners. The record
//! states and share sessions are in share_parts.rs; the wire side in share_ops.rs
//! and share_fetch.rs.

use super::cgroup_assign::{Topics, Tp};
use super::cgroups::Manual;
use super::share_parts::Parts;
use crate::error::ErrorCode;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// The group.share.* settings of librdkafka's mock setters (same defaults).
pub struct ShareConf {
    pub session_ms: u64,
    pub heartbeat_ms: i32,
    /// group.share.delivery.count.limit: after that many deliveries a record is
    /// archived; 0 is unlimited.
    pub max_attempts: i32,
    /// group.share.record.lock.duration.ms; 0 falls back to the session timeout.
    pub lock_ms: i32,
    /// share.isolation.level: read_committed stops at the last stable offset and
    /// archives aborted records.
    pub committed: bool,
    /// group.share.max.size; 0 is unlimited.
    pub max_size: i32,
    /// Share sessions per broker (group.share.max.share.sessions); 0 is unlimited.
    pub max_sessions: i32,
    /// Acquired records per share-partition; 0 is unlimited.
    pub max_locks: i32,
    /// share.auto.offset.reset: where a share-partition starts (latest by default).
    pub earliest: bool,
}

impl Default for ShareConf {
    fn default() -> ShareConf {
        ShareConf {
            session_ms: 45_000,
            heartbeat_ms: 5000,
            max_attempts: 5,
            lock_ms: 30_000,
            committed: false,
            max_size: 200,
            max_sessions: 2000,
            max_locks: 2000,
            earliest: false,
        }
    }
}

impl ShareConf {
    pub fn lock(&self) -> Duration {
        let ms = if self.lock_ms > 0 { self.lock_ms as u64 } else { self.session_ms };
        Duration::from_millis(ms)
    }
}

#[derive(Default)]
pub struct Shares {
    pub conf: ShareConf,
    pub(super) table: BTreeMap<String, SGroup>,
    pub(super) parts: Parts,
}

#[derive(Default)]
pub(super) struct SGroup {
    pub epoch: i32,
    /// Members in join order (the assignor's order).
    pub members: Vec<SMember>,
    /// rd_kafka_mock_sharegroup_target_assignment turns the assignor off for good,
    /// as in librdkafka's mock.
    pub manual: bool,
}

pub(super) struct SMember {
    pub id: String,
    pub epoch: i32,
    /// The epoch before the last bump: a member that missed that response may
    /// still heartbeat with it.
    pub prev_epoch: i32,
    pub rack: Option<String>,
    pub client_id: String,
    pub names: Vec<String>,
    pub assigned: BTreeSet<Tp>,
    /// The assignment the member was last sent.
    pub sent: Option<BTreeSet<Tp>>,
    pub last_seen: Instant,
}

impl SGroup {
    pub fn state(&self) -> &'static str {
        if self.members.is_empty() {
            "Empty"
        } else {
            "Stable"
        }
    }

    pub fn member_mut(&mut self, id: &str) -> Option<&mut SMember> {
        self.members.iter_mut().find(|m| m.id == id)
    }

    /// A new group epoch, the assignment for it, and every member on it.
    pub fn bump(&mut self, topics: &Topics) {
        self.epoch += 1;
        if !self.manual {
            let subs: Vec<BTreeSet<String>> = self
                .members
                .iter()
                .map(|m| m.names.iter().filter(|n| topics.contains_key(*n)).cloned().collect())
                .collect();
            let a = simple_assign(&subs, topics);
            for (m, set) in self.members.iter_mut().zip(a) {
                m.assigned = set;
            }
        }
        for m in &mut self.members {
            m.prev_epoch = m.epoch;
            m.epoch = self.epoch;
        }
    }

    /// Kafka's share heartbeat epoch check: the current epoch, or the previous one
    /// (the response that bumped it was lost); anything else is fenced.
    pub fn check_epoch(&self, id: &str, epoch: i32) -> Result<(), ErrorCode> {
        let m = self.members.iter().find(|m| m.id == id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
        if epoch == m.epoch || epoch == m.prev_epoch {
            Ok(())
        } else {
            Err(ErrorCode::FENCED_MEMBER_EPOCH)
        }
    }
}

/// Kafka's SimpleAssignor, balanced: over each topic's partitions in turn, with
/// no more members than partitions each partition goes to one member (round
/// robin, continuing across topics so the counts stay even); with more members
/// than partitions each member gets one partition and partitions are shared.
fn simple_assign(subs: &[BTreeSet<String>], topics: &Topics) -> Vec<BTreeSet<Tp>> {
    let mut out = vec![BTreeSet::new(); subs.len()];
    let mut turn = 0usize;
    for (name, &(id, count)) in topics {
        let who: Vec<usize> = (0..subs.len()).filter(|&i| subs[i].contains(name)).collect();
        if who.is_empty() || count == 0 {
            continue;
        }
        if who.len() <= count {
            for p in 0..count {
                out[who[(turn + p) % who.len()]].insert((id, p as i32));
            }
            turn += count;
        } else {
            for (k, &m) in who.iter().enumerate() {
                out[m].insert((id, (k % count) as i32));
            }
        }
    }
    out
}

impl Shares {
    /// Removes a member (left or timed out): its share sessions close and the
    /// records it holds are released, as Kafka's share group listener does.
    pub fn remove(&mut self, gid: &str, id: &str, topics: &Topics) {
        let Some(g) = self.table.get_mut(gid) else { return };
        let before = g.members.len();
        g.members.retain(|m| m.id != id);
        if g.members.len() != before {
            g.bump(topics);
        }
        self.parts.member_gone(gid, id, self.conf.max_attempts);
    }

    /// Sessions and locks: members not heard from, expired acquisition locks, and
    /// subscribed topics grown or created. True if anything changed.
    pub fn tick(&mut self, now: Instant, topics: &Topics) -> bool {
        let session = Duration::from_millis(self.conf.session_ms);
        let mut gone = Vec::new();
        for (gid, g) in &self.table {
            gone.extend(
                g.members
                    .iter()
                    .filter(|m| now >= m.last_seen + session)
                    .map(|m| (gid.clone(), m.id.clone())),
            );
        }
        let mut changed = !gone.is_empty();
        for (gid, id) in gone {
            self.remove(&gid, &id, topics);
        }
        let gids: Vec<String> = self.table.keys().cloned().collect();
        for gid in gids {
            changed |= self.refresh(&gid, topics);
        }
        changed | self.parts.expire(now, self.conf.max_attempts)
    }

    /// Recomputes the assignment if the subscribed topics changed under it (a topic
    /// created or grown). True if it did.
    pub fn refresh(&mut self, gid: &str, topics: &Topics) -> bool {
        let Some(g) = self.table.get_mut(gid) else { return false };
        if g.manual || g.members.is_empty() {
            return false;
        }
        let before: Vec<BTreeSet<Tp>> = g.members.iter().map(|m| m.assigned.clone()).collect();
        let subs: Vec<BTreeSet<String>> = g
            .members
            .iter()
            .map(|m| m.names.iter().filter(|n| topics.contains_key(*n)).cloned().collect())
            .collect();
        let changed = simple_assign(&subs, topics) != before;
        if changed {
            g.bump(topics);
        }
        changed
    }

    /// The test's assignment (rd_kafka_mock_sharegroup_target_assignment): the named
    /// members get those partitions, the others keep theirs, and the assignor stays
    /// off. As in librdkafka's mock an unknown group or member is skipped.
    pub fn set_manual(&mut self, gid: &str, manual: Manual, topics: &Topics) -> bool {
        let Some(g) = self.table.get_mut(gid) else { return false };
        g.manual = true;
        for (id, tps) in manual {
            if let Some(m) = g.member_mut(&id) {
                m.assigned =
                    tps.iter().filter_map(|(t, p)| topics.get(t).map(|&(tid, _)| (tid, *p))).collect();
            }
        }
        g.bump(topics);
        true
    }

    /// Whether a share group with members holds the id (other kinds of group are refused).
    pub fn active(&self, gid: &str) -> bool {
        self.table.get(gid).is_some_and(|g| !g.members.is_empty())
    }

    /// DeleteGroups: an empty share group goes with its share-partitions. True if it was one.
    pub fn delete(&mut self, gid: &str) -> bool {
        self.parts.by.retain(|(g, _), _| g != gid);
        self.table.remove(gid).is_some()
    }

    /// Member ids in join order; None for an unknown group.
    pub fn member_ids(&self, gid: &str) -> Option<Vec<String>> {
        self.table.get(gid).map(|g| g.members.iter().map(|m| m.id.clone()).collect())
    }
}
