//! Consumer groups against librdkafka's mock cluster (and Tansu): membership, assignors,
//! commits and resumption, members joining and leaving.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::MockCluster;
use common::*;
use std::collections::HashMap;

fn group_conf<'a>(bootstrap: &'a str, group: &'a str, strategy: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![
        ("bootstrap.servers", bootstrap),
        ("group.id", group),
        ("partition.assignment.strategy", strategy),
        ("session.timeout.ms", "6000"),
        ("heartbeat.interval.ms", "200"),
        ("enable.auto.commit", "false"),
        ("auto.offset.reset", "earliest"),
    ];
    if std::env::var("KAFKARS_TEST_DEBUG").is_ok() {
        v.push(("debug", std::env::var("KAFKARS_TEST_DEBUG").unwrap().leak()));
    }
    v
}

/// One member reads everything, commits; a new member of the same group resumes after
/// the committed offsets and sees only what was produced since.
#[test]
fn commit_and_resume_in_a_group() {
    let mc = MockCluster::start(3, &[("g1", 4)]);
    oracle_produce(mc.bootstrap(), "g1", &["--count", "200", "--keys"]);
    {
        let c = Consumer::new(&group_conf(mc.bootstrap(), "grp-a", "range"));
        assert_eq!(c.subscribe(&["g1"]), 0);
        let got: Vec<Got> = c.poll_n(200, 30).into_iter().filter(|g| g.err == 0).collect();
        assert_eq!(got.len(), 200, "all messages read once");
        let mut seen = std::collections::HashSet::new();
        assert!(got.iter().all(|g| seen.insert((g.partition, g.offset))), "no duplicates");
        assert_eq!(c.commit_sync(), 0);
        let committed = c.committed("g1", 4);
        let mut per_part: HashMap<i32, i64> = HashMap::new();
        for g in &got {
            let e = per_part.entry(g.partition).or_insert(0);
            *e = (*e).max(g.offset + 1);
        }
        for p in 0..4 {
            assert_eq!(
                committed[p as usize],
                *per_part.get(&p).unwrap_or(&-1001),
                "committed offset of partition {p}"
            );
        }
    }
    oracle_produce(mc.bootstrap(), "g1", &["--count", "20"]);
    let c = Consumer::new(&group_conf(mc.bootstrap(), "grp-a", "range"));
    assert_eq!(c.subscribe(&["g1"]), 0);
    let got: Vec<Got> = c.poll_n(20, 30).into_iter().filter(|g| g.err == 0).collect();
    assert_eq!(got.len(), 20, "only the new messages");
    assert!(got.iter().all(|g| g.value.as_ref().unwrap().starts_with(b"msg-")));
    // Nothing more arrives: the old messages were not re-read.
    assert!(c.poll_n(1, 2).iter().all(|g| g.err != 0));
}

fn two_members_share(strategy: &str) {
    let mc = MockCluster::start(3, &[("shared", 12)]);
    oracle_produce(mc.bootstrap(), "shared", &["--count", "1200"]);
    let group = format!("grp-{strategy}");
    let a = Consumer::new(&group_conf(mc.bootstrap(), &group, strategy));
    let b = Consumer::new(&group_conf(mc.bootstrap(), &group, strategy));
    assert_eq!(a.subscribe(&["shared"]), 0);
    assert_eq!(b.subscribe(&["shared"]), 0);
    let mut seen: HashMap<(i32, i64), u32> = HashMap::new();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(40);
    while seen.len() < 1200 && std::time::Instant::now() < end {
        let mut idle = true;
        for c in [&a, &b] {
            // Drain what each member has without waiting, so one idle member does not
            // throttle the other.
            while let Some(g) = c.poll(0) {
                idle = false;
                if g.err == 0 {
                    *seen.entry((g.partition, g.offset)).or_default() += 1;
                }
            }
        }
        if idle {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    let mut per_part = std::collections::BTreeMap::new();
    for (p, _) in seen.keys() {
        *per_part.entry(*p).or_insert(0) += 1;
    }
    assert_eq!(
        seen.len(),
        1200,
        "every message read ({strategy}): per partition {per_part:?}; a={:?} b={:?}",
        a.assignment(),
        b.assignment()
    );
    // Both members end up with a share (B's join may complete after A read everything),
    // together covering all 12 partitions once.
    let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while (a.assignment().is_empty()
        || b.assignment().is_empty()
        || a.assignment().len() + b.assignment().len() != 12)
        && std::time::Instant::now() < end
    {
        a.poll(20);
        b.poll(20);
    }
    let (pa, pb) = (a.assignment(), b.assignment());
    assert!(!pa.is_empty() && !pb.is_empty(), "both members assigned: {pa:?} / {pb:?}");
    let mut all: Vec<(String, i32)> = pa.iter().chain(pb.iter()).cloned().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 12, "12 partitions, none twice: {pa:?} {pb:?}");
    assert_eq!(pa.len() + pb.len(), 12);
    // B leaves: A takes over all partitions.
    drop(b);
    let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while a.assignment().len() < 12 && std::time::Instant::now() < end {
        a.poll(50);
    }
    assert_eq!(a.assignment().len(), 12, "remaining member owns everything after the other left");
}

#[test]
fn two_members_share_partitions_range() {
    two_members_share("range");
}

#[test]
fn two_members_share_partitions_roundrobin() {
    two_members_share("roundrobin");
}

#[test]
fn two_members_share_partitions_cooperative_sticky() {
    two_members_share("cooperative-sticky");
}

/// A "^regex" subscription picks up matching topics, including one created later.
#[test]
fn regex_subscription_matches_topics() {
    let mc = MockCluster::start(1, &[("rx-a", 1), ("rx-b", 1), ("other", 1)]);
    oracle_produce(mc.bootstrap(), "rx-a", &["--count", "5"]);
    oracle_produce(mc.bootstrap(), "rx-b", &["--count", "5"]);
    oracle_produce(mc.bootstrap(), "other", &["--count", "5"]);
    let mut conf = group_conf(mc.bootstrap(), "grp-rx", "range");
    conf.push(("topic.metadata.refresh.interval.ms", "500"));
    let c = Consumer::new(&conf);
    assert_eq!(c.subscribe(&["^rx-.*"]), 0);
    let got: Vec<Got> = c.poll_n(10, 30).into_iter().filter(|g| g.err == 0).collect();
    assert_eq!(got.len(), 10);
    assert!(got.iter().all(|g| g.topic.starts_with("rx-")), "only matching topics");
    // Commit: adding a topic rebalances, and uncommitted partitions would be re-read.
    assert_eq!(c.commit_sync(), 0);
    mc.cmd("topic_create rx-c 1 1").unwrap();
    oracle_produce(mc.bootstrap(), "rx-c", &["--count", "3"]);
    let later: Vec<Got> = c.poll_n(3, 30).into_iter().filter(|g| g.err == 0).collect();
    assert_eq!(later.len(), 3, "topic created after subscribing is consumed");
    assert!(later.iter().all(|g| g.topic == "rx-c"));
}

/// Interop: a kafkars member and a genuine librdkafka member (pip confluent-kafka) in
/// one group split the partitions between them (same assignor, same embedded protocol)
/// and together read every message.
fn mixed_group(strategy: &str) {
    use std::io::BufRead;
    let mc = MockCluster::start(3, &[("mixed", 12)]);
    oracle_produce(mc.bootstrap(), "mixed", &["--count", "600", "--keys"]);
    let group = format!("mixed-{strategy}");
    let py = std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = std::process::Command::new(py)
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/group_member.py"),
            "--bootstrap",
            mc.bootstrap(),
            "--group",
            &group,
            "--topic",
            "mixed",
            "--strategy",
            strategy,
            "--seconds",
            "60",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start librdkafka member");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                let _ = tx.send(v);
            }
        }
    });
    let mut conf = group_conf(mc.bootstrap(), &group, strategy);
    conf.push(("enable.auto.commit", "true"));
    conf.push(("auto.commit.interval.ms", "100"));
    let ours = Consumer::new(&conf);
    assert_eq!(ours.subscribe(&["mixed"]), 0);
    let mut seen: std::collections::HashSet<(i32, i64)> = std::collections::HashSet::new();
    let mut theirs: Vec<(String, i32)> = Vec::new();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(45);
    let split = |ours: &Consumer, theirs: &Vec<(String, i32)>| {
        let mine = ours.assignment();
        !mine.is_empty()
            && !theirs.is_empty()
            && mine.len() + theirs.len() == 12
            && mine.iter().all(|tp| !theirs.contains(tp))
    };
    while (seen.len() < 600 || !split(&ours, &theirs)) && std::time::Instant::now() < end {
        while let Some(g) = ours.poll(0) {
            if g.err == 0 {
                seen.insert((g.partition, g.offset));
            }
        }
        while let Ok(v) = rx.try_recv() {
            if let Some(m) = v.get("msg") {
                seen.insert((m[0].as_i64().unwrap() as i32, m[1].as_i64().unwrap()));
            }
            if let Some(a) = v.get("assigned") {
                theirs = a
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| (x[0].as_str().unwrap().to_string(), x[1].as_i64().unwrap() as i32))
                    .collect();
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    drop(child.stdin.take());
    let _ = child.wait();
    assert_eq!(seen.len(), 600, "kafkars and librdkafka members together read everything ({strategy})");
    assert!(
        split(&ours, &theirs),
        "partitions split between the two members: ours {:?}, librdkafka {:?}",
        ours.assignment(),
        theirs
    );
}

#[test]
fn kafkars_and_librdkafka_share_a_group_range() {
    mixed_group("range");
}

#[test]
fn kafkars_and_librdkafka_share_a_group_cooperative_sticky() {
    mixed_group("cooperative-sticky");
}

/// A member is killed (SIGKILL, no LeaveGroup): its partitions move to the surviving
/// members within the session timeout, every message is read, and the messages read
/// twice are only those the killed member read after its last commit (the uncommitted
/// window). The killed member runs examples/group_consumer.c on libkafkars in its own
/// process.
#[test]
fn killed_member_partitions_move_within_session_timeout() {
    use std::io::BufRead;
    let root = env!("CARGO_MANIFEST_DIR");
    let lib = format!("{root}/build/compat");
    if !std::path::Path::new(&format!("{lib}/librdkafka.so.1")).exists() {
        panic!("build/compat missing: run `make compat` (make test does)");
    }
    let exe = std::env::temp_dir().join(format!("kafkars-group-consumer-{}", std::process::id()));
    let ok = std::process::Command::new("cc")
        .args(["-O1", "-o"])
        .arg(&exe)
        .arg(format!("{root}/examples/group_consumer.c"))
        .arg("-lrdkafka")
        .status()
        .expect("cc");
    assert!(ok.success(), "building examples/group_consumer.c");
    let mc = MockCluster::start(3, &[("kill", 12)]);
    let group = "grp-kill";
    let mut conf = group_conf(mc.bootstrap(), group, "range");
    conf.push(("enable.auto.commit", "true"));
    conf.push(("auto.commit.interval.ms", "100"));
    let a = Consumer::new(&conf);
    let b = Consumer::new(&conf);
    assert_eq!(a.subscribe(&["kill"]), 0);
    assert_eq!(b.subscribe(&["kill"]), 0);
    let mut child = std::process::Command::new(&exe)
        .args([
            "--count",
            "1000000",
            "--timeout",
            "60",
            "--commit-every",
            "50",
            mc.bootstrap(),
            group,
            "kill",
            "--",
            "session.timeout.ms=6000",
            "heartbeat.interval.ms=200",
            "auto.offset.reset=earliest",
        ])
        .env("LD_LIBRARY_PATH", &lib)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start member process");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Wait until the three members split the 12 partitions.
    let mut child_has = false;
    let end = std::time::Instant::now() + std::time::Duration::from_secs(40);
    while std::time::Instant::now() < end {
        a.poll(20);
        b.poll(20);
        while let Ok(l) = rx.try_recv() {
            if l.starts_with("rebalance") && l.contains("assigned") && !l.contains("assigned (0)") {
                child_has = true;
            }
        }
        let (na, nb) = (a.assignment().len(), b.assignment().len());
        if child_has && na > 0 && nb > 0 && na + nb < 12 {
            break;
        }
    }
    let (na, nb) = (a.assignment().len(), b.assignment().len());
    assert!(
        child_has && na > 0 && nb > 0 && na + nb < 12,
        "three members share the partitions (a {na}, b {nb}, child {child_has})"
    );
    // Messages before the kill: each member reads its share, the child committing as it goes.
    oracle_produce(mc.bootstrap(), "kill", &["--count", "600", "--keys"]);
    let mut seen: HashMap<(i32, i64), u32> = HashMap::new();
    let mut child_read: Vec<(i32, i64)> = Vec::new();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while seen.len() + child_read.len() < 600 && std::time::Instant::now() < end {
        for c in [&a, &b] {
            while let Some(g) = c.poll(0) {
                if g.err == 0 {
                    *seen.entry((g.partition, g.offset)).or_default() += 1;
                }
            }
        }
        while let Ok(l) = rx.try_recv() {
            // "kill [3] offset 17: key ..."
            let w: Vec<&str> = l.split_whitespace().collect();
            if w.len() > 3 && w[0] == "kill" && w[2] == "offset" {
                if let (Ok(p), Ok(o)) = (
                    w[1].trim_matches(|c| c == '[' || c == ']').parse::<i32>(),
                    w[3].trim_end_matches(':').parse::<i64>(),
                ) {
                    child_read.push((p, o));
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(seen.len() + child_read.len(), 600, "the three members read the first 600");
    assert!(!child_read.is_empty(), "the child member read its share");
    child.kill().expect("SIGKILL the member");
    let _ = child.wait();
    let killed_at = std::time::Instant::now();
    // The killed member's committed offsets: where its partitions' new owners resume.
    let committed_at_kill = a.committed("kill", 12);
    oracle_produce(mc.bootstrap(), "kill", &["--count", "1200", "--keys"]);
    let mut moved_after = None;
    let end = std::time::Instant::now() + std::time::Duration::from_secs(40);
    let all = |seen: &HashMap<(i32, i64), u32>| {
        seen.keys().chain(child_read.iter()).collect::<std::collections::HashSet<_>>().len()
    };
    while (all(&seen) < 1800 || moved_after.is_none()) && std::time::Instant::now() < end {
        for c in [&a, &b] {
            while let Some(g) = c.poll(0) {
                if g.err == 0 {
                    *seen.entry((g.partition, g.offset)).or_default() += 1;
                }
            }
        }
        if moved_after.is_none() && a.assignment().len() + b.assignment().len() == 12 {
            moved_after = Some(killed_at.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = std::fs::remove_file(&exe);
    let moved = moved_after.expect("the survivors took over all 12 partitions");
    eprintln!("killed member's partitions moved after {moved:?}");
    // The dead member is dropped after session.timeout.ms (6 s); the mock cluster then
    // holds the rejoin for session.timeout.ms - 1000 (its rebalance timer, see
    // rd_kafka_mock_cgrp_classic_rebalance) before electing: any client needs ~11 s.
    // One more 5-s round is the mock's, not ours: the leader's SyncGroup completes the
    // group (it carries every member's assignment), so a follower whose SyncGroup lands
    // after it gets INVALID_REQUEST and rejoins (seen once in CI: 16.5 s).
    assert!(
        moved < std::time::Duration::from_millis(6000 + 5000 + 5000 + 2000),
        "partitions moved after {moved:?} (session.timeout.ms 6000 + mock rebalance delay 5000, \
         + one 5000 round for the mock's SyncGroup race)"
    );
    assert_eq!(all(&seen), 1800, "every message was read");
    assert!(seen.values().all(|n| *n == 1), "the survivors read nothing twice themselves");
    let reread: Vec<&(i32, i64)> = child_read.iter().filter(|k| seen.contains_key(k)).collect();
    let outside: Vec<&&(i32, i64)> =
        reread.iter().filter(|(p, o)| *o < committed_at_kill[*p as usize]).collect();
    eprintln!("partitions moved {moved:?} after the kill; the killed member read {}, {} of them again after it (its uncommitted window)", child_read.len(), reread.len());
    assert!(outside.is_empty(), "messages the killed member had committed were read again: {outside:?}");
}

/// The basic group flow on Tansu (a second, independent broker implementation): join,
/// read everything, commit, and a new member resumes after the committed offsets.
#[test]
fn tansu_group_commit_and_resume() {
    let t = brokers::Tansu::start_with_topics(&[("tg", 3)]);
    oracle_produce(t.bootstrap(), "tg", &["--count", "90", "--keys"]);
    {
        let c = Consumer::new(&group_conf(t.bootstrap(), "tansu-grp", "range"));
        assert_eq!(c.subscribe(&["tg"]), 0);
        let got: Vec<Got> = c.poll_n(90, 40).into_iter().filter(|g| g.err == 0).collect();
        assert_eq!(got.len(), 90);
        assert_eq!(c.commit_sync(), 0);
    }
    oracle_produce(t.bootstrap(), "tg", &["--count", "9", "--keys"]);
    let c = Consumer::new(&group_conf(t.bootstrap(), "tansu-grp", "range"));
    assert_eq!(c.subscribe(&["tg"]), 0);
    let got: Vec<Got> = c.poll_n(9, 40).into_iter().filter(|g| g.err == 0).collect();
    assert_eq!(got.len(), 9, "only the messages produced after the commit");
}
