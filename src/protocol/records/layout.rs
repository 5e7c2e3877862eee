//! Layout of a v2 record batch header: field offsets and attribute bits,
//! shared by the writer and both decoders.

/// Size of the v2 batch header up to and including the record count.
pub const BATCH_HEADER_SIZE: usize = 61;
/// Bytes before the batch length field's coverage starts (baseOffset + length).
pub const LOG_OVERHEAD: usize = 12;

// Field positions within a v2 batch.
pub(super) const OFF_LENGTH: usize = 8;
pub(super) const OFF_LEADER_EPOCH: usize = 12;
pub(super) const OFF_MAGIC: usize = 16;
pub(super) const OFF_CRC: usize = 17;
pub(super) const OFF_ATTRIBUTES: usize = 21;
pub(super) const OFF_LAST_OFFSET_DELTA: usize = 23;
pub(super) const OFF_BASE_TIMESTAMP: usize = 27;
pub(super) const OFF_MAX_TIMESTAMP: usize = 35;
pub(super) const OFF_PRODUCER_ID: usize = 43;
pub(super) const OFF_PRODUCER_EPOCH: usize = 51;
pub(super) const OFF_BASE_SEQUENCE: usize = 53;
pub(super) const OFF_RECORD_COUNT: usize = 57;

pub(super) const ATTR_CODEC_MASK: i16 = 0x07;
pub(super) const ATTR_LOG_APPEND_TIME: i16 = 0x08;
pub(super) const ATTR_TRANSACTIONAL: i16 = 0x10;
pub(super) const ATTR_CONTROL: i16 = 0x20;
