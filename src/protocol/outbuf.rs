//! The bytes waiting to go out on a connection. Requests are encoded into one buffer;
//! large payloads that are already held in shared buffers (a produced message's copy)
//! are spliced in by reference instead of being copied a second time, as librdkafka
//! does, and reach the socket through one vectored write.

use super::records::BatchBuf;
use bytes::{Buf, Bytes, BytesMut};
use std::collections::VecDeque;
use std::io::{self, IoSlice, Write};

/// A position in an `OutBuf`, to measure what was written after it or to drop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Inline bytes ever appended before it.
    inline: u64,
    /// Bytes ever spliced in before it.
    spliced: u64,
}

struct Splice {
    /// The inline position (counted like `Mark::inline`) the bytes go before.
    at: u64,
    data: Bytes,
    /// `OutBuf::spliced` after this splice.
    end: u64,
}

/// Slices handed to one vectored write (IOV_MAX on Linux).
const MAX_IOV: usize = 1024;

pub struct OutBuf {
    inline: BytesMut,
    splices: VecDeque<Splice>,
    /// Inline bytes written to the socket (and dropped from `inline`) so far.
    sent: u64,
    /// Bytes ever spliced in.
    spliced: u64,
}

impl OutBuf {
    pub fn with_capacity(n: usize) -> OutBuf {
        OutBuf { inline: BytesMut::with_capacity(n), splices: VecDeque::new(), sent: 0, spliced: 0 }
    }

    /// The inline buffer, for encoders that only append bytes.
    pub fn inline(&mut self) -> &mut BytesMut {
        &mut self.inline
    }

    pub fn mark(&self) -> Mark {
        Mark { inline: self.sent + self.inline.len() as u64, spliced: self.spliced }
    }

    /// Bytes written after `m`, spliced ones included.
    pub fn len_since(&self, m: Mark) -> usize {
        (self.sent + self.inline.len() as u64 - m.inline + self.spliced - m.spliced) as usize
    }

    /// Index in `inline()` of a mark's position.
    pub fn index_of(&self, m: Mark) -> usize {
        (m.inline - self.sent) as usize
    }

    /// Drops everything written after `m`.
    pub fn truncate(&mut self, m: Mark) {
        self.inline.truncate(self.index_of(m));
        while self.splices.back().is_some_and(|s| s.end > m.spliced) {
            self.splices.pop_back();
        }
        self.spliced = m.spliced;
    }

    /// Appends `data` by reference.
    pub fn splice(&mut self, data: Bytes) {
        if data.is_empty() {
            return;
        }
        self.spliced += data.len() as u64;
        let at = self.sent + self.inline.len() as u64;
        self.splices.push_back(Splice { at, data, end: self.spliced });
    }

    pub fn is_empty(&self) -> bool {
        self.inline.is_empty() && self.splices.is_empty()
    }

    /// Gives back a large inline buffer once everything is sent.
    pub fn shrink_idle(&mut self, above: usize, to: usize) {
        if self.is_empty() && self.inline.capacity() > above {
            self.inline = BytesMut::with_capacity(to);
        }
    }

    /// Writes what it can of the pending bytes, in order; `advance` by the result.
    pub fn write_to<W: Write>(&self, w: &mut W) -> io::Result<usize> {
        if self.splices.is_empty() {
            return w.write(&self.inline);
        }
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        let mut n = 0;
        let mut pos = 0;
        let mut all = true;
        for s in &self.splices {
            // Room for this splice, the inline bytes before it and a tail.
            if n + 3 > MAX_IOV {
                all = false;
                break;
            }
            let at = (s.at - self.sent) as usize;
            if at > pos {
                iov[n] = IoSlice::new(&self.inline[pos..at]);
                n += 1;
                pos = at;
            }
            iov[n] = IoSlice::new(&s.data);
            n += 1;
        }
        if all && pos < self.inline.len() {
            iov[n] = IoSlice::new(&self.inline[pos..]);
            n += 1;
        }
        w.write_vectored(&iov[..n])
    }

    /// Drops `n` bytes that were written.
    pub fn advance(&mut self, mut n: usize) {
        while n > 0 {
            let inline_first = match self.splices.front() {
                Some(s) => (s.at - self.sent) as usize,
                None => self.inline.len(),
            };
            if inline_first > 0 {
                let k = n.min(inline_first);
                self.inline.advance(k);
                self.sent += k as u64;
                n -= k;
                continue;
            }
            let Some(s) = self.splices.front_mut() else { return };
            let k = n.min(s.data.len());
            s.data.advance(k);
            n -= k;
            if s.data.is_empty() {
                self.splices.pop_front();
            }
        }
    }

    /// CRC-32C of the bytes from inline index `from` on, spliced ones (those added
    /// after `spliced`) in their places.
    fn crc32c_from(&self, from: usize, spliced: u64) -> u32 {
        let first = self.splices.partition_point(|s| s.end <= spliced);
        let mut crc = 0;
        let mut pos = from;
        for s in self.splices.range(first..) {
            let at = (s.at - self.sent) as usize;
            crc = crc32c::crc32c_append(crc, &self.inline[pos..at]);
            crc = crc32c::crc32c_append(crc, &s.data);
            pos = at;
        }
        crc32c::crc32c_append(crc, &self.inline[pos..])
    }
}

impl BatchBuf for OutBuf {
    #[inline]
    fn buf_len(&self) -> usize {
        self.inline.len()
    }
    // Several times per record: a call here cost 26 instructions per 100 B message.
    #[inline(always)]
    fn put_slice(&mut self, s: &[u8]) {
        self.inline.extend_from_slice(s)
    }
    fn buf_truncate(&mut self, len: usize) {
        let to = self.sent + len as u64;
        // A splice sitting exactly at `len` came before it: records end inline.
        while self.splices.back().is_some_and(|s| s.at > to) {
            if let Some(s) = self.splices.pop_back() {
                self.spliced -= s.data.len() as u64;
            }
        }
        self.inline.truncate(len)
    }
    #[inline]
    fn buf_mut(&mut self) -> &mut [u8] {
        &mut self.inline
    }
    #[inline]
    fn spliced(&self) -> u64 {
        self.spliced
    }
    #[inline]
    fn put_shared(&mut self, b: &Bytes) {
        self.splice(b.clone())
    }
    fn crc32c_from(&mut self, from: usize, spliced: u64) -> u32 {
        OutBuf::crc32c_from(self, from, spliced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::compression::Codec;
    use crate::protocol::records::{BatchBuf, RecordBatchWriter};

    /// A writer that takes at most `max` bytes per call, like a full socket.
    struct Trickle {
        got: Vec<u8>,
        max: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(self.max);
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            let mut n = 0;
            for b in bufs {
                let k = b.len().min(self.max - n);
                self.got.extend_from_slice(&b[..k]);
                n += k;
                if n == self.max {
                    break;
                }
            }
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn drain(out: &mut OutBuf, max: usize) -> Vec<u8> {
        let mut w = Trickle { got: Vec::new(), max };
        while !out.is_empty() {
            let n = out.write_to(&mut w).unwrap();
            assert!(n > 0);
            out.advance(n);
        }
        w.got
    }

    #[test]
    fn spliced_bytes_go_out_in_place_whatever_the_write_sizes() {
        for max in [1, 3, 7, 64, 1 << 20] {
            let mut out = OutBuf::with_capacity(16);
            let mut want = Vec::new();
            for i in 0..200u32 {
                let inline = i.to_be_bytes();
                out.inline().extend_from_slice(&inline);
                want.extend_from_slice(&inline);
                if i % 3 != 0 {
                    let data = Bytes::from(vec![i as u8; (i % 11) as usize]);
                    want.extend_from_slice(&data);
                    out.splice(data);
                }
            }
            assert_eq!(drain(&mut out, max), want, "max {max}");
            // Positions keep counting after a drain.
            out.inline().extend_from_slice(b"ab");
            out.splice(Bytes::from_static(b"cd"));
            out.inline().extend_from_slice(b"ef");
            assert_eq!(drain(&mut out, max), b"abcdef");
        }
    }

    #[test]
    fn marks_measure_and_truncate_spliced_bytes() {
        let mut out = OutBuf::with_capacity(16);
        out.inline().extend_from_slice(b"head");
        let m = out.mark();
        out.inline().extend_from_slice(b"12");
        out.splice(Bytes::from_static(b"3456"));
        out.inline().extend_from_slice(b"7");
        assert_eq!(out.len_since(m), 7);
        out.truncate(m);
        assert_eq!(out.len_since(m), 0);
        out.inline().extend_from_slice(b"x");
        assert_eq!(drain(&mut out, 2), b"headx");
    }

    /// A batch with values spliced in is byte for byte the batch with them copied.
    #[test]
    fn spliced_batch_equals_copied_batch() {
        let values: Vec<Bytes> = (0..20).map(|i| Bytes::from(vec![b'a' + i as u8; 100 * i + 1])).collect();
        let hdrs: &[(&str, Option<&[u8]>)] = &[("h", Some(b"v"))];
        let mut plain = Vec::new();
        let mut w = RecordBatchWriter::new(&mut plain, 1000, 7, 1, 5, false);
        for (i, v) in values.iter().enumerate() {
            w.append(&mut plain, 1000 + i as i64, Some(b"key"), Some(v), hdrs).unwrap();
        }
        w.finish(&mut plain, Codec::None, 0, &mut Vec::new()).unwrap();

        let mut out = OutBuf::with_capacity(16);
        out.inline().extend_from_slice(b"frame");
        let mut w = RecordBatchWriter::new(&mut out, 1000, 7, 1, 5, false);
        for (i, v) in values.iter().enumerate() {
            let n = if i % 2 == 0 {
                w.append_shared(&mut out, 1000 + i as i64, Some(b"key"), v, hdrs).unwrap()
            } else {
                w.append(&mut out, 1000 + i as i64, Some(b"key"), Some(v), hdrs).unwrap()
            };
            assert!(n > v.len());
        }
        assert_eq!(w.size(&out), plain.len());
        let done = w.finish(&mut out, Codec::None, 0, &mut Vec::new()).unwrap();
        assert_eq!(done.len, plain.len());
        let sent = drain(&mut out, 1000);
        assert_eq!(&sent[..5], b"frame");
        assert_eq!(&sent[5..], &plain[..]);
        assert!(out.buf_len() == 0 && out.spliced() > 0);
    }
}
