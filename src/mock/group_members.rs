//! The member requests of the classic group protocol on the wire: JoinGroup and
//! SyncGroup (parked until the rebalance or the leader answers them), Heartbeat and
//! LeaveGroup. The state machine they drive is in groups.rs.

use super::groups::{ms, Group};
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::leave_group_response::MemberResponse;
use kafka_protocol::messages::{
    HeartbeatRequest, HeartbeatResponse, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest,
    LeaveGroupResponse, SyncGroupRequest, SyncGroupResponse,
};
use kafka_protocol::protocol::StrBytes;
use std::time::Instant;

fn join_error(req: &Request, e: ErrorCode, member_id: &str) -> Outcome {
    let r = JoinGroupResponse::default()
        .with_error_code(code(e))
        .with_generation_id(-1)
        // Before v7 the protocol name is not nullable.
        .with_protocol_name((req.version < 7).then(StrBytes::default))
        .with_member_id(sb(member_id));
    respond(req, &r)
}

pub fn join_group(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: JoinGroupRequest = body(req)?;
    let gid = m.group_id.0.to_string();
    if let Err(e) = st.coordinator_check(0, &gid, ctx) {
        return Ok(join_error(req, e, &m.member_id));
    }
    // A KIP-848 or share group with members keeps its id; an empty one becomes classic.
    if st.cgroups.active(&gid) || st.shares.active(&gid) {
        return Ok(join_error(req, ErrorCode::INCONSISTENT_GROUP_PROTOCOL, &m.member_id));
    }
    st.cgroups.table.remove(&gid);
    if ctx.first {
        let delay_ms = st.groups.initial_delay_ms;
        let g = st.groups.table.entry(gid.clone()).or_insert_with(Group::new);
        let before = g.stamp();
        let joined = g.join(&m, req, ctx, delay_ms);
        g.try_complete(ctx.now);
        let after = g.stamp();
        if after != before {
            st.changed();
        }
        if let Err((e, id)) = joined {
            return Ok(join_error(req, e, &id));
        }
    }
    join_wait(st, req, ctx, &gid, &m.member_id)
}

/// Answers a registered join once its response is ready, else parks it.
fn join_wait(st: &mut State, req: &Request, ctx: &Ctx, gid: &str, id: &str) -> Result<Outcome, Outcome> {
    let g = st.groups.table.get_mut(gid);
    let wait = g.as_ref().map_or(0, |g| g.members.iter().map(|m| m.rebalance_ms).max().unwrap_or(0));
    let mem = g.and_then(|g| {
        g.members.iter_mut().find(|m| if id.is_empty() { m.join_conn == Some(ctx.conn) } else { m.id == id })
    });
    let Some(mem) = mem else { return Ok(join_error(req, ErrorCode::UNKNOWN_MEMBER_ID, id)) };
    if let Some(mut r) = mem.answer.take() {
        mem.join_conn = None;
        // The answer was made for any version: drop what this one lacks.
        if req.version < 7 {
            r.protocol_type = None;
        }
        if req.version < 5 {
            r.members.iter_mut().for_each(|m| m.group_instance_id = None);
        }
        return Ok(respond(req, &r));
    }
    if ctx.expired {
        let id = mem.id.clone();
        return Ok(join_error(req, ErrorCode::REBALANCE_IN_PROGRESS, &id));
    }
    Err(Outcome::Park(ctx.now + ms(wait + 1000)))
}

pub fn sync_group(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: SyncGroupRequest = body(req)?;
    let gid = m.group_id.0.to_string();
    let res = match st.coordinator_check(0, &gid, ctx) {
        Err(e) => Err(e),
        Ok(()) => match st.groups.table.get_mut(&gid) {
            None => Err(ErrorCode::UNKNOWN_MEMBER_ID),
            Some(g) => {
                let before = g.stamp();
                let res = g.sync(&m, ctx.now);
                let changed = g.stamp() != before;
                let wait = g.member(&m.member_id).map_or(0, |m| m.rebalance_ms);
                if changed {
                    st.changed();
                }
                match res {
                    Ok(None) if ctx.expired => Err(ErrorCode::REBALANCE_IN_PROGRESS),
                    Ok(None) => return Err(Outcome::Park(ctx.now + ms(wait))),
                    Ok(Some(a)) => Ok(a),
                    Err(e) => Err(e),
                }
            }
        },
    };
    let mut r = SyncGroupResponse::default();
    match res {
        Ok(a) => {
            r.assignment = a;
            if let Some(g) = st.groups.table.get(&gid).filter(|_| req.version >= 5) {
                r.protocol_type = g.protocol_type.as_deref().map(sb);
                r.protocol_name = g.protocol.as_deref().map(sb);
            }
        }
        Err(e) => r.error_code = code(e),
    }
    Ok(respond(req, &r))
}

pub fn heartbeat(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: HeartbeatRequest = body(req)?;
    let gid = m.group_id.0.to_string();
    let e = match st.coordinator_check(0, &gid, ctx) {
        Err(e) => e,
        Ok(()) => {
            st.groups.table.get_mut(&gid).map_or(ErrorCode::UNKNOWN_MEMBER_ID, |g| g.heartbeat(&m, ctx.now))
        }
    };
    Ok(respond(req, &HeartbeatResponse::default().with_error_code(code(e))))
}

pub fn leave_group(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: LeaveGroupRequest = body(req)?;
    let gid = m.group_id.0.to_string();
    // v0-2 name one member; v3+ (KIP-345) a batch, static ones by instance id.
    let leaving: Vec<(String, Option<String>)> = if req.version < 3 {
        vec![(m.member_id.to_string(), None)]
    } else {
        m.members
            .iter()
            .map(|x| (x.member_id.to_string(), x.group_instance_id.as_ref().map(|s| s.to_string())))
            .collect()
    };
    let mut r = LeaveGroupResponse::default();
    let errors: Vec<ErrorCode> = match st.coordinator_check(0, &gid, ctx) {
        Err(e) => {
            r.error_code = code(e);
            vec![e; leaving.len()]
        }
        Ok(()) => leave_members(st, &gid, &leaving, ctx.now),
    };
    if req.version < 3 {
        r.error_code = errors.first().map_or(r.error_code, |&e| code(e));
    } else if r.error_code == 0 {
        for ((id, instance), e) in leaving.iter().zip(errors) {
            let mr = MemberResponse::default()
                .with_member_id(sb(id))
                .with_group_instance_id(instance.as_deref().map(sb))
                .with_error_code(code(e));
            r.members.push(mr);
        }
    }
    Ok(respond(req, &r))
}

fn leave_members(
    st: &mut State,
    gid: &str,
    leaving: &[(String, Option<String>)],
    now: Instant,
) -> Vec<ErrorCode> {
    let delay_ms = st.groups.initial_delay_ms;
    let Some(g) = st.groups.table.get_mut(gid) else {
        return vec![ErrorCode::UNKNOWN_MEMBER_ID; leaving.len()];
    };
    let before = g.stamp();
    let errors =
        leaving.iter().map(|(id, instance)| g.leave(id, instance.as_deref(), now, delay_ms)).collect();
    if g.stamp() != before {
        st.changed();
    }
    errors
}
