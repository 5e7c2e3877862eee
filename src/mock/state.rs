//! The cluster's model: brokers, topics, partitions and the faults injected into them.
//! One lock guards it; the cluster thread holds it while it serves a request.

use super::cgroups::CGroups;
use super::groups::Groups;
use super::log::Log;
use super::reply::Ctx;
use super::txn_state::Txns;
use crate::error::ErrorCode;
use std::collections::{BTreeMap, HashMap, VecDeque};

pub struct Broker {
    pub id: i32,
    /// The listener's port; `host`:`port` is what Metadata advertises.
    pub listen_port: u16,
    pub host: String,
    pub port: u16,
    pub up: bool,
    pub rtt_ms: u64,
    pub rack: Option<String>,
    /// Left out of Metadata (decommissioned or removed), still reachable.
    pub in_metadata: bool,
    /// Errors pushed for this broker: per API key, (error, extra delay).
    pub errors: HashMap<i16, VecDeque<(ErrorCode, u64)>>,
}

pub struct Partition {
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub leader_epoch: i32,
    /// Preferred read replica (rd_kafka_mock_partition_set_follower), -1 for none.
    pub follower: i32,
    /// The follower's log start and end when it lags (set_follower_wmarks); None: the
    /// leader's.
    pub follower_wmarks: (Option<i64>, Option<i64>),
    /// Errors pushed for this partition, per API key: its partition-level error in the
    /// next responses (after cluster and broker errors).
    pub errors: HashMap<i16, VecDeque<ErrorCode>>,
    /// Leaders (id, epoch) the next Metadata answers report instead of the real one
    /// (rd_kafka_mock_partition_push_leader_response): a stale or early view.
    pub leader_responses: VecDeque<(i32, i32)>,
    /// Leader epoch history: each epoch and the log offset it began at.
    pub epoch_starts: Vec<(i32, i64)>,
    pub log: Log,
}

pub struct Topic {
    pub id: [u8; 16],
    pub parts: Vec<Partition>,
    /// Error Metadata reports for the topic (rd_kafka_mock_topic_set_error).
    pub error: ErrorCode,
    pub configs: BTreeMap<String, String>,
}

pub struct State {
    pub cluster_id: String,
    pub brokers: Vec<Broker>,
    pub controller: i32,
    pub topics: BTreeMap<String, Topic>,
    pub default_partitions: i32,
    pub default_rf: i32,
    /// Errors pushed for any broker: per API key.
    pub errors: HashMap<i16, VecDeque<ErrorCode>>,
    /// Explicit coordinators: (key type 0 group / 1 transaction, key) -> broker.
    pub coords: HashMap<(i8, String), i32>,
    /// Version ranges changed with rd_kafka_mock_set_apiversion (-1, -1: not offered).
    pub api_versions: HashMap<i16, (i16, i16)>,
    pub groups: Groups,
    /// KIP-848 consumer groups (a group id is either classic or consumer).
    pub cgroups: CGroups,
    pub txns: Txns,
    /// KIP-932 share groups, their share-partitions and share sessions.
    pub shares: super::share_groups::Shares,
    /// KIP-714 telemetry subscription (rd_kafka_mock_telemetry_set_*).
    pub telemetry: super::telemetry::Telemetry,
    /// Bumped by each change a parked request may be waiting for.
    pub changes: u64,
    /// Requests seen while tracking (rd_kafka_mock_start_request_tracking): broker,
    /// API key, monotonic time in microseconds. None: not tracking.
    pub requests: Option<Vec<(i32, i16, i64)>>,
    /// Listeners of brokers added since the cluster thread last looked.
    pub new_listeners: Vec<(i32, std::net::TcpListener)>,
    next_topic_id: u64,
}

impl State {
    pub fn new(ports: &[u16]) -> State {
        let brokers = ports.iter().enumerate().map(|(i, &p)| Broker::new(i as i32 + 1, p)).collect();
        let n = ports.len() as i32;
        State {
            cluster_id: format!("kafkars-mock-{:08x}", fastrand::u32(..)),
            brokers,
            controller: if n > 0 { 1 } else { -1 },
            topics: BTreeMap::new(),
            default_partitions: 4,
            default_rf: n.clamp(1, 3),
            errors: HashMap::new(),
            coords: HashMap::new(),
            api_versions: HashMap::new(),
            groups: Groups::default(),
            cgroups: CGroups::default(),
            txns: Txns::default(),
            shares: Default::default(),
            telemetry: Default::default(),
            changes: 0,
            requests: None,
            new_listeners: Vec::new(),
            next_topic_id: 1,
        }
    }

    pub fn broker(&self, id: i32) -> Option<&Broker> {
        self.brokers.iter().find(|b| b.id == id)
    }

    pub fn broker_mut(&mut self, id: i32) -> Result<&mut Broker, ErrorCode> {
        // As librdkafka's mock answers for an unknown broker id.
        self.brokers.iter_mut().find(|b| b.id == id).ok_or(ErrorCode::BROKER_NOT_AVAILABLE)
    }

    /// Creates a topic. Partition p's replicas start at broker index p * rf (as in
    /// librdkafka's mock, whatever the topic's name) and the first one leads.
    pub fn create_topic(&mut self, name: &str, partitions: i32, rf: i32) -> Result<(), ErrorCode> {
        if self.topics.contains_key(name) {
            return Err(ErrorCode::TOPIC_ALREADY_EXISTS);
        }
        let listed: Vec<i32> = self.brokers.iter().filter(|b| b.in_metadata).map(|b| b.id).collect();
        if partitions < 1 {
            return Err(ErrorCode::INVALID_PARTITIONS);
        }
        if rf < 1 || rf as usize > listed.len() {
            return Err(ErrorCode::INVALID_REPLICATION_FACTOR);
        }
        let rf = rf as usize;
        let parts = (0..partitions as usize).map(|p| Partition::placed(&listed, p * rf, rf)).collect();
        let mut id = [0u8; 16];
        id[8..].copy_from_slice(&self.next_topic_id.to_be_bytes());
        id[0..4].copy_from_slice(&crc32fast::hash(name.as_bytes()).to_be_bytes());
        self.next_topic_id += 1;
        self.topics
            .insert(name.into(), Topic { id, parts, error: ErrorCode::NO_ERROR, configs: BTreeMap::new() });
        Ok(())
    }

    /// Adds partitions to a topic (CreatePartitions).
    pub fn add_partitions(&mut self, name: &str, total: i32) -> Result<(), ErrorCode> {
        let listed: Vec<i32> = self.brokers.iter().filter(|b| b.in_metadata).map(|b| b.id).collect();
        let rf = self.default_rf.min(listed.len() as i32).max(1) as usize;
        let t = self.topics.get_mut(name).ok_or(ErrorCode::UNKNOWN_TOPIC_OR_PART)?;
        if total <= t.parts.len() as i32 {
            return Err(ErrorCode::INVALID_PARTITIONS);
        }
        for p in t.parts.len()..total as usize {
            t.parts.push(Partition::placed(&listed, p * rf, rf));
        }
        Ok(())
    }

    /// The topic, created with the defaults if missing and `auto` (auto-creation).
    pub fn topic_or_create(&mut self, name: &str, auto: bool) -> Option<&mut Topic> {
        if !self.topics.contains_key(name) && auto {
            let (n, rf) = (self.default_partitions, self.default_rf);
            self.create_topic(name, n, rf).ok()?;
        }
        self.topics.get_mut(name)
    }

    /// The partition a mock API call names; a missing topic is created with just
    /// enough partitions for it, as librdkafka's mock does.
    pub fn partition_or_create(&mut self, topic: &str, p: i32) -> Result<&mut Partition, ErrorCode> {
        if !self.topics.contains_key(topic) && p >= 0 {
            let rf = self.default_rf;
            let _ = self.create_topic(topic, p + 1, rf);
        }
        self.partition_mut(topic, p)
    }

    /// A topic's name from its id (Fetch v13+ names topics by id).
    pub fn topic_name(&self, id: &[u8; 16]) -> Option<String> {
        self.topics.iter().find(|(_, t)| &t.id == id).map(|(n, _)| n.clone())
    }

    pub fn partition_mut(&mut self, topic: &str, p: i32) -> Result<&mut Partition, ErrorCode> {
        let t = self.topics.get_mut(topic).ok_or(ErrorCode::UNKNOWN_TOPIC_OR_PART)?;
        usize::try_from(p).ok().and_then(|p| t.parts.get_mut(p)).ok_or(ErrorCode::UNKNOWN_TOPIC_OR_PART)
    }

    /// The coordinator of a group (0) or transactional id (1): set explicitly, else
    /// the key's CRC32 modulo the number of brokers, as librdkafka's mock chooses.
    pub fn coordinator(&self, key_type: i8, key: &str) -> i32 {
        if let Some(&id) = self.coords.get(&(key_type, key.to_string())) {
            return id;
        }
        let n = self.brokers.len().max(1) as u32;
        self.brokers.get((crc32fast::hash(key.as_bytes()) % n) as usize).map_or(-1, |b| b.id)
    }

    /// The next injected error for a request of `api_key` to `broker`: the broker's own
    /// stack first, then the cluster's. Returns the error and the extra delay.
    pub fn next_error(&mut self, broker: i32, api_key: i16) -> Option<(ErrorCode, u64)> {
        if let Ok(b) = self.broker_mut(broker) {
            if let Some(e) = b.errors.get_mut(&api_key).and_then(|q| q.pop_front()) {
                return Some(e);
            }
        }
        self.errors.get_mut(&api_key).and_then(|q| q.pop_front()).map(|e| (e, 0))
    }

    /// Why a coordinator request is not served here: an injected error, or another
    /// coordinator (key type 0 group, 1 transaction).
    pub fn coordinator_check(&self, key_type: i8, key: &str, ctx: &Ctx) -> Result<(), ErrorCode> {
        if ctx.injected.is_error() {
            return Err(ctx.injected);
        }
        if self.coordinator(key_type, key) != ctx.broker {
            return Err(ErrorCode::NOT_COORDINATOR);
        }
        Ok(())
    }

    pub fn changed(&mut self) {
        self.changes = self.changes.wrapping_add(1);
    }
}

impl Broker {
    pub fn new(id: i32, listen_port: u16) -> Broker {
        Broker {
            id,
            listen_port,
            host: "127.0.0.1".into(),
            port: listen_port,
            up: true,
            rtt_ms: 0,
            rack: None,
            in_metadata: true,
            errors: HashMap::new(),
        }
    }
}

impl Partition {
    /// The next error pushed for this partition and API, if any.
    pub fn next_error(&mut self, api_key: i16) -> Option<ErrorCode> {
        self.errors.get_mut(&api_key).and_then(|q| q.pop_front())
    }

    /// The log start and end offsets broker `id` serves: a lagging follower its own.
    pub fn wmarks_on(&self, id: i32) -> (i64, i64) {
        let (start, end) = (self.log.start, self.log.end);
        if id != self.follower || id == self.leader {
            return (start, end);
        }
        (self.follower_wmarks.0.unwrap_or(start), self.follower_wmarks.1.unwrap_or(end).min(end))
    }

    /// KIP-320: a request naming the leader epoch it knows (-1: none) is refused when
    /// that epoch is older (FENCED) or newer (UNKNOWN) than the leader's.
    pub fn check_epoch(&self, current: i32) -> Result<(), ErrorCode> {
        match current {
            e if e < 0 || e == self.leader_epoch => Ok(()),
            e if e < self.leader_epoch => Err(ErrorCode::FENCED_LEADER_EPOCH),
            _ => Err(ErrorCode::UNKNOWN_LEADER_EPOCH),
        }
    }

    /// `rf` replicas of `brokers` starting at index `start` (wrapping); the first leads.
    fn placed(brokers: &[i32], start: usize, rf: usize) -> Partition {
        let n = brokers.len().max(1);
        let replicas: Vec<i32> = (0..rf.min(brokers.len())).map(|i| brokers[(start + i) % n]).collect();
        Partition {
            leader: replicas.first().copied().unwrap_or(-1),
            replicas,
            leader_epoch: 0,
            follower: -1,
            follower_wmarks: (None, None),
            errors: HashMap::new(),
            leader_responses: VecDeque::new(),
            epoch_starts: vec![(0, 0)],
            log: Log::default(),
        }
    }
}
