//! kafkars' own mock cluster: a Kafka broker in miniature for tests (librdkafka's
//! rd_kafka_mock_* API and `test.mock.num.brokers` sit on it). Brokers on 127.0.0.1
//! listeners, partition logs of record batches as received, idempotent and
//! transactional producers, consumer groups, admin requests, and fault injection.
//! It stands beside the client and imports none of it.

mod admin;
mod cluster;
mod fetch;
mod group_members;
mod group_ops;
mod groups;
mod log;
mod meta;
mod net;
mod produce;
mod reply;
mod serve;
mod state;
mod txn;
mod txn_state;
mod wire;

#[cfg(test)]
mod tests;

/// Error codes the cluster's calls take and return (librdkafka's numbering).
pub use crate::error::ErrorCode;
pub use cluster::Cluster;
