//! The C API: librdkafka's `rd_kafka_*` functions. The only module with `extern "C"`,
//! raw pointers and `unsafe`. Every entry point is defined with `#[ffi_fn]`, which
//! exports it and catches panics so none crosses into C; every handle pointer becomes
//! its object through the tag-checked helpers of `boundary`, so NULL and pointers of
//! the wrong type are refused with the function's error value.
//!
//! Inside, a file imports only files listed before it here (tests/check_layers.py fails
//! on any import cycle):
//!
//! 1. leaves: `types`, `util`, `boundary`, `foreign`, `error`, `tplist`, `headers`,
//!    `chains` (interceptor chains), `plugin`, `ssl`, `gssapi` (MIT's GSS-API, dlopened),
//!    `conf`, `interceptor`, `sockets`,
//!    `message`, `mock_cluster` (the mock cluster object).
//! 2. the handle objects: `handle` (`rd_kafka_t`, handle-wide calls), `event`,
//!    `diag` (rd_kafka_dump, rd_kafka_unittest).
//! 3. serving events: `poll` (callback dispatch, rd_kafka_poll), `queue` (queue
//!    handles, rd_kafka_queue_poll), `background` (the background thread), `fetched`
//!    (messages on their way to either consumer).
//! 4. the API families: `client` (rd_kafka_new/destroy), `topic`, `produce`,
//!    `metadata`, `consume` (legacy consumer), `group` (membership, close),
//!    `group_commit`, `group_metadata`, `consumer` (high-level consumer),
//!    `group_list`, `txn`, `compat`, `share_batch` (what a share consumer hands out),
//!    `share` (the share consumer), `admin`, `mock` (the mock cluster API),
//!    `mock_share` (its KIP-932 share group calls).
//!
//! A helper two families need lives in the lowest file both can import (`tplist_of`
//! in `tplist`, `group_of` and `close_group` in `group`).

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

#[macro_use]
mod boundary;
pub mod admin;
pub mod background;
mod chains;
pub mod client;
pub mod compat;
pub mod conf;
pub mod consume;
pub mod consumer;
pub mod diag;
pub mod error;
pub mod event;
mod fetched;
mod foreign;
pub mod group;
pub mod group_commit;
pub mod group_list;
pub mod group_metadata;
mod gssapi;
pub mod handle;
pub mod headers;
pub mod interceptor;
pub mod message;
pub mod metadata;
pub mod mock;
mod mock_cluster;
pub mod mock_share;
mod plugin;
pub mod poll;
pub mod produce;
pub mod queue;
pub mod share;
pub mod share_batch;
pub mod sockets;
mod ssl;
pub mod topic;
pub mod tplist;
pub mod txn;
pub mod types;
mod util;

pub use types::*;
