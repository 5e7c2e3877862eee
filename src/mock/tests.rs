//! The mock cluster over real sockets: requests encoded by the protocol crate, the
//! answers read back from the wire.

use super::Cluster;
use crate::protocol::compression::Codec;
use crate::protocol::records::{decode_records, DecodeOptions, RecordBatchWriter};
use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub(super) struct Conn {
    s: TcpStream,
    corr: i32,
}

impl Conn {
    pub(super) fn to(c: &Cluster, broker: usize) -> Conn {
        let addr = c.bootstraps().split(',').nth(broker - 1).expect("broker").to_string();
        let s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        Conn { s, corr: 0 }
    }

    /// Sends a request; Err if the broker closed the connection instead of answering.
    pub(super) fn call<Req: Encodable, Resp: Decodable>(
        &mut self,
        key: ApiKey,
        v: i16,
        req: &Req,
    ) -> std::io::Result<Resp> {
        self.corr += 1;
        let mut h = RequestHeader::default();
        h.request_api_key = key as i16;
        h.request_api_version = v;
        h.correlation_id = self.corr;
        h.client_id = Some(StrBytes::from_static_str("mock-test"));
        let mut b = BytesMut::new();
        b.put_i32(0);
        h.encode(&mut b, key.request_header_version(v)).expect("header");
        req.encode(&mut b, v).expect("body");
        let n = (b.len() - 4) as i32;
        b[0..4].copy_from_slice(&n.to_be_bytes());
        self.s.write_all(&b)?;
        let mut size = [0u8; 4];
        self.s.read_exact(&mut size)?;
        let mut body = vec![0u8; i32::from_be_bytes(size) as usize];
        self.s.read_exact(&mut body)?;
        let mut body = Bytes::from(body);
        let rh = ResponseHeader::decode(&mut body, key.response_header_version(v)).expect("response header");
        assert_eq!(rh.correlation_id, self.corr);
        Ok(Resp::decode(&mut body, v).expect("response body"))
    }
}

fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.into())
}

/// One v2 batch of `n` records "v0".. with these producer fields.
pub(super) fn batch(n: usize, pid: i64, epoch: i16, seq: i32, ts: i64) -> Bytes {
    let mut buf = Vec::new();
    let mut w = RecordBatchWriter::new(&mut buf, ts, pid, epoch, seq, false);
    for i in 0..n {
        let v = format!("v{i}");
        w.append::<_, &[u8], &[u8]>(&mut buf, ts + i as i64, None, Some(v.as_bytes()), &[]).expect("append");
    }
    w.finish(&mut buf, Codec::None, 0, &mut Vec::new()).expect("finish");
    Bytes::from(buf)
}

pub(super) fn produce(c: &mut Conn, topic: &str, p: i32, records: Bytes) -> (i16, i64) {
    let mut pd = PartitionProduceData::default();
    pd.index = p;
    pd.records = Some(records);
    let mut td = TopicProduceData::default();
    td.name = TopicName(sb(topic));
    td.partition_data = vec![pd];
    let mut r = ProduceRequest::default();
    r.acks = -1;
    r.timeout_ms = 5000;
    r.topic_data = vec![td];
    let resp: ProduceResponse = c.call(ApiKey::Produce, 8, &r).expect("produce");
    let pr = &resp.responses[0].partition_responses[0];
    (pr.error_code, pr.base_offset)
}

fn fetch(c: &mut Conn, topic: &str, p: i32, offset: i64, wait_ms: i32) -> (i16, i64, Vec<i64>) {
    let mut fp = FetchPartition::default();
    fp.partition = p;
    fp.fetch_offset = offset;
    fp.partition_max_bytes = 1 << 20;
    let mut ft = FetchTopic::default();
    ft.topic = TopicName(sb(topic));
    ft.partitions = vec![fp];
    let mut r = FetchRequest::default();
    r.replica_id = BrokerId(-1);
    r.max_wait_ms = wait_ms;
    r.min_bytes = 1;
    r.max_bytes = 1 << 24;
    r.session_epoch = -1;
    r.topics = vec![ft];
    let resp: FetchResponse = c.call(ApiKey::Fetch, 11, &r).expect("fetch");
    let pd = &resp.responses[0].partitions[0];
    let recs = pd.records.clone().unwrap_or_default();
    let opts = DecodeOptions { check_crcs: true, ..Default::default() };
    let offsets = decode_records(recs, opts)
        .expect("records")
        .into_iter()
        .flat_map(|(_, rs)| rs)
        .map(|r| r.offset)
        .collect();
    (pd.error_code, pd.high_watermark, offsets)
}

fn leader(c: &Cluster, topic: &str, p: i32) -> usize {
    c.with(|st| st.partition_mut(topic, p).map(|p| p.leader as usize).expect("partition"))
}

#[test]
fn api_versions_and_metadata_with_auto_creation() {
    let c = Cluster::new(3).expect("cluster");
    let mut conn = Conn::to(&c, 1);
    let v: ApiVersionsResponse =
        conn.call(ApiKey::ApiVersions, 3, &ApiVersionsRequest::default()).expect("apiversions");
    assert_eq!(v.error_code, 0);
    assert!(v.api_keys.iter().any(|k| k.api_key == ApiKey::Produce as i16 && k.max_version >= 7));
    let mut m = MetadataRequest::default();
    let mut t = MetadataRequestTopic::default();
    t.name = Some(TopicName(sb("auto")));
    m.topics = Some(vec![t]);
    m.allow_auto_topic_creation = true;
    let md: MetadataResponse = conn.call(ApiKey::Metadata, 9, &m).expect("metadata");
    assert_eq!(md.brokers.len(), 3);
    assert_eq!(md.controller_id, BrokerId(1));
    assert_eq!(md.topics[0].error_code, 0);
    assert_eq!(md.topics[0].partitions.len(), 4, "librdkafka's mock default: 4 partitions");
    assert!(md.topics[0].partitions.iter().all(|p| p.replica_nodes.len() == 3));
    m.allow_auto_topic_creation = false;
    m.topics.as_mut().expect("topics")[0].name = Some(TopicName(sb("absent")));
    let md: MetadataResponse = conn.call(ApiKey::Metadata, 9, &m).expect("metadata");
    assert_eq!(md.topics[0].error_code, 3, "UNKNOWN_TOPIC_OR_PART without auto-creation");
}

#[test]
fn produce_then_fetch_reads_the_stored_batches() {
    let c = Cluster::new(2).expect("cluster");
    c.topic_create("t", 2, 1).expect("create");
    let l = leader(&c, "t", 1);
    let mut conn = Conn::to(&c, l);
    assert_eq!(produce(&mut conn, "t", 1, batch(3, -1, -1, -1, 1000)), (0, 0));
    assert_eq!(produce(&mut conn, "t", 1, batch(2, -1, -1, -1, 2000)), (0, 3));
    let (err, hw, offsets) = fetch(&mut conn, "t", 1, 0, 0);
    assert_eq!((err, hw), (0, 5));
    assert_eq!(offsets, vec![0, 1, 2, 3, 4], "base offsets rewritten, CRCs still valid");
    let (_, _, offsets) = fetch(&mut conn, "t", 1, 4, 0);
    assert_eq!(offsets, vec![3, 4], "the whole batch holding offset 4");
    assert_eq!(fetch(&mut conn, "t", 1, 6, 0).0, 1, "OFFSET_OUT_OF_RANGE past the end");
    let mut other = Conn::to(&c, 3 - l);
    assert_eq!(produce(&mut other, "t", 1, batch(1, -1, -1, -1, 0)).0, 6, "NOT_LEADER_OR_FOLLOWER");
    let mut bad = batch(1, -1, -1, -1, 0).to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(produce(&mut conn, "t", 1, Bytes::from(bad)).0, 2, "CRC mismatch: CORRUPT_MESSAGE");
}

#[test]
fn idempotent_sequences_are_checked_and_duplicates_answered_with_their_offset() {
    let c = Cluster::new(1).expect("cluster");
    c.topic_create("i", 1, 1).expect("create");
    let mut conn = Conn::to(&c, 1);
    assert_eq!(produce(&mut conn, "i", 0, batch(2, 7, 0, 0, 0)), (0, 0));
    assert_eq!(produce(&mut conn, "i", 0, batch(2, 7, 0, 2, 0)), (0, 2));
    assert_eq!(produce(&mut conn, "i", 0, batch(2, 7, 0, 0, 0)), (0, 0), "a duplicate keeps its offset");
    assert_eq!(produce(&mut conn, "i", 0, batch(1, 7, 0, 9, 0)).0, 45, "OUT_OF_ORDER_SEQUENCE_NUMBER");
    assert_eq!(produce(&mut conn, "i", 0, batch(1, 8, 0, 3, 0)).0, 59, "UNKNOWN_PRODUCER_ID");
    assert_eq!(produce(&mut conn, "i", 0, batch(1, 7, 1, 0, 0)), (0, 4), "a new epoch starts at 0");
    assert_eq!(produce(&mut conn, "i", 0, batch(1, 7, 0, 4, 0)).0, 47, "INVALID_PRODUCER_EPOCH");
    assert_eq!(fetch(&mut conn, "i", 0, 0, 0).2, vec![0, 1, 2, 3, 4]);
}

#[test]
fn list_offsets_by_timestamp_and_ends() {
    let c = Cluster::new(1).expect("cluster");
    c.topic_create("o", 1, 1).expect("create");
    let mut conn = Conn::to(&c, 1);
    produce(&mut conn, "o", 0, batch(3, -1, -1, -1, 1000));
    produce(&mut conn, "o", 0, batch(3, -1, -1, -1, 5000));
    let ask = |conn: &mut Conn, ts: i64| {
        let mut p = ListOffsetsPartition::default();
        p.timestamp = ts;
        let mut t = ListOffsetsTopic::default();
        t.name = TopicName(sb("o"));
        t.partitions = vec![p];
        let mut r = ListOffsetsRequest::default();
        r.replica_id = BrokerId(-1);
        r.topics = vec![t];
        let resp: ListOffsetsResponse = conn.call(ApiKey::ListOffsets, 7, &r).expect("listoffsets");
        let p = &resp.topics[0].partitions[0];
        (p.offset, p.timestamp)
    };
    assert_eq!(ask(&mut conn, -2).0, 0);
    assert_eq!(ask(&mut conn, -1).0, 6);
    assert_eq!(ask(&mut conn, 1001), (1, 1001), "first record at or after the time");
    assert_eq!(ask(&mut conn, 4000), (3, 5000));
    assert_eq!(ask(&mut conn, 9000), (-1, -1), "none that late");
    assert_eq!(ask(&mut conn, -3), (5, 5002), "KIP-734 max timestamp");
}

#[test]
fn a_long_poll_fetch_returns_when_data_arrives() {
    let c = Cluster::new(1).expect("cluster");
    c.topic_create("w", 1, 1).expect("create");
    let bs = c.bootstraps();
    let t0 = Instant::now();
    let mut conn = Conn::to(&c, 1);
    let (_, _, none) = fetch(&mut conn, "w", 0, 0, 200);
    assert!(none.is_empty() && t0.elapsed() >= Duration::from_millis(190), "waited max_wait_ms");
    let producer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        let mut p = Conn { s: TcpStream::connect(bs).expect("connect"), corr: 0 };
        produce(&mut p, "w", 0, batch(1, -1, -1, -1, 0))
    });
    let t1 = Instant::now();
    let (_, _, got) = fetch(&mut conn, "w", 0, 0, 5000);
    assert_eq!(got, vec![0]);
    assert!(t1.elapsed() < Duration::from_secs(3), "answered on arrival, not at max_wait_ms");
    assert_eq!(producer.join().expect("producer").0, 0);
}

#[test]
fn faults_errors_rtt_and_broker_down() {
    let c = Cluster::new(1).expect("cluster");
    c.topic_create("f", 1, 1).expect("create");
    let mut conn = Conn::to(&c, 1);
    c.push_request_errors(ApiKey::Produce as i16, &[crate::error::ErrorCode::NOT_ENOUGH_REPLICAS]);
    assert_eq!(produce(&mut conn, "f", 0, batch(1, -1, -1, -1, 0)).0, 19);
    assert_eq!(produce(&mut conn, "f", 0, batch(1, -1, -1, -1, 0)), (0, 0), "one error per push");
    c.broker_set_rtt(1, 300).expect("rtt");
    let t0 = Instant::now();
    produce(&mut conn, "f", 0, batch(1, -1, -1, -1, 0));
    assert!(t0.elapsed() >= Duration::from_millis(290), "answered after the rtt");
    c.broker_set_rtt(1, 0).expect("rtt");
    c.push_request_errors(ApiKey::Produce as i16, &[crate::error::ErrorCode::_TRANSPORT]);
    let mut pd = PartitionProduceData::default();
    pd.records = Some(batch(1, -1, -1, -1, 0));
    let mut td = TopicProduceData::default();
    td.name = TopicName(sb("f"));
    td.partition_data = vec![pd];
    let mut r = ProduceRequest::default();
    r.acks = -1;
    r.topic_data = vec![td];
    assert!(conn.call::<_, ProduceResponse>(ApiKey::Produce, 8, &r).is_err(), "_TRANSPORT closes");
    let mut conn = Conn::to(&c, 1);
    c.broker_set_up(1, false).expect("down");
    let res = conn.call::<_, ApiVersionsResponse>(ApiKey::ApiVersions, 3, &ApiVersionsRequest::default());
    assert!(res.is_err(), "a down broker closes its connections");
    c.broker_set_up(1, true).expect("up");
    let mut conn = Conn::to(&c, 1);
    assert_eq!(fetch(&mut conn, "f", 0, 0, 0).2, vec![0, 1], "the log survived");
}

#[test]
fn list_offsets_answers_every_partition_asked() {
    let c = Cluster::new(1).expect("cluster");
    c.topic_create("m", 2, 1).expect("create");
    let mut conn = Conn::to(&c, 1);
    let mut t = ListOffsetsTopic::default();
    t.name = TopicName(sb("m"));
    for p in 0..2 {
        let mut lp = ListOffsetsPartition::default();
        lp.partition_index = p;
        lp.timestamp = -1;
        t.partitions.push(lp);
    }
    let mut r = ListOffsetsRequest::default();
    r.replica_id = BrokerId(-1);
    r.topics = vec![t];
    let resp: ListOffsetsResponse = conn.call(ApiKey::ListOffsets, 2, &r).expect("listoffsets");
    assert_eq!(resp.topics[0].partitions.len(), 2);
}

/// Serves `body` at every version the cluster offers for `key`; every answer must
/// encode (a field set that a version lacks would cut the response short).
pub(super) fn sweep<T: Encodable>(st: &mut super::state::State, key: ApiKey, body: &T) {
    let (min, max) = super::serve::offered(st, key as i16).expect("offered");
    for v in min..=max {
        let mut b = BytesMut::new();
        if body.encode(&mut b, v).is_err() {
            continue; // the request itself has no form at this version
        }
        let req = super::wire::Request {
            api_key: key as i16,
            version: v,
            corr_id: 1,
            client_id: "sweep".into(),
            body: b.freeze(),
        };
        let now = Instant::now();
        let ctx = super::reply::Ctx {
            broker: 1,
            conn: 1,
            first: false,
            expired: true,
            injected: crate::error::ErrorCode::NO_ERROR,
            now,
            now_ms: 0,
        };
        match super::serve::serve(st, &req, &ctx) {
            super::reply::Outcome::Respond(f) => assert!(f.len() > 8, "{key:?} v{v}: empty frame"),
            super::reply::Outcome::Silent => {}
            super::reply::Outcome::Park(_) => panic!("{key:?} v{v}: parked after its deadline"),
            super::reply::Outcome::Close => panic!("{key:?} v{v}: closed"),
        }
    }
}

#[test]
fn every_offered_version_encodes_its_answers() {
    let mut st = super::state::State::new(&[1]);
    st.create_topic("s", 2, 1).expect("topic");
    let mut md = MetadataRequest::default();
    let mut mt = MetadataRequestTopic::default();
    mt.name = Some(TopicName(sb("s")));
    md.topics = Some(vec![mt]);
    sweep(&mut st, ApiKey::Metadata, &md);
    let mut pd = PartitionProduceData::default();
    pd.records = Some(batch(2, -1, -1, -1, 1000));
    let mut td = TopicProduceData::default();
    td.name = TopicName(sb("s"));
    td.partition_data = vec![pd];
    let mut pr = ProduceRequest::default();
    pr.acks = -1;
    pr.topic_data = vec![td];
    sweep(&mut st, ApiKey::Produce, &pr);
    let mut fp = FetchPartition::default();
    fp.partition_max_bytes = 1 << 20;
    let mut ft = FetchTopic::default();
    ft.topic = TopicName(sb("s"));
    ft.partitions = vec![fp.clone(), {
        fp.partition = 9;
        fp
    }];
    let mut fr = FetchRequest::default();
    fr.replica_id = BrokerId(-1);
    fr.topics = vec![ft];
    sweep(&mut st, ApiKey::Fetch, &fr);
    let mut lt = ListOffsetsTopic::default();
    lt.name = TopicName(sb("s"));
    for (p, ts) in [(0, -1), (1, -2), (0, 1000), (7, -1)] {
        let mut lp = ListOffsetsPartition::default();
        lp.partition_index = p;
        lp.timestamp = ts;
        lt.partitions.push(lp);
    }
    let mut lr = ListOffsetsRequest::default();
    lr.replica_id = BrokerId(-1);
    lr.topics = vec![lt];
    sweep(&mut st, ApiKey::ListOffsets, &lr);
    let mut fc = FindCoordinatorRequest::default();
    fc.key = sb("g");
    sweep(&mut st, ApiKey::FindCoordinator, &fc);
    sweep(&mut st, ApiKey::FindCoordinator, &{
        fc.key_type = 5;
        fc
    });
    let mut ct = kafka_protocol::messages::create_topics_request::CreatableTopic::default();
    ct.name = TopicName(sb("new"));
    ct.num_partitions = 3;
    ct.replication_factor = 1;
    let mut cr = CreateTopicsRequest::default();
    cr.topics = vec![ct];
    sweep(&mut st, ApiKey::CreateTopics, &cr);
    let mut dt = DeleteTopicsRequest::default();
    dt.topic_names = vec![TopicName(sb("new")), TopicName(sb("nope"))];
    sweep(&mut st, ApiKey::DeleteTopics, &dt);
    let mut dc = DescribeConfigsRequest::default();
    let mut res = kafka_protocol::messages::describe_configs_request::DescribeConfigsResource::default();
    res.resource_type = 2;
    res.resource_name = sb("s");
    dc.resources = vec![res];
    sweep(&mut st, ApiKey::DescribeConfigs, &dc);
    // Group and transaction requests in their error paths (no members, no ids).
    sweep(&mut st, ApiKey::JoinGroup, &JoinGroupRequest::default());
    sweep(&mut st, ApiKey::SyncGroup, &SyncGroupRequest::default());
    sweep(&mut st, ApiKey::Heartbeat, &HeartbeatRequest::default());
    sweep(&mut st, ApiKey::LeaveGroup, &LeaveGroupRequest::default());
    sweep(&mut st, ApiKey::OffsetCommit, &OffsetCommitRequest::default());
    sweep(&mut st, ApiKey::OffsetFetch, &OffsetFetchRequest::default());
    sweep(&mut st, ApiKey::DescribeGroups, &DescribeGroupsRequest::default());
    sweep(&mut st, ApiKey::ListGroups, &ListGroupsRequest::default());
    sweep(&mut st, ApiKey::InitProducerId, &InitProducerIdRequest::default());
    sweep(&mut st, ApiKey::AddPartitionsToTxn, &AddPartitionsToTxnRequest::default());
    sweep(&mut st, ApiKey::AddOffsetsToTxn, &AddOffsetsToTxnRequest::default());
    sweep(&mut st, ApiKey::EndTxn, &EndTxnRequest::default());
    sweep(&mut st, ApiKey::TxnOffsetCommit, &TxnOffsetCommitRequest::default());
    let mut oe = OffsetForLeaderEpochRequest::default();
    let mut ot = kafka_protocol::messages::offset_for_leader_epoch_request::OffsetForLeaderTopic::default();
    ot.topic = TopicName(sb("s"));
    for (p, e) in [(0, 0), (1, 5), (8, 0)] {
        let mut op =
            kafka_protocol::messages::offset_for_leader_epoch_request::OffsetForLeaderPartition::default();
        op.partition = p;
        op.current_leader_epoch = -1;
        op.leader_epoch = e;
        ot.partitions.push(op);
    }
    oe.topics = vec![ot];
    sweep(&mut st, ApiKey::OffsetForLeaderEpoch, &oe);
    // KIP-951's fields: Produce and Fetch answers naming a new leader.
    st.partition_mut("s", 0)
        .expect("s")
        .errors
        .insert(0, vec![crate::error::ErrorCode::NOT_LEADER_OR_FOLLOWER; 20].into());
    st.partition_mut("s", 0)
        .expect("s")
        .errors
        .insert(1, vec![crate::error::ErrorCode::NOT_LEADER_OR_FOLLOWER; 20].into());
    sweep(&mut st, ApiKey::Produce, &pr);
    let fr_id = {
        let id = uuid::Uuid::from_bytes(st.topics["s"].id);
        let mut f = fr.clone();
        f.topics[0].topic_id = id;
        f
    };
    sweep(&mut st, ApiKey::Fetch, &fr_id);
}

#[test]
fn request_tracking_records_broker_api_and_time() {
    let c = Cluster::new(2).expect("cluster");
    c.topic_create("r", 1, 1).expect("create");
    let mut conn = Conn::to(&c, 2);
    conn.call::<_, ApiVersionsResponse>(ApiKey::ApiVersions, 3, &ApiVersionsRequest::default())
        .expect("untracked");
    c.track_requests(true);
    conn.call::<_, ApiVersionsResponse>(ApiKey::ApiVersions, 3, &ApiVersionsRequest::default()).expect("av");
    conn.call::<_, MetadataResponse>(ApiKey::Metadata, 9, &MetadataRequest::default()).expect("md");
    let r = c.requests();
    assert_eq!(r.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), vec![(2, 18), (2, 3)]);
    assert!(r[0].2 <= r[1].2, "in order of arrival");
    c.clear_requests();
    assert!(c.requests().is_empty());
    c.track_requests(false);
    conn.call::<_, MetadataResponse>(ApiKey::Metadata, 9, &MetadataRequest::default()).expect("md");
    assert!(c.requests().is_empty(), "not tracking");
}

#[test]
fn partition_errors_and_a_lagging_follower() {
    let c = Cluster::new(2).expect("cluster");
    c.topic_create("pf", 1, 2).expect("create");
    let l = leader(&c, "pf", 0);
    let mut conn = Conn::to(&c, l);
    produce(&mut conn, "pf", 0, batch(4, -1, -1, -1, 0));
    c.partition_push_request_errors(
        "pf",
        0,
        ApiKey::Produce as i16,
        &[crate::error::ErrorCode::NOT_ENOUGH_REPLICAS],
    )
    .expect("push");
    assert_eq!(produce(&mut conn, "pf", 0, batch(1, -1, -1, -1, 0)).0, 19, "the partition's error");
    assert_eq!(produce(&mut conn, "pf", 0, batch(1, -1, -1, -1, 0)), (0, 4), "one per request");
    let f = 3 - l;
    c.partition_set_follower("pf", 0, f as i32).expect("follower");
    c.partition_set_follower_wmarks("pf", 0, 1, 3).expect("wmarks");
    let mut fconn = Conn::to(&c, f);
    let (err, hw, offsets) = fetch(&mut fconn, "pf", 0, 1, 0);
    assert_eq!((err, hw), (0, 3), "the follower's high watermark");
    assert_eq!(offsets, vec![0, 1, 2, 3], "the batch holding offset 1, not past the follower's end");
    assert_eq!(fetch(&mut fconn, "pf", 0, 4, 0).0, 1, "beyond the follower's end: OFFSET_OUT_OF_RANGE");
    // hi is the follower's last offset, served too (librdkafka's mock and its 0104 test).
    c.partition_set_follower_wmarks("pf", 0, 1, 4).expect("wmarks");
    assert_eq!(fetch(&mut fconn, "pf", 0, 4, 0), (0, 4, vec![4]), "the batch at the follower's hi");
    c.partition_set_follower_wmarks("pf", 0, -1, -1).expect("wmarks");
    assert_eq!(fetch(&mut fconn, "pf", 0, 4, 0).1, 5, "the leader's watermarks again");
}

/// OffsetForLeaderEpoch answers from the epoch history (KIP-320); Produce v10 and
/// Fetch v16 name the current leader and its endpoint on NOT_LEADER_OR_FOLLOWER
/// (KIP-951); Fetch v13+ finds topics by id; a pushed leader response stands in for
/// the leader in the next Metadata answer only.
#[test]
fn leader_epochs_current_leaders_and_topic_ids() {
    use kafka_protocol::messages::offset_for_leader_epoch_request::{
        OffsetForLeaderPartition, OffsetForLeaderTopic,
    };
    let c = Cluster::new(2).expect("cluster");
    c.topic_create("le", 1, 2).expect("create");
    let l = leader(&c, "le", 0);
    let mut conn = Conn::to(&c, l);
    produce(&mut conn, "le", 0, batch(3, -1, -1, -1, 0));
    c.partition_set_leader("le", 0, l as i32).expect("same leader, epoch 1");
    produce(&mut conn, "le", 0, batch(2, -1, -1, -1, 0));
    c.partition_set_leader("le", 0, l as i32).expect("epoch 2");
    produce(&mut conn, "le", 0, batch(1, -1, -1, -1, 0));
    let ask = |conn: &mut Conn, current: i32, epoch: i32| {
        let mut p = OffsetForLeaderPartition::default();
        p.current_leader_epoch = current;
        p.leader_epoch = epoch;
        let mut t = OffsetForLeaderTopic::default();
        t.topic = TopicName(sb("le"));
        t.partitions = vec![p];
        let mut r = OffsetForLeaderEpochRequest::default();
        r.replica_id = BrokerId(-1);
        r.topics = vec![t];
        let resp: OffsetForLeaderEpochResponse =
            conn.call(ApiKey::OffsetForLeaderEpoch, 4, &r).expect("offset for leader epoch");
        let e = &resp.topics[0].partitions[0];
        (e.error_code, e.leader_epoch, e.end_offset)
    };
    assert_eq!(ask(&mut conn, 2, 0), (0, 0, 3), "epoch 0 ended where epoch 1 began");
    assert_eq!(ask(&mut conn, 2, 1), (0, 1, 5));
    assert_eq!(ask(&mut conn, 2, 2), (0, 2, 6), "the current epoch ends at the log end");
    assert_eq!(ask(&mut conn, 2, 7), (0, -1, -1), "an epoch newer than any");
    assert_eq!(ask(&mut conn, 1, 1).0, 74, "FENCED_LEADER_EPOCH: the client's epoch is old");
    assert_eq!(ask(&mut Conn::to(&c, 3 - l), -1, 1).0, 6, "only the leader answers");

    // KIP-951: a Produce v10 to the follower names the leader and where it listens.
    let other = 3 - l;
    let mut oconn = Conn::to(&c, other);
    let mut pd = PartitionProduceData::default();
    pd.records = Some(batch(1, -1, -1, -1, 0));
    let mut td = TopicProduceData::default();
    td.name = TopicName(sb("le"));
    td.partition_data = vec![pd];
    let mut pr = ProduceRequest::default();
    pr.acks = -1;
    pr.timeout_ms = 5000;
    pr.topic_data = vec![td];
    let resp: ProduceResponse = oconn.call(ApiKey::Produce, 10, &pr).expect("produce v10");
    let part = &resp.responses[0].partition_responses[0];
    assert_eq!(part.error_code, 6);
    assert_eq!((part.current_leader.leader_id, part.current_leader.leader_epoch), (BrokerId(l as i32), 2));
    let port: u16 = c
        .bootstraps()
        .split(',')
        .nth(l - 1)
        .and_then(|a| a.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert_eq!(resp.node_endpoints.len(), 1);
    assert_eq!(
        (resp.node_endpoints[0].node_id, resp.node_endpoints[0].port),
        (BrokerId(l as i32), port as i32)
    );

    // Fetch v16 by topic id; a pushed leader response is what the error names, once.
    let all = MetadataRequest::default().with_topics(None);
    let md: MetadataResponse = conn.call(ApiKey::Metadata, 12, &all).expect("metadata");
    let id = md
        .topics
        .iter()
        .find(|t| t.name.as_ref().is_some_and(|n| n.0.as_str() == "le"))
        .expect("le")
        .topic_id;
    c.partition_set_follower("le", 0, -1).expect("no follower");
    c.partition_push_leader_response("le", 0, other as i32, 9).expect("push");
    let fetch16 = |conn: &mut Conn, id: uuid::Uuid| {
        let mut fp = FetchPartition::default();
        fp.partition_max_bytes = 1 << 20;
        let mut ft = FetchTopic::default();
        ft.topic_id = id;
        ft.partitions = vec![fp];
        let mut r = FetchRequest::default();
        r.replica_id = BrokerId(-1);
        r.session_epoch = -1;
        r.max_bytes = 1 << 20;
        r.topics = vec![ft];
        conn.call::<_, FetchResponse>(ApiKey::Fetch, 16, &r).expect("fetch v16")
    };
    let f = fetch16(&mut conn, id);
    assert_eq!(f.responses[0].partitions[0].error_code, 0);
    assert_eq!(f.responses[0].partitions[0].high_watermark, 6, "found by id");
    let f = fetch16(&mut oconn, id);
    let p0 = &f.responses[0].partitions[0];
    assert_eq!(p0.error_code, 6);
    assert_eq!(
        (p0.current_leader.leader_id, p0.current_leader.leader_epoch),
        (BrokerId(other as i32), 9),
        "the pushed leader"
    );
    let f = fetch16(&mut oconn, id);
    assert_eq!(
        f.responses[0].partitions[0].current_leader.leader_id,
        BrokerId(l as i32),
        "then the real one"
    );
    assert_eq!(
        fetch16(&mut conn, uuid::Uuid::from_u128(7)).responses[0].partitions[0].error_code,
        100,
        "UNKNOWN_TOPIC_ID"
    );
    c.partition_push_leader_response("le", 0, other as i32, 9).expect("push");
    let mut mr = MetadataRequest::default();
    let mut mt = MetadataRequestTopic::default();
    mt.name = Some(TopicName(sb("le")));
    mr.topics = Some(vec![mt]);
    let leader_in = |conn: &mut Conn| {
        let md: MetadataResponse = conn.call(ApiKey::Metadata, 9, &mr).expect("metadata");
        (md.topics[0].partitions[0].leader_id, md.topics[0].partitions[0].leader_epoch)
    };
    assert_eq!(leader_in(&mut conn), (BrokerId(other as i32), 9), "the pushed leader in Metadata");
    assert_eq!(leader_in(&mut conn), (BrokerId(l as i32), 2), "once");
}
