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

#[inline]
pub(super) fn put_varint<B: BatchBuf + ?Sized>(buf: &mut B, v: i32) {
    put_uvarint(buf, zigzag32(v) as u64)
}

#[inline]
pub(super) fn put_varlong<B: BatchBuf + ?Sized>(buf: &mut B, v: i64) {
    put_uvarint(buf, zigzag64(v))
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
