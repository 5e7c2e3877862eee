//! The Admin API's domain: the operations, their options, and the request objects the
//! application builds, checked as librdkafka checks them (with its error texts). Safe
//! Rust only; `capi::admin` is the C surface over it. The admin client does not exist
//! yet: every operation answers with a not-implemented result.
//!
//! This file only declares and re-exports; the children import one another directly.

mod acls;
mod configs;
mod elect;
mod groups;
mod op;
mod options;
mod partitions;
mod records;
mod scram;
mod topics;
mod uuid;

pub use acls::{AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType};
pub use configs::{AlterConfigOpType, ConfigEntry, ConfigResource};
pub use elect::ElectLeaders;
pub use groups::{
    AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, DeleteGroup, GroupState, GroupType,
    ListConsumerGroupOffsets,
};
pub use op::AdminOp;
pub use options::{AdminOptions, IsolationLevel, Setting};
pub use partitions::TopicPartition;
pub use records::DeleteRecords;
pub use scram::{ScramUpsert, UserScramCredentialAlteration};
pub use topics::{DeleteTopic, NewPartitions, NewTopic, TopicCollection, BROKERS_MAX, PARTITIONS_MAX};
pub use uuid::Uuid;
