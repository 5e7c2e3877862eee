//! The consumer. `position` moves a partition's fetch position and takes fetched
//! messages; `fetcher` is the broker work source that sends Fetch requests and turns
//! record batches into messages pointing into the response buffer; `offsets` resolves
//! logical offsets (ListOffsets, auto.offset.reset); `assignment` holds what the
//! application or the group assigned; `group` is the consumer group member, with its
//! `assignor`s and the member `protocol` encoding.

pub mod assignment;
pub mod assignor;
pub mod fetcher;
pub mod group;
pub mod offset_file;
pub mod offsets;
pub mod position;

use crate::broker::Brokers;
use crate::event::Queue;
use crate::instance::Instance;
use crate::metadata::{Cache, Partition};
use group::handle::Group;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

pub use crate::cursor::OFFSET_INVALID;

/// The consumer side of a client.
pub struct Consumer {
    pub rk: Arc<Instance>,
    pub cache: Arc<Cache>,
    pub brokers: Arc<Brokers>,
    /// The high-level consumer's queue (consumer_poll); assigned partitions forward here.
    pub queue: Arc<Queue>,
    pub assignment: Mutex<Vec<Arc<Partition>>>,
    /// The consumer group member, when group.id is set.
    pub group: OnceLock<Arc<Group>>,
    /// Brokers (by handle address) with a Fetch request outstanding: one at a time each.
    fetching: Mutex<HashSet<usize>>,
}

impl Consumer {
    pub fn new(rk: &Arc<Instance>, cache: &Arc<Cache>, brokers: &Arc<Brokers>) -> Arc<Consumer> {
        Arc::new(Consumer {
            rk: rk.clone(),
            cache: cache.clone(),
            brokers: brokers.clone(),
            queue: Queue::new(),
            assignment: Mutex::new(Vec::new()),
            group: OnceLock::new(),
            fetching: Mutex::new(HashSet::new()),
        })
    }

    pub fn assignment(&self) -> MutexGuard<'_, Vec<Arc<Partition>>> {
        self.assignment.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks a Fetch to broker `key` outstanding; false when one already is.
    fn fetch_begin(&self, key: usize) -> bool {
        self.fetching.lock().unwrap_or_else(|e| e.into_inner()).insert(key)
    }

    fn fetch_end(&self, key: usize) {
        self.fetching.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
    }
}
