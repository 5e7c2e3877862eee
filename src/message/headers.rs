//! Message headers: an ordered list of name/value pairs (duplicates allowed, as in
//! Kafka), with NUL-terminated copies built on demand for librdkafka's getters.

/// The C API's tag for header lists (`rd_kafka_headers_t *` points to a `Headers`).
pub const HEADERS_TAG: u64 = 0x6b61_666b_6172_7307;

/// Message headers, in insertion order; duplicates allowed as in Kafka.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Headers {
    /// HEADERS_TAG: the C API hands this struct out as `rd_kafka_headers_t` and checks
    /// the tag (must stay the first field). Not part of equality.
    pub tag: u64,
    pub list: Vec<(String, Option<Vec<u8>>)>,
    /// NUL-terminated copies for `rd_kafka_header_get_*`, built on first read.
    pub cnames: HeadersCCache,
}

/// One header as C reads it: the name and the value each with a trailing NUL
/// (librdkafka promises the NUL after values too).
#[derive(Debug)]
pub struct CHeader {
    pub name: std::ffi::CString,
    pub value: Option<Box<[u8]>>,
}

/// Cache of `CHeader`s for the C getters. A `OnceLock` so concurrent readers through a
/// const pointer are safe; mutations go through `&mut Headers` and reset it. Never part
/// of equality, and not copied by clone (it is rebuilt on demand).
#[derive(Debug, Default)]
pub struct HeadersCCache(std::sync::OnceLock<Vec<CHeader>>);

impl Clone for HeadersCCache {
    fn clone(&self) -> Self {
        HeadersCCache::default()
    }
}

impl PartialEq for HeadersCCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl HeadersCCache {
    pub fn clear(&mut self) {
        self.0.take();
    }
}

impl Default for Headers {
    fn default() -> Self {
        Headers::with_capacity(0)
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Headers {
    pub fn with_capacity(n: usize) -> Headers {
        Headers { tag: HEADERS_TAG, list: Vec::with_capacity(n), cnames: HeadersCCache::default() }
    }
    pub fn add(&mut self, name: &str, value: Option<&[u8]>) {
        self.list.push((name.to_string(), value.map(|v| v.to_vec())));
        self.cnames.clear();
    }
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.list.len();
        self.list.retain(|(n, _)| n != name);
        self.cnames.clear();
        before != self.list.len()
    }
    pub fn encoded_size(&self) -> usize {
        self.list.iter().map(|(n, v)| n.len() + v.as_ref().map_or(0, |v| v.len()) + 10).sum()
    }
    /// The headers as C reads them (same order as `list`), built on first use and valid
    /// until the next `add`/`remove`.
    pub fn c_view(&self) -> &[CHeader] {
        self.cnames.0.get_or_init(|| {
            self.list
                .iter()
                .map(|(n, v)| CHeader {
                    name: std::ffi::CString::new(n.replace('\0', "\\0")).unwrap_or_default(),
                    value: v.as_ref().map(|v| {
                        let mut b = Vec::with_capacity(v.len() + 1);
                        b.extend_from_slice(v);
                        b.push(0);
                        b.into_boxed_slice()
                    }),
                })
                .collect()
        })
    }
}
