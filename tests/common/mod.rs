//! Test helpers: a thin wrapper over kafkars' C API (what applications use), delivery
//! report collection, and the genuine-librdkafka oracle for reading topics back.
#![allow(dead_code)]

use kafkars::capi::client::*;
use kafkars::capi::conf::*;
use kafkars::capi::poll::rd_kafka_poll;
use kafkars::capi::produce::*;
use kafkars::capi::topic::*;
use kafkars::capi::types::*;
use libc::{c_char, c_void};
use std::ffi::{CStr, CString};
use std::sync::Mutex;

/// One delivery report, copied out of the callback.
#[derive(Clone, Debug)]
pub struct Dr {
    pub err: i32,
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub opaque: usize,
    pub timestamp: i64,
    pub tstype: i32,
    pub status: i32,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
}

pub struct Producer {
    pub rk: *mut rd_kafka_t,
    pub drs: Box<Mutex<Vec<Dr>>>,
    pub errors: Box<Mutex<Vec<(i32, String)>>>,
}

struct Sinks {
    drs: *const Mutex<Vec<Dr>>,
    errors: *const Mutex<Vec<(i32, String)>>,
}

unsafe extern "C" fn dr_cb(_rk: *mut rd_kafka_t, m: *const rd_kafka_message_t, opaque: *mut c_void) {
    let sinks = &*(opaque as *const Sinks);
    let m = &*m;
    let mut tstype = 0;
    let ts = kafkars::capi::message::rd_kafka_message_timestamp(m, &mut tstype);
    let slice = |p: *mut c_void, n: usize| {
        if p.is_null() {
            None
        } else {
            Some(std::slice::from_raw_parts(p as *const u8, n).to_vec())
        }
    };
    let d = Dr {
        err: m.err,
        topic: CStr::from_ptr(rd_kafka_topic_name(m.rkt)).to_string_lossy().into_owned(),
        partition: m.partition,
        offset: m.offset,
        opaque: m._private as usize,
        timestamp: ts,
        tstype,
        status: kafkars::capi::message::rd_kafka_message_status(m),
        key: slice(m.key, m.key_len),
        value: slice(m.payload, m.len),
    };
    (*sinks.drs).lock().unwrap().push(d);
}

unsafe extern "C" fn err_cb(_rk: *mut rd_kafka_t, err: i32, reason: *const c_char, opaque: *mut c_void) {
    let sinks = &*(opaque as *const Sinks);
    (*sinks.errors).lock().unwrap().push((err, CStr::from_ptr(reason).to_string_lossy().into_owned()));
}

pub fn conf_set(conf: *mut rd_kafka_conf_t, k: &str, v: &str) -> Result<(), String> {
    let (k, v) = (CString::new(k).unwrap(), CString::new(v).unwrap());
    let mut errstr = [0 as c_char; 512];
    let r = unsafe { rd_kafka_conf_set(conf, k.as_ptr(), v.as_ptr(), errstr.as_mut_ptr(), errstr.len()) };
    if r == RD_KAFKA_CONF_OK {
        Ok(())
    } else {
        Err(unsafe { CStr::from_ptr(errstr.as_ptr()) }.to_string_lossy().into_owned())
    }
}

impl Producer {
    pub fn new(props: &[(&str, &str)]) -> Producer {
        let drs = Box::new(Mutex::new(Vec::new()));
        let errors = Box::new(Mutex::new(Vec::new()));
        let sinks = Box::leak(Box::new(Sinks { drs: &*drs, errors: &*errors }));
        unsafe {
            let conf = rd_kafka_conf_new();
            for (k, v) in props {
                conf_set(conf, k, v).unwrap_or_else(|e| panic!("conf {k}={v}: {e}"));
            }
            rd_kafka_conf_set_dr_msg_cb(conf, Some(dr_cb));
            rd_kafka_conf_set_error_cb(conf, Some(err_cb));
            rd_kafka_conf_set_opaque(conf, sinks as *mut Sinks as *mut c_void);
            let mut errstr = [0 as c_char; 512];
            let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr.as_mut_ptr(), errstr.len());
            assert!(!rk.is_null(), "rd_kafka_new: {}", CStr::from_ptr(errstr.as_ptr()).to_string_lossy());
            Producer { rk, drs, errors }
        }
    }

    /// Produces with rd_kafka_produceva; returns the librdkafka error code (0 = queued).
    #[allow(clippy::too_many_arguments)] // one per rd_kafka_vu_t field a test sets
    pub fn produce(
        &self,
        topic: &str,
        partition: i32,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(&str, Option<&[u8]>)],
        timestamp: i64,
        opaque: usize,
    ) -> i32 {
        let t = CString::new(topic).unwrap();
        let names: Vec<CString> = headers.iter().map(|(n, _)| CString::new(*n).unwrap()).collect();
        let mut vus: Vec<rd_kafka_vu_t> = Vec::new();
        let mut vu = |vtype: i32, u: rd_kafka_vu_u| vus.push(rd_kafka_vu_t { vtype, u });
        vu(RD_KAFKA_VTYPE_TOPIC, rd_kafka_vu_u { cstr: t.as_ptr() });
        vu(RD_KAFKA_VTYPE_PARTITION, rd_kafka_vu_u { i32: partition });
        if let Some(k) = key {
            vu(
                RD_KAFKA_VTYPE_KEY,
                rd_kafka_vu_u { mem: rd_kafka_vu_mem { ptr: k.as_ptr() as *mut c_void, size: k.len() } },
            );
        }
        if let Some(v) = value {
            vu(
                RD_KAFKA_VTYPE_VALUE,
                rd_kafka_vu_u { mem: rd_kafka_vu_mem { ptr: v.as_ptr() as *mut c_void, size: v.len() } },
            );
        }
        vu(RD_KAFKA_VTYPE_MSGFLAGS, rd_kafka_vu_u { i: RD_KAFKA_MSG_F_COPY });
        vu(RD_KAFKA_VTYPE_OPAQUE, rd_kafka_vu_u { ptr: opaque as *mut c_void });
        if timestamp != 0 {
            vu(RD_KAFKA_VTYPE_TIMESTAMP, rd_kafka_vu_u { i64: timestamp });
        }
        for ((_, v), n) in headers.iter().zip(&names) {
            let (val, size) =
                v.map_or((std::ptr::null(), -1), |v| (v.as_ptr() as *const c_void, v.len() as isize));
            vu(
                RD_KAFKA_VTYPE_HEADER,
                rd_kafka_vu_u { header: rd_kafka_vu_header { name: n.as_ptr(), val, size } },
            );
        }
        unsafe {
            let e = rd_kafka_produceva(self.rk, vus.as_ptr(), vus.len());
            if e.is_null() {
                0
            } else {
                let c = kafkars::capi::error::rd_kafka_error_code(e);
                kafkars::capi::error::rd_kafka_error_destroy(e);
                c
            }
        }
    }

    pub fn poll(&self, ms: i32) -> i32 {
        unsafe { rd_kafka_poll(self.rk, ms) }
    }

    pub fn flush(&self, ms: i32) -> i32 {
        unsafe { rd_kafka_flush(self.rk, ms) }
    }

    pub fn outq_len(&self) -> i32 {
        unsafe { rd_kafka_outq_len(self.rk) }
    }

    pub fn drs(&self) -> Vec<Dr> {
        self.drs.lock().unwrap().clone()
    }

    pub fn errors(&self) -> Vec<(i32, String)> {
        self.errors.lock().unwrap().clone()
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        unsafe { rd_kafka_destroy(self.rk) }
    }
}

pub fn err_name(code: i32) -> String {
    unsafe { CStr::from_ptr(kafkars::capi::error::rd_kafka_err2name(code)).to_string_lossy().into_owned() }
}

/// A message as genuine librdkafka reads it back (tests/oracle/read_topic.py).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadMsg {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub tstype: i64,
    pub timestamp: i64,
}

fn b64(v: &serde_json::Value) -> Option<Vec<u8>> {
    use base64_decode as d;
    v.as_str().map(d)
}

/// Minimal standard base64 decoder (the oracle prints bytes as base64).
pub fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

/// Reads `expect` messages of `topic` with genuine librdkafka.
pub fn oracle_read(bootstrap: &str, topic: &str, expect: usize) -> Vec<ReadMsg> {
    oracle_read_args(bootstrap, topic, expect, &[])
}

/// oracle_read with more read_topic.py arguments (e.g. `--config check.crcs=false`).
pub fn oracle_read_args(bootstrap: &str, topic: &str, expect: usize, extra: &[&str]) -> Vec<ReadMsg> {
    let py = std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/read_topic.py");
    let out = std::process::Command::new(py)
        .args([
            script,
            "--bootstrap",
            bootstrap,
            "--topic",
            topic,
            "--expect",
            &expect.to_string(),
            "--timeout",
            "30",
        ])
        .args(extra)
        .output()
        .expect("run read_topic.py");
    assert!(out.status.success(), "oracle read failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            ReadMsg {
                partition: v["partition"].as_i64().unwrap() as i32,
                offset: v["offset"].as_i64().unwrap(),
                key: b64(&v["key"]),
                value: b64(&v["value"]),
                headers: v["headers"]
                    .as_array()
                    .map(|a| a.iter().map(|h| (h[0].as_str().unwrap().to_string(), b64(&h[1]))).collect())
                    .unwrap_or_default(),
                tstype: v["timestamp"][0].as_i64().unwrap(),
                timestamp: v["timestamp"][1].as_i64().unwrap(),
            }
        })
        .collect()
}

/// Polls until `cond` holds or `secs` pass.
pub fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    cond()
}

/// A consumed message, copied out of librdkafka's struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Got {
    pub err: i32,
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub tstype: i32,
    pub timestamp: i64,
}

/// Copies a message and destroys it.
pub unsafe fn take_message(m: *mut rd_kafka_message_t) -> Got {
    use kafkars::capi::headers::*;
    use kafkars::capi::message::*;
    let r = &*m;
    let slice = |p: *mut c_void, n: usize| {
        if p.is_null() {
            None
        } else {
            Some(std::slice::from_raw_parts(p as *const u8, n).to_vec())
        }
    };
    let mut tstype = 0;
    let timestamp = rd_kafka_message_timestamp(m, &mut tstype);
    let mut headers = Vec::new();
    let mut hdrs: *mut rd_kafka_headers_t = std::ptr::null_mut();
    if rd_kafka_message_headers(m, &mut hdrs) == 0 {
        let mut i = 0;
        loop {
            let mut name: *const c_char = std::ptr::null();
            let mut val: *const c_void = std::ptr::null();
            let mut size = 0usize;
            if rd_kafka_header_get_all(hdrs, i, &mut name, &mut val, &mut size) != 0 {
                break;
            }
            headers.push((
                CStr::from_ptr(name).to_string_lossy().into_owned(),
                if val.is_null() {
                    None
                } else {
                    Some(std::slice::from_raw_parts(val as *const u8, size).to_vec())
                },
            ));
            i += 1;
        }
    }
    let got = Got {
        err: r.err,
        topic: if r.rkt.is_null() {
            String::new()
        } else {
            CStr::from_ptr(rd_kafka_topic_name(r.rkt)).to_string_lossy().into_owned()
        },
        partition: r.partition,
        offset: r.offset,
        key: slice(r.key, r.key_len),
        value: if r.err != 0 { None } else { slice(r.payload, r.len) },
        headers,
        tstype,
        timestamp,
    };
    rd_kafka_message_destroy(m);
    got
}

pub struct Consumer {
    pub rk: *mut rd_kafka_t,
}

impl Consumer {
    pub fn new(props: &[(&str, &str)]) -> Consumer {
        unsafe {
            let conf = rd_kafka_conf_new();
            for (k, v) in props {
                conf_set(conf, k, v).unwrap_or_else(|e| panic!("conf {k}={v}: {e}"));
            }
            let mut errstr = [0 as c_char; 512];
            let rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr.as_mut_ptr(), errstr.len());
            assert!(!rk.is_null(), "rd_kafka_new: {}", CStr::from_ptr(errstr.as_ptr()).to_string_lossy());
            Consumer { rk }
        }
    }

    pub fn assign(&self, parts: &[(&str, i32, i64)]) -> i32 {
        use kafkars::capi::tplist::*;
        unsafe {
            let l = rd_kafka_topic_partition_list_new(parts.len() as i32);
            for (t, p, o) in parts {
                let t = CString::new(*t).unwrap();
                let e = rd_kafka_topic_partition_list_add(l, t.as_ptr(), *p);
                (*e).offset = *o;
            }
            let r = kafkars::capi::consumer::rd_kafka_assign(self.rk, l);
            rd_kafka_topic_partition_list_destroy(l);
            r
        }
    }

    pub fn poll(&self, ms: i32) -> Option<Got> {
        let m = unsafe { kafkars::capi::consumer::rd_kafka_consumer_poll(self.rk, ms) };
        (!m.is_null()).then(|| unsafe { take_message(m) })
    }

    /// Polls until `n` messages (err == 0) arrived or `secs` passed; returns everything seen.
    pub fn poll_n(&self, n: usize, secs: u64) -> Vec<Got> {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        let mut out = Vec::new();
        while out.iter().filter(|g: &&Got| g.err == 0).count() < n && std::time::Instant::now() < end {
            if let Some(g) = self.poll(100) {
                out.push(g);
            }
        }
        out
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        unsafe {
            kafkars::capi::consumer::rd_kafka_consumer_close(self.rk);
            rd_kafka_destroy(self.rk);
        }
    }
}

/// Produces with genuine librdkafka (tests/oracle/produce_topic.py); returns its summary.
pub fn oracle_produce(bootstrap: &str, topic: &str, args: &[&str]) -> serde_json::Value {
    let py = std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/produce_topic.py");
    let out = std::process::Command::new(py)
        .args([script, "--bootstrap", bootstrap, "--topic", topic])
        .args(args)
        .output()
        .expect("run produce_topic.py");
    assert!(
        out.status.success(),
        "oracle produce failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or("{}"))
        .expect("summary json")
}

impl Consumer {
    pub fn subscribe(&self, topics: &[&str]) -> i32 {
        use kafkars::capi::tplist::*;
        unsafe {
            let l = rd_kafka_topic_partition_list_new(topics.len() as i32);
            for t in topics {
                let t = CString::new(*t).unwrap();
                rd_kafka_topic_partition_list_add(l, t.as_ptr(), -1);
            }
            let r = kafkars::capi::group::rd_kafka_subscribe(self.rk, l);
            rd_kafka_topic_partition_list_destroy(l);
            r
        }
    }

    pub fn commit_sync(&self) -> i32 {
        unsafe { kafkars::capi::group_commit::rd_kafka_commit(self.rk, std::ptr::null(), 0) }
    }

    /// The current assignment as (topic, partition) pairs.
    pub fn assignment(&self) -> Vec<(String, i32)> {
        use kafkars::capi::tplist::*;
        unsafe {
            let mut l = std::ptr::null_mut();
            assert_eq!(kafkars::capi::consumer::rd_kafka_assignment(self.rk, &mut l), 0);
            let v = (0..(*l).cnt as usize)
                .map(|i| {
                    let e = &*(*l).elems.add(i);
                    (CStr::from_ptr(e.topic).to_string_lossy().into_owned(), e.partition)
                })
                .collect();
            rd_kafka_topic_partition_list_destroy(l);
            v
        }
    }

    pub fn committed(&self, topic: &str, partitions: i32) -> Vec<i64> {
        use kafkars::capi::tplist::*;
        unsafe {
            let l = rd_kafka_topic_partition_list_new(partitions);
            let t = CString::new(topic).unwrap();
            for p in 0..partitions {
                rd_kafka_topic_partition_list_add(l, t.as_ptr(), p);
            }
            assert_eq!(kafkars::capi::group_commit::rd_kafka_committed(self.rk, l, 10_000), 0);
            let v = (0..partitions as usize).map(|i| (*(*l).elems.add(i)).offset).collect();
            rd_kafka_topic_partition_list_destroy(l);
            v
        }
    }
}

/// Fetch v4 (read_uncommitted) requests for one partition, by hand (the test's own
/// client, so the bytes are exactly what the broker sent), to whichever bootstrap
/// address leads it, from offset 0 to the high watermark (the mock answers one batch
/// per Fetch). Returns the record batches, concatenated.
pub fn raw_fetch(bootstrap: &str, topic: &str, partition: i32) -> bytes::Bytes {
    let addr = bootstrap
        .split(',')
        .find(|a| raw_fetch_once(a, topic, partition, 0).is_some())
        .unwrap_or_else(|| panic!("no leader for {topic} [{partition}]"));
    let mut all = bytes::BytesMut::new();
    let mut offset = 0;
    for _ in 0..100_000 {
        let (records, hw) = raw_fetch_once(addr, topic, partition, offset).expect("fetch from the leader");
        if offset >= hw {
            break;
        }
        let mut next = offset;
        for b in kafkars::protocol::records::RecordsReader::new(records.clone(), Default::default()) {
            next = b.expect("batch").info.last_offset + 1;
        }
        assert!(next > offset, "fetch at {offset} made no progress");
        all.extend_from_slice(&records);
        offset = next;
    }
    all.freeze()
}

/// One Fetch; None when `addr` does not lead the partition.
pub fn raw_fetch_once(addr: &str, topic: &str, partition: i32, offset: i64) -> Option<(bytes::Bytes, i64)> {
    use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
    use kafka_protocol::messages::{FetchRequest, FetchResponse, RequestHeader, ResponseHeader, TopicName};
    use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
    use std::io::{Read, Write};
    let mut req = FetchRequest::default();
    req.replica_id = kafka_protocol::messages::BrokerId(-1);
    req.max_wait_ms = 100;
    req.min_bytes = 1;
    req.max_bytes = 10 << 20;
    req.isolation_level = 0;
    let mut fp = FetchPartition::default();
    fp.partition = partition;
    fp.fetch_offset = offset;
    fp.partition_max_bytes = 10 << 20;
    let mut ft = FetchTopic::default();
    ft.topic = TopicName(StrBytes::from_string(topic.to_string()));
    ft.partitions.push(fp);
    req.topics.push(ft);
    let mut body = bytes::BytesMut::new();
    RequestHeader::default()
        .with_request_api_key(1)
        .with_request_api_version(4)
        .with_correlation_id(7)
        .with_client_id(Some(StrBytes::from_static_str("raw")))
        .encode(&mut body, 1)
        .unwrap();
    req.encode(&mut body, 4).unwrap();
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    s.write_all(&(body.len() as i32).to_be_bytes()).unwrap();
    s.write_all(&body).unwrap();
    let mut len = [0u8; 4];
    s.read_exact(&mut len).unwrap();
    let mut resp = vec![0u8; i32::from_be_bytes(len) as usize];
    s.read_exact(&mut resp).unwrap();
    let mut buf = bytes::Bytes::from(resp);
    let h = ResponseHeader::decode(&mut buf, 0).unwrap();
    assert_eq!(h.correlation_id, 7);
    let r = FetchResponse::decode(&mut buf, 4).unwrap();
    let pd = &r.responses[0].partitions[0];
    (pd.error_code == 0).then(|| (pd.records.clone().unwrap_or_default(), pd.high_watermark))
}

/// How a message's transaction ended, read from the log's own markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Committed,
    Aborted,
    /// Transactional, with no marker yet.
    Open,
    /// Not transactional.
    Plain,
}

#[derive(Clone, Debug)]
pub struct LogMsg {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub outcome: Outcome,
}

/// Every record of the partitions, with the outcome of its transaction: a transactional
/// batch belongs to its producer's open transaction until that producer's COMMIT or
/// ABORT marker. This is the read_committed rule applied offline to the whole log, so
/// it holds whether or not the broker sends aborted-transaction lists.
pub fn read_log(bootstrap: &str, topic: &str, partitions: i32) -> Vec<LogMsg> {
    use kafkars::protocol::records::{control_type, ControlType, DecodeOptions, RecordsReader};
    let mut out: Vec<LogMsg> = Vec::new();
    for part in 0..partitions {
        let records = raw_fetch(bootstrap, topic, part);
        let mut open: std::collections::HashMap<i64, Vec<usize>> = Default::default();
        for b in RecordsReader::new(records, DecodeOptions::default()) {
            let mut b = b.expect("batch");
            let info = b.info;
            if info.is_control {
                let rec = b.next().expect("control record").expect("decodes");
                let outcome = match control_type(rec.key.as_deref().unwrap_or_default()) {
                    Some(ControlType::Commit) => Outcome::Committed,
                    Some(ControlType::Abort) => Outcome::Aborted,
                    _ => continue,
                };
                for i in open.remove(&info.producer_id).unwrap_or_default() {
                    out[i].outcome = outcome;
                }
                continue;
            }
            for r in b {
                let r = r.expect("record");
                if info.is_transactional {
                    open.entry(info.producer_id).or_default().push(out.len());
                }
                out.push(LogMsg {
                    partition: part,
                    offset: r.offset,
                    key: r.key.map(|k| k.to_vec()),
                    value: r.value.map(|v| v.to_vec()),
                    producer_id: info.producer_id,
                    producer_epoch: info.producer_epoch,
                    outcome: if info.is_transactional { Outcome::Open } else { Outcome::Plain },
                });
            }
        }
    }
    out
}
