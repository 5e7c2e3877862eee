//! Consumer groups (classic protocol) and committed offsets: the coordinator's state
//! machine as Kafka's GroupCoordinator runs it (Empty, PreparingRebalance,
//! CompletingRebalance, Stable), with JoinGroup and SyncGroup requests parked until
//! the rebalance or the leader's assignment answers them. Offsets and the admin
//! requests are in group_ops.rs, the member requests' wire side in group_members.rs.

use super::reply::Ctx;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use bytes::Bytes;
use kafka_protocol::messages::join_group_response::JoinGroupResponseMember;
use kafka_protocol::messages::{HeartbeatRequest, JoinGroupRequest, JoinGroupResponse, SyncGroupRequest};
use kafka_protocol::protocol::StrBytes;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// A committed offset.
#[derive(Clone, Debug, PartialEq)]
pub struct Committed {
    pub offset: i64,
    pub leader_epoch: i32,
    pub metadata: Option<String>,
}

pub struct Groups {
    /// group.initial.rebalance.delay.ms (rd_kafka_mock_group_initial_rebalance_delay_ms).
    pub initial_delay_ms: u64,
    /// Committed offsets: group -> (topic, partition) -> offset.
    pub offsets: HashMap<String, BTreeMap<(String, i32), Committed>>,
    /// The groups with (or once with) members, by id.
    pub(super) table: BTreeMap<String, Group>,
}

impl Default for Groups {
    fn default() -> Groups {
        Groups { initial_delay_ms: 3000, offsets: HashMap::new(), table: BTreeMap::new() }
    }
}

impl Groups {
    /// Stores a group's offset (OffsetCommit, or a committed transaction's offsets).
    pub fn commit(&mut self, group: &str, topic: &str, partition: i32, c: Committed) {
        self.offsets.entry(group.to_string()).or_default().insert((topic.to_string(), partition), c);
    }

    pub fn committed(&self, group: &str, topic: &str, partition: i32) -> Option<&Committed> {
        self.offsets.get(group)?.get(&(topic.to_string(), partition))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Phase {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

impl Phase {
    /// The state's name as Kafka's DescribeGroups and ListGroups spell it.
    pub(super) fn name(self) -> &'static str {
        match self {
            Phase::Empty => "Empty",
            Phase::PreparingRebalance => "PreparingRebalance",
            Phase::CompletingRebalance => "CompletingRebalance",
            Phase::Stable => "Stable",
            Phase::Dead => "Dead",
        }
    }
}

pub(super) struct Member {
    pub id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub session_ms: u64,
    pub rebalance_ms: u64,
    /// The protocols it supports, in its order of preference, with their metadata.
    pub protocols: Vec<(String, Bytes)>,
    pub assignment: Bytes,
    last_seen: Instant,
    /// Rejoined during the rebalance under way.
    joined: bool,
    /// The connection of its parked JoinGroup: a join without a member id is found by it.
    pub join_conn: Option<u64>,
    /// The JoinGroup response its parked request is waiting for.
    pub answer: Option<JoinGroupResponse>,
}

impl Member {
    pub(super) fn metadata(&self, protocol: &str) -> Bytes {
        self.protocols.iter().find(|p| p.0 == protocol).map(|p| p.1.clone()).unwrap_or_default()
    }

    /// Whether its session still runs. A member waiting for its JoinGroup answer is
    /// kept (the rebalance timeout decides), one waiting for the leader's SyncGroup
    /// gets its rebalance timeout as well, as Kafka's shouldKeepAlive does.
    fn alive(&self, phase: Phase, now: Instant) -> bool {
        if self.joined && phase == Phase::PreparingRebalance {
            return true;
        }
        let limit = match phase {
            Phase::CompletingRebalance => self.session_ms.max(self.rebalance_ms),
            _ => self.session_ms,
        };
        now < self.last_seen + ms(limit)
    }
}

/// The first rebalance of an Empty group (Kafka's InitialDelayedJoin).
struct Initial {
    /// The whole delay ends here at the latest (the rebalance timeout).
    end: Instant,
    delay: Duration,
    /// A member joined during the current window: open another.
    added: bool,
}

pub(super) struct Group {
    pub phase: Phase,
    pub generation: i32,
    pub protocol_type: Option<String>,
    pub protocol: Option<String>,
    pub leader: Option<String>,
    /// In join order.
    pub members: Vec<Member>,
    /// Member ids handed out with MEMBER_ID_REQUIRED and when they lapse (a session).
    pending: HashMap<String, Instant>,
    /// When the rebalance under way completes at the latest.
    deadline: Option<Instant>,
    initial: Option<Initial>,
}

pub(super) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A member id as Kafka makes them: the client id and a random UUID.
fn new_member_id(client_id: &str) -> String {
    let (a, b) = (fastrand::u64(..), fastrand::u64(..));
    format!(
        "{client_id}-{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

impl Group {
    pub(super) fn new() -> Group {
        Group {
            phase: Phase::Empty,
            generation: 0,
            protocol_type: None,
            protocol: None,
            leader: None,
            members: Vec::new(),
            pending: HashMap::new(),
            deadline: None,
            initial: None,
        }
    }

    pub(super) fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    fn member_mut(&mut self, id: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.id == id)
    }

    /// What a waiting request may be waiting for.
    pub(super) fn stamp(&self) -> (Phase, i32) {
        (self.phase, self.generation)
    }

    fn touch(&mut self, id: &str, now: Instant) {
        if let Some(m) = self.member_mut(id) {
            m.last_seen = now;
        }
    }

    /// The member a static instance id belongs to.
    fn static_owner(&self, instance: &str) -> Option<&str> {
        self.members.iter().find(|m| m.instance_id.as_deref() == Some(instance)).map(|m| m.id.as_str())
    }

    /// The checks every request of a member starts with (Kafka's validateCurrentMember).
    fn check_member(&self, id: &str, instance: Option<&str>) -> Result<(), ErrorCode> {
        if self.phase == Phase::Dead {
            return Err(ErrorCode::COORDINATOR_NOT_AVAILABLE);
        }
        if let Some(owner) = instance.and_then(|i| self.static_owner(i)) {
            if owner != id {
                return Err(ErrorCode::FENCED_INSTANCE_ID);
            }
        }
        if self.member(id).is_none() {
            return Err(ErrorCode::UNKNOWN_MEMBER_ID);
        }
        Ok(())
    }

    /// A joining member fits if its protocol type is the group's and it supports a
    /// protocol every member supports (checked only while the group has members).
    fn accepts(&self, ptype: &str, protocols: &[(String, Bytes)], id: &str) -> bool {
        let others: Vec<&Member> = self.members.iter().filter(|m| m.id != id).collect();
        if others.is_empty() {
            return true;
        }
        self.protocol_type.as_deref() == Some(ptype)
            && protocols.iter().any(|(p, _)| others.iter().all(|m| m.protocols.iter().any(|q| &q.0 == p)))
    }

    /// Registers a JoinGroup: Ok(member id) once it joined (and is answered or waits),
    /// Err(error, member id for the response) otherwise.
    pub(super) fn join(
        &mut self,
        m: &JoinGroupRequest,
        req: &Request,
        ctx: &Ctx,
        delay_ms: u64,
    ) -> Result<String, (ErrorCode, String)> {
        let id = m.member_id.to_string();
        let instance = m.group_instance_id.as_ref().map(|s| s.to_string());
        let protocols: Vec<(String, Bytes)> =
            m.protocols.iter().map(|p| (p.name.to_string(), p.metadata.clone())).collect();
        let ptype = m.protocol_type.to_string();
        if protocols.is_empty() || ptype.is_empty() || !self.accepts(&ptype, &protocols, &id) {
            return Err((ErrorCode::INCONSISTENT_GROUP_PROTOCOL, id));
        }
        let session_ms = m.session_timeout_ms.max(0) as u64;
        let id = self.resolve_joiner(id, instance.as_deref(), req, ctx.now + ms(session_ms))?;
        // v0 has no rebalance timeout: the session timeout serves as one.
        let rebalance_ms = if req.version == 0 { session_ms } else { m.rebalance_timeout_ms.max(0) as u64 };
        let known = self.member(&id).is_some();
        if !known {
            self.add_member(&id, &ptype, &req.client_id, ctx.now);
        }
        let (phase, leader) = (self.phase, self.leader.clone());
        let Some(mem) = self.member_mut(&id) else { return Err((ErrorCode::UNKNOWN_MEMBER_ID, id)) };
        let same = known && mem.protocols == protocols;
        mem.instance_id = instance;
        mem.client_id = req.client_id.clone();
        mem.session_ms = session_ms;
        mem.rebalance_ms = rebalance_ms;
        mem.protocols = protocols;
        mem.last_seen = ctx.now;
        mem.join_conn = Some(ctx.conn);
        // A follower rejoining with unchanged metadata (it missed its response) gets
        // the current generation back without a rebalance, as Kafka answers it.
        let follower = leader.as_deref() != Some(id.as_str());
        if same && (phase == Phase::CompletingRebalance || phase == Phase::Stable && follower) {
            let answer = self.answer_for(&id);
            if let Some(mem) = self.member_mut(&id) {
                mem.answer = Some(answer);
            }
            return Ok(id);
        }
        mem.joined = true;
        mem.answer = None;
        if self.phase != Phase::PreparingRebalance {
            self.prepare(ctx.now, delay_ms);
        }
        Ok(id)
    }

    /// The member id a join goes on with: a new one (maybe after MEMBER_ID_REQUIRED,
    /// maybe taking over a static member), or the known one it brings.
    fn resolve_joiner(
        &mut self,
        id: String,
        instance: Option<&str>,
        req: &Request,
        lapse: Instant,
    ) -> Result<String, (ErrorCode, String)> {
        if id.is_empty() {
            let new = new_member_id(&req.client_id);
            match instance {
                Some(i) => self.replace_static(i, &new),
                // KIP-394: a v4+ client is told its id and joins again with it.
                None if req.version >= 4 => {
                    self.pending.insert(new.clone(), lapse);
                    return Err((ErrorCode::MEMBER_ID_REQUIRED, new));
                }
                None => {}
            }
            return Ok(new);
        }
        if let Some(owner) = instance.and_then(|i| self.static_owner(i)) {
            if owner != id {
                return Err((ErrorCode::FENCED_INSTANCE_ID, id));
            }
        }
        if self.member(&id).is_none() && self.pending.remove(&id).is_none() {
            return Err((ErrorCode::UNKNOWN_MEMBER_ID, id));
        }
        Ok(id)
    }

    /// A static member rejoining without its member id takes over its old one.
    fn replace_static(&mut self, instance: &str, new: &str) {
        let Some(old) = self.static_owner(instance).map(str::to_string) else { return };
        if self.leader.as_deref() == Some(old.as_str()) {
            self.leader = Some(new.to_string());
        }
        if let Some(m) = self.member_mut(&old) {
            m.id = new.to_string();
        }
    }

    fn add_member(&mut self, id: &str, ptype: &str, client_id: &str, now: Instant) {
        if self.members.is_empty() {
            self.protocol_type = Some(ptype.to_string());
        }
        if let Some(init) = &mut self.initial {
            init.added = true;
        }
        self.members.push(Member {
            id: id.to_string(),
            instance_id: None,
            client_id: client_id.to_string(),
            session_ms: 0,
            rebalance_ms: 0,
            protocols: Vec::new(),
            assignment: Bytes::new(),
            last_seen: now,
            joined: false,
            join_conn: None,
            answer: None,
        });
    }

    /// Starts a rebalance. An Empty group's first one waits the initial delay.
    fn prepare(&mut self, now: Instant, delay_ms: u64) {
        let max_ms = self.members.iter().map(|m| m.rebalance_ms).max().unwrap_or(0);
        if self.phase == Phase::Empty {
            let delay = ms(delay_ms.min(max_ms));
            self.deadline = Some(now + delay);
            self.initial = Some(Initial { end: now + ms(max_ms), delay, added: false });
        } else {
            self.deadline = Some(now + ms(max_ms));
            self.initial = None;
        }
        if self.phase == Phase::CompletingRebalance {
            // The leader's assignment of this generation will not come now.
            for m in &mut self.members {
                m.assignment = Bytes::new();
            }
        }
        self.phase = Phase::PreparingRebalance;
    }

    /// Completes the rebalance under way if it can; true if it did.
    pub(super) fn try_complete(&mut self, now: Instant) -> bool {
        if self.phase != Phase::PreparingRebalance {
            return false;
        }
        let due = self.deadline.is_some_and(|d| now >= d);
        if let Some(init) = &mut self.initial {
            if !due {
                return false;
            }
            if init.added && now < init.end {
                self.deadline = Some((now + init.delay).min(init.end));
                init.added = false;
                return false;
            }
        } else if !(due || self.members.iter().all(|m| m.joined) && self.pending.is_empty()) {
            return false;
        }
        self.complete(now);
        true
    }

    /// Kafka's onCompleteJoin: members that did not rejoin are dropped, the next
    /// generation starts, and every joined member gets its JoinGroup response.
    fn complete(&mut self, now: Instant) {
        self.members.retain(|m| m.joined);
        self.deadline = None;
        self.initial = None;
        self.generation += 1;
        if self.members.is_empty() {
            self.phase = Phase::Empty;
            self.protocol = None;
            self.leader = None;
            return;
        }
        if self.leader.as_ref().is_none_or(|l| self.member(l).is_none()) {
            self.leader = self.members.first().map(|m| m.id.clone());
        }
        self.protocol = self.choose_protocol();
        self.phase = Phase::CompletingRebalance;
        let ids: Vec<String> = self.members.iter().map(|m| m.id.clone()).collect();
        for id in ids {
            let answer = self.answer_for(&id);
            if let Some(m) = self.member_mut(&id) {
                m.joined = false;
                m.last_seen = now;
                m.answer = Some(answer);
            }
        }
    }

    /// The first protocol of the leader's list that every member supports.
    fn choose_protocol(&self) -> Option<String> {
        let leader = self.leader.as_deref().and_then(|l| self.member(l))?;
        let all = |p: &str| self.members.iter().all(|m| m.protocols.iter().any(|q| q.0 == p));
        leader.protocols.iter().map(|p| p.0.clone()).find(|p| all(p))
    }

    /// A member's JoinGroup response for the current generation.
    fn answer_for(&self, id: &str) -> JoinGroupResponse {
        let protocol = self.protocol.clone().unwrap_or_default();
        let leader = self.leader.clone().unwrap_or_default();
        let mut r = JoinGroupResponse::default()
            .with_generation_id(self.generation)
            .with_protocol_type(self.protocol_type.as_deref().map(sb))
            .with_protocol_name(Some(sb(&protocol)))
            .with_leader(sb(&leader))
            .with_member_id(sb(id));
        if self.protocol.is_none() {
            r.error_code = code(ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
        } else if leader == id {
            r.members = self
                .members
                .iter()
                .map(|m| {
                    JoinGroupResponseMember::default()
                        .with_member_id(sb(&m.id))
                        .with_group_instance_id(m.instance_id.as_deref().map(sb))
                        .with_metadata(m.metadata(&protocol))
                })
                .collect();
        }
        r
    }

    /// Removes a member (left or expired), rebalancing the others.
    fn remove(&mut self, id: &str, now: Instant, delay_ms: u64) {
        self.members.retain(|m| m.id != id);
        if self.leader.as_deref() == Some(id) {
            self.leader = self.members.first().map(|m| m.id.clone());
        }
        if matches!(self.phase, Phase::Stable | Phase::CompletingRebalance) {
            self.prepare(now, delay_ms);
        }
        self.try_complete(now);
    }

    /// Drops members whose session ran out and member ids never used; true if any.
    fn expire(&mut self, now: Instant, delay_ms: u64) -> bool {
        self.pending.retain(|_, lapse| *lapse > now);
        let dead: Vec<String> =
            self.members.iter().filter(|m| !m.alive(self.phase, now)).map(|m| m.id.clone()).collect();
        for id in &dead {
            self.remove(id, now, delay_ms);
        }
        !dead.is_empty()
    }

    /// Kafka's doSyncGroup. Ok(None): a follower waiting for the leader's assignment.
    pub(super) fn sync(&mut self, m: &SyncGroupRequest, now: Instant) -> Result<Option<Bytes>, ErrorCode> {
        let id = m.member_id.to_string();
        self.check_member(&id, m.group_instance_id.as_deref())?;
        if m.generation_id != self.generation {
            return Err(ErrorCode::ILLEGAL_GENERATION);
        }
        let differs = |mine: &Option<StrBytes>, ours: &Option<String>| {
            mine.as_ref().is_some_and(|p| ours.as_deref() != Some(p.as_str()))
        };
        if differs(&m.protocol_type, &self.protocol_type) || differs(&m.protocol_name, &self.protocol) {
            return Err(ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
        }
        match self.phase {
            Phase::Empty | Phase::Dead => Err(ErrorCode::UNKNOWN_MEMBER_ID),
            Phase::PreparingRebalance => Err(ErrorCode::REBALANCE_IN_PROGRESS),
            Phase::Stable => Ok(self.member(&id).map(|m| m.assignment.clone())),
            Phase::CompletingRebalance => {
                self.touch(&id, now);
                if self.leader.as_deref() != Some(id.as_str()) {
                    return Ok(None);
                }
                for mem in &mut self.members {
                    let a = m.assignments.iter().find(|a| a.member_id.as_str() == mem.id);
                    mem.assignment = a.map(|a| a.assignment.clone()).unwrap_or_default();
                }
                self.phase = Phase::Stable;
                Ok(self.member(&id).map(|m| m.assignment.clone()))
            }
        }
    }

    /// Kafka's handleHeartbeat.
    pub(super) fn heartbeat(&mut self, m: &HeartbeatRequest, now: Instant) -> ErrorCode {
        let id = m.member_id.to_string();
        if let Err(e) = self.check_member(&id, m.group_instance_id.as_deref()) {
            return e;
        }
        if m.generation_id != self.generation {
            return ErrorCode::ILLEGAL_GENERATION;
        }
        match self.phase {
            Phase::Empty | Phase::Dead => ErrorCode::UNKNOWN_MEMBER_ID,
            Phase::PreparingRebalance => {
                self.touch(&id, now);
                ErrorCode::REBALANCE_IN_PROGRESS
            }
            Phase::CompletingRebalance | Phase::Stable => {
                self.touch(&id, now);
                ErrorCode::NO_ERROR
            }
        }
    }

    /// One member leaving, named by member id or static instance id.
    pub(super) fn leave(
        &mut self,
        id: &str,
        instance: Option<&str>,
        now: Instant,
        delay_ms: u64,
    ) -> ErrorCode {
        if self.phase == Phase::Dead {
            return ErrorCode::COORDINATOR_NOT_AVAILABLE;
        }
        let id = match instance {
            Some(i) => match self.static_owner(i) {
                Some(owner) if !id.is_empty() && owner != id => return ErrorCode::FENCED_INSTANCE_ID,
                Some(owner) => owner.to_string(),
                None => return ErrorCode::UNKNOWN_MEMBER_ID,
            },
            None if self.member(id).is_some() => id.to_string(),
            None => return ErrorCode::UNKNOWN_MEMBER_ID,
        };
        self.remove(&id, now, delay_ms);
        ErrorCode::NO_ERROR
    }

    /// Kafka's checks for an OffsetCommit (doCommitOffsets), refreshing the member.
    pub(super) fn check_commit(
        &mut self,
        id: &str,
        instance: Option<&str>,
        generation: i32,
        now: Instant,
    ) -> Result<(), ErrorCode> {
        if self.phase == Phase::Dead {
            return Err(ErrorCode::COORDINATOR_NOT_AVAILABLE);
        }
        if let Some(owner) = instance.and_then(|i| self.static_owner(i)) {
            if owner != id {
                return Err(ErrorCode::FENCED_INSTANCE_ID);
            }
        }
        if generation < 0 && self.phase == Phase::Empty {
            return Ok(());
        }
        if self.phase == Phase::CompletingRebalance {
            return Err(ErrorCode::REBALANCE_IN_PROGRESS);
        }
        if self.member(id).is_none() {
            return Err(ErrorCode::UNKNOWN_MEMBER_ID);
        }
        if generation != self.generation {
            return Err(ErrorCode::ILLEGAL_GENERATION);
        }
        self.touch(id, now);
        Ok(())
    }
}

impl Groups {
    /// Timers: expired sessions, rebalances whose time is up. True if any group changed.
    pub fn tick(&mut self, now: Instant, delay_ms: u64) -> bool {
        let mut changed = false;
        for g in self.table.values_mut() {
            let before = g.stamp();
            g.expire(now, delay_ms);
            g.try_complete(now);
            changed |= g.stamp() != before;
        }
        changed
    }
}

#[cfg(test)]
#[path = "groups_tests.rs"]
mod tests;
