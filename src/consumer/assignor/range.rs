//! The range assignor (rdkafka_range_assignor.c): per topic, contiguous blocks of
//! partitions to the subscribers in member order.

use std::collections::BTreeMap;

use super::common::{eligible_topics, empty_result, member_cmp, sort_by_tolerant};
use super::common::{AssignmentMap, Assignor, MemberInfo, RebalanceProtocol};

pub struct Range;

impl Assignor for Range {
    fn name(&self) -> &'static str {
        "range"
    }
    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }
    fn assign(&self, members: &[MemberInfo], ppt: &BTreeMap<String, i32>) -> AssignmentMap {
        let mut out = empty_result(members);
        for (topic, n, mut subs) in eligible_topics(members, ppt) {
            sort_by_tolerant(&mut subs, |a, b| member_cmp(&members[*a], &members[*b]));
            // Each subscriber gets a contiguous block; the first n % m get one extra.
            let per = n / subs.len() as i32;
            let extra = n % subs.len() as i32;
            let mut next = 0;
            for (k, &mi) in subs.iter().enumerate() {
                let cnt = per + i32::from((k as i32) < extra);
                let list = out.entry(members[mi].member_id.clone()).or_default();
                for p in next..next + cnt {
                    list.push((topic.to_string(), p));
                }
                next += cnt;
            }
        }
        for v in out.values_mut() {
            v.sort();
        }
        out
    }
}
