//! The roundrobin assignor.

use super::*;

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
