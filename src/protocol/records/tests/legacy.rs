//! Legacy v0/v1 message sets, built per the protocol guide.

use bytes::Bytes;

use super::*;
use crate::protocol::compression;

pub(super) fn legacy_msg(
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

pub(super) fn legacy_inner(magic: i8, relative: bool) -> Vec<u8> {
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

pub(super) fn compress_legacy(codec: Codec, magic: i8, inner: &[u8]) -> Vec<u8> {
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
