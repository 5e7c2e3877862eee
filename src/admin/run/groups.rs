//! Consumer groups: ListConsumerGroups (every broker), DescribeConsumerGroups and
//! DeleteGroups (each group's coordinator), and the committed offsets of one group
//! (List/Alter/DeleteConsumerGroupOffsets, on its coordinator).

use super::by_topic;
use super::coordinator::{on_coordinator, state_code, STATE_NAMES};
use crate::admin::engine::{broker_error, retriable_coordinator, Ctx};
use crate::admin::groups::{AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, ListConsumerGroupOffsets};

use crate::admin::result::{GroupDescription, GroupListing, GroupListings, GroupResult, PartitionResult};
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_delete_request::{
    OffsetDeleteRequestPartition, OffsetDeleteRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::{
    OffsetFetchRequestGroup, OffsetFetchRequestTopic, OffsetFetchRequestTopics,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

/// RD_KAFKA_CONSUMER_GROUP_TYPE_* of a type as brokers name it.
fn type_code(name: &str) -> i32 {
    match name.to_ascii_lowercase().as_str() {
        "consumer" => 1,
        "classic" => 2,
        _ => 0,
    }
}

pub fn list_groups(ctx: &Ctx) -> Result<GroupListings, KafkaError> {
    // Every broker answers for the groups it coordinates: learn them all first. Without
    // any, the answer is no groups and the error (librdkafka's event is a success).
    let ids: Vec<i32> = match ctx.opts.broker() {
        // The broker set in the options is the only one asked.
        Some(id) => vec![id],
        None => match ctx.metadata(Some(Vec::new()), false) {
            Ok(md) => md.brokers.iter().map(|b| b.node_id.0).collect(),
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                return Ok(GroupListings { valid: Vec::new(), errors: vec![KafkaError::new(e.code, "")] })
            }
        },
    };
    let states: Vec<String> =
        ctx.opts.match_consumer_group_states().iter().map(|s| STATE_NAMES[*s as usize].to_string()).collect();
    let types: Vec<String> = ctx
        .opts
        .match_consumer_group_types()
        .iter()
        .map(|t| ["Unknown", "Consumer", "Classic"][*t as usize].to_string())
        .collect();
    let mut out = GroupListings::default();
    for id in ids {
        let b = match ctx.broker(id) {
            Ok(b) => b,
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                out.errors.push(KafkaError::new(e.code, ""));
                continue;
            }
        };
        let (st, ty) = (states.clone(), types.clone());
        let res: Result<(i16, ListGroupsResponse), KafkaError> =
            ctx.call(&b, ApiKey::ListGroups, 0, 5, move |_| {
                let mut r = ListGroupsRequest::default();
                r.states_filter = st.iter().map(|x| s(x)).collect();
                r.types_filter = ty.iter().map(|x| s(x)).collect();
                r
            });
        match res {
            Ok((ver, r)) => {
                if r.error_code != 0 {
                    let code = ErrorCode(r.error_code as i32);
                    out.errors.push(KafkaError::new(
                        code,
                        format!("Broker [{id}] ListConsumerGroups: {}", code.description()),
                    ));
                }
                for g in r.groups {
                    // Only consumer groups: "connect" and other protocols are not listed.
                    if !(g.protocol_type.is_empty() || g.protocol_type.as_str() == "consumer") {
                        continue;
                    }
                    let state = if ver >= 4 { state_code(&g.group_state) } else { 0 };
                    let protocol_type = g.protocol_type.to_string();
                    let group_type = if ver >= 5 {
                        type_code(&g.group_type)
                    } else if protocol_type == "consumer" || protocol_type.is_empty() {
                        2
                    } else {
                        0
                    };
                    out.valid.push(GroupListing {
                        group_id: g.group_id.0.to_string(),
                        simple: protocol_type.is_empty(),
                        state,
                        group_type,
                    });
                }
            }
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => out.errors.push(KafkaError::new(e.code, "")),
        }
    }
    out.valid.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    out.valid.dedup_by(|a, b| a.group_id == b.group_id);
    Ok(out)
}

pub fn describe_groups(ctx: &Ctx, groups: Vec<String>) -> Result<Vec<GroupDescription>, KafkaError> {
    Ok(groups.iter().map(|g| super::group_describe::describe_one(ctx, g)).collect())
}

pub fn delete_groups(ctx: &Ctx, groups: Vec<String>) -> Result<Vec<GroupResult>, KafkaError> {
    let mut out = Vec::new();
    for group in groups {
        let g = group.clone();
        let res = on_coordinator(
            ctx,
            &group,
            ApiKey::DeleteGroups,
            0,
            2,
            move |_| {
                let mut r = DeleteGroupsRequest::default();
                r.groups_names = vec![GroupId(s(&g))];
                r
            },
            |r: &DeleteGroupsResponse| r.results.first().map_or(0, |g| g.error_code),
        );
        let err = match res {
            Ok((_, r, _)) => match r.results.iter().find(|x| x.group_id.0.as_str() == group) {
                Some(x) => broker_error(x.error_code, None),
                None => Some(KafkaError::new(ErrorCode::_BAD_MSG, "group missing from response")),
            },
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            // A group whose request failed carries the code only, as in librdkafka.
            Err(e) => Some(KafkaError::new(e.code, "")),
        };
        out.push(GroupResult { group, err, partitions: None });
    }
    Ok(out)
}

pub fn list_offsets(ctx: &Ctx, req: ListConsumerGroupOffsets) -> Result<Vec<GroupResult>, KafkaError> {
    let group = req.group.clone();
    let mut wanted = req.partitions.clone();
    if let Some(w) = wanted.as_mut() {
        w.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    }
    let stable = ctx.opts.require_stable_offsets();
    let g = group.clone();
    let (ver, r, _) = on_coordinator(
        ctx,
        &group,
        ApiKey::OffsetFetch,
        1,
        9,
        move |ver| {
            let mut r = OffsetFetchRequest::default();
            r.require_stable = stable && ver >= 7;
            let topics = wanted.as_ref().map(|ps| by_topic(ps, |p| p.topic.as_str()));
            if ver >= 8 {
                // v8+: one entry per group (here one); v9+ adds the member, none here.
                let mut gr = OffsetFetchRequestGroup::default();
                gr.group_id = GroupId(s(&g));
                gr.member_id = None;
                gr.member_epoch = -1;
                gr.topics = topics.map(|ts| {
                    ts.into_iter()
                        .map(|(t, ps)| {
                            let mut x = OffsetFetchRequestTopics::default();
                            x.name = TopicName(s(&t));
                            x.partition_indexes = ps.iter().map(|p| p.partition).collect();
                            x
                        })
                        .collect()
                });
                r.groups = vec![gr];
            } else {
                r.group_id = GroupId(s(&g));
                r.topics = topics.map(|ts| {
                    ts.into_iter()
                        .map(|(t, ps)| {
                            let mut x = OffsetFetchRequestTopic::default();
                            x.name = TopicName(s(&t));
                            x.partition_indexes = ps.iter().map(|p| p.partition).collect();
                            x
                        })
                        .collect()
                });
            }
            r
        },
        |r: &OffsetFetchResponse| r.groups.first().map_or(r.error_code, |g| g.error_code),
    )?;
    // (topic, partition, offset, leader epoch, metadata, error) in either layout.
    type Row<'a> = (&'a str, i32, i64, i32, Option<&'a StrBytes>, i16);
    let (error_code, rows): (i16, Vec<Row>) = if ver >= 8 {
        let g = r.groups.iter().find(|x| x.group_id.0.as_str() == group);
        let rows = g.map_or_else(Vec::new, |g| {
            g.topics
                .iter()
                .flat_map(|t| {
                    t.partitions.iter().map(move |p| {
                        let m = p.metadata.as_ref();
                        (
                            t.name.0.as_str(),
                            p.partition_index,
                            p.committed_offset,
                            p.committed_leader_epoch,
                            m,
                            p.error_code,
                        )
                    })
                })
                .collect()
        });
        (g.map_or(0, |g| g.error_code), rows)
    } else {
        let rows = r
            .topics
            .iter()
            .flat_map(|t| {
                t.partitions.iter().map(move |p| {
                    let m = p.metadata.as_ref();
                    (
                        t.name.0.as_str(),
                        p.partition_index,
                        p.committed_offset,
                        p.committed_leader_epoch,
                        m,
                        p.error_code,
                    )
                })
            })
            .collect();
        (r.error_code, rows)
    };
    if error_code != 0 {
        let code = ErrorCode(error_code as i32);
        return Err(KafkaError::new(code, format!("LISTCONSUMERGROUPOFFSETS worker failed to parse coordinator OffsetFetchResponse: ListConsumerGroupOffsetsResponse response failure: {}", code.description())));
    }
    let mut parts = Vec::new();
    for (topic, partition, committed, epoch, metadata, err) in rows {
        // No committed offset (-1) reads as RD_KAFKA_OFFSET_INVALID, as librdkafka has it.
        let offset = if committed == -1 { -1001 } else { committed };
        let mut x = PartitionResult::new(topic, partition, offset).with_err(broker_error(err, None));
        x.metadata = metadata.filter(|m| !m.is_empty()).map(|m| m.as_bytes().to_vec());
        x.leader_epoch = epoch;
        parts.push(x);
    }
    Ok(vec![GroupResult { group, err: None, partitions: Some(parts) }])
}

pub fn alter_offsets(ctx: &Ctx, req: AlterConsumerGroupOffsets) -> Result<Vec<GroupResult>, KafkaError> {
    let group = req.group.clone();
    let mut parts = req.partitions.clone();
    parts.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    let g = group.clone();
    let (_, r, _) = on_coordinator(
        ctx,
        &group,
        ApiKey::OffsetCommit,
        2,
        9,
        move |ver| {
            let mut r = OffsetCommitRequest::default();
            r.group_id = GroupId(s(&g));
            r.generation_id_or_member_epoch = -1;
            r.member_id = StrBytes::default();
            r.retention_time_ms = -1;
            r.topics = by_topic(&parts, |p| p.topic.as_str())
                .into_iter()
                .map(|(t, ps)| {
                    let mut x = OffsetCommitRequestTopic::default();
                    x.name = TopicName(s(&t));
                    x.partitions = ps
                        .iter()
                        .map(|p| {
                            let mut c = OffsetCommitRequestPartition::default();
                            c.partition_index = p.partition;
                            c.committed_offset = p.offset;
                            if ver >= 6 {
                                c.committed_leader_epoch = p.leader_epoch;
                            }
                            c.committed_metadata = Some(StrBytes::from_string(
                                String::from_utf8_lossy(p.metadata.as_deref().unwrap_or(&[])).into_owned(),
                            ));
                            c
                        })
                        .collect();
                    x
                })
                .collect();
            r
        },
        |r: &OffsetCommitResponse| {
            r.topics
                .iter()
                .flat_map(|t| t.partitions.iter())
                .map(|p| p.error_code)
                .find(|&c| retriable_coordinator(c))
                .unwrap_or(0)
        },
    )?;
    let mut sorted = req.partitions.clone();
    sorted.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    let mut out = Vec::new();
    for p in &sorted {
        let answer = r
            .topics
            .iter()
            .filter(|t| t.name.0.as_str() == p.topic)
            .flat_map(|t| t.partitions.iter())
            .find(|x| x.partition_index == p.partition);
        let err = match answer {
            Some(a) => broker_error(a.error_code, None),
            None => Some(KafkaError::new(ErrorCode::_BAD_MSG, "partition missing from response")),
        };
        let mut x = PartitionResult::new(&p.topic, p.partition, p.offset).with_err(err);
        x.metadata = p.metadata.clone();
        x.leader_epoch = p.leader_epoch;
        out.push(x);
    }
    Ok(vec![GroupResult { group, err: None, partitions: Some(out) }])
}

pub fn delete_offsets(ctx: &Ctx, req: DeleteConsumerGroupOffsets) -> Result<Vec<GroupResult>, KafkaError> {
    let group = req.group.clone();
    let (parts, g) = (req.partitions.clone(), group.clone());
    let (_, r, _) = on_coordinator(
        ctx,
        &group,
        ApiKey::OffsetDelete,
        0,
        0,
        move |_| {
            let mut r = OffsetDeleteRequest::default();
            r.group_id = GroupId(s(&g));
            r.topics = by_topic(&parts, |p| p.topic.as_str())
                .into_iter()
                .map(|(t, ps)| {
                    let mut x = OffsetDeleteRequestTopic::default();
                    x.name = TopicName(s(&t));
                    x.partitions = ps
                        .iter()
                        .map(|p| {
                            let mut d = OffsetDeleteRequestPartition::default();
                            d.partition_index = p.partition;
                            d
                        })
                        .collect();
                    x
                })
                .collect();
            r
        },
        |r: &OffsetDeleteResponse| r.error_code,
    )?;
    if r.error_code != 0 {
        let code = ErrorCode(r.error_code as i32);
        return Err(KafkaError::new(code, format!("DELETECONSUMERGROUPOFFSETS worker failed to parse coordinator OffsetDeleteRequestResponse: OffsetDelete response error: {}", code.description())));
    }
    let out = req
        .partitions
        .iter()
        .map(|p| {
            let answer = r
                .topics
                .iter()
                .filter(|t| t.name.0.as_str() == p.topic)
                .flat_map(|t| t.partitions.iter())
                .find(|x| x.partition_index == p.partition);
            let err = match answer {
                Some(a) => broker_error(a.error_code, None),
                None => Some(KafkaError::new(ErrorCode::_BAD_MSG, "partition missing from response")),
            };
            PartitionResult::new(&p.topic, p.partition, -1001).with_err(err)
        })
        .collect();
    Ok(vec![GroupResult { group, err: None, partitions: Some(out) }])
}
