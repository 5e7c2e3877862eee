//! Configuration objects with librdkafka's semantics: `Conf` is
//! `rd_kafka_conf_t`, `TopicConf` is `rd_kafka_topic_conf_t`.
//!
//! Setting, getting and dumping follow librdkafka 2.x exactly, including its
//! quirks (errors name the canonical property of an alias, integer range
//! errors end in '\n', CSV flags are OR:ed into the current value, an unset
//! string property reads as unknown), because programs print these strings and
//! compare these results.

mod client_conf;
mod finalize;
#[cfg(test)]
mod info;
mod parse;
pub mod props;
mod regex_check;
mod settings;
mod show;
mod store;
mod topic_conf;
mod types;

pub use client_conf::Conf;
pub use finalize::ClientType;
pub use props::global_property;
pub use settings::{OffsetReset, Partitioner, Settings, TopicSettings};
pub use show::properties_show;
pub use topic_conf::TopicConf;
pub use types::{ConfError, ConfRes};

#[cfg(test)]
mod tests;
