//! Topic partition lists (`rd_kafka_topic_partition_list_t`). C reads the struct and
//! its `elems` array directly, so they are plain libc allocations with librdkafka's
//! growth rule; topic strings and metadata are malloc'd and freed with free(), as
//! applications expect. The element's `_private` points to a `TpPrivate` (leader epoch).

use super::types::*;
use super::util::to_cstring;
use crate::error::ErrorCode;
use crate::event::CommitResult;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::mem::size_of;
use std::ptr;

/// What librdkafka keeps behind an element's `_private`; allocated only when needed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TpPrivate {
    pub leader_epoch: i32,
}

impl Default for TpPrivate {
    fn default() -> Self {
        TpPrivate { leader_epoch: -1 }
    }
}

/// A Rust-side copy of one list element, for the consumer and other callers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TopicPartitionOwned {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub metadata: Option<Vec<u8>>,
    pub err: i32,
    pub leader_epoch: i32,
}

impl TopicPartitionOwned {
    /// As rd_kafka_topic_partition_list_add() leaves it: offset INVALID, no epoch.
    pub(crate) fn new(topic: &str, partition: i32) -> Self {
        TopicPartitionOwned {
            topic: topic.to_string(),
            partition,
            offset: RD_KAFKA_OFFSET_INVALID,
            metadata: None,
            err: 0,
            leader_epoch: -1,
        }
    }
}

unsafe fn private_mut(tp: *mut rd_kafka_topic_partition_t) -> *mut TpPrivate {
    if (*tp)._private.is_null() {
        (*tp)._private = Box::into_raw(Box::<TpPrivate>::default()) as *mut c_void;
    }
    (*tp)._private as *mut TpPrivate
}

unsafe fn private_get(tp: *const rd_kafka_topic_partition_t) -> TpPrivate {
    let p = (*tp)._private as *const TpPrivate;
    if p.is_null() {
        TpPrivate::default()
    } else {
        *p
    }
}

/// Frees what an element owns (not the element itself).
unsafe fn elem_clear(tp: *mut rd_kafka_topic_partition_t) {
    let t = &mut *tp;
    libc::free(t.topic as *mut c_void);
    libc::free(t.metadata);
    if !t._private.is_null() {
        drop(Box::from_raw(t._private as *mut TpPrivate));
    }
    t.topic = ptr::null_mut();
    t.metadata = ptr::null_mut();
    t.metadata_size = 0;
    t._private = ptr::null_mut();
}

/// Copies offset, opaque, err, metadata and private data from `src` into `dst`.
unsafe fn elem_update(dst: *mut rd_kafka_topic_partition_t, src: *const rd_kafka_topic_partition_t) {
    let (d, s) = (&mut *dst, &*src);
    d.offset = s.offset;
    d.opaque = s.opaque;
    d.err = s.err;
    if s.metadata_size > 0 && !s.metadata.is_null() {
        let m = libc::malloc(s.metadata_size);
        if !m.is_null() {
            ptr::copy_nonoverlapping(s.metadata as *const u8, m as *mut u8, s.metadata_size);
            d.metadata = m;
            d.metadata_size = s.metadata_size;
        }
    }
    if !s._private.is_null() {
        *private_mut(dst) = private_get(src);
    }
}

/// Grows `elems` by librdkafka's rule (at least doubling, by 32 or more once started).
unsafe fn grow(l: *mut rd_kafka_topic_partition_list_t, add: c_int) -> bool {
    let l = &mut *l;
    let add = if add < l.size { l.size.max(32) } else { add };
    let Some(new_size) = l.size.checked_add(add) else { return false };
    let Some(bytes) = (new_size as usize).checked_mul(size_of::<rd_kafka_topic_partition_t>()) else {
        return false;
    };
    let p = libc::realloc(l.elems as *mut c_void, bytes) as *mut rd_kafka_topic_partition_t;
    if p.is_null() {
        return false;
    }
    l.elems = p;
    l.size = new_size;
    true
}

unsafe fn list_new(size: c_int) -> *mut rd_kafka_topic_partition_list_t {
    let l =
        libc::calloc(1, size_of::<rd_kafka_topic_partition_list_t>()) as *mut rd_kafka_topic_partition_list_t;
    if !l.is_null() && size > 0 {
        // On allocation failure the list stays empty (size 0) but usable.
        grow(l, size);
    }
    l
}

/// Appends a zeroed element (offset INVALID) with a copy of `topic`; NULL when full.
unsafe fn list_add(
    l: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    if (*l).cnt >= (*l).size && !grow(l, 1) {
        return ptr::null_mut();
    }
    let tp = (*l).elems.add((*l).cnt as usize);
    ptr::write_bytes(tp, 0, 1);
    if !topic.is_null() {
        (*tp).topic = libc::strdup(topic);
    }
    (*tp).partition = partition;
    (*tp).offset = RD_KAFKA_OFFSET_INVALID;
    (*l).cnt += 1;
    tp
}

unsafe fn elems<'a>(l: *const rd_kafka_topic_partition_list_t) -> &'a [rd_kafka_topic_partition_t] {
    if (*l).elems.is_null() || (*l).cnt <= 0 {
        &[]
    } else {
        std::slice::from_raw_parts((*l).elems, (*l).cnt as usize)
    }
}

unsafe fn find_idx(
    l: *const rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> Option<usize> {
    let want = CStr::from_ptr(topic);
    elems(l)
        .iter()
        .position(|e| e.partition == partition && !e.topic.is_null() && CStr::from_ptr(e.topic) == want)
}

/// The default sort order: topic name (NULL first), then partition.
unsafe extern "C" fn default_cmp(a: *const c_void, b: *const c_void, _opaque: *mut c_void) -> c_int {
    let (a, b) = (&*(a as *const rd_kafka_topic_partition_t), &*(b as *const rd_kafka_topic_partition_t));
    let r = match (a.topic.is_null(), b.topic.is_null()) {
        (true, true) => 0,
        (true, false) => -1,
        (false, true) => 1,
        (false, false) => libc::strcmp(a.topic, b.topic),
    };
    if r != 0 {
        return r;
    }
    (a.partition > b.partition) as c_int - (a.partition < b.partition) as c_int
}

/// Copies a C list into owned Rust values (NULL gives an empty vector).
///
/// # Safety
/// `list` is NULL or a valid list.
#[allow(dead_code)] // used by the consumer and admin modules
pub(crate) unsafe fn tpl_to_vec(list: *const rd_kafka_topic_partition_list_t) -> Vec<TopicPartitionOwned> {
    if list.is_null() {
        return Vec::new();
    }
    elems(list)
        .iter()
        .map(|e| TopicPartitionOwned {
            topic: if e.topic.is_null() {
                String::new()
            } else {
                CStr::from_ptr(e.topic).to_string_lossy().into_owned()
            },
            partition: e.partition,
            offset: e.offset,
            metadata: if e.metadata.is_null() {
                None
            } else {
                Some(std::slice::from_raw_parts(e.metadata as *const u8, e.metadata_size).to_vec())
            },
            err: e.err,
            leader_epoch: private_get(e).leader_epoch,
        })
        .collect()
}

/// Builds a new C list (to be freed with rd_kafka_topic_partition_list_destroy) from
/// Rust values; NULL only if memory runs out.
#[allow(dead_code)] // used by the consumer and admin modules
pub(crate) fn tpl_from_vec(v: &[TopicPartitionOwned]) -> *mut rd_kafka_topic_partition_list_t {
    // SAFETY: the list is freshly allocated here and every element written in bounds.
    unsafe {
        let l = list_new(v.len().min(c_int::MAX as usize) as c_int);
        if l.is_null() {
            return l;
        }
        for o in v {
            let topic = to_cstring(&o.topic);
            let tp = list_add(l, topic.as_ptr(), o.partition);
            if tp.is_null() {
                break;
            }
            (*tp).offset = o.offset;
            (*tp).err = o.err;
            if let Some(m) = &o.metadata {
                // Empty metadata is kept as a non-NULL pointer so it round-trips as Some.
                let p = libc::malloc(m.len().max(1));
                if !p.is_null() {
                    ptr::copy_nonoverlapping(m.as_ptr(), p as *mut u8, m.len());
                    (*tp).metadata = p;
                    (*tp).metadata_size = m.len();
                }
            }
            if o.leader_epoch != -1 {
                (*private_mut(tp)).leader_epoch = o.leader_epoch;
            }
        }
        l
    }
}

/// A standalone partition (freed with rd_kafka_topic_partition_destroy).
#[allow(dead_code)] // used by the consumer and admin modules
pub(crate) fn tp_new(topic: &str, partition: i32) -> *mut rd_kafka_topic_partition_t {
    // SAFETY: calloc'd element, topic strdup'd from a valid C string.
    unsafe {
        let tp = libc::calloc(1, size_of::<rd_kafka_topic_partition_t>()) as *mut rd_kafka_topic_partition_t;
        if !tp.is_null() {
            let t = to_cstring(topic);
            (*tp).topic = libc::strdup(t.as_ptr());
            (*tp).partition = partition;
            (*tp).offset = RD_KAFKA_OFFSET_INVALID;
        }
        tp
    }
}

/// A C partition list built from (topic, partition) pairs with optional offsets.
pub(crate) fn tplist_of(
    parts: &[(String, i32)],
    offsets: Option<&[i64]>,
) -> *mut rd_kafka_topic_partition_list_t {
    // SAFETY: a fresh list, filled through the list API.
    unsafe {
        let l = rd_kafka_topic_partition_list_new(parts.len() as c_int);
        for (i, (t, p)) in parts.iter().enumerate() {
            let name = to_cstring(t);
            let e = rd_kafka_topic_partition_list_add(l, name.as_ptr(), *p);
            if let (Some(o), false) = (offsets.and_then(|o| o.get(i)), e.is_null()) {
                (*e).offset = *o;
            }
        }
        l
    }
}

/// The partitions of a commit result, with their offsets, leader epochs, metadata and
/// per-partition errors.
pub(crate) fn commit_tplist(r: &CommitResult) -> *mut rd_kafka_topic_partition_list_t {
    let v: Vec<TopicPartitionOwned> = r
        .offsets
        .iter()
        .map(|c| TopicPartitionOwned {
            offset: c.offset,
            metadata: c.metadata.as_ref().map(|m| m.as_bytes().to_vec()),
            err: c.err.0,
            leader_epoch: c.leader_epoch,
            ..TopicPartitionOwned::new(&c.topic, c.partition)
        })
        .collect();
    tpl_from_vec(&v)
}

/// Sets an element's leader epoch (what rd_kafka_topic_partition_set_leader_epoch does).
pub(crate) fn set_leader_epoch(e: &mut rd_kafka_topic_partition_t, epoch: i32) {
    // SAFETY: `e` is a valid element; its private part is ours to (re)allocate.
    unsafe { rd_kafka_topic_partition_set_leader_epoch(e, epoch) }
}

/// Create a new list with room for `size` elements (`size` <= 0 is fine).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_new(
    size: c_int,
) -> *mut rd_kafka_topic_partition_list_t {
    // SAFETY: list_new only touches memory it allocates.
    unsafe { list_new(size) }
}

/// Free the list, its elements' topics, metadata and private data (NULL is ignored).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_destroy(
    rkparlist: *mut rd_kafka_topic_partition_list_t,
) {
    non_null!(rkparlist);
    for i in 0..(*rkparlist).cnt.max(0) as usize {
        elem_clear((*rkparlist).elems.add(i));
    }
    libc::free((*rkparlist).elems as *mut c_void);
    libc::free(rkparlist as *mut c_void);
}

/// Add `topic` (copied) + `partition` to the list; returns the new element so the
/// caller can fill in more fields (valid until the list next changes).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_add(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    non_null!(rktparlist, ptr::null_mut());
    list_add(rktparlist, topic, partition)
}

/// Add partitions `start` to `stop` (inclusive) of `topic`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_add_range(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    start: i32,
    stop: i32,
) {
    non_null!(rktparlist);
    for p in start..=stop {
        if list_add(rktparlist, topic, p).is_null() {
            break;
        }
    }
}

/// Delete the first element matching `topic` and `partition`: 1 if found, else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_del(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> c_int {
    if rktparlist.is_null() || topic.is_null() {
        return 0;
    }
    match find_idx(rktparlist, topic, partition) {
        Some(i) => rd_kafka_topic_partition_list_del_by_idx(rktparlist, i as c_int),
        None => 0,
    }
}

/// Delete the element at `idx`: 1 if it existed, else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_del_by_idx(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    idx: c_int,
) -> c_int {
    non_null!(rktparlist, 0);
    let l = &mut *rktparlist;
    if idx < 0 || idx >= l.cnt {
        return 0;
    }
    let at = l.elems.add(idx as usize);
    elem_clear(at);
    ptr::copy(at.add(1), at, (l.cnt - idx - 1) as usize);
    l.cnt -= 1;
    1
}

/// Make a deep copy of `src` (topics, metadata, offsets, errors, opaques, leader epochs).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_copy(
    src: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_topic_partition_list_t {
    non_null!(src, ptr::null_mut());
    let dst = list_new((*src).size);
    if dst.is_null() {
        return dst;
    }
    for e in elems(src) {
        let d = list_add(dst, e.topic, e.partition);
        if d.is_null() {
            break;
        }
        elem_update(d, e);
    }
    dst
}

/// Set the offset of `topic` `partition`; `RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION` if
/// it is not in the list.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_set_offset(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
    offset: i64,
) -> rd_kafka_resp_err_t {
    if rktparlist.is_null() || topic.is_null() {
        return ErrorCode::_INVALID_ARG.0;
    }
    match find_idx(rktparlist, topic, partition) {
        Some(i) => {
            (*(*rktparlist).elems.add(i)).offset = offset;
            ErrorCode::NO_ERROR.0
        }
        None => ErrorCode::_UNKNOWN_PARTITION.0,
    }
}

/// Find the first element matching `topic` and `partition`, or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_find(
    rktparlist: *const rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    if rktparlist.is_null() || topic.is_null() {
        return ptr::null_mut();
    }
    match find_idx(rktparlist, topic, partition) {
        Some(i) => (*rktparlist).elems.add(i),
        None => ptr::null_mut(),
    }
}

/// Sort the list with `cmp` (given `cmp_opaque`), or by topic then partition if `cmp` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_sort(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    cmp: Option<unsafe extern "C" fn(a: *const c_void, b: *const c_void, cmp_opaque: *mut c_void) -> c_int>,
    cmp_opaque: *mut c_void,
) {
    non_null!(rktparlist);
    let l = &*rktparlist;
    if l.cnt < 2 || l.elems.is_null() {
        return;
    }
    // qsort_r: the same contract and callback shape librdkafka uses, and unlike a
    // Rust sort it cannot panic on an inconsistent application comparator.
    libc::qsort_r(
        l.elems as *mut c_void,
        l.cnt as usize,
        size_of::<rd_kafka_topic_partition_t>(),
        Some(cmp.unwrap_or(default_cmp)),
        cmp_opaque,
    );
}

/// Destroy a standalone partition object (not one inside a list).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_destroy(rktpar: *mut rd_kafka_topic_partition_t) {
    non_null!(rktpar);
    elem_clear(rktpar);
    libc::free(rktpar as *mut c_void);
}

/// Set the offset leader epoch (-1 to clear).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_set_leader_epoch(
    rktpar: *mut rd_kafka_topic_partition_t,
    leader_epoch: i32,
) {
    non_null!(rktpar);
    // Clearing needs no private object.
    if leader_epoch == -1 && (*rktpar)._private.is_null() {
        return;
    }
    (*private_mut(rktpar)).leader_epoch = leader_epoch;
}

/// The offset leader epoch if known, else -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_topic_partition_get_leader_epoch(
    rktpar: *const rd_kafka_topic_partition_t,
) -> i32 {
    non_null!(rktpar, -1);
    private_get(rktpar).leader_epoch
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe fn topic_of(e: &rd_kafka_topic_partition_t) -> &str {
        CStr::from_ptr(e.topic).to_str().unwrap()
    }

    #[test]
    fn growth_follows_librdkafka() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(0);
            assert_eq!(((*l).cnt, (*l).size), (0, 0));
            let mut sizes = vec![];
            for p in 0..40 {
                rd_kafka_topic_partition_list_add(l, c"t".as_ptr(), p);
                sizes.push((*l).size);
            }
            assert_eq!(&sizes[..3], &[1, 2, 34]);
            assert_eq!(sizes[39], 68);
            rd_kafka_topic_partition_list_destroy(l);
            let l = rd_kafka_topic_partition_list_new(-5);
            assert_eq!((*l).size, 0);
            rd_kafka_topic_partition_list_destroy(l);
        }
    }

    #[test]
    fn add_find_del_sort_copy() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(2);
            let e = rd_kafka_topic_partition_list_add(l, c"b".as_ptr(), 1);
            assert_eq!((*e).offset, RD_KAFKA_OFFSET_INVALID);
            (*e).metadata = libc::malloc(3);
            ptr::copy_nonoverlapping(b"xyz".as_ptr(), (*e).metadata as *mut u8, 3);
            (*e).metadata_size = 3;
            (*e).err = 7;
            (*e).opaque = 42 as *mut c_void;
            rd_kafka_topic_partition_set_leader_epoch(e, 9);
            rd_kafka_topic_partition_list_add_range(l, c"a".as_ptr(), 2, 0);
            rd_kafka_topic_partition_list_add_range(l, c"a".as_ptr(), 0, 2);
            assert_eq!((*l).cnt, 4);
            assert_eq!(rd_kafka_topic_partition_list_set_offset(l, c"a".as_ptr(), 1, 55), 0);
            assert_eq!(
                rd_kafka_topic_partition_list_set_offset(l, c"a".as_ptr(), 9, 55),
                ErrorCode::_UNKNOWN_PARTITION.0
            );
            let f = rd_kafka_topic_partition_list_find(l, c"a".as_ptr(), 1);
            assert_eq!((*f).offset, 55);
            assert!(rd_kafka_topic_partition_list_find(l, c"c".as_ptr(), 1).is_null());

            rd_kafka_topic_partition_list_sort(l, None, ptr::null_mut());
            let order: Vec<(String, i32)> =
                elems(l).iter().map(|e| (topic_of(e).to_string(), e.partition)).collect();
            assert_eq!(order, [("a".into(), 0), ("a".into(), 1), ("a".into(), 2), ("b".into(), 1)]);

            let c = rd_kafka_topic_partition_list_copy(l);
            assert_eq!(((*c).cnt, (*c).size), ((*l).cnt, (*l).size));
            let cb = rd_kafka_topic_partition_list_find(c, c"b".as_ptr(), 1);
            assert_ne!((*cb).metadata, (*e.cast_const()).metadata);
            let v = tpl_to_vec(c);
            assert_eq!(
                v[3],
                TopicPartitionOwned {
                    topic: "b".into(),
                    partition: 1,
                    offset: RD_KAFKA_OFFSET_INVALID,
                    metadata: Some(b"xyz".to_vec()),
                    err: 7,
                    leader_epoch: 9
                }
            );
            assert_eq!((*cb).opaque as usize, 42);
            assert_eq!(v[1].offset, 55);

            assert_eq!(rd_kafka_topic_partition_list_del(l, c"a".as_ptr(), 1), 1);
            assert_eq!(rd_kafka_topic_partition_list_del(l, c"a".as_ptr(), 1), 0);
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(l, 3), 0);
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(l, 2), 1);
            assert_eq!(tpl_to_vec(l).iter().map(|o| o.partition).collect::<Vec<_>>(), [0, 2]);

            let back = tpl_from_vec(&v);
            assert_eq!(tpl_to_vec(back), v);
            rd_kafka_topic_partition_list_destroy(back);
            rd_kafka_topic_partition_list_destroy(c);
            rd_kafka_topic_partition_list_destroy(l);
        }
    }

    #[test]
    fn standalone_and_nulls() {
        unsafe {
            let tp = tp_new("x", 3);
            assert_eq!(rd_kafka_topic_partition_get_leader_epoch(tp), -1);
            rd_kafka_topic_partition_set_leader_epoch(tp, -1);
            assert!((*tp)._private.is_null());
            rd_kafka_topic_partition_set_leader_epoch(tp, 4);
            assert_eq!(rd_kafka_topic_partition_get_leader_epoch(tp), 4);
            rd_kafka_topic_partition_destroy(tp);

            assert_eq!(rd_kafka_topic_partition_get_leader_epoch(ptr::null()), -1);
            rd_kafka_topic_partition_destroy(ptr::null_mut());
            rd_kafka_topic_partition_list_destroy(ptr::null_mut());
            assert!(rd_kafka_topic_partition_list_add(ptr::null_mut(), c"a".as_ptr(), 0).is_null());
            assert!(rd_kafka_topic_partition_list_copy(ptr::null()).is_null());
            assert_eq!(rd_kafka_topic_partition_list_del(ptr::null_mut(), c"a".as_ptr(), 0), 0);
            rd_kafka_topic_partition_list_sort(ptr::null_mut(), None, ptr::null_mut());
            assert!(tpl_to_vec(ptr::null()).is_empty());
            let l = rd_kafka_topic_partition_list_new(1);
            let e = rd_kafka_topic_partition_list_add(l, ptr::null(), 0);
            assert!((*e).topic.is_null());
            rd_kafka_topic_partition_list_add(l, c"a".as_ptr(), 0);
            assert!(rd_kafka_topic_partition_list_find(l, ptr::null(), 0).is_null());
            assert!(!rd_kafka_topic_partition_list_find(l, c"a".as_ptr(), 0).is_null());
            rd_kafka_topic_partition_list_sort(l, None, ptr::null_mut());
            assert!((*(*l).elems).topic.is_null());
            rd_kafka_topic_partition_list_destroy(l);
        }
    }
}
