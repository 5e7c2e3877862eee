//! The transactional producer API: rd_kafka_init_transactions() and friends. Each call
//! returns NULL on success or an rd_kafka_error_t whose is_retriable, is_fatal and
//! txn_requires_abort flags say what the application must do, as librdkafka's do.

use super::boundary::obj;
use super::error::error_to_c;
use super::group_metadata::{rd_kafka_consumer_group_metadata_t, GroupMetadata};
use super::handle::Handle;
use super::produce::rd_kafka_flush;
use super::tplist::tpl_to_vec;
use super::types::*;
use super::util::timeout_of;
use crate::conf::ClientType;
use crate::error::{ErrorCode, KafkaError};
use crate::producer::txn::api;
use crate::producer::txn::state::{GroupMeta, TxnOffset};
use kafkars_macros::ffi_fn;
use libc::c_int;
use std::time::Duration;

/// The handle of a transactional producer, or librdkafka's error for anything else.
unsafe fn transactional<'a>(rk: *mut rd_kafka_t) -> Result<&'a Handle, KafkaError> {
    match obj::<Handle>(rk) {
        None => Err(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle")),
        Some(h) if h.client.rk.kind != ClientType::Producer => Err(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            "The Transactional API can only be used on producer instances",
        )),
        Some(h) if h.client.producer.txn.is_none() => Err(KafkaError::new(
            ErrorCode::_NOT_CONFIGURED,
            "The Transactional API requires transactional.id to be configured",
        )),
        Some(h) => Ok(h),
    }
}

fn to_c(r: Result<(), KafkaError>) -> *mut rd_kafka_error_t {
    match r {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => error_to_c(e),
    }
}

/// Runs a commit or abort step that flushes: rd_kafka_flush() on the caller's thread,
/// so delivery report callbacks run there as with librdkafka.
unsafe fn with_flush(
    rk: *mut rd_kafka_t,
    h: &Handle,
    f: impl FnOnce(api::Flush<'_>) -> Result<(), KafkaError>,
) -> Result<(), KafkaError> {
    let mut run = |d: Duration| ErrorCode(rd_kafka_flush(rk, d.as_millis().min(i32::MAX as u128) as c_int));
    let event_dr =
        h.cbs.events & RD_KAFKA_EVENT_DR != 0 && h.cbs.dr_msg_cb.is_none() && h.cbs.dr_cb.is_none();
    f(api::Flush { run: &mut run, event_dr })
}

/// Initializes transactions: finds the transaction coordinator and acquires the
/// producer id for transactional.id, fencing any older instance with the same id and
/// completing its unfinished transaction. Call once, before any other transactional
/// call. A retriable timeout error may be resumed by calling again.
/// A timeout of -1 waits at most 2 × transaction.timeout.ms.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_init_transactions(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    to_c(transactional(rk).and_then(|h| api::init_transactions(&h.client.producer, timeout_of(timeout_ms))))
}

/// Begins a transaction: messages may be produced until commit or abort.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_begin_transaction(rk: *mut rd_kafka_t) -> *mut rd_kafka_error_t {
    to_c(transactional(rk).and_then(|h| api::begin_transaction(&h.client.producer)))
}

/// Adds the consumer's offsets to the transaction: they are committed for the
/// consumer group of `cgmetadata` if, and only if, the transaction commits. Offsets
/// that are not valid (negative) are skipped; with none left nothing is sent.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_send_offsets_to_transaction(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    cgmetadata: *const rd_kafka_consumer_group_metadata_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    let (Some(meta), false) = (obj::<GroupMetadata>(cgmetadata), offsets.is_null()) else {
        return error_to_c(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            "cgmetadata and offsets are required parameters",
        ));
    };
    let meta = GroupMeta {
        group_id: meta.group_id.clone(),
        generation_id: meta.generation_id,
        member_id: meta.member_id.clone(),
        group_instance_id: meta.group_instance_id.clone(),
    };
    let list = tpl_to_vec(offsets)
        .into_iter()
        .map(|t| TxnOffset {
            topic: t.topic,
            partition: t.partition,
            offset: t.offset,
            leader_epoch: t.leader_epoch,
            metadata: t.metadata.map(|m| String::from_utf8_lossy(&m).into_owned()),
        })
        .collect();
    to_c(transactional(rk).and_then(|h| {
        api::send_offsets_to_transaction(&h.client.producer, list, meta, timeout_of(timeout_ms))
    }))
}

/// Commits the transaction: flushes outstanding messages (serving delivery reports
/// like rd_kafka_flush()), then commits on the transaction coordinator. If a message
/// failed, the error requires an abort. A retriable timeout may be resumed.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_commit_transaction(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    to_c(transactional(rk).and_then(|h| {
        with_flush(rk, h, |f| api::commit_transaction(&h.client.producer, timeout_of(timeout_ms), f))
    }))
}

/// Aborts the transaction: purges queued messages (their delivery reports say
/// _PURGE_QUEUE), waits for those in flight, and aborts on the coordinator, bumping the
/// producer epoch when a sequence error requires it. A retriable timeout may be resumed.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_abort_transaction(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    to_c(transactional(rk).and_then(|h| {
        with_flush(rk, h, |f| api::abort_transaction(&h.client.producer, timeout_of(timeout_ms), f))
    }))
}
