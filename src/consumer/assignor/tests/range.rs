//! The range assignor.

use super::*;

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
