//! What a share consumer hands out: the batch of messages one rd_kafka_share_poll()
//! returns (`rd_kafka_messages_t`), a message's delivery count, and the
//! acknowledgement-commit callback's per-partition offset lists.

use super::message::{msg, msg_into_c, msg_take};
use super::tplist::tp_new;
use super::types::*;
use crate::message::Message;
use kafkars_macros::ffi_fn;
use libc::size_t;

/// What `rd_kafka_messages_t *` points to: the messages, owned until destroyed.
pub(crate) struct Batch {
    msgs: Vec<*mut rd_kafka_message_t>,
}

/// Hands a polled batch to C.
pub(crate) fn batch_into_c(msgs: Vec<Box<Message>>) -> *mut rd_kafka_messages_t {
    let b = Batch { msgs: msgs.into_iter().map(msg_into_c).collect() };
    Box::into_raw(Box::new(b)) as *mut rd_kafka_messages_t
}

/// The number of messages in a share-consumer batch (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_messages_count(messages: *const rd_kafka_messages_t) -> size_t {
    (messages as *const Batch).as_ref().map_or(0, |b| b.msgs.len())
}

/// The message at `index` of a share-consumer batch, owned by the batch (NULL when out
/// of range, where librdkafka's behaviour is undefined).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_messages_get(
    messages: *const rd_kafka_messages_t,
    index: size_t,
) -> *mut rd_kafka_message_t {
    (messages as *const Batch)
        .as_ref()
        .and_then(|b| b.msgs.get(index).copied())
        .unwrap_or(std::ptr::null_mut())
}

/// Frees a share-consumer batch and its messages (NULL-safe).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_messages_destroy(messages: *mut rd_kafka_messages_t) {
    if messages.is_null() {
        return;
    }
    let b = Box::from_raw(messages as *mut Batch);
    for m in b.msgs {
        if let Some(m) = msg_take(m) {
            crate::message::release(m);
        }
    }
}

/// How many times the broker has delivered a share-consumer message; 0 for messages of
/// a regular consumer or a producer.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_delivery_count(rkmessage: *const rd_kafka_message_t) -> i16 {
    msg(rkmessage).map_or(0, |m| m.delivery_count)
}

/// One partition's acknowledged offsets.
pub(crate) struct PartitionOffsets {
    partition: *mut rd_kafka_topic_partition_t,
    offsets: Vec<i64>,
}

/// What `rd_kafka_share_partition_offsets_list_t *` points to.
pub(crate) struct OffsetsList {
    elems: Vec<PartitionOffsets>,
}

/// A one-partition list for the acknowledgement-commit callback.
pub(crate) fn offsets_list(
    topic: &str,
    partition: i32,
    offsets: Vec<i64>,
) -> *mut rd_kafka_share_partition_offsets_list_t {
    let po = PartitionOffsets { partition: tp_new(topic, partition), offsets };
    Box::into_raw(Box::new(OffsetsList { elems: vec![po] })) as *mut rd_kafka_share_partition_offsets_list_t
}

/// Entries in an acknowledgement result list (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_count(
    list: *const rd_kafka_share_partition_offsets_list_t,
) -> size_t {
    (list as *const OffsetsList).as_ref().map_or(0, |l| l.elems.len())
}

/// The entry at `index` of an acknowledgement result list (NULL when out of range).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_get(
    list: *const rd_kafka_share_partition_offsets_list_t,
    index: size_t,
) -> *const rd_kafka_share_partition_offsets_t {
    (list as *const OffsetsList).as_ref().and_then(|l| l.elems.get(index)).map_or(std::ptr::null(), |e| {
        e as *const PartitionOffsets as *const rd_kafka_share_partition_offsets_t
    })
}

/// Frees an acknowledgement result list (NULL-safe).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_destroy(
    list: *mut rd_kafka_share_partition_offsets_list_t,
) {
    if list.is_null() {
        return;
    }
    let l = Box::from_raw(list as *mut OffsetsList);
    for e in l.elems {
        super::tplist::rd_kafka_topic_partition_destroy(e.partition);
    }
}

/// The partition of an acknowledgement result entry.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_partition(
    po: *const rd_kafka_share_partition_offsets_t,
) -> *const rd_kafka_topic_partition_t {
    (po as *const PartitionOffsets).as_ref().map_or(std::ptr::null(), |e| e.partition)
}

/// The acknowledged offsets of an acknowledgement result entry (valid with the list).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_offsets(
    po: *const rd_kafka_share_partition_offsets_t,
) -> *const i64 {
    (po as *const PartitionOffsets).as_ref().map_or(std::ptr::null(), |e| e.offsets.as_ptr())
}

/// The number of offsets of an acknowledgement result entry.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_offsets_cnt(
    po: *const rd_kafka_share_partition_offsets_t,
) -> size_t {
    (po as *const PartitionOffsets).as_ref().map_or(0, |e| e.offsets.len())
}
