//! One-pass v2 (magic 2) batch writer: `append` writes each record in place (its
//! size is computed first, so nothing is moved), and `finish` compresses the
//! records section once, fills the header and computes the CRC32C once.

use std::fmt;

use bytes::Bytes;

use super::buf::BatchBuf;
use super::layout::*;
use super::types::DecodeError;
use super::varint::{put_bytes, varint_len, varlong_len, Head};
use crate::protocol::compression::{self, Codec, CodecError};

#[derive(Debug)]
pub enum WriteError {
    /// `finish` on a batch with no records (brokers reject empty batches).
    Empty,
    /// A key, value, header or the batch itself exceeds the protocol's i32 sizes.
    TooLarge,
    /// The buffer was changed behind the writer's back.
    BufferMismatch,
    Codec(CodecError),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Empty => f.write_str("record batch has no records"),
            WriteError::TooLarge => f.write_str("record or batch too large for the protocol"),
            WriteError::BufferMismatch => f.write_str("batch buffer was truncated while writing"),
            WriteError::Codec(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<CodecError> for WriteError {
    fn from(e: CodecError) -> Self {
        WriteError::Codec(e)
    }
}

/// Where a finished batch lies in the buffer and how it came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinishedBatch {
    /// Offset of the batch's first byte (its baseOffset) in the buffer.
    pub start: usize,
    /// Total encoded size, header included.
    pub len: usize,
    pub record_count: i32,
    /// Codec actually applied: `None` when compression would not have shrunk
    /// the records (librdkafka sends such batches uncompressed too).
    pub codec: Codec,
    /// Size of the records section before compression.
    pub uncompressed_records_len: usize,
}

/// Encodes one v2 record batch in place at the end of a caller's buffer.
/// Holds only offsets and counters, so many writers can share one buffer in
/// turn (e.g. one ProduceRequest holding batches for several partitions).
#[derive(Debug)]
pub struct RecordBatchWriter {
    start: usize,
    /// The buffer's `spliced()` when the batch began.
    start_spliced: u64,
    base_timestamp: i64,
    max_timestamp: i64,
    count: i32,
    transactional: bool,
}

impl RecordBatchWriter {
    /// Starts a batch at the end of `buf`. `producer_id` -1, `producer_epoch` -1
    /// and `base_sequence` -1 for a producer that is not idempotent.
    pub fn new<B: BatchBuf + ?Sized>(
        buf: &mut B,
        base_timestamp: i64,
        producer_id: i64,
        producer_epoch: i16,
        base_sequence: i32,
        transactional: bool,
    ) -> Self {
        let start = buf.buf_len();
        let start_spliced = buf.spliced();
        let mut h = [0u8; BATCH_HEADER_SIZE];
        // baseOffset 0, length/crc/attributes/counts filled by finish(). The
        // partitionLeaderEpoch is 0, as librdkafka writes it: brokers set their own, but
        // one that keeps the producer's (Tansu) hands 0 back to consumers, not "none".
        h[OFF_LEADER_EPOCH..OFF_LEADER_EPOCH + 4].copy_from_slice(&0i32.to_be_bytes());
        h[OFF_MAGIC] = 2;
        h[OFF_BASE_TIMESTAMP..OFF_BASE_TIMESTAMP + 8].copy_from_slice(&base_timestamp.to_be_bytes());
        h[OFF_PRODUCER_ID..OFF_PRODUCER_ID + 8].copy_from_slice(&producer_id.to_be_bytes());
        h[OFF_PRODUCER_EPOCH..OFF_PRODUCER_EPOCH + 2].copy_from_slice(&producer_epoch.to_be_bytes());
        h[OFF_BASE_SEQUENCE..OFF_BASE_SEQUENCE + 4].copy_from_slice(&base_sequence.to_be_bytes());
        buf.put_slice(&h);
        RecordBatchWriter {
            start,
            start_spliced,
            base_timestamp,
            max_timestamp: base_timestamp,
            count: 0,
            transactional,
        }
    }

    /// Number of records appended so far.
    pub fn record_count(&self) -> i32 {
        self.count
    }

    /// Offset of the batch in the buffer.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Current uncompressed size of the batch, header included.
    pub fn size<B: BatchBuf + ?Sized>(&self, buf: &B) -> usize {
        buf.buf_len().saturating_sub(self.start) + (buf.spliced() - self.start_spliced) as usize
    }

    /// Exact encoded size of one record's body (what its length prefix holds).
    pub fn record_body_size<K, V>(
        timestamp_delta: i64,
        offset_delta: i32,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(K, Option<V>)],
    ) -> usize
    where
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        fn field(b: Option<&[u8]>) -> usize {
            match b {
                Some(b) => varint_len(b.len() as i32) + b.len(),
                None => 1,
            }
        }
        let mut n = 1 + varlong_len(timestamp_delta) + varint_len(offset_delta) + field(key) + field(value);
        n += varint_len(headers.len() as i32);
        for (k, v) in headers {
            n += field(Some(k.as_ref())) + field(v.as_ref().map(|v| v.as_ref()));
        }
        n
    }

    /// Upper bound of the bytes one record adds to a batch, whatever its
    /// timestamp and position: for batch.size / message.max.bytes accounting.
    pub fn estimated_size(
        key_len: usize,
        value_len: usize,
        headers_len: usize,
        header_count: usize,
    ) -> usize {
        // length(5) attributes(1) timestampDelta(10) offsetDelta(5) key len(5)
        // value len(5) header count(5); each header: key len(5) value len(5).
        36 + key_len + value_len + headers_len + header_count * 10
    }

    /// Appends one record; its offset delta is the number of records before it.
    /// Returns the bytes written.
    pub fn append<B, K, V>(
        &mut self,
        buf: &mut B,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(K, Option<V>)],
    ) -> Result<usize, WriteError>
    where
        B: BatchBuf + ?Sized,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        self.append_value(buf, timestamp, key, value, None, headers)
    }

    /// `append` with a value in shared bytes, which the buffer may take by reference
    /// (`BatchBuf::put_shared`). Such a batch cannot be compressed in place.
    pub fn append_shared<B, K, V>(
        &mut self,
        buf: &mut B,
        timestamp: i64,
        key: Option<&[u8]>,
        value: &Bytes,
        headers: &[(K, Option<V>)],
    ) -> Result<usize, WriteError>
    where
        B: BatchBuf + ?Sized,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        self.append_value(buf, timestamp, key, Some(value), Some(value), headers)
    }

    // Inlined into both entry points, as `append` was before it had two.
    #[inline(always)]
    fn append_value<B, K, V>(
        &mut self,
        buf: &mut B,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        shared: Option<&Bytes>,
        headers: &[(K, Option<V>)],
    ) -> Result<usize, WriteError>
    where
        B: BatchBuf + ?Sized,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        const MAX: usize = i32::MAX as usize;
        if key.map_or(0, |k| k.len()) > MAX || value.map_or(0, |v| v.len()) > MAX || headers.len() > MAX {
            return Err(WriteError::TooLarge);
        }
        for (k, v) in headers {
            if k.as_ref().len() > MAX || v.as_ref().map_or(0, |v| v.as_ref().len()) > MAX {
                return Err(WriteError::TooLarge);
            }
        }
        if self.count == i32::MAX {
            return Err(WriteError::TooLarge);
        }
        let ts_delta = timestamp.wrapping_sub(self.base_timestamp);
        let body = Self::record_body_size(ts_delta, self.count, key, value, headers);
        if body > MAX {
            return Err(WriteError::TooLarge);
        }
        let before = buf.buf_len() as u64 + buf.spliced();
        // Length, attributes (unused), timestamp and offset deltas and the key's length
        // in one copy; the value's length (and the header count) with the key or value.
        let mut head = Head::new();
        head.varint(body as i32).byte(0).varlong(ts_delta).varint(self.count);
        head.varint(key.map_or(-1, |k| k.len() as i32));
        if let Some(k) = key {
            head.flush(buf);
            buf.put_slice(k);
        }
        head.varint(value.map_or(-1, |v| v.len() as i32));
        head.flush(buf);
        match (shared, value) {
            (Some(b), _) => buf.put_shared(b),
            (None, Some(v)) => buf.put_slice(v),
            (None, None) => {}
        }
        head.varint(headers.len() as i32);
        head.flush(buf);
        for (k, v) in headers {
            put_bytes(buf, Some(k.as_ref()));
            put_bytes(buf, v.as_ref().map(|v| v.as_ref()));
        }
        self.count += 1;
        if timestamp > self.max_timestamp {
            self.max_timestamp = timestamp;
        }
        Ok((buf.buf_len() as u64 + buf.spliced() - before) as usize)
    }

    /// Completes the batch: compresses the records section with `codec` (via
    /// `scratch`, which keeps its capacity for the next batch), then fills the
    /// header and the CRC32C. On error the batch is removed from `buf`.
    pub fn finish<B: BatchBuf + ?Sized>(
        self,
        buf: &mut B,
        codec: Codec,
        level: i32,
        scratch: &mut Vec<u8>,
    ) -> Result<FinishedBatch, WriteError> {
        let res = self.finish_inner(buf, codec, level, scratch);
        if res.is_err() && buf.buf_len() >= self.start {
            buf.buf_truncate(self.start);
        }
        res
    }

    fn finish_inner<B: BatchBuf + ?Sized>(
        &self,
        buf: &mut B,
        codec: Codec,
        level: i32,
        scratch: &mut Vec<u8>,
    ) -> Result<FinishedBatch, WriteError> {
        if self.count == 0 {
            return Err(WriteError::Empty);
        }
        let records_start = self.start + BATCH_HEADER_SIZE;
        if buf.buf_len() < records_start {
            return Err(WriteError::BufferMismatch);
        }
        let spliced = (buf.spliced() - self.start_spliced) as usize;
        let uncompressed_len = buf.buf_len() - records_start + spliced;
        let mut used = Codec::None;
        // Values held by reference are not in the buffer to compress (encoders only
        // splice uncompressed batches).
        if codec != Codec::None && spliced == 0 {
            scratch.clear();
            compression::compress(codec, level, &buf.buf_mut()[records_start..], scratch)?;
            if scratch.len() < uncompressed_len {
                buf.buf_truncate(records_start);
                buf.put_slice(scratch);
                used = codec;
            }
        }
        let len = buf.buf_len() - self.start + spliced;
        if len - LOG_OVERHEAD > i32::MAX as usize {
            return Err(WriteError::TooLarge);
        }
        let mut attributes = used as i16;
        if self.transactional {
            attributes |= ATTR_TRANSACTIONAL;
        }
        let b = &mut buf.buf_mut()[self.start..];
        b[OFF_LENGTH..OFF_LENGTH + 4].copy_from_slice(&((len - LOG_OVERHEAD) as i32).to_be_bytes());
        b[OFF_ATTRIBUTES..OFF_ATTRIBUTES + 2].copy_from_slice(&attributes.to_be_bytes());
        b[OFF_LAST_OFFSET_DELTA..OFF_LAST_OFFSET_DELTA + 4].copy_from_slice(&(self.count - 1).to_be_bytes());
        b[OFF_MAX_TIMESTAMP..OFF_MAX_TIMESTAMP + 8].copy_from_slice(&self.max_timestamp.to_be_bytes());
        b[OFF_RECORD_COUNT..OFF_RECORD_COUNT + 4].copy_from_slice(&self.count.to_be_bytes());
        let crc = buf.crc32c_from(self.start + OFF_ATTRIBUTES, self.start_spliced);
        buf.buf_mut()[self.start + OFF_CRC..self.start + OFF_CRC + 4].copy_from_slice(&crc.to_be_bytes());
        Ok(FinishedBatch {
            start: self.start,
            len,
            record_count: self.count,
            codec: used,
            uncompressed_records_len: uncompressed_len,
        })
    }
}

/// Rewrites the idempotence fields of a finished v2 batch (e.g. when a retried
/// batch gets a new producer id or sequence) and recomputes its CRC.
pub fn set_producer_fields(
    batch: &mut [u8],
    producer_id: i64,
    producer_epoch: i16,
    base_sequence: i32,
) -> Result<(), DecodeError> {
    if batch.len() < BATCH_HEADER_SIZE || batch[OFF_MAGIC] != 2 {
        return Err(DecodeError::Malformed("not a v2 record batch"));
    }
    batch[OFF_PRODUCER_ID..OFF_PRODUCER_ID + 8].copy_from_slice(&producer_id.to_be_bytes());
    batch[OFF_PRODUCER_EPOCH..OFF_PRODUCER_EPOCH + 2].copy_from_slice(&producer_epoch.to_be_bytes());
    batch[OFF_BASE_SEQUENCE..OFF_BASE_SEQUENCE + 4].copy_from_slice(&base_sequence.to_be_bytes());
    let crc = crc32c::crc32c(&batch[OFF_ATTRIBUTES..]);
    batch[OFF_CRC..OFF_CRC + 4].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}
