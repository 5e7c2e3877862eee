//! kafkars: an Apache Kafka client whose C API is librdkafka's.
//!
//! The modules are layers; imports run down, events run up (see ARCHITECTURE.md, and
//! `tests/check_layers.py`, which enforces it):
//! `capi` → `client` → `stats` → `producer`, `consumer`, `admin`, `mock` → `broker` →
//! `metadata` → `instance` → `event` → `message` → `outq`, `cursor` → `security` → `conf` →
//! `protocol` → `error`, `clock`, `window`.

#![deny(unsafe_code)]
// Messages are boxed on purpose: C holds pointers to them (rd_kafka_message_t), and the
// per-thread pool recycles the boxes.
#![allow(clippy::vec_box)]

pub(crate) mod admin;
pub(crate) mod broker;
#[allow(unsafe_code)]
pub mod capi;
pub(crate) mod client;
pub(crate) mod clock;
pub(crate) mod conf;
pub(crate) mod consumer;
pub(crate) mod cursor;
pub(crate) mod error;
pub(crate) mod event;
pub(crate) mod instance;
pub(crate) mod message;
pub(crate) mod metadata;
pub mod mock;
pub(crate) mod outq;
pub mod producer;
pub mod protocol;
pub(crate) mod security;
pub(crate) mod share;
pub(crate) mod stats;
pub(crate) mod window;

/// The librdkafka API level implemented (librdkafka 2.16.0 = 0x021000ff).
pub const RD_KAFKA_VERSION: i32 = 0x0210_00ff;
pub const VERSION_HEX_STR: &str = "0x021000ff";
