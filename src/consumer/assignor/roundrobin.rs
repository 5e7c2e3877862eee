//! The roundrobin assignor (rdkafka_roundrobin_assignor.c): partitions dealt one
//! by one to the members in order, skipping non-subscribers.

use std::collections::BTreeMap;

use super::common::{eligible_topics, empty_result, member_cmp, sort_by_tolerant};
use super::common::{AssignmentMap, Assignor, MemberInfo, RebalanceProtocol};

pub struct RoundRobin;

impl Assignor for RoundRobin {
    fn name(&self) -> &'static str {
        "roundrobin"
    }
    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }
    fn assign(&self, members: &[MemberInfo], ppt: &BTreeMap<String, i32>) -> AssignmentMap {
        let mut out = empty_result(members);
        let mut order: Vec<usize> = (0..members.len()).collect();
        sort_by_tolerant(&mut order, |a, b| member_cmp(&members[*a], &members[*b]));
        // The cursor carries over from topic to topic, as in librdkafka.
        let mut next: usize = usize::MAX;
        for (topic, n, _) in eligible_topics(members, ppt) {
            for p in 0..n {
                // An eligible topic has a subscriber, so this ends within one lap.
                for _ in 0..order.len() {
                    next = next.wrapping_add(1) % order.len();
                    let m = &members[order[next]];
                    if m.topics.iter().any(|s| s == topic) {
                        out.entry(m.member_id.clone()).or_default().push((topic.to_string(), p));
                        break;
                    }
                }
            }
        }
        out
    }
}
