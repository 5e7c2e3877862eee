//! Robustness: every truncation and many random byte flips, no panic.

use bytes::Bytes;

use super::genuine::librdkafka_capture;
use super::legacy::{compress_legacy, legacy_inner, legacy_msg};
use super::*;

fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn decode_all_ignoring(data: Bytes, check: bool) -> usize {
    let opts = DecodeOptions { check_crcs: check, max_decompressed: 1 << 20 };
    let mut n = 0;
    for b in RecordsReader::new(data, opts).flatten() {
        n += b.flatten().count();
    }
    n
}

#[test]
fn fuzz_truncations_and_flips_never_panic() {
    let mut inputs: Vec<Vec<u8>> = ALL.iter().map(|&c| encode_ours(c, 1, 1, 1, false).0).collect();
    let inner = legacy_inner(1, true);
    for codec in [Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4] {
        let payload =
            if codec == Codec::None { b"plain".to_vec() } else { compress_legacy(codec, 1, &inner) };
        inputs.push(legacy_msg(3, 1, codec as i8, 1, Some(b"k"), Some(&payload)));
    }
    inputs.push(legacy_msg(
        3,
        0,
        Codec::Lz4 as i8,
        0,
        None,
        Some(&compress_legacy(Codec::Lz4, 0, &legacy_inner(0, false))),
    ));
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for input in &inputs {
        for cut in 0..=input.len() {
            decode_all_ignoring(Bytes::copy_from_slice(&input[..cut]), false);
        }
        for _ in 0..1500 {
            let mut m = input.clone();
            for _ in 0..(1 + xorshift(&mut seed) % 3) {
                let i = (xorshift(&mut seed) % m.len() as u64) as usize;
                m[i] = xorshift(&mut seed) as u8;
            }
            decode_all_ignoring(Bytes::from(m.clone()), false);
            decode_all_ignoring(Bytes::from(m), true);
        }
    }
    // Pure noise, including fake magic bytes.
    for len in 0..400usize {
        let mut m: Vec<u8> = (0..len).map(|_| xorshift(&mut seed) as u8).collect();
        if len > 16 {
            m[16] = (len % 3) as u8;
        }
        decode_all_ignoring(Bytes::from(m), false);
    }
}

#[test]
fn fuzz_genuine_librdkafka_batches() {
    let mut seed = 0xDEAD_BEEF_u64;
    for name in ["m0_lz4", "m1_snappy", "m2_zstd", "m2_gzip"] {
        let input = librdkafka_capture(name);
        for cut in 0..=input.len() {
            decode_all_ignoring(Bytes::copy_from_slice(&input[..cut]), true);
        }
        for _ in 0..500 {
            let mut m = input.to_vec();
            let i = (xorshift(&mut seed) % m.len() as u64) as usize;
            m[i] = xorshift(&mut seed) as u8;
            decode_all_ignoring(Bytes::from(m), false);
        }
    }
}
