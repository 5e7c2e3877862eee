//! Cluster feature levels (KIP-584, kafka-python's update_features): the change of one
//! feature's finalized maximum level and how it may move.

use crate::error::{ErrorCode, KafkaError};

/// How an update may move a feature's level (KAFKARS_FEATURE_*, the wire's UpgradeType).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeType {
    Upgrade = 1,
    SafeDowngrade = 2,
    UnsafeDowngrade = 3,
}

impl UpgradeType {
    pub fn from_i32(v: i32) -> Option<UpgradeType> {
        match v {
            1 => Some(UpgradeType::Upgrade),
            2 => Some(UpgradeType::SafeDowngrade),
            3 => Some(UpgradeType::UnsafeDowngrade),
            _ => None,
        }
    }
}

/// One feature's new finalized maximum level; below 1 deletes the feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureUpdate {
    pub feature: String,
    pub max_level: i16,
    pub upgrade: UpgradeType,
}

impl FeatureUpdate {
    pub fn new(feature: String, max_level: i16, upgrade: i32) -> Result<FeatureUpdate, KafkaError> {
        if feature.is_empty() {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "feature name must not be empty"));
        }
        let Some(upgrade) = UpgradeType::from_i32(upgrade) else {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, format!("invalid upgrade type {upgrade}")));
        };
        Ok(FeatureUpdate { feature, max_level, upgrade })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_checked() {
        assert!(FeatureUpdate::new("metadata.version".into(), 20, 1).is_ok());
        assert!(FeatureUpdate::new("kraft.version".into(), 0, 3).is_ok());
        assert!(FeatureUpdate::new("".into(), 1, 1).is_err());
        assert_eq!(FeatureUpdate::new("x".into(), 1, 4).unwrap_err().msg, "invalid upgrade type 4");
    }
}
