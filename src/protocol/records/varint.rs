//! Zigzag varints as the Kafka protocol uses them: encoded sizes and writers.

use super::buf::BatchBuf;

#[inline]
fn zigzag32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

#[inline]
fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn uvarint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Encoded size of a zigzag varint.
#[inline]
pub fn varint_len(v: i32) -> usize {
    uvarint_len(zigzag32(v) as u64)
}

/// Encoded size of a zigzag varlong.
#[inline]
pub fn varlong_len(v: i64) -> usize {
    uvarint_len(zigzag64(v))
}

#[inline]
fn put_uvarint<B: BatchBuf + ?Sized>(buf: &mut B, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut n = 0;
    while v >= 0x80 {
        tmp[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    tmp[n] = v as u8;
    buf.put_slice(&tmp[..=n]);
}

/// A few varints gathered on the stack and written with one copy: a record's head is
/// five of them, and a copy call per one- or two-byte varint cost more than encoding.
pub(super) struct Head {
    bytes: [u8; 40],
    len: usize,
}

impl Head {
    #[inline]
    pub fn new() -> Head {
        Head { bytes: [0; 40], len: 0 }
    }

    #[inline]
    fn uvarint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes[self.len] = (v as u8) | 0x80;
            v >>= 7;
            self.len += 1;
        }
        self.bytes[self.len] = v as u8;
        self.len += 1;
    }

    /// A record's head needs at most 31 bytes: length, attributes, timestamp and
    /// offset deltas, key length and (without a key) value length.
    #[inline]
    pub fn varint(&mut self, v: i32) -> &mut Head {
        self.uvarint(zigzag32(v) as u64);
        self
    }

    #[inline]
    pub fn varlong(&mut self, v: i64) -> &mut Head {
        self.uvarint(zigzag64(v));
        self
    }

    #[inline]
    pub fn byte(&mut self, b: u8) -> &mut Head {
        self.bytes[self.len] = b;
        self.len += 1;
        self
    }

    /// Writes what was gathered and starts over.
    #[inline]
    pub fn flush<B: BatchBuf + ?Sized>(&mut self, buf: &mut B) {
        buf.put_slice(&self.bytes[..self.len]);
        self.len = 0;
    }
}

#[inline]
pub(super) fn put_varint<B: BatchBuf + ?Sized>(buf: &mut B, v: i32) {
    put_uvarint(buf, zigzag32(v) as u64)
}

#[inline]
pub(super) fn put_bytes<B: BatchBuf + ?Sized>(buf: &mut B, b: Option<&[u8]>) {
    match b {
        Some(b) => {
            put_varint(buf, b.len() as i32);
            buf.put_slice(b);
        }
        None => put_varint(buf, -1),
    }
}
