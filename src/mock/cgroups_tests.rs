//! KIP-848 consumer groups over real sockets: joins, the assignors, reconciliation
//! with revocation, fencing, leaving, session expiry, static members, regex
//! subscriptions, the manual target assignment, and commits with member epochs.

use super::tests::Conn;
use super::Cluster;
use crate::error::ErrorCode;
use kafka_protocol::messages::consumer_group_heartbeat_request::TopicPartitions;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::{OffsetFetchRequestGroup, OffsetFetchRequestTopics};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeSet;
use std::time::Duration;

const G: &str = "cg";

fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.into())
}

fn e(code: i16) -> ErrorCode {
    ErrorCode(code as i32)
}

type Parts = BTreeSet<(String, i32)>;

struct Member {
    id: String,
    epoch: i32,
    /// What it was last given (topic name, partition).
    owned: Parts,
    topics: Vec<String>,
    regex: Option<String>,
    assignor: Option<String>,
    instance: Option<String>,
}

impl Member {
    fn new(id: &str, topics: &[&str]) -> Member {
        let topics = topics.iter().map(|t| t.to_string()).collect();
        Member {
            id: id.into(),
            epoch: 0,
            owned: Parts::new(),
            topics,
            regex: None,
            assignor: None,
            instance: None,
        }
    }
}

struct H {
    c: Cluster,
    conn: Conn,
}

impl H {
    fn new(topics: &[(&str, i32)]) -> H {
        let c = Cluster::new(1).expect("cluster");
        for (t, n) in topics {
            c.topic_create(t, *n, 1).expect("topic");
        }
        let conn = Conn::to(&c, 1);
        H { c, conn }
    }

    fn id_of(&self, topic: &str) -> uuid::Uuid {
        uuid::Uuid::from_bytes(self.c.with(|st| st.topics[topic].id))
    }

    fn name_of(&self, id: uuid::Uuid) -> String {
        self.c.with(|st| st.topic_name(id.as_bytes())).expect("topic")
    }

    /// One heartbeat: the full subscription on a join, owned partitions always.
    fn raw(&mut self, m: &Member, epoch: i32) -> ConsumerGroupHeartbeatResponse {
        let mut r = ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(sb(G)))
            .with_member_id(sb(&m.id))
            .with_member_epoch(epoch)
            .with_instance_id(m.instance.as_deref().map(sb))
            .with_rebalance_timeout_ms(if epoch == 0 { 30_000 } else { -1 })
            .with_server_assignor(m.assignor.as_deref().map(sb));
        if epoch == 0 {
            r.subscribed_topic_names = Some(m.topics.iter().map(|t| TopicName(sb(t))).collect());
            r.subscribed_topic_regex = m.regex.as_deref().map(sb);
        }
        if epoch >= 0 {
            let mut tps: Vec<TopicPartitions> = Vec::new();
            for (t, p) in &m.owned {
                let id = self.id_of(t);
                match tps.iter_mut().find(|x| x.topic_id == id) {
                    Some(x) => x.partitions.push(*p),
                    None => tps.push(TopicPartitions::default().with_topic_id(id).with_partitions(vec![*p])),
                }
            }
            r.topic_partitions = Some(tps);
        }
        self.conn.call(ApiKey::ConsumerGroupHeartbeat, 1, &r).expect("heartbeat")
    }

    /// A heartbeat that takes in the answer as a client does: error, epoch, assignment.
    fn beat(&mut self, m: &mut Member) -> ErrorCode {
        let r = self.raw(m, m.epoch);
        if r.error_code != 0 {
            return e(r.error_code);
        }
        m.epoch = r.member_epoch;
        if let Some(a) = r.assignment {
            m.owned = a
                .topic_partitions
                .iter()
                .flat_map(|tp| tp.partitions.iter().map(|p| (self.name_of(tp.topic_id), *p)))
                .collect();
        }
        ErrorCode::NO_ERROR
    }

    fn describe(&mut self) -> consumer_group_describe_response::DescribedGroup {
        let r = ConsumerGroupDescribeRequest::default().with_group_ids(vec![GroupId(sb(G))]);
        let mut d: ConsumerGroupDescribeResponse =
            self.conn.call(ApiKey::ConsumerGroupDescribe, 0, &r).expect("describe");
        d.groups.remove(0)
    }
}

fn parts(t: &str, ps: &[i32]) -> Parts {
    ps.iter().map(|p| (t.to_string(), *p)).collect()
}

#[test]
fn a_member_joins_and_gets_every_partition() {
    let mut h = H::new(&[("t", 6)]);
    let mut a = Member::new("a", &["t"]);
    let r = h.raw(&a, 0);
    assert_eq!(r.error_code, 0);
    assert_eq!((r.member_id.as_deref(), r.member_epoch, r.heartbeat_interval_ms), (Some("a"), 1, 3000));
    assert_eq!(h.beat(&mut a), ErrorCode::NO_ERROR);
    assert_eq!(a.owned, parts("t", &[0, 1, 2, 3, 4, 5]));
    let d = h.describe();
    assert_eq!((d.group_state.as_str(), d.group_epoch, d.assignor_name.as_str()), ("Stable", 1, "uniform"));
}

#[test]
fn a_partition_moves_only_once_its_owner_revoked_it() {
    let mut h = H::new(&[("t", 6)]);
    let (mut a, mut b) = (Member::new("a", &["t"]), Member::new("b", &["t"]));
    h.beat(&mut a);
    h.beat(&mut a);
    assert_eq!((a.epoch, a.owned.len()), (1, 6));
    // b joins: epoch 2, but its half is still a's.
    assert_eq!(h.beat(&mut b), ErrorCode::NO_ERROR);
    assert_eq!((b.epoch, b.owned.len()), (2, 0));
    assert_eq!(h.describe().group_state.as_str(), "Reconciling");
    // a is told to keep 3: it revokes the others and stays at epoch 1 until it has.
    h.beat(&mut a);
    assert_eq!((a.epoch, a.owned.clone()), (1, parts("t", &[0, 1, 2])));
    h.beat(&mut b);
    assert!(b.owned.is_empty(), "given before a revoked them: {:?}", b.owned);
    // a's next heartbeat owns 3: revocation done, epoch 2; then b gets the rest.
    h.beat(&mut a);
    assert_eq!(a.epoch, 2);
    h.beat(&mut b);
    assert_eq!((b.epoch, b.owned.clone()), (2, parts("t", &[3, 4, 5])));
    assert!(a.owned.is_disjoint(&b.owned));
    h.beat(&mut a);
    assert_eq!(h.describe().group_state.as_str(), "Stable");
}

#[test]
fn wrong_epochs_are_fenced_and_unknown_members_refused() {
    let mut h = H::new(&[("t", 2)]);
    let mut a = Member::new("a", &["t"]);
    h.beat(&mut a);
    let mut wrong = Member { epoch: 7, ..Member::new("a", &["t"]) };
    assert_eq!(h.beat(&mut wrong), ErrorCode::FENCED_MEMBER_EPOCH);
    let mut stranger = Member { epoch: 1, ..Member::new("x", &["t"]) };
    assert_eq!(h.beat(&mut stranger), ErrorCode::UNKNOWN_MEMBER_ID);
    // An injected error answers at the top level.
    h.c.push_request_errors(ApiKey::ConsumerGroupHeartbeat as i16, &[ErrorCode::COORDINATOR_NOT_AVAILABLE]);
    assert_eq!(h.beat(&mut a), ErrorCode::COORDINATOR_NOT_AVAILABLE);
    assert_eq!(h.beat(&mut a), ErrorCode::NO_ERROR);
    // v1: the client names itself; an empty id is refused.
    let r = h.raw(&Member::new("", &["t"]), 0);
    assert_eq!(e(r.error_code), ErrorCode::INVALID_REQUEST);
}

#[test]
fn a_leaving_member_hands_its_partitions_over() {
    let mut h = H::new(&[("t", 4)]);
    let (mut a, mut b) = (Member::new("a", &["t"]), Member::new("b", &["t"]));
    for _ in 0..3 {
        h.beat(&mut a);
        h.beat(&mut b);
    }
    assert_eq!((a.owned.len(), b.owned.len()), (2, 2));
    let r = h.raw(&b, -1);
    assert_eq!((r.error_code, r.member_epoch), (0, -1));
    h.beat(&mut a);
    assert_eq!(a.owned.len(), 4);
    assert_eq!(h.describe().members.len(), 1);
}

#[test]
fn a_silent_member_is_removed_when_its_session_ends() {
    let mut h = H::new(&[("t", 4)]);
    h.c.set_group_consumer_session_timeout_ms(300);
    h.c.set_group_consumer_heartbeat_interval_ms(100);
    let (mut a, mut b) = (Member::new("a", &["t"]), Member::new("b", &["t"]));
    h.beat(&mut a);
    h.beat(&mut b);
    for _ in 0..8 {
        std::thread::sleep(Duration::from_millis(100));
        h.beat(&mut a);
    }
    assert_eq!(a.owned.len(), 4, "b's session ended");
    assert_eq!(h.beat(&mut b), ErrorCode::UNKNOWN_MEMBER_ID);
}

#[test]
fn a_static_member_keeps_its_place_across_a_restart() {
    let mut h = H::new(&[("t", 4)]);
    let mut s = Member { instance: Some("i1".into()), ..Member::new("s1", &["t"]) };
    let mut d = Member::new("d", &["t"]);
    for _ in 0..3 {
        h.beat(&mut s);
        h.beat(&mut d);
    }
    let before = s.owned.clone();
    assert_eq!(before.len(), 2);
    // Another instance with the same id while s1 is in: refused.
    let mut twin = Member { instance: Some("i1".into()), ..Member::new("s2", &["t"]) };
    assert_eq!(h.beat(&mut twin), ErrorCode::UNRELEASED_INSTANCE_ID);
    let r = h.raw(&s, -2);
    assert_eq!((r.error_code, r.member_epoch), (0, -2));
    // The group does not rebalance; the new instance takes the old one's partitions.
    h.beat(&mut d);
    assert_eq!(d.owned.len(), 2);
    assert_eq!(h.beat(&mut twin), ErrorCode::NO_ERROR);
    assert_eq!(twin.owned, before);
}

#[test]
fn a_regex_subscription_takes_topics_created_later() {
    let mut h = H::new(&[("re-a", 2), ("xre-b", 2)]);
    let mut a = Member { regex: Some("re-.*".into()), ..Member::new("a", &[]) };
    h.beat(&mut a);
    assert_eq!(a.owned, parts("re-a", &[0, 1]), "the whole name matches, as in Kafka");
    let epoch = a.epoch;
    h.c.topic_create("re-c", 3, 1).expect("topic");
    h.beat(&mut a);
    h.beat(&mut a);
    assert!(a.epoch > epoch);
    assert_eq!(a.owned.len(), 5);
    let r = h.raw(&Member { regex: Some("(".into()), ..Member::new("z", &[]) }, 0);
    assert_eq!(e(r.error_code), ErrorCode::INVALID_REGULAR_EXPRESSION);
}

#[test]
fn the_range_assignor_gives_contiguous_ranges() {
    let mut h = H::new(&[("t", 3), ("u", 3)]);
    let range = || Some("range".to_string());
    let mut a = Member { assignor: range(), ..Member::new("a", &["t", "u"]) };
    let mut b = Member { assignor: range(), ..Member::new("b", &["t", "u"]) };
    for _ in 0..3 {
        h.beat(&mut a);
        h.beat(&mut b);
    }
    let want_a: Parts = parts("t", &[0, 1]).into_iter().chain(parts("u", &[0, 1])).collect();
    assert_eq!(a.owned, want_a);
    assert_eq!(b.owned, parts("t", &[2]).into_iter().chain(parts("u", &[2])).collect());
    assert_eq!(h.describe().assignor_name.as_str(), "range");
    let bad = Member { assignor: Some("sticky".into()), ..Member::new("c", &["t"]) };
    assert_eq!(e(h.raw(&bad, 0).error_code), ErrorCode::UNSUPPORTED_ASSIGNOR);
}

#[test]
fn a_manual_target_assignment_overrides_the_assignor() {
    let mut h = H::new(&[("t", 4)]);
    let (mut a, mut b) = (Member::new("a", &["t"]), Member::new("b", &["t"]));
    for _ in 0..3 {
        h.beat(&mut a);
        h.beat(&mut b);
    }
    let manual = vec![
        ("a".to_string(), vec![("t".to_string(), 3)]),
        ("b".to_string(), (0..3).map(|p| ("t".to_string(), p)).collect()),
    ];
    assert!(h.c.cgrp_consumer_target_assignment(G, Some(manual)));
    assert!(!h.c.cgrp_consumer_target_assignment("nobody", None), "unknown group: left alone");
    for _ in 0..3 {
        h.beat(&mut a);
        h.beat(&mut b);
    }
    assert_eq!((a.owned.clone(), b.owned.clone()), (parts("t", &[3]), parts("t", &[0, 1, 2])));
    // Cleared: back to the assignor.
    h.c.cgrp_consumer_target_assignment(G, None);
    for _ in 0..3 {
        h.beat(&mut a);
        h.beat(&mut b);
    }
    assert_eq!((a.owned.len(), b.owned.len()), (2, 2));
}

fn commit(h: &mut H, member: &str, epoch: i32, v: i16) -> ErrorCode {
    let p = OffsetCommitRequestPartition::default().with_partition_index(0).with_committed_offset(42);
    let t = OffsetCommitRequestTopic::default().with_name(TopicName(sb("t"))).with_partitions(vec![p]);
    let r = OffsetCommitRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_generation_id_or_member_epoch(epoch)
        .with_member_id(sb(member))
        .with_topics(vec![t]);
    let resp: OffsetCommitResponse = h.conn.call(ApiKey::OffsetCommit, v, &r).expect("commit");
    e(resp.topics[0].partitions[0].error_code)
}

#[test]
fn commits_need_the_members_current_epoch() {
    let mut h = H::new(&[("t", 2)]);
    let mut a = Member::new("a", &["t"]);
    h.beat(&mut a);
    assert_eq!(commit(&mut h, "a", a.epoch + 1, 9), ErrorCode::STALE_MEMBER_EPOCH);
    assert_eq!(commit(&mut h, "x", a.epoch, 9), ErrorCode::UNKNOWN_MEMBER_ID);
    assert_eq!(commit(&mut h, "", -1, 9), ErrorCode::UNKNOWN_MEMBER_ID, "not while it has members");
    assert_eq!(commit(&mut h, "a", a.epoch, 9), ErrorCode::NO_ERROR);
    // OffsetFetch v9 checks the member too, and reads the offset back.
    let fetch = |h: &mut H, epoch: i32| {
        let t =
            OffsetFetchRequestTopics::default().with_name(TopicName(sb("t"))).with_partition_indexes(vec![0]);
        let g = OffsetFetchRequestGroup::default()
            .with_group_id(GroupId(sb(G)))
            .with_member_id(Some(sb("a")))
            .with_member_epoch(epoch)
            .with_topics(Some(vec![t]));
        let r: OffsetFetchResponse = h
            .conn
            .call(ApiKey::OffsetFetch, 9, &OffsetFetchRequest::default().with_groups(vec![g]))
            .expect("fetch");
        let g = &r.groups[0];
        (e(g.error_code), g.topics.first().map(|t| t.partitions[0].committed_offset))
    };
    assert_eq!(fetch(&mut h, a.epoch), (ErrorCode::NO_ERROR, Some(42)));
    assert_eq!(fetch(&mut h, a.epoch + 3).0, ErrorCode::STALE_MEMBER_EPOCH);
    // The id is a consumer group's: no classic join, listed with its type.
    let j = JoinGroupRequest::default()
        .with_group_id(GroupId(sb(G)))
        .with_protocol_type(sb("consumer"))
        .with_session_timeout_ms(10_000);
    let jr: JoinGroupResponse = h.conn.call(ApiKey::JoinGroup, 5, &j).expect("join");
    assert_eq!(e(jr.error_code), ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
    let l: ListGroupsResponse =
        h.conn.call(ApiKey::ListGroups, 5, &ListGroupsRequest::default()).expect("list");
    let g = l.groups.iter().find(|g| g.group_id.0.as_str() == G).expect("listed");
    assert_eq!(
        (g.protocol_type.as_str(), g.group_type.as_str(), g.group_state.as_str()),
        ("consumer", "consumer", "Stable")
    );
    let d: DescribeGroupsResponse = h
        .conn
        .call(ApiKey::DescribeGroups, 5, &DescribeGroupsRequest::default().with_groups(vec![GroupId(sb(G))]))
        .expect("describe");
    assert_eq!(e(d.groups[0].error_code), ErrorCode::GROUP_ID_NOT_FOUND);
}

#[test]
fn metadata_answers_topics_named_by_id() {
    // A KIP-848 member learns its assigned topics' names from Metadata by id.
    use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
    let mut h = H::new(&[("t", 2)]);
    let id = h.id_of("t");
    let other = uuid::Uuid::from_u128(7);
    let topics = [id, other].map(|i| MetadataRequestTopic::default().with_topic_id(i)).to_vec();
    let r: MetadataResponse = h
        .conn
        .call(ApiKey::Metadata, 12, &MetadataRequest::default().with_topics(Some(topics)))
        .expect("metadata");
    assert_eq!(r.topics.len(), 2);
    assert_eq!(
        (r.topics[0].name.as_ref().map(|n| n.0.as_str()), r.topics[0].partitions.len()),
        (Some("t"), 2)
    );
    assert_eq!((e(r.topics[1].error_code), r.topics[1].topic_id), (ErrorCode::UNKNOWN_TOPIC_ID, other));
}
