//! The group coordinator driven request by request, as net.rs serves it.

use super::*;
use crate::mock::reply::{Ctx, Outcome};
use crate::mock::state::State;
use kafka_protocol::messages::ApiKey;

/// The dispatcher as net.rs calls it.
fn serve(st: &mut State, _key: ApiKey, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    Ok(crate::mock::serve::serve(st, req, ctx))
}

fn tick(st: &mut State, now: Instant) {
    crate::mock::serve::tick(st, now)
}
use bytes::{Buf, BytesMut};
use kafka_protocol::messages::describe_groups_response::DescribedGroup;
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::leave_group_request::MemberIdentity;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestTopic;
use kafka_protocol::messages::sync_group_request::SyncGroupRequestAssignment;
use kafka_protocol::messages::{
    DeleteGroupsRequest, DeleteGroupsResponse, DescribeGroupsRequest, DescribeGroupsResponse, GroupId,
    HeartbeatResponse, LeaveGroupRequest, LeaveGroupResponse, ListGroupsRequest, ListGroupsResponse,
    OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, SyncGroupResponse,
    TopicName,
};
use kafka_protocol::protocol::{Decodable, Encodable};

const G: &str = "g";

struct H {
    st: State,
    now: Instant,
    broker: i32,
}

impl H {
    fn new(delay_ms: u64) -> H {
        let mut st = State::new(&[9001, 9002, 9003]);
        st.groups.initial_delay_ms = delay_ms;
        let broker = st.coordinator(0, G);
        H { st, now: Instant::now(), broker }
    }

    fn later(&mut self, n: u64) {
        self.now += ms(n);
    }

    fn ctx(&self, conn: u64, first: bool, injected: ErrorCode) -> Ctx {
        Ctx { broker: self.broker, conn, first, expired: false, injected, now: self.now, now_ms: 0 }
    }

    /// Serves a request for the first time.
    fn send<T: Encodable>(&mut self, key: ApiKey, version: i16, conn: u64, m: &T) -> (Request, Outcome) {
        let req = request(key, version, m);
        let o = self.serve(&req, self.ctx(conn, true, ErrorCode::NO_ERROR));
        (req, o)
    }

    /// Serves a parked request again.
    fn again(&mut self, req: &Request, conn: u64) -> Outcome {
        self.serve(req, self.ctx(conn, false, ErrorCode::NO_ERROR))
    }

    fn serve(&mut self, req: &Request, ctx: Ctx) -> Outcome {
        let key = ApiKey::try_from(req.api_key).expect("key");
        serve(&mut self.st, key, req, &ctx).unwrap_or_else(|o| o)
    }

    /// Sends a request that must be answered at once, and decodes the answer.
    fn call<T: Encodable, R: Decodable>(&mut self, key: ApiKey, version: i16, conn: u64, m: &T) -> R {
        let (req, o) = self.send(key, version, conn, m);
        answer(&req, o)
    }

    fn tick(&mut self) {
        tick(&mut self.st, self.now);
    }
}

fn request<T: Encodable>(key: ApiKey, version: i16, m: &T) -> Request {
    let mut b = BytesMut::new();
    m.encode(&mut b, version).expect("encodes");
    Request { api_key: key as i16, version, corr_id: 7, client_id: "cl".into(), body: b.freeze() }
}

/// Decodes a response frame: size, header (with tagged fields if flexible), body.
fn answer<R: Decodable>(req: &Request, o: Outcome) -> R {
    let Outcome::Respond(mut f) = o else { panic!("expected a response") };
    let key = ApiKey::try_from(req.api_key).expect("key");
    f.advance(8);
    if key.response_header_version(req.version) >= 1 {
        f.advance(1);
    }
    R::decode(&mut f, req.version).expect("decodes")
}

fn parked(o: &Outcome) -> bool {
    matches!(o, Outcome::Park(_))
}

fn join_req(member: &str) -> JoinGroupRequest {
    let p = JoinGroupRequestProtocol::default().with_name(sb("range")).with_metadata(Bytes::from("sub:t"));
    JoinGroupRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_session_timeout_ms(10_000)
        .with_rebalance_timeout_ms(20_000)
        .with_member_id(sb(member))
        .with_protocol_type(sb("consumer"))
        .with_protocols(vec![p])
}

fn sync_req(member: &str, generation: i32, assign: &[(&str, &'static str)]) -> SyncGroupRequest {
    let a = assign
        .iter()
        .map(|(m, a)| {
            SyncGroupRequestAssignment::default().with_member_id(sb(m)).with_assignment(Bytes::from(*a))
        })
        .collect();
    SyncGroupRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_generation_id(generation)
        .with_member_id(sb(member))
        .with_assignments(a)
}

fn hb_req(member: &str, generation: i32) -> HeartbeatRequest {
    HeartbeatRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_generation_id(generation)
        .with_member_id(sb(member))
}

fn heartbeat_error(h: &mut H, member: &str, generation: i32) -> i16 {
    let r: HeartbeatResponse = h.call(ApiKey::Heartbeat, 4, 1, &hb_req(member, generation));
    r.error_code
}

/// KIP-394: the first join is told its member id.
fn member_id(h: &mut H, conn: u64) -> String {
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, conn, &join_req(""));
    assert_eq!(r.error_code, code(ErrorCode::MEMBER_ID_REQUIRED));
    assert!(r.member_id.starts_with("cl-"), "{}", r.member_id.as_str());
    r.member_id.to_string()
}

/// Two members in a Stable group of generation 2, a leading; returns (a, b).
fn stable_pair(h: &mut H) -> (String, String) {
    let a = member_id(h, 1);
    // The first join of an Empty group with no initial delay completes at once.
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    assert_eq!((r.error_code, r.generation_id, r.leader.as_str()), (0, 1, a.as_str()));
    assert_eq!(r.members.len(), 1);
    let b = member_id(h, 2);
    let (join_b, o) = h.send(ApiKey::JoinGroup, 7, 2, &join_req(&b));
    assert!(parked(&o), "b waits for a to rejoin");
    assert_eq!(heartbeat_error(h, &a, 1), code(ErrorCode::REBALANCE_IN_PROGRESS));
    let ra: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    let rb: JoinGroupResponse = answer(&join_b, h.again(&join_b, 2));
    assert_eq!((ra.error_code, ra.generation_id, ra.leader.as_str()), (0, 2, a.as_str()));
    assert_eq!((rb.error_code, rb.generation_id, rb.leader.as_str()), (0, 2, a.as_str()));
    assert_eq!(rb.member_id.as_str(), b);
    assert_eq!(ra.protocol_name.as_deref(), Some("range"));
    assert_eq!(ra.protocol_type.as_deref(), Some("consumer"));
    let mut listed: Vec<&str> = ra.members.iter().map(|m| m.member_id.as_str()).collect();
    listed.sort();
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort();
    assert_eq!(listed, want, "the leader learns every member");
    assert!(ra.members.iter().all(|m| m.metadata == "sub:t"));
    assert!(rb.members.is_empty(), "followers are not told the members");
    // A follower waits for the leader's assignment.
    let (sync_b, o) = h.send(ApiKey::SyncGroup, 5, 2, &sync_req(&b, 2, &[]));
    assert!(parked(&o));
    assert!(parked(&h.again(&sync_b, 2)), "still no assignment");
    let sa: SyncGroupResponse =
        h.call(ApiKey::SyncGroup, 5, 1, &sync_req(&a, 2, &[(a.as_str(), "for-a"), (b.as_str(), "for-b")]));
    assert_eq!((sa.error_code, sa.assignment.as_ref()), (0, b"for-a".as_ref()));
    assert_eq!(sa.protocol_name.as_deref(), Some("range"));
    let sb_: SyncGroupResponse = answer(&sync_b, h.again(&sync_b, 2));
    assert_eq!((sb_.error_code, sb_.assignment.as_ref()), (0, b"for-b".as_ref()));
    (a, b)
}

fn describe(h: &mut H) -> DescribedGroup {
    let m = DescribeGroupsRequest::default().with_groups(vec![GroupId(sb(G))]);
    let mut r: DescribeGroupsResponse = h.call(ApiKey::DescribeGroups, 5, 1, &m);
    r.groups.remove(0)
}

#[test]
fn two_members_join_and_sync_assignments() {
    let mut h = H::new(0);
    let (a, b) = stable_pair(&mut h);
    assert_eq!(heartbeat_error(&mut h, &a, 2), 0);
    assert_eq!(heartbeat_error(&mut h, &b, 1), code(ErrorCode::ILLEGAL_GENERATION));
    assert_eq!(heartbeat_error(&mut h, "nobody", 2), code(ErrorCode::UNKNOWN_MEMBER_ID));
    let d = describe(&mut h);
    assert_eq!((d.error_code, d.group_state.as_str(), d.protocol_data.as_str()), (0, "Stable", "range"));
    assert_eq!(d.protocol_type.as_str(), "consumer");
    assert_eq!(d.members.len(), 2);
    let db = d.members.iter().find(|m| m.member_id.as_str() == b).expect("b described");
    assert_eq!((db.client_id.as_str(), db.client_host.as_str()), ("cl", "/127.0.0.1"));
    assert_eq!(db.member_assignment, Bytes::from("for-b"));
    // A rejoining follower with unchanged metadata is answered without a rebalance.
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 2, &join_req(&b));
    assert_eq!((r.error_code, r.generation_id), (0, 2));
    assert_eq!(describe(&mut h).group_state.as_str(), "Stable");
}

#[test]
fn initial_delay_extends_while_members_join() {
    let mut h = H::new(3000);
    // v3 joins without a member id directly; the parked requests are found by connection.
    let (ja, o) = h.send(ApiKey::JoinGroup, 3, 1, &join_req(""));
    assert!(parked(&o));
    h.later(1000);
    let (jb, o) = h.send(ApiKey::JoinGroup, 3, 2, &join_req(""));
    assert!(parked(&o));
    assert_eq!(describe(&mut h).group_state.as_str(), "PreparingRebalance");
    h.later(2100);
    h.tick();
    assert!(parked(&h.again(&ja, 1)), "b joined in the window: another delay");
    h.later(3000);
    h.tick();
    let ra: JoinGroupResponse = answer(&ja, h.again(&ja, 1));
    let rb: JoinGroupResponse = answer(&jb, h.again(&jb, 2));
    assert_eq!((ra.error_code, ra.generation_id, rb.generation_id), (0, 1, 1));
    assert_eq!(ra.leader, ra.member_id, "the first to join leads");
    assert_eq!(rb.leader, ra.member_id);
    assert_eq!(ra.members.len(), 2);
    assert_ne!(ra.member_id, rb.member_id);
}

#[test]
fn inconsistent_protocols_are_refused() {
    let mut h = H::new(0);
    let (a, _b) = stable_pair(&mut h);
    let _ = a;
    let c = member_id(&mut h, 3);
    let other = JoinGroupRequestProtocol::default().with_name(sb("roundrobin"));
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 3, &join_req(&c).with_protocols(vec![other]));
    assert_eq!(r.error_code, code(ErrorCode::INCONSISTENT_GROUP_PROTOCOL));
    let r: JoinGroupResponse =
        h.call(ApiKey::JoinGroup, 7, 3, &join_req(&c).with_protocol_type(sb("connect")));
    assert_eq!(r.error_code, code(ErrorCode::INCONSISTENT_GROUP_PROTOCOL));
}

#[test]
fn expired_session_removes_the_member() {
    let mut h = H::new(0);
    let (a, b) = stable_pair(&mut h);
    h.later(8000);
    assert_eq!(heartbeat_error(&mut h, &a, 2), 0);
    h.later(3000);
    let before = h.st.changes;
    h.tick();
    assert_ne!(h.st.changes, before, "parked requests are served again");
    assert_eq!(heartbeat_error(&mut h, &a, 2), code(ErrorCode::REBALANCE_IN_PROGRESS));
    assert_eq!(heartbeat_error(&mut h, &b, 2), code(ErrorCode::UNKNOWN_MEMBER_ID));
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    assert_eq!((r.error_code, r.generation_id, r.members.len()), (0, 3, 1));
}

#[test]
fn rebalance_timeout_drops_members_that_do_not_rejoin() {
    let mut h = H::new(0);
    let (a, b) = stable_pair(&mut h);
    let c = member_id(&mut h, 3);
    let (jc, o) = h.send(ApiKey::JoinGroup, 7, 3, &join_req(&c));
    assert!(parked(&o));
    // a keeps its session alive but never rejoins; b rejoins.
    let (jb, o) = h.send(ApiKey::JoinGroup, 7, 2, &join_req(&b));
    assert!(parked(&o));
    for _ in 0..4 {
        h.later(5000);
        heartbeat_error(&mut h, &a, 2);
    }
    h.later(1);
    h.tick();
    let rb: JoinGroupResponse = answer(&jb, h.again(&jb, 2));
    let rc: JoinGroupResponse = answer(&jc, h.again(&jc, 3));
    assert_eq!((rb.generation_id, rc.generation_id), (3, 3));
    assert_eq!(rb.leader.as_str(), b, "the old leader left: the first remaining leads");
    assert_eq!(rb.members.len(), 2);
    assert_eq!(heartbeat_error(&mut h, &a, 3), code(ErrorCode::UNKNOWN_MEMBER_ID));
}

#[test]
fn leave_group_rebalances_then_empties() {
    let mut h = H::new(0);
    let (a, b) = stable_pair(&mut h);
    let (sync_a, o) = h.send(ApiKey::SyncGroup, 3, 1, &sync_req(&a, 2, &[]));
    assert!(!parked(&o), "Stable: the assignment is returned");
    let _ = sync_a;
    let m = LeaveGroupRequest::default().with_group_id(GroupId(sb(G))).with_members(vec![
        MemberIdentity::default().with_member_id(sb(&b)),
        MemberIdentity::default().with_member_id(sb("x")),
    ]);
    let r: LeaveGroupResponse = h.call(ApiKey::LeaveGroup, 4, 2, &m);
    assert_eq!(r.error_code, 0);
    let errs: Vec<i16> = r.members.iter().map(|m| m.error_code).collect();
    assert_eq!(errs, vec![0, code(ErrorCode::UNKNOWN_MEMBER_ID)]);
    assert_eq!(describe(&mut h).group_state.as_str(), "PreparingRebalance");
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    assert_eq!((r.error_code, r.generation_id, r.members.len()), (0, 3, 1));
    let m = LeaveGroupRequest::default().with_group_id(GroupId(sb(G))).with_member_id(sb(&a));
    let r: LeaveGroupResponse = h.call(ApiKey::LeaveGroup, 1, 1, &m);
    assert_eq!(r.error_code, 0);
    let d = describe(&mut h);
    assert_eq!((d.group_state.as_str(), d.members.len()), ("Empty", 0));
    let r: LeaveGroupResponse = h.call(ApiKey::LeaveGroup, 1, 1, &m);
    assert_eq!(r.error_code, code(ErrorCode::UNKNOWN_MEMBER_ID));
}

#[test]
fn sync_waiting_for_a_leader_is_told_of_a_new_rebalance() {
    let mut h = H::new(0);
    let a = member_id(&mut h, 1);
    let _: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    let b = member_id(&mut h, 2);
    let (jb, _) = h.send(ApiKey::JoinGroup, 7, 2, &join_req(&b));
    let _: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(&a));
    let _: JoinGroupResponse = answer(&jb, h.again(&jb, 2));
    let (sync_b, o) = h.send(ApiKey::SyncGroup, 5, 2, &sync_req(&b, 2, &[]));
    assert!(parked(&o));
    let c = member_id(&mut h, 3);
    let (_jc, o) = h.send(ApiKey::JoinGroup, 7, 3, &join_req(&c));
    assert!(parked(&o));
    let r: SyncGroupResponse = answer(&sync_b, h.again(&sync_b, 2));
    assert_eq!(r.error_code, code(ErrorCode::REBALANCE_IN_PROGRESS));
}

fn commit_req(member: &str, generation: i32, parts: &[i32], offset: i64) -> OffsetCommitRequest {
    let ps = parts
        .iter()
        .map(|&p| {
            OffsetCommitRequestPartition::default()
                .with_partition_index(p)
                .with_committed_offset(offset + p as i64)
                .with_committed_leader_epoch(4)
                .with_committed_metadata(Some(sb("md")))
        })
        .collect();
    let t = OffsetCommitRequestTopic::default().with_name(TopicName(sb("t"))).with_partitions(ps);
    OffsetCommitRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_generation_id_or_member_epoch(generation)
        .with_member_id(sb(member))
        .with_topics(vec![t])
}

fn commit_errors(r: &OffsetCommitResponse) -> Vec<i16> {
    r.topics[0].partitions.iter().map(|p| p.error_code).collect()
}

#[test]
fn offset_commit_and_fetch_round_trip() {
    let mut h = H::new(0);
    h.st.create_topic("t", 2, 1).expect("topic");
    // Commits name leader epoch 4: the partitions are at 4 (a newer one is refused).
    for p in 0..2 {
        h.st.partition_mut("t", p).expect("partition").leader_epoch = 4;
    }
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req("", -1, &[0, 1, 5], 100));
    assert_eq!(commit_errors(&r), vec![0, 0, code(ErrorCode::UNKNOWN_TOPIC_OR_PART)]);
    let c = h.st.groups.committed(G, "t", 1).expect("stored");
    assert_eq!((c.offset, c.leader_epoch, c.metadata.as_deref()), (101, 4, Some("md")));
    // v7 without topics: everything the group committed.
    let r: OffsetFetchResponse = h.call(
        ApiKey::OffsetFetch,
        7,
        1,
        &OffsetFetchRequest::default().with_group_id(GroupId(sb(G))).with_topics(None),
    );
    assert_eq!((r.error_code, r.topics.len()), (0, 1));
    let got: Vec<(i32, i64, i32)> = r.topics[0]
        .partitions
        .iter()
        .map(|p| (p.partition_index, p.committed_offset, p.committed_leader_epoch))
        .collect();
    assert_eq!(got, vec![(0, 100, 4), (1, 101, 4)]);
    // v1 with topics: an uncommitted partition answers -1.
    let t =
        OffsetFetchRequestTopic::default().with_name(TopicName(sb("t"))).with_partition_indexes(vec![0, 3]);
    let m = OffsetFetchRequest::default().with_group_id(GroupId(sb(G))).with_topics(Some(vec![t]));
    let r: OffsetFetchResponse = h.call(ApiKey::OffsetFetch, 1, 1, &m);
    let got: Vec<(i64, i16, Option<&str>)> = r.topics[0]
        .partitions
        .iter()
        .map(|p| (p.committed_offset, p.error_code, p.metadata.as_deref()))
        .collect();
    assert_eq!(got, vec![(100, 0, Some("md")), (-1, 0, Some(""))]);
}

#[test]
fn offset_commit_checks_member_and_generation() {
    let mut h = H::new(0);
    h.st.create_topic("t", 1, 1).expect("topic");
    h.st.partition_mut("t", 0).expect("partition").leader_epoch = 4;
    let (a, _b) = stable_pair(&mut h);
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req(&a, 2, &[0], 5));
    assert_eq!(commit_errors(&r), vec![0]);
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req(&a, 1, &[0], 5));
    assert_eq!(commit_errors(&r), vec![code(ErrorCode::ILLEGAL_GENERATION)]);
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req("who", 2, &[0], 5));
    assert_eq!(commit_errors(&r), vec![code(ErrorCode::UNKNOWN_MEMBER_ID)]);
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req("", -1, &[0], 5));
    assert_eq!(commit_errors(&r), vec![code(ErrorCode::UNKNOWN_MEMBER_ID)], "not a simple group");
}

#[test]
fn wrong_broker_answers_not_coordinator() {
    let mut h = H::new(0);
    h.broker = h.broker % 3 + 1;
    let nc = code(ErrorCode::NOT_COORDINATOR);
    let r: JoinGroupResponse = h.call(ApiKey::JoinGroup, 7, 1, &join_req(""));
    assert_eq!(r.error_code, nc);
    assert_eq!(heartbeat_error(&mut h, "m", 1), nc);
    let r: OffsetFetchResponse = h.call(
        ApiKey::OffsetFetch,
        7,
        1,
        &OffsetFetchRequest::default().with_group_id(GroupId(sb(G))).with_topics(None),
    );
    assert_eq!(r.error_code, nc);
    let r: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req("", -1, &[0], 1));
    assert_eq!(commit_errors(&r), vec![nc]);
    assert_eq!(describe(&mut h).error_code, nc);
    assert!(h.st.groups.table.is_empty() && h.st.groups.offsets.is_empty());
}

#[test]
fn injected_error_is_the_answer() {
    let mut h = H::new(0);
    h.st.create_topic("t", 2, 1).expect("topic");
    let req = request(ApiKey::OffsetCommit, 8, &commit_req("", -1, &[0, 1], 1));
    let o = h.serve(&req, h.ctx(1, true, ErrorCode::COORDINATOR_LOAD_IN_PROGRESS));
    let r: OffsetCommitResponse = answer(&req, o);
    assert_eq!(commit_errors(&r), vec![code(ErrorCode::COORDINATOR_LOAD_IN_PROGRESS); 2]);
    assert!(h.st.groups.committed(G, "t", 0).is_none());
    let req = request(ApiKey::JoinGroup, 7, &join_req(""));
    let o = h.serve(&req, h.ctx(1, true, ErrorCode::COORDINATOR_NOT_AVAILABLE));
    let r: JoinGroupResponse = answer(&req, o);
    assert_eq!(r.error_code, code(ErrorCode::COORDINATOR_NOT_AVAILABLE));
}

#[test]
fn list_describe_and_delete_groups() {
    let mut h = H::new(0);
    h.st.create_topic("t", 1, 1).expect("topic");
    let d = describe(&mut h);
    assert_eq!((d.error_code, d.group_state.as_str()), (0, "Dead"));
    let (a, _b) = stable_pair(&mut h);
    let r: ListGroupsResponse = h.call(ApiKey::ListGroups, 4, 1, &ListGroupsRequest::default());
    let listed: Vec<(&str, &str, &str)> = r
        .groups
        .iter()
        .map(|g| (g.group_id.0.as_str(), g.protocol_type.as_str(), g.group_state.as_str()))
        .collect();
    assert_eq!(listed, vec![(G, "consumer", "Stable")]);
    let filtered = ListGroupsRequest::default().with_states_filter(vec![sb("Empty")]);
    let r: ListGroupsResponse = h.call(ApiKey::ListGroups, 4, 1, &filtered);
    assert!(r.groups.is_empty());
    let _: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, 8, 1, &commit_req(&a, 2, &[0], 1));
    let del = DeleteGroupsRequest::default().with_groups_names(vec![GroupId(sb(G))]);
    let r: DeleteGroupsResponse = h.call(ApiKey::DeleteGroups, 2, 1, &del);
    assert_eq!(r.results[0].error_code, code(ErrorCode::NON_EMPTY_GROUP));
    for id in [a, _b] {
        let m = LeaveGroupRequest::default().with_group_id(GroupId(sb(G))).with_member_id(sb(&id));
        let _: LeaveGroupResponse = h.call(ApiKey::LeaveGroup, 2, 1, &m);
    }
    let r: DeleteGroupsResponse = h.call(ApiKey::DeleteGroups, 2, 1, &del);
    assert_eq!(r.results[0].error_code, 0);
    assert!(h.st.groups.committed(G, "t", 0).is_none(), "its offsets went with it");
    let r: DeleteGroupsResponse = h.call(ApiKey::DeleteGroups, 2, 1, &del);
    assert_eq!(r.results[0].error_code, code(ErrorCode::GROUP_ID_NOT_FOUND));
}

/// One member's whole life at every version each request is offered in: join (with
/// MEMBER_ID_REQUIRED from v4), sync, heartbeat, commit, fetch, describe, leave.
#[test]
fn a_member_lifecycle_at_every_version() {
    for v in 0..=7i16 {
        let mut h = H::new(0);
        let conn = 10 + v as u64;
        let mut r: JoinGroupResponse = {
            let (req, o) = h.send(ApiKey::JoinGroup, v, conn, &join_req(""));
            let o = if parked(&o) { h.again(&req, conn) } else { o };
            answer(&req, o)
        };
        if r.error_code == code(ErrorCode::MEMBER_ID_REQUIRED) {
            let id = r.member_id.to_string();
            let (req, o) = h.send(ApiKey::JoinGroup, v, conn, &join_req(&id));
            let o = if parked(&o) { h.again(&req, conn) } else { o };
            r = answer(&req, o);
        }
        assert_eq!(r.error_code, 0, "JoinGroup v{v}");
        let (id, gen) = (r.member_id.to_string(), r.generation_id);
        let sv = v.min(5);
        let s: SyncGroupResponse = h.call(ApiKey::SyncGroup, sv, conn, &sync_req(&id, gen, &[(&id, "a")]));
        assert_eq!((s.error_code, &s.assignment[..]), (0, &b"a"[..]), "SyncGroup v{sv}");
        let hv = v.min(4);
        let hb: HeartbeatResponse = h.call(ApiKey::Heartbeat, hv, conn, &hb_req(&id, gen));
        assert_eq!(hb.error_code, 0, "Heartbeat v{hv}");
        let cv = (v + 2).min(8);
        let p = OffsetCommitRequestPartition::default().with_partition_index(0).with_committed_offset(5);
        let t = OffsetCommitRequestTopic::default().with_name(TopicName(sb("t"))).with_partitions(vec![p]);
        let oc = OffsetCommitRequest::default()
            .with_group_id(GroupId(sb(G)))
            .with_generation_id_or_member_epoch(gen)
            .with_member_id(sb(&id))
            .with_topics(vec![t]);
        h.st.create_topic("t", 1, 1).ok();
        let c: OffsetCommitResponse = h.call(ApiKey::OffsetCommit, cv, conn, &oc);
        assert_eq!(c.topics[0].partitions[0].error_code, 0, "OffsetCommit v{cv}");
        let fv = (v + 1).min(7);
        let ft =
            OffsetFetchRequestTopic::default().with_name(TopicName(sb("t"))).with_partition_indexes(vec![0]);
        let of = OffsetFetchRequest::default().with_group_id(GroupId(sb(G))).with_topics(Some(vec![ft]));
        let f: OffsetFetchResponse = h.call(ApiKey::OffsetFetch, fv, conn, &of);
        assert_eq!(f.topics[0].partitions[0].committed_offset, 5, "OffsetFetch v{fv}");
        let dv = v.min(5);
        let d: DescribeGroupsResponse = h.call(
            ApiKey::DescribeGroups,
            dv,
            conn,
            &DescribeGroupsRequest::default().with_groups(vec![GroupId(sb(G))]),
        );
        assert_eq!(d.groups[0].group_state.as_str(), "Stable", "DescribeGroups v{dv}");
        let lv = v.min(4);
        let mut lg = LeaveGroupRequest::default().with_group_id(GroupId(sb(G)));
        if lv < 3 {
            lg.member_id = sb(&id);
        } else {
            lg.members = vec![MemberIdentity::default().with_member_id(sb(&id))];
        }
        let l: LeaveGroupResponse = h.call(ApiKey::LeaveGroup, lv, conn, &lg);
        assert_eq!(l.error_code, 0, "LeaveGroup v{lv}");
    }
}
