//! The COOPERATIVE rebalance protocol's adjustment of any assignor's result.

use std::collections::{HashMap, HashSet};

use super::common::{AssignmentMap, MemberInfo, Tp};

/// The COOPERATIVE protocol step the leader applies after the assignor
/// (librdkafka rd_kafka_cooperative_protocol_adjust_assignment, KIP-429): a partition
/// the target gives to a member other than its current owner is withheld from
/// everyone this round; the owner revokes it and rejoins, and the next rebalance hands
/// it over. Partitions owned but absent from the target go back to their claimant.
/// Owners come from `members[..].owned`; a partition claimed twice belongs to the
/// later member in `members` order, as in librdkafka.
pub fn cooperative_adjust(target: &AssignmentMap, members: &[MemberInfo]) -> AssignmentMap {
    let mut owner: HashMap<&Tp, &str> = HashMap::new();
    for m in members {
        for tp in &m.owned {
            owner.insert(tp, m.member_id.as_str());
        }
    }
    let mut assigned: HashSet<&Tp> = HashSet::new();
    let mut out: AssignmentMap = members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect();
    for (m, tps) in target {
        for tp in tps {
            assigned.insert(tp);
            match owner.get(tp) {
                Some(o) if *o != m.as_str() => {} // changes owner: revoke first
                _ => out.entry(m.clone()).or_default().push(tp.clone()),
            }
        }
    }
    for m in members {
        for tp in &m.owned {
            if !assigned.contains(tp) && owner.get(tp) == Some(&m.member_id.as_str()) {
                if let Some(list) = out.get_mut(&m.member_id) {
                    if !list.contains(tp) {
                        list.push(tp.clone());
                    }
                }
            }
        }
    }
    out
}
