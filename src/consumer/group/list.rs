//! rd_kafka_list_groups(): ListGroups on every broker, then DescribeGroups on the
//! broker that listed each group.

use crate::broker::{BrokerHandle, Request};
use crate::consumer::Consumer;
use crate::error::{ErrorCode, KafkaError};
use bytes::Bytes;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A group as rd_kafka_list_groups() reports it.
pub struct ListedGroupInfo {
    pub broker_id: i32,
    pub broker_host: String,
    pub broker_port: i32,
    pub group: String,
    pub err: ErrorCode,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub members: Vec<ListedMember>,
}

pub struct ListedMember {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    pub metadata: Vec<u8>,
    pub assignment: Vec<u8>,
}

/// ListGroups on every broker, then DescribeGroups on the broker that listed each group.
pub fn list_groups(
    cons: &Arc<Consumer>,
    only: Option<String>,
    timeout: Duration,
) -> Result<Vec<ListedGroupInfo>, ErrorCode> {
    let deadline = Instant::now() + timeout;
    // Learned brokers only: wait (bounded) for the first metadata.
    while !cons.cache.cluster.read().map(|c| c.brokers_known).unwrap_or(false) {
        if Instant::now() >= deadline {
            return Err(ErrorCode::_TIMED_OUT);
        }
        cons.rk.request_refresh();
        std::thread::sleep(Duration::from_millis(10));
    }
    let brokers: Vec<Arc<BrokerHandle>> = cons.brokers.all().into_iter().filter(|b| b.id >= 0).collect();
    let (tx, rx) = crossbeam_channel::unbounded();
    for b in &brokers {
        let tx = tx.clone();
        let (bid, only) = (b.id, only.clone());
        let b2 = b.clone();
        b.send(Request::schema(
            ApiKey::ListGroups,
            0,
            3,
            |_v| ListGroupsRequest::default(),
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = crate::protocol::decode_response::<ListGroupsResponse>(res);
                match parsed {
                    Ok(r) if r.error_code == 0 => {
                        let names: Vec<String> = r
                            .groups
                            .iter()
                            .map(|g| g.group_id.0.to_string())
                            .filter(|g| only.as_ref().is_none_or(|o| o == g))
                            .collect();
                        if names.is_empty() {
                            let _ = tx.send((bid, Ok(Vec::new())));
                            return;
                        }
                        let tx2 = tx.clone();
                        b2.send(Request::schema(
                            ApiKey::DescribeGroups,
                            0,
                            4,
                            move |_v| {
                                let mut d = DescribeGroupsRequest::default();
                                d.groups =
                                    names.into_iter().map(|n| GroupId(StrBytes::from_string(n))).collect();
                                d
                            },
                            move |res: Result<(i16, Bytes), KafkaError>| {
                                let parsed = crate::protocol::decode_response::<DescribeGroupsResponse>(res);
                                let _ = tx2.send((bid, parsed.map(|d| d.groups).map_err(|e| e.code)));
                            },
                        ));
                    }
                    Ok(r) => {
                        let _ = tx.send((bid, Err(ErrorCode(r.error_code as i32))));
                    }
                    Err(e) => {
                        let _ = tx.send((bid, Err(e.code)));
                    }
                }
            },
        ));
    }
    let mut out = Vec::new();
    let mut first_err = None;
    for _ in 0..brokers.len() {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((bid, Ok(groups))) => {
                let b = brokers.iter().find(|b| b.id == bid);
                for g in groups {
                    out.push(ListedGroupInfo {
                        broker_id: bid,
                        broker_host: b.map_or(String::new(), |b| b.host.clone()),
                        broker_port: b.map_or(0, |b| b.port as i32),
                        group: g.group_id.0.to_string(),
                        err: ErrorCode(g.error_code as i32),
                        state: g.group_state.to_string(),
                        protocol_type: g.protocol_type.to_string(),
                        protocol: g.protocol_data.to_string(),
                        members: g
                            .members
                            .iter()
                            .map(|m| ListedMember {
                                member_id: m.member_id.to_string(),
                                client_id: m.client_id.to_string(),
                                client_host: m.client_host.to_string(),
                                metadata: m.member_metadata.to_vec(),
                                assignment: m.member_assignment.to_vec(),
                            })
                            .collect(),
                    });
                }
            }
            Ok((_, Err(e))) => {
                first_err.get_or_insert(e);
            }
            Err(_) => return Err(ErrorCode::_TIMED_OUT),
        }
    }
    match (out.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}
