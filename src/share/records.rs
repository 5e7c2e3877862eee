//! One partition of a ShareFetch answer: the records inside the ranges the broker lent
//! this member become messages pointing into the response buffer, with the range's
//! delivery count; every lent offset gets an acknowledgement slot (a gap where no
//! record came, a control record or a compacted one).

use super::acks::{PartAcks, Range, Tp, ACQUIRED, GAP};
use crate::message::Message;
use crate::protocol::records::{DecodeOptions, RecordsReader};
use bytes::Bytes;

/// The broker's answer asks for at most this many slots per range: a larger one is
/// malformed (it would make us allocate what the bytes do not back).
const MAX_RANGE: i64 = 1 << 20;

/// A lent range: first and last offset, delivery count.
pub type Lent = (i64, i64, i16);

/// Decodes `records`; returns the messages, the partition's acknowledgement slots, and
/// a decode error if the bytes were corrupt (offsets not read are released then).
pub fn decode(
    rkt: usize,
    tp: Tp,
    records: Bytes,
    lent: &[Lent],
    check_crcs: bool,
) -> (Vec<Box<Message>>, PartAcks, Option<String>) {
    let mut ranges: Vec<(Range, i16)> = lent
        .iter()
        .filter(|&&(a, b, _)| a >= 0 && b >= a && b - a < MAX_RANGE)
        .map(|&(a, b, dc)| (Range { first: a, types: vec![GAP; (b - a + 1) as usize] }, dc))
        .collect();
    let mut out = Vec::new();
    let mut err = None;
    let opts = DecodeOptions { check_crcs, ..Default::default() };
    let mut next = 0i64;
    'batches: for batch in RecordsReader::new(records, opts) {
        let mut batch = match batch {
            Ok(b) => b,
            Err(e) => {
                err = Some(format!("Corrupt message set at offset {next}: {e}"));
                break;
            }
        };
        if batch.info.is_control {
            next = batch.info.last_offset + 1;
            continue;
        }
        for rec in batch.by_ref() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    err = Some(format!("Corrupt message at offset {next}: {e}"));
                    break 'batches;
                }
            };
            next = rec.offset + 1;
            let Some((r, dc)) = ranges
                .iter_mut()
                .find(|(r, _)| rec.offset >= r.first && rec.offset < r.first + r.types.len() as i64)
            else {
                continue; // in the batch, not lent to us
            };
            r.types[(rec.offset - r.first) as usize] = ACQUIRED;
            let mut m = Message::fetched(rkt, tp.partition, tp.leader, rec);
            m.delivery_count = *dc;
            out.push(m);
        }
    }
    if err.is_some() {
        // What could not be read goes back to the broker for someone else.
        for (r, _) in ranges.iter_mut() {
            let first = r.first;
            for (i, t) in r.types.iter_mut().enumerate() {
                if *t == GAP && first + i as i64 >= next {
                    *t = super::acks::RELEASE;
                }
            }
        }
    }
    let acks = PartAcks { tp, ranges: ranges.into_iter().map(|(r, _)| r).collect() };
    (out, acks, err)
}
