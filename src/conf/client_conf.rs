//! The global configuration object.

use std::fmt;

use super::store::Store;
use super::topic_conf::TopicConf;
use super::types::{ConfError, ConfRes, Scope};

/// Global configuration (`rd_kafka_conf_t`).
#[derive(Clone)]
pub struct Conf {
    pub(super) store: Store,
    pub(super) topic: TopicConf,
    /// librdkafka has no default topic conf until one is set or a
    /// topic property is set on the global conf; `get` honours that.
    pub(super) has_topic: bool,
    topic_overwritten: bool,
}

impl Default for Conf {
    fn default() -> Self {
        Conf::new()
    }
}

impl fmt::Debug for Conf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Redacted so that secrets don't end up in logs.
        f.debug_struct("Conf")
            .field("modified", &self.store.dump(true, true))
            .field("topic", &self.topic)
            .finish()
    }
}

impl Conf {
    pub fn new() -> Conf {
        Conf {
            store: Store::new(Scope::Global),
            topic: TopicConf::new(),
            has_topic: false,
            topic_overwritten: false,
        }
    }

    /// `rd_kafka_conf_set`: global property, else (when unknown there) a
    /// property of the default topic conf.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        match self.store.set_by_name(name, value) {
            Err(e) if e.res == ConfRes::Unknown => {
                // librdkafka creates the default topic conf before trying.
                self.has_topic = true;
                self.topic.set(name, value)
            }
            r => r,
        }
    }

    /// `rd_kafka_conf_get`: the printed value; unknown names, unset string
    /// properties and unset pointers give `ConfRes::Unknown`.
    pub fn get(&self, name: &str) -> Result<String, ConfError> {
        match self.store.get(name) {
            Err(e) if self.has_topic => self.topic.get(name).map_err(|_| e),
            r => r,
        }
    }

    /// `rd_kafka_conf_dump`: every global property that has a value, in table
    /// order, sensitive values included (librdkafka doesn't redact here).
    pub fn dump(&self) -> Vec<(String, String)> {
        self.store.dump(false, false)
    }

    /// Properties the user set, secrets shown as "[redacted]" (what
    /// librdkafka logs under `debug=conf`).
    pub fn dump_modified_redacted(&self) -> Vec<(String, String)> {
        self.store.dump(true, true)
    }

    pub fn default_topic_conf(&self) -> &TopicConf {
        &self.topic
    }

    pub fn default_topic_conf_mut(&mut self) -> &mut TopicConf {
        self.has_topic = true;
        &mut self.topic
    }

    /// `rd_kafka_conf_set_default_topic_conf`.
    pub fn set_default_topic_conf(&mut self, t: TopicConf) {
        if self.has_topic && self.topic.store.any_modified() {
            self.topic_overwritten = true;
        }
        self.topic = t;
        self.has_topic = true;
    }

    /// Whether a default topic conf exists (set explicitly or created by
    /// setting a topic property on the global conf).
    pub fn has_default_topic_conf(&self) -> bool {
        self.has_topic
    }

    /// Topic properties set on the global conf were replaced by
    /// `set_default_topic_conf` (librdkafka logs a CONFWARN for this).
    pub fn default_topic_conf_overwritten(&self) -> bool {
        self.topic_overwritten
    }

    /// Stores a callback/pointer property (`dr_msg_cb`, `opaque`, ...) as an
    /// address, for the C layer's dedicated setters; 0 clears it.
    pub fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        self.store.set_ptr(name, addr)
    }

    pub fn ptr(&self, name: &str) -> usize {
        self.store.ptr(name)
    }

    /// Global property, else the default topic conf's.
    fn lookup(&self, name: &str) -> Option<(&Store, usize)> {
        if let Some(i) = self.store.find(name) {
            return Some((&self.store, i));
        }
        self.topic.store.find(name).map(|i| (&self.topic.store, i))
    }

    /// Integer value: ints, bools (0/1), enum values, flag bits, truncated floats.
    pub fn int(&self, name: &str) -> i64 {
        self.lookup(name).map_or(0, |(s, i)| s.int_at(i))
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.int(name) != 0
    }

    /// String value; enums give their canonical name; `None` when unset.
    pub fn string(&self, name: &str) -> Option<String> {
        self.lookup(name).and_then(|(s, i)| s.string_at(i))
    }

    pub fn float(&self, name: &str) -> f64 {
        self.lookup(name).map_or(0.0, |(s, i)| s.float_at(i))
    }

    /// Whether the user set the property (`rd_kafka_conf_is_modified`).
    pub fn is_set(&self, name: &str) -> bool {
        self.lookup(name).is_some_and(|(s, i)| s.modified[i])
    }
}
