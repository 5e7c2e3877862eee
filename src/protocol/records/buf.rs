//! The buffer a record batch is encoded into.

use bytes::BytesMut;

/// A growable byte buffer a batch can be encoded into (`Vec<u8>` or `BytesMut`).
pub trait BatchBuf {
    fn buf_len(&self) -> usize;
    fn put_slice(&mut self, s: &[u8]);
    fn buf_truncate(&mut self, len: usize);
    fn buf_mut(&mut self) -> &mut [u8];
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
