//! The server-side assignors of KIP-848 consumer groups, chosen by the members'
//! ServerAssignor: `uniform` (Kafka's default: balanced over every subscribed
//! partition, sticky) and `range` (per topic, contiguous ranges in member order).

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A partition as the protocol names it: topic id and index.
pub type Tp = ([u8; 16], i32);

/// The cluster's topics as assignors see them: name -> (id, partition count).
pub type Topics = BTreeMap<String, ([u8; 16], usize)>;

/// The target assignment of `members` (id, subscribed topics) in their order;
/// `previous` keeps `uniform` sticky.
pub fn assign(
    assignor: &str,
    members: &[(String, BTreeSet<String>)],
    topics: &Topics,
    previous: &HashMap<String, BTreeSet<Tp>>,
) -> HashMap<String, BTreeSet<Tp>> {
    let mut out: HashMap<String, BTreeSet<Tp>> =
        members.iter().map(|(id, _)| (id.clone(), BTreeSet::new())).collect();
    if assignor == "range" {
        range(members, topics, &mut out);
    } else {
        uniform(members, topics, previous, &mut out);
    }
    out
}

fn range(members: &[(String, BTreeSet<String>)], topics: &Topics, out: &mut HashMap<String, BTreeSet<Tp>>) {
    for (name, &(id, n)) in topics {
        let subs: Vec<&String> = members.iter().filter(|(_, s)| s.contains(name)).map(|(m, _)| m).collect();
        if subs.is_empty() {
            continue;
        }
        let (each, extra) = (n / subs.len(), n % subs.len());
        let mut next = 0;
        for (i, m) in subs.iter().enumerate() {
            let count = each + usize::from(i < extra);
            let set = out.get_mut(*m).expect("member");
            set.extend((next..next + count).map(|p| (id, p as i32)));
            next += count;
        }
    }
}

fn uniform(
    members: &[(String, BTreeSet<String>)],
    topics: &Topics,
    previous: &HashMap<String, BTreeSet<Tp>>,
    out: &mut HashMap<String, BTreeSet<Tp>>,
) {
    // Every subscribed partition with the members that may take it.
    let mut parts: Vec<(Tp, Vec<&String>)> = Vec::new();
    for (name, &(id, n)) in topics {
        let subs: Vec<&String> = members.iter().filter(|(_, s)| s.contains(name)).map(|(m, _)| m).collect();
        if !subs.is_empty() {
            parts.extend((0..n as i32).map(|p| ((id, p), subs.clone())));
        }
    }
    let active = members.iter().filter(|(_, s)| !s.is_empty()).count().max(1);
    let quota = parts.len().div_ceil(active);
    // Sticky: a partition stays with its previous owner while that one is under quota.
    let mut rest = Vec::new();
    for (tp, subs) in parts {
        let keeper = subs.iter().find(|m| previous.get(**m).is_some_and(|s| s.contains(&tp)));
        match keeper {
            Some(m) if out[*m].len() < quota => {
                out.get_mut(*m).expect("member").insert(tp);
            }
            _ => rest.push((tp, subs)),
        }
    }
    // The others to the eligible member holding the fewest (first in order on a tie).
    for (tp, subs) in rest {
        if let Some(m) = subs.iter().min_by_key(|m| out[**m].len()) {
            out.get_mut(*m).expect("member").insert(tp);
        }
    }
}
