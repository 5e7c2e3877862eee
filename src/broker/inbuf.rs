//! A connection's receive buffer. Its bytes are zeroed once, when allocated, and then
//! only overwritten by reads: zero-filling the free space before every read (safe Rust
//! cannot read into uninitialised memory) cost a memset of the whole remaining buffer
//! per read, megabytes per fetch answer.

use bytes::{Bytes, BytesMut};
use std::io::{self, Read};

const CHUNK: usize = 64 * 1024;
const MIN_ROOM: usize = 16 * 1024;

pub(super) struct InBuf {
    /// Initialised bytes; `..filled` hold received data not yet split off as frames.
    buf: BytesMut,
    filled: usize,
}

impl InBuf {
    pub fn new() -> InBuf {
        InBuf { buf: BytesMut::zeroed(CHUNK), filled: 0 }
    }

    /// The received bytes not yet taken as frames.
    pub fn data(&self) -> &[u8] {
        &self.buf[..self.filled]
    }

    /// Makes room for at least `want` more bytes (moving what was received to a new
    /// buffer when frames handed out still share the old one).
    pub fn reserve(&mut self, want: usize) {
        if self.buf.len() - self.filled >= want {
            return;
        }
        let mut fresh = BytesMut::zeroed((self.filled + want).max(CHUNK));
        fresh[..self.filled].copy_from_slice(&self.buf[..self.filled]);
        self.buf = fresh;
    }

    /// One read from `r` into the free space; Ok(0) is the peer closing.
    pub fn read_from(&mut self, r: &mut impl Read) -> io::Result<usize> {
        self.reserve(MIN_ROOM);
        let n = r.read(&mut self.buf[self.filled..])?;
        self.filled += n;
        Ok(n)
    }

    /// Takes the first `n` received bytes (a whole frame); they keep pointing into the
    /// buffer (fetched messages reference it without a copy).
    pub fn split(&mut self, n: usize) -> Bytes {
        self.filled -= n;
        self.buf.split_to(n).freeze()
    }
}
