//! The cases of tests/admin_ext_wire.rs for the group and transaction extensions
//! (RemoveGroupMembers, List/DescribeTransactions, DescribeProducers, AbortTransaction);
//! the cluster ones are in ext_cases2.rs.

use super::ext_cases2::{errs_and, refused, same_sorted};
use super::*;
use kafka_protocol::messages::describe_producers_response::{
    PartitionResponse, ProducerState, TopicResponse,
};
use kafka_protocol::messages::describe_transactions_response as dt;
use kafka_protocol::messages::leave_group_response::MemberResponse;
use kafka_protocol::messages::list_transactions_response as lt;
use kafka_protocol::messages::write_txn_markers_response::{
    WritableTxnMarkerPartitionResult, WritableTxnMarkerResult, WritableTxnMarkerTopicResult,
};
use server::TopicSpec;

// Error codes used below.
const NOT_LEADER_OR_FOLLOWER: i16 = 6;
const COORDINATOR_LOAD_IN_PROGRESS: i16 = 14;
const UNKNOWN_MEMBER_ID: i16 = 25;
const INVALID_PRODUCER_EPOCH: i16 = 47;
const GROUP_ID_NOT_FOUND: i16 = 69;
const FENCED_INSTANCE_ID: i16 = 82;
const TRANSACTIONAL_ID_NOT_FOUND: i16 = 105;

// ---- RemoveGroupMembers ----

/// FindCoordinator advertised at v0-2 only: kafkars looks coordinators up as librdkafka
/// does (FindCoordinator v2, one key per request), kafka-python batches the keys at v4+
/// where it can; so that both send the same lookups, the coordinator cases offer v0-2.
fn fc_v2(cases: Vec<Ext>) -> Vec<Ext> {
    cases.into_iter().map(|e| e.with(|c| c.api_versions(ApiKey::FindCoordinator, Some((0, 2))))).collect()
}

/// Answers a LeaveGroup v3+ request with each member it names (member_id and
/// group_instance_id as sent) and the code `code(member_id, group_instance_id)` gives.
fn left(code: fn(&str, Option<&str>) -> i16) -> impl Fn(&Captured, usize) -> Reply + Send + Sync {
    move |c: &Captured, _| {
        let Body::LeaveGroup(req) = &c.body else { return Reply::Close };
        let mut r = LeaveGroupResponse::default();
        if c.version < 3 {
            r.error_code = code(&req.member_id, None);
            return server::reply(r);
        }
        r.members = req
            .members
            .iter()
            .map(|m| {
                let mut x = MemberResponse::default();
                x.member_id = m.member_id.clone();
                x.group_instance_id = m.group_instance_id.clone();
                x.error_code = code(&m.member_id, m.group_instance_id.as_deref());
                x
            })
            .collect();
        server::reply(r)
    }
}

#[test]
fn remove_group_members() {
    let lg = ApiKey::LeaveGroup;
    let three = [
        "remove_group_members",
        "billing",
        "consumer-1-7f3a",
        "-:instance-2:scaling down",
        "consumer-3-9c1e:instance-3",
    ];
    check_all(fc_v2(vec![
        Ext::new("remove members: ids, instance ids, a reason (v5)", lg, &three).respond(left(|_, _| 0)),
        Ext::new("remove members: per-member errors", lg, &three).respond(left(|m, i| match (m, i) {
            ("consumer-1-7f3a", _) => UNKNOWN_MEMBER_ID,
            (_, Some("instance-2")) => FENCED_INSTANCE_ID,
            _ => 0,
        })),
        Ext::new("remove members: v3 (no reasons)", lg, &three)
            .with(|c| c.api_versions(lg, Some((0, 3))))
            .respond(left(|_, _| 0)),
        // kafka-python raises the top-level error; kafkars puts it on the event.
        Ext::new("remove members: top-level error", lg, &three).respond(|_, _| {
            let mut r = LeaveGroupResponse::default();
            r.error_code = GROUP_ID_NOT_FOUND;
            server::reply(r)
        }),
        Ext::new(
            "remove members: coordinator is node 2",
            lg,
            &["remove_group_members", "billing", "consumer-1-7f3a"],
        )
        .brokers(&[2])
        .with(|mut c| {
            c.meta.coordinators = vec![("billing".into(), 2)];
            c
        })
        .respond(left(|_, _| 0))
        .requests(|a, b| {
            if a.len() == 1 && b.len() == 1 && a[0].node == 2 && b[0].node == 2 && a[0].body == b[0].body {
                Vec::new()
            } else {
                vec!["both should send the same request to node 2 once".into()]
            }
        }),
        // Brokers before LeaveGroup v3: kafka-python sends one v0-2 request per member;
        // kafkars needs the batched form.
        Ext::new(
            "remove members: v2 broker",
            lg,
            &["remove_group_members", "billing", "consumer-1-7f3a", "consumer-3-9c1e"],
        )
        .with(|c| c.api_versions(lg, Some((0, 2))))
        .respond(left(|_, _| 0))
        .differs("kafka-python falls back to one LeaveGroup v0-2 per member; kafkars needs v3")
        .requests(|a, b| {
            let mut problems = Vec::new();
            if a.len() != 2 || a.iter().any(|c| c.version != 2) {
                problems.push(format!("kafka-python should send two v2 requests: {a:#?}"));
            }
            if !b.is_empty() {
                problems.push(format!("kafkars sent {} request(s)", b.len()));
            }
            problems
        })
        .output(refused("NO_ERROR", "_UNSUPPORTED_FEATURE")),
    ]));
}

// ---- ListTransactions ----

fn listed(err: i16, txns: &[(&str, i64, &str)]) -> ListTransactionsResponse {
    let mut r = ListTransactionsResponse::default();
    r.error_code = err;
    r.transaction_states = txns
        .iter()
        .map(|&(id, pid, state)| {
            let mut x = lt::TransactionState::default();
            x.transactional_id = TransactionalId(s(id));
            x.producer_id = ProducerId(pid);
            x.transaction_state = s(state);
            x
        })
        .collect();
    r
}

/// Each broker's transactions (node 3 has none).
fn txns_by_node(c: &Captured, _: usize) -> Reply {
    server::reply(match c.node {
        1 => listed(0, &[("payments-1", 4001, "Ongoing"), ("payments-2", 4002, "PrepareCommit")]),
        2 => listed(
            0,
            &[
                ("orders-7", 5007, "CompleteAbort"),
                ("orders-8", 5008, "Empty"),
                ("fenced-1", 6001, "PrepareEpochFence"),
            ],
        ),
        _ => listed(0, &[]),
    })
}

#[test]
fn list_transactions() {
    let lt = ApiKey::ListTransactions;
    let op = ["list_transactions"];
    let sorted = |c: Case| {
        let mut c = c;
        c.opts.push("-s".into());
        c
    };
    check_all(vec![
        Ext::new("list transactions: every broker", lt, &op)
            .with(sorted)
            .brokers(&[2, 3])
            .respond(txns_by_node),
        Ext::new("list transactions: -o broker=2", lt, &op)
            .with(sorted)
            .opt("broker=2")
            .brokers(&[2, 3])
            .respond(txns_by_node),
        Ext::new("list transactions: every filter (v2)", lt, &op)
            .with(sorted)
            .opt("match_transaction_states=Ongoing,PrepareAbort")
            .opt("match_producer_ids=4001,4002")
            .opt("min_transaction_duration=60000")
            .opt("transactional_id_pattern=^pay.*")
            .respond(txns_by_node),
        Ext::new("list transactions: v0", lt, &op)
            .with(|c| sorted(c).api_versions(lt, Some((0, 0))))
            .opt("match_transaction_states=Ongoing")
            .respond(txns_by_node),
        // The duration filter needs v1, the pattern v2: neither sends. kafka-python
        // raises; kafkars reports the broker's _UNSUPPORTED_FEATURE among the errors.
        Ext::new("list transactions: duration filter on a v0 broker", lt, &op)
            .with(|c| c.api_versions(lt, Some((0, 0))))
            .opt("min_transaction_duration=60000")
            .no_request()
            .differs("kafka-python raises before sending; kafkars reports it as the broker's error")
            .output(errs_and(
                "_UNSUPPORTED_FEATURE",
                "NO_ERROR",
                &["  transactions: 0", "  errors: 1", "    error=_UNSUPPORTED_FEATURE"],
            )),
        Ext::new("list transactions: pattern on a v1 broker", lt, &op)
            .with(|c| c.api_versions(lt, Some((0, 1))))
            .opt("transactional_id_pattern=^pay.*")
            .no_request()
            .differs("kafka-python raises before sending; kafkars reports it as the broker's error")
            .output(errs_and(
                "_UNSUPPORTED_FEATURE",
                "NO_ERROR",
                &["  transactions: 0", "  errors: 1", "    error=_UNSUPPORTED_FEATURE"],
            )),
        // One broker's error: kafka-python raises; kafkars lists it beside the others'.
        Ext::new("list transactions: one broker's error", lt, &op)
            .with(sorted)
            .brokers(&[2])
            .respond(|c, n| {
                if c.node == 2 {
                    server::reply(listed(COORDINATOR_LOAD_IN_PROGRESS, &[]))
                } else {
                    txns_by_node(c, n)
                }
            })
            .differs("kafka-python raises on any broker's error; kafkars reports it per broker")
            .output(errs_and(
                "COORDINATOR_LOAD_IN_PROGRESS",
                "NO_ERROR",
                &[
                    "    transaction id=payments-1 producer_id=4001 state=Ongoing(2) broker_id=1",
                    "  errors: 1",
                    "    error=COORDINATOR_LOAD_IN_PROGRESS",
                ],
            )),
        // A state kafka-python does not know: it raises ValueError.
        Ext::new("list transactions: an unknown state", lt, &op)
            .answer(listed(0, &[("payments-1", 4001, "Ongoing"), ("odd-1", 7001, "Hibernating")]))
            .differs("kafka-python cannot make a TransactionState of an unknown string and raises ValueError")
            .output(errs_and(
                "_KAFKA_PYTHON_ValueError",
                "NO_ERROR",
                &["    transaction id=odd-1 producer_id=7001 state=Unknown(0) broker_id=1"],
            )),
    ]);
}

// ---- DescribeTransactions ----

/// Answers a DescribeTransactions request with each id it names: payments-* ongoing
/// over two partitions, orders-* empty, ghost-* TRANSACTIONAL_ID_NOT_FOUND.
fn txn_states(c: &Captured, _: usize) -> Reply {
    let Body::DescribeTransactions(req) = &c.body else { return Reply::Close };
    let mut r = DescribeTransactionsResponse::default();
    r.transaction_states = req
        .transactional_ids
        .iter()
        .map(|id| {
            let mut x = dt::TransactionState::default();
            x.transactional_id = id.clone();
            if id.0.starts_with("ghost") {
                x.error_code = TRANSACTIONAL_ID_NOT_FOUND;
                x.transaction_state = s("");
                x.producer_id = ProducerId(-1);
                x.producer_epoch = -1;
                x.transaction_start_time_ms = -1;
                return x;
            }
            let ongoing = id.0.starts_with("payments");
            x.transaction_state = s(if ongoing { "Ongoing" } else { "Empty" });
            x.transaction_timeout_ms = 60_000;
            x.transaction_start_time_ms = if ongoing { 1_700_000_123_456 } else { -1 };
            x.producer_id = ProducerId(if ongoing { 4001 } else { 5007 });
            x.producer_epoch = if ongoing { 7 } else { 0 };
            if ongoing {
                let mut a = dt::TopicData::default();
                a.topic = tn("audit");
                a.partitions = vec![0];
                let mut o = dt::TopicData::default();
                o.topic = tn("orders");
                o.partitions = vec![0, 2];
                x.topics = vec![a, o];
            }
            x
        })
        .collect();
    server::reply(r)
}

#[test]
fn describe_transactions() {
    let dtx = ApiKey::DescribeTransactions;
    check_all(fc_v2(vec![
        Ext::new(
            "describe transactions: two ids, one coordinator",
            dtx,
            &["describe_transactions", "payments-1", "orders-7"],
        )
        .respond(txn_states),
        Ext::new(
            "describe transactions: two coordinators",
            dtx,
            &["describe_transactions", "payments-1", "orders-7"],
        )
        .brokers(&[2])
        .with(|mut c| {
            c.meta.coordinators = vec![("orders-7".into(), 2)];
            c
        })
        .respond(txn_states),
        // A per-id error: kafka-python raises; kafkars reports it on that description.
        Ext::new(
            "describe transactions: an unknown id",
            dtx,
            &["describe_transactions", "payments-1", "ghost-1"],
        )
        .respond(txn_states)
        .differs("kafka-python raises on a transactional id's error; kafkars reports it on the id")
        .output(|a, b| {
            // librdkafka 2.16 has no name for 105 (TRANSACTIONAL_ID_NOT_FOUND):
            // rd_kafka_err2name() gives "ERR_105?" (kpy_ext.py prints it so too).
            let mut problems = event_errs("ERR_105?", "NO_ERROR")(a, b);
            let nb = normalized(&b.stdout);
            if !nb.contains("transaction id=ghost-1 coordinator=1:127.0.0.1:(null) port_ok=1 state=Unknown(0) producer_id=-1 producer_epoch=-1 timeout_ms=0 start_time_ms=-1 error=ERR_105?") {
                problems.push("kafkars should report ghost-1's TRANSACTIONAL_ID_NOT_FOUND".into());
            }
            if !nb.contains("transaction id=payments-1 coordinator=1:127.0.0.1:(null) port_ok=1 state=Ongoing(2)")
            {
                problems.push("kafkars should describe payments-1".into());
            }
            problems
        }),
        Ext::new(
            "describe transactions: broker lacks the API",
            dtx,
            &["describe_transactions", "payments-1"],
        )
        .with(|c| c.api_versions(dtx, None))
        .no_request()
        .output(|a, b| {
            // kafka-python raises; kafkars may report it on the event or on the id.
            let mut problems = Vec::new();
            if !a.stdout.contains(" err=_UNSUPPORTED_FEATURE ") {
                problems.push("kafka-python should raise _UNSUPPORTED_FEATURE".into());
            }
            if !b.stdout.contains("_UNSUPPORTED_FEATURE") {
                problems.push("kafkars should report _UNSUPPORTED_FEATURE".into());
            }
            problems
        }),
    ]));
}

// ---- DescribeProducers ----

/// orders' partitions led by nodes 1, 2, 1; audit's by 2.
fn led(c: Case) -> Case {
    let mut c = c;
    c.meta.brokers = vec![2];
    let mut orders = TopicSpec::new("orders", 3);
    orders.leaders = vec![1, 2, 1];
    let mut audit = TopicSpec::new("audit", 1);
    audit.leaders = vec![2];
    c.topic(orders).topic(audit)
}

/// Answers a DescribeProducers request for each partition it names: two producers on
/// orders-0, one on the others; `err` on the partition `bad` names.
fn producers_with(bad: Option<(&'static str, i32, i16)>) -> impl Fn(&Captured, usize) -> Reply + Send + Sync {
    move |c: &Captured, _| {
        let Body::DescribeProducers(req) = &c.body else { return Reply::Close };
        let mut r = DescribeProducersResponse::default();
        r.topics = req
            .topics
            .iter()
            .map(|t| {
                let mut x = TopicResponse::default();
                x.name = t.name.clone();
                x.partitions = t
                    .partition_indexes
                    .iter()
                    .map(|&p| {
                        let mut y = PartitionResponse::default();
                        y.partition_index = p;
                        if let Some((bt, bp, code)) = bad {
                            if t.name.0.as_str() == bt && p == bp {
                                y.error_code = code;
                                y.error_message = Some(s("Not the leader"));
                                return y;
                            }
                        }
                        let n = if t.name.0.as_str() == "orders" && p == 0 { 2 } else { 1 };
                        y.active_producers = (0..n)
                            .map(|i| {
                                let mut ps = ProducerState::default();
                                ps.producer_id = ProducerId(4001 + i as i64 + 10 * p as i64);
                                ps.producer_epoch = 7 + i;
                                ps.last_sequence = 99 + i;
                                ps.last_timestamp = 1_700_000_000_000 + i as i64;
                                ps.coordinator_epoch = 3;
                                ps.current_txn_start_offset = if i == 0 { 1234 } else { -1 };
                                ps
                            })
                            .collect();
                        y
                    })
                    .collect();
                x
            })
            .collect();
        server::reply(r)
    }
}

/// kafka-python groups partitions by leader in a set: topics and partitions in order.
fn sort_producers(b: &mut Body) {
    if let Body::DescribeProducers(r) = b {
        for t in &mut r.topics {
            t.partition_indexes.sort();
        }
        r.topics.sort_by(|x, y| x.name.0.cmp(&y.name.0));
    }
}

#[test]
fn describe_producers() {
    let dp = ApiKey::DescribeProducers;
    let four = ["describe_producers", "orders:0", "orders:1", "audit:0", "orders:2"];
    check_all(vec![
        Ext::new("producers: partitions on two leaders", dp, &four)
            .with(led)
            .respond(producers_with(None))
            .requests(same_sorted(sort_producers)),
        Ext::new("producers: -o broker=2", dp, &four)
            .with(led)
            .opt("broker=2")
            .respond(producers_with(None))
            .requests(same_sorted(sort_producers)),
        // A partition's error: kafka-python raises; kafkars reports it on the partition.
        Ext::new("producers: a partition's error", dp, &four)
            .with(led)
            .respond(producers_with(Some(("orders", 1, NOT_LEADER_OR_FOLLOWER))))
            // kafka-python stops at the leader that reported the error.
            .requests(|a, b| {
                if (1..=2).contains(&a.len()) && b.len() == 2 {
                    Vec::new()
                } else {
                    vec![format!("kafka-python sent {} request(s) (1 or 2), kafkars {} (2)", a.len(), b.len())]
                }
            })
            .differs("kafka-python raises on a partition's error; kafkars reports it on the partition")
            .output(|a, b| {
                let mut problems = event_errs("NOT_LEADER_FOR_PARTITION", "NO_ERROR")(a, b);
                let nb = normalized(&b.stdout);
                if !nb.contains(
                    "partition topic=orders partition=1 offset=-1001 leader_epoch=-1 metadata=(null) err=NO_ERROR error=NOT_LEADER_FOR_PARTITION",
                ) {
                    problems.push("kafkars should report orders-1's NOT_LEADER_FOR_PARTITION".into());
                }
                if !nb.contains("  partitions: 4\n") {
                    problems.push("kafkars should report the 4 partitions".into());
                }
                problems
            }),
        Ext::new("producers: broker lacks the API", dp, &["describe_producers", "orders:0"])
            .with(|c| led(c).api_versions(dp, None))
            .no_request()
            .output(|a, b| {
                let mut problems = Vec::new();
                if !a.stdout.contains(" err=_UNSUPPORTED_FEATURE ") {
                    problems.push("kafka-python should raise _UNSUPPORTED_FEATURE".into());
                }
                if !b.stdout.contains("_UNSUPPORTED_FEATURE") {
                    problems.push("kafkars should report _UNSUPPORTED_FEATURE".into());
                }
                problems
            }),
    ]);
}

// ---- AbortTransaction ----

fn markers(req: &Captured, code: i16) -> WriteTxnMarkersResponse {
    let mut r = WriteTxnMarkersResponse::default();
    if let Body::WriteTxnMarkers(w) = &req.body {
        r.markers = w
            .markers
            .iter()
            .map(|m| {
                let mut x = WritableTxnMarkerResult::default();
                x.producer_id = m.producer_id;
                x.topics = m
                    .topics
                    .iter()
                    .map(|t| {
                        let mut y = WritableTxnMarkerTopicResult::default();
                        y.name = t.name.clone();
                        y.partitions = t
                            .partition_indexes
                            .iter()
                            .map(|&p| {
                                let mut z = WritableTxnMarkerPartitionResult::default();
                                z.partition_index = p;
                                z.error_code = code;
                                z
                            })
                            .collect();
                        y
                    })
                    .collect();
                x
            })
            .collect();
    }
    r
}

#[test]
fn abort_transaction() {
    let wtm = ApiKey::WriteTxnMarkers;
    check_all(vec![
        // orders-1's leader is node 2.
        Ext::new("abort: the marker goes to the leader", wtm, &["abort_transaction", "orders:1:4001:7:12"])
            .with(led)
            .respond(|c, _| server::reply(markers(c, 0))),
        Ext::new("abort: default coordinator epoch", wtm, &["abort_transaction", "orders:0:4001:7"])
            .with(led)
            .respond(|c, _| server::reply(markers(c, 0))),
        Ext::new("abort: the partition's error", wtm, &["abort_transaction", "orders:0:4001:7"])
            .with(led)
            .respond(|c, _| server::reply(markers(c, INVALID_PRODUCER_EPOCH))),
        // A partition the cluster does not have: no marker is sent. kafka-python raises
        // UnknownTopicOrPartitionError; kafkars, like librdkafka's leader lookup (as
        // for DeleteRecords), fails with _NOENT "No leaders found".
        Ext::new("abort: unknown partition", wtm, &["abort_transaction", "ghost:0:4001:7"])
            .with(led)
            .no_request()
            .differs("kafka-python raises UNKNOWN_TOPIC_OR_PART; kafkars' leader lookup fails with _NOENT")
            .output(refused("UNKNOWN_TOPIC_OR_PART", "_NOENT")),
        Ext::new("abort: broker lacks the API", wtm, &["abort_transaction", "orders:0:4001:7"])
            .with(|c| led(c).api_versions(wtm, None))
            .no_request()
            .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
    ]);
}
