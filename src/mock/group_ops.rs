//! The group coordinator's other requests: OffsetCommit and OffsetFetch (committed
//! offsets), DescribeGroups, ListGroups and DeleteGroups.

use super::groups::{Committed, Phase};
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::delete_groups_response::DeletableGroupResult;
use kafka_protocol::messages::describe_groups_response::{DescribedGroup, DescribedGroupMember};
use kafka_protocol::messages::list_groups_response::ListedGroup;
use kafka_protocol::messages::offset_commit_response::{
    OffsetCommitResponsePartition, OffsetCommitResponseTopic,
};
use kafka_protocol::messages::offset_fetch_response::{
    OffsetFetchResponseGroup, OffsetFetchResponsePartition, OffsetFetchResponsePartitions,
    OffsetFetchResponseTopic, OffsetFetchResponseTopics,
};
use kafka_protocol::messages::{
    DeleteGroupsRequest, DeleteGroupsResponse, DescribeGroupsRequest, DescribeGroupsResponse, GroupId,
    ListGroupsRequest, ListGroupsResponse, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest,
    OffsetFetchResponse, TopicName,
};
use std::collections::BTreeMap;

/// UNKNOWN_TOPIC_OR_PART unless the cluster has the partition.
fn partition_error(st: &State, topic: &str, p: i32) -> ErrorCode {
    let known = st.topics.get(topic).is_some_and(|t| p >= 0 && (p as usize) < t.parts.len());
    if known {
        ErrorCode::NO_ERROR
    } else {
        ErrorCode::UNKNOWN_TOPIC_OR_PART
    }
}

/// The group's verdict on a commit: a simple commit (generation -1) needs no group,
/// a group member's needs its member id and generation (Kafka's handleCommitOffsets).
fn commit_check(st: &mut State, m: &OffsetCommitRequest, version: i16, ctx: &Ctx) -> Result<(), ErrorCode> {
    st.coordinator_check(0, &m.group_id.0, ctx)?;
    let generation = m.generation_id_or_member_epoch;
    if let Some(v) = st.cgroups.check_commit(&m.group_id.0, &m.member_id, generation, version) {
        return v;
    }
    match st.groups.table.get_mut(m.group_id.0.as_str()) {
        None if generation < 0 => Ok(()),
        None => Err(ErrorCode::ILLEGAL_GENERATION),
        Some(g) => g.check_commit(&m.member_id, m.group_instance_id.as_deref(), generation, ctx.now),
    }
}

pub fn offset_commit(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: OffsetCommitRequest = body(req)?;
    let verdict = commit_check(st, &m, req.version, ctx);
    let gid = m.group_id.0.to_string();
    let mut r = OffsetCommitResponse::default();
    for t in m.topics {
        let name = t.name.0.to_string();
        let mut tr = OffsetCommitResponseTopic::default().with_name(t.name);
        for p in t.partitions {
            let epoch = if req.version >= 6 { p.committed_leader_epoch } else { -1 };
            let e = match verdict {
                Err(e) => e,
                Ok(()) => partition_error(st, &name, p.partition_index),
            };
            // As librdkafka's mock: an epoch newer than the partition's is refused.
            let e = match st.partition_mut(&name, p.partition_index) {
                Ok(part) if !e.is_error() && epoch > part.leader_epoch => ErrorCode::UNKNOWN_LEADER_EPOCH,
                _ => e,
            };
            if !e.is_error() {
                let c = Committed {
                    offset: p.committed_offset,
                    leader_epoch: epoch,
                    metadata: p.committed_metadata.map(|s| s.to_string()),
                };
                st.groups.commit(&gid, &name, p.partition_index, c);
            }
            let pr = OffsetCommitResponsePartition::default()
                .with_partition_index(p.partition_index)
                .with_error_code(code(e));
            tr.partitions.push(pr);
        }
        r.topics.push(tr);
    }
    Ok(respond(req, &r))
}

pub fn offset_fetch(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: OffsetFetchRequest = body(req)?;
    let mut r = OffsetFetchResponse::default();
    if req.version >= 8 {
        // v8+ batches groups; v9 names the member (KIP-848) for its epoch check.
        for g in m.groups {
            let gid = g.group_id.0.to_string();
            let member = g.member_id.as_deref().filter(|_| req.version >= 9);
            let check = st.cgroups.check_fetch(&gid, member, g.member_epoch).err();
            let wanted = g.topics.map(|ts| ts.into_iter().map(|t| (t.name, t.partition_indexes)).collect());
            let (err, topics) = fetch_group(st, req, ctx, &gid, wanted, m.require_stable, check);
            let mut gr =
                OffsetFetchResponseGroup::default().with_group_id(g.group_id).with_error_code(code(err));
            for (name, parts) in topics {
                let ps = parts.into_iter().map(|p| {
                    OffsetFetchResponsePartitions::default()
                        .with_partition_index(p.partition_index)
                        .with_committed_offset(p.committed_offset)
                        .with_committed_leader_epoch(p.committed_leader_epoch)
                        .with_metadata(p.metadata)
                        .with_error_code(p.error_code)
                });
                gr.topics
                    .push(OffsetFetchResponseTopics::default().with_name(name).with_partitions(ps.collect()));
            }
            r.groups.push(gr);
        }
        return Ok(respond(req, &r));
    }
    let gid = m.group_id.0.to_string();
    let wanted = m.topics.map(|ts| ts.into_iter().map(|t| (t.name, t.partition_indexes)).collect());
    let (err, topics) = fetch_group(st, req, ctx, &gid, wanted, m.require_stable, None);
    for (name, parts) in topics {
        r.topics.push(OffsetFetchResponseTopic::default().with_name(name).with_partitions(parts));
    }
    // v1 has no top-level error: its partitions carry it.
    if req.version >= 2 {
        r.error_code = code(err);
    }
    Ok(respond(req, &r))
}

/// One group's committed offsets: its error and each wanted partition's answer (no
/// topic list: every partition the group committed, v2+).
fn fetch_group(
    st: &mut State,
    req: &Request,
    ctx: &Ctx,
    gid: &str,
    wanted: Option<Vec<(TopicName, Vec<i32>)>>,
    require_stable: bool,
    check: Option<ErrorCode>,
) -> (ErrorCode, Vec<(TopicName, Vec<OffsetFetchResponsePartition>)>) {
    let err = st.coordinator_check(0, gid, ctx).err().or(check);
    let wanted = match wanted {
        Some(w) => w,
        None if err.is_some() => Vec::new(),
        None => committed_partitions(st, gid),
    };
    let mut out = Vec::new();
    for (name, parts) in wanted {
        let mut ps = Vec::new();
        for p in parts {
            // KIP-447: offsets an open transaction will commit are not stable yet.
            let unstable = require_stable && st.txns.pending_offsets(gid, &name.0, p);
            let err = err.or(unstable.then_some(ErrorCode::UNSTABLE_OFFSET_COMMIT));
            let c = if err.is_some() { None } else { st.groups.committed(gid, &name.0, p) };
            let pr = OffsetFetchResponsePartition::default()
                .with_partition_index(p)
                .with_committed_offset(c.map_or(-1, |c| c.offset))
                .with_committed_leader_epoch(c.filter(|_| req.version >= 5).map_or(-1, |c| c.leader_epoch))
                .with_metadata(Some(sb(c.and_then(|c| c.metadata.as_deref()).unwrap_or(""))))
                .with_error_code(code(err.unwrap_or(ErrorCode::NO_ERROR)));
            ps.push(pr);
        }
        out.push((name, ps));
    }
    (err.unwrap_or(ErrorCode::NO_ERROR), out)
}

/// Every partition the group committed, by topic.
fn committed_partitions(st: &State, gid: &str) -> Vec<(TopicName, Vec<i32>)> {
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (t, p) in st.groups.offsets.get(gid).into_iter().flat_map(|o| o.keys()) {
        by_topic.entry(t).or_default().push(*p);
    }
    by_topic.into_iter().map(|(t, ps)| (TopicName(sb(t)), ps)).collect()
}

/// A group's state and protocol type; one known only by its offsets is Empty.
fn summary(st: &State, gid: &str) -> Option<(Phase, String)> {
    match st.groups.table.get(gid) {
        Some(g) => Some((g.phase, g.protocol_type.clone().unwrap_or_default())),
        None => st.groups.offsets.contains_key(gid).then(|| (Phase::Empty, String::new())),
    }
}

pub fn describe_groups(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: DescribeGroupsRequest = body(req)?;
    let mut r = DescribeGroupsResponse::default();
    for gid in m.groups {
        let mut d = DescribedGroup::default().with_group_id(gid.clone());
        match st.coordinator_check(0, &gid.0, ctx) {
            Err(e) => d.error_code = code(e),
            // As Kafka: DescribeGroups is for classic groups only.
            Ok(()) if st.cgroups.table.contains_key(gid.0.as_str()) => {
                d.error_code = code(ErrorCode::GROUP_ID_NOT_FOUND);
                if req.version >= 6 {
                    d.error_message = Some(sb(&format!("Group {} is not a classic group.", gid.0)));
                }
            }
            Ok(()) => describe(st, &gid.0, &mut d),
        }
        r.groups.push(d);
    }
    Ok(respond(req, &r))
}

/// Kafka's GroupMetadata.summary: metadata and assignments only once Stable.
fn describe(st: &State, gid: &str, d: &mut DescribedGroup) {
    let Some((phase, ptype)) = summary(st, gid) else {
        d.group_state = sb(Phase::Dead.name());
        return;
    };
    d.group_state = sb(phase.name());
    d.protocol_type = sb(&ptype);
    let Some(g) = st.groups.table.get(gid) else { return };
    let stable = phase == Phase::Stable;
    let protocol = g.protocol.clone().unwrap_or_default();
    if stable {
        d.protocol_data = sb(&protocol);
    }
    for mem in &g.members {
        let mut dm = DescribedGroupMember::default()
            .with_member_id(sb(&mem.id))
            .with_group_instance_id(mem.instance_id.as_deref().map(sb))
            .with_client_id(sb(&mem.client_id))
            .with_client_host(sb("/127.0.0.1"));
        if stable {
            dm.member_metadata = mem.metadata(&protocol);
            dm.member_assignment = mem.assignment.clone();
        }
        d.members.push(dm);
    }
}

pub fn list_groups(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ListGroupsRequest = body(req)?;
    let mut r = ListGroupsResponse::default();
    if ctx.injected.is_error() {
        r.error_code = code(ctx.injected);
        return Ok(respond(req, &r));
    }
    let mut ids: Vec<&String> = st.groups.table.keys().chain(st.groups.offsets.keys()).collect();
    ids.sort();
    ids.dedup();
    for gid in ids {
        if st.coordinator(0, gid) != ctx.broker {
            continue;
        }
        if st.cgroups.table.contains_key(gid.as_str()) {
            continue;
        }
        let Some((phase, ptype)) = summary(st, gid) else { continue };
        if listed_ok(&m, phase.name(), "classic") {
            let lg = ListedGroup::default()
                .with_group_id(GroupId(sb(gid)))
                .with_protocol_type(sb(&ptype))
                .with_group_state(sb(phase.name()))
                .with_group_type(sb(if req.version >= 5 { "classic" } else { "" }));
            r.groups.push(lg);
        }
    }
    // KIP-848 and KIP-932 groups: protocol type "consumer" or "share", their own
    // states, and the type (v5, KIP-1043).
    let consumer = super::cgroup_ops::listed(st, ctx.broker).into_iter().map(|(g, s)| (g, s, "consumer"));
    let share = super::share_ops::listed(st, ctx.broker).into_iter().map(|(g, s)| (g, s, "share"));
    for (gid, state, kind) in consumer.chain(share) {
        if listed_ok(&m, state, kind) {
            let lg = ListedGroup::default()
                .with_group_id(gid)
                .with_protocol_type(sb(kind))
                .with_group_state(sb(state))
                .with_group_type(sb(if req.version >= 5 { kind } else { "" }));
            r.groups.push(lg);
        }
    }
    Ok(respond(req, &r))
}

/// ListGroups' state and (v5) type filters.
fn listed_ok(m: &ListGroupsRequest, state: &str, kind: &str) -> bool {
    (m.states_filter.is_empty() || m.states_filter.iter().any(|s| s.eq_ignore_ascii_case(state)))
        && (m.types_filter.is_empty() || m.types_filter.iter().any(|t| t.eq_ignore_ascii_case(kind)))
}

pub fn delete_groups(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: DeleteGroupsRequest = body(req)?;
    let mut r = DeleteGroupsResponse::default();
    for gid in m.groups_names {
        let e = st.coordinator_check(0, &gid.0, ctx).err().unwrap_or_else(|| delete(st, &gid.0));
        r.results.push(DeletableGroupResult::default().with_group_id(gid).with_error_code(code(e)));
    }
    Ok(respond(req, &r))
}

/// Deletes an empty group and its offsets.
fn delete(st: &mut State, gid: &str) -> ErrorCode {
    if st.groups.table.get(gid).is_some_and(|g| !g.members.is_empty()) {
        return ErrorCode::NON_EMPTY_GROUP;
    }
    if st.cgroups.active(gid) || st.shares.active(gid) {
        return ErrorCode::NON_EMPTY_GROUP;
    }
    let had_group = st.groups.table.remove(gid).is_some()
        | st.cgroups.table.remove(gid).is_some()
        | st.shares.delete(gid);
    let had_offsets = st.groups.offsets.remove(gid).is_some();
    if had_group || had_offsets {
        ErrorCode::NO_ERROR
    } else {
        ErrorCode::GROUP_ID_NOT_FOUND
    }
}
