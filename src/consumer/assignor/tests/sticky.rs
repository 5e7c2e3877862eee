//! The cooperative-sticky assignor: scenarios from librdkafka's
//! rdkafka_sticky_assignor.c unit tests, then randomised properties.

use super::*;

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
    let mut ms = vec![member("consumer1", &["topic1", "topic2"]), member("consumer2", &["topic1", "topic2"])];
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
        owning(member("consumer2", &["topic1", "topic2"]), 8, &[("topic1", 0), ("topic2", 1), ("topic2", 2)]),
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
