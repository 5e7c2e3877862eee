//! Shared fixtures; the tests live in one file per area.

use super::*;
use crate::protocol::compression::Codec;

mod fuzz;
mod genuine;
mod legacy;
mod v2;

const ALL: [Codec; 5] = [Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4, Codec::Zstd];

type Hdrs = Vec<(String, Option<Vec<u8>>)>;

/// (timestamp, key, value, headers) samples covering nulls, empties and
/// negative timestamp deltas; values are repetitive so every codec shrinks them.
type Sample = (i64, Option<Vec<u8>>, Option<Vec<u8>>, Hdrs);

fn samples() -> Vec<Sample> {
    let big: Vec<u8> = b"kafkars ".iter().cycle().take(3000).copied().collect();
    vec![
        (1_700_000_000_000, Some(b"key-0".to_vec()), Some(big.clone()), vec![]),
        (1_700_000_000_005, None, Some(b"no key".to_vec()), vec![("h1".into(), Some(b"v1".to_vec()))]),
        (
            1_699_999_999_000,
            Some(b"tombstone".to_vec()),
            None,
            vec![("n".into(), None), ("".into(), Some(vec![]))],
        ),
        (1_700_000_000_002, None, None, vec![]),
        (1_700_000_100_000, Some(vec![]), Some(vec![]), vec![("x".into(), Some(big[..200].to_vec()))]),
        (1_700_000_000_001, Some(b"k".to_vec()), Some(big[..1000].to_vec()), vec![]),
    ]
}

fn encode_ours(codec: Codec, pid: i64, epoch: i16, seq: i32, txn: bool) -> (Vec<u8>, FinishedBatch) {
    let s = samples();
    let mut buf = vec![9, 9, 9]; // batch need not start at 0
    let mut w = RecordBatchWriter::new(&mut buf, s[0].0, pid, epoch, seq, txn);
    for (ts, k, v, h) in &s {
        let hdrs: Vec<(&str, Option<&[u8]>)> = h.iter().map(|(k, v)| (k.as_str(), v.as_deref())).collect();
        let n = w.append(&mut buf, *ts, k.as_deref(), v.as_deref(), &hdrs).unwrap();
        let hl: usize = h.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, |v| v.len())).sum();
        let est = RecordBatchWriter::estimated_size(
            k.as_ref().map_or(0, |k| k.len()),
            v.as_ref().map_or(0, |v| v.len()),
            hl,
            h.len(),
        );
        assert!(n <= est, "{n} > {est}");
    }
    let mut scratch = Vec::new();
    let fin = w.finish(&mut buf, codec, -1, &mut scratch).unwrap();
    assert_eq!(fin.start, 3);
    assert_eq!(fin.len, buf.len() - 3);
    assert_eq!(fin.codec, codec);
    buf.drain(..3);
    (buf, fin)
}

fn check_ours_decoded(batches: &[(BatchInfo, Vec<Record>)], codec: Codec) {
    let s = samples();
    assert_eq!(batches.len(), 1);
    let (info, recs) = &batches[0];
    assert_eq!(info.codec, codec);
    assert_eq!(info.record_count, 6);
    assert_eq!((info.base_offset, info.last_offset), (0, 5));
    assert_eq!(info.base_timestamp, s[0].0);
    assert_eq!(info.max_timestamp, 1_700_000_100_000);
    assert_eq!(recs.len(), s.len());
    for (i, (r, (ts, k, v, h))) in recs.iter().zip(&s).enumerate() {
        assert_eq!(r.offset, i as i64);
        assert_eq!(r.timestamp, *ts);
        assert_eq!(r.timestamp_type, TimestampType::CreateTime);
        assert_eq!(r.key.as_deref(), k.as_deref());
        assert_eq!(r.value.as_deref(), v.as_deref());
        let got: Vec<(&[u8], Option<&[u8]>)> =
            r.headers.iter().map(|(k, v)| (&k[..], v.as_deref())).collect();
        let want: Vec<(&[u8], Option<&[u8]>)> = h.iter().map(|(k, v)| (k.as_bytes(), v.as_deref())).collect();
        assert_eq!(got, want);
        assert_eq!(r.leader_epoch, 0); // our writer puts 0, as librdkafka
    }
}

fn strict() -> DecodeOptions {
    DecodeOptions { check_crcs: true, ..Default::default() }
}
