//! Kafka wire protocol: framing, request headers, version negotiation.
//!
//! Message schemas come from the `kafka-protocol` crate; the hot Produce request is
//! encoded by hand (`produce.rs`) so record batches are written once, in place.

pub(crate) mod compression;
pub mod consumer_protocol;
pub mod outbuf;
pub(crate) mod produce;
pub mod records;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::messages::ApiKey;
use kafka_protocol::protocol::{Decodable, Encodable};

/// Our own protocol errors: malformed or unexpected bytes from a broker.
#[derive(Debug, Clone)]
pub struct ProtoError(pub String);

impl std::fmt::Display for ProtoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn decode<T: Decodable>(buf: &mut Bytes, version: i16) -> Result<T, ProtoError> {
    let whole = buf.clone();
    T::decode(buf, version).or_else(|e| {
        // Some brokers (Tansu) leave out a flexible response's last, empty tagged-field
        // section; librdkafka reads such answers. Retry with it, if that uses every byte.
        let mut padded = BytesMut::with_capacity(whole.len() + 1);
        padded.extend_from_slice(&whole);
        padded.put_u8(0);
        let mut b = padded.freeze();
        match T::decode(&mut b, version) {
            Ok(t) if !b.has_remaining() => {
                *buf = b;
                Ok(t)
            }
            _ => Err(ProtoError(format!("decode error: {e}"))),
        }
    })
}

/// Decodes a broker response (as a request's `done` callback receives it); undecodable
/// bytes become `_BAD_MSG`.
pub fn decode_response<T: Decodable>(
    res: Result<(i16, Bytes), crate::error::KafkaError>,
) -> Result<T, crate::error::KafkaError> {
    res.and_then(|(ver, mut body)| {
        decode::<T>(&mut body, ver)
            .map_err(|e| crate::error::KafkaError::new(crate::error::ErrorCode::_BAD_MSG, e.0))
    })
}

/// Writes a complete request frame (size prefix, header, body) for a schema message.
pub fn encode_request<T: Encodable>(
    out: &mut BytesMut,
    api_key: ApiKey,
    version: i16,
    corr_id: i32,
    client_id: &str,
    body: &T,
) -> Result<(), ProtoError> {
    let start = begin_frame(out, api_key, version, corr_id, client_id);
    body.encode(out, version).map_err(|e| ProtoError(format!("encode error: {e}")))?;
    end_frame(out, start);
    Ok(())
}

/// Starts a frame: reserves the size prefix and writes the request header. Returns the
/// frame's start offset for `end_frame`.
pub fn begin_frame(
    out: &mut BytesMut,
    api_key: ApiKey,
    version: i16,
    corr_id: i32,
    client_id: &str,
) -> usize {
    let start = out.len();
    out.put_i32(0);
    out.put_i16(api_key as i16);
    out.put_i16(version);
    out.put_i32(corr_id);
    // Header v1 and v2 both carry client_id as a legacy (non-compact) nullable string.
    out.put_i16(client_id.len() as i16);
    out.put_slice(client_id.as_bytes());
    if api_key.request_header_version(version) >= 2 {
        out.put_u8(0); // no tagged fields
    }
    start
}

pub fn end_frame(out: &mut BytesMut, start: usize) {
    let size = (out.len() - start - 4) as i32;
    out[start..start + 4].copy_from_slice(&size.to_be_bytes());
}

/// Splits the response header off a frame body; returns the correlation id.
pub fn read_corr_id(frame: &mut Bytes) -> Result<i32, ProtoError> {
    if frame.len() < 4 {
        return Err(ProtoError("response shorter than its header".into()));
    }
    Ok(frame.get_i32())
}

/// Skips the response header's tagged fields when the header version is 1.
pub fn skip_response_header_tags(frame: &mut Bytes, api_key: ApiKey, version: i16) -> Result<(), ProtoError> {
    if api_key.response_header_version(version) >= 1 {
        let n = read_uvarint(frame)?;
        for _ in 0..n {
            let _tag = read_uvarint(frame)?;
            let len = read_uvarint(frame)? as usize;
            if frame.len() < len {
                return Err(ProtoError("truncated tagged field".into()));
            }
            frame.advance(len);
        }
    }
    Ok(())
}

pub fn read_uvarint(b: &mut Bytes) -> Result<u64, ProtoError> {
    let mut v: u64 = 0;
    for i in 0..10 {
        if !b.has_remaining() {
            return Err(ProtoError("truncated varint".into()));
        }
        let byte = b.get_u8();
        v |= ((byte & 0x7f) as u64) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ProtoError("varint too long".into()))
}

/// Negotiated versions per API key: (min, max) the broker supports, or None.
#[derive(Clone, Debug, Default)]
pub struct ApiVersions {
    ranges: Vec<Option<(i16, i16)>>,
}

impl ApiVersions {
    pub fn from_list(list: impl IntoIterator<Item = (i16, i16, i16)>) -> ApiVersions {
        let mut ranges = vec![None; 128];
        for (key, min, max) in list {
            if key >= 0 && (key as usize) < ranges.len() {
                ranges[key as usize] = Some((min, max));
            }
        }
        ApiVersions { ranges }
    }

    /// Highest version both sides speak, given our own [min, max].
    pub fn pick(&self, key: ApiKey, our_min: i16, our_max: i16) -> Option<i16> {
        let (bmin, bmax) = (*self.ranges.get(key as i16 as usize)?)?;
        let v = bmax.min(our_max);
        if v < bmin.max(our_min) {
            None
        } else {
            Some(v)
        }
    }

    pub fn supports(&self, key: ApiKey) -> bool {
        self.ranges.get(key as i16 as usize).copied().flatten().is_some()
    }
}

/// Our highest supported version of each API, capped to what the kafka-protocol schemas
/// and our own code handle.
pub fn our_max_version(key: ApiKey) -> i16 {
    match key {
        ApiKey::Produce => 8,
        ApiKey::ApiVersions => 3,
        ApiKey::Metadata => 13,
        _ => key.valid_versions().max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_protocol::messages::*;
    use kafka_protocol::protocol::Message;

    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// A response that declares i32::MAX elements in a few bytes is a decode error. With
    /// kafka-protocol 0.18 as released it asked for ~200 GB up front and the failed
    /// allocation aborted the process (hence vendor/kafka-protocol).
    #[test]
    fn huge_array_lengths_are_errors_not_aborts() {
        for ver in 0..=12i16 {
            let mut b = BytesMut::new();
            if ver >= 3 {
                b.put_i32(0); // throttle_time_ms
            }
            if ver >= 9 {
                b.put_u8(0xff); // compact array: varint 0xffffffff ...
                b.put_u8(0xff);
                b.put_u8(0xff);
                b.put_u8(0xff);
                b.put_u8(0x0f);
            } else {
                b.put_i32(i32::MAX); // brokers
            }
            assert!(decode::<MetadataResponse>(&mut b.freeze(), ver).is_err(), "v{ver}");
        }
        let mut b = BytesMut::new();
        b.put_i32(0); // throttle
        b.put_i16(0); // error_code
        b.put_i32(0); // session_id
        b.put_i32(i32::MAX); // responses
        assert!(decode::<FetchResponse>(&mut b.freeze(), 7).is_err());
    }

    /// Every response type kafkars decodes, at every version it may negotiate: noise,
    /// truncations and byte flips of an encoded response decode to Ok or Err, never a
    /// panic or an abort.
    #[test]
    fn fuzz_response_decoders_never_panic() {
        fn run<T: Decodable + Encodable + Default + Message>(seed: &mut u64) {
            for ver in T::VERSIONS.min..=T::VERSIONS.max {
                let mut enc = BytesMut::new();
                let sample: Vec<u8> = match T::default().encode(&mut enc, ver) {
                    Ok(()) => enc.to_vec(),
                    Err(_) => Vec::new(),
                };
                for cut in 0..=sample.len() {
                    let _ = decode::<T>(&mut Bytes::copy_from_slice(&sample[..cut]), ver);
                }
                for _ in 0..300 {
                    let mut m = sample.clone();
                    // Grow it with noise so length fields point past the end, then flip.
                    for _ in 0..(next(seed) % 24) {
                        m.push(next(seed) as u8);
                    }
                    if !m.is_empty() {
                        for _ in 0..(1 + next(seed) % 4) {
                            let i = (next(seed) % m.len() as u64) as usize;
                            m[i] = next(seed) as u8;
                        }
                    }
                    let r = std::panic::catch_unwind(|| decode::<T>(&mut Bytes::from(m.clone()), ver));
                    assert!(r.is_ok(), "{} v{ver} panicked on {:?}", std::any::type_name::<T>(), m);
                }
            }
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        run::<ApiVersionsResponse>(&mut seed);
        run::<MetadataResponse>(&mut seed);
        run::<ProduceResponse>(&mut seed);
        run::<FetchResponse>(&mut seed);
        run::<ListOffsetsResponse>(&mut seed);
        run::<FindCoordinatorResponse>(&mut seed);
        run::<JoinGroupResponse>(&mut seed);
        run::<SyncGroupResponse>(&mut seed);
        run::<HeartbeatResponse>(&mut seed);
        run::<LeaveGroupResponse>(&mut seed);
        run::<OffsetCommitResponse>(&mut seed);
        run::<OffsetFetchResponse>(&mut seed);
        run::<DescribeGroupsResponse>(&mut seed);
        run::<ListGroupsResponse>(&mut seed);
        run::<InitProducerIdResponse>(&mut seed);
    }
}
