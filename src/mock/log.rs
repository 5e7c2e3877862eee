//! One partition's log: record batches kept as the producer sent them (only the base
//! offset is rewritten, which the CRC does not cover), watermarks, the idempotent
//! producers' recent sequences and the transactions that touch the partition.

use super::wire::{control_batch, BatchHead};
use crate::error::ErrorCode;
use crate::protocol::records::{decode_records, DecodeOptions};
use bytes::{Bytes, BytesMut};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// A batch in the log.
pub struct Stored {
    pub base: i64,
    pub last: i64,
    pub max_ts: i64,
    pub bytes: Bytes,
}

impl Stored {
    /// (control batch, transactional, producer id), from the v2 batch header.
    pub fn kind(&self) -> (bool, bool, i64) {
        let b = &self.bytes;
        if b.len() < 51 {
            return (false, false, -1);
        }
        let attrs = i16::from_be_bytes([b[21], b[22]]);
        let pid = i64::from_be_bytes(b[43..51].try_into().unwrap_or([0xff; 8]));
        (attrs & 0x20 != 0, attrs & 0x10 != 0, pid)
    }
}

/// What an idempotent producer last wrote here: its epoch and up to five batches
/// (first sequence, last sequence, base offset), as a Kafka broker keeps them.
#[derive(Default)]
struct ProducerState {
    epoch: i16,
    recent: VecDeque<(i32, i32, i64)>,
}

/// An aborted transaction's range, for read_committed fetches.
#[derive(Clone, Copy)]
pub struct Aborted {
    pub pid: i64,
    pub first: i64,
    pub last: i64,
}

#[derive(Default)]
pub struct Log {
    batches: VecDeque<Stored>,
    /// Log start offset.
    pub start: i64,
    /// Log end offset; every replica is in sync here, so it is the high watermark.
    pub end: i64,
    /// Open transactions: producer id -> first offset.
    ongoing: BTreeMap<i64, i64>,
    aborted: Vec<Aborted>,
    producers: HashMap<i64, ProducerState>,
}

/// A fetch's answer for one partition.
pub struct Read {
    pub records: Bytes,
    pub aborted: Vec<Aborted>,
}

impl Log {
    /// The last stable offset: the first offset of the oldest open transaction.
    pub fn lso(&self) -> i64 {
        self.ongoing.values().next().copied().map_or(self.end, |f| f.min(self.end))
    }

    /// Appends the batches of one Produce partition, stamped with the leader's epoch. Returns the base offset of the
    /// first batch (or of the original, for a duplicate) or the error to answer.
    pub fn append(&mut self, records: &[u8], now_ms: i64, leader_epoch: i32) -> Result<i64, ErrorCode> {
        let heads = BatchHead::split(records)?;
        let mut first_base = None;
        for (pos, h) in heads {
            if h.pid >= 0 && h.base_seq >= 0 {
                if let Some(dup) = self.check_sequence(&h)? {
                    first_base.get_or_insert(dup);
                    continue;
                }
            }
            let base = self.end;
            let mut b = BytesMut::from(&records[pos..pos + h.size]);
            // The broker sets the base offset and its leader epoch; the CRC covers neither.
            b[0..8].copy_from_slice(&base.to_be_bytes());
            b[12..16].copy_from_slice(&leader_epoch.to_be_bytes());
            let last = base + h.last_delta as i64;
            if h.pid >= 0 && h.base_seq >= 0 {
                let p = self.producers.entry(h.pid).or_default();
                p.epoch = h.epoch;
                p.recent.push_back((h.base_seq, h.base_seq.wrapping_add(h.last_delta), base));
                if p.recent.len() > 5 {
                    p.recent.pop_front();
                }
            }
            if h.transactional {
                self.ongoing.entry(h.pid).or_insert(base);
            }
            let max_ts = if h.max_ts < 0 { now_ms } else { h.max_ts };
            self.batches.push_back(Stored { base, last, max_ts, bytes: b.freeze() });
            self.end = last + 1;
            first_base.get_or_insert(base);
        }
        first_base.ok_or(ErrorCode::INVALID_MSG)
    }

    /// Kafka's sequence rules. Ok(Some(base)): a duplicate of a batch written at base.
    fn check_sequence(&self, h: &BatchHead) -> Result<Option<i64>, ErrorCode> {
        let last_seq = h.base_seq.wrapping_add(h.last_delta);
        let Some(p) = self.producers.get(&h.pid) else {
            return if h.base_seq == 0 { Ok(None) } else { Err(ErrorCode::UNKNOWN_PRODUCER_ID) };
        };
        if h.epoch < p.epoch {
            return Err(ErrorCode::INVALID_PRODUCER_EPOCH);
        }
        if h.epoch > p.epoch {
            return if h.base_seq == 0 { Ok(None) } else { Err(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER) };
        }
        if let Some(&(_, _, base)) = p.recent.iter().find(|r| r.0 == h.base_seq && r.1 == last_seq) {
            return Ok(Some(base));
        }
        let expected = p.recent.back().map_or(0, |r| r.1.wrapping_add(1)) & i32::MAX;
        if h.base_seq != expected {
            return Err(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        }
        Ok(None)
    }

    /// Batches from `offset` on, at least one and then up to `max_bytes`; committed
    /// reads stop at the last stable offset and get the aborted ranges they cover.
    pub fn read(&self, offset: i64, max_bytes: usize, committed: bool) -> Read {
        self.read_upto(offset, max_bytes, committed, self.end)
    }

    /// `read` that stops before `upto` too (a lagging follower's end).
    pub fn read_upto(&self, offset: i64, max_bytes: usize, committed: bool, upto: i64) -> Read {
        let limit = if committed { self.lso() } else { self.end }.min(upto);
        let mut out = BytesMut::new();
        let mut last = offset;
        let i = self.batches.partition_point(|b| b.last < offset);
        for b in self.batches.range(i..) {
            if b.base >= limit || (!out.is_empty() && out.len() + b.bytes.len() > max_bytes) {
                break;
            }
            out.extend_from_slice(&b.bytes);
            last = b.last;
        }
        let aborted = if committed && !out.is_empty() {
            self.aborted.iter().filter(|a| a.last >= offset && a.first <= last).copied().collect()
        } else {
            Vec::new()
        };
        Read { records: out.freeze(), aborted }
    }

    /// The stored batches that end at or after `offset`, in order (share fetches
    /// acquire records batch by batch).
    pub fn batches_from(&self, offset: i64) -> impl Iterator<Item = &Stored> {
        let i = self.batches.partition_point(|b| b.last < offset);
        self.batches.range(i..)
    }

    /// Whether `offset`, written by producer `pid`, belongs to an aborted transaction.
    pub fn is_aborted(&self, pid: i64, offset: i64) -> bool {
        self.aborted.iter().any(|a| a.pid == pid && a.first <= offset && offset <= a.last)
    }

    /// Ends a producer's transaction here with a control batch; an abort leaves its
    /// range for read_committed readers to skip. Nothing to do if it wrote nothing.
    pub fn end_txn(&mut self, pid: i64, epoch: i16, commit: bool, now_ms: i64) {
        // A marker of a newer epoch fences the producer's older one here; the new
        // epoch's sequences start at 0.
        if let Some(p) = self.producers.get_mut(&pid) {
            if epoch > p.epoch {
                p.epoch = epoch;
                p.recent.clear();
            }
        }
        let Some(first) = self.ongoing.remove(&pid) else { return };
        let base = self.end;
        let bytes = control_batch(base, pid, epoch, commit, now_ms);
        self.batches.push_back(Stored { base, last: base, max_ts: now_ms, bytes });
        self.end = base + 1;
        if !commit {
            self.aborted.push(Aborted { pid, first, last: base });
        }
    }

    /// The first offset whose record's timestamp is at or after `ts`, and that
    /// timestamp; None past the end.
    pub fn offset_for_time(&self, ts: i64) -> Option<(i64, i64)> {
        let b = self.batches.iter().find(|b| b.max_ts >= ts)?;
        records_of(b).into_iter().find(|r| r.1 >= ts).or(Some((b.base, b.max_ts)))
    }

    /// The offset and timestamp of the record with the largest timestamp (KIP-734).
    pub fn max_timestamp(&self) -> Option<(i64, i64)> {
        let b = self.batches.iter().max_by_key(|b| (b.max_ts, -b.base))?;
        records_of(b).into_iter().find(|r| r.1 == b.max_ts).or(Some((b.base, b.max_ts)))
    }

    /// Drops whole batches below `offset` and moves the log start there.
    pub fn delete_before(&mut self, offset: i64) -> Result<i64, ErrorCode> {
        let offset = if offset == -1 { self.end } else { offset };
        if offset < 0 || offset > self.end {
            return Err(ErrorCode::OFFSET_OUT_OF_RANGE);
        }
        while self.batches.front().is_some_and(|b| b.last < offset) {
            self.batches.pop_front();
        }
        self.start = self.start.max(offset);
        Ok(self.start)
    }
}

/// (offset, timestamp) of every data record of a batch.
fn records_of(b: &Stored) -> Vec<(i64, i64)> {
    match decode_records(b.bytes.clone(), DecodeOptions::default()) {
        Ok(batches) => batches.into_iter().flat_map(|(_, rs)| rs).map(|r| (r.offset, r.timestamp)).collect(),
        Err(_) => Vec::new(),
    }
}
