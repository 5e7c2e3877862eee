//! The application's side of acknowledgement: the records a poll handed out, one type
//! per offset of each acquired range, until they are taken out as acknowledgement
//! batches for the broker. Only the thread inside the share API touches it.

use crate::error::ErrorCode;
use std::sync::Arc;
use uuid::Uuid;

/// Acknowledgement types on the wire (ACCEPT/RELEASE/REJECT as the public enum), and
/// two internal ones: not acknowledged yet, and an offset the broker lent that has no
/// record (a control record or a compacted one), acknowledged as a gap.
pub const ACQUIRED: i8 = -1;
pub const GAP: i8 = 0;
pub const ACCEPT: i8 = 1;
pub const RELEASE: i8 = 2;

/// One acquired range: a type per offset.
pub struct Range {
    pub first: i64,
    pub types: Vec<i8>,
}

/// The identity of a share partition the way requests and results need it.
#[derive(Clone)]
pub struct Tp {
    pub topic: Arc<str>,
    pub topic_id: Uuid,
    pub partition: i32,
    /// The broker the records were acquired from: their acknowledgements go there.
    pub leader: i32,
}

/// A partition's acquired records.
pub struct PartAcks {
    pub tp: Tp,
    pub ranges: Vec<Range>,
}

/// Acknowledgements of one partition on their way to the broker: runs of one type.
pub struct AckBatch {
    pub tp: Tp,
    pub runs: Vec<(i64, i64, i8)>,
}

impl AckBatch {
    /// Every offset the batch acknowledges (the callback's list).
    pub fn offsets(&self) -> Vec<i64> {
        self.runs.iter().flat_map(|&(a, b, _)| a..=b).collect()
    }
}

/// What the application still holds.
#[derive(Default)]
pub struct Inflight {
    parts: Vec<PartAcks>,
    unacked: i64,
}

impl Inflight {
    /// Records of a new poll.
    pub fn add(&mut self, parts: Vec<PartAcks>) {
        for p in parts {
            self.unacked += count(&p, ACQUIRED);
            match self.parts.iter_mut().find(|q| same(&q.tp, &p.tp)) {
                Some(q) => {
                    q.tp.leader = p.tp.leader;
                    q.ranges.extend(p.ranges);
                }
                None => self.parts.push(p),
            }
        }
    }

    pub fn unacked(&self) -> i64 {
        self.unacked
    }

    /// Implicit mode: everything handed out is accepted.
    pub fn accept_all(&mut self) {
        for t in self.parts.iter_mut().flat_map(|p| p.ranges.iter_mut()).flat_map(|r| r.types.iter_mut()) {
            if *t == ACQUIRED {
                *t = ACCEPT;
            }
        }
        self.unacked = 0;
    }

    /// Sets the type of one record; _STATE when the record is not one still held (or
    /// is a gap).
    pub fn ack(&mut self, topic: &str, partition: i32, offset: i64, typ: i8) -> ErrorCode {
        let p = self.parts.iter_mut().find(|p| &*p.tp.topic == topic && p.tp.partition == partition);
        let Some(r) = p.and_then(|p| {
            p.ranges.iter_mut().find(|r| offset >= r.first && offset < r.first + r.types.len() as i64)
        }) else {
            return ErrorCode::_STATE;
        };
        let t = &mut r.types[(offset - r.first) as usize];
        if *t == GAP {
            return ErrorCode::_STATE;
        }
        if *t == ACQUIRED {
            self.unacked -= 1;
        }
        *t = typ;
        ErrorCode::NO_ERROR
    }

    /// Takes out every acknowledged offset (runs of one type per partition), keeping
    /// the ones still unacknowledged.
    pub fn take(&mut self) -> Vec<AckBatch> {
        let mut out = Vec::new();
        for p in self.parts.iter_mut() {
            let mut runs = Vec::new();
            let mut kept = Vec::new();
            for r in p.ranges.drain(..) {
                let mut i = 0;
                while i < r.types.len() {
                    let t = r.types[i];
                    let j = i + r.types[i..].iter().take_while(|&&x| x == t).count();
                    let (a, b) = (r.first + i as i64, r.first + j as i64 - 1);
                    if t == ACQUIRED {
                        kept.push(Range { first: a, types: vec![ACQUIRED; j - i] });
                    } else {
                        runs.push((a, b, t));
                    }
                    i = j;
                }
            }
            p.ranges = kept;
            if !runs.is_empty() {
                out.push(AckBatch { tp: p.tp.clone(), runs });
            }
        }
        self.parts.retain(|p| !p.ranges.is_empty());
        out
    }
}

fn same(a: &Tp, b: &Tp) -> bool {
    a.topic_id == b.topic_id && a.partition == b.partition
}

fn count(p: &PartAcks, typ: i8) -> i64 {
    p.ranges.iter().flat_map(|r| r.types.iter()).filter(|&&t| t == typ).count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp() -> Tp {
        Tp { topic: "t".into(), topic_id: Uuid::from_u128(7), partition: 0, leader: 1 }
    }

    #[test]
    fn runs_of_one_type_go_out_and_unacked_stay() {
        let mut f = Inflight::default();
        let mut types = vec![ACQUIRED; 5];
        types[2] = GAP;
        f.add(vec![PartAcks { tp: tp(), ranges: vec![Range { first: 10, types }] }]);
        assert_eq!(f.unacked(), 4);
        assert_eq!(f.ack("t", 0, 10, ACCEPT), ErrorCode::NO_ERROR);
        assert_eq!(f.ack("t", 0, 11, ACCEPT), ErrorCode::NO_ERROR);
        assert_eq!(f.ack("t", 0, 12, ACCEPT), ErrorCode::_STATE); // a gap
        assert_eq!(f.ack("t", 0, 99, ACCEPT), ErrorCode::_STATE);
        assert_eq!(f.ack("u", 0, 10, ACCEPT), ErrorCode::_STATE);
        assert_eq!(f.ack("t", 0, 13, 3), ErrorCode::NO_ERROR);
        assert_eq!(f.unacked(), 1);
        let b = f.take();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].runs, vec![(10, 11, ACCEPT), (12, 12, GAP), (13, 13, 3)]);
        assert_eq!(f.unacked(), 1);
        f.accept_all();
        let b = f.take();
        assert_eq!(b[0].runs, vec![(14, 14, ACCEPT)]);
        assert!(f.take().is_empty());
    }
}
