//! Share-partitions and share sessions (KIP-932). Per (group, topic-partition): the
//! share-partition start offset (SPSO), the offsets looked at so far (up to the end
//! offset, SPEO + 1), and the in-flight records between them: AVAILABLE, ACQUIRED
//! by a member until its lock runs out, ACKNOWLEDGED or ARCHIVED, with their
//! delivery counts. Share sessions are per (group, member, broker) and live on
//! one connection, as in Kafka: closing it releases what the member holds there.

use super::cgroup_assign::Tp;
use super::log::Log;
use crate::error::ErrorCode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RState {
    Available,
    Acquired,
    Acknowledged,
    Archived,
}

pub struct Rec {
    pub state: RState,
    pub count: i16,
    pub owner: String,
    pub until: Instant,
}

pub struct SharePart {
    pub spso: i64,
    /// One past the last offset looked at (SPEO + 1): every offset in
    /// [spso, next) has a record state; later ones were never delivered.
    pub next: i64,
    pub recs: BTreeMap<i64, Rec>,
}

/// What one fetch may take: the member, the lock's end, and the limits.
pub struct Take<'a> {
    pub member: &'a str,
    pub until: Instant,
    pub max_records: usize,
    pub max_bytes: usize,
    pub max_locks: usize,
    pub committed: bool,
}

impl SharePart {
    fn release(rec: &mut Rec, max_attempts: i32) {
        rec.state = if max_attempts > 0 && rec.count as i32 >= max_attempts {
            RState::Archived
        } else {
            RState::Available
        };
        rec.owner.clear();
    }

    /// SPSO moves past acknowledged and archived records, which are then forgotten.
    fn advance(&mut self) {
        while self.spso < self.next {
            match self.recs.get(&self.spso) {
                Some(r) if matches!(r.state, RState::Acknowledged | RState::Archived) => {
                    self.recs.remove(&self.spso);
                    self.spso += 1;
                }
                _ => break,
            }
        }
    }

    /// Follows the log start forward (DeleteRecords): what went is archived.
    fn follow(&mut self, log: &Log) {
        if log.start > self.spso {
            self.recs = self.recs.split_off(&log.start);
            self.spso = log.start;
            self.next = self.next.max(log.start);
        }
    }

    fn acquired(&self) -> usize {
        self.recs.values().filter(|r| r.state == RState::Acquired).count()
    }

    fn lock(rec: &mut Rec, t: &Take) {
        rec.state = RState::Acquired;
        rec.count = rec.count.saturating_add(1);
        rec.owner = t.member.to_string();
        rec.until = t.until;
    }

    /// Acquires for `t.member`: released records first (in offset order), then new
    /// ones batch by batch, whole batches as Kafka does. Control batches and, for
    /// read_committed, aborted records are archived without delivery. Returns the
    /// acquired offsets with their delivery counts.
    pub fn acquire(&mut self, log: &Log, t: &Take) -> Vec<(i64, i16)> {
        self.follow(log);
        let mut out = Vec::new();
        let mut locks = self.acquired();
        let room = |n: usize, locks: usize| n < t.max_records && (t.max_locks == 0 || locks < t.max_locks);
        for (&o, rec) in self.recs.range_mut(..) {
            if !room(out.len(), locks) {
                return out;
            }
            if rec.state == RState::Available {
                Self::lock(rec, t);
                out.push((o, rec.count));
                locks += 1;
            }
        }
        let limit = if t.committed { log.lso() } else { log.end };
        let mut bytes = 0usize;
        for b in log.batches_from(self.next) {
            if b.base >= limit
                || !room(out.len(), locks)
                || (bytes > 0 && bytes + b.bytes.len() > t.max_bytes)
            {
                break;
            }
            let (control, txn, pid) = b.kind();
            let skip = control || (t.committed && txn && log.is_aborted(pid, b.base));
            for o in self.next.max(b.base)..=b.last {
                let mut rec = Rec { state: RState::Archived, count: 0, owner: String::new(), until: t.until };
                if !skip {
                    Self::lock(&mut rec, t);
                    out.push((o, rec.count));
                    locks += 1;
                }
                self.recs.insert(o, rec);
            }
            if !skip {
                bytes += b.bytes.len();
            }
            self.next = b.last + 1;
        }
        self.advance();
        out
    }

    /// One acknowledgement batch of `member`: every offset must be acquired by it
    /// (else INVALID_RECORD_STATE, nothing applied). Types: one for the range or
    /// one per offset; 0 gap and 3 reject archive, 1 accept acknowledges, 2 release
    /// makes the record available again (archived at the delivery limit).
    pub fn ack(
        &mut self,
        member: &str,
        first: i64,
        last: i64,
        types: &[i8],
        max_attempts: i32,
    ) -> Result<(), ErrorCode> {
        let n = last.checked_sub(first).and_then(|d| d.checked_add(1)).unwrap_or(0);
        if n <= 0 || types.is_empty() || (types.len() != 1 && types.len() as i64 != n) {
            return Err(ErrorCode::INVALID_REQUEST);
        }
        if types.iter().any(|t| !(0..=3).contains(t)) {
            return Err(ErrorCode::INVALID_REQUEST);
        }
        // More offsets than records in flight cannot all be held (and a range up to
        // i64::MAX must not be walked).
        if n as u64 > self.recs.len() as u64 {
            return Err(ErrorCode::INVALID_RECORD_STATE);
        }
        let held =
            |o: i64| self.recs.get(&o).is_some_and(|r| r.state == RState::Acquired && r.owner == member);
        if !(first..=last).all(held) {
            return Err(ErrorCode::INVALID_RECORD_STATE);
        }
        for (i, o) in (first..=last).enumerate() {
            let ty = if types.len() == 1 { types[0] } else { types[i] };
            let Some(rec) = self.recs.get_mut(&o) else { continue };
            match ty {
                1 => rec.state = RState::Acknowledged,
                2 => Self::release(rec, max_attempts),
                _ => rec.state = RState::Archived,
            }
            if ty != 2 {
                rec.owner.clear();
            }
        }
        self.advance();
        Ok(())
    }

    /// Releases what `member` holds (its session closed, it left the group).
    fn release_member(&mut self, member: &str, max_attempts: i32) -> bool {
        let mut any = false;
        for rec in self.recs.values_mut() {
            if rec.state == RState::Acquired && rec.owner == member {
                Self::release(rec, max_attempts);
                any = true;
            }
        }
        self.advance();
        any
    }

    /// Releases locks that ran out.
    fn expire(&mut self, now: Instant, max_attempts: i32) -> bool {
        let mut any = false;
        for rec in self.recs.values_mut() {
            if rec.state == RState::Acquired && rec.until <= now {
                Self::release(rec, max_attempts);
                any = true;
            }
        }
        self.advance();
        any
    }
}

/// A share session: (group, member, broker).
pub type SessionKey = (String, String, i32);

pub struct Session {
    /// The epoch the next request must carry.
    pub epoch: i32,
    pub parts: BTreeSet<Tp>,
    pub conn: u64,
}

/// A ShareFetch parked for more records: its session and acknowledgements were
/// applied when it first came, and are not applied again.
pub struct Pending {
    pub key: SessionKey,
    pub full: bool,
    pub acks: Vec<(Tp, i16)>,
}

#[derive(Default)]
pub struct Parts {
    pub by: HashMap<(String, Tp), SharePart>,
    pub sessions: HashMap<SessionKey, Session>,
    /// Parked ShareFetches by (connection, correlation id).
    pub pending: HashMap<(u64, i32), Pending>,
}

impl Parts {
    /// The share-partition, made at first use where share.auto.offset.reset says.
    pub fn part(&mut self, gid: &str, tp: Tp, log: &Log, earliest: bool) -> &mut SharePart {
        self.by.entry((gid.to_string(), tp)).or_insert_with(|| {
            let start = if earliest { log.start } else { log.end };
            SharePart { spso: start, next: start, recs: BTreeMap::new() }
        })
    }

    /// Opens a session (epoch 0); one the member had on this broker is replaced and
    /// what it held there released.
    pub fn open(
        &mut self,
        key: SessionKey,
        conn: u64,
        max_sessions: i32,
        max_attempts: i32,
    ) -> Result<(), ErrorCode> {
        if self.sessions.contains_key(&key) {
            self.close(&key, max_attempts);
        } else if max_sessions > 0
            && self.sessions.keys().filter(|k| k.2 == key.2).count() >= max_sessions as usize
        {
            return Err(ErrorCode::SHARE_SESSION_LIMIT_REACHED);
        }
        self.sessions.insert(key, Session { epoch: 0, parts: BTreeSet::new(), conn });
        Ok(())
    }

    /// Kafka's session epoch rules for epochs other than 0: the session must exist
    /// and, unless the request closes it (-1), carry the expected epoch.
    pub fn check(&self, key: &SessionKey, epoch: i32) -> Result<(), ErrorCode> {
        let s = self.sessions.get(key).ok_or(ErrorCode::SHARE_SESSION_NOT_FOUND)?;
        if epoch != -1 && epoch != s.epoch {
            return Err(ErrorCode::INVALID_SHARE_SESSION_EPOCH);
        }
        Ok(())
    }

    /// The next epoch a session expects (1 after i32::MAX).
    pub fn step(&mut self, key: &SessionKey) {
        if let Some(s) = self.sessions.get_mut(key) {
            s.epoch = if s.epoch == i32::MAX { 1 } else { s.epoch + 1 };
        }
    }

    /// Releases what the member holds on some partitions of its group.
    pub fn release(&mut self, gid: &str, member: &str, tps: &BTreeSet<Tp>, max_attempts: i32) -> bool {
        let mut any = false;
        for tp in tps {
            if let Some(p) = self.by.get_mut(&(gid.to_string(), *tp)) {
                any |= p.release_member(member, max_attempts);
            }
        }
        any
    }

    /// Closes a session, releasing the member's records on its partitions.
    pub fn close(&mut self, key: &SessionKey, max_attempts: i32) -> bool {
        let Some(s) = self.sessions.remove(key) else { return false };
        self.release(&key.0, &key.1, &s.parts, max_attempts);
        true
    }

    /// A connection closed: its sessions close, as Kafka's do.
    pub fn conn_closed(&mut self, conn: u64, max_attempts: i32) -> bool {
        self.pending.retain(|k, _| k.0 != conn);
        let keys: Vec<SessionKey> =
            self.sessions.iter().filter(|(_, s)| s.conn == conn).map(|(k, _)| k.clone()).collect();
        let mut any = false;
        for k in keys {
            any |= self.close(&k, max_attempts);
        }
        any
    }

    /// A member left the group or timed out: every session of it closes and
    /// everything it holds is released.
    pub fn member_gone(&mut self, gid: &str, member: &str, max_attempts: i32) {
        self.sessions.retain(|k, _| !(k.0 == gid && k.1 == member));
        for ((g, _), p) in self.by.iter_mut() {
            if g == gid {
                p.release_member(member, max_attempts);
            }
        }
    }

    pub fn expire(&mut self, now: Instant, max_attempts: i32) -> bool {
        let mut any = false;
        for p in self.by.values_mut() {
            any |= p.expire(now, max_attempts);
        }
        any
    }
}
