//! Zero-copy reader: walks a fetch response's `records` bytes batch by batch,
//! decoding v2 batches here and legacy message sets in `legacy`.

use bytes::Bytes;

use super::cursor::Cursor;
use super::layout::{
    ATTR_CODEC_MASK, ATTR_CONTROL, ATTR_LOG_APPEND_TIME, ATTR_TRANSACTIONAL, BATCH_HEADER_SIZE, LOG_OVERHEAD,
    OFF_ATTRIBUTES, OFF_MAGIC,
};
use super::legacy::decode_legacy;
use super::types::{BatchInfo, DecodeError, DecodeOptions, Record, TimestampType};
use crate::protocol::compression::{self, Codec};

/// Walks the batches of a `records` field. Yields one [`Batch`] per v2 batch or
/// legacy outer message. Stops at the end of the data, at a truncated trailing
/// batch (see [`RecordsReader::partial_trailing`]), or after the first error.
pub struct RecordsReader {
    data: Bytes,
    pos: usize,
    opts: DecodeOptions,
    partial: bool,
}

impl RecordsReader {
    pub fn new(data: Bytes, opts: DecodeOptions) -> Self {
        RecordsReader { data, pos: 0, opts, partial: false }
    }

    /// True when the walk ended at an incomplete batch: if no batch came out at
    /// all, the fetch size was too small for the next batch.
    pub fn partial_trailing(&self) -> bool {
        self.partial
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn next_batch(&mut self) -> Option<Result<Batch, DecodeError>> {
        let rest = self.data.len() - self.pos;
        if rest == 0 {
            return None;
        }
        if rest < LOG_OVERHEAD + 5 {
            self.partial = true;
            self.pos = self.data.len();
            return None;
        }
        let mut c = Cursor::new(&self.data, self.pos);
        let (offset, size) = match (c.i64(), c.i32()) {
            (Ok(o), Ok(s)) => (o, s),
            _ => return self.fail(DecodeError::Malformed("truncated batch header")),
        };
        let magic = self.data[self.pos + OFF_MAGIC] as i8;
        let min = match magic {
            2 => BATCH_HEADER_SIZE - LOG_OVERHEAD,
            1 => 22,
            0 => 14,
            m => return self.fail(DecodeError::UnsupportedMagic(m)),
        };
        if size < 0 || (size as usize) < min {
            return self.fail(DecodeError::Malformed("batch size too small"));
        }
        let end = self.pos + LOG_OVERHEAD + size as usize;
        if end > self.data.len() {
            self.partial = true;
            self.pos = self.data.len();
            return None;
        }
        let start = self.pos;
        self.pos = end;
        let res = if magic == 2 {
            decode_v2_header(&self.data, start, end, &self.opts)
        } else {
            decode_legacy(&self.data, start, end, offset, &self.opts)
                .map(|(info, records)| Batch { info, body: Body::Legacy(records.into_iter()) })
        };
        match res {
            Ok(b) => Some(Ok(b)),
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: DecodeError) -> Option<Result<Batch, DecodeError>> {
        self.pos = self.data.len();
        Some(Err(e))
    }
}

impl Iterator for RecordsReader {
    type Item = Result<Batch, DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch()
    }
}

/// One batch's header and its records, decoded lazily.
pub struct Batch {
    pub info: BatchInfo,
    body: Body,
}

enum Body {
    V2 { data: Bytes, pos: usize, remaining: i32 },
    Legacy(std::vec::IntoIter<Record>),
}

impl Iterator for Batch {
    type Item = Result<Record, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.body {
            Body::Legacy(it) => it.next().map(Ok),
            Body::V2 { data, pos, remaining } => {
                if *remaining <= 0 {
                    return None;
                }
                *remaining -= 1;
                let res = decode_v2_record(data, pos, &self.info);
                if res.is_err() {
                    *remaining = 0;
                }
                Some(res)
            }
        }
    }
}

fn decode_v2_header(
    data: &Bytes,
    start: usize,
    end: usize,
    opts: &DecodeOptions,
) -> Result<Batch, DecodeError> {
    let mut c = Cursor::new(&data[..end], start);
    let base_offset = c.i64()?;
    let _len = c.i32()?;
    let partition_leader_epoch = c.i32()?;
    let _magic = c.i8()?;
    let crc = c.u32()?;
    if opts.check_crcs {
        let computed = crc32c::crc32c(&data[start + OFF_ATTRIBUTES..end]);
        if computed != crc {
            return Err(DecodeError::Crc { offset: base_offset, expected: crc, computed });
        }
    }
    let attributes = c.i16()?;
    let last_offset_delta = c.i32()?;
    let base_timestamp = c.i64()?;
    let max_timestamp = c.i64()?;
    let producer_id = c.i64()?;
    let producer_epoch = c.i16()?;
    let base_sequence = c.i32()?;
    let record_count = c.i32()?;
    if record_count < 0 {
        return Err(DecodeError::Malformed("negative record count"));
    }
    let codec_bits = (attributes & ATTR_CODEC_MASK) as u8;
    let codec = Codec::from_attributes(codec_bits).ok_or(DecodeError::UnknownCodec(codec_bits))?;
    let info = BatchInfo {
        magic: 2,
        base_offset,
        last_offset: base_offset.wrapping_add(last_offset_delta as i64),
        partition_leader_epoch,
        producer_id,
        producer_epoch,
        base_sequence,
        is_transactional: attributes & ATTR_TRANSACTIONAL != 0,
        is_control: attributes & ATTR_CONTROL != 0,
        codec,
        timestamp_type: if attributes & ATTR_LOG_APPEND_TIME != 0 {
            TimestampType::LogAppendTime
        } else {
            TimestampType::CreateTime
        },
        base_timestamp,
        max_timestamp,
        record_count,
        size: end - start,
    };
    let records_start = start + BATCH_HEADER_SIZE;
    let body_data = if codec == Codec::None {
        data.slice(records_start..end)
    } else {
        let mut out = Vec::new();
        compression::decompress(codec, &data[records_start..end], &mut out, opts.max_decompressed)?;
        Bytes::from(out)
    };
    Ok(Batch { info, body: Body::V2 { data: body_data, pos: 0, remaining: record_count } })
}

fn decode_v2_record(data: &Bytes, pos: &mut usize, info: &BatchInfo) -> Result<Record, DecodeError> {
    let mut c = Cursor::new(data, *pos);
    let len = c.varint()?;
    if len < 0 {
        return Err(DecodeError::Malformed("negative record length"));
    }
    let body = c.take(len as usize)?;
    *pos = body.end;
    let mut c = Cursor::new(&data[..body.end], body.start);
    let _attributes = c.i8()?;
    let ts_delta = c.varlong()?;
    let offset_delta = c.varint()?;
    let key = c.varbytes()?.map(|r| data.slice(r));
    let value = c.varbytes()?.map(|r| data.slice(r));
    let n_headers = c.varint()?;
    if n_headers < 0 {
        return Err(DecodeError::Malformed("negative header count"));
    }
    // Each header takes at least 2 bytes: bounds the allocation by the input.
    let mut headers = Vec::with_capacity((n_headers as usize).min((body.end - c.pos) / 2));
    for _ in 0..n_headers {
        let k = c.varbytes()?.ok_or(DecodeError::Malformed("null header key"))?;
        let v = c.varbytes()?;
        headers.push((data.slice(k), v.map(|r| data.slice(r))));
    }
    let timestamp = if info.timestamp_type == TimestampType::LogAppendTime {
        info.max_timestamp
    } else {
        info.base_timestamp.wrapping_add(ts_delta)
    };
    Ok(Record {
        offset: info.base_offset.wrapping_add(offset_delta as i64),
        timestamp,
        timestamp_type: info.timestamp_type,
        key,
        value,
        headers,
        leader_epoch: info.partition_leader_epoch,
    })
}

/// Decodes every complete batch in `data` (convenience over [`RecordsReader`]).
pub fn decode_records(
    data: Bytes,
    opts: DecodeOptions,
) -> Result<Vec<(BatchInfo, Vec<Record>)>, DecodeError> {
    let mut out = Vec::new();
    for batch in RecordsReader::new(data, opts) {
        let batch = batch?;
        let info = batch.info;
        let records = batch.collect::<Result<Vec<_>, _>>()?;
        out.push((info, records));
    }
    Ok(out)
}
