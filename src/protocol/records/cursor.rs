//! Bounds-checked reading of protocol fields, shared by both decoders.

use super::types::DecodeError;

/// Bounds-checked big-endian reader over a slice.
pub(super) struct Cursor<'a> {
    b: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(b: &'a [u8], pos: usize) -> Self {
        Cursor { b, pos }
    }

    #[inline]
    pub(super) fn take(&mut self, n: usize) -> Result<std::ops::Range<usize>, DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(DecodeError::Malformed("truncated field"))?;
        let r = self.pos..end;
        self.pos = end;
        Ok(r)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let r = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&self.b[r]);
        Ok(a)
    }

    pub(super) fn i8(&mut self) -> Result<i8, DecodeError> {
        Ok(self.array::<1>()?[0] as i8)
    }
    pub(super) fn i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.array()?))
    }
    pub(super) fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.array()?))
    }
    pub(super) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    pub(super) fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    #[inline]
    fn uvarint(&mut self, max_bytes: usize) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for i in 0..max_bytes {
            let Some(&byte) = self.b.get(self.pos) else {
                return Err(DecodeError::Malformed("truncated varint"));
            };
            self.pos += 1;
            v |= ((byte & 0x7f) as u64) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::Malformed("varint too long"))
    }

    #[inline]
    pub(super) fn varint(&mut self) -> Result<i32, DecodeError> {
        let u = self.uvarint(5)?;
        if u > u32::MAX as u64 {
            return Err(DecodeError::Malformed("varint overflows i32"));
        }
        let u = u as u32;
        Ok((u >> 1) as i32 ^ -((u & 1) as i32))
    }

    #[inline]
    pub(super) fn varlong(&mut self) -> Result<i64, DecodeError> {
        let u = self.uvarint(10)?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    /// Varint-length-prefixed bytes, -1 meaning null.
    #[inline]
    pub(super) fn varbytes(&mut self) -> Result<Option<std::ops::Range<usize>>, DecodeError> {
        match self.varint()? {
            -1 => Ok(None),
            n if n < 0 => Err(DecodeError::Malformed("negative length")),
            n => Ok(Some(self.take(n as usize)?)),
        }
    }

    /// i32-length-prefixed bytes (v0/v1), -1 meaning null.
    pub(super) fn bytes32(&mut self) -> Result<Option<std::ops::Range<usize>>, DecodeError> {
        match self.i32()? {
            -1 => Ok(None),
            n if n < 0 => Err(DecodeError::Malformed("negative length")),
            n => Ok(Some(self.take(n as usize)?)),
        }
    }
}
