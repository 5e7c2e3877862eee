//! librdkafka's built-in partitioners (the `partitioner` topic property) as
//! pure functions, bit-exact with rd_kafka_msg_partitioner_*().

/// RD_KAFKA_PARTITION_UA: returned when no partition can be chosen.
pub const PARTITION_UA: i32 = -1;

pub use crate::conf::Partitioner;

/// MurmurHash2 as the Java client computes it (seed 0x9747b28c, little-endian words).
/// Not masked: the partitioner clears the sign bit itself.
pub fn murmur2(data: &[u8]) -> u32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    // Java hashes the length as an int; keys longer than 4 GiB cannot be produced.
    let mut h = SEED ^ (data.len() as u32);
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        let mut k = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M) ^ k;
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate().rev() {
            h ^= u32::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h
}

/// 32-bit FNV-1a folded to its absolute value as a signed int, like librdkafka's
/// rd_fnv1a() (matching Sarama). i32::MIN stays 0x80000000, as in two's complement C.
pub fn fnv1a(data: &[u8]) -> u32 {
    const PRIME: u32 = 0x0100_0193;
    const OFFSET: u32 = 0x811c_9dc5;
    let h = data.iter().fold(OFFSET, |h, &b| (h ^ u32::from(b)).wrapping_mul(PRIME));
    (h as i32).wrapping_abs() as u32
}

/// Standard CRC-32 (IEEE, zlib's crc32()), which the consistent partitioner uses.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// Picks a partition like librdkafka's rd_kafka_msg_partitioner_random(): one random
/// pick, and if that partition has no leader a second pick, taken as is.
fn random_partition(partition_cnt: u32, is_available: impl Fn(i32) -> bool, rand: u32) -> i32 {
    let first = (rand % partition_cnt) as i32;
    if is_available(first) {
        return first;
    }
    // A second, independent-looking draw derived from the same random word.
    let second = rand.rotate_left(16) ^ rand.wrapping_mul(0x9e37_79b9);
    (second % partition_cnt) as i32
}

/// Runs partitioner `p` for a message with `key` (`None` = null key) on a topic with
/// `partition_cnt` partitions. `is_available(p)` tells whether partition p has a
/// leader (only the random choice consults it); `rand` is the caller's random word.
/// Returns PARTITION_UA when `partition_cnt` is not positive.
pub fn partition(
    p: Partitioner,
    key: Option<&[u8]>,
    partition_cnt: i32,
    is_available: impl Fn(i32) -> bool,
    rand: u32,
) -> i32 {
    if partition_cnt <= 0 {
        return PARTITION_UA;
    }
    let cnt = partition_cnt as u32;
    // C passes (NULL, 0) for a null key to the hash functions.
    let bytes = key.unwrap_or(&[]);
    let by_hash = |h: u32| (h % cnt) as i32;
    match p {
        Partitioner::Random => random_partition(cnt, is_available, rand),
        Partitioner::Consistent => by_hash(crc32(bytes)),
        Partitioner::ConsistentRandom if bytes.is_empty() => random_partition(cnt, is_available, rand),
        Partitioner::ConsistentRandom => by_hash(crc32(bytes)),
        Partitioner::Murmur2Random | Partitioner::Fnv1aRandom if key.is_none() => {
            random_partition(cnt, is_available, rand)
        }
        Partitioner::Murmur2 | Partitioner::Murmur2Random => by_hash(murmur2(bytes) & 0x7fff_ffff),
        Partitioner::Fnv1a | Partitioner::Fnv1aRandom => by_hash(fnv1a(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Generated with python ctypes from genuine librdkafka 2.16.0 (the confluent-kafka 2.16
    // wheel's bundled librdkafka) by calling its exported rd_kafka_msg_partitioner_consistent,
    // _murmur2 and _fnv1a (rkt = NULL; the *_random variants gave the same results for
    // these non-NULL keys, consistent_random for the non-empty ones).
    // Columns follow ORACLE_CNTS. Keys: see oracle_key().
    const ORACLE_CNTS: [i32; 9] = [1, 2, 3, 7, 10, 64, 100, 1000, 2147483647];
    const ORACLE_KEYS: &[Option<&[u8]>] = &[
        Some(b""),
        Some(b"a"),
        Some(b"ab"),
        Some(b"abc"),
        Some(b"abcd"),
        Some(b"abcde"),
        Some(b"21"),
        Some(b"foobar"),
        Some(b"kafka"),
        Some(b"giberish123456789"),
        Some(b"1234"),
        Some(b"234"),
        Some(b"34"),
        Some(b"4"),
        Some(b"PreAmbleWillBeRemoved,ThePrePartThatIs"),
        Some(b"reAmbleWillBeRemoved,ThePrePartThatIs"),
        Some(b"a-little-bit-long-string"),
        Some(b"a-little-bit-longer-string"),
        Some(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"),
        Some(b"\x00"),
        Some(b"\x00\x00\x00\x00"),
        Some(b"\xff"),
        Some(b"\xff\xff\xff\xff\xff"),
        Some(b"\x80\x81\x82\x83\x84\x85\x86"),
        Some(b"key-0"),
        Some(b"key-1"),
        Some(b"key-2"),
        Some(b"user:1001"),
        Some(b"order/2024/06/30"),
        Some(b"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-\xc3\xbc"),
        None, // built by oracle_key(): bytes 0..=255
        None, // built by oracle_key(): "x" * 1000
    ];
    /// (key index, consistent, murmur2, fnv1a)
    type OracleRow = (usize, [i32; 9], [i32; 9], [i32; 9]);
    #[rustfmt::skip]
    const ORACLE: &[OracleRow] = &[
        (0, [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 2, 1, 25, 81, 681, 275646681], [0, 1, 0, 2, 5, 59, 35, 35, 2128831035]),
        (1, [0, 1, 0, 4, 7, 3, 7, 907, 1756872260], [0, 0, 1, 5, 4, 60, 24, 524, 584102524], [0, 0, 0, 6, 6, 20, 76, 76, 468965076]),
        (2, [0, 1, 2, 5, 5, 45, 85, 885, 511920238], [0, 0, 2, 0, 4, 42, 34, 434, 316155434], [0, 0, 0, 2, 6, 10, 46, 946, 1294271946]),
        (3, [0, 0, 0, 5, 8, 2, 78, 578, 891568578], [0, 1, 0, 4, 7, 27, 7, 107, 479470107], [0, 1, 2, 5, 1, 11, 31, 331, 440920331]),
        (4, [0, 1, 1, 4, 9, 17, 69, 369, 1837288722], [0, 0, 2, 5, 0, 52, 0, 100, 823834100], [0, 1, 0, 1, 3, 3, 63, 763, 835421763]),
        (5, [0, 1, 0, 3, 5, 37, 85, 485, 92788838], [0, 1, 1, 4, 1, 29, 41, 741, 461995741], [0, 0, 0, 2, 6, 8, 36, 136, 1956368136]),
        (6, [0, 0, 1, 6, 2, 52, 32, 532, 2104968885], [0, 0, 0, 3, 0, 44, 40, 340, 1173551340], [0, 0, 0, 3, 2, 20, 52, 452, 1930258452]),
        (7, [0, 1, 2, 6, 9, 21, 69, 69, 519446422], [0, 0, 0, 0, 6, 62, 66, 166, 1357151166], [0, 0, 0, 4, 6, 24, 76, 576, 1080231576]),
        (8, [0, 1, 2, 6, 9, 23, 99, 399, 1539077399], [0, 0, 1, 3, 0, 36, 80, 580, 1348980580], [0, 1, 2, 4, 5, 33, 45, 545, 221496545]),
        (9, [0, 1, 2, 2, 1, 63, 71, 71, 2067435071], [0, 0, 2, 5, 0, 12, 20, 820, 257239820], [0, 1, 2, 5, 3, 21, 73, 573, 2007335573]),
        (10, [0, 1, 1, 2, 9, 35, 59, 659, 467919012], [0, 0, 0, 0, 0, 20, 40, 940, 533297940], [0, 1, 0, 6, 5, 3, 35, 635, 37477635]),
        (11, [0, 1, 1, 2, 7, 41, 57, 457, 225540457], [0, 0, 2, 4, 6, 10, 66, 666, 1740638666], [0, 0, 0, 4, 4, 18, 14, 714, 770325714]),
        (12, [0, 0, 2, 1, 2, 58, 42, 842, 335971195], [0, 0, 0, 6, 0, 26, 70, 570, 121188570], [0, 0, 1, 5, 6, 62, 66, 166, 1947183166]),
        (13, [0, 0, 1, 1, 8, 56, 8, 8, 1941314361], [0, 1, 1, 6, 3, 33, 53, 353, 1514888353], [0, 1, 1, 1, 7, 35, 87, 587, 822911587]),
        (14, [0, 0, 2, 6, 0, 58, 10, 610, 1573627963], [0, 0, 2, 1, 8, 28, 48, 548, 2017611548], [0, 0, 2, 0, 4, 28, 64, 564, 1707857564]),
        (15, [0, 1, 1, 2, 7, 55, 67, 767, 1862891767], [0, 1, 2, 6, 5, 55, 55, 455, 1247982455], [0, 0, 2, 2, 6, 26, 86, 986, 1850328986]),
        (16, [0, 0, 0, 3, 4, 34, 54, 554, 1852951907], [0, 0, 2, 1, 2, 32, 12, 112, 1161502112], [0, 0, 1, 1, 4, 24, 4, 104, 576518104]),
        (17, [0, 0, 2, 0, 0, 42, 90, 890, 130003243], [0, 1, 2, 0, 9, 3, 19, 819, 661178819], [0, 1, 0, 4, 3, 41, 13, 313, 780662313]),
        (18, [0, 1, 1, 2, 3, 33, 33, 433, 1621866786], [0, 1, 2, 3, 7, 13, 77, 677, 2088585677], [0, 0, 1, 2, 6, 14, 66, 966, 389149966]),
        (19, [0, 1, 1, 2, 7, 13, 57, 757, 1375924110], [0, 0, 2, 0, 8, 60, 88, 588, 375494588], [0, 1, 0, 5, 1, 31, 51, 351, 84696351]),
        (20, [0, 0, 1, 4, 2, 28, 92, 692, 558161692], [0, 0, 1, 6, 0, 0, 20, 120, 850957120], [0, 1, 1, 2, 5, 21, 5, 805, 1268118805]),
        (21, [0, 0, 0, 3, 0, 0, 80, 80, 2130706433], [0, 1, 0, 5, 3, 27, 63, 963, 1836015963], [0, 0, 2, 0, 6, 14, 6, 606, 2047574606]),
        (22, [0, 0, 2, 5, 8, 50, 78, 178, 1392316531], [0, 0, 0, 2, 6, 34, 26, 26, 1783645026], [0, 0, 1, 5, 4, 54, 94, 94, 910551094]),
        (23, [0, 1, 2, 3, 5, 17, 65, 465, 1347416465], [0, 0, 1, 5, 4, 42, 34, 434, 2099603434], [0, 0, 2, 5, 0, 56, 80, 880, 631813880]),
        (24, [0, 0, 0, 6, 0, 44, 40, 940, 2045480940], [0, 1, 1, 0, 1, 57, 41, 41, 29210041], [0, 1, 0, 6, 7, 25, 57, 857, 1491088857]),
        (25, [0, 0, 2, 0, 8, 58, 38, 538, 250396538], [0, 0, 0, 5, 0, 56, 40, 640, 193331640], [0, 0, 1, 1, 8, 6, 38, 238, 1474311238]),
        (26, [0, 0, 0, 3, 0, 0, 80, 480, 400944833], [0, 0, 2, 4, 2, 6, 2, 702, 852269702], [0, 1, 2, 3, 9, 51, 19, 619, 1457533619]),
        (27, [0, 1, 2, 0, 3, 53, 53, 853, 1752377206], [0, 1, 2, 2, 3, 41, 13, 913, 185599913], [0, 0, 2, 2, 6, 54, 86, 686, 1333533686]),
        (28, [0, 1, 0, 0, 5, 31, 55, 255, 347700255], [0, 1, 0, 1, 7, 55, 27, 527, 1346353527], [0, 1, 0, 1, 3, 21, 93, 493, 1872257493]),
        (29, [0, 0, 0, 6, 0, 4, 0, 100, 488096453], [0, 1, 2, 5, 7, 63, 7, 7, 425371007], [0, 1, 2, 0, 1, 27, 51, 451, 1834255451]),
        (30, [0, 1, 1, 5, 1, 51, 91, 491, 688229491], [0, 0, 1, 3, 4, 54, 74, 374, 199136374], [0, 1, 2, 5, 3, 59, 63, 563, 1868277563]),
        (31, [0, 0, 0, 5, 0, 38, 70, 270, 994167270], [0, 0, 0, 3, 6, 30, 46, 46, 1079030046], [0, 1, 2, 6, 1, 37, 61, 661, 131170661]),
    ];
    /// NULL key: consistent, murmur2, fnv1a
    #[rustfmt::skip]
    const ORACLE_NULL_KEY: [[i32; 9]; 3] = [[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 2, 1, 25, 81, 681, 275646681], [0, 1, 0, 2, 5, 59, 35, 35, 2128831035]];

    fn oracle_key(i: usize) -> Vec<u8> {
        match ORACLE_KEYS[i] {
            Some(k) => k.to_vec(),
            None if i == ORACLE_KEYS.len() - 2 => (0..=255u8).collect(),
            None => vec![b'x'; 1000],
        }
    }

    fn never(_: i32) -> bool {
        panic!("hash partitioners must not consult availability")
    }

    #[test]
    fn hash_partitioners_match_librdkafka_2_16() {
        assert_eq!(ORACLE.len(), ORACLE_KEYS.len());
        for &(i, consistent, murmur, fnv) in ORACLE {
            let key = oracle_key(i);
            for (j, &cnt) in ORACLE_CNTS.iter().enumerate() {
                let k = Some(key.as_slice());
                let ctx = format!("key #{i} {:?}, cnt {cnt}", String::from_utf8_lossy(&key));
                assert_eq!(
                    partition(Partitioner::Consistent, k, cnt, never, 0),
                    consistent[j],
                    "consistent {ctx}"
                );
                assert_eq!(partition(Partitioner::Murmur2, k, cnt, never, 0), murmur[j], "murmur2 {ctx}");
                assert_eq!(
                    partition(Partitioner::Murmur2Random, k, cnt, never, 0),
                    murmur[j],
                    "murmur2_random {ctx}"
                );
                assert_eq!(partition(Partitioner::Fnv1a, k, cnt, never, 0), fnv[j], "fnv1a {ctx}");
                assert_eq!(
                    partition(Partitioner::Fnv1aRandom, k, cnt, never, 0),
                    fnv[j],
                    "fnv1a_random {ctx}"
                );
                if !key.is_empty() {
                    assert_eq!(
                        partition(Partitioner::ConsistentRandom, k, cnt, never, 0),
                        consistent[j],
                        "consistent_random {ctx}"
                    );
                }
            }
        }
    }

    #[test]
    fn null_key_hashes_like_empty_key_for_non_random_variants() {
        for (j, &cnt) in ORACLE_CNTS.iter().enumerate() {
            assert_eq!(partition(Partitioner::Consistent, None, cnt, never, 0), ORACLE_NULL_KEY[0][j]);
            assert_eq!(partition(Partitioner::Murmur2, None, cnt, never, 0), ORACLE_NULL_KEY[1][j]);
            assert_eq!(partition(Partitioner::Fnv1a, None, cnt, never, 0), ORACLE_NULL_KEY[2][j]);
        }
    }

    #[test]
    fn java_client_murmur2_vectors() {
        // Kafka's UtilsTest.testMurmur2 (signed Java ints).
        for (key, want) in [
            (&b"21"[..], -973932308i32),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
            (b"abc", 479470107),
        ] {
            assert_eq!(murmur2(key) as i32, want, "{:?}", String::from_utf8_lossy(key));
        }
        // librdkafka's own unit test values (rdmurmur2.c, also from the Java client).
        for (key, want) in [
            (&b"kafka"[..], 0xd067cf64u32),
            (b"giberish123456789", 0x8f552b0c),
            (b"1234", 0x9fc97b14),
            (b"234", 0xe7c009ca),
            (b"34", 0x873930da),
            (b"4", 0x5a4b5ca1),
            (b"PreAmbleWillBeRemoved,ThePrePartThatIs", 0x78424f1c),
            (b"reAmbleWillBeRemoved,ThePrePartThatIs", 0x4a62b377),
            (b"eAmbleWillBeRemoved,ThePrePartThatIs", 0xe0e4e09e),
            (b"AmbleWillBeRemoved,ThePrePartThatIs", 0x62b8b43f),
            (b"", 0x106e08d9),
        ] {
            assert_eq!(murmur2(key), want, "{:?}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn fnv1a_vectors_from_librdkafka_unittest() {
        // rdfnv1a.c's Go hash/fnv results.
        for (key, want) in [
            (&b"kafka"[..], 0x0d33c4e1u32),
            (b"giberish123456789", 0x77a58295),
            (b"1234", 0x023bdd03),
            (b"234", 0x2dea3cd2),
            (b"34", 0x740fa83e),
            (b"4", 0x310ca263),
            (b"PreAmbleWillBeRemoved,ThePrePartThatIs", 0x65cbd69c),
            (b"", 0x7ee3623b),
        ] {
            assert_eq!(fnv1a(key), want, "{:?}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn crc32_is_ieee() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf43926);
    }

    #[test]
    fn random_variants_use_random_only_where_librdkafka_does() {
        let all = |_: i32| true;
        // Null key: random for *_random variants and consistent_random.
        for p in [
            Partitioner::Murmur2Random,
            Partitioner::Fnv1aRandom,
            Partitioner::ConsistentRandom,
            Partitioner::Random,
        ] {
            assert_eq!(partition(p, None, 10, all, 7), 7, "{p:?}");
            assert_eq!(partition(p, None, 10, all, 13), 3, "{p:?}");
        }
        // Empty key: only consistent_random (and random) go random; the others hash it.
        assert_eq!(partition(Partitioner::ConsistentRandom, Some(b""), 10, all, 7), 7);
        assert_eq!(partition(Partitioner::Murmur2Random, Some(b""), 100, all, 7), 81);
        assert_eq!(partition(Partitioner::Fnv1aRandom, Some(b""), 100, all, 7), 35);
        // Random with a key ignores it.
        assert_eq!(partition(Partitioner::Random, Some(b"abc"), 10, all, 4), 4);
    }

    #[test]
    fn random_retries_once_when_unavailable() {
        let only_5 = |p: i32| p == 5;
        let rand = 2u32; // first pick 2 is unavailable
        let second = partition(Partitioner::Random, None, 8, only_5, rand);
        let expect = ((rand.rotate_left(16) ^ rand.wrapping_mul(0x9e37_79b9)) % 8) as i32;
        assert_eq!(second, expect);
        assert_eq!(partition(Partitioner::Random, None, 8, only_5, 5), 5);
        for r in 0..1000u32 {
            let p = partition(Partitioner::Random, None, 3, |_| false, r);
            assert!((0..3).contains(&p));
        }
    }

    #[test]
    fn bad_partition_counts_do_not_panic() {
        for p in
            [Partitioner::Random, Partitioner::Consistent, Partitioner::Murmur2, Partitioner::Fnv1aRandom]
        {
            assert_eq!(partition(p, Some(b"k"), 0, |_| true, 1), PARTITION_UA);
            assert_eq!(partition(p, None, -3, |_| true, 1), PARTITION_UA);
        }
        assert_eq!(partition(Partitioner::Murmur2, Some(b"k"), 1, never, u32::MAX), 0);
    }

    #[test]
    fn names_round_trip_and_sticky_rule() {
        for n in [
            "random",
            "consistent",
            "consistent_random",
            "murmur2",
            "murmur2_random",
            "fnv1a",
            "fnv1a_random",
        ] {
            assert_eq!(Partitioner::from_name(n).map(Partitioner::name), Some(n));
        }
        assert_eq!(Partitioner::from_name("Murmur2"), None);
        assert_eq!(Partitioner::default(), Partitioner::ConsistentRandom);
        assert!(!Partitioner::Murmur2.uses_sticky(None));
        assert!(!Partitioner::Consistent.uses_sticky(None));
        assert!(Partitioner::Murmur2Random.uses_sticky(None));
        assert!(!Partitioner::Murmur2.uses_sticky(Some(b"")));
        assert!(Partitioner::ConsistentRandom.uses_sticky(Some(b"")));
        assert!(!Partitioner::ConsistentRandom.uses_sticky(Some(b"k")));
        assert!(Partitioner::Random.uses_sticky(None));
    }
}
