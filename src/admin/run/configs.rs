//! Configs: DescribeConfigs, AlterConfigs, IncrementalAlterConfigs. A BROKER resource
//! is answered by that broker only, so a request naming one goes there; the others go
//! to the controller (or the broker set in the options).

use crate::admin::configs::ConfigResource;
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::result::{ConfigEntryInfo, ConfigResourceResult};
use crate::broker::BrokerHandle;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::describe_configs_response::DescribeConfigsResourceResult;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;

/// RD_KAFKA_RESOURCE_BROKER.
pub const RESOURCE_BROKER: i32 = 4;
/// RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG.
const SOURCE_DEFAULT: i32 = 5;

/// The broker id of the one BROKER resource, if any; an error for several or a name
/// that is not an id (librdkafka's texts).
pub fn single_broker(resources: &[ConfigResource]) -> Result<Option<i32>, KafkaError> {
    let mut found = None;
    for r in resources.iter().filter(|r| r.restype() == RESOURCE_BROKER) {
        if found.is_some() {
            return Err(KafkaError::new(
                ErrorCode::_CONFLICT,
                "Only one ConfigResource of type BROKER is allowed per call",
            ));
        }
        // strtol: leading digits count, trailing garbage is tolerated.
        let digits: String = r.name().trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
        let id: i32 = digits.parse().ok().ok_or_else(|| {
            KafkaError::new(
                ErrorCode::_INVALID_ARG,
                format!("Expected an int32 broker_id for ConfigResource(type=BROKER, name={})", r.name()),
            )
        })?;
        found = Some(id);
    }
    Ok(found)
}

/// Where a configs request goes: the BROKER resource's broker, else the controller
/// (the broker set in the options overrides both). An empty list is refused once the
/// target is known, as librdkafka does.
fn target(ctx: &Ctx, resources: &[ConfigResource]) -> Result<Arc<BrokerHandle>, KafkaError> {
    let b = match (ctx.opts.broker(), single_broker(resources)?) {
        (Some(id), _) | (None, Some(id)) => ctx.broker(id)?,
        (None, None) => ctx.controller()?,
    };
    if resources.is_empty() {
        return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "No config resources specified"));
    }
    Ok(b)
}

/// RD_KAFKA_RESOURCE_* to Kafka's ConfigResourceType (GROUP is 32 on the wire; unknown
/// types go as 0) and back.
fn wire_type(t: i32) -> i8 {
    match t {
        2 | 4 => t as i8,
        3 => 32,
        _ => 0,
    }
}

fn from_wire_type(t: i8) -> i32 {
    match t {
        2 | 4 => t as i32,
        32 => 3,
        _ => 0,
    }
}

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

/// A broker's answer for one resource: type, name, error, entries.
type Answer = (i8, String, Option<KafkaError>, Vec<ConfigEntryInfo>);

/// Results in request order; a resource the broker left out gets an error. An answer
/// for a resource not asked about fails the whole response, as in librdkafka.
fn in_order(
    ctx: &Ctx,
    resources: &[ConfigResource],
    mut answers: Vec<Answer>,
) -> Result<Vec<ConfigResourceResult>, KafkaError> {
    let asked = |a: &Answer| resources.iter().any(|r| from_wire_type(a.0) == r.restype() && a.1 == r.name());
    if !answers.iter().all(asked) {
        let (op, api) = (ctx.op_name().to_ascii_uppercase(), ctx.op_name());
        return Err(KafkaError::new(
            ErrorCode::_BAD_MSG,
            format!("{op} worker failed to parse response: {api} response protocol parse failure: Local: Bad message format"),
        ));
    }
    Ok(resources
        .iter()
        .map(|r| {
            let pos = answers.iter().position(|a| from_wire_type(a.0) == r.restype() && a.1 == r.name());
            match pos.map(|i| answers.remove(i)) {
                Some((_, _, err, entries)) => {
                    ConfigResourceResult { restype: r.restype(), name: r.name().to_string(), err, entries }
                }
                None => ConfigResourceResult {
                    restype: r.restype(),
                    name: r.name().to_string(),
                    err: Some(KafkaError::new(
                        ErrorCode::_BAD_MSG,
                        format!("ConfigResource {}:{} missing from response", r.restype(), r.name()),
                    )),
                    entries: Vec::new(),
                },
            }
        })
        .collect())
}

fn entry(c: &DescribeConfigsResourceResult) -> ConfigEntryInfo {
    let source = c.config_source as i32;
    ConfigEntryInfo {
        name: c.name.to_string(),
        value: c.value.as_ref().map(|v| v.to_string()),
        source,
        read_only: c.read_only,
        is_default: source == SOURCE_DEFAULT,
        sensitive: c.is_sensitive,
        synonym: false,
        synonyms: c
            .synonyms
            .iter()
            .map(|y| ConfigEntryInfo {
                name: y.name.to_string(),
                value: y.value.as_ref().map(|v| v.to_string()),
                source: y.source as i32,
                synonym: true,
                ..ConfigEntryInfo::default()
            })
            .collect(),
    }
}

pub fn describe_configs(
    ctx: &Ctx,
    resources: Vec<ConfigResource>,
) -> Result<Vec<ConfigResourceResult>, KafkaError> {
    let b = target(ctx, &resources)?;
    let req = resources.clone();
    let (_, r): (i16, DescribeConfigsResponse) = ctx.call(&b, ApiKey::DescribeConfigs, 1, 1, move |_| {
        let mut q = DescribeConfigsRequest::default();
        q.include_synonyms = true;
        q.resources = req
            .iter()
            .map(|r| {
                let mut d = DescribeConfigsResource::default();
                d.resource_type = wire_type(r.restype());
                d.resource_name = s(r.name());
                let keys: Vec<StrBytes> = r.entries().iter().map(|e| s(&e.name)).collect();
                d.configuration_keys = (!keys.is_empty()).then_some(keys);
                d
            })
            .collect();
        q
    })?;
    let answers = r
        .results
        .iter()
        .map(|x| {
            let err = broker_error(x.error_code, x.error_message.as_ref());
            (x.resource_type, x.resource_name.to_string(), err, x.configs.iter().map(entry).collect())
        })
        .collect();
    in_order(ctx, &resources, answers)
}

pub fn alter_configs(
    ctx: &Ctx,
    resources: Vec<ConfigResource>,
) -> Result<Vec<ConfigResourceResult>, KafkaError> {
    use kafka_protocol::messages::alter_configs_request::{AlterConfigsResource, AlterableConfig};
    let b = target(ctx, &resources)?;
    let (req, validate) = (resources.clone(), ctx.opts.validate_only());
    let (_, r): (i16, AlterConfigsResponse) = ctx.call(&b, ApiKey::AlterConfigs, 0, 2, move |_| {
        let mut q = AlterConfigsRequest::default();
        q.validate_only = validate;
        q.resources = req
            .iter()
            .map(|r| {
                let mut a = AlterConfigsResource::default();
                a.resource_type = wire_type(r.restype());
                a.resource_name = s(r.name());
                a.configs = r
                    .entries()
                    .iter()
                    .map(|e| {
                        let mut c = AlterableConfig::default();
                        c.name = s(&e.name);
                        c.value = e.value.as_deref().map(s);
                        c
                    })
                    .collect();
                a
            })
            .collect();
        q
    })?;
    let answers = r
        .responses
        .iter()
        .map(|x| {
            let err = broker_error(x.error_code, x.error_message.as_ref());
            (x.resource_type, x.resource_name.to_string(), err, Vec::new())
        })
        .collect();
    in_order(ctx, &resources, answers)
}

pub fn incremental_alter_configs(
    ctx: &Ctx,
    resources: Vec<ConfigResource>,
) -> Result<Vec<ConfigResourceResult>, KafkaError> {
    use kafka_protocol::messages::incremental_alter_configs_request::{
        AlterConfigsResource, AlterableConfig,
    };
    let b = target(ctx, &resources)?;
    let (req, validate) = (resources.clone(), ctx.opts.validate_only());
    let (_, r): (i16, IncrementalAlterConfigsResponse) =
        ctx.call(&b, ApiKey::IncrementalAlterConfigs, 0, 1, move |_| {
            let mut q = IncrementalAlterConfigsRequest::default();
            q.validate_only = validate;
            q.resources = req
                .iter()
                .map(|r| {
                    let mut a = AlterConfigsResource::default();
                    a.resource_type = wire_type(r.restype());
                    a.resource_name = s(r.name());
                    a.configs = r
                        .entries()
                        .iter()
                        .map(|e| {
                            let mut c = AlterableConfig::default();
                            c.name = s(&e.name);
                            c.config_operation = e.op as i8;
                            c.value = e.value.as_deref().map(s);
                            c
                        })
                        .collect();
                    a
                })
                .collect();
            q
        })?;
    if r.responses.len() != resources.len() {
        return Err(KafkaError::new(
            ErrorCode::_BAD_MSG,
            format!(
                "INCREMENTALALTERCONFIGS worker failed to parse response: Received {} ConfigResources in response when {} were requested",
                r.responses.len(),
                resources.len()
            ),
        ));
    }
    let answers = r
        .responses
        .iter()
        .map(|x| {
            let err = broker_error(x.error_code, x.error_message.as_ref());
            (x.resource_type, x.resource_name.to_string(), err, Vec::new())
        })
        .collect();
    in_order(ctx, &resources, answers)
}
