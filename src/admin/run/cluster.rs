//! kafkars extensions on the cluster itself, as kafka-python's KafkaAdminClient has
//! them: DescribeMetadataQuorum (DescribeQuorum), DescribeFeatures (ApiVersions v3+),
//! UpdateFeatures (the controller) and ListConfigResources.

use super::on_controller;
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::features::{FeatureUpdate, UpgradeType};
use crate::admin::result::{
    ConfigResourceListing, FeatureInfo, FeatureUpdateResult, Features, Node, QuorumInfo, ReplicaState,
};
use crate::admin::uuid::Uuid;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::describe_quorum_request::{PartitionData, TopicData};
use kafka_protocol::messages::update_features_request::FeatureUpdateKey;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

/// The partition of the KRaft metadata log, whose quorum DescribeQuorum describes.
const METADATA_TOPIC: &str = "__cluster_metadata";

/// CLIENT_METRICS: what ListConfigResources v0 lists (it was ListClientMetricsResources).
const CLIENT_METRICS: i8 = 16;

fn replica_states(v: &[describe_quorum_response::ReplicaState], ver: i16) -> Vec<ReplicaState> {
    v.iter()
        .map(|r| ReplicaState {
            replica_id: r.replica_id.0,
            directory_id: (ver >= 2).then(|| {
                let (hi, lo) = r.replica_directory_id.as_u64_pair();
                Uuid::new(hi as i64, lo as i64)
            }),
            log_end_offset: r.log_end_offset,
            last_fetch_timestamp: if ver >= 1 { r.last_fetch_timestamp } else { -1 },
            last_caught_up_timestamp: if ver >= 1 { r.last_caught_up_timestamp } else { -1 },
        })
        .collect()
}

/// The metadata quorum: its leader, voters and observers (and, v2, its nodes).
pub fn describe_quorum(ctx: &Ctx, _: ()) -> Result<QuorumInfo, KafkaError> {
    let b = ctx.any()?;
    let (ver, r): (i16, DescribeQuorumResponse) = ctx.call(&b, ApiKey::DescribeQuorum, 0, 2, |_| {
        let mut p = PartitionData::default();
        p.partition_index = 0;
        let mut t = TopicData::default();
        t.topic_name = TopicName(StrBytes::from_static_str(METADATA_TOPIC));
        t.partitions = vec![p];
        let mut r = DescribeQuorumRequest::default();
        r.topics = vec![t];
        r
    })?;
    if let Some(e) = broker_error(r.error_code, r.error_message.as_ref()) {
        return Err(e);
    }
    let part = r
        .topics
        .iter()
        .filter(|t| t.topic_name.0.as_str() == METADATA_TOPIC)
        .flat_map(|t| t.partitions.iter())
        .find(|p| p.partition_index == 0)
        .ok_or_else(|| KafkaError::new(ErrorCode::_BAD_MSG, "__cluster_metadata-0 missing from response"))?;
    if let Some(e) = broker_error(part.error_code, part.error_message.as_ref()) {
        return Err(e);
    }
    let nodes = r
        .nodes
        .iter()
        .flat_map(|n| {
            n.listeners.iter().map(move |l| Node {
                id: n.node_id.0,
                host: l.host.to_string(),
                port: l.port,
                rack: Some(l.name.to_string()),
            })
        })
        .collect();
    Ok(QuorumInfo {
        leader_id: part.leader_id.0,
        leader_epoch: part.leader_epoch,
        high_watermark: part.high_watermark,
        voters: replica_states(&part.current_voters, ver),
        observers: replica_states(&part.observers, ver),
        nodes,
    })
}

/// The features a broker supports and the cluster's finalized levels (ApiVersions v3+,
/// asked of any broker or the options' one).
pub fn describe_features(ctx: &Ctx, _: ()) -> Result<Features, KafkaError> {
    let b = ctx.any()?;
    let (_, r): (i16, ApiVersionsResponse) = ctx.call(&b, ApiKey::ApiVersions, 3, 4, |_| {
        let mut r = ApiVersionsRequest::default();
        r.client_software_name = StrBytes::from_static_str("kafkars");
        r.client_software_version = StrBytes::from_static_str(env!("CARGO_PKG_VERSION"));
        r
    })?;
    if let Some(e) = broker_error(r.error_code, None) {
        return Err(e);
    }
    let mut features: Vec<FeatureInfo> = r
        .supported_features
        .iter()
        .map(|f| FeatureInfo {
            name: f.name.to_string(),
            supported: Some((f.min_version, f.max_version)),
            finalized: None,
        })
        .collect();
    for f in &r.finalized_features {
        let levels = Some((f.min_version_level, f.max_version_level));
        match features.iter_mut().find(|x| x.name == f.name.as_str()) {
            Some(x) => x.finalized = levels,
            None => {
                features.push(FeatureInfo { name: f.name.to_string(), supported: None, finalized: levels })
            }
        }
    }
    Ok(Features { features, finalized_epoch: r.finalized_features_epoch.max(-1) })
}

/// Changes finalized feature levels on the controller (operation_timeout is the broker's
/// timeout; validate_only needs v1).
pub fn update_features(
    ctx: &Ctx,
    updates: Vec<FeatureUpdate>,
) -> Result<Vec<FeatureUpdateResult>, KafkaError> {
    let (timeout, validate) = (ctx.opts.operation_timeout_ms(), ctx.opts.validate_only());
    let req = updates.clone();
    let build = move |ver: i16| {
        let mut r = UpdateFeaturesRequest::default();
        r.timeout_ms = timeout;
        r.validate_only = validate;
        r.feature_updates = req
            .iter()
            .map(|u| {
                let mut k = FeatureUpdateKey::default();
                k.feature = StrBytes::from_string(u.feature.clone());
                k.max_version_level = u.max_level;
                if ver == 0 {
                    k.allow_downgrade = u.upgrade != UpgradeType::Upgrade;
                } else {
                    k.upgrade_type = u.upgrade as i8;
                }
                k
            })
            .collect();
        r
    };
    let min = if validate { 1 } else { 0 };
    let r: UpdateFeaturesResponse = on_controller(ctx, ApiKey::UpdateFeatures, min, 2, build, |_: &_| false)?;
    if let Some(e) = broker_error(r.error_code, r.error_message.as_ref()) {
        return Err(e);
    }
    // v2 answers with the top-level error only: no error there is success for each.
    Ok(updates
        .iter()
        .map(|u| FeatureUpdateResult {
            name: u.feature.clone(),
            err: r
                .results
                .iter()
                .find(|x| x.feature.as_str() == u.feature)
                .and_then(|x| broker_error(x.error_code, x.error_message.as_ref())),
        })
        .collect())
}

/// The config resources of `types` (empty: all), from any broker or the options' one.
/// A v0 broker lists client metrics resources only, so other types need v1.
pub fn list_config_resources(ctx: &Ctx, types: Vec<i8>) -> Result<Vec<ConfigResourceListing>, KafkaError> {
    let b = ctx.any()?;
    let min = if types.iter().any(|&t| t != CLIENT_METRICS) { 1 } else { 0 };
    let (ver, r): (i16, ListConfigResourcesResponse) =
        ctx.call(&b, ApiKey::ListConfigResources, min, 1, move |_| {
            let mut r = ListConfigResourcesRequest::default();
            r.resource_types = types.clone();
            r
        })?;
    if let Some(e) = broker_error(r.error_code, None) {
        return Err(e);
    }
    Ok(r.config_resources
        .iter()
        .map(|c| ConfigResourceListing {
            name: c.resource_name.to_string(),
            restype: if ver >= 1 { c.resource_type } else { CLIENT_METRICS },
        })
        .collect())
}
