//! The "consumer" embedded group protocol: ConsumerProtocolSubscription (JoinGroup
//! member metadata) and ConsumerProtocolAssignment (SyncGroup member state), v0..v3.
//!
//! Hand-written rather than using kafka-protocol's schema types so that decoding is
//! bounded (no allocation sized by untrusted counts), tolerant of newer versions
//! (fields past v3 are ignored, as Kafka's ConsumerProtocol does) and round-trips
//! byte-exact with what librdkafka sends.
//!
//! What librdkafka 2.x sends (rd_kafka_consumer_protocol_member_metadata_new and
//! rd_kafka_group_MemberState_consumer_write):
//! - Subscription: always version 3 for every assignor; user_data is empty bytes
//!   (length 0, not null) for range/roundrobin and for cooperative-sticky before its
//!   first assignment, else the sticky user data (see [`encode_sticky_user_data`]);
//!   owned_partitions is the current group assignment for every assignor (empty array
//!   when none); generation_id is -1 with empty user data, else the generation of the
//!   last assignment; rack_id is `client.rack` or null.
//! - Assignment: always version 0; user_data echoes the member's subscription user
//!   data. An empty SyncGroup member state means an empty assignment.
//! - On receive it accepts any subscription version (reads v1+/v2+/v3+ fields when
//!   present) but rejects subscriptions with 0 or more than 10000 topics.

use bytes::{BufMut, Bytes, BytesMut};

use crate::protocol::ProtoError;

/// Subscription version librdkafka sends.
pub const SUBSCRIPTION_VERSION: i16 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub topics: Vec<String>,
    pub user_data: Option<Bytes>,
    /// v1+: partitions the member currently owns, grouped by topic.
    pub owned_partitions: Vec<(String, Vec<i32>)>,
    /// v2+: generation of the owned partitions (-1 = unknown).
    pub generation_id: i32,
    /// v3+
    pub rack_id: Option<String>,
}

impl Default for Subscription {
    fn default() -> Self {
        Subscription {
            topics: Vec::new(),
            user_data: None,
            owned_partitions: Vec::new(),
            generation_id: -1,
            rack_id: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    pub partitions: Vec<(String, Vec<i32>)>,
    pub user_data: Option<Bytes>,
}

/// Decoded subscription plus the version it was sent with.
pub fn decode_subscription_versioned(b: &[u8]) -> Result<(i16, Subscription), ProtoError> {
    let mut r = Reader { b, pos: 0 };
    let version = r.i16("version")?;
    if version < 0 {
        return Err(ProtoError(format!("consumer subscription: bad version {version}")));
    }
    let n = r.count("topics")?;
    let mut topics = Vec::with_capacity(n.min(r.remaining() / 2));
    for _ in 0..n {
        topics.push(r.string("topic")?);
    }
    let user_data = r.bytes("user_data")?;
    let mut s = Subscription { topics, user_data, ..Default::default() };
    if version >= 1 {
        s.owned_partitions = r.topic_partitions("owned_partitions")?;
    }
    if version >= 2 {
        s.generation_id = r.i32("generation_id")?;
    }
    if version >= 3 {
        s.rack_id = r.nullable_string("rack_id")?;
    }
    Ok((version, s))
}

pub fn decode_subscription(b: &[u8]) -> Result<Subscription, ProtoError> {
    decode_subscription_versioned(b).map(|(_, s)| s)
}

/// Encodes with the fields of `version` (clamped to 0..=3 for the field set; the
/// version number itself is written as given when positive).
pub fn encode_subscription(s: &Subscription, version: i16) -> Bytes {
    let version = version.max(0);
    let mut w = BytesMut::with_capacity(64 + s.topics.iter().map(|t| t.len() + 2).sum::<usize>());
    w.put_i16(version);
    put_count(&mut w, s.topics.len());
    for t in &s.topics {
        put_string(&mut w, t);
    }
    put_bytes(&mut w, s.user_data.as_deref());
    if version >= 1 {
        put_topic_partitions(&mut w, &s.owned_partitions);
    }
    if version >= 2 {
        w.put_i32(s.generation_id);
    }
    if version >= 3 {
        match &s.rack_id {
            Some(r) => put_string(&mut w, r),
            None => w.put_i16(-1),
        }
    }
    w.freeze()
}

/// Decoded assignment plus its version (None for the empty member state).
pub fn decode_assignment_versioned(b: &[u8]) -> Result<(Option<i16>, Assignment), ProtoError> {
    if b.is_empty() {
        return Ok((None, Assignment::default()));
    }
    let mut r = Reader { b, pos: 0 };
    let version = r.i16("version")?;
    if version < 0 {
        return Err(ProtoError(format!("consumer assignment: bad version {version}")));
    }
    let partitions = r.topic_partitions("assigned_partitions")?;
    let user_data = r.bytes("user_data")?;
    Ok((Some(version), Assignment { partitions, user_data }))
}

/// Empty input is an empty assignment (the group leader sent nothing for us).
pub fn decode_assignment(b: &[u8]) -> Result<Assignment, ProtoError> {
    decode_assignment_versioned(b).map(|(_, a)| a)
}

pub fn encode_assignment(a: &Assignment, version: i16) -> Bytes {
    let mut w = BytesMut::with_capacity(32 + a.partitions.len() * 24);
    w.put_i16(version.max(0));
    put_topic_partitions(&mut w, &a.partitions);
    put_bytes(&mut w, a.user_data.as_deref());
    w.freeze()
}

/// The sticky assignors' user data (librdkafka rd_kafka_sticky_assignor_get_metadata,
/// Java StickyAssignor "v1"): previous assignment then generation.
pub fn encode_sticky_user_data(prev: &[(String, Vec<i32>)], generation: i32) -> Bytes {
    let mut w = BytesMut::new();
    put_topic_partitions(&mut w, prev);
    w.put_i32(generation);
    w.freeze()
}

/// Previous assignment (grouped by topic) and its generation, if present.
#[cfg(test)]
pub type StickyUserData = (Vec<(String, Vec<i32>)>, Option<i32>);

/// Decodes sticky user data; the generation is absent in the older (v0) layout.
#[cfg(test)]
pub fn decode_sticky_user_data(b: &[u8]) -> Result<StickyUserData, ProtoError> {
    let mut r = Reader { b, pos: 0 };
    let prev = r.topic_partitions("previous_assignment")?;
    let generation = if r.remaining() >= 4 { Some(r.i32("generation")?) } else { None };
    Ok((prev, generation))
}

/// Groups a flat partition list into per-topic runs the way librdkafka writes them:
/// a new topic entry starts whenever the topic differs from the previous element.
pub fn group_partitions(list: &[(String, i32)]) -> Vec<(String, Vec<i32>)> {
    let mut out: Vec<(String, Vec<i32>)> = Vec::new();
    for (t, p) in list {
        match out.last_mut() {
            Some((lt, ps)) if lt == t => ps.push(*p),
            _ => out.push((t.clone(), vec![*p])),
        }
    }
    out
}

/// Flattens per-topic partition lists into (topic, partition) pairs, keeping order.
#[cfg(test)]
pub fn flatten_partitions(grouped: &[(String, Vec<i32>)]) -> Vec<(String, i32)> {
    grouped.iter().flat_map(|(t, ps)| ps.iter().map(move |p| (t.clone(), *p))).collect()
}

fn put_count(w: &mut BytesMut, n: usize) {
    w.put_i32(i32::try_from(n).unwrap_or(i32::MAX));
}

fn put_string(w: &mut BytesMut, s: &str) {
    // Kafka strings are at most i16::MAX bytes; longer names cannot be valid topics.
    let b = &s.as_bytes()[..s.len().min(i16::MAX as usize)];
    w.put_i16(b.len() as i16);
    w.put_slice(b);
}

fn put_bytes(w: &mut BytesMut, b: Option<&[u8]>) {
    match b {
        Some(b) => {
            put_count(w, b.len());
            w.put_slice(b);
        }
        None => w.put_i32(-1),
    }
}

fn put_topic_partitions(w: &mut BytesMut, tps: &[(String, Vec<i32>)]) {
    put_count(w, tps.len());
    for (t, ps) in tps {
        put_string(w, t);
        put_count(w, ps.len());
        for p in ps {
            w.put_i32(*p);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.b.len() - self.pos
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ProtoError> {
        if self.remaining() < n {
            return Err(ProtoError(format!(
                "consumer protocol: truncated reading {what} ({n} bytes needed, {} left)",
                self.remaining()
            )));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn i16(&mut self, what: &str) -> Result<i16, ProtoError> {
        let s = self.take(2, what)?;
        Ok(i16::from_be_bytes([s[0], s[1]]))
    }

    fn i32(&mut self, what: &str) -> Result<i32, ProtoError> {
        let s = self.take(4, what)?;
        Ok(i32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// Non-nullable array length; -1 (null) is read as empty.
    fn count(&mut self, what: &str) -> Result<usize, ProtoError> {
        let n = self.i32(what)?;
        if n < -1 {
            return Err(ProtoError(format!("consumer protocol: bad {what} count {n}")));
        }
        Ok(n.max(0) as usize)
    }

    fn nullable_string(&mut self, what: &str) -> Result<Option<String>, ProtoError> {
        let n = self.i16(what)?;
        if n < 0 {
            if n == -1 {
                return Ok(None);
            }
            return Err(ProtoError(format!("consumer protocol: bad {what} length {n}")));
        }
        let s = self.take(n as usize, what)?;
        String::from_utf8(s.to_vec())
            .map(Some)
            .map_err(|_| ProtoError(format!("consumer protocol: {what} is not UTF-8")))
    }

    fn string(&mut self, what: &str) -> Result<String, ProtoError> {
        self.nullable_string(what)?.ok_or_else(|| ProtoError(format!("consumer protocol: null {what}")))
    }

    fn bytes(&mut self, what: &str) -> Result<Option<Bytes>, ProtoError> {
        let n = self.i32(what)?;
        if n < 0 {
            if n == -1 {
                return Ok(None);
            }
            return Err(ProtoError(format!("consumer protocol: bad {what} length {n}")));
        }
        Ok(Some(Bytes::copy_from_slice(self.take(n as usize, what)?)))
    }

    fn topic_partitions(&mut self, what: &str) -> Result<Vec<(String, Vec<i32>)>, ProtoError> {
        let n = self.count(what)?;
        let mut out = Vec::with_capacity(n.min(self.remaining() / 6));
        for _ in 0..n {
            let t = self.string(what)?;
            let np = self.count(what)?;
            if np > self.remaining() / 4 {
                return Err(ProtoError(format!("consumer protocol: truncated {what} partitions")));
            }
            let mut ps = Vec::with_capacity(np);
            for _ in 0..np {
                ps.push(self.i32(what)?);
            }
            out.push((t, ps));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(t: &str, ps: &[i32]) -> (String, Vec<i32>) {
        (t.to_string(), ps.to_vec())
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    // Vectors captured from genuine librdkafka 2.16 (pip confluent-kafka) consumers in a
    // group on the mock cluster (JoinGroup v5 member metadata, SyncGroup v3 assignments).
    #[test]
    fn librdkafka_range_subscription() {
        // Member with client.rack "" subscribing t1: v3, empty user data, no owned
        // partitions, generation -1, empty (not null) rack.
        let b = unhex("000300000001000274310000000000000000ffffffff0000");
        let (v, s) = decode_subscription_versioned(&b).unwrap();
        assert_eq!(v, 3);
        assert_eq!(
            s,
            Subscription {
                topics: vec!["t1".into()],
                user_data: Some(Bytes::new()),
                owned_partitions: vec![],
                generation_id: -1,
                rack_id: Some(String::new()),
            }
        );
        assert_eq!(&encode_subscription(&s, 3)[..], &b[..]);
    }

    #[test]
    fn librdkafka_cooperative_sticky_subscription() {
        let b = unhex(concat!(
            "000300000002000274310002743200000028000000020002743200000003000000020000000100000000",
            "000274310000000100000003000000030000000200027431000000010000000300027432000000030000",
            "00000000000100000002000000030005726163",
            "6b41"
        ));
        let s = decode_subscription(&b).unwrap();
        assert_eq!(s.topics, vec!["t1".to_string(), "t2".to_string()]);
        assert_eq!(s.owned_partitions, vec![tp("t1", &[3]), tp("t2", &[0, 1, 2])]);
        assert_eq!(s.generation_id, 3);
        assert_eq!(s.rack_id.as_deref(), Some("rackA"));
        let ud = s.user_data.clone().unwrap();
        assert_eq!(
            decode_sticky_user_data(&ud).unwrap(),
            (vec![tp("t2", &[2, 1, 0]), tp("t1", &[3])], Some(3))
        );
        assert_eq!(encode_sticky_user_data(&[tp("t2", &[2, 1, 0]), tp("t1", &[3])], 3), ud);
        assert_eq!(&encode_subscription(&s, 3)[..], &b[..]);
    }

    #[test]
    fn librdkafka_assignments() {
        // Empty assignment for a member that gets nothing this round.
        let b = unhex("00000000000000000000");
        assert_eq!(
            decode_assignment(&b).unwrap(),
            Assignment { partitions: vec![], user_data: Some(Bytes::new()) }
        );
        // Topic runs are not merged; user data echoes the member's sticky user data.
        let b = unhex(concat!(
            "000000000003000274310000000100000003000274320000000200000001000000020002743100000001",
            "000000000000002400000002000274320000000200000002000000010002743100000001000000030000",
            "0004"
        ));
        let a = decode_assignment(&b).unwrap();
        assert_eq!(a.partitions, vec![tp("t1", &[3]), tp("t2", &[1, 2]), tp("t1", &[0])]);
        assert_eq!(a.user_data.as_ref().map(|u| u.len()), Some(36));
        assert_eq!(group_partitions(&flatten_partitions(&a.partitions)), a.partitions);
        assert_eq!(&encode_assignment(&a, 0)[..], &b[..]);
    }

    #[test]
    fn subscription_roundtrip_all_versions() {
        let s = Subscription {
            topics: vec!["a".into(), "bb".into()],
            user_data: Some(Bytes::from_static(b"xyz")),
            owned_partitions: vec![tp("a", &[0, 2]), tp("bb", &[1])],
            generation_id: 7,
            rack_id: Some("r1".into()),
        };
        for v in 0..=3i16 {
            let b = encode_subscription(&s, v);
            let (dv, d) = decode_subscription_versioned(&b).unwrap();
            assert_eq!(dv, v);
            assert_eq!(d.topics, s.topics);
            assert_eq!(d.user_data, s.user_data);
            assert_eq!(d.owned_partitions, if v >= 1 { s.owned_partitions.clone() } else { vec![] });
            assert_eq!(d.generation_id, if v >= 2 { 7 } else { -1 });
            assert_eq!(d.rack_id, if v >= 3 { s.rack_id.clone() } else { None });
            assert_eq!(encode_subscription(&d, v), b);
        }
    }

    #[test]
    fn subscription_v0_bytes() {
        let s = Subscription { topics: vec!["t".into()], ..Default::default() };
        let b = encode_subscription(&s, 0);
        assert_eq!(&b[..], &[0, 0, 0, 0, 0, 1, 0, 1, b't', 0xff, 0xff, 0xff, 0xff]);
    }

    #[test]
    fn newer_versions_ignore_extra_fields() {
        let s = Subscription { topics: vec!["t".into()], generation_id: 3, ..Default::default() };
        let mut b = encode_subscription(&s, 3).to_vec();
        b[1] = 9; // version 9
        b.extend_from_slice(&[1, 2, 3, 4, 5]);
        let (v, d) = decode_subscription_versioned(&b).unwrap();
        assert_eq!(v, 9);
        assert_eq!(d.generation_id, 3);
        let a = Assignment { partitions: vec![tp("t", &[1])], user_data: None };
        let mut b = encode_assignment(&a, 3).to_vec();
        b.extend_from_slice(&[0, 0]);
        assert_eq!(decode_assignment(&b).unwrap(), a);
    }

    #[test]
    fn assignment_roundtrip_and_empty() {
        assert_eq!(decode_assignment(&[]).unwrap(), Assignment::default());
        let a =
            Assignment { partitions: vec![tp("x", &[0, 1, 5]), tp("y", &[])], user_data: Some(Bytes::new()) };
        for v in 0..=3 {
            let b = encode_assignment(&a, v);
            assert_eq!(decode_assignment_versioned(&b).unwrap(), (Some(v), a.clone()));
        }
    }

    #[test]
    fn truncation_never_panics() {
        let s = Subscription {
            topics: vec!["topic-a".into(), "topic-b".into()],
            user_data: Some(Bytes::from_static(b"\x00\x01\x02")),
            owned_partitions: vec![tp("topic-a", &[0, 1, 2]), tp("topic-b", &[3])],
            generation_id: 5,
            rack_id: Some("rack".into()),
        };
        let b = encode_subscription(&s, 3);
        for n in 0..b.len() {
            assert!(decode_subscription(&b[..n]).is_err(), "prefix {n} decoded");
        }
        let a = Assignment { partitions: s.owned_partitions.clone(), user_data: s.user_data.clone() };
        let b = encode_assignment(&a, 0);
        for n in 1..b.len() {
            assert!(decode_assignment(&b[..n]).is_err(), "prefix {n} decoded");
        }
        let u = encode_sticky_user_data(&s.owned_partitions, 4);
        for n in 0..u.len() - 4 {
            assert!(decode_sticky_user_data(&u[..n]).is_err());
        }
    }

    #[test]
    fn garbage_never_panics() {
        // Deterministic xorshift so the test is reproducible without a rand dependency.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let base = encode_subscription(
            &Subscription {
                topics: vec!["abc".into()],
                user_data: Some(Bytes::from_static(b"u")),
                owned_partitions: vec![tp("abc", &[0, 1])],
                generation_id: 1,
                rack_id: None,
            },
            3,
        );
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut b = base.to_vec();
            let i = (x as usize) % b.len();
            b[i] = (x >> 32) as u8;
            if x & 1 == 0 {
                b.truncate((x >> 40) as usize % (b.len() + 1));
            }
            let _ = decode_subscription(&b);
            let _ = decode_assignment(&b);
            let _ = decode_sticky_user_data(&b);
        }
        // Huge counts must not allocate or panic.
        let huge = [0u8, 0, 0x7f, 0xff, 0xff, 0xff];
        assert!(decode_subscription(&huge).is_err());
        assert!(decode_assignment(&huge).is_err());
        assert!(decode_subscription(&[0, 0, 0x80, 0, 0, 0]).is_err());
    }

    #[test]
    fn grouping_follows_librdkafka_runs() {
        let flat =
            vec![("a".to_string(), 0), ("a".to_string(), 1), ("b".to_string(), 0), ("a".to_string(), 2)];
        let g = group_partitions(&flat);
        assert_eq!(g, vec![tp("a", &[0, 1]), tp("b", &[0]), tp("a", &[2])]);
        assert_eq!(flatten_partitions(&g), flat);
    }

    #[test]
    fn sticky_user_data_roundtrip() {
        let prev = vec![tp("t", &[0, 3])];
        let u = encode_sticky_user_data(&prev, 12);
        assert_eq!(decode_sticky_user_data(&u).unwrap(), (prev.clone(), Some(12)));
        assert_eq!(decode_sticky_user_data(&u[..u.len() - 4]).unwrap(), (prev, None));
    }
}
