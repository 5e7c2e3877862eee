//! Producer tests against real brokers (librdkafka's mock cluster and Tansu), read back
//! with genuine librdkafka. Every test states the behaviour it proves.

#[path = "brokers/mod.rs"]
mod brokers;
mod common;

use brokers::{MockCluster, Tansu};
use common::*;
use std::collections::HashMap;

const ERR_MSG_TIMED_OUT: i32 = -192;
const ERR_UNKNOWN_TOPIC: i32 = -188;
const ERR_UNKNOWN_PARTITION: i32 = -190;
const ERR_MSG_SIZE_TOO_LARGE: i32 = 10;
const TSTYPE_CREATE: i32 = 1;
const TSTYPE_LOG_APPEND: i32 = 2;

/// A record to produce: key, value, headers, timestamp.
type Record = (Option<Vec<u8>>, Option<Vec<u8>>, Vec<(String, Option<Vec<u8>>)>, i64);

/// The messages each interop test produces: every shape a record can take.
fn corpus(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let key = match i % 5 {
                0 => None,
                1 => Some(Vec::new()),
                _ => Some(format!("key-{i}").into_bytes()),
            };
            let value = match i % 7 {
                0 => None,
                1 => Some(Vec::new()),
                // Large values (4 KiB and up) go out by reference, not copied.
                3 if i % 2 == 1 => {
                    Some((0..4096 + (i * 523 % 70000)).map(|j| ((i * 7 + j) % 251) as u8).collect())
                }
                // Binary values with every byte value and some size variety.
                _ => Some((0..(i * 37 % 3000)).map(|j| ((i + j) % 256) as u8).collect()),
            };
            let headers = match i % 3 {
                0 => vec![],
                1 => {
                    vec![("h1".to_string(), Some(format!("v{i}").into_bytes())), ("nullh".to_string(), None)]
                }
                _ => vec![
                    ("dup".to_string(), Some(b"a".to_vec())),
                    ("dup".to_string(), Some(b"b".to_vec())),
                    ("empty".to_string(), Some(vec![])),
                ],
            };
            let ts = 1_600_000_000_000 + i as i64 * 1000;
            (key, value, headers, ts)
        })
        .collect()
}

/// Produces the corpus with `codec`, checks every delivery report, then reads the topic
/// with genuine librdkafka and requires a byte-exact match at the reported offsets.
fn produce_and_read_back(bootstrap: &str, topic: &str, codec: &str, partitions: i32) {
    let p =
        Producer::new(&[("bootstrap.servers", bootstrap), ("compression.codec", codec), ("linger.ms", "5")]);
    let msgs = corpus(300);
    for (i, (k, v, h, ts)) in msgs.iter().enumerate() {
        let hdrs: Vec<(&str, Option<&[u8]>)> = h.iter().map(|(n, v)| (n.as_str(), v.as_deref())).collect();
        let part = if partitions > 1 { (i as i32) % partitions } else { 0 };
        let err = p.produce(topic, part, k.as_deref(), v.as_deref(), &hdrs, *ts, i + 1);
        assert_eq!(err, 0, "produce #{i}: {}", err_name(err));
        p.poll(0);
    }
    assert_eq!(p.flush(30_000), 0, "flush timed out; errors: {:?}", p.errors());
    let drs = p.drs();
    assert_eq!(drs.len(), msgs.len(), "one delivery report per message");
    let mut by_pos: HashMap<(i32, i64), usize> = HashMap::new();
    for d in &drs {
        assert_eq!(d.err, 0, "DR error {} for #{}", err_name(d.err), d.opaque);
        assert_eq!(d.status, 2, "status PERSISTED");
        assert!(d.offset >= 0);
        let idx = d.opaque - 1;
        if d.tstype == TSTYPE_LOG_APPEND {
            // The mock cluster stamps LogAppendTime (1234) on every append; genuine
            // librdkafka reports exactly the same in its delivery reports.
            assert_eq!(d.timestamp, 1234);
        } else {
            assert_eq!(d.tstype, TSTYPE_CREATE);
            assert_eq!(d.timestamp, msgs[idx].3);
        }
        assert!(by_pos.insert((d.partition, d.offset), idx).is_none(), "two messages at one offset");
    }
    let read = oracle_read(bootstrap, topic, msgs.len());
    assert_eq!(read.len(), msgs.len());
    for r in read {
        let idx = *by_pos
            .get(&(r.partition, r.offset))
            .unwrap_or_else(|| panic!("librdkafka read an unknown message at {}/{}", r.partition, r.offset));
        let (k, v, h, ts) = &msgs[idx];
        assert_eq!(&r.key, k, "key of #{idx} ({codec})");
        assert_eq!(&r.value, v, "value of #{idx} ({codec})");
        assert_eq!(&r.headers, h, "headers of #{idx} ({codec})");
        if r.tstype == 2 {
            assert_eq!(r.timestamp, 1234, "mock cluster's LogAppendTime");
        } else {
            assert_eq!((r.tstype, r.timestamp), (1, *ts), "CreateTime of #{idx}");
        }
    }
}

#[test]
fn every_codec_reads_back_byte_exact_with_librdkafka_mock_cluster() {
    let mc = MockCluster::start(
        3,
        &[("codec-none", 4), ("codec-gzip", 4), ("codec-snappy", 4), ("codec-lz4", 4), ("codec-zstd", 4)],
    );
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        produce_and_read_back(mc.bootstrap(), &format!("codec-{codec}"), codec, 4);
    }
}

#[test]
fn every_codec_reads_back_byte_exact_tansu() {
    let t = Tansu::start_with_topics(&[
        ("tcodec-none", 1),
        ("tcodec-gzip", 1),
        ("tcodec-snappy", 1),
        ("tcodec-lz4", 1),
        ("tcodec-zstd", 1),
    ]);
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        produce_and_read_back(t.bootstrap(), &format!("tcodec-{codec}"), codec, 1);
    }
}

/// Partitioner: a key always lands where librdkafka's default partitioner puts it.
#[test]
fn keyed_messages_land_on_librdkafka_partitions() {
    let mc = MockCluster::start(3, &[("keyed", 7)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("partitioner", "murmur2_random")]);
    for i in 0..200 {
        let key = format!("user-{i}");
        assert_eq!(p.produce("keyed", -1, Some(key.as_bytes()), Some(b"v"), &[], 0, i + 1), 0);
    }
    assert_eq!(p.flush(20_000), 0);
    for d in p.drs() {
        assert_eq!(d.err, 0);
        let key = d.key.clone().unwrap();
        let want = (kafkars::producer::partitioner::murmur2(&key) & 0x7fff_ffff) % 7;
        assert_eq!(d.partition as u32, want, "key {}", String::from_utf8_lossy(&key));
    }
}

/// Fault: a partition leader goes down mid-produce. Every message gets exactly one
/// delivery report; delivered ones are really in the log; none is silently lost.
#[test]
fn broker_down_mid_produce_every_message_gets_one_report() {
    let mc = MockCluster::start(3, &[("faulty", 6)]);
    let p = Producer::new(&[
        ("bootstrap.servers", mc.bootstrap()),
        ("message.timeout.ms", "8000"),
        ("linger.ms", "2"),
        ("retry.backoff.ms", "50"),
    ]);
    let total = 3000usize;
    for i in 0..total {
        if i == 1000 {
            mc.cmd("broker_down 2").unwrap();
        }
        if i == 2000 {
            // Leave it down a while, then bring it back.
            std::thread::sleep(std::time::Duration::from_millis(1500));
            mc.cmd("broker_up 2").unwrap();
        }
        let v = format!("m{i}");
        let err = p.produce("faulty", (i % 6) as i32, None, Some(v.as_bytes()), &[], 0, i + 1);
        assert_eq!(err, 0);
        p.poll(0);
    }
    p.flush(30_000);
    let drs = p.drs();
    let mut seen = vec![0u32; total + 1];
    for d in &drs {
        seen[d.opaque] += 1;
        assert!(d.err == 0 || d.err == ERR_MSG_TIMED_OUT, "unexpected DR error {}", err_name(d.err));
    }
    assert!(seen[1..].iter().all(|&c| c == 1), "every message exactly one DR");
    let delivered: Vec<&Dr> = drs.iter().filter(|d| d.err == 0).collect();
    assert!(delivered.len() >= 2000, "most messages delivered once the broker returned: {}", delivered.len());
    let read = oracle_read(mc.bootstrap(), "faulty", delivered.len());
    let in_log: std::collections::HashSet<Vec<u8>> = read.iter().filter_map(|r| r.value.clone()).collect();
    for d in delivered {
        assert!(in_log.contains(d.value.as_ref().unwrap()), "acknowledged message missing from the log");
    }
}

/// Large values are sent from the messages' own buffers (by reference in the request,
/// never copied into it): batches that mix them with small ones, resent after injected
/// errors and after a leader's connection is lost mid-request, reach the log byte-exact
/// (read back by genuine librdkafka, which checks every batch's CRC), each once
/// (idempotent producer).
#[test]
fn large_values_by_reference_survive_retries_and_lost_connections() {
    let mc = MockCluster::start(3, &[("large", 3)]);
    let p = Producer::new(&[
        ("bootstrap.servers", mc.bootstrap()),
        ("enable.idempotence", "true"),
        ("linger.ms", "5"),
        ("retry.backoff.ms", "20"),
    ]);
    let value = |i: usize| -> Vec<u8> {
        // The mock keeps about 5 MB per partition: some 6 MB in all here.
        let len = if i.is_multiple_of(3) { 10 + i % 90 } else { 4096 + (i * 7919) % 20_000 };
        (0..len).map(|j| ((i * 31 + j) % 253) as u8).collect()
    };
    let total = 600usize;
    for i in 0..total {
        if i == 150 {
            mc.cmd("push_request_errors Produce NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT").unwrap();
        }
        if i == 300 {
            mc.cmd("broker_down 2").unwrap();
        }
        if i == 450 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            mc.cmd("broker_up 2").unwrap();
        }
        let key = format!("k{i}");
        let v = value(i);
        let err = p.produce("large", (i % 3) as i32, Some(key.as_bytes()), Some(&v), &[], 0, i + 1);
        assert_eq!(err, 0, "produce #{i}: {}", err_name(err));
        p.poll(0);
    }
    assert_eq!(p.flush(60_000), 0, "flush timed out; errors: {:?}", p.errors());
    let drs = p.drs();
    assert_eq!(drs.len(), total, "one delivery report per message");
    assert!(
        drs.iter().all(|d| d.err == 0),
        "all delivered: {:?}",
        drs.iter().find(|d| d.err != 0).map(|d| d.err)
    );
    let read = oracle_read(mc.bootstrap(), "large", total);
    assert_eq!(read.len(), total, "each message once in the log");
    let mut seen = vec![false; total];
    for r in read {
        let key = String::from_utf8(r.key.clone().unwrap()).unwrap();
        let i: usize = key[1..].parse().unwrap();
        assert!(!seen[i], "#{i} twice in the log");
        seen[i] = true;
        assert_eq!(r.partition, (i % 3) as i32);
        assert!(r.value.as_deref() == Some(&value(i)[..]), "value of #{i} differs");
    }
}

/// Bad input: produce to an unknown topic when auto-creation is off fails with
/// _UNKNOWN_TOPIC after topic.metadata.propagation.max.ms.
#[test]
fn unknown_topic_without_auto_create_reports_unknown_topic() {
    let mc = MockCluster::start(1, &[]);
    let p = Producer::new(&[
        ("bootstrap.servers", mc.bootstrap()),
        ("allow.auto.create.topics", "false"),
        ("topic.metadata.propagation.max.ms", "500"),
    ]);
    assert_eq!(p.produce("no-such-topic", -1, None, Some(b"x"), &[], 0, 1), 0);
    p.flush(10_000);
    let drs = p.drs();
    assert_eq!(drs.len(), 1);
    assert_eq!(drs[0].err, ERR_UNKNOWN_TOPIC, "got {}", err_name(drs[0].err));
    // Once known not to exist, produce fails at once.
    assert_eq!(p.produce("no-such-topic", -1, None, Some(b"x"), &[], 0, 2), ERR_UNKNOWN_TOPIC);
}

/// Bad input: invalid partition and oversize message get librdkafka's errors.
#[test]
fn invalid_partition_and_oversize_message_are_rejected() {
    let mc = MockCluster::start(1, &[("small", 2)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("message.max.bytes", "10000")]);
    // Before metadata is known the message is queued and later fails with a DR.
    assert_eq!(p.produce("small", 5, None, Some(b"x"), &[], 0, 1), 0);
    p.flush(10_000);
    assert_eq!(p.drs().len(), 1);
    assert_eq!(p.drs()[0].err, ERR_UNKNOWN_PARTITION);
    // Now metadata is known: rejected at once.
    assert_eq!(p.produce("small", 2, None, Some(b"x"), &[], 0, 2), ERR_UNKNOWN_PARTITION);
    let big = vec![7u8; 20_000];
    assert_eq!(p.produce("small", 0, None, Some(&big), &[], 0, 3), ERR_MSG_SIZE_TOO_LARGE);
    assert_eq!(p.outq_len(), 0);
}

/// Unreachable cluster: each message times out with exactly one report, and the
/// all-brokers-down error is raised.
#[test]
fn unreachable_cluster_times_out_every_message() {
    let p = Producer::new(&[("bootstrap.servers", "127.0.0.1:1"), ("message.timeout.ms", "1000")]);
    for i in 0..50 {
        assert_eq!(p.produce("t", -1, None, Some(b"x"), &[], 0, i + 1), 0);
    }
    assert_eq!(p.flush(10_000), 0);
    let drs = p.drs();
    assert_eq!(drs.len(), 50);
    assert!(drs.iter().all(|d| d.err == ERR_MSG_TIMED_OUT));
    assert!(p.errors().iter().any(|(e, _)| *e == -187), "_ALL_BROKERS_DOWN raised: {:?}", p.errors());
}

/// Retries: Produce errors injected by the mock cluster are retried (retriable ones)
/// until delivered; with retries=0 the first error is the delivery report's error.
#[test]
fn injected_produce_errors_are_retried_or_reported() {
    let mc = MockCluster::start(1, &[("retry", 1)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("retry.backoff.ms", "10")]);
    // Warm up so the next request is the one that gets the errors.
    assert_eq!(p.produce("retry", 0, None, Some(b"warm"), &[], 0, 1), 0);
    assert_eq!(p.flush(10_000), 0);
    mc.cmd("push_request_errors Produce NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT NOT_ENOUGH_REPLICAS")
        .unwrap();
    assert_eq!(p.produce("retry", 0, None, Some(b"survives"), &[], 0, 2), 0);
    assert_eq!(p.flush(10_000), 0);
    let d = p.drs().into_iter().find(|d| d.opaque == 2).unwrap();
    assert_eq!(d.err, 0, "delivered after three retriable errors: {}", err_name(d.err));

    let p0 = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("retries", "0")]);
    assert_eq!(p0.produce("retry", 0, None, Some(b"warm"), &[], 0, 1), 0);
    assert_eq!(p0.flush(10_000), 0);
    mc.cmd("push_request_errors Produce NOT_ENOUGH_REPLICAS").unwrap();
    assert_eq!(p0.produce("retry", 0, None, Some(b"fails"), &[], 0, 2), 0);
    p0.flush(10_000);
    let d = p0.drs().into_iter().find(|d| d.opaque == 2).unwrap();
    assert_eq!(d.err, 19, "NOT_ENOUGH_REPLICAS reported with retries=0, got {}", err_name(d.err));
    // A non-retriable error is reported at once even with retries left.
    mc.cmd("push_request_errors Produce INVALID_RECORD").unwrap();
    assert_eq!(p.produce("retry", 0, None, Some(b"bad"), &[], 0, 3), 0);
    p.flush(10_000);
    let d = p.drs().into_iter().find(|d| d.opaque == 3).unwrap();
    assert_eq!(err_name(d.err), "INVALID_RECORD");
}

/// acks=0: messages are reported as soon as they are sent, with no offset, and they
/// do reach the log.
#[test]
fn acks_zero_reports_without_offsets() {
    let mc = MockCluster::start(1, &[("noack", 1)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap()), ("acks", "0")]);
    for i in 0..100 {
        assert_eq!(p.produce("noack", 0, None, Some(format!("n{i}").as_bytes()), &[], 0, i + 1), 0);
    }
    assert_eq!(p.flush(10_000), 0);
    let drs = p.drs();
    assert_eq!(drs.len(), 100);
    assert!(
        drs.iter().all(|d| d.err == 0 && d.offset == -1001 && d.status == 1),
        "no offset, possibly persisted"
    );
    assert_eq!(oracle_read(mc.bootstrap(), "noack", 100).len(), 100);
}

/// flush with nothing outstanding returns at once, as librdkafka's (it serves the queue
/// once without waiting): kafkars waited one 100 ms poll first, which cost every
/// commit_transaction after its last delivery report had been served 100 ms.
#[test]
fn flush_with_nothing_outstanding_returns_at_once() {
    let mc = MockCluster::start(1, &[("idleflush", 1)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap())]);
    assert_eq!(p.produce("idleflush", 0, None, Some(b"x"), &[], 0, 1), 0);
    assert_eq!(p.flush(10_000), 0);
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assert_eq!(p.flush(10_000), 0);
    }
    let took = start.elapsed();
    assert!(took < std::time::Duration::from_millis(1000), "20 idle flushes took {took:?}");
}

/// Watermarks of a topic the cluster lacks, asked from a producer (whose metadata
/// refreshes may create topics: allow.auto.create.topics): _UNKNOWN_PARTITION, and the
/// lookup creates nothing, as with librdkafka. kafkars' refresh of the topic it had
/// cached for the lookup used to create it (a second lookup then found it, empty).
#[test]
fn watermarks_of_an_unknown_topic_do_not_create_it() {
    use kafkars::capi::consumer::rd_kafka_query_watermark_offsets;
    let mc = MockCluster::start(1, &[("present", 1)]);
    let p = Producer::new(&[("bootstrap.servers", mc.bootstrap())]);
    assert_eq!(p.produce("present", 0, None, Some(b"x"), &[], 0, 1), 0);
    assert_eq!(p.flush(10_000), 0);
    let t = std::ffi::CString::new("never-created").unwrap();
    let ask = || {
        let (mut lo, mut hi) = (-9i64, -9i64);
        unsafe { rd_kafka_query_watermark_offsets(p.rk, t.as_ptr(), 0, &mut lo, &mut hi, 3000) }
    };
    assert_eq!(err_name(ask()), "_UNKNOWN_PARTITION");
    // Metadata refreshes run meanwhile (the producer's own, every topic it knows).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(err_name(ask()), "_UNKNOWN_PARTITION", "the lookup created the topic");
}

/// purge(INFLIGHT|QUEUE) while the leader answers slowly: every message is reported
/// exactly once, with _PURGE_INFLIGHT or _PURGE_QUEUE, and nothing is left queued.
#[test]
fn purge_reports_every_message_once() {
    let mc = MockCluster::start(1, &[("purge", 1)]);
    let p = Producer::new(&[
        ("bootstrap.servers", mc.bootstrap()),
        ("linger.ms", "0"),
        ("batch.num.messages", "10"),
    ]);
    assert_eq!(p.produce("purge", 0, None, Some(b"warm"), &[], 0, 1), 0);
    assert_eq!(p.flush(10_000), 0);
    mc.cmd("broker_set_rtt 1 2000").unwrap();
    for i in 2..=201 {
        assert_eq!(p.produce("purge", 0, None, Some(b"x"), &[], 0, i), 0);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let e = unsafe { kafkars::capi::produce::rd_kafka_purge(p.rk, 0x1 | 0x2) };
    assert_eq!(e, 0);
    assert_eq!(p.flush(10_000), 0);
    let drs: Vec<Dr> = p.drs().into_iter().filter(|d| d.opaque >= 2).collect();
    assert_eq!(drs.len(), 200, "one report per purged message");
    let names: std::collections::HashSet<String> = drs.iter().map(|d| err_name(d.err)).collect();
    assert!(names.contains("_PURGE_INFLIGHT"), "{names:?}");
    assert!(names.iter().all(|n| n == "_PURGE_INFLIGHT" || n == "_PURGE_QUEUE"), "{names:?}");
    mc.cmd("broker_set_rtt 1 0").unwrap();
}

type LogCb = unsafe extern "C" fn(
    *const kafkars::capi::types::rd_kafka_t,
    i32,
    *const libc::c_char,
    *const libc::c_char,
);

/// A C-API producer with `props` and a log callback, and its handle for `topic`.
unsafe fn logged_producer(
    props: &[(&str, &str)],
    cb: LogCb,
    topic: &str,
) -> (*mut kafkars::capi::types::rd_kafka_t, *mut kafkars::capi::types::rd_kafka_topic_t) {
    use kafkars::capi::conf::*;
    let conf = rd_kafka_conf_new();
    for (k, v) in props {
        conf_set(conf, k, v).unwrap();
    }
    rd_kafka_conf_set_log_cb(conf, Some(cb));
    let mut errstr = [0 as libc::c_char; 256];
    let rk = kafkars::capi::client::rd_kafka_new(0, conf, errstr.as_mut_ptr(), errstr.len());
    assert!(!rk.is_null());
    let t = std::ffi::CString::new(topic).unwrap();
    let rkt = kafkars::capi::topic::rd_kafka_topic_new(rk, t.as_ptr(), std::ptr::null_mut());
    (rk, rkt)
}

static LOG_LINES: std::sync::Mutex<Vec<(i32, String, String)>> = std::sync::Mutex::new(Vec::new());

unsafe extern "C" fn log_cb(
    _rk: *const kafkars::capi::types::rd_kafka_t,
    level: i32,
    fac: *const libc::c_char,
    buf: *const libc::c_char,
) {
    let s = |p: *const libc::c_char| std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned();
    LOG_LINES.lock().unwrap().push((level, s(fac), s(buf)));
}

/// debug contexts reach log_cb (from internal threads) with librdkafka-style facilities,
/// and only the enabled contexts log.
#[test]
fn debug_contexts_reach_log_cb() {
    let mc = MockCluster::start(1, &[("logged", 1)]);
    unsafe {
        let (rk, rkt) = logged_producer(
            &[("bootstrap.servers", mc.bootstrap()), ("debug", "broker,metadata,msg")],
            log_cb,
            "logged",
        );
        let v = b"hello";
        assert_eq!(
            kafkars::capi::produce::rd_kafka_produce(
                rkt,
                0,
                2,
                v.as_ptr() as *mut libc::c_void,
                v.len(),
                std::ptr::null(),
                0,
                std::ptr::null_mut()
            ),
            0
        );
        assert_eq!(kafkars::capi::produce::rd_kafka_flush(rk, 10_000), 0);
        kafkars::capi::topic::rd_kafka_topic_destroy(rkt);
        kafkars::capi::client::rd_kafka_destroy(rk);
    }
    let lines = LOG_LINES.lock().unwrap().clone();
    let facs: std::collections::HashSet<&str> = lines.iter().map(|(_, f, _)| f.as_str()).collect();
    assert!(lines.iter().all(|(l, _, _)| *l <= 7));
    for want in ["STATE", "CONNECT", "PRODUCE"] {
        assert!(facs.contains(want), "facility {want} missing from {facs:?}");
    }
    assert!(
        lines.iter().any(|(_, f, m)| f == "STATE" && m.contains("-> UP")),
        "broker state change to UP logged"
    );
    // protocol context not enabled: no RECV lines.
    assert!(!facs.contains("RECV"), "protocol debug lines without debug=protocol");
}

static TERM_LINES: std::sync::Mutex<Vec<(usize, i32, String, String)>> = std::sync::Mutex::new(Vec::new());

unsafe extern "C" fn term_log_cb(
    rk: *const kafkars::capi::types::rd_kafka_t,
    level: i32,
    fac: *const libc::c_char,
    buf: *const libc::c_char,
) {
    let s = |p: *const libc::c_char| std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned();
    TERM_LINES.lock().unwrap().push((rk as usize, level, s(fac), s(buf)));
}

/// Destroying a producer with messages outstanding warns as librdkafka does (the text,
/// level and facility genuine librdkafka 2.16 prints; bytes count payloads only); a
/// flushed producer says nothing.
#[test]
fn destroy_with_messages_outstanding_warns() {
    let run = |flush: bool| unsafe {
        TERM_LINES.lock().unwrap().clear(); // handle addresses are reused
        let (rk, rkt) = logged_producer(
            &[("bootstrap.servers", "127.0.0.1:1"), ("message.timeout.ms", "100")],
            term_log_cb,
            "unreachable",
        );
        for _ in 0..3 {
            let (v, k) = (b"hello", b"kk");
            assert_eq!(
                kafkars::capi::produce::rd_kafka_produce(
                    rkt,
                    -1,
                    2,
                    v.as_ptr() as *mut libc::c_void,
                    v.len(),
                    k.as_ptr() as *const libc::c_void,
                    k.len(),
                    std::ptr::null_mut()
                ),
                0
            );
        }
        if flush {
            // Each message times out: reported, so nothing is outstanding.
            assert_eq!(kafkars::capi::produce::rd_kafka_flush(rk, 10_000), 0);
        }
        kafkars::capi::topic::rd_kafka_topic_destroy(rkt);
        kafkars::capi::client::rd_kafka_destroy(rk);
        let lines = TERM_LINES.lock().unwrap();
        lines
            .iter()
            .filter(|l| l.0 == rk as usize && l.2 == "TERMINATE")
            .map(|l| (l.1, l.3.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(false), vec![(4, "[thrd:app]: Producer terminating with 3 messages (15 bytes) still in queue or transit: use flush() to wait for outstanding message delivery".to_string())]);
    assert_eq!(run(true), vec![]);
}
