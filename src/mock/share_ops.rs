//! KIP-932's group requests on the wire: ShareGroupHeartbeat (join, heartbeat,
//! leave) and ShareGroupDescribe. The group model is in share_groups.rs.

use super::cgroup_assign::{Topics, Tp};
use super::cgroup_ops::topics;
use super::reply::{body, respond, Ctx, Outcome};
use super::share_groups::{SGroup, SMember};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::share_group_describe_response as sgd;
use kafka_protocol::messages::share_group_heartbeat_response::{Assignment, TopicPartitions};
use kafka_protocol::messages::{
    GroupId, ShareGroupDescribeRequest, ShareGroupDescribeResponse, ShareGroupHeartbeatRequest,
    ShareGroupHeartbeatResponse, TopicName,
};
use std::collections::{BTreeMap, BTreeSet};

pub fn heartbeat(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ShareGroupHeartbeatRequest = body(req)?;
    let mut r = ShareGroupHeartbeatResponse::default()
        .with_member_epoch(m.member_epoch)
        .with_heartbeat_interval_ms(st.shares.conf.heartbeat_ms);
    match beat(st, req, &m, ctx) {
        Ok((epoch, assignment)) => {
            r.member_id = Some(m.member_id.clone());
            r.member_epoch = epoch;
            r.assignment = assignment.map(|a| Assignment::default().with_topic_partitions(by_topic(&a)));
        }
        Err(e) => {
            r.error_code = code(e);
            r.error_message = Some(sb(&e.name()));
        }
    }
    st.changed();
    Ok(respond(req, &r))
}

/// Partitions grouped by topic id, as the heartbeat response carries them.
fn by_topic(a: &BTreeSet<Tp>) -> Vec<TopicPartitions> {
    let mut map: BTreeMap<[u8; 16], Vec<i32>> = BTreeMap::new();
    for (t, p) in a {
        map.entry(*t).or_default().push(*p);
    }
    let tps = map.into_iter();
    tps.map(|(t, ps)| TopicPartitions::default().with_topic_id(uuid::Uuid::from_bytes(t)).with_partitions(ps))
        .collect()
}

/// The member's epoch and, when it is to be sent, its assignment.
type Beat = (i32, Option<BTreeSet<Tp>>);

fn beat(st: &mut State, req: &Request, m: &ShareGroupHeartbeatRequest, ctx: &Ctx) -> Result<Beat, ErrorCode> {
    let gid = m.group_id.0.to_string();
    let id = m.member_id.to_string();
    st.coordinator_check(0, &gid, ctx)?;
    // v1 (KIP-1082): the member names itself.
    if gid.is_empty() || id.is_empty() {
        return Err(ErrorCode::INVALID_REQUEST);
    }
    // One group id is one kind of group.
    let classic = st.groups.table.get(&gid).is_some_and(|g| !g.members.is_empty());
    if classic || st.cgroups.active(&gid) {
        return Err(ErrorCode::GROUP_ID_NOT_FOUND);
    }
    let t = topics(st);
    let sh = &mut st.shares;
    if m.member_epoch == -1 {
        let known = sh.table.get(&gid).is_some_and(|g| g.members.iter().any(|x| x.id == id));
        if !known {
            return Err(ErrorCode::UNKNOWN_MEMBER_ID);
        }
        sh.remove(&gid, &id, &t);
        return Ok((-1, None));
    }
    let g = match m.member_epoch {
        0 => join(sh.table.entry(gid.clone()).or_default(), m, sh.conf.max_size, ctx)?,
        e if e > 0 => {
            let g = sh.table.get_mut(&gid).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
            g.check_epoch(&id, e)?;
            g
        }
        _ => return Err(ErrorCode::INVALID_REQUEST),
    };
    update(g, req, m, ctx, &t)?;
    sh.refresh(&gid, &t);
    let g = sh.table.get_mut(&gid).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    let mem = g.member_mut(&id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    // The assignment goes to a joining member, one whose assignment changed since
    // it was last sent, and one restating its subscription.
    let send =
        m.member_epoch == 0 || m.subscribed_topic_names.is_some() || mem.sent.as_ref() != Some(&mem.assigned);
    if send {
        mem.sent = Some(mem.assigned.clone());
    }
    Ok((mem.epoch, send.then(|| mem.assigned.clone())))
}

fn join<'g>(
    g: &'g mut SGroup,
    m: &ShareGroupHeartbeatRequest,
    max_size: i32,
    ctx: &Ctx,
) -> Result<&'g mut SGroup, ErrorCode> {
    if m.subscribed_topic_names.as_ref().is_none_or(|n| n.is_empty()) {
        return Err(ErrorCode::INVALID_REQUEST);
    }
    let id = m.member_id.to_string();
    if g.member_mut(&id).is_none() {
        if max_size > 0 && g.members.len() >= max_size as usize {
            return Err(ErrorCode::GROUP_MAX_SIZE_REACHED);
        }
        g.members.push(SMember {
            id,
            epoch: 0,
            prev_epoch: 0,
            rack: None,
            client_id: String::new(),
            names: Vec::new(),
            assigned: BTreeSet::new(),
            sent: None,
            last_seen: ctx.now,
        });
    }
    Ok(g)
}

/// Takes in what the heartbeat says; a new member or subscription bumps the epoch.
fn update(
    g: &mut SGroup,
    req: &Request,
    m: &ShareGroupHeartbeatRequest,
    ctx: &Ctx,
    t: &Topics,
) -> Result<(), ErrorCode> {
    let mem = g.member_mut(&m.member_id).ok_or(ErrorCode::UNKNOWN_MEMBER_ID)?;
    let mut changed = mem.epoch == 0;
    mem.last_seen = ctx.now;
    mem.client_id = req.client_id.clone();
    if m.rack_id.is_some() {
        mem.rack = m.rack_id.as_ref().map(|s| s.to_string());
    }
    if let Some(names) = &m.subscribed_topic_names {
        let names: Vec<String> = names.iter().map(|n| n.0.to_string()).collect();
        changed |= names != mem.names;
        mem.names = names;
    }
    if changed {
        g.bump(t);
    }
    Ok(())
}

pub fn describe(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ShareGroupDescribeRequest = body(req)?;
    let mut r = ShareGroupDescribeResponse::default();
    let names: BTreeMap<[u8; 16], String> = st.topics.iter().map(|(n, t)| (t.id, n.clone())).collect();
    for gid in m.group_ids {
        let mut d =
            sgd::DescribedGroup::default().with_group_id(gid.clone()).with_authorized_operations(i32::MIN);
        match (st.coordinator_check(0, &gid.0, ctx).err(), st.shares.table.get(gid.0.as_str())) {
            (Some(e), _) => d.error_code = code(e),
            (None, None) => d.error_code = code(ErrorCode::GROUP_ID_NOT_FOUND),
            (None, Some(g)) => describe_group(g, &names, &mut d),
        }
        r.groups.push(d);
    }
    Ok(respond(req, &r))
}

fn describe_group(g: &SGroup, names: &BTreeMap<[u8; 16], String>, d: &mut sgd::DescribedGroup) {
    d.group_state = sb(g.state());
    d.group_epoch = g.epoch;
    d.assignment_epoch = g.epoch;
    d.assignor_name = sb("simple");
    for m in &g.members {
        let mut by: BTreeMap<[u8; 16], Vec<i32>> = BTreeMap::new();
        for (t, p) in &m.assigned {
            by.entry(*t).or_default().push(*p);
        }
        let tps = by.into_iter().map(|(t, ps)| {
            sgd::TopicPartitions::default()
                .with_topic_id(uuid::Uuid::from_bytes(t))
                .with_topic_name(TopicName(sb(names.get(&t).map_or("", |s| s.as_str()))))
                .with_partitions(ps)
        });
        let dm = sgd::Member::default()
            .with_member_id(sb(&m.id))
            .with_rack_id(m.rack.as_deref().map(sb))
            .with_member_epoch(m.epoch)
            .with_client_id(sb(&m.client_id))
            .with_client_host(sb("/127.0.0.1"))
            .with_subscribed_topic_names(m.names.iter().map(|n| TopicName(sb(n))).collect())
            .with_assignment(sgd::Assignment::default().with_topic_partitions(tps.collect()));
        d.members.push(dm);
    }
}

/// The share groups this broker coordinates, with their states (ListGroups).
pub fn listed(st: &State, broker: i32) -> Vec<(GroupId, &'static str)> {
    let mine = st.shares.table.iter().filter(|(gid, _)| st.coordinator(0, gid) == broker);
    mine.map(|(gid, g)| (GroupId(sb(gid)), g.state())).collect()
}
