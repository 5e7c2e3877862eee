//! The consumer group as the rest of the client sees it: the handle kept by the
//! consumer (an op channel to the member's thread, and a view of its state), and the
//! ops the member handles.

use crate::broker::BrokerHandle;
use crate::error::{ErrorCode, KafkaError};
use crate::event::{CommitCb, CommitResult, RebalanceProtocol};
use crate::metadata::Partition;
use crossbeam_channel::{Receiver, Sender};
use kafka_protocol::messages::{
    ConsumerGroupHeartbeatResponse, JoinGroupResponse, OffsetCommitResponse, SyncGroupResponse,
};
use std::sync::{Arc, Mutex};

pub type TopicPartition = (String, i32);

/// A committed offset as OffsetFetch answers it.
#[derive(Clone, Debug)]
pub struct CommittedOffset {
    pub offset: i64,
    /// -1 before OffsetFetch v5, or when the commit had none.
    pub leader_epoch: i32,
    pub metadata: Option<String>,
}

/// Where an assigned partition starts from its committed offset: (offset, leader epoch).
pub type StartAt = (i64, i32);

/// Committed offsets per partition, or the lookup's error.
pub type Committed = Result<Vec<(TopicPartition, Result<CommittedOffset, ErrorCode>)>, ErrorCode>;

/// Where a commit's result goes.
pub enum CommitReply {
    /// offset_commit_cb / OFFSET_COMMIT event on the consumer queue.
    Callback,
    /// An automatic commit: as Callback, but nothing is reported when nothing was stored.
    Auto,
    /// A waiting rd_kafka_commit(.., async=0) or rd_kafka_commit_queue().
    Channel(Sender<CommitResult>),
    /// Both: a synchronous commit still fires offset_commit_cb, as in librdkafka.
    Both(Sender<CommitResult>),
    /// rd_kafka_commit_queue() with a queue: the result goes there, carrying `CommitCb`.
    Queue(Arc<crate::event::Queue>, CommitCb),
}

/// A partition to commit (offset, leader epoch, metadata).
pub type CommitEntry = crate::event::CommitOffset;

pub enum GroupOp {
    Subscribe(Vec<String>),
    Unsubscribe,
    Coordinator(Result<Arc<BrokerHandle>, KafkaError>),
    Joined(Result<JoinGroupResponse, KafkaError>),
    Synced(u64, Result<SyncGroupResponse, KafkaError>),
    /// The leader's metadata refresh before assigning is done.
    LeaderMetadata(u64),
    Heartbeat(u64, ErrorCode),
    /// The application finished handling a rebalance event (its callback returned).
    RebalanceDone,
    /// Start these partitions at their committed offsets (from rd_kafka_assign).
    FetchCommitted(Vec<Arc<Partition>>),
    Committed(Vec<(Arc<Partition>, Result<StartAt, ErrorCode>)>),
    Commit(Option<Vec<CommitEntry>>, CommitReply),
    /// An OffsetCommit's response, with what was sent and how many times.
    CommitDone(Result<OffsetCommitResponse, KafkaError>, Vec<CommitEntry>, u32, CommitReply),
    /// rd_kafka_committed(): look up without starting anything.
    QueryCommitted(Vec<TopicPartition>, Sender<Committed>),
    Close(Sender<()>),
    Metadata,
    /// A ConsumerGroupHeartbeat's answer (KIP-848), tagged like Heartbeat.
    ConsumerHeartbeat(u64, Result<ConsumerGroupHeartbeatResponse, KafkaError>),
    /// Topic names looked up by id for a KIP-848 assignment.
    TopicNames(Result<Vec<(uuid::Uuid, String)>, KafkaError>),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum State {
    Init,
    WaitCoord,
    WaitJoin,
    WaitSync,
    WaitRebalanceCb,
    Steady,
    Closed,
}

impl State {
    /// librdkafka's cgrp state, as statistics report it.
    pub fn cgrp_state(self) -> &'static str {
        match self {
            State::Init => "init",
            State::WaitCoord => "wait-coord",
            State::Closed => "term",
            _ => "up",
        }
    }

    /// librdkafka's join state, as statistics report it.
    pub fn join_state(self) -> &'static str {
        match self {
            State::Init | State::WaitCoord | State::Closed => "init",
            State::WaitJoin => "wait-join",
            State::WaitSync => "wait-sync",
            State::WaitRebalanceCb => "wait-assign-call",
            State::Steady => "steady",
        }
    }
}

/// What the application side can read without going through the group thread.
#[derive(Default)]
pub struct GroupView {
    pub member_id: String,
    pub generation: i32,
    pub state: Option<State>,
    pub assignment_lost: bool,
    pub protocol: Option<RebalanceProtocol>,
    pub subscription: Vec<String>,
    pub rebalance_cnt: u64,
}

/// The group handle kept by the client.
pub struct Group {
    pub group_id: String,
    pub(super) tx: Sender<GroupOp>,
    pub view: Mutex<GroupView>,
    /// rd_kafka_consumer_poll calls so far, for max.poll.interval.ms.
    pub polls: std::sync::atomic::AtomicU64,
    /// rd_kafka_consumer_close() was called: further group calls fail with _DESTROY.
    pub closed: std::sync::atomic::AtomicBool,
    /// rd_kafka_consumer_close_queue(): rebalances go out as events; its completion.
    pub close_via_events: std::sync::atomic::AtomicBool,
    pub close_done: Mutex<Option<Receiver<()>>>,
    pub close_finished: std::sync::atomic::AtomicBool,
}

impl Group {
    /// A group handle and the receiving end of its member's op channel.
    pub fn new(group_id: String) -> (Arc<Group>, Receiver<GroupOp>) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let g = Arc::new(Group {
            group_id,
            tx,
            view: Mutex::new(GroupView::default()),
            polls: Default::default(),
            closed: Default::default(),
            close_via_events: Default::default(),
            close_done: Mutex::new(None),
            close_finished: Default::default(),
        });
        (g, rx)
    }

    pub fn send(&self, op: GroupOp) {
        let _ = self.tx.send(op);
    }

    pub fn view(&self) -> std::sync::MutexGuard<'_, GroupView> {
        self.view.lock().unwrap_or_else(|e| e.into_inner())
    }
}
