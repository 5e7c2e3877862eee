//! Legacy (magic 0/1) message sets: one outer message, possibly a compressed
//! wrapper around a set of inner messages.

use bytes::Bytes;

use super::cursor::Cursor;
use super::layout::{LOG_OVERHEAD, OFF_MAGIC};
use super::types::{BatchInfo, DecodeError, DecodeOptions, Record, TimestampType};
use crate::protocol::compression::{self, Codec};

/// A parsed v0/v1 message; `value` is still compressed for wrappers.
struct LegacyMessage {
    offset: i64,
    magic: i8,
    codec: Codec,
    timestamp: i64,
    timestamp_type: TimestampType,
    key: Option<Bytes>,
    value: Option<Bytes>,
}

/// Parses the message at `start..end` (offset and size included).
fn parse_legacy(
    data: &Bytes,
    start: usize,
    end: usize,
    check_crcs: bool,
) -> Result<LegacyMessage, DecodeError> {
    let mut c = Cursor::new(&data[..end], start);
    let offset = c.i64()?;
    let _size = c.i32()?;
    let crc = c.u32()?;
    if check_crcs {
        let computed = crc32fast::hash(&data[start + OFF_MAGIC..end]);
        if computed != crc {
            return Err(DecodeError::Crc { offset, expected: crc, computed });
        }
    }
    let magic = c.i8()?;
    let attributes = c.i8()? as u8;
    let codec = Codec::from_attributes(attributes).ok_or(DecodeError::UnknownCodec(attributes & 7))?;
    let (timestamp, timestamp_type) = match magic {
        0 => (-1, TimestampType::NotAvailable),
        1 => {
            let ts = c.i64()?;
            let tt =
                if attributes & 0x08 != 0 { TimestampType::LogAppendTime } else { TimestampType::CreateTime };
            (ts, tt)
        }
        m => return Err(DecodeError::UnsupportedMagic(m)),
    };
    let key = c.bytes32()?.map(|r| data.slice(r));
    let value = c.bytes32()?.map(|r| data.slice(r));
    Ok(LegacyMessage { offset, magic, codec, timestamp, timestamp_type, key, value })
}

fn legacy_record(m: LegacyMessage) -> Record {
    Record {
        offset: m.offset,
        timestamp: m.timestamp,
        timestamp_type: m.timestamp_type,
        key: m.key,
        value: m.value,
        headers: Vec::new(),
        leader_epoch: -1,
    }
}

/// Decodes one outer message into its batch header and records.
pub(super) fn decode_legacy(
    data: &Bytes,
    start: usize,
    end: usize,
    outer_offset: i64,
    opts: &DecodeOptions,
) -> Result<(BatchInfo, Vec<Record>), DecodeError> {
    let outer = parse_legacy(data, start, end, opts.check_crcs)?;
    let mut info = BatchInfo {
        magic: outer.magic,
        base_offset: outer_offset,
        last_offset: outer_offset,
        partition_leader_epoch: -1,
        producer_id: -1,
        producer_epoch: -1,
        base_sequence: -1,
        is_transactional: false,
        is_control: false,
        codec: outer.codec,
        timestamp_type: outer.timestamp_type,
        base_timestamp: outer.timestamp,
        max_timestamp: outer.timestamp,
        record_count: 1,
        size: end - start,
    };
    if outer.codec == Codec::None {
        return Ok((info, vec![legacy_record(outer)]));
    }
    let compressed =
        outer.value.as_deref().ok_or(DecodeError::Malformed("compressed message without value"))?;
    let mut out = Vec::new();
    if outer.codec == Codec::Lz4 && outer.magic == 0 {
        compression::decompress_legacy_lz4(compressed, &mut out, opts.max_decompressed)?;
    } else {
        compression::decompress(outer.codec, compressed, &mut out, opts.max_decompressed)?;
    }
    let inner_data = Bytes::from(out);
    let mut records = Vec::new();
    let mut pos = 0;
    // A truncated trailing inner message is dropped, like a truncated batch.
    while inner_data.len() - pos >= LOG_OVERHEAD {
        let mut c = Cursor::new(&inner_data, pos);
        c.i64()?;
        let size = c.i32()?;
        if size < 14 {
            return Err(DecodeError::Malformed("inner message size too small"));
        }
        let mend = pos + LOG_OVERHEAD + size as usize;
        if mend > inner_data.len() {
            break;
        }
        let m = parse_legacy(&inner_data, pos, mend, opts.check_crcs)?;
        if m.codec != Codec::None {
            return Err(DecodeError::Malformed("nested compressed message"));
        }
        let mut r = legacy_record(m);
        if outer.timestamp_type == TimestampType::LogAppendTime {
            r.timestamp = outer.timestamp;
            r.timestamp_type = TimestampType::LogAppendTime;
        }
        records.push(r);
        pos = mend;
    }
    // From magic 1 on, inner offsets are relative and the wrapper carries the
    // offset of the last inner message.
    if outer.magic >= 1 {
        if let Some(last_rel) = records.last().map(|r| r.offset) {
            let base = outer_offset.wrapping_sub(last_rel);
            for r in &mut records {
                r.offset = base.wrapping_add(r.offset);
            }
        }
    }
    if let (Some(first), Some(last)) = (records.first(), records.last()) {
        info.base_offset = first.offset;
        info.last_offset = last.offset;
    }
    if outer.timestamp_type != TimestampType::LogAppendTime {
        if let Some(first) = records.first() {
            info.base_timestamp = first.timestamp;
        }
        info.max_timestamp = records.iter().map(|r| r.timestamp).max().unwrap_or(outer.timestamp);
    }
    info.record_count = records.len() as i32;
    Ok((info, records))
}
