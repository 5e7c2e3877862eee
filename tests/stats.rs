//! Statistics (stats_cb) from a producer against librdkafka's mock cluster: the document's
//! key paths and JSON types must equal what genuine librdkafka 2.16 emits for the same
//! run (tests/data/stats_keys_librdkafka.txt, from tests/oracle/stats_keys.py), and its
//! values must agree with what was produced.

#[path = "brokers/mod.rs"]
mod brokers;

use kafkars::capi::client::{rd_kafka_destroy, rd_kafka_new};
use kafkars::capi::conf::{
    rd_kafka_conf_new, rd_kafka_conf_set, rd_kafka_conf_set_dr_msg_cb, rd_kafka_conf_set_stats_cb,
};
use kafkars::capi::poll::rd_kafka_poll;
use kafkars::capi::produce::rd_kafka_flush;
use kafkars::capi::produce::rd_kafka_produce;
use kafkars::capi::topic::{rd_kafka_topic_destroy, rd_kafka_topic_new};
use kafkars::capi::{rd_kafka_message_t, rd_kafka_t};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static DOCS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static DELIVERED: AtomicUsize = AtomicUsize::new(0);
static FAILED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn stats_cb(
    _rk: *mut rd_kafka_t,
    json: *mut c_char,
    len: usize,
    _opaque: *mut c_void,
) -> c_int {
    let bytes = std::slice::from_raw_parts(json as *const u8, len);
    DOCS.lock().unwrap().push(String::from_utf8_lossy(bytes).into_owned());
    0 // we did not keep the pointer: the library frees it
}

unsafe extern "C" fn dr_cb(_rk: *mut rd_kafka_t, m: *const rd_kafka_message_t, _opaque: *mut c_void) {
    if (*m).err == 0 {
        DELIVERED.fetch_add(1, Ordering::SeqCst);
    } else {
        FAILED.fetch_add(1, Ordering::SeqCst);
    }
}

fn cstr(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Key paths as tests/oracle/stats_keys.py prints them: "<section> <path> <type>".
fn key_paths(doc: &Value) -> BTreeSet<String> {
    fn jtype(v: &Value) -> &'static str {
        match v {
            Value::Bool(_) => "bool",
            Value::Number(n) if n.is_i64() || n.is_u64() => "int",
            Value::Number(_) => "float",
            Value::String(_) => "str",
            Value::Array(_) => "list",
            Value::Object(_) => "dict",
            Value::Null => "null",
        }
    }
    fn walk(section: &str, v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        let Some(o) = v.as_object() else { return };
        for (k, v) in o {
            let path = format!("{prefix}{k}");
            out.insert(format!("{section} {path} {}", jtype(v)));
            if v.is_object() && !["brokers", "topics", "partitions", "toppars"].contains(&k.as_str()) {
                walk(section, v, &format!("{path}."), out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk("top", doc, "", &mut out);
    for b in doc["brokers"].as_object().into_iter().flat_map(|m| m.values()) {
        walk("broker", b, "", &mut out);
        for tp in b["toppars"].as_object().into_iter().flat_map(|m| m.values()) {
            walk("toppar", tp, "", &mut out);
        }
    }
    for t in doc["topics"].as_object().into_iter().flat_map(|m| m.values()) {
        walk("topic", t, "", &mut out);
        for p in t["partitions"].as_object().into_iter().flat_map(|m| m.values()) {
            walk("partition", p, "", &mut out);
        }
    }
    out
}

/// Key paths genuine librdkafka has that we deliberately do not emit, with the reason.
/// (None today: every key of a producer's document is emitted.)
const DELIBERATELY_MISSING: &[(&str, &str)] = &[];

fn int(v: &Value, what: &str) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("{what} is not an integer: {v}"))
}

#[test]
fn producer_stats_match_librdkafka_schema_and_values() {
    let mock = brokers::MockCluster::start(3, &[("stats", 3)]);
    let rk = unsafe {
        let conf = rd_kafka_conf_new();
        let mut err = [0 as c_char; 512];
        for (k, v) in
            [("bootstrap.servers", mock.bootstrap()), ("statistics.interval.ms", "100"), ("linger.ms", "5")]
        {
            let r = rd_kafka_conf_set(conf, cstr(k).as_ptr(), cstr(v).as_ptr(), err.as_mut_ptr(), err.len());
            assert_eq!(r, 0, "{k}={v}: {:?}", CStr::from_ptr(err.as_ptr()));
        }
        rd_kafka_conf_set_stats_cb(conf, Some(stats_cb));
        rd_kafka_conf_set_dr_msg_cb(conf, Some(dr_cb));
        let rk = rd_kafka_new(0, conf, err.as_mut_ptr(), err.len());
        assert!(!rk.is_null(), "rd_kafka_new: {:?}", CStr::from_ptr(err.as_ptr()));
        rk
    };
    let topic = cstr("stats");
    let rkt = unsafe { rd_kafka_topic_new(rk, topic.as_ptr(), std::ptr::null_mut()) };
    assert!(!rkt.is_null());
    let mut payload_bytes = 0i64;
    for i in 0..100 {
        let mut v = format!("msg-{i}").into_bytes();
        payload_bytes += v.len() as i64;
        // Spread over all partitions so every leader connects; RD_KAFKA_MSG_F_COPY.
        let r = unsafe {
            rd_kafka_produce(
                rkt,
                i % 3,
                0x2,
                v.as_mut_ptr() as *mut c_void,
                v.len(),
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r, 0, "produce #{i}");
    }
    assert_eq!(unsafe { rd_kafka_flush(rk, 30_000) }, 0, "flush timed out");
    assert_eq!((DELIVERED.load(Ordering::SeqCst), FAILED.load(Ordering::SeqCst)), (100, 0));

    // A document emitted after the last delivery report was served.
    let seen = DOCS.lock().unwrap().len();
    let deadline = Instant::now() + Duration::from_secs(10);
    while DOCS.lock().unwrap().len() <= seen {
        assert!(Instant::now() < deadline, "no stats document after flush");
        unsafe { rd_kafka_poll(rk, 50) };
    }
    let docs: Vec<Value> = DOCS
        .lock()
        .unwrap()
        .iter()
        .map(|s| serde_json::from_str(s).unwrap_or_else(|e| panic!("invalid JSON ({e}): {s}")))
        .collect();
    let doc = docs.last().unwrap();
    if std::env::var_os("KAFKARS_STATS_DUMP").is_some() {
        eprintln!("{}", DOCS.lock().unwrap().last().unwrap());
    }
    unsafe {
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
    }

    // Same key paths and JSON types as genuine librdkafka.
    let ours = key_paths(doc);
    let theirs: BTreeSet<String> = include_str!("data/stats_keys_librdkafka.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let missing: Vec<&String> = theirs
        .difference(&ours)
        .filter(|k| !DELIBERATELY_MISSING.iter().any(|(m, _)| k.as_str() == *m))
        .collect();
    let extra: Vec<&String> = ours.difference(&theirs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "key paths differ from librdkafka 2.16\nmissing: {missing:#?}\nextra: {extra:#?}\ndocument: {doc}"
    );

    // Top level.
    assert_eq!(doc["type"], "producer");
    assert_eq!(doc["client_id"], "rdkafka");
    assert!(doc["name"].as_str().unwrap().starts_with("rdkafka#producer-"));
    assert_eq!(int(&doc["msg_cnt"], "msg_cnt"), 0, "producer queue drained");
    assert_eq!(int(&doc["msg_size"], "msg_size"), 0);
    assert_eq!(int(&doc["msg_max"], "msg_max"), 100_000);
    assert_eq!(int(&doc["msg_size_max"], "msg_size_max"), 1_048_576 * 1024);
    assert_eq!(int(&doc["metadata_cache_cnt"], "metadata_cache_cnt"), 1);
    assert_eq!(int(&doc["txmsgs"], "txmsgs"), 100);
    assert_eq!(int(&doc["txmsg_bytes"], "txmsg_bytes"), payload_bytes);
    assert_eq!((int(&doc["rxmsgs"], "rxmsgs"), int(&doc["rxmsg_bytes"], "rxmsg_bytes")), (0, 0));
    let t_us = int(&doc["ts"], "ts");
    assert!(docs.windows(2).all(|w| int(&w[1]["ts"], "ts") > int(&w[0]["ts"], "ts")), "ts is monotonic");
    assert!(int(&doc["age"], "age") > 0 && t_us > 0);
    let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((wall - int(&doc["time"], "time")).abs() <= 5, "time is wall-clock seconds");

    // Brokers: sums match the top level; every partition leader is UP.
    let brokers = doc["brokers"].as_object().unwrap();
    let sum = |k: &str| brokers.values().map(|b| int(&b[k], k)).sum::<i64>();
    assert_eq!(int(&doc["tx"], "tx"), sum("tx"));
    assert_eq!(int(&doc["rx"], "rx"), sum("rx"));
    assert_eq!(int(&doc["tx_bytes"], "tx_bytes"), sum("txbytes"));
    assert_eq!(int(&doc["rx_bytes"], "rx_bytes"), sum("rxbytes"));
    let mut leaders = 0;
    for (name, b) in brokers {
        assert_eq!(b["name"].as_str(), Some(name.as_str()));
        let id = int(&b["nodeid"], "nodeid");
        assert_eq!(b["source"], if id < 0 { "configured" } else { "learned" });
        assert!(name.starts_with(b["nodename"].as_str().unwrap()));
        let toppars = b["toppars"].as_object().unwrap();
        if !toppars.is_empty() {
            leaders += 1;
            assert_eq!(b["state"], "UP", "{name} leads partitions");
            assert!(
                int(&b["txidle"], "txidle") >= 0 && int(&b["rxidle"], "rxidle") >= 0,
                "{name}: idle times on an UP connection"
            );
            assert!(int(&b["req"]["Produce"], "req.Produce") > 0, "{name} sent Produce");
        }
        for (k, tp) in toppars {
            assert_eq!(
                k,
                &format!("{}-{}", tp["topic"].as_str().unwrap(), int(&tp["partition"], "partition"))
            );
        }
        // Every request sent is counted under its API name.
        let reqs: i64 = b["req"].as_object().unwrap().values().map(|v| int(v, "req")).sum();
        assert_eq!(reqs, int(&b["tx"], "tx"), "{name}: req counts sum to tx");
        assert!(int(&b["connects"], "connects") >= int(&b["disconnects"], "disconnects"));
        assert!(int(&b["stateage"], "stateage") > 0);
        // Each window is rolled over at every emission, so summed over all documents
        // the rtt samples cover each response received before the last one exactly once.
        let rtt_total: i64 = docs
            .iter()
            .filter_map(|d| d["brokers"].get(name))
            .map(|b| int(&b["rtt"]["cnt"], "rtt.cnt"))
            .sum();
        assert!(rtt_total <= int(&b["rx"], "rx"), "{name}: {rtt_total} rtt samples > rx");
        if let Some(prev) = docs.iter().rev().nth(1).and_then(|d| d["brokers"].get(name)) {
            assert!(rtt_total >= int(&prev["rx"], "rx"), "{name}: rtt windows lost samples");
        }
    }
    // The brokers carrying partitions are exactly the distinct leaders the partitions name
    // (the mock cluster places leaders as it likes, sometimes all on one broker).
    let distinct: std::collections::HashSet<i64> = doc["topics"]["stats"]["partitions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "-1")
        .map(|(_, p)| int(&p["leader"], "leader"))
        .collect();
    assert!(!distinct.is_empty() && !distinct.contains(&-1), "every partition has a leader: {distinct:?}");
    assert_eq!(leaders, distinct.len(), "brokers with partitions = distinct leaders");
    let rtt_seen = docs.iter().flat_map(|d| d["brokers"].as_object().unwrap().values()).any(|b| {
        let r = &b["rtt"];
        int(&r["cnt"], "cnt") > 0
            && int(&r["min"], "min") > 0
            && int(&r["min"], "min") <= int(&r["avg"], "avg")
            && int(&r["avg"], "avg") <= int(&r["max"], "max")
            && int(&r["p50"], "p50") <= int(&r["p99"], "p99")
    });
    assert!(rtt_seen, "some window measured round trips");

    // Topic and partitions.
    let t = &doc["topics"]["stats"];
    assert_eq!(t["topic"], "stats");
    let parts = t["partitions"].as_object().unwrap();
    let mut keys: Vec<&str> = parts.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["-1", "0", "1", "2"], "three partitions and the unassigned one");
    let mut txmsgs = 0;
    for (k, p) in parts {
        assert_eq!(int(&p["partition"], "partition").to_string(), *k);
        assert_eq!((int(&p["msgq_cnt"], "msgq_cnt"), int(&p["msgq_bytes"], "msgq_bytes")), (0, 0));
        assert_eq!(p["fetch_state"], "none");
        assert_eq!(int(&p["committed_offset"], "committed_offset"), -1001);
        if k == "-1" {
            assert_eq!(
                (int(&p["broker"], "broker"), int(&p["leader"], "leader"), int(&p["txmsgs"], "txmsgs")),
                (-1, -1, 0)
            );
            // Produced before the topic's metadata arrived, every message passed through it.
            assert_eq!(int(&p["msgs"], "msgs"), 100, "unassigned partition's enqueue count");
            continue;
        }
        let leader = int(&p["leader"], "leader");
        assert!(leader >= 1, "partition {k} has a leader");
        assert_eq!(int(&p["broker"], "broker"), leader);
        let lb = brokers.values().find(|b| int(&b["nodeid"], "nodeid") == leader).expect("leader in brokers");
        assert!(lb["toppars"].get(format!("stats-{k}")).is_some(), "leader {leader} lists stats-{k}");
        let n = int(&p["txmsgs"], "txmsgs");
        assert_eq!(n, if k == "0" { 34 } else { 33 }, "partition {k}: txmsgs");
        assert_eq!(int(&p["msgs"], "msgs"), n, "partition {k}: every enqueued message was sent");
        txmsgs += n;
    }
    assert_eq!(txmsgs, 100, "txmsgs summed over partitions");
    // Every produced batch was sampled once across all documents.
    let batched: i64 =
        docs.iter().map(|d| int(&d["topics"]["stats"]["batchcnt"]["sum"], "batchcnt.sum")).sum();
    assert_eq!(batched, 100, "batchcnt windows cover all messages");
}
