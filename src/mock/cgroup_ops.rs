//! KIP-848's requests on the wire: ConsumerGroupHeartbeat (join, heartbeat, leave)
//! and ConsumerGroupDescribe. The group model and reconciliation are in cgroups.rs.

use super::cgroup_assign::Topics;
use super::cgroups::{compile, CGroup, CMember, Tp};
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::consumer_group_describe_response as cgd;
use kafka_protocol::messages::consumer_group_heartbeat_response::{Assignment, TopicPartitions};
use kafka_protocol::messages::{
    ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse, ConsumerGroupHeartbeatRequest,
    ConsumerGroupHeartbeatResponse, GroupId, TopicName,
};
use std::collections::{BTreeMap, BTreeSet};

/// The cluster's topics by name: id and partition count.
pub fn topics(st: &State) -> Topics {
    st.topics.iter().map(|(n, t)| (n.clone(), (t.id, t.parts.len()))).collect()
}

/// What a heartbeat comes to: the member, its epoch, and the assignment to send.
struct Beat {
    id: String,
    epoch: i32,
    assignment: Option<BTreeSet<Tp>>,
}

pub fn heartbeat(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ConsumerGroupHeartbeatRequest = body(req)?;
    let mut r = ConsumerGroupHeartbeatResponse::default().with_member_epoch(m.member_epoch);
    match beat(st, req, &m, ctx) {
        Ok(b) => {
            r.member_id = Some(sb(&b.id));
            r.member_epoch = b.epoch;
            r.heartbeat_interval_ms = st.cgroups.heartbeat_ms;
            r.assignment = b.assignment.map(|a| Assignment::default().with_topic_partitions(by_topic(&a)));
        }
        Err(e) => {
            r.error_code = code(e);
            r.error_message = Some(sb(&e.name()));
        }
    }
    Ok(respond(req, &r))
}

/// Partitions grouped by topic id, as the heartbeat response carries them.
fn by_topic(a: &BTreeSet<Tp>) -> Vec<TopicPartitions> {
    let mut map: BTreeMap<[u8; 16], Vec<i32>> = BTreeMap::new();
    for (t, p) in a {
        map.entry(*t).or_default().push(*p);
    }
    map.into_iter()
        .map(|(t, ps)| {
            TopicPartitions::default().with_topic_id(uuid::Uuid::from_bytes(t)).with_partitions(ps)
        })
        .collect()
}

fn beat(
    st: &mut State,
    req: &Request,
    m: &ConsumerGroupHeartbeatRequest,
    ctx: &Ctx,
) -> Result<Beat, ErrorCode> {
    let gid = m.group_id.0.to_string();
    let id = m.member_id.to_string();
    if ctx.injected.is_error() {
        // As librdkafka's mock: an injected fencing error also drops the member, so
        // that its rejoin starts afresh.
        if [ErrorCode::UNKNOWN_MEMBER_ID, ErrorCode::FENCED_MEMBER_EPOCH].contains(&ctx.injected) {
            let t = topics(st);
            if let Some(g) = st.cgroups.table.get_mut(&gid) {
                g.remove(&id, &t);
            }
        }
        return Err(ctx.injected);
    }
    st.coordinator_check(0, &gid, ctx)?;
    if gid.is_empty() {
        return Err(ErrorCode::INVALID_REQUEST);
    }
    if st.shares.active(&gid) {
        return Err(ErrorCode::GROUP_ID_NOT_FOUND);
    }
    // A classic group with members keeps its id; an empty one is converted, as Kafka does.
    match st.groups.table.get(&gid) {
        Some(g) if !g.members.is_empty() => return Err(ErrorCode::GROUP_ID_NOT_FOUND),
        Some(_) => {
            st.groups.table.remove(&gid);
        }
        None => {}
    }
    let t = topics(st);
    // Owned partitions of topics the cluster no longer has are left out.
    let known: BTreeSet<[u8; 16]> = t.values().map(|v| v.0).collect();
    let owned: Option<BTreeSet<Tp>> = m.topic_partitions.as_ref().map(|tps| {
        let ids = tps.iter().map(|tp| (*tp.topic_id.as_bytes(), &tp.partitions));
        ids.filter(|(t, _)| known.contains(t)).flat_map(|(t, ps)| ps.iter().map(move |p| (t, *p))).collect()
    });
    if let Some(re) = m.subscribed_topic_regex.as_deref().filter(|r| !r.is_empty()) {
        if compile(re).is_none() {
            return Err(ErrorCode::INVALID_REGULAR_EXPRESSION);
        }
    }
    if let Some(a) = m.server_assignor.as_deref() {
        if a != "uniform" && a != "range" {
            return Err(ErrorCode::UNSUPPORTED_ASSIGNOR);
        }
    }
    let b = match m.member_epoch {
        -1 | -2 => leave(st, &gid, &id, m.member_epoch, &t),
        0 => join(st, req, m, ctx, &gid, id, owned.as_ref(), &t),
        e => {
            let g = st.cgroups.table.get_mut(&gid).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
            g.check_epoch(&id, e, owned.as_ref())?;
            update(g, req, m, ctx, &id, false, owned.as_ref(), &t)
        }
    };
    st.changed();
    b
}

fn leave(st: &mut State, gid: &str, id: &str, epoch: i32, t: &Topics) -> Result<Beat, ErrorCode> {
    let g = st.cgroups.table.get_mut(gid).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    let m = g.member_mut(id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    // A static member leaving with -2 keeps its place and assignment for its session:
    // the same instance may come back with them.
    if epoch == -2 && m.instance_id.is_some() {
        m.left = true;
        return Ok(Beat { id: id.into(), epoch: -2, assignment: None });
    }
    g.remove(id, t);
    Ok(Beat { id: id.into(), epoch: -1, assignment: None })
}

#[allow(clippy::too_many_arguments)]
fn join(
    st: &mut State,
    req: &Request,
    m: &ConsumerGroupHeartbeatRequest,
    ctx: &Ctx,
    gid: &str,
    mut id: String,
    owned: Option<&BTreeSet<Tp>>,
    t: &Topics,
) -> Result<Beat, ErrorCode> {
    // v0: the coordinator names the member; v1 (KIP-1082): the client does.
    if id.is_empty() {
        if req.version >= 1 {
            return Err(ErrorCode::INVALID_REQUEST);
        }
        id = uuid::Uuid::from_u128(fastrand::u128(..)).simple().to_string();
    }
    let no_subscription = m.subscribed_topic_names.is_none() && m.subscribed_topic_regex.is_none();
    if m.rebalance_timeout_ms == -1 || no_subscription {
        return Err(ErrorCode::INVALID_REQUEST);
    }
    let g = st.cgroups.table.entry(gid.to_string()).or_default();
    let mut added = false;
    if let Some(inst) = m.instance_id.as_deref() {
        if let Some(other) = g.members.iter_mut().find(|x| x.instance_id.as_deref() == Some(inst)) {
            if other.id != id {
                if !other.left {
                    return Err(ErrorCode::UNRELEASED_INSTANCE_ID);
                }
                // The static member's new instance takes over its place and assignment.
                let old = std::mem::replace(&mut other.id, id.clone());
                if let Some(a) = g.target.remove(&old) {
                    g.target.insert(id.clone(), a);
                }
                if let Some(manual) = g.manual.as_mut() {
                    manual.iter_mut().filter(|e| e.0 == old).for_each(|e| e.0 = id.clone());
                }
            }
        }
    }
    if g.member(&id).is_none() {
        let mut mem = CMember::new(&id, ctx.now);
        mem.instance_id = m.instance_id.as_ref().map(|s| s.to_string());
        g.members.push(mem);
        added = true;
    }
    update(g, req, m, ctx, &id, added, owned, t)
}

/// Takes in what a heartbeat says (subscription, assignor, owned partitions), bumps
/// the group epoch if that changes the group, and reconciles the member.
#[allow(clippy::too_many_arguments)]
fn update(
    g: &mut CGroup,
    req: &Request,
    m: &ConsumerGroupHeartbeatRequest,
    ctx: &Ctx,
    id: &str,
    mut changed: bool,
    owned: Option<&BTreeSet<Tp>>,
    t: &Topics,
) -> Result<Beat, ErrorCode> {
    let mem = g.member_mut(id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    mem.left = false;
    mem.last_seen = ctx.now;
    mem.client_id = req.client_id.clone();
    if let Some(names) = &m.subscribed_topic_names {
        let names: Vec<String> = names.iter().map(|n| n.0.to_string()).collect();
        changed |= names != mem.names;
        mem.names = names;
    }
    if let Some(re) = m.subscribed_topic_regex.as_deref() {
        let re = (!re.is_empty()).then(|| re.to_string());
        changed |= re != mem.regex;
        mem.regex = re;
    }
    if let Some(a) = m.server_assignor.as_deref() {
        changed |= mem.assignor.as_deref() != Some(a);
        mem.assignor = Some(a.to_string());
    }
    if m.rack_id.is_some() {
        mem.rack = m.rack_id.as_ref().map(|s| s.to_string());
    }
    if m.rebalance_timeout_ms >= 0 {
        mem.rebalance_ms = m.rebalance_timeout_ms as u64;
    }
    let before = (mem.epoch, mem.assigned.clone());
    if changed {
        g.bump(t);
    } else {
        g.refresh(t);
    }
    g.reconcile(id, owned, ctx.now);
    let mem = g.member(id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    // Kafka sends the assignment to a joining member, when it changed, and when the
    // member reports owning something else.
    let send = m.member_epoch == 0
        || before != (mem.epoch, mem.assigned.clone())
        || owned.is_some_and(|o| *o != mem.assigned);
    Ok(Beat { id: id.to_string(), epoch: mem.epoch, assignment: send.then(|| mem.assigned.clone()) })
}

pub fn describe(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ConsumerGroupDescribeRequest = body(req)?;
    let mut r = ConsumerGroupDescribeResponse::default();
    let names: BTreeMap<[u8; 16], String> = st.topics.iter().map(|(n, t)| (t.id, n.clone())).collect();
    for gid in m.group_ids {
        let mut d =
            cgd::DescribedGroup::default().with_group_id(gid.clone()).with_authorized_operations(i32::MIN);
        let e = st.coordinator_check(0, &gid.0, ctx).err();
        match (e, st.cgroups.table.get(gid.0.as_str())) {
            (Some(e), _) => d.error_code = code(e),
            (None, None) => d.error_code = code(ErrorCode::GROUP_ID_NOT_FOUND),
            (None, Some(g)) => describe_group(g, &names, &mut d),
        }
        r.groups.push(d);
    }
    Ok(respond(req, &r))
}

fn describe_group(g: &CGroup, names: &BTreeMap<[u8; 16], String>, d: &mut cgd::DescribedGroup) {
    let assignment = |a: &BTreeSet<Tp>| {
        let mut by: BTreeMap<[u8; 16], Vec<i32>> = BTreeMap::new();
        for (t, p) in a {
            by.entry(*t).or_default().push(*p);
        }
        let tps = by.into_iter().map(|(t, ps)| {
            cgd::TopicPartitions::default()
                .with_topic_id(uuid::Uuid::from_bytes(t))
                .with_topic_name(TopicName(sb(names.get(&t).map_or("", |s| s.as_str()))))
                .with_partitions(ps)
        });
        cgd::Assignment::default().with_topic_partitions(tps.collect())
    };
    d.group_state = sb(g.state());
    d.group_epoch = g.epoch;
    d.assignment_epoch = g.assignment_epoch;
    d.assignor_name = sb(&g.assignor);
    for m in &g.members {
        let dm = cgd::Member::default()
            .with_member_id(sb(&m.id))
            .with_instance_id(m.instance_id.as_deref().map(sb))
            .with_rack_id(m.rack.as_deref().map(sb))
            .with_member_epoch(m.epoch)
            .with_client_id(sb(&m.client_id))
            .with_client_host(sb("/127.0.0.1"))
            .with_subscribed_topic_names(m.names.iter().map(|n| TopicName(sb(n))).collect())
            .with_subscribed_topic_regex(m.regex.as_deref().map(sb))
            .with_assignment(assignment(&m.assigned))
            .with_target_assignment(assignment(g.target.get(&m.id).unwrap_or(&BTreeSet::new())));
        d.members.push(dm);
    }
}

/// The consumer groups this broker coordinates, with their states (ListGroups).
pub fn listed(st: &State, broker: i32) -> Vec<(GroupId, &'static str)> {
    let mine = st.cgroups.table.iter().filter(|(gid, _)| st.coordinator(0, gid) == broker);
    mine.map(|(gid, g)| (GroupId(sb(gid)), g.state())).collect()
}
