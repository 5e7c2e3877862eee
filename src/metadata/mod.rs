//! The cluster view: topics and their partitions (with the producer's queues and the
//! consumer's cursors they carry), partition leaders, the cluster's id and controller.
//! Shared read-mostly by the layers above; the client's metadata handling writes it.

mod cache;
mod counters;
mod partition;
mod topic;

pub use cache::Cache;
pub use partition::{PartQueue, Partition};
pub use topic::{PartitionerFn, Topic, TopicState, TOPIC_TAG};
