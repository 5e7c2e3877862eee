//! KIP-932 share groups over real sockets: joins and the simple assignor, record
//! acquisition with delivery counts, release, reject, accept and the SPSO, lock
//! timeouts, the delivery limit, share session epochs, connections and members
//! going away, the long poll, the manual assignment, and every answer encoded.

use super::tests::{batch, produce, sweep, Conn};
use super::Cluster;
use crate::error::ErrorCode;
use crate::protocol::records::{decode_records, DecodeOptions};
use kafka_protocol::messages::share_acknowledge_request::{
    AcknowledgePartition, AcknowledgeTopic, AcknowledgementBatch as AckBatchA,
};
use kafka_protocol::messages::share_fetch_request::{AcknowledgementBatch, FetchPartition, FetchTopic};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::time::{Duration, Instant};

const G: &str = "sg";

fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.into())
}

fn e(code: i16) -> ErrorCode {
    ErrorCode(code as i32)
}

/// (first, last, types) of one acknowledgement batch.
type Ack = (i64, i64, Vec<i8>);

struct H {
    c: Cluster,
    conn: Conn,
    topic: uuid::Uuid,
}

/// What one ShareFetch brought: top error, partition error, ack error, acquired
/// ranges (first, last, count) and the record offsets in the batches.
#[derive(Debug)]
struct Got {
    err: ErrorCode,
    ack_err: ErrorCode,
    ranges: Vec<(i64, i64, i16)>,
    offsets: Vec<i64>,
}

impl H {
    /// One broker, topic "s" with `parts` partitions, share-partitions from the start.
    fn new(parts: i32) -> H {
        let c = Cluster::new(1).expect("cluster");
        c.topic_create("s", parts, 1).expect("topic");
        c.sharegroup_conf(|s| s.earliest = true);
        let topic = uuid::Uuid::from_bytes(c.with(|st| st.topics["s"].id));
        let conn = Conn::to(&c, 1);
        H { c, conn, topic }
    }

    fn produce(&mut self, n: usize) {
        let (err, _) = produce(&mut self.conn, "s", 0, batch(n, -1, -1, -1, 1000));
        assert_eq!(err, 0);
    }

    fn beat(&mut self, id: &str, epoch: i32) -> ShareGroupHeartbeatResponse {
        beat(&mut self.conn, id, epoch)
    }
}

fn beat(conn: &mut Conn, id: &str, epoch: i32) -> ShareGroupHeartbeatResponse {
    let mut r = ShareGroupHeartbeatRequest::default();
    r.group_id = GroupId(sb(G));
    r.member_id = sb(id);
    r.member_epoch = epoch;
    if epoch == 0 {
        r.subscribed_topic_names = Some(vec![TopicName(sb("s"))]);
    }
    conn.call(ApiKey::ShareGroupHeartbeat, 1, &r).expect("heartbeat")
}

/// A ShareFetch of partition 0 with acknowledgements piggybacked.
fn fetch(conn: &mut Conn, topic: uuid::Uuid, member: &str, epoch: i32, acks: &[Ack], wait_ms: i32) -> Got {
    let mut fp = FetchPartition::default();
    fp.partition_max_bytes = 1 << 20;
    fp.acknowledgement_batches = acks
        .iter()
        .map(|(f, l, t)| {
            AckBatch::default().with_first_offset(*f).with_last_offset(*l).with_acknowledge_types(t.clone())
        })
        .collect();
    let mut r = ShareFetchRequest::default();
    r.group_id = Some(GroupId(sb(G)));
    r.member_id = Some(sb(member));
    r.share_session_epoch = epoch;
    r.max_wait_ms = wait_ms;
    r.min_bytes = 1;
    r.max_bytes = 1 << 20;
    r.max_records = 500;
    r.batch_size = 500;
    r.topics = vec![FetchTopic::default().with_topic_id(topic).with_partitions(vec![fp])];
    let resp: ShareFetchResponse = conn.call(ApiKey::ShareFetch, 1, &r).expect("share fetch");
    let mut got =
        Got { err: e(resp.error_code), ack_err: ErrorCode::NO_ERROR, ranges: vec![], offsets: vec![] };
    for pd in resp.responses.iter().flat_map(|t| &t.partitions) {
        assert_eq!(pd.error_code, 0, "partition error");
        got.ack_err = e(pd.acknowledge_error_code);
        got.ranges =
            pd.acquired_records.iter().map(|a| (a.first_offset, a.last_offset, a.delivery_count)).collect();
        if let Some(recs) = &pd.records {
            let batches = decode_records(recs.clone(), DecodeOptions::default()).expect("records");
            got.offsets = batches.into_iter().flat_map(|(_, rs)| rs).map(|r| r.offset).collect();
        }
    }
    got
}

type AckBatch = AcknowledgementBatch;

/// A ShareAcknowledge of partition 0: top error and partition error.
fn acknowledge(
    conn: &mut Conn,
    topic: uuid::Uuid,
    member: &str,
    epoch: i32,
    acks: &[Ack],
) -> (ErrorCode, ErrorCode) {
    let batches = acks
        .iter()
        .map(|(f, l, t)| {
            AckBatchA::default().with_first_offset(*f).with_last_offset(*l).with_acknowledge_types(t.clone())
        })
        .collect();
    let mut r = ShareAcknowledgeRequest::default();
    r.group_id = Some(GroupId(sb(G)));
    r.member_id = Some(sb(member));
    r.share_session_epoch = epoch;
    r.topics = vec![AcknowledgeTopic::default()
        .with_topic_id(topic)
        .with_partitions(vec![AcknowledgePartition::default().with_acknowledgement_batches(batches)])];
    let resp: ShareAcknowledgeResponse = conn.call(ApiKey::ShareAcknowledge, 1, &r).expect("share ack");
    let pe = resp.responses.first().and_then(|t| t.partitions.first()).map_or(0, |p| p.error_code);
    (e(resp.error_code), e(pe))
}

fn spso(h: &H) -> i64 {
    let tp = (*h.topic.as_bytes(), 0);
    h.c.with(|st| st.shares.parts.by.get(&(G.to_string(), tp)).map_or(-1, |p| p.spso))
}

fn assigned(r: &ShareGroupHeartbeatResponse) -> Vec<i32> {
    let mut ps: Vec<i32> =
        r.assignment.iter().flat_map(|a| &a.topic_partitions).flat_map(|t| t.partitions.clone()).collect();
    ps.sort();
    ps
}

#[test]
fn members_join_share_partitions_and_leave() {
    let mut h = H::new(2);
    let a = h.beat("a", 0);
    assert_eq!((a.error_code, a.member_epoch, assigned(&a)), (0, 1, vec![0, 1]));
    let b = h.beat("b", 0);
    assert_eq!((b.error_code, b.member_epoch, assigned(&b)), (0, 2, vec![1]));
    let a = h.beat("a", 1);
    assert_eq!((a.member_epoch, assigned(&a)), (2, vec![0]), "a gives partition 1 up at once");
    // A third member: more members than partitions, so a partition is shared.
    let c = h.beat("c", 0);
    assert_eq!((c.member_epoch, assigned(&c)), (3, vec![0]));
    assert_eq!(e(h.beat("b", 7).error_code), ErrorCode::FENCED_MEMBER_EPOCH);
    assert_eq!(e(h.beat("b", 2).error_code), ErrorCode::NO_ERROR, "the previous epoch passes");
    assert_eq!(e(h.beat("zz", 3).error_code), ErrorCode::UNKNOWN_MEMBER_ID);
    assert_eq!(e(h.beat("", 0).error_code), ErrorCode::INVALID_REQUEST, "v1: the client names itself");
    let mut lg = ListGroupsRequest::default();
    lg.types_filter = vec![sb("share")];
    let l: ListGroupsResponse = h.conn.call(ApiKey::ListGroups, 5, &lg).expect("list");
    let listed: Vec<(String, String, String)> = l
        .groups
        .iter()
        .map(|g| (g.group_id.to_string(), g.protocol_type.to_string(), g.group_type.to_string()))
        .collect();
    assert_eq!(listed, vec![(G.to_string(), "share".to_string(), "share".to_string())]);
    let d: ShareGroupDescribeResponse = h
        .conn
        .call(
            ApiKey::ShareGroupDescribe,
            1,
            &ShareGroupDescribeRequest::default().with_group_ids(vec![GroupId(sb(G))]),
        )
        .expect("describe");
    assert_eq!((d.groups[0].group_state.as_str(), d.groups[0].members.len()), ("Stable", 3));
    assert_eq!(h.beat("b", -1).member_epoch, -1);
    assert_eq!(h.beat("c", -1).member_epoch, -1);
    let a = h.beat("a", 5);
    assert_eq!((a.member_epoch, assigned(&a)), (5, vec![0, 1]), "the last member has every partition");
    assert_eq!(h.c.sharegroup_member_ids(G), Some(vec!["a".to_string()]));
    h.c.sharegroup_conf(|s| s.max_size = 1);
    assert_eq!(e(h.beat("d", 0).error_code), ErrorCode::GROUP_MAX_SIZE_REACHED);
    // One group id, one kind of group: a consumer group join is refused, and so is
    // deleting a share group with members.
    let cg = ConsumerGroupHeartbeatRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_member_id(sb("k"))
        .with_subscribed_topic_names(Some(vec![TopicName(sb("s"))]));
    let r: ConsumerGroupHeartbeatResponse = h.conn.call(ApiKey::ConsumerGroupHeartbeat, 1, &cg).expect("cg");
    assert_eq!(e(r.error_code), ErrorCode::GROUP_ID_NOT_FOUND);
    let del = DeleteGroupsRequest::default().with_groups_names(vec![GroupId(sb(G))]);
    let d: DeleteGroupsResponse = h.conn.call(ApiKey::DeleteGroups, 2, &del).expect("delete");
    assert_eq!(e(d.results[0].error_code), ErrorCode::NON_EMPTY_GROUP);
    assert_eq!(h.beat("a", -1).member_epoch, -1);
    let d: DeleteGroupsResponse = h.conn.call(ApiKey::DeleteGroups, 2, &del).expect("delete");
    assert_eq!(e(d.results[0].error_code), ErrorCode::NO_ERROR);
    assert_eq!(h.c.sharegroup_member_ids(G), None, "deleted");
}

#[test]
fn a_manual_assignment_replaces_the_assignor() {
    let mut h = H::new(4);
    h.beat("a", 0);
    h.beat("b", 0);
    let manual = vec![("a".to_string(), vec![("s".to_string(), 3)])];
    assert!(h.c.sharegroup_target_assignment(G, manual));
    assert_eq!(assigned(&h.beat("a", 2)), vec![3]);
    assert!(h.beat("b", 2).assignment.is_none(), "b keeps what it had");
    assert!(!h.c.sharegroup_target_assignment("nope", vec![]));
    assert_eq!(h.c.sharegroup_member_ids("nope"), None);
}

#[test]
fn fetch_acquires_and_release_redelivers_with_count_two() {
    let mut h = H::new(1);
    h.produce(5);
    let t = h.topic;
    let g = fetch(&mut h.conn, t, "a", 0, &[], 0);
    assert_eq!(
        (g.err, g.ranges.clone(), g.offsets.clone()),
        (ErrorCode::NO_ERROR, vec![(0, 4, 1)], vec![0, 1, 2, 3, 4])
    );
    // Released with the next fetch: acquired again at once, delivery count 2.
    let g = fetch(&mut h.conn, t, "a", 1, &[(0, 4, vec![2])], 0);
    assert_eq!((g.ack_err, g.ranges), (ErrorCode::NO_ERROR, vec![(0, 4, 2)]));
    let g = fetch(&mut h.conn, t, "a", 2, &[(0, 4, vec![1])], 0);
    assert_eq!((g.ack_err, g.ranges.len()), (ErrorCode::NO_ERROR, 0));
    assert_eq!(spso(&h), 5, "all accepted: SPSO at the end");
}

#[test]
fn reject_archives_accept_moves_the_start_and_release_comes_back() {
    let mut h = H::new(1);
    h.produce(5);
    let t = h.topic;
    assert_eq!(fetch(&mut h.conn, t, "a", 0, &[], 0).ranges, vec![(0, 4, 1)]);
    // One type per offset: accept 0-1, reject 2, release 3-4.
    assert_eq!(
        acknowledge(&mut h.conn, t, "a", 1, &[(0, 4, vec![1, 1, 3, 2, 2])]),
        (ErrorCode::NO_ERROR, ErrorCode::NO_ERROR)
    );
    assert_eq!(spso(&h), 3, "accepted and rejected records are done with");
    let g = fetch(&mut h.conn, t, "a", 2, &[], 0);
    assert_eq!(g.ranges, vec![(3, 4, 2)], "the rejected record never comes back");
    assert_eq!(acknowledge(&mut h.conn, t, "a", 3, &[(3, 4, vec![1])]).1, ErrorCode::NO_ERROR);
    assert_eq!(spso(&h), 5);
    assert_eq!(acknowledge(&mut h.conn, t, "a", 4, &[(3, 4, vec![1])]).1, ErrorCode::INVALID_RECORD_STATE);
    assert_eq!(acknowledge(&mut h.conn, t, "a", 5, &[(0, 1, vec![1, 9])]).1, ErrorCode::INVALID_REQUEST);
    let huge = acknowledge(&mut h.conn, t, "a", 6, &[(1, i64::MAX, vec![1])]).1;
    assert_eq!(huge, ErrorCode::INVALID_RECORD_STATE, "answered, not walked");
    assert_eq!(acknowledge(&mut h.conn, t, "a", 7, &[(5, 1, vec![1])]).1, ErrorCode::INVALID_REQUEST);
}

#[test]
fn an_expired_lock_redelivers_to_another_member() {
    let mut h = H::new(1);
    h.c.sharegroup_conf(|s| s.lock_ms = 200);
    h.produce(3);
    let t = h.topic;
    assert_eq!(fetch(&mut h.conn, t, "a", 0, &[], 0).ranges, vec![(0, 2, 1)]);
    let mut other = Conn::to(&h.c, 1);
    assert!(fetch(&mut other, t, "b", 0, &[], 0).ranges.is_empty(), "locked to a");
    // b long-polls: the lock runs out and the records come to b.
    let started = Instant::now();
    let g = fetch(&mut other, t, "b", 1, &[], 3000);
    assert_eq!(g.ranges, vec![(0, 2, 2)]);
    assert!(started.elapsed() < Duration::from_millis(2500), "answered when the lock ran out");
    assert_eq!(acknowledge(&mut h.conn, t, "a", 1, &[(0, 2, vec![1])]).1, ErrorCode::INVALID_RECORD_STATE);
}

#[test]
fn the_delivery_limit_archives() {
    let mut h = H::new(1);
    h.c.sharegroup_conf(|s| s.max_attempts = 2);
    h.produce(2);
    let t = h.topic;
    assert_eq!(fetch(&mut h.conn, t, "a", 0, &[], 0).ranges, vec![(0, 1, 1)]);
    assert_eq!(fetch(&mut h.conn, t, "a", 1, &[(0, 1, vec![2])], 0).ranges, vec![(0, 1, 2)]);
    let g = fetch(&mut h.conn, t, "a", 2, &[(0, 1, vec![2])], 0);
    assert!(g.ranges.is_empty(), "released at the limit: archived, {g:?}");
    assert_eq!(spso(&h), 2);
}

#[test]
fn share_session_epochs() {
    let mut h = H::new(1);
    h.produce(2);
    let t = h.topic;
    assert_eq!(fetch(&mut h.conn, t, "a", 3, &[], 0).err, ErrorCode::SHARE_SESSION_NOT_FOUND);
    assert_eq!(
        fetch(&mut h.conn, t, "a", 0, &[(0, 0, vec![1])], 0).err,
        ErrorCode::INVALID_REQUEST,
        "acks need a session"
    );
    assert_eq!(fetch(&mut h.conn, t, "a", 0, &[], 0).ranges, vec![(0, 1, 1)]);
    assert_eq!(fetch(&mut h.conn, t, "a", 5, &[], 0).err, ErrorCode::INVALID_SHARE_SESSION_EPOCH);
    assert_eq!(acknowledge(&mut h.conn, t, "a", 0, &[]).0, ErrorCode::INVALID_SHARE_SESSION_EPOCH);
    assert_eq!(fetch(&mut h.conn, t, "a", 1, &[], 0).err, ErrorCode::NO_ERROR, "the session goes on");
    // The final request closes the session and releases what it still holds.
    assert_eq!(
        acknowledge(&mut h.conn, t, "a", -1, &[(0, 0, vec![1])]),
        (ErrorCode::NO_ERROR, ErrorCode::NO_ERROR)
    );
    assert_eq!(fetch(&mut h.conn, t, "a", 2, &[], 0).err, ErrorCode::SHARE_SESSION_NOT_FOUND);
    assert_eq!(fetch(&mut h.conn, t, "b", 0, &[], 0).ranges, vec![(1, 1, 2)]);
    h.c.sharegroup_conf(|s| s.max_sessions = 1);
    assert_eq!(fetch(&mut h.conn, t, "c", 0, &[], 0).err, ErrorCode::SHARE_SESSION_LIMIT_REACHED);
}

#[test]
fn a_closed_connection_or_a_leaving_member_releases_its_records() {
    let mut h = H::new(1);
    h.produce(2);
    let t = h.topic;
    let mut a = Conn::to(&h.c, 1);
    assert_eq!(fetch(&mut a, t, "a", 0, &[], 0).ranges, vec![(0, 1, 1)]);
    drop(a);
    let g = fetch(&mut h.conn, t, "b", 0, &[], 3000);
    assert_eq!(g.ranges, vec![(0, 1, 2)], "a's connection closed: its session and locks went");
    // b is a group member: leaving releases what it holds.
    let mut hb = Conn::to(&h.c, 1);
    assert_eq!(beat(&mut hb, "b", 0).error_code, 0);
    assert_eq!(beat(&mut hb, "b", -1).member_epoch, -1);
    let mut c = Conn::to(&h.c, 1);
    assert_eq!(fetch(&mut c, t, "c", 0, &[], 0).ranges, vec![(0, 1, 3)]);
}

#[test]
fn a_long_poll_answers_when_records_arrive() {
    let mut h = H::new(1);
    let t = h.topic;
    let started = Instant::now();
    assert!(fetch(&mut h.conn, t, "a", 0, &[], 300).ranges.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(250), "waited max_wait_ms");
    let mut p = Conn::to(&h.c, 1);
    let producer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        produce(&mut p, "s", 0, batch(3, -1, -1, -1, 1000))
    });
    let started = Instant::now();
    let g = fetch(&mut h.conn, t, "a", 1, &[], 5000);
    assert_eq!(producer.join().expect("producer").0, 0);
    assert_eq!(g.ranges, vec![(0, 2, 1)]);
    assert!(started.elapsed() < Duration::from_millis(4000), "answered on arrival");
}

#[test]
fn latest_by_default_skips_what_was_there() {
    let mut h = H::new(1);
    h.c.sharegroup_conf(|s| s.earliest = false);
    h.produce(2);
    let t = h.topic;
    assert!(fetch(&mut h.conn, t, "a", 0, &[], 0).ranges.is_empty());
    h.produce(1);
    assert_eq!(fetch(&mut h.conn, t, "a", 1, &[], 0).ranges, vec![(2, 2, 1)]);
}

/// A transactional batch of `n` records of producer `pid`.
fn txn_batch(n: usize, pid: i64) -> bytes::Bytes {
    use crate::protocol::compression::Codec;
    use crate::protocol::records::RecordBatchWriter;
    let mut buf = Vec::new();
    let mut w = RecordBatchWriter::new(&mut buf, 1000, pid, 0, 0, true);
    for _ in 0..n {
        w.append::<_, &[u8], &[u8]>(&mut buf, 1000, None, Some(b"t"), &[]).expect("append");
    }
    w.finish(&mut buf, Codec::None, 0, &mut Vec::new()).expect("finish");
    bytes::Bytes::from(buf)
}

/// Offsets 0-1 an aborted transaction, 2 its marker, 3 a plain record, 4-5 an open
/// transaction: read_committed acquires 3 only, read_uncommitted all but the marker.
#[test]
fn isolation_levels_over_transactions() {
    for committed in [true, false] {
        let mut h = H::new(1);
        h.c.sharegroup_conf(|s| s.committed = committed);
        h.c.with(|st| {
            let log = &mut st.partition_mut("s", 0).expect("s").log;
            log.append(&txn_batch(2, 7), 1000, 0).expect("txn");
            log.end_txn(7, 0, false, 1000);
            log.append(&batch(1, -1, -1, -1, 1000), 1000, 0).expect("plain");
            log.append(&txn_batch(2, 8), 1000, 0).expect("open txn");
        });
        let t = h.topic;
        let g = fetch(&mut h.conn, t, "a", 0, &[], 0);
        if committed {
            assert_eq!(g.ranges, vec![(3, 3, 1)], "aborted and marker archived, open txn not yet");
            assert_eq!(spso(&h), 3);
        } else {
            assert_eq!(g.ranges, vec![(0, 1, 1), (3, 5, 1)], "everything but the marker");
        }
    }
}

#[test]
fn every_offered_version_encodes_its_answers() {
    let mut st = super::state::State::new(&[1]);
    st.create_topic("s", 1, 1).expect("topic");
    let hb = ShareGroupHeartbeatRequest::default().with_group_id(GroupId(sb(G))).with_member_id(sb("m"));
    sweep(&mut st, ApiKey::ShareGroupHeartbeat, &hb);
    sweep(
        &mut st,
        ApiKey::ShareGroupHeartbeat,
        &hb.with_subscribed_topic_names(Some(vec![TopicName(sb("s"))])),
    );
    let d = ShareGroupDescribeRequest::default().with_group_ids(vec![GroupId(sb(G)), GroupId(sb("x"))]);
    sweep(&mut st, ApiKey::ShareGroupDescribe, &d);
    sweep(&mut st, ApiKey::ShareFetch, &ShareFetchRequest::default());
    sweep(&mut st, ApiKey::ShareAcknowledge, &ShareAcknowledgeRequest::default());
    sweep(&mut st, ApiKey::ListGroups, &ListGroupsRequest::default());
}
