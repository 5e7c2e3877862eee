//! kafkars: an Apache Kafka client whose C API is librdkafka's.
//!
//! Layers (see DESIGN.md): `capi` (the only code touching raw pointers) → `client` (rd_kafka_t, main
//! thread, metadata) → `broker` (one thread per broker) → `protocol` (wire format).

#![deny(unsafe_code)]

pub mod admin;
pub mod broker;
#[allow(unsafe_code)]
pub mod capi;
pub mod client;
pub mod conf;
pub mod consumer;
pub mod error;
pub mod event;
pub mod message;
pub mod producer;
pub mod protocol;
pub mod stats;

/// The librdkafka API level implemented (librdkafka 2.16.0 = 0x021000ff).
pub const RD_KAFKA_VERSION: i32 = 0x0210_00ff;
pub const VERSION_HEX_STR: &str = "0x021000ff";
