//! The COOPERATIVE protocol's adjustment.

use super::*;

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
