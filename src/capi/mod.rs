//! The C API: librdkafka's `rd_kafka_*` functions. The only module with `extern "C"`,
//! raw pointers and `unsafe`. Every entry point is defined with `#[ffi_fn]`, which
//! exports it and catches panics so none crosses into C; every handle pointer becomes
//! its object through the tag-checked helpers of `boundary`, so NULL and pointers of
//! the wrong type are refused with the function's error value.

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

#[macro_use]
mod boundary;
pub mod admin;
pub mod background;
pub mod client;
pub mod compat;
pub mod conf;
pub mod consume;
pub mod consumer;
pub mod error;
pub mod event;
mod fetched;
mod foreign;
pub mod group;
pub mod group_commit;
pub mod group_list;
pub mod group_metadata;
pub mod handle;
pub mod headers;
pub mod message;
pub mod metadata;
pub mod poll;
pub mod produce;
pub mod queue;
pub mod share;
pub mod topic;
pub mod tplist;
pub mod txn;
pub mod types;
mod util;

pub use types::*;
