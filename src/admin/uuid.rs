//! Kafka's UUIDs (topic ids): two 64-bit halves, printed as unpadded base64.

/// A UUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Uuid {
    pub most_significant_bits: i64,
    pub least_significant_bits: i64,
}

impl Uuid {
    pub fn new(most_significant_bits: i64, least_significant_bits: i64) -> Uuid {
        Uuid { most_significant_bits, least_significant_bits }
    }

    /// The 22-character unpadded base64 of the 16 big-endian bytes, as Kafka prints topic
    /// ids.
    pub fn base64(&self) -> String {
        let mut raw = [0u8; 16];
        raw[..8].copy_from_slice(&self.most_significant_bits.to_be_bytes());
        raw[8..].copy_from_slice(&self.least_significant_bits.to_be_bytes());
        base64_unpadded(&raw)
    }
}

fn base64_unpadded(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_kafka_prints_it() {
        assert_eq!(
            Uuid::new(0x0123456789abcdef, 0xfedcba9876543210u64 as i64).base64(),
            "ASNFZ4mrze/+3LqYdlQyEA"
        );
        assert_eq!(Uuid::new(0, 1).base64(), "AAAAAAAAAAAAAAAAAAAAAQ");
        assert_eq!(Uuid::new(0, 0).base64().len(), 22);
        assert_eq!(base64_unpadded(b"Ma"), "TWE");
    }
}
