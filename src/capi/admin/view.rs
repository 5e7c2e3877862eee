//! Results as C reads them: the objects an admin result hands out live in the result
//! event (its payload), built once when the operation finishes, and die with the event.
//! C gets arrays of pointers to them and never frees them.

use crate::admin::result::PartitionResult;
use crate::capi::boundary::{handle_of, obj, Tagged};
use crate::capi::error::{error_to_c, error_to_c_exact, rd_kafka_error_destroy};
use crate::capi::event::EventHandle;
use crate::capi::tplist::{rd_kafka_topic_partition_list_destroy, tpl_from_vec, TopicPartitionOwned};
use crate::capi::types::*;
use crate::capi::util::to_cstring;
use crate::error::KafkaError;
use crate::event::Event;
use libc::{c_char, size_t};
use std::any::Any;
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// Result objects of one kind and the array of pointers C reads them through.
pub(crate) struct Arr<T: Tagged> {
    // Boxed: `ptrs` points at the objects, which must not move.
    #[allow(clippy::vec_box)]
    items: Vec<Box<T>>,
    ptrs: Vec<*const T::C>,
}

// SAFETY: the pointers point into `items`, owned here; nothing else aliases them
// mutably, and the objects are only read once built.
unsafe impl<T: Tagged> Send for Arr<T> {}

impl<T: Tagged> Arr<T> {
    pub(crate) fn new(items: impl IntoIterator<Item = T>) -> Arr<T> {
        let items: Vec<Box<T>> = items.into_iter().map(Box::new).collect();
        let ptrs = items.iter().map(|b| handle_of(&**b)).collect();
        Arr { items, ptrs }
    }

    /// The array for C, its length in `*cntp` (NULL when empty).
    pub(crate) unsafe fn out(&self, cntp: *mut size_t) -> *mut *const T::C {
        if !cntp.is_null() {
            *cntp = self.ptrs.len();
        }
        if self.ptrs.is_empty() {
            null_mut()
        } else {
            self.ptrs.as_ptr() as *mut *const T::C
        }
    }

    pub(crate) fn get(&self, i: usize) -> *const T::C {
        self.ptrs.get(i).copied().unwrap_or(null())
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}

/// A result event's payload as `P`, if `rkev` is an admin result carrying one.
pub(crate) unsafe fn payload<'a, P: Any>(rkev: *const rd_kafka_event_t) -> Option<&'a P> {
    match &obj::<EventHandle>(rkev)?.ev {
        Event::AdminResult(r) => r.payload.as_ref()?.downcast_ref::<P>(),
        _ => None,
    }
}

/// An error a result object owns (rd_kafka_*_error() hand it out, the result frees it).
pub(crate) struct OwnedError(*mut rd_kafka_error_t);

impl OwnedError {
    pub(crate) fn new(e: &Option<KafkaError>) -> OwnedError {
        OwnedError(e.clone().map_or(null_mut(), error_to_c))
    }

    /// An error whose text is `text` exactly.
    pub(crate) fn exact(e: &Option<KafkaError>, text: &str) -> OwnedError {
        OwnedError(e.clone().map_or(null_mut(), |e| error_to_c_exact(e, text)))
    }

    pub(crate) fn get(&self) -> *const rd_kafka_error_t {
        self.0
    }
}

impl Drop for OwnedError {
    fn drop(&mut self) {
        // SAFETY: made by error_to_c above, destroyed once here.
        unsafe { rd_kafka_error_destroy(self.0) }
    }
}

/// Errors a result owns, as the array of pointers C reads them through (ListConsumerGroups'
/// and ListTransactions' per-broker errors).
pub(crate) struct OwnedErrors {
    ptrs: Vec<*const rd_kafka_error_t>,
    _owned: Vec<OwnedError>,
}

// SAFETY: the pointers point to the errors owned here, only read once built.
unsafe impl Send for OwnedErrors {}

impl OwnedErrors {
    pub(crate) fn new(errors: Vec<KafkaError>) -> OwnedErrors {
        let owned: Vec<OwnedError> = errors.into_iter().map(|e| OwnedError::new(&Some(e))).collect();
        OwnedErrors { ptrs: owned.iter().map(|e| e.get()).collect(), _owned: owned }
    }

    /// The array for C, its length in `*cntp` (NULL when empty).
    pub(crate) unsafe fn out(&self, cntp: *mut size_t) -> *mut *const rd_kafka_error_t {
        if !cntp.is_null() {
            *cntp = self.ptrs.len();
        }
        if self.ptrs.is_empty() {
            null_mut()
        } else {
            self.ptrs.as_ptr() as *mut *const rd_kafka_error_t
        }
    }
}

/// A partition list a result object owns.
pub(crate) struct OwnedList(*mut rd_kafka_topic_partition_list_t);

// SAFETY: the list is owned here alone and only read once built.
unsafe impl Send for OwnedList {}

impl OwnedList {
    pub(crate) fn new(parts: &[PartitionResult]) -> OwnedList {
        let v: Vec<TopicPartitionOwned> = parts
            .iter()
            .map(|p| TopicPartitionOwned {
                topic: p.topic.clone(),
                partition: p.partition,
                offset: p.offset,
                metadata: p.metadata.clone(),
                err: p.err.as_ref().map_or(0, |e| e.code.0),
                leader_epoch: p.leader_epoch,
            })
            .collect();
        OwnedList(tpl_from_vec(&v))
    }

    pub(crate) fn of(parts: &Option<Vec<PartitionResult>>) -> OwnedList {
        parts.as_deref().map_or(OwnedList(null_mut()), OwnedList::new)
    }

    pub(crate) fn get(&self) -> *const rd_kafka_topic_partition_list_t {
        self.0
    }

    /// The first partition of the list (NULL when empty).
    pub(crate) fn first(&self) -> *const rd_kafka_topic_partition_t {
        // SAFETY: a list made by tpl_from_vec: `elems` holds `cnt` partitions.
        unsafe {
            match self.0.as_ref() {
                Some(l) if l.cnt > 0 => l.elems,
                _ => null(),
            }
        }
    }
}

impl Drop for OwnedList {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: made by tpl_from_vec above, destroyed once here.
            unsafe { rd_kafka_topic_partition_list_destroy(self.0) }
        }
    }
}

/// The error code of an entry (0 on success) and its message as librdkafka gives it:
/// the broker's message, else the code's description; NULL on success.
pub(crate) fn err_parts(e: &Option<KafkaError>) -> (rd_kafka_resp_err_t, Option<CString>) {
    match e {
        None => (0, None),
        Some(e) => (e.code.0, Some(to_cstring(&e.string()))),
    }
}

pub(crate) fn cstr(s: &str) -> CString {
    to_cstring(s)
}

pub(crate) fn opt_cstr(s: &Option<String>) -> Option<CString> {
    s.as_deref().map(to_cstring)
}

pub(crate) fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |c| c.as_ptr())
}
