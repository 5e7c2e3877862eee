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

mod buf;
mod control;
mod cursor;
mod layout;
mod legacy;
mod reader;
mod types;
mod varint;
mod writer;

pub use buf::BatchBuf;
pub use control::{control_type, AbortedTxns, ControlType};
pub use layout::{BATCH_HEADER_SIZE, LOG_OVERHEAD};
pub use reader::{decode_records, Batch, RecordsReader};
pub use types::{BatchInfo, DecodeError, DecodeOptions, Record, TimestampType};
pub use varint::{varint_len, varlong_len};
pub use writer::{set_producer_fields, FinishedBatch, RecordBatchWriter, WriteError};

#[cfg(test)]
mod tests;
