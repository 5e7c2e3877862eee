//! The buffer a record batch is encoded into.

use bytes::{Bytes, BytesMut};

/// A growable byte buffer a batch can be encoded into (`Vec<u8>`, `BytesMut`, or a
/// connection's `OutBuf`, which can also take shared bytes by reference). Lengths and
/// indexes are of the bytes held inline.
pub trait BatchBuf {
    fn buf_len(&self) -> usize;
    fn put_slice(&mut self, s: &[u8]);
    fn buf_truncate(&mut self, len: usize);
    fn buf_mut(&mut self) -> &mut [u8];
    /// Bytes ever added by reference (a batch's size counts them too).
    fn spliced(&self) -> u64 {
        0
    }
    /// Appends shared bytes: by reference where the buffer can, else copied.
    fn put_shared(&mut self, b: &Bytes) {
        self.put_slice(b)
    }
    /// CRC-32C from inline index `from` to the end, with the bytes added by
    /// reference after `spliced` in their places.
    fn crc32c_from(&mut self, from: usize, spliced: u64) -> u32 {
        let _ = spliced;
        crc32c::crc32c(&self.buf_mut()[from..])
    }
}

impl BatchBuf for Vec<u8> {
    #[inline]
    fn buf_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put_slice(&mut self, s: &[u8]) {
        self.extend_from_slice(s)
    }
    #[inline]
    fn buf_truncate(&mut self, len: usize) {
        self.truncate(len)
    }
    #[inline]
    fn buf_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl BatchBuf for BytesMut {
    #[inline]
    fn buf_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put_slice(&mut self, s: &[u8]) {
        self.extend_from_slice(s)
    }
    #[inline]
    fn buf_truncate(&mut self, len: usize) {
        self.truncate(len)
    }
    #[inline]
    fn buf_mut(&mut self) -> &mut [u8] {
        self
    }
}
