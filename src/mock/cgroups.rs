//! Consumer groups of the KIP-848 protocol: the group epoch, the target assignment a
//! server-side assignor (or a manual one, rd_kafka_mock_cgrp_consumer_target_assignment)
//! computes, and each member's reconciliation towards it as Kafka's
//! CurrentAssignmentBuilder does it: partitions the member must give up are revoked
//! first, and a partition only goes to its new owner once its old one has revoked it.
//! The wire side (ConsumerGroupHeartbeat, ConsumerGroupDescribe) is in cgroup_ops.rs,
//! the assignors in cgroup_assign.rs. Classic groups (groups.rs) live apart: one group
//! id is one kind of group.

pub use super::cgroup_assign::Tp;
use super::cgroup_assign::{assign, Topics};
use crate::error::ErrorCode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

pub struct CGroups {
    /// group.consumer.session.timeout.ms (librdkafka's mock's default: 30 s).
    pub session_ms: u64,
    /// group.consumer.heartbeat.interval.ms (librdkafka's mock's default: 3 s).
    pub heartbeat_ms: i32,
    pub(super) table: BTreeMap<String, CGroup>,
}

impl Default for CGroups {
    fn default() -> CGroups {
        CGroups { session_ms: 30_000, heartbeat_ms: 3000, table: BTreeMap::new() }
    }
}

/// A manual target assignment: member id -> (topic name, partition).
pub type Manual = Vec<(String, Vec<(String, i32)>)>;

#[derive(Default)]
pub(super) struct CGroup {
    /// Bumped by each change of membership, subscriptions or subscribed metadata.
    pub epoch: i32,
    /// The group epoch the target assignment was computed for.
    pub assignment_epoch: i32,
    /// Members in join order (the assignors' order).
    pub members: Vec<CMember>,
    /// Target assignment by member id.
    pub target: HashMap<String, BTreeSet<Tp>>,
    /// Set by the mock API: overrides the assignor until cleared.
    pub manual: Option<Manual>,
    /// The subscribed topics' ids and partition counts the target was computed from:
    /// a topic created, deleted or grown changes it and bumps the epoch.
    pub subscribed: BTreeMap<String, ([u8; 16], usize)>,
    /// The assignor of the last target assignment.
    pub assignor: String,
}

pub(super) struct CMember {
    pub id: String,
    pub instance_id: Option<String>,
    pub rack: Option<String>,
    pub client_id: String,
    pub epoch: i32,
    /// The epoch before the last bump: a member that missed that response may still
    /// heartbeat with it.
    pub prev_epoch: i32,
    pub names: Vec<String>,
    pub regex: Option<String>,
    pub assignor: Option<String>,
    pub rebalance_ms: u64,
    /// What the coordinator counts as the member's (given, not revoked).
    pub assigned: BTreeSet<Tp>,
    /// Partitions the member must revoke before its epoch advances.
    pub revoking: BTreeSet<Tp>,
    /// A static member that left with epoch -2: keeps its assignment until it
    /// rejoins or its session ends.
    pub left: bool,
    pub last_seen: Instant,
    revoke_by: Option<Instant>,
}

impl CMember {
    pub fn new(id: &str, now: Instant) -> CMember {
        CMember {
            id: id.into(),
            instance_id: None,
            rack: None,
            client_id: String::new(),
            epoch: 0,
            prev_epoch: 0,
            names: Vec::new(),
            regex: None,
            assignor: None,
            rebalance_ms: 0,
            assigned: BTreeSet::new(),
            revoking: BTreeSet::new(),
            left: false,
            last_seen: now,
            revoke_by: None,
        }
    }

    /// The topics its names and regex subscribe to among `topics`.
    pub fn topics(&self, topics: &Topics) -> BTreeSet<String> {
        let mut out: BTreeSet<String> =
            self.names.iter().filter(|n| topics.contains_key(*n)).cloned().collect();
        if let Some(re) = self.regex.as_deref().and_then(compile) {
            out.extend(topics.keys().filter(|t| re.is_match(t)).cloned());
        }
        out
    }
}

/// Kafka matches a subscription regex against the whole topic name (RE2/J).
pub fn compile(re: &str) -> Option<regex_lite::Regex> {
    if re.is_empty() {
        return None;
    }
    regex_lite::Regex::new(&format!("^(?:{re})$")).ok()
}

/// The consumer group state names of ConsumerGroupDescribe and ListGroups.
impl CGroup {
    pub fn state(&self) -> &'static str {
        if self.members.is_empty() {
            "Empty"
        } else if self.assignment_epoch < self.epoch {
            "Assigning"
        } else if self.members.iter().any(|m| m.epoch != self.assignment_epoch || self.pending(m)) {
            "Reconciling"
        } else {
            "Stable"
        }
    }

    /// Whether the member still lacks part of its target or has partitions to revoke.
    fn pending(&self, m: &CMember) -> bool {
        !m.revoking.is_empty() || self.target.get(&m.id).is_some_and(|t| *t != m.assigned)
    }

    pub fn member(&self, id: &str) -> Option<&CMember> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn member_mut(&mut self, id: &str) -> Option<&mut CMember> {
        self.members.iter_mut().find(|m| m.id == id)
    }

    /// A new group epoch and its target assignment.
    pub fn bump(&mut self, topics: &Topics) {
        self.epoch += 1;
        self.subscribed = self.subscribed_now(topics);
        self.target = self.compute_target(topics);
        self.assignment_epoch = self.epoch;
    }

    /// Bumps the epoch if the subscribed topics' metadata changed (a topic created that
    /// a name or regex subscribes to, one deleted or given more partitions).
    pub fn refresh(&mut self, topics: &Topics) -> bool {
        if self.members.is_empty() || self.subscribed_now(topics) == self.subscribed {
            return false;
        }
        self.bump(topics);
        true
    }

    fn subscribed_now(&self, topics: &Topics) -> BTreeMap<String, ([u8; 16], usize)> {
        let names: BTreeSet<String> = self.members.iter().flat_map(|m| m.topics(topics)).collect();
        names.into_iter().filter_map(|n| topics.get(&n).map(|&t| (n, t))).collect()
    }

    fn compute_target(&mut self, topics: &Topics) -> HashMap<String, BTreeSet<Tp>> {
        if let Some(manual) = &self.manual {
            // As librdkafka's mock: partitions of topics that do not exist (no id yet)
            // are left out; members it does not name get nothing.
            return manual
                .iter()
                .map(|(id, tps)| {
                    let set =
                        tps.iter().filter_map(|(t, p)| topics.get(t).map(|&(tid, _)| (tid, *p))).collect();
                    (id.clone(), set)
                })
                .collect();
        }
        // Kafka picks the assignor the most members ask for; uniform by default.
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &self.members {
            if let Some(a) = m.assignor.as_deref() {
                *votes.entry(a).or_default() += 1;
            }
        }
        let name = votes.iter().max_by_key(|(_, n)| **n).map_or("uniform", |(a, _)| a).to_string();
        let subs: Vec<(String, BTreeSet<String>)> =
            self.members.iter().map(|m| (m.id.clone(), m.topics(topics))).collect();
        let target = assign(&name, &subs, topics, &self.target);
        self.assignor = name;
        target
    }

    /// Whether a member other than `id` still holds `tp` (given or being revoked).
    fn held_elsewhere(&self, tp: &Tp, id: &str) -> bool {
        self.members.iter().any(|m| m.id != id && (m.assigned.contains(tp) || m.revoking.contains(tp)))
    }

    /// Kafka's epoch check: a newer epoch is fenced, an older one only passes if it
    /// is the previous one and the member owns nothing it was not given (it missed
    /// the response that bumped it).
    pub fn check_epoch(&self, id: &str, epoch: i32, owned: Option<&BTreeSet<Tp>>) -> Result<(), ErrorCode> {
        let m = self.member(id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
        if epoch == m.epoch {
            return Ok(());
        }
        let missed =
            epoch < m.epoch && epoch == m.prev_epoch && owned.is_some_and(|o| o.is_subset(&m.assigned));
        if missed {
            Ok(())
        } else {
            Err(ErrorCode::FENCED_MEMBER_EPOCH)
        }
    }

    /// Moves member `id` towards its target (CurrentAssignmentBuilder): revocations
    /// first; once acknowledged (its owned partitions no longer include them) the
    /// member takes the target epoch and the free partitions of its target; the
    /// others follow on later heartbeats, as their owners release them.
    pub fn reconcile(&mut self, id: &str, owned: Option<&BTreeSet<Tp>>, now: Instant) {
        let target = self.target.get(id).cloned().unwrap_or_default();
        let free: Vec<Tp> = target.iter().filter(|tp| !self.held_elsewhere(tp, id)).copied().collect();
        let epoch = self.assignment_epoch;
        let Some(m) = self.member_mut(id) else { return };
        if let Some(o) = owned {
            if !m.revoking.is_empty() && o.is_disjoint(&m.revoking) {
                m.revoking.clear();
                m.revoke_by = None;
            }
        }
        if !m.revoking.is_empty() {
            return;
        }
        let revoke: BTreeSet<Tp> = m.assigned.difference(&target).copied().collect();
        if !revoke.is_empty() {
            m.assigned.retain(|tp| target.contains(tp));
            m.revoking = revoke;
            m.revoke_by = Some(now + Duration::from_millis(m.rebalance_ms.max(1)));
            return;
        }
        m.assigned.extend(free);
        if m.epoch != epoch {
            m.prev_epoch = m.epoch;
            m.epoch = epoch;
        }
    }

    /// Removes a member (left, fenced or timed out) and recomputes the target.
    pub fn remove(&mut self, id: &str, topics: &Topics) {
        let before = self.members.len();
        self.members.retain(|m| m.id != id);
        if self.members.len() != before {
            self.target.remove(id);
            self.bump(topics);
        }
    }

    /// Members whose session or revocation time ran out. True if any was removed.
    fn expire(&mut self, now: Instant, session_ms: u64, topics: &Topics) -> bool {
        let session = Duration::from_millis(session_ms);
        let gone: Vec<String> = self
            .members
            .iter()
            .filter(|m| now >= m.last_seen + session || m.revoke_by.is_some_and(|t| now >= t))
            .map(|m| m.id.clone())
            .collect();
        for id in &gone {
            self.remove(id, topics);
        }
        !gone.is_empty()
    }
}

impl CGroups {
    /// Timers and metadata: sessions ended, revocations overdue, subscribed topics
    /// changed. True if any group changed.
    pub fn tick(&mut self, now: Instant, topics: &Topics) -> bool {
        let mut changed = false;
        for g in self.table.values_mut() {
            changed |= g.expire(now, self.session_ms, topics);
            changed |= g.refresh(topics);
        }
        changed
    }

    /// Sets or clears (None) the manual target assignment of an existing group; as in
    /// librdkafka's mock, an unknown group is left alone.
    pub fn set_manual(&mut self, gid: &str, manual: Option<Manual>, topics: &Topics) -> bool {
        let Some(g) = self.table.get_mut(gid) else { return false };
        g.manual = manual;
        g.bump(topics);
        true
    }

    /// The group's verdict on an OffsetCommit (Kafka's ConsumerGroup.validateOffsetCommit):
    /// None if `gid` is not a consumer group.
    pub fn check_commit(
        &self,
        gid: &str,
        member: &str,
        epoch: i32,
        version: i16,
    ) -> Option<Result<(), ErrorCode>> {
        let g = self.table.get(gid)?;
        // A commit from outside the group (admin, manual assignment) needs an empty group.
        if member.is_empty() && epoch < 0 {
            return Some(if g.members.is_empty() { Ok(()) } else { Err(ErrorCode::UNKNOWN_MEMBER_ID) });
        }
        let Some(m) = g.member(member) else { return Some(Err(ErrorCode::UNKNOWN_MEMBER_ID)) };
        if version < 9 {
            return Some(Err(ErrorCode::UNSUPPORTED_VERSION));
        }
        Some(if m.epoch == epoch { Ok(()) } else { Err(ErrorCode::STALE_MEMBER_EPOCH) })
    }

    /// OffsetFetch v9's member check: members fetch with their current epoch.
    pub fn check_fetch(&self, gid: &str, member: Option<&str>, epoch: i32) -> Result<(), ErrorCode> {
        let (Some(g), Some(member)) = (self.table.get(gid), member) else { return Ok(()) };
        if epoch < 0 && member.is_empty() {
            return Ok(());
        }
        let m = g.member(member).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
        if m.epoch == epoch {
            Ok(())
        } else {
            Err(ErrorCode::STALE_MEMBER_EPOCH)
        }
    }

    /// Whether a consumer group with members holds the id (a classic join is refused).
    pub fn active(&self, gid: &str) -> bool {
        self.table.get(gid).is_some_and(|g| !g.members.is_empty())
    }
}
