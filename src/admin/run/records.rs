//! Partitions: DeleteRecords and ListOffsets (each partition's leader, one request per
//! leader, answers merged) and ElectLeaders (the controller).

use super::{by_topic, on_controller};
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::partitions::TopicPartition;
use crate::admin::result::{ListOffsetsInfo, PartitionResult};
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::delete_records_request::{DeleteRecordsPartition, DeleteRecordsTopic};
use kafka_protocol::messages::elect_leaders_request::TopicPartitions;
use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeMap;

fn name(t: &str) -> TopicName {
    TopicName(StrBytes::from_string(t.to_string()))
}

/// One topic's partitions to ask a leader about: (partition, leader epoch, timestamp).
type TopicQuery = (String, Vec<(i32, i32, i64)>);

/// A partition's leader and leader epoch, or why it has none.
pub(super) type Leader = Result<(i32, i32), KafkaError>;

/// The leaders of `parts` from fresh metadata. Waits (bounded) while some topic is still
/// unknown to the cluster's metadata or has no leader yet; an error when none has one.
pub(super) fn leaders(ctx: &Ctx, parts: &[TopicPartition]) -> Result<Vec<Leader>, KafkaError> {
    let mut topics: Vec<String> = parts.iter().map(|p| p.topic.clone()).collect();
    topics.sort();
    topics.dedup();
    let md = ctx.metadata(Some(topics), false).map_err(|e| {
        KafkaError::new(e.code, format!("Failed to query partition leaders: {}", e.code.description()))
    })?;
    let out: Vec<Leader> = parts
        .iter()
        .map(|p| {
            let t = md.topics.iter().find(|t| t.name.as_ref().is_some_and(|n| n.0.as_str() == p.topic));
            let Some(t) = t else { return Err(KafkaError::new(ErrorCode::UNKNOWN_TOPIC_OR_PART, "")) };
            if let Some(e) = broker_error(t.error_code, None) {
                return Err(e);
            }
            match t.partitions.iter().find(|x| x.partition_index == p.partition) {
                None => Err(KafkaError::new(ErrorCode::_UNKNOWN_PARTITION, "")),
                Some(x) if x.leader_id.0 < 0 => Err(KafkaError::new(ErrorCode::LEADER_NOT_AVAILABLE, "")),
                Some(x) => Ok((x.leader_id.0, x.leader_epoch)),
            }
        })
        .collect();
    if !out.is_empty() && out.iter().all(|l| l.is_err()) {
        return Err(KafkaError::new(
            ErrorCode::_NOENT,
            "Failed to query partition leaders: No leaders found",
        ));
    }
    Ok(out)
}

/// The indexes of `parts` by leader (the broker set in the options takes them all).
pub(super) fn by_leader(ctx: &Ctx, leaders: &[Leader]) -> BTreeMap<i32, Vec<usize>> {
    let mut m: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, l) in leaders.iter().enumerate() {
        if let Ok((id, _)) = l {
            m.entry(ctx.opts.broker().unwrap_or(*id)).or_default().push(i);
        }
    }
    m
}

/// DeleteRecords: the low watermark of each partition, sorted by (topic, partition) as
/// librdkafka sorts them.
pub fn delete_records(ctx: &Ctx, mut parts: Vec<TopicPartition>) -> Result<Vec<PartitionResult>, KafkaError> {
    parts.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    let leaders = leaders(ctx, &parts)?;
    let mut out: Vec<PartitionResult> = parts
        .iter()
        .zip(&leaders)
        .map(|(p, l)| {
            let err = match l {
                Ok(_) => Some(KafkaError::new(ErrorCode::_NOOP, "")),
                Err(e) => Some(e.clone()),
            };
            PartitionResult::new(&p.topic, p.partition, p.offset).with_err(err)
        })
        .collect();
    let timeout = ctx.opts.operation_timeout_ms();
    for (leader, idx) in by_leader(ctx, &leaders) {
        let b = match ctx.broker(leader) {
            Ok(b) => b,
            Err(e) => {
                for &i in &idx {
                    out[i].err = Some(KafkaError::new(e.code, ""));
                }
                continue;
            }
        };
        let req: Vec<(String, Vec<(i32, i64)>)> = by_topic(idx.iter().copied(), |&i| parts[i].topic.as_str())
            .into_iter()
            .map(|(t, is)| (t, is.iter().map(|&i| (parts[i].partition, parts[i].offset)).collect()))
            .collect();
        let res: Result<(i16, DeleteRecordsResponse), _> =
            ctx.call(&b, ApiKey::DeleteRecords, 0, 2, move |_| {
                let mut r = DeleteRecordsRequest::default();
                r.timeout_ms = timeout;
                r.topics = req
                    .iter()
                    .map(|(t, ps)| {
                        let mut x = DeleteRecordsTopic::default();
                        x.name = name(t);
                        x.partitions = ps
                            .iter()
                            .map(|&(p, o)| {
                                let mut d = DeleteRecordsPartition::default();
                                d.partition_index = p;
                                d.offset = o;
                                d
                            })
                            .collect();
                        x
                    })
                    .collect();
                r
            });
        match res {
            Ok((_, r)) => {
                for t in &r.topics {
                    for p in &t.partitions {
                        let hit = idx.iter().find(|&&i| {
                            parts[i].topic == t.name.0.as_str() && parts[i].partition == p.partition_index
                        });
                        if let Some(&i) = hit {
                            out[i].offset = p.low_watermark;
                            out[i].err = broker_error(p.error_code, None);
                        }
                    }
                }
            }
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                for &i in &idx {
                    out[i].err = Some(KafkaError::new(e.code, ""));
                }
            }
        }
    }
    Ok(out)
}

/// ListOffsets: each partition's offset for its spec (latest, earliest, max timestamp,
/// or a timestamp), in request order.
pub fn list_offsets(ctx: &Ctx, parts: Vec<TopicPartition>) -> Result<Vec<ListOffsetsInfo>, KafkaError> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let leaders = leaders(ctx, &parts)?;
    let mut out: Vec<ListOffsetsInfo> = parts
        .iter()
        .zip(&leaders)
        .map(|(p, l)| ListOffsetsInfo {
            part: PartitionResult::new(&p.topic, p.partition, -1001).with_err(l.as_ref().err().cloned()),
            timestamp: -1,
        })
        .collect();
    let isolation = ctx.opts.isolation_level() as i8;
    for (leader, idx) in by_leader(ctx, &leaders) {
        let b = match ctx.broker(leader) {
            Ok(b) => b,
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                // librdkafka leaves these looking successful (offset -1001, no error).
                for &i in &idx {
                    out[i].part.err = Some(KafkaError::new(e.code, ""));
                }
                continue;
            }
        };
        let mut topics = by_topic(idx.iter().copied(), |&i| parts[i].topic.as_str());
        topics.sort_by(|a, b| a.0.cmp(&b.0));
        let req: Vec<TopicQuery> = topics
            .into_iter()
            .map(|(t, is)| {
                let ps = is
                    .iter()
                    .map(|&i| (parts[i].partition, leaders[i].as_ref().map_or(-1, |l| l.1), parts[i].offset))
                    .collect();
                (t.to_string(), ps)
            })
            .collect();
        let res: Result<(i16, ListOffsetsResponse), _> = ctx.call(&b, ApiKey::ListOffsets, 1, 7, move |_| {
            let mut r = ListOffsetsRequest::default();
            r.replica_id = BrokerId(-1);
            r.isolation_level = isolation;
            r.topics = req
                .iter()
                .map(|(t, ps)| {
                    let mut x = ListOffsetsTopic::default();
                    x.name = name(t);
                    x.partitions = ps
                        .iter()
                        .map(|&(p, epoch, ts)| {
                            let mut q = ListOffsetsPartition::default();
                            q.partition_index = p;
                            q.current_leader_epoch = epoch;
                            q.timestamp = ts;
                            q
                        })
                        .collect();
                    x
                })
                .collect();
            r
        });
        match res {
            Ok((_, r)) => {
                // A partition the leader left out says so (librdkafka crashes on it).
                for &i in &idx {
                    let err = KafkaError::new(ErrorCode::_BAD_MSG, "partition missing from response");
                    out[i].part.err = Some(err);
                }
                for t in &r.topics {
                    for p in &t.partitions {
                        let hit = idx.iter().find(|&&i| {
                            parts[i].topic == t.name.0.as_str() && parts[i].partition == p.partition_index
                        });
                        if let Some(&i) = hit {
                            let o = &mut out[i];
                            o.part.offset = p.offset;
                            o.part.leader_epoch = p.leader_epoch;
                            o.part.err = broker_error(p.error_code, None);
                            o.timestamp = p.timestamp;
                        }
                    }
                }
            }
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            // A leader that could not answer: its partitions say why (librdkafka leaves
            // them looking successful with offset -1001).
            Err(e) => {
                for &i in &idx {
                    out[i].part.err = Some(KafkaError::new(e.code, ""));
                }
            }
        }
    }
    Ok(out)
}

/// ElectLeaders: each partition's outcome (request order when partitions were given).
pub fn elect_leaders(
    ctx: &Ctx,
    (election_type, parts): (i32, Option<Vec<TopicPartition>>),
) -> Result<Vec<PartitionResult>, KafkaError> {
    let timeout = ctx.opts.operation_timeout_ms();
    let req = parts.clone();
    let build = move |_ver: i16| {
        let mut r = ElectLeadersRequest::default();
        r.election_type = election_type as i8;
        r.timeout_ms = timeout;
        r.topic_partitions = req.as_ref().map(|ps| {
            let idx: Vec<usize> = (0..ps.len()).collect();
            by_topic(idx.iter().copied(), |&i| ps[i].topic.as_str())
                .into_iter()
                .map(|(t, is)| {
                    let mut x = TopicPartitions::default();
                    x.topic = name(&t);
                    x.partitions = is.iter().map(|&i| ps[i].partition).collect();
                    x
                })
                .collect()
        });
        r
    };
    let r: ElectLeadersResponse =
        on_controller(ctx, ApiKey::ElectLeaders, 0, 2, build, |_: &ElectLeadersResponse| false)?;
    if r.error_code != 0 {
        let code = ErrorCode(r.error_code as i32);
        return Err(KafkaError::new(code, format!("ElectLeaders request failed: {}", code.description())));
    }
    let answers: Vec<PartitionResult> = r
        .replica_election_results
        .iter()
        .flat_map(|t| {
            t.partition_result.iter().map(move |p| {
                PartitionResult::new(&t.topic.0, p.partition_id, 0).with_err(Some(KafkaError::new(
                    ErrorCode(p.error_code as i32),
                    p.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                )))
            })
        })
        .collect();
    Ok(match parts {
        None => answers,
        Some(ps) => ps
            .iter()
            .map(|p| match answers.iter().find(|a| a.topic == p.topic && a.partition == p.partition) {
                Some(a) => a.clone(),
                // librdkafka leaves a hole here that empties its whole result array.
                None => PartitionResult::new(&p.topic, p.partition, 0)
                    .with_err(Some(KafkaError::new(ErrorCode::_BAD_MSG, "partition missing from response"))),
            })
            .collect(),
    })
}
