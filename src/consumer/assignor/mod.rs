//! Partition assignors run by the group leader: range, roundrobin and
//! cooperative-sticky, computing the same assignments as librdkafka
//! (rdkafka_range_assignor.c, rdkafka_roundrobin_assignor.c,
//! rdkafka_sticky_assignor.c) for the same members and partitions.
//!
//! Inputs are already resolved: `MemberInfo::topics` are literal topic names (the
//! leader expands its own `^regex` subscriptions before calling; remote members send
//! names) and `partitions_per_topic` holds the partition count of every topic known to
//! the leader's metadata. A topic takes part when it is in the metadata and at least
//! one member subscribes to it. Topics are considered in name order (librdkafka uses
//! its metadata order, which only matters for rare sticky tie-breaks).
//! Rack-aware assignment (client.rack with replica racks) is not implemented: it
//! needs replica rack metadata, and librdkafka only uses it when that is present.

mod common;
mod cooperative;
mod range;
mod roundrobin;
mod sticky;

pub use common::{Assignor, MemberInfo, RebalanceProtocol};
pub use cooperative::cooperative_adjust;
pub use range::Range;
pub use roundrobin::RoundRobin;
pub use sticky::CooperativeSticky;

/// Looks an assignor up by its `partition.assignment.strategy` / protocol name.
pub fn by_name(name: &str) -> Option<Box<dyn Assignor + Send + Sync>> {
    match name {
        "range" => Some(Box::new(Range)),
        "roundrobin" => Some(Box::new(RoundRobin)),
        "cooperative-sticky" => Some(Box::new(CooperativeSticky)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
