//! kafkars.mock.MockCluster: kafkars' own mock cluster (the engine behind
//! rd_kafka_mock_* and test.mock.num.brokers), for tests without a Kafka cluster.

use crate::error::check_what;
use kafkars::mock::{Cluster, ErrorCode};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// A Kafka cluster in miniature, in this process: brokers on 127.0.0.1 with free
/// ports, topics auto-created on first use (4 partitions), groups, transactions and
/// fault injection as librdkafka's mock cluster API offers them.
///
/// :param int num_brokers: how many brokers (ids 1..num_brokers).
#[pyclass(module = "kafkars.mock")]
pub struct MockCluster {
    cluster: Option<Cluster>,
}

impl MockCluster {
    fn get(&self) -> PyResult<&Cluster> {
        self.cluster.as_ref().ok_or_else(|| PyValueError::new_err("the mock cluster was closed"))
    }
}

fn done(py: Python<'_>, r: Result<(), ErrorCode>, what: &str) -> PyResult<()> {
    check_what(py, r.err().map_or(0, |e| e.code()), what)
}

#[pymethods]
impl MockCluster {
    #[new]
    #[pyo3(signature = (num_brokers=3))]
    fn new(num_brokers: usize) -> PyResult<Self> {
        if num_brokers == 0 {
            return Err(PyValueError::new_err("num_brokers must be at least 1"));
        }
        let c = Cluster::new(num_brokers).map_err(PyValueError::new_err)?;
        Ok(MockCluster { cluster: Some(c) })
    }

    /// The brokers' "host:port,..." list, for bootstrap.servers.
    fn bootstrap_servers(&self) -> PyResult<String> {
        Ok(self.get()?.bootstraps())
    }

    /// Creates a topic (replication_factor -1: up to 3).
    #[pyo3(signature = (topic, num_partitions=1, replication_factor=-1))]
    fn create_topic(
        &self,
        py: Python<'_>,
        topic: &str,
        num_partitions: i32,
        replication_factor: i32,
    ) -> PyResult<()> {
        done(py, self.get()?.topic_create(topic, num_partitions, replication_factor), "create_topic")
    }

    fn delete_topic(&self, py: Python<'_>, topic: &str) -> PyResult<()> {
        done(py, self.get()?.topic_delete(topic), "delete_topic")
    }

    /// Takes a broker down: its connections close, new ones are closed at once.
    fn set_broker_down(&self, py: Python<'_>, broker_id: i32) -> PyResult<()> {
        done(py, self.get()?.broker_set_up(broker_id, false), "set_broker_down")
    }

    fn set_broker_up(&self, py: Python<'_>, broker_id: i32) -> PyResult<()> {
        done(py, self.get()?.broker_set_up(broker_id, true), "set_broker_up")
    }

    /// Delays a broker's responses (broker_id -1: every broker).
    fn set_rtt(&self, py: Python<'_>, broker_id: i32, rtt_ms: u64) -> PyResult<()> {
        done(py, self.get()?.broker_set_rtt(broker_id, rtt_ms), "set_rtt")
    }

    fn set_partition_leader(
        &self,
        py: Python<'_>,
        topic: &str,
        partition: i32,
        broker_id: i32,
    ) -> PyResult<()> {
        done(py, self.get()?.partition_set_leader(topic, partition, broker_id), "set_partition_leader")
    }

    /// Makes a broker the coordinator of a group ("group") or transactional id
    /// ("transaction").
    fn set_coordinator(&self, py: Python<'_>, key_type: &str, key: &str, broker_id: i32) -> PyResult<()> {
        done(py, self.get()?.coordinator_set(key_type, key, broker_id), "set_coordinator")
    }

    /// The next requests of `api_key` (any broker) are answered with these error
    /// codes, in order (KafkaError._TRANSPORT closes the connection instead).
    fn push_request_errors(&self, api_key: i16, errors: Vec<i32>) -> PyResult<()> {
        let errs: Vec<ErrorCode> = errors.into_iter().map(ErrorCode).collect();
        self.get()?.push_request_errors(api_key, &errs);
        Ok(())
    }

    /// group.initial.rebalance.delay.ms of the group coordinators (default 3000).
    fn set_group_initial_rebalance_delay_ms(&self, delay_ms: u64) -> PyResult<()> {
        self.get()?.group_initial_rebalance_delay_ms(delay_ms);
        Ok(())
    }

    /// Stops the brokers (also when the object is collected).
    fn close(&mut self) {
        self.cluster = None;
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(&mut self, _t: Option<Py<PyAny>>, _v: Option<Py<PyAny>>, _tb: Option<Py<PyAny>>) {
        self.close();
    }
}
