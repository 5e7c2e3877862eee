//! What a member of a KIP-848 consumer group (group.protocol=consumer) keeps besides
//! the classic member's state: the assignment as the coordinator names it (topic ids),
//! the target being reconciled, and which parts of the next heartbeat must be sent.

use super::handle::TopicPartition;
use std::collections::HashMap;
use std::time::Instant;
use uuid::Uuid;

/// A partition as ConsumerGroupHeartbeat names it.
pub type IdPartition = (Uuid, i32);

#[derive(Default)]
pub struct Kip848 {
    /// Heartbeat interval the coordinator asked for (0 until its first answer).
    pub interval_ms: i64,
    /// The next heartbeat carries everything (joining, new coordinator, after errors).
    pub full: bool,
    /// The next heartbeat carries the subscription (it changed).
    pub send_subscription: bool,
    /// Topic names by id, learned from metadata lookups.
    pub names: HashMap<Uuid, String>,
    /// The assignment the coordinator knows this member owns (acknowledged).
    pub current: Vec<IdPartition>,
    /// The target being reconciled; acknowledged once `reconciled`.
    pub target: Option<Vec<IdPartition>>,
    pub reconciled: bool,
    /// An acknowledging heartbeat is in flight.
    pub acking: bool,
    /// A target received while another was being reconciled (or names were unknown).
    pub next: Option<Vec<IdPartition>>,
    /// Partitions to assign once the application handled the revoke before them.
    pub pending_assign: Option<Vec<TopicPartition>>,
    /// A lookup of unknown topic ids is in flight; the ids last looked up.
    pub lookup: bool,
    pub looked_up: Vec<Uuid>,
    /// A commit was refused for a stale member epoch: it goes again once a heartbeat
    /// sent after the refusal is answered (with the member's current epoch).
    pub stale: Stale,
    /// Heartbeat error last reported to the application, and when.
    pub last_err: Option<(i32, Instant)>,
}

impl Kip848 {
    /// Forgets the membership (fenced, left): the next join starts at epoch 0 with
    /// nothing owned. Names learned stay valid.
    pub fn reset(&mut self) {
        let names = std::mem::take(&mut self.names);
        *self = Kip848 { names, full: true, send_subscription: true, ..Default::default() };
    }

    /// Whether `new` differs from what is being reconciled, or else from what is owned.
    pub fn differs(&self, new: &[IdPartition]) -> bool {
        self.target.as_deref().unwrap_or(&self.current) != new
    }

    /// Ids of `list` whose topic name is not known yet.
    pub fn unknown_ids(&self, list: &[IdPartition]) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> =
            list.iter().map(|(t, _)| *t).filter(|t| !self.names.contains_key(t)).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// `list` by topic name; partitions of topics not known are left out.
    pub fn named(&self, list: &[IdPartition]) -> Vec<TopicPartition> {
        let mut out: Vec<TopicPartition> =
            list.iter().filter_map(|(t, p)| self.names.get(t).map(|n| (n.clone(), *p))).collect();
        out.sort();
        out
    }
}

#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stale {
    #[default]
    No,
    /// Waiting for the next heartbeat to go out.
    Refused,
    /// That heartbeat is in flight.
    Asked,
}

/// A partition list sorted, so lists compare by content.
pub fn sorted(mut v: Vec<IdPartition>) -> Vec<IdPartition> {
    v.sort();
    v.dedup();
    v
}

/// The member id a KIP-848 member picks for itself (KIP-1082): a random UUID in
/// Kafka's text form (URL-safe base64, no padding).
pub fn new_member_id() -> String {
    base64_url(&fastrand::u128(..).to_be_bytes())
}

fn base64_url(b: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(b.len() * 4 / 3 + 2);
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, x)| n | (*x as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The subscription's patterns as one server-side regex ("(^a.*)|(^b)"), as
/// librdkafka sends them; "" when there are none.
pub fn combined_regex(subscription: &[String]) -> String {
    let pats: Vec<String> =
        subscription.iter().filter(|t| t.starts_with('^')).map(|t| format!("({t})")).collect();
    pats.join("|")
}

/// The subscription's plain topic names.
pub fn plain_topics(subscription: &[String]) -> Vec<String> {
    subscription.iter().filter(|t| !t.starts_with('^')).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_are_22_url_safe_chars_and_differ() {
        let (a, b) = (new_member_id(), new_member_id());
        assert_eq!(a.len(), 22);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, b);
        assert_eq!(base64_url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn regexes_combine_and_names_stay() {
        let sub = vec!["^a.*".to_string(), "t1".to_string(), "^b".to_string()];
        assert_eq!(combined_regex(&sub), "(^a.*)|(^b)");
        assert_eq!(plain_topics(&sub), vec!["t1".to_string()]);
        assert_eq!(combined_regex(&["t".to_string()]), "");
    }

    #[test]
    fn targets_compare_with_what_is_being_reconciled() {
        let (t1, t2) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut k = Kip848 { current: vec![(t1, 0)], ..Default::default() };
        assert!(!k.differs(&[(t1, 0)]));
        assert!(k.differs(&[(t1, 0), (t1, 1)]));
        k.target = Some(vec![(t1, 1)]);
        assert!(!k.differs(&[(t1, 1)]));
        k.names.insert(t1, "a".into());
        assert_eq!(k.unknown_ids(&[(t2, 0), (t1, 0), (t2, 1)]), vec![t2]);
        assert_eq!(k.named(&[(t2, 0), (t1, 3), (t1, 0)]), vec![("a".into(), 0), ("a".into(), 3)]);
        k.reset();
        assert!(k.full && k.current.is_empty() && k.names.contains_key(&t1));
    }
}
