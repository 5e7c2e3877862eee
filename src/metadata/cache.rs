//! The cluster view one client holds: its topics (by name), the cluster id and
//! controller, the names of every topic in the cluster, and refresh bookkeeping.
//! Read by every layer above; written by the client's metadata handling.

use super::topic::{PartitionerFn, Topic};
use crate::conf::TopicConf;
use crate::instance::Instance;
use crate::outq::OutQ;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct ClusterInfo {
    pub cluster_id: Option<String>,
    pub controller_id: i32,
    pub brokers_known: bool,
}

pub struct Cache {
    rk: Arc<Instance>,
    /// The producer queue every topic of this client counts its messages in.
    pub outq: Arc<OutQ>,
    pub topics: Mutex<HashMap<String, Arc<Topic>>>,
    pub cluster: RwLock<ClusterInfo>,
    /// A subscription uses patterns: metadata refreshes ask for all topics.
    pub want_all_topics: AtomicBool,
    /// Every topic name in the cluster, from the last all-topics metadata.
    pub all_topics: Mutex<Vec<String>>,
    /// A metadata response was applied at least once.
    pub metadata_ok: AtomicBool,
    /// When the last refresh was sent (ms since the instance started).
    pub last_refresh_ms: AtomicI64,
    /// Metadata responses arrive on any broker thread; applying them one at a time keeps
    /// two moves of a topic's unassigned messages from interleaving (and reordering).
    apply: Mutex<()>,
}

impl Cache {
    pub fn new(rk: &Arc<Instance>, outq: Arc<OutQ>) -> Cache {
        Cache {
            rk: rk.clone(),
            outq,
            topics: Mutex::new(HashMap::new()),
            cluster: RwLock::new(ClusterInfo { controller_id: -1, ..Default::default() }),
            want_all_topics: AtomicBool::new(false),
            all_topics: Mutex::new(Vec::new()),
            metadata_ok: AtomicBool::new(false),
            last_refresh_ms: AtomicI64::new(0),
            apply: Mutex::new(()),
        }
    }

    /// Returns the topic handle for `name`, creating it with `conf` (or the default topic
    /// conf); a new topic asks for a metadata refresh.
    pub fn topic(
        &self,
        name: &str,
        conf: Option<TopicConf>,
        custom: Option<PartitionerFn>,
    ) -> Result<Arc<Topic>, String> {
        self.get_or_add(name, conf, custom, false)
    }

    /// A topic looked up rather than used (watermarks, offsets for times): cached, so
    /// metadata answers about it are kept, and refreshed, but never auto-created (see
    /// Topic::hint) until the application uses it.
    pub fn hint(&self, name: &str) -> Result<Arc<Topic>, String> {
        self.get_or_add(name, None, None, true)
    }

    /// The cached topic, or a new one (then metadata is asked for). Used, not `hint`:
    /// a topic that was only a hint becomes a used one, and is refreshed as such.
    fn get_or_add(
        &self,
        name: &str,
        conf: Option<TopicConf>,
        custom: Option<PartitionerFn>,
        hint: bool,
    ) -> Result<Arc<Topic>, String> {
        let mut topics = self.topics.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = topics.get(name).cloned() {
            drop(topics);
            if !hint && t.hint.swap(false, Ordering::AcqRel) {
                self.rk.request_refresh();
            }
            return Ok(t);
        }
        let conf = conf.unwrap_or_else(|| self.rk.conf.default_topic_conf().clone());
        let t = Topic::new(&self.rk, name, conf, &self.outq, custom)?;
        t.hint.store(hint, Ordering::Release);
        topics.insert(name.to_string(), t.clone());
        drop(topics);
        self.rk.request_refresh();
        Ok(t)
    }

    /// The topic named `name`, if this client uses it.
    pub fn get(&self, name: &str) -> Option<Arc<Topic>> {
        self.topics.lock().unwrap_or_else(|e| e.into_inner()).get(name).cloned()
    }

    pub fn known_topics(&self) -> Vec<Arc<Topic>> {
        self.topics.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// Topic names the cluster has (from the last all-topics metadata response).
    pub fn cluster_topics(&self) -> Vec<String> {
        self.all_topics.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A topic's partition count, waiting (bounded) for its metadata.
    pub fn partition_count(&self, topic: &str, timeout: Duration) -> Option<i32> {
        let t = self.topic(topic, None, None).ok()?;
        let end = Instant::now() + timeout;
        loop {
            {
                let st = t.state();
                if st.known {
                    return Some(st.count);
                }
                if st.notexists {
                    return None;
                }
            }
            if Instant::now() >= end {
                return None;
            }
            self.rk.request_refresh();
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Serialises the application of metadata responses.
    pub fn apply_lock(&self) -> MutexGuard<'_, ()> {
        self.apply.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops every topic (destroy): partitions and their queues go with them.
    pub fn clear(&self) {
        self.topics.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Records that a refresh is being sent now.
    pub fn refresh_sent(&self) {
        self.last_refresh_ms.store(self.rk.start.elapsed().as_millis() as i64, Ordering::Release);
    }
}
