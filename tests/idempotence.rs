//! The idempotent producer (enable.idempotence=true) against librdkafka's mock cluster,
//! which checks producer ids, epochs and sequence numbers as a broker does. Each test
//! states its invariant and checks it by reading the topic back with genuine
//! librdkafka.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::{MockCluster, Tansu};
use common::*;
use kafkars::capi::client::*;
use kafkars::capi::conf::*;
use kafkars::capi::types::*;
use std::collections::BTreeMap;
use std::ffi::{CStr, CString};

const TOPIC_PARTS: i32 = 6;

fn new_err(props: &[(&str, &str)]) -> String {
    unsafe {
        let conf = rd_kafka_conf_new();
        for (k, v) in props {
            conf_set(conf, k, v).unwrap();
        }
        let mut errstr = [0 as libc::c_char; 512];
        let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr.as_mut_ptr(), errstr.len());
        if !rk.is_null() {
            rd_kafka_destroy(rk);
            return String::new();
        }
        rd_kafka_conf_destroy(conf);
        CStr::from_ptr(errstr.as_ptr()).to_string_lossy().into_owned()
    }
}

/// Settings that contradict idempotence are refused with librdkafka's texts; unset,
/// they are implied (acks=all, max.in.flight <= 5, retries unbounded).
#[test]
fn conflicting_settings_are_refused() {
    let idem = ("enable.idempotence", "true");
    assert_eq!(
        new_err(&[idem, ("acks", "1")]),
        "`acks` must be set to `all` when `enable.idempotence` is true"
    );
    assert_eq!(
        new_err(&[idem, ("max.in.flight", "6")]),
        "`max.in.flight` must be set <= 5 when `enable.idempotence` is true"
    );
    assert_eq!(
        new_err(&[idem, ("retries", "0")]),
        "`retries` must be set >= 1 when `enable.idempotence` is true"
    );
    assert_eq!(
        new_err(&[("enable.gapless.guarantee", "true")]),
        "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled"
    );
    assert_eq!(new_err(&[idem, ("acks", "all"), ("max.in.flight", "5"), ("retries", "3")]), "");
}

/// Produces `n` messages whose value is their index and key spreads them over the
/// partitions; flushes; returns the delivery reports.
fn produce_indexed(p: &Producer, topic: &str, n: usize) -> Vec<Dr> {
    produce_indexed_paced(p, topic, n, None)
}

/// produce_indexed, sleeping `pace` after every 100 messages when given.
fn produce_indexed_paced(p: &Producer, topic: &str, n: usize, pace: Option<std::time::Duration>) -> Vec<Dr> {
    for i in 0..n {
        if let Some(d) = pace.filter(|_| i % 100 == 99) {
            std::thread::sleep(d);
        }
        let key = format!("k{}", i % 97);
        let val = i.to_string();
        loop {
            let e = p.produce(topic, -1, Some(key.as_bytes()), Some(val.as_bytes()), &[], 0, i);
            if e == 0 {
                break;
            }
            assert_eq!(err_name(e), "_QUEUE_FULL");
            p.poll(10);
        }
        if i % 500 == 0 {
            p.poll(0);
        }
    }
    assert_eq!(p.flush(120_000), 0, "flush");
    p.drs()
}

/// The invariant of the idempotent producer: every acknowledged message is in the log
/// exactly once, and each partition holds its messages in produce order, without gaps.
fn check_exactly_once_in_order(bootstrap: &str, topic: &str, n: usize, drs: &[Dr]) {
    let failed: Vec<&Dr> = drs.iter().filter(|d| d.err != 0).collect();
    assert!(
        failed.is_empty(),
        "{} failed delivery reports, e.g. {:?}",
        failed.len(),
        failed.first().map(|d| err_name(d.err))
    );
    assert_eq!(drs.len(), n, "one delivery report per message");
    let read = oracle_read(bootstrap, topic, n);
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_part: BTreeMap<i32, Vec<(i64, usize)>> = BTreeMap::new();
    for m in &read {
        let i: usize =
            String::from_utf8_lossy(m.value.as_deref().unwrap_or_default()).parse().expect("index value");
        *seen.entry(i).or_default() += 1;
        per_part.entry(m.partition).or_default().push((m.offset, i));
    }
    let dups: Vec<usize> = seen.iter().filter(|(_, c)| **c > 1).map(|(i, _)| *i).collect();
    assert!(
        dups.is_empty(),
        "{} messages written more than once, e.g. {:?}",
        dups.len(),
        &dups[..dups.len().min(5)]
    );
    assert_eq!(seen.len(), n, "every message present ({} of {n})", seen.len());
    for (part, mut v) in per_part {
        v.sort();
        for w in v.windows(2) {
            assert!(w[1].0 == w[0].0 + 1, "partition {part}: offsets {} then {} (gap)", w[0].0, w[1].0);
            assert!(w[1].1 > w[0].1, "partition {part}: message {} after {} (out of order)", w[1].1, w[0].1);
        }
    }
}

fn idempotent_producer(mc: &MockCluster, extra: &[(&str, &str)]) -> Producer {
    idempotent_producer_at(mc.bootstrap(), extra)
}

fn idempotent_producer_at(bootstrap: &str, extra: &[(&str, &str)]) -> Producer {
    let mut props = vec![
        ("bootstrap.servers", bootstrap),
        ("enable.idempotence", "true"),
        ("linger.ms", "2"),
        ("batch.num.messages", "100"),
        ("retry.backoff.ms", "20"),
        ("message.timeout.ms", "120000"),
    ];
    props.extend_from_slice(extra);
    Producer::new(&props)
}

/// No faults: 5 requests in flight per broker, three brokers, six partitions.
#[test]
fn exactly_once_in_order_without_faults() {
    let mc = MockCluster::start(3, &[("idem-clean", TOPIC_PARTS)]);
    let p = idempotent_producer(&mc, &[]);
    let drs = produce_indexed(&p, "idem-clean", 5000);
    check_exactly_once_in_order(mc.bootstrap(), "idem-clean", 5000, &drs);
    assert!(p.errors().iter().all(|(e, _)| err_name(*e) != "_FATAL"), "no fatal error: {:?}", p.errors());
}

/// Messages produced before the topic's metadata arrives wait unassigned, then move to
/// their partitions ahead of anything produced later. With every broker answering
/// slowly while messages keep coming, order must hold through that move (a request per
/// message, answered concurrently on several broker threads, once reordered it).
#[test]
fn exactly_once_in_order_when_produced_before_metadata() {
    let mc = MockCluster::start(3, &[("idem-early", TOPIC_PARTS)]);
    let p = idempotent_producer(&mc, &[("queue.buffering.max.messages", "100000")]);
    // Brokers learned and connected first, so requests for the topic can go to any.
    p.poll(1000);
    for id in 1..=3 {
        mc.cmd(&format!("broker_set_rtt {id} 300")).unwrap();
    }
    // Produced over about a second, so answers arrive while messages still come in.
    let drs = produce_indexed_paced(&p, "idem-early", 20_000, Some(std::time::Duration::from_millis(5)));
    for id in 1..=3 {
        mc.cmd(&format!("broker_set_rtt {id} 0")).unwrap();
    }
    check_exactly_once_in_order(mc.bootstrap(), "idem-early", 20_000, &drs);
}

/// Tansu keeps producer state per partition: the same invariant against a broker that
/// is not librdkafka's.
#[test]
fn exactly_once_in_order_tansu() {
    let t = Tansu::start_with_topics(&[("idem-tansu", 3)]);
    let p = idempotent_producer_at(t.bootstrap(), &[]);
    let drs = produce_indexed(&p, "idem-tansu", 3000);
    check_exactly_once_in_order(t.bootstrap(), "idem-tansu", 3000, &drs);
}

/// Retriable Produce errors (leader moved, timeouts, too few replicas, a dropped
/// connection) hit batches while up to 5 are in flight: failed batches come back in
/// sequence order with their sequences, and later ones are held back until they are
/// resent in order. Invariant: exactly once, in order.
///
/// The mock cluster checks sequences only for transactional producers: it would append
/// a later in-flight batch after an earlier one failed (a real broker refuses it as out
/// of order, and it is resent after the failed one), and it would write twice a batch
/// whose answer the client gave up on. Any client, genuine librdkafka included, shows
/// both there; so the fault tests run one request in flight per broker, and duplicates
/// are covered by `duplicate_sequence_counts_as_delivered`.
#[test]
fn exactly_once_in_order_under_injected_errors() {
    let mc = MockCluster::start(3, &[("idem-faults", TOPIC_PARTS)]);
    let errs = "NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS_AFTER_APPEND LEADER_NOT_AVAILABLE _TRANSPORT";
    let mut injected = 0;
    for _ in 0..5 {
        mc.cmd(&format!("push_request_errors Produce {errs}")).unwrap();
        injected += 6;
    }
    let p = idempotent_producer(&mc, &[("max.in.flight", "1")]);
    let drs = produce_indexed(&p, "idem-faults", 6000);
    eprintln!("idempotent producer: {injected} injected Produce errors, 6000 messages checked exactly once and in order");
    check_exactly_once_in_order(mc.bootstrap(), "idem-faults", 6000, &drs);
    assert!(p.errors().iter().all(|(e, _)| err_name(*e) != "_FATAL"), "no fatal error: {:?}", p.errors());
}

/// DUPLICATE_SEQUENCE_NUMBER means the broker already has the batch: its messages are
/// delivered (no error, offset unknown) and not sent again. The mock answers the
/// injected error without writing, so the batch is absent from its log: the proof
/// that it was not resent.
#[test]
fn duplicate_sequence_counts_as_delivered() {
    let mc = MockCluster::start(1, &[("idem-dup", 1)]);
    let p = idempotent_producer(&mc, &[]);
    assert_eq!(produce_indexed(&p, "idem-dup", 1)[0].err, 0);
    mc.cmd("push_request_errors Produce DUPLICATE_SEQUENCE_NUMBER").unwrap();
    assert_eq!(p.produce("idem-dup", 0, None, Some(b"1"), &[], 0, 1), 0);
    assert_eq!(p.flush(10_000), 0);
    assert_eq!(p.produce("idem-dup", 0, None, Some(b"2"), &[], 0, 2), 0);
    assert_eq!(p.flush(10_000), 0);
    let drs = p.drs();
    assert_eq!(drs.len(), 3);
    let names: Vec<_> = drs.iter().map(|d| err_name(d.err)).collect();
    assert_eq!(drs[1].offset, -1, "a duplicate's offset is unknown");
    if mc.is_kafkars_mock() {
        // kafkars' mock checks sequences as Kafka does: the batch the injected answer
        // skipped leaves a gap, so the next one is out of order (a real broker only
        // answers DUPLICATE for a batch it has). librdkafka's mock checks none.
        assert_eq!(names, ["NO_ERROR", "NO_ERROR", "OUT_OF_ORDER_SEQUENCE_NUMBER"]);
        let read = oracle_read(mc.bootstrap(), "idem-dup", 1);
        assert_eq!(read.len(), 1, "the duplicate batch was not sent again");
        return;
    }
    assert!(drs.iter().all(|d| d.err == 0), "all delivered: {names:?}");
    let read = oracle_read(mc.bootstrap(), "idem-dup", 2);
    let vals: Vec<Vec<u8>> = read.iter().map(|m| m.value.clone().unwrap_or_default()).collect();
    assert_eq!(vals, vec![b"0".to_vec(), b"2".to_vec()], "the duplicate batch was not sent again");
}

/// UNKNOWN_PRODUCER_ID on the oldest unacknowledged batch: the broker lost the
/// producer's state. The producer drains, bumps its epoch and starts the partition's
/// sequences again. Invariant: exactly once, in order, no fatal error.
#[test]
fn unknown_producer_id_bumps_the_epoch() {
    let mc = MockCluster::start(1, &[("idem-upid", 2)]);
    // One request in flight: see exactly_once_in_order_under_injected_errors.
    let p = idempotent_producer(&mc, &[("max.in.flight", "1")]);
    // A first message so the producer has its id before the errors are armed.
    let first = produce_indexed(&p, "idem-upid", 1);
    assert_eq!(first.len(), 1);
    mc.cmd("push_request_errors Produce UNKNOWN_PRODUCER_ID UNKNOWN_PRODUCER_ID").unwrap();
    for i in 1..2000usize {
        let (key, val) = (format!("k{}", i % 97), i.to_string());
        assert_eq!(p.produce("idem-upid", -1, Some(key.as_bytes()), Some(val.as_bytes()), &[], 0, i), 0);
    }
    assert_eq!(p.flush(60_000), 0);
    check_exactly_once_in_order(mc.bootstrap(), "idem-upid", 2000, &p.drs());
    assert!(p.errors().iter().all(|(e, _)| err_name(*e) != "_FATAL"), "no fatal error: {:?}", p.errors());
}

/// OUT_OF_ORDER_SEQUENCE_NUMBER on the oldest unacknowledged batch means client and
/// broker disagree: librdkafka raises a fatal error (error_cb _FATAL,
/// rd_kafka_fatal_error gives the cause), and produce() then refuses with _FATAL.
#[test]
fn out_of_order_at_head_is_fatal() {
    let mc = MockCluster::start(1, &[("idem-oos", 1)]);
    let p = idempotent_producer(&mc, &[]);
    let first = produce_indexed(&p, "idem-oos", 1);
    assert_eq!(first[0].err, 0);
    mc.cmd("push_request_errors Produce OUT_OF_ORDER_SEQUENCE_NUMBER").unwrap();
    assert_eq!(p.produce("idem-oos", 0, None, Some(b"x"), &[], 0, 1), 0);
    p.flush(10_000);
    assert!(
        wait_for(10, || {
            p.poll(100);
            p.errors().iter().any(|(e, _)| err_name(*e) == "_FATAL")
        }),
        "error_cb got _FATAL: {:?}",
        p.errors()
    );
    unsafe {
        let mut buf = [0 as libc::c_char; 256];
        let e = kafkars::capi::handle::rd_kafka_fatal_error(p.rk, buf.as_mut_ptr(), buf.len());
        assert_eq!(
            err_name(e),
            "OUT_OF_ORDER_SEQUENCE_NUMBER",
            "{}",
            CStr::from_ptr(buf.as_ptr()).to_string_lossy()
        );
    }
    let drs = p.drs();
    assert_eq!(drs.len(), 2);
    assert_eq!(err_name(drs[1].err), "OUT_OF_ORDER_SEQUENCE_NUMBER", "the batch fails with the cause");
    assert_eq!(err_name(p.produce("idem-oos", 0, None, Some(b"y"), &[], 0, 2)), "_FATAL");
    let _ = CString::new("").unwrap();
}

/// Brokers going down and coming back, and partition leaders moving, while an
/// idempotent producer writes: requests fail with the connection, are resent with the
/// same sequences to whichever broker leads. Invariant: every message delivered,
/// exactly once, in order (one request in flight: see the injected-errors test).
#[test]
fn exactly_once_in_order_across_broker_restarts_and_leader_moves() {
    let mc = MockCluster::start(3, &[("idem-moves", TOPIC_PARTS)]);
    let p = idempotent_producer(
        &mc,
        &[("max.in.flight", "1"), ("reconnect.backoff.ms", "50"), ("reconnect.backoff.max.ms", "200")],
    );
    let n = 8000usize;
    let mut faults = 0;
    for i in 0..n {
        let (key, val) = (format!("k{}", i % 97), i.to_string());
        loop {
            let e = p.produce("idem-moves", -1, Some(key.as_bytes()), Some(val.as_bytes()), &[], 0, i);
            if e == 0 {
                break;
            }
            assert_eq!(err_name(e), "_QUEUE_FULL");
            p.poll(10);
        }
        match i {
            1000 | 5000 => {
                mc.cmd("broker_down 2").unwrap();
                faults += 1;
            }
            2500 | 6500 => {
                mc.cmd("broker_up 2").unwrap();
            }
            3000 | 4000 | 7000 => {
                for part in 0..TOPIC_PARTS {
                    mc.cmd(&format!(
                        "partition_set_leader idem-moves {part} {}",
                        1 + (part + i as i32 / 1000) % 3
                    ))
                    .unwrap();
                }
                faults += TOPIC_PARTS as usize;
            }
            _ => {}
        }
        // Spread the produce over ~1 s so outages (~150 ms each) and moves hit traffic.
        if i % 100 == 0 {
            p.poll(0);
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    assert_eq!(p.flush(120_000), 0, "flush");
    eprintln!("idempotent producer: {faults} broker outages and leader moves, {n} messages checked exactly once and in order");
    check_exactly_once_in_order(mc.bootstrap(), "idem-moves", n, &p.drs());
    assert!(p.errors().iter().all(|(e, _)| err_name(*e) != "_FATAL"), "no fatal error: {:?}", p.errors());
}
