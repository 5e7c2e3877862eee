//! Record batch compression codecs, framed the way Kafka and librdkafka frame them.
//!
//! * gzip: a gzip stream (concatenated members accepted on read).
//! * snappy: a raw snappy block on write (as librdkafka writes); on read both raw
//!   snappy and the snappy-java ("xerial") block framing that Java producers write.
//! * lz4: the LZ4 frame format, 64 KiB independent blocks. On read, frames from
//!   magic 0 message sets may carry Kafka's old wrong header checksum
//!   ([`decompress_legacy_lz4`]).
//! * zstd: a zstd frame.
//!
//! Every decompression is bounded by a caller-supplied limit so a small hostile
//! payload cannot expand without bound.

use std::cell::RefCell;
use std::fmt;
use std::io::{Read, Write};

use zstd::zstd_safe;

/// Compression codec, numbered as in the batch attributes (and librdkafka's
/// `compression.codec` enum).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Codec {
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

impl Codec {
    /// From the low three attribute bits of a batch or message.
    pub fn from_attributes(bits: u8) -> Option<Codec> {
        match bits & 0x07 {
            0 => Some(Codec::None),
            1 => Some(Codec::Gzip),
            2 => Some(Codec::Snappy),
            3 => Some(Codec::Lz4),
            4 => Some(Codec::Zstd),
            _ => None,
        }
    }

    /// The `compression.codec` property value naming this codec.
    pub fn name(self) -> &'static str {
        match self {
            Codec::None => "none",
            Codec::Gzip => "gzip",
            Codec::Snappy => "snappy",
            Codec::Lz4 => "lz4",
            Codec::Zstd => "zstd",
        }
    }

    /// Parses a `compression.codec` / `compression.type` value.
    pub fn from_name(name: &str) -> Option<Codec> {
        match name {
            "none" => Some(Codec::None),
            "gzip" => Some(Codec::Gzip),
            "snappy" => Some(Codec::Snappy),
            "lz4" => Some(Codec::Lz4),
            "zstd" => Some(Codec::Zstd),
            _ => None,
        }
    }
}

/// Default bound on the decompressed size of one batch or wrapper message.
/// A broker never sends a batch larger than `message.max.bytes` (at most ~1 GB)
/// uncompressed in practice; 256 MiB comfortably covers real traffic.
pub const DEFAULT_MAX_DECOMPRESSED: usize = 256 * 1024 * 1024;

#[derive(Debug)]
pub enum CodecError {
    /// The codec failed to compress the input.
    Compress(Codec, String),
    /// The input is not valid for the codec.
    Corrupt(Codec, String),
    /// The decompressed output would exceed the caller's limit.
    TooLarge(Codec, usize),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Compress(c, e) => write!(f, "{} compression failed: {}", c.name(), e),
            CodecError::Corrupt(c, e) => write!(f, "{} decompression failed: {}", c.name(), e),
            CodecError::TooLarge(c, n) => {
                write!(f, "{} decompressed size exceeds limit of {} bytes", c.name(), n)
            }
        }
    }
}

impl std::error::Error for CodecError {}

/// Compresses `input`, appending the compressed bytes to `out`.
/// `level` is librdkafka's `compression.level`: -1 picks the codec's default,
/// other values are clamped to the codec's range; snappy has no levels.
pub fn compress(codec: Codec, level: i32, input: &[u8], out: &mut Vec<u8>) -> Result<(), CodecError> {
    match codec {
        Codec::None => {
            out.extend_from_slice(input);
            Ok(())
        }
        Codec::Gzip => {
            let lvl = if level < 0 { 6 } else { level.min(9) as u32 };
            let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::new(lvl));
            enc.write_all(input)
                .and_then(|_| enc.try_finish())
                .map_err(|e| CodecError::Compress(codec, e.to_string()))
        }
        Codec::Snappy => {
            let start = out.len();
            out.resize(start + snap::raw::max_compress_len(input.len()), 0);
            let n = snap::raw::Encoder::new()
                .compress(input, &mut out[start..])
                .map_err(|e| CodecError::Compress(codec, e.to_string()));
            match n {
                Ok(n) => {
                    out.truncate(start + n);
                    Ok(())
                }
                Err(e) => {
                    out.truncate(start);
                    Err(e)
                }
            }
        }
        Codec::Lz4 => {
            let lvl = if level < 0 { 0 } else { level.min(12) as u32 };
            let start = out.len();
            let res = lz4::EncoderBuilder::new()
                .level(lvl)
                .block_size(lz4::BlockSize::Max64KB)
                .block_mode(lz4::BlockMode::Independent)
                .checksum(lz4::ContentChecksum::NoChecksum)
                .build(&mut *out)
                .and_then(|mut enc| {
                    enc.write_all(input)?;
                    enc.finish().1
                });
            res.map_err(|e| {
                out.truncate(start);
                CodecError::Compress(codec, e.to_string())
            })
        }
        Codec::Zstd => zstd_compress(level, input, out),
    }
}

/// Decompresses `input`, appending to `out`; fails once the output would pass
/// `max_len` bytes.
pub fn decompress(codec: Codec, input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    match codec {
        Codec::None => {
            if input.len() > max_len {
                return Err(CodecError::TooLarge(codec, max_len));
            }
            out.extend_from_slice(input);
            Ok(())
        }
        Codec::Gzip => read_limited(codec, flate2::read::MultiGzDecoder::new(input), out, max_len),
        Codec::Snappy => snappy_decompress(input, out, max_len),
        Codec::Lz4 => lz4_decompress(input, out, max_len),
        Codec::Zstd => zstd_decompress(input, out, max_len),
    }
}

/// Decompresses an LZ4 payload of a magic 0 message set. Kafka 0.8-0.9 (and
/// librdkafka for magic 0) computed the frame header checksum over the magic
/// number as well; the checksum byte is recomputed before decoding so both the
/// broken and the correct variant are accepted.
pub fn decompress_legacy_lz4(input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    let Some(hc_pos) = lz4_header_checksum_pos(input) else {
        return lz4_decompress(input, out, max_len);
    };
    let mut fixed = input.to_vec();
    fixed[hc_pos] = (xxh32(&fixed[4..hc_pos]) >> 8) as u8;
    lz4_decompress(&fixed, out, max_len)
}

/// Position of the header checksum byte of an LZ4 frame, if the header is sane.
fn lz4_header_checksum_pos(input: &[u8]) -> Option<usize> {
    if input.len() < 7 || input[..4] != [0x04, 0x22, 0x4d, 0x18] {
        return None;
    }
    let flg = input[4];
    let mut pos = 6;
    if flg & 0x08 != 0 {
        pos += 8; // content size
    }
    if flg & 0x01 != 0 {
        pos += 4; // dictionary id
    }
    (pos < input.len()).then_some(pos)
}

/// XXH32 with seed 0, short-input path only (frame descriptors are < 16 bytes).
fn xxh32(data: &[u8]) -> u32 {
    const P1: u32 = 2654435761;
    const P2: u32 = 2246822519;
    const P3: u32 = 3266489917;
    const P4: u32 = 668265263;
    const P5: u32 = 374761393;
    debug_assert!(data.len() < 16);
    let mut h = P5.wrapping_add(data.len() as u32);
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        h = h.wrapping_add(v.wrapping_mul(P3)).rotate_left(17).wrapping_mul(P4);
    }
    for &b in chunks.remainder() {
        h = h.wrapping_add((b as u32).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
    }
    h ^= h >> 15;
    h = h.wrapping_mul(P2);
    h ^= h >> 13;
    h = h.wrapping_mul(P3);
    h ^ (h >> 16)
}

/// Reads a decoder to its end into `out`, failing past `max_len` new bytes.
fn read_limited<R: Read>(
    codec: Codec,
    reader: R,
    out: &mut Vec<u8>,
    max_len: usize,
) -> Result<(), CodecError> {
    let start = out.len();
    let mut limited = reader.take(max_len as u64 + 1);
    match limited.read_to_end(out) {
        Ok(n) if n > max_len => {
            out.truncate(start);
            Err(CodecError::TooLarge(codec, max_len))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            out.truncate(start);
            Err(CodecError::Corrupt(codec, e.to_string()))
        }
    }
}

fn lz4_decompress(input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    let dec = lz4::Decoder::new(input).map_err(|e| CodecError::Corrupt(Codec::Lz4, e.to_string()))?;
    read_limited(Codec::Lz4, dec, out, max_len)
}

/// snappy-java's stream header: magic, then version 1 and compatible version 1.
const XERIAL_MAGIC: &[u8; 8] = b"\x82SNAPPY\x00";

fn snappy_decompress(input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    let start = out.len();
    let res = if input.len() >= 16 && &input[..8] == XERIAL_MAGIC {
        // Header: magic(8) version(4) compatible version(4); then blocks of
        // big-endian u32 length + raw snappy block.
        let mut pos = 16;
        let mut res = Ok(());
        while pos < input.len() {
            let Some(len_bytes) = input.get(pos..pos + 4) else {
                res = Err(CodecError::Corrupt(Codec::Snappy, "truncated xerial block length".into()));
                break;
            };
            let len = u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
            pos += 4;
            let Some(block) = pos.checked_add(len).and_then(|end| input.get(pos..end)) else {
                res = Err(CodecError::Corrupt(Codec::Snappy, "truncated xerial block".into()));
                break;
            };
            pos += len;
            let budget = max_len - (out.len() - start);
            if let Err(e) = snappy_raw(block, out, budget) {
                res = Err(e);
                break;
            }
        }
        res
    } else {
        snappy_raw(input, out, max_len)
    };
    if res.is_err() {
        out.truncate(start);
    }
    res
}

fn snappy_raw(input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    let n =
        snap::raw::decompress_len(input).map_err(|e| CodecError::Corrupt(Codec::Snappy, e.to_string()))?;
    if n > max_len {
        return Err(CodecError::TooLarge(Codec::Snappy, max_len));
    }
    let start = out.len();
    out.resize(start + n, 0);
    match snap::raw::Decoder::new().decompress(input, &mut out[start..]) {
        Ok(w) => {
            out.truncate(start + w);
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(CodecError::Corrupt(Codec::Snappy, e.to_string()))
        }
    }
}

// zstd contexts are large to create; keep one of each per thread.
thread_local! {
    static ZSTD_CCTX: RefCell<Option<zstd_safe::CCtx<'static>>> = const { RefCell::new(None) };
    static ZSTD_DCTX: RefCell<Option<zstd_safe::DCtx<'static>>> = const { RefCell::new(None) };
}

fn zstd_compress(level: i32, input: &[u8], out: &mut Vec<u8>) -> Result<(), CodecError> {
    let lvl = if level < 0 { zstd_safe::CLEVEL_DEFAULT } else { level.clamp(1, zstd_safe::max_c_level()) };
    ZSTD_CCTX.with(|cell| {
        let mut slot = cell.borrow_mut();
        let cctx = match &mut *slot {
            Some(c) => c,
            None => slot.insert(
                zstd_safe::CCtx::try_create()
                    .ok_or_else(|| CodecError::Compress(Codec::Zstd, "out of memory".into()))?,
            ),
        };
        let err = |code| CodecError::Compress(Codec::Zstd, zstd_safe::get_error_name(code).to_string());
        cctx.reset(zstd_safe::ResetDirective::SessionAndParameters).map_err(err)?;
        cctx.set_parameter(zstd_safe::CParameter::CompressionLevel(lvl)).map_err(err)?;
        let start = out.len();
        out.resize(start + zstd_safe::compress_bound(input.len()), 0);
        match cctx.compress2(&mut out[start..], input) {
            Ok(n) => {
                out.truncate(start + n);
                Ok(())
            }
            Err(code) => {
                out.truncate(start);
                Err(err(code))
            }
        }
    })
}

fn zstd_decompress(input: &[u8], out: &mut Vec<u8>, max_len: usize) -> Result<(), CodecError> {
    const CODEC: Codec = Codec::Zstd;
    let start = out.len();
    // The frame usually records its content size: reserve it once up front.
    if let Ok(Some(n)) = zstd_safe::get_frame_content_size(input) {
        if n > max_len as u64 {
            return Err(CodecError::TooLarge(CODEC, max_len));
        }
        out.reserve(n as usize);
    }
    let res = ZSTD_DCTX.with(|cell| {
        let mut slot = cell.borrow_mut();
        let dctx = match &mut *slot {
            Some(d) => d,
            None => slot.insert(
                zstd_safe::DCtx::try_create()
                    .ok_or_else(|| CodecError::Corrupt(CODEC, "out of memory".into()))?,
            ),
        };
        let err = |code| CodecError::Corrupt(CODEC, zstd_safe::get_error_name(code).to_string());
        dctx.reset(zstd_safe::ResetDirective::SessionOnly).map_err(err)?;
        let mut inb = zstd_safe::InBuffer::around(input);
        loop {
            if out.len() == out.capacity() {
                // Grow geometrically, but never past one byte over the limit,
                // which is how an over-limit frame is detected.
                let produced = out.len() - start;
                out.reserve(produced.max(64 * 1024).min(max_len + 1 - produced));
            }
            let (out_before, in_before) = (out.len(), inb.pos());
            let hint = {
                let mut ob = zstd_safe::OutBuffer::around_pos(&mut *out, out_before);
                dctx.decompress_stream(&mut ob, &mut inb).map_err(err)?
            };
            if out.len() - start > max_len {
                return Err(CodecError::TooLarge(CODEC, max_len));
            }
            if hint == 0 {
                // End of a frame: more frames may follow back to back.
                if inb.pos() == input.len() {
                    break;
                }
            } else if inb.pos() == in_before && out.len() == out_before {
                return Err(CodecError::Corrupt(CODEC, "truncated frame".into()));
            }
        }
        Ok(())
    });
    if res.is_err() {
        out.truncate(start);
    }
    res
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const ALL: [Codec; 5] = [Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4, Codec::Zstd];

    fn sample(n: usize) -> Vec<u8> {
        (0..n).map(|i| ((i * 7) % 251) as u8 ^ (i / 1000) as u8).collect()
    }

    #[test]
    fn round_trip_all_codecs_and_levels() {
        for &n in &[0usize, 1, 100, 70_000, 300_000] {
            let data = sample(n);
            for codec in ALL {
                for level in [-1, 0, 1, 9, 100] {
                    let mut c = vec![0xAA]; // appends, never overwrites
                    compress(codec, level, &data, &mut c).unwrap();
                    assert_eq!(c[0], 0xAA);
                    let mut d = vec![0x55];
                    decompress(codec, &c[1..], &mut d, n.max(1)).unwrap();
                    assert_eq!(&d[1..], &data[..], "{codec:?} level {level} n {n}");
                }
            }
        }
    }

    #[test]
    fn framing_is_what_kafka_expects() {
        let data = sample(1000);
        let mut c = Vec::new();
        compress(Codec::Gzip, -1, &data, &mut c).unwrap();
        assert_eq!(&c[..2], &[0x1f, 0x8b]);
        c.clear();
        compress(Codec::Lz4, -1, &data, &mut c).unwrap();
        assert_eq!(&c[..4], &[0x04, 0x22, 0x4d, 0x18]);
        c.clear();
        compress(Codec::Zstd, -1, &data, &mut c).unwrap();
        assert_eq!(&c[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
        c.clear();
        // Raw snappy block: starts with the varint uncompressed length.
        compress(Codec::Snappy, -1, &data, &mut c).unwrap();
        assert_eq!(&c[..2], &[0xe8, 0x07]);
        assert_eq!(snap::raw::Decoder::new().decompress_vec(&c).unwrap(), data);
    }

    /// Builds a snappy-java (xerial) stream the way SnappyOutputStream does.
    pub(crate) fn xerial(data: &[u8], block: usize) -> Vec<u8> {
        let mut v = b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01".to_vec();
        for chunk in data.chunks(block) {
            let c = snap::raw::Encoder::new().compress_vec(chunk).unwrap();
            v.extend_from_slice(&(c.len() as u32).to_be_bytes());
            v.extend_from_slice(&c);
        }
        v
    }

    #[test]
    fn snappy_xerial_framing_decodes() {
        let data = sample(100_000);
        let x = xerial(&data, 32 * 1024);
        let mut d = Vec::new();
        decompress(Codec::Snappy, &x, &mut d, 1 << 20).unwrap();
        assert_eq!(d, data);
        // Truncations fail cleanly.
        for cut in [17, 20, x.len() - 1] {
            let mut d = Vec::new();
            assert!(decompress(Codec::Snappy, &x[..cut], &mut d, 1 << 20).is_err());
            assert!(d.is_empty());
        }
    }

    #[test]
    fn limits_stop_bombs() {
        let zeros = vec![0u8; 5_000_000];
        for codec in ALL {
            let mut c = Vec::new();
            compress(codec, -1, &zeros, &mut c).unwrap();
            let mut d = vec![1, 2, 3];
            match decompress(codec, &c, &mut d, 1_000_000) {
                Err(CodecError::TooLarge(..)) => {}
                other => panic!("{codec:?}: {other:?}"),
            }
            assert_eq!(d, vec![1, 2, 3]);
            let mut d = Vec::new();
            decompress(codec, &c, &mut d, 5_000_000).unwrap();
            assert_eq!(d.len(), 5_000_000);
        }
    }

    #[test]
    fn zstd_without_content_size_and_multiframe() {
        let data = sample(200_000);
        let mut c = Vec::new();
        {
            // Streaming encoder writes no content size.
            let mut enc = zstd::stream::write::Encoder::new(&mut c, 3).unwrap();
            enc.include_contentsize(false).unwrap();
            enc.write_all(&data).unwrap();
            enc.finish().unwrap();
        }
        compress(Codec::Zstd, 3, &data, &mut c).unwrap();
        let mut d = Vec::new();
        decompress(Codec::Zstd, &c, &mut d, 400_000).unwrap();
        assert_eq!(d.len(), 400_000);
        assert_eq!(&d[..200_000], &data[..]);
        assert_eq!(&d[200_000..], &data[..]);
        let mut d = Vec::new();
        assert!(matches!(decompress(Codec::Zstd, &c, &mut d, 399_999), Err(CodecError::TooLarge(..))));
        let mut d = Vec::new();
        assert!(decompress(Codec::Zstd, &c[..c.len() - 3], &mut d, 1 << 20).is_err());
    }

    #[test]
    fn xxh32_known_vectors() {
        assert_eq!(xxh32(b""), 0x02CC5D05);
        assert_eq!(xxh32(b"a"), 0x550D7456);
        assert_eq!(xxh32(b"abc"), 0x32D153FF);
    }

    #[test]
    fn legacy_lz4_broken_header_checksum() {
        let data = sample(5000);
        let mut c = Vec::new();
        compress(Codec::Lz4, -1, &data, &mut c).unwrap();
        let hc = lz4_header_checksum_pos(&c).unwrap();
        // Kafka 0.8's checksum: over magic + descriptor.
        let mut broken = c.clone();
        broken[hc] = (xxh32(&c[..hc]) >> 8) as u8;
        assert_ne!(broken[hc], c[hc]);
        let mut d = Vec::new();
        assert!(decompress(Codec::Lz4, &broken, &mut d, 1 << 20).is_err());
        d.clear();
        decompress_legacy_lz4(&broken, &mut d, 1 << 20).unwrap();
        assert_eq!(d, data);
        d.clear();
        decompress_legacy_lz4(&c, &mut d, 1 << 20).unwrap();
        assert_eq!(d, data);
    }

    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x12345678u32;
        for len in 0..300 {
            let junk: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            for codec in ALL {
                let mut d = Vec::new();
                let _ = decompress(codec, &junk, &mut d, 1 << 16);
            }
            let mut x = b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01".to_vec();
            x.extend_from_slice(&junk);
            let _ = decompress(Codec::Snappy, &x, &mut Vec::new(), 1 << 16);
            let mut l = vec![0x04, 0x22, 0x4d, 0x18];
            l.extend_from_slice(&junk);
            let _ = decompress_legacy_lz4(&l, &mut Vec::new(), 1 << 16);
        }
    }
}
