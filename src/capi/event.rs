//! The event API (rd_kafka_event_*).

use super::boundary::{destroy, into_c, obj, obj_mut, tag};
use super::message::msg_c;
use super::types::*;
use super::util::to_cstring;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::message::Message;
use crate::metadata::Topic;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;

/// What `rd_kafka_event_t *` points to (admin result types are the event too).
#[repr(C)]
pub(crate) struct EventHandle {
    /// tag::EVENT while alive (must stay the first field).
    tag: u64,
    pub ev: Event,
    next: usize,
    opaque: usize,
    strings: Vec<CString>,
    /// Partition list handed out by rd_kafka_event_topic_partition_list (owned here).
    tplist: *mut rd_kafka_topic_partition_list_t,
}

impl Drop for EventHandle {
    fn drop(&mut self) {
        if !self.tplist.is_null() {
            // SAFETY: created by this event with the list API, destroyed once here.
            unsafe { super::tplist::rd_kafka_topic_partition_list_destroy(self.tplist) };
        }
    }
}

tagged!(EventHandle => rd_kafka_event_t, tag::EVENT);

impl EventHandle {
    pub(crate) fn into_raw(ev: Event, opaque: usize) -> *mut rd_kafka_event_t {
        into_c(Box::new(EventHandle {
            tag: tag::EVENT,
            ev,
            next: 0,
            opaque,
            strings: Vec::new(),
            tplist: std::ptr::null_mut(),
        }))
    }

    fn keep(&mut self, s: &str) -> *const c_char {
        self.strings.push(to_cstring(s));
        self.strings.last().map_or(std::ptr::null(), |c| c.as_ptr())
    }
}

/// The event type (RD_KAFKA_EVENT_*); RD_KAFKA_EVENT_NONE for NULL.
#[ffi_fn(default = RD_KAFKA_EVENT_NONE)]
pub unsafe extern "C" fn rd_kafka_event_type(rkev: *const rd_kafka_event_t) -> rd_kafka_event_type_t {
    obj::<EventHandle>(rkev).map_or(RD_KAFKA_EVENT_NONE, |e| e.ev.type_code())
}

/// The event type's name.
#[ffi_fn(default = c"(NONE)".as_ptr())]
pub unsafe extern "C" fn rd_kafka_event_name(rkev: *const rd_kafka_event_t) -> *const c_char {
    // The name is kept in the event, as every string handed out (C passes a const pointer).
    match obj_mut::<EventHandle>(rkev as *mut rd_kafka_event_t) {
        None => c"(NONE)".as_ptr(),
        Some(e) => {
            let n = e.ev.name();
            e.keep(n)
        }
    }
}

/// Destroys an event and everything it holds (delivered messages included).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_destroy(rkev: *mut rd_kafka_event_t) {
    destroy::<EventHandle>(rkev)
}

fn messages(e: &EventHandle) -> &[Box<Message>] {
    match &e.ev {
        Event::Dr(m) => m,
        Event::Fetch(m) => std::slice::from_ref(m),
        _ => &[],
    }
}

/// Returns the next message of a DR or FETCH event, or NULL when done. Owned by the event.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_message_next(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_message_t {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return std::ptr::null() };
    let i = e.next;
    let p = messages(e).get(i).map_or(std::ptr::null(), |m| msg_c(m));
    if !p.is_null() {
        e.next += 1;
    }
    p
}

/// Fills `rkmessages` with up to `size` message pointers; returns how many.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_event_message_array(
    rkev: *mut rd_kafka_event_t,
    rkmessages: *mut *const rd_kafka_message_t,
    size: size_t,
) -> size_t {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return 0 };
    if rkmessages.is_null() {
        return 0;
    }
    let msgs = messages(e);
    let n = msgs.len().min(size);
    for (i, m) in msgs.iter().take(n).enumerate() {
        *rkmessages.add(i) = msg_c(m);
    }
    n
}

/// Number of messages in a DR or FETCH event.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_event_message_count(rkev: *mut rd_kafka_event_t) -> size_t {
    obj::<EventHandle>(rkev).map_or(0, |e| messages(e).len())
}

/// The event's error code (ERROR events; 0 otherwise).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_event_error(rkev: *mut rd_kafka_event_t) -> rd_kafka_resp_err_t {
    match obj::<EventHandle>(rkev).map(|e| &e.ev) {
        Some(Event::Error { code, .. }) | Some(Event::ConsumerError { code, .. }) => code.0,
        Some(Event::Rebalance { err, .. }) => err.0,
        Some(Event::OffsetCommit(r)) => r.err.0,
        Some(Event::AdminResult(r)) => r.err.0,
        _ => 0,
    }
}

/// The event's error string, or NULL if it has no error.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_error_string(rkev: *mut rd_kafka_event_t) -> *const c_char {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return std::ptr::null() };
    let s = match &e.ev {
        Event::Error { msg, code, .. } => {
            if msg.is_empty() {
                code.description().to_string()
            } else {
                msg.clone()
            }
        }
        // librdkafka: the result's message, else rd_kafka_err2str() of its code ("Success").
        Event::AdminResult(r) if r.msg.is_empty() => r.err.description().to_string(),
        Event::AdminResult(r) => r.msg.clone(),
        _ => return std::ptr::null(),
    };
    e.keep(&s)
}

/// Whether an ERROR event is fatal.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_event_error_is_fatal(rkev: *mut rd_kafka_event_t) -> c_int {
    matches!(obj::<EventHandle>(rkev).map(|e| &e.ev), Some(Event::Error { fatal: true, .. })) as c_int
}

/// The opaque associated with the event: the handle's, or for an admin result the one
/// set with rd_kafka_AdminOptions_set_opaque().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_opaque(rkev: *mut rd_kafka_event_t) -> *mut c_void {
    // Admin results carry the opaque of their AdminOptions, not the handle's.
    obj::<EventHandle>(rkev).map_or(std::ptr::null_mut(), |e| match &e.ev {
        Event::AdminResult(r) => r.opaque as *mut c_void,
        _ => e.opaque as *mut c_void,
    })
}

/// Extracts a LOG event's facility, text and level. Returns 0, or -1 if not a log event.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_event_log(
    rkev: *mut rd_kafka_event_t,
    fac: *mut *const c_char,
    str_: *mut *const c_char,
    level: *mut c_int,
) -> c_int {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return -1 };
    let (f, m, l) = match &e.ev {
        Event::Log { level, fac, msg } => (fac.clone(), msg.clone(), *level),
        _ => return -1,
    };
    let fp = e.keep(&f);
    let mp = e.keep(&m);
    if !fac.is_null() {
        *fac = fp;
    }
    if !str_.is_null() {
        *str_ = mp;
    }
    if !level.is_null() {
        *level = l;
    }
    0
}

/// Extracts debug contexts of a LOG event into `dst` (empty here). Returns 0 or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_event_debug_contexts(
    rkev: *mut rd_kafka_event_t,
    dst: *mut c_char,
    dstsize: size_t,
) -> c_int {
    match obj::<EventHandle>(rkev).map(|e| &e.ev) {
        Some(Event::Log { .. }) => {
            super::util::write_errstr(dst, dstsize, "");
            0
        }
        _ => -1,
    }
}

/// The JSON document of a STATS event (owned by the event).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_stats(rkev: *mut rd_kafka_event_t) -> *const c_char {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return std::ptr::null() };
    let s = match &e.ev {
        Event::Stats(j) => j.clone(),
        _ => return std::ptr::null(),
    };
    e.keep(&s)
}

/// The configuration string of an OAUTHBEARER_TOKEN_REFRESH event (NULL otherwise).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_config_string(rkev: *mut rd_kafka_event_t) -> *const c_char {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return std::ptr::null() };
    let s = match &e.ev {
        Event::OAuthRefresh { config } if !config.is_empty() => config.clone(),
        _ => return std::ptr::null(),
    };
    e.keep(&s)
}

/// The partitions of a REBALANCE or OFFSET_COMMIT event (owned by the event).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_topic_partition_list(
    rkev: *mut rd_kafka_event_t,
) -> *mut rd_kafka_topic_partition_list_t {
    let Some(e) = obj_mut::<EventHandle>(rkev) else { return std::ptr::null_mut() };
    if e.tplist.is_null() {
        e.tplist = match &e.ev {
            Event::Rebalance { partitions, .. } => super::tplist::tplist_of(partitions, None),
            Event::OffsetCommit(r) => super::tplist::commit_tplist(r),
            _ => return std::ptr::null_mut(),
        };
    }
    e.tplist
}

/// The partition of a partition-level error event (a consumer error for a partition), in
/// a new object to free with rd_kafka_topic_partition_destroy(); NULL otherwise.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_event_topic_partition(
    rkev: *mut rd_kafka_event_t,
) -> *mut rd_kafka_topic_partition_t {
    match obj::<EventHandle>(rkev).map(|e| &e.ev) {
        Some(Event::Fetch(m)) if m.c.err != 0 => match obj::<Topic>(m.c.rkt as *const rd_kafka_topic_t) {
            Some(t) => {
                let tp = super::tplist::tp_new(&t.name, m.c.partition);
                if !tp.is_null() {
                    (*tp).offset = m.c.offset;
                    (*tp).err = m.c.err;
                }
                tp
            }
            None => std::ptr::null_mut(),
        },
        _ => std::ptr::null_mut(),
    }
}
