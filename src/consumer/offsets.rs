//! Offset lookups (ListOffsets): logical offsets (BEGINNING, END, TAIL(n), STORED),
//! auto.offset.reset, watermarks and offsets_for_times.

use super::position::{push_error, wake_leader};
use super::Consumer;
use crate::broker::{BrokerHandle, Request};
use crate::clock::now_us;
use crate::conf::OffsetReset;
use crate::cursor::{OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID, OFFSET_STORED, OFFSET_TAIL_BASE};
use crate::error::{ErrorCode, KafkaError};
use crate::metadata::Partition;
use bytes::Bytes;
use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
use kafka_protocol::messages::{ApiKey, BrokerId, ListOffsetsRequest, ListOffsetsResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One ListOffsets lookup result: (topic, partition) → (offset, timestamp, leader epoch)
/// or error. The leader epoch is -1 before ListOffsets v4.
pub type Lookup = ((String, i32), Result<(i64, i64, i32), ErrorCode>);

fn request(
    topic_parts: Vec<(String, i32, i64)>,
    read_committed: bool,
    done: impl FnOnce(Result<Vec<Lookup>, KafkaError>) + Send + 'static,
) -> Request {
    Request::schema(
        ApiKey::ListOffsets,
        1,
        5,
        move |_v| {
            let mut r = ListOffsetsRequest::default();
            r.replica_id = BrokerId(-1);
            r.isolation_level = read_committed as i8;
            for (t, p, ts) in topic_parts {
                let name = TopicName(StrBytes::from_string(t));
                let mut lp = ListOffsetsPartition::default();
                lp.partition_index = p;
                lp.timestamp = ts;
                lp.current_leader_epoch = -1;
                match r.topics.iter_mut().find(|x| x.name == name) {
                    Some(x) => x.partitions.push(lp),
                    None => {
                        let mut lt = ListOffsetsTopic::default();
                        lt.name = name;
                        lt.partitions.push(lp);
                        r.topics.push(lt);
                    }
                }
            }
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            let parsed = crate::protocol::decode_response::<ListOffsetsResponse>(res);
            done(parsed.map(|r| {
                r.topics
                    .iter()
                    .flat_map(|t| {
                        t.partitions.iter().map(move |p| {
                            let key = (t.name.0.to_string(), p.partition_index);
                            let v = if p.error_code != 0 {
                                Err(ErrorCode(p.error_code as i32))
                            } else {
                                Ok((p.offset, p.timestamp, p.leader_epoch))
                            };
                            (key, v)
                        })
                    })
                    .collect()
            }))
        },
    )
}

/// Resolves logical start offsets with ListOffsets on the partitions' leader.
pub fn resolve_logical(
    cons: &Arc<Consumer>,
    broker: &Arc<BrokerHandle>,
    parts: Vec<(Arc<Partition>, i64, u64)>,
) {
    let mut asks = Vec::new();
    let mut pending = Vec::new();
    for (p, logical, version) in parts {
        let target = match logical {
            OFFSET_STORED | OFFSET_INVALID => {
                // No committed offset is known here: auto.offset.reset decides.
                match reset_policy(p.as_ref()) {
                    OffsetReset::Earliest => OFFSET_BEGINNING,
                    OffsetReset::Latest => OFFSET_END,
                    OffsetReset::Error => {
                        p.cons().resolving = false;
                        p.cons().stopped_err = true;
                        push_error(
                            &cons.rk,
                            &p,
                            ErrorCode::_AUTO_OFFSET_RESET,
                            OFFSET_INVALID,
                            "no previously committed offset available: auto.offset.reset=error".into(),
                        );
                        continue;
                    }
                }
            }
            o => o,
        };
        let ts = if target == OFFSET_BEGINNING { -2 } else { -1 };
        asks.push((p.topic_name.to_string(), p.id, ts));
        pending.push((p, target, version));
    }
    if asks.is_empty() {
        return;
    }
    let weak = Arc::downgrade(cons);
    let read_committed = cons.rk.settings.isolation_read_committed;
    broker.send(request(asks, read_committed, move |res| {
        let Some(cons) = weak.upgrade() else { return };
        for (p, target, version) in pending {
            let found = res.as_ref().ok().and_then(|v| {
                v.iter().find(|((t, id), _)| t.as_str() == &*p.topic_name && *id == p.id).map(|(_, r)| *r)
            });
            let mut c = p.cons();
            if c.version != version {
                continue;
            }
            c.resolving = false;
            match found {
                Some(Ok((off, _, _))) => {
                    let off = if target <= OFFSET_TAIL_BASE {
                        (off - (OFFSET_TAIL_BASE - target)).max(0)
                    } else {
                        off
                    };
                    c.next_offset = off;
                    c.app_offset = off;
                    drop(c);
                    wake_leader(&cons.rk, &p);
                }
                _ => {
                    c.backoff_until_us = now_us() + cons.rk.settings.fetch_error_backoff_ms * 1000;
                    drop(c);
                    cons.rk.request_refresh();
                }
            }
        }
    }));
}

fn reset_policy(p: &Partition) -> OffsetReset {
    p.settings.auto_offset_reset
}

/// OFFSET_OUT_OF_RANGE (or no offset): apply auto.offset.reset.
pub fn reset(cons: &Arc<Consumer>, p: &Arc<Partition>, failed: i64, err: ErrorCode, reason: &str) {
    let policy = reset_policy(p);
    let mut c = p.cons();
    match policy {
        OffsetReset::Earliest | OffsetReset::Latest => {
            c.next_offset = if policy == OffsetReset::Earliest { OFFSET_BEGINNING } else { OFFSET_END };
            c.resolving = false;
            drop(c);
            cons.rk.log(
                6,
                "OFFSET",
                &format!(
                    "{} [{}]: offset reset (at offset {}) to {}: {}: {}",
                    p.topic_name,
                    p.id,
                    failed,
                    if policy == OffsetReset::Earliest { "BEGINNING" } else { "END" },
                    reason,
                    err.description()
                ),
            );
            wake_leader(&cons.rk, p);
        }
        OffsetReset::Error => {
            c.stopped_err = true;
            drop(c);
            push_error(
                &cons.rk,
                p,
                ErrorCode::_AUTO_OFFSET_RESET,
                failed,
                format!("{}: {} (broker offset reset policy is error)", reason, err.description()),
            );
        }
    }
}

/// Synchronous ListOffsets for (topic, partition, timestamp) triples, sent to each
/// partition's leader. Used by query_watermark_offsets and offsets_for_times.
pub fn lookup(
    cons: &Arc<Consumer>,
    asks: Vec<(String, i32, i64)>,
    timeout: Duration,
) -> Result<Vec<Lookup>, ErrorCode> {
    let deadline = Instant::now() + timeout;
    type Asks = Vec<(String, i32, i64)>;
    let mut by_leader: Vec<(Arc<BrokerHandle>, Asks)> = Vec::new();
    let mut out: Vec<Lookup> = Vec::new();
    for (t, p, ts) in asks {
        let leader = wait_leader(cons, &t, p, deadline);
        match leader {
            Ok(b) => match by_leader.iter_mut().find(|(x, _)| Arc::ptr_eq(x, &b)) {
                Some((_, v)) => v.push((t, p, ts)),
                None => by_leader.push((b, vec![(t, p, ts)])),
            },
            Err(e) => out.push(((t, p), Err(e))),
        }
    }
    let (tx, rx) = crossbeam_channel::unbounded();
    let n = by_leader.len();
    for (b, asks) in by_leader {
        let tx = tx.clone();
        let keys: Vec<(String, i32)> = asks.iter().map(|(t, p, _)| (t.clone(), *p)).collect();
        let left = deadline.saturating_duration_since(Instant::now());
        b.send(
            request(asks, cons.rk.settings.isolation_read_committed, move |r| {
                let _ = tx.send((keys, r));
            })
            .with_timeout(Some(left)),
        );
    }
    for _ in 0..n {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((keys, Ok(v))) => {
                for k in keys {
                    let r = v
                        .iter()
                        .find(|(kk, _)| *kk == k)
                        .map(|(_, r)| *r)
                        .unwrap_or(Err(ErrorCode::_BAD_MSG));
                    out.push((k, r));
                }
            }
            Ok((keys, Err(e))) => out.extend(keys.into_iter().map(|k| (k, Err(e.code)))),
            Err(_) => return Err(ErrorCode::_TIMED_OUT),
        }
    }
    Ok(out)
}

/// Waits (bounded) for a partition's leader to be known.
pub fn wait_leader(
    cons: &Arc<Consumer>,
    topic: &str,
    partition: i32,
    deadline: Instant,
) -> Result<Arc<BrokerHandle>, ErrorCode> {
    let t = cons.cache.hint(topic).map_err(|_| ErrorCode::_INVALID_ARG)?;
    loop {
        {
            let st = t.state();
            if st.notexists {
                return Err(ErrorCode::_UNKNOWN_TOPIC);
            }
            if st.known {
                let Some(p) = st.partitions.get(partition.max(0) as usize).filter(|_| partition >= 0) else {
                    return Err(ErrorCode::_UNKNOWN_PARTITION);
                };
                let id = p.leader_id.load(std::sync::atomic::Ordering::Acquire);
                if id >= 0 {
                    if let Some(b) = cons.brokers.by_id(id) {
                        return Ok(b);
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(if t.state().known {
                ErrorCode::LEADER_NOT_AVAILABLE
            } else {
                ErrorCode::_TIMED_OUT
            });
        }
        cons.rk.request_refresh();
        std::thread::sleep(Duration::from_millis(5));
    }
}
