//! Consumer groups under churn and faults, on librdkafka's 3-broker mock cluster:
//! members joining and leaving while messages flow, coordinator moves and injected
//! group-request errors, and max.poll.interval.ms.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::MockCluster;
use common::*;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

fn conf<'a>(bootstrap: &'a str, group: &'a str, strategy: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![
        ("bootstrap.servers", bootstrap),
        ("group.id", group),
        ("partition.assignment.strategy", strategy),
        ("session.timeout.ms", "6000"),
        ("heartbeat.interval.ms", "200"),
        ("auto.offset.reset", "earliest"),
    ];
    if let Ok(d) = std::env::var("KAFKARS_TEST_DEBUG") {
        v.push(("debug", d.leak()));
    }
    v
}

/// Counts every (partition, offset) each member receives.
fn drain(members: &[&Consumer], seen: &mut HashMap<(i32, i64), u32>) -> usize {
    let mut n = 0;
    for c in members.iter() {
        while let Some(g) = c.poll(0) {
            if g.err == 0 {
                *seen.entry((g.partition, g.offset)).or_default() += 1;
                n += 1;
            }
        }
    }
    n
}

/// What the churn test's members record, shared between their threads.
#[derive(Default)]
struct Ledger {
    seen: HashMap<(i32, i64), u32>,
    /// Messages whose reader's commit failed: the uncommitted window.
    uncommitted: std::collections::HashSet<(i32, i64)>,
    commits: usize,
    failed_commits: usize,
    /// Messages whose partition was revoked before the batch's commit.
    revoked_before_commit: usize,
}

/// One member on its own thread: polls, and after each batch commits synchronously, as
/// an at-least-once application does. Stops (reading and committing what it still
/// has, then closing) when `stop` is set; returns its final assignment size.
fn member(
    conf: Vec<(String, String)>,
    ledger: std::sync::Arc<std::sync::Mutex<Ledger>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let pairs: Vec<(&str, &str)> = conf.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let c = Consumer::new(&pairs);
        assert_eq!(c.subscribe(&["churn"]), 0);
        let mut last = false;
        loop {
            last |= stop.load(std::sync::atomic::Ordering::Acquire);
            let mut batch = Vec::new();
            let first = c.poll(if last { 0 } else { 100 });
            for g in first.into_iter().chain(std::iter::from_fn(|| c.poll(0))) {
                if g.err == 0 {
                    batch.push((g.partition, g.offset));
                }
            }
            let ok = batch.is_empty() || c.commit_sync() == 0;
            // rd_kafka_commit(NULL) covers the partitions still assigned: one revoked
            // while the batch was processed is not committed (an application that must
            // commit those does it in its rebalance callback, or uses auto-commit).
            let owned = c.assignment();
            let mut l = ledger.lock().unwrap();
            for k in &batch {
                *l.seen.entry(*k).or_default() += 1;
            }
            if !batch.is_empty() {
                l.commits += 1;
                if !ok {
                    l.failed_commits += 1;
                    l.uncommitted.extend(batch.iter().copied());
                } else {
                    let revoked: Vec<(i32, i64)> =
                        batch.iter().filter(|(p, _)| !owned.iter().any(|(_, q)| q == p)).copied().collect();
                    l.revoked_before_commit += revoked.len();
                    l.uncommitted.extend(revoked);
                }
            }
            drop(l);
            if last {
                return c.assignment().len();
            }
        }
    })
}

/// 1 to 4 members read a 12-partition topic while members join one by one and then
/// leave one by one, and a producer keeps writing. Each member commits after every
/// batch it reads. Invariants: every acknowledged message is read; a message is read
/// again only if it was not committed (its batch's commit failed, or its partition was
/// revoked before the commit) — a message whose commit succeeded is never read again.
///
/// The mock cluster refuses OffsetCommit with REBALANCE_IN_PROGRESS once a rebalance
/// has started (a real broker accepts it from the current generation until the new
/// one forms), so batches read just as a member joins or leaves may fail to commit;
/// genuine librdkafka gets the same answers.
fn churn(strategy: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let mc = MockCluster::start(3, &[("churn", 12)]);
    let group = format!("churn-{strategy}");
    let mut cconf: Vec<(String, String)> = conf(mc.bootstrap(), &group, strategy)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    cconf.push(("enable.auto.commit".into(), "false".into()));
    let producer = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("linger.ms", "5")]);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut members: Vec<(Arc<AtomicBool>, std::thread::JoinHandle<usize>)> = Vec::new();
    let mut produced = 0usize;
    let mut sizes = Vec::new();
    let start = Instant::now();
    // (second, +1 join / -1 leave): 1 -> 4 members, then back to 1.
    let mut plan: Vec<(u64, i32)> = vec![(0, 1), (3, 1), (6, 1), (9, 1), (13, -1), (16, -1), (19, -1)];
    plan.reverse();
    while start.elapsed() < Duration::from_secs(22) {
        if plan.last().is_some_and(|(at, _)| start.elapsed() >= Duration::from_secs(*at)) {
            let (_, step) = plan.pop().unwrap();
            if step > 0 {
                let stop = Arc::new(AtomicBool::new(false));
                members.push((stop.clone(), member(cconf.clone(), ledger.clone(), stop)));
            } else {
                // The newest member reads and commits what it still has, then closes.
                let (stop, h) = members.pop().unwrap();
                stop.store(true, Ordering::Release);
                h.join().expect("member thread");
            }
            sizes.push(members.len());
        }
        for i in 0..20 {
            let key = format!("k{produced}-{i}");
            if producer.produce("churn", -1, Some(key.as_bytes()), Some(b"v"), &[], 0, 0) == 0 {
                produced += 1;
            }
        }
        producer.poll(0);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(producer.flush(10_000), 0);
    let acked = producer.drs();
    assert_eq!(acked.len(), produced, "one delivery report per message");
    let failed: Vec<&Dr> = acked.iter().filter(|d| d.err != 0).collect();
    assert!(failed.is_empty(), "deliveries failed: {:?}", &failed[..failed.len().min(3)]);
    assert!(
        wait_for(30, || ledger.lock().unwrap().seen.len() >= acked.len()),
        "the last member reads the rest"
    );
    let (stop, h) = members.pop().unwrap();
    stop.store(true, Ordering::Release);
    let last_assigned = h.join().expect("member thread");
    let l = ledger.lock().unwrap();
    let missing: Vec<(i32, i64)> =
        acked.iter().map(|d| (d.partition, d.offset)).filter(|k| !l.seen.contains_key(k)).collect();
    let twice: BTreeMap<(i32, i64), u32> =
        l.seen.iter().filter(|(_, n)| **n > 1).map(|(k, n)| (*k, *n)).collect();
    let committed_twice: Vec<&(i32, i64)> = twice.keys().filter(|k| !l.uncommitted.contains(*k)).collect();
    eprintln!(
        "{strategy}: {} messages produced and read, group sizes {sizes:?}; {} commits, {} refused during rebalances, {} messages revoked before their commit; {} messages read twice, all uncommitted",
        acked.len(),
        l.commits,
        l.failed_commits,
        l.revoked_before_commit,
        twice.len()
    );
    assert_eq!(sizes, vec![1, 2, 3, 4, 3, 2, 1]);
    assert!(
        missing.is_empty(),
        "{} acknowledged messages never read, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(
        committed_twice.is_empty(),
        "{} messages whose commit succeeded were read again, e.g. {:?}",
        committed_twice.len(),
        &committed_twice[..committed_twice.len().min(5)]
    );
    assert_eq!(l.seen.len(), acked.len(), "nothing read that was not produced");
    assert_eq!(last_assigned, 12, "the last member owns the whole topic");
}

#[test]
fn churn_one_to_four_members_range() {
    churn("range");
}

#[test]
fn churn_one_to_four_members_cooperative_sticky() {
    churn("cooperative-sticky");
}

/// The coordinator answers with errors (FindCoordinator, JoinGroup, SyncGroup,
/// OffsetFetch, OffsetCommit, Heartbeat) and moves between brokers twice. Invariants: the
/// member resumes exactly after the committed offsets (a failed OffsetFetch is retried,
/// never taken as "no offset" and reset), every commit succeeds after retrying at the
/// new coordinator, and the member keeps its partitions without rebalancing.
#[test]
fn coordinator_errors_and_moves() {
    let mc = MockCluster::start(3, &[("cm", 6)]);
    let group = "grp-coord";
    oracle_produce(mc.bootstrap(), "cm", &["--count", "300", "--keys"]);
    let mut cconf = conf(mc.bootstrap(), group, "range");
    cconf.push(("enable.auto.commit", "false"));
    {
        let c = Consumer::new(&cconf);
        assert_eq!(c.subscribe(&["cm"]), 0);
        let got = c.poll_n(300, 30).into_iter().filter(|g| g.err == 0).count();
        assert_eq!(got, 300);
        assert_eq!(c.commit_sync(), 0);
    }
    oracle_produce(mc.bootstrap(), "cm", &["--count", "60", "--keys"]);
    for (api, errs) in [
        ("FindCoordinator", "COORDINATOR_NOT_AVAILABLE"),
        ("JoinGroup", "NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE"),
        ("SyncGroup", "NOT_COORDINATOR"),
        ("OffsetFetch", "COORDINATOR_LOAD_IN_PROGRESS NOT_COORDINATOR"),
    ] {
        mc.cmd(&format!("push_request_errors {api} {errs}")).unwrap();
    }
    let c = Consumer::new(&cconf);
    assert_eq!(c.subscribe(&["cm"]), 0);
    let mut seen: HashMap<(i32, i64), u32> = HashMap::new();
    let got: Vec<Got> = c.poll_n(60, 40).into_iter().filter(|g| g.err == 0).collect();
    assert_eq!(got.len(), 60, "the 60 messages after the committed offsets");
    for g in &got {
        *seen.entry((g.partition, g.offset)).or_default() += 1;
    }
    // Nothing older arrives (that would mean an offset reset).
    drain_for(&c, &mut seen, Duration::from_secs(2));
    assert_eq!(seen.len(), 60, "only what was produced after the commit");
    assert_eq!(c.commit_sync(), 0);
    let assigned = c.assignment();
    assert_eq!(assigned.len(), 6);

    let mut total = 60;
    for (step, coord) in [1, 2, 3].into_iter().enumerate() {
        mc.cmd(&format!("coordinator_set group {group} {coord}")).unwrap();
        match step {
            0 => mc
                .cmd("push_request_errors OffsetCommit NOT_COORDINATOR COORDINATOR_LOAD_IN_PROGRESS")
                .unwrap(),
            1 => mc.cmd("push_request_errors Heartbeat NOT_COORDINATOR NOT_COORDINATOR").unwrap(),
            _ => mc.cmd("push_request_errors OffsetCommit REQUEST_TIMED_OUT").unwrap(),
        }
        oracle_produce(mc.bootstrap(), "cm", &["--count", "30", "--keys"]);
        total += 30;
        let end = Instant::now() + Duration::from_secs(20);
        while seen.len() < total && Instant::now() < end {
            drain_for(&c, &mut seen, Duration::from_millis(100));
        }
        assert_eq!(seen.len(), total, "all messages read after the move to broker {coord}");
        assert_eq!(c.commit_sync(), 0, "commit after the coordinator moved to broker {coord}");
        assert_eq!(c.assignment(), assigned, "the member kept its partitions");
    }
    assert!(seen.values().all(|n| *n == 1), "no message read twice");
    // What was committed is where the log ends: a new member has nothing to read.
    let committed = c.committed("cm", 6);
    let mut ends = [0i64; 6];
    for (p, o) in seen.keys() {
        ends[*p as usize] = ends[*p as usize].max(o + 1);
    }
    for p in 0..6 {
        assert!(
            committed[p] >= ends[p],
            "partition {p}: committed {} < consumed end {}",
            committed[p],
            ends[p]
        );
    }
}

/// Consuming through broker outages and added round-trip time: a group member reads a
/// 6-partition topic while partition leaders go down and come back, Fetch answers are
/// delayed by 300 ms, and leaders move. Invariant: every acknowledged message is read,
/// exactly once (the position is the consumer's own, so a refetch cannot repeat), and
/// the final commit covers the whole log.
#[test]
fn consume_through_broker_outages_and_rtt() {
    let mc = MockCluster::start(3, &[("outage", 6)]);
    let group = "grp-outage";
    let mut cconf = conf(mc.bootstrap(), group, "range");
    cconf.push(("enable.auto.commit", "false"));
    cconf.push(("reconnect.backoff.ms", "50"));
    cconf.push(("reconnect.backoff.max.ms", "200"));
    let c = Consumer::new(&cconf);
    assert_eq!(c.subscribe(&["outage"]), 0);
    let mut seen: HashMap<(i32, i64), u32> = HashMap::new();
    let mut total = 0usize;
    let mut faults = 0;
    for round in 0..4 {
        oracle_produce(mc.bootstrap(), "outage", &["--count", "500", "--keys"]);
        total += 500;
        match round {
            0 => {
                // A leader goes down mid-read and comes back.
                drain_for(&c, &mut seen, Duration::from_millis(200));
                mc.cmd("broker_down 2").unwrap();
                drain_for(&c, &mut seen, Duration::from_millis(800));
                mc.cmd("broker_up 2").unwrap();
                faults += 1;
            }
            1 => {
                // Every Fetch answered 300 ms late on one broker, plus a slow link.
                mc.cmd("broker_push_request_error_rtts 3 Fetch NO_ERROR:300 NO_ERROR:300 NO_ERROR:300 NO_ERROR:300").unwrap();
                mc.cmd("broker_set_rtt 1 150").unwrap();
                faults += 5;
            }
            2 => {
                mc.cmd("broker_set_rtt 1 0").unwrap();
                for part in 0..6 {
                    mc.cmd(&format!("partition_set_leader outage {part} {}", 1 + (part + 1) % 3)).unwrap();
                }
                faults += 6;
            }
            _ => {
                // Two brokers down at once, then back.
                mc.cmd("broker_down 1").unwrap();
                mc.cmd("broker_down 3").unwrap();
                drain_for(&c, &mut seen, Duration::from_millis(600));
                mc.cmd("broker_up 1").unwrap();
                mc.cmd("broker_up 3").unwrap();
                faults += 2;
            }
        }
        let end = Instant::now() + Duration::from_secs(30);
        while seen.len() < total && Instant::now() < end {
            drain_for(&c, &mut seen, Duration::from_millis(100));
        }
        assert_eq!(seen.len(), total, "round {round}: every produced message read");
    }
    drain_for(&c, &mut seen, Duration::from_millis(500));
    let dups = seen.values().filter(|n| **n > 1).count();
    assert_eq!(dups, 0, "no message read twice");
    assert_eq!(seen.len(), total);
    // Offsets per partition are contiguous from 0: nothing skipped.
    let mut ends = [0i64; 6];
    let mut counts = [0i64; 6];
    for (p, o) in seen.keys() {
        ends[*p as usize] = ends[*p as usize].max(o + 1);
        counts[*p as usize] += 1;
    }
    assert_eq!(ends, counts, "no offset gaps");
    let mut committed = Vec::new();
    for _ in 0..50 {
        if c.commit_sync() == 0 {
            committed = c.committed("outage", 6);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(committed, ends.to_vec(), "the final commit covers the log");
    eprintln!("consume_through_broker_outages_and_rtt: {total} messages, {faults} faults");
}

fn drain_for(c: &Consumer, seen: &mut HashMap<(i32, i64), u32>, d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end {
        if let Some(g) = c.poll(50) {
            if g.err == 0 {
                *seen.entry((g.partition, g.offset)).or_default() += 1;
            }
        }
    }
}

/// A member that stops polling for longer than max.poll.interval.ms leaves the group:
/// the other member takes all partitions, and the stalled one gets
/// _MAX_POLL_EXCEEDED on its next poll, then rejoins and gets a share back.
#[test]
fn max_poll_interval_exceeded() {
    let mc = MockCluster::start(3, &[("mp", 6)]);
    let mut cconf = conf(mc.bootstrap(), "grp-maxpoll", "range");
    cconf.retain(|(k, _)| *k != "session.timeout.ms");
    cconf.push(("session.timeout.ms", "3000"));
    cconf.push(("max.poll.interval.ms", "3000"));
    cconf.push(("enable.auto.commit", "true"));
    cconf.push(("auto.commit.interval.ms", "100"));
    let a = Consumer::new(&cconf);
    let b = Consumer::new(&cconf);
    assert_eq!(a.subscribe(&["mp"]), 0);
    assert_eq!(b.subscribe(&["mp"]), 0);
    let split = |a: &Consumer, b: &Consumer| {
        let (x, y) = (a.assignment().len(), b.assignment().len());
        x > 0 && y > 0 && x + y == 6
    };
    // max.poll.interval.ms counts from a's last poll: taken just before that call (under
    // load the loop's other steps can take tens of ms after it).
    let mut stalled = Instant::now();
    assert!(
        wait_for(30, || {
            stalled = Instant::now();
            a.poll(20);
            b.poll(20);
            split(&a, &b)
        }),
        "two members share 6 partitions"
    );
    // a stalls; b keeps polling and takes over.
    let mut seen = HashMap::new();
    let took_over = wait_for(15, || {
        drain(&[&b], &mut seen);
        std::thread::sleep(Duration::from_millis(20));
        b.assignment().len() == 6
    });
    assert!(took_over, "the polling member got every partition (after {:?})", stalled.elapsed());
    let after = stalled.elapsed();
    assert!(after >= Duration::from_millis(3000), "not before max.poll.interval.ms (after {after:?})");
    // a's next poll reports the error, as librdkafka does.
    let mut errs = Vec::new();
    let end = Instant::now() + Duration::from_secs(5);
    while errs.is_empty() && Instant::now() < end {
        if let Some(g) = a.poll(100) {
            if g.err != 0 {
                errs.push(g.err);
            }
        }
    }
    assert_eq!(errs, vec![-147], "_MAX_POLL_EXCEEDED on the stalled member's next poll");
    // Polling again rejoins it.
    assert!(
        wait_for(30, || {
            a.poll(20);
            b.poll(20);
            split(&a, &b)
        }),
        "the stalled member rejoined and got a share back"
    );
    // Nothing was lost meanwhile.
    oracle_produce(mc.bootstrap(), "mp", &["--count", "120", "--keys"]);
    let mut seen = HashMap::new();
    let end = Instant::now() + Duration::from_secs(20);
    while seen.len() < 120 && Instant::now() < end {
        if drain(&[&a, &b], &mut seen) == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    assert_eq!(seen.len(), 120, "both members read everything produced after the rejoin");
}
