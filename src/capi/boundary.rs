//! What every C entry point shares. Each is defined with `#[ffi_fn]` (kafkars-macros),
//! which exports it and turns a panic into `report_panic` plus the function's default
//! return value; every opaque handle pointer C passes in becomes a Rust object through
//! `obj` / `obj_mut` / `take` (or `arc` for topics), which check the type tag the object
//! carries as its first word.
//!
//! The structs whose layout C knows (`rd_kafka_message_t`, the partition lists, the
//! metadata and group-list results) cannot carry a tag: each has one converter of its
//! own, next to its type, and a NULL check is all they get.

use std::any::Any;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Reports a panic caught at the C boundary on stderr; `#[ffi_fn]` then returns the
/// function's default. Writing to stderr may fail: that must not panic again.
#[cold]
pub(crate) fn report_panic(function: &str, payload: Box<dyn Any + Send>) {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("");
    let _ =
        writeln!(std::io::stderr(), "kafkars: internal error caught at the C boundary in {function}: {what}");
}

/// Returns (`$ret`) early when `$ptr` is NULL.
macro_rules! non_null {
    ($ptr:expr) => {
        if $ptr.is_null() {
            return;
        }
    };
    ($ptr:expr, $ret:expr) => {
        if $ptr.is_null() {
            return $ret;
        }
    };
}

/// The first word of every object kafkars hands to C as an opaque handle: which type it
/// is while it lives, `DEAD` once destroyed or taken back. A pointer of the wrong handle
/// type (a topic where a client is expected, an event for a queue) is refused with the
/// function's error value instead of being misread, and so is a destroyed object still
/// mapped. (A pointer to unmapped memory still faults, as in librdkafka.)
pub(crate) mod tag {
    /// "kafkars" in ASCII, then the type's number.
    const fn kafkars(n: u64) -> u64 {
        0x6b61_666b_6172_7300 | n
    }
    pub const DEAD: u64 = 0;
    pub const CLIENT: u64 = kafkars(0x01);
    /// The core creates topics (`client::Topic`), so the value lives there.
    pub const TOPIC: u64 = crate::metadata::TOPIC_TAG;
    pub const QUEUE: u64 = kafkars(0x03);
    pub const CONF: u64 = kafkars(0x04);
    pub const TOPIC_CONF: u64 = kafkars(0x05);
    pub const EVENT: u64 = kafkars(0x06);
    /// The core creates header lists (`message::Headers`), so the value lives there.
    pub const HEADERS: u64 = crate::message::HEADERS_TAG;
    pub const ERROR: u64 = kafkars(0x08);
    pub const GROUP_METADATA: u64 = kafkars(0x09);
    pub const ADMIN_OPTIONS: u64 = kafkars(0x10);
    pub const NEW_TOPIC: u64 = kafkars(0x11);
    pub const DELETE_TOPIC: u64 = kafkars(0x12);
    pub const NEW_PARTITIONS: u64 = kafkars(0x13);
    pub const CONFIG_RESOURCE: u64 = kafkars(0x14);
    pub const CONFIG_ENTRY: u64 = kafkars(0x15);
    pub const DELETE_RECORDS: u64 = kafkars(0x16);
    pub const TOPIC_COLLECTION: u64 = kafkars(0x17);
    pub const DELETE_GROUP: u64 = kafkars(0x18);
    pub const LIST_GROUP_OFFSETS: u64 = kafkars(0x19);
    pub const ALTER_GROUP_OFFSETS: u64 = kafkars(0x1a);
    pub const DELETE_GROUP_OFFSETS: u64 = kafkars(0x1b);
    pub const SCRAM_ALTERATION: u64 = kafkars(0x1c);
    pub const ACL_BINDING: u64 = kafkars(0x1d);
    pub const ELECT_LEADERS: u64 = kafkars(0x1e);
    pub const UUID: u64 = kafkars(0x1f);
    // Admin result objects (owned by their result event).
    pub const TOPIC_RESULT: u64 = kafkars(0x20);
    pub const TOPIC_DESCRIPTION: u64 = kafkars(0x21);
    pub const PARTITION_INFO: u64 = kafkars(0x22);
    pub const NODE: u64 = kafkars(0x23);
    pub const GROUP_RESULT: u64 = kafkars(0x24);
    pub const GROUP_LISTING: u64 = kafkars(0x25);
    pub const GROUP_DESCRIPTION: u64 = kafkars(0x26);
    pub const MEMBER_DESCRIPTION: u64 = kafkars(0x27);
    pub const MEMBER_ASSIGNMENT: u64 = kafkars(0x28);
    pub const LIST_OFFSETS_INFO: u64 = kafkars(0x29);
    pub const ACL_RESULT: u64 = kafkars(0x2a);
    pub const DELETE_ACLS_RESPONSE: u64 = kafkars(0x2b);
    pub const SCRAM_INFO: u64 = kafkars(0x2c);
    pub const SCRAM_DESCRIPTION: u64 = kafkars(0x2d);
    pub const SCRAM_ALTER_RESPONSE: u64 = kafkars(0x2e);
    pub const PARTITION_RESULT: u64 = kafkars(0x2f);
    pub const LOG_DIR: u64 = kafkars(0x30);
    pub const REASSIGNMENT: u64 = kafkars(0x31);
    pub const REASSIGNMENT_STATE: u64 = kafkars(0x32);
    pub const REPLICA_INFO: u64 = kafkars(0x33);
    pub const BROKER_LOG_DIRS: u64 = kafkars(0x34);
    pub const REPLICA_LOG_DIR: u64 = kafkars(0x35);
    pub const REPLICA_LOG_DIR_RESULT: u64 = kafkars(0x36);
    pub const QUORUM_INFO: u64 = kafkars(0x37);
    pub const REPLICA_STATE: u64 = kafkars(0x38);
    pub const FEATURE: u64 = kafkars(0x39);
    pub const FEATURE_UPDATE: u64 = kafkars(0x3a);
    pub const FEATURE_UPDATE_RESULT: u64 = kafkars(0x3b);
    pub const CONFIG_LISTING: u64 = kafkars(0x3c);
    pub const REMOVE_MEMBERS: u64 = kafkars(0x3d);
    pub const MEMBER_REMOVAL: u64 = kafkars(0x3e);
    pub const TXN_LISTING: u64 = kafkars(0x3f);
    pub const TXN_DESCRIPTION: u64 = kafkars(0x40);
    pub const PARTITION_PRODUCERS: u64 = kafkars(0x41);
    pub const PRODUCER_STATE: u64 = kafkars(0x42);
    pub const ABORT_SPEC: u64 = kafkars(0x43);
    pub const MOCK_CLUSTER: u64 = kafkars(0x44);
    pub const MOCK_REQUEST: u64 = kafkars(0x45);
    pub const MOCK_TARGET_ASSIGNMENT: u64 = kafkars(0x46);
    pub const SHARE: u64 = kafkars(0x47);

    const ALL: [u64; 66] = [
        DEAD,
        CLIENT,
        TOPIC,
        QUEUE,
        CONF,
        TOPIC_CONF,
        EVENT,
        HEADERS,
        ERROR,
        GROUP_METADATA,
        ADMIN_OPTIONS,
        NEW_TOPIC,
        DELETE_TOPIC,
        NEW_PARTITIONS,
        CONFIG_RESOURCE,
        CONFIG_ENTRY,
        DELETE_RECORDS,
        TOPIC_COLLECTION,
        DELETE_GROUP,
        LIST_GROUP_OFFSETS,
        ALTER_GROUP_OFFSETS,
        DELETE_GROUP_OFFSETS,
        SCRAM_ALTERATION,
        ACL_BINDING,
        ELECT_LEADERS,
        UUID,
        TOPIC_RESULT,
        TOPIC_DESCRIPTION,
        PARTITION_INFO,
        NODE,
        GROUP_RESULT,
        GROUP_LISTING,
        GROUP_DESCRIPTION,
        MEMBER_DESCRIPTION,
        MEMBER_ASSIGNMENT,
        LIST_OFFSETS_INFO,
        ACL_RESULT,
        DELETE_ACLS_RESPONSE,
        SCRAM_INFO,
        SCRAM_DESCRIPTION,
        SCRAM_ALTER_RESPONSE,
        PARTITION_RESULT,
        LOG_DIR,
        REASSIGNMENT,
        REASSIGNMENT_STATE,
        REPLICA_INFO,
        BROKER_LOG_DIRS,
        REPLICA_LOG_DIR,
        REPLICA_LOG_DIR_RESULT,
        QUORUM_INFO,
        REPLICA_STATE,
        FEATURE,
        FEATURE_UPDATE,
        FEATURE_UPDATE_RESULT,
        CONFIG_LISTING,
        REMOVE_MEMBERS,
        MEMBER_REMOVAL,
        TXN_LISTING,
        TXN_DESCRIPTION,
        PARTITION_PRODUCERS,
        PRODUCER_STATE,
        ABORT_SPEC,
        MOCK_CLUSTER,
        MOCK_REQUEST,
        MOCK_TARGET_ASSIGNMENT,
        SHARE,
    ];
    // Every type has its own tag (TOPIC and HEADERS are defined in the core: they must
    // stay "kafkars" 02 and 07).
    const _: () = {
        assert!(TOPIC == kafkars(0x02) && HEADERS == kafkars(0x07));
        let mut i = 0;
        while i < ALL.len() {
            let mut j = i + 1;
            while j < ALL.len() {
                assert!(ALL[i] != ALL[j], "two handle types share a tag");
                j += 1;
            }
            i += 1;
        }
    };
}

/// An object kafkars hands to C behind an opaque handle pointer (`T::C *`). Implemented
/// with `tagged!`, which checks at compile time that `tag: u64` is the first field (or
/// the field at `TAG_AT` for a type whose first field C reads).
pub(crate) trait Tagged: Sized {
    /// The opaque C type the handle points to (`rd_kafka_conf_t`, ...).
    type C;
    /// The value of `tag` while C may use the object.
    const TAG: u64;
    /// The byte offset of `tag`.
    const TAG_AT: usize = 0;
}

/// `tagged!(Type => rd_kafka_x_t, tag::X)`: `Type` is what `rd_kafka_x_t *` points to.
macro_rules! tagged {
    ($t:ty => $c:ty, $tag:expr) => {
        impl $crate::capi::boundary::Tagged for $t {
            type C = $c;
            const TAG: u64 = $tag;
        }
        // The helpers read and write the tag through the handle pointer itself.
        const _: () = assert!(::std::mem::offset_of!($t, tag) == 0, "the tag must be the first field");
        const _: fn(&$t) -> &u64 = |t| &t.tag;
    };
    // A handle whose first field C programs read (librdkafka's tests take an
    // rd_kafka_share_t's first member as its rd_kafka_t *): the tag comes second.
    ($t:ty => $c:ty, $tag:expr, second) => {
        impl $crate::capi::boundary::Tagged for $t {
            type C = $c;
            const TAG: u64 = $tag;
            const TAG_AT: usize = 8;
        }
        const _: () = assert!(::std::mem::offset_of!($t, tag) == 8, "the tag must be the second word");
        const _: fn(&$t) -> &u64 = |t| &t.tag;
    };
}

/// The tag word of handle `p`, if `p` could be a `T` at all (not NULL, aligned).
/// Atomic: a thread may check a handle while another destroys it (the background
/// thread polls the client's tag while rd_kafka_destroy() clears it).
///
/// # Safety
/// `p` is NULL or points to at least `T::TAG_AT + 8` readable bytes.
unsafe fn tag_word<'a, T: Tagged>(p: *const T::C) -> Option<&'a AtomicU64> {
    (!p.is_null() && (p as usize).is_multiple_of(std::mem::align_of::<AtomicU64>()))
        .then(|| AtomicU64::from_ptr((p as *mut u8).add(T::TAG_AT) as *mut u64))
}

/// Whether `p` points to a live `T`.
///
/// # Safety
/// As `tag_word`.
unsafe fn live<T: Tagged>(p: *const T::C) -> bool {
    tag_word::<T>(p).is_some_and(|t| t.load(Ordering::Acquire) == T::TAG)
}

/// The object behind handle `p`, if `p` is a live `T` (None for NULL or another type).
///
/// # Safety
/// `p` is NULL or points to at least 8 readable bytes; a live `T` outlives `'a`.
pub(crate) unsafe fn obj<'a, T: Tagged>(p: *const T::C) -> Option<&'a T> {
    live::<T>(p).then(|| &*(p as *const T))
}

/// A non-NULL pointer that is not the handle type the call takes.
pub(crate) struct WrongType;

/// For the handles a call accepts as NULL (NULL meaning "the default queue", "no
/// conf"...): `Ok(None)` for NULL, `Ok(Some)` for a live `T`, and `Err(WrongType)` for
/// anything else, which the call refuses like any bad argument rather than read as NULL.
///
/// # Safety
/// As `obj`.
pub(crate) unsafe fn opt_obj<'a, T: Tagged>(p: *const T::C) -> Result<Option<&'a T>, WrongType> {
    match obj(p) {
        None if !p.is_null() => Err(WrongType),
        o => Ok(o),
    }
}

/// Like `obj`, for the calls that change the object.
///
/// # Safety
/// As `obj`, and nothing else uses the object meanwhile (librdkafka's contract).
pub(crate) unsafe fn obj_mut<'a, T: Tagged>(p: *mut T::C) -> Option<&'a mut T> {
    live::<T>(p).then(|| &mut *(p as *mut T))
}

/// Hands an object to C: `T::C *` now owns it, until `take` or `adopt` gives it back.
pub(crate) fn into_c<T: Tagged>(b: Box<T>) -> *mut T::C {
    let p = Box::into_raw(b);
    // SAFETY: `tagged!` checked that a u64 tag is the first field; a taken-back object
    // handed out again is live again.
    unsafe { ((p as *mut u8).add(T::TAG_AT) as *mut u64).write(T::TAG) };
    p as *mut T::C
}

/// Takes handle `p` back from C for good (to destroy it, or to use its parts): the
/// tag is cleared, so the handle is refused from now on. None if `p` is not a live `T`.
///
/// # Safety
/// As `obj_mut`; `p` came from `into_c`.
pub(crate) unsafe fn take<T: Tagged>(p: *mut T::C) -> Option<Box<T>> {
    // One exchange: of two threads destroying the same handle, one wins, and the store
    // stays even if the object is freed right after.
    tag_word::<T>(p)?.compare_exchange(T::TAG, tag::DEAD, Ordering::AcqRel, Ordering::Acquire).ok()?;
    Some(Box::from_raw(p as *mut T))
}

/// Ownership of handle `p` passes to Rust but the object lives on at the same address
/// and stays a valid handle (a headers list given to a message: librdkafka hands the
/// same pointer out again).
///
/// # Safety
/// As `take`.
pub(crate) unsafe fn adopt<T: Tagged>(p: *mut T::C) -> Option<Box<T>> {
    live::<T>(p).then(|| Box::from_raw(p as *mut T))
}

/// Destroys handle `p` if it is a live `T` (NULL and other types are ignored).
///
/// # Safety
/// As `take`.
pub(crate) unsafe fn destroy<T: Tagged>(p: *mut T::C) {
    drop(take::<T>(p));
}

/// The handle of an object Rust keeps owning (a message's headers, a resource's config
/// entries): valid while the owner lives.
pub(crate) fn handle_of<T: Tagged>(t: &T) -> *const T::C {
    t as *const T as *const T::C
}

/// `handle_of` for the handles C may change.
pub(crate) fn handle_of_mut<T: Tagged>(t: &mut T) -> *mut T::C {
    t as *mut T as *mut T::C
}

// Shared objects: a topic handle is an `Arc<Topic>` (rd_kafka_topic_new hands out the
// same object again for the same name, one reference each). Its tag never changes: the
// last release frees it.

/// Hands C one reference to a shared object.
pub(crate) fn arc_into_c<T: Tagged>(a: Arc<T>) -> *mut T::C {
    Arc::into_raw(a) as *mut T::C
}

/// A new reference to the shared object behind handle `p`, if it is a live `T`.
///
/// # Safety
/// As `obj`; `p` came from `arc_into_c`.
pub(crate) unsafe fn arc<T: Tagged>(p: *const T::C) -> Option<Arc<T>> {
    if !live::<T>(p) {
        return None;
    }
    Arc::increment_strong_count(p as *const T);
    Some(Arc::from_raw(p as *const T))
}

/// Releases C's reference behind handle `p` (NULL and other types are ignored).
///
/// # Safety
/// As `arc`; C no longer uses this reference.
pub(crate) unsafe fn arc_release<T: Tagged>(p: *const T::C) {
    if live::<T>(p) {
        drop(Arc::from_raw(p as *const T));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafkars_macros::ffi_fn;

    #[repr(C)]
    struct Thing {
        tag: u64,
        n: i32,
    }
    #[repr(C)]
    struct Other {
        tag: u64,
    }
    crate::capi::types::opaque!(thing_t, other_t);
    tagged!(Thing => thing_t, 0x6b61_666b_6172_73fe);
    tagged!(Other => other_t, 0x6b61_666b_6172_73ff);

    #[test]
    fn handles_are_checked_by_type_and_life() {
        unsafe {
            let p = into_c(Box::new(Thing { tag: 0, n: 7 }));
            assert_eq!(obj::<Thing>(p).map(|t| t.n), Some(7));
            assert!(obj::<Other>(p as *const other_t).is_none());
            assert!(take::<Other>(p as *mut other_t).is_none());
            assert!(obj::<Thing>(std::ptr::null()).is_none());
            assert!(obj::<Thing>((p as *const u8).add(1) as *const thing_t).is_none());
            let b = take::<Thing>(p).unwrap();
            assert_eq!(b.tag, tag::DEAD);
            // Still mapped (we hold the box): refused.
            let p2 = Box::into_raw(b);
            assert!(obj::<Thing>(p2 as *const thing_t).is_none());
            destroy::<Thing>(p2 as *mut thing_t); // ignored
            let p = into_c(Box::from_raw(p2)); // handed out again: live again
            let kept = adopt::<Thing>(p).unwrap();
            assert_eq!(obj::<Thing>(handle_of(&*kept)).map(|t| t.n), Some(7));
            drop(kept);
        }
    }

    #[ffi_fn(default = -7)]
    pub unsafe extern "C" fn kafkars_test_panics(n: i32) -> i32 {
        if n > 0 {
            panic!("on purpose");
        }
        n
    }

    #[ffi_fn]
    pub unsafe extern "C" fn kafkars_test_panics_ptr() -> *const u8 {
        panic!("on purpose")
    }

    #[test]
    fn a_panic_returns_the_default() {
        unsafe {
            assert_eq!(kafkars_test_panics(-1), -1);
            assert_eq!(kafkars_test_panics(1), -7);
            assert!(kafkars_test_panics_ptr().is_null());
        }
    }
}
