//! kafkars._native: confluent_kafka's C types (Producer, Consumer, Message,
//! TopicPartition, KafkaError, KafkaException) on libkafkars, which is linked in whole.
//! The Python package (python/kafkars) builds both public APIs on these.

mod admin;
mod client;
mod consumer;
mod error;
mod ffi;
mod message;
mod metadata;
mod mock;
mod producer;
mod share;
mod types;
mod util;

use pyo3::prelude::*;

/// The version of the kafkars core, as confluent_kafka.libversion() gives librdkafka's.
///
/// :returns: (version string, version int): the string is the librdkafka API level
///     kafkars implements followed by kafkars' own version ("2.16.0-kafkars-0.1.0"),
///     the int that API level as 0xMMmmrrpp (librdkafka's numbering).
/// :rtype: tuple(str, int)
#[pyfunction]
fn libversion() -> (String, i32) {
    unsafe { (util::text(ffi::rd_kafka_version_str()), ffi::rd_kafka_version()) }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The core must be linked in: its exports are what ffi.rs declares.
    let _ = kafkars::capi::RD_KAFKA_EVENT_NONE;
    m.add_class::<error::KafkaError>()?;
    error::add_codes(&m.py().get_type::<error::KafkaError>())?;
    m.add("KafkaException", m.py().get_type::<error::KafkaException>())?;
    m.add_class::<types::TopicPartition>()?;
    message::add(m)?;
    m.add_class::<producer::Producer>()?;
    m.add_class::<consumer::Consumer>()?;
    m.add_class::<admin::AdminClientImpl>()?;
    m.add_class::<mock::MockCluster>()?;
    m.add_class::<share::ShareConsumer>()?;
    m.add("IllegalStateException", m.py().get_type::<share::IllegalStateException>())?;
    m.add("ConcurrentModificationException", m.py().get_type::<share::ConcurrentModificationException>())?;
    m.add_function(wrap_pyfunction!(libversion, m)?)?;
    Ok(())
}
