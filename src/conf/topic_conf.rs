//! The topic configuration object.

use std::fmt;

use super::store::Store;
use super::types::{ConfError, Scope};

/// Topic configuration (`rd_kafka_topic_conf_t`).
#[derive(Clone)]
pub struct TopicConf {
    pub(super) store: Store,
}

impl Default for TopicConf {
    fn default() -> Self {
        TopicConf::new()
    }
}

impl fmt::Debug for TopicConf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TopicConf").field("modified", &self.store.dump(true, true)).finish()
    }
}

impl TopicConf {
    pub fn new() -> TopicConf {
        TopicConf { store: Store::new(Scope::Topic) }
    }

    /// `rd_kafka_topic_conf_set`; a leading "topic." is ignored.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        let name = name.strip_prefix("topic.").unwrap_or(name);
        self.store.set_by_name(name, value)
    }

    pub fn get(&self, name: &str) -> Result<String, ConfError> {
        self.store.get(name)
    }

    pub fn dump(&self) -> Vec<(String, String)> {
        self.store.dump(false, false)
    }

    pub fn dump_modified_redacted(&self) -> Vec<(String, String)> {
        self.store.dump(true, true)
    }

    pub fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        self.store.set_ptr(name, addr)
    }

    pub fn ptr(&self, name: &str) -> usize {
        self.store.ptr(name)
    }

    pub fn int(&self, name: &str) -> i64 {
        self.store.find(name).map_or(0, |i| self.store.int_at(i))
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.int(name) != 0
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.store.find(name).and_then(|i| self.store.string_at(i))
    }

    pub fn float(&self, name: &str) -> f64 {
        self.store.find(name).map_or(0.0, |i| self.store.float_at(i))
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.store.find(name).is_some_and(|i| self.store.modified[i])
    }
}
