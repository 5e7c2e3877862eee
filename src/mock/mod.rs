//! kafkars' own mock cluster: a Kafka broker in miniature for tests (librdkafka's
//! rd_kafka_mock_* API and `test.mock.num.brokers` sit on it). Brokers on 127.0.0.1
//! listeners, partition logs of record batches as received, idempotent and
//! transactional producers, consumer groups, admin requests, and fault injection.
//! It stands beside the client and imports none of it.

mod admin;
mod cgroup_assign;
mod cgroup_ops;
mod cgroups;
mod cluster;
mod fetch;
mod group_members;
mod group_ops;
mod groups;
mod leaders;
mod log;
mod meta;
mod net;
mod produce;
mod reply;
mod serve;
mod share_fetch;
mod share_groups;
mod share_ops;
mod share_parts;
mod state;
mod telemetry;
mod txn;
mod txn_state;
mod wire;

#[cfg(test)]
mod cgroups_tests;
#[cfg(test)]
mod share_tests;
#[cfg(test)]
mod tests;

/// Error codes the cluster's calls take and return (librdkafka's numbering).
pub use crate::error::ErrorCode;
pub use cgroups::Manual;
pub use cluster::Cluster;
pub use share_groups::ShareConf;
