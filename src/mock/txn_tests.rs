//! The transaction coordinator driven through `txn::serve`, requests encoded and
//! responses decoded as on the wire.

use super::*;
use crate::protocol::compression::Codec;
use crate::protocol::records::RecordBatchWriter;
use bytes::BytesMut;
use kafka_protocol::messages::add_partitions_to_txn_request::AddPartitionsToTxnTopic;
use kafka_protocol::messages::txn_offset_commit_request::{
    TxnOffsetCommitRequestPartition, TxnOffsetCommitRequestTopic,
};
use kafka_protocol::messages::{GroupId, TopicName, TransactionalId};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

const TX: &str = "tx";
const GROUP: &str = "g";
/// Broker 1 coordinates TX, broker 2 the group.
const TXN_COORD: i32 = 1;
const GROUP_COORD: i32 = 2;

fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

fn cluster() -> State {
    let mut st = State::new(&[1, 2, 3]);
    st.create_topic("t", 3, 1).expect("topic");
    st.coords.insert((1, TX.into()), TXN_COORD);
    st.coords.insert((0, GROUP.into()), GROUP_COORD);
    st
}

fn ctx(broker: i32) -> Ctx {
    Ctx {
        broker,
        conn: 1,
        first: true,
        expired: false,
        injected: ErrorCode::NO_ERROR,
        now: Instant::now(),
        now_ms: 1_000,
    }
}

/// Serves `m` as a request of `key`/`version` and decodes the response.
fn call<Q: Encodable, R: Decodable>(st: &mut State, c: &Ctx, key: ApiKey, version: i16, m: &Q) -> R {
    let mut b = BytesMut::new();
    m.encode(&mut b, version).expect("encode");
    let req =
        Request { api_key: key as i16, version, corr_id: 7, client_id: "test".into(), body: b.freeze() };
    let Ok(Outcome::Respond(frame)) = serve(st, key, &req, c) else { panic!("no response") };
    let header = 4 + if key.response_header_version(version) >= 1 { 1 } else { 0 };
    let mut body = frame.slice(4 + header..);
    assert_eq!(i32::from_be_bytes(frame[4..8].try_into().unwrap()), 7);
    R::decode(&mut body, version).expect("decode")
}

fn init(st: &mut State, c: &Ctx, v: i16, id: Option<&str>, pid: i64, epoch: i16) -> InitProducerIdResponse {
    let mut m = InitProducerIdRequest::default();
    m.transactional_id = id.map(|s| TransactionalId(sb(s)));
    m.transaction_timeout_ms = 60_000;
    m.producer_id = ProducerId(pid);
    m.producer_epoch = epoch;
    call(st, c, ApiKey::InitProducerId, v, &m)
}

/// (error, pid, epoch) of an InitProducerId.
fn init_tx(st: &mut State, v: i16, pid: i64, epoch: i16) -> (ErrorCode, i64, i16) {
    let r = init(st, &ctx(TXN_COORD), v, Some(TX), pid, epoch);
    (ErrorCode(r.error_code as i32), r.producer_id.0, r.producer_epoch)
}

/// Every partition's error of an AddPartitionsToTxn.
fn add_parts(st: &mut State, c: &Ctx, v: i16, pid: i64, epoch: i16, parts: &[(&str, i32)]) -> Vec<ErrorCode> {
    let mut m = AddPartitionsToTxnRequest::default();
    m.v3_and_below_transactional_id = TransactionalId(sb(TX));
    m.v3_and_below_producer_id = ProducerId(pid);
    m.v3_and_below_producer_epoch = epoch;
    for (t, p) in parts {
        let mut tp = AddPartitionsToTxnTopic::default();
        tp.name = TopicName(sb(t));
        tp.partitions = vec![*p];
        m.v3_and_below_topics.push(tp);
    }
    let r: AddPartitionsToTxnResponse = call(st, c, ApiKey::AddPartitionsToTxn, v, &m);
    let parts = r.results_by_topic_v3_and_below.iter().flat_map(|t| t.results_by_partition.iter());
    parts.map(|p| ErrorCode(p.partition_error_code as i32)).collect()
}

fn add_offsets(st: &mut State, c: &Ctx, pid: i64, epoch: i16) -> ErrorCode {
    let mut m = AddOffsetsToTxnRequest::default();
    m.transactional_id = TransactionalId(sb(TX));
    m.producer_id = ProducerId(pid);
    m.producer_epoch = epoch;
    m.group_id = GroupId(sb(GROUP));
    let r: AddOffsetsToTxnResponse = call(st, c, ApiKey::AddOffsetsToTxn, 3, &m);
    ErrorCode(r.error_code as i32)
}

fn commit_offset(st: &mut State, c: &Ctx, pid: i64, epoch: i16, partition: i32, offset: i64) -> ErrorCode {
    let mut p = TxnOffsetCommitRequestPartition::default();
    p.partition_index = partition;
    p.committed_offset = offset;
    p.committed_metadata = Some(sb("meta"));
    let mut t = TxnOffsetCommitRequestTopic::default();
    t.name = TopicName(sb("t"));
    t.partitions = vec![p];
    let mut m = TxnOffsetCommitRequest::default();
    m.transactional_id = TransactionalId(sb(TX));
    m.group_id = GroupId(sb(GROUP));
    m.producer_id = ProducerId(pid);
    m.producer_epoch = epoch;
    m.topics = vec![t];
    let r: TxnOffsetCommitResponse = call(st, c, ApiKey::TxnOffsetCommit, 3, &m);
    ErrorCode(r.topics[0].partitions[0].error_code as i32)
}

fn end(st: &mut State, c: &Ctx, v: i16, pid: i64, epoch: i16, commit: bool) -> ErrorCode {
    let mut m = EndTxnRequest::default();
    m.transactional_id = TransactionalId(sb(TX));
    m.producer_id = ProducerId(pid);
    m.producer_epoch = epoch;
    m.committed = commit;
    let r: EndTxnResponse = call(st, c, ApiKey::EndTxn, v, &m);
    ErrorCode(r.error_code as i32)
}

/// A transactional batch of one record appended to t/`partition`.
fn produce(st: &mut State, partition: i32, pid: i64, epoch: i16, seq: i32) -> i64 {
    let mut buf = Vec::new();
    let mut w = RecordBatchWriter::new(&mut buf, 1_000, pid, epoch, seq, true);
    w.append(&mut buf, 1_000, None, Some(b"v"), &[] as &[(&str, Option<&[u8]>)]).expect("append");
    w.finish(&mut buf, Codec::None, -1, &mut Vec::new()).expect("finish");
    st.partition_mut("t", partition).expect("partition").log.append(&buf, 1_000, 0).expect("log append")
}

/// An open transaction of TX on t/0 with one record written and an offset staged.
fn open_txn(st: &mut State) -> (i64, i16) {
    let (e, pid, epoch) = init_tx(st, 4, -1, -1);
    assert_eq!(e, ErrorCode::NO_ERROR);
    let c = ctx(TXN_COORD);
    assert_eq!(add_parts(st, &c, 3, pid, epoch, &[("t", 0)]), vec![ErrorCode::NO_ERROR]);
    assert_eq!(add_offsets(st, &c, pid, epoch), ErrorCode::NO_ERROR);
    produce(st, 0, pid, epoch, 0);
    assert_eq!(commit_offset(st, &ctx(GROUP_COORD), pid, epoch, 1, 42), ErrorCode::NO_ERROR);
    (pid, epoch)
}

fn log(st: &mut State, p: i32) -> &super::super::log::Log {
    &st.partition_mut("t", p).expect("partition").log
}

#[test]
fn idempotent_producer_ids_on_any_broker() {
    let mut st = cluster();
    let a = init(&mut st, &ctx(2), 1, None, -1, -1);
    let b = init(&mut st, &ctx(3), 4, None, -1, -1);
    assert_eq!((a.error_code, a.producer_id.0, a.producer_epoch), (0, 1000, 0));
    assert_eq!((b.error_code, b.producer_id.0, b.producer_epoch), (0, 1001, 0));
    // KIP-360: the current epoch is bumped; an older one is fenced.
    let r = init(&mut st, &ctx(1), 3, None, 1000, 0);
    assert_eq!((r.error_code, r.producer_id.0, r.producer_epoch), (0, 1000, 1));
    let r = init(&mut st, &ctx(1), 4, None, 1000, 1);
    assert_eq!((r.producer_id.0, r.producer_epoch), (1000, 2));
    let r = init(&mut st, &ctx(1), 4, None, 1000, 0);
    assert_eq!(ErrorCode(r.error_code as i32), ErrorCode::PRODUCER_FENCED);
    let r = init(&mut st, &ctx(1), 3, None, 1000, 0);
    assert_eq!(ErrorCode(r.error_code as i32), ErrorCode::INVALID_PRODUCER_EPOCH);
    // An id this cluster never issued starts afresh.
    let r = init(&mut st, &ctx(1), 4, None, 5, 3);
    assert_eq!((r.error_code, r.producer_id.0, r.producer_epoch), (0, 1002, 0));
}

#[test]
fn init_producer_id_new_bump_fence() {
    let mut st = cluster();
    assert_eq!(init_tx(&mut st, 1, -1, -1), (ErrorCode::NO_ERROR, 1000, 0));
    // A restarted producer (no pid named) bumps the epoch, fencing the old one.
    assert_eq!(init_tx(&mut st, 1, -1, -1), (ErrorCode::NO_ERROR, 1000, 1));
    assert_eq!(init_tx(&mut st, 4, 1000, 1), (ErrorCode::NO_ERROR, 1000, 2));
    // A retry of that bump gets the same answer.
    assert_eq!(init_tx(&mut st, 4, 1000, 1), (ErrorCode::NO_ERROR, 1000, 2));
    assert_eq!(init_tx(&mut st, 4, 1000, 0).0, ErrorCode::PRODUCER_FENCED);
    assert_eq!(init_tx(&mut st, 3, 1000, 0).0, ErrorCode::INVALID_PRODUCER_EPOCH);
    assert_eq!(init_tx(&mut st, 4, 999, 2).0, ErrorCode::PRODUCER_FENCED);
    // An exhausted epoch moves to a new producer id.
    st.txns.by_id.get_mut(TX).expect("txn").producer.epoch = i16::MAX - 1;
    assert_eq!(init_tx(&mut st, 4, 1000, i16::MAX - 1), (ErrorCode::NO_ERROR, 1001, 0));
}

#[test]
fn init_producer_id_checks() {
    let mut st = cluster();
    let r = init(&mut st, &ctx(3), 4, Some(TX), -1, -1);
    assert_eq!((ErrorCode(r.error_code as i32), r.producer_id.0), (ErrorCode::NOT_COORDINATOR, -1));
    let mut m = InitProducerIdRequest::default();
    m.transactional_id = Some(TransactionalId(sb(TX)));
    m.transaction_timeout_ms = MAX_TIMEOUT_MS + 1;
    let r: InitProducerIdResponse = call(&mut st, &ctx(TXN_COORD), ApiKey::InitProducerId, 4, &m);
    assert_eq!(ErrorCode(r.error_code as i32), ErrorCode::INVALID_TRANSACTION_TIMEOUT);
    let mut c = ctx(TXN_COORD);
    c.injected = ErrorCode::COORDINATOR_LOAD_IN_PROGRESS;
    let r = init(&mut st, &c, 4, Some(TX), -1, -1);
    assert_eq!(ErrorCode(r.error_code as i32), ErrorCode::COORDINATOR_LOAD_IN_PROGRESS);
    assert!(st.txns.by_id.is_empty(), "injected errors do no work");
}

#[test]
fn committed_transaction() {
    let mut st = cluster();
    let (pid, epoch) = open_txn(&mut st);
    assert_eq!((log(&mut st, 0).lso(), log(&mut st, 0).end), (0, 1));
    assert!(st.txns.pending_offsets(GROUP, "t", 1));
    assert!(st.groups.committed(GROUP, "t", 1).is_none());
    assert_eq!(end(&mut st, &ctx(TXN_COORD), 3, pid, epoch, true), ErrorCode::NO_ERROR);
    // The commit marker follows the record; the LSO reaches the end.
    assert_eq!((log(&mut st, 0).lso(), log(&mut st, 0).end), (2, 2));
    assert!(log(&mut st, 0).read(0, 1 << 20, true).aborted.is_empty());
    assert!(!st.txns.pending_offsets(GROUP, "t", 1));
    let c = st.groups.committed(GROUP, "t", 1).expect("offset committed");
    assert_eq!((c.offset, c.metadata.as_deref()), (42, Some("meta")));
    // The next transaction of the same producer.
    assert_eq!(add_parts(&mut st, &ctx(TXN_COORD), 3, pid, epoch, &[("t", 2)]), vec![ErrorCode::NO_ERROR]);
}

#[test]
fn aborted_transaction() {
    let mut st = cluster();
    let (pid, epoch) = open_txn(&mut st);
    assert_eq!(end(&mut st, &ctx(TXN_COORD), 3, pid, epoch, false), ErrorCode::NO_ERROR);
    let read = log(&mut st, 0).read(0, 1 << 20, true);
    assert_eq!(read.aborted.len(), 1);
    assert_eq!((read.aborted[0].pid, read.aborted[0].first, read.aborted[0].last), (pid, 0, 1));
    assert_eq!(log(&mut st, 0).lso(), 2);
    assert!(st.groups.committed(GROUP, "t", 1).is_none(), "offsets dropped");
    assert!(!st.txns.pending_offsets(GROUP, "t", 1));
}

#[test]
fn end_txn_retry_and_state() {
    let mut st = cluster();
    let c = ctx(TXN_COORD);
    let (_, pid, epoch) = init_tx(&mut st, 4, -1, -1);
    assert_eq!(end(&mut st, &c, 3, pid, epoch, true), ErrorCode::INVALID_TXN_STATE, "nothing open");
    assert_eq!(add_parts(&mut st, &c, 3, pid, epoch, &[("t", 0)]), vec![ErrorCode::NO_ERROR]);
    assert_eq!(end(&mut st, &c, 3, pid + 1, epoch, true), ErrorCode::INVALID_PRODUCER_ID_MAPPING);
    assert_eq!(end(&mut st, &c, 3, pid, epoch + 1, true), ErrorCode::PRODUCER_FENCED);
    assert_eq!(end(&mut st, &c, 1, pid, epoch + 1, true), ErrorCode::INVALID_PRODUCER_EPOCH);
    assert_eq!(end(&mut st, &c, 3, pid, epoch, true), ErrorCode::NO_ERROR);
    // Nothing was written to t/0: no marker.
    assert_eq!(log(&mut st, 0).end, 0);
    assert_eq!(end(&mut st, &c, 3, pid, epoch, true), ErrorCode::NO_ERROR, "a retry");
    assert_eq!(end(&mut st, &c, 3, pid, epoch, false), ErrorCode::INVALID_TXN_STATE);
}

#[test]
fn not_coordinator() {
    let mut st = cluster();
    let (pid, epoch) = open_txn(&mut st);
    let other = ctx(3);
    assert_eq!(add_parts(&mut st, &other, 3, pid, epoch, &[("t", 1)]), vec![ErrorCode::NOT_COORDINATOR]);
    assert_eq!(add_offsets(&mut st, &other, pid, epoch), ErrorCode::NOT_COORDINATOR);
    assert_eq!(end(&mut st, &other, 3, pid, epoch, true), ErrorCode::NOT_COORDINATOR);
    // TxnOffsetCommit goes to the group's coordinator, not the transaction's.
    assert_eq!(commit_offset(&mut st, &ctx(TXN_COORD), pid, epoch, 1, 7), ErrorCode::NOT_COORDINATOR);
    assert_eq!(commit_offset(&mut st, &ctx(GROUP_COORD), pid, epoch + 1, 1, 7), ErrorCode::PRODUCER_FENCED);
    assert_eq!(commit_offset(&mut st, &ctx(GROUP_COORD), 5, 0, 1, 7), ErrorCode::INVALID_PRODUCER_ID_MAPPING);
}

#[test]
fn add_partitions_unknown_and_injected() {
    let mut st = cluster();
    let c = ctx(TXN_COORD);
    let (_, pid, epoch) = init_tx(&mut st, 4, -1, -1);
    let parts = [("t", 0), ("nosuch", 0), ("t", 9)];
    let want = vec![
        ErrorCode::OPERATION_NOT_ATTEMPTED,
        ErrorCode::UNKNOWN_TOPIC_OR_PART,
        ErrorCode::UNKNOWN_TOPIC_OR_PART,
    ];
    assert_eq!(add_parts(&mut st, &c, 3, pid, epoch, &parts), want);
    let mut inj = ctx(TXN_COORD);
    inj.injected = ErrorCode::CONCURRENT_TRANSACTIONS;
    let got = add_parts(&mut st, &inj, 3, pid, epoch, &[("t", 0), ("t", 1)]);
    assert_eq!(got, vec![ErrorCode::CONCURRENT_TRANSACTIONS; 2]);
    assert_eq!(st.txns.by_id[TX].phase, Phase::Empty, "nothing added");
    assert_eq!(
        add_parts(&mut st, &c, 0, pid, epoch - 1, &[("t", 0)]),
        vec![ErrorCode::INVALID_PRODUCER_EPOCH]
    );
}

#[test]
fn init_aborts_the_previous_producers_transaction() {
    let mut st = cluster();
    let (pid, epoch) = open_txn(&mut st);
    assert_eq!(init_tx(&mut st, 4, -1, -1), (ErrorCode::NO_ERROR, pid, epoch + 1));
    let read = log(&mut st, 0).read(0, 1 << 20, true);
    assert_eq!(read.aborted.len(), 1);
    assert_eq!(log(&mut st, 0).lso(), 2);
    assert!(!st.txns.pending_offsets(GROUP, "t", 1));
    assert!(st.groups.committed(GROUP, "t", 1).is_none());
    assert_eq!(end(&mut st, &ctx(TXN_COORD), 3, pid, epoch, false), ErrorCode::PRODUCER_FENCED);
}

#[test]
fn timeout_aborts_and_fences() {
    let mut st = cluster();
    let mut m = InitProducerIdRequest::default();
    m.transactional_id = Some(TransactionalId(sb(TX)));
    m.transaction_timeout_ms = 100;
    m.producer_id = ProducerId(-1);
    m.producer_epoch = -1;
    let c = ctx(TXN_COORD);
    let r: InitProducerIdResponse = call(&mut st, &c, ApiKey::InitProducerId, 4, &m);
    let (pid, epoch) = (r.producer_id.0, r.producer_epoch);
    assert_eq!(add_parts(&mut st, &c, 3, pid, epoch, &[("t", 0)]), vec![ErrorCode::NO_ERROR]);
    produce(&mut st, 0, pid, epoch, 0);
    tick(&mut st, c.now + Duration::from_millis(50));
    assert_eq!(log(&mut st, 0).lso(), 0, "not timed out yet");
    let changes = st.changes;
    tick(&mut st, c.now + Duration::from_millis(150));
    assert!(st.changes != changes);
    assert_eq!(log(&mut st, 0).lso(), 2);
    assert_eq!(log(&mut st, 0).read(0, 1 << 20, true).aborted.len(), 1);
    // The producer is fenced, and cannot bump its way back in.
    assert_eq!(end(&mut st, &c, 3, pid, epoch, true), ErrorCode::PRODUCER_FENCED);
    assert_eq!(add_parts(&mut st, &c, 1, pid, epoch, &[("t", 0)]), vec![ErrorCode::INVALID_PRODUCER_EPOCH]);
    assert_eq!(init_tx(&mut st, 4, pid, epoch).0, ErrorCode::PRODUCER_FENCED);
    // A new producer of the id takes over.
    assert_eq!(init_tx(&mut st, 4, -1, -1), (ErrorCode::NO_ERROR, pid, epoch + 2));
}
