//! The transactional producer against librdkafka's mock cluster (fault injection, the
//! coordinator's sequence checks) and Tansu (fencing, the last stable offset, stored
//! transactional offsets). Each test states its invariant and checks it on the log
//! itself: the records and commit/abort markers as fetched, and genuine librdkafka
//! reading the topic back.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::{MockCluster, Tansu};
use common::*;
use kafkars::capi::error::*;
use kafkars::capi::txn::*;
use kafkars::capi::types::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::CStr;

/// An rd_kafka_error_t, copied out and destroyed.
#[derive(Debug, Clone)]
struct TxnErr {
    name: String,
    msg: String,
    fatal: bool,
    retriable: bool,
    abort: bool,
}

fn res(e: *mut rd_kafka_error_t) -> Result<(), TxnErr> {
    if e.is_null() {
        return Ok(());
    }
    unsafe {
        let r = TxnErr {
            name: CStr::from_ptr(rd_kafka_error_name(e)).to_string_lossy().into_owned(),
            msg: CStr::from_ptr(rd_kafka_error_string(e)).to_string_lossy().into_owned(),
            fatal: rd_kafka_error_is_fatal(e) != 0,
            retriable: rd_kafka_error_is_retriable(e) != 0,
            abort: rd_kafka_error_txn_requires_abort(e) != 0,
        };
        rd_kafka_error_destroy(e);
        Err(r)
    }
}

fn txn_producer(bootstrap: &str, id: &str, extra: &[(&str, &str)]) -> Producer {
    let mut props = vec![("bootstrap.servers", bootstrap), ("transactional.id", id), ("linger.ms", "5")];
    props.extend_from_slice(extra);
    if let Ok(d) = std::env::var("KAFKARS_TEST_DEBUG") {
        props.push(("debug", d.leak()));
    }
    Producer::new(&props)
}

fn init(p: &Producer) {
    res(unsafe { rd_kafka_init_transactions(p.rk, 30_000) }).expect("init_transactions");
}
fn begin(p: &Producer) -> Result<(), TxnErr> {
    res(unsafe { rd_kafka_begin_transaction(p.rk) })
}
fn commit(p: &Producer) -> Result<(), TxnErr> {
    res(unsafe { rd_kafka_commit_transaction(p.rk, 30_000) })
}
fn abort(p: &Producer) -> Result<(), TxnErr> {
    res(unsafe { rd_kafka_abort_transaction(p.rk, 30_000) })
}

/// Produces `vals` (key = value's group before the last '-', so order per key is
/// checkable); the partition is derived from the key unless `part` is given.
fn send(p: &Producer, topic: &str, vals: &[String], part: Option<i32>) {
    for (i, v) in vals.iter().enumerate() {
        let key = v.rsplit_once('-').map_or(v.as_str(), |(k, _)| k);
        let key = format!("{key}/{}", i % 7);
        loop {
            let e = p.produce(topic, part.unwrap_or(-1), Some(key.as_bytes()), Some(v.as_bytes()), &[], 0, 0);
            if e == 0 {
                break;
            }
            assert_eq!(err_name(e), "_QUEUE_FULL");
            p.poll(10);
        }
    }
}

fn vals(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

fn value_str(m: &LogMsg) -> String {
    String::from_utf8_lossy(m.value.as_deref().unwrap_or_default()).into_owned()
}

/// The invariant of transactions: the log's committed records are exactly `committed`,
/// each once, in produce order within each key; nothing of `aborted` is committed;
/// no transaction is left open. Genuine librdkafka reads the same records back.
fn check_log(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    committed: &[String],
    aborted: &BTreeSet<String>,
) -> Vec<LogMsg> {
    let log = read_log(bootstrap, topic, partitions);
    let open: Vec<&LogMsg> = log.iter().filter(|m| m.outcome == Outcome::Open).collect();
    assert!(
        open.is_empty(),
        "{} records in transactions never ended, e.g. {:?}",
        open.len(),
        open.first().map(|m| value_str(m))
    );
    let got: Vec<String> = log.iter().filter(|m| m.outcome == Outcome::Committed).map(value_str).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &got {
        *counts.entry(v).or_default() += 1;
    }
    let dups: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dups.is_empty(), "committed more than once: {:?}", &dups[..dups.len().min(5)]);
    let want: BTreeSet<&str> = committed.iter().map(|s| s.as_str()).collect();
    let have: BTreeSet<&str> = counts.keys().copied().collect();
    let missing: Vec<_> = want.difference(&have).collect();
    let extra: Vec<_> = have.difference(&want).collect();
    assert!(
        missing.is_empty(),
        "{} committed message(s) missing, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(
        extra.is_empty(),
        "{} unexpected committed message(s) (aborted: {}), e.g. {:?}",
        extra.len(),
        extra.iter().filter(|v| aborted.contains(***v)).count(),
        &extra[..extra.len().min(5)]
    );
    // Produce order within each key's partition: values carry their index.
    let index = |v: &str| v.rsplit_once('-').and_then(|(_, i)| i.parse::<usize>().ok()).unwrap_or(0);
    let mut last: BTreeMap<(i32, String), (usize, String)> = BTreeMap::new();
    for m in log.iter().filter(|m| m.outcome == Outcome::Committed) {
        let v = value_str(m);
        let k = (m.partition, String::from_utf8_lossy(m.key.as_deref().unwrap_or_default()).into_owned());
        if let Some((prev, pv)) = last.get(&k) {
            let same_batch_prefix = pv.rsplit_once('-').map(|x| x.0) == v.rsplit_once('-').map(|x| x.0);
            assert!(!same_batch_prefix || index(&v) > *prev, "out of order in {:?}: {v} after {pv}", k);
        }
        last.insert(k, (index(&v), v));
    }
    // Genuine librdkafka reads every record of the log (it cannot tell aborted ones
    // apart on these brokers, which send no aborted-transaction list).
    let theirs = oracle_read_args(bootstrap, topic, log.len(), &["--config", "check.crcs=false"]);
    assert_eq!(theirs.len(), log.len(), "genuine librdkafka reads the same number of records");
    let theirs: BTreeSet<(i32, i64)> = theirs.iter().map(|m| (m.partition, m.offset)).collect();
    let ours: BTreeSet<(i32, i64)> = log.iter().map(|m| (m.partition, m.offset)).collect();
    assert_eq!(theirs, ours, "same records at the same offsets");
    log
}

/// Commit, abort after flushing, abort with messages still queued, an empty commit and
/// another commit: the committed records are exactly those of the committed
/// transactions; every message gets one delivery report; the API answers misuse with
/// librdkafka's state errors.
#[test]
fn commit_and_abort_on_mock() {
    let mc = MockCluster::start(3, &[("txn-basic", 4)]);
    let p = txn_producer(mc.bootstrap(), "txn-basic", &[]);
    // Before init_transactions nothing transactional may happen.
    let e = begin(&p).unwrap_err();
    assert_eq!((e.name.as_str(), e.msg.as_str()), ("_STATE", "Operation not valid in state Init"));
    assert_eq!(err_name(p.produce("txn-basic", 0, None, Some(b"x"), &[], 0, 0)), "_STATE");
    init(&p);
    assert_eq!(
        err_name(p.produce("txn-basic", 0, None, Some(b"x"), &[], 0, 0)),
        "_STATE",
        "outside a transaction"
    );
    let e = commit(&p).unwrap_err();
    assert_eq!(
        (e.name.as_str(), e.msg.as_str(), e.retriable, e.abort, e.fatal),
        ("_STATE", "Operation not valid in state Ready", false, false, false)
    );

    let mut committed = Vec::new();
    let mut aborted = BTreeSet::new();
    begin(&p).unwrap();
    let e = begin(&p).unwrap_err();
    assert_eq!(e.msg, "Operation not valid in state InTransaction");
    let v = vals("c1", 400);
    send(&p, "txn-basic", &v, None);
    commit(&p).expect("commit 1");
    committed.extend(v);

    begin(&p).unwrap();
    let v = vals("a2", 400);
    send(&p, "txn-basic", &v, None);
    assert_eq!(p.flush(10_000), 0);
    abort(&p).expect("abort 2 (delivered)");
    aborted.extend(v);

    begin(&p).unwrap();
    let v = vals("a3", 2000);
    send(&p, "txn-basic", &v, None);
    abort(&p).expect("abort 3 (queued)");
    aborted.extend(v);

    begin(&p).unwrap();
    commit(&p).expect("an empty transaction commits without EndTxn");

    begin(&p).unwrap();
    let v = vals("c5", 400);
    send(&p, "txn-basic", &v, None);
    commit(&p).expect("commit 5");
    committed.extend(v);

    p.poll(100);
    let drs = p.drs();
    let mut by_prefix: BTreeMap<String, usize> = BTreeMap::new();
    for d in &drs {
        *by_prefix
            .entry(
                String::from_utf8_lossy(d.value.as_deref().unwrap_or_default())
                    .split('-')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            )
            .or_default() += 1;
    }
    assert_eq!(drs.len(), 400 * 3 + 2000, "one delivery report per message: {by_prefix:?}");
    let purged = drs.iter().filter(|d| err_name(d.err) == "_PURGE_QUEUE").count();
    let failed_other = drs.iter().filter(|d| d.err != 0 && err_name(d.err) != "_PURGE_QUEUE").count();
    assert_eq!(failed_other, 0, "only the aborted queued messages fail");
    assert!(drs
        .iter()
        .filter(|d| d.err != 0)
        .all(|d| String::from_utf8_lossy(d.value.as_deref().unwrap_or_default()).starts_with("a3-")));
    let log = check_log(mc.bootstrap(), "txn-basic", 4, &committed, &aborted);
    let aborted_in_log = log.iter().filter(|m| m.outcome == Outcome::Aborted).count();
    assert_eq!(
        aborted_in_log,
        400 + 2000 - purged,
        "the aborted records that reached the log are marked aborted"
    );
    // All from one producer id and epoch.
    assert_eq!(log.iter().map(|m| (m.producer_id, m.producer_epoch)).collect::<BTreeSet<_>>().len(), 1);
}

/// Faults at every step: the coordinator lookup, AddPartitionsToTxn and EndTxn answer
/// retriable errors, Produce requests fail and partition leaders and the transaction
/// coordinator move, with 5 requests in flight (the mock checks a transactional
/// producer's sequences). Every third transaction is aborted on purpose. Invariant:
/// the committed records are exactly the committed transactions' messages, once each
/// and in order.
#[test]
fn transactions_survive_injected_faults() {
    let mc = MockCluster::start(3, &[("txn-faults", 6)]);
    let p = txn_producer(
        mc.bootstrap(),
        "txn-faults",
        &[("max.in.flight", "5"), ("retry.backoff.ms", "20"), ("batch.num.messages", "50")],
    );
    mc.cmd("push_request_errors FindCoordinator COORDINATOR_NOT_AVAILABLE").unwrap();
    mc.cmd("push_request_errors InitProducerId COORDINATOR_LOAD_IN_PROGRESS CONCURRENT_TRANSACTIONS")
        .unwrap();
    let mut faults = 3;
    init(&p);
    let mut committed = Vec::new();
    let mut aborted = BTreeSet::new();
    let rounds = 12;
    for t in 0..rounds {
        let (api, errs) = match t % 4 {
            0 => ("AddPartitionsToTxn", "CONCURRENT_TRANSACTIONS COORDINATOR_NOT_AVAILABLE"),
            1 => ("EndTxn", "NOT_COORDINATOR CONCURRENT_TRANSACTIONS"),
            2 => ("Produce", "NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT NOT_ENOUGH_REPLICAS"),
            _ => ("EndTxn", "COORDINATOR_LOAD_IN_PROGRESS"),
        };
        mc.cmd(&format!("push_request_errors {api} {errs}")).unwrap();
        faults += errs.split(' ').count();
        begin(&p).unwrap();
        let v = vals(&format!("t{t}"), 500);
        send(&p, "txn-faults", &v[..250], None);
        if t % 3 == 1 {
            // Move leaders and the coordinator in the middle of the transaction.
            for part in 0..6 {
                mc.cmd(&format!("partition_set_leader txn-faults {part} {}", 1 + (part + t) % 3)).unwrap();
            }
            mc.cmd(&format!("coordinator_set transaction txn-faults {}", 1 + t % 3)).unwrap();
            faults += 7;
        }
        send(&p, "txn-faults", &v[250..], None);
        if t % 3 == 2 {
            abort(&p).unwrap_or_else(|e| panic!("abort {t}: {e:?}"));
            aborted.extend(v);
        } else {
            commit(&p).unwrap_or_else(|e| panic!("commit {t}: {e:?}"));
            committed.extend(v);
        }
    }
    p.poll(100);
    let drs = p.drs();
    assert_eq!(drs.len(), rounds * 500, "one delivery report per message");
    // A committed transaction's messages were all delivered. An aborted one's may fail
    // with any reason: purged from the queue, or an error that arrived once the abort
    // had begun (nothing of an aborting transaction is sent again).
    let committed_set: BTreeSet<&str> = committed.iter().map(String::as_str).collect();
    let value = |d: &Dr| String::from_utf8_lossy(d.value.as_deref().unwrap_or_default()).into_owned();
    let bad: Vec<&Dr> =
        drs.iter().filter(|d| d.err != 0 && committed_set.contains(value(d).as_str())).collect();
    assert!(
        bad.is_empty(),
        "{} committed messages with failed delivery reports, e.g. {:?}",
        bad.len(),
        bad.first().map(|d| err_name(d.err))
    );
    let strays: Vec<String> = drs
        .iter()
        .map(value)
        .filter(|v| !committed_set.contains(v.as_str()) && !aborted.contains(v))
        .collect();
    assert!(strays.is_empty(), "reports for messages never sent: {:?}", &strays[..strays.len().min(3)]);
    check_log(mc.bootstrap(), "txn-faults", 6, &committed, &aborted);
    eprintln!("transactions_survive_injected_faults: {faults} faults, {} transactions, {} committed + {} aborted messages checked", rounds, committed.len(), aborted.len());
}

/// UNKNOWN_PRODUCER_ID on a Produce (the broker lost our producer state): the
/// transaction fails with an abortable error, abort_transaction() bumps the epoch
/// (KIP-360), and the next transaction commits.
#[test]
fn unknown_producer_id_requires_abort_and_bumps_epoch() {
    let mc = MockCluster::start(1, &[("txn-bump", 1)]);
    let p = txn_producer(mc.bootstrap(), "txn-bump", &[]);
    init(&p);
    begin(&p).unwrap();
    send(&p, "txn-bump", &vals("ok0", 10), Some(0));
    commit(&p).unwrap();
    mc.cmd("push_request_errors Produce UNKNOWN_PRODUCER_ID").unwrap();
    begin(&p).unwrap();
    send(&p, "txn-bump", &vals("bad", 10), Some(0));
    let e = commit(&p).unwrap_err();
    assert!(e.abort && !e.fatal && !e.retriable, "abortable: {e:?}");
    // Producing is refused until the abort.
    assert_eq!(err_name(p.produce("txn-bump", 0, None, Some(b"x"), &[], 0, 0)), "_STATE");
    abort(&p).expect("abort bumps the epoch");
    begin(&p).unwrap();
    send(&p, "txn-bump", &vals("ok1", 10), Some(0));
    commit(&p).expect("commit after the bump");
    let committed: Vec<String> = vals("ok0", 10).into_iter().chain(vals("ok1", 10)).collect();
    let log = check_log(mc.bootstrap(), "txn-bump", 1, &committed, &vals("bad", 10).into_iter().collect());
    let epochs: BTreeSet<(i64, i16)> = log.iter().map(|m| (m.producer_id, m.producer_epoch)).collect();
    let ids: BTreeSet<i64> = epochs.iter().map(|e| e.0).collect();
    assert_eq!(ids.len(), 1, "same producer id");
    let ok1_epoch = log.iter().find(|m| value_str(m) == "ok1-0").unwrap().producer_epoch;
    let ok0_epoch = log.iter().find(|m| value_str(m) == "ok0-0").unwrap().producer_epoch;
    assert!(ok1_epoch > ok0_epoch, "epoch bumped: {ok0_epoch} -> {ok1_epoch}");
}

/// An abort that purges a retry (a batch sent once, failed, and waiting out its backoff)
/// leaves a sequence gap: the abort bumps the epoch, so the next transaction's batches
/// are in sequence and it commits (without the bump the broker answers
/// OUT_OF_ORDER_SEQUENCE_NUMBER until the commit times out). librdkafka re-bases its
/// sequences instead; a bump is also right when the purged batch may have been persisted.
#[test]
fn abort_purging_a_retry_bumps_the_epoch() {
    let mc = MockCluster::start(1, &[("txn-purge", 1)]);
    let backoff = [("retry.backoff.ms", "20000"), ("retry.backoff.max.ms", "20000")];
    let p = txn_producer(mc.bootstrap(), "txn-purge", &backoff);
    init(&p);
    begin(&p).unwrap();
    send(&p, "txn-purge", &vals("ok0", 10), Some(0));
    commit(&p).unwrap();
    mc.cmd("push_request_errors Produce NOT_ENOUGH_REPLICAS").unwrap();
    begin(&p).unwrap();
    send(&p, "txn-purge", &vals("retried", 10), Some(0));
    // The batch leaves after linger.ms (5) and the local mock fails it at once; its
    // retry then waits 20 s in the partition queue.
    std::thread::sleep(std::time::Duration::from_secs(1));
    abort(&p).expect("abort");
    begin(&p).unwrap();
    send(&p, "txn-purge", &vals("ok1", 10), Some(0));
    commit(&p).expect("the transaction after the abort commits");
    p.poll(100);
    let purged = p.drs().iter().filter(|d| err_name(d.err) == "_PURGE_QUEUE").count();
    assert_eq!(purged, 10, "the retried batch is purged by the abort");
    let committed: Vec<String> = vals("ok0", 10).into_iter().chain(vals("ok1", 10)).collect();
    let aborted = vals("retried", 10).into_iter().collect();
    let log = check_log(mc.bootstrap(), "txn-purge", 1, &committed, &aborted);
    let epoch = |v: &str| log.iter().find(|m| value_str(m) == v).unwrap().producer_epoch;
    assert!(epoch("ok1-0") > epoch("ok0-0"), "epoch bumped: {} -> {}", epoch("ok0-0"), epoch("ok1-0"));
}

/// An abort while the transaction's only AddPartitionsToTxn is unanswered waits for the
/// answer: here the coordinator refuses it (CONCURRENT_TRANSACTIONS, 500 ms late), so it
/// holds nothing of this transaction and no EndTxn is sent. A Kafka coordinator answers
/// an abort EndTxn after a committed transaction with INVALID_TXN_STATE, fatal to the
/// producer (kafkars' mock does; librdkafka's mock accepts any EndTxn, so there this
/// checks only that the abort succeeds).
#[test]
fn abort_waits_for_a_registration_in_flight() {
    let mc = MockCluster::start(1, &[("txn-inflight", 1)]);
    let p = txn_producer(mc.bootstrap(), "txn-inflight", &[]);
    init(&p);
    begin(&p).unwrap();
    send(&p, "txn-inflight", &vals("ok0", 5), Some(0));
    commit(&p).unwrap();
    mc.cmd("broker_push_request_error_rtts 1 AddPartitionsToTxn CONCURRENT_TRANSACTIONS:500").unwrap();
    begin(&p).unwrap();
    send(&p, "txn-inflight", &vals("gone", 5), Some(0));
    std::thread::sleep(std::time::Duration::from_millis(100));
    abort(&p).expect("abort with a registration in flight");
    begin(&p).unwrap();
    send(&p, "txn-inflight", &vals("ok1", 5), Some(0));
    commit(&p).expect("the next transaction commits");
    p.poll(100);
    let committed: Vec<String> = vals("ok0", 5).into_iter().chain(vals("ok1", 5)).collect();
    check_log(mc.bootstrap(), "txn-inflight", 1, &committed, &vals("gone", 5).into_iter().collect());
}

/// Fatal errors: a fenced EndTxn makes the producer unusable: the error is fatal,
/// rd_kafka_fatal_error() says _FENCED, and produce() answers _FATAL.
#[test]
fn fenced_end_txn_is_fatal() {
    let mc = MockCluster::start(1, &[("txn-fatal", 1)]);
    let p = txn_producer(mc.bootstrap(), "txn-fatal", &[]);
    init(&p);
    begin(&p).unwrap();
    send(&p, "txn-fatal", &vals("x", 5), Some(0));
    mc.cmd("push_request_errors EndTxn PRODUCER_FENCED").unwrap();
    let e = commit(&p).unwrap_err();
    assert!(e.fatal, "{e:?}");
    assert_eq!(e.name, "_FENCED");
    let mut buf = [0 as libc::c_char; 256];
    let code = unsafe { kafkars::capi::handle::rd_kafka_fatal_error(p.rk, buf.as_mut_ptr(), buf.len()) };
    assert_eq!(err_name(code), "_FENCED");
    assert_eq!(err_name(p.produce("txn-fatal", 0, None, Some(b"x"), &[], 0, 0)), "_FATAL");
    let e = begin(&p).unwrap_err();
    assert!(e.fatal && e.name == "_FENCED", "{e:?}");
    p.poll(100);
    assert!(p.errors().iter().any(|(c, _)| err_name(*c) == "_FATAL"), "error_cb told: {:?}", p.errors());
}

/// Consume-transform-produce, exactly once: a consumer reads the input, each batch is
/// written to the output inside a transaction together with the consumer's offsets,
/// and every fourth transaction is aborted (the consumer rewinds to the last committed
/// positions), under injected coordinator and produce faults. Invariant: the committed
/// output is the input, each message exactly once, in order.
fn consume_transform_produce(bootstrap: &str, inject: Option<&MockCluster>, group: &str) -> (usize, usize) {
    const N: usize = 3000;
    const PARTS: i32 = 3;
    let input: Vec<String> = vals("in", N);
    {
        let plain = Producer::new(&[("bootstrap.servers", bootstrap)]);
        send(&plain, "ctp-in", &input, None);
        assert_eq!(plain.flush(30_000), 0);
    }
    let c = Consumer::new(&[
        ("bootstrap.servers", bootstrap),
        ("group.id", group),
        ("enable.auto.commit", "false"),
        ("isolation.level", "read_committed"),
    ]);
    let p = txn_producer(bootstrap, &format!("{group}-tx"), &[]);
    init(&p);
    // Positions as of the last committed transaction: where an abort rewinds to.
    let mut committed_pos: Vec<i64> = vec![0; PARTS as usize];
    let assign_at = |pos: &[i64]| {
        let parts: Vec<(&str, i32, i64)> = (0..PARTS).map(|i| ("ctp-in", i, pos[i as usize])).collect();
        assert_eq!(c.assign(&parts), 0);
    };
    assign_at(&committed_pos);
    let (mut txns, mut aborts, mut faults) = (0usize, 0usize, 0usize);
    let mut done = 0usize;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while done < N {
        assert!(std::time::Instant::now() < deadline, "stuck at {done} of {N}");
        let batch: Vec<Got> = c.poll_n(200, 1).into_iter().filter(|g| g.err == 0).collect();
        if batch.is_empty() {
            continue;
        }
        if let Some(mc) = inject {
            let e = [
                "AddPartitionsToTxn COORDINATOR_NOT_AVAILABLE",
                "AddOffsetsToTxn CONCURRENT_TRANSACTIONS",
                "TxnOffsetCommit COORDINATOR_LOAD_IN_PROGRESS",
                "EndTxn NOT_COORDINATOR",
                "Produce NOT_LEADER_FOR_PARTITION",
            ][txns % 5];
            mc.cmd(&format!("push_request_errors {e}")).unwrap();
            faults += 1;
        }
        begin(&p).unwrap();
        let mut pos = committed_pos.clone();
        for g in &batch {
            let v =
                String::from_utf8_lossy(g.value.as_deref().unwrap_or_default()).replacen("in-", "out-", 1);
            send(&p, "ctp-out", std::slice::from_ref(&v), Some(g.partition));
            pos[g.partition as usize] = pos[g.partition as usize].max(g.offset + 1);
        }
        let offsets = unsafe {
            use kafkars::capi::tplist::*;
            let l = rd_kafka_topic_partition_list_new(PARTS);
            let t = std::ffi::CString::new("ctp-in").unwrap();
            for i in 0..PARTS {
                (*rd_kafka_topic_partition_list_add(l, t.as_ptr(), i)).offset = pos[i as usize];
            }
            l
        };
        let meta = unsafe { kafkars::capi::group_metadata::rd_kafka_consumer_group_metadata(c.rk) };
        assert!(!meta.is_null());
        let r = res(unsafe { rd_kafka_send_offsets_to_transaction(p.rk, offsets, meta, 30_000) });
        unsafe {
            kafkars::capi::tplist::rd_kafka_topic_partition_list_destroy(offsets);
            kafkars::capi::group_metadata::rd_kafka_consumer_group_metadata_destroy(meta);
        }
        r.expect("send_offsets_to_transaction");
        txns += 1;
        if txns % 4 == 0 {
            abort(&p).expect("abort");
            aborts += 1;
            assign_at(&committed_pos);
        } else {
            commit(&p).expect("commit");
            done += batch.len();
            committed_pos = pos;
        }
    }
    let want: Vec<String> = input.iter().map(|v| v.replacen("in-", "out-", 1)).collect();
    check_log(bootstrap, "ctp-out", PARTS, &want, &BTreeSet::new());
    eprintln!("consume_transform_produce({group}): {N} messages, {txns} transactions, {aborts} aborted, {faults} injected faults");
    (txns, aborts)
}

#[test]
fn consume_transform_produce_exactly_once_on_mock() {
    let mc = MockCluster::start(3, &[("ctp-in", 3), ("ctp-out", 3)]);
    let (txns, aborts) = consume_transform_produce(mc.bootstrap(), Some(&mc), "ctp-mock");
    assert!(txns > 4 && aborts > 0);
}

/// On Tansu (a broker that stores transactional offsets and keeps the last stable
/// offset): the same pipeline, then the group's committed offsets are the input's end,
/// written by the transactions alone.
#[test]
fn consume_transform_produce_exactly_once_on_tansu() {
    let t = Tansu::start_with_topics(&[("ctp-in", 3), ("ctp-out", 3)]);
    consume_transform_produce(t.bootstrap(), None, "ctp-tansu");
    let c = Consumer::new(&[("bootstrap.servers", t.bootstrap()), ("group.id", "ctp-tansu")]);
    let committed = c.committed("ctp-in", 3);
    let log = read_log(t.bootstrap(), "ctp-in", 3);
    for part in 0..3 {
        let end = log.iter().filter(|m| m.partition == part).map(|m| m.offset + 1).max().unwrap_or(0);
        assert_eq!(committed[part as usize], end, "partition {part}: offsets committed by the transactions");
    }
}

/// Tansu: a read_committed consumer (kafkars) stops at the last stable offset while a
/// transaction is open and reads its messages once it commits; a second producer with
/// the same transactional.id fences the first, whose next call fails fatally.
#[test]
fn read_committed_and_fencing_on_tansu() {
    let t = Tansu::start_with_topics(&[("txn-lso", 1)]);
    let p = txn_producer(t.bootstrap(), "txn-lso", &[]);
    init(&p);
    begin(&p).unwrap();
    send(&p, "txn-lso", &vals("first", 5), Some(0));
    commit(&p).unwrap();
    begin(&p).unwrap();
    send(&p, "txn-lso", &vals("open", 5), Some(0));
    assert_eq!(p.flush(10_000), 0, "written, not committed");
    let c = Consumer::new(&[
        ("bootstrap.servers", t.bootstrap()),
        ("group.id", "lso"),
        ("isolation.level", "read_committed"),
        ("enable.partition.eof", "true"),
    ]);
    assert_eq!(c.assign(&[("txn-lso", 0, -2)]), 0);
    let got = c.poll_n(6, 10);
    let values: Vec<String> = got
        .iter()
        .filter(|g| g.err == 0)
        .map(|g| String::from_utf8_lossy(g.value.as_deref().unwrap_or_default()).into_owned())
        .collect();
    assert_eq!(values, vals("first", 5), "only the committed transaction");
    assert_eq!(
        got.last().map(|g| err_name(g.err)),
        Some("_PARTITION_EOF".to_string()),
        "EOF at the last stable offset"
    );
    assert!(c.poll_n(1, 1).iter().all(|g| g.err != 0), "nothing of the open transaction");
    commit(&p).unwrap();
    let got: Vec<String> = c
        .poll_n(5, 10)
        .iter()
        .filter(|g| g.err == 0)
        .map(|g| String::from_utf8_lossy(g.value.as_deref().unwrap_or_default()).into_owned())
        .collect();
    assert_eq!(got, vals("open", 5), "visible once committed");

    // A new instance with the same transactional.id fences this one.
    let p2 = txn_producer(t.bootstrap(), "txn-lso", &[]);
    init(&p2);
    begin(&p).unwrap();
    // The refused registration (fenced) may come back before the three are queued: a
    // produce then answers _FATAL, as librdkafka's does.
    for v in vals("zombie", 3) {
        let e = p.produce("txn-lso", 0, Some(b"zombie"), Some(v.as_bytes()), &[], 0, 0);
        assert!(e == 0 || err_name(e) == "_FATAL", "zombie produce: {}", err_name(e));
    }
    let e = commit(&p).unwrap_err();
    assert!(e.fatal && e.name == "_FENCED", "fenced: {e:?}");
    begin(&p2).unwrap();
    send(&p2, "txn-lso", &vals("second", 3), Some(0));
    commit(&p2).unwrap();
    let log = read_log(t.bootstrap(), "txn-lso", 1);
    let committed: Vec<String> =
        log.iter().filter(|m| m.outcome == Outcome::Committed).map(value_str).collect();
    let want: Vec<String> =
        vals("first", 5).into_iter().chain(vals("open", 5)).chain(vals("second", 3)).collect();
    assert_eq!(committed, want, "the fenced producer's messages are never committed");
}
