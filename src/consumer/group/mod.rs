//! The consumer group member (librdkafka's cgrp): coordinator discovery, JoinGroup and
//! SyncGroup (with the leader running the assignor), heartbeats, rebalance events for
//! the application (eager and cooperative), committed-offset lookup, offset commits
//! (auto and manual), max.poll.interval.ms, and leaving the group.

mod commit;
pub mod handle;
mod join;
pub mod list;
pub mod member;
pub mod rebalance;
mod session;
