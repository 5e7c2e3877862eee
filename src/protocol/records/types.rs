//! What the decoders produce: records, batch headers, options and errors.

use std::fmt;

use bytes::Bytes;

use crate::protocol::compression::{self, Codec, CodecError};

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
