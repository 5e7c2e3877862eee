//! kafkars extensions on replicas, as kafka-python's KafkaAdminClient has them:
//! DescribeLogDirs (every broker, or the ones named), AlterReplicaLogDirs (each replica's
//! broker), AlterPartitionReassignments and ListPartitionReassignments (the controller).

use super::txns::every_broker;
use super::{by_topic, missing, on_controller};
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::partitions::TopicPartition;
use crate::admin::reassign::{PartitionReassignment, ReplicaLogDir};
use crate::admin::result::{
    BrokerLogDirs, LogDir, OngoingReassignment, PartitionResult, ReplicaInfo, ReplicaLogDirResult,
};
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::alter_partition_reassignments_request::{
    ReassignablePartition, ReassignableTopic,
};
use kafka_protocol::messages::alter_replica_log_dirs_request::{AlterReplicaLogDir, AlterReplicaLogDirTopic};
use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
use kafka_protocol::messages::list_partition_reassignments_request::ListPartitionReassignmentsTopics;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeMap;

fn name(t: &str) -> TopicName {
    TopicName(StrBytes::from_string(t.to_string()))
}

/// Partition ids by topic.
type TopicParts = Vec<(String, Vec<i32>)>;

/// Partition ids by topic, topics in first-seen order.
fn partitions_by_topic<'a>(parts: impl IntoIterator<Item = (&'a str, i32)>) -> TopicParts {
    by_topic(parts, |p| p.0).into_iter().map(|(t, ps)| (t, ps.into_iter().map(|p| p.1).collect())).collect()
}

/// DescribeLogDirs on each broker of `brokers` (none: every broker of the cluster), for
/// `parts` (None: every partition).
pub fn describe_log_dirs(
    ctx: &Ctx,
    (parts, brokers): (Option<Vec<TopicPartition>>, Vec<i32>),
) -> Result<Vec<BrokerLogDirs>, KafkaError> {
    let ids = match (ctx.opts.broker(), brokers.is_empty()) {
        (None, false) => brokers,
        _ => every_broker(ctx)?,
    };
    let topics = parts.map(|ps| partitions_by_topic(ps.iter().map(|p| (p.topic.as_str(), p.partition))));
    let mut out = Vec::new();
    for id in ids {
        let t = topics.clone();
        let res = ctx.broker(id).and_then(|b| {
            ctx.call(&b, ApiKey::DescribeLogDirs, 1, 4, move |_| {
                let mut r = DescribeLogDirsRequest::default();
                r.topics = t.as_ref().map(|ts| {
                    ts.iter()
                        .map(|(n, ps)| {
                            let mut x = DescribableLogDirTopic::default();
                            x.topic = name(n);
                            x.partitions = ps.clone();
                            x
                        })
                        .collect()
                });
                r
            })
        });
        let (ver, r): (i16, DescribeLogDirsResponse) = match res {
            Ok(x) => x,
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                out.push(BrokerLogDirs { broker_id: id, err: Some(e), log_dirs: Vec::new() });
                continue;
            }
        };
        let log_dirs = r
            .results
            .iter()
            .map(|d| LogDir {
                path: d.log_dir.to_string(),
                err: broker_error(d.error_code, None),
                total_bytes: if ver >= 4 { d.total_bytes } else { -1 },
                usable_bytes: if ver >= 4 { d.usable_bytes } else { -1 },
                replicas: d
                    .topics
                    .iter()
                    .flat_map(|t| {
                        t.partitions.iter().map(move |p| ReplicaInfo {
                            topic: t.name.0.to_string(),
                            partition: p.partition_index,
                            size: p.partition_size,
                            offset_lag: p.offset_lag,
                            is_future: p.is_future_key,
                        })
                    })
                    .collect(),
            })
            .collect();
        out.push(BrokerLogDirs { broker_id: id, err: broker_error(r.error_code, None), log_dirs });
    }
    Ok(out)
}

pub fn alter_reassignments(
    ctx: &Ctx,
    reassignments: Vec<PartitionReassignment>,
) -> Result<Vec<PartitionResult>, KafkaError> {
    let timeout = ctx.opts.operation_timeout_ms();
    let req = reassignments.clone();
    let build = move |_ver: i16| {
        let mut r = AlterPartitionReassignmentsRequest::default();
        r.timeout_ms = timeout;
        let topics = partitions_by_topic(req.iter().map(|x| (x.topic.as_str(), x.partition)));
        r.topics = topics
            .iter()
            .map(|(t, ps)| {
                let mut x = ReassignableTopic::default();
                x.name = name(t);
                x.partitions = ps
                    .iter()
                    .map(|&p| {
                        let mut rp = ReassignablePartition::default();
                        rp.partition_index = p;
                        rp.replicas = req
                            .iter()
                            .find(|a| a.topic == *t && a.partition == p)
                            .and_then(|a| a.replicas.as_ref())
                            .map(|ids| ids.iter().map(|&i| BrokerId(i)).collect());
                        rp
                    })
                    .collect();
                x
            })
            .collect();
        r
    };
    let r: AlterPartitionReassignmentsResponse = on_controller(
        ctx,
        ApiKey::AlterPartitionReassignments,
        0,
        1,
        build,
        |_: &AlterPartitionReassignmentsResponse| false,
    )?;
    if let Some(e) = broker_error(r.error_code, r.error_message.as_ref()) {
        return Err(e);
    }
    Ok(reassignments
        .iter()
        .map(|a| {
            let answer = r
                .responses
                .iter()
                .filter(|t| t.name.0.as_str() == a.topic)
                .flat_map(|t| t.partitions.iter())
                .find(|p| p.partition_index == a.partition);
            let err = match answer {
                Some(p) => KafkaError::new(
                    ErrorCode(p.error_code as i32),
                    p.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                ),
                None => KafkaError::new(ErrorCode::_BAD_MSG, "partition missing from response"),
            };
            PartitionResult::new(&a.topic, a.partition, 0).with_err(Some(err))
        })
        .collect())
}

pub fn list_reassignments(
    ctx: &Ctx,
    parts: Option<Vec<TopicPartition>>,
) -> Result<Vec<OngoingReassignment>, KafkaError> {
    let timeout = ctx.opts.operation_timeout_ms();
    let topics = parts.map(|ps| partitions_by_topic(ps.iter().map(|p| (p.topic.as_str(), p.partition))));
    let build = move |_ver: i16| {
        let mut r = ListPartitionReassignmentsRequest::default();
        r.timeout_ms = timeout;
        r.topics = topics.as_ref().map(|ts| {
            ts.iter()
                .map(|(t, ps)| {
                    let mut x = ListPartitionReassignmentsTopics::default();
                    x.name = name(t);
                    x.partition_indexes = ps.clone();
                    x
                })
                .collect()
        });
        r
    };
    let r: ListPartitionReassignmentsResponse = on_controller(
        ctx,
        ApiKey::ListPartitionReassignments,
        0,
        0,
        build,
        |_: &ListPartitionReassignmentsResponse| false,
    )?;
    if let Some(e) = broker_error(r.error_code, r.error_message.as_ref()) {
        return Err(e);
    }
    let ids = |v: &[BrokerId]| v.iter().map(|b| b.0).collect::<Vec<i32>>();
    Ok(r.topics
        .iter()
        .flat_map(|t| {
            t.partitions.iter().map(move |p| OngoingReassignment {
                topic: t.name.0.to_string(),
                partition: p.partition_index,
                replicas: ids(&p.replicas),
                adding: ids(&p.adding_replicas),
                removing: ids(&p.removing_replicas),
            })
        })
        .collect())
}

/// Moves replicas to other log directories: one request per broker, for the replicas it
/// holds (the options' broker takes them all); results in request order.
pub fn alter_replica_log_dirs(
    ctx: &Ctx,
    dirs: Vec<ReplicaLogDir>,
) -> Result<Vec<ReplicaLogDirResult>, KafkaError> {
    let mut out: Vec<ReplicaLogDirResult> =
        dirs.iter().map(|d| ReplicaLogDirResult { dir: d.clone(), err: missing("partition") }).collect();
    let mut per_broker: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, d) in dirs.iter().enumerate() {
        per_broker.entry(ctx.opts.broker().unwrap_or(d.broker_id)).or_default().push(i);
    }
    for (broker, idx) in per_broker {
        // dirs: [{path, topics: [{name, partitions}]}], paths and topics in first-seen order.
        let req: Vec<(String, TopicParts)> = by_topic(idx.iter().copied(), |&i| dirs[i].path.as_str())
            .into_iter()
            .map(|(path, is)| {
                (path, partitions_by_topic(is.iter().map(|&i| (dirs[i].topic.as_str(), dirs[i].partition))))
            })
            .collect();
        let res = ctx.broker(broker).and_then(|b| {
            ctx.call(&b, ApiKey::AlterReplicaLogDirs, 1, 2, move |_| {
                let mut r = AlterReplicaLogDirsRequest::default();
                r.dirs = req
                    .iter()
                    .map(|(path, ts)| {
                        let mut d = AlterReplicaLogDir::default();
                        d.path = StrBytes::from_string(path.clone());
                        d.topics = ts
                            .iter()
                            .map(|(t, ps)| {
                                let mut x = AlterReplicaLogDirTopic::default();
                                x.name = name(t);
                                x.partitions = ps.clone();
                                x
                            })
                            .collect();
                        d
                    })
                    .collect();
                r
            })
        });
        let r: AlterReplicaLogDirsResponse = match res {
            Ok((_, r)) => r,
            // A broker that cannot answer fails its own moves (as DescribeLogDirs does);
            // the others' outcomes stand.
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                for &i in &idx {
                    out[i].err = Some(e.clone());
                }
                continue;
            }
        };
        for &i in &idx {
            let hit = r
                .results
                .iter()
                .filter(|t| t.topic_name.0.as_str() == dirs[i].topic)
                .flat_map(|t| t.partitions.iter())
                .find(|p| p.partition_index == dirs[i].partition);
            if let Some(p) = hit {
                out[i].err = broker_error(p.error_code, None);
            }
        }
    }
    Ok(out)
}
