//! DescribeConsumerGroups for one group, as librdkafka 2.16 does it: ConsumerGroupDescribe
//! (KIP-848) first, and DescribeGroups when the broker lacks it or the group is not a
//! KIP-848 group.

use super::coordinator::{node_of, on_coordinator, state_code};
use crate::admin::engine::Ctx;
use crate::admin::result::{authorized_ops, GroupDescription, MemberDescription, PartitionResult};
use crate::error::{ErrorCode, KafkaError};
use crate::protocol::consumer_protocol::decode_assignment;
use kafka_protocol::messages::consumer_group_describe_response::Assignment;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

/// GROUP_ID_NOT_FOUND and UNSUPPORTED_VERSION: ask with DescribeGroups instead.
const GROUP_ID_NOT_FOUND: i16 = 69;
const UNSUPPORTED_VERSION: i16 = 35;

/// RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER / _CLASSIC.
const TYPE_CONSUMER: i32 = 1;
const TYPE_CLASSIC: i32 = 2;

fn failed(group: &str, err: KafkaError) -> GroupDescription {
    GroupDescription {
        group_id: group.to_string(),
        err: Some(err),
        simple: false,
        partition_assignor: None,
        state: 0,
        group_type: 0,
        coordinator: None,
        members: Vec::new(),
        authorized_ops: None,
    }
}

/// The states librdkafka names; KIP-848's own (Assigning, Reconciling) read as UNKNOWN.
fn classic_state(name: &str) -> i32 {
    match state_code(name) {
        s if s <= 5 => s,
        _ => 0,
    }
}

pub fn describe_one(ctx: &Ctx, group: &str) -> GroupDescription {
    match consumer_protocol(ctx, group) {
        Some(d) => d,
        None => classic(ctx, group),
    }
}

fn partitions(a: &Assignment) -> Vec<PartitionResult> {
    a.topic_partitions
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| PartitionResult::new(&t.topic_name.0, *p, -1001)))
        .collect()
}

/// ConsumerGroupDescribe; None when DescribeGroups must answer instead.
fn consumer_protocol(ctx: &Ctx, group: &str) -> Option<GroupDescription> {
    let auth = ctx.opts.include_authorized_operations();
    let g = group.to_string();
    let res = on_coordinator(
        ctx,
        group,
        ApiKey::ConsumerGroupDescribe,
        0,
        0,
        move |_| {
            let mut r = ConsumerGroupDescribeRequest::default();
            r.group_ids = vec![GroupId(StrBytes::from_string(g.clone()))];
            r.include_authorized_operations = auth;
            r
        },
        |r: &ConsumerGroupDescribeResponse| r.groups.first().map_or(0, |g| g.error_code),
    );
    let (_, r, b) = match res {
        Ok(x) => x,
        Err(e) if e.code == ErrorCode::_UNSUPPORTED_FEATURE => return None,
        Err(e) => return Some(failed(group, KafkaError::new(e.code, ""))),
    };
    let Some(d) = r.groups.into_iter().find(|d| d.group_id.0.as_str() == group) else {
        return Some(failed(group, KafkaError::new(ErrorCode::_BAD_MSG, "group missing from response")));
    };
    if d.error_code == GROUP_ID_NOT_FOUND || d.error_code == UNSUPPORTED_VERSION {
        return None;
    }
    if d.error_code != 0 {
        let msg = d.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
        return Some(failed(
            group,
            KafkaError::new(ErrorCode(d.error_code as i32), format!("ConsumerGroupDescribe: {msg}")),
        ));
    }
    let members = d
        .members
        .iter()
        .map(|m| MemberDescription {
            client_id: m.client_id.to_string(),
            group_instance_id: m.instance_id.as_ref().map(|x| x.to_string()),
            member_id: m.member_id.to_string(),
            host: m.client_host.to_string(),
            assignment: partitions(&m.assignment),
            target_assignment: Some(partitions(&m.target_assignment)),
        })
        .collect();
    Some(GroupDescription {
        group_id: group.to_string(),
        err: None,
        simple: false,
        partition_assignor: Some(d.assignor_name.to_string()),
        state: classic_state(&d.group_state),
        group_type: TYPE_CONSUMER,
        coordinator: Some(node_of(&b)),
        members,
        authorized_ops: if auth { authorized_ops(d.authorized_operations) } else { None },
    })
}

/// DescribeGroups: the classic protocol's view.
fn classic(ctx: &Ctx, group: &str) -> GroupDescription {
    let auth = ctx.opts.include_authorized_operations();
    let g = group.to_string();
    let res = on_coordinator(
        ctx,
        group,
        ApiKey::DescribeGroups,
        0,
        5,
        move |_| {
            let mut r = DescribeGroupsRequest::default();
            r.groups = vec![GroupId(StrBytes::from_string(g.clone()))];
            r.include_authorized_operations = auth;
            r
        },
        |r: &DescribeGroupsResponse| r.groups.first().map_or(0, |g| g.error_code),
    );
    let (ver, r, b) = match res {
        Ok(x) => x,
        // A group whose request failed carries the code only, as in librdkafka.
        Err(e) => return failed(group, KafkaError::new(e.code, "")),
    };
    let Some(d) = r.groups.into_iter().find(|d| d.group_id.0.as_str() == group) else {
        return failed(group, KafkaError::new(ErrorCode::_BAD_MSG, "group missing from response"));
    };
    if d.error_code != 0 {
        let code = ErrorCode(d.error_code as i32);
        return failed(
            group,
            KafkaError::new(code, format!("DescribeConsumerGroups: {}", code.description())),
        );
    }
    let protocol_type = d.protocol_type.to_string();
    if !(protocol_type.is_empty() || protocol_type == "consumer") {
        return failed(
            group,
            KafkaError::new(
                ErrorCode::_INVALID_ARG,
                format!("GroupId {group} is not a consumer group ({protocol_type})."),
            ),
        );
    }
    let members = d
        .members
        .iter()
        .map(|m| MemberDescription {
            client_id: m.client_id.to_string(),
            group_instance_id: m.group_instance_id.as_ref().map(|x| x.to_string()),
            member_id: m.member_id.to_string(),
            host: m.client_host.to_string(),
            assignment: decode_assignment(&m.member_assignment)
                .map(|a| {
                    a.partitions
                        .iter()
                        .flat_map(|(t, ps)| ps.iter().map(move |p| PartitionResult::new(t, *p, -1001)))
                        .collect()
                })
                .unwrap_or_default(),
            target_assignment: None,
        })
        .collect();
    GroupDescription {
        group_id: group.to_string(),
        err: None,
        simple: protocol_type.is_empty(),
        partition_assignor: Some(d.protocol_data.to_string()),
        state: classic_state(&d.group_state),
        group_type: TYPE_CLASSIC,
        coordinator: Some(node_of(&b)),
        members,
        authorized_ops: if auth && ver >= 3 { authorized_ops(d.authorized_operations) } else { None },
    }
}
