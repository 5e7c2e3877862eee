//! Kafka record batches: a one-pass v2 (magic 2) batch writer and a zero-copy
//! reader for v2 batches and legacy v0/v1 message sets.
//!
//! Writing: [`RecordBatchWriter`] appends a batch header with placeholders to the
//! caller's buffer, each `append` writes one record in place (its size is computed
//! first, so nothing is moved), and `finish` compresses the records section once,
//! fills the header and computes the CRC32C once.
//!
//! Reading: [`RecordsReader`] walks a fetch response's `records` bytes batch by
//! batch; record keys, values and headers are `Bytes` slices of the response (or
//! of the batch's single decompression buffer). A truncated trailing batch, which
//! brokers routinely send, ends the walk without an error.

use std::fmt;

use bytes::{Bytes, BytesMut};

use super::compression::{self, Codec, CodecError};

/// Size of the v2 batch header up to and including the record count.
pub const BATCH_HEADER_SIZE: usize = 61;
/// Bytes before the batch length field's coverage starts (baseOffset + length).
pub const LOG_OVERHEAD: usize = 12;

// Field positions within a v2 batch.
const OFF_LENGTH: usize = 8;
const OFF_LEADER_EPOCH: usize = 12;
const OFF_MAGIC: usize = 16;
const OFF_CRC: usize = 17;
const OFF_ATTRIBUTES: usize = 21;
const OFF_LAST_OFFSET_DELTA: usize = 23;
const OFF_BASE_TIMESTAMP: usize = 27;
const OFF_MAX_TIMESTAMP: usize = 35;
const OFF_PRODUCER_ID: usize = 43;
const OFF_PRODUCER_EPOCH: usize = 51;
const OFF_BASE_SEQUENCE: usize = 53;
const OFF_RECORD_COUNT: usize = 57;

const ATTR_CODEC_MASK: i16 = 0x07;
const ATTR_LOG_APPEND_TIME: i16 = 0x08;
const ATTR_TRANSACTIONAL: i16 = 0x10;
const ATTR_CONTROL: i16 = 0x20;

// ---------------------------------------------------------------------------
// Varints (zigzag, as the Kafka protocol uses them)

#[inline]
fn zigzag32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

#[inline]
fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn uvarint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Encoded size of a zigzag varint.
#[inline]
pub fn varint_len(v: i32) -> usize {
    uvarint_len(zigzag32(v) as u64)
}

/// Encoded size of a zigzag varlong.
#[inline]
pub fn varlong_len(v: i64) -> usize {
    uvarint_len(zigzag64(v))
}

#[inline]
fn put_uvarint<B: BatchBuf + ?Sized>(buf: &mut B, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut n = 0;
    while v >= 0x80 {
        tmp[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    tmp[n] = v as u8;
    buf.put_slice(&tmp[..=n]);
}

#[inline]
fn put_varint<B: BatchBuf + ?Sized>(buf: &mut B, v: i32) {
    put_uvarint(buf, zigzag32(v) as u64)
}

#[inline]
fn put_varlong<B: BatchBuf + ?Sized>(buf: &mut B, v: i64) {
    put_uvarint(buf, zigzag64(v))
}

// ---------------------------------------------------------------------------
// Writing

/// A growable byte buffer a batch can be encoded into (`Vec<u8>` or `BytesMut`).
pub trait BatchBuf {
    fn buf_len(&self) -> usize;
    fn put_slice(&mut self, s: &[u8]);
    fn buf_truncate(&mut self, len: usize);
    fn buf_mut(&mut self) -> &mut [u8];
}

impl BatchBuf for Vec<u8> {
    #[inline]
    fn buf_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put_slice(&mut self, s: &[u8]) {
        self.extend_from_slice(s)
    }
    #[inline]
    fn buf_truncate(&mut self, len: usize) {
        self.truncate(len)
    }
    #[inline]
    fn buf_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl BatchBuf for BytesMut {
    #[inline]
    fn buf_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put_slice(&mut self, s: &[u8]) {
        self.extend_from_slice(s)
    }
    #[inline]
    fn buf_truncate(&mut self, len: usize) {
        self.truncate(len)
    }
    #[inline]
    fn buf_mut(&mut self) -> &mut [u8] {
        self
    }
}

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
        let mut h = [0u8; BATCH_HEADER_SIZE];
        // baseOffset 0, length/crc/attributes/counts filled by finish().
        h[OFF_LEADER_EPOCH..OFF_LEADER_EPOCH + 4].copy_from_slice(&(-1i32).to_be_bytes());
        h[OFF_MAGIC] = 2;
        h[OFF_BASE_TIMESTAMP..OFF_BASE_TIMESTAMP + 8].copy_from_slice(&base_timestamp.to_be_bytes());
        h[OFF_PRODUCER_ID..OFF_PRODUCER_ID + 8].copy_from_slice(&producer_id.to_be_bytes());
        h[OFF_PRODUCER_EPOCH..OFF_PRODUCER_EPOCH + 2].copy_from_slice(&producer_epoch.to_be_bytes());
        h[OFF_BASE_SEQUENCE..OFF_BASE_SEQUENCE + 4].copy_from_slice(&base_sequence.to_be_bytes());
        buf.put_slice(&h);
        RecordBatchWriter { start, base_timestamp, max_timestamp: base_timestamp, count: 0, transactional }
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
        buf.buf_len().saturating_sub(self.start)
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
        let before = buf.buf_len();
        put_varint(buf, body as i32);
        buf.put_slice(&[0]); // record attributes: unused
        put_varlong(buf, ts_delta);
        put_varint(buf, self.count);
        put_bytes(buf, key);
        put_bytes(buf, value);
        put_varint(buf, headers.len() as i32);
        for (k, v) in headers {
            put_bytes(buf, Some(k.as_ref()));
            put_bytes(buf, v.as_ref().map(|v| v.as_ref()));
        }
        self.count += 1;
        if timestamp > self.max_timestamp {
            self.max_timestamp = timestamp;
        }
        Ok(buf.buf_len() - before)
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
        let uncompressed_len = buf.buf_len() - records_start;
        let mut used = Codec::None;
        if codec != Codec::None {
            scratch.clear();
            compression::compress(codec, level, &buf.buf_mut()[records_start..], scratch)?;
            if scratch.len() < uncompressed_len {
                buf.buf_truncate(records_start);
                buf.put_slice(scratch);
                used = codec;
            }
        }
        let len = buf.buf_len() - self.start;
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
        let crc = crc32c::crc32c(&b[OFF_ATTRIBUTES..]);
        b[OFF_CRC..OFF_CRC + 4].copy_from_slice(&crc.to_be_bytes());
        Ok(FinishedBatch {
            start: self.start,
            len,
            record_count: self.count,
            codec: used,
            uncompressed_records_len: uncompressed_len,
        })
    }
}

#[inline]
fn put_bytes<B: BatchBuf + ?Sized>(buf: &mut B, b: Option<&[u8]>) {
    match b {
        Some(b) => {
            put_varint(buf, b.len() as i32);
            buf.put_slice(b);
        }
        None => put_varint(buf, -1),
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

// ---------------------------------------------------------------------------
// Reading

#[derive(Debug)]
pub enum DecodeError {
    /// The bytes do not follow the format.
    Malformed(&'static str),
    /// A checksum mismatch (only when CRC checking is on).
    Crc {
        offset: i64,
        expected: u32,
        computed: u32,
    },
    UnsupportedMagic(i8),
    UnknownCodec(u8),
    Codec(CodecError),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed(w) => write!(f, "malformed record data: {w}"),
            DecodeError::Crc { offset, expected, computed } => write!(
                f,
                "CRC mismatch at offset {offset}: expected {expected:#010x}, computed {computed:#010x}"
            ),
            DecodeError::UnsupportedMagic(m) => write!(f, "unsupported MessageSet magic {m}"),
            DecodeError::UnknownCodec(c) => write!(f, "unknown compression codec {c}"),
            DecodeError::Codec(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DecodeError {}

impl From<CodecError> for DecodeError {
    fn from(e: CodecError) -> Self {
        DecodeError::Codec(e)
    }
}

/// Values as librdkafka's `rd_kafka_timestamp_type_t`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TimestampType {
    NotAvailable = 0,
    CreateTime = 1,
    LogAppendTime = 2,
}

/// A control record's marker type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ControlType {
    Abort,
    Commit,
    Other(i16),
}

/// Parses a control record key (version i16, type i16).
pub fn control_type(key: &[u8]) -> Option<ControlType> {
    if key.len() < 4 {
        return None;
    }
    Some(match i16::from_be_bytes([key[2], key[3]]) {
        0 => ControlType::Abort,
        1 => ControlType::Commit,
        t => ControlType::Other(t),
    })
}

/// One record; key, value and header fields share the response's memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub offset: i64,
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<(Bytes, Option<Bytes>)>,
    /// The batch's partitionLeaderEpoch (-1 for legacy messages).
    pub leader_epoch: i32,
}

/// Header of one batch (or, for v0/v1, of one outer message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchInfo {
    pub magic: i8,
    pub base_offset: i64,
    /// Offset of the batch's last record: the fetch position after this
    /// batch is `last_offset + 1`, even when compaction left fewer records.
    pub last_offset: i64,
    pub partition_leader_epoch: i32,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub is_transactional: bool,
    pub is_control: bool,
    pub codec: Codec,
    pub timestamp_type: TimestampType,
    pub base_timestamp: i64,
    pub max_timestamp: i64,
    pub record_count: i32,
    /// Bytes the batch occupies in the fetched data.
    pub size: usize,
}

/// Read-committed filtering (KIP-98). The broker lists each aborted transaction in a
/// fetched range as (producer id, first offset); that producer's transactional batches
/// are hidden from the first offset up to its next control batch (the abort marker).
pub struct AbortedTxns {
    /// Listed aborts not reached yet, by first offset.
    pending: Vec<(i64, i64)>,
    /// Producers whose aborted transaction is open at the current batch.
    active: Vec<i64>,
}

impl AbortedTxns {
    pub fn new(mut list: Vec<(i64, i64)>) -> AbortedTxns {
        list.sort_by_key(|a| std::cmp::Reverse(a.1));
        AbortedTxns { pending: list, active: Vec::new() }
    }

    /// Whether the application must not see this batch's records: control batches
    /// always, transactional data of an aborted transaction under read_committed.
    pub fn hides(&mut self, info: &BatchInfo) -> bool {
        while self.pending.last().is_some_and(|a| a.1 <= info.last_offset) {
            let (pid, _) = self.pending.pop().unwrap_or_default();
            self.active.push(pid);
        }
        if info.is_control {
            // The marker ends the producer's transaction, committed or aborted.
            self.active.retain(|&pid| pid != info.producer_id);
            return true;
        }
        info.is_transactional && self.active.contains(&info.producer_id)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// Verify CRC32C (v2) / CRC32 (v0/v1), as librdkafka's `check.crcs`.
    pub check_crcs: bool,
    /// Largest decompressed size accepted for one batch.
    pub max_decompressed: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { check_crcs: false, max_decompressed: compression::DEFAULT_MAX_DECOMPRESSED }
    }
}

/// Bounds-checked big-endian reader over a slice.
struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(b: &'a [u8], pos: usize) -> Self {
        Cursor { b, pos }
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<std::ops::Range<usize>, DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(DecodeError::Malformed("truncated field"))?;
        let r = self.pos..end;
        self.pos = end;
        Ok(r)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let r = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&self.b[r]);
        Ok(a)
    }

    fn i8(&mut self) -> Result<i8, DecodeError> {
        Ok(self.array::<1>()?[0] as i8)
    }
    fn i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.array()?))
    }
    fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    #[inline]
    fn uvarint(&mut self, max_bytes: usize) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for i in 0..max_bytes {
            let Some(&byte) = self.b.get(self.pos) else {
                return Err(DecodeError::Malformed("truncated varint"));
            };
            self.pos += 1;
            v |= ((byte & 0x7f) as u64) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::Malformed("varint too long"))
    }

    #[inline]
    fn varint(&mut self) -> Result<i32, DecodeError> {
        let u = self.uvarint(5)?;
        if u > u32::MAX as u64 {
            return Err(DecodeError::Malformed("varint overflows i32"));
        }
        let u = u as u32;
        Ok((u >> 1) as i32 ^ -((u & 1) as i32))
    }

    #[inline]
    fn varlong(&mut self) -> Result<i64, DecodeError> {
        let u = self.uvarint(10)?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    /// Varint-length-prefixed bytes, -1 meaning null.
    #[inline]
    fn varbytes(&mut self) -> Result<Option<std::ops::Range<usize>>, DecodeError> {
        match self.varint()? {
            -1 => Ok(None),
            n if n < 0 => Err(DecodeError::Malformed("negative length")),
            n => Ok(Some(self.take(n as usize)?)),
        }
    }

    /// i32-length-prefixed bytes (v0/v1), -1 meaning null.
    fn bytes32(&mut self) -> Result<Option<std::ops::Range<usize>>, DecodeError> {
        match self.i32()? {
            -1 => Ok(None),
            n if n < 0 => Err(DecodeError::Malformed("negative length")),
            n => Ok(Some(self.take(n as usize)?)),
        }
    }
}

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

fn decode_legacy(
    data: &Bytes,
    start: usize,
    end: usize,
    outer_offset: i64,
    opts: &DecodeOptions,
) -> Result<Batch, DecodeError> {
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
        return Ok(Batch { info, body: Body::Legacy(vec![legacy_record(outer)].into_iter()) });
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
    Ok(Batch { info, body: Body::Legacy(records.into_iter()) })
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

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_protocol::indexmap::IndexMap;
    use kafka_protocol::protocol::StrBytes;
    use kafka_protocol::records as kp;

    const ALL: [Codec; 5] = [Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4, Codec::Zstd];

    type Hdrs = Vec<(String, Option<Vec<u8>>)>;

    /// (timestamp, key, value, headers) samples covering nulls, empties and
    /// negative timestamp deltas; values are repetitive so every codec shrinks them.
    type Sample = (i64, Option<Vec<u8>>, Option<Vec<u8>>, Hdrs);

    fn samples() -> Vec<Sample> {
        let big: Vec<u8> = b"kafkars ".iter().cycle().take(3000).copied().collect();
        vec![
            (1_700_000_000_000, Some(b"key-0".to_vec()), Some(big.clone()), vec![]),
            (1_700_000_000_005, None, Some(b"no key".to_vec()), vec![("h1".into(), Some(b"v1".to_vec()))]),
            (
                1_699_999_999_000,
                Some(b"tombstone".to_vec()),
                None,
                vec![("n".into(), None), ("".into(), Some(vec![]))],
            ),
            (1_700_000_000_002, None, None, vec![]),
            (1_700_000_100_000, Some(vec![]), Some(vec![]), vec![("x".into(), Some(big[..200].to_vec()))]),
            (1_700_000_000_001, Some(b"k".to_vec()), Some(big[..1000].to_vec()), vec![]),
        ]
    }

    fn encode_ours(codec: Codec, pid: i64, epoch: i16, seq: i32, txn: bool) -> (Vec<u8>, FinishedBatch) {
        let s = samples();
        let mut buf = vec![9, 9, 9]; // batch need not start at 0
        let mut w = RecordBatchWriter::new(&mut buf, s[0].0, pid, epoch, seq, txn);
        for (ts, k, v, h) in &s {
            let hdrs: Vec<(&str, Option<&[u8]>)> =
                h.iter().map(|(k, v)| (k.as_str(), v.as_deref())).collect();
            let n = w.append(&mut buf, *ts, k.as_deref(), v.as_deref(), &hdrs).unwrap();
            let hl: usize = h.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, |v| v.len())).sum();
            let est = RecordBatchWriter::estimated_size(
                k.as_ref().map_or(0, |k| k.len()),
                v.as_ref().map_or(0, |v| v.len()),
                hl,
                h.len(),
            );
            assert!(n <= est, "{n} > {est}");
        }
        let mut scratch = Vec::new();
        let fin = w.finish(&mut buf, codec, -1, &mut scratch).unwrap();
        assert_eq!(fin.start, 3);
        assert_eq!(fin.len, buf.len() - 3);
        assert_eq!(fin.codec, codec);
        buf.drain(..3);
        (buf, fin)
    }

    fn check_ours_decoded(batches: &[(BatchInfo, Vec<Record>)], codec: Codec) {
        let s = samples();
        assert_eq!(batches.len(), 1);
        let (info, recs) = &batches[0];
        assert_eq!(info.codec, codec);
        assert_eq!(info.record_count, 6);
        assert_eq!((info.base_offset, info.last_offset), (0, 5));
        assert_eq!(info.base_timestamp, s[0].0);
        assert_eq!(info.max_timestamp, 1_700_000_100_000);
        assert_eq!(recs.len(), s.len());
        for (i, (r, (ts, k, v, h))) in recs.iter().zip(&s).enumerate() {
            assert_eq!(r.offset, i as i64);
            assert_eq!(r.timestamp, *ts);
            assert_eq!(r.timestamp_type, TimestampType::CreateTime);
            assert_eq!(r.key.as_deref(), k.as_deref());
            assert_eq!(r.value.as_deref(), v.as_deref());
            let got: Vec<(&[u8], Option<&[u8]>)> =
                r.headers.iter().map(|(k, v)| (&k[..], v.as_deref())).collect();
            let want: Vec<(&[u8], Option<&[u8]>)> =
                h.iter().map(|(k, v)| (k.as_bytes(), v.as_deref())).collect();
            assert_eq!(got, want);
            assert_eq!(r.leader_epoch, -1);
        }
    }

    fn strict() -> DecodeOptions {
        DecodeOptions { check_crcs: true, ..Default::default() }
    }

    #[test]
    fn crc32c_known_vector() {
        assert_eq!(crc32c::crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn header_layout_is_kafka_v2() {
        let (b, fin) = encode_ours(Codec::None, 1234, 5, 77, true);
        assert_eq!(&b[0..8], &0i64.to_be_bytes()); // baseOffset
        assert_eq!(i32::from_be_bytes(b[8..12].try_into().unwrap()) as usize, b.len() - 12);
        assert_eq!(&b[12..16], &(-1i32).to_be_bytes()); // partitionLeaderEpoch
        assert_eq!(b[16], 2);
        assert_eq!(u32::from_be_bytes(b[17..21].try_into().unwrap()), crc32c::crc32c(&b[21..]));
        assert_eq!(i16::from_be_bytes([b[21], b[22]]), 0x10); // transactional, CreateTime, no codec
        assert_eq!(i32::from_be_bytes(b[23..27].try_into().unwrap()), 5);
        assert_eq!(i64::from_be_bytes(b[43..51].try_into().unwrap()), 1234);
        assert_eq!(i16::from_be_bytes([b[51], b[52]]), 5);
        assert_eq!(i32::from_be_bytes(b[53..57].try_into().unwrap()), 77);
        assert_eq!(i32::from_be_bytes(b[57..61].try_into().unwrap()), 6);
        assert_eq!(fin.uncompressed_records_len, b.len() - 61);
        let d = decode_records(Bytes::from(b), strict()).unwrap();
        let i = d[0].0;
        assert!(i.is_transactional && !i.is_control);
        assert_eq!((i.producer_id, i.producer_epoch, i.base_sequence), (1234, 5, 77));
    }

    #[test]
    fn round_trip_all_codecs() {
        for codec in ALL {
            let (b, _) = encode_ours(codec, -1, -1, -1, false);
            let d = decode_records(Bytes::from(b), strict()).unwrap();
            check_ours_decoded(&d, codec);
        }
    }

    #[test]
    fn ours_decode_with_kafka_protocol() {
        let s = samples();
        for codec in ALL {
            let (b, _) = encode_ours(codec, 42, 3, 100, true);
            let mut bytes = Bytes::from(b);
            let sets = kp::RecordBatchDecoder::decode_all(&mut bytes).unwrap();
            assert_eq!(sets.len(), 1);
            assert_eq!(sets[0].compression as i32, codec as i32);
            let recs = &sets[0].records;
            assert_eq!(recs.len(), s.len());
            for (i, (r, (ts, k, v, h))) in recs.iter().zip(&s).enumerate() {
                assert_eq!(r.offset, i as i64);
                assert_eq!(r.sequence, 100 + i as i32);
                assert_eq!((r.producer_id, r.producer_epoch, r.transactional), (42, 3, true));
                assert_eq!(r.timestamp, *ts);
                assert_eq!(r.key.as_deref(), k.as_deref());
                assert_eq!(r.value.as_deref(), v.as_deref());
                let got: Vec<(&[u8], Option<&[u8]>)> =
                    r.headers.iter().map(|(k, v)| (k.as_bytes(), v.as_deref())).collect();
                let want: Vec<(&[u8], Option<&[u8]>)> =
                    h.iter().map(|(k, v)| (k.as_bytes(), v.as_deref())).collect();
                assert_eq!(got, want);
            }
        }
    }

    fn kp_records(base_offset: i64) -> Vec<kp::Record> {
        samples()
            .into_iter()
            .enumerate()
            .map(|(i, (ts, k, v, h))| {
                let mut headers = IndexMap::new();
                for (hk, hv) in h {
                    headers.insert(StrBytes::from_string(hk), hv.map(Bytes::from));
                }
                kp::Record {
                    transactional: false,
                    control: false,
                    delete_horizon: false,
                    partition_leader_epoch: 7,
                    producer_id: 9,
                    producer_epoch: 1,
                    timestamp_type: kp::TimestampType::Creation,
                    offset: base_offset + i as i64,
                    sequence: 20 + i as i32,
                    timestamp: ts,
                    key: k.map(Bytes::from),
                    value: v.map(Bytes::from),
                    headers,
                }
            })
            .collect()
    }

    #[test]
    fn kafka_protocol_batches_decode_with_ours() {
        let s = samples();
        let kc = [
            kp::Compression::None,
            kp::Compression::Gzip,
            kp::Compression::Snappy, // xerial-framed, as Java writes it
            kp::Compression::Lz4,
            kp::Compression::Zstd,
        ];
        // All codecs back to back in one buffer, as a fetch response has them.
        let mut buf = BytesMut::new();
        for (i, c) in kc.iter().enumerate() {
            let recs = kp_records(1000 + 10 * i as i64);
            let opts = kp::RecordEncodeOptions { version: 2, compression: *c };
            kp::RecordBatchEncoder::encode(&mut buf, recs.iter(), &opts).unwrap();
        }
        let data = buf.freeze();
        let d = decode_records(data.clone(), strict()).unwrap();
        assert_eq!(d.len(), 5);
        for (i, (info, recs)) in d.iter().enumerate() {
            assert_eq!(info.codec, ALL[i]);
            let base = 1000 + 10 * i as i64;
            assert_eq!((info.base_offset, info.last_offset), (base, base + 5));
            assert_eq!((info.producer_id, info.producer_epoch, info.base_sequence), (9, 1, 20));
            assert_eq!(info.partition_leader_epoch, 7);
            // The minimum timestamp is the batch base in kafka-protocol's encoder.
            assert_eq!(info.base_timestamp, 1_699_999_999_000);
            for (j, (r, (ts, k, v, h))) in recs.iter().zip(&s).enumerate() {
                assert_eq!(r.offset, base + j as i64);
                assert_eq!(r.timestamp, *ts);
                assert_eq!(r.key.as_deref(), k.as_deref());
                assert_eq!(r.value.as_deref(), v.as_deref());
                assert_eq!(r.headers.len(), h.len());
                assert_eq!(r.leader_epoch, 7);
            }
        }
        // The snappy batch really is xerial-framed.
        let snappy_start = d[0].0.size + d[1].0.size;
        assert_eq!(&data[snappy_start + 61..snappy_start + 69], b"\x82SNAPPY\x00");
    }

    #[test]
    fn values_are_slices_of_the_response() {
        let (b, _) = encode_ours(Codec::None, -1, -1, -1, false);
        let data = Bytes::from(b);
        let range = data.as_ptr() as usize..data.as_ptr() as usize + data.len();
        let d = decode_records(data.clone(), DecodeOptions::default()).unwrap();
        let v = d[0].1[0].value.as_ref().unwrap();
        assert!(range.contains(&(v.as_ptr() as usize)));
    }

    #[test]
    fn multiple_batches_in_bytes_mut_and_partial_trailing() {
        let mut buf = BytesMut::new();
        let mut scratch = Vec::new();
        for (i, codec) in ALL.iter().enumerate() {
            let mut w = RecordBatchWriter::new(&mut buf, 1000, -1, -1, -1, false);
            for j in 0..3 {
                let v = format!("value {i} {j} {}", "z".repeat(100));
                w.append(&mut buf, 1000 + j, None, Some(v.as_bytes()), &[] as &[(&str, Option<&[u8]>)])
                    .unwrap();
            }
            w.finish(&mut buf, *codec, -1, &mut scratch).unwrap();
        }
        let full = buf.freeze();
        let d = decode_records(full.clone(), strict()).unwrap();
        assert_eq!(d.len(), 5);
        // A fetch response may end inside a batch: that batch is dropped quietly.
        let cut = full.len() - 10;
        let mut r = RecordsReader::new(full.slice(..cut), strict());
        let n = r.by_ref().map(|b| b.unwrap().count()).sum::<usize>();
        assert_eq!(n, 12);
        assert!(r.partial_trailing());
        let mut r = RecordsReader::new(full.slice(..5), strict());
        assert!(r.next().is_none() && r.partial_trailing());
    }

    #[test]
    fn empty_batch_is_refused_and_removed() {
        let mut buf = vec![1u8];
        let w = RecordBatchWriter::new(&mut buf, 0, -1, -1, -1, false);
        assert!(matches!(w.finish(&mut buf, Codec::None, -1, &mut Vec::new()), Err(WriteError::Empty)));
        assert_eq!(buf, vec![1]);
    }

    #[test]
    fn incompressible_batch_goes_uncompressed() {
        let mut buf = Vec::new();
        let mut w = RecordBatchWriter::new(&mut buf, 0, -1, -1, -1, false);
        w.append(&mut buf, 0, None, Some(b"ab"), &[] as &[(&str, Option<&[u8]>)]).unwrap();
        let fin = w.finish(&mut buf, Codec::Gzip, -1, &mut Vec::new()).unwrap();
        assert_eq!(fin.codec, Codec::None);
        let d = decode_records(Bytes::from(buf), strict()).unwrap();
        assert_eq!(d[0].1[0].value.as_deref(), Some(&b"ab"[..]));
    }

    /// Sets attribute bits on a finished batch and fixes its CRC.
    fn patch_attributes(b: &mut [u8], or_bits: i16) {
        let a = i16::from_be_bytes([b[21], b[22]]) | or_bits;
        b[21..23].copy_from_slice(&a.to_be_bytes());
        let crc = crc32c::crc32c(&b[21..]);
        b[17..21].copy_from_slice(&crc.to_be_bytes());
    }

    #[test]
    fn control_and_log_append_time() {
        let mut buf = Vec::new();
        let mut w = RecordBatchWriter::new(&mut buf, 500, 77, 2, -1, true);
        // Commit marker: key version 0 type 1; value version 0 + coordinator epoch.
        w.append(
            &mut buf,
            500,
            Some(&[0, 0, 0, 1]),
            Some(&[0, 0, 0, 0, 0, 5]),
            &[] as &[(&str, Option<&[u8]>)],
        )
        .unwrap();
        w.finish(&mut buf, Codec::None, -1, &mut Vec::new()).unwrap();
        patch_attributes(&mut buf, ATTR_CONTROL | ATTR_LOG_APPEND_TIME);
        buf[35..43].copy_from_slice(&900i64.to_be_bytes());
        let crc = crc32c::crc32c(&buf[21..]);
        buf[17..21].copy_from_slice(&crc.to_be_bytes());
        let d = decode_records(Bytes::from(buf), strict()).unwrap();
        let (info, recs) = &d[0];
        assert!(info.is_control && info.is_transactional);
        assert_eq!(info.producer_id, 77);
        assert_eq!(control_type(recs[0].key.as_deref().unwrap()), Some(ControlType::Commit));
        assert_eq!(recs[0].timestamp, 900);
        assert_eq!(recs[0].timestamp_type, TimestampType::LogAppendTime);
    }

    #[test]
    fn set_producer_fields_keeps_crc_valid() {
        let (mut b, _) = encode_ours(Codec::Lz4, -1, -1, -1, false);
        set_producer_fields(&mut b, 5, 6, 7).unwrap();
        let d = decode_records(Bytes::from(b), strict()).unwrap();
        assert_eq!((d[0].0.producer_id, d[0].0.producer_epoch, d[0].0.base_sequence), (5, 6, 7));
    }

    #[test]
    fn crc_mismatch_detected_only_when_checking() {
        let (mut b, _) = encode_ours(Codec::None, -1, -1, -1, false);
        let at = b.len() - 2; // a byte of the last record's value
        b[at] ^= 1;
        let data = Bytes::from(b);
        assert!(matches!(decode_records(data.clone(), strict()), Err(DecodeError::Crc { .. })));
        assert!(decode_records(data, DecodeOptions::default()).is_ok());
    }

    // ---- legacy v0/v1 message sets, built per the protocol guide

    fn legacy_msg(
        offset: i64,
        magic: i8,
        attrs: i8,
        ts: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut m = vec![magic as u8, attrs as u8];
        if magic == 1 {
            m.extend_from_slice(&ts.to_be_bytes());
        }
        for f in [key, value] {
            match f {
                Some(b) => {
                    m.extend_from_slice(&(b.len() as i32).to_be_bytes());
                    m.extend_from_slice(b);
                }
                None => m.extend_from_slice(&(-1i32).to_be_bytes()),
            }
        }
        let mut out = offset.to_be_bytes().to_vec();
        out.extend_from_slice(&((m.len() + 4) as i32).to_be_bytes());
        out.extend_from_slice(&crc32fast::hash(&m).to_be_bytes());
        out.extend_from_slice(&m);
        out
    }

    fn legacy_inner(magic: i8, relative: bool) -> Vec<u8> {
        let mut set = Vec::new();
        for i in 0..4i64 {
            let off = if relative { i } else { 200 + i };
            let v = format!("legacy value {i} {}", "q".repeat(50));
            let key = if i == 1 { None } else { Some(format!("k{i}").into_bytes()) };
            set.extend(legacy_msg(off, magic, 0, 5000 + i, key.as_deref(), Some(v.as_bytes())));
        }
        set
    }

    fn check_legacy_records(recs: &[Record], base: i64, magic: i8) {
        assert_eq!(recs.len(), 4);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r.offset, base + i as i64);
            let v = format!("legacy value {i} {}", "q".repeat(50));
            assert_eq!(r.value.as_deref(), Some(v.as_bytes()));
            if i == 1 {
                assert!(r.key.is_none());
            } else {
                assert_eq!(r.key.as_deref(), Some(format!("k{i}").as_bytes()));
            }
            if magic == 0 {
                assert_eq!((r.timestamp, r.timestamp_type), (-1, TimestampType::NotAvailable));
            } else {
                assert_eq!((r.timestamp, r.timestamp_type), (5000 + i as i64, TimestampType::CreateTime));
            }
        }
    }

    fn compress_legacy(codec: Codec, magic: i8, inner: &[u8]) -> Vec<u8> {
        let mut c = Vec::new();
        match codec {
            // Java clients frame snappy the xerial way.
            Codec::Snappy => c = compression::tests::xerial(inner, 32 * 1024),
            _ => compression::compress(codec, -1, inner, &mut c).unwrap(),
        }
        if codec == Codec::Lz4 && magic == 0 {
            // Kafka 0.8's header checksum also covered the magic number.
            let hc = 6;
            c[hc] = (xxh32_for_test(&c[..hc]) >> 8) as u8;
        }
        c
    }

    fn xxh32_for_test(d: &[u8]) -> u32 {
        // Reference value via the lz4 frame encoder is not exposed; recompute.
        const P1: u32 = 2654435761;
        const P2: u32 = 2246822519;
        const P3: u32 = 3266489917;
        const P4: u32 = 668265263;
        const P5: u32 = 374761393;
        let mut h = P5.wrapping_add(d.len() as u32);
        let mut ch = d.chunks_exact(4);
        for c in &mut ch {
            h = h
                .wrapping_add(u32::from_le_bytes([c[0], c[1], c[2], c[3]]).wrapping_mul(P3))
                .rotate_left(17)
                .wrapping_mul(P4);
        }
        for &b in ch.remainder() {
            h = h.wrapping_add((b as u32).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
        }
        h ^= h >> 15;
        h = h.wrapping_mul(P2);
        h ^= h >> 13;
        h = h.wrapping_mul(P3);
        h ^ (h >> 16)
    }

    #[test]
    fn legacy_uncompressed_v0_v1() {
        for magic in [0i8, 1] {
            let mut set = Vec::new();
            for i in 0..4i64 {
                let v = format!("legacy value {i} {}", "q".repeat(50));
                let key = if i == 1 { None } else { Some(format!("k{i}").into_bytes()) };
                set.extend(legacy_msg(300 + i, magic, 0, 5000 + i, key.as_deref(), Some(v.as_bytes())));
            }
            let d = decode_records(Bytes::from(set), strict()).unwrap();
            assert_eq!(d.len(), 4);
            let recs: Vec<Record> = d.iter().flat_map(|(_, r)| r.clone()).collect();
            check_legacy_records(&recs, 300, magic);
            assert_eq!(d[2].0.magic, magic);
            assert_eq!(d[2].0.producer_id, -1);
        }
    }

    #[test]
    fn legacy_compressed_wrappers() {
        for magic in [0i8, 1] {
            for codec in [Codec::Gzip, Codec::Snappy, Codec::Lz4] {
                // v1 wrappers hold relative inner offsets; the wrapper has the last one.
                let inner = legacy_inner(magic, magic == 1);
                let payload = compress_legacy(codec, magic, &inner);
                let mut set = legacy_msg(203, magic, codec as i8, 6000, None, Some(&payload));
                // Followed by a plain message and a truncated one.
                set.extend(legacy_msg(204, magic, 0, 6001, None, Some(b"after")));
                let partial = legacy_msg(205, magic, 0, 6002, None, Some(b"cut off"));
                set.extend_from_slice(&partial[..partial.len() - 2]);
                let mut r = RecordsReader::new(Bytes::from(set), strict());
                let b = r.next().unwrap().unwrap();
                assert_eq!(b.info.codec, codec, "{codec:?} v{magic}");
                assert_eq!((b.info.base_offset, b.info.last_offset, b.info.record_count), (200, 203, 4));
                let recs: Vec<Record> = b.map(|x| x.unwrap()).collect();
                check_legacy_records(&recs, 200, magic);
                let b = r.next().unwrap().unwrap();
                assert_eq!(b.info.base_offset, 204);
                assert!(r.next().is_none());
                assert!(r.partial_trailing());
            }
        }
    }

    #[test]
    fn legacy_log_append_time_wrapper() {
        let inner = legacy_inner(1, true);
        let payload = compress_legacy(Codec::Gzip, 1, &inner);
        let set = legacy_msg(103, 1, Codec::Gzip as i8 | 0x08, 7777, None, Some(&payload));
        let d = decode_records(Bytes::from(set), strict()).unwrap();
        for r in &d[0].1 {
            assert_eq!((r.timestamp, r.timestamp_type), (7777, TimestampType::LogAppendTime));
        }
        assert_eq!(d[0].1[0].offset, 100);
    }

    #[test]
    fn legacy_crc_checked() {
        let mut m = legacy_msg(1, 1, 0, 1, None, Some(b"x"));
        let last = m.len() - 1;
        m[last] ^= 0xff;
        assert!(matches!(decode_records(Bytes::from(m), strict()), Err(DecodeError::Crc { .. })));
    }

    // ---- robustness: every truncation and many random byte flips, no panic

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn decode_all_ignoring(data: Bytes, check: bool) -> usize {
        let opts = DecodeOptions { check_crcs: check, max_decompressed: 1 << 20 };
        let mut n = 0;
        for b in RecordsReader::new(data, opts).flatten() {
            n += b.flatten().count();
        }
        n
    }

    #[test]
    fn fuzz_truncations_and_flips_never_panic() {
        let mut inputs: Vec<Vec<u8>> = ALL.iter().map(|&c| encode_ours(c, 1, 1, 1, false).0).collect();
        let inner = legacy_inner(1, true);
        for codec in [Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4] {
            let payload =
                if codec == Codec::None { b"plain".to_vec() } else { compress_legacy(codec, 1, &inner) };
            inputs.push(legacy_msg(3, 1, codec as i8, 1, Some(b"k"), Some(&payload)));
        }
        inputs.push(legacy_msg(
            3,
            0,
            Codec::Lz4 as i8,
            0,
            None,
            Some(&compress_legacy(Codec::Lz4, 0, &legacy_inner(0, false))),
        ));
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for input in &inputs {
            for cut in 0..=input.len() {
                decode_all_ignoring(Bytes::copy_from_slice(&input[..cut]), false);
            }
            for _ in 0..1500 {
                let mut m = input.clone();
                for _ in 0..(1 + xorshift(&mut seed) % 3) {
                    let i = (xorshift(&mut seed) % m.len() as u64) as usize;
                    m[i] = xorshift(&mut seed) as u8;
                }
                decode_all_ignoring(Bytes::from(m.clone()), false);
                decode_all_ignoring(Bytes::from(m), true);
            }
        }
        // Pure noise, including fake magic bytes.
        for len in 0..400usize {
            let mut m: Vec<u8> = (0..len).map(|_| xorshift(&mut seed) as u8).collect();
            if len > 16 {
                m[16] = (len % 3) as u8;
            }
            decode_all_ignoring(Bytes::from(m), false);
        }
    }

    // ---- genuine librdkafka 2.16 output: ProduceRequest records captured from
    // confluent-kafka (bundled librdkafka) by a fake broker advertising the
    // protocol versions for each message format.

    fn librdkafka_capture(name: &str) -> &'static [u8] {
        match name {
            "m0_none" => include_bytes!("testdata/m0_none.bin"),
            "m0_gzip" => include_bytes!("testdata/m0_gzip.bin"),
            "m0_snappy" => include_bytes!("testdata/m0_snappy.bin"),
            "m0_lz4" => include_bytes!("testdata/m0_lz4.bin"),
            "m1_none" => include_bytes!("testdata/m1_none.bin"),
            "m1_gzip" => include_bytes!("testdata/m1_gzip.bin"),
            "m1_snappy" => include_bytes!("testdata/m1_snappy.bin"),
            "m1_lz4" => include_bytes!("testdata/m1_lz4.bin"),
            "m2_none" => include_bytes!("testdata/m2_none.bin"),
            "m2_gzip" => include_bytes!("testdata/m2_gzip.bin"),
            "m2_snappy" => include_bytes!("testdata/m2_snappy.bin"),
            "m2_lz4" => include_bytes!("testdata/m2_lz4.bin"),
            "m2_zstd" => include_bytes!("testdata/m2_zstd.bin"),
            _ => &[],
        }
    }

    #[test]
    fn decodes_genuine_librdkafka_batches() {
        for magic in 0..=2i8 {
            for codec in ALL {
                if codec == Codec::Zstd && magic < 2 {
                    continue;
                }
                let name = format!("m{magic}_{}", codec.name());
                let data = Bytes::from_static(librdkafka_capture(&name));
                assert!(!data.is_empty(), "{name}");
                let d = decode_records(data, strict()).unwrap_or_else(|e| panic!("{name}: {e}"));
                let mut recs = Vec::new();
                for (info, r) in &d {
                    assert_eq!(info.magic, magic, "{name}");
                    assert_eq!(info.codec, codec, "{name}");
                    recs.extend(r.iter().cloned());
                }
                assert_eq!(recs.len(), 5, "{name}");
                // A producer leaves the v1 wrapper offset at 0 (the broker puts the
                // last inner offset there), so relative inner offsets land below 0.
                let base = if magic == 1 && codec != Codec::None { -4 } else { 0 };
                for (i, r) in recs.iter().enumerate() {
                    assert_eq!(r.offset, base + i as i64, "{name}");
                    let key = format!("key-{i}");
                    assert_eq!(r.key.as_deref(), if i == 1 { None } else { Some(key.as_bytes()) }, "{name}");
                    let value = format!("librdkafka value {i} ").repeat(20);
                    assert_eq!(
                        r.value.as_deref(),
                        if i == 3 { None } else { Some(value.as_bytes()) },
                        "{name}"
                    );
                    if magic == 0 {
                        assert_eq!(r.timestamp_type, TimestampType::NotAvailable);
                    } else {
                        assert_eq!(
                            (r.timestamp, r.timestamp_type),
                            (1_700_000_000_000 + 10 * i as i64, TimestampType::CreateTime)
                        );
                    }
                    if magic == 2 {
                        let hv = "hv".repeat(i);
                        let want: Vec<(&[u8], Option<&[u8]>)> = vec![
                            (format!("h{i}").into_bytes().leak(), Some(hv.as_bytes())),
                            (b"nullh", None),
                        ];
                        let got: Vec<(&[u8], Option<&[u8]>)> =
                            r.headers.iter().map(|(k, v)| (&k[..], v.as_deref())).collect();
                        assert_eq!(got, want, "{name}");
                    }
                }
            }
        }
    }

    #[test]
    fn fuzz_genuine_librdkafka_batches() {
        let mut seed = 0xDEAD_BEEF_u64;
        for name in ["m0_lz4", "m1_snappy", "m2_zstd", "m2_gzip"] {
            let input = librdkafka_capture(name);
            for cut in 0..=input.len() {
                decode_all_ignoring(Bytes::copy_from_slice(&input[..cut]), true);
            }
            for _ in 0..500 {
                let mut m = input.to_vec();
                let i = (xorshift(&mut seed) % m.len() as u64) as usize;
                m[i] = xorshift(&mut seed) as u8;
                decode_all_ignoring(Bytes::from(m), false);
            }
        }
    }
}
