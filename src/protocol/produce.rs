//! Hand-encoded ProduceRequest (v3..v8): the request header and body are written around
//! record batches that are encoded in place, so batch bytes are never copied.

use super::{begin_frame, end_frame};
use bytes::{BufMut, BytesMut};
use kafka_protocol::messages::ApiKey;

pub const MIN_VERSION: i16 = 3; // first version carrying v2 record batches
pub const MAX_VERSION: i16 = 8; // last non-flexible version

pub struct ProduceWriter {
    frame_start: usize,
    topic_count_at: usize,
    topics: i32,
    part_count_at: usize,
    parts: i32,
    records_len_at: usize,
}

impl ProduceWriter {
    pub fn begin(
        out: &mut BytesMut,
        version: i16,
        corr_id: i32,
        client_id: &str,
        transactional_id: Option<&str>,
        acks: i16,
        timeout_ms: i32,
    ) -> ProduceWriter {
        let frame_start = begin_frame(out, ApiKey::Produce, version, corr_id, client_id);
        match transactional_id {
            Some(t) => {
                out.put_i16(t.len() as i16);
                out.put_slice(t.as_bytes());
            }
            None => out.put_i16(-1),
        }
        out.put_i16(acks);
        out.put_i32(timeout_ms);
        let topic_count_at = out.len();
        out.put_i32(0);
        ProduceWriter {
            frame_start,
            topic_count_at,
            topics: 0,
            part_count_at: 0,
            parts: 0,
            records_len_at: 0,
        }
    }

    pub fn topic(&mut self, out: &mut BytesMut, name: &str) {
        self.finish_topic(out);
        self.topics += 1;
        out.put_i16(name.len() as i16);
        out.put_slice(name.as_bytes());
        self.part_count_at = out.len();
        out.put_i32(0);
        self.parts = 0;
    }

    fn finish_topic(&mut self, out: &mut BytesMut) {
        if self.topics > 0 {
            out[self.part_count_at..self.part_count_at + 4].copy_from_slice(&self.parts.to_be_bytes());
        }
    }

    /// Starts a partition's records; the caller then appends exactly one record batch.
    pub fn partition(&mut self, out: &mut BytesMut, partition: i32) {
        self.parts += 1;
        out.put_i32(partition);
        self.records_len_at = out.len();
        out.put_i32(0);
    }

    /// Where the current partition's record batch begins.
    pub fn records_start(&self) -> usize {
        self.records_len_at + 4
    }

    pub fn end_partition(&mut self, out: &mut BytesMut) {
        let len = (out.len() - self.records_len_at - 4) as i32;
        out[self.records_len_at..self.records_len_at + 4].copy_from_slice(&len.to_be_bytes());
    }

    pub fn finish(mut self, out: &mut BytesMut) {
        self.finish_topic(out);
        out[self.topic_count_at..self.topic_count_at + 4].copy_from_slice(&self.topics.to_be_bytes());
        end_frame(out, self.frame_start);
    }
}
