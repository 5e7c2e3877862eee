//! Hand-encoded ProduceRequest (v3..v8): the request header and body are written around
//! record batches that are encoded in place, so batch bytes are never copied (large
//! values are even taken by reference: see `OutBuf`).

use super::begin_frame;
use super::outbuf::{Mark, OutBuf};
use bytes::BufMut;
use kafka_protocol::messages::ApiKey;

pub const MIN_VERSION: i16 = 3; // first version carrying v2 record batches
pub const MAX_VERSION: i16 = 8; // last non-flexible version

pub struct ProduceWriter {
    frame: Mark,
    topic_count_at: Mark,
    topics: i32,
    part_count_at: Mark,
    parts: i32,
    records_len_at: Mark,
    /// Just after `records_len_at`: where the batch starts.
    records_mark: Mark,
}

/// Writes `v` over the 4 bytes at `at`.
fn put_i32_at(out: &mut OutBuf, at: Mark, v: i32) {
    let i = out.index_of(at);
    out.inline()[i..i + 4].copy_from_slice(&v.to_be_bytes());
}

impl ProduceWriter {
    pub fn begin(
        out: &mut OutBuf,
        version: i16,
        corr_id: i32,
        client_id: &str,
        transactional_id: Option<&str>,
        acks: i16,
        timeout_ms: i32,
    ) -> ProduceWriter {
        let frame = out.mark();
        let b = out.inline();
        begin_frame(b, ApiKey::Produce, version, corr_id, client_id);
        match transactional_id {
            Some(t) => {
                b.put_i16(t.len() as i16);
                b.put_slice(t.as_bytes());
            }
            None => b.put_i16(-1),
        }
        b.put_i16(acks);
        b.put_i32(timeout_ms);
        let topic_count_at = out.mark();
        out.inline().put_i32(0);
        ProduceWriter {
            frame,
            topic_count_at,
            topics: 0,
            part_count_at: topic_count_at,
            parts: 0,
            records_len_at: topic_count_at,
            records_mark: topic_count_at,
        }
    }

    pub fn topic(&mut self, out: &mut OutBuf, name: &str) {
        self.finish_topic(out);
        self.topics += 1;
        let b = out.inline();
        b.put_i16(name.len() as i16);
        b.put_slice(name.as_bytes());
        self.part_count_at = out.mark();
        out.inline().put_i32(0);
        self.parts = 0;
    }

    fn finish_topic(&mut self, out: &mut OutBuf) {
        if self.topics > 0 {
            put_i32_at(out, self.part_count_at, self.parts);
        }
    }

    /// Starts a partition's records; the caller then appends exactly one record batch.
    pub fn partition(&mut self, out: &mut OutBuf, partition: i32) {
        self.parts += 1;
        out.inline().put_i32(partition);
        self.records_len_at = out.mark();
        out.inline().put_i32(0);
        self.records_mark = out.mark();
    }

    /// Where the current partition's record batch begins (to drop it again).
    pub fn records_start(&self) -> Mark {
        self.records_mark
    }

    pub fn end_partition(&mut self, out: &mut OutBuf) {
        let len = (out.len_since(self.records_len_at) - 4) as i32;
        put_i32_at(out, self.records_len_at, len);
    }

    pub fn finish(mut self, out: &mut OutBuf) {
        self.finish_topic(out);
        put_i32_at(out, self.topic_count_at, self.topics);
        let size = (out.len_since(self.frame) - 4) as i32;
        put_i32_at(out, self.frame, size);
    }
}
