//! Topics: CreateTopics, DeleteTopics, CreatePartitions (on the controller),
//! DescribeTopics (Metadata) and DescribeCluster.

use super::{missing, on_controller, NOT_CONTROLLER};
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::result::{
    authorized_ops, ClusterDescription, Node, PartitionInfo, TopicDescription, TopicResult,
};
use crate::admin::topics::{NewPartitions, NewTopic};
use crate::admin::uuid::Uuid;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::create_partitions_request::{
    CreatePartitionsAssignment, CreatePartitionsTopic,
};
use kafka_protocol::messages::create_topics_request::{
    CreatableReplicaAssignment, CreatableTopic, CreatableTopicConfig,
};
use kafka_protocol::messages::delete_topics_request::DeleteTopicState;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::HashMap;

fn name(s: &str) -> TopicName {
    TopicName(StrBytes::from_string(s.to_string()))
}

fn brokers(ids: &[i32]) -> Vec<BrokerId> {
    ids.iter().map(|&i| BrokerId(i)).collect()
}

/// REQUEST_TIMED_OUT: with an operation timeout of 0 or less the broker is not waited
/// for, and librdkafka reports the topic as done.
const REQUEST_TIMED_OUT: i16 = 7;

/// Per-topic results in request order, from a response's (name, error, message) triples.
/// A topic answered but not asked about, or answered twice, fails the whole response,
/// as in librdkafka.
fn per_topic<'a>(
    ctx: &Ctx,
    names: &[String],
    answers: impl Iterator<Item = (&'a str, i16, Option<&'a StrBytes>)>,
) -> Result<Vec<TopicResult>, KafkaError> {
    let no_wait = ctx.opts.operation_timeout_ms() <= 0;
    let mut by_name: HashMap<&str, Option<KafkaError>> = HashMap::new();
    for (n, code, msg) in answers {
        let code = if no_wait && code == REQUEST_TIMED_OUT { 0 } else { code };
        if !names.iter().any(|x| x == n) || by_name.insert(n, broker_error(code, msg)).is_some() {
            let api = ctx.op_name();
            return Err(KafkaError::new(
                ErrorCode::_BAD_MSG,
                format!(
                    "{} worker failed to parse response: {api} response protocol parse failure: Local: Bad message format",
                    api.to_ascii_uppercase()
                ),
            ));
        }
    }
    Ok(names
        .iter()
        .map(|n| TopicResult {
            name: n.clone(),
            err: by_name.get(n.as_str()).cloned().unwrap_or_else(|| missing("topic")),
        })
        .collect())
}

pub fn create_topics(ctx: &Ctx, topics: Vec<NewTopic>) -> Result<Vec<TopicResult>, KafkaError> {
    nonempty(ctx, &topics, "No topics to create")?;
    let names: Vec<String> = topics.iter().map(|t| t.topic().to_string()).collect();
    let (timeout, validate) = (ctx.opts.operation_timeout_ms(), ctx.opts.validate_only());
    let build = move |_ver: i16| {
        let mut r = CreateTopicsRequest::default();
        r.timeout_ms = timeout;
        r.validate_only = validate;
        r.topics = topics
            .iter()
            .map(|t| {
                let mut c = CreatableTopic::default();
                c.name = name(t.topic());
                // With an assignment both counts go as -1: the assignment says them.
                let assigned = !t.replicas().is_empty();
                c.num_partitions = if assigned { -1 } else { t.num_partitions() };
                c.replication_factor = if assigned { -1 } else { t.replication_factor() as i16 };
                c.assignments = t
                    .replicas()
                    .iter()
                    .enumerate()
                    .map(|(i, ids)| {
                        let mut a = CreatableReplicaAssignment::default();
                        a.partition_index = i as i32;
                        a.broker_ids = brokers(ids);
                        a
                    })
                    .collect();
                c.configs = t
                    .configs()
                    .iter()
                    .map(|e| {
                        let mut cfg = CreatableTopicConfig::default();
                        cfg.name = StrBytes::from_string(e.name.clone());
                        cfg.value = e.value.clone().map(StrBytes::from_string);
                        cfg
                    })
                    .collect();
                c
            })
            .collect();
        r
    };
    let r: CreateTopicsResponse =
        on_controller(ctx, ApiKey::CreateTopics, 0, 4, build, |r: &CreateTopicsResponse| {
            r.topics.iter().any(|t| t.error_code == NOT_CONTROLLER)
        })?;
    per_topic(
        ctx,
        &names,
        r.topics.iter().map(|t| (t.name.0.as_str(), t.error_code, t.error_message.as_ref())),
    )
}

pub fn delete_topics(ctx: &Ctx, names: Vec<String>) -> Result<Vec<TopicResult>, KafkaError> {
    nonempty(ctx, &names, "No topics to delete")?;
    let timeout = ctx.opts.operation_timeout_ms();
    let req_names = names.clone();
    let build = move |ver: i16| {
        let mut r = DeleteTopicsRequest::default();
        r.timeout_ms = timeout;
        if ver >= 6 {
            r.topics = req_names
                .iter()
                .map(|n| {
                    let mut s = DeleteTopicState::default();
                    s.name = Some(name(n));
                    s
                })
                .collect();
        } else {
            r.topic_names = req_names.iter().map(|n| name(n)).collect();
        }
        r
    };
    let r: DeleteTopicsResponse =
        on_controller(ctx, ApiKey::DeleteTopics, 0, 4, build, |r: &DeleteTopicsResponse| {
            r.responses.iter().any(|t| t.error_code == NOT_CONTROLLER)
        })?;
    let answers = r
        .responses
        .iter()
        .map(|t| (t.name.as_ref().map_or("", |n| n.0.as_str()), t.error_code, t.error_message.as_ref()));
    per_topic(ctx, &names, answers)
}

pub fn create_partitions(ctx: &Ctx, parts: Vec<NewPartitions>) -> Result<Vec<TopicResult>, KafkaError> {
    nonempty(ctx, &parts, "No partitions to create")?;
    let names: Vec<String> = parts.iter().map(|p| p.topic().to_string()).collect();
    let (timeout, validate) = (ctx.opts.operation_timeout_ms(), ctx.opts.validate_only());
    let build = move |_ver: i16| {
        let mut r = CreatePartitionsRequest::default();
        r.timeout_ms = timeout;
        r.validate_only = validate;
        r.topics = parts
            .iter()
            .map(|p| {
                let mut t = CreatePartitionsTopic::default();
                t.name = name(p.topic());
                t.count = p.total_cnt() as i32;
                t.assignments = (!p.replicas().is_empty()).then(|| {
                    p.replicas()
                        .iter()
                        .map(|ids| {
                            let mut a = CreatePartitionsAssignment::default();
                            a.broker_ids = brokers(ids);
                            a
                        })
                        .collect()
                });
                t
            })
            .collect();
        r
    };
    let moved = |r: &CreatePartitionsResponse| r.results.iter().any(|t| t.error_code == NOT_CONTROLLER);
    let r: CreatePartitionsResponse = on_controller(ctx, ApiKey::CreatePartitions, 0, 2, build, moved)?;
    per_topic(
        ctx,
        &names,
        r.results.iter().map(|t| (t.name.0.as_str(), t.error_code, t.error_message.as_ref())),
    )
}

fn node(b: &kafka_protocol::messages::metadata_response::MetadataResponseBroker) -> Node {
    Node {
        id: b.node_id.0,
        host: b.host.to_string(),
        port: b.port as u16,
        rack: b.rack.as_ref().map(|r| r.to_string()),
    }
}

/// The nodes of a metadata answer, by id.
fn nodes(md: &MetadataResponse) -> HashMap<i32, Node> {
    md.brokers.iter().map(|b| (b.node_id.0, node(b))).collect()
}

/// librdkafka finds the controller before it notices an empty list.
fn nonempty<T>(ctx: &Ctx, v: &[T], msg: &str) -> Result<(), KafkaError> {
    if v.is_empty() {
        ctx.controller()?;
        return Err(KafkaError::new(ErrorCode::_INVALID_ARG, msg));
    }
    Ok(())
}

pub fn describe_topics(ctx: &Ctx, names: Vec<String>) -> Result<Vec<TopicDescription>, KafkaError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let auth = ctx.opts.include_authorized_operations();
    let b = ctx.controller()?;
    let md = ctx.metadata_from(&b, Some(names.clone()), auth)?;
    let nodes = nodes(&md);
    let node = |id: &BrokerId| {
        nodes.get(&id.0).cloned().unwrap_or(Node { id: id.0, host: String::new(), port: 0, rack: None })
    };
    let mut out = Vec::new();
    for n in &names {
        let Some(t) = md.topics.iter().find(|t| t.name.as_ref().is_some_and(|x| x.0.as_str() == n)) else {
            out.push(TopicDescription {
                name: n.clone(),
                topic_id: Uuid::new(0, 0),
                internal: false,
                err: Some(KafkaError::new(ErrorCode::UNKNOWN_TOPIC_OR_PART, "")),
                partitions: Vec::new(),
                authorized_ops: None,
            });
            continue;
        };
        let id = t.topic_id.as_u64_pair();
        let mut partitions: Vec<PartitionInfo> = t
            .partitions
            .iter()
            .map(|p| PartitionInfo {
                id: p.partition_index,
                leader: (p.leader_id.0 >= 0).then(|| node(&p.leader_id)),
                isr: p.isr_nodes.iter().map(&node).collect(),
                replicas: p.replica_nodes.iter().map(&node).collect(),
            })
            .collect();
        partitions.sort_by_key(|p| p.id);
        let err = broker_error(t.error_code, None);
        out.push(TopicDescription {
            name: n.clone(),
            topic_id: Uuid::new(id.0 as i64, id.1 as i64),
            internal: t.is_internal,
            partitions: if err.is_some() { Vec::new() } else { partitions },
            authorized_ops: if auth && err.is_none() {
                authorized_ops(t.topic_authorized_operations)
            } else {
                None
            },
            err,
        });
    }
    Ok(out)
}

pub fn describe_cluster(ctx: &Ctx) -> Result<ClusterDescription, KafkaError> {
    let auth = ctx.opts.include_authorized_operations();
    let b = ctx.controller()?;
    let md = ctx.metadata_from(&b, Some(Vec::new()), auth)?;
    let nodes: Vec<Node> = md.brokers.iter().map(node).collect();
    Ok(ClusterDescription {
        cluster_id: md.cluster_id.as_ref().map(|c| c.to_string()),
        controller: (md.controller_id.0 >= 0).then(|| {
            nodes.iter().find(|n| n.id == md.controller_id.0).cloned().unwrap_or(Node {
                id: md.controller_id.0,
                host: String::new(),
                port: 0,
                rack: None,
            })
        }),
        nodes,
        authorized_ops: if auth { authorized_ops(md.cluster_authorized_operations) } else { None },
    })
}
