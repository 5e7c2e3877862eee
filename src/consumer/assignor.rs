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

use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebalanceProtocol {
    Eager,
    Cooperative,
}

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

pub struct Range;
pub struct RoundRobin;
pub struct CooperativeSticky;

/// Looks an assignor up by its `partition.assignment.strategy` / protocol name.
pub fn by_name(name: &str) -> Option<Box<dyn Assignor + Send + Sync>> {
    match name {
        "range" => Some(Box::new(Range)),
        "roundrobin" => Some(Box::new(RoundRobin)),
        "cooperative-sticky" => Some(Box::new(CooperativeSticky)),
        _ => None,
    }
}

type Tp = (String, i32);

/// librdkafka's rd_kafka_group_member_cmp: static members compare by instance id
/// when both have one, otherwise by member id.
fn member_cmp(a: &MemberInfo, b: &MemberInfo) -> std::cmp::Ordering {
    match (&a.group_instance_id, &b.group_instance_id) {
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => a.member_id.as_bytes().cmp(b.member_id.as_bytes()),
    }
}

/// Stable insertion sort that tolerates non-total comparators (member_cmp is not
/// transitive for mixed static/dynamic groups; std's sort may panic on those).
fn sort_by_tolerant<T, F: Fn(&T, &T) -> std::cmp::Ordering>(v: &mut [T], cmp: F) {
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
fn eligible_topics<'a>(
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

fn empty_result(members: &[MemberInfo]) -> AssignmentMap {
    members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect()
}

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

impl Assignor for CooperativeSticky {
    fn name(&self) -> &'static str {
        "cooperative-sticky"
    }
    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Cooperative
    }
    fn assign(&self, members: &[MemberInfo], ppt: &BTreeMap<String, i32>) -> AssignmentMap {
        sticky_assign(members, ppt)
    }
}

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

// ---------------------------------------------------------------------------
// Sticky assignor: a port of librdkafka's KIP-54/KIP-341 algorithm. Orders that
// decide ties follow librdkafka: its hash maps iterate newest-insert first.
// ---------------------------------------------------------------------------

/// Map iterated newest-inserted-key first (rd_map semantics); updates keep position.
struct RdMap<V> {
    seq: u64,
    m: HashMap<Tp, (u64, V)>,
}

impl<V> RdMap<V> {
    fn new() -> Self {
        RdMap { seq: 0, m: HashMap::new() }
    }
    fn get_or_insert_with(&mut self, k: &Tp, f: impl FnOnce() -> V) -> &mut V {
        let next = self.seq + 1;
        let e = self.m.entry(k.clone()).or_insert_with(|| (next, f()));
        if e.0 == next {
            self.seq = next;
        }
        &mut e.1
    }
    fn get(&self, k: &Tp) -> Option<&V> {
        self.m.get(k).map(|e| &e.1)
    }
    fn keys_iter_order(&self) -> Vec<Tp> {
        let mut v: Vec<(u64, &Tp)> = self.m.iter().map(|(k, e)| (e.0, k)).collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.0));
        v.into_iter().map(|(_, k)| k.clone()).collect()
    }
}

#[derive(Default)]
struct Potential {
    list: Vec<Tp>,
    set: HashSet<Tp>,
}

#[derive(Default)]
struct Movements {
    by_partition: HashMap<Tp, (String, String)>,
    by_topic: HashMap<String, HashMap<(String, String), Vec<Tp>>>,
}

impl Movements {
    /// Drops the partition from its pair's list. Like librdkafka, the per-partition
    /// entry itself stays until overwritten.
    fn remove_record(&mut self, tp: &Tp) -> Option<(String, String)> {
        let pair = self.by_partition.get(tp)?.clone();
        if let Some(pairs) = self.by_topic.get_mut(&tp.0) {
            if let Some(list) = pairs.get_mut(&pair) {
                if let Some(i) = list.iter().position(|x| x == tp) {
                    list.remove(i);
                }
                if list.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&tp.0);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, tp: &Tp, pair: (String, String)) {
        self.by_partition.insert(tp.clone(), pair.clone());
        self.by_topic.entry(tp.0.clone()).or_default().entry(pair).or_default().push(tp.clone());
    }

    fn move_partition(&mut self, tp: &Tp, old: &str, new: &str) {
        if self.by_partition.contains_key(tp) {
            if let Some((src, _dst)) = self.remove_record(tp) {
                if src != new {
                    self.add_record(tp, (src, new.to_string()));
                }
            }
        } else {
            self.add_record(tp, (old.to_string(), new.to_string()));
        }
    }

    /// Prefers moving back a partition that earlier moved new -> old, so that
    /// partitions return to where they were instead of cycling.
    fn actual_partition_to_move(&self, tp: &Tp, old: &str, new: &str) -> Tp {
        let Some(pairs) = self.by_topic.get(&tp.0) else {
            return tp.clone();
        };
        let old = match self.by_partition.get(tp) {
            Some((src, _)) => src.as_str(),
            None => old,
        };
        match pairs.get(&(new.to_string(), old.to_string())) {
            Some(list) if !list.is_empty() => list[0].clone(),
            _ => tp.clone(),
        }
    }
}

struct Sticky {
    current: HashMap<String, Vec<Tp>>,
    /// Consumers ascending by (assigned count, member id).
    sorted_subs: Vec<String>,
    potential: HashMap<String, Potential>,
    p2c: RdMap<Vec<String>>,
    prev: HashMap<Tp, (String, i32)>,
    cpc: HashMap<Tp, String>,
    movements: Movements,
}

fn remove_first(list: &mut Vec<Tp>, tp: &Tp) -> bool {
    match list.iter().position(|x| x == tp) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

impl Sticky {
    fn count(&self, c: &str) -> usize {
        self.current.get(c).map_or(0, Vec::len)
    }

    fn resort(&mut self) {
        let cur = &self.current;
        self.sorted_subs.sort_by(|a, b| {
            let ca = cur.get(a).map_or(0, Vec::len);
            let cb = cur.get(b).map_or(0, Vec::len);
            ca.cmp(&cb).then_with(|| a.as_bytes().cmp(b.as_bytes()))
        });
    }

    fn can_take(&self, c: &str, tp: &Tp) -> bool {
        self.potential.get(c).is_some_and(|p| p.set.contains(tp))
    }

    fn p2c_len(&self, tp: &Tp) -> usize {
        self.p2c.get(tp).map_or(0, Vec::len)
    }

    fn maybe_assign(&mut self, unassigned: &[Tp]) {
        for tp in unassigned {
            if self.p2c_len(tp) == 0 {
                continue;
            }
            let target = self.sorted_subs.iter().find(|c| self.can_take(c, tp)).cloned();
            if let Some(c) = target {
                self.current.entry(c.clone()).or_default().push(tp.clone());
                self.cpc.insert(tp.clone(), c);
                self.resort();
            }
        }
    }

    fn consumer_can_participate(&self, c: &str) -> bool {
        let cur = self.current.get(c).map_or(&[][..], |v| &v[..]);
        let max = self.potential.get(c).map_or(0, |p| p.list.len());
        if cur.len() < max {
            return true;
        }
        cur.iter().any(|tp| self.p2c_len(tp) >= 2)
    }

    fn is_balanced(&self) -> bool {
        let (Some(first), Some(last)) = (self.sorted_subs.first(), self.sorted_subs.last()) else {
            return true;
        };
        let (min, max) = (self.count(first), self.count(last));
        if min + 1 >= max {
            return true;
        }
        let mut all: HashMap<&Tp, &str> = HashMap::new();
        for (c, tps) in &self.current {
            for tp in tps {
                all.insert(tp, c.as_str());
            }
        }
        for c in &self.sorted_subs {
            let mine = self.current.get(c).map_or(&[][..], |v| &v[..]);
            let Some(pot) = self.potential.get(c) else {
                continue;
            };
            if mine.len() == pot.list.len() {
                continue;
            }
            let mine_set: HashSet<&Tp> = mine.iter().collect();
            for tp in &pot.list {
                if mine_set.contains(tp) {
                    continue;
                }
                let Some(other) = all.get(tp) else { continue };
                if mine.len() < self.count(other) {
                    return false;
                }
            }
        }
        true
    }

    fn process_partition_movement(&mut self, tp: &Tp, new: &str) {
        let Some(old) = self.cpc.get(tp).cloned() else {
            return;
        };
        self.movements.move_partition(tp, &old, new);
        self.current.entry(new.to_string()).or_default().push(tp.clone());
        if let Some(l) = self.current.get_mut(&old) {
            remove_first(l, tp);
        }
        self.cpc.insert(tp.clone(), new.to_string());
        self.resort();
    }

    fn reassign_to(&mut self, tp: &Tp, new: &str) {
        let Some(cur) = self.cpc.get(tp).cloned() else {
            return;
        };
        let actual = self.movements.actual_partition_to_move(tp, &cur, new);
        self.process_partition_movement(&actual, new);
    }

    fn reassign(&mut self, tp: &Tp) {
        let target = self.sorted_subs.iter().find(|c| self.can_take(c, tp)).cloned();
        if let Some(c) = target {
            self.reassign_to(tp, &c);
        }
    }

    fn perform_reassignments(&mut self, reassignable: &[Tp]) -> bool {
        let mut performed = false;
        loop {
            let mut modified = false;
            let mut i = 0;
            while i < reassignable.len() && !self.is_balanced() {
                let tp = &reassignable[i];
                i += 1;
                let Some(consumer) = self.cpc.get(tp).cloned() else {
                    continue;
                };
                let cnt = self.count(&consumer);
                if let Some((pc, _)) = self.prev.get(tp) {
                    if self.current.contains_key(pc) && cnt > self.count(pc) + 1 {
                        let pc = pc.clone();
                        self.reassign_to(tp, &pc);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }
                let others = self.p2c.get(tp).cloned().unwrap_or_default();
                for other in &others {
                    if *other == consumer || cnt <= self.count(other) + 1 {
                        continue;
                    }
                    self.reassign(tp);
                    performed = true;
                    modified = true;
                    break;
                }
            }
            if !modified {
                return performed;
            }
        }
    }

    fn balance_score(current: &HashMap<String, Vec<Tp>>) -> i64 {
        let sizes: Vec<i64> = current.values().map(|v| v.len() as i64).collect();
        let mut score = 0;
        for i in 0..sizes.len() {
            for j in i + 1..sizes.len() {
                score += (sizes[i] - sizes[j]).abs();
            }
        }
        score
    }
}

fn tp_cmp(a: &Tp, b: &Tp) -> std::cmp::Ordering {
    a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1))
}

fn sticky_assign(members: &[MemberInfo], ppt: &BTreeMap<String, i32>) -> AssignmentMap {
    let mut out = empty_result(members);
    if members.is_empty() {
        return out;
    }
    let mut st = Sticky {
        current: HashMap::new(),
        sorted_subs: Vec::new(),
        potential: HashMap::new(),
        p2c: RdMap::new(),
        prev: HashMap::new(),
        cpc: HashMap::new(),
        movements: Movements::default(),
    };

    // Current and previous owners from the members' owned partitions: the highest
    // generation claim wins, a tie in generation invalidates the partition.
    let mut by_gen: RdMap<Vec<(String, i32)>> = RdMap::new();
    for m in members {
        st.current.insert(m.member_id.clone(), Vec::new());
        st.potential.insert(m.member_id.clone(), Potential::default());
        for tp in &m.owned {
            by_gen.get_or_insert_with(tp, Vec::new).push((m.member_id.clone(), m.generation));
            st.cpc.insert(tp.clone(), m.member_id.clone());
        }
    }
    for tp in by_gen.keys_iter_order() {
        let Some(claims) = by_gen.m.get_mut(&tp).map(|e| &mut e.1) else {
            continue;
        };
        claims.sort_by_key(|c| c.1);
        if claims.windows(2).any(|w| w[0].1 == w[1].1) {
            st.cpc.remove(&tp);
            continue;
        }
        let Some(cur) = claims.last() else { continue };
        st.current.entry(cur.0.clone()).or_default().push(tp.clone());
        if claims.len() >= 2 {
            st.prev.insert(tp.clone(), claims[claims.len() - 2].clone());
        }
    }

    for (topic, n, subs) in eligible_topics(members, ppt) {
        for &mi in &subs {
            let c = &members[mi].member_id;
            for p in 0..n {
                let tp = (topic.to_string(), p);
                if let Some(pot) = st.potential.get_mut(c) {
                    pot.list.push(tp.clone());
                    pot.set.insert(tp.clone());
                }
                st.p2c.get_or_insert_with(&tp, Vec::new).push(c.clone());
            }
        }
    }

    let mut sorted_partitions = sort_partitions(&mut st, members);
    let mut unassigned = sorted_partitions.clone();

    let subscribed: HashMap<&str, &Vec<String>> =
        members.iter().map(|m| (m.member_id.as_str(), &m.topics)).collect();
    let mut revocation_required = false;
    let consumers: Vec<String> = st.current.keys().cloned().collect();
    for c in consumers {
        let Some(list) = st.current.get(&c).cloned() else {
            continue;
        };
        let mut keep = Vec::with_capacity(list.len());
        for tp in list {
            if st.p2c.get(&tp).is_none() {
                st.cpc.remove(&tp);
            } else if !subscribed.get(c.as_str()).is_some_and(|t| t.contains(&tp.0)) {
                revocation_required = true;
            } else {
                remove_first(&mut unassigned, &tp);
                keep.push(tp);
            }
        }
        st.current.insert(c, keep);
    }

    st.sorted_subs = st.current.keys().cloned().collect();
    st.resort();

    // balance()
    let initializing = st.sorted_subs.last().is_some_and(|c| st.count(c) == 0);
    st.maybe_assign(&unassigned);

    for tp in st.p2c.keys_iter_order() {
        if st.p2c_len(&tp) >= 2 {
            continue;
        }
        remove_first(&mut sorted_partitions, &tp);
        remove_first(&mut unassigned, &tp);
    }

    let mut fixed: Vec<(String, Vec<Tp>)> = Vec::new();
    let subs_now = st.sorted_subs.clone();
    for c in subs_now {
        if st.consumer_can_participate(&c) {
            continue;
        }
        st.sorted_subs.retain(|x| *x != c);
        let list = st.current.remove(&c).unwrap_or_default();
        fixed.push((c, list));
    }

    let pre_current = st.current.clone();
    let pre_cpc = st.cpc.clone();
    if !revocation_required && !unassigned.is_empty() {
        st.perform_reassignments(&unassigned);
    }
    let performed = st.perform_reassignments(&sorted_partitions);
    if !initializing && performed && Sticky::balance_score(&st.current) >= Sticky::balance_score(&pre_current)
    {
        st.current = pre_current;
        st.cpc = pre_cpc;
    }
    for (c, list) in fixed {
        st.current.insert(c, list);
    }

    for m in members {
        if let Some(list) = st.current.get(&m.member_id) {
            out.insert(m.member_id.clone(), list.clone());
        }
    }
    out
}

/// Order in which partitions are considered for reassignment (librdkafka
/// sortPartitions; its "fresh assignment" branch never runs since every member has
/// an entry by then).
fn sort_partitions(st: &mut Sticky, members: &[MemberInfo]) -> Vec<Tp> {
    if !subscriptions_identical(st, members) {
        let mut v = st.p2c.keys_iter_order();
        v.sort_by(|a, b| st.p2c_len(a).cmp(&st.p2c_len(b)).then_with(|| tp_cmp(a, b)));
        return v;
    }

    // Identical subscriptions: take partitions round-robin from the consumers with
    // the most, preferring ones that had another owner before.
    let mut assignments: HashMap<String, Vec<Tp>> = HashMap::new();
    let mut sorted_consumers: Vec<String> = Vec::new();
    for (c, parts) in st.current.iter_mut() {
        parts.sort_by(tp_cmp);
        let valid: Vec<Tp> = parts.iter().filter(|tp| st.p2c.get(tp).is_some()).cloned().collect();
        if !valid.is_empty() {
            assignments.insert(c.clone(), valid);
            sorted_consumers.push(c.clone());
        }
    }
    let sort_consumers = |sc: &mut Vec<String>, a: &HashMap<String, Vec<Tp>>| {
        sc.sort_by(|x, y| {
            let lx = a.get(x).map_or(0, Vec::len);
            let ly = a.get(y).map_or(0, Vec::len);
            lx.cmp(&ly).then_with(|| x.as_bytes().cmp(y.as_bytes()))
        })
    };
    sort_consumers(&mut sorted_consumers, &assignments);

    let mut sorted: Vec<Tp> = Vec::new();
    let mut in_sorted: HashSet<Tp> = HashSet::new();
    while let Some(c) = sorted_consumers.last().cloned() {
        let remaining = assignments.entry(c).or_default();
        let from_prev = remaining.iter().position(|tp| st.prev.contains_key(tp));
        let pick = match from_prev {
            Some(i) => Some(remaining.remove(i)),
            None if !remaining.is_empty() => Some(remaining.remove(0)),
            None => None,
        };
        match pick {
            Some(tp) => {
                in_sorted.insert(tp.clone());
                sorted.push(tp);
                sort_consumers(&mut sorted_consumers, &assignments);
            }
            None => {
                sorted_consumers.pop();
            }
        }
    }
    let was_empty = sorted.is_empty();
    for tp in st.p2c.keys_iter_order() {
        if in_sorted.insert(tp.clone()) {
            sorted.push(tp);
        }
    }
    if was_empty {
        sorted.sort_by(tp_cmp);
    }
    sorted
}

/// True when every partition has the same potential consumers and every consumer
/// the same potential partitions.
fn subscriptions_identical(st: &Sticky, members: &[MemberInfo]) -> bool {
    let mut first: Option<&Vec<String>> = None;
    for e in st.p2c.m.values() {
        match first {
            Some(f) if f != &e.1 => return false,
            _ => first = Some(&e.1),
        }
    }
    let mut firstp: Option<&HashSet<Tp>> = None;
    for m in members {
        let Some(p) = st.potential.get(&m.member_id) else {
            continue;
        };
        match firstp {
            Some(f) if f != &p.set => return false,
            _ => firstp = Some(&p.set),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(ts: &[(&str, i32)]) -> BTreeMap<String, i32> {
        ts.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    /// Like librdkafka's ut_init_member: instance id = member id, generation 1.
    fn member(id: &str, topics: &[&str]) -> MemberInfo {
        MemberInfo {
            member_id: id.into(),
            group_instance_id: Some(id.into()),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: vec![],
            generation: 1,
            rack: None,
        }
    }

    fn owning(mut m: MemberInfo, generation: i32, owned: &[(&str, i32)]) -> MemberInfo {
        m.generation = generation;
        m.owned = owned.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        m
    }

    fn tps(v: &[(&str, i32)]) -> Vec<Tp> {
        let mut v: Vec<Tp> = v.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        v.sort();
        v
    }

    fn got(r: &AssignmentMap, m: &str) -> Vec<Tp> {
        let mut v = r.get(m).cloned().unwrap_or_default();
        v.sort();
        v
    }

    /// Every subscribed partition assigned exactly once, only to subscribers.
    fn check_valid(members: &[MemberInfo], ppt: &BTreeMap<String, i32>, r: &AssignmentMap) {
        let mut seen = HashSet::new();
        for m in members {
            for tp in r.get(&m.member_id).map_or(&[][..], |v| &v[..]) {
                assert!(m.topics.contains(&tp.0), "{} got unsubscribed {:?}", m.member_id, tp);
                assert!(seen.insert(tp.clone()), "{tp:?} assigned twice");
            }
        }
        for (t, n) in ppt {
            if members.iter().any(|m| m.topics.contains(t)) {
                for p in 0..*n {
                    assert!(seen.contains(&(t.clone(), p)), "{t}/{p} unassigned");
                }
            }
        }
    }

    /// Balanced as the sticky assignor defines it: nobody could take a partition
    /// from a member holding more than one extra.
    fn check_balanced(members: &[MemberInfo], r: &AssignmentMap) {
        let owner: HashMap<&Tp, &str> =
            r.iter().flat_map(|(m, v)| v.iter().map(move |tp| (tp, m.as_str()))).collect();
        for m in members {
            let mine = r[&m.member_id].len();
            for (tp, o) in &owner {
                if m.topics.contains(&tp.0) && *o != m.member_id {
                    assert!(r[*o].len() <= mine + 1, "{} could take {:?} from {}", m.member_id, tp, o);
                }
            }
        }
    }

    /// What members report next time: their assignment as owned partitions.
    fn set_owned(members: &mut [MemberInfo], r: &AssignmentMap) {
        for m in members {
            m.owned = r.get(&m.member_id).cloned().unwrap_or_default();
        }
    }

    #[test]
    fn by_name_and_protocols() {
        assert_eq!(by_name("range").map(|a| a.name()), Some("range"));
        assert_eq!(by_name("roundrobin").map(|a| a.protocol()), Some(RebalanceProtocol::Eager));
        assert_eq!(by_name("cooperative-sticky").map(|a| a.protocol()), Some(RebalanceProtocol::Cooperative));
        assert!(by_name("sticky").is_none());
    }

    #[test]
    fn range_basic() {
        let ppt = meta(&[("t1", 3), ("t2", 3)]);
        let ms = vec![member("c2", &["t1", "t2"]), member("c1", &["t1", "t2"])];
        let r = Range.assign(&ms, &ppt);
        assert_eq!(got(&r, "c1"), tps(&[("t1", 0), ("t1", 1), ("t2", 0), ("t2", 1)]));
        assert_eq!(got(&r, "c2"), tps(&[("t1", 2), ("t2", 2)]));
        // Remainders go to the first members, per topic, in contiguous blocks.
        let ppt = meta(&[("t", 11)]);
        let ms: Vec<_> = ["a", "b", "c", "d"].iter().map(|n| member(n, &["t"])).collect();
        let r = Range.assign(&ms, &ppt);
        let blocks: Vec<Vec<i32>> =
            ["a", "b", "c", "d"].iter().map(|n| got(&r, n).into_iter().map(|x| x.1).collect()).collect();
        assert_eq!(blocks, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8], vec![9, 10]]);
        check_valid(&ms, &ppt, &r);
    }

    #[test]
    fn range_mixed_and_missing() {
        // librdkafka ut_testMultipleConsumersMixedTopicSubscriptions under range.
        let ppt = meta(&[("topic1", 3), ("topic2", 2)]);
        let ms = vec![
            member("consumer1", &["topic1"]),
            member("consumer2", &["topic1", "topic2"]),
            member("consumer3", &["topic1"]),
        ];
        let r = Range.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic2", 0), ("topic2", 1)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 2)]));
        // Nonexistent topic and fewer partitions than members.
        let ms = vec![member("a", &["nope"]), member("b", &["one"]), member("c", &["one"])];
        let r = Range.assign(&ms, &meta(&[("one", 1)]));
        assert_eq!(got(&r, "a"), vec![]);
        assert_eq!(got(&r, "b"), tps(&[("one", 0)]));
        assert_eq!(got(&r, "c"), vec![]);
    }

    #[test]
    fn static_members_sort_by_instance_id() {
        let ppt = meta(&[("t", 2)]);
        let mut a = member("zzz", &["t"]);
        a.group_instance_id = Some("i1".into());
        let mut b = member("aaa", &["t"]);
        b.group_instance_id = Some("i2".into());
        let r = Range.assign(&[b.clone(), a.clone()], &ppt);
        assert_eq!(got(&r, "zzz"), tps(&[("t", 0)]));
        let r = RoundRobin.assign(&[b, a], &ppt);
        assert_eq!(got(&r, "zzz"), tps(&[("t", 0)]));
    }

    #[test]
    fn roundrobin_basic_and_skip() {
        let ppt = meta(&[("t1", 3), ("t2", 3)]);
        let ms = vec![member("c2", &["t1", "t2"]), member("c1", &["t1", "t2"])];
        let r = RoundRobin.assign(&ms, &ppt);
        assert_eq!(got(&r, "c1"), tps(&[("t1", 0), ("t1", 2), ("t2", 1)]));
        assert_eq!(got(&r, "c2"), tps(&[("t1", 1), ("t2", 0), ("t2", 2)]));
        // Poor round-robin scenario from librdkafka's sticky tests (its comment
        // gives the round-robin result).
        let ppt = meta(&[("topic1", 2), ("topic2", 1), ("topic3", 2), ("topic4", 1), ("topic5", 2)]);
        let all = ["topic1", "topic2", "topic3", "topic4", "topic5"];
        let odd = ["topic1", "topic3", "topic5"];
        let ms = vec![
            member("consumer1", &all),
            member("consumer2", &odd),
            member("consumer3", &odd),
            member("consumer4", &all),
        ];
        let r = RoundRobin.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic3", 0), ("topic5", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic3", 1), ("topic5", 1)]));
        assert_eq!(got(&r, "consumer3"), vec![]);
        assert_eq!(got(&r, "consumer4"), tps(&[("topic2", 0), ("topic4", 0)]));
    }

    #[test]
    fn roundrobin_balance_property() {
        for nm in 1..6 {
            for np in 0..20 {
                let ppt = meta(&[("a", np), ("b", np / 2 + 1)]);
                let ms: Vec<_> = (0..nm).map(|i| member(&format!("m{i}"), &["a", "b"])).collect();
                let r = RoundRobin.assign(&ms, &ppt);
                check_valid(&ms, &ppt, &r);
                let sizes: Vec<usize> = r.values().map(Vec::len).collect();
                assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            }
        }
    }

    // ---- sticky: scenarios from librdkafka's rdkafka_sticky_assignor.c unit tests ----

    #[test]
    fn sticky_single_consumer_cases() {
        let ms = vec![member("consumer1", &["topic1"])];
        assert_eq!(got(&CooperativeSticky.assign(&ms, &meta(&[])), "consumer1"), vec![]);
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 3), ("topic2", 3)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 1), ("topic1", 2)]));
        let ms = vec![member("consumer1", &["topic1", "topic2"])];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 1), ("topic2", 2)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic2", 0), ("topic2", 1)]));
    }

    #[test]
    fn sticky_two_consumers() {
        let ms = vec![member("consumer1", &["topic1"]), member("consumer2", &["topic1"])];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 1)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0)]));
        assert_eq!(got(&r, "consumer2"), vec![]);
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 2)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1)]));
    }

    #[test]
    fn sticky_mixed_subscriptions() {
        let ppt = meta(&[("topic1", 3), ("topic2", 2)]);
        let ms = vec![
            member("consumer1", &["topic1"]),
            member("consumer2", &["topic1", "topic2"]),
            member("consumer3", &["topic1"]),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 2)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic2", 0), ("topic2", 1)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 1)]));
    }

    #[test]
    fn sticky_two_consumers_two_topics() {
        let ppt = meta(&[("topic1", 3), ("topic2", 3)]);
        let ms = vec![member("consumer1", &["topic1", "topic2"]), member("consumer2", &["topic1", "topic2"])];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)]));
    }

    #[test]
    fn sticky_add_remove_consumer() {
        let ppt = meta(&[("topic1", 3)]);
        let mut ms = vec![member("consumer1", &["topic1"])];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 1), ("topic1", 2)]));
        set_owned(&mut ms, &r);
        ms.push(member("consumer2", &["topic1"]));
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 1), ("topic1", 2)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 0)]));
        set_owned(&mut ms, &r);
        let r = CooperativeSticky.assign(&ms[1..], &ppt);
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 0), ("topic1", 1), ("topic1", 2)]));
    }

    #[test]
    fn sticky_poor_roundrobin_scenario() {
        let ppt = meta(&[("topic1", 2), ("topic2", 1), ("topic3", 2), ("topic4", 1), ("topic5", 2)]);
        let all = ["topic1", "topic2", "topic3", "topic4", "topic5"];
        let odd = ["topic1", "topic3", "topic5"];
        let ms = vec![
            member("consumer1", &all),
            member("consumer2", &odd),
            member("consumer3", &odd),
            member("consumer4", &all),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic2", 0), ("topic3", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 0), ("topic3", 1)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 1), ("topic5", 0)]));
        assert_eq!(got(&r, "consumer4"), tps(&[("topic4", 0), ("topic5", 1)]));
    }

    #[test]
    fn sticky_add_remove_topic() {
        let mut ms =
            vec![member("consumer1", &["topic1", "topic2"]), member("consumer2", &["topic1", "topic2"])];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 3)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 2)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1)]));
        set_owned(&mut ms, &r);
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 3), ("topic2", 3)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic2", 2), ("topic2", 0)]));
        set_owned(&mut ms, &r);
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic2", 3)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic2", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic2", 0), ("topic2", 2)]));
    }

    #[test]
    fn sticky_quota_filled() {
        let ms = vec![
            owning(member("consumer1", &["topic1"]), 1, &[("topic1", 0), ("topic1", 1)]),
            owning(member("consumer2", &["topic1"]), 1, &[("topic1", 2)]),
            member("consumer3", &["topic1"]),
        ];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 4)]));
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic1", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 2)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 3)]));
    }

    #[test]
    fn sticky_stale_and_missing_generation() {
        let ppt = meta(&[("topic1", 3), ("topic2", 3)]);
        let owned = [("topic1", 0), ("topic1", 2), ("topic2", 1)];
        for g2 in [9, -1] {
            let ms = vec![
                owning(member("consumer1", &["topic1", "topic2"]), 10, &owned),
                owning(member("consumer2", &["topic1", "topic2"]), g2, &owned),
            ];
            let r = CooperativeSticky.assign(&ms, &ppt);
            assert_eq!(got(&r, "consumer1"), tps(&owned));
            assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)]));
        }
    }

    #[test]
    fn sticky_same_generation_conflicts() {
        let ppt = meta(&[("topic1", 3)]);
        let ms = vec![
            owning(member("consumer1", &["topic1"]), 1, &[("topic1", 0), ("topic1", 1)]),
            owning(member("consumer2", &["topic1"]), 1, &[("topic1", 0), ("topic1", 2)]),
            member("consumer3", &["topic1"]),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 2)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 0)]));
        let ms = vec![
            owning(member("consumer1", &["topic1"]), 1, &[("topic1", 0), ("topic1", 1)]),
            owning(member("consumer2", &["topic1"]), 1, &[("topic1", 1), ("topic1", 2)]),
            member("consumer3", &["topic1"]),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 2)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 1)]));
    }

    #[test]
    fn sticky_highest_generation_wins() {
        let ppt = meta(&[("topic1", 3), ("topic2", 3), ("topic3", 3)]);
        let all = ["topic1", "topic2", "topic3"];
        let ms = vec![
            owning(member("consumer1", &all), 10, &[("topic1", 0), ("topic2", 0), ("topic3", 0)]),
            owning(member("consumer2", &all), 9, &[("topic1", 1), ("topic2", 1), ("topic3", 1)]),
            owning(member("consumer3", &all), 8, &[("topic2", 1), ("topic3", 0), ("topic3", 2)]),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic2", 0), ("topic3", 0)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 1), ("topic2", 1), ("topic3", 1)]));
        assert_eq!(got(&r, "consumer3"), tps(&[("topic1", 2), ("topic2", 2), ("topic3", 2)]));
    }

    #[test]
    fn sticky_no_reassignment_on_current_members() {
        let ppt = meta(&[("topic0", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
        let all = ["topic0", "topic1", "topic2", "topic3"];
        let ms = vec![
            owning(member("consumer1", &all), -1, &[]),
            owning(member("consumer2", &all), 9, &[("topic0", 0), ("topic2", 0), ("topic1", 0)]),
            owning(member("consumer3", &all), 8, &[("topic3", 2), ("topic2", 2), ("topic1", 1)]),
            owning(member("consumer4", &all), 7, &[("topic3", 1), ("topic0", 1), ("topic0", 2)]),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 2), ("topic2", 1), ("topic3", 0)]));
    }

    #[test]
    fn sticky_multiple_generations_per_member() {
        let ppt = meta(&[("topic1", 3), ("topic2", 3)]);
        let ms = vec![
            owning(
                member("consumer1", &["topic1", "topic2"]),
                10,
                &[("topic1", 0), ("topic2", 1), ("topic1", 1)],
            ),
            owning(
                member("consumer2", &["topic1", "topic2"]),
                8,
                &[("topic1", 0), ("topic2", 1), ("topic2", 2)],
            ),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(got(&r, "consumer1"), tps(&[("topic1", 0), ("topic2", 1), ("topic1", 1)]));
        assert_eq!(got(&r, "consumer2"), tps(&[("topic1", 2), ("topic2", 2), ("topic2", 0)]));
    }

    #[test]
    fn sticky_move_existing_assignments() {
        // One consumer per partition; when consumer1 leaves, the others keep theirs.
        let ppt = meta(&[("topic1", 3)]);
        let mut ms: Vec<_> = (1..=4).map(|i| member(&format!("consumer{i}"), &["topic1"])).collect();
        let r = CooperativeSticky.assign(&ms, &ppt);
        assert!(r.values().all(|v| v.len() <= 1));
        set_owned(&mut ms, &r);
        let r2 = CooperativeSticky.assign(&ms[1..], &ppt);
        for m in &ms[1..] {
            assert_eq!(r2[&m.member_id].len(), 1);
            if !m.owned.is_empty() {
                assert_eq!(r2[&m.member_id], m.owned, "{} moved", m.member_id);
            }
        }
        // The _j variant: one partition topics with overlapping subscriptions.
        let ppt =
            meta(&[("topic1", 1), ("topic2", 1), ("topic3", 1), ("topic4", 1), ("topic5", 1), ("topic6", 1)]);
        let ms = vec![
            owning(member("consumer1", &["topic1", "topic2"]), 1, &[("topic1", 0)]),
            owning(
                member("consumer2", &["topic1", "topic2", "topic3", "topic4"]),
                1,
                &[("topic2", 0), ("topic3", 0)],
            ),
            owning(
                member("consumer3", &["topic2", "topic3", "topic4", "topic5", "topic6"]),
                1,
                &[("topic4", 0), ("topic5", 0), ("topic6", 0)],
            ),
        ];
        let r = CooperativeSticky.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r);
        check_balanced(&ms, &r);
    }

    #[test]
    fn sticky_deleted_topics() {
        let ms = vec![member("consumer1", &["topic1", "topic2", "topic3"])];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 1), ("topic3", 100)]));
        assert_eq!(r["consumer1"].len(), 101);
        let mut ms = vec![member("consumer1", &["topic1"])];
        let r = CooperativeSticky.assign(&ms, &meta(&[("topic1", 3)]));
        set_owned(&mut ms, &r);
        let r = CooperativeSticky.assign(&ms, &meta(&[]));
        assert_eq!(r["consumer1"], vec![]);
    }

    #[test]
    fn sticky_reassignment_after_leave_and_add() {
        // 19 topics (topicN has N partitions), consumerI subscribes topic1..topicI.
        let ppt: BTreeMap<String, i32> = (1..=19).map(|i| (format!("topic{i}"), i)).collect();
        let mut ms: Vec<MemberInfo> = (1..=19)
            .map(|i| {
                let ts: Vec<String> = (1..=i).map(|j| format!("topic{j}")).collect();
                let ts: Vec<&str> = ts.iter().map(String::as_str).collect();
                member(&format!("consumer{i}"), &ts)
            })
            .collect();
        let r = CooperativeSticky.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r);
        check_balanced(&ms, &r);
        set_owned(&mut ms, &r);
        ms.remove(9);
        let r2 = CooperativeSticky.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r2);
        check_balanced(&ms, &r2);

        // 20 partitions, 8 then 9 identical consumers.
        let ppt = meta(&[("topic1", 20)]);
        let mut ms: Vec<_> = (1..=9).map(|i| member(&format!("consumer{i}"), &["topic1"])).collect();
        let r = CooperativeSticky.assign(&ms[..8], &ppt);
        check_valid(&ms[..8], &ppt, &r);
        set_owned(&mut ms, &r);
        let r2 = CooperativeSticky.assign(&ms, &ppt);
        check_valid(&ms, &ppt, &r2);
        check_balanced(&ms, &r2);
        // Stickiness: everyone keeps at least min(old, new quota) of what it had.
        for m in &ms[..8] {
            let kept = r2[&m.member_id].iter().filter(|tp| m.owned.contains(tp)).count();
            let quota = r2[&m.member_id].len().min(m.owned.len());
            assert!(kept >= quota, "{} lost partitions", m.member_id);
        }
    }

    #[test]
    fn sticky_properties_random() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let topics = ["a", "b", "c", "d"];
        for _round in 0..150 {
            let ppt: BTreeMap<String, i32> = topics.iter().map(|t| (t.to_string(), rnd(8) as i32)).collect();
            let nm = 1 + rnd(6) as usize;
            let same = rnd(2) == 0;
            let mut ms: Vec<MemberInfo> = (0..nm)
                .map(|i| {
                    let ts: Vec<&str> = if same {
                        topics.to_vec()
                    } else {
                        topics.iter().copied().filter(|_| rnd(3) != 0).collect()
                    };
                    member(&format!("m{i}"), &ts)
                })
                .collect();
            let r = CooperativeSticky.assign(&ms, &ppt);
            check_valid(&ms, &ppt, &r);
            if same {
                check_balanced(&ms, &r);
            }
            // A member leaves: everyone else keeps what they had when balance allows.
            set_owned(&mut ms, &r);
            let gone = rnd(nm as u64) as usize;
            let rest: Vec<MemberInfo> =
                ms.iter().enumerate().filter(|(i, _)| *i != gone).map(|(_, m)| m.clone()).collect();
            let r2 = CooperativeSticky.assign(&rest, &ppt);
            check_valid(&rest, &ppt, &r2);
            if same {
                check_balanced(&rest, &r2);
                for m in &rest {
                    for tp in &m.owned {
                        assert!(r2[&m.member_id].contains(tp), "{} lost {:?} after a leave", m.member_id, tp);
                    }
                }
            }
            // A member joins: nobody gains a partition it did not need.
            let mut more = ms.clone();
            more.push(member("zz-new", &topics));
            let r3 = CooperativeSticky.assign(&more, &ppt);
            check_valid(&more, &ppt, &r3);
            if same {
                check_balanced(&more, &r3);
                for m in &ms {
                    let kept = r3[&m.member_id].iter().filter(|tp| m.owned.contains(tp)).count();
                    assert_eq!(kept, r3[&m.member_id].len(), "{} gained on a join", m.member_id);
                }
            }
        }
    }

    struct Captured {
        strategy: &'static str,
        generation: i32,
        members: &'static [(&'static str, &'static str)],
        assignments: &'static [(&'static str, &'static str)],
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    /// librdkafka's leader decisions reproduced from the same JoinGroup members, and
    /// its subscription/assignment bytes round-tripped exactly.
    #[test]
    fn matches_captured_librdkafka_rebalances() {
        use crate::consumer::protocol::{
            decode_assignment_versioned, decode_subscription_versioned, encode_assignment,
            encode_subscription, flatten_partitions,
        };
        let ppt = meta(&[("t1", 4), ("t2", 3)]);
        let mut seen = HashSet::new();
        for c in CAPTURED {
            seen.insert(c.strategy);
            let mut members = Vec::new();
            for (id, hex) in c.members {
                let b = unhex(hex);
                let (v, s) = decode_subscription_versioned(&b).unwrap();
                assert_eq!(v, 3, "librdkafka always sends subscription v3");
                assert_eq!(&encode_subscription(&s, v)[..], &b[..]);
                members.push(MemberInfo {
                    member_id: id.to_string(),
                    group_instance_id: None,
                    topics: s.topics.clone(),
                    owned: flatten_partitions(&s.owned_partitions),
                    generation: s.generation_id,
                    rack: s.rack_id.clone(),
                });
            }
            let a = by_name(c.strategy).unwrap();
            let mut ours = a.assign(&members, &ppt);
            if a.protocol() == RebalanceProtocol::Cooperative {
                ours = cooperative_adjust(&ours, &members);
            }
            for (id, hex) in c.assignments {
                let b = unhex(hex);
                let (v, asg) = decode_assignment_versioned(&b).unwrap();
                assert_eq!(v, Some(0), "librdkafka sends assignment v0");
                assert_eq!(&encode_assignment(&asg, 0)[..], &b[..]);
                let mut theirs = flatten_partitions(&asg.partitions);
                theirs.sort();
                assert_eq!(got(&ours, id), theirs, "{} gen {} member {id}", c.strategy, c.generation);
            }
        }
        assert_eq!(seen.len(), 3);
    }

    // Captured from genuine librdkafka 2.16 (pip confluent-kafka) consumers against the
    // mock cluster (topics t1:4, t2:3; members a: t1,t2 rack "rackA"; b: t1; c: t1,t2),
    // via strace of JoinGroup v5 responses and the leader's SyncGroup v3 request.
    const CAPTURED: &[Captured] = &[
        Captured {
            strategy: "range",
            generation: 3,
            members: &[
                ("0x7fb0cc0079c0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fb0cc009360", "000300000001000274310000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fb0cc0079c0", "00000000000200027432000000030000000000000001000000020002743100000002000000000000000100000000"),
                ("0x7fb0cc009360", "0000000000010002743100000002000000020000000300000000"),
            ],
        },
        Captured {
            strategy: "range",
            generation: 4,
            members: &[
                ("0x7fb0cc0079c0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fb0cc009360", "000300000001000274310000000000000000ffffffff0000"),
                ("0x7fb0cc00a680", "00030000000200027431000274320000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fb0cc0079c0", "000000000002000274310000000200000000000000010002743200000002000000000000000100000000"),
                ("0x7fb0cc009360", "00000000000100027431000000010000000200000000"),
                ("0x7fb0cc00a680", "00000000000200027431000000010000000300027432000000010000000200000000"),
            ],
        },
        Captured {
            strategy: "range",
            generation: 5,
            members: &[
                ("0x7fb0cc0079c0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fb0cc00a680", "00030000000200027431000274320000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fb0cc0079c0", "000000000002000274320000000200000000000000010002743100000002000000000000000100000000"),
                ("0x7fb0cc00a680", "0000000000020002743200000001000000020002743100000002000000020000000300000000"),
            ],
        },
        Captured {
            strategy: "roundrobin",
            generation: 3,
            members: &[
                ("0x7fa508007ed0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fa508009110", "000300000001000274310000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fa508007ed0", "00000000000200027431000000020000000000000002000274320000000300000000000000010000000200000000"),
                ("0x7fa508009110", "0000000000010002743100000002000000010000000300000000"),
            ],
        },
        Captured {
            strategy: "roundrobin",
            generation: 4,
            members: &[
                ("0x7fa508007ed0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fa508009110", "000300000001000274310000000000000000ffffffff0000"),
                ("0x7fa50800a490", "00030000000200027431000274320000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fa508007ed0", "0000000000020002743100000002000000000000000300027432000000010000000100000000"),
                ("0x7fa508009110", "00000000000100027431000000010000000100000000"),
                ("0x7fa50800a490", "0000000000020002743100000001000000020002743200000002000000000000000200000000"),
            ],
        },
        Captured {
            strategy: "roundrobin",
            generation: 5,
            members: &[
                ("0x7fa508007ed0", "00030000000200027431000274320000000000000000ffffffff00057261636b41"),
                ("0x7fa50800a490", "00030000000200027431000274320000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7fa508007ed0", "000000000002000274310000000200000000000000020002743200000002000000000000000200000000"),
                ("0x7fa50800a490", "0000000000020002743100000002000000010000000300027432000000010000000100000000"),
            ],
        },
        Captured {
            strategy: "cooperative-sticky",
            generation: 3,
            members: &[
                ("0x7f12b8007ec0", "000300000002000274310002743200000034000000020002743100000004000000000000000100000002000000030002743200000003000000000000000100000002000000020000000200027431000000040000000000000001000000020000000300027432000000030000000000000001000000020000000200057261636b41"),
                ("0x7f12b80092e0", "000300000001000274310000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7f12b8007ec0", "00000000000200027432000000030000000200000001000000000002743100000001000000030000003400000002000274310000000400000000000000010000000200000003000274320000000300000000000000010000000200000002"),
                ("0x7f12b80092e0", "00000000000000000000"),
            ],
        },
        Captured {
            strategy: "cooperative-sticky",
            generation: 4,
            members: &[
                ("0x7f12b8007ec0", "000300000002000274310002743200000028000000020002743200000003000000020000000100000000000274310000000100000003000000030000000200027431000000010000000300027432000000030000000000000001000000020000000300057261636b41"),
                ("0x7f12b80092e0", "0003000000010002743100000008000000000000000300000000000000030000"),
                ("0x7f12b800a750", "00030000000200027431000274320000000000000000ffffffff0000"),
            ],
            assignments: &[
                ("0x7f12b8007ec0", "000000000002000274320000000200000002000000010002743100000001000000030000002800000002000274320000000300000002000000010000000000027431000000010000000300000003"),
                ("0x7f12b80092e0", "00000000000100027431000000020000000000000002000000080000000000000003"),
                ("0x7f12b800a750", "00000000000100027431000000010000000100000000"),
            ],
        },
        Captured {
            strategy: "cooperative-sticky",
            generation: 5,
            members: &[
                ("0x7f12b8007ec0", "00030000000200027431000274320000002400000002000274320000000200000002000000010002743100000001000000030000000400000002000274310000000100000003000274320000000200000001000000020000000400057261636b41"),
                ("0x7f12b80092e0", "00030000000100027431000000180000000100027431000000020000000000000002000000040000000100027431000000020000000000000002000000040000"),
                ("0x7f12b800a750", "000300000002000274310002743200000014000000010002743100000001000000010000000400000001000274310000000100000001000000040000"),
            ],
            assignments: &[
                ("0x7f12b8007ec0", "0000000000020002743200000002000000020000000100027431000000010000000300000024000000020002743200000002000000020000000100027431000000010000000300000004"),
                ("0x7f12b80092e0", "0000000000010002743100000002000000020000000000000018000000010002743100000002000000000000000200000004"),
                ("0x7f12b800a750", "000000000002000274310000000100000001000274320000000100000000000000140000000100027431000000010000000100000004"),
            ],
        },
        Captured {
            strategy: "cooperative-sticky",
            generation: 6,
            members: &[
                ("0x7f12b8007ec0", "00030000000200027431000274320000002400000002000274320000000200000002000000010002743100000001000000030000000400000002000274310000000100000003000274320000000200000001000000020000000400057261636b41"),
                ("0x7f12b800a750", "000300000002000274310002743200000014000000010002743100000001000000010000000400000001000274310000000100000001000000040000"),
            ],
            assignments: &[
                ("0x7f12b8007ec0", "0000000000030002743100000001000000030002743200000002000000010000000200027431000000010000000000000024000000020002743200000002000000020000000100027431000000010000000300000004"),
                ("0x7f12b800a750", "000000000003000274310000000100000001000274320000000100000000000274310000000100000002000000140000000100027431000000010000000100000004"),
            ],
        },
    ];

    #[test]
    fn cooperative_adjust_withholds_moving_partitions() {
        let a = owning(member("a", &["t"]), 1, &[("t", 0), ("t", 1), ("t", 2), ("t", 3)]);
        let b = member("b", &["t"]);
        let ms = vec![a, b];
        let ppt = meta(&[("t", 4), ("u", 1)]);
        let target = CooperativeSticky.assign(&ms, &ppt);
        assert_eq!(target["a"].len(), 2);
        let adj = cooperative_adjust(&target, &ms);
        assert_eq!(got(&adj, "a"), got(&target, "a"));
        assert_eq!(got(&adj, "b"), vec![]);
        // Second round: a revoked what moves; b now gets it.
        let ms2 = vec![owning(ms[0].clone(), 2, &[]), owning(ms[1].clone(), 2, &[])];
        let mut ms2 = ms2;
        ms2[0].owned = adj["a"].clone();
        let target2 = CooperativeSticky.assign(&ms2, &ppt);
        assert_eq!(got(&target2, "a"), got(&target, "a"));
        let adj2 = cooperative_adjust(&target2, &ms2);
        assert_eq!(got(&adj2, "b"), got(&target, "b"));
        // Owned partitions unknown to the target go back to their owner.
        let ms3 = vec![owning(member("a", &["t"]), 1, &[("gone", 0)])];
        let adj3 = cooperative_adjust(&AssignmentMap::new(), &ms3);
        assert_eq!(adj3["a"], tps(&[("gone", 0)]));
    }
}
