//! kafkars extensions on transactions, as kafka-python's KafkaAdminClient has them:
//! ListTransactions (every broker), DescribeTransactions (each id's coordinator),
//! DescribeProducers (each partition's leader) and AbortTransaction (an abort marker
//! written at the partition's leader).

use super::coordinator::node_of;
use super::records::{by_leader, leaders};
use super::{by_topic, missing};
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::partitions::TopicPartition;
use crate::admin::result::{
    PartitionProducers, PartitionResult, ProducerState, TransactionDescription, TransactionListing,
    TransactionListings,
};
use crate::admin::txn::{AbortSpec, TxnState};
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::describe_producers_request::TopicRequest;
use kafka_protocol::messages::write_txn_markers_request::{WritableTxnMarker, WritableTxnMarkerTopic};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeMap;

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

/// The brokers to fan out to: the options' one, else every broker of the cluster.
pub(super) fn every_broker(ctx: &Ctx) -> Result<Vec<i32>, KafkaError> {
    match ctx.opts.broker() {
        Some(id) => Ok(vec![id]),
        None => Ok(ctx.metadata(Some(Vec::new()), false)?.brokers.iter().map(|b| b.node_id.0).collect()),
    }
}

/// The transactions every broker coordinates (or the options' broker), filtered as the
/// options say; a broker that cannot answer is one error of the result.
pub fn list_transactions(ctx: &Ctx, _: ()) -> Result<TransactionListings, KafkaError> {
    let f = ctx.opts.txn_filter().clone();
    // The duration filter came with v1 (Kafka 3.8), the id pattern with v2 (KIP-1152).
    let min = if f.id_pattern.is_some() {
        2
    } else if f.min_duration_ms >= 0 {
        1
    } else {
        0
    };
    let mut out = TransactionListings::default();
    for id in every_broker(ctx)? {
        let f = f.clone();
        let res: Result<(i16, ListTransactionsResponse), KafkaError> = ctx.broker(id).and_then(|b| {
            ctx.call(&b, ApiKey::ListTransactions, min, 2, move |_| {
                let mut r = ListTransactionsRequest::default();
                r.state_filters = f.states.iter().map(|x| s(x.name())).collect();
                r.producer_id_filters = f.producer_ids.iter().map(|&p| ProducerId(p)).collect();
                r.duration_filter = f.min_duration_ms;
                r.transactional_id_pattern = f.id_pattern.as_deref().map(s);
                r
            })
        });
        match res {
            Ok((_, r)) => {
                if r.error_code != 0 {
                    let code = ErrorCode(r.error_code as i32);
                    let text = format!("Broker [{id}] ListTransactions: {}", code.description());
                    out.errors.push(KafkaError::new(code, text));
                }
                out.valid.extend(r.transaction_states.iter().map(|t| TransactionListing {
                    transactional_id: t.transactional_id.0.to_string(),
                    producer_id: t.producer_id.0,
                    state: TxnState::from_wire(&t.transaction_state),
                    broker_id: id,
                }));
            }
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            // A filter the broker is too old for says which.
            Err(e) if e.code == ErrorCode::_UNSUPPORTED_FEATURE && min > 0 => {
                let what = if min == 2 {
                    "a transactional id pattern needs ListTransactions v2 (KIP-1152, Kafka 4.1)"
                } else {
                    "a duration filter needs ListTransactions v1 (Kafka 3.8)"
                };
                out.errors.push(KafkaError::new(e.code, format!("Broker [{id}] ListTransactions: {what}")));
            }
            Err(e) => out.errors.push(e),
        }
    }
    Ok(out)
}

fn undescribed(id: &str, err: KafkaError) -> TransactionDescription {
    TransactionDescription {
        transactional_id: id.to_string(),
        err: Some(err),
        coordinator: None,
        state: TxnState::Unknown,
        producer_id: -1,
        producer_epoch: -1,
        timeout_ms: -1,
        start_time_ms: -1,
        partitions: Vec::new(),
    }
}

/// Each transactional id's state, from its coordinator (one request per coordinator);
/// in request order, an id that could not be described with its error.
pub fn describe_transactions(ctx: &Ctx, ids: Vec<String>) -> Result<Vec<TransactionDescription>, KafkaError> {
    let mut out: Vec<Option<TransactionDescription>> = ids.iter().map(|_| None).collect();
    let mut by_coord: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        match ctx.txn_coordinator(id) {
            Ok(b) => by_coord.entry(b.id).or_default().push(i),
            Err(e) if e.code == ErrorCode::_DESTROY || e.code == ErrorCode::_TIMED_OUT => return Err(e),
            Err(e) => out[i] = Some(undescribed(id, e)),
        }
    }
    for (coord, idx) in by_coord {
        let b = ctx.broker(coord)?;
        let node = node_of(&b);
        let asked: Vec<String> = idx.iter().map(|&i| ids[i].clone()).collect();
        let res: Result<(i16, DescribeTransactionsResponse), _> =
            ctx.call(&b, ApiKey::DescribeTransactions, 0, 0, move |_| {
                let mut r = DescribeTransactionsRequest::default();
                r.transactional_ids = asked.iter().map(|t| TransactionalId(s(t))).collect();
                r
            });
        let r = match res {
            Ok((_, r)) => r,
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                for &i in &idx {
                    out[i] = Some(undescribed(&ids[i], e.clone()));
                }
                continue;
            }
        };
        for &i in &idx {
            let Some(t) = r.transaction_states.iter().find(|t| t.transactional_id.0.as_str() == ids[i])
            else {
                out[i] = Some(undescribed(&ids[i], missing("transactional id").unwrap()));
                continue;
            };
            let parts = t
                .topics
                .iter()
                .flat_map(|tp| {
                    tp.partitions.iter().map(move |&p| PartitionResult::new(&tp.topic.0, p, -1001))
                })
                .collect();
            out[i] = Some(TransactionDescription {
                transactional_id: ids[i].clone(),
                err: broker_error(t.error_code, None),
                coordinator: Some(node.clone()),
                state: TxnState::from_wire(&t.transaction_state),
                producer_id: t.producer_id.0,
                producer_epoch: t.producer_epoch,
                timeout_ms: t.transaction_timeout_ms,
                start_time_ms: t.transaction_start_time_ms,
                partitions: parts,
            });
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// The active producers of each partition, from its leader (the options' broker: that
/// replica); in request order.
pub fn describe_producers(
    ctx: &Ctx,
    parts: Vec<TopicPartition>,
) -> Result<Vec<PartitionProducers>, KafkaError> {
    let mut out: Vec<PartitionProducers> = parts
        .iter()
        .map(|p| PartitionProducers {
            topic: p.topic.clone(),
            partition: p.partition,
            err: missing("partition"),
            producers: Vec::new(),
        })
        .collect();
    let places = match ctx.opts.broker() {
        Some(id) => BTreeMap::from([(id, (0..parts.len()).collect())]),
        None => {
            let l = leaders(ctx, &parts)?;
            for (o, l) in out.iter_mut().zip(&l) {
                if let Err(e) = l {
                    o.err = Some(e.clone());
                }
            }
            by_leader(ctx, &l)
        }
    };
    for (broker, idx) in places {
        let req: Vec<(String, Vec<i32>)> = by_topic(idx.iter().copied(), |&i| parts[i].topic.as_str())
            .into_iter()
            .map(|(t, is)| (t, is.iter().map(|&i| parts[i].partition).collect()))
            .collect();
        let res = ctx.broker(broker).and_then(|b| {
            ctx.call(&b, ApiKey::DescribeProducers, 0, 0, move |_| {
                let mut r = DescribeProducersRequest::default();
                r.topics = req
                    .iter()
                    .map(|(t, ps)| {
                        let mut x = TopicRequest::default();
                        x.name = TopicName(s(t));
                        x.partition_indexes = ps.clone();
                        x
                    })
                    .collect();
                r
            })
        });
        let r: DescribeProducersResponse = match res {
            Ok((_, r)) => r,
            Err(e) if e.code == ErrorCode::_DESTROY => return Err(e),
            Err(e) => {
                for &i in &idx {
                    out[i].err = Some(e.clone());
                }
                continue;
            }
        };
        for &i in &idx {
            let hit = r
                .topics
                .iter()
                .filter(|t| t.name.0.as_str() == parts[i].topic)
                .flat_map(|t| t.partitions.iter())
                .find(|p| p.partition_index == parts[i].partition);
            let Some(p) = hit else { continue };
            out[i].err = broker_error(p.error_code, p.error_message.as_ref());
            out[i].producers = p
                .active_producers
                .iter()
                .map(|a| ProducerState {
                    producer_id: a.producer_id.0,
                    producer_epoch: a.producer_epoch,
                    last_sequence: a.last_sequence,
                    last_timestamp: a.last_timestamp,
                    coordinator_epoch: a.coordinator_epoch,
                    txn_start_offset: a.current_txn_start_offset,
                })
                .collect();
        }
    }
    Ok(out)
}

/// Aborts a hanging transaction on one partition: an abort marker written by the
/// partition's leader (the broker checks CLUSTER_ACTION). The partition's error is the
/// result's.
pub fn abort_transaction(ctx: &Ctx, spec: AbortSpec) -> Result<(), KafkaError> {
    let part = TopicPartition {
        topic: spec.topic.clone(),
        partition: spec.partition,
        offset: -1001,
        metadata: None,
        leader_epoch: -1,
    };
    let leader = match ctx.opts.broker() {
        Some(id) => id,
        None => leaders(ctx, std::slice::from_ref(&part))?.remove(0)?.0,
    };
    let b = ctx.broker(leader)?;
    let sp = spec.clone();
    let (_, r): (i16, WriteTxnMarkersResponse) = ctx.call(&b, ApiKey::WriteTxnMarkers, 1, 1, move |_| {
        let mut t = WritableTxnMarkerTopic::default();
        t.name = TopicName(s(&sp.topic));
        t.partition_indexes = vec![sp.partition];
        let mut m = WritableTxnMarker::default();
        m.producer_id = ProducerId(sp.producer_id);
        m.producer_epoch = sp.producer_epoch;
        m.transaction_result = false;
        m.coordinator_epoch = sp.coordinator_epoch;
        m.topics = vec![t];
        let mut r = WriteTxnMarkersRequest::default();
        r.markers = vec![m];
        r
    })?;
    let hit = r
        .markers
        .iter()
        .filter(|m| m.producer_id.0 == spec.producer_id)
        .flat_map(|m| m.topics.iter())
        .filter(|t| t.name.0.as_str() == spec.topic)
        .flat_map(|t| t.partitions.iter())
        .find(|p| p.partition_index == spec.partition);
    match hit {
        Some(p) => broker_error(p.error_code, None).map_or(Ok(()), Err),
        None => Err(missing("partition").unwrap()),
    }
}
