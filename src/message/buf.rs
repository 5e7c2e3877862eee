//! Where a message's payload and key live: copied into the message, shared with a fetch
//! response, or the application's own buffer.

use bytes::Bytes;

/// Where a payload or key lives.
pub enum Buf {
    None,
    Owned(Box<[u8]>),
    Shared(Bytes),
    Foreign(Foreign),
    /// A range of the message's own `store` (copied key and payload share one allocation).
    Store {
        off: u32,
        len: u32,
    },
}

impl Buf {
    pub fn as_slice(&self) -> Option<&[u8]> {
        match self {
            Buf::None => None,
            Buf::Owned(b) => Some(b),
            Buf::Shared(b) => Some(b),
            Buf::Foreign(f) => Some(f.bytes),
            // Only the owning message can resolve a store range: see Message::key/payload.
            Buf::Store { .. } => None,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Buf::Store { len, .. } => *len as usize,
            _ => self.as_slice().map_or(0, |s| s.len()),
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Buf::None)
    }
    /// Address for the C struct: librdkafka gives NULL for an absent payload/key.
    pub fn addr(&self) -> usize {
        match self {
            Buf::None => 0,
            Buf::Foreign(f) => f.addr,
            Buf::Store { .. } => 0,
            _ => self.as_slice().map_or(0, |s| s.as_ptr() as usize),
        }
    }
}

/// A payload the application passed by pointer (produce without RD_KAFKA_MSG_F_COPY):
/// read in place. The C layer vouches for the slice: librdkafka's contract keeps the
/// buffer alive until the message's delivery report. With RD_KAFKA_MSG_F_FREE the
/// message owns it and `release` frees it when the message is dropped.
pub struct Foreign {
    bytes: &'static [u8],
    /// The application's pointer, as C gave it (also when the length is 0).
    addr: usize,
    release: Option<fn(usize)>,
}

impl Foreign {
    pub fn new(bytes: &'static [u8], addr: usize, release: Option<fn(usize)>) -> Foreign {
        Foreign { bytes, addr, release }
    }

    pub fn as_slice(&self) -> &[u8] {
        self.bytes
    }

    /// Gives ownership back to the application (a failed produce call must not free).
    pub fn disarm(&mut self) {
        self.release = None;
    }
}

impl Drop for Foreign {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release(self.addr);
        }
    }
}
