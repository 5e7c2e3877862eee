//! The consumer group member (librdkafka's cgrp): coordinator discovery, JoinGroup and
//! SyncGroup (with the leader running the assignor), heartbeats, rebalance events for
//! the application (eager and cooperative), committed-offset lookup, offset commits
//! (auto and manual), max.poll.interval.ms, and leaving the group. With
//! group.protocol=consumer the member speaks KIP-848 instead (`heartbeat848`,
//! `reconcile`): the coordinator assigns, the member reconciles incrementally.

mod commit;
pub mod handle;
mod heartbeat848;
mod join;
mod kip848;
pub mod list;
pub mod member;
pub mod rebalance;
mod reconcile;
mod session;
