//! Cluster metadata (list_topics) as confluent_kafka's ClusterMetadata objects, and the
//! consumer group metadata handed from a consumer to a transactional producer.

use crate::client::Rk;
use crate::error::{check, check_error, exc, KafkaError};
use crate::ffi;
use crate::producer::Ptr;
use crate::util::{cstring, err2str, text, timeout_ms};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::time::{Duration, Instant};

/// Metadata of `topic` (None: all topics) as kafkars.admin.ClusterMetadata.
pub fn list_topics(py: Python<'_>, rk: Rk, topic: Option<&str>, timeout: f64) -> PyResult<Py<PyAny>> {
    let t = timeout_ms(Some(timeout));
    let rkt = Ptr(match topic {
        Some(name) => unsafe {
            ffi::rd_kafka_topic_new(rk.p(), cstring(name).as_ptr(), std::ptr::null_mut())
        },
        None => std::ptr::null_mut(),
    });
    let all = topic.is_none() as i32;
    let (err, md) = py.detach(move || {
        let rkt = rkt;
        let mut md: *const ffi::rd_kafka_metadata_t = std::ptr::null();
        let err = unsafe { ffi::rd_kafka_metadata(rk.p(), all, rkt.0, &mut md, t) };
        (err, Ptr(md as *mut ffi::rd_kafka_metadata_t))
    });
    if !rkt.0.is_null() {
        unsafe { ffi::rd_kafka_topic_destroy(rkt.0) };
    }
    check(py, err)?;
    let res = unsafe { build(py, rk, &*md.0) };
    unsafe { ffi::rd_kafka_metadata_destroy(md.0) };
    res
}

/// The cluster id from metadata, waited for in steps (Ctrl-C interrupts between them)
/// up to `timeout` seconds (negative: forever). KafkaException _TIMED_OUT with
/// confluent_kafka's text when it does not come.
pub fn cluster_id(py: Python<'_>, rk: Rk, timeout: f64) -> PyResult<String> {
    const STEP_MS: i32 = 200;
    let total = timeout_ms(Some(timeout));
    let end = (total >= 0).then(|| Instant::now() + Duration::from_millis(total as u64));
    loop {
        let step = end.map_or(STEP_MS, |e| {
            e.saturating_duration_since(Instant::now()).as_millis().min(STEP_MS as u128) as i32
        });
        let id = py.detach(move || Ptr(unsafe { ffi::rd_kafka_clusterid(rk.p(), step) }));
        if !id.0.is_null() {
            let s = unsafe { text(id.0) };
            unsafe { ffi::rd_kafka_mem_free(rk.p(), id.0 as *mut libc::c_void) };
            return Ok(s);
        }
        if end.is_some_and(|e| Instant::now() >= e) {
            let msg = format!(
                "Failed to retrieve cluster id: {}. The broker must support KIP-78 (>= 0.10.1) for the \
                 cluster id to be available.",
                err2str(ERR_TIMED_OUT)
            );
            return Err(exc(py, ERR_TIMED_OUT, Some(msg)));
        }
        py.check_signals()?;
    }
}

const ERR_TIMED_OUT: i32 = -185;

unsafe fn build(py: Python<'_>, rk: Rk, md: &ffi::rd_kafka_metadata_t) -> PyResult<Py<PyAny>> {
    let m = py.import("kafkars.admin")?;
    let cluster = m.getattr("ClusterMetadata")?.call0()?;
    let cid = ffi::rd_kafka_clusterid(rk.p(), 0);
    if !cid.is_null() {
        cluster.setattr("cluster_id", text(cid))?;
        ffi::rd_kafka_mem_free(rk.p(), cid as *mut libc::c_void);
    }
    cluster.setattr("controller_id", ffi::rd_kafka_controllerid(rk.p(), 0))?;
    cluster.setattr("orig_broker_id", md.orig_broker_id)?;
    cluster.setattr("orig_broker_name", text(md.orig_broker_name))?;
    let brokers = PyDict::new(py);
    for i in 0..md.broker_cnt as usize {
        let b = &*md.brokers.add(i);
        let o = m.getattr("BrokerMetadata")?.call0()?;
        o.setattr("id", b.id)?;
        o.setattr("host", text(b.host))?;
        o.setattr("port", b.port)?;
        brokers.set_item(b.id, o)?;
    }
    cluster.setattr("brokers", brokers)?;
    let topics = PyDict::new(py);
    for i in 0..md.topic_cnt as usize {
        let t = &*md.topics.add(i);
        let o = m.getattr("TopicMetadata")?.call0()?;
        let name = text(t.topic);
        o.setattr("topic", &name)?;
        o.setattr("error", err(py, t.err)?)?;
        let parts = PyDict::new(py);
        for j in 0..t.partition_cnt as usize {
            let p = &*t.partitions.add(j);
            let po = m.getattr("PartitionMetadata")?.call0()?;
            po.setattr("id", p.id)?;
            po.setattr("leader", p.leader)?;
            po.setattr(
                "replicas",
                std::slice::from_raw_parts(p.replicas, p.replica_cnt.max(0) as usize).to_vec(),
            )?;
            po.setattr("isrs", std::slice::from_raw_parts(p.isrs, p.isr_cnt.max(0) as usize).to_vec())?;
            po.setattr("error", err(py, p.err)?)?;
            parts.set_item(p.id, po)?;
        }
        o.setattr("partitions", parts)?;
        topics.set_item(name, o)?;
    }
    cluster.setattr("topics", topics)?;
    Ok(cluster.unbind())
}

fn err(py: Python<'_>, code: i32) -> PyResult<Py<PyAny>> {
    Ok(if code == 0 { py.None() } else { Py::new(py, KafkaError::of(code, None))?.into_any() })
}

/// A consumer's group metadata as confluent_kafka hands it out: librdkafka's serialized
/// form, as bytes (for send_offsets_to_transaction(), possibly in another process).
pub unsafe fn group_metadata_bytes(py: Python<'_>, m: *mut ffi::CgMeta) -> PyResult<Py<PyAny>> {
    let (mut buf, mut size) = (std::ptr::null_mut(), 0usize);
    let e = ffi::rd_kafka_consumer_group_metadata_write(m, &mut buf, &mut size);
    ffi::rd_kafka_consumer_group_metadata_destroy(m);
    check_error(py, e)?;
    let b = PyBytes::new(py, std::slice::from_raw_parts(buf as *const u8, size)).into_any().unbind();
    ffi::rd_kafka_mem_free(std::ptr::null_mut(), buf);
    Ok(b)
}

/// Serialized group metadata as librdkafka's object again (freed when the guard drops).
pub fn group_metadata_read(py: Python<'_>, b: &[u8]) -> PyResult<MetaGuard> {
    let mut m = std::ptr::null_mut();
    let e = unsafe { ffi::rd_kafka_consumer_group_metadata_read(&mut m, b.as_ptr() as *const _, b.len()) };
    unsafe { check_error(py, e)? };
    Ok(MetaGuard(m))
}

/// A librdkafka group metadata object, destroyed on drop.
pub struct MetaGuard(pub *mut ffi::CgMeta);
// SAFETY: handed to librdkafka only.
unsafe impl Send for MetaGuard {}

impl Drop for MetaGuard {
    fn drop(&mut self) {
        unsafe { ffi::rd_kafka_consumer_group_metadata_destroy(self.0) }
    }
}
