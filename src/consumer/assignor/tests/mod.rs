//! Shared fixtures and checks; the tests live in one file per strategy.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::common::{AssignmentMap, Tp};
use super::*;

mod captured;
mod cooperative;
mod range;
mod roundrobin;
mod sticky;

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
