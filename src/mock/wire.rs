//! The broker's side of the wire: request headers in, response frames out, and the
//! record-batch headers a broker must check before storing a batch.

use crate::error::ErrorCode;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{ApiKey, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

/// A string field of a response.
pub fn sb(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

/// An error code as a response field.
pub fn code(e: ErrorCode) -> i16 {
    e.code() as i16
}

/// Whether the protocol crate knows this version of the API.
pub fn in_range(key: ApiKey, version: i16) -> bool {
    let r = key.valid_versions();
    (r.min..=r.max).contains(&version)
}

/// A request's header and its undecoded body.
pub struct Request {
    pub api_key: i16,
    pub version: i16,
    pub corr_id: i32,
    pub client_id: String,
    pub body: Bytes,
}

impl Request {
    /// Splits a frame (without its size prefix). Err: not even a header, close.
    pub fn parse(mut frame: Bytes) -> Result<Request, String> {
        if frame.len() < 8 {
            return Err("request shorter than its header".into());
        }
        let api_key = i16::from_be_bytes([frame[0], frame[1]]);
        let version = i16::from_be_bytes([frame[2], frame[3]]);
        let corr_id = i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
        let Ok(key) = ApiKey::try_from(api_key) else {
            return Ok(Request { api_key, version, corr_id, client_id: String::new(), body: Bytes::new() });
        };
        // An ApiVersions request of a version we do not know keeps a v1 header (KIP-511).
        let hv = if key == ApiKey::ApiVersions || !in_range(key, version) {
            1
        } else {
            key.request_header_version(version)
        };
        let h = RequestHeader::decode(&mut frame, hv).map_err(|e| format!("request header: {e}"))?;
        let client_id = h.client_id.map(|s| s.to_string()).unwrap_or_default();
        Ok(Request { api_key, version, corr_id, client_id, body: frame })
    }
}

/// A complete response frame: size, header (v0, or v1 with tagged fields), body.
/// Err: the body sets a field its version lacks (a handler's bug, never sent cut short).
pub fn response_frame<T: Encodable>(
    api_key: i16,
    version: i16,
    corr_id: i32,
    body: &T,
) -> Result<Bytes, String> {
    let hv = ApiKey::try_from(api_key).map_or(0, |k| {
        if k == ApiKey::ApiVersions {
            0
        } else {
            k.response_header_version(version)
        }
    });
    let mut out = BytesMut::with_capacity(256);
    out.put_i32(0);
    let mut h = ResponseHeader::default();
    h.correlation_id = corr_id;
    h.encode(&mut out, hv).map_err(|e| e.to_string())?;
    body.encode(&mut out, version).map_err(|e| format!("api {api_key} v{version}: {e}"))?;
    let size = (out.len() - 4) as i32;
    out[0..4].copy_from_slice(&size.to_be_bytes());
    Ok(out.freeze())
}

/// The header fields of one v2 record batch that the broker checks and indexes.
pub struct BatchHead {
    pub size: usize,
    pub last_delta: i32,
    pub max_ts: i64,
    pub pid: i64,
    pub epoch: i16,
    pub base_seq: i32,
    pub transactional: bool,
}

impl BatchHead {
    /// Every batch of a Produce partition's records with its position: v2 only,
    /// complete, CRC-checked, no control batches from a client.
    pub fn split(records: &[u8]) -> Result<Vec<(usize, BatchHead)>, ErrorCode> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < records.len() {
            let mut b = &records[pos..];
            if b.len() < 61 {
                return Err(ErrorCode::INVALID_MSG);
            }
            b.advance(8);
            let len = b.get_i32();
            let size = 12 + len.max(0) as usize;
            if len < 49 || size > records.len() - pos {
                return Err(ErrorCode::INVALID_MSG);
            }
            let batch = &records[pos..pos + size];
            if batch[16] != 2 {
                return Err(ErrorCode::UNSUPPORTED_FOR_MESSAGE_FORMAT);
            }
            let crc = u32::from_be_bytes([batch[17], batch[18], batch[19], batch[20]]);
            if crc32c::crc32c(&batch[21..]) != crc {
                return Err(ErrorCode::INVALID_MSG);
            }
            let mut h = &batch[21..];
            let attrs = h.get_i16();
            if attrs & 0x20 != 0 {
                return Err(ErrorCode::INVALID_RECORD);
            }
            let last_delta = h.get_i32();
            let _base_ts = h.get_i64();
            let max_ts = h.get_i64();
            let pid = h.get_i64();
            let epoch = h.get_i16();
            let base_seq = h.get_i32();
            let transactional = attrs & 0x10 != 0;
            out.push((pos, BatchHead { size, last_delta, max_ts, pid, epoch, base_seq, transactional }));
            pos += size;
        }
        if out.is_empty() {
            return Err(ErrorCode::INVALID_MSG);
        }
        Ok(out)
    }
}

/// A transaction marker: a control batch of one record (commit or abort).
pub fn control_batch(base: i64, pid: i64, epoch: i16, commit: bool, now_ms: i64) -> Bytes {
    // The record: attributes, timestamp delta, offset delta, key (version, type),
    // value (version, coordinator epoch), no headers. Lengths are zigzag varints.
    let mut rec = BytesMut::new();
    rec.put_u8(0);
    rec.put_u8(0);
    rec.put_u8(0);
    rec.put_u8(4 << 1);
    rec.put_i16(0);
    rec.put_i16(commit as i16);
    rec.put_u8(6 << 1);
    rec.put_i16(0);
    rec.put_i32(0);
    rec.put_u8(0);
    let mut b = BytesMut::with_capacity(61 + 1 + rec.len());
    b.put_i64(base);
    b.put_i32((49 + 1 + rec.len()) as i32);
    b.put_i32(0);
    b.put_u8(2);
    b.put_u32(0);
    b.put_i16(0x30);
    b.put_i32(0);
    b.put_i64(now_ms);
    b.put_i64(now_ms);
    b.put_i64(pid);
    b.put_i16(epoch);
    b.put_i32(-1);
    b.put_i32(1);
    b.put_u8((rec.len() << 1) as u8);
    b.extend_from_slice(&rec);
    let crc = crc32c::crc32c(&b[21..]);
    b[17..21].copy_from_slice(&crc.to_be_bytes());
    b.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::records::{control_type, decode_records, ControlType, DecodeOptions};

    #[test]
    fn control_batch_reads_back_as_a_marker() {
        let b = control_batch(42, 7, 3, false, 1000);
        assert!(BatchHead::split(&b).is_err(), "a client may not send control batches");
        let opts = DecodeOptions { check_crcs: true, ..Default::default() };
        let batches = decode_records(b, opts).expect("decodes with its CRC");
        assert_eq!(batches.len(), 1);
        let (info, recs) = &batches[0];
        assert!(info.is_control && info.is_transactional);
        assert_eq!((info.base_offset, info.producer_id, info.producer_epoch), (42, 7, 3));
        let key = recs[0].key.as_ref().expect("key");
        assert_eq!(control_type(key), Some(ControlType::Abort));
    }
}
