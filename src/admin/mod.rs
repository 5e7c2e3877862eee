//! The Admin API's domain: the operations, their options, and the request objects the
//! application builds, checked as librdkafka checks them (with its error texts). Safe
//! Rust only; `capi::admin` is the C surface over it. `engine` runs the operations
//! (`run/`) and `result` holds what they answer.
//!
//! This file only declares and re-exports; the children import one another directly.

pub(crate) mod acls;
pub(crate) mod configs;
pub(crate) mod elect;
pub(crate) mod engine;
pub(crate) mod features;
pub(crate) mod groups;
pub(crate) mod op;
pub(crate) mod options;
pub(crate) mod partitions;
pub(crate) mod reassign;
pub(crate) mod records;
pub(crate) mod result;
pub(crate) mod run;
pub(crate) mod scram;
pub(crate) mod topics;
pub(crate) mod txn;
pub(crate) mod uuid;

pub use acls::AclBinding;
pub use configs::ConfigResource;
pub use elect::ElectLeaders;
pub use engine::Admin;
pub use groups::{
    AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, DeleteGroup, ListConsumerGroupOffsets,
};
pub use op::AdminOp;
pub use options::AdminOptions;
pub use partitions::TopicPartition;
pub use records::DeleteRecords;
pub use scram::UserScramCredentialAlteration;
pub use topics::{DeleteTopic, NewPartitions, NewTopic, TopicCollection};
pub use uuid::Uuid;
