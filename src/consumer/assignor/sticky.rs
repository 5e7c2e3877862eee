//! The cooperative-sticky assignor: a port of librdkafka's KIP-54/KIP-341 sticky
//! algorithm (rdkafka_sticky_assignor.c). Orders that decide ties follow
//! librdkafka: its hash maps iterate newest-insert first.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::common::{
    eligible_topics, empty_result, AssignmentMap, Assignor, MemberInfo, RebalanceProtocol, Tp,
};

pub struct CooperativeSticky;

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
