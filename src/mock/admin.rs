//! Admin requests: topics and partitions (on the controller, as Kafka wants them),
//! records deleted below an offset, topic and broker configs.

use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::create_partitions_response::CreatePartitionsTopicResult;
use kafka_protocol::messages::create_topics_response::CreatableTopicResult;
use kafka_protocol::messages::delete_records_response::{
    DeleteRecordsPartitionResult, DeleteRecordsTopicResult,
};
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::describe_configs_response::{
    DescribeConfigsResourceResult, DescribeConfigsResult,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

/// Topic configs every topic reports, with Kafka's defaults.
const TOPIC_DEFAULTS: &[(&str, &str)] = &[
    ("cleanup.policy", "delete"),
    ("compression.type", "producer"),
    ("max.message.bytes", "1048588"),
    ("message.timestamp.type", "CreateTime"),
    ("min.insync.replicas", "1"),
    ("retention.bytes", "-1"),
    ("retention.ms", "604800000"),
    ("segment.bytes", "1073741824"),
];

fn message(e: ErrorCode) -> Option<StrBytes> {
    e.is_error().then(|| sb(&e.description()))
}

pub fn serve(st: &mut State, key: ApiKey, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    match key {
        ApiKey::CreateTopics => create_topics(st, req, ctx),
        ApiKey::DeleteTopics => delete_topics(st, req, ctx),
        ApiKey::CreatePartitions => create_partitions(st, req, ctx),
        ApiKey::DeleteRecords => delete_records(st, req, ctx),
        ApiKey::DescribeConfigs => describe_configs(st, req, ctx),
        _ => Err(Outcome::Close),
    }
}

/// The error a controller-only request gets before its work: injected, or not
/// the controller.
fn controller_check(st: &State, ctx: &Ctx) -> ErrorCode {
    if ctx.injected.is_error() {
        ctx.injected
    } else if st.controller != ctx.broker {
        ErrorCode::NOT_CONTROLLER
    } else {
        ErrorCode::NO_ERROR
    }
}

fn create_topics(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: CreateTopicsRequest = body(req)?;
    let pre = controller_check(st, ctx);
    let mut r = CreateTopicsResponse::default();
    for t in m.topics {
        let name = t.name.0.to_string();
        let mut tr = CreatableTopicResult::default();
        let parts = if t.num_partitions == -1 { st.default_partitions } else { t.num_partitions };
        let rf = if t.replication_factor == -1 { st.default_rf } else { t.replication_factor as i32 };
        let res = if pre.is_error() {
            Err(pre)
        } else if !t.assignments.is_empty() {
            Err(ErrorCode::INVALID_REPLICA_ASSIGNMENT)
        } else if m.validate_only {
            match st.topics.contains_key(&name) {
                true => Err(ErrorCode::TOPIC_ALREADY_EXISTS),
                false if parts < 1 => Err(ErrorCode::INVALID_PARTITIONS),
                false => Ok(()),
            }
        } else {
            st.create_topic(&name, parts, rf)
        };
        match res {
            Ok(()) => {
                if req.version >= 5 {
                    tr.num_partitions = parts;
                    tr.replication_factor = rf as i16;
                }
                if let Some(topic) = st.topics.get_mut(&name) {
                    if req.version >= 7 {
                        tr.topic_id = uuid::Uuid::from_bytes(topic.id);
                    }
                    for c in &t.configs {
                        if let Some(v) = &c.value {
                            topic.configs.insert(c.name.to_string(), v.to_string());
                        }
                    }
                }
            }
            Err(e) => {
                tr.error_code = code(e);
                if req.version >= 1 {
                    tr.error_message = message(e);
                }
            }
        }
        tr.name = t.name;
        r.topics.push(tr);
    }
    Ok(respond(req, &r))
}

fn delete_topics(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: DeleteTopicsRequest = body(req)?;
    let pre = controller_check(st, ctx);
    let names: Vec<TopicName> =
        if req.version >= 6 { m.topics.into_iter().filter_map(|t| t.name).collect() } else { m.topic_names };
    let mut r = DeleteTopicsResponse::default();
    for n in names {
        let mut tr = DeletableTopicResult::default();
        let e = if pre.is_error() {
            pre
        } else if st.topics.remove(n.0.as_str()).is_some() {
            ErrorCode::NO_ERROR
        } else {
            ErrorCode::UNKNOWN_TOPIC_OR_PART
        };
        tr.error_code = code(e);
        if req.version >= 5 {
            tr.error_message = message(e);
        }
        tr.name = Some(n);
        r.responses.push(tr);
    }
    Ok(respond(req, &r))
}

fn create_partitions(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: CreatePartitionsRequest = body(req)?;
    let pre = controller_check(st, ctx);
    let mut r = CreatePartitionsResponse::default();
    for t in m.topics {
        let mut tr = CreatePartitionsTopicResult::default();
        let name = t.name.0.to_string();
        let e = if pre.is_error() {
            pre
        } else if t.assignments.is_some() {
            ErrorCode::INVALID_REPLICA_ASSIGNMENT
        } else if m.validate_only {
            match st.topics.get(&name) {
                None => ErrorCode::UNKNOWN_TOPIC_OR_PART,
                Some(tp) if t.count <= tp.parts.len() as i32 => ErrorCode::INVALID_PARTITIONS,
                Some(_) => ErrorCode::NO_ERROR,
            }
        } else {
            st.add_partitions(&name, t.count).err().unwrap_or(ErrorCode::NO_ERROR)
        };
        tr.error_code = code(e);
        tr.error_message = message(e);
        tr.name = t.name;
        r.results.push(tr);
    }
    Ok(respond(req, &r))
}

fn delete_records(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: DeleteRecordsRequest = body(req)?;
    let mut r = DeleteRecordsResponse::default();
    for t in m.topics {
        let name = t.name.0.to_string();
        let mut tr = DeleteRecordsTopicResult::default();
        tr.name = t.name;
        for p in t.partitions {
            let mut pr = DeleteRecordsPartitionResult::default();
            pr.partition_index = p.partition_index;
            pr.low_watermark = -1;
            let res = if ctx.injected.is_error() {
                Err(ctx.injected)
            } else {
                st.partition_mut(&name, p.partition_index).and_then(|part| {
                    if part.leader != ctx.broker {
                        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
                    }
                    part.log.delete_before(p.offset)
                })
            };
            match res {
                Ok(lw) => pr.low_watermark = lw,
                Err(e) => pr.error_code = code(e),
            }
            tr.partitions.push(pr);
        }
        r.topics.push(tr);
    }
    st.changed();
    Ok(respond(req, &r))
}

fn describe_configs(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: DescribeConfigsRequest = body(req)?;
    let mut r = DescribeConfigsResponse::default();
    for res in m.resources {
        let mut rr = DescribeConfigsResult::default();
        let name = res.resource_name.to_string();
        let keys: Option<Vec<String>> =
            res.configuration_keys.map(|k| k.iter().map(|s| s.to_string()).collect());
        let wanted = |k: &str| keys.as_ref().is_none_or(|ks| ks.iter().any(|w| w == k));
        let mut entries: Vec<(String, String, i8)> = Vec::new();
        let e = if ctx.injected.is_error() {
            ctx.injected
        } else {
            match res.resource_type {
                // TOPIC: its own configs (source 1), then the defaults (source 5).
                2 => match st.topics.get(&name) {
                    None => ErrorCode::UNKNOWN_TOPIC_OR_PART,
                    Some(t) => {
                        entries.extend(t.configs.iter().map(|(k, v)| (k.clone(), v.clone(), 1)));
                        for (k, v) in TOPIC_DEFAULTS {
                            if !t.configs.contains_key(*k) {
                                entries.push((k.to_string(), v.to_string(), 5));
                            }
                        }
                        ErrorCode::NO_ERROR
                    }
                },
                // BROKER: a few static configs (source 4).
                4 => match name.parse::<i32>().ok().and_then(|id| st.broker(id)) {
                    None => ErrorCode::INVALID_REQUEST,
                    Some(b) => {
                        entries.push(("broker.id".into(), b.id.to_string(), 4));
                        entries.push(("num.partitions".into(), st.default_partitions.to_string(), 4));
                        entries.push(("default.replication.factor".into(), st.default_rf.to_string(), 4));
                        ErrorCode::NO_ERROR
                    }
                },
                _ => ErrorCode::INVALID_REQUEST,
            }
        };
        rr.error_code = code(e);
        rr.error_message = message(e);
        rr.resource_type = res.resource_type;
        rr.resource_name = res.resource_name;
        for (k, v, source) in entries.into_iter().filter(|e| wanted(&e.0)) {
            let mut c = DescribeConfigsResourceResult::default();
            c.name = sb(&k);
            c.value = Some(sb(&v));
            c.config_source = source;
            c.read_only = source == 4;
            rr.configs.push(c);
        }
        r.results.push(rr);
    }
    Ok(respond(req, &r))
}
