//! A topic (rd_kafka_topic_t): its configuration, its partitions as metadata last
//! described them, and the messages produced before its metadata arrived.

use super::counters::TopicStats;
use super::partition::Partition;
use crate::conf::{TopicConf, TopicSettings};
use crate::instance::Instance;
use crate::message::Message;
use crate::outq::OutQ;
use std::collections::VecDeque;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

/// The C API's tag for topic handles (rd_kafka_topic_t points at a `Topic`).
pub const TOPIC_TAG: u64 = 0x6b61_666b_6172_7302;

/// Custom partitioner: (topic, key, partition count, message opaque) -> partition.
pub type PartitionerFn = Arc<dyn Fn(&Topic, Option<&[u8]>, i32, usize) -> i32 + Send + Sync>;

#[derive(Default)]
pub struct TopicState {
    pub partitions: Vec<Arc<Partition>>,
    /// Partition count from metadata (`partitions` may hold more, created ahead of it).
    pub count: i32,
    /// Metadata has been received for this topic (partition count is known).
    pub known: bool,
    /// The cluster said the topic does not exist (after topic.metadata.propagation.max.ms).
    pub notexists: bool,
    pub err: i32,
    pub metadata_age: Option<Instant>,
}

/// A topic handle. One per name per client; `rd_kafka_topic_new` returns the same
/// object again.
#[repr(C)]
pub struct Topic {
    /// The C API's handle tag (rd_kafka_topic_t points here; must stay first).
    pub tag: u64,
    pub name: String,
    pub cname: CString,
    pub conf: TopicConf,
    pub settings: TopicSettings,
    pub opaque: AtomicUsize,
    pub custom_partitioner: Option<PartitionerFn>,
    pub state: RwLock<TopicState>,
    /// Messages waiting for the topic's metadata (unassigned partition).
    pub ua: Mutex<VecDeque<Box<Message>>>,
    pub outq: Arc<OutQ>,
    pub created: Instant,
    /// Sticky partition for null keys: (1 << 32 | partition) once chosen, and until when.
    pub sticky: AtomicI64,
    pub sticky_until: AtomicI64,
    /// The client instance the topic belongs to.
    pub rk: Arc<Instance>,
    pub stats: Arc<TopicStats>,
    /// Only looked up (watermarks, offsets for times), not used: a producer's metadata
    /// refresh asks for it without auto-creating it, as librdkafka's lookups do not.
    pub hint: AtomicBool,
}

impl Topic {
    pub fn new(
        rk: &Arc<Instance>,
        name: &str,
        conf: TopicConf,
        outq: &Arc<OutQ>,
        custom: Option<PartitionerFn>,
    ) -> Result<Arc<Topic>, String> {
        // As librdkafka: any name up to 512 bytes, the empty one included (the broker
        // judges it); longer would not fit a request within message.max.bytes' minimum.
        if name.len() > 512 {
            return Err("Invalid topic name".into());
        }
        let settings = TopicSettings::from_conf(&conf, &rk.settings);
        Ok(Arc::new(Topic {
            tag: TOPIC_TAG,
            name: name.to_string(),
            cname: CString::new(name).map_err(|_| "Invalid topic name".to_string())?,
            conf,
            settings,
            opaque: AtomicUsize::new(0),
            custom_partitioner: custom,
            state: RwLock::new(TopicState::default()),
            ua: Mutex::new(VecDeque::new()),
            outq: outq.clone(),
            created: Instant::now(),
            sticky: AtomicI64::new(0),
            sticky_until: AtomicI64::new(0),
            rk: rk.clone(),
            stats: Default::default(),
            hint: AtomicBool::new(false),
        }))
    }

    /// The address C sees as this topic's rd_kafka_topic_t.
    pub fn rkt(&self) -> usize {
        self as *const Topic as usize
    }

    pub fn state(&self) -> RwLockReadGuard<'_, TopicState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn state_mut(&self) -> RwLockWriteGuard<'_, TopicState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// A new partition object of this topic.
    pub fn new_partition(&self, name: Arc<str>, id: i32) -> Arc<Partition> {
        Partition::new(name, self.rkt(), self.settings.clone(), self.stats.clone(), id)
    }

    /// The partition object for `id`, created ahead of metadata if needed (a consumer may
    /// start on a partition before the topic's metadata arrives, as with librdkafka).
    pub fn ensure_partition(&self, id: i32) -> Option<Arc<Partition>> {
        if id < 0 {
            return None;
        }
        let mut st = self.state_mut();
        let name: Arc<str> =
            st.partitions.first().map_or_else(|| Arc::from(self.name.as_str()), |p| p.topic_name.clone());
        while st.partitions.len() <= id as usize {
            let n = st.partitions.len() as i32;
            st.partitions.push(self.new_partition(name.clone(), n));
        }
        st.partitions.get(id as usize).cloned()
    }

    pub fn partition(&self, id: i32) -> Option<Arc<Partition>> {
        if id < 0 {
            return None;
        }
        self.state().partitions.get(id as usize).cloned()
    }
}
