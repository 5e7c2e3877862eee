//! Topic handles (rd_kafka_topic_*) and the built-in partitioner functions.

use super::boundary::{arc_into_c, arc_release, handle_of, into_c, obj, tag, take};
use super::conf::{TopicConfHandle, TopicExtras};
use super::handle::Handle;
use super::types::*;
use super::util::{cstr, set_last_error};
use crate::error::ErrorCode;
use crate::metadata::{PartitionerFn, Topic};
use crate::producer::partitioner::{self, Partitioner};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::sync::Arc;

// A topic handle is one reference to the client's shared `Topic` (boundary::arc).
tagged!(Topic => rd_kafka_topic_t, tag::TOPIC);

/// Turns a C partitioner callback into the core's partitioner hook.
pub(crate) fn partitioner_fn(x: TopicExtras) -> Option<PartitionerFn> {
    let cb = x.partitioner?;
    Some(Arc::new(move |t: &Topic, key: Option<&[u8]>, cnt: i32, msg_opaque: usize| {
        let (kp, kl) = key.map_or((std::ptr::null(), 0), |k| (k.as_ptr() as *const c_void, k.len()));
        let rkt = handle_of(t);
        // SAFETY: the callback is the application's, called with librdkafka's arguments.
        unsafe {
            cb(
                rkt,
                kp,
                kl,
                cnt,
                t.opaque.load(std::sync::atomic::Ordering::Relaxed) as *mut c_void,
                msg_opaque as *mut c_void,
            )
        }
    }))
}

/// Creates (or returns the existing) topic handle. Takes ownership of `conf` (may be NULL).
/// Release with rd_kafka_topic_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_new(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    conf: *mut rd_kafka_topic_conf_t,
) -> *mut rd_kafka_topic_t {
    let Some(h) = obj::<Handle>(rk) else {
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    };
    let Some(name) = cstr(topic) else {
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    };
    let (tc, extras) = match take::<TopicConfHandle>(conf) {
        Some(b) => {
            let mut c = b.conf;
            if let Err(e) = c.finalize(h.client.rk.kind, &h.client.rk.conf) {
                h.client.rk.log(3, "TOPICCONF", &e);
                set_last_error(ErrorCode::_INVALID_ARG);
                return std::ptr::null_mut();
            }
            (Some(c), b.extras)
        }
        None if conf.is_null() => (None, h.topic_extras),
        None => {
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    match h.client.cache.topic(name, tc, partitioner_fn(extras)) {
        Ok(t) => {
            if extras.opaque != 0 {
                t.opaque.store(extras.opaque, std::sync::atomic::Ordering::Relaxed);
            }
            arc_into_c(t)
        }
        Err(_) => {
            set_last_error(ErrorCode::_INVALID_ARG);
            std::ptr::null_mut()
        }
    }
}

/// Releases a topic handle obtained from rd_kafka_topic_new().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_destroy(rkt: *mut rd_kafka_topic_t) {
    arc_release::<Topic>(rkt);
}

/// Returns the topic name.
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_topic_name(rkt: *const rd_kafka_topic_t) -> *const c_char {
    obj::<Topic>(rkt).map_or(c"".as_ptr(), |t| t.cname.as_ptr())
}

/// Returns the topic opaque set with rd_kafka_topic_conf_set_opaque().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_opaque(rkt: *const rd_kafka_topic_t) -> *mut c_void {
    obj::<Topic>(rkt)
        .map_or(std::ptr::null_mut(), |t| t.opaque.load(std::sync::atomic::Ordering::Relaxed) as *mut c_void)
}

/// Whether the partition currently has a leader broker (for use in partitioner callbacks).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_partition_available(
    rkt: *const rd_kafka_topic_t,
    partition: i32,
) -> c_int {
    let Some(t) = obj::<Topic>(rkt) else { return 0 };
    t.partition(partition).is_some_and(|p| p.leader_id.load(std::sync::atomic::Ordering::Relaxed) >= 0)
        as c_int
}

unsafe fn key_slice<'a>(key: *const c_void, len: size_t) -> Option<&'a [u8]> {
    if key.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts(key as *const u8, len))
    }
}

unsafe fn builtin(
    p: Partitioner,
    rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    cnt: i32,
) -> i32 {
    let k = key_slice(key, keylen);
    let t = obj::<Topic>(rkt);
    let avail = |i: i32| {
        t.is_none_or(|t| {
            t.partition(i).is_some_and(|p| p.leader_id.load(std::sync::atomic::Ordering::Relaxed) >= 0)
        })
    };
    partitioner::partition(p, k, cnt, avail, fastrand::u32(..))
}

// Defined by a macro, which cbindgen does not expand: build.rs writes their declarations.
// A panicking partitioner answers partition 0.
macro_rules! partitioner_export {
    ($name:ident, $variant:ident, $doc:literal) => {
        #[doc = $doc]
        #[ffi_fn(default = 0)]
        pub unsafe extern "C" fn $name(
            rkt: *const rd_kafka_topic_t,
            key: *const c_void,
            keylen: size_t,
            partition_cnt: i32,
            rkt_opaque: *mut c_void,
            msg_opaque: *mut c_void,
        ) -> i32 {
            let _ = (rkt_opaque, msg_opaque);
            builtin(Partitioner::$variant, rkt, key, keylen, partition_cnt)
        }
    };
}

partitioner_export!(
    rd_kafka_msg_partitioner_random,
    Random,
    "Random partitioner (available partitions only)."
);
partitioner_export!(
    rd_kafka_msg_partitioner_consistent,
    Consistent,
    "Consistent partitioner: CRC32 hash of the key."
);
partitioner_export!(
    rd_kafka_msg_partitioner_consistent_random,
    ConsistentRandom,
    "CRC32 of the key, random for empty or NULL keys."
);
partitioner_export!(rd_kafka_msg_partitioner_murmur2, Murmur2, "Java-compatible murmur2 hash of the key.");
partitioner_export!(
    rd_kafka_msg_partitioner_murmur2_random,
    Murmur2Random,
    "murmur2 of the key, random for NULL keys."
);
partitioner_export!(rd_kafka_msg_partitioner_fnv1a, Fnv1a, "FNV-1a hash of the key.");
partitioner_export!(
    rd_kafka_msg_partitioner_fnv1a_random,
    Fnv1aRandom,
    "FNV-1a of the key, random for NULL keys."
);

/// Returns a copy of the handle's default topic configuration.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_default_topic_conf_dup(rk: *mut rd_kafka_t) -> *mut rd_kafka_topic_conf_t {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    into_c(Box::new(TopicConfHandle {
        tag: tag::TOPIC_CONF,
        conf: h.client.rk.conf.default_topic_conf().clone(),
        extras: h.topic_extras,
    }))
}
