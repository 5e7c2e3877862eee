//! kafkars: an Apache Kafka client whose C API is librdkafka's.
//!
//! The modules are layers; imports run down, events run up (see ARCHITECTURE.md, and
//! `tests/check_layers.py`, which enforces it):
//! `capi` → `client` → `stats` → `producer`, `consumer`, `admin` → `broker` →
//! `metadata` → `instance` → `event` → `message` → `outq`, `cursor` → `conf` →
//! `protocol` → `error`, `clock`, `window`.

#![deny(unsafe_code)]

pub mod admin;
pub mod broker;
#[allow(unsafe_code)]
pub mod capi;
pub mod client;
pub mod clock;
pub mod conf;
pub mod consumer;
pub mod cursor;
pub mod error;
pub mod event;
pub mod instance;
pub mod message;
pub mod metadata;
pub mod outq;
pub mod producer;
pub mod protocol;
pub mod stats;
pub mod window;

/// The librdkafka API level implemented (librdkafka 2.16.0 = 0x021000ff).
pub const RD_KAFKA_VERSION: i32 = 0x0210_00ff;
pub const VERSION_HEX_STR: &str = "0x021000ff";
