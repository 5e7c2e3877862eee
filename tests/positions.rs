//! A consumer's positions as librdkafka reports them, against librdkafka's mock cluster
//! and Tansu: leader epochs (consumed messages, EOF events, rd_kafka_position(),
//! offsets_for_times(), committed offsets, commit results with their metadata), the
//! end-of-partition event (once per start, by the answer to a fetch at the end), and
//! what seek, offsets_store and incremental_assign refuse.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::{MockCluster, Tansu};
use common::*;
use kafkars::capi::consumer::*;
use kafkars::capi::error::*;
use kafkars::capi::group::rd_kafka_incremental_assign;
use kafkars::capi::group_commit::*;
use kafkars::capi::message::*;
use kafkars::capi::tplist::*;
use kafkars::capi::types::*;
use libc::c_void;
use std::ffi::{CStr, CString};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const BEGINNING: i64 = -2;
const ERR_PARTITION_EOF: i32 = -191;

/// A partition list element as the test reads it back.
#[derive(Debug, Clone, PartialEq)]
struct Tp {
    partition: i32,
    offset: i64,
    epoch: i32,
    metadata: Option<String>,
    err: String,
}

/// An owned C list of `topic` partitions: (partition, offset, leader epoch, metadata).
struct List(*mut rd_kafka_topic_partition_list_t);

impl List {
    fn new(topic: &str, parts: &[(i32, i64, i32, Option<&str>)]) -> List {
        let t = CString::new(topic).unwrap();
        unsafe {
            let l = rd_kafka_topic_partition_list_new(parts.len() as i32);
            for (p, o, epoch, md) in parts {
                let e = rd_kafka_topic_partition_list_add(l, t.as_ptr(), *p);
                (*e).offset = *o;
                rd_kafka_topic_partition_set_leader_epoch(e, *epoch);
                if let Some(md) = md {
                    let m = libc::malloc(md.len());
                    std::ptr::copy_nonoverlapping(md.as_ptr(), m as *mut u8, md.len());
                    ((*e).metadata, (*e).metadata_size) = (m, md.len());
                }
            }
            List(l)
        }
    }

    fn read(&self) -> Vec<Tp> {
        unsafe { read_list(self.0) }
    }
}

impl Drop for List {
    fn drop(&mut self) {
        unsafe { rd_kafka_topic_partition_list_destroy(self.0) }
    }
}

unsafe fn read_list(l: *const rd_kafka_topic_partition_list_t) -> Vec<Tp> {
    (0..(*l).cnt as usize)
        .map(|i| {
            let e = &*(*l).elems.add(i);
            Tp {
                partition: e.partition,
                offset: e.offset,
                epoch: rd_kafka_topic_partition_get_leader_epoch(e),
                metadata: (!e.metadata.is_null()).then(|| {
                    String::from_utf8_lossy(std::slice::from_raw_parts(
                        e.metadata as *const u8,
                        e.metadata_size,
                    ))
                    .into_owned()
                }),
                err: err_name(e.err),
            }
        })
        .collect()
}

/// A consumed message or event with its leader epoch.
struct Polled {
    got: Got,
    epoch: i32,
}

fn poll(c: &Consumer, ms: i32) -> Option<Polled> {
    let m = unsafe { rd_kafka_consumer_poll(c.rk, ms) };
    (!m.is_null()).then(|| {
        let epoch = unsafe { rd_kafka_message_leader_epoch(m) };
        Polled { got: unsafe { take_message(m) }, epoch }
    })
}

/// Polls for `secs`, or until `n` records and `eofs` EOF events were seen.
fn poll_until(c: &Consumer, n: usize, eofs: usize, secs: u64) -> (Vec<Polled>, Vec<Polled>) {
    let (mut recs, mut evs) = (Vec::new(), Vec::new());
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end && (recs.len() < n || evs.len() < eofs) {
        if let Some(p) = poll(c, 100) {
            if p.got.err == 0 {
                recs.push(p);
            } else {
                evs.push(p);
            }
        }
    }
    (recs, evs)
}

fn tp_ok(partition: i32, offset: i64, epoch: i32, metadata: Option<&str>) -> Tp {
    Tp { partition, offset, epoch, metadata: metadata.map(str::to_string), err: "NO_ERROR".into() }
}

/// The result list a commit_queue callback got.
static COMMITTED: Mutex<Vec<(String, Vec<Tp>)>> = Mutex::new(Vec::new());

unsafe extern "C" fn commit_cb(
    _rk: *mut rd_kafka_t,
    err: rd_kafka_resp_err_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
    _opaque: *mut c_void,
) {
    COMMITTED.lock().unwrap().push((err_name(err), read_list(offsets)));
}

/// Commits `offsets` (None: the stored positions) synchronously through
/// rd_kafka_commit_queue(); returns the call's error name and the callback's list.
fn commit(c: &Consumer, offsets: Option<&List>) -> (String, Vec<Tp>) {
    COMMITTED.lock().unwrap().clear();
    let l = offsets.map_or(std::ptr::null(), |l| l.0 as *const _);
    let r = unsafe {
        rd_kafka_commit_queue(c.rk, l, std::ptr::null_mut(), Some(commit_cb), std::ptr::null_mut())
    };
    let got = COMMITTED.lock().unwrap().pop().expect("the commit callback ran");
    assert_eq!(err_name(r), got.0, "call and callback agree");
    got
}

/// Consumed messages carry their batch's leader epoch, and so does the position after
/// them; offsets_for_times() and committed offsets carry the broker's; commit results
/// give back the epochs and metadata committed; EOF events read 0 (librdkafka's zeroed
/// error op).
#[test]
fn leader_epochs_and_commit_metadata_mock_cluster() {
    let mc = MockCluster::start(1, &[("le", 2)]);
    oracle_produce(mc.bootstrap(), "le", &["--count", "6", "--partition", "0"]);
    let c = Consumer::new(&[
        ("bootstrap.servers", mc.bootstrap()),
        ("group.id", "le"),
        ("enable.auto.commit", "false"),
        ("enable.auto.offset.store", "false"),
        ("enable.partition.eof", "true"),
    ]);
    assert_eq!(c.assign(&[("le", 0, BEGINNING)]), 0);
    let (recs, eofs) = poll_until(&c, 6, 1, 20);
    assert_eq!(recs.len(), 6);
    let epoch = recs[0].epoch;
    assert!(epoch >= 0, "a consumed message has the batch's leader epoch, not {epoch}");
    assert!(recs.iter().all(|p| p.epoch == epoch));
    assert_eq!(eofs.len(), 1);
    assert_eq!((eofs[0].got.err, eofs[0].got.offset, eofs[0].epoch), (ERR_PARTITION_EOF, 6, 0));

    let pos = List::new("le", &[(0, -1001, -1, None), (1, -1001, -1, None)]);
    assert_eq!(unsafe { rd_kafka_position(c.rk, pos.0) }, 0);
    assert_eq!(pos.read(), vec![tp_ok(0, 6, epoch, None), tp_ok(1, -1001, -1, None)]);

    // (The mock answers no timestamp lookup; BEGINNING it does, with the epoch.)
    let ts = List::new("le", &[(0, BEGINNING, -1, None)]);
    assert_eq!(unsafe { rd_kafka_offsets_for_times(c.rk, ts.0, 10_000) }, 0);
    assert_eq!(ts.read(), vec![tp_ok(0, 0, epoch, None)], "ListOffsets v4+ answers a leader epoch");

    // Stored with epoch and metadata, committed with them (the mock refuses a commit
    // whose epoch is newer than the partition's: proof the epoch went on the wire).
    let store = List::new("le", &[(0, 4, epoch, Some("md-4"))]);
    assert_eq!(unsafe { rd_kafka_offsets_store(c.rk, store.0) }, 0);
    assert_eq!(store.read()[0].err, "NO_ERROR");
    let (err, list) = commit(&c, None);
    assert_eq!(err, "NO_ERROR");
    assert_eq!(list, vec![tp_ok(0, 4, epoch, Some("md-4"))]);
    let newer = List::new("le", &[(0, 5, epoch + 5, Some("x"))]);
    let (err, list) = commit(&c, Some(&newer));
    assert_eq!(err, "UNKNOWN_LEADER_EPOCH");
    assert_eq!(list[0].err, "UNKNOWN_LEADER_EPOCH");
    assert_eq!((list[0].offset, list[0].epoch, list[0].metadata.as_deref()), (5, epoch + 5, Some("x")));
    let given = List::new("le", &[(0, 5, -1, Some("given"))]);
    assert_eq!(commit(&c, Some(&given)), ("NO_ERROR".into(), vec![tp_ok(0, 5, -1, Some("given"))]));

    let q = List::new("le", &[(0, -1001, -1, None)]);
    assert_eq!(unsafe { rd_kafka_committed(c.rk, q.0, 10_000) }, 0);
    let got = q.read();
    assert_eq!((got[0].offset, got[0].metadata.as_deref()), (5, Some("given")));
    if mc.is_kafkars_mock() {
        // kafkars' mock, as Kafka, answers the epoch committed with the offset (none).
        assert_eq!(got[0].epoch, -1, "OffsetFetch v5+ answers the committed leader epoch");
    } else {
        assert!(got[0].epoch >= 0, "OffsetFetch v5+ answers a leader epoch (the mock: the partition's)");
    }
}

/// librdkafka's EOF rule: reported by the answer to a fetch at the end offset, once per
/// start or seek — again after unassign and assign at the same end. (And the leader
/// epoch of offsets_for_times().)
#[test]
fn partition_eof_once_per_start_tansu() {
    let t = Tansu::start_with_topics(&[("eofs", 1)]);
    let p = Producer::new(&[("bootstrap.servers", t.bootstrap()), ("linger.ms", "5")]);
    for i in 0..4 {
        assert_eq!(p.produce("eofs", 0, None, Some(format!("v{i}").as_bytes()), &[], 0, 0), 0);
    }
    assert_eq!(p.flush(10_000), 0);
    let c = Consumer::new(&[
        ("bootstrap.servers", t.bootstrap()),
        ("group.id", "eofs"),
        ("enable.partition.eof", "true"),
    ]);
    for round in 0..2 {
        assert_eq!(c.assign(&[("eofs", 0, 1)]), 0);
        let (recs, eofs) = poll_until(&c, 3, 2, 5);
        assert_eq!(recs.iter().map(|r| r.got.offset).collect::<Vec<_>>(), vec![1, 2, 3], "round {round}");
        assert!(
            recs.iter().all(|r| r.epoch == 0),
            "our producer writes PartitionLeaderEpoch 0, as librdkafka"
        );
        let e: Vec<(i32, i64, i32)> = eofs.iter().map(|e| (e.got.err, e.got.offset, e.epoch)).collect();
        assert_eq!(e, vec![(ERR_PARTITION_EOF, 4, 0)], "one EOF per start (round {round})");
        assert_eq!(unsafe { rd_kafka_assign(c.rk, std::ptr::null()) }, 0);
    }
    let ts = List::new("eofs", &[(0, 1, -1, None)]);
    assert_eq!(unsafe { rd_kafka_offsets_for_times(c.rk, ts.0, 10_000) }, 0);
    assert_eq!(ts.read(), vec![tp_ok(0, 0, 0, None)], "ListOffsets v4+ answers a leader epoch");
}

/// What librdkafka refuses: seek on a partition of a topic the client does not know
/// (_UNKNOWN_PARTITION) or one it does not fetch (_STATE); offsets_store with
/// enable.auto.offset.store (_INVALID_ARG), and per element for an unassigned partition
/// (_STATE), failing the call only when nothing was stored; incremental_assign of an
/// assigned partition (_CONFLICT, naming it).
#[test]
fn seek_store_and_incremental_assign_refusals_mock_cluster() {
    let mc = MockCluster::start(1, &[("rf", 2)]);
    oracle_produce(mc.bootstrap(), "rf", &["--count", "4", "--partition", "0"]);
    let conf = |auto_store: &'static str| {
        Consumer::new(&[
            ("bootstrap.servers", mc.bootstrap()),
            ("group.id", "rf"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", auto_store),
        ])
    };
    let c = conf("false");
    unsafe {
        let seek = |topic: &str, p: i32| {
            let l = List::new(topic, &[(p, 1, -1, None)]);
            let e = rd_kafka_seek_partitions(c.rk, l.0, 1000);
            if !e.is_null() {
                rd_kafka_error_destroy(e);
            }
            l.read()[0].err.clone()
        };
        assert_eq!(seek("nosuch", 0), "_UNKNOWN_PARTITION");
        assert_eq!(c.assign(&[("rf", 0, BEGINNING)]), 0);
        assert_eq!(poll_until(&c, 4, 0, 20).0.len(), 4);
        assert_eq!(seek("rf", 0), "NO_ERROR");
        assert_eq!(seek("rf", 1), "_STATE", "known but not fetched");
        assert_eq!(seek("rf", 77), "_STATE", "librdkafka makes a partition object for a known topic");

        let l = List::new("rf", &[(1, 2, -1, None)]);
        assert_eq!(err_name(rd_kafka_offsets_store(c.rk, l.0)), "_STATE");
        assert_eq!(l.read()[0].err, "_STATE");
        let l = List::new("rf", &[(0, 2, -1, None), (1, 2, -1, None)]);
        assert_eq!(err_name(rd_kafka_offsets_store(c.rk, l.0)), "NO_ERROR", "one was stored");
        assert_eq!(l.read().iter().map(|t| t.err.as_str()).collect::<Vec<_>>(), ["NO_ERROR", "_STATE"]);

        let add = List::new("rf", &[(1, BEGINNING, -1, None), (0, BEGINNING, -1, None)]);
        let e = rd_kafka_incremental_assign(c.rk, add.0);
        assert!(!e.is_null());
        assert_eq!(err_name(rd_kafka_error_code(e)), "_CONFLICT");
        let s = CStr::from_ptr(rd_kafka_error_string(e)).to_string_lossy().into_owned();
        assert_eq!(s, "rf [0] is already part of the current assignment");
        rd_kafka_error_destroy(e);
        assert_eq!(c.assignment(), vec![("rf".to_string(), 0)], "nothing was added");
        let dup = List::new("rf", &[(1, BEGINNING, -1, None), (1, BEGINNING, -1, None)]);
        let e = rd_kafka_incremental_assign(c.rk, dup.0);
        assert_eq!(err_name(rd_kafka_error_code(e)), "_INVALID_ARG");
        let s = CStr::from_ptr(rd_kafka_error_string(e)).to_string_lossy().into_owned();
        assert_eq!(s, "Duplicate rf [1] in input list");
        rd_kafka_error_destroy(e);

        let auto = conf("true");
        assert_eq!(auto.assign(&[("rf", 0, BEGINNING)]), 0);
        let l = List::new("rf", &[(0, 2, -1, None)]);
        assert_eq!(err_name(rd_kafka_offsets_store(auto.rk, l.0)), "_INVALID_ARG");
    }
}
