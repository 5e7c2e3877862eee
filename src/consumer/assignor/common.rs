//! What every assignor shares: its inputs and output, the trait, and the member
//! and topic orders librdkafka assigns in.

use std::collections::BTreeMap;

pub use crate::event::RebalanceProtocol;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberInfo {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub topics: Vec<String>,
    /// Partitions the member says it owns (subscription v1+), in the order sent.
    pub owned: Vec<(String, i32)>,
    /// Generation of `owned` (subscription v2+), -1 when unknown.
    pub generation: i32,
    pub rack: Option<String>,
}

/// member_id -> assigned partitions. Every member appears, possibly with nothing.
pub type AssignmentMap = BTreeMap<String, Vec<(String, i32)>>;

pub trait Assignor {
    fn name(&self) -> &'static str;
    fn protocol(&self) -> RebalanceProtocol;
    fn assign(&self, members: &[MemberInfo], partitions_per_topic: &BTreeMap<String, i32>) -> AssignmentMap;
}

pub(super) type Tp = (String, i32);

/// librdkafka's rd_kafka_group_member_cmp: static members compare by instance id
/// when both have one, otherwise by member id.
pub(super) fn member_cmp(a: &MemberInfo, b: &MemberInfo) -> std::cmp::Ordering {
    match (&a.group_instance_id, &b.group_instance_id) {
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => a.member_id.as_bytes().cmp(b.member_id.as_bytes()),
    }
}

/// Stable insertion sort that tolerates non-total comparators (member_cmp is not
/// transitive for mixed static/dynamic groups; std's sort may panic on those).
pub(super) fn sort_by_tolerant<T, F: Fn(&T, &T) -> std::cmp::Ordering>(v: &mut [T], cmp: F) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &v[j]) == std::cmp::Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Topics in the metadata with at least one subscriber, in name order, with their
/// subscribers' indexes in `members` order.
pub(super) fn eligible_topics<'a>(
    members: &[MemberInfo],
    ppt: &'a BTreeMap<String, i32>,
) -> Vec<(&'a str, i32, Vec<usize>)> {
    ppt.iter()
        .filter_map(|(t, &n)| {
            let subs: Vec<usize> = members
                .iter()
                .enumerate()
                .filter(|(_, m)| m.topics.iter().any(|s| s == t))
                .map(|(i, _)| i)
                .collect();
            (!subs.is_empty()).then(|| (t.as_str(), n.max(0), subs))
        })
        .collect()
}

pub(super) fn empty_result(members: &[MemberInfo]) -> AssignmentMap {
    members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect()
}
