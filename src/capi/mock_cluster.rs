//! What `rd_kafka_mock_cluster_t *` points to: kafkars' mock cluster and the handle
//! it was created with.

use super::boundary::tag;
use super::types::rd_kafka_mock_cluster_t;
use super::util::to_cstring;
use crate::mock::Cluster;
use std::ffi::CString;
use std::sync::Arc;

#[repr(C)]
pub(crate) struct MockCluster {
    /// tag::MOCK_CLUSTER while alive (must stay the first field).
    tag: u64,
    pub cluster: Arc<Cluster>,
    /// The rd_kafka_t given to rd_kafka_mock_cluster_new, or the one embedding it.
    pub rk: usize,
    /// Made by test.mock.num.brokers: the client owns it, destroy does nothing.
    pub embedded: bool,
    pub bootstraps: CString,
}

tagged!(MockCluster => rd_kafka_mock_cluster_t, tag::MOCK_CLUSTER);

impl MockCluster {
    pub fn new(cluster: Arc<Cluster>, rk: usize, embedded: bool) -> Box<MockCluster> {
        let bootstraps = to_cstring(&cluster.bootstraps());
        Box::new(MockCluster { tag: tag::MOCK_CLUSTER, cluster, rk, embedded, bootstraps })
    }
}

/// What `rd_kafka_mock_request_t *` points to: one request the cluster recorded.
#[repr(C)]
pub(crate) struct MockRequest {
    /// tag::MOCK_REQUEST while alive (must stay the first field).
    tag: u64,
    pub broker: i32,
    pub api_key: i16,
    pub timestamp_us: i64,
}

tagged!(MockRequest => super::types::rd_kafka_mock_request_t, tag::MOCK_REQUEST);

impl MockRequest {
    pub fn new(broker: i32, api_key: i16, timestamp_us: i64) -> Box<MockRequest> {
        Box::new(MockRequest { tag: tag::MOCK_REQUEST, broker, api_key, timestamp_us })
    }
}

/// What `rd_kafka_mock_cgrp_consumer_target_assignment_t *` points to: a KIP-848
/// target assignment built by the test, member id -> (topic, partition).
#[repr(C)]
pub(crate) struct MockTargetAssignment {
    /// tag::MOCK_TARGET_ASSIGNMENT while alive (must stay the first field).
    tag: u64,
    pub members: crate::mock::Manual,
}

tagged!(
    MockTargetAssignment => super::types::rd_kafka_mock_cgrp_consumer_target_assignment_t,
    tag::MOCK_TARGET_ASSIGNMENT
);

impl MockTargetAssignment {
    pub fn new(members: crate::mock::Manual) -> Box<MockTargetAssignment> {
        Box::new(MockTargetAssignment { tag: tag::MOCK_TARGET_ASSIGNMENT, members })
    }
}
