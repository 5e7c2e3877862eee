//! v2 batches: writer layout, round trips and kafka-protocol interoperability.

use bytes::{Bytes, BytesMut};
use kafka_protocol::indexmap::IndexMap;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records as kp;

use super::super::layout::{ATTR_CONTROL, ATTR_LOG_APPEND_TIME};
use super::*;

#[test]
fn crc32c_known_vector() {
    assert_eq!(crc32c::crc32c(b"123456789"), 0xE306_9283);
}

#[test]
fn header_layout_is_kafka_v2() {
    let (b, fin) = encode_ours(Codec::None, 1234, 5, 77, true);
    assert_eq!(&b[0..8], &0i64.to_be_bytes()); // baseOffset
    assert_eq!(i32::from_be_bytes(b[8..12].try_into().unwrap()) as usize, b.len() - 12);
    assert_eq!(&b[12..16], &0i32.to_be_bytes()); // partitionLeaderEpoch, as librdkafka
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
            w.append(&mut buf, 1000 + j, None, Some(v.as_bytes()), &[] as &[(&str, Option<&[u8]>)]).unwrap();
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
    w.append(&mut buf, 500, Some(&[0, 0, 0, 1]), Some(&[0, 0, 0, 0, 0, 5]), &[] as &[(&str, Option<&[u8]>)])
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
