//! rd_kafka_metadata(): a synchronous Metadata request, returned as librdkafka's structs.

use super::boundary::{obj, opt_obj};
use super::handle::Handle;
use super::types::*;
use super::util::to_cstring;
use crate::client::metadata as md;
use crate::error::{ErrorCode, KafkaError};
use crate::metadata::Topic;
use kafka_protocol::messages::MetadataResponse;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int};
use std::ffi::CString;
use std::time::Duration;

/// Owns everything an `rd_kafka_metadata_t` points into; the C struct is the first field
/// so the pointer handed out is also the pointer to free.
/// A public struct C reads, so no type tag: rd_kafka_metadata_destroy() is its one
/// converter.
#[repr(C)]
struct MetadataHolder {
    md: rd_kafka_metadata_t,
    brokers: Vec<rd_kafka_metadata_broker_t>,
    topics: Vec<rd_kafka_metadata_topic_t>,
    partitions: Vec<Vec<rd_kafka_metadata_partition_t>>,
    ids: Vec<Vec<i32>>,
    strings: Vec<CString>,
}

fn build(resp: &MetadataResponse, orig_id: i32, orig_name: &str) -> Box<MetadataHolder> {
    let mut h = Box::new(MetadataHolder {
        md: rd_kafka_metadata_t {
            broker_cnt: 0,
            brokers: std::ptr::null_mut(),
            topic_cnt: 0,
            topics: std::ptr::null_mut(),
            orig_broker_id: orig_id,
            orig_broker_name: std::ptr::null_mut(),
        },
        brokers: Vec::new(),
        topics: Vec::new(),
        partitions: Vec::new(),
        ids: Vec::new(),
        strings: Vec::new(),
    });
    let keep = |s: &str, strings: &mut Vec<CString>| -> *mut c_char {
        strings.push(to_cstring(s));
        strings.last().map_or(std::ptr::null_mut(), |c| c.as_ptr() as *mut c_char)
    };
    let on = keep(orig_name, &mut h.strings);
    h.md.orig_broker_name = on;
    for b in &resp.brokers {
        let host = keep(b.host.as_str(), &mut h.strings);
        h.brokers.push(rd_kafka_metadata_broker_t { id: b.node_id.0, host, port: b.port });
    }
    for t in &resp.topics {
        let name = keep(t.name.as_ref().map_or("", |n| n.0.as_str()), &mut h.strings);
        let mut parts = Vec::with_capacity(t.partitions.len());
        for p in &t.partitions {
            let mut replicas: Vec<i32> = p.replica_nodes.iter().map(|r| r.0).collect();
            let mut isrs: Vec<i32> = p.isr_nodes.iter().map(|r| r.0).collect();
            let rp = replicas.as_mut_ptr();
            let ip = isrs.as_mut_ptr();
            parts.push(rd_kafka_metadata_partition_t {
                id: p.partition_index,
                err: p.error_code as i32,
                leader: p.leader_id.0,
                replica_cnt: replicas.len() as c_int,
                replicas: rp,
                isr_cnt: isrs.len() as c_int,
                isrs: ip,
            });
            h.ids.push(replicas);
            h.ids.push(isrs);
        }
        let pp = parts.as_mut_ptr();
        h.topics.push(rd_kafka_metadata_topic_t {
            topic: name,
            partition_cnt: parts.len() as c_int,
            partitions: pp,
            err: t.error_code as i32,
        });
        h.partitions.push(parts);
    }
    h.md.broker_cnt = h.brokers.len() as c_int;
    h.md.brokers = h.brokers.as_mut_ptr();
    h.md.topic_cnt = h.topics.len() as c_int;
    h.md.topics = h.topics.as_mut_ptr();
    h
}

/// Requests metadata: all topics (`all_topics`), one topic (`only_rkt`), or the topics
/// this handle knows. On success `*metadatap` must be freed with rd_kafka_metadata_destroy().
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_metadata(
    rk: *mut rd_kafka_t,
    all_topics: c_int,
    only_rkt: *mut rd_kafka_topic_t,
    metadatap: *mut *const rd_kafka_metadata_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(metadatap, ErrorCode::_INVALID_ARG.0);
    let client = &h.client;
    let Ok(only) = opt_obj::<Topic>(only_rkt) else { return ErrorCode::_INVALID_ARG.0 };
    let topics: Option<Vec<String>> = if let Some(t) = only {
        Some(vec![t.name.clone()])
    } else if all_topics != 0 {
        None
    } else {
        Some(client.cache.known_topics().iter().map(|t| t.name.clone()).collect())
    };
    let allow = !only_rkt.is_null() && client.rk.settings.allow_auto_create;
    let timeout = crate::capi::util::wait_of(timeout_ms);
    let deadline = std::time::Instant::now() + timeout;
    // Retry on other brokers until the deadline, as a down broker fails fast.
    loop {
        let (tx, rx) = crossbeam_channel::bounded::<Result<(MetadataResponse, i32, String), KafkaError>>(1);
        let Some(b) = client.brokers.any() else { return ErrorCode::_TRANSPORT.0 };
        let (bid, bname) = (b.id, b.name.clone());
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        md::send_to(
            &b,
            topics.clone(),
            allow,
            Some(left),
            Box::new(move |r| {
                let _ = tx.send(r.map(|m| (m, bid, bname)));
            }),
        );
        let res = rx.recv_timeout(
            deadline.saturating_duration_since(std::time::Instant::now()) + Duration::from_millis(5),
        );
        match res {
            Ok(Ok((resp, id, name))) => {
                md::apply(client, &resp, topics.is_none());
                // A bootstrap connection answered: report the node id it turned out to be.
                // librdkafka turns a bootstrap broker into the learned broker at its
                // address, so the name reads "host:port/<id>" too.
                let (id, name) = match resp
                    .brokers
                    .iter()
                    .find(|nb| id < 0 && nb.host.as_str() == b.host && nb.port as u16 == b.port)
                {
                    Some(nb) => (nb.node_id.0, format!("{}:{}/{}", b.host, b.port, nb.node_id.0)),
                    None => (id, name),
                };
                let holder = build(&resp, id, &name);
                *metadatap = Box::into_raw(holder) as *const rd_kafka_metadata_t;
                return 0;
            }
            Ok(Err(e)) if std::time::Instant::now() < deadline && e.code != ErrorCode::_DESTROY => {
                std::thread::sleep(
                    Duration::from_millis(10)
                        .min(deadline.saturating_duration_since(std::time::Instant::now())),
                );
            }
            Ok(Err(e)) if e.code == ErrorCode::_DESTROY => return e.code.0,
            _ => return timed_out(client),
        }
    }
}

/// The answer when no metadata came in time: as librdkafka, _TRANSPORT when no broker
/// could be used at all, else _TIMED_OUT.
fn timed_out(client: &crate::client::Client) -> rd_kafka_resp_err_t {
    if client.brokers.all().iter().any(|b| b.is_up()) {
        ErrorCode::_TIMED_OUT.0
    } else {
        ErrorCode::_TRANSPORT.0
    }
}

/// Frees metadata returned by rd_kafka_metadata().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_metadata_destroy(metadata: *const rd_kafka_metadata_t) {
    non_null!(metadata);
    drop(Box::from_raw(metadata as *mut MetadataHolder))
}
