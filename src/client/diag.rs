//! What rd_kafka_dump() prints and what rd_kafka_unittest() checks.

use super::parts::Client;
use crate::producer::partitioner::{fnv1a, murmur2};
use crate::protocol::compression::{compress, decompress, Codec};
use std::fmt::Write;
use std::sync::atomic::Ordering;

impl Client {
    /// The client's state in text, for a human (rd_kafka_dump).
    pub fn dump(&self) -> String {
        let rk = &self.rk;
        let mut s = String::new();
        let _ = writeln!(s, "rd_kafka_t {:p}: {}", self, rk.name);
        let _ = writeln!(s, " producer.msg_cnt {}", self.producer.outq.cnt.load(Ordering::Relaxed));
        let _ = writeln!(s, " producer.msg_size {}", self.producer.outq.bytes.load(Ordering::Relaxed));
        let _ = writeln!(s, " main queue {} events", rk.main_q.len());
        if let Some((code, msg)) = rk.fatal_error() {
            let _ = writeln!(s, " fatal error {}: {}", code.name(), msg);
        }
        let _ = writeln!(s, " brokers:");
        for b in self.brokers.all() {
            let st = &b.stats;
            let _ = writeln!(
                s,
                " rd_kafka_broker_t {:p}: {} NodeId {} in state {}",
                &*b,
                b.name,
                b.id,
                b.state_name()
            );
            let (tx, rx) = (st.tx.load(Ordering::Relaxed), st.rx.load(Ordering::Relaxed));
            let (txb, rxb) = (st.txbytes.load(Ordering::Relaxed), st.rxbytes.load(Ordering::Relaxed));
            let _ = writeln!(s, "  refcnt {}", std::sync::Arc::strong_count(&b));
            let _ = writeln!(
                s,
                "  outbuf_cnt: {} waitresp_cnt: {}",
                st.outbuf_cnt.load(Ordering::Relaxed),
                st.waitresp_cnt.load(Ordering::Relaxed)
            );
            let _ = writeln!(
                s,
                "  {tx} messages sent, {txb} bytes, {} errors",
                st.txerrs.load(Ordering::Relaxed)
            );
            let _ = writeln!(
                s,
                "  {rx} messages received, {rxb} bytes, {} errors",
                st.rxerrs.load(Ordering::Relaxed)
            );
            let _ = writeln!(
                s,
                "  {} connects, {} disconnects",
                st.connects.load(Ordering::Relaxed),
                st.disconnects.load(Ordering::Relaxed)
            );
            for p in b.toppars() {
                let _ = writeln!(
                    s,
                    "  toppar {} [{}] leader {}",
                    p.topic_name,
                    p.id,
                    p.leader_id.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(s, " topics:");
        for t in self.cache.known_topics() {
            let st = t.state();
            let known = if st.known {
                "known"
            } else if st.notexists {
                "does not exist"
            } else {
                "unknown"
            };
            let _ = writeln!(s, "  {} with {} partitions, metadata {known}", t.name, st.count);
            for p in st.partitions.iter() {
                let q = p.lock();
                let leader = p.leader_id.load(Ordering::Relaxed);
                let _ = writeln!(
                    s,
                    "   {} [{}] leader {leader}: {} messages ({} bytes) queued",
                    t.name,
                    p.id,
                    q.msgs.len(),
                    q.bytes
                );
            }
            let ua = t.ua.lock().map(|q| q.len()).unwrap_or(0);
            if ua > 0 {
                let _ = writeln!(s, "   {} messages waiting for a partition", ua);
            }
        }
        s
    }
}

/// The self-checks of rd_kafka_unittest(): the hashes behind the partitioners and the
/// codecs, against known values. Returns how many failed.
pub fn self_test() -> usize {
    let mut failed = 0;
    let mut check = |ok: bool| failed += usize::from(!ok);
    // librdkafka's own vectors (from the Java client and Go's hash/fnv).
    let short = "1234";
    let unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs";
    let keys = [
        "kafka",
        "giberish123456789",
        short,
        &short[1..],
        &short[2..],
        &short[3..],
        unaligned,
        &unaligned[1..],
        &unaligned[2..],
        &unaligned[3..],
        "",
    ];
    let java_murmur2: [u32; 11] = [
        0xd067cf64, 0x8f552b0c, 0x9fc97b14, 0xe7c009ca, 0x873930da, 0x5a4b5ca1, 0x78424f1c, 0x4a62b377,
        0xe0e4e09e, 0x62b8b43f, 0x106e08d9,
    ];
    let go_fnv1a: [u32; 11] = [
        0x0d33c4e1, 0x77a58295, 0x023bdd03, 0x2dea3cd2, 0x740fa83e, 0x310ca263, 0x65cbd69c, 0x6e49c79a,
        0x69eed356, 0x6abcc023, 0x7ee3623b,
    ];
    for (i, k) in keys.iter().enumerate() {
        check(murmur2(k.as_bytes()) == java_murmur2[i]);
        check(fnv1a(k.as_bytes()) == go_fnv1a[i]);
    }
    check(crc32c::crc32c(b"123456789") == 0xE306_9283);
    let input: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8 ^ (i / 1024) as u8).collect();
    for codec in [Codec::Gzip, Codec::Snappy, Codec::Lz4, Codec::Zstd] {
        let (mut packed, mut back) = (Vec::new(), Vec::new());
        let ok = compress(codec, -1, &input, &mut packed).is_ok()
            && packed.len() < input.len()
            && decompress(codec, &packed, &mut back, 1 << 20).is_ok()
            && back == input;
        check(ok);
    }
    failed
}
